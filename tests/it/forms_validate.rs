//! Form files: the shipped ones are clean; broken fixtures report every problem with file and question.

use std::path::{Path, PathBuf};

use dulae::forms::{FormError, check_dir, load_forms, parse_and_validate};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn show(es: &[FormError]) -> String {
    es.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn shipped_forms_are_valid() {
    let forms = check_dir(&manifest().join("forms")).unwrap_or_else(|es| panic!("{}", show(&es)));
    let ids: Vec<&str> = forms.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.contains(&"screening") && ids.contains(&"home_visit"), "{ids:?}");
    let set = load_forms(None).unwrap_or_else(|es| panic!("{}", show(&es)));
    let screening = set.get("screening").expect("screening form");
    assert_eq!(screening.kind, "screening");
    let n = screening.questions.len();
    assert!((18..=30).contains(&n), "screening has {n} questions");
    assert!(set.get("home_visit").is_some());
    assert_eq!(set.of_kind("home_visit").count(), 1);
}

#[test]
fn override_dir_adds_and_replaces_by_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shipped = std::fs::read_to_string(manifest().join("forms/screening.toml")).expect("read");
    let version_line = shipped.lines().find(|l| l.starts_with("version = ")).expect("a version line");
    let newer = shipped.replacen(version_line, "version = 7", 1);
    std::fs::write(dir.path().join("screening.toml"), newer).expect("write");
    std::fs::copy(manifest().join("tests/data/forms/sdq_like/wellbeing_demo.toml"), dir.path().join("wellbeing.toml"))
        .expect("copy");
    let set = load_forms(Some(dir.path())).unwrap_or_else(|es| panic!("{}", show(&es)));
    assert_eq!(set.get("screening").map(|f| f.version), Some(7));
    assert!(set.get("wellbeing_demo").is_some());
    assert!(set.get("home_visit").is_some());
}

#[test]
fn broken_fixtures_report_every_problem() {
    let dir = manifest().join("tests/data/forms/broken");
    let errors = match check_dir(&dir) {
        Ok(_) => panic!("broken forms passed"),
        Err(es) => es,
    };
    let text = show(&errors);
    let many = dir.join("many.toml").display().to_string();
    let expect = |question: Option<&str>, needle: &str| {
        let found = errors
            .iter()
            .any(|e| e.file.ends_with("many.toml") && e.question.as_deref() == question && e.message.contains(needle));
        assert!(found, "missing {question:?} / {needle:?} in\n{text}");
    };
    expect(Some("gpa"), "relevant refers to unknown question \"gpax\"");
    expect(Some("early"), "\"later\", which is not asked before this question");
    expect(Some("later"), "duplicate question id");
    expect(Some("calc"), "calculate refers to unknown question \"nowhere\"");
    expect(Some("limited"), "constraint refers to unknown question \"ghost\"");
    expect(Some("limited"), "min 10 is greater than max 1");
    expect(Some("no_group"), "choice \"b\" has no group");
    expect(Some("bad_aspect"), "unknown aspect \"nonexistent\"");
    expect(Some("no_thai"), "no Thai text");
    expect(Some("no_choices"), "needs choices");
    expect(Some("this_question_id_is_far_too_long_for_buttons"), "at most 24");
    expect(Some("long_value"), "at most 16");
    expect(Some("bad_pattern"), "not a valid regular expression");
    expect(Some("bad_bands"), "out of order");
    expect(Some("bad_relevant"), "cannot be read");
    // Display names the file and the question.
    let gpa = errors.iter().find(|e| e.question.as_deref() == Some("gpa")).map(|e| e.to_string());
    assert_eq!(
        gpa.as_deref(),
        Some(format!("{many}: question \"gpa\": relevant refers to unknown question \"gpax\"").as_str())
    );
    // Syntax errors carry the line.
    let syntax = errors.iter().find(|e| e.file.ends_with("syntax.toml")).map(|e| e.to_string()).unwrap_or_default();
    assert!(syntax.contains("line 9"), "{syntax}");
    let field =
        errors.iter().find(|e| e.file.ends_with("unknown_field.toml")).map(|e| e.to_string()).unwrap_or_default();
    assert!(field.contains("lable") && field.contains("line 9"), "{field}");
}

#[test]
fn form_level_problems() {
    let text = r#"
id = "Bad Id"
version = 0
kind = "survey"
title = { th = "" }
[[aspects]]
id = "a"
kind = "sometimes"
label = { th = "ก" }
[[questions]]
id = "p"
type = "photo"
label = { th = "รูป" }
min_count = 4
max_count = 2
[[questions]]
id = "r"
type = "repeat"
label = { th = "ซ้ำ" }
[[questions.questions]]
id = "inner"
type = "text"
label = { th = "ใน" }
[[questions]]
id = "after"
type = "text"
label = { th = "หลัง" }
relevant = "${inner} = 'x'"
[[questions]]
id = "weird"
type = "slider"
label = { th = "ไม่รู้จัก" }
"#;
    let es = parse_and_validate("x.toml", text).err().unwrap_or_default();
    let all = show(&es);
    for needle in [
        "form id \"Bad Id\"",
        "version must be",
        "title has no Thai",
        "kind \"sometimes\"",
        "min_count 4 is greater than max_count 2",
        "inside repeat group \"r\"",
        "unknown question type \"slider\"",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in\n{all}");
    }
    assert!(es.iter().all(|e| e.file == "x.toml"));
}

#[test]
fn unreadable_dir_is_an_error() {
    let es = check_dir(Path::new("/definitely/not/here")).err().unwrap_or_default();
    assert_eq!(es.len(), 1);
}
