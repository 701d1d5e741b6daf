//! Invite rows. Only a hash of each code is stored.

use super::students::{ClassId, StudentId};
use crate::domain::{Role, UserId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub use crate::domain::ids::InviteId;

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
    /// Voided before use (its maker was revoked, its student left, the slips were printed again, …).
    pub voided: bool,
    /// Who made it; `None` for the command line.
    pub created_by: Option<UserId>,
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
    type Raw = (i64, String, Option<String>, Option<i64>, String, bool, bool, Option<i64>);
    let row: Option<Raw> = conn
        .query_row(
            "SELECT id, role, display_name, student_id, expires_at, used_at IS NOT NULL, voided_at IS NOT NULL,
                    created_by
             FROM invites WHERE code_hash = ?1",
            [code_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .optional()?;
    let Some((id, role, display_name, student, expires_at, used, voided, created_by)) = row else {
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
        voided,
        created_by: created_by.map(UserId),
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

/// Parent invites of a student that still work (unused, not voided, unexpired): the live codes.
pub fn open_parent_invites(conn: &Connection, student: StudentId, now: DateTime<Utc>) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM invites
         WHERE student_id = ?1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?2",
        params![student.0, super::instant(now)],
        |r| r.get(0),
    )?)
}

/// Why an invite was voided (stored, and shown in the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoidReason {
    /// The person who made it was revoked.
    MakerRevoked,
    /// The slips of the student were printed again: the new slip replaces the old one.
    Reprinted,
    /// The student left the school (archived).
    StudentArchived,
    /// A new school year started: class grants of the old year end.
    Rollover,
    /// A parent place was freed or changed by a teacher.
    Freed,
}

impl VoidReason {
    pub fn as_str(self) -> &'static str {
        match self {
            VoidReason::MakerRevoked => "revoked",
            VoidReason::Reprinted => "reprinted",
            VoidReason::StudentArchived => "student_archived",
            VoidReason::Rollover => "rollover",
            VoidReason::Freed => "freed",
        }
    }
}

const UNUSED: &str = "used_at IS NULL AND voided_at IS NULL";

fn void_where(
    conn: &Connection,
    condition: &str,
    p: &[&dyn rusqlite::ToSql],
    reason: VoidReason,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let sql = format!("UPDATE invites SET voided_at = ?1, void_reason = ?2 WHERE {UNUSED} AND {condition}");
    let now = super::instant(now);
    let reason = reason.as_str();
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&now, &reason];
    params.extend_from_slice(p);
    Ok(conn.execute(&sql, params.as_slice())?)
}

/// Void every unused invite this person made (staff invites and parent slips alike).
pub fn void_made_by(conn: &Connection, user: UserId, reason: VoidReason, now: DateTime<Utc>) -> anyhow::Result<usize> {
    void_where(conn, "created_by = ?3", &[&user.0], reason, now)
}

/// Void every unused parent code of a student.
pub fn void_for_student(
    conn: &Connection,
    student: StudentId,
    reason: VoidReason,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    void_where(conn, "student_id = ?3", &[&student.0], reason, now)
}

/// Void every unused teacher invite that grants classes (a class of the old year means other children).
pub fn void_class_invites(conn: &Connection, reason: VoidReason, now: DateTime<Utc>) -> anyhow::Result<usize> {
    void_where(conn, "id IN (SELECT invite_id FROM invite_classes)", &[], reason, now)
}

/// Unused class invites (what [`void_class_invites`] would void), for `--check`.
pub fn count_class_invites(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM invites WHERE {UNUSED} AND id IN (SELECT invite_id FROM invite_classes)"),
        [],
        |r| r.get(0),
    )?)
}
