//! Announcements in the chat and their delivery: /announce preview → confirm → one outbox row per recipient,
//! progress and the final report, "รับทราบ", scheduling, a teacher's reach, restarts mid-broadcast.

use crate::common;

use chrono::Duration as ChronoDuration;
use common::outbox::*;
use common::*;
use dulae::announce::progress::ProgressReporter;
use dulae::app::App;
use dulae::conversation::{self, Event, Reply, Sender};
use dulae::domain::{Role, UserId};
use dulae::notify::sender::{DeliveryError, Limits};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

fn talk(app: &App, who: &Sender, event: Event) -> Vec<Reply> {
    conversation::handle(app, &private(who, event)).expect("handled")
}

struct World {
    app: Arc<App>,
    clock: Arc<dulae::clock::FixedClock>,
    head: Sender,
    teacher: Sender,
    parents: Vec<UserId>,
}

/// A head, a teacher of ป.4/1, and three parents: 101 (10001 in ป.4/1 and 10003 in ป.4/2), 102 (10002, ป.4/1),
/// 103 (10003, ป.4/2).
fn world() -> World {
    let s = School::with_roster();
    let head_code = invite_code(&s, Role::Head, &[], None);
    let teacher_code = invite_code(&s, Role::Teacher, &["ป.4/1"], Some("ครูสมศรี"));
    let clock = s.clock.clone();
    let app = Arc::new(s.app);
    let head = person(900, "หัวหน้างาน");
    let teacher = person(901, "ครูสมศรี");
    talk(&app, &head, command("start", &head_code));
    talk(&app, &teacher, command("start", &teacher_code));
    let p1 = join_parent(&app, 101, "10001");
    assert_eq!(join_parent(&app, 101, "10003"), p1, "one account, two children");
    let p2 = join_parent(&app, 102, "10002");
    let p3 = join_parent(&app, 103, "10003");
    World { app, clock, head, teacher, parents: vec![p1, p2, p3] }
}

/// chat, status, kind, dedupe key, priority, announcement id.
type OutboxRow = (i64, String, String, Option<String>, i64, Option<dulae::domain::ids::AnnouncementId>);

fn outbox_rows(app: &App) -> Vec<OutboxRow> {
    app.store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT chat_id, status, kind, dedupe_key, priority, announcement_id FROM outbox ORDER BY chat_id",
            )?;
            let rows =
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .unwrap()
}

/// Write an announcement to all parents as the head, up to the preview. Returns the preview replies.
fn head_preview(w: &World, text: &str) -> Vec<Reply> {
    let start = talk(&w.app, &w.head, command("announce", ""));
    let all = button_data(&start, "ผู้ปกครองทั้งโรงเรียน");
    let ask = talk(&w.app, &w.head, press(&all, 500));
    assert!(texts(&ask).contains("พิมพ์ข้อความประกาศ"), "{}", texts(&ask));
    let media = talk(&w.app, &w.head, common::text(text));
    assert!(texts(&media).contains("แนบรูป"), "{}", texts(&media));
    talk(&w.app, &w.head, press(&button_data(&media, "ไม่แนบ"), 500))
}

#[tokio::test]
async fn preview_confirm_writes_one_outbox_row_per_parent_and_the_report_follows() {
    let w = world();
    let preview = head_preview(&w, "พรุ่งนี้หยุดเรียน 1 วันค่ะ");
    let shown = texts(&preview);
    assert!(shown.contains("ผู้ปกครองทั้งโรงเรียน (3 คน)"), "{shown}");
    assert!(shown.contains("พรุ่งนี้หยุดเรียน"), "{shown}");
    assert!(outbox_rows(&w.app).is_empty(), "nothing is written before confirming");

    let send = button_data(&preview, "ยืนยันส่งเลย");
    let confirmed = talk(&w.app, &w.head, press(&send, 500));
    assert!(texts(&confirmed).contains("ส่งแล้ว 0/3"), "{}", texts(&confirmed));
    // A double tap changes nothing.
    let again = talk(&w.app, &w.head, press(&send, 500));
    assert!(texts(&again).contains("ปุ่มนี้เก่าแล้ว"), "{}", texts(&again));

    let rows = outbox_rows(&w.app);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let id = rows[0].5.expect("announcement id");
    for (i, (chat, status, kind, key, priority, announcement)) in rows.iter().enumerate() {
        assert_eq!(*chat, 101 + i as i64);
        assert_eq!((status.as_str(), kind.as_str(), *priority, *announcement), ("pending", "text", 20, Some(id)));
        assert_eq!(key.as_deref(), Some(format!("announce:{id}:user:{}", w.parents[i].0).as_str()));
    }

    // Deliver: 102 blocked the bot.
    let api = MockApi::new(w.clock.clone());
    api.script(102, vec![], Err(DeliveryError::Blocked("Forbidden: bot was blocked by the user".into())));
    let progress = Arc::new(ProgressReporter::new(w.app.clone()));
    drain(w.app.clone(), w.clock.clone(), api.clone(), test_limits(), None, Some(progress)).await;
    let edits = api.edits.lock().unwrap().clone();
    let report = edits.last().expect("the final report");
    assert_eq!((report.chat_id, report.message_id), (900, 500), "the preview message becomes the report");
    assert!(report.text.contains("ส่งถึง: 2 คน"), "{}", report.text);
    assert!(report.text.contains("บล็อกบอท: 1 คน"), "{}", report.text);
    assert!(report.text.contains("ส่งไม่สำเร็จ: 0 คน"), "{}", report.text);

    // Who did not receive it: the parent's name and the child's class, to phone them.
    let missing = report.keyboard.0.concat().into_iter().find(|b| b.text.contains("ส่งไม่ถึง")).expect("button");
    let list = texts(&talk(&w.app, &w.head, press(&missing.data, 500)));
    assert!(list.contains("ผู้ปกครอง 102") && list.contains("ด.ญ.สมหญิง รักเรียน (ป.4/1)"), "{list}");
    assert!(!list.contains("ผู้ปกครอง 101"), "{list}");

    // A parent acknowledges (once); the head sees who has not.
    let parent = person(101, "ผู้ปกครอง 101");
    let ack = dulae::conversation::announce_flow::AnnButton::Ack(id).data();
    assert!(texts(&talk(&w.app, &parent, press(&ack, 77))).contains("รับทราบแล้ว"));
    assert!(texts(&talk(&w.app, &parent, press(&ack, 77))).contains("ไว้แล้ว"));
    let not_acked = report.keyboard.0.concat().into_iter().find(|b| b.text.contains("ยังไม่รับทราบ")).expect("button");
    let list = texts(&talk(&w.app, &w.head, press(&not_acked.data, 500)));
    assert!(list.contains("รับทราบแล้ว 1 จาก 3 คน"), "{list}");
    assert!(list.contains("ผู้ปกครอง 102") && list.contains("ผู้ปกครอง 103") && !list.contains("ผู้ปกครอง 101"), "{list}");

    // The report's buttons are the sender's: a parent pressing a forged one learns nothing.
    let forged = texts(&talk(&w.app, &parent, press(&not_acked.data, 500)));
    assert!(!forged.contains("ผู้ปกครอง 102"), "{forged}");
    // And only a recipient can acknowledge.
    let stranger = person(4242, "ไม่รู้จัก");
    assert!(!texts(&talk(&w.app, &stranger, press(&ack, 1))).contains("รับทราบแล้ว"));

    // The parent's past announcements.
    let news = texts(&talk(&w.app, &parent, command("news", "")));
    assert!(news.contains("พรุ่งนี้หยุดเรียน") && news.contains("รับทราบแล้ว"), "{news}");
}

#[tokio::test]
async fn a_teacher_reaches_only_the_parents_of_their_own_class() {
    let w = world();
    let start = talk(&w.app, &w.teacher, command("announce", ""));
    // One class: straight to the text.
    assert!(texts(&start).contains("ผู้ปกครอง ป.4/1"), "{}", texts(&start));
    talk(&w.app, &w.teacher, common::text("ประชุมผู้ปกครองวันศุกร์ค่ะ"));
    let media = talk(&w.app, &w.teacher, common::text("ignored")); // still asking for media: a text is refused
    assert!(texts(&media).contains("ปุ่ม"), "{}", texts(&media));
    let preview = talk(&w.app, &w.teacher, press(&button_data(&media, "ไม่แนบ"), 9));
    assert!(texts(&preview).contains("(2 คน)"), "{}", texts(&preview));
    talk(&w.app, &w.teacher, press(&button_data(&preview, "ยืนยันส่งเลย"), 9));
    let chats: Vec<i64> = outbox_rows(&w.app).iter().map(|r| r.0).collect();
    assert_eq!(chats, [101, 102], "103's child is in ป.4/2");

    // A forged button for another class or for all parents is refused.
    let again = talk(&w.app, &w.teacher, command("announce", ""));
    let nonce_button = buttons(&again).into_iter().next().expect("cancel button").1;
    let nonce = nonce_button.split(':').nth(3).expect("nonce").to_string();
    for forged in [format!("1:an:f:{nonce}:ap"), format!("1:an:f:{nonce}:as"), format!("1:an:f:{nonce}:c:2")] {
        let r = talk(&w.app, &w.teacher, press(&forged, 9));
        assert!(texts(&r).contains("ปุ่มนี้เก่าแล้ว"), "{forged}: {}", texts(&r));
    }
    // Parents and the counsellor cannot announce at all.
    let parent = person(101, "ผู้ปกครอง");
    assert!(texts(&talk(&w.app, &parent, command("announce", ""))).contains("ไม่มีคำสั่งนี้"));
}

#[tokio::test]
async fn a_scheduled_announcement_with_a_photo_goes_out_at_its_time() {
    let w = world();
    let start = talk(&w.app, &w.head, command("announce", ""));
    let grade = talk(&w.app, &w.head, press(&button_data(&start, "สายชั้น"), 5));
    talk(&w.app, &w.head, press(&button_data(&grade, "ป.4"), 5));
    talk(&w.app, &w.head, common::text("ตารางสอบปลายภาคค่ะ"));
    let preview = talk(&w.app, &w.head, Event::Photo { file_id: "PHOTO-FILE-ID".into(), file_unique_id: "u1".into() });
    assert!(texts(&preview).contains("รูป 1 รูป"), "{}", texts(&preview));
    let ask = talk(&w.app, &w.head, press(&button_data(&preview, "ตั้งเวลาส่ง"), 5));
    assert!(texts(&ask).contains("24/11/2569 08:00"), "{}", texts(&ask));
    // In the past: refused. Then the Christian era works as well (27 Nov 2026 08:00 Bangkok).
    assert!(texts(&talk(&w.app, &w.head, common::text("1/1/2569 08:00"))).contains("ผ่านไปแล้ว"));
    let preview = talk(&w.app, &w.head, common::text("27/11/2026 08:00"));
    assert!(texts(&preview).contains("27 พ.ย. 2569 08:00"), "{}", texts(&preview));
    let done = talk(&w.app, &w.head, press(&button_data(&preview, "ยืนยันตั้งเวลาส่ง"), 5));
    assert!(texts(&done).contains("ตั้งเวลาส่งแล้ว"), "{}", texts(&done));
    let rows = outbox_rows(&w.app);
    assert_eq!(rows.len(), 3, "all of ป.4: {rows:?}");
    assert!(rows.iter().all(|r| r.2 == "photo"));

    let api = MockApi::new(w.clock.clone());
    drain(w.app.clone(), w.clock.clone(), api.clone(), test_limits(), None, None).await;
    let calls = api.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 3);
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 27, 1, 0, 0).unwrap();
    assert!(calls.iter().all(|(_, _, t)| *t >= at), "{calls:?}");
}

#[tokio::test]
async fn a_scheduled_announcement_can_be_cancelled_before_it_starts() {
    let w = world();
    let preview = head_preview(&w, "ทดสอบยกเลิก");
    talk(&w.app, &w.head, press(&button_data(&preview, "ตั้งเวลาส่ง"), 5));
    let preview = talk(&w.app, &w.head, common::text("28/11/2569 9.30"));
    let done = talk(&w.app, &w.head, press(&button_data(&preview, "ยืนยันตั้งเวลาส่ง"), 5));
    let cancelled = talk(&w.app, &w.head, press(&button_data(&done, "ยกเลิกการส่ง"), 5));
    assert!(texts(&cancelled).contains("ยกเลิกการส่งประกาศนี้แล้ว"), "{}", texts(&cancelled));
    let rows = outbox_rows(&w.app);
    assert!(!rows.is_empty(), "the scheduled announcement had recipients");
    assert!(rows.iter().all(|r| r.1 == "cancelled"), "{rows:?}");
}

#[tokio::test]
async fn a_restart_mid_broadcast_continues_where_it_stopped() {
    let w = world();
    let preview = head_preview(&w, "ประกาศยาว");
    talk(&w.app, &w.head, press(&button_data(&preview, "ยืนยันส่งเลย"), 5));
    let api = MockApi::new(w.clock.clone());
    // 429 on the way, and a stop (graceful) after the first delivery.
    api.script(103, vec![Err(DeliveryError::RetryAfter(Duration::from_secs(2)))], Ok(()));
    let (stop, stopped) = watch::channel(false);
    api.stop_after(1, stop);
    let limits = Limits { max_in_flight: 2, ..test_limits() };
    drain(w.app.clone(), w.clock.clone(), api.clone(), limits.clone(), Some(stopped), None).await;
    assert_eq!(api.delivered.lock().unwrap().len(), 1);
    w.clock.advance(ChronoDuration::seconds(30));
    let (_keep, never) = watch::channel(false);
    drain(w.app.clone(), w.clock.clone(), api.clone(), limits, Some(never), None).await;
    let mut chats = api.delivered_chats();
    chats.sort();
    assert_eq!(chats, [101, 102, 103], "everyone once");
}

#[tokio::test]
async fn parents_acknowledge_by_button_or_in_words_and_the_report_keeps_count() {
    use dulae::notify::sender::Progress as _;
    let w = world();
    let preview = head_preview(&w, "พรุ่งนี้หยุดเรียน 1 วันค่ะ\nเนื่องจากเป็นวันหยุดพิเศษ");
    talk(&w.app, &w.head, press(&button_data(&preview, "ยืนยันส่งเลย"), 500));
    let api = MockApi::new(w.clock.clone());
    api.script(102, vec![], Err(DeliveryError::Blocked("Forbidden: bot was blocked by the user".into())));
    let progress = Arc::new(ProgressReporter::new(w.app.clone()));
    drain(w.app.clone(), w.clock.clone(), api.clone(), test_limits(), None, Some(progress.clone())).await;
    let id = outbox_rows(&w.app)[0].5.expect("announcement id");
    let acks = || -> i64 {
        w.app.store.read(|c| Ok(c.query_row("SELECT count(*) FROM announcement_acks", [], |r| r.get(0))?)).unwrap()
    };

    // The button: recorded, and the message's button becomes "✅ รับทราบแล้ว".
    let parent = person(101, "ผู้ปกครอง 101");
    let ack = dulae::conversation::announce_flow::AnnButton::Ack(id).data();
    let replies = talk(&w.app, &parent, press(&ack, 77));
    let marked = replies.iter().find_map(|r| match r {
        Reply::EditButtons { message_id: 77, keyboard } => Some(keyboard.0.concat()),
        _ => None,
    });
    assert_eq!(
        marked.map(|b| b.iter().map(|b| b.text.clone()).collect::<Vec<_>>()),
        Some(vec!["✅ รับทราบแล้ว".to_string()])
    );
    assert_eq!(acks(), 1);

    // In words, as on LINE: the newest announcement not yet acknowledged.
    let words = texts(&talk(&w.app, &person(103, "ผู้ปกครอง 103"), common::text("รับทราบค่ะ 🙏")));
    assert!(words.contains("บันทึกว่ารับทราบประกาศ “พรุ่งนี้หยุดเรียน 1 วันค่ะ”"), "{words}");
    assert_eq!(acks(), 2);
    // Twice is still once; a parent who never received it is told there is nothing to acknowledge.
    let again = texts(&talk(&w.app, &person(103, "ผู้ปกครอง 103"), common::text("ทราบแล้วครับ")));
    assert!(again.contains("ไม่มีประกาศที่รอ"), "{again}");
    let blocked = texts(&talk(&w.app, &person(102, "ผู้ปกครอง 102"), common::text("👍")));
    assert!(blocked.contains("ไม่มีประกาศที่รอ"), "{blocked}");
    assert_eq!(acks(), 2);
    // Other words are not acknowledgements.
    let other = texts(&talk(&w.app, &person(101, "ผู้ปกครอง 101"), common::text("ลูกไม่สบายค่ะ พรุ่งนี้ขอลา")));
    assert!(!other.contains("รับทราบ"), "{other}");
    for (text, ack) in [
        ("รับทราบ", true),
        ("รับทราบครับ", true),
        ("ทราบแล้วค่ะ", true),
        ("👍", true),
        ("รับทราบแล้วนะคะ", true),
        ("ไม่รับทราบ", false),
        ("ขอบคุณ", false),
    ] {
        assert_eq!(dulae::announce::is_acknowledgement(text), ack, "{text}");
    }

    // The sender's report follows the acknowledgements, edited at most once a minute.
    w.clock.advance(ChronoDuration::seconds(61));
    let edits = progress.edits(w.clock.now_utc()).unwrap();
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert!(edits[0].text.contains("รับทราบแล้ว: 2 คน"), "{}", edits[0].text);
    assert_eq!((edits[0].chat_id, edits[0].message_id), (900, 500));
    talk(&w.app, &person(101, "ผู้ปกครอง 101"), press(&ack, 77));
    assert!(progress.edits(w.clock.now_utc()).unwrap().is_empty(), "nothing new");
}
