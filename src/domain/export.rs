//! The JSON export: exactly the schema of design.md, nothing more.

use serde::Serialize;

use super::corpus::{Bulletin, Corpus};

#[derive(Serialize)]
pub struct Export<'a> {
    pub bulletins: Bulletins<'a>,
}

/// The corpus's bulletins, serialized one by one.
pub struct Bulletins<'a>(&'a Corpus);

#[derive(Serialize)]
pub struct BulletinJson<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub date: Option<String>,
    pub title: &'a str,
    /// "text" or "pdf".
    pub format: &'static str,
    /// The issue as printed on the masthead, e.g. "第9期（总第156期）".
    pub issue: Option<&'a str>,
    pub articles: Vec<ArticleJson<'a>>,
}

#[derive(Serialize)]
pub struct ArticleJson<'a> {
    pub id: &'a str,
    pub section: Option<&'a str>,
    pub kicker: Option<&'a str>,
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub captions: &'a [String],
    pub paragraphs: &'a [String],
    pub districts: &'a [String],
    /// The page the article starts on (PDF bulletins only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
}

/// The export, each bulletin's bodies read from the parse cache as it is written out (memory
/// holds one bulletin's text at a time).
pub fn export(corpus: &Corpus) -> Export<'_> {
    Export { bulletins: Bulletins(corpus) }
}

impl Serialize for Bulletins<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.0.bulletins.len()))?;
        for b in &self.0.bulletins {
            let b = b.whole().map_err(|e| S::Error::custom(e.0))?;
            seq.serialize_element(&bulletin_json(&b))?;
        }
        seq.end()
    }
}

fn bulletin_json(b: &Bulletin) -> BulletinJson<'_> {
    BulletinJson {
        id: &b.id,
        source: &b.source,
        date: b.date.map(|d| match b.day {
            Some(day) => format!("{d}-{day:02}"),
            None => d.to_string(),
        }),
        title: &b.title,
        format: b.format.as_str(),
        issue: b.issue.as_deref(),
        articles: b
            .articles
            .iter()
            .map(|a| ArticleJson {
                id: &a.id,
                section: a.section.as_deref(),
                kicker: a.kicker.as_deref(),
                title: &a.title,
                subtitle: a.subtitle.as_deref(),
                captions: &a.captions,
                paragraphs: &a.paragraphs,
                districts: &a.districts,
                page: a.page,
            })
            .collect(),
    }
}

/// Pretty JSON; serde_json escapes control characters, so nothing raw reaches a terminal.
/// Fails only when a body cannot be read from the parse cache (the message says why).
pub fn write_json(corpus: &Corpus, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, &export(corpus)).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e.to_string()),
    })
}

/// `write_json` into a string.
pub fn to_json(corpus: &Corpus) -> std::io::Result<String> {
    let mut out = Vec::new();
    write_json(corpus, &mut out)?;
    String::from_utf8(out).map_err(std::io::Error::other)
}
