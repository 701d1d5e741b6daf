//! The reports' SQL: every read the statistics ([`super::stats`]) and the term's workbook ([`super::xlsx`])
//! make, as functions named for what they read. They take any `&Connection`: the export reads them inside one
//! snapshot ([`crate::store::Store::snapshot`]), a chat turn or the weekly digest inside its transaction.
//! Counts come back per class (`ClassId`); rows come back as plain structs for the sheets to format.

use crate::domain::ids::{CaseId, ClassId, StudentId};
use crate::store::forms::counted_terms;
use anyhow::Context as _;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;

/// Whether a table exists (the cases tables arrived with the referrals work).
pub fn table_exists(conn: &Connection, name: &str) -> anyhow::Result<bool> {
    let found: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |r| r.get(0))
        .context("cannot read the schema")?;
    Ok(found > 0)
}

fn count_by_class(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> anyhow::Result<HashMap<ClassId, i64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, |r| Ok((r.get::<_, ClassId>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Active (not archived) students per class.
pub fn active_students_by_class(conn: &Connection) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(conn, "SELECT class_id, count(*) FROM students WHERE archived_at IS NULL GROUP BY class_id", [])
        .context("cannot count students")
}

/// Active students with a home visit counted in `term` (the whole school year when the form says "year").
pub fn visited_students_by_class(conn: &Connection, term: &str) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(
        conn,
        "SELECT st.class_id, count(DISTINCT s.student_id) FROM submissions s JOIN students st ON st.id = s.student_id
         WHERE st.archived_at IS NULL AND s.form_kind = 'home_visit' AND s.term IN (SELECT value FROM json_each(?1))
         GROUP BY st.class_id",
        [counted_terms(conn, "home_visit", term)?],
    )
    .context("cannot count home visits")
}

/// The latest screening this term of one active student.
pub struct LatestScreening {
    pub class: ClassId,
    pub student: StudentId,
    /// `ScoreResult` JSON.
    pub score: Option<String>,
    pub overall: Option<String>,
}

/// The latest screening counted in `term` of each active student.
pub fn latest_screenings(conn: &Connection, term: &str) -> anyhow::Result<Vec<LatestScreening>> {
    let mut stmt = conn.prepare(
        "SELECT st.class_id, s.student_id, s.score, s.overall_group
         FROM submissions s JOIN students st ON st.id = s.student_id
         WHERE st.archived_at IS NULL AND s.form_kind = 'screening' AND s.term IN (SELECT value FROM json_each(?1))
           AND s.id = (SELECT s2.id FROM submissions s2
                       WHERE s2.student_id = s.student_id AND s2.form_kind = 'screening'
                         AND s2.term IN (SELECT value FROM json_each(?1))
                       ORDER BY s2.submitted_at DESC, s2.id DESC LIMIT 1)",
    )?;
    let counted = counted_terms(conn, "screening", term)?;
    let rows = stmt.query_map([counted], |r| {
        Ok(LatestScreening { class: r.get(0)?, student: r.get(1)?, score: r.get(2)?, overall: r.get(3)? })
    })?;
    rows.collect::<Result<_, _>>().context("cannot read screenings")
}

/// Cases of one kind ('classroom' or 'referral') per class: open now, or closed since `since` (an instant).
pub fn cases_of_kind_by_class(conn: &Connection, kind: &str, since: &str) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(
        conn,
        "SELECT st.class_id, count(*) FROM cases c JOIN students st ON st.id = c.student_id
         WHERE c.kind = ?1 AND (c.status != 'closed' OR c.closed_at >= ?2) GROUP BY st.class_id",
        [kind, since],
    )
    .context("cannot count cases by kind")
}

/// Referrals that started as help in class, per class: open now, or closed since `since`.
pub fn escalated_cases_by_class(conn: &Connection, since: &str) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(
        conn,
        "SELECT st.class_id, count(*) FROM cases c JOIN students st ON st.id = c.student_id
         WHERE c.kind = 'referral' AND c.referred_at IS NOT NULL AND (c.status != 'closed' OR c.closed_at >= ?1)
         GROUP BY st.class_id",
        [since],
    )
    .context("cannot count cases referred from help in class")
}

/// Cases not closed (any term), per class.
pub fn open_cases_by_class(conn: &Connection) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(
        conn,
        "SELECT st.class_id, count(*) FROM cases c JOIN students st ON st.id = c.student_id
         WHERE c.status != 'closed' GROUP BY st.class_id",
        [],
    )
    .context("cannot count open cases")
}

/// Cases closed since `since` (an instant), per class.
pub fn cases_closed_since_by_class(conn: &Connection, since: &str) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(
        conn,
        "SELECT st.class_id, count(*) FROM cases c JOIN students st ON st.id = c.student_id
         WHERE c.status = 'closed' AND c.closed_at >= ?1 GROUP BY st.class_id",
        [since],
    )
    .context("cannot count closed cases")
}

/// Open plan actions due before `today`, per class.
pub fn overdue_actions_by_class(conn: &Connection, today: NaiveDate) -> anyhow::Result<HashMap<ClassId, i64>> {
    count_by_class(
        conn,
        "SELECT st.class_id, count(*) FROM plan_actions a JOIN cases c ON c.id = a.case_id
         JOIN students st ON st.id = c.student_id
         WHERE a.status = 'open' AND a.due_on < ?1 GROUP BY st.class_id",
        [today.format("%Y-%m-%d").to_string()],
    )
    .context("cannot count overdue plan actions")
}

/// For each active student screened in `term`: their class and the instant of their first screening.
pub fn first_screenings(conn: &Connection, term: &str) -> anyhow::Result<Vec<(ClassId, String)>> {
    let mut stmt = conn.prepare(
        "SELECT st.class_id, min(s.submitted_at) FROM submissions s JOIN students st ON st.id = s.student_id
         WHERE st.archived_at IS NULL AND s.form_kind = 'screening' AND s.term IN (SELECT value FROM json_each(?1))
         GROUP BY s.student_id",
    )?;
    let counted = counted_terms(conn, "screening", term)?;
    let rows = stmt.query_map([counted], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>().context("cannot read screening coverage")
}

/// Survey answers of `term` in the order given: from survey forms filled in for a student (their class) and
/// from `/survey` rounds (`survey_responses`: a parent's for their child's class, a colleague's for no class).
/// Each as (class, answers JSON).
pub fn survey_answers(conn: &Connection, term: &str) -> anyhow::Result<Vec<(Option<ClassId>, String)>> {
    let mut stmt = conn.prepare(
        "SELECT st.class_id, s.answers, s.submitted_at FROM submissions s JOIN students st ON st.id = s.student_id
         WHERE s.form_kind = 'survey' AND s.term = ?1
         UNION ALL
         SELECT r.class_id, r.answers, r.submitted_at FROM survey_responses r WHERE r.term = ?1
         ORDER BY 3",
    )?;
    let rows = stmt.query_map([term], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>().context("cannot read survey answers")
}

/// A student as the workbook lists them (archived ones too, marked).
#[derive(Debug, Clone)]
pub struct StudentLine {
    pub code: String,
    pub prefix: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: Option<String>,
    pub class: ClassId,
    pub gender: Option<String>,
    /// ISO date as stored.
    pub birth_date: Option<String>,
    pub parent_name: Option<String>,
    pub parent_phone: Option<String>,
    pub archived: bool,
}

/// Every student of the roster, archived ones included.
pub fn students_for_export(conn: &Connection) -> anyhow::Result<Vec<StudentLine>> {
    let mut stmt = conn.prepare(
        "SELECT student_code, prefix, first_name, last_name, nickname, class_id, gender, birth_date, parent_name,
                parent_phone, archived_at IS NOT NULL
         FROM students ORDER BY class_id, archived_at IS NOT NULL, student_code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StudentLine {
            code: r.get(0)?,
            prefix: r.get(1)?,
            first_name: r.get(2)?,
            last_name: r.get(3)?,
            nickname: r.get(4)?,
            class: r.get(5)?,
            gender: r.get(6)?,
            birth_date: r.get(7)?,
            parent_name: r.get(8)?,
            parent_phone: r.get(9)?,
            archived: r.get(10)?,
        })
    })?;
    rows.collect::<Result<_, _>>().context("cannot read students")
}

/// A submitted form with who it is about and who submitted it.
#[derive(Debug, Clone)]
pub struct SubmissionLine {
    pub code: String,
    /// Prefix, first and last name.
    pub name: String,
    pub class: ClassId,
    /// Answers JSON.
    pub answers: String,
    /// `ScoreResult` JSON.
    pub score: Option<String>,
    pub overall: Option<String>,
    pub by: String,
    /// The instant it was submitted, as stored.
    pub at: String,
}

/// The forms of `kind` counted in `term` (a form counted per school year lists the whole year's), by class
/// and student code; with `latest_only`, each student's latest one.
pub fn submissions_for_export(
    conn: &Connection,
    kind: &str,
    term: &str,
    latest_only: bool,
) -> anyhow::Result<Vec<SubmissionLine>> {
    let latest = if latest_only {
        "AND s.id = (SELECT s2.id FROM submissions s2 WHERE s2.student_id = s.student_id AND s2.form_kind = ?1
                     AND s2.term IN (SELECT value FROM json_each(?2)) ORDER BY s2.submitted_at DESC, s2.id DESC LIMIT 1)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT st.student_code, st.prefix || st.first_name || ' ' || st.last_name, st.class_id, s.answers, s.score,
                s.overall_group, u.display_name, s.submitted_at
         FROM submissions s JOIN students st ON st.id = s.student_id JOIN users u ON u.id = s.submitted_by
         WHERE s.form_kind = ?1 AND s.term IN (SELECT value FROM json_each(?2)) {latest}
         ORDER BY st.class_id, st.student_code, s.submitted_at, s.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let counted = counted_terms(conn, kind, term)?;
    let rows = stmt.query_map([kind, counted.as_str()], |r| {
        Ok(SubmissionLine {
            code: r.get(0)?,
            name: r.get(1)?,
            class: r.get(2)?,
            answers: r.get(3)?,
            score: r.get(4)?,
            overall: r.get(5)?,
            by: r.get(6)?,
            at: r.get(7)?,
        })
    })?;
    rows.collect::<Result<_, _>>().with_context(|| format!("cannot read the {kind} forms"))
}

/// Every case's kind ('classroom' or 'referral') and whether it was referred on from help in class.
pub fn case_kinds(conn: &Connection) -> anyhow::Result<HashMap<CaseId, (String, bool)>> {
    let mut stmt = conn.prepare("SELECT id, kind, referred_at IS NOT NULL FROM cases")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    rows.collect::<Result<_, _>>().context("cannot read the cases' kinds")
}

/// A case as the workbook lists it.
#[derive(Debug, Clone)]
pub struct CaseLine {
    pub id: CaseId,
    pub code: String,
    pub name: String,
    pub class: ClassId,
    pub urgency: String,
    pub status: String,
    pub owner: Option<String>,
    pub opener: Option<String>,
    pub opened_at: String,
    pub accepted_at: Option<String>,
    pub closed_at: Option<String>,
    pub reason: String,
    pub outcome: Option<String>,
}

/// Cases open at some time between the instants `since` and `until`, by id.
pub fn cases_open_between(conn: &Connection, since: &str, until: &str) -> anyhow::Result<Vec<CaseLine>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, st.student_code, st.prefix || st.first_name || ' ' || st.last_name, st.class_id, c.urgency,
                c.status, ow.display_name, op.display_name, c.opened_at, c.accepted_at, c.closed_at, c.reason,
                c.outcome
         FROM cases c JOIN students st ON st.id = c.student_id
              LEFT JOIN users ow ON ow.id = c.owner_id LEFT JOIN users op ON op.id = c.opened_by
         WHERE c.opened_at < ?2 AND (c.closed_at IS NULL OR c.closed_at >= ?1)
         ORDER BY c.id",
    )?;
    let rows = stmt.query_map([since, until], |r| {
        Ok(CaseLine {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            class: r.get(3)?,
            urgency: r.get(4)?,
            status: r.get(5)?,
            owner: r.get(6)?,
            opener: r.get(7)?,
            opened_at: r.get(8)?,
            accepted_at: r.get(9)?,
            closed_at: r.get(10)?,
            reason: r.get(11)?,
            outcome: r.get(12)?,
        })
    })?;
    rows.collect::<Result<_, _>>().context("cannot read cases")
}

/// One entry of a case's chronology.
#[derive(Debug, Clone)]
pub struct EventLine {
    pub case: CaseId,
    pub at: String,
    /// Who wrote it; `None` for the system.
    pub who: Option<String>,
    pub kind: String,
    pub detail: Option<String>,
}

/// Every case's chronology, case by case in order.
pub fn case_chronology(conn: &Connection) -> anyhow::Result<Vec<EventLine>> {
    let mut stmt = conn.prepare(
        "SELECT e.case_id, e.at, u.display_name, e.kind, e.detail FROM case_events e
         LEFT JOIN users u ON u.id = e.actor_id ORDER BY e.case_id, e.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(EventLine { case: r.get(0)?, at: r.get(1)?, who: r.get(2)?, kind: r.get(3)?, detail: r.get(4)? })
    })?;
    rows.collect::<Result<_, _>>().context("cannot read the cases' chronology")
}

/// One action of a help plan.
#[derive(Debug, Clone)]
pub struct ActionLine {
    pub case: CaseId,
    pub description: String,
    pub owner: Option<String>,
    /// ISO date as stored.
    pub due_on: String,
    pub status: String,
    pub done_note: Option<String>,
    pub closed_at: Option<String>,
}

/// Every plan action, case by case, by due date.
pub fn plan_actions_for_export(conn: &Connection) -> anyhow::Result<Vec<ActionLine>> {
    let mut stmt = conn.prepare(
        "SELECT a.case_id, a.description, u.display_name, a.due_on, a.status, a.done_note, a.closed_at
         FROM plan_actions a LEFT JOIN users u ON u.id = a.owner_id ORDER BY a.case_id, a.due_on, a.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ActionLine {
            case: r.get(0)?,
            description: r.get(1)?,
            owner: r.get(2)?,
            due_on: r.get(3)?,
            status: r.get(4)?,
            done_note: r.get(5)?,
            closed_at: r.get(6)?,
        })
    })?;
    rows.collect::<Result<_, _>>().context("cannot read plan actions")
}
