//! Core benchmarks: `cargo bench --bench core`. Medians of repeated runs, release build.
//! Figures go in the README; none of this is a test (shared machines are noisy).

use std::hint::black_box;
use std::time::{Duration, Instant};

use kanbao::domain::dates::infer_date;
use kanbao::domain::districts::Gazetteer;
use kanbao::domain::layout::{LayoutOptions, layout_paragraph};
use kanbao::domain::load::load;
use kanbao::domain::load::{LoadOptions, bundled_sources, parse_source};
use kanbao::domain::page;
use kanbao::domain::parse::SectionVocab;
use kanbao::domain::width::Ambiguous;

/// Median wall time of `f` over enough runs to fill about `budget`.
fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 10_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let budget = Duration::from_secs(2);
    let sources = bundled_sources();
    let vocab = SectionVocab::bundled();
    let opts = LoadOptions { bundled: true, ..Default::default() };

    let per_file = median(budget, || {
        for s in &sources {
            black_box(parse_source(s, &opts, &vocab).unwrap());
        }
    }) / sources.len() as u32;
    println!("parse (decode+sanitize+structure+districts+dates), per bundled bulletin: {per_file:?}");

    let (corpus, _) = load(&[], None, opts.clone());
    for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
        let t = median(budget, || {
            for b in &corpus.bulletins {
                for a in b.articles.iter() {
                    black_box(page::rows(b, a, 80, mode, true));
                }
            }
        });
        println!(
            "layout of the whole bundled corpus ({} articles) at 80 columns, {mode}: {t:?}",
            corpus.article_count()
        );
    }

    // A 2 MB article: the seeds' paragraphs repeated, laid out whole at 80 columns.
    let paragraphs: Vec<&str> = corpus
        .bulletins
        .iter()
        .flat_map(|b| b.articles.iter().flat_map(|a| a.paragraphs.iter().map(String::as_str)))
        .collect();
    let mut big = Vec::new();
    let mut bytes = 0;
    while bytes < 2 * 1024 * 1024 {
        for p in &paragraphs {
            bytes += p.len();
            big.push(*p);
        }
    }
    let t = median(budget, || {
        for p in &big {
            black_box(layout_paragraph(p, LayoutOptions { width: 80, mode: Ambiguous::Narrow, indent: true }));
        }
    });
    println!("layout of a {:.1} MB article ({} paragraphs) at 80 columns: {t:?}", bytes as f64 / 1048576.0, big.len());

    let one = big.concat();
    let t = median(budget, || {
        black_box(layout_paragraph(&one, LayoutOptions { width: 80, mode: Ambiguous::Narrow, indent: true }));
    });
    println!("layout of one {:.1} MB paragraph at 80 columns: {t:?}", one.len() as f64 / 1048576.0);

    // Date inference on one sentence of 30 000 year/date pairs and no 。 (it once rescanned).
    let dense = "将1月1日2023年".repeat(30_000);
    let t = median(budget, || {
        black_box(infer_date(&[dense.as_str()]));
    });
    println!("date inference over one {} KB unpunctuated paragraph: {t:?}", dense.len() / 1024);

    // District search through 280 000 characters of near misses (合川片区, 大足球).
    let near = "成都市合川片区繁荣昌盛大足球".repeat(20_000);
    let t = median(budget, || {
        black_box(Gazetteer::bundled().find_in(&near));
    });
    println!("districts in {} KB of near misses: {t:?}", near.len() / 1024);
}
