//! Row ids that cross modules, one type each, so a case id can never be passed where a student id is meant.
//!
//! Each is a plain `i64` underneath (SQLite's rowid) and goes in and out of SQL as itself (`ToSql`/`FromSql`),
//! so store code binds `case` rather than `case.0` and reads `row.get::<_, CaseId>(0)`.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::fmt;

macro_rules! row_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )*};
}

row_ids! {
    /// Our own id of a person (row in `users`).
    UserId;
    /// Telegram's user id. Also the private chat id with the bot.
    TelegramId;
    /// A class of the roster (row in `classes`).
    ClassId;
    /// A student (row in `students`).
    StudentId;
    /// A care case: a referral or help in class (row in `cases`).
    CaseId;
    /// One action of a help plan (row in `plan_actions`).
    ActionId;
    /// One entry of a case's chronology (row in `case_events`); a notification's button opens it.
    CaseEventId;
    /// A class meeting with parents (row in `class_meetings`).
    MeetingId;
    /// A submitted screening or home-visit form (row in `submissions`).
    SubmissionId;
    /// A planned reminder (row in `reminders`): an action's, a referral's acceptance deadline, a yearly task's.
    ReminderId;
    /// An invite code (row in `invites`; only its hash is stored).
    InviteId;
    /// A message waiting to be sent (row in `outbox`).
    OutboxId;
    /// An announcement to parents or staff (row in `announcements`).
    AnnouncementId;
    /// One sending of the satisfaction survey (row in `survey_rounds`).
    SurveyRoundId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_as_their_number() {
        assert_eq!(CaseId(7).to_string(), "7");
    }
}
