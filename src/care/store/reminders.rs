//! The rows of `reminders` that care writes: an action's reminders (3 days before, on the day, overdue …) and a
//! referral's acceptance deadline. The scheduler (`notify::reminders`) reads them when they are due.

use super::instant_at;
use crate::domain::ids::{ActionId, CaseId};
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// One pending reminder of an action: which kind, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingReminder {
    pub kind: String,
    pub due_at: DateTime<Utc>,
}

/// Write one pending reminder of an action. A row cancelled earlier for the same moment (an action moved away and
/// back again) becomes pending again instead of silently blocking the new one.
pub fn plan_for_action(conn: &Connection, action: ActionId, kind: &str, at: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO reminders (subject, subject_id, kind, due_at) VALUES ('action', ?1, ?2, ?3)
         ON CONFLICT(subject, subject_id, kind, due_at) DO UPDATE SET status = 'pending', handled_at = NULL, late = 0
         WHERE reminders.status = 'cancelled'",
        params![action, kind, instant(at)],
    )
    .with_context(|| format!("cannot plan the {kind} reminder of plan action {action}"))?;
    Ok(())
}

/// Stop every pending reminder of an action.
pub fn cancel_pending_of_action(conn: &Connection, action: ActionId, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?2
         WHERE subject = 'action' AND subject_id = ?1 AND status = 'pending'",
        params![action, instant(now)],
    )
    .with_context(|| format!("cannot stop the reminders of plan action {action}"))?;
    Ok(())
}

/// Stop one pending reminder of an action.
pub fn cancel_pending_one(
    conn: &Connection,
    action: ActionId,
    reminder: &PendingReminder,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?4
         WHERE subject = 'action' AND subject_id = ?1 AND kind = ?2 AND due_at = ?3 AND status = 'pending'",
        params![action, reminder.kind, instant(reminder.due_at), instant(now)],
    )
    .with_context(|| format!("cannot stop the {} reminder of plan action {action}", reminder.kind))?;
    Ok(())
}

/// The kinds of an action's reminders already sent or skipped (never sent again).
pub fn kinds_done_of_action(conn: &Connection, action: ActionId) -> anyhow::Result<Vec<String>> {
    let read = || -> rusqlite::Result<Vec<String>> {
        conn.prepare(
            "SELECT kind FROM reminders WHERE subject = 'action' AND subject_id = ?1 AND status IN ('sent', 'skipped')",
        )?
        .query_map([action], |r| r.get(0))?
        .collect()
    };
    read().with_context(|| format!("cannot read the sent reminders of plan action {action}"))
}

/// An action's reminders still to come.
pub fn pending_of_action(conn: &Connection, action: ActionId) -> anyhow::Result<Vec<PendingReminder>> {
    let read = || -> rusqlite::Result<Vec<PendingReminder>> {
        conn.prepare(
            "SELECT kind, due_at FROM reminders WHERE subject = 'action' AND subject_id = ?1 AND status = 'pending'
             ORDER BY id",
        )?
        .query_map([action], |r| Ok(PendingReminder { kind: r.get(0)?, due_at: instant_at(r, 1)? }))?
        .collect()
    };
    read().with_context(|| format!("cannot read the pending reminders of plan action {action}"))
}

/// A referral's acceptance deadline (the scheduler reminds the owner, then alerts the head). Written once per
/// deadline.
pub fn plan_acceptance(conn: &Connection, case: CaseId, accept_by: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO reminders (subject, subject_id, kind, due_at) VALUES ('acceptance', ?1, 'sla', ?2)",
        params![case, instant(accept_by)],
    )
    .with_context(|| format!("cannot write the acceptance deadline of case {case}"))?;
    Ok(())
}

/// The case was accepted, closed or handed on: its pending acceptance deadline no longer applies.
pub fn cancel_acceptance(conn: &Connection, case: CaseId, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?2
         WHERE subject = 'acceptance' AND subject_id = ?1 AND status = 'pending'",
        params![case, instant(now)],
    )
    .with_context(|| format!("cannot stop the acceptance deadline of case {case}"))?;
    Ok(())
}
