//! `auto` ambiguous width: ask the terminal how wide it drew one East Asian Ambiguous character,
//! as vim does for 'ambiwidth'.
//!
//! How the cursor position is asked differs by platform (`platform::cursor_position`). On Unix
//! the reply (`ESC [ row ; col R`) is read by our own reader, which parses it into a
//! cursor-position report and keeps any key typed meanwhile queued for `next_input`. We wait for
//! that report only (not for "any input": a device-attributes answer or typed text does not end
//! the wait, nor stretch it past `timeout`). A reply that comes late, or split across reads by a
//! slow link, is still recognised for a while afterwards and dropped, never seen as keys. On
//! Windows the console is asked directly.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::Print;
use crossterm::terminal::{self, Clear, ClearType};

use crate::domain::width::Ambiguous;
use crate::tui::platform;

/// The character drawn: “ is the ambiguous character bulletins use most, so its width is the one
/// that matters (a terminal may size ambiguous characters differently by font).
const PROBE_CHAR: &str = "\u{201C}";

/// The `auto` probe. Call once, right after `Tui::enter` (raw mode on, alternate screen) and before
/// the first draw. Prints “ at column 1 of the bottom row (repainted by the first frame), asks
/// where the cursor went, erases the character. Column 2 (1-based) means Narrow, 3 means Wide; no
/// answer within `timeout` (~150 ms), or a garbled one, gives None: the caller then uses Narrow.
///
/// Never blocks when stdin or stdout is not a terminal, and never waits past `timeout`; keys typed
/// meanwhile are kept.
pub fn probe_ambiguous(timeout: Duration) -> Option<Ambiguous> {
    // Without a terminal on both ends nobody answers; outside raw mode the reply would wait for
    // Enter and be echoed onto the screen.
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() || !terminal::is_raw_mode_enabled().unwrap_or(false) {
        return None;
    }
    let (_, rows) = terminal::size().ok()?;
    let row = rows.saturating_sub(1);
    let mut out = io::stdout();
    let asked = queue!(out, MoveTo(0, row), Print(PROBE_CHAR));
    let reply = if asked.is_ok() { platform::cursor_position(&mut out, timeout) } else { None };
    let _ = queue!(out, MoveTo(0, row), Clear(ClearType::CurrentLine)).and_then(|()| out.flush());
    let (column, reply_row) = reply?;
    width_from_reply(reply_row, column, row)
}

/// The probe again, for a terminal that answered it before (its answer is remembered), after
/// the first frame: one query only (`platform::cursor_position_again`). Our own query plus
/// crossterm's would leave a second reply arriving after the answer, and keys typed meanwhile
/// could then wait for the next tick. A terminal that stopped answering costs up to crossterm's
/// 2 s, once, with the reader already on screen; keys typed meanwhile are kept.
pub fn reprobe_ambiguous() -> Option<Ambiguous> {
    if !io::stdout().is_terminal() || !terminal::is_raw_mode_enabled().unwrap_or(false) {
        return None;
    }
    let (_, rows) = terminal::size().ok()?;
    let row = rows.saturating_sub(1);
    let mut out = io::stdout();
    let printed = queue!(out, MoveTo(0, row), Print(PROBE_CHAR));
    let reply = if printed.is_ok() { platform::cursor_position_again(&mut out) } else { None };
    let _ = queue!(out, MoveTo(0, row), Clear(ClearType::CurrentLine)).and_then(|()| out.flush());
    let (column, reply_row) = reply?;
    width_from_reply(reply_row, column, row)
}

/// Reads the reply (0-based, as crossterm gives it): after printing one character from the first
/// column, the cursor is at column 1 if the terminal drew it narrow, 2 if wide. A reply for
/// another row is not the answer to our question.
fn width_from_reply(reply_row: u16, reply_column: u16, probe_row: u16) -> Option<Ambiguous> {
    if reply_row != probe_row {
        return None;
    }
    match reply_column {
        1 => Some(Ambiguous::Narrow),
        2 => Some(Ambiguous::Wide),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Wire replies, 1-based, for a probe on row 5, and what crossterm turns them into (0-based).

    #[test]
    fn column_two_is_narrow() {
        // "\x1b[5;2R"
        assert_eq!(width_from_reply(4, 1, 4), Some(Ambiguous::Narrow));
    }

    #[test]
    fn column_three_is_wide() {
        // "\x1b[5;3R"
        assert_eq!(width_from_reply(4, 2, 4), Some(Ambiguous::Wide));
    }

    #[test]
    fn cursor_that_did_not_move_or_moved_too_far_is_no_answer() {
        // "\x1b[5;1R": nothing drawn (a terminal that cannot show the character).
        assert_eq!(width_from_reply(4, 0, 4), None);
        // "\x1b[5;4R": the UTF-8 bytes drawn as 3 replacement characters (a GBK or Latin-1 terminal).
        assert_eq!(width_from_reply(4, 3, 4), None);
        assert_eq!(width_from_reply(4, u16::MAX, 4), None);
    }

    #[test]
    fn reply_for_another_row_is_no_answer() {
        // "\x1b[1;2R": a stale reply, or Shift-F3 in xterm's encoding, which crossterm reads alike.
        assert_eq!(width_from_reply(0, 1, 4), None);
    }

    #[test]
    fn never_blocks_without_a_terminal() {
        // Under `cargo test` stdout is captured (not a terminal) and raw mode is off.
        // An hour's timeout: waiting at all would hang the test (tests never assert on time).
        if !io::stdout().is_terminal() || !terminal::is_raw_mode_enabled().unwrap_or(false) {
            assert_eq!(probe_ambiguous(Duration::from_secs(3600)), None);
        }
    }
}
