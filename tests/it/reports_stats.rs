//! Statistics on a seeded school match counts computed here, independently, from the seed itself; terms; and
//! `/stats` through the pure conversation for a teacher (own classes only) and for the head.

use crate::common;

use common::*;
use dulae::conversation::Reply;
use dulae::domain::{Role, Term};
use dulae::forms::Group;
use dulae::reports::stats::{self, Scope};
use dulae::store::terms;
use std::collections::{BTreeMap, HashMap, HashSet};

fn class_of(code: &str) -> Option<&'static str> {
    REPORT_ROSTER.lines().skip(1).find_map(|line| {
        let cols: Vec<&'static str> = line.split(',').collect();
        (cols[0] == code).then_some(cols[4])
    })
}

const MOVED_OUT: &str = "20009";

#[derive(Debug, Default, PartialEq)]
struct Expected {
    students: i64,
    screened: i64,
    overall: [i64; 3],
    learning: [i64; 3],
    health: [i64; 3],
    ability: i64,
    needs: i64,
    visited: i64,
}

fn idx(g: Group) -> usize {
    match g {
        Group::Normal => 0,
        Group::Risk => 1,
        Group::Problem => 2,
    }
}

/// The numbers per class for `term`, computed from the seed lists without the store.
fn expected(term: &str) -> BTreeMap<&'static str, Expected> {
    let mut out: BTreeMap<&'static str, Expected> = BTreeMap::new();
    for line in REPORT_ROSTER.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let class = class_of(cols[0]).unwrap();
        let e = out.entry(class).or_default();
        if cols[0] != MOVED_OUT {
            e.students += 1;
        }
    }
    // Latest screening per active student in the term.
    let mut latest: HashMap<&str, SeedScreening> = HashMap::new();
    for s in seed_screenings().into_iter().filter(|s| s.term == term && s.code != MOVED_OUT) {
        match latest.get(s.code) {
            Some(prev) if prev.day > s.day => {}
            _ => {
                latest.insert(s.code, s);
            }
        }
    }
    for s in latest.values() {
        let e = out.get_mut(class_of(s.code).unwrap()).unwrap();
        e.screened += 1;
        e.overall[idx(s.learning.max(s.health))] += 1;
        e.learning[idx(s.learning)] += 1;
        e.health[idx(s.health)] += 1;
        e.ability += s.ability as i64;
        e.needs += s.needs as i64;
    }
    // Home visits count in the school year (the home-visit form's period is "year"): a visit in term 1
    // still counts in term 2.
    let year = |t: &str| t.split('/').nth(1).map(str::to_string);
    let visited: HashSet<&str> = seed_visits()
        .into_iter()
        .filter(|(code, t, _)| year(t) == year(term) && *code != MOVED_OUT)
        .map(|(c, _, _)| c)
        .collect();
    for code in visited {
        out.get_mut(class_of(code).unwrap()).unwrap().visited += 1;
    }
    out
}

fn actual(unit: &stats::UnitStats) -> Expected {
    let counts = |id: &str| {
        let c = unit.aspect(id).map(|a| a.counts).unwrap_or_default();
        [c.normal, c.risk, c.problem]
    };
    Expected {
        students: unit.students,
        screened: unit.screened,
        overall: [unit.overall.normal, unit.overall.risk, unit.overall.problem],
        learning: counts("learning"),
        health: counts("health"),
        ability: unit.flag("special_ability").map_or(0, |f| f.present),
        needs: unit.flag("special_needs").map_or(0, |f| f.present),
        visited: unit.visited,
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

#[test]
fn statistics_match_counts_computed_from_the_seed_in_both_terms() {
    let s = report_school();
    for term in ["2/2569", "1/2569"] {
        let want = expected(term);
        let got = s
            .app
            .store
            .read(|c| {
                let dates = terms::dates_of(c, Term::parse(term).unwrap())?;
                stats::for_school(c, dates, today())
            })
            .unwrap();
        assert_eq!(got.scope, Scope::School);
        let names: Vec<&str> = got.classes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["ป.4/1", "ป.4/2", "ป.5/1"]);
        let mut total = Expected::default();
        for class in &got.classes {
            let w = &want[class.name.as_str()];
            assert_eq!(&actual(&class.stats), w, "term {term}, class {}", class.name);
            total.students += w.students;
            total.screened += w.screened;
            total.visited += w.visited;
            total.ability += w.ability;
            total.needs += w.needs;
            for i in 0..3 {
                total.overall[i] += w.overall[i];
                total.learning[i] += w.learning[i];
                total.health[i] += w.health[i];
            }
        }
        assert_eq!(actual(&got.total), total, "term {term}, the school");
    }
    // Spot checks that make the independent computation readable.
    let this = s.app.store.read(|c| stats::for_school(c, terms::current_dates(c, today())?, today())).unwrap();
    assert_eq!(this.term.term.to_string(), "2/2569");
    assert_eq!(this.total.students, 8, "the student who moved out is not counted");
    assert_eq!(this.total.screened, 6);
    assert_eq!(this.total.screened_pct(), 75);
    assert_eq!(this.total.visited, 4, "a home visit in term 1 still counts in term 2 (the year is its period)");
    let p41 = &this.classes[0].stats;
    assert_eq!((p41.overall.normal, p41.overall.problem), (1, 1), "20001's later screening (normal) counts");
    // Aspects in the form's order, flags after.
    let ids: Vec<&str> = this.total.aspects.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["learning", "health"]);
}

#[test]
fn coverage_by_week_is_cumulative_from_the_recorded_term_start() {
    let s = report_school();
    let st = s.app.store.read(|c| stats::for_school(c, terms::current_dates(c, today())?, today())).unwrap();
    assert!(st.term.recorded);
    assert_eq!(st.term.starts_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    // Weeks starting 1, 8, 15, 22 Nov (today is the 26th).
    let weeks: Vec<(u32, i64)> =
        st.coverage.iter().map(|p| (chrono::Datelike::day(&p.week_start), p.screened)).collect();
    // First screenings this term (active students): 20007 day 0, 20001 day 1, 20002 day 2, 20004 day 3,
    // 20005 day 10, 20006 day 16.
    assert_eq!(weeks, [(1, 4), (8, 5), (15, 6), (22, 6)]);
}

#[test]
fn cases_and_overdue_plan_actions_are_counted_when_their_tables_exist() {
    let s = report_school();
    let ids: HashMap<&str, i64> =
        ["20001", "20002", "20004", "20005"].into_iter().map(|code| (code, student_id(&s, code).0)).collect();
    let student = |code: &str| ids[code];
    let opened = dulae::store::instant(seed_instant(2));
    let before_term = dulae::store::instant(seed_instant(-30));
    s.app
        .store
        .write(|tx| {
            let case = |student: i64, status: &str, opened_at: &str, closed_at: Option<&str>| -> anyhow::Result<i64> {
                tx.execute(
                    "INSERT INTO cases (student_id, opened_by, owner_id, urgency, status, reason, opened_at, accept_by,
                                        closed_at, outcome)
                     VALUES (?1, 1, 3, 'normal', ?2, 'ขาดเรียนบ่อย', ?3, ?3, ?4, ?5)",
                    rusqlite::params![student, status, opened_at, closed_at, closed_at.map(|_| "ดีขึ้น")],
                )?;
                Ok(tx.last_insert_rowid())
            };
            let a = case(student("20001"), "in_progress", &opened, None)?;
            case(student("20002"), "new", &opened, None)?;
            case(student("20004"), "closed", &before_term, Some(&opened))?;
            case(student("20005"), "closed", &before_term, Some(&before_term))?;
            for (due, status) in [("2026-11-20", "open"), ("2026-12-20", "open"), ("2026-11-10", "done")] {
                tx.execute(
                    "INSERT INTO plan_actions (case_id, description, owner_id, due_on, status, created_at, created_by)
                     VALUES (?1, 'โทรคุยกับผู้ปกครอง', 1, ?2, ?3, ?4, 1)",
                    rusqlite::params![a, due, status, opened],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let st = s.app.store.read(|c| stats::for_school(c, terms::current_dates(c, today())?, today())).unwrap();
    assert!(st.cases_tracked);
    let by_class: HashMap<&str, (i64, i64, i64)> = st
        .classes
        .iter()
        .map(|c| (c.name.as_str(), (c.stats.cases_open, c.stats.cases_closed, c.stats.actions_overdue)))
        .collect();
    assert_eq!(by_class["ป.4/1"], (2, 0, 1));
    assert_eq!(by_class["ป.4/2"], (0, 1, 0), "a case closed before the term is not counted as closed this term");
    assert_eq!((st.total.cases_open, st.total.cases_closed, st.total.actions_overdue), (2, 1, 1));
}

#[test]
fn terms_recorded_by_the_school_win_over_the_national_calendar() {
    let s = School::new();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let t = |text| Term::parse(text).unwrap();
    // Nothing recorded: the national calendar (10 Nov is term 2).
    assert_eq!(s.app.store.read(|c| terms::current(c, day(2026, 11, 10))).unwrap(), t("2/2569"));
    let parse = |text: &str| dulae::l10n::thai_date::parse_date(text).unwrap();
    s.app
        .store
        .write(|tx| {
            terms::set(tx, t("1/2569"), parse("16/5/2569"), parse("15/11/2026"), start_time())?;
            terms::set(tx, t("2/2569"), parse("16/11/2569"), parse("31/3/2570"), start_time())
        })
        .unwrap();
    assert_eq!(s.app.store.read(|c| terms::current(c, day(2026, 11, 10))).unwrap(), t("1/2569"));
    assert_eq!(s.app.store.read(|c| terms::current(c, day(2026, 11, 16))).unwrap(), t("2/2569"));
    // Between recorded terms (April): the national calendar again.
    assert_eq!(s.app.store.read(|c| terms::current(c, day(2027, 4, 20))).unwrap(), t("2/2569"));
    let listed = s.app.store.read(terms::list).unwrap();
    assert_eq!(listed.len(), 2);
    // Overlaps, reversed dates and the wrong year are refused.
    assert!(
        s.app.store.write(|tx| terms::set(tx, t("1/2570"), day(2027, 3, 1), day(2027, 10, 1), start_time())).is_err()
    );
    assert!(
        s.app.store.write(|tx| terms::set(tx, t("1/2570"), day(2027, 10, 1), day(2027, 5, 16), start_time())).is_err()
    );
    assert!(
        s.app.store.write(|tx| terms::set(tx, t("1/2570"), day(2031, 5, 16), day(2031, 10, 1), start_time())).is_err()
    );
    // Setting a term again changes its dates.
    s.app.store.write(|tx| terms::set(tx, t("2/2569"), day(2026, 11, 17), day(2027, 3, 31), start_time())).unwrap();
    let dates = s.app.store.read(|c| terms::dates_of(c, t("2/2569"))).unwrap();
    assert_eq!(dates.starts_on, day(2026, 11, 17));
}

#[test]
fn teachers_see_their_own_classes_and_the_head_sees_the_school() {
    let s = report_school();
    let get = |telegram: i64| {
        s.app
            .store
            .read(|c| dulae::store::users::find_by_telegram(c, dulae::domain::TelegramId(telegram)))
            .unwrap()
            .unwrap()
    };
    let (teacher, head, counselor, admin) = (get(501), get(502), get(503), get(504));
    let seen = |u| s.app.store.read(|c| stats::visible_classes(c, u)).unwrap();
    let names = |v: Option<(Scope, Vec<dulae::store::students::ClassRow>)>| {
        v.map(|(scope, cs)| (scope, cs.iter().map(|c| c.name.to_string()).collect::<Vec<_>>()))
    };
    assert_eq!(names(seen(&teacher)), Some((Scope::Classes, vec!["ป.4/1".to_string()])));
    assert_eq!(names(seen(&head)).map(|(scope, cs)| (scope, cs.len())), Some((Scope::School, 3)));
    assert_eq!(names(seen(&counselor)).map(|(scope, cs)| (scope, cs.len())), Some((Scope::School, 3)));
    assert_eq!(names(seen(&admin)), None, "administrators do not read care data");
    assert_eq!(get(501).role, Role::Teacher);
}

fn photo(replies: &[Reply]) -> Option<(&str, &[u8], &str)> {
    replies.iter().find_map(|r| match r {
        Reply::Photo { file_name, bytes, caption } => Some((file_name.as_str(), bytes.as_slice(), caption.as_str())),
        _ => None,
    })
}

fn audit_count(s: &School, action: &str) -> i64 {
    s.app
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log WHERE action = ?1", [action], |r| r.get(0))?))
        .unwrap()
}

#[test]
fn stats_in_the_chat_for_a_teacher_show_only_their_classes() {
    let s = report_school();
    let teacher = person(501, "ครูสมศรี");
    let replies = say(&s, &teacher, command("stats", ""));
    let all = texts(&replies);
    assert!(all.contains("📊 สถิติปีการศึกษา 2569 ภาคเรียน 2/2569"), "{all}");
    assert!(all.contains("🏫 ป.4/1 · นักเรียน 3 คน"), "{all}");
    assert!(all.contains("คัดกรองแล้ว 2/3 คน (67%)"), "{all}");
    assert!(all.contains("เยี่ยมบ้านแล้ว (ปีการศึกษานี้) 1/3 คน (33%)"), "{all}");
    assert!(!all.contains("ป.4/2") && !all.contains("ป.5/1"), "only the teacher's class: {all}");
    assert!(all.contains("รวมทุกชั้นของคุณครู"), "{all}");
    assert!(!all.contains("ทั้งโรงเรียน"), "{all}");
    let (name, bytes, caption) = photo(&replies).expect("a chart");
    assert!(name.ends_with(".png") && bytes.starts_with(b"\x89PNG"), "{name}");
    assert!(caption.contains("2/2569"));
    // Short lines for a phone: no line longer than a few dozen characters.
    for message in replies.iter().filter_map(|r| match r {
        Reply::Send { text, .. } => Some(text),
        _ => None,
    }) {
        for line in message.lines() {
            assert!(line.chars().count() <= 60, "line too long for a phone: {line:?}");
        }
    }
    assert_eq!(audit_count(&s, "report.stats"), 1);
}

#[test]
fn stats_in_the_chat_for_the_head_show_every_class_then_the_school() {
    let s = report_school();
    let head = person(502, "หัวหน้างาน");
    let replies = say(&s, &head, command("stats", ""));
    let all = texts(&replies);
    let p41 = all.find("🏫 ป.4/1").expect("ป.4/1");
    let p42 = all.find("🏫 ป.4/2").expect("ป.4/2");
    let p51 = all.find("🏫 ป.5/1").expect("ป.5/1");
    let school = all.find("🏫 ทั้งโรงเรียน · นักเรียน 8 คน").expect("the school");
    assert!(p41 < p42 && p42 < p51 && p51 < school, "{all}");
    assert!(all.contains("คัดกรองแล้ว 6/8 คน (75%)"), "{all}");
    assert!(all.contains("• ด้านการเรียน"), "{all}");
    assert!(all.contains("⭐ ความสามารถพิเศษ: 3 คน"), "{all}");
    assert!(photo(&replies).is_some());
    // The admin has no /stats; a parent neither.
    let admin = person(504, "ครูไอที");
    assert!(texts(&say(&s, &admin, command("stats", ""))).contains("ไม่"));
    assert_eq!(audit_count(&s, "report.stats"), 1);
}

#[test]
fn stats_in_english_and_survey_answers_are_included() {
    let s = report_school();
    // Two parents' answers to the satisfaction survey (linked to their child).
    let teacher = s
        .app
        .store
        .read(|c| dulae::store::users::find_by_telegram(c, dulae::domain::TelegramId(501)))
        .unwrap()
        .unwrap();
    for (code, rating, comment) in [("20001", "5", "ขอบคุณคุณครูค่ะ"), ("20002", "4", "")]
    {
        let student = student_id(&s, code);
        let answers = format!(
            r#"{{"care_overall":{{"type":"choice","value":"{rating}"}},"privacy":{{"type":"choice","value":"3"}},"comment":{{"type":"text","value":"{comment}"}}}}"#
        );
        s.app
            .store
            .write(|tx| {
                dulae::store::forms::insert_submission(
                    tx,
                    &dulae::store::forms::NewSubmission {
                        form_id: "satisfaction",
                        form_version: 1,
                        form_kind: "survey",
                        student,
                        term: "2/2569",
                        answers_json: &answers,
                        score_json: None,
                        overall_group: None,
                        submitted_by: teacher.id,
                        submitted_at: seed_instant(20),
                    },
                )
            })
            .unwrap();
    }
    let st = s.app.store.read(|c| stats::for_school(c, terms::current_dates(c, today())?, today())).unwrap();
    let survey = st.survey.expect("survey results");
    assert_eq!(survey.responses, 2);
    let care = survey.items.iter().find(|i| i.question_id == "care_overall").unwrap();
    assert_eq!((care.answered, care.mean), (2, 4.5));
    assert_eq!(survey.comments, ["ขอบคุณคุณครูค่ะ"]);
    assert!((survey.overall_mean() - 3.75).abs() < 1e-9);

    s.app.store.write(|tx| dulae::store::users::set_lang(tx, teacher.id, dulae::l10n::Lang::En)).unwrap();
    let all = texts(&say(&s, &person(501, "ครูสมศรี"), command("stats", "")));
    assert!(all.contains("Statistics, school year 2569, term 2/2569"), "{all}");
    assert!(all.contains("Satisfaction: 2 answers"), "{all}");
}

#[test]
fn the_form_flow_uses_the_schools_term() {
    // A school whose term 1 runs late: a screening on 20 Nov 2026 belongs to 1/2569, not the national 2/2569.
    let s = School::with_roster();
    s.app
        .store
        .write(|tx| {
            let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
            terms::set(tx, Term::parse("1/2569").unwrap(), d(2026, 5, 16), d(2026, 11, 30), start_time())
        })
        .unwrap();
    let teacher = s.person(10, "ครูสมศรี").join_as(Role::Teacher, &["ป.4/1"]);
    let list = say(&s, &teacher, command("screen", ""));
    say(&s, &teacher, press(&button_data(&list, "สมชาย"), 1));
    complete_form(&s, &teacher, &[("gpa", "3.5"), ("income", "above_10000")], 80);
    let term: String = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT term FROM submissions WHERE form_kind = 'screening'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(term, "1/2569");
}
