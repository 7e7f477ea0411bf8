//! Runs of zero-width pieces (joiners, combining marks, variation selectors, ZWSP) on letters,
//! CJK and emoji -> the loader's sanitize and grapheme cap -> painting with search highlights.
//!
//! Checked: no panic; after the cap no grapheme has more than MAX_GRAPHEME_CHARS code points;
//! painting stays inside the row and its width, and no cell holds more than the cap (so each
//! repaint sends a bounded amount, and painting is linear: the painter never rebuilds a growing
//! cell). A run of 100,000 marks on one letter used to take minutes a frame (issue 11, item 1).

#![no_main]

use kanbao::domain::sanitize::{MAX_GRAPHEME_CHARS, cap_graphemes, sanitize};
use kanbao::domain::width::Ambiguous;
use kanbao::tui::paint::paint_spans;
use libfuzzer_sys::fuzz_target;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

const PIECES: &[&str] = &[
    "a", "中", "👩", "e", "\t", " ", "。", "\u{200D}", "\u{0301}", "\u{0302}", "\u{200B}", "\u{200C}", "\u{FE0F}",
    "\u{FE0E}", "\u{20E3}", "\u{1F3FD}", "\u{0E49}", "\u{3099}", "ｶ", "\u{FF9E}", "“", "\u{1160}", "\u{11A8}",
];

fuzz_target!(|data: &[u8]| {
    let Some((&opts, rest)) = data.split_first() else { return };
    let mode = if opts & 1 == 0 { Ambiguous::Narrow } else { Ambiguous::Wide };
    let width = u16::from(opts >> 1) + 1;
    // Each byte: a piece, repeated 1..=8 times, or (high bit) a long run of it.
    let mut text = String::new();
    for &b in rest {
        let piece = PIECES[usize::from(b & 0x1F) % PIECES.len()];
        let times = if b & 0x80 != 0 { 2_000 } else { usize::from((b >> 5) & 3) + 1 };
        text.push_str(&piece.repeat(times));
    }
    let clean = sanitize(&text);
    let (capped, _) = cap_graphemes(&clean);
    for g in capped.graphemes(true) {
        assert!(g.chars().count() <= MAX_GRAPHEME_CHARS, "grapheme of {} code points", g.chars().count());
    }
    // Search highlights: split at every third char boundary, alternating styles.
    let cuts: Vec<usize> = capped.char_indices().map(|(i, _)| i).step_by(3).chain([capped.len()]).collect();
    let mut spans = Vec::new();
    for (k, w) in cuts.windows(2).enumerate() {
        let style = if k % 2 == 0 { Style::new() } else { Style::new().add_modifier(Modifier::REVERSED) };
        spans.push((&capped[w[0]..w[1]], style));
    }
    let mut buf = Buffer::empty(Rect::new(0, 0, width.saturating_add(3), 2));
    for line in capped.lines().take(4) {
        let used = paint_spans(&mut buf, 1, 0, width, &[(line, Style::new())], mode);
        assert!(used <= width);
    }
    let used = paint_spans(&mut buf, 1, 1, width, &spans, mode);
    assert!(used <= width);
    for cell in buf.content() {
        assert!(cell.symbol().chars().count() <= MAX_GRAPHEME_CHARS, "cell {:?}", cell.symbol());
    }
});
