//! The terminal edge of the TUI: entering and leaving full-screen mode (also on panic, on Ctrl-Z
//! and after any stop), its size, and the submodules that read keys and wait for signals.
//!
//! - `input`: [`next_input`], the one place that waits for keys (our own reader and parser);
//! - `parse`: bytes -> events (pure, platform-free);
//! - `watch`: the tty, signal flags and the wake-up pipe (unix);
//! - `output`: [`TtyOut`], stdout that waits for a slow terminal.
//!
//! Unix only for now (the reader runs on the server); the platform parts are `watch`, the raw
//! fd handling in `set_stdin_nonblocking` and `output::wait_writable`.

mod input;
mod output;
pub mod parse;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering::SeqCst};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste};
use crossterm::queue;
use crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};

pub(crate) use input::await_cursor_position;
pub use input::{Input, QuitReason, input_pending, next_input, wake};
pub use output::TtyOut;

use super::screen::Screen;
use crate::domain::width::Ambiguous;

/// Wheel-only mouse reporting: normal tracking (1000) in SGR encoding (1006). crossterm's
/// `EnableMouseCapture` also asks for every pointer motion (1003): a flood on a slow SSH link.
const WHEEL_MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";

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
    /// on; installs (once) a panic hook that restores the terminal before the message is printed.
    /// Also registers the quit signals, SIGWINCH and SIGCONT (see `watch`).
    pub fn enter(mouse: bool) -> io::Result<Tui> {
        install_panic_hook();
        if let Err(why) = watch::watch_or_error() {
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
        self.leave()?;
        // Stop the whole process group, as a shell expects of a job (vim does the same). In an
        // orphaned group (no job-control shell above us) the kernel drops SIGTSTP: we go on at once.
        // SAFETY: kill(2) takes plain integers and touches no memory of ours.
        unsafe { libc::kill(0, libc::SIGTSTP) };
        // Running again (SIGCONT): the shell has used the screen and reset the modes.
        setup(self.mouse)?;
        // The SIGCONT that woke us is handled here already.
        let _ = input::take_resumed();
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
    PASTE_ON.store(true, SeqCst);
    queue!(out, EnableBracketedPaste)?;
    if mouse {
        MOUSE_ON.store(true, SeqCst);
        out.write_all(WHEEL_MOUSE_ON)?;
    }
    // One flush: on a slow link, one packet.
    out.flush()?;
    set_stdin_nonblocking();
    Ok(())
}

/// The original flags of stdin's open file, while we have made it non-blocking (-1: not).
static STDIN_FLAGS: AtomicI32 = AtomicI32::new(-1);

/// Our reader reads until "would block"; on a blocking stdin a read would wait for the next key,
/// deaf to quit signals. stdout usually shares the open file, so all output goes through
/// `TtyOut`, which waits for the terminal instead of failing with "would block". Done again
/// after a stop: the shell may have made the file blocking meanwhile.
fn set_stdin_nonblocking() {
    if !io::stdin().is_terminal() {
        return;
    }
    // SAFETY: fcntl on fd 0 with plain integer flags.
    unsafe {
        let flags = libc::fcntl(libc::STDIN_FILENO, libc::F_GETFL);
        if flags >= 0 && flags & libc::O_NONBLOCK == 0 {
            STDIN_FLAGS.store(flags, SeqCst);
            libc::fcntl(libc::STDIN_FILENO, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

/// Gives stdin back its flags: the shell shares that open file and expects blocking reads.
fn restore_stdin_blocking() {
    let flags = STDIN_FLAGS.swap(-1, SeqCst);
    if flags >= 0 {
        // SAFETY: fcntl on fd 0 with the flags it had before.
        unsafe { libc::fcntl(libc::STDIN_FILENO, libc::F_SETFL, flags) };
    }
}

fn restore() -> io::Result<()> {
    restore_stdin_blocking();
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
