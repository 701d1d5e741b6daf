//! Scoring a finished form: aspect groups, flags and summed scales.
//!
//! - A chosen choice with `group` counts towards its `aspect` (or the question's `aspect`).
//! - A number answer (integer, decimal, calculate) with `bands` counts towards the question's aspect: the
//!   first band that matches wins, no match is normal.
//! - A yes/no answer counts with `yes_group` / `no_group`.
//! - A rated aspect's group is the most serious of what counted towards it (`None` when nothing was
//!   answered for it). The overall group is the most serious rated aspect.
//! - A flag aspect is "present" when a choice with `flag = true` is chosen, or a yes/no question of that
//!   aspect is answered yes; the chosen labels are kept as details.
//! - Scales sum choice `score`s (reverse items count `max + min − score`); a total sums earlier scales;
//!   `cutoffs` map a sum to a group and, with `aspect`, count towards that aspect.

use serde::{Deserialize, Serialize};

use super::def::*;
use super::engine::{Answer, Answers};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    /// Rated aspects, in form order.
    pub aspects: Vec<AspectScore>,
    /// Flag aspects, in form order.
    pub flags: Vec<FlagScore>,
    pub scales: Vec<ScaleScore>,
    /// The most serious rated aspect (normal when none was rated).
    pub overall: Group,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectScore {
    pub id: String,
    pub label: LocalText,
    /// `None`: nothing answered counts towards this aspect.
    pub group: Option<Group>,
    /// Question (or scale) ids that gave the aspect its group, when it is not normal.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagScore {
    pub id: String,
    pub label: LocalText,
    pub present: bool,
    /// Labels of the chosen choices that set the flag (e.g. which special ability).
    pub details: Vec<LocalText>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleScore {
    pub id: String,
    pub label: LocalText,
    pub sum: i64,
    pub answered: usize,
    pub items: usize,
    /// `None` when too few items were answered for a result.
    pub group: Option<Group>,
}

fn choice_score(q: &Question, value: &str) -> Option<i64> {
    let s = q.choice(value)?.score?;
    if q.reverse {
        let scores = q.choices().iter().filter_map(|c| c.score);
        let (lo, hi) = scores.fold((i64::MAX, i64::MIN), |(lo, hi), s| (lo.min(s), hi.max(s)));
        Some(hi.saturating_add(lo).saturating_sub(s))
    } else {
        Some(s)
    }
}

fn number(a: &Answer) -> Option<f64> {
    match a {
        Answer::Integer(i) => Some(*i as f64),
        Answer::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// Score `answers` (already pruned of irrelevant answers) with `form`'s rules.
pub fn score(form: &FormDef, answers: &Answers) -> ScoreResult {
    // (aspect, group, reason)
    let mut hits: Vec<(String, Group, String)> = Vec::new();
    // (aspect, detail)
    let mut flags: Vec<(String, Option<LocalText>)> = Vec::new();

    for q in &form.questions {
        let Some(a) = answers.get(&q.id) else { continue };
        let mut choice_hit = |ch: &Choice| {
            let Some(aspect) = ch.aspect.as_ref().or(q.aspect.as_ref()) else { return };
            match form.aspect(aspect).map(|a| a.kind) {
                Some(AspectKind::Rated) => {
                    if let Some(g) = ch.group {
                        hits.push((aspect.clone(), g, q.id.clone()));
                    }
                }
                Some(AspectKind::Flag) if ch.flag => flags.push((aspect.clone(), Some(ch.label.clone()))),
                _ => {}
            }
        };
        match (&q.kind, a) {
            (QuestionKind::Single(_), Answer::Choice(v)) => {
                if let Some(ch) = q.choice(v) {
                    choice_hit(ch);
                }
            }
            (QuestionKind::Multi(_), Answer::Choices(vs)) => {
                for v in vs {
                    if let Some(ch) = q.choice(v) {
                        choice_hit(ch);
                    }
                }
            }
            (QuestionKind::YesNo, Answer::Bool(b)) => {
                let Some(aspect) = &q.aspect else { continue };
                match form.aspect(aspect).map(|a| a.kind) {
                    Some(AspectKind::Rated) => {
                        if let Some(g) = if *b { q.yes_group } else { q.no_group } {
                            hits.push((aspect.clone(), g, q.id.clone()));
                        }
                    }
                    Some(AspectKind::Flag) if *b => flags.push((aspect.clone(), None)),
                    _ => {}
                }
            }
            (QuestionKind::Integer | QuestionKind::Decimal | QuestionKind::Calculate(_), a) => {
                let (Some(x), Some(aspect)) = (number(a), &q.aspect) else { continue };
                if q.bands.is_empty() {
                    continue;
                }
                let g = q.bands.iter().find(|b| b.bound.matches(x)).map_or(Group::Normal, |b| b.group);
                hits.push((aspect.clone(), g, q.id.clone()));
            }
            _ => {}
        }
    }

    // scales
    let mut scales: Vec<ScaleScore> = Vec::new();
    for s in &form.scales {
        let (sum, answered, items, complete) = match &s.source {
            ScaleSource::Items(ids) => {
                let mut sum = 0i64;
                let mut answered = 0;
                for id in ids {
                    let (Some(q), Some(Answer::Choice(v))) = (form.question(id), answers.get(id)) else { continue };
                    if let Some(x) = choice_score(q, v) {
                        sum = sum.saturating_add(x);
                        answered += 1;
                    }
                }
                let need = s.min_answered.unwrap_or(ids.len()).min(ids.len());
                (sum, answered, ids.len(), answered >= need)
            }
            ScaleSource::Scales(ids) => {
                let mut sum = 0i64;
                let mut answered = 0;
                let mut items = 0;
                let mut complete = true;
                for id in ids {
                    match scales.iter().find(|x| &x.id == id) {
                        Some(sub) => {
                            sum = sum.saturating_add(sub.sum);
                            answered += sub.answered;
                            items += sub.items;
                            complete &= sub.group.is_some();
                        }
                        None => complete = false,
                    }
                }
                (sum, answered, items, complete)
            }
        };
        let group = complete.then(|| {
            s.cutoffs.iter().filter(|c| sum >= c.at_least).map(|c| c.group).next_back().unwrap_or(Group::Normal)
        });
        if let (Some(aspect), Some(g)) = (&s.aspect, group) {
            hits.push((aspect.clone(), g, s.id.clone()));
        }
        scales.push(ScaleScore { id: s.id.clone(), label: s.label.clone(), sum, answered, items, group });
    }

    let mut aspect_scores = Vec::new();
    let mut flag_scores = Vec::new();
    for a in &form.aspects {
        match a.kind {
            AspectKind::Rated => {
                let mine: Vec<&(String, Group, String)> = hits.iter().filter(|h| h.0 == a.id).collect();
                let group = mine.iter().map(|h| h.1).max();
                let reasons = match group {
                    Some(g) if g > Group::Normal => {
                        let mut r: Vec<String> = mine.iter().filter(|h| h.1 == g).map(|h| h.2.clone()).collect();
                        r.dedup();
                        r
                    }
                    _ => Vec::new(),
                };
                aspect_scores.push(AspectScore { id: a.id.clone(), label: a.label.clone(), group, reasons });
            }
            AspectKind::Flag => {
                let mine: Vec<&(String, Option<LocalText>)> = flags.iter().filter(|f| f.0 == a.id).collect();
                flag_scores.push(FlagScore {
                    id: a.id.clone(),
                    label: a.label.clone(),
                    present: !mine.is_empty(),
                    details: mine.iter().filter_map(|f| f.1.clone()).collect(),
                });
            }
        }
    }
    let overall = aspect_scores.iter().filter_map(|a| a.group).max().unwrap_or(Group::Normal);
    ScoreResult { aspects: aspect_scores, flags: flag_scores, scales, overall }
}

impl ScoreResult {
    pub fn aspect(&self, id: &str) -> Option<&AspectScore> {
        self.aspects.iter().find(|a| a.id == id)
    }
    pub fn flag(&self, id: &str) -> Option<&FlagScore> {
        self.flags.iter().find(|a| a.id == id)
    }
    pub fn scale(&self, id: &str) -> Option<&ScaleScore> {
        self.scales.iter().find(|a| a.id == id)
    }
}
