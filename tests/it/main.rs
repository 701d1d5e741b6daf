//! Every integration test of Dulae, in one binary: the test files are modules of this crate, so the library,
//! teloxide, resvg, Typst and the xlsx writer are linked once, not once a file (a 2-core CI spent most of its
//! test build linking). Run one file's tests with its module name: `cargo test --test it care_flow::`.
//!
//! No test here needs a process of its own: the mock Bot API (teloxide_tests) serialises its tests behind its
//! own lock whatever binary they are in, no test sets an environment variable, a panic hook or a global
//! subscriber in this process (the CLI tests set their environment on the child process), and the property
//! tests keep no regressions file.

mod common;

mod announce_e2e;
mod announce_flow;
mod announce_parents;
mod architecture;
mod care_flow;
mod care_reminders;
mod classroom_help;
mod cli;
mod cli_school_year;
mod conversation;
mod conversation_props;
mod e2e_care;
mod e2e_classroom_help;
mod e2e_forms;
mod e2e_school_year;
mod e2e_telegram;
mod forms_chat;
mod forms_engine;
mod forms_props;
mod forms_scoring;
mod forms_validate;
mod forms_walk;
mod governor;
mod invites;
mod locales;
mod ops;
mod ops_cli;
mod outbox_sender;
mod photos_copy;
mod print;
mod reports_chart;
mod reports_cli;
mod reports_export;
mod reports_stats;
mod roster_import;
mod school_year;
mod staff_changes;
mod store_migrations;
mod survey_flow;
mod unit_of_work;
