//! Cases in the chat: opening a case (details only for those allowed), the owner's buttons (accept, ask for
//! information, hand over, notes, the plan, status, close), `/cases` and `/plans`, and the answers typed for them.

use super::buttons::{ActButton, ButtonData, CaseAction, InputAction};
use super::pages::{PEOPLE_PER_PAGE, nav_row, page_of};
use super::state::{self, CaseInput, CaseInputKind, ChatState};
use super::turn::{Step, Turn};
use super::{Button, Event, Keyboard, MAX_TEXT_CHARS, Reply};
use crate::app::App;
use crate::care::cases::{
    self, ActionId, CaseEvent, CaseEventId, CaseId, CaseKind, CaseRow, CaseStatus, Ctx, Decision,
};
use crate::care::owners;
use crate::domain::refusal::Refusal as _;
use crate::l10n::thai_date::{BANGKOK, parse_date};
use crate::l10n::{Args, Tr};
use crate::store::students::{self};
use crate::store::users::{self, UserRow};
use chrono::{Duration, NaiveDate};

const MAX_NOTE_CHARS: usize = 1000;
const LIST_LIMIT: usize = 30;
/// Chronology entries the case screen always shows (the newest), so a note or an answer is seen at once.
const RECENT_ENTRIES: usize = 3;

fn alert(text: String) -> Vec<Reply> {
    vec![Reply::AnswerButton { text: Some(text), alert: true }]
}

fn alert_step(text: String) -> anyhow::Result<Step> {
    Ok(Step::keep(alert(text)))
}

fn case_button(text: String, id: CaseId, action: CaseAction) -> Button {
    Button { text, data: ButtonData::Case { id, action }.encode() }
}

fn act_button(text: String, id: ActionId, action: ActButton) -> Button {
    Button { text, data: ButtonData::Act { id, action }.encode() }
}

/// Run a change a rule may refuse: a refusal becomes an alert with the rule's message (and leaves nothing
/// behind); a fault stays an error, for the log and the apology.
fn change<T>(
    turn: &Turn<'_>,
    tr: Tr<'_>,
    f: impl FnOnce(&rusqlite::Transaction<'_>, &Ctx<'_>) -> Decision<T>,
) -> anyhow::Result<Result<(), Vec<Reply>>> {
    let ctx = Ctx::of(turn.app);
    Ok(turn.attempt_or_refuse(|tx| f(tx, &ctx))?.map(|_| ()).map_err(|refused| alert(tr.get(refused.message_id()))))
}

pub fn on_case_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    id: CaseId,
    action: CaseAction,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let Some(case) = cases::get_case(turn.db, id)? else {
        return alert_step(tr.get("case-not-allowed"));
    };
    // Nobody learns anything about a case they may not open: not even that it exists.
    if !cases::can_open(turn.db, user, &case)? {
        return alert_step(tr.get("case-not-allowed"));
    }
    let ok = Reply::AnswerButton { text: None, alert: false };
    let ask = |kind: CaseInputKind, prompt: &str| -> anyhow::Result<Step> {
        let input = CaseInput { nonce: state::new_nonce(), case_id: id, kind };
        let keyboard = input_keyboard(turn, tr, user, &input)?;
        Ok(Step::set(ChatState::CaseInput(input), vec![ok.clone(), Reply::Send { text: tr.get(prompt), keyboard }]))
    };
    let refused = |replies: Vec<Reply>| Ok(Step::keep(replies));
    if let Some(step) = super::classroom_flow::on_refer_button(turn, user, tr, &case, &action, message_id)? {
        return Ok(step);
    }
    match action {
        CaseAction::Open => {}
        CaseAction::Entry(entry) => return open_entry(turn, user, tr, &case, entry, message_id),
        CaseAction::Answer if case.status == CaseStatus::Closed => return alert_step(tr.get("case-is-closed")),
        CaseAction::Answer => return ask(CaseInputKind::Note, "case-ask-answer"),
        // Handled above (help in class → the counsellor).
        CaseAction::Refer | CaseAction::ReferAs(_) | CaseAction::ReferTo(..) => {}
        CaseAction::History => return Ok(Step::keep(vec![ok, Reply::text(history_text(turn, tr, &case)?)])),
        CaseAction::Photo => {
            let Some(file_id) = case.photo_file_id.clone() else { return alert_step(tr.get("case-not-allowed")) };
            let caption = tr.with("case-photo-caption", Args::new().num("case", case.id.0));
            return Ok(Step::keep(vec![ok, Reply::PhotoById { file_id, caption }]));
        }
        CaseAction::Accept => {
            if let Err(replies) = change(turn, tr, |tx, ctx| cases::accept(tx, ctx, id, user.id))? {
                return refused(replies);
            }
        }
        CaseAction::AskInfo => {
            return owner_only(&case, user, tr)
                .map_or_else(|| ask(CaseInputKind::Question, "case-ask-question"), refused);
        }
        CaseAction::Note => return ask(CaseInputKind::Note, "case-ask-note"),
        CaseAction::Goal => {
            return owner_only(&case, user, tr).map_or_else(|| ask(CaseInputKind::Goal, "case-ask-goal"), refused);
        }
        CaseAction::AddAction => {
            return owner_only(&case, user, tr)
                .map_or_else(|| ask(CaseInputKind::ActionDescription, "case-ask-action"), refused);
        }
        CaseAction::Close => {
            return owner_only(&case, user, tr)
                .map_or_else(|| ask(CaseInputKind::Outcome, "case-ask-outcome"), refused);
        }
        CaseAction::ReviewDate => {
            return owner_only(&case, user, tr)
                .map_or_else(|| ask(CaseInputKind::ReviewDate, "plan-ask-review-date"), refused);
        }
        CaseAction::ReferredOut => {
            return owner_only(&case, user, tr).map_or_else(|| ask(CaseInputKind::Agency, "case-ask-agency"), refused);
        }
        CaseAction::InProgress => {
            if let Err(replies) =
                change(turn, tr, |tx, ctx| cases::update_status(tx, ctx, id, user.id, CaseStatus::InProgress, None))?
            {
                return refused(replies);
            }
        }
        CaseAction::HandOver | CaseAction::HandPage(_) => {
            if let Some(replies) = owner_only(&case, user, tr) {
                return refused(replies);
            }
            let page = match action {
                CaseAction::HandPage(page) => page,
                _ => 0,
            };
            // The people the one rule admits, a page at a time (a school may have 60 teachers).
            let people = staff(turn, user)?;
            let (shown, page, pages) = page_of(&people, page, PEOPLE_PER_PAGE);
            let mut keyboard = Keyboard::default();
            for person in shown {
                let label = format!("{} ({})", person.display_name, tr.get(person.role.message_id()));
                keyboard = keyboard.row(vec![case_button(label, id, CaseAction::HandTo(person.id))]);
            }
            keyboard = keyboard.row(nav_row(page, pages, |p, text| case_button(text, id, CaseAction::HandPage(p))));
            keyboard = keyboard.row(vec![case_button(tr.get("case-button-back"), id, CaseAction::Open)]);
            let text = if people.is_empty() { tr.get("owner-nobody") } else { tr.get("case-choose-new-owner") };
            return Ok(Step::keep(vec![ok, Reply::show(message_id, text, keyboard)]));
        }
        CaseAction::HandTo(to) => {
            if let Err(replies) = change(turn, tr, |tx, ctx| cases::hand_over(tx, ctx, id, user.id, to))? {
                return refused(replies);
            }
        }
    }
    let Some(case) = cases::get_case(turn.db, id)? else {
        return alert_step(tr.get("case-not-allowed"));
    };
    let (text, keyboard) = case_screen(turn, tr, user, &case)?;
    Ok(Step::keep(vec![ok, Reply::show(message_id, text, keyboard)]))
}

fn owner_only(case: &CaseRow, user: &UserRow, tr: Tr<'_>) -> Option<Vec<Reply>> {
    if case.status == CaseStatus::Closed {
        return Some(alert(tr.get("case-is-closed")));
    }
    (case.owner != user.id).then(|| alert(tr.get("case-not-owner")))
}

fn staff(turn: &Turn<'_>, user: &UserRow) -> anyhow::Result<Vec<UserRow>> {
    cases::staff_who_can_take(turn.db, user.id)
}

fn age_days(app: &App, case: &CaseRow) -> i64 {
    (app.clock.now() - case.opened_at).num_days()
}

/// A question or a note opened from its notification: the entry itself, then the case. A question gets a
/// button to answer it (for anyone but the owner who asked).
fn open_entry(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    case: &CaseRow,
    entry: CaseEventId,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let ok = Reply::AnswerButton { text: None, alert: false };
    let Some(e) = cases::case_event(turn.db, case.id, entry)? else {
        return alert_step(tr.get("case-not-allowed"));
    };
    let when = e.at.with_timezone(&BANGKOK);
    let header_id = if e.kind == "question" { "case-entry-question" } else { "case-entry-note" };
    let header = tr.with(
        header_id,
        Args::new()
            .num("case", case.id.0)
            .str("who", e.actor_name.clone().unwrap_or_else(|| tr.get("case-by-system")))
            .str("date", format!("{} {}", tr.date(when.date_naive()), when.format("%H:%M"))),
    );
    let detail = e.detail.clone().unwrap_or_default();
    let (screen, case_keyboard) = case_screen(turn, tr, user, case)?;
    let mut keyboard = Keyboard::default();
    if e.kind == "question" && case.owner != user.id && case.status != CaseStatus::Closed {
        keyboard = keyboard.row(vec![case_button(tr.get("case-button-answer"), case.id, CaseAction::Answer)]);
    }
    keyboard.0.extend(case_keyboard.0);
    let text = format!("{header}\n{detail}\n\n{screen}");
    Ok(Step::keep(vec![ok, Reply::show(message_id, text, keyboard)]))
}

fn event_line(tr: Tr<'_>, e: &CaseEvent, max_chars: usize) -> String {
    let when = e.at.with_timezone(&BANGKOK);
    let who = e.actor_name.clone().unwrap_or_else(|| tr.get("case-by-system"));
    let what = tr.get(&format!("case-event-{}", e.kind.replace('_', "-")));
    let detail =
        e.detail.as_ref().map(|d| format!(": {}", d.chars().take(max_chars).collect::<String>())).unwrap_or_default();
    format!("• {} {} — {who}: {what}{detail}", tr.date(when.date_naive()), when.format("%H:%M"))
}

/// The case as its owner (or a watcher) sees it.
pub fn case_screen(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, case: &CaseRow) -> anyhow::Result<(String, Keyboard)> {
    let app = turn.app;
    let student = students::get_student(turn.db, case.student)?;
    let (referrer, owner) = (users::get(turn.db, case.opened_by)?, users::get(turn.db, case.owner)?);
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
    // A referral that began as help in class is dated from the hand-over; its start is in the chronology.
    let since = case.referred_at.unwrap_or(case.opened_at);
    let opened = since.with_timezone(&BANGKOK).date_naive();
    let by_teacher = case.kind == CaseKind::Classroom;
    lines.push(
        tr.with(
            if by_teacher { "case-classroom-by" } else { "case-referred-by" },
            Args::new()
                .str("by", referrer.map(|u| u.display_name).unwrap_or_default())
                .str("date", tr.date(opened))
                .num("days", (app.clock.now() - since).num_days()),
        ),
    );
    if !by_teacher {
        lines.push(tr.with("case-owner", Args::new().str("owner", owner.map(|u| u.display_name).unwrap_or_default())));
    }
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
    let plan = cases::plan_of(turn.db, case.id)?;
    if let Some(plan) = &plan {
        lines.push(tr.with("case-goal", Args::new().str("goal", &plan.goal)));
        if let Some(review) = plan.review_on {
            lines.push(tr.with("case-review-date", Args::new().str("date", tr.date(review))));
        }
    }
    let actions = cases::actions_of(turn.db, case.id)?;
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
    let recent = cases::recent_events(turn.db, case.id, RECENT_ENTRIES)?;
    if !recent.is_empty() {
        lines.push(String::new());
        lines.push(tr.get("case-recent-title"));
        lines.extend(recent.iter().map(|e| event_line(tr, e, 120)));
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
            // The plan's buttons. Help in class (by the teacher) has no question to ask and hands on with "ส่งต่อ" to
            // the counsellor; a referral's owner asks, records progress, refers outside or hands over.
            let mut notes = vec![];
            if plan.is_some() {
                notes.push(case_button(tr.get("case-button-review-date"), id, CaseAction::ReviewDate));
            }
            notes.push(case_button(tr.get("case-button-note"), id, CaseAction::Note));
            if !by_teacher {
                notes.push(case_button(tr.get("case-button-ask"), id, CaseAction::AskInfo));
            }
            keyboard = keyboard
                .row(vec![
                    case_button(tr.get("case-button-goal"), id, CaseAction::Goal),
                    case_button(tr.get("case-button-add-action"), id, CaseAction::AddAction),
                ])
                .row(notes);
            keyboard = if by_teacher {
                keyboard.row(vec![
                    case_button(tr.get("case-button-refer-counsellor"), id, CaseAction::Refer),
                    case_button(tr.get("case-button-close"), id, CaseAction::Close),
                ])
            } else {
                keyboard
                    .row(vec![
                        case_button(tr.get("case-button-in-progress"), id, CaseAction::InProgress),
                        case_button(tr.get("case-button-referred-out"), id, CaseAction::ReferredOut),
                    ])
                    .row(vec![
                        case_button(tr.get("case-button-hand-over"), id, CaseAction::HandOver),
                        case_button(tr.get("case-button-close"), id, CaseAction::Close),
                    ])
            };
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

fn history_text(turn: &Turn<'_>, tr: Tr<'_>, case: &CaseRow) -> anyhow::Result<String> {
    let events = cases::chronology(turn.db, case.id)?;
    let mut lines = vec![tr.with("case-history-title", Args::new().num("case", case.id.0))];
    lines.extend(events.iter().map(|e| event_line(tr, e, 200)));
    Ok(lines.join("\n"))
}

/// `/cases`: the head sees every open case; others the cases they own or watch. Most urgent, then oldest first.
pub fn list_cases(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow) -> anyhow::Result<Step> {
    let app = turn.app;
    let list = cases::cases_for(turn.db, user)?;
    if list.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("cases-none"))]));
    }
    let mut keyboard = Keyboard::default();
    for case in list.iter().take(LIST_LIMIT) {
        let student = students::get_student(turn.db, case.student)?;
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
    Ok(Step::keep(vec![Reply::Send { text, keyboard }]))
}

/// `/plans`: a person's open actions, soonest first, each with done / reschedule / open buttons.
pub fn list_plans(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow) -> anyhow::Result<Step> {
    let app = turn.app;
    let actions = cases::open_actions_for(turn.db, user.id)?;
    if actions.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("plans-none"))]));
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
    Ok(Step::keep(vec![Reply::Send { text: lines.join("\n"), keyboard }]))
}

pub fn on_act_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    id: ActionId,
    action: ActButton,
) -> anyhow::Result<Step> {
    let Some(act) = cases::get_action(turn.db, id)? else {
        return alert_step(tr.get("case-not-allowed"));
    };
    let Some(case) = cases::get_case(turn.db, act.case)? else {
        return alert_step(tr.get("case-not-allowed"));
    };
    let responsible = act.owner == user.id || case.owner == user.id;
    if !cases::can_open(turn.db, user, &case)? {
        return alert_step(tr.get("case-not-allowed"));
    }
    match action {
        ActButton::OpenCase => on_case_button(turn, user, tr, case.id, CaseAction::Open, None),
        _ if !responsible => alert_step(tr.get("case-not-owner")),
        _ if act.status != "open" || case.status == CaseStatus::Closed => alert_step(tr.get("case-already-done")),
        ActButton::Done | ActButton::Reschedule => {
            let kind = if action == ActButton::Done {
                CaseInputKind::DoneNote { action: id }
            } else {
                CaseInputKind::RescheduleDate { action: id }
            };
            let prompt = if action == ActButton::Done { "plan-ask-done-note" } else { "plan-ask-new-date" };
            let input = CaseInput { nonce: state::new_nonce(), case_id: case.id, kind };
            let text = tr.with(prompt, Args::new().str("action", &act.description));
            let keyboard = input_keyboard(turn, tr, user, &input)?;
            Ok(Step::set(
                ChatState::CaseInput(input),
                vec![Reply::AnswerButton { text: None, alert: false }, Reply::Send { text, keyboard }],
            ))
        }
    }
}

/// Buttons that go with a typed answer: people, dates, skip, cancel.
fn input_keyboard(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, input: &CaseInput) -> anyhow::Result<Keyboard> {
    input_keyboard_page(turn, tr, user, input, 0)
}

/// [`input_keyboard`] showing one page of the people picker.
fn input_keyboard_page(
    turn: &Turn<'_>,
    tr: Tr<'_>,
    user: &UserRow,
    input: &CaseInput,
    page: usize,
) -> anyhow::Result<Keyboard> {
    let b = |text: String, action: InputAction| Button {
        text,
        data: ButtonData::Input { nonce: input.nonce.clone(), action }.encode(),
    };
    let mut keyboard = Keyboard::default();
    match &input.kind {
        CaseInputKind::ActionOwner { .. } => {
            // "Me" only when the one rule admits the person choosing (it always does for a case owner today).
            if owners::may_own(user) {
                keyboard = keyboard.row(vec![b(tr.get("plan-owner-me"), InputAction::Person(user.id))]);
            }
            let people = staff(turn, user)?;
            let (shown, page, pages) = page_of(&people, page, PEOPLE_PER_PAGE);
            for person in shown {
                let label = format!("{} ({})", person.display_name, tr.get(person.role.message_id()));
                keyboard = keyboard.row(vec![b(label, InputAction::Person(person.id))]);
            }
            keyboard = keyboard.row(nav_row(page, pages, |p, text| b(text, InputAction::PersonPage(p))));
        }
        CaseInputKind::ActionDue { .. } | CaseInputKind::RescheduleDate { .. } | CaseInputKind::ReviewDate => {
            let today = turn.app.clock.today();
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
pub fn on_input(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, input: CaseInput, event: &Event) -> anyhow::Result<Step> {
    let app = turn.app;
    let (text, choice, pressed) = match event {
        Event::Text(t) => (Some(t.trim().to_string()), None, false),
        Event::Button { data, .. } => match ButtonData::decode(data) {
            Some(ButtonData::Input { nonce, action }) if nonce == input.nonce => (None, Some(action), true),
            _ => return Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }])),
        },
        _ => return again(turn, tr, user, &input, "case-type-text"),
    };
    let mut replies = vec![];
    if pressed {
        replies.push(Reply::AnswerButton { text: None, alert: false });
    }
    if choice == Some(InputAction::Cancel) {
        replies.push(Reply::text(tr.get("cancelled")));
        return Ok(Step::clear(replies));
    }
    if let Some(t) = &text {
        if t.is_empty() || t.starts_with('/') {
            return again(turn, tr, user, &input, "case-type-text");
        }
        if t.chars().count() > MAX_NOTE_CHARS.min(MAX_TEXT_CHARS) {
            return again(turn, tr, user, &input, "case-text-too-long");
        }
    }
    let case = input.case_id;
    let typed = text.clone().unwrap_or_default();
    let date_of = |choice: &Option<InputAction>, text: &Option<String>| -> Option<NaiveDate> {
        match choice {
            Some(InputAction::Date(d)) => Some(*d),
            _ => text.as_deref().and_then(|t| parse_date(t).ok()),
        }
    };
    let next = |mut replies: Vec<Reply>, kind: CaseInputKind, prompt: &str| -> anyhow::Result<Step> {
        let next = CaseInput { nonce: state::new_nonce(), case_id: input.case_id, kind };
        replies.push(Reply::Send { text: tr.get(prompt), keyboard: input_keyboard(turn, tr, user, &next)? });
        Ok(Step::set(ChatState::CaseInput(next), replies))
    };
    let result = match &input.kind {
        CaseInputKind::Question if text.is_some() => {
            change(turn, tr, |tx, ctx| cases::ask_for_information(tx, ctx, case, user.id, &typed))?
        }
        CaseInputKind::Note if text.is_some() => {
            change(turn, tr, |tx, ctx| cases::add_note(tx, ctx, case, user, &typed))?
        }
        CaseInputKind::Goal if text.is_some() => {
            change(turn, tr, |tx, ctx| cases::set_goal(tx, ctx, case, user.id, &typed, None))?
        }
        CaseInputKind::Outcome if text.is_some() => {
            change(turn, tr, |tx, ctx| cases::close(tx, ctx, case, user.id, &typed))?
        }
        CaseInputKind::Agency if text.is_some() => change(turn, tr, |tx, ctx| {
            cases::update_status(tx, ctx, case, user.id, CaseStatus::ReferredOut, Some(&typed))
        })?,
        CaseInputKind::ActionDescription if text.is_some() => {
            return next(replies, CaseInputKind::ActionOwner { description: typed }, "plan-ask-owner");
        }
        CaseInputKind::ActionOwner { .. } if matches!(choice, Some(InputAction::PersonPage(_))) => {
            let Some(InputAction::PersonPage(page)) = choice else {
                return again(turn, tr, user, &input, "use-the-buttons");
            };
            let keyboard = input_keyboard_page(turn, tr, user, &input, page)?;
            let message_id = match event {
                Event::Button { message_id, .. } => *message_id,
                _ => None,
            };
            replies.push(Reply::show(message_id, tr.get("plan-ask-owner"), keyboard));
            return Ok(Step::keep(replies));
        }
        CaseInputKind::ActionOwner { description } => {
            let Some(InputAction::Person(owner)) = choice else {
                return again(turn, tr, user, &input, "use-the-buttons");
            };
            // The one rule, checked at the press: the button's data may have been edited.
            if owners::admitted(turn.db, owner)?.is_none() {
                replies.push(Reply::text(format!("⚠️ {}", tr.get("owner-not-allowed"))));
                replies.push(Reply::Send {
                    text: tr.get("plan-ask-owner"),
                    keyboard: input_keyboard(turn, tr, user, &input)?,
                });
                return Ok(Step::keep(replies));
            }
            return next(replies, CaseInputKind::ActionDue { description: description.clone(), owner }, "plan-ask-due");
        }
        CaseInputKind::ActionDue { description, owner } => {
            let Some(due) = date_of(&choice, &text) else {
                return again(turn, tr, user, &input, "plan-date-unreadable");
            };
            if due < app.clock.today() {
                return again(turn, tr, user, &input, "plan-date-in-past");
            }
            let owner = *owner;
            change(turn, tr, |tx, ctx| cases::add_action(tx, ctx, case, user.id, description, owner, due))?
        }
        CaseInputKind::ReviewDate => {
            let Some(date) = date_of(&choice, &text) else {
                return again(turn, tr, user, &input, "plan-date-unreadable");
            };
            if date < app.clock.today() {
                return again(turn, tr, user, &input, "plan-date-in-past");
            }
            change(turn, tr, |tx, ctx| cases::set_review_date(tx, ctx, case, user.id, date))?
        }
        CaseInputKind::DoneNote { action } => {
            let note = text.clone().filter(|t| !t.is_empty());
            change(turn, tr, |tx, ctx| cases::complete_action(tx, ctx, *action, user.id, note.as_deref()))?
        }
        CaseInputKind::RescheduleDate { action } => {
            let Some(date) = date_of(&choice, &text) else {
                return again(turn, tr, user, &input, "plan-date-unreadable");
            };
            if date < app.clock.today() {
                return again(turn, tr, user, &input, "plan-date-in-past");
            }
            return next(replies, CaseInputKind::RescheduleReason { action: *action, date }, "plan-ask-reason");
        }
        CaseInputKind::RescheduleReason { action, date } if text.is_some() => {
            change(turn, tr, |tx, ctx| cases::reschedule_action(tx, ctx, *action, user.id, *date, &typed))?
        }
        _ => return again(turn, tr, user, &input, "case-type-text"),
    };
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
            if let Some(updated) = cases::get_case(turn.db, case)? {
                let (text, keyboard) = case_screen(turn, tr, user, &updated)?;
                replies.push(Reply::Send { text, keyboard });
            }
        }
    }
    Ok(Step::clear(replies))
}

/// Explain and ask again; the question stays.
fn again(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, input: &CaseInput, problem: &str) -> anyhow::Result<Step> {
    Ok(Step::keep(vec![Reply::Send {
        text: format!("⚠️ {}", tr.get(problem)),
        keyboard: input_keyboard(turn, tr, user, input)?,
    }]))
}
