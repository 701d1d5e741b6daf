//! Importing the roster CSV.

use crate::common;

use dulae::roster::{self, ImportError, ImportReport};
use dulae::store::audit::Actor;
use dulae::store::{Store, students};

fn import(store: &Store, csv: &str, archive: bool) -> Result<ImportReport, ImportError> {
    roster::import(store, csv.as_bytes(), archive, Actor::Cli, common::start_time())
}

fn count(store: &Store) -> i64 {
    store.read(|c| Ok(c.query_row("SELECT count(*) FROM students", [], |r| r.get(0))?)).unwrap()
}

#[test]
fn imports_a_good_file() {
    let store = Store::open_in_memory().unwrap();
    let report = import(&store, common::ROSTER, false).unwrap();
    assert_eq!(report, ImportReport { added: 3, updated: 0, unchanged: 0, archived: 0 });
    let s = store.read(|c| students::find_student_by_code(c, "10001")).unwrap().unwrap();
    assert_eq!(s.full_name(), "ด.ช.สมชาย ใจดี");
    assert_eq!(s.class_name, "ป.4/1");
    let (birth, phone): (String, String) = store
        .read(|c| {
            Ok(c.query_row("SELECT birth_date, parent_phone FROM students WHERE student_code = '10001'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .unwrap();
    assert_eq!(birth, "2016-05-12", "Buddhist-era birth date stored as a Common Era date");
    assert_eq!(phone, "0812345678");
    let classes: Vec<String> = store.read(students::list_classes).unwrap().iter().map(|c| c.name.to_string()).collect();
    assert_eq!(classes, ["ป.4/1", "ป.4/2"]);
}

#[test]
fn accepts_excels_bom_and_columns_in_any_order() {
    let store = Store::open_in_memory().unwrap();
    let csv = "\u{feff}class,last_name,first_name,prefix,student_id\r\nป.4/1,ใจดี,สมชาย,ด.ช.,10001\r\n";
    assert_eq!(import(&store, csv, false).unwrap().added, 1);
}

#[test]
fn normalises_thai_digits_and_spacing_in_classes() {
    let store = Store::open_in_memory().unwrap();
    let csv =
        "student_id,prefix,first_name,last_name,class\n๑๐๐๐๑,ด.ช.,สมชาย,ใจดี,ป. ๔ / ๑\n10002,ด.ญ.,สมหญิง,รักเรียน,ป.4/1\n";
    assert_eq!(import(&store, csv, false).unwrap().added, 2);
    let classes = store.read(students::list_classes).unwrap();
    assert_eq!(classes.len(), 1, "ป. ๔ / ๑ and ป.4/1 are one class");
    assert!(store.read(|c| students::find_student_by_code(c, "10001")).unwrap().is_some());
}

#[test]
fn three_bad_lines_are_all_reported_and_nothing_is_written() {
    let store = Store::open_in_memory().unwrap();
    let csv = "\
student_id,prefix,first_name,last_name,class
10001,ด.ช.,สมชาย,ใจดี,ป.4/1
10002,คุณ,สมหญิง,รักเรียน,ป.4/1
10003,ด.ช.,มานะ,ขยันยิ่ง,ป.9/1
10004,ด.ญ.,,ดีใจ,ป.4/1
10005,ด.ญ.,มาลี,สวยงาม,ป.4/1
";
    let Err(ImportError::Invalid(errors)) = import(&store, csv, false) else { panic!("must fail") };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(found, [(3, "prefix"), (4, "class"), (5, "first_name")]);
    assert!(errors[0].to_string().starts_with("line 3, column prefix:"), "{}", errors[0]);
    assert_eq!(count(&store), 0, "one bad line means nothing is imported");
    assert_eq!(store.read(students::list_classes).unwrap().len(), 0);
}

#[test]
fn reimport_updates_by_student_id_and_counts_unchanged() {
    let store = Store::open_in_memory().unwrap();
    import(&store, common::ROSTER, false).unwrap();
    let changed = common::ROSTER.replace("10002,ด.ญ.,สมหญิง,รักเรียน,ป.4/1", "10002,ด.ญ.,สมหญิง,รักเรียน,ป.4/2");
    let report = import(&store, &changed, false).unwrap();
    assert_eq!(report, ImportReport { added: 0, updated: 1, unchanged: 2, archived: 0 });
    let s = store.read(|c| students::find_student_by_code(c, "10002")).unwrap().unwrap();
    assert_eq!(s.class_name, "ป.4/2");
    assert_eq!(count(&store), 3);
}

#[test]
fn a_missing_student_stays_unless_archive_missing_is_asked() {
    let store = Store::open_in_memory().unwrap();
    import(&store, common::ROSTER, false).unwrap();
    let only_one = "student_id,prefix,first_name,last_name,class\n10001,ด.ช.,สมชาย,ใจดี,ป.4/1\n";
    import(&store, only_one, false).unwrap();
    assert_eq!(store.read(students::count_active_students).unwrap(), 3);
    let report = import(&store, only_one, true).unwrap();
    // Only ป.4/1 was in the file: 10002 is archived, 10003 (ป.4/2) is untouched.
    assert_eq!(report.archived, 1);
    assert_eq!(store.read(students::count_active_students).unwrap(), 2);
    assert!(store.read(|c| students::find_student_by_code(c, "10002")).unwrap().unwrap().archived);
    assert_eq!(count(&store), 3, "archived, never deleted");
}

#[test]
fn reports_structural_problems() {
    let store = Store::open_in_memory().unwrap();
    let Err(ImportError::Invalid(errors)) = import(&store, "student_id,first_name\n1,ก\n", false) else { panic!() };
    let missing: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(missing, ["prefix", "last_name", "class"]);
    assert!(errors.iter().all(|e| e.line == 1));

    let Err(ImportError::Invalid(errors)) = import(&store, "", false) else { panic!() };
    assert!(errors[0].problem.contains("empty"));

    let dup = "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.1/1\n1,ด.ช.,ค,ง,ป.1/1\n2,ด.ช.,ค\n";
    let Err(ImportError::Invalid(errors)) = import(&store, dup, false) else { panic!() };
    assert_eq!(errors.len(), 2);
    assert!(errors[0].problem.contains("line 2"), "{}", errors[0]);
    assert_eq!(errors[1].line, 4);
    assert_eq!(count(&store), 0);
}

#[test]
fn a_file_saved_in_the_old_thai_windows_encoding_is_explained() {
    let store = Store::open_in_memory().unwrap();
    // "ก" in TIS-620 / Windows-874 is the single byte 0xA1.
    let mut bytes = b"student_id,prefix,first_name,last_name,class\n1,".to_vec();
    bytes.extend_from_slice(&[0xA1]);
    bytes.extend_from_slice(b",x,y,P.1/1\n");
    let Err(ImportError::Invalid(errors)) = roster::import(&store, &bytes, false, Actor::Cli, common::start_time())
    else {
        panic!()
    };
    assert!(errors[0].problem.contains("UTF-8"), "{}", errors[0]);
    assert_eq!((errors[0].line, errors[0].column.as_str()), (2, "prefix"));
}

#[test]
fn line_numbers_are_right_in_an_excel_file_with_crlf_and_a_bom() {
    let store = Store::open_in_memory().unwrap();
    let lf = "\u{feff}student_id,prefix,first_name,last_name,class\n10001,ด.ช.,สมชาย,ใจดี,ป.4/1\n10002,คุณ,สมหญิง,รักเรียน,ป.4/1\n10003,ด.ช.,มานะ,ขยันยิ่ง,ป.9/1\n";
    let crlf = lf.replace('\n', "\r\n");
    for csv in [lf, crlf.as_str()] {
        let Err(ImportError::Invalid(errors)) = import(&store, csv, false) else { panic!("must fail") };
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(3, "prefix"), (4, "class")], "{csv:?}");
    }
}
