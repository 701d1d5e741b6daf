//! The school year (ปีการศึกษา) and its rollover: `dulae year start 2570 --roster FILE [--check] [--yes]`.
//!
//! Every May a Thai school changes: students move up a grade, ป.6 leave, ป.1 arrive, homeroom teachers get new
//! classes. The rollover does it in one guided step and one transaction: students move to their classes in
//! the new roster, those not in it are archived (never deleted), new ones are added; every teacher-class
//! assignment of the old year ends (and unused class invites with them); then it lists the classes without a
//! teacher and the open cases and plan actions that carry on (a case follows the student, not the class).
//! `--check` computes the same plan and writes nothing at all.

pub mod cli;

use crate::care::cases::{CaseId, CaseStatus};
use crate::care::schedule::Urgency;
use crate::domain::{AcademicYear, ClassName, NewStudent};
use crate::roster::{self, RowError};
use crate::store::audit::{self, Actor, Entry};
use crate::store::invites::{self as invite_rows, VoidReason};
use crate::store::students::{self, StudentRow, Upserted};
use crate::store::{Store, terms};
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Why a rollover did not run. Nothing was written.
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

/// The latest school year started with `dulae year start`, if any.
pub fn latest_started(conn: &Connection) -> anyhow::Result<Option<AcademicYear>> {
    let be: Option<i32> =
        conn.query_row("SELECT max(year_be) FROM school_years", [], |r| r.get(0)).optional()?.flatten();
    Ok(be.map(AcademicYear::new))
}

/// Whether `year` may start on `today`: from the last day of term 2 of the year before onwards, and only once.
fn check_timing(conn: &Connection, year: AcademicYear, today: NaiveDate) -> anyhow::Result<()> {
    if latest_started(conn)?.is_some_and(|latest| latest >= year) {
        return Err(RolloverError::AlreadyStarted(year).into());
    }
    // A school that starts late (June) may still roll over into the year that has begun, but not once its
    // first term is over: then it is a typo (2569 for 2570), and it would end every class mid-year.
    let first_term_end = terms::dates_of(conn, year.first_term())?.ends_on;
    if today > first_term_end {
        return Err(RolloverError::TooLate { year, ended: first_term_end }.into());
    }
    let previous = year.previous();
    let from = terms::dates_of(conn, previous.last_term())?.ends_on;
    if today < from {
        return Err(RolloverError::TooEarly { year, previous, from }.into());
    }
    Ok(())
}

/// Work out the rollover for these students without writing anything.
pub fn plan(conn: &Connection, year: AcademicYear, roster: &[NewStudent], today: NaiveDate) -> anyhow::Result<Plan> {
    check_timing(conn, year, today)?;
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
    {
        let mut stmt = conn.prepare(
            "SELECT u.display_name, c.level, c.grade, c.room FROM teacher_classes tc
             JOIN users u ON u.id = tc.user_id JOIN classes c ON c.id = tc.class_id
             ORDER BY u.display_name, c.level, c.grade, c.room",
        )?;
        let rows = stmt.query_map([], |r| {
            let name: String = r.get(0)?;
            let level: String = r.get(1)?;
            Ok((name, format!("{level}{}/{}", r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))
        })?;
        plan.assignments_ending = rows.collect::<Result<_, _>>()?;
    }
    let classes: BTreeSet<ClassName> = roster.iter().map(|s| s.class).collect();
    plan.classes_without_teacher = classes.into_iter().collect();
    plan.cases = carried_cases(conn, &new_class)?;
    Ok(plan)
}

fn carried_cases(conn: &Connection, new_class: &HashMap<String, ClassName>) -> anyhow::Result<Vec<CarriedCase>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, st.student_code, st.prefix || st.first_name || ' ' || st.last_name, u.display_name,
                c.urgency, c.status,
                (SELECT count(*) FROM plan_actions a WHERE a.case_id = c.id AND a.status = 'open')
         FROM cases c JOIN students st ON st.id = c.student_id JOIN users u ON u.id = c.owner_id
         WHERE c.status != 'closed' ORDER BY c.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, code, student, owner, urgency, status, actions) = row?;
        out.push(CarriedCase {
            case: CaseId(id),
            student,
            class: new_class.get(&code).copied(),
            owner,
            urgency: Urgency::parse(&urgency).unwrap_or(Urgency::Normal),
            status: CaseStatus::parse(&status).unwrap_or(CaseStatus::New),
            open_actions: usize::try_from(actions).unwrap_or(0),
        });
    }
    Ok(out)
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
) -> anyhow::Result<Outcome> {
    let roster = roster::parse(req.roster).map_err(RolloverError::Roster)?;
    if req.check_only {
        // Only reads: `--check` writes nothing at all.
        return Ok(Outcome::Checked(store.read(|c| plan(c, req.year, &roster, today))?));
    }
    store.write(|tx| {
        let plan = plan(tx, req.year, &roster, today)?;
        if plan.needs_confirmation() && !req.confirmed {
            return Err(
                RolloverError::NeedsConfirmation { archived: plan.archived.len(), active: plan.active_before }.into()
            );
        }
        let mut plan = plan;
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
            tx.execute(
                "UPDATE students SET archived_at = ?2, updated_at = ?2 WHERE id = ?1 AND archived_at IS NULL",
                params![pupil.id.0, crate::store::instant(now)],
            )?;
            voided += invite_rows::void_for_student(tx, pupil.id, VoidReason::StudentArchived, now)?;
        }
        plan.parent_codes_voided = voided;
        // Every teacher-class assignment of the old year ends, and so do class invites not yet used.
        let teachers: HashSet<i64> = {
            let mut stmt = tx.prepare("SELECT DISTINCT user_id FROM teacher_classes")?;
            stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        tx.execute("DELETE FROM teacher_classes", [])?;
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
        tx.execute(
            "INSERT INTO school_years (year_be, started_at, started_by, summary) VALUES (?1, ?2, ?3, ?4)",
            params![req.year.be, crate::store::instant(now), actor_label(by), summary.to_string()],
        )
        .context("cannot record the school year")?;
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
        Ok(Outcome::Started(plan))
    })
}

fn actor_label(by: Actor) -> String {
    match by {
        Actor::Cli => "cli".into(),
        Actor::User(id) => format!("user:{}", id.0),
        Actor::System => "system".into(),
    }
}

/// The school years started so far, newest first: (year, started at).
pub fn history(conn: &Connection) -> anyhow::Result<Vec<(AcademicYear, String)>> {
    let mut stmt = conn.prepare("SELECT year_be, started_at FROM school_years ORDER BY year_be DESC")?;
    let rows = stmt.query_map([], |r| Ok((AcademicYear::new(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
