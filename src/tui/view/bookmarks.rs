//! The bookmarks overlay: bookmarked articles, newest first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{pane_frame, popup};
use crate::tui::paint::paint_cell;
use crate::tui::state::State;
use crate::tui::update::bookmark_list;

pub fn draw(buf: &mut Buffer, screen: Rect, state: &State, selected: usize) {
    let list = bookmark_list(state);
    let area = popup(buf, screen, 72, list.len() as u16 + 2);
    pane_frame(buf, area, state, "书签 Bookmarks · Enter 打开 · m 删除 · Esc 关闭", true);
    let inner_h = usize::from(area.height.saturating_sub(2));
    let top = selected.saturating_sub(inner_h.saturating_sub(1));
    let mode = state.settings.mode;
    for (i, (key, _)) in list.iter().enumerate().skip(top).take(inner_h) {
        let Some((b, a)) = state.find_article(key) else { continue };
        let article = &state.corpus.bulletins[b].articles[a];
        let (id, title) = (&article.id, &article.title);
        let style = if i == selected { state.settings.theme.selected(true) } else { Style::new() };
        let y = area.y + 1 + (i - top) as u16;
        paint_cell(buf, area.x + 1, y, area.width.saturating_sub(2), &format!(" {id:<14} {title}"), style, mode);
    }
}
