//! The database from async code. SQLite calls block (a query, the store's mutex while a chat's turn holds it, a
//! `busy_timeout` wait), so the async side — the transport, the outbox sender, the photo fetcher, the scheduler —
//! never calls the store itself: it goes through these helpers, which run the call on Tokio's blocking threads
//! and hand the answer back. An async worker thread is then never stalled by the database, whatever the database
//! is doing (`app::tests` checks that the async files call the store only through here).
//!
//! Why blocking threads and not one database thread behind a channel: the chat logic already runs each update as
//! one transaction on a blocking thread (`bot::run_logic`), and the store's mutex is what orders those turns. A
//! single database thread would put every update, every outbox step and every reminder pass in one queue — the
//! mutex gives the same order without the queue, and a panic in one call stays in that call.

use crate::store::Store;
use anyhow::anyhow;
use rusqlite::{Connection, Transaction};
use std::sync::Arc;

/// Run `f` with the store on a blocking thread (several transactions, or a use case that takes `&Store`).
pub async fn blocking<S, T>(
    store: &Arc<S>,
    f: impl FnOnce(&Store) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T>
where
    S: AsRef<Store> + Send + Sync + ?Sized + 'static,
    T: Send + 'static,
{
    let store = Arc::clone(store);
    off_thread(move || f((*store).as_ref())).await
}

/// Run other blocking work (a callback that may use the store, a file to write) on a blocking thread.
pub async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(anyhow!("a database call panicked: {}", panic_text(e.into_panic()))),
        Err(e) => Err(anyhow!("a database call was cancelled: {e}")),
    }
}

/// [`Store::read`] on a blocking thread.
pub async fn read<S, T>(
    store: &Arc<S>,
    f: impl FnOnce(&Connection) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T>
where
    S: AsRef<Store> + Send + Sync + ?Sized + 'static,
    T: Send + 'static,
{
    blocking(store, move |s| s.read(f)).await
}

/// [`Store::write`] (one transaction, all or nothing) on a blocking thread.
pub async fn write<S, T>(
    store: &Arc<S>,
    f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T>
where
    S: AsRef<Store> + Send + Sync + ?Sized + 'static,
    T: Send + 'static,
{
    blocking(store, move |s| s.write(f)).await
}

/// A panic's message, for the log.
pub(crate) fn panic_text(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn calls_run_off_the_async_thread_and_faults_come_back_as_errors() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let async_thread = std::thread::current().id();
        let (thread, version) =
            blocking(&store, |s| Ok((std::thread::current().id(), s.schema_version()?))).await.unwrap();
        assert_ne!(thread, async_thread, "the call ran on a blocking thread");
        assert_eq!(version, crate::store::latest_schema_version());
        assert!(read(&store, crate::store::users::list).await.unwrap().is_empty());
        assert_eq!(write(&store, |tx| crate::notify::outbox::reset_in_flight(tx)).await.unwrap(), 0);
        let fault = read(&store, |_| crate::store::parse_instant("yesterday")).await.unwrap_err();
        assert!(format!("{fault:#}").contains("yesterday"), "{fault:#}");
        let panicked = blocking(&store, |_| -> anyhow::Result<()> { panic!("a bug") }).await.unwrap_err();
        assert!(panicked.to_string().contains("panicked: a bug"), "{panicked}");
        // The store is still usable after a panic inside a call.
        assert_eq!(read(&store, crate::store::users::list).await.unwrap().len(), 0);
    }

    /// The async side of the bot — the transport and the tasks' loops — never calls the store directly: a store
    /// call there would run on a Tokio worker thread and could wait for the lock a chat's turn holds. They go
    /// through this module (or hand a whole job to a blocking thread, as `tick` and the chat logic are).
    #[test]
    fn the_async_side_calls_the_store_only_through_this_module() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files: Vec<std::path::PathBuf> =
            ["notify/sender.rs", "notify/media.rs", "notify/scheduler.rs", "app/tasks.rs"]
                .iter()
                .map(|f| root.join(f))
                .collect();
        for entry in std::fs::read_dir(root.join("bot")).unwrap() {
            files.push(entry.unwrap().path());
        }
        let direct = ["store.read(", "store.write(", "store().read(", "store().write(", ".read(|", ".write(|"];
        let mut found = vec![];
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if direct.iter().any(|call| code.contains(call)) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(files.len() > 8, "the scan found {} files; is the list still right?", files.len());
        assert!(found.is_empty(), "store calls on an async thread (use app::db):\n{}", found.join("\n"));
    }
}
