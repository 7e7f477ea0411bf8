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
//!   text, same month, same headlines) still finds the article: see `store::follow`.

pub mod legacy;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::dates::YearMonth;

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
    code_chars(fingerprint, len).collect()
}

fn code_chars(fingerprint: u64, len: usize) -> impl Iterator<Item = char> {
    (0..len).map(move |i| ALPHABET[((fingerprint >> (59 - 5 * i)) & 31) as usize] as char)
}

/// The month part of an id and key: `2024-03`, or `undated`.
pub fn month_label(date: Option<YearMonth>) -> String {
    let mut out = String::with_capacity(7);
    push_month(&mut out, date);
    out
}

/// `month_label` onto `out`, by hand (`format!` made three strings for each bulletin's id at
/// every start); a year outside 0-9999 goes through `Display`, as it always did.
fn push_month(out: &mut String, date: Option<YearMonth>) {
    match date {
        Some(d) if (0..=9999).contains(&d.year) && d.month <= 99 => {
            push_padded(out, d.year.unsigned_abs() as usize, 4);
            out.push('-');
            push_padded(out, d.month as usize, 2);
        }
        Some(d) => out.push_str(&d.to_string()),
        None => out.push_str("undated"),
    }
}

/// A bulletin's id: its month and `len` letters of its fingerprint (3, or 6 when two
/// bulletins of the month share the first three; see the module note).
pub fn bulletin_id(date: Option<YearMonth>, fingerprint: u64, len: usize) -> String {
    let mut id = String::with_capacity(9 + len);
    push_bulletin_id(&mut id, date, fingerprint, len);
    id
}

/// `bulletin_id` onto `out`: the corpus checks 10,000 ids in one buffer, where most stand.
pub fn push_bulletin_id(out: &mut String, date: Option<YearMonth>, fingerprint: u64, len: usize) {
    push_month(out, date);
    out.push('-');
    out.extend(code_chars(fingerprint, len));
}

/// `n` in decimal, with leading zeros to `digits` digits (`{n:0digits$}`).
fn push_padded(out: &mut String, n: usize, digits: usize) {
    let at = out.len();
    push_decimal(out, n);
    while out.len() - at < digits {
        out.insert(at, '0');
    }
}

/// The fingerprint of an article's first paragraph, from its beginning.
fn lead(first_paragraph: &str) -> u32 {
    // NFKC never makes more than a few characters of one, so this prefix is enough.
    let head: String = first_paragraph.chars().take(LEAD_CHARS * 4).collect();
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

/// `v` as `digits` lower-case hex digits, zero-padded (`{v:0digits$x}`).
fn push_hex(out: &mut String, v: u64, digits: u32) {
    for i in (0..digits).rev() {
        out.push(char::from(b"0123456789abcdef"[((v >> (4 * i)) & 15) as usize]));
    }
}

impl std::fmt::Display for ArticleKey {
    /// `k2:2024-03:1f3a5c7e9b2d4f60:8a7b6c5d.1:0e1f2a3b`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&key_string(&self.month, self.bulletin, Prints { title: self.title, lead: self.lead }, self.nth))
    }
}

/// An `ArticleKey` as a string, made by hand: an archive makes one per article on every start,
/// and `format!`'s machinery was a tenth of `kanbao list`'s time at 10,000 bulletins.
pub fn key_string(month: &str, bulletin: u64, prints: Prints, nth: usize) -> String {
    let mut out = String::with_capacity(KEY_PREFIX.len() + month.len() + 40);
    out.push_str(KEY_PREFIX);
    out.push(':');
    out.push_str(month);
    out.push(':');
    push_hex(&mut out, bulletin, 16);
    out.push(':');
    push_hex(&mut out, u64::from(prints.title), 8);
    out.push('.');
    push_decimal(&mut out, nth);
    out.push(':');
    push_hex(&mut out, u64::from(prints.lead), 8);
    out
}

/// `n` in decimal, without `format!`.
pub fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// What an article's key takes from its own text: fingerprints of its headline's words and of
/// its first paragraph's lead. Made once, at parse time, and kept in the parse cache, so that a
/// bulletin whose body stays in the cache gets its keys without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prints {
    pub title: u32,
    pub lead: u32,
}

impl Prints {
    pub fn of(title: &str, first_paragraph: &str) -> Prints {
        Prints { title: word_fingerprint(title), lead: lead(first_paragraph) }
    }
}

impl ArticleKey {
    /// The key of the `nth` article headed `title` in the bulletin of `month` and `fingerprint`.
    pub fn new(month: &str, fingerprint: u64, title: &str, nth: usize, first_paragraph: &str) -> ArticleKey {
        ArticleKey::from_prints(month, fingerprint, Prints::of(title, first_paragraph), nth)
    }

    /// `new`, from the article's `Prints`.
    pub fn from_prints(month: &str, fingerprint: u64, prints: Prints, nth: usize) -> ArticleKey {
        ArticleKey { month: month.to_string(), bulletin: fingerprint, title: prints.title, nth, lead: prints.lead }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A bulletin id made by hand is the one `format!` makes, at the edges of years and months.
    #[test]
    fn bulletin_ids_are_month_and_letters() {
        for year in [-1, 0, 7, 99, 999, 2024, 9999, 10000] {
            for month in [1, 9, 12, 100] {
                for len in [3, 6] {
                    let date = Some(YearMonth { year, month });
                    let fingerprint = 0x9c84_0ff6_8548_01b0;
                    let want = format!("{}-{}", month_label(date), code(fingerprint, len));
                    assert_eq!(bulletin_id(date, fingerprint, len), want);
                }
            }
        }
        assert_eq!(bulletin_id(None, 0, 3), format!("undated-{}", code(0, 3)));
    }

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
        assert_eq!(k.to_string(), "k2:2024-03:000000000000001f:000000ab.2:00000007");
        assert_eq!(ArticleKey::parse(&k.to_string()), Some(k));
        let k = ArticleKey { month: "undated".into(), bulletin: u64::MAX, title: u32::MAX, nth: 120, lead: 0 };
        assert_eq!(k.to_string(), format!("k2:undated:{:016x}:{:08x}.120:{:08x}", u64::MAX, u32::MAX, 0));
        for bad in ["2024-03/2", "k2:2024-03:zz:1.1:2", "k2:2024-03:1:1:2", "k2:a:1:1.1:2:3", ""] {
            assert_eq!(ArticleKey::parse(bad), None, "{bad}");
        }
    }
}
