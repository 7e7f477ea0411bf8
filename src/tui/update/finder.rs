//! The finder over titles and districts (f / Ctrl-P), and the district view (d).
//! Results follow every keystroke; Esc leaves the reader as it was, Enter opens the article.

use std::sync::Arc;

use super::reader::open;
use crate::domain::finder::{Finder, corpus_entries, district_counts};
use crate::domain::page;
use crate::domain::pager::{Fit, Pager};
use crate::tui::action::Action;
use crate::tui::state::{FindUi, Overlay, State, finder_layout};

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

/// Lays out the selected article's first rows for the preview (derived: refreshed by `update`
/// after every change, so a frame only paints them).
pub fn refresh_preview(state: &mut State) {
    let Overlay::Finder(ui) = &state.overlay else { return };
    let area = finder_layout(state.size).preview;
    let article = ui.hits.get(ui.selected).and_then(|hit| state.finder_refs.get(hit.index)).copied();
    let found = article.and_then(|(b, a)| state.corpus.bulletins.get(b).and_then(|bl| Some((bl, bl.articles.get(a)?))));
    let rows = match found {
        Some((bulletin, article)) => {
            let mut pager = Pager::new(page::blocks(bulletin, article, state.settings.indent));
            let fit =
                Fit { width: usize::from(area.width.max(1)), mode: state.settings.mode, indent: state.settings.indent };
            pager.fit(fit);
            pager.rows_from(0, usize::from(area.height)).0
        }
        None => Vec::new(),
    };
    if let Overlay::Finder(ui) = &mut state.overlay {
        ui.preview = rows;
    }
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
            if let Some(&(b, a)) = ui.hits.get(ui.selected).and_then(|hit| state.finder_refs.get(hit.index)) {
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

/// After a new corpus came (a load finished): the finder, the district view and their results
/// are rebuilt from it, keeping what the user typed and, where it still exists, the selection.
pub fn revalidate(state: &mut State) {
    match std::mem::replace(&mut state.overlay, Overlay::None) {
        Overlay::Finder(mut ui) => {
            let selected = ui.selected;
            refresh(state, &mut ui);
            ui.selected = selected.min(ui.hits.len().saturating_sub(1));
            ui.top = ui.top.min(ui.selected);
            state.overlay = Overlay::Finder(ui);
        }
        Overlay::Districts { selected } => {
            state.districts = district_counts(finder(state).entries());
            let selected = selected.min(state.districts.len().saturating_sub(1));
            state.overlay = Overlay::Districts { selected };
        }
        other => state.overlay = other,
    }
}

/// Opens the district view: every district with its article count, counted once here.
pub fn open_districts(state: &mut State) {
    state.districts = district_counts(finder(state).entries());
    state.overlay = Overlay::Districts { selected: 0 };
}

pub fn districts_keys(state: &mut State, selected: usize, action: Action) {
    let list = state.districts.clone();
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
