//! Pinyin precision: for each query, how many lines match and which characters were matched
//! (distinct spans, most frequent first), so a reader can judge each one.
//!
//!   cargo run --release --example pinyin_precision -- FILE [QUERY...]
//!
//! Default queries: bs cq gh abc xyz. FILE: one title per line (`scripts/gen-titles.py`, or
//! `kanbao find "" --limit 100000 | cut -f3` for the bundled titles).

use std::collections::HashMap;

use kanbao::domain::finder::filter_lines;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: pinyin_precision FILE [QUERY...]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = ["bs", "cq", "gh", "abc", "xyz"].map(String::from).to_vec();
    }
    for q in &queries {
        let hits = filter_lines(&lines, q);
        let mut spans: HashMap<String, usize> = HashMap::new();
        for (i, _, pos) in &hits {
            let chars: Vec<char> = lines[*i].chars().collect();
            *spans.entry(pos.iter().map(|&p| chars[p]).collect()).or_default() += 1;
        }
        let mut spans: Vec<(String, usize)> = spans.into_iter().collect();
        spans.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let shown: Vec<String> = spans.iter().map(|(s, n)| format!("{s} {n}")).collect();
        println!("{q}: {} of {} lines; spans: {}", hits.len(), lines.len(), shown.join(", "));
    }
}
