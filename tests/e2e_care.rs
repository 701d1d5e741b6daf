//! The referral chain end to end through the mock Bot API: a teacher refers from a screening result, the
//! counsellor opens the notification's button and accepts, adds a plan action; the reminder's "done" button
//! finishes it and no reminder follows. Several people in one dispatcher, as in a real school.

mod common;

use common::*;
use dulae::conversation::{Event, Reply};
use dulae::domain::Role;
use std::collections::HashMap;
use std::sync::Arc;
use teloxide::dptree::deps;
use teloxide::types::{InlineKeyboardButtonKind, Message};
use teloxide_tests::{MockBot, MockCallbackQuery, MockMessageText, MockPrivateChat, MockUser};

const TEACHER: u64 = 7001;
const COUNSELOR: u64 = 7002;

type Bot = MockBot<Box<dyn std::error::Error + Send + Sync>, teloxide_tests::mock_bot::DistributionKey>;

struct School2 {
    bot: Bot,
    app: Arc<dulae::app::App>,
    clock: Arc<dulae::clock::FixedClock>,
    /// The last message with buttons each person has on screen.
    screens: HashMap<u64, Message>,
    texts: HashMap<u64, Vec<String>>,
}

fn user(id: u64) -> teloxide::types::User {
    MockUser::new().id(id).first_name(if id == TEACHER { "ครูสมศรี" } else { "ครูใจดี" }).build()
}

impl School2 {
    async fn dispatch(&mut self, who: u64) {
        self.bot.dispatch().await;
        let r = self.bot.get_responses();
        let mut seen: Vec<Message> = r.sent_messages.clone();
        seen.extend(r.edited_messages_text.iter().map(|e| e.message.clone()));
        for m in seen {
            self.texts.entry(who).or_default().push(m.text().unwrap_or_default().to_string());
            if m.reply_markup().is_some() {
                self.screens.insert(who, m);
            }
        }
    }

    async fn type_text(&mut self, who: u64, text: &str) {
        self.bot.update(
            MockMessageText::new().text(text).from(user(who)).chat(MockPrivateChat::new().id(who as i64).build()),
        );
        self.dispatch(who).await;
    }

    async fn press(&mut self, who: u64, data: &str) {
        // A notification's button sits on a message in the person's own chat.
        let message = self.screens.get(&who).cloned().unwrap_or_else(|| {
            MockMessageText::new().text("notification").chat(MockPrivateChat::new().id(who as i64).build()).build()
        });
        self.bot.update(MockCallbackQuery::new().data(data).from(user(who)).message(message));
        self.dispatch(who).await;
        assert_eq!(self.bot.get_responses().answered_callback_queries.len(), 1, "every press is answered");
    }

    fn screen(&self, who: u64) -> Vec<Reply> {
        self.screens.get(&who).map(message_as_replies).unwrap_or_default()
    }

    fn last(&self, who: u64) -> String {
        self.texts.get(&who).and_then(|t| t.last().cloned()).unwrap_or_default()
    }

    /// The newest outbox message for a person: (text, buttons).
    fn notification(&self, who: u64) -> (String, Vec<(String, String)>) {
        let (text, kb): (String, Option<String>) = self
            .app
            .store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT o.text, o.keyboard FROM outbox o JOIN users u ON u.id = o.user_id
                     WHERE u.telegram_id = ?1 AND o.status != 'cancelled' ORDER BY o.id DESC LIMIT 1",
                    [who as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        let buttons = dulae::notify::outbox::keyboard_from_json(kb.as_deref()).0.concat();
        (text, buttons.into_iter().map(|b| (b.text, b.data)).collect())
    }
}

#[tokio::test]
async fn refer_accept_plan_remind_done_and_silence() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(dulae::clock::FixedClock::new(start_time()));
    let store = dulae::store::Store::open(&dir.path().join("school.db")).unwrap();
    let app = Arc::new(dulae::app::App::with_clock(store, test_config(), clock.clone()).unwrap());
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    let code = |role, classes: Vec<&str>| {
        let invite = dulae::invites::StaffInvite {
            role,
            classes: classes.iter().map(|c| c.parse().unwrap()).collect(),
            display_name: None,
        };
        dulae::invites::create_staff(&app.store, dulae::store::audit::Actor::Cli, &invite, 14, start_time())
            .unwrap()
            .code
            .as_str()
            .to_string()
    };
    let (teacher_code, counselor_code) = (code(Role::Teacher, vec!["ป.4/1"]), code(Role::Counselor, vec![]));
    let mut bot: Bot = MockBot::new(MockMessageText::new().text("/help"), dulae::bot::schema());
    bot.dependencies(deps![app.clone()]);
    let mut s = School2 { bot, app: app.clone(), clock, screens: HashMap::new(), texts: HashMap::new() };
    s.type_text(TEACHER, &format!("/start {teacher_code}")).await;
    s.type_text(COUNSELOR, &format!("/start {counselor_code}")).await;

    // The teacher screens, gets an at-risk result and refers from it.
    s.type_text(TEACHER, "/screen").await;
    let pick = button_data(&s.screen(TEACHER), "สมชาย");
    s.press(TEACHER, &pick).await;
    let answers: HashMap<&str, &str> = [("gpa", "1.2"), ("income", "above_10000")].into_iter().collect();
    for _ in 0..80 {
        if s.texts.get(&TEACHER).is_some_and(|t| t.iter().any(|x| x.contains("✅ บันทึกผลคัดกรอง")))
        {
            break;
        }
        match next_action(&s.screen(TEACHER), &answers) {
            Some(Event::Button { data, .. }) => s.press(TEACHER, &data).await,
            Some(Event::Text(t)) => s.type_text(TEACHER, &t).await,
            _ => break,
        }
    }
    // The result message carries the refer button; the next student list came after it.
    let refer = s
        .bot
        .get_responses()
        .sent_messages
        .iter()
        .chain(s.bot.get_responses().edited_messages_text.iter().map(|e| &e.message))
        .find_map(|m| {
            m.reply_markup()?.inline_keyboard.iter().flatten().find_map(|b| match &b.kind {
                InlineKeyboardButtonKind::CallbackData(d) if b.text.contains("ส่งต่อ") => Some(d.clone()),
                _ => None,
            })
        })
        .expect("a refer button on the result");
    // A database fault at this press (the table it reads is gone) reaches the person as the apology, never as
    // "this button is old"; with the table back the same press works.
    let apology = app.l10n.tr(dulae::l10n::Lang::Th).get("error-apology");
    let broken = |from: &str, to: &str| {
        let sql = format!("ALTER TABLE {from} RENAME TO {to}");
        app.store.write(|tx| Ok(tx.execute_batch(&sql)?)).unwrap();
    };
    broken("submissions", "submissions_broken");
    s.press(TEACHER, &refer).await;
    let answer = s.bot.get_responses().answered_callback_queries[0].clone();
    assert_eq!((answer.text, answer.show_alert), (Some(apology), Some(true)));
    broken("submissions_broken", "submissions");
    s.press(TEACHER, &refer).await;
    let done = button_data(&s.screen(TEACHER), "เสร็จ");
    s.press(TEACHER, &done).await;
    s.type_text(TEACHER, "ขาดเรียนบ่อย ดูเหนื่อย").await;
    let skip = button_data(&s.screen(TEACHER), "ข้าม");
    s.press(TEACHER, &skip).await;
    let urgent = button_data(&s.screen(TEACHER), "ด่วน");
    s.press(TEACHER, &urgent).await;
    let to = button_data(&s.screen(TEACHER), "ครูแนะแนว");
    s.press(TEACHER, &to).await;
    let confirm = button_data(&s.screen(TEACHER), "ยืนยันส่งต่อ");
    s.press(TEACHER, &confirm).await;
    assert!(s.last(TEACHER).contains("เรื่องที่ #1"), "{}", s.last(TEACHER));

    // The counsellor's notification: no name; its button opens the case.
    let (note, buttons) = s.notification(COUNSELOR);
    assert!(note.contains("มีการส่งต่อใหม่ 1 เรื่อง") && !note.contains("สมชาย"), "{note}");
    s.press(COUNSELOR, &buttons[0].1).await;
    assert!(s.last(COUNSELOR).contains("ด.ช.สมชาย ใจดี"), "{}", s.last(COUNSELOR));
    let accept = button_data(&s.screen(COUNSELOR), "รับเรื่อง");
    s.press(COUNSELOR, &accept).await;
    assert!(s.notification(TEACHER).0.contains("ได้รับเรื่องแล้ว"));

    // A plan action for the counsellor, due in a week (a date button).
    let add = button_data(&s.screen(COUNSELOR), "เพิ่มกิจกรรม");
    s.press(COUNSELOR, &add).await;
    s.type_text(COUNSELOR, "โทรคุยกับผู้ปกครอง").await;
    let me = button_data(&s.screen(COUNSELOR), "ฉันเอง");
    s.press(COUNSELOR, &me).await;
    let in_a_week = button_data(&s.screen(COUNSELOR), "3 ธ.ค. 2569");
    s.press(COUNSELOR, &in_a_week).await;
    assert!(s.texts[&COUNSELOR].iter().any(|t| t.contains("บันทึกแล้ว")));

    // On the due day the reminder is in the outbox; its "done" button finishes the action.
    let due_morning = dulae::care::schedule::local_instant(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    );
    s.clock.set(due_morning);
    dulae::notify::scheduler::tick(&app).unwrap();
    let (reminder, buttons) = s.notification(COUNSELOR);
    assert!(reminder.contains("วันนี้ครบกำหนด"), "{reminder}");
    let done = buttons.iter().find(|(t, _)| t.contains("เสร็จแล้ว")).unwrap().1.clone();
    s.press(COUNSELOR, &done).await;
    let skip = button_data(&s.screen(COUNSELOR), "ข้าม");
    s.press(COUNSELOR, &skip).await;
    assert!(s.texts[&COUNSELOR].iter().any(|t| t.contains("บันทึกแล้ว")));

    let before: i64 = app.store.read(|c| Ok(c.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)).unwrap();
    for days in 1..10 {
        s.clock.set(due_morning + chrono::Duration::days(days));
        dulae::notify::scheduler::tick(&app).unwrap();
    }
    let after: i64 = app
        .store
        .read(|c| {
            Ok(c.query_row("SELECT count(*) FROM outbox WHERE text NOT LIKE '%สรุปประจำสัปดาห์%'", [], |r| r.get(0))?)
        })
        .unwrap();
    assert_eq!(after, before, "no reminder after done");
}
