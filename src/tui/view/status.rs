//! The header line and the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::chrome;
use crate::domain::unread::unread_in;
use crate::domain::width::str_width;
use crate::tui::paint::{paint_cell, paint_line};
use crate::tui::state::{LibRow, Overlay, Pane, State};

pub fn header(buf: &mut Buffer, area: Rect, state: &State) {
    let theme = &state.settings.theme;
    let mode = state.settings.mode;
    paint_cell(buf, area.x, area.y, area.width, &chrome(" 看报 kanbao · 重庆工会简报", state), theme.bar(), mode);
    let unsaved = if state.save_error.is_some() { "未保存 not saved · " } else { "" };
    let right = format!("{unsaved}{}期 {}篇 ", state.corpus.bulletins.len(), state.corpus.article_count());
    right_aligned(buf, area, &chrome(&right, state), theme.bar(), state);
}

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let theme = &state.settings.theme;
    let mode = state.settings.mode;
    if let Overlay::Search { input } = &state.overlay {
        let (shown, _) = input.window(usize::from(area.width.saturating_sub(1)), mode);
        paint_cell(buf, area.x, area.y, area.width, &format!("/{shown}"), ratatui::style::Style::new(), mode);
        return;
    }
    if let Overlay::Confirm { question, .. } = &state.overlay {
        paint_cell(buf, area.x, area.y, area.width, &format!(" {question}"), theme.error(), mode);
        return;
    }
    let (left, style) = match &state.status {
        Some(s) => (format!(" {}", s.text), if s.error { theme.error() } else { theme.bar() }),
        None => (format!(" {}", position(state)), theme.bar()),
    };
    let left = chrome(&left, state);
    paint_cell(buf, area.x, area.y, area.width, &left, style, mode);
    let hints = hints(state);
    let free = area.width as usize - str_width(&left, mode).min(area.width as usize);
    if str_width(hints, mode) + 2 <= free {
        right_aligned(buf, area, hints, theme.bar(), state);
    }
}

/// The next useful keys, for where the user is.
fn hints(state: &State) -> &'static str {
    if state.focus == Pane::Reader && state.reader.open.is_some() {
        "Space翻页 ]下篇 u未读 f查找 s全文 ?帮助 q退出 "
    } else {
        "Enter打开 f查找 s全文 u未读 ?帮助 q退出 "
    }
}

/// Where the reader is: bulletin date, article n/m, position, search state; while browsing,
/// what is selected in the library.
fn position(state: &State) -> String {
    let date_of = |b: usize| state.corpus.bulletins[b].date_label();
    if state.focus == Pane::Library {
        match state.library.rows.get(state.library.list.selected) {
            Some(&LibRow::Article(b, a)) if state.reader.open != Some((b, a)) => {
                let article = &state.corpus.bulletins[b].articles[a];
                let read = if state.saved.read.contains(&article.key) { "已读" } else { "未读" };
                let n = state.corpus.bulletins[b].articles.len();
                return format!("{} · 第{}/{n}篇 · {read}", date_of(b), a + 1);
            }
            Some(&LibRow::Bulletin(b)) => {
                let bulletin = &state.corpus.bulletins[b];
                let unread = unread_in(bulletin, &state.saved.read);
                return format!("{} · {}篇 · {unread}篇未读", date_of(b), bulletin.articles.len());
            }
            _ => {}
        }
    }
    let Some((b, a)) = state.reader.open else {
        return "j/k 移动 Enter 打开".to_string();
    };
    let bulletin = &state.corpus.bulletins[b];
    let r = &state.reader;
    let len = r.pager.text_len().max(1);
    let pct = r.shown_end.min(len) * 100 / len;
    let mut s = format!("{} · 第{}/{}篇 · {pct}%", date_of(b), a + 1, bulletin.articles.len());
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
