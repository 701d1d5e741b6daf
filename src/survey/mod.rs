//! Satisfaction surveys (แบบประเมินความพึงพอใจ, named in the school's procedure): the head sends the survey form to
//! all parents or all staff; each person answers once, in the chat; the answers feed `/stats` and the export.

pub mod store;

use self::store as db;
use crate::domain::Role;
use crate::domain::ids::{ClassId, SurveyRoundId};
use crate::domain::refusal::Refusal;
use crate::l10n::{Args, Localizer};
use crate::notify::outbox::{self, OutMessage, Priority};
use crate::store::audit::{self, Actor, Entry};
use crate::store::users::{self, UserRow};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, Transaction};

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
    pub id: SurveyRoundId,
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

pub use self::store::{delete_draft, has_answered, load_draft, round, save_draft};

/// Why a survey was not sent (nothing was written).
#[derive(Debug, Clone, Copy, thiserror::Error, PartialEq, Eq)]
pub enum SurveyError {
    #[error("the same survey went to the same people a moment ago")]
    JustSent,
    #[error("no survey form is installed")]
    NoForm,
}

impl Refusal for SurveyError {
    fn message_id(&self) -> &'static str {
        match self {
            SurveyError::JustSent => "survey-just-sent",
            SurveyError::NoForm => "survey-no-form",
        }
    }
}

/// How long a second send of the same survey to the same people counts as a double tap.
const DOUBLE_TAP_MINUTES: i64 = 10;

/// Send the survey: the round and one outbox row per recipient, in one transaction. A second press within
/// ten minutes (a double tap on a slow phone) sends nothing: refused with [`SurveyError::JustSent`].
pub fn send(
    tx: &Transaction<'_>,
    l10n: &Localizer,
    by: &UserRow,
    form_id: &str,
    audience: Audience,
    term: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<(SurveyRoundId, usize), SurveyError>> {
    if db::round_sent_since(tx, form_id, audience, now - Duration::minutes(DOUBLE_TAP_MINUTES))?.is_some() {
        return Ok(Err(SurveyError::JustSent));
    }
    let id = db::insert_round(tx, &db::NewRound { form_id, audience, term, created_by: by.id, created_at: now })?;
    let people = recipients(tx, audience)?;
    for person in &people {
        let tr = l10n.tr(person.lang);
        let mut msg = OutMessage::text(person.chat_id, Some(person.id), tr.get("survey-invitation"), now);
        msg.keyboard = crate::chat_ui::Keyboard::default().row(vec![crate::chat_ui::Button {
            text: tr.get("survey-button-answer"),
            data: crate::chat_ui::buttons::ButtonData::Survey(id).encode(),
        }]);
        msg.priority = Priority::Bulk;
        msg.dedupe_key = Some(format!("survey:{id}:user:{}", person.id));
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
    Ok(Ok((id, people.len())))
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
    let inserted = db::insert_response(
        tx,
        &db::Response { round, user: user.id, class, form_version, answers_json, submitted_at: now },
    )?;
    db::delete_draft(tx, round.id, user.id)?;
    Ok(inserted)
}

/// How many answered a round, of how many it went to (for the sender's report).
pub fn progress(conn: &Connection, round: SurveyRoundId) -> anyhow::Result<(i64, i64)> {
    Ok((db::answered_count(conn, round)?, db::invited_count(conn, round)?))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::Lang;

    #[test]
    fn every_refusal_has_its_message_in_both_languages() {
        let l10n = Localizer::load().unwrap();
        for refusal in [SurveyError::JustSent, SurveyError::NoForm] {
            for lang in [Lang::Th, Lang::En] {
                assert!(l10n.has(lang, refusal.message_id()), "{refusal:?} in {lang:?}");
            }
        }
    }
}
