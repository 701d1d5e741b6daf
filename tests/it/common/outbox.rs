//! Helpers for the outbox, sender and announcement tests: a scripted Bot API double on a virtual clock, people
//! to send to, and running the sender until the outbox is empty — without sleeping.

use chrono::{DateTime, Utc};
use dulae::clock::{Clock, FixedClock};
use dulae::domain::{Role, TelegramId, UserId};
use dulae::l10n::Lang;
use dulae::notify::outbox::{self, OutMessage, Priority, Queued};
use dulae::notify::sender::{Deliver, DeliveryError, Edit, Limits, Sender, SenderReport, VirtualTime};
use dulae::store::{Store, users};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// What the double answers for one chat: a script of answers, then `then` forever.
#[derive(Clone)]
pub struct ChatScript {
    pub first: VecDeque<Result<(), DeliveryError>>,
    pub then: Result<(), DeliveryError>,
}

/// A Bot API double: records every call with its (virtual) time; answers per chat as scripted.
pub struct MockApi {
    pub clock: Arc<FixedClock>,
    scripts: Mutex<HashMap<i64, ChatScript>>,
    /// (chat, outbox id, at) of every call, accepted or not.
    pub calls: Mutex<Vec<(i64, i64, DateTime<Utc>)>>,
    /// (chat, outbox id) of every message accepted (delivered).
    pub delivered: Mutex<Vec<(i64, i64)>>,
    pub edits: Mutex<Vec<Edit>>,
    next_id: Mutex<i32>,
    /// Stop the sender (gracefully) after this many deliveries.
    stop_after: Mutex<Option<(usize, watch::Sender<bool>)>>,
}

impl MockApi {
    pub fn new(clock: Arc<FixedClock>) -> Arc<MockApi> {
        Arc::new(MockApi {
            clock,
            scripts: Mutex::new(HashMap::new()),
            calls: Mutex::new(vec![]),
            delivered: Mutex::new(vec![]),
            edits: Mutex::new(vec![]),
            next_id: Mutex::new(1000),
            stop_after: Mutex::new(None),
        })
    }

    pub fn script(&self, chat: i64, first: Vec<Result<(), DeliveryError>>, then: Result<(), DeliveryError>) {
        self.scripts.lock().unwrap().insert(chat, ChatScript { first: first.into(), then });
    }

    pub fn stop_after(&self, deliveries: usize, stop: watch::Sender<bool>) {
        *self.stop_after.lock().unwrap() = Some((deliveries, stop));
    }

    pub fn delivered_chats(&self) -> Vec<i64> {
        self.delivered.lock().unwrap().iter().map(|(c, _)| *c).collect()
    }

    /// Chats that got the same outbox row (or the same chat more than once): duplicates.
    pub fn duplicates(&self) -> usize {
        let mut seen = std::collections::HashSet::new();
        self.delivered.lock().unwrap().iter().filter(|d| !seen.insert(**d)).count()
    }

    fn answer(&self, chat: i64) -> Result<(), DeliveryError> {
        let mut scripts = self.scripts.lock().unwrap();
        match scripts.get_mut(&chat) {
            Some(s) => s.first.pop_front().unwrap_or_else(|| s.then.clone()),
            None => Ok(()),
        }
    }
}

impl Deliver for MockApi {
    async fn deliver(&self, q: &Queued) -> Result<i32, DeliveryError> {
        let now = self.clock.now();
        self.calls.lock().unwrap().push((q.chat_id, q.id.0, now));
        self.answer(q.chat_id)?;
        let delivered = {
            let mut d = self.delivered.lock().unwrap();
            d.push((q.chat_id, q.id.0));
            d.len()
        };
        if let Some((n, stop)) = &*self.stop_after.lock().unwrap()
            && delivered >= *n
        {
            let _ = stop.send(true);
        }
        let mut id = self.next_id.lock().unwrap();
        *id += 1;
        Ok(*id)
    }

    async fn edit(&self, edit: &Edit) -> Result<(), DeliveryError> {
        self.edits.lock().unwrap().push(edit.clone());
        Ok(())
    }
}

/// Limits for tests: the real ones, one call at a time (deterministic in virtual time).
pub fn test_limits() -> Limits {
    Limits { max_in_flight: 1, ..Limits::default() }
}

/// Run a sender on `store` in virtual time until nothing is due (or `stop` says so).
pub async fn drain(
    store: Arc<dyn AsRef<Store> + Send + Sync>,
    clock: Arc<FixedClock>,
    api: Arc<MockApi>,
    limits: Limits,
    stop: Option<watch::Receiver<bool>>,
    progress: Option<Arc<dyn dulae::notify::sender::Progress>>,
) -> SenderReport {
    let (keep, stopped) = watch::channel(false);
    let stopped = stop.unwrap_or(stopped);
    let mut sender = Sender::new(store, clock.clone(), api, VirtualTime(clock), limits);
    if let Some(p) = progress {
        sender = sender.with_progress(p);
    }
    let report = sender.run(stopped, true).await;
    drop(keep);
    report
}

/// A person who can receive messages; their chat id is `telegram_id`.
pub fn add_person(store: &Store, telegram_id: i64, role: Role, now: DateTime<Utc>) -> UserId {
    let name = format!("ผู้ปกครอง {telegram_id}");
    store
        .write(|tx| {
            users::upsert(
                tx,
                &users::Joining {
                    telegram_id: TelegramId(telegram_id),
                    chat_id: telegram_id,
                    display_name: &name,
                    username: None,
                    role,
                    lang: Lang::Th,
                },
                now,
            )
        })
        .expect("person")
}

/// One bulk message for each of `people` (chat id = telegram id), like an announcement.
pub fn enqueue_broadcast(store: &Store, people: &[(i64, UserId)], tag: &str, now: DateTime<Utc>) {
    store
        .write(|tx| {
            for (chat, user) in people {
                let mut msg = OutMessage::text(*chat, Some(*user), format!("ประกาศ {tag}"), now);
                msg.priority = Priority::Bulk;
                msg.dedupe_key = Some(format!("test:{tag}:{}", user.0));
                outbox::enqueue(tx, &msg, now)?;
            }
            Ok(())
        })
        .expect("enqueue");
}

/// Rows by status.
pub fn status_counts(store: &Store) -> HashMap<String, i64> {
    store
        .read(|c| {
            let mut stmt = c.prepare("SELECT status, count(*) FROM outbox GROUP BY status")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
        })
        .expect("counts")
}

pub fn status_of_chat(store: &Store, chat: i64) -> Vec<String> {
    store
        .read(|c| {
            let mut stmt = c.prepare("SELECT status FROM outbox WHERE chat_id = ?1 ORDER BY id")?;
            let rows = stmt.query_map([chat], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .expect("status")
}

/// A parent joined through a real invite for the student with this school code.
pub fn join_parent(app: &dulae::app::App, telegram_id: i64, student_code: &str) -> UserId {
    let now = app.clock.now();
    let student = app
        .store
        .read(|c| dulae::store::students::find_student_by_code(c, student_code))
        .expect("read")
        .expect("student");
    let created = dulae::invites::create_parent(&app.store, dulae::store::audit::Actor::Cli, student.id, 150, now)
        .expect("invite");
    let joiner = dulae::invites::Joiner {
        telegram_id: TelegramId(telegram_id),
        chat_id: telegram_id,
        display_name: format!("ผู้ปกครอง {telegram_id}"),
        username: None,
        lang: Lang::Th,
    };
    match dulae::invites::redeem(&app.store, created.code.as_str(), &joiner, 2, now).expect("redeem") {
        dulae::invites::Redeemed::Joined { user, .. } => user,
        other => panic!("{other:?}"),
    }
}
