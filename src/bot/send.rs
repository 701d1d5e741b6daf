//! Calling the Bot API with the retries teloxide does not do: wait `retry_after` on 429, back off on network
//! trouble and server errors, give up after a few tries.

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
