//! The satisfaction survey in the chat: the head's `/survey` (audience, preview, confirm) and a parent's or a
//! colleague's answers, one question per message with the same engine and screens as the other forms.

use super::buttons::ButtonData;
use super::form_flow::{self, input_kind, input_of, local, tag};
use super::state::{self, ChatState, SurveyFlow};
use super::turn::{Step, Turn};
use super::{Button, Event, Keyboard, Reply};
use crate::app::App;
use crate::domain::ids::SurveyRoundId;
use crate::domain::refusal::Refusal as _;
use crate::forms::FormDef;
use crate::forms::engine::{self, FormSession, Input, InputKind, Screen};
use crate::l10n::{Args, Tr};
use crate::store::users::UserRow;
use crate::survey::{self, Audience, Round};
use anyhow::Context as _;

fn survey_form(app: &App) -> Option<&FormDef> {
    app.forms.get("satisfaction").filter(|f| f.kind == "survey").or_else(|| app.forms.of_kind("survey").next())
}

fn button(text: String, data: ButtonData) -> Button {
    Button { text, data: data.encode() }
}

/// `/survey`: whom to send it to, with the number of people in each group.
pub fn begin(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let app = turn.app;
    if !survey::may_send(user) {
        return Ok(Step::keep(vec![Reply::text(tr.get("unknown-command"))]));
    }
    if survey_form(app).is_none() {
        return Ok(Step::keep(vec![Reply::text(tr.get("survey-no-form"))]));
    }
    let mut keyboard = Keyboard::default();
    for audience in [Audience::Parents, Audience::Staff] {
        let count = survey::recipients(turn.db, audience)?.len();
        let label = tr.with("survey-choose-line", survey::preview_args(count, audience, &app.l10n, tr.lang));
        keyboard = keyboard.row(vec![button(
            label,
            ButtonData::SurveySend { confirm: false, audience: Some(audience.as_str().into()) },
        )]);
    }
    keyboard =
        keyboard.row(vec![button(tr.get("button-cancel"), ButtonData::SurveySend { confirm: false, audience: None })]);
    Ok(Step::keep(vec![Reply::Send { text: tr.get("survey-choose-audience"), keyboard }]))
}

/// The head's preview / confirm / cancel buttons.
pub fn on_send_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    confirm: bool,
    audience: Option<String>,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let ok = Reply::AnswerButton { text: None, alert: false };
    if !survey::may_send(user) {
        return Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    }
    let Some(audience) = audience.as_deref().and_then(Audience::parse) else {
        return Ok(Step::keep(vec![ok, Reply::show(message_id, tr.get("cancelled"), Keyboard::default())]));
    };
    let Some(form) = survey_form(app) else {
        return Ok(Step::keep(vec![ok, Reply::text(tr.get("survey-no-form"))]));
    };
    let count = survey::recipients(turn.db, audience)?.len();
    if !confirm {
        let text = tr.with("survey-preview", survey::preview_args(count, audience, &app.l10n, tr.lang));
        let keyboard = Keyboard::default().row(vec![
            button(
                tr.get("survey-button-send"),
                ButtonData::SurveySend { confirm: true, audience: Some(audience.as_str().into()) },
            ),
            button(tr.get("button-cancel"), ButtonData::SurveySend { confirm: false, audience: None }),
        ]);
        return Ok(Step::keep(vec![ok, Reply::show(message_id, text, keyboard)]));
    }
    let now = app.clock.now();
    let term = crate::store::terms::current(turn.db, app.clock.today())?.to_string();
    // "Just sent" refuses and leaves nothing behind; a fault goes up as it is.
    let text = match turn.attempt_or_refuse(|tx| survey::send(tx, &app.l10n, user, &form.id, audience, &term, now))? {
        Ok((_, n)) => tr.with("survey-sent", survey::preview_args(n, audience, &app.l10n, tr.lang)),
        Err(refused) => tr.get(refused.message_id()),
    };
    Ok(Step::keep(vec![ok, Reply::show(message_id, text, Keyboard::default())]))
}

/// "Answer the survey" pressed on the invitation.
pub fn start(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, round_id: SurveyRoundId) -> anyhow::Result<Step> {
    let app = turn.app;
    let refuse = |id: &str| Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get(id)), alert: true }]));
    let Some(round) = survey::round(turn.db, round_id)? else { return refuse("stale-button") };
    if !round.audience.includes(user) {
        return refuse("stale-button");
    }
    if survey::has_answered(turn.db, round.id, user.id)? {
        return refuse("survey-already-answered");
    }
    let Some(form) = app.forms.get(&round.form_id) else { return refuse("survey-no-form") };
    let saved = survey::load_draft(turn.db, round.id, user.id)?;
    // A draft saved by an older form that no longer reads is not a fault: the person starts the form afresh.
    let (session, screen) = match saved.and_then(|json| serde_json::from_str::<FormSession>(&json).ok()) {
        Some(session) if session.form_id == form.id => {
            let screen = engine::current_screen(form, &session);
            (session, screen)
        }
        _ => engine::start(form),
    };
    let flow = SurveyFlow { nonce: state::new_nonce(), round_id: round.id };
    Ok(show(turn, user, tr, flow, &round, form, &session, screen, None)?
        .prepend(Reply::AnswerButton { text: None, alert: false }))
}

pub fn on_event(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, flow: SurveyFlow, event: &Event) -> anyhow::Result<Step> {
    let app = turn.app;
    let stale = || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    let round = survey::round(turn.db, flow.round_id)?;
    let form = round.as_ref().and_then(|r| app.forms.get(&r.form_id));
    let json = survey::load_draft(turn.db, flow.round_id, user.id)?;
    let (Some(round), Some(form), Some(json)) = (round, form, json) else {
        return Ok(Step::clear(vec![Reply::text(tr.get("form-closed"))]));
    };
    let session: FormSession = serde_json::from_str(&json).context("a survey draft that no longer parses")?;
    let (input, message_id) = match event {
        Event::Button { data, message_id } => {
            let Some(ButtonData::Form { nonce, at, action }) = ButtonData::decode(data) else { return stale() };
            if nonce != flow.nonce || at != tag(&session.position) {
                return stale();
            }
            (input_of(action), *message_id)
        }
        Event::Text(text) => (Input::Text(text.clone()), None),
        Event::Media(kind) => (Input::Unsupported(input_kind(*kind)), None),
        Event::Command { .. } => (Input::Cancel, None),
        _ => (Input::Unsupported(InputKind::Other), None),
    };
    let (session, screen) = engine::step(form, session, input, app.clock.today());
    let step = show(turn, user, tr, flow, &round, form, &session, screen, message_id)?;
    Ok(if message_id.is_some() { step.prepend(Reply::AnswerButton { text: None, alert: false }) } else { step })
}

#[allow(clippy::too_many_arguments)]
fn show(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    flow: SurveyFlow,
    round: &Round,
    form: &FormDef,
    session: &FormSession,
    screen: Screen,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let now = turn.app.clock.now();
    match screen {
        Screen::Submitted(submission) => {
            let answers = serde_json::to_string(&submission.answers)?;
            survey::save_response(turn.db, round, user, form.version, &answers, now)?;
            return Ok(Step::clear(vec![Reply::show(message_id, tr.get("survey-thanks"), Keyboard::default())]));
        }
        Screen::Saved => {
            let json = serde_json::to_string(session)?;
            survey::save_draft(turn.db, round.id, user.id, &json, now)?;
            return Ok(Step::clear(vec![Reply::show(message_id, tr.get("survey-saved"), Keyboard::default())]));
        }
        Screen::Cancelled | Screen::Closed => {
            survey::delete_draft(turn.db, round.id, user.id)?;
            return Ok(Step::clear(vec![Reply::show(message_id, tr.get("form-cancelled"), Keyboard::default())]));
        }
        _ => {}
    }
    let json = serde_json::to_string(session)?;
    survey::save_draft(turn.db, round.id, user.id, &json, now)?;
    let header = tr.with("survey-header", Args::new().str("form", local(tr.lang, &form.title)));
    let (text, keyboard) = form_flow::render(tr, &flow.nonce, &tag(&session.position), header, &screen);
    Ok(Step::set(ChatState::Survey(flow), vec![Reply::Question { message_id, text, keyboard }]))
}
