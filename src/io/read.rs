//! The one way kanbao reads a file: opened without blocking (a FIFO can never hang a read),
//! checked on the opened handle (fstat: no race with a swap after a path check), refused unless
//! it is a regular file, and read with a size cap (a file that grows while read is cut at the
//! cap and refused, never read on). Errors say the file and the problem in one line.
//!
//! A load of many files also shares a [`Budget`]: a total number of bytes, and the files
//! already read by identity (device, inode), so forty hard links to one large file are read
//! once and a folder cannot make one load read gigabytes.

use std::collections::HashMap;
use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use crate::domain::sanitize::{path_line, sanitize_line};

const MB: u64 = 1 << 20;

/// One bulletin file (text; the largest real ones are well under 1 MB).
pub const BULLETIN_CAP: u64 = 32 * MB;
/// `manifest.toml` beside a folder of bulletins: a few lines of dates.
pub const MANIFEST_CAP: u64 = MB;
/// `config.toml`: a few dozen settings; generous, since a huge value costs only its own key.
pub const CONFIG_CAP: u64 = 64 * MB;
/// `state.json`: places, bookmarks, read marks; years of reading fit in a few MB.
pub const STATE_CAP: u64 = 64 * MB;
/// All bulletin and manifest files of one load together (a 3,000-bulletin library is ~30 MB).
pub const LOAD_BUDGET: u64 = 512 * MB;
/// Standard input for `kanbao filter`.
pub const STDIN_CAP: u64 = 512 * MB;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    /// A folder where a file was expected.
    Folder,
    /// A FIFO, socket or device (also through a symlink).
    NotRegular,
    /// Larger than `limit` bytes (or grew past it while being read).
    TooLarge {
        limit: u64,
    },
    /// The load's total budget is spent.
    OverBudget {
        budget: u64,
    },
    Denied,
    Io(String),
}

impl Refusal {
    /// The refusal an I/O error means (a path that is not there, no permission...).
    pub fn from_io(e: &io::Error) -> Refusal {
        match e.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Refusal::Missing,
            io::ErrorKind::PermissionDenied => Refusal::Denied,
            io::ErrorKind::IsADirectory => Refusal::Folder,
            _ => Refusal::Io(sanitize_line(&e.to_string())),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Missing => f.write_str("no such file or folder"),
            Refusal::Folder => f.write_str("is a folder, not a file"),
            Refusal::NotRegular => f.write_str("not a regular file (a pipe, socket or device?)"),
            Refusal::TooLarge { limit } => write!(f, "too large (the limit for this file is {})", size(*limit)),
            Refusal::OverBudget { budget } => {
                write!(f, "not read: this load has already read {} in all (the limit)", size(*budget))
            }
            Refusal::Denied => f.write_str("permission denied (cannot read it)"),
            Refusal::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

fn size(bytes: u64) -> String {
    if bytes >= MB { format!("{} MB", bytes / MB) } else { format!("{} KB", bytes.div_ceil(1024)) }
}

/// A file that was not read: "FILE: PROBLEM".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file as named, made safe to print.
    pub file: String,
    pub refusal: Refusal,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.refusal)
    }
}

impl std::error::Error for ReadError {}

/// Reads `path` whole if it is a regular file of at most `cap` bytes.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    match read_inner(path, cap, None)? {
        Outcome::Bytes(bytes, _) => Ok(bytes),
        Outcome::SameAs(_) => unreachable!("no budget, so no identities to match"),
    }
}

/// Like [`read_capped`], with `None` for a file that does not exist.
pub fn read_if_exists(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, ReadError> {
    match read_capped(path, cap) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(ReadError { refusal: Refusal::Missing, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a read within a budget gave.
#[derive(Debug)]
pub enum Outcome {
    /// The bytes, and the opened file's metadata (what was read, not what the path is now).
    Bytes(Vec<u8>, Metadata),
    /// The same file (a hard or symbolic link) was already read in this load, as the one named.
    SameAs(String),
}

/// The bytes one load may still read, and the files it has read.
#[derive(Debug)]
pub struct Budget {
    total: u64,
    left: u64,
    seen: HashMap<FileId, String>,
}

impl Budget {
    pub fn new(total: u64) -> Budget {
        Budget { total, left: total, seen: HashMap::new() }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(LOAD_BUDGET)
    }
}

/// Reads `path` like [`read_capped`], counting it against `budget`; a file already read in this
/// budget (same device and inode) is not read again.
pub fn read_within(path: &Path, cap: u64, budget: &mut Budget) -> Result<Outcome, ReadError> {
    read_inner(path, cap, Some(budget))
}

fn read_inner(path: &Path, cap: u64, budget: Option<&mut Budget>) -> Result<Outcome, ReadError> {
    let fail = |refusal: Refusal| ReadError { file: path_line(path), refusal };
    let file = open_nonblocking(path).map_err(|e| fail(Refusal::from_io(&e)))?;
    // The opened handle, not the path: what we read is what we checked.
    let meta = file.metadata().map_err(|e| fail(Refusal::from_io(&e)))?;
    if meta.is_dir() {
        return Err(fail(Refusal::Folder));
    }
    if !meta.is_file() {
        return Err(fail(Refusal::NotRegular));
    }
    if meta.len() > cap {
        return Err(fail(Refusal::TooLarge { limit: cap }));
    }
    let id = file_id(&meta);
    let mut budget = budget;
    if let Some(b) = budget.as_deref_mut() {
        if let Some(first) = id.and_then(|id| b.seen.get(&id)) {
            return Ok(Outcome::SameAs(first.clone()));
        }
        if meta.len() > b.left {
            return Err(fail(Refusal::OverBudget { budget: b.total }));
        }
    }
    let limit = budget.as_deref().map_or(cap, |b| cap.min(b.left));
    // Sized from fstat, bounded by the cap even if the file grows while we read it.
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| fail(Refusal::from_io(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(fail(match budget {
            Some(b) if limit < cap => Refusal::OverBudget { budget: b.total },
            _ => Refusal::TooLarge { limit: cap },
        }));
    }
    if let Some(b) = budget {
        b.left -= bytes.len() as u64;
        if let Some(id) = id {
            b.seen.insert(id, path_line(path));
        }
    }
    Ok(Outcome::Bytes(bytes, meta))
}

/// Reads standard input up to `cap` bytes; more is an error (not a silent cut).
pub fn read_stdin_capped(cap: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::stdin().lock().take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(io::Error::other(format!("standard input is larger than {}, the limit", size(cap))));
    }
    Ok(bytes)
}

/// A file's identity on this machine.
type FileId = (u64, u64);

/// Opening a FIFO for reading blocks until a writer comes, unless non-blocking.
#[cfg(unix)]
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(unix)]
fn file_id(meta: &Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Without an identity, links are only caught by content (the loader's duplicate check).
#[cfg(not(unix))]
fn file_id(_meta: &Metadata) -> Option<FileId> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_within_its_cap_and_refuses_a_larger_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_capped(&p, 5).unwrap(), b"hello");
        let e = read_capped(&p, 4).unwrap_err();
        assert_eq!(e.refusal, Refusal::TooLarge { limit: 4 });
        assert!(e.to_string().ends_with("a.txt: too large (the limit for this file is 1 KB)"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn fifo_and_device_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(read_capped(&fifo, 10).unwrap_err().refusal, Refusal::NotRegular);
        let link = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(read_capped(&link, 10).unwrap_err().refusal, Refusal::NotRegular);
        assert_eq!(read_capped(dir.path(), 10).unwrap_err().refusal, Refusal::Folder);
        assert_eq!(read_if_exists(&dir.path().join("none"), 10).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_are_read_once_and_the_budget_holds() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, vec![b'x'; 100]).unwrap();
        let b = dir.path().join("b.txt");
        std::fs::hard_link(&a, &b).unwrap();
        let c = dir.path().join("c.txt");
        std::fs::write(&c, vec![b'y'; 100]).unwrap();
        let mut budget = Budget::new(150);
        assert!(matches!(read_within(&a, 1000, &mut budget).unwrap(), Outcome::Bytes(v, _) if v.len() == 100));
        assert!(matches!(read_within(&b, 1000, &mut budget).unwrap(), Outcome::SameAs(f) if f.ends_with("a.txt")));
        let e = read_within(&c, 1000, &mut budget).unwrap_err();
        assert_eq!(e.refusal, Refusal::OverBudget { budget: 150 });
    }
}
