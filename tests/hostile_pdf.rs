//! Hostile and unreadable PDFs (made by scripts/gen-hostile-pdfs.py): each is refused with one
//! line naming the file and the reason, the other files still load, nothing panics or hangs.
//! The work bombs (one inflating stream used by every page, named 100 times in one content
//! array, a form drawn 500 times, states saved 5 million deep) are refused by the work
//! budget before the library interprets them.
//! Speed and memory per file are measured in scripts/bench-pdf.sh, not asserted here.
#![cfg(feature = "pdf")]

use std::path::{Path, PathBuf};

use kanbao::domain::load::{LoadOptions, load};

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf-hostile").join(name)
}

/// Loads the file beside a good PDF; returns the one problem reported for it.
fn refused(name: &str) -> String {
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf/d_stsong_noTU_000.pdf");
    let (corpus, problems) = load(&[hostile(name), good], None, LoadOptions::default());
    assert_eq!(corpus.bulletins.len(), 1, "{name}: the good file still loads");
    let mine: Vec<String> = problems.iter().filter(|p| p.file.contains(name)).map(|p| p.to_string()).collect();
    assert_eq!(mine.len(), 1, "{name}: {mine:?}");
    assert!(problems.iter().filter(|p| p.file.contains(name)).all(|p| !p.loaded));
    let line = mine[0].clone();
    assert!(!line.contains('\n') && line.chars().count() < 240, "{line}");
    line
}

#[test]
fn each_hostile_pdf_is_one_line_error() {
    let cases = [
        ("deep-nesting.pdf", "nested"),
        ("zip-bomb.pdf", "too much work"),
        ("shared-bomb.pdf", "page 1 draws"),
        ("contents-array.pdf", "page 1 draws"),
        ("text-bomb.pdf", "pages draw"),
        ("form-fan.pdf", "page 1 draws"),
        ("saved-states.pdf", "graphics states"),
        ("huge-stream.pdf", "PDF"),
        ("page-tree-loop.pdf", "PDF"),
        ("ten-thousand-pages.pdf", "10000 pages"),
        ("damaged.pdf", "PDF"),
        ("encrypted.pdf", "password"),
        ("scanned.pdf", "OCR"),
        ("no-unicode-map.pdf", "cannot be recovered"),
    ];
    for (name, says) in cases {
        let line = refused(name);
        assert!(line.contains(says), "{name}: {line}");
    }
}

#[test]
fn the_command_line_exits_2_and_keeps_going() {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(["list", "--no-bundled"])
        .arg(hostile("encrypted.pdf"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf/g_fpdf2_identityH_003.pdf"))
        .env("HOME", home.path())
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().filter(|l| l.contains("encrypted.pdf")).count(), 1, "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("重庆市总工会召开"));
}

#[test]
fn bytes_that_only_start_like_a_pdf_are_an_error_not_a_panic() {
    for bytes in [&b"%PDF-"[..], b"%PDF-1.7\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pdf");
        std::fs::write(&path, bytes).unwrap();
        let (corpus, problems) = load(&[path], None, LoadOptions::default());
        assert!(corpus.bulletins.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
