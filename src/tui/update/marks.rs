//! What is kept between runs (positions, bookmarks, read marks), and what comes back from the
//! outside world: a save's result, a reload, the terminal's probe answer. Also copying.

use super::nav::{keep_selection_visible, open, say};
use crate::domain::page::PICTURE_MARK;
use crate::domain::store::{self, unix_now};
use crate::domain::width::Ambiguous;
use crate::tui::action::{Action, Effect, Loaded};
use crate::tui::list::ListState;
use crate::tui::state::{LibRow, Overlay, State, popup_rows};

/// An article whose end has been on screen counts as read.
pub fn mark_read_if_seen(state: &mut State) {
    let len = state.reader.pager.text_len();
    if state.reader.shown_end >= len
        && len > 0
        && let Some(key) = state.open_key().map(str::to_string)
        && !state.saved.read.contains(&key)
    {
        state.saved_changed |= state.saved.mark_read(&key);
    }
}

pub fn toggle_bookmark(state: &mut State) {
    let (Some(id), Some(key)) = (state.open_id().map(str::to_string), state.open_key().map(str::to_string)) else {
        say(state, "先打开一篇文章  open an article first", false);
        return;
    };
    if state.saved.bookmarks.contains_key(&key) {
        state.saved_changed |= state.saved.remove_bookmark(&key, unix_now());
        say(state, &format!("已删除书签 {id}  bookmark removed"), false);
    } else {
        let top = state.reader.top;
        state.saved_changed |= state.saved.add_bookmark(&key, top, unix_now());
        say(state, &format!("已加书签 {id}  bookmarked (' 查看 list)"), false);
    }
}

pub fn bookmarks(state: &mut State, mut at: ListState, action: Action) {
    let list = state.bookmark_list();
    let last = list.len().saturating_sub(1);
    let page = popup_rows(state.bookmarks_area());
    if at.apply(&action, list.len(), page, |_| true) {
        at.show(list.len(), page, 0);
        state.overlay = Overlay::Bookmarks { list: at };
        return;
    }
    let selected = at.selected;
    at.selected = match action {
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
                state.saved_changed |= state.saved.remove_bookmark(id, unix_now());
            }
            selected.min(last.saturating_sub(1))
        }
        Action::Quit | Action::Suspend => selected,
        _ => {
            state.overlay = Overlay::None;
            return;
        }
    };
    // The popup shrinks with its list.
    at.show(state.bookmark_list().len(), popup_rows(state.bookmarks_area()), 0);
    state.overlay = Overlay::Bookmarks { list: at };
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
    let date = bulletin.date_label();
    text.push_str(&format!("{date} · {}\n\n", article.id));
    for block in state.reader.blocks().iter().skip_while(|b| b.kind != crate::domain::page::Kind::Blank).skip(1) {
        if let Some(caption) = block.text.strip_prefix(PICTURE_MARK) {
            text.push_str(&format!("[图] {caption}\n"));
        } else if !block.text.is_empty() {
            text.push_str(&block.text);
            text.push('\n');
        }
    }
    // The message comes back with where the text went (Action::Copied).
    vec![Effect::Copy(text)]
}

pub fn saved(state: &mut State, result: Result<store::SavedState, String>) {
    match result {
        Ok(merged) => {
            // Saves run on their own thread: what changed here since this one was asked for
            // is newer than the file, and wins (the next save writes it).
            state.saved = state.saved.merge(&merged);
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

/// A new corpus from a reload: the open article stays open if it still exists; the library
/// keeps its folds, its selection and the focus (`R` in the library stays in the library). The
/// load after the first frame (the user's own bulletins) keeps the selection at the top.
pub fn reloaded(state: &mut State, loaded: Loaded) {
    let Loaded { corpus, problems, finder } = loaded;
    let Some(corpus) = corpus else { return unchanged(state, &problems) };
    let pending = state.pending_open.take();
    let top = if pending.is_some() { None } else { Some(state.reader.top) };
    let open_id = state.open_id().map(str::to_string).or(pending.clone());
    let (focus, at_top) = (state.focus, state.library.list.selected == 0);
    // A row by ids (indices change when bulletins come and go); section headings are not
    // selectable.
    let id_of = |state: &State, row: LibRow| match row {
        LibRow::Bulletin(b) => Some((state.corpus.bulletins[b].id.clone(), None)),
        LibRow::Section(..) => None,
        LibRow::Article(b, a) => {
            let b = &state.corpus.bulletins[b];
            Some((b.id.clone(), Some(b.articles[a].id.clone())))
        }
    };
    let selected = state.library.rows.get(state.library.list.selected).and_then(|&r| id_of(state, r));
    let unfolded: Vec<String> = (state.corpus.bulletins.iter().zip(&state.library.expanded))
        .filter(|(_, open)| **open)
        .map(|(b, _)| b.id.clone())
        .collect();
    let first_load = state.reloads == 0;
    let n = corpus.bulletins.len();
    state.corpus = corpus;
    state.finder_built = finder;
    state.library.expanded = state.corpus.bulletins.iter().map(|b| unfolded.contains(&b.id)).collect();
    // The load after the first frame: the newest bulletin opens, as at any start.
    if first_load {
        state.unfold_newest();
    }
    state.reader = Default::default();
    state.library.preview_of = None;
    // The complete corpus is in: marks follow their articles (and old ids are carried over).
    state.saved_changed |= store::follow(&mut state.saved, &state.corpus, true) > 0;
    state.rebuild_library();
    if let Some((b, a)) = open_id.and_then(|id| state.find_article(&id)) {
        // Where it was (a pending article opens at its saved place).
        open(state, b, a);
        if let Some(top) = top {
            state.reader.top = top;
        }
    }
    if pending.is_none() {
        state.focus = focus;
        let row = (0..state.library.rows.len())
            .find(|&i| selected.is_some() && id_of(state, state.library.rows[i]) == selected);
        state.library.list.selected = match row {
            _ if first_load && at_top => 0,
            Some(i) => i,
            None => 0,
        };
    }
    keep_selection_visible(state);
    // Overlays that hold results from the old corpus: recomputed from the new one here, so no
    // view ever sees an index into a corpus that is gone.
    super::finder::revalidate(state);
    done_loading(state, pending, n, &problems, "");
}

/// A reload that found the files as they were: the corpus, the place and the views stand.
fn unchanged(state: &mut State, problems: &[String]) {
    let pending = state.pending_open.take();
    if let Some((b, a)) = pending.as_deref().and_then(|id| state.find_article(id)) {
        open(state, b, a);
    }
    done_loading(state, pending, state.corpus.bulletins.len(), problems, "，无变化 unchanged");
}

/// The status line after a load of `n` bulletins (`note`: after the count).
fn done_loading(state: &mut State, pending: Option<String>, n: usize, problems: &[String], note: &str) {
    let asked = state.reloads > 0;
    state.reloads = state.reloads.saturating_sub(1);
    let summary = format!("已读取：{}期 {}篇{note}  loaded", n, state.corpus.article_count());
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
        state.saved_changed |= state.saved.set_ambiguous(&state.term, mode);
    }
}
