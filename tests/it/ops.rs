//! Running for a year without an engineer (issue 10), below the transport: photos that belong to a record only,
//! the admin's /status, backups and the restore drill, PDPA export and erasure.

use crate::common;

use common::*;
use dulae::conversation::{Event, Reply};
use dulae::domain::Role;
use dulae::ops::{backups, media, pdpa};
use dulae::store::Store;
use std::io::Read as _;

fn count(store: &Store, sql: &str) -> i64 {
    store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
}

fn teacher_of<'s>(s: &'s School, id: i64, classes: &[&str]) -> Person<'s> {
    s.person(id, "ครูสมศรี").join_as(Role::Teacher, classes)
}

fn open_student(s: &School, who: &dulae::conversation::Sender, cmd: &str, name: &str) -> Vec<Reply> {
    let list = say(s, who, command(cmd, ""));
    say(s, who, press(&button_data(&list, name), 1))
}

fn photo(n: u32) -> Event {
    Event::Photo { file_id: format!("photo-{n}"), file_unique_id: format!("u{n}") }
}

#[test]
fn a_refused_photo_is_neither_stored_nor_downloaded() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let first = open_student(&s, &teacher, "screen", "สมชาย");
    assert!(texts(&first).contains("ข้อ 1/"));
    // The screening's first question wants a number: the photo is refused…
    let replies = say(&s, &teacher, photo(1));
    assert!(texts(&replies).contains("ข้อ 1/"), "{}", texts(&replies));
    // …and nothing of it is kept, so the fetcher never downloads it.
    assert_eq!(count(&s.app.store, "SELECT count(*) FROM photos"), 0);
}

/// Walk a home visit up to its photo question, send `photos` photos, and return the last replies.
fn visit_with_photos(s: &School, teacher: &dulae::conversation::Sender, photos: u32) -> Vec<Reply> {
    let mut last = open_student(s, teacher, "visit", "สมชาย");
    let answers = std::collections::HashMap::new();
    let mut sent = 0;
    for _ in 0..150 {
        let shown = texts(&last);
        let event = if last.iter().any(|r| matches!(r, Reply::AskLocation { .. })) {
            Event::Location { latitude: 6.4, longitude: 101.8 }
        } else if shown.contains("ส่งรูป") && sent < photos {
            sent += 1;
            photo(sent)
        } else if shown.contains("ส่งรูป") {
            return last;
        } else {
            match next_action(&last, &answers) {
                Some(e) => e,
                None => return last,
            }
        };
        last = say(s, teacher, event);
    }
    last
}

#[test]
fn cancelling_a_visit_deletes_its_photos_rows_and_files() {
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let last = visit_with_photos(&s, &teacher, 2);
    assert_eq!(count(&s.app.store, "SELECT count(*) FROM photos"), 2, "kept as answers: {}", texts(&last));
    // One was downloaded already.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u1.jpg");
    std::fs::write(&file, b"jpeg").unwrap();
    let now = s.clock.now_utc();
    s.app
        .store
        .write(|tx| dulae::store::photos::mark_fetched(tx, "photo-1", &file.display().to_string(), now))
        .unwrap();

    let cancel = say(&s, &teacher, press(&button_data(&last, "ยกเลิก"), 1));
    let done = say(&s, &teacher, press(&button_data(&cancel, "ยกเลิกแบบฟอร์ม"), 1));
    assert!(texts(&done).contains("ยกเลิกแบบฟอร์มแล้ว"), "{}", texts(&done));
    assert_eq!(count(&s.app.store, "SELECT count(*) FROM photos"), 0, "rows deleted");
    assert_eq!(count(&s.app.store, "SELECT count(*) FROM form_drafts"), 0);
    assert!(!file.exists(), "the downloaded file is deleted too");
}

#[test]
fn the_sweep_removes_what_no_record_points_to_and_keeps_the_rest() {
    let s = School::with_roster();
    let dir = tempfile::tempdir().unwrap();
    let media_dir = dir.path().join("media");
    std::fs::create_dir(&media_dir).unwrap();
    let kept = media_dir.join("kept.jpg");
    let stray = media_dir.join("stray.jpg");
    let fresh = media_dir.join("fresh.jpg");
    for f in [&kept, &stray, &fresh] {
        std::fs::write(f, b"jpeg").unwrap();
    }
    // Two days old, except `fresh` (a download may be finishing).
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 24 * 3600);
    for f in [&kept, &stray] {
        std::fs::File::options().write(true).open(f).unwrap().set_modified(old).unwrap();
    }
    let long_ago = s.clock.now_utc() - chrono::Duration::days(3);
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let user: i64 = count(&s.app.store, "SELECT id FROM users LIMIT 1");
    s.app
        .store
        .write(|tx| {
            // A photo a submission names (kept), and one nothing names any more (a cancelled referral).
            tx.execute(
                "INSERT INTO photos (file_id, user_id, student_id, received_at, local_path) VALUES ('in-a-record', ?1, 1, ?2, ?3)",
                rusqlite::params![user, dulae::store::instant(long_ago), kept.display().to_string()],
            )?;
            tx.execute(
                "INSERT INTO photos (file_id, user_id, student_id, received_at) VALUES ('orphan', ?1, 1, ?2)",
                rusqlite::params![user, dulae::store::instant(long_ago)],
            )?;
            tx.execute(
                "INSERT INTO submissions (form_id, form_version, form_kind, student_id, term, answers, submitted_by, submitted_at)
                 VALUES ('home_visit', 1, 'home_visit', 1, '2/2569', '{\"p\":{\"type\":\"photos\",\"value\":[{\"file_id\":\"in-a-record\"}]}}', ?1, ?2)",
                rusqlite::params![user, dulae::store::instant(long_ago)],
            )?;
            Ok(())
        })
        .unwrap();
    let _ = teacher;
    let removed = media::sweep(&s.app.store, &media_dir).unwrap();
    assert_eq!(removed, 1, "only the stray file");
    assert!(kept.exists() && fresh.exists() && !stray.exists());
    let ids: Vec<String> = s
        .app
        .store
        .read(|c| {
            let mut stmt = c.prepare("SELECT file_id FROM photos")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap();
    assert_eq!(ids, ["in-a-record"]);
}

#[test]
fn the_admin_sees_the_status_without_personal_data_and_others_cannot() {
    let s = School::with_roster();
    let admin = s.person(1, "ครูไอที").join_as(Role::Admin, &[]);
    let replies = say(&s, &admin, command("status", ""));
    let shown = texts(&replies);
    assert!(shown.contains("สถานะระบบ"), "{shown}");
    assert!(shown.contains("ฐานข้อมูลสมบูรณ์"), "{shown}");
    assert!(shown.contains("โครงสร้างฐานข้อมูลเป็นรุ่นล่าสุด"), "{shown}");
    assert!(shown.contains("ข้อความรอส่ง"), "{shown}");
    for personal in ["สมชาย", "นางสมศรี", "081", "ครูไอที"] {
        assert!(!shown.contains(personal), "no personal data ({personal}): {shown}");
    }
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let replies = say(&s, &teacher, command("status", ""));
    assert!(!texts(&replies).contains("สถานะระบบ"), "{}", texts(&replies));
}

fn file_store(dir: &std::path::Path) -> (std::path::PathBuf, Store) {
    let path = dir.join("school.db");
    let store = Store::open(&path).unwrap();
    dulae::roster::import(&store, ROSTER.as_bytes(), false, dulae::store::audit::Actor::Cli, start_time()).unwrap();
    (path, store)
}

fn roster_rows(store: &Store) -> Vec<(String, String, Option<String>)> {
    store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT student_code, first_name, parent_phone FROM students ORDER BY student_code")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

#[test]
fn restore_drill_backup_damage_restore_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = file_store(dir.path());
    let before = roster_rows(&store);
    assert_eq!(before.len(), 3);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let backup_dir = dir.path().join("backups");
    let made = backups::daily(&db, &backup_dir, today).unwrap().expect("the first backup of the day");
    assert_eq!(made.file_name().unwrap(), "dulae-2026-11-26.db");
    assert!(backups::daily(&db, &backup_dir, today).unwrap().is_none(), "one a day");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&made).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&backup_dir).unwrap().permissions().mode() & 0o777, 0o700);
    }
    // Damage: rows lost and changed.
    store
        .write(|tx| {
            tx.execute("UPDATE students SET first_name = 'ผิด' WHERE student_code = '10001'", [])?;
            tx.execute("UPDATE students SET archived_at = 'x', parent_phone = NULL", [])?;
            Ok(())
        })
        .unwrap();
    drop(store);
    // The bot would refuse-to-restore while running: not running here.
    assert!(!backups::RunLock::is_held(&db));
    let kept = backups::restore(&db, &made).unwrap().expect("the damaged database is kept");
    assert!(kept.display().to_string().ends_with("school.db.before-restore"));
    let restored = Store::open(&db).unwrap();
    assert_eq!(roster_rows(&restored), before, "same rows as at the backup");
    assert_eq!(count(&restored, "SELECT count(*) FROM students WHERE archived_at IS NULL"), 3);
    let damaged = Store::open(&kept).unwrap();
    assert_eq!(count(&damaged, "SELECT count(*) FROM students WHERE first_name = 'ผิด'"), 1);
}

#[test]
fn restore_refuses_a_damaged_or_foreign_file_and_a_running_bot() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = file_store(dir.path());
    drop(store);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
    assert!(backups::restore(&db, &junk).is_err());
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let err = backups::restore(&db, &other).unwrap_err();
    assert!(format!("{err:#}").contains("not a Dulae database"), "{err:#}");
    // Nothing changed.
    assert_eq!(roster_rows(&Store::open(&db).unwrap()).len(), 3);
    // While the bot holds its lock, restore is refused (checked by the command).
    let lock = backups::RunLock::take(&db).unwrap();
    assert!(backups::RunLock::is_held(&db));
    assert!(backups::RunLock::take(&db).is_err(), "a second bot on the same database is refused");
    drop(lock);
    assert!(!backups::RunLock::is_held(&db));
}

#[test]
fn retention_removes_only_automatic_backups_beyond_the_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    for n in 0..400 {
        let date = last - chrono::Duration::days(n);
        std::fs::write(dir.path().join(backups::daily_name(date)), b"x").unwrap();
    }
    std::fs::write(dir.path().join("before-the-upgrade.db"), b"x").unwrap();
    let removed = backups::prune(dir.path()).unwrap();
    let left = backups::list(dir.path()).unwrap();
    assert_eq!(removed.len() + left.len(), 400);
    assert!(left.len() <= 7 + 4 + 12, "{}", left.len());
    assert!(left.len() >= 7 + 12 - 2, "{}", left.len());
    assert!(dir.path().join("before-the-upgrade.db").exists(), "a hand-made copy is never removed");
}

/// A school with a student who has a care record: a screening with a typed note, a visit photo on disk, a
/// case with a chronology and a plan, a parent, and a teacher's look at the record.
fn school_with_records(dir: &std::path::Path) -> (Store, std::path::PathBuf) {
    let (_, store) = file_store(dir);
    let photo = dir.join("media").join("visit-1.jpg");
    std::fs::create_dir_all(photo.parent().unwrap()).unwrap();
    std::fs::write(&photo, b"JPEG-of-the-house").unwrap();
    let at = dulae::store::instant(start_time());
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "INSERT INTO users (id, telegram_id, chat_id, display_name, role, created_at) VALUES
                   (1, 501, 501, 'ครูสมศรี', 'teacher', '{at}'),
                   (2, 502, 502, 'นางสมศรี ใจดี', 'parent', '{at}');
                 INSERT INTO parent_students (user_id, student_id, linked_at) VALUES (2, 1, '{at}');
                 INSERT INTO submissions (form_id, form_version, form_kind, student_id, term, answers, overall_group, submitted_by, submitted_at)
                   VALUES ('home_visit', 1, 'home_visit', 1, '2/2569',
                   '{{\"note\":{{\"type\":\"text\",\"value\":\"บ้านหลังคารั่ว พ่อดื่มสุราทุกวัน\"}},\"income\":{{\"type\":\"choice\",\"value\":\"low\"}},\"where\":{{\"type\":\"location\",\"value\":{{\"lat\":6.4,\"lon\":101.8}}}},\"pics\":{{\"type\":\"photos\",\"value\":[{{\"file_id\":\"visit-1\"}}]}}}}',
                   'risk', 1, '{at}');
                 INSERT INTO photos (file_id, file_unique_id, user_id, student_id, received_at, local_path)
                   VALUES ('visit-1', 'v1', 1, 1, '{at}', '{}');
                 INSERT INTO cases (id, student_id, opened_by, owner_id, urgency, reason, opened_at, accept_by)
                   VALUES (1, 1, 1, 1, 'urgent', 'ร่องรอยถูกตีที่แขน', '{at}', '{at}');
                 INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (1, '{at}', 1, 'note', 'แม่เล่าว่าพ่อตีเมื่อวาน');
                 INSERT INTO plans (case_id, goal, updated_at) VALUES (1, 'ให้น้องปลอดภัยที่บ้าน', '{at}');
                 INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('{at}', 'user:1', 'care.view', 'student', '1');",
                photo.display()
            ))?;
            Ok(())
        })
        .unwrap();
    (store, photo)
}

#[test]
fn a_student_export_holds_every_record_as_xlsx_json_and_photos_in_a_private_zip() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = school_with_records(dir.path());
    let out = dir.path().join("requests").join("10001.zip");
    let who = pdpa::Subject::Student(dulae::store::students::StudentId(1));
    let done = pdpa::export(&store, who, &out, dulae::private_file::Overwrite::Refuse, start_time()).unwrap();
    assert_eq!(done.photos, 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    for expected in ["data.xlsx", "data.json", "photos/visit-1.jpg"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    let mut json = String::new();
    zip.by_name("data.json").unwrap().read_to_string(&mut json).unwrap();
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(data["student"][0]["first_name"], "สมชาย");
    assert_eq!(data["student"][0]["parent_phone"], "0812345678");
    assert_eq!(data["submissions"][0]["answers"]["note"]["value"], "บ้านหลังคารั่ว พ่อดื่มสุราทุกวัน");
    assert_eq!(data["cases"][0]["reason"], "ร่องรอยถูกตีที่แขน");
    assert_eq!(data["case_events"][0]["detail"], "แม่เล่าว่าพ่อตีเมื่อวาน");
    assert_eq!(data["plans"][0]["goal"], "ให้น้องปลอดภัยที่บ้าน");
    assert_eq!(data["parents"][0]["display_name"], "นางสมศรี ใจดี");
    assert!(data["audit_log"].as_array().unwrap().iter().any(|r| r["action"] == "care.view"), "{json}");
    // The workbook opens and has a sheet per table.
    let mut xlsx = Vec::new();
    zip.by_name("data.xlsx").unwrap().read_to_end(&mut xlsx).unwrap();
    use calamine::Reader as _;
    let book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    assert!(book.sheet_names().iter().any(|n| n == "case_events"), "{:?}", book.sheet_names());
    // Audited, and an existing file is not overwritten.
    assert_eq!(count(&store, "SELECT count(*) FROM audit_log WHERE action = 'pdpa.export' AND entity_id = '1'"), 1);
    assert!(pdpa::export(&store, who, &out, dulae::private_file::Overwrite::Refuse, start_time()).is_err());
    // A person who uses the bot.
    let parent_out = dir.path().join("parent.zip");
    pdpa::export(
        &store,
        pdpa::Subject::User(dulae::domain::UserId(2)),
        &parent_out,
        dulae::private_file::Overwrite::Refuse,
        start_time(),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&parent_out).unwrap()).unwrap();
    let mut json = String::new();
    zip.by_name("data.json").unwrap().read_to_string(&mut json).unwrap();
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(data["user"][0]["display_name"], "นางสมศรี ใจดี");
    assert_eq!(data["children"][0]["first_name"], "สมชาย");
}

fn file_bytes_of(db: &std::path::Path) -> Vec<u8> {
    let mut all = std::fs::read(db).unwrap();
    for suffix in ["-wal", "-shm"] {
        if let Ok(more) = std::fs::read(format!("{}{suffix}", db.display())) {
            all.extend(more);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn erasing_a_student_keeps_counts_and_history_but_no_personal_text_anywhere_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, photo) = school_with_records(dir.path());
    let db = store.path().unwrap().to_path_buf();
    // The parent's own account (another person, erased with --user) still holds their name; the roster row's
    // copy of it goes with the student.
    let secrets = ["สมชาย", "0812345678", "บ้านหลังคารั่ว", "ร่องรอยถูกตีที่แขน", "แม่เล่าว่าพ่อตี", "ให้น้องปลอดภัย"];
    let before = file_bytes_of(&db);
    assert!(secrets.iter().all(|s| contains(&before, s)), "the test data is in the file first");
    let counts = |s: &Store| {
        ["submissions", "cases", "case_events", "plans", "audit_log WHERE action = 'care.view'"]
            .map(|t| count(s, &format!("SELECT count(*) FROM {t}")))
    };
    let counted = counts(&store);

    let who = pdpa::Subject::Student(dulae::store::students::StudentId(1));
    let done = pdpa::erase(&store, who, start_time()).unwrap();
    assert!(done.file_zeroed);
    assert_eq!(done.photos, 1);
    assert!(!photo.exists(), "the photo file is gone");
    assert_eq!(counts(&store), counted, "counts and history stay");
    let (first, parent_name, phone, archived): (String, Option<String>, Option<String>, Option<String>) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT first_name, parent_name, parent_phone, archived_at FROM students WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?)
        })
        .unwrap();
    assert_eq!(first, pdpa::ERASED_TEXT);
    assert_eq!((parent_name, phone), (None, None), "the parent's name and phone on the roster row are removed");
    assert!(archived.is_some());
    let detail: String = store.read(|c| Ok(c.query_row("SELECT detail FROM case_events", [], |r| r.get(0))?)).unwrap();
    assert_eq!(detail, pdpa::ERASED_TEXT);
    let group: String =
        store.read(|c| Ok(c.query_row("SELECT overall_group FROM submissions", [], |r| r.get(0))?)).unwrap();
    assert_eq!(group, "risk", "the screening group still counts");
    let answers: String =
        store.read(|c| Ok(c.query_row("SELECT answers FROM submissions", [], |r| r.get(0))?)).unwrap();
    assert!(answers.contains("\"low\"") && !answers.contains("101.8") && !answers.contains("visit-1"), "{answers}");
    assert_eq!(count(&store, "SELECT count(*) FROM audit_log WHERE action = 'pdpa.erase'"), 1);
    // No trace in the file, its free pages or its log.
    let after = file_bytes_of(&db);
    for secret in secrets {
        assert!(!contains(&after, secret), "{secret} is still in the database file");
    }
    // The history is still append-only for everything else.
    store
        .read(|c| {
            assert!(c.execute("UPDATE case_events SET detail = 'something else'", []).is_err());
            assert!(c.execute("UPDATE case_events SET kind = 'x'", []).is_err());
            assert!(c.execute("DELETE FROM case_events", []).is_err());
            assert!(c.execute("DELETE FROM audit_log", []).is_err());
            assert!(c.execute("UPDATE audit_log SET actor = 'cli'", []).is_err());
            Ok(())
        })
        .unwrap();
}

#[test]
fn erasing_a_parent_removes_their_name_and_access() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = school_with_records(dir.path());
    let done = pdpa::erase(&store, pdpa::Subject::User(dulae::domain::UserId(2)), start_time()).unwrap();
    assert!(done.records > 0);
    let (name, telegram, revoked): (String, i64, Option<String>) = store
        .read(|c| {
            Ok(c.query_row("SELECT display_name, telegram_id, revoked_at FROM users WHERE id = 2", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?)
        })
        .unwrap();
    assert_eq!(name, pdpa::ERASED_TEXT);
    assert!(telegram < 0 && revoked.is_some());
    assert_eq!(count(&store, "SELECT count(*) FROM parent_students WHERE user_id = 2"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM submissions"), 1, "records made by others stay");
}

#[test]
fn erased_answers_keep_choices_and_drop_texts_locations_and_photos() {
    use dulae::forms::engine::Answer;
    let mut answers = dulae::forms::engine::Answers::new();
    answers.insert("note".into(), Answer::Text("ชื่อพ่อ".into()));
    answers.insert("group".into(), Answer::Choice("risk".into()));
    answers.insert("where".into(), Answer::Location { lat: 1.0, lon: 2.0 });
    answers.insert("members".into(), Answer::Repeat(vec![[("name".to_string(), Answer::Text("ลุง".into()))].into()]));
    pdpa::erase_answers(&mut answers);
    assert_eq!(answers["note"], Answer::Text(pdpa::ERASED_TEXT.into()));
    assert_eq!(answers["group"], Answer::Choice("risk".into()));
    assert!(!answers.contains_key("where"));
    let Answer::Repeat(members) = &answers["members"] else { panic!("repeat kept") };
    assert_eq!(members[0]["name"], Answer::Text(pdpa::ERASED_TEXT.into()));
}

/// A photo source that writes files the way any library would: with the process's default mode.
struct PlainWriter;

impl dulae::notify::media::PhotoSource for PlainWriter {
    async fn download(&self, file_id: &str, dest: &std::path::Path) -> anyhow::Result<()> {
        std::fs::write(dest, format!("jpeg of {file_id}"))?;
        Ok(())
    }
}

#[cfg(unix)]
#[tokio::test]
async fn downloaded_photos_are_private_in_a_private_folder() {
    use std::os::unix::fs::PermissionsExt;
    let s = School::with_roster();
    let teacher = teacher_of(&s, 10, &["ป.4/1"]);
    let user = s.app.store.read(|c| dulae::store::users::find_by_telegram(c, teacher.telegram_id)).unwrap().unwrap();
    let now = s.clock.now_utc();
    s.app.store.write(|tx| dulae::store::photos::record(tx, "file-1", Some("u-1"), user.id, None, now)).unwrap();
    let root = tempfile::tempdir().unwrap();
    // A shared parent (as an IT teacher might have made), and a media folder Dulae creates itself.
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let media_dir = root.path().join("media");
    let copied = dulae::notify::media::copy_pending(&s.app.store, &PlainWriter, &media_dir, || now).await.unwrap();
    assert_eq!(copied.saved, 1);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&media_dir), 0o700);
    assert_eq!(mode(&media_dir.join("u-1.jpg")), 0o600);
}

#[test]
fn the_bots_housekeeping_makes_todays_backup_once_and_sweeps() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = file_store(dir.path());
    let mut config = test_config();
    config.db_path = db.clone();
    config.media_dir = dir.path().join("media");
    config.backup_dir = dir.path().join("copies");
    let clock = std::sync::Arc::new(dulae::clock::FixedClock::new(start_time()));
    let app = dulae::app::App::with_clock(store, config, clock.clone()).unwrap();
    dulae::ops::housekeeping(&app);
    let made = backups::list(&dir.path().join("copies")).unwrap();
    assert_eq!(made.len(), 1, "today's backup at start");
    assert_eq!(made[0].1.file_name().unwrap(), "dulae-2026-11-26.db");
    dulae::ops::housekeeping(&app);
    assert_eq!(backups::list(&dir.path().join("copies")).unwrap().len(), 1, "not twice the same day");
    clock.advance(chrono::Duration::days(1));
    dulae::ops::housekeeping(&app);
    assert_eq!(backups::list(&dir.path().join("copies")).unwrap().len(), 2, "the next day, another");
    let copy = Store::open(&made[0].1).unwrap();
    assert_eq!(roster_rows(&copy).len(), 3);
}
