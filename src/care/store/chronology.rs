//! Rows of `case_events`: a case's chronology, append-only (the schema's triggers refuse updates and deletes).

use super::instant_at;
use crate::care::cases::CaseEvent;
use crate::domain::ids::{CaseEventId, CaseId, UserId};
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

const SELECT: &str =
    "SELECT e.at, u.display_name, e.kind, e.detail FROM case_events e LEFT JOIN users u ON u.id = e.actor_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CaseEvent> {
    Ok(CaseEvent { at: instant_at(r, 0)?, actor_name: r.get(1)?, kind: r.get(2)?, detail: r.get(3)? })
}

/// Append one entry (`actor` `None`: the system).
pub fn append(
    conn: &Connection,
    case: CaseId,
    actor: Option<UserId>,
    kind: &str,
    detail: Option<&str>,
    at: DateTime<Utc>,
) -> anyhow::Result<CaseEventId> {
    conn.execute(
        "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case, instant(at), actor, kind, detail],
    )
    .with_context(|| format!("cannot add {kind} to the chronology of case {case}"))?;
    Ok(CaseEventId(conn.last_insert_rowid()))
}

/// One entry, if it belongs to this case.
pub fn entry(conn: &Connection, case: CaseId, entry: CaseEventId) -> anyhow::Result<Option<CaseEvent>> {
    conn.query_row(&format!("{SELECT} WHERE e.case_id = ?1 AND e.id = ?2"), params![case, entry], from_row)
        .optional()
        .with_context(|| format!("cannot read entry {entry} of case {case}"))
}

/// Every entry of a case, oldest first.
pub fn of_case(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<CaseEvent>> {
    let read = || -> rusqlite::Result<Vec<CaseEvent>> {
        conn.prepare(&format!("{SELECT} WHERE e.case_id = ?1 ORDER BY e.id"))?.query_map([case], from_row)?.collect()
    };
    read().with_context(|| format!("cannot read the chronology of case {case}"))
}
