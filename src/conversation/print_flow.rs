//! `/print` (พิมพ์เอกสาร): buttons to choose a document and whose, then the PDF as a document in the chat.
//!
//! Stateless: every button carries the document kind and an id, and every press is checked again against the
//! access policy (`crate::print::access`) — a teacher sees their classes and students, and the cases they
//! follow; the counsellor the cases and plans; the head everything and the term/year report. Parent invite
//! slips (PDF) for a class: a homeroom teacher their own classes, the head every class (the links are made in
//! the turn, replacing the class's unused ones, as `/invite` does). The data is read in the turn's transaction
//! (and the print audited there); the typesetting runs after the commit.

use super::buttons::ButtonData;
use super::turn::{Step, Turn};
use super::{Button, Keyboard, Reply};
use crate::chat_ui::print_button::PrintButton;
use crate::l10n::{Args, Tr};
use crate::print::DocumentKind;
use crate::print::access;
use crate::print::data::Period;
use crate::print::make::{self, Context, PrintError, Request, Who};
use crate::store::students::{self, ClassId};
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
            DocumentKind::Slips => keyboard.row(vec![button(tr.get("print-kind-slips"), PrintButton::Kind(kind))]),
        };
    }
    Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose"), keyboard)]))
}

/// The classes to print a document for, as buttons (or why there are none).
fn choose_class(
    tr: Tr<'_>,
    message_id: Option<i32>,
    kind: DocumentKind,
    classes: &[students::ClassRow],
    prompt_id: &str,
) -> Step {
    if classes.is_empty() {
        return alert(tr.get("print-no-classes"));
    }
    let buttons = classes
        .iter()
        .take(MAX_BUTTONS)
        .map(|c| button(c.name.to_string(), PrintButton::Class { kind, id: c.id }))
        .collect();
    Step::keep(vec![Reply::show(message_id, tr.get(prompt_id), rows(buttons, 3))])
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
            Ok(choose_class(tr, message_id, kind, &classes, "print-choose-class"))
        }
        PrintButton::Kind(kind @ DocumentKind::Slips) => {
            let classes = access::slip_classes_for(turn.db, user)?;
            Ok(choose_class(tr, message_id, kind, &classes, "print-choose-class-slips"))
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
                buttons.push(button(text, PrintButton::Case { kind, id: case.id }));
            }
            Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose-case"), rows(buttons, 1))]))
        }
        PrintButton::Kind(_) => Ok(alert(tr.get("print-not-allowed"))),
        PrintButton::Class { kind: DocumentKind::Visit, id } => {
            if !access::may_print_class(turn.db, user, id)? {
                return Ok(alert(tr.get("print-not-allowed")));
            }
            let pupils = students::students_in_class(turn.db, id)?;
            if pupils.is_empty() {
                return Ok(alert(tr.get("print-no-students")));
            }
            let buttons =
                pupils.iter().take(MAX_BUTTONS).map(|s| button(s.full_name(), PrintButton::Student(s.id))).collect();
            Ok(Step::keep(vec![Reply::show(message_id, tr.get("print-choose-student"), rows(buttons, 2))]))
        }
        PrintButton::Class { kind: DocumentKind::Slips, id } => deliver_slips(turn, user, tr, id, message_id),
        PrintButton::Class { kind: DocumentKind::Screening, id } => {
            deliver(turn, user, tr, Request::Screening { class: id, term: None }, message_id)
        }
        PrintButton::Class { .. } => Ok(alert(tr.get("print-not-allowed"))),
        PrintButton::Student(id) => deliver(turn, user, tr, Request::Visit { student: id }, message_id),
        PrintButton::Case { kind: DocumentKind::Plan, id } => {
            deliver(turn, user, tr, Request::Plan { case: id }, message_id)
        }
        PrintButton::Case { kind: DocumentKind::Referral, id } => {
            deliver(turn, user, tr, Request::Referral { case: id }, message_id)
        }
        PrintButton::Case { .. } => Ok(alert(tr.get("print-not-allowed"))),
        PrintButton::Report { year } => {
            let term = crate::store::terms::current(turn.db, turn.app.clock.today())?;
            let period = if year { Period::Year(term.year_be) } else { Period::Term(term) };
            deliver(turn, user, tr, Request::Report(period), message_id)
        }
    }
}

/// The school's logo for the paper; a logo that went missing must not stop the paper: print without it, tell
/// the log.
fn logo(turn: &Turn<'_>) -> Option<Vec<u8>> {
    match crate::print::cli::load_logo(&turn.app.config) {
        Ok(logo) => logo,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "school logo not readable");
            None
        }
    }
}

fn context<'a>(turn: &Turn<'a>, logo: Option<&'a [u8]>) -> Context<'a> {
    let app = turn.app;
    Context { forms: &app.forms, l10n: &app.l10n, school_name: &app.config.school_name, logo, today: app.clock.today() }
}

/// The PDF typeset after the commit and sent as a document with `caption`; the apology if the template fails.
fn send_after_commit(mut step: Step, prepared: make::Prepared, caption: String, tr: Tr<'_>) -> Step {
    let failed = tr.get("print-failed");
    step.push_later(move |app| match prepared.render(&app.templates) {
        Ok(printed) => Some(Reply::Document { file_name: printed.file_name, bytes: printed.pdf, caption }),
        Err(e) => {
            tracing::error!(problems = %e, "print template failed");
            Some(Reply::text(failed))
        }
    });
    step
}

/// A class's parent invite slips: the links are made in this turn (replacing the class's unused ones), the PDF
/// typeset after the commit and sent as a document.
fn deliver_slips(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    class: ClassId,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let logo = logo(turn);
    let ctx = context(turn, logo.as_deref());
    let request = make::SlipsRequest {
        class,
        places: app.config.parents_per_student,
        days: app.config.parent_invite_days,
        bot_username: app.bot_username.as_deref(),
    };
    let prepared = make::prepare_slips(turn.db, &ctx, Who::User(user), request, app.clock.now());
    let class_name = || -> anyhow::Result<String> {
        Ok(students::get_class(turn.db, class)?.map(|c| c.name.to_string()).unwrap_or_default())
    };
    let slips = match prepared {
        Ok(Some(slips)) => slips,
        Ok(None) => {
            let class_name = class_name()?;
            return Ok(Step::keep(vec![
                Reply::AnswerButton { text: None, alert: false },
                Reply::show(
                    message_id,
                    tr.with("slips-all-joined", Args::new().str("class", class_name)),
                    Keyboard::default(),
                ),
            ]));
        }
        Err(e) => return not_printed(tr, e),
    };
    let class_name = class_name()?;
    let caption = tr.with(
        "slips-caption",
        Args::new().str("class", class_name).num("count", slips.count as i64).str("expires", tr.date(slips.expires)),
    );
    let step = working(tr, message_id);
    Ok(send_after_commit(step, slips.prepared, caption, tr))
}

/// Why a document was not made, told to the person: not theirs to print, gone since the button was made, or a
/// template the school broke (logged for whoever edits it). Anything else is a fault, for the apology.
fn not_printed(tr: Tr<'_>, error: PrintError) -> anyhow::Result<Step> {
    match error {
        PrintError::NotAllowed => Ok(alert(tr.get("print-not-allowed"))),
        PrintError::NotFound(_) => {
            Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]))
        }
        PrintError::Template(e) => {
            tracing::error!(problems = %e, "print template failed");
            Ok(Step::keep(vec![Reply::text(tr.get("print-failed"))]))
        }
        PrintError::Other(e) => Err(e),
    }
}

/// The press answered and the message turned into "typesetting…" while the PDF is made after the commit.
fn working(tr: Tr<'_>, message_id: Option<i32>) -> Step {
    Step::keep(vec![
        Reply::AnswerButton { text: None, alert: false },
        Reply::show(message_id, tr.get("print-working"), Keyboard::default()),
    ])
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
    let logo = logo(turn);
    let ctx = context(turn, logo.as_deref());
    let prepared = match make::prepare(turn.db, &ctx, Who::User(user), request) {
        Ok(prepared) => prepared,
        Err(PrintError::NotFound(_)) if matches!(request, Request::Visit { .. }) => {
            return Ok(alert(tr.get("print-no-visit")));
        }
        Err(e) => return not_printed(tr, e),
    };
    make::audit(turn.db, Who::User(user), request, app.clock.now())?;
    let step = working(tr, message_id);
    let caption = tr.with("print-caption", Args::new().str("title", prepared.title.clone()));
    Ok(send_after_commit(step, prepared, caption, tr))
}
