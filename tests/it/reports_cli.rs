//! `dulae terms`, `dulae stats` and `dulae export` as the admin runs them, on a temporary database.

use crate::common::cli::{dulae, out};

#[test]
fn terms_stats_and_export_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.1/1\n2,ด.ญ.,ค,ง,ป.1/1\n")
        .unwrap();
    assert!(dulae(dir.path(), &["import", "students", roster.to_str().unwrap()]).status.success());

    // Dates in either era.
    let set = dulae(dir.path(), &["terms", "set", "2/2569", "--from", "1/11/2569", "--to", "31/3/2027"]);
    assert!(set.status.success(), "{}", out(&set));
    assert!(out(&set).contains("1 พ.ย. 2569 – 31 มี.ค. 2570"), "{}", out(&set));
    let list = dulae(dir.path(), &["terms", "list"]);
    assert!(out(&list).contains("2/2569"), "{}", out(&list));
    // A wrong date is refused with the reason, not a panic.
    let bad = dulae(dir.path(), &["terms", "set", "1/2570", "--from", "31/2/2570", "--to", "1/10/2570"]);
    assert!(!bad.status.success());
    assert!(out(&bad).contains("--from") && !out(&bad).contains("panicked"), "{}", out(&bad));

    let stats = dulae(dir.path(), &["stats", "--term", "2/2569"]);
    assert!(stats.status.success(), "{}", out(&stats));
    assert!(out(&stats).contains("ป.1/1") && out(&stats).contains("ทั้งโรงเรียน · นักเรียน 2 คน"), "{}", out(&stats));

    let file = dir.path().join("report.xlsx");
    let export = dulae(dir.path(), &["export", "--out", file.to_str().unwrap(), "--term", "2/2569"]);
    assert!(export.status.success(), "{}", out(&export));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");
    let bad_term = dulae(dir.path(), &["export", "--out", file.to_str().unwrap(), "--term", "3/2569"]);
    assert!(!bad_term.status.success());
    assert!(out(&bad_term).contains("2/2569"), "explains the form of a term: {}", out(&bad_term));
}
