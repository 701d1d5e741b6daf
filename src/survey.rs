//! Satisfaction surveys (แบบประเมินความพึงพอใจ, named in the school's procedure): the head sends the survey form to
//! all parents or all staff; each person answers once, in the chat; the answers feed `/stats` and the export.

use crate::domain::{Role, UserId};
use crate::l10n::{Args, Localizer};
use crate::notify::outbox::{self, OutMessage, Priority};
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::ClassId;
use crate::store::users::{self, UserRow};
use crate::store::{instant, parse_instant};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Parents,
    Staff,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Parents => "parents",
            Audience::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        [Audience::Parents, Audience::Staff].into_iter().find(|a| a.as_str() == s)
    }

    pub fn includes(self, user: &UserRow) -> bool {
        !user.revoked
            && match self {
                Audience::Parents => user.role == Role::Parent,
                Audience::Staff => user.role.is_staff(),
            }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub form_id: String,
    pub audience: Audience,
    pub term: String,
    pub created_at: DateTime<Utc>,
}

/// Who may send surveys: the head and the administrator.
pub fn may_send(user: &UserRow) -> bool {
    matches!(user.role, Role::Head | Role::Admin) && !user.revoked
}

pub fn recipients(conn: &Connection, audience: Audience) -> anyhow::Result<Vec<UserRow>> {
    Ok(users::list(conn)?.into_iter().filter(|u| audience.includes(u) && u.chat_id != 0).collect())
}

pub fn round(conn: &Connection, id: i64) -> anyhow::Result<Option<Round>> {
    let row: Option<(i64, String, String, String, String)> = conn
        .query_row("SELECT id, form_id, audience, term, created_at FROM survey_rounds WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(id, form_id, audience, term, at)| {
        Ok(Round {
            id,
            form_id,
            audience: Audience::parse(&audience).unwrap_or(Audience::Parents),
            term,
            created_at: parse_instant(&at)?,
        })
    })
    .transpose()
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SurveyError {
    #[error("the same survey went to the same people a moment ago")]
    JustSent,
    #[error("no survey form is installed")]
    NoForm,
}

/// Send the survey: the round and one outbox row per recipient, in one transaction. A second press within
/// ten minutes (a double tap on a slow phone) sends nothing.
pub fn send(
    tx: &Transaction<'_>,
    l10n: &Localizer,
    by: &UserRow,
    form_id: &str,
    audience: Audience,
    term: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<(i64, usize)> {
    let recent: Option<i64> = tx
        .query_row(
            "SELECT id FROM survey_rounds WHERE form_id = ?1 AND audience = ?2 AND created_at > ?3",
            params![form_id, audience.as_str(), instant(now - Duration::minutes(10))],
            |r| r.get(0),
        )
        .optional()?;
    if recent.is_some() {
        return Err(SurveyError::JustSent.into());
    }
    tx.execute(
        "INSERT INTO survey_rounds (form_id, audience, term, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![form_id, audience.as_str(), term, by.id.0, instant(now)],
    )?;
    let id = tx.last_insert_rowid();
    let people = recipients(tx, audience)?;
    for person in &people {
        let tr = l10n.tr(person.lang);
        let mut msg = OutMessage::text(person.chat_id, Some(person.id), tr.get("survey-invitation"), now);
        msg.keyboard = crate::chat_ui::Keyboard::default().row(vec![crate::chat_ui::Button {
            text: tr.get("survey-button-answer"),
            data: crate::chat_ui::buttons::ButtonData::Survey(id).encode(),
        }]);
        msg.priority = Priority::Bulk;
        msg.dedupe_key = Some(format!("survey:{id}:user:{}", person.id.0));
        outbox::enqueue(tx, &msg, now)?;
    }
    audit::record(
        tx,
        now,
        Entry {
            actor: Actor::User(by.id),
            action: "survey.send",
            entity: "survey_round",
            entity_id: Some(id.to_string()),
            detail: Some(serde_json::json!({ "audience": audience.as_str(), "recipients": people.len() })),
        },
    )?;
    Ok((id, people.len()))
}

pub fn has_answered(conn: &Connection, round: i64, user: UserId) -> anyhow::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM survey_responses WHERE round_id = ?1 AND user_id = ?2",
            params![round, user.0],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn load_draft(conn: &Connection, round: i64, user: UserId) -> anyhow::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT session FROM survey_drafts WHERE round_id = ?1 AND user_id = ?2",
            params![round, user.0],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn save_draft(
    conn: &Connection,
    round: i64,
    user: UserId,
    session: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO survey_drafts (round_id, user_id, session, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(round_id, user_id) DO UPDATE SET session = excluded.session, updated_at = excluded.updated_at",
        params![round, user.0, session, instant(now)],
    )?;
    Ok(())
}

pub fn delete_draft(conn: &Connection, round: i64, user: UserId) -> anyhow::Result<()> {
    conn.execute("DELETE FROM survey_drafts WHERE round_id = ?1 AND user_id = ?2", params![round, user.0])?;
    Ok(())
}

/// The class a parent's answer counts for: their first linked child's.
pub fn class_of(conn: &Connection, user: &UserRow) -> anyhow::Result<Option<ClassId>> {
    if user.role != Role::Parent {
        return Ok(None);
    }
    Ok(users::children_of(conn, user.id)?.into_iter().find(|c| !c.archived).map(|c| c.class_id))
}

/// Store one person's answers (once per round) and drop their draft.
pub fn save_response(
    tx: &Transaction<'_>,
    round: &Round,
    user: &UserRow,
    form_version: u32,
    answers_json: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let class = class_of(tx, user)?;
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO survey_responses (round_id, user_id, class_id, form_version, answers, term, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![round.id, user.id.0, class.map(|c| c.0), form_version, answers_json, round.term, instant(now)],
    )?;
    delete_draft(tx, round.id, user.id)?;
    Ok(inserted == 1)
}

/// How many answered a round, of how many it went to (for the sender's report).
pub fn progress(conn: &Connection, round: i64) -> anyhow::Result<(i64, i64)> {
    let answered: i64 =
        conn.query_row("SELECT count(*) FROM survey_responses WHERE round_id = ?1", [round], |r| r.get(0))?;
    let sent: i64 = conn.query_row(
        "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'survey:' || ?1 || ':user:%'",
        [round],
        |r| r.get(0),
    )?;
    Ok((answered, sent))
}

/// Words for the head's confirmation.
pub fn preview_args(count: usize, audience: Audience, l10n: &Localizer, lang: crate::l10n::Lang) -> Args {
    let tr = l10n.tr(lang);
    Args::new().num("count", count as i64).str(
        "audience",
        tr.get(match audience {
            Audience::Parents => "survey-audience-parents",
            Audience::Staff => "survey-audience-staff",
        }),
    )
}
