//! Issue 14, the reader as a feed reader, through `update` (no terminal): reload in the library,
//! the start selection, the preview as the selection moves, overlays that close alike, unread
//! counts, next unread, mark read, Space reading on, vim counts, bookmark positions.

use std::path::PathBuf;

use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::unread::unread_total;
use kanbao::domain::width::{Ambiguous, str_width};
use kanbao::tui::action::Action;
use kanbao::tui::keymap::{Context, Keymap, action_for};
use kanbao::tui::list::ListState;
use kanbao::tui::state::{LibRow, Overlay, Pane, Settings, State};
use kanbao::tui::update::update;
use kanbao::tui::view;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn state(w: u16, h: u16) -> State {
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    let mut s = State::new(corpus, Settings::default(), (w, h));
    update(&mut s, Action::Resize(w, h));
    s
}

fn run(s: &mut State, actions: &[Action]) {
    for a in actions {
        update(s, a.clone());
    }
}

fn open_id(s: &State) -> Option<String> {
    s.reader.open.map(|(b, a)| s.corpus.bulletins[b].articles[a].id.clone())
}

fn selected(s: &State) -> LibRow {
    s.library.rows[s.library.list.selected]
}

fn status(s: &State) -> String {
    s.status.as_ref().map(|st| st.text.clone()).unwrap_or_default()
}

/// The screen's rows as text (a wide char once).
fn screen(s: &State) -> Vec<String> {
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, s.size.0, s.size.1));
    view::draw(&mut buf, s);
    (0..buf.area.height)
        .map(|y| {
            let (mut x, mut line) = (0, String::new());
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += (str_width(sym, Ambiguous::Narrow) as u16).max(1);
            }
            line
        })
        .collect()
}

fn bundled_plus(dir: &std::path::Path) -> kanbao::domain::corpus::Corpus {
    let seed = std::fs::read_to_string("seeds/000_be64793f5c23019c.txt").unwrap();
    let file: PathBuf = dir.join("mine.txt");
    std::fs::write(&file, format!("{seed}\n附加一段。\n")).unwrap();
    load(&[file], None, LoadOptions { bundled: true, ..Default::default() }).0
}

/// Item 2: `R` in the library stays in the library, with its folds and selection.
#[test]
fn reload_in_the_library_keeps_folds_selection_and_focus() {
    let mut s = state(120, 40);
    run(&mut s, &[Action::Down, Action::Open, Action::Back]);
    assert_eq!(s.focus, Pane::Library);
    // Unfold 2024-03 and stand on its second article.
    let b03 = s.corpus.bulletins.iter().position(|b| b.id == "2024-03-00k").unwrap();
    let row = s.library.rows.iter().position(|r| *r == LibRow::Bulletin(b03)).unwrap();
    s.library.list.selected = row;
    run(&mut s, &[Action::Open, Action::Down, Action::Down]);
    let before_row = selected(&s);
    assert_eq!(before_row, LibRow::Article(b03, 1));
    let expanded = s.library.expanded.clone();
    run(&mut s, &[Action::Reload]);
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    run(&mut s, &[Action::reloaded(corpus, vec![])]);
    assert_eq!(s.focus, Pane::Library, "still in the library");
    assert_eq!(s.library.expanded, expanded, "folds kept");
    assert_eq!(selected(&s), before_row, "selection kept");
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"), "the open article stays open behind it");
}

/// Item 3: the user's own bulletins arrive after the first frame; the selection stays at the top.
#[test]
fn the_start_selection_is_the_top_row_after_the_library_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = state(120, 40);
    assert_eq!(s.library.list.selected, 0);
    run(&mut s, &[Action::reloaded(bundled_plus(dir.path()), vec![])]);
    assert_eq!(s.corpus.bulletins.len(), 6);
    assert_eq!(s.library.list.selected, 0, "on {:?}", selected(&s));
    assert!(matches!(selected(&s), LibRow::Bulletin(b) if s.corpus.bulletins[b].id == "2024-04-g78"));
}

/// Item 4: moving in the library previews the selected article; the footer follows the
/// selection and names `f`; at 80x24 the list has the full width.
#[test]
fn the_preview_follows_the_selection() {
    let mut s = state(80, 24);
    assert_eq!(s.geometry().library.unwrap().width, 80);
    run(&mut s, &[Action::Down]);
    let first = s.library.preview.first().map(|r| r.text.clone()).unwrap_or_default();
    assert!(first.contains("市总工会召开直属机关干部大会"), "{first}");
    run(&mut s, &[Action::Down]);
    let second = s.library.preview.first().map(|r| r.text.clone()).unwrap_or_default();
    assert!(second.contains("市总工会举办庆祝五一送文化到基层活动"), "{second}");
    let rows = screen(&s);
    let below = usize::from(s.geometry().reader.unwrap().y);
    assert!(
        rows[below..].iter().any(|r| r.contains("市总工会举办庆祝五一送文化到基层活动")),
        "previewed below the list"
    );
    let footer = rows.last().unwrap();
    assert!(footer.contains("第2/6篇") && footer.contains("f查找"), "{footer}");
    // After an article was opened and left, moving still previews (the stale pane).
    run(&mut s, &[Action::Open, Action::Back, Action::Down]);
    let third = s.library.preview.first().map(|r| r.text.clone()).unwrap_or_default();
    assert!(third.contains("云阳县"), "{third}");
    assert!(screen(&s).last().unwrap().contains("第3/6篇"));
}

/// Item 6: in help g G Home End move; q closes help, the bookmarks and the district view
/// (Ctrl-C still quits).
#[test]
fn overlays_close_alike_and_help_moves_like_a_list() {
    let mut s = state(80, 24);
    run(&mut s, &[Action::Help, Action::Bottom]);
    let Overlay::Help { scroll } = s.overlay else { panic!("help open") };
    assert!(scroll > 0, "G goes to the end");
    run(&mut s, &[Action::Top]);
    assert_eq!(s.overlay, Overlay::Help { scroll: 0 });
    let keymap = Keymap::default();
    let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    for (ctx, c, want) in [
        (Context::Help, 'g', Action::Top),
        (Context::Help, 'G', Action::Bottom),
        (Context::Help, 'q', Action::Back),
        (Context::List, 'q', Action::Back),
        (Context::List, 'j', Action::Down),
    ] {
        assert_eq!(action_for(&keymap, ctx, &key(c)), Some(want), "{c} in {ctx:?}");
    }
    let home = KeyEvent::new(KeyCode::Home, KeyModifiers::NONE);
    assert_eq!(action_for(&keymap, Context::Help, &home), Some(Action::Top));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(action_for(&keymap, Context::List, &ctrl_c), Some(Action::Quit));
    // Back closes the district view and the bookmarks.
    run(&mut s, &[Action::Back, Action::Districts]);
    assert!(matches!(s.overlay, Overlay::Districts { .. }));
    run(&mut s, &[Action::Back]);
    assert_eq!(s.overlay, Overlay::None);
}

/// Item 9: unread counts, next unread across bulletins, mark read with a confirmation.
#[test]
fn next_unread_and_mark_read() {
    let mut s = state(120, 40);
    let total = unread_total(&s.corpus, &s.saved.read);
    assert_eq!(total, 26);
    run(&mut s, &[Action::NextUnread]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"));
    assert!(status(&s).contains("未读"));
    // Read 2024-04-g78/2 elsewhere (marks are kept under article keys): `u` skips it.
    let key = |s: &State, id: &str| {
        let (b, a) = s.corpus.lookup(id).unwrap();
        s.corpus.bulletins[b].articles[a].key.clone()
    };
    s.saved.mark_read(&key(&s, "2024-04-g78/2"));
    assert_eq!(unread_total(&s.corpus, &s.saved.read), 25);
    run(&mut s, &[Action::NextUnread]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/3"));
    // Mark the bulletin read: asks first; n cancels, y does it.
    run(&mut s, &[Action::MarkBulletinRead]);
    assert!(matches!(s.overlay, Overlay::Confirm { .. }), "asks");
    assert!(screen(&s).last().unwrap().contains("y/n"));
    run(&mut s, &[Action::Back]);
    assert_eq!(s.overlay, Overlay::None);
    assert!(!s.saved.read.contains(&key(&s, "2024-04-g78/6")), "cancelled");
    run(&mut s, &[Action::MarkBulletinRead, Action::Submit]);
    assert!((1..=6).all(|n| s.saved.read.contains(&key(&s, &format!("2024-04-g78/{n}")))));
    assert!(s.saved.read.iter().all(|k| k.starts_with("k2:")), "every read mark is a key: {:?}", s.saved.read);
    // Across bulletins: the next unread is in the bulletin below.
    run(&mut s, &[Action::NextUnread]);
    assert_eq!(open_id(&s).as_deref().map(|id| &id[..7]), Some("2024-03"));
    // The library shows the count per bulletin: 2024-04 has none left, 2024-03 has some.
    run(&mut s, &[Action::Back, Action::Top]);
    let rows = screen(&s);
    let row03 = rows.iter().find(|r| r.contains("2024年3月")).unwrap();
    let library_part = row03.split("││").next().unwrap().trim_end_matches('│').trim_end();
    assert!(library_part.ends_with(char::is_numeric), "{row03}");
    run(&mut s, &[Action::MarkAllRead, Action::Submit]);
    assert_eq!(unread_total(&s.corpus, &s.saved.read), 0);
    run(&mut s, &[Action::NextUnread]);
    assert!(status(&s).contains("nothing unread"));
}

/// Item 9: Space at the end of an article goes on to the next one and says so.
#[test]
fn space_at_the_end_reads_on() {
    let mut s = state(100, 30);
    run(&mut s, &[Action::Down, Action::Open]);
    run(&mut s, &[Action::ReadOn]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/1"), "a page down first");
    assert!(s.reader.first_offset() > 0);
    run(&mut s, &[Action::Bottom, Action::ReadOn]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/2"));
    assert!(status(&s).contains("next") && status(&s).contains("2024-04-g78/2"), "{}", status(&s));
}

/// Item 9: vim counts before motions.
#[test]
fn counts_repeat_motions() {
    let mut s = state(100, 30);
    run(&mut s, &[Action::Digit(3), Action::Down]);
    assert_eq!(selected(&s), LibRow::Article(4, 2), "3j");
    run(&mut s, &[Action::Open, Action::Digit(1), Action::Digit(2), Action::Down]);
    let twelve = s.reader.first_offset();
    let mut t = state(100, 30);
    run(&mut t, &[Action::Digit(3), Action::Down, Action::Open]);
    for _ in 0..12 {
        run(&mut t, &[Action::Down]);
    }
    assert_eq!(twelve, t.reader.first_offset(), "12j scrolls 12 rows");
    run(&mut s, &[Action::Digit(2), Action::NextArticle]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/5"), "2]");
    // A count is dropped by any other key.
    run(&mut s, &[Action::Digit(4), Action::Help, Action::Back, Action::NextArticle]);
    assert_eq!(open_id(&s).as_deref(), Some("2024-04-g78/6"));
}

/// Item 9: the bookmark list shows where in the article each bookmark is.
#[test]
fn bookmarks_show_their_place() {
    let mut s = state(100, 30);
    run(&mut s, &[Action::Down, Action::Open, Action::PageDown, Action::PageDown, Action::Bookmark]);
    run(&mut s, &[Action::Bookmarks]);
    assert!(matches!(s.overlay, Overlay::Bookmarks { list: ListState { .. } }));
    let rows = screen(&s);
    let row = rows.iter().find(|r| r.contains("2024-04-g78/1")).unwrap();
    assert!(row.contains('%') && row.contains('「'), "{row}");
    let pct: String = row.split('%').next().unwrap().chars().rev().take_while(char::is_ascii_digit).collect();
    assert!(pct.parse::<usize>().is_ok_and(|p| p > 0 && p < 100), "{row}");
}

/// cjk-layout additions: in wide mode kanbao's own chrome uses no ambiguous `·` as a separator
/// (xterm leaves half of a double-width `·` stale); it uses `・`, 2 cells everywhere.
#[test]
fn wide_mode_chrome_has_no_ambiguous_separators() {
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    let settings = Settings { mode: Ambiguous::Wide, ..Settings::default() };
    let mut s = State::new(corpus, settings, (100, 30));
    run(&mut s, &[Action::Resize(100, 30), Action::Down, Action::Open]);
    let rows = screen(&s);
    for row in [&rows[0], &rows[1], rows.last().unwrap()] {
        assert!(!row.contains('·') && row.contains('・'), "{row}");
    }
}

/// The library is newest first with undated bulletins at the end (a bulletin without a date is
/// not the newest), and the newest dated bulletin is the one open at start.
#[test]
fn undated_bulletins_list_last_and_the_newest_dated_one_opens() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-date.txt");
    std::fs::write(&file, "职工之家\n\n一段没有日期的正文，讲职工之家的建设。\n").unwrap();
    let (corpus, _) = load(&[file], None, LoadOptions { bundled: true, ..Default::default() });
    let undated = corpus.bulletins.iter().position(|b| b.date.is_none()).expect("an undated bulletin");
    let s = State::new(corpus, Settings::default(), (120, 40));
    let bulletin_rows: Vec<usize> =
        (s.library.rows.iter()).filter_map(|r| if let LibRow::Bulletin(b) = r { Some(*b) } else { None }).collect();
    assert_eq!(bulletin_rows.last(), Some(&undated), "undated last");
    let first = bulletin_rows[0];
    assert_eq!(s.corpus.bulletins[first].id, "2024-04-g78", "the newest first");
    assert!(s.library.expanded[first] && !s.library.expanded[undated], "the newest is open, the undated one is not");
}

/// An article read to its end (its last line on screen) counts as read wherever read is shown:
/// the unread total, `u`, the bulletin's count and its article list.
#[test]
fn an_article_read_to_its_end_counts_as_read_everywhere() {
    let mut s = state(120, 40);
    run(&mut s, &[Action::NextUnread]);
    let (b, a) = s.reader.open.unwrap();
    run(&mut s, &[Action::Bottom]);
    assert!(s.saved.read.contains(&s.corpus.bulletins[b].articles[a].key), "marked under its key");
    assert_eq!(unread_total(&s.corpus, &s.saved.read), 25);
    assert_eq!(
        kanbao::domain::unread::unread_in(&s.corpus.bulletins[b], &s.saved.read),
        s.corpus.bulletins[b].articles.len() - 1
    );
    // `u` goes on to the next one, not back to it.
    run(&mut s, &[Action::NextUnread]);
    assert_ne!(s.reader.open, Some((b, a)));
}
