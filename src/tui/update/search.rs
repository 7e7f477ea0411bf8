//! Search in the open article: every match, the current one on screen.

use super::nav::{last_page_start, say};
use crate::domain::fold::{fold_query, lower};
use crate::tui::state::{Match, Search, State};

/// Finds every match of `query` in the open article (case-insensitive) and goes to the
/// first one at or after the reading position.
pub(super) fn search(state: &mut State, query: &str) {
    if query.is_empty() {
        state.reader.search = None;
        return;
    }
    // Full-width letters typed by an IME find ASCII; case folds for every script.
    let needle: Vec<char> = fold_query(query).chars().map(lower).collect();
    let mut matches = Vec::new();
    for (bi, block) in state.reader.blocks().iter().enumerate() {
        let hay: Vec<char> = block.text.chars().map(lower).collect();
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

pub(super) fn jump_match(state: &mut State, delta: isize) {
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
