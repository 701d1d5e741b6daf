//! The task that copies photos to the media folder (`crate::notify::media`), with Telegram as the source.

use crate::app::App;
use crate::app::tasks::StopSignal;
use crate::notify::media::{PhotoSource, copy_pending};
use std::sync::Arc;
use std::time::Duration;
use teloxide::net::Download;
use teloxide::prelude::*;

const PAUSE: Duration = Duration::from_secs(30);

/// Look for photos to copy at start, then every [`PAUSE`], until `stop`. A failed round is logged and tried again
/// (each photo has its own bounded tries, see `notify::media`); the task ends only on the stop signal.
pub async fn run_fetcher(app: Arc<App>, source: impl PhotoSource, mut stop: StopSignal) -> anyhow::Result<()> {
    loop {
        match copy_pending(&app.store, &source, &app.config.media_dir, || app.clock.now()).await {
            Ok(copied) if copied.saved + copied.failed > 0 => {
                tracing::info!(?copied, "photos copied to the media folder")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "photo fetching failed; will try again"),
        }
        tokio::select! {
            () = tokio::time::sleep(PAUSE) => {}
            () = stop.stopped() => return Ok(()),
        }
    }
}

/// Telegram as the source of photos.
pub struct TelegramPhotos(pub Bot);

impl PhotoSource for TelegramPhotos {
    async fn download(&self, file_id: &str, dest: &std::path::Path) -> anyhow::Result<()> {
        let file = self.0.get_file(teloxide::types::FileId(file_id.to_string())).await?;
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut out = options.open(dest).await?;
        self.0.download_file(&file.path, &mut out).await?;
        Ok(())
    }
}
