//! The one live question of each chat. A form question is sent anew after a typed answer, a photo or a wrong
//! input; the copy above it must lose its buttons, or a teacher scrolling back taps an old one. Telegram tells us a
//! message's id only when we send it, so the transport remembers the last question it showed in each chat.
//!
//! Memory only, and bounded: after a restart, or past [`MAX_CHATS`] chats, an old copy simply keeps its buttons —
//! pressing one then redraws the current question (see the form flow), so nothing is lost either way.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// More chats than a school has people: past it the memory starts again rather than grow.
pub const MAX_CHATS: usize = 20_000;

#[derive(Default)]
pub struct LiveQuestions {
    shown: Mutex<HashMap<i64, i32>>,
}

impl LiveQuestions {
    /// `message` is now the chat's live question; returns the one it replaces (if it is another message).
    pub fn replace(&self, chat: i64, message: i32) -> Option<i32> {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if shown.len() >= MAX_CHATS && !shown.contains_key(&chat) {
            shown.clear();
        }
        shown.insert(chat, message).filter(|old| *old != message)
    }
}

/// The process's registry (one bot per process).
pub fn live_questions() -> &'static LiveQuestions {
    static LIVE: OnceLock<LiveQuestions> = OnceLock::new();
    LIVE.get_or_init(LiveQuestions::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_live_question_per_chat_and_bounded() {
        let live = LiveQuestions::default();
        assert_eq!(live.replace(1, 10), None);
        assert_eq!(live.replace(1, 10), None, "the same message edited in place replaces nothing");
        assert_eq!(live.replace(1, 11), Some(10));
        assert_eq!(live.replace(2, 20), None, "chats are separate");
        for chat in 0..MAX_CHATS as i64 + 5 {
            live.replace(1_000_000 + chat, 1);
        }
        assert!(live.shown.lock().unwrap().len() <= MAX_CHATS);
    }
}
