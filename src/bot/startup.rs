//! Starting the bot without ever crash-looping. A token Telegram rejects is a configuration error: Dulae says
//! what to do (Thai, then English) and exits with code 78, which the systemd unit does not restart. A network
//! that is down is not an error: Dulae waits with growing pauses (at most 30 s), logs each try in one line, and
//! starts serving as soon as Telegram answers.

use crate::app::tasks::StopSignal;
pub use crate::config::{ConfigurationError, bilingual, plausible_token};
use crate::l10n::{Args, Localizer};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};

/// The exit code for "the configuration is wrong; restarting will not help" (EX_CONFIG in sysexits.h).
pub const EXIT_CONFIG: u8 = 78;

/// The longest pause between two tries while Telegram cannot be reached.
pub const MAX_PAUSE: Duration = Duration::from_secs(30);

/// The process exit code for an error: 78 for configuration problems, 1 for everything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let configuration = error.chain().any(|cause| {
        cause.is::<ConfigurationError>()
            || cause.is::<crate::config::ConfigError>()
            || cause.is::<crate::app::FormsRefused>()
    });
    if configuration { EXIT_CONFIG } else { 1 }
}

/// The pause after the `attempt`-th failed try (1-based): 1, 2, 4, 8, 16, then 30 seconds.
pub fn pause_after(attempt: u32) -> Duration {
    let seconds = 1u64.checked_shl(attempt.saturating_sub(1).min(16)).unwrap_or(u64::MAX);
    Duration::from_secs(seconds).min(MAX_PAUSE)
}

/// The refusal for a token Telegram does not know (or one that cannot be a token).
pub fn token_rejected(l10n: &Localizer) -> anyhow::Error {
    ConfigurationError(bilingual(l10n, "ops-token-rejected", Args::new)).into()
}

/// Whether the bot was asked to stop: the running bot's stop signal, or a plain flag (before the bot runs, tests).
pub trait StopRequested {
    fn stop_requested(&self) -> bool;
}

impl StopRequested for StopSignal {
    fn stop_requested(&self) -> bool {
        self.is_stopped()
    }
}

impl StopRequested for AtomicBool {
    fn stop_requested(&self) -> bool {
        self.load(Ordering::Relaxed)
    }
}

/// Ask Telegram who we are until it answers. Returns the bot's identity, or a [`ConfigurationError`] when the
/// token is rejected. `stopping` ends the wait early (the bot was asked to stop).
pub async fn wait_for_telegram(
    bot: &Bot,
    l10n: &Localizer,
    stopping: &impl StopRequested,
) -> anyhow::Result<teloxide::types::Me> {
    let mut attempt: u32 = 0;
    loop {
        let pause = match bot.get_me().await {
            Ok(me) => {
                if attempt > 0 {
                    tracing::info!(attempts = attempt + 1, "Telegram answers again");
                }
                return Ok(me);
            }
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(token_rejected(l10n)),
            Err(RequestError::RetryAfter(seconds)) => {
                attempt += 1;
                seconds.duration().min(Duration::from_secs(300))
            }
            Err(e) => {
                attempt += 1;
                let pause = pause_after(attempt);
                tracing::warn!(
                    attempt,
                    next_try_in_s = pause.as_secs(),
                    error = %brief(&e),
                    "Telegram cannot be reached; trying again"
                );
                pause
            }
        };
        // Sleep in short steps so a stop request is not kept waiting for a long pause.
        let until = tokio::time::Instant::now() + pause;
        while tokio::time::Instant::now() < until {
            if stopping.stop_requested() {
                anyhow::bail!("stopped while waiting for Telegram");
            }
            tokio::time::sleep(Duration::from_millis(250).min(until - tokio::time::Instant::now())).await;
        }
    }
}

/// One short line for the log: the error without the chain of causes some network errors carry.
fn brief(error: &RequestError) -> String {
    let text = match error {
        RequestError::Network(e) if e.is_connect() => "no connection".to_string(),
        RequestError::Network(e) if e.is_timeout() => "timed out".to_string(),
        other => other.to_string(),
    };
    text.lines().next().unwrap_or_default().chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_thirty_seconds() {
        let pauses: Vec<u64> = (1..=9).map(|n| pause_after(n).as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 30, 30, 30, 30]);
        assert_eq!(pause_after(u32::MAX), MAX_PAUSE);
    }

    #[test]
    fn token_shape() {
        assert!(plausible_token("123456789:AAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao"));
        for bad in [
            "",
            "123456789",
            "abc:AAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao",
            "123:short",
            "123:AAF7 g0gYncWnm5IyfZlpPRqRRv6kNAGlao",
        ] {
            assert!(!plausible_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn configuration_problems_exit_with_78() {
        let l10n = Localizer::load().unwrap();
        let rejected = token_rejected(&l10n);
        assert_eq!(exit_code(&rejected), EXIT_CONFIG);
        let text = rejected.to_string();
        assert!(text.contains("@BotFather") && text.contains("โทเค็น") && text.contains("token"), "{text}");
        assert_eq!(exit_code(&anyhow::anyhow!("disk full")), 1);
        // A setting with a value it does not accept (`DULAE_SKIP_WEEKENDS=ture`), even behind context.
        let setting = crate::config::Config::from_lookup(|n| (n == "DULAE_SKIP_WEEKENDS").then(|| "ture".into()));
        let error = anyhow::Error::from(setting.unwrap_err()).context("reading the settings");
        assert_eq!(exit_code(&error), EXIT_CONFIG);
    }
}
