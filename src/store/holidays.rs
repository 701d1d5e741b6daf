//! The school's closed days besides weekends (public holidays, breaks): the `holidays` table, shipped with the
//! list for 2569–2570 and edited with `dulae holidays`.

use crate::domain::calendar::SchoolCalendar;
use anyhow::Context as _;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    /// วันหยุดราชการ
    Public,
    /// ปิดภาคเรียน
    Break,
}

impl HolidayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Public => "public",
            HolidayKind::Break => "break",
        }
    }

    fn parse(s: &str) -> Option<HolidayKind> {
        match s {
            "public" => Some(HolidayKind::Public),
            "break" => Some(HolidayKind::Break),
            _ => None,
        }
    }
}

/// Where a row came from: the shipped official list, a shipped estimate still to be checked (lunar dates of a
/// year not yet announced, OBEC's usual breaks), or the school itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidaySource {
    Official,
    Estimated,
    School,
}

impl HolidaySource {
    fn parse(s: &str) -> Option<HolidaySource> {
        match s {
            "official" => Some(HolidaySource::Official),
            "estimated" => Some(HolidaySource::Estimated),
            "school" => Some(HolidaySource::School),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name_th: String,
    pub name_en: String,
    pub kind: HolidayKind,
    pub source: HolidaySource,
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The closed days from `from` to `to` (both inclusive), in date order.
pub fn list(conn: &Connection, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<Holiday>> {
    let mut stmt = conn.prepare(
        "SELECT day, name_th, name_en, kind, source FROM holidays WHERE day >= ?1 AND day <= ?2 ORDER BY day",
    )?;
    let rows: Vec<(String, String, String, String, String)> = stmt
        .query_map(params![iso(from), iso(to)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(day, name_th, name_en, kind, source)| {
            Ok(Holiday {
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").with_context(|| format!("bad holiday date {day}"))?,
                kind: HolidayKind::parse(&kind).with_context(|| format!("bad holiday kind {kind}"))?,
                source: HolidaySource::parse(&source).with_context(|| format!("bad holiday source {source}"))?,
                name_th,
                name_en,
            })
        })
        .collect()
}

/// Record a closed day (or rename one, which also marks it as checked by the school).
pub fn add(conn: &Connection, day: NaiveDate, name: &str, kind: HolidayKind) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO holidays (day, name_th, name_en, kind, source) VALUES (?1, ?2, ?2, ?3, 'school')
         ON CONFLICT(day) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en,
                                        kind = excluded.kind, source = 'school'",
        params![iso(day), name, kind.as_str()],
    )
    .context("cannot save the holiday")?;
    Ok(())
}

/// Remove the closed days from `from` to `to`; returns how many there were.
pub fn remove(conn: &Connection, from: NaiveDate, to: NaiveDate) -> anyhow::Result<usize> {
    conn.execute("DELETE FROM holidays WHERE day >= ?1 AND day <= ?2", params![iso(from), iso(to)])
        .context("cannot remove the holiday")
}

/// The school's calendar: weekends (if the school closes then) and every recorded closed day.
pub fn calendar(conn: &Connection, skip_weekends: bool) -> anyhow::Result<SchoolCalendar> {
    let mut stmt = conn.prepare("SELECT day FROM holidays")?;
    let days: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut calendar = SchoolCalendar::weekends(skip_weekends);
    for day in days {
        calendar
            .closed
            .insert(NaiveDate::parse_from_str(&day, "%Y-%m-%d").with_context(|| format!("bad holiday date {day}"))?);
    }
    Ok(calendar)
}
