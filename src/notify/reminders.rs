//! The reminder scheduler: moves due reminder rows into the outbox, once each, in the same transaction that
//! marks them handled. Plan actions (before / on / after the due date, escalation), acceptance deadlines of
//! referrals, and the school-year tasks of the head.

use super::outbox::{self, OutMessage, Priority};
use super::store::{self as db, DueReminder, Handled, Subject};
use crate::care::cases::{self, ActionId, CaseId, CaseStatus};
use crate::care::schedule::{ActionReminder, ReminderPolicy, Urgency, Verdict, judge, local_instant};
use crate::chat_ui::buttons::{ActButton, ButtonData, CaseAction};
use crate::chat_ui::{Button, Keyboard};
use crate::domain::Role;
use crate::l10n::thai_date::BANGKOK;
use crate::l10n::{Args, Localizer, Tr};
use crate::store::Store;
use crate::store::users::{self, UserRow};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};

/// What one pass did (for logs and tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub skipped: usize,
    pub cancelled: usize,
    pub waiting: usize,
}

/// A due reminder, as the pass handles it.
type Row = DueReminder;

/// Reminders looked at in one pass (the next pass, half a minute later, takes the rest).
const PASS_LIMIT: i64 = 500;

fn mark(tx: &Transaction<'_>, row: &Row, handled: Handled, late: bool, now: DateTime<Utc>) -> anyhow::Result<()> {
    db::mark_reminder(tx, row.id, handled, late, now)
}

fn heads(conn: &Connection) -> anyhow::Result<Vec<UserRow>> {
    Ok(users::list(conn)?.into_iter().filter(|u| u.role == Role::Head && !u.revoked).collect())
}

fn button(text: String, data: ButtonData) -> Button {
    Button { text, data: data.encode() }
}

/// Handle every due reminder. Each row is decided and, if sent, enqueued in its own transaction.
pub fn run_due(store: &Store, l10n: &Localizer, policy: &ReminderPolicy, now: DateTime<Utc>) -> anyhow::Result<Pass> {
    let rows = store.read(|c| db::due_reminders(c, now, PASS_LIMIT))?;
    let mut pass = Pass::default();
    for row in rows {
        let outcome = store.write(|tx| match row.subject {
            Subject::Action(action) => action_reminder(tx, l10n, policy, &row, action, now),
            Subject::Acceptance(case) => acceptance_deadline(tx, l10n, policy, &row, case, now),
            Subject::Yearly(task) => yearly_task(tx, l10n, policy, &row, task, now),
            Subject::Unknown(_) => {
                mark(tx, &row, Handled::Cancelled, false, now)?;
                Ok(Outcome::Cancelled)
            }
        })?;
        match outcome {
            Outcome::Sent => pass.sent += 1,
            Outcome::Skipped => pass.skipped += 1,
            Outcome::Cancelled => pass.cancelled += 1,
            Outcome::Waiting => pass.waiting += 1,
        }
    }
    Ok(pass)
}

enum Outcome {
    Sent,
    Skipped,
    Cancelled,
    Waiting,
}

fn late_prefix(tr: Tr<'_>, late: bool) -> String {
    if late { format!("{} ", tr.get("reminder-late")) } else { String::new() }
}

fn action_reminder(
    tx: &Transaction<'_>,
    l10n: &Localizer,
    policy: &ReminderPolicy,
    row: &Row,
    action: ActionId,
    now: DateTime<Utc>,
) -> anyhow::Result<Outcome> {
    let action = cases::get_action(tx, action)?;
    let case = match &action {
        Some(a) => cases::get_case(tx, a.case)?,
        None => None,
    };
    let (Some(action), Some(case), Some(kind)) = (action, case, ActionReminder::parse(&row.kind)) else {
        mark(tx, row, Handled::Cancelled, false, now)?;
        return Ok(Outcome::Cancelled);
    };
    // Reminders stop the moment an action is done or cancelled, or its case closes.
    if action.status != "open" || case.status == CaseStatus::Closed {
        mark(tx, row, Handled::Cancelled, false, now)?;
        return Ok(Outcome::Cancelled);
    }
    let newer = db::newer_action_reminder_due(tx, action.id, row.due_at, now)?;
    let late = match judge(kind, row.due_at, action.due_on, now, newer, policy) {
        Verdict::Wait => return Ok(Outcome::Waiting),
        Verdict::Skip => {
            mark(tx, row, Handled::Skipped, false, now)?;
            return Ok(Outcome::Skipped);
        }
        Verdict::Send { late } => late,
    };
    let today = now.with_timezone(&BANGKOK).date_naive();
    let recipients: Vec<UserRow> =
        if kind == ActionReminder::Escalate { heads(tx)? } else { users::get(tx, action.owner)?.into_iter().collect() };
    for person in recipients.iter().filter(|p| !p.revoked) {
        let tr = l10n.tr(person.lang);
        let args = Args::new().num("case", case.id.0).str("due", tr.date(action.due_on));
        let (id, args) = match kind {
            ActionReminder::Before(_) => ("reminder-before", args.num("days", (action.due_on - today).num_days())),
            ActionReminder::Due => ("reminder-due", args),
            ActionReminder::Overdue(_) => ("reminder-overdue", args.num("days", (today - action.due_on).num_days())),
            ActionReminder::Escalate => ("alert-action-overdue", args.num("days", (today - action.due_on).num_days())),
        };
        let text = format!("{}{}", late_prefix(tr, late), tr.with(id, args));
        let keyboard = if kind == ActionReminder::Escalate {
            Keyboard::default().row(vec![button(
                tr.get("case-button-open"),
                ButtonData::Case { id: case.id, action: CaseAction::Open },
            )])
        } else {
            Keyboard::default().row(vec![
                button(tr.get("reminder-button-done"), ButtonData::Act { id: action.id, action: ActButton::Done }),
                button(
                    tr.get("reminder-button-reschedule"),
                    ButtonData::Act { id: action.id, action: ActButton::Reschedule },
                ),
                button(tr.get("reminder-button-open"), ButtonData::Act { id: action.id, action: ActButton::OpenCase }),
            ])
        };
        let mut msg = OutMessage::text(person.chat_id, Some(person.id), text, now);
        msg.keyboard = keyboard;
        msg.priority = if kind == ActionReminder::Escalate { Priority::Urgent } else { Priority::Personal };
        // The prefix lets "done" cancel a reminder still waiting in the outbox.
        msg.dedupe_key = Some(format!("action:{}:reminder:{}:{}", action.id.0, row.id, person.id.0));
        outbox::enqueue(tx, &msg, now)?;
    }
    mark(tx, row, Handled::Sent, late, now)?;
    Ok(Outcome::Sent)
}

fn acceptance_deadline(
    tx: &Transaction<'_>,
    l10n: &Localizer,
    policy: &ReminderPolicy,
    row: &Row,
    case: CaseId,
    now: DateTime<Utc>,
) -> anyhow::Result<Outcome> {
    let Some(case) = cases::get_case(tx, case)? else {
        mark(tx, row, Handled::Cancelled, false, now)?;
        return Ok(Outcome::Cancelled);
    };
    if case.status != CaseStatus::New {
        mark(tx, row, Handled::Cancelled, false, now)?;
        return Ok(Outcome::Cancelled);
    }
    // A very urgent referral does not wait for the morning.
    if case.urgency != Urgency::VeryUrgent && policy.in_quiet_hours(now) {
        return Ok(Outcome::Waiting);
    }
    let open = |tr: Tr<'_>| {
        Keyboard::default()
            .row(vec![button(tr.get("case-button-open"), ButtonData::Case { id: case.id, action: CaseAction::Open })])
    };
    if let Some(owner) = users::get(tx, case.owner)?.filter(|u| !u.revoked) {
        let tr = l10n.tr(owner.lang);
        let mut msg = OutMessage::text(
            owner.chat_id,
            Some(owner.id),
            tr.with("reminder-accept", Args::new().num("case", case.id.0)),
            now,
        );
        msg.keyboard = open(tr);
        msg.priority = Priority::Urgent;
        msg.dedupe_key = Some(format!("case:{}:sla:{}:owner", case.id.0, row.id));
        outbox::enqueue(tx, &msg, now)?;
    }
    for head in heads(tx)? {
        let tr = l10n.tr(head.lang);
        let hours = (now - case.opened_at).num_hours();
        let text = tr.with(
            "alert-not-accepted",
            Args::new().num("case", case.id.0).str("urgency", tr.get(case.urgency.message_id())).num("hours", hours),
        );
        let mut msg = OutMessage::text(head.chat_id, Some(head.id), text, now);
        msg.keyboard = open(tr);
        msg.priority = Priority::Urgent;
        msg.dedupe_key = Some(format!("case:{}:sla:{}:head:{}", case.id.0, row.id, head.id.0));
        outbox::enqueue(tx, &msg, now)?;
    }
    db::record_escalation(tx, case.id, now)?;
    mark(tx, row, Handled::Sent, now - row.due_at > crate::care::schedule::LATE_AFTER, now)?;
    Ok(Outcome::Sent)
}

fn yearly_task(
    tx: &Transaction<'_>,
    l10n: &Localizer,
    policy: &ReminderPolicy,
    row: &Row,
    task: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Outcome> {
    let Some((title_th, title_en)) = db::enabled_yearly_task_titles(tx, task)? else {
        mark(tx, row, Handled::Cancelled, false, now)?;
        return Ok(Outcome::Cancelled);
    };
    if policy.in_quiet_hours(now) {
        return Ok(Outcome::Waiting);
    }
    // A yearly task found more than a month late has lost its meaning; next year's row takes over.
    if now - row.due_at > Duration::days(31) {
        mark(tx, row, Handled::Skipped, false, now)?;
        return Ok(Outcome::Skipped);
    }
    for head in heads(tx)? {
        let tr = l10n.tr(head.lang);
        let title = if tr.lang == crate::l10n::Lang::En { &title_en } else { &title_th };
        let msg = OutMessage {
            dedupe_key: Some(format!("yearly:{}:{}", row.id, head.id.0)),
            ..OutMessage::text(
                head.chat_id,
                Some(head.id),
                tr.with("reminder-yearly", Args::new().str("task", title)),
                now,
            )
        };
        outbox::enqueue(tx, &msg, now)?;
    }
    mark(tx, row, Handled::Sent, false, now)?;
    Ok(Outcome::Sent)
}

/// Make sure every enabled yearly task has a reminder for its next date (idempotent).
pub fn plan_yearly_tasks(store: &Store, policy: &ReminderPolicy, today: NaiveDate) -> anyhow::Result<()> {
    store.write(|tx| {
        for (task, month, day) in db::enabled_yearly_dates(tx)? {
            let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
            let date = match this_year {
                Some(d) if d >= today => Some(d),
                _ => NaiveDate::from_ymd_opt(today.year() + 1, month, day),
            };
            if let Some(date) = date {
                db::plan_yearly_reminder(tx, task, local_instant(date, policy.time_of_day))?;
            }
        }
        Ok(())
    })
}

/// The reminders of one action: kind, due instant, status (tests and the CLI).
pub fn reminders_of(conn: &Connection, action: ActionId) -> anyhow::Result<Vec<(String, DateTime<Utc>, String)>> {
    db::reminders_of(conn, action)
}
