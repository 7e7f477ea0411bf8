//! The finder over titles and districts (f / Ctrl-P), and the district view (d).
//! Results follow every keystroke; Esc leaves the reader as it was, Enter opens the article.

use super::nav::{open, preview_rows, say};
use crate::domain::finder::{MAX_TERMS, district_counts, parse_query};
use crate::tui::action::Action;
use crate::tui::list::ListState;
use crate::tui::state::{FINDER_LIMIT, FindUi, Overlay, State, finder_layout, popup_rows};

pub fn open_finder(state: &mut State, query: &str) {
    state.finder_history.restart();
    let mut ui = FindUi { query: query.into(), ..Default::default() };
    refresh(state, &mut ui);
    state.overlay = Overlay::Finder(ui);
}

fn refresh(state: &mut State, ui: &mut FindUi) {
    let f = state.finder();
    ui.hits = f.search(&ui.query, FINDER_LIMIT);
    ui.list = ListState::default();
    // The same cap as `kanbao find`: say so rather than silently ignore the extra terms.
    let pattern = parse_query(&ui.query);
    if pattern.dropped > 0 {
        let text =
            format!("只用前 {MAX_TERMS} 个词  only the first {MAX_TERMS} of {} terms are used", pattern.typed_terms());
        say(state, &text, false);
    }
}

/// Lays out the selected article's first rows for the preview (derived: refreshed by `update`
/// after every change, so a frame only paints them).
pub fn refresh_preview(state: &mut State) {
    let Overlay::Finder(ui) = &state.overlay else { return };
    let area = finder_layout(state.size).preview;
    let (mode, indent) = (state.settings.mode, state.settings.indent);
    // Laid out again only when the selection (or the room for it) changed.
    let of = ui.hits.get(ui.list.selected).map(|hit| (hit.index, area, mode, indent));
    if of == ui.preview_of {
        return;
    }
    // `get`, not indexing: `revalidate` keeps hits and refs together, and a slip must not panic.
    let article = of.and_then(|(index, ..)| state.finder_article(index));
    let rows = match article {
        Some(at) => preview_rows(state, at, area.width, area.height),
        None => Vec::new(),
    };
    if let Overlay::Finder(ui) = &mut state.overlay {
        ui.preview = rows;
        ui.preview_of = of;
    }
}

pub fn finder_keys(state: &mut State, mut ui: FindUi, action: Action) {
    let page = usize::from(finder_layout(state.size).list.height);
    if ui.list.apply(&action, ui.hits.len(), page, |_| true) {
        ui.list.show(ui.hits.len(), page, 0);
        state.overlay = Overlay::Finder(ui);
        return;
    }
    if let Some(changed) = ui.query.apply(&action) {
        if changed {
            refresh(state, &mut ui);
        }
        state.overlay = Overlay::Finder(ui);
        return;
    }
    match action {
        Action::HistoryPrev | Action::HistoryNext => {
            let delta = if action == Action::HistoryPrev { -1 } else { 1 };
            if state.finder_history.step(&mut ui.query, delta) {
                refresh(state, &mut ui);
            }
        }
        Action::Submit => {
            state.overlay = Overlay::None;
            state.finder_history.push(&ui.query);
            if let Some((b, a)) = ui.hits.get(ui.list.selected).and_then(|hit| state.finder_article(hit.index)) {
                open(state, b, a);
            }
            return;
        }
        Action::Back => {
            state.overlay = Overlay::None;
            return;
        }
        _ => {}
    }
    state.overlay = Overlay::Finder(ui);
}

/// After a new corpus came (a load finished): the finder, the district view and their results
/// are rebuilt from it, keeping what the user typed and, where it still exists, the selection.
pub fn revalidate(state: &mut State) {
    match std::mem::replace(&mut state.overlay, Overlay::None) {
        Overlay::Finder(mut ui) => {
            let list = ui.list;
            refresh(state, &mut ui);
            let last = ui.hits.len().saturating_sub(1);
            ui.list = ListState { selected: list.selected.min(last), top: list.top.min(last) };
            ui.preview_of = None;
            state.overlay = Overlay::Finder(ui);
        }
        Overlay::Districts { list } => {
            state.districts = district_counts(state.finder().entries());
            let last = state.districts.len().saturating_sub(1);
            let list = ListState { selected: list.selected.min(last), top: list.top.min(last) };
            state.overlay = Overlay::Districts { list };
        }
        other => state.overlay = other,
    }
}

/// Opens the district view: every district with its article count, counted once here.
pub fn open_districts(state: &mut State) {
    state.districts = district_counts(state.finder().entries());
    state.overlay = Overlay::Districts { list: ListState::default() };
}

pub fn districts_keys(state: &mut State, mut list: ListState, action: Action) {
    let (len, page) = (state.districts.len(), popup_rows(state.districts_area()));
    if list.apply(&action, len, page, |_| true) {
        list.show(len, page, 0);
        state.overlay = Overlay::Districts { list };
        return;
    }
    match action {
        Action::Open => match state.districts.get(list.selected) {
            Some((name, _)) => {
                let query = format!("@{name}");
                open_finder(state, &query);
            }
            None => state.overlay = Overlay::Districts { list },
        },
        Action::Quit | Action::Suspend => state.overlay = Overlay::Districts { list },
        _ => state.overlay = Overlay::None,
    }
}
