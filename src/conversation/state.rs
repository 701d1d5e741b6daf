//! The state of a chat between two messages, kept in SQLite so a restart loses nothing.

use super::turn::NextState;
use crate::domain::Role;
use crate::domain::ids::{ActionId, CaseId, ClassId, StudentId, SubmissionId, UserId};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flow", rename_all = "snake_case")]
pub enum ChatState {
    Invite(InviteDraft),
    Pick(PickDraft),
    Form(FormFlow),
    Announce(super::announce_flow::AnnounceDraft),
    Refer(ReferDraft),
    CaseInput(CaseInput),
    Survey(SurveyFlow),
    /// Help in class: waiting for the reason (ช่วยเหลือเบื้องต้น).
    Help(super::classroom_flow::HelpDraft),
    /// Recording a class meeting with parents.
    Meeting(super::classroom_flow::MeetingDraft),
}

/// A referral being made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferDraft {
    pub nonce: String,
    pub student_id: StudentId,
    pub submission_id: Option<SubmissionId>,
    pub step: ReferStep,
    pub aspects: Vec<String>,
    pub reason: Option<String>,
    pub photo_file_id: Option<String>,
    pub urgency: Option<crate::care::schedule::Urgency>,
    pub target: Option<crate::care::cases::Target>,
    /// The page of people shown when choosing whom to refer to.
    #[serde(default)]
    pub target_page: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferStep {
    Aspects,
    Reason,
    Photo,
    Urgency,
    Target,
    Confirm,
}

/// Typing something for a case or a plan action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInput {
    pub nonce: String,
    pub case_id: CaseId,
    pub kind: CaseInputKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "input", rename_all = "snake_case")]
pub enum CaseInputKind {
    Question,
    Note,
    Goal,
    ReviewDate,
    Outcome,
    Agency,
    ActionDescription,
    ActionOwner { description: String },
    ActionDue { description: String, owner: UserId },
    DoneNote { action: ActionId },
    RescheduleDate { action: ActionId },
    RescheduleReason { action: ActionId, date: chrono::NaiveDate },
}

/// What a class-and-student choice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Screen,
    Visit,
    View,
    Refer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickDraft {
    pub nonce: String,
    pub purpose: Purpose,
    /// The chosen class; `None` while choosing one.
    pub class_id: Option<ClassId>,
    pub page: usize,
    pub class_page: usize,
    /// A student with a saved draft: waiting for "continue" or "start over".
    pub pending_student: Option<StudentId>,
}

/// A form being filled in. The answers themselves live in `form_drafts` (saved after every answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlow {
    pub nonce: String,
    pub form_id: String,
    pub student_id: StudentId,
    pub purpose: Purpose,
    /// The keyboard with the "share location" button is showing and must be removed afterwards.
    #[serde(default)]
    pub location_keyboard: bool,
    /// The album (media group) whose first photo was acknowledged: its other photos are saved quietly.
    #[serde(default)]
    pub album: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteStep {
    ChooseRole,
    ChooseClasses,
    AskName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteDraft {
    /// Ties buttons to this run of the flow: a button from an earlier run is stale.
    pub nonce: String,
    pub step: InviteStep,
    pub role: Option<Role>,
    pub classes: Vec<crate::domain::ids::ClassId>,
    pub page: usize,
}

/// A short random tag for buttons (4 url-safe characters).
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 3];
    if getrandom::fill(&mut bytes).is_err() {
        // Without OS randomness, fall back to the clock: a nonce only needs to differ between runs.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        bytes = [(nanos >> 16) as u8, (nanos >> 8) as u8, nanos as u8];
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The chat's saved state as the turn found it.
#[derive(Debug)]
pub enum Saved {
    Nothing,
    State(ChatState),
    /// Written by an older version of Dulae and no longer readable: dropped, and the person told once.
    Unreadable,
}

/// Read the chat's state (once per turn, inside its transaction).
pub fn read(conn: &Connection, chat_id: i64) -> anyhow::Result<Saved> {
    let Some(json) = crate::store::conversations::load(conn, chat_id)? else {
        return Ok(Saved::Nothing);
    };
    Ok(match serde_json::from_str(&json) {
        Ok(state) => Saved::State(state),
        Err(e) => {
            tracing::warn!(chat_id, error = %e, "dropping a conversation state that no longer parses");
            Saved::Unreadable
        }
    })
}

/// Write what the flow decided, in the turn's transaction.
pub fn write(conn: &Connection, chat_id: i64, next: &NextState, now: DateTime<Utc>) -> anyhow::Result<()> {
    match next {
        NextState::Keep => Ok(()),
        NextState::Set(state) => {
            let json = serde_json::to_string(state)?;
            crate::store::conversations::save(conn, chat_id, &json, now)
        }
        NextState::Clear => crate::store::conversations::clear(conn, chat_id),
    }
}

/// Answering a satisfaction survey; the answers live in `survey_drafts` until submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyFlow {
    pub nonce: String,
    pub round_id: crate::domain::ids::SurveyRoundId,
}
