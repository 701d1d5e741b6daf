//! People who use the bot: their role, their classes (teachers), their children (parents), their settings.

use super::students::{ClassId, ClassRow, StudentId, StudentRow};
use crate::domain::{Role, TelegramId, UserId};
use crate::l10n::Lang;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: UserId,
    pub telegram_id: TelegramId,
    pub chat_id: i64,
    pub display_name: String,
    pub username: Option<String>,
    pub role: Role,
    pub revoked: bool,
    pub lang: Lang,
    pub joined_at: String,
}

const USER_SELECT: &str = "SELECT u.id, u.telegram_id, u.chat_id, u.display_name, u.username, u.role,
        u.revoked_at IS NOT NULL, coalesce(s.lang, 'th'), u.created_at
        FROM users u LEFT JOIN user_settings s ON s.user_id = u.id";

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    let role: String = r.get(5)?;
    let lang: String = r.get(7)?;
    Ok(UserRow {
        id: UserId(r.get(0)?),
        telegram_id: TelegramId(r.get(1)?),
        chat_id: r.get(2)?,
        display_name: r.get(3)?,
        username: r.get(4)?,
        // The CHECK constraint keeps `role` to known values.
        role: role
            .parse()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e)))?,
        revoked: r.get(6)?,
        lang: Lang::from_code(&lang).unwrap_or_default(),
        joined_at: r.get(8)?,
    })
}

pub fn find_by_telegram(conn: &Connection, telegram_id: TelegramId) -> anyhow::Result<Option<UserRow>> {
    Ok(conn.query_row(&format!("{USER_SELECT} WHERE u.telegram_id = ?1"), [telegram_id.0], user_from_row).optional()?)
}

pub fn get(conn: &Connection, id: UserId) -> anyhow::Result<Option<UserRow>> {
    Ok(conn.query_row(&format!("{USER_SELECT} WHERE u.id = ?1"), [id.0], user_from_row).optional()?)
}

/// Find a person the way an admin names them on the command line: `12` or `#12` (our id, as `dulae users`
/// prints it), `@username`, or `tg:123456789` (Telegram id).
pub fn find_by_handle(conn: &Connection, handle: &str) -> anyhow::Result<Option<UserRow>> {
    let handle = handle.trim();
    if let Some(name) = handle.strip_prefix('@') {
        return Ok(conn
            .query_row(&format!("{USER_SELECT} WHERE lower(u.username) = lower(?1)"), [name], user_from_row)
            .optional()?);
    }
    if let Some(tg) = handle.strip_prefix("tg:").and_then(|n| n.parse::<i64>().ok()) {
        return find_by_telegram(conn, TelegramId(tg));
    }
    match handle.trim_start_matches('#').parse::<i64>() {
        Ok(id) => get(conn, UserId(id)),
        Err(_) => Ok(None),
    }
}

/// Everyone, staff first, then by name.
pub fn list(conn: &Connection) -> anyhow::Result<Vec<UserRow>> {
    let mut stmt = conn.prepare(&format!(
        "{USER_SELECT} ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'head' THEN 1 WHEN 'counselor' THEN 2
                              WHEN 'teacher' THEN 3 ELSE 4 END, u.display_name"
    ))?;
    let rows = stmt.query_map([], user_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub struct Joining<'a> {
    pub telegram_id: TelegramId,
    pub chat_id: i64,
    pub display_name: &'a str,
    pub username: Option<&'a str>,
    pub role: Role,
    pub lang: Lang,
}

/// Create the person, or give an existing one the new role. Never re-activates a revoked person: only
/// [`reinstate`] does that (the caller refuses revoked people before getting here).
pub fn upsert(conn: &Connection, j: &Joining<'_>, now: DateTime<Utc>) -> anyhow::Result<UserId> {
    let now = super::instant(now);
    let existing: Option<i64> =
        conn.query_row("SELECT id FROM users WHERE telegram_id = ?1", [j.telegram_id.0], |r| r.get(0)).optional()?;
    let id = match existing {
        Some(id) => {
            conn.execute(
                "UPDATE users SET chat_id = ?2, display_name = ?3, username = ?4, role = ?5, unreachable_at = NULL
                 WHERE id = ?1",
                params![id, j.chat_id, j.display_name, j.username, j.role.as_str()],
            )?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO users (telegram_id, chat_id, display_name, username, role, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![j.telegram_id.0, j.chat_id, j.display_name, j.username, j.role.as_str(), now],
            )?;
            let id = conn.last_insert_rowid();
            conn.execute("INSERT INTO user_settings (user_id, lang) VALUES (?1, ?2)", params![id, j.lang.code()])?;
            id
        }
    };
    Ok(UserId(id))
}

pub fn add_class(conn: &Connection, user: UserId, class: ClassId) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO teacher_classes (user_id, class_id) VALUES (?1, ?2)",
        params![user.0, class.0],
    )?;
    Ok(())
}

/// The classes a teacher looks after, in school order.
pub fn classes_of(conn: &Connection, user: UserId) -> anyhow::Result<Vec<ClassRow>> {
    let mut stmt = conn.prepare("SELECT class_id FROM teacher_classes WHERE user_id = ?1")?;
    let ids: Vec<i64> = stmt.query_map([user.0], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut classes = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(class) = super::students::get_class(conn, ClassId(id))? {
            classes.push(class);
        }
    }
    classes.sort_by_key(|c| c.name);
    Ok(classes)
}

pub fn link_parent(
    conn: &Connection,
    user: UserId,
    student: StudentId,
    invite: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO parent_students (user_id, student_id, linked_at, invite_id) VALUES (?1, ?2, ?3, ?4)",
        params![user.0, student.0, super::instant(now), invite],
    )?;
    Ok(())
}

pub fn children_of(conn: &Connection, user: UserId) -> anyhow::Result<Vec<StudentRow>> {
    let mut stmt = conn.prepare("SELECT student_id FROM parent_students WHERE user_id = ?1 ORDER BY student_id")?;
    let ids: Vec<i64> = stmt.query_map([user.0], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut children = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(s) = super::students::get_student(conn, StudentId(id))? {
            children.push(s);
        }
    }
    Ok(children)
}

pub fn set_lang(conn: &Connection, user: UserId, lang: Lang) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO user_settings (user_id, lang) VALUES (?1, ?2) ON CONFLICT(user_id) DO UPDATE SET lang = excluded.lang",
        params![user.0, lang.code()],
    )?;
    Ok(())
}

/// Remove access at once. Their rows stay (the audit log and care records point at them).
pub fn revoke(conn: &Connection, user: UserId, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let changed = conn.execute(
        "UPDATE users SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![user.0, super::instant(now)],
    )?;
    Ok(changed > 0)
}

/// Give access back to a revoked person (the role only; a teacher's classes are assigned again).
pub fn reinstate(conn: &Connection, user: UserId) -> anyhow::Result<bool> {
    let changed =
        conn.execute("UPDATE users SET revoked_at = NULL WHERE id = ?1 AND revoked_at IS NOT NULL", [user.0])?;
    Ok(changed > 0)
}

/// Remove one class from a teacher. Returns whether they had it.
pub fn remove_class(conn: &Connection, user: UserId, class: ClassId) -> anyhow::Result<bool> {
    let changed =
        conn.execute("DELETE FROM teacher_classes WHERE user_id = ?1 AND class_id = ?2", params![user.0, class.0])?;
    Ok(changed > 0)
}

/// End every class assignment of a teacher. Returns how many ended.
pub fn end_all_classes(conn: &Connection, user: UserId) -> anyhow::Result<usize> {
    Ok(conn.execute("DELETE FROM teacher_classes WHERE user_id = ?1", [user.0])?)
}

/// The parents linked to a student who still have access, in the order they joined.
pub fn linked_parents(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<UserRow>> {
    let mut stmt = conn.prepare(&format!(
        "{USER_SELECT} JOIN parent_students ps ON ps.user_id = u.id
         WHERE ps.student_id = ?1 AND u.revoked_at IS NULL ORDER BY ps.linked_at, u.id"
    ))?;
    let rows = stmt.query_map([student.0], user_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Unlink a parent from a student (the place is free again). Returns whether they were linked.
pub fn unlink_parent(conn: &Connection, user: UserId, student: StudentId) -> anyhow::Result<bool> {
    let changed =
        conn.execute("DELETE FROM parent_students WHERE user_id = ?1 AND student_id = ?2", params![user.0, student.0])?;
    Ok(changed > 0)
}
