//! One 1 MB paragraph, in process: `cargo bench --bench paragraph`. What opening it, going to
//! its end (`G`), a resize there and paging back cost with the lazy layout (`flow`), beside
//! laying it out whole. Medians and worst of repeated runs, each on a fresh `Flow` (nothing
//! cached), release build. The reader against `less` is scripts/bench-paragraph.py.

use std::hint::black_box;
use std::time::{Duration, Instant};

use kanbao::domain::flow::Flow;
use kanbao::domain::layout::{LayoutOptions, layout_paragraph};
use kanbao::domain::width::Ambiguous;

/// (median, worst, runs) of `f` over enough runs to fill about `budget`.
fn timed<T>(budget: Duration, mut f: impl FnMut() -> T) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 1000) {
        let t = Instant::now();
        black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], times.len())
}

/// A deterministic pseudo-random stream (the same text on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n
    }
}

/// Chinese with the punctuation the rules care about (，。、“”（）……——, numbers).
fn cjk(bytes: usize) -> String {
    let han: Vec<char> =
        "重庆市总工会召开会议职工代表出席劳模工匠服务基层建设发展新时代工作品牌区县组织学习宣传贯彻精神"
            .chars()
            .collect();
    let mut r = Lcg(12);
    let mut s = String::new();
    while s.len() < bytes {
        let word: String = (0..3 + r.next(18)).map(|_| han[r.next(han.len())]).collect();
        match r.next(10) {
            0 => s.push_str(&format!("“{word}”")),
            1 => s.push_str(&format!("（{word}）")),
            2 => s.push_str(&format!("{word}……")),
            3 => s.push_str(&format!("{word}——")),
            4 => s.push_str(&format!("{word}{}年", r.next(2025))),
            5 | 6 => s.push_str(&format!("{word}。")),
            _ => s.push_str(&format!("{word}，")),
        }
    }
    s
}

/// English words with commas and full stops.
fn latin(bytes: usize) -> String {
    let words = "the union workers committee district meeting report annual safety training members labour \
                 model craftsmen service representatives congress welfare"
        .split(' ')
        .collect::<Vec<_>>();
    let mut r = Lcg(12);
    let mut s = String::new();
    while s.len() < bytes {
        s.push_str(words[r.next(words.len())]);
        if r.next(12) == 0 {
            s.push([',', '.', ';'][r.next(3)]);
        }
        s.push(' ');
    }
    s.trim_end().to_string()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let budget = Duration::from_secs(3);
    let opts = LayoutOptions { width: 76, mode: Ambiguous::Narrow, indent: true };
    let narrow = LayoutOptions { width: 58, ..opts };
    println!("| 1 MB paragraph, 76 columns | CJK median / worst | Latin median / worst |");
    println!("|---|---|---|");
    let texts = [cjk(1 << 20), latin(1 << 20)];
    let row = |label: &str, f: &dyn Fn(&str) -> (Duration, Duration, usize)| {
        let cells: Vec<String> = texts
            .iter()
            .map(|t| {
                let (m, w, n) = f(t);
                format!("{} / {} ({n} runs)", ms(m), ms(w))
            })
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    };
    row("open: the first 24 lines", &|t| timed(budget, || Flow::new(t, opts).lines_from(t, 0, 24)));
    row("`G`: the last 24 lines", &|t| {
        timed(budget, || {
            let mut f = Flow::new(t, opts);
            let last = f.last_line(t).map_or(0, |l| l.start);
            let mut start = last;
            for _ in 0..23 {
                start = f.prev_line(t, start).map_or(start, |l| l.start);
            }
            f.lines_from(t, start, 24)
        })
    });
    row("resize at the end (76 -> 58 columns): 24 lines there", &|t| {
        let mut at76 = Flow::new(t, opts);
        let end = at76.last_line(t).map_or(0, |l| l.start);
        timed(budget, || Flow::new(t, narrow).lines_from(t, end, 24))
    });
    row("resize two thirds in: 24 lines there", &|t| {
        let at = t.chars().count() * 2 / 3;
        timed(budget, || Flow::new(t, narrow).lines_from(t, at, 24))
    });
    row("after `G`, 24 pages back (`b` x24)", &|t| {
        let mut f = Flow::new(t, opts);
        let end = f.last_line(t).map_or(0, |l| l.start);
        timed(budget, || {
            let mut g = f.clone();
            let mut start = end;
            for _ in 0..24 * 24 {
                start = g.prev_line(t, start).map_or(start, |l| l.start);
            }
            start
        })
    });
    row("whole layout (before: done at open, twice, and at every resize)", &|t| {
        timed(budget, || layout_paragraph(t, opts))
    });
}
