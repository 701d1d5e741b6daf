//! Invite rows. Only a hash of each code is stored.

use super::students::{ClassId, StudentId};
use crate::domain::{Role, UserId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteId(pub i64);

pub struct NewInvite<'a> {
    pub code_hash: &'a str,
    pub role: Role,
    pub display_name: Option<&'a str>,
    pub student: Option<StudentId>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRow {
    pub id: InviteId,
    pub role: Role,
    pub display_name: Option<String>,
    pub student: Option<StudentId>,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    pub classes: Vec<ClassId>,
}

pub fn insert(conn: &Connection, invite: &NewInvite<'_>, classes: &[ClassId]) -> anyhow::Result<InviteId> {
    conn.execute(
        "INSERT INTO invites (code_hash, role, display_name, student_id, created_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            invite.code_hash,
            invite.role.as_str(),
            invite.display_name,
            invite.student.map(|s| s.0),
            invite.created_by.map(|u| u.0),
            super::instant(invite.created_at),
            super::instant(invite.expires_at)
        ],
    )?;
    let id = conn.last_insert_rowid();
    for class in classes {
        conn.execute(
            "INSERT OR IGNORE INTO invite_classes (invite_id, class_id) VALUES (?1, ?2)",
            params![id, class.0],
        )?;
    }
    Ok(InviteId(id))
}

pub fn find_by_hash(conn: &Connection, code_hash: &str) -> anyhow::Result<Option<InviteRow>> {
    type Raw = (i64, String, Option<String>, Option<i64>, String, bool);
    let row: Option<Raw> = conn
        .query_row(
            "SELECT id, role, display_name, student_id, expires_at, used_at IS NOT NULL FROM invites WHERE code_hash = ?1",
            [code_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((id, role, display_name, student, expires_at, used)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare("SELECT class_id FROM invite_classes WHERE invite_id = ?1 ORDER BY class_id")?;
    let classes = stmt.query_map([id], |r| r.get(0).map(ClassId))?.collect::<Result<_, _>>()?;
    Ok(Some(InviteRow {
        id: InviteId(id),
        role: role.parse()?,
        display_name,
        student: student.map(StudentId),
        expires_at: super::parse_instant(&expires_at)?,
        used,
        classes,
    }))
}

/// Mark the invite used by `user`. Returns false if someone else used it first.
/// Who used an invite, if anyone.
pub fn used_by(conn: &Connection, id: InviteId) -> anyhow::Result<Option<UserId>> {
    let user: Option<i64> = conn.query_row("SELECT used_by FROM invites WHERE id = ?1", [id.0], |r| r.get(0))?;
    Ok(user.map(UserId))
}

pub fn mark_used(conn: &Connection, id: InviteId, user: UserId, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let changed = conn.execute(
        "UPDATE invites SET used_at = ?2, used_by = ?3 WHERE id = ?1 AND used_at IS NULL",
        params![id.0, super::instant(now), user.0],
    )?;
    Ok(changed == 1)
}

/// Parent invites of a student that are still open (unused, unexpired).
pub fn open_parent_invites(conn: &Connection, student: StudentId, now: DateTime<Utc>) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM invites WHERE student_id = ?1 AND used_at IS NULL AND expires_at > ?2",
        params![student.0, super::instant(now)],
        |r| r.get(0),
    )?)
}
