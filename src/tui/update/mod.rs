//! `update(&mut State, Action) -> Vec<Effect>`: the only place the reader's state changes.

mod finder;
mod grep;
mod library;
mod marks;
mod nav;
mod reader;
mod search;

pub use nav::open;
use nav::say;

use super::action::{Action, Effect};
use super::line_editor::LineEditor;
use super::list::ListState;
use super::state::{Overlay, Pane, State, popup_area, popup_rows};

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    // Debug builds (the tests) check that every change to the saved state was reported.
    #[cfg(debug_assertions)]
    let before = state.saved.clone();
    state.saved_changed = false;
    let from_disk = matches!(action, Action::Saved(_));
    let reloaded = matches!(action, Action::Reloaded(..));
    let mut effects = apply(state, action);
    if reloaded {
        // Results point into the corpus that was just replaced.
        state.grep.searched = None;
        grep::research(state);
        state.grep.opened = None;
    }
    // What is on screen is derived from the position: recompute it once, after the change.
    state.refresh_reader();
    finder::refresh_preview(state);
    grep::refresh_rows(state);
    marks::mark_read_if_seen(state);
    #[cfg(debug_assertions)]
    if !from_disk {
        debug_assert_eq!(state.saved_changed, state.saved != before, "a change to the saved state went unreported");
    }
    // Anything kept between runs that changed is saved now (before a quit, so it lands).
    if !from_disk && state.saved_changed {
        effects.insert(0, Effect::Save(state.saved.clone()));
    }
    effects
}

fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    // A message stays until the next thing the user does (not until a save comes back).
    if !matches!(action, Action::Resize(..) | Action::Saved(_) | Action::Reloaded(..) | Action::Probed(_)) {
        state.status = None;
    }
    match action {
        Action::Quit => {
            nav::remember_place(state);
            return vec![Effect::Quit];
        }
        Action::Saved(result) => {
            marks::saved(state, result);
            return Vec::new();
        }
        Action::Reloaded(corpus, problems) => {
            marks::reloaded(state, *corpus, problems);
            return Vec::new();
        }
        Action::Probed(mode) => {
            marks::probed(state, mode);
            return Vec::new();
        }
        Action::Suspend => return vec![Effect::Suspend],
        Action::Redraw => return vec![Effect::Redraw],
        Action::Resize(w, h) => {
            state.size = (w, h);
            nav::keep_lists_visible(state);
            return Vec::new();
        }
        _ => {}
    }
    // Taken, not copied: each handler puts back what stays open.
    match std::mem::replace(&mut state.overlay, Overlay::None) {
        Overlay::Help { scroll } => help(state, scroll, action),
        Overlay::Search { input } => typing(state, input, action),
        Overlay::Bookmarks { list } => marks::bookmarks(state, list, action),
        Overlay::Finder(ui) => finder::finder_keys(state, ui, action),
        Overlay::Districts { list } => finder::districts_keys(state, list, action),
        Overlay::Grep => grep::grep_keys(state, action),
        Overlay::None => match action {
            Action::Bookmark => marks::toggle_bookmark(state),
            Action::Bookmarks if state.bookmark_list().is_empty() => {
                say(state, "还没有书签：按 m 加书签  no bookmarks yet (m adds one)", false)
            }
            Action::Bookmarks => state.overlay = Overlay::Bookmarks { list: ListState::default() },
            Action::Copy => return marks::copy(state),
            Action::Reload => {
                state.reloading = true;
                say(state, "正在读取…  reading the files", false);
                return vec![Effect::Reload];
            }
            Action::Help => state.overlay = Overlay::Help { scroll: 0 },
            Action::Finder => finder::open_finder(state, ""),
            Action::Grep => grep::open_grep(state),
            // `/` searches what has the focus: in the library, that is every article.
            Action::Search if state.focus == Pane::Library => grep::open_grep(state),
            Action::Back if state.focus == Pane::Reader && grep::back_to_results(state) => {}
            Action::Districts => finder::open_districts(state),
            Action::Scroll { x, y, lines } => reader::scroll_at(state, x, y, lines),
            Action::Click { x, y } => library::click(state, x, y),
            Action::PrevArticle => reader::step_article(state, -1),
            Action::NextArticle => reader::step_article(state, 1),
            Action::Search => match state.reader.open {
                Some(_) => {
                    state.focus = Pane::Reader;
                    state.search_history.restart();
                    state.overlay = Overlay::Search { input: LineEditor::default() };
                }
                None => say(state, "先打开一篇文章 (Enter)，再按 / 搜索", false),
            },
            action if state.focus == Pane::Library => library::library(state, action),
            action => reader::reader(state, action),
        },
    }
    Vec::new()
}

fn help(state: &mut State, scroll: u16, action: Action) {
    // A page is the rows of the help at its tallest (it is longer than most screens).
    let page = popup_rows(popup_area(state.screen(), 0, u16::MAX)) as u16;
    let scroll = match action {
        Action::Down => scroll.saturating_add(1),
        Action::Up => scroll.saturating_sub(1),
        Action::PageDown => scroll.saturating_add(page),
        Action::PageUp => scroll.saturating_sub(page),
        _ => {
            state.overlay = Overlay::None;
            return;
        }
    };
    // The view clamps to the help's length.
    state.overlay = Overlay::Help { scroll };
}

fn typing(state: &mut State, mut input: LineEditor, action: Action) {
    match action {
        // Backspace on an empty line leaves the prompt, as in less and vim.
        Action::DeleteChar if input.is_empty() => {
            state.overlay = Overlay::None;
            return;
        }
        Action::HistoryPrev => {
            state.search_history.step(&mut input, -1);
        }
        Action::HistoryNext => {
            state.search_history.step(&mut input, 1);
        }
        Action::Submit => {
            state.overlay = Overlay::None;
            state.search_history.push(&input);
            search::search(state, &input);
            return;
        }
        Action::Back => {
            state.overlay = Overlay::None;
            return;
        }
        action => {
            input.apply(&action);
        }
    }
    state.overlay = Overlay::Search { input };
}
