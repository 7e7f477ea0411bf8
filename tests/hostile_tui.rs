//! Hostile input and faults in the interactive reader: the real binary in a pseudo-terminal
//! (tests/common/pty.rs), its raw output and its screen read back.
//!
//! What the reader must never do, whatever the file and whatever happens to the terminal: send
//! a control sequence that came from a file, panic, hang, spin, or leave the terminal broken.
//! Tests pass `--ambiguous narrow`, so the app sends no query of its own (the `auto` probe asks
//! for the cursor position) and any query in the raw output came from a file.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::pty::{Key, Session, reader, skip_without_pty};
use kanbao::tui::state::{Pane, geometry};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

/// Generous: a debug build on a loaded 2-core machine.
const SLOW: Duration = Duration::from_secs(30);

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
    p
}

/// Quits with `q` and checks the terminal is given back: exit 0, normal screen, cursor shown.
fn quit(mut s: Session) -> Session {
    s.send("q");
    assert_eq!(s.wait_exit(SLOW), Some(0), "q quits with 0\n{}", s.dump());
    assert_restored(&s);
    s
}

fn assert_restored(s: &Session) {
    assert!(!s.alternate_screen(), "alternate screen left on\n{}", s.dump());
    assert!(s.cursor_visible(), "cursor left hidden\n{}", s.dump());
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Around a byte offset of the raw output, escaped, for failure messages.
fn around(raw: &[u8], at: usize) -> String {
    format!("{:?}", String::from_utf8_lossy(&raw[at.saturating_sub(60)..(at + 60).min(raw.len())]))
}

/// What the app itself never sends, so it can only come from a file: OSC, DCS, SOS, PM, APC
/// (7-bit), any 8-bit C1 control (UTF-8 C2 80..C2 9F), BEL, a full reset (ESC c), terminal
/// queries (cursor position, device attributes), bidi controls and invisible format characters.
fn assert_no_foreign_sequences(s: &Session) {
    let raw = s.raw();
    for (what, seq) in [
        ("OSC", &b"\x1b]"[..]),
        ("DCS", b"\x1bP"),
        ("SOS", b"\x1bX"),
        ("PM", b"\x1b^"),
        ("APC", b"\x1b_"),
        ("BEL", b"\x07"),
        ("RIS (full reset)", b"\x1bc"),
        ("cursor position query", b"\x1b[6n"),
        ("device attributes query", b"\x1b[c"),
        ("secondary device attributes query", b"\x1b[>0c"),
    ] {
        if let Some(at) = find(&raw, seq) {
            panic!("{what} in the raw output at byte {at}: {}\n{}", around(&raw, at), s.dump());
        }
    }
    for (i, w) in raw.windows(2).enumerate() {
        assert!(!(w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1])), "C1 control at byte {i}: {}", around(&raw, i));
    }
    let text = String::from_utf8_lossy(&raw);
    // (U+2065 is unassigned, not a format character.)
    let invisible = |c: char| {
        let u = u32::from(c);
        matches!(u, 0xAD | 0x61C | 0x200B | 0x200C | 0x200E | 0x200F | 0xFEFF)
            || (0x2028..=0x202E).contains(&u)
            || (0x2060..=0x2064).contains(&u)
            || (0x2066..=0x2069).contains(&u)
            || (0xE0000..=0xE007F).contains(&u)
    };
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| invisible(c)) {
        panic!("U+{:04X} in the raw output: {:?}", u32::from(c), &text[i.saturating_sub(40)..]);
    }
}

// ---------------------------------------------------------------------------------------------
// 1. and 2. Escape injection, bidi and invisible characters

/// Every kind of terminal sequence, between distinctive characters; bidi and format characters.
const ESCAPES: &str = concat!(
    "重庆市总工会\x1b]0;PWNED-TITLE\x07召开会议\x1b]2;PWNED-TITLE-2\x1b\\\n",
    "\n",
    "2023年5月29日，甲\x1b[2J乙丙\x1b]52;c;SGVsbG8gY2xpcGJvYXJk\x07丁戊",
    "\x1b]8;;http://evil.example/\x1b\\己链接庚\x1b]8;;\x1b\\辛壬\x1b[6n癸子\x1b[c丑寅\x1b[>0c卯",
    "辰\x1bP+q544e\x1b\\巳午\x1b_APC-PAYLOAD\x1b\\未申\x1bc酉戌\x1b7亥",
    "一\u{9b}31m二\u{9d}0;c1-osc-inert\u{9c}三\u{90}c1-dcs-inert\u{9c}四\u{85}五\u{7}六\u{8}七\u{7f}八\r九十。\n",
    "\n",
    "会议指出\x1b[31m红色\x1b[0m要求，\x1b[1;1H\x1b[K各级工会\x1b[?1049l做好工作\x1b[?25l。\n",
    "\n",
    "职\u{202e}工\u{202c}群\u{2066}众\u{2069}满\u{200b}意\u{feff}了\u{ad}，\u{200e}工\u{2060}会\u{e0041}服务。\n",
    "\n",
    "图片新闻\n",
    "\n",
    "劳模\x1b]0;PWNED-3\x07风采展示\n",
    "\n",
    "5月30日，劳模\u{202e}风采展示活动在渝中区举行\x1b[2J，职工踊跃参加。\n",
);

/// Strings that were inside removed sequences: on screen or in the raw output, a leak.
const PAYLOADS: &[&str] = &[
    "PWNED",
    "SGVsbG8gY2xpcGJvYXJk",
    "evil.example",
    "APC-PAYLOAD",
    "544e",
    "2J乙",
    "6n癸",
    "c丑",
    "31m红",
    "1049l做",
];

#[test]
fn escape_sequences_from_files_and_names_never_reach_the_terminal() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "escapes.txt", ESCAPES.as_bytes());
    // Names with sequences: one bad (its error is printed before the reader starts), one good.
    write(dir.path(), "bad\x1b]0;PWNED-NAME\x07\x1b[2J\u{9b}6n\n.txt", b"\0\x01binary\0");
    write(
        dir.path(),
        "good\x1b]52;c;PWNED\x07\u{202e}.txt",
        "区县工会动态\n\n2021年3月5日，北碚区总工会开展活动。\n".as_bytes(),
    );
    let mut s = reader(&[dir.path()], &["--open", "2023-05/1"], 100, 30, &[]);
    // The status line starts with the notice about the bad file, not the key hints.
    s.wait_for("甲乙丙丁戊").wait_for("2023-05-").wait_for(" · 1/2").wait_for("未能读取");
    // Through the article, a search (highlights take another paint path), the next article,
    // the library and the help.
    s.send("G").wait_for("100%");
    s.send("g").send("/").wait_for("/");
    s.send("乙").send_key(Key::Enter).wait_for("“乙” 1/1");
    s.send("]").wait_for(" · 2/2");
    s.send_key(Key::Tab).send("j").send("j").send("?").wait_for("帮助 Help");
    s.send_key(Key::Esc).wait_for_gone("帮助 Help").settle();
    let screen = s.screen_text();
    for p in PAYLOADS {
        assert!(!screen.contains(p), "payload {p:?} on screen\n{}", s.dump());
    }
    let s = quit(s);
    assert_no_foreign_sequences(&s);
    let raw = s.raw();
    for p in PAYLOADS {
        assert!(find(&raw, p.as_bytes()).is_none(), "payload {p:?} in the raw output");
    }
    // The app leaves the alternate screen once, at the end; the file's "ESC [?1049l" never.
    assert_eq!(raw.windows(8).filter(|w| w == b"\x1b[?1049l").count(), 1, "{}", s.dump());
    // The bad file was reported (before the reader started), its name sanitized (the newline in
    // it a space).
    assert!(find(&raw, b"bad .txt: looks like a binary file").is_some(), "{}", String::from_utf8_lossy(&raw));
}

// ---------------------------------------------------------------------------------------------
// 3. A 10 MB single line in the reader

#[test]
fn a_10_mb_single_line_opens_scrolls_and_resizes() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sentence = "2023年5月29日，重庆市总工会召开会议，职工群众踊跃参加“劳动竞赛”活动……";
    let mut text = String::with_capacity(10 * 1024 * 1024 + 200);
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(sentence);
    }
    let file = write(dir.path(), "one-line.txt", text.as_bytes());
    drop(text);
    let start = Instant::now();
    let mut s = reader(&[&file], &["--open", "2023-05/1"], 80, 24, &[]);
    s.set_timeout(Duration::from_secs(60));
    s.wait_for("第1/1篇").wait_for("劳动竞赛");
    let opened = start.elapsed();
    let t = Instant::now();
    s.send_key(Key::PageDown).wait_for(" 0%").settle();
    s.send("G").wait_for("100%");
    let to_end = t.elapsed();
    let t = Instant::now();
    s.send("g").wait_for(" 0%");
    s.send("j").send("j").send("j").settle();
    let back = t.elapsed();
    let t = Instant::now();
    s.resize(100, 30);
    s.wait_until("a frame at 100x30", Duration::from_secs(60), |s| {
        s.screen().last().is_some_and(|l| l.contains("q退出")) && s.row_width(0) > 80
    });
    let resized = t.elapsed();
    eprintln!(
        "10 MB single line in the reader: open {opened:?}, PgDn+G {to_end:?}, g+jjj {back:?}, resize {resized:?}"
    );
    quit(s);
}

/// An `--open` id with sequences in it: refused in one sanitized line, exit code 2.
#[test]
fn a_hostile_open_id_is_refused_safely() {
    if skip_without_pty() {
        return;
    }
    let id = "x\x1b]0;PWNED\x07\x1b[2J\u{9b}6n\u{202e}\ny";
    let mut s = Session::spawn(BIN, &["--ambiguous", "narrow", "--open", id], 80, 24, &[]);
    assert_eq!(s.wait_exit(SLOW), Some(2), "{}", s.dump());
    assert_no_foreign_sequences(&s);
    assert!(!s.raw_contains(b"PWNED") && !s.raw_contains(b"[2J"), "{}", s.dump());
    let text = s.screen_text();
    assert!(text.contains("no article with id") && text.lines().filter(|l| !l.is_empty()).count() == 1, "{}", s.dump());
    assert_restored(&s);
}

/// The harness's own raw-output check must see a leak, or the test above proves nothing.
#[test]
fn the_leak_check_sees_a_leak() {
    if skip_without_pty() {
        return;
    }
    for leak in [r"\033]0;x\007", r"\302\233" /* U+009B */, r"\033[6n", r"\342\200\256" /* U+202E */] {
        let mut s = Session::spawn("sh", &["-c", &format!("printf 'a{leak}b'")], 40, 5, &[]);
        assert_eq!(s.wait_exit(SLOW), Some(0));
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| assert_no_foreign_sequences(&s)));
        assert!(caught.is_err(), "{leak} not caught");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Terminal sizes, resize bursts, wide characters at pane edges

/// Headlines and paragraphs whose wide characters fall at every column parity: each article's
/// lines start with 0 to 3 ASCII characters. Ambiguous (“ ” … — ①), single-code-point emoji and
/// full-width text too; `extra` is put into each paragraph.
fn edges_text(extra: &str) -> String {
    let mut out = String::new();
    let prefixes = ["", "a", "ab", "abc"];
    for (i, p) in prefixes.iter().enumerate() {
        out.push_str(&format!("{p}重庆市总工会召开会议部署全年工作任务要求各级工会组织切实做好职工服务第{i}篇\n\n"));
        for k in 0..3 {
            out.push_str(&format!(
                "{p}{}2023年5月{}日，“劳模风采”展示活动……在渝中区举行——{extra}职工👍踊跃参加，ＡＢＣ全角①②③{}。\n\n",
                "x".repeat(k),
                i + 1,
                "重庆工会服务职工".repeat(12)
            ));
        }
    }
    out
}

/// Where the borders must stand: on each pane row, the outer columns of every pane (as the
/// reader's own geometry places them: side by side, or the list over the preview) hold a vertical
/// line. A wide character drawn past a pane edge would move or overwrite them.
fn assert_frame_fits(s: &Session, two_panes: bool) {
    let (cols, rows) = s.size();
    for r in 0..rows {
        assert!(s.row_width(r) <= usize::from(cols), "row {r} wider than {cols}\n{}", s.dump());
    }
    let g = geometry((cols, rows), if two_panes { Pane::Library } else { Pane::Reader }, 76, !two_panes);
    let panes: Vec<_> = if two_panes {
        [g.library, g.reader].into_iter().flatten().collect()
    } else {
        vec![ratatui::layout::Rect::new(0, 1, cols, rows - 2)]
    };
    for pane in panes {
        for r in pane.y + 1..pane.bottom() - 1 {
            for c in [pane.x, pane.right() - 1] {
                let cell = s.cell_text(r, c);
                assert!(
                    matches!(cell.as_str(), "│" | "|"),
                    "row {r} col {c}: {cell:?} where a border belongs\n{}",
                    s.dump()
                );
            }
        }
    }
}

/// Sizes from absurd to huge, including each side of the layout's thresholds.
const SIZES: &[(u16, u16)] = &[
    (1, 1),
    (2, 2),
    (5, 3),
    (19, 5),
    (20, 6),
    (40, 12),
    (59, 20),
    (60, 20),
    (80, 24),
    (133, 41),
    (200, 50),
    (400, 120),
];

/// Waits for the first full frame at the session's size: the header (or, when too small, the
/// alternate screen), then no output for a moment.
fn wait_first_frame(s: &mut Session) {
    let (cols, rows) = s.size();
    if cols >= 20 && rows >= 6 {
        s.wait_until("the header and the status line", SLOW, |s| {
            let screen = s.screen();
            screen[0].contains("看报") && screen.last().is_some_and(|l| !l.is_empty())
        });
    } else {
        s.wait_until("the alternate screen", SLOW, Session::alternate_screen);
    }
    s.settle();
}

/// One size of the sweep: first frame, help over it and gone, scrolling; borders in place and
/// the reader alive throughout; `q` quits cleanly.
fn check_size(file: &Path, cols: u16, rows: u16, open: bool) {
    let extra: &[&str] = if open { &["--open", "2023-05/2"] } else { &[] };
    let mut s = reader(&[file], extra, cols, rows, &[]);
    wait_first_frame(&mut s);
    assert!(s.try_exit().is_none(), "exited at {cols}x{rows}\n{}", s.dump());
    let framed = cols >= 20 && rows >= 6;
    // Two panes side by side while browsing from 60 columns; an open article is read full width.
    let two_panes = cols >= 60 && !open;
    if framed {
        assert_frame_fits(&s, two_panes);
    } else {
        for r in 0..rows {
            assert!(s.row_width(r) <= usize::from(cols), "{}", s.dump());
        }
    }
    // The help over it, then back: the same screen as before (popup edges repainted).
    let before = s.screen();
    s.send("?").settle();
    assert!(s.try_exit().is_none(), "exited on ? at {cols}x{rows}\n{}", s.dump());
    s.send_key(Key::Esc);
    if framed {
        s.wait_until("the help closed", SLOW, |s| s.screen() == before);
        // To the end and back, in whichever pane is open.
        s.send("G").send("k").send("j").send("g").settle();
        assert_frame_fits(&s, two_panes);
    }
    s.settle();
    quit(s);
}

#[test]
fn every_terminal_size_from_1x1_to_400x120_draws_within_its_bounds() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edges.txt", edges_text("").as_bytes());
    // Three at a time: most of a session's time is waiting for the screen to settle.
    let jobs: Vec<(u16, u16, bool)> = SIZES.iter().flat_map(|&(c, r)| [(c, r, true), (c, r, false)]).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..3)
            .map(|w| {
                let (jobs, file) = (&jobs, &file);
                scope.spawn(move || {
                    for &(c, r, open) in jobs.iter().skip(w).step_by(3) {
                        check_size(file, c, r, open);
                    }
                })
            })
            .collect();
        for w in workers {
            if let Err(e) = w.join() {
                std::panic::resume_unwind(e);
            }
        }
    });
}

/// Emoji ZWJ sequences (👩‍💻) are one grapheme of 2 cells to the layout, but terminals without
/// grapheme clustering (xterm, PuTTY, tmux, vt100 here) draw each part: 4 cells. When one stands
/// at a pane's right edge, the parts spill over the border. The same for skin tones and VS16.
#[test]
fn emoji_zwj_sequences_stay_inside_their_pane() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Also skin tones (👍🏽: 4 cells in tmux, xterm and vt100), VS16 sequences (the base's width)
    // and Hangul fillers (2 cells in terminals, 0 to unicode-width: removed at load).
    let extra = "👩‍💻👨‍👩‍👧👍🏽✌\u{fe0f}1\u{fe0f}\u{20e3}©\u{fe0f}\u{3164}\u{115f}";
    let file = write(dir.path(), "zwj.txt", edges_text(extra).as_bytes());
    for (cols, rows) in [(59, 20), (80, 24)] {
        let mut s = reader(&[&file], &["--open", "2023-05/2"], cols, rows, &[]);
        wait_first_frame(&mut s);
        let before = s.screen();
        assert_frame_fits(&s, false);
        // Repainting part of the screen writes the emoji again, without the cells after it.
        s.send("?").settle();
        s.send_key(Key::Esc).settle();
        assert_frame_fits(&s, false);
        assert_eq!(s.screen(), before, "the screen after the help closed differs\n{}", s.dump());
        quit(s);
    }
}

/// A fresh reader at `size` with `--open`, settled: what the screen should look like.
fn fresh_screen(file: &Path, cols: u16, rows: u16) -> Vec<String> {
    let mut s = reader(&[file], &["--open", "2023-05/2"], cols, rows, &[]);
    wait_first_frame(&mut s);
    let screen = s.screen();
    quit(s);
    screen
}

#[test]
fn a_burst_of_50_resizes_ends_on_the_same_screen_as_a_fresh_start() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edges.txt", edges_text("").as_bytes());
    let mut s = reader(&[&file], &["--open", "2023-05/2"], 80, 24, &[]);
    wait_first_frame(&mut s);
    // A deterministic walk over the sizes, absurd ones included, as fast as the pty takes them.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..49 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (c, r) = SIZES[(x % SIZES.len() as u64) as usize];
        let (c, r) = (c + (x >> 32) as u16 % 7, r + (x >> 40) as u16 % 5);
        s.resize(c, r);
    }
    let (cols, rows) = (97, 31);
    s.resize(cols, rows);
    s.wait_until("a frame at the final size", SLOW, |s| {
        let screen = s.screen();
        screen[0].contains("看报") && screen[usize::from(rows) - 1].contains("q退出")
    });
    s.settle();
    assert!(s.try_exit().is_none(), "exited during the burst\n{}", s.dump());
    assert_frame_fits(&s, false);
    let want = fresh_screen(&file, cols, rows);
    assert_eq!(s.screen(), want, "after the burst, not the screen of a fresh start at {cols}x{rows}\n{}", s.dump());
    quit(s);
}

// ---------------------------------------------------------------------------------------------
// 7. Panic, signals, a dropped terminal

/// The fields of /proc/PID/stat after the command name (field 3, the state, is index 0).
fn proc_stat(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// CPU time used so far (user + system), in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let f = proc_stat(pid)?;
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// The pid of a child of `parent` (the wrapping shell's kanbao).
fn child_of(parent: u32) -> Option<u32> {
    fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|&pid| proc_stat(pid).and_then(|f| f.get(1)?.parse::<u32>().ok()) == Some(parent))
}

/// Asserts the process, idle at its screen, uses next to no CPU over one second (a spinning
/// loop uses all of it). A measurement window, not a synchronisation.
fn assert_idle(pid: u32, what: &str) {
    // SAFETY: sysconf only reads a system constant.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap_or(100);
    let before = cpu_ticks(pid).expect("kanbao's /proc/PID/stat");
    std::thread::sleep(Duration::from_secs(1));
    let used = cpu_ticks(pid).expect("kanbao's /proc/PID/stat") - before;
    assert!(used * 10 <= hz, "{what}: {used} ticks of CPU in 1 s while idle ({hz} ticks = 100%): a busy loop?");
}

/// The terminal modes the shell found after kanbao ended, from `stty -a` printed by the shell
/// after it: the line discipline must be back to cooked (icanon, echo, opost).
fn assert_cooked(s: &Session) {
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    let stty = &raw[raw.rfind("speed").unwrap_or_else(|| panic!("no stty output\n{}", s.dump()))..];
    let words: Vec<&str> = stty.split_whitespace().collect();
    for mode in ["icanon", "echo", "opost", "isig"] {
        assert!(words.contains(&mode), "tty left without {mode} (raw mode still on)\n{stty}");
    }
    // Wheel-mouse reporting switched off after it was switched on.
    if let Some(on) = raw.rfind("\x1b[?1000h") {
        assert!(raw.rfind("\x1b[?1000l").is_some_and(|off| off > on), "mouse reporting left on");
    }
}

/// kanbao under a shell that reports its exit code and the tty modes after it.
fn wrapped(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
    let script = r#""$0" "$@"; echo "kanbao exit $?"; stty -a"#;
    let mut all = vec!["-c", script, BIN, "--ambiguous", "narrow"];
    all.extend(args);
    let mut s = Session::spawn("sh", &all, cols, rows, env);
    s.set_timeout(SLOW);
    s
}

/// Contract assumed (to be added to the binary): with `KANBAO_TEST_PANIC=1` in its environment,
/// the reader panics (an ordinary `panic!`, through the installed hook, not an abort) right after
/// its first `terminal.draw`, with a one-line message that starts with `KANBAO_TEST_PANIC`.
/// Expected: the terminal restored by the panic hook before the message is printed (normal
/// screen, cursor shown, cooked mode, mouse reporting off), the message on the normal screen
/// starting at column 0, exit code 101.
#[test]
fn a_panic_restores_the_terminal_and_shows_the_message() {
    if skip_without_pty() {
        return;
    }
    let mut s = wrapped(&[], 100, 30, &[("KANBAO_TEST_PANIC", "1")]);
    // The first frame and the panic may come in one read: wait for the end, not for the frame.
    s.wait_until("kanbao to exit (is the KANBAO_TEST_PANIC trigger in the binary?)", Duration::from_secs(10), |s| {
        s.screen_text().contains("kanbao exit")
    });
    assert_eq!(s.wait_exit(SLOW), Some(0), "the shell\n{}", s.dump());
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    // The header's ASCII part ("看报" is not contiguous in the raw output: the terminal cursor is
    // placed again after each wide character).
    let frame = raw.find("kanbao · ").unwrap_or_else(|| panic!("no first frame before the panic\n{}", s.dump()));
    let message = raw
        .find("KANBAO_TEST_PANIC")
        .unwrap_or_else(|| panic!("no panic message mentioning KANBAO_TEST_PANIC\n{raw:?}"));
    assert!(frame < message, "the panic came before the first frame");
    assert!(s.screen_text().contains("kanbao exit 101"), "exit code 101 after a panic\n{}", s.dump());
    assert_restored(&s);
    assert_cooked(&s);
    let screen = s.screen();
    let line =
        screen.iter().find(|l| l.contains("panicked")).unwrap_or_else(|| panic!("message on screen\n{}", s.dump()));
    assert!(line.starts_with("thread"), "the message is not at column 0 (raw mode still on?): {line:?}\n{}", s.dump());
    assert!(screen.iter().any(|l| l.starts_with("KANBAO_TEST_PANIC")), "{}", s.dump());
}

/// One quit signal to a kanbao idle at its first screen: no CPU used while idle, exit within
/// 2 s, the terminal restored.
fn check_signal(sig: i32, file: &Path) {
    let path = file.display().to_string();
    let mut s = wrapped(&["--no-bundled", "--open", "2023-05/2", &path], 80, 24, &[]);
    s.wait_for("q退出").settle();
    let pid = child_of(s.pid()).unwrap_or_else(|| panic!("kanbao under the shell\n{}", s.dump()));
    assert_idle(pid, &format!("before signal {sig}"));
    // SAFETY: kill(2) on the kanbao we started (still running: the shell has not echoed).
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, sig) }, 0);
    // It ends on the signal alone (no key follows); a hang fails the wait. How fast is
    // measured, not asserted (tests never assert on time).
    s.wait_for("kanbao exit");
    assert_eq!(s.wait_exit(SLOW), Some(0), "the shell\n{}", s.dump());
    assert_restored(&s);
    assert_cooked(&s);
}

#[test]
fn quit_signals_end_it_quickly_and_restore_the_terminal() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edges.txt", edges_text("").as_bytes());
    std::thread::scope(|scope| {
        let workers: Vec<_> = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP]
            .into_iter()
            .map(|sig| {
                let file = &file;
                scope.spawn(move || check_signal(sig, file))
            })
            .collect();
        for w in workers {
            if let Err(e) = w.join() {
                std::panic::resume_unwind(e);
            }
        }
    });
}

/// The terminal goes away (SSH dropped): kanbao must notice and exit, not spin on a dead tty.
#[test]
fn a_closed_terminal_ends_it_without_spinning() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edges.txt", edges_text("").as_bytes());
    let mut s = reader(&[&file], &["--open", "2023-05/2"], 80, 24, &[]);
    s.wait_for("q退出").settle();
    let pid = s.pid();
    assert_idle(pid, "before the terminal closed");
    s.close_pty();
    let closed = Instant::now();
    while s.try_exit().is_none() && closed.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    if s.try_exit().is_none() {
        let before = cpu_ticks(pid).unwrap_or(0);
        std::thread::sleep(Duration::from_secs(1));
        let used = cpu_ticks(pid).unwrap_or(0) - before;
        panic!("still running 2 s after its terminal closed; {used} ticks of CPU in the next second");
    }
}

/// A quit signal while kanbao holds half an escape sequence (a slow link split an arrow key):
/// the reader must still end within 2 s, not at the next key. crossterm, having read a partial
/// sequence, reads the tty again for the rest; the test waits until kanbao's main thread sits
/// in that read(2) of fd 0, then signals.
#[test]
fn a_quit_signal_after_half_an_escape_sequence_still_ends_it() {
    if skip_without_pty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edges.txt", edges_text("").as_bytes());
    let path = file.display().to_string();
    let mut s = wrapped(&["--no-bundled", "--open", "2023-05/2", &path], 80, 24, &[]);
    s.wait_for("q退出").settle();
    let pid = child_of(s.pid()).unwrap_or_else(|| panic!("kanbao under the shell\n{}", s.dump()));
    if current_syscall(pid).is_none() {
        eprintln!("skipping: /proc/{pid}/syscall is not readable here");
        return;
    }
    s.send_bytes(b"\x1b[1;");
    // Where kanbao waits now: in its own poll(2) (fine), or in a read(2) of the tty that only
    // more input ends. Give it time to get to one or the other.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut in_read = false;
    while Instant::now() < deadline && !in_read {
        in_read = current_syscall(pid).is_some_and(|(nr, fd)| nr == libc::SYS_read && fd == 0);
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: kill(2) on the kanbao we started.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) }, 0);
    let sent = Instant::now();
    while !s.screen_text().contains("kanbao exit") && sent.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
    }
    if !s.screen_text().contains("kanbao exit") {
        // Finish the sequence so it ends, then fail with what was seen.
        s.send_bytes(b"5A");
        let late = s.wait_until("exit after the next key", SLOW, |s| s.screen_text().contains("kanbao exit")).dump();
        panic!(
            "SIGTERM ignored while kanbao's main thread blocks in read(0) with half an escape \
             sequence (in read: {in_read}); it ended only at the next key, {:?} after the signal\n{late}",
            sent.elapsed()
        );
    }
    assert_eq!(s.wait_exit(SLOW), Some(0));
    assert_restored(&s);
    assert_cooked(&s);
}

/// The system call a process's main thread is in, and its first argument, from
/// /proc/PID/syscall ("running" gives a number of -1).
fn current_syscall(pid: u32) -> Option<(libc::c_long, i64)> {
    let text = fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
    let mut words = text.split_whitespace();
    let nr = words.next()?.parse::<libc::c_long>().unwrap_or(-1);
    let arg = words.next().and_then(|a| i64::from_str_radix(a.trim_start_matches("0x"), 16).ok()).unwrap_or(-1);
    Some((nr, arg))
}
