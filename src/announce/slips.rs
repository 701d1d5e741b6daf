//! Printable parent invite slips: an A4 page (HTML, print from any browser) of cut-out slips, one per guardian
//! of each student, with the school's name, the child's name and class, a QR code of the invite link (inline
//! SVG from the `qrcode` crate) and three lines of Thai instructions.

use crate::invites::{self, Created};
use crate::store::audit::Actor;
use crate::store::invites::VoidReason;
use crate::store::students::{self, ClassId, StudentRow};
use crate::store::{Store, users};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// One cut-out slip.
#[derive(Debug, Clone)]
pub struct Slip {
    pub student_name: String,
    pub student_code: String,
    pub class_name: String,
    /// 1, 2, … for the guardians of one student.
    pub guardian: u8,
    /// The deep link (or `/start <code>` when the bot's username is unknown).
    pub link: String,
    pub expires: chrono::NaiveDate,
}

/// How many parents have joined (and still have access) for each active student of a class.
pub fn linked_parents(conn: &Connection, class: ClassId) -> anyhow::Result<Vec<(StudentRow, i64)>> {
    let pupils = students::students_in_class(conn, class)?;
    let mut out = Vec::with_capacity(pupils.len());
    for p in pupils {
        let n = users::linked_parents(conn, p.id)?.len();
        out.push((p, i64::try_from(n).unwrap_or(i64::MAX)));
    }
    Ok(out)
}

/// What slips to make.
#[derive(Debug, Clone, Copy)]
pub struct SlipRequest<'a> {
    pub class: ClassId,
    /// Parent places per student (`DULAE_PARENTS_PER_STUDENT`, two by default).
    pub places: u8,
    /// How long the links work.
    pub days: i64,
    pub bot_username: Option<&'a str>,
}

/// Slips for a class: one per free parent place of each student (places less the parents who have joined).
///
/// Printing again *voids and re-issues*: the unused codes of each student are voided and new ones made, so a
/// student never has more live codes than free places, and a lost or old sheet stops working. (Codes are
/// stored only as hashes, so an unused code cannot be printed a second time.) A student whose places are all
/// taken gets no slip until a teacher frees one with `/parents`.
pub fn make_class_slips(
    store: &Store,
    by: Actor,
    req: SlipRequest<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Slip>> {
    store.write(|tx| make_class_slips_in(tx, by, req, now))
}

/// [`make_class_slips`] inside the caller's transaction: every invite of the class or none.
pub fn make_class_slips_in(
    tx: &rusqlite::Transaction<'_>,
    by: Actor,
    req: SlipRequest<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Slip>> {
    let pupils = linked_parents(tx, req.class)?;
    let mut slips = vec![];
    for (pupil, linked) in pupils {
        crate::store::invites::void_for_student(tx, pupil.id, VoidReason::Reprinted, now)?;
        let linked = u8::try_from(linked.max(0)).unwrap_or(u8::MAX);
        for place in linked.saturating_add(1)..=req.places.max(1) {
            let Created { code, expires_at } = invites::create_parent_in(tx, by, pupil.id, req.days, now)?;
            slips.push(Slip {
                student_name: pupil.full_name(),
                student_code: pupil.code.clone(),
                class_name: pupil.class_name.clone(),
                guardian: place,
                link: invites::join_instructions(req.bot_username, &code),
                expires: expires_at.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive(),
            });
        }
    }
    Ok(slips)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The QR code of `data` as an inline `<svg>` element.
pub fn qr_svg(data: &str) -> anyhow::Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| anyhow::anyhow!("cannot make a QR code: {e}"))?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(150, 150).quiet_zone(true).build();
    // Inline in HTML: drop the XML declaration.
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    })
}

/// The A4 page of slips (2 columns × 4 rows a page; the browser's print dialog makes the pages).
pub fn render_html(school_name: &str, slips: &[Slip]) -> anyhow::Result<String> {
    let school = if school_name.trim().is_empty() { "โรงเรียน" } else { school_name.trim() };
    let mut html = String::new();
    html.push_str(
        r#"<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>ใบเชิญผู้ปกครอง</title>
<style>
@page { size: A4; margin: 8mm; }
body { font-family: "Sarabun", "TH Sarabun New", "Noto Sans Thai", "Leelawadee UI", sans-serif; margin: 0; color: #000; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.slip { border: 1px dashed #777; padding: 4mm; height: 66mm; box-sizing: border-box; display: flex; gap: 3mm;
        page-break-inside: avoid; break-inside: avoid; }
.slip .qr svg { width: 34mm; height: 34mm; }
.slip .text { font-size: 10.5pt; line-height: 1.35; overflow: hidden; }
.school { font-weight: bold; font-size: 11.5pt; }
.student { font-weight: bold; margin-top: 1mm; }
.steps { margin: 1.5mm 0 0 0; padding-left: 4.5mm; }
.link { font-family: monospace; font-size: 7pt; word-break: break-all; color: #333; margin-top: 1mm; }
.note { font-size: 8.5pt; color: #333; }
@media screen { body { max-width: 194mm; margin: 10mm auto; } }
</style></head><body>
<div class="sheet">
"#,
    );
    for slip in slips {
        let expires = crate::l10n::thai_date::format_short_th(slip.expires);
        html.push_str(&format!(
            r#"<div class="slip"><div class="qr">{qr}</div><div class="text">
<div class="school">{school}</div>
<div>ใบเชิญผู้ปกครองใช้งาน "ดูแล" ทาง Telegram</div>
<div class="student">{name} ชั้น {class}</div>
<div class="note">ผู้ปกครองคนที่ {guardian} · เลขประจำตัว {code}</div>
<ol class="steps">
<li>เปิดกล้องมือถือ สแกน QR นี้ค่ะ</li>
<li>เมื่อเปิด Telegram แล้ว กด "เริ่ม" (Start) ค่ะ</li>
<li>ใช้ได้ 1 ท่าน ครั้งเดียว ภายใน {expires} ค่ะ</li>
</ol>
<div class="link">{link}</div>
</div></div>
"#,
            qr = qr_svg(&slip.link)?,
            school = escape(school),
            name = escape(&slip.student_name),
            class = escape(&slip.class_name),
            guardian = slip.guardian,
            code = escape(&slip.student_code),
            expires = escape(&expires),
            link = escape(&slip.link),
        ));
    }
    html.push_str("</div>\n</body></html>\n");
    Ok(html)
}

/// A file name for a class's slips: `ใบเชิญผู้ปกครอง-ป.4-1.html`.
pub fn file_name(class_name: &str) -> String {
    let safe: String =
        class_name.chars().map(|c| if c == '/' || c == '\\' || c.is_whitespace() { '-' } else { c }).collect();
    format!("ใบเชิญผู้ปกครอง-{safe}.html")
}
