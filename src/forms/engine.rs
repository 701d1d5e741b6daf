//! The conversation state machine: (form, session, one input) → (session, screen). Pure and total.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::def::*;
use super::expr::{Context, Value};
use super::score::{ScoreResult, score};
use crate::l10n::thai_date;

/// Text answers are never longer than this, whatever the form says.
pub const HARD_MAX_TEXT: usize = 2000;
/// Text answers default to at most this many characters.
pub const DEFAULT_MAX_TEXT: usize = 1000;
/// Navigation history kept for "back".
const MAX_HISTORY: usize = 300;
/// Decimal answers are kept within ±this (so they survive JSON exactly).
const MAX_DECIMAL: f64 = 1e9;

/// Answers by question id.
pub type Answers = BTreeMap<String, Answer>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Choice(String),
    Choices(Vec<String>),
    Bool(bool),
    Integer(i64),
    Decimal(f64),
    Text(String),
    Date(NaiveDate),
    Location { lat: f64, lon: f64 },
    Photos(Vec<PhotoRef>),
    Repeat(Vec<Answers>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub file_id: String,
}

/// A kind of message the form cannot use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    Sticker,
    Voice,
    Audio,
    Video,
    VideoNote,
    Document,
    Animation,
    Contact,
    Poll,
    Dice,
    Forwarded,
    Other,
}

/// One thing the user did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Input {
    Text(String),
    /// A choice button (its value). On a date question, `"today"` or an ISO date.
    Choose(String),
    /// A toggle button of a multi question.
    Toggle(String),
    /// Tick (`true`) or untick a box of a multi question; nothing changes when it already is so (a double tap).
    Tick(String, bool),
    /// Finish a multi or photo question; elsewhere "keep the current answer and go on".
    Done,
    Yes,
    No,
    Back,
    Skip,
    SaveForLater,
    Cancel,
    ConfirmCancel,
    KeepGoing,
    Location {
        lat: f64,
        lon: f64,
    },
    Photo {
        file_id: String,
    },
    AddAnother,
    NoMore,
    /// A review item number (1-based).
    EditItem(usize),
    Submit,
    Unsupported(InputKind),
}

/// Where the conversation is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum Position {
    Question {
        id: String,
    },
    InRepeat {
        repeat: String,
        item: usize,
        id: String,
    },
    /// Items `0..count` are done; ask whether to add another.
    AddAnother {
        repeat: String,
        count: usize,
    },
    Review,
    ConfirmCancel {
        back_to: Box<Position>,
    },
    Submitted,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormSession {
    pub form_id: String,
    pub form_version: u32,
    pub answers: Answers,
    pub position: Position,
    pub history: Vec<Position>,
    /// Came from the review: go back to it once the edited answer is given.
    pub editing: bool,
    /// Optional questions the user skipped (so an edit does not ask them again).
    pub skipped: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Required(LocalText),
    Constraint(LocalText),
    NotANumber,
    NotADate,
    TooLong {
        max: usize,
    },
    ExpectedButton,
    ExpectedText,
    ExpectedLocation,
    ExpectedPhoto,
    UnknownChoice,
    UnsupportedInput(InputKind),
    TooManyPhotos {
        max: usize,
    },
    /// Submit pressed while required answers are missing.
    MissingRequired {
        count: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub index: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    pub value: String,
    pub label: LocalText,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionInput {
    Single {
        choices: Vec<ChoiceView>,
    },
    Multi {
        choices: Vec<ChoiceView>,
    },
    YesNo {
        current: Option<bool>,
        /// The button words (มี / ไม่มี, ใช่ / ไม่ใช่ …).
        yes: LocalText,
        no: LocalText,
    },
    Integer {
        min: Option<f64>,
        max: Option<f64>,
    },
    Decimal {
        min: Option<f64>,
        max: Option<f64>,
    },
    Text {
        max_length: usize,
    },
    /// Offer a "today" button that sends `Input::Choose("today")`.
    Date {
        default_today: bool,
    },
    Location,
    Photo {
        count: usize,
        min: usize,
        max: usize,
    },
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RepeatContext {
    pub repeat_id: String,
    pub repeat_label: LocalText,
    /// 1-based item number.
    pub item_number: usize,
    pub item_label: Option<LocalText>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionView {
    pub question_id: String,
    pub label: LocalText,
    pub hint: Option<LocalText>,
    pub section_title: Option<LocalText>,
    pub progress: Progress,
    pub repeat: Option<RepeatContext>,
    pub input: QuestionInput,
    /// Buttons beside a typed answer (`Input::Choose(value)`), e.g. "ยังไม่มีผลการเรียน".
    pub alternatives: Vec<ChoiceView>,
    /// The answer already given (after "back" or "edit"), as text.
    pub current: Option<LocalText>,
    pub back_allowed: bool,
    /// Not required: a "skip" button.
    pub skip_allowed: bool,
    /// A "next/keep" button (`Input::Done`): multi, photo, notes, or an answer already given.
    pub done_allowed: bool,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddAnotherView {
    pub repeat_id: String,
    pub label: LocalText,
    pub item_label: Option<LocalText>,
    pub count: usize,
    pub max: Option<usize>,
    /// One line per item entered so far.
    pub items: Vec<LocalText>,
    pub progress: Progress,
    pub back_allowed: bool,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub number: usize,
    pub question_id: String,
    pub label: LocalText,
    pub answer_text_th: String,
    pub answer_text_en: String,
    pub answered: bool,
    /// Left out on purpose with "skip" (shown as "(ข้าม)", not as not yet answered).
    pub skipped: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewView {
    pub title: LocalText,
    pub items: Vec<ReviewItem>,
    pub missing_required: Vec<LocalText>,
    pub back_allowed: bool,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub form_id: String,
    pub form_version: u32,
    /// Relevant answers only, calculated values included, empty repeat items dropped.
    pub answers: Answers,
    pub score: ScoreResult,
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one short-lived screen per step; boxing would only add noise for callers
pub enum Screen {
    Question(QuestionView),
    AskAddAnother(AddAnotherView),
    Review(ReviewView),
    ConfirmCancel,
    Saved,
    Cancelled,
    Submitted(Submission),
    /// The session is already submitted or cancelled.
    Closed,
}

// ---------------------------------------------------------------------------------------------
// Expression context

struct Ctx<'a> {
    top: &'a Answers,
    item: Option<&'a Answers>,
    current: Value,
}

fn answer_value(a: &Answer) -> Value {
    match a {
        Answer::Choice(s) | Answer::Text(s) => Value::Str(s.clone()),
        Answer::Choices(v) => Value::List(v.clone()),
        Answer::Bool(b) => Value::Bool(*b),
        Answer::Integer(i) => Value::Num(*i as f64),
        Answer::Decimal(d) => Value::Num(*d),
        Answer::Date(d) => Value::Str(d.format("%Y-%m-%d").to_string()),
        Answer::Location { lat, lon } => Value::Str(format!("{lat} {lon}")),
        Answer::Photos(p) => Value::List(p.iter().map(|p| p.file_id.clone()).collect()),
        Answer::Repeat(items) => Value::Num(items.len() as f64),
    }
}

fn answer_count(a: &Answer) -> usize {
    match a {
        Answer::Choices(v) => v.len(),
        Answer::Photos(p) => p.len(),
        Answer::Repeat(items) => items.len(),
        _ => 1,
    }
}

impl Ctx<'_> {
    fn get(&self, id: &str) -> Option<&Answer> {
        self.item.and_then(|i| i.get(id)).or_else(|| self.top.get(id))
    }
}

impl Context for Ctx<'_> {
    fn value(&self, id: &str) -> Value {
        self.get(id).map_or(Value::Null, answer_value)
    }
    fn count(&self, id: &str) -> usize {
        self.get(id).map_or(0, answer_count)
    }
    fn current(&self) -> Value {
        self.current.clone()
    }
}

fn relevant(q: &Question, top: &Answers, item: Option<&Answers>) -> bool {
    match &q.relevant {
        None => true,
        Some(e) => e.eval(&Ctx { top, item, current: Value::Null }).truthy(),
    }
}

fn value_to_answer(v: Value) -> Option<Answer> {
    match v {
        Value::Null => None,
        Value::Num(n) if n.is_finite() => Some(Answer::Decimal(round_to(n, 1e6))),
        Value::Num(_) => None,
        Value::Str(s) => Some(Answer::Text(s.chars().take(HARD_MAX_TEXT).collect())),
        Value::Bool(b) => Some(Answer::Bool(b)),
        Value::List(l) => Some(Answer::Text(l.join(" "))),
    }
}

fn round_to(x: f64, scale: f64) -> f64 {
    let r = (x * scale).round() / scale;
    if r.is_finite() { r } else { x }
}

/// Does a stored answer still fit the question (form files change between versions)?
fn fits(q: &Question, a: &Answer) -> bool {
    match (&q.kind, a) {
        (QuestionKind::Single(_), Answer::Choice(v)) => q.choice(v).is_some(),
        (QuestionKind::Multi(_), Answer::Choices(vs)) => !vs.is_empty() && vs.iter().all(|v| q.choice(v).is_some()),
        (QuestionKind::YesNo, Answer::Bool(_))
        | (QuestionKind::Integer, Answer::Integer(_))
        | (QuestionKind::Text, Answer::Text(_))
        | (QuestionKind::Date { .. }, Answer::Date(_))
        | (QuestionKind::Location, Answer::Location { .. }) => true,
        (QuestionKind::Decimal, Answer::Decimal(d)) => d.is_finite(),
        (
            QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Text | QuestionKind::Date { .. },
            Answer::Choice(v),
        ) => q.alternatives.iter().any(|a| &a.value == v),
        (QuestionKind::Photo { max, .. }, Answer::Photos(p)) => !p.is_empty() && p.len() <= *max,
        _ => false,
    }
}

fn normalize_list(questions: &[Question], top: &Answers, item: Option<&Answers>, given: &Answers, out: &mut Answers) {
    for q in questions {
        let ok = match item {
            None => relevant(q, out, None),
            Some(_) => relevant(q, top, Some(out)),
        };
        if !ok {
            continue;
        }
        match &q.kind {
            QuestionKind::Note => {}
            QuestionKind::Calculate(e) => {
                let v = match item {
                    None => e.eval(&Ctx { top: out, item: None, current: Value::Null }),
                    Some(_) => e.eval(&Ctx { top, item: Some(out), current: Value::Null }),
                };
                if let Some(a) = value_to_answer(v) {
                    out.insert(q.id.clone(), a);
                }
            }
            QuestionKind::Repeat { questions: subs, max, .. } => {
                if item.is_some() {
                    continue;
                }
                if let Some(Answer::Repeat(items)) = given.get(&q.id) {
                    let limit = max.unwrap_or(usize::MAX);
                    let mut new_items = Vec::new();
                    for it in items.iter().take(limit) {
                        let mut o = Answers::new();
                        normalize_list(subs, out, Some(it), it, &mut o);
                        new_items.push(o);
                    }
                    out.insert(q.id.clone(), Answer::Repeat(new_items));
                }
            }
            _ => {
                if let Some(a) = given.get(&q.id)
                    && fits(q, a)
                {
                    out.insert(q.id.clone(), a.clone());
                }
            }
        }
    }
}

/// The answers that count: irrelevant answers dropped, calculated values filled in.
pub fn effective_answers(form: &FormDef, answers: &Answers) -> Answers {
    let mut out = Answers::new();
    normalize_list(&form.questions, &Answers::new(), None, answers, &mut out);
    out
}

/// What is kept in a session: the effective answers without calculated values.
fn stored(form: &FormDef, effective: &Answers) -> Answers {
    let mut out = effective.clone();
    for q in &form.questions {
        match &q.kind {
            QuestionKind::Calculate(_) => {
                out.remove(&q.id);
            }
            QuestionKind::Repeat { questions: subs, .. } => {
                if let Some(Answer::Repeat(items)) = out.get_mut(&q.id) {
                    for it in items.iter_mut() {
                        for s in subs {
                            if matches!(s.kind, QuestionKind::Calculate(_)) {
                                it.remove(&s.id);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Positions

fn top_index(form: &FormDef, id: &str) -> Option<usize> {
    form.questions.iter().position(|q| q.id == id)
}

fn repeat_parts<'a>(form: &'a FormDef, repeat: &str) -> Option<(usize, &'a Question, &'a [Question], Option<usize>)> {
    let i = top_index(form, repeat)?;
    let q = &form.questions[i];
    match &q.kind {
        QuestionKind::Repeat { questions, max, .. } => Some((i, q, questions, *max)),
        _ => None,
    }
}

fn items_of<'a>(answers: &'a Answers, repeat: &str) -> &'a [Answers] {
    match answers.get(repeat) {
        Some(Answer::Repeat(items)) => items,
        _ => &[],
    }
}

fn next_top(form: &FormDef, eff: &Answers, from: usize) -> Position {
    for (j, q) in form.questions.iter().enumerate().skip(from) {
        if matches!(q.kind, QuestionKind::Calculate(_)) || !relevant(q, eff, None) {
            continue;
        }
        if let QuestionKind::Repeat { .. } = q.kind {
            return enter_repeat(form, eff, j);
        }
        return Position::Question { id: q.id.clone() };
    }
    Position::Review
}

/// Entering a repeat group always starts the same way (so "back" then forward retraces the path): a
/// required group goes to the first question of item 1, an optional one asks "add one?" first. Items
/// already entered are walked again, with their answers kept.
fn enter_repeat(form: &FormDef, eff: &Answers, j: usize) -> Position {
    let q = &form.questions[j];
    if q.required { first_sub(form, eff, j, 0) } else { Position::AddAnother { repeat: q.id.clone(), count: 0 } }
}

fn sub_questions(q: &Question) -> &[Question] {
    match &q.kind {
        QuestionKind::Repeat { questions, .. } => questions,
        _ => &[],
    }
}

fn next_sub(form: &FormDef, eff: &Answers, j: usize, item: usize, from: usize) -> Position {
    let q = &form.questions[j];
    let empty = Answers::new();
    let it = items_of(eff, &q.id).get(item).unwrap_or(&empty);
    for s in sub_questions(q).iter().skip(from) {
        if matches!(s.kind, QuestionKind::Calculate(_)) || !relevant(s, eff, Some(it)) {
            continue;
        }
        return Position::InRepeat { repeat: q.id.clone(), item, id: s.id.clone() };
    }
    after_item(form, eff, j, item)
}

fn first_sub(form: &FormDef, eff: &Answers, j: usize, item: usize) -> Position {
    next_sub(form, eff, j, item, 0)
}

fn after_item(form: &FormDef, eff: &Answers, j: usize, item: usize) -> Position {
    let q = &form.questions[j];
    let max = match &q.kind {
        QuestionKind::Repeat { max, .. } => *max,
        _ => None,
    };
    if max.is_some_and(|m| item + 1 >= m) {
        next_top(form, eff, j + 1)
    } else {
        Position::AddAnother { repeat: q.id.clone(), count: item + 1 }
    }
}

/// The next position after `from`, ignoring edit mode.
fn raw_next(form: &FormDef, eff: &Answers, from: &Position) -> Position {
    match from {
        Position::Question { id } => match top_index(form, id) {
            Some(i) => next_top(form, eff, i + 1),
            None => next_top(form, eff, 0),
        },
        Position::InRepeat { repeat, item, id } => match repeat_parts(form, repeat) {
            Some((j, _, subs, _)) => match subs.iter().position(|s| &s.id == id) {
                Some(k) => next_sub(form, eff, j, *item, k + 1),
                None => after_item(form, eff, j, *item),
            },
            None => next_top(form, eff, 0),
        },
        Position::AddAnother { repeat, .. } => match top_index(form, repeat) {
            Some(j) => next_top(form, eff, j + 1),
            None => next_top(form, eff, 0),
        },
        _ => Position::Review,
    }
}

fn is_answered(q: &Question, a: Option<&Answer>) -> bool {
    match (a, &q.kind) {
        (None, _) => false,
        (Some(Answer::Choices(v)), _) => !v.is_empty(),
        (Some(Answer::Photos(p)), QuestionKind::Photo { min, .. }) => p.len() >= (*min).max(1),
        (Some(Answer::Repeat(items)), _) => !items.is_empty(),
        (Some(Answer::Text(t)), _) => !t.is_empty(),
        _ => true,
    }
}

/// Forward from `from`; in edit mode, pass over questions already answered or skipped.
fn forward(form: &FormDef, eff: &Answers, from: &Position, s: &FormSession) -> Position {
    let mut pos = raw_next(form, eff, from);
    if !s.editing {
        return pos;
    }
    let mut prev_repeat: Option<String> = match from {
        Position::InRepeat { repeat, .. } | Position::AddAnother { repeat, .. } => Some(repeat.clone()),
        _ => None,
    };
    for _ in 0..=form.questions.len() + 2 {
        let skip = match &pos {
            Position::Question { id } => match form.question(id) {
                Some(q) => !q.is_answerable() || is_answered(q, eff.get(id)) || s.skipped.contains(id),
                None => false,
            },
            Position::InRepeat { repeat, .. } | Position::AddAnother { repeat, .. } => {
                prev_repeat.as_deref() != Some(repeat.as_str()) && items_of(eff, repeat).iter().any(|it| !it.is_empty())
            }
            _ => false,
        };
        if !skip {
            break;
        }
        prev_repeat = None;
        pos = match &pos {
            Position::InRepeat { repeat, .. } => match top_index(form, repeat) {
                Some(j) => next_top(form, eff, j + 1),
                None => Position::Review,
            },
            other => raw_next(form, eff, other),
        };
    }
    pos
}

fn valid(form: &FormDef, eff: &Answers, pos: &Position) -> bool {
    match pos {
        Position::Question { id } => form.question(id).is_some_and(|q| {
            !matches!(q.kind, QuestionKind::Calculate(_) | QuestionKind::Repeat { .. }) && relevant(q, eff, None)
        }),
        Position::InRepeat { repeat, item, id } => {
            let Some((_, rq, subs, max)) = repeat_parts(form, repeat) else { return false };
            let items = items_of(eff, repeat);
            if !relevant(rq, eff, None) || *item > items.len() || max.is_some_and(|m| *item >= m) {
                return false;
            }
            let empty = Answers::new();
            let it = items.get(*item).unwrap_or(&empty);
            subs.iter()
                .find(|s| &s.id == id)
                .is_some_and(|s| !matches!(s.kind, QuestionKind::Calculate(_)) && relevant(s, eff, Some(it)))
        }
        Position::AddAnother { repeat, count } => repeat_parts(form, repeat)
            .is_some_and(|(_, rq, _, _)| relevant(rq, eff, None) && *count <= items_of(eff, repeat).len()),
        Position::ConfirmCancel { back_to } => {
            !matches!(**back_to, Position::ConfirmCancel { .. }) && valid(form, eff, back_to)
        }
        Position::Review | Position::Submitted | Position::Cancelled => true,
    }
}

/// Make sure the item a position points into exists.
fn materialize(answers: &mut Answers, pos: &Position) {
    let (repeat, need) = match pos {
        Position::InRepeat { repeat, item, .. } => (repeat, item + 1),
        Position::AddAnother { repeat, count } => (repeat, *count),
        _ => return,
    };
    let entry = answers.entry(repeat.clone()).or_insert_with(|| Answer::Repeat(Vec::new()));
    if !matches!(entry, Answer::Repeat(_)) {
        *entry = Answer::Repeat(Vec::new());
    }
    if let Answer::Repeat(items) = entry {
        while items.len() < need {
            items.push(Answers::new());
        }
    }
}

fn set_answer(answers: &mut Answers, pos: &Position, a: Option<Answer>) {
    match pos {
        Position::Question { id } => match a {
            Some(a) => {
                answers.insert(id.clone(), a);
            }
            None => {
                answers.remove(id);
            }
        },
        Position::InRepeat { repeat, item, id } => {
            materialize(answers, pos);
            if let Some(Answer::Repeat(items)) = answers.get_mut(repeat)
                && let Some(it) = items.get_mut(*item)
            {
                match a {
                    Some(a) => {
                        it.insert(id.clone(), a);
                    }
                    None => {
                        it.remove(id);
                    }
                }
            }
        }
        _ => {}
    }
}

fn get_answer<'a>(answers: &'a Answers, pos: &Position) -> Option<&'a Answer> {
    match pos {
        Position::Question { id } => answers.get(id),
        Position::InRepeat { repeat, item, id } => items_of(answers, repeat).get(*item).and_then(|it| it.get(id)),
        _ => None,
    }
}

fn question_at<'a>(form: &'a FormDef, pos: &Position) -> Option<&'a Question> {
    match pos {
        Position::Question { id } => form.question(id),
        Position::InRepeat { repeat, id, .. } => {
            repeat_parts(form, repeat).and_then(|(_, _, subs, _)| subs.iter().find(|s| &s.id == id))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The public API

/// A new session at the first question.
pub fn start(form: &FormDef) -> (FormSession, Screen) {
    let mut s = FormSession {
        form_id: form.id.clone(),
        form_version: form.version,
        answers: Answers::new(),
        position: Position::Review,
        history: Vec::new(),
        editing: false,
        skipped: BTreeSet::new(),
    };
    let eff = Answers::new();
    s.position = next_top(form, &eff, 0);
    materialize(&mut s.answers, &s.position);
    let screen = render(form, &s, None);
    (s, screen)
}

/// The screen for where the session is (after a restart, or to show the question again).
pub fn current_screen(form: &FormDef, session: &FormSession) -> Screen {
    let mut s = session.clone();
    repair(form, &mut s);
    render(form, &s, None)
}

fn repair(form: &FormDef, s: &mut FormSession) {
    let eff = effective_answers(form, &s.answers);
    s.answers = stored(form, &eff);
    if s.history.len() > MAX_HISTORY {
        let extra = s.history.len() - MAX_HISTORY;
        s.history.drain(..extra);
    }
    if !valid(form, &eff, &s.position) {
        // The form changed, or an answer made this question irrelevant: resume at the first unanswered one.
        let was_editing = s.editing;
        s.editing = true;
        let mut pos = next_top(form, &eff, 0);
        if let Position::Question { id } = &pos
            && let Some(q) = form.question(id)
            && (is_answered(q, eff.get(id)) || s.skipped.contains(id) || !q.is_answerable())
        {
            pos = forward(form, &eff, &pos, s);
        }
        s.editing = was_editing && pos != Position::Review;
        s.position = pos;
    }
    let pos = s.position.clone();
    materialize(&mut s.answers, &pos);
}

fn push_history(s: &mut FormSession, pos: Position) {
    if matches!(pos, Position::ConfirmCancel { .. } | Position::Submitted | Position::Cancelled) {
        return;
    }
    if s.history.last() != Some(&pos) {
        s.history.push(pos);
    }
    if s.history.len() > MAX_HISTORY {
        s.history.remove(0);
    }
}

/// Move to `to`, remembering where we were.
fn go(form: &FormDef, s: &mut FormSession, to: Position) -> Screen {
    let from = s.position.clone();
    push_history(s, from);
    if to == Position::Review {
        s.editing = false;
    }
    materialize(&mut s.answers, &to);
    s.position = to;
    render(form, s, None)
}

fn advance(form: &FormDef, s: &mut FormSession) -> Screen {
    let eff = effective_answers(form, &s.answers);
    s.answers = stored(form, &eff);
    let to = forward(form, &eff, &s.position, s);
    go(form, s, to)
}

/// Apply one input. Pure: the same (form, session, input, today) always gives the same result.
pub fn step(form: &FormDef, session: FormSession, input: Input, today: NaiveDate) -> (FormSession, Screen) {
    let mut s = session;
    if matches!(s.position, Position::Submitted | Position::Cancelled) {
        return (s, Screen::Closed);
    }
    repair(form, &mut s);
    let screen = step_inner(form, &mut s, input, today);
    (s, screen)
}

fn step_inner(form: &FormDef, s: &mut FormSession, input: Input, today: NaiveDate) -> Screen {
    // Global inputs first.
    if let Position::ConfirmCancel { back_to } = &s.position {
        let back_to = (**back_to).clone();
        return match input {
            Input::ConfirmCancel => {
                s.position = Position::Cancelled;
                Screen::Cancelled
            }
            Input::KeepGoing | Input::Back => {
                s.position = back_to;
                render(form, s, None)
            }
            Input::SaveForLater => {
                s.position = back_to;
                Screen::Saved
            }
            _ => Screen::ConfirmCancel,
        };
    }
    match input {
        // Telegram never sends an empty message: treat one as "show the question again".
        Input::Text(t) if t.trim().is_empty() => return render(form, s, None),
        Input::SaveForLater => return Screen::Saved,
        Input::Cancel | Input::ConfirmCancel => {
            let here = s.position.clone();
            s.position = Position::ConfirmCancel { back_to: Box::new(here) };
            return Screen::ConfirmCancel;
        }
        Input::KeepGoing => return render(form, s, None),
        Input::Back => return go_back(form, s),
        _ => {}
    }
    match s.position.clone() {
        Position::Review => review_input(form, s, input),
        Position::AddAnother { repeat, count } => add_another_input(form, s, &repeat, count, input),
        pos @ (Position::Question { .. } | Position::InRepeat { .. }) => question_input(form, s, &pos, input, today),
        _ => Screen::Closed,
    }
}

fn go_back(form: &FormDef, s: &mut FormSession) -> Screen {
    let eff = effective_answers(form, &s.answers);
    while let Some(p) = s.history.pop() {
        if p != s.position && valid(form, &eff, &p) {
            materialize(&mut s.answers, &p);
            s.position = p;
            return render(form, s, None);
        }
    }
    render(form, s, None)
}

fn review_input(form: &FormDef, s: &mut FormSession, input: Input) -> Screen {
    match input {
        Input::Submit => {
            let eff = effective_answers(form, &s.answers);
            let missing = missing_required(form, &eff);
            if !missing.is_empty() {
                return render(form, s, Some(Problem::MissingRequired { count: missing.len() }));
            }
            let mut answers = eff;
            for q in &form.questions {
                if let Some(Answer::Repeat(items)) = answers.get_mut(&q.id) {
                    items.retain(|it| !it.is_empty());
                }
            }
            let score = score(form, &answers);
            s.position = Position::Submitted;
            s.editing = false;
            Screen::Submitted(Submission { form_id: form.id.clone(), form_version: form.version, answers, score })
        }
        Input::EditItem(n) => {
            let eff = effective_answers(form, &s.answers);
            let Some(q) = review_questions(form, &eff).get(n.wrapping_sub(1)).copied() else {
                return render(form, s, Some(Problem::UnknownChoice));
            };
            let to = match top_index(form, &q.id) {
                Some(j) if matches!(q.kind, QuestionKind::Repeat { .. }) => {
                    if items_of(&eff, &q.id).is_empty() {
                        enter_repeat(form, &eff, j)
                    } else {
                        first_sub(form, &eff, j, 0)
                    }
                }
                _ => Position::Question { id: q.id.clone() },
            };
            s.editing = true;
            go(form, s, to)
        }
        Input::Done => render(form, s, None),
        Input::Unsupported(k) => render(form, s, Some(Problem::UnsupportedInput(k))),
        Input::Text(_) | Input::Location { .. } | Input::Photo { .. } => render(form, s, Some(Problem::ExpectedButton)),
        _ => render(form, s, Some(Problem::UnknownChoice)),
    }
}

fn add_another_input(form: &FormDef, s: &mut FormSession, repeat: &str, count: usize, input: Input) -> Screen {
    let Some((j, _, _, max)) = repeat_parts(form, repeat) else { return render(form, s, None) };
    let eff = effective_answers(form, &s.answers);
    let len = items_of(&eff, repeat).len();
    let leave = |form: &FormDef, s: &mut FormSession, eff: &Answers| {
        let to = forward(form, eff, &Position::AddAnother { repeat: repeat.to_string(), count }, s);
        go(form, s, to)
    };
    match input {
        Input::AddAnother | Input::Yes => {
            if max.is_some_and(|m| count >= m) {
                return leave(form, s, &eff);
            }
            let to = first_sub(form, &eff, j, count);
            go(form, s, to)
        }
        Input::NoMore | Input::No => {
            if let Some(Answer::Repeat(items)) = s.answers.get_mut(repeat) {
                items.truncate(count);
            }
            let eff = effective_answers(form, &s.answers);
            leave(form, s, &eff)
        }
        Input::Done | Input::Skip => {
            if len > count {
                let to = first_sub(form, &eff, j, count);
                go(form, s, to)
            } else {
                leave(form, s, &eff)
            }
        }
        Input::Unsupported(k) => render(form, s, Some(Problem::UnsupportedInput(k))),
        Input::Text(_) | Input::Location { .. } | Input::Photo { .. } => render(form, s, Some(Problem::ExpectedButton)),
        _ => render(form, s, Some(Problem::UnknownChoice)),
    }
}

enum Act {
    Problem(Problem),
    /// Store; advance when true.
    Set(Answer, bool),
    /// Remove the answer (skip) and advance.
    Clear,
    /// Keep the answer and advance.
    Next,
    /// Nothing to change (a box ticked twice): show the question as it is.
    Stay,
}

fn question_input(form: &FormDef, s: &mut FormSession, pos: &Position, input: Input, today: NaiveDate) -> Screen {
    let Some(q) = question_at(form, pos) else { return render(form, s, None) };
    let eff = effective_answers(form, &s.answers);
    let item = match pos {
        Position::InRepeat { repeat, item, .. } => items_of(&eff, repeat).get(*item),
        _ => None,
    };
    let current = get_answer(&s.answers, pos).cloned();
    let act = accept(q, input, current.as_ref(), &eff, item, today);
    match act {
        Act::Problem(p) => render(form, s, Some(p)),
        Act::Set(a, go_on) => {
            let a = match a {
                Answer::Choices(v) if v.is_empty() => None,
                Answer::Photos(p) if p.is_empty() => None,
                other => Some(other),
            };
            set_answer(&mut s.answers, pos, a);
            if let Position::Question { id } = pos {
                s.skipped.remove(id);
            }
            if go_on {
                advance(form, s)
            } else {
                let eff = effective_answers(form, &s.answers);
                s.answers = stored(form, &eff);
                render(form, s, None)
            }
        }
        Act::Clear => {
            set_answer(&mut s.answers, pos, None);
            if let Position::Question { id } = pos {
                s.skipped.insert(id.clone());
            }
            advance(form, s)
        }
        Act::Next => advance(form, s),
        Act::Stay => render(form, s, None),
    }
}

fn required_message(q: &Question) -> LocalText {
    q.required_message.clone().unwrap_or_else(|| LocalText::new("ข้อนี้จำเป็นต้องตอบค่ะ", "This question needs an answer."))
}

fn constraint_message(q: &Question, fallback: LocalText) -> Problem {
    Problem::Constraint(q.constraint_message.clone().unwrap_or(fallback))
}

fn fmt_num(x: f64) -> String {
    format!("{x}")
}

fn range_message(min: Option<f64>, max: Option<f64>) -> LocalText {
    match (min, max) {
        (Some(a), Some(b)) => LocalText::new(
            format!("กรุณาตอบตัวเลขตั้งแต่ {} ถึง {} ค่ะ", fmt_num(a), fmt_num(b)),
            format!("Please answer a number from {} to {}.", fmt_num(a), fmt_num(b)),
        ),
        (Some(a), None) => LocalText::new(
            format!("กรุณาตอบตัวเลขไม่น้อยกว่า {} ค่ะ", fmt_num(a)),
            format!("Please answer a number of at least {}.", fmt_num(a)),
        ),
        (None, Some(b)) => LocalText::new(
            format!("กรุณาตอบตัวเลขไม่เกิน {} ค่ะ", fmt_num(b)),
            format!("Please answer a number of at most {}.", fmt_num(b)),
        ),
        (None, None) => LocalText::new("ตัวเลขนี้ใช้ไม่ได้ค่ะ", "This number cannot be used."),
    }
}

fn whole_number_message(min: Option<f64>, max: Option<f64>) -> LocalText {
    match (min, max) {
        (Some(a), Some(b)) => LocalText::new(
            format!("กรุณาตอบเป็นจำนวนเต็มตั้งแต่ {} ถึง {} ค่ะ", fmt_num(a), fmt_num(b)),
            format!("Please answer a whole number from {} to {}.", fmt_num(a), fmt_num(b)),
        ),
        (Some(a), None) => LocalText::new(
            format!("กรุณาตอบเป็นจำนวนเต็มไม่น้อยกว่า {} ค่ะ", fmt_num(a)),
            format!("Please answer a whole number of at least {}.", fmt_num(a)),
        ),
        (None, Some(b)) => LocalText::new(
            format!("กรุณาตอบเป็นจำนวนเต็มไม่เกิน {} ค่ะ", fmt_num(b)),
            format!("Please answer a whole number of at most {}.", fmt_num(b)),
        ),
        (None, None) => {
            LocalText::new("กรุณาตอบเป็นจำนวนเต็ม ไม่มีจุดทศนิยมค่ะ", "Please answer a whole number, without decimals.")
        }
    }
}

fn clean_number(text: &str) -> String {
    thai_date::arabic_digits(text.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect()
}

fn parse_decimal(text: &str) -> Option<f64> {
    let t = clean_number(text);
    if t.is_empty() || t.len() > 40 || !t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn parse_integer(text: &str) -> Option<i64> {
    let t = clean_number(text);
    if let Ok(i) = t.parse::<i64>() {
        return Some(i);
    }
    let x = parse_decimal(text)?;
    if x.fract() == 0.0 && x.abs() < 1e15 { Some(x as i64) } else { None }
}

fn check_expr(q: &Question, a: &Answer, top: &Answers, item: Option<&Answers>) -> Option<Problem> {
    let e = q.constraint.expr.as_ref()?;
    let ok = e.eval(&Ctx { top, item, current: answer_value(a) }).truthy();
    if ok {
        None
    } else {
        Some(constraint_message(q, LocalText::new("คำตอบนี้ใช้กับข้อนี้ไม่ได้ค่ะ", "This answer does not fit this question.")))
    }
}

fn expected(q: &Question) -> Problem {
    match q.kind {
        QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Text | QuestionKind::Date { .. } => {
            Problem::ExpectedText
        }
        QuestionKind::Location => Problem::ExpectedLocation,
        QuestionKind::Photo { .. } => Problem::ExpectedPhoto,
        _ => Problem::ExpectedButton,
    }
}

fn wants_buttons(q: &Question) -> bool {
    matches!(q.kind, QuestionKind::Single(_) | QuestionKind::Multi(_) | QuestionKind::YesNo | QuestionKind::Note)
}

fn match_choice<'a>(q: &'a Question, text: &str) -> Option<&'a Choice> {
    let t = text.trim();
    if t.is_empty() || t.len() > 200 {
        return None;
    }
    let lower = t.to_lowercase();
    q.choices()
        .iter()
        .find(|c| c.value == lower || c.label.th.trim() == t || c.label.en().trim().to_lowercase() == lower)
}

/// The alternative whose label (Thai or English) is exactly what was typed.
fn alternative_named<'q>(q: &'q Question, text: &str) -> Option<&'q Choice> {
    let typed = text.trim().to_lowercase();
    q.alternatives.iter().find(|a| a.label.th().to_lowercase() == typed || a.label.en().to_lowercase() == typed)
}

fn yes_no_word(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "ใช่" | "มี" | "true" => Some(true),
        "no" | "n" | "ไม่ใช่" | "ไม่" | "ไม่มี" | "false" => Some(false),
        _ => None,
    }
}

fn resolve_date(b: DateBound, today: NaiveDate) -> NaiveDate {
    match b {
        DateBound::Fixed(d) => d,
        DateBound::Today(n) => today.checked_add_signed(chrono::Duration::days(n)).unwrap_or(today),
    }
}

fn toggle(q: &Question, current: Option<&Answer>, value: &str) -> Act {
    if q.choice(value).is_none() {
        return Act::Problem(Problem::UnknownChoice);
    }
    let mut selected: Vec<String> = match current {
        Some(Answer::Choices(v)) => v.clone(),
        _ => Vec::new(),
    };
    if let Some(i) = selected.iter().position(|v| v == value) {
        selected.remove(i);
    } else if q.choice(value).is_some_and(|c| c.exclusive) {
        selected = vec![value.to_string()];
    } else {
        // Ticking a real answer un-ticks "none of these".
        selected.retain(|v| !q.choice(v).is_some_and(|c| c.exclusive));
        selected.push(value.to_string());
    }
    // Keep the form's order.
    let ordered: Vec<String> =
        q.choices().iter().filter(|c| selected.contains(&c.value)).map(|c| c.value.clone()).collect();
    Act::Set(Answer::Choices(ordered), false)
}

fn accept(
    q: &Question,
    input: Input,
    current: Option<&Answer>,
    top: &Answers,
    item: Option<&Answers>,
    today: NaiveDate,
) -> Act {
    let checked = |a: Answer| match check_expr(q, &a, top, item) {
        Some(p) => Act::Problem(p),
        None => Act::Set(a, true),
    };
    match (&q.kind, input) {
        (_, Input::Unsupported(k)) => Act::Problem(Problem::UnsupportedInput(k)),
        (QuestionKind::Note, Input::Skip | Input::Done) => Act::Next,
        (_, Input::Skip) => {
            if q.required {
                Act::Problem(Problem::Required(required_message(q)))
            } else {
                Act::Clear
            }
        }
        (QuestionKind::Multi(_), Input::Done) => match current {
            Some(a @ Answer::Choices(v)) if !v.is_empty() => match check_expr(q, a, top, item) {
                Some(p) => Act::Problem(p),
                None => Act::Next,
            },
            _ if q.required => Act::Problem(Problem::Required(required_message(q))),
            _ => Act::Clear,
        },
        (QuestionKind::Photo { min, .. }, Input::Done) => {
            let n = match current {
                Some(Answer::Photos(p)) => p.len(),
                _ => 0,
            };
            if n == 0 && q.required {
                Act::Problem(Problem::Required(required_message(q)))
            } else if n == 0 {
                Act::Clear
            } else if n < *min {
                Act::Problem(constraint_message(
                    q,
                    LocalText::new(
                        format!("กรุณาส่งรูปอย่างน้อย {min} รูปค่ะ"),
                        format!("Please send at least {min} photos."),
                    ),
                ))
            } else {
                Act::Next
            }
        }
        (_, Input::Done) => {
            if current.is_some_and(|a| is_answered(q, Some(a))) {
                Act::Next
            } else if q.required {
                Act::Problem(Problem::Required(required_message(q)))
            } else {
                Act::Clear
            }
        }
        // An alternative button beside a typed answer ("ยังไม่มีผลการเรียน"), or its words typed out.
        (
            QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Text | QuestionKind::Date { .. },
            Input::Choose(v),
        ) if q.alternatives.iter().any(|a| a.value == v) => checked(Answer::Choice(v)),
        (
            QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Text | QuestionKind::Date { .. },
            Input::Text(t),
        ) if alternative_named(q, &t).is_some() => {
            checked(Answer::Choice(alternative_named(q, &t).map(|a| a.value.clone()).unwrap_or_default()))
        }
        (QuestionKind::Single(_), Input::Choose(v)) => match q.choice(&v) {
            Some(_) => checked(Answer::Choice(v)),
            None => Act::Problem(Problem::UnknownChoice),
        },
        (QuestionKind::Single(_), Input::Text(t)) => match match_choice(q, &t) {
            Some(c) => checked(Answer::Choice(c.value.clone())),
            None => Act::Problem(Problem::ExpectedButton),
        },
        (QuestionKind::Multi(_), Input::Toggle(v) | Input::Choose(v)) => toggle(q, current, &v),
        (QuestionKind::Multi(_), Input::Tick(v, on)) => {
            let ticked = matches!(current, Some(Answer::Choices(vs)) if vs.contains(&v));
            if q.choice(&v).is_none() {
                Act::Problem(Problem::UnknownChoice)
            } else if ticked == on {
                Act::Stay
            } else {
                toggle(q, current, &v)
            }
        }
        (QuestionKind::Multi(_), Input::Text(t)) => match match_choice(q, &t) {
            Some(c) => toggle(q, current, &c.value.clone()),
            None => Act::Problem(Problem::ExpectedButton),
        },
        (QuestionKind::YesNo, Input::Yes) => checked(Answer::Bool(true)),
        (QuestionKind::YesNo, Input::No) => checked(Answer::Bool(false)),
        (QuestionKind::YesNo, Input::Choose(v)) => match v.as_str() {
            "yes" => checked(Answer::Bool(true)),
            "no" => checked(Answer::Bool(false)),
            _ => Act::Problem(Problem::UnknownChoice),
        },
        (QuestionKind::YesNo, Input::Text(t)) => match yes_no_word(&t) {
            Some(b) => checked(Answer::Bool(b)),
            None => Act::Problem(Problem::ExpectedButton),
        },
        (QuestionKind::Integer, Input::Text(t)) => {
            let Some(n) = parse_integer(&t) else {
                // "12.5" is a number, just not a whole one: say exactly what is wanted.
                return Act::Problem(match parse_decimal(&t) {
                    Some(_) => Problem::Constraint(whole_number_message(q.constraint.min, q.constraint.max)),
                    None => Problem::NotANumber,
                });
            };
            let x = n as f64;
            let c = &q.constraint;
            if c.min.is_some_and(|m| x < m) || c.max.is_some_and(|m| x > m) {
                return Act::Problem(constraint_message(q, range_message(c.min, c.max)));
            }
            checked(Answer::Integer(n))
        }
        (QuestionKind::Decimal, Input::Text(t)) => {
            let Some(x) = parse_decimal(&t) else { return Act::Problem(Problem::NotANumber) };
            let c = &q.constraint;
            if x.abs() >= MAX_DECIMAL {
                return Act::Problem(Problem::Constraint(range_message(Some(-MAX_DECIMAL), Some(MAX_DECIMAL))));
            }
            let x = round_to(x, 1e6);
            if c.min.is_some_and(|m| x < m) || c.max.is_some_and(|m| x > m) {
                return Act::Problem(constraint_message(q, range_message(c.min, c.max)));
            }
            checked(Answer::Decimal(x))
        }
        (QuestionKind::Text, Input::Text(t)) => {
            let t = t.trim();
            let max = q.constraint.max_length.unwrap_or(DEFAULT_MAX_TEXT).min(HARD_MAX_TEXT);
            let n = t.chars().count();
            if n == 0 {
                return if q.required { Act::Problem(Problem::Required(required_message(q))) } else { Act::Clear };
            }
            if n > max {
                return Act::Problem(Problem::TooLong { max });
            }
            if let Some(min) = q.constraint.min_length
                && n < min
            {
                return Act::Problem(constraint_message(
                    q,
                    LocalText::new(
                        format!("กรุณาพิมพ์อย่างน้อย {min} ตัวอักษรค่ะ"),
                        format!("Please type at least {min} characters."),
                    ),
                ));
            }
            if let Some(p) = &q.constraint.pattern
                && !p.regex.is_match(t)
            {
                return Act::Problem(constraint_message(
                    q,
                    LocalText::new("รูปแบบคำตอบไม่ถูกต้องค่ะ", "The answer is not in the expected format."),
                ));
            }
            checked(Answer::Text(t.to_string()))
        }
        (QuestionKind::Date { .. }, Input::Text(t) | Input::Choose(t)) => {
            let trimmed = t.trim();
            let d = if matches!(trimmed.to_lowercase().as_str(), "today" | "วันนี้") {
                today
            } else {
                match thai_date::parse_date(trimmed) {
                    Ok(d) => d,
                    Err(_) => return Act::Problem(Problem::NotADate),
                }
            };
            if let Some(b) = q.constraint.min_date {
                let m = resolve_date(b, today);
                if d < m {
                    return Act::Problem(constraint_message(
                        q,
                        LocalText::new(
                            format!("วันที่ต้องไม่ก่อน {} ค่ะ", thai_date::format_short_th(m)),
                            format!("The date cannot be before {}.", thai_date::format_short_en(m)),
                        ),
                    ));
                }
            }
            if let Some(b) = q.constraint.max_date {
                let m = resolve_date(b, today);
                if d > m {
                    return Act::Problem(constraint_message(
                        q,
                        LocalText::new(
                            format!("วันที่ต้องไม่หลัง {} ค่ะ", thai_date::format_short_th(m)),
                            format!("The date cannot be after {}.", thai_date::format_short_en(m)),
                        ),
                    ));
                }
            }
            checked(Answer::Date(d))
        }
        (QuestionKind::Location, Input::Location { lat, lon }) => {
            let ok =
                lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            if !ok {
                return Act::Problem(constraint_message(
                    q,
                    LocalText::new("ตำแหน่งนี้ใช้ไม่ได้ค่ะ", "This location cannot be used."),
                ));
            }
            checked(Answer::Location { lat: round_to(lat, 1e7), lon: round_to(lon, 1e7) })
        }
        (QuestionKind::Photo { max, .. }, Input::Photo { file_id }) => {
            let file_id = file_id.trim().to_string();
            if file_id.is_empty() || file_id.len() > 512 {
                return Act::Problem(Problem::ExpectedPhoto);
            }
            let mut photos = match current {
                Some(Answer::Photos(p)) => p.clone(),
                _ => Vec::new(),
            };
            if photos.len() >= *max {
                return Act::Problem(Problem::TooManyPhotos { max: *max });
            }
            photos.push(PhotoRef { file_id });
            let full = photos.len() >= *max;
            Act::Set(Answer::Photos(photos), full)
        }
        (_, Input::Choose(_) | Input::Toggle(_) | Input::Tick(..) | Input::Yes | Input::No) => {
            if wants_buttons(q) {
                Act::Problem(Problem::UnknownChoice)
            } else {
                Act::Problem(expected(q))
            }
        }
        (_, Input::AddAnother | Input::NoMore | Input::EditItem(_) | Input::Submit) => {
            Act::Problem(Problem::UnknownChoice)
        }
        _ => Act::Problem(expected(q)),
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn answerable_top<'a>(form: &'a FormDef, eff: &Answers) -> Vec<&'a Question> {
    form.questions.iter().filter(|q| q.is_answerable() && relevant(q, eff, None)).collect()
}

fn review_questions<'a>(form: &'a FormDef, eff: &Answers) -> Vec<&'a Question> {
    answerable_top(form, eff)
}

fn progress(form: &FormDef, eff: &Answers, top_id: &str) -> Progress {
    let list = answerable_top(form, eff);
    let total = list.len();
    let index = match list.iter().position(|q| q.id == top_id) {
        Some(i) => i + 1,
        None => {
            // a note: count the answerable questions before it
            let at = top_index(form, top_id).unwrap_or(0);
            list.iter().filter(|q| top_index(form, &q.id).is_some_and(|i| i < at)).count().max(1).min(total.max(1))
        }
    };
    Progress { index, total }
}

/// An answer as Thai and English text, for the review and summaries.
pub fn answer_text(q: &Question, a: &Answer) -> (String, String) {
    match a {
        Answer::Choice(v) => match q.choice(v) {
            Some(c) => (c.label.th().to_string(), c.label.en().to_string()),
            None => (v.clone(), v.clone()),
        },
        Answer::Choices(vs) => {
            let labels: Vec<(String, String)> = vs
                .iter()
                .map(|v| match q.choice(v) {
                    Some(c) => (c.label.th().to_string(), c.label.en().to_string()),
                    None => (v.clone(), v.clone()),
                })
                .collect();
            (
                labels.iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join(", "),
                labels.iter().map(|l| l.1.as_str()).collect::<Vec<_>>().join(", "),
            )
        }
        Answer::Bool(b) => {
            let (yes, no) = q.yes_no_labels();
            let label = if *b { yes } else { no };
            (label.th().to_string(), label.en().to_string())
        }
        Answer::Integer(i) => (i.to_string(), i.to_string()),
        Answer::Decimal(d) => (fmt_num(*d), fmt_num(*d)),
        Answer::Text(t) => (t.clone(), t.clone()),
        Answer::Date(d) => (thai_date::format_short_th(*d), thai_date::format_short_en(*d)),
        Answer::Location { lat, lon } => (format!("{lat:.5}, {lon:.5}"), format!("{lat:.5}, {lon:.5}")),
        Answer::Photos(p) => (format!("{} รูป", p.len()), format!("{} photo(s)", p.len())),
        Answer::Repeat(items) => {
            let subs = sub_questions(q);
            let mut th = Vec::new();
            let mut en = Vec::new();
            for (k, it) in items.iter().enumerate() {
                let (t, e) = item_summary(subs, it);
                th.push(format!("{}) {t}", k + 1));
                en.push(format!("{}) {e}", k + 1));
            }
            if items.is_empty() { ("ไม่มี".into(), "none".into()) } else { (th.join("\n"), en.join("\n")) }
        }
    }
}

fn item_summary(subs: &[Question], it: &Answers) -> (String, String) {
    let mut th = Vec::new();
    let mut en = Vec::new();
    for s in subs {
        if let Some(a) = it.get(&s.id) {
            let (t, e) = answer_text(s, a);
            th.push(t);
            en.push(e);
        }
    }
    if th.is_empty() { ("—".into(), "—".into()) } else { (th.join(", "), en.join(", ")) }
}

fn missing_required(form: &FormDef, eff: &Answers) -> Vec<LocalText> {
    let mut out = Vec::new();
    for q in answerable_top(form, eff) {
        if let QuestionKind::Repeat { questions: subs, item_label, .. } = &q.kind {
            let items = items_of(eff, &q.id);
            if q.required && items.iter().all(|it| it.is_empty()) {
                out.push(q.label.clone());
            }
            let name = item_label.as_ref().unwrap_or(&q.label);
            for (k, it) in items.iter().enumerate() {
                if it.is_empty() {
                    continue;
                }
                for s in subs {
                    if s.required && s.is_answerable() && relevant(s, eff, Some(it)) && !is_answered(s, it.get(&s.id)) {
                        out.push(LocalText::new(
                            format!("{} {}: {}", name.th(), k + 1, s.label.th()),
                            format!("{} {}: {}", name.en(), k + 1, s.label.en()),
                        ));
                    }
                }
            }
        } else if q.required && !is_answered(q, eff.get(&q.id)) {
            out.push(q.label.clone());
        }
    }
    out
}

fn render(form: &FormDef, s: &FormSession, problem: Option<Problem>) -> Screen {
    let eff = effective_answers(form, &s.answers);
    let back_allowed = s.history.iter().any(|p| p != &s.position && valid(form, &eff, p));
    match &s.position {
        Position::Question { .. } | Position::InRepeat { .. } => {
            let Some(q) = question_at(form, &s.position) else {
                return Screen::Review(review_view(form, &eff, &s.skipped, back_allowed, problem));
            };
            let (top_id, repeat) = match &s.position {
                Position::InRepeat { repeat, item, .. } => {
                    let rq = form.question(repeat);
                    let ctx = rq.map(|rq| RepeatContext {
                        repeat_id: rq.id.clone(),
                        repeat_label: rq.label.clone(),
                        item_number: item + 1,
                        item_label: match &rq.kind {
                            QuestionKind::Repeat { item_label, .. } => item_label.clone(),
                            _ => None,
                        },
                    });
                    (repeat.clone(), ctx)
                }
                Position::Question { id } => (id.clone(), None),
                _ => (String::new(), None),
            };
            let section_id = form.question(&top_id).and_then(|t| t.section.clone()).or_else(|| q.section.clone());
            let section_title = section_id.and_then(|id| form.section(&id)).map(|sec| sec.title.clone());
            let current = get_answer(&s.answers, &s.position);
            let selected = |v: &str| match current {
                Some(Answer::Choice(c)) => c == v,
                Some(Answer::Choices(cs)) => cs.iter().any(|c| c == v),
                _ => false,
            };
            let views = |choices: &[Choice]| -> Vec<ChoiceView> {
                choices
                    .iter()
                    .map(|c| ChoiceView {
                        value: c.value.clone(),
                        label: c.label.clone(),
                        selected: selected(&c.value),
                    })
                    .collect()
            };
            let input = match &q.kind {
                QuestionKind::Single(c) => QuestionInput::Single { choices: views(c) },
                QuestionKind::Multi(c) => QuestionInput::Multi { choices: views(c) },
                QuestionKind::YesNo => {
                    let (yes, no) = q.yes_no_labels();
                    QuestionInput::YesNo {
                        current: match current {
                            Some(Answer::Bool(b)) => Some(*b),
                            _ => None,
                        },
                        yes,
                        no,
                    }
                }
                QuestionKind::Integer => QuestionInput::Integer { min: q.constraint.min, max: q.constraint.max },
                QuestionKind::Decimal => QuestionInput::Decimal { min: q.constraint.min, max: q.constraint.max },
                QuestionKind::Text => QuestionInput::Text {
                    max_length: q.constraint.max_length.unwrap_or(DEFAULT_MAX_TEXT).min(HARD_MAX_TEXT),
                },
                QuestionKind::Date { default_today } => QuestionInput::Date { default_today: *default_today },
                QuestionKind::Location => QuestionInput::Location,
                QuestionKind::Photo { min, max } => QuestionInput::Photo {
                    count: match current {
                        Some(Answer::Photos(p)) => p.len(),
                        _ => 0,
                    },
                    min: *min,
                    max: *max,
                },
                _ => QuestionInput::Note,
            };
            let answered = current.is_some_and(|a| is_answered(q, Some(a)));
            let done_allowed = match &q.kind {
                QuestionKind::Multi(_) | QuestionKind::Photo { .. } | QuestionKind::Note => true,
                _ => answered,
            };
            Screen::Question(QuestionView {
                question_id: q.id.clone(),
                label: q.label.clone(),
                hint: q.hint.clone(),
                section_title,
                progress: progress(form, &eff, &top_id),
                repeat,
                input,
                alternatives: views(&q.alternatives),
                current: current.map(|a| {
                    let (th, en) = answer_text(q, a);
                    LocalText { th, en: Some(en) }
                }),
                back_allowed,
                skip_allowed: !q.required && q.is_answerable(),
                done_allowed,
                problem,
            })
        }
        Position::AddAnother { repeat, count } => {
            let Some(rq) = form.question(repeat) else {
                return Screen::Review(review_view(form, &eff, &s.skipped, back_allowed, problem));
            };
            let (max, item_label) = match &rq.kind {
                QuestionKind::Repeat { max, item_label, .. } => (*max, item_label.clone()),
                _ => (None, None),
            };
            let items = items_of(&eff, repeat)
                .iter()
                .take(*count)
                .map(|it| {
                    let (th, en) = item_summary(sub_questions(rq), it);
                    LocalText { th, en: Some(en) }
                })
                .collect();
            Screen::AskAddAnother(AddAnotherView {
                repeat_id: repeat.clone(),
                label: rq.label.clone(),
                item_label,
                count: *count,
                max,
                items,
                progress: progress(form, &eff, repeat),
                back_allowed,
                problem,
            })
        }
        Position::Review => Screen::Review(review_view(form, &eff, &s.skipped, back_allowed, problem)),
        Position::ConfirmCancel { .. } => Screen::ConfirmCancel,
        Position::Submitted | Position::Cancelled => Screen::Closed,
    }
}

fn review_view(
    form: &FormDef,
    eff: &Answers,
    skipped: &BTreeSet<String>,
    back_allowed: bool,
    problem: Option<Problem>,
) -> ReviewView {
    let items = review_questions(form, eff)
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let a = eff.get(&q.id);
            let answered = is_answered(q, a);
            let (th, en) = match a {
                Some(a) if answered => answer_text(q, a),
                _ => ("—".to_string(), "—".to_string()),
            };
            ReviewItem {
                number: i + 1,
                question_id: q.id.clone(),
                label: q.label.clone(),
                answer_text_th: th,
                answer_text_en: en,
                answered,
                skipped: !answered && skipped.contains(&q.id),
            }
        })
        .collect();
    ReviewView {
        title: form.title.clone(),
        items,
        missing_required: missing_required(form, eff),
        back_allowed,
        problem,
    }
}
