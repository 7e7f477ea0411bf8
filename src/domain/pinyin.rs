//! Pinyin matching: Latin queries (`bishan`, `bs`, `bsq`, `bishanq`, `cq`) against Chinese text.
//!
//! A query matches a *contiguous run* of characters when it can be cut into pieces, one per
//! character, each piece being a whole reading of its character or a prefix of one (so `bs` =
//! b… s…, `bishanq` = bi shan q…). Pieces never skip a character and never take letters from
//! the middle of a syllable: that is what keeps two-letter initials selective (`bs` takes 5 of
//! the 26 seed titles: 璧山, 办实事, 办首届, 比赛 twice), where a loose subsequence over the
//! spelled-out pinyin takes 9.
//!
//! Readings are a character's *common* ones: the `pinyin` crate's first reading, the well-known
//! polyphones of [`polyphones::EXTRA`] (重 zhong and chong, 长 zhang and chang), and the
//! gazetteer's readings of district names. Not every dictionary reading: with all heteronyms
//! `abc` found 广播体 (广 ān, 体 cuì) and `bs` found 彭水 (彭 bāng). The lookup table (code point
//! -> reading set) is built once, lazily, on the
//! first Latin query ([`Table::get`], a few milliseconds); call [`warm`] from a background thread
//! to take even that off the first keystroke.
//!
//! Matching is two steps: a scan, one table lookup per character, runs the pieces as a bit-set
//! automaton (bit k: the first k letters are matched); only texts that match are then searched
//! for their best cut (whole syllables score above initials) with a small memoised search.

use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyin;

use super::districts::Gazetteer;
use super::fold::{fold_width, lower, normalize};

mod polyphones;

/// First code point the table covers (〇 U+3007 reads ling); below it nothing has a reading.
const BASE: u32 = 0x3000;
/// One past the last code point covered: the BMP's unified ideographs. Rarer planes fall back to
/// having no reading, which only means they never match a Latin query.
const END: u32 = 0xA000;
/// Longest query (in letters) the matcher takes; longer ones cannot be pinyin of a title anyway.
pub const MAX_QUERY: usize = 48;
/// Longest syllable stored (`zhuang`); with the ü spelled `v`.
const MAX_SYL: usize = 8;

/// One text character as the matcher sees it, in 16 bits so a title's tokens can be kept:
/// [`OTHER`], a Han character's reading-set id, or [`LATIN`] / [`LATIN_CI`] | an ASCII letter or
/// digit.
pub type Tok = u16;
/// Punctuation, space, or a character without readings: breaks a run.
pub const OTHER: Tok = 0;
/// Flag for an ASCII letter or digit in the low byte, as written (case kept): ASCII itself,
/// full-width forms, and letters fzf normalises to it (`é` -> `e`, `Á` -> `A`).
pub const LATIN: Tok = 0xFF00;
/// Flag for a letter that is an ASCII letter (low byte, lowercase) only case-insensitively
/// (`Ā` lowercases to `ā`, which normalises to `a`): a case-sensitive term does not match it.
pub const LATIN_CI: Tok = 0xFE00;

/// Whether a token is a Latin letter or digit.
#[inline]
fn is_latin(t: Tok) -> bool {
    t >= LATIN_CI
}

/// Which ends of the text a match must touch (fzf's `^`, `$`, `^…$`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anchor {
    pub start: bool,
    pub end: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct ReadingSet {
    start: u32,
    len: u32,
}

/// The reading table: code point -> reading set -> syllables.
pub struct Table {
    /// Per code point from [`BASE`]: its reading set (0: none).
    char_set: Vec<u16>,
    sets: Vec<ReadingSet>,
    set_syllables: Vec<u16>,
    syllables: Vec<Syllable>,
}

#[derive(Debug, Clone, Copy)]
struct Syllable {
    bytes: [u8; MAX_SYL],
    len: u8,
}

/// Builds the table now (from a background thread, say) so no keystroke pays for it.
pub fn warm() {
    Table::get();
}

impl Table {
    /// The shared table, built on first use.
    pub fn get() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(Table::build)
    }

    fn build() -> Table {
        let mut syl_index: HashMap<String, u16> = HashMap::new();
        let mut syllables: Vec<Syllable> = Vec::new();
        let mut intern = |s: &str| -> Option<u16> {
            if let Some(&i) = syl_index.get(s) {
                return Some(i);
            }
            let bytes = s.as_bytes();
            if bytes.is_empty() || bytes.len() > MAX_SYL || !bytes.iter().all(u8::is_ascii_lowercase) {
                return None;
            }
            let mut b = [0u8; MAX_SYL];
            b[..bytes.len()].copy_from_slice(bytes);
            let i = u16::try_from(syllables.len()).ok()?;
            syllables.push(Syllable { bytes: b, len: bytes.len() as u8 });
            syl_index.insert(s.to_string(), i);
            Some(i)
        };

        // Readings per character: the crate's first (most common) one, the well-known
        // polyphones, then the gazetteer's, which are checked by hand for the district names
        // (綦 qi, 璧 bi, 长寿 chang shou). Syllables are numbered in that order: first every
        // character's own reading, then the extra ones.
        let span = (END - BASE) as usize;
        let base_reading = |off: usize| char::from_u32(BASE + off as u32).and_then(|c| c.to_pinyin());
        for off in 0..span {
            if let Some(p) = base_reading(off) {
                spellings(p.plain()).iter().for_each(|s| _ = intern(s));
            }
        }
        let mut extra: Vec<(usize, u16)> = Vec::new();
        let mut add_extra = |c: char, plain: &str| {
            let off = (c as u32).wrapping_sub(BASE) as usize;
            if off < span {
                extra.extend(spellings(plain).iter().filter_map(|s| intern(s)).map(|id| (off, id)));
            }
        };
        for &(c, readings) in polyphones::EXTRA {
            for r in readings {
                add_extra(c, &r.replace('v', "ü"));
            }
        }
        for d in Gazetteer::bundled().districts() {
            let pairs = std::iter::once((d.name.as_str(), d.pinyin.as_str()))
                .chain(d.bare.as_deref().zip(d.bare_pinyin.as_deref()));
            for (word, py) in pairs {
                for (c, syl) in word.chars().zip(py.split(' ')) {
                    add_extra(c, syl);
                }
            }
        }
        // A stable sort keeps each character's extra readings in the order above.
        extra.sort_by_key(|&(off, _)| off);

        // One character at a time into one scratch list (not a list per code point: the build
        // runs in every reader, and 28,000 small lists were most of its peak memory). Many
        // characters share a reading set (all the plain "yi"s): each set is stored once.
        let mut set_index: HashMap<Vec<u16>, u16> = HashMap::new();
        let mut sets = vec![ReadingSet::default()];
        let mut set_syllables: Vec<u16> = Vec::new();
        let mut char_set = vec![0u16; span];
        let mut ids: Vec<u16> = Vec::new();
        let mut extra = extra.into_iter().peekable();
        for (off, slot) in char_set.iter_mut().enumerate() {
            ids.clear();
            let own = base_reading(off).map(|p| spellings(p.plain())).unwrap_or_default();
            let more = std::iter::from_fn(|| extra.next_if(|&(o, _)| o == off).map(|(_, id)| id));
            for id in own.iter().filter_map(|s| syl_index.get(s.as_str()).copied()).chain(more) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.is_empty() || sets.len() >= LATIN_CI as usize {
                continue;
            }
            *slot = match set_index.get(&ids) {
                Some(&idx) => idx,
                None => {
                    let idx = sets.len() as u16;
                    sets.push(ReadingSet { start: set_syllables.len() as u32, len: ids.len() as u32 });
                    set_syllables.extend_from_slice(&ids);
                    set_index.insert(ids.clone(), idx);
                    idx
                }
            };
        }
        Table { char_set, sets, set_syllables, syllables }
    }

    /// How the matcher sees character `c`.
    #[inline]
    pub fn tok(&self, c: char) -> Tok {
        let cp = c as u32;
        if cp < 0x80 {
            return if c.is_ascii_alphanumeric() { LATIN | cp as Tok } else { OTHER };
        }
        // Full-width letters and digits (ＡＢＣ１２３) are typed as ASCII.
        if (0xFF10..=0xFF5A).contains(&cp) {
            let a = fold_width(c);
            return if a.is_ascii_alphanumeric() { LATIN | a as Tok } else { OTHER };
        }
        // Latin letters with diacritics, as fzf normalises them (café is cafe).
        if (0xC0..=0x2184).contains(&cp) {
            let n = normalize(c);
            if n.is_ascii_alphabetic() {
                return LATIN | n as Tok;
            }
            let l = normalize(lower(c));
            return if l.is_ascii_alphabetic() { LATIN_CI | l as Tok } else { OTHER };
        }
        self.char_set.get(cp.wrapping_sub(BASE) as usize).copied().unwrap_or(OTHER)
    }

    /// Appends the tokens of `text`, one per char.
    pub fn tokenize(&self, text: &str, out: &mut Vec<Tok>) {
        out.extend(text.chars().map(|c| self.tok(c)));
    }

    /// Readings of `c`, for tests and the help screen.
    pub fn readings(&self, c: char) -> Vec<String> {
        match self.tok(c) {
            t if t == OTHER || is_latin(t) => Vec::new(),
            s => self.set(s).iter().map(|&i| self.syllable_str(i)).collect(),
        }
    }

    fn set(&self, s: Tok) -> &[u16] {
        let r = self.sets[s as usize];
        &self.set_syllables[r.start as usize..(r.start + r.len) as usize]
    }

    fn syllable_str(&self, i: u16) -> String {
        let s = &self.syllables[i as usize];
        String::from_utf8_lossy(&s.bytes[..s.len as usize]).into_owned()
    }
}

/// The spellings a user may type for one plain reading: ü as `v` (the IME habit) and as `u`;
/// ê as `e`.
fn spellings(plain: &str) -> Vec<String> {
    if plain.contains('ü') {
        vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
    } else {
        vec![plain.replace('ê', "e")]
    }
}

/// Whether a query term goes through pinyin matching: ASCII only (no Han), with a letter in it.
pub fn is_pinyin_query(q: &str) -> bool {
    !q.is_empty() && q.len() <= MAX_QUERY && q.is_ascii() && q.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Which pieces a match may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pieces {
    /// Whole syllables, initials, or any prefix (typing as you go).
    Any,
    /// Whole syllables only: the `'exact` form (`'bishan` yes, `'bs` no).
    Whole,
}

/// A compiled Latin query.
pub struct Query {
    /// Lowercase: compared with readings (Han characters have no case).
    q: Vec<u8>,
    /// As typed: compared with Latin letters when the term is case-sensitive.
    raw: Vec<u8>,
    case_sensitive: bool,
    /// `lcp[syl * (n + 1) + k]`: common prefix length of syllable `syl` and `q[k..]`.
    lcp: Vec<u8>,
    /// Per reading set: the query offsets reachable after one character from offset 0, as bits.
    /// The scan's hot path is this one lookup per character.
    from0: Vec<u64>,
    pieces: Pieces,
    table: &'static Table,
}

/// What one pass over a text found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// The query matches as pinyin somewhere (touching the anchored ends).
    pub pinyin: bool,
    /// The query's letters and digits occur in order among the text's Latin characters:
    /// whether a literal (SkimMatcherV2) pass could match. Only complete for unanchored scans.
    pub latin: bool,
}

/// Where a query matched: `len` characters from char index `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub len: usize,
    pub score: i64,
}

/// Reusable buffers for one thread, so matching a line allocates nothing.
#[derive(Default)]
pub struct Scratch {
    tokens: Vec<Tok>,
    memo: Vec<i32>,
    stamp: Vec<u32>,
    generation: u32,
}

/// Score units follow SkimMatcherV2's (16 a letter, bonuses at the start), so pinyin and Latin
/// hits rank on one scale.
const PER_LETTER: i64 = 16;
const WHOLE_SYLLABLE: i32 = 6;
const PARTIAL: i32 = 2;
const AT_START: i64 = 16;
const AFTER_BREAK: i64 = 8;
const NO_MATCH: i32 = i32::MIN;

impl Query {
    /// `None` when `q` is not a pinyin query (see [`is_pinyin_query`]). `case_sensitive`: Latin
    /// letters in the text must match the query's case (fzf's smart case); readings never have
    /// a case.
    pub fn new(q: &str, pieces: Pieces, case_sensitive: bool) -> Option<Query> {
        if !is_pinyin_query(q) {
            return None;
        }
        let table = Table::get();
        let raw = q.as_bytes().to_vec();
        let q: Vec<u8> = q.bytes().map(|b| b.to_ascii_lowercase()).collect();
        let n = q.len();
        let mut lcp = vec![0u8; table.syllables.len() * (n + 1)];
        for (i, s) in table.syllables.iter().enumerate() {
            let syl = &s.bytes[..s.len as usize];
            for k in 0..n {
                lcp[i * (n + 1) + k] = syl.iter().zip(&q[k..]).take_while(|(a, b)| a == b).count() as u8;
            }
        }
        let mut query = Query { q, raw, case_sensitive, lcp, from0: Vec::new(), pieces, table };
        query.from0 = (0..table.sets.len()).map(|s| query.han_step(s as Tok, 0)).collect();
        Some(query)
    }

    /// Whether Latin token `t` is the query's letter at offset `k`.
    #[inline]
    fn latin_eq(&self, k: usize, t: Tok) -> bool {
        let b = t as u8;
        if self.case_sensitive { t >= LATIN && self.raw[k] == b } else { self.q[k] == b.to_ascii_lowercase() }
    }

    /// Offsets reachable from offset `k` through one Han character of reading set `set`.
    fn han_step(&self, set: Tok, k: usize) -> u64 {
        let n = self.q.len();
        let mut out = 0u64;
        for &syl in self.table.set(set) {
            let l = self.lcp[syl as usize * (n + 1) + k] as u32;
            let full = self.table.syllables[syl as usize].len as u32;
            out |= match self.pieces {
                // Pieces of 1..=l letters: offsets k+1 ..= k+l.
                Pieces::Any if l > 0 => ((1u64 << l) - 1) << (k + 1),
                Pieces::Whole if l == full => 1u64 << (k + l as usize),
                _ => 0,
            };
        }
        out
    }

    /// One character on from the offsets in `state` (bit k: `q[..k]` matched so far).
    #[inline]
    fn step(&self, t: Tok, state: u64) -> u64 {
        if t == OTHER {
            return 0;
        }
        let mut out = 0u64;
        let mut rest = state;
        if is_latin(t) {
            while rest != 0 {
                let k = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                if self.latin_eq(k, t) {
                    out |= 1 << (k + 1);
                }
            }
            return out;
        }
        if rest & 1 != 0 {
            out = self.from0[t as usize];
            rest &= !1;
        }
        while rest != 0 {
            let k = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            out |= self.han_step(t, k);
        }
        out
    }

    /// One pass over the tokens: whether the query matches as pinyin (touching the anchored
    /// ends), and whether its letters occur as Latin in order.
    pub fn scan(&self, toks: impl Iterator<Item = Tok>, anchor: Anchor) -> Scan {
        let n = self.q.len();
        let done = 1u64 << n;
        let live = done - 1;
        let mut state = 1u64;
        let mut found = false;
        let mut latin = 0usize;
        for t in toks {
            if latin < n && is_latin(t) && self.latin_eq(latin, t) {
                latin += 1;
            }
            if found && !anchor.end {
                if latin == n {
                    break;
                }
                continue;
            }
            let from = if anchor.start { state } else { state | 1 };
            state = self.step(t, from & live);
            found |= state & done != 0;
            if anchor.start && state == 0 {
                // An anchored match is gone (the Latin flag is for unanchored scans only).
                break;
            }
        }
        let pinyin = if anchor.end { state & done != 0 } else { found };
        Scan { pinyin, latin: latin == n }
    }

    /// [`Query::scan`] over a string.
    pub fn scan_str(&self, text: &str, anchor: Anchor) -> Scan {
        self.scan(text.chars().map(|c| self.table.tok(c)), anchor)
    }

    /// One scan of `text` (or of its tokens, when the caller keeps them) and, when the query
    /// matches as pinyin, its best match. Only matching texts are tokenized and searched in
    /// depth; the scan is one table lookup per character.
    pub fn locate(
        &self,
        text: &str,
        toks: Option<&[Tok]>,
        anchor: Anchor,
        scratch: &mut Scratch,
    ) -> (Scan, Option<Span>) {
        let scan = match toks {
            Some(t) => self.scan(t.iter().copied(), anchor),
            None => self.scan_str(text, anchor),
        };
        if !scan.pinyin {
            return (scan, None);
        }
        let span = match toks {
            Some(t) => self.best(t, anchor, scratch),
            None => {
                let mut own = std::mem::take(&mut scratch.tokens);
                own.clear();
                self.table.tokenize(text, &mut own);
                let span = self.best(&own, anchor, scratch);
                scratch.tokens = own;
                span
            }
        };
        (scan, span)
    }

    /// The best pinyin match in `text`, touching the anchored ends.
    pub fn find(&self, text: &str, anchor: Anchor, scratch: &mut Scratch) -> Option<Span> {
        self.locate(text, None, anchor, scratch).1
    }

    /// Tries every start that can begin a match and keeps the best scoring one.
    fn best(&self, toks: &[Tok], anchor: Anchor, scratch: &mut Scratch) -> Option<Span> {
        let n = self.q.len();
        let cells = (n + 1) * (n + 1);
        if scratch.memo.len() < cells {
            scratch.memo.resize(cells, 0);
            scratch.stamp.resize(cells, 0);
        }
        let mut best: Option<Span> = None;
        let starts = if anchor.start { toks.len().min(1) } else { toks.len() };
        for start in 0..starts {
            if self.step(toks[start], 1) == 0 {
                continue;
            }
            scratch.generation = scratch.generation.wrapping_add(1);
            if scratch.generation == 0 {
                // Stamps wrapped: forget them all rather than trust a stale one.
                scratch.stamp.iter_mut().for_each(|s| *s = 0);
                scratch.generation = 1;
            }
            let (quality, len) = self.best_from(&toks[start..], 0, 0, anchor.end, scratch);
            if quality == NO_MATCH {
                continue;
            }
            let bonus = if start == 0 {
                AT_START
            } else if toks[start - 1] == OTHER {
                AFTER_BREAK
            } else {
                0
            };
            let score = PER_LETTER * n as i64 + i64::from(quality) + bonus;
            if best.is_none_or(|b| score > b.score) {
                best = Some(Span { start, len, score });
            }
        }
        best
    }

    /// Best quality for matching `q[k..]` from `toks[j..]` (ending at the last token when
    /// `to_end`), with the number of characters used; memoised on (j, k) so polyphones and
    /// ambiguous cuts stay polynomial.
    fn best_from(&self, toks: &[Tok], j: usize, k: usize, to_end: bool, scratch: &mut Scratch) -> (i32, usize) {
        let n = self.q.len();
        if k == n {
            return if to_end && j != toks.len() { (NO_MATCH, 0) } else { (0, j) };
        }
        // Each piece takes at least one letter, so j <= k.
        if j >= toks.len() || j > k {
            return (NO_MATCH, 0);
        }
        let cell = j * (n + 1) + k;
        if scratch.stamp[cell] == scratch.generation {
            let v = scratch.memo[cell];
            return if v == NO_MATCH { (NO_MATCH, 0) } else { (v >> 8, (v & 0xff) as usize) };
        }
        let mut best = (NO_MATCH, 0);
        let t = toks[j];
        if is_latin(t) {
            if self.latin_eq(k, t) {
                let (r, len) = self.best_from(toks, j + 1, k + 1, to_end, scratch);
                if r != NO_MATCH {
                    best = (r + WHOLE_SYLLABLE, len);
                }
            }
        } else if t != OTHER {
            for &syl in self.table.set(t) {
                let full = self.table.syllables[syl as usize].len as usize;
                let l = self.lcp[syl as usize * (n + 1) + k] as usize;
                for piece in (1..=l).rev() {
                    let whole = piece == full;
                    if self.pieces == Pieces::Whole && !whole {
                        continue;
                    }
                    let (r, len) = self.best_from(toks, j + 1, k + piece, to_end, scratch);
                    if r == NO_MATCH {
                        continue;
                    }
                    let q = r + if whole {
                        WHOLE_SYLLABLE
                    } else if piece > 1 {
                        PARTIAL
                    } else {
                        0
                    };
                    if q > best.0 {
                        best = (q, len);
                    }
                }
            }
        }
        scratch.stamp[cell] = scratch.generation;
        scratch.memo[cell] = if best.0 == NO_MATCH { NO_MATCH } else { (best.0 << 8) | best.1 as i32 };
        best
    }
}

#[cfg(test)]
mod tests;
