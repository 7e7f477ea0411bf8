//! A reload (`R`) with nothing new builds nothing: `load_unless` compares what a load would read
//! (every file's path and identity, manifests, options) with what the last one read, and any
//! change at all means a real load.

use std::fs;
use std::path::Path;

use kanbao::domain::load::{LoadOptions, load, load_unless};

fn bulletin(tag: &str, month: u32) -> String {
    format!("# {tag}区工会召开职工代表大会\n\n2024年{month}月5日,{tag}区工会召开职工代表大会。\n")
}

/// A temporary folder with an empty library folder `lib` and a cache folder path `cache`.
fn folders() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (lib, cache) = (tmp.path().join("lib"), tmp.path().join("cache"));
    fs::create_dir(&lib).unwrap();
    (tmp, lib, cache)
}

fn opts(cache: &Path) -> LoadOptions {
    LoadOptions { cache_dir: Some(cache.to_path_buf()), ..Default::default() }
}

#[test]
fn only_a_reload_of_the_very_same_inputs_is_skipped() {
    let (tmp, lib, cache) = folders();
    fs::write(lib.join("a.txt"), bulletin("江北", 3)).unwrap();
    fs::write(lib.join("b.txt"), bulletin("渝中", 4)).unwrap();
    let (first, inputs) = load_unless(&[], Some(&lib), opts(&cache), None);
    let (corpus, problems) = first.expect("a first load always loads");
    assert_eq!((corpus.bulletins.len(), problems.len()), (2, 0));
    let whole = |c: &kanbao::domain::corpus::Corpus| -> Vec<_> {
        c.bulletins.iter().map(|b| b.whole().expect("bodies readable").into_owned()).collect()
    };
    assert_eq!(whole(&corpus), whole(&load(&[], Some(&lib), opts(&cache)).0), "the same corpus as `load`");
    let (again, same) = load_unless(&[], Some(&lib), opts(&cache), Some(inputs));
    assert!(again.is_none(), "nothing changed: nothing built");
    assert_eq!(same, inputs);

    // Each change below must make a real load, and the loads after it compare with it.
    let mut last = inputs;
    let mut expect_load = |what: &str, o: LoadOptions, paths: &[std::path::PathBuf]| {
        let (loaded, now) = load_unless(paths, Some(&lib), o.clone(), Some(last));
        assert!(loaded.is_some(), "{what}: must load");
        assert_ne!(now, last, "{what}");
        let (again, _) = load_unless(paths, Some(&lib), o, Some(now));
        assert!(again.is_none(), "{what}: then the same again is skipped");
        last = now;
    };
    fs::write(lib.join("c.txt"), bulletin("南岸", 5)).unwrap();
    expect_load("a file added", opts(&cache), &[]);
    fs::write(lib.join("a.txt"), bulletin("北碚", 3)).unwrap();
    expect_load("a file rewritten", opts(&cache), &[]);
    fs::rename(lib.join("b.txt"), lib.join("b2.txt")).unwrap();
    expect_load("a file renamed", opts(&cache), &[]);
    fs::remove_file(lib.join("c.txt")).unwrap();
    expect_load("a file removed", opts(&cache), &[]);
    fs::write(lib.join("manifest.toml"), "[dates]\n\"a.txt\" = \"2020-01\"\n").unwrap();
    expect_load("a manifest", opts(&cache), &[]);
    let mut hidden = opts(&cache);
    hidden.hidden.insert(42);
    expect_load("a bulletin hidden", hidden, &[]);
    let extra = tmp.path().join("x.txt");
    fs::write(&extra, bulletin("涪陵", 6)).unwrap();
    expect_load("another PATH", opts(&cache), std::slice::from_ref(&extra));
    expect_load("bundled ones too", LoadOptions { bundled: true, ..opts(&cache) }, &[]);
}

/// A FIFO named like a bulletin: listed, never read (not a regular file).
#[cfg(unix)]
fn fifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_load_that_could_not_read_a_file_is_never_taken_as_unchanged() {
    let (_tmp, lib, cache) = folders();
    fs::write(lib.join("a.txt"), bulletin("江北", 3)).unwrap();
    if !fifo(&lib.join("b.txt")) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let (first, inputs) = load_unless(&[], Some(&lib), opts(&cache), None);
    assert!(first.expect("loads").1.iter().any(|p| p.file.ends_with("b.txt") && !p.loaded));
    // Whatever made it unreadable (a lock, permissions) may not show in its identity.
    let (again, _) = load_unless(&[], Some(&lib), opts(&cache), Some(inputs));
    assert!(again.is_some(), "read again");
}

#[test]
fn a_path_that_appears_makes_a_reload() {
    let (tmp, lib, cache) = folders();
    fs::write(lib.join("a.txt"), bulletin("江北", 3)).unwrap();
    let later = tmp.path().join("later");
    let paths = [later.clone()];
    let (first, inputs) = load_unless(&paths, Some(&lib), opts(&cache), None);
    assert!(first.expect("loads").1.iter().any(|p| p.message.contains("no such file")));
    // The folder now exists, still empty: nothing to read, but the problem is gone.
    fs::create_dir(&later).unwrap();
    let (again, _) = load_unless(&paths, Some(&lib), opts(&cache), Some(inputs));
    let (_, problems) = again.expect("the listing changed");
    assert!(problems.is_empty(), "{problems:?}");
}

#[cfg(unix)]
#[test]
fn files_that_cannot_be_read_are_reported_before_files_that_do_not_parse() {
    // As before files were parsed in batches: whichever batch each falls in.
    let (_tmp, lib, cache) = folders();
    fs::write(lib.join("x0000.txt"), "").unwrap();
    for i in 1..600 {
        fs::write(lib.join(format!("x{i:04}.txt")), bulletin(&format!("第{i}"), i % 12 + 1)).unwrap();
    }
    if !fifo(&lib.join("x0600.txt")) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    for cache in [Some(cache), None] {
        let (_, problems) = load(&[], Some(&lib), LoadOptions { cache_dir: cache, ..Default::default() });
        let files: Vec<&str> = problems.iter().map(|p| p.file.rsplit('/').next().unwrap_or("")).collect();
        assert_eq!(files, ["x0600.txt", "x0000.txt"], "{problems:?}");
    }
}
