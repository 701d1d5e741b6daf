//! `dulae demo`: try Dulae without Telegram. A sample school lives in memory; you are its homeroom teacher.
//! Buttons are numbered `#1`, `#2` …: type `#2` to press one. A plain number is an answer (a GPA of 3 must not
//! press button 3), as is any other text; a command like /screen works as in Telegram.

use crate::app::App;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::conversation::{self, Event, Incoming, Reply, Sender};
use crate::domain::{Role, TelegramId};
use crate::invites::{self, StaffInvite};
use crate::store::Store;
use crate::store::audit::Actor;
use std::io::{BufRead, Write};
use std::sync::Arc;

/// A small class for the demo (made-up names).
const SAMPLE_ROSTER: &str = "\
student_id,prefix,first_name,last_name,class,nickname,gender
20001,ด.ช.,ภูมิ,ใจกล้า,ป.5/1,ภูมิ,ชาย
20002,ด.ญ.,ปราง,รักดี,ป.5/1,ปราง,หญิง
20003,ด.ช.,ต้นกล้า,มีสุข,ป.5/1,กล้า,ชาย
20004,ด.ญ.,น้ำฝน,ใสสะอาด,ป.5/1,ฝน,หญิง
";

const TEACHER_ID: i64 = 1;

/// Run the demo on standard input and output until `/quit` or end of input.
pub fn run(config: &Config) -> anyhow::Result<()> {
    let mut config = config.clone();
    config.bot_username = Some("dulae_demo_bot".into());
    let store = Store::open_in_memory()?;
    crate::roster::import(&store, SAMPLE_ROSTER.as_bytes(), false, Actor::Cli, chrono::Utc::now())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let app = App::with_clock(store, config, Arc::new(SystemClock))?;
    let invite = StaffInvite {
        role: Role::Teacher,
        classes: vec!["ป.5/1".parse()?],
        display_name: Some("ครูทดลอง ใช้งาน".into()),
    };
    let created = invites::create_staff(&app.store, Actor::Cli, &invite, 14, chrono::Utc::now())?
        .map_err(|refusal| anyhow::anyhow!("the demo's own invite was refused: {refusal}"))?;

    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let tr = app.l10n.tr(app.config.default_lang);
    writeln!(out, "{}\n", tr.get("demo-intro"))?;

    let mut session = Session { app: &app, buttons: vec![], next_message_id: 1, last_message_id: None };
    session.send(&mut out, Event::Command { name: "start".into(), args: created.code.as_str().to_string() })?;
    session.send(&mut out, Event::Command { name: "screen".into(), args: String::new() })?;
    let mut photo_number = 0;
    for line in stdin.lock().lines() {
        let line = line?;
        let line = line.trim();
        if line == "/quit" || line == "/exit" {
            break;
        }
        let pressed = line.strip_prefix('#').and_then(|n| n.trim().parse::<usize>().ok());
        let event = if let Some(n) = pressed {
            match session.buttons.get(n.wrapping_sub(1)).cloned() {
                Some((data, message_id)) => Event::Button { data, message_id: Some(message_id) },
                None => {
                    writeln!(
                        out,
                        "{}\n> ",
                        tr.with("demo-no-such-button", crate::l10n::Args::new().num("number", n as i64))
                    )?;
                    continue;
                }
            }
        } else if let Some(command) = line.strip_prefix('/') {
            let (name, args) = command.split_once(' ').unwrap_or((command, ""));
            Event::Command { name: name.into(), args: args.into() }
        } else if let Some(coords) = line.strip_prefix("loc ") {
            let mut parts = coords.split_whitespace().filter_map(|p| p.parse::<f64>().ok());
            match (parts.next(), parts.next()) {
                (Some(latitude), Some(longitude)) => Event::Location { latitude, longitude },
                _ => Event::Text(line.into()),
            }
        } else if line == "photo" {
            photo_number += 1;
            Event::Photo {
                file_id: format!("demo-photo-{photo_number}"),
                file_unique_id: format!("demo{photo_number}"),
            }
        } else {
            Event::Text(line.into())
        };
        session.send(&mut out, event)?;
    }
    writeln!(out, "bye")?;
    Ok(())
}

struct Session<'a> {
    app: &'a App,
    /// The buttons on screen, numbered from 1: (callback data, message they sit on).
    buttons: Vec<(String, i32)>,
    next_message_id: i32,
    last_message_id: Option<i32>,
}

impl Session<'_> {
    fn send(&mut self, out: &mut impl Write, event: Event) -> anyhow::Result<()> {
        let incoming = Incoming {
            chat_id: TEACHER_ID,
            private_chat: true,
            from: Sender {
                telegram_id: TelegramId(TEACHER_ID), display_name: "ครูทดลอง".into(), username: None
            },
            event,
            album: None,
        };
        let replies = match conversation::handle(self.app, &incoming) {
            Ok(replies) => replies,
            Err(e) => {
                writeln!(out, "!! {e:#}")?;
                return Ok(());
            }
        };
        for reply in replies {
            match reply {
                Reply::Send { text, keyboard }
                | Reply::Edit { text, keyboard, .. }
                | Reply::Question { text, keyboard, .. } => {
                    let id = self.next_message_id;
                    self.next_message_id += 1;
                    self.last_message_id = Some(id);
                    writeln!(out, "\n{text}")?;
                    if !keyboard.is_empty() {
                        self.buttons.clear();
                        for row in keyboard.0 {
                            let mut shown = vec![];
                            for button in row {
                                self.buttons.push((button.data, id));
                                shown.push(format!("[#{}] {}", self.buttons.len(), button.text));
                            }
                            writeln!(out, "  {}", shown.join("   "))?;
                        }
                    }
                }
                Reply::AnswerButton { text: Some(text), .. } => writeln!(out, "\n({text})")?,
                Reply::AskLocation { text, button } => writeln!(out, "\n{text}\n  <{button}: loc 13.75 100.50>")?,
                Reply::RemoveKeyboard { text } => writeln!(out, "{text}")?,
                Reply::PhotoById { file_id, caption } => writeln!(out, "\n[photo {file_id}] {caption}")?,
                Reply::Document { file_name, bytes, caption } | Reply::Photo { file_name, bytes, caption } => {
                    writeln!(out, "\n[file {file_name}, {} bytes] {caption}", bytes.len())?
                }
                Reply::AnswerButton { text: None, .. } | Reply::SetCommands(_) | Reply::EditButtons { .. } => {}
            }
        }
        write!(out, "\n> ")?;
        out.flush()?;
        Ok(())
    }
}
