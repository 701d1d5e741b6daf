//! Enqueueing notifications. Call [`enqueue`] inside the transaction that makes the change (a referral created,
//! a reminder due): both commit together or not at all. Never send from a handler directly.

use crate::conversation::Keyboard;
use crate::domain::UserId;
use crate::store::{instant, parse_instant};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// How soon a message must go out relative to others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Alerts for the head, very urgent referrals.
    Urgent = 0,
    /// Referrals, reminders, replies to a person's own action.
    Personal = 10,
    /// Announcements to many parents.
    Bulk = 20,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text,
    /// A photo by Telegram file id; the text is its caption.
    Photo {
        file_id: String,
    },
    /// A document by Telegram file id or by local path; the text is its caption.
    Document {
        file: String,
    },
}

/// One notification to one chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutMessage {
    pub chat_id: i64,
    pub user_id: Option<UserId>,
    pub text: String,
    pub keyboard: Keyboard,
    pub body: Body,
    pub priority: Priority,
    /// A key that makes enqueueing idempotent: the same key is never enqueued twice.
    pub dedupe_key: Option<String>,
    pub announcement_id: Option<i64>,
    /// Not before this instant (quiet hours, scheduled announcements).
    pub not_before: DateTime<Utc>,
}

impl OutMessage {
    pub fn text(chat_id: i64, user_id: Option<UserId>, text: impl Into<String>, now: DateTime<Utc>) -> OutMessage {
        OutMessage {
            chat_id,
            user_id,
            text: text.into(),
            keyboard: Keyboard::default(),
            body: Body::Text,
            priority: Priority::Personal,
            dedupe_key: None,
            announcement_id: None,
            not_before: now,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxId(pub i64);

fn keyboard_json(keyboard: &Keyboard) -> Option<String> {
    if keyboard.is_empty() {
        return None;
    }
    let rows: Vec<Vec<(String, String)>> =
        keyboard.0.iter().map(|row| row.iter().map(|b| (b.text.clone(), b.data.clone())).collect()).collect();
    serde_json::to_string(&rows).ok()
}

pub fn keyboard_from_json(json: Option<&str>) -> Keyboard {
    let rows: Vec<Vec<(String, String)>> = json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    Keyboard(
        rows.into_iter()
            .map(|row| row.into_iter().map(|(text, data)| crate::conversation::Button { text, data }).collect())
            .collect(),
    )
}

/// Add a message to the outbox. Returns `None` when a message with the same dedupe key already exists.
pub fn enqueue(conn: &Connection, msg: &OutMessage, now: DateTime<Utc>) -> anyhow::Result<Option<OutboxId>> {
    let (kind, media) = match &msg.body {
        Body::Text => ("text", None),
        Body::Photo { file_id } => ("photo", Some(file_id.as_str())),
        Body::Document { file } => ("document", Some(file.as_str())),
    };
    let inserted = conn.execute(
        "INSERT INTO outbox (chat_id, user_id, kind, text, keyboard, media, priority, dedupe_key, announcement_id,
                             not_before, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(dedupe_key) DO NOTHING",
        params![
            msg.chat_id,
            msg.user_id.map(|u| u.0),
            kind,
            msg.text,
            keyboard_json(&msg.keyboard),
            media,
            msg.priority as i64,
            msg.dedupe_key,
            msg.announcement_id,
            instant(msg.not_before),
            instant(now)
        ],
    )?;
    Ok((inserted == 1).then(|| OutboxId(conn.last_insert_rowid())))
}

/// Cancel pending messages whose dedupe key starts with `prefix` (e.g. the reminders of a closed action).
pub fn cancel_pending(conn: &Connection, dedupe_prefix: &str) -> anyhow::Result<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND dedupe_key LIKE ?1 || '%'",
        [dedupe_prefix],
    )?)
}

/// A queued message as the sender sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: OutboxId,
    pub chat_id: i64,
    pub user_id: Option<UserId>,
    pub text: String,
    pub keyboard: Keyboard,
    pub body: Body,
    pub attempts: i64,
    pub announcement_id: Option<i64>,
}

/// The oldest due messages, most urgent first.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<Queued>> {
    let now = instant(now);
    let mut stmt = conn.prepare(
        "SELECT id, chat_id, user_id, kind, text, keyboard, media, attempts, announcement_id FROM outbox
         WHERE status = 'pending' AND not_before <= ?1 AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)
         ORDER BY priority, not_before, id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit], |r| {
        let kind: String = r.get(3)?;
        let media: Option<String> = r.get(6)?;
        let keyboard: Option<String> = r.get(5)?;
        Ok(Queued {
            id: OutboxId(r.get(0)?),
            chat_id: r.get(1)?,
            user_id: r.get::<_, Option<i64>>(2)?.map(UserId),
            text: r.get(4)?,
            keyboard: keyboard_from_json(keyboard.as_deref()),
            body: match (kind.as_str(), media) {
                ("photo", Some(file_id)) => Body::Photo { file_id },
                ("document", Some(file)) => Body::Document { file },
                _ => Body::Text,
            },
            attempts: r.get(7)?,
            announcement_id: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// When the next pending message becomes due (for the sender to sleep until then).
pub fn next_due(conn: &Connection) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .query_row(
            "SELECT min(max(not_before, coalesce(next_attempt_at, not_before))) FROM outbox WHERE status = 'pending'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    at.map(|a| parse_instant(&a)).transpose()
}

/// Count of messages by status for one announcement (progress and final report).
pub fn announcement_counts(conn: &Connection, announcement_id: i64) -> anyhow::Result<Vec<(String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT status, count(*) FROM outbox WHERE announcement_id = ?1 GROUP BY status ORDER BY status")?;
    let rows = stmt.query_map([announcement_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
