//! Parents, seen from a homeroom teacher: `/invite` sends the printable invite slips of their classes (one HTML
//! page per class, one slip per free parent place; printing again replaces the unused slips) and `/parents`
//! shows which students have a linked parent, who they are, and frees a place by unlinking one (asks first).
//! The admin's `/invite` stays the staff-invite flow (`invite_flow`).

use super::buttons::{ButtonData, ParentsButton};
use super::pages::{PEOPLE_PER_PAGE, nav_row, page_of};
use super::turn::{Step, Turn};
use super::{Button, Keyboard, Reply};
use crate::announce::slips::{self, SlipRequest};
use crate::domain::Role;
use crate::l10n::{Args, Tr};
use crate::store::audit::Actor;
use crate::store::audit::{self, Entry};
use crate::store::students::{self, ClassRow};
use crate::store::users::{self, UserRow};

fn classes_for(turn: &Turn<'_>, user: &UserRow) -> anyhow::Result<Vec<ClassRow>> {
    match user.role {
        Role::Teacher => users::classes_of(turn.db, user.id),
        Role::Head | Role::Admin => students::list_classes(turn.db),
        _ => Ok(vec![]),
    }
}

/// A teacher's `/invite`: a document of slips per class, then the overview.
pub fn send_slips(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let app = turn.app;
    if user.role != Role::Teacher {
        return Ok(Step::keep(vec![Reply::text(tr.get("unknown-command"))]));
    }
    let classes = classes_for(turn, user)?;
    if classes.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("announce-no-classes"))]));
    }
    let now = app.clock.now();
    let mut replies = vec![];
    for class in &classes {
        let request = SlipRequest {
            class: class.id,
            places: app.config.parents_per_student,
            days: app.config.parent_invite_days,
            bot_username: app.bot_username.as_deref(),
        };
        let made = slips::make_class_slips_in(turn.db, Actor::User(user.id), request, now)?;
        let class_name = class.name.to_string();
        if made.is_empty() {
            replies.push(Reply::text(tr.with("slips-all-joined", Args::new().str("class", &class_name))));
            continue;
        }
        let expires = made.iter().map(|s| s.expires).min().map(|d| tr.date(d)).unwrap_or_default();
        let html = slips::render_html(&app.config.school_name, &made)?;
        replies.push(Reply::Document {
            file_name: slips::file_name(&class_name),
            bytes: html.into_bytes(),
            caption: tr.with(
                "slips-caption",
                Args::new().str("class", &class_name).num("count", made.len() as i64).str("expires", expires),
            ),
        });
    }
    replies.extend(overview(turn, user, tr)?.replies);
    Ok(Step::keep(replies))
}

/// `/parents`: per class, how many students have a parent in the bot; for a teacher, who is still missing, and a
/// button per student with linked parents (to see them and free a place).
pub fn overview(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    overview_page(turn, user, tr, 0, None)
}

fn parents_button(text: String, action: ParentsButton) -> Button {
    Button { text, data: ButtonData::Parents(action).encode() }
}

fn overview_page(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    page: usize,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let classes = classes_for(turn, user)?;
    if classes.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("announce-no-classes"))]));
    }
    let places = turn.app.config.parents_per_student;
    let mut lines = vec![tr.get("parents-title")];
    let mut with_parents = vec![];
    for class in &classes {
        let pupils = slips::linked_parents(turn.db, class.id)?;
        let joined = pupils.iter().filter(|(_, n)| *n > 0).count();
        lines.push(String::new());
        lines.push(
            tr.with(
                "parents-class-line",
                Args::new()
                    .str("class", class.name.to_string())
                    .num("joined", joined as i64)
                    .num("total", pupils.len() as i64),
            ),
        );
        // The names only for a teacher's own classes (the head's school-wide view would be too long).
        if user.role == Role::Teacher {
            for (pupil, n) in &pupils {
                if *n > 0 {
                    lines.push(format!("✅ {} {} ({n}/{places})", pupil.code, pupil.full_name()));
                } else {
                    lines.push(format!("⬜ {} {}", pupil.code, pupil.full_name()));
                }
                if *n > 0 {
                    with_parents.push((pupil.clone(), *n));
                }
            }
        }
    }
    lines.push(String::new());
    lines.push(tr.get("parents-hint"));
    let mut keyboard = Keyboard::default();
    if !with_parents.is_empty() {
        lines.push(tr.get("parents-unlink-hint"));
        let (shown, page, pages) = page_of(&with_parents, page, PEOPLE_PER_PAGE);
        for (pupil, n) in shown {
            keyboard = keyboard
                .row(vec![parents_button(format!("👪 {} ({n})", pupil.full_name()), ParentsButton::Student(pupil.id))]);
        }
        keyboard = keyboard.row(nav_row(page, pages, |p, text| parents_button(text, ParentsButton::Page(p))));
    }
    Ok(Step::keep(vec![Reply::show(message_id, lines.join("\n"), keyboard)]))
}

fn alert(text: String) -> anyhow::Result<Step> {
    Ok(Step::keep(vec![Reply::AnswerButton { text: Some(text), alert: true }]))
}

/// A press on `/parents`: checked again every time (the student is still in one of the presser's classes, the
/// parent is still linked).
pub fn on_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    action: ParentsButton,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let student_id = match action {
        ParentsButton::Page(page) => return overview_page(turn, user, tr, page, message_id),
        ParentsButton::Student(s)
        | ParentsButton::Unlink { student: s, .. }
        | ParentsButton::ConfirmUnlink { student: s, .. } => s,
    };
    let classes = classes_for(turn, user)?;
    let Some(student) = students::get_student(turn.db, student_id)?
        .filter(|s| !s.archived && classes.iter().any(|c| c.id == s.class_id))
    else {
        return alert(tr.get("parents-not-your-student"));
    };
    let linked = users::linked_parents(turn.db, student.id)?;
    let mut note = None;
    match action {
        ParentsButton::Page(_) | ParentsButton::Student(_) => {}
        ParentsButton::Unlink { parent, .. } => {
            let Some(p) = linked.iter().find(|p| p.id == parent) else {
                return alert(tr.get("stale-button"));
            };
            let keyboard = Keyboard::default()
                .row(vec![parents_button(
                    tr.get("parents-button-confirm-unlink"),
                    ParentsButton::ConfirmUnlink { student: student.id, parent },
                )])
                .row(vec![parents_button(tr.get("parents-button-keep"), ParentsButton::Student(student.id))]);
            let text = tr.with(
                "parents-unlink-ask",
                Args::new().str("parent", &p.display_name).str("child", student.full_name()),
            );
            return Ok(Step::keep(vec![Reply::show(message_id, text, keyboard)]));
        }
        ParentsButton::ConfirmUnlink { parent, .. } => {
            let Some(p) = linked.iter().find(|p| p.id == parent) else {
                return alert(tr.get("stale-button"));
            };
            users::unlink_parent(turn.db, p.id, student.id)?;
            audit::record(
                turn.db,
                turn.app.clock.now(),
                Entry {
                    actor: Actor::User(user.id),
                    action: "parent.unlink",
                    entity: "student",
                    entity_id: Some(student.id.0.to_string()),
                    detail: Some(serde_json::json!({ "parent": p.id.0 })),
                },
            )?;
            note = Some(tr.with("parents-unlinked", Args::new().str("parent", &p.display_name)));
        }
    }
    let linked = users::linked_parents(turn.db, student.id)?;
    let places = turn.app.config.parents_per_student;
    let mut lines = vec![];
    if let Some(note) = note {
        lines.push(note);
        lines.push(String::new());
    }
    lines.push(
        tr.with(
            "parents-student-title",
            Args::new()
                .str("child", student.full_name())
                .str("class", &student.class_name)
                .num("linked", linked.len() as i64)
                .num("places", i64::from(places)),
        ),
    );
    let mut keyboard = Keyboard::default();
    for p in &linked {
        lines.push(format!("• {}", p.display_name));
        keyboard = keyboard.row(vec![parents_button(
            tr.with("parents-button-unlink", Args::new().str("parent", &p.display_name)),
            ParentsButton::Unlink { student: student.id, parent: p.id },
        )]);
    }
    if linked.is_empty() {
        lines.push(tr.get("parents-student-none"));
    }
    keyboard = keyboard.row(vec![parents_button(tr.get("parents-button-back"), ParentsButton::Page(0))]);
    Ok(Step::keep(vec![Reply::show(message_id, lines.join("\n"), keyboard)]))
}
