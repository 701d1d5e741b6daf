//! Shared test helpers: a school on an in-memory database with a clock that only moves when told.

use chrono::{DateTime, TimeZone, Utc};
use dulae::clock::FixedClock;
use dulae::config::Config;
use dulae::conversation::{self, Event, Incoming, Reply, Sender};
use dulae::domain::TelegramId;

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

pub fn person(telegram_id: i64, name: &str) -> Sender {
    Sender { telegram_id: TelegramId(telegram_id), display_name: name.to_string(), username: None }
}

pub fn private(from: &Sender, event: Event) -> Incoming {
    Incoming { chat_id: from.telegram_id.0, private_chat: true, from: from.clone(), event, album: None }
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
            Reply::Send { text, .. } | Reply::Edit { text, .. } | Reply::Question { text, .. } => Some(text.as_str()),
            Reply::AnswerButton { text, .. } => text.as_deref(),
            Reply::AskLocation { text, .. } | Reply::RemoveKeyboard { text } => Some(text.as_str()),
            Reply::Document { caption, .. } | Reply::Photo { caption, .. } | Reply::PhotoById { caption, .. } => {
                Some(caption.as_str())
            }
            Reply::SetCommands(_) | Reply::EditButtons { .. } => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every button (text, data) on the replies.
pub fn buttons(replies: &[Reply]) -> Vec<(String, String)> {
    replies
        .iter()
        .flat_map(|r| match r {
            Reply::Send { keyboard, .. }
            | Reply::Edit { keyboard, .. }
            | Reply::Question { keyboard, .. }
            | Reply::EditButtons { keyboard, .. } => keyboard.0.concat(),
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
    staff_invite(&school.app, role, classes, name)
}

/// `invite_code` for a test that holds the app itself (end to end, behind the mock Bot API).
pub fn staff_invite(app: &dulae::app::App, role: dulae::domain::Role, classes: &[&str], name: Option<&str>) -> String {
    let invite = dulae::invites::StaffInvite {
        role,
        classes: classes.iter().map(|c| c.parse().expect("class")).collect(),
        display_name: name.map(str::to_string),
    };
    let now = dulae::clock::Clock::now(app.clock.as_ref());
    let created = dulae::invites::create_staff(&app.store, dulae::store::audit::Actor::Cli, &invite, 14, now)
        .expect("invite")
        .expect("a valid invite");
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

/// What to do next on the last screen shown, the way a hurried teacher fills in a form: the first choice on
/// every question, a few typed answers, `answers` overriding by question id (a choice value, or text to type).
pub fn next_action(replies: &[Reply], answers: &std::collections::HashMap<&str, &str>) -> Option<Event> {
    let last = replies.iter().rev().find_map(|r| match r {
        Reply::Send { text, keyboard }
        | Reply::Edit { text, keyboard, .. }
        | Reply::Question { text, keyboard, .. }
            if !keyboard.is_empty() =>
        {
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
        if let Some(d) = data(&|d| d.ends_with(&format!(":c:{wanted}")) || d.ends_with(&format!(":t1:{wanted}"))) {
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
    let toggles: Vec<_> = buttons.iter().filter(|b| b.data.contains(":t1:") || b.data.contains(":t0:")).collect();
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

// ---------------------------------------------------------------------------------------------------------
// Statistics and reports: a seeded school with screenings in different groups, home visits and two terms.

/// A larger roster for the reports: three classes, one student who moved out.
pub const REPORT_ROSTER: &str = "\
student_id,prefix,first_name,last_name,class,nickname,gender,birth_date,parent_name,parent_phone
20001,ด.ช.,กิตติ,ใจดี,ป.4/1,กิต,ชาย,12/05/2559,นางสมศรี ใจดี,081-234-5678
20002,ด.ญ.,ขวัญ,รักเรียน,ป.4/1,,หญิง,03/01/2559,,
20003,ด.ช.,คมกริช,ขยัน,ป.4/1,,,,,
20004,ด.ญ.,งามตา,สุขใจ,ป.4/2,,,,,
20005,ด.ช.,จักรพันธ์,มีสุข,ป.4/2,,,,,
20006,ด.ญ.,ฉวีวรรณ,ดีงาม,ป.4/2,,,,,
20007,ด.ช.,ชัยวัฒน์,เก่งกล้า,ป.5/1,,,,,
20008,ด.ญ.,ซาฟีนา,ยูโซะ,ป.5/1,,,,,
20009,ด.ช.,ณัฐ,ย้ายไป,ป.4/1,,,,,
";

/// One seeded screening: the student, the term, when (days after 1 Nov 2026), the learning and health
/// groups, and the two flags.
#[derive(Debug, Clone, Copy)]
pub struct SeedScreening {
    pub code: &'static str,
    pub term: &'static str,
    pub day: i64,
    pub learning: dulae::forms::Group,
    pub health: dulae::forms::Group,
    pub ability: bool,
    pub needs: bool,
}

pub fn seed_screenings() -> Vec<SeedScreening> {
    use dulae::forms::Group::*;
    let s = |code, term, day, learning, health, ability, needs| SeedScreening {
        code,
        term,
        day,
        learning,
        health,
        ability,
        needs,
    };
    vec![
        // ป.4/1: 20001 screened twice this term (risk, then normal: the later one counts).
        s("20001", "2/2569", 1, Risk, Normal, false, false),
        s("20001", "2/2569", 9, Normal, Normal, true, false),
        s("20002", "2/2569", 2, Problem, Risk, false, true),
        // 20003 only last term.
        s("20003", "1/2569", -60, Risk, Normal, false, false),
        // ป.4/2
        s("20004", "2/2569", 3, Normal, Normal, true, false),
        s("20005", "2/2569", 10, Normal, Risk, false, false),
        s("20006", "2/2569", 16, Problem, Problem, false, false),
        // ป.5/1: one screened, in the first week.
        s("20007", "2/2569", 0, Risk, Risk, true, true),
        // The student who moved out is not counted.
        s("20009", "2/2569", 2, Problem, Normal, false, false),
        // Last term, ป.4/2.
        s("20004", "1/2569", -100, Risk, Normal, false, false),
    ]
}

/// Home visits: (student, term, day).
pub fn seed_visits() -> Vec<(&'static str, &'static str, i64)> {
    vec![
        ("20001", "2/2569", 4),
        ("20001", "2/2569", 12), // a second visit: still one student visited
        ("20004", "2/2569", 5),
        ("20005", "1/2569", -80),
        ("20007", "2/2569", 6),
    ]
}

pub fn score_for(seed: &SeedScreening) -> dulae::forms::ScoreResult {
    use dulae::forms::{AspectScore, FlagScore, LocalText};
    let aspect = |id: &str, th: &str, en: &str, g| AspectScore {
        id: id.into(),
        label: LocalText::new(th, en),
        group: Some(g),
        reasons: vec![],
    };
    let flag = |id: &str, th: &str, en: &str, present| FlagScore {
        id: id.into(),
        label: LocalText::new(th, en),
        present,
        details: if present { vec![LocalText::new("ดนตรี", "music")] } else { vec![] },
    };
    let aspects = vec![
        aspect("learning", "ด้านการเรียน", "Learning", seed.learning),
        aspect("health", "ด้านสุขภาพ", "Health", seed.health),
    ];
    let overall = seed.learning.max(seed.health);
    dulae::forms::ScoreResult {
        aspects,
        flags: vec![
            flag("special_ability", "ความสามารถพิเศษ", "Special ability", seed.ability),
            flag("special_needs", "นักเรียนที่มีความต้องการพิเศษ", "Special educational needs", seed.needs),
        ],
        scales: vec![],
        overall,
    }
}

/// 1 Nov 2026 10:00 Bangkok plus `day` days.
pub fn seed_instant(day: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 3, 0, 0).single().expect("valid time") + chrono::Duration::days(day)
}

pub fn student_id(school: &School, code: &str) -> dulae::store::students::StudentId {
    school
        .app
        .store
        .read(|c| dulae::store::students::find_student_by_code(c, code))
        .expect("read")
        .expect("student exists")
        .id
}

/// A member of staff, created directly in the store (no chat), with classes for teachers.
pub fn staff(
    school: &School,
    telegram_id: i64,
    name: &str,
    role: dulae::domain::Role,
    classes: &[&str],
) -> dulae::domain::UserId {
    school
        .app
        .store
        .write(|tx| {
            let id = dulae::store::users::upsert(
                tx,
                &dulae::store::users::Joining {
                    telegram_id: TelegramId(telegram_id),
                    chat_id: telegram_id,
                    display_name: name,
                    username: None,
                    role,
                    lang: dulae::l10n::Lang::Th,
                },
                start_time(),
            )?;
            for class in classes {
                let class: dulae::domain::ClassName = class.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let class_id =
                    dulae::store::students::find_class(tx, &class)?.ok_or_else(|| anyhow::anyhow!("no class"))?;
                dulae::store::users::add_class(tx, id, class_id)?;
            }
            Ok(id)
        })
        .expect("staff")
}

/// The report school: roster, a teacher of ป.4/1 (telegram 501), the head (502), the counsellor (503), an
/// admin (504), screenings and home visits in two terms, term 2/2569 recorded as 1/11/2569 – 31/3/2570,
/// and one student moved out.
pub fn report_school() -> School {
    use dulae::domain::Role;
    let s = School::new();
    s.import_roster(REPORT_ROSTER);
    let teacher = staff(&s, 501, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    staff(&s, 502, "หัวหน้างาน", Role::Head, &[]);
    staff(&s, 503, "ครูแนะแนว", Role::Counselor, &[]);
    staff(&s, 504, "ครูไอที", Role::Admin, &[]);
    s.app
        .store
        .write(|tx| {
            tx.execute(
                "UPDATE students SET archived_at = ?1 WHERE student_code = '20009'",
                [dulae::store::instant(start_time())],
            )?;
            let from = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
            let to = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).expect("date");
            dulae::store::terms::set(tx, dulae::domain::Term::parse("2/2569").expect("term"), from, to, start_time())?;
            Ok(())
        })
        .expect("seed");
    for seed in seed_screenings() {
        let student = student_id(&s, seed.code);
        let score = score_for(&seed);
        let score_json = serde_json::to_string(&score).expect("json");
        s.app
            .store
            .write(|tx| {
                dulae::store::forms::insert_submission(
                    tx,
                    &dulae::store::forms::NewSubmission {
                        form_id: "screening",
                        form_version: 1,
                        form_kind: "screening",
                        student,
                        term: seed.term,
                        answers_json: "{}",
                        score_json: Some(&score_json),
                        overall_group: Some(score.overall.as_str()),
                        submitted_by: teacher,
                        submitted_at: seed_instant(seed.day),
                    },
                )
            })
            .expect("screening");
    }
    for (code, term, day) in seed_visits() {
        let student = student_id(&s, code);
        let answers = r#"{"visit_date":{"type":"date","value":"2026-11-05"},"visitors":{"type":"text","value":"ครูสมศรี"},"location":{"type":"location","value":{"lat":6.5432,"lon":101.2345}},"photos":{"type":"photos","value":[{"file_id":"abc"}]}}"#;
        s.app
            .store
            .write(|tx| {
                dulae::store::forms::insert_submission(
                    tx,
                    &dulae::store::forms::NewSubmission {
                        form_id: "home_visit",
                        form_version: 1,
                        form_kind: "home_visit",
                        student,
                        term,
                        answers_json: answers,
                        score_json: None,
                        overall_group: None,
                        submitted_by: teacher,
                        submitted_at: seed_instant(day),
                    },
                )
            })
            .expect("visit");
    }
    s
}

// The `dulae` command as a real process.
pub mod cli;
// Outbox, sender and announcement helpers (a Bot API double on a virtual clock).
pub mod outbox;
// Several people end to end through the mock Bot API.
pub mod phones;
// The school and the people in it, with verbs.
mod school;
pub mod staff_changes;

pub use phones::Phones;
pub use school::{Person, School};

/// A message the mock Bot API holds, as the conversation tests see replies: its text and inline buttons.
pub fn message_as_replies(message: &teloxide::types::Message) -> Vec<Reply> {
    use teloxide::types::InlineKeyboardButtonKind;
    let rows = message
        .reply_markup()
        .map(|markup| {
            markup
                .inline_keyboard
                .iter()
                .map(|row| {
                    row.iter()
                        .filter_map(|b| match &b.kind {
                            InlineKeyboardButtonKind::CallbackData(d) => {
                                Some(dulae::conversation::Button { text: b.text.clone(), data: d.clone() })
                            }
                            _ => None,
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    vec![Reply::Send {
        text: message.text().unwrap_or_default().to_string(),
        keyboard: dulae::conversation::Keyboard(rows),
    }]
}
