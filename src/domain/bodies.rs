//! Article bodies (paragraphs and captions) kept in the parse cache's file and read when an
//! article is shown, exported or searched. Memory then holds an archive's headlines, not its
//! whole text: 10,000 bulletins are about 100 MB of text, and the reader needs a screenful.
//!
//! A body record is one bulletin's bodies, article after article: its captions, where each
//! caption stands, and its paragraphs (lengths little-endian u32, strings UTF-8). Each record
//! has a CRC-32 in the cache's index, checked on every read: a flipped or torn record is never
//! shown. Strings are checked again (UTF-8, clean) before they become text; the full-text
//! search looks at the bytes alone (its patterns match UTF-8) and checks what it shows.
//!
//! The file is held open from the load on, so a cache rewritten meanwhile (always by renaming
//! a new file over it) does not move the bytes under us.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A parse cache file that bodies are read from.
#[derive(Debug)]
pub struct BodyFile {
    file: File,
    path: PathBuf,
    /// Its size when opened: no record may lie beyond it.
    len: u64,
}

/// Why a body could not be read (shown to the user with the cache's path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError(pub String);

impl BodyFile {
    pub fn new(file: File, path: &Path, len: u64) -> BodyFile {
        BodyFile { file, path: path.to_path_buf(), len }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A reader of the file from `at` on (not moving anyone else's place in it).
    pub fn reader_at(&self, at: u64) -> impl io::Read + '_ {
        ReadAt { file: &self.file, at }
    }

    /// Whether a record at `at` of `len` bytes lies within the file.
    pub fn holds(&self, at: u64, len: u32) -> bool {
        at.checked_add(u64::from(len)).is_some_and(|end| end <= self.len)
    }

    /// The record at `at`, into `buf`, if its checksum is `sum`.
    pub fn read_into(&self, at: u64, len: u32, sum: u32, buf: &mut Vec<u8>) -> Result<(), BodyError> {
        self.read_unchecked_into(at, len, buf)?;
        buf.truncate(len as usize);
        self.check(buf, sum)
    }

    /// The record at `at`, read into the start of `buf`, its checksum not looked at: nothing
    /// from it may be shown before `check` (a search skips most records without that cost).
    /// `buf` is grown as needed and never shrunk: the read overwrites the record's bytes, so
    /// only room beyond any record read before is zeroed (a search reads 100 MB of records
    /// of all sizes through one buffer).
    pub fn read_unchecked_into<'b>(&self, at: u64, len: u32, buf: &'b mut Vec<u8>) -> Result<&'b [u8], BodyError> {
        if !self.holds(at, len) {
            return Err(self.spoiled("a record lies beyond its end"));
        }
        let len = len as usize;
        if buf.len() < len {
            buf.resize(len, 0);
        }
        let record = &mut buf[..len];
        read_exact_at(&self.file, record, at)
            .map_err(|e| BodyError(format!("{}: cannot read it: {e}", self.path.display())))?;
        Ok(record)
    }

    /// Whether a record read by `read_unchecked_into` has checksum `sum`.
    pub fn check(&self, record: &[u8], sum: u32) -> Result<(), BodyError> {
        if crc32fast::hash(record) != sum {
            return Err(self.spoiled("a record fails its checksum"));
        }
        Ok(())
    }

    /// The cache was changed in place (not by kanbao, which only renames a new file over it):
    /// it is removed, so that the next load reads the files again, and the error says so.
    fn spoiled(&self, why: &str) -> BodyError {
        let _ = std::fs::remove_file(&self.path);
        BodyError(format!(
            "{}: the parse cache is damaged ({why}); it was removed: press R to read the files again",
            self.path.display()
        ))
    }
}

struct ReadAt<'a> {
    file: &'a File,
    at: u64,
}

impl io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.at)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// `buf.len()` bytes at `at`, without moving the file's place.
#[cfg(unix)]
pub fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
pub fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// One article's body as stored: byte strings, not yet checked as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawBody<'a> {
    pub captions: Vec<&'a [u8]>,
    pub caption_at: Vec<usize>,
    pub paragraphs: Vec<&'a [u8]>,
}

/// Appends the record of a bulletin's bodies: per article (captions, caption places, paragraphs).
pub fn encode<'a>(
    articles: impl ExactSizeIterator<Item = (&'a [String], &'a [usize], &'a [String])>,
    out: &mut Vec<u8>,
) {
    put_len(out, articles.len());
    for (captions, caption_at, paragraphs) in articles {
        put_strings(out, captions);
        put_len(out, caption_at.len());
        for &at in caption_at {
            put_len(out, at);
        }
        put_strings(out, paragraphs);
    }
}

/// The bodies in a record, borrowed from it. Every length is checked against what is left, and
/// every caption's place against the paragraphs; a record that does not add up is an error.
pub fn decode(bytes: &[u8]) -> Result<Vec<RawBody<'_>>, &'static str> {
    let mut r = Cursor { bytes };
    let n = r.count(12)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let captions = r.strings()?;
        let at = r.count(4)?;
        let mut caption_at = Vec::with_capacity(at);
        for _ in 0..at {
            caption_at.push(r.len()?);
        }
        let paragraphs = r.strings()?;
        if caption_at.len() != captions.len() || caption_at.iter().any(|&at| at > paragraphs.len()) {
            return Err("captions out of place");
        }
        out.push(RawBody { captions, caption_at, paragraphs });
    }
    if !r.bytes.is_empty() {
        return Err("bytes after the record");
    }
    Ok(out)
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_strings(out: &mut Vec<u8>, v: &[String]) {
    put_len(out, v.len());
    for s in v {
        put_len(out, s.len());
        out.extend_from_slice(s.as_bytes());
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if n > self.bytes.len() {
            return Err("cut short");
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn len(&mut self) -> Result<usize, &'static str> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")) as usize)
    }

    /// A count of items each at least `min` bytes long: never more than what is left could
    /// hold, so a lying count cannot make us allocate.
    fn count(&mut self, min: usize) -> Result<usize, &'static str> {
        let n = self.len()?;
        if n.saturating_mul(min) > self.bytes.len() {
            return Err("count larger than the record");
        }
        Ok(n)
    }

    fn strings(&mut self) -> Result<Vec<&'a [u8]>, &'static str> {
        let n = self.count(4)?;
        // A loop, not `collect` into a `Result`: that cannot size the list first, and grew it
        // step by step for each of 50,000 articles.
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let len = self.len()?;
            out.push(self.take(len)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Vec<u8> {
        let (c, at, p) = (vec!["图".to_string()], vec![1], vec!["一。".to_string(), "二。".to_string()]);
        let (c2, at2, p2) = (vec![], vec![], vec!["三。".to_string()]);
        let mut out = Vec::new();
        encode([(&c[..], &at[..], &p[..]), (&c2[..], &at2[..], &p2[..])].into_iter(), &mut out);
        out
    }

    #[test]
    fn round_trip() {
        let bytes = record();
        let got = decode(&bytes).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].captions, ["图".as_bytes()]);
        assert_eq!(got[0].caption_at, [1]);
        assert_eq!(got[0].paragraphs, ["一。".as_bytes(), "二。".as_bytes()]);
        assert_eq!(got[1].paragraphs, ["三。".as_bytes()]);
    }

    #[test]
    fn every_truncation_and_lying_count_is_an_error() {
        let bytes = record();
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "cut at {n}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode(&extra).is_err());
        let mut lie = bytes.clone();
        lie[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&lie).is_err());
        // A caption placed after a paragraph that is not there.
        let mut far = bytes;
        let at = 4 + 4 + 4 + "图".len() + 4;
        far[at..at + 4].copy_from_slice(&9u32.to_le_bytes());
        assert_eq!(decode(&far), Err("captions out of place"));
    }

    #[test]
    fn a_changed_file_is_caught_by_the_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.bin");
        let bytes = record();
        std::fs::write(&path, &bytes).unwrap();
        let f = BodyFile::new(File::open(&path).unwrap(), &path, bytes.len() as u64);
        let mut buf = Vec::new();
        f.read_into(0, bytes.len() as u32, crc32fast::hash(&bytes), &mut buf).unwrap();
        assert_eq!(buf, bytes);
        assert!(f.read_into(1, bytes.len() as u32, 0, &mut buf).is_err(), "beyond the end");
        let e = f.read_into(0, 4, 0, &mut buf).unwrap_err();
        assert!(e.0.contains("damaged") && !path.exists(), "{e:?}");
    }
}
