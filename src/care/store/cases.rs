//! Rows of `cases` and `case_watchers`.

use super::{instant_at, optional_instant_at, parsed};
use crate::care::cases::{CaseKind, CaseRow, CaseStatus};
use crate::care::schedule::Urgency;
use crate::domain::ids::{CaseId, StudentId, SubmissionId, UserId};
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Params, Row, params};

const SELECT: &str = "SELECT id, student_id, opened_by, owner_id, urgency, status, aspects, reason, photo_file_id,
        external, external_agency, outcome, opened_at, accept_by, kind, referred_at FROM cases";

/// Most urgent first, then oldest first.
const URGENT_FIRST: &str = "ORDER BY CASE urgency WHEN 'very_urgent' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, opened_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: r.get(0)?,
        student: r.get(1)?,
        opened_by: r.get(2)?,
        owner: r.get(3)?,
        urgency: parsed(r, 4, Urgency::parse)?,
        status: parsed(r, 5, CaseStatus::parse)?,
        aspects: parsed(r, 6, |json| serde_json::from_str(json).ok())?,
        reason: r.get(7)?,
        photo_file_id: r.get(8)?,
        external: r.get(9)?,
        external_agency: r.get(10)?,
        outcome: r.get(11)?,
        opened_at: instant_at(r, 12)?,
        accept_by: instant_at(r, 13)?,
        kind: parsed(r, 14, CaseKind::parse)?,
        referred_at: optional_instant_at(r, 15)?,
    })
}

fn collect(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<Vec<CaseRow>> {
    conn.prepare(sql)?.query_map(params, from_row)?.collect()
}

pub fn get(conn: &Connection, id: CaseId) -> anyhow::Result<Option<CaseRow>> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()
        .with_context(|| format!("cannot read case {id}"))
}

/// Every case not closed, most urgent first, then oldest first.
pub fn all_open(conn: &Connection) -> anyhow::Result<Vec<CaseRow>> {
    collect(conn, &format!("{SELECT} WHERE status != 'closed' {URGENT_FIRST}"), []).context("cannot list open cases")
}

/// The cases not closed that a person owns or watches, most urgent first, then oldest first.
pub fn open_owned_or_watched_by(conn: &Connection, user: UserId) -> anyhow::Result<Vec<CaseRow>> {
    collect(
        conn,
        &format!(
            "{SELECT} WHERE status != 'closed' AND (owner_id = ?1 OR id IN
               (SELECT case_id FROM case_watchers WHERE user_id = ?1)) {URGENT_FIRST}"
        ),
        [user],
    )
    .with_context(|| format!("cannot list the open cases of user {user}"))
}

/// A student's cases not closed, newest first.
pub fn open_of_student(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<CaseRow>> {
    collect(conn, &format!("{SELECT} WHERE student_id = ?1 AND status != 'closed' ORDER BY id DESC"), [student])
        .with_context(|| format!("cannot list the open cases of student {student}"))
}

/// A student's newest case not closed.
pub fn newest_open_of_student(conn: &Connection, student: StudentId) -> anyhow::Result<Option<CaseRow>> {
    conn.query_row(
        &format!("{SELECT} WHERE student_id = ?1 AND status != 'closed' ORDER BY id DESC LIMIT 1"),
        [student],
        from_row,
    )
    .optional()
    .with_context(|| format!("cannot read the open case of student {student}"))
}

/// The cases not closed that a person owns, oldest first.
pub fn open_owned_by(conn: &Connection, owner: UserId) -> anyhow::Result<Vec<CaseRow>> {
    collect(conn, &format!("{SELECT} WHERE owner_id = ?1 AND status != 'closed' ORDER BY id"), [owner])
        .with_context(|| format!("cannot list the cases owned by user {owner}"))
}

/// A referral's new row (status `new`).
pub struct NewCase<'a> {
    pub student: StudentId,
    pub opened_by: UserId,
    pub owner: UserId,
    pub urgency: Urgency,
    pub aspects: &'a [String],
    pub reason: &'a str,
    pub photo_file_id: Option<&'a str>,
    pub external: bool,
    pub source_submission: Option<SubmissionId>,
    pub opened_at: DateTime<Utc>,
    pub accept_by: DateTime<Utc>,
}

pub fn insert_referral(conn: &Connection, case: &NewCase<'_>) -> anyhow::Result<CaseId> {
    conn.execute(
        "INSERT INTO cases (student_id, opened_by, owner_id, urgency, aspects, reason, photo_file_id, external,
                            source_submission_id, opened_at, accept_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            case.student,
            case.opened_by,
            case.owner,
            case.urgency.as_str(),
            serde_json::to_string(case.aspects)?,
            case.reason,
            case.photo_file_id,
            case.external,
            case.source_submission,
            instant(case.opened_at),
            instant(case.accept_by)
        ],
    )
    .with_context(|| format!("cannot open a case for student {}", case.student))?;
    Ok(CaseId(conn.last_insert_rowid()))
}

/// Help in class: the teacher opens and owns it, already in progress, with no acceptance deadline of its own.
pub fn insert_classroom(
    conn: &Connection,
    student: StudentId,
    teacher: UserId,
    aspects: &[String],
    reason: &str,
    source_submission: Option<SubmissionId>,
    now: DateTime<Utc>,
) -> anyhow::Result<CaseId> {
    conn.execute(
        "INSERT INTO cases (student_id, opened_by, owner_id, urgency, status, aspects, reason, source_submission_id,
                            opened_at, accept_by, kind)
         VALUES (?1, ?2, ?2, 'normal', 'in_progress', ?3, ?4, ?5, ?6, ?6, 'classroom')",
        params![student, teacher, serde_json::to_string(aspects)?, reason, source_submission, instant(now)],
    )
    .with_context(|| format!("cannot open help in class for student {student}"))?;
    Ok(CaseId(conn.last_insert_rowid()))
}

pub fn set_status(conn: &Connection, id: CaseId, status: CaseStatus) -> anyhow::Result<()> {
    conn.execute("UPDATE cases SET status = ?2 WHERE id = ?1", params![id, status.as_str()])
        .with_context(|| format!("cannot set the status of case {id}"))?;
    Ok(())
}

pub fn mark_accepted(conn: &Connection, id: CaseId, at: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute("UPDATE cases SET status = 'accepted', accepted_at = ?2 WHERE id = ?1", params![id, instant(at)])
        .with_context(|| format!("cannot accept case {id}"))?;
    Ok(())
}

pub fn set_external_agency(conn: &Connection, id: CaseId, agency: &str) -> anyhow::Result<()> {
    conn.execute("UPDATE cases SET external_agency = ?2 WHERE id = ?1", params![id, agency])
        .with_context(|| format!("cannot record the agency of case {id}"))?;
    Ok(())
}

pub fn mark_closed(conn: &Connection, id: CaseId, outcome: &str, at: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE cases SET status = 'closed', outcome = ?2, closed_at = ?3 WHERE id = ?1",
        params![id, outcome, instant(at)],
    )
    .with_context(|| format!("cannot close case {id}"))?;
    Ok(())
}

/// A new owner, who has to accept the case again by `accept_by`.
pub fn give_to(conn: &Connection, id: CaseId, owner: UserId, accept_by: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE cases SET owner_id = ?2, status = 'new', accepted_at = NULL, accept_by = ?3 WHERE id = ?1",
        params![id, owner, instant(accept_by)],
    )
    .with_context(|| format!("cannot give case {id} to user {owner}"))?;
    Ok(())
}

/// Help in class becomes a referral to `owner`, dated `at`, to be accepted by `accept_by`.
pub fn make_referral(
    conn: &Connection,
    id: CaseId,
    owner: UserId,
    urgency: Urgency,
    accept_by: DateTime<Utc>,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE cases SET kind = 'referral', owner_id = ?2, urgency = ?3, status = 'new', accept_by = ?4,
                          referred_at = ?5, accepted_at = NULL
         WHERE id = ?1",
        params![id, owner, urgency.as_str(), instant(accept_by), instant(at)],
    )
    .with_context(|| format!("cannot refer case {id} to user {owner}"))?;
    Ok(())
}

pub fn is_watcher(conn: &Connection, case: CaseId, user: UserId) -> anyhow::Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM case_watchers WHERE case_id = ?1 AND user_id = ?2", params![case, user], |_| Ok(()))
        .optional()
        .with_context(|| format!("cannot read the watchers of case {case}"))?
        .is_some())
}

/// Watching twice is watching.
pub fn add_watcher(conn: &Connection, case: CaseId, user: UserId) -> anyhow::Result<()> {
    conn.execute("INSERT OR IGNORE INTO case_watchers (case_id, user_id) VALUES (?1, ?2)", params![case, user])
        .with_context(|| format!("cannot add user {user} to the watchers of case {case}"))?;
    Ok(())
}

pub fn remove_watcher(conn: &Connection, case: CaseId, user: UserId) -> anyhow::Result<()> {
    conn.execute("DELETE FROM case_watchers WHERE case_id = ?1 AND user_id = ?2", params![case, user])
        .with_context(|| format!("cannot remove user {user} from the watchers of case {case}"))?;
    Ok(())
}
