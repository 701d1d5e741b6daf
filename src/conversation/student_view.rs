//! `/student`: the latest screening result and home-visit summary of one student, for those allowed to see
//! them. Every look is recorded in the audit log (PDPA: who looked at sensitive data).

use super::form_flow::group_label;
use super::turn::Turn;
use crate::app::App;
use crate::care::cases;
use crate::care::policy::{self, CareAction};
use crate::forms::def::{FormDef, Group, LocalText, Question, QuestionKind};
use crate::forms::engine::{self, Answer, Answers};
use crate::forms::score::ScoreResult;
use crate::l10n::{Args, Lang, Tr};
use crate::store::audit::{self, Actor, Entry};
use crate::store::forms::{self as form_rows, SubmissionRow};
use crate::store::students::StudentRow;
use crate::store::users::UserRow;

fn local(lang: Lang, text: &LocalText) -> String {
    match lang {
        Lang::Th => text.th().to_string(),
        Lang::En => text.en().to_string(),
    }
}

pub fn describe(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, student: &StudentRow) -> anyhow::Result<String> {
    let app = turn.app;
    if !policy::allows(turn.db, user, CareAction::ViewRecords, student)? {
        return Ok(tr.get("pick-not-your-student"));
    }
    let screening = form_rows::latest_submission(turn.db, student.id, "screening")?;
    let visit = form_rows::latest_submission(turn.db, student.id, "home_visit")?;
    audit::record(
        turn.db,
        app.clock.now(),
        Entry {
            actor: Actor::User(user.id),
            action: "care.view",
            entity: "student",
            entity_id: Some(student.id.0.to_string()),
            detail: None,
        },
    )?;

    let mut lines = vec![tr.with(
        "student-title",
        Args::new().str("name", student.full_name()).str("class", &student.class_name).str("code", &student.code),
    )];
    lines.push(String::new());
    match screening {
        None => lines.push(tr.get("student-no-screening")),
        Some(row) => lines.extend(screening_lines(tr, &row)),
    }
    lines.push(String::new());
    match visit {
        None => lines.push(tr.get("student-no-visit")),
        Some(row) => lines.extend(visit_lines(app, tr, &row)),
    }
    let cases = case_lines(turn, tr, user, student)?;
    if !cases.is_empty() {
        lines.push(String::new());
        lines.extend(cases);
    }
    Ok(lines.join("\n"))
}

fn when(tr: Tr<'_>, row: &SubmissionRow) -> String {
    tr.date(row.submitted_at.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive())
}

fn screening_lines(tr: Tr<'_>, row: &SubmissionRow) -> Vec<String> {
    let mut lines = vec![tr.with(
        "student-screening",
        Args::new().str("term", &row.term).str("date", when(tr, row)).str("by", &row.submitted_by_name),
    )];
    let Some(score) = row.score_json.as_deref().and_then(|j| serde_json::from_str::<ScoreResult>(j).ok()) else {
        return lines;
    };
    lines.push(tr.with("form-result-overall", Args::new().str("group", group_label(tr, score.overall))));
    for aspect in &score.aspects {
        if let Some(group) = aspect.group.filter(|g| *g > Group::Normal) {
            lines.push(format!("• {}: {}", local(tr.lang, &aspect.label), group_label(tr, group)));
        }
    }
    for scale in &score.scales {
        if let Some(group) = scale.group {
            lines.push(format!("• {}: {} ({})", local(tr.lang, &scale.label), scale.sum, group_label(tr, group)));
        }
    }
    for flag in score.flags.iter().filter(|f| f.present) {
        lines.push(format!("⭐ {}", local(tr.lang, &flag.label)));
    }
    lines
}

fn visit_lines(app: &App, tr: Tr<'_>, row: &SubmissionRow) -> Vec<String> {
    let mut lines =
        vec![tr.with("student-visit", Args::new().str("date", when(tr, row)).str("by", &row.submitted_by_name))];
    let Ok(answers) = serde_json::from_str::<Answers>(&row.answers_json) else {
        return lines;
    };
    // In the order of the form as it is now, every answer with its question; answers to questions the form no
    // longer has come last, by their id, so nothing recorded is hidden.
    let form: Option<&FormDef> = app.forms.get(&row.form_id);
    let questions = form.map(|f| f.questions.as_slice()).unwrap_or_default();
    for question in questions {
        if let Some(answer) = answers.get(&question.id) {
            lines.extend(answer_lines(tr, question, answer));
        }
    }
    for (id, answer) in answers.iter().filter(|(id, _)| !questions.iter().any(|q| &q.id == *id)) {
        let text = match answer {
            Answer::Text(t) | Answer::Choice(t) => t.clone(),
            Answer::Integer(n) => n.to_string(),
            _ => continue,
        };
        lines.push(format!("• {id}: {text}"));
    }
    lines
}

/// One answer of a visit as the teacher reads it: "• label: answer"; a map link; photos; each household member.
fn answer_lines(tr: Tr<'_>, question: &Question, answer: &Answer) -> Vec<String> {
    let label = local(tr.lang, &question.label);
    match answer {
        Answer::Location { lat, lon } => vec![tr.with(
            "student-visit-map",
            Args::new().str("label", label).str("url", format!("https://maps.google.com/?q={lat},{lon}")),
        )],
        Answer::Photos(p) => {
            vec![tr.with("student-visit-photos", Args::new().str("label", label).num("count", p.len() as i64))]
        }
        Answer::Repeat(items) => {
            let mut lines =
                vec![tr.with(
                    "student-visit-household",
                    Args::new().str("label", &label).num("count", items.len() as i64),
                )];
            let (inner, item_label) = match &question.kind {
                QuestionKind::Repeat { questions, item_label, .. } => (questions.as_slice(), item_label.as_ref()),
                _ => (&[][..], None),
            };
            for (i, item) in items.iter().enumerate() {
                let parts: Vec<String> = inner
                    .iter()
                    .filter_map(|q| item.get(&q.id).map(|a| text_of(tr, q, a)))
                    .filter(|t| !t.is_empty())
                    .collect();
                let who = item_label.map(|l| local(tr.lang, l)).unwrap_or_else(|| label.clone());
                lines.push(format!("  – {who} {}: {}", i + 1, parts.join(", ")));
            }
            lines
        }
        _ => vec![format!("• {label}: {}", text_of(tr, question, answer))],
    }
}

fn text_of(tr: Tr<'_>, question: &Question, answer: &Answer) -> String {
    let (th, en) = engine::answer_text(question, answer);
    if tr.lang == Lang::En { en } else { th }
}

/// The student's open cases: number, status and who looks after it; the plan's goal and what is still to do
/// for those allowed to open the case.
pub fn case_lines(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, student: &StudentRow) -> anyhow::Result<Vec<String>> {
    let mut lines = vec![];
    for case in cases::open_cases_of_student(turn.db, student.id)? {
        let owner = crate::store::users::get(turn.db, case.owner)?.map(|u| u.display_name).unwrap_or_default();
        lines.push(tr.with(
            "student-case",
            Args::new().num("case", case.id.0).str("status", tr.get(case.status.message_id())).str("owner", owner),
        ));
        if !cases::can_open(turn.db, user, &case)? {
            continue;
        }
        if let Some(plan) = cases::plan_of(turn.db, case.id)?.filter(|p| !p.goal.trim().is_empty()) {
            lines.push(tr.with("student-case-goal", Args::new().str("goal", plan.goal)));
        }
        for action in cases::actions_of(turn.db, case.id)?.into_iter().filter(|a| a.status == "open") {
            lines.push(
                tr.with(
                    "student-case-action",
                    Args::new()
                        .str("what", action.description)
                        .str("who", action.owner_name)
                        .str("due", tr.date(action.due_on)),
                ),
            );
        }
    }
    Ok(lines)
}
