//! Backups that happen without anyone remembering them, and a way back.
//!
//! The running bot copies the database once a day into `DULAE_BACKUP_DIR` (SQLite's online backup, so the bot
//! keeps working), checks every copy with `PRAGMA integrity_check`, and keeps 7 daily, 4 weekly and 12 monthly
//! copies. Its own files are named `dulae-YYYY-MM-DD.db`; files with any other name (a copy made by hand with
//! `dulae backup`) are never removed. `dulae restore FILE` puts a copy back while the bot is stopped.

use crate::l10n::{Args, Tr};
use crate::private_file::create_private_dir;
use anyhow::Context as _;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How many copies are kept: the newest of each of the last 7 days, 4 weeks and 12 months.
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 4;
pub const KEEP_MONTHLY: usize = 12;

/// The file name of the automatic backup of `date` (a Bangkok date, written in the Gregorian calendar so the
/// names sort by date).
pub fn daily_name(date: NaiveDate) -> String {
    format!("dulae-{}.db", date.format("%Y-%m-%d"))
}

/// The date in an automatic backup's file name, or `None` for any other file.
pub fn date_of(file_name: &str) -> Option<NaiveDate> {
    let date = file_name.strip_prefix("dulae-")?.strip_suffix(".db")?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// The automatic backups in `dir`, newest first.
pub fn list(dir: &Path) -> anyhow::Result<Vec<(NaiveDate, PathBuf)>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e).with_context(|| format!("cannot read folder {}", dir.display())),
    };
    for entry in entries.flatten() {
        if let Some(date) = entry.file_name().to_str().and_then(date_of) {
            found.push((date, entry.path()));
        }
    }
    found.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    Ok(found)
}

/// Make today's backup if there is none yet. Returns the new file, or `None` when today's exists already.
pub fn backup_if_due(db: &Path, dir: &Path, today: NaiveDate) -> anyhow::Result<Option<PathBuf>> {
    let target = dir.join(daily_name(today));
    if target.is_file() {
        return Ok(None);
    }
    create_private_dir(dir)?;
    // Copied under a temporary name and renamed after the check: a half-made copy never looks like a backup.
    let partial = dir.join(format!(".{}.part", daily_name(today)));
    let _ = std::fs::remove_file(&partial);
    let made = crate::store::backup::backup(db, &partial);
    if let Err(e) = made {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &target).with_context(|| format!("cannot move {} into place", target.display()))?;
    Ok(Some(target))
}

/// Which automatic backups to keep among `dates` (any order): the newest of each of the last 7 days that have
/// one, of the last 4 ISO weeks and of the last 12 months.
pub fn to_keep(dates: &[NaiveDate]) -> BTreeSet<NaiveDate> {
    let mut newest_first: Vec<NaiveDate> = dates.to_vec();
    newest_first.sort_by_key(|d| std::cmp::Reverse(*d));
    newest_first.dedup();
    let mut keep: BTreeSet<NaiveDate> = newest_first.iter().take(KEEP_DAILY).copied().collect();
    let mut pick = |key: &dyn Fn(NaiveDate) -> (i32, u32), count: usize| {
        let mut seen = Vec::new();
        for date in &newest_first {
            let k = key(*date);
            if !seen.contains(&k) {
                if seen.len() == count {
                    break;
                }
                seen.push(k);
                keep.insert(*date);
            }
        }
    };
    pick(&|d| (d.iso_week().year(), d.iso_week().week()), KEEP_WEEKLY);
    pick(&|d| (d.year(), d.month()), KEEP_MONTHLY);
    keep
}

/// Remove the automatic backups retention no longer keeps. Returns the removed files.
pub fn prune(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let all = list(dir)?;
    let keep = to_keep(&all.iter().map(|(d, _)| *d).collect::<Vec<_>>());
    let mut removed = Vec::new();
    for (date, path) in all {
        if !keep.contains(&date) {
            std::fs::remove_file(&path).with_context(|| format!("cannot remove old backup {}", path.display()))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

/// Today's backup if due, then retention. What the bot runs every hour.
pub fn daily(db: &Path, dir: &Path, today: NaiveDate) -> anyhow::Result<Option<PathBuf>> {
    let made = backup_if_due(db, dir, today)?;
    if made.is_some() {
        let removed = prune(dir)?;
        if !removed.is_empty() {
            tracing::info!(removed = removed.len(), "old backups removed by retention");
        }
    }
    Ok(made)
}

/// A lock held for as long as the bot runs, on `<database>.lock` beside the database. `dulae restore` and
/// `dulae doctor` try the same lock to learn whether the bot is running (the operating system releases it
/// when the process ends, even by a crash, so a stale file never blocks anything).
pub struct RunLock {
    _file: std::fs::File,
}

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    db.with_file_name(name)
}

fn open_lock_file(db: &Path) -> anyhow::Result<std::fs::File> {
    let path = lock_path(db);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&path).with_context(|| format!("cannot open {}", path.display()))
}

impl RunLock {
    /// Take the lock, or refuse because another bot already runs on this database.
    pub fn take(db: &Path) -> anyhow::Result<RunLock> {
        let file = open_lock_file(db)?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                let l10n = crate::l10n::messages::shared()?;
                let text = crate::config::bilingual(l10n, "ops-already-running", || {
                    Args::new().str("path", db.display().to_string())
                });
                Err(crate::config::ConfigurationError(text).into())
            }
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", lock_path(db).display()))
            }
        }
    }

    /// Whether a bot holds the lock on this database right now.
    pub fn is_held(db: &Path) -> bool {
        if !lock_path(db).is_file() {
            return false;
        }
        match open_lock_file(db) {
            Ok(file) => matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock)),
            Err(_) => false,
        }
    }
}

/// What is wrong with a file offered for restore, if anything: it must be a SQLite database that passes
/// `PRAGMA integrity_check`, holds Dulae's tables, and is not from a newer version of Dulae.
pub fn check_backup_file(file: &Path) -> anyhow::Result<i64> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", file.display()))?;
    let check =
        super::store::integrity_check(&conn).with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if check != "ok" {
        anyhow::bail!("{} is damaged: {check}", file.display());
    }
    if !super::store::has_students_table(&conn)? {
        anyhow::bail!("{} is not a Dulae database (it has no students table)", file.display());
    }
    let version = super::store::schema_version(&conn)?;
    if version > crate::store::latest_schema_version() {
        anyhow::bail!(
            "{} comes from a newer Dulae (schema {version}, this one knows {}); update Dulae first",
            file.display(),
            crate::store::latest_schema_version()
        );
    }
    Ok(version)
}

/// Put `file` in place of the database at `db`. The current database is kept as `<db>.before-restore` (an
/// older one of that name gets a time stamp rather than being lost). Refuses while the bot runs.
/// Returns where the previous database was kept.
pub fn restore(db: &Path, file: &Path) -> anyhow::Result<Option<PathBuf>> {
    check_backup_file(file)?;
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // The copy goes beside the database first (same file system), then is renamed into place.
    let incoming = dir.join(format!(".{}.restore.part", db.file_name().and_then(|n| n.to_str()).unwrap_or("dulae.db")));
    let _ = std::fs::remove_file(&incoming);
    crate::store::backup::backup(file, &incoming)?;
    let kept = if db.exists() {
        // Fold the write-ahead log into the file so the kept copy is whole and no stale log meets the new file.
        {
            let conn = Connection::open(db).with_context(|| format!("cannot open {}", db.display()))?;
            super::store::checkpoint_truncate(&conn).with_context(|| format!("cannot checkpoint {}", db.display()))?;
        }
        let mut kept = PathBuf::from(format!("{}.before-restore", db.display()));
        if kept.exists() {
            kept =
                PathBuf::from(format!("{}.before-restore-{}", db.display(), chrono::Utc::now().format("%Y%m%d%H%M%S")));
        }
        std::fs::rename(db, &kept)
            .with_context(|| format!("cannot keep the current database as {}", kept.display()))?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::rename(&incoming, db).with_context(|| format!("cannot move the restored database to {}", db.display()))?;
    // Bring an older backup up to this version's schema at once.
    drop(crate::store::Store::open(db)?);
    Ok(kept)
}

/// `dulae restore FILE [--yes]`.
pub fn restore_command(config: &crate::config::Config, tr: Tr<'_>, file: &Path, yes: bool) -> anyhow::Result<()> {
    let db = &config.db_path;
    let shown = file.display().to_string();
    if !file.is_file() {
        anyhow::bail!(tr.with("ops-restore-no-file", Args::new().str("file", shown)));
    }
    if RunLock::is_held(db) {
        anyhow::bail!(tr.get("ops-restore-bot-running"));
    }
    if let Err(e) = check_backup_file(file) {
        anyhow::bail!(tr.with("ops-restore-bad-file", Args::new().str("file", shown).str("problem", format!("{e:#}"))));
    }
    if !yes {
        eprint!(
            "{} ",
            tr.with("ops-restore-confirm", Args::new().str("file", shown.clone()).str("db", db.display().to_string()))
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).context("cannot read the answer")?;
        let answer = answer.trim().to_lowercase();
        if !matches!(answer.as_str(), "y" | "yes" | "ใช่" | "ช") {
            println!("{}", tr.get("ops-restore-cancelled"));
            return Ok(());
        }
    }
    let kept = restore(db, file)?;
    println!("{}", tr.with("ops-restored", Args::new().str("file", shown)));
    if let Some(kept) = kept {
        println!("{}", tr.with("ops-restore-kept", Args::new().str("file", kept.display().to_string())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(daily_name(d(2026, 11, 24)), "dulae-2026-11-24.db");
        assert_eq!(date_of("dulae-2026-11-24.db"), Some(d(2026, 11, 24)));
        assert_eq!(date_of("copy.db"), None);
        assert_eq!(date_of("dulae-2026-11-24.db.before-restore"), None);
    }

    #[test]
    fn retention_keeps_7_daily_4_weekly_12_monthly() {
        // A backup every day for two years.
        let last = d(2026, 12, 1);
        let dates: Vec<NaiveDate> = (0..730).map(|n| last - chrono::Duration::days(n)).collect();
        let keep = to_keep(&dates);
        // The last 7 days.
        for n in 0..7 {
            assert!(keep.contains(&(last - chrono::Duration::days(n))));
        }
        // One per week for the last 4 weeks (the newest day of each), one per month for 12 months.
        let weeks: BTreeSet<_> = keep.iter().map(|d| (d.iso_week().year(), d.iso_week().week())).collect();
        let months: BTreeSet<_> = keep.iter().map(|d| (d.year(), d.month())).collect();
        assert_eq!(months.len(), 12, "{keep:?}");
        assert!(weeks.len() >= 4);
        assert!(keep.len() <= KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY);
        assert!(!keep.contains(&d(2025, 11, 30)), "older than 12 months goes");
        assert!(keep.contains(&d(2026, 1, 31)), "the newest of January stays");
        // Nothing but the newest when there is one file.
        assert_eq!(to_keep(&[last]).len(), 1);
    }
}
