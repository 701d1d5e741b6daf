//! Property tests: no input sequence panics or corrupts a session; back/forward keeps answers;
//! answers of questions that stopped being relevant are dropped.

use chrono::NaiveDate;
use dulae::forms::{
    Answer, FormDef, FormSession, Input, InputKind, QuestionInput, Screen, current_screen, effective_answers,
    load_forms, start, step,
};
use proptest::prelude::*;

fn forms() -> Vec<FormDef> {
    let set = load_forms(None).unwrap_or_else(|es| panic!("{es:?}"));
    vec![set.get("screening").cloned().expect("screening"), set.get("home_visit").cloned().expect("home_visit")]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
}

fn all_values(form: &FormDef) -> Vec<String> {
    let mut out = vec!["yes".to_string(), "no".to_string(), "today".to_string()];
    for q in &form.questions {
        out.extend(q.choices().iter().map(|c| c.value.clone()));
        if let dulae::forms::QuestionKind::Repeat { questions, .. } = &q.kind {
            for s in questions {
                out.extend(s.choices().iter().map(|c| c.value.clone()));
            }
        }
    }
    out
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1.5",
            "๔๕",
            "5,000",
            "-3",
            "4.01",
            "0",
            "1e400",
            "NaN",
            "today",
            "วันนี้",
            "24/11/2569",
            "31/02/2569",
            "  ",
            "ใช่",
            "ไม่มี",
            "พ่อ",
            "abc",
            "2026-11-24",
            "12345678901234567890",
        ])
        .prop_map(String::from),
        prop::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter),
        (0usize..3).prop_map(|i| ["ก".repeat(5000), "x".repeat(2001), "9".repeat(5000)][i].clone()),
    ]
}

fn input_strategy(values: Vec<String>) -> impl Strategy<Value = Input> {
    let vals = prop::sample::select(values);
    let weird_value = prop::collection::vec(any::<char>(), 0..20).prop_map(String::from_iter);
    let value = prop_oneof![4 => vals, 1 => weird_value];
    prop_oneof![
        3 => text_strategy().prop_map(Input::Text),
        4 => value.clone().prop_map(Input::Choose),
        2 => value.clone().prop_map(Input::Toggle),
        2 => (value, proptest::bool::ANY).prop_map(|(v, on)| Input::Tick(v, on)),
        2 => Just(Input::Done),
        1 => Just(Input::Yes),
        1 => Just(Input::No),
        2 => Just(Input::Back),
        1 => Just(Input::Skip),
        1 => Just(Input::SaveForLater),
        1 => Just(Input::Cancel),
        1 => Just(Input::ConfirmCancel),
        1 => Just(Input::KeepGoing),
        1 => (any::<f64>(), any::<f64>()).prop_map(|(lat, lon)| Input::Location { lat, lon }),
        1 => (-90.0f64..90.0, -180.0f64..180.0).prop_map(|(lat, lon)| Input::Location { lat, lon }),
        1 => prop::collection::vec(any::<char>(), 0..10).prop_map(|c| Input::Photo { file_id: String::from_iter(c) }),
        1 => Just(Input::AddAnother),
        1 => Just(Input::NoMore),
        1 => (0usize..40).prop_map(Input::EditItem),
        1 => Just(Input::Submit),
        1 => Just(Input::Unsupported(InputKind::Sticker)),
    ]
}

fn roundtrip(s: &FormSession) {
    let json = serde_json::to_string(s).expect("serialize");
    let back: FormSession = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(&back, s, "{json}");
}

fn no_irrelevant_answers(form: &FormDef, s: &FormSession) {
    let eff = effective_answers(form, &s.answers);
    for k in s.answers.keys() {
        assert!(eff.contains_key(k), "stored answer {k} is not relevant");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_inputs_never_panic_and_sessions_roundtrip(
        which in 0usize..2,
        seq in prop::collection::vec(input_strategy(all_values(&forms()[0]).into_iter().chain(all_values(&forms()[1])).collect()), 0..80),
    ) {
        let form = &forms()[which];
        let (mut s, _) = start(form);
        for input in seq {
            let (next, screen) = step(form, s, input, today());
            s = next;
            roundtrip(&s);
            let _ = current_screen(form, &s);
            if let Screen::Question(q) = &screen {
                prop_assert!(q.progress.index >= 1 && q.progress.index <= q.progress.total.max(1));
            }
            if matches!(screen, Screen::Submitted(_) | Screen::Cancelled) {
                let (_, again) = step(form, s.clone(), Input::Submit, today());
                prop_assert_eq!(again, Screen::Closed);
            }
        }
        no_irrelevant_answers(form, &s);
    }
}

/// A valid way to answer whatever is on screen; `pick` chooses among the options.
fn valid_inputs(screen: &Screen, pick: usize) -> Vec<Input> {
    match screen {
        Screen::Question(q) => match &q.input {
            QuestionInput::Single { choices } => vec![Input::Choose(choices[pick % choices.len()].value.clone())],
            QuestionInput::Multi { choices } => {
                let c = &choices[pick % choices.len()];
                if c.selected { vec![Input::Done] } else { vec![Input::Toggle(c.value.clone()), Input::Done] }
            }
            QuestionInput::YesNo { .. } => vec![if pick.is_multiple_of(2) { Input::Yes } else { Input::No }],
            QuestionInput::Integer { .. } => vec![Input::Text(format!("{}", pick % 50 + 1))],
            QuestionInput::Decimal { .. } => vec![Input::Text(format!("{}.5", pick % 3))],
            QuestionInput::Text { .. } => vec![Input::Text(format!("ข้อความทดสอบ {pick}"))],
            QuestionInput::Date { .. } => vec![Input::Choose("today".into())],
            QuestionInput::Location => vec![Input::Location { lat: 13.75 + (pick % 10) as f64 * 0.01, lon: 100.5 }],
            QuestionInput::Photo { .. } => vec![Input::Photo { file_id: format!("photo{pick}") }, Input::Done],
            QuestionInput::Note => vec![Input::Done],
        },
        Screen::AskAddAnother(v) => {
            vec![if pick.is_multiple_of(3) && v.count < 3 { Input::AddAnother } else { Input::NoMore }]
        }
        _ => vec![],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn back_then_forward_keeps_answers(
        which in 0usize..2,
        picks in prop::collection::vec(0usize..1000, 1..40),
        backs in 1usize..15,
    ) {
        let form = &forms()[which];
        let (mut s, mut screen) = start(form);
        for pick in picks {
            let inputs = valid_inputs(&screen, pick);
            if inputs.is_empty() {
                break;
            }
            for input in inputs {
                let (n, sc) = step(form, s, input, today());
                s = n;
                screen = sc;
            }
        }
        // A walk with valid answers stops on a question, the "add another?" step or the review: check that, so
        // no case passes without going back and forth.
        prop_assert!(
            matches!(screen, Screen::Review(_) | Screen::Question(_) | Screen::AskAddAnother(_)),
            "the walk ended on {:?}",
            screen
        );
        let answers = s.answers.clone();
        let position = s.position.clone();
        let mut went_back = 0;
        for _ in 0..backs {
            let before = s.position.clone();
            let (n, _) = step(form, s, Input::Back, today());
            s = n;
            if s.position == before {
                break;
            }
            went_back += 1;
            prop_assert_eq!(&s.answers, &answers, "back changed answers");
        }
        for _ in 0..went_back {
            let (n, sc) = step(form, s, Input::Done, today());
            s = n;
            if let Screen::Question(q) = &sc {
                prop_assert!(q.problem.is_none(), "{:?}", q.problem);
            }
        }
        prop_assert_eq!(&s.answers, &answers);
        prop_assert_eq!(&s.position, &position);
    }

    #[test]
    fn answers_of_questions_no_longer_relevant_are_dropped(
        kinds in prop::collection::btree_set(prop::sample::select(vec!["academic", "sport", "art", "music"]), 1..4),
    ) {
        let form = &forms()[0];
        let (mut s, _) = start(form);
        // Jump to has_ability by answering everything before it with the first choice.
        let mut screen = dulae::forms::current_screen(form, &s);
        while let Screen::Question(q) = &screen
            && q.question_id != "has_ability"
        {
            for input in valid_inputs(&screen, 0) {
                let (n, sc) = step(form, s, input, today());
                s = n;
                screen = sc;
            }
        }
        let (n, _) = step(form, s, Input::Yes, today());
        s = n;
        for k in &kinds {
            let (n, _) = step(form, s, Input::Toggle((*k).to_string()), today());
            s = n;
        }
        let (n, _) = step(form, s, Input::Done, today());
        s = n;
        let stored = matches!(s.answers.get("ability_kinds"), Some(Answer::Choices(v)) if v.len() == kinds.len());
        prop_assert!(stored);
        // Back to has_ability and change it to "no".
        let (n, _) = step(form, s, Input::Back, today());
        s = n;
        let (n, sc) = step(form, s, Input::Back, today());
        s = n;
        prop_assert!(matches!(&sc, Screen::Question(q) if q.question_id == "has_ability"), "{:?}", sc);
        let (n, sc) = step(form, s, Input::No, today());
        s = n;
        prop_assert!(!s.answers.contains_key("ability_kinds"));
        prop_assert!(matches!(&sc, Screen::Question(q) if q.question_id == "has_needs"));
        // Yes again: the question comes back empty.
        let (n, _) = step(form, s, Input::Back, today());
        s = n;
        let (_, sc) = step(form, s, Input::Yes, today());
        match &sc {
            Screen::Question(q) => {
                prop_assert_eq!(q.question_id.as_str(), "ability_kinds");
                let empty = matches!(&q.input, QuestionInput::Multi { choices } if choices.iter().all(|c| !c.selected));
                prop_assert!(empty);
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }
}
