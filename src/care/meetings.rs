//! Class meetings with parents (ประชุมผู้ปกครองชั้นเรียน): when, about what, and which families came. The homeroom
//! teacher records them; the statistics and the export count them per class.

use crate::domain::UserId;
use crate::store::audit::{self, Actor, Entry};
use crate::store::instant;
use crate::store::students::{ClassId, StudentId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};
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
) -> anyhow::Result<i64> {
    conn.execute(
        "INSERT INTO class_meetings (class_id, held_on, topics, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![class.0, held_on.to_string(), topics, by.0, instant(now)],
    )?;
    let id = conn.last_insert_rowid();
    for student in came {
        conn.execute(
            "INSERT OR IGNORE INTO class_meeting_attendance (meeting_id, student_id) VALUES (?1, ?2)",
            params![id, student.0],
        )?;
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

/// Per class: meetings held between two dates (inclusive) and families that came, summed over the meetings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeetingCounts {
    pub held: i64,
    pub parents: i64,
}

pub fn counts_by_class(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<HashMap<i64, MeetingCounts>> {
    let mut stmt = conn.prepare(
        "SELECT m.class_id, count(DISTINCT m.id),
                (SELECT count(*) FROM class_meeting_attendance a JOIN class_meetings m2 ON m2.id = a.meeting_id
                 WHERE m2.class_id = m.class_id AND m2.held_on BETWEEN ?1 AND ?2)
         FROM class_meetings m WHERE m.held_on BETWEEN ?1 AND ?2 GROUP BY m.class_id",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, MeetingCounts { held: r.get(1)?, parents: r.get(2)? }))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
    let mut stmt = conn.prepare(
        "SELECT m.class_id, c.name, m.held_on, m.topics, u.display_name,
                (SELECT count(*) FROM class_meeting_attendance a WHERE a.meeting_id = m.id)
         FROM class_meetings m JOIN classes c ON c.id = m.class_id JOIN users u ON u.id = m.recorded_by
         WHERE m.held_on BETWEEN ?1 AND ?2 ORDER BY m.held_on, c.name, m.id",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        let held: String = r.get(2)?;
        Ok(MeetingRow {
            class_id: r.get(0)?,
            class_name: r.get(1)?,
            held_on: held.parse().unwrap_or_default(),
            topics: r.get(3)?,
            recorded_by: r.get(4)?,
            parents: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
