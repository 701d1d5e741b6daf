//! Everything a handler needs, built once at start-up and shared by the bot, the demo and the tests.

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::l10n::Localizer;
use crate::store::Store;
use std::sync::Arc;

pub struct App {
    pub store: Store,
    pub l10n: Localizer,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    /// The bot's @username for deep links: from the configuration, or asked from Telegram at start-up.
    pub bot_username: Option<String>,
}

impl App {
    pub fn new(store: Store, config: Config) -> anyhow::Result<App> {
        App::with_clock(store, config, Arc::new(SystemClock))
    }

    pub fn with_clock(store: Store, config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let l10n = Localizer::load()?;
        let bot_username = config.bot_username.clone();
        Ok(App { store, l10n, clock, config, bot_username })
    }
}
