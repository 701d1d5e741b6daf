//! Announcements (ประกาศ): who may announce to whom, the recipients, and the one transaction that writes an
//! announcement with one outbox row per recipient. The sender (`crate::notify::sender`) delivers them; the
//! progress and final report are in [`progress`]; printable parent invite slips in [`slips`].
//!
//! Restart safety comes from the outbox: rows are written once (dedupe key `announce:<id>:user:<uid>`), and the
//! sender marks each row sent right after Telegram accepts it.

pub mod progress;
pub mod slips;
pub mod store;

use self::store as db;

use crate::chat_ui::{Button, Keyboard};
use crate::domain::class::Level;
use crate::domain::ids::AnnouncementId;
use crate::domain::refusal::Refusal;
use crate::domain::{Role, UserId};
use crate::l10n::{Args, Lang, Localizer};
use crate::notify::outbox::{self, Body, OutMessage, Priority};
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::ClassId;
use crate::store::users::{self, UserRow};
use crate::store::{Store, instant};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};

/// Telegram allows 1024 characters in a caption; a photo or PDF announcement keeps its text within that.
pub const MAX_CAPTION_CHARS: usize = 1000;
/// A text announcement (Telegram allows 4096; a parent reads it on a phone).
pub const MAX_TEXT_CHARS: usize = 2000;

/// Who an announcement goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every parent of an active student.
    AllParents,
    /// The parents of one grade (ป.4: every room).
    Grade { level: Level, grade: u8 },
    /// The parents of one class.
    Class(ClassId),
    /// The parents of a teacher's classes.
    Classes(Vec<ClassId>),
    /// Every member of staff.
    Staff,
}

impl Audience {
    pub fn encode(&self) -> String {
        match self {
            Audience::AllParents => "parents".into(),
            Audience::Grade { level, grade } => format!("grade:{}{grade}", level.abbreviation()),
            Audience::Class(id) => format!("class:{}", id.0),
            Audience::Classes(ids) => {
                format!("classes:{}", ids.iter().map(|c| c.0.to_string()).collect::<Vec<_>>().join(","))
            }
            Audience::Staff => "staff".into(),
        }
    }

    pub fn decode(text: &str) -> Option<Audience> {
        if text == "parents" {
            return Some(Audience::AllParents);
        }
        if text == "staff" {
            return Some(Audience::Staff);
        }
        if let Some(rest) = text.strip_prefix("grade:") {
            let digits = rest.trim_start_matches(|c: char| !c.is_ascii_digit());
            let level = Level::from_abbreviation(&rest[..rest.len() - digits.len()])?;
            return Some(Audience::Grade { level, grade: digits.parse().ok()? });
        }
        if let Some(id) = text.strip_prefix("class:") {
            return Some(Audience::Class(ClassId(id.parse().ok()?)));
        }
        if let Some(ids) = text.strip_prefix("classes:") {
            let ids: Option<Vec<ClassId>> = ids.split(',').map(|i| i.parse().ok().map(ClassId)).collect();
            return ids.filter(|v| !v.is_empty()).map(Audience::Classes);
        }
        None
    }

    pub fn is_parents(&self) -> bool {
        !matches!(self, Audience::Staff)
    }
}

/// Whether `user` may announce to `audience` now (checked again at every step and at confirm).
pub fn may_announce(conn: &Connection, user: &UserRow, audience: &Audience) -> anyhow::Result<bool> {
    if user.revoked {
        return Ok(false);
    }
    Ok(match user.role {
        Role::Head | Role::Admin => true,
        Role::Teacher => {
            let own: Vec<ClassId> = users::classes_of(conn, user.id)?.into_iter().map(|c| c.id).collect();
            match audience {
                Audience::Class(id) => own.contains(id),
                Audience::Classes(ids) => !ids.is_empty() && ids.iter().all(|id| own.contains(id)),
                _ => false,
            }
        }
        Role::Counselor | Role::Parent => false,
    })
}

/// Whether a role announces at all (to offer `/announce`).
pub fn role_announces(role: Role) -> bool {
    matches!(role, Role::Head | Role::Admin | Role::Teacher)
}

/// A short name for the audience, in the sender's language: "ผู้ปกครองทั้งโรงเรียน", "ผู้ปกครอง ป.4/1".
pub fn audience_label(conn: &Connection, l10n: &Localizer, lang: Lang, audience: &Audience) -> anyhow::Result<String> {
    let tr = l10n.tr(lang);
    let class_names = |ids: &[ClassId]| -> anyhow::Result<String> {
        let mut names = vec![];
        for id in ids {
            if let Some(c) = crate::store::students::get_class(conn, *id)? {
                names.push(c.name.to_string());
            }
        }
        Ok(names.join(", "))
    };
    Ok(match audience {
        Audience::AllParents => tr.get("announce-audience-all-parents"),
        Audience::Staff => tr.get("announce-audience-staff"),
        Audience::Grade { level, grade } => tr.with(
            "announce-audience-parents-of",
            Args::new().str("classes", format!("{}{grade}", level.abbreviation())),
        ),
        Audience::Class(id) => {
            tr.with("announce-audience-parents-of", Args::new().str("classes", class_names(&[*id])?))
        }
        Audience::Classes(ids) => {
            tr.with("announce-audience-parents-of", Args::new().str("classes", class_names(ids)?))
        }
    })
}

/// What an announcement carries besides its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Media {
    Photo(String),
    Document(String),
}

impl Media {
    pub fn kind(&self) -> &'static str {
        match self {
            Media::Photo(_) => "photo",
            Media::Document(_) => "document",
        }
    }

    pub fn file_id(&self) -> &str {
        match self {
            Media::Photo(f) | Media::Document(f) => f,
        }
    }

    pub fn from_parts(kind: Option<&str>, file: Option<String>) -> Option<Media> {
        match (kind, file) {
            (Some("photo"), Some(f)) => Some(Media::Photo(f)),
            (Some("document"), Some(f)) => Some(Media::Document(f)),
            _ => None,
        }
    }
}

/// An announcement ready to be confirmed.
#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub audience: Audience,
    pub text: String,
    pub media: Option<Media>,
    /// `None`: now.
    pub send_at: Option<DateTime<Utc>>,
    /// One confirm per draft (chat id and the flow's nonce).
    pub draft_key: String,
    /// The sender's message that will show progress.
    pub progress: Option<(i64, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: AnnouncementId,
    pub recipients: usize,
    /// The same draft was confirmed before (a double tap): nothing new was written.
    pub already: bool,
}

/// Why an announcement was not made (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnnounceError {
    #[error("this person may not announce to that audience")]
    NotAllowed,
    #[error("the announcement has no recipients")]
    NoRecipients,
    #[error("the announcement text is empty or too long")]
    BadText,
}

impl Refusal for AnnounceError {
    fn message_id(&self) -> &'static str {
        match self {
            // Their rights changed while the preview was open: the preview's button is no longer theirs to press.
            AnnounceError::NotAllowed => "stale-button",
            AnnounceError::NoRecipients => "announce-no-recipients",
            AnnounceError::BadText => "announce-text-too-long",
        }
    }
}

/// The text a recipient sees: a header with the school and the sender, then the announcement.
pub fn render_for(l10n: &Localizer, lang: Lang, school: &str, author: &str, text: &str) -> String {
    let tr = l10n.tr(lang);
    let header = if school.trim().is_empty() {
        tr.with("announce-header", Args::new().str("author", author))
    } else {
        tr.with("announce-header-school", Args::new().str("school", school.trim()).str("author", author))
    };
    format!("{header}\n\n{text}")
}

/// The "รับทราบ" button under every announcement.
pub fn ack_keyboard(l10n: &Localizer, lang: Lang, id: AnnouncementId) -> Keyboard {
    Keyboard::default().row(vec![Button {
        text: l10n.tr(lang).get("announce-ack-button"),
        data: crate::chat_ui::buttons::AnnButton::Ack(id).data(),
    }])
}

/// What an acknowledged announcement shows in place of its button: a plain mark that, pressed again, only says
/// it is already recorded.
pub fn acked_keyboard(l10n: &Localizer, lang: Lang, id: AnnouncementId) -> Keyboard {
    Keyboard::default().row(vec![Button {
        text: l10n.tr(lang).get("announce-acked-mark"),
        data: crate::chat_ui::buttons::AnnButton::Ack(id).data(),
    }])
}

/// Whether a short reply is a parent acknowledging in words, as they do on LINE ("รับทราบค่ะ", "ทราบแล้ว", 👍).
pub fn is_acknowledgement(text: &str) -> bool {
    let words: String = text
        .trim()
        .trim_end_matches(['.', '!', ' ', 'ๆ'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if words.is_empty() || words.chars().count() > 20 {
        return false;
    }
    if words.chars().all(|c| matches!(c, '👍' | '🙏' | '👌' | '🏻' | '🏼' | '🏽' | '🏾' | '🏿' | '\u{fe0f}'))
    {
        return words.contains('👍') || words.contains('👌') || words.contains('🙏');
    }
    let core = words
        .trim_end_matches(['👍', '🙏', '👌', '\u{fe0f}'])
        .trim_end_matches("นะคะ")
        .trim_end_matches("ค่ะ")
        .trim_end_matches("คะ")
        .trim_end_matches("ครับ")
        .trim_end_matches("คับ")
        .trim_end_matches("จ้า")
        .trim_end_matches("จ้ะ");
    matches!(
        core,
        "รับทราบ"
            | "ทราบแล้ว"
            | "รับทราบแล้ว"
            | "ทราบ"
            | "ok"
            | "okay"
            | "โอเค"
            | "ได้รับแล้ว"
            | "acknowledged"
            | "noted"
    )
}

/// How long after receiving an announcement a reply in words still counts as acknowledging it.
pub const WORD_ACK_WITHIN_DAYS: i64 = 3;

/// Acknowledge, in words, the newest announcement this person received within [`WORD_ACK_WITHIN_DAYS`] and has
/// not acknowledged yet. Returns it, or `None` when there is nothing to acknowledge.
pub fn acknowledge_newest_in(
    tx: &Transaction<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<db::Announcement>> {
    let since = now - chrono::Duration::days(WORD_ACK_WITHIN_DAYS);
    let Some(a) = db::newest_unacknowledged(tx, user, since)? else { return Ok(None) };
    db::ack(tx, a.id, user, now)?;
    Ok(Some(a))
}

/// Write the announcement and one outbox row per recipient in ONE transaction. Idempotent per draft.
/// A refusal (the inner `Err`) writes nothing: the transaction is rolled back.
pub fn create(
    store: &Store,
    l10n: &Localizer,
    school: &str,
    author: &UserRow,
    new: &NewAnnouncement,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Created, AnnounceError>> {
    store.write_or_refuse(|tx| create_in(tx, l10n, school, author, new, now))
}

/// [`create`] inside the caller's transaction (the chat's unit of work). On a refusal the caller undoes what
/// was written (`Turn::attempt_or_refuse`); every refusal comes before the first write anyway.
pub fn create_in(
    tx: &Transaction<'_>,
    l10n: &Localizer,
    school: &str,
    author: &UserRow,
    new: &NewAnnouncement,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Created, AnnounceError>> {
    let text = new.text.trim();
    let limit = if new.media.is_some() { MAX_CAPTION_CHARS } else { MAX_TEXT_CHARS };
    if text.is_empty() || text.chars().count() > limit {
        return Ok(Err(AnnounceError::BadText));
    }
    if let Some((id, recipients)) = db::find_by_draft(tx, &new.draft_key)? {
        return Ok(Ok(Created { id, recipients: recipients as usize, already: true }));
    }
    // Rights and recipients as they are at this moment, inside the transaction.
    let Some(author) = users::get(tx, author.id)? else { return Ok(Err(AnnounceError::NotAllowed)) };
    if !may_announce(tx, &author, &new.audience)? {
        return Ok(Err(AnnounceError::NotAllowed));
    }
    let recipients = db::recipients(tx, &new.audience, author.id)?;
    if recipients.is_empty() {
        return Ok(Err(AnnounceError::NoRecipients));
    }
    let send_at = new.send_at.filter(|at| *at > now).unwrap_or(now);
    let label = audience_label(tx, l10n, author.lang, &new.audience)?;
    let id = db::insert(
        tx,
        &db::Row {
            created_by: author.id,
            audience: new.audience.encode(),
            audience_label: label,
            text: text.to_string(),
            media: new.media.clone(),
            send_at,
            created_at: now,
            recipients: recipients.len() as i64,
            draft_key: new.draft_key.clone(),
            progress: new.progress,
        },
    )?;
    let body = match &new.media {
        None => Body::Text,
        Some(Media::Photo(file_id)) => Body::Photo { file_id: file_id.clone() },
        Some(Media::Document(file)) => Body::Document { file: file.clone() },
    };
    for r in &recipients {
        let message = OutMessage {
            chat_id: r.chat_id,
            user_id: Some(r.user_id),
            text: render_for(l10n, r.lang, school, &author.display_name, text),
            keyboard: ack_keyboard(l10n, r.lang, id),
            body: body.clone(),
            priority: Priority::Bulk,
            dedupe_key: Some(format!("announce:{id}:user:{}", r.user_id.0)),
            announcement_id: Some(id),
            not_before: send_at,
        };
        outbox::enqueue(tx, &message, now)?;
    }
    audit::record(
        tx,
        now,
        Entry {
            actor: Actor::User(author.id),
            action: "announce.create",
            entity: "announcement",
            entity_id: Some(id.to_string()),
            detail: Some(serde_json::json!({
                "audience": new.audience.encode(),
                "recipients": recipients.len(),
                "send_at": instant(send_at),
            })),
        },
    )?;
    Ok(Ok(Created { id, recipients: recipients.len(), already: false }))
}

/// Cancel a scheduled announcement that has not started. Returns how many messages were withdrawn.
pub fn cancel(store: &Store, user: &UserRow, id: AnnouncementId, now: DateTime<Utc>) -> anyhow::Result<Option<usize>> {
    store.write(|tx| cancel_in(tx, user, id, now))
}

/// [`cancel`] inside the caller's transaction.
pub fn cancel_in(
    tx: &Transaction<'_>,
    user: &UserRow,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<usize>> {
    let Some(a) = db::get(tx, id)? else { return Ok(None) };
    if a.created_by != user.id && !matches!(user.role, Role::Head | Role::Admin) {
        return Ok(None);
    }
    let withdrawn = outbox::cancel_pending(tx, &format!("announce:{id}:"))?;
    db::mark_cancelled(tx, id, now)?;
    Ok(Some(withdrawn))
}

/// Who may see the reports of an announcement: its author, the head and the admin.
pub fn may_see_report(user: &UserRow, a: &db::Announcement) -> bool {
    !user.revoked && (a.created_by == user.id || matches!(user.role, Role::Head | Role::Admin))
}

/// A parent's "รับทราบ". Only a recipient of that announcement can acknowledge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acked {
    Now,
    Already,
    NotARecipient,
}

pub fn acknowledge(store: &Store, user: UserId, id: AnnouncementId, now: DateTime<Utc>) -> anyhow::Result<Acked> {
    store.write(|tx| acknowledge_in(tx, user, id, now))
}

/// [`acknowledge`] inside the caller's transaction.
pub fn acknowledge_in(
    tx: &Transaction<'_>,
    user: UserId,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> anyhow::Result<Acked> {
    if !db::is_recipient(tx, id, user)? {
        return Ok(Acked::NotARecipient);
    }
    Ok(if db::ack(tx, id, user, now)? { Acked::Now } else { Acked::Already })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TelegramId;

    fn head(store: &Store, now: DateTime<Utc>) -> UserRow {
        store
            .write(|tx| {
                let joining = users::Joining {
                    telegram_id: TelegramId(1),
                    chat_id: 1,
                    display_name: "หัวหน้างาน",
                    username: None,
                    role: Role::Head,
                    lang: Lang::Th,
                };
                let id = users::upsert(tx, &joining, now)?;
                Ok(users::get(tx, id)?.expect("just joined"))
            })
            .unwrap()
    }

    #[test]
    fn a_refused_announcement_is_a_typed_outcome_and_writes_nothing() {
        let store = Store::open_in_memory().unwrap();
        let l10n = Localizer::load().unwrap();
        let now = Utc::now();
        let head = head(&store, now);
        let new = NewAnnouncement {
            audience: Audience::AllParents,
            text: "พรุ่งนี้โรงเรียนหยุดเรียนค่ะ".into(),
            media: None,
            send_at: None,
            draft_key: "1:abcd".into(),
            progress: None,
        };
        // No parent has joined yet.
        assert_eq!(create(&store, &l10n, "", &head, &new, now).unwrap(), Err(AnnounceError::NoRecipients));
        let blank = NewAnnouncement { text: "   ".into(), ..new };
        assert_eq!(create(&store, &l10n, "", &head, &blank, now).unwrap(), Err(AnnounceError::BadText));
        assert!(store.read(|c| db::made_by(c, head.id, 10)).unwrap().is_empty(), "nothing was written");
    }

    #[test]
    fn every_refusal_has_its_message_in_both_languages() {
        let l10n = Localizer::load().unwrap();
        for refusal in [AnnounceError::NotAllowed, AnnounceError::NoRecipients, AnnounceError::BadText] {
            for lang in [Lang::Th, Lang::En] {
                assert!(l10n.has(lang, refusal.message_id()), "{refusal:?} in {lang:?}");
            }
        }
    }
}
