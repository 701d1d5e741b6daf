//! Rows of `class_meetings` and `class_meeting_attendance`.

use super::date_at;
use crate::care::meetings::{MeetingCounts, MeetingRow};
use crate::domain::ids::{ClassId, MeetingId, StudentId, UserId};
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};
use std::collections::HashMap;

pub fn insert(
    conn: &Connection,
    class: ClassId,
    held_on: NaiveDate,
    topics: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<MeetingId> {
    conn.execute(
        "INSERT INTO class_meetings (class_id, held_on, topics, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![class, held_on.to_string(), topics, by, instant(now)],
    )
    .with_context(|| format!("cannot record a meeting of class {class}"))?;
    Ok(MeetingId(conn.last_insert_rowid()))
}

/// A family came (by its student). Ticked twice is once.
pub fn add_attendance(conn: &Connection, meeting: MeetingId, student: StudentId) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO class_meeting_attendance (meeting_id, student_id) VALUES (?1, ?2)",
        params![meeting, student],
    )
    .with_context(|| format!("cannot record the family of student {student} at meeting {meeting}"))?;
    Ok(())
}

/// Per class id: meetings held between two dates (inclusive) and families that came, summed over the meetings.
pub fn counts_by_class(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<HashMap<i64, MeetingCounts>> {
    let read = || -> rusqlite::Result<HashMap<i64, MeetingCounts>> {
        conn.prepare(
            "SELECT m.class_id, count(DISTINCT m.id),
                    (SELECT count(*) FROM class_meeting_attendance a JOIN class_meetings m2 ON m2.id = a.meeting_id
                     WHERE m2.class_id = m.class_id AND m2.held_on BETWEEN ?1 AND ?2)
             FROM class_meetings m WHERE m.held_on BETWEEN ?1 AND ?2 GROUP BY m.class_id",
        )?
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, MeetingCounts { held: r.get(1)?, parents: r.get(2)? }))
        })?
        .collect()
    };
    read().with_context(|| format!("cannot count the class meetings from {from} to {to}"))
}

/// Meetings between two dates (inclusive), by date then class.
pub fn between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<MeetingRow>> {
    let read = || -> rusqlite::Result<Vec<MeetingRow>> {
        conn.prepare(
            "SELECT m.class_id, c.name, m.held_on, m.topics, u.display_name,
                    (SELECT count(*) FROM class_meeting_attendance a WHERE a.meeting_id = m.id)
             FROM class_meetings m JOIN classes c ON c.id = m.class_id JOIN users u ON u.id = m.recorded_by
             WHERE m.held_on BETWEEN ?1 AND ?2 ORDER BY m.held_on, c.name, m.id",
        )?
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok(MeetingRow {
                class_id: r.get(0)?,
                class_name: r.get(1)?,
                held_on: date_at(r, 2)?,
                topics: r.get(3)?,
                recorded_by: r.get(4)?,
                parents: r.get(5)?,
            })
        })?
        .collect()
    };
    read().with_context(|| format!("cannot list the class meetings from {from} to {to}"))
}
