//! The exported workbook, read back with calamine: sheets, Thai headers, values, dates in the Buddhist Era,
//! map links; `/export` in the chat; and a LibreOffice conversion when LibreOffice is installed.

use crate::common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use dulae::conversation::Reply;
use dulae::reports::xlsx::*;
use dulae::reports::{Requester, export_audited};
use std::io::Cursor;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable .xlsx")
}

/// A sheet as rows of strings (numbers printed without a trailing .0).
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    // A real date cell: shown as Excel shows it with the sheet's Buddhist-Era format.
                    Data::DateTime(d) => {
                        let serial = d.as_f64();
                        let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                            + chrono::Duration::days(serial.floor() as i64);
                        let minutes = (serial.fract() * 24.0 * 60.0).round() as i64;
                        let date = dulae::l10n::thai_date::format_short_th(day);
                        if minutes == 0 { date } else { format!("{date} {:02}:{:02}", minutes / 60, minutes % 60) }
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

fn export_for_cli(s: &School) -> Vec<u8> {
    let (_, bytes) = export_audited(&s.app.store, &s.app.forms, Requester::Cli, None, start_time(), today())
        .unwrap()
        .expect("the CLI sees the school");
    bytes
}

#[test]
fn the_workbook_has_the_sheets_headers_and_values() {
    let s = report_school();
    let bytes = export_for_cli(&s);
    let mut book = workbook(&bytes);
    assert_eq!(
        book.sheet_names(),
        [
            SHEET_SUMMARY,
            SHEET_STUDENTS,
            SHEET_SCREENING,
            SHEET_VISITS,
            SHEET_HOUSEHOLD,
            SHEET_CASES,
            SHEET_CHRONOLOGY,
            SHEET_ACTIONS
        ]
    );

    // Summary: a row per class and the school, with the statistics.
    let summary = rows(&mut book, SHEET_SUMMARY);
    let h = &summary[0];
    assert_eq!(&h[..4], ["ชั้น", "นักเรียน (คน)", "คัดกรองแล้ว (คน)", "คัดกรองแล้ว (%)"]);
    assert!(h.contains(&"ด้านการเรียน: เสี่ยง".to_string()), "{h:?}");
    let school = summary.iter().find(|r| r[0] == "ทั้งโรงเรียน").expect("a school row");
    assert_eq!(school[col(h, "นักเรียน (คน)")], "8");
    assert_eq!(school[col(h, "คัดกรองแล้ว (คน)")], "6");
    assert_eq!(school[col(h, "คัดกรองแล้ว (%)")], "75");
    // Home visits count in the school year: the term-1 visit of 20005 counts in term 2 too.
    assert_eq!(school[col(h, "เยี่ยมบ้านแล้ว (คน)")], "4");
    assert_eq!(school[col(h, "ด้านการเรียน: มีปัญหา")], "2");
    let p41 = summary.iter().find(|r| r[0] == "ป.4/1").expect("ป.4/1");
    assert_eq!(p41[col(h, "นักเรียน (คน)")], "3");
    assert!(summary.iter().any(|r| r.first().is_some_and(|c| c == "ภาคเรียน") && r[1] == "2/2569"));
    assert!(summary.iter().any(|r| r.first().is_some_and(|c| c == "ปีการศึกษา") && r[1] == "2569"));
    assert!(summary.iter().any(|r| r.first().is_some_and(|c| c == "ตั้งแต่") && r[1] == "1 พ.ย. 2569"));

    // Students, the one who moved out marked so; birth dates in the Buddhist Era.
    let students = rows(&mut book, SHEET_STUDENTS);
    assert_eq!(students[0][0], "เลขประจำตัว");
    assert_eq!(students.len(), 1 + 9);
    let kit = students.iter().find(|r| r[0] == "20001").unwrap();
    assert_eq!(kit[col(&students[0], "วันเกิด")], "12 พ.ค. 2559");
    assert_eq!(kit[col(&students[0], "ชั้น")], "ป.4/1");
    // Dates are real dates (they sort and filter), shown in the Buddhist Era by the cell's format.
    let range = book.worksheet_range(SHEET_STUDENTS).unwrap();
    let birth_col = col(&students[0], "วันเกิด");
    assert!(range.rows().any(|r| matches!(r[birth_col], Data::DateTime(_))), "birth dates are date cells");
    let styles = unzip_text(&bytes, "xl/styles.xml");
    assert!(styles.contains("[$-0107041E]d mmm yyyy"), "a Buddhist-Era date format: {styles}");
    let moved = students.iter().find(|r| r[0] == "20009").unwrap();
    assert_eq!(moved[col(&students[0], "สถานะ")], "ย้ายออก");

    // Screening: the latest per student this term, one column per aspect.
    let screening = rows(&mut book, SHEET_SCREENING);
    let sh = &screening[0];
    for name in ["ผลโดยรวม", "ด้านการเรียน", "ด้านสุขภาพ", "ความสามารถพิเศษ", "นักเรียนที่มีความต้องการพิเศษ"]
    {
        col(sh, name);
    }
    let kit = screening.iter().filter(|r| r[0] == "20001").collect::<Vec<_>>();
    assert_eq!(kit.len(), 1, "one row per student: the latest screening");
    assert_eq!(kit[0][col(sh, "ด้านการเรียน")], "ปกติ");
    assert_eq!(kit[0][col(sh, "ความสามารถพิเศษ")], "มี");
    assert_eq!(kit[0][col(sh, "วันที่คัดกรอง")], "10 พ.ย. 2569");
    let khwan = screening.iter().find(|r| r[0] == "20002").unwrap();
    assert_eq!(khwan[col(sh, "ผลโดยรวม")], "มีปัญหา");
    assert!(!screening.iter().any(|r| r[0] == "20003"), "screened last term only");

    // Home visits with a map link.
    let visits = rows(&mut book, SHEET_VISITS);
    let vh = &visits[0];
    assert_eq!(visits.len(), 1 + 5, "every visit this school year (the home visit's period)");
    col(vh, "แผนที่");
    assert_eq!(visits[1][col(vh, "วันที่เยี่ยมบ้าน")], "5 พ.ย. 2569");
    assert_eq!(visits[1][col(vh, "ละติจูด")], "6.5432");
    let range = book.worksheet_range(SHEET_VISITS).unwrap();
    let _ = range;
    // The link itself (calamine reads the text; the target is in the sheet's relationships).
    let xml = unzip_text(&bytes, "xl/worksheets/_rels/sheet4.xml.rels");
    assert!(xml.contains("https://www.google.com/maps/search/?api=1&amp;query=6.543200,101.234500"), "{xml}");

    // Cases, chronology and plan actions: headers even without rows.
    for (sheet, first) in [(SHEET_CASES, "เรื่องที่"), (SHEET_CHRONOLOGY, "เรื่องที่"), (SHEET_ACTIONS, "เรื่องที่")]
    {
        let r = rows(&mut book, sheet);
        assert_eq!(r[0][0], first, "{sheet}");
    }
    // Frozen header and filters on every sheet.
    for n in 1..=8 {
        let sheet = unzip_text(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(sheet.contains(r#"<pane ySplit="1""#) && sheet.contains("state=\"frozen\""), "sheet{n}: frozen header");
        assert!(sheet.contains("<autoFilter"), "sheet{n}: filter");
    }
}

/// A file inside the .xlsx (a zip), as text.
fn unzip_text(xlsx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx.to_vec())).expect("a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8");
    text
}

#[test]
fn cases_appear_with_their_chronology_and_plan_actions() {
    let s = report_school();
    let student = student_id(&s, "20002").0;
    s.app
        .store
        .write(|tx| {
            let at = dulae::store::instant(seed_instant(3));
            tx.execute(
                "INSERT INTO cases (student_id, opened_by, owner_id, urgency, status, reason, opened_at, accept_by)
                 VALUES (?1, 1, 3, 'urgent', 'in_progress', 'ขาดเรียนบ่อย', ?2, ?2)",
                rusqlite::params![student, at],
            )?;
            let case = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?1, ?2, 3, 'accepted', 'รับเรื่อง')",
                rusqlite::params![case, at],
            )?;
            tx.execute(
                "INSERT INTO plan_actions (case_id, description, owner_id, due_on, status, created_at, created_by)
                 VALUES (?1, 'เยี่ยมบ้านซ้ำ', 1, '2026-11-20', 'open', ?2, 3)",
                rusqlite::params![case, at],
            )?;
            Ok(())
        })
        .unwrap();
    let bytes = export_for_cli(&s);
    let mut book = workbook(&bytes);
    let cases = rows(&mut book, SHEET_CASES);
    assert_eq!(cases.len(), 2, "{cases:?}");
    assert_eq!(cases[1][col(&cases[0], "ความเร่งด่วน")], "ด่วน");
    assert_eq!(cases[1][col(&cases[0], "ชื่อ-สกุล")], "ด.ญ.ขวัญ รักเรียน");
    assert_eq!(cases[1][col(&cases[0], "เปิดเรื่องเมื่อ")], "4 พ.ย. 2569 10:00");
    let events = rows(&mut book, SHEET_CHRONOLOGY);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1][col(&events[0], "รายละเอียด")], "รับเรื่อง");
    assert_eq!(events[1][col(&events[0], "ประเภท")], "รับเรื่อง", "the kind of entry in Thai, not 'accepted'");
    let actions = rows(&mut book, SHEET_ACTIONS);
    assert_eq!(actions[1][col(&actions[0], "กำหนดส่ง")], "20 พ.ย. 2569");
    assert_eq!(actions[1][col(&actions[0], "เลยกำหนด")], "เลยกำหนด");
}

#[test]
fn export_in_the_chat_sends_the_file_and_is_audited() {
    let s = report_school();
    let replies = say(&s, &person(501, "ครูสมศรี"), command("export", ""));
    let (name, bytes, caption) = replies
        .iter()
        .find_map(|r| match r {
            Reply::Document { file_name, bytes, caption } => Some((file_name.clone(), bytes.clone(), caption.clone())),
            _ => None,
        })
        .expect("a document");
    assert_eq!(name, "dulae-report-2-2569.xlsx");
    assert!(caption.contains("2/2569"), "{caption}");
    let mut book = workbook(&bytes);
    // A teacher's file holds their own class only.
    let students = rows(&mut book, SHEET_STUDENTS);
    assert!(students.len() > 1, "the teacher's own students are in the file: {students:?}");
    assert!(students.iter().skip(1).all(|r| r[col(&students[0], "ชั้น")] == "ป.4/1"), "{students:?}");
    let summary = rows(&mut book, SHEET_SUMMARY);
    assert!(summary.iter().any(|r| r[0] == "รวม"));
    assert!(!summary.iter().any(|r| r[0] == "ป.4/2"));
    let audits: i64 = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log WHERE action = 'report.export'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(audits, 1);
    // The administrator cannot export care data.
    let admin = texts(&say(&s, &person(504, "ครูไอที"), command("export", "")));
    assert!(!admin.contains("2/2569"), "{admin}");
}

/// LibreOffice is too large to install on every CI run, so this check is opt-in and says so in the test
/// report ("ignored"), never passes without LibreOffice: `cargo test --test it -- --ignored libreoffice`.
#[test]
#[ignore = "needs LibreOffice (soffice) on PATH: cargo test --test it -- --ignored libreoffice"]
fn libreoffice_converts_the_workbook() {
    let office = ["soffice", "libreoffice"].into_iter().find(|bin| {
        std::process::Command::new(bin)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    let office = office.expect("LibreOffice (soffice or libreoffice) must be on PATH for this test");
    let s = report_school();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xlsx");
    std::fs::write(&file, export_for_cli(&s)).unwrap();
    let status = std::process::Command::new(office)
        // Filter options 44,34,76: comma, double quote, UTF-8 (the default character set would turn Thai into "?").
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .env("HOME", dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "LibreOffice could not convert the workbook");
    let csv = std::fs::read_to_string(dir.path().join("report.csv")).unwrap();
    assert!(csv.contains("ทั้งโรงเรียน"), "{csv}");
}

#[test]
fn household_members_numbers_and_thai_labels() {
    let s = report_school();
    let student = student_id(&s, "20001");
    let teacher = s
        .app
        .store
        .read(|c| dulae::store::users::find_by_telegram(c, dulae::domain::TelegramId(501)))
        .unwrap()
        .unwrap()
        .id;
    let answers = r#"{"members":{"type":"repeat","value":[
        {"member_relation":{"type":"choice","value":"mother"},"member_age":{"type":"integer","value":38},"member_job":{"type":"choice","value":"trade"}},
        {"member_relation":{"type":"choice","value":"other"},"member_relation_other":{"type":"text","value":"น้าสาว"},"member_age":{"type":"integer","value":25}}
    ]},"distance_km":{"type":"decimal","value":4.5}}"#;
    s.app
        .store
        .write(|tx| {
            dulae::store::forms::insert_submission(
                tx,
                &dulae::store::forms::NewSubmission {
                    form_id: "home_visit",
                    form_version: 2,
                    form_kind: "home_visit",
                    student,
                    term: "2/2569",
                    answers_json: answers,
                    score_json: None,
                    overall_group: None,
                    submitted_by: teacher,
                    submitted_at: seed_instant(20),
                },
            )
        })
        .unwrap();
    let bytes = export_for_cli(&s);
    let mut book = workbook(&bytes);

    // One row per member, with the member's answers; the age is a number.
    let members = rows(&mut book, SHEET_HOUSEHOLD);
    let h = &members[0];
    assert_eq!(&h[..5], ["เลขประจำตัว", "ชื่อ-สกุล", "ชั้น", "วันที่เยี่ยมบ้าน", "คนที่"]);
    assert_eq!(members.len(), 1 + 2, "{members:?}");
    assert_eq!(members[1][col(h, "เกี่ยวข้องกับนักเรียนอย่างไร")], "แม่");
    assert_eq!(members[2][col(h, "โปรดระบุว่าเกี่ยวข้องกับนักเรียนอย่างไร")], "น้าสาว");
    let range = book.worksheet_range(SHEET_HOUSEHOLD).unwrap();
    let age = col(h, "อายุ (ปี)");
    assert!(range.rows().skip(1).all(|r| matches!(r[age], Data::Float(_) | Data::Int(_))), "ages are numbers");
    assert_eq!(members[1][age], "38");

    // A decimal answer on the visits sheet is a number too.
    let range = book.worksheet_range(SHEET_VISITS).unwrap();
    let visits = rows(&mut book, SHEET_VISITS);
    let distance = col(&visits[0], "ระยะทางจากบ้านถึงโรงเรียน (กม.)");
    assert!(range.rows().any(|r| r[distance] == Data::Float(4.5)), "{visits:?}");

    // Gender in Thai.
    let students = rows(&mut book, SHEET_STUDENTS);
    let gender = col(&students[0], "เพศ");
    assert!(
        students.iter().skip(1).all(|r| r[gender].is_empty() || r[gender] == "ชาย" || r[gender] == "หญิง"),
        "{students:?}"
    );
}

/// Issue 14, point 3: the export reads in a snapshot on a connection of its own (`Store::snapshot`), so while
/// it is reading, a handler — which writes through the store's one lock — still completes, and the export keeps
/// seeing the database as it was when it began.
#[test]
fn a_handler_completes_while_an_export_is_reading() {
    let dir = tempfile::tempdir().unwrap();
    let store = dulae::store::Store::open(&dir.path().join("school.db")).unwrap();
    assert_eq!(store.journal_mode().unwrap(), "wal");
    let clock = std::sync::Arc::new(dulae::clock::FixedClock::new(start_time()));
    let app = dulae::app::App::with_clock(store, test_config(), clock).unwrap();
    dulae::roster::import(&app.store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    let term = dulae::domain::Term::parse("2/2569").unwrap();
    let (from, to) =
        (chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap());

    let (seen_before, seen_after, replies) = app
        .store
        .snapshot(|snap| {
            // The export's first reads: the snapshot begins here.
            let dates = dulae::store::terms::current_dates(snap, today())?;
            let stats = dulae::reports::stats::for_school(snap, dates, today())?;
            assert_eq!(stats.total.students, 3);
            let seen_before = dulae::store::terms::list(snap)?.len();
            // Meanwhile a person writes to the bot, and a term is recorded: both go through the store's lock.
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::scope(|scope| {
                scope.spawn(|| {
                    let replies = conversation_help(&app);
                    let recorded = app.store.write(|tx| dulae::store::terms::set(tx, term, from, to, start_time()));
                    let _ = done.send((replies, recorded));
                });
                let (replies, recorded) = finished
                    .recv_timeout(std::time::Duration::from_secs(60))
                    .expect("the handler completes while the export is reading");
                recorded.expect("the term is recorded");
                let seen_after = dulae::store::terms::list(snap)?.len();
                Ok((seen_before, seen_after, replies))
            })
        })
        .unwrap();
    assert!(!replies.is_empty(), "the handler answered");
    // One read transaction: the export saw none of what was written while it read…
    assert_eq!((seen_before, seen_after), (0, 0));
    // …and the write is there for everyone after.
    assert_eq!(app.store.read(dulae::store::terms::list).unwrap().len(), 1);
}

fn conversation_help(app: &dulae::app::App) -> Vec<Reply> {
    let someone = person(4242, "ผู้ปกครองท่านหนึ่ง");
    dulae::conversation::handle(app, &private(&someone, command("help", ""))).expect("the handler answers")
}
