//! What each printed document shows, loaded from the store. Every loader takes a `&Connection` and returns a
//! plain struct (serialised to `/data.json` for the template) plus the pictures it needs; nothing here knows
//! about Typst, Telegram or files on disk other than the photos and the logo it reads.
//!
//! The paper is Thai whatever the reader's chat language: labels come from the Thai locale files, dates are
//! in the Buddhist Era.

use super::store;
use crate::care::cases::{self, CaseId, CaseRow, CaseStatus};
use crate::domain::Term;
use crate::forms::def::{AspectKind, Group, QuestionKind};
use crate::forms::engine::{Answer, Answers, answer_text};
use crate::forms::{FormDef, FormSet};
use crate::l10n::Tr;
use crate::l10n::thai_date::{bangkok, format_short_th};
use crate::reports::stats::{self, SchoolStats};
use crate::store::students::{self, ClassId, StudentId, StudentRow};
use crate::store::terms::{self, TermDates};
use crate::store::users;
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// Pictures a document needs, by the name its template gives them (`chart-2-2569.png`, `qr-1.svg`).
pub type Images = Vec<(String, Vec<u8>)>;

/// The school as every document's heading shows it.
#[derive(Debug, Clone, Serialize)]
pub struct School {
    pub name: String,
    /// Whether `/img/logo.png` is given.
    pub logo: bool,
}

impl School {
    /// The configured name (a plain "โรงเรียน" when none is set, so the heading never reads empty).
    pub fn new(name: &str, logo: bool) -> School {
        let name = name.trim();
        School { name: if name.is_empty() { "โรงเรียน".to_string() } else { name.to_string() }, logo }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StudentInfo {
    pub name: String,
    pub code: String,
    pub class: String,
    pub nickname: String,
}

impl From<&StudentRow> for StudentInfo {
    fn from(s: &StudentRow) -> StudentInfo {
        StudentInfo {
            name: s.full_name(),
            code: s.code.clone(),
            class: s.class_name.clone(),
            nickname: s.nickname.clone().unwrap_or_default(),
        }
    }
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&bangkok()).date_naive()
}

fn th_date(at: DateTime<Utc>) -> String {
    format_short_th(local_day(at))
}

fn parent_name(conn: &Connection, student: &StudentRow) -> anyhow::Result<String> {
    Ok(store::parent_name_of(conn, student.id)?.unwrap_or_default())
}

/// The homeroom teachers of a class (still with access), by name.
pub fn teachers_of(conn: &Connection, class: ClassId) -> anyhow::Result<Vec<String>> {
    store::homeroom_teacher_names(conn, class)
}

fn screening_form(forms: &FormSet) -> Option<&FormDef> {
    forms.of_kind("screening").next()
}

// ---------------------------------------------------------------------------------------------------------
// แบบสรุปผลการคัดกรองนักเรียน รายห้อง

#[derive(Debug, Clone, Serialize)]
pub struct AspectHead {
    pub id: String,
    pub label: String,
    /// Without the leading "ด้าน", for the table's narrow columns.
    pub short: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreeningRow {
    pub no: usize,
    pub code: String,
    pub name: String,
    /// One per aspect, in the order of `aspects`; `None`: not screened (or nothing answered for it).
    pub groups: Vec<Option<Group>>,
    pub overall: Option<Group>,
    /// The date of the screening counted, empty when not screened.
    pub screened_on: String,
}

/// Counts of one aspect over the class; with `no_result` (screened, nothing answered for this aspect) and
/// `not_screened` every row adds up to the class's size.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GroupTotal {
    pub label: String,
    pub normal: i64,
    pub risk: i64,
    pub problem: i64,
    pub no_result: i64,
    pub not_screened: i64,
}

impl GroupTotal {
    pub fn add(&mut self, group: Option<Group>, screened: bool) {
        match group {
            Some(Group::Normal) => self.normal += 1,
            Some(Group::Risk) => self.risk += 1,
            Some(Group::Problem) => self.problem += 1,
            None if screened => self.no_result += 1,
            None => self.not_screened += 1,
        }
    }

    pub fn total(&self) -> i64 {
        self.normal + self.risk + self.problem + self.no_result + self.not_screened
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreeningSheet {
    pub school: School,
    pub printed_on: String,
    pub class: String,
    pub term: String,
    pub teachers: Vec<String>,
    pub aspects: Vec<AspectHead>,
    pub students: Vec<ScreeningRow>,
    pub totals: Vec<GroupTotal>,
    pub overall: GroupTotal,
    pub students_count: usize,
    pub screened_count: usize,
}

/// The class summary: every active student of `class`, screened in `term` or not.
pub fn screening_sheet(
    conn: &Connection,
    forms: &FormSet,
    class: ClassId,
    term: Term,
    school: School,
    today: NaiveDate,
) -> anyhow::Result<ScreeningSheet> {
    let class_row = students::get_class(conn, class)?.with_context(|| format!("no class {}", class.0))?;
    let pupils = students::students_in_class(conn, class)?;
    let term_name = term.to_string();
    let scores = stats::latest_screening_by_student(conn, &term_name)?;
    let mut dates: HashMap<StudentId, String> = HashMap::new();
    for (id, at) in store::last_screened_in_class(conn, class, &term_name)? {
        dates.insert(id, th_date(crate::store::parse_instant(&at)?));
    }
    let aspects: Vec<AspectHead> = screening_form(forms)
        .map(|form| {
            form.aspects
                .iter()
                .filter(|a| a.kind == AspectKind::Rated)
                .map(|a| {
                    let label = a.label.th().to_string();
                    let short = label.strip_prefix("ด้าน").unwrap_or(&label).trim().to_string();
                    AspectHead { id: a.id.clone(), label, short }
                })
                .collect()
        })
        .unwrap_or_default();
    let mut totals: Vec<GroupTotal> =
        aspects.iter().map(|a| GroupTotal { label: a.label.clone(), ..GroupTotal::default() }).collect();
    let mut overall = GroupTotal { label: "รวม".into(), ..GroupTotal::default() };
    let mut rows = Vec::with_capacity(pupils.len());
    for (i, pupil) in pupils.iter().enumerate() {
        let score = scores.get(&pupil.id.0);
        let groups: Vec<Option<Group>> =
            aspects.iter().map(|a| score.and_then(|s| s.aspect(&a.id)).and_then(|a| a.group)).collect();
        for (total, group) in totals.iter_mut().zip(&groups) {
            total.add(*group, score.is_some());
        }
        let overall_group = score.map(|s| s.overall);
        overall.add(overall_group, score.is_some());
        rows.push(ScreeningRow {
            no: i + 1,
            code: pupil.code.clone(),
            name: pupil.full_name(),
            groups,
            overall: overall_group,
            screened_on: dates.get(&pupil.id).cloned().unwrap_or_default(),
        });
    }
    let screened_count = rows.iter().filter(|r| r.overall.is_some()).count();
    Ok(ScreeningSheet {
        school,
        printed_on: format_short_th(today),
        class: class_row.name.to_string(),
        term: term_name,
        teachers: teachers_of(conn, class)?,
        aspects,
        students_count: rows.len(),
        screened_count,
        students: rows,
        totals,
        overall,
    })
}

// ---------------------------------------------------------------------------------------------------------
// แบบบันทึกการเยี่ยมบ้าน

#[derive(Debug, Clone, Serialize)]
pub struct VisitItem {
    /// "answer", "table" (a repeated group such as the household), "location" or "photos".
    pub kind: &'static str,
    pub label: String,
    pub answer: String,
    /// Tables: the column headings and the rows.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Locations: a map link.
    pub url: String,
    /// Photos: the names of the pictures given as `/img/<name>`.
    pub files: Vec<String>,
}

impl VisitItem {
    fn answer(label: String, answer: String) -> VisitItem {
        VisitItem {
            kind: "answer",
            label,
            answer,
            columns: Vec::new(),
            rows: Vec::new(),
            url: String::new(),
            files: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitSection {
    pub title: String,
    pub items: Vec<VisitItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitRecord {
    pub school: School,
    pub printed_on: String,
    pub term: String,
    pub student: StudentInfo,
    pub parent_name: String,
    pub visit_date: String,
    pub recorded_by: String,
    pub sections: Vec<VisitSection>,
}

/// A visit record and its pictures (the location's QR code, the photos whose files are on this machine).
pub struct VisitWithImages {
    pub record: VisitRecord,
    pub images: Images,
}

/// A map link for a point (opens in any phone's map app).
pub fn map_link(lat: f64, lon: f64) -> String {
    format!("https://www.google.com/maps?q={lat:.6},{lon:.6}")
}

fn photo_path(conn: &Connection, file_id: &str) -> anyhow::Result<Option<String>> {
    store::photo_local_path(conn, file_id)
}

/// The latest home visit of `student`, every answer in the form's order. `None`: no visit recorded.
pub fn visit_record(
    conn: &Connection,
    forms: &FormSet,
    student: &StudentRow,
    school: School,
    today: NaiveDate,
) -> anyhow::Result<Option<VisitWithImages>> {
    let Some(sub) = crate::store::forms::latest_submission(conn, student.id, "home_visit")? else {
        return Ok(None);
    };
    let answers: Answers = serde_json::from_str(&sub.answers_json)
        .with_context(|| format!("the stored answers of visit {} do not parse", sub.id.0))?;
    let form = forms.get(&sub.form_id).or_else(|| forms.of_kind("home_visit").next());
    let mut images = Vec::new();
    let mut sections: Vec<VisitSection> = Vec::new();
    let mut visit_date = th_date(sub.submitted_at);
    if let Some(form) = form {
        let mut titles: Vec<(String, String)> =
            form.sections.iter().map(|s| (s.id.clone(), s.title.th().to_string())).collect();
        titles.push((String::new(), String::new()));
        for (section_id, title) in titles {
            let mut items = Vec::new();
            for q in form.questions.iter().filter(|q| q.section.as_deref().unwrap_or("") == section_id) {
                let Some(answer) = answers.get(&q.id) else { continue };
                let label = q.label.th().to_string();
                match (&q.kind, answer) {
                    (QuestionKind::Repeat { questions, .. }, Answer::Repeat(list)) => {
                        let columns: Vec<String> = questions.iter().map(|s| s.label.th().to_string()).collect();
                        let rows = list
                            .iter()
                            .map(|item| {
                                questions
                                    .iter()
                                    .map(|s| item.get(&s.id).map(|a| answer_text(s, a).0).unwrap_or_default())
                                    .collect()
                            })
                            .collect();
                        items.push(VisitItem {
                            kind: "table",
                            columns,
                            rows,
                            ..VisitItem::answer(label, String::new())
                        });
                    }
                    (_, Answer::Location { lat, lon }) => {
                        let url = map_link(*lat, *lon);
                        images
                            .push(("location-qr.svg".to_string(), crate::announce::slips::qr_svg(&url)?.into_bytes()));
                        items.push(VisitItem {
                            kind: "location",
                            url,
                            ..VisitItem::answer(label, format!("{lat:.6}, {lon:.6}"))
                        });
                    }
                    (_, Answer::Photos(photos)) => {
                        let mut files = Vec::new();
                        for photo in photos {
                            let Some(path) = photo_path(conn, &photo.file_id)? else { continue };
                            // A photo not downloaded (yet) or removed from the machine is counted, not shown.
                            if let Ok(bytes) = std::fs::read(Path::new(&path)) {
                                let name = format!("photo-{}.jpg", files.len() + 1);
                                images.push((name.clone(), bytes));
                                files.push(name);
                            }
                        }
                        let text = if files.len() == photos.len() {
                            format!("{} รูป", photos.len())
                        } else {
                            format!("{} รูป (มีไฟล์ในเครื่อง {} รูป)", photos.len(), files.len())
                        };
                        items.push(VisitItem { kind: "photos", files, ..VisitItem::answer(label, text) });
                    }
                    (_, Answer::Date(d)) if q.id == "visit_date" => {
                        visit_date = format_short_th(*d);
                        items.push(VisitItem::answer(label, visit_date.clone()));
                    }
                    (_, a) => items.push(VisitItem::answer(label, answer_text(q, a).0)),
                }
            }
            if !items.is_empty() {
                sections.push(VisitSection { title, items });
            }
        }
    }
    Ok(Some(VisitWithImages {
        record: VisitRecord {
            school,
            printed_on: format_short_th(today),
            term: sub.term.clone(),
            student: StudentInfo::from(student),
            parent_name: parent_name(conn, student)?,
            visit_date,
            recorded_by: sub.submitted_by_name.clone(),
            sections,
        },
        images,
    }))
}

// ---------------------------------------------------------------------------------------------------------
// แบบส่งต่อนักเรียน + แบบตอบกลับ, แผนการช่วยเหลือนักเรียนรายบุคคล

fn aspect_labels(forms: &FormSet, tr: Tr<'_>, ids: &[String]) -> String {
    let form = screening_form(forms);
    let labels: Vec<String> = ids
        .iter()
        .map(|id| match form.and_then(|f| f.aspect(id)) {
            Some(a) => a.label.th().to_string(),
            None if id == "other" => tr.get("refer-aspect-other"),
            None => id.clone(),
        })
        .collect();
    if labels.is_empty() { "–".to_string() } else { labels.join(", ") }
}

fn user_name(conn: &Connection, id: crate::domain::UserId) -> anyhow::Result<String> {
    Ok(users::get(conn, id)?.map(|u| u.display_name).unwrap_or_default())
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterFields {
    /// ที่ … (the school's outgoing letter number, written by hand when blank).
    pub number: String,
    pub date: String,
    /// เรียน … (the agency).
    pub to: String,
    pub enclosures: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventLine {
    pub date: String,
    pub by: String,
    pub what: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferralDoc {
    pub school: School,
    pub printed_on: String,
    pub case_no: i64,
    pub external: bool,
    pub letter: LetterFields,
    pub urgency: String,
    pub student: StudentInfo,
    pub referred_by: String,
    pub opened_on: String,
    pub owner: String,
    pub aspects: String,
    pub reason: String,
    pub done_before: String,
    pub status: String,
    pub agency: String,
    pub accepted_on: String,
    pub closed_on: String,
    /// The return slip is printed only when the case has an outcome.
    pub outcome: Option<Outcome>,
    pub events: Vec<EventLine>,
}

fn case_times(conn: &Connection, id: CaseId) -> anyhow::Result<(Option<String>, Option<String>)> {
    store::case_accepted_and_closed(conn, id)?.with_context(|| format!("no case {id}"))
}

fn opt_date(at: Option<String>) -> anyhow::Result<String> {
    Ok(match at {
        Some(at) => th_date(crate::store::parse_instant(&at)?),
        None => String::new(),
    })
}

/// A referral, and its return slip when the case has an outcome.
pub fn referral_doc(
    conn: &Connection,
    forms: &FormSet,
    tr: Tr<'_>,
    case: &CaseRow,
    school: School,
    today: NaiveDate,
) -> anyhow::Result<ReferralDoc> {
    let student =
        students::get_student(conn, case.student)?.with_context(|| format!("no student {}", case.student.0))?;
    let (accepted, closed) = case_times(conn, case.id)?;
    let events = cases::chronology(conn, case.id)?
        .into_iter()
        .map(|e| {
            let kind = format!("case-event-{}", e.kind.replace('_', "-"));
            let what = if tr.has(&kind) { tr.get(&kind) } else { e.kind.clone() };
            EventLine {
                date: th_date(e.at),
                by: e.actor_name.unwrap_or_else(|| tr.get("print-system")),
                what: match e.detail.filter(|d| !d.trim().is_empty() && !d.trim_start().starts_with('{')) {
                    Some(detail) => format!("{what}: {detail}"),
                    None => what,
                },
            }
        })
        .collect();
    let agency = case.external_agency.clone().unwrap_or_default();
    Ok(ReferralDoc {
        school,
        printed_on: format_short_th(today),
        case_no: case.id.0,
        external: case.external,
        letter: LetterFields {
            number: String::new(),
            date: th_date(case.opened_at),
            to: if agency.is_empty() { String::new() } else { agency.clone() },
            enclosures: tr.get("print-referral-enclosures"),
        },
        urgency: tr.get(case.urgency.message_id()),
        student: StudentInfo::from(&student),
        referred_by: user_name(conn, case.opened_by)?,
        opened_on: th_date(case.opened_at),
        owner: user_name(conn, case.owner)?,
        aspects: aspect_labels(forms, tr, &case.aspects),
        reason: case.reason.clone(),
        done_before: String::new(),
        status: tr.get(case.status.message_id()),
        agency: if agency.is_empty() { "–".into() } else { agency },
        accepted_on: opt_date(accepted)?,
        closed_on: opt_date(closed)?,
        outcome: case.outcome.clone().filter(|o| !o.trim().is_empty()).map(|text| Outcome { text }),
        events,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionLine {
    pub description: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanDoc {
    pub school: School,
    pub printed_on: String,
    pub case_no: i64,
    pub student: StudentInfo,
    pub owner: String,
    pub teacher: String,
    pub parent_name: String,
    pub aspects: String,
    pub reason: String,
    pub goal: String,
    pub review_on: String,
    pub actions: Vec<ActionLine>,
}

/// The help plan of a case (an empty goal when none was written yet: the paper is then the form to fill in).
pub fn plan_doc(
    conn: &Connection,
    forms: &FormSet,
    tr: Tr<'_>,
    case: &CaseRow,
    school: School,
    today: NaiveDate,
) -> anyhow::Result<PlanDoc> {
    let student =
        students::get_student(conn, case.student)?.with_context(|| format!("no student {}", case.student.0))?;
    let plan = cases::plan_of(conn, case.id)?;
    let actions = cases::actions_of(conn, case.id)?
        .into_iter()
        .map(|a| ActionLine {
            status: tr.get(match a.status.as_str() {
                "done" => "print-action-done",
                "cancelled" => "print-action-cancelled",
                _ => "print-action-open",
            }),
            description: a.description,
            owner: a.owner_name,
            due_on: format_short_th(a.due_on),
            note: a.done_note.unwrap_or_default(),
        })
        .collect();
    Ok(PlanDoc {
        school,
        printed_on: format_short_th(today),
        case_no: case.id.0,
        owner: user_name(conn, case.owner)?,
        teacher: teachers_of(conn, student.class_id)?.into_iter().next().unwrap_or_default(),
        parent_name: parent_name(conn, &student)?,
        student: StudentInfo::from(&student),
        aspects: aspect_labels(forms, tr, &case.aspects),
        reason: case.reason.clone(),
        goal: plan.as_ref().map(|p| p.goal.clone()).unwrap_or_default(),
        review_on: plan.and_then(|p| p.review_on).map(format_short_th).unwrap_or_default(),
        actions,
    })
}

// ---------------------------------------------------------------------------------------------------------
// รายงานผลการดำเนินงานระบบดูแลช่วยเหลือนักเรียน

/// A term, or a school year (both its terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Term(Term),
    /// The school year in the Buddhist Era.
    Year(i32),
}

impl Period {
    pub fn terms(self) -> Vec<Term> {
        match self {
            Period::Term(t) => vec![t],
            Period::Year(y) => vec![Term { year_be: y, number: 1 }, Term { year_be: y, number: 2 }],
        }
    }

    pub fn label(self) -> String {
        match self {
            Period::Term(t) => format!("ภาคเรียนที่ {t}"),
            Period::Year(y) => format!("ปีการศึกษา {y}"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AspectLine {
    pub label: String,
    pub normal: i64,
    pub risk: i64,
    pub problem: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassLine {
    pub name: String,
    pub students: i64,
    pub screened: i64,
    pub screened_pct: String,
    pub visited: i64,
    pub visited_pct: String,
    pub risk: i64,
    pub problem: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub normal: i64,
    pub risk: i64,
    pub problem: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermBlock {
    pub term: String,
    pub dates: String,
    pub students: i64,
    pub screened: i64,
    pub screened_pct: String,
    pub visited: i64,
    pub visited_pct: String,
    pub overall: Overall,
    pub aspects: Vec<AspectLine>,
    pub classes: Vec<ClassLine>,
    /// The chart's picture name, when drawn.
    pub chart: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountLine {
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    /// Opened during the period.
    pub opened: i64,
    /// Closed during the period.
    pub closed: i64,
    /// Not closed now.
    pub open: i64,
    /// Cases opened during the period, by their status now.
    pub by_status: Vec<CountLine>,
    /// Cases not closed now, by how long they have been open.
    pub by_age: Vec<CountLine>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RatingLine {
    pub label: String,
    pub n: i64,
    /// Two decimals, as Thai reports print them.
    pub mean: String,
    pub sd: String,
    pub level: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Satisfaction {
    pub responses: i64,
    pub items: Vec<RatingLine>,
    pub overall: RatingLine,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub school: School,
    pub printed_on: String,
    pub period: String,
    pub terms: Vec<TermBlock>,
    pub cases: CaseSummary,
    pub satisfaction: Option<Satisfaction>,
}

/// The five-level reading of a mean rating (1–5), by the usual cut-offs on the mean as printed (two decimals):
/// 4.51–5.00 มากที่สุด, 3.51–4.50 มาก, 2.51–3.50 ปานกลาง, 1.51–2.50 น้อย, 1.00–1.50 น้อยที่สุด. The mean is
/// rounded to hundredths first, so the label always agrees with the figure beside it (4.505 prints as 4.51 and
/// reads มากที่สุด; 4.504 prints as 4.50 and reads มาก).
pub fn level_label(mean: f64) -> &'static str {
    let hundredths = (mean * 100.0).round() as i64;
    match hundredths {
        451.. => "มากที่สุด",
        351..=450 => "มาก",
        251..=350 => "ปานกลาง",
        151..=250 => "น้อย",
        _ => "น้อยที่สุด",
    }
}

/// Mean and sample standard deviation (n − 1, as Thai school reports compute S.D.).
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, var.sqrt())
}

/// One line of ratings, with the mean rounded to two decimals before its level is read (what the paper shows
/// is what the level says).
pub fn rating_line(label: String, values: &[f64]) -> RatingLine {
    let (mean, sd) = mean_sd(values);
    // The figure and the label from the same rounding (half away from zero, as a teacher rounds by hand;
    // `format!` alone would print 4.505 as 4.50 — binary floating point — beside the label มากที่สุด).
    let hundredths = (mean * 100.0).round();
    RatingLine {
        label,
        n: values.len() as i64,
        mean: format!("{:.2}", hundredths / 100.0),
        sd: format!("{:.2}", (sd * 100.0).round() / 100.0),
        level: level_label(mean).to_string(),
    }
}

/// ร้อยละ with two decimals, as the area office's forms print it ("0.00" of nobody).
pub fn percent2(part: i64, whole: i64) -> String {
    if whole <= 0 { "0.00".to_string() } else { format!("{:.2}", part as f64 * 100.0 / whole as f64) }
}

fn term_block(stats: &SchoolStats, chart: Option<String>) -> TermBlock {
    let t = &stats.total;
    TermBlock {
        term: stats.term.term.to_string(),
        dates: format!("{} – {}", format_short_th(stats.term.starts_on), format_short_th(stats.term.ends_on)),
        students: t.students,
        screened: t.screened,
        screened_pct: percent2(t.screened, t.students),
        visited: t.visited,
        visited_pct: percent2(t.visited, t.students),
        overall: Overall { normal: t.overall.normal, risk: t.overall.risk, problem: t.overall.problem },
        aspects: t
            .aspects
            .iter()
            .map(|a| AspectLine {
                label: a.label.th().to_string(),
                normal: a.counts.normal,
                risk: a.counts.risk,
                problem: a.counts.problem,
            })
            .collect(),
        classes: stats
            .classes
            .iter()
            .map(|c| ClassLine {
                name: c.name.clone(),
                students: c.stats.students,
                screened: c.stats.screened,
                screened_pct: percent2(c.stats.screened, c.stats.students),
                visited: c.stats.visited,
                visited_pct: percent2(c.stats.visited, c.stats.students),
                risk: c.stats.overall.risk,
                problem: c.stats.overall.problem,
            })
            .collect(),
        chart,
    }
}

fn case_summary(
    conn: &Connection,
    tr: Tr<'_>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<CaseSummary> {
    let start = stats::start_of_day_instant(from);
    let end = stats::start_of_day_instant(to.succ_opt().unwrap_or(to));
    let opened = store::cases_opened_between(conn, &start, &end, None)?;
    let closed = store::cases_closed_between(conn, &start, &end)?;
    let mut by_status = Vec::new();
    for status in
        [CaseStatus::New, CaseStatus::Accepted, CaseStatus::InProgress, CaseStatus::ReferredOut, CaseStatus::Closed]
    {
        let n = store::cases_opened_between(conn, &start, &end, Some(status))?;
        by_status.push(CountLine { label: tr.get(status.message_id()), count: n });
    }
    let mut ages = [0i64; 4];
    let opened_at = store::open_cases_opened_at(conn)?;
    for at in &opened_at {
        let days = (today - local_day(crate::store::parse_instant(at)?)).num_days();
        let slot = match days {
            ..=7 => 0,
            8..=30 => 1,
            31..=90 => 2,
            _ => 3,
        };
        ages[slot] += 1;
    }
    let by_age = ["print-age-week", "print-age-month", "print-age-quarter", "print-age-longer"]
        .iter()
        .zip(ages)
        .map(|(id, count)| CountLine { label: tr.get(id), count })
        .collect();
    Ok(CaseSummary { opened, closed, open: opened_at.len() as i64, by_status, by_age })
}

/// Ratings of the satisfaction surveys answered in `terms`, per rating question and overall.
fn satisfaction(conn: &Connection, forms: &FormSet, terms: &[String]) -> anyhow::Result<Option<Satisfaction>> {
    let mut responses = 0i64;
    let mut values: Vec<(String, Vec<f64>)> = Vec::new();
    for term in terms {
        let rows = store::survey_answers_of_term(conn, term)?;
        for json in rows {
            let answers = match serde_json::from_str::<Answers>(&json) {
                Ok(answers) => answers,
                Err(e) => {
                    // A stored answer the program cannot read is a fault to look into, not a response: the
                    // report leaves it out of n (so every figure agrees) and the log says so.
                    tracing::warn!(term = %term, error = %e, "a survey response is unreadable; left out of the report");
                    continue;
                }
            };
            responses += 1;
            for (id, answer) in answers {
                let x = match answer {
                    Answer::Choice(v) => v.trim().parse::<f64>().ok(),
                    Answer::Integer(i) => Some(i as f64),
                    _ => None,
                };
                let Some(x) = x.filter(|x| (1.0..=5.0).contains(x)) else { continue };
                match values.iter_mut().find(|(q, _)| *q == id) {
                    Some((_, list)) => list.push(x),
                    None => values.push((id, vec![x])),
                }
            }
        }
    }
    if responses == 0 {
        return Ok(None);
    }
    // In the order the survey form asks them; unknown questions after, by id.
    let order: Vec<(String, String)> = forms
        .of_kind("survey")
        .flat_map(|f| f.questions.iter().map(|q| (q.id.clone(), q.label.th().to_string())))
        .collect();
    values.sort_by_key(|(id, _)| (order.iter().position(|(q, _)| q == id).unwrap_or(usize::MAX), id.clone()));
    let all: Vec<f64> = values.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let items = values
        .into_iter()
        .map(|(id, list)| {
            let label = order.iter().find(|(q, _)| *q == id).map(|(_, l)| l.clone()).unwrap_or(id);
            rating_line(label, &list)
        })
        .collect();
    Ok(Some(Satisfaction { responses, items, overall: rating_line("รวม".to_string(), &all) }))
}

/// The report for a term or a year, and its charts (`chart-<term>.png`).
pub fn report_doc(
    conn: &Connection,
    forms: &FormSet,
    tr: Tr<'_>,
    period: Period,
    school: School,
    today: NaiveDate,
) -> anyhow::Result<(ReportDoc, Images)> {
    let mut blocks = Vec::new();
    let mut images = Vec::new();
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    let mut term_names = Vec::new();
    for term in period.terms() {
        let dates: TermDates = terms::dates_of(conn, term)?;
        let stats = stats::for_school(conn, dates, today.min(dates.ends_on).max(dates.starts_on))?;
        let chart = if stats.total.screened > 0 {
            let name = format!("chart-{}-{}.png", term.number, term.year_be);
            images.push((name.clone(), crate::reports::chart::screening_chart_png(&stats, crate::l10n::Lang::Th)?));
            Some(name)
        } else {
            None
        };
        blocks.push(term_block(&stats, chart));
        span = Some(match span {
            None => (dates.starts_on, dates.ends_on),
            Some((a, b)) => (a.min(dates.starts_on), b.max(dates.ends_on)),
        });
        term_names.push(term.to_string());
    }
    let (from, to) = span.context("a period has at least one term")?;
    Ok((
        ReportDoc {
            school,
            printed_on: format_short_th(today),
            period: period.label(),
            terms: blocks,
            cases: case_summary(conn, tr, from, to, today)?,
            satisfaction: satisfaction(conn, forms, &term_names)?,
        },
        images,
    ))
}

// ---------------------------------------------------------------------------------------------------------
// ใบเชิญผู้ปกครอง

#[derive(Debug, Clone, Serialize)]
pub struct SlipLine {
    pub student: String,
    pub code: String,
    pub class: String,
    pub guardian: u8,
    pub link: String,
    pub expires: String,
    /// The QR picture's name.
    pub qr: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SlipsDoc {
    pub school: School,
    pub printed_on: String,
    pub class: String,
    pub slips: Vec<SlipLine>,
}

/// The PDF slips for invites already made (see [`crate::announce::slips::make_class_slips`]), with a QR each.
pub fn slips_doc(
    made: &[crate::announce::slips::Slip],
    class: &str,
    school: School,
    today: NaiveDate,
) -> anyhow::Result<(SlipsDoc, Images)> {
    let mut images = Vec::new();
    let mut slips = Vec::new();
    for (i, s) in made.iter().enumerate() {
        let qr = format!("qr-{}.svg", i + 1);
        images.push((qr.clone(), crate::announce::slips::qr_svg(&s.link)?.into_bytes()));
        slips.push(SlipLine {
            student: s.student_name.clone(),
            code: s.student_code.clone(),
            class: s.class_name.clone(),
            guardian: s.guardian,
            link: s.link.clone(),
            expires: format_short_th(s.expires),
            qr,
        });
    }
    Ok((SlipsDoc { school, printed_on: format_short_th(today), class: class.to_string(), slips }, images))
}
