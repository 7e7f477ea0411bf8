//! Windows: crossterm's console backend reads the input records (keys, resize, mouse) and sets
//! raw mode (processed input off, so Ctrl-C arrives as a key like on Unix). What is left to us:
//! a console control handler, so Ctrl-Break or closing the window saves the reading place before
//! the process ends, and waking the wait from other threads.
//!
//! There is no SIGHUP, no non-blocking stdin and no job control here; the console's input handle
//! does not spin when the window goes away (crossterm#793 is a Unix pty problem), so no watchdog.

use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{self, EnableMouseCapture};
use crossterm::queue;
use windows_sys::Win32::System::Console::{
    CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT, SetConsoleCtrlHandler,
};
use windows_sys::core::BOOL;

use super::{Input, QuitReason};

/// No Ctrl-Z stop and `fg` on Windows: the key does nothing.
pub(crate) const JOB_CONTROL: bool = false;

/// Off: crossterm's console backend reads input records and never reports a paste, and a
/// terminal asked for the mode (Windows Terminal) would send its `ESC [200~` markers as keys.
pub(crate) const BRACKETED_PASTE: bool = false;

/// The longest one wait for console input lasts before the quit and wake flags are looked at
/// again: how late a wake from another thread or a closed window can be seen.
const SLICE: Duration = Duration::from_millis(50);

/// Windows gives a console process about 5 s after the window is closed; the event loop
/// needs far less to save the place and leave.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// No console control event yet.
const NONE: u32 = u32::MAX;

/// The last console control event (Ctrl-Break, close, log-off, shut-down), or `NONE`.
static QUIT_EVENT: AtomicU32 = AtomicU32::new(NONE);
/// Set by `wake`: the loop has work from another thread.
static APP_WAKE: AtomicBool = AtomicBool::new(false);
/// The console input failed: the reader ends (sticky, as on Unix).
static GONE: AtomicBool = AtomicBool::new(false);

/// Installs the console control handler, once.
pub(crate) fn start_watch() -> Result<(), String> {
    static HANDLER: OnceLock<Result<(), String>> = OnceLock::new();
    HANDLER
        .get_or_init(|| {
            // SAFETY: registers a handler function that lives as long as the program.
            if unsafe { SetConsoleCtrlHandler(Some(on_console_event), 1) } == 0 {
                Err(format!("cannot watch the console: {}", io::Error::last_os_error()))
            } else {
                Ok(())
            }
        })
        .clone()
}

/// Runs on a thread of its own that Windows starts for each console control event.
unsafe extern "system" fn on_console_event(event: u32) -> BOOL {
    QUIT_EVENT.store(event, SeqCst);
    if matches!(event, CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT) {
        // Windows ends the process as soon as this returns: hold on while the event loop saves
        // and returns from main, which ends the process (and this thread) first.
        thread::sleep(CLOSE_GRACE);
    }
    1 // handled: no default "end at once"
}

pub(crate) fn wake() {
    APP_WAKE.store(true, SeqCst);
}

/// Waits up to `timeout` for the next input, in slices of `SLICE` so that quit requests and
/// wakes are seen in time.
pub(crate) fn next_input(timeout: Duration) -> Input {
    let deadline = Instant::now().checked_add(timeout);
    loop {
        match QUIT_EVENT.load(SeqCst) {
            NONE => {}
            event => return Input::Quit(QuitReason::Signal(i32::try_from(event).unwrap_or(i32::MAX))),
        }
        if GONE.load(SeqCst) {
            return Input::Quit(QuitReason::TerminalGone);
        }
        if APP_WAKE.swap(false, SeqCst) {
            return Input::Tick;
        }
        let left = match deadline {
            Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => left,
                _ => return Input::Tick,
            },
            None => SLICE,
        };
        match event::poll(left.min(SLICE)).and_then(|ready| if ready { event::read().map(Some) } else { Ok(None) }) {
            // crossterm's events are the reader's events: keys (Ctrl-C among them), resize, mouse.
            Ok(Some(event)) => return Input::Event(event),
            Ok(None) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => {
                GONE.store(true, SeqCst);
                return Input::Quit(QuitReason::TerminalGone);
            }
        }
    }
}

/// Input the loop has not taken yet: a console input record waits (the loop skips drawing
/// frames nobody would see).
pub(crate) fn input_pending() -> bool {
    event::poll(Duration::ZERO).unwrap_or(false)
}

/// No SIGCONT here (no job control): never resumed.
pub(crate) fn take_resumed() -> bool {
    false
}

/// Mouse reporting through the console mode (crossterm sets `ENABLE_MOUSE_INPUT`); no escape
/// sequences, which a console would pass through as typed text.
pub(crate) fn enable_mouse(out: &mut impl Write) -> io::Result<()> {
    queue!(out, EnableMouseCapture)
}

/// The console is asked directly (no escape-sequence round trip, so `timeout` is not needed):
/// the 0-based (column, row) of the cursor once `out` is flushed.
pub(crate) fn cursor_position(out: &mut impl Write, _timeout: Duration) -> Option<(u16, u16)> {
    out.flush().ok()?;
    crossterm::cursor::position().ok()
}

/// As `cursor_position`: the console is asked directly, there is no second reply to avoid.
pub(crate) fn cursor_position_again(out: &mut impl Write) -> Option<(u16, u16)> {
    cursor_position(out, Duration::ZERO)
}

/// Nothing to do: writes to a console block until done.
pub(crate) fn set_stdin_nonblocking() {}

pub(crate) fn restore_stdin() {}

/// Not reached (a console write never says "would block"); a short nap keeps a retry loop calm.
pub(crate) fn wait_writable() {
    thread::sleep(Duration::from_millis(10));
}

/// Never called (`JOB_CONTROL` is false).
pub(crate) fn stop_job() {}
