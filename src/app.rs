//! Everything a handler needs, built once at start-up and shared by the bot, the demo and the tests; and how the
//! running bot's background tasks reach the database ([`db`]) and start and stop ([`tasks`]).

pub mod db;
pub mod tasks;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::forms::FormSet;
use crate::l10n::Localizer;
use crate::notify::governor::{Governor, GovernorLimits};
use crate::store::Store;
use std::sync::Arc;

pub struct App {
    /// Shared with the background tasks, which call it on blocking threads ([`db`]).
    pub store: Arc<Store>,
    pub l10n: Localizer,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    /// The forms the bot offers: the shipped ones, with the school's own folder (`DULAE_FORMS_DIR`) on top.
    pub forms: FormSet,
    /// The print templates (`templates/`, with the school's folder `DULAE_TEMPLATES_DIR` on top).
    pub templates: crate::print::TemplateSet,
    /// The bot's @username for deep links: from the configuration, or asked from Telegram at start-up.
    pub bot_username: Option<String>,
    /// The one budget for everything sent to Telegram (replies and the outbox), on the machine's clock: pacing is
    /// about real seconds whatever the school's clock says.
    pub governor: Arc<Governor>,
}

impl App {
    /// The bot's: the system clock, and replies paced for Telegram (`DULAE_SEND_RATE`, 1/s per chat).
    pub fn new(store: Store, config: Config) -> anyhow::Result<App> {
        let limits = GovernorLimits { per_second: config.send_rate, ..GovernorLimits::default() };
        let mut app = App::with_clock(store, config, Arc::new(SystemClock))?;
        app.governor = Arc::new(Governor::new(limits, Arc::new(SystemClock)));
        Ok(app)
    }

    /// With a clock of the caller's (tests, the console demo): no Telegram behind it, so replies are not paced
    /// (the governor's own tests cover pacing in virtual time).
    pub fn with_clock(store: Store, config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let l10n = Localizer::load()?;
        let forms = crate::forms::load_forms(config.forms_dir.as_deref()).map_err(FormsRefused)?;
        // Reports count each form's coverage in the period its file names (term or school year).
        store.write(|tx| crate::store::forms::record_periods(tx, forms.iter()))?;
        let bot_username = config.bot_username.clone();
        let governor = Arc::new(Governor::unpaced());
        let templates = crate::print::cli::load_templates(&config)?;
        Ok(App { store: Arc::new(store), l10n, clock, config, forms, templates, bot_username, governor })
    }
}

impl AsRef<Store> for App {
    fn as_ref(&self) -> &Store {
        &self.store
    }
}

impl AsRef<Store> for Store {
    fn as_ref(&self) -> &Store {
        self
    }
}

/// Start-up refused because form files are broken: every problem, one per line, so the school can fix them.
#[derive(Debug)]
pub struct FormsRefused(pub Vec<crate::forms::FormError>);

impl std::fmt::Display for FormsRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the form files have {} problem(s); Dulae will not start until they are fixed:", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        write!(f, "check them with: dulae forms check <folder>")
    }
}

impl std::error::Error for FormsRefused {}
