//! Filling in a form in the chat: the engine (`crate::forms::engine`) decides, this module turns its screens
//! into messages and buttons, and saves the draft after every answer.

use super::buttons::{ButtonData, FormAction};
use super::picker;
use super::state::{self, ChatState, FormFlow, Purpose};
use super::turn::{Step, Turn};
use super::{Button, Event, Keyboard, MediaKind, Reply};
use crate::app::App;
use crate::care::policy::{self, CareAction};
use crate::domain::Term;
use crate::domain::ids::SubmissionId;
use crate::forms::def::{FormDef, Group, LocalText};
use crate::forms::engine::{self, FormSession, Input, InputKind, Position, Problem, QuestionInput, Screen, Submission};
use crate::l10n::{Args, Lang, Tr};
use crate::store::audit::{self, Actor, Entry};
use crate::store::forms as form_rows;
use crate::store::students::{self, StudentRow};
use crate::store::users::UserRow;
use anyhow::Context as _;

/// The form a purpose uses: the one with the kind's own id if the school kept it, else the first of that kind.
pub fn form_id_for(app: &App, purpose: Purpose) -> anyhow::Result<String> {
    let kind = picker::form_kind(purpose);
    if app.forms.get(kind).is_some_and(|f| f.kind == kind) {
        return Ok(kind.to_string());
    }
    app.forms.of_kind(kind).next().map(|f| f.id.clone()).with_context(|| format!("no form of kind {kind} is installed"))
}

pub(super) fn local(lang: Lang, text: &LocalText) -> String {
    match lang {
        Lang::Th => text.th().to_string(),
        Lang::En => text.en().to_string(),
    }
}

pub fn group_label(tr: Tr<'_>, group: Group) -> String {
    tr.get(match group {
        Group::Normal => "group-normal",
        Group::Risk => "group-risk",
        Group::Problem => "group-problem",
    })
}

/// Start (or continue) the form for a student.
#[allow(clippy::too_many_arguments)]
pub fn begin(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    student: &StudentRow,
    purpose: Purpose,
    restart: bool,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let form_id = form_id_for(app, purpose)?;
    let form = app.forms.get(&form_id).with_context(|| format!("form {form_id} disappeared"))?;
    let saved = if restart { None } else { form_rows::load_draft(turn.db, user.id, student.id, &form_id)? };
    let mut notes = vec![];
    let (session, screen) = match saved.map(|json| serde_json::from_str::<FormSession>(&json)) {
        Some(Ok(session)) if session.form_id == form.id => {
            let screen = engine::current_screen(form, &session);
            (session, screen)
        }
        Some(_) => {
            // Written by an older version of Dulae and no longer readable: say so and start again.
            notes.push(Reply::text(tr.get("form-draft-unreadable")));
            engine::start(form)
        }
        None => engine::start(form),
    };
    let flow = FormFlow {
        nonce: state::new_nonce(),
        form_id,
        student_id: student.id,
        purpose,
        location_keyboard: false,
        album: None,
    };
    let now = app.clock.now();
    let json = serde_json::to_string(&session)?;
    form_rows::save_draft(turn.db, user.id, student.id, &flow.form_id, &json, now)?;
    let mut step = show_screen(turn, user, tr, flow, student, form, &session, screen, message_id)?;
    step.prepend_all(notes);
    Ok(step)
}

/// Anything that arrives while a form is open.
pub fn on_event(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, flow: FormFlow, event: &Event) -> anyhow::Result<Step> {
    let app = turn.app;
    let stale = || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    let closed = |id: &str| Ok(Step::clear(vec![Reply::text(tr.get(id))]));
    let Some(form) = app.forms.get(&flow.form_id) else {
        return closed("form-closed");
    };
    let student_id = flow.student_id;
    let Some(student) = students::get_student(turn.db, student_id)? else {
        return closed("form-closed");
    };
    // Rights are checked on every input: a teacher moved to another class loses the form at once.
    if !policy::allows(turn.db, user, CareAction::RecordForms, &student)? {
        return closed("pick-not-your-student");
    }
    let Some(json) = form_rows::load_draft(turn.db, user.id, student_id, &flow.form_id)? else {
        return closed("form-closed");
    };
    let session: FormSession = match serde_json::from_str(&json) {
        Ok(s) => s,
        Err(_) => return begin(turn, user, tr, &student, flow.purpose, true, None),
    };

    let (input, from_button) = match event {
        Event::Button { data, message_id } => {
            let Some(ButtonData::Form { nonce, at, action }) = ButtonData::decode(data) else {
                return stale();
            };
            if nonce != flow.nonce {
                return stale();
            }
            if at != tag(&session.position) {
                // The saved step moved on without this message being redrawn (a crash between saving and
                // editing, a double tap): show the question the form is really at, in this same message.
                let screen = engine::current_screen(form, &session);
                let step = show_screen(turn, user, tr, flow, &student, form, &session, screen, *message_id)?;
                return Ok(step.prepend(Reply::AnswerButton { text: Some(tr.get("form-redrawn")), alert: false }));
            }
            (input_of(action), *message_id)
        }
        Event::Text(text) => (Input::Text(text.clone()), None),
        Event::Location { latitude, longitude } => (Input::Location { lat: *latitude, lon: *longitude }, None),
        // Recorded (and so downloaded) only once the form has kept it as an answer: see below.
        Event::Photo { file_id, .. } => (Input::Photo { file_id: file_id.clone() }, None),
        Event::Media(kind) => (Input::Unsupported(input_kind(*kind)), None),
        Event::Forwarded => (Input::Unsupported(InputKind::Forwarded), None),
        Event::Document { .. } => (Input::Unsupported(input_kind(MediaKind::Document)), None),
        Event::Command { .. } => (Input::Cancel, None),
    };
    let (session, screen) = engine::step(form, session, input, app.clock.today());
    // A photo the form refused is neither stored nor downloaded.
    if let Event::Photo { file_id, file_unique_id } = event {
        crate::ops::media::record_if_kept(
            turn.db,
            &session,
            (file_id, file_unique_id),
            user.id,
            student_id,
            app.clock.now(),
        )?;
    }
    // An album arrives as one message per photo: the first is acknowledged, the others of the same album are
    // saved without showing the question again (unless one of them is refused: that is said).
    let album = matches!(event, Event::Photo { .. }).then(|| turn.incoming.album.clone()).flatten();
    let quiet = album.is_some() && album == flow.album && matches!(&screen, Screen::Question(q) if q.problem.is_none());
    let mut flow = flow;
    flow.album = album;
    let mut step = show_screen(turn, user, tr, flow, &student, form, &session, screen, from_button)?;
    if quiet {
        step.replies.retain(|r| !matches!(r, Reply::Send { .. } | Reply::Edit { .. }));
    }
    Ok(if from_button.is_some() { step.prepend(Reply::AnswerButton { text: None, alert: false }) } else { step })
}

pub(super) fn input_of(action: FormAction) -> Input {
    match action {
        FormAction::Choose(v) => Input::Choose(v),
        FormAction::Toggle(v) => Input::Toggle(v),
        FormAction::Tick(v, on) => Input::Tick(v, on),
        FormAction::Today => Input::Choose("today".into()),
        FormAction::Done => Input::Done,
        FormAction::Yes => Input::Yes,
        FormAction::No => Input::No,
        FormAction::Back => Input::Back,
        FormAction::Skip => Input::Skip,
        FormAction::Save => Input::SaveForLater,
        FormAction::Cancel => Input::Cancel,
        FormAction::ConfirmCancel => Input::ConfirmCancel,
        FormAction::KeepGoing => Input::KeepGoing,
        FormAction::AddAnother => Input::AddAnother,
        FormAction::NoMore => Input::NoMore,
        FormAction::Edit(n) => Input::EditItem(n),
        FormAction::Submit => Input::Submit,
    }
}

pub(super) fn input_kind(kind: MediaKind) -> InputKind {
    match kind {
        MediaKind::Sticker => InputKind::Sticker,
        MediaKind::Voice => InputKind::Voice,
        MediaKind::Video => InputKind::Video,
        MediaKind::Document => InputKind::Document,
        MediaKind::Contact => InputKind::Contact,
        MediaKind::Photo | MediaKind::Location | MediaKind::Other => InputKind::Other,
    }
}

/// Which screen a button belongs to.
pub(super) fn tag(position: &Position) -> String {
    match position {
        Position::Question { id } => id.clone(),
        Position::InRepeat { id, item, .. } => format!("{id}.{item}"),
        Position::AddAnother { .. } => "~a".into(),
        Position::Review => "~r".into(),
        Position::ConfirmCancel { .. } => "~c".into(),
        Position::Submitted | Position::Cancelled => "~".into(),
    }
}

/// Save what the engine decided and show it.
#[allow(clippy::too_many_arguments)]
fn show_screen(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut flow: FormFlow,
    student: &StudentRow,
    form: &FormDef,
    session: &FormSession,
    screen: Screen,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let user_id = user.id;
    let now = app.clock.now();
    let mut replies = vec![];
    let asks_location = matches!(&screen, Screen::Question(q) if q.input == QuestionInput::Location);
    if flow.location_keyboard && !asks_location {
        replies.push(Reply::RemoveKeyboard { text: tr.get("form-location-keyboard-closed") });
        flow.location_keyboard = false;
    }
    match screen {
        Screen::Submitted(submission) => {
            let id = store_submission(turn, user_id, student, form, &submission)?;
            let (text, mut keyboard) = result_text(tr, student, form, &submission, id);
            if submission.score.overall > Group::Normal && !(form.aspects.is_empty() && form.scales.is_empty()) {
                // A homeroom teacher may help in class first (ช่วยเหลือเบื้องต้น) instead of referring at once.
                keyboard =
                    super::classroom_flow::offer_help(turn, user, tr, keyboard, student, Some(SubmissionId(id)))?;
            }
            replies.push(Reply::show(message_id, text, keyboard));
            let (next, list) = picker::resume_class(turn, user, tr, flow.purpose, student.class_id)?;
            replies.push(list);
            return Ok(Step::set(next, replies));
        }
        Screen::Saved => {
            let json = serde_json::to_string(session)?;
            form_rows::save_draft(turn.db, user_id, student.id, &form.id, &json, now)?;
            let command = if flow.purpose == Purpose::Visit { "/visit" } else { "/screen" };
            let text = tr.with("form-saved", Args::new().str("name", student.full_name()).str("command", command));
            replies.push(Reply::show(message_id, text, Keyboard::default()));
            return Ok(Step::clear(replies));
        }
        Screen::Cancelled | Screen::Closed => {
            // The draft's photos go with it: rows in this turn, files once it has committed.
            let photo_files = crate::ops::media::forget_draft_photos(turn.db, user_id, student.id, &form.id)?;
            form_rows::delete_draft(turn.db, user_id, student.id, &form.id)?;
            replies.push(Reply::show(message_id, tr.get("form-cancelled"), Keyboard::default()));
            let mut step = Step::clear(replies);
            step.after_commit(move || crate::ops::media::remove_files(&photo_files));
            return Ok(step);
        }
        _ => {}
    }
    let json = serde_json::to_string(session)?;
    form_rows::save_draft(turn.db, user_id, student.id, &form.id, &json, now)?;
    let at = tag(&session.position);
    let (text, keyboard) = render(tr, &flow.nonce, &at, header(tr, student, form), &screen);
    // One live question in the chat: a copy sent anew takes the buttons off the one above it.
    replies.push(Reply::Question { message_id, text, keyboard });
    if asks_location && !flow.location_keyboard {
        replies.push(Reply::AskLocation { text: tr.get("form-location-how"), button: tr.get("form-location-button") });
        flow.location_keyboard = true;
    }
    Ok(Step::set(ChatState::Form(flow), replies))
}

/// Write the submission, drop the draft and audit it, in the turn's transaction.
fn store_submission(
    turn: &Turn<'_>,
    user: crate::domain::UserId,
    student: &StudentRow,
    form: &FormDef,
    submission: &Submission,
) -> anyhow::Result<i64> {
    let (app, tx) = (turn.app, turn.db);
    let now = app.clock.now();
    let term: Term = crate::store::terms::current(tx, app.clock.today())?;
    let term = term.to_string();
    let answers = serde_json::to_string(&submission.answers)?;
    let rated = !form.aspects.is_empty() || !form.scales.is_empty();
    let score = rated.then(|| serde_json::to_string(&submission.score)).transpose()?;
    let overall = rated.then(|| submission.score.overall.as_str());
    let id = form_rows::insert_submission(
        tx,
        &form_rows::NewSubmission {
            form_id: &form.id,
            form_version: i64::from(form.version),
            form_kind: &form.kind,
            student: student.id,
            term: &term,
            answers_json: &answers,
            score_json: score.as_deref(),
            overall_group: overall,
            submitted_by: user,
            submitted_at: now,
        },
    )?;
    form_rows::delete_draft(tx, user, student.id, &form.id)?;
    audit::record(
        tx,
        now,
        Entry {
            actor: Actor::User(user),
            action: "form.submit",
            entity: "submission",
            entity_id: Some(id.0.to_string()),
            detail: Some(serde_json::json!({ "form": form.id, "version": form.version, "student": student.id.0 })),
        },
    )?;
    Ok(id.0)
}

fn form_button(tr_text: String, nonce: &str, at: &str, action: FormAction) -> Button {
    Button { text: tr_text, data: ButtonData::Form { nonce: nonce.into(), at: at.into(), action }.encode() }
}

fn problem_text(tr: Tr<'_>, problem: &Problem) -> String {
    let lang = tr.lang;
    match problem {
        Problem::Required(t) if !t.th().is_empty() => local(lang, t),
        Problem::Required(_) => tr.get("form-problem-required"),
        Problem::Constraint(t) if !t.th().is_empty() => local(lang, t),
        Problem::Constraint(_) => tr.get("form-problem-constraint"),
        Problem::NotANumber => tr.get("form-problem-number"),
        Problem::NotADate => tr.get("form-problem-date"),
        Problem::TooLong { max } => tr.with("form-problem-too-long", Args::new().num("max", *max as i64)),
        Problem::ExpectedButton => tr.get("form-problem-use-buttons"),
        Problem::ExpectedText => tr.get("form-problem-type-text"),
        Problem::ExpectedLocation => tr.get("form-problem-location"),
        Problem::ExpectedPhoto => tr.get("form-problem-photo"),
        Problem::UnknownChoice => tr.get("form-problem-stale-choice"),
        Problem::UnsupportedInput(InputKind::Forwarded) => tr.get("form-problem-forwarded"),
        Problem::UnsupportedInput(_) => tr.get("form-problem-unsupported"),
        Problem::TooManyPhotos { max } => tr.with("form-problem-too-many-photos", Args::new().num("max", *max as i64)),
        Problem::MissingRequired { count } => tr.with("form-problem-missing", Args::new().num("count", *count as i64)),
    }
}

fn header(tr: Tr<'_>, student: &StudentRow, form: &FormDef) -> String {
    tr.with(
        "form-header",
        Args::new()
            .str("form", local(tr.lang, &form.title))
            .str("name", student.full_name())
            .str("class", &student.class_name),
    )
}

/// One screen of the engine as text and buttons.
pub(super) fn render(tr: Tr<'_>, nonce: &str, at: &str, header: String, screen: &Screen) -> (String, Keyboard) {
    let lang = tr.lang;
    let b = |text: String, action| form_button(text, nonce, at, action);
    let mut lines = vec![header];
    let mut keyboard = Keyboard::default();
    let save_cancel =
        vec![b(tr.get("form-button-save"), FormAction::Save), b(tr.get("form-button-cancel"), FormAction::Cancel)];
    match screen {
        Screen::Question(q) => {
            let section = q.section_title.as_ref().map(|s| local(lang, s)).unwrap_or_default();
            let progress = tr.with(
                "form-progress",
                Args::new().num("index", q.progress.index as i64).num("total", q.progress.total as i64),
            );
            lines.push(if section.is_empty() { progress } else { format!("{progress} · {section}") });
            if let Some(r) = &q.repeat {
                let what = r.item_label.as_ref().unwrap_or(&r.repeat_label);
                lines.push(tr.with(
                    "form-repeat-item",
                    Args::new().str("what", local(lang, what)).num("number", r.item_number as i64),
                ));
            }
            if let Some(problem) = &q.problem {
                lines.push(format!("⚠️ {}", problem_text(tr, problem)));
            }
            lines.push(String::new());
            lines.push(local(lang, &q.label));
            if let Some(hint) = &q.hint {
                lines.push(format!("({})", local(lang, hint)));
            }
            if let Some(current) = &q.current {
                // A choice is still being made ("เลือกแล้ว"); a typed answer is the one given before.
                let id = match q.input {
                    QuestionInput::Single { .. } | QuestionInput::Multi { .. } | QuestionInput::YesNo { .. } => {
                        "form-current-choice"
                    }
                    _ => "form-current-answer",
                };
                lines.push(tr.with(id, Args::new().str("answer", local(lang, current))));
            }
            match &q.input {
                QuestionInput::Single { choices } => {
                    for c in choices {
                        let mark = if c.selected { "● " } else { "" };
                        keyboard = keyboard.row(vec![b(
                            format!("{mark}{}", local(lang, &c.label)),
                            FormAction::Choose(c.value.clone()),
                        )]);
                    }
                }
                QuestionInput::Multi { choices } => {
                    lines.push(tr.get("form-hint-multi"));
                    for c in choices {
                        let mark = if c.selected { "☑️ " } else { "⬜ " };
                        keyboard = keyboard.row(vec![b(
                            format!("{mark}{}", local(lang, &c.label)),
                            FormAction::Tick(c.value.clone(), !c.selected),
                        )]);
                    }
                }
                QuestionInput::YesNo { yes, no, .. } => {
                    keyboard =
                        keyboard.row(vec![b(local(lang, yes), FormAction::Yes), b(local(lang, no), FormAction::No)]);
                }
                // The form's own hint says it better when there is one.
                QuestionInput::Integer { .. } | QuestionInput::Decimal { .. } if q.hint.is_none() => {
                    lines.push(tr.get("form-hint-number"))
                }
                QuestionInput::Text { .. } if q.hint.is_none() => lines.push(tr.get("form-hint-text")),
                QuestionInput::Integer { .. } | QuestionInput::Decimal { .. } | QuestionInput::Text { .. } => {}
                QuestionInput::Date { default_today } => {
                    lines.push(tr.get("form-hint-date"));
                    if *default_today {
                        keyboard = keyboard.row(vec![b(tr.get("form-button-today"), FormAction::Today)]);
                    }
                }
                // How to send it is said once, on the message that carries the location button.
                QuestionInput::Location => {}
                QuestionInput::Photo { count, max, .. } => {
                    lines.push(
                        tr.with("form-hint-photo", Args::new().num("count", *count as i64).num("max", *max as i64)),
                    );
                }
                QuestionInput::Note => {}
            }
            for alternative in &q.alternatives {
                let mark = if alternative.selected { "● " } else { "" };
                keyboard = keyboard.row(vec![b(
                    format!("{mark}{}", local(lang, &alternative.label)),
                    FormAction::Choose(alternative.value.clone()),
                )]);
            }
            let mut controls = vec![];
            if q.back_allowed {
                controls.push(b(tr.get("form-button-back"), FormAction::Back));
            }
            if q.skip_allowed {
                controls.push(b(tr.get("form-button-skip"), FormAction::Skip));
            }
            if q.done_allowed {
                let label = match q.input {
                    QuestionInput::Multi { .. } | QuestionInput::Photo { .. } => tr.get("form-button-done"),
                    _ => tr.get("form-button-next"),
                };
                controls.push(b(label, FormAction::Done));
            }
            keyboard = keyboard.row(controls).row(save_cancel);
        }
        Screen::AskAddAnother(view) => {
            lines.push(local(lang, &view.label));
            if let Some(problem) = &view.problem {
                lines.push(format!("⚠️ {}", problem_text(tr, problem)));
            }
            for (i, item) in view.items.iter().enumerate() {
                lines.push(format!("{}. {}", i + 1, local(lang, item)));
            }
            lines.push(tr.with("form-add-another", Args::new().num("count", view.count as i64)));
            let mut row = vec![];
            if view.max.is_none_or(|max| view.count < max) {
                row.push(b(tr.get("form-button-add"), FormAction::AddAnother));
            }
            row.push(b(tr.get("form-button-no-more"), FormAction::NoMore));
            keyboard = keyboard.row(row);
            if view.back_allowed {
                keyboard = keyboard.row(vec![b(tr.get("form-button-back"), FormAction::Back)]);
            }
            keyboard = keyboard.row(save_cancel);
        }
        Screen::Review(view) => {
            lines.push(tr.get("form-review-title"));
            if let Some(problem) = &view.problem {
                lines.push(format!("⚠️ {}", problem_text(tr, problem)));
            }
            for item in &view.items {
                let answer = if item.answered {
                    let text = if lang == Lang::En { &item.answer_text_en } else { &item.answer_text_th };
                    shorten(text, 80)
                } else if item.skipped {
                    tr.get("form-review-skipped")
                } else {
                    tr.get("form-review-unanswered")
                };
                lines.push(format!("{}. {}: {answer}", item.number, shorten(&local(lang, &item.label), 60)));
            }
            if !view.missing_required.is_empty() {
                let missing: Vec<String> = view.missing_required.iter().map(|t| shorten(&local(lang, t), 40)).collect();
                lines.push(tr.with("form-review-missing", Args::new().str("items", missing.join(", "))));
            }
            lines.push(tr.get("form-review-hint"));
            for chunk in view.items.chunks(6) {
                keyboard = keyboard
                    .row(chunk.iter().map(|i| b(format!("✏️{}", i.number), FormAction::Edit(i.number))).collect());
            }
            keyboard = keyboard.row(vec![b(tr.get("form-button-submit"), FormAction::Submit)]);
            if view.back_allowed {
                keyboard = keyboard.row(vec![b(tr.get("form-button-back"), FormAction::Back)]);
            }
            keyboard = keyboard.row(save_cancel);
        }
        Screen::ConfirmCancel => {
            lines.push(tr.get("form-confirm-cancel"));
            keyboard = keyboard.row(vec![
                b(tr.get("form-button-confirm-cancel"), FormAction::ConfirmCancel),
                b(tr.get("form-button-keep-going"), FormAction::KeepGoing),
            ]);
        }
        Screen::Saved | Screen::Cancelled | Screen::Closed | Screen::Submitted(_) => {}
    }
    (lines.join("\n"), keyboard)
}

fn shorten(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() { format!("{short}…") } else { short }
}

/// What the teacher sees after submitting: per aspect and overall for a screening, a short note otherwise.
fn result_text(
    tr: Tr<'_>,
    student: &StudentRow,
    form: &FormDef,
    submission: &Submission,
    submission_id: i64,
) -> (String, Keyboard) {
    let lang = tr.lang;
    let name = student.full_name();
    if form.aspects.is_empty() && form.scales.is_empty() {
        let photos = submission
            .answers
            .values()
            .map(|a| match a {
                engine::Answer::Photos(p) => p.len(),
                _ => 0,
            })
            .sum::<usize>();
        let located = submission.answers.values().any(|a| matches!(a, engine::Answer::Location { .. }));
        let text = tr.with(
            "form-submitted-record",
            Args::new()
                .str("form", local(lang, &form.title))
                .str("name", name)
                .num("photos", photos as i64)
                .str("location", tr.get(if located { "form-location-yes" } else { "form-location-no" })),
        );
        // A home visit can show a need for help too: the teacher may refer from here.
        let keyboard = Keyboard::default().row(vec![Button {
            text: tr.get("form-button-refer"),
            data: ButtonData::Refer(SubmissionId(submission_id)).encode(),
        }]);
        return (text, keyboard);
    }
    let score = &submission.score;
    let mut lines = vec![tr.with("form-submitted-screening", Args::new().str("name", name))];
    lines.push(tr.with("form-result-overall", Args::new().str("group", group_label(tr, score.overall))));
    let attention: Vec<String> = score
        .aspects
        .iter()
        .filter_map(|a| match a.group {
            Some(g) if g > Group::Normal => Some(format!("• {}: {}", local(lang, &a.label), group_label(tr, g))),
            _ => None,
        })
        .collect();
    if attention.is_empty() {
        lines.push(tr.get("form-result-all-normal"));
    } else {
        lines.push(tr.get("form-result-attention"));
        lines.extend(attention);
        lines.push(tr.get("form-result-others-normal"));
    }
    for scale in &score.scales {
        let group = scale.group.map(|g| group_label(tr, g)).unwrap_or_else(|| tr.get("form-result-scale-incomplete"));
        lines.push(format!("• {}: {} ({group})", local(lang, &scale.label), scale.sum));
    }
    for flag in score.flags.iter().filter(|f| f.present) {
        let details: Vec<String> = flag.details.iter().map(|d| local(lang, d)).collect();
        let detail = if details.is_empty() { String::new() } else { format!(" ({})", details.join(", ")) };
        lines.push(format!("⭐ {}{detail}", local(lang, &flag.label)));
    }
    let mut keyboard = Keyboard::default();
    if score.overall > Group::Normal {
        lines.push(tr.get("form-result-refer-hint"));
        keyboard = keyboard.row(vec![Button {
            text: tr.get("form-button-refer"),
            data: ButtonData::Refer(SubmissionId(submission_id)).encode(),
        }]);
    }
    (lines.join("\n"), keyboard)
}
