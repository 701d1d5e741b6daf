//! Making a referral (ส่งต่อ): which aspects, what was observed (text, optional photo), how urgent, to whom, and a
//! confirmation. From a screening or home-visit result, or with `/refer` and a student picked from the list.

use super::buttons::{ButtonData, ReferAction};
use super::pages::{PEOPLE_PER_PAGE, nav_row, page_of};
use super::state::{self, ChatState, ReferDraft, ReferStep};
use super::turn::{Step, Turn};
use super::{Button, Event, Keyboard, MAX_TEXT_CHARS, Reply};
use crate::app::App;
use crate::care::cases::{self, Ctx, NewReferral, Target};
use crate::care::policy::{self, CareAction};
use crate::care::schedule::Urgency;
use crate::domain::ids::SubmissionId;
use crate::domain::refusal::Refusal as _;
use crate::l10n::{Args, Lang, Tr};
use crate::store::students::{self, StudentRow};
use crate::store::users::{self, UserRow};

/// Longest description of what was observed.
const MAX_REASON_CHARS: usize = 1000;
const OTHER: &str = "other";

/// Start a referral for a student, with the aspects of a screening result ticked already.
pub fn begin(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    student: &StudentRow,
    submission: Option<SubmissionId>,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    if !policy::allows(turn.db, user, CareAction::RecordForms, student)? {
        return Ok(Step::keep(vec![Reply::text(tr.get("pick-not-your-student"))]));
    }
    let aspects = cases::flagged_aspects(turn.db, student.id, submission)?;
    let draft = ReferDraft {
        nonce: state::new_nonce(),
        student_id: student.id,
        submission_id: submission,
        step: ReferStep::Aspects,
        aspects,
        reason: None,
        photo_file_id: None,
        urgency: None,
        target: None,
        target_page: 0,
    };
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Refer(draft), vec![Reply::show(message_id, text, keyboard)]))
}

/// From the "refer" button on a result.
/// A submission or student that no longer exists is a stale button; a database that cannot be read is a fault.
pub fn from_submission(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, submission: SubmissionId) -> anyhow::Result<Step> {
    let stale = || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    let Some(student) = cases::student_of_submission(turn.db, submission)? else { return stale() };
    let Some(student) = students::get_student(turn.db, student)? else { return stale() };
    Ok(begin(turn, user, tr, &student, Some(submission), None)?
        .prepend(Reply::AnswerButton { text: None, alert: false }))
}

pub fn on_event(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut draft: ReferDraft,
    event: &Event,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let stale = || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    let Some(student) = students::get_student(turn.db, draft.student_id)? else {
        return Ok(Step::clear(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    };
    if !policy::allows(turn.db, user, CareAction::RecordForms, &student)? {
        return Ok(Step::clear(vec![Reply::text(tr.get("pick-not-your-student"))]));
    }
    let mut message_id = None;
    let mut problem: Option<String> = None;
    match event {
        Event::Button { data, message_id: pressed } => {
            let Some(ButtonData::ReferStep { nonce, action }) = ButtonData::decode(data) else { return stale() };
            if nonce != draft.nonce {
                return stale();
            }
            message_id = *pressed;
            match (draft.step, action) {
                (_, ReferAction::Cancel) => {
                    return Ok(Step::clear(vec![
                        Reply::AnswerButton { text: None, alert: false },
                        Reply::show(message_id, tr.get("refer-cancelled"), Keyboard::default()),
                    ]));
                }
                (ReferStep::Aspects, ReferAction::ToggleAspect(aspect)) => {
                    if !aspect_choices(app, tr.lang).iter().any(|(id, _)| *id == aspect) {
                        return stale();
                    }
                    if let Some(i) = draft.aspects.iter().position(|a| *a == aspect) {
                        draft.aspects.remove(i);
                    } else {
                        draft.aspects.push(aspect);
                    }
                }
                (ReferStep::Aspects, ReferAction::AspectsDone) => {
                    if draft.aspects.is_empty() {
                        return Ok(Step::keep(vec![Reply::AnswerButton {
                            text: Some(tr.get("refer-pick-an-aspect")),
                            alert: true,
                        }]));
                    }
                    draft.step = ReferStep::Reason;
                }
                (ReferStep::Photo, ReferAction::SkipPhoto) => draft.step = ReferStep::Urgency,
                (ReferStep::Urgency, ReferAction::Urgency(code)) => {
                    let Some(urgency) = Urgency::parse(&code) else { return stale() };
                    draft.urgency = Some(urgency);
                    draft.step = ReferStep::Target;
                }
                (ReferStep::Target, ReferAction::TargetPage(page)) => draft.target_page = page,
                (ReferStep::Target, ReferAction::Target(id)) => {
                    // The one rule, checked at the press: the button's data may have been edited.
                    if !receivers(turn, user)?.iter().any(|u| u.id == id) {
                        return Ok(Step::keep(vec![Reply::AnswerButton {
                            text: Some(tr.get("owner-not-allowed")),
                            alert: true,
                        }]));
                    }
                    draft.target = Some(Target::Person(id));
                    draft.step = ReferStep::Confirm;
                }
                (ReferStep::Target, ReferAction::External) => {
                    draft.target = Some(Target::External);
                    draft.step = ReferStep::Confirm;
                }
                (ReferStep::Confirm, ReferAction::Confirm) => {
                    return confirm(turn, user, tr, &draft, &student, message_id);
                }
                _ => return stale(),
            }
        }
        Event::Text(text) if draft.step == ReferStep::Reason => {
            let text = text.trim();
            if text.is_empty() || text.starts_with('/') {
                problem = Some(tr.get("refer-reason-empty"));
            } else if text.chars().count() > MAX_REASON_CHARS.min(MAX_TEXT_CHARS) {
                problem = Some(tr.with("message-too-long", Args::new().num("max", MAX_REASON_CHARS as i64)));
            } else {
                draft.reason = Some(text.to_string());
                draft.step = ReferStep::Photo;
            }
        }
        Event::Photo { file_id, file_unique_id } if draft.step == ReferStep::Photo => {
            let now = app.clock.now();
            crate::store::photos::record(turn.db, file_id, Some(file_unique_id), user.id, Some(student.id), now)?;
            draft.photo_file_id = Some(file_id.clone());
            draft.step = ReferStep::Urgency;
        }
        _ => {
            problem = Some(tr.get(match draft.step {
                ReferStep::Reason => "refer-reason-expected",
                ReferStep::Photo => "refer-photo-expected",
                _ => "use-the-buttons",
            }));
        }
    }
    let (mut text, keyboard) = screen(turn, tr, user, &draft)?;
    if let Some(problem) = problem {
        text = format!("⚠️ {problem}\n\n{text}");
    }
    let mut replies = vec![];
    if message_id.is_some() {
        replies.push(Reply::AnswerButton { text: None, alert: false });
    }
    replies.push(Reply::show(message_id, text, keyboard));
    Ok(Step::set(ChatState::Refer(draft), replies))
}

fn button(text: String, nonce: &str, action: ReferAction) -> Button {
    Button { text, data: ButtonData::ReferStep { nonce: nonce.into(), action }.encode() }
}

/// The screening form's rated aspects, and "other".
fn aspect_choices(app: &App, lang: Lang) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = app
        .forms
        .of_kind("screening")
        .next()
        .map(|f| {
            f.aspects
                .iter()
                .filter(|a| a.kind == crate::forms::AspectKind::Rated)
                .map(|a| {
                    (a.id.clone(), if lang == Lang::En { a.label.en().to_string() } else { a.label.th().to_string() })
                })
                .collect()
        })
        .unwrap_or_default();
    choices.push((OTHER.to_string(), app.l10n.tr(lang).get("refer-aspect-other")));
    choices
}

fn receivers(turn: &Turn<'_>, user: &UserRow) -> anyhow::Result<Vec<UserRow>> {
    cases::staff_who_can_take(turn.db, user.id)
}

fn screen(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, draft: &ReferDraft) -> anyhow::Result<(String, Keyboard)> {
    let app = turn.app;
    let nonce = draft.nonce.as_str();
    let student = students::get_student(turn.db, draft.student_id)?;
    let name = student.as_ref().map(|s| format!("{} ({})", s.full_name(), s.class_name)).unwrap_or_default();
    let header = tr.with("refer-header", Args::new().str("name", name));
    let cancel = button(tr.get("button-cancel"), nonce, ReferAction::Cancel);
    let mut keyboard = Keyboard::default();
    let body = match draft.step {
        ReferStep::Aspects => {
            for (id, label) in aspect_choices(app, tr.lang) {
                let mark = if draft.aspects.contains(&id) { "☑️ " } else { "⬜ " };
                keyboard = keyboard.row(vec![button(format!("{mark}{label}"), nonce, ReferAction::ToggleAspect(id))]);
            }
            keyboard = keyboard.row(vec![button(tr.get("form-button-done"), nonce, ReferAction::AspectsDone), cancel]);
            tr.get("refer-ask-aspects")
        }
        ReferStep::Reason => {
            keyboard = keyboard.row(vec![cancel]);
            tr.get("refer-ask-reason")
        }
        ReferStep::Photo => {
            keyboard = keyboard.row(vec![button(tr.get("button-skip"), nonce, ReferAction::SkipPhoto), cancel]);
            tr.get("refer-ask-photo")
        }
        ReferStep::Urgency => {
            for urgency in Urgency::ALL {
                keyboard = keyboard.row(vec![button(
                    tr.get(urgency.message_id()),
                    nonce,
                    ReferAction::Urgency(urgency.as_str().into()),
                )]);
            }
            keyboard = keyboard.row(vec![cancel]);
            tr.get("refer-ask-urgency")
        }
        ReferStep::Target => {
            let people = receivers(turn, user)?;
            let (shown, page, pages) = page_of(&people, draft.target_page, PEOPLE_PER_PAGE);
            for person in shown {
                let label = format!("{} ({})", person.display_name, tr.get(person.role.message_id()));
                keyboard = keyboard.row(vec![button(label, nonce, ReferAction::Target(person.id))]);
            }
            keyboard = keyboard.row(nav_row(page, pages, |p, text| button(text, nonce, ReferAction::TargetPage(p))));
            keyboard = keyboard.row(vec![button(tr.get("refer-target-external"), nonce, ReferAction::External)]);
            keyboard = keyboard.row(vec![cancel]);
            tr.get("refer-ask-target")
        }
        ReferStep::Confirm => {
            let labels: Vec<String> = aspect_choices(app, tr.lang)
                .into_iter()
                .filter(|(id, _)| draft.aspects.contains(id))
                .map(|(_, label)| label)
                .collect();
            let target = match draft.target {
                Some(Target::Person(id)) => users::get(turn.db, id)?.map(|u| u.display_name).unwrap_or_default(),
                Some(Target::External) | None => tr.get("refer-target-external"),
            };
            keyboard = keyboard.row(vec![button(tr.get("refer-button-confirm"), nonce, ReferAction::Confirm), cancel]);
            tr.with(
                "refer-summary",
                Args::new()
                    .str("aspects", labels.join(", "))
                    .str("reason", draft.reason.clone().unwrap_or_default())
                    .str(
                        "photo",
                        tr.get(if draft.photo_file_id.is_some() { "form-location-yes" } else { "form-location-no" }),
                    )
                    .str("urgency", draft.urgency.map(|u| tr.get(u.message_id())).unwrap_or_default())
                    .str("target", target),
            )
        }
    };
    Ok((format!("{header}\n\n{body}"), keyboard))
}

fn confirm(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    draft: &ReferDraft,
    student: &StudentRow,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let (Some(reason), Some(urgency), Some(target)) = (draft.reason.clone(), draft.urgency, draft.target) else {
        return Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    };
    let referral = NewReferral {
        student: student.id,
        by: user.id,
        aspects: draft.aspects.clone(),
        reason,
        photo_file_id: draft.photo_file_id.clone(),
        urgency,
        target,
        source_submission: draft.submission_id,
    };
    let ctx = Ctx::of(app);
    // A refusal leaves nothing behind and keeps the draft, so the teacher can try again: nobody can receive it
    // yet, or the person chosen left (or the rule refuses them) between the choice and the confirmation.
    let (text, done) = match turn.attempt_or_refuse(|tx| cases::open_referral(tx, &ctx, &referral))? {
        Ok(case) => (tr.with("refer-done", Args::new().num("case", case.0).str("name", student.full_name())), true),
        Err(refused) => (tr.get(refused.message_id()), false),
    };
    let replies =
        vec![Reply::AnswerButton { text: None, alert: false }, Reply::show(message_id, text, Keyboard::default())];
    Ok(if done { Step::clear(replies) } else { Step::keep(replies) })
}
