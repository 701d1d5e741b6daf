//! Enqueueing notifications. Call [`enqueue`] inside the transaction that makes the change (a referral created,
//! a reminder due): both commit together or not at all. Never send from a handler directly.

use crate::chat_ui::Keyboard;
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

pub use crate::domain::ids::OutboxId;

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
            .map(|row| row.into_iter().map(|(text, data)| crate::chat_ui::Button { text, data }).collect())
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

/// Cancel every message still waiting for one person (their access ended). Returns how many.
pub fn cancel_for_user(conn: &Connection, user: UserId) -> anyhow::Result<usize> {
    Ok(conn.execute("UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND user_id = ?1", [user.0])?)
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

// --- The sender's side: every state change of a row is one small UPDATE, guarded by the status it expects, so a
// --- row can never go back from `sent` and a crash leaves at most the in-flight rows in `sending`.

/// After a restart: rows left in `sending` (the process died mid-call) go back to `pending`. Returns how many.
/// At most these can reach their chat twice: Telegram may have delivered them just before the crash.
pub fn reset_in_flight(conn: &Connection) -> anyhow::Result<usize> {
    Ok(conn.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'", [])?)
}

/// Just before the API call. `false` if the row is no longer pending (cancelled meanwhile).
pub fn mark_sending(conn: &Connection, id: OutboxId) -> anyhow::Result<bool> {
    Ok(conn.execute("UPDATE outbox SET status = 'sending' WHERE id = ?1 AND status = 'pending'", [id.0])? == 1)
}

/// Right after Telegram accepted it.
pub fn mark_sent(conn: &Connection, id: OutboxId, message_id: i32, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?2, telegram_message_id = ?3, last_error = NULL, next_attempt_at = NULL
         WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id.0, instant(now), message_id],
    )?;
    Ok(())
}

/// Try again at `at`. `counts` says whether this try counts towards the attempt limit (a 429 does not: it is
/// Telegram pacing us, not the message failing).
pub fn mark_retry(conn: &Connection, id: OutboxId, at: DateTime<Utc>, error: &str, counts: bool) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?2, last_error = ?3, attempts = attempts + ?4
         WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id.0, instant_ceil(at), truncate_error(error), i64::from(counts)],
    )?;
    Ok(())
}

/// Given up: the message cannot be delivered (after the retries, or a request Telegram will never accept).
pub fn mark_failed(conn: &Connection, id: OutboxId, error: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'failed', last_error = ?2, attempts = attempts + 1
         WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id.0, truncate_error(error)],
    )?;
    Ok(())
}

/// The person blocked the bot, deleted their account, or the chat is gone.
pub fn mark_blocked(conn: &Connection, id: OutboxId, error: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'blocked', last_error = ?2 WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id.0, truncate_error(error)],
    )?;
    Ok(())
}

/// Not sent on purpose (the person's access was revoked before it went out).
pub fn mark_cancelled(conn: &Connection, id: OutboxId, reason: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ?2 WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id.0, reason],
    )?;
    Ok(())
}

/// Telegram said this chat cannot be reached: mark its person unreachable and every other message still waiting
/// for that chat `blocked` (no more calls that can only fail). Returns how many waiting messages were blocked.
pub fn block_chat(
    conn: &Connection,
    chat_id: i64,
    user_id: Option<UserId>,
    error: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    match user_id {
        Some(user) => conn.execute(
            "UPDATE users SET unreachable_at = coalesce(unreachable_at, ?2) WHERE id = ?1",
            params![user.0, instant(now)],
        )?,
        None => conn.execute(
            "UPDATE users SET unreachable_at = coalesce(unreachable_at, ?2) WHERE chat_id = ?1",
            params![chat_id, instant(now)],
        )?,
    };
    Ok(conn.execute(
        "UPDATE outbox SET status = 'blocked', last_error = ?2 WHERE chat_id = ?1 AND status = 'pending'",
        params![chat_id, truncate_error(error)],
    )?)
}

/// A `my_chat_member` update: the person blocked (`reachable = false`) or unblocked the bot. Returns whether a
/// known person changed.
pub fn set_reachable(
    conn: &Connection,
    telegram_id: crate::domain::TelegramId,
    reachable: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let changed = if reachable {
        conn.execute(
            "UPDATE users SET unreachable_at = NULL WHERE telegram_id = ?1 AND unreachable_at IS NOT NULL",
            [telegram_id.0],
        )?
    } else {
        conn.execute(
            "UPDATE users SET unreachable_at = ?2 WHERE telegram_id = ?1 AND unreachable_at IS NULL",
            params![telegram_id.0, instant(now)],
        )?
    };
    Ok(changed > 0)
}

/// Whether the person a message is for can receive it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Reachable,
    /// Telegram told us earlier that they blocked the bot (until they unblock it).
    Unreachable,
    /// Their access was revoked: nothing more goes to them.
    Revoked,
}

pub fn recipient_state(conn: &Connection, user_id: Option<UserId>) -> anyhow::Result<Recipient> {
    let Some(user) = user_id else {
        return Ok(Recipient::Reachable);
    };
    let row: Option<(bool, bool)> = conn
        .query_row(
            "SELECT revoked_at IS NOT NULL, unreachable_at IS NOT NULL FROM users WHERE id = ?1",
            [user.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        Some((true, _)) => Recipient::Revoked,
        Some((false, true)) => Recipient::Unreachable,
        _ => Recipient::Reachable,
    })
}

/// How many messages are waiting or in flight (the benchmark and the shutdown log).
pub fn open_count(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')", [], |r| r.get(0))?)
}

/// Stored instants have whole seconds: round a retry time up, never down, so `retry_after` is always honoured.
fn instant_ceil(at: DateTime<Utc>) -> String {
    use chrono::{SubsecRound, Timelike};
    let whole = at.trunc_subsecs(0);
    instant(if at.nanosecond() > 0 { whole + chrono::Duration::seconds(1) } else { whole })
}

fn truncate_error(error: &str) -> String {
    error.chars().take(300).collect()
}
