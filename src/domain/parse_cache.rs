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
mod known;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

pub use codec::Parsed;
pub use known::{Known, headlines_sum};

use super::bodies::{self, BodyFile, read_exact_at};
use super::corpus::{Body, Origin, StoredBody};
use super::detail::Detail;
use super::identity::code;
use super::parse::SectionVocab;

const MAGIC: &[u8; 16] = b"kanbao-parsed\n\0\x04";
/// The file's last bytes: a file cut short lacks them.
const END: &[u8; 8] = b"kanbao\0\x04";
/// Magic and header.
const HEAD: u64 = 16 + 32;
/// Where the index is, its length and CRC-32, and `END`.
const TRAILER: u64 = 8 + 8 + 4 + 8;
/// A cache file larger than this is not ours.
const MAX_CACHE_BYTES: u64 = 4 << 30;

/// What makes a file the same file as when it was parsed, without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
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

/// The entries of a cache file, in the order it holds them.
pub struct Hits {
    /// The entries that decoded.
    pub parsed: Vec<Hit>,
    /// Entries the file held, used or not: a rewrite is due when they differ from what is used.
    pub entries: usize,
}

/// One entry: the file it stands for (as shown), that file as it was when parsed, and what it
/// gave; with `read_sharing`, the CRC-32 of its headlines (`headlines_sum`).
pub struct Hit {
    pub path: String,
    pub identity: FileIdentity,
    pub parsed: Parsed,
    pub sum: Option<u32>,
}

/// Index bytes decoded as one piece: whole entries, at least this much and about twice it. With
/// a chunk waiting for each thread and one on each, about 2.5 MB of the index is in memory at
/// once (13 MB at 10,000 bulletins).
const CHUNK: usize = 256 << 10;
/// No entry (a path and one bulletin's headlines) is larger; a larger length is not ours.
const MAX_ENTRY: u32 = 64 << 20;

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
    /// `detail`: what of each bulletin is kept (every part is checked whatever it says).
    pub fn read(&self, origin: Origin, detail: Detail) -> Hits {
        self.read_on(origin, detail, None, cores())
    }

    /// `read` in full detail, for a load whose bulletins are kept for the next (`Known`): each
    /// hit with the CRC-32 of its headlines, an entry the last load made shared, not decoded,
    /// and with `now` (the files as listed, by path), entries of other files left out.
    pub fn read_sharing(&self, origin: Origin, sharing: &Sharing) -> Hits {
        self.read_on(origin, Detail::Full, Some(sharing), cores())
    }

    /// `read`, decoding on `cores` threads.
    fn read_on(&self, origin: Origin, detail: Detail, sharing: Option<&Sharing>, cores: usize) -> Hits {
        let none = || Hits { parsed: Vec::new(), entries: 0 };
        let Some((file, index_at, index_len, sum)) = self.open_index() else { return none() };
        let file = Arc::new(file);
        let how = Decoding { origin, detail, sharing, file: &file, records_end: index_at };
        let decode = |chunk: &[u8]| decode_chunk(chunk, &how);
        // Read in chunks of whole entries, never the whole index (13 MB at 10,000 bulletins)
        // beside what it decodes to; chunks are decoded on every core while the next is read
        // (decoding is most of the time). The checksum is checked at the end, and nothing is
        // used if it fails.
        let mut chunks = Chunks {
            r: file.reader_at(index_at).take(index_len),
            crc: crc32fast::Hasher::new(),
            left: index_len,
            carry: Vec::new(),
        };
        let decoded = if cores < 2 || index_len <= CHUNK as u64 {
            let mut out = Vec::new();
            while let Some(chunk) = chunks.next() {
                match chunk {
                    Ok(chunk) => out.push(decode(&chunk)),
                    Err(()) => return none(),
                }
            }
            out
        } else {
            match decode_on_threads(&mut chunks, cores, &decode) {
                Some(out) => out,
                None => return none(),
            }
        };
        if chunks.crc.finalize() != sum {
            return none();
        }
        // Sized once: grown chunk by chunk, 10,000 hits (megabytes) were copied again and again.
        let mut hits = Hits { parsed: Vec::with_capacity(decoded.iter().map(|(_, p)| p.len()).sum()), entries: 0 };
        for (entries, parsed) in decoded {
            hits.entries += entries;
            hits.parsed.extend(parsed);
        }
        hits
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
}

/// How a reader's load reads the cache (`read_sharing`): with the articles the last load made,
/// and, when its files were listed first, those files (by the path they are shown under).
pub struct Sharing<'a> {
    pub known: &'a Known,
    pub now: Option<&'a HashMap<&'a str, FileIdentity>>,
}

/// Where a bulletin's body record went in a cache file being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub at: u64,
    pub len: u32,
    pub sum: u32,
}

/// A new cache file, written while a load goes: body records as files are parsed (a first run
/// at 10,000 bulletins then holds a batch of bodies in memory, not all 100 MB), then the index
/// (`finish`), and renamed over the cache. Until then it is a temporary file beside the cache,
/// removed if it is dropped unfinished; readers see the old cache or the new one, never a part.
pub struct CacheWriter {
    path: PathBuf,
    tmp: PathBuf,
    w: BufWriter<File>,
    /// Where the next record goes.
    at: u64,
    /// The file, to read records from once they are flushed.
    records: Arc<BodyFile>,
    renamed: bool,
}

impl CacheWriter {
    pub fn create(cache: &RootCache) -> io::Result<CacheWriter> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = cache.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = cache.path.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.tmp-");
        // A first parse takes a while: a reader closed or killed during it leaves its file.
        crate::io::write::remove_dead_temps(dir, &prefix);
        let tmp = cache.path.with_file_name(format!("{prefix}{}-{n}", std::process::id()));
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        let reader = open_regular(&tmp).inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;
        let mut w = CacheWriter {
            // The places it is asked for are the writer's own, each within the file.
            records: Arc::new(BodyFile::new(reader, &cache.path, MAX_CACHE_BYTES)),
            path: cache.path.clone(),
            tmp,
            w: BufWriter::with_capacity(1 << 16, file),
            at: HEAD,
            renamed: false,
        };
        w.w.write_all(MAGIC)?;
        w.w.write_all(&cache.header)?;
        Ok(w)
    }

    /// Appends a body record.
    pub fn record(&mut self, record: &[u8]) -> io::Result<Place> {
        let len = u32::try_from(record.len()).map_err(|_| io::Error::other("a bulletin too large"))?;
        self.w.write_all(record)?;
        let place = Place { at: self.at, len, sum: crc32fast::hash(record) };
        self.at += u64::from(len);
        Ok(place)
    }

    /// Appends the record of `parsed`'s bodies, from its articles or copied (and checked) from
    /// the cache file that keeps them.
    pub fn body_of(&mut self, parsed: &Parsed) -> io::Result<Place> {
        let b = &parsed.bulletin;
        let mut record = Vec::new();
        match &b.body {
            Body::Here => {
                let bodies = b.articles.iter().map(|a| (&a.captions[..], &a.caption_at[..], &a.paragraphs[..]));
                bodies::encode(bodies, &mut record);
            }
            Body::Stored(s) => s.read_into(&mut record).map_err(|e| io::Error::other(e.0))?,
        }
        self.record(&record)
    }

    /// Puts the records appended so far into the file, where `records` reads them.
    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// The file, for bodies to be read from (`Body::Stored`) once their records are flushed.
    /// It stays readable through this handle after it is renamed over the cache, and also
    /// when it is not (an unfinished file is removed; its handle still reads).
    pub fn records(&self) -> Arc<BodyFile> {
        Arc::clone(&self.records)
    }

    /// Writes the index of `entries` (path, identity, where its record went, its headlines as
    /// `codec::encode` makes them), syncs, and renames the file over the cache.
    pub fn finish<'a>(
        mut self,
        entries: impl Iterator<Item = (&'a str, FileIdentity, Place, Cow<'a, [u8]>)>,
    ) -> io::Result<()> {
        // Written as it is made (at 10,000 bulletins the index is 13 MB), its length and
        // checksum counted on the way.
        let (mut index_len, mut crc) = (0u64, crc32fast::Hasher::new());
        let mut entry = Vec::new();
        for (path, id, place, headlines) in entries {
            entry.clear();
            entry.extend_from_slice(&[0; 4]);
            entry.extend_from_slice(&(path.len() as u32).to_le_bytes());
            entry.extend_from_slice(path.as_bytes());
            id.encode(&mut entry);
            entry.extend_from_slice(&place.at.to_le_bytes());
            entry.extend_from_slice(&place.len.to_le_bytes());
            entry.extend_from_slice(&place.sum.to_le_bytes());
            entry.extend_from_slice(&headlines);
            let len = (entry.len() - 4) as u32;
            entry[..4].copy_from_slice(&len.to_le_bytes());
            self.w.write_all(&entry)?;
            crc.update(&entry);
            index_len += entry.len() as u64;
        }
        self.w.write_all(&self.at.to_le_bytes())?;
        self.w.write_all(&index_len.to_le_bytes())?;
        self.w.write_all(&crc.finalize().to_le_bytes())?;
        self.w.write_all(END)?;
        self.flush()?;
        self.w.get_ref().sync_all()?;
        fs::rename(&self.tmp, &self.path)?;
        self.renamed = true;
        Ok(())
    }
}

impl Drop for CacheWriter {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Decoding the index takes at most this many threads.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(4)
}

/// What decoding the index's entries needs besides their bytes: what to keep and what may be
/// shared (see `read` and `read_sharing`), and the file with where its records end.
struct Decoding<'a> {
    origin: Origin,
    detail: Detail,
    sharing: Option<&'a Sharing<'a>>,
    file: &'a Arc<BodyFile>,
    records_end: u64,
}

/// Decodes the entries of a chunk: how many it holds, and those that decode.
fn decode_chunk(chunk: &[u8], how: &Decoding) -> (usize, Vec<Hit>) {
    let (mut entries, mut hits) = (0, Vec::new());
    let mut rest = chunk;
    while let Some((bytes, after)) = split_entry(rest) {
        entries += 1;
        hits.extend(entry(bytes, how));
        rest = after;
    }
    (entries, hits)
}

/// The first entry of `bytes` (after its length) and what follows it.
fn split_entry(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let rest = &bytes[4..];
    (len <= rest.len()).then(|| rest.split_at(len))
}

/// What a chunk of the index gave: how many entries it held, and those that decode.
type Decoded = (usize, Vec<Hit>);

/// Chunks are handed to `cores` threads; results in the index's order. `None` if the index
/// could not be read or does not divide into entries.
fn decode_on_threads<R: Read>(
    chunks: &mut Chunks<R>,
    cores: usize,
    decode: &(dyn Fn(&[u8]) -> Decoded + Sync),
) -> Option<Vec<Decoded>> {
    let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(cores);
    // Shared by the workers alone: should they all stop (a panic), the channel closes and the
    // reader stops sending instead of waiting for room forever.
    let receive = Arc::new(std::sync::Mutex::new(receive));
    let mut done: Vec<(usize, Decoded)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                let receive = Arc::clone(&receive);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    // The lock is held only while waiting for the next chunk.
                    while let Ok((n, chunk)) = { receive.lock().map_or_else(|e| e.into_inner().recv(), |r| r.recv()) } {
                        out.push((n, decode(&chunk)));
                    }
                    out
                })
            })
            .collect();
        drop(receive);
        let mut ok = true;
        for (n, chunk) in std::iter::from_fn(|| chunks.next()).enumerate() {
            if !chunk.is_ok_and(|chunk| send.send((n, chunk)).is_ok()) {
                ok = false;
                break;
            }
        }
        drop(send);
        let done: Vec<_> =
            workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect();
        ok.then_some(done)
    })?;
    done.sort_unstable_by_key(|(n, _)| *n);
    Some(done.into_iter().map(|(_, d)| d).collect())
}

/// The index read in chunks of whole entries (each with its length), checksummed on the way.
struct Chunks<R> {
    r: R,
    crc: crc32fast::Hasher,
    /// Index bytes not read yet.
    left: u64,
    /// The start of an entry that the last chunk cut.
    carry: Vec<u8>,
}

impl<R: Read> Chunks<R> {
    /// The next chunk, `None` at the end; `Err` if the index cannot be read or does not
    /// divide into entries.
    fn next(&mut self) -> Option<Result<Vec<u8>, ()>> {
        let mut chunk = std::mem::take(&mut self.carry);
        loop {
            let whole = whole_entries(&chunk);
            if whole >= CHUNK || (self.left == 0 && whole == chunk.len()) {
                if chunk.is_empty() {
                    return None;
                }
                self.carry = chunk.split_off(whole);
                return Some(Ok(chunk));
            }
            // The index ends inside an entry, or an entry says it is longer than any entry
            // is, or than what is left: not ours.
            let pending = chunk.get(whole..whole + 4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
            let room = (chunk.len() - whole) as u64 + self.left;
            if self.left == 0 || pending.is_some_and(|len| len > MAX_ENTRY || u64::from(len) + 4 > room) {
                return Some(Err(()));
            }
            let more = (CHUNK as u64).min(self.left) as usize;
            let at = chunk.len();
            chunk.resize(at + more, 0);
            if self.r.read_exact(&mut chunk[at..]).is_err() {
                return Some(Err(()));
            }
            self.crc.update(&chunk[at..]);
            self.left -= more as u64;
        }
    }
}

/// How many bytes at the start of `bytes` are whole entries.
fn whole_entries(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some((_, rest)) = split_entry(&bytes[at..]) {
        at = bytes.len() - rest.len();
    }
    at
}

/// The entry's file name, that file's identity then, and its bulletin.
fn entry(bytes: &[u8], how: &Decoding) -> Option<Hit> {
    let Decoding { origin, detail, sharing, file, records_end } = *how;
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
    let headlines = &rest[56..];
    // A file changed since (or gone) would be decoded only to be dropped: in a reload after
    // every file was copied anew, 10,000 bulletins beside the old corpus.
    if let Some(now) = sharing.and_then(|s| s.now)
        && now.get(path) != Some(&id)
    {
        return None;
    }
    let known = sharing.map(|s| s.known);
    let headlines_sum = known.map(|_| known::headlines_sum(headlines));
    let shared = known.zip(headlines_sum).and_then(|(k, h)| k.of_entry(id, h));
    let shared = shared.and_then(|a| codec::decode_sharing(headlines, &name, origin, a).ok());
    let mut parsed = match shared {
        Some(p) => p,
        None => {
            let mut fresh = codec::decode(headlines, &name, origin, id.size, detail).ok()?;
            // Here, on the threads that decode the cache. In full detail the corpus looks at
            // every article anyway, to give it its id and key.
            if !detail.full() {
                crate::domain::corpus::give_first_id(&mut fresh.bulletin);
            }
            fresh
        }
    };
    parsed.bulletin.body = Body::Stored(StoredBody { file: Arc::clone(file), at, len, sum });
    Some(Hit { path: path.to_string(), identity: id, parsed, sum: headlines_sum })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::corpus::{Article, Bulletin, Format};

    fn parsed(n: usize) -> Parsed {
        let title = format!("第{n}篇 {}", "职工".repeat(200));
        let article =
            Article { title: title.clone(), line: 1, paragraphs: vec![format!("正文{n}")], ..Default::default() };
        let bulletin = Bulletin {
            id: String::new(),
            source: format!("{n}.txt"),
            origin: Origin::User,
            date: None,
            date_evidence: vec![],
            title,
            encoding: "UTF-8",
            fingerprint: n as u64,
            articles: vec![article].into(),
            format: Format::Text,
            issue: None,
            day: None,
            pages: 0,
            body: Body::Here,
        };
        Parsed { bulletin, warnings: vec![] }
    }

    /// A cache of these entries (path, identity, parsed), written as a load writes one.
    fn write(cache: &RootCache, entries: &[(String, FileIdentity, Parsed)]) -> io::Result<()> {
        let mut w = CacheWriter::create(cache)?;
        let mut index = Vec::new();
        for (path, id, parsed) in entries {
            let mut headlines = Vec::new();
            codec::encode(parsed, &mut headlines);
            index.push((path.as_str(), *id, w.body_of(parsed)?, headlines));
        }
        w.finish(index.iter().map(|(path, id, place, headlines)| (*path, *id, *place, Cow::Borrowed(&headlines[..]))))
    }

    fn identity(n: usize) -> FileIdentity {
        FileIdentity { size: 1 << 20, modified_ns: n as i64, changed_ns: 0, inode: n as u64, device: 1 }
    }

    fn titles(hits: &Hits) -> Vec<(String, FileIdentity, String)> {
        hits.parsed.iter().map(|h| (h.path.clone(), h.identity, h.parsed.bulletin.articles[0].title.clone())).collect()
    }

    /// An index of several chunks decodes the same on one thread and on several, in order; a
    /// flipped byte or a cut anywhere in it, chunk edges included, gives nothing.
    #[test]
    fn an_index_of_many_chunks_reads_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RootCache::new(dir.path(), Path::new("/nonexistent/root"), &SectionVocab::bundled());
        let all: Vec<(String, FileIdentity, Parsed)> =
            (0..3000).map(|n| (format!("/r/{n:05}.txt"), identity(n), parsed(n))).collect();
        write(&cache, &all).unwrap();
        let (_, index_at, index_len, _) = cache.open_index().unwrap();
        assert!(index_len > 3 * CHUNK as u64, "{index_len}");
        let one = cache.read_on(Origin::User, Detail::Full, None, 1);
        let four = cache.read_on(Origin::User, Detail::Full, None, 4);
        assert_eq!((one.entries, four.entries), (3000, 3000));
        let expected: Vec<_> =
            all.iter().map(|(p, id, b)| (p.clone(), *id, b.bulletin.articles[0].title.clone())).collect();
        assert_eq!(titles(&one), expected);
        assert_eq!(titles(&four), expected);
        let good = fs::read(cache.path()).unwrap();
        let places = [0, 3, 4, CHUNK - 1, CHUNK, CHUNK + 5, 2 * CHUNK + 1, index_len as usize - 1];
        for at in places.map(|p| index_at as usize + p) {
            let mut bad = good.clone();
            bad[at] ^= 0x55;
            fs::write(cache.path(), &bad).unwrap();
            for cores in [1, 4] {
                assert_eq!(
                    cache.read_on(Origin::User, Detail::Full, None, cores).entries,
                    0,
                    "byte {at} flipped, {cores} threads"
                );
            }
        }
        for cut in [index_at as usize + CHUNK, good.len() - 1] {
            fs::write(cache.path(), &good[..cut]).unwrap();
            assert_eq!(cache.read_on(Origin::User, Detail::Full, None, 4).entries, 0, "cut at {cut}");
        }
    }

    /// A writer given up before the end (a failed write, a full disk) leaves no file behind,
    /// and the records it flushed still read, checked, through its handle: bodies the load
    /// already let go of are not lost.
    #[test]
    fn an_unfinished_writer_leaves_nothing_and_its_flushed_records_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RootCache::new(dir.path(), Path::new("/nonexistent/root"), &SectionVocab::bundled());
        let mut w = CacheWriter::create(&cache).unwrap();
        let a = w.record(b"first record").unwrap();
        let b = w.record(b"second").unwrap();
        w.flush().unwrap();
        let records = w.records();
        drop(w);
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()).collect();
        assert!(left.is_empty(), "{left:?}");
        let mut buf = Vec::new();
        records.read_into(a.at, a.len, a.sum, &mut buf).unwrap();
        assert_eq!(buf, b"first record");
        records.read_into(b.at, b.len, b.sum, &mut buf).unwrap();
        assert_eq!(buf, b"second");
        assert!(records.read_into(b.at, b.len, b.sum ^ 1, &mut buf).is_err(), "the checksum is checked");
        assert!(!cache.path().exists());
    }
}
