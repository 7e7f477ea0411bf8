//! The JSON export: exactly the schema of design.md, nothing more.

use serde::Serialize;

use super::corpus::Corpus;

#[derive(Serialize)]
pub struct Export<'a> {
    pub bulletins: Vec<BulletinJson<'a>>,
}

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

pub fn export(corpus: &Corpus) -> Export<'_> {
    let bulletins = corpus
        .bulletins
        .iter()
        .map(|b| BulletinJson {
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
        })
        .collect();
    Export { bulletins }
}

/// Pretty JSON; serde_json escapes control characters, so nothing raw reaches a terminal.
pub fn to_json(corpus: &Corpus) -> String {
    serde_json::to_string_pretty(&export(corpus)).expect("plain data serializes")
}
