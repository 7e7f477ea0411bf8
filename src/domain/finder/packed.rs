//! The finder's entries as it keeps them: every string in one buffer, districts and sections
//! each named once. At 10,000 bulletins a `Vec<Entry>` was a quarter of a million small
//! allocations, and copying the corpus's headlines into it took a third of the time from start
//! to a ready finder; this is a handful.

use std::collections::HashMap;

use super::Entry;
use crate::domain::corpus::Corpus;

/// Where a string is in `Packed::text`.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    end: u32,
}

/// One entry: spans and ids, no strings of its own.
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    date: Option<(i32, u32)>,
    id: Span,
    title: Span,
    kicker: Option<Span>,
    subtitle: Option<Span>,
    section: Option<u32>,
    /// Its districts: `Packed::district_ids[from..to]`.
    districts: (u32, u32),
}

/// Every entry of a finder.
#[derive(Debug, Default)]
pub struct Packed {
    text: String,
    rows: Vec<Row>,
    names: Names,
    district_ids: Vec<u32>,
}

/// Strings that repeat (section and district names), each kept once.
#[derive(Debug, Default)]
struct Names {
    all: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.all.len() as u32;
        self.all.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

/// An entry, borrowed from the finder (`Finder::entry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    pub id: &'a str,
    /// (year, month), for "newer first".
    pub date: Option<(i32, u32)>,
    pub title: &'a str,
    pub kicker: Option<&'a str>,
    pub subtitle: Option<&'a str>,
    pub section: Option<&'a str>,
    district_ids: &'a [u32],
    names: &'a [String],
}

impl<'a> EntryRef<'a> {
    /// An owned copy (to build another finder from).
    pub fn to_entry(&self) -> Entry {
        Entry {
            id: self.id.to_string(),
            date: self.date,
            title: self.title.to_string(),
            kicker: self.kicker.map(str::to_string),
            subtitle: self.subtitle.map(str::to_string),
            section: self.section.map(str::to_string),
            districts: self.districts().map(str::to_string).collect(),
        }
    }

    /// Canonical district names, in the article's order.
    pub fn districts(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let names = self.names;
        self.district_ids.iter().map(move |&d| names[d as usize].as_str())
    }
}

/// One entry's fields, from wherever they come.
struct Fields<'a> {
    id: &'a str,
    date: Option<(i32, u32)>,
    title: &'a str,
    kicker: Option<&'a str>,
    subtitle: Option<&'a str>,
    section: Option<&'a str>,
}

impl Packed {
    /// Every article of the corpus, in corpus order.
    pub fn of_corpus(corpus: &Corpus) -> Packed {
        let articles = corpus.bulletins.iter().map(|b| b.articles.len()).sum();
        let bytes = corpus.bulletins.iter().flat_map(|b| b.articles.iter()).map(|a| a.id.len() + a.title.len()).sum();
        let mut packed = Packed::with_capacity(articles, bytes);
        for b in &corpus.bulletins {
            let date = b.date.map(|d| (d.year, d.month));
            for a in b.articles.iter() {
                let fields = Fields {
                    id: &a.id,
                    date,
                    title: &a.title,
                    kicker: a.kicker.as_deref(),
                    subtitle: a.subtitle.as_deref(),
                    section: a.section.as_deref(),
                };
                packed.push(fields, a.districts.iter().map(String::as_str));
            }
        }
        packed
    }

    /// Entries made by hand (tests, benchmarks, `kanbao filter`'s callers).
    pub fn of_entries(entries: &[Entry]) -> Packed {
        let bytes = entries.iter().map(|e| e.id.len() + e.title.len()).sum();
        let mut packed = Packed::with_capacity(entries.len(), bytes);
        for e in entries {
            let fields = Fields {
                id: &e.id,
                date: e.date,
                title: &e.title,
                kicker: e.kicker.as_deref(),
                subtitle: e.subtitle.as_deref(),
                section: e.section.as_deref(),
            };
            packed.push(fields, e.districts.iter().map(String::as_str));
        }
        packed
    }

    fn with_capacity(entries: usize, bytes: usize) -> Packed {
        Packed { text: String::with_capacity(bytes), rows: Vec::with_capacity(entries), ..Default::default() }
    }

    fn push<'a>(&mut self, f: Fields<'_>, districts: impl Iterator<Item = &'a str>) {
        let from = self.district_ids.len() as u32;
        for d in districts {
            let id = self.names.id(d);
            self.district_ids.push(id);
        }
        let row = Row {
            date: f.date,
            id: self.span(f.id),
            title: self.span(f.title),
            kicker: f.kicker.map(|k| self.span(k)),
            subtitle: f.subtitle.map(|s| self.span(s)),
            section: f.section.map(|s| self.names.id(s)),
            districts: (from, self.district_ids.len() as u32),
        };
        self.rows.push(row);
    }

    fn span(&mut self, s: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        Span { start, end: self.text.len() as u32 }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn get(&self, i: usize) -> Option<EntryRef<'_>> {
        let row = self.rows.get(i)?;
        let text = |s: Span| &self.text[s.start as usize..s.end as usize];
        Some(EntryRef {
            id: text(row.id),
            date: row.date,
            title: text(row.title),
            kicker: row.kicker.map(text),
            subtitle: row.subtitle.map(text),
            section: row.section.map(|s| self.names.all[s as usize].as_str()),
            district_ids: &self.district_ids[row.districts.0 as usize..row.districts.1 as usize],
            names: &self.names.all,
        })
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = EntryRef<'_>> {
        (0..self.rows.len()).map(|i| self.get(i).expect("in range"))
    }
}
