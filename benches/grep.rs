//! Full-text search benchmark: `GREP_ARCHIVE=DIR cargo bench --bench grep` (run by
//! `scripts/bench-grep.sh`, which makes the archive). Loads the archive once, then per query,
//! interleaved in the same loop so both see the same machine load:
//! - `rg -c QUERY DIR` (ripgrep's whole process: the anchor);
//! - kanbao's search over the loaded corpus, plus the snippets of one screen of results (what
//!   the reader does between a keystroke and painting the results).
//!
//! Prints median and worst of each. Figures go in the README; none of this is a test.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::search::{Query, search, snippet};
use kanbao::domain::width::Ambiguous;

const QUERIES: &[&str] = &["拔河", "送清凉", "工会", "职工 服务", "\"劳模 工匠\"", "!重庆", "app", "困难职工帮扶"];

/// Rows of results the reader paints at 200x50: their snippets are built per keystroke.
const SCREEN_ROWS: usize = 48;

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let Some(dir) = std::env::var_os("GREP_ARCHIVE").map(PathBuf::from) else {
        eprintln!("set GREP_ARCHIVE to a folder of bulletins (scripts/bench-grep.sh makes one); skipped");
        return;
    };
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(9);
    let rg = Command::new("rg").arg("--version").output().is_ok();
    if !rg {
        eprintln!("ripgrep (rg) not found: printing kanbao's times alone (apt-get install ripgrep)");
    }

    let t = Instant::now();
    let (corpus, _) = load(std::slice::from_ref(&dir), None, LoadOptions { bundled: false, ..LoadOptions::default() });
    let text_bytes: usize = corpus
        .bulletins
        .iter()
        .flat_map(|b| b.articles.iter())
        .map(|a| a.title.len() + a.paragraphs.iter().chain(&a.captions).map(String::len).sum::<usize>())
        .sum();
    println!(
        "loaded {} bulletins, {} articles, {:.1} MB of article text in {} (parse, no cache; apart from the figures below)",
        corpus.bulletins.len(),
        corpus.article_count(),
        text_bytes as f64 / 1e6,
        ms(t.elapsed())
    );
    println!("{runs} runs per query, interleaved; median / worst\n");
    println!(
        "{:<16} {:>8} {:>22} {:>22} {:>7}",
        "query", "articles", "kanbao search+screen", "rg -c (whole process)", "ratio"
    );
    for q in QUERIES {
        let query = Query::parse(q).expect("bench queries parse");
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let mut found = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let results = search(&corpus, &query);
            for f in results.iter().take(SCREEN_ROWS) {
                let a = &corpus.bulletins[f.bulletin].articles[f.article];
                if let Some(hit) = &f.first {
                    let text = hit.field.text(a);
                    std::hint::black_box(snippet(text, &query.find(text), hit.chars.clone(), 120, Ambiguous::Narrow));
                }
            }
            ours.push(t.elapsed());
            found = results.len();
            if rg {
                // rg's pattern: the query's first term as a literal (rg has no exclusions or phrases).
                let pattern = query.wanted().next().map_or(q.trim_start_matches('!').to_string(), |t| t.text.clone());
                let t = Instant::now();
                let status = Command::new("rg")
                    .args(["-c", "--fixed-strings", "--", &pattern])
                    .arg(&dir)
                    .stdout(Stdio::null())
                    .status()
                    .expect("rg runs");
                theirs.push(t.elapsed());
                assert!(status.code().is_some_and(|c| c <= 1), "rg failed");
            }
        }
        let (om, ow) = stats(ours);
        let (rm, rw) = if rg { stats(theirs) } else { (Duration::ZERO, Duration::ZERO) };
        let ratio = if rg { format!("{:.2}", om.as_secs_f64() / rm.as_secs_f64()) } else { "-".into() };
        println!(
            "{:<16} {:>8} {:>22} {:>22} {:>7}",
            q,
            found,
            format!("{} / {}", ms(om), ms(ow)),
            format!("{} / {}", ms(rm), ms(rw)),
            ratio
        );
    }
}
