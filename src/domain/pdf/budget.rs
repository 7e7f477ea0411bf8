//! What reading a PDF may cost, checked before the library does the work.
//!
//! The library caps each decoded stream (32 MB, see `extract`) but not how often one is used:
//! a small file can name one inflating stream as the content of 200 pages, 100 times in one
//! page's content array, or as a form drawn at 500 places, and the library then decodes,
//! caches and interprets it every time (measured: 2-3 GB and over 10 s for files of 30-60 KB).
//! So the content a file would have interpreted is added up first, each stream decoded once
//! and counted as often as it is used, and a file over the budget is refused before any text
//! is read. Real bulletin pages hold 2-20 KB of content each (the test PDFs; see the README).

use std::collections::{HashMap, HashSet};

use pdf_oxide::document::PdfDocument;
use pdf_oxide::object::{Object, ObjectRef};

use super::PdfError;

/// Content one page may have interpreted: a page of dense text is 2-20 KB, a detailed
/// vector map a few hundred KB.
pub const PAGE_BUDGET: usize = 4 << 20;
/// Content a whole file may have interpreted (the library reads about 25 MB a second of
/// the worst kind, tiny text operators, in a release build: this stays under a second).
pub const FILE_BUDGET: usize = 16 << 20;
/// Graphics states saved (`q`) without being restored: the library keeps a copy of each.
/// Real producers nest a handful; the PDF reference's implementation limit is 28.
pub const MAX_SAVED_STATES: usize = 1000;
/// Forms drawn inside forms: the library stops at 10 levels too.
const MAX_FORM_DEPTH: usize = 10;
/// Distinct form names one stream draws: a page uses a few dozen.
const MAX_NAMES: usize = 4096;

/// A content stream as far as its cost goes.
#[derive(Debug, Default)]
struct Scanned {
    /// Decoded bytes (or what decoding it costs when it fails).
    size: usize,
    /// Deepest `q` nesting, and `q` minus `Q` at its end.
    max_saved: usize,
    net_saved: isize,
    /// XObject names drawn with `Do`, and how often.
    draws: HashMap<Vec<u8>, usize>,
}

/// Refuses a document whose pages would make the library interpret more than the budget.
pub fn check(doc: &PdfDocument, pages: usize) -> Result<(), PdfError> {
    let mut walk = Walk { doc, scanned: HashMap::new(), form_cost: HashMap::new(), open: HashSet::new() };
    let mut total = 0usize;
    for index in 0..pages {
        let Ok(page) = doc.get_page(index) else { continue };
        let Some(dict) = page.as_dict() else { continue };
        let resources = dict.get("Resources").and_then(|r| walk.resolve(r));
        walk.form_cost.clear();
        let (cost, saved) = walk.page_cost(dict.get("Contents"), resources.as_ref())?;
        let page_no = index + 1;
        if saved > MAX_SAVED_STATES {
            return Err(too_costly(format!("page {page_no} nests graphics states more than {MAX_SAVED_STATES} deep")));
        }
        if cost > PAGE_BUDGET {
            return Err(too_costly(format!(
                "page {page_no} draws {} of content, over the {} a page may have",
                mb(cost),
                mb(PAGE_BUDGET)
            )));
        }
        total = total.saturating_add(cost);
        if total > FILE_BUDGET {
            return Err(too_costly(format!(
                "its pages draw more than the {} of content a file may have, by page {page_no}",
                mb(FILE_BUDGET)
            )));
        }
    }
    Ok(())
}

fn too_costly(why: String) -> PdfError {
    PdfError::TooCostly(why)
}

fn mb(bytes: usize) -> String {
    if bytes >= 1 << 30 { "more than 1 GB".into() } else { format!("{:.1} MB", bytes as f64 / (1 << 20) as f64) }
}

struct Walk<'a> {
    doc: &'a PdfDocument,
    /// Each stream decoded and scanned once per file.
    scanned: HashMap<ObjectRef, Scanned>,
    /// Cost of a form (its content and the forms it draws), per page: a form without its
    /// own resources draws with the page's.
    form_cost: HashMap<ObjectRef, usize>,
    /// Forms being costed (a form that draws itself).
    open: HashSet<ObjectRef>,
}

impl Walk<'_> {
    fn resolve(&self, obj: &Object) -> Option<Object> {
        match obj {
            Object::Reference(r) => self.doc.load_object(*r).ok(),
            other => Some(other.clone()),
        }
    }

    /// The page's content cost (each stream as often as the content array names it) and the
    /// deepest graphics-state nesting across its content streams.
    fn page_cost(&mut self, contents: Option<&Object>, resources: Option<&Object>) -> Result<(usize, usize), PdfError> {
        let refs: Vec<Object> = match contents.and_then(|c| self.resolve(c)) {
            Some(Object::Array(items)) => items,
            Some(single) => vec![contents.cloned().unwrap_or(single)],
            None => return Ok((0, 0)),
        };
        let (mut cost, mut saved, mut deepest) = (0usize, 0isize, 0usize);
        for item in &refs {
            let Some(r) = item.as_reference() else { continue };
            self.scan(r);
            let s = &self.scanned[&r];
            deepest = deepest.max(saved.max(0) as usize + s.max_saved);
            saved += s.net_saved;
            let draws: Vec<(Vec<u8>, usize)> = s.draws.iter().map(|(k, v)| (k.clone(), *v)).collect();
            cost = cost.saturating_add(s.size).saturating_add(self.draws_cost(&draws, resources, 0));
            if cost > PAGE_BUDGET {
                break;
            }
        }
        Ok((cost, deepest))
    }

    /// What the forms drawn (name, times) cost, looked up in these resources.
    fn draws_cost(&mut self, draws: &[(Vec<u8>, usize)], resources: Option<&Object>, depth: usize) -> usize {
        if depth >= MAX_FORM_DEPTH || draws.is_empty() {
            return 0;
        }
        if draws.len() > MAX_NAMES {
            return usize::MAX;
        }
        let Some(xobjects) =
            resources.and_then(|r| r.as_dict()).and_then(|d| d.get("XObject")).and_then(|x| self.resolve(x))
        else {
            return 0;
        };
        let Some(xobjects) = xobjects.as_dict() else { return 0 };
        let mut cost = 0usize;
        for (name, times) in draws {
            let Some(r) = std::str::from_utf8(name).ok().and_then(|n| xobjects.get(n)).and_then(|o| o.as_reference())
            else {
                continue;
            };
            let one = self.form_cost(r, resources, depth + 1);
            cost = cost.saturating_add(one.saturating_mul(*times));
            if cost > PAGE_BUDGET {
                break;
            }
        }
        cost
    }

    fn form_cost(&mut self, r: ObjectRef, outer: Option<&Object>, depth: usize) -> usize {
        if let Some(&c) = self.form_cost.get(&r) {
            return c;
        }
        let Ok(obj) = self.doc.load_object(r) else { return 0 };
        let Object::Stream { dict, .. } = &obj else { return 0 };
        if dict.get("Subtype").and_then(|s| s.as_name()) != Some("Form") {
            return 0; // images are not interpreted
        }
        if !self.open.insert(r) {
            return 0; // drawing itself: the library skips the repeat
        }
        let own = dict.get("Resources").and_then(|x| self.resolve(x));
        self.scan(r);
        let s = &self.scanned[&r];
        let size = if s.max_saved > MAX_SAVED_STATES { usize::MAX } else { s.size };
        let draws: Vec<(Vec<u8>, usize)> = s.draws.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let cost = size.saturating_add(self.draws_cost(&draws, own.as_ref().or(outer), depth));
        self.open.remove(&r);
        self.form_cost.insert(r, cost);
        cost
    }

    /// Decodes and scans a stream once.
    fn scan(&mut self, r: ObjectRef) {
        if self.scanned.contains_key(&r) {
            return;
        }
        let scanned = match self.doc.load_object(r) {
            Ok(obj @ Object::Stream { .. }) => match obj.decode_stream_data() {
                Ok(bytes) => scan_content(&bytes),
                Err(e) => {
                    let Object::Stream { data, .. } = &obj else { unreachable!() };
                    // A stream that hit the library's inflate cap costs that much each time it is
                    // used (the library gives up on it then); one that does not decode at all
                    // costs its raw bytes.
                    let size = if e.to_string().contains("safety limit") { inflate_cap() } else { data.len() };
                    Scanned { size, ..Scanned::default() }
                }
            },
            _ => Scanned::default(),
        };
        self.scanned.insert(r, scanned);
    }
}

/// The library's per-stream inflate cap (set in `extract`, or by the user's environment).
fn inflate_cap() -> usize {
    let mb = std::env::var("PDF_OXIDE_MAX_DECOMPRESS_MB").ok().and_then(|v| v.parse::<usize>().ok());
    mb.unwrap_or(super::extract::MAX_DECOMPRESS_MB).saturating_mul(1 << 20)
}

/// One pass over content-stream bytes: its size, `q`/`Q` nesting and the names drawn with
/// `Do`. Strings, comments and inline image data are skipped so their bytes are not read as
/// operators.
fn scan_content(bytes: &[u8]) -> Scanned {
    let mut s = Scanned { size: bytes.len(), ..Scanned::default() };
    let mut last_name: Option<&[u8]> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'%' => i += bytes[i..].iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(bytes.len() - i),
            b'(' => i = skip_string(bytes, i),
            b'<' if bytes.get(i + 1) != Some(&b'<') => {
                i += bytes[i..].iter().position(|&c| c == b'>').map_or(bytes.len() - i, |p| p + 1);
            }
            b'/' => {
                let end = token_end(bytes, i + 1);
                last_name = Some(&bytes[i + 1..end]);
                i = end;
            }
            _ if is_regular(b) => {
                let end = token_end(bytes, i);
                match &bytes[i..end] {
                    b"q" => {
                        s.max_saved = s.max_saved.max((s.net_saved + 1).max(0) as usize);
                        s.net_saved += 1;
                    }
                    b"Q" => s.net_saved -= 1,
                    b"Do" => {
                        if let Some(name) = last_name
                            && (s.draws.len() <= MAX_NAMES || s.draws.contains_key(name))
                        {
                            *s.draws.entry(name.to_vec()).or_default() += 1;
                        }
                    }
                    b"ID" => return skip_inline_image(bytes, end, s),
                    _ => {}
                }
                if !bytes[i].is_ascii_digit() && !matches!(bytes[i], b'+' | b'-' | b'.') {
                    last_name = None;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    s
}

/// Inline image data runs to `EI` between white space; scanning goes on after it.
fn skip_inline_image(bytes: &[u8], from: usize, s: Scanned) -> Scanned {
    let rest = &bytes[from..];
    let end = rest
        .windows(4)
        .position(|w| is_white(w[0]) && w[1] == b'E' && w[2] == b'I' && is_white(w[3]))
        .map_or(bytes.len(), |p| from + p + 3);
    let tail = scan_content(&bytes[end..]);
    let mut s = s;
    s.max_saved = s.max_saved.max((s.net_saved.max(0) as usize).saturating_add(tail.max_saved));
    s.net_saved += tail.net_saved;
    for (name, n) in tail.draws {
        *s.draws.entry(name).or_default() += n;
    }
    s
}

/// A literal string: balanced parentheses, backslash escapes.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let (mut depth, mut i) = (0usize, start);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !b"()<>[]{}/%".contains(&b)
}

fn token_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| !is_regular(b)).map_or(bytes.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_counts_saves_and_draws_outside_strings() {
        let content = b"q q 1 0 0 1 5 5 cm /Im1 Do Q (q (q) \\) q /X Do) Tj /Fm1 Do /Fm1 Do % q q q\nQ q";
        let s = scan_content(content);
        assert_eq!(s.size, content.len());
        assert_eq!((s.max_saved, s.net_saved), (2, 1));
        assert_eq!(s.draws.get(&b"Im1"[..]), Some(&1));
        assert_eq!(s.draws.get(&b"Fm1"[..]), Some(&2));
        assert_eq!(s.draws.get(&b"X"[..]), None);
    }

    #[test]
    fn inline_image_data_is_not_read_as_operators() {
        let s = scan_content(b"BI /W 2 /H 2 ID q q /A Do q EI q /B Do");
        assert_eq!((s.max_saved, s.net_saved), (1, 1));
        assert_eq!(s.draws.keys().collect::<Vec<_>>(), [&b"B".to_vec()]);
    }

    #[test]
    fn a_name_then_another_operator_is_not_a_draw() {
        let s = scan_content(b"/GS1 gs Do /F1 12 Tf Do");
        assert!(s.draws.is_empty());
    }
}
