//! `dulae doctor` and the admin's `/status`: is everything the bot needs in order? Token and Telegram, the
//! database (where, who may read it, intact, which schema), free disk, the form files, the media and backup
//! folders, the last backup, the clock, and the outbox. Each line says what is fine or what to do.
//!
//! A running bot and notifications waiting in the outbox are normal; a machine clock in UTC is healthy (Dulae
//! works in Asia/Bangkok by itself). Only real problems make `doctor` exit non-zero.

use crate::config::Config;
use crate::l10n::{Args, Localizer, Tr};
use crate::ops::backups;
use crate::private_file::is_shared;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::path::Path;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Fine.
    Ok,
    /// Worth knowing, nothing to do (the bot is running, messages are waiting to go out).
    Note,
    /// Should be looked at soon; the bot works.
    Warning,
    /// Something is broken or will break: `doctor` exits non-zero.
    Problem,
}

impl Level {
    fn mark(self) -> &'static str {
        match self {
            Level::Ok => "✅",
            Level::Note => "ℹ️",
            Level::Warning => "⚠️",
            Level::Problem => "❌",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Check {
    pub level: Level,
    pub text: String,
}

impl Check {
    fn new(level: Level, text: String) -> Check {
        Check { level, text }
    }

    pub fn line(&self) -> String {
        format!("{} {}", self.level.mark(), self.text)
    }
}

/// Less free space than this is a problem; less than [`LOW_DISK_BYTES`] a warning.
pub const FULL_DISK_BYTES: u64 = 200 * 1024 * 1024;
pub const LOW_DISK_BYTES: u64 = 1024 * 1024 * 1024;
/// The newest automatic backup older than this many hours is a problem (the bot makes one a day).
pub const BACKUP_TOO_OLD_HOURS: i64 = 48;

/// How paths are shown: in full at the terminal, only the last name in chat (`/status` shows no detail of the
/// machine's folders).
fn shown(path: &Path, full: bool) -> String {
    if full {
        path.display().to_string()
    } else {
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    }
}

/// The checks that need no network. `store` is the open database when there is one; `full_paths` is false
/// for the chat.
pub fn local_checks(
    config: &Config,
    tr: Tr<'_>,
    store: Option<&Store>,
    bot_running: bool,
    now: DateTime<Utc>,
    full_paths: bool,
) -> Vec<Check> {
    let mut checks = vec![];
    let db = &config.db_path;
    let db_shown = shown(db, full_paths);
    // The database.
    match store {
        None => {
            let id = if db.is_file() { "ops-doctor-db-unopenable" } else { "ops-doctor-db-missing" };
            checks.push(Check::new(Level::Problem, tr.with(id, Args::new().str("path", db_shown))));
        }
        Some(store) => {
            checks
                .push(Check::new(Level::Ok, tr.with("ops-doctor-db-path", Args::new().str("path", db_shown.clone()))));
            match is_shared(db) {
                Ok(false) => checks.push(Check::new(Level::Ok, tr.get("ops-doctor-db-private"))),
                Ok(true) => checks.push(Check::new(
                    Level::Problem,
                    tr.with("ops-doctor-db-shared", Args::new().str("path", db_shown.clone())),
                )),
                Err(_) => {}
            }
            // A check of the whole file is a long read: in a snapshot of its own, so `/status` never holds the
            // lock the chat and the sender write through (see `Store::snapshot`).
            let integrity: anyhow::Result<String> = store.snapshot(super::store::quick_check);
            match integrity {
                Ok(ok) if ok == "ok" => checks.push(Check::new(Level::Ok, tr.get("ops-doctor-integrity-ok"))),
                Ok(problem) => checks.push(Check::new(
                    Level::Problem,
                    tr.with("ops-doctor-integrity-bad", Args::new().str("problem", problem)),
                )),
                Err(e) => checks.push(Check::new(
                    Level::Problem,
                    tr.with("ops-doctor-integrity-bad", Args::new().str("problem", format!("{e:#}"))),
                )),
            }
            let latest = crate::store::latest_schema_version();
            match store.schema_version() {
                Ok(v) if v == latest => {
                    checks.push(Check::new(Level::Ok, tr.with("ops-doctor-schema-ok", Args::new().num("version", v))))
                }
                Ok(v) => checks.push(Check::new(
                    Level::Problem,
                    tr.with("ops-doctor-schema-other", Args::new().num("version", v).num("latest", latest)),
                )),
                Err(e) => checks.push(Check::new(
                    Level::Problem,
                    tr.with("ops-doctor-integrity-bad", Args::new().str("problem", format!("{e:#}"))),
                )),
            }
            checks.extend(outbox_checks(store, tr, now));
        }
    }
    checks.push(if bot_running {
        Check::new(Level::Note, tr.get("ops-doctor-bot-running"))
    } else {
        Check::new(Level::Note, tr.get("ops-doctor-bot-stopped"))
    });
    // Free disk where the database lives.
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match free_bytes(folder) {
        Some(free) => {
            let level = if free < FULL_DISK_BYTES {
                Level::Problem
            } else if free < LOW_DISK_BYTES {
                Level::Warning
            } else {
                Level::Ok
            };
            let mb = i64::try_from(free / (1024 * 1024)).unwrap_or(i64::MAX);
            checks.push(Check::new(level, tr.with("ops-doctor-disk", Args::new().num("mb", mb))));
        }
        None => checks.push(Check::new(Level::Warning, tr.get("ops-doctor-disk-unknown"))),
    }
    // Form files.
    match crate::forms::load_forms(config.forms_dir.as_deref()) {
        Ok(forms) => checks.push(Check::new(
            Level::Ok,
            tr.with("ops-doctor-forms-ok", Args::new().num("count", forms.iter().count() as i64)),
        )),
        Err(errors) => checks.push(Check::new(
            Level::Problem,
            tr.with("ops-doctor-forms-bad", Args::new().num("count", errors.len() as i64)),
        )),
    }
    // Folders the bot writes personal data into.
    checks.push(folder_check(tr, "ops-doctor-folder-media", &config.media_dir, full_paths));
    checks.push(folder_check(tr, "ops-doctor-folder-backups", &config.backup_dir, full_paths));
    checks.push(last_backup_check(tr, &config.backup_dir, now));
    checks.push(clock_check(tr, now));
    checks
}

/// A folder Dulae writes private files into: missing is fine (made on first use, 0700), otherwise it must be
/// writable and not readable by others.
fn folder_check(tr: Tr<'_>, name_id: &str, dir: &Path, full_paths: bool) -> Check {
    let name = tr.get(name_id);
    let args = || Args::new().str("folder", name.clone()).str("path", shown(dir, full_paths));
    if !dir.exists() {
        return Check::new(Level::Ok, tr.with("ops-doctor-folder-later", args()));
    }
    if !dir.is_dir() {
        return Check::new(Level::Problem, tr.with("ops-doctor-folder-not-writable", args()));
    }
    let probe = dir.join(format!(".dulae-doctor-{}", std::process::id()));
    let writable = crate::private_file::open_new_private(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    if !writable {
        return Check::new(Level::Problem, tr.with("ops-doctor-folder-not-writable", args()));
    }
    match is_shared(dir) {
        Ok(true) => Check::new(Level::Problem, tr.with("ops-doctor-folder-shared", args())),
        _ => Check::new(Level::Ok, tr.with("ops-doctor-folder-ok", args())),
    }
}

fn last_backup_check(tr: Tr<'_>, dir: &Path, now: DateTime<Utc>) -> Check {
    let newest = backups::list(dir).ok().and_then(|all| all.into_iter().next());
    let Some((_, path)) = newest else {
        return Check::new(Level::Warning, tr.get("ops-doctor-backup-none"));
    };
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok().map(DateTime::<Utc>::from);
    let hours = modified.map_or(i64::MAX, |at| (now - at).num_hours().max(0));
    let args = Args::new().num("hours", hours.min(99_999));
    if hours > BACKUP_TOO_OLD_HOURS {
        Check::new(Level::Problem, tr.with("ops-doctor-backup-old", args))
    } else {
        Check::new(Level::Ok, tr.with("ops-doctor-backup-ok", args))
    }
}

/// The clock: Dulae converts to Asia/Bangkok itself, so the machine's time zone does not matter; a clock that
/// is plainly wrong (before this version was written) does.
fn clock_check(tr: Tr<'_>, now: DateTime<Utc>) -> Check {
    let bangkok = now.with_timezone(&crate::l10n::thai_date::bangkok());
    let args = Args::new()
        .str("utc", now.format("%H:%M").to_string())
        .str("bangkok", format!("{} {}", tr.date(bangkok.date_naive()), bangkok.format("%H:%M")));
    let plausible = now.timestamp() > 1_767_225_600; // 2026-01-01T00:00:00Z
    if plausible {
        Check::new(Level::Ok, tr.with("ops-doctor-clock-ok", args))
    } else {
        Check::new(Level::Problem, tr.with("ops-doctor-clock-wrong", args))
    }
}

fn outbox_checks(store: &Store, tr: Tr<'_>, now: DateTime<Utc>) -> Vec<Check> {
    let since = crate::store::instant(now - chrono::Duration::days(7));
    let counts: anyhow::Result<(i64, i64)> = store.snapshot(|c| super::store::outbox_backlog(c, &since));
    let (pending, failed) = match counts {
        Ok(counts) => counts,
        // The integrity check above reports a broken database to the person; here the cause goes to the log.
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "doctor: cannot count the outbox");
            return vec![];
        }
    };
    let mut checks =
        vec![Check::new(Level::Note, tr.with("ops-doctor-outbox-pending", Args::new().num("count", pending)))];
    if failed > 0 {
        checks.push(Check::new(Level::Warning, tr.with("ops-doctor-outbox-failed", Args::new().num("count", failed))));
    }
    checks
}

/// Free bytes on the file system holding `folder` (POSIX `df`, so no unsafe code is needed).
pub fn free_bytes(folder: &Path) -> Option<u64> {
    let output = std::process::Command::new("df").arg("-Pk").arg(folder).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().nth(1)?;
    let available_kb: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(available_kb * 1024)
}

/// The checks that ask Telegram: is the token accepted (getMe), and can Telegram be reached at all.
pub async fn telegram_checks(config: &Config, tr: Tr<'_>) -> Vec<Check> {
    use teloxide::prelude::Requester as _;
    let Some(token) = &config.token else {
        return vec![Check::new(Level::Problem, tr.get("ops-doctor-token-missing"))];
    };
    if !crate::config::plausible_token(token.expose()) {
        return vec![Check::new(Level::Problem, tr.get("ops-doctor-token-rejected"))];
    }
    let mut bot = teloxide::Bot::new(token.expose());
    if let Some(url) = config.api_url.clone() {
        bot = bot.set_api_url(url);
    }
    match tokio::time::timeout(std::time::Duration::from_secs(15), bot.get_me()).await {
        Ok(Ok(me)) => vec![
            Check::new(Level::Ok, tr.get("ops-doctor-telegram-ok")),
            Check::new(
                Level::Ok,
                tr.with(
                    "ops-doctor-token-ok",
                    Args::new().str("username", me.user.username.clone().unwrap_or_default()),
                ),
            ),
        ],
        Ok(Err(teloxide::RequestError::Api(teloxide::ApiError::InvalidToken))) => vec![
            Check::new(Level::Ok, tr.get("ops-doctor-telegram-ok")),
            Check::new(Level::Problem, tr.get("ops-doctor-token-rejected")),
        ],
        Ok(Err(e)) => vec![Check::new(
            Level::Problem,
            tr.with(
                "ops-doctor-telegram-unreachable",
                Args::new().str("error", e.to_string().chars().take(160).collect::<String>()),
            ),
        )],
        Err(_) => vec![Check::new(
            Level::Problem,
            tr.with("ops-doctor-telegram-unreachable", Args::new().str("error", "timeout")),
        )],
    }
}

/// `dulae doctor`: every check, one line each, then a summary; an error (non-zero exit) when any is a problem.
pub async fn doctor_command(config: &Config, l10n: &Localizer) -> anyhow::Result<()> {
    let tr = l10n.tr(config.default_lang);
    println!("{}", tr.with("ops-database-line", Args::new().str("path", config.db_path.display().to_string())));
    if let Some(env) = &config.env_file {
        println!("{}", tr.with("ops-doctor-env-file", Args::new().str("path", env.display().to_string())));
    }
    // Opened only if it exists: the doctor never creates an empty database.
    let store = if config.db_path.is_file() {
        match Store::open(&config.db_path) {
            Ok(store) => Some(store),
            Err(e) => {
                eprintln!("{e:#}");
                None
            }
        }
    } else {
        None
    };
    let running = backups::RunLock::is_held(&config.db_path);
    let mut checks = telegram_checks(config, tr).await;
    checks.extend(local_checks(config, tr, store.as_ref(), running, Utc::now(), true));
    for check in &checks {
        println!("{}", check.line());
    }
    let problems = checks.iter().filter(|c| c.level == Level::Problem).count();
    if problems > 0 {
        anyhow::bail!(tr.with("ops-doctor-problems", Args::new().num("count", problems as i64)));
    }
    println!("{}", tr.get("ops-doctor-all-good"));
    Ok(())
}

/// The admin's `/status` in chat: the same checks (the bot is obviously running and reaching Telegram), with
/// no file paths and no personal data.
pub fn status_text(app: &crate::app::App, tr: Tr<'_>) -> String {
    let mut lines = vec![tr.get("ops-status-title"), format!("✅ {}", tr.get("ops-doctor-telegram-ok"))];
    let checks = local_checks(&app.config, tr, Some(&app.store), true, app.clock.now(), false);
    lines.extend(checks.iter().map(Check::line));
    lines.push(tr.get("ops-status-more"));
    lines.join("\n")
}
