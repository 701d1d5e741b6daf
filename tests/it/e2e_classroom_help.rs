//! Help in class end to end through the mock Bot API: the homeroom teacher opens help from `/student`, hands it
//! to the counsellor, the counsellor opens the notification and asks a question, and the teacher's "❓"
//! notification opens that question with a button to answer it. Then a class meeting is recorded.

use crate::common;

use common::*;
use dulae::conversation::Reply;
use dulae::domain::Role;
use std::collections::HashMap;
use std::sync::Arc;
use teloxide::dptree::deps;
use teloxide::types::Message;
use teloxide_tests::{MockBot, MockCallbackQuery, MockMessageText, MockPrivateChat, MockUser};

const TEACHER: u64 = 8101;
const COUNSELOR: u64 = 8102;

type Bot = MockBot<Box<dyn std::error::Error + Send + Sync>, teloxide_tests::mock_bot::DistributionKey>;

struct Chat {
    bot: Bot,
    app: Arc<dulae::app::App>,
    /// The last message with buttons each person has on screen.
    screens: HashMap<u64, Message>,
    texts: HashMap<u64, Vec<String>>,
}

fn user(id: u64) -> teloxide::types::User {
    MockUser::new().id(id).first_name(if id == TEACHER { "ครูสมศรี" } else { "ครูใจดี" }).build()
}

impl Chat {
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

    fn seen(&self, who: u64) -> String {
        self.texts.get(&who).map(|t| t.join("\n")).unwrap_or_default()
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

    fn count(&self, sql: &str) -> i64 {
        self.app.store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
    }
}

#[tokio::test]
async fn help_in_class_to_the_counsellor_and_a_question_answered() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(dulae::clock::FixedClock::new(start_time()));
    let store = dulae::store::Store::open(&dir.path().join("school.db")).unwrap();
    let app = Arc::new(dulae::app::App::with_clock(store, test_config(), clock).unwrap());
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    let code = |role, classes: Vec<&str>, name: &str| {
        let invite = dulae::invites::StaffInvite {
            role,
            classes: classes.iter().map(|c| c.parse().unwrap()).collect(),
            display_name: Some(name.to_string()),
        };
        dulae::invites::create_staff(&app.store, dulae::store::audit::Actor::Cli, &invite, 14, start_time())
            .unwrap()
            .code
            .as_str()
            .to_string()
    };
    let teacher_code = code(Role::Teacher, vec!["ป.4/1"], "ครูสมศรี");
    let counselor_code = code(Role::Counselor, vec![], "ครูใจดี แนะแนว");
    let mut bot: Bot = MockBot::new(MockMessageText::new().text("/help"), dulae::bot::schema());
    bot.dependencies(deps![app.clone()]);
    let mut s = Chat { bot, app: app.clone(), screens: HashMap::new(), texts: HashMap::new() };
    s.type_text(TEACHER, &format!("/start {teacher_code}")).await;
    s.type_text(COUNSELOR, &format!("/start {counselor_code}")).await;

    // /student → สมชาย → "ช่วยเหลือเบื้องต้น" → the reason → a case the teacher owns.
    s.type_text(TEACHER, "/student").await;
    let pick = button_data(&s.screen(TEACHER), "สมชาย");
    s.press(TEACHER, &pick).await;
    let help = button_data(&s.screen(TEACHER), "ช่วยเหลือเบื้องต้น");
    s.press(TEACHER, &help).await;
    s.type_text(TEACHER, "ง่วงในห้องทุกเช้า ไม่ได้กินข้าวเช้า").await;
    assert!(s.seen(TEACHER).contains("เริ่มช่วยเหลือเบื้องต้นแล้ว (เรื่องที่ #1)"), "{}", s.seen(TEACHER));
    assert_eq!(s.count("SELECT count(*) FROM cases WHERE kind = 'classroom'"), 1);

    // "ส่งต่อครูแนะแนว" → normal → the counsellor: the same case becomes a referral.
    let refer = button_data(&s.screen(TEACHER), "ส่งต่อครูแนะแนว");
    s.press(TEACHER, &refer).await;
    let normal = button_data(&s.screen(TEACHER), "ปกติ");
    s.press(TEACHER, &normal).await;
    let to = button_data(&s.screen(TEACHER), "ครูใจดี");
    s.press(TEACHER, &to).await;
    assert_eq!(s.count("SELECT count(*) FROM cases WHERE id = 1 AND kind = 'referral' AND referred_at IS NOT NULL"), 1);
    assert_eq!(s.count("SELECT count(*) FROM reminders WHERE subject = 'acceptance' AND subject_id = 1"), 1);

    // The counsellor's notification (no name) opens the case with its history; accept, then ask.
    let (note, buttons) = s.notification(COUNSELOR);
    assert!(note.contains("มีการส่งต่อใหม่") && !note.contains("สมชาย"), "{note}");
    s.press(COUNSELOR, &buttons[0].1).await;
    assert!(s.seen(COUNSELOR).contains("ไม่ได้กินข้าวเช้า") && s.seen(COUNSELOR).contains("ความเคลื่อนไหวล่าสุด"));
    let accept = button_data(&s.screen(COUNSELOR), "รับเรื่อง");
    s.press(COUNSELOR, &accept).await;
    let ask = button_data(&s.screen(COUNSELOR), "ขอข้อมูล");
    s.press(COUNSELOR, &ask).await;
    s.type_text(COUNSELOR, "นักเรียนมาโรงเรียนกี่โมงคะ").await;

    // The teacher's "❓" opens the question and answers it.
    let (question, buttons) = s.notification(TEACHER);
    assert!(question.contains("❓ มีคำถามเพิ่มเติม") && !question.contains("สมชาย"), "{question}");
    s.press(TEACHER, &buttons[0].1).await;
    assert!(s.seen(TEACHER).contains("นักเรียนมาโรงเรียนกี่โมงคะ"), "{}", s.seen(TEACHER));
    let answer = button_data(&s.screen(TEACHER), "ตอบคำถาม");
    s.press(TEACHER, &answer).await;
    s.type_text(TEACHER, "มาถึงเจ็ดโมงครึ่งค่ะ").await;
    let (note, buttons) = s.notification(COUNSELOR);
    assert!(note.contains("📝 มีบันทึกใหม่"), "{note}");
    s.press(COUNSELOR, &buttons[0].1).await;
    assert!(s.seen(COUNSELOR).contains("มาถึงเจ็ดโมงครึ่งค่ะ"));

    // A class meeting, recorded on the phone.
    s.type_text(TEACHER, "/meeting").await;
    let today = button_data(&s.screen(TEACHER), "วันนี้");
    s.press(TEACHER, &today).await;
    s.type_text(TEACHER, "ชี้แจงผลการเรียนกลางภาค").await;
    let family = button_data(&s.screen(TEACHER), "สมหญิง");
    s.press(TEACHER, &family).await;
    let save = button_data(&s.screen(TEACHER), "บันทึก");
    s.press(TEACHER, &save).await;
    assert!(s.seen(TEACHER).contains("ผู้ปกครองมาประชุม 1 จาก 2 คน"), "{}", s.seen(TEACHER));
    assert_eq!(s.count("SELECT count(*) FROM class_meeting_attendance"), 1);
}
