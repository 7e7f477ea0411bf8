//! The bookmarks overlay: bookmarked articles, newest first.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::{clear_popup, pane_frame};
use crate::tui::list::ListState;
use crate::tui::paint::paint_cell;
use crate::tui::state::State;

pub fn draw(buf: &mut Buffer, state: &State, at: ListState) {
    let list = state.bookmark_list();
    let area = clear_popup(buf, state.bookmarks_area());
    pane_frame(buf, area, state, "书签 Bookmarks · Enter 打开 · m 删除 · Esc 关闭", true);
    let inner_h = usize::from(area.height.saturating_sub(2));
    let (top, selected) = (at.top, at.selected);
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
