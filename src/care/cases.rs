//! Referrals (ส่งต่อ) and the cases they open: one owner, watchers, an append-only chronology, a help plan with
//! actions, and the notifications each change implies — written to the outbox in the same transaction.
//!
//! Notification texts never carry a student's name or any detail: phones show message previews on the lock
//! screen. The details are shown only when the person opens the case in the chat, after a rights check.

use super::schedule::{ActionReminder, ReminderPolicy, Urgency, action_schedule};
use super::store::{self, reminders::PendingReminder};
use crate::chat_ui::buttons::{ButtonData, CaseAction};
use crate::chat_ui::{Button, Keyboard};
use crate::domain::ids::SubmissionId;
use crate::domain::refusal::Refusal;
use crate::domain::{Role, UserId};
use crate::forms::{Group, ScoreResult};
use crate::l10n::{Args, Lang, Localizer};
use crate::notify::outbox::{self, OutMessage, Priority};
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::StudentId;
use crate::store::users::{self, UserRow};
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};

pub use crate::domain::ids::{ActionId, CaseEventId, CaseId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    New,
    Accepted,
    InProgress,
    ReferredOut,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Accepted => "accepted",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::ReferredOut => "referred_out",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        [CaseStatus::New, CaseStatus::Accepted, CaseStatus::InProgress, CaseStatus::ReferredOut, CaseStatus::Closed]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn message_id(self) -> &'static str {
        match self {
            CaseStatus::New => "case-status-new",
            CaseStatus::Accepted => "case-status-accepted",
            CaseStatus::InProgress => "case-status-in-progress",
            CaseStatus::ReferredOut => "case-status-referred-out",
            CaseStatus::Closed => "case-status-closed",
        }
    }
}

/// Who is helping: the homeroom teacher in class (ช่วยเหลือเบื้องต้น), or the counsellor after a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Classroom,
    Referral,
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Classroom => "classroom",
            CaseKind::Referral => "referral",
        }
    }

    pub fn parse(s: &str) -> Option<CaseKind> {
        [CaseKind::Classroom, CaseKind::Referral].into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a teacher sends a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Target {
    /// A person inside the school (the counsellor by default, the head, or another member of staff).
    Person(UserId),
    /// An outside agency (hospital, social development office, police, local authority): the counsellor
    /// coordinates and records the agency.
    External,
}

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub student: StudentId,
    pub by: UserId,
    pub aspects: Vec<String>,
    pub reason: String,
    pub photo_file_id: Option<String>,
    pub urgency: Urgency,
    pub target: Target,
    pub source_submission: Option<SubmissionId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: CaseId,
    pub student: StudentId,
    pub opened_by: UserId,
    pub owner: UserId,
    pub urgency: Urgency,
    pub status: CaseStatus,
    pub aspects: Vec<String>,
    pub reason: String,
    pub photo_file_id: Option<String>,
    pub external: bool,
    pub external_agency: Option<String>,
    pub outcome: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub accept_by: DateTime<Utc>,
    pub kind: CaseKind,
    /// When help in class was handed to the counsellor (the referral's own date).
    pub referred_at: Option<DateTime<Utc>>,
}

/// A rule's "no" to a change of a case or a plan (see `domain::refusal`): the person is told why and nothing of
/// the change is left behind.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseError {
    #[error("there is no counsellor or head to receive referrals yet")]
    NobodyToReceive,
    #[error("only the case owner can do this")]
    NotOwner,
    #[error("the case is closed")]
    Closed,
    #[error("already done")]
    AlreadyDone,
    #[error("a note is required")]
    NoteRequired,
    #[error("no such case or action")]
    NotFound,
    #[error("not allowed")]
    NotAllowed,
    /// The one rule for owners refuses this person (an admin, a parent, someone revoked).
    #[error("this person cannot own a case or a plan action")]
    CannotOwn,
}

impl Refusal for CaseError {
    fn message_id(&self) -> &'static str {
        match self {
            CaseError::NotOwner => "case-not-owner",
            CaseError::Closed => "case-is-closed",
            CaseError::AlreadyDone => "case-already-done",
            CaseError::NoteRequired => "case-note-required",
            // Nobody learns whether a case they may not open exists.
            CaseError::NotFound | CaseError::NotAllowed => "case-not-allowed",
            CaseError::NobodyToReceive => "refer-nobody-to-receive",
            CaseError::CannotOwn => "owner-not-allowed",
        }
    }
}

/// What a change a rule may refuse returns: the outer `Err` a fault, the inner `Err` the rule's "no".
pub type Decision<T> = anyhow::Result<Result<T, CaseError>>;

/// `?` for a rule's check: a refusal ends the change with `Ok(Err(refusal))`.
macro_rules! or_refuse {
    ($check:expr) => {
        match $check {
            Ok(value) => value,
            Err(refusal) => return Ok(Err(refusal)),
        }
    };
}

/// What every notification needs: the store's transaction, the time, the words.
pub struct Ctx<'a> {
    pub l10n: &'a Localizer,
    pub policy: &'a ReminderPolicy,
    pub now: DateTime<Utc>,
}

impl<'a> Ctx<'a> {
    /// The app's words and reminder policy, at the time of its clock: what a change made now needs.
    pub fn of(app: &'a crate::app::App) -> Ctx<'a> {
        Ctx { l10n: &app.l10n, policy: &app.config.reminders, now: app.clock.now() }
    }
}

pub fn get_case(conn: &Connection, id: CaseId) -> anyhow::Result<Option<CaseRow>> {
    store::cases::get(conn, id)
}

/// The cases a person should see in `/cases`: the head sees every open case; everyone else the open cases they
/// own or watch. Most urgent first, then oldest first.
pub fn cases_for(conn: &Connection, user: &UserRow) -> anyhow::Result<Vec<CaseRow>> {
    if user.role == Role::Head {
        return store::cases::all_open(conn);
    }
    store::cases::open_owned_or_watched_by(conn, user.id)
}

pub fn is_watcher(conn: &Connection, case: CaseId, user: UserId) -> anyhow::Result<bool> {
    store::cases::is_watcher(conn, case, user)
}

/// Who may open a case: its owner, its watchers, the head and the counsellors (who run the care system).
pub fn can_open(conn: &Connection, user: &UserRow, case: &CaseRow) -> anyhow::Result<bool> {
    if user.revoked {
        return Ok(false);
    }
    if case.owner == user.id || matches!(user.role, Role::Head | Role::Counselor) {
        return Ok(true);
    }
    is_watcher(conn, case.id, user.id)
}

fn event(
    tx: &Transaction<'_>,
    case: CaseId,
    actor: Option<UserId>,
    kind: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    event_id(tx, case, actor, kind, detail, now).map(|_| ())
}

/// Append to the chronology (and the audit log) and return the entry's id (a notification's button opens that
/// very entry).
fn event_id(
    tx: &Transaction<'_>,
    case: CaseId,
    actor: Option<UserId>,
    kind: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<CaseEventId> {
    let id = store::chronology::append(tx, case, actor, kind, detail, now)?;
    audit::record(
        tx,
        now,
        Entry {
            actor: actor.map_or(Actor::System, Actor::User),
            action: &format!("case.{kind}"),
            entity: "case",
            entity_id: Some(case.to_string()),
            detail: None,
        },
    )?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub detail: Option<String>,
}

/// One chronology entry of a case (`None` when it belongs to another case: a button cannot be pointed elsewhere).
pub fn case_event(conn: &Connection, case: CaseId, event: CaseEventId) -> anyhow::Result<Option<CaseEvent>> {
    store::chronology::entry(conn, case, event)
}

/// The newest `n` chronology entries, oldest first (the case screen shows them).
pub fn recent_events(conn: &Connection, case: CaseId, n: usize) -> anyhow::Result<Vec<CaseEvent>> {
    let all = chronology(conn, case)?;
    let skip = all.len().saturating_sub(n);
    Ok(all.into_iter().skip(skip).collect())
}

pub fn chronology(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<CaseEvent>> {
    store::chronology::of_case(conn, case)
}

/// A notification to one person, in their language, with one "open" button. No names, no details.
#[allow(clippy::too_many_arguments)] // one call shape for every notification; a builder would only rename it
fn notify(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    to: &UserRow,
    message_id: &str,
    args: Args,
    button: Option<(&str, ButtonData)>,
    priority: Priority,
    dedupe_key: Option<String>,
) -> anyhow::Result<()> {
    if to.revoked {
        return Ok(());
    }
    let tr = ctx.l10n.tr(to.lang);
    let mut msg = OutMessage::text(to.chat_id, Some(to.id), tr.with(message_id, args), ctx.now);
    if let Some((label, data)) = button {
        msg.keyboard = Keyboard::default().row(vec![Button { text: tr.get(label), data: data.encode() }]);
    }
    msg.priority = priority;
    msg.dedupe_key = dedupe_key;
    outbox::enqueue(tx, &msg, ctx.now)?;
    Ok(())
}

fn open_button(case: CaseId) -> Option<(&'static str, ButtonData)> {
    Some(("case-button-open", ButtonData::Case { id: case, action: CaseAction::Open }))
}

/// A notification about one chronology entry (a question, a note) opens that entry, with the case below it.
fn entry_button(case: CaseId, entry: CaseEventId) -> Option<(&'static str, ButtonData)> {
    Some(("case-button-open", ButtonData::Case { id: case, action: CaseAction::Entry(entry) }))
}

fn user(tx: &Connection, id: UserId) -> anyhow::Result<UserRow> {
    users::get(tx, id)?.with_context(|| format!("no user {id}"))
}

/// Staff who can receive a referral, a case or a plan action ([`super::owners`]'s rule), counsellors first,
/// then heads, then teachers. Every one of them: the pickers page through the list.
pub fn staff_who_can_take(conn: &Connection, except: UserId) -> anyhow::Result<Vec<UserRow>> {
    super::owners::candidates(conn, Some(except))
}

fn active_with_role(conn: &Connection, role: Role) -> anyhow::Result<Vec<UserRow>> {
    Ok(users::list(conn)?.into_iter().filter(|u| u.role == role && !u.revoked).collect())
}

/// The aspects a screening flagged (at risk or with a problem), to tick them when help or a referral starts
/// from its result. None for no submission, another student's, or one without a score.
pub fn flagged_aspects(
    conn: &Connection,
    student: StudentId,
    submission: Option<SubmissionId>,
) -> anyhow::Result<Vec<String>> {
    let Some(id) = submission else { return Ok(vec![]) };
    let Some(score) = store::sources::score_of_submission(conn, id, student)? else { return Ok(vec![]) };
    // A score this version cannot read (an older form's) ticks nothing: the teacher ticks by hand.
    let Ok(score) = serde_json::from_str::<ScoreResult>(&score) else { return Ok(vec![]) };
    Ok(score.aspects.iter().filter(|a| a.group.is_some_and(|g| g > Group::Normal)).map(|a| a.id.clone()).collect())
}

/// The student a submitted form is about (`None`: no such submission — a stale button).
pub fn student_of_submission(conn: &Connection, submission: SubmissionId) -> anyhow::Result<Option<StudentId>> {
    store::sources::student_of_submission(conn, submission)
}

/// Open a case from a referral: the case, its watchers, the first chronology entry, the owner's notification,
/// the head's alert for a very urgent one, and the acceptance deadline — all in one transaction.
pub fn open_referral(tx: &Transaction<'_>, ctx: &Ctx<'_>, r: &NewReferral) -> Decision<CaseId> {
    let owner = match r.target {
        Target::Person(id) => user(tx, id)?,
        Target::External => {
            let first = active_with_role(tx, Role::Counselor)?.into_iter().next();
            let first = match first {
                Some(counsellor) => Some(counsellor),
                None => active_with_role(tx, Role::Head)?.into_iter().next(),
            };
            or_refuse!(first.ok_or(CaseError::NobodyToReceive))
        }
    };
    if !super::owners::may_own(&owner) {
        return Ok(Err(CaseError::CannotOwn));
    }
    let accept_by = ctx.now + ctx.policy.accept_within(r.urgency);
    let case = store::cases::insert_referral(
        tx,
        &store::cases::NewCase {
            student: r.student,
            opened_by: r.by,
            owner: owner.id,
            urgency: r.urgency,
            aspects: &r.aspects,
            reason: &r.reason,
            photo_file_id: r.photo_file_id.as_deref(),
            external: r.target == Target::External,
            source_submission: r.source_submission,
            opened_at: ctx.now,
            accept_by,
        },
    )?;
    let heads = active_with_role(tx, Role::Head)?;
    let mut watchers = vec![r.by];
    watchers.extend(heads.iter().map(|h| h.id));
    for w in watchers.into_iter().filter(|w| *w != owner.id) {
        store::cases::add_watcher(tx, case, w)?;
    }
    event(tx, case, Some(r.by), "opened", Some(r.urgency.as_str()), ctx.now)?;

    notify_new_owner(tx, ctx, case, &owner, &heads, r.urgency, accept_by)?;
    Ok(Ok(case))
}

/// A referral reaches its owner: the owner is notified at once, the heads alerted when it is very urgent, and the
/// acceptance deadline written as a reminder row (the scheduler reminds the owner and alerts the head if the case
/// is still new by then). The same for a new referral and for help in class handed to the counsellor.
fn notify_new_owner(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    case: CaseId,
    owner: &UserRow,
    heads: &[UserRow],
    urgency: Urgency,
    accept_by: DateTime<Utc>,
) -> anyhow::Result<()> {
    let tr = ctx.l10n.tr(owner.lang);
    let priority = if urgency == Urgency::VeryUrgent { Priority::Urgent } else { Priority::Personal };
    notify(
        tx,
        ctx,
        owner,
        "notify-new-referral",
        Args::new().str("urgency", tr.get(urgency.message_id())).num("case", case.0),
        open_button(case),
        priority,
        Some(format!("case:{case}:new")),
    )?;
    if urgency == Urgency::VeryUrgent {
        for head in heads.iter().filter(|h| h.id != owner.id) {
            notify(
                tx,
                ctx,
                head,
                "alert-very-urgent",
                Args::new().num("case", case.0),
                open_button(case),
                Priority::Urgent,
                Some(format!("case:{case}:alert:{}", head.id)),
            )?;
        }
    }
    store::reminders::plan_acceptance(tx, case, accept_by)
}

/// The case, if it exists and is not closed.
fn load_open_case(tx: &Connection, id: CaseId) -> Decision<CaseRow> {
    let Some(case) = get_case(tx, id)? else { return Ok(Err(CaseError::NotFound)) };
    if case.status == CaseStatus::Closed {
        return Ok(Err(CaseError::Closed));
    }
    Ok(Ok(case))
}

fn require_owner(case: &CaseRow, actor: UserId) -> Result<(), CaseError> {
    if case.owner != actor {
        return Err(CaseError::NotOwner);
    }
    Ok(())
}

/// The owner accepts (รับเรื่อง). The referring teacher is told.
pub fn accept(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: UserId) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if case.status != CaseStatus::New {
        return Ok(Err(CaseError::AlreadyDone));
    }
    store::cases::mark_accepted(tx, id, ctx.now)?;
    store::reminders::cancel_acceptance(tx, id, ctx.now)?;
    event(tx, id, Some(actor), "accepted", None, ctx.now)?;
    let referrer = user(tx, case.opened_by)?;
    notify(
        tx,
        ctx,
        &referrer,
        "notify-referral-accepted",
        Args::new().num("case", id.0),
        open_button(id),
        Priority::Personal,
        Some(format!("case:{id}:accepted")),
    )?;
    Ok(Ok(()))
}

/// The owner asks the referring teacher for more information; the question goes into the chronology.
pub fn ask_for_information(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    question: &str,
) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if case.opened_by == actor {
        // Help in class: the teacher who would be asked is the owner.
        return Ok(Err(CaseError::NotAllowed));
    }
    let entry = event_id(tx, id, Some(actor), "question", Some(question), ctx.now)?;
    let referrer = user(tx, case.opened_by)?;
    notify(
        tx,
        ctx,
        &referrer,
        "notify-more-information",
        Args::new().num("case", id.0),
        entry_button(id, entry),
        Priority::Personal,
        None,
    )?;
    Ok(Ok(()))
}

/// Anyone who may open the case adds a note (the referring teacher answering a question, the owner's progress).
pub fn add_note(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: &UserRow, note: &str) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    if !can_open(tx, actor, &case)? {
        return Ok(Err(CaseError::NotAllowed));
    }
    let entry = event_id(tx, id, Some(actor.id), "note", Some(note), ctx.now)?;
    // The owner hears about notes from others (e.g. the answer to their question).
    if actor.id != case.owner {
        let owner = user(tx, case.owner)?;
        notify(
            tx,
            ctx,
            &owner,
            "notify-case-note",
            Args::new().num("case", id.0),
            entry_button(id, entry),
            Priority::Personal,
            None,
        )?;
    }
    Ok(Ok(()))
}

/// Hand the case to someone else; the old owner keeps watching. The new owner gets a fresh acceptance deadline:
/// the case is theirs to accept (รับเรื่อง), whatever state it was in, and the clock starts now.
pub fn hand_over(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: UserId, to: UserId) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if case.kind == CaseKind::Classroom {
        // Help in class goes to the counsellor through `refer_classroom_case` (deadline, notifications).
        return Ok(Err(CaseError::NotAllowed));
    }
    // The one rule, checked again after the press: the button's data may have been edited.
    let new_owner = or_refuse!(super::owners::admitted(tx, to)?.ok_or(CaseError::CannotOwn));
    if to == actor {
        return Ok(Err(CaseError::NotAllowed));
    }
    store::cases::add_watcher(tx, id, actor)?;
    transfer_case(tx, ctx, &case, &new_owner, Some(actor), "handed_over", &new_owner.display_name)?;
    Ok(Ok(()))
}

/// Give a case a new owner: a fresh acceptance deadline (its reminder row too), the chronology entry and the
/// new owner's notification, in the caller's transaction.
fn transfer_case(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    case: &CaseRow,
    new_owner: &UserRow,
    actor: Option<UserId>,
    kind: &str,
    detail: &str,
) -> anyhow::Result<()> {
    let id = case.id;
    let accept_by = ctx.now + ctx.policy.accept_within(case.urgency);
    store::cases::give_to(tx, id, new_owner.id, accept_by)?;
    store::cases::remove_watcher(tx, id, new_owner.id)?;
    store::reminders::cancel_acceptance(tx, id, ctx.now)?;
    store::reminders::plan_acceptance(tx, id, accept_by)?;
    event(tx, id, actor, kind, Some(detail), ctx.now)?;
    let tr = ctx.l10n.tr(new_owner.lang);
    notify(
        tx,
        ctx,
        new_owner,
        "notify-new-referral",
        Args::new().str("urgency", tr.get(case.urgency.message_id())).num("case", id.0),
        open_button(id),
        if case.urgency == Urgency::VeryUrgent { Priority::Urgent } else { Priority::Personal },
        None,
    )
}

/// What [`hand_over_work`] moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandedOver {
    pub cases: Vec<CaseId>,
    pub actions: Vec<ActionId>,
    /// Who received them; `None` when there was no counsellor or head to take them (then nothing moved).
    pub to: Option<UserId>,
}

/// Someone left (revoked): their open cases and open plan actions go to the counsellor, else the head, each
/// with a chronology entry and a notification. Their action reminders follow the actions (the reminder rows
/// are the action's, the recipient is read when they are due). In the caller's transaction.
pub fn hand_over_work(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    leaving: &UserRow,
    by: Option<UserId>,
) -> anyhow::Result<HandedOver> {
    let cases = store::cases::open_owned_by(tx, leaving.id)?;
    let actions = store::actions::open_in_open_cases_owned_by(tx, leaving.id)?;
    let mut moved = HandedOver::default();
    if cases.is_empty() && actions.is_empty() {
        return Ok(moved);
    }
    let Some(successor) = super::owners::successor(tx, leaving.id)? else {
        // Nobody to take them: they stay where they are (listed for the admin, who appoints a counsellor).
        moved.cases = cases.iter().map(|c| c.id).collect();
        moved.actions = actions.iter().map(|a| a.id).collect();
        return Ok(moved);
    };
    moved.to = Some(successor.id);
    let detail = format!("{} → {}", leaving.display_name, successor.display_name);
    for case in &cases {
        transfer_case(tx, ctx, case, &successor, by, "owner_left", &detail)?;
        moved.cases.push(case.id);
    }
    for action in &actions {
        store::actions::set_owner(tx, action.id, successor.id)?;
        // Reminders of the leaver still waiting in the outbox go nowhere; the rows send to the new owner.
        outbox::cancel_pending(tx, &format!("action:{}:", action.id))?;
        // The schema's foreign key keeps every action's case: a missing one is a fault, not a rule.
        let case = get_case(tx, action.case)?
            .with_context(|| format!("plan action {} has no case {}", action.id, action.case))?;
        if case.owner != successor.id {
            store::cases::add_watcher(tx, case.id, successor.id)?;
        }
        event(tx, action.case, by, "action_owner_left", Some(&format!("{}: {detail}", action.description)), ctx.now)?;
        moved.actions.push(action.id);
    }
    if let Some(first) = actions.first() {
        notify(
            tx,
            ctx,
            &successor,
            "notify-actions-handed-over",
            Args::new().num("count", actions.len() as i64),
            Some(("case-button-my-actions", ButtonData::Case { id: first.case, action: CaseAction::Open })),
            Priority::Personal,
            None,
        )?;
    }
    Ok(moved)
}

/// In progress, or referred to an outside agency (recorded).
pub fn update_status(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    status: CaseStatus,
    agency: Option<&str>,
) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if matches!(status, CaseStatus::New | CaseStatus::Closed) {
        return Ok(Err(CaseError::NotAllowed));
    }
    store::cases::set_status(tx, id, status)?;
    if let Some(agency) = agency {
        store::cases::set_external_agency(tx, id, agency)?;
    }
    event(tx, id, Some(actor), status.as_str(), agency, ctx.now)?;
    Ok(Ok(()))
}

/// Close with an outcome note (required). Every open action is cancelled and its reminders stop; the
/// referring teacher is told (the return slip), with the outcome shown when they open the case.
pub fn close(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: UserId, outcome: &str) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if outcome.trim().is_empty() {
        return Ok(Err(CaseError::NoteRequired));
    }
    store::cases::mark_closed(tx, id, outcome.trim(), ctx.now)?;
    for action in store::actions::open_ids_of_case(tx, id)? {
        store::actions::mark_cancelled(tx, action, ctx.now)?;
        stop_reminders(tx, action, ctx.now)?;
    }
    store::reminders::cancel_acceptance(tx, id, ctx.now)?;
    event(tx, id, Some(actor), "closed", Some(outcome.trim()), ctx.now)?;
    let referrer = user(tx, case.opened_by)?;
    notify(
        tx,
        ctx,
        &referrer,
        "notify-case-closed",
        Args::new().num("case", id.0),
        open_button(id),
        Priority::Personal,
        Some(format!("case:{id}:closed")),
    )?;
    Ok(Ok(()))
}

// ----------------------------------------------------------------------------------------------------------
// The help plan

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub goal: String,
    pub review_on: Option<NaiveDate>,
}

pub fn plan_of(conn: &Connection, case: CaseId) -> anyhow::Result<Option<Plan>> {
    store::plans::of_case(conn, case)
}

/// When the plan is reviewed (needs a goal first).
pub fn set_review_date(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    review_on: NaiveDate,
) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if !store::plans::set_review_date(tx, id, review_on, ctx.now)? {
        return Ok(Err(CaseError::NotFound));
    }
    event(tx, id, Some(actor), "plan_review", Some(&review_on.to_string()), ctx.now)?;
    Ok(Ok(()))
}

pub fn set_goal(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    goal: &str,
    review_on: Option<NaiveDate>,
) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    store::plans::set_goal(tx, id, goal, review_on, ctx.now)?;
    event(tx, id, Some(actor), "plan_goal", Some(goal), ctx.now)?;
    Ok(Ok(()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub id: ActionId,
    pub case: CaseId,
    pub description: String,
    pub owner: UserId,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub done_note: Option<String>,
}

pub fn get_action(conn: &Connection, id: ActionId) -> anyhow::Result<Option<ActionRow>> {
    store::actions::get(conn, id)
}

pub fn actions_of(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<ActionRow>> {
    store::actions::of_case(conn, case)
}

/// A student's cases that are not closed, newest first (the /student screen names them).
pub fn open_cases_of_student(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<CaseRow>> {
    store::cases::open_of_student(conn, student)
}

/// A person's open actions, soonest first (`/plans`).
pub fn open_actions_for(conn: &Connection, owner: UserId) -> anyhow::Result<Vec<ActionRow>> {
    store::actions::open_owned_by(conn, owner)
}

/// Write an action's reminder rows. Times already past when the action is created or moved are left out: a
/// "3 days before" for an action due tomorrow would only be noise.
fn schedule_reminders(tx: &Transaction<'_>, action: ActionId, due_on: NaiveDate, ctx: &Ctx<'_>) -> anyhow::Result<()> {
    let calendar = crate::store::holidays::calendar(tx, ctx.policy.skip_weekends)?;
    for (kind, at) in action_schedule(due_on, ctx.policy, &calendar).into_iter().filter(|(_, at)| *at > ctx.now) {
        store::reminders::plan_for_action(tx, action, &kind.code(), at)?;
    }
    Ok(())
}

/// Move the pending reminders of every open action onto the school's calendar as it is now — after a holiday
/// was added or removed. A kind already sent is not sent again. Returns how many actions changed.
pub fn replan_open_actions(tx: &Transaction<'_>, policy: &ReminderPolicy, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let calendar = crate::store::holidays::calendar(tx, policy.skip_weekends)?;
    let mut changed = 0;
    for (action, due_on) in store::actions::open_in_open_cases(tx)? {
        let done = store::reminders::kinds_done_of_action(tx, action)?;
        let wanted: Vec<PendingReminder> = action_schedule(due_on, policy, &calendar)
            .into_iter()
            .filter(|(kind, at)| *at > now && !done.contains(&kind.code()))
            .map(|(kind, at)| PendingReminder { kind: kind.code(), due_at: at })
            .collect();
        let pending = store::reminders::pending_of_action(tx, action)?;
        let mut moved = false;
        for reminder in pending.iter().filter(|r| !wanted.contains(r)) {
            store::reminders::cancel_pending_one(tx, action, reminder, now)?;
            moved = true;
        }
        for reminder in wanted.iter().filter(|r| !pending.contains(r)) {
            store::reminders::plan_for_action(tx, action, &reminder.kind, reminder.due_at)?;
            moved = true;
        }
        changed += usize::from(moved);
    }
    Ok(changed)
}

/// Stop every pending reminder of an action, and any of its reminder messages still waiting in the outbox.
fn stop_reminders(tx: &Transaction<'_>, action: ActionId, now: DateTime<Utc>) -> anyhow::Result<()> {
    store::reminders::cancel_pending_of_action(tx, action, now)?;
    outbox::cancel_pending(tx, &format!("action:{action}:"))?;
    Ok(())
}

/// Add an action to the plan: who does what by when. Its reminders are written at once.
pub fn add_action(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    description: &str,
    owner: UserId,
    due_on: NaiveDate,
) -> Decision<ActionId> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    // The one rule, checked again after the press: the button's data may have been edited.
    let responsible = or_refuse!(super::owners::admitted(tx, owner)?.ok_or(CaseError::CannotOwn));
    let action = store::actions::insert(tx, id, description, owner, due_on, actor, ctx.now)?;
    if case.status == CaseStatus::Accepted {
        store::cases::set_status(tx, id, CaseStatus::InProgress)?;
    }
    // The responsible person becomes a watcher, so they can open the case from a reminder.
    if owner != case.owner {
        store::cases::add_watcher(tx, id, owner)?;
    }
    schedule_reminders(tx, action, due_on, ctx)?;
    event(tx, id, Some(actor), "action_added", Some(&format!("{description} ({due_on})")), ctx.now)?;
    if owner != actor {
        let tr = ctx.l10n.tr(responsible.lang);
        notify(
            tx,
            ctx,
            &responsible,
            "notify-action-assigned",
            Args::new().str("due", tr.date(due_on)),
            Some(("case-button-my-actions", ButtonData::Case { id, action: CaseAction::Open })),
            Priority::Personal,
            None,
        )?;
    }
    Ok(Ok(action))
}

/// The action and its case, if the action is still open, its case not closed, and `actor` the responsible
/// person or the case owner.
fn load_open_action(tx: &Connection, id: ActionId, actor: UserId) -> Decision<(ActionRow, CaseRow)> {
    let Some(action) = get_action(tx, id)? else { return Ok(Err(CaseError::NotFound)) };
    let Some(case) = get_case(tx, action.case)? else { return Ok(Err(CaseError::NotFound)) };
    if action.status != "open" {
        return Ok(Err(CaseError::AlreadyDone));
    }
    if case.status == CaseStatus::Closed {
        return Ok(Err(CaseError::Closed));
    }
    // The responsible person or the case owner.
    if action.owner != actor && case.owner != actor {
        return Ok(Err(CaseError::NotAllowed));
    }
    Ok(Ok((action, case)))
}

/// Mark an action done (with an optional note); its reminders stop.
pub fn complete_action(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: ActionId,
    actor: UserId,
    note: Option<&str>,
) -> Decision<()> {
    let (action, case) = or_refuse!(load_open_action(tx, id, actor)?);
    store::actions::mark_done(tx, id, note, ctx.now)?;
    stop_reminders(tx, id, ctx.now)?;
    let detail = match note {
        Some(n) => format!("{}: {n}", action.description),
        None => action.description.clone(),
    };
    event(tx, case.id, Some(actor), "action_done", Some(&detail), ctx.now)?;
    Ok(Ok(()))
}

/// Cancel an action (the owner of the case); its reminders stop.
pub fn cancel_action(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: ActionId, actor: UserId) -> Decision<()> {
    let (action, case) = or_refuse!(load_open_action(tx, id, actor)?);
    or_refuse!(require_owner(&case, actor));
    store::actions::mark_cancelled(tx, id, ctx.now)?;
    stop_reminders(tx, id, ctx.now)?;
    event(tx, case.id, Some(actor), "action_cancelled", Some(&action.description), ctx.now)?;
    Ok(Ok(()))
}

/// Move an action's due date, with a reason for the chronology. The reminders start again for the new date.
pub fn reschedule_action(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: ActionId,
    actor: UserId,
    due_on: NaiveDate,
    reason: &str,
) -> Decision<()> {
    let (action, case) = or_refuse!(load_open_action(tx, id, actor)?);
    if reason.trim().is_empty() {
        return Ok(Err(CaseError::NoteRequired));
    }
    stop_reminders(tx, id, ctx.now)?;
    store::actions::set_due_on(tx, id, due_on)?;
    schedule_reminders(tx, id, due_on, ctx)?;
    let detail = format!("{}: {} → {due_on} ({})", action.description, action.due_on, reason.trim());
    event(tx, case.id, Some(actor), "action_rescheduled", Some(&detail), ctx.now)?;
    Ok(Ok(()))
}

// ----------------------------------------------------------------------------------------------------------
// Help by the homeroom teacher (ช่วยเหลือเบื้องต้น)

/// What the homeroom teacher starts help in class with.
#[derive(Debug, Clone)]
pub struct NewClassroomHelp {
    pub student: StudentId,
    pub teacher: UserId,
    pub aspects: Vec<String>,
    pub reason: String,
    pub source_submission: Option<SubmissionId>,
}

/// The homeroom teacher opens help for a student of their own class: a case they own, already in progress,
/// with no acceptance deadline and no notification (nobody else is asked to do anything yet). The access
/// check (their own class) is the caller's, through the care policy.
pub fn open_classroom(tx: &Transaction<'_>, ctx: &Ctx<'_>, h: &NewClassroomHelp) -> Decision<CaseId> {
    let teacher = user(tx, h.teacher)?;
    if teacher.revoked || teacher.role != Role::Teacher {
        return Ok(Err(CaseError::NotAllowed));
    }
    let case =
        store::cases::insert_classroom(tx, h.student, h.teacher, &h.aspects, &h.reason, h.source_submission, ctx.now)?;
    event(tx, case, Some(h.teacher), "classroom_opened", None, ctx.now)?;
    Ok(Ok(case))
}

/// The open case of a student, if any (help is not opened twice for one student).
pub fn open_case_of(conn: &Connection, student: StudentId) -> anyhow::Result<Option<CaseRow>> {
    store::cases::newest_open_of_student(conn, student)
}

/// Who help in class can go to: the counsellors, then the heads.
pub fn counsellors(conn: &Connection) -> anyhow::Result<Vec<UserRow>> {
    let mut people = active_with_role(conn, Role::Counselor)?;
    people.extend(active_with_role(conn, Role::Head)?);
    people.truncate(20);
    Ok(people)
}

/// "ส่งต่อ" from help in class: the same case, with its chronology, plan and actions, becomes a referral to the
/// counsellor — the owner changes, the acceptance deadline starts, the counsellor is notified as for any
/// referral (the head too when very urgent), and the teacher keeps watching as the referring teacher.
pub fn refer_classroom_case(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    to: UserId,
    urgency: Urgency,
) -> Decision<()> {
    let case = or_refuse!(load_open_case(tx, id)?);
    or_refuse!(require_owner(&case, actor));
    if case.kind != CaseKind::Classroom {
        return Ok(Err(CaseError::AlreadyDone));
    }
    let owner = user(tx, to)?;
    if owner.revoked || !matches!(owner.role, Role::Counselor | Role::Head) {
        return Ok(Err(CaseError::NotAllowed));
    }
    let accept_by = ctx.now + ctx.policy.accept_within(urgency);
    store::cases::make_referral(tx, id, to, urgency, accept_by, ctx.now)?;
    let heads = active_with_role(tx, Role::Head)?;
    let mut watchers = vec![actor];
    watchers.extend(heads.iter().map(|h| h.id));
    for w in watchers.into_iter().filter(|w| *w != owner.id) {
        store::cases::add_watcher(tx, id, w)?;
    }
    store::cases::remove_watcher(tx, id, to)?;
    event(tx, id, Some(actor), "referred", Some(&owner.display_name), ctx.now)?;
    notify_new_owner(tx, ctx, id, &owner, &heads, urgency, accept_by)?;
    Ok(Ok(()))
}

/// Which language a person reads, for texts built outside a chat (the CLI, reports).
pub fn lang_of(conn: &Connection, id: UserId) -> anyhow::Result<Lang> {
    Ok(users::get(conn, id)?.map_or(Lang::Th, |u| u.lang))
}

/// The kind of reminder a row is, when it is one of an action's.
pub fn action_reminder_kind(code: &str) -> Option<ActionReminder> {
    ActionReminder::parse(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_explained_in_both_languages() {
        let l10n = Localizer::load().expect("locales");
        let all = [
            CaseError::NobodyToReceive,
            CaseError::NotOwner,
            CaseError::Closed,
            CaseError::AlreadyDone,
            CaseError::NoteRequired,
            CaseError::NotFound,
            CaseError::NotAllowed,
            CaseError::CannotOwn,
        ];
        for refusal in all {
            for lang in [Lang::Th, Lang::En] {
                assert!(l10n.has(lang, refusal.message_id()), "{refusal:?} in {lang:?}");
            }
        }
        // Nobody learns whether a case they may not open exists: "not found" reads as "not allowed".
        assert_eq!(CaseError::NotFound.message_id(), CaseError::NotAllowed.message_id());
    }
}
