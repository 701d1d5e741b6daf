//! `dulae year start 2570 --roster FILE [--check] [--yes]` and `dulae year list`, in the school's language.

use super::{Outcome, Plan, Request, RolloverError};
use crate::domain::AcademicYear;
use crate::domain::refusal::Refusal as _;
use crate::l10n::{Args, Tr};
use crate::store::audit::Actor;
use crate::store::{Store, terms};
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum YearCommand {
    /// Start a new school year from the new roster: students move to their new classes, those not in it are
    /// archived, new ones added, every teacher-class assignment ends. All or nothing.
    /// Example: dulae year start 2570 --roster roster-2570.csv --check
    Start {
        /// The new school year in the Buddhist Era, e.g. 2570.
        year: String,
        /// The new year's roster (CSV UTF-8, the columns of `dulae import students`).
        #[arg(long)]
        roster: PathBuf,
        /// Only print what would change; write nothing at all.
        #[arg(long)]
        check: bool,
        /// Go ahead even if more than a quarter of the students would be archived.
        #[arg(long)]
        yes: bool,
    },
    /// The current school year, its terms, and the years started so far.
    List,
}

/// How many names to print in a list before "… and N more".
const SHOWN: usize = 30;

fn more(tr: Tr<'_>, total: usize) {
    if total > SHOWN {
        println!("{}", tr.with("year-and-more", Args::new().num("count", (total - SHOWN) as i64)));
    }
}

pub fn run(
    store: &Store,
    tr: Tr<'_>,
    command: YearCommand,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<()> {
    match command {
        YearCommand::List => list(store, tr, today),
        YearCommand::Start { year, roster, check, yes } => {
            let Some(year) = AcademicYear::parse(&year) else {
                anyhow::bail!("{}", tr.with("year-bad-year", Args::new().str("year", year)));
            };
            let bytes = std::fs::read(&roster).with_context(|| format!("{}", roster.display()))?;
            let request = Request { year, roster: &bytes, check_only: check, confirmed: yes };
            // A fault (the outer `Err`) goes up as it is, with its cause: a non-zero exit.
            match super::start(store, Actor::Cli, request, now, today)? {
                Ok(Outcome::Checked(plan)) => {
                    print_plan(&plan, tr, true);
                    if plan.needs_confirmation() && !yes {
                        println!("{}", needs_yes(tr, &plan));
                    }
                    println!("{}", tr.get("year-check-nothing-written"));
                    Ok(())
                }
                Ok(Outcome::Started(plan)) => {
                    print_plan(&plan, tr, false);
                    println!("{}", tr.with("year-started", Args::new().str("year", year.to_string())));
                    Ok(())
                }
                Err(refused) => Err(explain(&refused, tr, &roster)),
            }
        }
    }
}

fn needs_yes(tr: Tr<'_>, plan: &Plan) -> String {
    tr.with(
        "year-needs-yes",
        Args::new().num("archived", plan.archived.len() as i64).num("active", plan.active_before as i64),
    )
}

/// Why the year did not start, in the school's language, and that nothing changed (a non-zero exit).
fn explain(refusal: &RolloverError, tr: Tr<'_>, file: &std::path::Path) -> anyhow::Error {
    let id = refusal.message_id();
    let text = match refusal {
        RolloverError::Roster(errors) => {
            let mut lines = vec![
                tr.with(id, Args::new().str("file", file.display().to_string()).num("count", errors.len() as i64)),
            ];
            lines.extend(errors.iter().map(|e| format!("  {e}")));
            lines.join("\n")
        }
        RolloverError::TooEarly { year, previous, from } => tr.with(
            id,
            Args::new().str("year", year.to_string()).str("previous", previous.to_string()).str("from", tr.date(*from)),
        ),
        RolloverError::TooLate { year, ended } => {
            tr.with(id, Args::new().str("year", year.to_string()).str("ended", tr.date(*ended)))
        }
        RolloverError::AlreadyStarted(year) => tr.with(id, Args::new().str("year", year.to_string())),
        RolloverError::NeedsConfirmation { archived, active } => {
            tr.with(id, Args::new().num("archived", *archived as i64).num("active", *active as i64))
        }
    };
    anyhow::anyhow!("{text}\n{}", tr.get("year-nothing-changed"))
}

fn print_plan(plan: &Plan, tr: Tr<'_>, check: bool) {
    let year = plan.year.to_string();
    println!(
        "{}",
        tr.with(if check { "year-plan-title-check" } else { "year-plan-title" }, Args::new().str("year", &year))
    );
    println!(
        "{}",
        tr.with(
            "year-plan-students",
            Args::new()
                .num("active", plan.active_before as i64)
                .num("moved", plan.moved.len() as i64)
                .num("stayed", plan.stayed as i64)
                .num("added", plan.added as i64)
                .num("returned", plan.returned as i64)
                .num("archived", plan.archived.len() as i64),
        )
    );
    if !plan.archived.is_empty() {
        println!("{}", tr.get("year-plan-archived-title"));
        for s in plan.archived.iter().take(SHOWN) {
            println!("  {} {} ({})", s.code, s.full_name(), s.class_name);
        }
        more(tr, plan.archived.len());
    }
    println!(
        "{}",
        tr.with(
            "year-plan-assignments",
            Args::new()
                .num("count", plan.assignments_ending.len() as i64)
                .num("invites", plan.class_invites_voided as i64)
                .num("codes", plan.parent_codes_voided as i64),
        )
    );
    for (teacher, class) in plan.assignments_ending.iter().take(SHOWN) {
        println!("  {teacher}: {class}");
    }
    more(tr, plan.assignments_ending.len());
    if !plan.classes_without_teacher.is_empty() {
        let classes: Vec<String> = plan.classes_without_teacher.iter().map(ToString::to_string).collect();
        println!(
            "{}",
            tr.with(
                "year-plan-no-teacher",
                Args::new().num("count", classes.len() as i64).str("classes", classes.join(", ")),
            )
        );
    }
    if plan.cases.is_empty() {
        println!("{}", tr.get("year-plan-no-cases"));
    } else {
        println!(
            "{}",
            tr.with(
                "year-plan-cases",
                Args::new().num("cases", plan.cases.len() as i64).num("actions", plan.open_actions() as i64),
            )
        );
        for c in plan.cases.iter().take(SHOWN) {
            let class = match c.class {
                Some(class) => class.to_string(),
                None => tr.get("year-plan-student-leaves"),
            };
            println!(
                "{}",
                tr.with(
                    "year-plan-case-line",
                    Args::new()
                        .num("case", c.case.0)
                        .str("student", &c.student)
                        .str("class", class)
                        .str("owner", &c.owner)
                        .str("urgency", tr.get(c.urgency.message_id()))
                        .str("status", tr.get(c.status.message_id()))
                        .num("actions", c.open_actions as i64),
                )
            );
        }
        more(tr, plan.cases.len());
    }
    println!("{}", tr.get("year-plan-next-steps"));
}

fn list(store: &Store, tr: Tr<'_>, today: NaiveDate) -> anyhow::Result<()> {
    let (current, dates, history) = store.read(|c| {
        let current = super::current(c, today)?;
        let dates = current.terms().map(|t| terms::dates_of(c, t));
        Ok((current, dates, super::history(c)?))
    })?;
    println!("{}", tr.with("year-current", Args::new().str("year", current.to_string())));
    for d in dates {
        let d = d?;
        println!(
            "{}",
            tr.with(
                if d.recorded { "year-term-line-recorded" } else { "year-term-line-national" },
                Args::new()
                    .str("term", d.term.to_string())
                    .str("from", tr.date(d.starts_on))
                    .str("to", tr.date(d.ends_on)),
            )
        );
    }
    if history.is_empty() {
        println!("{}", tr.get("year-history-empty"));
    }
    for (year, at) in history {
        let day = crate::store::parse_instant(&at)
            .map(|i| tr.date(i.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive()))
            .unwrap_or(at);
        println!("{}", tr.with("year-history-line", Args::new().str("year", year.to_string()).str("date", day)));
    }
    Ok(())
}
