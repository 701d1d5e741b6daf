//! The task that copies photos to the media folder (`crate::notify::media`), with Telegram as the source.

use crate::app::App;
use crate::notify::media::{PhotoSource, copy_pending};
use std::sync::Arc;
use std::time::Duration;
use teloxide::net::Download;
use teloxide::prelude::*;
use tokio::sync::watch;

const PAUSE: Duration = Duration::from_secs(30);

pub fn spawn_fetcher(app: Arc<App>, bot: Bot) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let (stop, mut stopped) = watch::channel(false);
    let handle = tokio::spawn(async move {
        loop {
            if let Err(e) = fetch_pending(&app, &bot).await {
                tracing::warn!(error = %format!("{e:#}"), "photo fetching failed; will try again");
            }
            tokio::select! {
                _ = tokio::time::sleep(PAUSE) => {}
                _ = stopped.changed() => break,
            }
        }
    });
    (stop, handle)
}

/// Telegram as the source of photos.
struct TelegramPhotos<'a>(&'a Bot);

impl PhotoSource for TelegramPhotos<'_> {
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

async fn fetch_pending(app: &App, bot: &Bot) -> anyhow::Result<()> {
    let copied = copy_pending(&app.store, &TelegramPhotos(bot), &app.config.media_dir, || app.clock.now()).await?;
    if copied.saved + copied.failed > 0 {
        tracing::info!(?copied, "photos copied to the media folder");
    }
    Ok(())
}
