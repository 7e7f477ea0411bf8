//! The bookmarks overlay: bookmarked articles, newest first.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::{clear_popup, pane_frame};
use crate::domain::page;
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
    for (i, (key, offset)) in list.iter().enumerate().skip(top).take(inner_h) {
        let Some((b, a)) = state.find_article(key) else { continue };
        let bulletin = &state.corpus.bulletins[b];
        let article = &bulletin.articles[a];
        // Where in the article: how far in, and the words there.
        let blocks = page::article_blocks(bulletin, a, state.settings.indent).0;
        let pct = offset * 100 / page::text_len(&blocks).max(1);
        let words = page::excerpt_at(&blocks, *offset, 12);
        let style = if i == selected { state.settings.theme.selected(true) } else { Style::new() };
        let y = area.y + 1 + (i - top) as u16;
        let line = format!(" {:<14} {pct:>3}% 「{words}」 {}", article.id, article.title);
        paint_cell(buf, area.x + 1, y, area.width.saturating_sub(2), &line, style, mode);
    }
}
