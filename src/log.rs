//! A few lines about each run, appended to the log file (never to the screen, which belongs to
//! the reader). Logging never fails the program: a log that cannot be written is skipped.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::domain::sanitize::sanitize_line;
use crate::domain::store::unix_now;

static FILE: OnceLock<PathBuf> = OnceLock::new();

/// Logs go to `path` from now on.
pub fn init(path: PathBuf) {
    let _ = FILE.set(path);
}

pub fn line(message: &str) {
    let Some(path) = FILE.get() else { return };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(f, "{} {}", unix_now(), sanitize_line(message));
    }
}
