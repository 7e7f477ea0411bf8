//! The full-text search overlay: query line with the article and hit counts, one row per
//! matching article (title, hits, a snippet with the match lit), and the selected article's
//! hits in the preview.

use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::Style;

use crate::domain::search::Snippet;
use crate::domain::width::{str_width, truncate};
use crate::tui::paint::{paint_cell, paint_line, paint_spans};
use crate::tui::state::{GrepUi, State, grep_columns};

const TITLE: &str = "全文搜索 Search all · 新的在前 newest first · Enter 打开 · Esc 返回";
const HINT: &str = "输入词语：拔河  职工 服务  \"劳模 工匠\"  !重庆   type words to find";

pub fn draw(buf: &mut Buffer, state: &State, ui: &GrepUi) {
    let mode = state.settings.mode;
    let theme = &state.settings.theme;
    let count = count(ui);
    let l = super::search_overlay(buf, state, TITLE, &ui.query, &count);

    let (title_w, count_w, _) = grep_columns(l.list.width.saturating_sub(1));
    for (i, f) in ui.found.iter().enumerate().skip(ui.list.top).take(usize::from(l.list.height)) {
        let y = l.list.y + (i - ui.list.top) as u16;
        let base = if i == ui.list.selected { theme.selected(true) } else { Style::new() };
        paint_cell(buf, l.list.x, y, l.list.width, "", base, mode);
        let Some(article) = state.corpus.bulletins.get(f.bulletin).and_then(|b| b.articles.get(f.article)) else {
            continue;
        };
        let x = l.list.x + 1;
        paint_line(buf, x, y, title_w, &truncate(&article.title, usize::from(title_w), mode), base, mode);
        let hits = format!("{}处", f.hits);
        let hw = (str_width(&hits, mode) as u16).min(count_w);
        let hits_x = x + title_w + 1 + count_w - hw;
        paint_line(buf, hits_x, y, hw, &hits, base.patch(theme.dim()), mode);
        if let Some(s) = ui.rows.get(i - ui.list.top) {
            let sx = x + title_w + count_w + 2;
            paint_lit(buf, sx, y, l.list.right().saturating_sub(sx), s, base, state);
        }
    }
    let empty = match (&ui.error, ui.query.trim().is_empty(), ui.found.is_empty()) {
        (Some(e), _, _) => Some((e.as_str(), theme.error())),
        (None, true, _) => Some((HINT, theme.dim())),
        (None, false, true) => Some(("没有匹配  nothing matches", theme.dim())),
        _ => None,
    };
    if let Some((text, style)) = empty {
        paint_line(buf, l.list.x + 1, l.list.y, l.list.width.saturating_sub(1), text, style, mode);
    }

    // The preview: the selected article's id, date and title, then a line per hit.
    let Some(f) = ui.found.get(ui.list.selected) else { return };
    let Some(bulletin) = state.corpus.bulletins.get(f.bulletin) else { return };
    let Some(article) = bulletin.articles.get(f.article) else { return };
    let date = bulletin.date.map_or("日期不详".to_string(), |d| format!("{}年{}月", d.year, d.month));
    let head = format!("{}  {date}  {}", article.id, article.title);
    paint_line(buf, l.preview.x, l.preview.y, l.preview.width, &head, theme.date(), mode);
    for (i, s) in ui.preview.iter().enumerate().take(usize::from(l.preview.height.saturating_sub(1))) {
        paint_lit(buf, l.preview.x, l.preview.y + 1 + i as u16, l.preview.width, s, Style::new(), state);
    }
}

/// "N篇 M处": matching articles and hits (nothing before a query is typed).
fn count(ui: &GrepUi) -> String {
    if ui.query.trim().is_empty() { String::new() } else { format!("{}篇 {}处", ui.found.len(), ui.total_hits) }
}

/// The terminal cursor at the query's cursor, so input methods open their window there.
pub fn cursor(state: &State, ui: &GrepUi) -> Option<Position> {
    super::search_cursor(state, &ui.query, &count(ui))
}

/// A snippet with its lit ranges in the theme's match style.
fn paint_lit(buf: &mut Buffer, x: u16, y: u16, width: u16, s: &Snippet, base: Style, state: &State) {
    let lit = base.patch(state.settings.theme.found(false));
    let chars: Vec<char> = s.text.chars().collect();
    let mut spans: Vec<(String, Style)> = Vec::new();
    let mut at = 0;
    for r in &s.lit {
        let r = r.start.min(chars.len())..r.end.min(chars.len());
        spans.push((chars[at.min(r.start)..r.start].iter().collect(), base));
        spans.push((chars[r.clone()].iter().collect(), lit));
        at = r.end;
    }
    spans.push((chars[at.min(chars.len())..].iter().collect(), base));
    let spans: Vec<(&str, Style)> =
        spans.iter().filter(|(t, _)| !t.is_empty()).map(|(t, s)| (t.as_str(), *s)).collect();
    paint_spans(buf, x, y, width, &spans, state.settings.mode);
}
