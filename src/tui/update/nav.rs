//! Moves every update module shares: opening an article, remembering the place, moving and
//! showing the library's selection, the last page, the status line. The other update modules
//! import this one and nothing imports them back, so the imports run one way.

use crate::domain::layout::LayoutOptions;
use crate::domain::page::{self, Row};
use crate::domain::pager::Pager;
use crate::domain::store::unix_now;
use crate::tui::state::{LibRow, Overlay, Pane, State, Status, finder_layout, popup_rows};

/// Puts a message on the status line until the next key.
pub fn say(state: &mut State, text: &str, error: bool) {
    state.status = Some(Status { text: text.to_string(), error });
}

/// Opens an article: laid out, from the top, focused; the library follows.
pub fn open(state: &mut State, b: usize, a: usize) {
    remember_place(state);
    state.open_article(b, a);
    // Back where the user left this article last time.
    let key = &state.corpus.bulletins[b].articles[a].key;
    if let Some(place) = state.saved.places.get(key) {
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
    if let Some(key) = state.open_key().map(str::to_string) {
        let top = state.reader.top;
        state.saved_changed |= state.saved.set_place(&key, top, unix_now());
    }
}

/// The offset of the last full page of the open article.
pub fn last_page_start(state: &mut State) -> usize {
    let h = state.page_height();
    state.reader.pager.last_page_start(h)
}

/// After a resize: every list's selection back on screen.
pub fn keep_lists_visible(state: &mut State) {
    keep_selection_visible(state);
    let bookmarks = (state.bookmark_list().len(), popup_rows(state.bookmarks_area()));
    let districts = (state.districts.len(), popup_rows(state.districts_area()));
    let finder = usize::from(finder_layout(state.size).list.height);
    match &mut state.overlay {
        Overlay::Bookmarks { list } => list.show(bookmarks.0, bookmarks.1, 0),
        Overlay::Districts { list } => list.show(districts.0, districts.1, 0),
        Overlay::Finder(ui) => ui.list.show(ui.hits.len(), finder, 0),
        _ => {}
    }
}

/// Moves the library's selection by `delta` selectable rows (section headings are skipped).
pub fn move_selection(state: &mut State, delta: isize) {
    let rows = &state.library.rows;
    state.library.list.step(delta, rows.len(), |i| !matches!(rows[i], LibRow::Section(..)));
}

pub fn select(state: &mut State, row: LibRow) {
    if let Some(i) = state.library.rows.iter().position(|r| *r == row) {
        state.library.list.selected = i;
    }
    keep_selection_visible(state);
}

pub fn keep_selection_visible(state: &mut State) {
    let page = state.library_page();
    let lib = &mut state.library;
    let s = lib.list.selected.min(lib.rows.len().saturating_sub(1));
    // Scrolling up to an article, its section heading comes into view too.
    let lead = usize::from(s > 0 && matches!(lib.rows[s - 1], LibRow::Section(..)));
    lib.list.show(lib.rows.len(), page, lead);
}

/// The first rows of article (b, a) laid out `width` cells wide, for a preview pane.
/// Nothing for indices the corpus does not have (a preview must never panic).
pub fn preview_rows(state: &State, (b, a): (usize, usize), width: u16, rows: u16) -> Vec<Row> {
    let Some(bulletin) = state.corpus.bulletins.get(b).filter(|bl| a < bl.articles.len()) else {
        return Vec::new();
    };
    let (mode, indent) = (state.settings.mode, state.settings.indent);
    // A body that cannot be read shows its headline here; opening it says why.
    let mut pager = Pager::new(page::article_blocks(bulletin, a, indent).0);
    pager.fit(LayoutOptions { width: usize::from(width.max(1)), mode, indent });
    pager.rows_from(0, usize::from(rows)).0
}
