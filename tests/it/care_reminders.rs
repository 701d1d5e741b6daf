//! Reminders as rows, with a clock that only moves when told (no sleeping): the table for an action, quiet
//! hours, weekends, done/cancel/close stopping the rest, a restart between two reminders, catch-up after
//! downtime, acceptance deadlines and the head's weekly digest.

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use common::*;
use dulae::care::cases::{self, ActionId, CaseId, Ctx, NewReferral, Target};
use dulae::care::schedule::{ReminderPolicy, Urgency, local_instant};
use dulae::domain::{Role, UserId};
use dulae::notify::{digest, reminders};
use dulae::store::Store;

fn bkk(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local_instant(NaiveDate::from_ymd_opt(y, m, d).unwrap(), NaiveTime::from_hms_opt(h, min, 0).unwrap())
}

struct World {
    school: School,
    teacher: UserId,
    counselor: UserId,
    head: UserId,
}

fn join(s: &School, id: i64, role: Role, classes: &[&str]) -> UserId {
    s.person(id, &format!("user {id}")).join_as(role, classes).user_id()
}

fn world() -> World {
    let school = School::with_roster();
    let teacher = join(&school, 1, Role::Teacher, &["ป.4/1"]);
    let counselor = join(&school, 2, Role::Counselor, &[]);
    let head = join(&school, 3, Role::Head, &[]);
    World { school, teacher, counselor, head }
}

fn ctx(s: &School) -> Ctx<'_> {
    Ctx::of(&s.app)
}

fn refer(w: &World, urgency: Urgency) -> CaseId {
    let s = &w.school;
    let student = s.app.store.read(|c| dulae::store::students::find_student_by_code(c, "10001")).unwrap().unwrap();
    let r = NewReferral {
        student: student.id,
        by: w.teacher,
        aspects: vec!["learning".into()],
        reason: "ขาดเรียนบ่อย".into(),
        photo_file_id: None,
        urgency,
        target: Target::Person(w.counselor),
        source_submission: None,
    };
    s.app.store.write(|tx| cases::open_referral(tx, &ctx(s), &r)).unwrap().unwrap()
}

fn accepted_case_with_action(w: &World, due: NaiveDate) -> (CaseId, ActionId) {
    let s = &w.school;
    let case = refer(w, Urgency::Normal);
    s.app.store.write(|tx| cases::accept(tx, &ctx(s), case, w.counselor)).unwrap().unwrap();
    let action = s
        .app
        .store
        .write(|tx| cases::add_action(tx, &ctx(s), case, w.counselor, "เยี่ยมบ้าน", w.counselor, due))
        .unwrap()
        .unwrap();
    (case, action)
}

/// Outbox texts sent to one person.
fn outbox_for(s: &School, user: UserId) -> Vec<String> {
    s.app
        .store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT text FROM outbox WHERE user_id = ?1 AND status != 'cancelled' ORDER BY id")?;
            let rows = stmt.query_map([user.0], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .unwrap()
}

fn tick(s: &School, at: DateTime<Utc>) -> reminders::Pass {
    s.clock.set(at);
    reminders::run_due(&s.app.store, &s.app.l10n, &s.app.config.reminders, at).unwrap()
}

#[test]
fn every_reminder_of_an_action_goes_out_once_at_its_time() {
    let w = world();
    let s = &w.school;
    // Today is Thu 26 Nov 2026; due Wed 2 Dec.
    let (_, action) = accepted_case_with_action(&w, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    let rows = s.app.store.read(|c| reminders::reminders_of(c, action)).unwrap();
    let kinds: Vec<&str> = rows.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["before_3", "before_1", "due", "overdue_1", "overdue_3", "overdue_7", "escalate"]);
    // 3 days before is Sunday 29 Nov → Friday 27 Nov 08:00.
    assert_eq!(rows[0].1, bkk(2026, 11, 27, 8, 0));

    let before = outbox_for(s, w.counselor).len();
    assert_eq!(tick(s, bkk(2026, 11, 27, 7, 59)).sent, 0, "not before its time");
    assert_eq!(tick(s, bkk(2026, 11, 27, 8, 0)).sent, 1);
    assert_eq!(tick(s, bkk(2026, 11, 27, 8, 1)).sent, 0, "never twice");
    tick(s, bkk(2026, 12, 1, 8, 0));
    tick(s, bkk(2026, 12, 2, 8, 0));
    tick(s, bkk(2026, 12, 3, 8, 0));
    // +3 is Saturday 5 Dec (วันพ่อแห่งชาติ); Monday 7 Dec is its substitute holiday → Tuesday 8 Dec.
    assert_eq!(tick(s, bkk(2026, 12, 7, 8, 0)).sent, 0, "nobody is chased on a holiday");
    tick(s, bkk(2026, 12, 8, 8, 0));
    let texts = outbox_for(s, w.counselor)[before..].to_vec();
    assert_eq!(texts.len(), 5, "{texts:#?}");
    assert!(texts[0].contains("อีก 5 วัน"), "{}", texts[0]);
    assert!(texts[2].contains("วันนี้ครบกำหนด"), "{}", texts[2]);
    assert!(texts[4].contains("เลยกำหนดมา 6 วัน"), "{}", texts[4]);
    // +7 (Wed 9 Dec): the owner is reminded and the head alerted.
    let pass = tick(s, bkk(2026, 12, 9, 8, 0));
    assert_eq!(pass.sent, 2);
    assert!(outbox_for(s, w.head).iter().any(|t| t.contains("เลยกำหนด 7 วัน")), "{:?}", outbox_for(s, w.head));
}

/// The pending reminder rows of an action: (kind, when).
fn pending_of(s: &School, action: ActionId) -> Vec<(String, DateTime<Utc>)> {
    s.app
        .store
        .read(|c| reminders::reminders_of(c, action))
        .unwrap()
        .into_iter()
        .filter(|(_, _, status)| status == "pending")
        .map(|(kind, at, _)| (kind, at))
        .collect()
}

fn holidays(s: &School, command: dulae::care::holidays::HolidaysCommand) -> Vec<String> {
    let tr = s.app.l10n.tr(dulae::l10n::Lang::Th);
    dulae::care::holidays::execute(&s.app.store, tr, &s.app.config.reminders, command, s.clock.now_utc()).unwrap()
}

#[test]
fn public_holidays_and_breaks_move_reminders_and_the_school_can_edit_them() {
    use dulae::care::holidays::HolidaysCommand;
    let w = world();
    let s = &w.school;
    // The shipped list knows 2569's holidays: due Thu 10 Dec 2026 (วันรัฐธรรมนูญ) → "on the day" moves back to
    // Wed 9 Dec, where it merges with "1 day before".
    let (_, action) = accepted_case_with_action(&w, NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
    let rows = pending_of(s, action);
    assert!(rows.contains(&("due".into(), bkk(2026, 12, 9, 8, 0))), "{rows:#?}");
    assert!(!rows.iter().any(|(_, at)| *at == bkk(2026, 12, 10, 8, 0)), "{rows:#?}");
    let listed = holidays(s, HolidaysCommand::List { year: Some(2569) });
    assert!(listed.iter().any(|l| l.contains("10 ธ.ค. 2569") && l.contains("วันรัฐธรรมนูญ")), "{listed:#?}");
    assert!(listed.iter().any(|l| l.contains("ปิดภาคเรียนที่ 1/2569")), "{listed:#?}");
    let next_year = holidays(s, HolidaysCommand::List { year: Some(2570) });
    assert!(next_year.iter().any(|l| l.contains("วันมาฆบูชา") && l.contains("โดยประมาณ")), "{next_year:#?}");

    // The school removes it (it opens that day after all): the reminder goes back to the 10th at once.
    let out = holidays(s, HolidaysCommand::Remove { date: "10/12/2569".into(), to: None });
    assert!(out[0].contains("1 วัน"), "{out:?}");
    assert!(out[1].contains("1 รายการ"), "{out:?}");
    assert!(pending_of(s, action).contains(&("due".into(), bkk(2026, 12, 10, 8, 0))));

    // A special day off the cabinet announces (Fri 11 Dec): overdue +1 moves to Monday 14 Dec.
    holidays(
        s,
        HolidaysCommand::Add {
            date: "11/12/2026".into(), name: "วันหยุดพิเศษ".into(), to: None, school_break: false
        },
    );
    let rows = pending_of(s, action);
    assert!(rows.iter().any(|(k, at)| k.starts_with("overdue") && *at == bkk(2026, 12, 14, 8, 0)), "{rows:#?}");
    assert!(!rows.iter().any(|(_, at)| *at == bkk(2026, 12, 11, 8, 0)), "{rows:#?}");

    // Adding the same day back restores the first plan exactly (cancelled rows come back, none doubled).
    holidays(
        s,
        HolidaysCommand::Add {
            date: "10/12/2569".into(), name: "วันรัฐธรรมนูญ".into(), to: None, school_break: false
        },
    );
    let rows = pending_of(s, action);
    assert!(rows.contains(&("due".into(), bkk(2026, 12, 9, 8, 0))), "{rows:#?}");
    let mut kinds: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
    kinds.dedup();
    assert_eq!(kinds.len(), rows.len(), "one pending row per kind: {rows:#?}");

    // Bad input changes nothing and says why in Thai.
    let tr = s.app.l10n.tr(dulae::l10n::Lang::Th);
    let policy = &s.app.config.reminders;
    let now = s.clock.now_utc();
    let bad = |c| dulae::care::holidays::execute(&s.app.store, tr, policy, c, now).unwrap_err().to_string();
    assert!(bad(HolidaysCommand::Remove { date: "1/1/2571".into(), to: None }).contains("ไม่มีวันหยุด"));
    assert!(
        bad(HolidaysCommand::Add { date: "31/2/2570".into(), name: "x".into(), to: None, school_break: false })
            .contains("ไม่ใช่วันที่")
    );
    assert!(
        bad(HolidaysCommand::Add {
            date: "1/1/2570".into(),
            name: "x".into(),
            to: Some("1/1/2571".into()),
            school_break: true
        })
        .contains("ไม่เกิน 120 วัน")
    );
    let audited: i64 = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM audit_log WHERE entity = 'holiday'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(audited, 3);
}

#[test]
fn quiet_hours_hold_reminders_until_morning() {
    let w = world();
    let s = &w.school;
    let (_, action) = accepted_case_with_action(&w, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    let _ = action;
    // The server was down all day Friday and comes back at 22:00: nothing at night …
    let pass = tick(s, bkk(2026, 11, 27, 22, 0));
    assert_eq!((pass.sent, pass.waiting), (0, 1));
    // … and the reminder goes out at 07:00, marked late.
    let pass = tick(s, bkk(2026, 11, 28, 7, 0));
    assert_eq!(pass.sent, 1);
    let late: i64 = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM reminders WHERE late = 1", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(late, 1);
    assert!(outbox_for(s, w.counselor).last().unwrap().contains("แจ้งช้า"));
}

#[test]
fn done_cancel_and_close_stop_the_remaining_reminders() {
    let w = world();
    let s = &w.school;
    let due = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let (case, done) = accepted_case_with_action(&w, due);
    let cancelled = s
        .app
        .store
        .write(|tx| cases::add_action(tx, &ctx(s), case, w.counselor, "โทรหาผู้ปกครอง", w.teacher, due))
        .unwrap()
        .unwrap();
    let closed_later = s
        .app
        .store
        .write(|tx| cases::add_action(tx, &ctx(s), case, w.counselor, "ประชุม", w.counselor, due))
        .unwrap()
        .unwrap();
    tick(s, bkk(2026, 11, 27, 8, 0));
    s.app.store.write(|tx| cases::complete_action(tx, &ctx(s), done, w.counselor, Some("เรียบร้อย"))).unwrap().unwrap();
    s.app.store.write(|tx| cases::cancel_action(tx, &ctx(s), cancelled, w.counselor)).unwrap().unwrap();
    for action in [done, cancelled] {
        let rows = s.app.store.read(|c| reminders::reminders_of(c, action)).unwrap();
        assert!(!rows.is_empty(), "the action had reminders planned");
        assert!(rows.iter().all(|(_, _, status)| status != "pending"), "{rows:?}");
    }
    s.app.store.write(|tx| cases::close(tx, &ctx(s), case, w.counselor, "ดีขึ้นมาก")).unwrap().unwrap();
    let rows = s.app.store.read(|c| reminders::reminders_of(c, closed_later)).unwrap();
    assert!(!rows.is_empty(), "the action had reminders planned");
    assert!(rows.iter().all(|(_, _, status)| status != "pending"), "{rows:?}");
    let before = outbox_for(s, w.counselor).len() + outbox_for(s, w.teacher).len();
    for day in 28..=30 {
        tick(s, bkk(2026, 11, day, 9, 0));
    }
    tick(s, bkk(2026, 12, 9, 9, 0));
    assert_eq!(outbox_for(s, w.counselor).len() + outbox_for(s, w.teacher).len(), before, "no more reminders");
    // Closing needs an outcome note.
    let case2 = refer(&w, Urgency::Normal);
    let refusal = s.app.store.write(|tx| cases::close(tx, &ctx(s), case2, w.counselor, "  ")).unwrap();
    assert_eq!(refusal, Err(cases::CaseError::NoteRequired));
}

#[test]
fn a_restart_between_two_reminders_sends_each_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let open = |at| {
        let clock = std::sync::Arc::new(dulae::clock::FixedClock::new(at));
        School::on(
            dulae::app::App::with_clock(Store::open(&path).unwrap(), test_config(), clock.clone()).unwrap(),
            clock,
        )
    };
    let s = open(start_time());
    dulae::roster::import(&s.app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time())
        .unwrap();
    let w = World {
        teacher: join(&s, 1, Role::Teacher, &["ป.4/1"]),
        counselor: join(&s, 2, Role::Counselor, &[]),
        head: join(&s, 3, Role::Head, &[]),
        school: s,
    };
    accepted_case_with_action(&w, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    tick(&w.school, bkk(2026, 11, 27, 8, 0));
    let counselor = w.counselor;
    drop(w);
    // A new process on the same file.
    let s = open(bkk(2026, 11, 27, 9, 0));
    assert_eq!(tick(&s, bkk(2026, 11, 27, 9, 0)).sent, 0, "already sent before the restart");
    assert_eq!(tick(&s, bkk(2026, 12, 1, 8, 0)).sent, 1);
    assert_eq!(outbox_for(&s, counselor).iter().filter(|t| t.contains("⏰")).count(), 2);
}

#[test]
fn after_downtime_only_what_still_means_something_is_sent() {
    let w = world();
    let s = &w.school;
    accepted_case_with_action(&w, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    // Down from Thursday until Wednesday 9 Dec 07:30 (due was Wed 2 Dec; overdue_3 moved from Saturday 5 Dec past
    // the Monday holiday to Tuesday 8 Dec).
    let pass = tick(s, bkk(2026, 12, 9, 7, 30));
    // before_3, before_1, due: lost their meaning. overdue_1 is superseded by overdue_3, which is sent late.
    assert_eq!((pass.sent, pass.skipped), (1, 4), "{pass:?}");
    let last = outbox_for(s, w.counselor).last().unwrap().clone();
    assert!(last.contains("แจ้งช้า") && last.contains("เลยกำหนดมา 7 วัน"), "{last}");
}

#[test]
fn an_unaccepted_referral_reminds_the_owner_and_alerts_the_head() {
    let w = world();
    let s = &w.school;
    let case = refer(&w, Urgency::Urgent);
    let accepted_in_time = refer(&w, Urgency::Urgent);
    s.app.store.write(|tx| cases::accept(tx, &ctx(s), accepted_in_time, w.counselor)).unwrap().unwrap();
    assert_eq!(tick(s, s.clock.now_utc() + Duration::hours(23)).sent, 0);
    let pass = tick(s, start_time() + Duration::hours(24));
    assert_eq!(pass.sent, 1, "only the case still waiting: {pass:?}");
    assert!(outbox_for(s, w.counselor).iter().any(|t| t.contains(&format!("#{} ยังรอการรับเรื่อง", case.0))));
    assert!(outbox_for(s, w.head).iter().any(|t| t.contains(&format!("#{}", case.0)) && t.contains("ยังไม่มีผู้รับเรื่อง")));
    let events: Vec<String> =
        s.app.store.read(|c| cases::chronology(c, case)).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(events, ["opened", "escalated"]);
}

#[test]
fn a_very_urgent_referral_alerts_the_head_at_once() {
    let w = world();
    let s = &w.school;
    let case = refer(&w, Urgency::VeryUrgent);
    assert!(outbox_for(s, w.head).iter().any(|t| t.contains("ด่วนมาก") && t.contains(&format!("#{}", case.0))));
    let priority: i64 = s
        .app
        .store
        .read(
            |c| Ok(c.query_row("SELECT min(priority) FROM outbox WHERE user_id = ?1", [w.counselor.0], |r| r.get(0))?),
        )
        .unwrap();
    assert_eq!(priority, 0, "urgent messages go first");
    let _ = ReminderPolicy::default();
}

#[test]
fn the_weekly_digest_goes_to_the_head_once_on_monday_morning() {
    let w = world();
    let s = &w.school;
    refer(&w, Urgency::Normal);
    let charts = tempfile::tempdir().unwrap();
    // Thursday: nothing. Monday 30 Nov 07:29: nothing. 07:30: the digest.
    assert_eq!(
        digest::send_if_due(&s.app.store, &s.app.l10n, bkk(2026, 11, 26, 12, 0), None).unwrap(),
        1,
        "this week's (Mon 23 Nov) is still owed"
    );
    assert_eq!(digest::send_if_due(&s.app.store, &s.app.l10n, bkk(2026, 11, 27, 12, 0), None).unwrap(), 0);
    assert_eq!(digest::send_if_due(&s.app.store, &s.app.l10n, bkk(2026, 11, 30, 7, 29), None).unwrap(), 0);
    assert_eq!(
        digest::send_if_due(&s.app.store, &s.app.l10n, bkk(2026, 11, 30, 7, 30), Some(charts.path())).unwrap(),
        1
    );
    assert_eq!(
        digest::send_if_due(&s.app.store, &s.app.l10n, bkk(2026, 11, 30, 9, 0), Some(charts.path())).unwrap(),
        0,
        "once a week"
    );
    let text = outbox_for(s, w.head).into_iter().rev().find(|t| t.contains("สรุปประจำสัปดาห์")).unwrap();
    assert!(text.contains("30 พ.ย. 2569"), "{text}");
    assert!(text.contains("• ป.4/1 0/2"), "{text}");
    assert!(text.contains("รอรับเรื่อง 1"), "{text}");
    assert!(!text.contains("สมชาย"), "no names in a digest: {text}");
    // The chart goes with it, as a picture drawn into the charts folder.
    let (kind, media): (String, String) = s
        .app
        .store
        .read(|c| {
            Ok(c.query_row("SELECT kind, media FROM outbox WHERE dedupe_key LIKE 'digest:%:chart'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .unwrap();
    assert_eq!(kind, "photo");
    let png = std::fs::read(&media).unwrap();
    assert_eq!(&png[1..4], b"PNG", "{media}");
}

#[test]
fn yearly_tasks_from_the_school_procedure_remind_the_head() {
    let w = world();
    let s = &w.school;
    let policy = s.app.config.reminders.clone();
    reminders::plan_yearly_tasks(&s.app.store, &policy, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap();
    reminders::plan_yearly_tasks(&s.app.store, &policy, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap();
    let planned: i64 = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM reminders WHERE subject = 'yearly'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(planned, 5, "one per task, idempotent");
    let pass = tick(s, bkk(2027, 3, 1, 8, 0));
    assert_eq!(pass.sent, 1);
    assert!(outbox_for(s, w.head).iter().any(|t| t.contains("โครงสร้าง")));
}
