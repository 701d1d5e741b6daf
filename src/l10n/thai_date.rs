//! Thai dates: Buddhist Era formatting and tolerant parsing of typed dates.
//!
//! Why our own ~150 lines and not ICU4X: ICU4X formats Buddhist-calendar dates, but it cannot *parse* what a
//! teacher types (either era, Thai or Arabic digits, `/`, `-` or `.`), its compiled locale data is several
//! megabytes of build for twelve month names we can pin in a table, and the Thai calendar's mapping is a fixed
//! offset (BE = CE + 543) with the year starting on 1 January since B.E. 2484. The month names below are
//! CLDR's Thai names (the same ones ICU produces); a unit test pins them.

use chrono::{Datelike, FixedOffset, NaiveDate};

/// Buddhist Era year = Common Era year + 543.
pub const BE_OFFSET: i32 = 543;

/// Asia/Bangkok is UTC+7 all year: Thailand has had no daylight saving since 1920, so a fixed offset is exact.
pub const BANGKOK: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"), // evaluated at compile time
};

pub fn bangkok() -> FixedOffset {
    BANGKOK
}

const MONTHS_SHORT_TH: [&str; 12] =
    ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
const MONTHS_LONG_TH: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];
const MONTHS_SHORT_EN: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_index(date: NaiveDate) -> usize {
    // month0() is 0..=11 by construction.
    date.month0() as usize
}

/// `24 พ.ย. 2569`
pub fn format_short_th(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS_SHORT_TH[month_index(date)], date.year() + BE_OFFSET)
}

/// `24 พฤศจิกายน 2569`
pub fn format_long_th(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS_LONG_TH[month_index(date)], date.year() + BE_OFFSET)
}

/// English screens still show the Buddhist Era year, so both languages talk about the same school year:
/// `24 Nov 2569 BE`.
pub fn format_short_en(date: NaiveDate) -> String {
    format!("{} {} {} BE", date.day(), MONTHS_SHORT_EN[month_index(date)], date.year() + BE_OFFSET)
}

/// Replace Thai digits (๐–๙) with Arabic ones; everything else is kept.
pub fn arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            other => other,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateParseError {
    #[error("not a date in the form day/month/year")]
    Shape,
    #[error("no such day in the calendar")]
    NoSuchDay,
    #[error("the year is outside the range a school uses")]
    YearOutOfRange,
}

/// Parse a typed date: `24/11/2569`, `24/11/2026`, `๒๔/๑๑/๒๕๖๙`, `24-11-69`, `24.11.2569`, `2026-11-24`,
/// or `24 พ.ย. 2569`. Years above 2400 are Buddhist Era; two-digit years are Buddhist Era (Thai habit: "69").
pub fn parse_date(input: &str) -> Result<NaiveDate, DateParseError> {
    let text = arabic_digits(input.trim());
    if text.is_empty() || text.len() > 40 {
        return Err(DateParseError::Shape);
    }
    let (day, month, year) = split_parts(&text)?;
    let year = normalise_year(year)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateParseError::NoSuchDay)
}

fn split_parts(text: &str) -> Result<(u32, u32, i32), DateParseError> {
    // ISO first: 2026-11-24
    let numeric: Vec<&str> = text.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()).collect();
    if numeric.len() == 3 && numeric.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        let n: Vec<u32> =
            numeric.iter().map(|p| p.parse::<u32>().map_err(|_| DateParseError::Shape)).collect::<Result<_, _>>()?;
        return if numeric[0].len() == 4 { Ok((n[2], n[1], n[0] as i32)) } else { Ok((n[0], n[1], n[2] as i32)) };
    }
    // "24 พ.ย. 2569" / "24 พฤศจิกายน 2569"
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() == 3 {
        let day = words[0].parse::<u32>().map_err(|_| DateParseError::Shape)?;
        let month = month_from_name(words[1]).ok_or(DateParseError::Shape)?;
        let year = words[2].parse::<i32>().map_err(|_| DateParseError::Shape)?;
        return Ok((day, month, year));
    }
    Err(DateParseError::Shape)
}

fn month_from_name(name: &str) -> Option<u32> {
    let bare = |s: &str| s.replace('.', "");
    let wanted = bare(name);
    MONTHS_SHORT_TH
        .iter()
        .position(|m| bare(m) == wanted)
        .or_else(|| MONTHS_LONG_TH.iter().position(|m| *m == name))
        .or_else(|| MONTHS_SHORT_EN.iter().position(|m| m.eq_ignore_ascii_case(&wanted)))
        .map(|i| i as u32 + 1)
}

fn normalise_year(year: i32) -> Result<i32, DateParseError> {
    let ce = match year {
        0..=99 => 2500 + year - BE_OFFSET, // "69" means 2569
        1900..=2200 => year,               // Common Era
        2400..=2800 => year - BE_OFFSET,   // Buddhist Era
        _ => return Err(DateParseError::YearOutOfRange),
    };
    Ok(ce)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats_in_buddhist_era() {
        assert_eq!(format_short_th(d(2026, 11, 24)), "24 พ.ย. 2569");
        assert_eq!(format_long_th(d(2026, 11, 24)), "24 พฤศจิกายน 2569");
        assert_eq!(format_short_th(d(2027, 1, 1)), "1 ม.ค. 2570");
        assert_eq!(format_short_en(d(2026, 11, 24)), "24 Nov 2569 BE");
    }

    #[test]
    fn month_names_match_cldr() {
        // CLDR th, calendar "buddhist", format abbreviated / wide.
        assert_eq!(MONTHS_SHORT_TH.join(" "), "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.");
        assert_eq!(MONTHS_LONG_TH[1], "กุมภาพันธ์");
        assert_eq!(MONTHS_LONG_TH[6], "กรกฎาคม");
    }

    #[test]
    fn parses_both_eras_and_thai_digits() {
        let want = d(2026, 11, 24);
        for typed in [
            "24/11/2569",
            "24/11/2026",
            "๒๔/๑๑/๒๕๖๙",
            "24-11-69",
            "24.11.2569",
            "2026-11-24",
            " 24/11/2569 ",
            "24 พ.ย. 2569",
            "24 พย 2569",
            "24 พฤศจิกายน 2569",
        ] {
            assert_eq!(parse_date(typed), Ok(want), "{typed}");
        }
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(parse_date("31/02/2569"), Err(DateParseError::NoSuchDay));
        assert_eq!(parse_date("hello"), Err(DateParseError::Shape));
        assert_eq!(parse_date(""), Err(DateParseError::Shape));
        assert_eq!(parse_date("1/1/3000"), Err(DateParseError::YearOutOfRange));
        assert_eq!(parse_date(&"1".repeat(5000)), Err(DateParseError::Shape));
        assert_eq!(parse_date("99999999999/1/2569"), Err(DateParseError::Shape));
    }

    #[test]
    fn bangkok_is_utc_plus_seven() {
        assert_eq!(bangkok().local_minus_utc(), 7 * 3600);
    }
}
