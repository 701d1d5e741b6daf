//! The outbox sender against a scripted Bot API double on a virtual clock (no real sleeping): limits, 429, 403,
//! 5xx, restarts. Every recipient ends delivered, blocked or failed; nobody gets a message twice.

use crate::common;

use chrono::Duration as ChronoDuration;
use common::outbox::*;
use common::*;
use dulae::clock::{Clock, FixedClock};
use dulae::domain::{Role, TelegramId, UserId};
use dulae::notify::outbox;
use dulae::notify::sender::{DeliveryError, Limits};
use dulae::store::Store;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

fn setup(n: i64) -> (Arc<Store>, Arc<FixedClock>, Vec<(i64, UserId)>) {
    let store = Arc::new(Store::open_in_memory().unwrap());
    let clock = Arc::new(FixedClock::new(start_time()));
    let people: Vec<(i64, UserId)> =
        (1..=n).map(|chat| (chat, add_person(&store, chat, Role::Parent, clock.now()))).collect();
    (store, clock, people)
}

fn unreachable(store: &Store, chat: i64) -> bool {
    store
        .read(|c| {
            Ok(c.query_row("SELECT unreachable_at IS NOT NULL FROM users WHERE telegram_id = ?1", [chat], |r| {
                r.get(0)
            })?)
        })
        .unwrap()
}

#[tokio::test]
async fn every_recipient_ends_delivered_blocked_or_failed_and_nobody_twice() {
    let (store, clock, people) = setup(60);
    enqueue_broadcast(&store, &people, "a", clock.now());
    let api = MockApi::new(clock.clone());
    let retry = |s| Err(DeliveryError::RetryAfter(Duration::from_secs(s)));
    let e500 = || Err(DeliveryError::Transient("Internal Server Error".into()));
    // 429 twice, then fine.
    api.script(5, vec![retry(3), retry(3)], Ok(()));
    api.script(6, vec![retry(7)], Ok(()));
    // Blocked the bot; the chat is gone; the account was deleted.
    api.script(7, vec![], Err(DeliveryError::Blocked("Forbidden: bot was blocked by the user".into())));
    api.script(8, vec![], Err(DeliveryError::Blocked("Bad Request: chat not found".into())));
    api.script(9, vec![], Err(DeliveryError::Blocked("Forbidden: user is deactivated".into())));
    // 500 for ever: failed after the bounded retries. 500 twice: delivered on the third try.
    api.script(10, vec![], e500());
    api.script(11, vec![e500(), e500()], Ok(()));
    // A request Telegram will never accept.
    api.script(12, vec![], Err(DeliveryError::Permanent("Bad Request: message is too long".into())));

    let limits = test_limits();
    let report = drain(store.clone(), clock.clone(), api.clone(), limits.clone(), None, None).await;

    let counts = status_counts(&store);
    assert_eq!(counts.get("sent"), Some(&55), "{counts:?}");
    assert_eq!(counts.get("blocked"), Some(&3), "{counts:?}");
    assert_eq!(counts.get("failed"), Some(&2), "{counts:?}");
    assert_eq!(counts.values().sum::<i64>(), 60, "every row ends in a final state: {counts:?}");
    assert!(!counts.contains_key("pending") && !counts.contains_key("sending"));
    assert_eq!((report.sent, report.blocked, report.failed), (55, 3, 2), "{report:?}");
    assert_eq!(report.rate_limited, 3);

    // Nobody twice, nobody missed.
    assert_eq!(api.duplicates(), 0);
    let delivered: HashSet<i64> = api.delivered_chats().into_iter().collect();
    let expected: HashSet<i64> = (1..=60).filter(|c| ![7, 8, 9, 10, 12].contains(c)).collect();
    assert_eq!(delivered, expected);

    // Blocked people are unreachable; the others are not.
    for chat in [7, 8, 9] {
        assert!(unreachable(&store, chat), "chat {chat}");
    }
    assert!(!unreachable(&store, 10) && !unreachable(&store, 1));

    // The 500-for-ever chat was tried exactly max_attempts times.
    let calls = api.calls.lock().unwrap().clone();
    let tries = |chat| calls.iter().filter(|(c, _, _)| *c == chat).count();
    assert_eq!(tries(10), limits.max_attempts as usize);
    assert_eq!(tries(11), 3);
    assert_eq!(tries(7), 1, "a blocked chat is called once");

    // The limits, in virtual time: one call a second per chat at most, and never more than 26 in any second.
    let mut last: HashMap<i64, chrono::DateTime<chrono::Utc>> = HashMap::new();
    for (chat, _, at) in &calls {
        if let Some(prev) = last.insert(*chat, *at) {
            assert!(*at - prev >= ChronoDuration::seconds(1), "chat {chat}: {prev} then {at}");
        }
    }
    for (i, (_, _, at)) in calls.iter().enumerate() {
        let in_window = calls[i..].iter().take_while(|(_, _, t)| *t - *at < ChronoDuration::seconds(1)).count();
        assert!(in_window <= 26, "{in_window} calls within one second from {at}");
    }
    // 429: that chat waited retry_after before the next try.
    let times: Vec<_> = calls.iter().filter(|(c, _, _)| *c == 6).map(|(_, _, t)| *t).collect();
    assert!(times[1] - times[0] >= ChronoDuration::seconds(7), "{times:?}");
}

#[tokio::test]
async fn a_person_who_blocked_the_bot_gets_nothing_more_until_they_unblock_it() {
    let (store, clock, people) = setup(3);
    let api = MockApi::new(clock.clone());
    api.script(2, vec![Err(DeliveryError::Blocked("Forbidden: bot was blocked by the user".into()))], Ok(()));
    enqueue_broadcast(&store, &people, "one", clock.now());
    enqueue_broadcast(&store, &people, "two", clock.now());
    drain(store.clone(), clock.clone(), api.clone(), test_limits(), None, None).await;
    assert_eq!(status_of_chat(&store, 2), ["blocked", "blocked"]);
    assert_eq!(api.calls.lock().unwrap().iter().filter(|(c, _, _)| *c == 2).count(), 1, "one call, then none");
    assert!(unreachable(&store, 2));

    // Later messages are not even tried.
    enqueue_broadcast(&store, &people, "three", clock.now());
    drain(store.clone(), clock.clone(), api.clone(), test_limits(), None, None).await;
    assert_eq!(status_of_chat(&store, 2), ["blocked", "blocked", "blocked"]);
    assert_eq!(api.calls.lock().unwrap().iter().filter(|(c, _, _)| *c == 2).count(), 1);

    // A my_chat_member update says they unblocked the bot: reachable again, new messages go.
    let changed = store.write(|tx| outbox::set_reachable(tx, TelegramId(2), true, clock.now())).unwrap();
    assert!(changed);
    assert!(!unreachable(&store, 2));
    enqueue_broadcast(&store, &people, "four", clock.now());
    drain(store.clone(), clock.clone(), api.clone(), test_limits(), None, None).await;
    assert_eq!(status_of_chat(&store, 2).last().map(String::as_str), Some("sent"));
    // And blocking again through my_chat_member marks them unreachable at once.
    assert!(store.write(|tx| outbox::set_reachable(tx, TelegramId(2), false, clock.now())).unwrap());
    assert!(unreachable(&store, 2));
}

#[tokio::test]
async fn a_graceful_stop_mid_broadcast_and_a_restart_on_the_same_database_lose_and_repeat_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let clock = Arc::new(FixedClock::new(start_time()));
    let people: Vec<(i64, UserId)> = {
        let store = Store::open(&path).unwrap();
        let people: Vec<_> = (1..=120).map(|c| (c, add_person(&store, c, Role::Parent, clock.now()))).collect();
        enqueue_broadcast(&store, &people, "x", clock.now());
        people
    };
    let api = MockApi::new(clock.clone());
    // Several calls in flight at once, so the stop really has to wait for them.
    let limits = Limits { max_in_flight: 4, ..test_limits() };
    for stop_at in [30, 75] {
        let store = Arc::new(Store::open(&path).unwrap());
        let (stop, stopped) = watch::channel(false);
        api.stop_after(stop_at, stop);
        let report = drain(store.clone(), clock.clone(), api.clone(), limits.clone(), Some(stopped), None).await;
        assert!(report.sent as usize >= 1);
        let counts = status_counts(&store);
        assert!(!counts.contains_key("sending"), "a graceful stop leaves nothing in flight: {counts:?}");
        assert!(counts.get("pending").copied().unwrap_or(0) > 0, "stopped mid-broadcast: {counts:?}");
        drop(store);
        clock.advance(ChronoDuration::seconds(5));
    }
    let store = Arc::new(Store::open(&path).unwrap());
    let (_keep, never) = watch::channel(false);
    let report = drain(store.clone(), clock.clone(), api.clone(), limits, Some(never), None).await;
    assert_eq!(report.recovered_in_flight, 0);
    assert_eq!(status_counts(&store).get("sent"), Some(&120));
    assert_eq!(api.duplicates(), 0, "nobody twice");
    let delivered: HashSet<i64> = api.delivered_chats().into_iter().collect();
    assert_eq!(delivered.len(), people.len(), "nobody skipped");
    assert_eq!(api.delivered.lock().unwrap().len(), 120);
}

#[tokio::test]
async fn after_a_crash_only_the_messages_in_flight_are_sent_again() {
    let (store, clock, people) = setup(10);
    enqueue_broadcast(&store, &people, "c", clock.now());
    // A process died with two messages in flight: rows in `sending`.
    let in_flight: Vec<i64> = store
        .write(|tx| {
            let due = outbox::due(tx, clock.now(), 2)?;
            for q in &due {
                assert!(outbox::mark_sending(tx, q.id)?);
            }
            Ok(due.iter().map(|q| q.id.0).collect())
        })
        .unwrap();
    let api = MockApi::new(clock.clone());
    let report = drain(store.clone(), clock.clone(), api.clone(), test_limits(), None, None).await;
    assert_eq!(report.recovered_in_flight, 2);
    assert_eq!(status_counts(&store).get("sent"), Some(&10));
    let delivered: Vec<i64> = api.delivered.lock().unwrap().iter().map(|(_, id)| *id).collect();
    assert_eq!(delivered.len(), 10, "each row once in this run");
    assert!(in_flight.iter().all(|id| delivered.contains(id)), "the in-flight rows are sent again");
}

#[tokio::test]
async fn cancelled_and_revoked_are_not_sent_and_urgent_goes_first() {
    let (store, clock, people) = setup(4);
    enqueue_broadcast(&store, &people, "bulk", clock.now());
    let now = clock.now();
    store
        .write(|tx| {
            let mut urgent = outbox::OutMessage::text(4, Some(people[3].1), "ด่วนมาก", now);
            urgent.priority = outbox::Priority::Urgent;
            outbox::enqueue(tx, &urgent, now)?;
            outbox::cancel_pending(tx, "test:bulk:1")?;
            dulae::store::users::revoke(tx, people[1].1, now)?;
            Ok(())
        })
        .unwrap();
    let api = MockApi::new(clock.clone());
    drain(store.clone(), clock.clone(), api.clone(), test_limits(), None, None).await;
    let calls = api.calls.lock().unwrap().clone();
    assert_eq!(calls[0].0, 4, "the urgent message first");
    assert!(calls.iter().all(|(c, _, _)| *c != 1 && *c != 2), "{calls:?}");
    let counts = status_counts(&store);
    assert_eq!(counts.get("cancelled"), Some(&2), "{counts:?}");
    assert_eq!(counts.get("sent"), Some(&3), "{counts:?}");
}

#[tokio::test]
async fn scheduled_messages_wait_for_their_time() {
    let (store, clock, people) = setup(2);
    let later = clock.now() + ChronoDuration::hours(3);
    store
        .write(|tx| {
            let mut msg = outbox::OutMessage::text(1, Some(people[0].1), "ตั้งเวลา", clock.now());
            msg.not_before = later;
            outbox::enqueue(tx, &msg, clock.now())?;
            Ok(())
        })
        .unwrap();
    let api = MockApi::new(clock.clone());
    drain(store.clone(), clock.clone(), api.clone(), test_limits(), None, None).await;
    let calls = api.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert!(calls[0].2 >= later, "sent at {} before {later}", calls[0].2);
}
