//! Requests under Thailand's Personal Data Protection Act (PDPA) about one person: a copy of everything the
//! school holds on them (`dulae person export`) and erasure (`dulae person erase`).
//!
//! Export writes one private zip: a workbook (XLSX, Thai-readable), the same data as JSON (machine-readable),
//! and the photo files. Erasure removes the personal fields and photos but keeps the records' shape: counts,
//! dates, screening groups and the append-only history stay, their free texts replaced by [`ERASED_TEXT`]
//! (migration 0009 allows exactly that change on the append-only tables). Deleted content is zeroed on disk
//! (`secure_delete`, then `VACUUM`), and both requests are written to the audit log.

use crate::config::Config;
use crate::domain::UserId;
use crate::forms::FormSet;
use crate::forms::engine::{Answer, Answers};
use crate::l10n::{Args, Tr};
use crate::private_file::{Overwrite, write_private};
use crate::reports::xlsx::{Cell, Sheet};
use crate::store::Store;
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::StudentId;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The fixed line that replaces erased texts. Must match migrations/0009_ops.sql.
pub const ERASED_TEXT: &str = "ลบตามคำขอของเจ้าของข้อมูล (PDPA) · erased on request";

#[derive(Subcommand, Debug)]
pub enum PersonCommand {
    /// Everything held on one student (--student CODE) or one person who uses the bot (--user ID, see
    /// `dulae users`), as a zip of a workbook, JSON and photos. Example:
    /// dulae person export --student 10001 --out 10001.zip
    Export {
        #[arg(long, conflicts_with = "user", required_unless_present = "user")]
        student: Option<String>,
        #[arg(long)]
        user: Option<i64>,
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Erase one student's or one person's personal data (names, phone numbers, photos, free texts), keeping
    /// the counts and the history's shape. Cannot be undone: --yes is required.
    /// Example: dulae person erase --student 10001 --yes
    Erase {
        #[arg(long, conflicts_with = "user", required_unless_present = "user")]
        student: Option<String>,
        #[arg(long)]
        user: Option<i64>,
        #[arg(long)]
        yes: bool,
    },
}

/// Whose data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Student(StudentId),
    User(UserId),
}

impl Subject {
    fn entity(self) -> (&'static str, String) {
        match self {
            Subject::Student(id) => ("student", id.0.to_string()),
            Subject::User(id) => ("user", id.0.to_string()),
        }
    }
}

/// Find the person a command names; a clear message when there is nobody by that code or id.
fn subject(store: &Store, tr: Tr<'_>, student: Option<&str>, user: Option<i64>) -> anyhow::Result<Subject> {
    if let Some(code) = student {
        let code = code.trim();
        return match store.read(|c| crate::store::students::find_student_by_code(c, code))? {
            Some(row) => Ok(Subject::Student(row.id)),
            None => anyhow::bail!(tr.with("ops-person-no-student", Args::new().str("code", code))),
        };
    }
    let id = user.unwrap_or_default();
    match store.read(|c| crate::store::users::get(c, UserId(id)))? {
        Some(_) => Ok(Subject::User(UserId(id))),
        None => anyhow::bail!(tr.with("ops-person-no-user", Args::new().num("id", id))),
    }
}

/// `dulae person export|erase`.
pub fn person_command(
    store: &Store,
    _config: &Config,
    _forms: &FormSet,
    tr: Tr<'_>,
    command: PersonCommand,
) -> anyhow::Result<()> {
    let now = Utc::now();
    match command {
        PersonCommand::Export { student, user, out, force } => {
            let who = subject(store, tr, student.as_deref(), user)?;
            let overwrite = if force { Overwrite::Replace } else { Overwrite::Refuse };
            if overwrite == Overwrite::Refuse && out.exists() {
                anyhow::bail!(tr.with("ops-file-exists", Args::new().str("file", out.display().to_string())));
            }
            let summary = export(store, who, &out, overwrite, now)?;
            let args = Args::new()
                .str("file", out.display().to_string())
                .num("tables", summary.tables as i64)
                .num("rows", summary.rows as i64)
                .num("photos", summary.photos as i64);
            println!("{}", tr.with("ops-person-exported", args));
            Ok(())
        }
        PersonCommand::Erase { student, user, yes } => {
            let who = subject(store, tr, student.as_deref(), user)?;
            if !yes {
                anyhow::bail!(tr.get("ops-person-erase-needs-yes"));
            }
            let done = erase(store, who, now)?;
            let args = Args::new().num("records", done.records as i64).num("photos", done.photos as i64);
            println!("{}", tr.with("ops-person-erased", args));
            if !done.file_zeroed {
                println!("{}", tr.get("ops-person-erase-vacuum-later"));
            }
            println!("{}", tr.get("ops-person-erase-backups"));
            Ok(())
        }
    }
}

/// One table of a person's data: its rows as (column, value) pairs.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

fn query_table(conn: &Connection, name: &'static str, sql: &str, id: i64) -> anyhow::Result<Table> {
    let mut stmt = conn.prepare(sql).with_context(|| format!("cannot read {name}"))?;
    let columns: Vec<String> = stmt.column_names().iter().map(ToString::to_string).collect();
    let count = columns.len();
    let rows = stmt.query_map([id], |r| {
        let mut values = Vec::with_capacity(count);
        for i in 0..count {
            values.push(match r.get_ref(i)? {
                ValueRef::Null => serde_json::Value::Null,
                ValueRef::Integer(n) => serde_json::Value::from(n),
                ValueRef::Real(x) => serde_json::Value::from(x),
                ValueRef::Text(t) => {
                    let text = String::from_utf8_lossy(t).into_owned();
                    // Answers and scores are JSON: keep them as JSON, not as a string of JSON.
                    match (text.starts_with('{') || text.starts_with('['))
                        .then(|| serde_json::from_str::<serde_json::Value>(&text).ok())
                        .flatten()
                    {
                        Some(json) => json,
                        None => serde_json::Value::String(text),
                    }
                }
                ValueRef::Blob(b) => serde_json::Value::String(format!("<{} bytes>", b.len())),
            });
        }
        Ok(values)
    })?;
    Ok(Table { name, columns, rows: rows.collect::<Result<_, _>>()? })
}

/// Everything held on a student: the roster row, every form submitted about them (with the answers), the
/// photos, drafts in progress, cases with their chronology and plans, the parents linked to them, and the
/// audit rows of who looked at or changed their records.
fn student_tables(conn: &Connection, id: StudentId) -> anyhow::Result<Vec<Table>> {
    let cases = "SELECT id FROM cases WHERE student_id = ?1";
    let queries: Vec<(&'static str, String)> = vec![
        (
            "student",
            "SELECT s.*, c.name AS class_name FROM students s JOIN classes c ON c.id = s.class_id WHERE s.id = ?1"
                .into(),
        ),
        ("submissions", "SELECT * FROM submissions WHERE student_id = ?1 ORDER BY submitted_at".into()),
        ("form_drafts", "SELECT * FROM form_drafts WHERE student_id = ?1".into()),
        ("photos", "SELECT file_id, received_at, local_path, user_id FROM photos WHERE student_id = ?1".into()),
        ("cases", "SELECT * FROM cases WHERE student_id = ?1 ORDER BY opened_at".into()),
        ("case_events", format!("SELECT e.* FROM case_events e WHERE e.case_id IN ({cases}) ORDER BY e.id")),
        ("plans", format!("SELECT * FROM plans WHERE case_id IN ({cases})")),
        ("plan_actions", format!("SELECT * FROM plan_actions WHERE case_id IN ({cases}) ORDER BY id")),
        (
            "parents",
            "SELECT u.id, u.display_name, u.username, u.role, ps.linked_at, u.revoked_at FROM parent_students ps
             JOIN users u ON u.id = ps.user_id WHERE ps.student_id = ?1"
                .into(),
        ),
        (
            "audit_log",
            format!(
                "SELECT * FROM audit_log WHERE (entity = 'student' AND entity_id = CAST(?1 AS TEXT))
                 OR (entity = 'case' AND entity_id IN (SELECT CAST(id AS TEXT) FROM ({cases})))
                 OR (entity = 'submission' AND entity_id IN
                     (SELECT CAST(id AS TEXT) FROM submissions WHERE student_id = ?1)) ORDER BY id"
            ),
        ),
    ];
    queries.into_iter().map(|(name, sql)| query_table(conn, name, &sql, id.0)).collect()
}

/// Everything held on a person who uses the bot: their account, classes or children, invites, what they
/// submitted and wrote (ids and times: the records themselves belong to the students), announcements, survey
/// answers, the messages the bot sent them, and the audit rows of their actions.
fn user_tables(conn: &Connection, id: UserId) -> anyhow::Result<Vec<Table>> {
    let queries: Vec<(&'static str, &str)> = vec![
        ("user", "SELECT u.*, s.lang FROM users u LEFT JOIN user_settings s ON s.user_id = u.id WHERE u.id = ?1"),
        ("classes", "SELECT c.name FROM teacher_classes t JOIN classes c ON c.id = t.class_id WHERE t.user_id = ?1"),
        (
            "children",
            "SELECT s.student_code, s.prefix, s.first_name, s.last_name, ps.linked_at FROM parent_students ps
             JOIN students s ON s.id = ps.student_id WHERE ps.user_id = ?1",
        ),
        ("invites", "SELECT id, role, display_name, created_at, expires_at, used_at FROM invites WHERE used_by = ?1"),
        (
            "submissions",
            "SELECT id, form_id, form_kind, student_id, term, submitted_at FROM submissions WHERE submitted_by = ?1",
        ),
        ("case_events", "SELECT id, case_id, at, kind, detail FROM case_events WHERE actor_id = ?1 ORDER BY id"),
        (
            "announcements",
            "SELECT id, audience_label, text, send_at, recipients FROM announcements WHERE created_by = ?1",
        ),
        ("announcement_acks", "SELECT announcement_id, at FROM announcement_acks WHERE user_id = ?1"),
        (
            "survey_responses",
            "SELECT id, round_id, answers, term, submitted_at FROM survey_responses WHERE user_id = ?1",
        ),
        ("messages", "SELECT id, kind, text, status, created_at, sent_at FROM outbox WHERE user_id = ?1 ORDER BY id"),
        (
            "audit_log",
            "SELECT * FROM audit_log WHERE actor = 'user:' || ?1 OR (entity = 'user' AND entity_id = CAST(?1 AS TEXT))
             ORDER BY id",
        ),
    ];
    queries.into_iter().map(|(name, sql)| query_table(conn, name, sql, id.0)).collect()
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    pub tables: usize,
    pub rows: usize,
    pub photos: usize,
}

fn cell_of(value: &serde_json::Value) -> Cell {
    match value {
        serde_json::Value::Null => Cell::Empty,
        serde_json::Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        serde_json::Value::String(s) => Cell::Text(s.clone()),
        other => Cell::Text(other.to_string()),
    }
}

/// Write the zip (workbook, JSON, photos) to `out` as a private file, and audit the export.
pub fn export(
    store: &Store,
    who: Subject,
    out: &Path,
    overwrite: Overwrite,
    now: DateTime<Utc>,
) -> anyhow::Result<Exported> {
    let (tables, photo_files) = store.read(|c| {
        let tables = match who {
            Subject::Student(id) => student_tables(c, id)?,
            Subject::User(id) => user_tables(c, id)?,
        };
        let photos: Vec<String> = match who {
            Subject::Student(id) => {
                let mut stmt =
                    c.prepare("SELECT local_path FROM photos WHERE student_id = ?1 AND local_path IS NOT NULL")?;
                let rows = stmt.query_map([id.0], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            }
            Subject::User(_) => vec![],
        };
        Ok((tables, photos))
    })?;
    let sheets: Vec<Sheet> = tables
        .iter()
        .map(|t| Sheet {
            name: t.name.to_string(),
            headers: t.columns.clone(),
            rows: t.rows.iter().map(|r| r.iter().map(cell_of).collect()).collect(),
            notes: vec![],
        })
        .collect();
    let workbook = crate::reports::xlsx::write_workbook(&sheets)?;
    let mut json = serde_json::Map::new();
    let (entity, id) = who.entity();
    json.insert("subject".into(), serde_json::json!({ "kind": entity, "id": id }));
    json.insert("exported_at".into(), serde_json::Value::String(crate::store::instant(now)));
    for t in &tables {
        let rows: Vec<serde_json::Value> = t
            .rows
            .iter()
            .map(|r| serde_json::Value::Object(t.columns.iter().cloned().zip(r.iter().cloned()).collect()))
            .collect();
        json.insert(t.name.into(), serde_json::Value::Array(rows));
    }
    let json = serde_json::to_vec_pretty(&serde_json::Value::Object(json))?;

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("data.xlsx", options)?;
    zip.write_all(&workbook)?;
    zip.start_file("data.json", options)?;
    zip.write_all(&json)?;
    let mut photos = 0;
    for path in &photo_files {
        // A photo not downloaded yet (or already gone) is listed in the data, not fatal.
        let Ok(bytes) = std::fs::read(path) else { continue };
        let name = Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        zip.start_file(format!("photos/{name}"), options)?;
        zip.write_all(&bytes)?;
        photos += 1;
    }
    let bytes = zip.finish()?.into_inner();
    write_private(out, &bytes, overwrite)?;
    store.write(|tx| {
        audit::record(
            tx,
            now,
            Entry { actor: Actor::Cli, action: "pdpa.export", entity, entity_id: Some(id.clone()), detail: None },
        )
    })?;
    Ok(Exported { tables: tables.len(), rows: tables.iter().map(|t| t.rows.len()).sum(), photos })
}

/// What an erasure changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    /// Rows whose personal fields or texts were erased.
    pub records: usize,
    pub photos: usize,
    /// Whether the file was vacuumed and its log folded in (no erased text left in free pages).
    pub file_zeroed: bool,
}

/// Free texts in form answers become [`ERASED_TEXT`]; locations and photos go; choices, numbers and dates stay
/// (they are what the statistics count).
pub fn erase_answers(answers: &mut Answers) {
    answers.retain(|_, a| !matches!(a, Answer::Location { .. }));
    for answer in answers.values_mut() {
        match answer {
            Answer::Text(text) => *text = ERASED_TEXT.to_string(),
            Answer::Photos(photos) => photos.clear(),
            Answer::Repeat(items) => items.iter_mut().for_each(erase_answers),
            _ => {}
        }
    }
}

fn erase_json_answers(text: &str) -> String {
    match serde_json::from_str::<Answers>(text) {
        Ok(mut answers) => {
            erase_answers(&mut answers);
            serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into())
        }
        // Not the engine's shape: keep nothing rather than something personal.
        Err(_) => "{}".into(),
    }
}

/// Erase a student or a person (see the module comment). One transaction; then the file is vacuumed.
pub fn erase(store: &Store, who: Subject, now: DateTime<Utc>) -> anyhow::Result<Erased> {
    // Deleted and overwritten content is zeroed in the pages SQLite frees.
    store.read(|c| Ok(c.pragma_update(None, "secure_delete", "ON")?))?;
    let (mut done, files) = store.write(|tx| {
        let (done, files) = match who {
            Subject::Student(id) => erase_student(tx, id, now)?,
            Subject::User(id) => erase_user(tx, id, now)?,
        };
        let (entity, id) = who.entity();
        let detail = serde_json::json!({ "records": done.records, "photos": done.photos });
        audit::record(
            tx,
            now,
            Entry { actor: Actor::Cli, action: "pdpa.erase", entity, entity_id: Some(id), detail: Some(detail) },
        )?;
        Ok((done, files))
    })?;
    crate::ops::media::remove_files(&files);
    // Rebuild the file without free pages, then fold the log in and empty it: the old texts are nowhere on disk.
    // A busy database (the bot reading at this moment) may refuse the truncate; the next checkpoint does it.
    let zeroed: anyhow::Result<bool> = store.read(|c| {
        c.execute_batch("VACUUM")?;
        let busy: i64 = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    });
    done.file_zeroed = zeroed.unwrap_or(false);
    Ok(done)
}

fn erase_student(tx: &Connection, id: StudentId, now: DateTime<Utc>) -> anyhow::Result<(Erased, Vec<PathBuf>)> {
    let mut done = Erased::default();
    let now_text = crate::store::instant(now);
    // The roster row: the code becomes a placeholder (a later import of the real code makes a new student),
    // names and every personal field go, and the student is archived out of every list.
    done.records += tx.execute(
        "UPDATE students SET student_code = 'erased-' || id, prefix = '', first_name = ?2, last_name = '',
             nickname = NULL, gender = NULL, birth_date = NULL, parent_name = NULL, parent_phone = NULL,
             archived_at = coalesce(archived_at, ?3), updated_at = ?3
         WHERE id = ?1",
        params![id.0, ERASED_TEXT, now_text],
    )?;
    // Submitted forms: free texts, locations and photos go; groups and scores stay for the statistics.
    let submissions: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, answers FROM submissions WHERE student_id = ?1")?;
        let rows = stmt.query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (sid, answers) in submissions {
        done.records += tx
            .execute("UPDATE submissions SET answers = ?2 WHERE id = ?1", params![sid, erase_json_answers(&answers)])?;
    }
    done.records += tx.execute("DELETE FROM form_drafts WHERE student_id = ?1", [id.0])?;
    // Cases: the reason, outcome and agency texts, the plan's goal and actions' texts, and the chronology's
    // texts (the one change the append-only trigger allows).
    let cases = "SELECT id FROM cases WHERE student_id = ?1";
    done.records += tx.execute(
        "UPDATE cases SET reason = ?2, outcome = CASE WHEN outcome IS NULL THEN NULL ELSE ?2 END,
             external_agency = CASE WHEN external_agency IS NULL THEN NULL ELSE ?2 END, photo_file_id = NULL
         WHERE student_id = ?1",
        params![id.0, ERASED_TEXT],
    )?;
    done.records +=
        tx.execute(&format!("UPDATE plans SET goal = ?2 WHERE case_id IN ({cases})"), params![id.0, ERASED_TEXT])?;
    done.records += tx.execute(
        &format!(
            "UPDATE plan_actions SET description = ?2, done_note = CASE WHEN done_note IS NULL THEN NULL ELSE ?2 END
             WHERE case_id IN ({cases})"
        ),
        params![id.0, ERASED_TEXT],
    )?;
    done.records += tx.execute(
        &format!("UPDATE case_events SET detail = ?2 WHERE case_id IN ({cases}) AND detail IS NOT NULL"),
        params![id.0, ERASED_TEXT],
    )?;
    // Reminders and notifications about the student that have not gone out yet are no longer wanted; the texts
    // of sent ones (no names by design, but a note may quote one) are erased too.
    done.records += tx.execute(
        &format!(
            "UPDATE outbox SET text = ?2, status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
             WHERE (dedupe_key LIKE 'case:%' AND CAST(substr(dedupe_key, 6) AS INTEGER) IN ({cases}))
                OR (dedupe_key LIKE 'action:%' AND CAST(substr(dedupe_key, 8) AS INTEGER) IN
                    (SELECT id FROM plan_actions WHERE case_id IN ({cases})))"
        ),
        params![id.0, ERASED_TEXT],
    )?;
    // Unused parent invites for the student stop working.
    done.records += tx.execute(
        "UPDATE invites SET expires_at = ?2 WHERE student_id = ?1 AND used_at IS NULL AND expires_at > ?2",
        params![id.0, now_text],
    )?;
    // Photos: rows and files.
    let files: Vec<PathBuf> = {
        let mut stmt = tx.prepare("SELECT local_path FROM photos WHERE student_id = ?1 AND local_path IS NOT NULL")?;
        let rows = stmt.query_map([id.0], |r| r.get::<_, String>(0))?;
        rows.map(|r| r.map(PathBuf::from)).collect::<Result<_, _>>()?
    };
    done.photos = tx.execute("DELETE FROM photos WHERE student_id = ?1", [id.0])?;
    Ok((done, files))
}

fn erase_user(tx: &Connection, id: UserId, now: DateTime<Utc>) -> anyhow::Result<(Erased, Vec<PathBuf>)> {
    let mut done = Erased::default();
    let now_text = crate::store::instant(now);
    let chat: Option<i64> = tx.query_row("SELECT chat_id FROM users WHERE id = ?1", [id.0], |r| r.get(0)).ok();
    // The account: no name, no username, no Telegram id (a negative placeholder keeps the column unique), no
    // access. The records they made stay, attributed to an erased person.
    done.records += tx.execute(
        "UPDATE users SET display_name = ?2, username = NULL, telegram_id = -id, chat_id = -id,
             revoked_at = coalesce(revoked_at, ?3)
         WHERE id = ?1",
        params![id.0, ERASED_TEXT, now_text],
    )?;
    done.records += tx.execute("DELETE FROM parent_students WHERE user_id = ?1", [id.0])?;
    done.records += tx.execute("DELETE FROM teacher_classes WHERE user_id = ?1", [id.0])?;
    done.records += tx.execute("UPDATE invites SET display_name = NULL WHERE used_by = ?1", [id.0])?;
    // Messages the bot sent them: texts go, unsent ones are cancelled.
    done.records += tx.execute(
        "UPDATE outbox SET text = ?2, status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
         WHERE user_id = ?1",
        params![id.0, ERASED_TEXT],
    )?;
    // Audit rows about the account (an invite with their name, their revocation): their details.
    done.records += tx.execute(
        "UPDATE audit_log SET detail = ?2 WHERE entity = 'user' AND entity_id = CAST(?1 AS TEXT) AND detail IS NOT NULL",
        params![id.0, ERASED_TEXT],
    )?;
    done.records += tx.execute(
        "UPDATE audit_log SET detail = ?2 WHERE action = 'invite.redeem' AND actor = 'user:' || ?1 AND detail IS NOT NULL",
        params![id.0, ERASED_TEXT],
    )?;
    // A conversation in progress.
    if let Some(chat) = chat {
        done.records += tx.execute("DELETE FROM conversations WHERE chat_id = ?1", [chat])?;
    }
    Ok((done, vec![]))
}
