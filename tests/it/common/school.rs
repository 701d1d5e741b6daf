//! A school to test in, with verbs: people join by role the way staff really do (an invite made on the command
//! line, `/start CODE` in the chat), then type, press buttons by their label and read what the bot answered; the
//! school drains its outbox as the sender would and moves its clock — all below the transport, no sleeping.

use super::{ROSTER, button_data, command, invite_code, private, start_time, test_config};
use chrono::{DateTime, Utc};
use dulae::app::App;
use dulae::clock::{Clock, FixedClock};
use dulae::conversation::{self, Event, Reply, Sender};
use dulae::domain::{Role, TelegramId, UserId};
use std::cell::{Cell, RefCell};
use std::sync::Arc;

/// A school on an in-memory database, with the shipped forms and a clock that only moves when told.
pub struct School {
    pub app: App,
    pub clock: Arc<FixedClock>,
    /// The Telegram id the next person who joins without one gets.
    next_telegram_id: Cell<i64>,
}

/// One message the outbox handed to Telegram: who it went to, its text and its buttons (label, data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub chat_id: i64,
    pub text: String,
    pub buttons: Vec<(String, String)>,
}

impl School {
    /// No students yet, 26 Nov 2026 10:00 in Bangkok.
    pub fn new() -> School {
        let clock = Arc::new(FixedClock::new(start_time()));
        let store = dulae::store::Store::open_in_memory().expect("store");
        School::on(App::with_clock(store, test_config(), clock.clone()).expect("app"), clock)
    }

    /// A school around an app the test made itself (a database file, to restart on).
    pub fn on(app: App, clock: Arc<FixedClock>) -> School {
        School { app, clock, next_telegram_id: Cell::new(1) }
    }

    /// The three-student roster of `ROSTER` (ป.4/1 and ป.4/2) imported as the CLI does.
    pub fn with_roster() -> School {
        let school = School::new();
        school.import_roster(ROSTER);
        school
    }

    pub fn import_roster(&self, csv: &str) {
        dulae::roster::import(&self.app.store, csv.as_bytes(), false, dulae::store::audit::Actor::Cli, self.now())
            .expect("roster imports");
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn advance_clock(&self, by: chrono::Duration) {
        self.clock.advance(by);
    }

    /// Someone with a Telegram account who has not joined (yet): a stranger to the bot.
    pub fn person(&self, telegram_id: i64, name: &str) -> Person<'_> {
        self.next_telegram_id.set(self.next_telegram_id.get().max(telegram_id + 1));
        Person {
            school: self,
            sender: Sender { telegram_id: TelegramId(telegram_id), display_name: name.to_string(), username: None },
            last: RefCell::new(vec![]),
        }
    }

    /// A member of staff joins: the admin makes an invite for the role (and classes) on the command line, the
    /// person opens it with `/start CODE` under their Telegram name `name`. Telegram ids are given in order.
    pub fn join_as(&self, role: Role, name: &str, classes: &[&str]) -> Person<'_> {
        self.person(self.next_telegram_id.get(), name).join_as(role, classes)
    }

    /// Every message the outbox holds for this person (cancelled ones left out), oldest first: (text, buttons).
    pub fn outbox_of(&self, telegram_id: i64) -> Vec<(String, Vec<(String, String)>)> {
        let user = self
            .app
            .store
            .read(|c| dulae::store::users::find_by_telegram(c, TelegramId(telegram_id)))
            .expect("read")
            .expect("the person has joined");
        self.app
            .store
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT text, keyboard FROM outbox WHERE user_id = ?1 AND status != 'cancelled' ORDER BY id",
                )?;
                let rows =
                    stmt.query_map([user.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .expect("outbox")
            .into_iter()
            .map(|(text, keyboard)| (text, buttons_of(keyboard.as_deref())))
            .collect()
    }

    /// Hand every message due now to a Telegram that accepts them all, as the sender does: they are marked
    /// sent, and returned in the order they went.
    pub fn drain_outbox(&self) -> Vec<Sent> {
        let now = self.now();
        self.app
            .store
            .write(|tx| {
                let mut sent = vec![];
                let mut message_id = 1;
                loop {
                    let due = dulae::notify::outbox::due(tx, now, 100)?;
                    if due.is_empty() {
                        return Ok(sent);
                    }
                    for queued in due {
                        dulae::notify::outbox::mark_sending(tx, queued.id)?;
                        message_id += 1;
                        dulae::notify::outbox::mark_sent(tx, queued.id, message_id, now)?;
                        let buttons = queued.keyboard.0.concat().into_iter().map(|b| (b.text, b.data)).collect();
                        sent.push(Sent { chat_id: queued.chat_id, text: queued.text, buttons });
                    }
                }
            })
            .expect("drain the outbox")
    }
}

fn buttons_of(keyboard_json: Option<&str>) -> Vec<(String, String)> {
    dulae::notify::outbox::keyboard_from_json(keyboard_json).0.concat().into_iter().map(|b| (b.text, b.data)).collect()
}

/// A person in the private chat with the bot. Derefs to the conversation's `Sender`, so `&person` goes wherever
/// a `&Sender` does (`say(&s, &teacher, …)`).
pub struct Person<'s> {
    school: &'s School,
    sender: Sender,
    /// What the bot answered to this person's last message or press.
    last: RefCell<Vec<Reply>>,
}

impl std::ops::Deref for Person<'_> {
    type Target = Sender;

    fn deref(&self) -> &Sender {
        &self.sender
    }
}

impl<'s> Person<'s> {
    /// Open a fresh staff invite for `role` (and `classes`) with `/start CODE`.
    pub fn join_as(self, role: Role, classes: &[&str]) -> Person<'s> {
        let code = invite_code(self.school, role, classes, None);
        self.send(command("start", &code));
        self
    }

    /// Their Telegram account alone, to go on chatting with a school opened again after a restart.
    pub fn into_sender(self) -> Sender {
        self.sender
    }

    /// Their row in the users table.
    pub fn user_id(&self) -> UserId {
        self.school
            .app
            .store
            .read(|c| dulae::store::users::find_by_telegram(c, self.telegram_id))
            .expect("read")
            .expect("the person has joined")
            .id
    }

    /// Any event from this person's private chat; the replies are kept as their last reply.
    pub fn send(&self, event: Event) -> Vec<Reply> {
        let replies = conversation::handle(&self.school.app, &private(&self.sender, event)).expect("handled");
        self.last.replace(replies.clone());
        replies
    }

    pub fn send_text(&self, text: &str) -> Vec<Reply> {
        self.send(Event::Text(text.into()))
    }

    /// `/name args`.
    pub fn command(&self, name: &str, args: &str) -> Vec<Reply> {
        self.send(command(name, args))
    }

    /// Press a button by its data, on a message of theirs.
    pub fn press(&self, data: &str) -> Vec<Reply> {
        self.send(Event::Button { data: data.into(), message_id: Some(1) })
    }

    /// Press the button whose label contains `label` on the bot's last reply to them.
    pub fn press_label(&self, label: &str) -> Vec<Reply> {
        let data = button_data(&self.last_reply(), label);
        self.press(&data)
    }

    pub fn last_reply(&self) -> Vec<Reply> {
        self.last.borrow().clone()
    }
}
