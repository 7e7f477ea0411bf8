//! The finder over titles and districts (f / Ctrl-P), and the district view (d).
//! Results follow every keystroke; Esc leaves the reader as it was, Enter opens the article.

use std::sync::Arc;

use super::reader::open;
use crate::domain::finder::{Finder, corpus_entries, district_counts};
use crate::domain::page;
use crate::tui::action::Action;
use crate::tui::state::{FindUi, Overlay, State};

/// Most results listed; the list is for picking, not for reading through.
pub const LIMIT: usize = 500;

/// The finder, built the first time it is needed (cheap: its index builds on first search).
pub fn finder(state: &mut State) -> Arc<Finder> {
    if state.finder.is_none() {
        let (entries, refs) = corpus_entries(&state.corpus);
        state.finder = Some(Arc::new(Finder::new(entries)));
        state.finder_refs = refs;
    }
    state.finder.clone().expect("just built")
}

pub fn open_finder(state: &mut State, query: &str) {
    let mut ui = FindUi { query: query.to_string(), ..Default::default() };
    refresh(state, &mut ui);
    state.overlay = Overlay::Finder(ui);
}

fn refresh(state: &mut State, ui: &mut FindUi) {
    let f = finder(state);
    ui.hits = f.search(&ui.query, LIMIT);
    ui.selected = 0;
    ui.top = 0;
}

/// Rows of the selected article for the preview, laid out for `width`.
pub fn preview(state: &State, ui: &FindUi, width: usize, height: usize) -> Vec<page::Row> {
    let Some(hit) = ui.hits.get(ui.selected) else { return Vec::new() };
    let (b, a) = state.finder_refs[hit.index];
    let bulletin = &state.corpus.bulletins[b];
    let mut pager =
        crate::domain::pager::Pager::new(page::blocks(bulletin, &bulletin.articles[a], state.settings.indent));
    pager.fit(crate::domain::pager::Fit {
        width: width.max(1),
        mode: state.settings.mode,
        indent: state.settings.indent,
    });
    pager.rows_from(0, height).0
}

pub fn finder_keys(state: &mut State, mut ui: FindUi, action: Action, page: usize) {
    let last = ui.hits.len().saturating_sub(1);
    match action {
        Action::Input(c) if !c.is_control() => {
            ui.query.push(c);
            refresh(state, &mut ui);
        }
        Action::DeleteChar => {
            ui.query.pop();
            refresh(state, &mut ui);
        }
        Action::DeleteWord => {
            let keep = ui.query.trim_end().rfind(' ').map_or(0, |i| i + 1);
            ui.query.truncate(keep);
            refresh(state, &mut ui);
        }
        Action::Down => ui.selected = (ui.selected + 1).min(last),
        Action::Up => ui.selected = ui.selected.saturating_sub(1),
        Action::PageDown => ui.selected = (ui.selected + page).min(last),
        Action::PageUp => ui.selected = ui.selected.saturating_sub(page),
        Action::Submit => {
            state.overlay = Overlay::None;
            if let Some(hit) = ui.hits.get(ui.selected) {
                let (b, a) = state.finder_refs[hit.index];
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
    // Keep the selection in the visible window of the list.
    if ui.selected < ui.top {
        ui.top = ui.selected;
    } else if ui.selected >= ui.top + page.max(1) {
        ui.top = ui.selected + 1 - page.max(1);
    }
    state.overlay = Overlay::Finder(ui);
}

pub fn districts_keys(state: &mut State, selected: usize, action: Action) {
    let list = district_counts(finder(state).entries());
    if let Some(moved) = list_move(selected, list.len(), &action) {
        state.overlay = Overlay::Districts { selected: moved };
        return;
    }
    match action {
        Action::Open => {
            if let Some((name, _)) = list.get(selected) {
                open_finder(state, &format!("@{name}"));
            }
        }
        Action::Quit | Action::Suspend => {}
        _ => state.overlay = Overlay::None,
    }
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
