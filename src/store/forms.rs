//! Form drafts and submissions. The engine's sessions and answers are stored as JSON text; this module does
//! not interpret them.

use super::students::{ClassId, StudentId};
use crate::domain::{Period, Term, UserId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

pub fn save_draft(
    conn: &Connection,
    user: UserId,
    student: StudentId,
    form_id: &str,
    session_json: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let now = super::instant(now);
    conn.execute(
        "INSERT INTO form_drafts (user_id, student_id, form_id, session, started_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT(user_id, student_id, form_id) DO UPDATE SET session = excluded.session, updated_at = excluded.updated_at",
        params![user.0, student.0, form_id, session_json, now],
    )?;
    Ok(())
}

pub fn load_draft(
    conn: &Connection,
    user: UserId,
    student: StudentId,
    form_id: &str,
) -> anyhow::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT session FROM form_drafts WHERE user_id = ?1 AND student_id = ?2 AND form_id = ?3",
            params![user.0, student.0, form_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn delete_draft(conn: &Connection, user: UserId, student: StudentId, form_id: &str) -> anyhow::Result<()> {
    conn.execute(
        "DELETE FROM form_drafts WHERE user_id = ?1 AND student_id = ?2 AND form_id = ?3",
        params![user.0, student.0, form_id],
    )?;
    Ok(())
}

/// Students for whom this person has a draft of this form.
pub fn students_with_drafts(conn: &Connection, user: UserId, form_id: &str) -> anyhow::Result<HashSet<StudentId>> {
    let mut stmt = conn.prepare("SELECT student_id FROM form_drafts WHERE user_id = ?1 AND form_id = ?2")?;
    let rows = stmt.query_map(params![user.0, form_id], |r| r.get(0).map(StudentId))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub struct NewSubmission<'a> {
    pub form_id: &'a str,
    pub form_version: i64,
    pub form_kind: &'a str,
    pub student: StudentId,
    pub term: &'a str,
    pub answers_json: &'a str,
    pub score_json: Option<&'a str>,
    pub overall_group: Option<&'a str>,
    pub submitted_by: UserId,
    pub submitted_at: DateTime<Utc>,
}

pub use crate::domain::ids::SubmissionId;

pub fn insert_submission(conn: &Connection, s: &NewSubmission<'_>) -> anyhow::Result<SubmissionId> {
    conn.execute(
        "INSERT INTO submissions (form_id, form_version, form_kind, student_id, term, answers, score, overall_group,
                                  submitted_by, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            s.form_id,
            s.form_version,
            s.form_kind,
            s.student.0,
            s.term,
            s.answers_json,
            s.score_json,
            s.overall_group,
            s.submitted_by.0,
            super::instant(s.submitted_at)
        ],
    )?;
    Ok(SubmissionId(conn.last_insert_rowid()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRow {
    pub id: SubmissionId,
    pub form_id: String,
    pub form_version: i64,
    pub term: String,
    pub answers_json: String,
    pub score_json: Option<String>,
    pub overall_group: Option<String>,
    pub submitted_by_name: String,
    pub submitted_at: DateTime<Utc>,
}

/// The latest submission of a kind of form for a student.
pub fn latest_submission(conn: &Connection, student: StudentId, kind: &str) -> anyhow::Result<Option<SubmissionRow>> {
    let row = conn
        .query_row(
            "SELECT s.id, s.form_id, s.form_version, s.term, s.answers, s.score, s.overall_group, u.display_name,
                    s.submitted_at
             FROM submissions s JOIN users u ON u.id = s.submitted_by
             WHERE s.student_id = ?1 AND s.form_kind = ?2 ORDER BY s.submitted_at DESC, s.id DESC LIMIT 1",
            params![student.0, kind],
            |r| {
                let at: String = r.get(8)?;
                Ok((
                    SubmissionRow {
                        id: SubmissionId(r.get(0)?),
                        form_id: r.get(1)?,
                        form_version: r.get(2)?,
                        term: r.get(3)?,
                        answers_json: r.get(4)?,
                        score_json: r.get(5)?,
                        overall_group: r.get(6)?,
                        submitted_by_name: r.get(7)?,
                        submitted_at: DateTime::<Utc>::MIN_UTC,
                    },
                    at,
                ))
            },
        )
        .optional()?;
    row.map(|(mut row, at)| {
        row.submitted_at = super::parse_instant(&at)?;
        Ok(row)
    })
    .transpose()
}

/// Students of a class with a submission of this kind that counts for this term (in this term, or in this
/// school year for a form whose period is the year).
pub fn submitted_in_class(
    conn: &Connection,
    class: ClassId,
    kind: &str,
    term: &str,
) -> anyhow::Result<HashSet<StudentId>> {
    let counted = counted_terms(conn, kind, term)?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT s.student_id FROM submissions s JOIN students st ON st.id = s.student_id
         WHERE st.class_id = ?1 AND s.form_kind = ?2 AND s.term IN (SELECT value FROM json_each(?3))",
    )?;
    let rows = stmt.query_map(params![class.0, kind, counted], |r| r.get(0).map(StudentId))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Remember what each kind of form counts its coverage in, as the loaded form files say. Called whenever the
/// forms are loaded (the bot's start, the reports on the command line).
pub fn record_periods<'a>(
    conn: &Connection,
    forms: impl IntoIterator<Item = &'a crate::forms::FormDef>,
) -> anyhow::Result<()> {
    for form in forms {
        conn.execute(
            "INSERT INTO form_periods (form_kind, period) VALUES (?1, ?2)
             ON CONFLICT(form_kind) DO UPDATE SET period = excluded.period",
            params![form.kind, form.period.as_str()],
        )?;
    }
    Ok(())
}

/// What a kind of form counts its coverage in: as its form file says, or the default for the kind.
pub fn period_of(conn: &Connection, kind: &str) -> anyhow::Result<Period> {
    let stored: Option<String> =
        conn.query_row("SELECT period FROM form_periods WHERE form_kind = ?1", [kind], |r| r.get(0)).optional()?;
    Ok(stored.as_deref().and_then(Period::parse).unwrap_or_else(|| Period::default_for_kind(kind)))
}

/// The stored term names whose submissions of `kind` count for `term` (`"2/2569"`), as a JSON array for
/// `IN (SELECT value FROM json_each(?))`: the term itself, or both terms of its school year.
pub fn counted_terms(conn: &Connection, kind: &str, term: &str) -> anyhow::Result<String> {
    let names = match Term::parse(term) {
        Some(t) => period_of(conn, kind)?.term_names(t),
        None => vec![term.to_string()],
    };
    Ok(serde_json::to_string(&names)?)
}
