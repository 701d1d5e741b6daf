//! A consistent copy of the live database, taken with SQLite's online backup while the bot keeps running.

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// Copy `source` to `target` page by page; the copy is a consistent snapshot even while the bot writes.
/// The target gets owner-only permissions, like the database itself.
pub fn backup(source: &Path, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        anyhow::bail!("{} already exists; choose a new file name so no backup is overwritten", target.display());
    }
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .with_context(|| format!("cannot open database {}", source.display()))?;
    src.busy_timeout(Duration::from_secs(5))?;
    if let Some(dir) = target.parent() {
        crate::private_file::create_private_dir(dir)?;
    }
    super::create_private_file(target)?;
    let mut dst = Connection::open(target).with_context(|| format!("cannot create {}", target.display()))?;
    {
        let backup = rusqlite::backup::Backup::new(&src, &mut dst).context("cannot start the backup")?;
        // 256 pages at a time with a short pause lets the bot write between steps.
        backup.run_to_completion(256, Duration::from_millis(5), None).context("the backup did not complete")?;
    }
    let check: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0)).context("cannot check the copy")?;
    if check != "ok" {
        anyhow::bail!("the copy failed its integrity check: {check}");
    }
    Ok(())
}
