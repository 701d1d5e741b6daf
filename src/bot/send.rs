//! Calling the Bot API with the retries teloxide does not do.
//!
//! - [`paced`]: a reply a person is waiting for. Each message first waits for its slot from the governor (the
//!   one budget shared with the outbox); a 429 waits `retry_after` and tries again, as often as Telegram asks —
//!   a reply is never dropped for being rate limited; network trouble and 5xx back off (1, 2, 4 … 30 s) for at
//!   most [`REPLY_PATIENCE`] (5 minutes: by then the person has moved on, and a late answer to an old tap would
//!   confuse more than help); 403 (blocked) and bad requests stop at once.
//! - [`retrying`]: calls that are not messages to a chat (start-up, button answers): a few tries.

use crate::notify::governor::Governor;
use std::future::IntoFuture;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::CallbackQueryId;
use teloxide::{ApiError, RequestError};

const TRIES: u32 = 3;

/// Whether trying again can help.
fn retry_delay(error: &RequestError, attempt: u32) -> Option<Duration> {
    match error {
        RequestError::RetryAfter(wait) => Some(wait.duration()),
        RequestError::Network(_) | RequestError::Io(_) => Some(Duration::from_secs(1 << attempt)),
        // Telegram's 5xx arrive as unknown API errors; most other API errors (bad request, blocked) are final.
        RequestError::Api(ApiError::Unknown(text))
            if text.contains("Internal Server Error") || text.contains("Bad Gateway") =>
        {
            Some(Duration::from_secs(1 << attempt))
        }
        _ => None,
    }
}

/// Send a request, retrying what is worth retrying. `make` builds the request afresh for each try.
pub async fn retrying<T, R, F>(what: &str, make: F) -> Result<T, RequestError>
where
    F: Fn() -> R,
    R: IntoFuture<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        match make().await {
            Ok(value) => return Ok(value),
            Err(error) => {
                attempt += 1;
                match retry_delay(&error, attempt) {
                    Some(delay) if attempt < TRIES => {
                        tracing::warn!(what, attempt, ?delay, error = %error, "Bot API call failed; retrying");
                        tokio::time::sleep(delay).await;
                    }
                    _ => return Err(error),
                }
            }
        }
    }
}

/// How long a reply keeps trying through network trouble and 5xx before it is given up (and logged).
pub const REPLY_PATIENCE: Duration = Duration::from_secs(300);
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const LONGEST_BACKOFF: Duration = Duration::from_secs(30);

/// What to do after a failed reply.
#[derive(Debug, PartialEq, Eq)]
enum AfterFailure {
    /// 429: Telegram says when.
    RateLimited(Duration),
    /// Network trouble or a 5xx: try again after a backoff.
    Transient,
    /// Blocked, bad request: trying again cannot help.
    Stop,
}

fn after_failure(error: &RequestError) -> AfterFailure {
    match error {
        RequestError::RetryAfter(wait) => AfterFailure::RateLimited(wait.duration()),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => AfterFailure::Transient,
        RequestError::Api(ApiError::Unknown(text)) if super::deliver::is_server_error(text) => AfterFailure::Transient,
        _ => AfterFailure::Stop,
    }
}

/// Send one message of a reply to `chat` under the governor, retrying as the module comment says. `make` builds
/// the request afresh for each try.
pub async fn paced<T, R, F>(governor: &Governor, chat: ChatId, what: &str, make: F) -> Result<T, RequestError>
where
    F: Fn() -> R,
    R: IntoFuture<Output = Result<T, RequestError>>,
{
    let started = governor.now();
    let mut backoff = FIRST_BACKOFF;
    loop {
        governor.reply_slot(chat.0).await;
        let error = match make().await {
            Ok(value) => {
                governor.succeeded();
                return Ok(value);
            }
            Err(error) => error,
        };
        match after_failure(&error) {
            AfterFailure::RateLimited(wait) => {
                // The governor holds this chat (and slows everyone) until retry_after has passed.
                tracing::warn!(what, chat = chat.0, ?wait, "429 on a reply; waiting as Telegram asks");
                governor.rate_limited(chat.0, wait, governor.now());
            }
            AfterFailure::Transient => {
                let waited = (governor.now() - started).to_std().unwrap_or_default();
                if waited + backoff > REPLY_PATIENCE {
                    tracing::error!(what, chat = chat.0, error = %error, ?waited, "a reply could not be sent; giving up");
                    return Err(error);
                }
                tracing::warn!(what, chat = chat.0, ?backoff, error = %error, "a reply failed; trying again");
                governor.pause(backoff).await;
                backoff = (backoff * 2).min(LONGEST_BACKOFF);
            }
            AfterFailure::Stop => return Err(error),
        }
    }
}

/// Answer a button press; failures are only logged (the spinner stops by itself after a while).
pub async fn answer_button(bot: &Bot, id: &CallbackQueryId, text: Option<String>, alert: bool) {
    let result = retrying("answerCallbackQuery", || {
        let mut request = bot.answer_callback_query(id.clone()).show_alert(alert);
        if let Some(text) = &text {
            // Telegram shows at most 200 characters in a callback answer.
            request = request.text(text.chars().take(200).collect::<String>());
        }
        request
    })
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not answer a button press");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, FixedClock};
    use crate::notify::governor::GovernorLimits;
    use chrono::TimeZone;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use teloxide::types::Seconds;

    fn governor() -> (Arc<FixedClock>, Governor) {
        let start = chrono::Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0).single().unwrap_or_default();
        let clock = Arc::new(FixedClock::new(start));
        (clock.clone(), Governor::virtual_time(GovernorLimits::default(), clock))
    }

    /// A request that fails with `error()` `failures` times, then succeeds.
    async fn flaky(calls: &AtomicU32, failures: u32, error: fn() -> RequestError) -> Result<u32, RequestError> {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= failures { Err(error()) } else { Ok(n) }
    }

    #[tokio::test]
    async fn a_reply_hit_by_429_waits_retry_after_each_time_and_is_sent() {
        let (clock, governor) = governor();
        let start = clock.now();
        let calls = AtomicU32::new(0);
        // More 429s than the old three tries allowed.
        let result = paced(&governor, ChatId(5), "sendMessage", || {
            flaky(&calls, 6, || RequestError::RetryAfter(Seconds::from_seconds(4)))
        })
        .await;
        assert_eq!(result.ok(), Some(7), "sent on the seventh call");
        assert!(clock.now() - start >= chrono::Duration::seconds(24), "waited retry_after six times");
    }

    #[tokio::test]
    async fn server_errors_are_retried_with_backoff_within_the_patience_then_given_up() {
        let (clock, governor) = governor();
        let calls = AtomicU32::new(0);
        let result = paced(&governor, ChatId(5), "sendMessage", || {
            flaky(&calls, 3, || RequestError::Api(ApiError::Unknown("Bad Gateway".into())))
        })
        .await;
        assert_eq!(result.ok(), Some(4), "three 502s, then sent");

        let start = clock.now();
        let calls = AtomicU32::new(0);
        let result = paced(&governor, ChatId(6), "sendMessage", || {
            flaky(&calls, u32::MAX, || RequestError::Api(ApiError::Unknown("Internal Server Error".into())))
        })
        .await;
        assert!(result.is_err());
        let waited = (clock.now() - start).to_std().unwrap_or_default();
        assert!(waited <= REPLY_PATIENCE, "{waited:?}");
        assert!(waited >= REPLY_PATIENCE - LONGEST_BACKOFF, "kept trying for most of the patience: {waited:?}");
        // 1 + 2 + 4 + 8 + 16 s, then every 30 s.
        assert!(calls.load(Ordering::SeqCst) >= 10, "{}", calls.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn a_blocked_chat_or_a_bad_request_stops_at_once() {
        let (_, governor) = governor();
        for error in [(|| RequestError::Api(ApiError::BotBlocked)) as fn() -> RequestError, || {
            RequestError::Api(ApiError::MessageTextIsEmpty)
        }] {
            let calls = AtomicU32::new(0);
            let result = paced(&governor, ChatId(9), "sendMessage", || flaky(&calls, u32::MAX, error)).await;
            assert!(result.is_err());
            assert_eq!(calls.load(Ordering::SeqCst), 1);
        }
    }
}
