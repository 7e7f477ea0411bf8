//! Flow tests: sequences of actions through `update`, no terminal. The reader's behaviour is
//! decided here, so most of it is tested here.

use kanbao::domain::load::LoadOptions;
use kanbao::domain::load::load;
use kanbao::tui::action::{Action, Effect};
use kanbao::tui::list::ListState;
use kanbao::tui::state::{LibRow, Overlay, Pane, Settings, State};
use kanbao::tui::update::update;

fn state(w: u16, h: u16) -> State {
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    let mut s = State::new(corpus, Settings::default(), (w, h));
    update(&mut s, Action::Resize(w, h));
    s
}

fn run(s: &mut State, actions: &[Action]) -> Vec<Effect> {
    actions.iter().flat_map(|a| update(s, a.clone())).collect()
}

fn open_id(s: &State) -> Option<String> {
    s.reader.open.map(|(b, a)| s.corpus.bulletins[b].articles[a].id.clone())
}

/// The key marks of article `id` are stored under.
fn key_of(s: &State, id: &str) -> String {
    let (b, a) = s.corpus.lookup(id).unwrap();
    s.corpus.bulletins[b].articles[a].key.clone()
}

fn typed(text: &str) -> Vec<Action> {
    let mut v = vec![Action::Search];
    v.extend(text.chars().map(Action::Input));
    v.push(Action::Submit);
    v
}

#[test]
fn starts_on_the_newest_bulletin_opened() {
    let s = state(80, 24);
    assert_eq!(s.focus, Pane::Library);
    assert_eq!(s.library.rows[0], LibRow::Bulletin(4), "newest bulletin first");
    assert_eq!(s.corpus.bulletins[4].id, "2024-04-g78");
    assert!(matches!(s.library.rows[1], LibRow::Article(4, 0)), "and it is expanded");
    assert!(matches!(s.library.rows.last(), Some(LibRow::Bulletin(0))));
}

#[test]
fn open_an_article_and_scroll_to_its_end() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"));
    assert_eq!(s.focus, Pane::Reader);
    let h = s.page_height();
    assert_eq!(s.reader.view.len(), h, "a full first page");
    assert!(s.reader.shown_end < s.reader.pager.text_len(), "the article is longer than a page");
    let first_page = s.reader.view.clone();
    run(&mut s, &[Action::Bottom]);
    assert_eq!(s.reader.shown_end, s.reader.pager.text_len(), "the end is on screen");
    assert_eq!(s.reader.view.len(), h, "the last page is full");
    let last = s.reader.first_offset();
    run(&mut s, &[Action::Down, Action::PageDown]);
    assert_eq!(s.reader.first_offset(), last, "no scrolling past the end");
    run(&mut s, &[Action::Top]);
    assert_eq!(s.reader.view, first_page);
    run(&mut s, &[Action::PageDown]);
    assert_eq!(s.reader.view[0], first_page[h - 1], "a page keeps one line of context");
    run(&mut s, &[Action::PageUp]);
    assert_eq!(s.reader.view, first_page);
    run(&mut s, &[Action::Down]);
    assert_eq!(s.reader.view[0], first_page[1]);
}

#[test]
fn search_lights_every_match_and_jumps_between_them() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    run(&mut s, &typed("工会"));
    let search = s.reader.search.clone().expect("matches");
    assert!(search.matches.len() > 5);
    assert_eq!(search.current, 0);
    for i in 1..search.matches.len() {
        run(&mut s, &[Action::NextMatch]);
        let current = s.reader.search.as_ref().unwrap().current;
        assert_eq!(current, i);
        // The current match is always on screen.
        let m = s.reader.search.as_ref().unwrap().matches[current];
        let at = s.reader.blocks()[m.block].base + m.start;
        assert!(at >= s.reader.first_offset() && at < s.reader.shown_end, "match {i} on screen");
    }
    run(&mut s, &[Action::NextMatch]);
    assert_eq!(s.reader.search.as_ref().unwrap().current, 0, "wraps around");
    assert!(s.status.is_some(), "and says so");
    run(&mut s, &[Action::PrevMatch]);
    assert_eq!(s.reader.search.as_ref().unwrap().current, search.matches.len() - 1);
    run(&mut s, &[Action::Back]);
    assert!(s.reader.search.is_none(), "Esc clears the highlights first");
    assert_eq!(s.focus, Pane::Reader);
    run(&mut s, &[Action::Back]);
    assert_eq!(s.focus, Pane::Library, "then goes back");
}

#[test]
fn a_search_without_matches_says_so() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    run(&mut s, &typed("不存在的词语"));
    assert!(s.reader.search.is_none());
    assert!(s.status.as_ref().is_some_and(|m| m.error && m.text.contains("不存在的词语")));
}

#[test]
fn typing_a_search_treats_keys_as_text() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::Search, Action::Input('q'), Action::Input('x')]);
    assert_eq!(s.overlay, Overlay::Search { input: "qx".into() });
    run(&mut s, &[Action::DeleteChar]);
    assert_eq!(s.overlay, Overlay::Search { input: "q".into() });
    run(&mut s, &[Action::Back]);
    assert_eq!(s.overlay, Overlay::None);
}

#[test]
fn resize_keeps_the_reading_position() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown, Action::PageDown]);
    let top = s.reader.top;
    let first_row = s.reader.view[0].clone();
    run(&mut s, &[Action::Resize(120, 40)]);
    assert_eq!(s.reader.top, top, "the position is a text offset");
    let shown = s.reader.first_offset();
    assert!(shown <= top, "the row holding the position, or the last full page, is shown");
    run(&mut s, &[Action::Resize(50, 20), Action::Resize(80, 24)]);
    assert_eq!(s.reader.view[0], first_row, "back to the same row");
}

#[test]
fn brackets_walk_through_all_articles() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::NextArticle]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"));
    let mut seen = vec![open_id(&s).unwrap()];
    for _ in 0..30 {
        run(&mut s, &[Action::NextArticle]);
        let id = open_id(&s).unwrap();
        if seen.last() != Some(&id) {
            seen.push(id);
        }
    }
    assert_eq!(seen.len(), 26, "every article once");
    assert_eq!(seen.last().map(String::as_str), Some("2023-05-cfb/3"), "oldest last");
    assert!(s.status.as_ref().is_some_and(|m| m.text.contains("最后")));
    run(&mut s, &[Action::PrevArticle]);
    assert_eq!(open_id(&s).as_deref(), Some("2023-05-cfb/2"));
    let (b, a) = s.reader.open.unwrap();
    assert_eq!(s.library.rows[s.library.list.selected], LibRow::Article(b, a), "the library follows");
}

#[test]
fn enter_on_a_bulletin_folds_and_unfolds_it() {
    let mut s = state(80, 24);
    let before = s.library.rows.len();
    run(&mut s, &[Action::Open]);
    assert_eq!(s.library.rows.len(), before - 6, "2024-04 folded (6 articles)");
    run(&mut s, &[Action::Bottom, Action::Open]);
    assert!(s.library.rows.iter().any(|r| matches!(r, LibRow::Article(0, _))), "2023-05 unfolded");
}

#[test]
fn section_headings_are_not_selectable() {
    let mut s = state(80, 40);
    // Unfold 2024-03 (it has sections) and walk through it.
    run(&mut s, &[Action::Open, Action::Down, Action::Open]);
    for _ in 0..20 {
        run(&mut s, &[Action::Down]);
        assert!(!matches!(s.library.rows[s.library.list.selected], LibRow::Section(..)));
    }
}

#[test]
fn help_opens_and_closes() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Help]);
    assert_eq!(s.overlay, Overlay::Help { scroll: 0 });
    run(&mut s, &[Action::Down]);
    assert_eq!(s.overlay, Overlay::Help { scroll: 1 });
    run(&mut s, &[Action::Back]);
    assert_eq!(s.overlay, Overlay::None);
}

#[test]
fn narrow_terminals_show_one_pane_at_a_time() {
    let mut s = state(50, 20);
    assert!(s.geometry().single && s.geometry().reader.is_none());
    run(&mut s, &[Action::Down, Action::Open]);
    assert!(s.geometry().library.is_none() && s.geometry().reader.is_some());
    run(&mut s, &[Action::Back]);
    assert!(s.geometry().library.is_some() && s.geometry().reader.is_none());
    run(&mut s, &[Action::FocusNext]);
    assert!(s.geometry().reader.is_some(), "Tab returns to the open article");
}

#[test]
fn quit_suspend_and_redraw_are_effects() {
    let mut s = state(80, 24);
    assert_eq!(run(&mut s, &[Action::Quit]), [Effect::Quit]);
    assert_eq!(run(&mut s, &[Action::Suspend]), [Effect::Suspend]);
    assert_eq!(run(&mut s, &[Action::Redraw]), [Effect::Redraw]);
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_it() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    let g = s.geometry();
    let r = g.reader.unwrap();
    let before = s.reader.view.clone();
    run(&mut s, &[Action::Scroll { x: r.x + 5, y: r.y + 5, lines: 3 }]);
    assert_eq!(s.reader.view[0], before[3]);
    assert!(g.library.is_none(), "reading takes the whole width");
    run(&mut s, &[Action::Back]);
    let l = s.geometry().library.unwrap();
    let sel = s.library.list.selected;
    run(&mut s, &[Action::Scroll { x: l.x + 2, y: l.y + 2, lines: 1 }]);
    assert_ne!(s.library.list.selected, sel);
}

#[test]
fn quitting_saves_the_place_first() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown]);
    let effects = update(&mut s, Action::Quit);
    assert!(matches!(effects.as_slice(), [Effect::Save(_), Effect::Quit]), "{effects:?}");
    let Effect::Save(saved) = &effects[0] else { unreachable!() };
    let place = saved.last.as_ref().unwrap();
    assert_eq!(place.id, key_of(&s, "2024-04-g78/1"));
    assert_eq!(place.offset, s.reader.top);
}

#[test]
fn reopening_an_article_returns_to_where_it_was_left() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown, Action::PageDown]);
    let top = s.reader.top;
    run(&mut s, &[Action::NextArticle, Action::PrevArticle]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"));
    assert_eq!(s.reader.top, top);
}

#[test]
fn bookmarks_toggle_list_and_open() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Bookmarks]);
    assert_eq!(s.overlay, Overlay::None, "no list without bookmarks");
    assert!(s.status.is_some());
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown]);
    let top = s.reader.top;
    let effects = update(&mut s, Action::Bookmark);
    assert!(matches!(effects.as_slice(), [Effect::Save(_)]), "a bookmark is saved at once");
    assert_eq!(s.saved.bookmarks[&key_of(&s, "2024-04-g78/1")].offset, top);
    run(&mut s, &[Action::NextArticle, Action::Bookmarks]);
    assert_eq!(s.overlay, Overlay::Bookmarks { list: ListState::at(0) });
    run(&mut s, &[Action::Open]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"));
    assert_eq!(s.reader.top, top, "at the bookmarked place");
    run(&mut s, &[Action::Bookmark]);
    assert!(s.saved.bookmarks.is_empty(), "m again removes it");
}

#[test]
fn the_end_on_screen_marks_an_article_read() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    assert!(!s.saved.read.contains(&key_of(&s, "2024-04-g78/1")));
    run(&mut s, &[Action::Bottom]);
    assert!(s.saved.read.contains(&key_of(&s, "2024-04-g78/1")));
}

#[test]
fn a_failed_save_is_shown_and_remembered() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Saved(Err("cannot save state: disk full".into()))]);
    assert!(s.status.as_ref().is_some_and(|m| m.error && m.text.contains("disk full")));
    assert!(s.save_error.is_some());
    run(&mut s, &[Action::Down]);
    assert!(s.save_error.is_some(), "still not saved after the message goes");
    let saved = s.saved.clone();
    run(&mut s, &[Action::Saved(Ok(saved))]);
    assert!(s.save_error.is_none());
}

#[test]
fn copy_puts_the_article_text_on_the_clipboard() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    let effects = update(&mut s, Action::Copy);
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(text.starts_with("市总工会召开直属机关干部大会暨党纪学习教育推进会\n"));
    assert!(text.contains("2024年4月 · 2024-04-g78/1"));
    assert!(text.trim_end().ends_with("互促共进。"));
    // Where the text went is known only once the edge has copied it (see e2e_reader).
    let message = kanbao::tui::clipboard::Copied::Terminal.message(text.chars().count());
    run(&mut s, &[Action::Copied(message.clone())]);
    assert_eq!(s.status.as_ref().unwrap().text, message);
}

#[test]
fn a_reload_keeps_the_open_article() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown]);
    let top = s.reader.top;
    assert_eq!(run(&mut s, &[Action::Reload]), [Effect::Reload]);
    assert!(s.status.as_ref().unwrap().text.contains("读取"), "says it is reading");
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    run(&mut s, &[Action::reloaded(corpus, vec![])]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"));
    assert_eq!(s.reader.top, top);
    assert!(s.status.as_ref().unwrap().text.contains("26篇"));
}

fn typed_in_finder(s: &mut State, text: &str) {
    run(s, &[Action::Finder]);
    let keys: Vec<Action> = text.chars().map(Action::Input).collect();
    run(s, &keys);
}

#[test]
fn the_finder_opens_what_is_picked_and_esc_changes_nothing() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown]);
    let (open, top) = (open_id(&s), s.reader.top);
    typed_in_finder(&mut s, "bs");
    let Overlay::Finder(ui) = &s.overlay else { panic!("finder open") };
    assert!(!ui.hits.is_empty());
    run(&mut s, &[Action::Back]);
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!((open_id(&s), s.reader.top), (open, top), "Esc returns to where we were");
    typed_in_finder(&mut s, "bishan");
    run(&mut s, &[Action::Submit]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-03-00k/6"));
}

/// The start's load brings a finder built on its thread: a search typed before the library
/// arrived answers from it, and what it picks opens (its entries and the corpus agree), the
/// same as with a finder built on the spot.
#[test]
fn a_search_typed_while_the_library_loads_answers_from_the_finder_the_load_built() {
    use kanbao::domain::corpus::Corpus;
    use kanbao::domain::finder::CorpusFinder;
    use kanbao::tui::action::Loaded;
    for prepared in [true, false] {
        let mut s = State::new(Corpus::default(), Settings::default(), (80, 24));
        update(&mut s, Action::Resize(80, 24));
        typed_in_finder(&mut s, "bishan");
        let Overlay::Finder(ui) = &s.overlay else { panic!("finder open") };
        assert!(ui.hits.is_empty(), "nothing loaded yet");
        let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
        let finder = prepared.then(|| CorpusFinder::prepared(&corpus));
        run(&mut s, &[Action::Reloaded(Box::new(Loaded { corpus: Some(corpus), problems: vec![], finder }))]);
        let Overlay::Finder(ui) = &s.overlay else { panic!("still in the finder") };
        assert!(!ui.hits.is_empty(), "prepared: {prepared}");
        run(&mut s, &[Action::Submit]);
        assert_eq!(open_id(&s).as_deref(), Some("2024-03-00k/6"), "prepared: {prepared}");
    }
}

#[test]
fn results_follow_every_keystroke() {
    let mut s = state(80, 24);
    typed_in_finder(&mut s, "劳");
    let Overlay::Finder(ui) = s.overlay.clone() else { panic!() };
    let wide = ui.hits.len();
    run(&mut s, &[Action::Input('模')]);
    let Overlay::Finder(ui) = s.overlay.clone() else { panic!() };
    assert!(ui.hits.len() <= wide && !ui.hits.is_empty());
    run(&mut s, &[Action::DeleteChar, Action::DeleteChar]);
    let Overlay::Finder(ui) = s.overlay.clone() else { panic!() };
    assert_eq!(ui.hits.len(), 26, "empty query: every article");
}

#[test]
fn the_district_view_lists_a_districts_articles() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Districts]);
    assert_eq!(s.overlay, Overlay::Districts { list: ListState::at(0) });
    run(&mut s, &[Action::Open]);
    let Overlay::Finder(ui) = &s.overlay else { panic!("Enter lists the district's articles") };
    assert!(ui.query.starts_with('@') && !ui.hits.is_empty());
}

#[test]
fn a_list_page_is_what_its_popup_shows() {
    let mut s = state(80, 14);
    run(&mut s, &[Action::Districts]);
    let rows = kanbao::tui::state::popup_rows(s.districts_area());
    assert!(s.districts.len() > 2 * rows, "enough districts to page through");
    run(&mut s, &[Action::PageDown, Action::PageDown]);
    let Overlay::Districts { list } = s.overlay.clone() else { panic!("district view open") };
    assert_eq!(list.selected, 2 * rows);
    assert_eq!(list.top, list.selected + 1 - rows, "the selection on the last row shown");
    run(&mut s, &[Action::Resize(80, 10)]);
    let Overlay::Districts { list } = s.overlay.clone() else { panic!("district view open") };
    let rows = kanbao::tui::state::popup_rows(s.districts_area());
    assert!(list.selected >= list.top && list.selected < list.top + rows, "still shown after a resize");
}

fn search_input(s: &State) -> String {
    let Overlay::Search { input } = &s.overlay else { panic!("the / prompt is open: {:?}", s.overlay) };
    input.to_string()
}

#[test]
fn a_paste_is_typed_whole_into_the_prompt() {
    use kanbao::tui::action_for;
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::Search, Action::Input('@')]);
    let paste = action_for(&s, crossterm::event::Event::Paste("渝中区\r\n工会\u{7}".into())).expect("taken");
    run(&mut s, &[paste]);
    assert_eq!(search_input(&s), "@渝中区工会");
    run(&mut s, &[Action::Back, Action::Finder]);
    let paste = action_for(&s, crossterm::event::Event::Paste("工会\n".into())).expect("taken");
    run(&mut s, &[paste]);
    let Overlay::Finder(ui) = &s.overlay else { panic!("finder open") };
    assert_eq!(&*ui.query, "工会");
    run(&mut s, &[Action::Back]);
    assert_eq!(action_for(&s, crossterm::event::Event::Paste("q".into())), None, "no paste runs as keys");
}

#[test]
fn ctrl_u_empties_the_prompt_and_keeps_it_open() {
    use kanbao::tui::action::Edit;
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open, Action::Search, Action::Input('a'), Action::Input('b')]);
    run(&mut s, &[Action::Edit(Edit::Left), Action::Edit(Edit::KillToStart)]);
    assert_eq!(search_input(&s), "b");
    run(&mut s, &[Action::Edit(Edit::End), Action::Edit(Edit::KillToStart)]);
    assert_eq!(search_input(&s), "", "still open");
}

#[test]
fn up_brings_back_earlier_searches() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Down, Action::Open]);
    run(&mut s, &typed("工会"));
    run(&mut s, &typed("职工"));
    run(&mut s, &[Action::Search, Action::Input('x'), Action::HistoryPrev]);
    assert_eq!(search_input(&s), "职工");
    run(&mut s, &[Action::HistoryPrev]);
    assert_eq!(search_input(&s), "工会");
    run(&mut s, &[Action::HistoryNext, Action::HistoryNext]);
    assert_eq!(search_input(&s), "x", "back to what was being typed");
}

#[test]
fn the_finder_says_when_a_long_query_is_cut() {
    let mut s = state(80, 24);
    let query: String = (0..40).map(|i| format!("t{i} ")).collect();
    typed_in_finder(&mut s, &query);
    let status = s.status.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    assert!(status.contains("only the first 32 of 40 terms"), "{status}");
    assert!(matches!(s.overlay, Overlay::Finder(_)), "still in the finder");
    let mut short = state(80, 24);
    typed_in_finder(&mut short, "bs");
    assert!(short.status.is_none(), "a short query says nothing");
}
