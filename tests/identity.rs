//! Stable identity: ids and marks stay on their article when other files come and go, when a
//! file is renamed or re-encoded, when the parser changes, and across the move from the old
//! positional ids (a state file written by kanbao before stable ids, tests/fixtures/state_v1).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kanbao::domain::corpus::Corpus;
use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::store::{self, SavedState as State};
use kanbao::io::state_file::Store;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/state_v1")
}

fn corpus(library: &Path) -> Corpus {
    let (c, problems) = load(&[], Some(library), LoadOptions { bundled: true, ..Default::default() });
    assert!(problems.iter().all(|p| p.loaded), "{problems:?}");
    c
}

/// The article a mark's key names: (file, title).
fn target(c: &Corpus, key: &str) -> Option<(String, String)> {
    c.bulletins
        .iter()
        .flat_map(|b| b.articles.iter().map(move |a| (b, a)))
        .find(|(_, a)| a.key == key)
        .map(|(b, a)| (b.source.clone(), a.title.clone()))
}

/// Every mark of the state, as (kind, file, title) of its article; panics on a mark that names
/// no loaded article.
fn marks(c: &Corpus, s: &State) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut push = |kind: &str, key: &str| {
        let (file, title) = target(c, key).unwrap_or_else(|| panic!("{kind} {key} names no article"));
        out.push((kind.to_string(), file, title));
    };
    s.read.iter().for_each(|k| push("read", k));
    s.bookmarks.keys().for_each(|k| push("bookmark", k));
    s.removed_bookmarks.keys().for_each(|k| push("removed", k));
    for (k, p) in &s.places {
        assert_eq!(k, &p.id);
        push(&format!("place@{}", p.offset), k);
    }
    if let Some(last) = &s.last {
        push("last", &last.id);
    }
    out.sort();
    out
}

/// Titles by file name, ignoring files renamed or re-encoded since (matched by title).
fn by_title(m: &[(String, String, String)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = m.iter().map(|(k, _, t)| (k.clone(), t.clone())).collect();
    v.sort();
    v
}

#[test]
fn a_state_file_from_before_stable_ids_is_carried_over_without_loss() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("state.json");
    fs::copy(fixture().join("state.json"), &path).unwrap();
    let c = corpus(&fixture().join("library"));
    let (_, mut state, report) = Store::open(path);
    assert_eq!(report, store::LoadReport::Loaded);
    let before = state.clone();
    store::follow(&mut state, &c, true);

    // Each old id now names, by key, the article it named when the file was written.
    let expected = fs::read_to_string(fixture().join("expected.tsv")).unwrap();
    let wanted: BTreeMap<&str, (String, String)> = expected
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0], (f[1].to_string(), f[2].to_string()))
        })
        .collect();
    let check = |old: &str, key: &str| {
        assert_eq!(target(&c, key).as_ref(), Some(&wanted[old]), "{old} -> {key}");
    };
    assert_eq!(state.bookmarks.len(), before.bookmarks.len());
    for old in before.bookmarks.keys() {
        let (src, title) = &wanted[old.as_str()];
        let key = state.bookmarks.keys().find(|k| target(&c, k) == Some((src.clone(), title.clone()))).unwrap();
        assert_eq!(state.bookmarks[key], before.bookmarks[old], "{old}");
        check(old, key);
    }
    assert_eq!(state.read.len(), before.read.len());
    for old in &before.read {
        assert!(state.read.iter().any(|k| target(&c, k).as_ref() == Some(&wanted[old.as_str()])), "{old}");
    }
    assert_eq!(state.places.len(), before.places.len());
    for (old, place) in &before.places {
        let key = state.places.iter().find(|(_, p)| p.offset == place.offset && p.at == place.at).unwrap().0;
        check(old, key);
    }
    check(&before.last.as_ref().unwrap().id, &state.last.as_ref().unwrap().id);
    let removed = state.removed_bookmarks.keys().next().unwrap();
    check("2024-04/3", removed);
    assert_eq!(state.ambiguous_by_term, before.ambiguous_by_term);
    // Following again moves nothing.
    assert_eq!(store::follow(&mut state.clone(), &c, true), 0);
}

#[test]
fn old_ids_wait_for_the_whole_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("state.json");
    fs::copy(fixture().join("state.json"), &path).unwrap();
    let (_, mut state, _) = Store::open(path);
    let before = state.clone();
    // Bundled only (the library is read after the first frame): `2024-03b/2` would be
    // guessed against the wrong set of files, so nothing moves yet.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(store::follow(&mut state, &corpus(empty.path()), false), 0);
    assert_eq!(state, before);
}

/// Read marks that `A` and `C` stored under article ids (`2024-04-g78/2`) for a while move to
/// the articles' keys, whole corpus or not (the id names its article exactly); a mark under an
/// id of no loaded article stays as it is.
#[test]
fn read_marks_under_ids_move_to_keys() {
    let empty = tempfile::tempdir().unwrap();
    let c = corpus(empty.path());
    let mut state = State::default();
    for id in ["2024-04-g78/2", "2024-03-00k/1", "2024-04-zzz/1", "2024-04-g78/99"] {
        state.mark_read(id);
    }
    assert_eq!(store::follow(&mut state, &c, false), 2);
    let key = |id: &str| c.article(id).unwrap().1.key.clone();
    let expected: std::collections::BTreeSet<String> =
        [key("2024-04-g78/2"), key("2024-03-00k/1"), "2024-04-zzz/1".into(), "2024-04-g78/99".into()].into();
    assert_eq!(state.read, expected);
    assert_eq!(store::follow(&mut state, &c, true), 0, "following again moves nothing");
}

/// A small bulletin for March 2024 whose text (and so id) is told apart by `tag`.
fn march(tag: &str) -> String {
    format!(
        "# {tag}区工会召开职工代表大会\n\n2024年3月{n}日,{tag}区工会召开职工代表大会,审议工作报告。\n\n\
         # {tag}区举办技能比武\n\n3月{m}日,{tag}区举办职工技能比武,两百名职工参赛。\n",
        n = 5 + tag.len() % 9,
        m = 15 + tag.len() % 9
    )
}

fn ids(c: &Corpus) -> BTreeMap<String, (u64, String)> {
    c.bulletins
        .iter()
        .flat_map(|b| b.articles.iter().map(move |a| (a.id.clone(), (b.fingerprint, a.title.clone()))))
        .collect()
}

fn mark_everything_in(c: &Corpus, files: &[&str]) -> State {
    let mut s = State::default();
    let mut t = 1_700_000_000;
    for b in c.bulletins.iter().filter(|b| files.contains(&b.source.as_str())) {
        for (i, a) in b.articles.iter().enumerate() {
            t += 1;
            let _changed = match i % 3 {
                0 => s.add_bookmark(&a.key, i, t),
                1 => s.mark_read(&a.key),
                _ => s.set_place(&a.key, 10 * i, t),
            };
        }
    }
    s
}

#[test]
fn ids_and_marks_stay_put_whatever_is_added_renamed_or_re_encoded() {
    let others = ["东", "南西", "北中央"];
    let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for order in orders {
        let lib = tempfile::tempdir().unwrap();
        // The bundled March 2024 seed and the fixture's two March files, then three more.
        for f in ["a.txt", "c.txt"] {
            fs::copy(fixture().join("library").join(f), lib.path().join(f)).unwrap();
        }
        let c0 = corpus(lib.path());
        let ids0 = ids(&c0);
        let mut state = mark_everything_in(&c0, &["a.txt", "c.txt", "004_206111c6821658ec.txt"]);
        let marks0 = marks(&c0, &state);
        assert!(marks0.len() >= 12);
        for (step, &i) in order.iter().enumerate() {
            // File names sort before and after the existing ones.
            let name = format!("{}{}.txt", ["0", "b", "zz"][i], step);
            fs::write(lib.path().join(&name), march(others[i])).unwrap();
            let c = corpus(lib.path());
            assert_eq!(c.bulletins.len(), c0.bulletins.len() + step + 1);
            let now = ids(&c);
            for (id, was) in &ids0 {
                assert_eq!(now.get(id), Some(was), "order {order:?} step {step}: {id} moved");
            }
            assert_eq!(store::follow(&mut state, &c, true), 0, "nothing needs to move");
            assert_eq!(marks(&c, &state), marks0);
        }
    }
}

#[test]
fn marks_follow_a_rename_a_re_encode_and_a_changed_parse() {
    let lib = tempfile::tempdir().unwrap();
    for f in ["a.txt", "c.txt"] {
        fs::copy(fixture().join("library").join(f), lib.path().join(f)).unwrap();
    }
    let c0 = corpus(lib.path());
    let ids0 = ids(&c0);
    let mut state = mark_everything_in(&c0, &["a.txt", "c.txt"]);
    let titles0 = by_title(&marks(&c0, &state));

    // Renamed, and re-encoded as GBK and UTF-16 (with a BOM and CRLF line ends).
    let text = fs::read_to_string(lib.path().join("c.txt")).unwrap();
    fs::rename(lib.path().join("a.txt"), lib.path().join("renamed.txt")).unwrap();
    fs::remove_file(lib.path().join("c.txt")).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&crlf);
    fs::write(lib.path().join("c-gbk.txt"), &gbk).unwrap();
    let c1 = corpus(lib.path());
    assert_eq!(ids(&c1), ids0);
    assert_eq!(store::follow(&mut state, &c1, true), 0);
    assert_eq!(by_title(&marks(&c1, &state)), titles0);

    fs::remove_file(lib.path().join("c-gbk.txt")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(lib.path().join("c16.txt"), utf16).unwrap();
    let c2 = corpus(lib.path());
    assert_eq!(ids(&c2), ids0);
    assert_eq!(by_title(&marks(&c2, &state)), titles0);

    // A parser that no longer sees the first article of each bulletin, and reads the next
    // headline differently: the others are renumbered, and their marks follow them.
    let mut bulletins = c2.bulletins.clone();
    for b in &mut bulletins {
        let articles = Arc::make_mut(&mut b.articles);
        articles.remove(0);
        articles[0].title.push_str(" 副题");
        // What that parser would make of the new headline (prints come from the parse).
        articles[0].prints = None;
    }
    let c3 = Corpus::new(bulletins);
    let renumbered =
        ids(&c3).iter().filter(|(id, (fp, t))| ids0.get(*id).is_some_and(|(fp0, t0)| fp0 == fp && t0 != t)).count();
    assert!(renumbered > 0);
    let moved = store::follow(&mut state, &c3, true);
    assert!(moved > 0);
    let kept = by_title(&marks_loaded(&c3, &state));
    for (kind, title) in &kept {
        let title = title.trim_end_matches(" 副题").to_string();
        assert!(titles0.contains(&(kind.clone(), title.clone())), "{kind} {title} was not marked before");
    }
    assert_eq!(kept.len(), titles0.len() - titles_of_first_articles(&c2, &titles0));
}

/// Marks whose article is loaded; the others are kept but not shown.
fn marks_loaded(c: &Corpus, s: &State) -> Vec<(String, String, String)> {
    let mut pruned = s.clone();
    pruned.read.retain(|k| target(c, k).is_some());
    pruned.bookmarks.retain(|k, _| target(c, k).is_some());
    pruned.removed_bookmarks.retain(|k, _| target(c, k).is_some());
    pruned.places.retain(|k, _| target(c, k).is_some());
    pruned.last = pruned.last.filter(|p| target(c, &p.id).is_some());
    marks(c, &pruned)
}

fn titles_of_first_articles(c: &Corpus, marked: &[(String, String)]) -> usize {
    let firsts: Vec<&str> = c
        .bulletins
        .iter()
        .filter(|b| b.origin == kanbao::domain::corpus::Origin::User)
        .map(|b| b.articles[0].title.as_str())
        .collect();
    marked.iter().filter(|(_, t)| firsts.contains(&t.as_str())).count()
}

#[test]
fn marks_follow_the_same_bulletin_in_another_format() {
    // Another extraction of the same bulletin (what a PDF gives): a running head, a page
    // number and other line breaks make other text, but the month and headlines agree.
    let lib = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixture().join("library/c.txt")).unwrap();
    fs::write(lib.path().join("c.txt"), &text).unwrap();
    let c0 = corpus(lib.path());
    let mut state = mark_everything_in(&c0, &["c.txt"]);
    let titles0 = by_title(&marks(&c0, &state));
    fs::remove_file(lib.path().join("c.txt")).unwrap();
    let other = format!("渝工 第3期\n\n{}\n\n- 2 -\n", text.replace("外卖骑手、", "外卖骑手、\n"));
    fs::write(lib.path().join("c.pdf.txt"), other).unwrap();
    let c1 = corpus(lib.path());
    let b = c1.bulletins.iter().find(|b| b.source == "c.pdf.txt").unwrap();
    let b0 = c0.bulletins.iter().find(|b| b.source == "c.txt").unwrap();
    assert_ne!(b.fingerprint, b0.fingerprint);
    assert!(store::follow(&mut state, &c1, true) > 0);
    assert_eq!(by_title(&marks(&c1, &state)), titles0);
}
