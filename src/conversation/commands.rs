//! The commands, who may use them, and the menu Telegram shows each person (setMyCommands, chat scope).

use super::CommandEntry;
use crate::app::App;
use crate::care::policy::{CareAction, role_uses_care_data};
use crate::domain::Role;
use crate::l10n::{Args, Tr};
use crate::store::users::UserRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Lang,
    Cancel,
    Invite,
    Users,
    Children,
    Screen,
    Visit,
    Student,
    Stats,
    Export,
    Announce,
    News,
    Parents,
    Refer,
    Cases,
    Plans,
    Survey,
    /// The admin's health check (issue 10): the same checks as `dulae doctor`, without personal data.
    Status,
    Meeting,
    Staff,
    Print,
}

impl Command {
    /// In menu order.
    pub const ALL: [Command; 23] = [
        Command::Survey,
        Command::Screen,
        Command::Visit,
        Command::Student,
        Command::Refer,
        Command::Cases,
        Command::Plans,
        Command::Meeting,
        Command::Announce,
        Command::Parents,
        Command::Stats,
        Command::Export,
        Command::Print,
        Command::Invite,
        Command::Users,
        Command::Status,
        Command::Staff,
        Command::Children,
        Command::News,
        Command::Help,
        Command::Lang,
        Command::Cancel,
        Command::Start,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Help => "help",
            Command::Lang => "lang",
            Command::Cancel => "cancel",
            Command::Invite => "invite",
            Command::Announce => "announce",
            Command::News => "news",
            Command::Parents => "parents",
            Command::Users => "users",
            Command::Children => "children",
            Command::Screen => "screen",
            Command::Visit => "visit",
            Command::Student => "student",
            Command::Stats => "stats",
            Command::Export => "export",
            Command::Refer => "refer",
            Command::Survey => "survey",
            Command::Cases => "cases",
            Command::Plans => "plans",
            Command::Status => "status",
            Command::Meeting => "meeting",
            Command::Staff => "staff",
            Command::Print => "print",
        }
    }

    pub fn parse(name: &str) -> Option<Command> {
        let name = name.trim_start_matches('/').to_ascii_lowercase();
        Command::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Fluent id of the one-line description shown in the menu and in /help, as `role` uses the command: a
    /// teacher's /invite makes the parents' invite slips of their classes, the admin's invites staff.
    pub fn description_id_for(self, role: Option<Role>) -> &'static str {
        match (self, role) {
            (Command::Invite, Some(Role::Teacher)) => "cmd-invite-parents",
            _ => self.description_id(),
        }
    }

    /// Fluent id of the one-line description shown in the menu and in /help.
    pub fn description_id(self) -> &'static str {
        match self {
            Command::Start => "cmd-start",
            Command::Help => "cmd-help",
            Command::Lang => "cmd-lang",
            Command::Cancel => "cmd-cancel",
            Command::Invite => "cmd-invite",
            Command::Announce => "cmd-announce",
            Command::News => "cmd-news",
            Command::Parents => "cmd-parents",
            Command::Users => "cmd-users",
            Command::Children => "cmd-children",
            Command::Screen => "cmd-screen",
            Command::Visit => "cmd-visit",
            Command::Student => "cmd-student",
            Command::Stats => "cmd-stats",
            Command::Export => "cmd-export",
            Command::Refer => "cmd-refer",
            Command::Survey => "cmd-survey",
            Command::Cases => "cmd-cases",
            Command::Plans => "cmd-plans",
            Command::Status => "cmd-status",
            Command::Meeting => "cmd-meeting",
            Command::Staff => "cmd-staff",
            Command::Print => "cmd-print",
        }
    }

    /// `None` is someone who has not joined.
    pub fn allowed_for(self, role: Option<Role>) -> bool {
        match self {
            Command::Start | Command::Help => true,
            Command::Lang | Command::Cancel => role.is_some(),
            Command::Users | Command::Status | Command::Staff => role == Some(Role::Admin),
            // The admin invites staff; a teacher gets the parent invite slips of their classes.
            Command::Invite => matches!(role, Some(Role::Admin | Role::Teacher)),
            Command::Announce => role.is_some_and(crate::announce::role_announces),
            Command::News => role.is_some(),
            Command::Parents => matches!(role, Some(Role::Teacher | Role::Head | Role::Admin)),
            Command::Children => role == Some(Role::Parent),
            Command::Screen | Command::Visit => role.is_some_and(|r| role_uses_care_data(r, CareAction::RecordForms)),
            Command::Student => role.is_some_and(|r| role_uses_care_data(r, CareAction::ViewRecords)),
            Command::Stats | Command::Export => role.is_some_and(|r| role_uses_care_data(r, CareAction::ViewRecords)),
            Command::Refer => role.is_some_and(|r| role_uses_care_data(r, CareAction::RecordForms)),
            Command::Survey => matches!(role, Some(Role::Head | Role::Admin)),
            Command::Cases | Command::Plans => matches!(role, Some(Role::Teacher | Role::Counselor | Role::Head)),
            Command::Meeting => role == Some(Role::Teacher),
            Command::Print => role.is_some_and(|r| !crate::print::access::kinds_for(r).is_empty()),
        }
    }

    /// Shown in the menu (Start is implied by Telegram's own button).
    fn in_menu(self) -> bool {
        self != Command::Start
    }
}

/// The command menu for a role (or for someone who has not joined).
pub fn menu(_app: &App, tr: Tr<'_>, role: Option<Role>) -> Vec<CommandEntry> {
    Command::ALL
        .into_iter()
        .filter(|c| c.allowed_for(role) && (c.in_menu() || role.is_none()))
        .map(|c| CommandEntry { command: c.name().to_string(), description: tr.get(c.description_id_for(role)) })
        .collect()
}

pub fn help_text(app: &App, tr: Tr<'_>, user: &UserRow) -> String {
    let mut lines =
        vec![tr.with(
            "help-title",
            Args::new().str("name", &user.display_name).str("role", tr.get(user.role.message_id())),
        )];
    for entry in menu(app, tr, Some(user.role)) {
        lines.push(format!("/{} — {}", entry.command, entry.description));
    }
    lines.join("\n")
}
