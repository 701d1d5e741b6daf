//! `/stats` (สถิติ) and `/export` in the chat: the term's numbers as short lines and a chart, or the report as
//! an Excel file. Teachers get their own classes, the head and the counsellor the whole school; every look is
//! audited. The long reads run after the commit in a snapshot of the store (see `reports::ReportJob`).

use super::Reply;
use super::turn::{Step, Turn};
use crate::l10n::{Args, Tr};
use crate::reports::{self, ReportJob, Requester, SchoolStats, Scope};
use crate::store::users::UserRow;

fn empty_reply(tr: Tr<'_>, job: &ReportJob) -> Vec<Reply> {
    let id = match job.scope {
        Scope::Classes => "stats-no-classes",
        Scope::School => "stats-no-students",
    };
    vec![Reply::text(tr.get(id))]
}

/// A long read that failed after the commit: logged with its cause; the person gets the apology.
fn apology(app: &crate::app::App, lang: crate::l10n::Lang, what: &str, e: &anyhow::Error) -> Reply {
    tracing::error!(error = %format!("{e:#}"), "{what} failed");
    Reply::text(app.l10n.tr(lang).get("error-apology"))
}

/// The request is checked and audited in the turn; the numbers are read after the commit, in a snapshot of
/// their own (`ReportJob::stats`), so a school's worth of counting never holds the store's lock.
pub fn stats(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let app = turn.app;
    let Some(job) =
        reports::stats_requested_in(turn.db, Requester::User(user), None, app.clock.now(), app.clock.today())?
    else {
        return Ok(Step::keep(vec![Reply::text(tr.get("stats-not-allowed"))]));
    };
    if job.nothing_to_show() {
        return Ok(Step::keep(empty_reply(tr, &job)));
    }
    let lang = tr.lang;
    let mut step = Step::keep(vec![]);
    step.push_later_all(move |app| {
        let stats = match job.stats(&app.store) {
            Ok(stats) => stats,
            Err(e) => return vec![apology(app, lang, "the statistics", &e)],
        };
        let tr = app.l10n.tr(lang);
        let mut replies: Vec<Reply> = reports::text::stats_messages(&stats, tr).into_iter().map(Reply::text).collect();
        // The chart is a help, not the answer: if drawing fails, the numbers above still go out.
        let file_name = format!("dulae-chart-{}.png", file_term(&stats));
        let caption = tr.with("stats-chart-caption", Args::new().str("term", stats.term.term.to_string()));
        match reports::screening_chart_png(&stats, lang) {
            Ok(bytes) => replies.push(Reply::Photo { file_name, bytes, caption }),
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "could not draw the statistics chart"),
        }
        replies
    });
    step.push(Reply::text(tr.get("stats-export-hint")));
    Ok(step)
}

/// The request is checked and audited in the turn; the workbook is read in a snapshot and written after the
/// commit (`ReportJob::export`), on the handler's blocking thread, holding no lock the chat waits on.
pub fn export(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let app = turn.app;
    let Some(job) =
        reports::export_requested_in(turn.db, Requester::User(user), None, app.clock.now(), app.clock.today())?
    else {
        return Ok(Step::keep(vec![Reply::text(tr.get("stats-not-allowed"))]));
    };
    if job.nothing_to_show() {
        return Ok(Step::keep(empty_reply(tr, &job)));
    }
    let lang = tr.lang;
    let mut step = Step::keep(vec![]);
    step.push_later(move |app| {
        let (stats, bytes) = match job.export(&app.store, &app.forms) {
            Ok(done) => done,
            Err(e) => return Some(apology(app, lang, "the export", &e)),
        };
        let tr = app.l10n.tr(lang);
        Some(Reply::Document {
            file_name: format!("dulae-report-{}.xlsx", file_term(&stats)),
            bytes,
            caption: tr.with(
                "export-caption",
                Args::new().str("term", stats.term.term.to_string()).str("date", tr.date(stats.today)),
            ),
        })
    });
    Ok(step)
}

/// '2/2569' as it can appear in a file name: '2-2569'.
fn file_term(stats: &SchoolStats) -> String {
    stats.term.term.to_string().replace('/', "-")
}
