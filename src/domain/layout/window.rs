//! Windows of a paragraph: where a window may start and end so that its lines are the whole
//! paragraph's (see `Prepared`), and the window `flow` lays out from.

use unicode_linebreak::split_at_safe;
use unicode_segmentation::GraphemeCursor;

use super::{LayoutOptions, Line, Pos, Prepared, Unit, spaces_for_tabs, unit_of};
use crate::domain::width::Ambiguous;

/// Graphemes of `unit` right before byte `at` of the paragraph: the part of a "……"/"——" run
/// that lies before a window starting inside it.
pub(super) fn run_before(par: &str, at: usize, unit: Unit) -> usize {
    if unit == Unit::None {
        return 0;
    }
    let mut cursor = GraphemeCursor::new(at, par.len(), true);
    let (mut n, mut end) = (0, at);
    while let Ok(Some(start)) = cursor.prev_boundary(par, 0) {
        if par[start..end].chars().next().map(unit_of) != Some(unit) {
            break;
        }
        n += 1;
        end = start;
    }
    n
}

/// The first place at or after byte `at` where a window may end: a grapheme boundary of the
/// paragraph that does not split a "……"/"——" run (or the paragraph's end).
fn clean_cut(par: &str, at: usize) -> usize {
    let len = par.len();
    let mut cut = at.min(len);
    while !par.is_char_boundary(cut) {
        cut += 1;
    }
    loop {
        if cut >= len {
            return len;
        }
        // `par` is the whole chunk, so the cursor never asks for more context; were it to,
        // the paragraph's end is always a safe answer.
        let mut cursor = GraphemeCursor::new(cut, len, true);
        match cursor.is_boundary(par, 0) {
            Ok(true) => {}
            Ok(false) => {
                cut = match cursor.next_boundary(par, 0) {
                    Ok(Some(b)) => b,
                    _ => return len,
                };
                continue;
            }
            Err(_) => return len,
        }
        let Ok(Some(prev)) = cursor.prev_boundary(par, 0) else { return cut };
        let unit = |b: usize| par[b..].chars().next().map_or(Unit::None, unit_of);
        if unit(prev) == Unit::None || unit(prev) != unit(cut) {
            return cut;
        }
        cut += par[cut..].chars().next().map_or(1, char::len_utf8);
    }
}

/// A byte offset at or before `from` from which UAX #14 finds the whole paragraph's break
/// opportunities at every position after `from`: just before the last safe pair of classes
/// (`split_at_safe`) in the text before `from`, looking further back while there is none (a
/// long run of spaces or marks), else the paragraph's start.
pub(super) fn break_context(par: &str, from: usize) -> usize {
    let mut back = 64;
    while back < from {
        let mut lo = from - back;
        while !par.is_char_boundary(lo) {
            lo -= 1;
        }
        let before = spaces_for_tabs(&par[lo..from]);
        // `split_at_safe` keeps one char before the safe pair; an empty first half may also
        // mean "none found", so it counts as none.
        let (prev, _) = split_at_safe(&before);
        if !prev.is_empty() {
            return lo + prev.len();
        }
        back *= 4;
    }
    0
}

/// A window of a paragraph at or after one of its line starts, laid out line by line: what
/// `flow` resumes from, so that a huge paragraph is laid out only where it is shown. Lines
/// from a window are the whole layout's lines (see `Prepared`).
pub(crate) struct Window<'a>(Prepared<'a>);

impl<'a> Window<'a> {
    /// `par` must not hold tabs (`flow` replaces them first): a tab is segmented and broken
    /// differently from the space it becomes, and the cuts here look at `par` itself.
    ///
    /// Graphemes of `par` from `from` (a grapheme boundary: a line start, or any boundary for
    /// `flow`'s synchronisation) to a clean cut at least `want` bytes on.
    pub(crate) fn new(par: &'a str, from: Pos, want: usize, mode: Ambiguous) -> Self {
        let end = clean_cut(par, from.byte.saturating_add(want.max(1)));
        Window(Prepared::new(par, from, end, mode))
    }

    /// Graphemes in the window.
    pub(crate) fn len(&self) -> usize {
        self.0.cells.len()
    }

    /// The window reaches the paragraph's end.
    pub(crate) fn complete(&self) -> bool {
        self.0.complete
    }

    /// Where grapheme `k` starts (`k == len()`: the window's end).
    pub(crate) fn pos(&self, k: usize) -> Pos {
        self.0.pos(k)
    }

    /// Cells grapheme `k` takes, and whether it is a space (spaces hang past a line's end).
    pub(crate) fn cell(&self, k: usize) -> (usize, bool) {
        let c = self.0.cells[k];
        (c.width, c.space)
    }

    /// Where the next line starts if a line starts at grapheme `k` (`None`: past the window).
    pub(crate) fn line_end(&self, k: usize, opts: LayoutOptions) -> Option<usize> {
        self.0.line_break(k, opts).map(|(brk, _)| brk.end)
    }

    /// The line starting at grapheme `k`, and where the next one starts (`None`: past the window).
    pub(crate) fn line(&self, k: usize, opts: LayoutOptions) -> Option<(Line, usize)> {
        let (brk, indent) = self.0.line_break(k, opts)?;
        Some((self.0.line(k, brk, indent), brk.end))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    /// Text where context matters: brackets and quotes before spaces (UAX #14 LB14/LB15), dash
    /// and ellipsis runs, flags (regional indicator pairs), marks, joiners, tabs, numbers.
    fn text() -> impl Strategy<Value = String> {
        let pick = |set: &'static [&'static str]| proptest::sample::select(set).prop_map(|s: &str| s.to_string());
        let token = prop_oneof![
            pick(&["中", "文", "a", "bc", "1", "2.5", "%", "$"]),
            pick(&["(", "( ", "“ ", "” ", "\" ", "[ ", ") ", "] ", "、", "，", "。", "“", "”", "（", "）"]),
            pick(&["…", "……", "—", "——", "⸺", "― "]),
            pick(&["🇨", "🇨🇳", "e\u{301}", "\u{301}", "\u{200d}", "👨\u{200d}👩", "\u{200b}", "\u{a0}", "-", "/"]),
            pick(&[" ", "  ", "\t", " \t "]),
        ];
        proptest::collection::vec(token, 1..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

        /// A window from any grapheme boundary to any clean cut holds exactly the whole
        /// paragraph's cells and break opportunities (but at its first cell, whose opportunity
        /// is never asked: a line never ends before it starts).
        #[test]
        fn a_window_is_a_slice_of_the_whole(par in text(), a in 0usize..200, b in 0usize..200, wide: bool) {
            // Windows are cut from text without tabs (`Flow` replaces them: a tab and a space
            // are segmented differently), as the whole layout sees it.
            let par = par.replace('\t', " ");
            let mode = if wide { Ambiguous::Wide } else { Ambiguous::Narrow };
            let whole = Prepared::new(&par, Pos::default(), par.len(), mode);
            let bounds: Vec<usize> = par.grapheme_indices(true).map(|(i, _)| i).collect();
            prop_assert_eq!(bounds.len(), whole.cells.len());
            let k0 = a % bounds.len();
            let from = Pos { byte: bounds[k0], chr: whole.cells[k0].chr };
            let end = clean_cut(&par, from.byte + b % (par.len() - from.byte + 1));
            let win = Prepared::new(&par, from, end, mode);
            prop_assert_eq!(win.complete, end == par.len());
            for (k, c) in win.cells.iter().enumerate() {
                let w = &whole.cells[k0 + k];
                prop_assert_eq!(
                    (win.base + c.byte, c.chr, c.width, c.first, c.space, c.east_asian, c.run_before, c.run_left),
                    (w.byte, w.chr, w.width, w.first, w.space, w.east_asian, w.run_before, w.run_left),
                    "cell {} of a window from {:?} to {}", k, from, end
                );
                if k > 0 {
                    prop_assert_eq!(win.allowed[k], whole.allowed[k0 + k], "break before cell {} from {:?}", k, from);
                }
            }
            prop_assert_eq!(win.pos(win.cells.len()), whole.pos(k0 + win.cells.len()));
        }
    }
}
