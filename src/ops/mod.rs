//! Running for a year without an engineer: daily backups, the photo sweep, the health check (`dulae doctor`,
//! `/status`) and the PDPA requests (`dulae person export|erase`).

pub mod backups;
pub mod doctor;
pub mod media;
pub mod pdpa;
pub mod store;
pub mod texts;

use crate::app::App;
use std::sync::Arc;
use std::time::Duration;

/// How often the housekeeping task looks whether today's backup and sweep are done.
const CHECK_EVERY: Duration = Duration::from_secs(3600);

/// One housekeeping pass: today's backup if there is none (then retention), and the sweep of photo files no
/// record points to. Each part logs its own failure and does not stop the other.
pub fn housekeeping(app: &App) {
    if let Some(db) = app.store.path() {
        // A configuration built without `Config::from_env` (tests, embedding) has no folder yet: beside the database.
        let dir = if app.config.backup_dir.as_os_str().is_empty() {
            db.with_file_name("backups")
        } else {
            app.config.backup_dir.clone()
        };
        match backups::daily(db, &dir, app.clock.today()) {
            Ok(Some(file)) => tracing::info!(file = %file.display(), "daily backup written and checked"),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "the daily backup failed; will try again within the hour")
            }
        }
    }
    match media::sweep(&app.store, &app.config.media_dir) {
        Ok(removed) if removed > 0 => tracing::info!(removed, "photo files no record points to were removed"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "the photo sweep failed; will try again"),
    }
}

/// The housekeeping task of the running bot: at start, then every hour (backups are daily by their file name),
/// until `stop`. Each pass runs on a blocking thread; a panicked pass is logged and tried again within the hour.
pub async fn run_housekeeping(app: Arc<App>, mut stop: crate::app::tasks::StopSignal) -> anyhow::Result<()> {
    loop {
        let worker = Arc::clone(&app);
        if let Err(e) = tokio::task::spawn_blocking(move || housekeeping(&worker)).await {
            tracing::error!(error = %e, "housekeeping panicked; will try again");
        }
        tokio::select! {
            () = tokio::time::sleep(CHECK_EVERY) => {}
            () = stop.stopped() => return Ok(()),
        }
    }
}
