//! The command line as a new user meets it: a mistyped subcommand, `list`'s id column, `show`'s
//! measure in a terminal (issue 14 items 5 and 8).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::pty::{Session, skip_without_pty};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn kanbao(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(cwd).env("HOME", cwd.join("home")).output().unwrap()
}

#[test]
fn a_mistyped_command_is_an_error_not_a_path() {
    let dir = tempfile::tempdir().unwrap();
    for (typo, meant) in [("lsit", "list"), ("shwo", "show"), ("exprot", "export"), ("fnid", "find"), ("ad", "add")] {
        let out = kanbao(dir.path(), &[typo]);
        assert_eq!(out.status.code(), Some(2), "{typo}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim(), format!("kanbao: error: unknown command '{typo}' (did you mean {meant}?)"));
        assert!(out.stdout.is_empty());
    }
    let out = kanbao(dir.path(), &["bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown command 'bogus'") && err.contains("commands: list"), "{err}");
    // A file or folder of that name is a path: the reader is what is asked for (here it has no
    // terminal, which is a different error).
    std::fs::create_dir(dir.path().join("lsit")).unwrap();
    let out = kanbao(dir.path(), &["lsit"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("unknown command") && err.contains("needs a terminal"), "{err}");
}

#[test]
fn list_starts_each_bulletin_with_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string("seeds/000_be64793f5c23019c.txt").unwrap();
    std::fs::write(dir.path().join("a.txt"), &seed).unwrap();
    std::fs::write(dir.path().join("b.txt"), format!("{seed}\n附加一段。\n")).unwrap();
    let out = kanbao(dir.path(), &["list", "--no-bundled", "a.txt", "b.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let heads: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ') && !l.is_empty()).collect();
    assert_eq!(heads.len(), 2, "{text}");
    // Two bulletins of one month: each line starts with its own id (the month and a fingerprint),
    // not with the month alone.
    let ids: Vec<&str> = heads.iter().map(|h| h.split("  ").next().unwrap()).collect();
    assert!(ids.iter().all(|id| id.starts_with("2023-05-") && id.len() > "2023-05-".len()), "{heads:?}");
    assert_ne!(ids[0], ids[1]);
    assert!(heads.iter().any(|h| h.contains("(a.txt, 3 articles")), "{heads:?}");
    assert!(heads.iter().any(|h| h.contains("(b.txt, ")), "{heads:?}");
}

#[test]
fn show_in_a_terminal_keeps_to_the_reading_measure() {
    if skip_without_pty() {
        return;
    }
    let widest = |s: &Session| (0..s.size().1).map(|r| s.row_width(r)).max().unwrap_or(0);
    let mut s = Session::spawn(BIN, &["show", "2023-05/2"], 120, 200, &[]);
    s.wait_exit(std::time::Duration::from_secs(20));
    let w = widest(&s);
    assert!((70..=76).contains(&w), "widest row {w} at 120 columns\n{}", s.dump());
    // A narrower terminal still wins, and column_width from the config is the measure.
    let mut s = Session::spawn(BIN, &["show", "2023-05/2"], 50, 200, &[]);
    s.wait_exit(std::time::Duration::from_secs(20));
    assert!(widest(&s) <= 50 && widest(&s) >= 44, "{}", s.dump());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "column_width = 60\n").unwrap();
    let mut s = Session::spawn(BIN, &["show", "2023-05/2", "--config", config.to_str().unwrap()], 120, 200, &[]);
    s.wait_exit(std::time::Duration::from_secs(20));
    let w = widest(&s);
    assert!((54..=60).contains(&w), "widest row {w} with column_width 60\n{}", s.dump());
}
