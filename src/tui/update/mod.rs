//! `update(&mut State, Action) -> Vec<Effect>`: the only place the reader's state changes.

mod finder;
mod grep;
mod library;
mod marks;
mod nav;
mod reader;
mod reading;
mod search;

pub use nav::open;
use nav::say;

use super::action::{Action, Effect};
use super::keymap::help_lines;
use super::line_editor::LineEditor;
use super::list::ListState;
use super::state::{Overlay, Pane, State, popup_area, popup_rows};

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    if let Action::Digit(d) = action
        && state.overlay == Overlay::None
    {
        reading::digit(state, d);
        return Vec::new();
    }
    // A count repeats a motion (`5j`); any other key drops it.
    let times = match state.count.take() {
        Some(n) if reading::repeats(&action) => n,
        _ => 1,
    };
    let mut effects: Vec<Effect> = Vec::new();
    let mut run = |state: &mut State, action: Action| {
        for effect in update_once(state, action) {
            // One save of the latest state is enough.
            if matches!(effect, Effect::Save(_)) {
                effects.retain(|e| !matches!(e, Effect::Save(_)));
            }
            effects.push(effect);
        }
    };
    // Clones only for a count: an action may carry a whole corpus (a finished load).
    for _ in 1..times {
        run(state, action.clone());
    }
    run(state, action);
    effects
}

fn update_once(state: &mut State, action: Action) -> Vec<Effect> {
    // Debug builds (the tests) check that every change to the saved state was reported.
    #[cfg(debug_assertions)]
    let before = state.saved.clone();
    state.saved_changed = false;
    let from_disk = matches!(action, Action::Saved(_) | Action::StateSetAside(_));
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
    library::refresh_preview(state);
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
    let background = matches!(action, Action::Saved(_) | Action::StateSetAside(_) | Action::Reloaded(..));
    if !background && !matches!(action, Action::Resize(..) | Action::Probed(_) | Action::Copied(_)) {
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
        Action::StateSetAside(what) => {
            say(state, &format!("状态文件已损坏，已另存  {what}"), true);
            return Vec::new();
        }
        Action::Reloaded(loaded) => {
            marks::reloaded(state, *loaded);
            return Vec::new();
        }
        Action::Probed(mode) => {
            marks::probed(state, mode);
            return Vec::new();
        }
        Action::Copied(message) => {
            say(state, &message, false);
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
        Overlay::Confirm { keys, .. } => reading::confirm(state, keys, action),
        Overlay::Grep => grep::grep_keys(state, action),
        Overlay::None => match action {
            Action::NextUnread => reading::open_next_unread(state),
            Action::MarkBulletinRead => reading::ask_mark_read(state, false),
            Action::MarkAllRead => reading::ask_mark_read(state, true),
            Action::ReadOn if reading::at_article_end(state) => reading::read_on(state),
            Action::ReadOn => return apply(state, Action::PageDown),
            Action::Bookmark => marks::toggle_bookmark(state),
            Action::Bookmarks if state.bookmark_list().is_empty() => {
                say(state, "还没有书签：按 m 加书签  no bookmarks yet (m adds one)", false)
            }
            Action::Bookmarks => state.overlay = Overlay::Bookmarks { list: ListState::default() },
            Action::Copy => return marks::copy(state),
            Action::Reload => {
                // The load job runs one load and keeps one more: asked again, it reads once more.
                let text = match state.reloads {
                    0 => "正在读取…  reading the files",
                    _ => "正在读取；读完后再读一次  reading; once more after this",
                };
                state.reloads = (state.reloads + 1).min(2);
                say(state, text, false);
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
    // Rows shown and rows in all (the view draws the same lines into the same popup).
    let len = help_lines(&state.keymap, state.settings.mode).len();
    let shown = popup_rows(popup_area(state.screen(), 0, len as u16 + 2));
    let last = len.saturating_sub(shown) as u16;
    let page = shown as u16;
    let scroll = match action {
        Action::Down => scroll.saturating_add(1),
        Action::Up => scroll.saturating_sub(1),
        Action::PageDown => scroll.saturating_add(page),
        Action::PageUp => scroll.saturating_sub(page),
        Action::HalfPageDown => scroll.saturating_add(page / 2),
        Action::HalfPageUp => scroll.saturating_sub(page / 2),
        Action::Top => 0,
        Action::Bottom => last,
        _ => {
            state.overlay = Overlay::None;
            return;
        }
    };
    state.overlay = Overlay::Help { scroll: scroll.min(last) };
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
