//! The Telegram transport: long polling with teloxide, turning updates into [`conversation::Incoming`] and
//! replies into Bot API calls, and the running bot's background tasks. No product logic lives here, and no
//! database call runs on an async thread: the chat logic and every store call go to blocking threads
//! (`spawn_blocking`, `app::db`).

pub mod deliver;
mod live_questions;
mod photos;
mod render;
pub mod send;
pub mod startup;

use crate::app::App;
use crate::app::db;
use crate::app::tasks::{Ending, Shutdown, Tasks};
use crate::conversation::{self, Event, Incoming, MediaKind, Reply, Sender};
use crate::domain::TelegramId;
use crate::notify::media::PhotoSource;
use crate::notify::sender::Deliver;
use std::sync::Arc;
use std::time::Duration;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, Recipient};

pub type HandlerError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The update tree: messages and button presses. The end-to-end tests drive exactly this.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_button))
        .branch(Update::filter_my_chat_member().endpoint(on_my_chat_member))
}

/// A person blocked the bot (unreachable: the sender stops writing to them) or unblocked it (reachable again).
async fn on_my_chat_member(update: teloxide::types::ChatMemberUpdated, app: Arc<App>) -> Result<(), HandlerError> {
    if !update.chat.is_private() {
        return Ok(());
    }
    let reachable = update.new_chat_member.is_present();
    let telegram_id = TelegramId(update.from.id.0 as i64);
    let now = app.clock.now();
    let result =
        db::write(&app.store, move |tx| crate::notify::outbox::set_reachable(tx, telegram_id, reachable, now)).await;
    match result {
        Ok(true) => tracing::info!(telegram_id = telegram_id.0, reachable, "a person blocked or unblocked the bot"),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %format!("{e:#}"), "cannot record a my_chat_member update"),
    }
    Ok(())
}

fn sender(user: &teloxide::types::User) -> Sender {
    Sender {
        telegram_id: TelegramId(user.id.0 as i64),
        display_name: user.full_name(),
        username: user.username.clone(),
    }
}

/// What a message means to us.
fn event_of(msg: &Message, bot_username: Option<&str>) -> Option<Event> {
    if msg.forward_origin().is_some() {
        return Some(Event::Forwarded);
    }
    if let Some(text) = msg.text() {
        if let Some(command) = text.strip_prefix('/') {
            let (head, args) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
            let (name, addressed_to) = head.split_once('@').map_or((head, None), |(n, b)| (n, Some(b)));
            // "/help@OtherBot" in a group is not for us.
            if let (Some(to), Some(me)) = (addressed_to, bot_username)
                && !to.eq_ignore_ascii_case(me)
            {
                return None;
            }
            return Some(Event::Command { name: name.to_string(), args: args.trim().to_string() });
        }
        return Some(Event::Text(text.to_string()));
    }
    if let Some(location) = msg.location() {
        return Some(Event::Location { latitude: location.latitude, longitude: location.longitude });
    }
    // Telegram sends several sizes of one photo; the last is the largest.
    if let Some(largest) = msg.photo().and_then(|sizes| sizes.last()) {
        return Some(Event::Photo {
            file_id: largest.file.id.0.clone(),
            file_unique_id: largest.file.unique_id.0.clone(),
        });
    }
    if let Some(document) = msg.document() {
        return Some(Event::Document {
            file_id: document.file.id.0.clone(),
            file_name: document.file_name.clone(),
            mime_type: document.mime_type.as_ref().map(ToString::to_string),
        });
    }
    let kind = if msg.sticker().is_some() {
        MediaKind::Sticker
    } else if msg.voice().is_some() {
        MediaKind::Voice
    } else if msg.video().is_some() {
        MediaKind::Video
    } else if msg.document().is_some() {
        MediaKind::Document
    } else if msg.contact().is_some() {
        MediaKind::Contact
    } else if msg.chat.is_private() {
        MediaKind::Other
    } else {
        // Service messages in groups (members joining, titles changing): nothing to say.
        return None;
    };
    Some(Event::Media(kind))
}

async fn on_message(bot: Bot, msg: Message, app: Arc<App>) -> Result<(), HandlerError> {
    let Some(from) = msg.from.as_ref() else {
        return Ok(()); // channel posts
    };
    let Some(event) = event_of(&msg, app.bot_username.as_deref()) else {
        return Ok(());
    };
    let incoming = Incoming {
        chat_id: msg.chat.id.0,
        private_chat: msg.chat.is_private(),
        from: sender(from),
        event,
        album: msg.media_group_id().map(|group| group.0.clone()),
    };
    let replies = run_logic(&app, incoming.clone()).await;
    render::deliver(&bot, &app.governor, msg.chat.id, None, replies).await;
    Ok(())
}

async fn on_button(bot: Bot, query: CallbackQuery, app: Arc<App>) -> Result<(), HandlerError> {
    let message = query.message.as_ref();
    let Some(chat) = message.map(|m| m.chat().clone()) else {
        // A button on an inline message we never send: answer so the spinner stops.
        send::answer_button(&bot, &query.id, None, false).await;
        return Ok(());
    };
    let incoming = Incoming {
        chat_id: chat.id.0,
        private_chat: chat.is_private(),
        from: sender(&query.from),
        event: Event::Button { data: query.data.clone().unwrap_or_default(), message_id: message.map(|m| m.id().0) },
        album: None,
    };
    let replies = run_logic(&app, incoming).await;
    render::deliver(&bot, &app.governor, chat.id, Some(&query.id), replies).await;
    Ok(())
}

/// Run the (blocking, SQLite) conversation logic off the async workers. Errors and even panics become a
/// polite apology: a handler must never take the dispatcher down.
async fn run_logic(app: &Arc<App>, incoming: Incoming) -> Vec<Reply> {
    let is_button = matches!(incoming.event, Event::Button { .. });
    let worker_app = Arc::clone(app);
    let telegram_id = incoming.from.telegram_id;
    let result = tokio::task::spawn_blocking(move || conversation::handle(&worker_app, &incoming)).await;
    let failure = match result {
        Ok(Ok(replies)) => return replies,
        Ok(Err(e)) => format!("{e:#}"),
        Err(join) => format!("handler panicked: {join}"),
    };
    tracing::error!(telegram_id = telegram_id.0, error = %failure, "update failed");
    // The apology in the person's language; if even that cannot be read, in the school's (the fault is logged).
    let person = db::read(&app.store, move |c| crate::store::users::find_by_telegram(c, telegram_id)).await;
    let lang = match person {
        Ok(person) => person.map_or(app.config.default_lang, |u| u.lang),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "cannot read the person's language for the apology");
            app.config.default_lang
        }
    };
    let apology = app.l10n.tr(lang).get("error-apology");
    if is_button { vec![Reply::AnswerButton { text: Some(apology), alert: true }] } else { vec![Reply::text(apology)] }
}

/// How long the background tasks get, once the dispatcher has stopped, to finish what they have in hand (the
/// sender's calls in flight, a reminder pass, a backup) before they are cut off. They got the signal when the
/// dispatcher did, so this is rarely waited for; it stays under systemd's `TimeoutStopSec=30`
/// (deploy/dulae.service), after which systemd kills.
pub const STOP_WITHIN: Duration = Duration::from_secs(20);

/// Start the bot: the background tasks and long polling, until SIGTERM (systemd) or SIGINT (Ctrl-C) — or until a
/// background task ends by itself, which stops everything and returns an error (systemd then restarts the bot).
/// One stop signal ([`Shutdown`]) stops the dispatcher and every task; each one's ending is logged.
pub async fn run(app: Arc<App>, bot: Bot) -> anyhow::Result<()> {
    // The menu for people who have not joined; members get their own per-chat menu when they join.
    let public_menu = conversation::commands::menu(&app, app.l10n.tr(app.config.default_lang), None);
    if let Err(e) = send::retrying("setMyCommands", || {
        bot.set_my_commands(render::bot_commands(&public_menu)).scope(BotCommandScope::Default)
    })
    .await
    {
        tracing::warn!(error = %e, "could not set the default command menu");
    }

    let shutdown = Shutdown::new();
    let mut tasks = start_background(
        &app,
        Arc::new(deliver::TeloxideDeliver::new(bot.clone())),
        photos::TelegramPhotos(bot.clone()),
        &shutdown,
    );
    shutdown.trigger_on_signals(&mut tasks);
    tracing::info!("Dulae is running");
    let dispatched = dispatch_until_stopped(&app, bot, &shutdown).await;
    let endings = tasks.stop(STOP_WITHIN).await;
    dispatched?;
    if let Some((task, ending)) = endings.iter().find(|(_, ending)| *ending != Ending::Stopped) {
        anyhow::bail!("Dulae stopped because a background task ended badly: {task} {ending}");
    }
    tracing::info!("Dulae stopped");
    Ok(())
}

/// The background tasks of the running bot, all on `shutdown`: the outbox sender (through `deliver`), the
/// scheduler (reminders, deadlines, the digest), the photo fetcher (from `photos`) and the housekeeping (backups,
/// the photo sweep). Separate from [`run`] so a test can start them without Telegram.
pub fn start_background<D: Deliver>(
    app: &Arc<App>,
    deliver: Arc<D>,
    photos: impl PhotoSource + 'static,
    shutdown: &Shutdown,
) -> Tasks {
    let mut tasks = Tasks::new(shutdown);
    // The one task that drains the outbox (notifications, announcements) under Telegram's limits, paced by the
    // governor it shares with the replies. On the stop signal it finishes (and records) the calls in flight, so a
    // graceful stop re-sends nothing.
    let sender = crate::notify::sender::Sender::new(
        Arc::clone(app) as Arc<dyn AsRef<crate::store::Store> + Send + Sync>,
        Arc::clone(&app.clock),
        deliver,
        crate::notify::sender::RealTime(Arc::clone(&app.clock)),
        crate::notify::sender::Limits::default(),
    )
    .with_governor(Arc::clone(&app.governor))
    .with_progress(Arc::new(crate::announce::progress::ProgressReporter::new(Arc::clone(app))));
    tasks.spawn("outbox sender", |stop| async move {
        let report = sender.run(stop, false).await;
        tracing::info!(?report, "the outbox sender's work in this run");
        Ok(())
    });
    // Reminders, acceptance deadlines, the weekly digest: rows moved into the outbox on the clock.
    tasks.spawn("scheduler", |stop| crate::notify::scheduler::run(Arc::clone(app), stop));
    tasks.spawn("photo fetcher", |stop| photos::run_fetcher(Arc::clone(app), photos, stop));
    // Daily backups and the photo sweep.
    tasks.spawn("housekeeping", |stop| crate::ops::run_housekeeping(Arc::clone(app), stop));
    tasks
}

/// Long polling until the stop signal. The dispatcher has its own stop (teloxide's `ShutdownToken`); a small
/// bridge pulls it when the one stop signal fires.
async fn dispatch_until_stopped(app: &Arc<App>, bot: Bot, shutdown: &Shutdown) -> anyhow::Result<()> {
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![Arc::clone(app)])
        .default_handler(|_| async {})
        .distribution_function(worker_of)
        .build();
    let token = dispatcher.shutdown_token();
    let mut stop = shutdown.signal();
    let bridge = tokio::spawn(async move {
        stop.stopped().await;
        // The dispatcher may still be starting (or waiting for Telegram); try until it accepts, then wait for the
        // updates in hand to be answered.
        loop {
            match token.shutdown() {
                Ok(done) => {
                    done.await;
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    });
    // `dispatch()` panics when its first getMe fails (the network dropped since start-up): ask with the
    // non-panicking form and wait for Telegram again instead.
    let mut result = Ok(());
    loop {
        let listener = teloxide::update_listeners::polling_default(bot.clone()).await;
        let on_error = teloxide::error_handlers::LoggingErrorHandler::with_custom_text("polling Telegram failed");
        match dispatcher.try_dispatch_with_listener(listener, on_error).await {
            Ok(()) => break,
            Err(teloxide::RequestError::Api(teloxide::ApiError::InvalidToken)) => {
                result = Err(startup::token_rejected(&app.l10n));
                break;
            }
            Err(e) => {
                tracing::warn!(error = %e, "Telegram stopped answering before polling began; waiting for it");
                if startup::wait_for_telegram(&bot, &app.l10n, &shutdown.signal()).await.is_err() {
                    break;
                }
            }
        }
    }
    bridge.abort();
    let ending = match &result {
        Err(e) => Ending::Failed(format!("{e:#}")),
        Ok(()) if shutdown.is_triggered() => Ending::Stopped,
        Ok(()) => Ending::Finished,
    };
    tracing::info!(task = "dispatcher", ending = %ending, "the dispatcher ended");
    // However it ended, everything else stops with it.
    shutdown.trigger();
    result
}

/// How many workers handle updates (see [`worker_of`]); 0 = one per chat, teloxide's default (the benchmark
/// compares both).
pub static WORKERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(64);

/// Which worker handles an update: a fixed pool keyed by a hash of the chat. teloxide 0.17 runs one worker per
/// key and reaps idle ones only while there are more workers than the most that were ever busy at once, so
/// after a burst (2,000 parents joining at a meeting) one worker per chat stays — each with its own blocking
/// SQLite thread while it ran. A fixed pool bounds both; one chat's updates still go to one worker, in order.
fn worker_of(update: &Update) -> Option<u64> {
    let chat = update.chat()?.id.0;
    let workers = WORKERS.load(std::sync::atomic::Ordering::Relaxed);
    if workers == 0 {
        return Some(chat as u64);
    }
    // Fibonacci hashing spreads neighbouring ids (parents who joined one after another) over the pool.
    Some(((chat as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) % workers)
}

/// The chat's command menu.
pub(crate) fn chat_scope(chat: ChatId) -> BotCommandScope {
    BotCommandScope::Chat { chat_id: Recipient::Id(chat) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::outbox::{self, OutMessage, Queued};
    use crate::notify::sender::{DeliveryError, Edit};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Telegram that accepts every message and counts them.
    #[derive(Default)]
    struct Accepting(AtomicUsize);

    impl Deliver for Accepting {
        async fn deliver(&self, _message: &Queued) -> Result<i32, DeliveryError> {
            Ok(self.0.fetch_add(1, Ordering::SeqCst) as i32 + 1)
        }
        async fn edit(&self, _edit: &Edit) -> Result<(), DeliveryError> {
            Ok(())
        }
    }

    /// No network for photos.
    struct Offline;

    impl PhotoSource for Offline {
        async fn download(&self, _file_id: &str, _dest: &std::path::Path) -> anyhow::Result<()> {
            anyhow::bail!("offline")
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_background_task_stops_on_the_one_signal_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("dulae.db")).unwrap();
        let mut config = crate::config::Config::from_lookup(|_| None).unwrap();
        config.media_dir = dir.path().join("media");
        config.backup_dir = dir.path().join("backups");
        let app = Arc::new(App::with_clock(store, config, Arc::new(crate::clock::SystemClock)).unwrap());
        let now = app.clock.now();
        db::write(&app.store, move |tx| outbox::enqueue(tx, &OutMessage::text(42, None, "สวัสดีค่ะ", now), now))
            .await
            .unwrap();

        let shutdown = Shutdown::new();
        let telegram = Arc::new(Accepting::default());
        let tasks = start_background(&app, Arc::clone(&telegram), Offline, &shutdown);
        // The tasks really run: the waiting message goes out and is recorded.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while db::read(&app.store, outbox::open_count).await.unwrap() > 0 {
            assert!(tokio::time::Instant::now() < deadline, "the sender never sent the message");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(telegram.0.load(Ordering::SeqCst), 1);
        assert!(!shutdown.is_triggered(), "nothing ended by itself");

        shutdown.trigger();
        let endings = tasks.stop(Duration::from_secs(20)).await;
        let names: Vec<&str> = endings.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["outbox sender", "scheduler", "photo fetcher", "housekeeping"]);
        for (name, ending) in &endings {
            assert_eq!(*ending, Ending::Stopped, "{name}");
        }
    }
}
