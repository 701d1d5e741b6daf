//! Referral to closed case through the conversation: refer from a screening result → the owner is notified
//! (without names) → accepts → the teacher is told → a plan with an action → reminders → done → no more.

use crate::common;

use common::*;
use dulae::conversation::Reply;
use dulae::domain::Role;

struct People<'s> {
    teacher: Person<'s>,
    counselor: Person<'s>,
    head: Person<'s>,
}

/// Telegram ids 1, 2 and 3, in the order they join.
fn people(s: &School) -> People<'_> {
    People {
        teacher: s.join_as(Role::Teacher, "ครูสมศรี", &["ป.4/1"]),
        counselor: s.join_as(Role::Counselor, "ครูใจดี แนะแนว", &[]),
        head: s.join_as(Role::Head, "หัวหน้า", &[]),
    }
}

fn refer_from_screening(s: &School, p: &People, urgency_label: &str) -> i64 {
    p.teacher.command("screen", "");
    p.teacher.press_label("สมชาย");
    let result = complete_form(s, &p.teacher, &[("gpa", "0.5"), ("income", "above_10000")], 80);
    let refer = button_data(&result, "ส่งต่อ");
    let aspects = say(s, &p.teacher, press(&refer, 7));
    assert!(
        buttons(&aspects).iter().any(|(t, _)| t.starts_with("☑️") && t.contains("การเรียน")),
        "pre-ticked from the result"
    );
    let reason = say(s, &p.teacher, press(&button_data(&aspects, "เสร็จ"), 7));
    assert!(texts(&reason).contains("เล่าสิ่งที่คุณครูพบ"));
    // A sticker instead of the description: explained, asked again.
    let again = say(s, &p.teacher, dulae::conversation::Event::Media(dulae::conversation::MediaKind::Sticker));
    assert!(texts(&again).contains("พิมพ์สิ่งที่พบ"));
    let photo = p.teacher.send_text("ไม่ส่งการบ้านสามสัปดาห์ ดูเหนื่อยและง่วงในห้อง");
    let urgency = say(s, &p.teacher, press(&button_data(&photo, "ข้าม"), 7));
    let target = say(s, &p.teacher, press(&button_data(&urgency, urgency_label), 7));
    let confirm = say(s, &p.teacher, press(&button_data(&target, "ครูใจดี"), 7));
    assert!(texts(&confirm).contains("ไม่ส่งการบ้าน") && texts(&confirm).contains("ครูใจดี"), "{}", texts(&confirm));
    let done = say(s, &p.teacher, press(&button_data(&confirm, "ยืนยันส่งต่อ"), 7));
    let all = texts(&done);
    assert!(all.contains("เรื่องที่ #"), "{all}");
    all.split("#").nth(1).and_then(|t| t.split(')').next()).and_then(|n| n.parse().ok()).unwrap()
}

#[test]
fn from_referral_to_a_done_action_and_silence() {
    let s = School::with_roster();
    let p = people(&s);
    let case = refer_from_screening(&s, &p, "ด่วน");

    // The counsellor is notified at once, without the student's name.
    let notes = s.outbox_of(2);
    let (notice, notice_buttons) = notes.last().unwrap();
    assert!(notice.contains("มีการส่งต่อใหม่ 1 เรื่อง · ด่วน"), "{notice}");
    let open = notice_buttons[0].1.clone();

    // Opening shows the details to the owner, with accept.
    let screen = say(&s, &p.counselor, press(&open, 100));
    let shown = texts(&screen);
    assert!(shown.contains("ด.ช.สมชาย ใจดี") && shown.contains("ไม่ส่งการบ้าน"), "{shown}");
    let accepted = say(&s, &p.counselor, press(&button_data(&screen, "รับเรื่อง"), 100));
    assert!(texts(&accepted).contains("รับเรื่องแล้ว"), "{}", texts(&accepted));
    // The referring teacher hears about it.
    assert!(s.outbox_of(1).iter().any(|(t, _)| t.contains(&format!("#{case}")) && t.contains("ได้รับเรื่องแล้ว")));

    // A goal and an action, typed and chosen with buttons.
    let ask = say(&s, &p.counselor, press(&button_data(&accepted, "เป้าหมายแผน"), 100));
    assert!(texts(&ask).contains("เป้าหมาย"));
    let with_goal = say(&s, &p.counselor, text("ส่งงานครบและมาเรียนสม่ำเสมอ"));
    let ask_review = say(&s, &p.counselor, press(&button_data(&with_goal, "วันทบทวนแผน"), 101));
    let reviewed = say(&s, &p.counselor, press(&button_data(&ask_review, "26 ธ.ค. 2569"), 101));
    assert!(texts(&reviewed).contains("ทบทวนแผน: 26 ธ.ค. 2569"), "{}", texts(&reviewed));
    let screen = say(&s, &p.counselor, press(&open, 101));
    let ask = say(&s, &p.counselor, press(&button_data(&screen, "เพิ่มกิจกรรม"), 101));
    assert!(texts(&ask).contains("กิจกรรม"));
    let who = say(&s, &p.counselor, text("เยี่ยมบ้านร่วมกับครูที่ปรึกษา"));
    let when = say(&s, &p.counselor, press(&button_data(&who, "ครูสมศรี"), 102));
    let saved = say(&s, &p.counselor, text("3/12/2569"));
    assert!(texts(&saved).contains("บันทึกแล้ว") && texts(&saved).contains("เยี่ยมบ้านร่วมกับครูที่ปรึกษา"), "{}", texts(&saved));
    let _ = when;

    // The teacher is told about the action (no names) and sees it in /plans.
    assert!(s.outbox_of(1).iter().any(|(t, _)| t.contains("ได้รับมอบหมายกิจกรรม")));
    let plans = say(&s, &p.teacher, command("plans", ""));
    assert!(
        texts(&plans).contains("เยี่ยมบ้านร่วมกับครูที่ปรึกษา") && texts(&plans).contains("3 ธ.ค. 2569"),
        "{}",
        texts(&plans)
    );

    // Reminders: 1 day before (Wed 2 Dec 08:00).
    let at = dulae::care::schedule::local_instant(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    );
    s.clock.set(at);
    let pass = dulae::notify::reminders::run_due(&s.app.store, &s.app.l10n, &s.app.config.reminders, at).unwrap();
    assert!(pass.sent >= 1, "{pass:?}");
    let (reminder, reminder_buttons) = s.outbox_of(1).last().unwrap().clone();
    assert!(reminder.contains("อีก 1 วัน"), "{reminder}");
    let done_button = reminder_buttons.iter().find(|(t, _)| t.contains("เสร็จแล้ว")).unwrap().1.clone();
    let ask_note = say(&s, &p.teacher, press(&done_button, 200));
    assert!(texts(&ask_note).contains("บันทึกสั้น ๆ"));
    let finished = say(&s, &p.teacher, text("ไปเยี่ยมแล้ว ผู้ปกครองให้ความร่วมมือดี"));
    assert!(texts(&finished).contains("บันทึกแล้ว"), "{}", texts(&finished));

    // No more reminders for it.
    let count_before = s.outbox_of(1).len();
    for day in 3..=10 {
        let at = dulae::care::schedule::local_instant(
            chrono::NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
            chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        );
        dulae::notify::reminders::run_due(&s.app.store, &s.app.l10n, &s.app.config.reminders, at).unwrap();
    }
    assert_eq!(s.outbox_of(1).len(), count_before);

    // Closing tells the teacher, with the outcome behind the button (the return slip).
    let screen = say(&s, &p.counselor, press(&open, 103));
    say(&s, &p.counselor, press(&button_data(&screen, "ปิดเรื่อง"), 103));
    say(&s, &p.counselor, text("นักเรียนส่งงานครบแล้ว ผู้ปกครองดูแลใกล้ชิดขึ้น"));
    let (closed, closed_buttons) = s.outbox_of(1).last().unwrap().clone();
    assert!(closed.contains("ปิดแล้ว"), "{closed}");
    let slip = say(&s, &p.teacher, press(&closed_buttons[0].1, 300));
    assert!(texts(&slip).contains("ผู้ปกครองดูแลใกล้ชิดขึ้น"), "{}", texts(&slip));

    // The chronology has every step, and no notification ever carried the student's name.
    let history = say(
        &s,
        &p.counselor,
        press(
            &dulae::conversation::buttons::ButtonData::Case {
                id: dulae::domain::ids::CaseId(case),
                action: dulae::conversation::buttons::CaseAction::History,
            }
            .encode(),
            104,
        ),
    );
    for step in ["ส่งต่อ", "รับเรื่อง", "เป้าหมายแผน", "เพิ่มกิจกรรม", "กิจกรรมเสร็จ", "ปิดเรื่อง"]
    {
        assert!(texts(&history).contains(step), "{step}: {}", texts(&history));
    }
    let all: Vec<String> = s
        .app
        .store
        .read(|c| {
            let mut stmt = c.prepare("SELECT text FROM outbox")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .unwrap();
    assert!(all.len() >= 5, "{all:?}");
    for t in all {
        for name in ["สมชาย", "ใจดี ", "10001", "การบ้าน"] {
            assert!(!t.contains(name), "a notification carried {name:?}: {t}");
        }
    }
    let _ = p.head;
}

#[test]
fn a_teacher_cannot_open_a_case_they_do_not_watch() {
    let s = School::with_roster();
    let p = people(&s);
    let case = refer_from_screening(&s, &p, "ปกติ");
    let other = s.person(9, "ครูอื่น").join_as(Role::Teacher, &["ป.4/2"]);
    let open = dulae::conversation::buttons::ButtonData::Case {
        id: dulae::domain::ids::CaseId(case),
        action: dulae::conversation::buttons::CaseAction::Open,
    };
    let replies = say(&s, &other, press(&open.encode(), 1));
    assert!(matches!(&replies[..], [Reply::AnswerButton { alert: true, .. }]), "{replies:?}");
    assert!(!texts(&replies).contains("สมชาย"));
    assert!(texts(&say(&s, &other, command("cases", ""))).contains("ไม่มีเรื่อง"));
    // The head sees every open case.
    assert!(texts(&say(&s, &p.head, command("cases", ""))).contains("เรื่องที่เปิดอยู่ 1 เรื่อง"));
}

#[test]
fn a_stale_accept_button_after_reassignment_is_refused() {
    let s = School::with_roster();
    let p = people(&s);
    let case = refer_from_screening(&s, &p, "ด่วนมาก");
    let head_alert = s.outbox_of(3);
    assert!(head_alert.iter().any(|(t, _)| t.contains("ด่วนมาก")), "the head is alerted at once: {head_alert:?}");
    let screen = say(&s, &p.counselor, press(&s.outbox_of(2).last().unwrap().1[0].1, 1));
    let accept = button_data(&screen, "รับเรื่อง");
    let hand = say(&s, &p.counselor, press(&button_data(&screen, "ส่งให้ผู้อื่น"), 1));
    let handed = say(&s, &p.counselor, press(&button_data(&hand, "หัวหน้า"), 1));
    assert!(texts(&handed).contains(&format!("#{case}")));
    // The old owner presses the accept button still on their phone.
    let replies = say(&s, &p.counselor, press(&accept, 1));
    assert!(texts(&replies).contains("เฉพาะผู้รับผิดชอบ"), "{replies:?}");
    // The new owner can accept.
    let screen = say(&s, &p.head, press(&s.outbox_of(3).last().unwrap().1[0].1, 2));
    let accepted = say(&s, &p.head, press(&button_data(&screen, "รับเรื่อง"), 2));
    assert!(texts(&accepted).contains("รับเรื่องแล้ว"));
}

#[test]
fn a_crash_between_commit_and_send_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let make = || {
        let clock = std::sync::Arc::new(dulae::clock::FixedClock::new(start_time()));
        let store = dulae::store::Store::open(&path).unwrap();
        School::on(dulae::app::App::with_clock(store, test_config(), clock.clone()).unwrap(), clock)
    };
    {
        let s = make();
        dulae::roster::import(&s.app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
            .unwrap();
        let p = people(&s);
        refer_from_screening(&s, &p, "ด่วน");
        // The process dies here: nothing was sent yet.
    }
    let s = make();
    let due = s.app.store.read(|c| dulae::notify::outbox::due(c, start_time(), 100)).unwrap();
    assert!(due.iter().any(|q| q.text.contains("มีการส่งต่อใหม่")), "{due:?}");
}

#[test]
fn a_database_fault_at_a_referral_press_is_a_fault_not_a_stale_button() {
    let s = School::with_roster();
    let p = people(&s);
    let list = say(&s, &p.teacher, command("screen", ""));
    say(&s, &p.teacher, press(&button_data(&list, "สมชาย"), 1));
    let result = complete_form(&s, &p.teacher, &[("gpa", "0.5"), ("income", "above_10000")], 80);
    let refer = button_data(&result, "ส่งต่อ");
    let stale = s.app.l10n.tr(dulae::l10n::Lang::Th).get("stale-button");

    // The table the press reads is gone (a broken file, a failed migration): the update fails with its cause, so
    // the transport logs it and apologises — the teacher is not told the button is old.
    s.app.store.write(|tx| Ok(tx.execute_batch("ALTER TABLE submissions RENAME TO submissions_broken")?)).unwrap();
    let fault = dulae::conversation::handle(&s.app, &private(&p.teacher, press(&refer, 7)));
    let error = match fault {
        Ok(replies) => panic!("a database fault was answered as if nothing was wrong: {}", texts(&replies)),
        Err(e) => format!("{e:#}"),
    };
    assert!(error.contains("submission") && error.contains("no such table"), "{error}");

    // With the table back, the same press starts the referral; a submission that does not exist is a stale button.
    s.app.store.write(|tx| Ok(tx.execute_batch("ALTER TABLE submissions_broken RENAME TO submissions")?)).unwrap();
    let aspects = say(&s, &p.teacher, press(&refer, 7));
    assert!(texts(&aspects).contains("ส่งต่อ") && !texts(&aspects).contains(&stale), "{}", texts(&aspects));
    let gone = dulae::conversation::buttons::ButtonData::Refer(dulae::domain::ids::SubmissionId(9999)).encode();
    let replies = say(&s, &p.teacher, press(&gone, 8));
    assert_eq!(texts(&replies), stale);
}
