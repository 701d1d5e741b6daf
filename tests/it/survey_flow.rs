//! The satisfaction survey: the head sends it to all parents, a parent answers it in the chat once, and the
//! answers show up in the school's statistics.

use crate::common;

use common::*;
use dulae::conversation::Reply;
use dulae::domain::{Role, TelegramId};
use dulae::store::audit::Actor;

#[test]
fn the_head_sends_the_survey_and_a_parent_answers_once() {
    let s = School::with_roster();
    let head = s.person(1, "หัวหน้า").join_as(Role::Head, &[]);
    let student = s.app.store.read(|c| dulae::store::students::find_student_by_code(c, "10001")).unwrap().unwrap();
    let parent = person(50, "ผู้ปกครอง");
    let code = dulae::invites::create_parent(&s.app.store, Actor::Cli, student.id, 150, s.clock.now_utc()).unwrap();
    say(&s, &parent, command("start", code.code.as_str()));
    let teacher = s.person(2, "ครู").join_as(Role::Teacher, &["ป.4/1"]);
    assert!(texts(&say(&s, &teacher, command("survey", ""))).contains("ไม่มีคำสั่งนี้"), "teachers do not send surveys");

    let choose = say(&s, &head, command("survey", ""));
    assert!(texts(&choose).contains("ส่งแบบประเมินความพึงพอใจให้ใคร"));
    assert!(buttons(&choose).iter().any(|(t, _)| t.contains("ผู้ปกครองทั้งหมด (1 คน)")), "{:?}", buttons(&choose));
    let preview = say(&s, &head, press(&button_data(&choose, "ผู้ปกครองทั้งหมด"), 5));
    assert!(texts(&preview).contains("1 คน"));
    let send = button_data(&preview, "ส่งเลย");
    let sent = say(&s, &head, press(&send, 5));
    assert!(texts(&sent).contains("ส่งแบบประเมินถึงผู้ปกครองทั้งหมด 1 คนแล้ว"), "{}", texts(&sent));
    // A double tap sends nothing more.
    assert!(texts(&say(&s, &head, press(&send, 5))).contains("ไม่ส่งซ้ำ"));
    let rounds: i64 =
        s.app.store.read(|c| Ok(c.query_row("SELECT count(*) FROM survey_rounds", [], |r| r.get(0))?)).unwrap();
    assert_eq!(rounds, 1, "the refused second send left no round behind");

    // The sender delivers the invitation to the parent's chat.
    let invitation = s.drain_outbox().into_iter().rfind(|m| m.chat_id == 50).expect("the parent's invitation").buttons;
    let answer = invitation.iter().find(|(t, _)| t.contains("ตอบแบบประเมิน")).unwrap().1.clone();
    let first = say(&s, &parent, press(&answer, 9));
    assert!(texts(&first).contains("ข้อ 1/"), "{}", texts(&first));
    let replies = complete_form(&s, &parent, &[], 40);
    assert!(texts(&replies).contains("ขอบคุณมากค่ะ"), "{}", texts(&replies));
    let (class, answers): (Option<i64>, String) = s
        .app
        .store
        .read(
            |c| Ok(c.query_row("SELECT class_id, answers FROM survey_responses", [], |r| Ok((r.get(0)?, r.get(1)?)))?),
        )
        .unwrap();
    assert_eq!(class, Some(student.class_id.0), "counted for the child's class");
    assert!(answers.contains("choice"), "{answers}");
    // Once only.
    let again = say(&s, &parent, press(&answer, 9));
    assert!(
        matches!(&again[..], [Reply::AnswerButton { alert: true, .. }]) && texts(&again).contains("ตอบแบบประเมินนี้แล้ว")
    );
    // Staff cannot answer a parents' survey.
    assert!(matches!(&say(&s, &teacher, press(&answer, 9))[..], [Reply::AnswerButton { .. }]));

    // The statistics see it: for the school, and for the child's teacher.
    let today = s.clock.now_utc().date_naive();
    let term = s.app.store.read(|c| dulae::store::terms::current_dates(c, today)).unwrap();
    let school = s.app.store.read(|c| dulae::reports::stats::for_school(c, term, today)).unwrap();
    assert_eq!(school.survey.as_ref().map(|v| v.responses), Some(1));
    let teacher_row = s.app.store.read(|c| dulae::store::users::find_by_telegram(c, TelegramId(2))).unwrap().unwrap();
    let mine = s.app.store.read(|c| dulae::reports::stats::for_user(c, &teacher_row, term, today)).unwrap();
    assert_eq!(mine.and_then(|m| m.survey).map(|v| v.responses), Some(1));
}
