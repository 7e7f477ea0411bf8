//! The reader's memory between sessions: `data_dir/kanbao/state.json` (place, bookmarks, read marks).
//!
//! Staff close the terminal mid-article and may run two SSH sessions at once, so:
//! - a save merges with what is on disk now, under a lock (`state.json.lock`, `File::lock`, i.e.
//!   flock: the kernel drops it when a process dies, so a killed reader never leaves it stuck);
//! - the file is replaced atomically (temp file in the same folder, fsync, rename, fsync the
//!   folder), so a crash leaves the old or the new file, never half of one;
//! - a damaged or newer-version file is moved aside with a timestamp and reported, never
//!   overwritten and never a crash; a file we cannot read at all is left alone and not saved over.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

mod follow;
pub use follow::follow;

use crate::domain::sanitize::sanitize_line;
use crate::domain::width::Ambiguous;

/// The state file format this build writes. 2: marks keyed by article keys (`identity`);
/// format 1 (keyed by the old positional ids) is read and carried over by `follow`.
pub const VERSION: u32 = 2;

/// A state file this big is not ours; don't read it into memory.
const MAX_FILE_BYTES: u64 = 64 << 20;
/// How long a save waits for another instance's save to finish.
const LOCK_WAIT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    pub version: u32,
    /// The last article open, to reopen it next time.
    pub last: Option<Place>,
    /// Reading position per article key (marks are keyed by `Article::key`, see `identity`).
    pub places: BTreeMap<String, Place>,
    pub bookmarks: BTreeMap<String, Bookmark>,
    pub read: BTreeSet<String>,
    /// The ambiguous width `auto` found per $TERM ("narrow" | "wide"), to skip probing next time.
    pub ambiguous_by_term: BTreeMap<String, String>,
    /// Removed bookmarks (id -> when), so a merge with an older copy does not bring them back.
    pub removed_bookmarks: BTreeMap<String, u64>,
    /// Bundled bulletins the user removed (`kanbao remove`), by text fingerprint (16 hex
    /// digits): `true` hidden, `false` shown again (`kanbao add` of the same bulletin), with when.
    pub hidden: BTreeMap<String, (bool, u64)>,
}

impl Default for SavedState {
    fn default() -> Self {
        SavedState {
            version: VERSION,
            last: None,
            places: BTreeMap::new(),
            bookmarks: BTreeMap::new(),
            read: BTreeSet::new(),
            ambiguous_by_term: BTreeMap::new(),
            removed_bookmarks: BTreeMap::new(),
            hidden: BTreeMap::new(),
        }
    }
}

/// A reading position: a text offset, so it survives a resize or a width change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: String,
    pub offset: usize,
    /// Unix seconds.
    pub at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub offset: usize,
    /// Unix seconds.
    pub added: u64,
}

/// The changes below each return whether anything changed: the reader saves only then,
/// without keeping a copy of the whole state to compare.
impl SavedState {
    /// Remembers where the reader is in article `id`.
    pub fn set_place(&mut self, id: &str, offset: usize, now: u64) -> bool {
        let place = Place { id: id.to_owned(), offset, at: now };
        let changed = self.last.as_ref() != Some(&place) || self.places.get(id) != Some(&place);
        self.places.insert(id.to_owned(), place.clone());
        self.last = Some(place);
        changed
    }

    pub fn add_bookmark(&mut self, id: &str, offset: usize, now: u64) -> bool {
        // A bookmark survives a merge only if newer than its tombstone; re-adding within the
        // second it was removed must still win.
        let tombstone = self.removed_bookmarks.remove(id);
        let added = match tombstone {
            Some(removed) => now.max(removed + 1),
            None => now,
        };
        let bookmark = Bookmark { offset, added };
        let before = self.bookmarks.insert(id.to_owned(), bookmark.clone());
        tombstone.is_some() || before != Some(bookmark)
    }

    pub fn remove_bookmark(&mut self, id: &str, now: u64) -> bool {
        let had = self.bookmarks.remove(id);
        let added = had.as_ref().map_or(0, |b| b.added);
        let removed = self.removed_bookmarks.get(id).copied().unwrap_or(0);
        let tombstone = now.max(added).max(removed);
        let before = self.removed_bookmarks.insert(id.to_owned(), tombstone);
        had.is_some() || before != Some(tombstone)
    }

    pub fn mark_read(&mut self, id: &str) -> bool {
        self.read.insert(id.to_owned())
    }

    /// Remembers the ambiguous width found for a terminal type.
    pub fn set_ambiguous(&mut self, term: &str, mode: Ambiguous) -> bool {
        let value = mode.to_string();
        self.ambiguous_by_term.insert(term.to_owned(), value.clone()) != Some(value)
    }

    /// The width `auto` found for this terminal type last time.
    pub fn ambiguous_for(&self, term: &str) -> Option<Ambiguous> {
        self.ambiguous_by_term.get(term)?.parse().ok()
    }

    /// `self` (this instance's state) merged with `disk` (saved since by another instance).
    /// Nothing either side marked is lost: bookmarks and read marks are unions, a bookmark goes
    /// only if a removal at or after its `added` says so, places keep the newest, and on a tie
    /// (or for per-terminal widths, always) this instance wins.
    pub fn merge(&self, disk: &SavedState) -> SavedState {
        let mut removed = disk.removed_bookmarks.clone();
        for (id, &at) in &self.removed_bookmarks {
            let t = removed.entry(id.clone()).or_insert(at);
            *t = (*t).max(at);
        }
        let mut bookmarks = disk.bookmarks.clone();
        for (id, ours) in &self.bookmarks {
            if bookmarks.get(id).is_none_or(|theirs| ours.added >= theirs.added) {
                bookmarks.insert(id.clone(), ours.clone());
            }
        }
        bookmarks.retain(|id, b| removed.get(id).is_none_or(|&gone| b.added > gone));

        let mut places = disk.places.clone();
        for (id, ours) in &self.places {
            if places.get(id).is_none_or(|theirs| ours.at >= theirs.at) {
                places.insert(id.clone(), ours.clone());
            }
        }
        let last = match (&self.last, &disk.last) {
            (Some(ours), Some(theirs)) => Some(if ours.at >= theirs.at { ours } else { theirs }.clone()),
            (ours, theirs) => ours.clone().or_else(|| theirs.clone()),
        };
        let mut hidden = disk.hidden.clone();
        for (fp, &(on, at)) in &self.hidden {
            if hidden.get(fp).is_none_or(|&(_, theirs)| at >= theirs) {
                hidden.insert(fp.clone(), (on, at));
            }
        }
        let mut ambiguous_by_term = disk.ambiguous_by_term.clone();
        ambiguous_by_term.extend(self.ambiguous_by_term.clone());

        SavedState {
            version: VERSION,
            last,
            places,
            bookmarks,
            read: self.read.union(&disk.read).cloned().collect(),
            ambiguous_by_term,
            removed_bookmarks: removed,
            hidden,
        }
    }

    /// The fingerprints of the bundled bulletins the user removed.
    pub fn hidden_bulletins(&self) -> std::collections::HashSet<u64> {
        self.hidden.iter().filter(|(_, (on, _))| *on).filter_map(|(fp, _)| u64::from_str_radix(fp, 16).ok()).collect()
    }
}

/// The state at `path` as it is, for a command that only needs to know it (never moves a
/// damaged file aside; that is left to the reader and to saves). Defaults when unreadable.
pub fn peek(path: &Path) -> SavedState {
    read_file(path).ok().flatten().and_then(|bytes| classify(&bytes).ok()).unwrap_or_default()
}

/// How opening went; every case leaves a usable state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadReport {
    /// No state file yet.
    Fresh,
    Loaded,
    /// The file was damaged (or from a newer kanbao) and was moved aside; defaults are in use.
    Recovered {
        moved_to: PathBuf,
        reason: String,
    },
    /// The file exists but could not be read or moved aside; defaults are in use and saves will
    /// refuse to replace it.
    Unreadable {
        reason: String,
    },
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadReport::Fresh => f.write_str("no saved reading state yet"),
            LoadReport::Loaded => f.write_str("reading state loaded"),
            LoadReport::Recovered { moved_to, reason } => {
                write!(f, "state.json {reason}; kept as {}; using defaults", file_name(moved_to))
            }
            LoadReport::Unreadable { reason } => {
                write!(f, "state.json {reason}; using defaults, and it will not be saved over")
            }
        }
    }
}

/// Why a save failed, as one line a clerk can act on. The old state file is always left intact.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot save state: no home folder to keep it in (is HOME set?)")]
    NoDataDir,
    #[error("cannot save state: {} is read-only", shown(.dir))]
    ReadOnly { dir: PathBuf },
    #[error("cannot save state: no permission to write in {}", shown(.dir))]
    PermissionDenied { dir: PathBuf },
    #[error("cannot save state: disk full")]
    DiskFull,
    #[error("cannot save state: disk quota exceeded")]
    QuotaExceeded,
    #[error("cannot save state: file size limit reached")]
    FileTooLarge,
    #[error("cannot save state: {} is not a folder", shown(.path))]
    NotAFolder { path: PathBuf },
    #[error("cannot save state: another kanbao window is saving; will try again")]
    Busy,
    /// The file on disk could not be read or set aside, so it is not replaced.
    #[error("cannot save state: {} {reason}; left as it is", shown(.path))]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot save state: {}: {}", shown(.path), sanitize_line(&.source.to_string()))]
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
        let _lock = Lock::acquire(&path, self.lock_wait)?;
        remove_stale_temps(&path);
        let disk = match read_file(&path) {
            Ok(None) => None,
            Ok(Some(bytes)) => match classify(&bytes) {
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
            write_atomic(&path, &json).map_err(|e| io_error(e, dir))?;
        }
        Ok(merged)
    }

    fn load(&self) -> (SavedState, LoadReport) {
        let Some(path) = &self.path else { return (SavedState::default(), LoadReport::Fresh) };
        match read_file(path) {
            Ok(None) => (SavedState::default(), LoadReport::Fresh),
            Ok(Some(bytes)) => match classify(&bytes) {
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
        let _lock = match Lock::acquire(path, self.lock_wait) {
            Err(StoreError::Busy) => {
                let reason = "is damaged and another kanbao window is using it".to_owned();
                return (SavedState::default(), LoadReport::Unreadable { reason });
            }
            other => other.ok(),
        };
        match read_file(path) {
            Ok(None) => (SavedState::default(), LoadReport::Fresh),
            Ok(Some(bytes)) => match classify(&bytes) {
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

/// Why file content is not usable state.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Damage {
    /// `corrupt` or `newer`: the suffix of the moved-aside name.
    kind: &'static str,
    reason: String,
}

/// Parses state file content. Pure, and total: any bytes give a state or a reason.
fn classify(bytes: &[u8]) -> Result<SavedState, Damage> {
    let corrupt = |reason: String| Damage { kind: "corrupt", reason };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(corrupt(format!("is larger than {} MB, too large to be reading state", MAX_FILE_BYTES >> 20)));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(corrupt("is empty".to_owned()));
    }
    if bytes.iter().all(|&b| b == 0) {
        // What some filesystems leave after a crash in the middle of a write.
        return Err(corrupt("holds only zero bytes (an interrupted write)".to_owned()));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        corrupt(match e.classify() {
            serde_json::error::Category::Eof => format!("is cut short at line {}", e.line()),
            _ => format!("is not valid JSON at line {}", e.line()),
        })
    })?;
    let version = value.get("version").map(|v| v.as_u64());
    match version {
        Some(Some(v)) if v > u64::from(VERSION) => {
            let reason = format!("was written by a newer kanbao (format {v}, this one reads {VERSION})");
            return Err(Damage { kind: "newer", reason });
        }
        Some(Some(v)) if v >= 1 => {}
        _ if !value.is_object() => return Err(corrupt("does not hold kanbao reading state".to_owned())),
        _ => return Err(corrupt("has no valid format version".to_owned())),
    }
    serde_json::from_value::<SavedState>(value).map_err(|e| {
        // serde quotes the offending value; it came from the file, so clean and shorten it.
        let detail: String = sanitize_line(&e.to_string()).chars().take(80).collect();
        corrupt(format!("has unexpected content ({detail})"))
    })
}

/// The file's bytes; `None` when there is no file (or no folder for it).
fn read_file(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    // One byte past the limit is enough for `classify` to call it damaged.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

fn read_reason(e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::PermissionDenied => "cannot be read (permission denied)".to_owned(),
        ErrorKind::IsADirectory => "is a folder, not a file".to_owned(),
        _ => format!("cannot be read ({})", sanitize_line(&e.to_string())),
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

/// Writes `bytes` to `path` so that readers (and a crash) see the old or the new file only.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_file_name(format!("{}.tmp-{}-{n}", file_name(path), std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600); // reading history is private
    let result = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?; // the data is on disk before the rename makes it the state
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

/// Makes a rename durable. Best effort: some filesystems cannot fsync a folder, and by now
/// the new file is complete either way.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Temp files of saves that were killed mid-way. Only called under the lock, when no save is
/// writing one.
fn remove_stale_temps(path: &Path) {
    let prefix = format!("{}.tmp-", file_name(path));
    let Ok(entries) = fs::read_dir(parent(path)) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// An exclusive lock on `state.json.lock`, released on drop (or by the kernel if we die).
struct Lock {
    _file: Option<File>,
}

impl Lock {
    fn acquire(path: &Path, wait: Duration) -> Result<Lock, StoreError> {
        let lock_path = path.with_file_name(format!("{}.lock", file_name(path)));
        let dir = parent(path);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error(e, dir))?;
        let file = match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: Some(file) }),
            Err(TryLockError::WouldBlock) => file,
            Err(TryLockError::Error(e)) => return Lock::unsupported(e, dir),
        };
        // Block in a helper thread so the wait is bounded; a blocked flock is woken as soon as
        // the holder lets go, which polling would miss under contention. If we stop waiting,
        // the thread's send fails when it does get the lock, and dropping the file releases it.
        let (tx, rx) = mpsc::sync_channel::<io::Result<File>>(1);
        std::thread::Builder::new()
            .name("kanbao-state-lock".into())
            .spawn(move || {
                let _ = tx.send(file.lock().map(|()| file));
            })
            .map_err(|e| io_error(e, dir))?;
        match rx.recv_timeout(wait) {
            Ok(Ok(file)) => Ok(Lock { _file: Some(file) }),
            Ok(Err(e)) => Lock::unsupported(e, dir),
            Err(_) => Err(StoreError::Busy),
        }
    }

    /// Filesystems without locks (some network mounts): saving unlocked beats not saving; the
    /// write is still atomic, only a simultaneous save could lose the other's newest marks.
    fn unsupported(e: io::Error, dir: &Path) -> Result<Lock, StoreError> {
        let no_locks = e.kind() == ErrorKind::Unsupported || e.raw_os_error() == Some(libc::ENOLCK);
        if no_locks { Ok(Lock { _file: None }) } else { Err(io_error(e, dir)) }
    }
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

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "state.json".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// A path for a message: one line, no control characters.
fn shown(path: &Path) -> String {
    sanitize_line(&path.display().to_string())
}

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `20260501-101500` (UTC): sorts by time, and is a valid file name everywhere.
fn utc_stamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}-{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bm(offset: usize, added: u64) -> Bookmark {
        Bookmark { offset, added }
    }

    #[test]
    fn stamps() {
        assert_eq!(utc_stamp(0), "19700101-000000");
        assert_eq!(utc_stamp(951_782_400), "20000229-000000");
        assert_eq!(utc_stamp(1_777_630_500), "20260501-101500");
    }

    #[test]
    fn merge_unions_bookmarks_and_read_marks() {
        let mut ours = SavedState::default();
        ours.add_bookmark("a", 1, 10);
        ours.mark_read("a");
        let mut disk = SavedState::default();
        disk.add_bookmark("b", 2, 11);
        disk.mark_read("b");
        let m = ours.merge(&disk);
        assert_eq!(m.bookmarks.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.read.iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn removal_beats_an_older_copy_of_the_bookmark() {
        let mut disk = SavedState::default();
        disk.bookmarks.insert("a".into(), bm(1, 10));
        let mut ours = disk.clone();
        ours.remove_bookmark("a", 20);
        assert!(ours.merge(&disk).bookmarks.is_empty());
        // ...and the other instance, still holding it, does not bring it back.
        let saved = ours.merge(&disk);
        assert!(disk.merge(&saved).bookmarks.is_empty());
    }

    #[test]
    fn removal_in_the_same_second_as_adding_wins_and_readding_wins_over_removal() {
        let mut s = SavedState::default();
        s.add_bookmark("a", 1, 10);
        s.remove_bookmark("a", 10);
        assert!(s.merge(&SavedState::default()).bookmarks.is_empty());
        s.add_bookmark("a", 2, 10);
        let disk = s.merge(&SavedState::default());
        assert_eq!(disk.bookmarks["a"].offset, 2);
        // Even merged with a disk copy that still has the tombstone.
        let mut tomb = SavedState::default();
        tomb.removed_bookmarks.insert("a".into(), 10);
        assert!(s.merge(&tomb).bookmarks.contains_key("a"));
    }

    #[test]
    fn newest_place_wins_ties_go_to_us() {
        let mut ours = SavedState::default();
        ours.set_place("a", 100, 50);
        ours.set_place("b", 5, 40);
        let mut disk = SavedState::default();
        disk.set_place("b", 7, 40);
        disk.set_place("a", 200, 60);
        let m = ours.merge(&disk);
        assert_eq!(m.places["a"].offset, 200);
        assert_eq!(m.places["b"].offset, 5);
        assert_eq!(m.last.as_ref().map(|p| p.id.as_str()), Some("a"));
        assert_eq!(SavedState::default().merge(&disk).last, disk.last);
    }

    #[test]
    fn ambiguous_by_term_ours_wins() {
        let mut ours = SavedState::default();
        ours.ambiguous_by_term.insert("xterm".into(), "wide".into());
        let mut disk = SavedState::default();
        disk.ambiguous_by_term.insert("xterm".into(), "narrow".into());
        disk.ambiguous_by_term.insert("putty".into(), "wide".into());
        let m = ours.merge(&disk);
        assert_eq!(m.ambiguous_for("xterm"), Some(Ambiguous::Wide));
        assert_eq!(m.ambiguous_for("putty"), Some(Ambiguous::Wide));
        assert_eq!(m.ambiguous_for("vt100"), None);
    }

    #[test]
    fn classify_reasons() {
        let reason = |b: &[u8]| classify(b).unwrap_err().reason;
        assert_eq!(reason(b""), "is empty");
        assert!(reason(&[0; 100]).contains("zero bytes"));
        assert_eq!(reason(b"{\"version\": 1,\n \"read\": [\"a\""), "is cut short at line 2");
        assert_eq!(reason(b"{\n\n\"version\": 1,,}"), "is not valid JSON at line 3");
        assert_eq!(classify(b"{\"version\": 99}").unwrap_err().kind, "newer");
        assert!(reason(b"[1, 2]").contains("does not hold"));
        assert!(reason(b"{\"read\": []}").contains("version"));
        let odd = reason(b"{\"version\": 1, \"read\": \"\\u001b]0;pwned\\u0007\"}");
        assert!(odd.starts_with("has unexpected content"), "{odd}");
        assert!(!odd.chars().any(char::is_control), "{odd:?}");
        assert_eq!(classify(b"{\"version\": 1}"), Ok(SavedState { version: 1, ..SavedState::default() }));
    }

    #[test]
    fn deep_nesting_is_damage_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(classify(deep.as_bytes()).is_err());
    }

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
