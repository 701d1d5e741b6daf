//! Parents: joining with single-use links (several children, revoked), their menu, and that they never see care
//! data nor reach other students. Teachers: printable QR slips through /invite, and who has joined (/parents).

use crate::common;

use common::outbox::join_parent;
use common::*;
use dulae::announce::slips;
use dulae::conversation::Reply;
use dulae::conversation::commands::menu;
use dulae::domain::{Role, TelegramId};
use dulae::invites::{self, Joiner, Redeemed};
use dulae::l10n::Lang;
use dulae::store::audit::Actor;
use dulae::store::{students, users};

fn joiner(id: i64) -> Joiner {
    Joiner {
        telegram_id: TelegramId(id),
        chat_id: id,
        display_name: format!("ผู้ปกครอง {id}"),
        username: None,
        lang: Lang::Th,
    }
}

#[test]
fn a_parent_link_works_once_links_several_children_and_ends_with_revocation() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let child = |code: &str| s.app.store.read(|c| students::find_student_by_code(c, code)).unwrap().unwrap().id;
    let link = invites::create_parent(&s.app.store, Actor::Cli, child("10001"), 150, now).unwrap();
    assert!(matches!(
        invites::redeem(&s.app.store, link.code.as_str(), &joiner(50), 2, now).unwrap(),
        Redeemed::Joined { .. }
    ));
    // Single use: a second person with the same link is refused and gets no account.
    assert_eq!(invites::redeem(&s.app.store, link.code.as_str(), &joiner(51), 2, now).unwrap(), Redeemed::AlreadyUsed);
    assert!(s.app.store.read(|c| users::find_by_telegram(c, TelegramId(51))).unwrap().is_none());
    // A second child for the same account.
    let second = invites::create_parent(&s.app.store, Actor::Cli, child("10003"), 150, now).unwrap();
    invites::redeem(&s.app.store, second.code.as_str(), &joiner(50), 2, now).unwrap();
    let parent = person(50, "ผู้ปกครอง 50");
    let children = texts(&say(&s, &parent, command("children", "")));
    assert!(children.contains("ด.ช.สมชาย ใจดี ชั้น ป.4/1") && children.contains("ด.ช.มานะ ขยันยิ่ง ชั้น ป.4/2"), "{children}");
    // Revoked: access ends at the next tap.
    common::staff_changes::revoke(&s.app, "tg:50");
    let after = texts(&say(&s, &parent, command("children", "")));
    assert!(after.contains("ถูกยกเลิก") && !after.contains("สมชาย"), "{after}");
}

#[test]
fn a_parents_menu_is_children_announcements_and_language() {
    let s = School::with_roster();
    let tr = s.app.l10n.tr(Lang::Th);
    let names: Vec<String> = menu(&s.app, tr, Some(Role::Parent)).into_iter().map(|c| c.command).collect();
    assert_eq!(names, ["children", "news", "help", "lang", "cancel"]);
}

#[test]
fn a_parent_never_sees_care_data_and_cannot_reach_other_students() {
    let s = School::with_roster();
    join_parent(&s.app, 60, "10001");
    let parent = person(60, "ผู้ปกครอง 60");
    for cmd in ["student", "screen", "visit", "refer", "cases", "plans", "users", "invite", "parents", "announce"] {
        let reply = texts(&say(&s, &parent, command(cmd, "")));
        assert!(reply.contains("ไม่มีคำสั่งนี้"), "/{cmd}: {reply}");
    }
    // Forged buttons: picking a student, a form step, a referral, a case, an announcement report.
    let other = s.app.store.read(|c| students::find_student_by_code(c, "10002")).unwrap().unwrap();
    let forged = [
        format!("1:pk:abcd:s:{}", other.id.0),
        format!("1:pk:abcd:c:{}", other.class_id.0),
        "1:f:abcd:learning:c:normal".to_string(),
        "1:rf:1".to_string(),
        "1:an:m:1".to_string(),
        "1:an:n:1".to_string(),
        "1:an:k:1".to_string(),
    ];
    for data in forged {
        let replies = say(&s, &parent, press(&data, 3));
        let shown = texts(&replies);
        for secret in ["สมหญิง", "รักเรียน", "10002", "คัดกรอง", "เสี่ยง", "มีปัญหา"]
        {
            assert!(!shown.contains(secret), "{data}: leaked {secret} in {shown}");
        }
        assert!(
            !replies.iter().any(
                |r| matches!(r, Reply::Send { keyboard, .. } | Reply::Edit { keyboard, .. } if !keyboard.is_empty())
            ),
            "{data}: no new buttons for a parent: {replies:?}"
        );
    }
    // Typing a student's name asks for nothing and tells nothing.
    let typed = texts(&say(&s, &parent, text("สมหญิง รักเรียน ป.4/1 เป็นอย่างไรบ้าง")));
    assert!(!typed.contains("10002"), "{typed}");
}

#[test]
fn a_teachers_invite_sends_the_qr_slips_of_their_class_and_parents_shows_who_joined() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Teacher, &["ป.4/1"], None);
    let teacher = person(70, "ครู");
    say(&s, &teacher, command("start", &code));
    join_parent(&s.app, 61, "10001");

    let replies = say(&s, &teacher, command("invite", ""));
    let (name, html, caption) = replies
        .iter()
        .find_map(|r| match r {
            Reply::Document { file_name, bytes, caption } => {
                Some((file_name.clone(), String::from_utf8(bytes.clone()).unwrap(), caption.clone()))
            }
            _ => None,
        })
        .expect("a document of slips");
    assert_eq!(name, "ใบเชิญผู้ปกครอง-ป.4-1.html");
    // 10001 has one parent already: one more slip for them, two for 10002; nobody from ป.4/2.
    assert_eq!(html.matches("class=\"slip\"").count(), 3, "{caption}");
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("ด.ญ.สมหญิง รักเรียน") && !html.contains("มานะ"));
    assert!(html.contains("https://t.me/dulae_test_bot?start="));
    assert!(html.contains("สแกน QR"));
    assert!(caption.contains("ป.4/1"), "{caption}");

    // The links in the slips work (once).
    let link = html.split("https://t.me/dulae_test_bot?start=").nth(1).unwrap().split('<').next().unwrap().to_string();
    let joined = invites::redeem(&s.app.store, &link, &joiner(62), 2, s.clock.now_utc()).unwrap();
    assert!(matches!(joined, Redeemed::Joined { role: Role::Parent, .. }), "{joined:?}");

    let overview = texts(&say(&s, &teacher, command("parents", "")));
    assert!(overview.contains("ชั้น ป.4/1: 2/2 คน") || overview.contains("ชั้น ป.4/1: 1/2 คน"), "{overview}");
    assert!(overview.contains("✅ 10001"), "{overview}");
    assert!(!overview.contains("มานะ"), "only their own class: {overview}");

    // The admin's /invite is still the staff invite flow.
    let admin_code = invite_code(&s, Role::Admin, &[], None);
    let admin = person(71, "แอดมิน");
    say(&s, &admin, command("start", &admin_code));
    assert!(texts(&say(&s, &admin, command("invite", ""))).contains("สร้างลิงก์เชิญสำหรับใคร"));
}

#[test]
fn slips_escape_names_and_embed_a_qr_code() {
    let slip = slips::Slip {
        student_name: "<script>alert(1)</script>".into(),
        student_code: "1".into(),
        class_name: "ป.4/1".into(),
        guardian: 1,
        link: "https://t.me/b?start=abc".into(),
        expires: chrono::NaiveDate::from_ymd_opt(2027, 4, 1).unwrap(),
    };
    let html = slips::render_html("โรงเรียนบ้านทดสอบ", &[slip]).unwrap();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("โรงเรียนบ้านทดสอบ") && html.contains("1 เม.ย. 2570"));
    assert!(!html.contains("<?xml"));
}

#[test]
fn a_parent_who_opens_their_own_slip_again_is_greeted_as_registered() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let child = s.app.store.read(|c| students::find_student_by_code(c, "10001")).unwrap().unwrap().id;
    let link = invites::create_parent(&s.app.store, Actor::Cli, child, 150, now).unwrap();
    let parent = person(60, "ผู้ปกครอง 60");
    let first = texts(&say(&s, &parent, command("start", link.code.as_str())));
    assert!(first.contains("สมชาย"), "{first}");
    // Parents scan twice: the same person with the same slip is welcomed back, nothing changes.
    let again = texts(&say(&s, &parent, command("start", link.code.as_str())));
    assert!(again.contains("ลงทะเบียนด้วยลิงก์นี้ไว้แล้ว"), "{again}");
    assert!(!again.contains("ขอลิงก์ใหม่"), "{again}");
    assert_eq!(invites::redeem(&s.app.store, link.code.as_str(), &joiner(60), 2, now).unwrap(), Redeemed::UsedByYou);
    // Someone else with that slip is still refused.
    assert_eq!(invites::redeem(&s.app.store, link.code.as_str(), &joiner(61), 2, now).unwrap(), Redeemed::AlreadyUsed);
}
