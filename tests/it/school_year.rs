//! The school year below the transport: `dulae year start` (check writes nothing, the quarter rule, all or
//! nothing, when it may run), what the rollover does to classes, access, cases and parent codes, and the
//! forms' coverage period.

use crate::common;

use chrono::{TimeZone, Utc};
use common::*;
use dulae::care::cases::{self, Ctx, NewReferral, Target};
use dulae::care::policy::{self, CareAction};
use dulae::care::schedule::Urgency;
use dulae::domain::{AcademicYear, Role};
use dulae::invites::{self, Joiner, Redeemed, Refusal};
use dulae::store::audit::Actor;
use dulae::store::{students, users};
use dulae::year::{self, Outcome, Request, RolloverError};

/// 5 April 2027, 10:00 in Bangkok: after term 2/2569, before term 1/2570.
fn april() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 4, 5, 3, 0, 0).single().unwrap()
}

/// Excel's export: a BOM and CRLF line ends. 10001 and 10002 move up to ป.5/1, 10003 leaves, 10004 arrives.
const NEXT_YEAR: &str = "\u{feff}student_id,prefix,first_name,last_name,class\r\n\
10001,ด.ช.,สมชาย,ใจดี,ป.5/1\r\n\
10002,ด.ญ.,สมหญิง,รักเรียน,ป.5/1\r\n\
10004,ด.ญ.,มาลี,มาใหม่,ป.4/1\r\n";

fn joiner(id: i64) -> Joiner {
    Joiner {
        telegram_id: dulae::domain::TelegramId(id),
        chat_id: id,
        display_name: format!("person {id}"),
        username: None,
        lang: dulae::l10n::Lang::Th,
    }
}

/// Every row of every table, as text: "writes nothing at all" is checked against this.
fn snapshot(s: &School) -> Vec<String> {
    s.app
        .store
        .read(|c| {
            let mut stmt = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
            let tables: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let mut out = vec![];
            for table in tables {
                let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\""))?;
                let width = stmt.column_count();
                let rows = stmt.query_map([], |r| {
                    let mut line = format!("{table}:");
                    for i in 0..width {
                        line.push_str(&format!("{:?}|", r.get_ref(i)?));
                    }
                    Ok(line)
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            Ok(out)
        })
        .unwrap()
}

/// The rollover as `dulae year start` runs it; a fault fails the test, a refusal is the `Err`.
fn start(s: &School, roster: &str, check_only: bool, confirmed: bool) -> Result<Outcome, RolloverError> {
    let now = s.clock.now_utc();
    let today = now.with_timezone(&dulae::l10n::thai_date::bangkok()).date_naive();
    let request = Request { year: AcademicYear::new(2570), roster: roster.as_bytes(), check_only, confirmed };
    year::start(&s.app.store, Actor::Cli, request, now, today).expect("no fault")
}

fn refusal(result: Result<Outcome, RolloverError>) -> RolloverError {
    result.expect_err("a rollover refusal")
}

/// The school of the tests with a teacher of ป.4/1, a counsellor and an open case for 10001 (with an action).
fn school_in_2569() -> (School, dulae::domain::UserId, dulae::domain::UserId) {
    let s = School::with_roster();
    let teacher = staff(&s, 301, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    let counselor = staff(&s, 302, "ครูแนะแนว", Role::Counselor, &[]);
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
                    by: teacher,
                    aspects: vec!["learning".into()],
                    reason: "ขาดเรียนบ่อย".into(),
                    photo_file_id: None,
                    urgency: Urgency::Normal,
                    target: Target::Person(counselor),
                    source_submission: None,
                },
            )??;
            cases::accept(tx, &ctx, case, counselor)??;
            let due = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
            cases::add_action(tx, &ctx, case, counselor, "เยี่ยมบ้าน", counselor, due)??;
            Ok(())
        })
        .unwrap();
    (s, teacher, counselor)
}

#[test]
fn check_writes_nothing_at_all_and_shows_the_plan() {
    let (s, _, _) = school_in_2569();
    s.clock.set(april());
    let before = snapshot(&s);
    let Outcome::Checked(plan) = start(&s, NEXT_YEAR, true, false).unwrap() else { panic!("a check") };
    assert_eq!(snapshot(&s), before, "--check writes nothing at all");
    assert_eq!(plan.active_before, 3);
    assert_eq!((plan.moved.len(), plan.added, plan.archived.len()), (2, 1, 1));
    assert_eq!(plan.archived[0].code, "10003");
    assert_eq!(plan.assignments_ending, [("ครูสมศรี".to_string(), "ป.4/1".to_string())]);
    let classes: Vec<String> = plan.classes_without_teacher.iter().map(ToString::to_string).collect();
    assert_eq!(classes, ["ป.4/1", "ป.5/1"]);
    // The case follows the student into ป.5/1, with its open action.
    assert_eq!(plan.cases.len(), 1);
    assert_eq!(plan.cases[0].class.map(|c| c.to_string()).as_deref(), Some("ป.5/1"));
    assert_eq!(plan.open_actions(), 1);
}

#[test]
fn a_broken_roster_changes_nothing_and_names_line_and_column() {
    let (s, _, _) = school_in_2569();
    s.clock.set(april());
    let before = snapshot(&s);
    let broken = "\u{feff}student_id,prefix,first_name,last_name,class\r\n10001,ด.ช.,สมชาย,ใจดี,ป.5/1\r\n10002,xx,สมหญิง,รักเรียน,ป.9/1\r\n";
    let RolloverError::Roster(errors) = refusal(start(&s, broken, false, true)) else { panic!("roster errors") };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|e| e.starts_with("line 3, column prefix")), "{text:?}");
    assert!(text.iter().any(|e| e.starts_with("line 3, column class")), "{text:?}");
    assert_eq!(snapshot(&s), before, "all or nothing");
}

#[test]
fn archiving_more_than_a_quarter_asks_for_yes() {
    let (s, _, _) = school_in_2569();
    s.clock.set(april());
    let before = snapshot(&s);
    // Only one of the three students: two would be archived (more than a quarter of 3).
    let one_class = "student_id,prefix,first_name,last_name,class\n10001,ด.ช.,สมชาย,ใจดี,ป.5/1\n";
    match refusal(start(&s, one_class, false, false)) {
        RolloverError::NeedsConfirmation { archived, active } => assert_eq!((archived, active), (2, 3)),
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(&s), before);
    // The check shows the same plan and still writes nothing.
    let Outcome::Checked(plan) = start(&s, one_class, true, false).unwrap() else { panic!() };
    assert!(plan.needs_confirmation());
    assert_eq!(snapshot(&s), before);
    // With --yes it goes ahead.
    let Outcome::Started(plan) = start(&s, one_class, false, true).unwrap() else { panic!() };
    assert_eq!(plan.archived.len(), 2);
    assert_eq!(s.app.store.read(students::count_active_students).unwrap(), 1);
}

#[test]
fn exactly_a_quarter_needs_no_yes() {
    let s = School::new();
    let four = "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.1/1\n2,ด.ช.,ค,ง,ป.1/1\n3,ด.ช.,จ,ฉ,ป.1/1\n4,ด.ช.,ช,ซ,ป.1/1\n";
    dulae::roster::import(&s.app.store, four.as_bytes(), false, Actor::Cli, start_time()).unwrap();
    s.clock.set(april());
    let three = "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.2/1\n2,ด.ช.,ค,ง,ป.2/1\n3,ด.ช.,จ,ฉ,ป.2/1\n";
    assert!(matches!(start(&s, three, false, false).unwrap(), Outcome::Started(_)));
}

#[test]
fn the_rollover_may_run_from_the_end_of_term_2_and_only_once() {
    let (s, _, _) = school_in_2569();
    // November: term 2/2569 has just begun.
    let before = snapshot(&s);
    match refusal(start(&s, NEXT_YEAR, false, false)) {
        RolloverError::TooEarly { from, .. } => assert_eq!(from, chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()),
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(&s), before);
    // A school that records an earlier end of term 2 may start earlier.
    s.app
        .store
        .write(|tx| {
            let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
            dulae::store::terms::set(
                tx,
                dulae::domain::Term::parse("2/2569").unwrap(),
                d(2026, 11, 1),
                d(2027, 3, 20),
                start_time(),
            )
        })
        .unwrap();
    s.clock.set(Utc.with_ymd_and_hms(2027, 3, 20, 3, 0, 0).single().unwrap());
    // (One of three students leaves: more than a quarter of this tiny school, hence --yes.)
    assert!(matches!(start(&s, NEXT_YEAR, false, true).unwrap(), Outcome::Started(_)));
    assert!(matches!(refusal(start(&s, NEXT_YEAR, false, true)), RolloverError::AlreadyStarted(_)));
    let history = s.app.store.read(year::history).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].0, AcademicYear::new(2570));
}

#[test]
fn after_the_rollover_access_follows_the_new_classes_and_cases_follow_the_student() {
    let (s, teacher, counselor) = school_in_2569();
    let now = s.clock.now_utc();
    // A parent code for a student who stays, one for a student who leaves, an unused class invite.
    let stays = invites::create_parent(&s.app.store, Actor::Cli, student_id(&s, "10002"), 150, now).unwrap();
    let leaves = invites::create_parent(&s.app.store, Actor::Cli, student_id(&s, "10003"), 150, now).unwrap();
    let class_invite = invite_code(&s, Role::Teacher, &["ป.4/2"], None);

    s.clock.set(april());
    // (One of three students leaves: more than a quarter of this tiny school, hence --yes.)
    let Outcome::Started(plan) = start(&s, NEXT_YEAR, false, true).unwrap() else { panic!() };
    assert_eq!(plan.parent_codes_voided, 1);
    assert_eq!(plan.class_invites_voided, 1);
    let now = s.clock.now_utc();

    // Students moved, the one not in the roster archived (kept), the new one added.
    let somchai = s.app.store.read(|c| students::find_student_by_code(c, "10001")).unwrap().unwrap();
    assert_eq!(somchai.class_name, "ป.5/1");
    let mana = s.app.store.read(|c| students::find_student_by_code(c, "10003")).unwrap().unwrap();
    assert!(mana.archived, "archived, never deleted");
    assert!(s.app.store.read(|c| students::find_student_by_code(c, "10004")).unwrap().is_some());

    // Every assignment of the old year ended: the old teacher no longer opens the class's records.
    let old = s.app.store.read(|c| users::get(c, teacher)).unwrap().unwrap();
    assert!(s.app.store.read(|c| users::classes_of(c, teacher)).unwrap().is_empty());
    assert!(!s.app.store.read(|c| policy::allows(c, &old, CareAction::ViewRecords, &somchai)).unwrap());
    // The new homeroom teacher of ป.5/1 sees the student's earlier records; the case carries on unchanged.
    let new = staff(&s, 303, "ครูใหม่", Role::Teacher, &[]);
    dulae::staff::assign(&s.app.store, Actor::Cli, "tg:303", &["ป.5/1".parse().unwrap()], now).unwrap().unwrap();
    let new = s.app.store.read(|c| users::get(c, new)).unwrap().unwrap();
    assert!(s.app.store.read(|c| policy::allows(c, &new, CareAction::ViewRecords, &somchai)).unwrap());
    let case = s.app.store.read(|c| cases::get_case(c, cases::CaseId(1))).unwrap().unwrap();
    assert_eq!((case.student, case.owner), (somchai.id, counselor));
    assert_ne!(case.status, cases::CaseStatus::Closed);

    // Codes of students who stay keep working; a student who left takes theirs along; class invites are void.
    assert!(matches!(
        invites::redeem(&s.app.store, stays.code.as_str(), &joiner(90), 2, now).unwrap(),
        Redeemed::Joined { role: Role::Parent, .. }
    ));
    assert_eq!(
        invites::redeem(&s.app.store, leaves.code.as_str(), &joiner(91), 2, now).unwrap(),
        Redeemed::Refused(Refusal::Voided)
    );
    assert_eq!(
        invites::redeem(&s.app.store, &class_invite, &joiner(92), 2, now).unwrap(),
        Redeemed::Refused(Refusal::Voided)
    );
    // The audit log has the year.
    let actions: Vec<String> =
        s.app.store.read(|c| dulae::store::audit::recent(c, 50)).unwrap().into_iter().map(|r| r.action).collect();
    assert!(actions.iter().any(|a| a == "year.start"), "{actions:?}");
}

#[test]
fn an_archived_students_code_stops_working_whatever_archived_them() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let code = invites::create_parent(&s.app.store, Actor::Cli, student_id(&s, "10003"), 150, now).unwrap();
    // `dulae import students --archive-missing` with ป.4/2 empty of 10003.
    let roster = "student_id,prefix,first_name,last_name,class\n10005,ด.ช.,ใหม่,มา,ป.4/2\n";
    dulae::roster::import(&s.app.store, roster.as_bytes(), true, Actor::Cli, now).unwrap();
    assert_eq!(
        invites::redeem(&s.app.store, code.code.as_str(), &joiner(93), 2, now).unwrap(),
        Redeemed::Refused(Refusal::StudentLeft)
    );
}

#[test]
fn forms_say_what_their_coverage_counts_in() {
    let forms = dulae::forms::load_forms(None).unwrap();
    let period = |kind: &str| forms.of_kind(kind).next().unwrap().period;
    assert_eq!(period("screening"), dulae::domain::Period::Term);
    assert_eq!(period("home_visit"), dulae::domain::Period::Year);
    // `forms check` refuses anything but term or year, naming the file.
    let text = r#"
id = "monthly"
version = 1
kind = "screening"
period = "month"
title = { th = "แบบทดสอบ" }
[[questions]]
id = "q1"
type = "text"
label = { th = "คำถาม" }
"#;
    let errors = dulae::forms::parse_and_validate("monthly.toml", text).expect_err("refused");
    let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(all.iter().any(|e| e.starts_with("monthly.toml") && e.contains("period \"month\"")), "{all:?}");
    // The store knows the periods of the loaded forms (the reports read them).
    let s = School::new();
    let stored = s.app.store.read(|c| dulae::store::forms::period_of(c, "home_visit")).unwrap();
    assert_eq!(stored, dulae::domain::Period::Year);
    // A home visit in term 1 counts for term 2 of the same year, not for the next year.
    let counted = s.app.store.read(|c| dulae::store::forms::counted_terms(c, "home_visit", "2/2569")).unwrap();
    assert_eq!(counted, r#"["1/2569","2/2569"]"#);
    let screening = s.app.store.read(|c| dulae::store::forms::counted_terms(c, "screening", "2/2569")).unwrap();
    assert_eq!(screening, r#"["2/2569"]"#);
}
