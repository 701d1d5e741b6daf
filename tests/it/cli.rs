//! The `dulae` command as an admin uses it, run as a real process on a temporary database.

use crate::common::cli::{dulae, stderr, stdout};
use std::process::Command;

#[test]
fn running_without_a_token_explains_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dulae(dir.path(), &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("@BotFather") && err.contains("TELOXIDE_TOKEN"), "{err}");
    assert!(err.contains("โทเค็น"), "Thai first: {err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
}

#[test]
fn import_invite_users_revoke_backup() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "\u{feff}student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.๔/๑\n2,ด.ญ.,ค,ง,ป.4/1\n",
    )
    .unwrap();
    let out = dulae(dir.path(), &["import", "students", "roster.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The database first, then the summary in Thai (the CLI's default language).
    let first = stdout(&out).lines().next().unwrap_or_default().to_string();
    assert_eq!(first, format!("ฐานข้อมูล: {}", dir.path().join("school.db").display()));
    assert!(stdout(&out).contains("เพิ่ม 2 คน ปรับปรุง 0 คน ไม่เปลี่ยนแปลง 0 คน"), "{}", stdout(&out));

    let out = dulae(dir.path(), &["invite", "teacher", "--class", "ป.4/1", "--name", "ครูสมศรี"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // No token and no username: the code and the /start line to type.
    let printed = stdout(&out);
    let line = printed.lines().nth(1).unwrap_or_default();
    assert!(line.starts_with("/start "), "{printed}");
    assert!(
        stderr(&out).contains("ลิงก์เชิญครูประจำชั้น (ครูที่ปรึกษา) ครูสมศรี ชั้น ป.4/1"),
        "with the person's name: {}",
        stderr(&out)
    );
    assert!(line.trim().len() > "/start ".len() + 20);

    let out = dulae(dir.path(), &["invite", "parents", "--class", "ป.4/1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1 + 2 * 2, "the database + two guardians per student");
    assert!(stdout(&out).contains("ด.ช.ก ข  ผู้ปกครองคนที่ 1"), "the child's name, as text: {}", stdout(&out));

    let out = dulae(dir.path(), &["users"]);
    assert!(stdout(&out).contains("ยังไม่มีผู้ใช้"), "{}", stdout(&out));
    let out = dulae(dir.path(), &["revoke", "@nobody"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("ไม่พบบุคคล \"@nobody\""), "{}", stderr(&out));

    let out = dulae(dir.path(), &["backup", "copy.db"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("copy.db").exists());
    let out = dulae(dir.path(), &["migrate"]);
    assert!(stdout(&out).contains("โครงสร้างฐานข้อมูลรุ่นที่"), "{}", stdout(&out));
}

#[test]
fn a_broken_roster_names_every_bad_line_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.csv"),
        "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.4/1\n2,xx,ค,ง,ป.4/1\n3,ด.ช.,จ,ฉ,ป.8/1\n",
    )
    .unwrap();
    let out = dulae(dir.path(), &["import", "students", "bad.csv"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("บรรทัด 3 คอลัมน์ prefix") && err.contains("บรรทัด 4 คอลัมน์ class"), "{err}");
    assert!(err.contains("\"ป.8/1\" ไม่ใช่ชื่อชั้น"), "values as text: {err}");
    assert!(err.contains("ไม่ได้นำเข้าข้อมูลใด ๆ"), "{err}");
    let out = dulae(dir.path(), &["users"]);
    assert!(out.status.success(), "the import made the (empty) database: {}", stderr(&out));
}

#[test]
fn a_teacher_invite_needs_a_valid_class() {
    let dir = tempfile::tempdir().unwrap();
    assert!(dulae(dir.path(), &["migrate"]).status.success());
    let out = dulae(dir.path(), &["invite", "teacher", "--class", "ป.9/1"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("ป.9/1"), "{}", stderr(&out));
}

#[test]
fn forms_check_passes_the_shipped_forms_and_names_problems_in_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dulae(dir.path(), &["forms", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok: forms/screening.toml"), "{}", stdout(&out));

    let broken = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/forms/broken");
    let out = dulae(dir.path(), &["forms", "check", broken]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("many.toml: question \""), "names the file and the question: {err}");
    assert!(err.contains("problem(s) in the form files"), "{err}");
}

#[test]
fn a_broken_forms_folder_refuses_to_start_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let broken = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/forms/broken");
    let out = Command::new(env!("CARGO_BIN_EXE_dulae"))
        .current_dir(dir.path())
        .env_clear()
        .env("DULAE_DB", dir.path().join("school.db"))
        .env("DULAE_FORMS_DIR", broken)
        // A token, so the bot would start; it must stop at the forms, before any network call.
        .env("TELOXIDE_TOKEN", "123:not-a-real-token")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("will not start until they are fixed") && err.contains("many.toml"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_demo_screens_a_student_in_the_terminal() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dulae"))
        .arg("demo")
        .current_dir(dir.path())
        .env_clear()
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Press the first student, type a whole-number GPA (an answer, never button 3), then a button that is not
    // there.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all("#1\n3\n#99\n".as_bytes()).unwrap();
    stdin.write_all("/quit\n".as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("คัดกรองแล้ว 0/4") && text.contains("ข้อ 2/"), "{text}");
    assert!(text.contains("ทดลองใช้ดูแล") && text.contains("#2"), "the intro is in Thai: {text}");
    assert!(text.contains("ไม่มีปุ่มหมายเลข 99"), "{text}");
    assert!(!text.contains("ข้อ 3/"), "3 was the GPA, not a press: {text}");
}

#[test]
fn the_school_year_tasks_can_be_listed_added_and_disabled() {
    let dir = tempfile::tempdir().unwrap();
    assert!(dulae(dir.path(), &["migrate"]).status.success());
    let out = dulae(dir.path(), &["tasks", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("โครงสร้าง") && stdout(&out).lines().count() == 1 + 5, "{}", stdout(&out));
    let out = dulae(dir.path(), &["tasks", "add", "--month", "5", "--day", "10", "--title", "ประชุมผู้ปกครองต้นปี"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = dulae(dir.path(), &["tasks", "disable", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&dulae(dir.path(), &["tasks", "list"]));
    assert!(listed.contains("ประชุมผู้ปกครองต้นปี") && listed.contains("off"), "{listed}");
    assert!(!dulae(dir.path(), &["tasks", "add", "--month", "13", "--title", "x"]).status.success());
    assert!(!dulae(dir.path(), &["tasks", "disable", "999"]).status.success());
}
