//! Two school years end to end through the mock Bot API. Year 2569: a screening, a home visit and a case for
//! สมชาย in ป.4/1, parent slips printed by his homeroom teacher. The rollover to 2570 moves him to ป.5/1 with a
//! new teacher. The moved teacher loses the old class at the next press; the new teacher sees the history; the
//! old teacher is then revoked and a slip they printed is refused; slips printed twice leave no more live codes
//! than places; a hand-over to the admin by edited button data is refused.

use crate::common;

use chrono::{TimeZone, Utc};
use common::*;
use dulae::domain::{AcademicYear, Role};
use dulae::store::audit::Actor;
use std::sync::Arc;

const OLD_TEACHER: u64 = 8001;
const NEW_TEACHER: u64 = 8002;
const COUNSELOR: u64 = 8003;
const ADMIN: u64 = 8004;
const PARENT: u64 = 8005;

fn links_in(html: &str) -> Vec<String> {
    html.split("https://t.me/dulae_test_bot?start=")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn two_school_years() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(dulae::clock::FixedClock::new(start_time()));
    let store = dulae::store::Store::open(&dir.path().join("school.db")).unwrap();
    let app = Arc::new(dulae::app::App::with_clock(store, test_config(), clock.clone()).unwrap());
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, Actor::Cli, start_time()).unwrap();
    // Everyone is "คน <telegram id>" on Telegram; the toast after a press counts as something they saw.
    let mut s = Phones::new(app.clone(), &[]).answers_are_texts();
    for (who, role, classes) in [
        (OLD_TEACHER, Role::Teacher, vec!["ป.4/1"]),
        (NEW_TEACHER, Role::Teacher, vec!["ป.4/2"]),
        (COUNSELOR, Role::Counselor, vec![]),
        (ADMIN, Role::Admin, vec![]),
    ] {
        s.join_as(who, role, &classes).await;
    }
    let id_of = |tg: u64| {
        app.store
            .read(|c| dulae::store::users::find_by_telegram(c, dulae::domain::TelegramId(tg as i64)))
            .unwrap()
            .unwrap()
    };
    let (old_teacher, counselor, admin) = (id_of(OLD_TEACHER), id_of(COUNSELOR), id_of(ADMIN));

    // Year 2569: a screening (term 2) and a home visit (term 1) of สมชาย, and a case for him.
    let somchai = app.store.read(|c| dulae::store::students::find_student_by_code(c, "10001")).unwrap().unwrap();
    let seed = SeedScreening {
        code: "10001",
        term: "2/2569",
        day: 20,
        learning: dulae::forms::Group::Problem,
        health: dulae::forms::Group::Normal,
        ability: false,
        needs: false,
    };
    let score = serde_json::to_string(&score_for(&seed)).unwrap();
    app.store
        .write(|tx| {
            for (kind, term, score) in [("screening", "2/2569", Some(score.as_str())), ("home_visit", "1/2569", None)] {
                dulae::store::forms::insert_submission(
                    tx,
                    &dulae::store::forms::NewSubmission {
                        form_id: kind,
                        form_version: 1,
                        form_kind: kind,
                        student: somchai.id,
                        term,
                        answers_json: "{}",
                        score_json: score,
                        overall_group: score.map(|_| "problem"),
                        submitted_by: old_teacher.id,
                        submitted_at: start_time(),
                    },
                )?;
            }
            let ctx = dulae::care::cases::Ctx { l10n: &app.l10n, policy: &app.config.reminders, now: start_time() };
            let case = dulae::care::cases::open_referral(
                tx,
                &ctx,
                &dulae::care::cases::NewReferral {
                    student: somchai.id,
                    by: old_teacher.id,
                    aspects: vec!["learning".into()],
                    reason: "ขาดเรียนบ่อย".into(),
                    photo_file_id: None,
                    urgency: dulae::care::schedule::Urgency::Urgent,
                    target: dulae::care::cases::Target::Person(counselor.id),
                    source_submission: None,
                },
            )??;
            dulae::care::cases::accept(tx, &ctx, case, counselor.id)??;
            Ok(())
        })
        .unwrap();

    // The old teacher prints the parent slips of ป.4/1 (two places for each of two students).
    s.type_text(OLD_TEACHER, "/invite").await;
    let (_, slips) = s.documents.iter().find(|(who, _)| *who == OLD_TEACHER).cloned().expect("a slip page");
    let old_slips = links_in(&slips);
    assert_eq!(old_slips.len(), 4);
    // In March the teacher opens /student for ป.4/1 and leaves the list on screen.
    s.type_text(OLD_TEACHER, "/student").await;
    let somchai_button = button_data(&s.screen(OLD_TEACHER), "สมชาย");

    // April 2570 (2027): the rollover. สมชาย and สมหญิง move up to ป.5/1, มานะ stays in ป.4/2 (repeats).
    clock.set(Utc.with_ymd_and_hms(2027, 4, 5, 3, 0, 0).single().unwrap());
    let roster = "\u{feff}student_id,prefix,first_name,last_name,class\r\n10001,ด.ช.,สมชาย,ใจดี,ป.5/1\r\n10002,ด.ญ.,สมหญิง,รักเรียน,ป.5/1\r\n10003,ด.ช.,มานะ,ขยันยิ่ง,ป.4/2\r\n";
    let now = clock.now_utc();
    let today = now.with_timezone(&dulae::l10n::thai_date::bangkok()).date_naive();
    let request = dulae::year::Request {
        year: AcademicYear::new(2570),
        roster: roster.as_bytes(),
        check_only: false,
        confirmed: false,
    };
    let dulae::year::Outcome::Started(plan) =
        dulae::year::start(&app.store, Actor::Cli, request, now, today).unwrap().unwrap()
    else {
        panic!("started")
    };
    assert_eq!((plan.moved.len(), plan.stayed, plan.archived.len(), plan.cases.len()), (2, 1, 0, 1));
    // The admin gives ป.5/1 to the new teacher with /staff: the person, then the class button.
    s.type_text(ADMIN, "/staff").await;
    let person = button_data(&s.screen(ADMIN), "คน 8002");
    s.press(ADMIN, &person).await;
    let classes = button_data(&s.screen(ADMIN), "กำหนดชั้นเรียน");
    s.press(ADMIN, &classes).await;
    let p51 = button_data(&s.screen(ADMIN), "ป.5/1");
    s.press(ADMIN, &p51).await;
    let marks: Vec<String> = buttons(&s.screen(ADMIN)).into_iter().map(|(text, _)| text).collect();
    assert!(marks.contains(&"☑️ ป.5/1".to_string()) && marks.contains(&"⬜ ป.4/2".to_string()), "{marks:?}");
    let new_teacher = id_of(NEW_TEACHER).id;
    let new_classes: Vec<String> = app
        .store
        .read(|c| dulae::store::users::classes_of(c, new_teacher))
        .unwrap()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    assert_eq!(new_classes, ["ป.5/1"], "exactly the class chosen: the old year's ป.4/2 ended");

    // The moved teacher presses the student button still on screen: the old class is closed at that press.
    s.press(OLD_TEACHER, &somchai_button).await;
    let refused = s.last(OLD_TEACHER);
    assert!(refused.contains("ไม่มีสิทธิ์ดูหรือบันทึกข้อมูลของนักเรียนคนนี้"), "{refused}");
    assert!(!s.texts[&OLD_TEACHER].iter().any(|t| t.contains("📋 คัดกรองล่าสุด")), "no records for the old class");

    // The new teacher sees สมชาย's history from the year before.
    s.type_text(NEW_TEACHER, "/student").await;
    let pick = button_data(&s.screen(NEW_TEACHER), "สมชาย");
    s.press(NEW_TEACHER, &pick).await;
    let view = s.texts[&NEW_TEACHER].join("\n");
    assert!(view.contains("คัดกรองล่าสุด ภาคเรียน 2/2569"), "{view}");
    assert!(view.contains("เยี่ยมบ้านล่าสุด"), "{view}");

    // The old teacher leaves; a slip they printed is refused to a parent.
    dulae::staff::revoke(
        &app.store,
        &dulae::care::cases::Ctx { l10n: &app.l10n, policy: &app.config.reminders, now },
        Actor::Cli,
        &format!("tg:{OLD_TEACHER}"),
    )
    .unwrap()
    .unwrap();
    s.type_text(PARENT, &format!("/start {}", old_slips[0])).await;
    assert!(s.last(PARENT).contains("ถูกยกเลิก"), "{}", s.last(PARENT));
    // The old teacher opening any invite stays out.
    s.type_text(OLD_TEACHER, &format!("/start {}", old_slips[1])).await;
    assert!(s.last(OLD_TEACHER).contains("สิทธิ์การใช้งานของท่านถูกยกเลิกแล้ว"), "{}", s.last(OLD_TEACHER));

    // The new teacher prints slips twice: no more live codes than places.
    s.type_text(NEW_TEACHER, "/invite").await;
    s.type_text(NEW_TEACHER, "/invite").await;
    let pages: Vec<String> =
        s.documents.iter().filter(|(who, _)| *who == NEW_TEACHER).map(|(_, html)| html.clone()).collect();
    assert_eq!(pages.len(), 2);
    for code in ["10001", "10002"] {
        let student = app.store.read(|c| dulae::store::students::find_student_by_code(c, code)).unwrap().unwrap();
        let live = app.store.read(|c| dulae::store::invites::open_parent_invites(c, student.id, now)).unwrap();
        assert_eq!(live, 2, "{code}: two places, two live codes");
    }
    // The first page's links no longer work; the second page's do.
    let first = links_in(&pages[0]);
    s.type_text(PARENT, &format!("/start {}", first[0])).await;
    assert!(s.last(PARENT).contains("ถูกยกเลิก"), "{}", s.last(PARENT));
    let second = links_in(&pages[1]);
    s.type_text(PARENT, &format!("/start {}", second[0])).await;
    assert!(s.last(PARENT).contains("สมชาย") || s.last(PARENT).contains("สมหญิง"), "{}", s.last(PARENT));

    // The counsellor opens the case and edits the hand-over button to name the admin: refused, nothing changes.
    s.press(COUNSELOR, "1:cs:1:o").await;
    s.press(COUNSELOR, "1:cs:1:h").await;
    let offered: Vec<String> = buttons(&s.screen(COUNSELOR)).into_iter().map(|(text, _)| text).collect();
    assert!(offered.iter().any(|t| t.contains("คน 8002")), "{offered:?}");
    assert!(!offered.iter().any(|t| t.contains("คน 8004")), "the picker hides the admin: {offered:?}");
    s.press(COUNSELOR, &format!("1:cs:1:ht:{}", admin.id.0)).await;
    assert!(s.last(COUNSELOR).contains("รับผิดชอบเรื่องหรือกิจกรรมไม่ได้"), "{}", s.last(COUNSELOR));
    let case = app.store.read(|c| dulae::care::cases::get_case(c, dulae::care::cases::CaseId(1))).unwrap().unwrap();
    assert_eq!(case.owner, counselor.id);
    // /stats names the school year.
    s.type_text(COUNSELOR, "/stats").await;
    assert!(s.texts[&COUNSELOR].iter().any(|t| t.contains("ปีการศึกษา 2569")), "{:?}", s.texts[&COUNSELOR]);
}
