//! Help in class end to end through the mock Bot API: the homeroom teacher opens help from `/student`, hands it
//! to the counsellor, the counsellor opens the notification and asks a question, and the teacher's "❓"
//! notification opens that question with a button to answer it. Then a class meeting is recorded.

use crate::common;

use common::*;
use dulae::domain::Role;
use std::sync::Arc;

const TEACHER: u64 = 8101;
const COUNSELOR: u64 = 8102;

#[tokio::test]
async fn help_in_class_to_the_counsellor_and_a_question_answered() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(dulae::clock::FixedClock::new(start_time()));
    let store = dulae::store::Store::open(&dir.path().join("school.db")).unwrap();
    let app = Arc::new(dulae::app::App::with_clock(store, test_config(), clock).unwrap());
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    let mut s = Phones::new(app.clone(), &[(TEACHER, "ครูสมศรี"), (COUNSELOR, "ครูใจดี แนะแนว")]);
    s.join_as(TEACHER, Role::Teacher, &["ป.4/1"]).await;
    s.join_as(COUNSELOR, Role::Counselor, &[]).await;

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
