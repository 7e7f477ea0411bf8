//! Paging through an article without laying all of it out: blocks are laid out when a row of
//! theirs is needed and kept until the width or mode changes. Opening, scrolling and resizing
//! cost what is on screen, not what the article holds (a 2 MB article pages like a short one).
//!
//! Positions are text offsets (see `page`): every row starts at a distinct offset, increasing.

use std::collections::HashMap;

use super::layout::LayoutOptions;
use super::page::{Block, Row, block_rows, text_len};
use super::width::Ambiguous;

#[derive(Debug, Clone, Default)]
pub struct Pager {
    blocks: Vec<Block>,
    fit: Option<LayoutOptions>,
    /// Laid-out rows per block, for `fit`.
    cache: HashMap<usize, Vec<Row>>,
}

impl Pager {
    pub fn new(blocks: Vec<Block>) -> Pager {
        Pager { blocks, fit: None, cache: HashMap::new() }
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Sets the width and mode; a change drops the layouts (they are redone as needed).
    pub fn fit(&mut self, fit: LayoutOptions) {
        if self.fit != Some(fit) {
            self.fit = Some(fit);
            self.cache.clear();
        }
    }

    /// How many blocks are laid out now (for tests and benchmarks).
    pub fn laid_out(&self) -> usize {
        self.cache.len()
    }

    pub fn text_len(&self) -> usize {
        text_len(&self.blocks)
    }

    fn rows(&mut self, b: usize) -> &[Row] {
        let fit = self.fit.unwrap_or(LayoutOptions { width: 80, mode: Ambiguous::Narrow, indent: true });
        let block = &self.blocks[b];
        self.cache.entry(b).or_insert_with(|| block_rows(block, b, fit.width, fit.mode, fit.indent))
    }

    /// (block, row in block) of the row holding `offset` (clamped to the article).
    fn locate(&mut self, offset: usize) -> (usize, usize) {
        if self.blocks.is_empty() {
            return (0, 0);
        }
        let b = self.blocks.partition_point(|blk| blk.base <= offset).saturating_sub(1);
        let r = self.rows(b).partition_point(|row| row.offset <= offset).saturating_sub(1);
        (b, r)
    }

    fn offset_of(&mut self, (b, r): (usize, usize)) -> usize {
        self.rows(b)[r].offset
    }

    /// Start of the row holding `offset`.
    pub fn row_start(&mut self, offset: usize) -> usize {
        if self.blocks.is_empty() {
            return 0;
        }
        let at = self.locate(offset);
        self.offset_of(at)
    }

    /// Start of the row `delta` rows away from the row holding `offset`, stopping at either end.
    pub fn step(&mut self, offset: usize, delta: isize) -> usize {
        if self.blocks.is_empty() {
            return 0;
        }
        let (mut b, mut r) = self.locate(offset);
        let mut left = delta.unsigned_abs();
        if delta > 0 {
            while left > 0 {
                let in_block = self.rows(b).len() - 1 - r;
                if left <= in_block {
                    r += left;
                    break;
                }
                if b + 1 == self.blocks.len() {
                    r += in_block;
                    break;
                }
                left -= in_block + 1;
                b += 1;
                r = 0;
            }
        } else {
            while left > 0 {
                if left <= r {
                    r -= left;
                    break;
                }
                if b == 0 {
                    r = 0;
                    break;
                }
                left -= r + 1;
                b -= 1;
                r = self.rows(b).len() - 1;
            }
        }
        self.offset_of((b, r))
    }

    /// Where the last full page of `height` rows starts.
    pub fn last_page_start(&mut self, height: usize) -> usize {
        let Some(last) = self.blocks.len().checked_sub(1) else { return 0 };
        let last_row = self.rows(last).len() - 1;
        let end = self.offset_of((last, last_row));
        self.step(end, -(height.saturating_sub(1) as isize))
    }

    /// Up to `n` rows from the row holding `offset`, and the offset just past the last one.
    pub fn rows_from(&mut self, offset: usize, n: usize) -> (Vec<Row>, usize) {
        let mut out = Vec::with_capacity(n);
        if self.blocks.is_empty() || n == 0 {
            return (out, 0);
        }
        let (mut b, mut r) = self.locate(offset);
        while out.len() < n {
            let rows = self.rows(b);
            out.extend(rows[r..].iter().take(n - out.len()).cloned());
            if out.len() == n || b + 1 == self.blocks.len() {
                break;
            }
            b += 1;
            r = 0;
        }
        let after = out.last().map_or(0, |last| self.step(last.offset, 1));
        let end = if out.last().is_some_and(|l| l.offset == after) { self.text_len() } else { after };
        (out, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::page::Kind;

    fn pager(n: usize) -> Pager {
        let mut blocks = Vec::new();
        let mut base = 0;
        for i in 0..n {
            let text = format!("第{i}段。") + &"中文排版测试".repeat(5);
            let len = text.chars().count();
            blocks.push(Block { kind: Kind::Body, text, base });
            base += len;
        }
        let mut p = Pager::new(blocks);
        p.fit(LayoutOptions { width: 20, mode: Ambiguous::Narrow, indent: false });
        p
    }

    /// All rows, the slow way, to compare against.
    fn all_rows(p: &mut Pager) -> Vec<usize> {
        (0..p.blocks.len()).flat_map(|b| p.rows(b).iter().map(|r| r.offset).collect::<Vec<_>>()).collect()
    }

    #[test]
    fn stepping_matches_the_full_layout() {
        let mut p = pager(30);
        let rows = all_rows(&mut p);
        for (i, &start) in rows.iter().enumerate() {
            for delta in [-50isize, -7, -1, 0, 1, 3, 11, 50] {
                let want = rows[(i as isize + delta).clamp(0, rows.len() as isize - 1) as usize];
                assert_eq!(p.step(start + 1, delta), want, "from row {i} by {delta}");
            }
        }
        assert_eq!(p.last_page_start(10), rows[rows.len() - 10]);
        let (page, end) = p.rows_from(rows[5], 4);
        assert_eq!(page.iter().map(|r| r.offset).collect::<Vec<_>>(), rows[5..9]);
        assert_eq!(end, rows[9]);
        let (page, end) = p.rows_from(rows[rows.len() - 2], 10);
        assert_eq!(page.len(), 2);
        assert_eq!(end, p.text_len());
    }

    #[test]
    fn only_what_is_shown_is_laid_out() {
        let mut p = pager(10_000);
        let (page, _) = p.rows_from(0, 24);
        assert_eq!(page.len(), 24);
        assert!(p.laid_out() <= 10, "{} blocks laid out for one screen", p.laid_out());
        let end = p.last_page_start(24);
        assert!(end > 0 && p.laid_out() <= 20, "the end needs only the last blocks");
        p.fit(LayoutOptions { width: 30, mode: Ambiguous::Narrow, indent: false });
        assert_eq!(p.laid_out(), 0, "a resize drops the layouts");
        let _ = p.rows_from(end, 24);
        assert!(p.laid_out() <= 10);
    }

    /// (Carried over from the layout cache and `line_at_offset` it replaced.)
    #[test]
    fn a_reading_position_finds_its_row_and_survives_a_resize() {
        let text = "hello world again".to_string();
        let mut p = Pager::new(vec![Block { kind: Kind::Body, text, base: 0 }]);
        p.fit(LayoutOptions { width: 5, mode: Ambiguous::Narrow, indent: false });
        for o in 0..20 {
            // Offset 5 is the dropped break space: it belongs to the row before.
            let want = match o {
                0..=5 => 0,
                6..=11 => 6,
                _ => 12,
            };
            assert_eq!(p.row_start(o), want, "offset {o}");
        }
        assert_eq!(Pager::new(Vec::new()).row_start(7), 0);

        let text = "记者从国家统计局获悉，2024年GDP增长5.0%，经济运行总体平稳。".to_string();
        let len = text.chars().count();
        let mut p = Pager::new(vec![Block { kind: Kind::Body, text: text.clone(), base: 0 }]);
        for width in [20, 13, 7] {
            let opts = LayoutOptions { width, mode: Ambiguous::Narrow, indent: false };
            p.fit(opts);
            let direct = crate::domain::layout::layout_paragraph(&text, opts);
            let (rows, _) = p.rows_from(0, 100);
            assert_eq!(
                rows.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
                direct.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
                "the pager's rows are the paragraph's layout at {width}"
            );
            for pos in 0..len {
                let start = p.row_start(pos);
                let row = rows.iter().find(|r| r.offset == start).expect("a row starts there");
                assert!(start <= pos && pos <= start + row.text.chars().count(), "offset {pos} in its row at {width}");
            }
        }
    }
}
