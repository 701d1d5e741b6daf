//! Classes and students (the roster).

use crate::domain::class::Level;
use crate::domain::{ClassName, NewStudent};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub use crate::domain::ids::{ClassId, StudentId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRow {
    pub id: ClassId,
    pub name: ClassName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentRow {
    pub id: StudentId,
    pub code: String,
    pub prefix: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: Option<String>,
    pub class_id: ClassId,
    pub class_name: String,
    pub archived: bool,
}

impl StudentRow {
    /// "ด.ช.สมชาย ใจดี" — Thai writes the prefix against the name.
    pub fn full_name(&self) -> String {
        format!("{}{} {}", self.prefix, self.first_name, self.last_name)
    }
}

fn class_from_row(row: &Row<'_>) -> rusqlite::Result<ClassRow> {
    let level: String = row.get(1)?;
    let name = ClassName {
        level: Level::from_abbreviation(&level).unwrap_or(Level::Primary),
        grade: row.get(2)?,
        room: row.get(3)?,
    };
    Ok(ClassRow { id: ClassId(row.get(0)?), name })
}

/// The class's id, creating the class on first sight.
pub fn ensure_class(conn: &Connection, name: &ClassName, now: DateTime<Utc>) -> anyhow::Result<ClassId> {
    if let Some(id) = find_class(conn, name)? {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO classes (name, level, grade, room, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name.to_string(), name.level.abbreviation(), name.grade, name.room, super::instant(now)],
    )?;
    Ok(ClassId(conn.last_insert_rowid()))
}

pub fn find_class(conn: &Connection, name: &ClassName) -> anyhow::Result<Option<ClassId>> {
    Ok(conn
        .query_row("SELECT id FROM classes WHERE name = ?1", [name.to_string()], |r| r.get(0))
        .optional()?
        .map(ClassId))
}

/// All classes, in school order (อ. before ป. before ม., then grade, then room).
pub fn list_classes(conn: &Connection) -> anyhow::Result<Vec<ClassRow>> {
    let mut stmt = conn.prepare("SELECT id, level, grade, room FROM classes")?;
    let mut rows: Vec<ClassRow> = stmt.query_map([], class_from_row)?.collect::<Result<_, _>>()?;
    rows.sort_by_key(|c| c.name);
    Ok(rows)
}

pub fn get_class(conn: &Connection, id: ClassId) -> anyhow::Result<Option<ClassRow>> {
    Ok(conn.query_row("SELECT id, level, grade, room FROM classes WHERE id = ?1", [id.0], class_from_row).optional()?)
}

/// What an upsert did to a student.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Added,
    Updated,
    Unchanged,
}

/// Insert a student, or update them by the school's student id. Re-importing an archived student brings
/// them back (they returned to the school).
pub fn upsert_student(
    conn: &Connection,
    s: &NewStudent,
    class: ClassId,
    now: DateTime<Utc>,
) -> anyhow::Result<Upserted> {
    type Existing = (
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let fields = (
        s.prefix.as_thai().to_string(),
        s.first_name.clone(),
        s.last_name.clone(),
        s.nickname.clone(),
        s.gender.map(|g| g.as_str().to_string()),
        s.birth_date.map(|d| d.to_string()),
        class.0,
        s.parent_name.clone(),
        s.parent_phone.as_ref().map(|p| p.as_str().to_string()),
    );
    let existing: Option<Existing> = conn
        .query_row(
            "SELECT id, prefix, first_name, last_name, nickname, gender, birth_date, class_id, parent_name,
                    parent_phone, archived_at FROM students WHERE student_code = ?1",
            [s.code.as_str()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            },
        )
        .optional()?;
    let now = super::instant(now);
    match existing {
        None => {
            conn.execute(
                "INSERT INTO students (student_code, prefix, first_name, last_name, nickname, gender, birth_date,
                                       class_id, parent_name, parent_phone, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                params![
                    s.code.as_str(),
                    fields.0,
                    fields.1,
                    fields.2,
                    fields.3,
                    fields.4,
                    fields.5,
                    fields.6,
                    fields.7,
                    fields.8,
                    now
                ],
            )?;
            Ok(Upserted::Added)
        }
        Some(row) => {
            let current = (
                row.1.clone(),
                row.2.clone(),
                row.3.clone(),
                row.4.clone(),
                row.5.clone(),
                row.6.clone(),
                row.7,
                row.8.clone(),
                row.9.clone(),
            );
            if current == fields && row.10.is_none() {
                return Ok(Upserted::Unchanged);
            }
            conn.execute(
                "UPDATE students SET prefix = ?2, first_name = ?3, last_name = ?4, nickname = ?5, gender = ?6,
                        birth_date = ?7, class_id = ?8, parent_name = ?9, parent_phone = ?10, archived_at = NULL,
                        updated_at = ?11
                 WHERE id = ?1",
                params![
                    row.0, fields.0, fields.1, fields.2, fields.3, fields.4, fields.5, fields.6, fields.7, fields.8,
                    now
                ],
            )?;
            Ok(Upserted::Updated)
        }
    }
}

/// Archive active students in `classes` whose codes are not in `keep`. Returns how many were archived.
/// Only the classes present in the import are touched: schools import one class at a time.
pub fn archive_missing(
    conn: &Connection,
    classes: &[ClassId],
    keep: &[String],
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut archived = 0;
    let mut stmt = conn.prepare("SELECT id, student_code FROM students WHERE class_id = ?1 AND archived_at IS NULL")?;
    for class in classes {
        let rows: Vec<(i64, String)> =
            stmt.query_map([class.0], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (id, code) in rows {
            if !keep.contains(&code) {
                conn.execute(
                    "UPDATE students SET archived_at = ?2, updated_at = ?2 WHERE id = ?1",
                    params![id, super::instant(now)],
                )?;
                archived += 1;
            }
        }
    }
    Ok(archived)
}

const STUDENT_SELECT: &str = "SELECT s.id, s.student_code, s.prefix, s.first_name, s.last_name, s.nickname, s.class_id,
        c.name, s.archived_at IS NOT NULL FROM students s JOIN classes c ON c.id = s.class_id";

fn student_from_row(r: &Row<'_>) -> rusqlite::Result<StudentRow> {
    Ok(StudentRow {
        id: StudentId(r.get(0)?),
        code: r.get(1)?,
        prefix: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        nickname: r.get(5)?,
        class_id: ClassId(r.get(6)?),
        class_name: r.get(7)?,
        archived: r.get(8)?,
    })
}

pub fn get_student(conn: &Connection, id: StudentId) -> anyhow::Result<Option<StudentRow>> {
    Ok(conn.query_row(&format!("{STUDENT_SELECT} WHERE s.id = ?1"), [id.0], student_from_row).optional()?)
}

pub fn find_student_by_code(conn: &Connection, code: &str) -> anyhow::Result<Option<StudentRow>> {
    Ok(conn.query_row(&format!("{STUDENT_SELECT} WHERE s.student_code = ?1"), [code], student_from_row).optional()?)
}

/// Active students of a class, by student code (the order of the class register).
pub fn students_in_class(conn: &Connection, class: ClassId) -> anyhow::Result<Vec<StudentRow>> {
    let mut stmt = conn.prepare(&format!(
        "{STUDENT_SELECT} WHERE s.class_id = ?1 AND s.archived_at IS NULL ORDER BY s.student_code"
    ))?;
    let rows = stmt.query_map([class.0], student_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn count_active_students(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM students WHERE archived_at IS NULL", [], |r| r.get(0))?)
}
