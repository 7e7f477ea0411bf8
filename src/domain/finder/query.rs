//! Query terms: parsing fzf's syntax, and matching one term against one text (SkimMatcherV2
//! fuzz, literal substrings and prefixes, pinyin).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::pinyin::{self, Pieces, Tok};

/// How a term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Plain term: fuzzy (Hanzi, Latin) or pinyin.
    Fuzzy,
    /// `'term`: exact substring; Latin also as whole pinyin syllables.
    Exact,
    /// `^term`: the title starts with it (literally or in pinyin).
    Prefix,
}

/// One parsed query term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub kind: TermKind,
    /// `!term`: articles where it occurs are left out.
    pub negate: bool,
    /// `@term`: matched against the article's districts only.
    pub districts_only: bool,
}

impl Term {
    /// Whether the term is matched as pinyin too (Latin letters, no Hanzi).
    pub fn is_pinyin(&self) -> bool {
        pinyin::is_pinyin_query(&self.text)
    }
}

/// Splits a query into terms. Spaces (also the full-width one a Chinese IME types) separate
/// terms; `\ ` is a literal space. Sigils `!`, `@` then `'` or `^` lead a term, in any order,
/// full-width `！` and `＠` too. A term that is only sigils (mid-typing) is dropped.
///
/// ```
/// use kanbao::domain::finder::{TermKind, parse_query};
///
/// // A fuzzy pinyin term, a district-only term, and a negated exact one (full-width space too).
/// let terms = parse_query("laomo @璧山　!'表彰");
/// assert_eq!(terms.len(), 3);
/// assert_eq!((terms[0].text.as_str(), terms[0].kind), ("laomo", TermKind::Fuzzy));
/// assert!(terms[0].is_pinyin());
/// assert!(terms[1].districts_only && terms[1].text == "璧山");
/// assert!(terms[2].negate && terms[2].kind == TermKind::Exact && terms[2].text == "表彰");
/// // Only sigils, as while typing: nothing to match yet.
/// assert!(parse_query("! ^").is_empty());
/// ```
pub fn parse_query(q: &str) -> Vec<Term> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&' ') {
            cur.push(' ');
            chars.next();
        } else if c.is_whitespace() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
        .into_iter()
        .filter_map(|w| {
            let mut t = Term { text: String::new(), kind: TermKind::Fuzzy, negate: false, districts_only: false };
            let mut rest = w.as_str();
            loop {
                let mut it = rest.chars();
                match it.next() {
                    Some('!' | '！') if !t.negate => t.negate = true,
                    Some('@' | '＠') if !t.districts_only => t.districts_only = true,
                    Some('\'') if t.kind == TermKind::Fuzzy => t.kind = TermKind::Exact,
                    Some('^') if t.kind == TermKind::Fuzzy => t.kind = TermKind::Prefix,
                    _ => break,
                }
                rest = it.as_str();
            }
            t.text = rest.to_string();
            (!t.text.is_empty()).then_some(t)
        })
        .collect()
}

/// How a compiled term looks for its text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Skim fuzz, plus pinyin with any pieces.
    Fuzzy,
    /// Substring, plus pinyin with the given pieces.
    Literal(Pieces),
    /// At the start of the text, literally or in pinyin.
    Prefix,
}

/// Where a term matched in one text.
pub(super) enum Pos {
    None,
    Span(usize, usize),
    Indices(Vec<usize>),
}

/// A term ready to match: its text in the forms each pass wants.
pub(super) struct Matcher {
    pub(super) term: Term,
    pub(super) mode: Mode,
    /// Smart case, as fzf and skim: an uppercase letter makes the term case-sensitive.
    case_sensitive: bool,
    /// The term, ASCII-lowercased unless case-sensitive.
    needle: String,
    /// Its chars, for the subsequence prefilter.
    chars: Vec<char>,
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
    lower: String,
    skim: SkimMatcherV2,
}

impl Default for Ctx {
    fn default() -> Ctx {
        // Past a million matrix cells (a 40-letter term on a 25,000-character line) SkimMatcherV2
        // switches to its linear greedy match: memory stays bounded on any input line.
        let skim = SkimMatcherV2::default().element_limit(1 << 20);
        Ctx { py: pinyin::Scratch::default(), lower: String::new(), skim }
    }
}

impl Matcher {
    pub(super) fn new(term: Term) -> Matcher {
        let mode = match (term.kind, term.negate || term.districts_only) {
            (TermKind::Prefix, _) => Mode::Prefix,
            (TermKind::Exact, _) => Mode::Literal(Pieces::Whole),
            // fzf's `!term` is an exact match: a scattered fuzzy hit must not hide an article.
            // District names are short: `@江` means "contains 江", not 江…区 scattered.
            (TermKind::Fuzzy, true) => Mode::Literal(Pieces::Any),
            (TermKind::Fuzzy, false) => Mode::Fuzzy,
        };
        let case_sensitive = term.text.chars().any(|c| c.is_ascii_uppercase());
        let needle = if case_sensitive { term.text.clone() } else { term.text.to_ascii_lowercase() };
        let pieces = match mode {
            Mode::Literal(p) => p,
            _ => Pieces::Any,
        };
        let pinyin = pinyin::Query::new(&term.text, pieces);
        let alnum = term.text.bytes().all(|b| b.is_ascii_alphanumeric());
        Matcher { chars: needle.chars().collect(), needle, mode, case_sensitive, pinyin, alnum, term }
    }

    /// Scores `text`; positions only when `want_pos` (they cost an allocation). `toks`: the
    /// text's pinyin tokens, when the caller keeps them.
    pub(super) fn score(&self, text: &str, toks: Option<&[Tok]>, want_pos: bool, ctx: &mut Ctx) -> Option<(i64, Pos)> {
        let anchored = self.mode == Mode::Prefix;
        let (scan, py) = match &self.pinyin {
            Some(q) => {
                let (scan, span) = q.locate(text, toks, anchored, &mut ctx.py);
                (Some(scan), span)
            }
            None => (None, None),
        };
        let literal = match self.mode {
            Mode::Fuzzy => {
                // The pinyin scan already tells whether the letters occur as Latin, in order.
                let maybe = match scan {
                    Some(s) if self.alnum => s.latin,
                    _ => is_subsequence(text, &self.chars, self.case_sensitive),
                };
                if !maybe {
                    None
                } else if want_pos {
                    ctx.skim.fuzzy_indices(text, &self.term.text).map(|(s, p)| (s, Pos::Indices(p)))
                } else {
                    ctx.skim.fuzzy_match(text, &self.term.text).map(|s| (s, Pos::None))
                }
            }
            Mode::Literal(_) => self.find_literal(text, ctx).map(|(start, len)| {
                let bonus = if start == 0 { 16 } else { 0 };
                (20 * len as i64 + bonus, Pos::Span(start, len))
            }),
            Mode::Prefix => self.literal_prefix(text).map(|len| (20 * len as i64 + 16, Pos::Span(0, len))),
        };
        match (literal, py) {
            (Some(l), Some(p)) if p.score > l.0 => Some((p.score, Pos::Span(p.start, p.len))),
            (Some(l), _) => Some(l),
            (None, Some(p)) => Some((p.score, Pos::Span(p.start, p.len))),
            (None, None) => None,
        }
    }

    pub(super) fn matches(&self, text: &str, toks: Option<&[Tok]>, ctx: &mut Ctx) -> bool {
        self.score(text, toks, false, ctx).is_some()
    }

    /// First occurrence as (char start, char len).
    fn find_literal(&self, text: &str, ctx: &mut Ctx) -> Option<(usize, usize)> {
        let hay = if self.case_sensitive || !text.bytes().any(|b| b.is_ascii_uppercase()) {
            text
        } else {
            // ASCII lowercasing keeps byte offsets, so the hit maps back to `text`.
            ctx.lower.clear();
            ctx.lower.push_str(text);
            ctx.lower.make_ascii_lowercase();
            &ctx.lower
        };
        let at = hay.find(&self.needle)?;
        Some((text[..at].chars().count(), self.chars.len()))
    }

    fn literal_prefix(&self, text: &str) -> Option<usize> {
        let head = text.as_bytes().get(..self.needle.len())?;
        let ok = if self.case_sensitive {
            head == self.needle.as_bytes()
        } else {
            head.eq_ignore_ascii_case(self.needle.as_bytes())
        };
        ok.then_some(self.chars.len())
    }
}

/// Whether `pat` occurs in `text` in order: the cheap test before SkimMatcherV2 builds its
/// matrix. `str::find(char)` runs on memchr, so most lines are rejected without decoding.
fn is_subsequence(text: &str, pat: &[char], case_sensitive: bool) -> bool {
    let mut rest = text;
    for &p in pat {
        let found = if !case_sensitive && p.is_ascii_lowercase() {
            let up = p.to_ascii_uppercase() as u8;
            rest.bytes().position(|b| b == p as u8 || b == up).map(|i| i + 1)
        } else {
            rest.find(p).map(|i| i + p.len_utf8())
        };
        match found {
            Some(next) => rest = &rest[next..],
            None => return false,
        }
    }
    true
}

/// Whether every article matching `new` also matched `old`: each old term is still there with
/// the same sigils, a positive fuzzy, prefix or `@` term possibly extended (`bi` -> `bis`);
/// new terms only add conditions. Not for `'exact` Latin (`'bisha` does not match where
/// `'bishan` does: whole syllables) nor `!` terms (a longer exclusion excludes less).
pub(super) fn narrows(old: &[Term], new: &[Term]) -> bool {
    old.len() <= new.len()
        && old.iter().zip(new).all(|(o, n)| {
            let same_kind = o.kind == n.kind && o.negate == n.negate && o.districts_only == n.districts_only;
            let may_extend = !o.negate && o.kind != TermKind::Exact;
            same_kind && (o.text == n.text || (may_extend && n.text.starts_with(&o.text)))
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

    #[test]
    fn sigils_combine_and_lone_sigils_are_dropped() {
        let t = parse_query("  ！宣讲　＠璧山 !'劳模 ^cq a\\ b ! @ ' ^ ");
        let shape: Vec<(&str, TermKind, bool, bool)> =
            t.iter().map(|t| (t.text.as_str(), t.kind, t.negate, t.districts_only)).collect();
        assert_eq!(
            shape,
            [
                ("宣讲", TermKind::Fuzzy, true, false),
                ("璧山", TermKind::Fuzzy, false, true),
                ("劳模", TermKind::Exact, true, false),
                ("cq", TermKind::Prefix, false, false),
                ("a b", TermKind::Fuzzy, false, false),
            ]
        );
        assert!(parse_query("璧山").iter().all(|t| !t.is_pinyin()));
        assert!(parse_query("bs").iter().all(Term::is_pinyin));
    }

    #[test]
    fn narrowing_only_where_results_can_only_shrink() {
        let p = parse_query;
        assert!(narrows(&p(""), &p("b")));
        assert!(narrows(&p("b"), &p("bi")));
        assert!(narrows(&p("bi"), &p("bi 劳")));
        assert!(narrows(&p("^c"), &p("^cq")));
        assert!(narrows(&p("@b"), &p("@bs")));
        assert!(narrows(&p("劳模 !宣"), &p("劳模 !宣 x")));
        assert!(!narrows(&p("劳模 !宣"), &p("劳模 !宣讲")), "a longer exclusion excludes less");
        assert!(!narrows(&p("'bisha"), &p("'bishan")), "whole syllables are not monotone");
        assert!(!narrows(&p("bi"), &p("b")));
        assert!(!narrows(&p("bi"), &p("!bi")));
        assert!(!narrows(&p("bi x"), &p("bi")));
    }
}
