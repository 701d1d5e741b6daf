//! The benchmarks' SQL: schools written straight into a fresh database, row by row, far faster than through
//! the use cases (thousands of students, years of records), and the counts the benchmarks read back. Nothing
//! here is used by the bot.

use crate::domain::ids::{CaseId, ClassId, StudentId, SubmissionId, UserId};
use anyhow::Context as _;
use rusqlite::{Connection, params};

/// Writes a benchmark school in the caller's transaction. Statements are prepared once and cached.
pub struct Seed<'a> {
    conn: &'a Connection,
    /// When the rows were created (an instant as stored).
    at: &'a str,
}

/// A student as the benchmarks make them.
pub struct NewStudent<'a> {
    pub id: StudentId,
    pub code: &'a str,
    pub prefix: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub nickname: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub class: ClassId,
    pub parent_name: Option<&'a str>,
    pub parent_phone: Option<&'a str>,
    /// An instant: the pupil left (archived).
    pub archived_at: Option<&'a str>,
}

/// A submitted form as the benchmarks make them.
pub struct NewSubmission<'a> {
    pub form_id: &'a str,
    pub kind: &'a str,
    pub student: StudentId,
    pub term: &'a str,
    pub answers: &'a str,
    pub score: Option<&'a str>,
    pub overall: Option<&'a str>,
    pub by: UserId,
    pub at: &'a str,
}

impl<'a> Seed<'a> {
    pub fn new(conn: &'a Connection, at: &'a str) -> Seed<'a> {
        Seed { conn, at }
    }

    pub fn class(&self, id: ClassId, name: &str, level: &str, grade: i64, room: i64) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO classes (id, name, level, grade, room, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![id, name, level, grade, room, self.at])
            .context("cannot write a class")?;
        Ok(())
    }

    /// A person whose Telegram id is also their private chat's id.
    pub fn user(&self, id: UserId, telegram: i64, name: &str, role: &str) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO users (id, telegram_id, chat_id, display_name, role, created_at)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, telegram, name, role, self.at])
            .context("cannot write a person")?;
        Ok(())
    }

    pub fn teaches(&self, teacher: UserId, class: ClassId) -> anyhow::Result<()> {
        self.conn
            .prepare_cached("INSERT INTO teacher_classes (user_id, class_id) VALUES (?1, ?2)")?
            .execute(params![teacher, class])
            .context("cannot write a homeroom")?;
        Ok(())
    }

    pub fn student(&self, s: &NewStudent<'_>) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO students (id, student_code, prefix, first_name, last_name, nickname, gender, class_id,
                                       parent_name, parent_phone, archived_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            )?
            .execute(params![
                s.id,
                s.code,
                s.prefix,
                s.first_name,
                s.last_name,
                s.nickname,
                s.gender,
                s.class,
                s.parent_name,
                s.parent_phone,
                s.archived_at,
                self.at
            ])
            .context("cannot write a student")?;
        Ok(())
    }

    pub fn parent_of(&self, parent: UserId, student: StudentId) -> anyhow::Result<()> {
        self.conn
            .prepare_cached("INSERT INTO parent_students (user_id, student_id, linked_at) VALUES (?1, ?2, ?3)")?
            .execute(params![parent, student, self.at])
            .context("cannot link a parent")?;
        Ok(())
    }

    pub fn submission(&self, s: &NewSubmission<'_>) -> anyhow::Result<SubmissionId> {
        self.conn
            .prepare_cached(
                "INSERT INTO submissions (form_id, form_version, form_kind, student_id, term, answers, score,
                                          overall_group, submitted_by, submitted_at)
                 VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![s.form_id, s.kind, s.student, s.term, s.answers, s.score, s.overall, s.by, s.at])
            .context("cannot write a form")?;
        Ok(SubmissionId(self.conn.last_insert_rowid()))
    }

    /// The audit row a submitted form leaves.
    pub fn audit_submit(&self, at: &str, by: UserId, submission: SubmissionId) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail)
                 VALUES (?1, ?2, 'form.submit', 'submission', ?3, NULL)",
            )?
            .execute(params![at, format!("user:{by}"), submission.to_string()])
            .context("cannot write an audit row")?;
        Ok(())
    }

    /// A message the sender delivered long ago (an announcement to a parent).
    #[allow(clippy::too_many_arguments)]
    pub fn sent_message(
        &self,
        chat: i64,
        user: UserId,
        text: &str,
        dedupe_key: &str,
        announcement: i64,
        at: &str,
        telegram_message: i64,
    ) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO outbox (chat_id, user_id, kind, text, priority, dedupe_key, announcement_id, not_before,
                                     created_at, status, sent_at, telegram_message_id)
                 VALUES (?1, ?2, 'text', ?3, 20, ?4, ?5, ?6, ?6, 'sent', ?6, ?7)",
            )?
            .execute(params![chat, user, text, dedupe_key, announcement, at, telegram_message])
            .context("cannot write a sent message")?;
        Ok(())
    }

    /// A case in progress (or closed at `closed_at`), opened by a homeroom teacher and owned by `owner`.
    #[allow(clippy::too_many_arguments)]
    pub fn case(
        &self,
        student: StudentId,
        opened_by: UserId,
        owner: UserId,
        kind: &str,
        urgency: &str,
        status: &str,
        reason: &str,
        opened_at: &str,
        closed_at: Option<&str>,
    ) -> anyhow::Result<CaseId> {
        self.conn
            .prepare_cached(
                "INSERT INTO cases (student_id, opened_by, owner_id, kind, urgency, status, reason, opened_at,
                                    accept_by, accepted_at, closed_at, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8, ?9, CASE WHEN ?9 IS NULL THEN NULL ELSE 'ดีขึ้น' END)",
            )?
            .execute(params![student, opened_by, owner, kind, urgency, status, reason, opened_at, closed_at])
            .context("cannot write a case")?;
        Ok(CaseId(self.conn.last_insert_rowid()))
    }

    pub fn case_event(&self, case: CaseId, at: &str, actor: UserId, kind: &str, detail: &str) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![case, at, actor, kind, detail])
            .context("cannot write a case event")?;
        Ok(())
    }

    /// A plan action due on `due_on` (a local ISO date).
    pub fn plan_action(&self, case: CaseId, description: &str, owner: UserId, due_on: &str) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO plan_actions (case_id, description, owner_id, due_on, status, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?3)",
            )?
            .execute(params![case, description, owner, due_on, self.at])
            .context("cannot write a plan action")?;
        Ok(())
    }
}

/// How many outbox rows have this status.
pub fn count_outbox_with_status(conn: &Connection, status: &str) -> anyhow::Result<i64> {
    conn.query_row("SELECT count(*) FROM outbox WHERE status = ?1", [status], |r| r.get(0))
        .context("cannot count the outbox")
}
