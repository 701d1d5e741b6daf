//! Everything the bot says: Fluent messages (Thai first, English second) and Thai dates.

pub mod messages;
pub mod thai_date;

pub use messages::{Args, Lang, Localizer, Tr};
