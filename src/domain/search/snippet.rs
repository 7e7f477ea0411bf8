//! A one-line snippet of a hit in its context, cut to a width in terminal cells with "…".

use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::domain::utf8::{Common, common_at};
use crate::domain::width::{Ambiguous, grapheme_width};

/// One line of text around a hit, and the chars of it to light up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// No newline, tab or control: whitespace runs are one space.
    pub text: String,
    /// Char ranges into `text`, in order, not overlapping.
    pub lit: Vec<Range<usize>>,
}

/// Chars of context looked at on each side of the hit: more than any terminal row shows.
const CONTEXT_CHARS: usize = 400;

/// Chars looked at before and after the hit.
#[derive(Clone, Copy)]
struct Context {
    before: usize,
    after: usize,
}

impl Context {
    /// As far as a snippet ever looks.
    const WIDEST: Context = Context { before: CONTEXT_CHARS, after: CONTEXT_CHARS };

    fn is_widest(self) -> bool {
        self.before.min(self.after) >= CONTEXT_CHARS
    }
}

/// The row `row(context)` lays out looking at `context` chars before and after the hit, for a
/// row of `width` cells: first a third of the row's cells and a few before it (what the row
/// shows before a hit, unless the text ends soon after) and half of them and a few after
/// (Chinese text takes two cells a char); then as many chars as the row has cells each side
/// (text with Latin); until the row says more context would not change it; at last as far as
/// ever (blank runs or zero-width marks near the hit). `kanbao grep` makes 50,000 60-cell
/// snippets for a common word: all of them at the first.
fn widening(width: usize, mut row: impl FnMut(Context) -> (Snippet, bool)) -> Snippet {
    for (before, after) in [(width / 3 + 4, width / 2 + 8), (width + 8, width + 8)] {
        if before.max(after) < CONTEXT_CHARS
            && let (s, true) = row(Context { before, after })
        {
            return s;
        }
    }
    row(Context::WIDEST).0
}

/// A display unit: a grapheme, or a run of whitespace shown as one space.
struct Unit {
    /// Chars of the source it stands for.
    chars: Range<usize>,
    /// Its bytes in the text laid out.
    bytes: Range<usize>,
    width: usize,
    /// Cells of the units before it: the cells of any run of units without adding them up
    /// (`kanbao grep` lays out 50,000 rows; each asked for the sum of a run five times).
    cells_before: usize,
    /// A run of whitespace (and controls): shown as one space.
    blank: bool,
}

impl Unit {
    /// The next unit, `cells` standing before it (counted on by its width).
    fn new(chars: Range<usize>, bytes: Range<usize>, width: usize, blank: bool, cells: &mut usize) -> Unit {
        let unit = Unit { chars, bytes, width, cells_before: *cells, blank };
        *cells += width;
        unit
    }
}

/// The cells of units `r` (up to and including the end of the list).
fn run_cells(units: &[Unit], r: Range<usize>) -> usize {
    let at = |i: usize| {
        units.get(i).map_or_else(|| units.last().map_or(0, |u| u.cells_before + u.width), |u| u.cells_before)
    };
    at(r.end) - at(r.start)
}

/// The hit `focus` (a char range of `text`) in context, at most `width` cells wide in `mode`:
/// about a third of the room before it, "…" where the text is cut. `lit` (char ranges of
/// `text`, e.g. every hit in it) marks what to light up. The hit itself is cut only when it is
/// wider than the row.
pub fn snippet(text: &str, lit: &[Range<usize>], focus: Range<usize>, width: usize, mode: Ambiguous) -> Snippet {
    widening(width, |context| snippet_within(text, lit, focus.clone(), width, mode, context))
}

/// `snippet`, looking at `context` chars before and after the hit; and whether that was
/// enough (see `lay_out`), so that more context would not change the row.
fn snippet_within(
    text: &str,
    lit: &[Range<usize>],
    focus: Range<usize>,
    width: usize,
    mode: Ambiguous,
    context: Context,
) -> (Snippet, bool) {
    let Context { before, after } = context;
    let from = focus.start.saturating_sub(before);
    let mut window = text.char_indices().skip(from);
    let Some((from_byte, _)) = window.next() else { return (Snippet::default(), true) };
    // `window` stands at char `from + 1`: stop `after` chars past the hit's end.
    let to_byte = window.nth(focus.end - from + after - 1).map_or(text.len(), |(b, _)| b);
    let cuts = (from > 0, to_byte < text.len());
    lay_out(&text[from_byte..to_byte], from, lit, focus, (width, mode, context), cuts)
}

/// `snippet` of the hit at byte range `focus` of `text` (on char boundaries), nothing lit:
/// the same row, found without counting the chars before the hit (`kanbao grep` lays out a
/// row for each of 50,000 articles, many hits deep in a long paragraph).
pub fn snippet_of_bytes(text: &str, focus: Range<usize>, width: usize, mode: Ambiguous) -> Snippet {
    widening(width, |context| snippet_of_bytes_within(text, focus.clone(), width, mode, context))
}

/// `snippet_within` for a hit given in bytes: the window's chars are counted from the hit
/// outwards.
fn snippet_of_bytes_within(
    text: &str,
    focus: Range<usize>,
    width: usize,
    mode: Ambiguous,
    context: Context,
) -> (Snippet, bool) {
    let Context { before: chars_before, after } = context;
    let (from_byte, before) = chars_back(text, focus.start, chars_before);
    if from_byte >= text.len() {
        return (Snippet::default(), true);
    }
    let to_byte = chars_on(text, focus.end, after);
    let hit = before..before + text[focus].chars().count();
    // Chars are counted from the window's start; with nothing lit, only their order matters.
    let cuts = (from_byte > 0, to_byte < text.len());
    lay_out(&text[from_byte..to_byte], 0, &[], hit, (width, mode, context), cuts)
}

/// Where the `n`-th char before byte `end` of `text` starts (or the text's start, if it has
/// fewer), and how many chars back that is. Stepped over as bytes, not decoded.
fn chars_back(text: &str, end: usize, n: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut at, mut count) = (end, 0);
    while count < n && at > 0 {
        at -= 1;
        // Continuation bytes (10xxxxxx) are inside a char; any other byte starts one.
        if (bytes[at] as i8) >= -0x40 {
            count += 1;
        }
    }
    (at, count)
}

/// The byte `n` chars after byte `start` of `text` (a char boundary), or the text's end.
fn chars_on(text: &str, start: usize, n: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    for _ in 0..n {
        let Some(&lead) = bytes.get(at) else { break };
        // A char's length, from its first byte.
        at += match lead {
            0..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
    }
    at
}

/// The row for a hit (`focus`, chars) in `window`, the part of a text that starts at char
/// `from` of it and was cut before and after as `cut_before`, `cut_after` say; and whether the
/// window was wide enough: it was if it is as far as ever, or if more text on either side
/// could not change the row. That is so when the text goes on for more than a row after the
/// hit (the row then shows at most `lead` cells before it) and more than `lead` cells before
/// it; or when more than a row's cells stand on each side where the text goes on (a text
/// that ends soon after the hit gives the rest of the row to what comes before). The first
/// unit of a cut window, and the last, are never counted: they may be part of a grapheme.
fn lay_out(
    window: &str,
    from: usize,
    lit: &[Range<usize>],
    focus: Range<usize>,
    (width, mode, context): (usize, Ambiguous, Context),
    (cut_before, cut_after): (bool, bool),
) -> (Snippet, bool) {
    let mut units = UNITS.take();
    fill_units(window, from, mode, &mut units);
    let ell = ellipsis_width(mode);

    let u0 = units.partition_point(|u| u.chars.end <= focus.start);
    let u1 = units.partition_point(|u| u.chars.start < focus.end).max(u0);
    let cells = |r: Range<usize>| run_cells(&units, r);
    let hit = cells(u0..u1);
    // Context before the hit: a third of what the hit and two ellipses leave. From the hit
    // back, as many units as fit in it: the first unit from which the rest up to the hit do.
    let lead = width.saturating_sub(hit + 2 * ell) / 3;
    let to_hit = cells(0..u0);
    let start = units[..u0].partition_point(|u| to_hit - u.cells_before > lead);
    let mut row = fit(&units, start, width, ell, cut_before, cut_after);
    if row.end == units.len() && !cut_after && row.start > 0 {
        // The text ends early: spend the rest of the row on more context before the hit.
        let mut body = cells(row.start..row.end);
        let mut s = row.start;
        while s > 0 {
            let lead = if s - 1 > 0 || cut_before { ell } else { 0 };
            if body + units[s - 1].width + lead > width {
                break;
            }
            body += units[s - 1].width;
            s -= 1;
        }
        let lead = (s > 0 || cut_before) && ell <= width;
        while lead && s < row.end && units[s].blank {
            s += 1;
        }
        row.start = s;
        row.lead = lead;
    }
    let n = units.len();
    let goes_on = cut_after && n > u1 + 1 && cells(u1..n - 1) > width;
    let enough = context.is_widest()
        || (goes_on && (!cut_before || (u0 > 1 && cells(1..u0) > lead)))
        || ((!cut_before || cells(0..u0) > width) && (!cut_after || cells(u1..n) > width));
    let out = (render(window, &units, &row, lit), enough);
    // A row of a hostile text's hit may have needed many: those are let go.
    if units.capacity() <= KEPT_UNITS {
        UNITS.set(units);
    }
    out
}

thread_local! {
    /// Each thread's units, kept from one row to the next: `kanbao grep` lays out 50,000 rows,
    /// and a row's units (a few KB) are past what the allocator keeps at hand for reuse.
    static UNITS: Cell<Vec<Unit>> = const { Cell::new(Vec::new()) };
}

/// Units kept for the next row at most: more than the widest window of plain text gives.
const KEPT_UNITS: usize = 4 * CONTEXT_CHARS;

/// The units a row shows, and whether "…" stands before and after them.
struct Row {
    start: usize,
    end: usize,
    lead: bool,
    trail: bool,
}

/// From unit `start` (whitespace after a cut skipped), as many units as fit in `width` with
/// the ellipses the cuts need.
fn fit(units: &[Unit], start: usize, width: usize, ell: usize, cut_before: bool, cut_after: bool) -> Row {
    let mut start = start;
    let lead = (start > 0 || cut_before) && ell <= width;
    if lead {
        while start < units.len() && units[start].blank {
            start += 1;
        }
    }
    let ell_before = if lead { ell } else { 0 };
    // As many units as fit after the ellipsis: up to the first that would not.
    let from = run_cells(units, 0..start);
    let mut end = start + units[start..].partition_point(|u| ell_before + u.cells_before + u.width - from <= width);
    let mut used = ell_before + run_cells(units, start..end);
    let mut trail = false;
    if end < units.len() || cut_after {
        // Room for the closing "…": give back units (and the space before it) as needed.
        while end > start && (used + ell > width || units[end - 1].blank) {
            end -= 1;
            used -= units[end].width;
        }
        trail = used + ell <= width;
    }
    Row { start, end, lead, trail }
}

/// Graphemes of `text` (whose first char is char `base` of the whole), whitespace and control
/// runs as one space, into `out`.
fn fill_units(text: &str, base: usize, mode: Ambiguous, out: &mut Vec<Unit>) {
    out.clear();
    // A unit per char of Chinese text (three bytes each).
    out.reserve(text.len() / 3 + 1);
    // Most bulletin text is Han, ASCII and CJK punctuation, where every char is a grapheme of
    // its own: no need to find cluster boundaries (`kanbao grep` makes thousands of snippets).
    // At the first char that may join others, the text is taken by graphemes instead.
    let bytes = text.as_bytes();
    let (mut i, mut at, mut cells) = (0, base, 0);
    while i < bytes.len() {
        let (len, width) = match common_at(bytes, i) {
            Some((len, Common::Ascii)) if bytes[i] != b' ' => (len, 1),
            Some((len, Common::Wide)) => (len, 2),
            Some((len, Common::Punctuation(c))) => (len, punctuation_width(c, mode)),
            // A space, newline or tab: part of a blank run, shown as one space.
            _ if matches!(bytes[i], b' ' | b'\n' | b'\t') => {
                push_blank(out, at, i..i + 1, &mut cells);
                (i, at) = (i + 1, at + 1);
                continue;
            }
            // Any other char may join those beside it.
            _ => {
                out.clear();
                return units_by_graphemes(text, base, mode, out);
            }
        };
        out.push(Unit::new(at..at + 1, i..i + len, width, false, &mut cells));
        (i, at) = (i + len, at + 1);
    }
}

/// A whitespace char (char `at`, `bytes`): a blank unit, or the end of the blank run before it.
fn push_blank(out: &mut Vec<Unit>, at: usize, bytes: Range<usize>, cells: &mut usize) {
    match out.last_mut() {
        Some(last) if last.blank => (last.chars.end, last.bytes.end) = (at + 1, bytes.end),
        _ => out.push(Unit::new(at..at + 1, bytes, 1, true, cells)),
    }
}

/// `fill_units` for any text.
fn units_by_graphemes(text: &str, base: usize, mode: Ambiguous, out: &mut Vec<Unit>) {
    let (mut at, mut cells) = (base, 0);
    for (i, g) in text.grapheme_indices(true) {
        let n = g.chars().count();
        let bytes = i..i + g.len();
        let blank = g.chars().all(|c| c.is_whitespace() || c.is_control());
        match out.last_mut() {
            Some(last) if blank && last.blank => (last.chars.end, last.bytes.end) = (at + n, bytes.end),
            _ if blank => out.push(Unit::new(at..at + n, bytes, 1, blank, &mut cells)),
            _ => out.push(Unit::new(at..at + n, bytes, grapheme_width(g, mode), blank, &mut cells)),
        }
        at += n;
    }
}

/// The cells of "…" in `mode`: asked for by every row.
fn ellipsis_width(mode: Ambiguous) -> usize {
    punctuation_width('…', mode)
}

/// `grapheme_width` of a char of general punctuation (U+2010-U+2027) or U+00B7, from a table
/// made with it once: Chinese text is full of “”—…, and measuring each took a tenth of a row.
fn punctuation_width(c: char, mode: Ambiguous) -> usize {
    static TABLE: OnceLock<[[u8; 2]; 25]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [[0; 2]; 25];
        for (i, c) in ('\u{2010}'..='\u{2027}').chain(['\u{B7}']).enumerate() {
            for (m, mode) in [Ambiguous::Narrow, Ambiguous::Wide].into_iter().enumerate() {
                // A char is at most two cells.
                table[i][m] = grapheme_width(c.encode_utf8(&mut [0; 4]), mode) as u8;
            }
        }
        table
    });
    let i = match c {
        '\u{2010}'..='\u{2027}' => c as usize - 0x2010,
        '\u{B7}' => 24,
        _ => return grapheme_width(c.encode_utf8(&mut [0; 4]), mode),
    };
    usize::from(table[i][usize::from(mode == Ambiguous::Wide)])
}

/// The row's text: the units' own bytes, a blank run as one space, "…" where cut.
fn render(window: &str, units: &[Unit], row: &Row, lit: &[Range<usize>]) -> Snippet {
    let shown = &units[row.start..row.end];
    // Sized once: at most the row's bytes (units are the window's bytes one after another; a
    // blank run takes one) and two ellipses (`kanbao grep` renders 50,000 rows).
    let span = shown.first().zip(shown.last()).map_or(0..0, |(a, z)| a.bytes.start..z.bytes.end);
    let mut out = Snippet { text: String::with_capacity(span.len() + 2 * '…'.len_utf8()), lit: Vec::new() };
    if row.lead {
        out.text.push('…');
    }
    if lit.is_empty() {
        // Nothing to light: the text is the row's bytes, each blank run one space.
        let mut run = span.start;
        for u in shown.iter().filter(|u| u.blank) {
            out.text.push_str(&window[run..u.bytes.start]);
            out.text.push(' ');
            run = u.bytes.end;
        }
        out.text.push_str(&window[run..span.end.max(run)]);
        if row.trail {
            out.text.push('…');
        }
        return out;
    }
    let mut n = usize::from(row.lead);
    let lit_at = |chars: &Range<usize>| lit.iter().any(|l| l.start < chars.end && chars.start < l.end);
    // Units between blanks are the window's bytes as they stand: copied a run at a time.
    let mut run = 0..0;
    for u in shown {
        // A unit's text is its chars, or one space.
        let len = if u.blank { 1 } else { u.chars.len() };
        if lit_at(&u.chars) {
            match out.lit.last_mut() {
                Some(l) if l.end == n => l.end = n + len,
                _ => out.lit.push(n..n + len),
            }
        }
        n += len;
        if u.blank {
            out.text.push_str(&window[run]);
            out.text.push(' ');
            run = u.bytes.end..u.bytes.end;
        } else if run.is_empty() {
            run = u.bytes.clone();
        } else {
            run.end = u.bytes.end;
        }
    }
    out.text.push_str(&window[run]);
    if row.trail {
        out.text.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stepping over chars as bytes lands where decoding them does, chars of every length.
    #[test]
    fn chars_are_stepped_over_as_decoding_them_does() {
        let text = "a职é工😀b\u{301}，\n😀😀x";
        let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        for (k, &at) in starts.iter().enumerate() {
            for n in 0..starts.len() + 2 {
                let back = k.saturating_sub(n);
                assert_eq!(chars_back(text, at, n), (starts[back], k - back), "{n} back from {at}");
                assert_eq!(chars_on(text, at, n), starts[(k + n).min(starts.len() - 1)], "{n} on from {at}");
            }
        }
    }

    /// The table of punctuation widths says what measuring each char says, in both modes.
    #[test]
    fn punctuation_widths_are_measured_ones() {
        for c in ('\u{2000}'..='\u{2030}').chain(['\u{B7}', '…', 'a', '职']) {
            for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
                assert_eq!(punctuation_width(c, mode), grapheme_width(&c.to_string(), mode), "{c:?} {mode}");
            }
        }
        assert_eq!((ellipsis_width(Ambiguous::Narrow), ellipsis_width(Ambiguous::Wide)), (1, 2));
    }

    /// The shortcut for plain text gives the units that finding grapheme boundaries gives.
    #[test]
    fn plain_text_units_are_the_graphemes() {
        let alphabet: Vec<char> = "职工会中一鿿a Z9，。、〃〇《》「」【】！（）ｚ～“”…—·‐‧\n\t  ".chars().collect();
        // Now and then a char just outside a range that `fill_units` tells from its bytes (each
        // takes the text to the general case): before U+4E00, around CJK punctuation, the
        // full-width forms and general punctuation.
        let edges = ['\u{4DFF}', '\u{3000}', '\u{3012}', '\u{FF00}', '\u{FF5F}', '\u{200F}', '\u{2028}', '\u{2030}'];
        let mut seed = 7u64;
        for _ in 0..500 {
            let mut text = String::new();
            for _ in 0..40 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let edge = (seed >> 20).is_multiple_of(64);
                text.push(if edge {
                    edges[(seed >> 33) as usize % edges.len()]
                } else {
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                });
            }
            for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
                // Chars, bytes, width, cells before, blank.
                type Parts = (Range<usize>, Range<usize>, usize, usize, bool);
                let parts = |u: Vec<Unit>| -> Vec<Parts> {
                    // Each unit's cells before it are those of the units before it.
                    let mut sum = 0;
                    for unit in &u {
                        assert_eq!(unit.cells_before, sum, "{text:?}");
                        sum += unit.width;
                    }
                    u.into_iter().map(|u| (u.chars, u.bytes, u.width, u.cells_before, u.blank)).collect()
                };
                let (mut plain, mut graphemes) = (Vec::new(), Vec::new());
                fill_units(&text, 3, mode, &mut plain);
                units_by_graphemes(&text, 3, mode, &mut graphemes);
                assert_eq!(parts(plain), parts(graphemes), "{text:?}");
            }
        }
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    /// A hit given in bytes lays out the row a hit given in chars does, nothing lit: at the
    /// start, middle and end of short and long texts, beside blank runs and combining marks.
    #[test]
    fn a_hit_in_bytes_gives_the_row_of_the_hit_in_chars() {
        let texts = [
            "工会".to_string(),
            format!("{}工会", "职工代表大会".repeat(40)),
            format!("工会{}", "召开 会议，e\u{301}".repeat(60)),
            format!("{}工会{}", "a b\t".repeat(90), "👨\u{200d}👩".repeat(20)),
            format!("{}工会{}", " ".repeat(500), "职工".repeat(500)),
        ];
        for text in &texts {
            for (at, _) in text.match_indices("工会").chain(text.match_indices('会')).chain(text.match_indices('a'))
            {
                let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
                for end in [end, (at + 6).min(text.len())] {
                    if !text.is_char_boundary(end) || end <= at {
                        continue;
                    }
                    let chars = text[..at].chars().count()..text[..end].chars().count();
                    for width in [1, 20, 60, 100, 300] {
                        for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
                            assert_eq!(
                                snippet_of_bytes(text, at..end, width, mode),
                                snippet(text, &[], chars.clone(), width, mode),
                                "{width} {mode:?} {at}..{end} {text:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// Looking at fewer chars around the hit never changes the snippet: beside a long blank
    /// run (a table laid out with spaces), combining marks or emoji sequences, a row still
    /// shows the text the whole context gives.
    #[test]
    fn a_narrow_window_shows_what_the_whole_context_shows() {
        let words = "职工代表大会召开会议".repeat(30);
        let runs = [
            " ".repeat(300),
            "\r\n".repeat(150),
            "e\u{301}".repeat(200),
            "👨\u{200d}👩\u{200d}👧".repeat(60),
            // Latin: a cell a char, more than the first window's chars fill.
            "union 2024 ".repeat(40),
            "职工 union 会议".repeat(30),
        ];
        for run in &runs {
            for (before, after) in [
                (format!("{words}{run}"), String::new()),
                (String::new(), format!("{run}{words}")),
                (run.clone(), format!("{run}结束")),
            ] {
                let text = format!("{before}工会{after}");
                let at = before.chars().count();
                for width in [20, 60, 100] {
                    for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
                        let hit = at..at + 2;
                        let lit = std::slice::from_ref(&hit);
                        let whole = snippet_within(&text, lit, hit.clone(), width, mode, Context::WIDEST).0;
                        assert_eq!(snippet(&text, lit, hit.clone(), width, mode), whole, "{width} {mode:?} {text:?}");
                    }
                }
            }
        }
        let text = format!("{words}{}工会", " ".repeat(300));
        let shown = snippet(&text, &[], 600..602, 60, Ambiguous::Narrow).text;
        assert!(shown.contains("召开会议"), "{shown}");
    }

    /// Over random texts (Chinese, Latin, blank runs, line breaks, combining marks, emoji
    /// sequences, ambiguous punctuation) with a hit anywhere: the first windows give the row
    /// the widest gives, and a hit in bytes the row of the hit in chars.
    #[test]
    fn random_texts_give_the_row_of_the_widest_window() {
        let alphabet: Vec<&str> = vec![
            "职",
            "工",
            "会",
            "议",
            "，",
            "。",
            "“",
            "”",
            "…",
            "—",
            "·",
            "Ａ",
            "a",
            "Z",
            "9",
            " ",
            " ",
            "   ",
            "\n",
            "\t",
            "e\u{301}",
            "\u{301}",
            "👨\u{200d}👩",
            "\u{200d}",
            "🇨🇳",
            "\u{fe0f}",
            "♥",
        ];
        let mut seed = 29u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n.max(1)
        };
        for _ in 0..3_000 {
            // Mostly Chinese, as bulletins are; or anything; or mostly blank runs and marks of
            // no width, where chars and cells part ways.
            let blank = ["   ", "\n", "\u{301}", "\u{200d}", "\u{fe0f}", " ", "职"];
            let kind = next(3);
            let len = next(700);
            let text: String = (0..len)
                .map(|_| match kind {
                    0 if next(4) != 0 => alphabet[next(4)],
                    1 if next(4) != 0 => blank[next(blank.len())],
                    _ => alphabet[next(alphabet.len())],
                })
                .collect();
            let chars = text.chars().count();
            if chars == 0 {
                continue;
            }
            let start = next(chars);
            let hit = start..(start + 1 + next(4)).min(chars);
            let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
            let bytes = byte(hit.start)..byte(hit.end);
            let width = [1, 8, 20, 60, 100, 200][next(6)];
            let mode = if next(2) == 0 { Ambiguous::Narrow } else { Ambiguous::Wide };
            let widest = snippet_within(&text, &[], hit.clone(), width, mode, Context::WIDEST).0;
            assert_eq!(snippet(&text, &[], hit.clone(), width, mode), widest, "{width} {mode:?} {hit:?} {text:?}");
            assert_eq!(snippet_of_bytes(&text, bytes, width, mode), widest, "{width} {mode:?} {hit:?} {text:?}");
        }
    }
}
