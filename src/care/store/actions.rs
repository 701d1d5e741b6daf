//! Rows of `plan_actions`: who does what by when, for a case's plan.

use super::date_at;
use crate::care::cases::ActionRow;
use crate::domain::ids::{ActionId, CaseId, UserId};
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Params, Row, params};

const SELECT: &str = "SELECT a.id, a.case_id, a.description, a.owner_id, u.display_name, a.due_on, a.status,
        a.done_note FROM plan_actions a JOIN users u ON u.id = a.owner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ActionRow> {
    Ok(ActionRow {
        id: r.get(0)?,
        case: r.get(1)?,
        description: r.get(2)?,
        owner: r.get(3)?,
        owner_name: r.get(4)?,
        due_on: date_at(r, 5)?,
        status: r.get(6)?,
        done_note: r.get(7)?,
    })
}

fn collect(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<Vec<ActionRow>> {
    conn.prepare(sql)?.query_map(params, from_row)?.collect()
}

pub fn get(conn: &Connection, id: ActionId) -> anyhow::Result<Option<ActionRow>> {
    conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()
        .with_context(|| format!("cannot read plan action {id}"))
}

/// Every action of a case's plan, soonest first.
pub fn of_case(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<ActionRow>> {
    collect(conn, &format!("{SELECT} WHERE a.case_id = ?1 ORDER BY a.due_on, a.id"), [case])
        .with_context(|| format!("cannot read the plan actions of case {case}"))
}

/// A person's open actions, soonest first.
pub fn open_owned_by(conn: &Connection, owner: UserId) -> anyhow::Result<Vec<ActionRow>> {
    collect(conn, &format!("{SELECT} WHERE a.owner_id = ?1 AND a.status = 'open' ORDER BY a.due_on, a.id"), [owner])
        .with_context(|| format!("cannot read the open plan actions of user {owner}"))
}

/// A person's open actions in cases not closed, oldest first (what they hand on when they leave).
pub fn open_in_open_cases_owned_by(conn: &Connection, owner: UserId) -> anyhow::Result<Vec<ActionRow>> {
    collect(
        conn,
        &format!(
            "{SELECT} JOIN cases c ON c.id = a.case_id
             WHERE a.owner_id = ?1 AND a.status = 'open' AND c.status != 'closed' ORDER BY a.id"
        ),
        [owner],
    )
    .with_context(|| format!("cannot read the plan actions user {owner} hands on"))
}

/// Every open action of a case not closed, with its due date (to move reminders onto a changed calendar).
pub fn open_in_open_cases(conn: &Connection) -> anyhow::Result<Vec<(ActionId, NaiveDate)>> {
    let read = || -> rusqlite::Result<Vec<(ActionId, NaiveDate)>> {
        conn.prepare(
            "SELECT a.id, a.due_on FROM plan_actions a JOIN cases c ON c.id = a.case_id
             WHERE a.status = 'open' AND c.status != 'closed'",
        )?
        .query_map([], |r| Ok((r.get(0)?, date_at(r, 1)?)))?
        .collect()
    };
    read().context("cannot list the open plan actions")
}

/// The open actions of one case.
pub fn open_ids_of_case(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<ActionId>> {
    let read = || -> rusqlite::Result<Vec<ActionId>> {
        conn.prepare("SELECT id FROM plan_actions WHERE case_id = ?1 AND status = 'open'")?
            .query_map([case], |r| r.get(0))?
            .collect()
    };
    read().with_context(|| format!("cannot list the open plan actions of case {case}"))
}

pub fn insert(
    conn: &Connection,
    case: CaseId,
    description: &str,
    owner: UserId,
    due_on: NaiveDate,
    created_by: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<ActionId> {
    conn.execute(
        "INSERT INTO plan_actions (case_id, description, owner_id, due_on, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![case, description, owner, due_on.to_string(), instant(now), created_by],
    )
    .with_context(|| format!("cannot add a plan action to case {case}"))?;
    Ok(ActionId(conn.last_insert_rowid()))
}

pub fn mark_done(conn: &Connection, id: ActionId, note: Option<&str>, at: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE plan_actions SET status = 'done', done_note = ?2, closed_at = ?3 WHERE id = ?1",
        params![id, note, instant(at)],
    )
    .with_context(|| format!("cannot mark plan action {id} done"))?;
    Ok(())
}

pub fn mark_cancelled(conn: &Connection, id: ActionId, at: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE plan_actions SET status = 'cancelled', closed_at = ?2 WHERE id = ?1",
        params![id, instant(at)],
    )
    .with_context(|| format!("cannot cancel plan action {id}"))?;
    Ok(())
}

pub fn set_due_on(conn: &Connection, id: ActionId, due_on: NaiveDate) -> anyhow::Result<()> {
    conn.execute("UPDATE plan_actions SET due_on = ?2 WHERE id = ?1", params![id, due_on.to_string()])
        .with_context(|| format!("cannot move plan action {id}"))?;
    Ok(())
}

pub fn set_owner(conn: &Connection, id: ActionId, owner: UserId) -> anyhow::Result<()> {
    conn.execute("UPDATE plan_actions SET owner_id = ?2 WHERE id = ?1", params![id, owner])
        .with_context(|| format!("cannot give plan action {id} to user {owner}"))?;
    Ok(())
}
