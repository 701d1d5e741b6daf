//! Issue 10 as the school's IT teacher meets it: the `dulae` command run as a real process — one database
//! wherever it runs, private files whatever the umask, a rejected token (exit 78), a network that is down, the
//! doctor, restore, PDPA requests, and roster line numbers for Excel's CRLF and BOM files.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const TOKEN: &str = "123456789:AAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao";

fn base(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dulae"));
    command.current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "warn");
    command
}

fn run(mut command: Command, args: &[&str]) -> Output {
    command.args(args).output().expect("dulae runs")
}

/// `dulae` with the database set in the environment.
fn dulae(dir: &Path, args: &[&str]) -> Output {
    let mut command = base(dir);
    command.env("DULAE_DB", dir.join("school.db")).env("DULAE_MEDIA_DIR", dir.join("media"));
    run(command, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0)
}

const ROSTER: &str = "\u{feff}student_id,prefix,first_name,last_name,class,parent_name,parent_phone\r\n\
10001,ด.ช.,\"สม,ชาย\",ใจดี,ป.4/1,นางสมศรี ใจดี,081-234-5678\r\n\
10002,ด.ญ.,สมหญิง,รักเรียน,ป.4/1,,\r\n";

/// A fake Bot API that answers every request with `status` and `body`.
fn fake_telegram(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 8192];
            let _ = stream.read(&mut buffer);
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    address
}

const GET_ME_OK: &str = r#"{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Dulae","username":"dulae_test_bot","can_join_groups":false,"can_read_all_group_messages":false,"supports_inline_queries":false,"has_main_web_app":false}}"#;

#[test]
fn one_database_wherever_a_command_runs() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join(".env"), "DULAE_DB=school.db\nDULAE_MEDIA_DIR=media\n").unwrap();
    std::fs::write(root.path().join("roster.csv"), ROSTER).unwrap();
    let out = run(base(root.path()), &["import", "students", "roster.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = root.path().join("school.db");
    assert!(db.is_file());
    // From another folder below, the .env is found and its relative path means the same file.
    let elsewhere = root.path().join("reports/2569");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = run(base(&elsewhere), &["users"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().next().unwrap_or_default(), format!("ฐานข้อมูล: {}", db.display()));
    assert!(!elsewhere.join("school.db").exists(), "no second database");

    // Where no database exists, a command other than import/migrate/run refuses and says how to fix it.
    let empty = tempfile::tempdir().unwrap();
    let out = dulae(empty.path(), &["users"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    assert!(stderr(&out).contains("DULAE_DB") && stderr(&out).contains("ไม่พบฐานข้อมูล"), "{}", stderr(&out));
    assert!(!empty.path().join("school.db").exists(), "no empty database was created");
    let mut english = base(empty.path());
    english.env("DULAE_LANG", "en").env("DULAE_DB", "school.db");
    let out = run(english, &["invite", "admin"]);
    assert!(stderr(&out).contains("There is no database"), "English with DULAE_LANG=en: {}", stderr(&out));
    assert!(stdout(&out).starts_with(&format!("Database: {}", empty.path().join("school.db").display())));
}

#[cfg(unix)]
#[test]
fn files_with_personal_data_are_private_whatever_the_umask_and_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.csv"), ROSTER).unwrap();
    // Every command runs with umask 000, the worst case: everything would be world-readable by default.
    let open = |args: &[&str]| -> Output {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg("umask 000; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_dulae"))
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", "warn")
            .env("DULAE_DB", dir.path().join("data/school.db"));
        command.output().unwrap()
    };
    for args in [
        &["import", "students", "roster.csv"][..],
        &["invite", "parents", "--class", "ป.4/1", "--out", "out/links.csv"],
        &["invite", "parents", "--class", "ป.4/1", "--out", "out/slips.html"],
        &["export", "--out", "reports/term.xlsx"],
        &["backup", "copies/school-copy.db"],
        &["person", "export", "--student", "10001", "--out", "pdpa/10001.zip"],
    ] {
        let out = open(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    for file in [
        "data/school.db",
        "out/links.csv",
        "out/slips.html",
        "reports/term.xlsx",
        "copies/school-copy.db",
        "pdpa/10001.zip",
    ] {
        assert_eq!(mode(&dir.path().join(file)), 0o600, "{file}");
    }
    for folder in ["data", "out", "reports", "copies", "pdpa"] {
        assert_eq!(mode(&dir.path().join(folder)), 0o700, "{folder}");
    }
    // The CSV: a BOM for Excel, every field quoted, a name with a comma stays in its column.
    let bytes = std::fs::read(dir.path().join("out/links.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.lines().all(|l| l.starts_with('"')), "{text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "two guardians for each of two students");
    assert_eq!(&rows[0][1], "ด.ช.สม,ชาย ใจดี");
    assert_eq!(&rows[0][2], "ป.4/1");

    // Writing over needs --force; the refused run changes nothing and makes no links.
    let invites_before = count(&dir.path().join("data/school.db"), "SELECT count(*) FROM invites");
    let out = open(&["invite", "parents", "--class", "ป.4/1", "--out", "out/links.csv"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("out/links.csv")).unwrap()[3..], *text.as_bytes());
    assert_eq!(count(&dir.path().join("data/school.db"), "SELECT count(*) FROM invites"), invites_before);
    let out = open(&["export", "--out", "reports/term.xlsx"]);
    assert!(!out.status.success() && stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = open(&["export", "--out", "reports/term.xlsx", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&dir.path().join("reports/term.xlsx")), 0o600);
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_rejected_token_explains_in_thai_and_english_and_exits_78() {
    let dir = tempfile::tempdir().unwrap();
    let api = fake_telegram("401 Unauthorized", r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#);
    let mut command = base(dir.path());
    command.env("DULAE_DB", dir.path().join("school.db")).env("TELOXIDE_TOKEN", TOKEN).env("TELOXIDE_API_URL", &api);
    let out = run(command, &["run"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Telegram ไม่รับโทเค็นของบอท") && err.contains("Telegram does not accept the bot's token"),
        "{err}"
    );
    assert!(err.contains("@BotFather"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("Dulae is running"), "{err}");

    // A token that cannot be one is refused the same way, without the network.
    let mut command = base(dir.path());
    command
        .env("DULAE_DB", dir.path().join("school.db"))
        .env("TELOXIDE_TOKEN", "12345 AA")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9");
    let out = run(command, &["run"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
}

#[test]
fn while_telegram_cannot_be_reached_the_bot_waits_and_logs_each_try() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: every connection is refused at once.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut child = base(dir.path())
        .env("DULAE_DB", dir.path().join("school.db"))
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", format!("http://{closed}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Tries at 0 s, 1 s and 3 s after start-up (which checks forms and print templates first, seconds in a debug
    // build on a busy machine): read the log as it comes, until the third try or a minute; the process must keep
    // waiting the whole time, never exit.
    let stderr_pipe = child.stderr.take().unwrap();
    let (lines, seen) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let started = std::time::Instant::now();
    let mut log = String::new();
    while started.elapsed() < std::time::Duration::from_secs(60)
        && log.matches("Telegram cannot be reached").count() < 3
    {
        while let Ok(line) = seen.recv_timeout(std::time::Duration::from_millis(250)) {
            log.push_str(&line);
            log.push('\n');
        }
        assert!(child.try_wait().unwrap().is_none(), "the bot must not exit while the network is down: {log}");
    }
    child.kill().unwrap();
    let _ = child.wait();
    let _ = reader.join();
    let tries = log.matches("Telegram cannot be reached").count();
    assert!(tries >= 2, "each try is logged: {log}");
    assert!(log.contains("next_try_in_s=1") && log.contains("next_try_in_s=2"), "growing pauses: {log}");
    assert!(!log.contains("panicked") && !log.contains("Dulae is running"), "{log}");
}

#[test]
fn doctor_passes_on_a_healthy_install_and_names_problems() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.csv"), ROSTER).unwrap();
    assert!(dulae(dir.path(), &["import", "students", "roster.csv"]).status.success());
    let db = dir.path().join("school.db");
    // The bot is running (holds its lock) and a message waits in the outbox: both normal.
    let lock = dulae::ops::backups::RunLock::take(&db).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO outbox (chat_id, text, not_before, created_at) VALUES (1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    let api = fake_telegram("200 OK", GET_ME_OK);
    let doctor = |extra: &[(&str, &str)]| {
        let mut command = base(dir.path());
        command
            .env("DULAE_DB", &db)
            .env("DULAE_MEDIA_DIR", dir.path().join("media"))
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", &api)
            // A machine clock in UTC is healthy: Dulae works in Asia/Bangkok itself.
            .env("TZ", "UTC");
        for (k, v) in extra {
            command.env(k, v);
        }
        run(command, &["doctor"])
    };
    let out = doctor(&[]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(text.starts_with(&format!("ฐานข้อมูล: {}", db.display())), "{text}");
    for line in [
        "✅ ติดต่อ Telegram ได้",
        "✅ โทเค็นใช้ได้: บอท @dulae_test_bot",
        "✅ ไฟล์ฐานข้อมูลเปิดอ่านได้เฉพาะบัญชีของบอท",
        "✅ ฐานข้อมูลสมบูรณ์",
        "✅ โครงสร้างฐานข้อมูลเป็นรุ่นล่าสุด",
        "ℹ️ บอทกำลังทำงานอยู่",
        "ℹ️ ข้อความรอส่ง 1 ข้อความ",
        "✅ แบบฟอร์มใช้ได้",
        "✅ นาฬิกา:",
        "พื้นที่ว่างในดิสก์",
        "ทุกอย่างพร้อมใช้งาน",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    let english = stdout(&doctor(&[("DULAE_LANG", "en")]));
    assert!(
        english.contains("✅ Token accepted: bot @dulae_test_bot") && english.contains("Everything is ready"),
        "{english}"
    );
    drop(lock);

    // A database others can read is a problem: non-zero exit, and the line says what to do.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = doctor(&[]);
        assert!(!out.status.success());
        assert!(stdout(&out).contains("❌") && stdout(&out).contains("chmod 600"), "{}", stdout(&out));
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    // A rejected token, and no network, are problems.
    let rejected = fake_telegram("401 Unauthorized", r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#);
    let out = doctor(&[("TELOXIDE_API_URL", &rejected)]);
    assert!(!out.status.success() && stdout(&out).contains("❌ Telegram ไม่รับโทเค็นของบอท"), "{}", stdout(&out));
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let out = doctor(&[("TELOXIDE_API_URL", &format!("http://{closed}"))]);
    assert!(!out.status.success() && stdout(&out).contains("❌ ติดต่อ Telegram ไม่ได้"), "{}", stdout(&out));
}

#[test]
fn restore_asks_keeps_the_current_database_and_refuses_while_the_bot_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.csv"), ROSTER).unwrap();
    assert!(dulae(dir.path(), &["import", "students", "roster.csv"]).status.success());
    assert!(dulae(dir.path(), &["backup", "copy.db"]).status.success());
    let db = dir.path().join("school.db");
    rusqlite::Connection::open(&db).unwrap().execute("DELETE FROM invites", []).unwrap();

    let lock = dulae::ops::backups::RunLock::take(&db).unwrap();
    let out = dulae(dir.path(), &["restore", "copy.db", "--yes"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("บอทกำลังทำงานอยู่"), "{}", stderr(&out));
    drop(lock);

    // Without --yes it asks; anything but yes cancels.
    let mut command = base(dir.path());
    command
        .env("DULAE_DB", &db)
        .arg("restore")
        .arg("copy.db")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"no\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success() && stdout(&out).contains("ยกเลิกแล้ว"), "{}", stdout(&out));
    assert!(!dir.path().join("school.db.before-restore").exists());

    let out = dulae(dir.path(), &["restore", "copy.db", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("school.db.before-restore"), "{}", stdout(&out));
    assert!(dir.path().join("school.db.before-restore").is_file());
    // A file that is not a backup is refused with its reason.
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let out = dulae(dir.path(), &["restore", "notes.txt", "--yes"]);
    assert!(!out.status.success() && stderr(&out).contains("กู้คืนไม่ได้"), "{}", stderr(&out));
}

#[test]
fn person_requests_need_a_known_person_and_erasure_needs_yes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.csv"), ROSTER).unwrap();
    assert!(dulae(dir.path(), &["import", "students", "roster.csv"]).status.success());
    let out = dulae(dir.path(), &["person", "erase", "--student", "10001"]);
    assert!(!out.status.success() && stderr(&out).contains("--yes"), "{}", stderr(&out));
    let out = dulae(dir.path(), &["person", "export", "--student", "99999", "--out", "x.zip"]);
    assert!(!out.status.success() && stderr(&out).contains("ไม่พบนักเรียนเลขประจำตัว 99999"), "{}", stderr(&out));
    assert!(!dir.path().join("x.zip").exists());
    let out = dulae(dir.path(), &["person", "erase", "--student", "10001", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ลบข้อมูลส่วนบุคคลแล้ว"), "{}", stdout(&out));
    let phone: Option<String> = rusqlite::Connection::open(dir.path().join("school.db"))
        .unwrap()
        .query_row("SELECT parent_phone FROM students WHERE student_code = 'erased-1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(phone, None);
}

#[test]
fn roster_line_numbers_are_right_for_crlf_and_bom_files() {
    let lines =
        ["student_id,prefix,first_name,last_name,class", "1,ด.ช.,ก,ข,ป.4/1", "2,ด.ญ.,ค,ง,ป.9/1", "3,ด.ช.,จ,ฉ,ป.4"];
    for (ending, bom) in [("\n", ""), ("\r\n", ""), ("\r\n", "\u{feff}"), ("\n", "\u{feff}")] {
        let file = format!("{bom}{}{ending}", lines.join(ending));
        let errors = dulae::roster::parse(file.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 1, "{ending:?} {bom:?}: {errors:?}");
        assert_eq!(errors[0].line, 3, "{ending:?} {bom:?}: the line a spreadsheet shows");
        assert_eq!(errors[0].column, "class");
    }
    // ป.4 alone is a class (one room per grade): line 4 imported as ป.4/1.
    let ok = format!("{}\r\n", [lines[0], lines[3]].join("\r\n"));
    let students = dulae::roster::parse(ok.as_bytes()).unwrap();
    assert_eq!(students[0].class.to_string(), "ป.4/1");
}

#[tokio::test]
async fn the_bot_serves_as_soon_as_telegram_answers_again() {
    // The network is down (nobody listens on the port) for two seconds, then Telegram answers.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let address = format!("http://127.0.0.1:{port}");
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 8192];
            let _ = stream.read(&mut buffer);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{GET_ME_OK}",
                GET_ME_OK.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    let bot = teloxide::Bot::new(TOKEN).set_api_url(address.parse().unwrap());
    let l10n = dulae::l10n::Localizer::load().unwrap();
    let stopping = std::sync::atomic::AtomicBool::new(false);
    let me = dulae::bot::startup::wait_for_telegram(&bot, &l10n, &stopping).await.unwrap();
    assert_eq!(me.user.username.as_deref(), Some("dulae_test_bot"), "served after the outage");
    // A stop request ends the wait instead of waiting for a network that never comes.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let unreachable = teloxide::Bot::new(TOKEN).set_api_url(format!("http://{closed}").parse().unwrap());
    let stopping = std::sync::atomic::AtomicBool::new(true);
    assert!(dulae::bot::startup::wait_for_telegram(&unreachable, &l10n, &stopping).await.is_err());
}
