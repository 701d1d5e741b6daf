//! Every SQL statement of the care work, in one place: cases and their watchers, the chronology, help plans and
//! their actions, the reminder rows care writes, class meetings, and the few rows of other features care reads
//! (a screening's score, a family's parents).
//!
//! Functions are named for what they do and take and return typed ids (`CaseId`, `ActionId`, `UserId` …). They
//! decide nothing: who may do what, and what a change implies (notifications, the chronology), is the use
//! cases' work in `care::cases` and `care::meetings`. A missing row is `None`; anything else that goes wrong is
//! an error with its context, never a silent default.

pub mod actions;
pub mod cases;
pub mod chronology;
pub mod meetings;
pub mod plans;
pub mod reminders;
pub mod sources;

use crate::store::parse_instant;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

/// A text column read through `parse`, a value it does not know being a fault (the schema's CHECKs say it
/// cannot happen), not a silent default.
fn parsed<T>(row: &Row<'_>, idx: usize, parse: impl FnOnce(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, format!("unexpected value {text:?}").into())
    })
}

/// A stored instant (RFC 3339, UTC).
fn instant_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    parse_instant(&text).map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, e.into()))
}

/// A stored instant that may be missing.
fn optional_instant_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => instant_at(row, idx).map(Some),
    }
}

/// A stored local date (`2026-11-24`).
fn date_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    parsed(row, idx, |text| text.parse().ok())
}

/// A stored local date that may be missing.
fn optional_date_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => date_at(row, idx).map(Some),
    }
}
