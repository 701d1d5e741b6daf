//! Reading form files: TOML → raw structs → checked [`FormDef`]. Every problem is collected.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::def::*;
use super::expr::{self, Expr};

/// Question ids travel in Telegram callback data (64 bytes in all), so they stay short.
pub const MAX_ID_BYTES: usize = 24;
/// Choice values travel in callback data too.
pub const MAX_VALUE_BYTES: usize = 16;
/// At most this many photos per question (a Telegram album holds 10).
pub const MAX_PHOTOS: usize = 10;

/// One problem in one form file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub file: String,
    pub question: Option<String>,
    pub message: String,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.question {
            Some(q) => write!(f, "{}: question \"{}\": {}", self.file, q, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FormError {}

// ---------------------------------------------------------------------------------------------
// Raw TOML shape

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    id: String,
    version: i64,
    kind: String,
    /// What coverage counts in: "term" or "year" (default: "year" for a home visit, else "term").
    #[serde(default)]
    period: Option<String>,
    title: LocalText,
    #[serde(default)]
    description: Option<LocalText>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    aspects: Vec<RawAspect>,
    #[serde(default)]
    scales: Vec<RawScale>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: String,
    title: LocalText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAspect {
    id: String,
    label: LocalText,
    kind: String,
    #[serde(default)]
    criteria: RawCriteria,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCriteria {
    normal: Option<LocalText>,
    risk: Option<LocalText>,
    problem: Option<LocalText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    id: String,
    label: LocalText,
    #[serde(default)]
    items: Vec<String>,
    #[serde(default)]
    scales: Vec<String>,
    #[serde(default)]
    cutoffs: Vec<RawCutoff>,
    aspect: Option<String>,
    min_answered: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCutoff {
    at_least: i64,
    group: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    section: Option<String>,
    #[serde(default)]
    label: LocalText,
    hint: Option<LocalText>,
    #[serde(default)]
    required: bool,
    required_message: Option<LocalText>,
    #[serde(default)]
    constraint: RawConstraint,
    constraint_message: Option<LocalText>,
    relevant: Option<String>,
    calculate: Option<String>,
    #[serde(default)]
    choices: Vec<RawChoice>,
    aspect: Option<String>,
    #[serde(default)]
    bands: Vec<RawBand>,
    #[serde(default)]
    reverse: bool,
    yes_group: Option<String>,
    no_group: Option<String>,
    yes_label: Option<LocalText>,
    no_label: Option<LocalText>,
    #[serde(default)]
    alternatives: Vec<RawChoice>,
    default: Option<String>,
    min_count: Option<usize>,
    max_count: Option<usize>,
    item_label: Option<LocalText>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConstraint {
    min: Option<f64>,
    max: Option<f64>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<String>,
    expr: Option<String>,
    min_date: Option<String>,
    max_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    value: String,
    label: LocalText,
    group: Option<String>,
    aspect: Option<String>,
    score: Option<i64>,
    #[serde(default)]
    flag: bool,
    /// In a multi question: this choice stands alone ("none of these"); ticking it clears the others.
    #[serde(default)]
    exclusive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    below: Option<f64>,
    at_most: Option<f64>,
    above: Option<f64>,
    at_least: Option<f64>,
    group: String,
}

// ---------------------------------------------------------------------------------------------

struct Checker<'a> {
    file: &'a str,
    errors: Vec<FormError>,
}

impl Checker<'_> {
    fn err(&mut self, question: Option<&str>, message: impl Into<String>) {
        self.errors.push(FormError {
            file: self.file.to_string(),
            question: question.map(str::to_string),
            message: message.into(),
        });
    }

    fn text(&mut self, q: Option<&str>, what: &str, t: &LocalText) {
        if t.th.trim().is_empty() {
            self.err(q, format!("{what} has no Thai text (th)"));
        }
    }

    fn id(&mut self, q: Option<&str>, what: &str, id: &str, max: usize) {
        let ok_chars = !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && id
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || (what == "choice value" && b.is_ascii_digit()));
        if !ok_chars {
            self.err(
                q,
                format!(
                    "{what} \"{id}\" must be snake_case ascii (a-z, 0-9, _){}",
                    if what == "choice value" { "" } else { " starting with a letter" }
                ),
            );
        }
        if id.len() > max {
            self.err(q, format!("{what} \"{id}\" is {} bytes; at most {max} fit in button data", id.len()));
        }
    }

    fn group(&mut self, q: Option<&str>, s: &Option<String>) -> Option<Group> {
        let s = s.as_ref()?;
        let g = Group::parse(s);
        if g.is_none() {
            self.err(q, format!("unknown group \"{s}\" (use normal, risk or problem)"));
        }
        g
    }

    fn expression(&mut self, q: &str, what: &str, src: &str) -> Option<Expr> {
        match expr::parse(src) {
            Ok(e) => Some(e),
            Err(e) => {
                self.err(Some(q), format!("{what} \"{src}\" cannot be read: {e}"));
                None
            }
        }
    }
}

/// Where a question sits, to check that expressions only look backwards.
struct Scope<'a> {
    /// top-level question id → (index, kind name, is repeat)
    top: &'a BTreeMap<String, (usize, &'static str)>,
    /// question inside a repeat → its repeat id
    inner: &'a BTreeMap<String, String>,
    /// sibling ids inside the current repeat → index
    siblings: Option<&'a BTreeMap<String, usize>>,
}

fn check_refs(c: &mut Checker, scope: &Scope, q: &str, what: &str, e: &Expr, my_top: usize, my_inner: Option<usize>) {
    for r in e.refs() {
        if let Some(sib) = scope.siblings
            && let Some(&j) = sib.get(&r)
        {
            if my_inner.is_some_and(|i| j >= i) {
                c.err(Some(q), format!("{what} refers to \"{r}\", which is not asked before this question"));
            }
            continue;
        }
        match scope.top.get(&r) {
            Some(&(j, _)) => {
                if j >= my_top && !(my_inner.is_some() && j == my_top) {
                    c.err(Some(q), format!("{what} refers to \"{r}\", which is not asked before this question"));
                } else if my_inner.is_some() && j == my_top {
                    c.err(Some(q), format!("{what} refers to its own repeat group \"{r}\""));
                }
            }
            None => match scope.inner.get(&r) {
                Some(rep) => c.err(
                    Some(q),
                    format!("{what} refers to \"{r}\" inside repeat group \"{rep}\"; use count(${{{rep}}}) instead"),
                ),
                None => c.err(Some(q), format!("{what} refers to unknown question \"{r}\"")),
            },
        }
    }
}

fn band_bound(c: &mut Checker, q: &str, b: &RawBand) -> Option<Band> {
    let group = c.group(Some(q), &Some(b.group.clone()))?;
    let set: Vec<Bound> = [
        b.below.map(Bound::Below),
        b.at_most.map(Bound::AtMost),
        b.above.map(Bound::Above),
        b.at_least.map(Bound::AtLeast),
    ]
    .into_iter()
    .flatten()
    .collect();
    match set.as_slice() {
        [one] => {
            let v = match *one {
                Bound::Below(v) | Bound::AtMost(v) | Bound::Above(v) | Bound::AtLeast(v) => v,
            };
            if !v.is_finite() {
                c.err(Some(q), "a band threshold must be a finite number");
                return None;
            }
            Some(Band { bound: *one, group })
        }
        _ => {
            c.err(Some(q), "each band needs exactly one of below, at_most, above, at_least");
            None
        }
    }
}

fn check_band_order(c: &mut Checker, q: &str, bands: &[Band]) {
    // A band that an earlier band already covers entirely can never win: that is "out of order".
    for (j, later) in bands.iter().enumerate() {
        for earlier in &bands[..j] {
            let shadowed = match (earlier.bound, later.bound) {
                (Bound::Below(a) | Bound::AtMost(a), Bound::Below(b)) => a >= b,
                (Bound::Below(a), Bound::AtMost(b)) => a > b,
                (Bound::AtMost(a), Bound::AtMost(b)) => a >= b,
                (Bound::Above(a) | Bound::AtLeast(a), Bound::Above(b)) => a <= b,
                (Bound::Above(a), Bound::AtLeast(b)) => a < b,
                (Bound::AtLeast(a), Bound::AtLeast(b)) => a <= b,
                _ => false,
            };
            if shadowed {
                c.err(
                    Some(q),
                    format!("bands are out of order: band {} can never match because band {} comes first (list the most extreme band first)", j + 1, bands.iter().position(|b| b == earlier).map_or(0, |p| p + 1)),
                );
                break;
            }
        }
    }
}

fn date_bound(c: &mut Checker, q: &str, s: &Option<String>) -> Option<DateBound> {
    let s = s.as_ref()?.trim();
    if s == "today" {
        return Some(DateBound::Today(0));
    }
    if let Some(rest) = s.strip_prefix("today") {
        let rest = rest.replace(' ', "");
        if let Ok(n) = rest.parse::<i64>()
            && n.abs() <= 36_500
        {
            return Some(DateBound::Today(n));
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(DateBound::Fixed(d));
    }
    c.err(Some(q), format!("date limit \"{s}\" must be \"today\", \"today-30\" or YYYY-MM-DD"));
    None
}

fn convert_question(
    c: &mut Checker,
    raw: &RawQuestion,
    aspects: &BTreeMap<String, AspectKind>,
    sections: &HashSet<String>,
    inside_repeat: bool,
) -> Option<Question> {
    let qid = raw.id.as_str();
    let q = Some(qid);
    c.id(q, "question id", qid, MAX_ID_BYTES);
    if raw.kind != "calculate" {
        c.text(q, "label", &raw.label);
    }
    if let Some(h) = &raw.hint {
        c.text(q, "hint", h);
    }
    if let Some(s) = &raw.section
        && !sections.contains(s)
    {
        c.err(q, format!("unknown section \"{s}\""));
    }
    let aspect_kind = match &raw.aspect {
        Some(a) => match aspects.get(a) {
            Some(k) => Some(*k),
            None => {
                c.err(q, format!("unknown aspect \"{a}\""));
                None
            }
        },
        None => None,
    };

    // choices
    let mut choices = Vec::new();
    let mut seen = HashSet::new();
    for ch in &raw.choices {
        c.id(q, "choice value", &ch.value, MAX_VALUE_BYTES);
        if !seen.insert(ch.value.clone()) {
            c.err(q, format!("duplicate choice value \"{}\"", ch.value));
        }
        c.text(q, &format!("choice \"{}\" label", ch.value), &ch.label);
        let group = c.group(q, &ch.group);
        let choice_aspect = match &ch.aspect {
            Some(a) => match aspects.get(a) {
                Some(k) => Some(*k),
                None => {
                    c.err(q, format!("choice \"{}\" has unknown aspect \"{a}\"", ch.value));
                    None
                }
            },
            None => aspect_kind,
        };
        if choice_aspect == Some(AspectKind::Rated) && group.is_none() && ch.group.is_none() {
            c.err(q, format!("choice \"{}\" has no group, but the question is scored for a rated aspect", ch.value));
        }
        if ch.flag && choice_aspect != Some(AspectKind::Flag) {
            c.err(q, format!("choice \"{}\" has flag = true but no flag aspect", ch.value));
        }
        if ch.exclusive && raw.kind != "multi" {
            c.err(q, format!("choice \"{}\" has exclusive = true, which only applies to multi questions", ch.value));
        }
        choices.push(Choice {
            value: ch.value.clone(),
            label: ch.label.clone(),
            group,
            aspect: ch.aspect.clone(),
            score: ch.score,
            flag: ch.flag,
            exclusive: ch.exclusive,
        });
    }

    let kind = match raw.kind.as_str() {
        "single" | "multi" => {
            if choices.is_empty() {
                c.err(q, format!("a {} question needs choices", raw.kind));
            }
            if raw.kind == "single" { QuestionKind::Single(choices) } else { QuestionKind::Multi(choices) }
        }
        "yesno" => QuestionKind::YesNo,
        "integer" => QuestionKind::Integer,
        "decimal" => QuestionKind::Decimal,
        "text" => QuestionKind::Text,
        "date" => {
            let default_today = match raw.default.as_deref() {
                None => false,
                Some("today") => true,
                Some(other) => {
                    c.err(q, format!("date default \"{other}\" is not supported (use \"today\")"));
                    false
                }
            };
            QuestionKind::Date { default_today }
        }
        "location" => QuestionKind::Location,
        "photo" => {
            let min = raw.min_count.unwrap_or(0);
            let max = raw.max_count.unwrap_or(1);
            if min > max {
                c.err(q, format!("min_count {min} is greater than max_count {max}"));
            }
            if max == 0 || max > MAX_PHOTOS {
                c.err(q, format!("max_count must be 1 to {MAX_PHOTOS}"));
            }
            QuestionKind::Photo { min, max: max.clamp(1, MAX_PHOTOS) }
        }
        "note" => QuestionKind::Note,
        "calculate" => match &raw.calculate {
            Some(src) => match c.expression(qid, "calculate", src) {
                Some(e) => QuestionKind::Calculate(e),
                None => QuestionKind::Note,
            },
            None => {
                c.err(q, "a calculate question needs `calculate = \"...\"`");
                QuestionKind::Note
            }
        },
        "repeat" => {
            if inside_repeat {
                c.err(q, "a repeat group cannot sit inside another repeat group");
            }
            if raw.questions.is_empty() {
                c.err(q, "a repeat group needs questions");
            }
            if raw.max_count == Some(0) {
                c.err(q, "max_count of a repeat group must be at least 1");
            }
            let mut subs = Vec::new();
            for sub in &raw.questions {
                if let Some(s) = convert_question(c, sub, aspects, sections, true) {
                    subs.push(s);
                }
            }
            if let Some(l) = &raw.item_label {
                c.text(q, "item_label", l);
            }
            QuestionKind::Repeat {
                questions: subs,
                max: raw.max_count.filter(|m| *m > 0),
                item_label: raw.item_label.clone(),
            }
        }
        other => {
            c.err(q, format!("unknown question type \"{other}\""));
            return None;
        }
    };

    if raw.calculate.is_some() && raw.kind != "calculate" {
        c.err(q, "`calculate` is only for type = \"calculate\"");
    }
    if !raw.choices.is_empty() && !matches!(kind, QuestionKind::Single(_) | QuestionKind::Multi(_)) {
        c.err(q, format!("a {} question cannot have choices", raw.kind));
    }
    let alternatives = alternatives(c, q, raw, &kind, &seen);
    if raw.required && matches!(kind, QuestionKind::Note | QuestionKind::Calculate(_)) {
        c.err(q, format!("a {} cannot be required", raw.kind));
    }

    // constraint
    let rc = &raw.constraint;
    let mut constraint = Constraint {
        min: rc.min,
        max: rc.max,
        min_length: rc.min_length,
        max_length: rc.max_length,
        ..Constraint::default()
    };
    if let (Some(a), Some(b)) = (rc.min, rc.max)
        && a > b
    {
        c.err(q, format!("constraint min {a} is greater than max {b}"));
    }
    if let (Some(a), Some(b)) = (rc.min_length, rc.max_length)
        && a > b
    {
        c.err(q, format!("constraint min_length {a} is greater than max_length {b}"));
    }
    if let Some(m) = rc.max_length
        && m > super::engine::HARD_MAX_TEXT
    {
        c.err(q, format!("max_length {m} is above the hard cap of {}", super::engine::HARD_MAX_TEXT));
    }
    if (rc.min.is_some() || rc.max.is_some()) && !matches!(kind, QuestionKind::Integer | QuestionKind::Decimal) {
        c.err(q, "constraint min/max are for integer and decimal questions");
    }
    if (rc.min_length.is_some() || rc.max_length.is_some() || rc.pattern.is_some())
        && !matches!(kind, QuestionKind::Text)
    {
        c.err(q, "constraint min_length/max_length/pattern are for text questions");
    }
    if let Some(p) = &rc.pattern {
        match regex_lite::Regex::new(&format!("^(?:{p})$")) {
            Ok(regex) => constraint.pattern = Some(Pattern { source: p.clone(), regex }),
            Err(e) => c.err(q, format!("pattern \"{p}\" is not a valid regular expression: {e}")),
        }
    }
    if let Some(src) = &rc.expr {
        constraint.expr = c.expression(qid, "constraint", src);
    }
    constraint.min_date = date_bound(c, qid, &rc.min_date);
    constraint.max_date = date_bound(c, qid, &rc.max_date);
    if (rc.min_date.is_some() || rc.max_date.is_some()) && !matches!(kind, QuestionKind::Date { .. }) {
        c.err(q, "constraint min_date/max_date are for date questions");
    }

    // scoring
    let mut bands = Vec::new();
    for b in &raw.bands {
        if let Some(band) = band_bound(c, qid, b) {
            bands.push(band);
        }
    }
    if !raw.bands.is_empty() {
        if !matches!(kind, QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Calculate(_)) {
            c.err(q, "bands are for integer, decimal and calculate questions");
        }
        if aspect_kind != Some(AspectKind::Rated) {
            c.err(q, "bands need `aspect` naming a rated aspect");
        }
        check_band_order(c, qid, &bands);
    }
    let yes_group = c.group(q, &raw.yes_group);
    let no_group = c.group(q, &raw.no_group);
    if (raw.yes_group.is_some() || raw.no_group.is_some()) && !matches!(kind, QuestionKind::YesNo) {
        c.err(q, "yes_group/no_group are for yesno questions");
    }
    if (raw.yes_label.is_some() || raw.no_label.is_some()) && !matches!(kind, QuestionKind::YesNo) {
        c.err(q, "yes_label/no_label are for yesno questions");
    }
    for (what, label) in [("yes_label", &raw.yes_label), ("no_label", &raw.no_label)] {
        if let Some(label) = label {
            c.text(q, what, label);
        }
    }
    if raw.reverse && !matches!(kind, QuestionKind::Single(_)) {
        c.err(q, "reverse scoring is for single-choice questions");
    }

    let relevant = match &raw.relevant {
        Some(src) => c.expression(qid, "relevant", src),
        None => None,
    };

    Some(Question {
        id: raw.id.clone(),
        section: raw.section.clone(),
        label: raw.label.clone(),
        hint: raw.hint.clone(),
        kind,
        required: raw.required,
        required_message: raw.required_message.clone(),
        constraint,
        constraint_message: raw.constraint_message.clone(),
        relevant,
        relevant_src: raw.relevant.clone(),
        aspect: raw.aspect.clone(),
        bands,
        reverse: raw.reverse,
        yes_group,
        no_group,
        yes_label: raw.yes_label.clone(),
        no_label: raw.no_label.clone(),
        alternatives,
    })
}

/// The buttons offered beside a typed answer: plain value + label, never scored.
fn alternatives(
    c: &mut Checker<'_>,
    q: Option<&str>,
    raw: &RawQuestion,
    kind: &QuestionKind,
    choice_values: &HashSet<String>,
) -> Vec<Choice> {
    if raw.alternatives.is_empty() {
        return Vec::new();
    }
    if !matches!(kind, QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Text | QuestionKind::Date { .. }) {
        c.err(q, "alternatives are for integer, decimal, text and date questions");
    }
    let mut seen = choice_values.clone();
    let mut out = Vec::new();
    for alt in &raw.alternatives {
        c.id(q, "choice value", &alt.value, MAX_VALUE_BYTES);
        // "today" is what the date question's own button sends.
        if alt.value == "today" || !seen.insert(alt.value.clone()) {
            c.err(q, format!("alternative value \"{}\" is taken", alt.value));
        }
        c.text(q, &format!("alternative \"{}\" label", alt.value), &alt.label);
        if alt.group.is_some() || alt.aspect.is_some() || alt.score.is_some() || alt.flag || alt.exclusive {
            c.err(
                q,
                format!("alternative \"{}\" cannot be scored (no group, aspect, score, flag or exclusive)", alt.value),
            );
        }
        out.push(Choice {
            value: alt.value.clone(),
            label: alt.label.clone(),
            group: None,
            aspect: None,
            score: None,
            flag: false,
            exclusive: false,
        });
    }
    out
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> FormError {
    let location = e.span().map(|span| {
        let upto = text.get(..span.start).unwrap_or(text);
        let line = upto.matches('\n').count() + 1;
        let col = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {col}: ")
    });
    FormError {
        file: file.to_string(),
        question: None,
        message: format!("{}{}", location.unwrap_or_default(), e.message().trim()),
    }
}

/// Parse one form file's text and check it. `file_name` is only used in messages.
pub fn parse_and_validate(file_name: &str, text: &str) -> Result<FormDef, Vec<FormError>> {
    let raw: RawForm = toml::from_str(text).map_err(|e| vec![toml_error(file_name, text, &e)])?;
    let mut c = Checker { file: file_name, errors: Vec::new() };

    c.id(None, "form id", &raw.id, 32);
    if raw.version < 1 || raw.version > i64::from(u32::MAX) {
        c.err(None, "version must be a positive whole number");
    }
    c.text(None, "title", &raw.title);
    if raw.kind.trim().is_empty() {
        c.err(None, "kind is empty");
    }
    let period = match raw.period.as_deref() {
        None => crate::domain::Period::default_for_kind(&raw.kind),
        Some(text) => crate::domain::Period::parse(text).unwrap_or_else(|| {
            c.err(None, format!("period \"{text}\" is not \"term\" or \"year\" (what coverage counts in)"));
            crate::domain::Period::Term
        }),
    };

    let mut sections = HashSet::new();
    let mut section_defs = Vec::new();
    for s in &raw.sections {
        c.id(None, "section id", &s.id, 32);
        if !sections.insert(s.id.clone()) {
            c.err(None, format!("duplicate section id \"{}\"", s.id));
        }
        c.text(None, &format!("section \"{}\" title", s.id), &s.title);
        section_defs.push(Section { id: s.id.clone(), title: s.title.clone() });
    }

    let mut aspects = BTreeMap::new();
    let mut aspect_defs = Vec::new();
    for a in &raw.aspects {
        c.id(None, "aspect id", &a.id, 32);
        let kind = match a.kind.as_str() {
            "rated" => AspectKind::Rated,
            "flag" => AspectKind::Flag,
            other => {
                c.err(None, format!("aspect \"{}\": kind \"{other}\" must be \"rated\" or \"flag\"", a.id));
                AspectKind::Rated
            }
        };
        if aspects.insert(a.id.clone(), kind).is_some() {
            c.err(None, format!("duplicate aspect id \"{}\"", a.id));
        }
        c.text(None, &format!("aspect \"{}\" label", a.id), &a.label);
        aspect_defs.push(Aspect {
            id: a.id.clone(),
            label: a.label.clone(),
            kind,
            criteria: Criteria {
                normal: a.criteria.normal.clone(),
                risk: a.criteria.risk.clone(),
                problem: a.criteria.problem.clone(),
            },
        });
    }

    // questions
    let mut questions = Vec::new();
    for rq in &raw.questions {
        if let Some(q) = convert_question(&mut c, rq, &aspects, &sections, false) {
            questions.push(q);
        }
    }

    // ids: unique across the whole form (top level and inside repeats)
    let mut top: BTreeMap<String, (usize, &'static str)> = BTreeMap::new();
    let mut inner: BTreeMap<String, String> = BTreeMap::new();
    let mut all = HashSet::new();
    for (i, q) in questions.iter().enumerate() {
        if !all.insert(q.id.clone()) {
            c.err(Some(&q.id), "duplicate question id");
        }
        top.entry(q.id.clone()).or_insert((i, q.kind.type_name()));
        if let QuestionKind::Repeat { questions: subs, .. } = &q.kind {
            for s in subs {
                if !all.insert(s.id.clone()) {
                    c.err(Some(&s.id), "duplicate question id");
                }
                inner.entry(s.id.clone()).or_insert(q.id.clone());
            }
        }
    }

    // references
    for (i, q) in questions.iter().enumerate() {
        let scope = Scope { top: &top, inner: &inner, siblings: None };
        check_question_refs(&mut c, &scope, q, i, None);
        if let QuestionKind::Repeat { questions: subs, .. } = &q.kind {
            let sib: BTreeMap<String, usize> = subs.iter().enumerate().map(|(j, s)| (s.id.clone(), j)).collect();
            let scope = Scope { top: &top, inner: &inner, siblings: Some(&sib) };
            for (j, s) in subs.iter().enumerate() {
                check_question_refs(&mut c, &scope, s, i, Some(j));
            }
        }
    }

    // scales
    let mut scale_defs: Vec<Scale> = Vec::new();
    for s in &raw.scales {
        c.id(None, "scale id", &s.id, 32);
        if scale_defs.iter().any(|d| d.id == s.id) {
            c.err(None, format!("duplicate scale id \"{}\"", s.id));
        }
        c.text(None, &format!("scale \"{}\" label", s.id), &s.label);
        let source = match (s.items.is_empty(), s.scales.is_empty()) {
            (false, true) => {
                for item in &s.items {
                    match questions.iter().find(|q| &q.id == item) {
                        None => c.err(None, format!("scale \"{}\" lists unknown question \"{item}\"", s.id)),
                        Some(q) => {
                            if !matches!(q.kind, QuestionKind::Single(_))
                                || q.choices().iter().any(|ch| ch.score.is_none())
                            {
                                c.err(
                                    Some(item),
                                    format!(
                                        "scale \"{}\" item must be a single question whose every choice has a score",
                                        s.id
                                    ),
                                );
                            }
                        }
                    }
                }
                ScaleSource::Items(s.items.clone())
            }
            (true, false) => {
                for sub in &s.scales {
                    if !scale_defs.iter().any(|d| &d.id == sub) {
                        c.err(
                            None,
                            format!("scale \"{}\" sums \"{sub}\", which is not a scale defined above it", s.id),
                        );
                    }
                }
                ScaleSource::Scales(s.scales.clone())
            }
            _ => {
                c.err(None, format!("scale \"{}\" needs either items or scales (not both)", s.id));
                ScaleSource::Items(Vec::new())
            }
        };
        let mut cutoffs = Vec::new();
        for cut in &s.cutoffs {
            if let Some(group) = c.group(None, &Some(cut.group.clone())) {
                cutoffs.push(Cutoff { at_least: cut.at_least, group });
            }
        }
        if cutoffs.windows(2).any(|w| w[0].at_least >= w[1].at_least) {
            c.err(None, format!("scale \"{}\": cutoffs must go up (at_least ascending)", s.id));
        }
        if let Some(a) = &s.aspect {
            match aspects.get(a) {
                None => c.err(None, format!("scale \"{}\" has unknown aspect \"{a}\"", s.id)),
                Some(AspectKind::Flag) => {
                    c.err(None, format!("scale \"{}\": aspect \"{a}\" is a flag, not rated", s.id))
                }
                Some(AspectKind::Rated) => {}
            }
            if cutoffs.is_empty() {
                c.err(None, format!("scale \"{}\" counts towards an aspect but has no cutoffs", s.id));
            }
        }
        scale_defs.push(Scale {
            id: s.id.clone(),
            label: s.label.clone(),
            source,
            cutoffs,
            aspect: s.aspect.clone(),
            min_answered: s.min_answered,
        });
    }

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(FormDef {
        id: raw.id,
        version: u32::try_from(raw.version).unwrap_or(1),
        kind: raw.kind,
        period,
        title: raw.title,
        description: raw.description,
        sections: section_defs,
        aspects: aspect_defs,
        scales: scale_defs,
        questions,
        file: file_name.to_string(),
    })
}

fn check_question_refs(c: &mut Checker, scope: &Scope, q: &Question, top_index: usize, inner_index: Option<usize>) {
    if let Some(e) = &q.relevant {
        check_refs(c, scope, &q.id, "relevant", e, top_index, inner_index);
    }
    if let QuestionKind::Calculate(e) = &q.kind {
        check_refs(c, scope, &q.id, "calculate", e, top_index, inner_index);
        if e.uses_current() {
            c.err(Some(&q.id), "calculate cannot use `.`");
        }
    }
    if let Some(e) = &q.constraint.expr {
        check_refs(c, scope, &q.id, "constraint", e, top_index, inner_index);
    }
    if let Some(e) = &q.relevant
        && e.uses_current()
    {
        c.err(Some(&q.id), "relevant cannot use `.` (it is for constraints)");
    }
}

/// Check every `*.toml` file in `dir` (sorted by name). Form ids must be unique across files.
pub fn check_dir(dir: &Path) -> Result<Vec<FormDef>, Vec<FormError>> {
    let dir_name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![FormError { file: dir_name.clone(), question: None, message: format!("cannot read the folder: {e}") }]
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut forms = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Err(e) => errors.push(FormError { file: name, question: None, message: format!("cannot read: {e}") }),
            Ok(text) => match parse_and_validate(&name, &text) {
                Ok(f) => {
                    if let Some(prev) = forms.iter().find(|p: &&FormDef| p.id == f.id) {
                        errors.push(FormError {
                            file: name,
                            question: None,
                            message: format!("form id \"{}\" is already used by {}", f.id, prev.file),
                        });
                    } else {
                        forms.push(f);
                    }
                }
                Err(mut es) => errors.append(&mut es),
            },
        }
    }
    if errors.is_empty() { Ok(forms) } else { Err(errors) }
}

/// The forms the bot offers, by id.
#[derive(Debug, Clone, Default)]
pub struct FormSet {
    pub forms: BTreeMap<String, FormDef>,
}

impl FormSet {
    pub fn get(&self, id: &str) -> Option<&FormDef> {
        self.forms.get(id)
    }
    pub fn iter(&self) -> impl Iterator<Item = &FormDef> {
        self.forms.values()
    }
    /// Forms of one kind ("screening", "home_visit", …), by id.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a FormDef> + 'a {
        self.forms.values().filter(move |f| f.kind == kind)
    }
}

/// The forms shipped inside the binary.
pub const EMBEDDED: [(&str, &str); 3] = [
    ("forms/screening.toml", include_str!("../../forms/screening.toml")),
    ("forms/home_visit.toml", include_str!("../../forms/home_visit.toml")),
    ("forms/satisfaction.toml", include_str!("../../forms/satisfaction.toml")),
];

/// The shipped forms, with forms from `override_dir` replacing (same id) or adding to them.
pub fn load_forms(override_dir: Option<&Path>) -> Result<FormSet, Vec<FormError>> {
    let mut set = FormSet::default();
    let mut errors = Vec::new();
    for (name, text) in EMBEDDED {
        match parse_and_validate(name, text) {
            Ok(f) => {
                set.forms.insert(f.id.clone(), f);
            }
            Err(mut es) => errors.append(&mut es),
        }
    }
    if let Some(dir) = override_dir {
        match check_dir(dir) {
            Ok(forms) => {
                for f in forms {
                    set.forms.insert(f.id.clone(), f);
                }
            }
            Err(mut es) => errors.append(&mut es),
        }
    }
    if errors.is_empty() { Ok(set) } else { Err(errors) }
}
