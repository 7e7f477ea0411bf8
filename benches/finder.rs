//! Finder benchmarks: `cargo bench --bench finder`. Medians of repeated runs, release build.
//! Per keystroke: every prefix of a query, as typed, over 100k and 1M synthetic titles.
//! Figures go in the README; none of this is a test (shared machines are noisy).
//!
//! Each keystroke is timed twice: wall time, and the process's CPU time (every thread's, so on
//! an idle machine the wall time is at most the CPU time; on a machine busy with other work the
//! CPU time is the figure that does not depend on the neighbours). `FINDER_SIZES=100000` runs
//! one size only.
//!
//! Titles are generated in-process with a seeded RNG, in the shapes of `scripts/gen-titles.py`
//! (same vocabulary, not the same file). `FINDER_TITLES=path` benches a file instead.

use std::hint::black_box;
use std::time::{Duration, Instant};

use kanbao::domain::districts::Gazetteer;
use kanbao::domain::finder::{Entry, Finder, filter_lines, filter_ranked};
use kanbao::domain::pinyin;

/// Median wall time of `f` over enough runs to fill about `budget`.
fn median(budget: Duration, f: impl FnMut()) -> Duration {
    median_after(budget, || {}, f).0
}

/// CPU time used so far by the whole process (all threads).
fn cpu_now() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Median wall time and median CPU time of `f`, each run after an untimed `setup`.
fn median_after(budget: Duration, mut setup: impl FnMut(), mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 10_000) {
        setup();
        let (t, c) = (Instant::now(), cpu_now());
        f();
        times.push(t.elapsed());
        cpus.push(cpu_now().saturating_sub(c));
    }
    times.sort();
    cpus.sort();
    (times[times.len() / 2], cpus[cpus.len() / 2])
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const BODIES: &[&str] = &["总工会", "工会", "职工服务中心", "女职工委员会", "工人文化宫", "劳模协会", "机关工会"];
const CITY: &[&str] = &["市总工会", "重庆市总工会", "市国防邮电工会", "市化医农林水利工会", "全市各级工会"];
const ACTIONS: &[&str] = &["举办", "开展", "召开", "启动", "发布", "组织", "举行", "推进", "表彰", "走访慰问"];
const EVENTS: &[&str] = &[
    "职工技能大赛",
    "劳动和技能竞赛",
    "职工文艺展演",
    "劳模工匠宣讲活动",
    "职工运动会",
    "健步走活动",
    "“金秋助学”活动",
    "送清凉活动",
    "困难职工帮扶",
    "工会干部培训班",
    "常委(扩大)会议",
    "职工之家建设",
    "户外劳动者服务站点亮",
    "心理健康讲座",
    "新就业形态劳动者入会",
    "安康杯竞赛",
    "职工书屋读书会",
    "春送岗位招聘会",
    "快递员技能比赛",
    "庆五一文体嘉年华",
];
const TAILS: &[&str] = &[
    "全面建设现代化新重庆",
    "奋进新征程 勇担新使命",
    "展现职工风采",
    "凝聚“渝工”奋斗力量",
    "服务职工暖人心",
    "助力成渝地区双城经济圈建设",
    "劳模精神鼓干劲",
];
const SECTIONS: &[&str] = &["渝工铸魂", "渝工建功", "渝工之家", "渝工港湾", "渝工暖心", "图片新闻"];

/// `n` synthetic articles: title, section, the district named in the title, a date.
fn synthetic(n: usize) -> Vec<Entry> {
    let gz = Gazetteer::bundled();
    let names: Vec<&str> = gz.districts().iter().map(|d| d.name.as_str()).collect();
    let short: Vec<&str> = gz.districts().iter().flat_map(|d| d.forms.iter().map(String::as_str)).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let mut districts = Vec::new();
            let who = if rng.chance(0.7) {
                let d = if rng.chance(0.8) { rng.pick(&names) } else { rng.pick(&short) };
                districts.push(gz.lookup(d).map_or(d.to_string(), |x| x.name.clone()));
                format!("{d}{}", rng.pick(BODIES))
            } else {
                rng.pick(CITY).to_string()
            };
            let mut title = format!("{who}{}{}", rng.pick(ACTIONS), rng.pick(EVENTS));
            if rng.chance(0.3) {
                title = format!("{}年{title}", 2019 + rng.below(7));
            }
            if rng.chance(0.45) {
                title = format!("{title} {}", rng.pick(TAILS));
            }
            let date = Some((2019 + rng.below(7) as i32, 1 + rng.below(12) as u32));
            let section = rng.chance(0.6).then(|| rng.pick(SECTIONS).to_string());
            Entry { id: format!("{i}"), date, title, section, districts, ..Default::default() }
        })
        .collect()
}

/// Every prefix of `q` by chars, as typed.
fn prefixes(q: &str) -> Vec<String> {
    q.char_indices().map(|(i, c)| q[..i + c.len_utf8()].to_string()).collect()
}

const QUERIES: &[&str] = &["璧山", "劳模工匠", "bs", "bsq", "bishan", "laomo", "cq", "gh zg", "@bs 竞赛"];

fn main() {
    let budget = Duration::from_millis(600);

    let t = Instant::now();
    pinyin::warm();
    println!("pinyin table, built once on the first Latin query: {:?}", t.elapsed());

    let mut titles_1m: Vec<String> = match std::env::var("FINDER_TITLES") {
        Ok(path) => std::fs::read_to_string(path).expect("FINDER_TITLES file").lines().map(String::from).collect(),
        Err(_) => Vec::new(),
    };
    let sizes: Vec<usize> = std::env::var("FINDER_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    for n in sizes {
        let entries = synthetic(n);
        let moved = entries.clone();
        let t = Instant::now();
        let finder = Finder::new(moved);
        let new = t.elapsed();
        let t = Instant::now();
        finder.prepare();
        println!("\n{n} articles: Finder::new {new:?}, prepare (first search) {:?}", t.elapsed());
        if titles_1m.len() < n {
            titles_1m = entries.iter().map(|e| e.title.clone()).collect();
        }
        let titles = &titles_1m[..n];
        for q in QUERIES {
            let mut worst = Duration::ZERO;
            let mut worst_cpu = Duration::ZERO;
            let mut per_key = Vec::new();
            let mut before = String::new();
            for p in prefixes(q) {
                // As typed: the search for the previous keystroke has just run (the finder narrows
                // from it, as fzf does); the first keystroke follows the empty query's list.
                let (d, cpu) = median_after(
                    budget,
                    || {
                        black_box(finder.search(&before, 200));
                    },
                    || {
                        black_box(finder.search(&p, 200));
                    },
                );
                before = p;
                worst = worst.max(d);
                worst_cpu = worst_cpu.max(cpu);
                per_key.push(format!("{:.1}/{:.1}", d.as_secs_f64() * 1e3, cpu.as_secs_f64() * 1e3));
            }
            let hits = finder.search(q, usize::MAX).len();
            let lines = median(budget, || {
                black_box(filter_lines(titles, q));
            });
            let ranked = median(budget, || {
                black_box(filter_ranked(titles, q));
            });
            println!(
                "  {q:<10} per keystroke wall/cpu ms [{}] worst {:.1}/{:.1} ms ({hits} hits) | filter_lines {:.1} ms, filter_ranked {:.1} ms",
                per_key.join(" "),
                worst.as_secs_f64() * 1e3,
                worst_cpu.as_secs_f64() * 1e3,
                lines.as_secs_f64() * 1e3,
                ranked.as_secs_f64() * 1e3,
            );
        }
    }
}
