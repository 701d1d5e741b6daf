//! The state of a chat between two messages, kept in SQLite so a restart loses nothing.

use crate::app::App;
use crate::domain::Role;
use base64::Engine as _;
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
}

/// A referral being made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferDraft {
    pub nonce: String,
    pub student_id: i64,
    pub submission_id: Option<i64>,
    pub step: ReferStep,
    pub aspects: Vec<String>,
    pub reason: Option<String>,
    pub photo_file_id: Option<String>,
    pub urgency: Option<crate::care::schedule::Urgency>,
    pub target: Option<crate::care::cases::Target>,
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
    pub case_id: i64,
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
    ActionDue { description: String, owner: i64 },
    DoneNote { action: i64 },
    RescheduleDate { action: i64 },
    RescheduleReason { action: i64, date: chrono::NaiveDate },
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
    pub class_id: Option<i64>,
    pub page: usize,
    pub class_page: usize,
    /// A student with a saved draft: waiting for "continue" or "start over".
    pub pending_student: Option<i64>,
}

/// A form being filled in. The answers themselves live in `form_drafts` (saved after every answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlow {
    pub nonce: String,
    pub form_id: String,
    pub student_id: i64,
    pub purpose: Purpose,
    /// The keyboard with the "share location" button is showing and must be removed afterwards.
    #[serde(default)]
    pub location_keyboard: bool,
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
    pub classes: Vec<i64>,
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

/// The saved state of this chat. A state that no longer parses (written by an older version) is dropped
/// with a log line: the person starts the flow again rather than getting stuck.
pub fn load(app: &App, chat_id: i64) -> anyhow::Result<Option<ChatState>> {
    let Some(json) = app.store.read(|c| crate::store::conversations::load(c, chat_id))? else {
        return Ok(None);
    };
    match serde_json::from_str(&json) {
        Ok(state) => Ok(Some(state)),
        Err(e) => {
            tracing::warn!(chat_id, error = %e, "dropping a conversation state that no longer parses");
            clear(app, chat_id)?;
            Ok(None)
        }
    }
}

/// Drop a saved state that no longer parses (written by an older version of Dulae). Returns whether one was
/// dropped, so the person can be told — once — that they have to start that step again.
pub fn drop_if_unreadable(app: &App, chat_id: i64) -> anyhow::Result<bool> {
    let Some(json) = app.store.read(|c| crate::store::conversations::load(c, chat_id))? else {
        return Ok(false);
    };
    if serde_json::from_str::<ChatState>(&json).is_ok() {
        return Ok(false);
    }
    tracing::warn!(chat_id, "dropping a conversation state that no longer parses");
    clear(app, chat_id)?;
    Ok(true)
}

pub fn save(app: &App, chat_id: i64, state: &ChatState) -> anyhow::Result<()> {
    let json = serde_json::to_string(state)?;
    let now = app.clock.now();
    app.store.write(|tx| crate::store::conversations::save(tx, chat_id, &json, now))
}

pub fn clear(app: &App, chat_id: i64) -> anyhow::Result<()> {
    app.store.write(|tx| crate::store::conversations::clear(tx, chat_id))
}

/// Answering a satisfaction survey; the answers live in `survey_drafts` until submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyFlow {
    pub nonce: String,
    pub round_id: i64,
}
