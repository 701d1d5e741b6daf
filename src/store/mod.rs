//! The embedded SQLite store: one file, opened with the pragmas we rely on, migrated on open.
//!
//! Table families live in their own modules as plain functions over a `&Connection`, so a use case can
//! combine several of them inside one transaction (`Store::write`). Long reads (the term's export, statistics)
//! go through [`Store::snapshot`]: their own read-only connection, so they never hold the one lock that every
//! handler and the sender write through.

pub mod audit;
pub mod backup;
pub mod conversations;
pub mod forms;
pub mod holidays;
pub mod invites;
pub mod photos;
pub mod refusals;
pub mod students;
pub mod terms;
pub mod users;
pub mod yearly_tasks;

use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The migrations, in order. Append only: a migration that has landed is never edited.
/// A test checks this list against the files in `migrations/`.
pub const MIGRATION_FILES: &[(&str, &str)] = &[
    ("0001_foundation.sql", include_str!("../../migrations/0001_foundation.sql")),
    ("0002_forms.sql", include_str!("../../migrations/0002_forms.sql")),
    ("0003_outbox.sql", include_str!("../../migrations/0003_outbox.sql")),
    ("0004_care.sql", include_str!("../../migrations/0004_care.sql")),
    ("0005_announcements.sql", include_str!("../../migrations/0005_announcements.sql")),
    ("0006_terms.sql", include_str!("../../migrations/0006_terms.sql")),
    ("0007_surveys.sql", include_str!("../../migrations/0007_surveys.sql")),
    ("0008_school_year.sql", include_str!("../../migrations/0008_school_year.sql")),
    ("0009_ops.sql", include_str!("../../migrations/0009_ops.sql")),
    ("0012_holidays.sql", include_str!("../../migrations/0012_holidays.sql")),
    ("0013_classroom_help.sql", include_str!("../../migrations/0013_classroom_help.sql")),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_FILES.iter().map(|(_, sql)| M::up(sql)).collect())
}

pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl Store {
    /// Open (creating with owner-only permissions if needed) and migrate the database file.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        create_private_file(path)?;
        let conn = Connection::open(path).with_context(|| format!("cannot open database {}", path.display()))?;
        Store::prepare(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database, for tests and the demo.
    pub fn open_in_memory() -> anyhow::Result<Store> {
        Store::prepare(Connection::open_in_memory().context("cannot open in-memory database")?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> anyhow::Result<Store> {
        // WAL: readers (a backup, the CLI) never block the bot. busy_timeout: the CLI and the bot may write
        // at the same moment; wait instead of failing.
        conn.pragma_update(None, "journal_mode", "WAL").context("cannot switch to WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON").context("cannot enable foreign keys")?;
        conn.pragma_update(None, "synchronous", "NORMAL").context("cannot set synchronous")?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).context("cannot set busy timeout")?;
        migrations().to_latest(&mut conn).context("cannot apply database migrations")?;
        Ok(Store { conn: Mutex::new(conn), path })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back on drop),
        // so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Run reads.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let conn = self.lock();
        f(&conn)
    }

    /// Run writes in one immediate transaction: all or nothing.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).context("cannot begin transaction")?;
        let value = f(&tx)?;
        tx.commit().context("cannot commit transaction")?;
        Ok(value)
    }

    /// A long read (the term's export, statistics) in one read transaction — a consistent snapshot — on a
    /// read-only connection of its own, opened for the job. It neither takes nor waits for the store's lock:
    /// in WAL mode the bot's handlers and the sender keep writing beside it, and it keeps reading the database
    /// as it was when it began. Call it from a blocking thread (a handler's, the command line), never from an
    /// async worker, and do the slow work that needs no database (writing a workbook, drawing a chart) after it
    /// returns.
    ///
    /// A database in memory (tests, the demo) has no file to open twice: there the snapshot reads under the
    /// lock, as [`Store::read`] does, still in one transaction.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Connection) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let Some(path) = &self.path else {
            let mut conn = self.lock();
            let tx = conn.transaction().context("cannot begin a read transaction")?;
            return f(&tx);
        };
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .with_context(|| format!("cannot open database {} for reading", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).context("cannot set busy timeout")?;
        // Deferred: the snapshot is taken at the first read and held until the end of the transaction.
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Deferred).context("cannot begin a read transaction")?;
        f(&tx)
    }

    /// The journal mode SQLite reports ("wal" for a file; "memory" for a database in memory).
    pub fn journal_mode(&self) -> anyhow::Result<String> {
        self.read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
    }

    /// The schema version (number of applied migrations).
    pub fn schema_version(&self) -> anyhow::Result<i64> {
        self.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }
}

/// The number of migrations this build knows.
pub fn latest_schema_version() -> i64 {
    MIGRATION_FILES.len() as i64
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.exists() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::private_file::create_private_dir(parent)?;
    }
    // Care records are sensitive personal data (PDPA): only the bot's own user may read the file.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create database {}", path.display()))?;
    Ok(())
}

#[cfg(not(unix))]
fn create_private_file(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// An instant as stored: RFC 3339 in UTC, which sorts as text.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_instant(text: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text).with_context(|| format!("bad stored instant {text:?}"))?.with_timezone(&Utc))
}
