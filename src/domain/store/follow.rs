//! Marks follow their article: the keys in the state are matched to the corpus loaded now and
//! rewritten to the articles' current keys (see `identity`). Ids from a format-1 state file
//! (`2024-03b/2`) are carried over the same way, by the ids the old scheme gives this corpus.
//! A mark whose article is not loaded now is kept exactly as it is.

use std::collections::HashMap;

use super::SavedState;
use crate::domain::corpus::{Bulletin, Corpus};
use crate::domain::identity::legacy::legacy_ids;
use crate::domain::identity::{ArticleKey, month_label};

/// Rewrites the marks of `state` to the keys of the articles they belong to in `corpus`, and
/// returns how many moved. `complete`: `corpus` is everything the user reads (bundled, library
/// and files named), as when the old ids were given; old ids are only carried over then,
/// since against a partial corpus they could name a different article.
pub fn follow(state: &mut SavedState, corpus: &Corpus, complete: bool) -> usize {
    // Built at the first mark: a state without marks costs nothing (52,000 articles' keys
    // took 40 ms to index).
    let index = std::cell::OnceCell::new();
    let bulletin_ids = std::cell::OnceCell::new();
    let legacy = if complete && has_legacy(state) { legacy_ids(&corpus.bulletins) } else { HashMap::new() };
    let new_key = |key: &str| -> Option<String> {
        let (b, a) = match ArticleKey::parse(key) {
            Some(_) => index.get_or_init(|| KeyIndex::new(&corpus.bulletins)).resolve(key)?,
            None => match legacy.get(key) {
                Some(&hit) => hit,
                None => current_id(corpus, bulletin_ids.get_or_init(|| by_id(corpus)), key)?,
            },
        };
        let current = &corpus.bulletins[b].articles[a].key;
        (current != key).then(|| current.clone())
    };
    let mut moved = 0;

    let read = std::mem::take(&mut state.read);
    for key in read {
        let key = new_key(&key).inspect(|_| moved += 1).unwrap_or(key);
        state.read.insert(key);
    }
    for (key, mut place) in std::mem::take(&mut state.places) {
        if let Some(k) = new_key(&key) {
            moved += 1;
            place.id = k;
        }
        // Two old marks on one article: the newer place wins, as in a merge.
        match state.places.get(&place.id) {
            Some(kept) if kept.at > place.at => {}
            _ => {
                state.places.insert(place.id.clone(), place);
            }
        }
    }
    if let Some(last) = &mut state.last
        && let Some(k) = new_key(&last.id)
    {
        moved += 1;
        last.id = k;
    }
    for (key, mark) in std::mem::take(&mut state.bookmarks) {
        let key = new_key(&key).inspect(|_| moved += 1).unwrap_or(key);
        match state.bookmarks.get(&key) {
            Some(kept) if kept.added > mark.added => {}
            _ => {
                state.bookmarks.insert(key, mark);
            }
        }
    }
    for (key, at) in std::mem::take(&mut state.removed_bookmarks) {
        let key = new_key(&key).unwrap_or(key);
        let t = state.removed_bookmarks.entry(key).or_insert(at);
        *t = (*t).max(at);
    }
    // A removal only hides bookmarks added before it (see `SavedState::merge`).
    let removed = &state.removed_bookmarks;
    state.bookmarks.retain(|k, b| removed.get(k).is_none_or(|&gone| b.added > gone));
    moved
}

/// Bulletin ids of the corpus, for `current_id`.
fn by_id(corpus: &Corpus) -> HashMap<&str, usize> {
    corpus.bulletins.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)).collect()
}

/// The article an id of this format names exactly (`2024-03-k7f/2`; the letters come from the
/// bulletin's own text, so the id cannot name another article). Read marks made with `A` and
/// `C` were stored under such ids for a while: they move to the article's key here.
fn current_id(corpus: &Corpus, by_id: &HashMap<&str, usize>, id: &str) -> Option<(usize, usize)> {
    let (bulletin, n) = id.split_once('/')?;
    let b = *by_id.get(bulletin)?;
    let a = n.parse::<usize>().ok()?.checked_sub(1)?;
    (a < corpus.bulletins[b].articles.len()).then_some((b, a))
}

/// Whether any mark is still under an id of the old format.
fn has_legacy(state: &SavedState) -> bool {
    let old = |k: &String| ArticleKey::parse(k).is_none();
    state.read.iter().any(old)
        || state.places.keys().any(old)
        || state.bookmarks.keys().any(old)
        || state.removed_bookmarks.keys().any(old)
        || state.last.as_ref().is_some_and(|p| old(&p.id))
}

/// Finds the article a stored key means in the corpus loaded now.
struct KeyIndex<'a> {
    bulletins: &'a [Bulletin],
    /// Key string -> (bulletin, article), for the exact match.
    exact: HashMap<&'a str, (usize, usize)>,
    by_text: HashMap<u64, usize>,
    by_month: HashMap<String, Vec<usize>>,
}

impl<'a> KeyIndex<'a> {
    fn new(bulletins: &'a [Bulletin]) -> KeyIndex<'a> {
        let articles = bulletins.iter().map(|b| b.articles.len()).sum();
        let mut index = KeyIndex {
            bulletins,
            exact: HashMap::with_capacity(articles),
            by_text: HashMap::with_capacity(bulletins.len()),
            by_month: HashMap::new(),
        };
        for (bi, b) in bulletins.iter().enumerate() {
            index.by_text.insert(b.fingerprint, bi);
            index.by_month.entry(month_label(b.date)).or_default().push(bi);
            for (ai, a) in b.articles.iter().enumerate() {
                index.exact.insert(&a.key, (bi, ai));
            }
        }
        index
    }

    /// The keys of bulletin `bi`'s articles, taken apart (only for a key that moved).
    fn keys(&self, bi: usize) -> Vec<ArticleKey> {
        let parse =
            |a: &crate::domain::corpus::Article| ArticleKey::parse(&a.key).expect("keys are written by `assign`");
        self.bulletins[bi].articles.iter().map(parse).collect()
    }

    /// The article `key` was stored for:
    /// 1. the same key (the usual case);
    /// 2. the same bulletin text (the parser changed): the article with that headline (and
    ///    count), else the one whose first paragraph begins the same way;
    /// 3. the same month (the bulletin came back in another format, or decodes a little
    ///    differently): one article with both the headline and the first paragraph, else the
    ///    month's only article with that headline.
    ///
    /// `None` when nothing matches without doubt: the mark is kept as it is, for when its
    /// bulletin is loaded again.
    fn resolve(&self, key: &str) -> Option<(usize, usize)> {
        if let Some(&hit) = self.exact.get(key) {
            return Some(hit);
        }
        let k = ArticleKey::parse(key)?;
        if let Some(&bi) = self.by_text.get(&k.bulletin) {
            let keys = self.keys(bi);
            let found = unique(keys.iter().enumerate().filter(|(_, a)| a.title == k.title && a.nth == k.nth))
                .or_else(|| unique(keys.iter().enumerate().filter(|(_, a)| a.lead == k.lead)));
            if let Some((ai, _)) = found {
                return Some((bi, ai));
            }
        }
        let candidates = || {
            self.by_month
                .get(&k.month)
                .into_iter()
                .flatten()
                .flat_map(|&bi| self.keys(bi).into_iter().enumerate().map(move |(ai, a)| ((bi, ai), a)))
        };
        unique(candidates().filter(|(_, a)| a.title == k.title && a.lead == k.lead))
            .or_else(|| unique(candidates().filter(|(_, a)| a.title == k.title && a.nth == k.nth)))
            .map(|(hit, _)| hit)
    }
}

/// The only item, or `None` for none or several.
fn unique<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.next().is_none().then_some(first)
}
