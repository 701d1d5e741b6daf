//! Local copies of the photos teachers send during home visits and referrals. The Telegram file id is saved
//! at once (a form never waits for a download on one bar of signal); this copies the files into the media
//! folder when the network allows, a bounded number of tries each, and never leaves a half-written file.

use crate::app::db;
use crate::store::{Store, photos};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Give up on a photo after this many failed downloads (it stays listed with its last error).
pub const MAX_ATTEMPTS: i64 = 10;

/// Where photos come from: Telegram in production, a fake in tests.
pub trait PhotoSource: Send + Sync {
    /// Write the file behind `file_id` to `dest`.
    fn download(&self, file_id: &str, dest: &Path) -> impl Future<Output = anyhow::Result<()>> + Send;
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    pub saved: usize,
    pub failed: usize,
}

/// The local file name of a photo: Telegram's unique id when known (stable across re-sends), else the file id's
/// safe characters.
fn local_name(file_id: &str, unique_id: Option<&str>) -> String {
    let base: String = unique_id
        .unwrap_or(file_id)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect();
    if base.is_empty() { "photo".to_string() } else { base }
}

/// Copy up to 20 pending photos into `dir`. The store is read and written on blocking threads (`app::db`).
pub async fn copy_pending(
    store: &Arc<Store>,
    source: &impl PhotoSource,
    dir: &Path,
    now: impl Fn() -> DateTime<Utc>,
) -> anyhow::Result<Copied> {
    let pending = db::read(store, |c| photos::pending(c, MAX_ATTEMPTS, 20)).await?;
    let mut copied = Copied::default();
    if pending.is_empty() {
        return Ok(copied);
    }
    let folder = dir.to_path_buf();
    db::off_thread(move || crate::private_file::create_private_dir(&folder)).await?;
    for photo in pending {
        let path: PathBuf = dir.join(format!("{}.jpg", local_name(&photo.file_id, photo.file_unique_id.as_deref())));
        let partial = path.with_extension("part");
        let result = async {
            source.download(&photo.file_id, &partial).await?;
            // Owner-only whatever the umask and whoever wrote the file: photos of children at home.
            crate::private_file::make_private(&partial)?;
            // Renamed last, so a half-written file is never taken for a photo.
            tokio::fs::rename(&partial, &path).await?;
            anyhow::Ok(())
        }
        .await;
        match result {
            Ok(()) => {
                let shown = path.display().to_string();
                let at = now();
                let file_id = photo.file_id.clone();
                db::write(store, move |tx| photos::mark_fetched(tx, &file_id, &shown, at)).await?;
                copied.saved += 1;
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                let error = format!("{e:#}");
                tracing::warn!(file = %photo.file_id, error = %error, "could not download a photo");
                let file_id = photo.file_id.clone();
                db::write(store, move |tx| photos::mark_failed(tx, &file_id, &error)).await?;
                copied.failed += 1;
            }
        }
    }
    Ok(copied)
}
