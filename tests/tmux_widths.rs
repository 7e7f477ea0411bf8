//! kanbao's cell widths against a live tmux: each sequence is printed in a tmux pane between
//! brackets and tmux's cursor column read back (`#{cursor_x}`), exactly what tmux will tell the
//! outer terminal. Skips with a printed reason when tmux is not installed.
//!
//! Emoji sequences are printed the way kanbao paints them (`paint_parts`: no joiner, no
//! variation selector, a skin tone in its own cell); sequences without a joiner are also printed
//! raw, as a file would carry them, and must measure the same (issue 14 item 10).

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::widths::TERMINAL_WIDTHS;
use kanbao::domain::sanitize::sanitize;
use kanbao::domain::width::{Ambiguous, paint_parts, str_width};
use unicode_segmentation::UnicodeSegmentation;

/// A private tmux server (own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start() -> Option<Tmux> {
        match Command::new("tmux").arg("-V").output() {
            Ok(out) if out.status.success() => {}
            _ => {
                eprintln!("skipped: tmux is not installed (apt-get install tmux)");
                return None;
            }
        }
        Some(Tmux { socket: format!("kanbao-widths-{}", std::process::id()) })
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("running tmux")
    }

    /// Columns tmux's cursor advances for `text`.
    fn width_of(&self, dir: &Path, n: usize, text: &str) -> usize {
        let file = dir.join(format!("t{n}.txt"));
        std::fs::write(&file, format!("[{text}]")).unwrap();
        let name = format!("w{n}");
        let cmd = format!("cat '{}'; sleep 60", file.display());
        let out = self.run(&["new-session", "-d", "-s", &name, "-x", "100", "-y", "5", &cmd]);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        let deadline = Instant::now() + Duration::from_secs(10);
        let x = loop {
            let pane = self.run(&["capture-pane", "-p", "-t", &name]);
            if String::from_utf8_lossy(&pane.stdout).contains(']') {
                let x = self.run(&["display-message", "-p", "-t", &name, "#{cursor_x}"]);
                break String::from_utf8_lossy(&x.stdout).trim().parse::<usize>().expect("cursor_x");
            }
            assert!(Instant::now() < deadline, "tmux never showed {text:?}");
            std::thread::sleep(Duration::from_millis(20));
        };
        // Sessions stay until the server goes (killing the last one would end the server while
        // the next one starts).
        x - 2
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// What kanbao sends for `text`.
fn painted(text: &str) -> String {
    text.graphemes(true).flat_map(paint_parts).collect()
}

#[test]
fn widths_agree_with_tmux() {
    let Some(tmux) = Tmux::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    let mut check = |shown: &str, text: &str, want: usize| {
        n += 1;
        let got = tmux.width_of(dir.path(), n, text);
        eprintln!("{shown:<16} {:<14?} tmux {got} kanbao {want}", text);
        if got != want {
            failures.push(format!("{shown} {text:?}: tmux {got}, kanbao {want}"));
        }
    };
    for &(text, narrow, _) in TERMINAL_WIDTHS {
        let kanbao = str_width(text, Ambiguous::Narrow);
        assert_eq!(kanbao, narrow, "{text:?}: the table and kanbao differ");
        check("painted", &painted(text), kanbao);
        if !text.contains('\u{200d}') {
            check("raw", text, kanbao);
        }
    }
    // Hangul fillers: unicode-width says 0, tmux draws some of them (U+3164: 2 cells), so
    // kanbao removes them at load; what is left measures the same everywhere.
    for filler in ["\u{3164}", "\u{115f}", "\u{1160}", "\u{ffa0}"] {
        let text = format!("a{filler}b");
        let loaded = sanitize(&text);
        assert_eq!(loaded, "ab", "{filler:?} survived the sanitizer");
        check("filler removed", &loaded, str_width(&loaded, Ambiguous::Narrow));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
