//! What differs between a Unix terminal and a Windows console, behind one set of names:
//! waiting for input (and being woken), quit requests from outside, stdin/stdout modes, mouse
//! reporting, the cursor-position question of the width probe, and job control.
//!
//! Unix (`unix.rs`): our own poll(2) loop over the tty and a signal pipe (SIGINT, SIGTERM, SIGHUP,
//! SIGWINCH), non-blocking stdin, Ctrl-Z stops the process group. Windows (`windows.rs`):
//! crossterm's console backend (raw mode, key/resize/mouse records, Ctrl-C as a key), a console
//! control handler for closing the window, no job control.

use crossterm::event::Event;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::{
    BRACKETED_PASTE, JOB_CONTROL, cursor_position, enable_mouse, next_input, restore_stdin, set_stdin_nonblocking,
    start_watch, stop_job, wait_writable, wake,
};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::{
    BRACKETED_PASTE, JOB_CONTROL, cursor_position, enable_mouse, next_input, restore_stdin, set_stdin_nonblocking,
    start_watch, stop_job, wait_writable, wake,
};

/// What the event loop gets from [`next_input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key, mouse, resize (or other) event, parsed by crossterm.
    Event(Event),
    /// The timeout passed and nothing happened.
    Tick,
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
