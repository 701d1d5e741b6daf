//! The append-only audit log: who did what to which record, when. The database refuses updates and deletes.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// Someone at the server's command line (the admin).
    Cli,
    User(crate::domain::UserId),
    /// The bot itself (schedulers, delivery).
    System,
}

impl Actor {
    fn label(self) -> String {
        match self {
            Actor::Cli => "cli".into(),
            Actor::User(id) => format!("user:{id}"),
            Actor::System => "system".into(),
        }
    }
}

pub struct Entry<'a> {
    pub actor: Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub detail: Option<serde_json::Value>,
}

pub fn record(conn: &Connection, at: DateTime<Utc>, entry: Entry<'_>) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            super::instant(at),
            entry.actor.label(),
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.detail.map(|d| d.to_string())
        ],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
}

/// Recent entries, newest first (for the CLI and tests).
pub fn recent(conn: &Connection, limit: i64) -> anyhow::Result<Vec<AuditRow>> {
    let mut stmt =
        conn.prepare("SELECT at, actor, action, entity, entity_id FROM audit_log ORDER BY id DESC LIMIT ?1")?;
    let rows = stmt.query_map([limit], |r| {
        Ok(AuditRow { at: r.get(0)?, actor: r.get(1)?, action: r.get(2)?, entity: r.get(3)?, entity_id: r.get(4)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
