//! Academic terms (ภาคเรียน), written 1/2569 and 2/2569.
//!
//! Until the school records its own term dates (the statistics work adds that), "this term" follows the
//! national calendar: term 1 from 16 May to 31 October, term 2 from 1 November to 15 May of the next year.
//! The gap weeks (the October break) are counted with the term before them, so work done then is not lost.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    /// Academic year in the Buddhist Era (the year term 1 starts in).
    pub year_be: i32,
    /// 1 or 2.
    pub number: u8,
}

impl Term {
    pub fn containing(date: NaiveDate) -> Term {
        let be = date.year() + crate::l10n::thai_date::BE_OFFSET;
        let (month, day) = (date.month(), date.day());
        if month > 5 && month < 11 || (month == 5 && day >= 16) {
            Term { year_be: be, number: 1 }
        } else if month >= 11 {
            Term { year_be: be, number: 2 }
        } else {
            Term { year_be: be - 1, number: 2 }
        }
    }

    pub fn parse(text: &str) -> Option<Term> {
        let text = crate::l10n::thai_date::arabic_digits(text.trim());
        let (number, year) = text.split_once('/')?;
        let number: u8 = number.trim().parse().ok()?;
        let year_be: i32 = year.trim().parse().ok()?;
        ((1..=2).contains(&number) && (2400..=2800).contains(&year_be)).then_some(Term { year_be, number })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.number, self.year_be)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(y: i32, m: u32, d: u32) -> String {
        Term::containing(NaiveDate::from_ymd_opt(y, m, d).unwrap()).to_string()
    }

    #[test]
    fn national_calendar() {
        assert_eq!(term(2026, 11, 26), "2/2569");
        assert_eq!(term(2027, 3, 1), "2/2569");
        assert_eq!(term(2027, 5, 15), "2/2569");
        assert_eq!(term(2027, 5, 16), "1/2570");
        assert_eq!(term(2026, 10, 31), "1/2569");
        assert_eq!(Term::parse("๒/๒๕๖๙"), Some(Term { year_be: 2569, number: 2 }));
        assert_eq!(Term::parse("3/2569"), None);
    }
}
