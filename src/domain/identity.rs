//! Identity that does not move: bulletin ids, and the keys the user's marks are stored under.
//!
//! A bulletin is known by its *text*, not its file: the decoded text, NFKC-normalised, with all
//! white space removed, hashed (SHA-256). So the same bulletin in GBK, UTF-16 or UTF-8, with
//! CRLF or re-wrapped lines, under any file name, is the same bulletin, and adding, removing or
//! renaming other files changes nothing about it.
//!
//! - Bulletin id: `YYYY-MM-xxx` (`undated-xxx` without a date), `xxx` three letters of that hash
//!   (Crockford's base 32: no i, l, o, u). `2024-03` alone is accepted as a short form while the
//!   month has one bulletin; with two it is refused as ambiguous, never resolved to the wrong one.
//!   In the rare case (about 1 in 30,000 per pair) that two bulletins of a month share the three
//!   letters, both show six.
//! - Article id: `<bulletin id>/<n>`, n its place in the bulletin (typeable, for `show`).
//! - Article key (what bookmarks, read marks and places are stored under): the bulletin's month
//!   and text hash plus fingerprints of the article's title and of its first paragraph. A
//!   parser change that renumbers articles, a re-encode, or a PDF of the same bulletin (other
//!   text, same month, same headlines) still finds the article: see [`KeyIndex::resolve`].

pub mod legacy;

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::corpus::{Article, Bulletin};

/// Prefix of every article key this format writes.
const KEY_PREFIX: &str = "k2";
/// Characters of the first paragraph that make its fingerprint: enough to tell articles apart,
/// few enough that a later fix at the paragraph's end leaves it alone.
const LEAD_CHARS: usize = 40;

/// `text` as identity sees it: NFKC (full-width and half-width forms agree), no white space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // NFKC runs only between Han characters: they never change under NFKC nor combine with
    // their neighbours, and they are most of a bulletin, so most text is copied as it is.
    let mut run = String::new();
    for c in text.chars() {
        if is_han(c) {
            flush(&mut run, &mut out);
            out.push(c);
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn flush(run: &mut String, out: &mut String) {
    if run.is_ascii() {
        out.extend(run.chars().filter(|c| !c.is_whitespace()));
    } else {
        out.extend(run.nfkc().filter(|c| !c.is_whitespace()));
    }
    run.clear();
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The bulletin's text fingerprint: the first 8 bytes of SHA-256 of the normalised text.
pub fn text_fingerprint(text: &str) -> u64 {
    let digest = Sha256::digest(normalise(text).as_bytes());
    u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// A short fingerprint of `text` with punctuation and symbols dropped too (headlines gain and
/// lose a comma or quote mark between extraction tools).
fn word_fingerprint(text: &str) -> u32 {
    let digest = Sha256::digest(headline_words(text).as_bytes());
    u32::from_be_bytes(digest[..4].try_into().expect("4 bytes"))
}

/// `text` normalised, letters and digits only: how a headline is compared across formats.
pub fn headline_words(text: &str) -> String {
    normalise(text).chars().filter(|&c| is_han(c) || c.is_alphanumeric()).collect()
}

/// Crockford's base 32, lower case: letters that cannot be misread (no i, l, o, u).
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The first `len` base-32 letters of a fingerprint.
pub fn code(fingerprint: u64, len: usize) -> String {
    (0..len).map(|i| ALPHABET[((fingerprint >> (59 - 5 * i)) & 31) as usize] as char).collect()
}

/// The bulletin's month part of an id and key: `2024-03`, or `undated`.
pub fn month_of(b: &Bulletin) -> String {
    b.date.map_or_else(|| "undated".to_string(), |d| d.to_string())
}

/// Gives every bulletin its id and every article its id and key. Each id depends only on the
/// bulletin's own text and date (ties in the three letters aside, see the module note).
pub fn assign(bulletins: &mut [Bulletin]) {
    let mut short: HashMap<(String, String), usize> = HashMap::new();
    for b in bulletins.iter() {
        *short.entry((month_of(b), code(b.fingerprint, 3))).or_default() += 1;
    }
    for b in bulletins.iter_mut() {
        let month = month_of(b);
        let len = if short[&(month.clone(), code(b.fingerprint, 3))] > 1 { 6 } else { 3 };
        b.id = format!("{month}-{}", code(b.fingerprint, len));
        let mut seen: HashMap<u32, usize> = HashMap::new();
        for (i, a) in b.articles.iter_mut().enumerate() {
            a.id = format!("{}/{}", b.id, i + 1);
            let title = word_fingerprint(&a.title);
            // The same headline twice in one bulletin ("图片新闻" items): count them.
            let nth = seen.entry(title).or_default();
            *nth += 1;
            a.key = ArticleKey { month: month.clone(), bulletin: b.fingerprint, title, nth: *nth, lead: lead(a) }
                .to_string();
        }
    }
}

fn lead(a: &Article) -> u32 {
    let first = a.paragraphs.first().map_or("", String::as_str);
    // NFKC never makes more than a few characters of one, so this prefix is enough.
    let head: String = first.chars().take(LEAD_CHARS * 4).collect();
    let words: String = normalise(&head).chars().filter(|c| c.is_alphanumeric()).take(LEAD_CHARS).collect();
    word_fingerprint(&words)
}

/// What an article's marks are stored under (as a string in state.json).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleKey {
    /// `2024-03` or `undated`.
    pub month: String,
    pub bulletin: u64,
    pub title: u32,
    /// 1 for the first article of that headline in the bulletin, 2 for the second...
    pub nth: usize,
    pub lead: u32,
}

impl std::fmt::Display for ArticleKey {
    /// `k2:2024-03:1f3a5c7e9b2d4f60:8a7b6c5d.1:0e1f2a3b`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ArticleKey { month, bulletin, title, nth, lead } = self;
        write!(f, "{KEY_PREFIX}:{month}:{bulletin:016x}:{title:08x}.{nth}:{lead:08x}")
    }
}

impl ArticleKey {
    /// A key in this format; `None` for anything else (an id from an older state file).
    pub fn parse(s: &str) -> Option<ArticleKey> {
        let mut parts = s.split(':');
        if parts.next()? != KEY_PREFIX {
            return None;
        }
        let month = parts.next()?.to_string();
        let bulletin = u64::from_str_radix(parts.next()?, 16).ok()?;
        let (title, nth) = parts.next()?.split_once('.')?;
        let lead = u32::from_str_radix(parts.next()?, 16).ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(ArticleKey { month, bulletin, title: u32::from_str_radix(title, 16).ok()?, nth: nth.parse().ok()?, lead })
    }
}

/// Finds the article a stored key means in the corpus loaded now.
pub struct KeyIndex {
    /// Key string -> (bulletin, article), for the exact match.
    exact: HashMap<String, (usize, usize)>,
    keys: Vec<Vec<ArticleKey>>,
    by_text: HashMap<u64, usize>,
    by_month: HashMap<String, Vec<usize>>,
}

impl KeyIndex {
    pub fn new(bulletins: &[Bulletin]) -> KeyIndex {
        let mut index =
            KeyIndex { exact: HashMap::new(), keys: Vec::new(), by_text: HashMap::new(), by_month: HashMap::new() };
        for (bi, b) in bulletins.iter().enumerate() {
            index.by_text.insert(b.fingerprint, bi);
            index.by_month.entry(month_of(b)).or_default().push(bi);
            let mut keys = Vec::with_capacity(b.articles.len());
            for (ai, a) in b.articles.iter().enumerate() {
                index.exact.insert(a.key.clone(), (bi, ai));
                keys.push(ArticleKey::parse(&a.key).expect("keys are written by `assign`"));
            }
            index.keys.push(keys);
        }
        index
    }

    /// The article `key` was stored for:
    /// 1. the same key (the usual case);
    /// 2. the same bulletin text (the parser changed): the article with that headline (and
    ///    count), else the one whose first paragraph begins the same way;
    /// 3. the same month (the bulletin came back in another format, or decodes a little
    ///    differently): one article with both the headline and the first paragraph, else the
    ///    month's only article with that headline.
    ///
    /// `None` when nothing matches without doubt: the mark is kept as it is, for when its
    /// bulletin is loaded again.
    pub fn resolve(&self, key: &str) -> Option<(usize, usize)> {
        if let Some(&hit) = self.exact.get(key) {
            return Some(hit);
        }
        let k = ArticleKey::parse(key)?;
        if let Some(&bi) = self.by_text.get(&k.bulletin) {
            let keys = &self.keys[bi];
            let found = unique(keys.iter().enumerate().filter(|(_, a)| a.title == k.title && a.nth == k.nth))
                .or_else(|| unique(keys.iter().enumerate().filter(|(_, a)| a.lead == k.lead)));
            if let Some((ai, _)) = found {
                return Some((bi, ai));
            }
        }
        let candidates = || {
            self.by_month
                .get(&k.month)
                .into_iter()
                .flatten()
                .flat_map(|&bi| self.keys[bi].iter().enumerate().map(move |(ai, a)| ((bi, ai), a)))
        };
        unique(candidates().filter(|(_, a)| a.title == k.title && a.lead == k.lead))
            .or_else(|| unique(candidates().filter(|(_, a)| a.title == k.title && a.nth == k.nth)))
            .map(|(hit, _)| hit)
    }
}

/// The only item, or `None` for none or several.
fn unique<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_text_ignores_width_forms_and_white_space() {
        assert_eq!(normalise("重庆 市，\r\n总工会（ＡＢ１）"), normalise("重庆市,总工会(AB1)"));
        assert_eq!(normalise("e\u{301} x"), "\u{e9}x");
        assert_eq!(normalise("\u{3000}全角\u{3000}空格"), "全角空格");
        assert_ne!(normalise("重庆"), normalise("重慶"));
    }

    #[test]
    fn codes_are_typeable() {
        let c = code(u64::MAX, 3);
        assert_eq!(c, "zzz");
        assert_eq!(code(0, 6), "000000");
        let c = code(text_fingerprint("重庆"), 6);
        assert!(c.chars().all(|ch| ALPHABET.contains(&(ch as u8))), "{c}");
        assert!(code(text_fingerprint("重庆"), 6).starts_with(&code(text_fingerprint("重庆"), 3)));
    }

    #[test]
    fn keys_round_trip_and_reject_other_strings() {
        let k = ArticleKey { month: "2024-03".into(), bulletin: 0x1f, title: 0xab, nth: 2, lead: 7 };
        assert_eq!(ArticleKey::parse(&k.to_string()), Some(k));
        for bad in ["2024-03/2", "k2:2024-03:zz:1.1:2", "k2:2024-03:1:1:2", "k2:a:1:1.1:2:3", ""] {
            assert_eq!(ArticleKey::parse(bad), None, "{bad}");
        }
    }
}
