//! A parsed bulletin's headlines as bytes and back (its bodies are a record of their own, see
//! `bodies`). Hand-written and small: lengths are little-endian u32. An entry is its text (every
//! string, one after another) and then its shape (numbers, flags, and each string's length in
//! the text, in the order they are read). The text is checked at once: a bulletin's 40 short
//! strings, checked one by one, took a sixth of a warm `kanbao grep`'s time.
//!
//! Decoding trusts nothing: every length is checked against what is left, the text must be
//! valid UTF-8 and already clean (as `sanitize` leaves text; cleanness is of each char, so the
//! whole is clean exactly when every string is), each string must start and end on a char
//! boundary and the strings must use the text up, every number is in range; anything else is
//! an error, and the caller parses the file again.

use std::sync::Arc;

use crate::domain::corpus::{Article, Body, Bulletin, Format, Origin};
use crate::domain::dates::YearMonth;
use crate::domain::detail::Detail;
use crate::domain::identity::Prints;
use crate::domain::sanitize::is_clean;

/// The encodings `decode` names; an entry naming another is not ours.
const ENCODINGS: &[&str] = &["UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5", "Windows-1252", "UTF-32", "PDF"];

/// A bulletin as the parser left it (before ids and keys, before date overrides), with the
/// file's warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub bulletin: Bulletin,
    pub warnings: Vec<String>,
}

pub fn encode(p: &Parsed, bytes: &mut Vec<u8>) {
    let mut w = Writer::default();
    let b = &p.bulletin;
    let out = &mut w;
    strings(out, &p.warnings);
    date(out, b.date);
    strings(out, &b.date_evidence);
    string(out, &b.title);
    string(out, b.encoding);
    out.shape.extend_from_slice(&b.fingerprint.to_le_bytes());
    len(out, b.articles.len());
    for a in b.articles.iter() {
        opt(out, &a.section);
        opt(out, &a.kicker);
        string(out, &a.title);
        out.shape.push(u8::from(a.title_derived));
        opt(out, &a.subtitle);
        strings(out, &a.districts);
        len(out, a.line);
        len(out, a.page.unwrap_or(0));
        let prints = a.prints();
        out.shape.extend_from_slice(&prints.title.to_le_bytes());
        out.shape.extend_from_slice(&prints.lead.to_le_bytes());
    }
    out.shape.push(u8::from(b.format == Format::Pdf));
    opt(out, &b.issue);
    len(out, b.day.map_or(0, |d| d as usize));
    len(out, b.pages);
    put_len(bytes, w.text.len());
    bytes.extend_from_slice(&w.text);
    bytes.extend_from_slice(&w.shape);
}

/// An entry being written: its text, and its shape (see the module note).
#[derive(Default)]
struct Writer {
    text: Vec<u8>,
    shape: Vec<u8>,
}

/// Why bytes are not a cache entry (never shown in detail: the file is parsed again).
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

/// The bulletin, without bodies (the caller says where they are). `file_size`: the size of the
/// file the entry stands for (no line can lie beyond it). With `Detail::Search`, sections,
/// districts and date evidence are checked as ever but not kept.
pub fn decode(bytes: &[u8], source: &str, origin: Origin, file_size: u64, detail: Detail) -> Result<Parsed, Invalid> {
    let keep = detail.full();
    decode_around(bytes, source, origin, keep, |r, n| articles(r, n, file_size, keep).map(Arc::new))
}

/// `decode` in full detail, with `shared` as its articles: those a load made of these very
/// bytes (see `Known`). Theirs are stepped over, not read again; if they are not as many, the
/// bytes are not those (`Invalid`).
pub fn decode_sharing(
    bytes: &[u8],
    source: &str,
    origin: Origin,
    shared: &Arc<Vec<Article>>,
) -> Result<Parsed, Invalid> {
    decode_around(bytes, source, origin, true, |r, n| {
        if n != shared.len() {
            return Err(Invalid("not the articles shared"));
        }
        (0..n).try_for_each(|_| r.skip_article())?;
        Ok(Arc::clone(shared))
    })
}

/// Whether two articles have the same headlines: all that an entry keeps of an article (what
/// `encode` writes), ids and keys aside (the corpus gives those).
pub fn same_headlines(a: &Article, b: &Article) -> bool {
    a.section == b.section
        && a.kicker == b.kicker
        && a.title == b.title
        && a.title_derived == b.title_derived
        && a.subtitle == b.subtitle
        && a.districts == b.districts
        && a.line == b.line
        && a.page == b.page
        && a.prints() == b.prints()
}

/// The bulletin around its articles, which `articles` reads (given their count).
fn decode_around(
    bytes: &[u8],
    source: &str,
    origin: Origin,
    keep: bool,
    articles: impl FnOnce(&mut Reader, usize) -> Result<Arc<Vec<Article>>, Invalid>,
) -> Result<Parsed, Invalid> {
    let mut r = Reader::new(bytes)?;
    let warnings = r.strings()?;
    let date = r.date()?;
    let date_evidence = r.strings_kept(keep)?;
    let title = r.string()?;
    let encoding = r.string()?;
    let encoding = *ENCODINGS.iter().find(|e| **e == encoding).ok_or(Invalid("unknown encoding"))?;
    let fingerprint = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
    let n = r.count(8)?;
    let articles = articles(&mut r, n)?;
    let format = match r.take(1)?[0] {
        0 => Format::Text,
        1 => Format::Pdf,
        _ => return Err(Invalid("bad format")),
    };
    let issue = r.opt()?;
    let day = Some(r.len()?).filter(|&d| d > 0);
    if day.is_some_and(|d| d > 31) {
        return Err(Invalid("bad day"));
    }
    let pages = r.len()?;
    let pdf_pages = if format == Format::Pdf { 1..=100_000 } else { 0..=0 };
    if !pdf_pages.contains(&pages) || articles.iter().any(|a: &Article| a.page.is_some_and(|p| p > pages)) {
        return Err(Invalid("bad page count"));
    }
    if !r.bytes.is_empty() {
        return Err(Invalid("bytes after the entry"));
    }
    if !r.text.is_empty() {
        return Err(Invalid("text left over"));
    }
    if articles.is_empty() {
        return Err(Invalid("no articles"));
    }
    let bulletin = Bulletin {
        id: String::new(),
        source: source.to_string(),
        origin,
        date,
        date_evidence,
        title,
        encoding,
        fingerprint,
        articles,
        format,
        issue,
        day: day.map(|d| d as u32),
        pages,
        body: Body::Here,
    };
    Ok(Parsed { bulletin, warnings })
}

/// `n` articles' headlines (see `decode`).
fn articles(r: &mut Reader, n: usize, file_size: u64, keep: bool) -> Result<Vec<Article>, Invalid> {
    let mut articles = Vec::with_capacity(n);
    for _ in 0..n {
        let mut a = Article {
            section: r.opt_kept(keep)?,
            kicker: r.opt()?,
            title: r.string()?,
            title_derived: r.flag()?,
            subtitle: r.opt()?,
            ..Default::default()
        };
        a.districts = r.strings_kept(keep)?;
        a.line = r.len()?;
        if a.line as u64 > file_size.saturating_add(1) {
            return Err(Invalid("line past the end of the file"));
        }
        a.page = Some(r.len()?).filter(|&p| p > 0);
        a.prints = Some(Prints { title: r.word()?, lead: r.word()? });
        articles.push(a);
    }
    Ok(articles)
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn len(out: &mut Writer, n: usize) {
    put_len(&mut out.shape, n);
}

/// A string: its bytes in the text, its length in the shape.
fn string(out: &mut Writer, s: &str) {
    len(out, s.len());
    out.text.extend_from_slice(s.as_bytes());
}

fn strings(out: &mut Writer, v: &[String]) {
    len(out, v.len());
    for s in v {
        string(out, s);
    }
}

fn opt(out: &mut Writer, s: &Option<String>) {
    match s {
        None => out.shape.push(0),
        Some(s) => {
            out.shape.push(1);
            string(out, s);
        }
    }
}

fn date(out: &mut Writer, d: Option<YearMonth>) {
    match d {
        None => out.shape.push(0),
        Some(d) => {
            out.shape.push(1);
            out.shape.extend_from_slice(&d.year.to_le_bytes());
            out.shape.push(d.month as u8);
        }
    }
}

struct Reader<'a> {
    /// The shape still to read.
    bytes: &'a [u8],
    /// The text still to take strings from: checked UTF-8 and clean as a whole.
    text: &'a str,
}

impl<'a> Reader<'a> {
    /// A reader of `entry`, once its text is checked.
    fn new(entry: &'a [u8]) -> Result<Reader<'a>, Invalid> {
        let mut r = Reader { bytes: entry, text: "" };
        let n = r.len()?;
        let text = crate::domain::utf8::text(r.take(n)?).ok_or(Invalid("not UTF-8"))?;
        // Text reaches the terminal: it must be as clean as the parser leaves it.
        if !is_clean(text) {
            return Err(Invalid("unclean text"));
        }
        r.text = text;
        Ok(r)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Invalid> {
        if n > self.bytes.len() {
            return Err(Invalid("cut short"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn len(&mut self) -> Result<usize, Invalid> {
        Ok(self.word()? as usize)
    }

    fn word(&mut self) -> Result<u32, Invalid> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    fn flag(&mut self) -> Result<bool, Invalid> {
        match self.take(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Invalid("bad flag")),
        }
    }

    /// Steps over an article's headlines (as `articles` reads them), reading only lengths.
    fn skip_article(&mut self) -> Result<(), Invalid> {
        for _ in 0..2 {
            self.skip_opt()?;
        }
        self.skip_string()?;
        self.flag()?;
        self.skip_opt()?;
        for _ in 0..self.count(4)? {
            self.skip_string()?;
        }
        self.take(4 + 4 + 8).map(drop)
    }

    fn skip_string(&mut self) -> Result<(), Invalid> {
        self.text().map(drop)
    }

    fn skip_opt(&mut self) -> Result<(), Invalid> {
        if self.flag()? { self.skip_string() } else { Ok(()) }
    }

    /// A count of items each at least `min` bytes long: never more than what is left could hold,
    /// so a hostile count cannot make us allocate.
    fn count(&mut self, min: usize) -> Result<usize, Invalid> {
        let n = self.len()?;
        if n.saturating_mul(min) > self.bytes.len() {
            return Err(Invalid("count larger than the entry"));
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, Invalid> {
        self.text().map(str::to_string)
    }

    /// The next string, not copied: the text was checked as a whole.
    fn text(&mut self) -> Result<&'a str, Invalid> {
        let n = self.len()?;
        // `get` is `None` past the end, or where `n` is not a char boundary.
        let s = self.text.get(..n).ok_or(Invalid("string out of the text"))?;
        self.text = &self.text[n..];
        Ok(s)
    }

    fn strings(&mut self) -> Result<Vec<String>, Invalid> {
        self.strings_kept(true)
    }

    /// A list of strings, each checked; kept only if `keep` (else an empty list).
    fn strings_kept(&mut self, keep: bool) -> Result<Vec<String>, Invalid> {
        let n = self.count(4)?;
        let mut out = Vec::with_capacity(if keep { n } else { 0 });
        for _ in 0..n {
            let s = self.text()?;
            if keep {
                out.push(s.to_string());
            }
        }
        Ok(out)
    }

    fn opt(&mut self) -> Result<Option<String>, Invalid> {
        self.opt_kept(true)
    }

    /// An optional string, checked; kept only if `keep` (else `None`).
    fn opt_kept(&mut self, keep: bool) -> Result<Option<String>, Invalid> {
        match self.take(1)?[0] {
            0 => Ok(None),
            1 => {
                let s = self.text()?;
                Ok(keep.then(|| s.to_string()))
            }
            _ => Err(Invalid("bad flag")),
        }
    }

    fn date(&mut self) -> Result<Option<YearMonth>, Invalid> {
        match self.take(1)?[0] {
            0 => Ok(None),
            1 => {
                let year = i32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes"));
                let month = u32::from(self.take(1)?[0]);
                if !(1..=12).contains(&month) || !(1000..=9999).contains(&year) {
                    return Err(Invalid("bad date"));
                }
                Ok(Some(YearMonth { year, month }))
            }
            _ => Err(Invalid("bad flag")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bulletin as decoding gives it back: headlines, and no bodies.
    fn sample() -> Parsed {
        let mut a =
            Article { title: "标题".into(), prints: Some(Prints { title: 7, lead: 9 }), ..Default::default() };
        a.districts = vec!["璧山区".into()];
        a.section = Some("渝工建功".into());
        a.line = 7;
        a.page = Some(2);
        Parsed {
            bulletin: Bulletin {
                id: String::new(),
                source: "a.txt".into(),
                origin: Origin::User,
                date: Some(YearMonth { year: 2024, month: 3 }),
                date_evidence: vec!["latest event".into()],
                title: "标题".into(),
                encoding: "GB18030",
                fingerprint: 42,
                articles: vec![a].into(),
                format: Format::Pdf,
                issue: Some("第9期（总第156期）".into()),
                day: Some(25),
                pages: 6,
                body: Body::Here,
            },
            warnings: vec!["w".into()],
        }
    }

    #[test]
    fn round_trip() {
        let mut bytes = Vec::new();
        encode(&sample(), &mut bytes);
        assert_eq!(decode(&bytes, "a.txt", Origin::User, 100, Detail::Full), Ok(sample()));
        // Prints are made from the text when the parser left none.
        let mut p = sample();
        Arc::make_mut(&mut p.bulletin.articles)[0].prints = None;
        Arc::make_mut(&mut p.bulletin.articles)[0].paragraphs = vec!["一。".into()];
        bytes.clear();
        encode(&p, &mut bytes);
        let back = decode(&bytes, "a.txt", Origin::User, 100, Detail::Full).unwrap();
        assert_eq!(back.bulletin.articles[0].prints, Some(Prints::of("标题", "一。")));
        assert!(back.bulletin.articles[0].paragraphs.is_empty());
    }

    /// Shared articles stand in for the entry's own: the same bulletin as decoding gives, the
    /// very articles given, and nothing decodes that decoding would refuse for its shape.
    #[test]
    fn decoding_with_shared_articles_steps_over_them() {
        let mut bytes = Vec::new();
        encode(&sample(), &mut bytes);
        let made = decode(&bytes, "a.txt", Origin::User, 100, Detail::Full).unwrap();
        let shared = Arc::clone(&made.bulletin.articles);
        let again = decode_sharing(&bytes, "a.txt", Origin::User, &shared).unwrap();
        assert_eq!(again, made);
        assert!(Arc::ptr_eq(&again.bulletin.articles, &shared));
        let two = Arc::new(vec![shared[0].clone(), shared[0].clone()]);
        assert_eq!(decode_sharing(&bytes, "a.txt", Origin::User, &two), Err(Invalid("not the articles shared")));
        for n in 0..bytes.len() {
            assert!(decode_sharing(&bytes[..n], "a.txt", Origin::User, &shared).is_err(), "cut at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_sharing(&longer, "a.txt", Origin::User, &shared).is_err());
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_an_error_or_harmless() {
        let mut bytes = Vec::new();
        encode(&sample(), &mut bytes);
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n], "a.txt", Origin::User, 100, Detail::Full).is_err(), "cut at {n}");
        }
        for i in 0..bytes.len() {
            for v in [0u8, 0x1b, 0xff, 0x80] {
                let mut b = bytes.clone();
                b[i] = v;
                // No panic, and whatever decodes holds no control character.
                if let Ok(p) = decode(&b, "a.txt", Origin::User, 100, Detail::Full) {
                    let a = &p.bulletin.articles[0];
                    assert!(!a.title.contains('\u{1b}') && !a.districts.iter().any(|d| d.contains('\u{1b}')));
                }
            }
        }
    }

    /// `Detail::Search` keeps all but sections, districts and date evidence, and refuses
    /// exactly what `Full` refuses: whatever it leaves out is still checked.
    #[test]
    fn search_detail_leaves_out_parts_but_checks_them_all() {
        let mut bytes = Vec::new();
        encode(&sample(), &mut bytes);
        let mut lean = sample();
        lean.bulletin.date_evidence.clear();
        Arc::make_mut(&mut lean.bulletin.articles)[0].districts.clear();
        Arc::make_mut(&mut lean.bulletin.articles)[0].section = None;
        assert_eq!(decode(&bytes, "a.txt", Origin::User, 100, Detail::Search), Ok(lean));
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n], "a.txt", Origin::User, 100, Detail::Search).is_err(), "cut at {n}");
        }
        for i in 0..bytes.len() {
            for v in [0u8, 0x1b, 0xff, 0x80, b'x'] {
                let mut b = bytes.clone();
                b[i] = v;
                let full = decode(&b, "a.txt", Origin::User, 100, Detail::Full);
                let search = decode(&b, "a.txt", Origin::User, 100, Detail::Search);
                assert_eq!(full.is_ok(), search.is_ok(), "byte {i} set to {v:#x}: {full:?} / {search:?}");
            }
        }
        // An escape in a part that is left out is refused all the same.
        for place in ["evidence", "district", "section"] {
            let mut p = sample();
            match place {
                "evidence" => p.bulletin.date_evidence[0] = "\u{1b}[2J".into(),
                "district" => Arc::make_mut(&mut p.bulletin.articles)[0].districts[0] = "\u{9b}1m".into(),
                _ => Arc::make_mut(&mut p.bulletin.articles)[0].section = Some("\u{7}".into()),
            }
            bytes.clear();
            encode(&p, &mut bytes);
            assert_eq!(
                decode(&bytes, "a.txt", Origin::User, 100, Detail::Search),
                Err(Invalid("unclean text")),
                "{place}"
            );
        }
    }

    /// The strings are cut from the entry's text: each on char boundaries, the text used up.
    #[test]
    fn strings_are_cut_from_the_text_on_char_boundaries() {
        let mut p = sample();
        p.warnings = vec!["标".into()];
        let mut bytes = Vec::new();
        encode(&p, &mut bytes);
        let text = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        assert!(std::str::from_utf8(&bytes[4..4 + text]).unwrap().starts_with("标latest event标题"));
        // The warning's length, after the text and the count of warnings.
        let at = 4 + text + 4;
        assert_eq!(bytes[at..at + 4], 3u32.to_le_bytes());
        for len in [1u32, 2, 4] {
            let mut b = bytes.clone();
            b[at..at + 4].copy_from_slice(&len.to_le_bytes());
            let got = decode(&b, "a.txt", Origin::User, 100, Detail::Full);
            assert_eq!(got, Err(Invalid("string out of the text")), "{len}");
        }
        // One char more in the text than the strings take.
        let mut longer = bytes.clone();
        longer[..4].copy_from_slice(&(text as u32 + 1).to_le_bytes());
        longer.insert(4 + text, b'x');
        assert_eq!(decode(&longer, "a.txt", Origin::User, 100, Detail::Full), Err(Invalid("text left over")));
        assert_eq!(decode(&bytes, "a.txt", Origin::User, 100, Detail::Full), Ok(p));
    }

    #[test]
    fn escapes_and_huge_counts_are_refused() {
        let mut p = sample();
        Arc::make_mut(&mut p.bulletin.articles)[0].title = "\u{1b}[2J".into();
        let mut bytes = Vec::new();
        encode(&p, &mut bytes);
        assert_eq!(decode(&bytes, "a.txt", Origin::User, 100, Detail::Full), Err(Invalid("unclean text")));
        let huge = [0xff, 0xff, 0xff, 0xff];
        assert!(decode(&huge, "a.txt", Origin::User, 100, Detail::Full).is_err());
    }
}
