//! Search in the open article: every match, the current one on screen.

use super::nav::say;
use crate::domain::page::{Block, Kind, PICTURE_MARK};
use crate::domain::search::Query;
use crate::tui::state::{Match, Search, State};

/// Finds every match of `query` in the open article and goes to the first one at or after the
/// reading position. The matching rules are the full-text search's (`domain::search`).
pub(super) fn search(state: &mut State, query: &str) {
    search_at(state, query, false);
}

/// Like `search`, from the article's first match (an article opened from the search results).
pub(super) fn search_from_start(state: &mut State, query: &str) {
    search_at(state, query, true);
}

fn search_at(state: &mut State, query: &str, from_start: bool) {
    if query.trim().is_empty() {
        state.reader.search = None;
        return;
    }
    let q = match Query::parse(query) {
        Ok(q) => q,
        Err(e) => {
            state.reader.search = None;
            say(state, &e.to_string(), true);
            return;
        }
    };
    let matches = find_matches(state.reader.blocks(), &q);
    if matches.is_empty() {
        state.reader.search = None;
        say(state, &format!("未找到 “{}”  not found", q.text()), true);
        return;
    }
    let top = state.reader.top;
    let current = if from_start { 0 } else { matches.iter().position(|m| match_offset(state, m) >= top).unwrap_or(0) };
    state.reader.search = Some(Search { query: q.text().to_string(), matches, current });
    show_current_match(state);
}

/// The article's text as the search sees it: headlines, captions and paragraphs (not the
/// meta line kanbao adds, nor the picture mark), so the counts agree with the results list.
fn find_matches(blocks: &[Block], q: &Query) -> Vec<Match> {
    let mark = PICTURE_MARK.chars().count();
    let mut matches = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let skip = match block.kind {
            Kind::Meta | Kind::Blank => continue,
            Kind::Picture if block.text.starts_with(PICTURE_MARK) => mark,
            _ => 0,
        };
        let text = if skip > 0 { &block.text[PICTURE_MARK.len()..] } else { block.text.as_str() };
        for r in q.find(text) {
            matches.push(Match { block: bi, start: r.start + skip, len: r.len() });
        }
    }
    matches
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
        state.reader.top = state.reader.pager.page_start(to, state.page_height());
    }
}
