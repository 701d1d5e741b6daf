//! Notifications the bot sends on its own initiative: the outbox (written in the same transaction as the change
//! that implies it) and, built on it, the sender (paced by the governor it shares with the replies), reminders,
//! alerts and the head's weekly digest; and the photo copies (`media`). Their SQL is in `store`.

pub mod digest;
pub mod governor;
pub mod media;
pub mod outbox;
pub mod reminders;
pub mod scheduler;
pub mod sender;
pub mod store;
