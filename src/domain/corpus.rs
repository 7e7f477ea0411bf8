//! The corpus: bulletins and their articles, with stable ids, oldest bulletin first.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::bodies::{self, BodyError, BodyFile};
use super::dates::YearMonth;
use super::detail::Detail;
use super::identity::{self, Prints};
use super::sanitize::clean_text;

/// Where a bulletin came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary from `seeds/`.
    Bundled,
    /// The user's library folder or a PATH argument.
    User,
}

/// An article. The parser fills in the text; `id`, `key` and `districts` are given when the
/// corpus is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// `<bulletin id>/<n>`, n from 1: typeable, e.g. `2023-05-k7f/2`.
    pub id: String,
    /// What marks (bookmarks, read marks, places) are stored under; see `identity`.
    pub key: String,
    pub section: Option<String>,
    pub kicker: Option<String>,
    pub title: String,
    /// No headline in the bulletin; `title` is the first sentence.
    pub title_derived: bool,
    pub subtitle: Option<String>,
    pub captions: Vec<String>,
    /// Where each caption stood: the number of paragraphs before it (0: above the body).
    pub caption_at: Vec<usize>,
    pub paragraphs: Vec<String>,
    /// Canonical district names, in order of first mention.
    pub districts: Vec<String>,
    /// 1-based line in the source file (for a PDF, the paragraph number).
    pub line: usize,
    /// The page it starts on, for PDF bulletins.
    pub page: Option<usize>,
    /// What its key takes from its text, made at parse time (`None` in hand-built articles:
    /// made from the text when the key is).
    pub prints: Option<Prints>,
}

impl Article {
    /// A caption standing after the paragraphs read so far.
    pub fn add_caption(&mut self, text: &str) {
        self.captions.push(text.to_string());
        self.caption_at.push(self.paragraphs.len());
    }

    /// What its key takes from its text: made at parse time, else from its headline and first
    /// paragraph.
    pub fn prints(&self) -> Prints {
        self.prints.unwrap_or_else(|| Prints::of(&self.title, self.paragraphs.first().map_or("", String::as_str)))
    }

    /// Captions standing above the body, in file order.
    pub fn set_leading_captions(&mut self, captions: Vec<String>) {
        self.caption_at = vec![0; captions.len()];
        self.captions = captions;
    }
}

/// The file's shape, as read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Plain text (seed-style, or a converter's hard-wrapped text).
    #[default]
    Text,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulletin {
    /// The month and three letters of the text's fingerprint, e.g. `2023-05-k7f`
    /// (`undated-k7f` without a date): it depends on this bulletin's text alone.
    pub id: String,
    /// File name.
    pub source: String,
    pub origin: Origin,
    pub date: Option<YearMonth>,
    /// How the date was found (or that it was overridden), for the user to check.
    pub date_evidence: Vec<String>,
    /// The lead article's headline.
    pub title: String,
    pub encoding: &'static str,
    /// Hash of the decoded, normalised text (`identity::text_fingerprint`): the bulletin's
    /// identity whatever its file's name, encoding or line ends.
    pub fingerprint: u64,
    /// Shared: a reload shares the articles of every bulletin whose file did not change with
    /// the corpus it replaces (see `parse_cache::Known`), rather than holding both.
    pub articles: Arc<Vec<Article>>,
    pub format: Format,
    /// The issue as the masthead prints it ("第9期（总第156期）").
    pub issue: Option<String>,
    /// The day of the month when the masthead prints the full date (it then set `date`).
    pub day: Option<u32>,
    /// Pages of a PDF (0 for text).
    pub pages: usize,
    /// Where the articles' paragraphs and captions are: in them, or in the parse cache.
    pub body: Body,
}

/// Where a bulletin's article bodies (paragraphs, captions) are.
#[derive(Debug, Clone, Default)]
pub enum Body {
    /// In the articles.
    #[default]
    Here,
    /// In the parse cache's file, read when needed (`Bulletin::whole`); the articles' own
    /// paragraph and caption lists are empty.
    Stored(StoredBody),
}

/// A bulletin's bodies in a parse cache file: the record at `at`, `len` bytes, CRC-32 `sum`.
#[derive(Debug, Clone)]
pub struct StoredBody {
    pub file: Arc<BodyFile>,
    pub at: u64,
    pub len: u32,
    pub sum: u32,
}

impl StoredBody {
    /// The raw record, into `buf` (see `bodies`).
    pub fn read_into(&self, buf: &mut Vec<u8>) -> Result<(), BodyError> {
        self.file.read_into(self.at, self.len, self.sum, buf)
    }

    /// `read_into` in two steps: the bytes, then (`check`) their checksum.
    pub fn read_unchecked_into<'b>(&self, buf: &'b mut Vec<u8>) -> Result<&'b [u8], BodyError> {
        self.file.read_unchecked_into(self.at, self.len, buf)
    }

    pub fn check(&self, record: &[u8]) -> Result<(), BodyError> {
        self.file.check(record, self.sum)
    }

    /// Reads the record and hands `f` its `articles` bodies, not yet checked as text.
    fn with_bodies<T>(
        &self,
        articles: usize,
        f: impl FnOnce(&[bodies::RawBody<'_>]) -> Result<T, BodyError>,
    ) -> Result<T, BodyError> {
        let mut buf = Vec::new();
        self.read_into(&mut buf)?;
        let raw = bodies::decode(&buf).map_err(|why| self.invalid(why))?;
        if raw.len() != articles {
            return Err(self.invalid("article count"));
        }
        f(&raw)
    }

    /// Gives `article` the body `raw`, each string checked as text (UTF-8, clean).
    fn fill(&self, article: &mut Article, raw: &bodies::RawBody<'_>) -> Result<(), BodyError> {
        let text = |v: &[&[u8]]| -> Result<Vec<String>, BodyError> {
            v.iter().map(|s| clean_text(s).map(str::to_string).ok_or_else(|| self.invalid("text"))).collect()
        };
        article.captions = text(&raw.captions)?;
        article.caption_at = raw.caption_at.clone();
        article.paragraphs = text(&raw.paragraphs)?;
        Ok(())
    }

    fn invalid(&self, why: &str) -> BodyError {
        BodyError(format!("{}: a record is not valid ({why})", self.file.path().display()))
    }
}

/// Bodies compare by what they say, not where they are kept: see `Bulletin::whole`.
impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        match (self, other) {
            (Body::Here, Body::Here) => true,
            (Body::Stored(a), Body::Stored(b)) => Arc::ptr_eq(&a.file, &b.file) && a.at == b.at,
            _ => false,
        }
    }
}

impl Eq for Body {}

impl Bulletin {
    /// The date with the day when the masthead prints it, and the issue when it prints one:
    /// "2024年9月25日 第9期（总第156期）"; else as `date_label`.
    pub fn dated_issue(&self) -> String {
        let date = match (self.date, self.day) {
            (Some(d), Some(day)) => format!("{}年{}月{day}日", d.year, d.month),
            _ => self.date_label(),
        };
        match &self.issue {
            Some(issue) => format!("{date} {issue}"),
            None => date,
        }
    }
}

impl Bulletin {
    /// The id of article `a` (from 0): `2024-03-k7f/2`. Articles keep it as `Article::id`,
    /// but for `Detail::Search`: `kanbao grep` makes it as it prints it, where 52,000 of them
    /// made at every start were a seventh of the parse cache's decoding.
    pub fn article_id(&self, a: usize) -> String {
        article_id(&self.id, a)
    }

    /// `article_id` onto `out`.
    pub fn push_article_id(&self, a: usize, out: &mut String) {
        push_article_id(out, &self.id, a);
    }

    /// The bulletin with its articles' bodies: itself when they are here, else read from the
    /// parse cache (and checked: UTF-8, clean, in place).
    pub fn whole(&self) -> Result<Cow<'_, Bulletin>, BodyError> {
        let Body::Stored(stored) = &self.body else { return Ok(Cow::Borrowed(self)) };
        let mut whole = Bulletin { body: Body::Here, ..self.clone() };
        stored.with_bodies(self.articles.len(), |raw| {
            for (a, r) in Arc::make_mut(&mut whole.articles).iter_mut().zip(raw) {
                stored.fill(a, r)?;
            }
            Ok(())
        })?;
        Ok(Cow::Owned(whole))
    }

    /// Article `a` with its body (see `whole`; only this article's text is checked and copied).
    pub fn whole_article(&self, a: usize) -> Result<Cow<'_, Article>, BodyError> {
        let Body::Stored(stored) = &self.body else { return Ok(Cow::Borrowed(&self.articles[a])) };
        let mut article = self.articles[a].clone();
        stored.with_bodies(self.articles.len(), |raw| stored.fill(&mut article, &raw[a]))?;
        Ok(Cow::Owned(article))
    }

    /// "2024年3月", or "日期不详" when the date is unknown: how every screen names the month.
    pub fn date_label(&self) -> String {
        self.date.map_or("日期不详".to_string(), |d| format!("{}年{}月", d.year, d.month))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    /// Oldest first, undated last.
    pub bulletins: Vec<Bulletin>,
}

/// Why an id names no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    NotFound,
    /// A month's short form (`2024-03`) while the month has several bulletins.
    Ambiguous(Vec<String>),
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::NotFound => f.write_str("no such article"),
            LookupError::Ambiguous(ids) => {
                write!(f, "that month has {} bulletins: say which ({})", ids.len(), ids.join(", "))
            }
        }
    }
}

impl Corpus {
    /// Orders bulletins and gives them and their articles their ids and keys.
    pub fn new(bulletins: Vec<Bulletin>) -> Corpus {
        Corpus::with_detail(bulletins, Detail::Full)
    }

    /// `new`; with `Detail::Search`, articles get no ids nor keys (search needs neither;
    /// `Bulletin::article_id` makes an id to show).
    pub fn with_detail(mut bulletins: Vec<Bulletin>, detail: Detail) -> Corpus {
        let heads = assign_ids(&mut bulletins, detail);
        // Undated last; then by date; then by id, so the order is the same on every machine.
        // Their places are sorted, then each bulletin is moved to its own (moving the large
        // structs at every step of the sort showed in a `kanbao grep` over 10,000 bulletins).
        // The keys are taken first, an id's first 16 bytes inline (ids are shorter): comparing
        // the ids themselves went to memory at each of a sort's steps, 70,000 for an archive.
        // Each key carries its place, sorted as it stands (not looked up at each step), the
        // place last: the order a stable sort gives, equal bulletins as they came.
        let mut keys: Vec<_> =
            bulletins.iter().zip(heads).enumerate().map(|(i, (b, head))| (b.date.is_none(), b.date, head, i)).collect();
        keys.sort_unstable_by(|a, b| {
            (a.0, a.1, a.2)
                .cmp(&(b.0, b.1, b.2))
                .then_with(|| bulletins[a.3].id.cmp(&bulletins[b.3].id))
                .then(a.3.cmp(&b.3))
        });
        let order: Vec<usize> = keys.into_iter().map(|(.., i)| i).collect();
        take_places(&mut bulletins, &order);
        Corpus { bulletins }
    }

    /// Looks an article up by id (`2023-05-k7f/2`); also accepts a bulletin id alone for its
    /// lead article, and the month alone (`2023-05/2`) while that month has one bulletin.
    ///
    /// ```
    /// use kanbao::domain::load::{LoadOptions, load};
    ///
    /// // The bulletins embedded in the binary.
    /// let (corpus, problems) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    /// assert!(problems.is_empty());
    /// let bulletin = &corpus.bulletins[0];
    /// let id = &bulletin.articles[1].id;
    /// let (b, a) = corpus.article(id).expect("every article's own id finds it");
    /// assert_eq!((&b.id, &a.title), (&bulletin.id, &bulletin.articles[1].title));
    /// // A bulletin id alone is its lead article; an unknown id is None, not a panic.
    /// assert_eq!(corpus.article(&bulletin.id).map(|(_, a)| &a.id), Some(&bulletin.articles[0].id));
    /// assert!(corpus.article("1999-01/1").is_none());
    /// // The month alone, as people type it, while that month has one bulletin.
    /// assert_eq!(corpus.article("2024-04/2").map(|(b, _)| b.id.as_str()), Some("2024-04-g78"));
    /// assert!(corpus.article(&format!("{}/0", bulletin.id)).is_none());
    /// ```
    pub fn article(&self, id: &str) -> Option<(&Bulletin, &Article)> {
        self.lookup(id).ok().map(|(b, a)| (&self.bulletins[b], &self.bulletins[b].articles[a]))
    }

    /// (bulletin, article) indices of an article id, or why there is none.
    pub fn lookup(&self, id: &str) -> Result<(usize, usize), LookupError> {
        let id = id.trim();
        let (bid, n) = match id.split_once('/') {
            Some((b, n)) => (b, n.parse::<usize>().map_err(|_| LookupError::NotFound)?),
            None => (id, 1),
        };
        let exact = self.bulletins.iter().position(|b| b.id.eq_ignore_ascii_case(bid));
        let b = match exact {
            Some(b) => b,
            None => {
                let month: Vec<usize> = (0..self.bulletins.len())
                    .filter(|&i| identity::month_label(self.bulletins[i].date).eq_ignore_ascii_case(bid))
                    .collect();
                match month[..] {
                    [] => return Err(LookupError::NotFound),
                    [only] => only,
                    _ => {
                        return Err(LookupError::Ambiguous(
                            month.iter().map(|&i| self.bulletins[i].id.clone()).collect(),
                        ));
                    }
                }
            }
        };
        let a = n.checked_sub(1).filter(|&a| a < self.bulletins[b].articles.len()).ok_or(LookupError::NotFound)?;
        Ok((b, a))
    }

    /// Bulletin indices newest first, undated last (in file order): how the library lists them
    /// and full-text search orders its results.
    pub fn newest_first(&self) -> impl Iterator<Item = usize> + '_ {
        let bs = &self.bulletins;
        let dated = (0..bs.len()).rev().filter(|&b| bs[b].date.is_some());
        dated.chain((0..bs.len()).filter(|&b| bs[b].date.is_none()))
    }

    /// Every article in that order, as (bulletin, article) indices: the library top to bottom.
    pub fn articles_newest_first(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.newest_first().flat_map(|b| (0..self.bulletins[b].articles.len()).map(move |a| (b, a)))
    }

    /// (bulletin, article) indices of the article a mark's key (`Article::key`) names, exactly.
    /// The key carries its bulletin's fingerprint: only that bulletin is looked through (the
    /// bookmarks overlay asks for each bookmark on every frame).
    pub fn find_key(&self, key: &str) -> Option<(usize, usize)> {
        let fingerprint = identity::ArticleKey::parse(key)?.bulletin;
        self.bulletins
            .iter()
            .enumerate()
            .filter(|(_, b)| b.fingerprint == fingerprint)
            .find_map(|(bi, b)| b.articles.iter().position(|a| a.key == key).map(|ai| (bi, ai)))
    }

    pub fn article_count(&self) -> usize {
        self.bulletins.iter().map(|b| b.articles.len()).sum()
    }
}

/// Gives every bulletin its id and every article its id and (if `keys`) key. Each depends only
/// on the bulletin's own text and date (ties in the three letters aside, see `identity`).
/// Returns the head of each id (`head`), for the corpus's order.
fn assign_ids(bulletins: &mut [Bulletin], detail: Detail) -> Vec<[u8; 16]> {
    // Bulletins of a month sharing their three letters: side by side once sorted by month and
    // letters (counted in a hash map, 10,000 of them took milliseconds of a load, on one core).
    let mut short: Vec<((Option<YearMonth>, u64), usize)> =
        bulletins.iter().enumerate().map(|(i, b)| ((b.date, b.fingerprint >> 49), i)).collect();
    short.sort_unstable();
    let mut shares = vec![false; bulletins.len()];
    for run in short.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        for &(_, i) in run {
            shares[i] = true;
        }
    }
    // Each id is made in one buffer, and copied only where it is new (as a rule, it stands).
    let mut id = String::with_capacity(16);
    let mut heads = Vec::with_capacity(bulletins.len());
    for (b, shares) in bulletins.iter_mut().zip(shares) {
        let letters = if shares { 6 } else { 3 };
        id.clear();
        identity::push_bulletin_id(&mut id, b.date, b.fingerprint, letters);
        heads.push(head(&id));
        if b.id != id {
            b.id.clone_from(&id);
        }
        // With `Detail::Search` articles carry no ids nor keys (`Bulletin::article_id`).
        if !detail.full() {
            continue;
        }
        let month = identity::month_label(b.date);
        // Articles shared with the corpus a reload replaces are copied only if this changes
        // them (their month, or their bulletin's letters): as a rule it does not.
        let given = given_ids(b, &month);
        if b.articles.iter().zip(&given).any(|(a, (id, key))| a.id != *id || a.key != *key) {
            for (a, (id, key)) in Arc::make_mut(&mut b.articles).iter_mut().zip(given) {
                a.id = id;
                a.key = key;
            }
        }
    }
    heads
}

/// An id's first 16 bytes (ids are shorter), zero-filled: sorted by these, bulletins are as
/// sorted by their ids but where ids share them.
fn head(id: &str) -> [u8; 16] {
    let mut h = [0u8; 16];
    let n = id.len().min(16);
    h[..n].copy_from_slice(&id.as_bytes()[..n]);
    h
}

/// Puts `items` in the places `order` gives them (`order[k]`: the item that goes to place `k`,
/// each item once), in place: along each cycle of the permutation, each place takes its item
/// by one swap. Moved into a new list instead, 10,000 bulletins went twice into fresh memory.
fn take_places<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed[start] {
            continue;
        }
        placed[start] = true;
        // Place `k` takes its item from `order[k]`, which then holds the item `start` held,
        // until the place whose item that is closes the cycle.
        let mut k = start;
        while order[k] != start {
            let from = order[k];
            items.swap(k, from);
            placed[from] = true;
            k = from;
        }
    }
}

/// Gives `b` the id it keeps unless another bulletin of its month shares its three letters or
/// its date changes (`assign_ids` checks): on the threads that decode the parse cache for
/// `kanbao grep`, so that the corpus, on one core, makes only the ids that change.
pub fn give_first_id(b: &mut Bulletin) {
    b.id = identity::bulletin_id(b.date, b.fingerprint, 3);
}

/// The id of the `i`-th article (from 0) of the bulletin `bulletin`: `2024-03-k7f/2`.
fn article_id(bulletin: &str, i: usize) -> String {
    let mut id = String::with_capacity(bulletin.len() + 4);
    push_article_id(&mut id, bulletin, i);
    id
}

/// `article_id` onto `out`, by hand (not `format!`: one per article on every start).
fn push_article_id(out: &mut String, bulletin: &str, i: usize) {
    out.push_str(bulletin);
    out.push('/');
    identity::push_decimal(out, i + 1);
}

/// The id and the key of each article of `b` (whose own id is given).
fn given_ids(b: &Bulletin, month: &str) -> Vec<(String, String)> {
    let mut seen: HashMap<u32, usize> = HashMap::new();
    (b.articles.iter().enumerate())
        .map(|(i, a)| {
            let id = article_id(&b.id, i);
            let prints = a.prints();
            // The same headline twice in one bulletin ("图片新闻" items): count them.
            let nth = seen.entry(prints.title).or_default();
            *nth += 1;
            (id, identity::key_string(month, b.fingerprint, prints, *nth))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identity::text_fingerprint;

    fn bulletin(source: &str, date: Option<(i32, u32)>) -> Bulletin {
        Bulletin {
            id: String::new(),
            source: source.into(),
            origin: Origin::Bundled,
            date: date.map(|(year, month)| YearMonth { year, month }),
            date_evidence: vec![],
            title: "t".into(),
            encoding: "UTF-8",
            fingerprint: text_fingerprint(source),
            articles: vec![Article { title: "a".into(), line: 1, ..Default::default() }].into(),
            format: Format::Text,
            issue: None,
            day: None,
            pages: 0,
            body: Body::Here,
        }
    }

    /// Items put in place along the cycles of a permutation stand where moving each into a new
    /// list would put them, for permutations of every shape: none, one cycle, many, fixed points.
    #[test]
    fn places_taken_in_place_are_the_orders_places() {
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for n in 0..40 {
            for round in 0..20 {
                let mut order: Vec<usize> = (0..n).collect();
                // Round 0 keeps every item in place; the others shuffle some or all.
                for i in (1..n).rev().take(round * n / 10) {
                    order.swap(i, next(i + 1));
                }
                let items: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
                let want: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
                let mut got = items;
                take_places(&mut got, &order);
                assert_eq!(got, want, "{order:?}");
            }
        }
    }

    #[test]
    fn every_key_finds_its_article_and_nothing_else_does() {
        let mut b = bulletin("a.txt", Some((2024, 3)));
        Arc::make_mut(&mut b.articles).push(Article { title: "b".into(), line: 2, ..Default::default() });
        let c = Corpus::new(vec![bulletin("z.txt", None), b, bulletin("c.txt", Some((2024, 3)))]);
        for (bi, bulletin) in c.bulletins.iter().enumerate() {
            for (ai, a) in bulletin.articles.iter().enumerate() {
                assert_eq!(c.find_key(&a.key), Some((bi, ai)), "{}", a.key);
                assert_eq!(c.find_key(&a.id), None, "an id is not a key");
            }
        }
        // The same key under another bulletin's fingerprint, or another headline: no article.
        let key = &c.bulletins[1].articles[0].key;
        let other = format!("{:016x}", c.bulletins[1].fingerprint ^ 1);
        assert_eq!(c.find_key(&key.replace(&format!("{:016x}", c.bulletins[1].fingerprint), &other)), None);
        assert_eq!(c.find_key(&key.replace(".1:", ".9:")), None);
    }

    #[test]
    fn oldest_first_undated_last_and_ids() {
        let c = Corpus::new(vec![
            bulletin("z.txt", None),
            bulletin("b.txt", Some((2024, 3))),
            bulletin("a.txt", Some((2023, 5))),
            bulletin("c.txt", Some((2024, 3))),
        ]);
        let ids: Vec<&str> = c.bulletins.iter().map(|b| b.id.as_str()).collect();
        assert!(ids[0].starts_with("2023-05-") && ids[0].len() == 11, "{ids:?}");
        assert!(ids[1].starts_with("2024-03-") && ids[2].starts_with("2024-03-"), "{ids:?}");
        assert!(ids[3].starts_with("undated-"));
        assert_eq!(c.bulletins[1].articles[0].id, format!("{}/1", ids[1]));
        // The month alone: fine for a month of one bulletin, refused (never guessed) for two.
        assert_eq!(c.article("2023-05").unwrap().1.id, format!("{}/1", ids[0]));
        assert_eq!(c.article("2023-05/1").unwrap().0.source, "a.txt");
        assert!(matches!(c.lookup("2024-03/1"), Err(LookupError::Ambiguous(v)) if v.len() == 2));
        assert_eq!(c.article(&format!("{}/1", ids[2].to_uppercase())).unwrap().0.id, ids[2]);
        assert!(c.article("2023-05/0").is_none());
        assert!(c.article("2023-05/9").is_none());
        assert!(c.article("2023-05b/1").is_none());
    }

    /// Ids given where a search load decodes the parse cache stand only while their bulletin's
    /// own id does: a second bulletin of the month with the same three letters, or a month set
    /// by a manifest afterwards, gives it (and so its articles) the id a corpus gives it.
    #[test]
    fn first_ids_give_way_to_the_ids_of_the_corpus() {
        let mut a = bulletin("a", Some((2024, 3)));
        let mut b = bulletin("b", Some((2024, 3)));
        let mut c = bulletin("c", Some((2024, 4)));
        let mut d = bulletin("d", Some((2024, 6)));
        (a.fingerprint, b.fingerprint) = ((5 << 49) | 1, (5 << 49) | 2);
        for x in [&mut a, &mut b, &mut c, &mut d] {
            Arc::make_mut(&mut x.articles).push(Article { title: "b".into(), line: 2, ..Default::default() });
            give_first_id(x);
        }
        let (first_c, first_d) = (c.id.clone(), d.id.clone());
        c.date = Some(YearMonth { year: 2024, month: 5 });
        let corpus = Corpus::with_detail(vec![a, b, c, d], Detail::Search);
        for bl in &corpus.bulletins {
            let letters = if bl.date == Some(YearMonth { year: 2024, month: 3 }) { 6 } else { 3 };
            assert_eq!(bl.id, identity::bulletin_id(bl.date, bl.fingerprint, letters));
            let ids: Vec<String> = (0..bl.articles.len()).map(|a| bl.article_id(a)).collect();
            assert_eq!(ids, [format!("{}/1", bl.id), format!("{}/2", bl.id)]);
            // Made as they are shown, not kept, nor keys.
            assert!(bl.articles.iter().all(|a| a.id.is_empty() && a.key.is_empty()));
        }
        let ids: Vec<&str> = corpus.bulletins.iter().map(|b| b.id.as_str()).collect();
        assert!(!ids.contains(&first_c.as_str()) && ids.contains(&first_d.as_str()), "{ids:?}");
    }
}
