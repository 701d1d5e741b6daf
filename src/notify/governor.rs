//! The governor: ONE budget for everything the bot sends to Telegram — the replies a person is waiting for
//! (`crate::bot::render`) and the outbox (`crate::notify::sender`) draw from it, so together they stay under
//! Telegram's limits instead of each keeping its own pace and tripping the other's.
//!
//! - Overall: calls are spaced evenly at `per_second` (default 28/s, `DULAE_SEND_RATE`): any one second holds
//!   at most `per_second + 1` calls, under Telegram's ~30 with a little headroom for clock jitter.
//! - Per chat: a token bucket of `chat_burst` calls (default 2) refilled one per `chat_interval` (1 s), so one
//!   tap that sends two messages goes out at once, and a chat never averages more than 1/s.
//! - Replies first, in the order they came: while a reply whose chat is ready waits for an overall slot, the
//!   outbox gets none (it fills the slots replies leave free), and waiting replies take their turns first come,
//!   first served — under a burst (a parents' meeting) nobody waits much longer than the queue in front of them.
//! - A 429 closes that chat until `retry_after` has passed and slows everyone down (the pace recovers on
//!   success), so one 429 does not become many.
//!
//! [`Budget`] is the pure decision (time is a parameter: tests give it any instant). [`Governor`] wraps it for
//! sharing between tasks; replies wait through it with [`Governor::reply_slot`], the outbox asks without waiting
//! ([`Governor::try_background`]) because its own loop decides what to do meanwhile.

use crate::clock::{Clock, FixedClock};
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Telegram's limits as we keep them.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernorLimits {
    /// Calls per second overall (Telegram allows about 30).
    pub per_second: f64,
    /// Calls one chat may receive at once before the 1/s pace applies.
    pub chat_burst: u32,
    /// The pace per chat once the burst is spent.
    pub chat_interval: Duration,
}

/// The default overall pace: Telegram's 30/s less two for headroom.
pub const DEFAULT_SEND_RATE: f64 = 28.0;

impl Default for GovernorLimits {
    fn default() -> Self {
        GovernorLimits { per_second: DEFAULT_SEND_RATE, chat_burst: 2, chat_interval: Duration::from_secs(1) }
    }
}

/// Who is asking for a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// A reply a person is waiting for (they just tapped or wrote).
    Reply,
    /// The outbox: notifications, announcements, progress edits.
    Background,
}

/// The slowest the overall pace goes after 429s.
const SLOWEST: Duration = Duration::from_secs(1);
/// Forget chats whose allowance is full again once this many are remembered (memory stays small).
const PRUNE_AT: usize = 4096;

/// The pure decision: who may call Telegram at `now`. Every method takes the time it should assume.
#[derive(Debug)]
pub struct Budget {
    limits: GovernorLimits,
    /// The current spacing between two calls (grows after 429s, recovers on success).
    interval: Duration,
    /// The earliest instant the next call may start.
    next_slot: Option<DateTime<Utc>>,
    /// Per chat: the bucket's "theoretical arrival time" (GCRA). A call is allowed when
    /// `now >= tat - (burst - 1) * chat_interval`; each call pushes `tat` one interval further.
    chats: HashMap<i64, DateTime<Utc>>,
    /// Replies whose chat is ready and who wait only for an overall slot, by arrival ticket: they go in this
    /// order, and the outbox waits while any are here.
    queue: BTreeSet<u64>,
    next_ticket: u64,
}

impl Budget {
    pub fn new(limits: GovernorLimits) -> Budget {
        let interval = base_interval(&limits);
        Budget { limits, interval, next_slot: None, chats: HashMap::new(), queue: BTreeSet::new(), next_ticket: 0 }
    }

    pub fn limits(&self) -> &GovernorLimits {
        &self.limits
    }

    fn chat_interval(&self) -> chrono::Duration {
        chrono_duration(self.limits.chat_interval)
    }

    /// When `chat` may receive its next call (`now` or earlier if it may right away).
    pub fn chat_ready_at(&self, chat: i64, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.chats.get(&chat) {
            None => now,
            Some(tat) => *tat - self.chat_interval() * (self.limits.chat_burst.max(1) as i32 - 1),
        }
    }

    /// When the next overall slot opens.
    pub fn slot_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.next_slot.map_or(now, |s| s.max(now))
    }

    /// Take a slot for one call to `chat`, or say when to ask again. Background callers also wait while
    /// replies are waiting.
    pub fn try_take(&mut self, chat: i64, urgency: Urgency, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let chat_at = self.chat_ready_at(chat, now);
        if chat_at > now {
            return Err(chat_at);
        }
        let slot = self.slot_at(now);
        if slot > now {
            return Err(slot);
        }
        if urgency == Urgency::Background && !self.queue.is_empty() {
            // The reply takes this slot; look again one slot later.
            return Err(now + chrono_duration(self.interval));
        }
        self.take(chat, now);
        Ok(())
    }

    /// Whether the outbox could have a slot now (any chat): `Err` says when to look again.
    pub fn background_ready(&self, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let slot = self.slot_at(now);
        if slot > now {
            Err(slot)
        } else if !self.queue.is_empty() {
            Err(now + chrono_duration(self.interval))
        } else {
            Ok(())
        }
    }

    /// A number for a reply that starts waiting: smaller numbers go first.
    pub fn ticket(&mut self) -> u64 {
        self.next_ticket += 1;
        self.next_ticket
    }

    /// A slot for the reply holding `ticket`, in turn; `Err` says when to ask again (its estimated turn).
    pub fn try_take_reply(&mut self, chat: i64, ticket: u64, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let chat_at = self.chat_ready_at(chat, now);
        if chat_at > now {
            // Held by its own chat's pace: it does not hold up the others meanwhile.
            self.queue.remove(&ticket);
            return Err(chat_at);
        }
        self.queue.insert(ticket);
        let ahead = self.queue.range(..ticket).count();
        let slot = self.slot_at(now);
        if ahead == 0 && slot <= now {
            self.queue.remove(&ticket);
            self.take(chat, now);
            return Ok(());
        }
        Err(slot + chrono_duration(self.interval) * ahead as i32)
    }

    /// A waiting reply gave up (its task ended).
    pub fn leave(&mut self, ticket: u64) {
        self.queue.remove(&ticket);
    }

    fn take(&mut self, chat: i64, now: DateTime<Utc>) {
        // A caller that comes late (timer overshoot, a slow disk) keeps up to 0.4 of an interval of the time it
        // lost, so the pace holds at `per_second` instead of drifting below it; any one second still holds at
        // most `per_second + 1` calls (n calls span at least n × interval − 0.4 × interval), and no two calls
        // come closer than 0.6 of an interval (0.8 let a loaded machine's jitter make 31 in one second).
        let interval = chrono_duration(self.interval);
        let credit = chrono_duration(self.interval.mul_f64(0.4));
        let base = self.next_slot.map_or(now, |slot| slot.max(now - credit));
        self.next_slot = Some(base + interval);
        let chat_interval = self.chat_interval();
        let tat = self.chats.entry(chat).or_insert(now);
        *tat = (*tat).max(now) + chat_interval;
        if self.chats.len() > PRUNE_AT {
            // A chat whose bucket is full again needs no entry.
            self.chats.retain(|_, tat| *tat > now);
        }
    }

    /// Telegram answered 429 for `chat`: nothing more to it until `retry_after` has passed (and then one call at
    /// a time), and everyone slows down.
    pub fn rate_limited(&mut self, chat: i64, retry_after: Duration, now: DateTime<Utc>) {
        let until = now + chrono_duration(retry_after);
        let burst = self.chat_interval() * (self.limits.chat_burst.max(1) as i32 - 1);
        let tat = self.chats.entry(chat).or_insert(until + burst);
        *tat = (*tat).max(until + burst);
        self.interval = self.interval.mul_f64(1.5).min(SLOWEST).max(base_interval(&self.limits));
        self.next_slot = Some(self.slot_at(now).max(now + chrono_duration(self.interval)));
    }

    /// A call went through: recover the pace slowly after 429s.
    pub fn succeeded(&mut self) {
        let base = base_interval(&self.limits);
        if self.interval > base {
            self.interval = self.interval.mul_f64(0.9).max(base);
        }
    }

    /// The current spacing between two calls.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Replies waiting for an overall slot.
    pub fn replies_waiting(&self) -> usize {
        self.queue.len()
    }
}

fn base_interval(limits: &GovernorLimits) -> Duration {
    Duration::from_secs_f64(1.0 / limits.per_second.clamp(0.1, 1000.0))
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// How the governor's waiting passes time.
enum Time {
    /// Sleep on tokio's timer until the clock reaches the instant.
    Real(Arc<dyn Clock>),
    /// Tests: move a [`FixedClock`] forward and return at once.
    Virtual(Arc<FixedClock>),
}

/// The shared budget. One per bot process: the bot's replies and the outbox sender hold the same `Arc`.
pub struct Governor {
    budget: Mutex<Budget>,
    time: Time,
}

impl Governor {
    /// Real time on `clock` (the system clock in production).
    pub fn new(limits: GovernorLimits, clock: Arc<dyn Clock>) -> Governor {
        Governor { budget: Mutex::new(Budget::new(limits)), time: Time::Real(clock) }
    }

    /// No pacing to speak of (a thousand calls a second, any chat): where no Telegram is behind the bot (tests
    /// through a mock Bot API, the console demo) and in the update-handling benchmark.
    pub fn unpaced() -> Governor {
        let limits = GovernorLimits { per_second: 1000.0, chat_burst: 1000, chat_interval: Duration::from_millis(1) };
        Governor::new(limits, Arc::new(crate::clock::SystemClock))
    }

    /// Virtual time for tests: waiting moves `clock` forward instead of sleeping.
    pub fn virtual_time(limits: GovernorLimits, clock: Arc<FixedClock>) -> Governor {
        Governor { budget: Mutex::new(Budget::new(limits)), time: Time::Virtual(clock) }
    }

    fn lock(&self) -> MutexGuard<'_, Budget> {
        // The budget holds no invariant a panic could break half-way that matters more than sending on.
        self.budget.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.time {
            Time::Real(clock) => clock.now(),
            Time::Virtual(clock) => clock.now(),
        }
    }

    async fn wait_until(&self, at: DateTime<Utc>) {
        match &self.time {
            Time::Real(clock) => {
                let wait = (at - clock.now()).to_std().unwrap_or_default();
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            Time::Virtual(clock) => {
                if at > clock.now() {
                    clock.set(at);
                }
                tokio::task::yield_now().await;
            }
        }
    }

    /// Wait for a slot to send a reply to `chat`. Replies go before the outbox, first come first served.
    pub async fn reply_slot(&self, chat: i64) {
        let ticket = self.lock().ticket();
        let _leave = LeaveOnDrop { governor: self, ticket };
        loop {
            let now = self.now();
            let at = match self.lock().try_take_reply(chat, ticket, now) {
                Ok(()) => return,
                Err(at) => at,
            };
            self.wait_until(at).await;
        }
    }

    /// A slot for the outbox at `now`, or when to ask again.
    pub fn try_background(&self, chat: i64, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        self.lock().try_take(chat, Urgency::Background, now)
    }

    /// Whether the outbox could start anything at `now`.
    pub fn background_ready(&self, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        self.lock().background_ready(now)
    }

    /// When `chat` may receive its next call.
    pub fn chat_ready_at(&self, chat: i64, now: DateTime<Utc>) -> DateTime<Utc> {
        self.lock().chat_ready_at(chat, now)
    }

    pub fn rate_limited(&self, chat: i64, retry_after: Duration, now: DateTime<Utc>) {
        self.lock().rate_limited(chat, retry_after, now);
    }

    pub fn succeeded(&self) {
        self.lock().succeeded();
    }

    pub fn limits(&self) -> GovernorLimits {
        self.lock().limits().clone()
    }

    /// Wait `delay` on the governor's time (a reply's backoff after network trouble).
    pub async fn pause(&self, delay: Duration) {
        let at = self.now() + chrono_duration(delay);
        self.wait_until(at).await;
    }
}

/// A waiting reply whose task is dropped (the handler was cancelled) leaves the queue.
struct LeaveOnDrop<'a> {
    governor: &'a Governor,
    ticket: u64,
}

impl Drop for LeaveOnDrop<'_> {
    fn drop(&mut self) {
        self.governor.lock().leave(self.ticket);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0).single().unwrap_or_default()
    }

    fn ms(n: i64) -> chrono::Duration {
        chrono::Duration::milliseconds(n)
    }

    #[test]
    fn overall_pace_is_even_and_under_the_limit() {
        let mut b = Budget::new(GovernorLimits { per_second: 28.0, ..GovernorLimits::default() });
        let mut now = t0();
        let mut granted = vec![];
        for chat in 0..200 {
            loop {
                match b.try_take(chat, Urgency::Background, now) {
                    Ok(()) => {
                        granted.push(now);
                        break;
                    }
                    Err(at) => now = at,
                }
            }
        }
        for (i, at) in granted.iter().enumerate() {
            let in_second = granted[i..].iter().take_while(|t| **t - *at < chrono::Duration::seconds(1)).count();
            assert!(in_second <= 29, "{in_second} calls in the second from {at}");
        }
        let span = (granted[199] - granted[0]).num_milliseconds() as f64 / 1000.0;
        let rate = 199.0 / span;
        assert!((27.5..=28.01).contains(&rate), "rate {rate}");
    }

    #[test]
    fn a_late_caller_catches_up_without_passing_the_limit() {
        let mut b = Budget::new(GovernorLimits { per_second: 28.0, ..GovernorLimits::default() });
        let mut now = t0();
        let mut granted = vec![];
        // Every caller comes 3 ms after it is told (a timer that overshoots).
        for chat in 0..300 {
            loop {
                match b.try_take(chat, Urgency::Background, now) {
                    Ok(()) => {
                        granted.push(now);
                        break;
                    }
                    Err(at) => now = at + ms(3),
                }
            }
        }
        let span = (granted[299] - granted[0]).num_milliseconds() as f64 / 1000.0;
        let rate = 299.0 / span;
        assert!(rate >= 27.5, "rate {rate}");
        for (i, at) in granted.iter().enumerate() {
            let in_second = granted[i..].iter().take_while(|t| **t - *at < chrono::Duration::seconds(1)).count();
            assert!(in_second <= 29, "{in_second} calls in the second from {at}");
        }
    }

    #[test]
    fn one_tap_that_sends_two_messages_goes_out_at_once_then_one_a_second() {
        let mut b = Budget::new(GovernorLimits { per_second: 1000.0, ..GovernorLimits::default() });
        let now = t0();
        assert_eq!(b.try_take(7, Urgency::Reply, now), Ok(()));
        assert_eq!(b.try_take(7, Urgency::Reply, now + ms(1)), Ok(()), "the burst allows a second message");
        let third = b.try_take(7, Urgency::Reply, now + ms(2)).unwrap_err();
        assert_eq!(third, now + ms(1000), "then one a second");
        // Other chats are not held back.
        assert_eq!(b.try_take(8, Urgency::Reply, now + ms(3)), Ok(()));
        // A quiet chat gets its burst back.
        assert_eq!(b.try_take(7, Urgency::Reply, now + ms(2000)), Ok(()));
        assert_eq!(b.try_take(7, Urgency::Reply, now + ms(2001)), Ok(()));
    }

    #[test]
    fn a_waiting_reply_goes_before_the_outbox() {
        let mut b = Budget::new(GovernorLimits { per_second: 10.0, ..GovernorLimits::default() });
        let now = t0();
        assert_eq!(b.try_take(1, Urgency::Background, now), Ok(()));
        // A reply arrives while the slot is taken: it waits in the queue.
        let ticket = b.ticket();
        let next = b.try_take_reply(3, ticket, now).unwrap_err();
        assert_eq!(next, now + ms(100));
        assert_eq!(b.replies_waiting(), 1);
        assert!(b.try_take(2, Urgency::Background, next).is_err(), "the outbox yields to the reply");
        assert_eq!(b.try_take_reply(3, ticket, next), Ok(()));
        assert_eq!(b.replies_waiting(), 0);
        assert_eq!(b.try_take(2, Urgency::Background, next + ms(100)), Ok(()));
    }

    #[test]
    fn waiting_replies_go_in_the_order_they_came() {
        let mut b = Budget::new(GovernorLimits { per_second: 10.0, ..GovernorLimits::default() });
        let now = t0();
        assert_eq!(b.try_take(99, Urgency::Background, now), Ok(()));
        let tickets: Vec<(i64, u64)> = (0..5).map(|chat| (chat, b.ticket())).collect();
        // All five ask at once; each is told its turn.
        let turns: Vec<DateTime<Utc>> =
            tickets.iter().map(|(chat, t)| b.try_take_reply(*chat, *t, now).unwrap_err()).collect();
        assert_eq!(turns, (1..=5).map(|n| now + ms(100 * n)).collect::<Vec<_>>());
        // The last one asking early does not jump the queue.
        assert!(b.try_take_reply(4, tickets[4].1, now + ms(100)).is_err());
        for (i, (chat, t)) in tickets.iter().enumerate() {
            assert_eq!(b.try_take_reply(*chat, *t, now + ms(100 * (i as i64 + 1))), Ok(()), "reply {i}");
        }
    }

    #[test]
    fn a_429_closes_the_chat_for_retry_after_and_slows_everyone() {
        let mut b = Budget::new(GovernorLimits::default());
        let now = t0();
        assert_eq!(b.try_take(5, Urgency::Reply, now), Ok(()));
        let base = b.interval();
        b.rate_limited(5, Duration::from_secs(7), now + ms(100));
        assert_eq!(b.chat_ready_at(5, now + ms(100)), now + ms(7100));
        assert!(b.try_take(5, Urgency::Reply, now + ms(7000)).is_err());
        assert!(b.interval() > base);
        assert_eq!(b.try_take(5, Urgency::Reply, now + ms(7100)), Ok(()));
        // After a 429 the chat gets one call at a time, not its burst.
        assert!(b.try_take(5, Urgency::Reply, now + ms(7200)).is_err());
        for _ in 0..50 {
            b.succeeded();
        }
        assert_eq!(b.interval(), base, "the pace recovers");
    }

    #[test]
    fn memory_stays_bounded_with_many_chats() {
        let mut b = Budget::new(GovernorLimits { per_second: 1000.0, ..GovernorLimits::default() });
        let mut now = t0();
        for chat in 0..20_000 {
            now += ms(2);
            let _ = b.try_take(chat, Urgency::Background, now);
        }
        assert!(b.chats.len() <= PRUNE_AT + 1, "{}", b.chats.len());
    }

    #[tokio::test]
    async fn replies_wait_in_virtual_time_and_are_counted_while_waiting() {
        let clock = Arc::new(FixedClock::new(t0()));
        let governor = Arc::new(Governor::virtual_time(GovernorLimits::default(), clock.clone()));
        for _ in 0..3 {
            governor.reply_slot(42).await;
        }
        // Two at once (the burst), the third a second later.
        assert_eq!(clock.now(), t0() + ms(1000));
        assert_eq!(governor.lock().replies_waiting(), 0, "nobody left in the queue");
    }
}
