//! The full-text query: terms, "phrases", !exclusions; each term compiled to one regex that
//! matches the text as it is stored (nothing is folded or copied on the text side).
//!
//! The folds live in the pattern: every char becomes the class of its width forms (`,` is
//! `[,，]`), Latin is case-insensitive unless the query has a capital (smart case, as rg and
//! fzf), and whitespace next to Chinese is optional in the text (`拔河` finds `拔 河` and a
//! paragraph rejoined after a line break).

use std::fmt;

use regex::bytes::{Regex, RegexBuilder};

use crate::domain::fold::fold_width;
use crate::domain::han::is_han;
use crate::domain::sanitize::sanitize_line;

/// One term as typed, its chars folded to half-width (whitespace runs kept as one space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// `!term`: articles that contain it are left out.
    pub negate: bool,
    /// Place in the query (0 first).
    pub order: usize,
}

/// Longest query taken, in chars: a paragraph pasted by mistake is still a query, a
/// megabyte is not.
pub const MAX_QUERY_CHARS: usize = 1000;

/// A query that cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Nothing to find (only spaces, quotes or `!`).
    Empty,
    /// Longer than [`MAX_QUERY_CHARS`].
    TooLong(usize),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Empty => f.write_str("the query is empty: give a word to search for (e.g. 拔河)"),
            QueryError::TooLong(n) => {
                write!(f, "the query is {n} characters long; the limit is {MAX_QUERY_CHARS}")
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// Quote marks that open or close a phrase: ASCII, full-width, and the curly ones a Chinese IME types.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '＂' | '“' | '”')
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Splits a query into terms. Whitespace (the full-width space too) separates terms; a quoted
/// phrase is one term, spaces included; `!` (or `！`) before a term or phrase excludes it. An
/// unclosed quote runs to the end (the user is still typing); a bare `!` is dropped.
pub fn parse_terms(query: &str) -> Vec<Term> {
    let query = sanitize_line(query);
    let mut terms = Vec::new();
    let mut chars = query.chars().peekable();
    loop {
        while chars.next_if(|&c| is_space(c)).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let negate = matches!(first, '!' | '！');
        if negate {
            chars.next();
        }
        let mut text = String::new();
        if chars.next_if(|&c| is_quote(c)).is_some() {
            for c in chars.by_ref() {
                if is_quote(c) {
                    break;
                }
                text.push(c);
            }
        } else {
            while let Some(c) = chars.next_if(|&c| !is_space(c)) {
                text.push(c);
            }
        }
        // Fold, and one space for each run of whitespace (only phrases keep any).
        let mut folded = String::with_capacity(text.len());
        for c in text.trim_matches(is_space).chars().map(fold_width) {
            if !(is_space(c) && folded.ends_with(' ')) {
                folded.push(if is_space(c) { ' ' } else { c });
            }
        }
        if !folded.is_empty() {
            terms.push(Term { text: folded, negate, order: terms.len() });
        }
    }
    terms
}

/// Chars of Chinese text: next to them whitespace carries no meaning (Chinese has no spaces
/// between words; a space there is layout, a line break or a typist's habit).
pub(super) fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0xFF00..=0xFFEF)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Every char that folds to the same as `c`, its half-width form first: the forms a search
/// for `c` accepts in text that was not folded.
pub(super) fn width_forms(c: char) -> Vec<char> {
    let half = fold_width(c);
    let mut out = vec![half];
    match half {
        '!'..='~' => out.extend(char::from_u32(half as u32 + 0xFEE0)),
        ' ' => out.push('\u{3000}'),
        _ => {}
    }
    out
}

/// Whether the query holds a capital letter: then Latin matches case-sensitively.
pub fn has_capitals(terms: &[Term]) -> bool {
    terms.iter().any(|t| t.text.chars().any(char::is_uppercase))
}

/// The regex for one term (see the module comment). Fails only past the regex size limit,
/// which a query within [`MAX_QUERY_CHARS`] does not reach.
pub(super) fn compile(term: &Term, case_sensitive: bool) -> Result<Regex, regex::Error> {
    let chars: Vec<char> = term.text.chars().collect();
    let mut pattern = String::with_capacity(term.text.len() * 4);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if c == ' ' {
            // Inside a phrase: any whitespace between words, none needed next to Chinese.
            let cjk = prev.is_some_and(is_cjk) || chars.get(i + 1).copied().is_some_and(is_cjk);
            pattern.push_str(if cjk { r"\s*" } else { r"\s+" });
            continue;
        }
        if prev.is_some_and(|p| p != ' ' && (is_cjk(p) || is_cjk(c))) {
            pattern.push_str(r"\s*");
        }
        let forms = width_forms(c);
        if forms.len() == 1 {
            pattern.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
        } else {
            pattern.push('[');
            for f in forms {
                pattern.push_str(&regex::escape(f.encode_utf8(&mut [0; 4])));
            }
            pattern.push(']');
        }
    }
    RegexBuilder::new(&pattern).case_insensitive(!case_sensitive).size_limit(64 << 20).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(q: &str) -> Vec<(String, bool)> {
        parse_terms(q).into_iter().map(|t| (t.text, t.negate)).collect()
    }

    #[test]
    fn terms_phrases_and_exclusions() {
        assert_eq!(texts("职工 服务"), [("职工".into(), false), ("服务".into(), false)]);
        assert_eq!(texts("  \"劳模 工匠\"  "), [("劳模 工匠".into(), false)]);
        assert_eq!(texts("“劳模　工匠”"), [("劳模 工匠".into(), false)]);
        assert_eq!(texts("!重庆 拔河"), [("重庆".into(), true), ("拔河".into(), false)]);
        assert_eq!(texts("！\"a  b\""), [("a b".into(), true)]);
        assert_eq!(texts("ＡＰＰ　下载"), [("APP".into(), false), ("下载".into(), false)]);
        // Mid-typing: a bare sigil or an open quote.
        assert_eq!(texts("拔河 !"), [("拔河".into(), false)]);
        assert_eq!(texts("\"劳模 工"), [("劳模 工".into(), false)]);
        assert!(texts("  \"\" ! ").is_empty());
        // Controls from a pasted query are gone before anything else.
        assert_eq!(texts("a\u{1b}[31mb"), [("ab".into(), false)]);
    }

    #[test]
    fn forms_are_exactly_the_chars_that_fold_alike() {
        // Over all of Unicode: x is among the forms of c exactly when x folds as c does.
        let all = || (0..=0x10FFFFu32).filter_map(char::from_u32);
        let folding: Vec<char> = all().filter(|&c| fold_width(c) != c).collect();
        for c in folding.iter().copied().chain("aZ09 ,中".chars()) {
            let mut got = width_forms(c);
            assert_eq!(got[0], fold_width(c));
            let mut expected: Vec<char> = folding.iter().copied().filter(|&x| fold_width(x) == fold_width(c)).collect();
            expected.push(fold_width(c));
            got.sort();
            expected.sort();
            assert_eq!(got, expected, "{c:?}");
        }
    }

    #[test]
    fn patterns_fold_and_skip_spaces_next_to_chinese() {
        let find = |q: &str, text: &str| {
            let terms = parse_terms(q);
            let re = compile(&terms[0], has_capitals(&terms)).unwrap();
            re.find(text.as_bytes()).map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
        };
        assert_eq!(find("拔河", "举行拔 河比赛").as_deref(), Some("拔 河"));
        assert_eq!(find("拔河", "拔\n河"), Some("拔\n河".into()));
        assert_eq!(find("app", "下载ＡＰＰ。"), Some("ＡＰＰ".into()));
        // Smart case reads the folded query: ＡＰＰ has capitals as much as APP.
        assert_eq!(find("ＡＰＰ", "下载app"), None);
        assert_eq!(find("ＡＰＰ", "下载APP"), Some("APP".into()));
        assert_eq!(find("App", "下载app"), None);
        assert_eq!(find("App", "下载Ａｐｐ"), Some("Ａｐｐ".into()));
        assert_eq!(find("5月29日,", "5月29日，重庆"), Some("5月29日，".into()));
        assert_eq!(find("\"new era\"", "a new\n era"), Some("new\n era".into()));
        assert_eq!(find("\"new era\"", "a newera"), None);
        assert_eq!(find("ab", "a b"), None);
        assert_eq!(find("使用rust", "使用 rust"), Some("使用 rust".into()));
        // Regex syntax in a query is text.
        assert_eq!(find("a.b(", "a.b(c"), Some("a.b(".into()));
        assert_eq!(find("a.b", "axb"), None);
    }
}
