//! What the input loop waits on (unix): the tty, and a wake-up pipe that signal handlers (quit
//! signals, SIGWINCH, SIGCONT) and other threads write to. One `poll(2)` on both, so the loop
//! never spins and never sleeps through a signal.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Signals that end the reader. Registering them replaces the default "die at once", so the event
/// loop can save the reading position and restore the terminal first.
const QUIT_SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The signal flags, the wake-up pipe, and the tty we read; set up once, on first use.
pub(super) struct Watch {
    /// The tty we read: stdin when it is one, else our own /dev/tty.
    pub tty: RawFd,
    _own_tty: Option<File>,
    wake_rx: UnixStream,
    wake_tx: UnixStream,
    /// The last quit signal received (0: none).
    signal: Arc<AtomicUsize>,
    pub winch: Arc<AtomicBool>,
    /// SIGCONT came: we were stopped (by any signal) and run again.
    pub resumed: Arc<AtomicBool>,
    pub gone: AtomicBool,
}

pub(super) fn watch() -> Option<&'static Watch> {
    watch_or_error().ok()
}

pub(super) fn watch_or_error() -> Result<&'static Watch, &'static str> {
    static WATCH: OnceLock<Result<Watch, String>> = OnceLock::new();
    WATCH.get_or_init(|| Watch::new().map_err(|e| e.to_string())).as_ref().map_err(String::as_str)
}

impl Watch {
    fn new() -> io::Result<Watch> {
        let (tty, own_tty) = if io::stdin().is_terminal() {
            (libc::STDIN_FILENO, None)
        } else {
            // Keys come from the controlling terminal, read without blocking.
            use std::os::unix::fs::OpenOptionsExt;
            let file =
                std::fs::OpenOptions::new().read(true).write(true).custom_flags(libc::O_NONBLOCK).open("/dev/tty")?;
            (file.as_raw_fd(), Some(file))
        };
        let (wake_rx, wake_tx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        wake_tx.set_nonblocking(true)?;
        let signal = Arc::new(AtomicUsize::new(0));
        let winch = Arc::new(AtomicBool::new(false));
        let resumed = Arc::new(AtomicBool::new(false));
        for sig in QUIT_SIGNALS {
            signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
            signal_hook::low_level::pipe::register(sig, wake_tx.try_clone()?)?;
        }
        for (sig, flag) in [(libc::SIGWINCH, &winch), (libc::SIGCONT, &resumed)] {
            signal_hook::flag::register(sig, Arc::clone(flag))?;
            signal_hook::low_level::pipe::register(sig, wake_tx.try_clone()?)?;
        }
        Ok(Watch { tty, _own_tty: own_tty, wake_rx, wake_tx, signal, winch, resumed, gone: AtomicBool::new(false) })
    }

    pub fn quit_signal(&self) -> Option<i32> {
        match self.signal.load(SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }

    pub fn wake(&self) {
        let _ = (&self.wake_tx).write(&[1]);
    }

    pub fn drain_wake(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake_rx).read(&mut buf), Ok(n) if n > 0) {}
    }

    pub fn wait(&self, timeout: Option<Duration>) -> Ready {
        wait_fds(self.tty, self.wake_rx.as_raw_fd(), timeout)
    }

    /// Reads what the tty has now, without waiting. `Ok(0)`: nothing more for now.
    pub fn read_tty(&self, buf: &mut [u8]) -> io::Result<usize> {
        if wait_fds(self.tty, -1, Some(Duration::ZERO)) == Ready::Gone {
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        // SAFETY: reading into a buffer we own, at most its length.
        let n = unsafe { libc::read(self.tty, buf.as_mut_ptr().cast(), buf.len()) };
        match n {
            // End of file on a tty: it hung up.
            0 => Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
            n if n > 0 => Ok(n as usize),
            _ => {
                let e = io::Error::last_os_error();
                match e.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(0),
                    _ => Err(e),
                }
            }
        }
    }

    /// Input waiting on the tty right now?
    pub fn readable(&self) -> bool {
        wait_fds(self.tty, -1, Some(Duration::ZERO)) == Ready::Input
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ready {
    /// The tty hung up, failed, or is closed.
    Gone,
    /// A signal (or another thread) wrote to the wake pipe.
    Woken,
    /// The tty has input.
    Input,
    Timeout,
    /// poll(2) was interrupted by a signal before the pipe was written.
    Interrupted,
}

/// One poll(2) on the tty and the wake pipe (a negative fd is ignored).
pub(super) fn wait_fds(tty: RawFd, wake: RawFd, timeout: Option<Duration>) -> Ready {
    let mut fds = [
        libc::pollfd { fd: tty, events: libc::POLLIN, revents: 0 },
        libc::pollfd { fd: wake, events: libc::POLLIN, revents: 0 },
    ];
    // SAFETY: `fds` is a live array of two pollfd structs, and we pass its length.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, poll_millis(timeout)) };
    if n < 0 {
        // EINTR: look at the flags again. Any other error cannot happen with valid arguments;
        // treat it as a dead terminal rather than loop on it.
        return if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            Ready::Interrupted
        } else {
            Ready::Gone
        };
    }
    classify(fds[0].revents, fds[1].revents)
}

/// What poll's answer means. A hung-up tty also reports POLLIN, so hang-up goes first.
fn classify(tty: libc::c_short, wake: libc::c_short) -> Ready {
    if tty & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Ready::Gone
    } else if wake != 0 {
        Ready::Woken
    } else if tty & libc::POLLIN != 0 {
        Ready::Input
    } else {
        Ready::Timeout
    }
}

/// poll(2)'s timeout: -1 for none, else milliseconds rounded up (rounding down to 0 would spin).
fn poll_millis(timeout: Option<Duration>) -> libc::c_int {
    match timeout {
        None => -1,
        Some(t) => {
            let millis = t.as_nanos().div_ceil(1_000_000);
            libc::c_int::try_from(millis).unwrap_or(libc::c_int::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A pty pair (master, slave) for tests, closed on drop.
    struct Pty {
        master: RawFd,
        slave: RawFd,
    }

    impl Pty {
        fn open() -> Pty {
            let (mut master, mut slave) = (-1, -1);
            // SAFETY: openpty writes two descriptors into our locals; the other pointers may be null.
            let rc = unsafe {
                libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null())
            };
            assert_eq!(rc, 0, "openpty: {}", io::Error::last_os_error());
            Pty { master, slave }
        }

        fn close_master(&mut self) {
            // SAFETY: closing a descriptor we own, once.
            unsafe { libc::close(self.master) };
            self.master = -1;
        }
    }

    impl Drop for Pty {
        fn drop(&mut self) {
            for fd in [self.master, self.slave] {
                if fd >= 0 {
                    // SAFETY: closing descriptors we own.
                    unsafe { libc::close(fd) };
                }
            }
        }
    }

    fn wake_pair() -> (UnixStream, UnixStream) {
        let (rx, tx) = UnixStream::pair().unwrap();
        rx.set_nonblocking(true).unwrap();
        (rx, tx)
    }

    #[test]
    fn idle_tty_times_out_after_the_timeout() {
        let pty = Pty::open();
        let (rx, _tx) = wake_pair();
        let start = Instant::now();
        assert_eq!(wait_fds(pty.slave, rx.as_raw_fd(), Some(Duration::from_millis(50))), Ready::Timeout);
        assert!(start.elapsed() >= Duration::from_millis(50));
    }

    #[test]
    fn typed_bytes_are_input() {
        let pty = Pty::open();
        let (rx, _tx) = wake_pair();
        // A new pty is in canonical mode: a line is readable once it ends.
        // SAFETY: writing a 2-byte buffer we own to our pty master.
        assert_eq!(unsafe { libc::write(pty.master, b"q\n".as_ptr().cast(), 2) }, 2);
        assert_eq!(wait_fds(pty.slave, rx.as_raw_fd(), Some(Duration::from_secs(2))), Ready::Input);
    }

    #[test]
    fn closed_pty_master_is_gone_at_once() {
        // The SSH-dropped / window-closed case of crossterm#793.
        let mut pty = Pty::open();
        let (rx, _tx) = wake_pair();
        pty.close_master();
        let start = Instant::now();
        assert_eq!(wait_fds(pty.slave, rx.as_raw_fd(), Some(Duration::from_secs(5))), Ready::Gone);
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn wake_pipe_wakes_the_wait() {
        let pty = Pty::open();
        let (rx, mut tx) = wake_pair();
        tx.write_all(&[1]).unwrap();
        assert_eq!(wait_fds(pty.slave, rx.as_raw_fd(), Some(Duration::from_secs(5))), Ready::Woken);
    }

    #[test]
    fn hang_up_wins_over_input_and_wake() {
        assert_eq!(classify(libc::POLLIN | libc::POLLHUP, libc::POLLIN), Ready::Gone);
        assert_eq!(classify(libc::POLLERR, 0), Ready::Gone);
        assert_eq!(classify(libc::POLLNVAL, 0), Ready::Gone);
        assert_eq!(classify(libc::POLLIN, libc::POLLIN), Ready::Woken);
        assert_eq!(classify(libc::POLLIN, 0), Ready::Input);
        assert_eq!(classify(0, 0), Ready::Timeout);
    }

    #[test]
    fn poll_timeout_rounds_up() {
        assert_eq!(poll_millis(None), -1);
        assert_eq!(poll_millis(Some(Duration::ZERO)), 0);
        assert_eq!(poll_millis(Some(Duration::from_micros(1))), 1);
        assert_eq!(poll_millis(Some(Duration::from_millis(250))), 250);
        assert_eq!(poll_millis(Some(Duration::MAX)), libc::c_int::MAX);
    }
}
