//! Structure recovery: a bulletin's text -> its articles.
//!
//! The text is plain text extracted from a PDF (see design.md). Two passes:
//! `units` turns lines into units (body / short line / furniture) and joins page-break splits;
//! `structure` reads the runs of short lines between bodies as section labels, headlines and
//! picture captions, using the blank-line gaps an image leaves behind.

mod captions;
mod sections;
mod structure;
mod units;

pub use sections::SectionVocab;
pub use units::is_han;

/// One article as recovered from the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedArticle {
    pub section: Option<String>,
    pub kicker: Option<String>,
    pub title: String,
    /// The bulletin gave no headline (a picture-news item): the title is its first sentence.
    pub title_derived: bool,
    pub subtitle: Option<String>,
    pub captions: Vec<String>,
    /// Where each caption stood: the number of paragraphs before it (0: above the body).
    pub caption_at: Vec<usize>,
    pub paragraphs: Vec<String>,
    /// 1-based line of the article's first line in the file.
    pub line: usize,
}

impl ParsedArticle {
    /// A caption standing after the paragraphs read so far.
    pub fn add_caption(&mut self, text: &str) {
        self.captions.push(text.to_string());
        self.caption_at.push(self.paragraphs.len());
    }

    /// Captions standing above the body, in file order.
    pub(crate) fn set_leading_captions(&mut self, captions: Vec<String>) {
        self.caption_at = vec![0; captions.len()];
        self.captions = captions;
    }
}

/// A bulletin as recovered from the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedBulletin {
    pub articles: Vec<ParsedArticle>,
    /// Every section label in file order, including stacked ones that head no article.
    pub labels: Vec<String>,
    /// Page furniture left out of the articles (QR prompts), kept so nothing vanishes unseen.
    pub furniture: Vec<String>,
}

/// Parses sanitized bulletin text (newlines only, no controls).
pub fn parse(text: &str, vocab: &SectionVocab) -> ParsedBulletin {
    structure::structure(units::units(text), vocab)
}
