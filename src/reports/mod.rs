//! Statistics and reports: what the head sends the area office, as numbers ([`stats`]), a chart ([`chart`])
//! and a spreadsheet ([`xlsx`]). Pure over the store: the chat and the command line ask for them and audit
//! the access.

pub mod chart;
pub mod cli;
pub mod stats;
pub mod text;
pub mod xlsx;

pub use chart::screening_chart_png;
pub use stats::{SchoolStats, Scope, UnitStats};

use crate::domain::Term;
use crate::forms::FormSet;
use crate::store::Store;
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::ClassRow;
use crate::store::terms;
use crate::store::users::UserRow;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};

/// Who asks for a report.
#[derive(Debug, Clone, Copy)]
pub enum Requester<'a> {
    /// A person in the chat: what the access policy lets them see.
    User(&'a UserRow),
    /// The command line at the school's server: the whole school.
    Cli,
}

impl Requester<'_> {
    fn actor(&self) -> Actor {
        match self {
            Requester::User(u) => Actor::User(u.id),
            Requester::Cli => Actor::Cli,
        }
    }
}

/// The statistics someone may see for `term` (default: the current term), and the classes they cover.
/// `None`: this person sees no care data. Not audited (see [`stats_audited`]).
pub fn gather(
    store: &Store,
    who: Requester<'_>,
    term: Option<Term>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    store.read(|conn| gather_in(conn, who, term, today))
}

/// [`gather`] on the caller's connection or transaction.
pub fn gather_in(
    conn: &Connection,
    who: Requester<'_>,
    term: Option<Term>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    let dates = match term {
        Some(t) => terms::dates_of(conn, t)?,
        None => terms::current_dates(conn, today)?,
    };
    let (scope, classes) = match who {
        Requester::User(user) => match stats::visible_classes(conn, user)? {
            Some(seen) => seen,
            None => return Ok(None),
        },
        Requester::Cli => (Scope::School, crate::store::students::list_classes(conn)?),
    };
    let computed = stats::compute(conn, scope, &classes, dates, today)?;
    Ok(Some((computed, classes)))
}

fn record(
    tx: &Transaction<'_>,
    who: Requester<'_>,
    action: &str,
    stats: &SchoolStats,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let detail = serde_json::json!({
        "scope": match stats.scope { Scope::School => "school", Scope::Classes => "classes" },
        "classes": stats.classes.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
    });
    audit::record(
        tx,
        now,
        Entry {
            actor: who.actor(),
            action,
            entity: "term",
            entity_id: Some(stats.term.term.to_string()),
            detail: Some(detail),
        },
    )
}

/// [`gather`], written to the audit log as "report.stats".
pub fn stats_audited(
    store: &Store,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    store.write(|tx| stats_audited_in(tx, who, term, now, today))
}

/// [`stats_audited`] inside the caller's transaction.
pub fn stats_audited_in(
    tx: &Transaction<'_>,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    let Some((computed, classes)) = gather_in(tx, who, term, today)? else {
        return Ok(None);
    };
    record(tx, who, "report.stats", &computed, now)?;
    Ok(Some((computed, classes)))
}

/// The term's workbook for what `who` may see, written to the audit log as "report.export".
pub fn export_audited(
    store: &Store,
    forms: &FormSet,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<u8>)>> {
    store.write(|tx| export_audited_in(tx, forms, who, term, now, today))
}

/// [`export_audited`] inside the caller's transaction. The workbook is written while reading (issue 14 looks
/// at long reads), so this holds the transaction for as long as the export takes.
pub fn export_audited_in(
    tx: &Transaction<'_>,
    forms: &FormSet,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<u8>)>> {
    let Some((computed, classes)) = gather_in(tx, who, term, today)? else {
        return Ok(None);
    };
    let bytes = xlsx::export(tx, forms, &computed, &classes)?;
    record(tx, who, "report.export", &computed, now)?;
    Ok(Some((computed, bytes)))
}
