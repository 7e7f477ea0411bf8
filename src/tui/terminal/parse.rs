//! Bytes from the terminal -> key, mouse and reply events. Pure and platform-free (fed by the
//! tty reader, and by the fuzz targets).
//!
//! Our own parser rather than crossterm's, for three reasons crossterm 0.29 cannot be worked
//! around from outside (its parser is private and has no way to flush):
//! - an incomplete sequence is never held forever: `Alt-[` then `?` or `<` looks like the start
//!   of a private CSI or an SGR mouse report, which crossterm holds, swallowing every later key
//!   (q and Ctrl-C too) until a byte that ends it. Here a sequence still incomplete
//!   [`ESC_GRACE`] after it began is taken as the keys it is made of;
//! - a control byte inside a sequence ends it: the sequence turns into keys and the control
//!   (Ctrl-C) is a key of its own;
//! - cursor position reports (the width probe's answer) are their own kind of event, never
//!   keys, and a reply split across reads is waited for while one is expected.
//!
//! Key codes follow crossterm's own parser (xterm, VT220, rxvt and kitty's basic CSI-u keys), so
//! the keymap sees the same events.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// How long an incomplete escape sequence may wait for its end. A terminal sends a sequence in
/// one write, so its bytes come together; vim's 'ttimeoutlen' is 100 ms too.
pub const ESC_GRACE: Duration = Duration::from_millis(100);

/// A control sequence longer than this is not one a terminal sends.
const MAX_SEQUENCE: usize = 64;

/// Bracketed paste: the text between these is one paste, never keys.
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
/// The most of one paste kept (the rest, up to its end, is dropped).
const MAX_PASTE: usize = 1 << 20;
/// A paste whose end never comes is taken as ended after this long without input.
pub const PASTE_IDLE: Duration = Duration::from_secs(1);

/// What the terminal sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Event(Event),
    /// A cursor position report, 0-based (column, row): the answer to the width probe.
    CursorPosition(u16, u16),
}

/// Turns a stream of bytes into [`Parsed`] events.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes not parsed yet: an incomplete sequence (or character) at the front.
    pending: Vec<u8>,
    /// When the incomplete sequence began.
    since: Option<Instant>,
    /// While a reply is expected, an incomplete sequence waits until then (a slow link may
    /// split the reply).
    hold_until: Option<Instant>,
    out: VecDeque<Parsed>,
    /// Ctrl-C keys in `out`.
    interrupts: usize,
    /// Inside a bracketed paste: its text so far, and when its last bytes came.
    paste: Option<(Vec<u8>, Instant)>,
}

/// One step over the front of the pending bytes.
enum Step {
    /// `n` bytes make this (or nothing that matters: an unknown sequence, a stray byte).
    Done(usize, Option<Parsed>),
    /// The front is the start of something longer.
    Incomplete,
}

impl Parser {
    pub const fn new() -> Parser {
        Parser { pending: Vec::new(), since: None, hold_until: None, out: VecDeque::new(), interrupts: 0, paste: None }
    }

    /// Adds bytes read at `now`, and parses every complete event in them.
    pub fn feed(&mut self, bytes: &[u8], now: Instant) {
        self.pending.extend_from_slice(bytes);
        self.parse(now, false);
    }

    /// The next event, oldest first.
    pub fn take(&mut self) -> Option<Parsed> {
        let p = self.out.pop_front()?;
        if is_interrupt(&p) {
            self.interrupts -= 1;
        }
        Some(p)
    }

    /// Events waiting to be taken.
    pub fn queued(&self) -> usize {
        self.out.len()
    }

    /// A Ctrl-C waiting anywhere in the queue, taken first: quitting must not wait for the keys
    /// of a paste or a wheel flood typed before it to be processed.
    pub fn take_interrupt(&mut self) -> Option<Event> {
        if self.interrupts == 0 {
            return None;
        }
        let at = self.out.iter().position(is_interrupt)?;
        self.interrupts -= 1;
        match self.out.remove(at)? {
            Parsed::Event(e) => Some(e),
            Parsed::CursorPosition(..) => None,
        }
    }

    /// The first cursor position report in the queue, taken out; keys stay queued, in order.
    pub fn take_cursor_position(&mut self) -> Option<(u16, u16)> {
        let at = self.out.iter().position(|p| matches!(p, Parsed::CursorPosition(..)))?;
        match self.out.remove(at)? {
            Parsed::CursorPosition(column, row) => Some((column, row)),
            Parsed::Event(_) => None,
        }
    }

    /// A reply is on its way until `until`: an incomplete sequence waits for it that long.
    pub fn expect_reply_until(&mut self, until: Instant) {
        self.hold_until = Some(until);
    }

    /// When the incomplete sequence held now (if any) is to be taken as keys.
    pub fn flush_at(&self) -> Option<Instant> {
        if let Some((_, last)) = &self.paste {
            return Some(*last + PASTE_IDLE);
        }
        let since = self.since?;
        let grace = since + ESC_GRACE;
        Some(self.hold_until.map_or(grace, |h| h.max(grace)))
    }

    /// Takes the incomplete sequence as the keys it is made of, if its time is up at `now`.
    pub fn flush_if_due(&mut self, now: Instant) {
        if self.flush_at().is_some_and(|at| at <= now) {
            if self.paste.is_some() {
                // The end marker never came: what came is the paste.
                let rest = std::mem::take(&mut self.pending);
                self.end_paste(&rest);
            }
            self.parse(now, true);
        }
    }

    /// Inside a paste: takes pending bytes into it, up to and including its end marker.
    fn take_paste(&mut self, now: Instant) {
        let Some((_, last)) = &mut self.paste else { return };
        *last = now;
        match self.pending.windows(PASTE_END.len()).position(|w| w == PASTE_END) {
            Some(end) => {
                let text: Vec<u8> = self.pending.drain(..end + PASTE_END.len()).take(end).collect();
                self.end_paste(&text);
            }
            None => {
                // Keep a possible start of the end marker for the next read.
                let keep = (1..PASTE_END.len()).rev().find(|&k| self.pending.ends_with(&PASTE_END[..k])).unwrap_or(0);
                let upto = self.pending.len() - keep;
                let text: Vec<u8> = self.pending.drain(..upto).collect();
                if let Some((buf, _)) = &mut self.paste {
                    buf.extend(text.iter().take(MAX_PASTE.saturating_sub(buf.len())));
                }
            }
        }
    }

    fn end_paste(&mut self, tail: &[u8]) {
        if let Some((mut buf, _)) = self.paste.take() {
            buf.extend(tail.iter().take(MAX_PASTE.saturating_sub(buf.len())));
            self.push(Parsed::Event(Event::Paste(String::from_utf8_lossy(&buf).into_owned())));
        }
    }

    fn parse(&mut self, now: Instant, flush: bool) {
        self.take_paste(now);
        let mut at = 0;
        while at < self.pending.len() {
            let rest = &self.pending[at..];
            if rest.starts_with(PASTE_START) {
                self.pending.drain(..at + PASTE_START.len());
                self.paste = Some((Vec::new(), now));
                self.take_paste(now);
                at = 0;
                continue;
            }
            if self.paste.is_some() {
                break;
            }
            let step = match step(rest) {
                Step::Incomplete if flush || rest.len() > MAX_SEQUENCE => as_keys(rest),
                other => other,
            };
            match step {
                Step::Done(n, parsed) => {
                    at += n;
                    if let Some(p) = parsed {
                        self.push(p);
                    }
                }
                Step::Incomplete => break,
            }
        }
        self.pending.drain(..at);
        if self.pending.is_empty() {
            self.since = None;
        } else if at > 0 || self.since.is_none() {
            self.since = Some(now);
        }
    }

    fn push(&mut self, p: Parsed) {
        if matches!(p, Parsed::CursorPosition(..)) {
            // The reply came; nothing more to wait for.
            self.hold_until = None;
        }
        if is_interrupt(&p) {
            self.interrupts += 1;
        }
        self.out.push_back(p);
    }
}

fn is_interrupt(p: &Parsed) -> bool {
    matches!(p, Parsed::Event(Event::Key(k)) if k.code == KeyCode::Char('c') && k.modifiers == KeyModifiers::CONTROL)
}

const ESC: u8 = 0x1B;

fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Parsed> {
    Some(Parsed::Event(Event::Key(KeyEvent::new(code, modifiers))))
}

fn done(n: usize, code: KeyCode, modifiers: KeyModifiers) -> Step {
    Step::Done(n, key(code, modifiers))
}

/// A character key as crossterm reports it: upper case carries Shift.
fn char_key(c: char, modifiers: KeyModifiers) -> (KeyCode, KeyModifiers) {
    let shift = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    (KeyCode::Char(c), modifiers | shift)
}

fn step(b: &[u8]) -> Step {
    match b[0] {
        ESC => escape(b),
        _ => plain(b, KeyModifiers::NONE),
    }
}

/// One key that is not an escape sequence (`modifiers` adds Alt after an ESC).
fn plain(b: &[u8], modifiers: KeyModifiers) -> Step {
    let none = KeyModifiers::NONE;
    match b[0] {
        b'\r' => done(1, KeyCode::Enter, modifiers),
        b'\t' => done(1, KeyCode::Tab, modifiers),
        0x7F => done(1, KeyCode::Backspace, modifiers),
        0 => done(1, KeyCode::Char(' '), modifiers | KeyModifiers::CONTROL),
        c @ 0x01..=0x1A => done(1, KeyCode::Char((c - 1 + b'a') as char), modifiers | KeyModifiers::CONTROL),
        c @ 0x1C..=0x1F => done(1, KeyCode::Char((c - 0x1C + b'4') as char), modifiers | KeyModifiers::CONTROL),
        ESC => done(1, KeyCode::Esc, modifiers),
        c @ 0x20..=0x7E => {
            let (code, m) = char_key(c as char, modifiers | none);
            done(1, code, m)
        }
        lead => {
            let len = match lead {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                // A continuation byte or an invalid lead: not a key.
                _ => return Step::Done(1, None),
            };
            if b.len() < len {
                // Incomplete only if what came so far can still become a character.
                return if b[1..].iter().all(|&c| (0x80..=0xBF).contains(&c)) {
                    Step::Incomplete
                } else {
                    Step::Done(1, None)
                };
            }
            match std::str::from_utf8(&b[..len]).ok().and_then(|s| s.chars().next()) {
                Some(c) => {
                    let (code, m) = char_key(c, modifiers);
                    done(len, code, m)
                }
                None => Step::Done(1, None),
            }
        }
    }
}

fn escape(b: &[u8]) -> Step {
    let Some(&second) = b.get(1) else { return Step::Incomplete };
    match second {
        b'[' => csi(b),
        b'O' => match b.get(2) {
            None => Step::Incomplete,
            Some(&f) => match ss3_key(f) {
                Some(code) => done(3, code, KeyModifiers::NONE),
                // Not SS3 after all: Alt-O, and the byte after it is a key of its own.
                None => done(2, KeyCode::Char('O'), KeyModifiers::ALT | KeyModifiers::SHIFT),
            },
        },
        // Esc typed twice (or Esc then an arrow): the first is a key; the second starts anew.
        // Esc then a control (Ctrl-C above all): two keys, never an Alt-modified control that
        // would no longer be seen as Ctrl-C.
        c if c == ESC || c < 0x20 => done(1, KeyCode::Esc, KeyModifiers::NONE),
        _ => match plain(&b[1..], KeyModifiers::ALT) {
            Step::Done(n, p) => Step::Done(n + 1, p),
            Step::Incomplete => Step::Incomplete,
        },
    }
}

fn ss3_key(f: u8) -> Option<KeyCode> {
    Some(match f {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(1 + f - b'P'),
        _ => return None,
    })
}

/// `ESC [` ... : parameters and intermediates (0x20-0x3F), then one final byte (0x40-0x7E).
fn csi(b: &[u8]) -> Step {
    // X10 mouse: ESC [ M and three raw bytes.
    if b.get(2) == Some(&b'M') {
        if b.len() < 6 {
            return Step::Incomplete;
        }
        let at = |i: usize| u16::from(b[i].saturating_sub(32));
        return Step::Done(6, mouse(at(3), at(4).saturating_sub(1), at(5).saturating_sub(1), false));
    }
    let mut i = 2;
    while i < b.len() && (0x20..=0x3F).contains(&b[i]) {
        i += 1;
    }
    match b.get(i) {
        None => Step::Incomplete,
        Some(&f) if (0x40..=0x7E).contains(&f) => Step::Done(i + 1, csi_event(&b[2..i], f)),
        // A control byte or non-ASCII inside: not a sequence. Its bytes are keys (the control
        // too: Ctrl-C must never be swallowed).
        Some(_) => as_keys(b),
    }
}

/// The front of `b` taken as typed keys: Esc, or Alt with the byte after the ESC. The bytes after
/// those are parsed afresh.
fn as_keys(b: &[u8]) -> Step {
    if b[0] != ESC {
        // An incomplete UTF-8 character: dropped.
        return Step::Done(1, None);
    }
    match b.get(1) {
        None => done(1, KeyCode::Esc, KeyModifiers::NONE),
        Some(&c @ 0x20..=0x7E) => {
            let (code, m) = char_key(c as char, KeyModifiers::ALT);
            done(2, code, m)
        }
        Some(_) => done(1, KeyCode::Esc, KeyModifiers::NONE),
    }
}

fn csi_event(params: &[u8], f: u8) -> Option<Parsed> {
    let text = std::str::from_utf8(params).ok()?;
    if let Some(sgr) = text.strip_prefix('<') {
        let n = numbers(sgr);
        return if matches!(f, b'M' | b'm') && n.len() == 3 {
            mouse(n[0], n[1].saturating_sub(1), n[2].saturating_sub(1), f == b'm')
        } else {
            None
        };
    }
    // Private replies and modes (device attributes, keyboard flags): not input.
    if text.starts_with(['?', '=', '>']) {
        return None;
    }
    let n = numbers(text);
    let modifiers = n.get(1).map_or(KeyModifiers::NONE, |&m| modifiers_of(m));
    let code = match f {
        b'R' if n.len() == 2 => return Some(Parsed::CursorPosition(n[1].saturating_sub(1), n[0].saturating_sub(1))),
        b'A' | b'B' | b'C' | b'D' | b'H' | b'F' | b'P' | b'Q' | b'R' | b'S' => ss3_key(f)?,
        b'Z' => return key(KeyCode::BackTab, KeyModifiers::SHIFT),
        b'~' => match n.first()? {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            &v @ 11..=15 => KeyCode::F((v - 10) as u8),
            &v @ 17..=21 => KeyCode::F((v - 11) as u8),
            &v @ 23..=26 => KeyCode::F((v - 12) as u8),
            _ => return None,
        },
        b'u' => match *n.first()? {
            27 => KeyCode::Esc,
            13 => KeyCode::Enter,
            9 => KeyCode::Tab,
            127 => KeyCode::Backspace,
            c => KeyCode::Char(char::from_u32(u32::from(c)).filter(|c| !c.is_control())?),
        },
        // rxvt mouse: ESC [ Cb ; Cx ; Cy M
        b'M' if n.len() == 3 => {
            return mouse(n[0].saturating_sub(32), n[1].saturating_sub(1), n[2].saturating_sub(1), false);
        }
        _ => return None,
    };
    key(code, modifiers)
}

/// `1;2;3` -> [1, 2, 3]; sub-parameters (`:`) and bad numbers count as their first part or 0.
fn numbers(text: &str) -> Vec<u16> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(';').map(|p| p.split(':').next().unwrap_or("").parse().unwrap_or(0)).collect()
}

fn modifiers_of(m: u16) -> KeyModifiers {
    let bits = m.saturating_sub(1);
    let mut mods = KeyModifiers::NONE;
    for (bit, modifier) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if bits & bit != 0 {
            mods |= modifier;
        }
    }
    mods
}

/// A mouse report: button code `cb` (xterm's encoding, without the X10 offset), 0-based cell.
fn mouse(cb: u16, column: u16, row: u16, release: bool) -> Option<Parsed> {
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [(4, KeyModifiers::SHIFT), (8, KeyModifiers::ALT), (16, KeyModifiers::CONTROL)] {
        if cb & bit != 0 {
            modifiers |= modifier;
        }
    }
    let button = |n: u16| match n {
        0 => Some(MouseButton::Left),
        1 => Some(MouseButton::Middle),
        2 => Some(MouseButton::Right),
        _ => None,
    };
    let (low, drag) = (cb & 0b11, cb & 32 != 0);
    let kind = if cb & 64 != 0 {
        match low {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if cb & 128 != 0 {
        return None;
    } else {
        match (button(low), drag, release) {
            (Some(b), false, false) => MouseEventKind::Down(b),
            (Some(b), false, true) => MouseEventKind::Up(b),
            (Some(b), true, _) => MouseEventKind::Drag(b),
            (None, true, _) => MouseEventKind::Moved,
            // X10's "some button released".
            (None, false, _) => MouseEventKind::Up(MouseButton::Left),
        }
    };
    Some(Parsed::Event(Event::Mouse(MouseEvent { kind, column, row, modifiers })))
}

#[cfg(test)]
mod tests;
