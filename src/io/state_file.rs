//! `state.json` on disk: the reader's memory between sessions (`crate::domain::store` holds the
//! data and the merge).
//!
//! Staff close the terminal mid-article and may run two SSH sessions at once, so:
//! - a save merges with what is on disk now, under a lock (`state.json.lock`, see `io::lock`);
//! - the file is replaced atomically (`io::write`), so a crash leaves the old or the new file;
//! - it is read through `io::read` (regular files only, capped), so a FIFO or a device in its
//!   place is reported, never waited on;
//! - a damaged or newer-version file is moved aside with a timestamp and reported, never
//!   overwritten and never a crash; a file we cannot read at all is left alone and not saved over.

use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::sanitize::path_line;
use crate::domain::sanitize::sanitize_line;
use crate::domain::store::{
    Damage, LoadReport, MAX_FILE_BYTES, SavedState, VERSION, classify, file_name, unix_now, utc_stamp,
};
use crate::io::lock::{Lock, LockError};
use crate::io::read::{ReadError, Refusal, read_if_exists};
use crate::io::write::{parent, sync_dir, temp_prefix, write_atomic};

/// How long a save waits for another instance's save to finish.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// Why a save failed, as one line a clerk can act on. The old state file is always left intact.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot save state: no home folder to keep it in (is HOME set?)")]
    NoDataDir,
    #[error("cannot save state: {} is read-only", path_line(.dir))]
    ReadOnly { dir: PathBuf },
    #[error("cannot save state: no permission to write in {}", path_line(.dir))]
    PermissionDenied { dir: PathBuf },
    #[error("cannot save state: disk full")]
    DiskFull,
    #[error("cannot save state: disk quota exceeded")]
    QuotaExceeded,
    #[error("cannot save state: file size limit reached")]
    FileTooLarge,
    #[error("cannot save state: {} is not a folder", path_line(.path))]
    NotAFolder { path: PathBuf },
    #[error("cannot save state: another kanbao window is saving; will try again")]
    Busy,
    /// The file on disk could not be read or set aside, so it is not replaced.
    #[error("cannot save state: {} {reason}; left as it is", path_line(.path))]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot save state: {}: {}", path_line(.path), sanitize_line(&.source.to_string()))]
    Io { path: PathBuf, source: io::Error },
}

/// The state file of this user, or none (no data dir).
#[derive(Debug)]
pub struct Store {
    path: Option<PathBuf>,
    lock_wait: Duration,
    /// Set when a save found the file damaged and moved it aside.
    recovered: Option<LoadReport>,
}

impl Store {
    /// Loads the state at `path` (usually `data_dir/kanbao/state.json`). Never fails: a damaged
    /// file is moved aside and reported, and defaults are used.
    pub fn open(path: PathBuf) -> (Store, SavedState, LoadReport) {
        let store = Store { path: Some(path), lock_wait: LOCK_WAIT, recovered: None };
        let (state, report) = store.load();
        (store, state, report)
    }

    /// For a machine without a data dir (HOME unset): the reader works, saves say why they can't.
    pub fn unavailable() -> (Store, SavedState) {
        (Store { path: None, lock_wait: LOCK_WAIT, recovered: None }, SavedState::default())
    }

    /// How long a save waits for another instance's save (default 3 s).
    pub fn with_lock_wait(mut self, wait: Duration) -> Store {
        self.lock_wait = wait;
        self
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A damaged file found (and moved aside) by a save since the last call, to report it.
    pub fn take_recovered(&mut self) -> Option<LoadReport> {
        self.recovered.take()
    }

    /// Saves `state` merged with what is on disk now (another instance may have saved since we
    /// loaded), and returns the merge so the caller sees the other instance's marks too. On error
    /// the old file is intact and the caller keeps its state in memory to try again later.
    pub fn save(&mut self, state: &SavedState) -> Result<SavedState, StoreError> {
        let path = self.path.clone().ok_or(StoreError::NoDataDir)?;
        let dir = parent(&path);
        ensure_dir(dir)?;
        let _lock = lock(&path, self.lock_wait)?;
        remove_stale_temps(&path);
        let disk = match read_state(&path) {
            Ok(None) => None,
            Ok(Some(content)) => match content {
                Ok(disk) => Some(disk),
                Err(damage) => {
                    let moved_to = set_aside(&path, &damage)
                        .map_err(|e| StoreError::Unreadable { path: path.clone(), reason: cannot_move(&damage, &e) })?;
                    self.recovered = Some(LoadReport::Recovered { moved_to, reason: damage.reason });
                    None
                }
            },
            Err(e) => return Err(StoreError::Unreadable { path, reason: read_reason(&e) }),
        };
        let merged = match &disk {
            Some(disk) => state.merge(disk),
            None => SavedState { version: VERSION, ..state.clone() },
        };
        if disk.as_ref() != Some(&merged) {
            let json = serde_json::to_vec_pretty(&merged)
                .map_err(|e| StoreError::Io { path: path.clone(), source: e.into() })?;
            write_atomic(&path, &json, 0o600).map_err(|e| io_error(e, dir))?;
        }
        Ok(merged)
    }

    fn load(&self) -> (SavedState, LoadReport) {
        let Some(path) = &self.path else { return (SavedState::default(), LoadReport::Fresh) };
        match read_state(path) {
            Ok(None) => (SavedState::default(), LoadReport::Fresh),
            Ok(Some(content)) => match content {
                Ok(state) => (state, LoadReport::Loaded),
                Err(_) => self.recover(path),
            },
            Err(e) => (SavedState::default(), LoadReport::Unreadable { reason: read_reason(&e) }),
        }
    }

    /// Moves a damaged file aside, under the lock: another instance may be replacing it right
    /// now with a good one, which must not be moved.
    fn recover(&self, path: &Path) -> (SavedState, LoadReport) {
        // Without a lock (read-only folder) the move below fails too, and is reported.
        let _lock = match lock(path, self.lock_wait) {
            Err(StoreError::Busy) => {
                let reason = "is damaged and another kanbao window is using it".to_owned();
                return (SavedState::default(), LoadReport::Unreadable { reason });
            }
            other => other.ok(),
        };
        match read_state(path) {
            Ok(None) => (SavedState::default(), LoadReport::Fresh),
            Ok(Some(content)) => match content {
                Ok(state) => (state, LoadReport::Loaded),
                Err(damage) => match set_aside(path, &damage) {
                    Ok(moved_to) => (SavedState::default(), LoadReport::Recovered { moved_to, reason: damage.reason }),
                    Err(e) => (SavedState::default(), LoadReport::Unreadable { reason: cannot_move(&damage, &e) }),
                },
            },
            Err(e) => (SavedState::default(), LoadReport::Unreadable { reason: read_reason(&e) }),
        }
    }
}

/// The state at `path` as it is, for a command that only needs to know it (never moves a
/// damaged file aside; that is left to the reader and to saves). Defaults when unreadable.
pub fn peek(path: &Path) -> SavedState {
    read_state(path).ok().flatten().and_then(Result::ok).unwrap_or_default()
}

/// The file's content as state (or why it is not state); `None` when there is no file.
fn read_state(path: &Path) -> Result<Option<Result<SavedState, Damage>>, ReadError> {
    match read_if_exists(path, MAX_FILE_BYTES) {
        Ok(bytes) => Ok(bytes.map(|b| classify(&b))),
        // Too large to be ours: damaged, and set aside like any other damage.
        Err(ReadError { refusal: Refusal::TooLarge { .. }, .. }) => Ok(Some(Err(Damage {
            kind: "corrupt",
            reason: format!("is larger than {} MB, too large to be reading state", MAX_FILE_BYTES >> 20),
        }))),
        Err(e) => Err(e),
    }
}

fn read_reason(e: &ReadError) -> String {
    match &e.refusal {
        Refusal::Denied => "cannot be read (permission denied)".to_owned(),
        Refusal::Folder => "is a folder, not a file".to_owned(),
        Refusal::NotRegular => "is not a regular file (a pipe, socket or device?)".to_owned(),
        other => format!("cannot be read ({other})"),
    }
}

fn cannot_move(damage: &Damage, e: &io::Error) -> String {
    format!("{}, and could not be set aside ({})", damage.reason, sanitize_line(&e.to_string()))
}

/// Renames the damaged file to `state.json.<kind>-<UTC time>`, never over an existing file.
fn set_aside(path: &Path, damage: &Damage) -> io::Result<PathBuf> {
    let stamp = utc_stamp(unix_now());
    for n in 1..100 {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let aside = path.with_file_name(format!("{}.{}-{stamp}{suffix}", file_name(path), damage.kind));
        if aside.symlink_metadata().is_ok() {
            continue;
        }
        fs::rename(path, &aside)?;
        sync_dir(parent(path));
        return Ok(aside);
    }
    Err(io::Error::new(ErrorKind::AlreadyExists, "too many set-aside copies"))
}

/// Creates the data folder if needed. Errors name the folder that is in the way: the nearest
/// one that exists (a read-only `~/.local/share`, or a file where a folder should be).
fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let existing = dir.ancestors().find(|a| a.exists()).unwrap_or(dir);
    if !existing.is_dir() {
        return Err(StoreError::NotAFolder { path: existing.to_owned() });
    }
    fs::create_dir_all(dir).map_err(|e| io_error(e, existing))
}

/// Temp files of saves that were killed mid-way. Only called under the lock, when no save is
/// writing one.
fn remove_stale_temps(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(parent(path)) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The save lock, `state.json.lock` beside the file.
fn lock(path: &Path, wait: Duration) -> Result<Lock, StoreError> {
    let lock_path = path.with_file_name(format!("{}.lock", file_name(path)));
    Lock::acquire(&lock_path, wait).map_err(|e| match e {
        LockError::Busy => StoreError::Busy,
        LockError::Io(e) => io_error(e, parent(path)),
    })
}

fn io_error(e: io::Error, dir: &Path) -> StoreError {
    match e.kind() {
        ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly { dir: dir.to_owned() },
        ErrorKind::PermissionDenied => StoreError::PermissionDenied { dir: dir.to_owned() },
        ErrorKind::StorageFull => StoreError::DiskFull,
        ErrorKind::QuotaExceeded => StoreError::QuotaExceeded,
        ErrorKind::FileTooLarge => StoreError::FileTooLarge,
        ErrorKind::NotADirectory => StoreError::NotAFolder { path: dir.to_owned() },
        _ => StoreError::Io { path: dir.to_owned(), source: e },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_like_a_clerk_would() {
        let dir = Path::new("/home/x/.local/share/kanbao");
        let msg = |kind: ErrorKind| io_error(io::Error::from(kind), dir).to_string();
        assert_eq!(msg(ErrorKind::ReadOnlyFilesystem), "cannot save state: /home/x/.local/share/kanbao is read-only");
        assert_eq!(msg(ErrorKind::StorageFull), "cannot save state: disk full");
        assert_eq!(msg(ErrorKind::QuotaExceeded), "cannot save state: disk quota exceeded");
        assert_eq!(
            msg(ErrorKind::PermissionDenied),
            "cannot save state: no permission to write in /home/x/.local/share/kanbao"
        );
        assert_eq!(StoreError::NoDataDir.to_string(), "cannot save state: no home folder to keep it in (is HOME set?)");
        let weird = io_error(io::Error::from(ErrorKind::ReadOnlyFilesystem), Path::new("/tmp/\u{1b}[2Jx"));
        assert!(!weird.to_string().chars().any(char::is_control));
    }
}
