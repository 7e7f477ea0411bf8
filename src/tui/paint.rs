//! Painting already laid-out lines into ratatui's buffer, so that the terminal shows every
//! grapheme in the column the layout counted.
//!
//! ratatui measures with `unicode-width`'s `width()`: an East Asian Ambiguous glyph (“ ” … — ·)
//! is 1 cell to it, but 2 on a terminal in `wide` mode. Such a glyph is painted in one cell and
//! the cell after it is marked [`CellDiffOption::Skip`] (what the deprecated `Cell::set_skip`
//! sets in ratatui 0.30.2): ratatui's diff never writes under the glyph's right half, so the next
//! update needs a cursor move and lands where the terminal expects it.
//!
//! Also handled here: a wide glyph is never cut at a pane edge (a space instead), emoji sequences
//! the same skip mark (ratatui#2651), and [`clear_popup_edges`] removes wide glyphs cut by a
//! popup's edge (ratatui#2526).

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

use crate::domain::sanitize::MAX_GRAPHEME_CHARS;
use crate::domain::width::{Ambiguous, grapheme_width, paint_parts, str_width, truncate};

/// Paints `text` (one already laid-out line; no newlines) at (x, y), using at most `max_width`
/// cells; returns the cells used.
///
/// Widths are `grapheme_width(g, mode)`. In Wide mode an ambiguous grapheme (`is_ambiguous`:
/// 1 cell to ratatui, 2 on the terminal) takes its cell plus a skip-marked one. A grapheme that
/// would cross `x + max_width` or the buffer's right edge is not painted: its cells up to the
/// edge become spaces in `style`, and nothing after it is painted. Zero-width graphemes join the
/// cell before them; control characters are dropped (a tab counts as a space).
pub fn paint_line(buf: &mut Buffer, x: u16, y: u16, max_width: u16, text: &str, style: Style, mode: Ambiguous) -> u16 {
    paint_spans(buf, x, y, max_width, &[(text, style)], mode)
}

/// [`paint_line`] for several styled pieces (search-match highlights), painted one after another
/// within the same `max_width`.
pub fn paint_spans(buf: &mut Buffer, x: u16, y: u16, max_width: u16, spans: &[(&str, Style)], mode: Ambiguous) -> u16 {
    let mut painter = Painter::new(buf, x, y, max_width, mode);
    for &(text, style) in spans {
        painter.span(text, style);
    }
    painter.finish()
}

/// One-line cells (list titles, the status line): `text` cut to `width` cells with "…" when cut
/// ([`truncate`]), the rest of the `width` cells filled with spaces in `style`.
pub fn paint_cell(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style, mode: Ambiguous) {
    let cut = truncate(text, usize::from(width), mode);
    let mut painter = Painter::new(buf, x, y, width, mode);
    painter.span(&cut, style);
    while painter.x < painter.limit {
        blank(&mut painter.buf[(painter.x, painter.y)], style);
        painter.x += 1;
    }
}

/// Call before drawing a popup over `area`. A wide glyph that one of the area's side edges cuts
/// in two becomes spaces (in the glyph's style), so that after the popup closes the diff has a
/// change to emit and repaints it whole: otherwise the terminal, which lost the glyph when the
/// popup wrote over one half, keeps a blank or half glyph there (ratatui#2526).
///
/// Glyphs with skip marks (Wide-mode ambiguous glyphs, VS16 emoji) under the popup are blanked
/// too: `set_symbol` keeps a cell's skip mark, so a popup drawn without `Clear` would otherwise
/// be invisible in those cells.
pub fn clear_popup_edges(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    for y in area.top()..area.bottom() {
        // What a cell belongs to is only known from the left: walk the whole row glyph by glyph.
        let mut x = buf.area.left();
        while x < buf.area.right() {
            let end = glyph_end(buf, x, y);
            let cut = |edge: u16| x < edge && edge < end;
            let under = x < area.right() && end > area.left();
            let marked = (x..end).any(|k| is_skip(&buf[(k, y)]));
            if cut(area.left()) || cut(area.right()) || (under && marked) {
                let style = buf[(x, y)].style();
                for k in x..end {
                    blank(&mut buf[(k, y)], style);
                }
            }
            x = end;
        }
    }
}

/// Paints graphemes left to right on one row, never at or past `limit`.
struct Painter<'a> {
    buf: &'a mut Buffer,
    y: u16,
    start: u16,
    /// Next free column.
    x: u16,
    limit: u16,
    mode: Ambiguous,
    /// Column of the last grapheme painted: a following zero-width grapheme joins it.
    base: Option<u16>,
}

impl<'a> Painter<'a> {
    fn new(buf: &'a mut Buffer, x: u16, y: u16, max_width: u16, mode: Ambiguous) -> Self {
        let area = buf.area;
        let inside = (area.top()..area.bottom()).contains(&y) && (area.left()..area.right()).contains(&x);
        let limit = if inside { x.saturating_add(max_width).min(area.right()) } else { x };
        Painter { buf, y, start: x, x, limit, mode, base: None }
    }

    fn span(&mut self, text: &str, style: Style) {
        // ZWJ, skin-tone and VS16 sequences are painted as their parts (`paint_parts`): some
        // terminals join them into one glyph, others draw each part, so only the parts are the
        // same width everywhere (and `grapheme_width` counts them that way).
        let parts = text.graphemes(true).flat_map(paint_parts);
        for g in parts {
            // Tabs should be spaces already; if one slips through, keep the 1 cell it was counted as.
            let g = if g == "\t" { " " } else { g };
            // A terminal obeys controls; bidi controls would reorder what it shows.
            if g.chars().any(|c| c.is_control() || is_bidi_control(c)) {
                continue;
            }
            let w = u16::try_from(grapheme_width(g, self.mode)).unwrap_or(u16::MAX);
            if w == 0 {
                self.join(g);
            } else if w > self.limit - self.x {
                // Never half a glyph at the edge: blank the cells it would have started in. The
                // row is then full, so nothing after it is painted.
                while self.x < self.limit {
                    blank(&mut self.buf[(self.x, self.y)], style);
                    self.x += 1;
                }
                self.base = None;
            } else {
                self.put(g, w, style);
            }
        }
    }

    /// Paints grapheme `g`, `w` terminal cells wide, at the next free column.
    fn put(&mut self, g: &str, w: u16, style: Style) {
        let (x, y) = (self.x, self.y);
        // What ratatui's diff will assume the cell covers.
        let rw = g.cell_width().max(1);
        let cell = &mut self.buf[(x, y)];
        cell.set_symbol(g).set_style(style);
        // Narrower than ratatui thinks (e.g. "ｶﾞ": ratatui adds a cell for the sound mark that
        // unicode-width already counts): make its diff step over only `w` cells.
        let option = match NonZeroU16::new(w) {
            Some(w) if w.get() < rw => CellDiffOption::ForcedWidth(w),
            _ => CellDiffOption::None,
        };
        set_option(cell, option);
        for k in 1..w {
            let tail = &mut self.buf[(x + k, y)];
            // Hidden behind the glyph: reset, as `Buffer::set_stringn` does.
            tail.reset();
            if k >= rw {
                // Beyond what ratatui knows the glyph covers (an ambiguous glyph in Wide mode):
                // its diff must never write here.
                tail.set_style(style).set_diff_option(CellDiffOption::Skip);
            }
        }
        self.base = Some(x);
        self.x = x + w;
    }

    /// Appends a zero-width grapheme to the cell of the grapheme before it, when that changes
    /// nothing the diff looks at (our width, ratatui's, VS16: see `put`); otherwise, or with
    /// nothing before it, drops it.
    fn join(&mut self, g: &str) {
        let Some(bx) = self.base else {
            return;
        };
        let cell = &mut self.buf[(bx, self.y)];
        // A cell holds a bounded grapheme (the loader caps them; this keeps any other text from
        // making each join copy and measure an ever longer cell: quadratic).
        if cell.symbol().chars().nth(MAX_GRAPHEME_CHARS - 1).is_some() {
            return;
        }
        let old = cell.symbol().to_string();
        let joined = format!("{old}{g}");
        let same = str_width(&joined, self.mode) == str_width(&old, self.mode)
            && joined.cell_width() == old.cell_width()
            && !g.contains('\u{FE0F}');
        if same {
            cell.set_symbol(&joined);
        }
    }

    /// Cells used. A skip mark right after the painted text belonged to a glyph it overwrote;
    /// alone it would hide whatever is painted there later, so it goes.
    fn finish(self) -> u16 {
        if self.x > self.start {
            let mut k = self.x;
            while k < self.limit && is_skip(&self.buf[(k, self.y)]) {
                let cell = &mut self.buf[(k, self.y)];
                cell.set_symbol(" ");
                set_option(cell, CellDiffOption::None);
                k += 1;
            }
        }
        self.x - self.start
    }
}

/// A plain space in `style`: no skip mark, no forced width.
fn blank(cell: &mut Cell, style: Style) {
    cell.set_symbol(" ").set_style(style);
    set_option(cell, CellDiffOption::None);
}

/// Sets the diff option and clears the deprecated `skip` flag, which would otherwise still make
/// the diff skip a cell whose option is `None`.
#[allow(deprecated)]
fn set_option(cell: &mut Cell, option: CellDiffOption) {
    cell.set_diff_option(option);
    cell.skip = false;
}

/// The same test as ratatui's diff.
#[allow(deprecated)]
fn is_skip(cell: &Cell) -> bool {
    matches!(cell.diff_option, CellDiffOption::Skip) || (cell.skip && cell.diff_option == CellDiffOption::None)
}

/// One past the last column the glyph starting at `x` covers on the terminal: its ratatui width,
/// plus any skip-marked cells after it.
fn glyph_end(buf: &Buffer, x: u16, y: u16) -> u16 {
    let right = buf.area.right();
    let mut end = x.saturating_add(buf[(x, y)].cell_width().max(1)).min(right);
    while end < right && is_skip(&buf[(end, y)]) {
        end += 1;
    }
    end
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A test-only terminal screen: applies ratatui's diff the way ratatui 0.30.2's
/// `CrosstermBackend::draw` sends it and a terminal in the given ambiguous-width mode executes it.
#[cfg(test)]
pub(crate) mod vterm {
    use ratatui::buffer::{Buffer, Cell};
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier};
    use unicode_width::UnicodeWidthChar;

    use crate::domain::width::{Ambiguous, is_east_asian_ambiguous};

    /// One screen column.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum Col {
        /// Where a glyph starts; `width` columns, this one included.
        Glyph { symbol: String, width: u16, fg: Color, bg: Color, modifier: Modifier },
        /// Covered by the wide glyph to its left.
        Covered,
    }

    impl Col {
        fn blank() -> Self {
            Col::Glyph { symbol: " ".into(), width: 1, fg: Color::Reset, bg: Color::Reset, modifier: Modifier::empty() }
        }
    }

    /// Cells a terminal (tmux, xterm; with -cjk_width in Wide) advances for `symbol`: the sum
    /// over its code points (a skin-tone modifier 2, a joiner or variation selector 0), every East
    /// Asian Ambiguous one 2 in Wide.
    pub(crate) fn term_width(symbol: &str, mode: Ambiguous) -> usize {
        symbol
            .chars()
            .map(|c| match c.width().unwrap_or(0) {
                1 if mode == Ambiguous::Wide && is_east_asian_ambiguous(c) => 2,
                w => w,
            })
            .sum()
    }

    /// What a screen in `mode` should show for `buf`, in the shape of [`VTerm::screen`]: each
    /// glyph where its cell is, "" for the columns it covers on this terminal (whatever the
    /// buffer holds there: see [`hidden`]).
    pub(crate) fn intended(buf: &Buffer, mode: Ambiguous) -> Vec<Vec<String>> {
        let area = buf.area;
        (area.top()..area.bottom())
            .map(|y| {
                walk(buf, y, mode).into_iter().map(|(_, s, covered)| if covered { String::new() } else { s }).collect()
            })
            .collect()
    }

    /// Non-blank cells that a wide glyph to their left covers on a terminal in `mode`: the screen
    /// can never show them. Our painting must leave none; ratatui's `Paragraph` leaves stale
    /// symbols under its own wide glyphs (harmless), so don't expect this empty after widgets.
    pub(crate) fn hidden(buf: &Buffer, mode: Ambiguous) -> Vec<(u16, u16, String)> {
        let area = buf.area;
        (area.top()..area.bottom())
            .flat_map(|y| {
                walk(buf, y, mode)
                    .into_iter()
                    .filter(|(_, s, covered)| *covered && s != " ")
                    .map(move |(x, s, _)| (x, y, s))
            })
            .collect()
    }

    /// Row `y` cell by cell: (x, symbol, covered by the glyph before it on the terminal).
    fn walk(buf: &Buffer, y: u16, mode: Ambiguous) -> Vec<(u16, String, bool)> {
        let mut cells = Vec::with_capacity(usize::from(buf.area.width));
        let mut covered = 0;
        for x in buf.area.left()..buf.area.right() {
            let symbol = buf[(x, y)].symbol();
            if covered > 0 {
                covered -= 1;
                cells.push((x, symbol.to_string(), true));
                continue;
            }
            covered = term_width(symbol, mode).saturating_sub(1);
            cells.push((x, symbol.to_string(), false));
        }
        cells
    }

    /// The screen plus the copy of ratatui's previous buffer that the next diff is taken against
    /// (as `Terminal` keeps it).
    #[derive(Debug, Clone)]
    pub(crate) struct VTerm {
        mode: Ambiguous,
        area: Rect,
        rows: Vec<Vec<Col>>,
        cursor: (u16, u16),
        prev: Buffer,
        overflows: Vec<(u16, u16, String)>,
    }

    impl VTerm {
        /// A blank screen of `width` x `height`; `mode` is how this terminal draws ambiguous glyphs.
        pub(crate) fn new(width: u16, height: u16, mode: Ambiguous) -> Self {
            let area = Rect::new(0, 0, width, height);
            VTerm {
                mode,
                area,
                rows: vec![vec![Col::blank(); usize::from(width)]; usize::from(height)],
                cursor: (0, 0),
                prev: Buffer::empty(area),
                overflows: Vec::new(),
            }
        }

        /// A blank screen with `buf` drawn on it: what a full repaint (after `Terminal::clear`) shows.
        pub(crate) fn fresh(buf: &Buffer, mode: Ambiguous) -> Self {
            let mut vt = VTerm::new(buf.area.width, buf.area.height, mode);
            vt.draw(buf);
            vt
        }

        /// One frame: applies `prev.diff(next)` (what `Terminal::flush` sends), then keeps `next`
        /// as the previous buffer. `next` must have the screen's size at (0, 0): pass
        /// `terminal.draw(..)?.buffer` or a `Buffer::empty(Rect::new(0, 0, w, h))` painted by hand.
        pub(crate) fn draw(&mut self, next: &Buffer) {
            assert_eq!(next.area, self.area, "frame size differs from the screen's");
            let prev = std::mem::replace(&mut self.prev, next.clone());
            let updates = prev.diff(next);
            self.apply(updates);
        }

        /// Executes a list of updates as `CrosstermBackend::draw` (ratatui 0.30.2) emits them: a
        /// `MoveTo` only when the cell is not at (last x + 1, same y), whatever the width of the
        /// last symbol printed; then the symbol, which advances the cursor by its width on this
        /// terminal ([`term_width`]).
        pub(crate) fn apply<'a>(&mut self, updates: impl IntoIterator<Item = (u16, u16, &'a Cell)>) {
            let mut last: Option<(u16, u16)> = None;
            for (x, y, cell) in updates {
                if !matches!(last, Some((lx, ly)) if x == lx + 1 && y == ly) {
                    self.cursor = (x, y);
                }
                last = Some((x, y));
                self.print(cell);
            }
        }

        fn print(&mut self, cell: &Cell) {
            let symbol = cell.symbol();
            let width = u16::try_from(term_width(symbol, self.mode)).unwrap_or(u16::MAX);
            let (x, y) = self.cursor;
            if width == 0 {
                return; // a combining sequence alone: draws nothing we track, cursor stays
            }
            if y >= self.area.height || u32::from(x) + u32::from(width) > u32::from(self.area.width) {
                // A real terminal would wrap to the next line (or clip): record it as a fault.
                self.overflows.push((x, y, symbol.to_string()));
                self.cursor.0 = self.area.width;
                return;
            }
            // Writing over any part of a wide glyph erases all of it, as terminals do.
            for k in x..x + width {
                self.erase_glyph_at(k, y);
            }
            let row = &mut self.rows[usize::from(y)];
            row[usize::from(x)] =
                Col::Glyph { symbol: symbol.to_string(), width, fg: cell.fg, bg: cell.bg, modifier: cell.modifier };
            for k in x + 1..x + width {
                row[usize::from(k)] = Col::Covered;
            }
            self.cursor.0 = x + width;
        }

        fn erase_glyph_at(&mut self, x: u16, y: u16) {
            let row = &mut self.rows[usize::from(y)];
            let mut lead = usize::from(x);
            while lead > 0 && row[lead] == Col::Covered {
                lead -= 1;
            }
            let width = match &row[lead] {
                Col::Glyph { width, .. } => usize::from(*width),
                Col::Covered => 1,
            };
            for col in row.iter_mut().skip(lead).take(width) {
                *col = Col::blank();
            }
        }

        /// The columns of row `y`.
        pub(crate) fn row(&self, y: u16) -> &[Col] {
            &self.rows[usize::from(y)]
        }

        /// Row `y` one entry per column: the glyph's symbol where it starts, "" where covered.
        pub(crate) fn cols(&self, y: u16) -> Vec<&str> {
            self.row(y)
                .iter()
                .map(|c| match c {
                    Col::Glyph { symbol, .. } => symbol.as_str(),
                    Col::Covered => "",
                })
                .collect()
        }

        /// Every row as [`cols`](Self::cols): compare two screens, or a screen with
        /// [`intended`], with this.
        pub(crate) fn screen(&self) -> Vec<Vec<String>> {
            (0..self.area.height).map(|y| self.cols(y).into_iter().map(String::from).collect()).collect()
        }

        /// Row `y` as the eye reads it (covered columns add nothing).
        pub(crate) fn text(&self, y: u16) -> String {
            self.cols(y).concat()
        }

        /// The symbol starting at column `x` of row `y` (None where covered).
        pub(crate) fn symbol_at(&self, x: u16, y: u16) -> Option<&str> {
            match self.row(y).get(usize::from(x))? {
                Col::Glyph { symbol, .. } => Some(symbol),
                Col::Covered => None,
            }
        }

        /// The first column of row `y` where `symbol` starts.
        pub(crate) fn column_of(&self, symbol: &str, y: u16) -> Option<u16> {
            self.cols(y).iter().position(|s| *s == symbol).and_then(|p| u16::try_from(p).ok())
        }

        /// Glyphs that did not fit at the right margin (a real terminal would have wrapped them).
        pub(crate) fn overflows(&self) -> &[(u16, u16, String)] {
            &self.overflows
        }
    }
}

#[cfg(test)]
mod tests;
