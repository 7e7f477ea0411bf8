//! The library pane: bulletins newest first, each opening into its articles by section.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::pane_frame;
use crate::domain::corpus::Origin;
use crate::domain::width::{str_width, truncate};
use crate::tui::paint::{paint_cell, paint_line, paint_spans};
use crate::tui::state::{LibRow, State};

pub fn draw(buf: &mut Buffer, area: Rect, state: &State, focused: bool) {
    let n = state.corpus.bulletins.len();
    pane_frame(buf, area, state, &format!("期刊 {n}"), focused);
    let inner = Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), area.height.saturating_sub(2));
    let theme = &state.settings.theme;
    let mode = state.settings.mode;
    let ascii = state.settings.ascii_borders;
    let lib = &state.library;
    for (i, row) in lib.rows.iter().enumerate().skip(lib.list.top).take(usize::from(inner.height)) {
        let y = inner.y + (i - lib.list.top) as u16;
        let selected = i == lib.list.selected;
        let base = if selected { theme.selected(focused) } else { ratatui::style::Style::new() };
        // Fill the row first so the selection bar spans the pane.
        paint_cell(buf, inner.x, y, inner.width, "", base, mode);
        match *row {
            LibRow::Bulletin(b) => {
                let bulletin = &state.corpus.bulletins[b];
                let open = lib.expanded[b];
                let marker = match (open, ascii) {
                    (true, false) => "▾ ",
                    (false, false) => "▸ ",
                    (true, true) => "- ",
                    (false, true) => "+ ",
                };
                let date = bulletin.dated_issue();
                let mine = if bulletin.origin == Origin::User { " [自]" } else { "" };
                let used = str_width(marker, mode) + str_width(&date, mode) + str_width(mine, mode) + 1;
                let room = usize::from(inner.width).saturating_sub(used);
                let title = format!("{mine} {}", truncate(&bulletin.title, room, mode));
                let spans = [(marker, base), (date.as_str(), base.patch(theme.date())), (title.as_str(), base)];
                paint_spans(buf, inner.x, y, inner.width, &spans, mode);
            }
            LibRow::Section(b, a) => {
                let section = state.corpus.bulletins[b].articles[a].section.as_deref().unwrap_or_default();
                paint_cell(buf, inner.x + 2, y, inner.width.saturating_sub(2), section, theme.section(), mode);
            }
            LibRow::Article(b, a) => {
                let article = &state.corpus.bulletins[b].articles[a];
                let open = state.reader.open == Some((b, a));
                let style =
                    if open && !selected { base.patch(theme.text(crate::domain::page::Kind::Title)) } else { base };
                // Two marker columns: unread, bookmarked.
                let unread = if state.saved.read.contains(&article.key) { " " } else { "*" };
                let marked = if state.saved.bookmarks.contains_key(&article.key) { "+" } else { " " };
                paint_line(buf, inner.x + 2, y, 2, &format!("{unread}{marked}"), base, mode);
                paint_cell(buf, inner.x + 4, y, inner.width.saturating_sub(4), &article.title, style, mode);
            }
        }
    }
}
