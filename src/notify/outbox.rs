//! Enqueueing notifications. Call [`enqueue`] inside the transaction that makes the change (a referral created,
//! a reminder due): both commit together or not at all. Never send from a handler directly.
//!
//! This module is the outbox's vocabulary (a message, its priority, a queued row, a recipient's state); its SQL
//! is in `notify::store`, re-exported here so a use case writes `outbox::enqueue(tx, …)`.

use crate::chat_ui::Keyboard;
use crate::domain::UserId;
use crate::domain::ids::AnnouncementId;
use chrono::{DateTime, Utc};

pub use super::store::{
    announcement_counts, block_chat, cancel_for_user, cancel_pending, due, enqueue, mark_blocked, mark_cancelled,
    mark_failed, mark_retry, mark_sending, mark_sent, next_due, open_count, recipient_state, reset_in_flight,
    set_reachable,
};

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
    pub announcement_id: Option<AnnouncementId>,
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

/// Buttons as stored in the `keyboard` column (`None` for none).
pub(crate) fn keyboard_json(keyboard: &Keyboard) -> Option<String> {
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
    pub announcement_id: Option<AnnouncementId>,
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
