//! Bytes after a "%PDF-" header -> the PDF front end -> the parser's lines -> the loader:
//! nothing panics or hangs (the extraction has a deadline), and what comes out is clean text.
//! libfuzzer-sys aborts on any panic, so a panic inside the PDF library, which kanbao itself
//! turns into a one-line error, shows up here as a finding to report upstream.
//!   cargo +nightly fuzz run pdf -- -max_total_time=300 -dict=... (seed corpus: tests/data/pdf*)

#![no_main]

use kanbao::domain::corpus::Origin;
use kanbao::domain::load::{LoadOptions, Source, parse_source};
use kanbao::domain::parse::SectionVocab;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"%PDF-1.7\n").unwrap_or(data));
    if let Ok(pdf) = kanbao::domain::pdf::read(bytes.clone()) {
        assert_eq!(pdf.lines.len(), pdf.pages_of.len());
        assert!(pdf.pages_of.iter().all(|&p| p >= 1 && p <= pdf.pages));
    }
    let src = Source { name: "fuzz.pdf".into(), display: "fuzz.pdf".into(), origin: Origin::User, bytes };
    if let Ok((b, _)) = parse_source(&src, &LoadOptions::default(), &SectionVocab::bundled()) {
        for a in &b.articles {
            let text = a.paragraphs.iter().chain(&a.captions).chain(std::iter::once(&a.title));
            assert!(text.flat_map(|t| t.chars()).all(|c| !c.is_control() || c == '\n' || c == '\t'));
        }
    }
});
