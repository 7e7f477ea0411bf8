//! The reading pane: opening, scrolling, moving between articles.

use super::nav::{keep_selection_visible, last_page_start, move_selection, open, say};
use crate::tui::action::Action;
use crate::tui::state::{LibRow, Pane, State};

pub(super) fn reader(state: &mut State, action: Action) {
    let h = state.page_height() as isize;
    match action {
        Action::Down => scroll(state, 1),
        Action::Up => scroll(state, -1),
        // Keep one line of context across a page turn, as less does with -z-1.
        Action::PageDown => scroll(state, (h - 1).max(1)),
        Action::PageUp => scroll(state, -(h - 1).max(1)),
        Action::HalfPageDown => scroll(state, (h / 2).max(1)),
        Action::HalfPageUp => scroll(state, -(h / 2).max(1)),
        Action::Top => state.reader.top = 0,
        Action::Bottom => state.reader.top = last_page_start(state),
        // Esc clears the highlights first, then goes back.
        Action::Back if state.reader.search.is_some() => state.reader.search = None,
        Action::Back => state.focus = Pane::Library,
        Action::FocusNext | Action::FocusPrev => state.focus = Pane::Library,
        Action::NextMatch => super::search::jump_match(state, 1),
        Action::PrevMatch => super::search::jump_match(state, -1),
        _ => {}
    }
}

/// Scrolls the reading pane by `delta` rows, no further than the last full page.
fn scroll(state: &mut State, delta: isize) {
    let from = state.reader.first_offset();
    let to = state.reader.pager.step(from, delta);
    state.reader.top = state.reader.pager.page_start(to, state.page_height());
}

pub(super) fn step_article(state: &mut State, delta: isize) {
    let order: Vec<(usize, usize)> = state.corpus.articles_newest_first().collect();
    let here = match (state.reader.open, state.library.rows.get(state.library.list.selected)) {
        (Some(open), _) => order.iter().position(|&x| x == open),
        (None, Some(&LibRow::Article(b, a))) => order.iter().position(|&x| x == (b, a)),
        _ => None,
    };
    let next = match here {
        Some(i) => i.checked_add_signed(delta).filter(|&j| j < order.len()),
        None => (!order.is_empty()).then_some(0),
    };
    match next {
        Some(j) => open(state, order[j].0, order[j].1),
        None if delta > 0 => say(state, "已是最后一篇", false),
        None => say(state, "已是第一篇", false),
    }
}

pub(super) fn scroll_at(state: &mut State, x: u16, y: u16, lines: i32) {
    let g = state.geometry();
    let inside = |r: Option<ratatui::layout::Rect>| r.is_some_and(|r| r.contains((x, y).into()));
    if inside(g.reader) {
        scroll(state, lines as isize);
    } else if inside(g.library) {
        move_selection(state, lines as isize);
        keep_selection_visible(state);
    }
}
