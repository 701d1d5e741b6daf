//! Choosing a class (when a person has several) and then a student from a paged list that shows where each
//! student stands this term: ✅ done, 📝 draft, ⬜ not yet (or their screening group, for viewing).

use super::buttons::{ButtonData, PickAction};
use super::state::{self, ChatState, PickDraft, Purpose};
use super::turn::{Step, Turn};
use super::{Button, Keyboard, Reply, form_flow, student_view};
use crate::care::policy::{self, CareAction};
use crate::domain::{Role, Term};
use crate::l10n::{Args, Tr};
use crate::store::forms as form_rows;
use crate::store::students::{self, ClassId, ClassRow, StudentId, StudentRow};
use crate::store::users::{self, UserRow};
use std::collections::HashSet;

const STUDENTS_PER_PAGE: usize = 10;
const CLASSES_PER_PAGE: usize = 12;
const CLASSES_PER_ROW: usize = 3;

pub fn action_for(purpose: Purpose) -> CareAction {
    match purpose {
        Purpose::Screen | Purpose::Visit | Purpose::Refer => CareAction::RecordForms,
        Purpose::View => CareAction::ViewRecords,
    }
}

/// The form kind a purpose fills in.
pub fn form_kind(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Screen | Purpose::View | Purpose::Refer => "screening",
        Purpose::Visit => "home_visit",
    }
}

/// The classes this person works with for this purpose.
fn classes_for(turn: &Turn<'_>, user: &UserRow) -> anyhow::Result<Vec<ClassRow>> {
    match user.role {
        Role::Teacher => users::classes_of(turn.db, user.id),
        _ => students::list_classes(turn.db),
    }
}

pub fn begin(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, purpose: Purpose) -> anyhow::Result<Step> {
    let classes = classes_for(turn, user)?;
    if classes.is_empty() {
        let id = if user.role == Role::Teacher { "pick-no-class-assigned" } else { "pick-no-classes" };
        return Ok(Step::keep(vec![Reply::text(tr.get(id))]));
    }
    let class_id = (classes.len() == 1).then(|| classes[0].id);
    let draft =
        PickDraft { nonce: state::new_nonce(), purpose, class_id, page: 0, class_page: 0, pending_student: None };
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Pick(draft), vec![Reply::Send { text, keyboard }]))
}

/// The student list of a class, ready for the next student (after a form was submitted): the state to keep and
/// the message to show.
pub fn resume_class(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    purpose: Purpose,
    class: ClassId,
) -> anyhow::Result<(ChatState, Reply)> {
    let draft = PickDraft {
        nonce: state::new_nonce(),
        purpose,
        class_id: Some(class),
        page: 0,
        class_page: 0,
        pending_student: None,
    };
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok((ChatState::Pick(draft), Reply::Send { text, keyboard }))
}

#[allow(clippy::too_many_arguments)]
pub fn on_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut draft: PickDraft,
    action: PickAction,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let ok = Reply::AnswerButton { text: None, alert: false };
    let stale = || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
    let not_yours =
        || Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("pick-not-your-student")), alert: true }]));
    match action {
        PickAction::Cancel => {
            return Ok(Step::clear(vec![ok, Reply::show(message_id, tr.get("cancelled"), Keyboard::default())]));
        }
        PickAction::ClassPage(page) => draft.class_page = page,
        PickAction::Classes => {
            draft.class_id = None;
            draft.pending_student = None;
        }
        PickAction::Class(id) => {
            // Re-checked on every press: the class must still be one of theirs.
            if !classes_for(turn, user)?.iter().any(|c| c.id == id) {
                return stale();
            }
            draft.class_id = Some(id);
            draft.page = 0;
        }
        PickAction::Page(page) => draft.page = page,
        PickAction::Student(id) => {
            let Some(student) = students::get_student(turn.db, id)? else {
                return stale();
            };
            if !policy::allows(turn.db, user, action_for(draft.purpose), &student)? {
                return not_yours();
            }
            if draft.purpose == Purpose::Refer {
                return Ok(super::refer_flow::begin(turn, user, tr, &student, None, message_id)?.prepend(ok));
            }
            if draft.purpose == Purpose::View {
                let text = student_view::describe(turn, tr, user, &student)?;
                let keyboard = super::classroom_flow::offer_help(turn, user, tr, Keyboard::default(), &student, None)?;
                return Ok(Step::clear(vec![ok, Reply::show(message_id, text, keyboard)]));
            }
            let form_id = form_flow::form_id_for(turn.app, draft.purpose)?;
            let has_draft = form_rows::load_draft(turn.db, user.id, student.id, &form_id)?.is_some();
            if !has_draft {
                return Ok(form_flow::begin(turn, user, tr, &student, draft.purpose, false, message_id)?.prepend(ok));
            }
            draft.pending_student = Some(id);
        }
        PickAction::Continue | PickAction::Restart => {
            let Some(id) = draft.pending_student else {
                return stale();
            };
            let Some(student) = students::get_student(turn.db, id)? else {
                return stale();
            };
            if !policy::allows(turn.db, user, action_for(draft.purpose), &student)? {
                return not_yours();
            }
            let restart = action == PickAction::Restart;
            return Ok(form_flow::begin(turn, user, tr, &student, draft.purpose, restart, message_id)?.prepend(ok));
        }
    }
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Pick(draft), vec![ok, Reply::show(message_id, text, keyboard)]))
}

/// Text typed while a list is showing: show the list again with a hint.
pub fn on_other(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, draft: &PickDraft) -> anyhow::Result<Step> {
    let (text, keyboard) = screen(turn, tr, user, draft)?;
    Ok(Step::keep(vec![Reply::text(tr.get("use-the-buttons")), Reply::Send { text, keyboard }]))
}

fn button(text: String, nonce: &str, action: PickAction) -> Button {
    Button { text, data: ButtonData::Pick { nonce: nonce.to_string(), action }.encode() }
}

fn purpose_title(tr: Tr<'_>, purpose: Purpose) -> String {
    tr.get(match purpose {
        Purpose::Screen => "pick-title-screen",
        Purpose::Visit => "pick-title-visit",
        Purpose::View => "pick-title-view",
        Purpose::Refer => "pick-title-refer",
    })
}

fn screen(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, draft: &PickDraft) -> anyhow::Result<(String, Keyboard)> {
    let app = turn.app;
    let nonce = draft.nonce.as_str();
    let cancel = button(tr.get("button-cancel"), nonce, PickAction::Cancel);
    let classes = classes_for(turn, user)?;

    if let Some(student_id) = draft.pending_student {
        let student = students::get_student(turn.db, student_id)?;
        let name = student.map(|s| s.full_name()).unwrap_or_default();
        let keyboard = Keyboard::default()
            .row(vec![button(tr.get("pick-continue-draft"), nonce, PickAction::Continue)])
            .row(vec![button(tr.get("pick-restart-draft"), nonce, PickAction::Restart)])
            .row(vec![cancel]);
        return Ok((tr.with("pick-draft-exists", Args::new().str("name", name)), keyboard));
    }

    let Some(class_id) = draft.class_id else {
        let pages = classes.len().div_ceil(CLASSES_PER_PAGE).max(1);
        let page = draft.class_page.min(pages - 1);
        let mut keyboard = Keyboard::default();
        let shown: Vec<&ClassRow> = classes.iter().skip(page * CLASSES_PER_PAGE).take(CLASSES_PER_PAGE).collect();
        for chunk in shown.chunks(CLASSES_PER_ROW) {
            keyboard = keyboard
                .row(chunk.iter().map(|c| button(c.name.to_string(), nonce, PickAction::Class(c.id))).collect());
        }
        keyboard = keyboard.row(nav(nonce, page, pages, PickAction::ClassPage));
        let text = format!("{}\n{}", purpose_title(tr, draft.purpose), tr.get("pick-choose-class"));
        return Ok((text, keyboard.row(vec![cancel])));
    };

    let class = classes.iter().find(|c| c.id == class_id).map(|c| c.name.to_string()).unwrap_or_default();
    let pupils = students::students_in_class(turn.db, class_id)?;
    let term: Term = crate::store::terms::current(turn.db, app.clock.today())?;
    let term = term.to_string();
    let kind = form_kind(draft.purpose);
    let done: HashSet<StudentId> = form_rows::submitted_in_class(turn.db, class_id, kind, &term)?;
    let drafts: HashSet<StudentId> = match draft.purpose {
        Purpose::View | Purpose::Refer => HashSet::new(),
        purpose => {
            let form_id = form_flow::form_id_for(app, purpose)?;
            form_rows::students_with_drafts(turn.db, user.id, &form_id)?
        }
    };
    let pages = pupils.len().div_ceil(STUDENTS_PER_PAGE).max(1);
    let page = draft.page.min(pages - 1);
    let mut keyboard = Keyboard::default();
    for (number, pupil) in pupils.iter().enumerate().skip(page * STUDENTS_PER_PAGE).take(STUDENTS_PER_PAGE) {
        let mark = status_mark(turn, draft.purpose, pupil, &done, &drafts)?;
        let label = format!("{mark} {}. {}", number + 1, short_name(pupil));
        keyboard = keyboard.row(vec![button(label, nonce, PickAction::Student(pupil.id))]);
    }
    keyboard = keyboard.row(nav(nonce, page, pages, PickAction::Page));
    let mut last = vec![];
    if classes.len() > 1 {
        last.push(button(tr.get("pick-other-class"), nonce, PickAction::Classes));
    }
    last.push(cancel);
    let summary = tr.with(
        match draft.purpose {
            Purpose::Screen => "pick-class-summary-screen",
            Purpose::Visit => "pick-class-summary-visit",
            Purpose::View | Purpose::Refer => "pick-class-summary-view",
        },
        Args::new()
            .str("class", &class)
            .str("term", &term)
            .num("done", done.len() as i64)
            .num("total", pupils.len() as i64)
            .num("page", page as i64 + 1)
            .num("pages", pages as i64),
    );
    let text = if pupils.is_empty() { tr.with("pick-class-empty", Args::new().str("class", class)) } else { summary };
    Ok((format!("{}\n{text}", purpose_title(tr, draft.purpose)), keyboard.row(last)))
}

fn nav(nonce: &str, page: usize, pages: usize, make: fn(usize) -> PickAction) -> Vec<Button> {
    let mut row = vec![];
    if page > 0 {
        row.push(button("◀".into(), nonce, make(page - 1)));
    }
    if page + 1 < pages {
        row.push(button("▶".into(), nonce, make(page + 1)));
    }
    row
}

/// Name and nickname, short enough for a button on a phone.
fn short_name(s: &StudentRow) -> String {
    let name = format!("{}{} {}", s.prefix, s.first_name, s.last_name);
    match &s.nickname {
        Some(nick) => format!("{name} ({nick})"),
        None => name,
    }
}

fn status_mark(
    turn: &Turn<'_>,
    purpose: Purpose,
    pupil: &StudentRow,
    done: &HashSet<StudentId>,
    drafts: &HashSet<StudentId>,
) -> anyhow::Result<&'static str> {
    Ok(match purpose {
        Purpose::View | Purpose::Refer => {
            let latest = form_rows::latest_submission(turn.db, pupil.id, "screening")?;
            match latest.and_then(|s| s.overall_group).as_deref() {
                Some("problem") => "🔴",
                Some("risk") => "🟡",
                Some("normal") => "🟢",
                _ => "⬜",
            }
        }
        _ if drafts.contains(&pupil.id) => "📝",
        _ if done.contains(&pupil.id) => "✅",
        _ => "⬜",
    })
}
