//! /announce end to end through the mock Bot API (teloxide_tests): real teloxide requests and our update tree,
//! preview → confirm → one outbox row per parent.

use crate::common;

use common::outbox::join_parent;
use common::*;
use dulae::domain::Role;
use std::sync::Arc;
use teloxide::dptree::deps;
use teloxide::types::Message;
use teloxide_tests::{MockBot, MockCallbackQuery, MockMessageText, MockPrivateChat, MockUser};

fn user(id: u64) -> teloxide::types::User {
    MockUser::new().id(id).first_name("หัวหน้างาน").build()
}

fn message_from(id: u64, text: &str) -> MockMessageText {
    MockMessageText::new().text(text).from(user(id)).chat(MockPrivateChat::new().id(id as i64).build())
}

fn button(message: &Message, label: &str) -> String {
    button_data(&message_as_replies(message), label)
}

#[tokio::test]
async fn announce_preview_confirm_writes_the_outbox() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Head, &[], None);
    join_parent(&s.app, 101, "10001");
    join_parent(&s.app, 102, "10002");
    let app = Arc::new(s.app);

    let mut bot = MockBot::new(message_from(5, &format!("/start {code}")), dulae::bot::schema());
    bot.dependencies(deps![app.clone()]);
    bot.dispatch().await;

    bot.update(message_from(5, "/announce"));
    bot.dispatch().await;
    let question = bot.get_responses().sent_messages.last().expect("audience question").clone();
    let all = button(&question, "ผู้ปกครองทั้งโรงเรียน");

    bot.update(MockCallbackQuery::new().data(all).from(user(5)).message(question.clone()));
    bot.dispatch().await;
    let edited = bot.get_responses().edited_messages_text.last().expect("edited").message.clone();
    assert!(edited.text().unwrap_or_default().contains("พิมพ์ข้อความประกาศ"));

    bot.update(message_from(5, "ประชุมผู้ปกครองวันเสาร์นี้ค่ะ"));
    bot.dispatch().await;
    let media = bot.get_responses().sent_messages.last().expect("media question").clone();
    bot.update(MockCallbackQuery::new().data(button(&media, "ไม่แนบ")).from(user(5)).message(media.clone()));
    bot.dispatch().await;
    let preview = bot.get_responses().edited_messages_text.last().expect("preview").message.clone();
    let shown = preview.text().unwrap_or_default().to_string();
    assert!(shown.contains("(2 คน)") && shown.contains("ประชุมผู้ปกครอง"), "{shown}");
    let rows = |app: &dulae::app::App| -> i64 {
        app.store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM outbox WHERE priority = 20", [], |r| r.get(0))?))
            .unwrap()
    };
    assert_eq!(rows(&app), 0);

    bot.update(MockCallbackQuery::new().data(button(&preview, "ยืนยันส่งเลย")).from(user(5)).message(preview.clone()));
    bot.dispatch().await;
    let responses = bot.get_responses();
    assert_eq!(responses.answered_callback_queries.len(), 1);
    let progress = responses.edited_messages_text.last().expect("progress").message.clone();
    assert!(progress.text().unwrap_or_default().contains("ส่งแล้ว 0/2"), "{:?}", progress.text());
    assert_eq!(rows(&app), 2);
}
