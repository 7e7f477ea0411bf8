//! Query terms: parsing fzf's extended-search syntax, and matching one term against one text
//! (SkimMatcherV2 fuzz, literal substrings, anchored and word-bounded matches, pinyin).
//!
//! The parse follows fzf's `parseTerms` step for step, so sigils combine as in fzf: `!` first,
//! then a trailing `$`, then `'…'` (word boundaries), a leading `'` (flips exact/fuzzy) or `^`.
//! So `'!foo` and `^!foo` are the literal `!foo`, `!'foo` is inverse-fuzzy, `^foo$` is equal.
//! kanbao adds `@` right after the optional `!`: the term looks at the districts only.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::fold::{fold_char, fold_query, lower_str, normalize_str, uncased};
use crate::domain::pinyin::{self, Anchor, Pieces, Tok};

/// Most terms a query keeps (after dropping repeats). Matching costs lines × terms; a pasted
/// paragraph would otherwise take minutes over a large library.
pub const MAX_TERMS: usize = 32;

/// How a term matches (fzf's term types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// Plain term: fuzzy (Hanzi, Latin) or pinyin.
    Fuzzy,
    /// `'term`, and every `!term`: exact substring; Latin also as whole pinyin syllables.
    Exact,
    /// `'term'`: exact, at word boundaries on both sides.
    Boundary,
    /// `^term`: the text starts with it (leading whitespace skipped).
    Prefix,
    /// `term$`: the text ends with it (trailing whitespace skipped).
    Suffix,
    /// `^term$`: the text is it.
    Equal,
}

/// One parsed query term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    /// The text to look for, already lowercased (unless case-sensitive) and normalised (when
    /// `normalize`), as fzf keeps it.
    pub text: String,
    pub kind: TermKind,
    /// `!term`: left out where it occurs.
    pub negate: bool,
    /// `@term`: matched against the districts only.
    pub districts_only: bool,
    /// Smart case, per term: an uppercase letter anywhere in the term.
    pub case_sensitive: bool,
    /// fzf's normalisation (`cafe` finds `café`), unless the term itself has diacritics.
    pub normalize: bool,
}

impl Term {
    /// Whether the term is matched as pinyin too (Latin letters, no Hanzi).
    pub fn is_pinyin(&self) -> bool {
        pinyin::is_pinyin_query(&self.text)
    }
}

/// A parsed query: every set must match (AND); a set matches when one of its terms does (OR,
/// fzf's `|`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pattern {
    pub sets: Vec<Vec<Term>>,
    /// Terms left out past [`MAX_TERMS`] (repeats are dropped first and not counted).
    pub dropped: usize,
}

impl Pattern {
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Every term, set by set.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.sets.iter().flatten()
    }

    /// How many terms the query had before the cap.
    pub fn typed_terms(&self) -> usize {
        self.terms().count() + self.dropped
    }
}

/// Parses a query in fzf's extended-search syntax (see the module notes). Full-width ASCII and
/// U+3000 are folded first, so `ｂｓ`, `！璧山` and an IME's ideographic space work.
pub fn parse_query(q: &str) -> Pattern {
    let q = fold_query(q);
    // As fzf: leading spaces go, trailing ones too unless escaped.
    let mut s = q.trim_start_matches(' ');
    while s.ends_with(' ') && !s.ends_with("\\ ") {
        s = &s[..s.len() - 1];
    }
    let s = s.replace("\\ ", "\t");
    let mut sets: Vec<Vec<Term>> = Vec::new();
    let mut set: Vec<Term> = Vec::new();
    let mut switch_set = false;
    let mut after_bar = false;
    for token in s.split(' ').filter(|t| !t.is_empty()) {
        let typed = token.replace('\t', " ");
        let lowered = lower_str(&typed);
        let case_sensitive = typed != lowered;
        let normalize = lowered == normalize_str(&lowered);
        let text = if case_sensitive { typed } else { lowered };
        if !set.is_empty() && !after_bar && text == "|" {
            switch_set = false;
            after_bar = true;
            continue;
        }
        after_bar = false;
        let mut t = text.as_str();
        let (mut kind, mut negate, mut districts_only) = (TermKind::Fuzzy, false, false);
        if let Some(rest) = t.strip_prefix('!') {
            negate = true;
            kind = TermKind::Exact;
            t = rest;
        }
        if let Some(rest) = t.strip_prefix('@') {
            districts_only = true;
            t = rest;
        }
        if t != "$"
            && let Some(rest) = t.strip_suffix('$')
        {
            kind = TermKind::Suffix;
            t = rest;
        }
        if t.len() > 2 && t.starts_with('\'') && t.ends_with('\'') {
            kind = TermKind::Boundary;
            t = &t[1..t.len() - 1];
        } else if let Some(rest) = t.strip_prefix('\'') {
            // Flips exactness: `'x` exact, `!'x` inverse-fuzzy.
            kind = if negate { TermKind::Fuzzy } else { TermKind::Exact };
            t = rest;
        } else if let Some(rest) = t.strip_prefix('^') {
            kind = if kind == TermKind::Suffix { TermKind::Equal } else { TermKind::Prefix };
            t = rest;
        }
        if t.is_empty() {
            continue;
        }
        if switch_set {
            sets.push(std::mem::take(&mut set));
        }
        let text = if normalize { normalize_str(t) } else { t.to_string() };
        set.push(Term { text, kind, negate, districts_only, case_sensitive, normalize });
        switch_set = true;
    }
    if !set.is_empty() {
        sets.push(set);
    }
    cap(sets)
}

/// Drops repeated terms and sets (they change no result: every match has them all) and keeps
/// at most [`MAX_TERMS`] terms.
fn cap(sets: Vec<Vec<Term>>) -> Pattern {
    let mut out: Vec<Vec<Term>> = Vec::new();
    let (mut kept, mut dropped) = (0usize, 0usize);
    let mut seen = std::collections::HashSet::new();
    for set in sets {
        let mut unique: Vec<Term> = Vec::new();
        for t in set {
            if !unique.contains(&t) {
                unique.push(t);
            }
        }
        if !seen.insert(unique.clone()) {
            continue;
        }
        if kept + unique.len() > MAX_TERMS {
            dropped += unique.len();
            continue;
        }
        kept += unique.len();
        out.push(unique);
    }
    Pattern { sets: out, dropped }
}

/// Where a term matched in one text.
pub(super) enum Pos {
    None,
    Span(usize, usize),
    Indices(Vec<usize>),
}

/// A term ready to match.
pub(super) struct Matcher {
    pub(super) term: Term,
    /// How the literal pass matches: a district term's plain form is exact (`@江`: contains 江).
    kind: TermKind,
    /// The term's chars, for the subsequence prefilter.
    chars: Vec<char>,
    /// Every char is uncased ([`uncased`]): the text never needs folding.
    plain: bool,
    pub(super) pinyin: Option<pinyin::Query>,
    /// Only ASCII letters and digits: the pinyin scan's Latin check can stand in for the
    /// subsequence prefilter.
    alnum: bool,
}

/// Per-thread buffers, and a matcher per thread: SkimMatcherV2 keeps its buffers in
/// thread-local slots that sit side by side, and sharing one across threads measured no faster
/// than one thread (false sharing).
pub(super) struct Ctx {
    py: pinyin::Scratch,
    folded: String,
    skim: SkimMatcherV2,
}

impl Default for Ctx {
    fn default() -> Ctx {
        // Past a million matrix cells (a 40-letter term on a 25,000-character line) SkimMatcherV2
        // switches to its linear greedy match: memory stays bounded on any input line. Case is
        // folded here (Unicode, fzf's normalisation) before SkimMatcherV2 sees the text.
        let skim = SkimMatcherV2::default().element_limit(1 << 20).respect_case();
        Ctx { py: pinyin::Scratch::default(), folded: String::new(), skim }
    }
}

impl Matcher {
    pub(super) fn new(term: Term) -> Matcher {
        let kind = if term.districts_only && term.kind == TermKind::Fuzzy { TermKind::Exact } else { term.kind };
        let pieces = match term.kind {
            // `'bishan`, `'bishan'`: whole syllables. `!bs` still leaves 璧山 out, `@bs` finds it.
            TermKind::Exact | TermKind::Boundary if !term.negate => Pieces::Whole,
            _ => Pieces::Any,
        };
        let pinyin = pinyin::Query::new(&term.text, pieces, term.case_sensitive);
        let alnum = term.text.bytes().all(|b| b.is_ascii_alphanumeric());
        let chars: Vec<char> = term.text.chars().collect();
        let plain = chars.iter().all(|&c| uncased(c));
        Matcher { kind, chars, plain, pinyin, alnum, term }
    }

    pub(super) fn kind(&self) -> TermKind {
        self.kind
    }

    /// Scores `text`; positions only when `want_pos` (they cost an allocation). `toks`: the
    /// text's pinyin tokens, when the caller keeps them.
    pub(super) fn score(&self, text: &str, toks: Option<&[Tok]>, want_pos: bool, ctx: &mut Ctx) -> Option<(i64, Pos)> {
        let (skip, region) = self.region(text);
        let anchor = Anchor {
            start: matches!(self.kind, TermKind::Prefix | TermKind::Equal),
            end: matches!(self.kind, TermKind::Suffix | TermKind::Equal),
        };
        let (scan, py) = match &self.pinyin {
            Some(q) => {
                // The kept tokens, cut like the text (counting chars only when it was cut).
                let rtoks = match toks {
                    Some(t) if region.len() == text.len() => Some(t),
                    Some(t) => t.get(skip..skip + region.chars().count()),
                    None => None,
                };
                let (scan, span) = q.locate(region, rtoks, anchor, &mut ctx.py);
                (Some(scan), span)
            }
            None => (None, None),
        };
        // A word-boundary term's pinyin match must be bounded too (`'bishan'`: not 璧山区).
        let py = py.filter(|p| self.kind != TermKind::Boundary || bounded(region, p.start, p.len));
        let literal = if self.kind == TermKind::Fuzzy {
            // The pinyin scan already tells whether the letters occur as Latin, in order.
            let maybe = match scan {
                Some(s) if self.alnum => s.latin,
                _ => self.is_subsequence(region),
            };
            if maybe { self.fuzzy(region, want_pos, ctx) } else { None }
        } else {
            self.literal(region, ctx)
        };
        let shift = |(s, p): (i64, Pos)| {
            let p = match p {
                Pos::Span(start, len) => Pos::Span(start + skip, len),
                Pos::Indices(v) if skip > 0 => Pos::Indices(v.into_iter().map(|i| i + skip).collect()),
                other => other,
            };
            (s, p)
        };
        match (literal, py) {
            // On Latin text both passes find the same span; the literal one ranks boundaries.
            (Some(l), Some(_)) if self.kind == TermKind::Boundary => Some(l),
            (Some(l), Some(p)) if p.score > l.0 => Some((p.score, Pos::Span(p.start, p.len))),
            (Some(l), _) => Some(l),
            (None, Some(p)) => Some((p.score, Pos::Span(p.start, p.len))),
            (None, None) => None,
        }
        .map(shift)
    }

    pub(super) fn matches(&self, text: &str, toks: Option<&[Tok]>, ctx: &mut Ctx) -> bool {
        self.score(text, toks, false, ctx).is_some()
    }

    /// The part of `text` an anchored term looks at, and its char offset: fzf skips leading
    /// whitespace (U+3000 too) for `^`, trailing whitespace for `$`, unless the term itself
    /// starts or ends with a space.
    fn region<'a>(&self, text: &'a str) -> (usize, &'a str) {
        let mut region = text;
        let mut skip = 0;
        let at_start = matches!(self.kind, TermKind::Prefix | TermKind::Equal);
        let at_end = matches!(self.kind, TermKind::Suffix | TermKind::Equal);
        if at_start && !self.chars.first().is_some_and(|c| c.is_whitespace()) {
            let trimmed = region.trim_start();
            skip = region[..region.len() - trimmed.len()].chars().count();
            region = trimmed;
        }
        if at_end && !self.chars.last().is_some_and(|c| c.is_whitespace()) {
            region = region.trim_end();
        }
        (skip, region)
    }

    /// `text` as the term compares it; itself when folding changes nothing.
    fn fold<'a>(&self, text: &'a str, buf: &'a mut String) -> &'a str {
        let (cs, nz) = (self.term.case_sensitive, self.term.normalize);
        if self.plain {
            return text;
        }
        if text.is_ascii() {
            if cs || !text.bytes().any(|b| b.is_ascii_uppercase()) {
                return text;
            }
            buf.clear();
            buf.push_str(text);
            buf.make_ascii_lowercase();
            return buf;
        }
        if text.chars().all(|c| fold_char(c, cs, nz) == c) {
            return text;
        }
        buf.clear();
        buf.extend(text.chars().map(|c| fold_char(c, cs, nz)));
        buf
    }

    fn fuzzy(&self, text: &str, want_pos: bool, ctx: &mut Ctx) -> Option<(i64, Pos)> {
        let hay = self.fold(text, &mut ctx.folded);
        if want_pos {
            ctx.skim.fuzzy_indices(hay, &self.term.text).map(|(s, p)| (s, Pos::Indices(p)))
        } else {
            ctx.skim.fuzzy_match(hay, &self.term.text).map(|s| (s, Pos::None))
        }
    }

    /// Exact, boundary, prefix, suffix and equal matches, on the folded text (char for char,
    /// so char offsets carry over).
    fn literal(&self, text: &str, ctx: &mut Ctx) -> Option<(i64, Pos)> {
        let hay = self.fold(text, &mut ctx.folded);
        let needle = self.term.text.as_str();
        let n = self.chars.len();
        let at = |byte: usize| hay[..byte].chars().count();
        let per_char = 20 * n as i64;
        match self.kind {
            TermKind::Fuzzy | TermKind::Exact => {
                let b = hay.find(needle)?;
                let start = at(b);
                Some((per_char + if start == 0 { 16 } else { 0 }, Pos::Span(start, n)))
            }
            TermKind::Boundary => hay
                .match_indices(needle)
                .filter_map(|(b, _)| {
                    let before = hay[..b].chars().next_back();
                    let after = hay[b + needle.len()..].chars().next();
                    let ok = !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
                    ok.then(|| (per_char + 2 * boundary_bonus(before) + boundary_bonus(after), Pos::Span(at(b), n)))
                })
                .max_by_key(|(score, _)| *score),
            TermKind::Prefix => hay.starts_with(needle).then_some((per_char + 16, Pos::Span(0, n))),
            TermKind::Suffix => {
                hay.ends_with(needle).then(|| (per_char + 8, Pos::Span(at(hay.len() - needle.len()), n)))
            }
            TermKind::Equal => (hay == needle).then_some((per_char + 24, Pos::Span(0, n))),
        }
    }

    /// Whether the term's chars occur in `text` in order (folded as the term folds): the cheap
    /// test before SkimMatcherV2 builds its matrix.
    fn is_subsequence(&self, text: &str) -> bool {
        let (cs, nz) = (self.term.case_sensitive, self.term.normalize);
        let mut rest = text;
        for &p in &self.chars {
            match find_folded(rest, p, cs, nz) {
                Some(next) => rest = &rest[next..],
                None => return false,
            }
        }
        true
    }
}

/// Whether chars `start..start + len` of `text` have no letter or digit on either side.
fn bounded(text: &str, start: usize, len: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let before = start.checked_sub(1).and_then(|i| text.chars().nth(i));
    !word(before) && !word(text.chars().nth(start + len))
}

/// fzf ranks a boundary after whitespace (or the line's end) above one after a delimiter, above
/// other punctuation, and `_` last.
fn boundary_bonus(c: Option<char>) -> i64 {
    match c {
        None => 10,
        Some(c) if c.is_whitespace() => 10,
        Some('/' | ',' | ':' | ';' | '|') => 9,
        Some('_') => 0,
        Some(_) => 8,
    }
}

/// The byte offset just past the first char of `hay` that folds to `p`. Uncased `p` (Hanzi,
/// digits, punctuation) is only itself: `str::find`, which runs on memchr. Otherwise ASCII bytes
/// are compared directly and CJK characters (lead bytes E3–E9: U+3000–U+9FFF, all uncased)
/// skipped whole; only the rest is decoded and folded.
fn find_folded(hay: &str, p: char, cs: bool, nz: bool) -> Option<usize> {
    if uncased(p) {
        return hay.find(p).map(|i| i + p.len_utf8());
    }
    let bytes = hay.as_bytes();
    let (a, b) = match u8::try_from(p) {
        Ok(x) if x.is_ascii() => (x, if cs { x } else { x.to_ascii_uppercase() }),
        _ => (0, 0),
    };
    let mut i = 0;
    while i < bytes.len() {
        let x = bytes[i];
        if x < 0x80 {
            if a != 0 && (x == a || x == b) {
                return Some(i + 1);
            }
            i += 1;
        } else if (0xE3..=0xE9).contains(&x) {
            i += 3;
        } else {
            let c = hay[i..].chars().next()?;
            if fold_char(c, cs, nz) == p {
                return Some(i + c.len_utf8());
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Whether every article matching `new` also matched `old`: the same number of sets, each a
/// single term (no `|`), each old term still there with the same sigils, a positive fuzzy,
/// prefix or `@` term possibly extended (`bi` -> `bis`); new sets only add conditions. Not for
/// `'exact` Latin (`'bisha` does not match where `'bishan` does: whole syllables), `$` (`o$` ->
/// `oo$`), nor `!` terms (a longer exclusion excludes less).
pub(super) fn narrows(old: &Pattern, new: &Pattern) -> bool {
    let single = |p: &Pattern| p.sets.iter().all(|s| s.len() == 1);
    single(old)
        && single(new)
        && old.sets.len() <= new.sets.len()
        && old.sets.iter().zip(&new.sets).all(|(o, n)| {
            let (o, n) = (&o[0], &n[0]);
            let same_kind = o.kind == n.kind && o.negate == n.negate && o.districts_only == n.districts_only;
            let may_extend = !o.negate && matches!(o.kind, TermKind::Fuzzy | TermKind::Prefix);
            // Case-sensitive and un-normalised terms match less, never more.
            let stricter = (n.case_sensitive || !o.case_sensitive) && (o.normalize || !n.normalize);
            same_kind && stricter && (o.text == n.text || (may_extend && n.text.starts_with(&o.text)))
        })
}

pub(super) fn push_positions(out: &mut Vec<usize>, pos: Pos) {
    match pos {
        Pos::None => {}
        Pos::Span(start, len) => out.extend(start..start + len),
        Pos::Indices(v) => out.extend(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(q: &str) -> Vec<Vec<(String, TermKind, bool, bool)>> {
        parse_query(q)
            .sets
            .iter()
            .map(|s| s.iter().map(|t| (t.text.clone(), t.kind, t.negate, t.districts_only)).collect())
            .collect()
    }

    fn one(text: &str, kind: TermKind, negate: bool) -> Vec<(String, TermKind, bool, bool)> {
        vec![(text.to_string(), kind, negate, false)]
    }

    #[test]
    fn fzf_sigils_in_fzf_order() {
        use TermKind::*;
        // fzf's TestParseTermsExtended query.
        let got = shape("aaa 'bbb ^ccc ddd$ !eee !'fff !^ggg !hhh$ | ^iii$ ^xxx | 'yyy | zzz$ | !ZZZ |");
        let want = vec![
            one("aaa", Fuzzy, false),
            one("bbb", Exact, false),
            one("ccc", Prefix, false),
            one("ddd", Suffix, false),
            one("eee", Exact, true),
            one("fff", Fuzzy, true),
            one("ggg", Prefix, true),
            vec![("hhh".into(), Suffix, true, false), ("iii".into(), Equal, false, false)],
            vec![
                ("xxx".into(), Prefix, false, false),
                ("yyy".into(), Exact, false, false),
                ("zzz".into(), Suffix, false, false),
                ("ZZZ".into(), Exact, true, false),
            ],
        ];
        assert_eq!(got, want);
        // A leading sigil after `'` or `^` is literal; `'…'` is a word-boundary match.
        assert_eq!(shape("'!foo"), [one("!foo", Exact, false)]);
        assert_eq!(shape("^!foo"), [one("!foo", Prefix, false)]);
        assert_eq!(shape("'xyz'"), [one("xyz", Boundary, false)]);
        assert_eq!(shape("!'xyz'"), [one("xyz", Boundary, true)]);
        assert_eq!(shape("''"), [one("'", Exact, false)]);
        assert_eq!(shape("$ ^$"), [one("$", Fuzzy, false)]);
        assert_eq!(shape("foo\\ bar \\ "), [one("foo bar", Fuzzy, false), one(" ", Fuzzy, false)]);
        // A bar first, or after a bar, is a term of its own.
        assert_eq!(
            shape("| a | | b"),
            [
                one("|", Fuzzy, false),
                vec![("a".into(), Fuzzy, false, false), ("|".into(), Fuzzy, false, false)],
                one("b", Fuzzy, false)
            ]
        );
    }

    #[test]
    fn kanbao_additions_full_width_and_districts() {
        use TermKind::*;
        let got = shape("  ！宣讲　＠璧山 !'劳模 ^cq ! @ ' ^ ｂｓ");
        assert_eq!(
            got,
            [
                one("宣讲", Exact, true),
                vec![("璧山".into(), Fuzzy, false, true)],
                one("劳模", Fuzzy, true),
                one("cq", Prefix, false),
                one("bs", Fuzzy, false),
            ]
        );
        assert_eq!(shape("!@璧山"), [vec![("璧山".into(), Exact, true, true)]]);
        assert!(parse_query("璧山").terms().all(|t| !t.is_pinyin()));
        assert!(parse_query("bs").terms().all(Term::is_pinyin));
    }

    #[test]
    fn smart_case_and_normalisation_per_term() {
        let p = parse_query("foo Fbar café Ábc");
        let flags: Vec<(&str, bool, bool)> =
            p.terms().map(|t| (t.text.as_str(), t.case_sensitive, t.normalize)).collect();
        assert_eq!(flags, [("foo", false, true), ("Fbar", true, true), ("café", false, false), ("Ábc", true, false)]);
        // Unicode: Cyrillic С is uppercase.
        assert!(parse_query("С").terms().all(|t| t.case_sensitive));
        assert!(parse_query("с").terms().all(|t| !t.case_sensitive));
    }

    #[test]
    fn repeats_are_dropped_and_terms_capped() {
        let p = parse_query(&"b s ".repeat(2000));
        assert_eq!((p.sets.len(), p.dropped), (2, 0));
        let p = parse_query(&"x ".repeat(5000));
        assert_eq!((p.sets.len(), p.dropped), (1, 0));
        let distinct: String = (0..4000).map(|i| format!("t{i} ")).collect();
        let p = parse_query(&distinct);
        assert_eq!(p.terms().count(), MAX_TERMS);
        assert_eq!(p.typed_terms(), 4000);
        let ors: String = (0..100).map(|i| format!("o{i} | ")).collect();
        assert!(parse_query(&ors).terms().count() <= MAX_TERMS);
    }

    #[test]
    fn narrowing_only_where_results_can_only_shrink() {
        let p = parse_query;
        assert!(narrows(&p(""), &p("b")));
        assert!(narrows(&p("b"), &p("bi")));
        assert!(narrows(&p("bi"), &p("bi 劳")));
        assert!(narrows(&p("^c"), &p("^cq")));
        assert!(narrows(&p("@b"), &p("@bs")));
        assert!(narrows(&p("fo"), &p("foO")));
        assert!(narrows(&p("劳模 !宣"), &p("劳模 !宣 x")));
        assert!(!narrows(&p("劳模 !宣"), &p("劳模 !宣讲")), "a longer exclusion excludes less");
        assert!(!narrows(&p("'bisha"), &p("'bishan")), "whole syllables are not monotone");
        assert!(!narrows(&p("o$"), &p("oo$")));
        assert!(!narrows(&p("bi"), &p("b")));
        assert!(!narrows(&p("bi"), &p("!bi")));
        assert!(!narrows(&p("bi x"), &p("bi")));
        assert!(!narrows(&p("a |"), &p("a | b")));
        assert!(!narrows(&p("Fo"), &p("foo")), "case-insensitive matches more");
    }
}
