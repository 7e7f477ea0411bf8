//! Paging through an article without laying all of it out: each block's lines are laid out
//! where a row of theirs is needed (`flow`: only around it, even inside a 1 MB paragraph) and
//! kept until the width or mode changes. Opening, scrolling and resizing cost what is on
//! screen, not what the article holds.
//!
//! Positions are text offsets (see `page`): every row starts at a distinct offset, increasing.

use std::collections::HashMap;

use super::flow::Flow;
use super::layout::{LayoutOptions, Line};
use super::page::{Block, Kind, Row, text_len};
use super::width::Ambiguous;

#[derive(Debug, Clone, Default)]
pub struct Pager {
    blocks: Vec<Block>,
    fit: Option<LayoutOptions>,
    /// Each touched block's lines at `fit`, laid out as they are needed.
    flows: HashMap<usize, Flow>,
}

impl Pager {
    pub fn new(blocks: Vec<Block>) -> Pager {
        Pager { blocks, fit: None, flows: HashMap::new() }
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Sets the width and mode; a change drops the layouts (they are redone as needed).
    pub fn fit(&mut self, fit: LayoutOptions) {
        if self.fit != Some(fit) {
            self.fit = Some(fit);
            self.flows.clear();
        }
    }

    /// How many blocks are laid out now, in part or whole (for tests and benchmarks).
    pub fn laid_out(&self) -> usize {
        self.flows.len()
    }

    /// Lines of block `b` kept laid out now (for tests and benchmarks).
    pub fn kept(&self, b: usize) -> usize {
        self.flows.get(&b).map_or(0, Flow::kept)
    }

    pub fn text_len(&self) -> usize {
        text_len(&self.blocks)
    }

    /// Runs `f` on block `b`'s lines (`None` for a block with no text: it is one empty row).
    fn with_flow<R>(&mut self, b: usize, f: impl FnOnce(&mut Flow, &str) -> Option<R>) -> Option<R> {
        let block = &self.blocks[b];
        if block.text.is_empty() {
            return None;
        }
        let fit = self.fit.unwrap_or(LayoutOptions { width: 80, mode: Ambiguous::Narrow, indent: true });
        // Body paragraphs get the first-line indent when asked (as `page::block_rows`).
        let opts = LayoutOptions { indent: fit.indent && block.kind == Kind::Body, ..fit };
        let flow = self.flows.entry(b).or_insert_with(|| Flow::new(&block.text, opts));
        f(flow, &block.text)
    }

    fn row(&self, b: usize, line: Option<Line>) -> Row {
        let block = &self.blocks[b];
        let (text, start) = line.map_or((String::new(), 0), |l| (l.text, l.start));
        Row { kind: block.kind, text, offset: block.base + start, block: b }
    }

    /// The row of block `b` holding `at` (an offset within the block).
    fn row_in(&mut self, b: usize, at: usize) -> Row {
        let line = self.with_flow(b, |f, t| f.line_at(t, at));
        self.row(b, line)
    }

    /// The row holding `offset` (clamped to the article); `None` for an article with no blocks.
    fn holding(&mut self, offset: usize) -> Option<Row> {
        if self.blocks.is_empty() {
            return None;
        }
        let b = self.blocks.partition_point(|blk| blk.base <= offset).saturating_sub(1);
        Some(self.row_in(b, offset.saturating_sub(self.blocks[b].base)))
    }

    fn after(&mut self, row: &Row) -> Option<Row> {
        let (b, start) = (row.block, row.offset - self.blocks[row.block].base);
        if let Some(line) = self.with_flow(b, |f, t| f.next_line(t, start)) {
            return Some(self.row(b, Some(line)));
        }
        (b + 1 < self.blocks.len()).then(|| self.row_in(b + 1, 0))
    }

    fn before(&mut self, row: &Row) -> Option<Row> {
        let (b, start) = (row.block, row.offset - self.blocks[row.block].base);
        if let Some(line) = self.with_flow(b, |f, t| f.prev_line(t, start)) {
            return Some(self.row(b, Some(line)));
        }
        let b = b.checked_sub(1)?;
        let line = self.with_flow(b, |f, t| f.last_line(t));
        Some(self.row(b, line))
    }

    /// Start of the row holding `offset`.
    pub fn row_start(&mut self, offset: usize) -> usize {
        self.holding(offset).map_or(0, |r| r.offset)
    }

    /// Start of the row `delta` rows away from the row holding `offset`, stopping at either end.
    pub fn step(&mut self, offset: usize, delta: isize) -> usize {
        let Some(mut row) = self.holding(offset) else { return 0 };
        for _ in 0..delta.unsigned_abs() {
            let next = if delta > 0 { self.after(&row) } else { self.before(&row) };
            match next {
                Some(r) => row = r,
                None => break,
            }
        }
        row.offset
    }

    /// Where the last full page of `height` rows starts.
    pub fn last_page_start(&mut self, height: usize) -> usize {
        let Some(last) = self.blocks.len().checked_sub(1) else { return 0 };
        let line = self.with_flow(last, |f, t| f.last_line(t));
        let end = self.row(last, line).offset;
        self.step(end, -(height.saturating_sub(1) as isize))
    }

    /// The page of `height` rows that shows `offset` at its top, or the last full page when
    /// fewer rows than that follow (a short article: all of it), and the offset just past it.
    /// Only near the end does this look at the end, so paging through the start of a huge
    /// paragraph never lays out its end.
    pub fn page_at(&mut self, offset: usize, height: usize) -> (Vec<Row>, usize) {
        let page = self.rows_from(offset, height);
        if page.0.len() >= height || page.0.first().is_none_or(|r| r.offset == 0) {
            return page;
        }
        let first = self.last_page_start(height);
        self.rows_from(first, height)
    }

    /// Where the page showing `offset` starts (see `page_at`): `offset`'s row, or the last
    /// full page's start, whichever comes first.
    pub fn page_start(&mut self, offset: usize, height: usize) -> usize {
        self.page_at(offset, height).0.first().map_or(0, |r| r.offset)
    }

    /// Up to `n` rows from the row holding `offset`, and the offset just past the last one.
    pub fn rows_from(&mut self, offset: usize, n: usize) -> (Vec<Row>, usize) {
        let mut out = Vec::with_capacity(n);
        let mut next = if n > 0 { self.holding(offset) } else { None };
        while let Some(row) = next {
            next = self.after(&row);
            out.push(row);
            if out.len() == n {
                break;
            }
        }
        let end = match (&next, out.is_empty()) {
            (_, true) => 0,
            (Some(r), false) => r.offset,
            (None, false) => self.text_len(),
        };
        (out, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::page::block_rows;

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

    /// All rows, the slow way (each block laid out whole), to compare against.
    fn all_rows(p: &mut Pager) -> Vec<usize> {
        let fit = p.fit.unwrap();
        p.blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| block_rows(b, i, fit.width, fit.mode, fit.indent))
            .map(|r| r.offset)
            .collect()
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
