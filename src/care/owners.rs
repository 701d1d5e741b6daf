//! One rule for who may own a case or a plan action, used by every picker that offers people *and* by the
//! check after every press (a button's data can be edited, so the list shown proves nothing).
//!
//! The rule: anyone active as a teacher (with or without a class), the counsellor or the head. Never an
//! administrator (they keep the roster and the accounts, not care work), a parent, or a revoked person.

use crate::domain::{Role, UserId};
use crate::store::users::{self, UserRow};
use rusqlite::Connection;

/// Whether this person may be made responsible for a case or a plan action.
pub fn may_own(person: &UserRow) -> bool {
    !person.revoked && may_own_role(person.role)
}

/// The roles the rule admits (the person must also be active).
pub fn may_own_role(role: Role) -> bool {
    matches!(role, Role::Counselor | Role::Head | Role::Teacher)
}

/// Everyone the rule admits, except `except` (the person choosing), counsellors first, then heads, then
/// teachers, each by name. The whole list: pickers page through it.
pub fn candidates(conn: &Connection, except: Option<UserId>) -> anyhow::Result<Vec<UserRow>> {
    let mut people: Vec<UserRow> =
        users::list(conn)?.into_iter().filter(|u| may_own(u) && Some(u.id) != except).collect();
    people.sort_by(|a, b| rank(a.role).cmp(&rank(b.role)).then_with(|| a.display_name.cmp(&b.display_name)));
    Ok(people)
}

fn rank(role: Role) -> u8 {
    match role {
        Role::Counselor => 0,
        Role::Head => 1,
        _ => 2,
    }
}

/// The person with this id, if the rule admits them; `None` for an unknown id or anyone the rule refuses.
pub fn admitted(conn: &Connection, id: UserId) -> anyhow::Result<Option<UserRow>> {
    Ok(users::get(conn, id)?.filter(may_own))
}

/// Who takes over the work of someone who leaves: the counsellor, else the head (never the person leaving).
pub fn successor(conn: &Connection, leaving: UserId) -> anyhow::Result<Option<UserRow>> {
    let people = candidates(conn, Some(leaving))?;
    Ok(people
        .iter()
        .find(|u| u.role == Role::Counselor)
        .or_else(|| people.iter().find(|u| u.role == Role::Head))
        .cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role, revoked: bool) -> UserRow {
        UserRow {
            id: UserId(1),
            telegram_id: crate::domain::TelegramId(1),
            chat_id: 1,
            display_name: "x".into(),
            username: None,
            role,
            revoked,
            lang: crate::l10n::Lang::Th,
            joined_at: String::new(),
        }
    }

    #[test]
    fn the_rule() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Counselor | Role::Head | Role::Teacher);
            assert_eq!(may_own(&person(role, false)), expected, "{role:?}");
            assert!(!may_own(&person(role, true)), "revoked {role:?}");
        }
    }
}
