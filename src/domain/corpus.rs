//! The corpus: bulletins and their articles, with stable ids, oldest bulletin first.

use std::collections::HashSet;

use super::dates::YearMonth;

/// Where a bulletin came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary from `seeds/`.
    Bundled,
    /// The user's library folder or a PATH argument.
    User,
}

/// An article. The parser fills in the text; `id` and `districts` are given when the corpus is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// `<bulletin id>/<n>`, n from 1: typeable, e.g. `2023-05/2`.
    pub id: String,
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
    /// 1-based line in the source file.
    pub line: usize,
}

impl Article {
    /// A caption standing after the paragraphs read so far.
    pub fn add_caption(&mut self, text: &str) {
        self.captions.push(text.to_string());
        self.caption_at.push(self.paragraphs.len());
    }

    /// Captions standing above the body, in file order.
    pub fn set_leading_captions(&mut self, captions: Vec<String>) {
        self.caption_at = vec![0; captions.len()];
        self.captions = captions;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulletin {
    /// The month, e.g. `2023-05` (`2023-05b` for a second one that month); undated ones get
    /// `undated-xxxx` from a hash of the file name, so ids never depend on load order.
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
    pub articles: Vec<Article>,
}

impl Bulletin {
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

impl Corpus {
    /// Orders bulletins and gives them and their articles their ids.
    pub fn new(mut bulletins: Vec<Bulletin>) -> Corpus {
        // Undated last; then by date; then by file name so the order is the same on every machine.
        bulletins.sort_by(|a, b| {
            (a.date.is_none(), a.date, &a.source, a.origin == Origin::User).cmp(&(
                b.date.is_none(),
                b.date,
                &b.source,
                b.origin == Origin::User,
            ))
        });
        let mut used: HashSet<String> = HashSet::with_capacity(bulletins.len());
        for b in &mut bulletins {
            let base = match b.date {
                Some(d) => d.to_string(),
                None => format!("undated-{:04x}", fnv1a(b.source.as_bytes()) & 0xffff),
            };
            b.id = unique_id(&base, &used);
            used.insert(b.id.clone());
            for (i, a) in b.articles.iter_mut().enumerate() {
                a.id = format!("{}/{}", b.id, i + 1);
            }
        }
        Corpus { bulletins }
    }

    /// Looks an article up by id (`2023-05/2`); also accepts a bulletin id alone for its lead article.
    pub fn article(&self, id: &str) -> Option<(&Bulletin, &Article)> {
        let id = id.trim();
        let (bid, n) = match id.split_once('/') {
            Some((b, n)) => (b, n.parse::<usize>().ok()?),
            None => (id, 1),
        };
        let b = self.bulletins.iter().find(|b| b.id.eq_ignore_ascii_case(bid))?;
        Some((b, b.articles.get(n.checked_sub(1)?)?))
    }

    pub fn article_count(&self) -> usize {
        self.bulletins.iter().map(|b| b.articles.len()).sum()
    }
}

/// `base`, or `base` + b, c, ... when taken.
fn unique_id(base: &str, used: &HashSet<String>) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}{}", suffix(n))).find(|id| !used.contains(id)).expect("an unused suffix exists")
}

/// 2 -> "b", 26 -> "z", 27 -> "aa" (bijective base 26): letters, so ids stay typeable.
fn suffix(mut n: usize) -> String {
    let mut s = Vec::new();
    while n > 0 {
        n -= 1;
        s.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// FNV-1a: a tiny stable hash (std's hasher is randomised per process).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulletin(source: &str, date: Option<(i32, u32)>) -> Bulletin {
        Bulletin {
            id: String::new(),
            source: source.into(),
            origin: Origin::Bundled,
            date: date.map(|(year, month)| YearMonth { year, month }),
            date_evidence: vec![],
            title: "t".into(),
            encoding: "UTF-8",
            articles: vec![Article {
                id: String::new(),
                section: None,
                kicker: None,
                title: "a".into(),
                title_derived: false,
                subtitle: None,
                captions: vec![],
                caption_at: vec![],
                paragraphs: vec![],
                districts: vec![],
                line: 1,
            }],
        }
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
        assert_eq!(&ids[..3], ["2023-05", "2024-03", "2024-03b"]);
        assert!(ids[3].starts_with("undated-"));
        assert_eq!(c.bulletins[1].articles[0].id, "2024-03/1");
        assert_eq!(c.article("2024-03b/1").unwrap().0.source, "c.txt");
        assert_eq!(c.article("2023-05").unwrap().1.id, "2023-05/1");
        assert!(c.article("2023-05/0").is_none());
        assert!(c.article("2023-05/9").is_none());
    }

    #[test]
    fn suffixes() {
        assert_eq!(suffix(2), "b");
        assert_eq!(suffix(26), "z");
        assert_eq!(suffix(27), "aa");
    }
}
