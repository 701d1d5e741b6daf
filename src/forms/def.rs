//! The validated, in-memory form definition. Built only by [`super::parse_and_validate`].

use serde::{Deserialize, Serialize};

use super::expr::Expr;

/// A human text in Thai (required) and English (optional; falls back to Thai).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalText {
    #[serde(default)]
    pub th: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalText {
    pub fn new(th: impl Into<String>, en: impl Into<String>) -> Self {
        LocalText { th: th.into(), en: Some(en.into()) }
    }
    pub fn th(&self) -> &str {
        &self.th
    }
    /// English, or Thai when no English was written.
    pub fn en(&self) -> &str {
        match &self.en {
            Some(en) if !en.trim().is_empty() => en,
            _ => &self.th,
        }
    }
}

/// Screening group, ordered by seriousness: `Normal < Risk < Problem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Normal,
    Risk,
    Problem,
}

impl Group {
    pub fn parse(s: &str) -> Option<Group> {
        match s {
            "normal" => Some(Group::Normal),
            "risk" => Some(Group::Risk),
            "problem" => Some(Group::Problem),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Normal => "normal",
            Group::Risk => "risk",
            Group::Problem => "problem",
        }
    }
    /// ปกติ / เสี่ยง / มีปัญหา
    pub fn label_th(self) -> &'static str {
        match self {
            Group::Normal => "ปกติ",
            Group::Risk => "เสี่ยง",
            Group::Problem => "มีปัญหา",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Group::Normal => "normal",
            Group::Risk => "at risk",
            Group::Problem => "problem",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormDef {
    pub id: String,
    pub version: u32,
    /// "screening", "home_visit", "survey" or any other word a school uses.
    pub kind: String,
    /// What this form's coverage counts in: every term (screening) or once a school year (home visit).
    pub period: crate::domain::Period,
    pub title: LocalText,
    pub description: Option<LocalText>,
    pub sections: Vec<Section>,
    pub aspects: Vec<Aspect>,
    pub scales: Vec<Scale>,
    pub questions: Vec<Question>,
    /// The file it was read from (for messages).
    pub file: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: LocalText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AspectKind {
    /// ปกติ / เสี่ยง / มีปัญหา
    Rated,
    /// มี / ไม่มี (special ability, special needs)
    Flag,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aspect {
    pub id: String,
    pub label: LocalText,
    pub kind: AspectKind,
    /// What each group means for this aspect, for the counsellor and the report.
    pub criteria: Criteria,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Criteria {
    pub normal: Option<LocalText>,
    pub risk: Option<LocalText>,
    pub problem: Option<LocalText>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScaleSource {
    /// Question ids whose choice scores are summed.
    Items(Vec<String>),
    /// Earlier scale ids whose sums are summed (a total).
    Scales(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub label: LocalText,
    pub source: ScaleSource,
    /// Ascending `at_least` thresholds; the last one reached wins, below all is normal.
    pub cutoffs: Vec<Cutoff>,
    /// A rated aspect this scale's group counts towards.
    pub aspect: Option<String>,
    /// Items needed for a result (default: all).
    pub min_answered: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cutoff {
    pub at_least: i64,
    pub group: Group,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub section: Option<String>,
    pub label: LocalText,
    pub hint: Option<LocalText>,
    pub kind: QuestionKind,
    pub required: bool,
    pub required_message: Option<LocalText>,
    pub constraint: Constraint,
    pub constraint_message: Option<LocalText>,
    pub relevant: Option<Expr>,
    /// Source text of `relevant`, for messages.
    pub relevant_src: Option<String>,
    pub aspect: Option<String>,
    pub bands: Vec<Band>,
    /// Reverse-scored item (score = max + min − score).
    pub reverse: bool,
    pub yes_group: Option<Group>,
    pub no_group: Option<Group>,
    /// The words on a yes/no question's buttons: "มี"/"ไม่มี" for "มี…ไหม", "ใช่"/"ไม่ใช่" by default.
    pub yes_label: Option<LocalText>,
    pub no_label: Option<LocalText>,
    /// Buttons beside a typed answer for the cases a number or a date cannot say ("ยังไม่มีผลการเรียน" for a GPA).
    /// Pressing one stores its value as the answer; it is never scored.
    pub alternatives: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    Single(Vec<Choice>),
    Multi(Vec<Choice>),
    YesNo,
    Integer,
    Decimal,
    Text,
    Date { default_today: bool },
    Location,
    Photo { min: usize, max: usize },
    Note,
    Calculate(Expr),
    Repeat { questions: Vec<Question>, max: Option<usize>, item_label: Option<LocalText> },
}

impl QuestionKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Single(_) => "single",
            QuestionKind::Multi(_) => "multi",
            QuestionKind::YesNo => "yesno",
            QuestionKind::Integer => "integer",
            QuestionKind::Decimal => "decimal",
            QuestionKind::Text => "text",
            QuestionKind::Date { .. } => "date",
            QuestionKind::Location => "location",
            QuestionKind::Photo { .. } => "photo",
            QuestionKind::Note => "note",
            QuestionKind::Calculate(_) => "calculate",
            QuestionKind::Repeat { .. } => "repeat",
        }
    }
}

impl Question {
    /// The two answers of a yes/no question as the form words them (default ใช่ / ไม่ใช่).
    pub fn yes_no_labels(&self) -> (LocalText, LocalText) {
        (
            self.yes_label.clone().unwrap_or_else(|| LocalText::new("ใช่", "Yes")),
            self.no_label.clone().unwrap_or_else(|| LocalText::new("ไม่ใช่", "No")),
        )
    }

    /// Asked and answered by a person (not a note, not a calculation).
    pub fn is_answerable(&self) -> bool {
        !matches!(self.kind, QuestionKind::Note | QuestionKind::Calculate(_))
    }
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::Single(c) | QuestionKind::Multi(c) => c,
            _ => &[],
        }
    }
    /// A choice of a single/multi question, or an alternative of a typed one, by its value.
    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.choices().iter().chain(&self.alternatives).find(|c| c.value == value)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: LocalText,
    pub group: Option<Group>,
    /// Overrides the question's aspect for this choice.
    pub aspect: Option<String>,
    pub score: Option<i64>,
    /// For a flag aspect: choosing this sets the flag (มี).
    pub flag: bool,
    /// In a multi question, a choice like "none of these": ticking it clears the others, and ticking another
    /// clears it.
    pub exclusive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Below(f64),
    AtMost(f64),
    Above(f64),
    AtLeast(f64),
}

impl Bound {
    pub fn matches(self, x: f64) -> bool {
        match self {
            Bound::Below(b) => x < b,
            Bound::AtMost(b) => x <= b,
            Bound::Above(b) => x > b,
            Bound::AtLeast(b) => x >= b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub bound: Bound,
    pub group: Group,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub regex: regex_lite::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// Today plus this many days (negative: in the past).
    Today(i64),
    Fixed(chrono::NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraint {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<Pattern>,
    pub expr: Option<Expr>,
    pub min_date: Option<DateBound>,
    pub max_date: Option<DateBound>,
}

impl FormDef {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
    pub fn aspect(&self, id: &str) -> Option<&Aspect> {
        self.aspects.iter().find(|a| a.id == id)
    }
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
    /// A question anywhere (top level or inside a repeat), with its repeat's id.
    pub fn find_any(&self, id: &str) -> Option<(&Question, Option<&Question>)> {
        for q in &self.questions {
            if q.id == id {
                return Some((q, None));
            }
            if let QuestionKind::Repeat { questions, .. } = &q.kind
                && let Some(sub) = questions.iter().find(|s| s.id == id)
            {
                return Some((sub, Some(q)));
            }
        }
        None
    }
}
