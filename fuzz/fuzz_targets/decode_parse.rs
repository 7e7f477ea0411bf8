//! Bytes of a file -> decode -> sanitize -> parse -> the corpus -> `kanbao show` rows: the whole
//! way a file someone else wrote takes to the screen.
//!
//! Checked: nothing panics; line ends are normalized; a U+FFFD comes with a warning (unless the
//! file holds one itself); sanitized text has no control, bidi or invisible format character and
//! sanitizing is idempotent; the parser loses and duplicates no text (every character but
//! whitespace and heading marks lands in exactly one field); the laid-out rows of every article
//! carry nothing unsafe and fit their width (but for a single grapheme wider than it).

#![no_main]

use std::collections::BTreeMap;

use kanbao::domain::corpus::{Corpus, Origin};
use kanbao::domain::decode::decode;
use kanbao::domain::load::{LoadOptions, Source, parse_source};
use kanbao::domain::page;
use kanbao::domain::parse::{ParsedBulletin, SectionVocab, parse};
use kanbao::domain::sanitize::{sanitize, sanitize_line};
use kanbao::domain::width::{Ambiguous, str_width};
use libfuzzer_sys::fuzz_target;
use unicode_segmentation::UnicodeSegmentation;

/// Must never reach a terminal (written apart from the sanitizer): C0 but newline and tab, DEL,
/// C1, bidi controls, invisible format characters, line/paragraph separators. U+200D (ZWJ) is
/// kept by design; U+2065 is unassigned, not a format character.
fn forbidden(c: char) -> bool {
    let u = u32::from(c);
    (u < 0x20 && c != '\n' && c != '\t')
        || (0x7F..=0x9F).contains(&u)
        || matches!(
            u,
            0xAD | 0x61C
                | 0x180E
                | 0x200B
                | 0x200C
                | 0x200E
                | 0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x2064
                | 0x2066..=0x2069
                | 0xFEFF
                | 0xFFF9..=0xFFFB
                | 0xE0000..=0xE007F
        )
}

/// U+FFFD as the file may spell it itself: UTF-8, UTF-16 either way, GB18030.
fn holds_replacement_char(bytes: &[u8]) -> bool {
    let spellings: [&[u8]; 4] = [b"\xEF\xBF\xBD", b"\xFD\xFF", b"\xFF\xFD", b"\x84\x31\xA4\x37"];
    spellings.iter().any(|s| bytes.windows(s.len()).any(|w| w == *s))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

fn census<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for t in texts {
        for c in t.chars().filter(|&c| !is_space(c) && c != '#' && c != '＃') {
            *m.entry(c).or_insert(0) += 1;
        }
    }
    m
}

fn fields(b: &ParsedBulletin) -> Vec<&str> {
    let mut out: Vec<&str> = b.labels.iter().chain(&b.furniture).map(String::as_str).collect();
    for a in &b.articles {
        out.extend(a.kicker.as_deref());
        if !a.title_derived {
            out.push(&a.title);
        }
        out.extend(a.subtitle.as_deref());
        out.extend(a.captions.iter().map(String::as_str));
        out.extend(a.paragraphs.iter().map(String::as_str));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode(data) else { return };
    assert!(!decoded.text.contains('\r'), "line ends not normalized");
    if decoded.text.contains('\u{FFFD}') && decoded.warnings.is_empty() {
        assert!(holds_replacement_char(data), "U+FFFD without a warning, read as {}", decoded.encoding);
    }

    let text = sanitize(&decoded.text);
    if let Some(c) = text.chars().find(|&c| forbidden(c)) {
        panic!("U+{:04X} survives sanitize", u32::from(c));
    }
    assert_eq!(sanitize(&text), text, "sanitize is not idempotent");
    for w in &decoded.warnings {
        assert!(!sanitize_line(w).chars().any(forbidden));
    }

    let vocab = SectionVocab::bundled();
    let parsed = parse(&text, &vocab);
    assert_eq!(census([text.as_str()]), census(fields(&parsed)), "text lost or duplicated");

    // The rest of the way: the loader's parse (districts, dates), ids, and the rows of `show`.
    let src = Source {
        name: "fuzz.txt".into(),
        display: "fuzz.txt".into(),
        origin: Origin::User,
        bytes: data.to_vec(),
        identity: None,
    };
    let Ok((bulletin, _)) = parse_source(&src, &LoadOptions::default(), &vocab) else { return };
    let corpus = Corpus::new(vec![bulletin]);
    let b = &corpus.bulletins[0];
    let width = 1 + usize::from(data.first().copied().unwrap_or(0) % 100);
    let mode = if data.len().is_multiple_of(2) { Ambiguous::Narrow } else { Ambiguous::Wide };
    for a in &b.articles {
        assert!(corpus.article(&a.id).is_some(), "id {:?} does not find its article", a.id);
        for row in page::rows(b, a, width, mode, true) {
            if let Some(c) = row.text.chars().find(|&c| forbidden(c) || c == '\n') {
                panic!("U+{:04X} in a row of `show`", u32::from(c));
            }
            let w = str_width(&row.text, mode);
            assert!(
                w <= width || row.text.graphemes(true).count() == 1,
                "row {:?} is {w} cells at width {width}",
                row.text
            );
        }
    }
});
