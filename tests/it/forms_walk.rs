//! Full walks through the shipped forms, as a teacher would do them with buttons.

use chrono::NaiveDate;
use dulae::forms::{
    Answer, FormDef, FormSession, Group, Input, QuestionInput, Screen, current_screen, load_forms, start, step,
};

fn form(id: &str) -> FormDef {
    load_forms(None).unwrap_or_else(|es| panic!("{es:?}")).get(id).cloned().expect("form")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).expect("date")
}

struct Walk {
    form: FormDef,
    s: FormSession,
    screen: Screen,
}

impl Walk {
    fn new(id: &str) -> Walk {
        let form = form(id);
        let (s, screen) = start(&form);
        Walk { form, s, screen }
    }
    fn send(&mut self, input: Input) -> &Screen {
        let (s, screen) = step(&self.form, self.s.clone(), input, today());
        // The session survives a save/restore after every step.
        let json = serde_json::to_string(&s).expect("json");
        let back: FormSession = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, s);
        self.s = back;
        self.screen = screen;
        &self.screen
    }
    fn at(&self) -> String {
        match &self.screen {
            Screen::Question(q) => q.question_id.clone(),
            Screen::AskAddAnother(v) => format!("add:{}:{}", v.repeat_id, v.count),
            Screen::Review(_) => "review".into(),
            other => format!("{other:?}"),
        }
    }
    fn expect_at(&self, id: &str) {
        assert_eq!(self.at(), id, "screen: {:?}", self.screen);
        if let Screen::Question(q) = &self.screen {
            assert!(q.problem.is_none(), "unexpected problem {:?}", q.problem);
        }
    }
    fn answer(&mut self, id: &str, input: Input) {
        self.expect_at(id);
        self.send(input);
    }
}

fn choose(v: &str) -> Input {
    Input::Choose(v.to_string())
}
fn text(t: &str) -> Input {
    Input::Text(t.to_string())
}

#[test]
fn screening_walk_review_edit_submit() {
    let mut w = Walk::new("screening");
    match &w.screen {
        Screen::Question(q) => {
            assert_eq!(q.question_id, "gpa");
            assert_eq!(q.progress.index, 1);
            assert!(!q.back_allowed);
            assert!(!q.skip_allowed);
            assert_eq!(q.section_title.as_ref().map(|t| t.th.as_str()), Some("ด้านการเรียน"));
        }
        other => panic!("{other:?}"),
    }
    w.answer("gpa", text("๑.๕๐"));
    w.answer("failed_subjects", choose("none"));
    w.answer("attendance", choose("regular"));
    w.answer("literacy", choose("at_level"));
    w.answer("health", choose("healthy"));
    w.answer("income", choose("5000_10000"));
    w.answer("enough_money", choose("enough"));
    w.answer("lives_with", choose("parents"));
    w.answer("home_safety", Input::Toggle("none".into()));
    w.answer("home_safety", Input::Done);
    w.answer("mood", choose("fine"));
    w.answer("friends", choose("good"));
    w.answer("substance", choose("none"));
    w.answer("violence", choose("none"));
    w.answer("sexual", choose("fine"));
    w.answer("games", choose("over_2h"));
    w.answer("devices", choose("fine"));
    w.answer("has_ability", Input::Yes);
    w.answer("ability_kinds", Input::Toggle("art".into()));
    w.answer("ability_kinds", Input::Done);
    w.answer("has_needs", Input::No);
    w.answer("teacher_note", Input::Skip);
    w.expect_at("review");
    let Screen::Review(review) = &w.screen else { panic!() };
    assert!(review.missing_required.is_empty());
    let gpa_item = review.items.iter().find(|i| i.question_id == "gpa").expect("gpa item");
    assert_eq!(gpa_item.answer_text_th, "1.5");
    let income_number = review.items.iter().find(|i| i.question_id == "income").map(|i| i.number).expect("income");

    // Edit the income, then come straight back to the review.
    w.send(Input::EditItem(income_number));
    w.answer("income", choose("above_10000"));
    w.expect_at("review");

    // Edit has_ability to "no": ability_kinds becomes irrelevant and its answer is dropped.
    let n = match &w.screen {
        Screen::Review(r) => r.items.iter().find(|i| i.question_id == "has_ability").map(|i| i.number).expect("item"),
        _ => unreachable!(),
    };
    w.send(Input::EditItem(n));
    w.answer("has_ability", Input::No);
    w.expect_at("review");
    assert!(!w.s.answers.contains_key("ability_kinds"));

    // And back to "yes": the follow-up is asked again before the review.
    w.send(Input::EditItem(n));
    w.answer("has_ability", Input::Yes);
    w.answer("ability_kinds", Input::Toggle("sport".into()));
    w.answer("ability_kinds", Input::Done);
    w.expect_at("review");

    w.send(Input::Submit);
    let Screen::Submitted(sub) = &w.screen else { panic!("{:?}", w.screen) };
    assert_eq!(sub.form_id, "screening");
    assert_eq!(sub.form_version, 2);
    assert_eq!(sub.score.aspect("learning").and_then(|a| a.group), Some(Group::Risk));
    assert_eq!(sub.score.aspect("economy").and_then(|a| a.group), Some(Group::Normal));
    assert_eq!(sub.score.aspect("games").and_then(|a| a.group), Some(Group::Problem));
    assert_eq!(sub.score.overall, Group::Problem);
    assert!(sub.score.flag("special_ability").is_some_and(|f| f.present));
    assert!(!sub.score.flag("special_needs").is_some_and(|f| f.present));
    assert_eq!(sub.answers.get("gpa"), Some(&Answer::Decimal(1.5)));
    let json = serde_json::to_string(sub).expect("json");
    assert!(json.contains("\"overall\":\"problem\""));
    // After submitting, nothing more happens.
    assert_eq!(w.send(Input::Submit), &Screen::Closed);
}

#[test]
fn home_visit_walk_with_members_location_photos() {
    let mut w = Walk::new("home_visit");
    match &w.screen {
        Screen::Question(q) => assert_eq!(q.input, QuestionInput::Date { default_today: true }),
        other => panic!("{other:?}"),
    }
    w.answer("visit_date", choose("today"));
    assert_eq!(w.s.answers.get("visit_date"), Some(&Answer::Date(today())));
    w.answer("visitors", text("  ครูสมศรี, ครูสมชาย  "));
    assert_eq!(w.s.answers.get("visitors"), Some(&Answer::Text("ครูสมศรี, ครูสมชาย".into())));
    w.answer("met_whom", choose("mother"));
    w.answer("lives_with", choose("parents"));
    w.answer("close_to", Input::Skip);

    // Household members: a required repeat starts with the first member straight away.
    w.answer("member_relation", choose("father"));
    match &w.screen {
        Screen::Question(q) => assert_eq!(q.repeat.as_ref().map(|r| r.item_number), Some(1)),
        other => panic!("{other:?}"),
    }
    w.answer("member_age", text("๔๕"));
    w.answer("member_job", choose("labourer"));
    w.expect_at("add:members:1");
    w.send(Input::AddAnother);
    w.answer("member_relation", choose("mother"));
    w.answer("member_age", text("42"));
    w.answer("member_job", choose("trade"));
    w.expect_at("add:members:2");
    match &w.screen {
        Screen::AskAddAnother(v) => assert_eq!(v.items.len(), 2),
        other => panic!("{other:?}"),
    }
    w.send(Input::NoMore);

    w.answer("income_band", choose("5000_10000"));
    w.answer("welfare", Input::Toggle("state_card".into()));
    w.answer("welfare", Input::Toggle("eef_grant".into()));
    w.answer("welfare", Input::Done);
    w.answer("debts", choose("manageable"));
    w.answer("ownership", choose("own"));
    w.answer("condition", choose("repair"));
    w.answer("utilities", Input::Toggle("water".into()));
    w.answer("utilities", Input::Toggle("electricity".into()));
    w.answer("utilities", Input::Done);
    w.answer("distance_km", text("5.5"));
    w.answer("travel_means", choose("motorcycle"));
    w.answer("travel_minutes", text("20"));
    w.answer("home_risks", Input::Skip);
    // risk_note is not relevant without risks.
    w.answer("duties", Input::Toggle("housework".into()));
    w.answer("duties", Input::Done);
    w.answer("study_place", Input::Yes);
    w.answer("needs", Input::Toggle("scholarship".into()));
    w.answer("needs", Input::Done);
    w.answer("asks_school", text("ขอทุนการศึกษา"));
    w.answer("assessment_intro", Input::Done);
    w.answer("assessment", text("ครอบครัวอบอุ่น แต่รายได้น้อย"));
    w.answer("support_level", choose("watch"));
    w.answer("location", Input::Location { lat: 13.7563309, lon: 100.5017651 });
    w.answer("photos", Input::Photo { file_id: "AgAD-1".into() });
    w.answer("photos", Input::Photo { file_id: "AgAD-2".into() });
    match &w.screen {
        Screen::Question(q) => assert_eq!(q.input, QuestionInput::Photo { count: 2, min: 0, max: 5 }),
        other => panic!("{other:?}"),
    }
    w.send(Input::Done);
    w.expect_at("review");

    // Edit the distance (item N) and return to the review.
    let n = match &w.screen {
        Screen::Review(r) => {
            assert!(r.missing_required.is_empty(), "{:?}", r.missing_required);
            let members = r.items.iter().find(|i| i.question_id == "members").expect("members");
            assert!(members.answer_text_th.contains("พ่อ, 45, รับจ้าง"), "{}", members.answer_text_th);
            r.items.iter().find(|i| i.question_id == "distance_km").map(|i| i.number).expect("distance")
        }
        other => panic!("{other:?}"),
    };
    w.send(Input::EditItem(n));
    w.answer("distance_km", text("7"));
    w.expect_at("review");

    // A restart re-shows the review.
    assert!(matches!(current_screen(&w.form, &w.s), Screen::Review(_)));

    w.send(Input::Submit);
    let Screen::Submitted(sub) = &w.screen else { panic!("{:?}", w.screen) };
    assert_eq!(sub.answers.get("distance_km"), Some(&Answer::Decimal(7.0)));
    assert_eq!(sub.answers.get("member_count"), Some(&Answer::Decimal(2.0)));
    match sub.answers.get("members") {
        Some(Answer::Repeat(items)) => {
            assert_eq!(items.len(), 2);
            assert_eq!(items[1].get("member_age"), Some(&Answer::Integer(42)));
            assert_eq!(items[0].get("member_age"), Some(&Answer::Integer(45)));
        }
        other => panic!("{other:?}"),
    }
    match sub.answers.get("photos") {
        Some(Answer::Photos(p)) => assert_eq!(p.len(), 2),
        other => panic!("{other:?}"),
    }
    assert!(matches!(sub.answers.get("location"), Some(Answer::Location { .. })));
    assert!(!sub.answers.contains_key("risk_note"));
    assert_eq!(sub.score.overall, Group::Normal);
}
