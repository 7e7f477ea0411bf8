//! A few lines about each run, appended to the log file (never to the screen, which belongs to
//! the reader). Logging never fails the program: a log that cannot be written is skipped.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::domain::sanitize::sanitize_line;
use crate::domain::store::unix_now;

static FILE: OnceLock<PathBuf> = OnceLock::new();

/// Past this size the log is moved aside (to `kanbao.log.old`, replacing the one before) and
/// begun anew: every run of a library with undated files adds its warnings, for years.
const LOG_CAP: u64 = 1 << 20;

/// Logs go to `path` from now on.
pub fn init(path: PathBuf) {
    let _ = FILE.set(path);
}

pub fn line(message: &str) {
    lines(&[message]);
}

/// Several lines at once, the log opened once for them all (a load of an archive can warn of
/// dozens of files, and opening the log for each was a millisecond of `kanbao grep`).
pub fn lines(messages: &[impl AsRef<str>]) {
    if let Some(path) = FILE.get()
        && !messages.is_empty()
    {
        append(path, messages, LOG_CAP);
    }
}

/// Appends `messages` to the log at `path`, first moving a log of `cap` bytes or more aside.
fn append(path: &Path, messages: &[impl AsRef<str>], cap: u64) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= cap) {
        // A rename: two runs doing it at once lose nothing but one of the old logs.
        let _ = std::fs::rename(path, path.with_extension("log.old"));
    }
    if let Ok(f) = OpenOptions::new().create(true).append(true).open(path) {
        // Whole lines, written together: two runs appending at once do not cut each other's.
        let now = unix_now();
        let text: String = messages.iter().map(|m| format!("{now} {}\n", sanitize_line(m.as_ref()))).collect();
        let _ = (&f).write_all(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log never grows past its cap and a line: the older lines are moved aside once, the
    /// ones before that are let go; every line is whole and in order.
    #[test]
    fn the_log_is_kept_under_its_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("kanbao.log");
        for i in 0..500 {
            append(&path, &[&format!("warning {i}: a line of some length\x1b[31m")], 2_000);
            assert!(std::fs::metadata(&path).unwrap().len() < 2_000 + 100);
        }
        let old = std::fs::read_to_string(path.with_extension("log.old")).unwrap();
        let now = std::fs::read_to_string(&path).unwrap();
        let numbers: Vec<usize> = old
            .lines()
            .chain(now.lines())
            .map(|l| l.split(' ').nth(2).unwrap().trim_end_matches(':').parse().unwrap())
            .collect();
        assert_eq!(numbers.last(), Some(&499));
        assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "in order, none lost between the two");
        assert!(!now.contains('\x1b'), "made safe to print");
    }

    /// Lines appended together come out whole, in order, each made safe, after those before.
    #[test]
    fn lines_appended_together_follow_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanbao.log");
        append(&path, &["first"], 1 << 20);
        append(&path, &["second\x1b[2J", "third\nline"], 1 << 20);
        let text = std::fs::read_to_string(&path).unwrap();
        let words: Vec<&str> = text.lines().map(|l| l.split_once(' ').unwrap().1).collect();
        assert_eq!(words, ["first", "second", "third line"]);
    }
}
