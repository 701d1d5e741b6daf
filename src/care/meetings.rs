//! Class meetings with parents (ประชุมผู้ปกครองชั้นเรียน): when, about what, and which families came. The homeroom
//! teacher records them; the statistics and the export count them per class.

use super::store;
use crate::domain::UserId;
use crate::domain::ids::MeetingId;
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::{ClassId, StudentId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use std::collections::HashMap;

/// Record one meeting and who came, in the caller's transaction.
pub fn record(
    conn: &Connection,
    class: ClassId,
    held_on: NaiveDate,
    topics: &str,
    came: &[StudentId],
    by: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<MeetingId> {
    let id = store::meetings::insert(conn, class, held_on, topics, by, now)?;
    for student in came {
        store::meetings::add_attendance(conn, id, *student)?;
    }
    audit::record(
        conn,
        now,
        Entry {
            actor: Actor::User(by),
            action: "meeting.record",
            entity: "class_meeting",
            entity_id: Some(id.to_string()),
            detail: None,
        },
    )?;
    Ok(id)
}

/// The parents of a family, for the attendance list: those who joined the bot, else the name the roster gives.
pub fn parents_of(conn: &Connection, student: StudentId) -> anyhow::Result<Vec<String>> {
    let joined = store::sources::joined_parents_of(conn, student)?;
    if !joined.is_empty() {
        return Ok(joined);
    }
    Ok(store::sources::roster_parent_name(conn, student)?.filter(|p| !p.trim().is_empty()).into_iter().collect())
}

/// Per class: meetings held between two dates (inclusive) and families that came, summed over the meetings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeetingCounts {
    pub held: i64,
    pub parents: i64,
}

/// Keyed by the class's id (the statistics' tables are keyed so).
pub fn counts_by_class(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<HashMap<i64, MeetingCounts>> {
    store::meetings::counts_by_class(conn, from, to)
}

/// One meeting, for the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub class_id: i64,
    pub class_name: String,
    pub held_on: NaiveDate,
    pub topics: String,
    pub recorded_by: String,
    pub parents: i64,
}

/// Meetings between two dates (inclusive), by date then class.
pub fn list(conn: &Connection, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<MeetingRow>> {
    store::meetings::between(conn, from, to)
}
