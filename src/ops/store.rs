//! The SQL of running the school's bot for years: a person's data gathered and erased on request (PDPA), the
//! checks `dulae doctor` and `dulae restore` make on a database file, and the file's housekeeping (secure
//! delete, vacuum, checkpoint). Functions over any `&Connection`; the use cases in [`super`] decide when.

use crate::domain::ids::{StudentId, SubmissionId, UserId};
use anyhow::Context as _;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension as _, params};

// ---- the database file ----

/// SQLite's full check of a file: "ok", or what is wrong.
pub fn integrity_check(conn: &Connection) -> anyhow::Result<String> {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).context("cannot check the database")
}

/// SQLite's quicker check (no index contents): "ok", or what is wrong.
pub fn quick_check(conn: &Connection) -> anyhow::Result<String> {
    conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).context("cannot check the database")
}

/// Whether the file holds Dulae's roster (a `students` table).
pub fn has_students_table(conn: &Connection) -> anyhow::Result<bool> {
    let found: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'students'", [], |r| r.get(0))
        .context("cannot read the schema")?;
    Ok(found > 0)
}

/// The file's schema version (the number of migrations applied).
pub fn schema_version(conn: &Connection) -> anyhow::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).context("cannot read the schema version")
}

/// Fold the write-ahead log into the file and empty it. `true` when it was done, `false` when a reader kept
/// it busy (the next checkpoint does it).
pub fn checkpoint_truncate(conn: &Connection) -> anyhow::Result<bool> {
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .context("cannot checkpoint the database")?;
    Ok(busy == 0)
}

/// From now on this connection zeroes the content SQLite deletes or overwrites.
pub fn enable_secure_delete(conn: &Connection) -> anyhow::Result<()> {
    conn.pragma_update(None, "secure_delete", "ON").context("cannot turn on secure delete")
}

/// Rebuild the file without free pages.
pub fn vacuum(conn: &Connection) -> anyhow::Result<()> {
    conn.execute_batch("VACUUM").context("cannot vacuum the database")
}

/// Messages waiting to go out, and messages that failed since `since` (an instant).
pub fn outbox_backlog(conn: &Connection, since: &str) -> anyhow::Result<(i64, i64)> {
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')", [], |r| r.get(0))
        .context("cannot count waiting messages")?;
    let failed: i64 = conn
        .query_row("SELECT count(*) FROM outbox WHERE status = 'failed' AND created_at >= ?1", [since], |r| r.get(0))
        .context("cannot count failed messages")?;
    Ok((pending, failed))
}

// ---- a person's data (PDPA) ----

/// One table of a person's data: its rows as (column, value) pairs.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

fn query_table(conn: &Connection, name: &'static str, sql: &str, id: i64) -> anyhow::Result<Table> {
    let mut stmt = conn.prepare(sql).with_context(|| format!("cannot read {name}"))?;
    let columns: Vec<String> = stmt.column_names().iter().map(ToString::to_string).collect();
    let count = columns.len();
    let rows = stmt.query_map([id], |r| {
        let mut values = Vec::with_capacity(count);
        for i in 0..count {
            values.push(match r.get_ref(i)? {
                ValueRef::Null => serde_json::Value::Null,
                ValueRef::Integer(n) => serde_json::Value::from(n),
                ValueRef::Real(x) => serde_json::Value::from(x),
                ValueRef::Text(t) => {
                    let text = String::from_utf8_lossy(t).into_owned();
                    // Answers and scores are JSON: keep them as JSON, not as a string of JSON.
                    match (text.starts_with('{') || text.starts_with('['))
                        .then(|| serde_json::from_str::<serde_json::Value>(&text).ok())
                        .flatten()
                    {
                        Some(json) => json,
                        None => serde_json::Value::String(text),
                    }
                }
                ValueRef::Blob(b) => serde_json::Value::String(format!("<{} bytes>", b.len())),
            });
        }
        Ok(values)
    })?;
    let rows = rows.collect::<Result<_, _>>().with_context(|| format!("cannot read {name}"))?;
    Ok(Table { name, columns, rows })
}

/// Everything held on a student: the roster row, every form submitted about them (with the answers), the
/// photos, drafts in progress, cases with their chronology and plans, the parents linked to them, and the
/// audit rows of who looked at or changed their records.
pub fn student_tables(conn: &Connection, id: StudentId) -> anyhow::Result<Vec<Table>> {
    let cases = "SELECT id FROM cases WHERE student_id = ?1";
    let queries: Vec<(&'static str, String)> = vec![
        (
            "student",
            "SELECT s.*, c.name AS class_name FROM students s JOIN classes c ON c.id = s.class_id WHERE s.id = ?1"
                .into(),
        ),
        ("submissions", "SELECT * FROM submissions WHERE student_id = ?1 ORDER BY submitted_at".into()),
        ("form_drafts", "SELECT * FROM form_drafts WHERE student_id = ?1".into()),
        ("photos", "SELECT file_id, received_at, local_path, user_id FROM photos WHERE student_id = ?1".into()),
        ("cases", "SELECT * FROM cases WHERE student_id = ?1 ORDER BY opened_at".into()),
        ("case_events", format!("SELECT e.* FROM case_events e WHERE e.case_id IN ({cases}) ORDER BY e.id")),
        ("plans", format!("SELECT * FROM plans WHERE case_id IN ({cases})")),
        ("plan_actions", format!("SELECT * FROM plan_actions WHERE case_id IN ({cases}) ORDER BY id")),
        (
            "parents",
            "SELECT u.id, u.display_name, u.username, u.role, ps.linked_at, u.revoked_at FROM parent_students ps
             JOIN users u ON u.id = ps.user_id WHERE ps.student_id = ?1"
                .into(),
        ),
        (
            "audit_log",
            format!(
                "SELECT * FROM audit_log WHERE (entity = 'student' AND entity_id = CAST(?1 AS TEXT))
                 OR (entity = 'case' AND entity_id IN (SELECT CAST(id AS TEXT) FROM ({cases})))
                 OR (entity = 'submission' AND entity_id IN
                     (SELECT CAST(id AS TEXT) FROM submissions WHERE student_id = ?1)) ORDER BY id"
            ),
        ),
    ];
    queries.into_iter().map(|(name, sql)| query_table(conn, name, &sql, id.0)).collect()
}

/// Everything held on a person who uses the bot: their account, classes or children, invites, what they
/// submitted and wrote (ids and times: the records themselves belong to the students), announcements, survey
/// answers, the messages the bot sent them, and the audit rows of their actions.
pub fn user_tables(conn: &Connection, id: UserId) -> anyhow::Result<Vec<Table>> {
    let queries: Vec<(&'static str, &str)> = vec![
        ("user", "SELECT u.*, s.lang FROM users u LEFT JOIN user_settings s ON s.user_id = u.id WHERE u.id = ?1"),
        ("classes", "SELECT c.name FROM teacher_classes t JOIN classes c ON c.id = t.class_id WHERE t.user_id = ?1"),
        (
            "children",
            "SELECT s.student_code, s.prefix, s.first_name, s.last_name, ps.linked_at FROM parent_students ps
             JOIN students s ON s.id = ps.student_id WHERE ps.user_id = ?1",
        ),
        ("invites", "SELECT id, role, display_name, created_at, expires_at, used_at FROM invites WHERE used_by = ?1"),
        (
            "submissions",
            "SELECT id, form_id, form_kind, student_id, term, submitted_at FROM submissions WHERE submitted_by = ?1",
        ),
        ("case_events", "SELECT id, case_id, at, kind, detail FROM case_events WHERE actor_id = ?1 ORDER BY id"),
        (
            "announcements",
            "SELECT id, audience_label, text, send_at, recipients FROM announcements WHERE created_by = ?1",
        ),
        ("announcement_acks", "SELECT announcement_id, at FROM announcement_acks WHERE user_id = ?1"),
        (
            "survey_responses",
            "SELECT id, round_id, answers, term, submitted_at FROM survey_responses WHERE user_id = ?1",
        ),
        ("messages", "SELECT id, kind, text, status, created_at, sent_at FROM outbox WHERE user_id = ?1 ORDER BY id"),
        (
            "audit_log",
            "SELECT * FROM audit_log WHERE actor = 'user:' || ?1 OR (entity = 'user' AND entity_id = CAST(?1 AS TEXT))
             ORDER BY id",
        ),
    ];
    queries.into_iter().map(|(name, sql)| query_table(conn, name, sql, id.0)).collect()
}

// ---- erasure of a student (each returns how many rows it changed) ----

/// The roster row: the code becomes a placeholder (a later import of the real code makes a new student),
/// names and every personal field go, and the student is archived out of every list.
pub fn erase_student_row(conn: &Connection, id: StudentId, erased: &str, now: &str) -> anyhow::Result<usize> {
    conn.execute(
        "UPDATE students SET student_code = 'erased-' || id, prefix = '', first_name = ?2, last_name = '',
             nickname = NULL, gender = NULL, birth_date = NULL, parent_name = NULL, parent_phone = NULL,
             archived_at = coalesce(archived_at, ?3), updated_at = ?3
         WHERE id = ?1",
        params![id, erased, now],
    )
    .context("cannot erase the student's row")
}

/// The answers (JSON) of every form submitted about a student.
pub fn submission_answers_of_student(conn: &Connection, id: StudentId) -> anyhow::Result<Vec<(SubmissionId, String)>> {
    let mut stmt = conn.prepare("SELECT id, answers FROM submissions WHERE student_id = ?1")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>().context("cannot read the student's forms")
}

/// Replace a submission's answers (JSON).
pub fn set_submission_answers(conn: &Connection, id: SubmissionId, answers: &str) -> anyhow::Result<usize> {
    conn.execute("UPDATE submissions SET answers = ?2 WHERE id = ?1", params![id, answers])
        .context("cannot erase a form's answers")
}

/// Drafts in progress about a student.
pub fn delete_drafts_of_student(conn: &Connection, id: StudentId) -> anyhow::Result<usize> {
    conn.execute("DELETE FROM form_drafts WHERE student_id = ?1", [id]).context("cannot delete the student's drafts")
}

/// The free texts of a student's cases: reason, outcome and agency, the plan's goal and actions, and the
/// chronology's details (the one change the append-only trigger allows) become `erased`.
pub fn erase_case_texts_of_student(conn: &Connection, id: StudentId, erased: &str) -> anyhow::Result<usize> {
    let cases = "SELECT id FROM cases WHERE student_id = ?1";
    let mut changed = conn
        .execute(
            "UPDATE cases SET reason = ?2, outcome = CASE WHEN outcome IS NULL THEN NULL ELSE ?2 END,
                 external_agency = CASE WHEN external_agency IS NULL THEN NULL ELSE ?2 END, photo_file_id = NULL
             WHERE student_id = ?1",
            params![id, erased],
        )
        .context("cannot erase the student's cases")?;
    changed += conn
        .execute(&format!("UPDATE plans SET goal = ?2 WHERE case_id IN ({cases})"), params![id, erased])
        .context("cannot erase the student's plans")?;
    changed += conn
        .execute(
            &format!(
                "UPDATE plan_actions SET description = ?2, done_note = CASE WHEN done_note IS NULL THEN NULL ELSE ?2 END
                 WHERE case_id IN ({cases})"
            ),
            params![id, erased],
        )
        .context("cannot erase the student's plan actions")?;
    changed += conn
        .execute(
            &format!("UPDATE case_events SET detail = ?2 WHERE case_id IN ({cases}) AND detail IS NOT NULL"),
            params![id, erased],
        )
        .context("cannot erase the student's chronology")?;
    Ok(changed)
}

/// Reminders and notifications about a student's cases and plan actions: texts become `erased`, those not
/// sent yet are cancelled.
pub fn erase_messages_about_student(conn: &Connection, id: StudentId, erased: &str) -> anyhow::Result<usize> {
    let cases = "SELECT id FROM cases WHERE student_id = ?1";
    conn.execute(
        &format!(
            "UPDATE outbox SET text = ?2, status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
             WHERE (dedupe_key LIKE 'case:%' AND CAST(substr(dedupe_key, 6) AS INTEGER) IN ({cases}))
                OR (dedupe_key LIKE 'action:%' AND CAST(substr(dedupe_key, 8) AS INTEGER) IN
                    (SELECT id FROM plan_actions WHERE case_id IN ({cases})))"
        ),
        params![id, erased],
    )
    .context("cannot erase the messages about the student")
}

/// Unused parent invites for a student stop working now.
pub fn expire_parent_invites_of(conn: &Connection, id: StudentId, now: &str) -> anyhow::Result<usize> {
    conn.execute(
        "UPDATE invites SET expires_at = ?2 WHERE student_id = ?1 AND used_at IS NULL AND expires_at > ?2",
        params![id, now],
    )
    .context("cannot expire the student's parent invites")
}

// ---- erasure of a person who uses the bot ----

/// The private chat of a person, if they have an account.
pub fn chat_of_user(conn: &Connection, id: UserId) -> anyhow::Result<Option<i64>> {
    let chat = conn
        .query_row("SELECT chat_id FROM users WHERE id = ?1", [id], |r| r.get::<_, Option<i64>>(0))
        .optional()
        .context("cannot read the person's chat")?;
    Ok(chat.flatten())
}

/// The account: no name, no username, no Telegram id (a negative placeholder keeps the column unique), no
/// access. The records they made stay, attributed to an erased person.
pub fn erase_user_row(conn: &Connection, id: UserId, erased: &str, now: &str) -> anyhow::Result<usize> {
    conn.execute(
        "UPDATE users SET display_name = ?2, username = NULL, telegram_id = -id, chat_id = -id,
             revoked_at = coalesce(revoked_at, ?3)
         WHERE id = ?1",
        params![id, erased, now],
    )
    .context("cannot erase the person's account")
}

/// Their links to children and classes, and the name on the invite they used.
pub fn unlink_user(conn: &Connection, id: UserId) -> anyhow::Result<usize> {
    let mut changed = conn
        .execute("DELETE FROM parent_students WHERE user_id = ?1", [id])
        .context("cannot unlink the person's children")?;
    changed += conn
        .execute("DELETE FROM teacher_classes WHERE user_id = ?1", [id])
        .context("cannot unlink the person's classes")?;
    changed += conn
        .execute("UPDATE invites SET display_name = NULL WHERE used_by = ?1", [id])
        .context("cannot erase the name on the person's invite")?;
    Ok(changed)
}

/// Messages the bot sent them: texts become `erased`, unsent ones are cancelled.
pub fn erase_messages_to_user(conn: &Connection, id: UserId, erased: &str) -> anyhow::Result<usize> {
    conn.execute(
        "UPDATE outbox SET text = ?2, status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
         WHERE user_id = ?1",
        params![id, erased],
    )
    .context("cannot erase the messages to the person")
}

/// Audit rows about the account (an invite with their name, their revocation, their joining): details become
/// `erased`.
pub fn erase_audit_details_of_user(conn: &Connection, id: UserId, erased: &str) -> anyhow::Result<usize> {
    let mut changed = conn
        .execute(
            "UPDATE audit_log SET detail = ?2 WHERE entity = 'user' AND entity_id = CAST(?1 AS TEXT) AND detail IS NOT NULL",
            params![id, erased],
        )
        .context("cannot erase the audit details about the person")?;
    changed += conn
        .execute(
            "UPDATE audit_log SET detail = ?2 WHERE action = 'invite.redeem' AND actor = 'user:' || ?1 AND detail IS NOT NULL",
            params![id, erased],
        )
        .context("cannot erase the audit details of the person's joining")?;
    Ok(changed)
}

/// A conversation in progress in a chat.
pub fn delete_conversation(conn: &Connection, chat: i64) -> anyhow::Result<usize> {
    conn.execute("DELETE FROM conversations WHERE chat_id = ?1", [chat]).context("cannot delete the conversation")
}
