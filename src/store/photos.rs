//! Photos received in forms: Telegram's file id at once, a local copy fetched in the background.

use super::students::StudentId;
use crate::domain::UserId;
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
