//! Staff changes: who teaches which class, and access that ends with a role.
//!
//! One module for the command line (`dulae staff …`, `dulae revoke`) and the admin's `/staff` in the chat.
//! A teacher's classes are set *exactly* (removing as well as adding); revoking ends every class assignment,
//! voids the unused invites the person made, hands their open cases and plan actions to the counsellor (else
//! the head) and stops everything still waiting to be sent to them. Only [`reinstate`] gives access back.
//! Every change is one transaction and goes to the audit log.

pub mod cli;

use crate::care::cases::{self, Ctx, HandedOver};
use crate::domain::refusal::Refusal;
use crate::domain::{ClassName, Role, UserId};
use crate::l10n::{Args, Tr};
use crate::store::audit::{self, Actor, Entry};
use crate::store::invites::{self as invite_rows, VoidReason};
use crate::store::students::{self, ClassId, ClassRow};
use crate::store::users::{self, UserRow};
use crate::store::{Store, conversations};
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};

/// Something the admin asked that cannot be done, in words for them. A refusal: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("no person {0:?}; see `dulae staff list` for ids")]
    NoSuchPerson(String),
    #[error("{name} is a {role}, not a teacher: only teachers have classes")]
    NotATeacher { name: String, role: Role },
    #[error("{0}'s access is revoked; reinstate them first")]
    Revoked(String),
    #[error("class {0} is not in the roster; import the roster for it first")]
    UnknownClass(String),
    #[error("{0} does not have class {1}")]
    NotTheirClass(String, String),
    #[error("{0} has access already")]
    NotRevoked(String),
    #[error("you cannot revoke your own access")]
    OwnAccess,
}

impl Refusal for StaffError {
    fn message_id(&self) -> &'static str {
        match self {
            StaffError::NoSuchPerson(_) => "staff-error-no-person",
            StaffError::NotATeacher { .. } => "staff-error-not-teacher",
            StaffError::Revoked(_) => "staff-error-revoked",
            StaffError::UnknownClass(_) => "staff-error-unknown-class",
            StaffError::NotTheirClass(..) => "staff-error-not-their-class",
            StaffError::NotRevoked(_) => "staff-error-not-revoked",
            StaffError::OwnAccess => "staff-error-own-access",
        }
    }
}

impl StaffError {
    /// The message in the reader's language (the command line and the chat), with the names it is about.
    pub fn localized(&self, tr: Tr<'_>) -> String {
        match self {
            StaffError::NoSuchPerson(who) => tr.with(self.message_id(), Args::new().str("who", who)),
            StaffError::NotATeacher { name, role } => {
                tr.with(self.message_id(), Args::new().str("name", name).str("role", tr.get(role.message_id())))
            }
            StaffError::Revoked(name) | StaffError::NotRevoked(name) => {
                tr.with(self.message_id(), Args::new().str("name", name))
            }
            StaffError::UnknownClass(class) => tr.with(self.message_id(), Args::new().str("class", class)),
            StaffError::NotTheirClass(name, class) => {
                tr.with(self.message_id(), Args::new().str("name", name).str("class", class))
            }
            StaffError::OwnAccess => tr.get(self.message_id()),
        }
    }
}

/// A person who works at the school (not a parent), with their classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLine {
    pub person: UserRow,
    pub classes: Vec<ClassRow>,
}

/// Everyone who is not a parent, active first, then by role and name, with their classes.
pub fn list(conn: &Connection) -> anyhow::Result<Vec<StaffLine>> {
    let mut out = Vec::new();
    for person in users::list(conn)?.into_iter().filter(|u| u.role != Role::Parent) {
        let classes = users::classes_of(conn, person.id)?;
        out.push(StaffLine { person, classes });
    }
    out.sort_by_key(|l| l.person.revoked);
    Ok(out)
}

/// Find a person as the admin names them: a users id (`12`, `#12`), `@username` or `tg:<telegram id>`.
pub fn find(conn: &Connection, who: &str) -> anyhow::Result<Result<UserRow, StaffError>> {
    Ok(users::find_by_handle(conn, who)?.ok_or_else(|| StaffError::NoSuchPerson(who.trim().to_string())))
}

/// A teacher's classes before and after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub person: UserRow,
    pub before: Vec<ClassName>,
    pub after: Vec<ClassName>,
}

fn names(classes: &[ClassRow]) -> Vec<ClassName> {
    classes.iter().map(|c| c.name).collect()
}

fn teacher(person: &UserRow) -> Result<(), StaffError> {
    if person.revoked {
        return Err(StaffError::Revoked(person.display_name.clone()));
    }
    if person.role != Role::Teacher {
        return Err(StaffError::NotATeacher { name: person.display_name.clone(), role: person.role });
    }
    Ok(())
}

fn class_ids(conn: &Connection, classes: &[ClassName]) -> anyhow::Result<Result<Vec<ClassId>, StaffError>> {
    let mut ids = Vec::new();
    for class in classes {
        let Some(id) = students::find_class(conn, class)? else {
            return Ok(Err(StaffError::UnknownClass(class.to_string())));
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(Ok(ids))
}

fn audit_classes(
    tx: &Transaction<'_>,
    by: Actor,
    action: &str,
    change: &Assigned,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let text = |c: &[ClassName]| c.iter().map(ToString::to_string).collect::<Vec<_>>();
    audit::record(
        tx,
        now,
        Entry {
            actor: by,
            action,
            entity: "user",
            entity_id: Some(change.person.id.to_string()),
            detail: Some(serde_json::json!({ "before": text(&change.before), "after": text(&change.after) })),
        },
    )
}

/// Set a teacher's classes to exactly `classes`, inside the caller's transaction. The access rule reads
/// these rows at every press, so a class taken away is closed at the teacher's next tap.
pub fn set_classes(
    tx: &Transaction<'_>,
    by: Actor,
    person: &UserRow,
    classes: &[ClassId],
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Assigned, StaffError>> {
    if let Err(refused) = teacher(person) {
        return Ok(Err(refused));
    }
    let before = names(&users::classes_of(tx, person.id)?);
    users::end_all_classes(tx, person.id)?;
    for class in classes {
        users::add_class(tx, person.id, *class)?;
    }
    let after = names(&users::classes_of(tx, person.id)?);
    let change = Assigned { person: person.clone(), before, after };
    audit_classes(tx, by, "staff.assign", &change, now)?;
    Ok(Ok(change))
}

/// `dulae staff assign WHO --class ป.5/1 [--class …]`: the teacher's classes become exactly these.
pub fn assign(
    store: &Store,
    by: Actor,
    who: &str,
    classes: &[ClassName],
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Assigned, StaffError>> {
    store.write_or_refuse(|tx| {
        let person = match find(tx, who)? {
            Ok(person) => person,
            Err(refused) => return Ok(Err(refused)),
        };
        if let Err(refused) = teacher(&person) {
            return Ok(Err(refused));
        }
        match class_ids(tx, classes)? {
            Ok(ids) => set_classes(tx, by, &person, &ids, now),
            Err(refused) => Ok(Err(refused)),
        }
    })
}

/// `dulae staff unassign WHO [--class K]`: remove one class, or every class without `--class`.
pub fn unassign(
    store: &Store,
    by: Actor,
    who: &str,
    class: Option<&ClassName>,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Assigned, StaffError>> {
    store.write_or_refuse(|tx| {
        let person = match find(tx, who)? {
            Ok(person) => person,
            Err(refused) => return Ok(Err(refused)),
        };
        let before = names(&users::classes_of(tx, person.id)?);
        match class {
            Some(class) => {
                let id = match students::find_class(tx, class)? {
                    Some(id) => id,
                    None => return Ok(Err(StaffError::UnknownClass(class.to_string()))),
                };
                if !users::remove_class(tx, person.id, id)? {
                    return Ok(Err(StaffError::NotTheirClass(person.display_name.clone(), class.to_string())));
                }
            }
            None => {
                users::end_all_classes(tx, person.id)?;
            }
        }
        let after = names(&users::classes_of(tx, person.id)?);
        let change = Assigned { person, before, after };
        audit_classes(tx, by, "staff.unassign", &change, now)?;
        Ok(Ok(change))
    })
}

/// What revoking did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub person: UserRow,
    /// They had no access already: nothing was changed.
    pub already: bool,
    pub classes_ended: usize,
    pub invites_voided: usize,
    pub handed: HandedOver,
    /// The name of who received their cases and actions.
    pub successor: Option<String>,
}

/// Revoke a person's access, inside the caller's transaction: access ends, classes end, unused invites they
/// made are voided (a slip they printed no longer works), open cases and plan actions go to the counsellor
/// (else the head) with a notification and a chronology entry, and nothing more is sent to them.
pub fn revoke_person(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    by: Actor,
    person: &UserRow,
) -> anyhow::Result<Result<Revoked, StaffError>> {
    if by == Actor::User(person.id) {
        return Ok(Err(StaffError::OwnAccess));
    }
    let mut outcome = Revoked {
        person: person.clone(),
        already: person.revoked,
        classes_ended: 0,
        invites_voided: 0,
        handed: HandedOver::default(),
        successor: None,
    };
    if person.revoked {
        return Ok(Ok(outcome));
    }
    users::revoke(tx, person.id, ctx.now)?;
    let revoked = users::get(tx, person.id)?.context("a person revoked a moment ago is not there")?;
    outcome.classes_ended = users::end_all_classes(tx, person.id)?;
    outcome.invites_voided = invite_rows::void_made_by(tx, person.id, VoidReason::MakerRevoked, ctx.now)?;
    conversations::clear(tx, person.chat_id)?;
    crate::notify::outbox::cancel_for_user(tx, person.id)?;
    let by_user = match by {
        Actor::User(id) => Some(id),
        Actor::Cli | Actor::System => None,
    };
    outcome.handed = cases::hand_over_work(tx, ctx, &revoked, by_user)?;
    if let Some(to) = outcome.handed.to {
        outcome.successor = users::get(tx, to)?.map(|u| u.display_name);
    }
    audit::record(
        tx,
        ctx.now,
        Entry {
            actor: by,
            action: "user.revoke",
            entity: "user",
            entity_id: Some(person.id.to_string()),
            detail: Some(serde_json::json!({
                "classes_ended": outcome.classes_ended,
                "invites_voided": outcome.invites_voided,
                "cases_handed_over": outcome.handed.cases.len(),
                "actions_handed_over": outcome.handed.actions.len(),
                "to": outcome.handed.to.map(|u| u.0),
            })),
        },
    )?;
    Ok(Ok(outcome))
}

/// `dulae staff revoke WHO` (and its alias `dulae revoke WHO`).
pub fn revoke(store: &Store, ctx: &Ctx<'_>, by: Actor, who: &str) -> anyhow::Result<Result<Revoked, StaffError>> {
    store.write_or_refuse(|tx| match find(tx, who)? {
        Ok(person) => revoke_person(tx, ctx, by, &person),
        Err(refused) => Ok(Err(refused)),
    })
}

/// Give a revoked person their role back, inside the caller's transaction. Classes are not restored: the
/// admin assigns them again (they may have changed meanwhile).
pub fn reinstate_person(
    tx: &Transaction<'_>,
    by: Actor,
    person: &UserRow,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<UserRow, StaffError>> {
    if !users::reinstate(tx, person.id)? {
        return Ok(Err(StaffError::NotRevoked(person.display_name.clone())));
    }
    audit::record(
        tx,
        now,
        Entry {
            actor: by,
            action: "user.reinstate",
            entity: "user",
            entity_id: Some(person.id.to_string()),
            detail: Some(serde_json::json!({ "role": person.role.as_str() })),
        },
    )?;
    let reinstated = users::get(tx, person.id)?.context("a person reinstated a moment ago is not there")?;
    Ok(Ok(reinstated))
}

/// `dulae staff reinstate WHO`: only an admin gives access back.
pub fn reinstate(
    store: &Store,
    by: Actor,
    who: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<UserRow, StaffError>> {
    store.write_or_refuse(|tx| match find(tx, who)? {
        Ok(person) => reinstate_person(tx, by, &person, now),
        Err(refused) => Ok(Err(refused)),
    })
}

/// The person with this id, for the chat (buttons carry ids).
pub fn get(conn: &Connection, id: UserId) -> anyhow::Result<Option<UserRow>> {
    users::get(conn, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::{Lang, Localizer};

    #[test]
    fn every_refusal_has_its_message_in_both_languages() {
        let l10n = Localizer::load().unwrap();
        let name = || "ครูสมศรี".to_string();
        for refusal in [
            StaffError::NoSuchPerson("@nobody".into()),
            StaffError::NotATeacher { name: name(), role: Role::Head },
            StaffError::Revoked(name()),
            StaffError::UnknownClass("ป.6/3".into()),
            StaffError::NotTheirClass(name(), "ป.4/1".into()),
            StaffError::NotRevoked(name()),
            StaffError::OwnAccess,
        ] {
            for lang in [Lang::Th, Lang::En] {
                assert!(l10n.has(lang, refusal.message_id()), "{refusal:?} in {lang:?}");
                assert!(!refusal.localized(l10n.tr(lang)).contains(refusal.message_id()), "{refusal:?} in {lang:?}");
            }
        }
    }
}
