//! One access policy for students' care data (screening, home visits, and later cases and plans).
//!
//! Every read or write of care data asks [`allows`]. The rule is a pure function of the person's role, their
//! classes and the student's class, so it is tested as a full matrix.

use crate::domain::Role;
use crate::store::students::{ClassId, StudentRow};
use crate::store::users::{self, UserRow};
use rusqlite::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareAction {
    /// See screening results, home-visit records.
    ViewRecords,
    /// Fill in screening and home-visit forms.
    RecordForms,
}

/// The rule. Homeroom teachers: their own classes. The counsellor runs the care system: every student. The head
/// oversees: sees every student but records nothing directly. The administrator keeps the roster and the
/// accounts and has no reason to read care records (PDPA: only those whose role needs it). Parents: never.
pub fn decide(role: Role, own_classes: &[ClassId], action: CareAction, student_class: ClassId) -> bool {
    match (role, action) {
        (Role::Teacher, _) => own_classes.contains(&student_class),
        (Role::Counselor, _) => true,
        (Role::Head, CareAction::ViewRecords) => true,
        (Role::Head, CareAction::RecordForms) => false,
        (Role::Admin | Role::Parent, _) => false,
    }
}

pub fn allows(conn: &Connection, user: &UserRow, action: CareAction, student: &StudentRow) -> anyhow::Result<bool> {
    if user.revoked || student.archived && action == CareAction::RecordForms {
        return Ok(false);
    }
    let classes: Vec<ClassId> = if user.role == Role::Teacher {
        users::classes_of(conn, user.id)?.into_iter().map(|c| c.id).collect()
    } else {
        Vec::new()
    };
    Ok(decide(user.role, &classes, action, student.class_id))
}

/// Whether a role works with care data at all (to offer the commands).
pub fn role_uses_care_data(role: Role, action: CareAction) -> bool {
    match action {
        CareAction::ViewRecords => matches!(role, Role::Teacher | Role::Counselor | Role::Head),
        CareAction::RecordForms => matches!(role, Role::Teacher | Role::Counselor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix() {
        let mine = ClassId(1);
        let other = ClassId(2);
        let own = [mine];
        use CareAction::*;
        #[rustfmt::skip]
        let table = [
            // role,            action,      student's class, allowed
            (Role::Teacher,   ViewRecords, mine,  true),
            (Role::Teacher,   ViewRecords, other, false),
            (Role::Teacher,   RecordForms, mine,  true),
            (Role::Teacher,   RecordForms, other, false),
            (Role::Counselor, ViewRecords, other, true),
            (Role::Counselor, RecordForms, other, true),
            (Role::Head,      ViewRecords, other, true),
            (Role::Head,      RecordForms, mine,  false),
            (Role::Admin,     ViewRecords, mine,  false),
            (Role::Admin,     RecordForms, mine,  false),
            (Role::Parent,    ViewRecords, mine,  false),
            (Role::Parent,    RecordForms, mine,  false),
        ];
        for (role, action, class, allowed) in table {
            assert_eq!(decide(role, &own, action, class), allowed, "{role:?} {action:?} {class:?}");
        }
        // The helper agrees with the rule for the roles' menus.
        for role in Role::ALL {
            for action in [ViewRecords, RecordForms] {
                assert_eq!(role_uses_care_data(role, action), decide(role, &own, action, mine), "{role:?} {action:?}");
            }
        }
    }
}
