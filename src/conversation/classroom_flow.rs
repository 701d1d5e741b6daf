//! Care in the classroom, by the homeroom teacher (ครูประจำชั้น), before anything goes to the counsellor:
//!
//! - **Help in class** (ช่วยเหลือเบื้องต้น): from an at-risk screening result or `/student`, the teacher types what
//!   they saw and gets a case of their own. Its plan, actions, reminders and notes are the referral's (the case
//!   screens in `case_chat`); "ส่งต่อครูแนะแนว" on it hands the same case, with its chronology, to the counsellor.
//! - **Class meetings with parents** (`/meeting`, ประชุมผู้ปกครองชั้นเรียน): the date, the topics and which families
//!   came, ticked on a paged list of the class's students and their parents.

use super::buttons::{ButtonData, CaseAction, MeetAction};
use super::state::{self, ChatState};
use super::turn::{Step, Turn};
use super::{Button, Event, Keyboard, MAX_TEXT_CHARS, Reply};
use crate::care::cases::{self, CaseId, CaseKind, CaseRow, Ctx, NewClassroomHelp};
use crate::care::policy::{self, CareAction};
use crate::care::schedule::Urgency;
use crate::domain::Role;
use crate::domain::ids::SubmissionId;
use crate::domain::refusal::Refusal as _;
use crate::l10n::thai_date::parse_date;
use crate::l10n::{Args, Tr};
use crate::store::students::{self, ClassId, StudentId, StudentRow};
use crate::store::users::UserRow;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Longest reason for help and longest list of topics.
const MAX_REASON_CHARS: usize = 1000;
/// Families per page of the attendance list (a phone screen of buttons).
const PAGE_SIZE: usize = 8;

/// Waiting for the teacher to type why they start help in class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpDraft {
    pub nonce: String,
    pub student_id: StudentId,
    pub submission_id: Option<SubmissionId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStep {
    Class,
    Date,
    Topics,
    Attendance,
}

/// A class meeting being recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDraft {
    pub nonce: String,
    pub step: MeetingStep,
    pub class_id: Option<ClassId>,
    pub held_on: Option<NaiveDate>,
    pub topics: Option<String>,
    /// Students whose parent came.
    pub came: Vec<StudentId>,
    pub page: usize,
}

fn answered() -> Reply {
    Reply::AnswerButton { text: None, alert: false }
}

fn alert(text: String) -> Step {
    Step::keep(vec![Reply::AnswerButton { text: Some(text), alert: true }])
}

fn stale(tr: Tr<'_>) -> Step {
    Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }])
}

fn case_button(text: String, id: CaseId, action: CaseAction) -> Button {
    Button { text, data: ButtonData::Case { id, action }.encode() }
}

// ----------------------------------------------------------------------------------------------------------
// Help in class

/// Whether this person starts help in class for this student: a homeroom teacher, for their own class.
fn may_help(conn: &Connection, user: &UserRow, student: &StudentRow) -> anyhow::Result<bool> {
    Ok(user.role == Role::Teacher && policy::allows(conn, user, CareAction::RecordForms, student)?)
}

/// The help button for a screening result or `/student`: "ช่วยเหลือเบื้องต้น", or the student's open case.
pub fn offer_help(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    keyboard: Keyboard,
    student: &StudentRow,
    submission: Option<SubmissionId>,
) -> anyhow::Result<Keyboard> {
    if !may_help(turn.db, user, student)? {
        return Ok(keyboard);
    }
    let button = match cases::open_case_of(turn.db, student.id)? {
        Some(case) => {
            case_button(tr.with("help-button-open-case", Args::new().num("case", case.id.0)), case.id, CaseAction::Open)
        }
        None => Button {
            text: tr.get("help-button-start"),
            data: ButtonData::Help { student: student.id, submission }.encode(),
        },
    };
    Ok(keyboard.row(vec![button]))
}

fn help_prompt(tr: Tr<'_>, student: &StudentRow, draft: &HelpDraft) -> (String, Keyboard) {
    let text =
        tr.with("help-ask-reason", Args::new().str("name", student.full_name()).str("class", &student.class_name));
    let keyboard = Keyboard::default().row(vec![Button {
        text: tr.get("button-cancel"),
        data: ButtonData::HelpCancel(draft.nonce.clone()).encode(),
    }]);
    (text, keyboard)
}

/// The help button was pressed.
pub fn start_help(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    student: StudentId,
    submission: Option<SubmissionId>,
) -> anyhow::Result<Step> {
    let Some(student) = students::get_student(turn.db, student)? else {
        return Ok(stale(tr));
    };
    if user.role != Role::Teacher {
        return Ok(alert(tr.get("help-not-teacher")));
    }
    if !may_help(turn.db, user, &student)? {
        return Ok(alert(tr.get("pick-not-your-student")));
    }
    if let Some(case) = cases::open_case_of(turn.db, student.id)? {
        return Ok(already_open(tr, &student, &case));
    }
    let draft = HelpDraft { nonce: state::new_nonce(), student_id: student.id, submission_id: submission };
    let (text, keyboard) = help_prompt(tr, &student, &draft);
    Ok(Step::set(ChatState::Help(draft), vec![answered(), Reply::Send { text, keyboard }]))
}

fn already_open(tr: Tr<'_>, student: &StudentRow, case: &CaseRow) -> Step {
    let text = tr.with("help-already-open", Args::new().str("name", student.full_name()).num("case", case.id.0));
    let keyboard = Keyboard::default().row(vec![case_button(tr.get("case-button-open"), case.id, CaseAction::Open)]);
    Step::clear(vec![answered(), Reply::Send { text, keyboard }])
}

/// "Cancel" under the question.
pub fn cancel_help(tr: Tr<'_>, current: Option<&ChatState>, nonce: &str, message_id: Option<i32>) -> Step {
    match current {
        Some(ChatState::Help(draft)) if draft.nonce == nonce => {
            Step::clear(vec![answered(), Reply::show(message_id, tr.get("help-cancelled"), Keyboard::default())])
        }
        _ => stale(tr),
    }
}

/// What the teacher typed (or sent) while the reason for help is asked.
pub fn on_help_message(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    draft: HelpDraft,
    event: &Event,
) -> anyhow::Result<Step> {
    let Some(student) = students::get_student(turn.db, draft.student_id)? else {
        return Ok(Step::clear(vec![Reply::text(tr.get("pick-not-your-student"))]));
    };
    if !may_help(turn.db, user, &student)? {
        return Ok(Step::clear(vec![Reply::text(tr.get("pick-not-your-student"))]));
    }
    let again = |problem: String| {
        let (text, keyboard) = help_prompt(tr, &student, &draft);
        Ok(Step::keep(vec![Reply::Send { text: format!("⚠️ {problem}\n\n{text}"), keyboard }]))
    };
    let reason = match event {
        Event::Text(text) => text.trim(),
        _ => return again(tr.get("help-reason-expected")),
    };
    if reason.is_empty() || reason.starts_with('/') {
        return again(tr.get("help-reason-expected"));
    }
    if reason.chars().count() > MAX_REASON_CHARS.min(MAX_TEXT_CHARS) {
        return again(tr.with("message-too-long", Args::new().num("max", MAX_REASON_CHARS as i64)));
    }
    // Two phones, one teacher: help may have been opened meanwhile.
    if let Some(case) = cases::open_case_of(turn.db, student.id)? {
        let mut step = already_open(tr, &student, &case);
        step.replies.retain(|r| !matches!(r, Reply::AnswerButton { .. }));
        return Ok(step);
    }
    let help = NewClassroomHelp {
        student: student.id,
        teacher: user.id,
        aspects: cases::flagged_aspects(turn.db, student.id, draft.submission_id)?,
        reason: reason.to_string(),
        source_submission: draft.submission_id,
    };
    let ctx = Ctx::of(turn.app);
    let case = match turn.attempt_or_refuse(|tx| cases::open_classroom(tx, &ctx, &help))? {
        Ok(case) => case,
        // The rule refuses (no longer a homeroom teacher): said, and nothing is left behind.
        Err(refused) => return Ok(Step::clear(vec![Reply::text(tr.get(refused.message_id()))])),
    };
    let mut replies = vec![Reply::text(tr.with("help-opened", Args::new().num("case", case.0)))];
    if let Some(row) = cases::get_case(turn.db, case)? {
        let (text, keyboard) = super::case_chat::case_screen(turn, tr, user, &row)?;
        replies.push(Reply::Send { text, keyboard });
    }
    Ok(Step::clear(replies))
}

/// "ส่งต่อครูแนะแนว" on a case of help in class: how urgent, to whom, then done. `None`: not one of these buttons.
pub fn on_refer_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    case: &CaseRow,
    action: &CaseAction,
    message_id: Option<i32>,
) -> anyhow::Result<Option<Step>> {
    if !matches!(action, CaseAction::Refer | CaseAction::ReferAs(_) | CaseAction::ReferTo(..)) {
        return Ok(None);
    }
    if case.owner != user.id {
        return Ok(Some(alert(tr.get("case-not-owner"))));
    }
    if case.kind != CaseKind::Classroom {
        return Ok(Some(alert(tr.get("help-already-referred"))));
    }
    let id = case.id;
    let back = case_button(tr.get("case-button-back"), id, CaseAction::Open);
    let step = match action {
        CaseAction::Refer => {
            let mut keyboard = Keyboard::default();
            for urgency in Urgency::ALL {
                keyboard = keyboard.row(vec![case_button(
                    tr.get(urgency.message_id()),
                    id,
                    CaseAction::ReferAs(urgency.as_str().into()),
                )]);
            }
            let text = tr.with("help-refer-urgency", Args::new().num("case", id.0));
            Step::keep(vec![answered(), Reply::show(message_id, text, keyboard.row(vec![back]))])
        }
        CaseAction::ReferAs(code) => {
            if Urgency::parse(code).is_none() {
                return Ok(Some(stale(tr)));
            }
            let people = cases::counsellors(turn.db)?;
            if people.is_empty() {
                return Ok(Some(alert(tr.get("refer-nobody-to-receive"))));
            }
            let mut keyboard = Keyboard::default();
            for person in people {
                let label = format!("{} ({})", person.display_name, tr.get(person.role.message_id()));
                keyboard = keyboard.row(vec![case_button(label, id, CaseAction::ReferTo(code.clone(), person.id))]);
            }
            let text = tr.with("help-refer-person", Args::new().num("case", id.0));
            Step::keep(vec![answered(), Reply::show(message_id, text, keyboard.row(vec![back]))])
        }
        CaseAction::ReferTo(code, to) => {
            let Some(urgency) = Urgency::parse(code) else { return Ok(Some(stale(tr))) };
            let ctx = Ctx::of(turn.app);
            // Whatever the rule refuses here (the case moved on, the person left), the teacher is told the same:
            // this hand-over is not possible now.
            if turn.attempt_or_refuse(|tx| cases::refer_classroom_case(tx, &ctx, id, user.id, *to, urgency))?.is_err() {
                return Ok(Some(alert(tr.get("case-not-allowed"))));
            }
            let owner = crate::store::users::get(turn.db, *to)?.map(|u| u.display_name).unwrap_or_default();
            let mut replies = vec![answered()];
            replies.push(Reply::show(
                message_id,
                tr.with("help-referred", Args::new().num("case", id.0).str("owner", owner)),
                Keyboard::default(),
            ));
            if let Some(row) = cases::get_case(turn.db, id)? {
                let (text, keyboard) = super::case_chat::case_screen(turn, tr, user, &row)?;
                replies.push(Reply::Send { text, keyboard });
            }
            Step::keep(replies)
        }
        _ => return Ok(None),
    };
    Ok(Some(step))
}

// ----------------------------------------------------------------------------------------------------------
// Class meetings with parents

/// `/meeting`: record a class meeting with parents.
pub fn begin_meeting(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let classes = own_classes(turn.db, user)?;
    if classes.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("meeting-no-class"))]));
    }
    let mut draft = MeetingDraft {
        nonce: state::new_nonce(),
        step: MeetingStep::Class,
        class_id: None,
        held_on: None,
        topics: None,
        came: vec![],
        page: 0,
    };
    if let [only] = classes.as_slice() {
        draft.class_id = Some(*only);
        draft.step = MeetingStep::Date;
    }
    let (text, keyboard) = meeting_screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Meeting(draft), vec![Reply::Send { text, keyboard }]))
}

fn own_classes(conn: &Connection, user: &UserRow) -> anyhow::Result<Vec<ClassId>> {
    if user.role != Role::Teacher || user.revoked {
        return Ok(vec![]);
    }
    Ok(crate::store::users::classes_of(conn, user.id)?.into_iter().map(|c| c.id).collect())
}

fn meet_button(text: String, nonce: &str, action: MeetAction) -> Button {
    Button { text, data: ButtonData::Meet { nonce: nonce.into(), action }.encode() }
}

/// A family on the attendance list: the student, and the parents who joined the bot (or the roster's name).
fn family_label(conn: &Connection, student: &StudentRow) -> anyhow::Result<String> {
    let parents = crate::care::meetings::parents_of(conn, student.id)?;
    let name = format!("{} {}", student.first_name, student.last_name);
    Ok(if parents.is_empty() { name } else { format!("{name} — {}", parents.join(", ")) })
}

fn meeting_screen(
    turn: &Turn<'_>,
    tr: Tr<'_>,
    user: &UserRow,
    draft: &MeetingDraft,
) -> anyhow::Result<(String, Keyboard)> {
    let nonce = draft.nonce.as_str();
    let cancel = meet_button(tr.get("button-cancel"), nonce, MeetAction::Cancel);
    let class = match draft.class_id {
        Some(id) => students::get_class(turn.db, id)?.map(|c| c.name.to_string()).unwrap_or_default(),
        None => String::new(),
    };
    let mut keyboard = Keyboard::default();
    let text = match draft.step {
        MeetingStep::Class => {
            for id in own_classes(turn.db, user)? {
                if let Some(c) = students::get_class(turn.db, id)? {
                    keyboard = keyboard.row(vec![meet_button(c.name.to_string(), nonce, MeetAction::Class(id))]);
                }
            }
            tr.get("meeting-choose-class")
        }
        MeetingStep::Date => {
            let today = turn.app.clock.today();
            keyboard = keyboard.row(vec![meet_button(
                tr.with("meeting-button-today", Args::new().str("date", tr.date(today))),
                nonce,
                MeetAction::Today,
            )]);
            tr.with("meeting-ask-date", Args::new().str("class", &class))
        }
        MeetingStep::Topics => tr.with(
            "meeting-ask-topics",
            Args::new().str("class", &class).str("date", draft.held_on.map(|d| tr.date(d)).unwrap_or_default()),
        ),
        MeetingStep::Attendance => {
            let list = draft.class_id.map_or(Ok(vec![]), |id| students::students_in_class(turn.db, id))?;
            let pages = list.len().div_ceil(PAGE_SIZE).max(1);
            let page = draft.page.min(pages - 1);
            for student in list.iter().skip(page * PAGE_SIZE).take(PAGE_SIZE) {
                let mark = if draft.came.contains(&student.id) { "☑️" } else { "⬜" };
                let label = format!("{mark} {}", family_label(turn.db, student)?);
                keyboard = keyboard.row(vec![meet_button(label, nonce, MeetAction::Toggle(student.id))]);
            }
            if pages > 1 {
                let mut row = vec![];
                if page > 0 {
                    row.push(meet_button("◀️".into(), nonce, MeetAction::Page(page - 1)));
                }
                row.push(meet_button(
                    tr.with("meeting-page", Args::new().num("page", page as i64 + 1).num("pages", pages as i64)),
                    nonce,
                    MeetAction::Page(page),
                ));
                if page + 1 < pages {
                    row.push(meet_button("▶️".into(), nonce, MeetAction::Page(page + 1)));
                }
                keyboard = keyboard.row(row);
            }
            keyboard = keyboard.row(vec![meet_button(tr.get("meeting-button-save"), nonce, MeetAction::Save)]);
            tr.with(
                "meeting-ask-attendance",
                Args::new()
                    .str("class", &class)
                    .str("date", draft.held_on.map(|d| tr.date(d)).unwrap_or_default())
                    .num("count", draft.came.len() as i64)
                    .num("students", list.len() as i64),
            )
        }
    };
    Ok((text, keyboard.row(vec![cancel])))
}

/// A button of the meeting flow (the nonce already matched).
pub fn on_meeting_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut draft: MeetingDraft,
    action: MeetAction,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let mine = own_classes(turn.db, user)?;
    // Re-checked on every press: the class must still be one of theirs (a school year ends, classes move on).
    if draft.class_id.is_some_and(|id| !mine.contains(&id)) {
        return Ok(Step::clear(vec![Reply::AnswerButton { text: Some(tr.get("pick-not-your-student")), alert: true }]));
    }
    match (draft.step, action) {
        (_, MeetAction::Cancel) => {
            return Ok(Step::clear(vec![
                answered(),
                Reply::show(message_id, tr.get("meeting-cancelled"), Keyboard::default()),
            ]));
        }
        (MeetingStep::Class, MeetAction::Class(id)) if mine.contains(&id) => {
            draft.class_id = Some(id);
            draft.step = MeetingStep::Date;
        }
        (MeetingStep::Date, MeetAction::Today) => {
            draft.held_on = Some(turn.app.clock.today());
            draft.step = MeetingStep::Topics;
        }
        (MeetingStep::Attendance, MeetAction::Toggle(student)) => {
            let in_class = students::get_student(turn.db, student)?
                .is_some_and(|s| Some(s.class_id) == draft.class_id && !s.archived);
            if !in_class {
                return Ok(stale(tr));
            }
            match draft.came.iter().position(|s| *s == student) {
                Some(i) => {
                    draft.came.remove(i);
                }
                None => draft.came.push(student),
            }
        }
        (MeetingStep::Attendance, MeetAction::Page(page)) => draft.page = page,
        (MeetingStep::Attendance, MeetAction::Save) => return save_meeting(turn, user, tr, &draft, message_id),
        _ => return Ok(stale(tr)),
    }
    let (text, keyboard) = meeting_screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Meeting(draft), vec![answered(), Reply::show(message_id, text, keyboard)]))
}

/// Something typed or sent while recording a meeting: a date, the topics, or a hint to use the buttons.
pub fn on_meeting_message(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut draft: MeetingDraft,
    event: &Event,
) -> anyhow::Result<Step> {
    let typed = match event {
        Event::Text(t) => Some(t.trim()),
        _ => None,
    };
    let problem = match (draft.step, typed) {
        (MeetingStep::Date, Some(t)) => match parse_date(t) {
            Ok(date) if date > turn.app.clock.today() => Some(tr.get("meeting-date-future")),
            Ok(date) => {
                draft.held_on = Some(date);
                draft.step = MeetingStep::Topics;
                None
            }
            Err(_) => Some(tr.get("meeting-date-unreadable")),
        },
        (MeetingStep::Topics, Some(t)) if t.is_empty() || t.starts_with('/') => Some(tr.get("meeting-topics-expected")),
        (MeetingStep::Topics, Some(t)) if t.chars().count() > MAX_REASON_CHARS.min(MAX_TEXT_CHARS) => {
            Some(tr.with("message-too-long", Args::new().num("max", MAX_REASON_CHARS as i64)))
        }
        (MeetingStep::Topics, Some(t)) => {
            draft.topics = Some(t.to_string());
            draft.step = MeetingStep::Attendance;
            None
        }
        (MeetingStep::Topics, None) => Some(tr.get("meeting-topics-expected")),
        (MeetingStep::Date, None) => Some(tr.get("meeting-date-unreadable")),
        (MeetingStep::Class | MeetingStep::Attendance, _) => Some(tr.get("use-the-buttons")),
    };
    let (mut text, keyboard) = meeting_screen(turn, tr, user, &draft)?;
    if let Some(problem) = problem {
        text = format!("⚠️ {problem}\n\n{text}");
    }
    Ok(Step::set(ChatState::Meeting(draft), vec![Reply::Send { text, keyboard }]))
}

fn save_meeting(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    draft: &MeetingDraft,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let (Some(class), Some(held_on), Some(topics)) = (draft.class_id, draft.held_on, draft.topics.as_deref()) else {
        return Ok(stale(tr));
    };
    let students_now = students::students_in_class(turn.db, class)?;
    // Only families still in the class (a student may have moved since the box was ticked).
    let came: Vec<StudentId> = students_now.iter().filter(|s| draft.came.contains(&s.id)).map(|s| s.id).collect();
    let now = turn.app.clock.now();
    crate::care::meetings::record(turn.db, class, held_on, topics, &came, user.id, now)?;
    let name = students::get_class(turn.db, class)?.map(|c| c.name.to_string()).unwrap_or_default();
    let text = tr.with(
        "meeting-saved",
        Args::new()
            .str("class", name)
            .str("date", tr.date(held_on))
            .num("count", came.len() as i64)
            .num("students", students_now.len() as i64),
    );
    Ok(Step::clear(vec![answered(), Reply::show(message_id, text, Keyboard::default())]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_saved_before_ids_were_typed_still_read() {
        // A chat state is saved as JSON between two messages; typed ids keep the bare numbers of older saves.
        let saved = r#"{"nonce":"abcd","step":"attendance","class_id":3,"held_on":"2026-11-24","topics":"x","came":[5,6],"page":0}"#;
        let draft: MeetingDraft = serde_json::from_str(saved).expect("an older save");
        assert_eq!((draft.class_id, draft.came.as_slice()), (Some(ClassId(3)), &[StudentId(5), StudentId(6)][..]));
        assert_eq!(serde_json::to_string(&draft).expect("saved"), saved);
        let help: HelpDraft =
            serde_json::from_str(r#"{"nonce":"abcd","student_id":7,"submission_id":null}"#).expect("an older save");
        assert_eq!((help.student_id, help.submission_id), (StudentId(7), None));
    }
}
