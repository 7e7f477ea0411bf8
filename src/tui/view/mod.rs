//! Views: functions of `&State` that paint rows the core already laid out. Text from files
//! goes through `paint` only, which keeps wide characters whole and columns in place.

mod bookmarks;
mod finder;
mod grep;
mod help;
mod library;
mod reader;
mod status;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::widgets::{Block, Widget};

use super::line_editor::LineEditor;
use super::paint::{paint_cell, paint_line};
use super::state::{FinderLayout, Overlay, Pane, State, finder_layout};
use crate::domain::width::str_width;

/// Paints the whole screen into `buf`; returns where the terminal cursor should show, if
/// anywhere (while typing, so input methods open their window there).
pub fn draw(buf: &mut Buffer, state: &State) -> Option<Position> {
    let area = buf.area;
    let g = state.geometry();
    if g.too_small {
        too_small(buf, area, state);
        return None;
    }
    status::header(buf, g.header, state);
    if let Some(r) = g.library {
        library::draw(buf, r, state, state.focus == Pane::Library || g.single);
    }
    if let Some(r) = g.reader {
        reader::draw(buf, r, g.text, state, state.focus == Pane::Reader || g.single);
    }
    status::draw(buf, g.status, state);
    match state.overlay {
        Overlay::Help { scroll } => help::draw(buf, area, state, scroll),
        Overlay::Bookmarks { list } => bookmarks::draw(buf, state, list),
        Overlay::Finder(ref ui) => finder::draw(buf, state, ui),
        Overlay::Districts { list } => finder::draw_districts(buf, state, list),
        Overlay::Grep => grep::draw(buf, state, &state.grep),
        Overlay::None | Overlay::Search { .. } => {}
    }
    match &state.overlay {
        Overlay::Finder(ui) => return finder::cursor(state, ui),
        Overlay::Grep => return grep::cursor(state, &state.grep),
        _ => {}
    }
    status::cursor(g.status, state)
}

fn too_small(buf: &mut Buffer, area: Rect, state: &State) {
    let lines = ["窗口太小", "too small"];
    for (i, line) in lines.iter().enumerate() {
        let y = area.y + (area.height / 2).saturating_sub(1) + i as u16;
        let w = str_width(line, state.settings.mode) as u16;
        if y < area.bottom() {
            paint_line(
                buf,
                area.x + area.width.saturating_sub(w) / 2,
                y,
                area.width,
                line,
                Style::new(),
                state.settings.mode,
            );
        }
    }
}

/// Box characters are East Asian Ambiguous: a terminal that draws them wide (PuTTY's CJK
/// setting) would push every border out of place, so wide mode draws with ASCII.
fn border_set(state: &State) -> border::Set<'static> {
    if state.settings.ascii_lines() {
        border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    } else {
        border::PLAIN
    }
}

/// A popup of `w` x `h` cells centred on the screen, cleared (wide chars cut by its edges too).
fn popup(buf: &mut Buffer, screen: Rect, w: u16, h: u16) -> Rect {
    clear_popup(buf, super::state::popup_area(screen, w, h))
}

/// Clears a popup's area (wide chars cut by its edges too).
fn clear_popup(buf: &mut Buffer, area: Rect) -> Rect {
    super::paint::clear_popup_edges(buf, area);
    ratatui::widgets::Clear.render(area, buf);
    area
}

/// A pane's frame, with its title painted safely over the top border.
fn pane_frame(buf: &mut Buffer, area: Rect, state: &State, title: &str, focused: bool) {
    let style = state.settings.theme.border(focused);
    Block::bordered().border_set(border_set(state)).border_style(style).render(area, buf);
    if area.width > 4 && !title.is_empty() {
        let t = format!(" {title} ");
        paint_cell(
            buf,
            area.x + 1,
            area.y,
            (str_width(&t, state.settings.mode) as u16).min(area.width - 2),
            &t,
            style,
            state.settings.mode,
        );
    }
}

/// A search overlay's frame (the finder's or the full-text search's), its query line ("> " and
/// what of the query fits, a count at its right end) and the rule under it; returns where its
/// parts go.
fn search_overlay(buf: &mut Buffer, state: &State, title: &str, query: &LineEditor, count: &str) -> FinderLayout {
    let l = finder_layout(state.size);
    super::paint::clear_popup_edges(buf, l.frame);
    ratatui::widgets::Clear.render(l.frame, buf);
    pane_frame(buf, l.frame, state, title, true);
    let q = l.query;
    let (mode, theme) = (state.settings.mode, &state.settings.theme);
    let cw = str_width(count, mode) as u16;
    let (shown, _) = query.window(query_room(state, count), mode);
    paint_cell(buf, q.x, q.y, q.width.saturating_sub(cw + 1), &format!("> {shown}"), Style::new(), mode);
    paint_line(buf, q.right().saturating_sub(cw), q.y, cw, count, theme.dim(), mode);
    let rule = if state.settings.ascii_lines() { "-" } else { "─" };
    paint_line(buf, q.x, q.y + 1, q.width, &rule.repeat(usize::from(q.width)), theme.dim(), mode);
    l
}

/// Columns for a search overlay's query: the line less the "> " prompt and the count at its right.
fn query_room(state: &State, count: &str) -> usize {
    let width = finder_layout(state.size).query.width;
    let cw = str_width(count, state.settings.mode) as u16;
    usize::from(width.saturating_sub(cw + 1).saturating_sub(2))
}

/// The terminal cursor at a search overlay's query cursor, so input methods open their window there.
fn search_cursor(state: &State, query: &LineEditor, count: &str) -> Option<Position> {
    let q = finder_layout(state.size).query;
    let (_, column) = query.window(query_room(state, count), state.settings.mode);
    let x = q.x + 2 + column as u16;
    (x < q.right()).then_some(Position::new(x, q.y))
}
