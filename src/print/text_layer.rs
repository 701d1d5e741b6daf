//! Keep the PDF's text layer reading back as the words.
//!
//! The trap (seen with Typst 0.15 and Sarabun: `pdftotext` gave "ชั้ชั้น" for ชั้น): Typst's layout splits a
//! run of glyphs into separate text items wherever the vertical offset changes, and Sarabun's GPOS lifts
//! Thai marks with a vertical offset (the tone mark above an upper vowel: ้ over ั). Every glyph of a cluster
//! carries the whole cluster's text range, so the cluster ชั้ ends up in two items — ช+ั on the baseline and
//! the raised ้ — and the PDF writer (krilla) writes the cluster's text once per item: ActualText "ชั้" for the
//! first, the same three characters again for the mark. Switching the font's mark positioning off hides this
//! by putting the marks in the wrong place; the right fix is to give the PDF writer whole clusters.
//!
//! So before writing the PDF, consecutive text items of one shaped run (same font, size, paint, language;
//! the second starting where the first one's advance ends) are joined back into one item, each glyph keeping
//! its height as its own `y_offset` — which Typst's glyphs and the PDF writer support. The writer then sees
//! each cluster once and marks it with one ActualText span. Nothing moves on the page.
//!
//! The second trap: a stray space inside a word ("ปั้ น" for ปั้น). A PDF reader places the text of an
//! ActualText span (or of a glyph's ToUnicode entry) from the first glyph's origin to the *last* glyph's origin
//! plus that glyph's width in the font. Thai marks have no width (Sarabun: advance 0), and over a tall
//! consonant (ป ฝ ฟ ฬ) the font's GPOS moves them left, so a span "ปั้" ended left of ป's right edge; poppler
//! saw a gap before น and wrote a space. So, after joining, the marks that *end* a cluster (zero-width glyphs
//! after the cluster's last glyph with a width of its own) give their text to that glyph: they get an empty
//! text range, the PDF maps them to no text, and the cluster's text spans exactly the base's box — which is
//! where the next cluster starts. The marks are still drawn where GPOS put them; only the glyph→text mapping
//! changes. Marks inside a cluster (น ํ ้ า of น้ำ: the last glyph า has a width) keep the cluster's span.

use typst::layout::{Abs, Em, Frame, FrameItem, Point};
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// The document with the split text items of every page joined back.
pub fn one_text_range_per_glyph(document: PagedDocument) -> PagedDocument {
    use typst::model::Document as _;
    let info = document.info().clone();
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut page = page.clone();
            join_frame(&mut page.frame);
            page
        })
        .collect();
    PagedDocument::new(pages, info)
}

fn join_frame(frame: &mut Frame) {
    let items: Vec<(Point, FrameItem)> = frame.items().cloned().collect();
    if !items.iter().any(|(_, item)| matches!(item, FrameItem::Text(_) | FrameItem::Group(_))) {
        return;
    }
    frame.clear();
    let mut pending: Option<(Point, TextItem)> = None;
    for (pos, item) in items {
        match item {
            FrameItem::Text(text) => {
                pending = match pending.take() {
                    Some((first_pos, first)) => match join(first_pos, first, pos, text) {
                        Ok(joined) => Some((first_pos, joined)),
                        Err((first, text)) => {
                            frame.push(first_pos, FrameItem::Text(text_on_the_wide_glyphs(first)));
                            Some((pos, text))
                        }
                    },
                    None => Some((pos, text)),
                };
            }
            FrameItem::Group(mut group) => {
                if let Some((p, t)) = pending.take() {
                    frame.push(p, FrameItem::Text(text_on_the_wide_glyphs(t)));
                }
                join_frame(&mut group.frame);
                frame.push(pos, FrameItem::Group(group));
            }
            other => {
                if let Some((p, t)) = pending.take() {
                    frame.push(p, FrameItem::Text(text_on_the_wide_glyphs(t)));
                }
                frame.push(pos, other);
            }
        }
    }
    if let Some((p, t)) = pending {
        frame.push(p, FrameItem::Text(text_on_the_wide_glyphs(t)));
    }
}

fn close(a: Abs, b: Abs) -> bool {
    (a - b).abs() < Abs::pt(0.01)
}

/// Where `second`'s text starts in `first`'s text, when `second` continues the same shaped run: inside
/// `first`'s last cluster (a mark split off from its base) or right after it. `None`: not a continuation.
fn continuation_offset(first: &TextItem, second: &TextItem) -> Option<usize> {
    let last = first.glyphs.last()?;
    let next = second.glyphs.first()?;
    // Left to right only (glyph ranges ascending); Thai is.
    if first.glyphs.windows(2).any(|w| w[1].range.start < w[0].range.start)
        || second.glyphs.windows(2).any(|w| w[1].range.start < w[0].range.start)
    {
        return None;
    }
    let (start, end) = (usize::from(last.range.start), usize::from(last.range.end));
    let next_len = usize::from(next.range.end) - usize::from(next.range.start);
    let same_cluster = next.span == last.span
        && end == first.text.len()
        && next.range.start == 0
        && next_len == end - start
        && second.text.get(..next_len) == first.text.get(start..end);
    if same_cluster {
        return Some(start);
    }
    // A new cluster: the second item's text begins where the first one's ends.
    (next.range.start == 0).then_some(first.text.len())
}

/// `second` joined onto `first` (at `first_pos`), or both back when they are not one run.
#[allow(clippy::result_large_err)] // the Err hands both items back unchanged; boxing them would only add work
fn join(first_pos: Point, first: TextItem, pos: Point, second: TextItem) -> Result<TextItem, (TextItem, TextItem)> {
    let compatible = first.font == second.font
        && first.size == second.size
        && first.fill == second.fill
        && first.stroke == second.stroke
        && first.lang == second.lang
        && first.region == second.region
        && close(first_pos.x + first.width(), pos.x);
    let offset = if compatible { continuation_offset(&first, &second) } else { None };
    let Some(offset) = offset else {
        return Err((first, second));
    };
    let size = first.size;
    if size <= Abs::zero() {
        return Err((first, second));
    }
    // Frame y grows downwards; a glyph's y_offset is in em, upwards.
    let lift = Em::new((first_pos.y - pos.y) / size);
    let overlap = first.text.len() - offset;
    let (Some(rest), Ok(shift)) = (second.text.get(overlap..), u16::try_from(offset)) else {
        return Err((first, second));
    };
    let mut joined = first;
    joined.text.push_str(rest);
    for mut glyph in second.glyphs {
        glyph.range = glyph.range.start.saturating_add(shift)..glyph.range.end.saturating_add(shift);
        glyph.y_offset += lift;
        joined.glyphs.push(glyph);
    }
    Ok(joined)
}

/// `item` with the zero-width marks that end a cluster mapped to no text, their cluster's text left on the
/// cluster's last glyph that has a width of its own (see the module comment: the text's box then ends where
/// the next cluster begins, so no reader sees a gap inside the word).
fn text_on_the_wide_glyphs(mut item: TextItem) -> TextItem {
    let font = item.font.clone();
    let has_width = |id: u16| font.x_advance(id).is_some_and(|advance| advance.get() > 0.0);
    let glyphs = &mut item.glyphs;
    let mut start = 0;
    while start < glyphs.len() {
        let range = glyphs[start].range.clone();
        let end = start + glyphs[start..].iter().take_while(|g| g.range == range).count();
        if let Some(last_wide) = (start..end).rev().find(|&k| has_width(glyphs[k].id)) {
            for glyph in &mut glyphs[last_wide + 1..end] {
                glyph.range = range.end..range.end;
            }
        }
        start = end;
    }
    item
}
