//! Replies → Bot API calls.

use super::live_questions::live_questions;
use super::send::{answer_button, paced, retrying};
use crate::conversation::{CommandEntry, Keyboard, Reply};
use crate::notify::governor::Governor;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, ButtonRequest, CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardButton,
    KeyboardMarkup, KeyboardRemove, MessageId,
};
use teloxide::{ApiError, RequestError};

/// Telegram's limit for one message, in UTF-16 code units.
pub const TELEGRAM_TEXT_LIMIT: usize = 4096;

pub fn bot_commands(entries: &[CommandEntry]) -> Vec<BotCommand> {
    entries.iter().map(|e| BotCommand::new(e.command.clone(), e.description.clone())).collect()
}

fn markup(keyboard: &Keyboard) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(keyboard.0.iter().map(|row| {
        row.iter().map(|b| InlineKeyboardButton::callback(b.text.clone(), b.data.clone())).collect::<Vec<_>>()
    }))
}

/// Split a text into pieces Telegram accepts, preferring line breaks.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut units = 0;
    for line in text.split_inclusive('\n') {
        for ch in line.chars() {
            let width = ch.len_utf16();
            if units + width > limit {
                pieces.push(std::mem::take(&mut current));
                units = 0;
            }
            current.push(ch);
            units += width;
        }
        // Start a new piece at a line break when the next line would likely not fit.
        if units > limit * 9 / 10 {
            pieces.push(std::mem::take(&mut current));
            units = 0;
        }
    }
    if !current.is_empty() || pieces.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Send a text (in pieces if it is long); returns the id of the last piece, the one with the buttons.
async fn send_text(bot: &Bot, governor: &Governor, chat: ChatId, text: &str, keyboard: &Keyboard) -> Option<MessageId> {
    let pieces = split_text(text, TELEGRAM_TEXT_LIMIT);
    let last = pieces.len().saturating_sub(1);
    let mut sent = None;
    for (i, piece) in pieces.iter().enumerate() {
        let result = paced(governor, chat, "sendMessage", || {
            let request = bot.send_message(chat, piece.clone());
            // Buttons go under the last piece.
            if i == last && !keyboard.is_empty() { request.reply_markup(markup(keyboard)) } else { request }
        })
        .await;
        match result {
            Ok(message) => sent = Some(message.id),
            Err(e) => {
                tracing::warn!(chat = chat.0, error = %e, "could not send a message");
                return None;
            }
        }
    }
    sent
}

/// Replace a message the bot sent earlier; one too old to edit (or deleted) is sent anew. Returns the message
/// that shows the text now.
async fn edit_text(
    bot: &Bot,
    governor: &Governor,
    chat: ChatId,
    message_id: i32,
    text: &str,
    keyboard: &Keyboard,
) -> Option<MessageId> {
    let text_piece = split_text(text, TELEGRAM_TEXT_LIMIT).into_iter().next().unwrap_or_default();
    let result = paced(governor, chat, "editMessageText", || {
        bot.edit_message_text(chat, MessageId(message_id), text_piece.clone()).reply_markup(markup(keyboard))
    })
    .await;
    match result {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Some(MessageId(message_id)),
        Err(e) => {
            tracing::debug!(error = %e, "edit failed; sending a new message");
            send_text(bot, governor, chat, text, keyboard).await
        }
    }
}

/// Replace the buttons of a message (an empty keyboard removes them). One try in its turn, never retried: the
/// buttons are a courtesy, and a message too old or deleted simply keeps what it has (pressing an old button
/// is handled by the chat logic anyway).
async fn edit_buttons(bot: &Bot, governor: &Governor, chat: ChatId, message_id: i32, keyboard: &Keyboard) {
    governor.reply_slot(chat.0).await;
    let result = bot.edit_message_reply_markup(chat, MessageId(message_id)).reply_markup(markup(keyboard)).await;
    if let Err(e) = result
        && !matches!(e, RequestError::Api(ApiError::MessageNotModified))
    {
        tracing::debug!(error = %e, "could not replace the buttons of a message");
    }
}

/// Send a handler's replies in order, each message paced by the governor (see `send::paced`).
pub async fn deliver(
    bot: &Bot,
    governor: &Governor,
    chat: ChatId,
    query: Option<&CallbackQueryId>,
    replies: Vec<Reply>,
) {
    let mut answered = false;
    for reply in replies {
        match reply {
            Reply::Send { text, keyboard } => {
                send_text(bot, governor, chat, &text, &keyboard).await;
            }
            Reply::Edit { message_id, text, keyboard } => {
                edit_text(bot, governor, chat, message_id, &text, &keyboard).await;
            }
            Reply::Question { message_id, text, keyboard } => {
                let shown = match message_id {
                    Some(id) => edit_text(bot, governor, chat, id, &text, &keyboard).await,
                    None => send_text(bot, governor, chat, &text, &keyboard).await,
                };
                // The copy above loses its buttons once the new one is there.
                if let Some(shown) = shown
                    && let Some(older) = live_questions().replace(chat.0, shown.0)
                {
                    edit_buttons(bot, governor, chat, older, &Keyboard::default()).await;
                }
            }
            Reply::EditButtons { message_id, keyboard } => {
                edit_buttons(bot, governor, chat, message_id, &keyboard).await;
            }
            Reply::AnswerButton { text, alert } => {
                if let Some(id) = query
                    && !answered
                {
                    answer_button(bot, id, text, alert).await;
                    answered = true;
                }
            }
            Reply::AskLocation { text, button } => {
                let keyboard =
                    KeyboardMarkup::new(vec![vec![KeyboardButton::new(button).request(ButtonRequest::Location)]])
                        .resize_keyboard()
                        .one_time_keyboard();
                let result = paced(governor, chat, "sendMessage", || {
                    bot.send_message(chat, text.clone()).reply_markup(keyboard.clone())
                })
                .await;
                if let Err(e) = result {
                    tracing::warn!(chat = chat.0, error = %e, "could not send the location keyboard");
                }
            }
            Reply::RemoveKeyboard { text } => {
                let result = paced(governor, chat, "sendMessage", || {
                    bot.send_message(chat, text.clone()).reply_markup(KeyboardRemove::new())
                })
                .await;
                if let Err(e) = result {
                    tracing::warn!(chat = chat.0, error = %e, "could not send a message");
                }
            }
            Reply::Document { file_name, bytes, caption } => {
                let result = paced(governor, chat, "sendDocument", || {
                    bot.send_document(chat, InputFile::memory(bytes.clone()).file_name(file_name.clone()))
                        .caption(caption.clone())
                })
                .await;
                if let Err(e) = result {
                    tracing::warn!(chat = chat.0, error = %e, "could not send a document");
                }
            }
            Reply::PhotoById { file_id, caption } => {
                let result = paced(governor, chat, "sendPhoto", || {
                    bot.send_photo(chat, InputFile::file_id(teloxide::types::FileId(file_id.clone())))
                        .caption(caption.clone())
                })
                .await;
                if let Err(e) = result {
                    tracing::warn!(chat = chat.0, error = %e, "could not send a photo");
                }
            }
            Reply::Photo { file_name, bytes, caption } => {
                let result = paced(governor, chat, "sendPhoto", || {
                    bot.send_photo(chat, InputFile::memory(bytes.clone()).file_name(file_name.clone()))
                        .caption(caption.clone())
                })
                .await;
                if let Err(e) = result {
                    tracing::warn!(chat = chat.0, error = %e, "could not send a photo");
                }
            }
            Reply::SetCommands(entries) => {
                let result = retrying("setMyCommands", || {
                    bot.set_my_commands(bot_commands(&entries)).scope(super::chat_scope(chat))
                })
                .await;
                if let Err(e) = result {
                    tracing::warn!(error = %e, "could not set the chat's command menu");
                }
            }
        }
    }
    if let (Some(id), false) = (query, answered) {
        answer_button(bot, id, None, false).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_long_thai_text_within_limit() {
        let text = "สวัสดีค่ะ\n".repeat(1000);
        let pieces = split_text(&text, TELEGRAM_TEXT_LIMIT);
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| p.encode_utf16().count() <= TELEGRAM_TEXT_LIMIT));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split_text("hi", 4096), vec!["hi".to_string()]);
        assert_eq!(split_text("", 4096), vec![String::new()]);
    }
}
