//! The library pane: moving through bulletins and articles, folding, clicking.

use super::reader::open;
use crate::tui::action::Action;
use crate::tui::state::{LibRow, Pane, State};

pub(super) fn library(state: &mut State, action: Action) {
    let page = library_height(state).max(1) as isize;
    match action {
        Action::Down => move_selection(state, 1),
        Action::Up => move_selection(state, -1),
        Action::PageDown => move_selection(state, page),
        Action::PageUp => move_selection(state, -page),
        Action::HalfPageDown => move_selection(state, page / 2),
        Action::HalfPageUp => move_selection(state, -page / 2),
        Action::Top => move_selection(state, isize::MIN / 2),
        Action::Bottom => move_selection(state, isize::MAX / 2),
        Action::Open => match state.library.rows.get(state.library.selected) {
            Some(&LibRow::Bulletin(b)) => {
                state.library.expanded[b] = !state.library.expanded[b];
                state.rebuild_library();
            }
            Some(&LibRow::Article(b, a)) => open(state, b, a),
            _ => {}
        },
        Action::Back => match state.library.rows.get(state.library.selected) {
            Some(&LibRow::Article(b, _)) => select(state, LibRow::Bulletin(b)),
            Some(&LibRow::Bulletin(b)) if state.library.expanded[b] => {
                state.library.expanded[b] = false;
                state.rebuild_library();
            }
            _ => {}
        },
        Action::FocusNext | Action::FocusPrev if state.reader.open.is_some() => state.focus = Pane::Reader,
        Action::NextMatch | Action::PrevMatch => super::reader::reader(state, action),
        _ => {}
    }
    keep_selection_visible(state);
}

/// Moves the selection by `delta` selectable rows (section headings are skipped).
pub(super) fn move_selection(state: &mut State, delta: isize) {
    let rows = &state.library.rows;
    let selectable: Vec<usize> = (0..rows.len()).filter(|&i| !matches!(rows[i], LibRow::Section(..))).collect();
    if selectable.is_empty() {
        return;
    }
    let here = selectable.iter().position(|&i| i >= state.library.selected).unwrap_or(0) as isize;
    let to = here.saturating_add(delta).clamp(0, selectable.len() as isize - 1) as usize;
    state.library.selected = selectable[to];
}

pub(super) fn select(state: &mut State, row: LibRow) {
    if let Some(i) = state.library.rows.iter().position(|r| *r == row) {
        state.library.selected = i;
    }
    keep_selection_visible(state);
}

/// Rows of the library list, also while the reader covers it (it comes back with Esc).
fn library_height(state: &State) -> usize {
    // Header and status lines, and the pane's two border rows.
    usize::from(state.size.1.saturating_sub(4))
}

pub(super) fn keep_selection_visible(state: &mut State) {
    let h = library_height(state).max(1);
    let lib = &mut state.library;
    lib.selected = lib.selected.min(lib.rows.len().saturating_sub(1));
    if lib.selected < lib.top {
        // Show the section heading above the first article too.
        lib.top = lib
            .selected
            .saturating_sub(usize::from(lib.selected > 0 && matches!(lib.rows[lib.selected - 1], LibRow::Section(..))));
    } else if lib.selected >= lib.top + h {
        lib.top = lib.selected + 1 - h;
    }
    lib.top = lib.top.min(lib.rows.len().saturating_sub(h));
}

pub(super) fn click(state: &mut State, x: u16, y: u16) {
    let g = state.geometry();
    if let Some(lib) = g.library.filter(|r| r.contains((x, y).into())) {
        state.focus = Pane::Library;
        let row = state.library.top + usize::from(y.saturating_sub(lib.y + 1));
        if y > lib.y && row < state.library.rows.len() && !matches!(state.library.rows[row], LibRow::Section(..)) {
            state.library.selected = row;
            library(state, Action::Open);
        }
    } else if g.reader.is_some_and(|r| r.contains((x, y).into())) && state.reader.open.is_some() {
        state.focus = Pane::Reader;
    }
}
