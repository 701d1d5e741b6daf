//! Live progress of a broadcast in ONE edited message of the sender ("ส่งแล้ว 230/430"), then the final report
//! (delivered, blocked, failed, acknowledged) with buttons to list who did not receive it and who has not
//! acknowledged. The outbox sender asks for these edits every few seconds and paces them like messages.

use super::store::{self as db, Announcement, Counts};
use crate::app::App;
use crate::chat_ui::buttons::AnnButton;
use crate::chat_ui::{Button, Keyboard};
use crate::domain::ids::AnnouncementId;
use crate::l10n::{Args, Tr};
use crate::notify::sender::{Edit, Progress};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// After this many failed edits of one message (deleted by the person, too old) we stop trying.
const MAX_FAILED_EDITS: u32 = 5;

/// A finished report keeps its acknowledged count current for this long after the broadcast …
const REPORT_LIVE_DAYS: i64 = 7;
/// … edited at most this often, however fast acknowledgements arrive (a parents' meeting).
const REPORT_EDIT_EVERY_SECONDS: i64 = 60;

pub struct ProgressReporter {
    app: Arc<App>,
    failures: Mutex<HashMap<AnnouncementId, u32>>,
    /// When each finished report was last edited for a new count.
    report_edited: Mutex<HashMap<AnnouncementId, DateTime<Utc>>>,
}

impl ProgressReporter {
    pub fn new(app: Arc<App>) -> Self {
        ProgressReporter { app, failures: Mutex::new(HashMap::new()), report_edited: Mutex::new(HashMap::new()) }
    }

    /// A finished report whose acknowledged count changed since it was shown (throttled).
    fn report_update(&self, a: &Announcement, now: DateTime<Utc>) -> anyhow::Result<Option<Edit>> {
        let Some((chat_id, message_id)) = a.progress else { return Ok(None) };
        {
            let edited = self.report_edited.lock().unwrap_or_else(|p| p.into_inner());
            if edited.get(&a.id).is_some_and(|at| now - *at < chrono::Duration::seconds(REPORT_EDIT_EVERY_SECONDS)) {
                return Ok(None);
            }
        }
        let store = &self.app.store;
        let (counts, acks, author) = store.read(|c| {
            Ok((db::counts(c, a.id)?, db::ack_count(c, a.id)?, crate::store::users::get(c, a.created_by)?))
        })?;
        let tr = self.app.l10n.tr(author.map_or(self.app.config.default_lang, |u| u.lang));
        let (text, keyboard) = report(tr, a, &counts, acks);
        if a.progress_shown.as_deref() == Some(text.as_str()) {
            return Ok(None);
        }
        store.write(|tx| db::set_report_shown(tx, a.id, Some(&text)))?;
        self.report_edited.lock().unwrap_or_else(|p| p.into_inner()).insert(a.id, now);
        Ok(Some(Edit { chat_id, message_id, text, keyboard, tag: a.id.to_string() }))
    }
}

/// The progress text while sending.
pub fn progress_text(tr: Tr<'_>, a: &Announcement, c: &Counts) -> String {
    let done = c.sent + c.blocked + c.failed + c.cancelled;
    tr.with("announce-progress", Args::new().str("audience", &a.audience_label).num("done", done).num("total", c.total))
}

/// The final report and its buttons.
pub fn report(tr: Tr<'_>, a: &Announcement, c: &Counts, acks: i64) -> (String, Keyboard) {
    let text = tr.with(
        "announce-report",
        Args::new()
            .str("audience", &a.audience_label)
            .num("total", c.total)
            .num("sent", c.sent)
            .num("blocked", c.blocked)
            .num("failed", c.failed + c.cancelled)
            .num("acks", acks),
    );
    let mut keyboard = Keyboard::default();
    if c.blocked + c.failed + c.cancelled > 0 {
        keyboard = keyboard
            .row(vec![Button { text: tr.get("announce-button-missing"), data: AnnButton::Missing(a.id).data() }]);
    }
    keyboard = keyboard
        .row(vec![Button { text: tr.get("announce-button-not-acked"), data: AnnButton::NotAcked(a.id).data() }]);
    (text, keyboard)
}

impl ProgressReporter {
    fn edit_for(&self, a: &Announcement, now: DateTime<Utc>) -> anyhow::Result<Option<Edit>> {
        let Some((chat_id, message_id)) = a.progress else { return Ok(None) };
        let store = &self.app.store;
        let (counts, acks, author) = store.read(|c| {
            Ok((db::counts(c, a.id)?, db::ack_count(c, a.id)?, crate::store::users::get(c, a.created_by)?))
        })?;
        let lang = author.map_or(self.app.config.default_lang, |u| u.lang);
        let tr = self.app.l10n.tr(lang);
        let finished = counts.waiting == 0;
        let (text, keyboard) =
            if finished { report(tr, a, &counts, acks) } else { (progress_text(tr, a, &counts), Keyboard::default()) };
        if a.progress_shown.as_deref() == Some(text.as_str()) && !finished {
            return Ok(None);
        }
        store.write(|tx| db::set_progress_shown(tx, a.id, Some(&text), finished.then_some(now)))?;
        Ok(Some(Edit { chat_id, message_id, text, keyboard, tag: a.id.to_string() }))
    }
}

impl Progress for ProgressReporter {
    fn edits(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Edit>> {
        let since = now - chrono::Duration::days(REPORT_LIVE_DAYS);
        let (open, finished) =
            self.app.store.read(|c| Ok((db::in_progress(c, now)?, db::recent_reports(c, since)?)))?;
        let mut edits = vec![];
        for a in open {
            if let Some(edit) = self.edit_for(&a, now)? {
                edits.push(edit);
            }
        }
        for a in finished {
            if let Some(edit) = self.report_update(&a, now)? {
                edits.push(edit);
            }
        }
        Ok(edits)
    }

    fn result(&self, tag: &str, shown: bool) {
        let Ok(id) = tag.parse::<i64>().map(AnnouncementId) else { return };
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if shown {
            failures.remove(&id);
            return;
        }
        let count = failures.entry(id).or_insert(0);
        *count += 1;
        if *count >= MAX_FAILED_EDITS {
            tracing::warn!(announcement = id.0, "giving up on updating a progress message");
            return;
        }
        // Show it again next time (also a final report that did not get through).
        if let Err(e) = self.app.store.write(|tx| db::set_progress_shown(tx, id, None, None)) {
            tracing::warn!(error = %format!("{e:#}"), "cannot reset a progress message");
        }
    }
}
