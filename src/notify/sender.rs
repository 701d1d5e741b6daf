//! The sender: ONE task that drains the outbox under Telegram's limits.
//!
//! - Paced by the [`Governor`] it shares with the bot's direct replies: overall under Telegram's ~30/s, per chat
//!   1/s with a small burst, and replies a person is waiting for go first — the outbox fills the slots they
//!   leave. One message at a time per chat (in order).
//! - 429 → that chat waits `retry_after`, and the overall pace slows down (it recovers slowly on success).
//! - Network trouble and 5xx → retried with exponential backoff, `max_attempts` tries at most, then `failed`.
//! - 403 / chat not found / user deactivated → the row is `blocked`, the person `unreachable`, and nothing more
//!   is sent to them (until a `my_chat_member` update says they unblocked the bot).
//! - A row is `sending` just before the call and `sent` right after: a crash re-sends at most the messages in
//!   flight; on start rows left in `sending` go back to `pending`. A graceful stop finishes the calls in flight
//!   (and records them) before returning, so it re-sends nothing.
//!
//! Time is injected (a [`Clock`] and a [`Waiter`]): the tests run whole broadcasts in virtual time without
//! sleeping. The transport is the [`Deliver`] trait: teloxide in `crate::bot::deliver`, doubles in the tests.
//! The loop itself is async and never touches the database: each read or state change of a row runs on a
//! blocking thread (`app::db`), so the store's lock — which a chat's turn may hold — never stalls a Tokio worker.

use crate::app::db;
use crate::app::tasks::{Shutdown, StopSignal};
use crate::chat_ui::Keyboard;
use crate::clock::{Clock, FixedClock};
use crate::notify::governor::{Governor, GovernorLimits};
use crate::notify::outbox::{self, Queued, Recipient};
use crate::notify::store;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// Why a call did not deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// 429 Too Many Requests: wait this long before calling again for this chat.
    RetryAfter(Duration),
    /// 403 (blocked by the user), chat not found, user deactivated: this person cannot be reached.
    Blocked(String),
    /// Network trouble or a 5xx: worth trying again later.
    Transient(String),
    /// A request Telegram will never accept (bad request, file too big): do not retry.
    Permanent(String),
}

impl std::fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryError::RetryAfter(d) => write!(f, "429: retry after {} s", d.as_secs_f64()),
            DeliveryError::Blocked(e) => write!(f, "unreachable: {e}"),
            DeliveryError::Transient(e) => write!(f, "transient: {e}"),
            DeliveryError::Permanent(e) => write!(f, "rejected: {e}"),
        }
    }
}

/// Replace the text and buttons of a message the bot sent earlier (announcement progress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub chat_id: i64,
    pub message_id: i32,
    pub text: String,
    pub keyboard: Keyboard,
    /// Opaque to the sender; given back to [`Progress::result`].
    pub tag: String,
}

/// The transport.
pub trait Deliver: Send + Sync + 'static {
    /// Send one queued message; the Telegram message id on success.
    fn deliver(&self, message: &Queued) -> impl Future<Output = Result<i32, DeliveryError>> + Send;
    /// Edit a message in place.
    fn edit(&self, edit: &Edit) -> impl Future<Output = Result<(), DeliveryError>> + Send;
}

/// Edits the sender shows on the side, paced like messages (announcement progress and final reports). Both
/// methods are called on a blocking thread, so they may use the store.
pub trait Progress: Send + Sync + 'static {
    /// The edits to show now (only what changed since last time).
    fn edits(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Edit>>;
    /// Whether an edit was shown; a failed one should be offered again later.
    fn result(&self, tag: &str, shown: bool);
}

/// How the sender waits. Real time sleeps; virtual time (tests) moves a [`FixedClock`] and returns at once.
pub trait Waiter: Send + Sync + 'static {
    fn wait_until(&self, at: DateTime<Utc>) -> impl Future<Output = ()> + Send;
    /// Virtual time never waits for the clock while calls are in flight (they finish at once).
    fn is_virtual(&self) -> bool {
        false
    }
}

pub struct RealTime(pub Arc<dyn Clock>);

impl Waiter for RealTime {
    async fn wait_until(&self, at: DateTime<Utc>) {
        let wait = (at - self.0.now()).to_std().unwrap_or_default();
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

pub struct VirtualTime(pub Arc<FixedClock>);

impl Waiter for VirtualTime {
    async fn wait_until(&self, at: DateTime<Utc>) {
        if at > self.0.now() {
            self.0.set(at);
        }
        tokio::task::yield_now().await;
    }

    fn is_virtual(&self) -> bool {
        true
    }
}

/// Telegram's limits and our patience.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Messages per second overall for a sender with its own governor (tests, `Sender::new`); the bot's sender
    /// shares the bot's governor instead (`DULAE_SEND_RATE`, see [`Sender::with_governor`]).
    pub per_second: f64,
    /// Pause between two messages to one chat (for a sender with its own governor).
    pub per_chat: Duration,
    /// Tries for network trouble and 5xx before a message is `failed`.
    pub max_attempts: i64,
    /// The first retry waits this long; each next one twice as long (at most 10 minutes).
    pub backoff: Duration,
    /// Calls in flight at once (Telegram answers in ~100–300 ms; one at a time would not reach 28/s).
    pub max_in_flight: usize,
    /// How often to look for new messages when the outbox is empty.
    pub idle_poll: Duration,
    /// How often to refresh progress messages.
    pub progress_every: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_second: 25.0,
            per_chat: Duration::from_secs(1),
            max_attempts: 5,
            backoff: Duration::from_secs(5),
            max_in_flight: 8,
            idle_poll: Duration::from_secs(1),
            progress_every: Duration::from_secs(3),
        }
    }
}

/// What one run of the sender did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SenderReport {
    pub sent: u64,
    pub blocked: u64,
    pub failed: u64,
    pub cancelled: u64,
    /// Retries after network trouble or 5xx.
    pub retried: u64,
    /// 429 answers.
    pub rate_limited: u64,
    pub edits: u64,
    /// Rows found in `sending` at start (the previous process died with them in flight).
    pub recovered_in_flight: u64,
}

/// How many rows to look at when choosing the next message (rows for busy chats are skipped).
const WINDOW: i64 = 200;
const MAX_BACKOFF: Duration = Duration::from_secs(600);

enum Job {
    Message(Queued),
    Edit(Edit),
}

enum Done {
    Message(Queued, Result<i32, DeliveryError>),
    Edit(Edit, Result<(), DeliveryError>),
}

enum Pick {
    Start(Job),
    /// Nothing can start before this instant.
    Wait(DateTime<Utc>),
    /// Nothing is due; the next row becomes due at this instant (if any).
    Idle(Option<DateTime<Utc>>),
}

pub struct Sender<D: Deliver, W: Waiter> {
    store: Arc<dyn AsRef<Store> + Send + Sync>,
    clock: Arc<dyn Clock>,
    deliver: Arc<D>,
    waiter: W,
    limits: Limits,
    progress: Option<Arc<dyn Progress>>,
    /// The budget shared with the bot's replies (pace, per-chat allowance, 429s).
    governor: Arc<Governor>,
    /// Chats resting after network trouble (their row waits for its next attempt; later rows wait too).
    chat_ready: HashMap<i64, DateTime<Utc>>,
    busy_chats: HashSet<i64>,
    edits: VecDeque<Edit>,
    report: SenderReport,
}

impl<D: Deliver, W: Waiter> Sender<D, W> {
    pub fn new(
        store: Arc<dyn AsRef<Store> + Send + Sync>,
        clock: Arc<dyn Clock>,
        deliver: Arc<D>,
        waiter: W,
        limits: Limits,
    ) -> Self {
        // A sender on its own (tests) has its own governor on the same clock; the bot gives it the shared one.
        let own = GovernorLimits { per_second: limits.per_second, chat_burst: 1, chat_interval: limits.per_chat };
        let governor = Arc::new(Governor::new(own, Arc::clone(&clock)));
        Sender {
            store,
            clock,
            deliver,
            waiter,
            limits,
            progress: None,
            governor,
            chat_ready: HashMap::new(),
            busy_chats: HashSet::new(),
            edits: VecDeque::new(),
            report: SenderReport::default(),
        }
    }

    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Share the bot's governor: replies and the outbox draw from one budget.
    pub fn with_governor(mut self, governor: Arc<Governor>) -> Self {
        self.governor = governor;
        self
    }

    /// Run until `stop` says so (then finish the calls in flight and return), or — with `until_idle` — until
    /// nothing is due and nothing is in flight (tests, the benchmark).
    pub async fn run(mut self, stop: impl Into<StopSignal>, until_idle: bool) -> SenderReport {
        let mut stop = stop.into();
        match db::write(&self.store, |tx| outbox::reset_in_flight(tx)).await {
            Ok(n) => {
                self.report.recovered_in_flight = n as u64;
                if n > 0 {
                    tracing::warn!(n, "messages were in flight when the bot last stopped; sending them again");
                }
            }
            Err(e) => tracing::error!(error = %format!("{e:#}"), "cannot reset in-flight outbox rows"),
        }
        let mut in_flight: JoinSet<Done> = JoinSet::new();
        let mut stopping = stop.is_stopped();
        let mut next_progress = self.clock.now();
        let mut flushed = false;
        loop {
            let mut wake_at = None;
            let mut idle = false;
            while !stopping && in_flight.len() < self.limits.max_in_flight.max(1) {
                let now = self.clock.now();
                if now >= next_progress {
                    next_progress = now + chrono_duration(self.limits.progress_every);
                    self.collect_edits(now).await;
                }
                match self.pick(now).await {
                    Ok(Pick::Start(job)) => {
                        flushed = false;
                        let deliver = Arc::clone(&self.deliver);
                        in_flight.spawn(async move {
                            match job {
                                Job::Message(q) => {
                                    let result = deliver.deliver(&q).await;
                                    Done::Message(q, result)
                                }
                                Job::Edit(e) => {
                                    let result = deliver.edit(&e).await;
                                    Done::Edit(e, result)
                                }
                            }
                        });
                    }
                    Ok(Pick::Wait(at)) => {
                        wake_at = Some(at);
                        break;
                    }
                    Ok(Pick::Idle(at)) => {
                        idle = true;
                        let poll = now + chrono_duration(self.limits.idle_poll);
                        wake_at = Some(match at {
                            Some(at) if until_idle => at,
                            Some(at) => at.min(poll),
                            None => poll,
                        });
                        break;
                    }
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "the sender cannot read the outbox; trying again");
                        wake_at = Some(now + chrono::Duration::seconds(2));
                        break;
                    }
                }
            }
            if in_flight.is_empty() {
                if stopping {
                    break;
                }
                if idle && until_idle && self.edits.is_empty() {
                    let nothing_scheduled =
                        db::read(&self.store, outbox::next_due).await.map(|n| n.is_none()).unwrap_or(true);
                    if nothing_scheduled {
                        // One last look for progress to show (the final reports), then stop.
                        if flushed {
                            break;
                        }
                        flushed = true;
                        self.collect_edits(self.clock.now()).await;
                        continue;
                    }
                }
            }
            let time_matters = !self.waiter.is_virtual() || in_flight.is_empty();
            let wake_at = wake_at.unwrap_or_else(|| self.clock.now() + chrono::Duration::milliseconds(200));
            tokio::select! {
                biased;
                () = stop.stopped(), if !stopping => {
                    stopping = true;
                    tracing::info!(in_flight = in_flight.len(), "the sender is stopping after the calls in flight");
                }
                Some(done) = in_flight.join_next(), if !in_flight.is_empty() => match done {
                    Ok(done) => self.record(done).await,
                    Err(e) => tracing::error!(error = %e, "a delivery task failed"),
                },
                () = self.waiter.wait_until(wake_at), if time_matters => {}
            }
        }
        self.report
    }

    async fn collect_edits(&mut self, now: DateTime<Utc>) {
        let Some(progress) = self.progress.clone() else { return };
        match db::off_thread(move || progress.edits(now)).await {
            Ok(edits) => {
                for edit in edits {
                    // A newer text for the same message replaces the one still waiting.
                    self.edits.retain(|e| !(e.chat_id == edit.chat_id && e.message_id == edit.message_id));
                    self.edits.push_back(edit);
                }
            }
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "cannot compute progress messages"),
        }
    }

    fn chat_free(&self, chat: i64, now: DateTime<Utc>) -> Result<(), Option<DateTime<Utc>>> {
        if self.busy_chats.contains(&chat) {
            return Err(None);
        }
        if let Some(ready) = self.chat_ready.get(&chat)
            && *ready > now
        {
            return Err(Some(*ready));
        }
        let allowed = self.governor.chat_ready_at(chat, now);
        if allowed > now { Err(Some(allowed)) } else { Ok(()) }
    }

    /// Ask the governor for this chat's slot; `Err` says when to look again.
    fn take_slot(&mut self, chat: i64, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        self.governor.try_background(chat, now)?;
        self.busy_chats.insert(chat);
        if self.chat_ready.len() > 10_000 {
            self.chat_ready.retain(|_, ready| *ready > now);
        }
        Ok(())
    }

    async fn pick(&mut self, now: DateTime<Utc>) -> anyhow::Result<Pick> {
        if let Err(at) = self.governor.background_ready(now) {
            return Ok(Pick::Wait(at));
        }
        let mut earliest: Option<DateTime<Utc>> = None;
        let mut note = |at: Option<DateTime<Utc>>| {
            if let Some(at) = at {
                earliest = Some(earliest.map_or(at, |e: DateTime<Utc>| e.min(at)));
            }
        };
        let ready_edit = self.edits.iter().position(|e| self.chat_free(e.chat_id, now).is_ok());
        if let Some(pos) = ready_edit {
            let chat = self.edits[pos].chat_id;
            if let Err(at) = self.take_slot(chat, now) {
                return Ok(Pick::Wait(at));
            }
            if let Some(edit) = self.edits.remove(pos) {
                return Ok(Pick::Start(Job::Edit(edit)));
            }
        }
        for edit in &self.edits {
            if let Err(at) = self.chat_free(edit.chat_id, now) {
                note(at);
            }
        }
        let rows = db::read(&self.store, move |c| store::due_with_recipients(c, now, WINDOW)).await?;
        if rows.is_empty() {
            if let Some(at) = earliest {
                return Ok(Pick::Wait(at));
            }
            let next = db::read(&self.store, outbox::next_due).await?;
            return Ok(Pick::Idle(next));
        }
        for (q, recipient) in rows {
            if let Err(at) = self.chat_free(q.chat_id, now) {
                note(at);
                continue;
            }
            let id = q.id;
            match recipient {
                Recipient::Reachable => {}
                Recipient::Unreachable => {
                    db::write(&self.store, move |tx| {
                        outbox::mark_blocked(tx, id, "the person blocked the bot earlier")
                    })
                    .await?;
                    self.report.blocked += 1;
                    continue;
                }
                Recipient::Revoked => {
                    db::write(&self.store, move |tx| outbox::mark_cancelled(tx, id, "access revoked")).await?;
                    self.report.cancelled += 1;
                    continue;
                }
            }
            if let Err(at) = self.take_slot(q.chat_id, now) {
                return Ok(Pick::Wait(at));
            }
            if !db::write(&self.store, move |tx| outbox::mark_sending(tx, id)).await? {
                // Cancelled meanwhile: the slot goes unused, the chat is free again.
                self.busy_chats.remove(&q.chat_id);
                continue;
            }
            return Ok(Pick::Start(Job::Message(q)));
        }
        // Every due row is for a chat that is busy or resting; a finishing call wakes the loop earlier.
        Ok(Pick::Wait(earliest.unwrap_or(now + chrono::Duration::milliseconds(200))))
    }

    async fn record(&mut self, done: Done) {
        let now = self.clock.now();
        match done {
            Done::Edit(edit, result) => {
                self.busy_chats.remove(&edit.chat_id);
                let shown = match result {
                    Ok(()) => true,
                    Err(DeliveryError::RetryAfter(wait)) => {
                        self.rate_limited(edit.chat_id, wait, now);
                        false
                    }
                    Err(e) => {
                        tracing::warn!(chat = edit.chat_id, error = %e, "could not update a progress message");
                        false
                    }
                };
                self.report.edits += u64::from(shown);
                if let Some(progress) = self.progress.clone() {
                    let tag = edit.tag;
                    let noted = db::off_thread(move || {
                        progress.result(&tag, shown);
                        Ok(())
                    });
                    if let Err(e) = noted.await {
                        tracing::warn!(error = %format!("{e:#}"), "cannot note how a progress message went");
                    }
                }
            }
            Done::Message(q, result) => {
                self.busy_chats.remove(&q.chat_id);
                if let Err(e) = self.record_message(&q, result, now).await {
                    // The row stays `sending`: the next start sends it again (at most this one message twice).
                    tracing::error!(id = q.id.0, error = %format!("{e:#}"), "cannot record a delivery");
                }
            }
        }
    }

    async fn record_message(
        &mut self,
        q: &Queued,
        result: Result<i32, DeliveryError>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let id = q.id;
        match result {
            Ok(message_id) => {
                db::write(&self.store, move |tx| outbox::mark_sent(tx, id, message_id, now)).await?;
                self.report.sent += 1;
                self.governor.succeeded();
            }
            Err(DeliveryError::RetryAfter(wait)) => {
                self.report.rate_limited += 1;
                self.rate_limited(q.chat_id, wait, now);
                let at = now + chrono_duration(wait);
                db::write(&self.store, move |tx| outbox::mark_retry(tx, id, at, "429 Too Many Requests", false))
                    .await?;
            }
            Err(DeliveryError::Blocked(error)) => {
                self.report.blocked += 1;
                let (chat, user, cause) = (q.chat_id, q.user_id, error.clone());
                let others = db::write(&self.store, move |tx| {
                    outbox::mark_blocked(tx, id, &cause)?;
                    outbox::block_chat(tx, chat, user, &cause, now)
                })
                .await?;
                self.report.blocked += others as u64;
                tracing::info!(chat = q.chat_id, error = %error, "a person cannot be reached; no more messages to them");
            }
            Err(DeliveryError::Transient(error)) => {
                let tries = q.attempts + 1;
                if tries >= self.limits.max_attempts {
                    self.report.failed += 1;
                    let cause = error.clone();
                    db::write(&self.store, move |tx| outbox::mark_failed(tx, id, &cause)).await?;
                    tracing::warn!(id = q.id.0, tries, error = %error, "gave up on a message");
                } else {
                    self.report.retried += 1;
                    let factor = 2u32.saturating_pow(u32::try_from(q.attempts.max(0)).unwrap_or(u32::MAX).min(16));
                    let wait = self.limits.backoff.saturating_mul(factor).min(MAX_BACKOFF);
                    let at = now + chrono_duration(wait);
                    self.chat_ready.insert(q.chat_id, at);
                    db::write(&self.store, move |tx| outbox::mark_retry(tx, id, at, &error, true)).await?;
                }
            }
            Err(DeliveryError::Permanent(error)) => {
                self.report.failed += 1;
                let cause = error.clone();
                db::write(&self.store, move |tx| outbox::mark_failed(tx, id, &cause)).await?;
                tracing::warn!(id = q.id.0, error = %error, "Telegram refused a message");
            }
        }
        Ok(())
    }

    /// A 429: this chat waits `retry_after`; everyone slows down (the governor keeps both).
    fn rate_limited(&mut self, chat: i64, wait: Duration, now: DateTime<Utc>) {
        self.governor.rate_limited(chat, wait, now);
    }
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// A handle on the running sender: stop it and wait for it to finish the calls in flight.
pub struct Running {
    stop: Shutdown,
    handle: tokio::task::JoinHandle<SenderReport>,
}

impl Running {
    pub async fn stop(self) -> SenderReport {
        self.stop.trigger();
        match self.handle.await {
            Ok(report) => report,
            Err(e) => {
                tracing::error!(error = %e, "the sender task ended badly");
                SenderReport::default()
            }
        }
    }
}

/// Start the sender in real time on its own task, paced by `governor` (shared with the bot's replies). The
/// benchmark's; the bot starts its sender with its other tasks, on one stop signal (`bot::start_background`).
pub fn spawn<D: Deliver>(
    store: Arc<dyn AsRef<Store> + Send + Sync>,
    clock: Arc<dyn Clock>,
    deliver: Arc<D>,
    limits: Limits,
    governor: Arc<Governor>,
    progress: Option<Arc<dyn Progress>>,
) -> Running {
    let stop = Shutdown::new();
    let mut sender = Sender::new(store, Arc::clone(&clock), deliver, RealTime(clock), limits).with_governor(governor);
    if let Some(progress) = progress {
        sender = sender.with_progress(progress);
    }
    let handle = tokio::spawn(sender.run(stop.signal(), false));
    Running { stop, handle }
}
