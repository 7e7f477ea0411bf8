//! Writing to the terminal on a slow link: stdout may share a non-blocking open file with stdin
//! (see `platform::set_stdin_nonblocking`), so "would block" means "wait for the terminal", not "fail".

use std::io::{self, Write};
use std::time::{Duration, Instant};

use crate::tui::platform;

/// stdout that waits (poll for writable, up to `STUCK` in all) when the terminal is not ready
/// for more (a slow link with a non-blocking open file), instead of failing.
pub struct TtyOut(io::Stdout);

/// A terminal that takes nothing for this long is treated as gone.
const STUCK: Duration = Duration::from_secs(30);

impl TtyOut {
    pub fn new() -> TtyOut {
        TtyOut(io::stdout())
    }
}

impl Default for TtyOut {
    fn default() -> Self {
        TtyOut::new()
    }
}

impl Write for TtyOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        when_ready(|| self.0.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        when_ready(|| self.0.flush())
    }
}

/// Runs `op` again each time the terminal can take more, while it says "would block".
fn when_ready<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let start = Instant::now();
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && start.elapsed() < STUCK => platform::wait_writable(),
            other => return other,
        }
    }
}
