//! Scoring tables for the shipped screening form and an SDQ-shaped (invented) questionnaire.

use std::path::PathBuf;

use dulae::forms::{Answer, Answers, FormDef, Group, load_forms, parse_and_validate, score};

fn screening() -> FormDef {
    let set = load_forms(None).unwrap_or_else(|es| panic!("{es:?}"));
    set.get("screening").cloned().expect("screening")
}

fn c(v: &str) -> Answer {
    Answer::Choice(v.to_string())
}

/// A student for whom every rated aspect is normal and no flag is set.
fn all_normal() -> Answers {
    let mut a = Answers::new();
    a.insert("gpa".into(), Answer::Decimal(3.2));
    for (q, v) in [
        ("failed_subjects", "none"),
        ("attendance", "regular"),
        ("literacy", "at_level"),
        ("health", "healthy"),
        ("income", "above_10000"),
        ("enough_money", "enough"),
        ("lives_with", "parents"),
        ("mood", "fine"),
        ("friends", "good"),
        ("substance", "none"),
        ("violence", "none"),
        ("sexual", "fine"),
        ("games", "up_to_1h"),
        ("devices", "fine"),
    ] {
        a.insert(q.into(), c(v));
    }
    a.insert("home_safety".into(), Answer::Choices(vec!["none".into()]));
    a.insert("has_ability".into(), Answer::Bool(false));
    a.insert("has_needs".into(), Answer::Bool(false));
    a
}

#[test]
fn all_normal_student() {
    let form = screening();
    let r = score(&form, &all_normal());
    assert_eq!(r.overall, Group::Normal);
    for a in &r.aspects {
        assert_eq!(a.group, Some(Group::Normal), "{}", a.id);
    }
    assert_eq!(r.aspects.len(), 10);
    assert!(r.flags.iter().all(|f| !f.present));
}

#[test]
fn every_rated_aspect_has_normal_risk_and_problem() {
    let form = screening();
    // (aspect, question, risk answer, problem answer)
    let table: Vec<(&str, &str, Answer, Answer)> = vec![
        ("learning", "gpa", Answer::Decimal(1.5), Answer::Decimal(0.8)),
        ("learning", "gpa", Answer::Decimal(2.0), Answer::Decimal(0.0)),
        ("learning", "failed_subjects", c("one_two"), c("three_plus")),
        ("learning", "attendance", c("often_absent"), c("truant")),
        ("learning", "literacy", c("below_level"), c("cannot")),
        ("health", "health", c("concern"), c("serious")),
        ("economy", "income", c("5000_10000"), c("below_5000")),
        ("economy", "enough_money", c("sometimes"), c("not_enough")),
        ("safety", "lives_with", c("relatives"), c("alone")),
        (
            "safety",
            "home_safety",
            Answer::Choices(vec!["risky_area".into()]),
            Answer::Choices(vec!["unsupervised".into(), "abuse".into()]),
        ),
        ("behaviour", "mood", c("worried"), c("self_harm")),
        ("behaviour", "friends", c("few"), c("isolated")),
        ("substance", "substance", c("smokes"), c("uses")),
        ("violence", "violence", c("sometimes"), c("serious")),
        ("sexual", "sexual", c("risky"), c("serious")),
        ("games", "games", c("1_to_2h"), c("over_2h")),
        ("devices", "devices", c("affects"), c("serious")),
    ];
    for (aspect, q, risk, problem) in table {
        for (answer, want) in [(risk, Group::Risk), (problem, Group::Problem)] {
            let mut a = all_normal();
            a.insert(q.into(), answer.clone());
            let r = score(&form, &a);
            let got = r.aspect(aspect).and_then(|x| x.group);
            assert_eq!(got, Some(want), "{aspect}/{q} = {answer:?}");
            assert_eq!(r.overall, want, "overall for {q}");
            assert_eq!(r.aspect(aspect).map(|x| x.reasons.clone()), Some(vec![q.to_string()]));
            for other in r.aspects.iter().filter(|x| x.id != aspect) {
                assert_eq!(other.group, Some(Group::Normal), "{} moved by {q}", other.id);
            }
        }
    }
    // Every rated aspect of the file appears in the table above.
    for a in form.aspects.iter().filter(|a| a.kind == dulae::forms::AspectKind::Rated) {
        assert!(
            [
                "learning",
                "health",
                "economy",
                "safety",
                "behaviour",
                "substance",
                "violence",
                "sexual",
                "games",
                "devices"
            ]
            .contains(&a.id.as_str()),
            "untested aspect {}",
            a.id
        );
    }
}

#[test]
fn gpa_band_edges() {
    let form = screening();
    for (gpa, want) in
        [(4.0, Group::Normal), (2.01, Group::Normal), (2.0, Group::Risk), (1.0, Group::Risk), (0.99, Group::Problem)]
    {
        let mut a = all_normal();
        a.insert("gpa".into(), Answer::Decimal(gpa));
        assert_eq!(score(&form, &a).aspect("learning").and_then(|x| x.group), Some(want), "gpa {gpa}");
    }
}

#[test]
fn overall_is_most_serious_and_flags_are_separate() {
    let form = screening();
    let mut a = all_normal();
    a.insert("games".into(), c("1_to_2h")); // risk
    a.insert("income".into(), c("below_5000")); // problem
    a.insert("has_ability".into(), Answer::Bool(true));
    a.insert("ability_kinds".into(), Answer::Choices(vec!["sport".into(), "music".into()]));
    a.insert("has_needs".into(), Answer::Bool(true));
    a.insert("needs_kinds".into(), Answer::Choices(vec!["adhd".into()]));
    let r = score(&form, &a);
    assert_eq!(r.overall, Group::Problem);
    assert_eq!(r.aspect("games").and_then(|x| x.group), Some(Group::Risk));
    let ability = r.flag("special_ability").expect("flag");
    assert!(ability.present);
    let kinds: Vec<&str> = ability.details.iter().map(|d| d.th.as_str()).collect();
    assert_eq!(kinds, vec!["กีฬา", "ดนตรี/นาฏศิลป์"]);
    assert!(r.flag("special_needs").is_some_and(|f| f.present));

    // Flags never raise the overall group.
    let mut b = all_normal();
    b.insert("has_ability".into(), Answer::Bool(true));
    b.insert("has_needs".into(), Answer::Bool(true));
    let r = score(&form, &b);
    assert_eq!(r.overall, Group::Normal);
    assert!(r.flag("special_ability").is_some_and(|f| f.present));
}

#[test]
fn unanswered_aspect_is_not_rated() {
    let form = screening();
    let mut a = all_normal();
    a.remove("games");
    let r = score(&form, &a);
    assert_eq!(r.aspect("games").and_then(|x| x.group), None);
    assert_eq!(r.overall, Group::Normal);
}

fn demo() -> FormDef {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/forms/sdq_like/wellbeing_demo.toml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    parse_and_validate("wellbeing_demo.toml", &text).unwrap_or_else(|es| panic!("{es:?}"))
}

fn demo_answers(values: &[(&str, &str)]) -> Answers {
    values.iter().map(|(q, v)| (q.to_string(), c(v))).collect()
}

#[test]
fn sdq_shaped_scoring_with_reverse_items_subscales_total_and_cutoffs() {
    let form = demo();
    // w3 and e2 are reverse-scored: "certainly" scores 0, "not_true" scores 2.
    let a = demo_answers(&[
        ("w1", "somewhat"),  // 1
        ("w2", "certainly"), // 2
        ("w3", "not_true"),  // reverse: 2
        ("e1", "not_true"),  // 0
        ("e2", "certainly"), // reverse: 0
        ("e3", "somewhat"),  // 1
        ("k1", "certainly"), // 2
    ]);
    let r = score(&form, &a);
    let worries = r.scale("worries").expect("worries");
    assert_eq!((worries.sum, worries.answered, worries.items), (5, 3, 3));
    assert_eq!(worries.group, Some(Group::Problem));
    let energy = r.scale("energy").expect("energy");
    assert_eq!(energy.sum, 1);
    assert_eq!(energy.group, Some(Group::Normal));
    let kindness = r.scale("kindness").expect("kindness");
    assert_eq!((kindness.sum, kindness.answered), (2, 1));
    assert_eq!(kindness.group, Some(Group::Normal)); // no cut-offs: normal once min_answered is met
    let total = r.scale("total").expect("total");
    assert_eq!(total.sum, 6);
    assert_eq!(total.group, Some(Group::Normal));
    // Only the total counts towards the aspect.
    assert_eq!(r.aspect("wellbeing").and_then(|x| x.group), Some(Group::Normal));
    assert_eq!(r.overall, Group::Normal);

    for (answers, sum, want) in [
        (
            &[
                ("w1", "certainly"),
                ("w2", "certainly"),
                ("w3", "somewhat"),
                ("e1", "somewhat"),
                ("e2", "somewhat"),
                ("e3", "somewhat"),
            ][..],
            8,
            Group::Risk,
        ),
        (
            &[
                ("w1", "certainly"),
                ("w2", "certainly"),
                ("w3", "not_true"),
                ("e1", "certainly"),
                ("e2", "somewhat"),
                ("e3", "not_true"),
            ][..],
            9,
            Group::Problem,
        ),
    ] {
        let r = score(&form, &demo_answers(answers));
        assert_eq!(r.scale("total").map(|t| t.sum), Some(sum));
        assert_eq!(r.scale("total").and_then(|t| t.group), Some(want));
        assert_eq!(r.aspect("wellbeing").and_then(|x| x.group), Some(want));
        assert_eq!(r.overall, want);
        assert_eq!(r.aspect("wellbeing").map(|x| x.reasons.clone()), Some(vec!["total".to_string()]));
    }
}

#[test]
fn incomplete_scale_has_no_group() {
    let form = demo();
    let r = score(&form, &demo_answers(&[("w1", "certainly"), ("w2", "certainly")]));
    let worries = r.scale("worries").expect("worries");
    assert_eq!((worries.sum, worries.answered, worries.group), (4, 2, None));
    assert_eq!(r.scale("total").and_then(|t| t.group), None);
    assert_eq!(r.aspect("wellbeing").and_then(|x| x.group), None);
    assert_eq!(r.scale("kindness").and_then(|t| t.group), None);
}

#[test]
fn no_grades_yet_is_an_answer_that_is_not_scored() {
    let form = screening();
    // ป.1 in term 1: no GPA. The learning aspect is judged by the other learning questions.
    let mut answers = all_normal();
    answers.insert("gpa".into(), c("no_grade"));
    let r = score(&form, &answers);
    let learning = r.aspects.iter().find(|a| a.id == "learning").expect("learning");
    assert_eq!(learning.group, Some(Group::Normal));
    answers.insert("attendance".into(), c("often_absent"));
    let r = score(&form, &answers);
    assert_eq!(r.aspects.iter().find(|a| a.id == "learning").and_then(|a| a.group), Some(Group::Risk));

    // In the conversation: a button beside the typed answer, and the words typed out work too.
    let gpa = form.question("gpa").expect("gpa");
    assert_eq!(dulae::forms::answer_text(gpa, &c("no_grade")).0, "ยังไม่มีผลการเรียน");
    let (mut session, _) = dulae::forms::start(&form);
    session.position = dulae::forms::Position::Question { id: "gpa".into() };
    let screen = dulae::forms::current_screen(&form, &session);
    let dulae::forms::Screen::Question(view) = &screen else { panic!("{screen:?}") };
    assert_eq!(view.alternatives.len(), 1);
    assert_eq!(view.alternatives[0].label.th(), "ยังไม่มีผลการเรียน");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (typed, _) =
        dulae::forms::step(&form, session.clone(), dulae::forms::Input::Text("ยังไม่มีผลการเรียน".into()), today);
    assert_eq!(typed.answers.get("gpa"), Some(&c("no_grade")));
    let (pressed, _) = dulae::forms::step(&form, session, dulae::forms::Input::Choose("no_grade".into()), today);
    assert_eq!(pressed.answers.get("gpa"), Some(&c("no_grade")));
}

#[test]
fn an_other_choice_asks_what_it_is() {
    let set = load_forms(None).unwrap_or_else(|es| panic!("{es:?}"));
    let visit = set.get("home_visit").expect("home visit");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (mut session, _) = dulae::forms::start(visit);
    session.position = dulae::forms::Position::Question { id: "ownership".into() };
    let (session, screen) = dulae::forms::step(visit, session, dulae::forms::Input::Choose("other".into()), today);
    let dulae::forms::Screen::Question(view) = &screen else { panic!("{screen:?}") };
    assert_eq!(view.question_id, "ownership_other");
    assert!(view.label.th().starts_with("โปรดระบุ"), "{}", view.label.th());
    let (session, screen) = dulae::forms::step(visit, session, dulae::forms::Input::Text("บ้านพักครู".into()), today);
    let dulae::forms::Screen::Question(next) = &screen else { panic!("{screen:?}") };
    assert_eq!(next.question_id, "condition");
    assert_eq!(session.answers.get("ownership_other"), Some(&Answer::Text("บ้านพักครู".into())));
    // Another choice skips the follow-up.
    let (mut session, _) = dulae::forms::start(visit);
    session.position = dulae::forms::Position::Question { id: "ownership".into() };
    let (_, screen) = dulae::forms::step(visit, session, dulae::forms::Input::Choose("rent".into()), today);
    let dulae::forms::Screen::Question(next) = &screen else { panic!("{screen:?}") };
    assert_eq!(next.question_id, "condition");
    // Every "อื่น ๆ" choice in the shipped forms has its follow-up.
    for form in [visit, set.get("screening").expect("screening")] {
        for q in all_questions(&form.questions) {
            if q.choices().iter().any(|c| c.value == "other") {
                assert!(
                    all_questions(&form.questions).any(|f| f.id == format!("{}_other", q.id)),
                    "{}: {} has no follow-up",
                    form.id,
                    q.id
                );
            }
        }
    }
}

fn all_questions(questions: &[dulae::forms::Question]) -> Box<dyn Iterator<Item = &dulae::forms::Question> + '_> {
    Box::new(questions.iter().flat_map(|q| {
        let inner: Box<dyn Iterator<Item = &dulae::forms::Question>> = match &q.kind {
            dulae::forms::QuestionKind::Repeat { questions, .. } => all_questions(questions),
            _ => Box::new(std::iter::empty()),
        };
        std::iter::once(q).chain(inner)
    }))
}
