//! Shared test helpers: a school on an in-memory database with a clock that only moves when told.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use dulae::app::App;
use dulae::clock::FixedClock;
use dulae::config::Config;
use dulae::conversation::{self, Event, Incoming, Reply, Sender};
use dulae::domain::TelegramId;
use dulae::store::Store;
use std::sync::Arc;

pub const ROSTER: &str = "\
student_id,prefix,first_name,last_name,class,nickname,gender,birth_date,parent_name,parent_phone
10001,ด.ช.,สมชาย,ใจดี,ป.4/1,ชาย,ชาย,12/05/2559,นางสมศรี ใจดี,081-234-5678
10002,ด.ญ.,สมหญิง,รักเรียน,ป.4/1,หญิง,หญิง,03/01/2559,นายสมปอง รักเรียน,0898765432
10003,ด.ช.,มานะ,ขยันยิ่ง,ป.4/2,,,,,
";

/// 26 Nov 2026, 10:00 in Bangkok.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).single().expect("valid test time")
}

pub fn test_config() -> Config {
    let mut config = Config::from_lookup(|_| None).expect("default config");
    config.bot_username = Some("dulae_test_bot".into());
    config
}

pub struct School {
    pub app: App,
    pub clock: Arc<FixedClock>,
}

pub fn school() -> School {
    let clock = Arc::new(FixedClock::new(start_time()));
    let store = Store::open_in_memory().expect("store");
    let app = App::with_clock(store, test_config(), clock.clone()).expect("app");
    School { app, clock }
}

pub fn school_with_roster() -> School {
    let s = school();
    dulae::roster::import(&s.app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
        .expect("roster imports");
    s
}

pub fn person(telegram_id: i64, name: &str) -> Sender {
    Sender { telegram_id: TelegramId(telegram_id), display_name: name.to_string(), username: None }
}

pub fn private(from: &Sender, event: Event) -> Incoming {
    Incoming { chat_id: from.telegram_id.0, private_chat: true, from: from.clone(), event }
}

pub fn command(name: &str, args: &str) -> Event {
    Event::Command { name: name.into(), args: args.into() }
}

pub fn text(t: &str) -> Event {
    Event::Text(t.into())
}

pub fn press(data: &str, message_id: i32) -> Event {
    Event::Button { data: data.into(), message_id: Some(message_id) }
}

pub fn say(school: &School, from: &Sender, event: Event) -> Vec<Reply> {
    conversation::handle(&school.app, &private(from, event)).expect("handled")
}

/// All texts the bot sent or edited, joined.
pub fn texts(replies: &[Reply]) -> String {
    replies
        .iter()
        .filter_map(|r| match r {
            Reply::Send { text, .. } | Reply::Edit { text, .. } => Some(text.as_str()),
            Reply::AnswerButton { text, .. } => text.as_deref(),
            Reply::AskLocation { text, .. } | Reply::RemoveKeyboard { text } => Some(text.as_str()),
            Reply::Document { caption, .. } | Reply::Photo { caption, .. } => Some(caption.as_str()),
            Reply::SetCommands(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every button (text, data) on the replies.
pub fn buttons(replies: &[Reply]) -> Vec<(String, String)> {
    replies
        .iter()
        .flat_map(|r| match r {
            Reply::Send { keyboard, .. } | Reply::Edit { keyboard, .. } => keyboard.0.concat(),
            _ => vec![],
        })
        .map(|b| (b.text, b.data))
        .collect()
}

pub fn button_data(replies: &[Reply], label_contains: &str) -> String {
    buttons(replies)
        .into_iter()
        .find(|(t, _)| t.contains(label_contains))
        .map(|(_, d)| d)
        .unwrap_or_else(|| panic!("no button {label_contains:?} in {:?}", buttons(replies)))
}

/// The invite code out of a link or `/start` line.
pub fn code_of(link: &str) -> String {
    link.rsplit(['=', ' ']).next().expect("code").trim().to_string()
}

/// Create a staff invite the way the CLI does and return its code.
pub fn invite_code(school: &School, role: dulae::domain::Role, classes: &[&str], name: Option<&str>) -> String {
    let invite = dulae::invites::StaffInvite {
        role,
        classes: classes.iter().map(|c| c.parse().expect("class")).collect(),
        display_name: name.map(str::to_string),
    };
    let created = dulae::invites::create_staff(
        &school.app.store,
        dulae::store::audit::Actor::Cli,
        &invite,
        14,
        school.clock.now_utc(),
    )
    .expect("invite");
    created.code.as_str().to_string()
}

pub trait NowUtc {
    fn now_utc(&self) -> DateTime<Utc>;
}

impl NowUtc for FixedClock {
    fn now_utc(&self) -> DateTime<Utc> {
        use dulae::clock::Clock;
        self.now()
    }
}

/// Drives a form the way a hurried teacher would: the first choice on every question, a few typed answers,
/// `answers` overriding by question id (a choice value, or text to type). Returns every reply seen.
pub struct FormDriver<'a> {
    pub answers: std::collections::HashMap<&'a str, &'a str>,
    pub seen: Vec<Reply>,
}

/// What to do next on the last screen shown.
pub fn next_action(replies: &[Reply], answers: &std::collections::HashMap<&str, &str>) -> Option<Event> {
    let last = replies.iter().rev().find_map(|r| match r {
        Reply::Send { text, keyboard } | Reply::Edit { text, keyboard, .. } if !keyboard.is_empty() => {
            Some((text.clone(), keyboard.0.concat()))
        }
        _ => None,
    })?;
    let (text, buttons) = last;
    let message_id = 1;
    let data = |pred: &dyn Fn(&str) -> bool| buttons.iter().find(|b| pred(&b.data)).map(|b| b.data.clone());
    // The question id is the 4th part of a form button: 1:f:<nonce>:<at>:<action>
    let at = buttons.iter().find_map(|b| {
        let parts: Vec<&str> = b.data.split(':').collect();
        (parts.len() >= 5 && parts[1] == "f").then(|| parts[3].split('.').next().unwrap_or("").to_string())
    })?;
    if let Some(d) = data(&|d| d.ends_with(":ok")) {
        return Some(Event::Button { data: d, message_id: Some(message_id) });
    }
    if let Some(wanted) = answers.get(at.as_str()) {
        if let Some(d) = data(&|d| d.ends_with(&format!(":c:{wanted}")) || d.ends_with(&format!(":t:{wanted}"))) {
            return Some(Event::Button { data: d, message_id: Some(message_id) });
        }
        if *wanted == "yes" {
            return data(&|d| d.ends_with(":y")).map(|d| Event::Button { data: d, message_id: Some(message_id) });
        }
        if *wanted == "next" || *wanted == "done" {
            return data(&|d| d.ends_with(":d")).map(|d| Event::Button { data: d, message_id: Some(message_id) });
        }
        return Some(Event::Text(wanted.to_string()));
    }
    let press = |d: String| Some(Event::Button { data: d, message_id: Some(message_id) });
    if let Some(d) = data(&|d| d.contains(":c:")) {
        return press(d);
    }
    // A multi question: tick the first box (nothing ticked yet), then "done".
    let toggles: Vec<_> = buttons.iter().filter(|b| b.data.contains(":t:")).collect();
    if !toggles.is_empty() && !toggles.iter().any(|b| b.text.starts_with("☑️")) {
        return press(toggles[0].data.clone());
    }
    if let Some(d) = data(&|d| d.ends_with(":n")) {
        return press(d);
    }
    if let Some(d) = data(&|d| d.ends_with(":na")) {
        return press(d);
    }
    if let Some(d) = data(&|d| d.ends_with(":td")) {
        return press(d);
    }
    // Multi and photo questions, notes: "done"/"next"; optional questions: skip.
    if let Some(d) = data(&|d| d.ends_with(":d")) {
        return press(d);
    }
    if let Some(d) = data(&|d| d.ends_with(":s")) {
        return press(d);
    }
    if text.contains("ตัวเลข") || text.contains("number") {
        return Some(Event::Text("3".into()));
    }
    if text.contains("วันที่") {
        return Some(Event::Text("24/11/2569".into()));
    }
    Some(Event::Text("ทดสอบ".into()))
}

/// Fill in the open form until it is submitted (or `max` steps). Returns all replies.
pub fn complete_form(school: &School, who: &Sender, answers: &[(&str, &str)], max: usize) -> Vec<Reply> {
    let answers: std::collections::HashMap<&str, &str> = answers.iter().copied().collect();
    let mut last = vec![];
    let mut all = vec![];
    // Start from what is on screen now.
    let current = say(school, who, Event::Text(String::new()));
    last.extend(current.clone());
    all.extend(current);
    for _ in 0..max {
        let Some(event) = next_action(&last, &answers) else { break };
        last = say(school, who, event);
        all.extend(last.clone());
        if texts(&last).contains("✅ บันทึก") {
            break;
        }
    }
    all
}
