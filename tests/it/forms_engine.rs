//! Engine rules: wrong input never loses state, cancel/save, required answers at review, limits.

use chrono::NaiveDate;
use dulae::forms::{
    FormDef, FormSession, Input, InputKind, Position, Problem, Screen, current_screen, parse_and_validate, start, step,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
}

const FORM: &str = r#"
id = "engine_demo"
version = 3
kind = "survey"
title = { th = "ทดสอบ", en = "Test" }

[[questions]]
id = "income"
type = "integer"
label = { th = "รายได้", en = "Income" }
required = true
required_message = { th = "กรุณาตอบรายได้ค่ะ" }
constraint = { min = 0, max = 1000000 }

[[questions]]
id = "code"
type = "text"
label = { th = "รหัส" }
constraint = { pattern = "[0-9]{5}", max_length = 10 }

[[questions]]
id = "choice"
type = "single"
label = { th = "เลือก" }
required = true
choices = [{ value = "a", label = { th = "ก", en = "A" } }, { value = "b", label = { th = "ข", en = "B" } }]

[[questions]]
id = "where"
type = "location"
label = { th = "ตำแหน่ง" }

[[questions]]
id = "pics"
type = "photo"
label = { th = "รูป" }
max_count = 2

[[questions]]
id = "when"
type = "date"
label = { th = "วันที่" }
required = true
constraint = { max_date = "today" }

[[questions]]
id = "half"
type = "decimal"
label = { th = "ครึ่ง" }
constraint = { expr = ". <= ${income} / 2" }
"#;

fn form() -> FormDef {
    parse_and_validate("engine_demo.toml", FORM).unwrap_or_else(|es| panic!("{es:?}"))
}

fn send(form: &FormDef, s: FormSession, input: Input) -> (FormSession, Screen) {
    step(form, s, input, today())
}

fn problem(screen: &Screen) -> Option<Problem> {
    match screen {
        Screen::Question(q) => q.problem.clone(),
        Screen::Review(r) => r.problem.clone(),
        Screen::AskAddAnother(v) => v.problem.clone(),
        _ => None,
    }
}

fn at(screen: &Screen) -> &str {
    match screen {
        Screen::Question(q) => &q.question_id,
        Screen::Review(_) => "review",
        _ => "other",
    }
}

#[test]
fn wrong_input_keeps_the_question_and_state() {
    let f = form();
    let (s, _) = start(&f);
    let cases = [
        (Input::Text("abc".into()), Problem::NotANumber),
        (
            Input::Text("12.5".into()),
            Problem::Constraint(dulae::forms::LocalText::new(
                "กรุณาตอบเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1000000 ค่ะ",
                "Please answer a whole number from 0 to 1000000.",
            )),
        ),
        (
            Input::Text("-5".into()),
            Problem::Constraint(dulae::forms::LocalText::new(
                "กรุณาตอบตัวเลขตั้งแต่ 0 ถึง 1000000 ค่ะ",
                "Please answer a number from 0 to 1000000.",
            )),
        ),
        (
            Input::Skip,
            Problem::Required(dulae::forms::LocalText {
                th: "กรุณาตอบรายได้ค่ะ".into(), en: None
            }),
        ),
        (
            Input::Done,
            Problem::Required(dulae::forms::LocalText {
                th: "กรุณาตอบรายได้ค่ะ".into(), en: None
            }),
        ),
        (Input::Choose("a".into()), Problem::ExpectedText),
        (Input::Location { lat: 1.0, lon: 2.0 }, Problem::ExpectedText),
        (Input::Unsupported(InputKind::Voice), Problem::UnsupportedInput(InputKind::Voice)),
        (Input::Submit, Problem::UnknownChoice),
    ];
    for (input, want) in cases {
        let (s2, screen) = send(&f, s.clone(), input.clone());
        assert_eq!(at(&screen), "income", "{input:?}");
        assert_eq!(problem(&screen), Some(want), "{input:?}");
        assert_eq!(s2.answers, s.answers);
        assert_eq!(s2.position, s.position);
    }
    // Thai digits and thousands separators are numbers.
    let (s, screen) = send(&f, s, Input::Text("๕,๐๐๐".into()));
    assert_eq!(at(&screen), "code");
    assert_eq!(s.answers.get("income"), Some(&dulae::forms::Answer::Integer(5000)));

    let (s2, screen) = send(&f, s.clone(), Input::Text("12".into()));
    assert!(matches!(problem(&screen), Some(Problem::Constraint(_))));
    assert_eq!(s2.answers, s.answers);
    let (_, screen) = send(&f, s.clone(), Input::Text("1".repeat(5000)));
    assert_eq!(problem(&screen), Some(Problem::TooLong { max: 10 }));
    let (s, screen) = send(&f, s, Input::Text(" 12345 ".into()));
    assert_eq!(at(&screen), "choice");

    let (_, screen) = send(&f, s.clone(), Input::Text("something".into()));
    assert_eq!(problem(&screen), Some(Problem::ExpectedButton));
    let (_, screen) = send(&f, s.clone(), Input::Choose("zzz".into()));
    assert_eq!(problem(&screen), Some(Problem::UnknownChoice));
    let (s, screen) = send(&f, s, Input::Text("ข".into())); // a typed label is accepted
    assert_eq!(at(&screen), "where");

    let (_, screen) = send(&f, s.clone(), Input::Text("here".into()));
    assert_eq!(problem(&screen), Some(Problem::ExpectedLocation));
    let (_, screen) = send(&f, s.clone(), Input::Location { lat: f64::NAN, lon: 0.0 });
    assert!(matches!(problem(&screen), Some(Problem::Constraint(_))));
    let (s, screen) = send(&f, s, Input::Skip);
    assert_eq!(at(&screen), "pics");

    let (_, screen) = send(&f, s.clone(), Input::Text("a photo".into()));
    assert_eq!(problem(&screen), Some(Problem::ExpectedPhoto));
    let (s, _) = send(&f, s, Input::Photo { file_id: "p1".into() });
    let (s, screen) = send(&f, s, Input::Photo { file_id: "p2".into() });
    // The second photo fills the question and moves on.
    assert_eq!(at(&screen), "when");
    let (s, screen) = send(&f, s, Input::Back);
    assert_eq!(at(&screen), "pics");
    let (s, screen) = send(&f, s, Input::Photo { file_id: "p3".into() });
    assert_eq!(problem(&screen), Some(Problem::TooManyPhotos { max: 2 }));
    let (s, screen) = send(&f, s, Input::Done);
    assert_eq!(at(&screen), "when");

    let (_, screen) = send(&f, s.clone(), Input::Text("31/02/2569".into()));
    assert_eq!(problem(&screen), Some(Problem::NotADate));
    let (_, screen) = send(&f, s.clone(), Input::Text("25/11/2569".into()));
    assert!(matches!(problem(&screen), Some(Problem::Constraint(_))), "tomorrow is after today");
    let (s, screen) = send(&f, s, Input::Text("๒๔/๑๑/๒๕๖๙".into()));
    assert_eq!(at(&screen), "half");

    let (_, screen) = send(&f, s.clone(), Input::Text("2600".into()));
    assert!(matches!(problem(&screen), Some(Problem::Constraint(_))), "more than half of 5000");
    let (s, screen) = send(&f, s, Input::Text("2,500".into()));
    assert_eq!(at(&screen), "review");
    let (_, screen) = send(&f, s, Input::Submit);
    assert!(matches!(screen, Screen::Submitted(_)));
}

#[test]
fn cancel_and_save_for_later() {
    let f = form();
    let (s, _) = start(&f);
    let (s, _) = send(&f, s, Input::Text("100".into()));
    let (s, screen) = send(&f, s, Input::Cancel);
    assert_eq!(screen, Screen::ConfirmCancel);
    let (s, screen) = send(&f, s, Input::Text("oops".into()));
    assert_eq!(screen, Screen::ConfirmCancel);
    let (s, screen) = send(&f, s, Input::KeepGoing);
    assert_eq!(at(&screen), "code");
    assert_eq!(s.answers.len(), 1);

    let (s, screen) = send(&f, s, Input::SaveForLater);
    assert_eq!(screen, Screen::Saved);
    // Restored later: the same question again.
    let json = serde_json::to_string(&s).expect("json");
    let restored: FormSession = serde_json::from_str(&json).expect("parse");
    assert_eq!(at(&current_screen(&f, &restored)), "code");

    let (s, _) = send(&f, restored, Input::Cancel);
    let (s, screen) = send(&f, s, Input::ConfirmCancel);
    assert_eq!(screen, Screen::Cancelled);
    assert_eq!(s.position, Position::Cancelled);
    let (_, screen) = send(&f, s, Input::Text("hello".into()));
    assert_eq!(screen, Screen::Closed);
}

#[test]
fn review_reports_missing_required_and_refuses_submit() {
    let f = form();
    let (mut s, _) = start(&f);
    // A draft saved with blanks, resumed at the review.
    s.answers.insert("income".into(), dulae::forms::Answer::Integer(10));
    s.position = Position::Review;
    let screen = current_screen(&f, &s);
    let Screen::Review(r) = &screen else { panic!("{screen:?}") };
    let missing: Vec<&str> = r.missing_required.iter().map(|l| l.th.as_str()).collect();
    assert_eq!(missing, vec!["เลือก", "วันที่"]);
    assert_eq!(r.items.len(), 7);
    assert!(r.items[0].answered && !r.items[2].answered);
    let (s, screen) = send(&f, s, Input::Submit);
    assert_eq!(problem(&screen), Some(Problem::MissingRequired { count: 2 }));
    assert_eq!(s.position, Position::Review);
    // Edit item 3 (the missing choice): answer it, then the other missing one, then the review again.
    let (s, screen) = send(&f, s, Input::EditItem(3));
    assert_eq!(at(&screen), "choice");
    let (s, screen) = send(&f, s, Input::Choose("a".into()));
    // Optional questions never seen yet are offered too (skip passes them).
    assert_eq!(at(&screen), "where");
    let (s, _) = send(&f, s, Input::Skip);
    let (s, screen) = send(&f, s, Input::Skip);
    assert_eq!(at(&screen), "when");
    let (s, screen) = send(&f, s, Input::Choose("today".into()));
    assert_eq!(at(&screen), "half");
    let (s, screen) = send(&f, s, Input::Skip);
    assert_eq!(at(&screen), "review");
    let (_, screen) = send(&f, s.clone(), Input::EditItem(99));
    assert_eq!(problem(&screen), Some(Problem::UnknownChoice));
    let (_, screen) = send(&f, s, Input::Submit);
    let Screen::Submitted(sub) = screen else { panic!() };
    assert_eq!(sub.form_version, 3);
}

#[test]
fn session_from_an_older_form_version_resumes_safely() {
    let f = form();
    let (mut s, _) = start(&f);
    s.position = Position::Question { id: "removed_question".into() };
    s.answers.insert("income".into(), dulae::forms::Answer::Text("not a number any more".into()));
    s.history.push(Position::InRepeat { repeat: "nope".into(), item: 7, id: "x".into() });
    let screen = current_screen(&f, &s);
    assert_eq!(at(&screen), "income");
    let (s, screen) = send(&f, s, Input::Back);
    assert_eq!(at(&screen), "income");
    assert!(!s.answers.contains_key("income"));
}

#[test]
fn an_exclusive_choice_stands_alone_in_a_multi_question() {
    let form = parse_and_validate(
        "exclusive.toml",
        r#"
id = "exclusive_demo"
version = 1
kind = "survey"
title = { th = "ทดสอบ" }

[[questions]]
id = "seen"
type = "multi"
label = { th = "พบสิ่งใด" }
choices = [
  { value = "none", label = { th = "ไม่พบ" }, exclusive = true },
  { value = "a", label = { th = "ก" } },
  { value = "b", label = { th = "ข" } },
]
"#,
    )
    .expect("valid");
    let selected = |s: &FormSession| match s.answers.get("seen") {
        Some(dulae::forms::Answer::Choices(v)) => v.clone(),
        _ => vec![],
    };
    let (s, _) = start(&form);
    let (s, _) = step(&form, s, Input::Toggle("a".into()), today());
    let (s, _) = step(&form, s, Input::Toggle("b".into()), today());
    assert_eq!(selected(&s), ["a", "b"]);
    let (s, _) = step(&form, s, Input::Toggle("none".into()), today());
    assert_eq!(selected(&s), ["none"], "none clears the others");
    let (s, _) = step(&form, s, Input::Toggle("b".into()), today());
    assert_eq!(selected(&s), ["b"], "a real answer clears none");

    let broken = parse_and_validate(
        "bad.toml",
        r#"
id = "bad"
version = 1
kind = "survey"
title = { th = "ทดสอบ" }

[[questions]]
id = "one"
type = "single"
label = { th = "เลือก" }
choices = [{ value = "none", label = { th = "ไม่มี" }, exclusive = true }]
"#,
    );
    let errors = broken.expect_err("exclusive on a single question");
    assert!(errors.iter().any(|e| e.message.contains("only applies to multi")), "{errors:?}");
}

#[test]
fn a_yes_no_question_uses_the_words_of_its_form() {
    let form = parse_and_validate(
        "labels.toml",
        r#"
id = "labels"
version = 1
kind = "survey"
title = { th = "ทดสอบ" }

[[questions]]
id = "ability"
type = "yesno"
label = { th = "นักเรียนมีความสามารถพิเศษไหม" }
yes_label = { th = "มี", en = "Yes" }
no_label = { th = "ไม่มี", en = "No" }

[[questions]]
id = "plain"
type = "yesno"
label = { th = "ผู้ปกครองมาด้วยใช่ไหม" }
"#,
    )
    .unwrap_or_else(|es| panic!("{es:?}"));
    let (s, screen) = start(&form);
    let Screen::Question(q) = &screen else { panic!("{screen:?}") };
    let dulae::forms::QuestionInput::YesNo { yes, no, .. } = &q.input else { panic!("{:?}", q.input) };
    assert_eq!((yes.th(), no.th()), ("มี", "ไม่มี"));
    // Typed words count too.
    let (s, screen) = send(&form, s, Input::Text("ไม่มี".into()));
    let Screen::Question(q) = &screen else { panic!("{screen:?}") };
    let dulae::forms::QuestionInput::YesNo { yes, no, .. } = &q.input else { panic!("{:?}", q.input) };
    assert_eq!((yes.th(), no.th()), ("ใช่", "ไม่ใช่"));
    let (_, screen) = send(&form, s, Input::Yes);
    let Screen::Review(review) = &screen else { panic!("{screen:?}") };
    assert_eq!(review.items[0].answer_text_th, "ไม่มี");
    assert_eq!(review.items[1].answer_text_th, "ใช่");

    // Labels on another kind of question are a mistake the check names.
    let errors = parse_and_validate(
        "bad.toml",
        r#"
id = "bad"
version = 1
kind = "survey"
title = { th = "ทดสอบ" }

[[questions]]
id = "n"
type = "integer"
label = { th = "จำนวน" }
yes_label = { th = "มี" }
"#,
    )
    .unwrap_err();
    assert!(errors.iter().any(|e| e.to_string().contains("yes_label/no_label are for yesno questions")), "{errors:?}");
}
