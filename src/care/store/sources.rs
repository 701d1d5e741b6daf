//! What care reads from other features' rows: a screening's score (to tick the aspects it flagged) and the
//! parents of a family (for the meeting's attendance list).

use crate::domain::ids::{StudentId, SubmissionId};
use anyhow::Context as _;
use rusqlite::{Connection, OptionalExtension, params};

/// The student a submitted form is about; `None` for a submission that does not exist.
pub fn student_of_submission(conn: &Connection, submission: SubmissionId) -> anyhow::Result<Option<StudentId>> {
    conn.query_row("SELECT student_id FROM submissions WHERE id = ?1", [submission], |r| r.get(0))
        .optional()
        .with_context(|| format!("cannot read submission {submission}"))
}

/// The stored score (JSON) of a submission about this student; `None` when there is no such submission or it
/// has no score (a home visit).
pub fn score_of_submission(
    conn: &Connection,
    submission: SubmissionId,
    student: StudentId,
) -> anyhow::Result<Option<String>> {
    let score: Option<Option<String>> = conn
        .query_row(
            "SELECT score FROM submissions WHERE id = ?1 AND student_id = ?2",
            params![submission, student],
            |r| r.get(0),
        )
        .optional()
        .with_context(|| format!("cannot read the score of submission {submission}"))?;
    Ok(score.flatten())
}

/// The names of the parents who joined the bot for this student (not revoked), in the order they joined.
pub fn joined_parents_of(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<String>> {
    let read = || -> rusqlite::Result<Vec<String>> {
        conn.prepare(
            "SELECT u.display_name FROM parent_students p JOIN users u ON u.id = p.user_id
             WHERE p.student_id = ?1 AND u.revoked_at IS NULL ORDER BY u.id",
        )?
        .query_map([student], |r| r.get(0))?
        .collect()
    };
    read().with_context(|| format!("cannot read the parents of student {student}"))
}

/// The parent's name the roster gives for this student, if any.
pub fn roster_parent_name(conn: &Connection, student: StudentId) -> anyhow::Result<Option<String>> {
    let name: Option<Option<String>> = conn
        .query_row("SELECT parent_name FROM students WHERE id = ?1", [student], |r| r.get(0))
        .optional()
        .with_context(|| format!("cannot read the roster's parent of student {student}"))?;
    Ok(name.flatten())
}
