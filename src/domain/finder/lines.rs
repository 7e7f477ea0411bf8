//! The same matcher over plain lines, for `kanbao filter` (like `fzf --filter`): no fields, no
//! tiers; `@term` looks at the districts the gazetteer finds in the line.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::query::{Ctx, Matcher, Pos, parse_query, push_positions};
use super::written_forms;
use crate::domain::districts::Gazetteer;
use crate::domain::parallel::par_chunks;

/// The finder's matcher over plain lines, as `fzf --filter`: matching lines best first (ties:
/// shorter in chars without surrounding whitespace, then earlier; with nothing to rank by,
/// input order), with scores and char-index highlights. `^term`: the line starts with it; `@term`: a district the gazetteer finds in
/// the line matches it.
pub fn filter_lines<S: AsRef<str> + Sync>(lines: &[S], query: &str) -> Vec<(usize, i64, Vec<usize>)> {
    filter(lines, query, true)
}

/// [`filter_lines`] without highlights, for output that is not drawn (`kanbao filter` into a
/// pipe): the same lines in the same order, without an allocation per line.
pub fn filter_ranked<S: AsRef<str> + Sync>(lines: &[S], query: &str) -> Vec<(usize, i64)> {
    filter(lines, query, false).into_iter().map(|(i, s, _)| (i, s)).collect()
}

fn filter<S: AsRef<str> + Sync>(lines: &[S], query: &str, want_pos: bool) -> Vec<(usize, i64, Vec<usize>)> {
    let pattern = parse_query(query);
    let sets: Vec<Vec<Matcher>> = pattern.sets.iter().map(|s| s.iter().cloned().map(Matcher::new).collect()).collect();
    let gz = Gazetteer::bundled();
    let mut ctx = Ctx::default();
    // `@` terms: which gazetteer districts each accepts, decided once.
    let district_ok: Vec<Vec<Vec<bool>>> = sets
        .iter()
        .map(|set| {
            set.iter()
                .map(|m| {
                    if !m.term.districts_only {
                        return Vec::new();
                    }
                    gz.districts()
                        .iter()
                        .map(|d| written_forms(gz, &d.name).iter().any(|f| m.matches(f, None, &mut ctx)))
                        .collect()
                })
                .collect()
        })
        .collect();
    // fzf sorts unless every term is an inverse one (and `@` terms give no score either).
    let ranked = pattern.terms().any(|t| !t.negate && !t.districts_only);
    let district_index: HashMap<&str, usize> =
        gz.districts().iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();

    let chunks = par_chunks(lines.len(), |range| {
        let mut ctx = Ctx::default();
        let mut out: Vec<Rec> = Vec::new();
        'line: for i in range {
            let line = lines[i].as_ref();
            let mut total = 0i64;
            let mut pos_all: Vec<usize> = Vec::new();
            for (set, oks) in sets.iter().zip(&district_ok) {
                let mut ok = false;
                for (m, dist_ok) in set.iter().zip(oks) {
                    let hit = if m.term.districts_only {
                        let found = gz
                            .find_in(line)
                            .iter()
                            .any(|d| district_index.get(d).is_some_and(|&k| dist_ok.get(k) == Some(&true)));
                        found.then_some((0, Pos::None))
                    } else {
                        m.score(line, None, want_pos && !m.term.negate, &mut ctx)
                    };
                    match (hit, m.term.negate) {
                        (Some((raw, pos)), false) => {
                            ok = true;
                            total += raw;
                            if want_pos {
                                push_positions(&mut pos_all, pos);
                            }
                            break;
                        }
                        (None, true) => ok = true,
                        _ => {}
                    }
                }
                if !ok {
                    continue 'line;
                }
            }
            pos_all.sort_unstable();
            pos_all.dedup();
            // fzf's tiebreak: the line's length in chars, without surrounding whitespace.
            let len = if ranked { line.trim().chars().count() as u32 } else { 0 };
            out.push(Rec { index: i, score: total, len, pos: pos_all });
        }
        // Sort here, in parallel; the chunks are merged below.
        if ranked {
            out.sort_by(line_order);
        }
        out
    });
    let recs = if ranked {
        merge_sorted(chunks, line_order)
    } else {
        // Nothing to rank by (empty query, only `!` or `@` terms): input order, as fzf keeps it.
        chunks.into_iter().flatten().collect()
    };
    recs.into_iter().map(|r| (r.index, r.score, r.pos)).collect()
}

/// One matching line.
struct Rec {
    index: usize,
    score: i64,
    len: u32,
    pos: Vec<usize>,
}

/// Best score first; ties: shorter (fzf's default `--tiebreak=length`), then earlier.
fn line_order(a: &Rec, b: &Rec) -> Ordering {
    b.score.cmp(&a.score).then(a.len.cmp(&b.len)).then(a.index.cmp(&b.index))
}

/// Merges runs each sorted by `cmp`: the standard stable sort finds the runs and merges them
/// in linear time, so this is the parallel sort's last step.
fn merge_sorted<T>(runs: Vec<Vec<T>>, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let mut out: Vec<T> = runs.into_iter().flatten().collect();
    out.sort_by(cmp);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parallel::PARALLEL_MIN;

    #[test]
    fn filter_lines_ranks_and_highlights() {
        let lines =
            ["以快递之技 展双城之美 快递员技能比赛开赛", "璧山区总工会发布清单", "no pinyin here", "广播体操比赛"];
        let got = filter_lines(&lines, "bs");
        let order: Vec<usize> = got.iter().map(|(i, _, _)| *i).collect();
        assert_eq!(order, [1, 3, 0]);
        assert_eq!(got[0].2, [0, 1]);
        assert_eq!(got[1].2, [4, 5]);
        assert_eq!(filter_ranked(&lines, "bs").iter().map(|(i, _)| *i).collect::<Vec<_>>(), order);
        assert_eq!(filter_lines(&lines, "^gb").iter().map(|(i, _, _)| *i).collect::<Vec<_>>(), [3]);
        assert_eq!(filter_lines(&lines, "@bishan").iter().map(|(i, _, _)| *i).collect::<Vec<_>>(), [1]);
        assert_eq!(filter_lines(&lines, "bs !璧山").len(), 2);
        assert_eq!(filter_lines(&lines, "pinyin").iter().map(|(i, _, p)| (*i, p.len())).collect::<Vec<_>>(), [(2, 6)]);
        assert!(filter_lines(&lines, "zzzz").is_empty());
        // Every line for an empty query, in input order.
        assert_eq!(filter_lines(&lines, "").iter().map(|(i, _, _)| *i).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(filter_lines(&lines, "!璧山").iter().map(|(i, _, _)| *i).collect::<Vec<_>>(), [0, 2, 3]);
    }

    #[test]
    fn filter_lines_in_parallel_matches_one_thread() {
        let lines: Vec<String> =
            (0..PARALLEL_MIN * 2).map(|i| format!("{}区第{i}届职工运动会", ["璧山", "永川", "秀山"][i % 3])).collect();
        let got = filter_lines(&lines, "bs");
        assert_eq!(got.len(), PARALLEL_MIN * 2 / 3 + 1);
        let key = |(i, s, _): &(usize, i64, Vec<usize>)| (-*s, lines[*i].chars().count(), *i);
        assert!(got.windows(2).all(|w| key(&w[0]) < key(&w[1])));
    }
}
