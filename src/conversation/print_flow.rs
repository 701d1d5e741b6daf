//! `/print` (พิมพ์เอกสาร): buttons to choose a document and whose, then the PDF as a document in the chat.
//!
//! Stateless: every button carries the document kind and an id, and every press is checked again against the
//! access policy (`crate::print::access`) — a teacher sees their classes and students, and the cases they
//! follow; the counsellor the cases and plans; the head everything and the term/year report. The data is read
//! in the turn's transaction (and the print audited there); the typesetting runs after the commit.

use super::buttons::ButtonData;
use super::turn::{Step, Turn};
use super::{Button, Keyboard, Reply};
use crate::care::cases::CaseId;
use crate::chat_ui::print_button::PrintButton;
use crate::l10n::{Args, Tr};
use crate::print::DocumentKind;
use crate::print::access;
use crate::print::data::Period;
use crate::print::make::{self, Context, PrintError, Request, Who};
use crate::store::students::{self, ClassId, StudentId};
use crate::store::users::UserRow;

/// Buttons in one list at most (a phone screen; a school has fewer classes than this, a class fewer students).
const MAX_BUTTONS: usize = 60;

fn button(text: String, b: PrintButton) -> Button {
    Button { text, data: ButtonData::Print(b).encode() }
}

fn rows(buttons: Vec<Button>, per_row: usize) -> Keyboard {
    buttons.chunks(per_row.max(1)).fold(Keyboard::default(), |k, row| k.row(row.to_vec()))
}

/// The first screen: the documents this person can print.
pub fn begin(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>, message_id: Option<i32>) -> anyhow::Result<Step> {
    let kinds = access::kinds_for(user.role);
    if kinds.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("print-nothing"))]));
    }
    let _ = turn;
    let mut keyboard = Keyboard::default();
    for kind in kinds {
        keyboard = match kind {
            DocumentKind::Report => keyboard
                .row(vec![button(tr.get("print-kind-report-term"), PrintButton::Report { year: false })])
                .row(vec![button(tr.get("print-kind-report-year"), PrintButton::Report { year: true })]),
            DocumentKind::Screening => {
                keyboard.row(vec![button(tr.get("print-kind-screening"), PrintButton::Kind(kind))])
            }
            DocumentKind::Visit => keyboard.row(vec![button(tr.get("print-kind-visit"), PrintButton::Kind(kind))]),
            DocumentKind::Referral => {
                keyboard.row(vec![button(tr.get("print-kind-referral"), PrintButton::Kind(kind))])
            }
            DocumentKind::Plan => keyboard.row(vec![button(tr.get("print-kind-plan"), PrintButton::Kind(kind))]),
            DocumentKind::Slips => keyboard,
        };
    }
    Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose"), keyboard)]))
}

fn alert(text: String) -> Step {
    Step::keep(vec![Reply::AnswerButton { text: Some(text), alert: true }])
}

pub fn on_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    pressed: PrintButton,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    if !access::kinds_for(user.role).iter().any(|k| match &pressed {
        PrintButton::Kind(kind) | PrintButton::Class { kind, .. } | PrintButton::Case { kind, .. } => k == kind,
        PrintButton::Report { .. } => *k == DocumentKind::Report,
        PrintButton::Student(_) => *k == DocumentKind::Visit,
    }) {
        return Ok(alert(tr.get("print-not-allowed")));
    }
    match pressed {
        PrintButton::Kind(kind @ (DocumentKind::Screening | DocumentKind::Visit)) => {
            let classes = access::classes_for(turn.db, user)?;
            if classes.is_empty() {
                return Ok(alert(tr.get("print-no-classes")));
            }
            let buttons = classes
                .iter()
                .take(MAX_BUTTONS)
                .map(|c| button(c.name.to_string(), PrintButton::Class { kind, id: c.id.0 }))
                .collect();
            Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose-class"), rows(buttons, 3))]))
        }
        PrintButton::Kind(kind @ (DocumentKind::Referral | DocumentKind::Plan)) => {
            let cases = access::cases_for(turn.db, user, 20)?;
            if cases.is_empty() {
                return Ok(alert(tr.get("print-no-cases")));
            }
            let mut buttons = Vec::new();
            for case in cases {
                let student = students::get_student(turn.db, case.student)?.map(|s| s.full_name()).unwrap_or_default();
                let text = tr.with(
                    "print-case-button",
                    Args::new()
                        .num("id", case.id.0)
                        .str("student", student)
                        .str("status", tr.get(case.status.message_id())),
                );
                buttons.push(button(text, PrintButton::Case { kind, id: case.id.0 }));
            }
            Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose-case"), rows(buttons, 1))]))
        }
        PrintButton::Kind(_) => Ok(alert(tr.get("print-not-allowed"))),
        PrintButton::Class { kind: DocumentKind::Visit, id } => {
            if !access::may_print_class(turn.db, user, ClassId(id))? {
                return Ok(alert(tr.get("print-not-allowed")));
            }
            let pupils = students::students_in_class(turn.db, ClassId(id))?;
            if pupils.is_empty() {
                return Ok(alert(tr.get("print-no-students")));
            }
            let buttons =
                pupils.iter().take(MAX_BUTTONS).map(|s| button(s.full_name(), PrintButton::Student(s.id.0))).collect();
            Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose-student"), rows(buttons, 2))]))
        }
        PrintButton::Class { id, .. } => {
            deliver(turn, user, tr, Request::Screening { class: ClassId(id), term: None }, message_id)
        }
        PrintButton::Student(id) => deliver(turn, user, tr, Request::Visit { student: StudentId(id) }, message_id),
        PrintButton::Case { kind: DocumentKind::Plan, id } => {
            deliver(turn, user, tr, Request::Plan { case: CaseId(id) }, message_id)
        }
        PrintButton::Case { id, .. } => deliver(turn, user, tr, Request::Referral { case: CaseId(id) }, message_id),
        PrintButton::Report { year } => {
            let term = crate::store::terms::current(turn.db, turn.app.clock.today())?;
            let period = if year { Period::Year(term.year_be) } else { Period::Term(term) };
            deliver(turn, user, tr, Request::Report(period), message_id)
        }
    }
}

/// Load the document's data in this turn (and audit it), typeset it after the commit, send it as a PDF.
fn deliver(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    request: Request,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let logo = match crate::print::cli::load_logo(&app.config) {
        Ok(logo) => logo,
        Err(e) => {
            // A logo that went missing must not stop the paper: print without it, tell the log.
            tracing::warn!(error = %format!("{e:#}"), "school logo not readable");
            None
        }
    };
    let ctx = Context {
        forms: &app.forms,
        l10n: &app.l10n,
        school_name: &app.config.school_name,
        logo: logo.as_deref(),
        today: app.clock.today(),
    };
    let prepared = match make::prepare(turn.db, &ctx, Who::User(user), request) {
        Ok(prepared) => prepared,
        Err(PrintError::NotAllowed) => return Ok(alert(tr.get("print-not-allowed"))),
        Err(PrintError::NotFound(_)) if matches!(request, Request::Visit { .. }) => {
            return Ok(alert(tr.get("print-no-visit")));
        }
        Err(PrintError::NotFound(_)) => {
            return Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]));
        }
        Err(PrintError::Template(e)) => {
            tracing::error!(problems = %e, "print template failed");
            return Ok(Step::keep(vec![Reply::text(tr.get("print-failed"))]));
        }
        Err(PrintError::Other(e)) => return Err(e),
    };
    make::audit(turn.db, Who::User(user), request, app.clock.now())?;
    let mut step = Step::keep(vec![
        Reply::AnswerButton { text: None, alert: false },
        Reply::show(message_id, tr.get("print-working"), Keyboard::default()),
    ]);
    let (caption, failed) =
        (tr.with("print-caption", Args::new().str("title", prepared.title.clone())), tr.get("print-failed"));
    step.push_later(move |app| match prepared.render(&app.templates) {
        Ok(printed) => Some(Reply::Document { file_name: printed.file_name, bytes: printed.pdf, caption }),
        Err(e) => {
            tracing::error!(problems = %e, "print template failed");
            Some(Reply::text(failed))
        }
    });
    Ok(step)
}
