//! The user's library folder: what may go in, and putting it there without ever damaging what
//! is there (no partial file on a full disk, no file replaced, nothing written through a
//! symlink to outside the folder).

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::corpus::{Bulletin, Corpus};
use super::identity::headline_words;

/// Whether parsed text looks like a bulletin at all: a date found in it, or at least one
/// article under a real headline. `printf 'hello world'` has neither.
pub fn has_bulletin_structure(b: &Bulletin) -> bool {
    b.date.is_some() || b.articles.iter().any(|a| !a.title_derived && !a.paragraphs.is_empty())
}

/// The bulletin of `corpus` that `b` is another copy of: the same text (in any encoding, with
/// any line ends), or the same month with the same headlines (another format of it, e.g. a
/// PDF's text beside the text file).
pub fn same_bulletin<'a>(corpus: &'a Corpus, b: &Bulletin) -> Option<&'a Bulletin> {
    let heads = |b: &Bulletin| -> BTreeSet<String> { b.articles.iter().map(|a| headline_words(&a.title)).collect() };
    let mine = heads(b);
    corpus.bulletins.iter().find(|o| o.fingerprint == b.fingerprint).or_else(|| {
        corpus.bulletins.iter().find(|o| o.date.is_some() && o.date == b.date && mine.len() > 1 && heads(o) == mine)
    })
}

/// The name a file gets in the library: its own when the library reads it (`*.txt`, `*.pdf`),
/// else its stem with `.txt` (`notes.md` -> `notes.txt`), so that what is added is also read.
pub fn library_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_lowercase();
    if lower.ends_with(".txt") || lower.ends_with(".pdf") {
        return Some(name.to_string());
    }
    let stem = path.file_stem()?.to_str()?;
    Some(format!("{stem}.txt"))
}

/// Copies `bytes` into `dir/name`: written to a temporary file, synced, then linked into place.
/// Never replaces anything already named so (a file, a folder, a symlink, dangling or not:
/// `AlreadyExists`), and a failed write (a full disk) leaves nothing behind.
pub fn copy_in(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    fs::create_dir_all(dir)?;
    let target = dir.join(name);
    if target.symlink_metadata().is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // Not `*.txt`: the library never reads a temporary file, even one left by a crash.
    let tmp = dir.join(format!(".{name}.adding-{}-{n}", std::process::id()));
    let result = OpenOptions::new().write(true).create_new(true).open(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        // link(2) fails if the name exists, symlink or not, and never follows it.
        match fs::hard_link(&tmp, &target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: check, then rename (a race here could only
            // replace a file added in the same instant).
            Err(_) if target.symlink_metadata().is_ok() => Err(io::ErrorKind::AlreadyExists.into()),
            Err(_) => fs::rename(&tmp, &target),
        }
    });
    let _ = fs::remove_file(&tmp);
    result.map(|()| target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_library_reads() {
        assert_eq!(library_name(Path::new("/x/a.TXT")).as_deref(), Some("a.TXT"));
        assert_eq!(library_name(Path::new("notes.md")).as_deref(), Some("notes.txt"));
        assert_eq!(library_name(Path::new("README")).as_deref(), Some("README.txt"));
        assert_eq!(library_name(Path::new("第9期.PDF")).as_deref(), Some("第9期.PDF"));
    }

    #[test]
    fn copy_in_never_replaces_nor_follows_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let p = copy_in(dir.path(), "a.txt", b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(copy_in(dir.path(), "a.txt", b"two").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&p).unwrap(), b"one");
        #[cfg(unix)]
        {
            let target = outside.path().join("victim.txt");
            std::os::unix::fs::symlink(&target, dir.path().join("b.txt")).unwrap();
            assert_eq!(copy_in(dir.path(), "b.txt", b"x").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
            assert!(!target.exists(), "nothing written outside the library");
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), if cfg!(unix) { 2 } else { 1 }, "no temporary file left: {names:?}");
    }
}
