//! `/start`: joining with an invite code, or learning what the bot is.

use super::turn::{Step, Turn};
use super::{Reply, commands};
use crate::app::App;
use crate::domain::Role;
use crate::invites::{self, Joiner, Redeemed};
use crate::l10n::Args;
use crate::store::users::UserRow;

pub fn on_start(turn: &Turn<'_>, user: Option<&UserRow>, code: &str) -> anyhow::Result<Step> {
    let (app, incoming) = (turn.app, turn.incoming);
    let lang = user.map_or(app.config.default_lang, |u| u.lang);
    let tr = app.l10n.tr(lang);

    if code.is_empty() {
        return Ok(Step::keep(match user {
            Some(u) if !u.revoked => vec![
                Reply::text(commands::help_text(app, tr, u)),
                Reply::SetCommands(commands::menu(app, tr, Some(u.role))),
            ],
            Some(_) => vec![Reply::text(tr.get("access-revoked"))],
            // Someone who found the bot: what it is, and to ask the school for a link. No data at all.
            None => vec![Reply::text(tr.get("intro-unregistered")), Reply::SetCommands(commands::menu(app, tr, None))],
        }));
    }

    let joiner = Joiner {
        telegram_id: incoming.from.telegram_id,
        chat_id: incoming.chat_id,
        display_name: incoming.from.display_name.chars().take(100).collect(),
        username: incoming.from.username.clone(),
        lang,
    };
    let outcome = invites::redeem_in(turn.db, code, &joiner, app.config.parents_per_student, app.clock.now())?;
    let reply = |id: &str| Ok(Step::keep(vec![Reply::text(tr.get(id))]));
    match outcome {
        Redeemed::Unknown => reply("invite-unknown"),
        Redeemed::AlreadyUsed => reply("invite-used"),
        Redeemed::UsedByYou => match user {
            // Their own slip again: welcome back, with what they can do, instead of "ask for a new link".
            Some(u) => Ok(Step::keep(vec![
                Reply::text(format!("{}\n\n{}", tr.get("invite-yours-already"), commands::help_text(app, tr, u))),
                Reply::SetCommands(commands::menu(app, tr, Some(u.role))),
            ])),
            None => reply("invite-used"),
        },
        Redeemed::Expired => reply("invite-expired"),
        Redeemed::Refused(why) => reply(why.message_id()),
        Redeemed::Joined { role, classes, child, .. } => {
            let greeting = match (role, child) {
                (Role::Parent, Some(child)) => tr.with("welcome-parent", Args::new().str("child", child)),
                (role, Some(child)) => {
                    // Staff who linked their own child keep their role.
                    format!(
                        "{}\n{}",
                        welcome_staff(app, lang, role, &classes),
                        tr.with("welcome-child-linked", Args::new().str("child", child))
                    )
                }
                (role, None) => welcome_staff(app, lang, role, &classes),
            };
            let help_line = tr.get("welcome-help-hint");
            Ok(Step::keep(vec![
                Reply::text(format!("{greeting}\n\n{help_line}")),
                Reply::SetCommands(commands::menu(app, tr, Some(role))),
            ]))
        }
    }
}

fn welcome_staff(app: &App, lang: crate::l10n::Lang, role: Role, classes: &[String]) -> String {
    let tr = app.l10n.tr(lang);
    match role {
        Role::Teacher => tr.with("welcome-teacher", Args::new().str("classes", classes.join(", "))),
        Role::Counselor => tr.get("welcome-counselor"),
        Role::Head => tr.get("welcome-head"),
        Role::Admin => tr.get("welcome-admin"),
        Role::Parent => tr.get("welcome-parent-no-child"),
    }
}
