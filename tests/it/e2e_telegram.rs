//! End to end through a mock Bot API server (teloxide_tests): real teloxide requests, our real update tree.
//! Kept few on purpose: the mock serialises tests behind a global lock; the logic is covered below the
//! transport in `conversation.rs`.

use crate::common;

use common::*;
use dulae::domain::{Role, TelegramId};
use dulae::store::users;
use std::sync::Arc;
use teloxide::dptree::deps;
use teloxide::types::BotCommandScope;
use teloxide_tests::{MockBot, MockCallbackQuery, MockMessageSticker, MockMessageText, MockPrivateChat, MockUser};

fn user(id: u64) -> teloxide::types::User {
    MockUser::new().id(id).first_name("ครูทดสอบ").build()
}

fn message_from(id: u64, text: &str) -> MockMessageText {
    MockMessageText::new().text(text).from(user(id)).chat(MockPrivateChat::new().id(id as i64).build())
}

#[tokio::test]
async fn start_with_a_code_registers_a_teacher_and_a_second_person_is_refused() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Teacher, &["ป.4/1"], None);
    let app = Arc::new(s.app);

    let mut bot = MockBot::new(message_from(1001, &format!("/start {code}")), dulae::bot::schema());
    bot.dependencies(deps![app.clone()]);
    bot.dispatch().await;
    let responses = bot.get_responses();
    let reply = responses.sent_messages.last().and_then(|m| m.text()).expect("a reply").to_string();
    assert!(reply.contains("ยินดีต้อนรับค่ะ"), "{reply}");
    assert!(reply.contains("ป.4/1"), "{reply}");
    let menu = responses.set_my_commands.last().expect("menu set");
    assert!(matches!(&menu.scope, Some(BotCommandScope::Chat { .. })), "{:?}", menu.scope);
    let names: Vec<&str> = menu.commands.iter().map(|c| c.command.as_str()).collect();
    for expected in ["screen", "visit", "student", "help", "lang", "cancel"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let teacher = app.store.read(|c| users::find_by_telegram(c, TelegramId(1001))).unwrap().expect("registered");
    assert_eq!(teacher.role, Role::Teacher);

    bot.update(message_from(1002, &format!("/start {code}")));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let reply = responses.sent_messages.last().and_then(|m| m.text()).expect("a reply").to_string();
    assert!(reply.contains("ถูกใช้ไปแล้ว"), "{reply}");
    assert!(app.store.read(|c| users::find_by_telegram(c, TelegramId(1002))).unwrap().is_none());
}

#[tokio::test]
async fn an_unknown_person_gets_no_student_data() {
    let s = School::with_roster();
    let app = Arc::new(s.app);
    let mut bot = MockBot::new(message_from(4242, "/start"), dulae::bot::schema());
    bot.dependencies(deps![app.clone()]);
    for text in ["/start", "/help", "สมชาย ป.4/1 เป็นอย่างไรบ้าง", "/invite"]
    {
        bot.update(message_from(4242, text));
        bot.dispatch().await;
        let responses = bot.get_responses();
        assert_eq!(responses.sent_messages.len(), 1, "{text}: exactly one reply");
        let reply = responses.sent_messages[0].text().unwrap_or_default().to_string();
        assert!(reply.contains("ลิงก์เชิญ"), "{text}: {reply}");
        for secret in ["สมชาย", "สมหญิง", "10001", "ป.4/1"] {
            assert!(!reply.contains(secret), "{text}: leaked {secret} in {reply}");
        }
    }
    bot.update(MockMessageSticker::new().from(user(4242)).chat(MockPrivateChat::new().id(4242).build()));
    bot.dispatch().await;
    assert!(
        bot.get_responses().sent_messages.last().and_then(|m| m.text()).unwrap_or_default().contains("ยังไม่ได้ลงทะเบียน")
    );
}

#[tokio::test]
async fn every_button_press_is_answered_and_the_question_is_edited_in_place() {
    let s = School::with_roster();
    let admin_code = invite_code(&s, Role::Admin, &[], None);
    let app = Arc::new(s.app);
    let mut bot = MockBot::new(message_from(7, &format!("/start {admin_code}")), dulae::bot::schema());
    bot.dependencies(deps![app.clone()]);
    bot.dispatch().await;

    bot.update(message_from(7, "/invite"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let question = responses.sent_messages.last().expect("question").clone();
    let markup = question.reply_markup().expect("buttons");
    let counselor = markup
        .inline_keyboard
        .iter()
        .flatten()
        .find(|b| b.text == "ครูแนะแนว")
        .and_then(|b| match &b.kind {
            teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => Some(d.clone()),
            _ => None,
        })
        .expect("counsellor button");

    bot.update(MockCallbackQuery::new().data(counselor).from(user(7)).message(question.clone()));
    bot.dispatch().await;
    let responses = bot.get_responses();
    assert_eq!(responses.answered_callback_queries.len(), 1, "the press is answered");
    let edited = responses.edited_messages_text.last().expect("edited in place");
    assert!(edited.message.text().unwrap_or_default().contains("พิมพ์ชื่อ"));

    // A garbage button is answered too, and changes nothing.
    bot.update(MockCallbackQuery::new().data("garbage").from(user(7)).message(question));
    bot.dispatch().await;
    let responses = bot.get_responses();
    assert_eq!(responses.answered_callback_queries.len(), 1);
    assert!(responses.edited_messages_text.is_empty());
}
