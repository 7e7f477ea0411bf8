//! Standard output and standard error that never panic. `println!` panics when stdout is a
//! closed pipe (`kanbao --paths | true`) or a full disk, and `eprintln!` on a dead terminal;
//! here a failed write is remembered instead, the work goes on (every file of `add x1 x2 x3`
//! is still copied), nothing more is written to the failed stream, and [`exit_code`] turns the
//! run's code into 2 at the end.

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Mutex;

/// The first write error on stdout, if any.
static STDOUT_ERROR: Mutex<Option<io::ErrorKind>> = Mutex::new(None);
static STDERR_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// One line on stdout (use [`outln!`](crate::outln)).
pub fn out_line(args: fmt::Arguments<'_>) {
    let mut failed = STDOUT_ERROR.lock().unwrap_or_else(|e| e.into_inner());
    if failed.is_some() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        *failed = Some(e.kind());
    }
}

/// One line on stderr (use [`errln!`](crate::errln)); a dead stderr is ignored.
pub fn err_line(args: fmt::Arguments<'_>) {
    use std::sync::atomic::Ordering::Relaxed;
    if STDERR_FAILED.load(Relaxed) {
        return;
    }
    let mut err = io::stderr().lock();
    if err.write_fmt(args).and_then(|()| err.write_all(b"\n")).is_err() {
        STDERR_FAILED.store(true, Relaxed);
    }
}

/// Records a write error met by a writer of our own (a `BufWriter` over stdout).
pub fn stdout_failed(e: &io::Error) {
    let mut failed = STDOUT_ERROR.lock().unwrap_or_else(|e| e.into_inner());
    failed.get_or_insert(e.kind());
}

/// The run's exit code: 2 when stdout failed (the reader of our output is gone or its disk is
/// full: what was asked was done, but not all of it was seen). A closed pipe needs no message;
/// anything else gets one line.
pub fn exit_code(code: ExitCode) -> ExitCode {
    let failed = *STDOUT_ERROR.lock().unwrap_or_else(|e| e.into_inner());
    match failed {
        None => code,
        Some(io::ErrorKind::BrokenPipe) => ExitCode::from(2),
        Some(kind) => {
            err_line(format_args!("kanbao: error: cannot write output: {}", io::Error::from(kind)));
            ExitCode::from(2)
        }
    }
}

/// `println!` that never panics; see [`crate::io::out`].
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::io::out::out_line(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics; see [`crate::io::out`].
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::io::out::err_line(format_args!($($arg)*)) };
}
