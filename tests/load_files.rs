//! Reading bulletin files: encodings parse identically; bad files are reported in one line
//! naming the file, and the other files still load.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use kanbao::domain::corpus::Corpus;
use kanbao::domain::export::to_json;
use kanbao::domain::load::load;
use kanbao::domain::load::{LoadOptions, Problem};

const SEED: &str = include_str!("../seeds/004_206111c6821658ec.txt");

fn load_only(paths: &[PathBuf]) -> (Corpus, Vec<Problem>) {
    load(paths, None, LoadOptions { bundled: false, ..Default::default() })
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

/// The export without the file name, which differs on purpose.
fn shape(c: &Corpus) -> String {
    let json = to_json(c).unwrap();
    json.lines().filter(|l| !l.contains("\"source\"")).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_same_bulletin_in_four_encodings_parses_identically() {
    let dir = tempfile::tempdir().unwrap();
    let crlf_bom = [b"\xef\xbb\xbf".as_slice(), SEED.replace('\n', "\r\n").as_bytes()].concat();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(SEED);
    assert!(!unmappable);
    let variants = [
        write(dir.path(), "utf8.txt", SEED.as_bytes()),
        write(dir.path(), "utf8-bom-crlf.txt", &crlf_bom),
        write(dir.path(), "gb18030.txt", &gb),
        write(dir.path(), "utf16le.txt", &utf16le_bom(SEED)),
    ];
    let reference = load_only(&variants[..1]);
    assert!(reference.1.is_empty(), "{:?}", reference.1);
    assert_eq!(reference.0.article_count(), 7);
    for v in &variants[1..] {
        let (c, problems) = load_only(std::slice::from_ref(v));
        assert!(problems.is_empty(), "{}: {problems:?}", v.display());
        assert_eq!(shape(&c), shape(&reference.0), "{} parses differently", v.display());
    }
    let encodings: Vec<&str> =
        variants.iter().map(|v| load_only(std::slice::from_ref(v)).0.bulletins[0].encoding).collect();
    assert_eq!(encodings, ["UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE"]);
}

#[test]
fn bad_files_are_named_in_one_line_and_the_rest_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", SEED.as_bytes());
    let binary = write(dir.path(), "picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    let empty = write(dir.path(), "empty.txt", b"");
    let missing = dir.path().join("missing.txt");
    let fifo = dir.path().join("pipe.txt");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let paths = [good, binary, empty, missing, fifo.clone()];
    let (corpus, problems) = load_only(&paths);
    assert_eq!(corpus.bulletins.len(), 1, "the good file still loads");
    let skipped: Vec<String> = problems.iter().filter(|p| !p.loaded).map(ToString::to_string).collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    let about = |name: &str| skipped.iter().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}: {skipped:?}"));
    assert!(skipped.iter().all(|l| !l.contains('\n')));
    assert!(about("picture.txt").contains("PNG"), "{}", about("picture.txt"));
    assert!(about("empty.txt").contains("no articles"), "{}", about("empty.txt"));
    assert!(about("missing.txt").contains("no such file"), "{}", about("missing.txt"));
    assert!(about("pipe.txt").contains("not a regular file"), "{}", about("pipe.txt"));
}

#[test]
fn a_folder_loads_its_txt_files_and_a_manifest_sets_dates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SEED.as_bytes());
    write(dir.path(), "notes.md", b"# not a bulletin");
    write(dir.path(), "manifest.toml", b"[dates]\n\"a.txt\" = \"2024-05\"\n");
    let (corpus, problems) = load_only(&[dir.path().to_path_buf()]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(corpus.bulletins.len(), 1);
    assert!(corpus.bulletins[0].id.starts_with("2024-05-"), "{}", corpus.bulletins[0].id);
    assert!(corpus.bulletins[0].date_evidence[0].contains("manifest"));
}

#[test]
fn a_bad_manifest_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SEED.as_bytes());
    write(dir.path(), "manifest.toml", b"[dates]\n\"a.txt\" = \"May 2024\"\n");
    let (corpus, problems) = load_only(&[dir.path().to_path_buf()]);
    assert_eq!(corpus.bulletins.len(), 1);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].to_string().contains("manifest.toml"), "{}", problems[0]);
}

#[test]
fn the_cli_reports_a_bad_path_and_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(["list", "/nonexistent/bulletin.txt"])
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/bulletin.txt") && err.contains("no such file"), "{err}");
    assert!(String::from_utf8(out.stdout).unwrap().contains("2023-05-cfb/1"), "bundled bulletins still listed");
}

#[test]
fn the_same_file_twice_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", SEED.as_bytes());
    let b = write(dir.path(), "copy.txt", SEED.as_bytes());
    let (corpus, problems) = load_only(&[a, b]);
    assert_eq!(corpus.bulletins.len(), 1);
    assert!(problems[0].loaded && problems[0].to_string().contains("copy.txt"), "{problems:?}");
}
