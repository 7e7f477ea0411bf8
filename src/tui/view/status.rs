//! The header line and the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::domain::width::str_width;
use crate::tui::paint::{paint_cell, paint_line};
use crate::tui::state::{Overlay, State};

pub fn header(buf: &mut Buffer, area: Rect, state: &State) {
    let theme = &state.settings.theme;
    let mode = state.settings.mode;
    paint_cell(buf, area.x, area.y, area.width, " 看报 kanbao · 重庆工会简报", theme.bar(), mode);
    let unsaved = if state.save_error.is_some() { "未保存 not saved · " } else { "" };
    let right = format!("{unsaved}{}期 {}篇 ", state.corpus.bulletins.len(), state.corpus.article_count());
    right_aligned(buf, area, &right, theme.bar(), state);
}

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let theme = &state.settings.theme;
    let mode = state.settings.mode;
    if let Overlay::Search { input } = &state.overlay {
        let (shown, _) = input.window(usize::from(area.width.saturating_sub(1)), mode);
        paint_cell(buf, area.x, area.y, area.width, &format!("/{shown}"), ratatui::style::Style::new(), mode);
        return;
    }
    let (left, style) = match &state.status {
        Some(s) => (format!(" {}", s.text), if s.error { theme.error() } else { theme.bar() }),
        None => (format!(" {}", position(state)), theme.bar()),
    };
    paint_cell(buf, area.x, area.y, area.width, &left, style, mode);
    let hints = "?帮助 s全文 /搜索 []上下篇 q退出 ";
    let free = area.width as usize - str_width(&left, mode).min(area.width as usize);
    if str_width(hints, mode) + 2 <= free {
        right_aligned(buf, area, hints, theme.bar(), state);
    }
}

/// Where the reader is: bulletin date, article n/m, position, search state.
fn position(state: &State) -> String {
    let Some((b, a)) = state.reader.open else {
        return "Enter 打开  j/k 移动  Tab 切换窗格".to_string();
    };
    let bulletin = &state.corpus.bulletins[b];
    let date = bulletin.date_label();
    let r = &state.reader;
    let len = r.pager.text_len().max(1);
    let pct = r.shown_end.min(len) * 100 / len;
    let mut s = format!("{date} · 第{}/{}篇 · {pct}%", a + 1, bulletin.articles.len());
    if let Some(search) = &r.search {
        s.push_str(&format!(" · “{}” {}/{}", search.query, search.current + 1, search.matches.len()));
    }
    s
}

fn right_aligned(buf: &mut Buffer, area: Rect, text: &str, style: ratatui::style::Style, state: &State) {
    let w = str_width(text, state.settings.mode) as u16;
    if w < area.width {
        paint_line(buf, area.right() - w, area.y, w, text, style, state.settings.mode);
    }
}

/// The terminal cursor while typing a search, so input methods place their window there.
pub fn cursor(area: Rect, state: &State) -> Option<Position> {
    let Overlay::Search { input } = &state.overlay else { return None };
    let (_, column) = input.window(usize::from(area.width.saturating_sub(1)), state.settings.mode);
    let x = area.x + (1 + column as u16).min(area.width.saturating_sub(1));
    Some(Position::new(x, area.y))
}
