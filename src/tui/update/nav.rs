//! Moves every update module shares: opening an article, remembering the place, moving and
//! showing the library's selection, the last page, the status line. The other update modules
//! import this one and nothing imports them back, so the imports run one way.

use crate::domain::store::unix_now;
use crate::tui::action::Action;
use crate::tui::state::{LibRow, Pane, State, Status};

/// Puts a message on the status line until the next key.
pub fn say(state: &mut State, text: &str, error: bool) {
    state.status = Some(Status { text: text.to_string(), error });
}

/// Opens an article: laid out, from the top, focused; the library follows.
pub fn open(state: &mut State, b: usize, a: usize) {
    remember_place(state);
    state.open_article(b, a);
    // Back where the user left this article last time.
    let id = &state.corpus.bulletins[b].articles[a].id;
    if let Some(place) = state.saved.places.get(id) {
        state.reader.top = place.offset;
    }
    remember_place(state);
    state.focus = Pane::Reader;
    if !state.library.expanded[b] {
        state.library.expanded[b] = true;
        state.rebuild_library();
    }
    select(state, LibRow::Article(b, a));
}

/// Notes where the reader is in the open article (saved with the next save).
pub fn remember_place(state: &mut State) {
    if let Some(id) = state.open_id().map(str::to_string) {
        let top = state.reader.top;
        state.saved.set_place(&id, top, unix_now());
    }
}

/// The offset of the last full page of the open article.
pub fn last_page_start(state: &mut State) -> usize {
    let h = state.page_height();
    state.reader.pager.last_page_start(h)
}

/// Moves the selection by `delta` selectable rows (section headings are skipped).
pub fn move_selection(state: &mut State, delta: isize) {
    let rows = &state.library.rows;
    let selectable: Vec<usize> = (0..rows.len()).filter(|&i| !matches!(rows[i], LibRow::Section(..))).collect();
    if selectable.is_empty() {
        return;
    }
    let here = selectable.iter().position(|&i| i >= state.library.selected).unwrap_or(0) as isize;
    let to = here.saturating_add(delta).clamp(0, selectable.len() as isize - 1) as usize;
    state.library.selected = selectable[to];
}

pub fn select(state: &mut State, row: LibRow) {
    if let Some(i) = state.library.rows.iter().position(|r| *r == row) {
        state.library.selected = i;
    }
    keep_selection_visible(state);
}

/// Rows of the library list, also while the reader covers it (it comes back with Esc).
pub fn library_height(state: &State) -> usize {
    // Header and status lines, and the pane's two border rows.
    usize::from(state.size.1.saturating_sub(4))
}

pub fn keep_selection_visible(state: &mut State) {
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

/// Moving through a list overlay of `len` items; None when the action is not a move.
pub fn list_move(selected: usize, len: usize, action: &Action) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Down => (selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageDown | Action::HalfPageDown => (selected + 10).min(last),
        Action::PageUp | Action::HalfPageUp => selected.saturating_sub(10),
        _ => return None,
    })
}
