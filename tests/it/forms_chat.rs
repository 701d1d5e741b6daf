//! Screening and home visits in the chat, below the transport: the whole path a teacher walks.

use crate::common;

use common::*;
use dulae::conversation::{Event, MediaKind, Reply};
use dulae::domain::Role;

fn teacher_of<'s>(s: &'s School, id: i64, classes: &[&str]) -> Person<'s> {
    s.person(id, "ครูสมศรี").join_as(Role::Teacher, classes)
}

fn count(s: &School, sql: &str) -> i64 {
    s.app.store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
}

fn open_student(s: &School, who: &dulae::conversation::Sender, cmd: &str, name: &str) -> Vec<Reply> {
    let list = say(s, who, command(cmd, ""));
    say(s, who, press(&button_data(&list, name), 1))
}

#[test]
fn a_teacher_screens_a_student_and_sees_the_result_per_aspect() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let list = say(&s, &teacher, command("screen", ""));
    let all = texts(&list);
    assert!(all.contains("คัดกรองแล้ว 0/2"), "{all}");
    assert!(!all.contains("มานะ"), "another class's student is not listed: {all}");

    let first = say(&s, &teacher, press(&button_data(&list, "สมชาย"), 1));
    let question = texts(&first);
    assert!(question.contains("ข้อ 1/") && question.contains("ด้านการเรียน"), "{question}");
    let replies = complete_form(&s, &teacher, &[("gpa", "1.5"), ("income", "above_10000")], 80);
    let result = texts(&replies);
    assert!(result.contains("✅ บันทึกผลคัดกรองของ ด.ช.สมชาย ใจดี"), "{result}");
    assert!(result.contains("สรุป: กลุ่มเสี่ยง"), "{result}");
    assert!(result.contains("ด้านการเรียน: เสี่ยง"), "{result}");
    assert!(buttons(&replies).iter().any(|(t, _)| t.contains("ส่งต่อ")), "a refer button for an at-risk result");

    assert_eq!(
        count(&s, "SELECT count(*) FROM submissions WHERE form_kind = 'screening' AND overall_group = 'risk'"),
        1
    );
    assert_eq!(count(&s, "SELECT count(*) FROM submissions WHERE form_version >= 1 AND term = '2/2569'"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM form_drafts"), 0, "the draft is gone once submitted");
    assert_eq!(count(&s, "SELECT count(*) FROM audit_log WHERE action = 'form.submit'"), 1);
    // Straight back to the class list, ready for the next student, with this one marked done.
    assert!(result.contains("คัดกรองแล้ว 1/2"), "{result}");
    assert!(buttons(&replies).iter().any(|(t, _)| t.starts_with("✅") && t.contains("สมชาย")));
}

#[test]
fn a_normal_student_gets_no_refer_button() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "screen", "สมหญิง");
    let replies = complete_form(&s, &teacher, &[("gpa", "3.5"), ("income", "above_10000")], 80);
    let result = texts(&replies);
    assert!(result.contains("สรุป: กลุ่มปกติ"), "{result}");
    assert!(!buttons(&replies).iter().any(|(t, _)| t.contains("ส่งต่อ")));
}

#[test]
fn drafts_are_kept_and_offered_again() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "screen", "สมชาย");
    let after_gpa = say(&s, &teacher, text("2.5"));
    assert!(texts(&after_gpa).contains("ข้อ 2/"), "{}", texts(&after_gpa));
    // Save for later.
    let saved = say(&s, &teacher, press(&button_data(&after_gpa, "พักไว้ก่อน"), 1));
    assert!(texts(&saved).contains("พักไว้แล้ว"));
    assert_eq!(count(&s, "SELECT count(*) FROM form_drafts"), 1);

    let list = say(&s, &teacher, command("screen", ""));
    assert!(buttons(&list).iter().any(|(t, _)| t.starts_with("📝") && t.contains("สมชาย")), "{:?}", buttons(&list));
    let offer = say(&s, &teacher, press(&button_data(&list, "สมชาย"), 1));
    assert!(texts(&offer).contains("มีแบบร่าง"));
    let resumed = say(&s, &teacher, press(&button_data(&offer, "ทำต่อ"), 1));
    assert!(texts(&resumed).contains("ข้อ 2/"), "continues where it stopped: {}", texts(&resumed));

    // Start over throws the draft away.
    let list = say(&s, &teacher, command("screen", ""));
    let offer = say(&s, &teacher, press(&button_data(&list, "สมชาย"), 1));
    let fresh = say(&s, &teacher, press(&button_data(&offer, "เริ่มใหม่"), 1));
    assert!(texts(&fresh).contains("ข้อ 1/"), "{}", texts(&fresh));
    assert!(!texts(&fresh).contains("คำตอบเดิม"));
}

#[test]
fn wrong_input_never_breaks_the_form() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let first = open_student(&s, &teacher, "screen", "สมชาย");
    let stale_save = button_data(&first, "พักไว้ก่อน");

    for (event, expected) in [
        (Event::Media(MediaKind::Sticker), "สติกเกอร์"),
        (Event::Forwarded, "ส่งต่อมา"),
        (text(&"๙".repeat(5000)), "ข้อ 1/"),
        (text("ไม่รู้"), "ตัวเลข"),
        (Event::Photo { file_id: "x".into(), file_unique_id: "y".into() }, "ข้อ 1/"),
        (Event::Location { latitude: 13.7, longitude: 100.5 }, "ข้อ 1/"),
    ] {
        let replies = say(&s, &teacher, event.clone());
        let all = texts(&replies);
        assert!(all.contains(expected), "{event:?}: {all}");
        assert!(all.contains("เกรดเฉลี่ย"), "the same question again after {event:?}: {all}");
    }
    // A button from another form run, and a made-up one.
    let next = say(&s, &teacher, text("3.0"));
    assert!(texts(&next).contains("ข้อ 2/"));
    // A button of an earlier question does not act: it shows the question the form is at.
    let replies = say(&s, &teacher, press(&stale_save, 1));
    assert!(texts(&replies).contains("ข้อปัจจุบัน"), "a button of an earlier question: {replies:?}");
    assert!(texts(&replies).contains("ข้อ 2/"), "a button of an earlier question: {replies:?}");
    let replies = say(&s, &teacher, press("1:f:zzzz:gpa:c:x", 1));
    assert!(texts(&replies).contains("ปุ่มนี้เก่าแล้ว"));
    assert_eq!(count(&s, "SELECT count(*) FROM submissions"), 0);
    // Still on question 2, answers intact.
    let back = say(&s, &teacher, press(&button_data(&next, "ย้อนกลับ"), 1));
    assert!(texts(&back).contains("คำตอบเดิม: 3"), "{}", texts(&back));
}

#[test]
fn a_teacher_cannot_open_another_class_student() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let list = say(&s, &teacher, command("screen", ""));
    let someone_else = s.app.store.read(|c| dulae::store::students::find_student_by_code(c, "10003")).unwrap().unwrap();
    // Forge a button for ป.4/2's student with the list's own nonce.
    let nonce = button_data(&list, "สมชาย").split(':').nth(2).unwrap().to_string();
    let replies = say(&s, &teacher, press(&format!("1:pk:{nonce}:s:{}", someone_else.id.0), 1));
    assert!(texts(&replies).contains("ไม่มีสิทธิ์"), "{replies:?}");
    assert_eq!(count(&s, "SELECT count(*) FROM form_drafts"), 0);
}

#[test]
fn the_form_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let open = || {
        let clock = std::sync::Arc::new(dulae::clock::FixedClock::new(start_time()));
        let store = dulae::store::Store::open(&path).unwrap();
        School::on(dulae::app::App::with_clock(store, test_config(), clock.clone()).unwrap(), clock)
    };
    let teacher;
    let on_screen;
    {
        let s = open();
        dulae::roster::import(&s.app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
            .unwrap();
        teacher = teacher_of(&s, 10, &["ป.4/1"]).into_sender();
        open_student(&s, &teacher, "screen", "สมชาย");
        on_screen = say(&s, &teacher, text("2.0"));
    }
    // The server restarts; the teacher taps a button of the message that was on the phone.
    let s = open();
    let choice = buttons(&on_screen).into_iter().find(|(_, d)| d.contains(":c:")).unwrap().1;
    let replies = say(&s, &teacher, press(&choice, 1));
    assert!(texts(&replies).contains("ข้อ 3/"), "continues exactly where it was: {}", texts(&replies));
    let replies = complete_form(&s, &teacher, &[], 80);
    assert!(texts(&replies).contains("✅ บันทึกผลคัดกรอง"));
}

#[test]
fn a_home_visit_with_household_location_and_photos() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let first = open_student(&s, &teacher, "visit", "สมชาย");
    assert!(texts(&first).contains("ข้อ 1/"), "{}", texts(&first));
    let answers: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut last = first;
    let mut all = last.clone();
    let mut members_added = 0;
    let mut photos_sent = 0;
    for _ in 0..150 {
        let shown = texts(&last);
        let event = if last.iter().any(|r| matches!(r, Reply::AskLocation { .. })) {
            Event::Location { latitude: 6.4, longitude: 101.8 }
        } else if shown.contains("ส่งรูป") && photos_sent < 2 {
            photos_sent += 1;
            Event::Photo { file_id: format!("photo-{photos_sent}"), file_unique_id: format!("u{photos_sent}") }
        } else if let Some(add) =
            buttons(&last).into_iter().find(|(t, _)| t.contains("เพิ่มอีก")).filter(|_| members_added < 1)
        {
            members_added += 1;
            press(&add.1, 1)
        } else {
            match next_action(&last, &answers) {
                Some(e) => e,
                None => break,
            }
        };
        last = say(&s, &teacher, event);
        all.extend(last.clone());
        if texts(&last).contains("✅ บันทึก") {
            break;
        }
    }
    let result = texts(&all);
    assert!(result.contains("✅ บันทึก"), "{result}");
    assert!(result.contains("รูปภาพ 2 รูป"), "{result}");
    let answers: String = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT answers FROM submissions WHERE form_kind = 'home_visit'", [], |r| r.get(0))?))
        .unwrap();
    let answers: serde_json::Value = serde_json::from_str(&answers).unwrap();
    let text = answers.to_string();
    assert!(text.contains("6.4") && text.contains("101.8"), "location kept: {text}");
    assert!(text.contains("photo-1") && text.contains("photo-2"), "photo file ids kept: {text}");
    assert_eq!(count(&s, "SELECT count(*) FROM photos WHERE local_path IS NULL"), 2, "queued for download");
    // The household repeat holds two members (the first, then one more).
    let household = answers
        .as_object()
        .unwrap()
        .values()
        .find_map(|v| (v["type"] == "repeat").then(|| v["value"].as_array().map(|a| a.len()).unwrap_or(0)));
    assert_eq!(household, Some(2), "{text}");
}

#[test]
fn student_information_follows_the_policy_and_is_audited() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "screen", "สมชาย");
    complete_form(&s, &teacher, &[("gpa", "0.8")], 80);
    let view = open_student(&s, &teacher, "student", "สมชาย");
    let shown = texts(&view);
    assert!(shown.contains("คัดกรองล่าสุด ภาคเรียน 2/2569") && shown.contains("มีปัญหา"), "{shown}");
    assert!(shown.contains("ยังไม่มีบันทึกการเยี่ยมบ้าน"), "{shown}");
    assert_eq!(count(&s, "SELECT count(*) FROM audit_log WHERE action = 'care.view'"), 1);

    // The counsellor sees every class; the list shows the screening group.
    let counselor = s.person(20, "ครูแนะแนว").join_as(Role::Counselor, &[]);
    let classes = say(&s, &counselor, command("student", ""));
    let list = say(&s, &counselor, press(&button_data(&classes, "ป.4/1"), 1));
    assert!(buttons(&list).iter().any(|(t, _)| t.starts_with("🔴") && t.contains("สมชาย")), "{:?}", buttons(&list));

    // Admins and parents do not get care data at all.
    let admin = s.person(30, "Admin").join_as(Role::Admin, &[]);
    assert!(texts(&say(&s, &admin, command("student", ""))).contains("ไม่มีคำสั่งนี้"));
    assert!(texts(&say(&s, &admin, command("screen", ""))).contains("ไม่มีคำสั่งนี้"));
}

#[test]
fn another_command_leaves_the_form_and_keeps_the_draft() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "screen", "สมชาย");
    say(&s, &teacher, text("2.0"));
    let replies = say(&s, &teacher, command("visit", ""));
    assert!(texts(&replies).contains("เก็บเป็นแบบร่าง"), "{}", texts(&replies));
    assert_eq!(count(&s, "SELECT count(*) FROM form_drafts"), 1);
    // /cancel inside a form asks first.
    open_student(&s, &teacher, "screen", "สมหญิง");
    let confirm = say(&s, &teacher, command("cancel", ""));
    assert!(texts(&confirm).contains("ยกเลิกแบบฟอร์มนี้ใช่ไหม"), "{}", texts(&confirm));
    let done = say(&s, &teacher, press(&button_data(&confirm, "ยกเลิกแบบฟอร์ม"), 1));
    assert!(texts(&done).contains("ยกเลิกแบบฟอร์มแล้ว"));
}

/// Answer the open form with the usual defaults until `stop` says the last replies are the screen wanted.
fn walk_until(s: &School, who: &dulae::conversation::Sender, stop: impl Fn(&[Reply]) -> bool) -> Vec<Reply> {
    let answers = std::collections::HashMap::from([("gpa", "2.5")]);
    let mut last = say(s, who, Event::Text(String::new()));
    for _ in 0..60 {
        if stop(&last) {
            return last;
        }
        let event = next_action(&last, &answers).expect("a next step");
        last = say(s, who, event);
    }
    panic!("never reached the screen: {}", texts(&last));
}

fn is_multi(replies: &[Reply]) -> bool {
    buttons(replies).iter().any(|(t, _)| t.starts_with("⬜"))
}

#[test]
fn a_double_tap_on_a_box_changes_it_once() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "screen", "สมชาย");
    let multi = walk_until(&s, &teacher, is_multi);
    let (label, data) = buttons(&multi).into_iter().find(|(t, _)| t.starts_with("⬜")).expect("a box");
    let name = label.trim_start_matches("⬜ ").to_string();
    // Two taps on the same button before the message is redrawn: one tick.
    let first = say(&s, &teacher, press(&data, 1));
    let second = say(&s, &teacher, press(&data, 1));
    for replies in [&first, &second] {
        assert!(buttons(replies).iter().any(|(t, _)| *t == format!("☑️ {name}")), "{:?}", buttons(replies));
    }
    // Its redrawn button unticks, once, however often it is pressed.
    let untick = button_data(&second, &format!("☑️ {name}"));
    say(&s, &teacher, press(&untick, 1));
    let again = say(&s, &teacher, press(&untick, 1));
    assert!(buttons(&again).iter().any(|(t, _)| *t == format!("⬜ {name}")), "{:?}", buttons(&again));
}

#[test]
fn a_button_left_behind_by_a_moved_step_shows_the_current_question() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "screen", "สมชาย");
    let q2 = say(&s, &teacher, text("2.5"));
    // After a typed answer the next question is sent anew, as the chat's one live question (the transport takes
    // the buttons off the copy above).
    assert!(q2.iter().any(|r| matches!(r, Reply::Question { message_id: None, .. })), "{q2:?}");
    let choice = buttons(&q2).into_iter().find(|(_, d)| d.contains(":c:")).map(|(_, d)| d).expect("a choice");
    let q3 = say(&s, &teacher, press(&choice, 7));
    assert!(texts(&q3).contains("ข้อ 3/"), "{}", texts(&q3));
    // The same message's old button again (as after a crash between saving and redrawing): no dead end, the
    // message shows question 3, and the answer to question 2 stays as it was.
    let redrawn = say(&s, &teacher, press(&choice, 7));
    assert!(
        redrawn
            .iter()
            .any(|r| matches!(r, Reply::Question { message_id: Some(7), text, .. } if text.contains("ข้อ 3/"))),
        "{redrawn:?}"
    );
    assert!(
        redrawn.iter().any(|r| matches!(r, Reply::AnswerButton { text: Some(t), .. } if t.contains("ข้อปัจจุบัน"))),
        "{redrawn:?}"
    );
    assert_eq!(redrawn.iter().filter(|r| matches!(r, Reply::AnswerButton { .. })).count(), 1);
}

#[test]
fn leaving_a_visit_at_the_location_step_takes_the_location_keyboard_away() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "visit", "สมชาย");
    walk_until(&s, &teacher, |r| r.iter().any(|r| matches!(r, Reply::AskLocation { .. })));
    let left = say(&s, &teacher, command("screen", ""));
    assert!(
        matches!(&left[0], Reply::RemoveKeyboard { text } if text.contains("แบบร่าง")),
        "the first reply removes the keyboard: {left:?}"
    );
    assert_eq!(count(&s, "SELECT count(*) FROM form_drafts"), 1, "the draft is kept");
}

#[test]
fn an_album_of_photos_gets_one_acknowledgement() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    open_student(&s, &teacher, "visit", "สมชาย");
    walk_until(&s, &teacher, |r| texts(r).contains("ส่งรูป"));
    let photo = |n: usize, album: &str| {
        let mut incoming = private(
            &teacher,
            Event::Photo { file_id: format!("album-photo-{album}-{n}"), file_unique_id: format!("u-{album}-{n}") },
        );
        incoming.album = Some(album.to_string());
        dulae::conversation::handle(&s.app, &incoming).expect("handled")
    };
    let first = photo(1, "g1");
    assert!(texts(&first).contains("ส่งแล้ว 1/"), "the first photo is acknowledged: {}", texts(&first));
    for n in 2..=3 {
        let quiet = photo(n, "g1");
        assert!(!quiet.iter().any(|r| matches!(r, Reply::Send { .. } | Reply::Edit { .. })), "{quiet:?}");
    }
    let drafts: String =
        s.app.store.read(|c| Ok(c.query_row("SELECT session FROM form_drafts", [], |r| r.get(0))?)).unwrap();
    for n in 1..=3 {
        assert!(drafts.contains(&format!("album-photo-g1-{n}")), "photo {n} is kept: {drafts}");
    }
    // The next album is acknowledged again, with the count so far.
    let next = photo(1, "g2");
    assert!(texts(&next).contains("ส่งแล้ว 4/"), "{}", texts(&next));
}
