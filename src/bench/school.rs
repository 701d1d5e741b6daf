//! Schools for the live benchmarks, written straight into a fresh database: parents with invite codes (joining
//! bursts), and a full school with ten years of records (the update-handling benchmark).

use super::store::{NewStudent, NewSubmission, Seed};
use crate::clock::{Clock, SystemClock};
use crate::domain::ids::{ClassId, UserId};
use crate::invites;
use crate::store::audit::Actor;
use crate::store::students::StudentId;
use crate::store::{Store, instant};
use std::path::Path;

/// Classes ป.1–ป.6 and ม.1–ม.6, this many rooms each.
const ROOMS: i64 = 10;
const GRADES: [(&str, i64); 12] = [
    ("ป.", 1),
    ("ป.", 2),
    ("ป.", 3),
    ("ป.", 4),
    ("ป.", 5),
    ("ป.", 6),
    ("ม.", 1),
    ("ม.", 2),
    ("ม.", 3),
    ("ม.", 4),
    ("ม.", 5),
    ("ม.", 6),
];

/// Chat ids of the teachers start here (one teacher per class).
pub const FIRST_TEACHER: i64 = 2_000_000;
/// Chat ids of joining parents start here.
pub const FIRST_JOINER: i64 = 3_000_000;

/// `students` students in one class and a parent invite code for each.
pub fn joiners(path: &Path, students: usize) -> anyhow::Result<Vec<String>> {
    let store = Store::open(path)?;
    let now = SystemClock.now();
    let at = instant(now);
    store.write(|tx| {
        let seed = Seed::new(tx, &at);
        seed.class(ClassId(1), "ป.1/1", "ป.", 1, 1)?;
        for i in 0..students as i64 {
            let code = format!("{}", 500_000 + i);
            seed.student(&NewStudent {
                id: StudentId(i + 1),
                code: &code,
                prefix: "ด.ญ.",
                first_name: "นักเรียน",
                last_name: &format!("ทดสอบ{code}"),
                nickname: None,
                gender: None,
                class: ClassId(1),
                parent_name: None,
                parent_phone: None,
                archived_at: None,
            })?;
        }
        Ok(())
    })?;
    let mut codes = Vec::with_capacity(students);
    for i in 0..students as i64 {
        let created = invites::create_parent(&store, Actor::Cli, StudentId(i + 1), 150, now)?;
        codes.push(created.code.as_str().to_string());
    }
    Ok(codes)
}

/// What [`full_school`] wrote.
pub struct School {
    pub classes: i64,
    pub students: i64,
    pub submissions: i64,
    pub outbox_rows: i64,
    pub audit_rows: i64,
    /// One teacher per class: their chat ids.
    pub teachers: Vec<i64>,
}

/// A school of about 5,000 students in 120 classes, a teacher per class, a parent per student, and ten years of
/// records: two screenings and one home visit a year per student, the announcements every parent received,
/// the audit trail, and the pupils who left over the years (archived, never deleted).
pub fn full_school(path: &Path) -> anyhow::Result<School> {
    let store = Store::open(path)?;
    let now = SystemClock.now();
    let at = instant(now);
    let per_class = 42;
    let current_year = 2569; // Buddhist Era; the benchmark's "now" is in term 2/2569 or close to it
    let answers = serde_json::json!({
        "answers": (1..=25).map(|q| (format!("q{q}"), serde_json::json!(q % 3))).collect::<serde_json::Map<_, _>>()
    })
    .to_string();
    let score = r#"{"total":9,"groups":{"emotion":"normal","conduct":"normal","hyperactivity":"risk","peer":"normal","prosocial":"normal"}}"#;
    let mut school =
        School { classes: 0, students: 0, submissions: 0, outbox_rows: 0, audit_rows: 0, teachers: vec![] };
    store.write(|tx| {
        let seed = Seed::new(tx, &at);
        seed.user(UserId(1), 1, "หัวหน้างานกิจการนักเรียน", "head")?;
        let first_names = ["สมชาย", "สมหญิง", "กมล", "ปิยะ", "วิภา", "อนุชา", "ศิริพร", "ธนา", "มาลี", "ณัฐ"];
        let last_names = ["ใจดี", "รักเรียน", "มั่นคง", "ศรีสุข", "แสงทอง", "บุญมา", "ทองคำ", "พรหมมา"];
        let mut student_id = 0i64;
        let mut user_id = 100i64;
        for (level, grade) in GRADES {
            for room in 1..=ROOMS {
                school.classes += 1;
                let class_id = school.classes;
                let name = format!("{level}{grade}/{room}");
                seed.class(ClassId(class_id), &name, level, grade, room)?;
                user_id += 1;
                let chat = FIRST_TEACHER + class_id;
                seed.user(UserId(user_id), chat, &format!("ครูประจำชั้น {name}"), "teacher")?;
                seed.teaches(UserId(user_id), ClassId(class_id))?;
                school.teachers.push(chat);
                for n in 0..per_class {
                    student_id += 1;
                    let first = first_names[(student_id % 10) as usize];
                    let last = last_names[(student_id % 8) as usize];
                    let (prefix, gender) =
                        if student_id % 2 == 0 { ("ด.ญ.", "female") } else { ("ด.ช.", "male") };
                    let nickname: String = first.chars().take(2).collect();
                    seed.student(&NewStudent {
                        id: StudentId(student_id),
                        code: &format!("{}", 10_000 + student_id),
                        prefix,
                        first_name: first,
                        last_name: &format!("{last}{n}"),
                        nickname: Some(&nickname),
                        gender: Some(gender),
                        class: ClassId(class_id),
                        parent_name: Some("ผู้ปกครอง"),
                        parent_phone: Some("0812345678"),
                        archived_at: None,
                    })?;
                    school.students += 1;
                    user_id += 1;
                    let chat = 5_000_000 + student_id;
                    seed.user(UserId(user_id), chat, &format!("ผู้ปกครอง {chat}"), "parent")?;
                    seed.parent_of(UserId(user_id), StudentId(student_id))?;
                }
            }
        }
        // Pupils who left over ten years: archived, with their records.
        let active = student_id;
        for _ in 0..4_000 {
            student_id += 1;
            seed.student(&NewStudent {
                id: StudentId(student_id),
                code: &format!("{}", 10_000 + student_id),
                prefix: "ด.ช.",
                first_name: "ศิษย์เก่า",
                last_name: &format!("รุ่น{}", student_id % 10),
                nickname: None,
                gender: Some("male"),
                class: ClassId(1 + student_id % school.classes),
                parent_name: Some("ผู้ปกครอง"),
                parent_phone: Some("0812345678"),
                archived_at: Some(&at),
            })?;
        }
        // Ten years of records for everyone (current pupils and those who left).
        for year in (current_year - 10)..current_year {
            let when = format!("{}-07-15T03:00:00Z", year - 543);
            for sid in 1..=student_id {
                // A pupil who left was there for some of the years only.
                if sid > active && (sid + i64::from(year)) % 3 == 0 {
                    continue;
                }
                let teacher_user = 101 + (sid % school.classes) * (per_class + 1);
                for (form, kind, term) in [
                    ("sdq-teacher", "screening", format!("1/{year}")),
                    ("sdq-teacher", "screening", format!("2/{year}")),
                    ("home-visit", "home_visit", format!("1/{year}")),
                ] {
                    let group = if sid % 9 == 0 { "risk" } else { "normal" };
                    let id = seed.submission(&NewSubmission {
                        form_id: form,
                        kind,
                        student: StudentId(sid),
                        term: &term,
                        answers: &answers,
                        score: (kind == "screening").then_some(score),
                        overall: (kind == "screening").then_some(group),
                        by: UserId(teacher_user),
                        at: &when,
                    })?;
                    school.submissions += 1;
                    seed.audit_submit(&when, UserId(teacher_user), id)?;
                    school.audit_rows += 1;
                }
            }
        }
        // The announcements every parent received: ten a year.
        for n in 0..100i64 {
            let when = format!("{}-{:02}-10T02:00:00Z", 2016 + n / 10, 1 + n % 10);
            let text = format!("ประกาศที่ {n}: แจ้งกำหนดการประชุมผู้ปกครองและกิจกรรมของโรงเรียนค่ะ");
            for sid in 1..=active {
                let parent_user = 101 + (sid - 1) / per_class * (per_class + 1) + (sid - 1) % per_class + 1;
                seed.sent_message(
                    5_000_000 + sid,
                    UserId(parent_user),
                    &text,
                    &format!("bench:{n}:{sid}"),
                    n + 1,
                    &when,
                    n * 10_000 + sid,
                )?;
                school.outbox_rows += 1;
            }
        }
        Ok(())
    })?;
    Ok(school)
}
