//! The referral chain end to end through the mock Bot API: a teacher refers from a screening result, the
//! counsellor opens the notification's button and accepts, adds a plan action; the reminder's "done" button
//! finishes it and no reminder follows. Several people in one dispatcher, as in a real school.

use crate::common;

use common::*;
use dulae::conversation::Event;
use dulae::domain::Role;
use std::collections::HashMap;
use std::sync::Arc;
use teloxide::types::InlineKeyboardButtonKind;
const TEACHER: u64 = 7001;
const COUNSELOR: u64 = 7002;

#[tokio::test]
async fn refer_accept_plan_remind_done_and_silence() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(dulae::clock::FixedClock::new(start_time()));
    let store = dulae::store::Store::open(&dir.path().join("school.db")).unwrap();
    let app = Arc::new(dulae::app::App::with_clock(store, test_config(), clock.clone()).unwrap());
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    let mut s = Phones::new(app.clone(), &[(TEACHER, "ครูสมศรี"), (COUNSELOR, "ครูใจดี")]);
    s.join_as(TEACHER, Role::Teacher, &["ป.4/1"]).await;
    s.join_as(COUNSELOR, Role::Counselor, &[]).await;

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
    clock.set(due_morning);
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
        clock.set(due_morning + chrono::Duration::days(days));
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
