//! An article as the reader shows it: headline lines, a meta line (section, date, districts),
//! pictures in place, paragraphs. `kanbao show` prints exactly these lines, and the reading
//! pane paints them, so the two can never disagree.
//!
//! Positions are text offsets into the article (its blocks' chars end to end), not rows, so a
//! reading position survives a resize.

use super::bodies::BodyError;
use super::corpus::{Article, Bulletin};
use super::layout::{LayoutOptions, layout_paragraph};
use super::width::Ambiguous;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Kicker,
    Title,
    Subtitle,
    Meta,
    Picture,
    Body,
    Blank,
}

/// A unit of layout: one paragraph, one headline line, one caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    pub text: String,
    /// Text offset of the block's first char within the article.
    pub base: usize,
}

impl Block {
    /// Offset just past the block. A blank block counts one position, so that every row's
    /// offset is distinct and a reading position names exactly one row.
    pub fn end(&self) -> usize {
        self.base + self.text.chars().count().max(1)
    }

    /// Chars the first row adds before the text (the paragraph indent), for mapping offsets to columns.
    pub fn indent_chars(&self, first_row: &str) -> usize {
        let added =
            self.kind == Kind::Body && !self.text.starts_with('\u{3000}') && first_row.starts_with("\u{3000}\u{3000}");
        if added { 2 } else { 0 }
    }
}

/// One laid-out row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: Kind,
    pub text: String,
    /// Text offset where the row starts.
    pub offset: usize,
    /// Index of the block it came from.
    pub block: usize,
}

/// How a picture shows in text.
pub const PICTURE_MARK: &str = "[图] ";

/// The blocks of article `a`, its body read from the parse cache when it is kept there (see
/// `Bulletin::whole`). When that fails: the headline alone, and why (for the status line).
pub fn article_blocks(bulletin: &Bulletin, a: usize, indent: bool) -> (Vec<Block>, Option<BodyError>) {
    match bulletin.whole_article(a) {
        Ok(article) => (blocks(bulletin, &article, indent), None),
        Err(e) => (blocks(bulletin, &bulletin.articles[a], indent), Some(e)),
    }
}

/// The article's blocks in reading order (cheap: no layout).
pub fn blocks(bulletin: &Bulletin, article: &Article, indent: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut push = |kind: Kind, text: String| {
        let base = out.last().map_or(0, Block::end);
        out.push(Block { kind, text, base });
    };
    if let Some(k) = &article.kicker {
        push(Kind::Kicker, k.clone());
    }
    push(Kind::Title, article.title.clone());
    if let Some(s) = &article.subtitle {
        push(Kind::Subtitle, s.clone());
    }
    push(Kind::Meta, meta_line(bulletin, article));
    push(Kind::Blank, String::new());
    for (i, p) in article.paragraphs.iter().enumerate() {
        pictures_at(article, i, &mut push);
        if i > 0 && !indent {
            push(Kind::Blank, String::new());
        }
        push(Kind::Body, p.clone());
    }
    pictures_at(article, article.paragraphs.len(), &mut push);
    out
}

fn pictures_at(article: &Article, at: usize, push: &mut impl FnMut(Kind, String)) {
    for (c, _) in article.captions.iter().zip(&article.caption_at).filter(|(_, a)| **a == at) {
        push(Kind::Picture, format!("{PICTURE_MARK}{c}"));
    }
}

/// "渝工建功 · 2024年3月 · 璧山区 城口县": what the article is filed under.
pub fn meta_line(bulletin: &Bulletin, article: &Article) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &article.section {
        parts.push(s.clone());
    }
    parts.push(bulletin.dated_issue());
    if !article.districts.is_empty() {
        parts.push(article.districts.join(" "));
    }
    parts.join(" · ")
}

/// Lays out one block at `width`. Body paragraphs get the first-line indent when asked.
pub fn block_rows(block: &Block, index: usize, width: usize, mode: Ambiguous, indent: bool) -> Vec<Row> {
    if block.text.is_empty() {
        return vec![Row { kind: block.kind, text: String::new(), offset: block.base, block: index }];
    }
    let opts = LayoutOptions { width, mode, indent: indent && block.kind == Kind::Body };
    layout_paragraph(&block.text, opts)
        .into_iter()
        .map(|l| Row { kind: block.kind, text: l.text, offset: block.base + l.start, block: index })
        .collect()
}

/// The whole article laid out.
pub fn rows(bulletin: &Bulletin, article: &Article, width: usize, mode: Ambiguous, indent: bool) -> Vec<Row> {
    blocks(bulletin, article, indent)
        .iter()
        .enumerate()
        .flat_map(|(i, b)| block_rows(b, i, width, mode, indent))
        .collect()
}

/// Up to `n` chars of text from offset `offset` on (within its block, without the indent), for
/// showing where a bookmark is.
pub fn excerpt_at(blocks: &[Block], offset: usize, n: usize) -> String {
    let Some(block) = blocks.iter().rev().find(|b| b.base <= offset && !b.text.is_empty()) else {
        return String::new();
    };
    block.text.chars().skip(offset - block.base).skip_while(|c| *c == '\u{3000}').take(n).collect()
}

/// Total text length of the blocks: the end of the article, for positions and percentages.
pub fn text_len(blocks: &[Block]) -> usize {
    blocks.last().map_or(0, Block::end)
}
