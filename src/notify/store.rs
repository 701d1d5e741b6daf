//! Every SQL statement of `notify`: the outbox (enqueue, the sender's state changes, a person's reachability),
//! the reminders table, the yearly tasks' plans and the weekly digest's figures. Functions over the caller's
//! `&Connection` / `&Transaction`, so each commits with the change that implies it; typed ids in and out.
//!
//! Every state change of an outbox row is one small UPDATE guarded by the status it expects, so a row can never
//! go back from `sent` and a crash leaves at most the in-flight rows in `sending`.

use super::outbox::{Body, OutMessage, OutboxId, Queued, Recipient, keyboard_from_json, keyboard_json};
use crate::domain::ids::{ActionId, AnnouncementId, CaseId, ReminderId};
use crate::domain::{TelegramId, UserId};
use crate::store::{instant, parse_instant};
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

// ---------------------------------------------------------------------------------------------------- the outbox

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
            msg.user_id,
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
    Ok(conn.execute("UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND user_id = ?1", [user])?)
}

/// The oldest due messages, most urgent first.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<Queued>> {
    Ok(due_with_recipients(conn, now, limit)?.into_iter().map(|(q, _)| q).collect())
}

/// [`due`], each with whether its person can receive it now (one query: the sender looks at this window for
/// every message it starts).
pub fn due_with_recipients(
    conn: &Connection,
    now: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<(Queued, Recipient)>> {
    let now = instant(now);
    let mut stmt = conn.prepare(
        "SELECT o.id, o.chat_id, o.user_id, o.kind, o.text, o.keyboard, o.media, o.attempts, o.announcement_id,
                u.revoked_at IS NOT NULL, u.unreachable_at IS NOT NULL
         FROM outbox o LEFT JOIN users u ON u.id = o.user_id
         WHERE o.status = 'pending' AND o.not_before <= ?1 AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?1)
         ORDER BY o.priority, o.not_before, o.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit], |r| {
        let kind: String = r.get(3)?;
        let media: Option<String> = r.get(6)?;
        let keyboard: Option<String> = r.get(5)?;
        let queued = Queued {
            id: r.get(0)?,
            chat_id: r.get(1)?,
            user_id: r.get(2)?,
            text: r.get(4)?,
            keyboard: keyboard_from_json(keyboard.as_deref()),
            body: match (kind.as_str(), media) {
                ("photo", Some(file_id)) => Body::Photo { file_id },
                ("document", Some(file)) => Body::Document { file },
                _ => Body::Text,
            },
            attempts: r.get(7)?,
            announcement_id: r.get(8)?,
        };
        // A message for nobody in particular (no user) or for a person since erased goes out as it is.
        let recipient = match (r.get::<_, Option<bool>>(9)?, r.get::<_, Option<bool>>(10)?) {
            (Some(true), _) => Recipient::Revoked,
            (_, Some(true)) => Recipient::Unreachable,
            _ => Recipient::Reachable,
        };
        Ok((queued, recipient))
    })?;
    rows.collect::<Result<_, _>>().context("cannot read the due messages of the outbox")
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
pub fn announcement_counts(conn: &Connection, announcement_id: AnnouncementId) -> anyhow::Result<Vec<(String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT status, count(*) FROM outbox WHERE announcement_id = ?1 GROUP BY status ORDER BY status")?;
    let rows = stmt.query_map([announcement_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

// The sender's side.

/// After a restart: rows left in `sending` (the process died mid-call) go back to `pending`. Returns how many.
/// At most these can reach their chat twice: Telegram may have delivered them just before the crash.
pub fn reset_in_flight(conn: &Connection) -> anyhow::Result<usize> {
    Ok(conn.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'", [])?)
}

/// Just before the API call. `false` if the row is no longer pending (cancelled meanwhile).
pub fn mark_sending(conn: &Connection, id: OutboxId) -> anyhow::Result<bool> {
    Ok(conn.execute("UPDATE outbox SET status = 'sending' WHERE id = ?1 AND status = 'pending'", [id])? == 1)
}

/// Right after Telegram accepted it.
pub fn mark_sent(conn: &Connection, id: OutboxId, message_id: i32, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?2, telegram_message_id = ?3, last_error = NULL, next_attempt_at = NULL
         WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id, instant(now), message_id],
    )?;
    Ok(())
}

/// Try again at `at`. `counts` says whether this try counts towards the attempt limit (a 429 does not: it is
/// Telegram pacing us, not the message failing).
pub fn mark_retry(conn: &Connection, id: OutboxId, at: DateTime<Utc>, error: &str, counts: bool) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?2, last_error = ?3, attempts = attempts + ?4
         WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id, instant_ceil(at), truncate_error(error), i64::from(counts)],
    )?;
    Ok(())
}

/// Given up: the message cannot be delivered (after the retries, or a request Telegram will never accept).
pub fn mark_failed(conn: &Connection, id: OutboxId, error: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'failed', last_error = ?2, attempts = attempts + 1
         WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id, truncate_error(error)],
    )?;
    Ok(())
}

/// The person blocked the bot, deleted their account, or the chat is gone.
pub fn mark_blocked(conn: &Connection, id: OutboxId, error: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'blocked', last_error = ?2 WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id, truncate_error(error)],
    )?;
    Ok(())
}

/// Not sent on purpose (the person's access was revoked before it went out).
pub fn mark_cancelled(conn: &Connection, id: OutboxId, reason: &str) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ?2 WHERE id = ?1 AND status IN ('sending', 'pending')",
        params![id, reason],
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
            params![user, instant(now)],
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
    telegram_id: TelegramId,
    reachable: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let changed = if reachable {
        conn.execute(
            "UPDATE users SET unreachable_at = NULL WHERE telegram_id = ?1 AND unreachable_at IS NOT NULL",
            [telegram_id],
        )?
    } else {
        conn.execute(
            "UPDATE users SET unreachable_at = ?2 WHERE telegram_id = ?1 AND unreachable_at IS NULL",
            params![telegram_id, instant(now)],
        )?
    };
    Ok(changed > 0)
}

pub fn recipient_state(conn: &Connection, user_id: Option<UserId>) -> anyhow::Result<Recipient> {
    let Some(user) = user_id else {
        return Ok(Recipient::Reachable);
    };
    let row: Option<(bool, bool)> = conn
        .query_row("SELECT revoked_at IS NOT NULL, unreachable_at IS NOT NULL FROM users WHERE id = ?1", [user], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
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

// ------------------------------------------------------------------------------------------------- reminders

/// What a reminder row is about (`reminders.subject` and `subject_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A help-plan action: before / on / after its due date, or the head's escalation.
    Action(ActionId),
    /// A referral waiting to be accepted.
    Acceptance(CaseId),
    /// One of the head's yearly tasks (row in `yearly_tasks`).
    Yearly(i64),
    /// A subject this version does not know (a newer version's row): cancelled.
    Unknown(String),
}

/// A reminder that is due.
#[derive(Debug, Clone)]
pub struct DueReminder {
    pub id: ReminderId,
    pub subject: Subject,
    /// `before:3`, `due`, `overdue:1`, `escalate`, … (see `care::schedule::ActionReminder`).
    pub kind: String,
    pub due_at: DateTime<Utc>,
}

/// How a reminder was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Sent,
    Skipped,
    Cancelled,
}

/// Pending reminders due by `now`, oldest first (at most `limit`).
pub fn due_reminders(conn: &Connection, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<DueReminder>> {
    let mut stmt = conn.prepare(
        "SELECT id, subject, subject_id, kind, due_at FROM reminders WHERE status = 'pending' AND due_at <= ?1
         ORDER BY due_at, id LIMIT ?2",
    )?;
    let rows: Vec<(ReminderId, String, i64, String, String)> = stmt
        .query_map(params![instant(now), limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, subject, subject_id, kind, due_at)| {
            let subject = match subject.as_str() {
                "action" => Subject::Action(ActionId(subject_id)),
                "acceptance" => Subject::Acceptance(CaseId(subject_id)),
                "yearly" => Subject::Yearly(subject_id),
                _ => Subject::Unknown(subject),
            };
            Ok(DueReminder { id, subject, kind, due_at: parse_instant(&due_at)? })
        })
        .collect()
}

/// Record how a pending reminder was handled (a row already handled is left as it is).
pub fn mark_reminder(
    tx: &Transaction<'_>,
    id: ReminderId,
    handled: Handled,
    late: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let status = match handled {
        Handled::Sent => "sent",
        Handled::Skipped => "skipped",
        Handled::Cancelled => "cancelled",
    };
    tx.execute(
        "UPDATE reminders SET status = ?2, late = ?3, handled_at = ?4 WHERE id = ?1 AND status = 'pending'",
        params![id, status, late, instant(now)],
    )?;
    Ok(())
}

/// Whether a later reminder of the same action (not its escalation) is also due by `now`: then this older one
/// is skipped rather than sent late.
pub fn newer_action_reminder_due(
    conn: &Connection,
    action: ActionId,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let newer: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM reminders WHERE subject = 'action' AND subject_id = ?1 AND status = 'pending'
               AND kind != 'escalate' AND due_at <= ?2 AND due_at > ?3 LIMIT 1",
            params![action, instant(now), instant(after)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(newer.is_some())
}

/// A referral not accepted in time went to the head: its chronology says so (no actor: the bot did it).
pub fn record_escalation(tx: &Transaction<'_>, case: CaseId, now: DateTime<Utc>) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?1, ?2, NULL, 'escalated', NULL)",
        params![case, instant(now)],
    )?;
    Ok(())
}

/// The reminders of one action: kind, due instant, status (tests and the CLI).
pub fn reminders_of(conn: &Connection, action: ActionId) -> anyhow::Result<Vec<(String, DateTime<Utc>, String)>> {
    let mut stmt = conn.prepare(
        "SELECT kind, due_at, status FROM reminders WHERE subject = 'action' AND subject_id = ?1 ORDER BY due_at, id",
    )?;
    let rows: Vec<(String, String, String)> =
        stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    rows.into_iter().map(|(k, at, s)| Ok((k, parse_instant(&at)?, s))).collect()
}

// ---------------------------------------------------------------------------------------------- yearly tasks

/// A yearly task's titles (Thai, English), if it exists and is enabled.
pub fn enabled_yearly_task_titles(conn: &Connection, task: i64) -> anyhow::Result<Option<(String, String)>> {
    let row: Option<(String, String, bool)> = conn
        .query_row("SELECT title_th, title_en, enabled FROM yearly_tasks WHERE id = ?1", [task], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(row.filter(|(_, _, enabled)| *enabled).map(|(th, en, _)| (th, en)))
}

/// Every enabled yearly task: its id and its day of the year (month, day).
pub fn enabled_yearly_dates(conn: &Connection) -> anyhow::Result<Vec<(i64, u32, u32)>> {
    let mut stmt = conn.prepare("SELECT id, month, day FROM yearly_tasks WHERE enabled = 1")?;
    let tasks = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(tasks)
}

/// Plan a yearly task's reminder at `at` (once: the same task and instant is never planned twice).
pub fn plan_yearly_reminder(tx: &Transaction<'_>, task: i64, at: DateTime<Utc>) -> anyhow::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO reminders (subject, subject_id, kind, due_at) VALUES ('yearly', ?1, 'yearly', ?2)",
        params![task, instant(at)],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------- the digest

/// Note that `head` gets this `week`'s digest; `false` if they already had it (also before a restart).
pub fn record_digest(tx: &Transaction<'_>, week: &str, head: UserId, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO digests (week, user_id, sent_at) VALUES (?1, ?2, ?3)",
        params![week, head, instant(now)],
    )?;
    Ok(inserted == 1)
}

/// Per class with students: its name, its students, and how many of them have a screening in `terms` (a JSON
/// list of term labels, see `store::forms::counted_terms`).
pub fn screening_by_class(conn: &Connection, terms: &str) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT c.name,
                (SELECT count(*) FROM students s WHERE s.class_id = c.id AND s.archived_at IS NULL),
                (SELECT count(DISTINCT sub.student_id) FROM submissions sub JOIN students s ON s.id = sub.student_id
                  WHERE s.class_id = c.id AND s.archived_at IS NULL AND sub.form_kind = 'screening'
                    AND sub.term IN (SELECT value FROM json_each(?1)))
         FROM classes c ORDER BY c.level, c.grade, c.room",
    )?;
    let classes: Vec<(String, i64, i64)> =
        stmt.query_map([terms], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(classes.into_iter().filter(|(_, students, _)| *students > 0).collect())
}

/// Students per overall group (`normal`, `risk`, `problem`), by each student's latest screening in `terms`.
pub fn students_per_group(conn: &Connection, terms: &str) -> anyhow::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT overall_group, count(*) FROM submissions s
         WHERE form_kind = 'screening' AND term IN (SELECT value FROM json_each(?1)) AND overall_group IS NOT NULL
           AND id = (SELECT max(id) FROM submissions x WHERE x.student_id = s.student_id AND x.form_kind = 'screening'
                     AND x.term IN (SELECT value FROM json_each(?1)))
         GROUP BY overall_group",
    )?;
    let groups = stmt.query_map([terms], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(groups)
}

/// Students not archived.
pub fn active_students(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM students WHERE archived_at IS NULL", [], |r| r.get(0))?)
}

/// Students not archived with a home visit in `terms`.
pub fn visited_students(conn: &Connection, terms: &str) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT sub.student_id) FROM submissions sub JOIN students st ON st.id = sub.student_id
         WHERE st.archived_at IS NULL AND sub.form_kind = 'home_visit' AND sub.term IN (SELECT value FROM json_each(?1))",
        [terms],
        |r| r.get(0),
    )?)
}

/// Cases not closed that were opened at least `min_days` and less than `max_days` before `at`.
pub fn open_cases_aged(conn: &Connection, at: DateTime<Utc>, min_days: i64, max_days: i64) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM cases WHERE status != 'closed'
           AND julianday(?1) - julianday(opened_at) >= ?2 AND julianday(?1) - julianday(opened_at) < ?3",
        params![instant(at), min_days, max_days],
        |r| r.get(0),
    )?)
}

/// Referrals nobody has accepted yet.
pub fn unaccepted_cases(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM cases WHERE status = 'new'", [], |r| r.get(0))?)
}

/// Open actions of open cases due before `today`.
pub fn overdue_actions(conn: &Connection, today: NaiveDate) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM plan_actions a JOIN cases c ON c.id = a.case_id
         WHERE a.status = 'open' AND c.status != 'closed' AND a.due_on < ?1",
        [today.to_string()],
        |r| r.get(0),
    )?)
}

/// People with access whom Telegram said the bot cannot reach.
pub fn unreachable_people(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE unreachable_at IS NOT NULL AND revoked_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}
