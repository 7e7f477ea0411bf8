//! The terminal edge of the TUI: entering and leaving full-screen mode (also on panic, on Ctrl-Z
//! and after any stop), its size, and the submodules that read keys and wait for signals.
//!
//! - [`next_input`], the one place that waits for keys, is the platform's (`tui::platform`): on
//!   Unix our own reader over the tty and a signal pipe, on Windows crossterm's console backend;
//! - `parse`: bytes -> events (pure, platform-free; the Unix reader's parser);
//! - `output`: [`TtyOut`], stdout that waits for a slow terminal.

mod output;
pub mod parse;

use std::io::{self, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::Duration;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste};
use crossterm::queue;
use crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};

pub use output::TtyOut;

use super::platform;
pub use super::platform::{Input, QuitReason};
use super::screen::Screen;
use crate::domain::width::Ambiguous;

/// Waits up to `timeout` for the next input (see `platform` for how, on each system). Never
/// spins; a quit request gives `Quit(Signal)`, a terminal that went away `Quit(TerminalGone)`.
pub fn next_input(timeout: Duration) -> Input {
    platform::next_input(timeout)
}

/// Makes a waiting `next_input` return (as a `Tick`) now: for results from other threads.
pub fn wake() {
    platform::wake();
}

/// Input the loop has not taken yet (queued events, or bytes waiting on the terminal): the loop
/// skips drawing frames nobody would see.
pub fn input_pending() -> bool {
    platform::input_pending()
}

/// The largest screen drawn, in cells. A terminal may claim 65535x65535 (a buffer of 200 GB);
/// beyond this the reader draws in the top-left part.
pub const MAX_COLUMNS: u16 = 1000;
pub const MAX_ROWS: u16 = 500;

/// A size as the reader uses it: at least 1x1, at most [`MAX_COLUMNS`] x [`MAX_ROWS`].
pub fn capped(size: (u16, u16)) -> (u16, u16) {
    (size.0.clamp(1, MAX_COLUMNS), size.1.clamp(1, MAX_ROWS))
}

/// The terminal's size, [`capped`].
pub fn size() -> io::Result<(u16, u16)> {
    terminal::size().map(capped)
}

/// The full-screen terminal. Dropping it restores the terminal.
pub struct Tui {
    pub screen: Screen<TtyOut>,
    mouse: bool,
}

// What we changed on the terminal, kept globally so `leave`, `Drop` and the panic hook each undo
// exactly that, once. Each flag is set before the change is made, so a half-done `enter` is undone.
static RAW_ON: AtomicBool = AtomicBool::new(false);
static ALT_ON: AtomicBool = AtomicBool::new(false);
static CURSOR_HIDDEN: AtomicBool = AtomicBool::new(false);
static MOUSE_ON: AtomicBool = AtomicBool::new(false);
/// Bracketed paste is on (turned off again on the way out).
static PASTE_ON: AtomicBool = AtomicBool::new(false);

impl Tui {
    /// Raw mode, alternate screen (cleared), hidden cursor, wheel mouse if `mouse`, bracketed paste
    /// on (where the platform has it); installs (once) a panic hook that restores the terminal
    /// before the message is printed. Also starts watching for quit requests (signals, SIGWINCH and
    /// SIGCONT; on Windows, console events) and the terminal going away (see `platform`).
    pub fn enter(mouse: bool) -> io::Result<Tui> {
        install_panic_hook();
        if let Err(why) = platform::start_watch() {
            return Err(io::Error::other(format!("cannot read keys from the terminal: {why}")));
        }
        let mut screen = Screen::new(TtyOut::new(), size()?, Ambiguous::Narrow);
        screen.invalidate();
        let tui = Tui { screen, mouse };
        // On error `tui` is dropped, and Drop restores whatever was already switched on.
        setup(mouse)?;
        Ok(tui)
    }

    /// Restores the terminal: mouse off, normal screen, cursor shown, raw mode off. Idempotent, and
    /// also done by Drop and by the panic hook. On a dead terminal the writes fail; the error is
    /// returned but every step is still tried.
    pub fn leave(&mut self) -> io::Result<()> {
        restore()
    }

    /// Ctrl-Z (a key in raw mode): restore the terminal, stop, and after `fg` enter again and
    /// repaint everything on the next draw.
    pub fn suspend(&mut self) -> io::Result<()> {
        if !platform::JOB_CONTROL {
            return Ok(()); // Windows: no job control; Ctrl-Z does nothing
        }
        self.leave()?;
        platform::stop_job();
        // Running again (SIGCONT): the shell has used the screen and reset the modes.
        setup(self.mouse)?;
        // The SIGCONT that woke us is handled here already.
        let _ = platform::take_resumed();
        self.redraw()
    }

    /// After a stop we did not ask for (`kill -STOP`, then `fg`): the shell has put the tty back
    /// to cooked mode with echo and left the alternate screen. Set everything up again.
    pub fn resume(&mut self) -> io::Result<()> {
        // crossterm remembers raw mode as on and would do nothing: forget it first (this puts
        // back the original modes, which the shell has done anyway).
        if RAW_ON.swap(false, SeqCst) {
            let _ = terminal::disable_raw_mode();
        }
        setup(self.mouse)?;
        self.redraw()
    }

    /// Makes the next `draw` repaint every cell (after a resume, or for Ctrl-L), at the
    /// terminal's current size. No query goes to the terminal (a round trip on a slow link).
    pub fn redraw(&mut self) -> io::Result<()> {
        self.screen.resize(size()?);
        self.screen.invalidate();
        Ok(())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.leave();
    }
}

fn setup(mouse: bool) -> io::Result<()> {
    RAW_ON.store(true, SeqCst);
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    ALT_ON.store(true, SeqCst);
    // Cleared so that the screen matches ratatui's empty "previous" buffer, whatever the terminal
    // keeps on its alternate screen.
    queue!(out, EnterAlternateScreen, Clear(ClearType::All))?;
    CURSOR_HIDDEN.store(true, SeqCst);
    queue!(out, Hide)?;
    // Bracketed paste: a paste arrives as one text (typed whole into a prompt), never as keys
    // that would each run a command.
    if platform::BRACKETED_PASTE {
        PASTE_ON.store(true, SeqCst);
        queue!(out, EnableBracketedPaste)?;
    }
    if mouse {
        MOUSE_ON.store(true, SeqCst);
        platform::enable_mouse(&mut out)?;
    }
    // One flush: on a slow link, one packet.
    out.flush()?;
    platform::set_stdin_nonblocking();
    Ok(())
}

fn restore() -> io::Result<()> {
    platform::restore_stdin();
    let mut out = io::stdout();
    let mut result = Ok(());
    if MOUSE_ON.swap(false, SeqCst) {
        keep_first_error(&mut result, queue!(out, DisableMouseCapture));
    }
    if PASTE_ON.swap(false, SeqCst) {
        keep_first_error(&mut result, queue!(out, DisableBracketedPaste));
    }
    if ALT_ON.swap(false, SeqCst) {
        keep_first_error(&mut result, queue!(out, LeaveAlternateScreen));
    }
    if CURSOR_HIDDEN.swap(false, SeqCst) {
        keep_first_error(&mut result, queue!(out, Show));
    }
    keep_first_error(&mut result, out.flush());
    if RAW_ON.swap(false, SeqCst) {
        keep_first_error(&mut result, terminal::disable_raw_mode());
    }
    result
}

fn keep_first_error(result: &mut io::Result<()>, step: io::Result<()>) {
    if result.is_ok() {
        *result = step;
    }
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Restore first, so the message lands on the normal screen with normal line ends.
            let _ = restore();
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_capped_to_a_sane_buffer() {
        assert_eq!(capped((65535, 65535)), (MAX_COLUMNS, MAX_ROWS));
        assert_eq!(capped((0, 0)), (1, 1));
        assert_eq!(capped((80, 24)), (80, 24));
    }
}
