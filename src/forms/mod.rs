//! Forms are data: screening, home-visit and survey forms are TOML files (vocabulary after XLSForm),
//! checked at load time, asked by a pure state machine, and scored by rules written in the file.
//!
//! - [`validate`]: reading and checking form files ([`parse_and_validate`], [`check_dir`], [`load_forms`]).
//! - [`expr`]: the small expression language of `relevant`, `calculate` and `constraint.expr`.
//! - [`engine`]: the conversation ([`start`], [`step`], [`current_screen`]). No Telegram, no database:
//!   the transport turns messages into [`Input`]s and renders [`Screen`]s with its own locale files.
//! - [`score`](mod@score): aspect groups (ปกติ / เสี่ยง / มีปัญหา), flags and summed scales.
//!
//! # Form file (compact example)
//!
//! ```toml
//! id = "screening"            # snake_case, ≤ 32 bytes
//! version = 3                 # every submission records it
//! kind = "screening"          # "screening" | "home_visit" | "survey" | …
//! title = { th = "แบบคัดกรองนักเรียน", en = "Student screening" }
//!
//! [[sections]]
//! id = "learning"
//! title = { th = "ด้านการเรียน", en = "Learning" }
//!
//! [[aspects]]
//! id = "learning"
//! kind = "rated"              # "rated" (normal/risk/problem) or "flag" (มี/ไม่มี)
//! label = { th = "ด้านการเรียน", en = "Learning" }
//! criteria = { risk = { th = "เกรดเฉลี่ย 1.00–2.00" }, problem = { th = "ต่ำกว่า 1.00" } }
//!
//! [[questions]]
//! id = "gpa"                  # snake_case, ≤ 24 bytes (it travels in button data)
//! type = "decimal"            # single multi yesno integer decimal text date location photo note calculate repeat
//! section = "learning"
//! label = { th = "เกรดเฉลี่ยภาคเรียนล่าสุด", en = "Latest term GPA" }
//! hint = { th = "เช่น 2.75" }
//! required = true
//! constraint = { min = 0, max = 4 }   # also min_length, max_length, pattern, expr (". <= 4"), min_date, max_date
//! constraint_message = { th = "กรุณาตอบ 0.00 ถึง 4.00 ค่ะ" }
//! aspect = "learning"
//! bands = [{ below = 1.0, group = "problem" }, { at_most = 2.0, group = "risk" }]  # first match wins
//!
//! [[questions]]
//! id = "absent"
//! type = "single"
//! relevant = "${gpa} < 3"
//! aspect = "learning"
//! choices = [
//!   { value = "rarely", label = { th = "แทบไม่ขาด" }, group = "normal" },
//!   { value = "often",  label = { th = "ขาดบ่อย" },   group = "risk" },
//! ]
//!
//! [[questions]]
//! id = "members"
//! type = "repeat"             # asked once per item, then "add another?"
//! max_count = 15
//! label = { th = "สมาชิกในครอบครัว" }
//! [[questions.questions]]
//! id = "member_age"
//! type = "integer"
//! label = { th = "อายุ" }
//! ```
//!
//! Scales (SDQ-shaped): `[[scales]] id, label, items = ["q1", …] | scales = ["sub1", …],
//! cutoffs = [{ at_least = 5, group = "risk" }, …], aspect = "behaviour", min_answered = 3`; item
//! questions are `single` with a `score` on every choice, `reverse = true` for reverse-scored items.

pub mod def;
pub mod engine;
pub mod expr;
pub mod score;
pub mod validate;

pub use def::{
    Aspect, AspectKind, Band, Bound, Choice, Constraint, Criteria, Cutoff, FormDef, Group, LocalText, Question,
    QuestionKind, Scale, ScaleSource, Section,
};
pub use engine::{
    AddAnotherView, Answer, Answers, ChoiceView, FormSession, Input, InputKind, PhotoRef, Position, Problem, Progress,
    QuestionInput, QuestionView, RepeatContext, ReviewItem, ReviewView, Screen, Submission, answer_text,
    current_screen, effective_answers, start, step,
};
pub use score::{AspectScore, FlagScore, ScaleScore, ScoreResult, score};
pub use validate::{FormError, FormSet, check_dir, load_forms, parse_and_validate};
