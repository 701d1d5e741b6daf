//! The school year (ปีการศึกษา) and its rollover: `dulae year start 2570 --roster FILE [--check] [--yes]`.
//!
//! Every May a Thai school changes: students move up a grade, ป.6 leave, ป.1 arrive, homeroom teachers get new
//! classes. The rollover does it in one guided step and one transaction: students move to their classes in
//! the new roster, those not in it are archived (never deleted), new ones are added; every teacher-class
//! assignment of the old year ends (and unused class invites with them); then it lists the classes without a
//! teacher and the open cases and plan actions that carry on (a case follows the student, not the class).
//! `--check` computes the same plan and writes nothing at all.

pub mod cli;
pub mod store;

use self::store as db;
use crate::care::cases::{CaseId, CaseStatus};
use crate::care::schedule::Urgency;
use crate::domain::refusal::Refusal;
use crate::domain::{AcademicYear, ClassName, NewStudent};
use crate::roster::{self, RowError};
use crate::store::audit::{self, Actor, Entry};
use crate::store::invites::{self as invite_rows, VoidReason};
use crate::store::students::{self, StudentRow, Upserted};
use crate::store::{Store, terms};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};

pub use self::store::{history, latest_started};

/// Why a rollover did not run (a refusal: nothing was written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolloverError {
    #[error("the roster has {} problem(s)", .0.len())]
    Roster(Vec<RowError>),
    #[error("school year {year} can start from {from} (the end of term 2/{previous})")]
    TooEarly { year: AcademicYear, previous: AcademicYear, from: NaiveDate },
    #[error("school year {0} has already started")]
    AlreadyStarted(AcademicYear),
    /// The year is under way past its first term (or over): a rollover now would end every class assignment
    /// in the middle of the year, most likely a typo of the year.
    #[error(
        "school year {year} is already under way (term 1/{year} ended on {ended}); the rollover belongs at its start"
    )]
    TooLate { year: AcademicYear, ended: NaiveDate },
    #[error("the roster would archive {archived} of {active} students (more than a quarter); add --yes")]
    NeedsConfirmation { archived: usize, active: usize },
}

impl Refusal for RolloverError {
    fn message_id(&self) -> &'static str {
        match self {
            RolloverError::Roster(_) => "year-roster-invalid",
            RolloverError::TooEarly { .. } => "year-too-early",
            RolloverError::AlreadyStarted(_) => "year-already-started",
            RolloverError::TooLate { .. } => "year-too-late",
            RolloverError::NeedsConfirmation { .. } => "year-needs-yes",
        }
    }
}

/// A student who changes class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub code: String,
    pub name: String,
    pub from: String,
    pub to: ClassName,
}

/// An open case that carries on into the new year, with the student it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedCase {
    pub case: CaseId,
    pub student: String,
    /// The student's class in the new year; `None` when the student leaves (archived).
    pub class: Option<ClassName>,
    pub owner: String,
    pub urgency: Urgency,
    pub status: CaseStatus,
    /// Open plan actions of this case.
    pub open_actions: usize,
}

/// What the rollover changes (or would change, with `--check`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub year: AcademicYear,
    /// Students active before the rollover.
    pub active_before: usize,
    pub added: usize,
    pub moved: Vec<Move>,
    /// Active students who stay in the same class (repeating a grade, or a class name reused).
    pub stayed: usize,
    /// Archived students who are back in the roster.
    pub returned: usize,
    pub archived: Vec<StudentRow>,
    /// Teacher-class assignments that end: (teacher, class).
    pub assignments_ending: Vec<(String, String)>,
    /// Unused teacher invites that grant classes (voided).
    pub class_invites_voided: usize,
    /// Unused parent codes of students who leave (voided). Codes of students who stay keep working.
    pub parent_codes_voided: usize,
    /// Classes of the new roster; after the rollover none has a teacher until one is assigned.
    pub classes_without_teacher: Vec<ClassName>,
    pub cases: Vec<CarriedCase>,
}

impl Plan {
    /// "More than a quarter" of the students active before the rollover would be archived.
    pub fn needs_confirmation(&self) -> bool {
        self.archived.len() * 4 > self.active_before
    }

    pub fn open_actions(&self) -> usize {
        self.cases.iter().map(|c| c.open_actions).sum()
    }
}

/// The school year on `today`: the one the calendar is in (the April break still counts with the year before),
/// or a later one the school has already started with `dulae year start`.
pub fn current(conn: &Connection, today: NaiveDate) -> anyhow::Result<AcademicYear> {
    let by_calendar = terms::current(conn, today)?.academic_year();
    Ok(latest_started(conn)?.map_or(by_calendar, |started| started.max(by_calendar)))
}

/// Whether `year` may start on `today`: from the last day of term 2 of the year before onwards, and only once.
fn check_timing(conn: &Connection, year: AcademicYear, today: NaiveDate) -> anyhow::Result<Result<(), RolloverError>> {
    if latest_started(conn)?.is_some_and(|latest| latest >= year) {
        return Ok(Err(RolloverError::AlreadyStarted(year)));
    }
    // A school that starts late (June) may still roll over into the year that has begun, but not once its
    // first term is over: then it is a typo (2569 for 2570), and it would end every class mid-year.
    let first_term_end = terms::dates_of(conn, year.first_term())?.ends_on;
    if today > first_term_end {
        return Ok(Err(RolloverError::TooLate { year, ended: first_term_end }));
    }
    let previous = year.previous();
    let from = terms::dates_of(conn, previous.last_term())?.ends_on;
    if today < from {
        return Ok(Err(RolloverError::TooEarly { year, previous, from }));
    }
    Ok(Ok(()))
}

/// Work out the rollover for these students without writing anything.
pub fn plan(
    conn: &Connection,
    year: AcademicYear,
    roster: &[NewStudent],
    today: NaiveDate,
) -> anyhow::Result<Result<Plan, RolloverError>> {
    if let Err(refused) = check_timing(conn, year, today)? {
        return Ok(Err(refused));
    }
    let active_before = usize::try_from(students::count_active_students(conn)?).unwrap_or(0);
    let mut plan = Plan {
        year,
        active_before,
        added: 0,
        moved: vec![],
        stayed: 0,
        returned: 0,
        archived: vec![],
        assignments_ending: vec![],
        class_invites_voided: usize::try_from(invite_rows::count_class_invites(conn)?).unwrap_or(0),
        parent_codes_voided: 0,
        classes_without_teacher: vec![],
        cases: vec![],
    };
    let mut new_class: HashMap<String, ClassName> = HashMap::new();
    for s in roster {
        new_class.insert(s.code.as_str().to_string(), s.class);
        match students::find_student_by_code(conn, s.code.as_str())? {
            None => plan.added += 1,
            Some(existing) if existing.archived => plan.returned += 1,
            Some(existing) if existing.class_name == s.class.to_string() => plan.stayed += 1,
            Some(existing) => plan.moved.push(Move {
                code: existing.code.clone(),
                name: existing.full_name(),
                from: existing.class_name.clone(),
                to: s.class,
            }),
        }
    }
    for class in students::list_classes(conn)? {
        for pupil in students::students_in_class(conn, class.id)? {
            if !new_class.contains_key(&pupil.code) {
                plan.parent_codes_voided += usize::try_from(invite_rows::open_parent_invites(
                    conn,
                    pupil.id,
                    chrono::DateTime::<Utc>::MIN_UTC,
                )?)
                .unwrap_or(0);
                plan.archived.push(pupil);
            }
        }
    }
    plan.assignments_ending = db::assignments(conn)?;
    let classes: BTreeSet<ClassName> = roster.iter().map(|s| s.class).collect();
    plan.classes_without_teacher = classes.into_iter().collect();
    plan.cases = carried_cases(conn, &new_class)?;
    Ok(Ok(plan))
}

fn carried_cases(conn: &Connection, new_class: &HashMap<String, ClassName>) -> anyhow::Result<Vec<CarriedCase>> {
    Ok(db::open_cases(conn)?
        .into_iter()
        .map(|c| CarriedCase {
            case: c.case,
            class: new_class.get(&c.student_code).copied(),
            student: c.student,
            owner: c.owner,
            urgency: c.urgency,
            status: c.status,
            open_actions: usize::try_from(c.open_actions).unwrap_or(0),
        })
        .collect())
}

/// What `dulae year start` was asked to do.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub year: AcademicYear,
    /// The new year's roster file (CSV, as for `dulae import students`).
    pub roster: &'a [u8],
    /// `--check`: compute and show the plan, write nothing at all.
    pub check_only: bool,
    /// `--yes`: archiving more than a quarter of the students is intended.
    pub confirmed: bool,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `--check`: the plan; nothing was written.
    Checked(Plan),
    /// The new year started: the plan as carried out.
    Started(Plan),
}

/// Start a school year: all or nothing. The roster is checked first (every problem with its line and
/// column); the plan and the writes happen in one transaction, so a concurrent change cannot slip between them.
pub fn start(
    store: &Store,
    by: Actor,
    req: Request<'_>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<Result<Outcome, RolloverError>> {
    let roster = match roster::parse(req.roster) {
        Ok(roster) => roster,
        Err(problems) => return Ok(Err(RolloverError::Roster(problems))),
    };
    if req.check_only {
        // Only reads: `--check` writes nothing at all.
        return Ok(store.read(|c| plan(c, req.year, &roster, today))?.map(Outcome::Checked));
    }
    store.write_or_refuse(|tx| {
        let mut plan = match plan(tx, req.year, &roster, today)? {
            Ok(plan) => plan,
            Err(refused) => return Ok(Err(refused)),
        };
        if plan.needs_confirmation() && !req.confirmed {
            return Ok(Err(RolloverError::NeedsConfirmation {
                archived: plan.archived.len(),
                active: plan.active_before,
            }));
        }
        // Students: move, add, bring back.
        let mut class_ids = HashMap::new();
        for s in &roster {
            let class = match class_ids.get(&s.class) {
                Some(id) => *id,
                None => {
                    let id = students::ensure_class(tx, &s.class, now)?;
                    class_ids.insert(s.class, id);
                    id
                }
            };
            let _: Upserted = students::upsert_student(tx, s, class, now)?;
        }
        // Those not in the new roster leave: archived, never deleted; their unused parent codes stop working.
        let mut voided = 0;
        for pupil in &plan.archived {
            db::archive_student(tx, pupil.id, now)?;
            voided += invite_rows::void_for_student(tx, pupil.id, VoidReason::StudentArchived, now)?;
        }
        plan.parent_codes_voided = voided;
        // Every teacher-class assignment of the old year ends, and so do class invites not yet used.
        let teachers = db::end_all_assignments(tx)?;
        plan.class_invites_voided = invite_rows::void_class_invites(tx, VoidReason::Rollover, now)?;
        let summary = serde_json::json!({
            "active_before": plan.active_before,
            "added": plan.added,
            "moved": plan.moved.len(),
            "stayed": plan.stayed,
            "returned": plan.returned,
            "archived": plan.archived.len(),
            "assignments_ended": plan.assignments_ending.len(),
            "teachers": teachers.len(),
            "class_invites_voided": plan.class_invites_voided,
            "parent_codes_voided": plan.parent_codes_voided,
            "open_cases": plan.cases.len(),
            "open_actions": plan.open_actions(),
        });
        db::record_start(tx, req.year, now, &actor_label(by), &summary)?;
        audit::record(
            tx,
            now,
            Entry {
                actor: by,
                action: "year.start",
                entity: "school_year",
                entity_id: Some(req.year.to_string()),
                detail: Some(summary),
            },
        )?;
        Ok(Ok(Outcome::Started(plan)))
    })
}

fn actor_label(by: Actor) -> String {
    match by {
        Actor::Cli => "cli".into(),
        Actor::User(id) => format!("user:{}", id.0),
        Actor::System => "system".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::{Lang, Localizer};

    #[test]
    fn every_refusal_has_its_message_in_both_languages() {
        let l10n = Localizer::load().unwrap();
        let year = AcademicYear::new(2570);
        let day = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default();
        for refusal in [
            RolloverError::Roster(vec![]),
            RolloverError::TooEarly { year, previous: year.previous(), from: day },
            RolloverError::AlreadyStarted(year),
            RolloverError::TooLate { year, ended: day },
            RolloverError::NeedsConfirmation { archived: 2, active: 3 },
        ] {
            for lang in [Lang::Th, Lang::En] {
                assert!(l10n.has(lang, refusal.message_id()), "{refusal:?} in {lang:?}");
            }
        }
    }
}
