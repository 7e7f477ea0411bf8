//! What is kept between runs (positions, bookmarks, read marks), and what comes back from the
//! outside world: a save's result, a reload, the terminal's probe answer. Also copying.

use super::library::keep_selection_visible;
use super::reader::open;
use super::say;
use crate::domain::corpus::Corpus;
use crate::domain::page::PICTURE_MARK;
use crate::domain::store::{self, unix_now};
use crate::domain::width::Ambiguous;
use crate::tui::action::{Action, Effect};
use crate::tui::state::{Overlay, State};

/// Notes where the reader is in the open article (saved with the next save).
pub fn remember_place(state: &mut State) {
    if let Some(id) = state.open_id().map(str::to_string) {
        let top = state.reader.top;
        state.saved.set_place(&id, top, unix_now());
    }
}

/// An article whose end has been on screen counts as read.
pub fn mark_read_if_seen(state: &mut State) {
    let len = state.reader.pager.text_len();
    if state.reader.shown_end >= len
        && len > 0
        && let Some(id) = state.open_id().map(str::to_string)
        && !state.saved.read.contains(&id)
    {
        state.saved.mark_read(&id);
    }
}

pub fn toggle_bookmark(state: &mut State) {
    let Some(id) = state.open_id().map(str::to_string) else {
        say(state, "先打开一篇文章  open an article first", false);
        return;
    };
    if state.saved.bookmarks.contains_key(&id) {
        state.saved.remove_bookmark(&id, unix_now());
        say(state, &format!("已删除书签 {id}  bookmark removed"), false);
    } else {
        let top = state.reader.top;
        state.saved.add_bookmark(&id, top, unix_now());
        say(state, &format!("已加书签 {id}  bookmarked (' 查看 list)"), false);
    }
}

/// Bookmarked articles that exist in this corpus, newest bookmark first.
pub fn bookmark_list(state: &State) -> Vec<(String, usize)> {
    let mut list: Vec<(&String, &store::Bookmark)> =
        state.saved.bookmarks.iter().filter(|(id, _)| state.find_article(id).is_some()).collect();
    list.sort_by(|a, b| b.1.added.cmp(&a.1.added).then(a.0.cmp(b.0)));
    list.into_iter().map(|(id, b)| (id.clone(), b.offset)).collect()
}

pub fn bookmarks(state: &mut State, selected: usize, action: Action) {
    let list = bookmark_list(state);
    let last = list.len().saturating_sub(1);
    if let Some(moved) = super::finder::list_move(selected, list.len(), &action) {
        state.overlay = Overlay::Bookmarks { selected: moved };
        return;
    }
    let selected = match action {
        Action::Open => {
            state.overlay = Overlay::None;
            if let Some((id, offset)) = list.get(selected)
                && let Some((b, a)) = state.find_article(id)
            {
                open(state, b, a);
                state.reader.top = *offset;
            }
            return;
        }
        Action::Bookmark => {
            if let Some((id, _)) = list.get(selected) {
                state.saved.remove_bookmark(id, unix_now());
            }
            selected.min(last.saturating_sub(1))
        }
        Action::Quit | Action::Suspend => return,
        _ => {
            state.overlay = Overlay::None;
            return;
        }
    };
    state.overlay = Overlay::Bookmarks { selected };
}

/// The article as plain text for the clipboard: headline, date and id, then the text.
pub fn copy(state: &mut State) -> Vec<Effect> {
    let Some((b, a)) = state.reader.open else {
        say(state, "先打开一篇文章  open an article first", false);
        return Vec::new();
    };
    let bulletin = &state.corpus.bulletins[b];
    let article = &bulletin.articles[a];
    let mut text = String::new();
    for line in [&article.kicker, &Some(article.title.clone()), &article.subtitle].into_iter().flatten() {
        text.push_str(line);
        text.push('\n');
    }
    let date = bulletin.date.map_or("日期不详".to_string(), |d| format!("{}年{}月", d.year, d.month));
    text.push_str(&format!("{date} · {}\n\n", article.id));
    for block in state.reader.blocks().iter().skip_while(|b| b.kind != crate::domain::page::Kind::Blank).skip(1) {
        if let Some(caption) = block.text.strip_prefix(PICTURE_MARK) {
            text.push_str(&format!("[图] {caption}\n"));
        } else if !block.text.is_empty() {
            text.push_str(&block.text);
            text.push('\n');
        }
    }
    let n = text.chars().count();
    say(state, &format!("已复制 {n} 字  copied {n} characters (OSC 52)"), false);
    vec![Effect::Copy(text)]
}

pub fn saved(state: &mut State, result: Result<store::State, String>) {
    match result {
        Ok(merged) => {
            state.saved = merged;
            if state.save_error.take().is_some() {
                say(state, "已保存  saved", false);
            }
        }
        Err(e) => {
            say(state, &format!("无法保存：{e}"), true);
            state.save_error = Some(e);
        }
    }
}

/// A new corpus from a reload: the open article stays open if it still exists.
pub fn reloaded(state: &mut State, corpus: Corpus, problems: Vec<String>) {
    let pending = state.pending_open.take();
    let top = if pending.is_some() { None } else { Some(state.reader.top) };
    let open_id = state.open_id().map(str::to_string).or(pending.clone());
    let n = corpus.bulletins.len();
    state.corpus = corpus;
    state.finder = None;
    state.library.expanded = vec![false; n];
    if let Some(last) = state.library.expanded.last_mut() {
        *last = true;
    }
    state.reader = Default::default();
    state.rebuild_library();
    if let Some((b, a)) = open_id.and_then(|id| state.find_article(&id)) {
        // Where it was (a pending article opens at its saved place).
        open(state, b, a);
        if let Some(top) = top {
            state.reader.top = top;
        }
    }
    keep_selection_visible(state);
    // Overlays that hold results from the old corpus: recomputed from the new one here, so no
    // view ever sees an index into a corpus that is gone.
    super::finder::revalidate(state);
    let asked = std::mem::take(&mut state.reloading);
    let summary = format!("已读取：{}期 {}篇  loaded", n, state.corpus.article_count());
    if let Some(id) = pending.filter(|id| state.find_article(id).is_none()) {
        say(state, &format!("没有这篇文章 {id}  no such article"), true);
    } else if let Some(p) = problems.first() {
        say(state, &format!("{summary}; {} 个问题: {p}", problems.len()), true);
    } else if asked {
        // The load after the first frame is silent: a start-up notice stays on the status line.
        say(state, &summary, false);
    }
}

/// The terminal's answer to the width probe, remembered for this kind of terminal.
pub fn probed(state: &mut State, mode: Ambiguous) {
    state.settings.mode = mode;
    if !state.term.is_empty() {
        state.saved.ambiguous_by_term.insert(state.term.clone(), mode.to_string());
    }
}
