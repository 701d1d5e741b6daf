//! The days a school is open. Reminders that land on a closed day — a weekend, a public holiday, a school
//! break — move to an open day: a "before" or "on the day" reminder to the open day before it (the teacher still
//! gets the warning in time), an "overdue" one to the open day after it (nobody is chased on a holiday).
//!
//! A pure value: the store loads it (`store::holidays::calendar`), the schedule asks it questions.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// A school's long break is at most about seven weeks; past this many closed days in a row the calendar is
/// treated as broken (a typo that closes a whole year) and the date is kept as it is rather than searched forever.
const LONGEST_CLOSURE_DAYS: i64 = 120;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchoolCalendar {
    /// Saturday and Sunday are closed.
    pub skip_weekends: bool,
    /// Public holidays and school breaks (local dates).
    pub closed: BTreeSet<NaiveDate>,
}

impl SchoolCalendar {
    /// Weekends only (the schedule's rule before holidays were recorded).
    pub fn weekends(skip_weekends: bool) -> SchoolCalendar {
        SchoolCalendar { skip_weekends, closed: BTreeSet::new() }
    }

    pub fn is_open(&self, date: NaiveDate) -> bool {
        let closed_weekend = self.skip_weekends && matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        !closed_weekend && !self.closed.contains(&date)
    }

    /// `date` if the school is open then, else the last open day before it.
    pub fn open_on_or_before(&self, date: NaiveDate) -> NaiveDate {
        self.walk(date, -1)
    }

    /// `date` if the school is open then, else the first open day after it.
    pub fn open_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        self.walk(date, 1)
    }

    fn walk(&self, date: NaiveDate, step: i64) -> NaiveDate {
        let mut day = date;
        for _ in 0..LONGEST_CLOSURE_DAYS {
            if self.is_open(day) {
                return day;
            }
            day += Duration::days(step);
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn holidays_and_weekends_are_skipped_both_ways() {
        // Songkran 2570: Tue 13 – Thu 15 April 2027.
        let calendar =
            SchoolCalendar { skip_weekends: true, closed: [d(2027, 4, 13), d(2027, 4, 14), d(2027, 4, 15)].into() };
        assert_eq!(calendar.open_on_or_before(d(2027, 4, 14)), d(2027, 4, 12));
        assert_eq!(calendar.open_on_or_after(d(2027, 4, 14)), d(2027, 4, 16));
        // Saturday 17 → Friday 16 / Monday 19.
        assert_eq!(calendar.open_on_or_before(d(2027, 4, 17)), d(2027, 4, 16));
        assert_eq!(calendar.open_on_or_after(d(2027, 4, 17)), d(2027, 4, 19));
        assert!(calendar.is_open(d(2027, 4, 12)));
        assert!(!SchoolCalendar::weekends(true).is_open(d(2027, 4, 17)));
        assert!(SchoolCalendar::weekends(false).is_open(d(2027, 4, 17)));
    }

    #[test]
    fn a_calendar_closed_for_ever_keeps_the_date() {
        let closed: BTreeSet<NaiveDate> = (0..400).map(|i| d(2027, 1, 1) + Duration::days(i)).collect();
        let calendar = SchoolCalendar { skip_weekends: true, closed };
        assert_eq!(calendar.open_on_or_after(d(2027, 6, 1)), d(2027, 6, 1));
    }
}
