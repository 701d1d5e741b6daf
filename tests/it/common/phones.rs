//! End to end through the mock Bot API (teloxide_tests): several people chatting with one dispatcher, as in a
//! real school — what each has on screen, every text the bot sent them, and the newest notification waiting in
//! the outbox for them. Real teloxide requests and our real update tree; the mock serialises these tests behind
//! its own lock, so keep them few and the logic below the transport (`School`).

use super::{message_as_replies, staff_invite};
use dulae::app::App;
use dulae::conversation::Reply;
use dulae::domain::Role;
use std::collections::HashMap;
use std::sync::Arc;
use teloxide::dptree::deps;
use teloxide::types::Message;
use teloxide_tests::{MockBot, MockCallbackQuery, MockMessageText, MockPrivateChat, MockUser};

pub type Bot = MockBot<Box<dyn std::error::Error + Send + Sync>, teloxide_tests::mock_bot::DistributionKey>;

pub struct Phones {
    pub bot: Bot,
    pub app: Arc<App>,
    /// The first name on each person's Telegram account (others are "คน <id>").
    names: HashMap<u64, String>,
    /// Whether the answer to a press counts as a text the person saw (the toast after a button).
    answers_are_texts: bool,
    /// The last message with buttons each person has on screen.
    pub screens: HashMap<u64, Message>,
    /// Every text (or caption) the bot sent or edited for each person, in order.
    pub texts: HashMap<u64, Vec<String>>,
    /// Documents sent: (person, contents).
    pub documents: Vec<(u64, String)>,
}

impl Phones {
    /// The bot on `app`, with the people's Telegram first names.
    pub fn new(app: Arc<App>, names: &[(u64, &str)]) -> Phones {
        let mut bot: Bot = MockBot::new(MockMessageText::new().text("/help"), dulae::bot::schema());
        bot.dependencies(deps![app.clone()]);
        Phones {
            bot,
            app,
            names: names.iter().map(|(id, name)| (*id, name.to_string())).collect(),
            answers_are_texts: false,
            screens: HashMap::new(),
            texts: HashMap::new(),
            documents: vec![],
        }
    }

    /// Count the answer to every press (its text, or nothing) among the texts the person saw.
    pub fn answers_are_texts(mut self) -> Phones {
        self.answers_are_texts = true;
        self
    }

    fn user(&self, id: u64) -> teloxide::types::User {
        let name = self.names.get(&id).cloned().unwrap_or_else(|| format!("คน {id}"));
        MockUser::new().id(id).first_name(name).build()
    }

    async fn dispatch(&mut self, who: u64) {
        self.bot.dispatch().await;
        let r = self.bot.get_responses();
        let mut seen: Vec<Message> = r.sent_messages.clone();
        seen.extend(r.edited_messages_text.iter().map(|e| e.message.clone()));
        for m in seen {
            self.texts.entry(who).or_default().push(m.text().or(m.caption()).unwrap_or_default().to_string());
            if m.reply_markup().is_some() {
                self.screens.insert(who, m);
            }
        }
        if self.answers_are_texts {
            for answer in &r.answered_callback_queries {
                self.texts.entry(who).or_default().push(answer.text.clone().unwrap_or_default());
            }
        }
        for d in &r.sent_messages_document {
            self.documents.push((who, d.bot_request.file_data.clone()));
        }
    }

    /// A member of staff joins: an invite for the role (and classes) made as the CLI does, opened with
    /// `/start CODE` from their phone; they are known by their Telegram first name.
    pub async fn join_as(&mut self, who: u64, role: Role, classes: &[&str]) {
        let code = staff_invite(&self.app, role, classes, None);
        self.type_text(who, &format!("/start {code}")).await;
    }

    pub async fn type_text(&mut self, who: u64, text: &str) {
        let from = self.user(who);
        self.bot
            .update(MockMessageText::new().text(text).from(from).chat(MockPrivateChat::new().id(who as i64).build()));
        self.dispatch(who).await;
    }

    /// Press a button on the person's screen — or on a notification in their chat when nothing is on screen.
    pub async fn press(&mut self, who: u64, data: &str) {
        let message = self.screens.get(&who).cloned().unwrap_or_else(|| {
            MockMessageText::new().text("notification").chat(MockPrivateChat::new().id(who as i64).build()).build()
        });
        let from = self.user(who);
        self.bot.update(MockCallbackQuery::new().data(data).from(from).message(message));
        self.dispatch(who).await;
        assert_eq!(self.bot.get_responses().answered_callback_queries.len(), 1, "every press is answered");
    }

    /// The person's screen as the conversation tests see replies.
    pub fn screen(&self, who: u64) -> Vec<Reply> {
        self.screens.get(&who).map(message_as_replies).unwrap_or_default()
    }

    /// The last text the person saw.
    pub fn last(&self, who: u64) -> String {
        self.texts.get(&who).and_then(|t| t.last().cloned()).unwrap_or_default()
    }

    /// Everything the person saw, one text a line.
    pub fn seen(&self, who: u64) -> String {
        self.texts.get(&who).map(|t| t.join("\n")).unwrap_or_default()
    }

    /// A count from the school's database (`SELECT count(*) …`).
    pub fn count(&self, sql: &str) -> i64 {
        self.app.store.read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?)).unwrap()
    }

    /// The newest outbox message for a person: (text, buttons).
    pub fn notification(&self, who: u64) -> (String, Vec<(String, String)>) {
        let (text, kb): (String, Option<String>) = self
            .app
            .store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT o.text, o.keyboard FROM outbox o JOIN users u ON u.id = o.user_id
                     WHERE u.telegram_id = ?1 AND o.status != 'cancelled' ORDER BY o.id DESC LIMIT 1",
                    [who as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        let buttons = dulae::notify::outbox::keyboard_from_json(kb.as_deref()).0.concat();
        (text, buttons.into_iter().map(|b| (b.text, b.data)).collect())
    }
}
