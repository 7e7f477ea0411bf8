//! The lazy layout (`flow::Flow`, and the pager over it) gives exactly the whole layout's lines:
//! for random text (Han, Latin, digits, the prohibited punctuation, "……"/"——" runs, quotes,
//! brackets before spaces, emoji, flags, combining marks, tabs, zero-width spaces), random
//! widths, both ambiguous-width modes, with and without the indent, in random orders of access,
//! and with tiny windows, checkpoints and synchronisation budgets so that small texts take every
//! path (windows ending mid-line or mid-run, resuming from checkpoints, synchronising, skimming).

use kanbao::domain::flow::{Flow, Tuning};
use kanbao::domain::layout::{LayoutOptions, Line, layout_paragraph};
use kanbao::domain::page::{Block, Kind, block_rows};
use kanbao::domain::pager::Pager;
use kanbao::domain::width::Ambiguous;
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    let pick = |set: &'static [&'static str]| proptest::sample::select(set).prop_map(|s: &str| s.to_string());
    prop_oneof![
        8 => pick(&["中", "文", "新", "华", "社", "记", "者", "经", "济", "平", "稳", "的"]),
        4 => "[a-zA-Z]{1,12}",
        2 => "[0-9]{1,6}(\\.[0-9]%)?",
        3 => pick(&["，", "。", "、", "；", "：", "？", "！", "（", "）", "《", "》", "【", "】", "「", "」", "～", "／"]),
        2 => pick(&[",", ".", ";", ":", "!", "?", "(", ")", "[", "]", "/", "-", "%", "\"", "'"]),
        2 => pick(&["“", "”", "‘", "’"]),
        3 => pick(&["……", "——", "…", "—", "………", "————", "⸺", "―", "⋯⋯", "……——"]),
        1 => pick(&["😀", "👨\u{200d}👩\u{200d}👧", "❤\u{fe0f}", "🇨🇳", "🇨🇳🇺🇸", "🇨", "👍🏽", "\u{200d}"]),
        1 => pick(&["\u{3000}", "·", "①", "℃", "e\u{301}", "\u{301}", "\u{1100}\u{1161}", "ｶﾞ"]),
        4 => pick(&[" ", " ", "  ", "   ", "\t", "( ", "“ "]),
        1 => pick(&["\u{200b}", "\u{2060}", "\u{a0}"]),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 1..90).prop_map(|v| v.concat())
}

fn mode() -> impl Strategy<Value = Ambiguous> {
    prop_oneof![Just(Ambiguous::Narrow), Just(Ambiguous::Wide)]
}

fn tuning() -> impl Strategy<Value = Tuning> {
    (1usize..48, 1usize..48, 1usize..24, 0usize..24, 1usize..64, 1usize..160, 1usize..200, 4usize..16).prop_map(
        |(window, skim_window, checkpoint, near, sync_back, sync_window, sync_work, max_run)| Tuning {
            window,
            skim_window,
            checkpoint,
            near,
            sync_back,
            sync_window,
            sync_work,
            max_run,
        },
    )
}

/// One access, as the reader makes them: a place (in chars), the line after / before the line
/// holding it, the last line, a page from a place.
#[derive(Debug, Clone)]
enum Op {
    At(usize),
    Next(usize),
    Prev(usize),
    Last,
    Page(usize, usize),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => (0usize..400).prop_map(Op::At),
        2 => (0usize..400).prop_map(Op::Next),
        2 => (0usize..400).prop_map(Op::Prev),
        1 => Just(Op::Last),
        2 => (0usize..400, 1usize..12).prop_map(|(a, n)| Op::Page(a, n)),
    ];
    proptest::collection::vec(op, 1..24)
}

/// The whole layout's line holding char `at` (clamped), by index.
fn holding(lines: &[Line], at: usize) -> usize {
    lines.partition_point(|l| l.start <= at).saturating_sub(1)
}

fn check_flow(text: &str, opts: LayoutOptions, tuning: Tuning, ops: &[Op]) -> Result<(), TestCaseError> {
    let whole = layout_paragraph(text, opts);
    let chars = text.chars().count();
    let mut flow = Flow::tuned(text, opts, tuning);
    for op in ops {
        match *op {
            Op::At(at) => {
                let at = at % (chars + 2);
                let got = flow.line_at(text, at);
                prop_assert_eq!(got.as_ref(), whole.get(holding(&whole, at)), "line at {}", at);
            }
            Op::Next(at) => {
                let start = whole[holding(&whole, at % (chars + 1))].start;
                let want = whole.get(holding(&whole, start) + 1);
                let got = flow.next_line(text, start);
                prop_assert_eq!(got.as_ref(), want, "line after {}", start);
            }
            Op::Prev(at) => {
                let i = holding(&whole, at % (chars + 1));
                let want = i.checked_sub(1).map(|j| &whole[j]);
                let got = flow.prev_line(text, whole[i].start);
                prop_assert_eq!(got.as_ref(), want, "line before {}", whole[i].start);
            }
            Op::Last => {
                let got = flow.last_line(text);
                prop_assert_eq!(got.as_ref(), whole.last(), "last line");
            }
            Op::Page(at, n) => {
                let at = at % (chars + 1);
                let i = holding(&whole, at);
                let want = &whole[i..(i + n).min(whole.len())];
                prop_assert_eq!(&flow.lines_from(text, at, n)[..], want, "{} lines from {}", n, at);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn lazy_lines_are_the_whole_layouts(
        text in paragraph(), width in 1usize..=40, mode in mode(), indent: bool, tuning in tuning(), ops in ops(),
    ) {
        check_flow(&text, LayoutOptions { width, mode, indent }, tuning, &ops)?;
    }

    /// Long paragraphs of a few repeated tokens: regular text where synchronisation often fails
    /// (pure Han) or meets at once (varied words), at the default sizes and at small ones.
    #[test]
    fn lazy_lines_of_long_regular_text(
        parts in proptest::collection::vec(token(), 1..6), repeat in 50usize..400, width in 1usize..=60,
        mode in mode(), indent: bool, small in any::<bool>(), tuning in tuning(), ops in ops(),
    ) {
        let text = parts.concat().repeat(repeat);
        let tuning = if small { tuning } else { Tuning::default() };
        let ops: Vec<Op> = ops.into_iter().map(|op| match op {
            // Spread the places over the whole text.
            Op::At(a) => Op::At(a * repeat),
            Op::Next(a) => Op::Next(a * repeat),
            Op::Prev(a) => Op::Prev(a * repeat),
            Op::Page(a, n) => Op::Page(a * repeat, n),
            Op::Last => Op::Last,
        }).collect();
        check_flow(&text, LayoutOptions { width, mode, indent }, tuning, &ops)?;
    }

    /// The pager over several blocks (headline, meta, blank, paragraphs) gives the rows of the
    /// blocks laid out whole, stepping either way and paging from any place.
    #[test]
    fn pager_rows_are_the_whole_layouts(
        paras in proptest::collection::vec(paragraph(), 1..4), width in 1usize..=40, mode in mode(), indent: bool,
        steps in proptest::collection::vec((0usize..2000, -30isize..30), 1..12),
    ) {
        let mut blocks = Vec::new();
        let mut push = |kind, text: String| {
            let base = blocks.last().map_or(0, Block::end);
            blocks.push(Block { kind, text, base });
        };
        push(Kind::Title, "标题 A headline".to_string());
        push(Kind::Blank, String::new());
        for p in paras {
            push(Kind::Body, p);
        }
        let opts = LayoutOptions { width, mode, indent };
        let rows: Vec<_> =
            blocks.iter().enumerate().flat_map(|(i, b)| block_rows(b, i, width, mode, indent)).collect();
        let mut pager = Pager::new(blocks);
        pager.fit(opts);
        let len = pager.text_len();
        for (at, delta) in steps {
            let at = at % (len + 1);
            let i = rows.partition_point(|r| r.offset <= at).saturating_sub(1);
            prop_assert_eq!(pager.row_start(at), rows[i].offset);
            let j = (i as isize + delta).clamp(0, rows.len() as isize - 1) as usize;
            prop_assert_eq!(pager.step(at, delta), rows[j].offset, "{} rows from {}", delta, at);
            let n = delta.unsigned_abs() + 1;
            let (page, end) = pager.rows_from(at, n);
            prop_assert_eq!(&page[..], &rows[i..(i + n).min(rows.len())]);
            prop_assert_eq!(end, rows.get(i + n).map_or(len, |r| r.offset));
        }
        let h = rows.len().min(7);
        prop_assert_eq!(pager.last_page_start(h), rows[rows.len() - h].offset);
    }
}

/// A 1 MB paragraph of English words, now and then a long one (a name, a web address): the end
/// is found by synchronisation (layouts started in different places all break before some long
/// word that fits none of them), so opening it, going to the end and back cost a few windows,
/// never the whole paragraph; and the lines are still the whole layout's.
#[test]
fn a_huge_paragraph_is_laid_out_only_where_shown() {
    let words = [
        "the",
        "union",
        "workers'",
        "committee",
        "met",
        "on",
        "Tuesday,",
        "and",
        "a",
        "report.",
        "of",
        "to",
        "in",
        "https://www.cqgh.org/2024/report",
        "Chongqing-Federation-of-Trade-Unions",
    ];
    let mut text = String::new();
    let mut x = 7u32;
    while text.len() < 1_000_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let i = (x >> 16) as usize % 200;
        text.push_str(if i < 4 { words[13 + i % 2] } else { words[i % 13] });
        text.push(' ');
    }
    let text = text.trim_end().to_string();
    let opts = LayoutOptions { width: 76, mode: Ambiguous::Narrow, indent: true };
    let whole = layout_paragraph(&text, opts);

    let mut flow = Flow::new(&text, opts);
    assert_eq!(flow.lines_from(&text, 0, 24), whole[..24]);
    assert!(flow.prepared() < 20_000, "opening prepared {} graphemes", flow.prepared());
    let before = flow.prepared();
    assert_eq!(flow.last_line(&text).as_ref(), whole.last());
    let mut line = whole.last().unwrap().clone();
    for i in (whole.len() - 30..whole.len() - 1).rev() {
        line = flow.prev_line(&text, line.start).unwrap();
        assert_eq!(line, whole[i]);
    }
    assert!(flow.prepared() - before < 200_000, "the end prepared {} graphemes", flow.prepared() - before);
    // A resize: the same place at another width, found the same way.
    let narrow = LayoutOptions { width: 41, ..opts };
    let whole41 = layout_paragraph(&text, narrow);
    let mut flow = Flow::new(&text, narrow);
    let at = text.len() * 2 / 3;
    let want = &whole41[whole41.partition_point(|l| l.start <= at) - 1];
    assert_eq!(flow.line_at(&text, at).as_ref(), Some(want));
    assert!(flow.prepared() < 200_000, "a place deep inside prepared {} graphemes", flow.prepared());
}

/// Pure Han text keeps layouts started in different places apart, so the end is skimmed once
/// (break positions only) and every later visit is near a checkpoint.
#[test]
fn regular_han_text_is_skimmed_once_per_width() {
    let text = "重庆市总工会召开职工代表大会，".repeat(30_000);
    let opts = LayoutOptions { width: 76, mode: Ambiguous::Narrow, indent: true };
    let whole = layout_paragraph(&text, opts);
    let mut flow = Flow::new(&text, opts);
    assert_eq!(flow.last_line(&text).as_ref(), whole.last());
    let skimmed = flow.prepared();
    for at in [100_000, 300_000, 5_000, 449_999] {
        let want = &whole[whole.partition_point(|l| l.start <= at) - 1];
        assert_eq!(flow.line_at(&text, at).as_ref(), Some(want), "at {at}");
    }
    assert!(flow.prepared() - skimmed < 100_000, "later visits prepared {}", flow.prepared() - skimmed);
}
