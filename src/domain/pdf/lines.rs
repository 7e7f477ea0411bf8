//! Spans -> printed lines, per page: spans that sit on one baseline and run rightwards make a
//! line; a wide horizontal gap starts another (the next column). Pages whose producer wrote
//! two columns row by row are put back in reading order: left column, then right column,
//! within each band between full-width lines.

use super::extract::{Page, Span};
use crate::domain::han::is_han;

/// One printed line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 0-based page index.
    pub page: usize,
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline (bottom of the box), PDF points upwards.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    /// Which column of the page: 0 left or whole width, 1 right.
    pub column: u8,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.chars().all(crate::domain::parse::is_space)
    }
}

/// A horizontal gap this many font sizes wide separates columns, not words.
const COLUMN_GAP: f32 = 2.5;

pub fn page_lines(index: usize, page: &Page) -> Vec<Line> {
    // Rows: consecutive spans (content order) on one baseline. Some producers draw a line's
    // pieces out of order (LibreOffice sets quote marks in another font first), so a row is
    // sorted by x, then cut where a gap is wide enough to be the space between columns.
    let mut lines = Vec::new();
    let mut row: Vec<&Span> = Vec::new();
    for span in page.spans.iter().filter(|s| !s.text.is_empty()) {
        if row.last().is_some_and(|r| !same_row(r, span)) {
            cut_row(index, page.width / 2.0, &mut row, &mut lines);
        }
        row.push(span);
    }
    cut_row(index, page.width / 2.0, &mut row, &mut lines);
    assign_columns(&mut lines, page.width);
    if interleaved(&lines) { reading_order(lines) } else { lines }
}

fn same_row(a: &Span, b: &Span) -> bool {
    (a.y - b.y).abs() <= 0.4 * a.size.max(b.size).max(1.0)
}

fn cut_row(index: usize, mid: f32, row: &mut Vec<&Span>, lines: &mut Vec<Line>) {
    row.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut weights: Vec<(f32, usize, usize)> = Vec::new(); // (size, chars, bold chars) per span
    let mut open: Option<Line> = None;
    for span in row.drain(..) {
        // A gap is a gutter when it is wide, or when it spans the middle of the page.
        let far = open.as_ref().is_some_and(|l| {
            let size = l.size.max(span.size).max(1.0);
            let gap = span.x - l.x1;
            gap >= COLUMN_GAP * size || (gap >= 0.8 * size && l.x1 <= mid + size && span.x >= mid - size)
        });
        if far {
            lines.push(finish(open.take().expect("checked"), &weights));
            weights.clear();
        }
        let line = open.get_or_insert_with(|| Line {
            page: index,
            text: String::new(),
            x0: span.x,
            x1: span.x,
            y: span.y,
            size: span.size,
            bold: span.bold,
            column: 0,
        });
        // Some producers (LibreOffice) draw quote marks apart and leave a space in the text
        // where they stand: a space under another glyph is no space.
        let overlaps = !line.text.is_empty() && span.x < line.x1 - 0.2 * span.size;
        let text = if overlaps { span.text.trim_start_matches(' ') } else { span.text.as_str() };
        if text.is_empty() {
            continue;
        }
        push_text(line, span, text);
        line.x1 = line.x1.max(span.x + span.width);
        line.y = line.y.min(span.y);
        let n = span.text.chars().filter(|c| !crate::domain::parse::is_space(*c)).count();
        weights.push((span.size, n, if span.bold { n } else { 0 }));
    }
    if let Some(l) = open {
        lines.push(finish(l, &weights));
    }
}

/// Appends a span's text; a visible gap between two Latin words or numbers is a space.
fn push_text(line: &mut Line, span: &Span, text: &str) {
    let gap = span.x - line.x1;
    let prev = line.text.chars().last();
    let next = text.chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !line.text.is_empty() && gap > 0.2 * span.size.max(1.0) && word(prev) && word(next) {
        line.text.push(' ');
    }
    line.text.push_str(text);
}

/// A line's size and weight are those of most of its characters.
fn finish(mut line: Line, weights: &[(f32, usize, usize)]) -> Line {
    let chars: usize = weights.iter().map(|w| w.1).sum();
    if chars == 0 {
        return line;
    }
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    for &(size, n, _) in weights {
        match by_size.iter_mut().find(|(s, _)| (s - size).abs() < 0.25) {
            Some(e) => e.1 += n,
            None => by_size.push((size, n)),
        }
    }
    line.size = by_size.iter().max_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0))).map_or(line.size, |e| e.0);
    line.bold = weights.iter().map(|w| w.2).sum::<usize>() * 2 > chars;
    line
}

/// Columns only where the page has two: several lines ending left of the middle and several
/// starting right of it (a centred word of a headline is no column).
fn assign_columns(lines: &mut [Line], page_width: f32) {
    let mid = page_width / 2.0;
    let left = lines.iter().filter(|l| l.x1 < mid && !l.is_blank()).count();
    let right = lines.iter().filter(|l| l.x0 > mid && !l.is_blank()).count();
    if left < 3 || right < 3 {
        return;
    }
    for l in lines.iter_mut() {
        l.column = u8::from(l.x0 >= mid - l.size);
    }
}

/// Left and right column lines alternate at about the same height: the producer wrote rows.
fn interleaved(lines: &[Line]) -> bool {
    let rows = lines
        .windows(2)
        .filter(|w| w[0].column != w[1].column && (w[0].y - w[1].y).abs() < 1.5 * w[0].size.max(w[1].size));
    rows.count() >= 3
}

/// Full-width lines (those crossing the middle) cut the page into bands; in each band the
/// left column is read before the right one.
fn reading_order(mut lines: Vec<Line>) -> Vec<Line> {
    lines.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let spans_both = |l: &Line, mid: f32| l.column == 0 && l.x1 > mid + l.size;
    let mid = lines.iter().filter(|l| l.column == 1).map(|l| l.x0).fold(f32::MAX, f32::min);
    let mut out = Vec::with_capacity(lines.len());
    let mut band: Vec<Line> = Vec::new();
    let flush = |band: &mut Vec<Line>, out: &mut Vec<Line>| {
        let (left, right): (Vec<Line>, Vec<Line>) = band.drain(..).partition(|l| l.column == 0);
        out.extend(left);
        out.extend(right);
    };
    for l in lines {
        if spans_both(&l, mid) {
            flush(&mut band, &mut out);
            out.push(l);
        } else {
            band.push(l);
        }
    }
    flush(&mut band, &mut out);
    out
}

/// Joins two pieces of one paragraph: CJK runs on, Latin words get their space back.
pub fn join_text(a: &mut String, b: &str) {
    // A space only inside Latin text: "AI" at the end of a Chinese line runs on into "PK".
    let tail = a.trim_end_matches(|c: char| c.is_ascii_alphanumeric());
    let latin = tail.len() < a.len() && !tail.chars().last().is_some_and(is_han);
    if latin && b.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        a.push(' ');
    }
    a.push_str(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, x: f32, y: f32, size: f32) -> Span {
        let width = text.chars().count() as f32 * size;
        Span { text: text.into(), x, y, width, height: size, size, bold: false }
    }

    #[test]
    fn spans_on_a_baseline_make_one_line() {
        let page = Page {
            width: 595.0,
            height: 842.0,
            spans: vec![
                span("甲乙", 70.0, 700.0, 12.0),
                span("丙丁", 94.0, 700.2, 12.0),
                span("戊", 70.0, 680.0, 12.0),
            ],
            pictures: vec![],
        };
        let lines = page_lines(0, &page);
        assert_eq!(lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["甲乙丙丁", "戊"]);
    }

    #[test]
    fn rows_across_two_columns_are_read_column_by_column() {
        let mut spans = vec![span("通栏大标题", 200.0, 760.0, 18.0)];
        for (i, y) in [700.0, 680.0, 660.0].into_iter().enumerate() {
            spans.push(span(&format!("左{i}"), 60.0, y, 12.0));
            spans.push(span(&format!("右{i}"), 320.0, y, 12.0));
        }
        let page = Page { width: 595.0, height: 842.0, spans, pictures: vec![] };
        let text: Vec<String> = page_lines(0, &page).into_iter().map(|l| l.text).collect();
        assert_eq!(text, ["通栏大标题", "左0", "左1", "左2", "右0", "右1", "右2"]);
    }

    #[test]
    fn latin_words_keep_their_space() {
        let mut s = String::from("AI");
        join_text(&mut s, "PK挑战赛");
        assert_eq!(s, "AI PK挑战赛");
        let mut s = String::from("推进");
        join_text(&mut s, "会");
        assert_eq!(s, "推进会");
    }
}
