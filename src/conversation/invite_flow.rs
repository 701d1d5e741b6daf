//! `/invite` for an admin inside Telegram: role and classes chosen with buttons, an optional name typed,
//! then a single-use link to forward to the new colleague.

use super::buttons::{ButtonData, InviteAction};
use super::state::{self, ChatState, InviteDraft, InviteStep};
use super::turn::{Step, Turn};
use super::{Button, Keyboard, MAX_TEXT_CHARS, Reply};
use crate::domain::Role;
use crate::domain::refusal::Refusal as _;
use crate::invites::{self, StaffInvite};
use crate::l10n::{Args, Tr};
use crate::store::audit::Actor;
use crate::store::students::{self, ClassRow};
use crate::store::users::UserRow;

const CLASSES_PER_PAGE: usize = 12;
const CLASSES_PER_ROW: usize = 3;
const MAX_NAME_CHARS: usize = 100;

pub fn begin(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    if user.role != Role::Admin {
        return Ok(Step::keep(vec![Reply::text(tr.get("unknown-command"))]));
    }
    let draft =
        InviteDraft { nonce: state::new_nonce(), step: InviteStep::ChooseRole, role: None, classes: vec![], page: 0 };
    let (text, keyboard) = screen(turn, tr, &draft)?;
    Ok(Step::set(ChatState::Invite(draft), vec![Reply::Send { text, keyboard }]))
}

pub fn on_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    current: Option<ChatState>,
    nonce: &str,
    action: InviteAction,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let stale = || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    // Rights are checked on every press, not only when the flow began: the admin may have been revoked or
    // changed role in between.
    if user.role != Role::Admin {
        return stale();
    }
    let Some(ChatState::Invite(mut draft)) = current else {
        return stale();
    };
    if draft.nonce != nonce {
        return stale();
    }
    let mut answer = Reply::AnswerButton { text: None, alert: false };
    match (draft.step, action) {
        (_, InviteAction::Cancel) => {
            return Ok(Step::clear(vec![answer, Reply::show(message_id, tr.get("cancelled"), Keyboard::default())]));
        }
        (InviteStep::ChooseRole, InviteAction::Role(role)) if role.is_staff() => {
            draft.role = Some(role);
            if role == Role::Teacher {
                if students::list_classes(turn.db)?.is_empty() {
                    let none = Reply::show(message_id, tr.get("invite-no-classes"), Keyboard::default());
                    return Ok(Step::clear(vec![answer, none]));
                }
                draft.step = InviteStep::ChooseClasses;
            } else {
                draft.step = InviteStep::AskName;
            }
        }
        (InviteStep::ChooseClasses, InviteAction::ToggleClass(id)) => {
            if students::get_class(turn.db, id)?.is_none() {
                return stale();
            }
            if let Some(pos) = draft.classes.iter().position(|c| *c == id) {
                draft.classes.remove(pos);
            } else {
                draft.classes.push(id);
            }
        }
        (InviteStep::ChooseClasses, InviteAction::Page(page)) => draft.page = page,
        (InviteStep::ChooseClasses, InviteAction::Done) => {
            if draft.classes.is_empty() {
                answer = Reply::AnswerButton { text: Some(tr.get("invite-pick-a-class")), alert: true };
                return Ok(Step::keep(vec![answer]));
            }
            draft.step = InviteStep::AskName;
        }
        (InviteStep::AskName, InviteAction::SkipName) => {
            let text = create(turn, user, tr, &draft, None)?;
            return Ok(Step::clear(vec![answer, Reply::show(message_id, text, Keyboard::default())]));
        }
        // A button of this flow, but for another step (pressed twice, or an older message of this run).
        _ => return stale(),
    }
    let (text, keyboard) = screen(turn, tr, &draft)?;
    Ok(Step::set(ChatState::Invite(draft), vec![answer, Reply::show(message_id, text, keyboard)]))
}

pub fn on_text(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, draft: InviteDraft, text: &str) -> anyhow::Result<Step> {
    if draft.step != InviteStep::AskName {
        return again(turn, tr, &draft, "use-the-buttons");
    }
    let name = text.trim();
    if name.is_empty() || name.starts_with('/') {
        return again(turn, tr, &draft, "invite-name-empty");
    }
    if name.chars().count() > MAX_NAME_CHARS.min(MAX_TEXT_CHARS) {
        return again(turn, tr, &draft, "invite-name-too-long");
    }
    let text = create(turn, user, tr, &draft, Some(name.to_string()))?;
    Ok(Step::clear(vec![Reply::text(text)]))
}

/// A sticker, photo or forwarded message in the middle of the flow.
pub fn on_unexpected(turn: &Turn<'_>, tr: Tr<'_>, draft: InviteDraft) -> anyhow::Result<Step> {
    let hint = if draft.step == InviteStep::AskName { "invite-name-expected" } else { "use-the-buttons" };
    again(turn, tr, &draft, hint)
}

/// Explain, then show the same step again.
fn again(turn: &Turn<'_>, tr: Tr<'_>, draft: &InviteDraft, problem: &str) -> anyhow::Result<Step> {
    let (text, keyboard) = screen(turn, tr, draft)?;
    Ok(Step::keep(vec![Reply::text(tr.get(problem)), Reply::Send { text, keyboard }]))
}

fn button(text: String, nonce: &str, action: InviteAction) -> Button {
    Button { text, data: ButtonData::Invite { nonce: nonce.to_string(), action }.encode() }
}

fn screen(turn: &Turn<'_>, tr: Tr<'_>, draft: &InviteDraft) -> anyhow::Result<(String, Keyboard)> {
    let nonce = draft.nonce.as_str();
    let cancel = button(tr.get("button-cancel"), nonce, InviteAction::Cancel);
    Ok(match draft.step {
        InviteStep::ChooseRole => {
            let mut keyboard = Keyboard::default();
            for role in Role::STAFF {
                keyboard = keyboard.row(vec![button(tr.get(role.message_id()), nonce, InviteAction::Role(role))]);
            }
            (tr.get("invite-choose-role"), keyboard.row(vec![cancel]))
        }
        InviteStep::ChooseClasses => {
            let classes = students::list_classes(turn.db)?;
            let pages = classes.len().div_ceil(CLASSES_PER_PAGE).max(1);
            let page = draft.page.min(pages - 1);
            let shown: Vec<&ClassRow> = classes.iter().skip(page * CLASSES_PER_PAGE).take(CLASSES_PER_PAGE).collect();
            let mut keyboard = Keyboard::default();
            for chunk in shown.chunks(CLASSES_PER_ROW) {
                keyboard = keyboard.row(
                    chunk
                        .iter()
                        .map(|c| {
                            let mark = if draft.classes.contains(&c.id) { "✅ " } else { "" };
                            button(format!("{mark}{}", c.name), nonce, InviteAction::ToggleClass(c.id))
                        })
                        .collect(),
                );
            }
            let mut nav = vec![];
            if page > 0 {
                nav.push(button("◀".into(), nonce, InviteAction::Page(page - 1)));
            }
            if page + 1 < pages {
                nav.push(button("▶".into(), nonce, InviteAction::Page(page + 1)));
            }
            keyboard = keyboard.row(nav);
            let done = tr.with("button-done-count", Args::new().num("count", draft.classes.len() as i64));
            let keyboard = keyboard.row(vec![button(done, nonce, InviteAction::Done), cancel]);
            (
                tr.with("invite-choose-classes", Args::new().num("page", page as i64 + 1).num("pages", pages as i64)),
                keyboard,
            )
        }
        InviteStep::AskName => {
            let keyboard =
                Keyboard::default().row(vec![button(tr.get("button-skip"), nonce, InviteAction::SkipName), cancel]);
            (tr.get("invite-ask-name"), keyboard)
        }
    })
}

/// Make the invite; the flow ends either way (the caller clears the state).
fn create(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    draft: &InviteDraft,
    name: Option<String>,
) -> anyhow::Result<String> {
    let app = turn.app;
    let Some(role) = draft.role else {
        return Ok(tr.get("stale-button"));
    };
    let classes = invites::class_names(turn.db, &draft.classes)?;
    let invite = StaffInvite { role, classes: classes.clone(), display_name: name.clone() };
    let created = match invites::create_staff_in(
        turn.db,
        Actor::User(user.id),
        &invite,
        app.config.invite_days,
        app.clock.now(),
    )? {
        Ok(created) => created,
        Err(refusal) => return Ok(tr.get(refusal.message_id())),
    };
    let expires = created.expires_at.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive();
    let who = match (&name, classes.is_empty()) {
        (Some(n), _) => n.clone(),
        (None, false) => classes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        (None, true) => String::new(),
    };
    Ok(tr.with(
        "invite-created",
        Args::new()
            .str("role", tr.get(role.message_id()))
            .str("who", who)
            .str("expires", tr.date(expires))
            .str("link", invites::join_instructions(app.bot_username.as_deref(), &created.code)),
    ))
}
