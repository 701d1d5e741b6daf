//! The care work itself: who may see and record what (one policy for all of it).

pub mod cases;
pub mod holidays;
pub mod meetings;
pub mod owners;
pub mod policy;
pub mod schedule;
pub mod store;
