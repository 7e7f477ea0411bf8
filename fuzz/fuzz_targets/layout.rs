//! Any text, width 1..=200, either ambiguous mode, with or without indent -> `layout_paragraph`.
//!
//! Checked: no panic; every line's `width` is its measured width; no line is wider than the
//! width except a single grapheme wider than it, alone; no empty line; lines start on grapheme
//! boundaries, in order, and take their text from the source at their offset; only ASCII spaces
//! at breaks (and at the end) are dropped, so the lines rejoin to the paragraph (tabs as spaces).
//!
//! The first input byte picks the options; the rest is the text, either raw UTF-8 or (more often)
//! a sequence of tokens that matter to Chinese line breaking, one per byte.

#![no_main]

use kanbao::domain::layout::{LayoutOptions, layout_paragraph, line_at_offset};
use kanbao::domain::width::{Ambiguous, grapheme_width, str_width};
use libfuzzer_sys::fuzz_target;
use unicode_segmentation::UnicodeSegmentation;

const TOKENS: &[&str] = &[
    "中",
    "文",
    "重",
    "庆",
    "工",
    "会",
    "的",
    "職",
    "𠀀",
    "，",
    "。",
    "、",
    "；",
    "：",
    "？",
    "！",
    "（",
    "）",
    "《",
    "》",
    "【",
    "】",
    "「",
    "」",
    "～",
    "－",
    "“",
    "”",
    "‘",
    "’",
    "…",
    "……",
    "—",
    "——",
    "―",
    "⋯",
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    "/",
    "-",
    "%",
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "a",
    "Z",
    "abcdefghij",
    "0",
    "2024",
    "·",
    "①",
    "℃",
    "e\u{301}",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "❤\u{fe0f}",
    "🇨🇳",
    "👍🏽",
    "\u{200d}",
    "\u{a0}",
    "ｗ",
    "ｶ",
    "\u{ff0c}",
    "\u{1b}",
    "\u{7}",
    "\u{200b}",
];

const INDENT: &str = "\u{3000}\u{3000}";

fuzz_target!(|data: &[u8]| {
    let Some((&opts, rest)) = data.split_first() else { return };
    let Some((&w, rest)) = rest.split_first() else { return };
    let width = 1 + usize::from(w) % 200;
    let mode = if opts & 1 == 0 { Ambiguous::Narrow } else { Ambiguous::Wide };
    let indent = opts & 2 != 0;
    let text: String = if opts & 0x1C == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        rest.iter().map(|&b| TOKENS[usize::from(b) % TOKENS.len()]).collect()
    };
    let o = LayoutOptions { width, mode, indent };
    let lines = layout_paragraph(&text, o);

    let src = text.replace('\t', " ");
    if src.is_empty() {
        assert!(lines.is_empty());
        return;
    }
    let chars: Vec<char> = src.chars().collect();
    let mut boundary = vec![false; chars.len() + 1];
    let mut off = 0;
    for g in src.graphemes(true) {
        boundary[off] = true;
        off += g.chars().count();
    }
    boundary[off] = true;

    assert!(!lines.is_empty(), "no lines for {text:?}");
    assert_eq!(lines[0].start, 0);
    let mut rebuilt = String::new();
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l.width, str_width(&l.text, mode), "width field of {l:?}");
        let indented = i == 0 && indent && !src.starts_with('\u{3000}') && l.text.starts_with(INDENT);
        let body = if indented { &l.text[INDENT.len()..] } else { l.text.as_str() };
        assert!(!body.is_empty(), "empty line {l:?} in {text:?}");
        if l.width > width {
            let graphemes: Vec<&str> = body.graphemes(true).collect();
            assert!(
                !indented && graphemes.len() == 1 && grapheme_width(graphemes[0], mode) > width,
                "line {l:?} is {} cells at width {width} ({mode:?}), text {text:?}",
                l.width
            );
        }
        assert!(boundary[l.start], "line {l:?} starts inside a grapheme");
        if i > 0 {
            assert!(l.start > lines[i - 1].start, "offsets out of order at {l:?}");
        }
        let n = body.chars().count();
        let from_source: String = chars[l.start..l.start + n].iter().collect();
        assert_eq!(from_source, body, "line {i} is not the source at its offset");
        let end = l.start + n;
        assert!(boundary[end], "line {l:?} ends inside a grapheme");
        let next = lines.get(i + 1).map_or(chars.len(), |n| n.start);
        assert!(next >= end && chars[end..next].iter().all(|&c| c == ' '), "text dropped after {l:?}");
        rebuilt.push_str(body);
        rebuilt.extend(&chars[end..next]);
        assert_eq!(line_at_offset(&lines, l.start), i);
    }
    assert_eq!(rebuilt, src, "the lines do not rejoin to the paragraph");
});
