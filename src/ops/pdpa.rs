//! Requests under Thailand's Personal Data Protection Act (PDPA) about one person: a copy of everything the
//! school holds on them (`dulae person export`) and erasure (`dulae person erase`).
//!
//! Export writes one private zip: a workbook (XLSX, Thai-readable), the same data as JSON (machine-readable),
//! and the photo files. Erasure removes the personal fields and photos but keeps the records' shape: counts,
//! dates, screening groups and the append-only history stay, their free texts replaced by [`ERASED_TEXT`]
//! (migration 0009 allows exactly that change on the append-only tables). Deleted content is zeroed on disk
//! (`secure_delete`, then `VACUUM`), and both requests are written to the audit log.

use super::store as db;
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
use chrono::{DateTime, Utc};
use clap::Subcommand;
use rusqlite::Connection;
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

pub use super::store::Table;

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
    // One read transaction: the tables and the photo list agree with each other.
    let (tables, photo_files) = store.snapshot(|c| {
        let tables = match who {
            Subject::Student(id) => db::student_tables(c, id)?,
            Subject::User(id) => db::user_tables(c, id)?,
        };
        let photos: Vec<String> = match who {
            Subject::Student(id) => crate::store::photos::local_paths_of_student(c, id)?,
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
    store.read(db::enable_secure_delete)?;
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
        db::vacuum(c)?;
        db::checkpoint_truncate(c)
    });
    done.file_zeroed = zeroed.unwrap_or(false);
    Ok(done)
}

fn erase_student(tx: &Connection, id: StudentId, now: DateTime<Utc>) -> anyhow::Result<(Erased, Vec<PathBuf>)> {
    let mut done = Erased::default();
    let now_text = crate::store::instant(now);
    done.records += db::erase_student_row(tx, id, ERASED_TEXT, &now_text)?;
    // Submitted forms: free texts, locations and photos go; groups and scores stay for the statistics.
    for (submission, answers) in db::submission_answers_of_student(tx, id)? {
        done.records += db::set_submission_answers(tx, submission, &erase_json_answers(&answers))?;
    }
    done.records += db::delete_drafts_of_student(tx, id)?;
    done.records += db::erase_case_texts_of_student(tx, id, ERASED_TEXT)?;
    // Reminders and notifications about the student that have not gone out yet are no longer wanted; the texts
    // of sent ones (no names by design, but a note may quote one) are erased too.
    done.records += db::erase_messages_about_student(tx, id, ERASED_TEXT)?;
    // Unused parent invites for the student stop working.
    done.records += db::expire_parent_invites_of(tx, id, &now_text)?;
    // Photos: rows and files.
    let files: Vec<PathBuf> =
        crate::store::photos::local_paths_of_student(tx, id)?.into_iter().map(PathBuf::from).collect();
    done.photos = crate::store::photos::delete_of_student(tx, id)?;
    Ok((done, files))
}

fn erase_user(tx: &Connection, id: UserId, now: DateTime<Utc>) -> anyhow::Result<(Erased, Vec<PathBuf>)> {
    let mut done = Erased::default();
    let now_text = crate::store::instant(now);
    let chat = db::chat_of_user(tx, id)?;
    done.records += db::erase_user_row(tx, id, ERASED_TEXT, &now_text)?;
    done.records += db::unlink_user(tx, id)?;
    done.records += db::erase_messages_to_user(tx, id, ERASED_TEXT)?;
    done.records += db::erase_audit_details_of_user(tx, id, ERASED_TEXT)?;
    if let Some(chat) = chat {
        done.records += db::delete_conversation(tx, chat)?;
    }
    Ok((done, vec![]))
}
