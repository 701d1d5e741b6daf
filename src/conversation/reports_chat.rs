//! `/stats` (สถิติ) and `/export` in the chat: the term's numbers as short lines and a chart, or the report as
//! an Excel file. Teachers get their own classes, the head and the counsellor the whole school; every look is
//! audited.

use super::Reply;
use super::turn::{Step, Turn};
use crate::l10n::{Args, Tr};
use crate::reports::{self, Requester, SchoolStats, Scope};
use crate::store::users::UserRow;

/// Nobody to count: a teacher without classes, or a school without a roster.
fn nothing_to_show(stats: &SchoolStats) -> bool {
    stats.classes.is_empty()
}

fn empty_reply(tr: Tr<'_>, stats: &SchoolStats) -> Vec<Reply> {
    let id = match stats.scope {
        Scope::Classes => "stats-no-classes",
        Scope::School => "stats-no-students",
    };
    vec![Reply::text(tr.get(id))]
}

pub fn stats(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let app = turn.app;
    let Some((stats, _classes)) =
        reports::stats_audited_in(turn.db, Requester::User(user), None, app.clock.now(), app.clock.today())?
    else {
        return Ok(Step::keep(vec![Reply::text(tr.get("stats-not-allowed"))]));
    };
    if nothing_to_show(&stats) {
        return Ok(Step::keep(empty_reply(tr, &stats)));
    }
    let mut step = Step::keep(reports::text::stats_messages(&stats, tr).into_iter().map(Reply::text).collect());
    // The chart is a help, not the answer: if drawing fails, the numbers above still went out. It is drawn after
    // the commit: it needs the numbers only, not the database.
    let (file_name, lang) = (format!("dulae-chart-{}.png", file_term(&stats)), tr.lang);
    let caption = tr.with("stats-chart-caption", Args::new().str("term", stats.term.term.to_string()));
    step.push_later(move |_| match reports::screening_chart_png(&stats, lang) {
        Ok(bytes) => Some(Reply::Photo { file_name, bytes, caption }),
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "could not draw the statistics chart");
            None
        }
    });
    step.push(Reply::text(tr.get("stats-export-hint")));
    Ok(step)
}

pub fn export(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let app = turn.app;
    let Some((stats, bytes)) = reports::export_audited_in(
        turn.db,
        &app.forms,
        Requester::User(user),
        None,
        app.clock.now(),
        app.clock.today(),
    )?
    else {
        return Ok(Step::keep(vec![Reply::text(tr.get("stats-not-allowed"))]));
    };
    if nothing_to_show(&stats) {
        return Ok(Step::keep(empty_reply(tr, &stats)));
    }
    Ok(Step::keep(vec![Reply::Document {
        file_name: format!("dulae-report-{}.xlsx", file_term(&stats)),
        bytes,
        caption: tr.with(
            "export-caption",
            Args::new().str("term", stats.term.term.to_string()).str("date", tr.date(stats.today)),
        ),
    }]))
}

/// '2/2569' as it can appear in a file name: '2-2569'.
fn file_term(stats: &SchoolStats) -> String {
    stats.term.term.to_string().replace('/', "-")
}
