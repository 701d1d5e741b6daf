//! Domain types: validated values instead of bare strings and integers.

pub mod calendar;
pub mod class;
pub mod document;
pub mod role;
pub mod student;
pub mod term;
pub mod user;
pub mod year;

pub use class::ClassName;
pub use role::Role;
pub use student::{Gender, NewStudent, PhoneNumber, Prefix, StudentCode};
pub use term::Term;
pub use user::{TelegramId, UserId};
pub use year::{AcademicYear, Period};
