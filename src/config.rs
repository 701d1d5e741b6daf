//! Settings from the environment and `.env` (see `.env.example`, which documents every one). This is the one
//! place that reads them, each through the same strict reader (`Vars`): unset or empty means the default, any
//! other value must be one the setting accepts, or start-up stops with a [`ConfigError`] that names it.

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
    pub api_url: Option<url::Url>,
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
    /// What the log shows (`RUST_LOG`, checked; default [`DEFAULT_LOG`]). Read from `.env` too, so `main` sets up
    /// logging after the settings are read.
    pub log_filter: String,
}

/// A setting that is present but not one of the values it accepts. Shown to the school's IT teacher in Thai, then
/// in English (like every start-up problem), and the process exits with code 78 (see `bot::startup::exit_code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The variable, e.g. `DULAE_SKIP_WEEKENDS`.
    pub name: &'static str,
    /// What it was set to (a token is never a value here: it has no shape to refuse).
    pub value: String,
    /// What it accepts.
    pub wants: Wants,
}

/// What a setting accepts; each has a message in `locales/*/runtime.ftl` that names the accepted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    /// `true` or `false` (also `yes`/`no`, `1`/`0`, `on`/`off`).
    Flag,
    /// A whole number of days in this range.
    Days { min: i64, max: i64 },
    /// A whole number in this range.
    Number { min: i64, max: i64 },
    /// Numbers separated by commas, each from 0 to 3650 (`3,1`).
    Numbers,
    /// Three numbers of hours: normal, urgent, very urgent.
    AcceptHours,
    /// A time of day like `08:00`.
    Time,
    /// Two hours like `20-7`.
    QuietHours,
    /// `th` or `en`.
    Lang,
    /// An `http(s)://` address.
    Url,
    /// Messages a second, from 1 to 30.
    SendRate,
    /// A log level (`error`, `warn`, `info`, `debug`, `trace`, `off`) or `target=level` pairs.
    LogFilter,
}

impl Wants {
    fn message_id(self) -> &'static str {
        match self {
            Wants::Flag => "config-wants-flag",
            Wants::Days { .. } => "config-wants-days",
            Wants::Number { .. } => "config-wants-number",
            Wants::Numbers => "config-wants-numbers",
            Wants::AcceptHours => "config-wants-accept-hours",
            Wants::Time => "config-wants-time",
            Wants::QuietHours => "config-wants-quiet-hours",
            Wants::Lang => "config-wants-lang",
            Wants::Url => "config-wants-url",
            Wants::SendRate => "config-wants-send-rate",
            Wants::LogFilter => "config-wants-log",
        }
    }

    fn args(self) -> Args {
        match self {
            Wants::Days { min, max } | Wants::Number { min, max } => Args::new().num("min", min).num("max", max),
            _ => Args::new(),
        }
    }
}

impl ConfigError {
    /// The problem in one language: the variable, the value it has and the values it accepts.
    pub fn in_lang(&self, l10n: &Localizer, lang: Lang) -> String {
        let tr = l10n.tr(lang);
        let wants = tr.with(self.wants.message_id(), self.wants.args());
        tr.with(
            "config-invalid",
            Args::new().str("name", self.name).str("value", self.value.clone()).str("wants", wants),
        )
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::l10n::messages::shared() {
            Ok(l10n) => write!(f, "{}\n\n{}", self.in_lang(l10n, Lang::Th), self.in_lang(l10n, Lang::En)),
            // The messages are embedded; should they ever fail to load, the variable and value still say enough.
            Err(_) => write!(f, "{}={:?}", self.name, self.value),
        }
    }
}

impl std::error::Error for ConfigError {}

/// THE reader of settings: every variable goes through one of these, so every one is strict the same way — unset
/// or empty means the default, anything else must parse or it is a [`ConfigError`] naming the variable.
struct Vars<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Vars<'_> {
    /// The value, trimmed; `None` when unset or empty.
    fn text(&self, name: &str) -> Option<String> {
        (self.0)(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    fn path(&self, name: &str) -> Option<PathBuf> {
        self.text(name).map(PathBuf::from)
    }

    /// The value parsed by `f`; a value `f` refuses is an error that says what the setting `wants`.
    fn parse<T>(
        &self,
        name: &'static str,
        wants: Wants,
        f: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ConfigError> {
        match self.text(name) {
            None => Ok(None),
            Some(value) => match f(&value) {
                Some(parsed) => Ok(Some(parsed)),
                None => Err(ConfigError { name, value, wants }),
            },
        }
    }

    fn number(&self, name: &'static str, min: i64, max: i64) -> Result<Option<i64>, ConfigError> {
        self.parse(name, Wants::Number { min, max }, |v| v.parse::<i64>().ok().filter(|n| (min..=max).contains(n)))
    }

    fn days(&self, name: &'static str, default: i64) -> Result<i64, ConfigError> {
        let wants = Wants::Days { min: 1, max: 3650 };
        Ok(self.parse(name, wants, |v| v.parse::<i64>().ok().filter(|n| (1..=3650).contains(n)))?.unwrap_or(default))
    }

    /// A yes/no setting. Anything but the accepted words is refused: `ture` must not quietly mean "no".
    fn flag(&self, name: &'static str) -> Result<Option<bool>, ConfigError> {
        self.parse(name, Wants::Flag, |v| match v.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => Some(true),
            "false" | "no" | "0" | "off" => Some(false),
            _ => None,
        })
    }

    /// Numbers separated by commas (`3,1`), each from 0 to 3650.
    fn numbers(&self, name: &'static str) -> Result<Option<Vec<i64>>, ConfigError> {
        self.parse(name, Wants::Numbers, parse_numbers)
    }
}

fn parse_numbers(v: &str) -> Option<Vec<i64>> {
    v.split(',').map(|n| n.trim().parse::<i64>().ok().filter(|n| (0..=3650).contains(n))).collect()
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
        // A value that is not Unicode is read as absent here and refused by no one: the names and numbers Dulae
        // reads are all ASCII, and a path that is not Unicode cannot be written in `.env` either.
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
        let vars = Vars(&get);
        Ok(Config {
            token: vars.text("TELOXIDE_TOKEN").map(BotToken),
            api_url: vars.parse("TELOXIDE_API_URL", Wants::Url, |v| {
                url::Url::parse(v).ok().filter(|u| !u.cannot_be_a_base() && matches!(u.scheme(), "http" | "https"))
            })?,
            db_path: vars.path("DULAE_DB").unwrap_or_else(|| PathBuf::from("dulae.db")),
            bot_username: vars.text("DULAE_BOT_USERNAME").map(|u| u.trim_start_matches('@').to_string()),
            default_lang: vars.parse("DULAE_LANG", Wants::Lang, Lang::from_code)?.unwrap_or(Lang::Th),
            school_name: vars.text("DULAE_SCHOOL_NAME").unwrap_or_default(),
            invite_days: vars.days("DULAE_INVITE_DAYS", 14)?,
            parent_invite_days: vars.days("DULAE_PARENT_INVITE_DAYS", 150)?,
            parents_per_student: vars
                .number("DULAE_PARENTS_PER_STUDENT", 1, 6)?
                .map_or(2, |n| u8::try_from(n).unwrap_or(2)),
            forms_dir: vars.path("DULAE_FORMS_DIR"),
            media_dir: vars.path("DULAE_MEDIA_DIR").unwrap_or_else(|| PathBuf::from("media")),
            // Empty until `resolve_paths` puts it beside the database.
            backup_dir: vars.path("DULAE_BACKUP_DIR").unwrap_or_default(),
            env_file: None,
            templates_dir: vars.path("DULAE_TEMPLATES_DIR"),
            school_logo: vars.path("DULAE_SCHOOL_LOGO"),
            reminders: reminder_policy(&vars)?,
            send_rate: vars
                .parse("DULAE_SEND_RATE", Wants::SendRate, |v| {
                    v.parse::<f64>().ok().filter(|r| r.is_finite() && (1.0..=30.0).contains(r))
                })?
                .unwrap_or(crate::notify::governor::DEFAULT_SEND_RATE),
            log_filter: vars
                .parse("RUST_LOG", Wants::LogFilter, log_filter)?
                .unwrap_or_else(|| DEFAULT_LOG.to_string()),
        })
    }
}

/// The log detail when `RUST_LOG` is not set: Dulae's own news, and only warnings from the libraries below it.
pub const DEFAULT_LOG: &str = "info,teloxide=warn,reqwest=warn";

/// `RUST_LOG`: a level, or comma-separated `target=level` pairs. tracing would read a misspelt level (`inof`) as
/// the name of a module and log almost nothing; here it is refused.
fn log_filter(v: &str) -> Option<String> {
    const LEVELS: [&str; 6] = ["error", "warn", "info", "debug", "trace", "off"];
    let is_level = |l: &str| LEVELS.contains(&l.trim().to_ascii_lowercase().as_str());
    let every_part_has_a_level = v.split(',').all(|part| match part.rsplit_once('=') {
        Some((target, level)) => !target.trim().is_empty() && is_level(level),
        None => is_level(part),
    });
    let understood = tracing_subscriber::EnvFilter::builder().parse(v).is_ok();
    (every_part_has_a_level && understood).then(|| v.to_string())
}

/// Reminder settings: `DULAE_REMINDER_TIME=08:00`, `DULAE_QUIET_HOURS=20-7`, `DULAE_REMIND_BEFORE_DAYS=3,1`,
/// `DULAE_REMIND_OVERDUE_DAYS=1,3,7`, `DULAE_ESCALATE_AFTER_DAYS=7`, `DULAE_ACCEPT_WITHIN_HOURS=72,24,2`
/// (normal, urgent, very urgent), `DULAE_SKIP_WEEKENDS=true`. Unset ones keep [`ReminderPolicy::default`].
///
/// [`ReminderPolicy::default`]: crate::care::schedule::ReminderPolicy
fn reminder_policy(vars: &Vars<'_>) -> Result<crate::care::schedule::ReminderPolicy, ConfigError> {
    let mut policy = crate::care::schedule::ReminderPolicy::default();
    if let Some(time) =
        vars.parse("DULAE_REMINDER_TIME", Wants::Time, |v| chrono::NaiveTime::parse_from_str(v, "%H:%M").ok())?
    {
        policy.time_of_day = time;
    }
    let quiet = |v: &str| {
        let (from, until) = v.split_once('-')?;
        let (from, until) = (from.trim().parse::<u32>().ok()?, until.trim().parse::<u32>().ok()?);
        (from < 24 && until < 24).then_some((from, until))
    };
    if let Some((from, until)) = vars.parse("DULAE_QUIET_HOURS", Wants::QuietHours, quiet)? {
        policy.quiet_from = from;
        policy.quiet_until = until;
    }
    if let Some(days) = vars.numbers("DULAE_REMIND_BEFORE_DAYS")? {
        policy.before_days = days;
    }
    if let Some(days) = vars.numbers("DULAE_REMIND_OVERDUE_DAYS")? {
        policy.overdue_days = days;
    }
    if let Some(days) = vars.number("DULAE_ESCALATE_AFTER_DAYS", 0, 3650)? {
        policy.escalate_after_days = days;
    }
    let three = |v: &str| match parse_numbers(v)?[..] {
        [normal, urgent, very] => Some([normal, urgent, very]),
        _ => None,
    };
    if let Some(hours) = vars.parse("DULAE_ACCEPT_WITHIN_HOURS", Wants::AcceptHours, three)? {
        policy.accept_within_hours = hours;
    }
    if let Some(skip) = vars.flag("DULAE_SKIP_WEEKENDS")? {
        policy.skip_weekends = skip;
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

    #[test]
    fn yes_no_settings_accept_only_yes_or_no() {
        for (value, skip) in [("true", true), ("YES", true), ("1", true), ("on", true), ("false", false), ("no", false)]
        {
            assert_eq!(config(&[("DULAE_SKIP_WEEKENDS", value)]).unwrap().reminders.skip_weekends, skip, "{value}");
        }
        assert!(config(&[("DULAE_SKIP_WEEKENDS", "  ")]).unwrap().reminders.skip_weekends, "empty keeps the default");
        for bad in ["ture", "flase", "2", "y", "เปิด"] {
            let err = config(&[("DULAE_SKIP_WEEKENDS", bad)]).unwrap_err();
            assert_eq!((err.name, err.value.as_str(), err.wants), ("DULAE_SKIP_WEEKENDS", bad, Wants::Flag));
        }
    }

    #[test]
    fn numbers_out_of_range_are_refused() {
        for (name, bad) in [
            ("DULAE_INVITE_DAYS", "0"),
            ("DULAE_INVITE_DAYS", "3651"),
            ("DULAE_PARENT_INVITE_DAYS", "-1"),
            ("DULAE_PARENT_INVITE_DAYS", "150 days"),
            ("DULAE_PARENTS_PER_STUDENT", "0"),
            ("DULAE_PARENTS_PER_STUDENT", "7"),
            ("DULAE_PARENTS_PER_STUDENT", "300"),
            ("DULAE_ESCALATE_AFTER_DAYS", "-3"),
            ("DULAE_ESCALATE_AFTER_DAYS", "seven"),
            ("DULAE_REMIND_BEFORE_DAYS", "3,,1"),
            ("DULAE_REMIND_OVERDUE_DAYS", "1,3651"),
            ("DULAE_ACCEPT_WITHIN_HOURS", "72,24,2,1"),
            ("DULAE_QUIET_HOURS", "20-24"),
            ("DULAE_REMINDER_TIME", "25:00"),
            ("TELOXIDE_API_URL", "localhost:8081"),
            ("TELOXIDE_API_URL", "ftp://example.org"),
            ("RUST_LOG", "inof"),
            ("RUST_LOG", "info,dulae=loud"),
        ] {
            let err = config(&[(name, bad)]).unwrap_err();
            assert_eq!((err.name, err.value.as_str()), (name, bad));
        }
        let c = config(&[
            ("DULAE_PARENTS_PER_STUDENT", "6"),
            ("DULAE_ESCALATE_AFTER_DAYS", "0"),
            ("TELOXIDE_API_URL", "http://127.0.0.1:8081"),
            ("RUST_LOG", "debug,teloxide=warn"),
        ])
        .unwrap();
        assert_eq!((c.parents_per_student, c.reminders.escalate_after_days), (6, 0));
        assert_eq!(c.api_url.map(String::from).as_deref(), Some("http://127.0.0.1:8081/"));
        assert_eq!(c.log_filter, "debug,teloxide=warn");
        assert_eq!(config(&[]).unwrap().log_filter, DEFAULT_LOG);
    }

    #[test]
    fn a_bad_setting_is_told_in_thai_then_english_with_the_accepted_values() {
        let err = config(&[("DULAE_SKIP_WEEKENDS", "ture")]).unwrap_err();
        let text = err.to_string();
        let (thai, english) = text.split_once("\n\n").expect("two languages");
        for part in [thai, english] {
            assert!(part.contains("DULAE_SKIP_WEEKENDS") && part.contains("ture"), "{part}");
            assert!(part.contains("true") && part.contains("false"), "the accepted values: {part}");
        }
        assert!(thai.contains("ค่ะ"), "{thai}");
        let days = config(&[("DULAE_INVITE_DAYS", "0")]).unwrap_err().to_string();
        assert!(days.contains("1") && days.contains("3650"), "{days}");
    }
}
