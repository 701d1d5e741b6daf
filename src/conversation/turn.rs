//! One update is one unit of work. [`super::handle`] opens one write transaction, loads the chat's state once,
//! lets a flow decide, and commits the flow's domain writes together with the chat's new state — or neither.
//!
//! A flow is a function of (this turn, the saved state, the event) that returns a [`Step`]: what becomes of the
//! chat's state (keep, set, clear) and the replies. Flows never save the state themselves, and every read or
//! write they make goes through [`Turn::db`], the turn's transaction. The domain writes are executed inside that
//! transaction rather than returned as data because later writes need what earlier ones made (a case's id for
//! its watchers, chronology and notification rows); what matters is that they commit with the state, as one.

use super::state::ChatState;
use super::{Incoming, Reply};
use crate::app::App;
use rusqlite::Transaction;

/// Everything a flow may use while handling one update.
pub struct Turn<'a> {
    pub app: &'a App,
    /// The turn's transaction: every read and write of the flow, committed with the chat's new state.
    pub db: &'a Transaction<'a>,
    pub incoming: &'a Incoming,
}

impl Turn<'_> {
    pub fn chat_id(&self) -> i64 {
        self.incoming.chat_id
    }

    /// Writes that must happen all together or not at all while the turn goes on: inside the turn's
    /// transaction, in an SQLite savepoint that a fault undoes.
    pub fn attempt<T>(&self, f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<T>) -> anyhow::Result<T> {
        self.attempt_or_refuse(|tx| f(tx).map(Ok::<T, std::convert::Infallible>)).map(|outcome| match outcome {
            Ok(value) => value,
            Err(never) => match never {},
        })
    }

    /// Writes a rule may refuse half-way (see `domain::refusal`): a refusal (`Ok(Err(..))`) undoes this
    /// attempt's writes just as a fault (`Err`) does, and both reach the caller as they are — the refusal to be
    /// told to the person, the fault to be logged.
    pub fn attempt_or_refuse<T, R>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<Result<T, R>>,
    ) -> anyhow::Result<Result<T, R>> {
        crate::store::refusals::in_savepoint(self.db, f)
    }
}

/// What becomes of the chat's saved state when the turn commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextState {
    /// Leave it as it was (a stale button, a hint, a command that starts nothing).
    Keep,
    Set(ChatState),
    Clear,
}

/// Slow work done after the commit so the store is free meanwhile: work that needs no database (drawing a
/// chart), or a long read in a snapshot of its own (the term's export, statistics: `Store::snapshot`).
type Render = Box<dyn FnOnce(&App) -> Vec<Reply> + Send>;

/// What a flow decided for one update.
pub struct Step {
    pub state: NextState,
    pub replies: Vec<Reply>,
    /// (position among the replies, how to make that reply after the commit)
    later: Vec<(usize, Render)>,
}

impl Step {
    pub fn keep(replies: Vec<Reply>) -> Step {
        Step { state: NextState::Keep, replies, later: vec![] }
    }

    pub fn set(state: ChatState, replies: Vec<Reply>) -> Step {
        Step { state: NextState::Set(state), replies, later: vec![] }
    }

    pub fn clear(replies: Vec<Reply>) -> Step {
        Step { state: NextState::Clear, replies, later: vec![] }
    }

    /// Put a reply before the others (a button's answer, a note about what was left behind).
    pub fn prepend(mut self, reply: Reply) -> Step {
        self.prepend_all(vec![reply]);
        self
    }

    pub fn prepend_all(&mut self, replies: Vec<Reply>) {
        let n = replies.len();
        self.replies.splice(0..0, replies);
        for (at, _) in &mut self.later {
            *at += n;
        }
    }

    pub fn push(&mut self, reply: Reply) {
        self.replies.push(reply);
    }

    /// A reply made after the commit, in this place among the replies (dropped if it returns `None`).
    pub fn push_later(&mut self, make: impl FnOnce(&App) -> Option<Reply> + Send + 'static) {
        self.push_later_all(move |app| make(app).into_iter().collect());
    }

    /// Replies made after the commit, in this place among the replies (none, one or several).
    pub fn push_later_all(&mut self, make: impl FnOnce(&App) -> Vec<Reply> + Send + 'static) {
        self.later.push((self.replies.len(), Box::new(make)));
    }

    /// Work after the commit that makes no reply (removing the files of a cancelled draft's photos): if the turn
    /// rolls back, the files stay with their rows.
    pub fn after_commit(&mut self, work: impl FnOnce() + Send + 'static) {
        self.push_later(move |_| {
            work();
            None
        });
    }

    /// The state goes in any case: a flow that leaves it as it is still ends the one before (another command
    /// in the middle of a form).
    pub fn or_clear(mut self) -> Step {
        if self.state == NextState::Keep {
            self.state = NextState::Clear;
        }
        self
    }

    /// The replies, with the ones made after the commit in their places.
    pub fn finish(self, app: &App) -> Vec<Reply> {
        let Step { mut replies, later, .. } = self;
        // Later ones first from the back, so earlier positions stay right.
        for (at, make) in later.into_iter().rev() {
            let at = at.min(replies.len());
            replies.splice(at..at, make(app));
        }
        replies
    }
}
