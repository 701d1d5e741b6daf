//! Fetching local copies of the photos teachers send during home visits. The file id is saved at once (the
//! form never waits for a download); this task copies the files to the media folder when the network allows,
//! retrying a bounded number of times.

use crate::app::App;
use crate::store::photos;
use std::sync::Arc;
use std::time::Duration;
use teloxide::net::Download;
use teloxide::prelude::*;
use tokio::sync::watch;

const MAX_ATTEMPTS: i64 = 10;
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

async fn fetch_pending(app: &App, bot: &Bot) -> anyhow::Result<()> {
    let pending = app.store.read(|c| photos::pending(c, MAX_ATTEMPTS, 20))?;
    if pending.is_empty() {
        return Ok(());
    }
    tokio::fs::create_dir_all(&app.config.media_dir).await?;
    for photo in pending {
        let name = photo
            .file_unique_id
            .clone()
            .unwrap_or_else(|| photo.file_id.chars().filter(char::is_ascii_alphanumeric).take(40).collect());
        let path = app.config.media_dir.join(format!("{name}.jpg"));
        match download(bot, &photo.file_id, &path).await {
            Ok(()) => {
                let shown = path.display().to_string();
                let now = app.clock.now();
                app.store.write(|tx| photos::mark_fetched(tx, &photo.file_id, &shown, now))?;
            }
            Err(e) => {
                let error = format!("{e:#}");
                tracing::warn!(file = %name, error = %error, "could not download a photo");
                app.store.write(|tx| photos::mark_failed(tx, &photo.file_id, &error))?;
            }
        }
    }
    Ok(())
}

async fn download(bot: &Bot, file_id: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let file = bot.get_file(teloxide::types::FileId(file_id.to_string())).await?;
    let partial = path.with_extension("part");
    let mut out = tokio::fs::File::create(&partial).await?;
    bot.download_file(&file.path, &mut out).await?;
    drop(out);
    // Rename last, so a half-written file is never taken for a photo.
    tokio::fs::rename(&partial, path).await?;
    Ok(())
}
