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

pub use sections::{SectionVocab, has_label_shape};
pub use units::{IMAGE_GAP, SourceLine, ends_sentence, is_marked_caption, is_space};

use super::corpus::Article;

/// A bulletin as recovered from the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedBulletin {
    pub articles: Vec<Article>,
    /// Every section label in file order, including stacked ones that head no article.
    pub labels: Vec<String>,
    /// Page furniture left out of the articles (QR prompts), kept so nothing vanishes unseen.
    pub furniture: Vec<String>,
}

/// Parses sanitized bulletin text (newlines only, no controls).
pub fn parse(text: &str, vocab: &SectionVocab) -> ParsedBulletin {
    structure::structure(units::units(text), vocab)
}

/// Parses lines prepared by a front end (PDF, converter text): the same structure pass.
pub fn parse_lines(lines: Vec<SourceLine>, vocab: &SectionVocab) -> ParsedBulletin {
    structure::structure(units::units_from(lines), vocab)
}
