//! Property test of the whole chat core: random sequences of what a teacher with a class might send — the
//! buttons on screen, old (stale) buttons, forged button data, texts up to 5,000 characters, stickers, photos,
//! locations, forwarded messages, commands, and restarts of the bot on the same database file — driven through
//! `conversation::handle`. Whatever the sequence: no panic and no error, every button press answered exactly
//! once (and nothing else answered as a press), and no saved form answer lost by anything but the form's own
//! submit, confirmed cancel or "start over".

use crate::common;

use common::*;
use dulae::app::App;
use dulae::clock::FixedClock;
use dulae::conversation::{self, Event, MediaKind, Reply};
use dulae::domain::Role;
use dulae::store::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Action {
    /// What a teacher filling in the form on screen would do next (as `common::next_action` does).
    Sensible,
    /// One of the buttons of the last message that had some (by position, wrapping).
    PressShown(usize),
    /// Any button seen earlier in the sequence.
    PressOld(usize),
    /// Callback data nobody sent: random text, or a real button with its ids changed.
    PressForged(String),
    /// A form button with the last screen's nonce but another question or value.
    PressTampered(usize, String),
    Text(String),
    Media(MediaKind),
    Photo(u8),
    Location(f64, f64),
    Forwarded,
    Pdf,
    Command(&'static str, String),
    /// The bot stops and starts again on the same database file.
    Restart,
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", "  ", "3", "0.5", "๔๕", "-1", "24/11/2569", "31/02/2569", "today", "ใช่", "ไม่มี", "พ่อ", "แม่",
            "สมชาย", "/", "/screen", "ไม่ส่งการบ้าน", "1e400", "NaN", "x",
        ])
        .prop_map(String::from),
        2 => prop::collection::vec(any::<char>(), 0..30).prop_map(String::from_iter),
        1 => (0usize..3).prop_map(|i| ["ก".repeat(5000), "x".repeat(4096), "๙".repeat(2001)][i].clone()),
    ]
}

fn forged_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "1",
            "1:",
            "1:pk",
            "1:pk:zzzz:s:999999",
            "1:pk:zzzz:x",
            "1:f:zzzz:gpa:c:0.5",
            "1:f::~r:ok",
            "1:cs:999:o",
            "1:cs:1:a",
            "1:ac:999:d",
            "1:ci:zzzz:x",
            "1:ci:zzzz:d:20261203",
            "1:rf:999999",
            "1:rf:1",
            "1:rs:zzzz:ok",
            "1:lang:xx",
            "0:lang:th",
            "2:lang:th",
            "1:an:k:999",
            "1:an:f:zzzz:ok",
            "1:sv:999",
            "1:ss:ok:parents",
            "1:inv:zzzz:r:admin",
            "1:pk:zzzz:s:1:extra",
            "9:x:y:z",
        ])
        .prop_map(String::from),
        prop::collection::vec(any::<char>(), 0..64).prop_map(String::from_iter),
    ]
}

fn action_strategy() -> impl Strategy<Value = Action> {
    prop_oneof![
        12 => Just(Action::Sensible),
        10 => any::<usize>().prop_map(Action::PressShown),
        3 => any::<usize>().prop_map(Action::PressOld),
        2 => forged_strategy().prop_map(Action::PressForged),
        2 => (any::<usize>(), prop::sample::select(vec!["c:zz", "t:zz", "e:99", "c:", "ok", "xx", "d"]))
            .prop_map(|(i, tail)| Action::PressTampered(i, tail.to_string())),
        5 => text_strategy().prop_map(Action::Text),
        1 => prop::sample::select(vec![MediaKind::Sticker, MediaKind::Voice, MediaKind::Video, MediaKind::Contact])
            .prop_map(Action::Media),
        1 => any::<u8>().prop_map(Action::Photo),
        1 => (-90.0f64..90.0, -180.0f64..180.0).prop_map(|(a, b)| Action::Location(a, b)),
        1 => Just(Action::Forwarded),
        1 => Just(Action::Pdf),
        4 => (
            prop::sample::select(vec![
                "screen", "visit", "student", "refer", "cancel", "help", "lang", "plans", "cases", "start",
                "announce", "parents", "nonsense", "users",
            ]),
            prop::sample::select(vec!["", " ", "x", "ABCDEFGH"]).prop_map(String::from),
        )
            .prop_map(|(name, args)| Action::Command(name, args)),
        1 => Just(Action::Restart),
    ]
}

fn open_app(path: &Path, clock: &Arc<FixedClock>) -> App {
    let store = Store::open(path).expect("store");
    App::with_clock(store, test_config(), clock.clone()).expect("app")
}

/// Every saved form draft's answers, by (teacher, student, form).
fn drafts(app: &App) -> BTreeMap<(i64, i64, String), serde_json::Value> {
    app.store
        .read(|c| {
            let mut stmt = c.prepare("SELECT user_id, student_id, form_id, session FROM form_drafts")?;
            let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get::<_, String>(3)?)))?;
            let mut out = BTreeMap::new();
            for row in rows {
                let (key, json) = row?;
                let session: serde_json::Value = serde_json::from_str(&json)?;
                out.insert(key, session["answers"].clone());
            }
            Ok(out)
        })
        .expect("drafts")
}

/// The form open in the chat (student id, form id, nonce), read from the saved state.
fn open_form(app: &App, chat_id: i64) -> Option<(i64, String, String)> {
    let json = app.store.read(|c| dulae::store::conversations::load(c, chat_id)).expect("state")?;
    let state: serde_json::Value = serde_json::from_str(&json).ok()?;
    (state["flow"] == "form").then(|| {
        (
            state["student_id"].as_i64().unwrap_or_default(),
            state["form_id"].as_str().unwrap_or_default().to_string(),
            state["nonce"].as_str().unwrap_or_default().to_string(),
        )
    })
}

fn submissions(app: &App) -> i64 {
    app.store.read(|c| Ok(c.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))?)).expect("count")
}

fn last_buttons(replies: &[Reply]) -> Vec<String> {
    replies
        .iter()
        .rev()
        .find_map(|r| match r {
            Reply::Send { keyboard, .. } | Reply::Edit { keyboard, .. } if !keyboard.is_empty() => {
                Some(keyboard.0.concat().into_iter().map(|b| b.data).collect())
            }
            _ => None,
        })
        .unwrap_or_default()
}

fn run(prefix: usize, actions: Vec<Action>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dulae.db");
    let clock = Arc::new(FixedClock::new(start_time()));
    let mut app = open_app(&path, &clock);
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
        .expect("roster");
    let setup = School::on(app, clock.clone());
    staff(&setup, 1, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    app = setup.app;
    let teacher = person(1, "ครูสมศรี");

    // Start in the middle of a screening: the list, a student, then `prefix` sensible answers.
    let no_answers = std::collections::HashMap::new();
    let mut screen = conversation::handle(&app, &private(&teacher, command("screen", ""))).expect("the list");
    let student = button_data(&screen, "สมชาย");
    let mut seen: Vec<String> = last_buttons(&screen);
    screen = conversation::handle(&app, &private(&teacher, press(&student, 10))).expect("the form");
    for _ in 0..prefix {
        let Some(event) = next_action(&screen, &no_answers) else { break };
        if matches!(&event, Event::Button { data, .. } if data.ends_with(":ok")) {
            break;
        }
        screen = conversation::handle(&app, &private(&teacher, event)).expect("an answer");
        seen.extend(last_buttons(&screen));
    }
    let mut last_screen = screen;
    let mut shown: Vec<String> = last_buttons(&last_screen);

    for action in actions {
        let event = match &action {
            Action::Restart => {
                drop(app);
                app = open_app(&path, &clock);
                continue;
            }
            Action::Sensible => match next_action(&last_screen, &no_answers) {
                Some(event) => event,
                None => press(shown.first().map_or("1:nothing", String::as_str), 10),
            },
            Action::PressShown(i) => match shown.get(i % shown.len().max(1)) {
                Some(data) => press(data, 10),
                None => press("1:nothing", 10),
            },
            Action::PressOld(i) => match seen.get(i % seen.len().max(1)) {
                Some(data) => press(data, 9),
                None => press("1:nothing", 9),
            },
            Action::PressForged(data) => press(data, 8),
            Action::PressTampered(i, tail) => match shown.get(i % shown.len().max(1)) {
                Some(data) => {
                    let mut parts: Vec<&str> = data.split(':').collect();
                    parts.truncate(4);
                    press(&format!("{}:{tail}", parts.join(":")), 10)
                }
                None => press(tail, 10),
            },
            Action::Text(t) => Event::Text(t.clone()),
            Action::Media(kind) => Event::Media(*kind),
            Action::Photo(n) => Event::Photo { file_id: format!("photo-{n}"), file_unique_id: format!("u{n}") },
            Action::Location(lat, lon) => Event::Location { latitude: *lat, longitude: *lon },
            Action::Forwarded => Event::Forwarded,
            Action::Pdf => Event::Document {
                file_id: "doc".into(),
                file_name: Some("a.pdf".into()),
                mime_type: Some("application/pdf".into()),
            },
            Action::Command(name, args) => command(name, args),
        };
        let before = drafts(&app);
        let form_before = open_form(&app, 1);
        let submitted_before = submissions(&app);

        let replies = conversation::handle(&app, &private(&teacher, event.clone()))
            .map_err(|e| TestCaseError::fail(format!("{action:?} failed: {e:#}")))?;

        // Every press answered exactly once; nothing else answered as a press.
        let answers = replies.iter().filter(|r| matches!(r, Reply::AnswerButton { .. })).count();
        let expected = usize::from(matches!(event, Event::Button { .. }));
        prop_assert_eq!(answers, expected, "{:?} → {:?}", action, replies);

        // Saved answers change only through the open form's own inputs, and go only by its submit, confirmed
        // cancel or "start over".
        let after = drafts(&app);
        let form_input = match (&form_before, &event) {
            (Some((_, _, nonce)), Event::Button { data, .. }) => data.starts_with(&format!("1:f:{nonce}:")),
            (Some(_), Event::Text(_) | Event::Location { .. } | Event::Photo { .. }) => true,
            _ => false,
        };
        for (key, answers_before) in &before {
            let is_open_form =
                form_before.as_ref().is_some_and(|(student, form, _)| key.1 == *student && key.2 == *form);
            let restart =
                matches!(&event, Event::Button { data, .. } if data.starts_with("1:pk:") && data.ends_with(":new"));
            match after.get(key) {
                Some(answers_after) if answers_after == answers_before => {}
                Some(_) => prop_assert!(
                    (is_open_form && form_input) || restart,
                    "{:?} changed the answers of {:?} without being that form's input",
                    action,
                    key
                ),
                None => {
                    let submitted = submissions(&app) > submitted_before;
                    let cancelled = matches!(&event, Event::Button { data, .. } if data.ends_with(":xx"));
                    prop_assert!(
                        is_open_form && form_input && (submitted || cancelled),
                        "{:?} lost the draft of {:?}",
                        action,
                        key
                    );
                }
            }
        }

        let buttons = last_buttons(&replies);
        if !buttons.is_empty() {
            seen.extend(buttons.iter().cloned());
            shown = buttons;
            last_screen = replies;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_is_handled_and_loses_no_answer(
        prefix in 0usize..25,
        actions in prop::collection::vec(action_strategy(), 1..45),
    ) {
        run(prefix, actions)?;
    }
}
