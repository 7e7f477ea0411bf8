//! `update(&mut State, Action) -> Vec<Effect>`: the only place the reader's state changes.

use super::action::{Action, Effect};
use super::state::{LibRow, Match, Overlay, Pane, Search, State, Status};

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = apply(state, action);
    // What is on screen is derived from the position: recompute it once, after the change.
    state.refresh_reader();
    effects
}

fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    // A message stays until the next thing the user does.
    if !matches!(action, Action::Resize(..)) {
        state.status = None;
    }
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Suspend => return vec![Effect::Suspend],
        Action::Redraw => return vec![Effect::Redraw],
        Action::Resize(w, h) => {
            state.size = (w, h);
            keep_selection_visible(state);
            return Vec::new();
        }
        _ => {}
    }
    match state.overlay.clone() {
        Overlay::Help { scroll } => help(state, scroll, action),
        Overlay::Search { input } => typing(state, input, action),
        Overlay::None => match action {
            Action::Help => state.overlay = Overlay::Help { scroll: 0 },
            Action::Finder => say(state, "查找功能即将推出：先用 / 在文章中搜索", false),
            Action::Scroll { x, y, lines } => scroll_at(state, x, y, lines),
            Action::Click { x, y } => click(state, x, y),
            Action::PrevArticle => step_article(state, -1),
            Action::NextArticle => step_article(state, 1),
            Action::Search => match state.reader.open {
                Some(_) => {
                    state.focus = Pane::Reader;
                    state.overlay = Overlay::Search { input: String::new() };
                }
                None => say(state, "先打开一篇文章 (Enter)，再按 / 搜索", false),
            },
            action if state.focus == Pane::Library => library(state, action),
            action => reader(state, action),
        },
    }
    Vec::new()
}

fn say(state: &mut State, text: &str, error: bool) {
    state.status = Some(Status { text: text.to_string(), error });
}

fn help(state: &mut State, scroll: u16, action: Action) {
    let page = state.size.1.saturating_sub(6).max(1);
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

fn typing(state: &mut State, mut input: String, action: Action) {
    match action {
        Action::Input(c) if !c.is_control() => input.push(c),
        // Backspace on an empty line leaves the prompt, as in less and vim.
        Action::DeleteChar if input.is_empty() => {
            state.overlay = Overlay::None;
            return;
        }
        Action::DeleteChar => {
            input.pop();
        }
        Action::DeleteWord => {
            let keep = input.trim_end().rfind(' ').map_or(0, |i| i + 1);
            input.truncate(keep);
        }
        Action::Submit => {
            state.overlay = Overlay::None;
            search(state, &input);
            return;
        }
        Action::Back => {
            state.overlay = Overlay::None;
            return;
        }
        _ => {}
    }
    state.overlay = Overlay::Search { input };
}

// ---- the library pane

fn library(state: &mut State, action: Action) {
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
        Action::NextMatch | Action::PrevMatch => reader(state, action),
        _ => {}
    }
    keep_selection_visible(state);
}

/// Moves the selection by `delta` selectable rows (section headings are skipped).
fn move_selection(state: &mut State, delta: isize) {
    let rows = &state.library.rows;
    let selectable: Vec<usize> = (0..rows.len()).filter(|&i| !matches!(rows[i], LibRow::Section(..))).collect();
    if selectable.is_empty() {
        return;
    }
    let here = selectable.iter().position(|&i| i >= state.library.selected).unwrap_or(0) as isize;
    let to = here.saturating_add(delta).clamp(0, selectable.len() as isize - 1) as usize;
    state.library.selected = selectable[to];
}

fn select(state: &mut State, row: LibRow) {
    if let Some(i) = state.library.rows.iter().position(|r| *r == row) {
        state.library.selected = i;
    }
    keep_selection_visible(state);
}

fn library_height(state: &State) -> usize {
    state.geometry().library.map_or(0, |r| usize::from(r.height.saturating_sub(2)))
}

fn keep_selection_visible(state: &mut State) {
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

// ---- the reading pane

/// Opens an article: laid out, from the top, focused; the library follows.
pub fn open(state: &mut State, b: usize, a: usize) {
    state.open_article(b, a);
    state.focus = Pane::Reader;
    if !state.library.expanded[b] {
        state.library.expanded[b] = true;
        state.rebuild_library();
    }
    select(state, LibRow::Article(b, a));
}

fn reader(state: &mut State, action: Action) {
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
        Action::NextMatch => jump_match(state, 1),
        Action::PrevMatch => jump_match(state, -1),
        _ => {}
    }
}

/// Scrolls the reading pane by `delta` rows, no further than the last full page.
fn scroll(state: &mut State, delta: isize) {
    let from = state.reader.first_offset();
    let to = state.reader.pager.step(from, delta);
    state.reader.top = to.min(last_page_start(state));
}

fn last_page_start(state: &mut State) -> usize {
    let h = state.page_height();
    state.reader.pager.last_page_start(h)
}

/// The articles in library order: newest bulletin first.
fn article_order(state: &State) -> Vec<(usize, usize)> {
    let c = &state.corpus;
    (0..c.bulletins.len()).rev().flat_map(|b| (0..c.bulletins[b].articles.len()).map(move |a| (b, a))).collect()
}

fn step_article(state: &mut State, delta: isize) {
    let order = article_order(state);
    let here = match (state.reader.open, state.library.rows.get(state.library.selected)) {
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

fn scroll_at(state: &mut State, x: u16, y: u16, lines: i32) {
    let g = state.geometry();
    let inside = |r: Option<ratatui::layout::Rect>| r.is_some_and(|r| r.contains((x, y).into()));
    if inside(g.reader) {
        scroll(state, lines as isize);
    } else if inside(g.library) {
        move_selection(state, lines as isize);
        keep_selection_visible(state);
    }
}

fn click(state: &mut State, x: u16, y: u16) {
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

// ---- search in the article

/// Finds every match of `query` in the open article (ASCII case-insensitive) and goes to the
/// first one at or after the reading position.
fn search(state: &mut State, query: &str) {
    if query.is_empty() {
        state.reader.search = None;
        return;
    }
    let needle: Vec<char> = query.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut matches = Vec::new();
    for (bi, block) in state.reader.blocks().iter().enumerate() {
        let hay: Vec<char> = block.text.chars().map(|c| c.to_ascii_lowercase()).collect();
        let mut i = 0;
        while i + needle.len() <= hay.len() {
            if hay[i..i + needle.len()] == needle[..] {
                matches.push(Match { block: bi, start: i, len: needle.len() });
                i += needle.len();
            } else {
                i += 1;
            }
        }
    }
    if matches.is_empty() {
        state.reader.search = None;
        say(state, &format!("未找到 “{query}”  not found"), true);
        return;
    }
    let top = state.reader.top;
    let current = matches.iter().position(|m| match_offset(state, m) >= top).unwrap_or(0);
    state.reader.search = Some(Search { query: query.to_string(), matches, current });
    show_current_match(state);
}

fn match_offset(state: &State, m: &Match) -> usize {
    state.reader.blocks()[m.block].base + m.start
}

fn jump_match(state: &mut State, delta: isize) {
    let Some(s) = &mut state.reader.search else {
        say(state, "先按 / 搜索  press / to search", false);
        return;
    };
    let n = s.matches.len() as isize;
    s.current = (s.current as isize + delta).rem_euclid(n) as usize;
    let wrapped = (delta > 0 && s.current == 0) || (delta < 0 && s.current as isize == n - 1);
    let counter = format!("“{}” {}/{}", s.query, s.current + 1, n);
    show_current_match(state);
    if wrapped && n > 1 {
        say(state, &format!("{counter} · 已绕回 search wrapped"), false);
    }
}

/// Scrolls so the current match is on screen, with two rows of context above it.
fn show_current_match(state: &mut State) {
    let Some(s) = &state.reader.search else { return };
    let offset = match_offset(state, &s.matches[s.current]);
    state.refresh_reader();
    let r = &state.reader;
    if offset < r.first_offset() || offset >= r.shown_end {
        let to = state.reader.pager.step(offset, -2);
        state.reader.top = to.min(last_page_start(state));
    }
}
