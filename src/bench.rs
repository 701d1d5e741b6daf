//! `dulae bench broadcast`: a broadcast to thousands of parents against a local fake Bot API that enforces
//! Telegram's limits (30 messages/s overall, 1/s per chat, 429 with `retry_after` past them). Prints the rate
//! achieved, 429s, duplicates, losses and the sender's peak memory; then the same with the sender process
//! stopped and restarted twice mid-broadcast, once with SIGTERM and once with SIGKILL. Not a test: it prints.
//!
//! The sender runs as a child process (`dulae bench sender`, hidden): this same binary with the real outbox
//! sender and the real teloxide transport, pointed at the fake server on 127.0.0.1.

use crate::announce::{self, Audience, NewAnnouncement};
use crate::clock::{Clock, SystemClock};
use crate::domain::ids::{ClassId, StudentId, UserId};
use crate::store::{Store, instant};
use anyhow::Context as _;
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Telegram's documented limits, enforced by the fake server: 30 messages in any one second overall; per chat one a
/// second, after a short burst (Telegram tolerates a few messages at once in one chat; we model 3).
const GLOBAL_PER_SECOND: usize = 30;
const PER_CHAT: Duration = Duration::from_secs(1);
const CHAT_BURST: u32 = 3;
/// Chat ids of the fake parents start here.
const FIRST_CHAT: i64 = 1_000_000;

mod export;
mod live;
mod school;
mod store;

pub use export::run as export;
pub use live::{bare_bot, bot_process, live};

/// One message or edit the fake accepted.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub chat: i64,
    pub at: Instant,
    pub text: String,
    /// The callback data of its inline buttons, row by row flattened.
    pub buttons: Vec<String>,
    pub message_id: i32,
    pub edit: bool,
}

#[derive(Default)]
struct FakeState {
    /// Enforce Telegram's limits (429 past them); off for the update-handling benchmark.
    enforce: bool,
    window: VecDeque<Instant>,
    /// Per chat: the token bucket's theoretical arrival time (GCRA).
    chat_tat: HashMap<i64, Instant>,
    accepted: HashMap<i64, u32>,
    first_accept: Option<Instant>,
    last_accept: Option<Instant>,
    rejected_429: u64,
    next_message_id: i32,
    /// Every message and edit accepted, in order (only when `keep_log`).
    keep_log: bool,
    log: Vec<Accepted>,
    /// Calls by method, and calls of any kind per chat (button answers count for the chat in their id).
    calls: HashMap<String, u64>,
    chat_calls: HashMap<i64, u64>,
    last_call: Option<Instant>,
    /// Scripted updates for getUpdates, and when each chat's latest update was handed to the bot.
    updates: VecDeque<(i64, String)>,
    next_update_id: i64,
    served_at: HashMap<i64, Instant>,
}

/// A fake Bot API on 127.0.0.1 (HTTP/1.1, keep-alive): sendMessage and the like, editMessageText,
/// answerCallbackQuery, setMyCommands, getMe, and getUpdates serving updates the benchmark scripts.
pub struct FakeApi {
    state: Arc<Mutex<FakeState>>,
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeApi {
    /// `latency`: how long each answer takes (Telegram's are ~100–300 ms), so calls are really in flight.
    pub async fn start(latency: Duration) -> anyhow::Result<FakeApi> {
        FakeApi::start_with(latency, true, false).await
    }

    /// `enforce`: answer 429 past Telegram's limits; `keep_log`: keep every accepted message.
    pub async fn start_with(latency: Duration, enforce: bool, keep_log: bool) -> anyhow::Result<FakeApi> {
        let listener = TcpListener::bind("127.0.0.1:0").await.context("cannot listen on 127.0.0.1")?;
        let url = format!("http://{}/", listener.local_addr()?);
        let state = Arc::new(Mutex::new(FakeState {
            next_message_id: 1,
            next_update_id: 1,
            enforce,
            keep_log,
            ..FakeState::default()
        }));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let _ = serve(socket, state, latency).await;
                });
            }
        });
        Ok(FakeApi { state, url, task })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn accepted_total(&self) -> u64 {
        self.lock().accepted.values().map(|n| u64::from(*n)).sum()
    }

    /// Queue an update for getUpdates; `make` gets its update_id and returns its JSON.
    pub fn push_update(&self, make: impl FnOnce(i64) -> String) {
        let mut s = self.lock();
        let id = s.next_update_id;
        s.next_update_id += 1;
        let json = make(id);
        s.updates.push_back((id, json));
    }

    pub fn pending_updates(&self) -> usize {
        self.lock().updates.len()
    }

    pub fn rejected_429(&self) -> u64 {
        self.lock().rejected_429
    }

    pub fn log(&self) -> Vec<Accepted> {
        self.lock().log.clone()
    }

    pub fn log_len(&self) -> usize {
        self.lock().log.len()
    }

    pub fn log_since(&self, from: usize) -> Vec<Accepted> {
        let s = self.lock();
        s.log.get(from..).map(<[Accepted]>::to_vec).unwrap_or_default()
    }

    pub fn served_at(&self, chat: i64) -> Option<Instant> {
        self.lock().served_at.get(&chat).copied()
    }

    pub fn chat_calls(&self, chat: i64) -> u64 {
        self.lock().chat_calls.get(&chat).copied().unwrap_or(0)
    }

    pub fn total_calls(&self) -> u64 {
        self.lock().calls.values().sum()
    }

    pub fn last_call(&self) -> Option<Instant> {
        self.lock().last_call
    }
}

async fn serve(socket: tokio::net::TcpStream, state: Arc<Mutex<FakeState>>, latency: Duration) -> anyhow::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or_default().to_string();
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).await? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length.min(1 << 20)];
        reader.read_exact(&mut body).await?;
        let method = path.rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let (status, reply) = if method == "getupdates" {
            ("200 OK", get_updates(&state, &json).await)
        } else {
            let answered = answer(&state, &method, &json);
            // Accepted first, answered later: a sender killed in between has delivered without knowing it.
            tokio::time::sleep(latency).await;
            answered
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{reply}",
            reply.len()
        );
        write.write_all(response.as_bytes()).await?;
    }
}

/// Long polling: the updates from `offset` on, or an empty list after a short wait.
async fn get_updates(state: &Mutex<FakeState>, request: &serde_json::Value) -> String {
    let offset = request.get("offset").and_then(serde_json::Value::as_i64).unwrap_or(0);
    let limit = request.get("limit").and_then(serde_json::Value::as_u64).unwrap_or(100).clamp(1, 100) as usize;
    let timeout = request.get("timeout").and_then(serde_json::Value::as_u64).unwrap_or(0).min(1);
    let until = Instant::now() + Duration::from_secs(timeout);
    loop {
        {
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            while s.updates.front().is_some_and(|(id, _)| *id < offset) {
                s.updates.pop_front();
            }
            if !s.updates.is_empty() || Instant::now() >= until {
                let batch: Vec<(i64, String)> = s.updates.iter().take(limit).cloned().collect();
                let now = Instant::now();
                for (_, json) in &batch {
                    if let Some(chat) = chat_of_update(json) {
                        s.served_at.insert(chat, now);
                    }
                }
                let items: Vec<&str> = batch.iter().map(|(_, j)| j.as_str()).collect();
                return format!(r#"{{"ok":true,"result":[{}]}}"#, items.join(","));
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn chat_of_update(json: &str) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let message = value.get("message").or_else(|| value.get("callback_query").and_then(|q| q.get("message")))?;
    message.get("chat")?.get("id")?.as_i64()
}

/// The chat a button answer belongs to: the benchmark's callback ids are `<chat>-<n>`.
fn chat_of_callback(request: &serde_json::Value) -> Option<i64> {
    request.get("callback_query_id")?.as_str()?.split('-').next()?.parse().ok()
}

fn buttons_of(request: &serde_json::Value) -> Vec<String> {
    let Some(rows) = request.get("reply_markup").and_then(|m| m.get("inline_keyboard")).and_then(|k| k.as_array())
    else {
        return vec![];
    };
    rows.iter()
        .filter_map(|row| row.as_array())
        .flatten()
        .filter_map(|b| b.get("callback_data").and_then(serde_json::Value::as_str).map(str::to_string))
        .collect()
}

fn answer(state: &Mutex<FakeState>, method: &str, request: &serde_json::Value) -> (&'static str, String) {
    let chat = request.get("chat_id").and_then(serde_json::Value::as_i64).unwrap_or(0);
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    let now = Instant::now();
    *s.calls.entry(method.to_string()).or_insert(0) += 1;
    s.last_call = Some(now);
    let counted_chat = if method == "answercallbackquery" { chat_of_callback(request).unwrap_or(0) } else { chat };
    if counted_chat != 0 {
        *s.chat_calls.entry(counted_chat).or_insert(0) += 1;
    }
    let too_many = |s: &mut FakeState| {
        s.rejected_429 += 1;
        (
            "429 Too Many Requests",
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#
                .to_string(),
        )
    };
    while s.window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
        s.window.pop_front();
    }
    match method {
        "sendmessage" | "sendphoto" | "senddocument" | "editmessagetext" => {
            let tat = s.chat_tat.get(&chat).copied().unwrap_or(now);
            if s.enforce {
                if s.window.len() >= GLOBAL_PER_SECOND {
                    return too_many(&mut s);
                }
                if tat.checked_sub(PER_CHAT * (CHAT_BURST - 1)).is_some_and(|allowed| now < allowed) {
                    return too_many(&mut s);
                }
            }
            s.window.push_back(now);
            s.chat_tat.insert(chat, tat.max(now) + PER_CHAT);
            let edit = method == "editmessagetext";
            if !edit {
                *s.accepted.entry(chat).or_insert(0) += 1;
                s.first_accept.get_or_insert(now);
                s.last_accept = Some(now);
            }
            s.next_message_id += 1;
            let message_id = if edit {
                request.get("message_id").and_then(serde_json::Value::as_i64).unwrap_or(1) as i32
            } else {
                s.next_message_id
            };
            if s.keep_log {
                let text = request
                    .get("text")
                    .or_else(|| request.get("caption"))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let buttons = buttons_of(request);
                s.log.push(Accepted { chat, at: now, text, buttons, message_id, edit });
            }
            let date = chrono::Utc::now().timestamp();
            (
                "200 OK",
                format!(
                    r#"{{"ok":true,"result":{{"message_id":{message_id},"date":{date},"chat":{{"id":{chat},"type":"private","first_name":"P"}},"text":"ok"}}}}"#,
                ),
            )
        }
        "getme" => (
            "200 OK",
            r#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Dulae","username":"dulae_bench_bot","can_join_groups":false,"can_read_all_group_messages":false,"supports_inline_queries":false,"can_connect_to_business":false,"has_main_web_app":false}}"#
                .to_string(),
        ),
        "getwebhookinfo" => (
            "200 OK",
            r#"{"ok":true,"result":{"url":"","has_custom_certificate":false,"pending_update_count":0}}"#.to_string(),
        ),
        _ => ("200 OK", r#"{"ok":true,"result":true}"#.to_string()),
    }
}

/// A school of `parents` parents (one child each) and one announcement to all of them, enqueued.
fn seed(path: &Path, parents: usize) -> anyhow::Result<()> {
    let store = Store::open(path)?;
    let now = SystemClock.now();
    let at = instant(now);
    store.write(|tx| {
        let seed = store::Seed::new(tx, &at);
        seed.class(ClassId(1), "ป.4/1", "ป.", 4, 1)?;
        seed.user(UserId(1), 1, "หัวหน้างาน", "head")?;
        for i in 0..parents as i64 {
            let id = 10 + i;
            let chat = FIRST_CHAT + i;
            let code = format!("{}", 100_000 + i);
            seed.student(&store::NewStudent {
                id: StudentId(id),
                code: &code,
                prefix: "ด.ช.",
                first_name: "นักเรียน",
                last_name: &code,
                nickname: None,
                gender: None,
                class: ClassId(1),
                parent_name: None,
                parent_phone: None,
                archived_at: None,
            })?;
            seed.user(UserId(id), chat, &format!("ผู้ปกครอง {chat}"), "parent")?;
            seed.parent_of(UserId(id), StudentId(id))?;
        }
        Ok(())
    })?;
    let head = store.read(|c| crate::store::users::get(c, UserId(1)))?.context("the bench head is missing")?;
    let l10n = crate::l10n::Localizer::load()?;
    let new = NewAnnouncement {
        audience: Audience::AllParents,
        text: "ทดสอบการส่งประกาศ: พรุ่งนี้โรงเรียนหยุดเรียน 1 วันค่ะ".into(),
        media: None,
        send_at: None,
        draft_key: "bench".into(),
        progress: None,
    };
    let created = announce::create(&store, &l10n, "โรงเรียนทดสอบ", &head, &new, now)?
        .map_err(|refused| anyhow::anyhow!("the bench announcement was refused: {refused}"))?;
    anyhow::ensure!(created.recipients == parents, "expected {parents} recipients, got {}", created.recipients);
    Ok(())
}

fn count_status(path: &Path, status: &str) -> anyhow::Result<i64> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    store::count_outbox_with_status(&conn, status)
}

/// Peak resident memory of a process so far (VmHWM), in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

struct Child {
    process: tokio::process::Child,
    pid: u32,
    peak_kib: u64,
}

fn spawn_sender(exe: &Path, db: &Path, api: &str) -> anyhow::Result<Child> {
    let process = tokio::process::Command::new(exe)
        .args(["bench", "sender", "--db"])
        .arg(db)
        .args(["--api", api])
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the sender process")?;
    let pid = process.id().context("the sender process has no pid")?;
    Ok(Child { process, pid, peak_kib: 0 })
}

impl Child {
    fn sample(&mut self) {
        if let Some(kib) = peak_kib(self.pid) {
            self.peak_kib = self.peak_kib.max(kib);
        }
    }

    async fn signal(&mut self, sig: &str) -> anyhow::Result<()> {
        self.sample();
        if sig == "KILL" {
            self.process.start_kill()?;
        } else {
            let status =
                tokio::process::Command::new("kill").arg(format!("-{sig}")).arg(self.pid.to_string()).status().await?;
            anyhow::ensure!(status.success(), "kill -{sig} {} failed", self.pid);
        }
        let waited = tokio::time::timeout(Duration::from_secs(60), self.process.wait()).await;
        anyhow::ensure!(waited.is_ok(), "the sender did not stop within 60 s after SIG{sig}");
        Ok(())
    }
}

struct Outcome {
    seconds: f64,
    rate: f64,
    rejected_429: u64,
    duplicates: u64,
    losses: u64,
    peak_kib: u64,
    in_flight_at_stops: Vec<i64>,
}

/// One broadcast to `parents`, stopping the sender with `sig` after each fraction in `stops`.
async fn scenario(
    exe: &Path,
    dir: &Path,
    name: &str,
    parents: usize,
    latency: Duration,
    stops: &[f64],
    sig: &str,
) -> anyhow::Result<Outcome> {
    let db = dir.join(format!("{name}.db"));
    seed(&db, parents)?;
    let api = FakeApi::start(latency).await?;
    let started = Instant::now();
    let mut peak = 0;
    let mut in_flight_at_stops = vec![];
    let mut child = spawn_sender(exe, &db, &api.url)?;
    for fraction in stops {
        let target = (parents as f64 * fraction) as u64;
        while api.accepted_total() < target {
            child.sample();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        child.signal(sig).await?;
        peak = peak.max(child.peak_kib);
        let sending = count_status(&db, "sending")?;
        in_flight_at_stops.push(sending);
        println!("  {name}: SIG{sig} after {} deliveries; rows in flight at the stop: {sending}", api.accepted_total());
        child = spawn_sender(exe, &db, &api.url)?;
    }
    let deadline = Instant::now() + Duration::from_secs(parents as u64 / 5 + 120);
    loop {
        child.sample();
        let open = count_status(&db, "pending")? + count_status(&db, "sending")?;
        if open == 0 {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "the broadcast did not finish in time ({open} messages left)");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    child.signal("TERM").await?;
    peak = peak.max(child.peak_kib);
    let seconds = started.elapsed().as_secs_f64();
    let state = api.lock();
    let delivered_chats = state.accepted.len() as u64;
    let duplicates: u64 = state.accepted.values().map(|n| u64::from(n.saturating_sub(1))).sum();
    let losses = parents as u64 - delivered_chats.min(parents as u64);
    let active = match (state.first_accept, state.last_accept) {
        (Some(a), Some(b)) => b.duration_since(a).as_secs_f64().max(0.001),
        _ => seconds,
    };
    let accepted: u64 = state.accepted.values().map(|n| u64::from(*n)).sum();
    Ok(Outcome {
        seconds,
        rate: accepted.saturating_sub(1) as f64 / active,
        rejected_429: state.rejected_429,
        duplicates,
        losses,
        peak_kib: peak,
        in_flight_at_stops,
    })
}

fn print(name: &str, o: &Outcome) {
    println!(
        "{name}: {:.1} s wall, {:.2} messages/s (limit 30/s), 429s: {}, duplicates: {}, losses: {}, peak memory of the sender: {:.1} MiB{}",
        o.seconds,
        o.rate,
        o.rejected_429,
        o.duplicates,
        o.losses,
        o.peak_kib as f64 / 1024.0,
        if o.in_flight_at_stops.is_empty() {
            String::new()
        } else {
            format!(", in flight at each stop: {:?}", o.in_flight_at_stops)
        }
    );
}

/// `dulae bench broadcast`.
pub async fn broadcast(parents: usize, latency_ms: u64, only: Option<String>) -> anyhow::Result<()> {
    let latency = Duration::from_millis(latency_ms);
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let dir = tempfile_dir()?;
    println!(
        "broadcast to {parents} parents; fake Bot API on 127.0.0.1 enforcing 30 msg/s overall and 1/s per chat, \
         answering in {latency_ms} ms"
    );
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut ok = true;
    if run("plain") {
        let o = scenario(&exe, &dir, "plain", parents, latency, &[], "TERM").await?;
        print("plain", &o);
        ok &= o.duplicates == 0 && o.losses == 0;
    }
    if run("sigterm") {
        let o = scenario(&exe, &dir, "sigterm", parents, latency, &[0.33, 0.66], "TERM").await?;
        print("sigterm x2", &o);
        ok &= o.duplicates == 0 && o.losses == 0;
    }
    if run("sigkill") {
        let o = scenario(&exe, &dir, "sigkill", parents, latency, &[0.33, 0.66], "KILL").await?;
        print("sigkill x2", &o);
        let bound: i64 = o.in_flight_at_stops.iter().sum();
        println!(
            "  sigkill: duplicates {} <= messages in flight at the kills {bound}: {}",
            o.duplicates,
            o.duplicates as i64 <= bound
        );
        ok &= o.losses == 0 && o.duplicates as i64 <= bound;
    }
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(ok, "a broadcast lost or repeated messages");
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("dulae-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// `dulae bench sender`: the outbox sender alone (no long polling) until SIGTERM, then a graceful stop.
pub async fn sender(db: &Path, api: &str) -> anyhow::Result<()> {
    let store = Arc::new(Store::open(db)?);
    let bot = teloxide::Bot::new("1:bench").set_api_url(url::Url::parse(api).context("--api is not a URL")?);
    let running = crate::notify::sender::spawn(
        store,
        Arc::new(SystemClock),
        Arc::new(crate::bot::deliver::TeloxideDeliver::new(bot)),
        crate::notify::sender::Limits::default(),
        Arc::new(crate::notify::governor::Governor::new(
            crate::notify::governor::GovernorLimits::default(),
            Arc::new(SystemClock),
        )),
        None,
    );
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        term.recv().await;
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    let report = running.stop().await;
    tracing::info!(?report, "bench sender stopped");
    Ok(())
}
