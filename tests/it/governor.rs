//! One governor for everything sent to Telegram: the outbox sender and the replies people wait for share one
//! budget. Run in virtual time (tokio's paused clock; nothing sleeps for real) against a fake transport that
//! answers like Telegram: 30 messages in any one second overall, per chat one a second after a short burst,
//! 429 past either, 150 ms per answer.

use crate::common;

use chrono::{DateTime, Utc};
use common::outbox::{add_person, enqueue_broadcast, status_counts};
use common::start_time;
use dulae::clock::Clock;
use dulae::domain::{Role, UserId};
use dulae::notify::governor::{Governor, GovernorLimits};
use dulae::notify::outbox::Queued;
use dulae::notify::sender::{Deliver, DeliveryError, Edit, Limits, RealTime, Sender};
use dulae::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// Wall time that follows tokio's clock: with the runtime paused, time is virtual and jumps when all tasks wait.
struct TokioClock {
    base: DateTime<Utc>,
    start: tokio::time::Instant,
}

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        self.base + chrono::Duration::from_std(self.start.elapsed()).unwrap()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Outbox,
    Reply,
}

/// Telegram as the limits go: 30 in any one second; per chat 1/s after a burst of 3 (it tolerates short bursts).
struct FakeTelegram {
    clock: Arc<TokioClock>,
    accepted: Mutex<Vec<(i64, DateTime<Utc>, Kind)>>,
    chat_tat: Mutex<HashMap<i64, DateTime<Utc>>>,
    rejected: Mutex<u64>,
}

impl FakeTelegram {
    fn call(&self, chat: i64, kind: Kind) -> Result<(), Duration> {
        let now = self.clock.now();
        let mut accepted = self.accepted.lock().unwrap();
        let in_last_second =
            accepted.iter().rev().take_while(|(_, at, _)| now - *at < chrono::Duration::seconds(1)).count();
        let mut tats = self.chat_tat.lock().unwrap();
        let tat = tats.get(&chat).copied().unwrap_or(now);
        if in_last_second >= 30 || now < tat - chrono::Duration::seconds(2) {
            *self.rejected.lock().unwrap() += 1;
            return Err(Duration::from_secs(1));
        }
        tats.insert(chat, tat.max(now) + chrono::Duration::seconds(1));
        accepted.push((chat, now, kind));
        Ok(())
    }

    fn rejected(&self) -> u64 {
        *self.rejected.lock().unwrap()
    }

    fn times(&self, kind: Kind) -> Vec<DateTime<Utc>> {
        self.accepted.lock().unwrap().iter().filter(|(_, _, k)| *k == kind).map(|(_, at, _)| *at).collect()
    }
}

const ANSWER: Duration = Duration::from_millis(150);

impl Deliver for FakeTelegram {
    async fn deliver(&self, q: &Queued) -> Result<i32, DeliveryError> {
        let result = self.call(q.chat_id, Kind::Outbox);
        tokio::time::sleep(ANSWER).await;
        result.map(|()| 1).map_err(DeliveryError::RetryAfter)
    }

    async fn edit(&self, _edit: &Edit) -> Result<(), DeliveryError> {
        Ok(())
    }
}

/// A person taps at `at` and the bot answers with `messages` messages, each through the governor as
/// `bot::send::paced` does (a 429 waits out retry_after and tries again). Returns (tap, last message sent).
fn reply(
    telegram: Arc<FakeTelegram>,
    governor: Arc<Governor>,
    chat: i64,
    at: Duration,
    messages: usize,
) -> tokio::task::JoinHandle<(DateTime<Utc>, DateTime<Utc>)> {
    tokio::spawn(async move {
        tokio::time::sleep(at).await;
        let tapped = telegram.clock.now();
        for _ in 0..messages {
            loop {
                governor.reply_slot(chat).await;
                let result = telegram.call(chat, Kind::Reply);
                tokio::time::sleep(ANSWER).await;
                match result {
                    Ok(()) => break,
                    Err(wait) => governor.rate_limited(chat, wait, telegram.clock.now()),
                }
            }
        }
        (tapped, telegram.clock.now())
    })
}

/// The store, the clock, Telegram, the governor, and the parents (chat, user).
type Setup = (Arc<Store>, Arc<TokioClock>, Arc<FakeTelegram>, Arc<Governor>, Vec<(i64, UserId)>);

fn setup(parents: i64) -> Setup {
    let clock = Arc::new(TokioClock { base: start_time(), start: tokio::time::Instant::now() });
    let store = Arc::new(Store::open_in_memory().unwrap());
    let people: Vec<(i64, UserId)> =
        (1..=parents).map(|chat| (chat, add_person(&store, chat, Role::Parent, clock.now()))).collect();
    let telegram = Arc::new(FakeTelegram {
        clock: clock.clone(),
        accepted: Mutex::new(vec![]),
        chat_tat: Mutex::new(HashMap::new()),
        rejected: Mutex::new(0),
    });
    let governor = Arc::new(Governor::new(GovernorLimits::default(), clock.clone()));
    (store, clock, telegram, governor, people)
}

fn rate(times: &[DateTime<Utc>]) -> f64 {
    let span = (*times.last().unwrap() - times[0]).num_milliseconds() as f64 / 1000.0;
    (times.len() - 1) as f64 / span
}

#[tokio::test(start_paused = true)]
async fn a_broadcast_while_a_tenth_of_parents_reply_keeps_under_the_limits_and_answers_every_reply_promptly() {
    let parents = 1500;
    let (store, clock, telegram, governor, people) = setup(parents);
    enqueue_broadcast(&store, &people, "ประชุม", clock.now());
    // Every tenth parent taps a button about 1.5 s after their announcement arrives (at ~28/s in id order); the
    // answer is two messages (one tap that sends two must not trip the per-chat limit).
    let replies: Vec<_> = (1..=parents)
        .filter(|chat| chat % 10 == 0)
        .map(|chat| {
            let at = Duration::from_secs_f64(chat as f64 / 28.0 + 1.5);
            reply(telegram.clone(), governor.clone(), chat, at, 2)
        })
        .collect();
    let (_keep, stop) = watch::channel(false);
    let limits = Limits { max_in_flight: 8, ..Limits::default() };
    let sender = Sender::new(store.clone(), clock.clone(), telegram.clone(), RealTime(clock.clone()), limits)
        .with_governor(governor.clone());
    let report = sender.run(stop, true).await;
    let mut waits = vec![];
    for handle in replies {
        let (tapped, done) = handle.await.unwrap();
        waits.push((done - tapped).num_milliseconds());
    }

    assert_eq!(report.sent, parents as u64);
    assert_eq!(status_counts(&store).get("sent"), Some(&(parents)));
    assert_eq!(telegram.rejected(), 0, "no 429 at all");
    assert_eq!(report.rate_limited, 0);
    // The budget is used to the full: announcement and replies together at 27/s or more (the replies take their
    // share first; the announcement fills the rest).
    let outbox = telegram.times(Kind::Outbox);
    let (first, last) = (outbox[0], *outbox.last().unwrap());
    let mut during: Vec<DateTime<Utc>> = telegram
        .accepted
        .lock()
        .unwrap()
        .iter()
        .map(|(_, at, _)| *at)
        .filter(|at| *at >= first && *at <= last)
        .collect();
    during.sort();
    let overall = rate(&during);
    assert!(overall >= 27.0, "sent {overall:.2}/s overall during the broadcast");
    assert_eq!(telegram.times(Kind::Reply).len(), 2 * parents as usize / 10, "every reply sent, both messages");
    // Two messages, 150 ms each, plus waiting for slots: replies go before the outbox. The slowest are those whose
    // chat had just received the announcement: their second message waits for the chat's 1/s pace.
    waits.sort();
    let (median, slowest) = (waits[waits.len() / 2], waits[waits.len() - 1]);
    assert!(median <= 400, "half the replies waited more than {median} ms");
    assert!(slowest <= 1_500, "a reply waited {slowest} ms");
    // Overall, any one second holds at most 29 calls (28/s, evenly spaced).
    let all: Vec<DateTime<Utc>> = {
        let mut all = telegram.accepted.lock().unwrap().iter().map(|(_, at, _)| *at).collect::<Vec<_>>();
        all.sort();
        all
    };
    for (i, at) in all.iter().enumerate() {
        let n = all[i..].iter().take_while(|t| **t - *at < chrono::Duration::seconds(1)).count();
        assert!(n <= 29, "{n} calls in the second from {at}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_broadcast_alone_goes_at_27_a_second_or_more_without_a_429() {
    let (store, clock, telegram, governor, people) = setup(1000);
    enqueue_broadcast(&store, &people, "หยุดเรียน", clock.now());
    let (_keep, stop) = watch::channel(false);
    let sender =
        Sender::new(store.clone(), clock.clone(), telegram.clone(), RealTime(clock.clone()), Limits::default())
            .with_governor(governor);
    let report = sender.run(stop, true).await;
    assert_eq!(report.sent, 1000);
    assert_eq!(telegram.rejected(), 0);
    let r = rate(&telegram.times(Kind::Outbox));
    assert!((27.0..=28.01).contains(&r), "{r:.2}/s");
}

#[tokio::test(start_paused = true)]
async fn a_hundred_parents_sending_start_in_the_same_second_are_all_welcomed_without_a_429() {
    let (_store, _clock, telegram, governor, _) = setup(0);
    let welcomes: Vec<_> = (0..100)
        .map(|i| reply(telegram.clone(), governor.clone(), 10_000 + i, Duration::from_millis(i as u64 * 9), 1))
        .collect();
    let mut last = None;
    for handle in welcomes {
        let (_, done) = handle.await.unwrap();
        last = last.max(Some(done));
    }
    assert_eq!(telegram.times(Kind::Reply).len(), 100, "all welcomed");
    assert_eq!(telegram.rejected(), 0);
    // 100 messages at 28/s: the last one within about 3.6 s of the first tap (plus its answer).
    let first = telegram.times(Kind::Reply)[0];
    let span = (last.unwrap() - first).num_milliseconds();
    assert!(span <= 4_000, "the last welcome came {span} ms after the first");
}

#[tokio::test(start_paused = true)]
async fn the_outbox_waits_while_replies_wait_for_a_slot() {
    let (store, clock, telegram, governor, people) = setup(200);
    enqueue_broadcast(&store, &people, "ข่าว", clock.now());
    // 60 people tap at the same instant, two seconds into the broadcast: 60 replies need ~2.1 s of slots.
    let replies: Vec<_> =
        (0..60).map(|i| reply(telegram.clone(), governor.clone(), 50_000 + i, Duration::from_secs(2), 1)).collect();
    let (_keep, stop) = watch::channel(false);
    let sender =
        Sender::new(store.clone(), clock.clone(), telegram.clone(), RealTime(clock.clone()), Limits::default())
            .with_governor(governor.clone());
    sender.run(stop, true).await;
    for handle in replies {
        handle.await.unwrap();
    }
    let replies = telegram.times(Kind::Reply);
    let (first_reply, last_reply) = (replies[0], *replies.last().unwrap());
    let outbox_between =
        telegram.times(Kind::Outbox).iter().filter(|at| **at > first_reply && **at < last_reply).count();
    assert!(outbox_between <= 2, "the outbox sent {outbox_between} messages while replies were waiting");
    assert_eq!(telegram.rejected(), 0);
}
