//! What a button carries: short ids and a version tag, never names (Telegram allows 64 bytes and Thai takes
//! three bytes a letter). Every press is checked again against the current state and the presser's rights.

use crate::domain::Role;
use crate::l10n::Lang;

/// Bumped when the format changes, so buttons of an older bot are recognised as stale, not misread.
const VERSION: &str = "1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteAction {
    Role(Role),
    ToggleClass(i64),
    Page(usize),
    Done,
    SkipName,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonData {
    Lang(Lang),
    /// A step of the admin's invite flow; `nonce` ties the button to one run of the flow.
    Invite {
        nonce: String,
        action: InviteAction,
    },
}

impl ButtonData {
    pub fn encode(&self) -> String {
        match self {
            ButtonData::Lang(lang) => format!("{VERSION}:lang:{}", lang.code()),
            ButtonData::Invite { nonce, action } => {
                let action = match action {
                    InviteAction::Role(role) => format!("r:{}", role.as_str()),
                    InviteAction::ToggleClass(id) => format!("c:{id}"),
                    InviteAction::Page(page) => format!("p:{page}"),
                    InviteAction::Done => "ok".into(),
                    InviteAction::SkipName => "skip".into(),
                    InviteAction::Cancel => "x".into(),
                };
                format!("{VERSION}:inv:{nonce}:{action}")
            }
        }
    }

    /// `None` for anything we did not make (or an older version made).
    pub fn decode(data: &str) -> Option<ButtonData> {
        if data.len() > 64 {
            return None;
        }
        let mut parts = data.split(':');
        if parts.next()? != VERSION {
            return None;
        }
        let decoded = match parts.next()? {
            "lang" => ButtonData::Lang(Lang::from_code(parts.next()?)?),
            "inv" => {
                let nonce = parts.next()?.to_string();
                let action = match parts.next()? {
                    "r" => InviteAction::Role(parts.next()?.parse().ok()?),
                    "c" => InviteAction::ToggleClass(parts.next()?.parse().ok()?),
                    "p" => InviteAction::Page(parts.next()?.parse().ok()?),
                    "ok" => InviteAction::Done,
                    "skip" => InviteAction::SkipName,
                    "x" => InviteAction::Cancel,
                    _ => return None,
                };
                ButtonData::Invite { nonce, action }
            }
            _ => return None,
        };
        // Trailing parts mean this is not ours.
        parts.next().is_none().then_some(decoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fits_telegram() {
        let all = [
            ButtonData::Lang(Lang::En),
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Role(Role::Counselor) },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::ToggleClass(i64::MAX) },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Page(3) },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Done },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::SkipName },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Cancel },
        ];
        for b in all {
            let data = b.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(ButtonData::decode(&data), Some(b));
        }
    }

    #[test]
    fn foreign_and_old_buttons_are_not_misread() {
        for data in [
            "",
            "lang:th",
            "0:lang:th",
            "1:lang:fr",
            "1:inv:abcd:r:janitor",
            "1:inv:abcd:c:x",
            "1:lang:th:extra",
            "1:zzz",
        ] {
            assert_eq!(ButtonData::decode(data), None, "{data}");
        }
    }
}
