//! Dulae (ดูแล): the Thai school Student Care and Support System as a Telegram bot.
//!
//! Layers, dependencies pointing down only (ARCHITECTURE.md; `tests/it/architecture.rs` checks it):
//! - `bot` (teloxide transport), `cli` (command line), `console`, `bench`: the outside world.
//! - `conversation`: the chat — one update, one unit of work: (saved state, one event) → (new state, replies).
//! - `care`, `announce`, `notify`, `survey`, `invites`, `reports`, `roster` (and `app`, `config`): the school's
//!   use cases that the chat and the CLI share.
//! - `chat_ui`: the button vocabulary, below everything that puts buttons on a message.
//! - `store`, `forms`, `domain`, `l10n`, `clock`, `private_file`: tables, the form engine, types, messages.

pub mod announce;
pub mod app;
pub mod bench;
pub mod bot;
pub mod care;
pub mod chat_ui;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod conversation;
pub mod domain;
pub mod forms;
pub mod invites;
pub mod l10n;
pub mod notify;
pub mod ops;
pub mod print;
pub mod private_file;
pub mod reports;
pub mod roster;
pub mod staff;
pub mod store;
pub mod survey;
pub mod year;
