//! Self-test of the pseudo-terminal harness in tests/common/pty.rs, against programs every
//! machine has (sh, printf, stty, sleep) and `less` when present. A test is skipped only when no
//! pty can be opened at all.

mod common;

use std::time::Duration;

use common::pty::{Key, Session, skip_without_pty, which};

const EXIT: Duration = Duration::from_secs(10);

fn sh(script: &str, cols: u16, rows: u16) -> Session {
    Session::spawn("sh", &["-c", script], cols, rows, &[])
}

#[test]
fn wide_characters_alternate_screen_and_cursor() {
    if skip_without_pty() {
        return;
    }
    let mut s = sh(r#"printf '\033[?1049h\033[?25l你好世界'; read x; printf '\033[?1049l\033[?25h'"#, 40, 8);
    s.wait_for("你好世界");
    assert!(s.alternate_screen(), "{}", s.dump());
    assert!(!s.cursor_visible(), "{}", s.dump());
    assert_eq!(s.screen()[0], "你好世界");
    assert_eq!(s.screen().len(), 8);

    // Each character sits in its first cell; the second is an empty continuation.
    for (i, ch) in "你好世界".chars().enumerate() {
        let col = 2 * u16::try_from(i).unwrap();
        let first = s.cell(0, col).unwrap();
        let second = s.cell(0, col + 1).unwrap();
        assert_eq!(first.contents(), ch.to_string());
        assert!(first.is_wide() && !first.is_wide_continuation());
        assert!(second.is_wide_continuation() && !second.has_contents());
        assert_eq!(s.cell_text(0, col + 1), "");
    }
    assert_eq!(s.row_width(0), 8);
    assert_eq!(s.row_width(1), 0);
    assert_eq!(s.cursor_position(), (0, 8));
    assert!(s.dump().contains("  0 |你好世界                                |"), "{}", s.dump());

    s.send_key(Key::Enter);
    assert_eq!(s.wait_exit(EXIT), Some(0));
    assert!(!s.alternate_screen(), "{}", s.dump());
    assert!(s.cursor_visible());
    assert!(!s.screen_text().contains("你好世界"), "the main screen keeps what it had\n{}", s.dump());
}

#[test]
fn raw_bytes_are_complete_after_exit() {
    if skip_without_pty() {
        return;
    }
    // Written in one go right before exit: the reader must still get every byte.
    let mut s = sh("i=0; while [ $i -lt 2000 ]; do echo \"line $i 行\"; i=$((i+1)); done", 30, 5);
    assert_eq!(s.wait_exit(EXIT), Some(0));
    let expected: String = (0..2000).map(|i| format!("line {i} 行\r\n")).collect();
    assert_eq!(s.raw().len(), expected.len());
    assert!(s.raw() == expected.as_bytes());
    assert!(s.raw_contains("line 1999 行\r\n".as_bytes()) && !s.raw_contains(b"\x1b"));
    assert_eq!(s.screen()[3], "line 1999 行");
}

#[test]
fn environment_is_private_and_fixed() {
    if skip_without_pty() {
        return;
    }
    let mut s = Session::spawn(
        "sh",
        &["-c", r#"printf '%s|%s|%s|%s|%s|' "$TERM" "$LANG" "$NO_COLOR" "$LC_ALL" "$XDG_CONFIG_HOME"; pwd"#],
        200,
        5,
        &[("NO_COLOR", "1")],
    );
    assert_eq!(s.wait_exit(EXIT), Some(0));
    let home = s.home().display().to_string();
    let cwd = std::env::current_dir().unwrap().display().to_string();
    assert_eq!(s.screen()[0], format!("xterm-256color|C.UTF-8|1||{home}/.config|{cwd}"));

    // A second run on the same HOME sees what the first left.
    std::fs::write(s.home().join("state"), "kept").unwrap();
    let home = s.into_home().expect("spawn owns its HOME");
    let mut again = Session::spawn_with_home("sh", &["-c", "cat \"$HOME/state\""], 20, 3, &[], home.path());
    again.wait_for("kept");
    assert_eq!(again.wait_exit(EXIT), Some(0));
}

#[test]
fn answers_cursor_position_and_device_attribute_queries() {
    if skip_without_pty() {
        return;
    }
    // The replies arrive as input; od shows their bytes.
    let script =
        r#"stty raw -echo; printf '\033[3;5H\033[6n\033[c'; head -c 13 | od -An -tx1 > "$HOME/replies"; stty sane"#;
    let mut s = sh(script, 20, 5);
    assert_eq!(s.wait_exit(EXIT), Some(0));
    let replies = std::fs::read_to_string(s.home().join("replies")).unwrap();
    let replies = replies.split_whitespace().collect::<Vec<_>>().join(" ");
    // ESC [ 3 ; 5 R   then   ESC [ ? 1 ; 2 c
    assert_eq!(replies, "1b 5b 33 3b 35 52 1b 5b 3f 31 3b 32 63");
}

#[test]
fn keys_reach_the_program_as_xterm_sends_them() {
    if skip_without_pty() {
        return;
    }
    let script = r#"stty raw -echo; printf ready; head -c 16 | od -An -tx1 > "$HOME/keys"; stty sane"#;
    let mut s = sh(script, 20, 5);
    s.wait_for("ready");
    s.send_key(Key::Up).send_key(Key::PageDown).send_key(Key::Ctrl('c')).send_key(Key::F(5)).send("中");
    assert_eq!(s.wait_exit(EXIT), Some(0));
    let keys = std::fs::read_to_string(s.home().join("keys")).unwrap();
    let keys = keys.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(keys, "1b 5b 41 1b 5b 36 7e 03 1b 5b 31 35 7e e4 b8 ad");
}

#[test]
fn resize_reaches_the_terminal_and_the_parser() {
    if skip_without_pty() {
        return;
    }
    // dash runs a trap once the current `sleep` ends, so no SIGWINCH is lost.
    let script = r#"trap 'echo "winch $(stty size)"' WINCH; echo "size $(stty size)"; while :; do sleep 0.1; done"#;
    let mut s = sh(script, 40, 10);
    s.wait_for("size 10 40");
    s.resize(100, 30);
    assert_eq!(s.size(), (100, 30));
    assert_eq!(s.screen().len(), 30);
    s.wait_for("winch 30 100");
    s.resize(20, 5).wait_for("winch 5 20");
    assert_eq!(s.screen().len(), 5);
    assert!(s.screen().iter().all(|row| row.chars().count() <= 20), "{}", s.dump());
}

#[test]
fn sigterm_ends_the_program() {
    if skip_without_pty() {
        return;
    }
    let mut s = Session::spawn("sleep", &["30"], 20, 5, &[]);
    assert!(s.try_exit().is_none());
    s.signal(libc::SIGTERM);
    assert_eq!(s.wait_exit(EXIT), None);
    assert_eq!(s.exit_signal(), Some(libc::SIGTERM));
}

#[test]
fn closing_the_pty_hangs_the_program_up() {
    if skip_without_pty() {
        return;
    }
    // The trap shows that SIGHUP came, the exit code that it ran.
    let script = r#"trap 'echo hup > "$HOME/hup"; exit 3' HUP; printf ready; while :; do sleep 0.1; done"#;
    let mut s = sh(script, 20, 5);
    s.wait_for("ready");
    s.close_pty();
    assert_eq!(s.wait_exit(EXIT), Some(3));
    assert_eq!(std::fs::read_to_string(s.home().join("hup")).unwrap(), "hup\n");
    assert_eq!(s.screen()[0], "ready", "the last screen stays readable");
}

#[test]
fn waiting_fails_with_the_screen_when_output_ends() {
    if skip_without_pty() {
        return;
    }
    let failure = std::panic::catch_unwind(|| {
        let mut s = sh("printf 'only this'", 20, 3);
        s.wait_for("never shown");
    })
    .expect_err("wait_for must fail");
    let message = failure.downcast_ref::<String>().expect("a formatted panic message");
    assert!(message.contains("\"never shown\" on screen"), "{message}");
    assert!(message.contains("ended (it exited"), "{message}");
    assert!(message.contains("  0 |only this           |"), "{message}");
}

#[test]
fn less_shows_and_scrolls_chinese_text() {
    if skip_without_pty() {
        return;
    }
    if which("less").is_none() {
        eprintln!("skipping: less is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("news.txt");
    let text: String = (1..=40).map(|i| format!("第{i:02}行：新华社北京电，今天天气晴。\n")).collect();
    std::fs::write(&file, text).unwrap();

    let mut s = Session::spawn("less", &[file.to_str().unwrap()], 60, 10, &[]);
    s.wait_for("第01行").wait_for("news.txt");
    assert!(s.alternate_screen(), "{}", s.dump());
    assert_eq!(s.screen()[0], "第01行：新华社北京电，今天天气晴。");
    assert_eq!(s.row_width(0), 2 * 16 + 2, "16 wide characters and two digits");

    // less turns on DECCKM, so Down goes as SS3 B; it scrolls one line.
    s.send_key(Key::Down).wait_for_gone("第01行");
    assert_eq!(s.screen()[0], "第02行：新华社北京电，今天天气晴。");

    // Narrower than a line: less wraps it by cells, the wide characters whole. less may miss a
    // SIGWINCH that comes just before it waits for a key (it checks for signals, then reads); it
    // handles a pending one before the next command, so `r` (repaint) makes this deterministic.
    s.resize(21, 20).send("r");
    // A condition can hold on a half-drawn frame: wait for the whole of what is checked.
    s.wait_until("wrapped lines", Duration::from_secs(5), |s| {
        s.screen()[..4] == ["第02行：新华社北京电", "，今天天气晴。", "第03行：新华社北京电", "，今天天气晴。"]
            && s.screen()[18] == "第11行：新华社北京电"
    });
    assert!((0..19).all(|row| s.row_width(row) <= 21), "{}", s.dump());

    s.send("q");
    assert_eq!(s.wait_exit(EXIT), Some(0));
    assert!(!s.alternate_screen(), "{}", s.dump());
}
