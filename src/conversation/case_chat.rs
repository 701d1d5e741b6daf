//! Cases in the chat: opening a case (details only for those allowed), the owner's buttons (accept, ask for
//! information, hand over, notes, the plan, status, close), `/cases` and `/plans`, and the answers typed for them.

use super::buttons::{ActButton, ButtonData, CaseAction, InputAction};
use super::state::{self, CaseInput, CaseInputKind, ChatState};
use super::{Button, Event, Incoming, Keyboard, MAX_TEXT_CHARS, Reply};
use crate::app::App;
use crate::care::cases::{self, ActionId, CaseError, CaseId, CaseRow, CaseStatus, Ctx};
use crate::domain::UserId;
use crate::l10n::thai_date::{BANGKOK, parse_date};
use crate::l10n::{Args, Tr};
use crate::store::students::{self};
use crate::store::users::{self, UserRow};
use chrono::{Duration, NaiveDate};

const MAX_NOTE_CHARS: usize = 1000;
const LIST_LIMIT: usize = 30;

fn ctx(app: &App) -> Ctx<'_> {
    Ctx { l10n: &app.l10n, policy: &app.config.reminders, now: app.clock.now() }
}

fn alert(text: String) -> Vec<Reply> {
    vec![Reply::AnswerButton { text: Some(text), alert: true }]
}

fn case_button(text: String, id: CaseId, action: CaseAction) -> Button {
    Button { text, data: ButtonData::Case { id: id.0, action }.encode() }
}

fn act_button(text: String, id: ActionId, action: ActButton) -> Button {
    Button { text, data: ButtonData::Act { id: id.0, action }.encode() }
}

/// A refusal a person understands, for the errors the rules raise.
fn refusal(tr: Tr<'_>, error: &anyhow::Error) -> Option<String> {
    let id = match error.downcast_ref::<CaseError>()? {
        CaseError::NotOwner => "case-not-owner",
        CaseError::Closed => "case-is-closed",
        CaseError::AlreadyDone => "case-already-done",
        CaseError::NoteRequired => "case-note-required",
        CaseError::NotFound | CaseError::NotAllowed => "case-not-allowed",
        CaseError::NobodyToReceive => "refer-nobody-to-receive",
    };
    Some(tr.get(id))
}

/// Run a change; a rule's refusal becomes an alert, anything else an error.
fn change(
    app: &App,
    tr: Tr<'_>,
    f: impl FnOnce(&rusqlite::Transaction<'_>, &Ctx<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Result<(), Vec<Reply>>> {
    let ctx = ctx(app);
    match app.store.write(|tx| f(tx, &ctx)) {
        Ok(()) => Ok(Ok(())),
        Err(e) => match refusal(tr, &e) {
            Some(text) => Ok(Err(alert(text))),
            None => Err(e),
        },
    }
}

pub fn on_case_button(
    app: &App,
    incoming: &Incoming,
    user: &UserRow,
    tr: Tr<'_>,
    id: i64,
    action: CaseAction,
    message_id: Option<i32>,
) -> anyhow::Result<Vec<Reply>> {
    let id = CaseId(id);
    let Some(case) = app.store.read(|c| cases::get_case(c, id))? else {
        return Ok(alert(tr.get("case-not-allowed")));
    };
    // Nobody learns anything about a case they may not open: not even that it exists.
    if !app.store.read(|c| cases::can_open(c, user, &case))? {
        return Ok(alert(tr.get("case-not-allowed")));
    }
    let ok = Reply::AnswerButton { text: None, alert: false };
    let ask = |kind: CaseInputKind, prompt: &str| -> anyhow::Result<Vec<Reply>> {
        let input = CaseInput { nonce: state::new_nonce(), case_id: id.0, kind };
        state::save(app, incoming.chat_id, &ChatState::CaseInput(input.clone()))?;
        Ok(vec![ok.clone(), Reply::Send { text: tr.get(prompt), keyboard: input_keyboard(app, tr, user, &input)? }])
    };
    match action {
        CaseAction::Open => {}
        CaseAction::History => return Ok(vec![ok, Reply::text(history_text(app, tr, &case)?)]),
        CaseAction::Photo => {
            let Some(file_id) = case.photo_file_id.clone() else { return Ok(alert(tr.get("case-not-allowed"))) };
            let caption = tr.with("case-photo-caption", Args::new().num("case", case.id.0));
            return Ok(vec![ok, Reply::PhotoById { file_id, caption }]);
        }
        CaseAction::Accept => {
            if let Err(refused) = change(app, tr, |tx, ctx| cases::accept(tx, ctx, id, user.id))? {
                return Ok(refused);
            }
        }
        CaseAction::AskInfo => {
            return owner_only(&case, user, tr).map_or_else(|| ask(CaseInputKind::Question, "case-ask-question"), Ok);
        }
        CaseAction::Note => return ask(CaseInputKind::Note, "case-ask-note"),
        CaseAction::Goal => {
            return owner_only(&case, user, tr).map_or_else(|| ask(CaseInputKind::Goal, "case-ask-goal"), Ok);
        }
        CaseAction::AddAction => {
            return owner_only(&case, user, tr)
                .map_or_else(|| ask(CaseInputKind::ActionDescription, "case-ask-action"), Ok);
        }
        CaseAction::Close => {
            return owner_only(&case, user, tr).map_or_else(|| ask(CaseInputKind::Outcome, "case-ask-outcome"), Ok);
        }
        CaseAction::ReviewDate => {
            return owner_only(&case, user, tr)
                .map_or_else(|| ask(CaseInputKind::ReviewDate, "plan-ask-review-date"), Ok);
        }
        CaseAction::ReferredOut => {
            return owner_only(&case, user, tr).map_or_else(|| ask(CaseInputKind::Agency, "case-ask-agency"), Ok);
        }
        CaseAction::InProgress => {
            if let Err(refused) =
                change(app, tr, |tx, ctx| cases::update_status(tx, ctx, id, user.id, CaseStatus::InProgress, None))?
            {
                return Ok(refused);
            }
        }
        CaseAction::HandOver => {
            if let Some(refused) = owner_only(&case, user, tr) {
                return Ok(refused);
            }
            let mut keyboard = Keyboard::default();
            for person in staff(app, user)? {
                let label = format!("{} ({})", person.display_name, tr.get(person.role.message_id()));
                keyboard = keyboard.row(vec![case_button(label, id, CaseAction::HandTo(person.id.0))]);
            }
            keyboard = keyboard.row(vec![case_button(tr.get("case-button-back"), id, CaseAction::Open)]);
            return Ok(vec![ok, Reply::show(message_id, tr.get("case-choose-new-owner"), keyboard)]);
        }
        CaseAction::HandTo(to) => {
            if let Err(refused) = change(app, tr, |tx, ctx| cases::hand_over(tx, ctx, id, user.id, UserId(to)))? {
                return Ok(refused);
            }
        }
    }
    let Some(case) = app.store.read(|c| cases::get_case(c, id))? else {
        return Ok(alert(tr.get("case-not-allowed")));
    };
    let (text, keyboard) = case_screen(app, tr, user, &case)?;
    Ok(vec![ok, Reply::show(message_id, text, keyboard)])
}

fn owner_only(case: &CaseRow, user: &UserRow, tr: Tr<'_>) -> Option<Vec<Reply>> {
    if case.status == CaseStatus::Closed {
        return Some(alert(tr.get("case-is-closed")));
    }
    (case.owner != user.id).then(|| alert(tr.get("case-not-owner")))
}

fn staff(app: &App, user: &UserRow) -> anyhow::Result<Vec<UserRow>> {
    app.store.read(|c| cases::staff_who_can_take(c, user.id))
}

fn age_days(app: &App, case: &CaseRow) -> i64 {
    (app.clock.now() - case.opened_at).num_days()
}

/// The case as its owner (or a watcher) sees it.
pub fn case_screen(app: &App, tr: Tr<'_>, user: &UserRow, case: &CaseRow) -> anyhow::Result<(String, Keyboard)> {
    let student = app.store.read(|c| students::get_student(c, case.student))?;
    let (referrer, owner) = app.store.read(|c| Ok((users::get(c, case.opened_by)?, users::get(c, case.owner)?)))?;
    let mut lines = vec![
        tr.with(
            "case-title",
            Args::new()
                .num("case", case.id.0)
                .str("urgency", tr.get(case.urgency.message_id()))
                .str("status", tr.get(case.status.message_id())),
        ),
    ];
    if let Some(s) = &student {
        lines.push(tr.with("case-student", Args::new().str("name", s.full_name()).str("class", &s.class_name)));
    }
    let opened = case.opened_at.with_timezone(&BANGKOK).date_naive();
    lines.push(
        tr.with(
            "case-referred-by",
            Args::new()
                .str("by", referrer.map(|u| u.display_name).unwrap_or_default())
                .str("date", tr.date(opened))
                .num("days", age_days(app, case)),
        ),
    );
    lines.push(tr.with("case-owner", Args::new().str("owner", owner.map(|u| u.display_name).unwrap_or_default())));
    if !case.aspects.is_empty() {
        let labels: Vec<String> = case.aspects.iter().map(|a| aspect_label(app, tr, a)).collect();
        lines.push(tr.with("case-aspects", Args::new().str("aspects", labels.join(", "))));
    }
    lines.push(tr.with("case-reason", Args::new().str("reason", &case.reason)));
    if case.photo_file_id.is_some() {
        lines.push(tr.get("case-has-photo"));
    }
    if case.external {
        let agency = case.external_agency.clone().unwrap_or_else(|| tr.get("case-agency-unknown"));
        lines.push(tr.with("case-external", Args::new().str("agency", agency)));
    }
    let plan = app.store.read(|c| cases::plan_of(c, case.id))?;
    if let Some(plan) = &plan {
        lines.push(tr.with("case-goal", Args::new().str("goal", &plan.goal)));
        if let Some(review) = plan.review_on {
            lines.push(tr.with("case-review-date", Args::new().str("date", tr.date(review))));
        }
    }
    let actions = app.store.read(|c| cases::actions_of(c, case.id))?;
    for a in &actions {
        let mark = match a.status.as_str() {
            "done" => "✅",
            "cancelled" => "✖",
            _ if a.due_on < app.clock.today() => "⏰",
            _ => "▫️",
        };
        lines.push(format!("{mark} {} — {} ({})", a.description, a.owner_name, tr.date(a.due_on)));
    }
    if let Some(outcome) = &case.outcome {
        lines.push(tr.with("case-outcome", Args::new().str("outcome", outcome)));
    }

    let id = case.id;
    let mut keyboard = Keyboard::default();
    let is_owner = case.owner == user.id;
    match case.status {
        CaseStatus::Closed => {}
        CaseStatus::New if is_owner => {
            keyboard = keyboard.row(vec![case_button(tr.get("case-button-accept"), id, CaseAction::Accept)]).row(vec![
                case_button(tr.get("case-button-ask"), id, CaseAction::AskInfo),
                case_button(tr.get("case-button-hand-over"), id, CaseAction::HandOver),
            ]);
        }
        _ if is_owner => {
            keyboard = keyboard
                .row(vec![
                    case_button(tr.get("case-button-goal"), id, CaseAction::Goal),
                    case_button(tr.get("case-button-add-action"), id, CaseAction::AddAction),
                ])
                .row(if plan.is_some() {
                    vec![
                        case_button(tr.get("case-button-review-date"), id, CaseAction::ReviewDate),
                        case_button(tr.get("case-button-note"), id, CaseAction::Note),
                        case_button(tr.get("case-button-ask"), id, CaseAction::AskInfo),
                    ]
                } else {
                    vec![
                        case_button(tr.get("case-button-note"), id, CaseAction::Note),
                        case_button(tr.get("case-button-ask"), id, CaseAction::AskInfo),
                    ]
                })
                .row(vec![
                    case_button(tr.get("case-button-in-progress"), id, CaseAction::InProgress),
                    case_button(tr.get("case-button-referred-out"), id, CaseAction::ReferredOut),
                ])
                .row(vec![
                    case_button(tr.get("case-button-hand-over"), id, CaseAction::HandOver),
                    case_button(tr.get("case-button-close"), id, CaseAction::Close),
                ]);
        }
        _ => keyboard = keyboard.row(vec![case_button(tr.get("case-button-note"), id, CaseAction::Note)]),
    }
    let mut last = vec![case_button(tr.get("case-button-history"), id, CaseAction::History)];
    if case.photo_file_id.is_some() {
        last.push(case_button(tr.get("case-button-photo"), id, CaseAction::Photo));
    }
    keyboard = keyboard.row(last);
    Ok((lines.join("\n"), keyboard))
}

fn aspect_label(app: &App, tr: Tr<'_>, id: &str) -> String {
    if id == "other" {
        return tr.get("refer-aspect-other");
    }
    app.forms
        .of_kind("screening")
        .next()
        .and_then(|f| f.aspect(id))
        .map(|a| if tr.lang == crate::l10n::Lang::En { a.label.en().to_string() } else { a.label.th().to_string() })
        .unwrap_or_else(|| id.to_string())
}

fn history_text(app: &App, tr: Tr<'_>, case: &CaseRow) -> anyhow::Result<String> {
    let events = app.store.read(|c| cases::chronology(c, case.id))?;
    let mut lines = vec![tr.with("case-history-title", Args::new().num("case", case.id.0))];
    for e in events {
        let when = e.at.with_timezone(&BANGKOK);
        let who = e.actor_name.unwrap_or_else(|| tr.get("case-by-system"));
        let what = tr.get(&format!("case-event-{}", e.kind.replace('_', "-")));
        let detail = e.detail.map(|d| format!(": {}", d.chars().take(200).collect::<String>())).unwrap_or_default();
        lines.push(format!("• {} {} — {who}: {what}{detail}", tr.date(when.date_naive()), when.format("%H:%M")));
    }
    Ok(lines.join("\n"))
}

/// `/cases`: the head sees every open case; others the cases they own or watch. Most urgent, then oldest first.
pub fn list_cases(app: &App, tr: Tr<'_>, user: &UserRow) -> anyhow::Result<Vec<Reply>> {
    let list = app.store.read(|c| cases::cases_for(c, user))?;
    if list.is_empty() {
        return Ok(vec![Reply::text(tr.get("cases-none"))]);
    }
    let mut keyboard = Keyboard::default();
    for case in list.iter().take(LIST_LIMIT) {
        let student = app.store.read(|c| students::get_student(c, case.student))?;
        let who = student.map(|s| format!("{} {}", s.class_name, s.first_name)).unwrap_or_default();
        let label = tr.with(
            "cases-line",
            Args::new()
                .num("case", case.id.0)
                .str("urgency", tr.get(case.urgency.message_id()))
                .str("status", tr.get(case.status.message_id()))
                .str("who", who)
                .num("days", age_days(app, case)),
        );
        keyboard = keyboard.row(vec![case_button(label, case.id, CaseAction::Open)]);
    }
    let text = tr.with("cases-title", Args::new().num("count", list.len() as i64));
    Ok(vec![Reply::Send { text, keyboard }])
}

/// `/plans`: a person's open actions, soonest first, each with done / reschedule / open buttons.
pub fn list_plans(app: &App, tr: Tr<'_>, user: &UserRow) -> anyhow::Result<Vec<Reply>> {
    let actions = app.store.read(|c| cases::open_actions_for(c, user.id))?;
    if actions.is_empty() {
        return Ok(vec![Reply::text(tr.get("plans-none"))]);
    }
    let today = app.clock.today();
    let mut lines = vec![tr.with("plans-title", Args::new().num("count", actions.len() as i64))];
    let mut keyboard = Keyboard::default();
    for (n, a) in actions.iter().take(LIST_LIMIT).enumerate() {
        let overdue = if a.due_on < today { "⏰ " } else { "" };
        lines.push(format!("{}. {overdue}{} — {} (#{})", n + 1, a.description, tr.date(a.due_on), a.case.0));
        keyboard = keyboard.row(vec![
            act_button(format!("✅ {}", n + 1), a.id, ActButton::Done),
            act_button(format!("📅 {}", n + 1), a.id, ActButton::Reschedule),
            act_button(format!("📂 {}", n + 1), a.id, ActButton::OpenCase),
        ]);
    }
    Ok(vec![Reply::Send { text: lines.join("\n"), keyboard }])
}

pub fn on_act_button(
    app: &App,
    incoming: &Incoming,
    user: &UserRow,
    tr: Tr<'_>,
    id: i64,
    action: ActButton,
) -> anyhow::Result<Vec<Reply>> {
    let Some(act) = app.store.read(|c| cases::get_action(c, ActionId(id)))? else {
        return Ok(alert(tr.get("case-not-allowed")));
    };
    let Some(case) = app.store.read(|c| cases::get_case(c, act.case))? else {
        return Ok(alert(tr.get("case-not-allowed")));
    };
    let responsible = act.owner == user.id || case.owner == user.id;
    if !app.store.read(|c| cases::can_open(c, user, &case))? {
        return Ok(alert(tr.get("case-not-allowed")));
    }
    match action {
        ActButton::OpenCase => on_case_button(app, incoming, user, tr, case.id.0, CaseAction::Open, None),
        _ if !responsible => Ok(alert(tr.get("case-not-owner"))),
        _ if act.status != "open" || case.status == CaseStatus::Closed => Ok(alert(tr.get("case-already-done"))),
        ActButton::Done | ActButton::Reschedule => {
            let kind = if action == ActButton::Done {
                CaseInputKind::DoneNote { action: id }
            } else {
                CaseInputKind::RescheduleDate { action: id }
            };
            let prompt = if action == ActButton::Done { "plan-ask-done-note" } else { "plan-ask-new-date" };
            let input = CaseInput { nonce: state::new_nonce(), case_id: case.id.0, kind };
            state::save(app, incoming.chat_id, &ChatState::CaseInput(input.clone()))?;
            let text = tr.with(prompt, Args::new().str("action", &act.description));
            Ok(vec![
                Reply::AnswerButton { text: None, alert: false },
                Reply::Send { text, keyboard: input_keyboard(app, tr, user, &input)? },
            ])
        }
    }
}

/// Buttons that go with a typed answer: people, dates, skip, cancel.
fn input_keyboard(app: &App, tr: Tr<'_>, user: &UserRow, input: &CaseInput) -> anyhow::Result<Keyboard> {
    let b = |text: String, action: InputAction| Button {
        text,
        data: ButtonData::Input { nonce: input.nonce.clone(), action }.encode(),
    };
    let mut keyboard = Keyboard::default();
    match &input.kind {
        CaseInputKind::ActionOwner { .. } => {
            keyboard = keyboard.row(vec![b(tr.get("plan-owner-me"), InputAction::Person(user.id.0))]);
            for person in staff(app, user)? {
                keyboard = keyboard.row(vec![b(person.display_name.clone(), InputAction::Person(person.id.0))]);
            }
        }
        CaseInputKind::ActionDue { .. } | CaseInputKind::RescheduleDate { .. } | CaseInputKind::ReviewDate => {
            let today = app.clock.today();
            let row: Vec<Button> = [3, 7, 14, 30]
                .into_iter()
                .map(|days| {
                    let date = today + Duration::days(days);
                    b(tr.date(date), InputAction::Date(date))
                })
                .collect();
            keyboard = keyboard.row(row[..2].to_vec()).row(row[2..].to_vec());
        }
        CaseInputKind::DoneNote { .. } => keyboard = keyboard.row(vec![b(tr.get("button-skip"), InputAction::Skip)]),
        _ => {}
    }
    Ok(keyboard.row(vec![b(tr.get("button-cancel"), InputAction::Cancel)]))
}

/// A typed answer or an input button while something is asked for a case.
pub fn on_input(
    app: &App,
    incoming: &Incoming,
    user: &UserRow,
    tr: Tr<'_>,
    input: CaseInput,
    event: &Event,
) -> anyhow::Result<Vec<Reply>> {
    let (text, choice, pressed) = match event {
        Event::Text(t) => (Some(t.trim().to_string()), None, false),
        Event::Button { data, .. } => match ButtonData::decode(data) {
            Some(ButtonData::Input { nonce, action }) if nonce == input.nonce => (None, Some(action), true),
            _ => return Ok(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]),
        },
        _ => return again(app, tr, user, &input, "case-type-text"),
    };
    let mut replies = vec![];
    if pressed {
        replies.push(Reply::AnswerButton { text: None, alert: false });
    }
    if choice == Some(InputAction::Cancel) {
        state::clear(app, incoming.chat_id)?;
        replies.push(Reply::text(tr.get("cancelled")));
        return Ok(replies);
    }
    if let Some(t) = &text {
        if t.is_empty() || t.starts_with('/') {
            return again(app, tr, user, &input, "case-type-text");
        }
        if t.chars().count() > MAX_NOTE_CHARS.min(MAX_TEXT_CHARS) {
            return again(app, tr, user, &input, "case-text-too-long");
        }
    }
    let case = CaseId(input.case_id);
    let typed = text.clone().unwrap_or_default();
    let date_of = |choice: &Option<InputAction>, text: &Option<String>| -> Option<NaiveDate> {
        match choice {
            Some(InputAction::Date(d)) => Some(*d),
            _ => text.as_deref().and_then(|t| parse_date(t).ok()),
        }
    };
    let next = |kind: CaseInputKind, prompt: &str| -> anyhow::Result<Vec<Reply>> {
        let next = CaseInput { nonce: state::new_nonce(), case_id: input.case_id, kind };
        state::save(app, incoming.chat_id, &ChatState::CaseInput(next.clone()))?;
        Ok(vec![Reply::Send { text: tr.get(prompt), keyboard: input_keyboard(app, tr, user, &next)? }])
    };
    let result = match &input.kind {
        CaseInputKind::Question if text.is_some() => {
            change(app, tr, |tx, ctx| cases::ask_for_information(tx, ctx, case, user.id, &typed))?
        }
        CaseInputKind::Note if text.is_some() => {
            change(app, tr, |tx, ctx| cases::add_note(tx, ctx, case, user, &typed))?
        }
        CaseInputKind::Goal if text.is_some() => {
            change(app, tr, |tx, ctx| cases::set_goal(tx, ctx, case, user.id, &typed, None))?
        }
        CaseInputKind::Outcome if text.is_some() => {
            change(app, tr, |tx, ctx| cases::close(tx, ctx, case, user.id, &typed))?
        }
        CaseInputKind::Agency if text.is_some() => change(app, tr, |tx, ctx| {
            cases::update_status(tx, ctx, case, user.id, CaseStatus::ReferredOut, Some(&typed))
        })?,
        CaseInputKind::ActionDescription if text.is_some() => {
            replies.extend(next(CaseInputKind::ActionOwner { description: typed }, "plan-ask-owner")?);
            return Ok(replies);
        }
        CaseInputKind::ActionOwner { description } => {
            let Some(InputAction::Person(owner)) = choice else {
                return again(app, tr, user, &input, "use-the-buttons");
            };
            replies.extend(next(CaseInputKind::ActionDue { description: description.clone(), owner }, "plan-ask-due")?);
            return Ok(replies);
        }
        CaseInputKind::ActionDue { description, owner } => {
            let Some(due) = date_of(&choice, &text) else {
                return again(app, tr, user, &input, "plan-date-unreadable");
            };
            if due < app.clock.today() {
                return again(app, tr, user, &input, "plan-date-in-past");
            }
            let owner = UserId(*owner);
            change(app, tr, |tx, ctx| cases::add_action(tx, ctx, case, user.id, description, owner, due).map(|_| ()))?
        }
        CaseInputKind::ReviewDate => {
            let Some(date) = date_of(&choice, &text) else {
                return again(app, tr, user, &input, "plan-date-unreadable");
            };
            if date < app.clock.today() {
                return again(app, tr, user, &input, "plan-date-in-past");
            }
            change(app, tr, |tx, ctx| cases::set_review_date(tx, ctx, case, user.id, date))?
        }
        CaseInputKind::DoneNote { action } => {
            let note = text.clone().filter(|t| !t.is_empty());
            change(app, tr, |tx, ctx| cases::complete_action(tx, ctx, ActionId(*action), user.id, note.as_deref()))?
        }
        CaseInputKind::RescheduleDate { action } => {
            let Some(date) = date_of(&choice, &text) else {
                return again(app, tr, user, &input, "plan-date-unreadable");
            };
            if date < app.clock.today() {
                return again(app, tr, user, &input, "plan-date-in-past");
            }
            replies.extend(next(CaseInputKind::RescheduleReason { action: *action, date }, "plan-ask-reason")?);
            return Ok(replies);
        }
        CaseInputKind::RescheduleReason { action, date } if text.is_some() => {
            change(app, tr, |tx, ctx| cases::reschedule_action(tx, ctx, ActionId(*action), user.id, *date, &typed))?
        }
        _ => return again(app, tr, user, &input, "case-type-text"),
    };
    state::clear(app, incoming.chat_id)?;
    match result {
        Err(refused) => {
            // The refusal as a message (a typed answer has no button to alert on).
            replies.extend(refused.into_iter().map(|r| match r {
                Reply::AnswerButton { text: Some(t), .. } => Reply::text(t),
                other => other,
            }));
        }
        Ok(()) => {
            replies.push(Reply::text(tr.get("case-saved")));
            if let Some(updated) = app.store.read(|c| cases::get_case(c, case))? {
                let (text, keyboard) = case_screen(app, tr, user, &updated)?;
                replies.push(Reply::Send { text, keyboard });
            }
        }
    }
    Ok(replies)
}

fn again(app: &App, tr: Tr<'_>, user: &UserRow, input: &CaseInput, problem: &str) -> anyhow::Result<Vec<Reply>> {
    Ok(vec![Reply::Send {
        text: format!("⚠️ {}", tr.get(problem)), keyboard: input_keyboard(app, tr, user, input)?
    }])
}
