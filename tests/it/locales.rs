//! Every message the code asks for exists in Thai and in English, and the two locales have the same ids.

use dulae::conversation::commands::Command;
use dulae::domain::Role;
use dulae::l10n::{Lang, Localizer};
use std::collections::BTreeSet;
use std::path::Path;

fn ftl_ids(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((id, _)) = line.split_once('=') {
                let id = id.trim();
                if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !line.starts_with(' ')
                {
                    ids.insert(id.to_string());
                }
            }
        }
    }
    ids
}

/// Message ids the code asks for: `tr.get("id")`, `tr.with("id", …)` and `get_id("id")`-style literals.
fn ids_in_code() -> BTreeSet<String> {
    // The receiver is a translator: `tr.get(…)`, or `….tr(lang).get(…)` — not any map's `.get("key")`.
    let pattern = regex_lite::Regex::new(r#"(?:\btr|\.tr\([^)]*\))\.(?:get|with)\(\s*"([a-z][a-z0-9-]*)""#).unwrap();
    let mut ids = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                ids.extend(pattern.captures_iter(&text).map(|c| c[1].to_string()));
            }
        }
    }
    ids
}

#[test]
fn both_locales_have_the_same_ids() {
    let th = ftl_ids("th");
    let en = ftl_ids("en");
    assert!(th.len() > 40, "parsed {} ids", th.len());
    let only_th: Vec<_> = th.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&th).collect();
    assert!(only_th.is_empty() && only_en.is_empty(), "only in th: {only_th:?}; only in en: {only_en:?}");
}

#[test]
fn every_id_the_code_asks_for_exists_in_both() {
    let l10n = Localizer::load().unwrap();
    let mut wanted = ids_in_code();
    assert!(wanted.len() > 30, "the scan found {} ids; is the pattern still right?", wanted.len());
    wanted.extend(Role::ALL.iter().map(|r| r.message_id().to_string()));
    wanted.extend(Command::ALL.iter().map(|c| c.description_id().to_string()));
    wanted
        .extend(Command::ALL.iter().flat_map(|c| Role::ALL.iter().map(|r| c.description_id_for(Some(*r)).to_string())));
    for lang in Lang::ALL {
        let missing: Vec<_> = wanted.iter().filter(|id| !l10n.has(lang, id)).collect();
        assert!(missing.is_empty(), "missing in {}: {missing:?}", lang.code());
    }
}

#[test]
fn every_locale_file_is_embedded() {
    for lang in ["th", "en"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                dulae::l10n::messages::LOCALE_FILES.iter().any(|(l, f, _)| *l == lang && *f == name),
                "locales/{lang}/{name} is not in LOCALE_FILES"
            );
        }
    }
}

#[test]
fn no_invisible_isolation_marks_in_output() {
    let l10n = Localizer::load().unwrap();
    let text = l10n.tr(Lang::Th).with(
        "invite-created",
        dulae::l10n::Args::new()
            .str("role", "x")
            .str("who", "y")
            .str("expires", "24 พ.ย. 2569")
            .str("link", "https://t.me/b?start=abc"),
    );
    assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'), "{text:?}");
    assert!(text.contains("https://t.me/b?start=abc"));
}

#[test]
fn english_plurals_and_thai_other() {
    let l10n = Localizer::load().unwrap();
    let args = |n| dulae::l10n::Args::new().num("count", n);
    assert_eq!(l10n.tr(Lang::En).with("users-parents", args(1)), "1 parent has joined");
    assert_eq!(l10n.tr(Lang::En).with("users-parents", args(3)), "3 parents have joined");
    assert_eq!(l10n.tr(Lang::Th).with("users-parents", args(3)), "ผู้ปกครองที่ลงทะเบียนแล้ว 3 คน");
}

#[test]
fn ids_built_at_run_time_exist_too() {
    use dulae::care::cases::CaseStatus;
    use dulae::care::schedule::Urgency;
    let l10n = Localizer::load().unwrap();
    let mut ids: Vec<String> = [
        "opened",
        "accepted",
        "question",
        "note",
        "handed_over",
        "in_progress",
        "referred_out",
        "closed",
        "plan_goal",
        "plan_review",
        "action_added",
        "action_done",
        "action_cancelled",
        "action_rescheduled",
        "escalated",
    ]
    .iter()
    .map(|kind| format!("case-event-{}", kind.replace('_', "-")))
    .collect();
    ids.extend(Urgency::ALL.iter().map(|u| u.message_id().to_string()));
    ids.extend(
        [CaseStatus::New, CaseStatus::Accepted, CaseStatus::InProgress, CaseStatus::ReferredOut, CaseStatus::Closed]
            .iter()
            .map(|s| s.message_id().to_string()),
    );
    for lang in Lang::ALL {
        let missing: Vec<_> = ids.iter().filter(|id| !l10n.has(lang, id)).collect();
        assert!(missing.is_empty(), "missing in {}: {missing:?}", lang.code());
    }
}
