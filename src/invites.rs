//! Invites: how staff and parents join. A code is single use, expires, and is stored only as a hash.

use crate::domain::{ClassName, Role, TelegramId, UserId};
use crate::l10n::Lang;
use crate::store::audit::{self, Actor, Entry};
use crate::store::invites::{self as rows, NewInvite};
use crate::store::students::{self, ClassId, StudentId};
use crate::store::{Store, users};
use anyhow::Context as _;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// A freshly made invite code: 128 random bits, url-safe base64 (22 characters, fits Telegram's 64-character
/// `start` parameter).
#[derive(Clone, PartialEq, Eq)]
pub struct InviteCode(String);

impl std::fmt::Debug for InviteCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteCode(***)")
    }
}

impl InviteCode {
    pub fn generate() -> anyhow::Result<InviteCode> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness from the operating system: {e}"))?;
        Ok(InviteCode(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Only what could be a code of ours is looked up: url-safe characters, at most 64 of them.
fn plausible(code: &str) -> bool {
    !code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn hash(code: &str) -> String {
    let digest = Sha256::digest(code.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `https://t.me/<bot>?start=<code>`, or the command to type when the bot's username is not known.
pub fn join_instructions(bot_username: Option<&str>, code: &InviteCode) -> String {
    match bot_username {
        Some(name) => format!("https://t.me/{name}?start={}", code.as_str()),
        None => format!("/start {}", code.as_str()),
    }
}

#[derive(Debug)]
pub struct Created {
    pub code: InviteCode,
    pub expires_at: DateTime<Utc>,
}

/// What a staff invite is for.
#[derive(Debug, Clone)]
pub struct StaffInvite {
    pub role: Role,
    pub classes: Vec<ClassName>,
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("parents are invited per student: use `dulae invite parents --class …`")]
    ParentNeedsStudent,
    #[error("a teacher invite needs at least one class (--class ป.4/1)")]
    TeacherNeedsClass,
    #[error("only teachers are tied to classes")]
    ClassesOnlyForTeachers,
    #[error("the name is too long (at most 100 characters)")]
    NameTooLong,
}

impl crate::domain::refusal::Refusal for InviteError {
    fn message_id(&self) -> &'static str {
        match self {
            InviteError::ParentNeedsStudent => "ops-invite-parent-per-student",
            InviteError::TeacherNeedsClass => "ops-invite-teacher-needs-class",
            InviteError::ClassesOnlyForTeachers => "ops-invite-classes-only-teachers",
            InviteError::NameTooLong => "ops-invite-name-too-long",
        }
    }
}

pub fn create_staff(
    store: &Store,
    by: Actor,
    invite: &StaffInvite,
    days: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Created, InviteError>> {
    store.write_or_refuse(|tx| create_staff_in(tx, by, invite, days, now))
}

/// [`create_staff`] inside the caller's transaction. The rules are checked before anything is written, so a
/// refusal leaves the transaction as it was.
pub fn create_staff_in(
    tx: &rusqlite::Transaction<'_>,
    by: Actor,
    invite: &StaffInvite,
    days: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Created, InviteError>> {
    if invite.role == Role::Parent {
        return Ok(Err(InviteError::ParentNeedsStudent));
    }
    if invite.role == Role::Teacher && invite.classes.is_empty() {
        return Ok(Err(InviteError::TeacherNeedsClass));
    }
    if invite.role != Role::Teacher && !invite.classes.is_empty() {
        return Ok(Err(InviteError::ClassesOnlyForTeachers));
    }
    let name = invite.display_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > 100) {
        return Ok(Err(InviteError::NameTooLong));
    }
    let mut class_ids = Vec::new();
    for class in &invite.classes {
        class_ids.push(students::ensure_class(tx, class, now)?);
    }
    let detail = serde_json::json!({
        "role": invite.role.as_str(),
        "classes": invite.classes.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    let draft = Draft { role: invite.role, display_name: name, student: None, classes: class_ids, detail };
    write(tx, by, draft, days, now).map(Ok)
}

/// A single-use invite for one guardian of `student`, on its own. Slips for a class go through
/// [`crate::announce::slips::make_class_slips`], which keeps to the parent places of each child.
pub fn create_parent(
    store: &Store,
    by: Actor,
    student: StudentId,
    days: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Created> {
    store.write(|tx| create_parent_in(tx, by, student, days, now))
}

/// [`create_parent`] inside the caller's transaction.
pub fn create_parent_in(
    tx: &rusqlite::Transaction<'_>,
    by: Actor,
    student: StudentId,
    days: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Created> {
    students::get_student(tx, student)?.with_context(|| format!("no student with id {}", student.0))?;
    let detail = serde_json::json!({ "role": "parent", "student": student.0 });
    let draft = Draft { role: Role::Parent, display_name: None, student: Some(student), classes: vec![], detail };
    write(tx, by, draft, days, now)
}

/// What an invite is for, checked by the caller.
struct Draft<'a> {
    role: Role,
    display_name: Option<&'a str>,
    student: Option<StudentId>,
    classes: Vec<ClassId>,
    detail: serde_json::Value,
}

/// Make the code, store its hash and audit it, inside the caller's transaction.
fn write(
    tx: &rusqlite::Transaction<'_>,
    by: Actor,
    draft: Draft<'_>,
    days: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Created> {
    let code = InviteCode::generate()?;
    let expires_at = now + Duration::days(days);
    let id = rows::insert(
        tx,
        &NewInvite {
            code_hash: &hash(code.as_str()),
            role: draft.role,
            display_name: draft.display_name,
            student: draft.student,
            created_by: actor_user(by),
            created_at: now,
            expires_at,
        },
        &draft.classes,
    )?;
    audit::record(
        tx,
        now,
        Entry {
            actor: by,
            action: "invite.create",
            entity: "invite",
            entity_id: Some(id.0.to_string()),
            detail: Some(draft.detail),
        },
    )?;
    Ok(Created { code, expires_at })
}

fn actor_user(actor: Actor) -> Option<UserId> {
    match actor {
        Actor::User(id) => Some(id),
        Actor::Cli | Actor::System => None,
    }
}

/// The Telegram account that opened the link.
#[derive(Debug, Clone)]
pub struct Joiner {
    pub telegram_id: TelegramId,
    pub chat_id: i64,
    pub display_name: String,
    pub username: Option<String>,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// The person now has `role` (and these classes, or this child).
    Joined {
        user: UserId,
        role: Role,
        classes: Vec<String>,
        child: Option<String>,
    },
    AlreadyUsed,
    /// The code was used by this very person (parents scan their slip twice): nothing changes, and they are
    /// greeted as who they are.
    UsedByYou,
    Expired,
    Unknown,
    /// The code exists but may not be used; nothing was changed.
    Refused(Refusal),
}

/// Why a valid-looking code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The code was voided (printed again, its maker left, the year rolled over, …).
    Voided,
    /// The person opening it was revoked: only an admin's `dulae staff reinstate` gives access back.
    Revoked,
    /// The child has left the school (archived).
    StudentLeft,
    /// Every parent place of the child is taken; a teacher frees one with /parents.
    PlacesTaken,
}

impl Refusal {
    /// The message the person reads.
    pub fn message_id(self) -> &'static str {
        match self {
            Refusal::Voided => "invite-voided",
            Refusal::Revoked => "invite-refused-revoked",
            Refusal::StudentLeft => "invite-student-left",
            Refusal::PlacesTaken => "invite-places-taken",
        }
    }
}

impl crate::domain::refusal::Refusal for Refusal {
    fn message_id(&self) -> &'static str {
        Refusal::message_id(*self)
    }
}

/// Use an invite code. All or nothing: the person, their classes or child, the used mark and the audit row are
/// written in one transaction. `parent_places` is how many parents may be linked to one child
/// (`DULAE_PARENTS_PER_STUDENT`).
pub fn redeem(
    store: &Store,
    code: &str,
    joiner: &Joiner,
    parent_places: u8,
    now: DateTime<Utc>,
) -> anyhow::Result<Redeemed> {
    store.write(|tx| redeem_in(tx, code, joiner, parent_places, now))
}

/// [`redeem`] inside the caller's transaction (the chat's unit of work).
///
/// A revoked person is never re-activated by an invite of any kind (only `dulae staff reinstate` does that); a
/// voided code, a code whose maker was revoked and a code of a child who left never work; a child whose parent
/// places are all taken gets no further parent.
pub fn redeem_in(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    joiner: &Joiner,
    parent_places: u8,
    now: DateTime<Utc>,
) -> anyhow::Result<Redeemed> {
    let code = code.trim();
    if !plausible(code) {
        return Ok(Redeemed::Unknown);
    }
    let Some(invite) = rows::find_by_hash(tx, &hash(code))? else {
        return Ok(Redeemed::Unknown);
    };
    if invite.used {
        let me = users::find_by_telegram(tx, joiner.telegram_id)?.filter(|u| !u.revoked);
        return Ok(match me {
            Some(me) if rows::used_by(tx, invite.id)? == Some(me.id) => Redeemed::UsedByYou,
            _ => Redeemed::AlreadyUsed,
        });
    }
    let existing = users::find_by_telegram(tx, joiner.telegram_id)?;
    if let Some(person) = existing.as_ref().filter(|u| u.revoked) {
        // The school should know: it may be a former colleague trying to get back in.
        audit::record(
            tx,
            now,
            Entry {
                actor: Actor::User(person.id),
                action: "invite.refused",
                entity: "invite",
                entity_id: Some(invite.id.0.to_string()),
                detail: Some(serde_json::json!({ "reason": "revoked" })),
            },
        )?;
        return Ok(Redeemed::Refused(Refusal::Revoked));
    }
    let maker_revoked = match invite.created_by {
        Some(maker) => users::get(tx, maker)?.is_some_and(|m| m.revoked),
        None => false,
    };
    if invite.voided || maker_revoked {
        return Ok(Redeemed::Refused(Refusal::Voided));
    }
    if invite.expires_at <= now {
        return Ok(Redeemed::Expired);
    }
    if let Some(student) = invite.student {
        let Some(child) = students::get_student(tx, student)? else {
            return Ok(Redeemed::Unknown);
        };
        if child.archived {
            return Ok(Redeemed::Refused(Refusal::StudentLeft));
        }
        let already_linked = match &existing {
            Some(u) => users::children_of(tx, u.id)?.iter().any(|c| c.id == student),
            None => false,
        };
        if !already_linked && users::linked_parents(tx, student)?.len() >= usize::from(parent_places.max(1)) {
            return Ok(Redeemed::Refused(Refusal::PlacesTaken));
        }
    }
    // A parent invite never lowers a staff member's role: a teacher whose own child studies here keeps
    // the teacher role and also gets the child linked.
    let role = match (&existing, invite.role) {
        (Some(user), Role::Parent) if user.role.is_staff() => user.role,
        (_, role) => role,
    };
    let name = invite.display_name.clone().unwrap_or_else(|| joiner.display_name.clone());
    let user = users::upsert(
        tx,
        &users::Joining {
            telegram_id: joiner.telegram_id,
            chat_id: joiner.chat_id,
            display_name: &name,
            username: joiner.username.as_deref(),
            role,
            lang: joiner.lang,
        },
        now,
    )?;
    if !rows::mark_used(tx, invite.id, user, now)? {
        return Ok(Redeemed::AlreadyUsed);
    }
    let mut classes = Vec::new();
    for class in &invite.classes {
        users::add_class(tx, user, *class)?;
        if let Some(row) = students::get_class(tx, *class)? {
            classes.push(row.name.to_string());
        }
    }
    let mut child = None;
    if let Some(student) = invite.student {
        users::link_parent(tx, user, student, Some(invite.id.0), now)?;
        child = students::get_student(tx, student)?.map(|s| s.full_name());
    }
    audit::record(
        tx,
        now,
        Entry {
            actor: Actor::User(user),
            action: "invite.redeem",
            entity: "invite",
            entity_id: Some(invite.id.0.to_string()),
            detail: Some(serde_json::json!({ "role": role.as_str() })),
        },
    )?;
    Ok(Redeemed::Joined { user, role, classes, child })
}

/// The ids of classes for an invite chosen by buttons (used by the chat flow).
pub fn class_names(conn: &rusqlite::Connection, ids: &[ClassId]) -> anyhow::Result<Vec<ClassName>> {
    let mut names = Vec::new();
    for id in ids {
        if let Some(row) = students::get_class(conn, *id)? {
            names.push(row.name);
        }
    }
    Ok(names)
}
