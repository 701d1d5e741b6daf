//! `/student`: the latest screening result and home-visit summary of one student, for those allowed to see
//! them. Every look is recorded in the audit log (PDPA: who looked at sensitive data).

use super::form_flow::group_label;
use super::turn::Turn;
use crate::app::App;
use crate::care::policy::{self, CareAction};
use crate::forms::def::{FormDef, Group, LocalText};
use crate::forms::engine::{self, Answer, Answers};
use crate::forms::score::ScoreResult;
use crate::l10n::{Args, Lang, Tr};
use crate::store::audit::{self, Actor, Entry};
use crate::store::forms::{self as form_rows, SubmissionRow};
use crate::store::students::StudentRow;
use crate::store::users::UserRow;

/// Lines of a home visit worth showing in a summary (the rest is in the export).
const VISIT_SUMMARY_ITEMS: usize = 8;

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
    // Labels come from the form as it is now; an answer to a question that no longer exists is shown by id.
    let form: Option<&FormDef> = app.forms.get(&row.form_id);
    let mut shown = 0;
    for (id, answer) in &answers {
        match answer {
            Answer::Location { lat, lon } => lines.push(
                tr.with("student-visit-map", Args::new().str("url", format!("https://maps.google.com/?q={lat},{lon}"))),
            ),
            Answer::Photos(p) => lines.push(tr.with("student-visit-photos", Args::new().num("count", p.len() as i64))),
            Answer::Repeat(items) => {
                lines.push(tr.with("student-visit-household", Args::new().num("count", items.len() as i64)))
            }
            _ if shown < VISIT_SUMMARY_ITEMS => {
                let Some((question, _)) = form.and_then(|f| f.find_any(id)) else { continue };
                let (th, en) = engine::answer_text(question, answer);
                let text = if tr.lang == Lang::En { en } else { th };
                lines.push(format!(
                    "• {}: {}",
                    local(tr.lang, &question.label),
                    text.chars().take(80).collect::<String>()
                ));
                shown += 1;
            }
            _ => {}
        }
    }
    lines
}
