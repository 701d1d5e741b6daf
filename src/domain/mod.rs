//! Domain types: validated values instead of bare strings and integers.

pub mod calendar;
pub mod class;
pub mod document;
pub mod ids;
pub mod refusal;
pub mod role;
pub mod student;
pub mod term;
pub mod year;

pub use class::ClassName;
pub use ids::{TelegramId, UserId};
pub use role::Role;
pub use student::{Gender, NewStudent, PhoneNumber, Prefix, StudentCode};
pub use term::Term;
pub use year::{AcademicYear, Period};
