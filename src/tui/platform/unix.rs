//! Unix: the one place that waits for keys. [`next_input`] reads the tty itself (non-blocking,
//! after a `poll(2)` that also watches the signal pipe, see `watch`) and parses with our own
//! parser (`terminal::parse`); crossterm only draws.
//!
//! Why not crossterm's reader: it reads 1 KB per wake-up from an edge-triggered epoll and returns
//! as soon as it has one event, so a burst of more than 1 KB (a paste, a wheel flood) waits in the
//! kernel until the next key (crossterm#1057, unmerged); it holds incomplete sequences forever
//! (see `parse.rs`); and on a dead pty it retries `read()` forever (crossterm#793). Here every
//! read drains what is waiting, quit signals are looked at between reads, and a tty that hangs up
//! ends the loop.
//!
//! Also here: job control (Ctrl-Z stops the process group; SIGCONT gives [`Input::Resumed`]),
//! non-blocking stdin, waiting for a slow stdout, wheel-only mouse reporting.

mod watch;

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossterm::event::Event;

use super::{Input, QuitReason};
use crate::tui::terminal::parse::{Parsed, Parser};
use watch::{Ready, Watch, watch, watch_or_error};

/// At most this much is read per call: a flood of input cannot keep the loop from looking at
/// signals and the clock.
const READ_PER_CALL: usize = 256 * 1024;
/// Events queued beyond this are not read further until the loop catches up (memory bound).
const MAX_QUEUED: usize = 1 << 20;
/// How long after the width probe gives up a late (or split) reply is still expected.
const LATE_REPLY: Duration = Duration::from_secs(2);

/// Ctrl-Z stops the reader and `fg` brings it back.
pub(crate) const JOB_CONTROL: bool = true;

/// The terminal can mark pastes (our parser makes them one `Event::Paste`).
pub(crate) const BRACKETED_PASTE: bool = true;

/// Wheel-only mouse reporting: normal tracking (1000) in SGR encoding (1006). crossterm's
/// `EnableMouseCapture` also asks for every pointer motion (1003): a flood on a slow SSH link.
const WHEEL_MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";

/// Device Status Report: "where is the cursor?".
const CURSOR_POSITION_QUERY: &[u8] = b"\x1b[6n";

/// Queues wheel-only mouse reporting (see `WHEEL_MOUSE_ON`).
pub(crate) fn enable_mouse(out: &mut impl Write) -> io::Result<()> {
    out.write_all(WHEEL_MOUSE_ON)
}

/// Stops the whole process group, as a shell expects of a job (vim does the same). In an
/// orphaned group (no job-control shell above us) the kernel drops SIGTSTP: we go on at once.
pub(crate) fn stop_job() {
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    unsafe { libc::kill(0, libc::SIGTSTP) };
}

/// The original flags of stdin's open file, while we have made it non-blocking (-1: not).
static STDIN_FLAGS: AtomicI32 = AtomicI32::new(-1);

/// Our reader reads until "would block"; on a blocking stdin a read would wait for the next key,
/// deaf to quit signals. stdout usually shares the open file, so all output goes through
/// `TtyOut`, which waits for the terminal instead of failing with "would block". Done again
/// after a stop: the shell may have made the file blocking meanwhile.
pub(crate) fn set_stdin_nonblocking() {
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
pub(crate) fn restore_stdin() {
    let flags = STDIN_FLAGS.swap(-1, SeqCst);
    if flags >= 0 {
        // SAFETY: fcntl on fd 0 with the flags it had before.
        unsafe { libc::fcntl(libc::STDIN_FILENO, libc::F_SETFL, flags) };
    }
}

/// Waits (up to a second) until stdout can take more, after a write said "would block".
pub(crate) fn wait_writable() {
    let mut fd = libc::pollfd { fd: libc::STDOUT_FILENO, events: libc::POLLOUT, revents: 0 };
    // SAFETY: poll on one pollfd we own.
    unsafe { libc::poll(&mut fd, 1, 1000) };
}

/// Registers the quit signals, SIGWINCH and SIGCONT, once; the error says why keys cannot be
/// read.
pub(crate) fn start_watch() -> Result<(), String> {
    watch_or_error().map(|_| ()).map_err(str::to_owned)
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
pub(crate) fn wake() {
    APP_WAKE.store(true, SeqCst);
    if let Some(w) = watch() {
        w.wake();
    }
}

/// Waits up to `timeout` for the next input. Never spins, never blocks in a read. A quit signal
/// gives `Quit(Signal)`, a terminal that went away `Quit(TerminalGone)`, and a Ctrl-C typed
/// anywhere in what has been read comes before the keys queued ahead of it.
pub(crate) fn next_input(timeout: Duration) -> Input {
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
            && let Ok((columns, rows)) = crossterm::terminal::size()
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
pub(crate) fn input_pending() -> bool {
    parser().queued() > 0 || watch().is_some_and(Watch::readable)
}

/// For the width probe: asks the terminal where the cursor is (after the probe character was
/// queued on `out`) and waits up to `timeout` for the cursor position report, 0-based (column,
/// row). Keys typed meanwhile stay queued for `next_input`. After the wait a late or split reply
/// is still expected for a while, so it is never taken for keys.
/// Asks once more where the cursor is, for a terminal known to answer (the width probe after
/// the first frame). Our own reader parses the reply, so keys typed meanwhile stay queued;
/// up to 2 s for a terminal that stopped answering.
pub(crate) fn cursor_position_again(out: &mut impl Write) -> Option<(u16, u16)> {
    cursor_position(out, Duration::from_secs(2))
}

pub(crate) fn cursor_position(out: &mut impl Write, timeout: Duration) -> Option<(u16, u16)> {
    out.write_all(CURSOR_POSITION_QUERY).and_then(|()| out.flush()).ok()?;
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
pub(crate) fn take_resumed() -> bool {
    watch().is_some_and(|w| w.resumed.swap(false, SeqCst))
}
