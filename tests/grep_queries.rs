//! Full-text search on the seeds (and a bulletin made here): each query returns exactly the
//! articles that contain it. The expectation is computed independently by a naive scan:
//! normalise every text (fold full-width forms, lowercase unless the query has capitals,
//! drop whitespace next to Chinese) and test `contains`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use kanbao::domain::corpus::{Article, Corpus};
use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::search::{Query, search};

/// A bulletin with full-width and half-width Latin, spaces between Hanzi, and hostile bytes.
const FIXTURE: &str = "手机ＡＰＰ上线\n\n\
4月1日,市总工会职工服务ＡＰＰ正式上线,职工可在ＡＰＰ上报名参加活动。\n\n\n\n\
APP服务升级\n\n\
4月2日,全市工会系统的app完成升级,新增拔 河比赛报名功能。\x1b]0;owned\x07\u{202e}反转\u{202c}\x1b[2J\n";

fn corpus() -> (Corpus, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.txt"), FIXTURE).unwrap();
    let paths: Vec<PathBuf> = vec![dir.path().to_path_buf()];
    let (c, problems) = load(&paths, None, LoadOptions { bundled: true, ..LoadOptions::default() });
    assert!(problems.iter().all(|p| p.loaded), "{problems:?}");
    (c, dir)
}

fn texts(a: &Article) -> Vec<&str> {
    let head = [a.kicker.as_deref(), Some(a.title.as_str()), a.subtitle.as_deref()];
    head.into_iter()
        .flatten()
        .chain(a.captions.iter().map(String::as_str))
        .chain(a.paragraphs.iter().map(String::as_str))
        .collect()
}

/// Chinese text: Han, CJK punctuation, kana, full-width forms, the curly quotes.
fn chinese(c: char) -> bool {
    let u = c as u32;
    (0x2E80..=0x9FFF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
        || u >= 0x20000
        || "“”‘’…—·".contains(c)
}

fn normalise(text: &str, lower: bool) -> String {
    let folded: Vec<char> = text
        .chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            0x3000 => ' ',
            _ => c,
        })
        .map(|c| if lower { c.to_lowercase().next().unwrap() } else { c })
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < folded.len() {
        if folded[i].is_whitespace() {
            let start = i;
            while i < folded.len() && folded[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|p| folded[p]);
            let after = folded.get(i).copied();
            if !(before.is_some_and(chinese) || after.is_some_and(chinese)) && before.is_some() && after.is_some() {
                out.push(' ');
            }
        } else {
            out.push(folded[i]);
            i += 1;
        }
    }
    out
}

/// The naive answer: articles whose normalised texts contain every wanted term and no excluded one.
fn naive(corpus: &Corpus, query: &str) -> BTreeSet<String> {
    let mut terms: Vec<(String, bool)> = Vec::new();
    let mut rest = query.trim();
    while !rest.is_empty() {
        let negate = rest.starts_with('!');
        rest = rest.trim_start_matches('!');
        let (term, tail) = match rest.strip_prefix('"') {
            Some(r) => r.split_once('"').unwrap_or((r, "")),
            None => rest.split_once(' ').unwrap_or((rest, "")),
        };
        terms.push((term.to_string(), negate));
        rest = tail.trim_start();
    }
    let lower = !terms.iter().any(|(t, _)| normalise(t, false).chars().any(char::is_uppercase));
    let terms: Vec<(String, bool)> = terms.into_iter().map(|(t, n)| (normalise(&t, lower), n)).collect();
    let mut out = BTreeSet::new();
    for b in &corpus.bulletins {
        for a in b.articles.iter() {
            let hay: Vec<String> = texts(a).iter().map(|t| normalise(t, lower)).collect();
            let has = |t: &str| hay.iter().any(|h| h.contains(t));
            if terms.iter().all(|(t, negate)| has(t) != *negate) {
                out.insert(a.id.clone());
            }
        }
    }
    out
}

fn found(corpus: &Corpus, query: &str) -> Vec<String> {
    let q = Query::parse(query).unwrap();
    search(corpus, &q).iter().map(|f| corpus.bulletins[f.bulletin].articles[f.article].id.clone()).collect()
}

/// A phrase the parser joined across a page break: the end of one raw chunk and the start of
/// the next, which no raw line holds.
fn page_break_phrase(corpus: &Corpus) -> (String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for b in &corpus.bulletins {
        let Ok(raw) = std::fs::read_to_string(dir.join(&b.source)) else { continue };
        let chunks: Vec<&str> = raw.split("\n\n").map(str::trim).filter(|c| !c.is_empty()).collect();
        for a in b.articles.iter() {
            for p in &a.paragraphs {
                for w in chunks.windows(2) {
                    if let Some(rest) = p.strip_prefix(w[0])
                        && rest.starts_with(w[1])
                        && !rest.is_empty()
                    {
                        let head: String = w[0].chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
                        let phrase = format!("{head}{}", w[1].chars().take(2).collect::<String>());
                        if !raw.contains(&phrase) {
                            return (phrase, a.id.clone());
                        }
                    }
                }
            }
        }
    }
    panic!("the seeds have page-break joins");
}

/// Four chars of a caption that no title or paragraph anywhere holds.
fn caption_only(corpus: &Corpus) -> (String, String) {
    let arts: Vec<&Article> = corpus.bulletins.iter().flat_map(|b| b.articles.iter()).collect();
    for a in &arts {
        for c in &a.captions {
            let chars: Vec<char> = c.chars().filter(|c| !c.is_whitespace()).collect();
            for w in chars.windows(4) {
                let q: String = w.iter().collect();
                let elsewhere = arts.iter().any(|x| {
                    let mut t = texts(x);
                    t.retain(|t| !x.captions.iter().any(|c| c == t));
                    t.iter().any(|t| normalise(t, true).contains(&normalise(&q, true)))
                });
                if !elsewhere && q.chars().all(|c| c as u32 >= 0x4E00) {
                    return (q, a.id.clone());
                }
            }
        }
    }
    panic!("the seeds have captions of their own");
}

#[test]
fn each_query_returns_exactly_the_articles_that_contain_it() {
    let (c, _dir) = corpus();
    let (phrase, joined) = page_break_phrase(&c);
    let (caption, captioned) = caption_only(&c);
    println!("page-break phrase {phrase} ({joined}); caption-only {caption} ({captioned})");
    let table: Vec<(&str, Option<usize>)> = vec![
        ("拔河", None),
        ("送清凉", Some(0)),
        ("职工 服务", None),
        ("\"劳模 工匠\"", None),
        ("劳模工匠", None),
        ("!重庆", None),
        ("重庆 !工会", None),
        ("ＡＰＰ", Some(2)),
        ("APP", Some(2)),
        ("app", Some(2)),
        ("App", Some(0)),
        ("ai", None),
        ("ＡＩ", None),
        ("5月29日,", None),
        ("5月29日，", None),
        ("跟党走团结", None),
        ("(扩大)", None),
        (&phrase, None),
        (&caption, Some(1)),
    ];
    for (q, count) in table {
        let got = found(&c, q);
        let expected = naive(&c, q);
        assert_eq!(got.iter().cloned().collect::<BTreeSet<_>>(), expected, "query {q}");
        assert_eq!(got.len(), expected.len(), "query {q}: one row per article");
        if let Some(n) = count {
            assert_eq!(got.len(), n, "query {q}: {got:?}");
        }
        if !matches!(q, "送清凉" | "App") {
            assert!(!got.is_empty(), "query {q} should find something in the seeds");
        }
    }
    assert!(found(&c, "拔河").len() >= 2, "the seed and the fixture's 拔 河");
    assert!(found(&c, &phrase).contains(&joined), "{phrase} in {joined}");
    assert_eq!(found(&c, &caption), [captioned]);
    assert_eq!(found(&c, "ＡＰＰ"), found(&c, "APP"));
    let all = c.article_count();
    assert_eq!(found(&c, "!重庆").len() + found(&c, "重庆").len(), all);
}

#[test]
fn hostile_text_never_reaches_a_snippet() {
    let (c, _dir) = corpus();
    let q = Query::parse("反转").unwrap();
    let hits = search(&c, &q);
    assert_eq!(hits.len(), 1);
    let a = &c.bulletins[hits[0].bulletin].articles[hits[0].article];
    let hit = hits[0].first.clone().unwrap();
    let text = hit.field.text(a);
    let s = kanbao::domain::search::snippet(text, &q.find(text), hit.chars, 80, Default::default());
    assert!(s.text.contains("反转"));
    assert!(!s.text.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)), "{:?}", s.text);
    assert!(!s.text.contains("]0;") && !s.text.contains("[2J"), "escape sequences go whole: {:?}", s.text);
}

/// Bodies kept in the parse cache (read and scanned as bytes, a bulletin at a time, passed over
/// when a term is missing) give exactly what bodies in memory give: rows, hit counts, first hits.
#[test]
fn bodies_in_the_parse_cache_search_as_bodies_in_memory() {
    let (here, _dir) = corpus();
    let lib = tempfile::tempdir().unwrap();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in std::fs::read_dir(seeds).unwrap().flatten() {
        std::fs::copy(e.path(), lib.path().join(e.file_name())).unwrap();
    }
    std::fs::write(lib.path().join("fixture.txt"), FIXTURE).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let opts = LoadOptions { cache_dir: Some(cache.path().to_path_buf()), ..LoadOptions::default() };
    let (stored, problems) = load(&[], Some(lib.path()), opts);
    assert!(problems.iter().all(|p| p.loaded), "{problems:?}");
    assert!(stored.bulletins.iter().all(|b| matches!(b.body, kanbao::domain::corpus::Body::Stored(_))));
    let rows = |c: &Corpus, q: &Query| -> Vec<(String, usize, Option<kanbao::domain::search::Hit>)> {
        search(c, q)
            .into_iter()
            .map(|f| (c.bulletins[f.bulletin].articles[f.article].id.clone(), f.hits, f.first))
            .collect()
    };
    for q in [
        "拔河",
        "送清凉",
        "职工 服务",
        "\"劳模 工匠\"",
        "!重庆",
        "重庆 !工会",
        "ＡＰＰ",
        "app",
        "ai",
        "5月29日,",
        "图片",
    ] {
        let q = Query::parse(q).unwrap();
        assert_eq!(rows(&stored, &q), rows(&here, &q), "query {}", q.text());
    }
}
