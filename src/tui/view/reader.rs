//! The reading pane: the open article's rows, laid out by the core, with search matches lit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::pane_frame;
use crate::domain::page::{Kind, Row};
use crate::domain::unread::unread_in;
use crate::tui::paint::{paint_cell, paint_line, paint_spans};
use crate::tui::state::{LibRow, Pane, State};

pub fn draw(buf: &mut Buffer, area: Rect, text: Rect, state: &State, focused: bool) {
    let mode = state.settings.mode;
    // Browsing: the pane previews what is selected in the library.
    if state.focus == Pane::Library {
        match state.library.rows.get(state.library.list.selected) {
            Some(&LibRow::Article(b, a)) if state.reader.open != Some((b, a)) => {
                return preview(buf, area, text, state, (b, a));
            }
            Some(&LibRow::Bulletin(b)) => return bulletin(buf, area, text, state, b),
            _ => {}
        }
    }
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

/// The selected article's first rows (laid out by `update`), under a frame that says so.
fn preview(buf: &mut Buffer, area: Rect, text: Rect, state: &State, (b, a): (usize, usize)) {
    let bulletin = &state.corpus.bulletins[b];
    let title = format!("预览 preview {} {}/{} Enter 阅读", bulletin.id, a + 1, bulletin.articles.len());
    pane_frame(buf, area, state, &title, false);
    for (i, row) in state.library.preview.iter().enumerate().take(usize::from(text.height)) {
        let style = state.settings.theme.text(row.kind);
        paint_line(buf, text.x, text.y + i as u16, text.width, &row.text, style, state.settings.mode);
    }
}

/// A bulletin selected: its headline, how much of it is unread, and its articles.
fn bulletin(buf: &mut Buffer, area: Rect, text: Rect, state: &State, b: usize) {
    let mode = state.settings.mode;
    let theme = &state.settings.theme;
    let bulletin = &state.corpus.bulletins[b];
    pane_frame(buf, area, state, &bulletin.id, false);
    let date = bulletin.date.map_or("日期不详".to_string(), |d| format!("{}年{}月", d.year, d.month));
    let n = bulletin.articles.len();
    let unread = unread_in(bulletin, &state.saved.read);
    let mut lines: Vec<(String, Style)> = vec![
        (bulletin.title.clone(), theme.text(Kind::Title)),
        (format!("{date}  {n} 篇，{unread} 篇未读  {n} articles, {unread} unread"), theme.dim()),
        (String::new(), Style::new()),
    ];
    for article in bulletin.articles.iter() {
        let mark = if state.saved.read.contains(&article.key) { " " } else { "*" };
        lines.push((format!("{mark} {}", article.title), Style::new()));
    }
    lines.push((String::new(), Style::new()));
    lines.push(("Enter 展开/收起  u 下一篇未读  A 本期标为已读".into(), theme.dim()));
    for (i, (line, style)) in lines.iter().enumerate().take(usize::from(text.height)) {
        paint_cell(buf, text.x, text.y + i as u16, text.width, line, *style, mode);
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
