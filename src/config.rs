//! Settings from the environment and `.env` (see `.env.example`, which documents every one).

use crate::l10n::{Args, Lang, Localizer};
use std::fmt;
use std::path::{Path, PathBuf};

/// The settings that name files or folders (made absolute by [`Config::from_env`]).
const PATH_SETTINGS: &[&str] = &["DULAE_DB", "DULAE_MEDIA_DIR", "DULAE_BACKUP_DIR", "DULAE_FORMS_DIR"];

/// The bot token. Never printed: `Debug` shows stars.
#[derive(Clone)]
pub struct BotToken(String);

impl BotToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BotToken(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub token: Option<BotToken>,
    /// A local Bot API server or a test server; `None` means Telegram's.
    pub api_url: Option<String>,
    pub db_path: PathBuf,
    pub bot_username: Option<String>,
    pub default_lang: Lang,
    pub school_name: String,
    pub invite_days: i64,
    pub parent_invite_days: i64,
    /// Parent places per student (`DULAE_PARENTS_PER_STUDENT`, default 2): at most this many parents linked, and
    /// never more live parent codes than free places.
    pub parents_per_student: u8,
    pub forms_dir: Option<PathBuf>,
    pub media_dir: PathBuf,
    /// Where the running bot keeps its daily backups (`DULAE_BACKUP_DIR`, default `backups/` beside the database).
    pub backup_dir: PathBuf,
    /// Where the settings came from: the `.env` file that was read, if any (named by `dulae doctor`).
    pub env_file: Option<PathBuf>,
    /// The school's own copies of the print templates (`DULAE_TEMPLATES_DIR`); `None`: the shipped ones.
    pub templates_dir: Option<PathBuf>,
    /// The school's logo for printed documents (`DULAE_SCHOOL_LOGO`, a PNG or JPEG file).
    pub school_logo: Option<PathBuf>,
    /// When reminders go out and when referrals must be accepted.
    pub reminders: crate::care::schedule::ReminderPolicy,
    /// Messages a second to Telegram overall, replies and notifications together (`DULAE_SEND_RATE`).
    pub send_rate: f64,
}

#[derive(Debug, thiserror::Error)]
#[error("setting {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

impl Config {
    /// Read `.env` (if present) and the environment.
    ///
    /// Relative paths (`DULAE_DB`, `DULAE_MEDIA_DIR`, `DULAE_BACKUP_DIR`, `DULAE_FORMS_DIR`) are made absolute
    /// here, once: a path that came from a `.env` file is relative to that file's folder, any other one to the
    /// folder the command was started in. So `dulae users` run from another folder finds the bot's database
    /// instead of quietly creating a second, empty one.
    pub fn from_env() -> Result<Config, ConfigError> {
        let set_outside: Vec<&str> = PATH_SETTINGS.iter().copied().filter(|n| std::env::var_os(n).is_some()).collect();
        // A missing .env is normal (systemd passes the environment itself).
        let env_file = dotenvy::dotenv().ok();
        let current = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let env_folder = env_file.as_ref().and_then(|f| f.parent()).map(Path::to_path_buf);
        let mut config = Config::from_lookup(|name| std::env::var(name).ok())?;
        config.env_file = env_file.clone();
        let base_for = |name: &str| -> PathBuf {
            if set_outside.contains(&name) {
                current.clone()
            } else {
                env_folder.clone().unwrap_or_else(|| current.clone())
            }
        };
        config.resolve_paths(base_for);
        Ok(config)
    }

    /// Make every relative path absolute against the folder `base_for(setting)` names. Defaults (no setting at
    /// all) follow `DULAE_DB`'s base. The backup folder defaults to `backups/` beside the database.
    pub fn resolve_paths(&mut self, base_for: impl Fn(&str) -> PathBuf) {
        let absolute =
            |path: &Path, base: PathBuf| if path.is_absolute() { path.to_path_buf() } else { base.join(path) };
        self.db_path = absolute(&self.db_path, base_for("DULAE_DB"));
        self.media_dir = absolute(&self.media_dir, base_for("DULAE_MEDIA_DIR"));
        self.forms_dir = self.forms_dir.as_deref().map(|dir| absolute(dir, base_for("DULAE_FORMS_DIR")));
        self.backup_dir = if self.backup_dir.as_os_str().is_empty() {
            self.db_path.parent().map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
        } else {
            absolute(&self.backup_dir, base_for("DULAE_BACKUP_DIR"))
        };
    }

    /// Build from any lookup function; tests pass a map.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let non_empty = |name: &str| get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let days = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            match non_empty(name) {
                None => Ok(default),
                Some(v) => match v.parse::<i64>() {
                    Ok(n) if (1..=3650).contains(&n) => Ok(n),
                    _ => Err(ConfigError {
                        name,
                        problem: format!("expected a number of days from 1 to 3650, got \"{v}\""),
                    }),
                },
            }
        };
        let default_lang = match non_empty("DULAE_LANG") {
            None => Lang::Th,
            Some(code) => Lang::from_code(&code)
                .ok_or(ConfigError { name: "DULAE_LANG", problem: format!("expected th or en, got \"{code}\"") })?,
        };
        Ok(Config {
            token: non_empty("TELOXIDE_TOKEN").map(BotToken),
            api_url: non_empty("TELOXIDE_API_URL"),
            db_path: non_empty("DULAE_DB").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("dulae.db")),
            bot_username: non_empty("DULAE_BOT_USERNAME").map(|u| u.trim_start_matches('@').to_string()),
            default_lang,
            school_name: non_empty("DULAE_SCHOOL_NAME").unwrap_or_default(),
            invite_days: days("DULAE_INVITE_DAYS", 14)?,
            parent_invite_days: days("DULAE_PARENT_INVITE_DAYS", 150)?,
            parents_per_student: match non_empty("DULAE_PARENTS_PER_STUDENT") {
                None => 2,
                Some(v) => v.trim().parse::<u8>().ok().filter(|n| (1..=6).contains(n)).ok_or(ConfigError {
                    name: "DULAE_PARENTS_PER_STUDENT",
                    problem: format!("expected a number of parents from 1 to 6, got {v:?}"),
                })?,
            },
            forms_dir: non_empty("DULAE_FORMS_DIR").map(PathBuf::from),
            media_dir: non_empty("DULAE_MEDIA_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("media")),
            // Empty until `resolve_paths` puts it beside the database.
            backup_dir: non_empty("DULAE_BACKUP_DIR").map(PathBuf::from).unwrap_or_default(),
            env_file: None,
            templates_dir: non_empty("DULAE_TEMPLATES_DIR").map(PathBuf::from),
            school_logo: non_empty("DULAE_SCHOOL_LOGO").map(PathBuf::from),
            reminders: reminder_policy(&non_empty)?,
            send_rate: send_rate(non_empty("DULAE_SEND_RATE"))?,
        })
    }
}

/// `DULAE_SEND_RATE`: messages a second overall, from 1 to 30 (Telegram's limit); default 28.
fn send_rate(value: Option<String>) -> Result<f64, ConfigError> {
    let Some(v) = value else {
        return Ok(crate::notify::governor::DEFAULT_SEND_RATE);
    };
    match v.parse::<f64>() {
        Ok(rate) if rate.is_finite() && (1.0..=30.0).contains(&rate) => Ok(rate),
        _ => Err(ConfigError {
            name: "DULAE_SEND_RATE",
            problem: format!("expected messages a second from 1 to 30 (Telegram allows about 30), got {v:?}"),
        }),
    }
}

/// Reminder settings: `DULAE_REMINDER_TIME=08:00`, `DULAE_QUIET_HOURS=20-7`, `DULAE_REMIND_BEFORE_DAYS=3,1`,
/// `DULAE_REMIND_OVERDUE_DAYS=1,3,7`, `DULAE_ESCALATE_AFTER_DAYS=7`, `DULAE_ACCEPT_WITHIN_HOURS=72,24,2`
/// (normal, urgent, very urgent), `DULAE_SKIP_WEEKENDS=true`.
fn reminder_policy(get: &dyn Fn(&str) -> Option<String>) -> Result<crate::care::schedule::ReminderPolicy, ConfigError> {
    let mut policy = crate::care::schedule::ReminderPolicy::default();
    let bad = |name: &'static str, v: &str, expected: &str| ConfigError {
        name,
        problem: format!("expected {expected}, got \"{v}\""),
    };
    let numbers = |name: &'static str, v: &str| -> Result<Vec<i64>, ConfigError> {
        v.split(',')
            .map(|n| {
                n.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (0..=3650).contains(n))
                    .ok_or_else(|| bad(name, v, "numbers like 3,1"))
            })
            .collect()
    };
    if let Some(v) = get("DULAE_REMINDER_TIME") {
        policy.time_of_day = chrono::NaiveTime::parse_from_str(&v, "%H:%M")
            .map_err(|_| bad("DULAE_REMINDER_TIME", &v, "a time like 08:00"))?;
    }
    if let Some(v) = get("DULAE_QUIET_HOURS") {
        let (from, until) = v
            .split_once('-')
            .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)))
            .filter(|(a, b)| *a < 24 && *b < 24)
            .ok_or_else(|| bad("DULAE_QUIET_HOURS", &v, "hours like 20-7"))?;
        policy.quiet_from = from;
        policy.quiet_until = until;
    }
    if let Some(v) = get("DULAE_REMIND_BEFORE_DAYS") {
        policy.before_days = numbers("DULAE_REMIND_BEFORE_DAYS", &v)?;
    }
    if let Some(v) = get("DULAE_REMIND_OVERDUE_DAYS") {
        policy.overdue_days = numbers("DULAE_REMIND_OVERDUE_DAYS", &v)?;
    }
    if let Some(v) = get("DULAE_ESCALATE_AFTER_DAYS") {
        policy.escalate_after_days =
            v.trim().parse().map_err(|_| bad("DULAE_ESCALATE_AFTER_DAYS", &v, "a number of days"))?;
    }
    if let Some(v) = get("DULAE_ACCEPT_WITHIN_HOURS") {
        let hours = numbers("DULAE_ACCEPT_WITHIN_HOURS", &v)?;
        let [normal, urgent, very] = hours[..] else {
            return Err(bad("DULAE_ACCEPT_WITHIN_HOURS", &v, "three numbers of hours: normal, urgent, very urgent"));
        };
        policy.accept_within_hours = [normal, urgent, very];
    }
    if let Some(v) = get("DULAE_SKIP_WEEKENDS") {
        policy.skip_weekends = matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes");
    }
    Ok(policy)
}

/// What to tell a person who runs the bot without a token: Thai first, then English. No panic, no backtrace.
pub const MISSING_TOKEN_HELP: &str = "\
ยังไม่ได้ตั้งค่า TELOXIDE_TOKEN (โทเค็นของบอท)
  1. เปิด Telegram คุยกับ @BotFather แล้วส่ง /newbot ตั้งชื่อบอทตามที่ต้องการ
  2. คัดลอกโทเค็นที่ได้ (หน้าตาแบบ 123456789:AA...)
  3. cp .env.example .env แล้วใส่ในบรรทัด TELOXIDE_TOKEN=...
  4. รันคำสั่งเดิมอีกครั้ง

TELOXIDE_TOKEN is not set (the bot's token).
  1. In Telegram, talk to @BotFather and send /newbot.
  2. Copy the token it gives you (it looks like 123456789:AA...).
  3. cp .env.example .env and put it on the line TELOXIDE_TOKEN=...
  4. Run the same command again.";

/// A problem only a person can fix (token, settings, form files). The text is already written for that person.
#[derive(Debug)]
pub struct ConfigurationError(pub String);

impl std::fmt::Display for ConfigurationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigurationError {}

/// One message in Thai, then the same in English (for logs and the terminal, read before anyone chose a language).
pub fn bilingual(l10n: &Localizer, id: &str, args: impl Fn() -> Args) -> String {
    format!("{}\n\n{}", l10n.tr(Lang::Th).with(id, args()), l10n.tr(Lang::En).with(id, args()))
}

/// Whether a token has the shape BotFather gives (`123456789:AA…`): a mistyped one is refused without a network.
pub fn plausible_token(token: &str) -> bool {
    let Some((id, secret)) = token.split_once(':') else {
        return false;
    };
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && secret.len() >= 30
        && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults() {
        let c = config(&[]).unwrap();
        assert!(c.token.is_none());
        assert_eq!(c.db_path, PathBuf::from("dulae.db"));
        assert_eq!(c.default_lang, Lang::Th);
        assert_eq!(c.invite_days, 14);
    }

    #[test]
    fn token_is_never_printed() {
        let c = config(&[("TELOXIDE_TOKEN", "123:SECRET"), ("DULAE_BOT_USERNAME", "@school_bot")]).unwrap();
        assert!(!format!("{c:?}").contains("SECRET"));
        assert_eq!(c.bot_username.as_deref(), Some("school_bot"));
    }

    #[test]
    fn reminder_settings() {
        let c = config(&[
            ("DULAE_REMINDER_TIME", "07:15"),
            ("DULAE_QUIET_HOURS", "21-6"),
            ("DULAE_REMIND_BEFORE_DAYS", "5, 2"),
            ("DULAE_ACCEPT_WITHIN_HOURS", "48,12,1"),
            ("DULAE_SKIP_WEEKENDS", "false"),
        ])
        .unwrap();
        let p = c.reminders;
        assert_eq!(p.time_of_day, chrono::NaiveTime::from_hms_opt(7, 15, 0).unwrap());
        assert_eq!((p.quiet_from, p.quiet_until), (21, 6));
        assert_eq!(p.before_days, [5, 2]);
        assert_eq!(p.accept_within_hours, [48, 12, 1]);
        assert!(!p.skip_weekends);
        for (name, value) in [
            ("DULAE_REMINDER_TIME", "8am"),
            ("DULAE_QUIET_HOURS", "night"),
            ("DULAE_ACCEPT_WITHIN_HOURS", "1,2"),
            ("DULAE_REMIND_OVERDUE_DAYS", "1,x"),
        ] {
            assert_eq!(config(&[(name, value)]).unwrap_err().name, name);
        }
    }

    #[test]
    fn relative_paths_follow_the_env_file_folder() {
        let mut c = config(&[("DULAE_DB", "data/school.db"), ("DULAE_MEDIA_DIR", "/srv/media")]).unwrap();
        c.resolve_paths(|name| if name == "DULAE_DB" { PathBuf::from("/etc/dulae") } else { PathBuf::from("/tmp") });
        assert_eq!(c.db_path, PathBuf::from("/etc/dulae/data/school.db"));
        assert_eq!(c.media_dir, PathBuf::from("/srv/media"), "absolute paths stay");
        assert_eq!(c.backup_dir, PathBuf::from("/etc/dulae/data/backups"), "backups beside the database");
        let mut c = config(&[("DULAE_BACKUP_DIR", "copies")]).unwrap();
        c.resolve_paths(|_| PathBuf::from("/opt/school"));
        assert_eq!(c.backup_dir, PathBuf::from("/opt/school/copies"));
    }

    #[test]
    fn send_rate_is_checked() {
        assert_eq!(config(&[]).unwrap().send_rate, 28.0);
        assert_eq!(config(&[("DULAE_SEND_RATE", "25")]).unwrap().send_rate, 25.0);
        assert_eq!(config(&[("DULAE_SEND_RATE", " 29.5 ")]).unwrap().send_rate, 29.5);
        for bad in ["fast", "0", "31", "-5", "NaN", "inf"] {
            assert_eq!(config(&[("DULAE_SEND_RATE", bad)]).unwrap_err().name, "DULAE_SEND_RATE", "{bad}");
        }
    }

    #[test]
    fn bad_values_are_named() {
        let err = config(&[("DULAE_INVITE_DAYS", "soon")]).unwrap_err();
        assert_eq!(err.name, "DULAE_INVITE_DAYS");
        assert!(config(&[("DULAE_LANG", "fr")]).is_err());
    }
}
