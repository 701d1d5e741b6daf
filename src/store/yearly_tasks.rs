//! The school-year tasks the head is reminded of (`yearly_tasks`, from the school's procedure), as the command
//! line lists and changes them.

use anyhow::Context as _;
use rusqlite::{Connection, params};

/// One task: on `day`/`month` every year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyTask {
    pub id: i64,
    pub month: u32,
    pub day: u32,
    pub title_th: String,
    pub enabled: bool,
}

/// Every task, in calendar order.
pub fn list(conn: &Connection) -> anyhow::Result<Vec<YearlyTask>> {
    let mut stmt =
        conn.prepare("SELECT id, month, day, title_th, enabled FROM yearly_tasks ORDER BY month, day, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(YearlyTask { id: r.get(0)?, month: r.get(1)?, day: r.get(2)?, title_th: r.get(3)?, enabled: r.get(4)? })
    })?;
    rows.collect::<Result<_, _>>().context("cannot read the yearly tasks")
}

/// Add a task (enabled).
pub fn add(conn: &Connection, month: u32, day: u32, title_th: &str, title_en: &str) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO yearly_tasks (month, day, title_th, title_en) VALUES (?1, ?2, ?3, ?4)",
        params![month, day, title_th, title_en],
    )
    .context("cannot add a yearly task")?;
    Ok(())
}

/// Turn a task on or off; whether there was such a task.
pub fn set_enabled(conn: &Connection, id: i64, enabled: bool) -> anyhow::Result<bool> {
    let changed = conn
        .execute("UPDATE yearly_tasks SET enabled = ?2 WHERE id = ?1", params![id, enabled])
        .context("cannot change a yearly task")?;
    Ok(changed > 0)
}

/// The reminders already planned for a task that have not gone out: cancelled (the task was turned off).
pub fn cancel_pending_reminders(conn: &Connection, id: i64) -> anyhow::Result<usize> {
    conn.execute(
        "UPDATE reminders SET status = 'cancelled' WHERE subject = 'yearly' AND subject_id = ?1 AND status = 'pending'",
        [id],
    )
    .context("cannot cancel a yearly task's reminders")
}
