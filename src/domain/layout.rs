//! Chinese line breaking for the terminal: one paragraph + width + ambiguous-width mode -> lines.
//!
//! Rules (see shared/cjk-layout.md): UAX #14 break opportunities (unicode-linebreak, pinned), plus a
//! break between any two Han chars and around Chinese quotes, minus the clreq line-start/line-end
//! prohibitions and the "……"/"——" units, filled greedily (first fit). Ratatui only paints the result.
//!
//! When a line has no legal break that fits, the fallbacks are tried in this order, so that the
//! rules give way in order of how visible the damage is:
//! 1. any grapheme boundary that keeps the prohibitions (a long URL or word is cut);
//! 2. any boundary that keeps "……"/"——" whole (punctuation at a line start or end);
//! 3. any boundary (only when a "……"/"——" run is itself wider than the line);
//! 4. one grapheme alone, overflowing (only when a single grapheme is wider than the line, e.g. a
//!    Han char at width 1): the one case where `Line::width` can exceed the requested width.

use std::borrow::Cow;

use unicode_linebreak::linebreaks;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use super::han::is_han;
use super::width::{Ambiguous, grapheme_width};

/// How to lay a paragraph out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayoutOptions {
    /// Available cells per line.
    pub width: usize,
    /// How the terminal draws East Asian Ambiguous characters.
    pub mode: Ambiguous,
    /// Start the first line with two U+3000 (unless the paragraph already starts with U+3000).
    pub indent: bool,
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Char offset in the source paragraph where this line's text starts (the added indent is not
    /// part of the source: line 0 starts at 0).
    pub start: usize,
    /// The line as painted: source text (tabs as spaces), plus the indent on line 0 when added.
    pub text: String,
    /// Cells the text takes in the layout's mode.
    pub width: usize,
}

/// The first-line indent: two ideographic spaces (never trimmed, unlike ratatui's wrapper).
const INDENT: &str = "\u{3000}\u{3000}";
/// U+3000 is 2 cells in both modes (see `grapheme_width`).
const INDENT_WIDTH: usize = 4;

/// Never at line start (clreq "basic" + ASCII look-alikes). "……" and "——" are checked as pairs.
const NO_START: &[char] = &[
    '、', '，', '。', '：', '；', '！', '？', '）', '》', '〉', '】', '」', '』', '〕', '”', '’', '·', '～', '－', ',',
    '.', ';', ':', '!', '?', ')',
];

/// Never at line end: openers belong with what they open.
const NO_END: &[char] = &['“', '‘', '（', '《', '〈', '【', '「', '『', '〔', '(', '['];

/// One grapheme cluster of the paragraph.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// Byte offset in the (tab-normalised) paragraph.
    byte: usize,
    /// Char offset in the paragraph.
    chr: usize,
    /// Cells in the layout's mode.
    width: usize,
    /// First char: all the rules below look at it.
    first: char,
    /// An ASCII space (or a tab, already turned into one): may hang past a line end and be dropped.
    space: bool,
    /// Wide/fullwidth in UAX #11 terms (Han, kana, full-width punctuation...): "Chinese context".
    east_asian: bool,
}

impl Cell {
    fn unit(self) -> Unit {
        match self.first {
            '…' | '⋯' => Unit::Ellipsis,
            // U+2015 is what some GBK converters produce for the Chinese dash.
            '—' | '―' => Unit::Dash,
            _ => Unit::None,
        }
    }
}

/// "……" and "——" (and longer runs) are one unit: never split, never at line start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    None,
    Ellipsis,
    Dash,
}

fn same_unit(a: Cell, b: Cell) -> bool {
    a.unit() != Unit::None && a.unit() == b.unit()
}

fn opening_quote(c: char) -> bool {
    matches!(c, '“' | '‘')
}

fn closing_quote(c: char) -> bool {
    matches!(c, '”' | '’')
}

/// Quality of a break, best first. The greedy pass takes the last fitting break of the best tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// UAX #14 (as tailored) allows it and no Chinese rule forbids it.
    Legal = 0,
    /// Inside a word/number (UAX #14 says no) but no Chinese rule is broken: the long-URL case.
    Grapheme = 1,
    /// Punctuation at a line start or end: only when nothing better fits.
    Prohibited = 2,
    /// Splits a "……"/"——" run: only when the run alone is wider than the line.
    SplitUnit = 3,
    /// No boundary fits: a single grapheme wider than the line, put alone on it.
    Overflow = 4,
}

/// A chosen line: graphemes `start..end` of which `start..visible` are kept (the rest are
/// trailing ASCII spaces, dropped at the break).
#[derive(Debug, Clone, Copy)]
struct Break {
    end: usize,
    visible: usize,
    width: usize,
    tier: Tier,
}

/// The paragraph cut into graphemes, with the UAX #14 opportunities mapped onto their boundaries.
struct Prepared<'a> {
    text: Cow<'a, str>,
    cells: Vec<Cell>,
    /// `allowed[k]`: a break before grapheme `k` is allowed by UAX #14 (as tailored).
    allowed: Vec<bool>,
}

impl<'a> Prepared<'a> {
    fn new(source: &'a str, mode: Ambiguous) -> Self {
        // Tabs are one space (the sanitizer should have done this already); same length in bytes
        // and chars, so offsets are unchanged.
        let text: Cow<'a, str> =
            if source.contains('\t') { Cow::Owned(source.replace('\t', " ")) } else { Cow::Borrowed(source) };
        let mut cells = Vec::with_capacity(text.len() / 2 + 1);
        let mut chr = 0;
        for (byte, g) in text.grapheme_indices(true) {
            let Some(first) = g.chars().next() else {
                continue;
            };
            cells.push(Cell {
                byte,
                chr,
                width: grapheme_width(g, mode),
                first,
                space: g == " ",
                east_asian: first.width() == Some(2),
            });
            chr += g.chars().count();
        }

        // Both sequences are increasing: one merge pass. UAX #14 opportunities that fall inside a
        // grapheme cluster (rare: prepended marks) are ignored, a cluster is never split.
        let mut allowed = vec![false; cells.len() + 1];
        let mut k = 0;
        for (byte, _) in linebreaks(&text) {
            while k < cells.len() && cells[k].byte < byte {
                k += 1;
            }
            if k == cells.len() {
                break;
            }
            if cells[k].byte == byte {
                allowed[k] = true;
            }
        }
        for k in 1..cells.len() {
            let (a, b) = (cells[k - 1], cells[k]);
            // Rule 2: between any two Han chars, whatever UAX #14 thinks of their neighbours.
            // Quotes: UAX #14 (Unicode 15.0, LB19) never breaks beside “ ” ‘ ’, which glues whole
            // Chinese clauses together; like Unicode 15.1's LB19a, allow a break before an opening
            // quote and after a closing one in a Chinese context.
            if (is_han(a.first) && is_han(b.first))
                || (opening_quote(b.first) && (a.east_asian || closing_quote(a.first)))
                || (closing_quote(a.first) && (b.east_asian || opening_quote(b.first)))
            {
                allowed[k] = true;
            }
        }
        Prepared { text, cells, allowed }
    }

    fn byte_at(&self, k: usize) -> usize {
        self.cells.get(k).map_or(self.text.len(), |c| c.byte)
    }

    /// How good a break before grapheme `k` is, for a line whose last non-space grapheme is
    /// `last_visible` (`None`: the line so far is only spaces).
    fn tier(&self, k: usize, last_visible: Option<usize>) -> Tier {
        let cells = &self.cells;
        if k >= cells.len() {
            return Tier::Legal; // the paragraph end
        }
        let (a, b) = (cells[k - 1], cells[k]);
        if same_unit(a, b) {
            return Tier::SplitUnit;
        }
        let starts_unit = cells.get(k + 1).is_some_and(|&n| same_unit(b, n));
        // A line starting with a space means the break was taken before a space run instead of
        // after it: the space would show as a stray indent. Treat it like a prohibited start.
        let bad_start = b.space || NO_START.contains(&b.first) || starts_unit;
        let bad_end = last_visible.is_some_and(|j| NO_END.contains(&cells[j].first));
        if bad_start || bad_end {
            Tier::Prohibited
        } else if self.allowed[k] {
            Tier::Legal
        } else {
            Tier::Grapheme
        }
    }

    /// The best break for a line starting at grapheme `start` with `cap` cells: the last fitting
    /// break of the best tier. Scans only as far as the line can reach.
    fn next_break(&self, start: usize, cap: usize) -> Break {
        let cells = &self.cells;
        let mut best: [Option<Break>; 4] = [None; 4];
        let mut cum = 0; // width of start..=k
        let mut visible_width = 0; // width up to the last non-space
        let mut last_visible = None;
        for (k, cell) in cells.iter().enumerate().skip(start) {
            let next = cum + cell.width;
            // Trailing spaces hang (they are dropped at the break), so only a non-space can end
            // the scan; zero-width graphemes never do.
            if !cell.space && next > cap {
                break;
            }
            cum = next;
            if !cell.space {
                visible_width = cum;
                last_visible = Some(k);
            }
            let (visible, width) = match last_visible {
                Some(j) => (j + 1, visible_width),
                // A line of nothing but spaces keeps them: never an empty line.
                None => (k + 1, cum),
            };
            if width > cap {
                continue;
            }
            let tier = self.tier(k + 1, last_visible);
            best[tier as usize] = Some(Break { end: k + 1, visible, width, tier });
        }
        best.into_iter().flatten().next().unwrap_or_else(|| {
            let width = cells.get(start).map_or(0, |c| c.width);
            Break { end: start + 1, visible: start + 1, width, tier: Tier::Overflow }
        })
    }

    fn line(&self, start: usize, brk: Break, indent: bool) -> Line {
        let body = &self.text[self.byte_at(start)..self.byte_at(brk.visible)];
        let (text, width) =
            if indent { (format!("{INDENT}{body}"), brk.width + INDENT_WIDTH) } else { (body.to_string(), brk.width) };
        Line { start: self.cells[start].chr, text, width }
    }
}

/// Lays out one paragraph. With `indent`, the first line starts with two U+3000 (not part of the
/// source, so `start` of line 0 is 0 and the indent is not counted in offsets) unless the paragraph
/// already starts with U+3000, or the pane is so narrow that the indent would make the first
/// line's break worse (e.g. overflow, or split a word that fits without it).
///
/// Every line is at most `opts.width` cells, except a single grapheme wider than that, alone on
/// its line (e.g. a Han char at width 1). An empty paragraph gives no lines. Joining the lines
/// (minus the indent), with the ASCII spaces dropped at breaks and at the paragraph end restored,
/// gives back the paragraph (tabs as spaces).
pub fn layout_paragraph(text: &str, opts: LayoutOptions) -> Vec<Line> {
    if text.is_empty() {
        return Vec::new();
    }
    let p = Prepared::new(text, opts.mode);
    let n = p.cells.len();
    let total: usize = p.cells.iter().map(|c| c.width).sum();
    let mut lines = Vec::with_capacity((total / opts.width.max(1) + 1).min(n));
    let mut start = 0;

    if opts.indent && p.cells[0].first != '\u{3000}' && opts.width >= INDENT_WIDTH {
        let with = p.next_break(0, opts.width - INDENT_WIDTH);
        if with.tier < Tier::Overflow && with.tier <= p.next_break(0, opts.width).tier {
            lines.push(p.line(0, with, true));
            start = with.end;
        }
    }
    while start < n {
        let brk = p.next_break(start, opts.width);
        lines.push(p.line(start, brk, false));
        start = brk.end;
    }
    lines
}
