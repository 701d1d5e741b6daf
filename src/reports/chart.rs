//! Charts as pictures: screening groups per class (stacked horizontal bars, one row per class, so many classes
//! still fit a phone screen) and screening coverage over the term (per cent by week).
//!
//! The chart is written as SVG text and rasterised with resvg. Its text is shaped (usvg lays Thai out with
//! HarfRust, the HarfBuzz port, so vowels and tone marks sit where they belong) with the Noto Sans Thai font
//! shipped in `assets/fonts/` (SIL Open Font License); a small Latin subset of Noto Sans covers digits and
//! English. No system fonts are used: the picture is the same on every machine.

use super::stats::{SchoolStats, Scope, UnitStats, percent};
use crate::l10n::{Args, Lang, Localizer, Tr};
use anyhow::Context as _;
use resvg::{tiny_skia, usvg};
use std::fmt::Write as _;
use std::sync::Arc;

/// Noto Sans Thai Regular (OFL-1.1), unmodified.
pub const THAI_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansThai-Regular.ttf");
/// Noto Sans Regular (OFL-1.1), subset to Basic Latin and a few symbols.
pub const LATIN_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular-Latin.ttf");
/// The family the charts ask for first.
pub const THAI_FAMILY: &str = "Noto Sans Thai";
pub const LATIN_FAMILY: &str = "Noto Sans";

/// Width of every chart, in pixels (a phone shows it full width).
pub const WIDTH: u32 = 1080;
const ROW: u32 = 46;
const TOP: u32 = 190;
const COVERAGE_PANEL: u32 = 470;

const NORMAL: &str = "#43a047";
const RISK: &str = "#ffb300";
const PROBLEM: &str = "#e53935";
const NOT_YET: &str = "#cfd8dc";
const INK: &str = "#263238";
const MUTED: &str = "#607d8b";

/// The fonts the charts use, and nothing else.
pub fn font_database() -> usvg::fontdb::Database {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(THAI_FONT.to_vec());
    db.load_font_data(LATIN_FONT.to_vec());
    db.set_sans_serif_family(THAI_FAMILY);
    db
}

/// The picture's height for `classes` classes (one row each, plus the total).
pub fn chart_height(classes: usize) -> u32 {
    TOP + (classes as u32 + 1) * ROW + 30 + COVERAGE_PANEL
}

/// The screening chart of these statistics as a PNG: groups per class, then coverage by week.
pub fn screening_chart_png(stats: &SchoolStats, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let l10n = Localizer::load().context("cannot load the messages for the chart")?;
    let svg = screening_chart_svg(stats, l10n.tr(lang));
    render_png(&svg)
}

/// Rasterise SVG text (made by this module) to PNG with the shipped fonts.
pub fn render_png(svg: &str) -> anyhow::Result<Vec<u8>> {
    let options = usvg::Options {
        font_family: THAI_FAMILY.to_string(),
        languages: vec!["th".to_string(), "en".to_string()],
        fontdb: Arc::new(font_database()),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).context("cannot read the chart's SVG")?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .with_context(|| format!("cannot make a {}×{} picture", size.width(), size.height()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().context("cannot encode the chart as PNG")
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn text(svg: &mut String, x: f64, y: f64, size: u32, anchor: &str, fill: &str, body: &str) {
    let _ = writeln!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
        esc(body)
    );
}

fn rect(svg: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str) {
    if w > 0.0 && h > 0.0 {
        let _ = writeln!(svg, r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"/>"#);
    }
}

/// "1 พ.ย." from "1 พ.ย. 2569" (axis ticks have no room for the year).
fn day_month(tr: Tr<'_>, date: chrono::NaiveDate) -> String {
    tr.date(date).split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// The chart as SVG text (public for tests and for anyone who wants a vector copy).
pub fn screening_chart_svg(stats: &SchoolStats, tr: Tr<'_>) -> String {
    let height = chart_height(stats.classes.len());
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{THAI_FAMILY}, {LATIN_FAMILY}">"#
    );
    rect(&mut svg, 0.0, 0.0, WIDTH as f64, height as f64, "#ffffff");

    let term = stats.term.term.to_string();
    text(&mut svg, 40.0, 62.0, 38, "start", INK, &tr.with("chart-groups-title", Args::new().str("term", &term)));
    text(
        &mut svg,
        40.0,
        104.0,
        24,
        "start",
        MUTED,
        &tr.with("chart-as-of", Args::new().str("date", tr.date(stats.today))),
    );

    // Legend.
    let legend = [
        (NORMAL, tr.get("group-normal")),
        (RISK, tr.get("group-risk")),
        (PROBLEM, tr.get("group-problem")),
        (NOT_YET, tr.get("chart-not-screened")),
    ];
    let mut x = 40.0;
    for (colour, label) in &legend {
        rect(&mut svg, x, 128.0, 26.0, 26.0, colour);
        text(&mut svg, x + 36.0, 150.0, 24, "start", INK, label);
        x += 60.0 + label.chars().filter(|c| !is_mark(*c)).count() as f64 * 13.0;
    }

    // One bar per class, then the total.
    let bar_x = 190.0;
    let bar_w = (WIDTH as f64) - bar_x - 40.0;
    let total_label = match stats.scope {
        Scope::School => tr.get("chart-school"),
        Scope::Classes => tr.get("chart-total"),
    };
    let rows: Vec<(&str, &UnitStats)> = stats
        .classes
        .iter()
        .map(|c| (c.name.as_str(), &c.stats))
        .chain(std::iter::once((total_label.as_str(), &stats.total)))
        .collect();
    for (i, (label, unit)) in rows.iter().enumerate() {
        let y = (TOP + i as u32 * ROW) as f64;
        if i + 1 == rows.len() {
            let _ = writeln!(
                svg,
                r#"<line x1="40" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{MUTED}" stroke-width="1"/>"#,
                y - 6.0,
                WIDTH - 40,
                y - 6.0
            );
        }
        text(&mut svg, bar_x - 16.0, y + 28.0, 24, "end", INK, label);
        let whole = unit.students.max(unit.screened).max(1) as f64;
        let not_yet = (unit.students - unit.screened).max(0);
        let unknown = (unit.screened - unit.overall.total()).max(0);
        let parts = [
            (unit.overall.normal, NORMAL),
            (unit.overall.risk, RISK),
            (unit.overall.problem, PROBLEM),
            (not_yet + unknown, NOT_YET),
        ];
        let mut at = bar_x;
        for (count, colour) in parts {
            let w = bar_w * count as f64 / whole;
            rect(&mut svg, at, y + 4.0, w, 32.0, colour);
            if count > 0 && w >= 34.0 {
                let ink = if colour == NOT_YET || colour == RISK { INK } else { "#ffffff" };
                text(&mut svg, at + w / 2.0, y + 28.0, 20, "middle", ink, &count.to_string());
            }
            at += w;
        }
        if unit.students == 0 {
            text(&mut svg, bar_x + 8.0, y + 28.0, 20, "start", MUTED, &tr.get("chart-no-students"));
        }
    }

    // Coverage over the term.
    let panel = (TOP + rows.len() as u32 * ROW + 30) as f64;
    text(&mut svg, 40.0, panel + 40.0, 32, "start", INK, &tr.get("chart-coverage-title"));
    let (px, pw) = (110.0, (WIDTH as f64) - 110.0 - 50.0);
    let (py, ph) = (panel + 80.0, 280.0);
    for pct in [0, 25, 50, 75, 100] {
        let y = py + ph - ph * pct as f64 / 100.0;
        let _ = writeln!(
            svg,
            r##"<line x1="{px:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#eceff1" stroke-width="2"/>"##,
            px + pw
        );
        text(&mut svg, px - 12.0, y + 8.0, 20, "end", MUTED, &format!("{pct}%"));
    }
    let points = &stats.coverage;
    let students = stats.total.students;
    if points.is_empty() || students == 0 {
        text(&mut svg, px + pw / 2.0, py + ph / 2.0, 24, "middle", MUTED, &tr.get("chart-no-data"));
    } else {
        // The x axis spans the whole term, so an early chart shows how far the term still has to go.
        let weeks_in_term = ((stats.term.ends_on - stats.term.starts_on).num_days() / 7 + 1).max(points.len() as i64);
        let step = pw / (weeks_in_term.max(2) - 1) as f64;
        let coords: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| (px + step * i as f64, py + ph - ph * percent(p.screened, students) as f64 / 100.0))
            .collect();
        let line: Vec<String> = coords.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(
            svg,
            r##"<polyline points="{}" fill="none" stroke="#1e88e5" stroke-width="5" stroke-linejoin="round"/>"##,
            line.join(" ")
        );
        for (x, y) in &coords {
            let _ = writeln!(svg, r##"<circle cx="{x:.1}" cy="{y:.1}" r="7" fill="#1e88e5"/>"##);
        }
        if let (Some(last), Some((lx, ly))) = (points.last(), coords.last()) {
            let pct = percent(last.screened, students);
            let anchor = if *lx > px + pw - 80.0 { "end" } else { "start" };
            let dx = if anchor == "end" { -12.0 } else { 12.0 };
            text(&mut svg, lx + dx, (ly - 14.0).max(py + 20.0), 26, anchor, "#1e88e5", &format!("{pct}%"));
        }
        // Date ticks: the term's start, its middle and its end.
        let ticks = [
            (0i64, stats.term.starts_on),
            (weeks_in_term / 2, stats.term.starts_on + chrono::Duration::days(7 * (weeks_in_term / 2))),
            (weeks_in_term - 1, stats.term.ends_on),
        ];
        for (i, (week, date)) in ticks.iter().enumerate() {
            let anchor = ["start", "middle", "end"][i];
            text(&mut svg, px + step * *week as f64, py + ph + 36.0, 20, anchor, MUTED, &day_month(tr, *date));
        }
    }
    text(
        &mut svg,
        40.0,
        (height - 24) as f64,
        20,
        "start",
        MUTED,
        &tr.with("chart-footer", Args::new().num("screened", stats.total.screened).num("students", students)),
    );
    svg.push_str("</svg>\n");
    svg
}

/// Thai vowel and tone marks take no width of their own (for the rough legend spacing).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}
