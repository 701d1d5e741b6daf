//! The clock-driven work: every half minute, due reminders go to the outbox, the weekly digest is sent when
//! it is owed, and the yearly tasks have their next reminder planned. Everything it does is rows in SQLite, so
//! a restart neither loses nor repeats anything.

use crate::app::App;
use crate::app::db;
use crate::app::tasks::StopSignal;
use std::sync::Arc;
use std::time::Duration;

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

/// The scheduler task of the running bot: a pass at start, then every [`TICK`], until `stop`. Each pass runs on a
/// blocking thread (it is all SQLite). A failed or panicked pass is logged and tried again on the next tick; the
/// task itself ends only on the stop signal (see `app::tasks`).
pub async fn run(app: Arc<App>, mut stop: StopSignal) -> anyhow::Result<()> {
    loop {
        let worker = Arc::clone(&app);
        match db::off_thread(move || tick(&worker)).await {
            Ok(pass) if pass.sent + pass.skipped + pass.cancelled > 0 => tracing::info!(?pass, "reminders handled"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "the reminder pass failed; will try again"),
        }
        tokio::select! {
            () = tokio::time::sleep(TICK) => {}
            () = stop.stopped() => return Ok(()),
        }
    }
}
