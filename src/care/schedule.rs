//! When reminders are due: the table for a plan action, acceptance deadlines for referrals, quiet hours,
//! weekends — and whether a reminder found due after downtime still means something.
//!
//! Everything here is a pure function of dates and a policy, so the whole table is tested without a clock.

use crate::domain::calendar::SchoolCalendar;
use crate::l10n::thai_date::BANGKOK;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// How urgent a referral is, and so how soon it must be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// ปกติ
    Normal,
    /// ด่วน
    Urgent,
    /// ด่วนมาก
    VeryUrgent,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Normal, Urgency::Urgent, Urgency::VeryUrgent];

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::Urgent => "urgent",
            Urgency::VeryUrgent => "very_urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.as_str() == s)
    }

    pub fn message_id(self) -> &'static str {
        match self {
            Urgency::Normal => "urgency-normal",
            Urgency::Urgent => "urgency-urgent",
            Urgency::VeryUrgent => "urgency-very-urgent",
        }
    }
}

/// The school's reminder rules. Defaults follow the issue: 3 and 1 days before at 08:00, on the day, overdue on
/// days +1, +3 and +7, escalation to the head at +7; quiet hours 20:00–07:00; acceptance within 2 h / 24 h / 72 h.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    pub time_of_day: NaiveTime,
    pub before_days: Vec<i64>,
    pub overdue_days: Vec<i64>,
    pub escalate_after_days: i64,
    /// Quiet from this hour (inclusive) …
    pub quiet_from: u32,
    /// … to this hour (exclusive), local time.
    pub quiet_until: u32,
    /// Schools are closed on Saturday and Sunday: "before" reminders move to the Friday before, the others to the
    /// Monday after.
    pub skip_weekends: bool,
    pub accept_within_hours: [i64; 3],
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        ReminderPolicy {
            time_of_day: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            before_days: vec![3, 1],
            overdue_days: vec![1, 3, 7],
            escalate_after_days: 7,
            quiet_from: 20,
            quiet_until: 7,
            skip_weekends: true,
            accept_within_hours: [72, 24, 2],
        }
    }
}

impl ReminderPolicy {
    pub fn accept_within(&self, urgency: Urgency) -> Duration {
        let hours = match urgency {
            Urgency::Normal => self.accept_within_hours[0],
            Urgency::Urgent => self.accept_within_hours[1],
            Urgency::VeryUrgent => self.accept_within_hours[2],
        };
        Duration::hours(hours)
    }

    pub fn in_quiet_hours(&self, at: DateTime<Utc>) -> bool {
        let hour = at.with_timezone(&BANGKOK).hour();
        if self.quiet_from > self.quiet_until {
            hour >= self.quiet_from || hour < self.quiet_until
        } else {
            hour >= self.quiet_from && hour < self.quiet_until
        }
    }

    /// The first instant at or after `at` outside quiet hours.
    pub fn after_quiet_hours(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if !self.in_quiet_hours(at) {
            return at;
        }
        let local = at.with_timezone(&BANGKOK);
        let mut day = local.date_naive();
        if local.hour() >= self.quiet_until {
            day += Duration::days(1);
        }
        local_instant(day, NaiveTime::from_hms_opt(self.quiet_until, 0, 0).unwrap_or_default())
    }
}

/// A kind of reminder for a plan action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionReminder {
    Before(i64),
    Due,
    Overdue(i64),
    /// To the head: the action is this many days overdue.
    Escalate,
}

impl ActionReminder {
    pub fn code(self) -> String {
        match self {
            ActionReminder::Before(d) => format!("before_{d}"),
            ActionReminder::Due => "due".into(),
            ActionReminder::Overdue(d) => format!("overdue_{d}"),
            ActionReminder::Escalate => "escalate".into(),
        }
    }

    pub fn parse(code: &str) -> Option<ActionReminder> {
        if code == "due" {
            return Some(ActionReminder::Due);
        }
        if code == "escalate" {
            return Some(ActionReminder::Escalate);
        }
        if let Some(d) = code.strip_prefix("before_") {
            return d.parse().ok().map(ActionReminder::Before);
        }
        code.strip_prefix("overdue_").and_then(|d| d.parse().ok()).map(ActionReminder::Overdue)
    }
}

/// `date` at `time` in Bangkok, as UTC.
pub fn local_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    match BANGKOK.from_local_datetime(&date.and_time(time)).single() {
        Some(t) => t.with_timezone(&Utc),
        // A fixed offset has no gaps or overlaps; this arm is never taken.
        None => Utc.from_utc_datetime(&date.and_time(time)),
    }
}

/// Every reminder of an action due on `due_on`, in time order. Reminders move off the days the school is closed
/// (weekends, public holidays, breaks: `calendar`). Two reminders that land on the same instant (a weekend moved
/// "1 day before" onto the "3 days before" Friday) are sent once, as the later kind.
pub fn action_schedule(
    due_on: NaiveDate,
    policy: &ReminderPolicy,
    calendar: &SchoolCalendar,
) -> Vec<(ActionReminder, DateTime<Utc>)> {
    let shift_back = |d: NaiveDate| calendar.open_on_or_before(d);
    let shift_on = |d: NaiveDate| calendar.open_on_or_after(d);
    let mut table: Vec<(ActionReminder, NaiveDate)> = Vec::new();
    let mut before = policy.before_days.clone();
    before.sort_by(|a, b| b.cmp(a));
    for days in before {
        table.push((ActionReminder::Before(days), shift_back(due_on - Duration::days(days))));
    }
    table.push((ActionReminder::Due, shift_back(due_on)));
    let mut overdue = policy.overdue_days.clone();
    overdue.sort();
    for days in overdue {
        table.push((ActionReminder::Overdue(days), shift_on(due_on + Duration::days(days))));
    }
    table.push((ActionReminder::Escalate, shift_on(due_on + Duration::days(policy.escalate_after_days))));

    let mut out: Vec<(ActionReminder, DateTime<Utc>)> = Vec::new();
    for (kind, date) in table {
        let at = policy.after_quiet_hours(local_instant(date, policy.time_of_day));
        // The escalation goes to someone else (the head), so it never merges with the owner's reminder.
        if kind != ActionReminder::Escalate
            && let Some(last) = out.iter_mut().rev().find(|(k, _)| *k != ActionReminder::Escalate)
            && last.1 == at
        {
            *last = (kind, at);
            continue;
        }
        out.push((kind, at));
    }
    out
}

/// What to do with an action reminder found due at `now` (maybe long after its time, after downtime).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Send {
        late: bool,
    },
    /// It lost its meaning ("3 days before" after the due date) or a newer one says the same.
    Skip,
    /// Quiet hours: leave it for the morning.
    Wait,
}

/// A reminder counts as late when it goes out more than this after its time.
pub const LATE_AFTER: Duration = Duration::hours(1);

pub fn judge(
    kind: ActionReminder,
    due_at: DateTime<Utc>,
    due_on: NaiveDate,
    now: DateTime<Utc>,
    newer_of_same_recipient_due: bool,
    policy: &ReminderPolicy,
) -> Verdict {
    if policy.in_quiet_hours(now) {
        return Verdict::Wait;
    }
    let today = now.with_timezone(&BANGKOK).date_naive();
    let meaningful = match kind {
        ActionReminder::Before(_) => today < due_on,
        ActionReminder::Due => today <= due_on,
        ActionReminder::Overdue(_) => true,
        ActionReminder::Escalate => true,
    };
    if !meaningful || (kind != ActionReminder::Escalate && newer_of_same_recipient_due) {
        return Verdict::Skip;
    }
    Verdict::Send { late: now - due_at > LATE_AFTER }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn bkk(date: NaiveDate, h: u32, min: u32) -> DateTime<Utc> {
        local_instant(date, NaiveTime::from_hms_opt(h, min, 0).unwrap())
    }

    #[test]
    fn the_table_for_a_wednesday_due_date() {
        let policy = ReminderPolicy::default();
        // Wednesday 25 Nov 2026.
        let table = action_schedule(d(2026, 11, 25), &policy, &SchoolCalendar::weekends(policy.skip_weekends));
        let expected = [
            (ActionReminder::Before(3), bkk(d(2026, 11, 20), 8, 0)), // Sun 22 → Fri 20
            (ActionReminder::Before(1), bkk(d(2026, 11, 24), 8, 0)),
            (ActionReminder::Due, bkk(d(2026, 11, 25), 8, 0)),
            (ActionReminder::Overdue(1), bkk(d(2026, 11, 26), 8, 0)),
            (ActionReminder::Overdue(3), bkk(d(2026, 11, 30), 8, 0)), // Sat 28 → Mon 30
            (ActionReminder::Overdue(7), bkk(d(2026, 12, 2), 8, 0)),
            (ActionReminder::Escalate, bkk(d(2026, 12, 2), 8, 0)),
        ];
        assert_eq!(table, expected);
    }

    #[test]
    fn weekend_moves_merge_into_one_reminder() {
        let policy = ReminderPolicy::default();
        // Monday 30 Nov 2026: 3 days before is Friday 27; 1 day before is Sunday → also Friday 27.
        let table = action_schedule(d(2026, 11, 30), &policy, &SchoolCalendar::weekends(policy.skip_weekends));
        assert_eq!(table[0], (ActionReminder::Before(1), bkk(d(2026, 11, 27), 8, 0)));
        assert_eq!(table[1], (ActionReminder::Due, bkk(d(2026, 11, 30), 8, 0)));
        let without_weekends = ReminderPolicy { skip_weekends: false, ..ReminderPolicy::default() };
        assert_eq!(
            action_schedule(
                d(2026, 11, 30),
                &without_weekends,
                &SchoolCalendar::weekends(without_weekends.skip_weekends)
            )[1]
            .1,
            bkk(d(2026, 11, 29), 8, 0)
        );
    }

    #[test]
    fn holidays_move_reminders_like_weekends() {
        let policy = ReminderPolicy::default();
        // Due Friday 23 Oct 2026 (วันปิยมหาราช, a public holiday): "on the day" moves back to Thursday 22,
        // merging with "1 day before"; overdue +1 lands on Saturday 24 and moves to Monday 26, where it merges
        // with overdue +3.
        let calendar = SchoolCalendar { skip_weekends: true, closed: [d(2026, 10, 23)].into() };
        let table = action_schedule(d(2026, 10, 23), &policy, &calendar);
        assert_eq!(table[0], (ActionReminder::Before(3), bkk(d(2026, 10, 20), 8, 0)));
        assert_eq!(table[1], (ActionReminder::Due, bkk(d(2026, 10, 22), 8, 0)));
        assert_eq!(table[2], (ActionReminder::Overdue(3), bkk(d(2026, 10, 26), 8, 0)));
        assert_eq!(table[3], (ActionReminder::Overdue(7), bkk(d(2026, 10, 30), 8, 0)));
    }

    #[test]
    fn quiet_hours_push_to_the_morning() {
        let policy =
            ReminderPolicy { time_of_day: NaiveTime::from_hms_opt(21, 0, 0).unwrap(), ..ReminderPolicy::default() };
        let table = action_schedule(d(2026, 11, 25), &policy, &SchoolCalendar::weekends(policy.skip_weekends));
        // 21:00 on Tue 24 is quiet: it goes at 07:00 on Wed 25.
        assert_eq!(table[1], (ActionReminder::Before(1), bkk(d(2026, 11, 25), 7, 0)));
        assert!(policy.in_quiet_hours(bkk(d(2026, 11, 25), 6, 59)));
        assert!(!policy.in_quiet_hours(bkk(d(2026, 11, 25), 7, 0)));
        assert!(policy.in_quiet_hours(bkk(d(2026, 11, 25), 20, 0)));
        assert_eq!(policy.after_quiet_hours(bkk(d(2026, 11, 25), 2, 0)), bkk(d(2026, 11, 25), 7, 0));
    }

    #[test]
    fn downtime_catch_up_rules() {
        let policy = ReminderPolicy::default();
        let due_on = d(2026, 11, 25);
        let morning = |day| bkk(day, 9, 0);
        // Back up on the due day: "3 days before" has lost its meaning, "on the day" is sent, late.
        assert_eq!(
            judge(ActionReminder::Before(3), bkk(d(2026, 11, 20), 8, 0), due_on, morning(due_on), false, &policy),
            Verdict::Skip
        );
        assert_eq!(
            judge(ActionReminder::Due, bkk(due_on, 8, 0), due_on, morning(due_on), false, &policy),
            Verdict::Send { late: false }
        );
        assert_eq!(
            judge(ActionReminder::Due, bkk(due_on, 8, 0), due_on, bkk(due_on, 15, 0), false, &policy),
            Verdict::Send { late: true }
        );
        // Two overdue reminders due at once: only the newest is sent.
        assert_eq!(
            judge(
                ActionReminder::Overdue(1),
                bkk(d(2026, 11, 26), 8, 0),
                due_on,
                morning(d(2026, 12, 1)),
                true,
                &policy
            ),
            Verdict::Skip
        );
        assert_eq!(
            judge(
                ActionReminder::Overdue(3),
                bkk(d(2026, 11, 30), 8, 0),
                due_on,
                morning(d(2026, 12, 1)),
                false,
                &policy
            ),
            Verdict::Send { late: true }
        );
        // Nothing goes out at night.
        assert_eq!(
            judge(
                ActionReminder::Overdue(1),
                bkk(d(2026, 11, 26), 8, 0),
                due_on,
                bkk(d(2026, 11, 26), 23, 0),
                false,
                &policy
            ),
            Verdict::Wait
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in [ActionReminder::Before(3), ActionReminder::Due, ActionReminder::Overdue(7), ActionReminder::Escalate]
        {
            assert_eq!(ActionReminder::parse(&k.code()), Some(k));
        }
        assert_eq!(ActionReminder::parse("nonsense"), None);
        assert_eq!(ReminderPolicy::default().accept_within(Urgency::VeryUrgent), Duration::hours(2));
    }
}
