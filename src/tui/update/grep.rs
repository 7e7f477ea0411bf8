//! The full-text search overlay (`s`, or `/` in the library): results follow every keystroke,
//! one row per article with its hit count and a snippet; the preview lists the selected
//! article's hits. Enter opens the article at its first hit with the in-article search on (n/N
//! step through the hits); Esc there comes back to the results.

use std::borrow::Cow;

use super::nav::open;
use super::search::search_from_start;
use crate::domain::corpus::{Article, Corpus};
use crate::domain::search::{Field, Found, Query, Snippet, search, search_within, snippet};
use crate::domain::width::Ambiguous;
use crate::tui::action::Action;
use crate::tui::list::ListState;
use crate::tui::state::{Overlay, State, finder_layout, grep_columns};

/// Opens the overlay on the last query (searched again: the library may have changed).
pub fn open_grep(state: &mut State) {
    let keep = state.grep.list.selected;
    state.grep.searched = None;
    research(state);
    state.grep.list.selected = keep;
    state.overlay = Overlay::Grep;
    keep_visible(state);
}

/// Runs the query: over the previous results when it narrows the previous query (typing on),
/// else over the whole corpus.
pub fn research(state: &mut State) {
    let ui = &mut state.grep;
    let previous = std::mem::take(&mut ui.found);
    let searched = ui.searched.take();
    (ui.total_hits, ui.error) = (0, None);
    ui.list = ListState::default();
    if ui.query.trim().is_empty() {
        return;
    }
    match Query::parse(&ui.query) {
        Ok(q) => {
            ui.found = match searched {
                Some(before) if q.narrows(&before) => search_within(&state.corpus, &q, &previous),
                _ => search(&state.corpus, &q),
            };
            ui.total_hits = ui.found.iter().map(|f| f.hits).sum();
            ui.searched = Some(q);
        }
        // Mid-typing (`!`, `"`) is no error: the list just waits for a term.
        Err(crate::domain::search::QueryError::Empty) => {}
        Err(e) => ui.error = Some(e.to_string()),
    }
}

pub fn grep_keys(state: &mut State, action: Action) {
    state.overlay = Overlay::Grep;
    let page = usize::from(finder_layout(state.size).list.height);
    let ui = &mut state.grep;
    if ui.list.apply(&action, ui.found.len(), page, |_| true) {
        ui.list.show(ui.found.len(), page, 0);
        return;
    }
    if let Some(changed) = ui.query.apply(&action) {
        if changed {
            research(state);
        }
        return;
    }
    match action {
        Action::Submit => {
            let Some(f) = ui.found.get(ui.list.selected) else { return };
            let (b, a, query) = (f.bulletin, f.article, ui.query.to_string());
            ui.opened = Some((b, a));
            state.overlay = Overlay::None;
            open(state, b, a);
            search_from_start(state, &query);
        }
        Action::Back => state.overlay = Overlay::None,
        _ => {}
    }
}

/// Esc in an article opened from the results: back to them, as they were.
pub fn back_to_results(state: &mut State) -> bool {
    if state.grep.opened.is_none() || state.grep.opened != state.reader.open {
        return false;
    }
    state.grep.opened = None;
    state.reader.search = None;
    state.overlay = Overlay::Grep;
    true
}

fn keep_visible(state: &mut State) {
    let page = usize::from(finder_layout(state.size).list.height);
    state.grep.list.show(state.grep.found.len(), page, 0);
}

/// Snippets for the rows on screen and the preview (derived: refreshed by `update` after every
/// change, so a frame only paints them; only what shows is cut, whatever the result count).
pub fn refresh_rows(state: &mut State) {
    if state.overlay != Overlay::Grep {
        return;
    }
    // The size may have changed.
    keep_visible(state);
    let l = finder_layout(state.size);
    let mode = state.settings.mode;
    let Ok(q) = Query::parse(&state.grep.query) else {
        (state.grep.rows, state.grep.preview) = (Vec::new(), Vec::new());
        return;
    };
    let (_, _, cells) = grep_columns(l.list.width.saturating_sub(1));
    let ui = &state.grep;
    let corpus = &state.corpus;
    let rows = ui
        .found
        .iter()
        .skip(ui.list.top)
        .take(usize::from(l.list.height))
        .map(|f| {
            let article = &whole(corpus, f);
            match &f.first {
                Some(hit) => cut(article, &q, hit.field, hit.chars.clone(), usize::from(cells), mode),
                None => opening(article, usize::from(cells), mode),
            }
        })
        .collect();
    // The preview: a line per hit of the selected article, under its title line.
    let preview = match ui.found.get(ui.list.selected) {
        Some(f) => {
            let article = &whole(corpus, f);
            let w = usize::from(l.preview.width);
            let hits = q.article_hits(article);
            if hits.is_empty() {
                vec![opening(article, w, mode)]
            } else {
                hits.into_iter()
                    .take(usize::from(l.preview.height))
                    .map(|h| cut(article, &q, h.field, h.chars, w, mode))
                    .collect()
            }
        }
        None => Vec::new(),
    };
    (state.grep.rows, state.grep.preview) = (rows, preview);
}

/// A result's article with its body (read from the parse cache when kept there; if that fails,
/// its headline, and opening it says why).
fn whole<'a>(corpus: &'a Corpus, f: &Found) -> Cow<'a, Article> {
    let b = &corpus.bulletins[f.bulletin];
    b.whole_article(f.article).unwrap_or_else(|_| Cow::Borrowed(&b.articles[f.article]))
}

fn cut(
    article: &Article,
    q: &Query,
    field: Field,
    chars: std::ops::Range<usize>,
    cells: usize,
    mode: Ambiguous,
) -> Snippet {
    let text = field.text(article);
    snippet(text, &q.find(text), chars, cells, mode)
}

/// The start of an article that matched without a hit (a query of exclusions only).
fn opening(article: &Article, cells: usize, mode: Ambiguous) -> Snippet {
    let text = article.paragraphs.first().unwrap_or(&article.title);
    snippet(text, &[], 0..0, cells, mode)
}
