//! Parents, seen from a homeroom teacher: `/invite` sends the printable invite slips of their classes (one HTML
//! page per class, only for the guardians who have not joined yet) and `/parents` shows which students have a
//! linked parent. The admin's `/invite` stays the staff-invite flow (`invite_flow`).

use super::Reply;
use super::turn::{Step, Turn};
use crate::announce::slips::{self, SlipRequest};
use crate::domain::Role;
use crate::l10n::{Args, Tr};
use crate::store::audit::Actor;
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

/// `/parents`: per class, how many students have a parent in the bot; for a teacher, who is still missing.
pub fn overview(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let classes = classes_for(turn, user)?;
    if classes.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("announce-no-classes"))]));
    }
    let mut lines = vec![tr.get("parents-title")];
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
                let mark = if *n > 0 { "✅" } else { "⬜" };
                lines.push(format!("{mark} {} {}", pupil.code, pupil.full_name()));
            }
        }
    }
    lines.push(String::new());
    lines.push(tr.get("parents-hint"));
    Ok(Step::keep(vec![Reply::text(lines.join("\n"))]))
}
