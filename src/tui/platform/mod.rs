//! What differs between a Unix terminal and a Windows console, behind one set of names:
//! waiting for input (and being woken), quit requests from outside, stdin/stdout modes, mouse
//! reporting, the cursor-position question of the width probe, and job control.
//!
//! Unix (`unix.rs`): our own reader (a poll(2) loop over the tty and a signal pipe for SIGINT,
//! SIGTERM, SIGHUP, SIGWINCH and SIGCONT, non-blocking reads, our own parser in
//! `terminal::parse`), Ctrl-Z stops the process group. Windows (`windows.rs`): crossterm's
//! console backend (raw mode, key/resize/mouse records, Ctrl-C as a key), mapped into the same
//! [`Input`]; a console control handler for closing the window, no job control.

use crossterm::event::Event;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::{
    BRACKETED_PASTE, JOB_CONTROL, cursor_position, cursor_position_again, enable_mouse, input_pending, next_input,
    restore_stdin, set_stdin_nonblocking, start_watch, stop_job, take_resumed, wait_writable, wake,
};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::{
    BRACKETED_PASTE, JOB_CONTROL, cursor_position, cursor_position_again, enable_mouse, input_pending, next_input,
    restore_stdin, set_stdin_nonblocking, start_watch, stop_job, take_resumed, wait_writable, wake,
};

/// What the event loop gets from [`next_input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key, mouse, resize or paste event (on Unix parsed by our parser, on Windows read by
    /// crossterm).
    Event(Event),
    /// The timeout passed and nothing happened (or another thread called `wake`).
    Tick,
    /// We were stopped (Ctrl-Z, or `kill -STOP`) and now run again: the shell has had the
    /// terminal; set it up again and repaint. Unix only (no job control on Windows).
    Resumed,
    /// Time to save and quit. Sticky: every later call says the same.
    Quit(QuitReason),
}

/// Why [`next_input`] says [`Input::Quit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitReason {
    /// Unix: SIGINT, SIGTERM or SIGHUP (the number). Windows: the console control event
    /// (Ctrl-Break, the window closed, log-off, shut-down; its number).
    Signal(i32),
    /// The pty closed, SSH dropped, or the terminal's input hit EOF or an error.
    TerminalGone,
}
