//! A reload (`R`) with nothing new builds nothing: `load_unless` compares what a load would read
//! (every file's path and identity, manifests, options) with what the last one read, and any
//! change at all means a real load.

use std::fs;
use std::path::Path;

use kanbao::domain::load::{LoadOptions, Previous, load, load_unless};

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
    let (first, previous) = load_unless(&[], Some(&lib), opts(&cache), None);
    let (corpus, problems) = first.expect("a first load always loads");
    assert_eq!((corpus.bulletins.len(), problems.len()), (2, 0));
    let whole = |c: &kanbao::domain::corpus::Corpus| -> Vec<_> {
        c.bulletins.iter().map(|b| b.whole().expect("bodies readable").into_owned()).collect()
    };
    assert_eq!(whole(&corpus), whole(&load(&[], Some(&lib), opts(&cache)).0), "the same corpus as `load`");
    let inputs = previous.inputs;
    let (again, same) = load_unless(&[], Some(&lib), opts(&cache), Some(previous));
    assert!(again.is_none(), "nothing changed: nothing built");
    assert_eq!(same.inputs, inputs);

    // Each change below must make a real load, and the loads after it compare with it.
    let mut last = Some(same);
    let mut expect_load = |what: &str, o: LoadOptions, paths: &[std::path::PathBuf]| {
        let then = last.as_ref().expect("kept").inputs;
        let (loaded, now) = load_unless(paths, Some(&lib), o.clone(), last.take());
        assert!(loaded.is_some(), "{what}: must load");
        assert_ne!(now.inputs, then, "{what}");
        let now_inputs = now.inputs;
        let (again, after) = load_unless(paths, Some(&lib), o, Some(now));
        assert!(again.is_none(), "{what}: then the same again is skipped");
        assert_eq!(after.inputs, now_inputs, "{what}");
        last = Some(after);
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

/// Thirty bulletins, a few in the same month, each of two articles.
fn library_of_thirty(lib: &Path) {
    for i in 0..30 {
        let month = i % 12 + 1;
        let text = format!(
            "# 江北区工会第{i}次会议\n\n2023年{month}月5日,江北区工会召开第{i}次职工代表大会。\n\n# 渝中区送清凉{i}\n\n正文{i}。\n"
        );
        fs::write(lib.join(format!("b{i:02}.txt")), text).unwrap();
    }
}

/// Every bulletin with its bodies, as a fresh load (no cache) makes them.
fn whole(c: &kanbao::domain::corpus::Corpus) -> Vec<kanbao::domain::corpus::Bulletin> {
    c.bulletins.iter().map(|b| b.whole().expect("bodies readable").into_owned()).collect()
}

fn fresh(lib: &Path) -> Vec<kanbao::domain::corpus::Bulletin> {
    whole(&load(&[], Some(lib), LoadOptions::default()).0)
}

/// Bulletins of `now` whose articles are the very ones of `then` (shared, not copied).
fn shared(then: &kanbao::domain::corpus::Corpus, now: &kanbao::domain::corpus::Corpus) -> usize {
    let old: Vec<_> = then.bulletins.iter().map(|b| &b.articles).collect();
    now.bulletins.iter().filter(|b| old.iter().any(|a| std::sync::Arc::ptr_eq(a, &b.articles))).count()
}

/// A library of thirty, loaded once for the reader (with a cache): its folders, the corpus
/// and what the next load may share.
fn thirty_loaded()
-> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf, kanbao::domain::corpus::Corpus, Previous) {
    let (tmp, lib, cache) = folders();
    library_of_thirty(&lib);
    let (first, previous) = load_unless(&[], Some(&lib), opts(&cache), None);
    (tmp, lib, cache, first.expect("a first load always loads").0, previous)
}

#[test]
fn a_reload_after_a_change_shares_what_did_not_change_and_equals_a_fresh_load() {
    let (_tmp, lib, cache, c1, previous) = thirty_loaded();
    assert_eq!(previous.known(), 30, "every bulletin is kept for the next load");
    // One rewritten, one removed, one added.
    fs::write(lib.join("b03.txt"), bulletin("北碚", 3)).unwrap();
    fs::remove_file(lib.join("b07.txt")).unwrap();
    fs::write(lib.join("new.txt"), bulletin("涪陵", 6)).unwrap();
    let (second, previous) = load_unless(&[], Some(&lib), opts(&cache), Some(previous));
    let (c2, problems) = second.expect("a change: a real load");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(shared(&c1, &c2), 28, "the 28 unchanged bulletins are shared");
    assert_eq!(whole(&c2), fresh(&lib), "the same corpus as a load without cache");
    assert_eq!(previous.known(), 30);

    // The next change shares what this load made, the fresh ones included.
    fs::write(lib.join("b11.txt"), bulletin("南岸", 11)).unwrap();
    let (third, _) = load_unless(&[], Some(&lib), opts(&cache), Some(previous));
    let (c3, _) = third.expect("loads");
    assert_eq!(shared(&c2, &c3), 29);
    assert_eq!(whole(&c3), fresh(&lib));
}

#[test]
fn a_shared_bulletin_given_another_month_changes_its_ids_and_keys_and_only_its_own() {
    let (_tmp, lib, cache, c1, previous) = thirty_loaded();
    let before = c1.bulletins.iter().find(|b| b.source == "b05.txt").expect("there").clone();
    fs::write(lib.join("manifest.toml"), "[dates]\n\"b05.txt\" = \"2020-01\"\n").unwrap();
    let (second, _) = load_unless(&[], Some(&lib), opts(&cache), Some(previous));
    let (c2, _) = second.expect("a manifest: a real load");
    let after = c2.bulletins.iter().find(|b| b.source == "b05.txt").expect("there");
    assert!(after.id.starts_with("2020-01-"), "{}", after.id);
    assert!(after.articles.iter().all(|a| a.id.starts_with(&after.id) && a.key.contains("2020-01")));
    assert!(!std::sync::Arc::ptr_eq(&before.articles, &after.articles), "copied to change, not changed in place");
    assert!(before.articles.iter().all(|a| a.id.starts_with(&before.id)), "the old corpus is untouched");
    assert_eq!(shared(&c1, &c2), 29);
    let mut dated = LoadOptions::default();
    dated.dates.insert("b05.txt".into(), "2020-01".parse().unwrap());
    assert_eq!(whole(&c2), whole(&load(&[], Some(&lib), dated).0));
}

/// Every file is parsed again; what the parse makes of the unchanged ones is what the last
/// load made (the same headlines), so that is shared all the same.
#[test]
fn a_reload_after_the_cache_is_deleted_parses_again_and_still_shares() {
    let (_tmp, lib, cache, c1, previous) = thirty_loaded();
    fs::remove_dir_all(&cache).unwrap();
    fs::write(lib.join("b03.txt"), bulletin("北碚", 3)).unwrap();
    let (second, _) = load_unless(&[], Some(&lib), opts(&cache), Some(previous));
    let (c2, _) = second.expect("loads");
    assert_eq!(shared(&c1, &c2), 29);
    assert!(cache.read_dir().unwrap().count() > 0, "the cache was written again");
    assert_eq!(whole(&c2), fresh(&lib));
}

/// Files written again with the same text (copied anew, touched): each is parsed again, and
/// what it gives is compared with what the last load made, headline by headline.
#[test]
fn a_reload_after_every_file_was_written_again_shares_what_is_the_same() {
    let (_tmp, lib, cache, c1, previous) = thirty_loaded();
    std::thread::sleep(std::time::Duration::from_millis(20));
    library_of_thirty(&lib);
    // One headline changed, the rest of that file as it was.
    let b04 = fs::read_to_string(lib.join("b04.txt")).unwrap().replace("第4次会议", "第四次会议");
    fs::write(lib.join("b04.txt"), b04).unwrap();
    let (second, _) = load_unless(&[], Some(&lib), opts(&cache), Some(previous));
    let (c2, _) = second.expect("every file changed: a real load");
    assert_eq!(shared(&c1, &c2), 29, "all but the one whose headline changed");
    assert_eq!(whole(&c2), fresh(&lib));
    let b04 = c2.bulletins.iter().find(|b| b.source == "b04.txt").expect("there");
    assert!(b04.articles[0].title.contains("第四次会议"), "{}", b04.articles[0].title);
}

/// A large folder, written out of order, lists its bulletins in name order with each problem
/// once in that order (a link to nothing), passes over other files, and reads its manifest.
#[cfg(unix)]
#[test]
fn a_large_folder_lists_in_name_order_with_its_problems() {
    use kanbao::domain::load::find_files;
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    let mut dangling = Vec::new();
    // Written out of order: the listing sorts them.
    for i in (0..1_500).rev() {
        let name = format!("{i:04}.txt");
        let path = dir.path().join(&name);
        match i % 7 {
            0 if i % 3 == 0 => {
                std::os::unix::fs::symlink(dir.path().join("gone"), &path).unwrap();
                dangling.push(name);
            }
            1 => fs::write(dir.path().join(format!("{i:04}.md")), "not a bulletin").unwrap(),
            _ => {
                fs::write(&path, bulletin(&i.to_string(), 3)).unwrap();
                expected.push(name);
            }
        }
    }
    fs::write(dir.path().join("manifest.toml"), "[dates]\n\"0002.txt\" = \"2020-01\"\n").unwrap();
    expected.sort();
    dangling.sort();
    let mut opts = LoadOptions::default();
    let (found, problems) = find_files(dir.path(), false, &mut opts);
    let names = |paths: Vec<&Path>| -> Vec<String> {
        paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
    };
    assert_eq!(names(found.iter().map(|f| f.path.as_path()).collect()), expected);
    assert!(found.iter().all(|f| f.meta.is_file()));
    let files: Vec<&Path> = problems.iter().map(|p| Path::new(&p.file)).collect();
    assert_eq!(names(files), dangling);
    assert!(problems.iter().all(|p| p.message.contains("no such file")), "{:?}", problems[0].message);
    assert_eq!(opts.dates.len(), 1, "the manifest was read");
}
