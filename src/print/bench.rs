//! `dulae bench print`: how long the documents take and how much memory, on this machine. A 40-student class
//! summary (the largest class a Thai school has) and the year report of a school of 480 students in 12 classes
//! with both terms screened, visits, cases and satisfaction answers. Prints the figures (BENCHMARKS.md keeps
//! them); not a test.

use super::data::Period;
use super::make::{self, Context, Request, Who};
use super::{Document, DocumentKind, TemplateSet, sample};
use crate::care::cases::CaseStatus;
use crate::domain::{Role, TelegramId, Term};
use crate::forms::def::{AspectKind, Group};
use crate::forms::{AspectScore, ScoreResult};
use crate::l10n::{Lang, Localizer};
use crate::store::Store;
use crate::store::audit::Actor;
use chrono::{Duration, NaiveDate, TimeZone as _, Utc};
use std::time::Instant;

/// The process's peak resident memory so far (VmHWM), in MiB; 0 where /proc is not there.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn timed<T>(what: &str, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(T, f64)> {
    let start = Instant::now();
    let value = f()?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("{what:<52} {ms:>9.0} ms   peak memory {:>6.1} MiB", peak_mib());
    Ok((value, ms))
}

/// A school of `classes` classes of 40, screened and visited in both terms of 2569, with cases and surveys.
fn school(classes: usize, forms: &crate::forms::FormSet) -> anyhow::Result<Store> {
    let store = Store::open_in_memory()?;
    let now = Utc.with_ymd_and_hms(2027, 3, 1, 3, 0, 0).single().ok_or_else(|| anyhow::anyhow!("time"))?;
    let mut csv = String::from("student_id,prefix,first_name,last_name,class\n");
    for c in 0..classes {
        for i in 0..40 {
            let class = format!("ป.{}/{}", 1 + c / 2, 1 + c % 2);
            csv.push_str(&format!("{},ด.ช.,สมชาย{i},ใจดี{c},{class}\n", 30000 + c * 100 + i));
        }
    }
    crate::roster::import(&store, csv.as_bytes(), false, Actor::Cli, now)?;
    let aspects: Vec<(String, crate::forms::LocalText)> = forms
        .of_kind("screening")
        .next()
        .map(|f| {
            f.aspects.iter().filter(|a| a.kind == AspectKind::Rated).map(|a| (a.id.clone(), a.label.clone())).collect()
        })
        .unwrap_or_default();
    store.write(|tx| {
        let join = |tg: i64, name: &str, role| {
            crate::store::users::upsert(
                tx,
                &crate::store::users::Joining {
                    telegram_id: TelegramId(tg),
                    chat_id: tg,
                    display_name: name,
                    username: None,
                    role,
                    lang: Lang::Th,
                },
                now,
            )
        };
        let teacher = join(1, "ครูสมศรี ใจดี", Role::Teacher)?;
        let counsellor = join(2, "ครูแนะแนว สมใจ", Role::Counselor)?;
        let ids = super::store::all_student_ids(tx)?;
        for (k, id) in ids.iter().enumerate() {
            for (term, day) in [("1/2569", 30i64), ("2/2569", 140)] {
                let group = |a: usize| match (k + a) % 9 {
                    0 => Group::Problem,
                    1 | 2 => Group::Risk,
                    _ => Group::Normal,
                };
                let score = ScoreResult {
                    aspects: aspects
                        .iter()
                        .enumerate()
                        .map(|(a, (id, label))| AspectScore {
                            id: id.clone(),
                            label: label.clone(),
                            group: Some(group(a)),
                            reasons: vec![],
                        })
                        .collect(),
                    flags: vec![],
                    scales: vec![],
                    overall: (0..aspects.len()).map(group).max().unwrap_or(Group::Normal),
                };
                let at = Utc.with_ymd_and_hms(2026, 5, 16, 3, 0, 0).single().unwrap_or(now) + Duration::days(day);
                let json = serde_json::to_string(&score)?;
                crate::store::forms::insert_submission(
                    tx,
                    &crate::store::forms::NewSubmission {
                        form_id: "screening",
                        form_version: 1,
                        form_kind: "screening",
                        student: *id,
                        term,
                        answers_json: "{}",
                        score_json: Some(&json),
                        overall_group: Some(score.overall.as_str()),
                        submitted_by: teacher,
                        submitted_at: at,
                    },
                )?;
                if k % 5 != 0 {
                    crate::store::forms::insert_submission(
                        tx,
                        &crate::store::forms::NewSubmission {
                            form_id: "home_visit",
                            form_version: 1,
                            form_kind: "home_visit",
                            student: *id,
                            term,
                            answers_json: "{}",
                            score_json: None,
                            overall_group: None,
                            submitted_by: teacher,
                            submitted_at: at + Duration::days(3),
                        },
                    )?;
                }
                if k % 4 == 0 {
                    let answers = format!(r#"{{"overall":{{"type":"choice","value":"{}"}}}}"#, 3 + k % 3);
                    crate::store::forms::insert_submission(
                        tx,
                        &crate::store::forms::NewSubmission {
                            form_id: "satisfaction",
                            form_version: 1,
                            form_kind: "survey",
                            student: *id,
                            term,
                            answers_json: &answers,
                            score_json: None,
                            overall_group: None,
                            submitted_by: teacher,
                            submitted_at: at + Duration::days(5),
                        },
                    )?;
                }
            }
            if k % 16 == 0 {
                let opened = crate::store::instant(now - Duration::days((k % 120) as i64));
                let status = [CaseStatus::New, CaseStatus::InProgress, CaseStatus::Closed][k % 3];
                super::store::insert_bench_case(tx, *id, teacher, counsellor, status, &opened)?;
            }
        }
        let dates = |m: u32| NaiveDate::from_ymd_opt(2026, m, 16).ok_or_else(|| anyhow::anyhow!("date"));
        crate::store::terms::set(tx, Term { year_be: 2569, number: 1 }, dates(5)?, dates(10)?, now)?;
        Ok(())
    })?;
    Ok(store)
}

pub fn run() -> anyhow::Result<()> {
    println!("dulae bench print (build: {})", if cfg!(debug_assertions) { "debug" } else { "release" });
    let templates = TemplateSet::shipped();
    let (_, _) = timed("first document (loads fonts and the library)", || {
        Ok(super::render(&templates, &sample::document(DocumentKind::Plan))?)
    })?;
    let class = Document::new(DocumentKind::Screening, &sample::screening_sheet(40))?;
    let (pdf, _) = timed("class summary, 40 students", || Ok(super::render(&templates, &class)?))?;
    println!("  {} KB", pdf.len().div_ceil(1024));
    let mut runs = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        super::render(&templates, &class)?;
        runs.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    runs.sort_by(f64::total_cmp);
    println!("  five more: median {:.0} ms, slowest {:.0} ms", runs[2], runs[4]);

    let forms = crate::forms::load_forms(None).map_err(crate::app::FormsRefused)?;
    let l10n = Localizer::load()?;
    let (store, _) = timed("a school of 480 students, both terms (setup)", || school(12, &forms))?;
    let ctx = Context {
        forms: &forms,
        l10n: &l10n,
        school_name: sample::SCHOOL,
        logo: None,
        today: NaiveDate::from_ymd_opt(2027, 3, 1).ok_or_else(|| anyhow::anyhow!("date"))?,
    };
    let class = store
        .read(crate::store::students::list_classes)?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the bench school has no class"))?;
    let size = store.read(|c| crate::store::students::students_in_class(c, class.id))?.len();
    let screening = Request::Screening { class: class.id, term: Some(Term { year_be: 2569, number: 1 }) };
    let (prepared, _) = timed(&format!("class summary from the database ({size} students): data"), || {
        store.read(|c| make::prepare(c, &ctx, Who::Cli, screening).map_err(anyhow::Error::from))
    })?;
    let (printed, _) = timed("class summary from the database: typeset", || Ok(prepared.render(&templates)?))?;
    println!("  {} KB", printed.pdf.len().div_ceil(1024));
    let request = Request::Report(Period::Year(2569));
    let (prepared, _) = timed("year report: data and charts", || {
        store.read(|c| make::prepare(c, &ctx, Who::Cli, request).map_err(anyhow::Error::from))
    })?;
    let (printed, _) = timed("year report: typeset", || Ok(prepared.render(&templates)?))?;
    println!("  {} KB", printed.pdf.len().div_ceil(1024));
    Ok(())
}
