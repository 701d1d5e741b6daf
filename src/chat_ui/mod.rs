//! The chat's button vocabulary: a button, rows of buttons, and what a button carries ([`buttons::ButtonData`],
//! encoded in Telegram's 64-byte callback data).
//!
//! It sits below everything that puts buttons on a message — the chat flows (`conversation`) and the use cases
//! whose notifications carry buttons (`care`, `announce`, `notify`, `survey`) — and depends only on `domain` and
//! `l10n`. Nothing here knows about a conversation, a chat state or Telegram.

pub mod buttons;
pub mod print_button;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    pub data: String,
}

/// Rows of inline buttons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyboard(pub Vec<Vec<Button>>);

impl Keyboard {
    pub fn row(mut self, buttons: Vec<Button>) -> Self {
        if !buttons.is_empty() {
            self.0.push(buttons);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
