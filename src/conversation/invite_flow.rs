//! `/invite` for an admin inside Telegram: role and classes chosen with buttons, an optional name typed,
//! then a single-use link to forward to the new colleague.

use super::buttons::{ButtonData, InviteAction};
use super::state::{self, ChatState, InviteDraft, InviteStep};
use super::{Button, Incoming, Keyboard, MAX_TEXT_CHARS, Reply};
use crate::app::App;
use crate::domain::Role;
use crate::invites::{self, StaffInvite};
use crate::l10n::{Args, Tr};
use crate::store::audit::Actor;
use crate::store::students::{self, ClassId, ClassRow};
use crate::store::users::UserRow;

const CLASSES_PER_PAGE: usize = 12;
const CLASSES_PER_ROW: usize = 3;
const MAX_NAME_CHARS: usize = 100;

pub fn begin(app: &App, incoming: &Incoming, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Vec<Reply>> {
    if user.role != Role::Admin {
        return Ok(vec![Reply::text(tr.get("unknown-command"))]);
    }
    let draft =
        InviteDraft { nonce: state::new_nonce(), step: InviteStep::ChooseRole, role: None, classes: vec![], page: 0 };
    state::save(app, incoming.chat_id, &ChatState::Invite(draft.clone()))?;
    let (text, keyboard) = screen(app, tr, &draft)?;
    Ok(vec![Reply::Send { text, keyboard }])
}

pub fn on_button(
    app: &App,
    incoming: &Incoming,
    user: &UserRow,
    tr: Tr<'_>,
    nonce: &str,
    action: InviteAction,
    message_id: Option<i32>,
) -> anyhow::Result<Vec<Reply>> {
    let stale = || Ok(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]);
    // Rights are checked on every press, not only when the flow began: the admin may have been revoked or
    // changed role in between.
    if user.role != Role::Admin {
        return stale();
    }
    let Some(ChatState::Invite(mut draft)) = state::load(app, incoming.chat_id)? else {
        return stale();
    };
    if draft.nonce != nonce {
        return stale();
    }
    let mut answer = Reply::AnswerButton { text: None, alert: false };
    match (draft.step, action) {
        (_, InviteAction::Cancel) => {
            state::clear(app, incoming.chat_id)?;
            return Ok(vec![answer, Reply::show(message_id, tr.get("cancelled"), Keyboard::default())]);
        }
        (InviteStep::ChooseRole, InviteAction::Role(role)) if role.is_staff() => {
            draft.role = Some(role);
            if role == Role::Teacher {
                if app.store.read(students::list_classes)?.is_empty() {
                    state::clear(app, incoming.chat_id)?;
                    return Ok(vec![answer, Reply::show(message_id, tr.get("invite-no-classes"), Keyboard::default())]);
                }
                draft.step = InviteStep::ChooseClasses;
            } else {
                draft.step = InviteStep::AskName;
            }
        }
        (InviteStep::ChooseClasses, InviteAction::ToggleClass(id)) => {
            if app.store.read(|c| students::get_class(c, ClassId(id)))?.is_none() {
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
                return Ok(vec![answer]);
            }
            draft.step = InviteStep::AskName;
        }
        (InviteStep::AskName, InviteAction::SkipName) => {
            let text = create(app, incoming, user, tr, &draft, None)?;
            return Ok(vec![answer, Reply::show(message_id, text, Keyboard::default())]);
        }
        // A button of this flow, but for another step (pressed twice, or an older message of this run).
        _ => return stale(),
    }
    state::save(app, incoming.chat_id, &ChatState::Invite(draft.clone()))?;
    let (text, keyboard) = screen(app, tr, &draft)?;
    Ok(vec![answer, Reply::show(message_id, text, keyboard)])
}

pub fn on_text(
    app: &App,
    incoming: &Incoming,
    user: &UserRow,
    tr: Tr<'_>,
    draft: InviteDraft,
    text: &str,
) -> anyhow::Result<Vec<Reply>> {
    if draft.step != InviteStep::AskName {
        return again(app, tr, &draft, "use-the-buttons");
    }
    let name = text.trim();
    if name.is_empty() || name.starts_with('/') {
        return again(app, tr, &draft, "invite-name-empty");
    }
    if name.chars().count() > MAX_NAME_CHARS.min(MAX_TEXT_CHARS) {
        return again(app, tr, &draft, "invite-name-too-long");
    }
    let text = create(app, incoming, user, tr, &draft, Some(name.to_string()))?;
    Ok(vec![Reply::text(text)])
}

/// A sticker, photo or forwarded message in the middle of the flow.
pub fn on_unexpected(
    app: &App,
    _incoming: &Incoming,
    _user: &UserRow,
    tr: Tr<'_>,
    draft: InviteDraft,
) -> anyhow::Result<Vec<Reply>> {
    let hint = if draft.step == InviteStep::AskName { "invite-name-expected" } else { "use-the-buttons" };
    again(app, tr, &draft, hint)
}

/// Explain, then show the same step again.
fn again(app: &App, tr: Tr<'_>, draft: &InviteDraft, problem: &str) -> anyhow::Result<Vec<Reply>> {
    let (text, keyboard) = screen(app, tr, draft)?;
    Ok(vec![Reply::text(tr.get(problem)), Reply::Send { text, keyboard }])
}

fn button(text: String, nonce: &str, action: InviteAction) -> Button {
    Button { text, data: ButtonData::Invite { nonce: nonce.to_string(), action }.encode() }
}

fn screen(app: &App, tr: Tr<'_>, draft: &InviteDraft) -> anyhow::Result<(String, Keyboard)> {
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
            let classes = app.store.read(students::list_classes)?;
            let pages = classes.len().div_ceil(CLASSES_PER_PAGE).max(1);
            let page = draft.page.min(pages - 1);
            let shown: Vec<&ClassRow> = classes.iter().skip(page * CLASSES_PER_PAGE).take(CLASSES_PER_PAGE).collect();
            let mut keyboard = Keyboard::default();
            for chunk in shown.chunks(CLASSES_PER_ROW) {
                keyboard = keyboard.row(
                    chunk
                        .iter()
                        .map(|c| {
                            let mark = if draft.classes.contains(&c.id.0) { "✅ " } else { "" };
                            button(format!("{mark}{}", c.name), nonce, InviteAction::ToggleClass(c.id.0))
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

fn create(
    app: &App,
    incoming: &Incoming,
    user: &UserRow,
    tr: Tr<'_>,
    draft: &InviteDraft,
    name: Option<String>,
) -> anyhow::Result<String> {
    let Some(role) = draft.role else {
        state::clear(app, incoming.chat_id)?;
        return Ok(tr.get("stale-button"));
    };
    let class_ids: Vec<ClassId> = draft.classes.iter().map(|id| ClassId(*id)).collect();
    let classes = invites::class_names(&app.store, &class_ids)?;
    let invite = StaffInvite { role, classes: classes.clone(), display_name: name.clone() };
    let created =
        invites::create_staff(&app.store, Actor::User(user.id), &invite, app.config.invite_days, app.clock.now())?;
    state::clear(app, incoming.chat_id)?;
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
