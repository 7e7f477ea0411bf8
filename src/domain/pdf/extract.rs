//! The library boundary: a PDF's bytes -> positioned text spans and picture boxes, per page.
//!
//! pdf_oxide does the file format, fonts, CMaps and encodings. It is a large library reading
//! untrusted files, so it runs on its own thread with a big stack, a deadline and a panic
//! guard, after cheap checks that refuse what no bulletin looks like (too large, too many
//! pages). Spans are taken in content-stream order (`TextSpan::sequence`): measured on the
//! test PDFs, that order was exact where geometric reading order was not.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pdf_oxide::document::PdfDocument;
use pdf_oxide::extractors::SpanMergingConfig;

use super::{PdfError, budget};

/// A bulletin is a handful of pages; a few hundred is already an archive, not an issue.
pub const MAX_PAGES: usize = 200;
/// Wall-clock budget for one file: a bulletin reads in well under a second.
pub const DEADLINE: Duration = Duration::from_secs(10);
/// Decoded stream size pdf_oxide may produce per stream (its default is 256 MB). A full,
/// unsubsetted CJK font (what some office suites embed) is 10-20 MB.
pub(super) const MAX_DECOMPRESS_MB: usize = 32;
/// The worker's stack: deep (hostile) object nesting must hit the library's depth limits,
/// not the end of the stack (a stack overflow aborts the process; no guard can catch it).
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// One run of text in one font, as placed on the page (PDF points, y upwards).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub x: f32,
    /// Bottom of the span's box.
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub size: f32,
    pub bold: bool,
}

/// A picture's box on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Picture {
    pub y: f32,
    pub height: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// In content-stream order.
    pub spans: Vec<Span>,
    pub pictures: Vec<Picture>,
}

/// Extracts every page, guarded: the library's panics, hangs and runaway work become errors.
pub fn extract(bytes: Vec<u8>) -> Result<Vec<Page>, PdfError> {
    limit_decompression();
    if nesting(&bytes) > MAX_NESTING {
        return Err(PdfError::Damaged(format!("objects nested more than {MAX_NESTING} deep")));
    }
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("pdf".into()).stack_size(WORKER_STACK).spawn(move || {
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| extract_unguarded(bytes, started)))
            .unwrap_or_else(|_| Err(PdfError::Damaged("the PDF library failed on it".into())));
        // The receiver may have given up (deadline): nothing left to tell.
        let _ = tx.send(result);
    });
    if spawned.is_err() {
        return Err(PdfError::Damaged("no thread to read it on".into()));
    }
    // On a timeout the worker is left to finish on its own; its result is dropped.
    rx.recv_timeout(DEADLINE).unwrap_or(Err(PdfError::TooSlow))
}

/// Real PDFs nest arrays and dictionaries a few levels deep; a parser recursing through a
/// hostile file nested 100,000 deep would run out of stack (an abort, not a panic).
const MAX_NESTING: usize = 256;

/// The deepest `[`/`<<` nesting outside streams and strings: one pass over the bytes.
fn nesting(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'[' => depth += 1,
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'%' => i += bytes[i..].iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(bytes.len() - i),
            b's' if bytes[i..].starts_with(b"stream") && !bytes[..i].ends_with(b"end") => {
                let rest = &bytes[i..];
                i += rest.windows(9).position(|w| w == b"endstream").map_or(rest.len(), |p| p + 9);
                continue;
            }
            _ => {}
        }
        max = max.max(depth);
        i += 1;
    }
    max
}

/// pdf_oxide reads its per-stream decompression limit from the environment; set ours once,
/// unless the user set one.
fn limit_decompression() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("PDF_OXIDE_MAX_DECOMPRESS_MB").is_none() {
            // SAFETY: called once, before the first PDF worker starts; kanbao's other threads
            // (loader, input, signals) do not read or write the environment.
            unsafe { std::env::set_var("PDF_OXIDE_MAX_DECOMPRESS_MB", MAX_DECOMPRESS_MB.to_string()) };
        }
    });
}

fn extract_unguarded(bytes: Vec<u8>, started: Instant) -> Result<Vec<Page>, PdfError> {
    let doc = PdfDocument::from_bytes(bytes).map_err(open_error)?;
    if doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false) {
        return Err(PdfError::Encrypted);
    }
    let count = doc.page_count().map_err(|e| PdfError::Damaged(short(&e.to_string())))?;
    if count == 0 {
        return Err(PdfError::Damaged("it has no pages".into()));
    }
    if count > MAX_PAGES {
        return Err(PdfError::TooManyPages(count));
    }
    budget::check(&doc, count)?;
    let mut pages = Vec::with_capacity(count);
    for index in 0..count {
        if started.elapsed() > DEADLINE {
            return Err(PdfError::TooSlow);
        }
        pages.push(page(&doc, index)?);
    }
    Ok(pages)
}

fn page(doc: &PdfDocument, index: usize) -> Result<Page, PdfError> {
    let (x0, y0, x1, y1) = doc.get_page_media_box(index).unwrap_or((0.0, 0.0, 595.0, 842.0));
    // The spans as the content stream draws them. `extract_spans` would add reading-order
    // sorting, running-head marking and annotation text, none of which kanbao uses (it
    // orders by content sequence and finds running heads itself), at 2-3 times the cost.
    let mut raw = match doc.extract_spans_with_config(index, SpanMergingConfig::default()) {
        Ok(s) => s,
        Err(pdf_oxide::error::Error::EncryptedPdf) => return Err(PdfError::Encrypted),
        Err(e) => return Err(PdfError::Damaged(format!("page {}: {}", index + 1, short(&e.to_string())))),
    };
    raw.sort_by_key(|s| s.sequence);
    // Text placed off the page is not printed: hidden notes, producers' leftovers.
    let (left, right, bottom, top) = (x0.min(x1) - 2.0, x0.max(x1) + 2.0, y0.min(y1) - 2.0, y0.max(y1) + 2.0);
    let on_page = |s: &pdf_oxide::layout::TextSpan| {
        s.bbox.x + s.bbox.width > left && s.bbox.x < right && s.bbox.y + s.bbox.height > bottom && s.bbox.y < top
    };
    let spans = raw
        .into_iter()
        .filter(|s| s.font_size.is_finite() && s.bbox.x.is_finite() && s.bbox.y.is_finite() && on_page(s))
        .map(|s| Span {
            x: s.bbox.x - x0,
            y: s.bbox.y - y0,
            width: s.bbox.width,
            height: s.bbox.height,
            size: s.font_size.abs(),
            bold: s.font_weight.is_bold(),
            text: s.text,
        })
        .collect();
    // Pictures only place captions; a page whose images cannot be listed still has its text.
    let pictures = doc
        .page_image_handles(index)
        .map(|hs| hs.iter().map(|h| Picture { y: h.bbox.y - y0, height: h.bbox.height }).collect())
        .unwrap_or_default();
    Ok(Page { width: (x1 - x0).abs(), height: (y1 - y0).abs(), spans, pictures })
}

fn open_error(e: pdf_oxide::error::Error) -> PdfError {
    match e {
        pdf_oxide::error::Error::EncryptedPdf => PdfError::Encrypted,
        e => PdfError::Damaged(short(&e.to_string())),
    }
}

/// The library's messages can be long and carry file bytes: one short printable line.
fn short(message: &str) -> String {
    let line = crate::domain::sanitize::sanitize_line(message);
    let mut out: String = line.chars().take(100).collect();
    if line.chars().count() > 100 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::nesting;

    #[test]
    fn nesting_depth_skips_streams_and_comments() {
        assert_eq!(nesting(b"<< /A [1 [2]] >>"), 3);
        assert_eq!(nesting(b"% [[[[\n<< /Length 4 >>\nstream\n[[[[\nendstream"), 1);
        assert_eq!(nesting(&[b'['; 1000]), 1000);
    }
}
