//! A load for full-text search (`Detail::Search`, what `kanbao grep` uses) finds exactly what a
//! full load finds, whatever state the parse cache is in: none, warm, files changed or removed
//! since it was written, damaged, or forged with a good checksum. And a cache it rewrites is
//! whole: a full load afterwards reads it as is, and gets everything a parse gives.

use std::fs;
use std::path::{Path, PathBuf};

use kanbao::domain::corpus::{Bulletin, Corpus};
use kanbao::domain::detail::Detail;
use kanbao::domain::load::{LoadOptions, Problem, load};
use kanbao::domain::parse::SectionVocab;
use kanbao::domain::parse_cache::RootCache;
use kanbao::domain::search::{Hit, Query, search_keeping_text};

const QUERIES: &[&str] = &["拔河", "工会", "职工 服务", "!重庆", "江北区", "送清凉", "\"技能 比武\"", "区工会 !渝中"];

/// A bulletin whose district is named in its body only (so the district list is the first
/// place the name stands in the cache's entry).
fn bulletin(tag: &str, month: u32) -> String {
    format!(
        "# 职工代表大会召开\n\n2024年{month}月5日,{tag}工会召开职工代表大会,审议工作报告,举行拔河比赛。\n\n\
         # 技能比武\n\n{month}月15日,{tag}举办职工技能比武,两百名职工参赛,工会为职工服务。\n"
    )
}

struct Library {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    cache: PathBuf,
}

fn library() -> Library {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lib");
    fs::create_dir(&dir).unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in fs::read_dir(seeds).unwrap().flatten() {
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    for (i, tag) in ["江北区", "渝中区", "南岸区", "北碚区"].iter().enumerate() {
        fs::write(dir.join(format!("{i}.txt")), bulletin(tag, i as u32 + 1)).unwrap();
    }
    let cache = tmp.path().join("cache");
    Library { dir, cache, _tmp: tmp }
}

fn load_lib(l: &Library, cache: bool, detail: Detail) -> (Corpus, Vec<Problem>) {
    let opts = LoadOptions { cache_dir: cache.then(|| l.cache.clone()), detail, ..Default::default() };
    load(&[], Some(&l.dir), opts)
}

/// What `kanbao grep` prints of each result.
type Row = (String, String, Option<String>, usize, Option<Hit>, Option<String>);

fn rows(c: &Corpus) -> Vec<Vec<Row>> {
    QUERIES
        .iter()
        .map(|q| {
            let q = Query::parse(q).unwrap();
            search_keeping_text(c, &q)
                .into_iter()
                .map(|f| {
                    let (b, a) = (&c.bulletins[f.bulletin], &c.bulletins[f.bulletin].articles[f.article]);
                    // The id as printed (a search load's articles carry none of their own).
                    (b.article_id(f.article), a.title.clone(), b.date.map(|d| d.to_string()), f.hits, f.first, f.text)
                })
                .collect()
        })
        .collect()
}

fn whole(c: &Corpus) -> Vec<Bulletin> {
    c.bulletins.iter().map(|b| b.whole().expect("bodies readable").into_owned()).collect()
}

fn cache_file(l: &Library) -> PathBuf {
    RootCache::new(&l.cache, &l.dir, &SectionVocab::bundled()).path().to_path_buf()
}

/// The search load agrees with a parse of every file, and leaves a cache that a full load
/// uses as it is and that gives all a parse gives.
fn assert_search_load_agrees(l: &Library, state: &str) {
    let (parsed, parse_problems) = load_lib(l, false, Detail::Full);
    let (lean, problems) = load_lib(l, true, Detail::Search);
    assert_eq!(problems, parse_problems, "{state}");
    let found = rows(&lean);
    assert_eq!(found, rows(&parsed), "{state}");
    assert!(found.iter().filter(|r| !r.is_empty()).count() >= 6, "{state}: the queries find things");
    assert!(
        lean.bulletins.iter().flat_map(|b| b.articles.iter()).all(|a| a.key.is_empty() && a.id.is_empty()),
        "{state}: no keys, no article ids"
    );
    let f = cache_file(l);
    let before = (fs::read(&f).unwrap(), fs::metadata(&f).unwrap().modified().unwrap());
    let (full, _) = load_lib(l, true, Detail::Full);
    assert_eq!(whole(&full), whole(&parsed), "{state}: the cache left behind is whole");
    let after = (fs::read(&f).unwrap(), fs::metadata(&f).unwrap().modified().unwrap());
    assert!(before == after, "{state}: a full load uses the cache the search load left as it is");
}

#[test]
fn a_search_load_finds_what_a_full_load_finds_whatever_the_cache() {
    let l = library();
    assert_search_load_agrees(&l, "no cache yet");
    assert_search_load_agrees(&l, "warm cache");

    // A file changed since the cache was written (its text and size), one added, one removed.
    fs::write(l.dir.join("1.txt"), bulletin("江北区", 9) + "\n# 送清凉\n\n9月1日,江北区工会送清凉到工地。\n").unwrap();
    fs::write(l.dir.join("9.txt"), bulletin("沙坪坝区", 11)).unwrap();
    fs::remove_file(l.dir.join("3.txt")).unwrap();
    assert_search_load_agrees(&l, "files changed, added and removed");

    // Damaged: a flipped byte in the index (a flipped body is caught when read, see
    // tests/parse_cache.rs), a cut anywhere.
    let good = fs::read(cache_file(&l)).unwrap();
    let index_at = good.len() - 28 - index_len(&good);
    for at in [index_at, index_at + 100, good.len() - 40, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x55;
        fs::write(cache_file(&l), &bad).unwrap();
        assert_search_load_agrees(&l, &format!("byte {at} flipped"));
    }
    for at in [good.len() / 2, index_at + 3, good.len() - 1] {
        fs::write(cache_file(&l), &good[..at]).unwrap();
        assert_search_load_agrees(&l, &format!("cut at {at}"));
    }
}

/// The length of a cache file's index (from its trailer: index place, length, CRC-32, end mark).
fn index_len(cache: &[u8]) -> usize {
    u64::from_le_bytes(cache[cache.len() - 20..cache.len() - 12].try_into().unwrap()) as usize
}

/// A forged entry (good checksum) with an escape in a part the search load leaves out (the
/// district list) is refused as a full load refuses it: the file is parsed again.
#[test]
fn a_forged_entry_is_refused_even_in_a_part_left_out() {
    let l = library();
    load_lib(&l, true, Detail::Full);
    let name = "江北区".as_bytes();
    let good = fs::read(cache_file(&l)).unwrap();
    let index_len = index_len(&good);
    let index_at = good.len() - 28 - index_len;
    let mut index = good[index_at..index_at + index_len].to_vec();
    let at = index.windows(name.len()).position(|w| w == name).expect("the district is listed");
    index[at..at + name.len()].copy_from_slice(b"\x1b]0;pwn!\x07");
    let mut forged = good[..index_at].to_vec();
    forged.extend_from_slice(&index);
    forged.extend_from_slice(&(index_at as u64).to_le_bytes());
    forged.extend_from_slice(&(index_len as u64).to_le_bytes());
    forged.extend_from_slice(&crc32fast::hash(&index).to_le_bytes());
    forged.extend_from_slice(&good[good.len() - 8..]);
    fs::write(cache_file(&l), &forged).unwrap();
    assert_search_load_agrees(&l, "forged district");
    assert!(fs::read(cache_file(&l)).unwrap() != forged, "the forged cache is rebuilt");
}
