//! The parse cache: parsed bulletins kept in the cache folder (`kanbao --paths`), so a run
//! parses only new or changed files. One file per folder or file the user reads
//! (`parsed/<hash of its path>.bin`), so the library and each PATH keep their own.
//!
//! Never trusted, only used: an entry counts only when
//! - the file's header names this build of the parser and these parse options,
//! - the entry's SHA-256 checksum is right (a torn, truncated or flipped file fails it),
//! - the file it stands for is still the same file (size, modification and change times,
//!   inode and device; a rename or any write changes the change time), and
//! - it decodes with every length in bounds and every string as clean as the parser leaves it.
//!
//! Anything else is ignored and the file parsed again; the cache is then rewritten whole,
//! atomically (a temporary file renamed over it), so two readers starting at once each write a
//! complete cache and the last rename wins. Deleting the folder is always safe.

pub mod codec;

use std::collections::HashMap;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

pub use codec::Parsed;

use super::corpus::Origin;
use super::identity::code;
use super::parse::SectionVocab;

const MAGIC: &[u8; 16] = b"kanbao-parsed\n\0\x02";
/// A cache file larger than this is not ours.
const MAX_CACHE_BYTES: u64 = 4 << 30;
/// An entry larger than this is not one bulletin's.
const MAX_ENTRY_BYTES: usize = 256 << 20;

/// What makes a file the same file as when it was parsed, without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    pub size: u64,
    pub modified_ns: i64,
    pub changed_ns: i64,
    pub inode: u64,
    pub device: u64,
}

impl FileIdentity {
    pub fn of(meta: &Metadata) -> FileIdentity {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            FileIdentity {
                size: meta.len(),
                modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
                changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
                device: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let ns = |t: io::Result<std::time::SystemTime>| {
                t.ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i64)
            };
            FileIdentity {
                size: meta.len(),
                modified_ns: ns(meta.modified()),
                changed_ns: ns(meta.created()),
                inode: 0,
                device: 0,
            }
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        for v in [self.size, self.modified_ns as u64, self.changed_ns as u64, self.inode, self.device] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    fn decode(bytes: &[u8]) -> FileIdentity {
        let v = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        FileIdentity { size: v(0), modified_ns: v(1) as i64, changed_ns: v(2) as i64, inode: v(3), device: v(4) }
    }
}

/// The cache of one folder or file the user reads.
#[derive(Debug, Clone)]
pub struct RootCache {
    path: PathBuf,
    /// Parser build and parse options: a file made under others is ignored whole.
    header: [u8; 32],
}

/// Entries found for the files asked about.
pub struct Hits {
    pub parsed: HashMap<String, Parsed>,
    /// Entries the file held, used or not: a rewrite is due when they differ from what is used.
    pub entries: usize,
}

impl RootCache {
    /// The cache of `root` (a library folder or a PATH) in `cache_dir`.
    pub fn new(cache_dir: &Path, root: &Path, vocab: &SectionVocab) -> RootCache {
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = Sha256::digest(root.to_string_lossy().as_bytes());
        let name = code(u64::from_be_bytes(name[..8].try_into().expect("8 bytes")), 12);
        let mut h = Sha256::new();
        h.update(env!("KANBAO_PARSER_BUILD"));
        for label in vocab.labels() {
            h.update((label.len() as u64).to_le_bytes());
            h.update(label);
        }
        RootCache { path: cache_dir.join(format!("{name}.bin")), header: h.finalize().into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The parsed bulletins of the `wanted` files (path -> identity now) that the cache holds
    /// for exactly those files. A missing, foreign or damaged cache gives none.
    pub fn read(&self, wanted: &HashMap<String, FileIdentity>, origin: Origin) -> Hits {
        let mut hits = Hits { parsed: HashMap::new(), entries: 0 };
        let Ok(file) = open_regular(&self.path) else { return hits };
        let mut r = BufReader::with_capacity(1 << 16, file.take(MAX_CACHE_BYTES));
        let mut head = [0u8; 16 + 32];
        if r.read_exact(&mut head).is_err() || &head[..16] != MAGIC || head[16..] != self.header {
            return hits;
        }
        let mut payload = Vec::new();
        loop {
            let mut len = [0u8; 4];
            match r.read_exact(&mut len) {
                Ok(()) => {}
                // The end of the file, between entries.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return hits,
                Err(_) => return hits,
            }
            let len = u32::from_le_bytes(len) as usize;
            if len > MAX_ENTRY_BYTES {
                return hits;
            }
            payload.clear();
            // `take` + `read_to_end` grows the buffer only as bytes arrive: a lying length
            // in a short file cannot make us allocate it.
            if (&mut r).take(len as u64).read_to_end(&mut payload).is_err() || payload.len() != len {
                return hits;
            }
            let mut sum = [0u8; 32];
            if r.read_exact(&mut sum).is_err() || Sha256::digest(&payload)[..] != sum {
                // A damaged entry: the ones after it cannot be found reliably either.
                return hits;
            }
            hits.entries += 1;
            if let Some((path, parsed)) = entry(&payload, wanted, origin) {
                hits.parsed.insert(path, parsed);
            }
        }
    }

    /// Replaces the cache with these entries (path, identity, parsed), atomically.
    pub fn write<'a>(&self, entries: impl Iterator<Item = (&'a str, FileIdentity, &'a Parsed)>) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        write_atomic(&self.path, |w| {
            w.write_all(MAGIC)?;
            w.write_all(&self.header)?;
            let mut payload = Vec::new();
            for (path, id, parsed) in entries {
                payload.clear();
                payload.extend_from_slice(&(path.len() as u32).to_le_bytes());
                payload.extend_from_slice(path.as_bytes());
                id.encode(&mut payload);
                codec::encode(parsed, &mut payload);
                w.write_all(&(payload.len() as u32).to_le_bytes())?;
                w.write_all(&payload)?;
                w.write_all(&Sha256::digest(&payload))?;
            }
            Ok(())
        })
    }
}

/// The entry's file name and bulletin, if it is one of the `wanted` files, unchanged.
fn entry(payload: &[u8], wanted: &HashMap<String, FileIdentity>, origin: Origin) -> Option<(String, Parsed)> {
    let n = u32::from_le_bytes(payload.get(..4)?.try_into().ok()?) as usize;
    let path = std::str::from_utf8(payload.get(4..4 + n)?).ok()?;
    let id = FileIdentity::decode(payload.get(4 + n..4 + n + 40)?);
    if wanted.get(path) != Some(&id) {
        return None;
    }
    let name = Path::new(path).file_name()?.to_string_lossy();
    let name = crate::domain::sanitize::sanitize_line(&name);
    let parsed = codec::decode(&payload[4 + n + 40..], &name, origin, id.size).ok()?;
    Some((path.to_string(), parsed))
}

/// Opens a file for reading only if it is a regular file, without blocking on a FIFO.
fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    Ok(file)
}

/// Writes through `fill` into a temporary file beside `path`, then renames it over `path`:
/// readers see the old file or the new one, never a part. (The one place to switch to the
/// shared I/O layer's atomic write.)
fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let result = OpenOptions::new().write(true).create_new(true).open(&tmp).and_then(|file| {
        let mut w = BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
