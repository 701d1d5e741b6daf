//! The term's report as an Excel workbook (what schools used to assemble by hand): a summary with the
//! statistics, students, screening results (one column per aspect), home visits (with a map link), cases with
//! their chronology and plan actions, and survey answers when there are any. Thai headers, dates in the
//! Buddhist Era, filters and a frozen header row on every sheet.

use super::stats::{self, SchoolStats, Scope};
use super::store::{self as db, ActionLine, CaseLine, EventLine, StudentLine, SubmissionLine};
use crate::domain::ids::{CaseId, ClassId};
use crate::forms::FormSet;
use crate::forms::def::{FormDef, Group, QuestionKind};
use crate::forms::engine::{self, Answer, Answers};
use crate::forms::score::ScoreResult;
use crate::l10n::thai_date::bangkok;
use crate::store::students::ClassRow;
use anyhow::Context as _;
use chrono::{Datelike, NaiveDate, Timelike};
use rusqlite::Connection;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Url, Workbook};
use std::collections::{HashMap, HashSet};

/// Sheet names, in workbook order (Excel allows 31 characters).
pub const SHEET_SUMMARY: &str = "สรุป";
pub const SHEET_STUDENTS: &str = "นักเรียน";
pub const SHEET_SCREENING: &str = "ผลการคัดกรอง";
pub const SHEET_VISITS: &str = "การเยี่ยมบ้าน";
pub const SHEET_HOUSEHOLD: &str = "สมาชิกครัวเรือน";
pub const SHEET_CASES: &str = "เรื่องที่ดูแล";
pub const SHEET_CHRONOLOGY: &str = "บันทึกเหตุการณ์";
pub const SHEET_ACTIONS: &str = "กิจกรรมตามแผน";
pub const SHEET_SURVEY: &str = "ความพึงพอใจ";
pub const SHEET_MEETINGS: &str = "ประชุมผู้ปกครอง";

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A real Excel date (it sorts and filters), shown in the Buddhist Era: 24 พ.ย. 2569.
    Date(NaiveDate),
    /// A local date and time, shown as 24 พ.ย. 2569 10:05.
    DateTime(chrono::NaiveDateTime),
    /// A link shown as `text`.
    Link {
        url: String,
        text: String,
    },
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

/// A sheet before it is written: a header row and data rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Lines written under the table (term dates, notes), outside the filter.
    pub notes: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &str, headers: &[&str]) -> Sheet {
        Sheet { name: name.to_string(), headers: headers.iter().map(|h| h.to_string()).collect(), ..Sheet::default() }
    }
}

/// Excel's number format for a date in the Thai Buddhist calendar: western digits (01), Thai calendar (07),
/// Thai locale (041E) — "24 พ.ย. 2569" in Excel and LibreOffice, while the cell stays a date that sorts.
const DATE_FORMAT_TH: &str = "[$-0107041E]d mmm yyyy";
const DATETIME_FORMAT_TH: &str = "[$-0107041E]d mmm yyyy hh:mm";

/// A stored ISO date ('2026-11-24') as a date cell; other text as it is.
fn iso_date_cell(text: &str) -> Cell {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_or_else(|_| Cell::Text(text.to_string()), Cell::Date)
}

/// A stored instant as a local date and time cell.
fn instant_cell(text: &str) -> Cell {
    match crate::store::parse_instant(text) {
        Ok(at) => Cell::DateTime(at.with_timezone(&bangkok()).naive_local()),
        Err(_) => Cell::Text(text.to_string()),
    }
}

/// A stored instant as its local date.
fn instant_date_cell(text: &str) -> Cell {
    stats::local_date(text).map_or_else(|_| Cell::Text(text.to_string()), Cell::Date)
}

/// Gender as the roster stores it, in Thai.
fn gender_th(stored: Option<String>) -> Cell {
    match stored.as_deref().and_then(crate::domain::student::Gender::parse) {
        Some(crate::domain::student::Gender::Male) => "ชาย".into(),
        Some(crate::domain::student::Gender::Female) => "หญิง".into(),
        None => stored.into(),
    }
}

/// What a chronology entry is, in Thai (the words the case screen uses).
fn event_th(kind: &str) -> String {
    let id = format!("case-event-{}", kind.replace('_', "-"));
    match crate::l10n::messages::shared() {
        Ok(l10n) if l10n.has(crate::l10n::Lang::Th, &id) => l10n.tr(crate::l10n::Lang::Th).get(&id),
        _ => kind.to_string(),
    }
}

/// A typed answer as a cell: numbers stay numbers, dates stay dates, the rest is the answer's text.
fn answer_cell(q: &crate::forms::def::Question, a: &Answer) -> Cell {
    match a {
        Answer::Integer(n) => Cell::Number(*n as f64),
        Answer::Decimal(x) => Cell::Number(*x),
        Answer::Date(d) => Cell::Date(*d),
        _ => Cell::Text(engine::answer_text(q, a).0),
    }
}

fn group_th(group: Option<Group>) -> String {
    group.map_or(String::new(), |g| g.label_th().to_string())
}

/// Everything the workbook shows from the database, read in one go — inside one snapshot for the export
/// ([`crate::store::Store::snapshot`]) — so the sheets are made and written afterwards with no database at hand.
pub struct ReportRows {
    students: Vec<StudentLine>,
    screenings: Vec<SubmissionLine>,
    visits: Vec<SubmissionLine>,
    case_kinds: HashMap<CaseId, (String, bool)>,
    cases: Vec<CaseLine>,
    events: Vec<EventLine>,
    actions: Vec<ActionLine>,
    meetings: Vec<crate::care::meetings::MeetingRow>,
}

impl ReportRows {
    /// Read the rows of the report `stats` describes (its term; the cases only when they are tracked).
    pub fn read(conn: &Connection, stats: &SchoolStats) -> anyhow::Result<ReportRows> {
        let term = stats.term.term.to_string();
        let mut rows = ReportRows {
            students: db::students_for_export(conn)?,
            screenings: db::submissions_for_export(conn, "screening", &term, true)?,
            // A form counted per school year (the home visit) lists the whole year's records.
            visits: db::submissions_for_export(conn, "home_visit", &term, false)?,
            case_kinds: HashMap::new(),
            cases: vec![],
            events: vec![],
            actions: vec![],
            meetings: crate::care::meetings::list(conn, stats.term.starts_on, stats.term.ends_on)
                .context("cannot read class meetings")?,
        };
        if stats.cases_tracked {
            let since = stats::start_of_day_instant(stats.term.starts_on);
            let until = stats::start_of_day_instant(stats.term.ends_on + chrono::Duration::days(1));
            rows.case_kinds = db::case_kinds(conn)?;
            rows.cases = db::cases_open_between(conn, &since, &until)?;
            if db::table_exists(conn, "case_events")? {
                rows.events = db::case_chronology(conn)?;
            }
            if db::table_exists(conn, "plan_actions")? {
                rows.actions = db::plan_actions_for_export(conn)?;
            }
        }
        Ok(rows)
    }
}

/// The data of the workbook, sheet by sheet (the writer below only formats it), read on `conn`.
pub fn build_sheets(
    conn: &Connection,
    forms: &FormSet,
    stats: &SchoolStats,
    classes: &[ClassRow],
) -> anyhow::Result<Vec<Sheet>> {
    Ok(sheets(&ReportRows::read(conn, stats)?, forms, stats, classes))
}

/// The sheets of the workbook from rows already read: for the classes in view only.
pub fn sheets(rows: &ReportRows, forms: &FormSet, stats: &SchoolStats, classes: &[ClassRow]) -> Vec<Sheet> {
    let in_view: HashSet<ClassId> = classes.iter().map(|c| c.id).collect();
    let class_names: HashMap<ClassId, String> = classes.iter().map(|c| (c.id, c.name.to_string())).collect();
    let term = stats.term.term.to_string();
    let mut sheets = vec![summary_sheet(stats)];
    sheets.push(students_sheet(&rows.students, &in_view, &class_names));
    sheets.push(screening_sheet(&rows.screenings, stats, &term, &class_names));
    sheets.push(visits_sheet(&rows.visits, forms, &class_names));
    sheets.push(household_sheet(&rows.visits, forms, &class_names));
    sheets.extend(case_sheets(rows, stats, &class_names));
    classroom_care_columns(&rows.case_kinds, stats, &mut sheets);
    if let Some(meetings) = meetings_sheet(&rows.meetings, &class_names) {
        sheets.push(meetings);
    }
    if let Some(survey) = &stats.survey {
        sheets.push(survey_sheet(forms, survey));
    }
    sheets
}

/// Care in the classroom, added to the summary (per class: help by the homeroom teacher, referrals, class
/// meetings with parents) and to the cases sheet (who helps: the homeroom teacher, or the counsellor).
fn classroom_care_columns(kinds: &HashMap<CaseId, (String, bool)>, stats: &SchoolStats, sheets: &mut [Sheet]) {
    if let Some(summary) = sheets.iter_mut().find(|s| s.name == SHEET_SUMMARY) {
        summary.headers.extend(
            [
                "ช่วยเหลือโดยครูประจำชั้น",
                "ส่งต่อครูแนะแนว",
                "ส่งต่อจากการช่วยเหลือในชั้น",
                "ประชุมผู้ปกครอง (ครั้ง)",
                "ผู้ปกครองมาประชุม (คน)",
            ]
            .map(String::from),
        );
        let units = stats.classes.iter().map(|c| &c.stats).chain(std::iter::once(&stats.total));
        for (row, u) in summary.rows.iter_mut().zip(units) {
            row.extend([
                u.cases_classroom.into(),
                u.cases_referred.into(),
                u.cases_escalated.into(),
                u.meetings_held.into(),
                u.meeting_parents.into(),
            ]);
        }
    }
    let Some(cases) = sheets.iter_mut().find(|s| s.name == SHEET_CASES) else { return };
    cases.headers.push("ผู้ช่วยเหลือ".into());
    if !stats.cases_tracked {
        return;
    }
    for row in &mut cases.rows {
        let id = match row.first() {
            Some(Cell::Number(n)) => CaseId(*n as i64),
            _ => continue,
        };
        let label = match kinds.get(&id) {
            Some((kind, _)) if kind == "classroom" => "ครูประจำชั้น (ช่วยเหลือเบื้องต้น)",
            Some((_, true)) => "ครูแนะแนว (ส่งต่อจากครูประจำชั้น)",
            Some(_) => "ครูแนะแนว (ส่งต่อ)",
            None => "",
        };
        row.push(label.into());
    }
}

/// Class meetings with parents this term, one row each (only when there are any, like the survey).
fn meetings_sheet(list: &[crate::care::meetings::MeetingRow], class_names: &HashMap<ClassId, String>) -> Option<Sheet> {
    let mut sheet = Sheet::new(SHEET_MEETINGS, &["ชั้น", "วันที่ประชุม", "เรื่องที่ประชุม", "ผู้ปกครองมาประชุม (คน)", "ผู้บันทึก"]);
    for m in list.iter().filter(|m| class_names.contains_key(&ClassId(m.class_id))) {
        sheet.rows.push(vec![
            m.class_name.clone().into(),
            Cell::Date(m.held_on),
            m.topics.clone().into(),
            m.parents.into(),
            m.recorded_by.clone().into(),
        ]);
    }
    (!sheet.rows.is_empty()).then_some(sheet)
}

fn summary_sheet(stats: &SchoolStats) -> Sheet {
    let mut headers: Vec<String> = [
        "ชั้น",
        "นักเรียน (คน)",
        "คัดกรองแล้ว (คน)",
        "คัดกรองแล้ว (%)",
        "ปกติ",
        "เสี่ยง",
        "มีปัญหา",
        "เยี่ยมบ้านแล้ว (คน)",
        "เยี่ยมบ้านแล้ว (%)",
        "เรื่องที่เปิดอยู่",
        "เรื่องที่ปิดแล้ว",
        "กิจกรรมเลยกำหนด",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for a in &stats.total.aspects {
        for g in [Group::Normal, Group::Risk, Group::Problem] {
            headers.push(format!("{}: {}", a.label.th(), g.label_th()));
        }
    }
    for f in &stats.total.flags {
        headers.push(format!("{} (คน)", f.label.th()));
    }
    let row = |name: &str, u: &stats::UnitStats| {
        let mut cells: Vec<Cell> = vec![
            name.into(),
            u.students.into(),
            u.screened.into(),
            u.screened_pct().into(),
            u.overall.normal.into(),
            u.overall.risk.into(),
            u.overall.problem.into(),
            u.visited.into(),
            u.visited_pct().into(),
            u.cases_open.into(),
            u.cases_closed.into(),
            u.actions_overdue.into(),
        ];
        for a in &stats.total.aspects {
            let counts = u.aspect(&a.id).map(|x| x.counts).unwrap_or_default();
            for g in [Group::Normal, Group::Risk, Group::Problem] {
                cells.push(counts.get(g).into());
            }
        }
        for f in &stats.total.flags {
            cells.push(u.flag(&f.id).map_or(0, |x| x.present).into());
        }
        cells
    };
    let mut sheet = Sheet { name: SHEET_SUMMARY.into(), headers, ..Sheet::default() };
    for c in &stats.classes {
        sheet.rows.push(row(&c.name, &c.stats));
    }
    let total = match stats.scope {
        Scope::School => "ทั้งโรงเรียน",
        Scope::Classes => "รวม",
    };
    sheet.rows.push(row(total, &stats.total));
    sheet.notes.push(vec!["ปีการศึกษา".into(), stats.term.term.academic_year().to_string().into()]);
    sheet.notes.push(vec!["ภาคเรียน".into(), stats.term.term.to_string().into()]);
    if stats.visit_period == crate::domain::Period::Year {
        sheet.notes.push(vec!["การเยี่ยมบ้าน".into(), "นับทั้งปีการศึกษา (ภาคเรียนที่ 1 และ 2)".into()]);
    }
    sheet.notes.push(vec!["ตั้งแต่".into(), Cell::Date(stats.term.starts_on)]);
    sheet.notes.push(vec!["ถึง".into(), Cell::Date(stats.term.ends_on)]);
    sheet.notes.push(vec!["ข้อมูล ณ วันที่".into(), Cell::Date(stats.today)]);
    if !stats.cases_tracked {
        sheet.notes.push(vec!["หมายเหตุ".into(), "ยังไม่มีข้อมูลเรื่องที่ดูแลและแผนช่วยเหลือในระบบ".into()]);
    }
    if let Some(s) = &stats.survey {
        sheet.notes.push(vec![
            "ความพึงพอใจ".into(),
            format!("ตอบ {} คน เฉลี่ย {:.2} จาก 5", s.responses, s.overall_mean()).into(),
        ]);
    }
    sheet
}

fn students_sheet(
    students: &[StudentLine],
    in_view: &HashSet<ClassId>,
    class_names: &HashMap<ClassId, String>,
) -> Sheet {
    let mut sheet = Sheet::new(
        SHEET_STUDENTS,
        &["เลขประจำตัว", "คำนำหน้า", "ชื่อ", "นามสกุล", "ชื่อเล่น", "ชั้น", "เพศ", "วันเกิด", "ผู้ปกครอง", "โทรศัพท์ผู้ปกครอง", "สถานะ"],
    );
    let mut rows: Vec<&StudentLine> = students.iter().filter(|r| in_view.contains(&r.class)).collect();
    rows.sort_by(|a, b| {
        let ca = class_names.get(&a.class);
        let cb = class_names.get(&b.class);
        (a.archived, ca, &a.code).cmp(&(b.archived, cb, &b.code))
    });
    for r in rows {
        sheet.rows.push(vec![
            r.code.clone().into(),
            r.prefix.clone().into(),
            r.first_name.clone().into(),
            r.last_name.clone().into(),
            r.nickname.clone().into(),
            class_names.get(&r.class).cloned().into(),
            gender_th(r.gender.clone()),
            r.birth_date.as_deref().map_or(Cell::Empty, iso_date_cell),
            r.parent_name.clone().into(),
            r.parent_phone.clone().into(),
            if r.archived { "ย้ายออก" } else { "กำลังศึกษา" }.into(),
        ]);
    }
    sheet
}

/// The forms about students of the classes in view, each with its class's name.
fn in_view<'a>(
    lines: &'a [SubmissionLine],
    class_names: &'a HashMap<ClassId, String>,
) -> impl Iterator<Item = (&'a SubmissionLine, &'a String)> {
    lines.iter().filter_map(|line| class_names.get(&line.class).map(|class| (line, class)))
}

fn screening_sheet(
    lines: &[SubmissionLine],
    stats: &SchoolStats,
    term: &str,
    class_names: &HashMap<ClassId, String>,
) -> Sheet {
    let mut headers: Vec<String> = ["เลขประจำตัว", "ชื่อ-สกุล", "ชั้น", "ภาคเรียน", "วันที่คัดกรอง", "ผู้คัดกรอง", "ผลโดยรวม"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    headers.extend(stats.total.aspects.iter().map(|a| a.label.th().to_string()));
    headers.extend(stats.total.flags.iter().map(|f| f.label.th().to_string()));
    headers.push("รายละเอียดความสามารถพิเศษ/ความต้องการพิเศษ".into());
    let mut sheet = Sheet { name: SHEET_SCREENING.into(), headers, ..Sheet::default() };
    for (line, class) in in_view(lines, class_names) {
        let score: Option<ScoreResult> = line.score.as_deref().and_then(|j| serde_json::from_str(j).ok());
        let overall = line.overall.as_deref().and_then(Group::parse).or(score.as_ref().map(|s| s.overall));
        let mut cells: Vec<Cell> = vec![
            line.code.clone().into(),
            line.name.clone().into(),
            class.clone().into(),
            term.into(),
            instant_date_cell(&line.at),
            line.by.clone().into(),
            group_th(overall).into(),
        ];
        for a in &stats.total.aspects {
            cells.push(group_th(score.as_ref().and_then(|s| s.aspect(&a.id)).and_then(|x| x.group)).into());
        }
        let mut details = Vec::new();
        for f in &stats.total.flags {
            let flag = score.as_ref().and_then(|s| s.flag(&f.id));
            let present = flag.is_some_and(|x| x.present);
            if let Some(flag) = flag {
                details.extend(flag.details.iter().map(|d| d.th().to_string()));
            }
            cells.push(if present { "มี" } else { "ไม่มี" }.into());
        }
        cells.push(details.join(", ").into());
        sheet.rows.push(cells);
    }
    sheet
}

/// A Google Maps link for a location.
pub fn map_link(lat: f64, lon: f64) -> String {
    format!("https://www.google.com/maps/search/?api=1&query={lat:.6},{lon:.6}")
}

fn visits_sheet(lines: &[SubmissionLine], forms: &FormSet, class_names: &HashMap<ClassId, String>) -> Sheet {
    // Columns for the form's plain questions, in form order (the shipped form or the school's own copy).
    let form: Option<&FormDef> = forms.iter().find(|f| f.kind == "home_visit");
    let columns: Vec<(&str, String)> = form
        .map(|f| {
            f.questions
                .iter()
                .filter(|q| {
                    q.is_answerable()
                        && !matches!(
                            q.kind,
                            QuestionKind::Location | QuestionKind::Photo { .. } | QuestionKind::Repeat { .. }
                        )
                })
                .map(|q| (q.id.as_str(), q.label.th().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut headers: Vec<String> = [
        "เลขประจำตัว",
        "ชื่อ-สกุล",
        "ชั้น",
        "วันที่บันทึก",
        "ผู้บันทึก",
        "แผนที่",
        "ละติจูด",
        "ลองจิจูด",
        "จำนวนรูปถ่าย",
        "สมาชิกในครัวเรือน (คน)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers.extend(columns.iter().map(|(_, label)| label.clone()));
    let mut sheet = Sheet { name: SHEET_VISITS.into(), headers, ..Sheet::default() };
    for (line, class) in in_view(lines, class_names) {
        let answers: Answers = serde_json::from_str(&line.answers).unwrap_or_default();
        let location = answers.values().find_map(|a| match a {
            Answer::Location { lat, lon } => Some((*lat, *lon)),
            _ => None,
        });
        let photos: usize = answers.values().map(|a| if let Answer::Photos(p) = a { p.len() } else { 0 }).sum();
        let members: usize =
            answers.values().map(|a| if let Answer::Repeat(items) = a { items.len() } else { 0 }).sum();
        let mut cells: Vec<Cell> = vec![
            line.code.clone().into(),
            line.name.clone().into(),
            class.clone().into(),
            instant_date_cell(&line.at),
            line.by.clone().into(),
        ];
        match location {
            Some((lat, lon)) => {
                cells.push(Cell::Link { url: map_link(lat, lon), text: "เปิดแผนที่".into() });
                cells.push(Cell::Number(lat));
                cells.push(Cell::Number(lon));
            }
            None => cells.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
        }
        cells.push((photos as i64).into());
        cells.push((members as i64).into());
        for (id, _) in &columns {
            let cell = match (form.and_then(|f| f.question(id)), answers.get(*id)) {
                (Some(q), Some(a)) => answer_cell(q, a),
                _ => Cell::Empty,
            };
            cells.push(cell);
        }
        sheet.rows.push(cells);
    }
    sheet
}

/// One row per household member recorded on a home visit this term, with the member's answers in form order.
fn household_sheet(lines: &[SubmissionLine], forms: &FormSet, class_names: &HashMap<ClassId, String>) -> Sheet {
    let form: Option<&FormDef> = forms.iter().find(|f| f.kind == "home_visit");
    let repeats: Vec<&crate::forms::def::Question> = form
        .map(|f| f.questions.iter().filter(|q| matches!(q.kind, QuestionKind::Repeat { .. })).collect())
        .unwrap_or_default();
    let inner = |q: &crate::forms::def::Question| -> Vec<crate::forms::def::Question> {
        match &q.kind {
            QuestionKind::Repeat { questions, .. } => questions.iter().filter(|q| q.is_answerable()).cloned().collect(),
            _ => vec![],
        }
    };
    // The member columns: every question asked about a member, once, in form order.
    let mut columns: Vec<crate::forms::def::Question> = vec![];
    for q in repeats.iter().flat_map(|r| inner(r)) {
        if !columns.iter().any(|c| c.id == q.id) {
            columns.push(q);
        }
    }
    let mut headers: Vec<String> =
        ["เลขประจำตัว", "ชื่อ-สกุล", "ชั้น", "วันที่เยี่ยมบ้าน", "คนที่"].iter().map(|s| s.to_string()).collect();
    headers.extend(columns.iter().map(|q| q.label.th().to_string()));
    let mut sheet = Sheet { name: SHEET_HOUSEHOLD.into(), headers, ..Sheet::default() };
    for (line, class) in in_view(lines, class_names) {
        let answers: Answers = serde_json::from_str(&line.answers).unwrap_or_default();
        for repeat in &repeats {
            let Some(Answer::Repeat(items)) = answers.get(&repeat.id) else { continue };
            for (i, item) in items.iter().enumerate() {
                let mut cells: Vec<Cell> = vec![
                    line.code.clone().into(),
                    line.name.clone().into(),
                    class.clone().into(),
                    instant_date_cell(&line.at),
                    (i as i64 + 1).into(),
                ];
                cells.extend(columns.iter().map(|q| item.get(&q.id).map_or(Cell::Empty, |a| answer_cell(q, a))));
                sheet.rows.push(cells);
            }
        }
    }
    sheet
}

fn urgency_th(u: &str) -> String {
    match u {
        "normal" => "ปกติ",
        "urgent" => "ด่วน",
        "very_urgent" => "ด่วนมาก",
        other => other,
    }
    .to_string()
}

fn status_th(s: &str) -> String {
    match s {
        "new" => "รอรับเรื่อง",
        "accepted" => "รับเรื่องแล้ว",
        "in_progress" => "กำลังดำเนินการ",
        "referred_out" => "ส่งต่อภายนอก",
        "closed" => "ปิดเรื่องแล้ว",
        "open" => "ยังไม่เสร็จ",
        "done" => "เสร็จแล้ว",
        "cancelled" => "ยกเลิก",
        other => other,
    }
    .to_string()
}

/// Cases of the students in view that were open at some time during the term, their chronology and plan
/// actions. Without the cases tables (before the referrals work), the sheets have headers and no rows.
fn case_sheets(rows: &ReportRows, stats: &SchoolStats, class_names: &HashMap<ClassId, String>) -> Vec<Sheet> {
    let mut cases = Sheet::new(
        SHEET_CASES,
        &[
            "เรื่องที่",
            "เลขประจำตัว",
            "ชื่อ-สกุล",
            "ชั้น",
            "ความเร่งด่วน",
            "สถานะ",
            "ผู้รับผิดชอบ",
            "ผู้ส่งต่อ",
            "เปิดเรื่องเมื่อ",
            "รับเรื่องเมื่อ",
            "ปิดเรื่องเมื่อ",
            "สิ่งที่พบ",
            "ผลการช่วยเหลือ",
        ],
    );
    let mut events = Sheet::new(SHEET_CHRONOLOGY, &["เรื่องที่", "ชื่อ-สกุล", "วันเวลา", "ผู้บันทึก", "ประเภท", "รายละเอียด"]);
    let mut actions = Sheet::new(
        SHEET_ACTIONS,
        &["เรื่องที่", "ชื่อ-สกุล", "สิ่งที่ต้องทำ", "ผู้รับผิดชอบ", "กำหนดส่ง", "สถานะ", "เลยกำหนด", "บันทึกผล", "เสร็จเมื่อ"],
    );
    if !stats.cases_tracked {
        return vec![cases, events, actions];
    }
    let mut shown: HashMap<CaseId, &str> = HashMap::new();
    for c in &rows.cases {
        let Some(class) = class_names.get(&c.class) else { continue };
        shown.insert(c.id, &c.name);
        cases.rows.push(vec![
            c.id.0.into(),
            c.code.clone().into(),
            c.name.clone().into(),
            class.clone().into(),
            urgency_th(&c.urgency).into(),
            status_th(&c.status).into(),
            c.owner.clone().into(),
            c.opener.clone().into(),
            instant_cell(&c.opened_at),
            c.accepted_at.as_deref().map_or(Cell::Empty, instant_cell),
            c.closed_at.as_deref().map_or(Cell::Empty, instant_cell),
            c.reason.clone().into(),
            c.outcome.clone().into(),
        ]);
    }
    for e in &rows.events {
        let Some(name) = shown.get(&e.case) else { continue };
        events.rows.push(vec![
            e.case.0.into(),
            name.to_string().into(),
            instant_cell(&e.at),
            e.who.clone().unwrap_or_else(|| "ระบบ".into()).into(),
            event_th(&e.kind).into(),
            e.detail.clone().into(),
        ]);
    }
    let today = stats.today.format("%Y-%m-%d").to_string();
    for a in &rows.actions {
        let Some(name) = shown.get(&a.case) else { continue };
        let overdue = a.status == "open" && a.due_on < today;
        actions.rows.push(vec![
            a.case.0.into(),
            name.to_string().into(),
            a.description.clone().into(),
            a.owner.clone().into(),
            iso_date_cell(&a.due_on),
            status_th(&a.status).into(),
            if overdue { "เลยกำหนด" } else { "" }.into(),
            a.done_note.clone().into(),
            a.closed_at.as_deref().map_or(Cell::Empty, instant_cell),
        ]);
    }
    vec![cases, events, actions]
}

fn survey_sheet(forms: &FormSet, survey: &stats::SurveyStats) -> Sheet {
    let form: Option<&FormDef> = forms.iter().find(|f| f.kind == "survey");
    let mut sheet = Sheet::new(SHEET_SURVEY, &["ข้อ", "คำถาม", "จำนวนผู้ตอบ", "คะแนนเฉลี่ย (เต็ม 5)"]);
    // In the form's order when the form is known.
    let mut items: Vec<&stats::SurveyItem> = survey.items.iter().collect();
    if let Some(form) = form {
        items.sort_by_key(|i| form.questions.iter().position(|q| q.id == i.question_id).unwrap_or(usize::MAX));
    }
    for (n, item) in items.iter().enumerate() {
        let label = form
            .and_then(|f| f.question(&item.question_id))
            .map_or(item.question_id.clone(), |q| q.label.th().to_string());
        sheet.rows.push(vec![
            (n as i64 + 1).into(),
            label.into(),
            item.answered.into(),
            Cell::Number((item.mean * 100.0).round() / 100.0),
        ]);
    }
    sheet.notes.push(vec!["ผู้ตอบทั้งหมด".into(), survey.responses.into()]);
    sheet.notes.push(vec!["ค่าเฉลี่ยรวม".into(), Cell::Number((survey.overall_mean() * 100.0).round() / 100.0)]);
    for comment in &survey.comments {
        sheet.notes.push(vec!["ข้อเสนอแนะ".into(), comment.clone().into()]);
    }
    sheet
}

/// Write the sheets as an .xlsx file in memory.
pub fn write_workbook(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DCE6F1").set_text_wrap().set_align(FormatAlign::Top);
    let link = Format::new().set_font_color("#1155CC").set_underline(rust_xlsxwriter::FormatUnderline::Single);
    let formats = CellFormats {
        link,
        date: Format::new().set_num_format(DATE_FORMAT_TH).set_align(FormatAlign::Left),
        datetime: Format::new().set_num_format(DATETIME_FORMAT_TH).set_align(FormatAlign::Left),
    };
    for sheet in sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(&sheet.name).with_context(|| format!("bad sheet name {:?}", sheet.name))?;
        let ncols = sheet.headers.len().max(1);
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| display_width(h).clamp(8, 28)).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, col(c)?, h, &header)?;
        }
        for (r, cells) in sheet.rows.iter().enumerate() {
            let row = u32::try_from(r + 1).context("too many rows")?;
            for (c, cell) in cells.iter().enumerate() {
                write_cell(ws, row, col(c)?, cell, &formats)?;
                if let Some(w) = widths.get_mut(c) {
                    let shown = match cell {
                        Cell::Text(t) => display_width(t).min(50),
                        Cell::Date(_) => 12,
                        Cell::DateTime(_) => 18,
                        _ => 0,
                    };
                    *w = (*w).max(shown);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(col(c)?, *w as f64 + 2.0)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let last_row = u32::try_from(sheet.rows.len()).context("too many rows")?;
        ws.autofilter(0, 0, last_row, col(ncols - 1)?)?;
        // Notes under the table, after one empty row.
        for (i, cells) in sheet.notes.iter().enumerate() {
            let row = u32::try_from(sheet.rows.len() + 2 + i).context("too many rows")?;
            for (c, cell) in cells.iter().enumerate() {
                write_cell(ws, row, col(c)?, cell, &formats)?;
            }
        }
    }
    workbook.save_to_buffer().context("cannot write the workbook")
}

fn col(c: usize) -> anyhow::Result<u16> {
    u16::try_from(c).context("too many columns")
}

/// Roughly how many columns a text takes (Thai marks take none).
fn display_width(text: &str) -> usize {
    text.chars().filter(|c| !matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')).count()
}

struct CellFormats {
    link: Format,
    date: Format,
    datetime: Format,
}

fn excel_date(date: NaiveDate) -> anyhow::Result<ExcelDateTime> {
    let (Ok(year), Ok(month), Ok(day)) =
        (u16::try_from(date.year()), u8::try_from(date.month()), u8::try_from(date.day()))
    else {
        anyhow::bail!("date {date} cannot be written");
    };
    ExcelDateTime::from_ymd(year, month, day).with_context(|| format!("date {date} cannot be written"))
}

fn write_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &CellFormats,
) -> anyhow::Result<()> {
    match cell {
        Cell::Text(t) => {
            ws.write_string(row, col, t)?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Link { url, text } => {
            ws.write_url_with_format(row, col, Url::new(url.as_str()).set_text(text.as_str()), &formats.link)?;
        }
        Cell::Date(date) => {
            ws.write_datetime_with_format(row, col, &excel_date(*date)?, &formats.date)?;
        }
        Cell::DateTime(at) => {
            let value = excel_date(at.date())?
                .and_hms(u16::try_from(at.hour()).unwrap_or(0), u8::try_from(at.minute()).unwrap_or(0), 0)
                .with_context(|| format!("time {at} cannot be written"))?;
            ws.write_datetime_with_format(row, col, &value, &formats.datetime)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// The whole report for these classes and term, as .xlsx bytes.
pub fn export(
    conn: &Connection,
    forms: &FormSet,
    stats: &SchoolStats,
    classes: &[ClassRow],
) -> anyhow::Result<Vec<u8>> {
    let sheets = build_sheets(conn, forms, stats, classes)?;
    write_workbook(&sheets)
}
