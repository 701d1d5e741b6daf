//! `dulae holidays list|add|remove`: the school's closed days. Every change moves the pending reminders of open
//! plan actions onto the new calendar at once and is written to the audit log.

use crate::config::Config;
use crate::l10n::thai_date::{bangkok, parse_date};
use crate::l10n::{Args, Localizer, Tr};
use crate::store::Store;
use crate::store::audit::{self, Actor, Entry};
use crate::store::holidays::{self, HolidayKind, HolidaySource};
use chrono::{Datelike, NaiveDate, Utc};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum HolidaysCommand {
    /// The closed days of a calendar year (Buddhist Era; default this year and next): `dulae holidays list --year 2570`.
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// Add a closed day, or a break from DATE to --to: `dulae holidays add 2/1/2570 "วันหยุดพิเศษ"`,
    /// `dulae holidays add 11/10/2569 --to 31/10/2569 --break "ปิดภาคเรียนที่ 1"`.
    Add {
        date: String,
        name: String,
        #[arg(long)]
        to: Option<String>,
        /// A school break (ปิดภาคเรียน) rather than a public holiday.
        #[arg(long = "break")]
        school_break: bool,
    },
    /// Remove a closed day, or every closed day from DATE to --to (the school opens then after all).
    Remove {
        date: String,
        #[arg(long)]
        to: Option<String>,
    },
}

/// The longest range one command may add: a summer break is about seven weeks.
const LONGEST_RANGE_DAYS: i64 = 120;

pub fn run(config: &Config, store: &Store, command: HolidaysCommand) -> anyhow::Result<()> {
    let l10n = Localizer::load()?;
    let tr = l10n.tr(config.default_lang);
    for line in execute(store, tr, &config.reminders, command, Utc::now())? {
        println!("{line}");
    }
    Ok(())
}

/// The command's work and the lines it prints (separate from printing, so tests read the lines).
pub fn execute(
    store: &Store,
    tr: Tr<'_>,
    policy: &crate::care::schedule::ReminderPolicy,
    command: HolidaysCommand,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<Vec<String>> {
    match command {
        HolidaysCommand::List { year } => {
            let this_year = now.with_timezone(&bangkok()).year();
            let (first, last) = match year {
                Some(be) => (be - crate::l10n::thai_date::BE_OFFSET, be - crate::l10n::thai_date::BE_OFFSET),
                None => (this_year, this_year + 1),
            };
            let from =
                NaiveDate::from_ymd_opt(first, 1, 1).ok_or_else(|| anyhow::anyhow!(tr.get("holidays-bad-year")))?;
            let to =
                NaiveDate::from_ymd_opt(last, 12, 31).ok_or_else(|| anyhow::anyhow!(tr.get("holidays-bad-year")))?;
            let rows = store.read(|c| holidays::list(c, from, to))?;
            if rows.is_empty() {
                return Ok(vec![tr.get("holidays-none")]);
            }
            Ok(rows
                .iter()
                .map(|h| {
                    let mark = match (h.kind, h.source) {
                        (_, HolidaySource::Estimated) => tr.get("holidays-mark-estimated"),
                        (_, HolidaySource::School) => tr.get("holidays-mark-school"),
                        (HolidayKind::Break, _) => tr.get("holidays-mark-break"),
                        (HolidayKind::Public, _) => String::new(),
                    };
                    let name = if tr.lang == crate::l10n::Lang::Th { &h.name_th } else { &h.name_en };
                    format!("{}  {name}{mark}", tr.date(h.day)).trim_end().to_string()
                })
                .collect())
        }
        HolidaysCommand::Add { date, name, to, school_break } => {
            let (from, to) = range(tr, &date, to.as_deref())?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                anyhow::bail!(tr.get("holidays-bad-name"));
            }
            let kind = if school_break { HolidayKind::Break } else { HolidayKind::Public };
            let moved = store.write(|tx| {
                let mut day = from;
                while day <= to {
                    holidays::add(tx, day, name, kind)?;
                    day = day.succ_opt().unwrap_or(to + chrono::Duration::days(1));
                }
                audit::record(tx, now, entry("holiday_added", from, to, Some(name)))?;
                crate::care::cases::replan_open_actions(tx, policy, now)
            })?;
            Ok(vec![
                tr.with(
                    "holidays-added",
                    Args::new().str("from", tr.date(from)).str("to", tr.date(to)).str("name", name),
                ),
                tr.with("holidays-replanned", Args::new().num("count", moved as i64)),
            ])
        }
        HolidaysCommand::Remove { date, to } => {
            let (from, to) = range(tr, &date, to.as_deref())?;
            let (removed, moved) = store.write(|tx| {
                let removed = holidays::remove(tx, from, to)?;
                if removed == 0 {
                    return Ok((0, 0));
                }
                audit::record(tx, now, entry("holiday_removed", from, to, None))?;
                Ok((removed, crate::care::cases::replan_open_actions(tx, policy, now)?))
            })?;
            if removed == 0 {
                anyhow::bail!(
                    tr.with("holidays-nothing-removed", Args::new().str("from", tr.date(from)).str("to", tr.date(to)))
                );
            }
            Ok(vec![
                tr.with("holidays-removed", Args::new().num("count", removed as i64)),
                tr.with("holidays-replanned", Args::new().num("count", moved as i64)),
            ])
        }
    }
}

fn range(tr: Tr<'_>, from: &str, to: Option<&str>) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let parse = |text: &str| {
        parse_date(text).map_err(|_| anyhow::anyhow!(tr.with("holidays-bad-date", Args::new().str("text", text))))
    };
    let start = parse(from)?;
    let end = match to {
        Some(text) => parse(text)?,
        None => start,
    };
    if end < start || (end - start).num_days() > LONGEST_RANGE_DAYS {
        anyhow::bail!(tr.with("holidays-bad-range", Args::new().num("days", LONGEST_RANGE_DAYS)));
    }
    Ok((start, end))
}

fn entry(action: &'static str, from: NaiveDate, to: NaiveDate, name: Option<&str>) -> Entry<'static> {
    Entry {
        actor: Actor::Cli,
        action,
        entity: "holiday",
        entity_id: Some(from.to_string()),
        detail: Some(serde_json::json!({ "from": from.to_string(), "to": to.to_string(), "name": name })),
    }
}
