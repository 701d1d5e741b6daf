//! The chart: a PNG of the expected size, drawn with the shipped Thai font, with Thai text shaped (marks
//! positioned by the font's GPOS), not just a file that exists.

use crate::common;

use common::*;
use dulae::l10n::Lang;
use dulae::reports::chart::{self, LATIN_FAMILY, THAI_FAMILY, THAI_FONT, WIDTH};
use dulae::reports::stats;
use dulae::store::terms;
use resvg::tiny_skia::Pixmap;

fn school_stats(s: &School) -> stats::SchoolStats {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    s.app.store.read(|c| stats::for_school(c, terms::current_dates(c, today)?, today)).unwrap()
}

#[test]
fn the_shipped_fonts_load_and_cover_the_labels() {
    let db = chart::font_database();
    let families: Vec<String> = db.faces().flat_map(|f| f.families.iter().map(|(name, _)| name.clone())).collect();
    assert!(families.iter().any(|f| f == THAI_FAMILY), "{families:?}");
    assert!(families.iter().any(|f| f == LATIN_FAMILY), "{families:?}");
    let query = resvg::usvg::fontdb::Query {
        families: &[resvg::usvg::fontdb::Family::Name(THAI_FAMILY)],
        ..Default::default()
    };
    assert!(db.query(&query).is_some(), "fontdb finds Noto Sans Thai");
    let latin = resvg::usvg::fontdb::Query {
        families: &[resvg::usvg::fontdb::Family::Name(LATIN_FAMILY)],
        ..Default::default()
    };
    assert!(db.query(&latin).is_some(), "fontdb finds Noto Sans");
    // Every Thai letter of the labels is in the Thai font; digits and Latin in the Latin subset (the Thai font
    // has none).
    let thai = shape_with(THAI_FONT, "ผลการคัดกรองรายห้องที่นี่ปกติเสี่ยงมีปัญหายังไม่คัดกรองทั้งโรงเรียน", true);
    assert!(thai.iter().all(|g| g.0 != 0), "a Thai letter is missing: {thai:?}");
    let latin = shape_with(chart::LATIN_FONT, "0123456789/%.·–ABC xyz", true);
    assert!(latin.iter().all(|g| g.0 != 0), "a Latin character is missing: {latin:?}");
    // The added fonts stay small.
    assert!(THAI_FONT.len() + chart::LATIN_FONT.len() < 200 * 1024);
}

/// Shape `text` with the Thai font; `marks` = false turns off mark positioning (GPOS mark/mkmk).
fn shape(text: &str, marks: bool) -> Vec<(u32, i32, i32, i32)> {
    shape_with(THAI_FONT, text, marks)
}

fn shape_with(font: &[u8], text: &str, marks: bool) -> Vec<(u32, i32, i32, i32)> {
    let font = harfrust::FontRef::new(font).expect("a font");
    let data = harfrust::ShaperData::new(&font);
    let off = [
        harfrust::Feature::new(harfrust::Tag::new(b"mark"), 0, ..),
        harfrust::Feature::new(harfrust::Tag::new(b"mkmk"), 0, ..),
    ];
    let shaper = data.shaper(&font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let options = harfrust::ShapeOptions::new();
    let options = if marks { options } else { options.features(&off) };
    let out = shaper.shape(buffer, options);
    out.glyph_infos()
        .iter()
        .zip(out.glyph_positions())
        .map(|(i, p)| (i.glyph_id, p.x_advance, p.x_offset, p.y_offset))
        .collect()
}

#[test]
fn thai_is_shaped_marks_stack_on_their_base() {
    // ท ี ่ น ี ่: the tone mark sits on the upper vowel. Shaped, marks take no advance and the tone mark is
    // moved (GPOS mark-to-mark); without the mark features it would sit at the default place.
    let shaped = shape("ที่นี่", true);
    let plain = shape("ที่นี่", false);
    assert_eq!(shaped.len(), 6, "{shaped:?}");
    assert!(shaped.iter().all(|g| g.0 != 0), "no missing glyphs: {shaped:?}");
    assert_eq!(shaped.iter().filter(|g| g.1 == 0).count(), 4, "four zero-advance marks: {shaped:?}");
    assert_ne!(shaped, plain, "GPOS mark positioning changed the layout");
    assert!(shaped.iter().any(|g| g.2 != 0 || g.3 != 0), "some mark was moved: {shaped:?}");
}

fn dark_pixels(p: &Pixmap, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let mut n = 0;
    for y in y0..y1.min(p.height()) {
        for x in x0..x1.min(p.width()) {
            if let Some(c) = p.pixel(x, y)
                && (c.red() as u32 + c.green() as u32 + c.blue() as u32) < 200
            {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn the_chart_is_a_png_of_the_expected_size_with_thai_text_drawn() {
    let s = report_school();
    let st = school_stats(&s);
    let png = dulae::reports::screening_chart_png(&st, Lang::Th).unwrap();
    let pixmap = Pixmap::decode_png(&png).expect("a PNG");
    assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, chart::chart_height(3)));
    // The title (Thai) is drawn: dark pixels in its band at the top left.
    assert!(dark_pixels(&pixmap, 40, 20, 700, 75) > 500, "no title drawn");
    // Bars in the screening colours: green for normal somewhere in the first bar row.
    let green = (190..1040)
        .filter_map(|x| pixmap.pixel(x, 210))
        .filter(|c| c.green() > 120 && c.red() < 100 && c.blue() < 100)
        .count();
    assert!(green > 50, "no normal (green) bar in the first row");
    std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/charts")).unwrap();
    std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/charts/screening_th.png"), &png).unwrap();
    let en = dulae::reports::screening_chart_png(&st, Lang::En).unwrap();
    std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/charts/screening_en.png"), en).unwrap();
}

#[test]
fn thai_text_renders_with_its_marks_above_the_line() {
    let svg = |family: &str| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><text x="10" y="70" font-size="60" font-family="{family}">ที่นี่</text></svg>"#
        )
    };
    let drawn = Pixmap::decode_png(&chart::render_png(&svg(THAI_FAMILY)).unwrap()).unwrap();
    assert!(dark_pixels(&drawn, 0, 0, 300, 100) > 300);
    // Tone marks above the upper vowels: ink well above the top of the consonants (x-height ≈ y 40).
    assert!(dark_pixels(&drawn, 0, 0, 300, 22) > 10, "the marks above the line are drawn");
}

#[test]
fn an_empty_school_still_draws() {
    let s = School::new();
    let st = school_stats(&s);
    let png = dulae::reports::screening_chart_png(&st, Lang::Th).unwrap();
    let pixmap = Pixmap::decode_png(&png).unwrap();
    assert_eq!(pixmap.height(), chart::chart_height(0));
}
