//! The print module's own queries: what the papers need that no general store function gives (the class
//! summary's screening dates, a visit's photo files, the report's case counts and survey answers, the cases a
//! person may be offered). Typed ids in and out; every fault propagates with its context, and "not there" is
//! an `Option`, never a swallowed error.

use crate::care::cases::{CaseId, CaseStatus};
use crate::domain::ids::{ClassId, StudentId, UserId};
use anyhow::Context as _;
use rusqlite::{Connection, OptionalExtension as _, params};

/// The parent's name the roster gave for `student` (empty or missing: `None`).
pub fn parent_name_of(conn: &Connection, student: StudentId) -> anyhow::Result<Option<String>> {
    let name: Option<Option<String>> = conn
        .query_row("SELECT parent_name FROM students WHERE id = ?1", [student], |r| r.get(0))
        .optional()
        .with_context(|| format!("parent name of student {student}"))?;
    Ok(name.flatten().filter(|n| !n.trim().is_empty()))
}

/// The homeroom teachers of a class who still have access, by name, in the order they joined.
pub fn homeroom_teacher_names(conn: &Connection, class: ClassId) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT u.display_name FROM teacher_classes tc JOIN users u ON u.id = tc.user_id
         WHERE tc.class_id = ?1 AND u.role = 'teacher' AND u.revoked_at IS NULL ORDER BY u.id",
    )?;
    let names = stmt.query_map([class], |r| r.get(0))?.collect::<Result<_, _>>();
    names.with_context(|| format!("homeroom teachers of class {class}"))
}

/// When each student of `class` was last screened in `term` (stored instants, as text).
pub fn last_screened_in_class(
    conn: &Connection,
    class: ClassId,
    term: &str,
) -> anyhow::Result<Vec<(StudentId, String)>> {
    let mut stmt = conn.prepare(
        "SELECT s.student_id, max(s.submitted_at) FROM submissions s JOIN students st ON st.id = s.student_id
         WHERE s.form_kind = 'screening' AND s.term = ?1 AND st.class_id = ?2 GROUP BY s.student_id",
    )?;
    let rows = stmt.query_map(params![term, class], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>();
    rows.with_context(|| format!("screening dates of class {class} in {term}"))
}

/// Where a photo Telegram sent was saved on this machine (`None`: not fetched yet, or not known).
pub fn photo_local_path(conn: &Connection, file_id: &str) -> anyhow::Result<Option<String>> {
    let path: Option<Option<String>> = conn
        .query_row("SELECT local_path FROM photos WHERE file_id = ?1", [file_id], |r| r.get(0))
        .optional()
        .with_context(|| format!("local copy of photo {file_id}"))?;
    Ok(path.flatten())
}

/// When a case was accepted and closed (stored instants; `None` while it has not been).
pub fn case_accepted_and_closed(
    conn: &Connection,
    case: CaseId,
) -> anyhow::Result<Option<(Option<String>, Option<String>)>> {
    conn.query_row("SELECT accepted_at, closed_at FROM cases WHERE id = ?1", [case], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .with_context(|| format!("dates of case {case}"))
}

/// Cases opened in `[start, end)` (stored instants), of one status or all.
pub fn cases_opened_between(
    conn: &Connection,
    start: &str,
    end: &str,
    status: Option<CaseStatus>,
) -> anyhow::Result<i64> {
    let n = match status {
        None => conn.query_row(
            "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2",
            params![start, end],
            |r| r.get(0),
        ),
        Some(status) => conn.query_row(
            "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2 AND status = ?3",
            params![start, end, status.as_str()],
            |r| r.get(0),
        ),
    };
    n.context("count of cases opened")
}

/// Cases closed in `[start, end)` (stored instants).
pub fn cases_closed_between(conn: &Connection, start: &str, end: &str) -> anyhow::Result<i64> {
    conn.query_row("SELECT count(*) FROM cases WHERE closed_at >= ?1 AND closed_at < ?2", params![start, end], |r| {
        r.get(0)
    })
    .context("count of cases closed")
}

/// When each case still open was opened (stored instants).
pub fn open_cases_opened_at(conn: &Connection) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT opened_at FROM cases WHERE status != 'closed'")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>();
    rows.context("open cases")
}

/// The answers (JSON) of every satisfaction survey answered in `term`: the survey form and the parents'
/// survey alike.
pub fn survey_answers_of_term(conn: &Connection, term: &str) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT answers FROM submissions WHERE form_kind = 'survey' AND term = ?1
         UNION ALL SELECT answers FROM survey_responses WHERE term = ?1",
    )?;
    let rows = stmt.query_map([term], |r| r.get(0))?.collect::<Result<_, _>>();
    rows.with_context(|| format!("survey answers of {term}"))
}

/// Every case, newest first (the caller keeps those a person may open).
pub fn cases_newest_first(conn: &Connection) -> anyhow::Result<Vec<CaseId>> {
    let mut stmt = conn.prepare("SELECT id FROM cases ORDER BY opened_at DESC, id DESC")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>();
    rows.context("cases newest first")
}

/// Every student's id, in the order they were added (the benchmark's seeding).
pub fn all_student_ids(conn: &Connection) -> anyhow::Result<Vec<StudentId>> {
    let mut stmt = conn.prepare("SELECT id FROM students ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>();
    rows.context("student ids")
}

/// A case as the benchmark seeds it: opened at `opened_at` (stored instant) by `by`, owned by `owner`, with
/// `status` (`new`, `in_progress`, `closed`).
pub fn insert_bench_case(
    conn: &Connection,
    student: StudentId,
    by: UserId,
    owner: UserId,
    status: CaseStatus,
    opened_at: &str,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO cases (student_id, opened_by, owner_id, urgency, status, reason, opened_at, accept_by)
         VALUES (?1, ?2, ?3, 'normal', ?4, 'ขาดเรียนบ่อย', ?5, ?5)",
        params![student, by, owner, status.as_str(), opened_at],
    )
    .with_context(|| format!("bench case for student {student}"))?;
    Ok(())
}
