//! The running bot's background tasks, started and stopped one way. There is ONE stop signal ([`Shutdown`]):
//! SIGTERM (systemd) and SIGINT (Ctrl-C) trigger it, and so does a task that ends before it was asked to — a bot
//! that answers chats but has silently stopped sending notifications is worse than one that restarts (the unit
//! restarts it after 10 s). Every task gets a [`StopSignal`], finishes what it has in hand when it fires, and at
//! the end each one's [`Ending`] is written to the log: stopped on the signal, finished, failed (with the
//! cause), panicked, or did not stop in time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::{AbortHandle, JoinHandle};

/// The one stop signal. Cheap to clone; triggering it twice is the same as once.
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown(Arc::new(watch::channel(false).0))
    }
}

impl Shutdown {
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    /// Ask every task to stop.
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }

    pub fn is_triggered(&self) -> bool {
        *self.0.borrow()
    }

    /// What a task listens to.
    pub fn signal(&self) -> StopSignal {
        StopSignal { rx: self.0.subscribe(), _keep: None }
    }

    /// Trigger on SIGTERM or SIGINT (a task, so it is reported like the others; it ends with the stop). The
    /// signals are taken over before this returns: from then on neither kills the process mid-write.
    pub fn trigger_on_signals(&self, tasks: &mut Tasks) {
        let shutdown = self.clone();
        let signals = StopSignals::listen();
        tasks.spawn("stop signals", move |mut stop| async move {
            tokio::select! {
                name = signals.next() => {
                    tracing::info!(signal = name, "stop signal received; finishing the work in hand");
                    shutdown.trigger();
                }
                () = stop.stopped() => {}
            }
            Ok(())
        });
    }
}

/// A task's end of the stop signal.
#[derive(Clone)]
pub struct StopSignal {
    rx: watch::Receiver<bool>,
    /// For [`StopSignal::never`]: the sender, kept so the signal does not read as "dropped, so stop".
    _keep: Option<Arc<watch::Sender<bool>>>,
}

impl StopSignal {
    /// A signal that never fires (a start-up wait nobody can interrupt but the process's end).
    pub fn never() -> StopSignal {
        let (tx, rx) = watch::channel(false);
        StopSignal { rx, _keep: Some(Arc::new(tx)) }
    }

    pub fn is_stopped(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once the stop is asked for (at once if it already was). A [`Shutdown`] that is gone counts as a
    /// stop: nobody is left to ask for it.
    pub async fn stopped(&mut self) {
        let _ = self.rx.wait_for(|stop| *stop).await;
    }
}

/// A bare `watch` channel's receiver works as a stop signal too (`true` = stop): the tests drive the sender so.
impl From<watch::Receiver<bool>> for StopSignal {
    fn from(rx: watch::Receiver<bool>) -> StopSignal {
        StopSignal { rx, _keep: None }
    }
}

/// How a task ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// It returned after the stop signal: the normal end.
    Stopped,
    /// It returned on its own, before any stop signal (none of the bot's tasks should).
    Finished,
    /// It returned an error; the cause, with its chain.
    Failed(String),
    /// It panicked; the panic's message.
    Panicked(String),
    /// It was still running when the time to stop was up, and was cut off.
    TimedOut(Duration),
}

impl std::fmt::Display for Ending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ending::Stopped => f.write_str("stopped on the stop signal"),
            Ending::Finished => f.write_str("finished on its own"),
            Ending::Failed(cause) => write!(f, "failed: {cause}"),
            Ending::Panicked(message) => write!(f, "panicked: {message}"),
            Ending::TimedOut(bound) => write!(f, "did not stop within {} s and was cut off", bound.as_secs()),
        }
    }
}

struct Running {
    name: &'static str,
    watcher: JoinHandle<Ending>,
    task: AbortHandle,
}

/// The background tasks of one run.
pub struct Tasks {
    shutdown: Shutdown,
    running: Vec<Running>,
}

impl Tasks {
    pub fn new(shutdown: &Shutdown) -> Tasks {
        Tasks { shutdown: shutdown.clone(), running: vec![] }
    }

    pub fn shutdown(&self) -> &Shutdown {
        &self.shutdown
    }

    /// Start a task. It should return `Ok` once its [`StopSignal`] fires (after the work in hand); if it ends
    /// before that, however it ends, the stop is triggered for all (see the module's comment).
    pub fn spawn<F>(&mut self, name: &'static str, task: impl FnOnce(StopSignal) -> F)
    where
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let inner = tokio::spawn(task(self.shutdown.signal()));
        let abort = inner.abort_handle();
        let shutdown = self.shutdown.clone();
        let watcher = tokio::spawn(async move {
            let ending = match inner.await {
                Ok(Ok(())) if shutdown.is_triggered() => Ending::Stopped,
                Ok(Ok(())) => Ending::Finished,
                Ok(Err(e)) => Ending::Failed(format!("{e:#}")),
                Err(e) if e.is_panic() => Ending::Panicked(super::db::panic_text(e.into_panic())),
                Err(e) => Ending::Failed(format!("cancelled: {e}")),
            };
            if !shutdown.is_triggered() {
                tracing::error!(task = name, ending = %ending, "a background task ended by itself; stopping the bot");
                shutdown.trigger();
            }
            ending
        });
        self.running.push(Running { name, watcher, task: abort });
    }

    /// Trigger the stop (if nothing has yet), wait for every task — at most `within` in all — and log how each
    /// ended. Returns the endings in the order the tasks were started.
    pub async fn stop(self, within: Duration) -> Vec<(&'static str, Ending)> {
        self.shutdown.trigger();
        let deadline = tokio::time::Instant::now() + within;
        let mut endings = Vec::with_capacity(self.running.len());
        for Running { name, mut watcher, task } in self.running {
            let ending = match tokio::time::timeout_at(deadline, &mut watcher).await {
                Ok(Ok(ending)) => ending,
                Ok(Err(e)) => Ending::Panicked(format!("the task's watcher: {e}")),
                Err(_) => {
                    task.abort();
                    watcher.abort();
                    Ending::TimedOut(within)
                }
            };
            match &ending {
                Ending::Stopped => tracing::info!(task = name, ending = %ending, "background task ended"),
                _ => tracing::error!(task = name, ending = %ending, "background task ended"),
            }
            endings.push((name, ending));
        }
        endings
    }
}

/// SIGTERM (systemd) and SIGINT (Ctrl-C), listened to from the moment [`StopSignals::listen`] returns.
struct StopSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn listen() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind: SignalKind, name: &str| match signal(kind) {
                Ok(signal) => Some(signal),
                Err(e) => {
                    tracing::warn!(error = %e, signal = name, "cannot listen for this stop signal");
                    None
                }
            };
            StopSignals {
                term: listen(SignalKind::terminate(), "SIGTERM"),
                int: listen(SignalKind::interrupt(), "SIGINT"),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Waits for the first of them; returns its name.
    async fn next(mut self) -> &'static str {
        #[cfg(unix)]
        {
            async fn recv(signal: Option<&mut tokio::signal::unix::Signal>) {
                match signal {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                () = recv(self.term.as_mut()) => "SIGTERM",
                () = recv(self.int.as_mut()) => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn until_stopped(mut stop: StopSignal) -> anyhow::Result<()> {
        stop.stopped().await;
        Ok(())
    }

    #[tokio::test]
    async fn every_task_reports_stopped_after_one_signal() {
        let shutdown = Shutdown::new();
        let mut tasks = Tasks::new(&shutdown);
        tasks.spawn("first", until_stopped);
        tasks.spawn("second", until_stopped);
        tokio::task::yield_now().await;
        assert!(!shutdown.is_triggered());
        let endings = tasks.stop(Duration::from_secs(5)).await;
        assert_eq!(endings, [("first", Ending::Stopped), ("second", Ending::Stopped)]);
    }

    #[tokio::test]
    async fn a_task_that_fails_or_panics_stops_the_others_and_says_why() {
        let shutdown = Shutdown::new();
        let mut tasks = Tasks::new(&shutdown);
        tasks.spawn("waits", until_stopped);
        tasks.spawn("fails", |_| async { Err(anyhow::anyhow!("disk full").context("cannot write")) });
        let mut stop = shutdown.signal();
        tokio::time::timeout(Duration::from_secs(5), stop.stopped()).await.expect("the failure triggered the stop");
        tasks.spawn("panics", |_| async { panic!("index out of range") });
        let endings = tasks.stop(Duration::from_secs(5)).await;
        assert_eq!(endings[0], ("waits", Ending::Stopped));
        assert_eq!(endings[1], ("fails", Ending::Failed("cannot write: disk full".into())));
        assert_eq!(endings[2], ("panics", Ending::Panicked("index out of range".into())));
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_that_ignores_the_signal_is_cut_off_at_the_bound() {
        let shutdown = Shutdown::new();
        let mut tasks = Tasks::new(&shutdown);
        tasks.spawn("stubborn", |_| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        });
        tasks.spawn("polite", until_stopped);
        let endings = tasks.stop(Duration::from_secs(10)).await;
        assert_eq!(endings[0], ("stubborn", Ending::TimedOut(Duration::from_secs(10))));
        assert_eq!(endings[1], ("polite", Ending::Stopped));
    }

    #[tokio::test]
    async fn a_dropped_shutdown_reads_as_stop_and_never_does_not() {
        let shutdown = Shutdown::new();
        let mut signal = shutdown.signal();
        drop(shutdown);
        tokio::time::timeout(Duration::from_secs(1), signal.stopped()).await.expect("stopped");
        let mut never = StopSignal::never();
        assert!(tokio::time::timeout(Duration::from_millis(50), never.stopped()).await.is_err());
        assert!(!never.is_stopped());
    }

    /// SIGTERM (systemd's stop) and SIGINT (Ctrl-C) each trigger the one stop, and the listener reports
    /// `Stopped`. The signals go to this test process, whose handlers are installed before they are sent.
    #[cfg(unix)]
    #[tokio::test]
    async fn sigterm_and_sigint_each_trigger_the_stop() {
        for signal in ["-TERM", "-INT"] {
            let shutdown = Shutdown::new();
            let mut tasks = Tasks::new(&shutdown);
            shutdown.trigger_on_signals(&mut tasks);
            tasks.spawn("worker", until_stopped);
            let sent = std::process::Command::new("kill").arg(signal).arg(std::process::id().to_string()).status();
            assert!(sent.expect("kill runs").success());
            let mut stop = shutdown.signal();
            tokio::time::timeout(Duration::from_secs(10), stop.stopped()).await.expect("the signal triggered the stop");
            let endings = tasks.stop(Duration::from_secs(5)).await;
            assert_eq!(endings, [("stop signals", Ending::Stopped), ("worker", Ending::Stopped)], "{signal}");
        }
    }
}
