//! Golden test over the five bundled seeds: every article's headline lines, section, captions,
//! paragraph count, first and last words, districts; each bulletin's date and the order.
//! The expected file was checked line by line against the seed texts by hand.
//! After a deliberate change: `UPDATE_GOLDEN=1 cargo test --test golden_seeds`, then review the diff.

use std::fmt::Write;

use kanbao::domain::corpus::Corpus;
use kanbao::domain::load::LoadOptions;
use kanbao::domain::load::load;

fn bundled() -> Corpus {
    let (corpus, problems) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    assert!(problems.is_empty(), "{problems:?}");
    corpus
}

fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn tail(s: &str, n: usize) -> String {
    let v: Vec<char> = s.chars().collect();
    v[v.len().saturating_sub(n)..].iter().collect()
}

fn render(c: &Corpus) -> String {
    let mut out = String::new();
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    for b in &c.bulletins {
        let date = b.date.map_or("-".into(), |d| d.to_string());
        writeln!(out, "bulletin {} {} date={} title={}", b.id, b.source, date, b.title).unwrap();
        for a in b.articles.iter() {
            writeln!(out, "  article {}", a.id).unwrap();
            writeln!(out, "    section: {}", opt(&a.section)).unwrap();
            writeln!(out, "    kicker: {}", opt(&a.kicker)).unwrap();
            let derived = if a.title_derived { " (derived)" } else { "" };
            writeln!(out, "    title: {}{derived}", a.title).unwrap();
            writeln!(out, "    subtitle: {}", opt(&a.subtitle)).unwrap();
            writeln!(out, "    captions: {}", a.captions.join(" | ")).unwrap();
            let first = a.paragraphs.first().map_or(String::new(), |p| head(p, 10));
            let last = a.paragraphs.last().map_or(String::new(), |p| tail(p, 10));
            writeln!(out, "    paragraphs: {} «{first}…{last}»", a.paragraphs.len()).unwrap();
            writeln!(out, "    districts: {}", a.districts.join(" ")).unwrap();
        }
    }
    out
}

#[test]
fn seeds_match_the_golden_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/seeds.txt");
    let got = render(&bundled());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).expect("golden file; create it with UPDATE_GOLDEN=1");
    if got != want {
        for (g, w) in got.lines().zip(want.lines()).filter(|(g, w)| g != w) {
            eprintln!("- {w}\n+ {g}");
        }
        panic!("seeds differ from tests/golden/seeds.txt (see the lines above)");
    }
}

#[test]
fn seeds_are_26_articles_in_date_order() {
    let c = bundled();
    assert_eq!(c.article_count(), 26);
    let dates: Vec<String> = c.bulletins.iter().map(|b| b.date.unwrap().to_string()).collect();
    assert_eq!(dates, ["2023-05", "2023-07", "2023-11", "2024-03", "2024-04"]);
}

#[test]
fn ids_are_stable_and_resolve() {
    let (a, b) = (bundled(), bundled());
    let ids = |c: &Corpus| c.bulletins.iter().flat_map(|b| b.articles.iter().map(|a| a.id.clone())).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    for id in ids(&a) {
        assert_eq!(a.article(&id).unwrap().1.id, id);
    }
}
