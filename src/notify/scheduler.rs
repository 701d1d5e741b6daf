//! The clock-driven work: every half minute, due reminders go to the outbox, the weekly digest is sent when
//! it is owed, and the yearly tasks have their next reminder planned. Everything it does is rows in SQLite, so
//! a restart neither loses nor repeats anything.

use crate::app::App;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

const TICK: Duration = Duration::from_secs(30);

/// One pass, at the app's clock. Public so tests and the CLI can run it without waiting.
pub fn tick(app: &App) -> anyhow::Result<super::reminders::Pass> {
    let now = app.clock.now();
    super::reminders::plan_yearly_tasks(&app.store, &app.config.reminders, app.clock.today())?;
    let pass = super::reminders::run_due(&app.store, &app.l10n, &app.config.reminders, now)?;
    let charts = app.config.media_dir.join("charts");
    super::digest::send_if_due(&app.store, &app.l10n, now, Some(&charts))?;
    Ok(pass)
}

pub fn spawn(app: Arc<App>) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let (stop, mut stopped) = watch::channel(false);
    let handle = tokio::spawn(async move {
        loop {
            let worker = Arc::clone(&app);
            match tokio::task::spawn_blocking(move || tick(&worker)).await {
                Ok(Ok(pass)) if pass.sent + pass.skipped + pass.cancelled > 0 => {
                    tracing::info!(?pass, "reminders handled")
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %format!("{e:#}"), "the reminder pass failed; will try again"),
                Err(e) => tracing::error!(error = %e, "the reminder pass panicked; will try again"),
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = stopped.changed() => break,
            }
        }
    });
    (stop, handle)
}
