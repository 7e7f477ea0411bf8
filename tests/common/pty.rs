//! See what a user sees: runs a real program in a pseudo-terminal and reads its screen.
//!
//! portable-pty opens the pty and starts the program; a reader thread feeds every byte it prints
//! into a vt100 parser and keeps the raw stream for byte-level checks. vt100 stores a wide (CJK)
//! character in its first cell (`Cell::is_wide`) and leaves the next cell empty, marked
//! `Cell::is_wide_continuation`; row text shows the character once, with no filler.
//!
//! Synchronise on what the screen shows (`wait_for`, `wait_until`), never on time: `settle` only
//! says no output came for a while, which on a loaded machine can be before the program reacted.
//! Wait for the first screen before typing: until the program sets raw mode, the terminal echoes
//! and line-buffers what is typed.
#![allow(dead_code)]

use std::fs::File;
use std::io::{self, Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long `wait_for` and `settle` wait before failing.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the output must pause for `settle`.
pub const DEFAULT_QUIET: Duration = Duration::from_millis(150);

/// Variables kept from the test's own environment; everything else is cleared so the host's
/// settings (LC_ALL, NO_COLOR, XDG_*...) cannot change what the program shows.
const PASSED_THROUGH: &[&str] = &["PATH", "USER", "LOGNAME", "TMPDIR", "LLVM_PROFILE_FILE"];

/// A key as xterm encodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Enter,
    /// A lone ESC. If more input follows before the program reads it, the program may take the
    /// two as Alt+key: wait for Esc's effect on the screen before typing on.
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    /// Ctrl plus a letter or one of `@ [ \ ] ^ _ ?` (and space, for NUL).
    Ctrl(char),
    /// ESC then the character, as xterm sends Alt (meta sends escape).
    Alt(char),
    /// F1 to F12.
    F(u8),
}

impl Key {
    /// The bytes for this key. `app_cursor` is DECCKM (`ESC [ ? 1 h`, set by `less` for one),
    /// under which xterm sends arrows, Home and End as SS3 sequences.
    pub fn bytes(self, app_cursor: bool) -> Vec<u8> {
        let cursor = |c: char| if app_cursor { format!("\x1bO{c}") } else { format!("\x1b[{c}") };
        let s = match self {
            Key::Enter => "\r".to_string(),
            Key::Esc => "\x1b".to_string(),
            Key::Tab => "\t".to_string(),
            Key::BackTab => "\x1b[Z".to_string(),
            Key::Backspace => "\x7f".to_string(),
            Key::Delete => "\x1b[3~".to_string(),
            Key::Insert => "\x1b[2~".to_string(),
            Key::Up => cursor('A'),
            Key::Down => cursor('B'),
            Key::Right => cursor('C'),
            Key::Left => cursor('D'),
            Key::Home => cursor('H'),
            Key::End => cursor('F'),
            Key::PageUp => "\x1b[5~".to_string(),
            Key::PageDown => "\x1b[6~".to_string(),
            Key::Ctrl(c) => return vec![ctrl_code(c)],
            Key::Alt(c) => format!("\x1b{c}"),
            Key::F(n @ 1..=4) => format!("\x1bO{}", char::from(b'P' + n - 1)),
            Key::F(n @ 5..=12) => format!("\x1b[{}~", [15, 17, 18, 19, 20, 21, 23, 24][usize::from(n - 5)]),
            Key::F(n) => panic!("no function key F{n}"),
        };
        s.into_bytes()
    }
}

fn ctrl_code(c: char) -> u8 {
    match c.to_ascii_lowercase() {
        c @ 'a'..='z' => c as u8 - b'a' + 1,
        '@' | ' ' => 0,
        '[' => 0x1b,
        '\\' => 0x1c,
        ']' => 0x1d,
        '^' => 0x1e,
        '_' => 0x1f,
        '?' => 0x7f,
        other => panic!("no control code for Ctrl+{other:?}"),
    }
}

/// Whether a pty can be opened here; `Err` says why not. Checked once per test binary.
pub fn pty_available() -> Result<(), String> {
    static CHECK: OnceLock<Result<(), String>> = OnceLock::new();
    CHECK
        .get_or_init(|| {
            let size = PtySize { rows: 2, cols: 2, pixel_width: 0, pixel_height: 0 };
            native_pty_system().openpty(size).map(drop).map_err(|e| format!("{e:#}"))
        })
        .clone()
}

/// For the first line of a pty test: true (after saying why) when no pty can be opened, so the
/// test returns early instead of failing on a machine without /dev/ptmx.
pub fn skip_without_pty() -> bool {
    match pty_available() {
        Ok(()) => false,
        Err(why) => {
            eprintln!("skipping: cannot open a pseudo-terminal: {why}");
            true
        }
    }
}

/// The program's path if `name` is on PATH, for tests that need an optional tool.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Answers the queries a real terminal answers (cursor position, device attributes), so that
/// crossterm's probes get a reply at once instead of waiting for their 2 s timeout.
#[derive(Default)]
struct Responder {
    replies: Vec<u8>,
    /// A terminal that answers nothing (the test answers itself, late or split).
    silent: bool,
}

impl vt100::Callbacks for Responder {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
        if self.silent {
            return;
        }
        match (i1, c, first) {
            (None, 'n', 6) => {
                let (row, col) = screen.cursor_position();
                self.replies.extend(format!("\x1b[{};{}R", row + 1, col + 1).bytes());
            }
            (None, 'n', 5) => self.replies.extend(b"\x1b[0n"),
            // A VT100 with advanced video, as xterm answers by default.
            (None, 'c', 0) => self.replies.extend(b"\x1b[?1;2c"),
            _ => {}
        }
    }
}

/// What the reader thread shares with the test.
struct Term {
    parser: vt100::Parser<Responder>,
    raw: Vec<u8>,
    last_output: Instant,
    /// The reader has stopped: every slave fd is closed (the program and its children are gone),
    /// or the pty was closed. Nothing more will arrive.
    ended: bool,
}

struct Shared {
    term: Mutex<Term>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Term> {
        // A panic elsewhere must not hide the screen from the failure message.
        self.term.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A program running in a pseudo-terminal, and the screen it drew.
pub struct Session {
    program: String,
    shared: Arc<Shared>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    exit: Option<std::process::ExitStatus>,
    /// Kept for resizing; `None` after `close_pty`.
    master: Option<Box<dyn MasterPty + Send>>,
    /// Our own duplicate of the master fd: portable-pty's writer types "\n" and Ctrl-D into the
    /// program when dropped, which a program in raw mode would take as keys.
    writer: Option<File>,
    reader: Option<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    last_input: Instant,
    timeout: Duration,
    home: PathBuf,
    home_dir: Option<tempfile::TempDir>,
}

impl Session {
    /// Starts `program` with `args` in a `cols`x`rows` pty, in a private HOME that the session
    /// owns (XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and XDG_CACHE_HOME inside it, not
    /// created), TERM=xterm-256color, LANG=C.UTF-8, then `env`. The working directory is the test's.
    pub fn spawn(program: &str, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        Session::in_own_home(program, args, cols, rows, env, false)
    }

    /// Like `spawn`, in a terminal that answers no query: the test sends the answers (late,
    /// split or garbled) with `send_bytes`.
    pub fn spawn_silent(program: &str, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        Session::in_own_home(program, args, cols, rows, env, true)
    }

    fn in_own_home(program: &str, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)], silent: bool) -> Session {
        let dir = tempfile::Builder::new().prefix("pty-home-").tempdir().expect("create a temporary HOME");
        let mut session = Session::start(program, args, cols, rows, env, dir.path(), silent);
        session.home_dir = Some(dir);
        session
    }

    /// Like `spawn` with a given HOME, to restart a program on the state a previous run left.
    pub fn spawn_with_home(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        home: &Path,
    ) -> Session {
        Session::start(program, args, cols, rows, env, home, false)
    }

    fn start(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        home: &Path,
        silent: bool,
    ) -> Session {
        let size = PtySize { rows, cols, pixel_width: 0, pixel_height: 0 };
        let pair = native_pty_system().openpty(size).unwrap_or_else(|e| panic!("cannot open a pty: {e:#}"));

        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        for key in PASSED_THROUGH {
            if let Some(value) = std::env::var_os(key) {
                cmd.env(key, value);
            }
        }
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join(".config"));
        cmd.env("XDG_DATA_HOME", home.join(".local/share"));
        cmd.env("XDG_STATE_HOME", home.join(".local/state"));
        cmd.env("XDG_CACHE_HOME", home.join(".cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (key, value) in env {
            cmd.env(key, value);
        }
        // portable-pty would otherwise start the program in HOME.
        cmd.cwd(std::env::current_dir().expect("the test's working directory"));

        let child = pair.slave.spawn_command(cmd).unwrap_or_else(|e| panic!("cannot start {program}: {e:#}"));
        // Our copy of the slave would keep the terminal open after the program exits.
        drop(pair.slave);
        let master = pair.master;
        let fd = master.as_raw_fd().expect("a unix pty has a master fd");

        let rows = NonZeroU16::new(rows).expect("rows > 0");
        let cols = NonZeroU16::new(cols).expect("cols > 0");
        let shared = Arc::new(Shared {
            term: Mutex::new(Term {
                parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Responder { replies: Vec::new(), silent }),
                raw: Vec::new(),
                last_output: Instant::now(),
                ended: false,
            }),
            changed: Condvar::new(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (pty, shared, stop) = (dup_cloexec(fd), Arc::clone(&shared), Arc::clone(&stop));
            std::thread::Builder::new()
                .name(format!("pty reader: {program}"))
                .spawn(move || read_loop(pty, &shared, &stop))
                .expect("start the pty reader thread")
        };

        Session {
            program: program.to_string(),
            shared,
            child,
            exit: None,
            master: Some(master),
            writer: Some(dup_cloexec(fd)),
            reader: Some(reader),
            stop,
            last_input: Instant::now(),
            timeout: DEFAULT_TIMEOUT,
            home: home.to_path_buf(),
            home_dir: None,
        }
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Stops the program (if it still runs) and hands over the private HOME, to start the next
    /// session on it with `spawn_with_home`. `None` if the HOME was given to `spawn_with_home`.
    pub fn into_home(mut self) -> Option<tempfile::TempDir> {
        self.shutdown();
        self.home_dir.take()
    }

    /// The timeout for `wait_for`, `wait_until` and `settle` (default 5 s).
    pub fn set_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a unix child has a pid")
    }

    /// Types `text` as is (UTF-8; "\r" is Enter).
    pub fn send(&mut self, text: &str) -> &mut Self {
        self.send_bytes(text.as_bytes())
    }

    pub fn send_key(&mut self, key: Key) -> &mut Self {
        let app_cursor = self.shared.lock().parser.screen().application_cursor();
        self.send_bytes(&key.bytes(app_cursor))
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        let Some(writer) = self.writer.as_mut() else { panic!("typing into {} after close_pty", self.program) };
        if let Err(e) = writer.write_all(bytes).and_then(|()| writer.flush()) {
            panic!("cannot type into {} ({e}); has it exited?\n{}", self.program, self.dump());
        }
        self.last_input = Instant::now();
        self
    }

    /// Resizes the terminal (the parser first, then the pty, which sends SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) -> &mut Self {
        let (r, c) = (NonZeroU16::new(rows).expect("rows > 0"), NonZeroU16::new(cols).expect("cols > 0"));
        self.shared.lock().parser.set_size(r, c);
        let master = self.master.as_ref().expect("resize after close_pty");
        master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
        self
    }

    /// Waits until the screen text contains `needle`; panics with the screen if it does not
    /// within the timeout, or if the program's output ends first.
    pub fn wait_for(&mut self, needle: &str) -> &mut Self {
        let timeout = self.timeout;
        self.wait_for_within(needle, timeout)
    }

    pub fn wait_for_within(&mut self, needle: &str, timeout: Duration) -> &mut Self {
        self.wait_until(&format!("{needle:?} on screen"), timeout, |s| s.screen_text().contains(needle))
    }

    /// Waits until `needle` is no longer on screen.
    pub fn wait_for_gone(&mut self, needle: &str) -> &mut Self {
        let timeout = self.timeout;
        self.wait_until(&format!("{needle:?} gone from screen"), timeout, |s| !s.screen_text().contains(needle))
    }

    /// Waits until `cond` holds, checking after each chunk of output (and every 50 ms, for
    /// conditions on files). `what` names the condition in the failure message.
    pub fn wait_until(&mut self, what: &str, timeout: Duration, cond: impl Fn(&Session) -> bool) -> &mut Self {
        let deadline = Instant::now() + timeout;
        loop {
            // Read `ended` before testing, so output that ends meanwhile is still tested once more.
            let (seen, ended) = self.progress();
            if cond(self) {
                return self;
            }
            if ended {
                let status = self.describe_exit();
                panic!("waiting for {what}: the output of {} ended ({status})\n{}", self.program, self.dump());
            }
            let now = Instant::now();
            if now >= deadline {
                panic!("timed out after {timeout:?} waiting for {what}\n{}", self.dump());
            }
            self.wait_output(seen, deadline.min(now + Duration::from_millis(50)));
        }
    }

    /// Waits until nothing has been typed and no output has come for `DEFAULT_QUIET`.
    pub fn settle(&mut self) -> &mut Self {
        let timeout = self.timeout;
        self.settle_for(DEFAULT_QUIET, timeout)
    }

    /// Waits for a pause of `quiet` in input and output; panics if the output never pauses.
    pub fn settle_for(&mut self, quiet: Duration, timeout: Duration) -> &mut Self {
        let deadline = Instant::now() + timeout;
        loop {
            let (seen, ended) = self.progress();
            let since = self.shared.lock().last_output.max(self.last_input);
            let now = Instant::now();
            if ended || now >= since + quiet {
                return self;
            }
            if now >= deadline {
                panic!("the screen still changes after {timeout:?}\n{}", self.dump());
            }
            self.wait_output(seen, (since + quiet).min(deadline));
        }
    }

    /// The screen's rows, trailing spaces trimmed; a wide character appears once.
    pub fn screen(&self) -> Vec<String> {
        let term = self.shared.lock();
        let screen = term.parser.screen();
        let cols = screen.size().1.get();
        screen.rows(0, cols).map(|row| row.trim_end_matches(' ').to_string()).collect()
    }

    /// The screen's rows joined with "\n".
    pub fn screen_text(&self) -> String {
        self.screen().join("\n")
    }

    /// (cols, rows) of the parser, which follows `resize`.
    pub fn size(&self) -> (u16, u16) {
        let (rows, cols) = self.shared.lock().parser.screen().size();
        (cols.get(), rows.get())
    }

    /// One cell, for colours and attributes too. `None` outside the screen.
    pub fn cell(&self, row: u16, col: u16) -> Option<vt100::Cell> {
        self.shared.lock().parser.screen().cell(row, col).cloned()
    }

    /// A cell's text: the character (with any combining marks), or "" for a blank cell never
    /// written and for the right half of a wide character (see `cell(..).is_wide_continuation()`).
    pub fn cell_text(&self, row: u16, col: u16) -> String {
        self.cell(row, col).map(|c| c.contents().to_string()).unwrap_or_default()
    }

    /// Columns the row's content takes, to its last non-space cell, a wide character counting 2.
    pub fn row_width(&self, row: u16) -> usize {
        let term = self.shared.lock();
        let screen = term.parser.screen();
        let mut end = 0;
        for col in 0..screen.size().1.get() {
            let Some(cell) = screen.cell(row, col) else { break };
            if cell.has_contents() && cell.contents() != " " {
                end = usize::from(col) + if cell.is_wide() { 2 } else { 1 };
            }
        }
        end
    }

    pub fn alternate_screen(&self) -> bool {
        self.shared.lock().parser.screen().alternate_screen()
    }

    pub fn cursor_visible(&self) -> bool {
        !self.shared.lock().parser.screen().hide_cursor()
    }

    /// (row, col), from 0.
    pub fn cursor_position(&self) -> (u16, u16) {
        self.shared.lock().parser.screen().cursor_position()
    }

    /// Every byte the program wrote so far, escape sequences included (with the terminal's
    /// "\n" -> "\r\n" translation).
    pub fn raw(&self) -> Vec<u8> {
        self.shared.lock().raw.clone()
    }

    /// Whether the raw output contains `needle`, e.g. an escape sequence that must not leak from
    /// a file onto the terminal.
    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        let term = self.shared.lock();
        needle.is_empty() || term.raw.windows(needle.len()).any(|w| w == needle)
    }

    /// Waits for the program to exit and its last output to be read. Returns the exit code, or
    /// `None` if a signal ended it (see `exit_signal`). Panics with the screen if it runs on.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<u32> {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.try_exit() {
                break status;
            }
            let now = Instant::now();
            if now >= deadline {
                panic!("{} did not exit within {timeout:?}\n{}", self.program, self.dump());
            }
            let (seen, _) = self.progress();
            self.wait_output(seen, deadline.min(now + Duration::from_millis(20)));
        };
        // Its last bytes may still be in the pty. A background child that keeps the terminal
        // open delays the end of output, hence the bound.
        let drain = Instant::now() + Duration::from_secs(2);
        while let (seen, false) = self.progress() {
            if Instant::now() >= drain {
                break;
            }
            self.wait_output(seen, drain);
        }
        status.code().map(|c| u32::try_from(c).expect("exit codes are 0..=255"))
    }

    /// The exit status if the program has exited (reaping it), without waiting.
    pub fn try_exit(&mut self) -> Option<std::process::ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.std_child().try_wait().expect("check whether the program exited");
        }
        self.exit
    }

    /// The signal that ended the program, once `wait_exit` or `try_exit` saw it end.
    pub fn exit_signal(&self) -> Option<i32> {
        self.exit.and_then(|s| s.signal())
    }

    /// Sends `sig` (libc::SIGTERM, libc::SIGHUP...) to the program.
    pub fn signal(&self, sig: i32) {
        assert!(self.exit.is_none(), "signal to {}, which already exited", self.program);
        let pid = libc::pid_t::try_from(self.pid()).expect("pid fits pid_t");
        // SAFETY: kill has no memory effects; the child is not reaped yet, so the pid is still ours.
        if unsafe { libc::kill(pid, sig) } != 0 {
            panic!("kill({pid}, {sig}): {}", io::Error::last_os_error());
        }
    }

    /// Closes our side of the terminal, as a dropped SSH connection does: the kernel hangs the
    /// terminal up and sends SIGHUP to the program. Output after this is lost; the screen stays.
    pub fn close_pty(&mut self) {
        // The reader holds a copy of the master fd: stop it first, so the last copy closes.
        self.stop.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.writer = None;
        self.master = None;
    }

    /// The screen in a frame with row numbers, and the terminal state, for failure messages.
    pub fn dump(&self) -> String {
        let term = self.shared.lock();
        let screen = term.parser.screen();
        let (rows, cols) = (screen.size().0.get(), screen.size().1.get());
        let (cur_row, cur_col) = screen.cursor_position();
        let mut out = format!(
            "{} on a {cols}x{rows} screen; alternate screen {}; cursor at ({cur_row}, {cur_col}) {}; {} bytes read{}\n",
            self.program,
            if screen.alternate_screen() { "on" } else { "off" },
            if screen.hide_cursor() { "hidden" } else { "shown" },
            term.raw.len(),
            if term.ended { "; output ended" } else { "" },
        );
        let edge = format!("    +{}+\n", "-".repeat(usize::from(cols)));
        out.push_str(&edge);
        for row in 0..rows {
            // Built from cells so each row is exactly `cols` wide and the frame stays straight.
            let mut line = String::new();
            for col in 0..cols {
                let Some(cell) = screen.cell(row, col) else { break };
                if cell.is_wide_continuation() {
                    continue;
                }
                line.push_str(if cell.has_contents() { cell.contents() } else { " " });
            }
            out.push_str(&format!("{row:>3} |{line}|\n"));
        }
        out.push_str(&edge);
        out
    }

    fn describe_exit(&mut self) -> String {
        // The terminal closes a moment before the exit status can be collected.
        let until = Instant::now() + Duration::from_secs(1);
        while self.try_exit().is_none() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
        match self.try_exit() {
            Some(status) => format!("it exited: {status}"),
            None => "its terminal closed".to_string(),
        }
    }

    /// (bytes read so far, output ended).
    fn progress(&self) -> (usize, bool) {
        let term = self.shared.lock();
        (term.raw.len(), term.ended)
    }

    /// Sleeps until more than `seen` bytes have come, the output ends, or `until`.
    fn wait_output(&self, seen: usize, until: Instant) {
        let mut term = self.shared.lock();
        while term.raw.len() == seen && !term.ended {
            let now = Instant::now();
            if now >= until {
                return;
            }
            term = self.shared.changed.wait_timeout(term, until - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// portable-pty's `Child::kill` sends SIGHUP and reaps behind our back; std's is SIGKILL.
    fn std_child(&mut self) -> &mut std::process::Child {
        let child: &mut dyn portable_pty::Child = &mut *self.child;
        child.downcast_mut::<std::process::Child>().expect("portable-pty runs a std child on unix")
    }

    /// Kills the program if it still runs, reaps it and stops the reader. Never panics: it runs
    /// while a failed test unwinds.
    fn shutdown(&mut self) {
        if self.exit.is_none() {
            let child = self.std_child();
            self.exit = match child.try_wait() {
                Ok(None) => {
                    let _ = child.kill();
                    child.wait().ok()
                }
                Ok(status) => status,
                Err(_) => None,
            };
        }
        self.close_pty();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A close-on-exec duplicate, so programs started by other tests meanwhile do not inherit it.
fn dup_cloexec(fd: RawFd) -> File {
    // SAFETY: fd is the open master fd; F_DUPFD_CLOEXEC returns a new fd that we alone own.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    assert!(new >= 0, "duplicate the pty master: {}", io::Error::last_os_error());
    // SAFETY: `new` is a fresh, valid fd owned by nobody else.
    unsafe { File::from_raw_fd(new) }
}

fn read_loop(mut pty: File, shared: &Shared, stop: &AtomicBool) {
    let mut buf = vec![0u8; 64 * 1024];
    while !stop.load(Ordering::Relaxed) {
        // A bounded poll lets close_pty stop this thread, which must close its copy of the master
        // fd for the kernel to hang the terminal up.
        let mut pfd = libc::pollfd { fd: pty.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd, for an fd this thread owns.
        let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
        if ready < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            break;
        }
        if ready <= 0 {
            continue;
        }
        match pty.read(&mut buf) {
            // EIO (or 0) once every slave fd is closed: the program and its children are gone.
            Ok(0) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
            Ok(n) => {
                let replies = {
                    let mut term = shared.lock();
                    term.raw.extend_from_slice(&buf[..n]);
                    term.parser.process(&buf[..n]);
                    term.last_output = Instant::now();
                    std::mem::take(&mut term.parser.callbacks_mut().replies)
                };
                shared.changed.notify_all();
                if !replies.is_empty() {
                    let _ = pty.write_all(&replies);
                }
            }
        }
    }
    shared.lock().ended = true;
    shared.changed.notify_all();
}

/// The reader (the test crate's own kanbao binary) on `paths` only: no bundled seeds, narrow
/// ambiguous width, then `extra` args; waits up to 30 s for what a test expects.
#[allow(dead_code)]
pub fn reader(paths: &[&std::path::Path], extra: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
    let mut args: Vec<String> = vec!["--ambiguous".into(), "narrow".into(), "--no-bundled".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut s = Session::spawn(env!("CARGO_BIN_EXE_kanbao"), &args, cols, rows, env);
    s.set_timeout(std::time::Duration::from_secs(30));
    s
}
