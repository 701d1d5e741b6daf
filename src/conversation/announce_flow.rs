//! `/announce` (ประกาศ): the head or the admin to all parents, a grade, a class or all staff; a teacher to the
//! parents of their own classes. Text, optionally one photo or PDF; a preview with the number of recipients;
//! send now or at a typed date and time (either era, Asia/Bangkok). Also the buttons that live on announcements
//! and reports: "รับทราบ", who did not receive it, who has not acknowledged, cancel a scheduled one.

use super::state::{self, ChatState};
use super::turn::{Step, Turn};
use super::{Button, Event, Keyboard, MediaKind, Reply};
use crate::announce::{self, Acked, Audience, Media, NewAnnouncement, store as db};
pub use crate::chat_ui::buttons::{AnnButton, FlowAction};
use crate::domain::Role;
use crate::domain::class::Level;
use crate::domain::refusal::Refusal as _;
use crate::l10n::thai_date::{bangkok, parse_date};
use crate::l10n::{Args, Tr};
use crate::store::students::{self, ClassId};
use crate::store::users::{self, UserRow};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

const CLASSES_PER_ROW: usize = 3;
/// Telegram shows at most 100 buttons on a message.
const MAX_CLASS_BUTTONS: usize = 90;
/// Lines in a "who did not receive it" list before "and N more".
const MAX_LIST_LINES: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnounceStep {
    Audience,
    Grade,
    Class,
    Text,
    Media,
    Time,
    Preview,
}

/// An announcement being written; kept in the chat's state after every step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnounceDraft {
    pub nonce: String,
    pub step: AnnounceStep,
    /// [`Audience::encode`]
    pub audience: Option<String>,
    pub text: Option<String>,
    pub media_kind: Option<String>,
    pub media: Option<String>,
    pub send_at: Option<DateTime<Utc>>,
}

impl AnnounceDraft {
    fn audience(&self) -> Option<Audience> {
        self.audience.as_deref().and_then(Audience::decode)
    }

    fn media(&self) -> Option<Media> {
        Media::from_parts(self.media_kind.as_deref(), self.media.clone())
    }
}

fn flow_button(text: String, nonce: &str, action: FlowAction) -> Button {
    Button { text, data: AnnButton::Flow { nonce: nonce.to_string(), action }.data() }
}

fn show(message_id: Option<i32>, text: String, keyboard: Keyboard) -> Reply {
    match message_id {
        Some(message_id) => Reply::Edit { message_id, text, keyboard },
        None => Reply::Send { text, keyboard },
    }
}

fn stale(tr: Tr<'_>) -> anyhow::Result<Step> {
    Ok(Step::keep(vec![Reply::AnswerButton { text: Some(tr.get("stale-button")), alert: false }]))
}

/// `/announce`.
pub fn begin(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    if !announce::role_announces(user.role) {
        return Ok(Step::keep(vec![Reply::text(tr.get("unknown-command"))]));
    }
    let mut draft = AnnounceDraft {
        nonce: state::new_nonce(),
        step: AnnounceStep::Audience,
        audience: None,
        text: None,
        media_kind: None,
        media: None,
        send_at: None,
    };
    if user.role == Role::Teacher {
        let classes = users::classes_of(turn.db, user.id)?;
        match classes.as_slice() {
            [] => return Ok(Step::keep(vec![Reply::text(tr.get("announce-no-classes"))])),
            [only] => {
                draft.audience = Some(Audience::Class(only.id).encode());
                draft.step = AnnounceStep::Text;
            }
            _ => {}
        }
    }
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Announce(draft), vec![Reply::Send { text, keyboard }]))
}

/// The current step's message and buttons.
fn screen(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, draft: &AnnounceDraft) -> anyhow::Result<(String, Keyboard)> {
    let app = turn.app;
    let nonce = draft.nonce.as_str();
    let cancel = flow_button(tr.get("button-cancel"), nonce, FlowAction::Cancel);
    Ok(match draft.step {
        AnnounceStep::Audience => {
            let mut keyboard = Keyboard::default();
            if user.role == Role::Teacher {
                let classes = users::classes_of(turn.db, user.id)?;
                for chunk in classes.chunks(CLASSES_PER_ROW) {
                    keyboard = keyboard.row(
                        chunk.iter().map(|c| flow_button(c.name.to_string(), nonce, FlowAction::Class(c.id))).collect(),
                    );
                }
                keyboard = keyboard.row(vec![flow_button(tr.get("announce-to-my-classes"), nonce, FlowAction::Mine)]);
            } else {
                keyboard = keyboard
                    .row(vec![flow_button(tr.get("announce-to-all-parents"), nonce, FlowAction::Parents)])
                    .row(vec![
                        flow_button(tr.get("announce-to-grade"), nonce, FlowAction::GradeMenu),
                        flow_button(tr.get("announce-to-class"), nonce, FlowAction::ClassMenu),
                    ])
                    .row(vec![flow_button(tr.get("announce-to-staff"), nonce, FlowAction::Staff)]);
            }
            (tr.get("announce-choose-audience"), keyboard.row(vec![cancel]))
        }
        AnnounceStep::Grade => {
            let mut grades: Vec<(Level, u8)> =
                students::list_classes(turn.db)?.into_iter().map(|c| (c.name.level, c.name.grade)).collect();
            grades.dedup();
            let mut keyboard = Keyboard::default();
            for chunk in grades.chunks(CLASSES_PER_ROW) {
                keyboard = keyboard.row(
                    chunk
                        .iter()
                        .map(|(l, g)| flow_button(format!("{}{g}", l.abbreviation()), nonce, FlowAction::Grade(*l, *g)))
                        .collect(),
                );
            }
            (tr.get("announce-choose-grade"), keyboard.row(vec![cancel]))
        }
        AnnounceStep::Class => {
            let classes = students::list_classes(turn.db)?;
            let mut keyboard = Keyboard::default();
            let shown: Vec<_> = classes.iter().take(MAX_CLASS_BUTTONS).collect();
            for chunk in shown.chunks(CLASSES_PER_ROW) {
                keyboard = keyboard.row(
                    chunk.iter().map(|c| flow_button(c.name.to_string(), nonce, FlowAction::Class(c.id))).collect(),
                );
            }
            (tr.get("announce-choose-class"), keyboard.row(vec![cancel]))
        }
        AnnounceStep::Text => {
            let label = match draft.audience() {
                Some(a) => announce::audience_label(turn.db, &app.l10n, tr.lang, &a)?,
                None => String::new(),
            };
            (
                tr.with(
                    "announce-ask-text",
                    Args::new().str("audience", label).num("max", announce::MAX_TEXT_CHARS as i64),
                ),
                Keyboard::default().row(vec![cancel]),
            )
        }
        AnnounceStep::Media => (
            tr.with("announce-ask-media", Args::new().num("max", announce::MAX_CAPTION_CHARS as i64)),
            Keyboard::default().row(vec![flow_button(tr.get("announce-no-media"), nonce, FlowAction::NoMedia), cancel]),
        ),
        AnnounceStep::Time => (tr.get("announce-ask-time"), Keyboard::default().row(vec![cancel])),
        AnnounceStep::Preview => preview(turn, tr, user, draft)?,
    })
}

fn when_text(tr: Tr<'_>, at: Option<DateTime<Utc>>) -> String {
    match at {
        None => tr.get("announce-when-now"),
        Some(at) => {
            let local = at.with_timezone(&bangkok());
            format!("{} {}", tr.date(local.date_naive()), local.format("%H:%M"))
        }
    }
}

fn preview(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow, draft: &AnnounceDraft) -> anyhow::Result<(String, Keyboard)> {
    let app = turn.app;
    let nonce = draft.nonce.as_str();
    let Some(audience) = draft.audience() else {
        return Ok((tr.get("stale-button"), Keyboard::default()));
    };
    let label = announce::audience_label(turn.db, &app.l10n, tr.lang, &audience)?;
    let count = db::recipients(turn.db, &audience, user.id)?.len() as i64;
    let body = announce::render_for(
        &app.l10n,
        tr.lang,
        &app.config.school_name,
        &user.display_name,
        draft.text.as_deref().unwrap_or_default(),
    );
    let attachment = match draft.media() {
        None => tr.get("announce-attachment-none"),
        Some(Media::Photo(_)) => tr.get("announce-attachment-photo"),
        Some(Media::Document(_)) => tr.get("announce-attachment-pdf"),
    };
    let text = tr.with(
        "announce-preview",
        Args::new()
            .str("audience", label)
            .num("count", count)
            .str("when", when_text(tr, draft.send_at))
            .str("attachment", attachment)
            .str("body", body),
    );
    let cancel = flow_button(tr.get("button-cancel"), nonce, FlowAction::Cancel);
    let edit = flow_button(tr.get("announce-button-edit"), nonce, FlowAction::EditText);
    let keyboard = if count == 0 {
        Keyboard::default().row(vec![edit, cancel])
    } else {
        let send = if draft.send_at.is_some() { "announce-button-confirm-scheduled" } else { "announce-button-send" };
        Keyboard::default()
            .row(vec![flow_button(tr.get(send), nonce, FlowAction::Send)])
            .row(vec![flow_button(tr.get("announce-button-schedule"), nonce, FlowAction::Schedule)])
            .row(vec![edit, cancel])
    };
    let text = if count == 0 { format!("{text}\n\n{}", tr.get("announce-no-recipients")) } else { text };
    Ok((text, keyboard))
}

/// "รับทราบค่ะ" typed after an announcement: the newest one not yet acknowledged counts as acknowledged.
pub fn acknowledge_in_words(turn: &Turn<'_>, user: &UserRow, tr: Tr<'_>) -> anyhow::Result<Step> {
    let text = match announce::acknowledge_newest_in(turn.db, user.id, turn.app.clock.now())? {
        Some(a) => tr.with("announce-acked-in-words", Args::new().str("title", short_title(&a.text))),
        None => tr.get("announce-nothing-to-ack"),
    };
    Ok(Step::keep(vec![Reply::text(text)]))
}

/// The first line of an announcement, shortened, to name it in a reply.
fn short_title(text: &str) -> String {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
    let mut chars = first.chars();
    let short: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() { format!("{short}…") } else { short }
}

pub fn on_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    current: Option<ChatState>,
    button: AnnButton,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let app = turn.app;
    match button {
        AnnButton::Ack(id) => {
            let acked = announce::acknowledge_in(turn.db, user.id, id, app.clock.now())?;
            let text = match acked {
                Acked::Now => tr.get("announce-acked"),
                Acked::Already => tr.get("announce-acked-already"),
                Acked::NotARecipient => tr.get("stale-button"),
            };
            let mut replies = vec![Reply::AnswerButton { text: Some(text), alert: false }];
            // The button goes; the message says it is done.
            if let (Acked::Now | Acked::Already, Some(message_id)) = (acked, message_id) {
                replies.push(Reply::EditButtons {
                    message_id,
                    keyboard: announce::acked_keyboard(&app.l10n, user.lang, id),
                });
            }
            Ok(Step::keep(replies))
        }
        AnnButton::Missing(id) | AnnButton::NotAcked(id) => {
            let Some(a) = db::get(turn.db, id)? else { return stale(tr) };
            if !announce::may_see_report(user, &a) {
                return stale(tr);
            }
            let missing = matches!(button, AnnButton::Missing(_));
            let people = if missing { db::not_received(turn.db, id)? } else { db::not_acknowledged(turn.db, id)? };
            let acks = db::ack_count(turn.db, id)?;
            let title = if missing {
                tr.with("announce-missing-title", Args::new().num("count", people.len() as i64))
            } else {
                tr.with(
                    "announce-not-acked-title",
                    Args::new().num("acks", acks).num("total", a.recipients).num("count", people.len() as i64),
                )
            };
            let mut lines = vec![title];
            for p in people.iter().take(MAX_LIST_LINES) {
                lines.push(if p.children.is_empty() {
                    format!("• {}", p.name)
                } else {
                    format!("• {} — {}", p.name, p.children)
                });
            }
            if people.len() > MAX_LIST_LINES {
                lines.push(
                    tr.with("announce-list-more", Args::new().num("count", (people.len() - MAX_LIST_LINES) as i64)),
                );
            }
            Ok(Step::keep(vec![Reply::AnswerButton { text: None, alert: false }, Reply::text(lines.join("\n"))]))
        }
        AnnButton::Unschedule(id) => {
            let Some(a) = db::get(turn.db, id)? else { return stale(tr) };
            if !announce::may_see_report(user, &a) || a.cancelled || a.send_at <= app.clock.now() {
                let refused = Reply::AnswerButton { text: Some(tr.get("announce-cannot-cancel")), alert: true };
                return Ok(Step::keep(vec![refused]));
            }
            match announce::cancel_in(turn.db, user, id, app.clock.now())? {
                Some(_) => Ok(Step::keep(vec![
                    Reply::AnswerButton { text: None, alert: false },
                    show(message_id, tr.get("announce-unscheduled"), Keyboard::default()),
                ])),
                None => stale(tr),
            }
        }
        AnnButton::Flow { nonce, action } => on_flow_button(turn, user, tr, current, &nonce, action, message_id),
    }
}

fn on_flow_button(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    current: Option<ChatState>,
    nonce: &str,
    action: FlowAction,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    // Rights are checked on every press: the person may have lost their role since the flow began.
    if !announce::role_announces(user.role) {
        return stale(tr);
    }
    let Some(ChatState::Announce(mut draft)) = current else {
        return stale(tr);
    };
    if draft.nonce != nonce {
        return stale(tr);
    }
    let ok = Reply::AnswerButton { text: None, alert: false };
    let staff_only = !matches!(user.role, Role::Head | Role::Admin);
    let accepted = match (draft.step, action) {
        (_, FlowAction::Cancel) => {
            return Ok(Step::clear(vec![ok, show(message_id, tr.get("cancelled"), Keyboard::default())]));
        }
        (AnnounceStep::Audience, FlowAction::Parents) => choose(turn, user, &mut draft, Audience::AllParents)?,
        (AnnounceStep::Audience, FlowAction::Staff) => choose(turn, user, &mut draft, Audience::Staff)?,
        (AnnounceStep::Audience, FlowAction::Mine) => {
            let own: Vec<ClassId> = users::classes_of(turn.db, user.id)?.into_iter().map(|c| c.id).collect();
            choose(turn, user, &mut draft, Audience::Classes(own))?
        }
        (AnnounceStep::Audience, FlowAction::GradeMenu) if !staff_only => {
            draft.step = AnnounceStep::Grade;
            true
        }
        (AnnounceStep::Audience, FlowAction::ClassMenu) if !staff_only => {
            draft.step = AnnounceStep::Class;
            true
        }
        (AnnounceStep::Grade, FlowAction::Grade(level, grade)) => {
            choose(turn, user, &mut draft, Audience::Grade { level, grade })?
        }
        (AnnounceStep::Audience | AnnounceStep::Class, FlowAction::Class(id)) => {
            if students::get_class(turn.db, id)?.is_none() {
                false
            } else {
                choose(turn, user, &mut draft, Audience::Class(id))?
            }
        }
        (AnnounceStep::Media, FlowAction::NoMedia) => {
            draft.step = AnnounceStep::Preview;
            true
        }
        (AnnounceStep::Preview, FlowAction::EditText) => {
            draft.step = AnnounceStep::Text;
            true
        }
        (AnnounceStep::Preview, FlowAction::Schedule) => {
            draft.step = AnnounceStep::Time;
            true
        }
        (AnnounceStep::Preview, FlowAction::Send) => return confirm(turn, user, tr, &draft, message_id),
        _ => false,
    };
    if !accepted {
        return stale(tr);
    }
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Announce(draft), vec![ok, show(message_id, text, keyboard)]))
}

fn choose(turn: &Turn<'_>, user: &UserRow, draft: &mut AnnounceDraft, audience: Audience) -> anyhow::Result<bool> {
    if !announce::may_announce(turn.db, user, &audience)? {
        return Ok(false);
    }
    draft.audience = Some(audience.encode());
    draft.step = AnnounceStep::Text;
    Ok(true)
}

fn confirm(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    draft: &AnnounceDraft,
    message_id: Option<i32>,
) -> anyhow::Result<Step> {
    let (app, incoming) = (turn.app, turn.incoming);
    let (Some(audience), Some(text)) = (draft.audience(), draft.text.clone()) else {
        return stale(tr);
    };
    let now = app.clock.now();
    if draft.send_at.is_some_and(|at| at <= now) {
        // The chosen time passed while the preview was open: ask again.
        let mut draft = draft.clone();
        draft.step = AnnounceStep::Time;
        let (text, keyboard) = screen(turn, tr, user, &draft)?;
        return Ok(Step::set(
            ChatState::Announce(draft),
            vec![
                Reply::AnswerButton { text: Some(tr.get("announce-time-passed")), alert: true },
                show(message_id, text, keyboard),
            ],
        ));
    }
    let new = NewAnnouncement {
        audience,
        text,
        media: draft.media(),
        send_at: draft.send_at,
        draft_key: format!("{}:{}", incoming.chat_id, draft.nonce),
        progress: message_id.map(|m| (incoming.chat_id, m)),
    };
    // A refusal leaves nothing behind and keeps the draft (the preview stays, to edit or cancel); a fault
    // goes up as it is (logged, the apology).
    let attempt =
        turn.attempt_or_refuse(|tx| announce::create_in(tx, &app.l10n, &app.config.school_name, user, &new, now))?;
    let created = match attempt {
        Ok(created) => created,
        Err(refused) => {
            let text = tr.get(refused.message_id());
            return Ok(Step::keep(vec![Reply::AnswerButton { text: Some(text), alert: true }]));
        }
    };
    let label = announce::audience_label(turn.db, &app.l10n, tr.lang, &new.audience)?;
    let (text, keyboard) = match draft.send_at {
        Some(at) => (
            tr.with(
                "announce-scheduled",
                Args::new()
                    .str("when", when_text(tr, Some(at)))
                    .str("audience", label)
                    .num("count", created.recipients as i64),
            ),
            Keyboard::default().row(vec![Button {
                text: tr.get("announce-button-unschedule"),
                data: AnnButton::Unschedule(created.id).data(),
            }]),
        ),
        None => (
            tr.with(
                "announce-progress",
                Args::new().str("audience", label).num("done", 0).num("total", created.recipients as i64),
            ),
            Keyboard::default(),
        ),
    };
    Ok(Step::clear(vec![Reply::AnswerButton { text: None, alert: false }, show(message_id, text, keyboard)]))
}

/// A typed message during the flow.
pub fn on_text(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut draft: AnnounceDraft,
    text: &str,
) -> anyhow::Result<Step> {
    let app = turn.app;
    let again = |draft: &AnnounceDraft, problem: String| -> anyhow::Result<Step> {
        let (text, keyboard) = screen(turn, tr, user, draft)?;
        Ok(Step::keep(vec![Reply::text(problem), Reply::Send { text, keyboard }]))
    };
    match draft.step {
        AnnounceStep::Text => {
            let body = text.trim();
            if body.is_empty() {
                return again(&draft, tr.get("announce-text-empty"));
            }
            if body.chars().count() > announce::MAX_TEXT_CHARS {
                return again(
                    &draft,
                    tr.with("message-too-long", Args::new().num("max", announce::MAX_TEXT_CHARS as i64)),
                );
            }
            draft.text = Some(body.to_string());
            // A new text may be too long for the caption of an attachment chosen before.
            if draft.media.is_some() && body.chars().count() > announce::MAX_CAPTION_CHARS {
                draft.media = None;
                draft.media_kind = None;
            }
            draft.step = if draft.media.is_some() { AnnounceStep::Preview } else { AnnounceStep::Media };
        }
        AnnounceStep::Time => match parse_when(text, app.clock.now()) {
            Ok(at) => {
                draft.send_at = Some(at);
                draft.step = AnnounceStep::Preview;
            }
            Err(problem) => return again(&draft, tr.get(problem)),
        },
        _ => return again(&draft, tr.get("use-the-buttons")),
    }
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Announce(draft), vec![Reply::Send { text, keyboard }]))
}

/// A photo, a document or anything else during the flow.
pub fn on_other(
    turn: &Turn<'_>,
    user: &UserRow,
    tr: Tr<'_>,
    mut draft: AnnounceDraft,
    event: &Event,
) -> anyhow::Result<Step> {
    let again = |draft: &AnnounceDraft, problem: &str| -> anyhow::Result<Step> {
        let (text, keyboard) = screen(turn, tr, user, draft)?;
        Ok(Step::keep(vec![Reply::text(tr.get(problem)), Reply::Send { text, keyboard }]))
    };
    if draft.step != AnnounceStep::Media {
        let hint = if draft.step == AnnounceStep::Text { "announce-text-expected" } else { "use-the-buttons" };
        return again(&draft, hint);
    }
    let media = match event {
        Event::Photo { file_id, .. } => Media::Photo(file_id.clone()),
        Event::Document { file_id, file_name, mime_type } => {
            let pdf = mime_type.as_deref() == Some("application/pdf")
                || file_name.as_deref().is_some_and(|n| n.to_lowercase().ends_with(".pdf"));
            if !pdf {
                return again(&draft, "announce-media-only-photo-pdf");
            }
            Media::Document(file_id.clone())
        }
        Event::Media(MediaKind::Document) | Event::Media(_) | Event::Forwarded | Event::Location { .. } => {
            return again(&draft, "announce-media-only-photo-pdf");
        }
        _ => return again(&draft, "use-the-buttons"),
    };
    if draft.text.as_deref().is_some_and(|t| t.chars().count() > announce::MAX_CAPTION_CHARS) {
        return again(&draft, "announce-caption-too-long");
    }
    draft.media_kind = Some(media.kind().to_string());
    draft.media = Some(media.file_id().to_string());
    draft.step = AnnounceStep::Preview;
    let (text, keyboard) = screen(turn, tr, user, &draft)?;
    Ok(Step::set(ChatState::Announce(draft), vec![Reply::Send { text, keyboard }]))
}

/// "24/11/2569 08:00", "24/11/2026 8.30", "๒๔/๑๑/๒๕๖๙ ๐๘:๐๐": a date in either era and a time, in Bangkok.
/// The error is a message id.
pub fn parse_when(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, &'static str> {
    let text = crate::l10n::thai_date::arabic_digits(text.trim());
    let text = text.trim_end_matches(['น', '.', ' ']);
    let Some((date, time)) = text.rsplit_once(char::is_whitespace) else {
        return Err("announce-time-bad");
    };
    let date = parse_date(date).map_err(|_| "announce-time-bad")?;
    let time = time.replace('.', ":");
    let time = NaiveTime::parse_from_str(&time, "%H:%M").map_err(|_| "announce-time-bad")?;
    let at =
        bangkok().from_local_datetime(&date.and_time(time)).single().ok_or("announce-time-bad")?.with_timezone(&Utc);
    if at <= now {
        return Err("announce-time-past");
    }
    if at > now + chrono::Duration::days(366) {
        return Err("announce-time-far");
    }
    Ok(at)
}

/// `/news` (ประกาศย้อนหลัง): the announcements this person received, newest first.
pub fn history(turn: &Turn<'_>, tr: Tr<'_>, user: &UserRow) -> anyhow::Result<Step> {
    let received = db::received_by(turn.db, user.id, 10)?;
    if received.is_empty() {
        return Ok(Step::keep(vec![Reply::text(tr.get("announce-history-none"))]));
    }
    let mut lines = vec![tr.get("announce-history-title")];
    for (a, at, acked) in received {
        let date = tr.date(at.with_timezone(&bangkok()).date_naive());
        let mut text: String = a.text.chars().take(300).collect();
        if a.text.chars().count() > 300 {
            text.push('…');
        }
        let mark = if acked { tr.get("announce-history-acked") } else { tr.get("announce-history-not-acked") };
        lines.push(format!("\n🗓 {date} · {mark}\n{text}"));
    }
    Ok(Step::keep(vec![Reply::text(lines.join("\n"))]))
}
