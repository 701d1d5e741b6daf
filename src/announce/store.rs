//! The announcement tables (`migrations/0005_announcements.sql`) and the recipient queries.

use super::{Audience, Media};
use crate::domain::UserId;
use crate::domain::ids::AnnouncementId;
use crate::l10n::Lang;
use crate::store::{instant, parse_instant};
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row as SqlRow, params};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub user_id: UserId,
    pub chat_id: i64,
    pub lang: Lang,
}

fn recipient_from(r: &SqlRow<'_>) -> rusqlite::Result<RecipientRow> {
    let lang: String = r.get(2)?;
    Ok(RecipientRow { user_id: r.get(0)?, chat_id: r.get(1)?, lang: Lang::from_code(&lang).unwrap_or_default() })
}

const PARENTS: &str = "SELECT DISTINCT u.id, u.chat_id, coalesce(s.lang, 'th') FROM users u
    JOIN parent_students ps ON ps.user_id = u.id
    JOIN students st ON st.id = ps.student_id AND st.archived_at IS NULL
    JOIN classes c ON c.id = st.class_id
    LEFT JOIN user_settings s ON s.user_id = u.id
    WHERE u.revoked_at IS NULL AND u.id != ?1";

/// Everyone the audience means now, each once, without the author. Parents who blocked the bot are included:
/// the sender records them as `blocked` without calling Telegram, so the report lists them to phone.
pub fn recipients(conn: &Connection, audience: &Audience, author: UserId) -> anyhow::Result<Vec<RecipientRow>> {
    let mut found: BTreeMap<UserId, RecipientRow> = BTreeMap::new();
    let mut collect = |sql: &str, extra: &[&dyn rusqlite::ToSql]| -> anyhow::Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&author];
        args.extend_from_slice(extra);
        for row in stmt.query_map(args.as_slice(), recipient_from)? {
            let row = row?;
            found.insert(row.user_id, row);
        }
        Ok(())
    };
    match audience {
        Audience::AllParents => collect(PARENTS, &[])?,
        Audience::Grade { level, grade } => {
            collect(&format!("{PARENTS} AND c.level = ?2 AND c.grade = ?3"), &[&level.abbreviation(), grade])?
        }
        Audience::Class(id) => collect(&format!("{PARENTS} AND c.id = ?2"), &[id])?,
        Audience::Classes(ids) => {
            for id in ids {
                collect(&format!("{PARENTS} AND c.id = ?2"), &[id])?;
            }
        }
        Audience::Staff => collect(
            "SELECT u.id, u.chat_id, coalesce(s.lang, 'th') FROM users u
             LEFT JOIN user_settings s ON s.user_id = u.id
             WHERE u.revoked_at IS NULL AND u.role != 'parent' AND u.id != ?1",
            &[],
        )?,
    }
    Ok(found.into_values().collect())
}

pub struct Row {
    pub created_by: UserId,
    pub audience: String,
    pub audience_label: String,
    pub text: String,
    pub media: Option<Media>,
    pub send_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub recipients: i64,
    pub draft_key: String,
    pub progress: Option<(i64, i32)>,
}

/// Write a new announcement; its outbox rows are the caller's (the same transaction).
pub fn insert(conn: &Connection, row: &Row) -> anyhow::Result<AnnouncementId> {
    conn.execute(
        "INSERT INTO announcements (created_by, audience, audience_label, text, media_kind, media, send_at, created_at,
                                    recipients, draft_key, progress_chat_id, progress_message_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            row.created_by,
            row.audience,
            row.audience_label,
            row.text,
            row.media.as_ref().map(Media::kind),
            row.media.as_ref().map(|m| m.file_id().to_string()),
            instant(row.send_at),
            instant(row.created_at),
            row.recipients,
            row.draft_key,
            row.progress.map(|p| p.0),
            row.progress.map(|p| p.1),
        ],
    )
    .context("cannot write an announcement")?;
    Ok(AnnouncementId(conn.last_insert_rowid()))
}

/// The announcement already made from this draft (a double tap on "send"): its id and number of recipients.
pub fn find_by_draft(conn: &Connection, key: &str) -> anyhow::Result<Option<(AnnouncementId, i64)>> {
    Ok(conn
        .query_row("SELECT id, recipients FROM announcements WHERE draft_key = ?1", [key], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub id: AnnouncementId,
    pub created_by: UserId,
    pub audience: Option<Audience>,
    pub audience_label: String,
    pub text: String,
    pub media: Option<Media>,
    pub send_at: DateTime<Utc>,
    pub recipients: i64,
    pub progress: Option<(i64, i32)>,
    pub progress_shown: Option<String>,
    pub finished: bool,
    pub cancelled: bool,
}

const SELECT: &str = "SELECT id, created_by, audience, audience_label, text, media_kind, media, send_at, recipients,
        progress_chat_id, progress_message_id, progress_shown, finished_at IS NOT NULL, cancelled_at IS NOT NULL
        FROM announcements";

fn announcement_from(r: &SqlRow<'_>) -> rusqlite::Result<(Announcement, String)> {
    let audience: String = r.get(2)?;
    let kind: Option<String> = r.get(5)?;
    let chat: Option<i64> = r.get(9)?;
    let message: Option<i32> = r.get(10)?;
    Ok((
        Announcement {
            id: r.get(0)?,
            created_by: r.get(1)?,
            audience: Audience::decode(&audience),
            audience_label: r.get(3)?,
            text: r.get(4)?,
            media: Media::from_parts(kind.as_deref(), r.get(6)?),
            send_at: DateTime::<Utc>::MIN_UTC,
            recipients: r.get(8)?,
            progress: chat.zip(message),
            progress_shown: r.get(11)?,
            finished: r.get(12)?,
            cancelled: r.get(13)?,
        },
        r.get(7)?,
    ))
}

fn finish(rows: Vec<(Announcement, String)>) -> anyhow::Result<Vec<Announcement>> {
    rows.into_iter()
        .map(|(mut a, send_at)| {
            a.send_at = parse_instant(&send_at)?;
            Ok(a)
        })
        .collect()
}

pub fn get(conn: &Connection, id: AnnouncementId) -> anyhow::Result<Option<Announcement>> {
    let row = conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], announcement_from).optional()?;
    Ok(finish(row.into_iter().collect())?.pop())
}

/// Announcements whose progress message still needs updates (started, not finished, not cancelled).
pub fn in_progress(conn: &Connection, now: DateTime<Utc>) -> anyhow::Result<Vec<Announcement>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE finished_at IS NULL AND cancelled_at IS NULL AND progress_message_id IS NOT NULL
         AND send_at <= ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([instant(now)], announcement_from)?.collect::<Result<Vec<_>, _>>()?;
    finish(rows)
}

pub fn set_progress_message(
    conn: &Connection,
    id: AnnouncementId,
    chat_id: i64,
    message_id: i32,
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE announcements SET progress_chat_id = ?2, progress_message_id = ?3 WHERE id = ?1",
        params![id, chat_id, message_id],
    )?;
    Ok(())
}

/// Remember what the progress message shows (`None` to show it again); `finished` once the final report is up.
pub fn set_progress_shown(
    conn: &Connection,
    id: AnnouncementId,
    shown: Option<&str>,
    finished: Option<DateTime<Utc>>,
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE announcements SET progress_shown = ?2, finished_at = ?3 WHERE id = ?1",
        params![id, shown, finished.map(instant)],
    )?;
    Ok(())
}

pub fn mark_cancelled(conn: &Connection, id: AnnouncementId, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE announcements SET cancelled_at = coalesce(cancelled_at, ?2), finished_at = coalesce(finished_at, ?2)
         WHERE id = ?1",
        params![id, instant(now)],
    )?;
    Ok(())
}

pub fn is_recipient(conn: &Connection, id: AnnouncementId, user: UserId) -> anyhow::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM outbox WHERE announcement_id = ?1 AND user_id = ?2 LIMIT 1",
            params![id, user],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// `true` if this is the first acknowledgement of that person.
pub fn ack(conn: &Connection, id: AnnouncementId, user: UserId, now: DateTime<Utc>) -> anyhow::Result<bool> {
    Ok(conn.execute(
        "INSERT INTO announcement_acks (announcement_id, user_id, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![id, user, instant(now)],
    )? == 1)
}

pub fn ack_count(conn: &Connection, id: AnnouncementId) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM announcement_acks WHERE announcement_id = ?1", [id], |r| r.get(0))?)
}

/// Delivery counts of one announcement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub sent: i64,
    pub blocked: i64,
    pub failed: i64,
    pub cancelled: i64,
    /// Pending or in flight.
    pub waiting: i64,
}

pub fn counts(conn: &Connection, id: AnnouncementId) -> anyhow::Result<Counts> {
    let mut c = Counts::default();
    for (status, n) in crate::notify::outbox::announcement_counts(conn, id)? {
        c.total += n;
        match status.as_str() {
            "sent" => c.sent += n,
            "blocked" => c.blocked += n,
            "failed" => c.failed += n,
            "cancelled" => c.cancelled += n,
            _ => c.waiting += n,
        }
    }
    Ok(c)
}

/// A recipient in a report: their name and, for parents, their children and classes (to phone them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub children: String,
}

fn people(conn: &Connection, sql: &str, id: AnnouncementId) -> anyhow::Result<Vec<Person>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([id], |r| {
        Ok(Person { name: r.get(0)?, children: r.get::<_, Option<String>>(1)?.unwrap_or_default() })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const CHILDREN: &str =
    "(SELECT group_concat(st.prefix || st.first_name || ' ' || st.last_name || ' (' || c.name || ')', ', ')
        FROM parent_students ps JOIN students st ON st.id = ps.student_id AND st.archived_at IS NULL
        JOIN classes c ON c.id = st.class_id WHERE ps.user_id = u.id)";

/// Who did not receive it (blocked the bot, failed after the retries, or revoked meanwhile).
pub fn not_received(conn: &Connection, id: AnnouncementId) -> anyhow::Result<Vec<Person>> {
    people(
        conn,
        &format!(
            "SELECT u.display_name, {CHILDREN} FROM outbox o JOIN users u ON u.id = o.user_id
             WHERE o.announcement_id = ?1 AND o.status IN ('blocked', 'failed', 'cancelled') ORDER BY u.display_name"
        ),
        id,
    )
}

/// Who has not pressed "รับทราบ" (delivered or not).
pub fn not_acknowledged(conn: &Connection, id: AnnouncementId) -> anyhow::Result<Vec<Person>> {
    people(
        conn,
        &format!(
            "SELECT u.display_name, {CHILDREN} FROM outbox o JOIN users u ON u.id = o.user_id
             WHERE o.announcement_id = ?1
               AND NOT EXISTS (SELECT 1 FROM announcement_acks a WHERE a.announcement_id = o.announcement_id
                               AND a.user_id = o.user_id)
             ORDER BY u.display_name"
        ),
        id,
    )
}

/// The newest announcement sent to `user` since `since` that they have not acknowledged.
pub fn newest_unacknowledged(
    conn: &Connection,
    user: UserId,
    since: DateTime<Utc>,
) -> anyhow::Result<Option<Announcement>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} JOIN (SELECT announcement_id AS aid, max(sent_at) AS at FROM outbox
                        WHERE user_id = ?1 AND status = 'sent' AND announcement_id IS NOT NULL AND sent_at >= ?2
                        GROUP BY announcement_id) r
              ON r.aid = announcements.id
         WHERE announcements.cancelled_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM announcement_acks k WHERE k.announcement_id = announcements.id AND k.user_id = ?1)
         ORDER BY r.at DESC, announcements.id DESC LIMIT 1"
    ))?;
    let rows = stmt.query_map(params![user, instant(since)], announcement_from)?.collect::<Result<Vec<_>, _>>()?;
    Ok(finish(rows)?.into_iter().next())
}

/// Finished broadcasts whose report message may still need its acknowledged count brought up to date.
pub fn recent_reports(conn: &Connection, since: DateTime<Utc>) -> anyhow::Result<Vec<Announcement>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE finished_at >= ?1 AND cancelled_at IS NULL AND progress_message_id IS NOT NULL ORDER BY id"
    ))?;
    let rows = stmt.query_map([instant(since)], announcement_from)?.collect::<Result<Vec<_>, _>>()?;
    finish(rows)
}

/// Remember the text a finished report shows now (its finishing time stays).
pub fn set_report_shown(conn: &Connection, id: AnnouncementId, shown: Option<&str>) -> anyhow::Result<()> {
    conn.execute("UPDATE announcements SET progress_shown = ?2 WHERE id = ?1", params![id, shown])?;
    Ok(())
}

/// What a person received, newest first: (announcement, when it reached them, whether they acknowledged).
pub fn received_by(
    conn: &Connection,
    user: UserId,
    limit: i64,
) -> anyhow::Result<Vec<(Announcement, DateTime<Utc>, bool)>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} JOIN (SELECT announcement_id AS aid, max(sent_at) AS at FROM outbox
                        WHERE user_id = ?1 AND status = 'sent' AND announcement_id IS NOT NULL GROUP BY announcement_id) r
              ON r.aid = announcements.id
         ORDER BY r.at DESC, announcements.id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![user, limit], |r| {
            let (a, send_at) = announcement_from(r)?;
            Ok((a, send_at))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = vec![];
    for a in finish(rows)? {
        let at: Option<String> = conn
            .query_row(
                "SELECT max(sent_at) FROM outbox WHERE announcement_id = ?1 AND user_id = ?2",
                params![a.id, user],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let at = at.map(|t| parse_instant(&t)).transpose()?.unwrap_or(a.send_at);
        let acked = conn
            .query_row(
                "SELECT 1 FROM announcement_acks WHERE announcement_id = ?1 AND user_id = ?2",
                params![a.id, user],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        out.push((a, at, acked));
    }
    Ok(out)
}

/// The announcements a person made, newest first.
pub fn made_by(conn: &Connection, user: UserId, limit: i64) -> anyhow::Result<Vec<Announcement>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE created_by = ?1 ORDER BY id DESC LIMIT ?2"))?;
    let rows = stmt.query_map(params![user, limit], announcement_from)?.collect::<Result<Vec<_>, _>>()?;
    finish(rows)
}
