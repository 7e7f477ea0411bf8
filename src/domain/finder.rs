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
use std::sync::atomic::{self, AtomicBool};
use std::sync::{Arc, Mutex, OnceLock};

use super::corpus::Corpus;
use super::districts::Gazetteer;
use super::parallel::par_chunks;
use super::pinyin::{self, Tok};

mod lines;
mod packed;
mod query;

pub use lines::{filter_lines, filter_ranked};
pub use packed::EntryRef;
use packed::Packed;
use query::{Ctx, Matcher, Pos, narrows, push_positions};
pub use query::{MAX_TERMS, Pattern, Term, TermKind, parse_query};

/// What the finder knows of one article, made by hand (tests, benchmarks); the finder keeps
/// its entries packed and lends them out as `EntryRef`.
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

/// A corpus's finder, and the (bulletin, article) each of its entries stands for.
#[derive(Clone)]
pub struct CorpusFinder {
    pub finder: Arc<Finder>,
    pub refs: Vec<(usize, usize)>,
}

impl CorpusFinder {
    /// Cheap: its index is built on the first search (or by `Finder::prepare`).
    pub fn of(corpus: &Corpus) -> CorpusFinder {
        let refs = (corpus.bulletins.iter().enumerate())
            .flat_map(|(b, bulletin)| (0..bulletin.articles.len()).map(move |a| (b, a)))
            .collect();
        CorpusFinder { finder: Arc::new(Finder::of_corpus(corpus)), refs }
    }

    /// With its index and pinyin built: for a load's thread, so that a search typed while the
    /// library loads waits for nothing more once it is in.
    pub fn prepared(corpus: &Corpus) -> CorpusFinder {
        let built = CorpusFinder::of(corpus);
        built.finder.prepare();
        built
    }
}

/// The same finder, not an equal one (it is never compared otherwise).
impl PartialEq for CorpusFinder {
    fn eq(&self, other: &CorpusFinder) -> bool {
        Arc::ptr_eq(&self.finder, &other.finder) && self.refs == other.refs
    }
}

impl Eq for CorpusFinder {}

impl std::fmt::Debug for CorpusFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CorpusFinder({} entries)", self.refs.len())
    }
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
    /// Indices into the entry's districts that a term matched there and not in a better
    /// field (an `@` term, or `bishan` on an article that only lists 璧山区): lit too.
    pub district_matches: Vec<usize>,
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
    fn build(entries: &Packed) -> Index {
        let gz = Gazetteer::bundled();
        let mut section_ids: HashMap<&str, u32> = HashMap::new();
        let mut sections = Vec::new();
        let mut district_ids: HashMap<&str, u32> = HashMap::new();
        let mut districts = Vec::new();
        let mut entry_section = Vec::with_capacity(entries.len());
        let mut entry_districts = Vec::with_capacity(entries.len());
        for e in entries.iter() {
            entry_section.push(e.section.map(|s| {
                *section_ids.entry(s).or_insert_with(|| {
                    sections.push(s.to_string());
                    (sections.len() - 1) as u32
                })
            }));
            let ids = e.districts().map(|d| {
                *district_ids.entry(d).or_insert_with(|| {
                    districts.push(written_forms(gz, d));
                    (districts.len() - 1) as u32
                })
            });
            entry_districts.push(ids.collect());
        }
        let mut newest: Vec<u32> = (0..entries.len() as u32).collect();
        let dates: Vec<Option<(i32, u32)>> = entries.iter().map(|e| e.date).collect();
        newest.sort_by(|&a, &b| newer_first(dates[a as usize], dates[b as usize]).then(a.cmp(&b)));
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
    fn build(entries: &Packed) -> Tokens {
        let table = pinyin::Table::get();
        let mut flat = Vec::with_capacity(entries.iter().map(|e| e.title.len() / 3 + 4).sum());
        let mut offsets = Vec::with_capacity(entries.len());
        for e in entries.iter() {
            let mut o = [0u32; 4];
            for (k, text) in [Some(e.title), e.kicker, e.subtitle].into_iter().enumerate() {
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

/// The article finder.
pub struct Finder {
    entries: Packed,
    index: OnceLock<Index>,
    /// Pinyin tokens of titles, kickers and subtitles: built on the first Latin query.
    tokens: OnceLock<Tokens>,
    /// The last search, to narrow the next one as the user types on.
    last: Mutex<Option<Arc<Narrowing>>>,
    /// `prepare_in_background` has started.
    preparing: AtomicBool,
}

impl Finder {
    /// Cheap: no pinyin or search data is built here.
    pub fn new(entries: Vec<Entry>) -> Finder {
        Finder::of_packed(Packed::of_entries(&entries))
    }

    /// Every article of the corpus, in corpus order (cheap too).
    pub fn of_corpus(corpus: &Corpus) -> Finder {
        Finder::of_packed(Packed::of_corpus(corpus))
    }

    fn of_packed(entries: Packed) -> Finder {
        Finder {
            entries,
            index: OnceLock::new(),
            tokens: OnceLock::new(),
            last: Mutex::new(None),
            preparing: AtomicBool::new(false),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// Entry `i` (a `Hit::index`); `None` past the end.
    pub fn get(&self, i: usize) -> Option<EntryRef<'_>> {
        self.entries.get(i)
    }

    /// Entry `i`, which must exist.
    pub fn entry(&self, i: usize) -> EntryRef<'_> {
        self.entries.get(i).expect("an index the finder gave")
    }

    /// Every entry, in order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = EntryRef<'_>> {
        self.entries.iter()
    }

    /// Builds the search data and the pinyin table now (e.g. on a background thread after the
    /// first frame), so the first keystroke does not pay for them.
    pub fn prepare(&self) {
        // The two are independent: side by side on a second core.
        std::thread::scope(|s| {
            s.spawn(|| self.tokens());
            self.index();
        });
    }

    /// `prepare` on a thread of its own, the first time it is asked; a search meanwhile waits
    /// only for what is still being built.
    pub fn prepare_in_background(self: &Arc<Self>) {
        if !self.preparing.swap(true, atomic::Ordering::Relaxed) {
            let finder = Arc::clone(self);
            std::thread::spawn(move || finder.prepare());
        }
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
        let previous = self.last.lock().ok().and_then(|c| c.clone()).filter(|c| narrows(&c.pattern, &parsed));
        if parsed.is_empty() {
            self.remember(parsed, None);
            let hit = |&i: &u32| Hit {
                index: i as usize,
                score: 0,
                title_matches: Vec::new(),
                field: Field::Title,
                district_matches: Vec::new(),
            };
            return index.newest.iter().take(limit).map(hit).collect();
        }
        let mut sets = Vec::new();
        let mut terms: Vec<Matcher> = Vec::new();
        for set in &parsed.sets {
            sets.push((terms.len()..terms.len() + set.len()).collect());
            terms.extend(set.iter().cloned().map(Matcher::new));
        }
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
        let run = Run { terms, sets, per_term, index, toks };

        // First pass: scores only, in compact records. Highlights cost an allocation and only
        // the hits shown need them.
        let candidates = previous.as_ref().and_then(|c| c.matched.as_deref());
        let n = candidates.map_or(self.entries.len(), <[u32]>::len);
        let chunks = par_chunks(n, |range| {
            let mut ctx = Ctx::default();
            let mut out = Vec::new();
            for k in range {
                let i = candidates.map_or(k, |c| c[k] as usize);
                if let Some(found) = self.score_entry(i, &run, false, &mut ctx) {
                    out.push(Scored { score: found.score, rank: index.rank[i], index: i as u32 });
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
                let found = self.score_entry(i, &run, true, &mut ctx).unwrap_or_default();
                Hit {
                    index: i,
                    score: s.score,
                    title_matches: found.title_matches,
                    field: found.field,
                    district_matches: found.district_matches,
                }
            })
            .collect()
    }

    fn remember(&self, pattern: Pattern, matched: Option<Vec<u32>>) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Arc::new(Narrowing { pattern, matched }));
        }
    }

    /// An article's score, best field and (when `want_pos`) title highlights; `None` when the
    /// query leaves it out. Each set (fzf's `|` groups) is scored as fzf does: its first term
    /// that matches gives the set's score; an inverse term that holds lets the set match with
    /// no score unless a later term matches.
    fn score_entry(&self, i: usize, run: &Run, want_pos: bool, ctx: &mut Ctx) -> Option<Found> {
        let mut total = 0i64;
        let mut best_field: Option<(i64, Field)> = None;
        let mut title_matches: Vec<usize> = Vec::new();
        let mut district_matches: Vec<usize> = Vec::new();
        // Whether an `@` term let the article in: its field when no other term matched.
        let mut by_district = false;
        for set in &run.sets {
            let mut ok = false;
            let mut chosen: Option<TermHit> = None;
            for &t in set {
                let m = &run.terms[t];
                let hit = self.term_hit(i, t, run, want_pos && !m.term.negate, ctx);
                match (hit, m.term.negate) {
                    (Some(h), false) => {
                        ok = true;
                        chosen = Some(h);
                        break;
                    }
                    (None, true) => ok = true,
                    _ => {}
                }
            }
            if !ok {
                return None;
            }
            let Some(h) = chosen else { continue };
            if want_pos && h.field == Field::District {
                let ds = &run.index.entry_districts[i];
                let (_, dist_scores) = &run.per_term[h.term];
                district_matches.extend((0..ds.len()).filter(|&k| dist_scores[ds[k] as usize].is_some()));
            }
            if h.districts_only {
                by_district = true;
                continue;
            }
            if h.field == Field::Title && want_pos {
                push_positions(&mut title_matches, h.pos);
            }
            total += h.weight;
            keep_better(&mut best_field, h.weight, h.field);
        }
        let field = best_field.map_or(if by_district { Field::District } else { Field::Title }, |(_, f)| f);
        title_matches.sort_unstable();
        title_matches.dedup();
        district_matches.sort_unstable();
        district_matches.dedup();
        Some(Found { score: total, field, title_matches, district_matches })
    }

    /// Where one term occurs in article `i`: its best field (tiers), weight and title
    /// positions; `None` when it does not occur. `^`, `$` and `^…$` look at the title only;
    /// `@` at the districts only; other terms at every field.
    fn term_hit(&self, i: usize, t: usize, run: &Run, want_pos: bool, ctx: &mut Ctx) -> Option<TermHit> {
        let m = &run.terms[t];
        let (sec_scores, dist_scores) = &run.per_term[t];
        let e = self.entry(i);
        let toks = run.toks;
        let districts = &run.index.entry_districts[i];
        let in_districts = || districts.iter().filter_map(|&d| dist_scores[d as usize]).max();
        if m.term.districts_only {
            return in_districts().map(|_| TermHit {
                term: t,
                weight: 0,
                field: Field::District,
                pos: Pos::None,
                districts_only: true,
            });
        }
        if matches!(m.kind(), TermKind::Prefix | TermKind::Suffix | TermKind::Equal) {
            let (raw, pos) = m.score(e.title, toks.title(i), want_pos, ctx)?;
            return Some(TermHit {
                term: t,
                weight: weigh(Field::Title, raw),
                field: Field::Title,
                pos,
                districts_only: false,
            });
        }
        if m.term.negate {
            // Only whether it occurs.
            let found = in_districts().is_some()
                || run.index.entry_section[i].is_some_and(|s| sec_scores[s as usize].is_some())
                || m.matches(e.title, toks.title(i), ctx)
                || e.kicker.is_some_and(|k| m.matches(k, toks.kicker(i), ctx))
                || e.subtitle.is_some_and(|s| m.matches(s, toks.subtitle(i), ctx));
            return found.then_some(TermHit {
                term: t,
                weight: 0,
                field: Field::Title,
                pos: Pos::None,
                districts_only: false,
            });
        }
        let mut best: Option<(i64, Field)> = None;
        let mut pos = Pos::None;
        if let Some((raw, p)) = m.score(e.title, toks.title(i), want_pos, ctx) {
            best = Some((weigh(Field::Title, raw), Field::Title));
            pos = p;
        } else {
            // A title hit outranks every other field (tiers): look at them only without one.
            for (field, text, tk) in
                [(Field::Kicker, e.kicker, toks.kicker(i)), (Field::Subtitle, e.subtitle, toks.subtitle(i))]
            {
                if let Some((raw, _)) = text.and_then(|t| m.score(t, tk, false, ctx)) {
                    keep_better(&mut best, weigh(field, raw), field);
                }
            }
            if let Some(raw) = run.index.entry_section[i].and_then(|s| sec_scores[s as usize]) {
                keep_better(&mut best, weigh(Field::Section, raw), Field::Section);
            }
            if let Some(raw) = in_districts() {
                keep_better(&mut best, weigh(Field::District, raw), Field::District);
            }
        }
        let (mut weight, field) = best?;
        if field == Field::Title {
            // The title names one of the article's districts that the term matches: the hit
            // is about the place (`bs`: 璧山区总工会… over 办实事…).
            let names_district = districts.iter().any(|&d| {
                dist_scores[d as usize].is_some()
                    && run.index.districts[d as usize].iter().any(|f| e.title.contains(f.as_str()))
            });
            if names_district {
                weight += CORROBORATED;
            }
        }
        Some(TermHit { term: t, weight, field, pos, districts_only: false })
    }
}

/// What [`Finder::score_entry`] finds in one article.
#[derive(Default)]
struct Found {
    score: i64,
    field: Field,
    title_matches: Vec<usize>,
    district_matches: Vec<usize>,
}

/// One term's hit in one article.
struct TermHit {
    /// Which term (index into the run's terms).
    term: usize,
    weight: i64,
    field: Field,
    /// Title positions (when the best field is the title and they were asked for).
    pos: Pos,
    /// An `@` term: it lets the article in without scoring.
    districts_only: bool,
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
    /// The query's sets, as indices into `terms`.
    sets: Vec<Vec<usize>>,
    per_term: Vec<Interned>,
    index: &'a Index,
    toks: &'a Tokens,
}

/// The last query and every article it matched (`None`: all).
struct Narrowing {
    pattern: Pattern,
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
pub fn district_counts<'a>(entries: impl Iterator<Item = EntryRef<'a>>) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        // An article naming a district twice counts once.
        let mut seen: Vec<&str> = Vec::new();
        for d in e.districts() {
            if !seen.contains(&d) {
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
mod tests;
