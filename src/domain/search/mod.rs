//! Full-text search over every article: kicker, title, subtitle, captions and paragraphs.
//!
//! Matching suits Chinese (see `query`): a phrase of Hanzi matches anywhere, terms separated by
//! spaces must all occur (any order, anywhere in the article), `"a phrase"` keeps its words
//! together, `!term` leaves articles out, full-width and half-width forms are one, Latin is
//! case-insensitive unless the query has a capital, and whitespace next to Chinese (a line
//! break, a page-break join) does not stop a match.
//!
//! There is no index: each term is one regex run over the articles' text where it is stored,
//! on every core (literal Hanzi queries become a memchr/memmem scan inside the regex engine),
//! so memory does not grow with the corpus. Bodies kept in the parse cache are read a bulletin
//! at a time and searched as bytes (the patterns match UTF-8; no copy into strings). Results: one per matching article, newest bulletin
//! first (undated last), articles in bulletin order.

mod query;
mod snippet;

use std::ops::Range;

use regex::bytes::Regex;

use super::bodies;
use super::corpus::{Article, Body, Corpus};
use super::sanitize::is_clean;
pub use query::{MAX_QUERY_CHARS, QueryError, Term, parse_terms};
pub use snippet::{Snippet, snippet, snippet_of_bytes};

/// Where in an article a text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Kicker,
    Title,
    Subtitle,
    /// The n-th caption (0-based, as in `captions`).
    Caption(usize),
    /// The n-th paragraph (0-based, as in `paragraphs`).
    Paragraph(usize),
}

impl Field {
    /// The field's name in JSON (`kanbao grep --json`), as in `kanbao export`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Kicker => "kicker",
            Field::Title => "title",
            Field::Subtitle => "subtitle",
            Field::Caption(_) => "caption",
            Field::Paragraph(_) => "paragraph",
        }
    }

    /// Index into `captions` or `paragraphs`.
    pub fn index(self) -> Option<usize> {
        match self {
            Field::Caption(i) | Field::Paragraph(i) => Some(i),
            _ => None,
        }
    }

    /// The field's bytes for an article whose body is a record from the parse cache (`body`),
    /// not yet checked as text; `None` when the body has no such caption or paragraph.
    pub fn raw_text<'a>(self, article: &'a Article, body: &bodies::RawBody<'a>) -> Option<&'a [u8]> {
        match self {
            Field::Caption(i) => body.captions.get(i).copied(),
            Field::Paragraph(i) => body.paragraphs.get(i).copied(),
            _ => Some(self.text(article).as_bytes()),
        }
    }

    /// The field's text in `article` (empty when it has no such field).
    pub fn text(self, article: &Article) -> &str {
        let text = match self {
            Field::Kicker => article.kicker.as_deref(),
            Field::Title => Some(article.title.as_str()),
            Field::Subtitle => article.subtitle.as_deref(),
            Field::Caption(i) => article.captions.get(i).map(String::as_str),
            Field::Paragraph(i) => article.paragraphs.get(i).map(String::as_str),
        };
        text.unwrap_or("")
    }
}

/// The article's texts in reading order: kicker, title, subtitle, then the body with each
/// caption where its picture stands (as the reading pane shows them).
pub fn fields(article: &Article) -> Vec<(Field, &str)> {
    let mut out = Vec::with_capacity(3 + article.captions.len() + article.paragraphs.len());
    let (captions, paragraphs) = (article.captions.len(), article.paragraphs.len());
    reading_order(article, &article.caption_at, captions, paragraphs, |f| out.push((f, f.text(article))));
    out
}

/// `fields`, of an article whose body is a record read from the parse cache, into `out`.
fn raw_fields_into<'a>(article: &'a Article, body: &bodies::RawBody<'a>, out: &mut Vec<(Field, &'a [u8])>) {
    let (captions, paragraphs) = (body.captions.len(), body.paragraphs.len());
    // Room for them all at once: the list is made anew for each bulletin's articles.
    out.reserve(3 + captions + paragraphs);
    reading_order(article, &body.caption_at, captions, paragraphs, |f| {
        out.push((f, f.raw_text(article, body).unwrap_or_default()))
    });
}

/// The fields of an article in reading order, each given to `push`, for a body of
/// `paragraphs` paragraphs and `captions` captions standing at `caption_at`.
fn reading_order(
    article: &Article,
    caption_at: &[usize],
    captions: usize,
    paragraphs: usize,
    mut push: impl FnMut(Field),
) {
    if article.kicker.is_some() {
        push(Field::Kicker);
    }
    push(Field::Title);
    if article.subtitle.is_some() {
        push(Field::Subtitle);
    }
    let placed = captions.min(caption_at.len());
    let at = |p: usize, push: &mut dyn FnMut(Field)| {
        (0..placed).filter(|&i| caption_at[i] == p).for_each(|i| push(Field::Caption(i)));
    };
    for p in 0..paragraphs {
        at(p, &mut push);
        push(Field::Paragraph(p));
    }
    at(paragraphs, &mut push);
    // A caption whose place is past the end (a hand-built article) is still searched.
    (0..captions).filter(|&i| caption_at.get(i).is_none_or(|&a| a > paragraphs)).for_each(|i| push(Field::Caption(i)));
}

/// A parsed, compiled query.
#[derive(Debug, Clone)]
pub struct Query {
    /// What the user typed (made safe to print).
    text: String,
    wanted: Vec<(Term, Regex)>,
    excluded: Vec<(Term, Regex)>,
    case_sensitive: bool,
}

impl Query {
    pub fn parse(query: &str) -> Result<Query, QueryError> {
        let len = query.chars().count();
        if len > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong(len));
        }
        let terms = parse_terms(query);
        if terms.is_empty() {
            return Err(QueryError::Empty);
        }
        let case_sensitive = query::has_capitals(&terms);
        let (mut wanted, mut excluded) = (Vec::new(), Vec::new());
        for t in terms {
            let re = query::compile(&t, case_sensitive).map_err(|_| QueryError::TooLong(len))?;
            if t.negate { excluded.push((t, re)) } else { wanted.push((t, re)) }
        }
        Ok(Query { text: crate::domain::sanitize::sanitize_line(query), wanted, excluded, case_sensitive })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether every article this query matches is also matched by `previous` (the query one
    /// keystroke ago): each earlier term still stands, wanted ones possibly longer, excluded ones
    /// unchanged, new terms only added, case not relaxed. Then only `previous`'s results need a
    /// look, as fzf narrows while you type.
    pub fn narrows(&self, previous: &Query) -> bool {
        let (now, before) = (self.terms(), previous.terms());
        now.len() >= before.len()
            && self.case_sensitive >= previous.case_sensitive
            && before.iter().zip(&now).all(|(b, n)| {
                b.negate == n.negate && if b.negate { b.text == n.text } else { n.text.contains(&b.text) }
            })
    }

    /// Terms in the order typed.
    fn terms(&self) -> Vec<&Term> {
        let mut all: Vec<(usize, &Term)> =
            self.wanted.iter().chain(&self.excluded).map(|(t, _)| t).map(|t| (t.order, t)).collect();
        all.sort_by_key(|(o, _)| *o);
        all.into_iter().map(|(_, t)| t).collect()
    }

    /// The terms that must occur (not the excluded ones).
    pub fn wanted(&self) -> impl Iterator<Item = &Term> {
        self.wanted.iter().map(|(t, _)| t)
    }

    /// Byte ranges of the wanted terms' matches in `text`, in order, overlaps merged.
    pub fn find_bytes(&self, text: &str) -> Vec<Range<usize>> {
        self.find_raw(text.as_bytes())
    }

    fn find_raw(&self, text: &[u8]) -> Vec<Range<usize>> {
        let mut spans: Vec<Range<usize>> =
            self.wanted.iter().flat_map(|(_, re)| re.find_iter(text).map(|m| m.range())).collect();
        if self.wanted.len() > 1 {
            merge(&mut spans);
        }
        spans
    }

    /// `find_raw(text)`'s first span, found without finding every match: the earliest match,
    /// stretched by each match of any term that overlaps or touches it (as `merge` joins the
    /// matches of several terms). A paragraph can hold dozens of matches of a common term; a
    /// `kanbao grep` line needs one.
    fn first_span(&self, text: &[u8]) -> Option<Range<usize>> {
        if let [(_, re)] = &self.wanted[..] {
            // One term's matches are not merged (`find_raw`).
            return re.find(text).map(|m| m.range());
        }
        let mut each: Vec<_> = self.wanted.iter().map(|(_, re)| re.find_iter(text).peekable()).collect();
        let mut span = each.iter_mut().filter_map(|m| m.peek().map(|m| m.range())).min_by_key(|r| (r.start, r.end))?;
        loop {
            let mut grown = false;
            for matches in &mut each {
                while let Some(m) = matches.next_if(|m| m.start() <= span.end) {
                    if m.end() > span.end {
                        span.end = m.end();
                        grown = true;
                    }
                }
            }
            if !grown {
                return Some(span);
            }
        }
    }

    /// Char ranges of the wanted terms' matches in `text`, in order, overlaps merged: what a
    /// view lights up.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        to_chars(text, &self.find_bytes(text))
    }

    /// Whether an excluded term occurs in any of the texts.
    fn excludes<'a>(&self, texts: impl Iterator<Item = &'a [u8]> + Clone) -> bool {
        self.excluded.iter().any(|(_, re)| texts.clone().any(|t| re.is_match(t)))
    }

    /// How `article` matches: its number of hits and the first hit in reading order, or `None`
    /// when a wanted term is missing or an excluded one is there. A query of exclusions only
    /// matches every other article, with no hits.
    pub fn match_article(&self, article: &Article) -> Option<(usize, Option<Hit>)> {
        self.match_article_counting(article, Counting::Every)
    }

    fn match_article_counting(&self, article: &Article, counting: Counting) -> Option<(usize, Option<Hit>)> {
        let fields: Vec<(Field, &[u8])> = fields(article).into_iter().map(|(f, t)| (f, t.as_bytes())).collect();
        let (count, first) = self.match_fields(&fields, counting)?;
        Some((count, first.map(First::hit)))
    }

    /// `match_article` over an article's texts as bytes (see `fields`), counting its hits
    /// (`Counting::Every`) or stopping at the first (`Counting::FirstOnly`: the count is then
    /// 1, or 0 for a query of exclusions only). The first hit comes with its field's text,
    /// checked as UTF-8 (text from the cache is checked here, where it is first shown): a
    /// field that is not has no hit to show.
    fn match_fields<'a>(&self, fields: &[(Field, &'a [u8])], counting: Counting) -> Option<(usize, Option<First<'a>>)> {
        if counting == Counting::FirstOnly {
            return self.match_first(fields);
        }
        // One term (or none: exclusions only) from here on.
        if self.wanted.len() > 1 {
            return self.match_terms(fields);
        }
        let mut count = 0;
        let mut first: Option<(usize, Range<usize>)> = None;
        for (_, re) in &self.wanted {
            let mut any = false;
            for (i, (_, text)) in fields.iter().enumerate() {
                let mut it = re.find_iter(text);
                let Some(m) = it.next() else { continue };
                any = true;
                if first.as_ref().is_none_or(|(fi, r)| (i, m.start()) < (*fi, r.start)) {
                    first = Some((i, m.range()));
                }
                count += 1 + it.count();
            }
            if !any {
                return None;
            }
        }
        if self.excludes(fields.iter().map(|(_, t)| *t)) {
            return None;
        }
        Some((count, first.and_then(|(i, bytes)| First::at(fields[i], bytes))))
    }

    /// `match_fields` without counting: each wanted term is looked for only up to its first
    /// match in reading order, and the first hit is the one the counting search finds (a
    /// plain `kanbao grep` line shows no count; `工会` has 500,000 hits over 10,000 bulletins).
    fn match_first<'a>(&self, fields: &[(Field, &'a [u8])]) -> Option<(usize, Option<First<'a>>)> {
        // Each wanted term's first match; the earliest in reading order is the first hit.
        let mut first: Option<(usize, Range<usize>)> = None;
        for (_, re) in &self.wanted {
            // A later field cannot hold the first hit: there a term only needs to occur.
            let before = first.as_ref().map_or(fields.len(), |(f, _)| f + 1);
            let found = fields[..before].iter().enumerate().find_map(|(i, (_, t))| Some((i, re.find(t)?.range())));
            match found {
                Some((i, m)) => {
                    if first.as_ref().is_none_or(|(fi, r)| (i, m.start) < (*fi, r.start)) {
                        first = Some((i, m));
                    }
                }
                None if fields[before..].iter().any(|(_, t)| re.is_match(t)) => {}
                None => return None,
            }
        }
        if self.excludes(fields.iter().map(|(_, t)| *t)) {
            return None;
        }
        let Some((i, span)) = first else { return Some((0, None)) };
        if self.wanted.len() == 1 {
            return Some((1, First::at(fields[i], span)));
        }
        // Several terms: their spans in that field merged, as `match_terms` merges them; a
        // field that is not UTF-8 passes the first hit on, as there.
        match self.first_span(fields[i].1).and_then(|span| First::at(fields[i], span)) {
            Some(hit) => Some((1, Some(hit))),
            None => self.match_terms(fields).map(|(_, first)| (1, first)),
        }
    }

    /// `match_fields` for several terms: each must occur somewhere (a scan that stops at the
    /// first), then the hits are the terms' matches merged (`职工 工会` in 职工会 is one place
    /// to step to), counted in one pass, the first of them in reading order the first hit.
    fn match_terms<'a>(&self, fields: &[(Field, &'a [u8])]) -> Option<(usize, Option<First<'a>>)> {
        if !self.wanted.iter().all(|(_, re)| fields.iter().any(|(_, t)| re.is_match(t))) {
            return None;
        }
        if self.excludes(fields.iter().map(|(_, t)| *t)) {
            return None;
        }
        let mut count = 0;
        let mut first = None;
        for &(field, text) in fields {
            let spans = self.find_raw(text);
            if first.is_none()
                && let Some(span) = spans.first()
            {
                first = First::at((field, text), span.clone());
            }
            count += spans.len();
        }
        Some((count, first))
    }

    /// Whether any of `articles` can match, given their body record: each wanted term occurs
    /// in the record or in one of their headlines. A match inside one text is a match inside
    /// the record that holds it, so this never leaves out an article that matches; most
    /// bulletins of an archive lack a rare term, and are passed over in one scan of their bytes.
    fn may_match<'a>(&self, record: &[u8], articles: impl Iterator<Item = &'a Article> + Clone) -> bool {
        self.wanted.iter().all(|(_, re)| {
            re.is_match(record)
                || articles.clone().any(|a| {
                    [a.kicker.as_deref(), Some(a.title.as_str()), a.subtitle.as_deref()]
                        .into_iter()
                        .flatten()
                        .any(|t| re.is_match(t.as_bytes()))
                })
        })
    }

    /// Every hit in `article`, in reading order (char ranges within each field).
    pub fn article_hits(&self, article: &Article) -> Vec<Hit> {
        fields(article)
            .into_iter()
            .flat_map(|(field, text)| self.find(text).into_iter().map(move |chars| Hit { field, chars }))
            .collect()
    }
}

/// An article's first hit as a search finds it: the field, its text, and the bytes that matched.
struct First<'a> {
    field: Field,
    text: &'a str,
    bytes: Range<usize>,
}

impl<'a> First<'a> {
    /// The hit at byte range `bytes` of a field's text, if the text is UTF-8.
    fn at((field, text): (Field, &'a [u8]), bytes: Range<usize>) -> Option<First<'a>> {
        Some(First { field, text: super::utf8::text(text)?, bytes })
    }

    fn hit(self) -> Hit {
        Hit { field: self.field, chars: to_chars(self.text, std::slice::from_ref(&self.bytes)).remove(0) }
    }
}

/// Whether a search counts every hit of each matching article, or only finds the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Every hit counted (`Found::hits`): the reader and `kanbao grep --json` show the count.
    Every,
    /// Only the first hit found; `Found::hits` is 1 (0 for a query of exclusions only). What a
    /// plain `kanbao grep` line needs.
    FirstOnly,
}

/// One match: the field, and the chars of its text that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub field: Field,
    pub chars: Range<usize>,
}

/// A matching article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Indices into `corpus.bulletins` and that bulletin's `articles`.
    pub bulletin: usize,
    pub article: usize,
    /// Hits of the wanted terms (overlaps merged); 0 for a query of exclusions only. Not
    /// counted by `search_first_hits`: 1 there (see `Counting::FirstOnly`).
    pub hits: usize,
    /// The first hit in reading order.
    pub first: Option<Hit>,
    /// The text of the first hit's field, when the search was asked to keep it
    /// (`search_keeping_text`: `kanbao grep` prints it; the reader reads the few it shows).
    pub text: Option<String>,
}

/// Every matching article, newest bulletin first (undated last), articles in bulletin order.
/// Runs on every core for a large corpus.
pub fn search(corpus: &Corpus, query: &Query) -> Vec<Found> {
    search_in(corpus, query, &corpus.articles_newest_first().collect::<Vec<_>>(), false, Counting::Every)
}

/// `search`, each result with the text of its first hit's field (`Found::text`), taken while
/// its body is read for the search anyway.
pub fn search_keeping_text(corpus: &Corpus, query: &Query) -> Vec<Found> {
    search_in(corpus, query, &corpus.articles_newest_first().collect::<Vec<_>>(), true, Counting::Every)
}

/// `search_keeping_text` that only finds each article's first hit (`Counting::FirstOnly`): the
/// same articles, first hits and texts, without counting the hits.
pub fn search_first_hits(corpus: &Corpus, query: &Query) -> Vec<Found> {
    search_in(corpus, query, &corpus.articles_newest_first().collect::<Vec<_>>(), true, Counting::FirstOnly)
}

/// From this many articles on, the search runs on every core (a few hundred bulletins' bodies).
const PARALLEL_ARTICLES: usize = 2_048;
/// Bulletins a thread takes at a time: small enough to end together, large enough that
/// taking them costs nothing.
const RUNS_PER_PIECE: usize = 64;

fn search_in(
    corpus: &Corpus,
    query: &Query,
    order: &[(usize, usize)],
    keep_text: bool,
    counting: Counting,
) -> Vec<Found> {
    let pieces = search_each(corpus, query, order, counting, |out: &mut Vec<Found>, m: Met| {
        let text = if keep_text { m.shown_text().map(str::to_string) } else { None };
        out.push(Found {
            bulletin: m.bulletin,
            article: m.article,
            hits: m.hits,
            first: m.first.map(First::hit),
            text,
        });
    });
    pieces.into_iter().flatten().collect()
}

/// A matching article as the search meets it, before anything is copied.
pub struct Met<'a> {
    /// Indices into `corpus.bulletins` and that bulletin's `articles`.
    pub bulletin: usize,
    pub article: usize,
    /// As `Found::hits`.
    pub hits: usize,
    first: Option<First<'a>>,
    /// Where the first hit's text comes from: the article's own text may be shown as it is;
    /// text from the parse cache only once checked clean (as the parser leaves text); text of
    /// a body that could not be read, not at all.
    source: Source,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Article,
    Cache,
    Unread,
}

impl<'a> Met<'a> {
    /// The first hit's field, that field's text and the bytes of it that matched, if the text
    /// may be shown as it is (else the caller reads the article again, and says why not).
    pub fn first_shown(&self) -> Option<(Field, &'a str, Range<usize>)> {
        let (field, text, bytes, check) = self.first_unchecked()?;
        (!check || is_clean(text)).then_some((field, text, bytes))
    }

    /// `first_shown`, leaving the check to the caller: the last item says whether what is
    /// shown of the text must be checked clean (`is_clean`) before it reaches a terminal. Only
    /// a caption or paragraph from the parse cache must: headlines were checked at load. A
    /// `kanbao grep` line checks the part of a paragraph it shows, not the whole of each of
    /// 50,000 paragraphs. `None` when the body could not be read.
    pub fn first_unchecked(&self) -> Option<(Field, &'a str, Range<usize>, bool)> {
        let first = self.first.as_ref()?;
        let check = match self.source {
            Source::Article => false,
            Source::Cache => matches!(first.field, Field::Caption(_) | Field::Paragraph(_)),
            Source::Unread => return None,
        };
        Some((first.field, first.text, first.bytes.clone(), check))
    }

    /// The text of the first hit's field, if it may be shown.
    fn shown_text(&self) -> Option<&'a str> {
        self.first_shown().map(|(_, text, _)| text)
    }

    /// The result as `search_first_hits` gives it (`Found::text` left empty).
    pub fn found(self) -> Found {
        Found {
            bulletin: self.bulletin,
            article: self.article,
            hits: self.hits,
            first: self.first.map(First::hit),
            text: None,
        }
    }
}

/// The search itself: every matching article of `order` met in that order by `visit`, which
/// adds what it makes of each to the output of the piece of work it is in (`P`, one per piece,
/// in order). `kanbao grep` lays out each line here, on the core that found the article, while
/// its text is at hand.
pub fn search_each<P: Default + Send>(
    corpus: &Corpus,
    query: &Query,
    order: &[(usize, usize)],
    counting: Counting,
    visit: impl Fn(&mut P, Met<'_>) + Sync,
) -> Vec<P> {
    let mut pieces = Vec::new();
    search_each_into(corpus, query, order, counting, visit, |piece| {
        pieces.push(piece);
        true
    });
    pieces
}

/// `search_each`, each piece handed to `sink` in order as soon as it is done (see
/// `par_pieces_into`): `kanbao grep` writes its lines while the search goes on. The search
/// stops when `sink` says `false`.
pub fn search_each_into<P: Default + Send>(
    corpus: &Corpus,
    query: &Query,
    order: &[(usize, usize)],
    counting: Counting,
    visit: impl Fn(&mut P, Met<'_>) + Sync,
    sink: impl FnMut(P) -> bool,
) {
    // Runs of one bulletin's articles: a body kept in the parse cache is read once per run.
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (i, &(b, _)) in order.iter().enumerate() {
        match runs.last_mut() {
            Some(r) if order[r.start].0 == b => r.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    // Threads by the articles to look at, not by runs: each run is a bulletin's bodies to read.
    let min_runs = if order.len() >= PARALLEL_ARTICLES { 2 } else { usize::MAX };
    // Each thread with its own copy of the query (see `par_pieces_from`) and record buffer.
    let each_thread = || (query.clone(), Vec::new());
    let piece = |state: &mut (Query, Vec<u8>), range: Range<usize>| {
        let (query, buf) = state;
        let query = &*query;
        let mut out = P::default();
        for run in &runs[range] {
            let b = order[run.start].0;
            let bulletin = &corpus.bulletins[b];
            let articles = || order[run.clone()].iter().map(|&(_, a)| &bulletin.articles[a]);
            let raw = match &bulletin.body {
                Body::Here => None,
                // Unreadable: matched on its headlines; opening it says why.
                // The checksum only of a record that may match: the others show nothing.
                Body::Stored(s) => match s.read_unchecked_into(buf) {
                    Ok(record) if !query.may_match(record, articles()) => continue,
                    Ok(record) if s.check(record).is_ok() => {
                        bodies::decode(record).ok().filter(|r| r.len() == bulletin.articles.len())
                    }
                    _ => None,
                },
            };
            // One list of an article's texts, refilled for each.
            let mut texts: Vec<(Field, &[u8])> = Vec::new();
            for &(_, a) in &order[run.clone()] {
                let article = &bulletin.articles[a];
                texts.clear();
                match &raw {
                    Some(raw) => raw_fields_into(article, &raw[a], &mut texts),
                    None => texts.extend(fields(article).into_iter().map(|(f, t)| (f, t.as_bytes()))),
                }
                let Some((hits, first)) = query.match_fields(&texts, counting) else { continue };
                let source = match (&raw, &bulletin.body) {
                    (Some(_), _) => Source::Cache,
                    (None, Body::Here) => Source::Article,
                    (None, Body::Stored(_)) => Source::Unread,
                };
                visit(&mut out, Met { bulletin: b, article: a, hits, first, source });
            }
        }
        out
    };
    super::parallel::par_pieces_into(runs.len(), min_runs, RUNS_PER_PIECE, each_thread, piece, sink);
}

/// `search` over the articles of `within` only (earlier results, when `query` narrows theirs),
/// in their order.
pub fn search_within(corpus: &Corpus, query: &Query, within: &[Found]) -> Vec<Found> {
    let order: Vec<(usize, usize)> = within.iter().map(|f| (f.bulletin, f.article)).collect();
    search_in(corpus, query, &order, false, Counting::Every)
}

/// Sorts spans and merges those that overlap or touch.
fn merge(spans: &mut Vec<Range<usize>>) {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    *spans = out;
}

/// Byte ranges (sorted, on char boundaries) to char ranges, in one pass over `text`.
fn to_chars(text: &str, bytes: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut at_byte, mut at_char) = (0, 0);
    let mut chars_to = |b: usize| {
        at_char += text[at_byte..b].chars().count();
        at_byte = b;
        at_char
    };
    for r in bytes {
        let start = chars_to(r.start);
        let end = chars_to(r.end);
        out.push(start..end);
    }
    out
}

#[cfg(test)]
mod tests;
