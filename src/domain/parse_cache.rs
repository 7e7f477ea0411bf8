//! The parse cache: parsed bulletins kept in the cache folder (`kanbao --paths`), so a run
//! parses only new or changed files. One file per folder or file the user reads
//! (`parsed/<hash of its path>.bin`), so the library and each PATH keep their own.
//!
//! The file: magic and header, then each bulletin's body record (`bodies`), then the index
//! (per file: its path and identity, its headlines, where its record is and its CRC-32), then
//! where the index is, its CRC-32 and an end mark. A run reads the index only (`list` and
//! `find` at 10,000 bulletins read about a tenth of the file); bodies are read when an article
//! is shown, exported or searched, from the file held open.
//!
//! Never trusted, only used: an entry counts only when
//! - the file's header names this build of the parser and these parse options,
//! - it ends with its end mark and the index's CRC-32 is right (a torn, truncated or flipped
//!   file fails them; a body record's own CRC-32 is checked when it is read),
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
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

pub use codec::Parsed;

use super::bodies::{self, BodyFile, read_exact_at};
use super::corpus::{Body, Origin, StoredBody};
use super::identity::code;
use super::parse::SectionVocab;

const MAGIC: &[u8; 16] = b"kanbao-parsed\n\0\x03";
/// The file's last bytes: a file cut short lacks them.
const END: &[u8; 8] = b"kanbao\0\x03";
/// Magic and header.
const HEAD: u64 = 16 + 32;
/// Where the index is, its length and CRC-32, and `END`.
const TRAILER: u64 = 8 + 8 + 4 + 8;
/// A cache file larger than this is not ours.
const MAX_CACHE_BYTES: u64 = 4 << 30;

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

/// The entries of a cache file, by the path they stand for.
pub struct Hits {
    /// The file as it was when parsed, and what it gave.
    pub parsed: HashMap<String, (FileIdentity, Parsed)>,
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

    /// The parsed bulletins the cache holds, with the identity of the file each was parsed
    /// from (the caller keeps those whose file is still the same). Their bodies stay in the
    /// file (`Body::Stored`), which is held open. A missing, foreign or damaged cache gives none.
    pub fn read(&self, origin: Origin) -> Hits {
        let none = || Hits { parsed: HashMap::new(), entries: 0 };
        let Some((file, index_at, index_len, sum)) = self.open_index() else { return none() };
        let file = Arc::new(file);
        // Read through a small buffer, entry by entry, so that memory never holds the whole
        // index (13 MB at 10,000 bulletins) beside what it decodes to; its checksum is
        // checked at the end, and nothing is used if it fails.
        let mut r = BufReader::with_capacity(1 << 16, file.reader_at(index_at).take(index_len));
        let mut crc = crc32fast::Hasher::new();
        let mut hits = none();
        let mut bytes = Vec::new();
        let mut left = index_len;
        while left > 0 {
            let mut len = [0u8; 4];
            if r.read_exact(&mut len).is_err() {
                return none();
            }
            let len = u32::from_le_bytes(len);
            if u64::from(len) + 4 > left {
                return none();
            }
            left -= u64::from(len) + 4;
            bytes.clear();
            bytes.resize(len as usize, 0);
            if r.read_exact(&mut bytes).is_err() {
                return none();
            }
            crc.update(&len.to_le_bytes());
            crc.update(&bytes);
            hits.entries += 1;
            if let Some((path, id, parsed)) = entry(&bytes, origin, &file, index_at) {
                hits.parsed.insert(path, (id, parsed));
            }
        }
        if crc.finalize() != sum { none() } else { hits }
    }

    /// The cache file (if it is one of ours, whole), where its index is, its length and CRC-32.
    fn open_index(&self) -> Option<(BodyFile, u64, u64, u32)> {
        let file = open_regular(&self.path).ok()?;
        let size = file.metadata().ok()?.len();
        if !(HEAD + TRAILER..=MAX_CACHE_BYTES).contains(&size) {
            return None;
        }
        let mut head = [0u8; HEAD as usize];
        read_exact_at(&file, &mut head, 0).ok()?;
        if &head[..16] != MAGIC || head[16..] != self.header {
            return None;
        }
        let mut tail = [0u8; TRAILER as usize];
        read_exact_at(&file, &mut tail, size - TRAILER).ok()?;
        let word = |i: usize| u64::from_le_bytes(tail[i..i + 8].try_into().expect("8 bytes"));
        let (index_at, index_len, sum) = (word(0), word(8), u32::from_le_bytes(tail[16..20].try_into().expect("4")));
        if &tail[20..] != END || index_at < HEAD || index_at.checked_add(index_len)? != size - TRAILER {
            return None;
        }
        Some((BodyFile::new(file, &self.path, index_at), index_at, index_len, sum))
    }

    /// Replaces the cache with these entries (path, identity, parsed), atomically. Bodies kept
    /// in another cache file are copied from it (and checked on the way).
    pub fn write<'a>(&self, entries: impl Iterator<Item = (&'a str, FileIdentity, &'a Parsed)>) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        write_atomic(&self.path, |w| {
            w.write_all(MAGIC)?;
            w.write_all(&self.header)?;
            let mut at = HEAD;
            let mut index = Vec::new();
            let mut record = Vec::new();
            let mut entry = Vec::new();
            for (path, id, parsed) in entries {
                let b = &parsed.bulletin;
                match &b.body {
                    Body::Here => {
                        record.clear();
                        let bodies = b.articles.iter().map(|a| (&a.captions[..], &a.caption_at[..], &a.paragraphs[..]));
                        bodies::encode(bodies, &mut record);
                    }
                    Body::Stored(s) => s.read_into(&mut record).map_err(|e| io::Error::other(e.0))?,
                }
                let len = u32::try_from(record.len()).map_err(|_| io::Error::other("a bulletin too large"))?;
                w.write_all(&record)?;
                entry.clear();
                entry.extend_from_slice(&(path.len() as u32).to_le_bytes());
                entry.extend_from_slice(path.as_bytes());
                id.encode(&mut entry);
                entry.extend_from_slice(&at.to_le_bytes());
                entry.extend_from_slice(&len.to_le_bytes());
                entry.extend_from_slice(&crc32fast::hash(&record).to_le_bytes());
                codec::encode(parsed, &mut entry);
                index.extend_from_slice(&(entry.len() as u32).to_le_bytes());
                index.extend_from_slice(&entry);
                at += u64::from(len);
            }
            w.write_all(&index)?;
            w.write_all(&at.to_le_bytes())?;
            w.write_all(&(index.len() as u64).to_le_bytes())?;
            w.write_all(&crc32fast::hash(&index).to_le_bytes())?;
            w.write_all(END)
        })
    }
}

/// The entry's file name, that file's identity then, and its bulletin.
fn entry(
    bytes: &[u8],
    origin: Origin,
    file: &Arc<BodyFile>,
    records_end: u64,
) -> Option<(String, FileIdentity, Parsed)> {
    let n = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let path = std::str::from_utf8(bytes.get(4..4 + n)?).ok()?;
    let rest = bytes.get(4 + n..)?;
    let id = FileIdentity::decode(rest.get(..40)?);
    let at = u64::from_le_bytes(rest.get(40..48)?.try_into().ok()?);
    let len = u32::from_le_bytes(rest.get(48..52)?.try_into().ok()?);
    let sum = u32::from_le_bytes(rest.get(52..56)?.try_into().ok()?);
    if at < HEAD || at.checked_add(u64::from(len))? > records_end {
        return None;
    }
    let name = Path::new(path).file_name()?.to_string_lossy();
    let name = crate::domain::sanitize::sanitize_line(&name);
    let mut parsed = codec::decode(&rest[56..], &name, origin, id.size).ok()?;
    parsed.bulletin.body = Body::Stored(StoredBody { file: Arc::clone(file), at, len, sum });
    Some((path.to_string(), id, parsed))
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
