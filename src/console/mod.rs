//! The terminal transport: `dulae demo` plays the teacher's side against a temporary sample school, with the
//! same conversation logic as the bot.

pub mod demo;
