//! The library pane: moving through bulletins and articles, folding, clicking.

use super::nav::{keep_selection_visible, open, select};
use crate::tui::action::Action;
use crate::tui::state::{LibRow, Pane, State};

pub(super) fn library(state: &mut State, action: Action) {
    let page = state.library_page();
    let rows = &state.library.rows;
    if state.library.list.apply(&action, rows.len(), page, |i| !matches!(rows[i], LibRow::Section(..))) {
        keep_selection_visible(state);
        return;
    }
    match action {
        Action::Open => match state.library.rows.get(state.library.list.selected) {
            Some(&LibRow::Bulletin(b)) => {
                state.library.expanded[b] = !state.library.expanded[b];
                state.rebuild_library();
            }
            Some(&LibRow::Article(b, a)) => open(state, b, a),
            _ => {}
        },
        Action::Back => match state.library.rows.get(state.library.list.selected) {
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

pub(super) fn click(state: &mut State, x: u16, y: u16) {
    let g = state.geometry();
    if let Some(lib) = g.library.filter(|r| r.contains((x, y).into())) {
        state.focus = Pane::Library;
        let row = state.library.list.top + usize::from(y.saturating_sub(lib.y + 1));
        if y > lib.y && row < state.library.rows.len() && !matches!(state.library.rows[row], LibRow::Section(..)) {
            state.library.list.selected = row;
            library(state, Action::Open);
        }
    } else if g.reader.is_some_and(|r| r.contains((x, y).into())) && state.reader.open.is_some() {
        state.focus = Pane::Reader;
    }
}
