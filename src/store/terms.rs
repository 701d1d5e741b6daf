//! The school's academic terms (ภาคเรียน) with their dates. "This term" is the school's recorded term that
//! contains today; without one, the national calendar ([`Term::containing`]) decides.

use crate::domain::Term;
use anyhow::Context as _;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// A term with the dates it runs (both inclusive, local dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermDates {
    pub term: Term,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// `true` when the school recorded these dates; `false` for the national calendar's.
    pub recorded: bool,
}

fn parse_iso(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| format!("bad stored date {text:?}"))
}

/// The term containing `today`: the school's own record first, else the national calendar.
pub fn current(conn: &Connection, today: NaiveDate) -> anyhow::Result<Term> {
    Ok(current_dates(conn, today)?.term)
}

/// The term containing `today` with its dates.
pub fn current_dates(conn: &Connection, today: NaiveDate) -> anyhow::Result<TermDates> {
    let iso = today.format("%Y-%m-%d").to_string();
    let recorded: Option<String> = conn
        .query_row(
            "SELECT name FROM terms WHERE starts_on <= ?1 AND ends_on >= ?1 ORDER BY starts_on DESC LIMIT 1",
            [&iso],
            |r| r.get(0),
        )
        .optional()
        .context("cannot read the school's terms")?;
    if let Some(term) = recorded.as_deref().and_then(Term::parse) {
        return dates_of(conn, term);
    }
    dates_of(conn, Term::containing(today))
}

/// A term's dates: recorded by the school, or the national calendar's.
pub fn dates_of(conn: &Connection, term: Term) -> anyhow::Result<TermDates> {
    let row: Option<(String, String)> = conn
        .query_row("SELECT starts_on, ends_on FROM terms WHERE name = ?1", [term.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .context("cannot read the school's terms")?;
    match row {
        Some((start, end)) => {
            Ok(TermDates { term, starts_on: parse_iso(&start)?, ends_on: parse_iso(&end)?, recorded: true })
        }
        None => national_dates(term),
    }
}

/// The national calendar: term 1 from 16 May to 31 October, term 2 from 1 November to 31 March, so the school
/// year (ปีการศึกษา) runs from mid-May to March. The April break still counts with term 2 ([`Term::containing`]):
/// work recorded then is not lost, and `dulae year start` may run from 1 April.
pub fn national_dates(term: Term) -> anyhow::Result<TermDates> {
    let year = term.year_be - crate::l10n::thai_date::BE_OFFSET;
    let date = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).with_context(|| format!("no date {y}-{m}-{d} for term {term}"))
    };
    let (starts_on, ends_on) = match term.number {
        1 => (date(year, 5, 16)?, date(year, 10, 31)?),
        _ => (date(year, 11, 1)?, date(year + 1, 3, 31)?),
    };
    Ok(TermDates { term, starts_on, ends_on, recorded: false })
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TermError {
    #[error("the term must end after it starts ({0} is before {1})")]
    EndsBeforeStart(NaiveDate, NaiveDate),
    #[error("term {term} is in the academic year {year_be}, but {date} is not in that year")]
    WrongYear { term: Term, year_be: i32, date: NaiveDate },
    #[error("term {new} would overlap term {existing} ({from} – {to})")]
    Overlaps { new: Term, existing: String, from: NaiveDate, to: NaiveDate },
}

/// Record (or change) a term's dates. Refuses dates that end before they start, that are far from the term's
/// academic year, or that overlap another recorded term.
pub fn set(
    conn: &Connection,
    term: Term,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if ends_on < starts_on {
        return Err(TermError::EndsBeforeStart(ends_on, starts_on).into());
    }
    // Term N/2569 starts in 2569 (BE) or, for term 2, possibly early in 2570 at the latest.
    let year_ce = term.year_be - crate::l10n::thai_date::BE_OFFSET;
    if !(year_ce..=year_ce + 1).contains(&starts_on.year()) {
        return Err(TermError::WrongYear { term, year_be: term.year_be, date: starts_on }.into());
    }
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let overlap: Option<(String, String, String)> = conn
        .query_row(
            "SELECT name, starts_on, ends_on FROM terms WHERE name != ?1 AND starts_on <= ?3 AND ends_on >= ?2 LIMIT 1",
            params![term.to_string(), iso(starts_on), iso(ends_on)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((existing, from, to)) = overlap {
        return Err(TermError::Overlaps { new: term, existing, from: parse_iso(&from)?, to: parse_iso(&to)? }.into());
    }
    conn.execute(
        "INSERT INTO terms (name, starts_on, ends_on, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                                          updated_at = excluded.updated_at",
        params![term.to_string(), iso(starts_on), iso(ends_on), super::instant(now)],
    )
    .context("cannot save the term")?;
    Ok(())
}

/// The recorded terms, oldest first.
pub fn list(conn: &Connection) -> anyhow::Result<Vec<TermDates>> {
    let mut stmt = conn.prepare("SELECT name, starts_on, ends_on FROM terms ORDER BY starts_on")?;
    let rows: Vec<(String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut terms = Vec::with_capacity(rows.len());
    for (name, start, end) in rows {
        let term = Term::parse(&name).with_context(|| format!("bad stored term name {name:?}"))?;
        terms.push(TermDates { term, starts_on: parse_iso(&start)?, ends_on: parse_iso(&end)?, recorded: true });
    }
    Ok(terms)
}

/// A school year's dates: from the first day of its term 1 to the last day of its term 2 (recorded by the
/// school, or the national calendar's).
pub fn year_dates(conn: &Connection, year: crate::domain::AcademicYear) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    Ok((dates_of(conn, year.first_term())?.starts_on, dates_of(conn, year.last_term())?.ends_on))
}
