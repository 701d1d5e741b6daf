//! Who may print what. The papers hold the same data as the chat, so the same rules apply: the care policy
//! for a class's or a student's records ([`crate::care::policy`]), the case rule for referrals and plans
//! ([`crate::care::cases::can_open`]), and the term/year report — the whole school's figures, signed by the
//! director — for the head only. Parent invite slips make new invite links, so they follow the invite rule of
//! `/invite`: a homeroom teacher for their own classes, the head for every class; nobody else.

use super::DocumentKind;
use crate::care::cases::{self, CaseRow};
use crate::care::policy::{self, CareAction};
use crate::domain::Role;
use crate::store::students::{ClassId, ClassRow, StudentRow};
use crate::store::users::{self, UserRow};
use rusqlite::Connection;

/// The documents a role can print at all (to offer the buttons).
pub fn kinds_for(role: Role) -> Vec<DocumentKind> {
    match role {
        Role::Teacher => vec![
            DocumentKind::Screening,
            DocumentKind::Visit,
            DocumentKind::Referral,
            DocumentKind::Plan,
            DocumentKind::Slips,
        ],
        Role::Counselor => {
            vec![DocumentKind::Screening, DocumentKind::Visit, DocumentKind::Referral, DocumentKind::Plan]
        }
        Role::Head => vec![
            DocumentKind::Report,
            DocumentKind::Screening,
            DocumentKind::Visit,
            DocumentKind::Referral,
            DocumentKind::Plan,
            DocumentKind::Slips,
        ],
        Role::Admin | Role::Parent => Vec::new(),
    }
}

/// The classes whose summary (and students' records) this person may print.
pub fn classes_for(conn: &Connection, user: &UserRow) -> anyhow::Result<Vec<ClassRow>> {
    if user.revoked || !policy::role_uses_care_data(user.role, CareAction::ViewRecords) {
        return Ok(Vec::new());
    }
    if user.role == Role::Teacher {
        return users::classes_of(conn, user.id);
    }
    crate::store::students::list_classes(conn)
}

pub fn may_print_class(conn: &Connection, user: &UserRow, class: ClassId) -> anyhow::Result<bool> {
    if user.revoked {
        return Ok(false);
    }
    let own: Vec<ClassId> = if user.role == Role::Teacher {
        users::classes_of(conn, user.id)?.into_iter().map(|c| c.id).collect()
    } else {
        Vec::new()
    };
    Ok(policy::decide(user.role, &own, CareAction::ViewRecords, class))
}

pub fn may_print_student(conn: &Connection, user: &UserRow, student: &StudentRow) -> anyhow::Result<bool> {
    policy::allows(conn, user, CareAction::ViewRecords, student)
}

pub fn may_print_case(conn: &Connection, user: &UserRow, case: &CaseRow) -> anyhow::Result<bool> {
    cases::can_open(conn, user, case)
}

/// The classes whose parent invite slips this person may print: a teacher's own classes, every class for the
/// head, none for anyone else.
pub fn slip_classes_for(conn: &Connection, user: &UserRow) -> anyhow::Result<Vec<ClassRow>> {
    if user.revoked {
        return Ok(Vec::new());
    }
    match user.role {
        Role::Teacher => users::classes_of(conn, user.id),
        Role::Head => crate::store::students::list_classes(conn),
        Role::Counselor | Role::Admin | Role::Parent => Ok(Vec::new()),
    }
}

pub fn may_print_slips(conn: &Connection, user: &UserRow, class: ClassId) -> anyhow::Result<bool> {
    Ok(slip_classes_for(conn, user)?.iter().any(|c| c.id == class))
}

pub fn may_print_report(user: &UserRow) -> bool {
    !user.revoked && user.role == Role::Head
}

/// The cases (open or closed) this person may print, newest first, at most `limit`.
pub fn cases_for(conn: &Connection, user: &UserRow, limit: usize) -> anyhow::Result<Vec<CaseRow>> {
    if user.revoked || !matches!(user.role, Role::Teacher | Role::Counselor | Role::Head) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for id in super::store::cases_newest_first(conn)? {
        if out.len() >= limit {
            break;
        }
        if let Some(case) = cases::get_case(conn, id)?
            && cases::can_open(conn, user, &case)?
        {
            out.push(case);
        }
    }
    Ok(out)
}
