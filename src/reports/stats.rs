//! The school's statistics for a term, as pure queries over the store: per class and in total — active
//! students, screened (latest screening per student in the term), each aspect's groups, flags, home visits,
//! cases and overdue plan actions (when those tables exist), coverage by week and survey answers.
//!
//! Who sees what follows the one access policy: teachers their own classes, the head and the counsellor the
//! whole school ([`visible_classes`]).

use super::store::{self as db, LatestScreening};
use crate::care::policy::{self, CareAction};
use crate::domain::Role;
use crate::forms::def::{Group, LocalText};
use crate::forms::engine::{Answer, Answers};
use crate::forms::score::ScoreResult;
use crate::store::students::{self, ClassId, ClassRow};
use crate::store::terms::TermDates;
use crate::store::users::{self, UserRow};
use anyhow::Context as _;
use chrono::{NaiveDate, NaiveTime, TimeZone as _};
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many students are in each group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCounts {
    pub normal: i64,
    pub risk: i64,
    pub problem: i64,
}

impl GroupCounts {
    pub fn add(&mut self, group: Group) {
        match group {
            Group::Normal => self.normal += 1,
            Group::Risk => self.risk += 1,
            Group::Problem => self.problem += 1,
        }
    }

    pub fn get(&self, group: Group) -> i64 {
        match group {
            Group::Normal => self.normal,
            Group::Risk => self.risk,
            Group::Problem => self.problem,
        }
    }

    pub fn total(&self) -> i64 {
        self.normal + self.risk + self.problem
    }

    fn merge(&mut self, other: &GroupCounts) {
        self.normal += other.normal;
        self.risk += other.risk;
        self.problem += other.problem;
    }
}

/// One rated aspect (ด้านการเรียน …): how many screened students are in each group.
#[derive(Debug, Clone, PartialEq)]
pub struct AspectCount {
    pub id: String,
    pub label: LocalText,
    pub counts: GroupCounts,
}

/// One flag (ความสามารถพิเศษ, ความต้องการพิเศษ): how many screened students have it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagCount {
    pub id: String,
    pub label: LocalText,
    pub present: i64,
}

/// The numbers of one class, or of all the classes in view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitStats {
    /// Active (not archived) students.
    pub students: i64,
    /// Active students with a screening this term.
    pub screened: i64,
    /// Overall group of each screened student's latest screening this term.
    pub overall: GroupCounts,
    /// Rated aspects, in the order the screening form lists them.
    pub aspects: Vec<AspectCount>,
    pub flags: Vec<FlagCount>,
    /// Active students with a home visit that counts now: this school year (the home-visit form's period is
    /// "year"), or this term if the school's form says "term".
    pub visited: i64,
    /// Cases not closed (any term).
    pub cases_open: i64,
    /// Cases closed during this term.
    pub cases_closed: i64,
    /// Open plan actions whose due date has passed.
    pub actions_overdue: i64,
    /// Cases open now or closed this term, helped by the homeroom teacher in class (ช่วยเหลือเบื้องต้น).
    pub cases_classroom: i64,
    /// Cases open now or closed this term, referred to the counsellor.
    pub cases_referred: i64,
    /// Of the referred: those that started as help in class.
    pub cases_escalated: i64,
    /// Class meetings with parents held this term.
    pub meetings_held: i64,
    /// Families that came to those meetings (summed over the meetings).
    pub meeting_parents: i64,
}

/// `part` of `whole` in whole percent, rounded; 0 when there is nobody.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { (part * 100 + whole / 2) / whole }
}

impl UnitStats {
    pub fn screened_pct(&self) -> i64 {
        percent(self.screened, self.students)
    }

    pub fn visited_pct(&self) -> i64 {
        percent(self.visited, self.students)
    }

    pub fn aspect(&self, id: &str) -> Option<&AspectCount> {
        self.aspects.iter().find(|a| a.id == id)
    }

    pub fn flag(&self, id: &str) -> Option<&FlagCount> {
        self.flags.iter().find(|f| f.id == id)
    }

    fn merge(&mut self, other: &UnitStats) {
        self.students += other.students;
        self.screened += other.screened;
        self.overall.merge(&other.overall);
        self.visited += other.visited;
        self.cases_open += other.cases_open;
        self.cases_closed += other.cases_closed;
        self.actions_overdue += other.actions_overdue;
        self.cases_classroom += other.cases_classroom;
        self.cases_referred += other.cases_referred;
        self.cases_escalated += other.cases_escalated;
        self.meetings_held += other.meetings_held;
        self.meeting_parents += other.meeting_parents;
        for a in &other.aspects {
            match self.aspects.iter_mut().find(|x| x.id == a.id) {
                Some(x) => x.counts.merge(&a.counts),
                None => self.aspects.push(a.clone()),
            }
        }
        for f in &other.flags {
            match self.flags.iter_mut().find(|x| x.id == f.id) {
                Some(x) => x.present += f.present,
                None => self.flags.push(f.clone()),
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassStats {
    pub class_id: ClassId,
    /// 'ป.4/1'
    pub name: String,
    pub stats: UnitStats,
}

/// Screening coverage at the end of one week of the term (cumulative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekPoint {
    pub week_start: NaiveDate,
    /// Students in view screened by the end of this week.
    pub screened: i64,
}

/// One rating question of the satisfaction survey.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyItem {
    pub question_id: String,
    pub answered: i64,
    /// Mean rating (1–5).
    pub mean: f64,
}

/// Answers to surveys (form kind "survey") this term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyStats {
    pub responses: i64,
    /// Rating questions (numeric choices), by question id.
    pub items: Vec<SurveyItem>,
    /// Free-text answers.
    pub comments: Vec<String>,
}

impl SurveyStats {
    /// The mean of all ratings given, 0 when none.
    pub fn overall_mean(&self) -> f64 {
        let (sum, n) =
            self.items.iter().fold((0.0, 0i64), |(s, n), i| (s + i.mean * i.answered as f64, n + i.answered));
        if n == 0 { 0.0 } else { sum / n as f64 }
    }
}

/// Whether the numbers cover the whole school or only some classes (a teacher's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    School,
    Classes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SchoolStats {
    pub term: TermDates,
    /// The day the numbers were taken.
    pub today: NaiveDate,
    pub scope: Scope,
    pub classes: Vec<ClassStats>,
    /// All the classes in view together.
    pub total: UnitStats,
    /// Weekly screening coverage from the term's start to today (or its end).
    pub coverage: Vec<WeekPoint>,
    /// `None` when nobody answered a survey this term.
    pub survey: Option<SurveyStats>,
    /// The cases tables exist (the case numbers mean something).
    pub cases_tracked: bool,
    /// What home visits are counted in (the home-visit form's `period`): this school year, or this term.
    pub visit_period: crate::domain::Period,
}

/// The classes this person may see statistics for, and whether that is the whole school. `None`: their role
/// does not see care data (admin, parent) or their access was revoked.
pub fn visible_classes(conn: &Connection, user: &UserRow) -> anyhow::Result<Option<(Scope, Vec<ClassRow>)>> {
    if user.revoked || !policy::role_uses_care_data(user.role, CareAction::ViewRecords) {
        return Ok(None);
    }
    let all = students::list_classes(conn)?;
    if user.role == Role::Teacher {
        let own: Vec<ClassId> = users::classes_of(conn, user.id)?.into_iter().map(|c| c.id).collect();
        let mine = all.into_iter().filter(|c| policy::decide(user.role, &own, CareAction::ViewRecords, c.id)).collect();
        return Ok(Some((Scope::Classes, mine)));
    }
    let seen: Vec<ClassRow> =
        all.into_iter().filter(|c| policy::decide(user.role, &[], CareAction::ViewRecords, c.id)).collect();
    Ok(Some((Scope::School, seen)))
}

/// Statistics for what `user` may see. `None` when they see no care data.
pub fn for_user(
    conn: &Connection,
    user: &UserRow,
    term: TermDates,
    today: NaiveDate,
) -> anyhow::Result<Option<SchoolStats>> {
    let Some((scope, classes)) = visible_classes(conn, user)? else {
        return Ok(None);
    };
    compute(conn, scope, &classes, term, today).map(Some)
}

/// Statistics of the whole school (the CLI, the weekly digest).
pub fn for_school(conn: &Connection, term: TermDates, today: NaiveDate) -> anyhow::Result<SchoolStats> {
    let classes = students::list_classes(conn)?;
    compute(conn, Scope::School, &classes, term, today)
}

pub use super::store::table_exists;

/// The UTC instant (as stored) at which a local date begins in Bangkok.
pub(crate) fn start_of_day_instant(date: NaiveDate) -> String {
    let local = date.and_time(NaiveTime::MIN);
    match crate::l10n::thai_date::bangkok().from_local_datetime(&local).single() {
        Some(at) => crate::store::instant(at.with_timezone(&chrono::Utc)),
        // A fixed offset always maps; keep a sortable fallback anyway.
        None => format!("{}T00:00:00Z", date.format("%Y-%m-%d")),
    }
}

/// The local (Bangkok) date of a stored instant.
pub(crate) fn local_date(instant: &str) -> anyhow::Result<NaiveDate> {
    Ok(crate::store::parse_instant(instant)?.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive())
}

/// Compute the statistics of `classes` for `term`, as of `today`.
pub fn compute(
    conn: &Connection,
    scope: Scope,
    classes: &[ClassRow],
    term: TermDates,
    today: NaiveDate,
) -> anyhow::Result<SchoolStats> {
    let term_name = term.term.to_string();
    let in_view: HashSet<ClassId> = classes.iter().map(|c| c.id).collect();

    let students = db::active_students_by_class(conn)?;
    let visited = db::visited_students_by_class(conn, &term_name)?;

    // Screenings: parse each latest score once; keep the aspects in the order the forms list them.
    let mut per_class: HashMap<ClassId, UnitStats> = HashMap::new();
    let mut aspect_order: Vec<(String, LocalText)> = Vec::new();
    let mut flag_order: Vec<(String, LocalText)> = Vec::new();
    let mut parsed: Vec<(ClassId, Option<Group>, Option<ScoreResult>)> = Vec::new();
    for LatestScreening { class, score, overall, .. } in db::latest_screenings(conn, &term_name)? {
        if !in_view.contains(&class) {
            continue;
        }
        let score: Option<ScoreResult> = score.as_deref().and_then(|j| serde_json::from_str(j).ok());
        if let Some(score) = &score {
            for a in &score.aspects {
                if !aspect_order.iter().any(|(id, _)| id == &a.id) {
                    aspect_order.push((a.id.clone(), a.label.clone()));
                }
            }
            for f in &score.flags {
                if !flag_order.iter().any(|(id, _)| id == &f.id) {
                    flag_order.push((f.id.clone(), f.label.clone()));
                }
            }
        }
        let group = overall.as_deref().and_then(Group::parse).or(score.as_ref().map(|s| s.overall));
        parsed.push((class, group, score));
    }
    for class in classes {
        let unit = per_class.entry(class.id).or_default();
        unit.aspects = aspect_order
            .iter()
            .map(|(id, label)| AspectCount { id: id.clone(), label: label.clone(), counts: GroupCounts::default() })
            .collect();
        unit.flags = flag_order
            .iter()
            .map(|(id, label)| FlagCount { id: id.clone(), label: label.clone(), present: 0 })
            .collect();
    }
    for (class, group, score) in &parsed {
        let Some(unit) = per_class.get_mut(class) else { continue };
        unit.screened += 1;
        if let Some(g) = group {
            unit.overall.add(*g);
        }
        let Some(score) = score else { continue };
        for a in &score.aspects {
            if let (Some(g), Some(slot)) = (a.group, unit.aspects.iter_mut().find(|x| x.id == a.id)) {
                slot.counts.add(g);
            }
        }
        for f in score.flags.iter().filter(|f| f.present) {
            if let Some(slot) = unit.flags.iter_mut().find(|x| x.id == f.id) {
                slot.present += 1;
            }
        }
    }

    // Cases and plan actions, when the referrals work has created their tables.
    let cases_tracked = table_exists(conn, "cases")?;
    let (mut open, mut closed, mut overdue) = (HashMap::new(), HashMap::new(), HashMap::new());
    let mut by_kind: HashMap<&str, HashMap<ClassId, i64>> = HashMap::new();
    let mut escalated = HashMap::new();
    if cases_tracked {
        // By who helps: the homeroom teacher in class, or the counsellor after a referral (either kind counts
        // while open, and in the term it was closed).
        let since = start_of_day_instant(term.starts_on);
        for kind in ["classroom", "referral"] {
            by_kind.insert(kind, db::cases_of_kind_by_class(conn, kind, &since)?);
        }
        escalated = db::escalated_cases_by_class(conn, &since)?;
        open = db::open_cases_by_class(conn)?;
        closed = db::cases_closed_since_by_class(conn, &since)?;
        if table_exists(conn, "plan_actions")? {
            overdue = db::overdue_actions_by_class(conn, today)?;
        }
    }

    let meetings = crate::care::meetings::counts_by_class(conn, term.starts_on, term.ends_on)
        .context("cannot count class meetings")?;

    let mut class_stats = Vec::with_capacity(classes.len());
    let mut total = UnitStats {
        aspects: aspect_order
            .iter()
            .map(|(id, label)| AspectCount { id: id.clone(), label: label.clone(), counts: GroupCounts::default() })
            .collect(),
        flags: flag_order
            .iter()
            .map(|(id, label)| FlagCount { id: id.clone(), label: label.clone(), present: 0 })
            .collect(),
        ..UnitStats::default()
    };
    for class in classes {
        let id = class.id;
        let mut unit = per_class.remove(&id).unwrap_or_default();
        unit.students = students.get(&id).copied().unwrap_or(0);
        unit.visited = visited.get(&id).copied().unwrap_or(0);
        unit.cases_open = open.get(&id).copied().unwrap_or(0);
        unit.cases_closed = closed.get(&id).copied().unwrap_or(0);
        unit.actions_overdue = overdue.get(&id).copied().unwrap_or(0);
        let kind_count = |kind: &str| by_kind.get(kind).and_then(|m| m.get(&id)).copied().unwrap_or(0);
        unit.cases_classroom = kind_count("classroom");
        unit.cases_referred = kind_count("referral");
        unit.cases_escalated = escalated.get(&id).copied().unwrap_or(0);
        let met = meetings.get(&id.0).copied().unwrap_or_default();
        unit.meetings_held = met.held;
        unit.meeting_parents = met.parents;
        total.merge(&unit);
        class_stats.push(ClassStats { class_id: class.id, name: class.name.to_string(), stats: unit });
    }

    let coverage = coverage(conn, &term_name, &in_view, term, today)?;
    let survey = survey(conn, &term_name, &in_view, scope == Scope::School)?;
    let visit_period = crate::store::forms::period_of(conn, "home_visit")?;
    Ok(SchoolStats { term, today, scope, classes: class_stats, total, coverage, survey, cases_tracked, visit_period })
}

/// Cumulative screening coverage at the end of each week of the term, up to today.
fn coverage(
    conn: &Connection,
    term_name: &str,
    in_view: &HashSet<ClassId>,
    term: TermDates,
    today: NaiveDate,
) -> anyhow::Result<Vec<WeekPoint>> {
    let rows = db::first_screenings(conn, term_name)?;
    let mut firsts = Vec::new();
    for (class, at) in rows {
        if in_view.contains(&class) {
            firsts.push(local_date(&at)?);
        }
    }
    let last = today.min(term.ends_on);
    let mut points = Vec::new();
    let mut week_start = term.starts_on;
    while week_start <= last && points.len() < 60 {
        let week_end = week_start + chrono::Duration::days(6);
        let screened = firsts.iter().filter(|d| **d <= week_end).count() as i64;
        points.push(WeekPoint { week_start, screened });
        week_start += chrono::Duration::days(7);
    }
    Ok(points)
}

/// Survey answers this term (for the students of the classes in view).
/// Answers come from surveys sent with `/survey` (`survey_responses`: a parent's answer counts for their child's
/// class, a colleague's only for the whole school) and from survey forms filled in for a student (`submissions`).
fn survey(
    conn: &Connection,
    term_name: &str,
    in_view: &HashSet<ClassId>,
    school_wide: bool,
) -> anyhow::Result<Option<SurveyStats>> {
    let rows = db::survey_answers(conn, term_name)?;
    let mut stats = SurveyStats::default();
    let mut sums: BTreeMap<String, (f64, i64)> = BTreeMap::new();
    for (class, json) in rows {
        let counted = match class {
            Some(class) => in_view.contains(&class),
            None => school_wide,
        };
        if !counted {
            continue;
        }
        // An answer set that no longer parses is still a response; it just adds no ratings.
        stats.responses += 1;
        let Ok(answers) = serde_json::from_str::<Answers>(&json) else { continue };
        for (id, answer) in answers {
            match answer {
                Answer::Choice(value) => {
                    if let Ok(x) = value.trim().parse::<f64>() {
                        let slot = sums.entry(id).or_insert((0.0, 0));
                        slot.0 += x;
                        slot.1 += 1;
                    }
                }
                Answer::Integer(x) => {
                    let slot = sums.entry(id).or_insert((0.0, 0));
                    slot.0 += x as f64;
                    slot.1 += 1;
                }
                Answer::Text(t) if !t.trim().is_empty() => stats.comments.push(t.trim().to_string()),
                _ => {}
            }
        }
    }
    if stats.responses == 0 {
        return Ok(None);
    }
    stats.items = sums
        .into_iter()
        .map(|(question_id, (sum, n))| SurveyItem {
            question_id,
            answered: n,
            mean: if n > 0 { sum / n as f64 } else { 0.0 },
        })
        .collect();
    Ok(Some(stats))
}

/// Statistics rows used by more than one report: a student's latest screening this term, by student id.
pub fn latest_screening_by_student(conn: &Connection, term: &str) -> anyhow::Result<HashMap<i64, ScoreResult>> {
    let mut out = HashMap::new();
    for LatestScreening { student, score, .. } in db::latest_screenings(conn, term)? {
        if let Some(score) = score.as_deref().and_then(|j| serde_json::from_str::<ScoreResult>(j).ok()) {
            out.insert(student.0, score);
        }
    }
    Ok(out)
}
