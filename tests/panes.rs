//! Each pane and the help overlay drawn into a ratatui Buffer (as the screen does), snapshotted with insta
//! (review changes with `cargo insta review`, or INSTA_UPDATE=always and `git diff`).

use kanbao::domain::corpus::Corpus;
use kanbao::domain::load::LoadOptions;
use kanbao::domain::load::load;
use kanbao::domain::parse::SectionVocab;
use kanbao::domain::width::{Ambiguous, str_width};
use kanbao::tui::action::Action;
use kanbao::tui::state::{Settings, State};
use kanbao::tui::update::update;
use kanbao::tui::view;
use ratatui::buffer::Buffer;

fn bundled() -> Corpus {
    load(&[], None, LoadOptions { bundled: true, ..Default::default() }).0
}

fn state(corpus: Corpus, w: u16, h: u16, actions: &[Action]) -> State {
    let settings = Settings { theme: kanbao::tui::theme::Theme { mono: true }, ..Default::default() };
    let mut s = State::new(corpus, settings, (w, h));
    update(&mut s, Action::Resize(w, h));
    for a in actions {
        update(&mut s, a.clone());
    }
    s
}

/// The screen as text, one line per row; a wide char is written once.
fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        let mut line = String::new();
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += (str_width(sym, Ambiguous::Narrow) as u16).max(1);
        }
        assert_eq!(str_width(&line, Ambiguous::Narrow), usize::from(buf.area.width), "row {y} is exactly the width");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn draw(s: &State) -> String {
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, s.size.0, s.size.1));
    view::draw(&mut buf, s);
    screen(&buf)
}

const OPEN_FIRST: &[Action] = &[Action::Down, Action::Open];

#[test]
fn library_80x24() {
    insta::assert_snapshot!(draw(&state(bundled(), 80, 24, &[])));
}

#[test]
fn library_120x40_with_sections() {
    // Unfold 2024-03, which has section labels.
    insta::assert_snapshot!(draw(&state(bundled(), 120, 40, &[Action::Open, Action::Down, Action::Open])));
}

#[test]
fn reader_80x24() {
    insta::assert_snapshot!(draw(&state(bundled(), 80, 24, OPEN_FIRST)));
}

#[test]
fn reader_120x40_scrolled() {
    let mut actions = OPEN_FIRST.to_vec();
    actions.push(Action::PageDown);
    insta::assert_snapshot!(draw(&state(bundled(), 120, 40, &actions)));
}

#[test]
fn reader_with_pictures_and_search() {
    let mut actions = vec![Action::NextArticle; 4]; // 2024-04/4, the photo exhibition
    actions.extend([Action::Search, Action::Input('劳'), Action::Input('动'), Action::Submit]);
    let s = state(bundled(), 80, 24, &actions);
    assert!(s.reader.search.is_some());
    insta::assert_snapshot!(draw(&s));
}

#[test]
fn help_80x24() {
    insta::assert_snapshot!(draw(&state(bundled(), 80, 24, &[Action::Help])));
}

#[test]
fn help_120x40() {
    insta::assert_snapshot!(draw(&state(bundled(), 120, 40, &[Action::Help])));
}

#[test]
fn narrow_50x20_one_pane() {
    insta::assert_snapshot!(draw(&state(bundled(), 50, 20, OPEN_FIRST)));
}

#[test]
fn too_small() {
    insta::assert_snapshot!(draw(&state(bundled(), 16, 5, &[])));
}

#[test]
fn a_title_wider_than_its_pane() {
    let text = "重庆市总工会关于深入学习贯彻习近平新时代中国特色社会主义思想和党的二十大精神全面推进新时代工会工作高质量发展的实施意见正式印发\n\n5月8日,重庆市总工会印发实施意见,部署全市工会工作。";
    let (corpus, problems) = kanbao::domain::load::load(&[], None, LoadOptions::default());
    assert!(problems.is_empty() && corpus.bulletins.is_empty());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("long.txt"), text).unwrap();
    std::fs::write(dir.path().join("manifest.toml"), "[dates]\n\"long.txt\" = \"2024-05\"\n").unwrap();
    let opts = LoadOptions { vocab: Some(SectionVocab::bundled()), ..Default::default() };
    let (corpus, problems) = load(&[dir.path().to_path_buf()], None, opts);
    assert!(problems.is_empty(), "{problems:?}");
    insta::assert_snapshot!(draw(&state(corpus, 80, 24, &[Action::Down, Action::Open])));
}

/// Issue 14 item 4: at 80x24 the list has the full width and the selected article is previewed
/// below it; the footer names the selection and the next keys.
#[test]
fn library_80x24_previews_the_selected_article() {
    insta::assert_snapshot!(draw(&state(bundled(), 80, 24, &[Action::Down, Action::Down])));
}

/// The finder at 80x24 after typing `bishan`: rows cut with "…", the preview one column in
/// from the frame; the articles that only list 璧山区 have it lit (checked on the buffer's
/// styles, which the text snapshot does not show).
#[test]
fn finder_80x24_bishan() {
    let mut actions = vec![Action::Finder];
    actions.extend("bishan".chars().map(Action::Input));
    let s = state(bundled(), 80, 24, &actions);
    let text = draw(&s);
    insta::assert_snapshot!(text);
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows.iter().any(|r| r.contains('…')), "a row too long for the list ends in …");
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 80, 24));
    view::draw(&mut buf, &s);
    // Each row's district list: the style of its `[` against the style of 璧 after it.
    let lit_rows = (4..12)
        .filter(|&y| {
            let xs: Vec<u16> = (0..80).collect();
            let Some(&open) = xs.iter().find(|&&x| buf[(x, y)].symbol() == "[") else { return false };
            let bi = xs.iter().find(|&&x| x > open && buf[(x, y)].symbol() == "璧");
            let other = xs.iter().find(|&&x| x > open && ["永", "万"].contains(&buf[(x, y)].symbol()));
            match (bi, other) {
                (Some(&b), Some(&o)) => buf[(b, y)].style() != buf[(o, y)].style(),
                _ => false,
            }
        })
        .count();
    assert_eq!(lit_rows, 2, "the two articles that only list 璧山区 have it lit:\n{text}");
}
