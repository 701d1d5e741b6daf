//! `dulae bench export`: what a long read does to everyone else. A school of 5,000 students with a year of
//! records (two screenings and a home visit each, cases with their chronology and plans) is written to a fresh
//! database file; then the term's export (and the statistics) run while another thread times a handler —
//! `conversation::handle` of `/help` from the head, every few milliseconds — the way the bot's update workers
//! would meet it. Each job runs the old way (everything inside the store's one write lock, as before issue 14)
//! and the new way (`ReportJob`: a short audited write, the rows read in a snapshot on a connection of its
//! own, the workbook written with no lock held), in alternating rounds. Prints a Markdown table for
//! BENCHMARKS.md. Not a test: it prints.

use super::store::{NewStudent, NewSubmission, Seed};
use crate::app::App;
use crate::clock::FixedClock;
use crate::config::Config;
use crate::conversation::{self, Event, Incoming, Sender};
use crate::domain::ids::{ClassId, StudentId, TelegramId, UserId};
use crate::reports::{self, Requester};
use crate::store::{Store, instant};
use anyhow::Context as _;
use chrono::{NaiveDate, TimeZone as _, Utc};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Students per class, as in a Thai school.
const PER_CLASS: usize = 42;
const HEAD: UserId = UserId(1);
const HEAD_CHAT: i64 = 1;
const COUNSELLOR: UserId = UserId(2);
const LEVELS: [(&str, i64); 12] = [
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

/// What was written.
struct Written {
    classes: usize,
    students: usize,
    submissions: usize,
    cases: usize,
}

/// The benchmark's "now": in term 2/2569 (the national calendar's term 2 begins on 1 November).
fn bench_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 15, 3, 0, 0).single().unwrap_or_else(Utc::now)
}

fn at(date: NaiveDate, hour: u32) -> String {
    instant(date.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc())
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A home visit's answers as the form engine stores them: a date, choices, a location and three household
/// members (each a row of the household sheet).
fn visit_answers(sid: i64) -> String {
    serde_json::json!({
        "visit_date": { "type": "date", "value": "2026-07-10" },
        "lives_with": { "type": "choice", "value": "parents" },
        "members": { "type": "repeat", "value": [
            { "member_relation": { "type": "choice", "value": "father" }, "member_age": { "type": "integer", "value": 40 + sid % 10 } },
            { "member_relation": { "type": "choice", "value": "mother" }, "member_age": { "type": "integer", "value": 38 + sid % 7 } },
            { "member_relation": { "type": "choice", "value": "sibling" }, "member_age": { "type": "integer", "value": 5 + sid % 9 } }
        ] },
        "risk_note": { "type": "text", "value": "บ้านอยู่ติดถนนใหญ่ ผู้ปกครองรับส่งทุกวัน" },
        "location": { "type": "location", "value": { "lat": 13.75 + (sid % 100) as f64 / 1000.0, "lon": 100.5 } }
    })
    .to_string()
}

/// Classes of 42, a teacher each, a parent per student; term 1/2569 and 2/2569 screenings and a home visit for
/// every student, a case for one student in ten (its chronology and two plan actions), an audit row per form.
fn seed(path: &Path, students: usize) -> anyhow::Result<Written> {
    let store = Store::open(path)?;
    let created = instant(bench_now());
    let screening = serde_json::json!({
        "sdq_1": { "type": "choice", "value": "1" },
        "sdq_2": { "type": "choice", "value": "0" },
        "note": { "type": "text", "value": "ตั้งใจเรียน เข้ากับเพื่อนได้ดี" }
    })
    .to_string();
    let classes = students.div_ceil(PER_CLASS);
    store.write(|tx| {
        let seed = Seed::new(tx, &created);
        seed.user(HEAD, HEAD_CHAT, "หัวหน้างานกิจการนักเรียน", "head")?;
        seed.user(COUNSELLOR, 2, "ครูแนะแนว", "counselor")?;
        let mut written = Written { classes, students, submissions: 0, cases: 0 };
        for c in 0..classes {
            let (level, grade) = LEVELS[c % LEVELS.len()];
            let room = (c / LEVELS.len()) as i64 + 1;
            let class = ClassId(c as i64 + 1);
            let name = format!("{level}{grade}/{room}");
            seed.class(class, &name, level, grade, room)?;
            let teacher = UserId(100 + class.0);
            seed.user(teacher, 2_000_000 + class.0, &format!("ครูประจำชั้น {name}"), "teacher")?;
            seed.teaches(teacher, class)?;
        }
        for s in 0..students {
            let sid = s as i64 + 1;
            let class = ClassId((s / PER_CLASS) as i64 + 1);
            let teacher = UserId(100 + class.0);
            let code = format!("{}", 10_000 + sid);
            let (prefix, gender) = if sid % 2 == 0 { ("ด.ญ.", "female") } else { ("ด.ช.", "male") };
            seed.student(&NewStudent {
                id: StudentId(sid),
                code: &code,
                prefix,
                first_name: ["สมชาย", "สมหญิง", "กมล", "ปิยะ", "วิภา"][(sid % 5) as usize],
                last_name: &format!("ใจดี{sid}"),
                nickname: Some("ต้น"),
                gender: Some(gender),
                class,
                parent_name: Some("ผู้ปกครอง"),
                parent_phone: Some("0812345678"),
                archived_at: None,
            })?;
            let parent = UserId(100_000 + sid);
            seed.user(parent, 5_000_000 + sid, &format!("ผู้ปกครอง {sid}"), "parent")?;
            seed.parent_of(parent, StudentId(sid))?;
            let group = if sid % 9 == 0 { "risk" } else { "normal" };
            let visit = visit_answers(sid);
            for (form, kind, term, when, answers) in [
                ("sdq-teacher", "screening", "1/2569", at(day(2026, 6, 1 + (sid % 25) as u32), 3), screening.as_str()),
                ("sdq-teacher", "screening", "2/2569", at(day(2026, 11, 2 + (sid % 25) as u32), 3), screening.as_str()),
                ("home-visit", "home_visit", "1/2569", at(day(2026, 7, 1 + (sid % 28) as u32), 4), visit.as_str()),
            ] {
                let id = seed.submission(&NewSubmission {
                    form_id: form,
                    kind,
                    student: StudentId(sid),
                    term,
                    answers,
                    score: None,
                    overall: (kind == "screening").then_some(group),
                    by: teacher,
                    at: &when,
                })?;
                seed.audit_submit(&when, teacher, id)?;
                written.submissions += 1;
            }
            if sid % 10 == 0 {
                let opened = at(day(2026, 11, 10 + (sid % 15) as u32), 2);
                let kind = if sid % 20 == 0 { "classroom" } else { "referral" };
                let owner = if kind == "classroom" { teacher } else { COUNSELLOR };
                let case = seed.case(
                    StudentId(sid),
                    teacher,
                    owner,
                    kind,
                    "urgent",
                    "in_progress",
                    "ขาดเรียนบ่อย ดูเหนื่อยล้าในห้องเรียน",
                    &opened,
                    None,
                )?;
                for (kind, detail) in [
                    ("opened", "ครูประจำชั้นเปิดเรื่อง"),
                    ("accepted", "รับเรื่องแล้ว"),
                    ("note", "พูดคุยกับนักเรียนและผู้ปกครอง"),
                    ("note", "นัดติดตามผลสัปดาห์หน้า"),
                ] {
                    seed.case_event(case, &opened, owner, kind, detail)?;
                }
                seed.plan_action(case, "โทรติดตามผู้ปกครอง", owner, "2026-12-10")?;
                seed.plan_action(case, "ติดตามการมาเรียน", owner, "2027-01-10")?;
                written.cases += 1;
            }
        }
        Ok(written)
    })
}

/// The handler's latencies while one job ran, and how long the job took.
struct Round {
    job: Duration,
    latencies: Vec<Duration>,
}

/// Run `job` on this thread while another thread times `/help` every `every`, until the job ends.
fn while_timing(app: &App, every: Duration, job: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<Round> {
    let done = AtomicBool::new(false);
    let incoming = Incoming {
        chat_id: HEAD_CHAT,
        private_chat: true,
        from: Sender {
            telegram_id: TelegramId(HEAD_CHAT), display_name: "หัวหน้างาน".into(), username: None
        },
        event: Event::Command { name: "help".into(), args: String::new() },
        album: None,
    };
    std::thread::scope(|scope| {
        let probe = scope.spawn(|| -> anyhow::Result<Vec<Duration>> {
            let mut latencies = vec![];
            while !done.load(Ordering::Acquire) {
                let started = Instant::now();
                let replies = conversation::handle(app, &incoming)?;
                latencies.push(started.elapsed());
                anyhow::ensure!(!replies.is_empty(), "/help gave no reply");
                std::thread::sleep(every);
            }
            Ok(latencies)
        });
        // Let the probe start first, so the job's whole length is watched.
        std::thread::sleep(every);
        let started = Instant::now();
        let outcome = job();
        let took = started.elapsed();
        done.store(true, Ordering::Release);
        let latencies = probe.join().map_err(|_| anyhow::anyhow!("the probe thread panicked"))??;
        outcome?;
        Ok(Round { job: took, latencies })
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, rounds: &[Round]) -> String {
    let mut all: Vec<Duration> = rounds.iter().flat_map(|r| r.latencies.iter().copied()).collect();
    all.sort();
    let jobs: Vec<String> = rounds.iter().map(|r| format!("{:.2} s", r.job.as_secs_f64())).collect();
    format!(
        "| {name} | {} | {} | {} | {} | {} |",
        if jobs.is_empty() { "–".to_string() } else { jobs.join(", ") },
        all.len(),
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default()),
    )
}

/// The export as it was before issue 14: the request, the numbers, every row and the workbook itself made
/// inside one write transaction, holding the store's lock from start to end.
fn export_holding_the_lock(app: &App) -> anyhow::Result<usize> {
    let (now, today) = (app.clock.now(), app.clock.today());
    app.store.write(|tx| {
        let job = reports::export_requested_in(tx, Requester::Cli, None, now, today)?.context("nothing to export")?;
        let stats = job.stats_in(tx)?;
        Ok(reports::xlsx::export(tx, &app.forms, &stats, &job.classes)?.len())
    })
}

/// The statistics as they were before issue 14: counted inside the turn's write transaction.
fn stats_holding_the_lock(app: &App) -> anyhow::Result<i64> {
    let (now, today) = (app.clock.now(), app.clock.today());
    app.store.write(|tx| {
        let job = reports::stats_requested_in(tx, Requester::Cli, None, now, today)?.context("no statistics")?;
        Ok(job.stats_in(tx)?.total.students)
    })
}

/// `dulae bench export`.
pub fn run(students: usize, rounds: usize, every_ms: u64) -> anyhow::Result<()> {
    let dir = super::tempfile_dir()?;
    let path = dir.join("export.db");
    let started = Instant::now();
    let written = seed(&path, students)?;
    println!(
        "seeded {} students in {} classes, {} forms, {} cases in {:.1} s ({})",
        written.students,
        written.classes,
        written.submissions,
        written.cases,
        started.elapsed().as_secs_f64(),
        path.display()
    );
    let store = Store::open(&path)?;
    println!("journal mode: {}", store.journal_mode()?);
    let config = Config::from_lookup(|_| None)?;
    let app = App::with_clock(store, config, Arc::new(FixedClock::new(bench_now())))?;
    let every = Duration::from_millis(every_ms);
    let (now, today) = (app.clock.now(), app.clock.today());

    // Warm the page cache and check both ways give the same workbook size (± the audit row it reads).
    let old_bytes = export_holding_the_lock(&app)?;
    let (stats, new_bytes) = reports::export_audited(&app.store, &app.forms, Requester::Cli, None, now, today)?
        .context("nothing to export")?;
    println!(
        "workbook: {} classes, {} students, term {}; {} bytes the old way, {} the new way",
        stats.classes.len(),
        stats.total.students,
        stats.term.term,
        old_bytes,
        new_bytes.len()
    );

    let quiet = vec![while_timing(&app, every, || {
        std::thread::sleep(Duration::from_secs(2));
        Ok(())
    })?];
    let (mut export_old, mut export_new, mut stats_old, mut stats_new) = (vec![], vec![], vec![], vec![]);
    for round in 0..rounds {
        println!("round {}/{rounds}", round + 1);
        export_old.push(while_timing(&app, every, || export_holding_the_lock(&app).map(drop))?);
        export_new.push(while_timing(&app, every, || {
            reports::export_audited(&app.store, &app.forms, Requester::Cli, None, now, today)?
                .context("nothing to export")
                .map(drop)
        })?);
        stats_old.push(while_timing(&app, every, || stats_holding_the_lock(&app).map(drop))?);
        stats_new.push(while_timing(&app, every, || {
            reports::stats_audited(&app.store, Requester::Cli, None, now, today)?.context("no statistics").map(drop)
        })?);
    }
    println!();
    println!("`/help` from the head, timed every {every_ms} ms on another thread while the job runs:");
    println!();
    println!("| while … | job time (each round) | handler calls | median | p99 | max |");
    println!("|---|---|---|---|---|---|");
    println!("{}", row("nothing else runs", &quiet));
    println!("{}", row("export, before: inside the store's lock", &export_old));
    println!("{}", row("export, after: snapshot + workbook outside the lock", &export_new));
    println!("{}", row("statistics, before: inside the store's lock", &stats_old));
    println!("{}", row("statistics, after: snapshot", &stats_new));
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
