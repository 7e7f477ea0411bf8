//! The screen: our own previous/next buffers and a byte-lean writer, instead of ratatui's
//! `Terminal`. Two things a slow SSH link needs that ratatui 0.30 does not do:
//! - no cursor move where the cursor already is (after a wide or ambiguous-width character the
//!   terminal's cursor is two cells on; ratatui moves it anyway, ratatui#2651), and short gaps
//!   are re-printed rather than jumped over;
//! - scrolling by the terminal itself: a scroll region plus line feeds (or reverse index) moves
//!   the text, the previous buffer is shifted to match, and only the rows that came into view
//!   are painted. What the screen shows afterwards equals a full repaint, cell for cell.

use std::io::{self, Write};

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};

use crate::domain::width::{Ambiguous, str_width};

pub struct Screen<W: Write> {
    out: W,
    /// What the terminal shows now.
    prev: Buffer,
    mode: Ambiguous,
    /// Where the terminal's cursor is, when we know.
    cursor: Option<(u16, u16)>,
    /// The terminal's current colours and attributes.
    pen: Pen,
    cursor_shown: bool,
    /// The next draw starts from a cleared screen.
    cleared: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen { fg: Color::Reset, bg: Color::Reset, modifier: Modifier::empty() };

/// Gaps up to this many cells are re-printed rather than jumped (a move costs 4 to 8 bytes).
const REPRINT_GAP: u16 = 3;

impl<W: Write> Screen<W> {
    pub fn new(out: W, size: (u16, u16), mode: Ambiguous) -> Screen<W> {
        Screen {
            out,
            prev: Buffer::empty(Rect::new(0, 0, size.0, size.1)),
            mode,
            cursor: None,
            pen: PLAIN,
            cursor_shown: false,
            cleared: false,
        }
    }

    pub fn size(&self) -> (u16, u16) {
        (self.prev.area.width, self.prev.area.height)
    }

    pub fn set_mode(&mut self, mode: Ambiguous) {
        if mode != self.mode {
            self.mode = mode;
            self.invalidate();
        }
    }

    /// The next draw repaints everything (after a resize, a resume, Ctrl-L): the terminal is
    /// cleared and the previous buffer forgotten.
    pub fn invalidate(&mut self) {
        self.cleared = true;
    }

    /// Someone else wrote on row `y` and then erased it (the width probe): the terminal shows a
    /// blank row there and the cursor is somewhere else. The next draw repaints only that row.
    pub fn row_erased(&mut self, y: u16) {
        let area = self.prev.area;
        if y < area.height {
            for x in 0..area.width {
                self.prev[(x, y)] = Cell::default();
            }
        }
        self.cursor = None;
    }

    pub fn resize(&mut self, size: (u16, u16)) {
        if size != self.size() {
            self.prev = Buffer::empty(Rect::new(0, 0, size.0, size.1));
        }
        self.invalidate();
    }

    /// Renders a frame with `render` (which returns where the cursor should show, if anywhere)
    /// and writes only what changed.
    pub fn draw(&mut self, render: impl FnOnce(&mut Buffer) -> Option<Position>) -> io::Result<usize> {
        let mut next = Buffer::empty(self.prev.area);
        let cursor = render(&mut next);
        let mut bytes: Vec<u8> = Vec::with_capacity(4096);
        if self.cleared {
            // Reset the pen first so the cleared screen has the default background.
            bytes.extend_from_slice(b"\x1b[0m\x1b[H\x1b[2J");
            self.pen = PLAIN;
            self.cursor = Some((0, 0));
            // In place: a new buffer here would be a third screenful alive at once (`next`,
            // the old `prev`, the new one: 144 KB each at 100x30, the reader's peak).
            self.prev.reset();
            self.cleared = false;
        }
        let updates = self.prev.diff(&next);
        for (x, y, cell) in updates {
            self.move_to(&mut bytes, &next, x, y);
            self.set_pen(&mut bytes, cell);
            bytes.extend_from_slice(cell.symbol().as_bytes());
            self.advance(x, y, cell.symbol());
        }
        if self.pen != PLAIN {
            bytes.extend_from_slice(b"\x1b[0m");
            self.pen = PLAIN;
        }
        match cursor {
            Some(p) => {
                self.move_to(&mut bytes, &next, p.x, p.y);
                if !self.cursor_shown {
                    bytes.extend_from_slice(b"\x1b[?25h");
                    self.cursor_shown = true;
                }
            }
            None if self.cursor_shown => {
                bytes.extend_from_slice(b"\x1b[?25l");
                self.cursor_shown = false;
            }
            None => {}
        }
        self.out.write_all(&bytes)?;
        self.out.flush()?;
        self.prev = next;
        Ok(bytes.len())
    }

    /// Scrolls rows `top..=bottom` (full width) by `k` rows: positive moves the content up (the
    /// text goes forward). The terminal does the moving; the next draw paints what came into view.
    pub fn scroll(&mut self, top: u16, bottom: u16, k: i32) -> io::Result<usize> {
        let (w, h) = self.size();
        let span = i32::from(bottom) - i32::from(top) + 1;
        if k == 0 || k.abs() >= span || bottom >= h || top > bottom || self.cleared {
            return Ok(0);
        }
        let mut bytes = Vec::with_capacity(32);
        // Lines scrolled in take the current background: make it the default one.
        if self.pen != PLAIN {
            bytes.extend_from_slice(b"\x1b[0m");
            self.pen = PLAIN;
        }
        write!(bytes, "\x1b[{};{}r", top + 1, bottom + 1)?;
        // Line feed at the bottom margin / reverse index at the top: plain VT100, so every
        // terminal scrolls the region the same way.
        if k > 0 {
            write!(bytes, "\x1b[{};1H", bottom + 1)?;
            bytes.extend(std::iter::repeat_n(b'\n', k as usize));
        } else {
            write!(bytes, "\x1b[{};1H", top + 1)?;
            for _ in 0..-k {
                bytes.extend_from_slice(b"\x1bM");
            }
        }
        bytes.extend_from_slice(b"\x1b[r");
        self.cursor = None;
        self.out.write_all(&bytes)?;
        // The previous buffer follows what the terminal did.
        let rows: Vec<Vec<Cell>> =
            (top..=bottom).map(|y| (0..w).map(|x| self.prev[(x, y)].clone()).collect()).collect();
        for (i, y) in (top..=bottom).enumerate() {
            let from = i as i32 + k;
            for x in 0..w {
                self.prev[(x, y)] =
                    if (0..span).contains(&from) { rows[from as usize][x as usize].clone() } else { Cell::default() };
            }
        }
        Ok(bytes.len())
    }

    /// Moves the terminal's cursor to (x, y) by the cheapest means that is always right.
    fn move_to(&mut self, bytes: &mut Vec<u8>, next: &Buffer, x: u16, y: u16) {
        match self.cursor {
            Some((cx, cy)) if (cx, cy) == (x, y) => return,
            // A short gap of narrow cells in the current pen: print them again.
            Some((cx, cy)) if cy == y && x > cx && x - cx <= REPRINT_GAP => {
                let gap: Vec<&Cell> = (cx..x).map(|gx| &next[(gx, y)]).collect();
                if gap.iter().all(|c| self.prints_alike(c)) {
                    for c in gap {
                        bytes.extend_from_slice(c.symbol().as_bytes());
                    }
                    self.cursor = Some((x, y));
                    return;
                }
                let _ = write!(bytes, "\x1b[{}C", x - cx);
            }
            Some((cx, cy)) if cy == y && x > cx => {
                let _ = write!(bytes, "\x1b[{}C", x - cx);
            }
            Some((_, cy)) if y == cy + 1 && x == 0 => bytes.extend_from_slice(b"\r\n"),
            _ => {
                let _ = write!(bytes, "\x1b[{};{}H", y + 1, x + 1);
            }
        }
        self.cursor = Some((x, y));
    }

    /// Whether printing `cell` with the current pen shows what it should: the same style, or a
    /// space whose background and visible attributes match (a space's colour does not show).
    fn prints_alike(&self, cell: &Cell) -> bool {
        let narrow = cell.symbol().len() == 1 && str_width(cell.symbol(), self.mode) == 1;
        let seen = Modifier::UNDERLINED | Modifier::REVERSED | Modifier::CROSSED_OUT | Modifier::HIDDEN;
        narrow
            && (pen_of(cell) == self.pen
                || (cell.symbol() == " "
                    && cell.bg == self.pen.bg
                    && (cell.modifier & seen) == (self.pen.modifier & seen)))
    }

    /// Where the terminal's cursor goes after printing `symbol` at (x, y).
    fn advance(&mut self, x: u16, y: u16, symbol: &str) {
        let w = str_width(symbol, self.mode).max(1) as u16;
        let nx = x.saturating_add(w);
        // At the right margin the terminal waits to wrap: its column is no longer certain.
        self.cursor = (nx < self.prev.area.width).then_some((nx, y));
    }

    fn set_pen(&mut self, bytes: &mut Vec<u8>, cell: &Cell) {
        let want = pen_of(cell);
        if want == self.pen {
            return;
        }
        let mut codes: Vec<String> = Vec::new();
        let removed = self.pen.modifier - want.modifier;
        let mut from = self.pen;
        if !removed.is_empty() {
            codes.push("0".into());
            from = PLAIN;
        }
        for (m, code) in MODIFIER_CODES {
            if want.modifier.contains(*m) && !from.modifier.contains(*m) {
                codes.push(code.to_string());
            }
        }
        if want.fg != from.fg {
            codes.push(color_code(want.fg, false));
        }
        if want.bg != from.bg {
            codes.push(color_code(want.bg, true));
        }
        let _ = write!(bytes, "\x1b[{}m", codes.join(";"));
        self.pen = want;
    }
}

const MODIFIER_CODES: &[(Modifier, &str)] = &[
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

fn pen_of(cell: &Cell) -> Pen {
    Pen { fg: cell.fg, bg: cell.bg, modifier: cell.modifier }
}

fn color_code(c: Color, bg: bool) -> String {
    let base = if bg { 40 } else { 30 };
    match c {
        Color::Reset => (base + 9).to_string(),
        Color::Black => base.to_string(),
        Color::Red => (base + 1).to_string(),
        Color::Green => (base + 2).to_string(),
        Color::Yellow => (base + 3).to_string(),
        Color::Blue => (base + 4).to_string(),
        Color::Magenta => (base + 5).to_string(),
        Color::Cyan => (base + 6).to_string(),
        Color::Gray => (base + 7).to_string(),
        Color::DarkGray => (base + 60).to_string(),
        Color::LightRed => (base + 61).to_string(),
        Color::LightGreen => (base + 62).to_string(),
        Color::LightYellow => (base + 63).to_string(),
        Color::LightBlue => (base + 64).to_string(),
        Color::LightMagenta => (base + 65).to_string(),
        Color::LightCyan => (base + 66).to_string(),
        Color::White => (base + 67).to_string(),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::paint::paint_line;
    use ratatui::style::Style;

    fn term_of(h: u16, w: u16) -> vt100::Parser {
        vt100::Parser::new(h.try_into().unwrap(), w.try_into().unwrap(), 0)
    }

    /// A terminal to check what the bytes do: vt100 models wide cells.
    fn screen_of(parser: &mut vt100::Parser, bytes: &[u8]) -> Vec<String> {
        parser.process(bytes);
        parser.screen().rows(0, parser.screen().size().1.get()).collect()
    }

    fn lines(texts: &[String], w: u16, h: u16) -> impl FnOnce(&mut Buffer) -> Option<Position> + '_ {
        move |buf: &mut Buffer| {
            buf.set_string(0, 0, "|", Style::new());
            for (y, t) in texts.iter().enumerate().take(usize::from(h)) {
                paint_line(buf, 1, y as u16, w - 2, t, Style::new().fg(Color::Cyan), Ambiguous::Narrow);
                buf.set_string(w - 1, y as u16, "|", Style::new());
            }
            None
        }
    }

    fn frame(text: &[String], top: usize, w: u16, h: u16) -> impl FnOnce(&mut Buffer) -> Option<Position> + '_ {
        lines(&text[top..], w, h)
    }

    /// The screen a fresh full repaint of the same frame gives.
    fn fresh(text: &[String], top: usize, w: u16, h: u16, mode: Ambiguous) -> Vec<String> {
        let mut s = Screen::new(Vec::new(), (w, h), mode);
        s.invalidate();
        s.draw(frame(text, top, w, h)).unwrap();
        screen_of(&mut term_of(h, w), &s.out)
    }

    #[test]
    fn scrolling_by_the_terminal_equals_a_full_repaint() {
        let (w, h) = (30u16, 8u16);
        let text: Vec<String> = (0..40).map(|i| format!("第{i}行：中文排版“引号”……完")).collect();
        let mut s = Screen::new(Vec::new(), (w, h), Ambiguous::Narrow);
        s.invalidate();
        s.draw(frame(&text, 0, w, h)).unwrap();
        let first = std::mem::take(&mut s.out);
        // One move per row (at its start); none inside a row of wide characters.
        let shown = String::from_utf8_lossy(&first).to_string();
        assert!(shown.matches('H').count() <= usize::from(h) + 1 && !shown.contains('C'), "{shown:?}");
        let mut term = term_of(h, w);
        screen_of(&mut term, &first);
        let mut top = 0usize;
        for step in [1i32, 1, 3, -2, 5, -1, 7, -7, 2] {
            top = (top as i32 + step) as usize;
            s.scroll(0, h - 1, step).unwrap();
            s.draw(frame(&text, top, w, h)).unwrap();
            let bytes = std::mem::take(&mut s.out);
            if step.abs() == 1 {
                // One row of text (about 60 bytes) plus the scroll itself.
                assert!(bytes.len() < 110, "a one-line scroll sent {} bytes", bytes.len());
            }
            assert_eq!(
                screen_of(&mut term, &bytes),
                fresh(&text, top, w, h, Ambiguous::Narrow),
                "after scrolling by {step}"
            );
        }
    }

    #[test]
    fn a_partial_region_scroll_leaves_the_rest_alone() {
        let (w, h) = (20u16, 6u16);
        let text: Vec<String> = (0..20).map(|i| format!("行{i}")).collect();
        let header = |buf: &mut Buffer, top: usize| {
            buf.set_string(0, 0, "HEAD", Style::new());
            for y in 1..h - 1 {
                paint_line(buf, 0, y, w, &text[top + usize::from(y)], Style::new(), Ambiguous::Narrow);
            }
            buf.set_string(0, h - 1, format!("FOOT {top}"), Style::new());
            None
        };
        let mut s = Screen::new(Vec::new(), (w, h), Ambiguous::Narrow);
        s.invalidate();
        s.draw(|b| header(b, 0)).unwrap();
        let mut term = term_of(h, w);
        screen_of(&mut term, &std::mem::take(&mut s.out));
        s.scroll(1, h - 2, 2).unwrap();
        s.draw(|b| header(b, 2)).unwrap();
        let got = screen_of(&mut term, &std::mem::take(&mut s.out));
        let mut full = Screen::new(Vec::new(), (w, h), Ambiguous::Narrow);
        full.invalidate();
        full.draw(|b| header(b, 2)).unwrap();
        assert_eq!(got, screen_of(&mut term_of(h, w), &full.out));
    }

    #[test]
    fn styles_are_set_once_per_run_and_reset_at_the_end() {
        let mut s = Screen::new(Vec::new(), (10, 1), Ambiguous::Narrow);
        s.draw(|b| {
            b.set_string(0, 0, "ab", Style::new().fg(Color::Cyan));
            b.set_string(2, 0, "cd", Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD));
            b.set_string(4, 0, "ef", Style::new());
            None
        })
        .unwrap();
        let out = String::from_utf8(s.out).unwrap();
        assert_eq!(out, "\x1b[1;1H\x1b[36mab\x1b[1mcd\x1b[0mef");
    }
}
