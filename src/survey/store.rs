//! The survey tables (`survey_rounds`, `survey_drafts`, `survey_responses`): every statement the survey needs.

use super::{Audience, Round};
use crate::domain::ids::{ClassId, SurveyRoundId, UserId};
use crate::store::{instant, parse_instant};
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// One round by its id.
pub fn round(conn: &Connection, id: SurveyRoundId) -> anyhow::Result<Option<Round>> {
    let row: Option<(SurveyRoundId, String, String, String, String)> = conn
        .query_row("SELECT id, form_id, audience, term, created_at FROM survey_rounds WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()
        .with_context(|| format!("cannot read survey round {id}"))?;
    row.map(|(id, form_id, audience, term, at)| {
        Ok(Round {
            id,
            form_id,
            audience: Audience::parse(&audience)
                .with_context(|| format!("survey round {id} has an unknown audience {audience:?}"))?,
            term,
            created_at: parse_instant(&at)?,
        })
    })
    .transpose()
}

/// A round of this form to this audience created after `since` (a double tap on "send").
pub fn round_sent_since(
    conn: &Connection,
    form_id: &str,
    audience: Audience,
    since: DateTime<Utc>,
) -> anyhow::Result<Option<SurveyRoundId>> {
    Ok(conn
        .query_row(
            "SELECT id FROM survey_rounds WHERE form_id = ?1 AND audience = ?2 AND created_at > ?3",
            params![form_id, audience.as_str(), instant(since)],
            |r| r.get(0),
        )
        .optional()?)
}

/// What a new round is.
pub struct NewRound<'a> {
    pub form_id: &'a str,
    pub audience: Audience,
    pub term: &'a str,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

pub fn insert_round(conn: &Connection, round: &NewRound<'_>) -> anyhow::Result<SurveyRoundId> {
    conn.execute(
        "INSERT INTO survey_rounds (form_id, audience, term, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![round.form_id, round.audience.as_str(), round.term, round.created_by, instant(round.created_at)],
    )
    .context("cannot record a survey round")?;
    Ok(SurveyRoundId(conn.last_insert_rowid()))
}

pub fn has_answered(conn: &Connection, round: SurveyRoundId, user: UserId) -> anyhow::Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM survey_responses WHERE round_id = ?1 AND user_id = ?2", params![round, user], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

/// The saved answers in progress (a `FormSession` as JSON).
pub fn load_draft(conn: &Connection, round: SurveyRoundId, user: UserId) -> anyhow::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT session FROM survey_drafts WHERE round_id = ?1 AND user_id = ?2",
            params![round, user],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn save_draft(
    conn: &Connection,
    round: SurveyRoundId,
    user: UserId,
    session: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO survey_drafts (round_id, user_id, session, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(round_id, user_id) DO UPDATE SET session = excluded.session, updated_at = excluded.updated_at",
        params![round, user, session, instant(now)],
    )
    .context("cannot save a survey draft")?;
    Ok(())
}

pub fn delete_draft(conn: &Connection, round: SurveyRoundId, user: UserId) -> anyhow::Result<()> {
    conn.execute("DELETE FROM survey_drafts WHERE round_id = ?1 AND user_id = ?2", params![round, user])?;
    Ok(())
}

/// One person's answers to a round.
pub struct Response<'a> {
    pub round: &'a Round,
    pub user: UserId,
    pub class: Option<ClassId>,
    pub form_version: u32,
    pub answers_json: &'a str,
    pub submitted_at: DateTime<Utc>,
}

/// Store the answers, once per person and round. Returns whether they were new.
pub fn insert_response(conn: &Connection, response: &Response<'_>) -> anyhow::Result<bool> {
    let inserted = conn
        .execute(
            "INSERT OR IGNORE INTO survey_responses
                 (round_id, user_id, class_id, form_version, answers, term, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                response.round.id,
                response.user,
                response.class,
                response.form_version,
                response.answers_json,
                response.round.term,
                instant(response.submitted_at)
            ],
        )
        .context("cannot save survey answers")?;
    Ok(inserted == 1)
}

/// How many answered a round.
pub fn answered_count(conn: &Connection, round: SurveyRoundId) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM survey_responses WHERE round_id = ?1", [round], |r| r.get(0))?)
}

/// How many invitations to a round were written to the outbox (`survey:<round>:user:<id>`).
pub fn invited_count(conn: &Connection, round: SurveyRoundId) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'survey:' || ?1 || ':user:%'",
        [round],
        |r| r.get(0),
    )?)
}
