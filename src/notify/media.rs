//! Local copies of the photos teachers send during home visits and referrals. The Telegram file id is saved
//! at once (a form never waits for a download on one bar of signal); this copies the files into the media
//! folder when the network allows, a bounded number of tries each, and never leaves a half-written file.

use crate::store::{Store, photos};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::path::{Path, PathBuf};

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

/// Copy up to 20 pending photos into `dir`.
pub async fn copy_pending(
    store: &Store,
    source: &impl PhotoSource,
    dir: &Path,
    now: impl Fn() -> DateTime<Utc>,
) -> anyhow::Result<Copied> {
    let pending = store.read(|c| photos::pending(c, MAX_ATTEMPTS, 20))?;
    let mut copied = Copied::default();
    if pending.is_empty() {
        return Ok(copied);
    }
    crate::private_file::create_private_dir(dir)?;
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
                store.write(|tx| photos::mark_fetched(tx, &photo.file_id, &shown, at))?;
                copied.saved += 1;
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                let error = format!("{e:#}");
                tracing::warn!(file = %photo.file_id, error = %error, "could not download a photo");
                store.write(|tx| photos::mark_failed(tx, &photo.file_id, &error))?;
                copied.failed += 1;
            }
        }
    }
    Ok(copied)
}
