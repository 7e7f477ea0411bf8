//! The reading flow of a feed reader: the next unread article across bulletins, marking a
//! bulletin or everything read (after a yes), Space that reads on into the next article.

use super::nav::{open, say};
use crate::domain::unread::{next_article, next_unread, unread_keys, unread_total};
use crate::tui::action::Action;
use crate::tui::state::{LibRow, Overlay, Pane, State};

/// `u`: the next unread article after the open (or selected) one, in library order, in any
/// bulletin.
pub fn open_next_unread(state: &mut State) {
    let from = here(state);
    match next_unread(&state.corpus, &state.saved.read, from) {
        Some((b, a)) => {
            open(state, b, a);
            let left = unread_total(&state.corpus, &state.saved.read);
            say(state, &format!("下一篇未读，还有 {left} 篇未读  next unread; {left} unread in all"), false);
        }
        None => say(state, "没有未读文章了  nothing unread", false),
    }
}

/// Space with the end of the open article on screen (else Space is a page down).
pub fn at_article_end(state: &State) -> bool {
    state.focus == Pane::Reader
        && state.reader.open.is_some()
        && state.reader.shown_end >= state.reader.pager.text_len()
}

/// Space at the end of an article: the next one, and the status line says so.
pub fn read_on(state: &mut State) {
    let Some(from) = state.reader.open else { return };
    match next_article(&state.corpus, from) {
        Some((b, a)) => {
            open(state, b, a);
            let article = &state.corpus.bulletins[b].articles[a];
            let text = format!("下一篇 next: {} {}", article.id, article.title);
            say(state, &text, false);
        }
        None => say(state, "已是最后一篇  that was the last article", false),
    }
}

/// `A` / `C`: ask before marking a bulletin (the selected or open one) or everything read.
pub fn ask_mark_read(state: &mut State, all: bool) {
    let bulletin = match (all, state.focus, state.reader.open, state.library.rows.get(state.library.list.selected)) {
        (true, ..) => None,
        (false, Pane::Reader, Some((b, _)), _) => Some(b),
        (false, _, _, Some(&(LibRow::Bulletin(b) | LibRow::Section(b, _) | LibRow::Article(b, _)))) => Some(b),
        (false, _, Some((b, _)), None) => Some(b),
        (false, _, None, None) => return,
    };
    let keys = unread_keys(&state.corpus, &state.saved.read, bulletin);
    let whose = match bulletin {
        Some(b) => format!("{} 期", state.corpus.bulletins[b].id),
        None => "全部期刊".to_string(),
    };
    if keys.is_empty() {
        say(state, &format!("{whose}没有未读文章  nothing unread there"), false);
        return;
    }
    let n = keys.len();
    let question = format!("将{whose}的 {n} 篇未读标为已读？ y 确认，其他键取消  mark {n} read? y/n");
    state.overlay = Overlay::Confirm { question, keys };
}

/// The answer to `ask_mark_read`.
pub fn confirm(state: &mut State, keys: Vec<String>, action: Action) {
    state.overlay = Overlay::None;
    if action != Action::Submit {
        say(state, "已取消  cancelled", false);
        return;
    }
    for key in &keys {
        state.saved_changed |= state.saved.mark_read(key);
    }
    say(state, &format!("已将 {} 篇标为已读  marked {} read", keys.len(), keys.len()), false);
}

/// The article the reading flow starts from: the open one, else the selected one in the library.
fn here(state: &State) -> Option<(usize, usize)> {
    match (state.reader.open, state.library.rows.get(state.library.list.selected)) {
        (Some(open), _) if state.focus == Pane::Reader => Some(open),
        (_, Some(&LibRow::Article(b, a))) => Some((b, a)),
        (open, _) => open,
    }
}

/// A digit: the count for the next motion grows (`1` `2` `j` moves 12 rows).
pub fn digit(state: &mut State, d: u8) {
    let count = state.count.unwrap_or(0).saturating_mul(10).saturating_add(usize::from(d)).min(9999);
    // A leading 0 is no count.
    state.count = (count > 0).then_some(count);
    if let Some(n) = state.count {
        say(state, &format!("{n}"), false);
    }
}

/// Actions a count repeats (vim: `5j`, `3]`, `2n`, `3u`).
pub fn repeats(action: &Action) -> bool {
    matches!(
        action,
        Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::ReadOn
            | Action::PrevArticle
            | Action::NextArticle
            | Action::NextMatch
            | Action::PrevMatch
            | Action::NextUnread
    )
}
