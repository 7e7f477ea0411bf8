//! The PDF front end: a PDF bulletin -> the parser's lines (see `parse::SourceLine`).
//!
//! `extract` (with `budget`, the only places that know the PDF library) gives positioned
//! spans per page, after `budget` has refused files that would cost too much to read;
//! `lines` makes printed lines of them; `layout` makes paragraphs with roles from their type
//! sizes; `quality` refuses text that did not decode. The parser then does for a PDF exactly
//! what it does for text: sections, headlines, captions, districts, dates.

mod budget;
mod extract;
mod layout;
mod lines;
mod quality;

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::masthead::{self, Masthead};
use super::parse::SourceLine;

pub use extract::{MAX_PAGES, Page, Picture, Span};

/// Why a PDF was not read. Each shows as the reason in "file: reason".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    Encrypted,
    Damaged(String),
    TooManyPages(usize),
    TooSlow,
    /// The content its pages would have the library interpret is over the budget.
    TooCostly(String),
    /// No text at all: the pages are pictures (a scan).
    NoText {
        pictures: bool,
    },
    /// Text came out, but most of it is not text (percent of bad characters).
    Unrecoverable(usize),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Encrypted => write!(f, "this PDF is encrypted and needs a password; save an unprotected copy"),
            PdfError::Damaged(why) => write!(f, "this PDF is damaged or not one kanbao can read ({why})"),
            PdfError::TooManyPages(n) => {
                write!(f, "this PDF has {n} pages, too many for a bulletin (the limit is {MAX_PAGES}); skipped")
            }
            PdfError::TooSlow => {
                write!(f, "reading this PDF took longer than {}s; skipped", extract::DEADLINE.as_secs())
            }
            PdfError::TooCostly(why) => write!(f, "this PDF would take too much work to read ({why}); skipped"),
            PdfError::NoText { pictures: true } => {
                write!(f, "this PDF has no text, only page images (a scan?); it would need OCR")
            }
            PdfError::NoText { pictures: false } => {
                write!(f, "this PDF has no text on its pages (is it empty, or damaged?)")
            }
            PdfError::Unrecoverable(pct) => write!(
                f,
                "text in this PDF cannot be recovered ({pct}% of it is not readable text: its fonts carry no \
                 Unicode map); it would need OCR"
            ),
        }
    }
}

/// A PDF read into the parser's lines, with what the user should know about the reading.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    pub lines: Vec<SourceLine>,
    /// 1-based page of each entry of `lines`.
    pub pages_of: Vec<usize>,
    pub masthead: Masthead,
    pub pages: usize,
    pub pages_with_text: usize,
    /// Printed lines, and how many of them were dropped as running heads and page numbers.
    pub printed_lines: usize,
    pub furniture_lines: usize,
}

/// Whether these bytes are a PDF: by content, as readers do ("%PDF-" within the first KB).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// Reads a PDF bulletin.
pub fn read(bytes: Vec<u8>) -> Result<PdfText, PdfError> {
    let mut pages = extract::extract(bytes)?;
    for page in &mut pages {
        for span in &mut page.spans {
            span.text = normalize(&span.text);
        }
    }
    quality::check(&pages)?;
    let page_lines: Vec<Vec<lines::Line>> = pages.iter().enumerate().map(|(i, p)| lines::page_lines(i, p)).collect();
    let pages_with_text = page_lines.iter().filter(|p| p.iter().any(|l| !l.is_blank())).count();
    let first: Vec<&str> = page_lines
        .first()
        .map_or(Vec::new(), |p| p.iter().filter(|l| !l.is_blank()).map(|l| l.text.as_str()).take(8).collect());
    let (skip, mut head) = masthead::detect(&first).unwrap_or_default();
    let laid = layout::lay_out(&pages, page_lines, skip);
    for f in &laid.furniture {
        if let Some(m) = masthead::from_running_head(f) {
            head.merge(m);
        }
    }
    Ok(PdfText {
        furniture_lines: laid.furniture.len(),
        lines: laid.lines,
        pages_of: laid.pages,
        masthead: head,
        pages: pages.len(),
        pages_with_text,
        printed_lines: laid.printed_lines,
    })
}

/// NFC (PDFs often carry CJK compatibility ideographs), and Kangxi radicals, which some fonts
/// map their ideographs to, folded to the ideographs they look like.
fn normalize(text: &str) -> String {
    text.nfc()
        .flat_map(|c| {
            let radical = matches!(c, '\u{2e80}'..='\u{2fdf}');
            let folded: Vec<char> = if radical { std::iter::once(c).nfkc().collect() } else { vec![c] };
            folded
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatibility_ideographs_and_radicals_fold() {
        // 豈 (U+F900, a compatibility ideograph) and ⼈ (U+2F08, a Kangxi radical).
        assert_eq!(normalize("\u{f900}\u{2f08}"), "\u{8c48}人");
    }

    #[test]
    fn detected_by_content() {
        assert!(is_pdf(b"%PDF-1.7\n..."));
        assert!(is_pdf(b"\xef\xbb\xbf  %PDF-1.4"));
        assert!(!is_pdf("渝工简报 %PD".as_bytes()));
    }
}
