//! Conversation state, one row per private chat, saved after every step.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub fn load(conn: &Connection, chat_id: i64) -> anyhow::Result<Option<String>> {
    Ok(conn.query_row("SELECT state FROM conversations WHERE chat_id = ?1", [chat_id], |r| r.get(0)).optional()?)
}

pub fn save(conn: &Connection, chat_id: i64, state_json: &str, at: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO conversations (chat_id, state, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        params![chat_id, state_json, super::instant(at)],
    )?;
    Ok(())
}

pub fn clear(conn: &Connection, chat_id: i64) -> anyhow::Result<()> {
    conn.execute("DELETE FROM conversations WHERE chat_id = ?1", [chat_id])?;
    Ok(())
}
