//! One update is one unit of work: a flow's domain writes and the chat's new state commit together or not at
//! all. These tests make the update's transaction fail at its 1st, 2nd, … row write in turn (a temporary
//! SQLite trigger on every table raises an error once the count is reached) and show that every failure leaves
//! the database exactly as it was — the person gets the apology and can simply try again — and that the run
//! without a fault leaves the same database as a school that never saw a fault.

use crate::common;

use common::*;
use dulae::conversation::{self, Event, Reply, Sender};
use dulae::domain::Role;
use dulae::store::Store;
use rusqlite::types::ValueRef;

/// Every row of every table, as text, table by table (sorted, so the comparison does not depend on order).
fn snapshot(store: &Store) -> Vec<(String, Vec<String>)> {
    store
        .read(|c| {
            let mut tables: Vec<String> = c
                .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            tables.retain(|t| t != "sqlite_stat1");
            let mut out = vec![];
            for table in tables {
                let mut stmt = c.prepare(&format!("SELECT * FROM main.\"{table}\""))?;
                let columns = stmt.column_count();
                let mut rows: Vec<String> = stmt
                    .query_map([], |r| {
                        let mut values = vec![];
                        for i in 0..columns {
                            values.push(match r.get_ref(i)? {
                                ValueRef::Null => "NULL".to_string(),
                                ValueRef::Integer(n) => n.to_string(),
                                ValueRef::Real(x) => x.to_string(),
                                ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                                ValueRef::Blob(b) => format!("blob {b:?}"),
                            });
                        }
                        Ok(values.join(" | "))
                    })?
                    .collect::<Result<_, _>>()?;
                rows.sort();
                out.push((table, rows));
            }
            Ok(out)
        })
        .expect("snapshot")
}

/// The buttons' nonces are random per run of a flow: the one thing two schools driven alike may differ in.
fn without_nonces(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("nonce") {
        let (head, tail) = rest.split_at(at + "nonce".len());
        out.push_str(head);
        // `"nonce":"abcd"`, possibly escaped inside a debug string: skip to the 4 characters and mask them.
        let value_start = tail.find(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_').unwrap_or(0);
        out.push_str(&tail[..value_start]);
        out.push_str("····");
        rest = tail.get(value_start + 4..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn normalised(snap: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    snap.iter()
        .map(|(t, rows)| {
            let mut rows: Vec<String> = rows.iter().map(|r| without_nonces(r)).collect();
            rows.sort();
            (t.clone(), rows)
        })
        .collect()
}

/// Make row write number `fail_at` (counted from 1, every insert, update and delete of any table) of the next
/// transactions fail. Temporary triggers live on this connection only and never in the school's file.
fn arm(store: &Store, fail_at: i64) {
    store
        .read(|c| {
            c.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS fault_plan (fail_at INTEGER NOT NULL, seen INTEGER NOT NULL);
                 DELETE FROM temp.fault_plan;",
            )?;
            c.execute("INSERT INTO temp.fault_plan (fail_at, seen) VALUES (?1, 0)", [fail_at])?;
            let tables: Vec<String> = c
                .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for table in tables {
                for op in ["INSERT", "UPDATE", "DELETE"] {
                    c.execute_batch(&format!(
                        "CREATE TEMP TRIGGER IF NOT EXISTS \"fault_{table}_{op}\" AFTER {op} ON main.\"{table}\"
                         BEGIN
                           UPDATE fault_plan SET seen = seen + 1;
                           SELECT RAISE(ABORT, 'injected fault') FROM fault_plan WHERE seen >= fail_at;
                         END;"
                    ))?;
                }
            }
            Ok(())
        })
        .expect("arm the fault");
}

/// How many row writes the last transactions made since [`arm`].
fn writes_seen(store: &Store) -> i64 {
    store.read(|c| Ok(c.query_row("SELECT seen FROM temp.fault_plan", [], |r| r.get(0))?)).expect("count")
}

fn tables_changed(before: &[(String, Vec<String>)], after: &[(String, Vec<String>)]) -> Vec<String> {
    before.iter().zip(after).filter(|(b, a)| b != a).map(|(b, _)| b.0.clone()).collect()
}

/// A button's callback data with its flow nonce masked (`1:f:<nonce>:…`, `1:an:f:<nonce>:…`).
fn masked(data: &str) -> String {
    let mut parts: Vec<&str> = data.split(':').collect();
    let at = match parts.get(1) {
        Some(&"f" | &"pk" | &"rs" | &"ci" | &"inv") => 2,
        Some(&"an") if parts.get(2) == Some(&"f") => 3,
        _ => return data.to_string(),
    };
    if let Some(nonce) = parts.get_mut(at) {
        *nonce = "····";
    }
    parts.join(":")
}

fn replies_text(replies: &[Reply]) -> Vec<String> {
    replies
        .iter()
        .map(|r| match r {
            Reply::Send { text, keyboard } | Reply::Edit { text, keyboard, .. } => {
                let buttons: Vec<String> =
                    keyboard.0.concat().iter().map(|b| format!("[{} → {}]", b.text, masked(&b.data))).collect();
                format!("{text} {}", buttons.join(" "))
            }
            other => format!("{other:?}"),
        })
        .collect()
}

/// A school in which the scenario can be played twice alike: roster and staff written directly (invite codes
/// would be random).
struct Cast {
    school: School,
    teacher: Sender,
    counselor: Sender,
}

fn cast() -> Cast {
    let school = School::with_roster();
    staff(&school, 1, "ครูสมศรี", Role::Teacher, &["ป.4/1"]);
    staff(&school, 2, "ครูใจดี แนะแนว", Role::Counselor, &[]);
    staff(&school, 3, "หัวหน้างาน", Role::Head, &[]);
    Cast {
        school, teacher: person(1, "ครูสมศรี"), counselor: person(2, "ครูใจดี แนะแนว")
    }
}

/// Play `setup` (which returns the school and the update to test), then that update: once as the reference,
/// then again in a fresh school with a fault at each of its writes in turn.
fn all_or_nothing(name: &str, setup: impl Fn() -> (Cast, Sender, Event), must_touch: &[&str]) {
    // The reference: the update without any fault.
    let (reference, who, last) = setup();
    let reference_before = snapshot(&reference.school.app.store);
    arm(&reference.school.app.store, i64::MAX);
    let expected_replies = say(&reference.school, &who, last);
    let writes = writes_seen(&reference.school.app.store);
    let expected = snapshot(&reference.school.app.store);
    let touched = tables_changed(&reference_before, &expected);
    for table in must_touch {
        assert!(touched.iter().any(|t| t == table), "{name}: the update writes {table} (it wrote {touched:?})");
    }
    assert!(writes >= must_touch.len() as i64, "{name}: {writes} writes");
    eprintln!("{name}: {writes} row writes in {} tables: {touched:?}", touched.len());

    // The same school again, failing at write 1, 2, … until the update goes through.
    let (faulty, who, last) = setup();
    let store = &faulty.school.app.store;
    let before = snapshot(store);
    assert!(normalised(&before) == normalised(&reference_before), "{name}: the two schools start alike");
    for fail_at in 1..=writes {
        arm(store, fail_at);
        let result = conversation::handle(&faulty.school.app, &private(&who, last.clone()));
        let error = match result {
            Err(e) => format!("{e:#}"),
            Ok(replies) => panic!("{name}: write {fail_at} of {writes} failed, yet the update reported {replies:?}"),
        };
        assert!(error.contains("injected fault"), "{name}: failed for another reason: {error}");
        assert!(
            snapshot(store) == before,
            "{name}: a failure at write {fail_at} of {writes} left something behind: {:?}",
            tables_changed(&before, &snapshot(store))
        );
    }
    // No fault at all: the update goes through and leaves what the reference left.
    arm(store, writes + 1);
    let replies = conversation::handle(&faulty.school.app, &private(&who, last)).expect("no fault, no error");
    assert_eq!(replies_text(&replies), replies_text(&expected_replies), "{name}: the replies");
    let after = snapshot(store);
    assert_eq!(
        tables_changed(&normalised(&expected), &normalised(&after)),
        Vec::<String>::new(),
        "{name}: the completed update left a different database than the reference"
    );
}

/// The teacher at the review screen of a screening whose answers put the student at risk; returns the press of
/// "submit".
fn at_review(c: &Cast) -> Event {
    let s = &c.school;
    let list = say(s, &c.teacher, command("screen", ""));
    say(s, &c.teacher, press(&button_data(&list, "สมชาย"), 1));
    let answers: std::collections::HashMap<&str, &str> =
        [("gpa", "0.5"), ("income", "above_10000")].into_iter().collect();
    let mut last = say(s, &c.teacher, Event::Text(String::new()));
    for _ in 0..120 {
        let event = next_action(&last, &answers).expect("a next step");
        if let Event::Button { data, .. } = &event
            && data.ends_with(":ok")
        {
            return event;
        }
        last = say(s, &c.teacher, event);
    }
    panic!("never reached the review screen");
}

/// A referral made from the result, up to the confirmation; returns the press of "confirm".
fn at_referral_confirm(c: &Cast) -> Event {
    let s = &c.school;
    let submit = at_review(c);
    let result = say(s, &c.teacher, submit);
    let aspects = say(s, &c.teacher, press(&button_data(&result, "ส่งต่อ"), 7));
    let _reason = say(s, &c.teacher, press(&button_data(&aspects, "เสร็จ"), 7));
    let photo = say(s, &c.teacher, text("ไม่ส่งการบ้านสามสัปดาห์ ดูเหนื่อยและง่วงในห้อง"));
    let urgency = say(s, &c.teacher, press(&button_data(&photo, "ข้าม"), 7));
    let target = say(s, &c.teacher, press(&button_data(&urgency, "ด่วน"), 7));
    let confirm = say(s, &c.teacher, press(&button_data(&target, "ครูใจดี"), 7));
    Event::Button { data: button_data(&confirm, "ยืนยันส่งต่อ"), message_id: Some(7) }
}

#[test]
fn submitting_a_screening_is_all_or_nothing() {
    all_or_nothing(
        "screening",
        || {
            let c = cast();
            let submit = at_review(&c);
            let teacher = c.teacher.clone();
            (c, teacher, submit)
        },
        &["submissions", "form_drafts", "audit_log", "conversations"],
    );
}

#[test]
fn making_a_referral_is_all_or_nothing() {
    all_or_nothing(
        "referral",
        || {
            let c = cast();
            let confirm = at_referral_confirm(&c);
            let teacher = c.teacher.clone();
            (c, teacher, confirm)
        },
        &["cases", "case_watchers", "case_events", "outbox", "reminders", "conversations"],
    );
}

#[test]
fn adding_a_plan_action_with_reminders_is_all_or_nothing() {
    all_or_nothing(
        "plan action",
        || {
            let c = cast();
            let s = &c.school;
            let confirm = at_referral_confirm(&c);
            say(s, &c.teacher, confirm);
            let open = dulae::conversation::buttons::ButtonData::Case {
                id: dulae::domain::ids::CaseId(1),
                action: dulae::conversation::buttons::CaseAction::Open,
            }
            .encode();
            let screen = say(s, &c.counselor, press(&open, 100));
            let accepted = say(s, &c.counselor, press(&button_data(&screen, "รับเรื่อง"), 100));
            let ask = say(s, &c.counselor, press(&button_data(&accepted, "เพิ่มกิจกรรม"), 101));
            assert!(texts(&ask).contains("กิจกรรม"), "{}", texts(&ask));
            let who = say(s, &c.counselor, text("เยี่ยมบ้านร่วมกับครูที่ปรึกษา"));
            say(s, &c.counselor, press(&button_data(&who, "ครูสมศรี"), 102));
            let counselor = c.counselor.clone();
            (c, counselor, text("3/12/2569"))
        },
        &["plan_actions", "reminders", "case_events", "outbox", "conversations"],
    );
}
