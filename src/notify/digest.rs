//! The head's weekly digest (Monday 07:30): screening coverage per class, students per group, open cases by
//! age, overdue actions, home-visit coverage, and people the bot cannot reach. Short enough for a phone, and
//! without any student's name. Sent once a week per head, also across restarts (the `digests` table).

use super::outbox::{self, Body, OutMessage, Priority};
use super::store as db;
use crate::domain::Role;
use crate::l10n::thai_date::BANGKOK;
use crate::l10n::{Args, Localizer, Tr};
use crate::store::Store;
use crate::store::users;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rusqlite::Connection;
use std::path::Path;

/// Monday 07:30, Bangkok.
pub fn digest_time() -> NaiveTime {
    NaiveTime::from_hms_opt(7, 30, 0).unwrap_or_default()
}

/// The Monday of the week `date` is in, and its ISO week label.
fn week_of(date: NaiveDate) -> (NaiveDate, String) {
    let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
    let iso = monday.iso_week();
    (monday, format!("{}-W{:02}", iso.year(), iso.week()))
}

/// Send this week's digest to every head who has not had it, if it is Monday 07:30 or later. With a `charts`
/// folder, the screening chart goes with it as a picture (written there, sent from the file).
pub fn send_if_due(
    store: &Store,
    l10n: &Localizer,
    now: DateTime<Utc>,
    charts: Option<&Path>,
) -> anyhow::Result<usize> {
    let today = now.with_timezone(&BANGKOK).date_naive();
    let (monday, week) = week_of(today);
    if now < crate::care::schedule::local_instant(monday, digest_time()) {
        return Ok(0);
    }
    store.write(|tx| {
        let heads: Vec<users::UserRow> =
            users::list(tx)?.into_iter().filter(|u| u.role == Role::Head && !u.revoked).collect();
        let mut sent = 0;
        for head in heads {
            if !db::record_digest(tx, &week, head.id, now)? {
                continue;
            }
            let tr = l10n.tr(head.lang);
            let text = compose(tx, tr, today)?;
            let msg = OutMessage {
                priority: Priority::Personal,
                dedupe_key: Some(format!("digest:{week}:{}", head.id.0)),
                ..OutMessage::text(head.chat_id, Some(head.id), text, now)
            };
            outbox::enqueue(tx, &msg, now)?;
            if let Some(dir) = charts {
                // A chart that cannot be drawn must not hold back the digest's text.
                match chart_file(tx, tr, today, dir, &week) {
                    Ok(path) => {
                        let picture = OutMessage {
                            body: Body::Photo { file_id: path },
                            dedupe_key: Some(format!("digest:{week}:{}:chart", head.id.0)),
                            ..OutMessage::text(head.chat_id, Some(head.id), tr.get("digest-chart-caption"), now)
                        };
                        outbox::enqueue(tx, &picture, now)?;
                    }
                    Err(e) => tracing::warn!(error = %format!("{e:#}"), "the digest chart could not be drawn"),
                }
            }
            sent += 1;
        }
        Ok(sent)
    })
}

/// Draw the school's screening chart for this week in the reader's language, once per language and week.
fn chart_file(conn: &Connection, tr: Tr<'_>, today: NaiveDate, dir: &Path, week: &str) -> anyhow::Result<String> {
    let path = dir.join(format!("digest-{week}-{}.png", tr.lang.code()));
    if !path.is_file() {
        let term = crate::store::terms::current_dates(conn, today)?;
        let stats = crate::reports::stats::for_school(conn, term, today)?;
        let png = crate::reports::chart::screening_chart_png(&stats, tr.lang)?;
        // Private like every file of the school's data (0600 in a 0700 folder).
        crate::private_file::write_private(&path, &png, crate::private_file::Overwrite::Replace)?;
    }
    // An absolute path: the sender tells a file on disk from a Telegram file id by its separators.
    Ok(std::fs::canonicalize(&path).unwrap_or(path).display().to_string())
}

/// The digest's text for one head.
pub fn compose(conn: &Connection, tr: Tr<'_>, today: NaiveDate) -> anyhow::Result<String> {
    let current = crate::store::terms::current(conn, today)?;
    let term = current.to_string();
    let year = current.academic_year().to_string();
    let mut lines =
        vec![tr.with("digest-title", Args::new().str("date", tr.date(today)).str("term", &term).str("year", &year))];

    // Screening coverage per class.
    lines.push(tr.get("digest-screening"));
    let screening_terms = crate::store::forms::counted_terms(conn, "screening", &term)?;
    for (name, total, done) in db::screening_by_class(conn, &screening_terms)? {
        lines.push(format!("• {name} {done}/{total}"));
    }

    // Students per group: the latest screening of each student this term.
    let groups = db::students_per_group(conn, &screening_terms)?;
    let group = |g: &str| groups.iter().find(|(name, _)| name == g).map_or(0, |(_, n)| *n);
    lines.push(tr.with(
        "digest-groups",
        Args::new().num("normal", group("normal")).num("risk", group("risk")).num("problem", group("problem")),
    ));

    // Home visits.
    let students = db::active_students(conn)?;
    let visited = db::visited_students(conn, &crate::store::forms::counted_terms(conn, "home_visit", &term)?)?;
    let percent = if students > 0 { visited * 100 / students } else { 0 };
    let visits_id = match crate::store::forms::period_of(conn, "home_visit")? {
        crate::domain::Period::Term => "digest-visits",
        crate::domain::Period::Year => "digest-visits-year",
    };
    lines.push(tr.with(visits_id, Args::new().num("done", visited).num("total", students).num("percent", percent)));

    // Open cases by age, unaccepted ones, overdue actions.
    let midnight = crate::care::schedule::local_instant(today, NaiveTime::MIN);
    let age = |min_days: i64, max_days: i64| db::open_cases_aged(conn, midnight, min_days, max_days);
    lines.push(
        tr.with(
            "digest-cases",
            Args::new()
                .num("fresh", age(-1, 3)?)
                .num("week", age(3, 8)?)
                .num("old", age(8, 100_000)?)
                .num("unaccepted", db::unaccepted_cases(conn)?),
        ),
    );
    let overdue = db::overdue_actions(conn, today)?;
    lines.push(tr.with("digest-overdue", Args::new().num("count", overdue)));
    let unreachable = db::unreachable_people(conn)?;
    if unreachable > 0 {
        lines.push(tr.with("digest-unreachable", Args::new().num("count", unreachable)));
    }
    Ok(lines.join("\n"))
}
