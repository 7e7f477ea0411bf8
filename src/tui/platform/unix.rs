//! Unix: the reader waits in its own poll(2) on the tty and a signal pipe.
//!
//! Why not plain `crossterm::event::poll`/`read`: when the pty goes away (SSH dropped, window
//! closed), crossterm 0.29's reader retries `read()` on EOF/EIO forever and burns a core
//! (crossterm#793, unfixed upstream). So we wait in our own `poll(2)` on the tty and a signal
//! pipe, and enter crossterm's reader (which still parses the keys) only when the tty is alive
//! and has input. If the tty dies while crossterm is inside anyway, a watchdog thread swaps an
//! empty non-blocking socket in for the dead tty's descriptors, so crossterm's read loop stops.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Once, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use crossterm::terminal;

use super::{Input, QuitReason};

/// Ctrl-Z stops the reader and `fg` brings it back.
pub(crate) const JOB_CONTROL: bool = true;

/// The terminal can mark pastes (crossterm parses them into one `Event::Paste`).
pub(crate) const BRACKETED_PASTE: bool = true;

/// Wheel-only mouse reporting: normal tracking (1000) in SGR encoding (1006). crossterm's
/// `EnableMouseCapture` also asks for every pointer motion (1003): a flood on a slow SSH link.
const WHEEL_MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";

/// Signals that end the reader. Registering them replaces the default "die at once", so the event
/// loop can save the reading position and restore the terminal first.
const QUIT_SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// How often the watchdog looks for a tty that died under crossterm's reader.
const WATCHDOG_PERIOD: Duration = Duration::from_millis(500);

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

/// crossterm's reader reads until "would block": on a blocking stdin it sits in `read` when
/// half an escape sequence has come, deaf to quit signals until the next key. Non-blocking
/// stdin ends that. stdout usually shares the open file, so all output goes through
/// `TtyOut`, which waits for the terminal instead of failing with "would block".
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

/// Asks the terminal where the cursor is (after the probe character was queued on `out`):
/// the 0-based (column, row), if the answer comes within `timeout`.
///
/// The reply (`ESC [ row ; col R`) is read by crossterm, not by us: crossterm parses it into its
/// own cursor-position event and keeps any key typed meanwhile queued for `next_input`, where a raw
/// read of stdin would swallow it. `crossterm::cursor::position()` alone would wait up to 2 s for
/// a terminal that never answers, so we first wait for the terminal to send anything.
pub(crate) fn cursor_position(out: &mut impl Write, timeout: Duration) -> Option<(u16, u16)> {
    out.write_all(CURSOR_POSITION_QUERY).and_then(|()| out.flush()).ok()?;
    if !input_within(timeout) {
        return None;
    }
    // Something arrived (our answer, most likely). crossterm sends its own query before reading;
    // whichever answer it takes describes the same cursor, and the other one is dropped later.
    with_crossterm_reader(crossterm::cursor::position).ok()
}

/// Asks once where the cursor is, for a terminal known to answer (the width probe after the
/// first frame): crossterm's `position()` sends the only query and reads its reply, so no second
/// reply arrives later. Up to crossterm's 2 s if the terminal stopped answering.
pub(crate) fn cursor_position_again(out: &mut impl Write) -> Option<(u16, u16)> {
    out.flush().ok()?;
    with_crossterm_reader(crossterm::cursor::position).ok()
}

/// Registers the quit signals and starts the watchdog, once; the error says why keys cannot
/// be read.
pub(crate) fn start_watch() -> Result<(), String> {
    watch_or_error().map(|_| ()).map_err(str::to_owned)
}

/// Set by `wake`: the loop has work from another thread.
static APP_WAKE: AtomicBool = AtomicBool::new(false);

/// Makes a waiting `next_input` return (as a `Tick`) now: for results from other threads.
pub(crate) fn wake() {
    APP_WAKE.store(true, SeqCst);
    if let Some(w) = watch() {
        let _ = (&w.wake_tx).write(&[1]);
    }
}

/// Waits up to `timeout` for the next input.
///
/// Never spins. A quit signal (SIGINT, SIGTERM, SIGHUP) gives `Quit(Signal)`; a terminal that went
/// away gives `Quit(TerminalGone)`, at once when seen between reads, within about a second when it
/// dies while crossterm is reading. Known limit: while crossterm holds half an escape sequence (or
/// bytes it cannot parse) it blocks until the next byte arrives, so a Tick or a SIGTERM can be late
/// until the next key; a hang-up still ends that wait.
pub(crate) fn next_input(timeout: Duration) -> Input {
    let Some(w) = watch() else {
        return Input::Quit(QuitReason::TerminalGone);
    };
    let deadline = Instant::now().checked_add(timeout);
    let mut fruitless = 0u32;
    loop {
        if let Some(signal) = w.quit_signal() {
            return Input::Quit(QuitReason::Signal(signal));
        }
        // Never let crossterm read a dead tty (crossterm#793).
        if w.gone.load(SeqCst) || wait(w, Some(Duration::ZERO)) == Ready::Gone {
            return w.terminal_gone();
        }
        // Events crossterm already queued, or input waiting on the tty.
        match w.in_crossterm(|| if event::poll(Duration::ZERO)? { event::read().map(Some) } else { Ok(None) }) {
            Ok(Some(event)) => {
                if matches!(event, Event::Resize(..)) {
                    w.winch.store(false, SeqCst);
                }
                return Input::Event(event);
            }
            Ok(None) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return w.terminal_gone(),
        }
        if w.gone.load(SeqCst) {
            return w.terminal_gone();
        }
        // crossterm reports SIGWINCH itself when its reader saw it; this covers the rest.
        if w.winch.swap(false, SeqCst)
            && let Ok((columns, rows)) = terminal::size()
        {
            return Input::Event(Event::Resize(columns, rows));
        }
        let left = match deadline {
            Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(left),
                _ => return Input::Tick,
            },
            None => None,
        };
        match wait(w, left) {
            Ready::Gone => return w.terminal_gone(),
            Ready::Timeout => return Input::Tick,
            Ready::Woken => {
                w.drain_wake();
                if APP_WAKE.swap(false, SeqCst) {
                    return Input::Tick;
                }
            }
            Ready::Input => {
                // Readable, yet crossterm made nothing of it twice running (its reader busy in
                // another thread?): nap rather than spin.
                fruitless += 1;
                if fruitless > 1 {
                    thread::sleep(Duration::from_millis(20));
                }
            }
            Ready::Interrupted => {}
        }
    }
}

/// For the probe: waits up to `timeout` for the terminal to send something. False when the time
/// is up, the terminal is gone, or a quit signal arrived.
fn input_within(timeout: Duration) -> bool {
    let Some(w) = watch() else { return false };
    let deadline = Instant::now() + timeout;
    loop {
        if w.quit_signal().is_some() || w.gone.load(SeqCst) {
            return false;
        }
        let Some(left) = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) else {
            return false;
        };
        match wait(w, Some(left)) {
            Ready::Input => return true,
            Ready::Gone | Ready::Timeout => return false,
            // The flags keep what the signal meant; next_input acts on them (a `wake` from
            // another thread stays set for next_input too).
            Ready::Woken => w.drain_wake(),
            Ready::Interrupted => {}
        }
    }
}

/// Runs `f`, which enters crossterm's reader, where the watchdog can rescue it if the tty dies.
/// Only call it when the tty was alive just before.
fn with_crossterm_reader<T>(f: impl FnOnce() -> T) -> T {
    match watch() {
        Some(w) => w.in_crossterm(f),
        None => f(),
    }
}

/// The signal flags, the wake-up pipe, and the tty we watch; set up once, on first use.
struct Watch {
    /// The tty we poll: stdin when it is one (the fd crossterm reads), else our own /dev/tty.
    tty: RawFd,
    _own_tty: Option<File>,
    /// Device number of the tty, to find every descriptor that reads it when it dies.
    tty_device: Option<libc::dev_t>,
    /// Signal handlers (and the watchdog) write a byte here, so `poll` wakes up.
    wake_rx: UnixStream,
    wake_tx: UnixStream,
    /// The last quit signal received (0: none).
    signal: Arc<AtomicUsize>,
    winch: Arc<AtomicBool>,
    in_crossterm: AtomicBool,
    gone: AtomicBool,
    /// An empty non-blocking socket whose peer stays open, so reads from it say "would block",
    /// never EOF: what a dead tty's descriptors are replaced with.
    plug: UnixStream,
    _plug_peer: UnixStream,
}

fn watch() -> Option<&'static Watch> {
    watch_or_error().ok()
}

fn watch_or_error() -> Result<&'static Watch, &'static str> {
    static WATCH: OnceLock<Result<Watch, String>> = OnceLock::new();
    static WATCHDOG: Once = Once::new();
    let w = WATCH.get_or_init(|| Watch::new().map_err(|e| e.to_string())).as_ref().map_err(String::as_str)?;
    WATCHDOG.call_once(|| {
        let _ = thread::Builder::new().name("tty-watchdog".into()).spawn(move || watchdog(w));
    });
    Ok(w)
}

impl Watch {
    fn new() -> io::Result<Watch> {
        let (tty, own_tty) = if io::stdin().is_terminal() {
            (libc::STDIN_FILENO, None)
        } else {
            // Same choice as crossterm: keys come from the controlling terminal.
            let file = File::open("/dev/tty")?;
            (file.as_raw_fd(), Some(file))
        };
        let (wake_rx, wake_tx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        wake_tx.set_nonblocking(true)?;
        let signal = Arc::new(AtomicUsize::new(0));
        let winch = Arc::new(AtomicBool::new(false));
        for sig in QUIT_SIGNALS {
            signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
            signal_hook::low_level::pipe::register(sig, wake_tx.try_clone()?)?;
        }
        signal_hook::flag::register(libc::SIGWINCH, Arc::clone(&winch))?;
        signal_hook::low_level::pipe::register(libc::SIGWINCH, wake_tx.try_clone()?)?;
        let (plug, plug_peer) = UnixStream::pair()?;
        plug.set_nonblocking(true)?;
        Ok(Watch {
            tty,
            _own_tty: own_tty,
            tty_device: char_device(tty),
            wake_rx,
            wake_tx,
            signal,
            winch,
            in_crossterm: AtomicBool::new(false),
            gone: AtomicBool::new(false),
            plug,
            _plug_peer: plug_peer,
        })
    }

    fn quit_signal(&self) -> Option<i32> {
        match self.signal.load(SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }

    fn terminal_gone(&self) -> Input {
        self.gone.store(true, SeqCst);
        Input::Quit(QuitReason::TerminalGone)
    }

    fn in_crossterm<T>(&self, f: impl FnOnce() -> T) -> T {
        self.in_crossterm.store(true, SeqCst);
        let result = f();
        self.in_crossterm.store(false, SeqCst);
        result
    }

    fn drain_wake(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake_rx).read(&mut buf), Ok(n) if n > 0) {}
    }

    /// Replaces every descriptor of the dead tty except stdout/stderr (writes there just fail)
    /// with the plug, so crossterm's next `read` says "would block" and its loop ends.
    fn plug_dead_tty(&self) {
        let Some(device) = self.tty_device else { return };
        // SAFETY: sysconf only reads a system limit.
        let max_fd = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) }.clamp(256, 4096) as RawFd;
        for fd in (0..max_fd).filter(|&fd| fd != libc::STDOUT_FILENO && fd != libc::STDERR_FILENO) {
            if char_device(fd) == Some(device) {
                // SAFETY: dup2 on descriptors; `plug` stays open for the life of the process.
                unsafe { libc::dup2(self.plug.as_raw_fd(), fd) };
            }
        }
    }
}

fn watchdog(w: &'static Watch) {
    loop {
        thread::sleep(WATCHDOG_PERIOD);
        if w.gone.load(SeqCst) {
            return;
        }
        // Outside crossterm, next_input sees a dead tty itself; inside, crossterm may be spinning.
        if w.in_crossterm.load(SeqCst) && tty_dead(w.tty) {
            w.gone.store(true, SeqCst);
            w.plug_dead_tty();
            let _ = (&w.wake_tx).write(&[1]);
            return;
        }
    }
}

/// A zero-timeout look: has the tty hung up? (poll ignores the negative fd.)
fn tty_dead(tty: RawFd) -> bool {
    wait_fds(tty, -1, Some(Duration::ZERO)) == Ready::Gone
}

/// The device number of `fd` if it is a character device (a tty), else None.
fn char_device(fd: RawFd) -> Option<libc::dev_t> {
    let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat writes a `stat` into the buffer we own, and we read it only on success.
    let stat = unsafe {
        if libc::fstat(fd, stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    (stat.st_mode & libc::S_IFMT == libc::S_IFCHR).then_some(stat.st_rdev)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ready {
    /// The tty hung up, failed, or is closed.
    Gone,
    /// A signal (or the watchdog) wrote to the wake pipe.
    Woken,
    /// The tty has input.
    Input,
    Timeout,
    /// poll(2) was interrupted by a signal before the pipe was written.
    Interrupted,
}

fn wait(w: &Watch, timeout: Option<Duration>) -> Ready {
    wait_fds(w.tty, w.wake_rx.as_raw_fd(), timeout)
}

/// One poll(2) on the tty and the wake pipe.
fn wait_fds(tty: RawFd, wake: RawFd, timeout: Option<Duration>) -> Ready {
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
        // Timeout (not Input or Gone) is the answer: nothing else woke it.
        assert_eq!(wait_fds(pty.slave, rx.as_raw_fd(), Some(Duration::from_millis(50))), Ready::Timeout);
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
        // Gone, not Timeout: the hang-up itself ended the wait.
        assert_eq!(wait_fds(pty.slave, rx.as_raw_fd(), Some(Duration::from_secs(5))), Ready::Gone);
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

    #[test]
    fn a_tty_is_a_char_device_and_a_socket_is_not() {
        let pty = Pty::open();
        assert!(char_device(pty.slave).is_some());
        let (rx, _tx) = wake_pair();
        assert_eq!(char_device(rx.as_raw_fd()), None);
        assert_eq!(char_device(-1), None);
    }

    #[test]
    fn plugged_descriptor_would_block_instead_of_eof() {
        // What crossterm's read loop sees after the watchdog swaps the plug in.
        let (plug, _peer) = UnixStream::pair().unwrap();
        plug.set_nonblocking(true).unwrap();
        let mut pty = Pty::open();
        pty.close_master();
        // SAFETY: dup2 onto a descriptor this test owns.
        assert!(unsafe { libc::dup2(plug.as_raw_fd(), pty.slave) } >= 0);
        let mut byte = [0u8; 1];
        // SAFETY: reading into a 1-byte buffer we own.
        let n = unsafe { libc::read(pty.slave, byte.as_mut_ptr().cast(), 1) };
        assert_eq!(n, -1);
        assert_eq!(io::Error::last_os_error().kind(), io::ErrorKind::WouldBlock);
    }
}
