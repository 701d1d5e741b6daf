//! The outbox sender's transport over teloxide: one call per message, no retries here (the sender decides
//! what to do with each failure), and Telegram's errors sorted into the sender's four kinds.

use crate::conversation::Keyboard;
use crate::notify::outbox::{Body, Queued};
use crate::notify::sender::{Deliver, DeliveryError, Edit};
use teloxide::prelude::*;
use teloxide::types::{FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId};
use teloxide::{ApiError, RequestError};

/// Telegram allows 1024 characters in a caption.
const CAPTION_LIMIT: usize = 1024;

pub struct TeloxideDeliver {
    bot: Bot,
}

impl TeloxideDeliver {
    pub fn new(bot: Bot) -> Self {
        TeloxideDeliver { bot }
    }
}

fn markup(keyboard: &Keyboard) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(keyboard.0.iter().map(|row| {
        row.iter().map(|b| InlineKeyboardButton::callback(b.text.clone(), b.data.clone())).collect::<Vec<_>>()
    }))
}

/// A stored media reference: a local file if one exists at that path, else a Telegram file id.
fn input_file(reference: &str) -> InputFile {
    let path = std::path::Path::new(reference);
    if reference.contains(std::path::MAIN_SEPARATOR) && path.is_file() {
        InputFile::file(path.to_path_buf())
    } else {
        InputFile::file_id(FileId(reference.to_string()))
    }
}

/// Sort a teloxide error into what the sender does with it.
pub fn classify(error: RequestError) -> DeliveryError {
    match error {
        RequestError::RetryAfter(wait) => DeliveryError::RetryAfter(wait.duration()),
        RequestError::Network(e) => DeliveryError::Transient(format!("network: {e}")),
        RequestError::Io(e) => DeliveryError::Transient(format!("io: {e}")),
        // A proxy's HTML error page instead of JSON: the server side is in trouble.
        RequestError::InvalidJson { .. } => DeliveryError::Transient("invalid response from the Bot API".into()),
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel,
        ) => DeliveryError::Blocked(error_text(&error)),
        RequestError::Api(ApiError::Unknown(text)) if is_server_error(&text) => DeliveryError::Transient(text),
        // "Forbidden: ..." that teloxide does not name (e.g. the user is a bot, the chat was deleted).
        RequestError::Api(ApiError::Unknown(text)) if text.starts_with("Forbidden") => DeliveryError::Blocked(text),
        other => DeliveryError::Permanent(other.to_string()),
    }
}

fn error_text(error: &RequestError) -> String {
    error.to_string()
}

pub(crate) fn is_server_error(text: &str) -> bool {
    ["Internal Server Error", "Bad Gateway", "Gateway Timeout", "Service Unavailable", "Gateway", "Timeout"]
        .iter()
        .any(|t| text.contains(t))
}

impl Deliver for TeloxideDeliver {
    async fn deliver(&self, q: &Queued) -> Result<i32, DeliveryError> {
        let chat = ChatId(q.chat_id);
        let with_buttons = !q.keyboard.is_empty();
        let result = match &q.body {
            Body::Text => {
                let request = self.bot.send_message(chat, q.text.clone());
                if with_buttons { request.reply_markup(markup(&q.keyboard)).await } else { request.await }
            }
            Body::Photo { file_id } => {
                let caption: String = q.text.chars().take(CAPTION_LIMIT).collect();
                let request = self.bot.send_photo(chat, input_file(file_id)).caption(caption);
                if with_buttons { request.reply_markup(markup(&q.keyboard)).await } else { request.await }
            }
            Body::Document { file } => {
                let caption: String = q.text.chars().take(CAPTION_LIMIT).collect();
                let request = self.bot.send_document(chat, input_file(file)).caption(caption);
                if with_buttons { request.reply_markup(markup(&q.keyboard)).await } else { request.await }
            }
        };
        result.map(|m| m.id.0).map_err(classify)
    }

    async fn edit(&self, edit: &Edit) -> Result<(), DeliveryError> {
        let result = self
            .bot
            .edit_message_text(ChatId(edit.chat_id), MessageId(edit.message_id), edit.text.clone())
            .reply_markup(markup(&edit.keyboard))
            .await;
        match result {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}
