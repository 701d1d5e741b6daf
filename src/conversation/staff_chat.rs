//! The admin's `/staff`: everyone who works at the school, a page at a time; a person's classes set exactly
//! (tap a class to add or remove it, saved at once); revoking access (asks first) and reinstating it.
//!
//! The buttons carry only ids; every press is checked again: the presser must still be an active admin, and the
//! change goes through [`crate::staff`], the same rules as `dulae staff` on the command line.

use super::buttons::{ButtonData, StaffButton};
use super::pages::{PEOPLE_PER_PAGE, nav_row, page_of};
use super::turn::{Step, Turn};
use super::{Button, Keyboard, Reply};
use crate::care::cases::Ctx;
use crate::domain::Role;
use crate::l10n::{Args, Tr};
use crate::staff::{self, StaffError};
use crate::store::audit::Actor;
use crate::store::students::{self, ClassId};
use crate::store::users::{self, UserRow};

/// Classes per page of the class chooser (three a row).
const CLASSES_PER_PAGE: usize = 18;
const CLASSES_PER_ROW: usize = 3;

fn button(text: String, action: StaffButton) -> Button {
    Button { text, data: ButtonData::Staff(action).encode() }
}

fn alert(text: String) -> anyhow::Result<Step> {
    Ok(Step::keep(vec![Reply::AnswerButton { text: Some(text), alert: true }]))
}

/// The list of people, one page.
pub fn list(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, page: usize, message_id: Option<i32>) -> anyhow::Result<Step> {
    if user.role != Role::Admin {
        return Ok(Step::keep(vec![Reply::text(tr.get("unknown-command"))]));
    }
    let people = staff::list(turn.db)?;
    let (shown, page, pages) = page_of(&people, page, PEOPLE_PER_PAGE);
    let mut keyboard = Keyboard::default();
    for line in shown {
        let p = &line.person;
        let mark = if p.revoked { "⛔" } else { "👤" };
        let classes: Vec<String> = line.classes.iter().map(|c| c.name.to_string()).collect();
        let detail = if classes.is_empty() { tr.get(p.role.message_id()) } else { classes.join(", ") };
        keyboard =
            keyboard.row(vec![button(format!("{mark} {} · {detail}", p.display_name), StaffButton::Person(p.id))]);
    }
    keyboard = keyboard.row(nav_row(page, pages, |p, text| button(text, StaffButton::List(p))));
    let text = if people.is_empty() {
        tr.get("staff-chat-empty")
    } else {
        tr.with(
            "staff-chat-title",
            Args::new().num("count", people.len() as i64).num("page", page as i64 + 1).num("pages", pages as i64),
        )
    };
    Ok(Step::keep(vec![Reply::show(message_id, text, keyboard)]))
}

fn person_screen(turn: &Turn<'_>, admin: &UserRow, tr: Tr<'_>, person: &UserRow) -> anyhow::Result<(String, Keyboard)> {
    let classes: Vec<String> = users::classes_of(turn.db, person.id)?.iter().map(|c| c.name.to_string()).collect();
    let text = tr.with(
        "staff-chat-person",
        Args::new()
            .str("name", &person.display_name)
            .str("role", tr.get(person.role.message_id()))
            .str("classes", if classes.is_empty() { tr.get("staff-no-classes") } else { classes.join(", ") })
            .str("status", tr.get(if person.revoked { "staff-status-revoked" } else { "staff-status-active" })),
    );
    let id = person.id;
    let mut keyboard = Keyboard::default();
    if person.role == Role::Teacher && !person.revoked {
        keyboard =
            keyboard.row(vec![button(tr.get("staff-button-classes"), StaffButton::Classes { user: id, page: 0 })]);
    }
    if person.revoked {
        keyboard = keyboard.row(vec![button(tr.get("staff-button-reinstate"), StaffButton::Reinstate(id))]);
    } else if person.id != admin.id {
        keyboard = keyboard.row(vec![button(tr.get("staff-button-revoke"), StaffButton::Revoke(id))]);
    }
    keyboard = keyboard.row(vec![button(tr.get("staff-button-back"), StaffButton::List(0))]);
    Ok((text, keyboard))
}

fn classes_screen(turn: &Turn<'_>, tr: Tr<'_>, person: &UserRow, page: usize) -> anyhow::Result<(String, Keyboard)> {
    let all = students::list_classes(turn.db)?;
    let theirs: Vec<ClassId> = users::classes_of(turn.db, person.id)?.iter().map(|c| c.id).collect();
    let (shown, page, pages) = page_of(&all, page, CLASSES_PER_PAGE);
    let user = person.id;
    let mut keyboard = Keyboard::default();
    for chunk in shown.chunks(CLASSES_PER_ROW) {
        keyboard = keyboard.row(
            chunk
                .iter()
                .map(|c| {
                    let mark = if theirs.contains(&c.id) { "☑️" } else { "⬜" };
                    button(format!("{mark} {}", c.name), StaffButton::Toggle { user, class: c.id, page })
                })
                .collect(),
        );
    }
    keyboard = keyboard.row(nav_row(page, pages, |p, text| button(text, StaffButton::Classes { user, page: p })));
    keyboard = keyboard.row(vec![button(tr.get("staff-button-done"), StaffButton::Person(user))]);
    let text = if all.is_empty() {
        tr.get("invite-no-classes")
    } else {
        tr.with("staff-chat-classes", Args::new().str("name", &person.display_name))
    };
    Ok((text, keyboard))
}

/// A press on a `/staff` screen.
pub fn on_button(
    turn: &Turn<'_>,
    admin: &UserRow,
    tr: Tr<'_>,
    action: StaffButton,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    // Checked at every press: an admin who lost the role keeps no power over old buttons.
    if admin.role != Role::Admin {
        return alert(tr.get("staff-admin-only"));
    }
    let person_id = match action {
        StaffButton::List(page) => return list(turn, admin, tr, page, message_id),
        StaffButton::Person(id)
        | StaffButton::Classes { user: id, .. }
        | StaffButton::Toggle { user: id, .. }
        | StaffButton::Revoke(id)
        | StaffButton::ConfirmRevoke(id)
        | StaffButton::Reinstate(id) => id,
    };
    let Some(person) = staff::get(turn.db, person_id)?.filter(|p| p.role != Role::Parent) else {
        return alert(tr.get("stale-button"));
    };
    let now = turn.app.clock.now();
    let by = Actor::User(admin.id);
    let mut notes = vec![];
    match action {
        StaffButton::List(_) | StaffButton::Person(_) => {}
        StaffButton::Classes { page, .. } => {
            if person.role != Role::Teacher || person.revoked {
                return alert(
                    StaffError::NotATeacher { name: person.display_name.clone(), role: person.role }.localized(tr),
                );
            }
            let (text, keyboard) = classes_screen(turn, tr, &person, page)?;
            return Ok(Step::keep(vec![Reply::show(message_id, text, keyboard)]));
        }
        StaffButton::Toggle { class, page, .. } => {
            if students::get_class(turn.db, class)?.is_none() {
                return alert(tr.get("stale-button"));
            }
            let mut classes: Vec<ClassId> = users::classes_of(turn.db, person.id)?.iter().map(|c| c.id).collect();
            match classes.iter().position(|c| *c == class) {
                Some(i) => {
                    classes.remove(i);
                }
                None => classes.push(class),
            }
            if let Err(refused) = turn.attempt_or_refuse(|tx| staff::set_classes(tx, by, &person, &classes, now))? {
                return alert(refused.localized(tr));
            }
            let (text, keyboard) = classes_screen(turn, tr, &person, page)?;
            return Ok(Step::keep(vec![Reply::show(message_id, text, keyboard)]));
        }
        StaffButton::Revoke(_) => {
            if person.revoked {
                return alert(tr.get("stale-button"));
            }
            if person.id == admin.id {
                return alert(StaffError::OwnAccess.localized(tr));
            }
            let keyboard = Keyboard::default()
                .row(vec![button(tr.get("staff-button-confirm-revoke"), StaffButton::ConfirmRevoke(person.id))])
                .row(vec![button(tr.get("staff-button-keep"), StaffButton::Person(person.id))]);
            let text = tr.with("staff-chat-revoke-ask", Args::new().str("name", &person.display_name));
            return Ok(Step::keep(vec![Reply::show(message_id, text, keyboard)]));
        }
        StaffButton::ConfirmRevoke(_) => {
            let app = turn.app;
            let ctx = Ctx { l10n: &app.l10n, policy: &app.config.reminders, now };
            let revoked = match turn.attempt_or_refuse(|tx| staff::revoke_person(tx, &ctx, by, &person))? {
                Ok(revoked) => revoked,
                Err(refused) => return alert(refused.localized(tr)),
            };
            notes.push(if revoked.already {
                tr.with("staff-revoked-already", Args::new().str("name", &person.display_name).num("id", person.id.0))
            } else {
                revoked_note(tr, &revoked)
            });
        }
        StaffButton::Reinstate(_) => {
            if let Err(refused) = turn.attempt_or_refuse(|tx| staff::reinstate_person(tx, by, &person, now))? {
                return alert(refused.localized(tr));
            }
            notes.push(tr.get("staff-chat-reinstated"));
        }
    }
    let person = staff::get(turn.db, person.id)?.unwrap_or(person);
    let (text, keyboard) = person_screen(turn, admin, tr, &person)?;
    let text = if notes.is_empty() { text } else { format!("{}\n\n{text}", notes.join("\n")) };
    Ok(Step::keep(vec![Reply::show(message_id, text, keyboard)]))
}

fn revoked_note(tr: Tr<'_>, r: &staff::Revoked) -> String {
    let mut lines = vec![tr.with(
        "staff-chat-revoked",
        Args::new().num("classes", r.classes_ended as i64).num("invites", r.invites_voided as i64),
    )];
    let (cases, actions) = (r.handed.cases.len() as i64, r.handed.actions.len() as i64);
    match &r.successor {
        Some(to) => lines.push(
            tr.with("staff-revoked-handed", Args::new().num("cases", cases).num("actions", actions).str("to", to)),
        ),
        None if cases + actions > 0 => {
            lines.push(tr.with("staff-revoked-nobody", Args::new().num("cases", cases).num("actions", actions)))
        }
        None => {}
    }
    lines.join("\n")
}
