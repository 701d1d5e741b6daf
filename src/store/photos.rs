//! Photos received in forms: Telegram's file id at once, a local copy fetched in the background.

use super::students::StudentId;
use crate::domain::UserId;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

pub fn record(
    conn: &Connection,
    file_id: &str,
    unique_id: Option<&str>,
    user: UserId,
    student: Option<StudentId>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO photos (file_id, file_unique_id, user_id, student_id, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![file_id, unique_id, user.0, student.map(|s| s.0), super::instant(now)],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPhoto {
    pub file_id: String,
    pub file_unique_id: Option<String>,
    pub attempts: i64,
}

/// Photos without a local copy that have not failed too often, oldest first.
pub fn pending(conn: &Connection, max_attempts: i64, limit: i64) -> anyhow::Result<Vec<PendingPhoto>> {
    let mut stmt = conn.prepare(
        "SELECT file_id, file_unique_id, attempts FROM photos WHERE local_path IS NULL AND attempts < ?1
         ORDER BY received_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![max_attempts, limit], |r| {
        Ok(PendingPhoto { file_id: r.get(0)?, file_unique_id: r.get(1)?, attempts: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn mark_fetched(conn: &Connection, file_id: &str, local_path: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE photos SET local_path = ?2, fetched_at = ?3, last_error = NULL WHERE file_id = ?1",
        params![file_id, local_path, super::instant(now)],
    )?;
    Ok(())
}

pub fn mark_failed(conn: &Connection, file_id: &str, error: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE photos SET attempts = attempts + 1, last_error = ?2 WHERE file_id = ?1",
        params![file_id, error.chars().take(500).collect::<String>()],
    )?;
    Ok(())
}

/// A photo row and the local copy it names, if fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoFile {
    pub file_id: String,
    pub local_path: Option<String>,
}

/// The photos a person sent for a student whose file id appears in `session` (a draft's saved form).
pub fn in_draft(conn: &Connection, user: UserId, student: StudentId, session: &str) -> anyhow::Result<Vec<PhotoFile>> {
    let mut stmt = conn.prepare(
        "SELECT file_id, local_path FROM photos WHERE user_id = ?1 AND student_id = ?2 AND instr(?3, file_id) > 0",
    )?;
    let rows = stmt
        .query_map(params![user, student, session], |r| Ok(PhotoFile { file_id: r.get(0)?, local_path: r.get(1)? }))?;
    rows.collect::<Result<_, _>>().context("cannot read a draft's photos")
}

/// Photos received before `cutoff`.
pub fn received_before(conn: &Connection, cutoff: DateTime<Utc>) -> anyhow::Result<Vec<PhotoFile>> {
    let mut stmt = conn.prepare("SELECT file_id, local_path FROM photos WHERE received_at < ?1")?;
    let rows =
        stmt.query_map([super::instant(cutoff)], |r| Ok(PhotoFile { file_id: r.get(0)?, local_path: r.get(1)? }))?;
    rows.collect::<Result<_, _>>().context("cannot read old photos")
}

/// Whether a submission or a case names this photo; with `drafts_too`, also a draft or a conversation in
/// progress.
pub fn used_by_a_record(conn: &Connection, file_id: &str, drafts_too: bool) -> anyhow::Result<bool> {
    let mut sql = String::from(
        "SELECT EXISTS (SELECT 1 FROM submissions WHERE instr(answers, ?1) > 0)
             OR EXISTS (SELECT 1 FROM cases WHERE photo_file_id = ?1)",
    );
    if drafts_too {
        sql.push_str(
            " OR EXISTS (SELECT 1 FROM form_drafts WHERE instr(session, ?1) > 0)
              OR EXISTS (SELECT 1 FROM conversations WHERE instr(state, ?1) > 0)",
        );
    }
    conn.query_row(&sql, [file_id], |r| r.get(0)).context("cannot check whether a photo is used")
}

/// Forget a photo (its file is the caller's to remove after the commit).
pub fn delete(conn: &Connection, file_id: &str) -> anyhow::Result<()> {
    conn.execute("DELETE FROM photos WHERE file_id = ?1", [file_id]).context("cannot delete a photo row")?;
    Ok(())
}

/// Every local copy the photo rows name.
pub fn local_paths(conn: &Connection) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT local_path FROM photos WHERE local_path IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect::<Result<_, _>>().context("cannot read the photos' files")
}

/// The local copies of a student's photos.
pub fn local_paths_of_student(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT local_path FROM photos WHERE student_id = ?1 AND local_path IS NOT NULL")?;
    let rows = stmt.query_map([student], |r| r.get::<_, String>(0))?;
    rows.collect::<Result<_, _>>().context("cannot read a student's photos")
}

/// Forget every photo of a student; how many rows went.
pub fn delete_of_student(conn: &Connection, student: StudentId) -> anyhow::Result<usize> {
    conn.execute("DELETE FROM photos WHERE student_id = ?1", [student]).context("cannot delete a student's photos")
}
