//! What a person is to the school, and so what the bot lets them do.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Head,
    Counselor,
    Teacher,
    Parent,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Head, Role::Counselor, Role::Teacher, Role::Parent];
    /// Roles an invite for staff can carry (parents join through per-student invites).
    pub const STAFF: [Role; 4] = [Role::Admin, Role::Head, Role::Counselor, Role::Teacher];

    /// The value stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Head => "head",
            Role::Counselor => "counselor",
            Role::Teacher => "teacher",
            Role::Parent => "parent",
        }
    }

    /// Fluent message id of the role's name.
    pub fn message_id(self) -> &'static str {
        match self {
            Role::Admin => "role-admin",
            Role::Head => "role-head",
            Role::Counselor => "role-counselor",
            Role::Teacher => "role-teacher",
            Role::Parent => "role-parent",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Role::Parent
    }

    /// Staff who see every student (the counsellor runs the cases, the head oversees, the admin keeps the roster).
    pub fn sees_all_students(self) -> bool {
        matches!(self, Role::Admin | Role::Head | Role::Counselor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected admin, head, counselor, teacher or parent)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "head" => Ok(Role::Head),
            "counselor" | "counsellor" => Ok(Role::Counselor),
            "teacher" => Ok(Role::Teacher),
            "parent" => Ok(Role::Parent),
            _ => Err(UnknownRole(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("Counsellor".parse::<Role>(), Ok(Role::Counselor));
        assert!("janitor".parse::<Role>().is_err());
    }
}
