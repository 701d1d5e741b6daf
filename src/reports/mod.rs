//! Statistics and reports: what the head sends the area office, as numbers ([`stats`]), a chart ([`chart`])
//! and a spreadsheet ([`xlsx`]). Pure over the store (their SQL in [`store`]): the chat and the command line
//! ask for them and audit the access in a short write, then the long read runs in a snapshot of its own
//! ([`ReportJob`]), never holding the lock the chat and the sender write through.

pub mod chart;
pub mod cli;
pub mod stats;
pub mod store;
pub mod text;
pub mod xlsx;

pub use chart::screening_chart_png;
pub use stats::{SchoolStats, Scope, UnitStats};

use crate::domain::Term;
use crate::forms::FormSet;
use crate::store::Store;
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::ClassRow;
use crate::store::terms::{self, TermDates};
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

/// A report someone asked for and may see, decided (and audited) in the caller's transaction, which is quick:
/// the term, the classes in view and whether that is the whole school. The long part — reading the numbers
/// and rows, making the workbook — is done afterwards by [`ReportJob::stats`] and [`ReportJob::export`], in a
/// snapshot of the store that holds no lock the chat or the sender wait on.
#[derive(Debug, Clone)]
pub struct ReportJob {
    pub scope: Scope,
    pub classes: Vec<ClassRow>,
    pub term: TermDates,
    /// The day the numbers are taken.
    pub today: NaiveDate,
}

impl ReportJob {
    /// Nobody to count: a teacher without classes, or a school without a roster.
    pub fn nothing_to_show(&self) -> bool {
        self.classes.is_empty()
    }

    /// The statistics, read in one snapshot (see [`Store::snapshot`]). Call from a blocking thread.
    pub fn stats(&self, store: &Store) -> anyhow::Result<SchoolStats> {
        store.snapshot(|conn| self.stats_in(conn))
    }

    /// The statistics, read on the caller's connection.
    pub fn stats_in(&self, conn: &Connection) -> anyhow::Result<SchoolStats> {
        stats::compute(conn, self.scope, &self.classes, self.term, self.today)
    }

    /// The term's workbook: the numbers and every row read in one snapshot, then the sheets made and the file
    /// written with no database at hand. Call from a blocking thread.
    pub fn export(&self, store: &Store, forms: &FormSet) -> anyhow::Result<(SchoolStats, Vec<u8>)> {
        let (stats, rows) = store.snapshot(|conn| {
            let stats = self.stats_in(conn)?;
            let rows = xlsx::ReportRows::read(conn, &stats)?;
            Ok((stats, rows))
        })?;
        let bytes = xlsx::write_workbook(&xlsx::sheets(&rows, forms, &stats, &self.classes))?;
        Ok((stats, bytes))
    }
}

/// What `who` may see for `term` (default: the current term), not audited. `None`: this person sees no care
/// data.
pub fn plan_in(
    conn: &Connection,
    who: Requester<'_>,
    term: Option<Term>,
    today: NaiveDate,
) -> anyhow::Result<Option<ReportJob>> {
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
    Ok(Some(ReportJob { scope, classes, term: dates, today }))
}

/// The statistics someone may see for `term` (default: the current term), and the classes they cover, read in
/// one snapshot. `None`: this person sees no care data. Not audited (see [`stats_audited`]).
pub fn gather(
    store: &Store,
    who: Requester<'_>,
    term: Option<Term>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    store.snapshot(|conn| gather_in(conn, who, term, today))
}

/// [`gather`] on the caller's connection or transaction.
pub fn gather_in(
    conn: &Connection,
    who: Requester<'_>,
    term: Option<Term>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    let Some(job) = plan_in(conn, who, term, today)? else {
        return Ok(None);
    };
    let computed = job.stats_in(conn)?;
    Ok(Some((computed, job.classes)))
}

fn record(
    tx: &Transaction<'_>,
    who: Requester<'_>,
    action: &str,
    job: &ReportJob,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let detail = serde_json::json!({
        "scope": match job.scope { Scope::School => "school", Scope::Classes => "classes" },
        "classes": job.classes.iter().map(|c| c.name.to_string()).collect::<Vec<_>>(),
    });
    audit::record(
        tx,
        now,
        Entry {
            actor: who.actor(),
            action,
            entity: "term",
            entity_id: Some(job.term.term.to_string()),
            detail: Some(detail),
        },
    )
}

/// The statistics `who` asked for, written to the audit log as "report.stats" in the caller's transaction;
/// the numbers are read afterwards ([`ReportJob::stats`]).
pub fn stats_requested_in(
    tx: &Transaction<'_>,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<ReportJob>> {
    let Some(job) = plan_in(tx, who, term, today)? else {
        return Ok(None);
    };
    record(tx, who, "report.stats", &job, now)?;
    Ok(Some(job))
}

/// The term's workbook `who` asked for, written to the audit log as "report.export" in the caller's
/// transaction; the workbook is made afterwards ([`ReportJob::export`]).
pub fn export_requested_in(
    tx: &Transaction<'_>,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<ReportJob>> {
    let Some(job) = plan_in(tx, who, term, today)? else {
        return Ok(None);
    };
    record(tx, who, "report.export", &job, now)?;
    Ok(Some(job))
}

/// [`gather`], written to the audit log as "report.stats": the request is audited in a short write, the
/// numbers read in a snapshot.
pub fn stats_audited(
    store: &Store,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<ClassRow>)>> {
    let Some(job) = store.write(|tx| stats_requested_in(tx, who, term, now, today))? else {
        return Ok(None);
    };
    let computed = job.stats(store)?;
    Ok(Some((computed, job.classes)))
}

/// The term's workbook for what `who` may see, written to the audit log as "report.export": the request is
/// audited in a short write, the workbook read in a snapshot and written with no lock held.
pub fn export_audited(
    store: &Store,
    forms: &FormSet,
    who: Requester<'_>,
    term: Option<Term>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Option<(SchoolStats, Vec<u8>)>> {
    let Some(job) = store.write(|tx| export_requested_in(tx, who, term, now, today))? else {
        return Ok(None);
    };
    job.export(store, forms).map(Some)
}
