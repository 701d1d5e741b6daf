//! Screening and home visits end to end through the mock Bot API: real teloxide requests and our update tree,
//! a restart (new dispatcher, new App) in the middle of a form on the same database file.

use crate::common;

use common::*;
use dulae::conversation::{Event, Reply};
use dulae::domain::Role;
use std::collections::HashMap;
use std::sync::Arc;
use teloxide::dptree::deps;
use teloxide::types::Message;
use teloxide_tests::{
    MockBot, MockCallbackQuery, MockMessageLocation, MockMessagePhoto, MockMessageSticker, MockMessageText,
    MockPrivateChat, MockUser,
};

const TEACHER: u64 = 5001;

fn user() -> teloxide::types::User {
    MockUser::new().id(TEACHER).first_name("ครูสมศรี").build()
}

fn chat() -> teloxide::types::Chat {
    MockPrivateChat::new().id(TEACHER as i64).build()
}

fn app_on(path: &std::path::Path) -> Arc<dulae::app::App> {
    let clock = Arc::new(dulae::clock::FixedClock::new(start_time()));
    let store = dulae::store::Store::open(path).unwrap();
    Arc::new(dulae::app::App::with_clock(store, test_config(), clock).unwrap())
}

/// The bot's latest message with buttons, seen from the phone.
struct Phone {
    bot: MockBot<Box<dyn std::error::Error + Send + Sync>, teloxide_tests::mock_bot::DistributionKey>,
    screen: Option<Message>,
    texts: Vec<String>,
    /// The texts of the last update's replies (sent and edited).
    latest: Vec<String>,
}

impl Phone {
    fn new(app: Arc<dulae::app::App>) -> Phone {
        let mut bot =
            MockBot::new(MockMessageText::new().text("/help").from(user()).chat(chat()), dulae::bot::schema());
        bot.dependencies(deps![app]);
        Phone { bot, screen: None, texts: vec![], latest: vec![] }
    }

    async fn dispatch(&mut self) {
        self.bot.dispatch().await;
        let responses = self.bot.get_responses();
        let before = self.texts.len();
        for m in &responses.sent_messages {
            self.texts.push(m.text().unwrap_or_default().to_string());
            if m.reply_markup().is_some() {
                self.screen = Some(m.clone());
            }
        }
        for e in &responses.edited_messages_text {
            self.texts.push(e.message.text().unwrap_or_default().to_string());
            self.screen = Some(e.message.clone());
        }
        self.latest = self.texts[before..].to_vec();
    }

    async fn type_text(&mut self, text: &str) {
        self.bot.update(MockMessageText::new().text(text).from(user()).chat(chat()));
        self.dispatch().await;
    }

    async fn press(&mut self, data: &str) {
        let message = self.screen.clone().expect("a message with buttons on screen");
        self.bot.update(MockCallbackQuery::new().data(data).from(user()).message(message));
        self.dispatch().await;
        assert_eq!(self.bot.get_responses().answered_callback_queries.len(), 1, "every press is answered");
    }

    /// The screen as the conversation tests see it.
    fn as_replies(&self) -> Vec<Reply> {
        self.screen.as_ref().map(message_as_replies).unwrap_or_default()
    }

    fn button(&self, label: &str) -> String {
        button_data(&self.as_replies(), label)
    }

    fn last_text(&self) -> String {
        self.texts.last().cloned().unwrap_or_default()
    }

    /// Answer until a "✅ บันทึก" message arrives.
    async fn finish(&mut self, answers: &[(&str, &str)], photos: usize) {
        let answers: HashMap<&str, &str> = answers.iter().copied().collect();
        let mut sent_photos = 0;
        for _ in 0..120 {
            if self.texts.iter().any(|t| t.contains("✅ บันทึก")) {
                return;
            }
            let screen = self.as_replies();
            let shown = texts(&screen);
            // The location question: the how-to with the location button comes as its own message, last.
            if self.latest.iter().any(|t| t.contains("ส่งตำแหน่งปัจจุบัน")) && !shown.contains("⚠️")
            {
                self.bot.update(MockMessageLocation::new().latitude(6.43).longitude(101.82).from(user()).chat(chat()));
                self.dispatch().await;
                continue;
            }
            if shown.contains("ส่งรูป") && sent_photos < photos {
                sent_photos += 1;
                self.bot.update(MockMessagePhoto::new().from(user()).chat(chat()));
                self.dispatch().await;
                continue;
            }
            match next_action(&screen, &answers) {
                Some(Event::Button { data, .. }) => self.press(&data).await,
                Some(Event::Text(t)) => self.type_text(&t).await,
                _ => break,
            }
        }
        assert!(self.texts.iter().any(|t| t.contains("✅ บันทึก")), "never submitted; last: {}", self.last_text());
    }
}

fn count(app: &dulae::app::App, sql: &str) -> i64 {
    app.store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
}

fn prepared_school(path: &std::path::Path) -> (Arc<dulae::app::App>, String) {
    let app = app_on(path);
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    let invite = dulae::invites::StaffInvite {
        role: Role::Teacher,
        classes: vec!["ป.4/1".parse().unwrap()],
        display_name: None,
    };
    let code = dulae::invites::create_staff(&app.store, dulae::store::audit::Actor::Cli, &invite, 14, start_time())
        .unwrap()
        .unwrap();
    (app, code.code.as_str().to_string())
}

#[tokio::test]
async fn a_full_screening_with_a_restart_in_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let (app, code) = prepared_school(&path);
    let mut phone = Phone::new(app.clone());
    phone.type_text(&format!("/start {code}")).await;
    phone.type_text("/screen").await;
    assert!(phone.last_text().contains("คัดกรองแล้ว 0/2"), "{}", phone.last_text());
    phone.press(&phone.button("สมชาย")).await;
    assert!(phone.last_text().contains("ข้อ 1/"), "{}", phone.last_text());

    // Wrong input types: the same question again, with a short explanation.
    phone.bot.update(MockMessageSticker::new().from(user()).chat(chat()));
    phone.dispatch().await;
    assert!(phone.last_text().contains("สติกเกอร์") && phone.last_text().contains("ข้อ 1/"), "{}", phone.last_text());
    phone.type_text(&"ก".repeat(5000)).await;
    assert!(phone.last_text().contains("ข้อ 1/"), "{}", phone.last_text());
    let question_one = phone.screen.as_ref().map(|m| m.id);
    phone.type_text("1.5").await;
    assert!(phone.last_text().contains("ข้อ 2/"), "{}", phone.last_text());
    // One live question in the chat: the copy of question 1 above lost its buttons.
    let stripped = phone.bot.get_responses().edited_messages_reply_markup;
    assert!(
        stripped.iter().any(|e| Some(e.message.id) == question_one
            && e.message.reply_markup().is_none_or(|m| m.inline_keyboard.is_empty())),
        "{stripped:?}"
    );
    let question_two = phone.screen.clone();
    let choice = phone.button("ไม่มี");
    phone.press(&choice).await;
    assert!(phone.last_text().contains("ข้อ 3/"));
    // The same button again (a double tap on a slow phone): nothing is answered twice; the message shows the
    // question the form is at.
    phone.screen = question_two;
    phone.press(&choice).await;
    assert!(
        phone.bot.get_responses().answered_callback_queries[0].text.as_deref().unwrap_or_default().contains("ข้อปัจจุบัน")
    );
    assert!(phone.last_text().contains("ข้อ 3/"), "{}", phone.last_text());
    drop(phone);
    drop(app);

    // The server restarts: a new App and dispatcher on the same file. The teacher's next tap continues.
    let app = app_on(&path);
    let mut phone = Phone::new(app.clone());
    phone.type_text("/screen").await;
    phone.press(&phone.button("สมชาย")).await;
    assert!(phone.last_text().contains("มีแบบร่าง"), "{}", phone.last_text());
    phone.press(&phone.button("ทำต่อ")).await;
    assert!(phone.last_text().contains("ข้อ 3/"), "{}", phone.last_text());
    phone.finish(&[("income", "above_10000")], 0).await;
    let result = phone.texts.iter().find(|t| t.contains("✅ บันทึก")).unwrap().clone();
    assert!(result.contains("ด้านการเรียน: เสี่ยง"), "{result}");
    assert_eq!(
        count(&app, "SELECT count(*) FROM submissions WHERE form_kind = 'screening' AND overall_group = 'risk'"),
        1
    );
    assert_eq!(count(&app, "SELECT count(*) FROM form_drafts"), 0);
}

#[tokio::test]
async fn a_full_home_visit_with_location_and_a_photo() {
    let dir = tempfile::tempdir().unwrap();
    let (app, code) = prepared_school(&dir.path().join("school.db"));
    let mut phone = Phone::new(app.clone());
    phone.type_text(&format!("/start {code}")).await;
    phone.type_text("/visit").await;
    phone.press(&phone.button("สมหญิง")).await;
    phone.finish(&[], 1).await;
    let result = phone.texts.iter().find(|t| t.contains("✅ บันทึก")).unwrap().clone();
    assert!(result.contains("รูปภาพ 1 รูป") && result.contains("ตำแหน่ง: มี"), "{result}");
    assert_eq!(count(&app, "SELECT count(*) FROM submissions WHERE form_kind = 'home_visit'"), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM photos"), 1);
    let answers: String =
        app.store.read(|c| Ok(c.query_row("SELECT answers FROM submissions", [], |r| r.get(0))?)).unwrap();
    assert!(answers.contains("6.43") && answers.contains("101.82"), "{answers}");
}

#[tokio::test]
async fn a_teacher_is_refused_another_class_student() {
    let dir = tempfile::tempdir().unwrap();
    let (app, code) = prepared_school(&dir.path().join("school.db"));
    let other = app.store.read(|c| dulae::store::students::find_student_by_code(c, "10003")).unwrap().unwrap();
    let mut phone = Phone::new(app.clone());
    phone.type_text(&format!("/start {code}")).await;
    phone.type_text("/student").await;
    let nonce = phone.button("สมชาย").split(':').nth(2).unwrap().to_string();
    phone.press(&format!("1:pk:{nonce}:s:{}", other.id.0)).await;
    let answer = phone.bot.get_responses().answered_callback_queries[0].text.clone().unwrap_or_default();
    assert!(answer.contains("ไม่มีสิทธิ์"), "{answer}");
    assert!(phone.texts.iter().all(|t| !t.contains("มานะ")), "no data about the other class's student");
}
