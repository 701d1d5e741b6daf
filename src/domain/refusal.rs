//! Expected refusals, told apart from faults by their type.
//!
//! A rule saying "no" (not the case owner, the case is closed, the survey went out a minute ago) is part of the
//! job: the person is told why, politely, and nothing is logged as an error. A broken database or a bug is not:
//! it is logged with its cause and the person gets the apology. So a change that may be refused returns
//! `anyhow::Result<Result<T, E>>`: the outer `Err` is a fault, the inner `Err(E)` a refusal, where `E` is a
//! feature's own refusal enum implementing [`Refusal`]. Nobody has to `downcast` an `anyhow::Error` to find out
//! which of the two happened.

/// A rule's "no", with the Fluent id of the message that explains it to the person.
pub trait Refusal: std::fmt::Debug {
    fn message_id(&self) -> &'static str;
}
