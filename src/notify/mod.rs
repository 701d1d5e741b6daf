//! Notifications the bot sends on its own initiative: the outbox (written in the same transaction as the change
//! that implies it) and, built on it, the sender, reminders and alerts.

pub mod digest;
pub mod governor;
pub mod media;
pub mod outbox;
pub mod reminders;
pub mod scheduler;
pub mod sender;
pub mod store;
