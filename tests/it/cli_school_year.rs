//! `dulae staff …` and `dulae year …` as the admin runs them: a real process on a temporary database.

use crate::common::cli::{dulae, out};

#[test]
fn staff_commands_speak_thai_and_refuse_clearly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("roster.csv"),
        "\u{feff}student_id,prefix,first_name,last_name,class\r\n1,ด.ช.,ก,ข,ป.4/1\r\n2,ด.ญ.,ค,ง,ป.4/2\r\n",
    )
    .unwrap();
    assert!(dulae(dir.path(), &["import", "students", "roster.csv"]).status.success());
    let o = dulae(dir.path(), &["staff", "list"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("ยังไม่มีบุคลากร"), "{}", out(&o));
    for args in [
        &["staff", "assign", "@nobody", "--class", "ป.4/1"][..],
        &["staff", "unassign", "tg:42"][..],
        &["staff", "revoke", "7"][..],
        &["revoke", "@nobody"][..],
        &["staff", "reinstate", "@nobody"][..],
    ] {
        let o = dulae(dir.path(), args);
        assert!(!o.status.success(), "{args:?}");
        assert!(out(&o).contains("ไม่พบบุคคล"), "{args:?}: {}", out(&o));
        assert!(!out(&o).contains("panicked"), "{}", out(&o));
    }
    let o = dulae(dir.path(), &["staff", "assign", "1", "--class", "ป.9/1"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("ป.9/1"), "{}", out(&o));
    // `staff assign` needs at least one class.
    assert!(!dulae(dir.path(), &["staff", "assign", "1"]).status.success());
}

#[test]
fn year_start_refuses_a_year_half_over_and_a_broken_roster_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.csv"), "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.4/1\n")
        .unwrap();
    assert!(dulae(dir.path(), &["import", "students", "roster.csv"]).status.success());
    // 2568 is long over, whatever today's date: refused, nothing changed.
    let o = dulae(dir.path(), &["year", "start", "2568", "--roster", "roster.csv", "--check"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("ไม่มีการเปลี่ยนแปลง"), "{}", out(&o));
    let o = dulae(dir.path(), &["year", "start", "2027", "--roster", "roster.csv"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("ปี พ.ศ."), "{}", out(&o));
    std::fs::write(dir.path().join("bad.csv"), "student_id,prefix,first_name,last_name,class\r\n1,xx,ก,ข,ป.4/1\r\n")
        .unwrap();
    let o = dulae(dir.path(), &["year", "start", "2571", "--roster", "bad.csv"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("line 2, column prefix"), "{}", out(&o));
    let o = dulae(dir.path(), &["year", "list"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("ยังไม่เคยขึ้นปีการศึกษา"), "{}", out(&o));
}
