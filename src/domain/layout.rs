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

mod window;

pub(crate) use window::Window;
use window::{break_context, run_before};

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

/// Never at line start (clreq "basic" + ASCII look-alikes), single dashes (— ― ⸺ ⸻) and the
/// full-width solidus included. "……" and "——" runs are checked as units.
fn no_start(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '：'
            | '；'
            | '！'
            | '？'
            | '）'
            | '》'
            | '〉'
            | '】'
            | '」'
            | '』'
            | '〕'
            | '”'
            | '’'
            | '·'
            | '～'
            | '－'
            | '—'
            | '―'
            | '⸺'
            | '⸻'
            | '／'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
    )
}

/// Never at line end: openers belong with what they open.
fn no_end(c: char) -> bool {
    matches!(c, '“' | '‘' | '（' | '《' | '〈' | '【' | '「' | '『' | '〔' | '(' | '[')
}

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
    /// Graphemes of the same "……"/"——" run before this one (0 outside runs).
    run_before: usize,
    /// Graphemes of the same run from this one to the run's end (1 outside runs).
    run_left: usize,
}

impl Cell {
    fn unit(self) -> Unit {
        unit_of(self.first)
    }
}

/// The "……"/"——" unit a grapheme starting with `c` belongs to.
fn unit_of(c: char) -> Unit {
    match c {
        '…' | '⋯' => Unit::Ellipsis,
        // U+2015 is what some GBK converters produce for the Chinese dash; ⸺ ⸻ are a dash
        // already doubled or tripled.
        '—' | '―' | '⸺' | '⸻' => Unit::Dash,
        _ => Unit::None,
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
    /// Splits a "……"/"——" run, but evenly: between two pairs, with at least a pair on each side
    /// (`——|——`); only when the run alone is wider than the line.
    SplitPairs = 3,
    /// Splits a "……"/"——" run anywhere: only when not even a pair fits.
    SplitUnit = 4,
    /// No boundary fits: a single grapheme wider than the line, put alone on it.
    Overflow = 5,
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

/// A place in a paragraph: byte and char offsets (a tab counts as the space it becomes: one
/// byte, one char, so the offsets are the paragraph's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub byte: usize,
    pub chr: usize,
}

/// Graphemes `from..end` of a paragraph (all of it, or a window of it), with the UAX #14
/// opportunities mapped onto their boundaries.
///
/// A window gives exactly the whole paragraph's cells, tiers and breaks for every line it can
/// finish (`next_break` answers `None` for a line that may run past the window), because:
/// - it starts at a grapheme boundary of the paragraph (a line start, or a boundary checked with
///   `GraphemeCursor`), and grapheme breaking from a boundary on finds the same clusters: the
///   rules look back only within a cluster, and regional indicators pair up from the start of
///   their run, which lies an even number of them back;
/// - it ends at a clean cut (`clean_cut`): a grapheme boundary that does not split a "……"/"——"
///   run, so every run's length and the last cell's right neighbour (not part of its run) are
///   known, and a cell's UAX #14 opportunity is decided by the text up to it, never after it;
/// - the run a window starts inside is counted back in the text before it (`run_before`);
/// - UAX #14 here is a pair-table state machine, and after a "safe pair" of classes its state
///   and its next decision no longer depend on what came before (unicode-linebreak's
///   `split_at_safe`); the opportunities are computed from the last safe pair before `from`
///   (`break_context`, or from the paragraph start), so those after `from` are the whole
///   paragraph's.
///
/// tests/layout_lazy.rs checks all of this against whole layouts of random text.
struct Prepared<'a> {
    /// The window's text (tabs as spaces); `cells[k].byte` indexes it.
    text: Cow<'a, str>,
    /// Paragraph byte offset of the window's start.
    base: usize,
    cells: Vec<Cell>,
    /// `allowed[k]`: a break before grapheme `k` is allowed by UAX #14 (as tailored).
    allowed: Vec<bool>,
    /// Char offset just past the last cell.
    end_chr: usize,
    /// The window reaches the paragraph's end: a break after its last cell ends the paragraph.
    complete: bool,
}

/// Chars with a grapheme boundary between any two of them (no rule of UAX #29 but "break
/// everywhere else" applies: none is a control, an extender, a joiner, a spacing mark, a
/// prepended mark, a Hangul jamo or a regional indicator): what Chinese and English text is
/// mostly made of, segmented without the full algorithm.
fn simple(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{3029}' | '\u{FF01}'..='\u{FF5E}') || is_han(c)
}

/// Widths of single-char graphemes (nearly all of them), remembered per char: a small
/// direct-mapped table in front of `grapheme_width`, which gives the same answer every time.
struct WidthCache {
    mode: Ambiguous,
    slots: Vec<(char, usize, bool)>,
}

impl WidthCache {
    const SIZE: usize = 1024;

    fn new(mode: Ambiguous) -> Self {
        // '\0' is a control: width 0, never mistaken for a cached entry of another char.
        WidthCache { mode, slots: vec![('\0', 0, false); Self::SIZE] }
    }

    /// (cells, wide in UAX #11 terms) of `c` alone.
    fn get(&mut self, c: char) -> (usize, bool) {
        let slot = &mut self.slots[c as usize % Self::SIZE];
        if slot.0 != c {
            let mut buf = [0; 4];
            *slot = (c, grapheme_width(c.encode_utf8(&mut buf), self.mode), c.width() == Some(2));
        }
        (slot.1, slot.2)
    }
}

fn spaces_for_tabs(s: &str) -> Cow<'_, str> {
    // Tabs are one space (the sanitizer should have done this already); same length in bytes
    // and chars, so offsets are unchanged.
    if s.contains('\t') { Cow::Owned(s.replace('\t', " ")) } else { Cow::Borrowed(s) }
}

impl<'a> Prepared<'a> {
    /// Graphemes of `par` from `from` (a grapheme boundary) to `end` (`clean_cut`, or the end).
    fn new(par: &'a str, from: Pos, end: usize, mode: Ambiguous) -> Self {
        let text = spaces_for_tabs(&par[from.byte..end]);
        let mut cells = Vec::with_capacity(text.len() / 2 + 1);
        let mut widths = WidthCache::new(mode);
        let mut chr = from.chr;
        let mut push = |byte: usize, g: &str, cells: &mut Vec<Cell>| {
            let Some(first) = g.chars().next() else { return };
            let single = first.len_utf8() == g.len();
            let (width, east_asian) =
                if single { widths.get(first) } else { (grapheme_width(g, mode), first.width() == Some(2)) };
            cells.push(Cell { byte, chr, width, first, space: g == " ", east_asian, run_before: 0, run_left: 1 });
            chr += if single { 1 } else { g.chars().count() };
        };
        // Between two `simple` chars there is always a grapheme boundary: cut there without
        // the full segmentation, which runs only on the stretches between such boundaries
        // (they start and end on boundaries, so it finds the same clusters there).
        let mut stretch = 0;
        let mut prev_simple = false;
        for (i, c) in text.char_indices() {
            let simple = simple(c);
            if prev_simple && simple && i > stretch {
                let piece = &text[stretch..i];
                if piece.len() == piece.chars().next().map_or(0, char::len_utf8) {
                    push(stretch, piece, &mut cells);
                } else {
                    for (b, g) in piece.grapheme_indices(true) {
                        push(stretch + b, g, &mut cells);
                    }
                }
                stretch = i;
            }
            prev_simple = simple;
        }
        for (b, g) in text[stretch..].grapheme_indices(true) {
            push(stretch + b, g, &mut cells);
        }
        if let Some(c) = cells.first_mut() {
            c.run_before = run_before(par, from.byte, c.unit());
        }
        for k in 1..cells.len() {
            if same_unit(cells[k - 1], cells[k]) {
                cells[k].run_before = cells[k - 1].run_before + 1;
            }
        }
        for k in (1..cells.len()).rev() {
            if same_unit(cells[k - 1], cells[k]) {
                cells[k - 1].run_left = cells[k].run_left + 1;
            }
        }

        // Both sequences are increasing: one merge pass. UAX #14 opportunities that fall inside a
        // grapheme cluster (rare: prepended marks) are ignored, a cluster is never split.
        let context = break_context(par, from.byte);
        let shift = from.byte - context;
        let wider;
        let breaks_of: &str = if shift == 0 {
            &text
        } else {
            wider = spaces_for_tabs(&par[context..end]);
            &wider
        };
        let mut allowed = vec![false; cells.len() + 1];
        let mut k = 0;
        for (byte, _) in linebreaks(breaks_of) {
            let Some(byte) = byte.checked_sub(shift) else { continue };
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
        Prepared { text, base: from.byte, cells, allowed, end_chr: chr, complete: end == par.len() }
    }

    fn byte_at(&self, k: usize) -> usize {
        self.cells.get(k).map_or(self.text.len(), |c| c.byte)
    }

    /// Where grapheme `k` (or the window's end, `k == cells.len()`) is in the paragraph.
    fn pos(&self, k: usize) -> Pos {
        match self.cells.get(k) {
            Some(c) => Pos { byte: self.base + c.byte, chr: c.chr },
            None => Pos { byte: self.base + self.text.len(), chr: self.end_chr },
        }
    }

    /// How good a break before grapheme `k` is, for a line whose last non-space grapheme is
    /// `last_visible` (`None`: the line so far is only spaces).
    fn tier(&self, k: usize, last_visible: Option<usize>) -> Tier {
        let cells = &self.cells;
        if k >= cells.len() {
            return Tier::Legal; // the paragraph end (`next_break` asks only in a complete window)
        }
        let (a, b) = (cells[k - 1], cells[k]);
        if same_unit(a, b) {
            let even = b.run_before.is_multiple_of(2) && b.run_left >= 2;
            return if even { Tier::SplitPairs } else { Tier::SplitUnit };
        }
        // Past a window's last cell comes a grapheme that does not continue its run (clean cut).
        let starts_unit = cells.get(k + 1).is_some_and(|&n| same_unit(b, n));
        // A line starting with a space means the break was taken before a space run instead of
        // after it: the space would show as a stray indent. Treat it like a prohibited start.
        let bad_start = b.space || no_start(b.first) || starts_unit;
        let bad_end = last_visible.is_some_and(|j| no_end(cells[j].first));
        if bad_start || bad_end {
            Tier::Prohibited
        } else if self.allowed[k] {
            Tier::Legal
        } else {
            Tier::Grapheme
        }
    }

    /// The best break for a line starting at grapheme `start` with `cap` cells: the last fitting
    /// break of the best tier. Scans only as far as the line can reach. `None`: the line may go
    /// on past the window's end (never in a complete window, for a `start` inside it).
    fn next_break(&self, start: usize, cap: usize) -> Option<Break> {
        let cells = &self.cells;
        if start >= cells.len() {
            return None;
        }
        let mut best: [Option<Break>; 5] = [None; 5];
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
            if k + 1 == cells.len() && !self.complete {
                return None; // what follows the window decides
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
        Some(best.into_iter().flatten().next().unwrap_or_else(|| {
            let width = cells.get(start).map_or(0, |c| c.width);
            Break { end: start + 1, visible: start + 1, width, tier: Tier::Overflow }
        }))
    }

    /// The line starting at grapheme `start`, and whether it takes the indent: the paragraph's
    /// first line does when asked, unless it already starts with U+3000 or the pane is so narrow
    /// that the indent would make its break worse (e.g. overflow, or split a word that fits
    /// without it).
    fn line_break(&self, start: usize, opts: LayoutOptions) -> Option<(Break, bool)> {
        let first = self.base == 0 && start == 0;
        if first && opts.indent && self.cells[0].first != '\u{3000}' && opts.width >= INDENT_WIDTH {
            let with = self.next_break(0, opts.width - INDENT_WIDTH)?;
            let without = self.next_break(0, opts.width)?;
            return Some(if with.tier < Tier::Overflow && with.tier <= without.tier {
                (with, true)
            } else {
                (without, false)
            });
        }
        Some((self.next_break(start, opts.width)?, false))
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
///
/// ```
/// use kanbao::domain::layout::{LayoutOptions, layout_paragraph};
/// use kanbao::domain::width::Ambiguous;
///
/// let opts = LayoutOptions { width: 10, mode: Ambiguous::Narrow, indent: false };
/// let lines = layout_paragraph("重庆市总工会召开会议。职工代表出席。", opts);
/// let rows: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
/// // Five Han characters fill 10 cells; "。" may not start a line, so "议" moves down with it.
/// assert_eq!(rows, ["重庆市总工", "会召开会", "议。职工代", "表出席。"]);
/// // `start` is the char offset of each line in the paragraph (for places and search hits).
/// assert_eq!(lines[2].start, 9);
/// assert!(lines.iter().all(|l| l.width <= 10));
/// ```
pub fn layout_paragraph(text: &str, opts: LayoutOptions) -> Vec<Line> {
    if text.is_empty() {
        return Vec::new();
    }
    let p = Prepared::new(text, Pos::default(), text.len(), opts.mode);
    let n = p.cells.len();
    let total: usize = p.cells.iter().map(|c| c.width).sum();
    let mut lines = Vec::with_capacity((total / opts.width.max(1) + 1).min(n));
    let mut start = 0;
    while start < n {
        // A whole paragraph finishes every line: never `None` here.
        let Some((brk, indent)) = p.line_break(start, opts) else { break };
        lines.push(p.line(start, brk, indent));
        start = brk.end;
    }
    lines
}
