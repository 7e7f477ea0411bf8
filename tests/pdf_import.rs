//! PDF bulletins: every test PDF imports with the paragraphs, roles and order of its truth
//! file, and parses like the seed it was made from (titles, captions, districts, date).
//! tests/data/pdf holds copies of ../shared/pdf (four producers); when ../shared/pdf is
//! beside the clone, its PDFs are checked too.
#![cfg(feature = "pdf")]

use std::path::{Path, PathBuf};

use kanbao::domain::corpus::{Bulletin, Format};
use kanbao::domain::load::{LoadOptions, load};

fn one(path: &Path) -> Bulletin {
    let (corpus, problems) = load(&[path.to_path_buf()], None, LoadOptions::default());
    assert!(problems.iter().all(|p| p.loaded), "{problems:?}");
    corpus.bulletins.into_iter().next().expect("one bulletin")
}

fn seed_for(pdf: &Path) -> PathBuf {
    // a_docx_001.pdf was made from seeds/001_*.txt.
    let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
    let n = &stem[stem.len() - 3..];
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    std::fs::read_dir(&seeds)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(n))
        .expect("the seed the PDF was made from")
}

#[derive(serde::Deserialize)]
struct Truth {
    paragraphs: Vec<Para>,
}

#[derive(serde::Deserialize)]
struct Para {
    role: String,
    text: String,
}

fn check(pdf: &Path) {
    let b = one(pdf);
    let seed = one(&seed_for(pdf));
    let name = pdf.display();
    assert_eq!(b.format, Format::Pdf);
    assert_eq!(b.date, seed.date, "{name}: date");
    assert_eq!(b.articles.len(), seed.articles.len(), "{name}: articles");
    for (a, s) in b.articles.iter().zip(seed.articles.iter()) {
        assert_eq!((&a.kicker, &a.title, &a.subtitle), (&s.kicker, &s.title, &s.subtitle), "{name}");
        assert_eq!(a.captions, s.captions, "{name}: {}", a.title);
        assert_eq!(a.districts, s.districts, "{name}: {}", a.title);
        assert_eq!(a.paragraphs.len(), s.paragraphs.len(), "{name}: {}", a.title);
        // The seed may lack a label the PDF prints; where the seed has one, they agree.
        if s.section.is_some() {
            assert_eq!(a.section, s.section, "{name}: {}", a.title);
        }
        assert!(a.page.is_some_and(|p| p >= 1), "{name}: page of {}", a.title);
    }
    let truth: Truth =
        serde_json::from_str(&std::fs::read_to_string(pdf.with_extension("truth.json")).unwrap()).unwrap();
    let body: String = b.articles.iter().flat_map(|a| a.paragraphs.iter().map(String::as_str)).collect();
    let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect::<String>();
    let body = squash(&body);
    let mut at = 0;
    for p in &truth.paragraphs {
        match p.role.as_str() {
            "title" => assert!(b.articles.iter().any(|a| a.title == p.text), "{name}: title {}", p.text),
            "subtitle" => {
                assert!(b.articles.iter().any(|a| a.subtitle.as_deref() == Some(&p.text)), "{name}: {}", p.text)
            }
            "label" => assert!(b.articles.iter().any(|a| a.section.as_deref() == Some(&p.text)), "{name}: {}", p.text),
            // A QR prompt is page furniture: neither caption nor body.
            "caption" if p.text.contains("扫码") => {}
            "caption" => assert!(b.articles.iter().any(|a| a.captions.contains(&p.text)), "{name}: caption {}", p.text),
            _ => {
                // Body paragraphs appear in order (split ones joined back).
                let want = squash(&p.text);
                let found = body[at..].find(&want);
                assert!(found.is_some(), "{name}: body paragraph out of order or missing: {}", p.text);
                at += found.unwrap() + want.len();
            }
        }
    }
}

#[test]
fn committed_pdfs_import_as_their_truth_and_seed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "pdf") {
            check(&e.path());
            n += 1;
        }
    }
    assert_eq!(n, 4);
}

#[test]
fn shared_pdfs_import_when_present() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} is not beside the clone (tests/data/pdf holds copies)", dir.display());
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "pdf") && e.path().with_extension("truth.json").exists() {
            check(&e.path());
        }
    }
}

/// Our own bulletins (tests/data/convert/*.src.txt) as PDFs of other producers and layouts
/// (scripts/gen-pdfs.py): two columns flowed or written row by row, fonts without ToUnicode,
/// a scanned page, a tagged PDF. Each parses as its seed-style source does.
#[test]
fn own_pdfs_of_other_layouts_parse_as_their_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let heads = |b: &Bulletin| -> Vec<String> {
        b.articles
            .iter()
            .map(|a| format!("{:?}|{:?}|{}|{:?}|{:?}", a.section, a.kicker, a.title, a.subtitle, a.captions))
            .collect()
    };
    for (pdf, src) in [
        ("own_2col_reportlab.pdf", "autumn.src.txt"),
        ("own_rows_fpdf2.pdf", "autumn.src.txt"),
        ("own_tagged_lo.pdf", "spring.src.txt"),
    ] {
        let (corpus, problems) = load(&[root.join("pdf-own").join(pdf)], None, LoadOptions::default());
        assert!(problems.iter().all(|p| p.loaded), "{problems:?}");
        let b = &corpus.bulletins[0];
        let s = one(&root.join("convert").join(src));
        assert_eq!(heads(b), heads(&s), "{pdf}");
        for (a, t) in b.articles.iter().zip(s.articles.iter()) {
            // The poem keeps its lines in the PDF; seed-style text joins them in pairs.
            if a.paragraphs.len() == t.paragraphs.len() {
                assert_eq!(a.paragraphs, t.paragraphs, "{pdf}: {}", a.title);
            } else {
                assert_eq!(a.paragraphs.concat(), t.paragraphs.concat(), "{pdf}: {}", a.title);
            }
        }
        if pdf.contains("fpdf2") {
            let scan = problems.iter().find(|p| p.message.contains("text found on only 1 of 2 pages"));
            assert!(scan.is_some(), "a scanned page is reported: {problems:?}");
        }
    }
    let masthead = one(&root.join("pdf-own/own_2col_reportlab.pdf"));
    assert_eq!(masthead.issue.as_deref(), Some("第9期（总第156期）"));
    assert_eq!((masthead.date.map(|d| d.to_string()), masthead.day), (Some("2024-09".into()), Some(25)));
    assert_eq!(one(&root.join("pdf-own/own_tagged_lo.pdf")).issue.as_deref(), Some("第3期"));
}
