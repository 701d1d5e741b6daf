//! `/stats` (สถิติ) and `/export` in the chat: the term's numbers as short lines and a chart, or the report as
//! an Excel file. Teachers get their own classes, the head and the counsellor the whole school; every look is
//! audited.

use super::Reply;
use crate::app::App;
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

pub fn stats(app: &App, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Vec<Reply>> {
    let Some((stats, _classes)) =
        reports::stats_audited(&app.store, Requester::User(user), None, app.clock.now(), app.clock.today())?
    else {
        return Ok(vec![Reply::text(tr.get("stats-not-allowed"))]);
    };
    if nothing_to_show(&stats) {
        return Ok(empty_reply(tr, &stats));
    }
    let mut replies: Vec<Reply> = reports::text::stats_messages(&stats, tr).into_iter().map(Reply::text).collect();
    // The chart is a help, not the answer: if drawing fails, the numbers above still went out.
    match reports::screening_chart_png(&stats, tr.lang) {
        Ok(bytes) => replies.push(Reply::Photo {
            file_name: format!("dulae-chart-{}.png", file_term(&stats)),
            bytes,
            caption: tr.with("stats-chart-caption", Args::new().str("term", stats.term.term.to_string())),
        }),
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "could not draw the statistics chart"),
    }
    replies.push(Reply::text(tr.get("stats-export-hint")));
    Ok(replies)
}

pub fn export(app: &App, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Vec<Reply>> {
    let Some((stats, bytes)) = reports::export_audited(
        &app.store,
        &app.forms,
        Requester::User(user),
        None,
        app.clock.now(),
        app.clock.today(),
    )?
    else {
        return Ok(vec![Reply::text(tr.get("stats-not-allowed"))]);
    };
    if nothing_to_show(&stats) {
        return Ok(empty_reply(tr, &stats));
    }
    Ok(vec![Reply::Document {
        file_name: format!("dulae-report-{}.xlsx", file_term(&stats)),
        bytes,
        caption: tr.with(
            "export-caption",
            Args::new().str("term", stats.term.term.to_string()).str("date", tr.date(stats.today)),
        ),
    }])
}

/// '2/2569' as it can appear in a file name: '2-2569'.
fn file_term(stats: &SchoolStats) -> String {
    stats.term.term.to_string().replace('/', "-")
}
