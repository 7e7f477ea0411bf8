//! Property tests of the CJK layout over random mixes of Han, Latin, digits, punctuation, quotes,
//! "……"/"——", emoji, U+3000 and spaces; and a large paragraph (linear time).
//!
//! The rules are re-implemented here independently and simply, from shared/cjk-layout.md.

use std::time::{Duration, Instant};

use kanbao::domain::layout::*;
use kanbao::domain::width::*;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

const INDENT: &str = "\u{3000}\u{3000}";
const NO_START: &str = "、，。：；！？）》〉】」』〕”’·～－,.;:!?)";
const NO_END: &str = "“‘（《〈【「『〔([";

fn token() -> impl Strategy<Value = String> {
    let pick = |set: &'static [&'static str]| proptest::sample::select(set).prop_map(|s: &str| s.to_string());
    prop_oneof![
        6 => pick(&["中", "文", "新", "华", "社", "记", "者", "经", "济", "平", "稳", "的"]),
        3 => "[a-zA-Z]{1,14}",
        2 => "[0-9]{1,6}(\\.[0-9]%)?",
        3 => pick(&["，", "。", "、", "；", "：", "？", "！", "（", "）", "《", "》", "【", "】",
                    "「", "」", "『", "』", "～", "－", "〈", "〉", "〔", "〕"]),
        2 => pick(&[",", ".", ";", ":", "!", "?", "(", ")", "[", "]", "/", "-", "%"]),
        2 => pick(&["“", "”", "‘", "’"]),
        2 => pick(&["……", "——", "…", "—", "………"]),
        1 => pick(&["😀", "👨\u{200d}👩\u{200d}👧", "❤\u{fe0f}", "🇨🇳", "👍🏽"]),
        1 => pick(&["\u{3000}", "·", "①", "℃", "e\u{301}"]),
        3 => pick(&[" ", " ", "  ", "\t"]),
        1 => pick(&["\u{1b}", "\u{200b}", "\u{7}"]),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..60).prop_map(|v| v.concat())
}

fn first(g: &str) -> char {
    g.chars().next().unwrap_or('\0')
}

fn unit(g: &str) -> Option<&'static str> {
    match g {
        "…" => Some("…"),
        "—" => Some("—"),
        _ => None,
    }
}

fn same_unit(a: &str, b: &str) -> bool {
    unit(a).is_some() && unit(a) == unit(b)
}

/// Does a break before grapheme `k`, on a line starting at grapheme `s`, break a Chinese rule?
/// (Prohibited start or end, a split "……"/"——", or a line starting with a space that should have
/// hung at the end of the line before.)
fn bad_break(gs: &[&str], s: usize, k: usize) -> bool {
    let (a, b) = (gs[k - 1], gs[k]);
    let starts_unit = gs.get(k + 1).is_some_and(|n| same_unit(b, n));
    let last_visible = gs[s..k].iter().rev().find(|g| **g != " ");
    same_unit(a, b)
        || b == " "
        || NO_START.contains(first(b))
        || starts_unit
        || last_visible.is_some_and(|g| NO_END.contains(first(g)))
}

fn check(text: &str, o: LayoutOptions) -> Result<(), TestCaseError> {
    let lines = layout_paragraph(text, o);
    let src = text.replace('\t', " ");
    if src.is_empty() {
        prop_assert!(lines.is_empty());
        return Ok(());
    }
    let chars: Vec<char> = src.chars().collect();
    // Graphemes with their char offsets; `at[char offset]` = grapheme index starting there.
    let gs: Vec<&str> = src.graphemes(true).collect();
    let mut at = vec![usize::MAX; chars.len() + 1];
    let mut off = 0;
    for (i, g) in gs.iter().enumerate() {
        at[off] = i;
        off += g.chars().count();
    }
    at[off] = gs.len();
    let widest = gs.iter().map(|g| grapheme_width(g, o.mode)).max().unwrap_or(0);

    prop_assert!(!lines.is_empty());
    prop_assert_eq!(lines[0].start, 0);
    let mut rebuilt = String::new();
    for (i, l) in lines.iter().enumerate() {
        prop_assert_eq!(l.width, str_width(&l.text, o.mode), "width field of {:?}", l);
        let indented = i == 0 && o.indent && !src.starts_with('\u{3000}') && l.text.starts_with(INDENT);
        let body = if indented { &l.text[INDENT.len()..] } else { l.text.as_str() };
        prop_assert!(!body.is_empty(), "empty line {:?}", l);
        // A space at a break is dropped (a line of nothing but spaces keeps them: never empty).
        prop_assert!(!body.ends_with(' ') || body.trim_matches(' ').is_empty(), "trailing space kept in {:?}", l);

        // Rule 1: no line wider than W, except one grapheme wider than W, alone.
        if l.width > o.width {
            prop_assert!(!indented, "indent made line 0 overflow: {:?}", l);
            prop_assert_eq!(body.graphemes(true).count(), 1, "overflowing line {:?}", l);
            prop_assert!(l.width > o.width && l.width <= widest);
        }

        // Offsets: on a grapheme boundary, strictly increasing, text taken from there.
        prop_assert!(at[l.start] != usize::MAX, "start {} not on a grapheme", l.start);
        if i > 0 {
            prop_assert!(l.start > lines[i - 1].start);
        }
        let n = body.chars().count();
        let from_source: String = chars[l.start..l.start + n].iter().collect();
        prop_assert_eq!(&from_source, body);
        let end = l.start + n;
        prop_assert!(at[end] != usize::MAX, "line end {} not on a grapheme", end);

        // Only ASCII spaces are dropped, and only at a break (or the paragraph end).
        let next = lines.get(i + 1).map_or(chars.len(), |n| n.start);
        prop_assert!(next >= end);
        prop_assert!(chars[end..next].iter().all(|c| *c == ' '), "dropped non-space after {:?}", l);
        rebuilt.push_str(body);
        rebuilt.extend(&chars[end..next]);
    }
    prop_assert_eq!(&rebuilt, &src);

    for i in 0..lines.len() - 1 {
        let s = at[lines[i].start];
        let k = at[lines[i + 1].start];
        // Rules 3-5: a bad break only when every break inside the line is bad too (no legal
        // break existed that fits).
        if bad_break(&gs, s, k) {
            for inner in s + 1..k {
                prop_assert!(
                    bad_break(&gs, s, inner),
                    "bad break after {:?} though a break after grapheme {} of it was fine",
                    lines[i],
                    inner - s
                );
            }
        }
        // Rule 5: "……"/"——" split only when the run alone is wider than the line.
        if same_unit(gs[k - 1], gs[k]) {
            let mut lo = k - 1;
            while lo > 0 && same_unit(gs[lo - 1], gs[lo]) {
                lo -= 1;
            }
            let mut hi = k;
            while hi + 1 < gs.len() && same_unit(gs[hi], gs[hi + 1]) {
                hi += 1;
            }
            let run: usize = gs[lo..=hi].iter().map(|g| grapheme_width(g, o.mode)).sum();
            prop_assert!(run > o.width, "split a {}-cell run at width {}", run, o.width);
        }
    }

    Ok(())
}

fn mode() -> impl Strategy<Value = Ambiguous> {
    prop_oneof![Just(Ambiguous::Narrow), Just(Ambiguous::Wide)]
}

proptest! {
    // Bounded so `cargo test` stays fast; no regression files (proptest prints the minimal input).
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn layout_invariants(text in paragraph(), width in 1usize..=120, mode in mode(), indent: bool) {
        check(&text, LayoutOptions { width, mode, indent })?;
    }

    /// Narrow widths stress the fallbacks (overflow, split units, prohibited breaks).
    #[test]
    fn layout_invariants_narrow_panes(text in paragraph(), width in 0usize..=8, mode in mode(), indent: bool) {
        if width > 0 {
            check(&text, LayoutOptions { width, mode, indent })?;
        } else {
            // Width 0 cannot be honoured; it must still not panic or lose text.
            let lines = layout_paragraph(&text, LayoutOptions { width, mode, indent });
            let total: usize = lines.iter().map(|l| l.text.chars().count()).sum();
            prop_assert!(total <= text.chars().count());
        }
    }

    #[test]
    fn truncate_fits(text in paragraph(), max in 0usize..=40, mode in mode()) {
        let t = truncate(&text, max, mode);
        prop_assert!(str_width(&t, mode) <= max);
        if str_width(&text, mode) <= max {
            prop_assert_eq!(t, text);
        } else if max >= grapheme_width("…", mode) {
            prop_assert!(t.ends_with('…'));
            let kept = &t[..t.len() - '…'.len_utf8()];
            prop_assert!(text.starts_with(kept));
        }
    }
}

/// Laying out must be linear: a 200 KB paragraph, including adversarial ones (no legal break
/// anywhere, long space runs, zero-width runs), in well under the time a quadratic scan would need.
#[test]
fn large_paragraphs_are_linear() {
    const SIZE: usize = 200 * 1024;
    let fill = |unit: &str| unit.repeat(SIZE / unit.len() + 1);
    let inputs = [
        fill("记者从国家统计局获悉，2024年GDP增长5.0%，经济运行总体平稳。他说：“你好……”然后走了——真的 "),
        fill("abcdefghij"),                // one 200 KB word: only grapheme breaks
        fill("，"),                        // every break prohibited
        fill("……"),                        // one huge unit
        fill("a                       ,"), // space runs before a prohibited start
        fill("中\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}"),
        fill("“（《"), // every line end prohibited
    ];
    let t0 = Instant::now();
    for text in &inputs {
        for (width, mode) in [(80, Ambiguous::Narrow), (7, Ambiguous::Wide), (1, Ambiguous::Narrow)] {
            let o = LayoutOptions { width, mode, indent: true };
            let lines = layout_paragraph(text, o);
            let covered: usize = lines.iter().map(|l| l.text.chars().count()).sum();
            assert!(covered > 0);
            let last = lines.last().map_or(0, |l| l.start);
            assert!(last < text.chars().count());
        }
    }
    // A quadratic rescan of 200 KB takes minutes; linear is well under a second even unoptimised.
    let took = t0.elapsed();
    assert!(took < Duration::from_secs(30), "took {took:?}");
    eprintln!("large paragraphs: {took:?}");
}
