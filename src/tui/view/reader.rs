//! The reading pane: the open article's rows, laid out by the core, with search matches lit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::pane_frame;
use crate::domain::page::Row;
use crate::tui::paint::{paint_line, paint_spans};
use crate::tui::state::State;

pub fn draw(buf: &mut Buffer, area: Rect, text: Rect, state: &State, focused: bool) {
    let mode = state.settings.mode;
    let Some((b, a)) = state.reader.open else {
        pane_frame(buf, area, state, "阅读", focused);
        let hint = "选择文章后按 Enter 阅读  Enter opens an article";
        paint_line(buf, text.x, text.y + text.height / 3, text.width, hint, state.settings.theme.dim(), mode);
        return;
    };
    let bulletin = &state.corpus.bulletins[b];
    let title = format!("{} · {}/{}", bulletin.id, a + 1, bulletin.articles.len());
    pane_frame(buf, area, state, &title, focused);
    for (i, row) in state.reader.view.iter().enumerate().take(usize::from(text.height)) {
        let y = text.y + i as u16;
        let style = state.settings.theme.text(row.kind);
        let lit = lit_ranges(state, row);
        if lit.is_empty() {
            paint_line(buf, text.x, y, text.width, &row.text, style, mode);
        } else {
            let spans = split_spans(&row.text, style, &lit);
            let spans: Vec<(&str, Style)> = spans.iter().map(|(t, s)| (t.as_str(), *s)).collect();
            paint_spans(buf, text.x, y, text.width, &spans, mode);
        }
    }
}

/// Char ranges of `row.text` that are search matches, with their styles.
fn lit_ranges(state: &State, row: &Row) -> Vec<(usize, usize, Style)> {
    let Some(search) = &state.reader.search else { return Vec::new() };
    let block = &state.reader.blocks()[row.block];
    let first_row = row.offset == block.base;
    let prefix = if first_row { block.indent_chars(&row.text) } else { 0 };
    let row_chars = row.text.chars().count();
    let src_start = row.offset - block.base;
    let src_end = src_start + row_chars - prefix;
    let theme = &state.settings.theme;
    search
        .matches
        .iter()
        .enumerate()
        .filter(|(_, m)| m.block == row.block && m.start < src_end && m.start + m.len > src_start)
        .map(|(i, m)| {
            let from = m.start.max(src_start) - src_start + prefix;
            let to = (m.start + m.len).min(src_end) - src_start + prefix;
            (from, to, theme.found(i == search.current))
        })
        .collect()
}

/// Cuts `text` into spans at the lit ranges (sorted, not overlapping).
fn split_spans(text: &str, base: Style, lit: &[(usize, usize, Style)]) -> Vec<(String, Style)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for &(from, to, style) in lit {
        if from > at {
            out.push((chars[at..from].iter().collect(), base));
        }
        out.push((chars[from..to].iter().collect(), base.patch(style)));
        at = to;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn spans_cover_the_text_once() {
        let hi = Style::new().bg(Color::Yellow);
        let spans = split_spans("甲乙丙丁戊", Style::new(), &[(1, 2, hi), (3, 5, hi)]);
        let texts: Vec<&str> = spans.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["甲", "乙", "丙", "丁戊"]);
        assert_eq!(spans[1].1, hi);
    }
}
