//! The one place that waits for keys: [`next_input`] reads the tty itself (non-blocking, after a
//! `poll(2)` that also watches the signal pipe) and parses with our own parser (`parse.rs`).
//!
//! Why not crossterm's reader: it reads 1 KB per wake-up from an edge-triggered epoll and returns
//! as soon as it has one event, so a burst of more than 1 KB (a paste, a wheel flood) waits in the
//! kernel until the next key (crossterm#1057, unmerged); it holds incomplete sequences forever
//! (see `parse.rs`); and on a dead pty it retries `read()` forever (crossterm#793). Here every
//! read drains what is waiting, quit signals are looked at between reads, and a tty that hangs up
//! ends the loop.

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossterm::event::Event;

use super::parse::{Parsed, Parser};
use super::watch::{Ready, Watch, watch};

/// At most this much is read per call: a flood of input cannot keep the loop from looking at
/// signals and the clock.
const READ_PER_CALL: usize = 256 * 1024;
/// Events queued beyond this are not read further until the loop catches up (memory bound).
const MAX_QUEUED: usize = 1 << 20;
/// How long after the width probe gives up a late (or split) reply is still expected.
const LATE_REPLY: Duration = Duration::from_secs(2);

/// What the event loop gets from [`next_input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key, mouse or resize event.
    Event(Event),
    /// The timeout passed and nothing happened (or another thread called [`wake`]).
    Tick,
    /// We were stopped (Ctrl-Z, or `kill -STOP`) and now run again: the shell has had the
    /// terminal; set it up again and repaint.
    Resumed,
    /// Time to save and quit. Sticky: every later call says the same.
    Quit(QuitReason),
}

/// Why [`next_input`] says [`Input::Quit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitReason {
    /// SIGINT, SIGTERM or SIGHUP (the number).
    Signal(i32),
    /// The pty closed, SSH dropped, or the terminal's input hit EOF or an error.
    TerminalGone,
}

fn parser() -> MutexGuard<'static, Parser> {
    static PARSER: Mutex<Parser> = Mutex::new(Parser::new());
    // Only the main thread reads; the lock is never contended, and a panic elsewhere must not
    // make it unusable.
    PARSER.lock().unwrap_or_else(|e| e.into_inner())
}

/// Set by `wake`: the loop has work from another thread.
static APP_WAKE: AtomicBool = AtomicBool::new(false);

/// Makes a waiting `next_input` return (as a `Tick`) now: for results from other threads.
pub fn wake() {
    APP_WAKE.store(true, SeqCst);
    if let Some(w) = watch() {
        w.wake();
    }
}

/// Waits up to `timeout` for the next input. Never spins, never blocks in a read. A quit signal
/// gives `Quit(Signal)`, a terminal that went away `Quit(TerminalGone)`, and a Ctrl-C typed
/// anywhere in what has been read comes before the keys queued ahead of it.
pub fn next_input(timeout: Duration) -> Input {
    let Some(w) = watch() else {
        return Input::Quit(QuitReason::TerminalGone);
    };
    let deadline = Instant::now().checked_add(timeout);
    loop {
        if let Some(signal) = w.quit_signal() {
            return Input::Quit(QuitReason::Signal(signal));
        }
        if w.resumed.swap(false, SeqCst) {
            return Input::Resumed;
        }
        if w.gone.load(SeqCst) || fill(w).is_err() {
            return terminal_gone(w);
        }
        {
            let mut p = parser();
            p.flush_if_due(Instant::now());
            if let Some(ctrl_c) = p.take_interrupt() {
                return Input::Event(ctrl_c);
            }
            while let Some(parsed) = p.take() {
                match parsed {
                    Parsed::Event(e) => return Input::Event(e),
                    // A reply that came after the probe gave up: not a key.
                    Parsed::CursorPosition(..) => {}
                }
            }
        }
        if w.winch.swap(false, SeqCst)
            && let Ok((columns, rows)) = super::size()
        {
            return Input::Event(Event::Resize(columns, rows));
        }
        let now = Instant::now();
        // Wake up for the deadline, or to flush an incomplete sequence when its grace ends.
        let flush_at = parser().flush_at();
        let until = match (deadline, flush_at) {
            (Some(d), Some(f)) => Some(d.min(f)),
            (d, f) => d.or(f),
        };
        if deadline.is_some_and(|d| d <= now) {
            return Input::Tick;
        }
        match w.wait(until.map(|u| u.saturating_duration_since(now))) {
            Ready::Gone => return terminal_gone(w),
            Ready::Woken => {
                w.drain_wake();
                if APP_WAKE.swap(false, SeqCst) {
                    return Input::Tick;
                }
            }
            Ready::Input | Ready::Interrupted | Ready::Timeout => {}
        }
    }
}

/// Input the loop has not taken yet (queued events, or bytes waiting on the tty): the loop
/// skips drawing frames nobody would see.
pub fn input_pending() -> bool {
    parser().queued() > 0 || watch().is_some_and(Watch::readable)
}

/// For the width probe: waits up to `timeout` for a cursor position report, 0-based (column,
/// row). Keys typed meanwhile stay queued for `next_input`. After the wait a late or split reply
/// is still expected for a while, so it is never taken for keys.
pub(crate) fn await_cursor_position(timeout: Duration) -> Option<(u16, u16)> {
    let w = watch()?;
    let start = Instant::now();
    parser().expect_reply_until(start + timeout + LATE_REPLY);
    let deadline = start + timeout;
    loop {
        if w.quit_signal().is_some() || w.gone.load(SeqCst) || fill(w).is_err() {
            return None;
        }
        if let Some(position) = parser().take_cursor_position() {
            return Some(position);
        }
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        match w.wait(Some(left)) {
            Ready::Gone => return None,
            // The flags keep what a signal meant; next_input acts on them (a `wake` from
            // another thread stays set for next_input too).
            Ready::Woken => w.drain_wake(),
            Ready::Input | Ready::Interrupted | Ready::Timeout => {}
        }
    }
}

/// Reads everything the tty has now (up to `READ_PER_CALL`) into the parser. Err: it is gone.
fn fill(w: &Watch) -> Result<(), ()> {
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    while total < READ_PER_CALL && parser().queued() < MAX_QUEUED {
        match w.read_tty(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                parser().feed(&buf[..n], Instant::now());
                total += n;
            }
            Err(_) => return Err(()),
        }
    }
    Ok(())
}

fn terminal_gone(w: &Watch) -> Input {
    w.gone.store(true, SeqCst);
    Input::Quit(QuitReason::TerminalGone)
}

/// Clears a pending SIGCONT (after our own Ctrl-Z, which sets up the terminal itself).
pub(super) fn take_resumed() -> bool {
    watch().is_some_and(|w| w.resumed.swap(false, SeqCst))
}
