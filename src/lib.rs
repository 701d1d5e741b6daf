//! Dulae (ดูแล): the Thai school Student Care and Support System as a Telegram bot.
//!
//! Layers, dependencies pointing down only:
//! - `bot` (teloxide transport) and `cli` (command line): turn the outside world into calls below.
//! - `conversation`: pure chat logic — (stored state, one input) → (new state, replies). No Telegram types.
//! - `roster`, `invites`: the school's use cases that the CLI and the chat share.
//! - `store`: rusqlite, one module per table family.
//! - `domain`, `l10n`: types and rules; Fluent messages and Thai dates.

pub mod announce;
pub mod app;
pub mod bench;
pub mod bot;
pub mod care;
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
pub mod print;
pub mod private_file;
pub mod reports;
pub mod roster;
pub mod store;
pub mod survey;
