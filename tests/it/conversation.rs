//! The chat logic without Telegram: joining, help, language, the admin's invite flow, refusals.

use crate::common;

use common::*;
use dulae::conversation::{Event, MediaKind, Reply};
use dulae::domain::{Role, TelegramId};
use dulae::store::users;

fn menu(replies: &[Reply]) -> Vec<String> {
    replies
        .iter()
        .find_map(|r| match r {
            Reply::SetCommands(entries) => Some(entries.iter().map(|e| e.command.clone()).collect()),
            _ => None,
        })
        .expect("a command menu was set")
}

#[test]
fn start_without_a_code_explains_and_shows_no_data() {
    let s = School::with_roster();
    let stranger = person(999, "Stranger");
    let replies = say(&s, &stranger, command("start", ""));
    let all = texts(&replies);
    assert!(all.contains("ขอลิงก์เชิญจากโรงเรียน"), "{all}");
    for secret in ["สมชาย", "ป.4/1", "10001"] {
        assert!(!all.contains(secret), "no student data for strangers: {all}");
    }
    assert_eq!(menu(&replies), ["help", "start"]);
    // Anything else they send is politely refused, buttons included.
    for event in [text("สวัสดี"), command("help", ""), command("invite", ""), Event::Media(MediaKind::Sticker)]
    {
        let all = texts(&say(&s, &stranger, event));
        assert!(all.contains("ยังไม่ได้ลงทะเบียน"), "{all}");
        assert!(!all.contains("สมชาย"));
    }
    let replies = say(&s, &stranger, press("1:lang:en", 5));
    assert!(matches!(&replies[..], [Reply::AnswerButton { alert: true, .. }]), "{replies:?}");
}

#[test]
fn a_teacher_joins_with_a_code_and_gets_a_thai_greeting_and_menu() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Teacher, &["ป.4/1"], None);
    let teacher = person(1001, "Somsri");
    let replies = say(&s, &teacher, command("start", &code));
    let all = texts(&replies);
    assert!(all.contains("ครูประจำชั้น (ครูที่ปรึกษา) ของชั้น ป.4/1"), "{all}");
    let menu = menu(&replies);
    for expected in ["screen", "visit", "student", "refer", "cases", "plans", "help", "lang", "cancel"] {
        assert!(menu.contains(&expected.to_string()), "{expected} missing from {menu:?}");
    }
    for admin_only in ["users", "children"] {
        assert!(!menu.contains(&admin_only.to_string()), "{admin_only} in a teacher's menu: {menu:?}");
    }
    let user = s.app.store.read(|c| users::find_by_telegram(c, TelegramId(1001))).unwrap().unwrap();
    assert_eq!(user.role, Role::Teacher);
    assert_eq!(user.display_name, "Somsri");

    // The same code for somebody else: refused, nothing registered.
    let other = person(1002, "Other");
    let all = texts(&say(&s, &other, command("start", &code)));
    assert!(all.contains("ถูกใช้ไปแล้ว"), "{all}");
    assert!(s.app.store.read(|c| users::find_by_telegram(c, TelegramId(1002))).unwrap().is_none());
}

#[test]
fn expired_and_unknown_codes_get_a_polite_explanation_only() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Head, &[], None);
    s.advance_clock(chrono::Duration::days(15));
    let p = person(5, "P");
    let replies = say(&s, &p, command("start", &code));
    assert_eq!(replies.len(), 1);
    assert!(texts(&replies).contains("หมดอายุ"));
    let replies = say(&s, &p, command("start", "made-up-code"));
    assert!(texts(&replies).contains("ไม่พบลิงก์เชิญ"));
    assert!(s.app.store.read(|c| users::find_by_telegram(c, TelegramId(5))).unwrap().is_none());
}

#[test]
fn help_lists_the_commands_of_the_role_and_lang_switches() {
    let s = School::with_roster();
    let admin = s.person(1, "Admin").join_as(Role::Admin, &[]);
    let help = texts(&say(&s, &admin, command("help", "")));
    assert!(help.contains("/invite") && help.contains("/users") && help.contains("/lang"), "{help}");
    assert!(!help.contains("/children"));

    let replies = say(&s, &admin, command("lang", ""));
    let en = button_data(&replies, "English");
    let replies = say(&s, &admin, press(&en, 10));
    assert!(texts(&replies).contains("Language set to English"));
    assert!(matches!(replies[0], Reply::AnswerButton { .. }));
    let help = texts(&say(&s, &admin, command("help", "")));
    assert!(help.contains("Create a staff invite link"), "{help}");
}

#[test]
fn the_admin_creates_a_teacher_invite_with_buttons() {
    let s = School::with_roster();
    let admin = s.person(1, "Admin").join_as(Role::Admin, &[]);

    let replies = say(&s, &admin, command("invite", ""));
    assert!(texts(&replies).contains("สร้างลิงก์เชิญสำหรับใคร"));
    let teacher_button = button_data(&replies, "ครูที่ปรึกษา");
    assert!(teacher_button.len() <= 64);

    let replies = say(&s, &admin, press(&teacher_button, 20));
    assert!(matches!(replies[1], Reply::Edit { message_id: 20, .. }), "the question is edited in place");
    // Done with no class: an alert, nothing changes.
    let done = button_data(&replies, "เสร็จ");
    let alert = say(&s, &admin, press(&done, 20));
    assert!(matches!(&alert[..], [Reply::AnswerButton { alert: true, .. }]));

    let toggle = button_data(&replies, "ป.4/2");
    let replies = say(&s, &admin, press(&toggle, 20));
    assert!(buttons(&replies).iter().any(|(t, _)| t == "✅ ป.4/2"));
    let replies = say(&s, &admin, press(&button_data(&replies, "เสร็จ (1)"), 20));
    assert!(texts(&replies).contains("พิมพ์ชื่อครู"));

    // A sticker instead of a name: explained, the same question again, nothing lost.
    let replies = say(&s, &admin, Event::Media(MediaKind::Sticker));
    assert!(texts(&replies).contains("กรุณาพิมพ์ชื่อ"));
    // 5,000 characters: too long, asked again.
    let replies = say(&s, &admin, text(&"ก".repeat(5000)));
    assert!(texts(&replies).contains("ยาวเกินไป"));

    let replies = say(&s, &admin, text("ครูมานี มีนา"));
    let all = texts(&replies);
    assert!(all.contains("https://t.me/dulae_test_bot?start="), "{all}");
    assert!(all.contains("ครูมานี มีนา"));
    assert!(all.contains("10 ธ.ค. 2569"), "expires in 14 days, Buddhist Era: {all}");

    // The link works for the new teacher, with the class and the name the admin chose.
    let link = all.lines().find(|l| l.contains("https://t.me/")).unwrap();
    let newcomer = person(77, "Manee");
    let greeting = texts(&say(&s, &newcomer, command("start", &code_of(link))));
    assert!(greeting.contains("ป.4/2"), "{greeting}");
    let user = s.app.store.read(|c| users::find_by_telegram(c, TelegramId(77))).unwrap().unwrap();
    assert_eq!(user.display_name, "ครูมานี มีนา");
}

#[test]
fn old_buttons_are_refused_and_change_nothing() {
    let s = School::with_roster();
    let admin = s.person(1, "Admin").join_as(Role::Admin, &[]);
    let first = say(&s, &admin, command("invite", ""));
    let old_head_button = button_data(&first, "หัวหน้ากลุ่มงาน");
    // A new run of the flow makes the first message's buttons stale.
    say(&s, &admin, command("invite", ""));
    let replies = say(&s, &admin, press(&old_head_button, 30));
    assert!(texts(&replies).contains("ปุ่มนี้เก่าแล้ว"), "{replies:?}");
    assert_eq!(replies.len(), 1);
    // Garbage and buttons of other bots.
    for data in ["", "hello", "1:inv:zzzz:r:head", "9:lang:th"] {
        let replies = say(&s, &admin, press(data, 31));
        assert!(matches!(&replies[..], [Reply::AnswerButton { .. }]), "{data}: {replies:?}");
    }
}

#[test]
fn a_teacher_cannot_use_admin_buttons_or_commands() {
    let s = School::with_roster();
    let admin = s.person(1, "Admin").join_as(Role::Admin, &[]);
    let flow = say(&s, &admin, command("invite", ""));
    let head = button_data(&flow, "หัวหน้ากลุ่มงาน");

    let teacher = s.person(2, "Teacher").join_as(Role::Teacher, &["ป.4/1"]);
    assert!(texts(&say(&s, &teacher, command("users", ""))).contains("ไม่มีคำสั่งนี้"));
    // A forwarded admin button pressed by the teacher.
    let replies = say(&s, &teacher, press(&head, 40));
    assert!(matches!(&replies[..], [Reply::AnswerButton { .. }]));
}

#[test]
fn a_revoked_person_is_refused_at_once() {
    let s = School::with_roster();
    let teacher = s.person(3, "Teacher").join_as(Role::Teacher, &["ป.4/1"]);
    common::staff_changes::revoke(&s.app, "tg:3");
    let all = texts(&say(&s, &teacher, command("help", "")));
    assert!(all.contains("ถูกยกเลิก"), "{all}");
    let replies = say(&s, &teacher, press("1:lang:en", 3));
    assert!(matches!(&replies[..], [Reply::AnswerButton { alert: true, .. }]));
}

#[test]
fn a_parent_sees_their_children_and_nothing_else() {
    let s = School::with_roster();
    let student = s.app.store.read(|c| dulae::store::students::find_student_by_code(c, "10001")).unwrap().unwrap();
    let created = dulae::invites::create_parent(
        &s.app.store,
        dulae::store::audit::Actor::Cli,
        student.id,
        150,
        s.clock.now_utc(),
    )
    .unwrap();
    let parent = person(80, "Parent");
    let replies = say(&s, &parent, command("start", created.code.as_str()));
    assert!(texts(&replies).contains("ผู้ปกครองของ ด.ช.สมชาย ใจดี"));
    let menu = menu(&replies);
    assert_eq!(menu[0], "children");
    for care in ["screen", "visit", "student", "refer", "cases", "plans", "users", "invite"] {
        assert!(!menu.contains(&care.to_string()), "{care} in a parent's menu: {menu:?}");
    }
    let children = texts(&say(&s, &parent, command("children", "")));
    assert!(children.contains("ด.ช.สมชาย ใจดี") && !children.contains("สมหญิง"), "{children}");
    assert!(texts(&say(&s, &parent, command("users", ""))).contains("ไม่มีคำสั่งนี้"));
}

#[test]
fn groups_get_a_pointer_to_the_private_chat_and_no_data() {
    let s = School::with_roster();
    let teacher = s.person(4, "Teacher").join_as(Role::Teacher, &["ป.4/1"]);
    let mut incoming = private(&teacher, command("help", ""));
    incoming.chat_id = -100123;
    incoming.private_chat = false;
    let replies = dulae::conversation::handle(&s.app, &incoming).unwrap();
    assert!(texts(&replies).contains("แชตส่วนตัว"));
    incoming.event = text("hello everyone");
    assert!(dulae::conversation::handle(&s.app, &incoming).unwrap().is_empty());
}

#[test]
fn the_invite_flow_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let admin = person(1, "Admin");
    let open = || {
        let clock = std::sync::Arc::new(dulae::clock::FixedClock::new(start_time()));
        let store = dulae::store::Store::open(&path).unwrap();
        School::on(dulae::app::App::with_clock(store, test_config(), clock.clone()).unwrap(), clock)
    };
    let role_button;
    {
        let s = open();
        dulae::roster::import(&s.app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
            .unwrap();
        say(&s, &admin, command("start", &invite_code(&s, Role::Admin, &[], None)));
        let replies = say(&s, &admin, command("invite", ""));
        role_button = button_data(&replies, "ครูแนะแนว");
    }
    // A new process on the same file: the button from before the restart still works.
    let s = open();
    let replies = say(&s, &admin, press(&role_button, 50));
    assert!(texts(&replies).contains("พิมพ์ชื่อ"), "{replies:?}");
    let replies = say(&s, &admin, press(&button_data(&replies, "ข้าม"), 50));
    assert!(texts(&replies).contains("ลิงก์เชิญครูแนะแนว"), "{}", texts(&replies));
}

#[test]
fn cancel_clears_the_flow() {
    let s = School::with_roster();
    let admin = s.person(1, "Admin").join_as(Role::Admin, &[]);
    let flow = say(&s, &admin, command("invite", ""));
    assert!(texts(&say(&s, &admin, command("cancel", ""))).contains("ยกเลิกแล้ว"));
    assert!(texts(&say(&s, &admin, press(&button_data(&flow, "หัวหน้ากลุ่มงาน"), 1))).contains("ปุ่มนี้เก่าแล้ว"));
    assert!(texts(&say(&s, &admin, command("cancel", ""))).contains("ไม่มีสิ่งที่ทำค้าง"));
}

#[test]
fn a_saved_step_from_an_older_version_is_dropped_with_an_apology() {
    let s = School::with_roster();
    let admin = s.person(1, "Admin").join_as(Role::Admin, &[]);
    // What an older Dulae might have saved for this chat.
    s.app
        .store
        .write(|tx| dulae::store::conversations::save(tx, 1, r#"{"flow":"wizard_v0","step":3}"#, start_time()))
        .unwrap();
    let replies = say(&s, &admin, text("ครูสมศรี"));
    let all = texts(&replies);
    assert!(all.contains("ระบบเพิ่งปรับปรุง"), "{all}");
    assert!(all.contains("กรุณาเลือกคำสั่งจากเมนู"), "then handled as usual: {all}");
    // Only once.
    assert!(!texts(&say(&s, &admin, text("อีกครั้ง"))).contains("ระบบเพิ่งปรับปรุง"));
}
