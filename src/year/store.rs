//! The rollover's own statements: the `school_years` table, the year's teacher-class assignments as a whole,
//! archiving a student who leaves, and the open cases that carry on into the new year.

use crate::care::cases::{CaseId, CaseStatus};
use crate::care::schedule::Urgency;
use crate::domain::AcademicYear;
use crate::domain::ids::{StudentId, UserId};
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

/// The latest school year started with `dulae year start`, if any.
pub fn latest_started(conn: &Connection) -> anyhow::Result<Option<AcademicYear>> {
    let be: Option<i32> = conn
        .query_row("SELECT max(year_be) FROM school_years", [], |r| r.get(0))
        .optional()
        .context("cannot read the school years started")?
        .flatten();
    Ok(be.map(AcademicYear::new))
}

/// Record that a school year started (the summary is the rollover's figures, as JSON).
pub fn record_start(
    conn: &Connection,
    year: AcademicYear,
    at: DateTime<Utc>,
    by: &str,
    summary: &serde_json::Value,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO school_years (year_be, started_at, started_by, summary) VALUES (?1, ?2, ?3, ?4)",
        params![year.be, instant(at), by, summary.to_string()],
    )
    .context("cannot record the school year")?;
    Ok(())
}

/// The school years started so far, newest first: (year, started at).
pub fn history(conn: &Connection) -> anyhow::Result<Vec<(AcademicYear, String)>> {
    let mut stmt = conn.prepare("SELECT year_be, started_at FROM school_years ORDER BY year_be DESC")?;
    let rows = stmt.query_map([], |r| Ok((AcademicYear::new(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every teacher-class assignment: (teacher's name, class as "ป.4/1"), by name and class.
pub fn assignments(conn: &Connection) -> anyhow::Result<Vec<(String, String)>> {
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
    Ok(rows.collect::<Result<_, _>>()?)
}

/// End every teacher-class assignment of the school. Returns the teachers who had one.
pub fn end_all_assignments(conn: &Connection) -> anyhow::Result<HashSet<UserId>> {
    let teachers: HashSet<UserId> = {
        let mut stmt = conn.prepare("SELECT DISTINCT user_id FROM teacher_classes")?;
        stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    conn.execute("DELETE FROM teacher_classes", []).context("cannot end the class assignments")?;
    Ok(teachers)
}

/// Archive a student who leaves (never deleted). Returns whether they were active.
pub fn archive_student(conn: &Connection, student: StudentId, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let changed = conn
        .execute(
            "UPDATE students SET archived_at = ?2, updated_at = ?2 WHERE id = ?1 AND archived_at IS NULL",
            params![student, instant(now)],
        )
        .with_context(|| format!("cannot archive student {student}"))?;
    Ok(changed == 1)
}

/// An open case as the rollover lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    pub case: CaseId,
    pub student_code: String,
    pub student: String,
    pub owner: String,
    pub urgency: Urgency,
    pub status: CaseStatus,
    /// Its open plan actions.
    pub open_actions: i64,
}

/// Every case not closed, with its student, owner and number of open plan actions, oldest first.
pub fn open_cases(conn: &Connection) -> anyhow::Result<Vec<OpenCase>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, st.student_code, st.prefix || st.first_name || ' ' || st.last_name, u.display_name,
                c.urgency, c.status,
                (SELECT count(*) FROM plan_actions a WHERE a.case_id = c.id AND a.status = 'open')
         FROM cases c JOIN students st ON st.id = c.student_id JOIN users u ON u.id = c.owner_id
         WHERE c.status != 'closed' ORDER BY c.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, CaseId>(0)?,
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
        let (case, student_code, student, owner, urgency, status, open_actions) = row?;
        // A value this version does not know is a broken row, not a normal case: say so rather than guess.
        let urgency =
            Urgency::parse(&urgency).with_context(|| format!("case {case} has an unknown urgency {urgency:?}"))?;
        let status =
            CaseStatus::parse(&status).with_context(|| format!("case {case} has an unknown status {status:?}"))?;
        out.push(OpenCase { case, student_code, student, owner, urgency, status, open_actions });
    }
    Ok(out)
}
