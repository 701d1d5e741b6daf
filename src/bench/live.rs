//! `dulae bench live`: the whole bot — long polling, the real update handling, the governor and the outbox
//! sender — as a child process against the fake Bot API, which serves scripted updates through getUpdates.
//!
//! Scenarios (`--only NAME`):
//! - `broadcast`: an announcement to 5,000 parents (rate, 429s, losses, duplicates).
//! - `replies`: the same while 10 % of parents reply a few seconds after their message arrives: every reply is
//!   answered, and how long it waited.
//! - `start100`: 100 parents open their invite link in the same second: all welcomed, 429s.
//! - `join2000`: 2,000 parents join within a minute; the bot's resident memory with teloxide's one worker per
//!   chat and with the fixed pool (`--workers`).
//! - `steps`: the update-handling benchmark — typical steps of teachers on a school of 5,000 students with ten
//!   years of records, beside a bare teloxide bot on the same fake; CPU per update of each process.

use super::school::{self, FIRST_JOINER};
use super::{FIRST_CHAT, FakeApi, peak_kib, seed, tempfile_dir};
use crate::app::App;
use crate::config::Config;
use crate::notify::governor::Governor;
use crate::store::Store;
use anyhow::Context as _;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A process of this binary the benchmark watches: memory, threads, CPU.
struct Watched {
    process: tokio::process::Child,
    pid: u32,
    peak_kib: u64,
    peak_threads: u64,
}

fn status_field(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time the process has used (user + system), from /proc/PID/stat.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: the fields we need come after the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_secs_f64((utime + stime) as f64 / clock_ticks() as f64))
}

fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100)
    })
}

impl Watched {
    fn spawn(exe: &Path, args: &[String]) -> anyhow::Result<Watched> {
        let process = tokio::process::Command::new(exe)
            .args(args)
            .env("RUST_LOG", "warn")
            .env_remove("TELOXIDE_TOKEN")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start the bot process")?;
        let pid = process.id().context("the bot process has no pid")?;
        Ok(Watched { process, pid, peak_kib: 0, peak_threads: 0 })
    }

    fn sample(&mut self) {
        if let Some(kib) = peak_kib(self.pid) {
            self.peak_kib = self.peak_kib.max(kib);
        }
        if let Some(n) = status_field(self.pid, "Threads:") {
            self.peak_threads = self.peak_threads.max(n);
        }
    }

    /// Fail at once when the bot has died (instead of waiting for a deadline).
    fn ensure_alive(&mut self) -> anyhow::Result<()> {
        if let Ok(Some(status)) = self.process.try_wait() {
            anyhow::bail!("the bot process ended ({status}); see its output above");
        }
        Ok(())
    }

    fn rss_kib(&self) -> u64 {
        status_field(self.pid, "VmRSS:").unwrap_or(0)
    }

    fn cpu(&self) -> Duration {
        cpu_time(self.pid).unwrap_or_default()
    }

    async fn stop(&mut self) -> anyhow::Result<()> {
        self.sample();
        let status = tokio::process::Command::new("kill").arg("-TERM").arg(self.pid.to_string()).status().await?;
        anyhow::ensure!(status.success(), "kill -TERM {} failed", self.pid);
        let waited = tokio::time::timeout(Duration::from_secs(60), self.process.wait()).await;
        anyhow::ensure!(waited.is_ok(), "the bot did not stop within 60 s after SIGTERM");
        Ok(())
    }

    /// Sleep `d`, sampling memory on the way.
    async fn watch_for(&mut self, d: Duration) {
        let until = Instant::now() + d;
        while Instant::now() < until {
            self.sample();
            tokio::time::sleep(Duration::from_millis(50).min(until.saturating_duration_since(Instant::now()))).await;
        }
    }
}

fn bot_args(db: &Path, api: &str, workers: u64, unpaced: bool) -> Vec<String> {
    let mut args = vec![
        "bench".into(),
        "bot".into(),
        "--db".into(),
        db.display().to_string(),
        "--api".into(),
        api.into(),
        "--workers".into(),
        workers.to_string(),
    ];
    if unpaced {
        args.push("--unpaced".into());
    }
    args
}

// --- Updates as Telegram sends them.

fn person(chat: i64) -> serde_json::Value {
    serde_json::json!({ "id": chat, "is_bot": false, "first_name": "ผู้ใช้", "last_name": chat.to_string(), "language_code": "th" })
}

fn chat_json(chat: i64) -> serde_json::Value {
    serde_json::json!({ "id": chat, "type": "private", "first_name": "ผู้ใช้" })
}

fn message_update(update_id: i64, chat: i64, text: &str) -> String {
    let mut message = serde_json::json!({
        "message_id": update_id,
        "date": chrono::Utc::now().timestamp(),
        "chat": chat_json(chat),
        "from": person(chat),
        "text": text,
    });
    if text.starts_with('/') {
        let command = text.split_whitespace().next().unwrap_or(text);
        message["entities"] =
            serde_json::json!([{ "type": "bot_command", "offset": 0, "length": command.encode_utf16().count() }]);
    }
    serde_json::json!({ "update_id": update_id, "message": message }).to_string()
}

fn button_update(update_id: i64, chat: i64, message_id: i32, data: &str) -> String {
    serde_json::json!({
        "update_id": update_id,
        "callback_query": {
            "id": format!("{chat}-{update_id}"),
            "from": person(chat),
            "message": {
                "message_id": message_id,
                "date": chrono::Utc::now().timestamp(),
                "chat": chat_json(chat),
                "from": { "id": 1, "is_bot": true, "first_name": "Dulae", "username": "dulae_bench_bot" },
                "text": "…",
            },
            "chat_instance": chat.to_string(),
            "data": data,
        }
    })
    .to_string()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn latencies(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "p50 {:.2} s, p95 {:.2} s, max {:.2} s",
        percentile(&values, 0.5),
        percentile(&values, 0.95),
        values.last().copied().unwrap_or(0.0)
    )
}

// --- Scenarios.

/// `broadcast` and `replies`: the announcement to `parents`, with every tenth parent replying when `replies`.
async fn broadcast(exe: &Path, dir: &Path, parents: usize, latency: Duration, replies: bool) -> anyhow::Result<bool> {
    let name = if replies { "replies" } else { "broadcast" };
    let db = dir.join(format!("live-{name}.db"));
    seed(&db, parents)?;
    let api = FakeApi::start_with(latency, true, true).await?;
    let started = Instant::now();
    let mut bot = Watched::spawn(exe, &bot_args(&db, &api.url, 64, false))?;
    let parent_chats: HashSet<i64> = (0..parents as i64).map(|i| FIRST_CHAT + i).collect();
    let repliers: HashSet<i64> =
        if replies { parent_chats.iter().copied().filter(|c| c % 10 == 0).collect() } else { HashSet::new() };
    // A chat's first message is the announcement; a replier writes back 1–10 s after it arrives.
    let mut first: HashMap<i64, (Instant, String)> = HashMap::new();
    let mut scheduled: Vec<(Instant, i64)> = vec![];
    let mut replied_at: HashMap<i64, Instant> = HashMap::new();
    let mut answered: HashMap<i64, Instant> = HashMap::new();
    let mut duplicates = 0u64;
    let mut seen = 0usize;
    let deadline = Instant::now() + Duration::from_secs(parents as u64 / 10 + 120);
    loop {
        bot.watch_for(Duration::from_millis(50)).await;
        bot.ensure_alive()?;
        for sent in api.log_since(seen) {
            seen += 1;
            if sent.edit || !parent_chats.contains(&sent.chat) {
                continue;
            }
            match first.get(&sent.chat) {
                None => {
                    first.insert(sent.chat, (sent.at, sent.text.clone()));
                    if repliers.contains(&sent.chat) {
                        let delay = 1_000 + (sent.chat * 7_919) % 9_000;
                        scheduled.push((sent.at + Duration::from_millis(delay as u64), sent.chat));
                    }
                }
                Some((_, text)) if *text == sent.text => duplicates += 1,
                Some(_) => {
                    answered.entry(sent.chat).or_insert(sent.at);
                }
            }
        }
        let now = Instant::now();
        scheduled.retain(|(at, chat)| {
            if *at > now {
                return true;
            }
            api.push_update(|id| message_update(id, *chat, "ขอบคุณค่ะ รับทราบแล้วค่ะ"));
            replied_at.insert(*chat, now);
            false
        });
        let done = first.len() == parents && scheduled.is_empty() && answered.len() == repliers.len();
        if done {
            break;
        }
        if Instant::now() > deadline {
            println!(
                "  {name}: stopped waiting: {} of {parents} delivered, {} of {} replies answered",
                first.len(),
                answered.len(),
                repliers.len()
            );
            break;
        }
    }
    bot.stop().await?;
    let seconds = started.elapsed().as_secs_f64();
    let mut times: Vec<Instant> = first.values().map(|(at, _)| *at).collect();
    times.sort();
    let rate = match (times.first(), times.last()) {
        (Some(a), Some(b)) if times.len() > 1 => {
            (times.len() - 1) as f64 / b.duration_since(*a).as_secs_f64().max(0.001)
        }
        _ => 0.0,
    };
    // Replies share the budget: the announcement and the replies together, while the announcement went out.
    let overall = match (times.first(), times.last()) {
        (Some(a), Some(b)) if times.len() > 1 => {
            let replies_during = answered.values().filter(|at| *at >= a && *at <= b).count();
            (times.len() + replies_during - 1) as f64 / b.duration_since(*a).as_secs_f64().max(0.001)
        }
        _ => 0.0,
    };
    let waits: Vec<f64> = answered
        .iter()
        .filter_map(|(chat, at)| Some(at.duration_since(*replied_at.get(chat)?).as_secs_f64()))
        .collect();
    let losses = parents - first.len();
    let r429 = api.rejected_429();
    println!(
        "{name}: {parents} parents, {seconds:.1} s wall, announcement at {rate:.2} msg/s (limit 30/s), 429s: {r429}, \
         duplicates: {duplicates}, losses: {losses}, peak memory {:.1} MiB{}",
        bot.peak_kib as f64 / 1024.0,
        if replies {
            format!(
                "; replies answered {} of {} (waited {}); announcement and replies together {overall:.2} msg/s",
                answered.len(),
                repliers.len(),
                latencies(waits)
            )
        } else {
            String::new()
        }
    );
    Ok(losses == 0 && duplicates == 0 && answered.len() == repliers.len() && r429 == 0 && overall >= 27.0)
}

/// `start100` and `join2000`: `parents` parents open their invite links spread over `over`.
async fn joining(
    exe: &Path,
    dir: &Path,
    name: &str,
    parents: usize,
    over: Duration,
    workers: u64,
    latency: Duration,
) -> anyhow::Result<bool> {
    let db = dir.join(format!("live-{name}-{workers}.db"));
    let codes = school::joiners(&db, parents)?;
    let api = FakeApi::start_with(latency, true, true).await?;
    let mut bot = Watched::spawn(exe, &bot_args(&db, &api.url, workers, false))?;
    // Let the bot start (and settle its memory) before the crowd arrives.
    bot.watch_for(Duration::from_secs(2)).await;
    let at_rest = bot.rss_kib();
    let started = Instant::now();
    let chats: Vec<i64> = (0..parents as i64).map(|i| FIRST_JOINER + i).collect();
    let step = over.checked_div(parents as u32).unwrap_or_default();
    let mut welcomed: HashMap<i64, Instant> = HashMap::new();
    let mut sent_at: HashMap<i64, Instant> = HashMap::new();
    let mut seen = 0usize;
    let mut next = 0usize;
    let deadline = started + over + Duration::from_secs(parents as u64 / 10 + 120);
    while welcomed.len() < parents && Instant::now() < deadline {
        while next < parents && started + step * next as u32 <= Instant::now() {
            let (chat, code) = (chats[next], &codes[next]);
            api.push_update(|id| message_update(id, chat, &format!("/start {code}")));
            sent_at.insert(chat, Instant::now());
            next += 1;
        }
        bot.watch_for(Duration::from_millis(if next < parents { 10 } else { 50 })).await;
        bot.ensure_alive()?;
        for sent in api.log_since(seen) {
            seen += 1;
            if !sent.edit && sent.chat >= FIRST_JOINER {
                welcomed.entry(sent.chat).or_insert(sent.at);
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // The bot at rest again after the burst (tokio's idle blocking threads end after 10 s).
    bot.watch_for(Duration::from_secs(12)).await;
    let after = bot.rss_kib();
    bot.stop().await?;
    let waits: Vec<f64> =
        welcomed.iter().filter_map(|(c, at)| Some(at.duration_since(*sent_at.get(c)?).as_secs_f64())).collect();
    let r429 = api.rejected_429();
    println!(
        "{name} ({}): {parents} parents over {:.0} s: welcomed {} of {parents} in {seconds:.1} s, 429s: {r429}, \
         waited {}; memory: {:.1} MiB at rest before, peak (VmHWM) {:.1} MiB, {:.1} MiB 12 s after; peak threads {}",
        if workers == 0 { "one worker per chat".to_string() } else { format!("{workers} workers") },
        over.as_secs_f64(),
        welcomed.len(),
        latencies(waits),
        at_rest as f64 / 1024.0,
        bot.peak_kib as f64 / 1024.0,
        after as f64 / 1024.0,
        bot.peak_threads,
    );
    Ok(welcomed.len() == parents && r429 == 0)
}

/// One step of every teacher, measured: updates pushed at once, then wait until the bot is quiet.
struct StepResult {
    updates: usize,
    seconds: f64,
    cpu: Duration,
    calls: u64,
}

async fn run_step(api: &FakeApi, bot: &mut Watched, updates: Vec<(i64, String)>) -> anyhow::Result<StepResult> {
    let count = updates.len();
    let calls_before = api.total_calls();
    let chats: HashSet<i64> = updates.iter().map(|(c, _)| *c).collect();
    let before: HashMap<i64, u64> = chats.iter().map(|c| (*c, api.chat_calls(*c))).collect();
    let cpu_before = bot.cpu();
    let started = Instant::now();
    for (_, json) in updates {
        api.push_update(|id| json.replace("\"update_id\":0", &format!("\"update_id\":{id}")));
    }
    let deadline = started + Duration::from_secs(120);
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let all_answered = api.pending_updates() == 0 && before.iter().all(|(c, n)| api.chat_calls(*c) > *n);
        let quiet = api.last_call().is_none_or(|t| t.elapsed() > Duration::from_millis(300));
        if all_answered && quiet {
            break;
        }
        bot.ensure_alive()?;
        anyhow::ensure!(Instant::now() < deadline, "the bot did not answer every update of a step within 120 s");
    }
    let seconds = api.last_call().map_or(0.0, |t| t.duration_since(started).as_secs_f64());
    Ok(StepResult {
        updates: count,
        seconds,
        cpu: bot.cpu().saturating_sub(cpu_before),
        calls: api.total_calls() - calls_before,
    })
}

/// The latest message with buttons in each chat: (message id, callback data).
fn keyboards(api: &FakeApi) -> HashMap<i64, (i32, Vec<String>)> {
    let mut latest = HashMap::new();
    for sent in api.log() {
        if !sent.buttons.is_empty() {
            latest.insert(sent.chat, (sent.message_id, sent.buttons));
        }
    }
    latest
}

/// An update with a placeholder id (filled in when pushed).
fn text_step(chat: i64, text: &str) -> (i64, String) {
    (chat, message_update(0, chat, text))
}

fn press_step(chat: i64, message_id: i32, data: &str) -> (i64, String) {
    (chat, button_update(0, chat, message_id, data))
}

fn report_line(name: &str, r: &StepResult) -> String {
    format!(
        "{name:<14} {:>6} updates  {:>7.0} updates/s  {:>6.3} ms CPU/update  {:.1} Bot API calls/update",
        r.updates,
        r.updates as f64 / r.seconds.max(0.001),
        r.cpu.as_secs_f64() * 1000.0 / r.updates.max(1) as f64,
        r.calls as f64 / r.updates.max(1) as f64,
    )
}

#[derive(Default)]
struct Totals(HashMap<&'static str, StepResult>);

impl Totals {
    fn add(&mut self, name: &'static str, r: StepResult) {
        let e = self.0.entry(name).or_insert(StepResult { updates: 0, seconds: 0.0, cpu: Duration::ZERO, calls: 0 });
        e.updates += r.updates;
        e.seconds += r.seconds;
        e.cpu += r.cpu;
        e.calls += r.calls;
    }
}

/// `steps`: teachers on a full school, then a bare teloxide bot with the same kinds of updates.
async fn steps(exe: &Path, dir: &Path, rounds: usize) -> anyhow::Result<bool> {
    let db = dir.join("live-school.db");
    let generating = Instant::now();
    let school = school::full_school(&db)?;
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "steps: school of {} students ({} classes, {} teachers), ten years: {} submissions, {} audit rows, {} outbox \
         rows; database {:.0} MiB, written in {:.1} s",
        school.students,
        school.classes,
        school.teachers.len(),
        school.submissions,
        school.audit_rows,
        school.outbox_rows,
        size as f64 / 1_048_576.0,
        generating.elapsed().as_secs_f64()
    );
    let teachers = school.teachers.clone();

    // Dulae.
    let api = FakeApi::start_with(Duration::ZERO, false, true).await?;
    let mut bot = Watched::spawn(exe, &bot_args(&db, &api.url, 64, true))?;
    bot.watch_for(Duration::from_secs(3)).await;
    let idle_before = bot.cpu();
    bot.watch_for(Duration::from_secs(3)).await;
    let idle_per_s = (bot.cpu().saturating_sub(idle_before)).as_secs_f64() / 3.0;
    let mut dulae = Totals::default();
    for round in 0..rounds {
        dulae.add("/help", run_step(&api, &mut bot, teachers.iter().map(|c| text_step(*c, "/help")).collect()).await?);
        dulae.add(
            "class list",
            run_step(&api, &mut bot, teachers.iter().map(|c| text_step(*c, "/screen")).collect()).await?,
        );
        // Open the form of the round's student (a different one each round).
        let boards = keyboards(&api);
        let mut opens = vec![];
        for chat in &teachers {
            let (message_id, buttons) =
                boards.get(chat).with_context(|| format!("teacher {chat} got no class list"))?;
            let students: Vec<&String> = buttons.iter().filter(|b| b.contains(":pk:") && b.contains(":s:")).collect();
            let pick = students
                .get(round % students.len().max(1))
                .with_context(|| format!("no student buttons: {buttons:?}"))?;
            opens.push(press_step(*chat, *message_id, pick));
        }
        dulae.add("open a form", run_step(&api, &mut bot, opens).await?);
        // Answer the first questions: the first choice where there are choices, else a typed answer (the
        // screening opens with the pupil's grade average).
        for _ in 0..3 {
            let boards = keyboards(&api);
            let mut answers = vec![];
            for chat in &teachers {
                let (message_id, buttons) = boards.get(chat).with_context(|| format!("teacher {chat} has no form"))?;
                let choice = buttons.iter().find(|b| b.contains(":f:") && b.contains(":c:"));
                answers.push(match choice {
                    Some(choice) => press_step(*chat, *message_id, choice),
                    None => text_step(*chat, "3.25"),
                });
            }
            dulae.add("answer", run_step(&api, &mut bot, answers).await?);
        }
    }
    bot.sample();
    bot.stop().await?;
    drop(api);

    // A bare teloxide bot: one message per text, an answer and an edit per press.
    let api = FakeApi::start_with(Duration::ZERO, false, true).await?;
    let mut bare = Watched::spawn(exe, &["bench".into(), "bare".into(), "--api".into(), api.url.clone()])?;
    bare.watch_for(Duration::from_secs(3)).await;
    let mut bare_totals = Totals::default();
    for _ in 0..rounds {
        bare_totals
            .add("/help", run_step(&api, &mut bare, teachers.iter().map(|c| text_step(*c, "/help")).collect()).await?);
        bare_totals.add(
            "class list",
            run_step(&api, &mut bare, teachers.iter().map(|c| text_step(*c, "/screen")).collect()).await?,
        );
        bare_totals.add(
            "open a form",
            run_step(&api, &mut bare, teachers.iter().map(|c| press_step(*c, 1, "1:pk:x:s:1")).collect()).await?,
        );
        for _ in 0..3 {
            bare_totals.add(
                "answer",
                run_step(&api, &mut bare, teachers.iter().map(|c| press_step(*c, 1, "1:f:x:0:c:1")).collect()).await?,
            );
        }
    }
    bare.stop().await?;

    println!(
        "  (fake Bot API answering at once, no limits; Dulae's governor unpaced; idle CPU of Dulae {:.2} ms/s)",
        idle_per_s * 1000.0
    );
    let mut worst: f64 = 0.0;
    for name in ["/help", "class list", "open a form", "answer"] {
        let (Some(d), Some(b)) = (dulae.0.get(name), bare_totals.0.get(name)) else { continue };
        println!("  Dulae {}", report_line(name, d));
        println!("  bare  {}", report_line(name, b));
        let per = |r: &StepResult| r.cpu.as_secs_f64() / r.updates.max(1) as f64;
        let ratio = per(d) / per(b).max(1e-9);
        worst = worst.max(ratio);
        println!("        {name}: Dulae/bare CPU per update = {ratio:.2}");
    }
    println!(
        "  peak memory: Dulae {:.1} MiB, bare {:.1} MiB",
        bot.peak_kib as f64 / 1024.0,
        bare.peak_kib as f64 / 1024.0
    );
    Ok(worst <= 1.25)
}

/// `dulae bench live`.
pub async fn live(only: Option<String>, parents: usize, latency_ms: u64, rounds: usize) -> anyhow::Result<()> {
    let latency = Duration::from_millis(latency_ms);
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let dir = tempfile_dir()?;
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    println!(
        "the whole bot against a fake Bot API on 127.0.0.1 (30 msg/s overall, per chat 1/s after a burst of 3, \
         {latency_ms} ms answers)"
    );
    let mut missed = vec![];
    if run("broadcast") && !broadcast(&exe, &dir, parents, latency, false).await? {
        missed.push("broadcast");
    }
    if run("replies") && !broadcast(&exe, &dir, parents, latency, true).await? {
        missed.push("replies");
    }
    if run("start100") && !joining(&exe, &dir, "start100", 100, Duration::from_millis(900), 64, latency).await? {
        missed.push("start100");
    }
    if run("join2000") {
        for workers in [0, 64] {
            if !joining(&exe, &dir, "join2000", 2000, Duration::from_secs(60), workers, latency).await? {
                missed.push("join2000");
            }
        }
    }
    if run("steps") && !steps(&exe, &dir, rounds).await? {
        missed.push("steps (CPU per update above 1.25 × the bare bot)");
    }
    let _ = std::fs::remove_dir_all(&dir);
    if !missed.is_empty() {
        println!("targets missed: {}", missed.join(", "));
    }
    Ok(())
}

/// `dulae bench bot`: the real bot (long polling, handlers, governor, outbox sender) on `db` against `api`.
pub async fn bot_process(db: &Path, api: &str, workers: u64, unpaced: bool) -> anyhow::Result<()> {
    let db: PathBuf = db.to_path_buf();
    let config = Config::from_lookup(|name| match name {
        "DULAE_DB" => Some(db.display().to_string()),
        "DULAE_SCHOOL_NAME" => Some("โรงเรียนทดสอบ".into()),
        _ => None,
    })?;
    let store = Store::open(&config.db_path)?;
    let mut app = App::new(store, config)?;
    app.bot_username = Some("dulae_bench_bot".into());
    if unpaced {
        // The update-handling benchmark measures handling, not Telegram's pace.
        app.governor = Arc::new(Governor::unpaced());
    }
    crate::bot::WORKERS.store(workers, std::sync::atomic::Ordering::Relaxed);
    let bot = teloxide::Bot::new("1:bench").set_api_url(url::Url::parse(api).context("--api is not a URL")?);
    crate::bot::run(Arc::new(app), bot).await
}

/// `dulae bench bare`: a bare teloxide bot — a message gets one message back, a press an answer and an edit.
pub async fn bare_bot(api: &str) -> anyhow::Result<()> {
    use teloxide::prelude::*;
    let bot = Bot::new("1:bench").set_api_url(url::Url::parse(api).context("--api is not a URL")?);
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
            bot.send_message(msg.chat.id, "สวัสดีค่ะ").await?;
            Ok::<(), teloxide::RequestError>(())
        }))
        .branch(Update::filter_callback_query().endpoint(|bot: Bot, q: CallbackQuery| async move {
            bot.answer_callback_query(q.id.clone()).await?;
            if let Some(message) = &q.message {
                bot.edit_message_text(message.chat().id, message.id(), "ตกลงค่ะ").await?;
            }
            Ok::<(), teloxide::RequestError>(())
        }));
    let mut dispatcher = Dispatcher::builder(bot, handler).default_handler(|_| async {}).build();
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        #[cfg(unix)]
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            term.recv().await;
        }
        loop {
            match shutdown.shutdown() {
                Ok(done) => {
                    done.await;
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    });
    dispatcher.dispatch().await;
    Ok(())
}
