//! The fuzzy finder: articles by Hanzi, pinyin or pinyin initials, in fzf's query syntax.
//!
//! Query: space-separated terms, all of which must match (AND). A term is matched against the
//! title, kicker, subtitle, section and districts (every written form: 秀山县 finds
//! 秀山土家族苗族自治县). Sigils, as in fzf: `'term` exact substring (no fuzz; for Latin, whole
//! pinyin syllables), `^term` title starts with, `!term` exclude articles where the term occurs
//! (exactly, as fzf's `!`), `@term` the article's districts must match. They combine: `!@bs`.
//!
//! A term with Hanzi is matched as Hanzi only (SkimMatcherV2 fuzz). A Latin term is matched
//! both literally (SkimMatcherV2, for the Latin in titles) and as pinyin ([`super::pinyin`]:
//! syllable-aligned, contiguous, heteronyms), keeping the better.
//!
//! Ranking: per term, a title hit outranks a kicker or subtitle hit, which outranks a section or
//! district hit (tiers, so no fuzz score can cross them); within a tier, SkimMatcherV2's
//! score (contiguous beats scattered, word starts win); terms add up; newer breaks ties.
//! Highlights are char indices into the title.
//!
//! Speed: nothing is computed in [`Finder::new`]; the search data (sections and districts
//! interned, so each is matched once per query; titles' pinyin tokens, only once a Latin query
//! comes) is built on the first search, or ahead of it with [`Finder::prepare`]. As in fzf, a
//! query that extends the previous one only looks at the previous matches. Large lists are
//! split over the cores with std threads. Highlights are computed for the hits returned only.
//! `cargo bench --bench finder` has the figures.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::corpus::{Article, Bulletin, Corpus};
use super::districts::Gazetteer;
use super::pinyin::{self, Tok};

mod lines;
mod query;

pub use lines::{filter_lines, filter_ranked};
use query::{Ctx, Matcher, Mode, Pos, narrows, push_positions};
pub use query::{Term, TermKind, parse_query};

/// What the finder knows of one article (built by the caller from the corpus).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// (year, month), for "newer first".
    pub date: Option<(i32, u32)>,
    pub title: String,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    pub section: Option<String>,
    /// Canonical district names.
    pub districts: Vec<String>,
}

impl Entry {
    /// The finder's view of an article of the corpus.
    pub fn of(bulletin: &Bulletin, article: &Article) -> Entry {
        Entry {
            id: article.id.clone(),
            date: bulletin.date.map(|d| (d.year, d.month)),
            title: article.title.clone(),
            kicker: article.kicker.clone(),
            subtitle: article.subtitle.clone(),
            section: article.section.clone(),
            districts: article.districts.clone(),
        }
    }
}

/// Every article of the corpus, in corpus order, with its (bulletin, article) indices.
pub fn corpus_entries(corpus: &Corpus) -> (Vec<Entry>, Vec<(usize, usize)>) {
    corpus
        .bulletins
        .iter()
        .enumerate()
        .flat_map(|(b, bulletin)| {
            bulletin.articles.iter().enumerate().map(move |(a, article)| (Entry::of(bulletin, article), (b, a)))
        })
        .unzip()
}

/// Where an article's best hit was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Field {
    #[default]
    Title,
    Kicker,
    Subtitle,
    Section,
    District,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into the finder's entries.
    pub index: usize,
    pub score: i64,
    /// Char (not byte) indices into the title to highlight, strictly increasing.
    pub title_matches: Vec<usize>,
    pub field: Field,
}

/// Score tiers per term: any title hit outranks any kicker/subtitle hit, which outranks any
/// section/district hit. Raw scores are clamped below one tier.
const TIER: i64 = 10_000;

/// Bonus for a title hit where the title names one of the article's districts and the term
/// matches that district too.
const CORROBORATED: i64 = 8;

fn tier(field: Field) -> i64 {
    match field {
        Field::Title => 3 * TIER,
        Field::Kicker | Field::Subtitle => 2 * TIER,
        Field::Section | Field::District => TIER,
    }
}

fn weigh(field: Field, raw: i64) -> i64 {
    tier(field) + raw.clamp(1, TIER - 1)
}

/// Search data built on first use: sections and districts interned, so each is matched once per
/// query rather than once per article.
struct Index {
    sections: Vec<String>,
    entry_section: Vec<Option<u32>>,
    /// Per distinct district: every written form (canonical first).
    districts: Vec<Vec<String>>,
    entry_districts: Vec<Vec<u32>>,
    /// Entries newest first (undated last, then in corpus order): the empty query's list.
    newest: Vec<u32>,
    /// Each entry's place in `newest`: the tie-break, one integer compare.
    rank: Vec<u32>,
}

impl Index {
    fn build(entries: &[Entry]) -> Index {
        let gz = Gazetteer::bundled();
        let mut section_ids: HashMap<&str, u32> = HashMap::new();
        let mut sections = Vec::new();
        let mut district_ids: HashMap<&str, u32> = HashMap::new();
        let mut districts = Vec::new();
        let mut entry_section = Vec::with_capacity(entries.len());
        let mut entry_districts = Vec::with_capacity(entries.len());
        for e in entries {
            entry_section.push(e.section.as_deref().map(|s| {
                *section_ids.entry(s).or_insert_with(|| {
                    sections.push(s.to_string());
                    (sections.len() - 1) as u32
                })
            }));
            let ids = e.districts.iter().map(|d| {
                *district_ids.entry(d.as_str()).or_insert_with(|| {
                    districts.push(written_forms(gz, d));
                    (districts.len() - 1) as u32
                })
            });
            entry_districts.push(ids.collect());
        }
        let mut newest: Vec<u32> = (0..entries.len() as u32).collect();
        newest.sort_by(|&a, &b| newer_first(entries[a as usize].date, entries[b as usize].date).then(a.cmp(&b)));
        let mut rank = vec![0u32; entries.len()];
        for (r, &i) in newest.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        Index { sections, entry_section, districts, entry_districts, newest, rank }
    }
}

/// Pinyin tokens of every title, kicker and subtitle, in one buffer: the scan over them is a
/// table lookup per character, without decoding UTF-8 again on every keystroke.
#[derive(Default)]
struct Tokens {
    flat: Vec<Tok>,
    /// Per entry: where its title, kicker, subtitle start and where the subtitle ends.
    offsets: Vec<[u32; 4]>,
}

impl Tokens {
    fn build(entries: &[Entry]) -> Tokens {
        let table = pinyin::Table::get();
        let mut flat = Vec::with_capacity(entries.iter().map(|e| e.title.len() / 3 + 4).sum());
        let mut offsets = Vec::with_capacity(entries.len());
        for e in entries {
            let mut o = [0u32; 4];
            for (k, text) in [Some(&e.title), e.kicker.as_ref(), e.subtitle.as_ref()].into_iter().enumerate() {
                o[k] = flat.len() as u32;
                if let Some(t) = text {
                    table.tokenize(t, &mut flat);
                }
            }
            o[3] = flat.len() as u32;
            offsets.push(o);
        }
        Tokens { flat, offsets }
    }

    fn part(&self, i: usize, k: usize) -> Option<&[Tok]> {
        let o = self.offsets.get(i)?;
        Some(&self.flat[o[k] as usize..o[k + 1] as usize])
    }

    fn title(&self, i: usize) -> Option<&[Tok]> {
        self.part(i, 0)
    }

    fn kicker(&self, i: usize) -> Option<&[Tok]> {
        self.part(i, 1)
    }

    fn subtitle(&self, i: usize) -> Option<&[Tok]> {
        self.part(i, 2)
    }
}

/// A district's canonical name, its other forms and its bare name; just the name when the
/// gazetteer does not know it.
pub(super) fn written_forms(gz: &Gazetteer, name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    if let Some(d) = gz.lookup(name) {
        forms.extend(d.forms.iter().cloned());
        forms.extend(d.bare.iter().cloned());
    }
    forms
}

/// Below this many items one thread is faster than starting more.
pub(super) const PARALLEL_MIN: usize = 16_384;

fn threads_for(n: usize) -> usize {
    if n < PARALLEL_MIN {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |p| p.get()).min(4)
}

/// Runs `f` over `0..n` split into contiguous chunks, one per thread, and concatenates.
pub(crate) fn par_chunks<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync) -> Vec<Vec<T>> {
    let threads = threads_for(n);
    if threads == 1 {
        return vec![f(0..n)];
    }
    let step = n.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..threads).map(|t| (t * step)..((t + 1) * step).min(n)).map(|r| s.spawn(|| f(r))).collect();
        handles.into_iter().map(|h| h.join().expect("finder worker panicked")).collect()
    })
}

/// The article finder.
pub struct Finder {
    entries: Vec<Entry>,
    index: OnceLock<Index>,
    /// Pinyin tokens of titles, kickers and subtitles: built on the first Latin query.
    tokens: OnceLock<Tokens>,
    /// The last search, to narrow the next one as the user types on.
    last: Mutex<Option<Arc<Narrowing>>>,
}

impl Finder {
    /// Cheap: no pinyin or search data is built here.
    pub fn new(entries: Vec<Entry>) -> Finder {
        Finder { entries, index: OnceLock::new(), tokens: OnceLock::new(), last: Mutex::new(None) }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Builds the search data and the pinyin table now (e.g. on a background thread after the
    /// first frame), so the first keystroke does not pay for them.
    pub fn prepare(&self) {
        self.index();
        self.tokens();
    }

    fn tokens(&self) -> &Tokens {
        self.tokens.get_or_init(|| Tokens::build(&self.entries))
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(&self.entries))
    }

    /// Articles matching `query`, best first, at most `limit`. An empty query lists all
    /// articles, newest first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let parsed = parse_query(query);
        let index = self.index();
        // Typing on narrows: only the previous query's matches can match (fzf does the same).
        let previous = self.last.lock().ok().and_then(|c| c.clone()).filter(|c| narrows(&c.terms, &parsed));
        if parsed.is_empty() {
            self.remember(parsed, None);
            let hit = |&i: &u32| Hit { index: i as usize, score: 0, title_matches: Vec::new(), field: Field::Title };
            return index.newest.iter().take(limit).map(hit).collect();
        }
        let terms: Vec<Matcher> = parsed.iter().cloned().map(Matcher::new).collect();
        // Hanzi-only queries never touch pinyin, so they never build its data.
        let no_tokens = Tokens::default();
        let toks = if terms.iter().any(|m| m.pinyin.is_some()) { self.tokens() } else { &no_tokens };
        let mut ctx = Ctx::default();
        // Sections and districts are few: match each once per term.
        let per_term = terms
            .iter()
            .map(|m| {
                let mut score = |t: &str| m.score(t, None, false, &mut ctx).map(|(r, _)| r);
                let sections =
                    if m.term.districts_only { Vec::new() } else { index.sections.iter().map(|s| score(s)).collect() };
                let districts =
                    index.districts.iter().map(|forms| forms.iter().filter_map(|f| score(f)).max()).collect();
                (sections, districts)
            })
            .collect();
        let run = Run { terms, per_term, index, toks };

        // First pass: scores only, in compact records. Highlights cost an allocation and only
        // the hits shown need them.
        let candidates = previous.as_ref().and_then(|c| c.matched.as_deref());
        let n = candidates.map_or(self.entries.len(), <[u32]>::len);
        let chunks = par_chunks(n, |range| {
            let mut ctx = Ctx::default();
            let mut out = Vec::new();
            for k in range {
                let i = candidates.map_or(k, |c| c[k] as usize);
                if let Some((score, _, _)) = self.score_entry(i, &run, false, &mut ctx) {
                    out.push(Scored { score, rank: index.rank[i], index: i as u32 });
                }
            }
            out
        });
        let mut scored: Vec<Scored> = chunks.into_iter().flatten().collect();
        self.remember(parsed, Some(scored.iter().map(|s| s.index).collect()));

        let order = |a: &Scored, b: &Scored| b.score.cmp(&a.score).then(a.rank.cmp(&b.rank));
        if limit < scored.len() {
            if limit == 0 {
                return Vec::new();
            }
            scored.select_nth_unstable_by(limit - 1, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
        scored
            .into_iter()
            .map(|s| {
                let i = s.index as usize;
                let (_, field, title_matches) = self.score_entry(i, &run, true, &mut ctx).unwrap_or_default();
                Hit { index: i, score: s.score, title_matches, field }
            })
            .collect()
    }

    fn remember(&self, terms: Vec<Term>, matched: Option<Vec<u32>>) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Arc::new(Narrowing { terms, matched }));
        }
    }

    /// An article's score, best field and (when `want_pos`) title highlights; `None` when the
    /// query leaves it out.
    fn score_entry(&self, i: usize, run: &Run, want_pos: bool, ctx: &mut Ctx) -> Option<(i64, Field, Vec<usize>)> {
        let e = &self.entries[i];
        let toks = run.toks;
        let districts = &run.index.entry_districts[i];
        let section = run.index.entry_section[i];
        let mut total = 0i64;
        let mut best_field: Option<(i64, Field)> = None;
        let mut title_matches: Vec<usize> = Vec::new();
        // Whether an `@` term let the article in: its field when no other term matched.
        let mut by_district = false;
        for (m, (sec_scores, dist_scores)) in run.terms.iter().zip(&run.per_term) {
            let in_districts = districts.iter().filter_map(|&d| dist_scores[d as usize]).max();
            if m.term.districts_only {
                if in_districts.is_some() == m.term.negate {
                    return None;
                }
                by_district |= !m.term.negate;
                continue;
            }
            if m.mode == Mode::Prefix {
                // `^` is about the title alone.
                let hit = m.score(&e.title, toks.title(i), want_pos && !m.term.negate, ctx);
                match (hit, m.term.negate) {
                    (Some(_), true) | (None, false) => return None,
                    (Some((raw, pos)), false) => {
                        let w = weigh(Field::Title, raw);
                        total += w;
                        if want_pos {
                            push_positions(&mut title_matches, pos);
                        }
                        keep_better(&mut best_field, w, Field::Title);
                    }
                    (None, true) => {}
                }
                continue;
            }
            if m.term.negate {
                let found = in_districts.is_some()
                    || section.is_some_and(|s| sec_scores[s as usize].is_some())
                    || m.matches(&e.title, toks.title(i), ctx)
                    || e.kicker.as_deref().is_some_and(|k| m.matches(k, toks.kicker(i), ctx))
                    || e.subtitle.as_deref().is_some_and(|s| m.matches(s, toks.subtitle(i), ctx));
                if found {
                    return None;
                }
                continue;
            }
            let mut best: Option<(i64, Field)> = None;
            let mut pos = Pos::None;
            if let Some((raw, p)) = m.score(&e.title, toks.title(i), want_pos, ctx) {
                best = Some((weigh(Field::Title, raw), Field::Title));
                pos = p;
            }
            for (field, text, tk) in
                [(Field::Kicker, &e.kicker, toks.kicker(i)), (Field::Subtitle, &e.subtitle, toks.subtitle(i))]
            {
                if let Some((raw, _)) = text.as_deref().and_then(|t| m.score(t, tk, false, ctx)) {
                    keep_better(&mut best, weigh(field, raw), field);
                }
            }
            if let Some(raw) = section.and_then(|s| sec_scores[s as usize]) {
                keep_better(&mut best, weigh(Field::Section, raw), Field::Section);
            }
            if let Some(raw) = in_districts {
                keep_better(&mut best, weigh(Field::District, raw), Field::District);
            }
            let (mut w, field) = best?;
            if field == Field::Title {
                // Highlight a term's title hit only where the title is why the article is here.
                if want_pos {
                    push_positions(&mut title_matches, pos);
                }
                // The title names one of the article's districts that the term matches: the hit
                // is about the place (`bs`: 璧山区总工会… over 办实事…).
                let names_district = districts.iter().any(|&d| {
                    dist_scores[d as usize].is_some()
                        && run.index.districts[d as usize].iter().any(|f| e.title.contains(f.as_str()))
                });
                if names_district {
                    w += CORROBORATED;
                }
            }
            total += w;
            keep_better(&mut best_field, w, field);
        }
        let field = best_field.map_or(if by_district { Field::District } else { Field::Title }, |(_, f)| f);
        title_matches.sort_unstable();
        title_matches.dedup();
        Some((total, field, title_matches))
    }
}

/// A first-pass hit: 16 bytes, so sorting many is cheap.
struct Scored {
    score: i64,
    rank: u32,
    index: u32,
}

/// One term's scores for each distinct section and each distinct district (`None`: no match).
type Interned = (Vec<Option<i64>>, Vec<Option<i64>>);

/// One search's compiled query and per-query tables.
struct Run<'a> {
    terms: Vec<Matcher>,
    per_term: Vec<Interned>,
    index: &'a Index,
    toks: &'a Tokens,
}

/// The last query and every article it matched (`None`: all).
struct Narrowing {
    terms: Vec<Term>,
    matched: Option<Vec<u32>>,
}

/// Keeps the higher score; on a tie the earlier field (title before the rest).
fn keep_better(best: &mut Option<(i64, Field)>, score: i64, field: Field) {
    if best.is_none_or(|(s, _)| score > s) {
        *best = Some((score, field));
    }
}

/// Newer first; undated last.
fn newer_first(a: Option<(i32, u32)>, b: Option<(i32, u32)>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Districts with their article counts, most articles first, then by pinyin (the order a
/// district list is read in).
pub fn district_counts(entries: &[Entry]) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        // An article naming a district twice counts once.
        let mut seen: Vec<&str> = Vec::new();
        for d in &e.districts {
            if !seen.contains(&d.as_str()) {
                seen.push(d);
                *counts.entry(d).or_default() += 1;
            }
        }
    }
    let gz = Gazetteer::bundled();
    let key = |name: &str| gz.lookup(name).map_or_else(|| name.to_string(), |d| d.pinyin.clone());
    let mut out: Vec<(String, usize, String)> = counts.into_iter().map(|(n, c)| (n.to_string(), c, key(n))).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)).then_with(|| a.0.cmp(&b.0)));
    out.into_iter().map(|(n, c, _)| (n, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, date: (i32, u32), title: &str, districts: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            date: Some(date),
            title: title.into(),
            districts: districts.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn ids(f: &Finder, q: &str) -> Vec<String> {
        f.search(q, usize::MAX).iter().map(|h| f.entries()[h.index].id.clone()).collect()
    }

    #[test]
    fn title_hit_beats_district_only_and_contiguous_beats_scattered() {
        let f = Finder::new(vec![
            entry("district-only, newest", (2025, 1), "总工会召开全会", &["璧山区"]),
            entry("title", (2020, 1), "璧山区举办技能竞赛", &["璧山区"]),
            entry("scattered", (2024, 1), "劳动模范表彰", &[]),
            entry("contiguous", (2021, 1), "劳模精神进校园", &[]),
        ]);
        assert_eq!(ids(&f, "璧山"), ["title", "district-only, newest"]);
        assert_eq!(ids(&f, "bishan"), ["title", "district-only, newest"]);
        assert_eq!(ids(&f, "劳模"), ["contiguous", "scattered"]);
        // Pinyin is contiguous only: 劳动模范 is lao dong mo fan, not lao mo.
        assert_eq!(ids(&f, "laomo"), ["contiguous"]);
    }

    #[test]
    fn newer_breaks_ties_undated_last() {
        let mut undated = entry("undated", (0, 0), "职工运动会", &[]);
        undated.date = None;
        let f = Finder::new(vec![
            undated,
            entry("old", (2023, 5), "职工运动会", &[]),
            entry("new", (2024, 4), "职工运动会", &[]),
        ]);
        assert_eq!(ids(&f, "运动会"), ["new", "old", "undated"]);
        assert_eq!(ids(&f, ""), ["new", "old", "undated"]);
    }

    #[test]
    fn reports_the_field_of_the_best_hit() {
        let mut e = entry("1", (2024, 3), "春风送暖", &["万盛经开区"]);
        e.kicker = Some("劳模三进".into());
        e.subtitle = Some("宣讲活动".into());
        e.section = Some("渝工建功".into());
        let f = Finder::new(vec![e]);
        let field = |q: &str| f.search(q, 1).first().map(|h| h.field);
        assert_eq!(field("春风"), Some(Field::Title));
        assert_eq!(field("三进"), Some(Field::Kicker));
        assert_eq!(field("xuanjiang"), Some(Field::Subtitle));
        assert_eq!(field("jiangong"), Some(Field::Section));
        assert_eq!(field("万盛区"), Some(Field::District));
        assert_eq!(field("wansheng"), Some(Field::District));
        assert_eq!(field("渝工 春风"), Some(Field::Title));
    }

    #[test]
    fn nothing_is_built_until_needed() {
        let f = Finder::new(vec![entry("1", (2024, 3), "璧山区总工会", &["璧山区"])]);
        assert!(f.index.get().is_none() && f.tokens.get().is_none());
        assert_eq!(ids(&f, "璧山"), ["1"]);
        assert!(f.index.get().is_some() && f.tokens.get().is_none(), "a Hanzi query needs no pinyin");
        assert_eq!(ids(&f, "bs"), ["1"]);
        assert!(f.tokens.get().is_some());
    }

    #[test]
    fn narrowed_results_equal_fresh_ones() {
        let entries = vec![
            entry("a", (2024, 3), "春风送暖宣讲忙 劳模精神鼓干劲", &[]),
            entry("b", (2024, 3), "巾帼匠心筑梦 劳模工匠大宣讲", &["铜梁区"]),
            entry("c", (2023, 5), "璧山区总工会发布服务清单", &["璧山区"]),
        ];
        let typed = ["劳", "劳模", "劳模 ", "劳模 !", "劳模 !宣", "劳模 !宣讲", "劳模", "l", "la", "lao", "laom"];
        let f = Finder::new(entries.clone());
        for q in typed {
            assert_eq!(f.search(q, 10), Finder::new(entries.clone()).search(q, 10), "{q}");
        }
    }

    #[test]
    fn district_counts_most_first_then_pinyin() {
        let entries = vec![
            entry("1", (2024, 1), "", &["永川区", "璧山区"]),
            entry("2", (2024, 1), "", &["永川区", "永川区"]),
            entry("3", (2024, 1), "", &["巴南区"]),
        ];
        let got = district_counts(&entries);
        assert_eq!(got, [("永川区".to_string(), 2), ("巴南区".to_string(), 1), ("璧山区".to_string(), 1)]);
    }
}
