//! Staff changes below the transport: classes set exactly, revoking (classes, invites, cases, actions,
//! messages), reinstating, the one rule for who may own a case or an action, and parent places.

use crate::common;

use common::*;
use dulae::announce::slips::{self, SlipRequest};
use dulae::care::cases::{self, CaseError, CaseId, CaseStatus, Ctx, NewReferral, Target};
use dulae::care::owners;
use dulae::care::schedule::Urgency;
use dulae::domain::{ClassName, Role, UserId};
use dulae::invites::{self, Joiner, Redeemed, Refusal};
use dulae::staff::{self, StaffError};
use dulae::store::audit::Actor;
use dulae::store::{invites as invite_rows, users};

fn class(name: &str) -> ClassName {
    name.parse().unwrap()
}

fn classes_of(s: &School, id: UserId) -> Vec<String> {
    s.app.store.read(|c| users::classes_of(c, id)).unwrap().iter().map(|c| c.name.to_string()).collect()
}

/// The refusal of a staff change (a fault fails the test).
fn staff_error<T: std::fmt::Debug>(outcome: anyhow::Result<Result<T, StaffError>>) -> StaffError {
    outcome.expect("no fault").expect_err("a staff refusal")
}

fn joiner(id: i64) -> Joiner {
    Joiner {
        telegram_id: dulae::domain::TelegramId(id),
        chat_id: id,
        display_name: format!("ผู้ปกครอง {id}"),
        username: None,
        lang: dulae::l10n::Lang::Th,
    }
}

#[test]
fn assign_sets_the_classes_exactly_and_unassign_removes() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let teacher = staff(&s, 401, "ครูสมศรี", Role::Teacher, &["ป.4/1", "ป.4/2"]);
    let change = staff::assign(&s.app.store, Actor::Cli, "tg:401", &[class("ป.4/2")], now).unwrap().unwrap();
    assert_eq!(change.before.len(), 2);
    assert_eq!(classes_of(&s, teacher), ["ป.4/2"], "replaced, not added");
    staff::assign(&s.app.store, Actor::Cli, &teacher.0.to_string(), &[class("ป.4/1"), class("ป.4/2")], now)
        .unwrap()
        .unwrap();
    assert_eq!(classes_of(&s, teacher), ["ป.4/1", "ป.4/2"]);
    staff::unassign(&s.app.store, Actor::Cli, "tg:401", Some(&class("ป.4/1")), now).unwrap().unwrap();
    assert_eq!(classes_of(&s, teacher), ["ป.4/2"]);
    let e = staff::unassign(&s.app.store, Actor::Cli, "tg:401", Some(&class("ป.4/1")), now);
    assert!(matches!(staff_error(e), StaffError::NotTheirClass(..)));
    staff::unassign(&s.app.store, Actor::Cli, "tg:401", None, now).unwrap().unwrap();
    assert!(classes_of(&s, teacher).is_empty());

    // Refusals change nothing and say why.
    staff(&s, 402, "หัวหน้างาน", Role::Head, &[]);
    let e = staff::assign(&s.app.store, Actor::Cli, "tg:402", &[class("ป.4/1")], now);
    assert!(matches!(staff_error(e), StaffError::NotATeacher { role: Role::Head, .. }));
    let e = staff::assign(&s.app.store, Actor::Cli, "tg:401", &[class("ป.6/3")], now);
    assert!(matches!(staff_error(e), StaffError::UnknownClass(c) if c == "ป.6/3"));
    let e = staff::assign(&s.app.store, Actor::Cli, "@nobody", &[class("ป.4/1")], now);
    assert!(matches!(staff_error(e), StaffError::NoSuchPerson(_)));
    let audited: i64 = s
        .app
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_log WHERE action IN ('staff.assign', 'staff.unassign')",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(audited, 4, "every change is audited");
}

/// A school where teacher 411 owns a case (handed to them) and is responsible for a plan action of another
/// case, and has printed parent slips for ป.4/1.
fn busy_teacher() -> (School, UserId, UserId, String) {
    let s = School::with_roster();
    let teacher = staff(&s, 411, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    let counselor = staff(&s, 412, "ครูแนะแนว", Role::Counselor, &[]);
    staff(&s, 413, "หัวหน้างาน", Role::Head, &[]);
    let ctx = Ctx::of(&s.app);
    let (first_child, second_child) = (student_id(&s, "10001"), student_id(&s, "10002"));
    let referral = |student: dulae::store::students::StudentId, to: UserId| NewReferral {
        student,
        by: teacher,
        aspects: vec!["learning".into()],
        reason: "สังเกตเห็น".into(),
        photo_file_id: None,
        urgency: Urgency::Urgent,
        target: Target::Person(to),
        source_submission: None,
    };
    s.app
        .store
        .write(|tx| {
            let first = cases::open_referral(tx, &ctx, &referral(first_child, counselor))??;
            cases::hand_over(tx, &ctx, first, counselor, teacher)??;
            let second = cases::open_referral(tx, &ctx, &referral(second_child, counselor))??;
            cases::accept(tx, &ctx, second, counselor)??;
            let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
            cases::add_action(tx, &ctx, second, counselor, "โทรหาผู้ปกครอง", teacher, due)??;
            Ok(())
        })
        .unwrap();
    let slips = slips::make_class_slips(
        &s.app.store,
        Actor::User(teacher),
        SlipRequest {
            class: s.app.store.read(|c| dulae::store::students::find_class(c, &class("ป.4/1"))).unwrap().unwrap(),
            places: 2,
            days: 150,
            bot_username: None,
        },
        s.clock.now_utc(),
    )
    .unwrap();
    let code = slips[0].link.trim_start_matches("/start ").to_string();
    (s, teacher, counselor, code)
}

#[test]
fn revoking_ends_classes_voids_slips_and_hands_work_to_the_counsellor() {
    let (s, teacher, counselor, slip) = busy_teacher();
    s.advance_clock(chrono::Duration::hours(30));
    let now = s.clock.now_utc();
    let revoked = staff_changes::revoke(&s.app, "tg:411");
    assert!(!revoked.already);
    assert_eq!(revoked.classes_ended, 1);
    assert_eq!(revoked.invites_voided, 4, "the four slips the teacher printed");
    assert_eq!((revoked.handed.cases.len(), revoked.handed.actions.len()), (1, 1));
    assert_eq!(revoked.successor.as_deref(), Some("ครูแนะแนว"));

    // Access, classes and the printed slips are gone.
    let person = s.app.store.read(|c| users::get(c, teacher)).unwrap().unwrap();
    assert!(person.revoked);
    assert!(classes_of(&s, teacher).is_empty());
    assert_eq!(
        invites::redeem(&s.app.store, &slip, &joiner(80), 2, now).unwrap(),
        Redeemed::Refused(Refusal::Voided),
        "a revoked teacher's printed parent slip is refused"
    );

    // The case is the counsellor's, with a fresh acceptance deadline, a chronology entry and a notification.
    let case = s.app.store.read(|c| cases::get_case(c, CaseId(1))).unwrap().unwrap();
    assert_eq!(case.owner, counselor);
    assert_eq!(case.status, CaseStatus::New);
    assert_eq!(case.accept_by, now + s.app.config.reminders.accept_within(Urgency::Urgent));
    let events = s.app.store.read(|c| cases::chronology(c, CaseId(1))).unwrap();
    assert!(events.iter().any(|e| e.kind == "owner_left"), "{events:?}");
    let pending_sla: i64 = s
        .app
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM reminders WHERE subject = 'acceptance' AND subject_id = 1 AND status = 'pending'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(pending_sla, 1, "one acceptance deadline, the fresh one");
    // The action too; its reminders now reach the counsellor.
    let action = s.app.store.read(|c| cases::get_action(c, cases::ActionId(1))).unwrap().unwrap();
    assert_eq!(action.owner, counselor);
    let events = s.app.store.read(|c| cases::chronology(c, CaseId(2))).unwrap();
    assert!(events.iter().any(|e| e.kind == "action_owner_left"), "{events:?}");
    let to_counselor: Vec<String> = s
        .app
        .store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT text FROM outbox WHERE user_id = ?1 AND status = 'pending' ORDER BY id")?;
            let rows = stmt.query_map([counselor.0], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .unwrap();
    assert!(to_counselor.iter().any(|t| t.contains("มีการส่งต่อใหม่")), "{to_counselor:?}");
    assert!(to_counselor.iter().any(|t| t.contains("ส่งต่อมาให้คุณครูดูแล")), "{to_counselor:?}");
    // Nothing more waits for the revoked teacher.
    let waiting: i64 = s
        .app
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM outbox WHERE user_id = ?1 AND status = 'pending'",
                [teacher.0],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(waiting, 0);

    // Revoking again changes nothing; reinstating gives the role back, not the classes.
    assert!(staff_changes::revoke(&s.app, "tg:411").already);
    let back = staff::reinstate(&s.app.store, Actor::Cli, "tg:411", now).unwrap().unwrap();
    assert!(!back.revoked && back.role == Role::Teacher);
    assert!(classes_of(&s, teacher).is_empty());
    let e = staff::reinstate(&s.app.store, Actor::Cli, "tg:411", now);
    assert!(matches!(staff_error(e), StaffError::NotRevoked(_)));
}

#[test]
fn without_a_counsellor_the_head_takes_over_and_without_either_nothing_moves() {
    let s = School::with_roster();
    let teacher = staff(&s, 421, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    let head = staff(&s, 422, "หัวหน้างาน", Role::Head, &[]);
    let ctx = Ctx::of(&s.app);
    let somchai = student_id(&s, "10001");
    s.app
        .store
        .write(|tx| {
            let case = cases::open_referral(
                tx,
                &ctx,
                &NewReferral {
                    student: somchai,
                    by: head,
                    aspects: vec![],
                    reason: "x".into(),
                    photo_file_id: None,
                    urgency: Urgency::Normal,
                    target: Target::Person(teacher),
                    source_submission: None,
                },
            )??;
            Ok(case)
        })
        .unwrap();
    let revoked = staff_changes::revoke(&s.app, "tg:421");
    assert_eq!(revoked.handed.to, Some(head));
    assert_eq!(s.app.store.read(|c| cases::get_case(c, CaseId(1))).unwrap().unwrap().owner, head);
    // The head leaves too: nobody is left to take the case; it stays and the admin is told.
    let revoked = staff_changes::revoke(&s.app, "tg:422");
    assert_eq!(revoked.handed.to, None);
    assert_eq!(revoked.handed.cases, [CaseId(1)]);
    assert_eq!(s.app.store.read(|c| cases::get_case(c, CaseId(1))).unwrap().unwrap().owner, head);
}

#[test]
fn one_rule_for_who_may_own_a_case_or_an_action() {
    let s = School::with_roster();
    let counselor = staff(&s, 431, "ครูแนะแนว", Role::Counselor, &[]);
    let admin = staff(&s, 432, "ครูไอที", Role::Admin, &[]);
    let no_class = staff(&s, 433, "ครูไม่มีห้อง", Role::Teacher, &[]);
    let gone = staff(&s, 434, "ครูที่ย้ายไป", Role::Teacher, &["ป.4/1"]);
    staff_changes::revoke(&s.app, "tg:434");
    let parent = join_parent_user(&s, 435);
    staff(&s, 436, "หัวหน้างาน", Role::Head, &[]);
    // 25 more teachers: the list is not cut at 20.
    for i in 0..25 {
        staff(&s, 500 + i, &format!("ครู {i:02}"), Role::Teacher, &[]);
    }
    let people = s.app.store.read(|c| owners::candidates(c, Some(counselor))).unwrap();
    assert_eq!(people.len(), 1 + 1 + 25, "the head and every active teacher, with or without a class");
    assert!(people.iter().all(|p| p.id != admin && p.id != gone && p.id != parent && p.id != counselor));
    assert_eq!(people[0].role, Role::Head, "counsellors, then heads, then teachers");
    assert!(people[1..].iter().all(|p| p.role == Role::Teacher));

    let ctx = Ctx::of(&s.app);
    let somchai = student_id(&s, "10001");
    let case = s
        .app
        .store
        .write(|tx| {
            let case = cases::open_referral(
                tx,
                &ctx,
                &NewReferral {
                    student: somchai,
                    by: no_class,
                    aspects: vec![],
                    reason: "x".into(),
                    photo_file_id: None,
                    urgency: Urgency::VeryUrgent,
                    target: Target::Person(counselor),
                    source_submission: None,
                },
            )??;
            cases::accept(tx, &ctx, case, counselor)??;
            Ok(case)
        })
        .unwrap();
    // The check after the press refuses what the picker never shows.
    for refused in [admin, parent, gone] {
        let refusal = s.app.store.write(|tx| cases::hand_over(tx, &ctx, case, counselor, refused)).unwrap();
        assert_eq!(refusal, Err(CaseError::CannotOwn));
        let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
        let refusal = s.app.store.write(|tx| cases::add_action(tx, &ctx, case, counselor, "x", refused, due)).unwrap();
        assert_eq!(refusal, Err(CaseError::CannotOwn));
    }
    // A teacher without a class may own it; the hand-over after the deadline gives a fresh one.
    s.advance_clock(chrono::Duration::hours(5));
    let later = Ctx { now: s.clock.now_utc(), ..ctx };
    s.app.store.write(|tx| cases::hand_over(tx, &later, case, counselor, no_class)).unwrap().unwrap();
    let row = s.app.store.read(|c| cases::get_case(c, case)).unwrap().unwrap();
    assert_eq!((row.owner, row.status), (no_class, CaseStatus::New));
    assert_eq!(row.accept_by, later.now + s.app.config.reminders.accept_within(Urgency::VeryUrgent));
}

fn join_parent_user(s: &School, telegram_id: i64) -> UserId {
    common::outbox::join_parent(&s.app, telegram_id, "10003")
}

#[test]
fn slips_printed_twice_leave_no_more_live_codes_than_places() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let p41 = s.app.store.read(|c| dulae::store::students::find_class(c, &class("ป.4/1"))).unwrap().unwrap();
    let request = SlipRequest { class: p41, places: 2, days: 150, bot_username: None };
    let first = slips::make_class_slips(&s.app.store, Actor::Cli, request, now).unwrap();
    assert_eq!(first.len(), 4, "two places for each of two students");
    let second = slips::make_class_slips(&s.app.store, Actor::Cli, request, now).unwrap();
    assert_eq!(second.len(), 4);
    let live = |code: &str| {
        let student = student_id(&s, code);
        s.app.store.read(|c| invite_rows::open_parent_invites(c, student, now)).unwrap()
    };
    assert_eq!((live("10001"), live("10002")), (2, 2), "the first sheet's codes were voided");
    // The old sheet no longer works; the new one does.
    let old = first[0].link.trim_start_matches("/start ");
    assert_eq!(invites::redeem(&s.app.store, old, &joiner(81), 2, now).unwrap(), Redeemed::Refused(Refusal::Voided));
    for (i, slip) in second.iter().filter(|s| s.student_code == "10001").enumerate() {
        let code = slip.link.trim_start_matches("/start ");
        let joined = invites::redeem(&s.app.store, code, &joiner(82 + i as i64), 2, now).unwrap();
        assert!(matches!(joined, Redeemed::Joined { .. }), "{joined:?}");
    }
    // Both places of 10001 are taken: no slip for them the next time, and an older code cannot add a third.
    let third = slips::make_class_slips(&s.app.store, Actor::Cli, request, now).unwrap();
    assert!(third.iter().all(|s| s.student_code != "10001"));
    assert_eq!(live("10001"), 0);
    let stray = invites::create_parent(&s.app.store, Actor::Cli, student_id(&s, "10001"), 150, now).unwrap();
    assert_eq!(
        invites::redeem(&s.app.store, stray.code.as_str(), &joiner(90), 2, now).unwrap(),
        Redeemed::Refused(Refusal::PlacesTaken)
    );
    // A teacher frees a place: one new slip.
    let somchai = student_id(&s, "10001");
    let parent = s.app.store.read(|c| users::linked_parents(c, somchai)).unwrap()[0].id;
    s.app.store.write(|tx| users::unlink_parent(tx, parent, somchai)).unwrap();
    let fourth = slips::make_class_slips(&s.app.store, Actor::Cli, request, now).unwrap();
    assert_eq!(fourth.iter().filter(|s| s.student_code == "10001").count(), 1);
}

#[test]
fn the_admins_staff_screen_revokes_and_reinstates_and_checks_every_press() {
    let s = School::with_roster();
    let admin_code = invite_code(&s, Role::Admin, &[], None);
    let admin = person(441, "ครูไอที");
    say(&s, &admin, command("start", &admin_code));
    let teacher = staff(&s, 442, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    let list = say(&s, &admin, command("staff", ""));
    assert!(texts(&list).contains("บุคลากร 2 คน"), "{}", texts(&list));
    let open = button_data(&list, "ครูสมศรี");
    let screen = say(&s, &admin, press(&open, 5));
    assert!(texts(&screen).contains("ชั้นที่ดูแล: ป.4/1"), "{}", texts(&screen));
    // Revoking asks first; confirming ends the classes.
    let ask = say(&s, &admin, press(&button_data(&screen, "ยกเลิกสิทธิ์"), 5));
    assert!(texts(&ask).contains("ใช่ไหมคะ"), "{}", texts(&ask));
    let done = say(&s, &admin, press(&button_data(&ask, "ยืนยัน"), 5));
    assert!(texts(&done).contains("ยกเลิกสิทธิ์แล้ว"), "{}", texts(&done));
    assert!(s.app.store.read(|c| users::get(c, teacher)).unwrap().unwrap().revoked);
    assert!(classes_of(&s, teacher).is_empty());
    let back = say(&s, &admin, press(&button_data(&done, "คืนสิทธิ์"), 5));
    assert!(texts(&back).contains("คืนสิทธิ์แล้ว"), "{}", texts(&back));
    assert!(!s.app.store.read(|c| users::get(c, teacher)).unwrap().unwrap().revoked);
    // A teacher pressing the admin's button data gets nothing.
    let teacher_chat = person(442, "ครูสมศรี");
    let refused = say(&s, &teacher_chat, press(&open, 9));
    assert!(matches!(&refused[..], [dulae::conversation::Reply::AnswerButton { alert: true, .. }]), "{refused:?}");
}

#[test]
fn parents_shows_who_joined_and_unlinking_frees_a_place() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Teacher, &["ป.4/1"], None);
    let teacher = person(451, "ครูสมศรี");
    say(&s, &teacher, command("start", &code));
    let parent = common::outbox::join_parent(&s.app, 452, "10001");
    let overview = say(&s, &teacher, command("parents", ""));
    assert!(texts(&overview).contains("✅ 10001 ด.ช.สมชาย ใจดี (1/2)"), "{}", texts(&overview));
    let student = say(&s, &teacher, press(&button_data(&overview, "สมชาย"), 3));
    assert!(texts(&student).contains("ผู้ปกครองที่เชื่อมต่อ 1 จาก 2 คน"), "{}", texts(&student));
    let ask = say(&s, &teacher, press(&button_data(&student, "ยกเลิกการเชื่อมต่อ"), 3));
    let done = say(&s, &teacher, press(&button_data(&ask, "ยืนยัน"), 3));
    assert!(texts(&done).contains("ยกเลิกการเชื่อมต่อ"), "{}", texts(&done));
    let somchai = student_id(&s, "10001");
    assert!(s.app.store.read(|c| users::linked_parents(c, somchai)).unwrap().is_empty());
    assert!(s.app.store.read(|c| users::children_of(c, parent)).unwrap().is_empty());
    // A teacher of another class cannot use the same button data.
    let other_code = invite_code(&s, Role::Teacher, &["ป.4/2"], None);
    let other = person(453, "ครูมานี");
    say(&s, &other, command("start", &other_code));
    let refused = say(&s, &other, press(&button_data(&overview, "สมชาย"), 4));
    assert!(texts(&refused).contains("ไม่ได้อยู่ในชั้นที่คุณครูดูแล"), "{}", texts(&refused));
}

#[test]
fn the_hand_over_picker_pages_past_twenty_people() {
    let s = School::with_roster();
    let counselor_code = invite_code(&s, Role::Counselor, &[], None);
    let counselor = person(461, "ครูแนะแนว");
    say(&s, &counselor, command("start", &counselor_code));
    for i in 0..25 {
        staff(&s, 600 + i, &format!("ครู {i:02}"), Role::Teacher, &[]);
    }
    let counselor_id =
        s.app.store.read(|c| users::find_by_telegram(c, dulae::domain::TelegramId(461))).unwrap().unwrap().id;
    let somchai = student_id(&s, "10001");
    let ctx = Ctx::of(&s.app);
    s.app
        .store
        .write(|tx| {
            cases::open_referral(
                tx,
                &ctx,
                &NewReferral {
                    student: somchai,
                    by: counselor_id,
                    aspects: vec![],
                    reason: "x".into(),
                    photo_file_id: None,
                    urgency: Urgency::Normal,
                    target: Target::Person(counselor_id),
                    source_submission: None,
                },
            )
        })
        .unwrap()
        .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut screen = say(&s, &counselor, press("1:cs:1:h", 7));
    for _ in 0..5 {
        for (text, _) in buttons(&screen).into_iter().filter(|(t, _)| t.starts_with("ครู ")) {
            seen.insert(text);
        }
        let next = buttons(&screen).into_iter().find(|(t, _)| t.ends_with("▶"));
        let Some((_, data)) = next else { break };
        screen = say(&s, &counselor, press(&data, 7));
    }
    assert_eq!(seen.len(), 25, "every teacher reachable: {seen:?}");
    // The last page's person can be chosen; the new owner gets the case to accept.
    let pick = buttons(&screen).into_iter().find(|(t, _)| t.starts_with("ครู 24")).unwrap().1;
    say(&s, &counselor, press(&pick, 7));
    let case = s.app.store.read(|c| cases::get_case(c, CaseId(1))).unwrap().unwrap();
    assert_ne!(case.owner, counselor_id);
    assert_eq!(case.status, CaseStatus::New);
}
