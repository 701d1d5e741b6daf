//! Care in the classroom through the conversation: help by the homeroom teacher from an at-risk result (a case
//! the teacher owns, with a plan and reminders), handed to the counsellor as the same case; class meetings with
//! parents; and notifications that open what they are about.

use crate::common;

use common::*;
use dulae::conversation::{Event, MediaKind, Reply};
use dulae::domain::Role;

struct People<'s> {
    teacher: Person<'s>,
    other_teacher: Person<'s>,
    counselor: Person<'s>,
}

fn people(s: &School) -> People<'_> {
    People {
        teacher: s.person(1, "ครูสมศรี").join_as(Role::Teacher, &["ป.4/1"]),
        other_teacher: s.person(4, "ครูมานพ").join_as(Role::Teacher, &["ป.4/2"]),
        counselor: s.person(2, "ครูใจดี แนะแนว").join_as(Role::Counselor, &[]),
    }
}

fn query_i64(s: &School, sql: &str) -> i64 {
    s.app.store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
}

fn query_text(s: &School, sql: &str) -> String {
    s.app.store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
}

fn alert_text(replies: &[Reply]) -> String {
    replies
        .iter()
        .find_map(|r| match r {
            Reply::AnswerButton { text: Some(t), alert: true } => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The teacher screens สมชาย (at risk in learning) and presses "ช่วยเหลือเบื้องต้น" on the result.
fn help_from_screening(s: &School, p: &People) -> Vec<Reply> {
    p.teacher.command("screen", "");
    p.teacher.press_label("สมชาย");
    let result = complete_form(s, &p.teacher, &[("gpa", "0.5"), ("income", "above_10000")], 80);
    assert!(texts(&result).contains("เสี่ยง") || texts(&result).contains("มีปัญหา"), "{}", texts(&result));
    let help = button_data(&result, "ช่วยเหลือเบื้องต้น");
    let ask = say(s, &p.teacher, press(&help, 7));
    assert!(texts(&ask).contains("ด.ช.สมชาย ใจดี") && texts(&ask).contains("ครูสังเกตเห็น"), "{}", texts(&ask));
    ask
}

fn stats_now(s: &School) -> dulae::reports::stats::SchoolStats {
    s.app
        .store
        .read(|c| {
            let term = dulae::store::terms::current_dates(c, s.clock_today())?;
            dulae::reports::stats::for_school(c, term, s.clock_today())
        })
        .unwrap()
}

trait Today {
    fn clock_today(&self) -> chrono::NaiveDate;
}

impl Today for School {
    fn clock_today(&self) -> chrono::NaiveDate {
        use dulae::clock::Clock;
        self.clock.today()
    }
}

#[test]
fn help_in_class_with_a_plan_then_referred_as_the_same_case() {
    let s = School::with_roster();
    let p = people(&s);
    help_from_screening(&s, &p);

    // A sticker instead of the reason: explained, asked again, nothing created.
    let again = say(&s, &p.teacher, Event::Media(MediaKind::Sticker));
    assert!(texts(&again).contains("กรุณาพิมพ์สิ่งที่ครูสังเกตเห็น"), "{}", texts(&again));
    assert_eq!(query_i64(&s, "SELECT count(*) FROM cases"), 0);

    let opened = say(&s, &p.teacher, text("ไม่ส่งการบ้านสองสัปดาห์ นั่งเหม่อในห้อง"));
    let shown = texts(&opened);
    assert!(shown.contains("เริ่มช่วยเหลือเบื้องต้นแล้ว") && shown.contains("ครูประจำชั้น ครูสมศรี"), "{shown}");
    assert!(shown.contains("ความเคลื่อนไหวล่าสุด"), "the case screen shows its latest entries: {shown}");
    let case = query_i64(&s, "SELECT id FROM cases");
    assert_eq!(query_text(&s, "SELECT kind FROM cases"), "classroom");
    assert_eq!(
        query_i64(&s, "SELECT count(*) FROM cases c JOIN users u ON u.id = c.owner_id WHERE u.display_name = 'ครูสมศรี'"),
        1,
        "the teacher owns it"
    );
    assert!(query_text(&s, "SELECT aspects FROM cases").contains("learning"), "the result's aspects come along");
    // Nobody else is asked anything yet: no notification, no acceptance deadline.
    assert!(s.outbox_of(2).is_empty());
    assert_eq!(query_i64(&s, "SELECT count(*) FROM reminders WHERE subject = 'acceptance'"), 0);
    // Referral-only buttons are not offered; the plan's are.
    let labels: Vec<String> = buttons(&opened).into_iter().map(|(t, _)| t).collect();
    assert!(labels.iter().any(|l| l.contains("ส่งต่อครูแนะแนว")), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("ส่งให้ผู้อื่น") || l.contains("ขอข้อมูล")), "{labels:?}");

    // A goal and an action with its reminders, on the same screens as a referral's plan.
    say(&s, &p.teacher, press(&button_data(&opened, "เป้าหมายแผน"), 20));
    let with_goal = say(&s, &p.teacher, text("ส่งการบ้านครบทุกวิชา"));
    let ask = say(&s, &p.teacher, press(&button_data(&with_goal, "เพิ่มกิจกรรม"), 21));
    assert!(texts(&ask).contains("กิจกรรม"));
    let who = say(&s, &p.teacher, text("คุยกับนักเรียนและโทรหาผู้ปกครอง"));
    let when = say(&s, &p.teacher, press(&button_data(&who, "ฉันเอง"), 22));
    let saved = say(&s, &p.teacher, press(&button_data(&when, "3 ธ.ค. 2569"), 22));
    assert!(texts(&saved).contains("บันทึกแล้ว"), "{}", texts(&saved));
    assert!(
        query_i64(&s, "SELECT count(*) FROM reminders WHERE subject = 'action' AND status = 'pending'") >= 2,
        "reminder rows are written for the action"
    );
    let stats = stats_now(&s);
    assert_eq!((stats.total.cases_classroom, stats.total.cases_referred), (1, 0));

    // "ส่งต่อ": how urgent, to whom, done — the same case becomes a referral.
    let screen = say(&s, &p.teacher, press(&format!("1:cs:{case}:o"), 30));
    let urgency = say(&s, &p.teacher, press(&button_data(&screen, "ส่งต่อครูแนะแนว"), 30));
    assert!(texts(&urgency).contains("ประวัติการช่วยเหลือทั้งหมด"), "{}", texts(&urgency));
    let to = say(&s, &p.teacher, press(&button_data(&urgency, "ด่วน"), 30));
    let done = say(&s, &p.teacher, press(&button_data(&to, "ครูใจดี"), 30));
    assert!(texts(&done).contains(&format!("ส่งต่อเรื่องที่ #{case} ให้ ครูใจดี แนะแนว แล้ว")), "{}", texts(&done));

    assert_eq!(query_i64(&s, "SELECT count(*) FROM cases"), 1, "the same case, not a new one");
    assert_eq!(query_text(&s, "SELECT kind FROM cases"), "referral");
    assert_eq!(query_text(&s, "SELECT status FROM cases"), "new");
    assert_eq!(query_text(&s, "SELECT urgency FROM cases"), "urgent");
    assert_eq!(
        query_i64(&s, "SELECT count(*) FROM cases c JOIN users u ON u.id = c.owner_id WHERE u.role = 'counselor'"),
        1
    );
    // The chronology is kept, with the hand-over at its end; the plan and its action too.
    let kinds = query_text(&s, "SELECT group_concat(kind, ',') FROM (SELECT kind FROM case_events ORDER BY id)");
    assert_eq!(kinds, "classroom_opened,plan_goal,action_added,referred");
    assert_eq!(query_i64(&s, "SELECT count(*) FROM plan_actions WHERE status = 'open'"), 1);
    // The acceptance deadline starts; the counsellor is notified as for any referral, without the name.
    assert_eq!(query_i64(&s, "SELECT count(*) FROM reminders WHERE subject = 'acceptance' AND status = 'pending'"), 1);
    let notes = s.outbox_of(2);
    let (notice, notice_buttons) = notes.last().expect("the counsellor is notified");
    assert!(notice.contains("มีการส่งต่อใหม่") && !notice.contains("สมชาย"), "{notice}");
    // The teacher keeps watching: they still open it, without the owner's buttons.
    let watched = say(&s, &p.teacher, press(&format!("1:cs:{case}:o"), 31));
    assert!(texts(&watched).contains("ส่งต่อครูแนะแนว") && texts(&watched).contains("ไม่ส่งการบ้าน"));
    assert!(!buttons(&watched).iter().any(|(t, _)| t.contains("เป้าหมายแผน")));
    // The counsellor opens it with the whole history and accepts.
    let opened = say(&s, &p.counselor, press(&notice_buttons[0].1, 40));
    assert!(texts(&opened).contains("ด.ช.สมชาย ใจดี") && texts(&opened).contains("ส่งการบ้านครบทุกวิชา"));
    let history = say(&s, &p.counselor, press(&button_data(&opened, "ประวัติ"), 40));
    assert!(texts(&history).contains("เริ่มช่วยเหลือเบื้องต้น"), "{}", texts(&history));
    say(&s, &p.counselor, press(&button_data(&opened, "รับเรื่อง"), 40));
    assert!(s.outbox_of(1).iter().any(|(t, _)| t.contains("ได้รับเรื่องแล้ว")), "the teacher hears it was accepted");

    // Statistics count both kinds; /stats says so.
    let stats = stats_now(&s);
    assert_eq!((stats.total.cases_classroom, stats.total.cases_referred, stats.total.cases_escalated), (0, 1, 1));
    let p41 = stats.classes.iter().find(|c| c.name == "ป.4/1").unwrap();
    assert_eq!(p41.stats.cases_referred, 1);
    let shown = texts(&say(&s, &p.counselor, command("stats", "")));
    assert!(shown.contains("🤝 ครูประจำชั้นช่วยเหลือ 0 เรื่อง\n📨 ส่งต่อครูแนะแนว 1 เรื่อง (จากครูประจำชั้น 1)"), "{shown}");

    // The export has the counts per class and who helps on each case.
    let sheets = s
        .app
        .store
        .read(|c| {
            let term = dulae::store::terms::current_dates(c, s.clock_today())?;
            let stats = dulae::reports::stats::for_school(c, term, s.clock_today())?;
            let classes = dulae::store::students::list_classes(c)?;
            dulae::reports::xlsx::build_sheets(c, &s.app.forms, &stats, &classes)
        })
        .unwrap();
    let summary = sheets.iter().find(|x| x.name == dulae::reports::xlsx::SHEET_SUMMARY).unwrap();
    let col = summary.headers.iter().position(|h| h == "ส่งต่อครูแนะแนว").unwrap();
    assert_eq!(summary.rows[0][col], dulae::reports::xlsx::Cell::Number(1.0));
    let cases = sheets.iter().find(|x| x.name == dulae::reports::xlsx::SHEET_CASES).unwrap();
    assert_eq!(cases.rows[0].last(), Some(&dulae::reports::xlsx::Cell::Text("ครูแนะแนว (ส่งต่อจากครูประจำชั้น)".into())));
}

#[test]
fn only_the_homeroom_teacher_of_the_class_opens_help() {
    let s = School::with_roster();
    let p = people(&s);
    let somchai = query_i64(&s, "SELECT id FROM students WHERE first_name = 'สมชาย'");
    let help = format!("1:hp:{somchai}:0");

    // A teacher of another class: refused, nothing created, nothing remembered.
    let refused = say(&s, &p.other_teacher, press(&help, 3));
    assert!(alert_text(&refused).contains("ไม่มีสิทธิ์"), "{refused:?}");
    let typed = say(&s, &p.other_teacher, text("ลองพิมพ์เหตุผล"));
    assert!(!texts(&typed).contains("เริ่มช่วยเหลือ"));
    assert_eq!(query_i64(&s, "SELECT count(*) FROM cases"), 0);
    // The counsellor refers instead; help in class is the homeroom teacher's.
    let counsellor = say(&s, &p.counselor, press(&help, 3));
    assert!(alert_text(&counsellor).contains("ครูประจำชั้น"), "{counsellor:?}");

    // /student offers help to the class's own teacher, and the open case once there is one.
    let list = say(&s, &p.teacher, command("student", ""));
    let view = say(&s, &p.teacher, press(&button_data(&list, "สมชาย"), 5));
    let start = button_data(&view, "ช่วยเหลือเบื้องต้น");
    say(&s, &p.teacher, press(&start, 5));
    // Cancel, then start again and type the reason.
    let again = say(&s, &p.teacher, press(&start, 6));
    let cancelled = say(&s, &p.teacher, press(&button_data(&again, "ยกเลิก"), 6));
    assert!(texts(&cancelled).contains("ยกเลิกการช่วยเหลือเบื้องต้นแล้ว"));
    say(&s, &p.teacher, press(&start, 7));
    say(&s, &p.teacher, text("มาสายบ่อย"));
    assert_eq!(query_i64(&s, "SELECT count(*) FROM cases WHERE kind = 'classroom'"), 1);
    let list = say(&s, &p.teacher, command("student", ""));
    let view = say(&s, &p.teacher, press(&button_data(&list, "สมชาย"), 8));
    assert!(button_data(&view, "เปิดเรื่องที่ #").contains(":cs:"), "the open case, not a second one");
    let twice = say(&s, &p.teacher, press(&start, 9));
    assert!(texts(&twice).contains("มีเรื่องที่ยังเปิดอยู่แล้ว"), "{}", texts(&twice));
    assert_eq!(query_i64(&s, "SELECT count(*) FROM cases"), 1);

    // The other teacher cannot open that case, nor hand it on.
    let case = query_i64(&s, "SELECT id FROM cases");
    let counsellor_id = query_i64(&s, "SELECT id FROM users WHERE role = 'counselor'");
    for data in [format!("1:cs:{case}:o"), format!("1:cs:{case}:rt:urgent:{counsellor_id}")] {
        let refused = say(&s, &p.other_teacher, press(&data, 10));
        assert!(alert_text(&refused).contains("เปิดเรื่องนี้ไม่ได้"), "{refused:?}");
    }
    assert_eq!(query_text(&s, "SELECT kind FROM cases"), "classroom");
}

#[test]
fn a_class_meeting_is_recorded_and_counted() {
    let s = School::with_roster();
    let p = people(&s);
    let start = say(&s, &p.teacher, command("meeting", ""));
    assert!(texts(&start).contains("ประชุมผู้ปกครองชั้น ป.4/1"), "one class: straight to the date: {}", texts(&start));
    // A date after today is refused; a typed date is read.
    let future = say(&s, &p.teacher, text("1/12/2570"));
    assert!(texts(&future).contains("ต้องไม่เลยวันนี้"), "{}", texts(&future));
    let topics = say(&s, &p.teacher, press(&button_data(&future, "วันนี้"), 50));
    assert!(texts(&topics).contains("26 พ.ย. 2569") && texts(&topics).contains("ประชุมเรื่องอะไร"), "{}", texts(&topics));
    let list = say(&s, &p.teacher, text("ผลการเรียนกลางภาค การมาเรียน และกิจกรรมปีใหม่"));
    // The class's families, with the parents' names from the roster.
    let labels: Vec<String> = buttons(&list).into_iter().map(|(t, _)| t).collect();
    assert!(labels.iter().any(|l| l.contains("สมชาย ใจดี — นางสมศรี ใจดี")), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("มานะ")), "only this class: {labels:?}");
    // Typing at the list: a hint, the list stays.
    let hint = say(&s, &p.teacher, text("สมชาย"));
    assert!(texts(&hint).contains("⚠️"), "{}", texts(&hint));
    let ticked = say(&s, &p.teacher, press(&button_data(&list, "สมชาย"), 51));
    assert!(buttons(&ticked).iter().any(|(t, _)| t.starts_with("☑️") && t.contains("สมชาย")));
    // A family of another class cannot be ticked with a forged button.
    let mana = query_i64(&s, "SELECT id FROM students WHERE first_name = 'มานะ'");
    let nonce = button_data(&ticked, "บันทึก").split(':').nth(2).unwrap().to_string();
    let forged = say(&s, &p.teacher, press(&format!("1:mt:{nonce}:t:{mana}"), 51));
    assert!(texts(&forged).contains("ปุ่มนี้เก่าแล้ว"), "{forged:?}");
    let saved = say(&s, &p.teacher, press(&button_data(&ticked, "บันทึก"), 51));
    assert!(texts(&saved).contains("ผู้ปกครองมาประชุม 1 จาก 2 คน"), "{}", texts(&saved));

    assert_eq!(query_i64(&s, "SELECT count(*) FROM class_meetings"), 1);
    assert_eq!(query_text(&s, "SELECT held_on FROM class_meetings"), "2026-11-26");
    assert_eq!(query_i64(&s, "SELECT count(*) FROM class_meeting_attendance"), 1);
    let stats = stats_now(&s);
    let p41 = stats.classes.iter().find(|c| c.name == "ป.4/1").unwrap();
    assert_eq!((p41.stats.meetings_held, p41.stats.meeting_parents), (1, 1));
    let p42 = stats.classes.iter().find(|c| c.name == "ป.4/2").unwrap();
    assert_eq!((p42.stats.meetings_held, p42.stats.meeting_parents), (0, 0));
    let shown = texts(&say(&s, &p.teacher, command("stats", "")));
    assert!(shown.contains("👪 ประชุมผู้ปกครอง 1 ครั้ง · มาประชุม 1 คน"), "{shown}");

    // The counsellor has no class of their own to record for.
    let none = say(&s, &p.counselor, command("meeting", ""));
    assert!(!texts(&none).contains("ประชุมผู้ปกครองชั้น"), "{}", texts(&none));
}

#[test]
fn a_long_class_list_is_paged() {
    let s = School::new();
    let mut roster = String::from("student_id,prefix,first_name,last_name,class\n");
    for n in 1..=19 {
        roster.push_str(&format!("3{n:04},ด.ช.,นักเรียน{n},ทดสอบ,ป.5/1\n"));
    }
    dulae::roster::import(&s.app.store, roster.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
        .unwrap();
    let teacher = s.person(9, "ครูห้องใหญ่").join_as(Role::Teacher, &["ป.5/1"]);
    say(&s, &teacher, command("meeting", ""));
    say(&s, &teacher, text("20/11/2569"));
    let page1 = say(&s, &teacher, text("ประชุมต้นภาค"));
    assert!(texts(&page1).contains("เลือกแล้ว 0 จาก 19 คน"), "{}", texts(&page1));
    assert!(buttons(&page1).iter().any(|(t, _)| t.contains("หน้า 1/3")));
    let page2 = say(&s, &teacher, press(&button_data(&page1, "▶️"), 60));
    assert!(buttons(&page2).iter().any(|(t, _)| t.contains("หน้า 2/3")));
    let ticked = say(&s, &teacher, press(&button_data(&page2, "นักเรียน10 "), 60));
    let page3 = say(&s, &teacher, press(&button_data(&ticked, "▶️"), 60));
    let ticked = say(&s, &teacher, press(&button_data(&page3, "นักเรียน19 "), 60));
    assert!(texts(&ticked).contains("เลือกแล้ว 2 จาก 19 คน"), "{}", texts(&ticked));
    say(&s, &teacher, press(&button_data(&ticked, "บันทึก"), 60));
    assert_eq!(query_i64(&s, "SELECT count(*) FROM class_meeting_attendance"), 2);
    assert_eq!(query_text(&s, "SELECT held_on FROM class_meetings"), "2026-11-20");
}

#[test]
fn notifications_open_the_question_and_the_note() {
    let s = School::with_roster();
    let p = people(&s);
    help_from_screening(&s, &p);
    say(&s, &p.teacher, text("ขาดเรียนบ่อย"));
    let case = query_i64(&s, "SELECT id FROM cases");
    let counsellor_id = query_i64(&s, "SELECT id FROM users WHERE role = 'counselor'");
    say(&s, &p.teacher, press(&format!("1:cs:{case}:rt:normal:{counsellor_id}"), 70));
    let (_, notice_buttons) = s.outbox_of(2).last().cloned().unwrap();
    let screen = say(&s, &p.counselor, press(&notice_buttons[0].1, 71));
    let accepted = say(&s, &p.counselor, press(&button_data(&screen, "รับเรื่อง"), 71));

    // The counsellor asks; the teacher's notification opens the question, with a way to answer it.
    say(&s, &p.counselor, press(&button_data(&accepted, "ขอข้อมูล"), 71));
    say(&s, &p.counselor, text("ที่บ้านมีใครดูแลตอนเย็นบ้างคะ"));
    let (question, question_buttons) = s.outbox_of(1).last().cloned().unwrap();
    assert!(question.contains("❓ มีคำถามเพิ่มเติม") && !question.contains("สมชาย"), "{question}");
    let opened = say(&s, &p.teacher, press(&question_buttons[0].1, 72));
    let shown = texts(&opened);
    assert!(shown.contains("❓ คำถามเรื่องที่") && shown.contains("ที่บ้านมีใครดูแลตอนเย็นบ้างคะ"), "{shown}");
    assert!(shown.contains("ครูใจดี แนะแนว"), "who asked: {shown}");
    let ask = say(&s, &p.teacher, press(&button_data(&opened, "ตอบคำถาม"), 72));
    assert!(texts(&ask).contains("พิมพ์คำตอบ"), "{}", texts(&ask));
    let answered = say(&s, &p.teacher, text("คุณยายดูแลค่ะ พ่อแม่ทำงานต่างจังหวัด"));
    assert!(texts(&answered).contains("บันทึกแล้ว"));

    // The counsellor's "📝" notification opens the new note itself.
    let (note, note_buttons) = s.outbox_of(2).last().cloned().unwrap();
    assert!(note.contains("📝 มีบันทึกใหม่") && !note.contains("คุณยาย") && !note.contains("สมชาย"), "{note}");
    let opened = say(&s, &p.counselor, press(&note_buttons[0].1, 73));
    let shown = texts(&opened);
    assert!(shown.contains("📝 บันทึกใหม่เรื่องที่") && shown.contains("คุณยายดูแลค่ะ"), "{shown}");
    assert!(!buttons(&opened).iter().any(|(t, _)| t.contains("ตอบคำถาม")), "a note has nothing to answer");
    // The case screen itself always ends with the latest entries.
    let screen = say(&s, &p.counselor, press(&format!("1:cs:{case}:o"), 74));
    let shown = texts(&screen);
    let recent = shown.split("ความเคลื่อนไหวล่าสุด").nth(1).unwrap_or_default().to_string();
    assert!(recent.contains("คุณยายดูแลค่ะ") && recent.contains("ขอข้อมูลเพิ่ม"), "{shown}");

    // An entry button pointed at another case shows nothing.
    let entry = query_i64(&s, "SELECT max(id) FROM case_events");
    let refused = say(&s, &p.counselor, press(&format!("1:cs:{}:e:{entry}", case + 1), 75));
    assert!(!texts(&refused).contains("คุณยาย"));
    // Nor to someone who may not open the case.
    let refused = say(&s, &p.other_teacher, press(&format!("1:cs:{case}:e:{entry}"), 75));
    assert!(!texts(&refused).contains("คุณยาย"), "{refused:?}");
}
