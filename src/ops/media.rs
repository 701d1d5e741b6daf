//! Only photos that belong to a record are kept. A photo the form refused is neither stored nor downloaded; a
//! cancelled form takes its draft's photos with it (rows and files); and a sweep removes what nothing points to
//! any more — photo rows no submission, draft, case or conversation names, and files in the media folder no
//! photo row names.

use crate::domain::UserId;
use crate::forms::engine::FormSession;
use crate::store::students::StudentId;
use crate::store::{Store, photos};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Files and rows younger than this are left alone by the sweep: a download may be finishing, a teacher may be
/// in the middle of a form.
pub const SWEEP_GRACE: Duration = Duration::from_secs(24 * 3600);

/// After a form step: record the photo (so the fetcher copies it) only if the form kept it as an answer.
/// Returns whether it was kept.
pub fn record_if_kept(
    conn: &Connection,
    session: &FormSession,
    photo: (&str, &str),
    user: UserId,
    student: StudentId,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let (file_id, unique_id) = photo;
    let json = serde_json::to_string(session)?;
    if !json.contains(&format!("\"{file_id}\"")) {
        return Ok(false);
    }
    crate::store::photos::record(conn, file_id, Some(unique_id), user, Some(student), now)?;
    Ok(true)
}

/// The photos of a draft that is being cancelled: their rows are deleted (unless a submitted record or a case
/// uses the same photo) and their local files returned for [`remove_files`] once the transaction committed.
pub fn forget_draft_photos(
    conn: &Connection,
    user: UserId,
    student: StudentId,
    form_id: &str,
) -> anyhow::Result<Vec<PathBuf>> {
    let Some(session) = crate::store::forms::load_draft(conn, user, student, form_id)? else {
        return Ok(vec![]);
    };
    let mut files = vec![];
    for photo in photos::in_draft(conn, user, student, &session)? {
        if photos::used_by_a_record(conn, &photo.file_id, false)? {
            continue;
        }
        photos::delete(conn, &photo.file_id)?;
        files.extend(photo.local_path.map(PathBuf::from));
    }
    Ok(files)
}

/// Delete files (after the rows that named them are gone). A file already missing is fine.
pub fn remove_files(files: &[PathBuf]) {
    for file in files {
        if let Err(e) = std::fs::remove_file(file)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(file = %file.display(), error = %e, "could not remove a photo file");
        }
    }
}

/// The sweep: photo rows older than a day that no record or draft names are deleted with their files, then
/// files in `media_dir` (not its sub-folders: charts live there) older than a day that no photo row names.
/// Returns how many files were removed.
pub fn sweep(store: &Store, media_dir: &Path) -> anyhow::Result<usize> {
    let cutoff = chrono::Utc::now() - chrono::Duration::from_std(SWEEP_GRACE).unwrap_or_default();
    let orphaned_rows: Vec<PathBuf> = store.write(|tx| {
        let mut files = vec![];
        for photo in photos::received_before(tx, cutoff)? {
            if !photos::used_by_a_record(tx, &photo.file_id, true)? {
                photos::delete(tx, &photo.file_id)?;
                files.extend(photo.local_path.map(PathBuf::from));
            }
        }
        Ok(files)
    })?;
    let mut removed = orphaned_rows.iter().filter(|f| f.is_file()).count();
    remove_files(&orphaned_rows);
    let Ok(entries) = std::fs::read_dir(media_dir) else {
        return Ok(removed);
    };
    // Compared by file name: older rows may hold a relative path, newer ones an absolute one.
    let known: std::collections::HashSet<std::ffi::OsString> = store
        .read(photos::local_paths)?
        .iter()
        .filter_map(|p| Path::new(p).file_name().map(|n| n.to_os_string()))
        .collect();
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        let old_enough = meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|age| age > SWEEP_GRACE);
        if !meta.is_file() || !old_enough {
            continue;
        }
        let named = known.contains(&entry.file_name());
        if !named {
            remove_files(std::slice::from_ref(&path));
            removed += 1;
        }
    }
    Ok(removed)
}
