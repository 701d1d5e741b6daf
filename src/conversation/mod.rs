//! The chat logic, free of Telegram: one incoming event and the stored state in, replies out.
//!
//! The teloxide adapter (`crate::bot`) and the tests drive [`handle`]. One update is one unit of work
//! ([`turn`]): the chat's state is read once, a flow returns a [`turn::Step`], and its writes commit with the new
//! state or not at all. It never panics on user input and answers every button press exactly once.

pub mod announce_flow;
mod case_chat;
mod classroom_flow;
pub mod commands;
mod form_flow;
mod invite_flow;
mod pages;
mod parents_flow;
mod picker;
mod print_flow;
mod refer_flow;
mod reports_chat;
mod staff_chat;
mod start;
pub mod state;
mod student_view;
mod survey_flow;
pub mod turn;

use crate::app::App;
use crate::domain::{Role, TelegramId};
use crate::l10n::{Args, Lang, Tr};
use crate::store::users::{self, UserRow};
use buttons::ButtonData;

/// The button vocabulary lives below the use cases (`crate::chat_ui`); the chat and its transport use it from
/// here as before.
pub use crate::chat_ui::buttons;
pub use crate::chat_ui::{Button, Keyboard};
use commands::Command;
use state::{ChatState, Purpose, Saved};
use turn::{Step, Turn};

/// Who sent an update, as Telegram tells us.
#[derive(Debug, Clone)]
pub struct Sender {
    pub telegram_id: TelegramId,
    pub display_name: String,
    pub username: Option<String>,
}

/// What kind of non-text message arrived (for a polite "I can't use that here").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Sticker,
    Photo,
    Voice,
    Video,
    Document,
    Location,
    Contact,
    Other,
}

#[derive(Debug, Clone)]
pub enum Event {
    /// `/name args` (the bot's @username suffix already removed).
    Command {
        name: String,
        args: String,
    },
    Text(String),
    /// A button press: its callback data and the message it sat on.
    Button {
        data: String,
        message_id: Option<i32>,
    },
    Media(MediaKind),
    /// A location shared with Telegram's location button.
    Location {
        latitude: f64,
        longitude: f64,
    },
    /// A photo (the largest size Telegram offers).
    Photo {
        file_id: String,
        file_unique_id: String,
    },
    /// A message forwarded from elsewhere: never taken as an answer.
    Forwarded,
    /// A file sent as a document (an announcement's PDF).
    Document {
        file_id: String,
        file_name: Option<String>,
        mime_type: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Incoming {
    pub chat_id: i64,
    pub private_chat: bool,
    pub from: Sender,
    pub event: Event,
    /// Telegram's media group: the photos of one album arrive as separate messages sharing this id.
    pub album: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandEntry {
    pub command: String,
    pub description: String,
}

/// What the bot does in reply, always in the chat the event came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Send {
        text: String,
        keyboard: Keyboard,
    },
    /// Replace the text and buttons of a message the bot sent earlier (keeps the chat tidy).
    Edit {
        message_id: i32,
        text: String,
        keyboard: Keyboard,
    },
    /// A form's question: shown in place of `message_id` (after a button), or sent anew (after a typed answer, a
    /// photo, a wrong input) — and then the chat's earlier question loses its buttons, so one live question is in
    /// the chat at a time.
    Question {
        message_id: Option<i32>,
        text: String,
        keyboard: Keyboard,
    },
    /// Replace only the buttons under a message the bot sent (also under a photo or a document, whose text cannot
    /// be edited as text): "✅ รับทราบแล้ว" in place of the รับทราบ button.
    EditButtons {
        message_id: i32,
        keyboard: Keyboard,
    },
    /// Answer the button press (Telegram shows a spinner until this arrives).
    AnswerButton {
        text: Option<String>,
        alert: bool,
    },
    /// This chat's command menu.
    SetCommands(Vec<CommandEntry>),
    /// A message with a keyboard button that shares the phone's location (Telegram only offers this on the
    /// keyboard under the text box, not on inline buttons).
    AskLocation {
        text: String,
        button: String,
    },
    /// A message that also removes that keyboard again.
    RemoveKeyboard {
        text: String,
    },
    /// A file made by the bot (a spreadsheet, printable slips), sent as a document.
    Document {
        file_name: String,
        bytes: Vec<u8>,
        caption: String,
    },
    /// A photo Telegram already has (sent earlier by someone), by its file id.
    PhotoById {
        file_id: String,
        caption: String,
    },
    /// A picture made by the bot (a chart), sent as a photo.
    Photo {
        file_name: String,
        bytes: Vec<u8>,
        caption: String,
    },
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Reply {
        Reply::Send { text: text.into(), keyboard: Keyboard::default() }
    }

    /// Replace the message a button sat on (keeps the chat tidy), or send a new one after a typed message.
    pub fn show(message_id: Option<i32>, text: String, keyboard: Keyboard) -> Reply {
        match message_id {
            Some(message_id) => Reply::Edit { message_id, text, keyboard },
            None => Reply::Send { text, keyboard },
        }
    }
}

/// The longest text we accept from a person in one message. Telegram allows 4096; nothing we ask needs more.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Handle one event as one unit of work: one transaction holds every read and write of the flow and the chat's
/// new state, committed together or not at all. Errors are for the transport to log and apologise for; they
/// never carry user input, and nothing of a failed update stays in the database.
pub fn handle(app: &App, incoming: &Incoming) -> anyhow::Result<Vec<Reply>> {
    let step = app.store.write(|tx| {
        let turn = Turn { app, db: tx, incoming };
        let step = route(&turn)?;
        state::write(tx, incoming.chat_id, &step.state, app.clock.now())?;
        Ok(step)
    })?;
    let mut replies = step.finish(app);
    if matches!(incoming.event, Event::Button { .. })
        && !replies.iter().any(|r| matches!(r, Reply::AnswerButton { .. }))
    {
        replies.push(Reply::AnswerButton { text: None, alert: false });
    }
    Ok(replies)
}

fn route(turn: &Turn<'_>) -> anyhow::Result<Step> {
    let (app, incoming) = (turn.app, turn.incoming);
    let user = users::find_by_telegram(turn.db, incoming.from.telegram_id)?;
    let lang = user.as_ref().map_or(app.config.default_lang, |u| u.lang);
    let tr = app.l10n.tr(lang);

    if !incoming.private_chat {
        // Care data never goes to a group. Commands there get one pointer to the private chat.
        return Ok(Step::keep(match &incoming.event {
            Event::Command { .. } => vec![Reply::text(tr.get("private-chat-only"))],
            Event::Button { .. } => vec![Reply::AnswerButton { text: Some(tr.get("private-chat-only")), alert: true }],
            _ => vec![],
        }));
    }

    if let Event::Command { name, args } = &incoming.event
        && Command::parse(name) == Some(Command::Start)
    {
        return start::on_start(turn, user.as_ref(), args.trim());
    }

    let user = match user {
        Some(u) if !u.revoked => u,
        Some(_) => return Ok(Step::keep(refuse(tr, &incoming.event, "access-revoked", app))),
        None => return Ok(Step::keep(refuse(tr, &incoming.event, "not-registered", app))),
    };
    let tr = app.l10n.tr(user.lang);

    // The chat's state, read once for the whole turn. After an upgrade, a half-finished step saved by the old
    // version may not read any more: say so once, then handle the message as usual (form answers themselves
    // are kept in their drafts).
    let (current, unreadable) = match state::read(turn.db, incoming.chat_id)? {
        Saved::Nothing => (None, false),
        Saved::State(state) => (Some(state), false),
        Saved::Unreadable => (None, true),
    };
    let step = match &incoming.event {
        Event::Command { name, .. } => on_command(turn, &user, tr, current, name),
        Event::Button { data, message_id } => on_button(turn, &user, tr, current, data, *message_id),
        Event::Text(_)
        | Event::Media(_)
        | Event::Forwarded
        | Event::Location { .. }
        | Event::Photo { .. }
        | Event::Document { .. } => on_message(turn, &user, tr, current),
    }?;
    Ok(if unreadable { step.or_clear().prepend(Reply::text(tr.get("state-lost-after-upgrade"))) } else { step })
}

/// A polite refusal for people without access: a message for messages, an alert for buttons.
fn refuse(tr: Tr<'_>, event: &Event, id: &str, app: &App) -> Vec<Reply> {
    let text = tr.get(id);
    match event {
        Event::Button { .. } => vec![Reply::AnswerButton { text: Some(text), alert: true }],
        _ => vec![Reply::text(text), Reply::SetCommands(commands::menu(app, tr, None))],
    }
}

fn on_command(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    current: Option<ChatState>,
    name: &str,
) -> anyhow::Result<Step> {
    let Some(command) = Command::parse(name).filter(|c| c.allowed_for(Some(user.role))) else {
        return Ok(Step::keep(vec![Reply::text(tr.get("unknown-command"))]));
    };
    // Another command in the middle of a form leaves it; the draft is already saved after every answer.
    if !matches!(command, Command::Cancel | Command::Help | Command::Lang)
        && let Some(ChatState::Form(flow)) = &current
    {
        let name =
            crate::store::students::get_student(turn.db, flow.student_id)?.map(|s| s.full_name()).unwrap_or_default();
        let text = tr.with("form-left-draft-kept", Args::new().str("name", name));
        // At the location step the phone still shows the "share location" keyboard: this message takes it away.
        let left = if flow.location_keyboard { Reply::RemoveKeyboard { text } } else { Reply::text(text) };
        return Ok(run_command(turn, user, tr, None, command)?.or_clear().prepend(left));
    }
    run_command(turn, user, tr, current, command)
}

fn run_command(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    current: Option<ChatState>,
    command: Command,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let keep = |replies| Ok(Step::keep(replies));
    match command {
        Command::Start => start::on_start(turn, Some(user), ""),
        Command::Help => keep(vec![Reply::text(commands::help_text(app, tr, user))]),
        Command::Lang => keep(vec![Reply::Send { text: tr.get("lang-choose"), keyboard: lang_keyboard() }]),
        Command::Cancel => match current {
            // In a form, /cancel asks for confirmation like the cancel button: answers are not thrown away
            // by one mistyped command.
            Some(ChatState::Form(flow)) => form_flow::on_event(turn, user, tr, flow, &turn.incoming.event),
            Some(ChatState::Survey(flow)) => survey_flow::on_event(turn, user, tr, flow, &turn.incoming.event),
            Some(_) => Ok(Step::clear(vec![Reply::text(tr.get("cancelled"))])),
            None => keep(vec![Reply::text(tr.get("nothing-to-cancel"))]),
        },
        Command::Screen => picker::begin(turn, user, tr, Purpose::Screen),
        Command::Visit => picker::begin(turn, user, tr, Purpose::Visit),
        Command::Student => picker::begin(turn, user, tr, Purpose::View),
        Command::Stats => reports_chat::stats(turn, user, tr),
        Command::Export => reports_chat::export(turn, user, tr),
        Command::Print => print_flow::begin(turn, user, tr, None),
        Command::Refer => picker::begin(turn, user, tr, Purpose::Refer),
        Command::Survey => survey_flow::begin(turn, user, tr),
        Command::Cases => case_chat::list_cases(turn, tr, user),
        Command::Plans => case_chat::list_plans(turn, tr, user),
        Command::Invite if user.role == Role::Teacher => parents_flow::send_slips(turn, user, tr),
        Command::Invite => invite_flow::begin(turn, user, tr),
        Command::Announce => announce_flow::begin(turn, user, tr),
        Command::News => announce_flow::history(turn, tr, user),
        Command::Parents => parents_flow::overview(turn, user, tr),
        Command::Users => keep(vec![Reply::text(users_text(turn, tr)?)]),
        // The checks read the database and the disk themselves: after this turn's commit, not inside it.
        Command::Status => {
            let lang = user.lang;
            let mut step = Step::keep(vec![]);
            step.push_later(move |app| Some(Reply::text(crate::ops::doctor::status_text(app, app.l10n.tr(lang)))));
            Ok(step)
        }
        Command::Staff => staff_chat::list(turn, user, tr, 0, None),
        Command::Children => keep(vec![Reply::text(children_text(turn, tr, user)?)]),
        Command::Meeting => classroom_flow::begin_meeting(turn, user, tr),
    }
}

fn lang_keyboard() -> Keyboard {
    Keyboard::default().row(vec![
        Button { text: "ไทย".into(), data: ButtonData::Lang(Lang::Th).encode() },
        Button { text: "English".into(), data: ButtonData::Lang(Lang::En).encode() },
    ])
}

fn stale(tr: Tr<'_>) -> anyhow::Result<Step> {
    Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]))
}

fn on_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    current: Option<ChatState>,
    data: &str,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let event = &turn.incoming.event;
    match ButtonData::decode(data) {
        Some(ButtonData::Lang(lang)) => {
            users::set_lang(turn.db, user.id, lang)?;
            let tr = app.l10n.tr(lang);
            let mut replies = vec![Reply::AnswerButton { text: None, alert: false }];
            let text = tr.get("lang-set");
            replies.push(match message_id {
                Some(message_id) => Reply::Edit { message_id, text, keyboard: Keyboard::default() },
                None => Reply::text(text),
            });
            replies.push(Reply::SetCommands(commands::menu(app, tr, Some(user.role))));
            Ok(Step::keep(replies))
        }
        Some(ButtonData::Invite { nonce, action }) => {
            invite_flow::on_button(turn, user, tr, current, &nonce, action, message_id)
        }
        Some(ButtonData::Pick { nonce, action }) => match current {
            Some(ChatState::Pick(draft)) if draft.nonce == nonce => {
                picker::on_button(turn, user, tr, draft, action, message_id)
            }
            _ => stale(tr),
        },
        Some(ButtonData::Form { .. }) => match current {
            Some(ChatState::Form(flow)) => form_flow::on_event(turn, user, tr, flow, event),
            Some(ChatState::Survey(flow)) => survey_flow::on_event(turn, user, tr, flow, event),
            _ => stale(tr),
        },
        Some(ButtonData::Survey(round)) => survey_flow::start(turn, user, tr, round),
        Some(ButtonData::SurveySend { confirm, audience }) => {
            survey_flow::on_send_button(turn, user, tr, confirm, audience, message_id)
        }
        Some(ButtonData::Refer(submission)) => refer_flow::from_submission(turn, user, tr, submission),
        Some(ButtonData::ReferStep { .. }) => match current {
            Some(ChatState::Refer(draft)) => refer_flow::on_event(turn, user, tr, draft, event),
            _ => stale(tr),
        },
        Some(ButtonData::Case { id, action }) => case_chat::on_case_button(turn, user, tr, id, action, message_id),
        Some(ButtonData::Act { id, action }) => case_chat::on_act_button(turn, user, tr, id, action),
        Some(ButtonData::Input { .. }) => match current {
            Some(ChatState::CaseInput(input)) => case_chat::on_input(turn, user, tr, input, event),
            _ => stale(tr),
        },
        Some(ButtonData::Ann(button)) => announce_flow::on_button(turn, user, tr, current, button, message_id),
        Some(ButtonData::Help { student, submission }) => {
            classroom_flow::start_help(turn, user, tr, student, submission)
        }
        Some(ButtonData::HelpCancel(nonce)) => {
            Ok(classroom_flow::cancel_help(tr, current.as_ref(), &nonce, message_id))
        }
        Some(ButtonData::Meet { nonce, action }) => match current {
            Some(ChatState::Meeting(draft)) if draft.nonce == nonce => {
                classroom_flow::on_meeting_button(turn, user, tr, draft, action, message_id)
            }
            _ => stale(tr),
        },
        Some(ButtonData::Staff(button)) => staff_chat::on_button(turn, user, tr, button, message_id),
        Some(ButtonData::Parents(button)) => parents_flow::on_button(turn, user, tr, button, message_id),
        Some(ButtonData::Print(button)) => print_flow::on_button(turn, user, tr, button, message_id),
        // Unknown or from an older version of the bot.
        None => stale(tr),
    }
}

/// A typed message, a photo, a location, a sticker …: the step in progress decides what it means.
fn on_message(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, current: Option<ChatState>) -> anyhow::Result<Step> {
    let event = &turn.incoming.event;
    let text = match event {
        Event::Text(text) => Some(text.as_str()),
        _ => None,
    };
    match current {
        Some(ChatState::Invite(draft)) => match text {
            Some(text) => invite_flow::on_text(turn, user, tr, draft, text),
            None => invite_flow::on_unexpected(turn, tr, draft),
        },
        Some(ChatState::Announce(draft)) => match text {
            Some(text) => announce_flow::on_text(turn, user, tr, draft, text),
            None => announce_flow::on_other(turn, user, tr, draft, event),
        },
        Some(ChatState::Pick(draft)) => picker::on_other(turn, user, tr, &draft),
        Some(ChatState::Form(flow)) => form_flow::on_event(turn, user, tr, flow, event),
        Some(ChatState::Refer(draft)) => refer_flow::on_event(turn, user, tr, draft, event),
        Some(ChatState::CaseInput(input)) => case_chat::on_input(turn, user, tr, input, event),
        Some(ChatState::Survey(flow)) => survey_flow::on_event(turn, user, tr, flow, event),
        Some(ChatState::Help(draft)) => classroom_flow::on_help_message(turn, user, tr, draft, event),
        Some(ChatState::Meeting(draft)) => classroom_flow::on_meeting_message(turn, user, tr, draft, event),
        // A parent answering an announcement in words ("รับทราบค่ะ", 👍), as they would on LINE.
        None if user.role == Role::Parent && text.is_some_and(crate::announce::is_acknowledgement) => {
            announce_flow::acknowledge_in_words(turn, user, tr)
        }
        None => Ok(Step::keep(vec![Reply::text(tr.get(if text.is_some() {
            "use-the-menu"
        } else {
            "nothing-to-do-with-that"
        }))])),
    }
}

fn users_text(turn: &Turn<'_>, tr: Tr<'_>) -> anyhow::Result<String> {
    let people = users::list(turn.db)?;
    let mut lines = vec![tr.get("users-title")];
    let mut parents = 0;
    for person in people.iter().filter(|p| !p.revoked) {
        if person.role == Role::Parent {
            parents += 1;
            continue;
        }
        let classes = users::classes_of(turn.db, person.id)?;
        let classes: Vec<String> = classes.iter().map(|c| c.name.to_string()).collect();
        lines.push(
            tr.with(
                "users-line",
                Args::new()
                    .str("name", &person.display_name)
                    .str("role", tr.get(person.role.message_id()))
                    .str("classes", classes.join(", ")),
            ),
        );
    }
    lines.push(tr.with("users-parents", Args::new().num("count", parents)));
    Ok(lines.join("\n"))
}

fn children_text(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow) -> anyhow::Result<String> {
    let children = users::children_of(turn.db, user.id)?;
    if children.is_empty() {
        return Ok(tr.get("children-none"));
    }
    let mut lines = vec![tr.get("children-title")];
    for child in children.iter().filter(|c| !c.archived) {
        lines
            .push(tr.with("children-line", Args::new().str("name", child.full_name()).str("class", &child.class_name)));
    }
    Ok(lines.join("\n"))
}
