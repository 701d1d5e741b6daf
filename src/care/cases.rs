//! Referrals (ส่งต่อ) and the cases they open: one owner, watchers, an append-only chronology, a help plan with
//! actions, and the notifications each change implies — written to the outbox in the same transaction.
//!
//! Notification texts never carry a student's name or any detail: phones show message previews on the lock
//! screen. The details are shown only when the person opens the case in the chat, after a rights check.

use super::schedule::{ActionReminder, ReminderPolicy, Urgency, action_schedule};
use crate::chat_ui::buttons::{ButtonData, CaseAction};
use crate::chat_ui::{Button, Keyboard};
use crate::domain::{Role, UserId};
use crate::l10n::{Args, Lang, Localizer};
use crate::notify::outbox::{self, OutMessage, Priority};
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::StudentId;
use crate::store::users::{self, UserRow};
use crate::store::{instant, parse_instant};
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub use crate::domain::ids::{ActionId, CaseId};

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
    pub source_submission: Option<i64>,
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

/// What every notification needs: the store's transaction, the time, the words.
pub struct Ctx<'a> {
    pub l10n: &'a Localizer,
    pub policy: &'a ReminderPolicy,
    pub now: DateTime<Utc>,
}

const CASE_SELECT: &str = "SELECT id, student_id, opened_by, owner_id, urgency, status, aspects, reason, photo_file_id,
        external, external_agency, outcome, opened_at, accept_by, kind, referred_at FROM cases";

fn case_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CaseRow, String, String)> {
    let urgency: String = r.get(4)?;
    let status: String = r.get(5)?;
    let aspects: String = r.get(6)?;
    let kind: String = r.get(14)?;
    let referred_at: Option<String> = r.get(15)?;
    Ok((
        CaseRow {
            id: CaseId(r.get(0)?),
            student: StudentId(r.get(1)?),
            opened_by: UserId(r.get(2)?),
            owner: UserId(r.get(3)?),
            urgency: Urgency::parse(&urgency).unwrap_or(Urgency::Normal),
            status: CaseStatus::parse(&status).unwrap_or(CaseStatus::New),
            aspects: serde_json::from_str(&aspects).unwrap_or_default(),
            reason: r.get(7)?,
            photo_file_id: r.get(8)?,
            external: r.get(9)?,
            external_agency: r.get(10)?,
            outcome: r.get(11)?,
            opened_at: DateTime::<Utc>::MIN_UTC,
            accept_by: DateTime::<Utc>::MIN_UTC,
            kind: CaseKind::parse(&kind).unwrap_or(CaseKind::Referral),
            referred_at: referred_at.and_then(|at| parse_instant(&at).ok()),
        },
        r.get(12)?,
        r.get(13)?,
    ))
}

pub fn get_case(conn: &Connection, id: CaseId) -> anyhow::Result<Option<CaseRow>> {
    let row = conn.query_row(&format!("{CASE_SELECT} WHERE id = ?1"), [id.0], case_from_row).optional()?;
    row.map(|(mut case, opened, accept_by)| {
        case.opened_at = parse_instant(&opened)?;
        case.accept_by = parse_instant(&accept_by)?;
        Ok(case)
    })
    .transpose()
}

fn collect_cases(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> anyhow::Result<Vec<CaseRow>> {
    let mut stmt = conn.prepare(sql)?;
    let rows: Vec<(CaseRow, String, String)> = stmt.query_map(params, case_from_row)?.collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(mut case, opened, accept_by)| {
            case.opened_at = parse_instant(&opened)?;
            case.accept_by = parse_instant(&accept_by)?;
            Ok(case)
        })
        .collect()
}

/// The cases a person should see in `/cases`: the head sees every open case; everyone else the open cases they
/// own or watch. Most urgent first, then oldest first.
pub fn cases_for(conn: &Connection, user: &UserRow) -> anyhow::Result<Vec<CaseRow>> {
    let order = "ORDER BY CASE urgency WHEN 'very_urgent' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, opened_at";
    if user.role == Role::Head {
        return collect_cases(conn, &format!("{CASE_SELECT} WHERE status != 'closed' {order}"), []);
    }
    collect_cases(
        conn,
        &format!(
            "{CASE_SELECT} WHERE status != 'closed' AND (owner_id = ?1 OR id IN
               (SELECT case_id FROM case_watchers WHERE user_id = ?1)) {order}"
        ),
        [user.id.0],
    )
}

pub fn is_watcher(conn: &Connection, case: CaseId, user: UserId) -> anyhow::Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM case_watchers WHERE case_id = ?1 AND user_id = ?2", params![case.0, user.0], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
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

/// Append to the chronology and return the entry's id (a notification's button opens that very entry).
fn event_id(
    tx: &Transaction<'_>,
    case: CaseId,
    actor: Option<UserId>,
    kind: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<i64> {
    tx.execute(
        "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case.0, instant(now), actor.map(|a| a.0), kind, detail],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(
        tx,
        now,
        Entry {
            actor: actor.map_or(Actor::System, Actor::User),
            action: &format!("case.{kind}"),
            entity: "case",
            entity_id: Some(case.0.to_string()),
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
pub fn case_event(conn: &Connection, case: CaseId, event: i64) -> anyhow::Result<Option<CaseEvent>> {
    let row: Option<(String, Option<String>, String, Option<String>)> = conn
        .query_row(
            "SELECT e.at, u.display_name, e.kind, e.detail FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
             WHERE e.case_id = ?1 AND e.id = ?2",
            params![case.0, event],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    row.map(|(at, actor_name, kind, detail)| Ok(CaseEvent { at: parse_instant(&at)?, actor_name, kind, detail }))
        .transpose()
}

/// The newest `n` chronology entries, oldest first (the case screen shows them).
pub fn recent_events(conn: &Connection, case: CaseId, n: usize) -> anyhow::Result<Vec<CaseEvent>> {
    let all = chronology(conn, case)?;
    let skip = all.len().saturating_sub(n);
    Ok(all.into_iter().skip(skip).collect())
}

pub fn chronology(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<CaseEvent>> {
    let mut stmt = conn.prepare(
        "SELECT e.at, u.display_name, e.kind, e.detail FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.case_id = ?1 ORDER BY e.id",
    )?;
    let rows: Vec<(String, Option<String>, String, Option<String>)> =
        stmt.query_map([case.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(at, actor_name, kind, detail)| Ok(CaseEvent { at: parse_instant(&at)?, actor_name, kind, detail }))
        .collect()
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
    Some(("case-button-open", ButtonData::Case { id: case.0, action: CaseAction::Open }))
}

/// A notification about one chronology entry (a question, a note) opens that entry, with the case below it.
fn entry_button(case: CaseId, entry: i64) -> Option<(&'static str, ButtonData)> {
    Some(("case-button-open", ButtonData::Case { id: case.0, action: CaseAction::Entry(entry) }))
}

fn user(tx: &Connection, id: UserId) -> anyhow::Result<UserRow> {
    users::get(tx, id)?.with_context(|| format!("no user {}", id.0))
}

/// Staff who can receive a referral, a case or a plan action ([`super::owners`]'s rule), counsellors first,
/// then heads, then teachers. Every one of them: the pickers page through the list.
pub fn staff_who_can_take(conn: &Connection, except: UserId) -> anyhow::Result<Vec<UserRow>> {
    super::owners::candidates(conn, Some(except))
}

fn active_with_role(conn: &Connection, role: Role) -> anyhow::Result<Vec<UserRow>> {
    Ok(users::list(conn)?.into_iter().filter(|u| u.role == role && !u.revoked).collect())
}

/// Open a case from a referral: the case, its watchers, the first chronology entry, the owner's notification,
/// the head's alert for a very urgent one, and the acceptance deadline — all in one transaction.
pub fn open_referral(tx: &Transaction<'_>, ctx: &Ctx<'_>, r: &NewReferral) -> anyhow::Result<CaseId> {
    let owner = match r.target {
        Target::Person(id) => user(tx, id)?,
        Target::External => active_with_role(tx, Role::Counselor)?
            .into_iter()
            .next()
            .or(active_with_role(tx, Role::Head)?.into_iter().next())
            .ok_or(CaseError::NobodyToReceive)?,
    };
    if !super::owners::may_own(&owner) {
        return Err(CaseError::CannotOwn.into());
    }
    let accept_by = ctx.now + ctx.policy.accept_within(r.urgency);
    tx.execute(
        "INSERT INTO cases (student_id, opened_by, owner_id, urgency, aspects, reason, photo_file_id, external,
                            source_submission_id, opened_at, accept_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            r.student.0,
            r.by.0,
            owner.id.0,
            r.urgency.as_str(),
            serde_json::to_string(&r.aspects)?,
            r.reason,
            r.photo_file_id,
            r.target == Target::External,
            r.source_submission,
            instant(ctx.now),
            instant(accept_by)
        ],
    )?;
    let case = CaseId(tx.last_insert_rowid());
    let heads = active_with_role(tx, Role::Head)?;
    let mut watchers = vec![r.by];
    watchers.extend(heads.iter().map(|h| h.id));
    for w in watchers.into_iter().filter(|w| *w != owner.id) {
        tx.execute("INSERT OR IGNORE INTO case_watchers (case_id, user_id) VALUES (?1, ?2)", params![case.0, w.0])?;
    }
    event(tx, case, Some(r.by), "opened", Some(r.urgency.as_str()), ctx.now)?;

    notify_new_owner(tx, ctx, case, &owner, &heads, r.urgency, accept_by)?;
    Ok(case)
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
        Some(format!("case:{}:new", case.0)),
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
                Some(format!("case:{}:alert:{}", case.0, head.id.0)),
            )?;
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO reminders (subject, subject_id, kind, due_at) VALUES ('acceptance', ?1, 'sla', ?2)",
        params![case.0, instant(accept_by)],
    )?;
    Ok(())
}

fn load_open_case(tx: &Connection, id: CaseId) -> anyhow::Result<CaseRow> {
    let case = get_case(tx, id)?.ok_or(CaseError::NotFound)?;
    if case.status == CaseStatus::Closed {
        return Err(CaseError::Closed.into());
    }
    Ok(case)
}

fn require_owner(case: &CaseRow, actor: UserId) -> anyhow::Result<()> {
    if case.owner != actor {
        return Err(CaseError::NotOwner.into());
    }
    Ok(())
}

fn set_status(tx: &Transaction<'_>, case: CaseId, status: CaseStatus) -> anyhow::Result<()> {
    tx.execute("UPDATE cases SET status = ?2 WHERE id = ?1", params![case.0, status.as_str()])?;
    Ok(())
}

/// The owner accepts (รับเรื่อง). The referring teacher is told.
pub fn accept(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: UserId) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    if case.status != CaseStatus::New {
        return Err(CaseError::AlreadyDone.into());
    }
    tx.execute(
        "UPDATE cases SET status = 'accepted', accepted_at = ?2 WHERE id = ?1",
        params![id.0, instant(ctx.now)],
    )?;
    tx.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?2
         WHERE subject = 'acceptance' AND subject_id = ?1 AND status = 'pending'",
        params![id.0, instant(ctx.now)],
    )?;
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
        Some(format!("case:{}:accepted", id.0)),
    )
}

/// The owner asks the referring teacher for more information; the question goes into the chronology.
pub fn ask_for_information(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    question: &str,
) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    if case.opened_by == actor {
        // Help in class: the teacher who would be asked is the owner.
        return Err(CaseError::NotAllowed.into());
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
    )
}

/// Anyone who may open the case adds a note (the referring teacher answering a question, the owner's progress).
pub fn add_note(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: &UserRow, note: &str) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    if !can_open(tx, actor, &case)? {
        return Err(CaseError::NotAllowed.into());
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
    Ok(())
}

/// Hand the case to someone else; the old owner keeps watching. The new owner gets a fresh acceptance deadline:
/// the case is theirs to accept (รับเรื่อง), whatever state it was in, and the clock starts now.
pub fn hand_over(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: UserId, to: UserId) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    if case.kind == CaseKind::Classroom {
        // Help in class goes to the counsellor through `refer_classroom_case` (deadline, notifications).
        return Err(CaseError::NotAllowed.into());
    }
    // The one rule, checked again after the press: the button's data may have been edited.
    let new_owner = super::owners::admitted(tx, to)?.ok_or(CaseError::CannotOwn)?;
    if to == actor {
        return Err(CaseError::NotAllowed.into());
    }
    tx.execute("INSERT OR IGNORE INTO case_watchers (case_id, user_id) VALUES (?1, ?2)", params![id.0, actor.0])?;
    transfer_case(tx, ctx, &case, &new_owner, Some(actor), "handed_over", &new_owner.display_name)
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
    tx.execute(
        "UPDATE cases SET owner_id = ?2, status = 'new', accepted_at = NULL, accept_by = ?3 WHERE id = ?1",
        params![id.0, new_owner.id.0, instant(accept_by)],
    )?;
    tx.execute("DELETE FROM case_watchers WHERE case_id = ?1 AND user_id = ?2", params![id.0, new_owner.id.0])?;
    tx.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?2
         WHERE subject = 'acceptance' AND subject_id = ?1 AND status = 'pending'",
        params![id.0, instant(ctx.now)],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO reminders (subject, subject_id, kind, due_at) VALUES ('acceptance', ?1, 'sla', ?2)",
        params![id.0, instant(accept_by)],
    )?;
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
    let cases: Vec<CaseRow> = collect_cases(
        tx,
        &format!("{CASE_SELECT} WHERE owner_id = ?1 AND status != 'closed' ORDER BY id"),
        [leaving.id.0],
    )?;
    let actions: Vec<ActionRow> = {
        let mut stmt = tx.prepare(&format!(
            "{ACTION_SELECT} JOIN cases c ON c.id = a.case_id
             WHERE a.owner_id = ?1 AND a.status = 'open' AND c.status != 'closed' ORDER BY a.id"
        ))?;
        stmt.query_map([leaving.id.0], action_from_row)?.collect::<Result<_, _>>()?
    };
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
        tx.execute("UPDATE plan_actions SET owner_id = ?2 WHERE id = ?1", params![action.id.0, successor.id.0])?;
        // Reminders of the leaver still waiting in the outbox go nowhere; the rows send to the new owner.
        outbox::cancel_pending(tx, &format!("action:{}:", action.id.0))?;
        let case = get_case(tx, action.case)?.ok_or(CaseError::NotFound)?;
        if case.owner != successor.id {
            tx.execute(
                "INSERT OR IGNORE INTO case_watchers (case_id, user_id) VALUES (?1, ?2)",
                params![case.id.0, successor.id.0],
            )?;
        }
        event(tx, action.case, by, "action_owner_left", Some(&format!("{}: {detail}", action.description)), ctx.now)?;
        moved.actions.push(action.id);
    }
    if !actions.is_empty() {
        let first_case = actions[0].case;
        notify(
            tx,
            ctx,
            &successor,
            "notify-actions-handed-over",
            Args::new().num("count", actions.len() as i64),
            Some(("case-button-my-actions", ButtonData::Case { id: first_case.0, action: CaseAction::Open })),
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
) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    if matches!(status, CaseStatus::New | CaseStatus::Closed) {
        return Err(CaseError::NotAllowed.into());
    }
    set_status(tx, id, status)?;
    if let Some(agency) = agency {
        tx.execute("UPDATE cases SET external_agency = ?2 WHERE id = ?1", params![id.0, agency])?;
    }
    event(tx, id, Some(actor), status.as_str(), agency, ctx.now)
}

/// Close with an outcome note (required). Every open action is cancelled and its reminders stop; the
/// referring teacher is told (the return slip), with the outcome shown when they open the case.
pub fn close(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: CaseId, actor: UserId, outcome: &str) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    if outcome.trim().is_empty() {
        return Err(CaseError::NoteRequired.into());
    }
    tx.execute(
        "UPDATE cases SET status = 'closed', outcome = ?2, closed_at = ?3 WHERE id = ?1",
        params![id.0, outcome.trim(), instant(ctx.now)],
    )?;
    let open_actions: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM plan_actions WHERE case_id = ?1 AND status = 'open'")?;
        stmt.query_map([id.0], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    for action in open_actions {
        tx.execute(
            "UPDATE plan_actions SET status = 'cancelled', closed_at = ?2 WHERE id = ?1",
            params![action, instant(ctx.now)],
        )?;
        stop_reminders(tx, ActionId(action), ctx.now)?;
    }
    tx.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?2
         WHERE subject = 'acceptance' AND subject_id = ?1 AND status = 'pending'",
        params![id.0, instant(ctx.now)],
    )?;
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
        Some(format!("case:{}:closed", id.0)),
    )
}

// ----------------------------------------------------------------------------------------------------------
// The help plan

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub goal: String,
    pub review_on: Option<NaiveDate>,
}

pub fn plan_of(conn: &Connection, case: CaseId) -> anyhow::Result<Option<Plan>> {
    let row: Option<(String, Option<String>)> = conn
        .query_row("SELECT goal, review_on FROM plans WHERE case_id = ?1", [case.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(goal, review)| Plan { goal, review_on: review.and_then(|d| d.parse().ok()) }))
}

/// When the plan is reviewed (needs a goal first).
pub fn set_review_date(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    review_on: NaiveDate,
) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    let changed = tx.execute(
        "UPDATE plans SET review_on = ?2, updated_at = ?3 WHERE case_id = ?1",
        params![id.0, review_on.to_string(), instant(ctx.now)],
    )?;
    if changed == 0 {
        return Err(CaseError::NotFound.into());
    }
    event(tx, id, Some(actor), "plan_review", Some(&review_on.to_string()), ctx.now)
}

pub fn set_goal(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: CaseId,
    actor: UserId,
    goal: &str,
    review_on: Option<NaiveDate>,
) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    tx.execute(
        "INSERT INTO plans (case_id, goal, review_on, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(case_id) DO UPDATE SET goal = excluded.goal, review_on = coalesce(excluded.review_on, plans.review_on),
                                            updated_at = excluded.updated_at",
        params![id.0, goal, review_on.map(|d| d.to_string()), instant(ctx.now)],
    )?;
    event(tx, id, Some(actor), "plan_goal", Some(goal), ctx.now)
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

const ACTION_SELECT: &str = "SELECT a.id, a.case_id, a.description, a.owner_id, u.display_name, a.due_on, a.status,
        a.done_note FROM plan_actions a JOIN users u ON u.id = a.owner_id";

fn action_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ActionRow> {
    let due: String = r.get(5)?;
    Ok(ActionRow {
        id: ActionId(r.get(0)?),
        case: CaseId(r.get(1)?),
        description: r.get(2)?,
        owner: UserId(r.get(3)?),
        owner_name: r.get(4)?,
        due_on: due.parse().unwrap_or_default(),
        status: r.get(6)?,
        done_note: r.get(7)?,
    })
}

pub fn get_action(conn: &Connection, id: ActionId) -> anyhow::Result<Option<ActionRow>> {
    Ok(conn.query_row(&format!("{ACTION_SELECT} WHERE a.id = ?1"), [id.0], action_from_row).optional()?)
}

pub fn actions_of(conn: &Connection, case: CaseId) -> anyhow::Result<Vec<ActionRow>> {
    let mut stmt = conn.prepare(&format!("{ACTION_SELECT} WHERE a.case_id = ?1 ORDER BY a.due_on, a.id"))?;
    let rows = stmt.query_map([case.0], action_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A student's cases that are not closed, newest first (the /student screen names them).
pub fn open_cases_of_student(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<CaseRow>> {
    collect_cases(
        conn,
        &format!("{CASE_SELECT} WHERE student_id = ?1 AND status != 'closed' ORDER BY id DESC"),
        [student.0],
    )
}

/// A person's open actions, soonest first (`/plans`).
pub fn open_actions_for(conn: &Connection, owner: UserId) -> anyhow::Result<Vec<ActionRow>> {
    let mut stmt =
        conn.prepare(&format!("{ACTION_SELECT} WHERE a.owner_id = ?1 AND a.status = 'open' ORDER BY a.due_on, a.id"))?;
    let rows = stmt.query_map([owner.0], action_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Write an action's reminder rows. Times already past when the action is created or moved are left out: a
/// "3 days before" for an action due tomorrow would only be noise.
fn schedule_reminders(tx: &Transaction<'_>, action: ActionId, due_on: NaiveDate, ctx: &Ctx<'_>) -> anyhow::Result<()> {
    let calendar = crate::store::holidays::calendar(tx, ctx.policy.skip_weekends)?;
    for (kind, at) in action_schedule(due_on, ctx.policy, &calendar).into_iter().filter(|(_, at)| *at > ctx.now) {
        plan_reminder(tx, action, kind, at)?;
    }
    Ok(())
}

/// Write one pending reminder. A row cancelled earlier for the same moment (an action moved away and back again)
/// becomes pending again instead of silently blocking the new one.
fn plan_reminder(tx: &Connection, action: ActionId, kind: ActionReminder, at: DateTime<Utc>) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO reminders (subject, subject_id, kind, due_at) VALUES ('action', ?1, ?2, ?3)
         ON CONFLICT(subject, subject_id, kind, due_at) DO UPDATE SET status = 'pending', handled_at = NULL, late = 0
         WHERE reminders.status = 'cancelled'",
        params![action.0, kind.code(), instant(at)],
    )?;
    Ok(())
}

/// Move the pending reminders of every open action onto the school's calendar as it is now — after a holiday
/// was added or removed. A kind already sent is not sent again. Returns how many actions changed.
pub fn replan_open_actions(tx: &Transaction<'_>, policy: &ReminderPolicy, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let calendar = crate::store::holidays::calendar(tx, policy.skip_weekends)?;
    let actions: Vec<(i64, String)> = tx
        .prepare(
            "SELECT a.id, a.due_on FROM plan_actions a JOIN cases c ON c.id = a.case_id
             WHERE a.status = 'open' AND c.status != 'closed'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut changed = 0;
    for (id, due_on) in actions {
        let action = ActionId(id);
        let due_on = NaiveDate::parse_from_str(&due_on, "%Y-%m-%d")
            .with_context(|| format!("bad due date {due_on} of action {id}"))?;
        let done: Vec<String> = tx
            .prepare(
                "SELECT kind FROM reminders WHERE subject = 'action' AND subject_id = ?1 AND status IN ('sent', 'skipped')",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let wanted: Vec<(ActionReminder, DateTime<Utc>)> = action_schedule(due_on, policy, &calendar)
            .into_iter()
            .filter(|(kind, at)| *at > now && !done.contains(&kind.code()))
            .collect();
        let pending: Vec<(i64, String, String)> = tx
            .prepare("SELECT id, kind, due_at FROM reminders WHERE subject = 'action' AND subject_id = ?1 AND status = 'pending'")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let wanted_keys: Vec<(String, String)> = wanted.iter().map(|(k, at)| (k.code(), instant(*at))).collect();
        let mut moved = false;
        for (row, kind, due_at) in &pending {
            if !wanted_keys.contains(&(kind.clone(), due_at.clone())) {
                tx.execute(
                    "UPDATE reminders SET status = 'cancelled', handled_at = ?2 WHERE id = ?1",
                    params![row, instant(now)],
                )?;
                moved = true;
            }
        }
        for (kind, at) in wanted {
            let key = (kind.code(), instant(at));
            if !pending.iter().any(|(_, k, a)| (k, a) == (&key.0, &key.1)) {
                plan_reminder(tx, action, kind, at)?;
                moved = true;
            }
        }
        changed += usize::from(moved);
    }
    Ok(changed)
}

/// Stop every pending reminder of an action, and any of its reminder messages still waiting in the outbox.
fn stop_reminders(tx: &Transaction<'_>, action: ActionId, now: DateTime<Utc>) -> anyhow::Result<()> {
    tx.execute(
        "UPDATE reminders SET status = 'cancelled', handled_at = ?2
         WHERE subject = 'action' AND subject_id = ?1 AND status = 'pending'",
        params![action.0, instant(now)],
    )?;
    outbox::cancel_pending(tx, &format!("action:{}:", action.0))?;
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
) -> anyhow::Result<ActionId> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    // The one rule, checked again after the press: the button's data may have been edited.
    let responsible = super::owners::admitted(tx, owner)?.ok_or(CaseError::CannotOwn)?;
    tx.execute(
        "INSERT INTO plan_actions (case_id, description, owner_id, due_on, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id.0, description, owner.0, due_on.to_string(), instant(ctx.now), actor.0],
    )?;
    let action = ActionId(tx.last_insert_rowid());
    if case.status == CaseStatus::Accepted {
        set_status(tx, id, CaseStatus::InProgress)?;
    }
    // The responsible person becomes a watcher, so they can open the case from a reminder.
    if owner != case.owner {
        tx.execute("INSERT OR IGNORE INTO case_watchers (case_id, user_id) VALUES (?1, ?2)", params![id.0, owner.0])?;
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
            Some(("case-button-my-actions", ButtonData::Case { id: id.0, action: CaseAction::Open })),
            Priority::Personal,
            None,
        )?;
    }
    Ok(action)
}

fn load_open_action(tx: &Connection, id: ActionId, actor: UserId) -> anyhow::Result<(ActionRow, CaseRow)> {
    let action = get_action(tx, id)?.ok_or(CaseError::NotFound)?;
    let case = get_case(tx, action.case)?.ok_or(CaseError::NotFound)?;
    if action.status != "open" {
        return Err(CaseError::AlreadyDone.into());
    }
    if case.status == CaseStatus::Closed {
        return Err(CaseError::Closed.into());
    }
    // The responsible person or the case owner.
    if action.owner != actor && case.owner != actor {
        return Err(CaseError::NotAllowed.into());
    }
    Ok((action, case))
}

/// Mark an action done (with an optional note); its reminders stop.
pub fn complete_action(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: ActionId,
    actor: UserId,
    note: Option<&str>,
) -> anyhow::Result<()> {
    let (action, case) = load_open_action(tx, id, actor)?;
    tx.execute(
        "UPDATE plan_actions SET status = 'done', done_note = ?2, closed_at = ?3 WHERE id = ?1",
        params![id.0, note, instant(ctx.now)],
    )?;
    stop_reminders(tx, id, ctx.now)?;
    let detail = match note {
        Some(n) => format!("{}: {n}", action.description),
        None => action.description.clone(),
    };
    event(tx, case.id, Some(actor), "action_done", Some(&detail), ctx.now)
}

/// Cancel an action (the owner of the case); its reminders stop.
pub fn cancel_action(tx: &Transaction<'_>, ctx: &Ctx<'_>, id: ActionId, actor: UserId) -> anyhow::Result<()> {
    let (action, case) = load_open_action(tx, id, actor)?;
    require_owner(&case, actor)?;
    tx.execute(
        "UPDATE plan_actions SET status = 'cancelled', closed_at = ?2 WHERE id = ?1",
        params![id.0, instant(ctx.now)],
    )?;
    stop_reminders(tx, id, ctx.now)?;
    event(tx, case.id, Some(actor), "action_cancelled", Some(&action.description), ctx.now)
}

/// Move an action's due date, with a reason for the chronology. The reminders start again for the new date.
pub fn reschedule_action(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    id: ActionId,
    actor: UserId,
    due_on: NaiveDate,
    reason: &str,
) -> anyhow::Result<()> {
    let (action, case) = load_open_action(tx, id, actor)?;
    if reason.trim().is_empty() {
        return Err(CaseError::NoteRequired.into());
    }
    stop_reminders(tx, id, ctx.now)?;
    tx.execute("UPDATE plan_actions SET due_on = ?2 WHERE id = ?1", params![id.0, due_on.to_string()])?;
    schedule_reminders(tx, id, due_on, ctx)?;
    let detail = format!("{}: {} → {due_on} ({})", action.description, action.due_on, reason.trim());
    event(tx, case.id, Some(actor), "action_rescheduled", Some(&detail), ctx.now)
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
    pub source_submission: Option<i64>,
}

/// The homeroom teacher opens help for a student of their own class: a case they own, already in progress,
/// with no acceptance deadline and no notification (nobody else is asked to do anything yet). The access
/// check (their own class) is the caller's, through the care policy.
pub fn open_classroom(tx: &Transaction<'_>, ctx: &Ctx<'_>, h: &NewClassroomHelp) -> anyhow::Result<CaseId> {
    let teacher = user(tx, h.teacher)?;
    if teacher.revoked || teacher.role != Role::Teacher {
        return Err(CaseError::NotAllowed.into());
    }
    tx.execute(
        "INSERT INTO cases (student_id, opened_by, owner_id, urgency, status, aspects, reason, source_submission_id,
                            opened_at, accept_by, kind)
         VALUES (?1, ?2, ?2, 'normal', 'in_progress', ?3, ?4, ?5, ?6, ?6, 'classroom')",
        params![
            h.student.0,
            h.teacher.0,
            serde_json::to_string(&h.aspects)?,
            h.reason,
            h.source_submission,
            instant(ctx.now)
        ],
    )?;
    let case = CaseId(tx.last_insert_rowid());
    event(tx, case, Some(h.teacher), "classroom_opened", None, ctx.now)?;
    Ok(case)
}

/// The open case of a student, if any (help is not opened twice for one student).
pub fn open_case_of(conn: &Connection, student: StudentId) -> anyhow::Result<Option<CaseRow>> {
    Ok(collect_cases(
        conn,
        &format!("{CASE_SELECT} WHERE student_id = ?1 AND status != 'closed' ORDER BY id DESC LIMIT 1"),
        [student.0],
    )?
    .into_iter()
    .next())
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
) -> anyhow::Result<()> {
    let case = load_open_case(tx, id)?;
    require_owner(&case, actor)?;
    if case.kind != CaseKind::Classroom {
        return Err(CaseError::AlreadyDone.into());
    }
    let owner = user(tx, to)?;
    if owner.revoked || !matches!(owner.role, Role::Counselor | Role::Head) {
        return Err(CaseError::NotAllowed.into());
    }
    let accept_by = ctx.now + ctx.policy.accept_within(urgency);
    tx.execute(
        "UPDATE cases SET kind = 'referral', owner_id = ?2, urgency = ?3, status = 'new', accept_by = ?4,
                          referred_at = ?5, accepted_at = NULL
         WHERE id = ?1",
        params![id.0, to.0, urgency.as_str(), instant(accept_by), instant(ctx.now)],
    )?;
    let heads = active_with_role(tx, Role::Head)?;
    let mut watchers = vec![actor];
    watchers.extend(heads.iter().map(|h| h.id));
    for w in watchers.into_iter().filter(|w| *w != owner.id) {
        tx.execute("INSERT OR IGNORE INTO case_watchers (case_id, user_id) VALUES (?1, ?2)", params![id.0, w.0])?;
    }
    tx.execute("DELETE FROM case_watchers WHERE case_id = ?1 AND user_id = ?2", params![id.0, to.0])?;
    event(tx, id, Some(actor), "referred", Some(&owner.display_name), ctx.now)?;
    notify_new_owner(tx, ctx, id, &owner, &heads, urgency, accept_by)
}

/// Which language a person reads, for texts built outside a chat (the CLI, reports).
pub fn lang_of(conn: &Connection, id: UserId) -> anyhow::Result<Lang> {
    Ok(users::get(conn, id)?.map_or(Lang::Th, |u| u.lang))
}

/// The kind of reminder a row is, when it is one of an action's.
pub fn action_reminder_kind(code: &str) -> Option<ActionReminder> {
    ActionReminder::parse(code)
}
