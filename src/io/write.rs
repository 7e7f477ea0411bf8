//! Writes that a crash or a full disk cannot leave half done: a temp file in the same folder,
//! fsync, rename over the target, fsync the folder. Readers see the old file or the new one.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The prefix of temp files for `path` (`NAME.tmp-`), to clean up after a killed writer.
pub fn temp_prefix(path: &Path) -> String {
    format!("{}.tmp-", file_name(path))
}

/// Removes the temp files `PREFIX<pid>-<n>` in `dir` that writers killed mid-way left (a
/// dropped SSH link, `kill`): those whose process is gone, and, where that cannot be told,
/// those untouched for an hour. A live writer's file is left alone (and if it were not, the
/// writer still reads and writes it through its handle; only its rename would fail).
pub fn remove_dead_temps(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else { continue };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let dead = pid.is_some_and(|pid| pid != std::process::id() && !alive(pid));
        let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if dead || age.is_some_and(|a| a > std::time::Duration::from_secs(3600)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` exists (a process of another user counts).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else { return false };
    // Signal 0 checks without sending anything.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Windows: not told here; the age decides.
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

/// Writes `bytes` to `path` atomically; the new file gets `mode` (unix permissions).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_file_name(format!("{}{}-{n}", temp_prefix(path), std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    set_mode(&mut options, mode);
    let result = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?; // the data is on disk before the rename makes it the file
        drop(file);
        fs::rename(&tmp, path)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(parent(path));
    Ok(())
}

#[cfg(unix)]
fn set_mode(options: &mut OpenOptions, mode: u32) {
    std::os::unix::fs::OpenOptionsExt::mode(options, mode);
}

#[cfg(not(unix))]
fn set_mode(_options: &mut OpenOptions, _mode: u32) {}

/// Makes a rename durable. Best effort: some filesystems cannot fsync a folder, and by now
/// the new file is complete either way.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    // Windows cannot open a folder as a file to flush it; NTFS keeps the rename in its journal.
    #[cfg(not(unix))]
    let _ = dir;
}

/// The folder a file is in ("." for a bare name).
pub fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn temps_of_dead_writers_and_old_temps_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let me = std::process::id();
        let file = |name: &str| {
            let p = dir.path().join(name);
            fs::write(&p, b"x").unwrap();
            p
        };
        let gone = file(&format!(".c.bin.tmp-{dead}-0"));
        let mine = file(&format!(".c.bin.tmp-{me}-3"));
        let other = file(&format!(".d.bin.tmp-{dead}-0"));
        let old = file(".c.bin.tmp-1-0");
        let two_hours = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        fs::File::options().write(true).open(&old).unwrap().set_modified(two_hours).unwrap();
        let young = file(".c.bin.tmp-1-1");
        remove_dead_temps(dir.path(), ".c.bin.tmp-");
        let left = |p: &Path| p.exists();
        assert!(!left(&gone), "a dead writer's");
        assert!(!left(&old), "untouched for an hour (pid 1 is alive)");
        assert!(left(&mine) && left(&young), "a live writer's");
        assert!(left(&other), "another file's temps are not looked at");
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.json");
        fs::write(&p, b"old").unwrap();
        write_atomic(&p, b"new", 0o600).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), b"x").unwrap();
        // Renaming a file over a non-empty folder fails: the folder stays, no temp is left.
        assert!(write_atomic(&target, b"new", 0o600).is_err());
        assert!(target.is_dir());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
