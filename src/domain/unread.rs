//! Read and unread, as a feed reader shows them: counts per bulletin, the next unread article
//! across bulletins, the articles a "mark read" would change.
//!
//! Articles are walked in the library's order: bulletins newest first, articles in their order
//! within a bulletin (what the reader shows top to bottom). Read marks are stored under the
//! articles' keys (`Article::key`, see `identity`), like every other mark.

use std::collections::BTreeSet;

use super::corpus::{Bulletin, Corpus};

/// Unread articles of a bulletin.
pub fn unread_in(bulletin: &Bulletin, read: &BTreeSet<String>) -> usize {
    bulletin.articles.iter().filter(|a| !read.contains(&a.key)).count()
}

/// Unread articles in the whole corpus.
pub fn unread_total(corpus: &Corpus, read: &BTreeSet<String>) -> usize {
    corpus.bulletins.iter().map(|b| unread_in(b, read)).sum()
}

/// The first unread article after `from` in library order (from the top when `from` is None),
/// wrapping round once; never `from` itself. None when everything else is read.
pub fn next_unread(corpus: &Corpus, read: &BTreeSet<String>, from: Option<(usize, usize)>) -> Option<(usize, usize)> {
    let order: Vec<(usize, usize)> = corpus.articles_newest_first().collect();
    let start = from.and_then(|f| order.iter().position(|&p| p == f)).map_or(0, |i| i + 1);
    let unread = |&(b, a): &(usize, usize)| !read.contains(&corpus.bulletins[b].articles[a].key);
    order[start..].iter().chain(&order[..start]).copied().filter(|&p| Some(p) != from).find(|p| unread(p))
}

/// The next article in library order after `from` (into the next bulletin at a bulletin's
/// end), read or not; None after the last one.
pub fn next_article(corpus: &Corpus, from: (usize, usize)) -> Option<(usize, usize)> {
    corpus.articles_newest_first().skip_while(|&p| p != from).nth(1)
}

/// Keys of the unread articles of bulletin `b`, or of every bulletin: what "mark read" adds.
pub fn unread_keys(corpus: &Corpus, read: &BTreeSet<String>, b: Option<usize>) -> Vec<String> {
    corpus
        .bulletins
        .iter()
        .enumerate()
        .filter(|&(i, _)| b.is_none_or(|b| b == i))
        .flat_map(|(_, bulletin)| bulletin.articles.iter())
        .filter(|a| !read.contains(&a.key))
        .map(|a| a.key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::corpus::{Article, Origin};

    fn corpus(sizes: &[usize]) -> Corpus {
        let bulletins = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| Bulletin {
                id: format!("b{i}"),
                source: format!("{i}.txt"),
                origin: Origin::Bundled,
                // Oldest first, as the corpus keeps them: the library lists them newest first.
                date: Some(crate::domain::dates::YearMonth { year: 2020, month: i as u32 + 1 }),
                date_evidence: Vec::new(),
                title: format!("bulletin {i}"),
                encoding: "UTF-8",
                fingerprint: i as u64,
                // Keys as simple as the ids: read marks are kept under keys.
                articles: (0..n)
                    .map(|a| Article {
                        id: format!("b{i}/{}", a + 1),
                        key: format!("b{i}/{}", a + 1),
                        ..Article::default()
                    })
                    .collect::<Vec<_>>()
                    .into(),
                format: Default::default(),
                issue: None,
                day: None,
                body: Default::default(),
                pages: 0,
            })
            .collect();
        Corpus { bulletins }
    }

    fn read(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn counts_per_bulletin_and_in_all() {
        let c = corpus(&[2, 3]);
        let r = read(&["b0/1", "b1/2"]);
        assert_eq!(unread_in(&c.bulletins[0], &r), 1);
        assert_eq!(unread_in(&c.bulletins[1], &r), 2);
        assert_eq!(unread_total(&c, &r), 3);
    }

    #[test]
    fn next_unread_walks_newest_bulletin_first_and_wraps() {
        let c = corpus(&[2, 3]);
        // Library order: b1/1 b1/2 b1/3 b0/1 b0/2.
        let r = read(&["b1/2"]);
        assert_eq!(next_unread(&c, &r, None), Some((1, 0)));
        assert_eq!(next_unread(&c, &r, Some((1, 0))), Some((1, 2)), "skips the read one");
        assert_eq!(next_unread(&c, &r, Some((1, 2))), Some((0, 0)), "on into the older bulletin");
        assert_eq!(next_unread(&c, &r, Some((0, 1))), Some((1, 0)), "wraps to the top");
        let all_but_one = read(&["b1/1", "b1/2", "b1/3", "b0/1"]);
        assert_eq!(next_unread(&c, &all_but_one, Some((0, 1))), None, "only the current one is unread");
        assert_eq!(next_unread(&c, &all_but_one, Some((1, 0))), Some((0, 1)));
    }

    #[test]
    fn next_article_crosses_into_the_next_bulletin() {
        let c = corpus(&[2, 1]);
        assert_eq!(next_article(&c, (1, 0)), Some((0, 0)));
        assert_eq!(next_article(&c, (0, 0)), Some((0, 1)));
        assert_eq!(next_article(&c, (0, 1)), None);
    }

    #[test]
    fn unread_ids_of_one_bulletin_or_all() {
        let c = corpus(&[2, 2]);
        let r = read(&["b0/1"]);
        assert_eq!(unread_keys(&c, &r, Some(0)), ["b0/2"]);
        assert_eq!(unread_keys(&c, &r, None), ["b0/2", "b1/1", "b1/2"]);
    }
}
