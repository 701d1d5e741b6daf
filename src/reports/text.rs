//! The statistics as short chat lines (a 6-inch phone: no tables): a block per class, then the school.

use super::stats::{SchoolStats, Scope, UnitStats};
use crate::domain::Period;
use crate::forms::def::LocalText;
use crate::l10n::{Args, Lang, Tr};

/// Telegram allows 4096 characters a message; stay well below.
const MAX_MESSAGE_CHARS: usize = 3500;

fn local(lang: Lang, text: &LocalText) -> String {
    match lang {
        Lang::Th => text.th().to_string(),
        Lang::En => text.en().to_string(),
    }
}

fn common_lines(tr: Tr<'_>, unit: &UnitStats, cases_tracked: bool, visit_period: Period) -> Vec<String> {
    let mut lines = vec![
        tr.with(
            "stats-screened",
            Args::new().num("done", unit.screened).num("students", unit.students).num("pct", unit.screened_pct()),
        ),
        tr.with(
            "stats-groups",
            Args::new()
                .num("normal", unit.overall.normal)
                .num("risk", unit.overall.risk)
                .num("problem", unit.overall.problem),
        ),
        tr.with(
            match visit_period {
                Period::Term => "stats-visited",
                Period::Year => "stats-visited-year",
            },
            Args::new().num("done", unit.visited).num("students", unit.students).num("pct", unit.visited_pct()),
        ),
    ];
    if cases_tracked {
        lines.push(tr.with("stats-cases", Args::new().num("open", unit.cases_open).num("closed", unit.cases_closed)));
        if unit.actions_overdue > 0 {
            lines.push(tr.with("stats-overdue", Args::new().num("count", unit.actions_overdue)));
        }
        lines.push(
            tr.with(
                "stats-help",
                Args::new()
                    .num("classroom", unit.cases_classroom)
                    .num("referred", unit.cases_referred)
                    .num("escalated", unit.cases_escalated),
            ),
        );
    }
    lines.push(
        tr.with("stats-meetings", Args::new().num("held", unit.meetings_held).num("parents", unit.meeting_parents)),
    );
    lines
}

/// The blocks of text, in order: the title, one per class, the total with aspects, flags and the survey.
pub fn stats_blocks(stats: &SchoolStats, tr: Tr<'_>) -> Vec<String> {
    let mut blocks = vec![
        tr.with(
            "stats-title",
            Args::new()
                .str("term", stats.term.term.to_string())
                .str("year", stats.term.term.academic_year().to_string())
                .str("date", tr.date(stats.today)),
        ),
    ];
    for class in &stats.classes {
        let mut lines =
            vec![tr.with("stats-class", Args::new().str("class", &class.name).num("students", class.stats.students))];
        lines.extend(common_lines(tr, &class.stats, stats.cases_tracked, stats.visit_period));
        blocks.push(lines.join("\n"));
    }
    let total = &stats.total;
    let title_id = match stats.scope {
        Scope::School => "stats-school",
        Scope::Classes => "stats-total",
    };
    let mut lines = vec![tr.with(title_id, Args::new().num("students", total.students))];
    lines.extend(common_lines(tr, total, stats.cases_tracked, stats.visit_period));
    if total.screened > 0 && !total.aspects.is_empty() {
        lines.push(String::new());
        lines.push(tr.get("stats-aspects-title"));
        for a in &total.aspects {
            lines.push(
                tr.with(
                    "stats-aspect",
                    Args::new()
                        .str("aspect", local(tr.lang, &a.label))
                        .num("normal", a.counts.normal)
                        .num("risk", a.counts.risk)
                        .num("problem", a.counts.problem),
                ),
            );
        }
        for f in &total.flags {
            lines
                .push(tr.with("stats-flag", Args::new().str("flag", local(tr.lang, &f.label)).num("count", f.present)));
        }
    }
    if let Some(survey) = &stats.survey {
        lines.push(String::new());
        lines.push(tr.with(
            "stats-survey",
            Args::new().num("responses", survey.responses).str("mean", format!("{:.1}", survey.overall_mean())),
        ));
    }
    blocks.push(lines.join("\n"));
    blocks
}

/// The blocks packed into as few messages as fit Telegram's limit.
pub fn stats_messages(stats: &SchoolStats, tr: Tr<'_>) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut current = String::new();
    for block in stats_blocks(stats, tr) {
        if !current.is_empty() && current.chars().count() + block.chars().count() + 2 > MAX_MESSAGE_CHARS {
            messages.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(&block);
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}
