//! State and config faults, end to end: the real reader in a pseudo-terminal with a private
//! HOME holding damaged or hostile files. Nothing is lost, nothing overwritten silently, every
//! message is clear, and control characters from the files never reach the terminal.
//! (The store and config are also tested at library level in tests/store.rs and tests/config.rs:
//! read-only folders, a full disk, SIGKILL mid-save, 2 x 200 concurrent bookmarks.)

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::pty::{Key, Session, skip_without_pty};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn data_dir(home: &Path) -> PathBuf {
    home.join(".local/share/kanbao")
}

fn state_file(home: &Path) -> PathBuf {
    data_dir(home).join("state.json")
}

fn aside(home: &Path, kind: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(data_dir(home))
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("state.json.{kind}-")))
        .collect();
    v.sort();
    v
}

/// Starts the reader on `home`, waits for its first frame.
fn reader(home: &Path) -> Session {
    let mut s = Session::spawn_with_home(BIN, &["--ambiguous", "narrow"], 100, 30, &[], home);
    // The library, or the article the last run left open.
    s.wait_until("the first frame", Duration::from_secs(10), |s| {
        let t = s.screen_text();
        t.contains("看报") && (t.contains("期刊 5") || t.contains("2024-04-g78 · "))
    });
    s.settle();
    s
}

fn quit(mut s: Session) {
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(5)), Some(0), "{}", s.dump());
    assert!(!s.alternate_screen());
}

/// The reader draws with CSI only; an OSC (ESC ]), BEL, C1 or bidi override can only come from
/// a file. (A warning may quote a bad value, escaped: `\u{1b}]0;…` is text, not a sequence.)
fn assert_no_controls(raw: &[u8], what: &str) {
    let text = String::from_utf8_lossy(raw);
    for bad in ["\x1b]", "\x07", "\u{9b}", "\u{202e}"] {
        assert!(!text.contains(bad), "{what}: {bad:?} reached the terminal");
    }
}

#[test]
fn damaged_state_files_are_kept_aside_reported_and_replaced() {
    if skip_without_pty() {
        return;
    }
    let cases: [(&str, &[u8], &str); 4] = [
        ("not JSON", b"{\"version\": 1, \"last\": {\"id\": \"2023-05-cfb/1\",", "corrupt"),
        ("all NUL", &[0u8; 512], "corrupt"),
        ("escape sequences", b"\x1b]0;PWNED\x07\x1b]52;c;UFdORUQ=\x07 \xc2\x9b2J", "corrupt"),
        ("a newer version", b"{\"version\": 99, \"bookmarks\": {}}", "newer"),
    ];
    for (name, bytes, kind) in cases {
        let home = tempfile::tempdir().unwrap();
        fs::create_dir_all(data_dir(home.path())).unwrap();
        fs::write(state_file(home.path()), bytes).unwrap();
        let mut s = reader(home.path());
        // Reported on the status line, and the reader works.
        s.wait_for("state.json");
        assert_no_controls(&s.raw(), name);
        assert!(!String::from_utf8_lossy(&s.raw()).contains("PWNED"), "{name}: nothing of the file is shown");
        s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
        s.send("m").wait_for("已加书签");
        quit(s);
        // The damaged file is kept, byte for byte; a fresh, valid state replaced it.
        let kept = aside(home.path(), kind);
        assert_eq!(kept.len(), 1, "{name}: one copy kept aside as state.json.{kind}-<time>");
        assert_eq!(fs::read(&kept[0]).unwrap(), bytes, "{name}: the original bytes are preserved");
        let fresh: serde_json::Value = serde_json::from_slice(&fs::read(state_file(home.path())).unwrap()).unwrap();
        let marked = fresh["bookmarks"].as_object().unwrap().keys().filter(|k| k.starts_with("k2:2024-04:")).count();
        assert_eq!(marked, 1, "{name}: the new state has the bookmark");
        // A second start loads it quietly and moves nothing more aside.
        let s = reader(home.path());
        assert!(!s.screen_text().contains("state.json"), "{name}: no report the second time\n{}", s.dump());
        quit(s);
        assert_eq!(aside(home.path(), kind).len(), 1, "{name}");
    }
}

#[test]
fn a_hostile_config_is_reported_by_file_line_and_key_and_the_rest_applies() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config/kanbao/config.toml");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    let huge = "x".repeat(1_000_000);
    fs::write(
        &config,
        format!(
            // Control characters through TOML escapes (raw ones would make the file invalid TOML,
            // which is reported as such, with all defaults).
            "column_width = 99999\ncolour = \"\\u001b]0;PWNED\\u0007\"\ntheme = \"{huge}\"\nindent = false\n[keys]\n\"q\" = \"\\u001b]52;c;PWNED\\u0007\"\n"
        ),
    )
    .unwrap();
    // The CLI: one warning per bad key, naming file, line and key, with no control characters.
    let out = Command::new(BIN)
        .args(["list"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains('\x1b') && !err.contains('\x07') && err.len() < 4000, "{err:?}");
    for (line, key) in [("line 1", "column_width"), ("line 2", "colour"), ("line 3", "theme"), ("line 6", "q")] {
        assert!(
            err.lines().any(|l| l.contains("config.toml") && l.contains(line) && l.contains(key)),
            "{line} {key}: {err}"
        );
    }
    // The reader starts, says so, and the good key (indent = false) applies.
    let mut s = reader(home.path());
    s.wait_for("config");
    assert_no_controls(&s.raw(), "config");
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    assert!(!s.screen_text().contains("\u{3000}\u{3000}4月29日"), "indent = false applied\n{}", s.dump());
    quit(s);
}

#[test]
fn two_readers_at_once_lose_no_bookmark() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mut a = reader(home.path());
    let mut b = reader(home.path());
    a.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    b.send("j").send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 2/6");
    a.send("m").wait_for("已加书签");
    b.send("m").wait_for("已加书签");
    // Each sees the other's bookmark once it saves again (saves merge with what is on disk).
    a.send("]").wait_for("2024-04-g78 · 2/6");
    a.send("'").wait_for("书签 Bookmarks");
    assert!(a.screen_text().contains("2024-04-g78/2"), "a sees b's bookmark after its save\n{}", a.dump());
    a.send_key(Key::Esc).wait_for_gone("书签 Bookmarks");
    quit(a);
    quit(b);
    let state: serde_json::Value = serde_json::from_slice(&fs::read(state_file(home.path())).unwrap()).unwrap();
    let kept = state["bookmarks"].as_object().unwrap().keys().filter(|k| k.starts_with("k2:2024-04:")).count();
    assert_eq!(kept, 2, "both bookmarks kept: {state}");
}
