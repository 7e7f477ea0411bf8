//! The parse cache is used, never trusted: a cache that is corrupt, truncated, foreign,
//! hostile, not a file, or written by two readers at once is ignored and rebuilt, and what is
//! shown always comes from the files.

use std::fs;
use std::path::{Path, PathBuf};

use kanbao::domain::corpus::{Body, Bulletin, Corpus};
use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::parse::SectionVocab;
use kanbao::domain::parse_cache::RootCache;

const HEADER: usize = 16 + 32;
/// Index place, length, CRC-32 and the end mark.
const TRAILER: usize = 8 + 8 + 4 + 8;

fn bulletin(tag: &str, month: u32) -> String {
    format!(
        "# {tag}区工会召开职工代表大会\n\n2024年{month}月5日,{tag}区工会召开职工代表大会,审议工作报告。\n\n\
         # {tag}区举办技能比武\n\n{month}月15日,{tag}区举办职工技能比武,两百名职工参赛。\n"
    )
}

struct Setup {
    _tmp: tempfile::TempDir,
    lib: PathBuf,
    cache: PathBuf,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    fs::create_dir(&lib).unwrap();
    for (i, tag) in ["江北", "渝中", "南岸", "北碚"].iter().enumerate() {
        fs::write(lib.join(format!("{i}.txt")), bulletin(tag, i as u32 + 1)).unwrap();
    }
    let cache = tmp.path().join("cache");
    Setup { lib, cache, _tmp: tmp }
}

fn corpus_with(s: &Setup, cache: bool) -> Corpus {
    let opts = LoadOptions { cache_dir: cache.then(|| s.cache.clone()), ..Default::default() };
    let (c, problems) = load(&[], Some(&s.lib), opts);
    assert!(problems.is_empty(), "{problems:?}");
    c
}

/// The bulletins with their bodies, wherever those are kept.
fn whole(c: &Corpus) -> Result<Vec<Bulletin>, String> {
    c.bulletins.iter().map(|b| b.whole().map(|w| w.into_owned()).map_err(|e| e.0)).collect()
}

fn load_with(s: &Setup, cache: bool) -> Vec<Bulletin> {
    whole(&corpus_with(s, cache)).expect("bodies readable")
}

fn cache_file(s: &Setup) -> PathBuf {
    RootCache::new(&s.cache, &s.lib, &SectionVocab::bundled()).path().to_path_buf()
}

fn modified(p: &Path) -> std::time::SystemTime {
    fs::metadata(p).unwrap().modified().unwrap()
}

/// A cache that is complete and used: loading again does not rewrite it.
fn assert_valid_cache(s: &Setup) {
    let f = cache_file(s);
    let before = (fs::read(&f).unwrap(), modified(&f));
    assert_eq!(load_with(s, true), load_with(s, false));
    assert_eq!((fs::read(&f).unwrap(), modified(&f)), before, "a valid cache is read, not rewritten");
}

#[test]
fn a_warm_cache_gives_the_same_corpus_and_changed_files_are_parsed_again() {
    let s = setup();
    let fresh = load_with(&s, false);
    assert_eq!(load_with(&s, true), fresh, "cold");
    assert!(cache_file(&s).is_file());
    assert_valid_cache(&s);

    // Same size, same modification time, other text: the change time gives it away.
    let p = s.lib.join("1.txt");
    let mtime = modified(&p);
    fs::write(&p, bulletin("渝北", 2)).unwrap();
    fs::File::options().write(true).open(&p).unwrap().set_modified(mtime).unwrap();
    let c = load_with(&s, true);
    assert!(c.iter().any(|b| b.title.contains("渝北")), "the new text is shown");
    assert!(!c.iter().any(|b| b.title.contains("渝中")), "the old text is gone");
    // A new file and a removed one.
    fs::write(s.lib.join("9.txt"), bulletin("巴南", 9)).unwrap();
    fs::remove_file(s.lib.join("0.txt")).unwrap();
    assert_eq!(load_with(&s, true), load_with(&s, false));
    assert_valid_cache(&s);
}

#[test]
fn truncated_flipped_and_garbage_caches_are_ignored_and_rebuilt() {
    let s = setup();
    let fresh = load_with(&s, false);
    load_with(&s, true);
    let good = fs::read(cache_file(&s)).unwrap();
    let mut damaged: Vec<Vec<u8>> = Vec::new();
    for n in (0..good.len()).step_by(7).chain([good.len() - 1]) {
        damaged.push(good[..n].to_vec());
    }
    for i in (0..good.len()).step_by(5) {
        for v in [0x00, 0x1b, 0xff] {
            let mut b = good.clone();
            b[i] ^= v | 1;
            damaged.push(b);
        }
    }
    let mut huge = good[..HEADER].to_vec();
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    damaged.push(huge);
    damaged.push(vec![0; 4096]);
    damaged.push(b"kanbao-parsed\n\0\x01 not really".to_vec());
    let records = good.len() - TRAILER - index_len(&good);
    for bytes in damaged {
        fs::write(cache_file(&s), &bytes).unwrap();
        let flipped_body = bytes.len() == good.len() && (HEADER..records).any(|i| bytes[i] != good[i]);
        match whole(&corpus_with(&s, true)) {
            Ok(w) => assert_eq!(w, fresh),
            // A body record is checked when it is read: the cache is then removed, and the
            // next load reads the files again.
            Err(e) => {
                assert!(flipped_body, "only a damaged body fails when read: {e}");
                assert!(e.contains("damaged") && !cache_file(&s).exists(), "{e}");
                assert_eq!(load_with(&s, true), fresh);
            }
        }
    }
    assert_valid_cache(&s);
}

fn index_len(cache: &[u8]) -> usize {
    let at = cache.len() - TRAILER + 8;
    u64::from_le_bytes(cache[at..at + 8].try_into().unwrap()) as usize
}

/// Rewrites every entry of the cache's index with `edit` applied to it, fixing the checksum:
/// what a hostile writer (or a buggy kanbao) could leave.
fn forge(s: &Setup, edit: impl Fn(&mut Vec<u8>)) {
    let good = fs::read(cache_file(s)).unwrap();
    let index_at = good.len() - TRAILER - index_len(&good);
    let mut out = good[..index_at].to_vec();
    let mut index = Vec::new();
    let mut at = index_at;
    while at < good.len() - TRAILER {
        let len = u32::from_le_bytes(good[at..at + 4].try_into().unwrap()) as usize;
        let mut entry = good[at + 4..at + 4 + len].to_vec();
        edit(&mut entry);
        index.extend_from_slice(&(entry.len() as u32).to_le_bytes());
        index.extend_from_slice(&entry);
        at += 4 + len;
    }
    out.extend_from_slice(&index);
    out.extend_from_slice(&(index_at as u64).to_le_bytes());
    out.extend_from_slice(&(index.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&index).to_le_bytes());
    out.extend_from_slice(&good[good.len() - 8..]);
    fs::write(cache_file(s), out).unwrap();
}

#[test]
fn hostile_entries_with_good_checksums_are_refused() {
    let s = setup();
    let fresh = load_with(&s, false);
    load_with(&s, true);
    // An escape sequence in place of a title's characters (same length, so it decodes).
    forge(&s, |p| {
        let title = "工会召开".as_bytes();
        if let Some(i) = p.windows(title.len()).position(|w| w == title) {
            p[i..i + title.len()].copy_from_slice(b"\x1b]0;pwn\x07\x1b[2J");
        }
    });
    assert_eq!(load_with(&s, true), fresh);
    // Counts and lengths that lie, and bytes past the end.
    for edit in [
        (|p: &mut Vec<u8>| p.truncate(p.len() - 3)) as fn(&mut Vec<u8>),
        |p| p.extend_from_slice(b"extra"),
        |p| {
            let n = p.len();
            p[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        },
    ] {
        load_with(&s, true);
        forge(&s, edit);
        assert_eq!(load_with(&s, true), fresh);
    }
    assert_valid_cache(&s);
}

#[test]
fn another_build_or_other_parse_options_make_a_foreign_cache() {
    let s = setup();
    load_with(&s, true);
    let mut bytes = fs::read(cache_file(&s)).unwrap();
    bytes[20] ^= 1; // the parser build and options hash
    fs::write(cache_file(&s), &bytes).unwrap();
    assert_eq!(load_with(&s, true), load_with(&s, false));
    assert_valid_cache(&s);
    // Other section labels in the config: the cache made with the old ones is not used.
    let header = fs::read(cache_file(&s)).unwrap()[..HEADER].to_vec();
    let mut vocab = SectionVocab::bundled();
    vocab.extend(["新栏目".to_string()]);
    let opts = LoadOptions { cache_dir: Some(s.cache.clone()), vocab: Some(vocab), ..Default::default() };
    load(&[], Some(&s.lib), opts);
    assert_ne!(fs::read(cache_file(&s)).unwrap()[..HEADER], header[..], "rebuilt for the new labels");
}

#[test]
fn a_cache_that_is_not_a_file_is_left_alone() {
    let s = setup();
    let fresh = load_with(&s, false);
    fs::create_dir_all(&s.cache).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", cache_file(&s)).unwrap();
        assert_eq!(load_with(&s, true), fresh, "a device");
        fs::remove_file(cache_file(&s)).unwrap();
        let fifo = std::ffi::CString::new(cache_file(&s).to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        assert_eq!(load_with(&s, true), fresh, "a FIFO (no hang)");
        fs::remove_file(cache_file(&s)).unwrap();
    }
    fs::create_dir(cache_file(&s)).unwrap();
    assert_eq!(load_with(&s, true), fresh, "a folder");
}

#[test]
fn two_readers_on_a_cold_cache_both_work_and_leave_one_valid_cache() {
    for _ in 0..5 {
        let s = setup();
        for i in 0..60 {
            fs::write(s.lib.join(format!("x{i}.txt")), bulletin(&format!("第{i}"), i % 12 + 1)).unwrap();
        }
        let fresh = load_with(&s, false);
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| load_with(&s, true));
            let b = scope.spawn(|| load_with(&s, true));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!(a, fresh);
        assert_eq!(b, fresh);
        assert_valid_cache(&s);
        let leftovers: Vec<_> =
            fs::read_dir(&s.cache).unwrap().flatten().filter(|e| e.path() != cache_file(&s)).collect();
        assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
    }
}

/// Loads with and without the cache: the same bulletins, whole, and the same problems; with
/// the cache, every body is kept in it.
fn assert_same_with_cache(s: &Setup) {
    let run = |cache: bool| {
        let opts = LoadOptions { cache_dir: cache.then(|| s.cache.clone()), ..Default::default() };
        load(&[], Some(&s.lib), opts)
    };
    let (plain, plain_problems) = run(false);
    let (cached, cached_problems) = run(true);
    assert_eq!(cached_problems, plain_problems);
    assert!(cached.bulletins.iter().all(|b| matches!(b.body, Body::Stored(_))));
    assert_eq!(whole(&cached).unwrap(), whole(&plain).unwrap());
    let leftovers: Vec<_> = fs::read_dir(&s.cache).unwrap().flatten().filter(|e| e.path() != cache_file(s)).collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}

#[test]
fn a_first_run_over_many_files_writes_them_batch_by_batch_and_loses_none() {
    // More files than one batch takes (512), some that do not load, some larger than others.
    let s = setup();
    for i in 0..1_100 {
        let text = match i % 97 {
            0 => String::new(),
            1 => bulletin(&format!("长{i}"), i % 12 + 1).repeat(40),
            _ => bulletin(&format!("第{i}"), i % 12 + 1),
        };
        fs::write(s.lib.join(format!("x{i:04}.txt")), text).unwrap();
    }
    assert_same_with_cache(&s);
    // Then files are added, changed and removed: the rest come from the cache, the new ones
    // are parsed in batches, and all of them are written to the new cache.
    for i in 1_100..1_700 {
        fs::write(s.lib.join(format!("x{i:04}.txt")), bulletin(&format!("新{i}"), i % 12 + 1)).unwrap();
    }
    fs::write(s.lib.join("x0005.txt"), bulletin("改过", 7)).unwrap();
    fs::remove_file(s.lib.join("x0006.txt")).unwrap();
    assert_same_with_cache(&s);
    // The files that did not load were never in it: without them, it is read as it is.
    for i in (0..1_100).step_by(97) {
        fs::remove_file(s.lib.join(format!("x{i:04}.txt"))).unwrap();
    }
    assert_valid_cache(&s);
}

#[test]
fn bodies_stay_in_the_cache_until_read_and_match_the_files() {
    let s = setup();
    let long = format!("{}\n第二段,职工们表示收获很大。\n\n第三段,活动还将继续。\n", bulletin("沙坪坝", 6));
    fs::write(s.lib.join("long.txt"), long).unwrap();
    let fresh = load_with(&s, false);
    assert!(fresh.iter().flat_map(|b| b.articles.iter()).any(|a| a.paragraphs.len() > 1));
    // Cold (parsed, written, read back) and warm: headlines in memory, bodies in the file.
    for _ in 0..2 {
        let c = corpus_with(&s, true);
        assert!(c.bulletins.iter().all(|b| matches!(b.body, Body::Stored(_))));
        assert!(c.bulletins.iter().flat_map(|b| b.articles.iter()).all(|a| a.paragraphs.is_empty()));
        for (b, f) in c.bulletins.iter().zip(&fresh) {
            assert_eq!((&b.id, &b.title, b.date, b.fingerprint), (&f.id, &f.title, f.date, f.fingerprint));
            for (a, fa) in b.articles.iter().zip(f.articles.iter()) {
                assert_eq!((&a.id, &a.key, &a.title, &a.districts), (&fa.id, &fa.key, &fa.title, &fa.districts));
            }
        }
        assert_eq!(whole(&c).unwrap(), fresh);
        for (b, f) in c.bulletins.iter().zip(&fresh) {
            for (i, fa) in f.articles.iter().enumerate() {
                assert_eq!(&*b.whole_article(i).unwrap(), fa, "one article read alone");
            }
        }
    }
    // A cache that cannot be written: bodies stay in memory.
    fs::remove_dir_all(&s.cache).unwrap();
    fs::write(&s.cache, "a file where the folder should be").unwrap();
    let c = corpus_with(&s, true);
    assert!(c.bulletins.iter().all(|b| b.body == Body::Here));
    assert_eq!(whole(&c).unwrap(), fresh);
}

#[test]
fn a_body_changed_in_place_after_the_load_is_never_shown() {
    let s = setup();
    load_with(&s, true);
    let c = corpus_with(&s, true);
    // Another program writes into the held-open file: the first body's bytes flip.
    let mut bytes = fs::read(cache_file(&s)).unwrap();
    let title = "两百名".as_bytes();
    let i = bytes.windows(title.len()).position(|w| w == title).expect("a body in the file");
    bytes[i..i + title.len()].copy_from_slice(b"\x1b]0;pwn\x07\x1b");
    std::io::Write::write_all(&mut fs::OpenOptions::new().write(true).open(cache_file(&s)).unwrap(), &bytes).unwrap();
    let errors: Vec<String> = c.bulletins.iter().filter_map(|b| b.whole().err()).map(|e| e.0).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("damaged"), "{}", errors[0]);
    let articles = c.bulletins.iter().flat_map(|b| (0..b.articles.len()).map(move |a| b.whole_article(a)));
    assert!(articles.filter(Result::is_err).count() >= 1, "an article read alone is checked too");
    // The search does not find what the file does not say, nor show it.
    let q = kanbao::domain::search::Query::parse("pwn").unwrap();
    assert!(kanbao::domain::search::search(&c, &q).is_empty());
    assert_eq!(load_with(&s, true), load_with(&s, false), "rebuilt on the next load");
}
