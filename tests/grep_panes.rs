//! The full-text search overlay drawn into a ratatui Buffer: snapshots at 80x24 and 200x50,
//! and at every size and width mode each result's snippet is painted whole (it was cut to fit
//! its column, so the painter never has to cut it), hostile text included.

use kanbao::domain::corpus::Corpus;
use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::width::{Ambiguous, grapheme_width, str_width};
use kanbao::tui::action::Action;
use kanbao::tui::state::{Overlay, Settings, State};
use kanbao::tui::update::update;
use kanbao::tui::view;
use ratatui::buffer::{Buffer, CellDiffOption};

fn corpus(extra: Option<&std::path::Path>) -> Corpus {
    let paths: Vec<std::path::PathBuf> = extra.map(|p| p.to_path_buf()).into_iter().collect();
    load(&paths, None, LoadOptions { bundled: true, ..Default::default() }).0
}

fn typed(corpus: Corpus, w: u16, h: u16, mode: Ambiguous, query: &str) -> State {
    let settings = Settings { theme: kanbao::tui::theme::Theme { mono: true }, mode, ..Default::default() };
    let mut s = State::new(corpus, settings, (w, h));
    update(&mut s, Action::Resize(w, h));
    update(&mut s, Action::Grep);
    for c in query.chars() {
        update(&mut s, Action::Input(c));
    }
    s
}

/// The rows as the terminal shows them: a glyph's ratatui cells, then (wide mode) the cells
/// marked skip under an ambiguous glyph's right half. Each row must come out the screen's width.
fn screen(buf: &Buffer, mode: Ambiguous) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let (mut line, mut cols, mut x) = (String::new(), 0, 0);
            while x < buf.area.width {
                let cell = &buf[(x, y)];
                if matches!(cell.diff_option, CellDiffOption::Skip) {
                    x += 1;
                    continue;
                }
                let sym = cell.symbol();
                line.push_str(sym);
                cols += grapheme_width(sym, mode).max(1);
                x += (str_width(sym, Ambiguous::Narrow) as u16).max(1);
            }
            assert_eq!(cols, usize::from(buf.area.width), "{mode}: row {y} is the screen's width: {line}");
            line
        })
        .collect()
}

fn draw(s: &State) -> Buffer {
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, s.size.0, s.size.1));
    view::draw(&mut buf, s);
    buf
}

fn text(s: &State) -> String {
    screen(&draw(s), Ambiguous::Narrow).iter().map(|l| format!("{}\n", l.trim_end())).collect()
}

#[test]
fn overlay_80x24() {
    let s = typed(corpus(None), 80, 24, Ambiguous::Narrow, "职工 服务");
    assert_eq!(s.overlay, Overlay::Grep);
    insta::assert_snapshot!(text(&s));
}

#[test]
fn overlay_200x50() {
    let s = typed(corpus(None), 200, 50, Ambiguous::Narrow, "拔河");
    insta::assert_snapshot!(text(&s));
}

#[test]
fn overlay_hint_and_no_match() {
    let s = typed(corpus(None), 80, 24, Ambiguous::Narrow, "");
    assert!(text(&s).contains("输入词语"));
    let s = typed(corpus(None), 80, 24, Ambiguous::Narrow, "送清凉");
    assert!(text(&s).contains("没有匹配"));
}

/// Every snippet on screen stands whole in its row, in both width modes and at several sizes.
#[test]
fn snippets_fit_their_column_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    // Ambiguous characters (“ ” … —) everywhere, and hostile bytes.
    let evil =
        "职工“书屋”……开放——欢迎\n\n职工……“阅读”——分享\x1b]0;x\x07\u{202e}会\x1b[2J，职工之家——建成“职工”服务。\n";
    std::fs::write(dir.path().join("amb.txt"), evil).unwrap();
    for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
        for (w, h) in [(80, 24), (200, 50), (100, 30), (60, 20)] {
            let s = typed(corpus(Some(dir.path())), w, h, mode, "职工");
            let buf = draw(&s);
            let rows = screen(&buf, mode);
            let all = rows.join("\n");
            assert!(!all.chars().any(|c| c.is_control() && c != '\n'), "{all}");
            assert!(!all.contains('\u{202e}'));
            assert!(!s.grep.rows.is_empty());
            for snip in &s.grep.rows {
                assert!(
                    rows.iter().any(|r| r.contains(&snip.text)),
                    "{mode} {w}x{h}: {:?} not whole\n{all}",
                    snip.text
                );
                for l in &snip.lit {
                    let lit: String = snip.text.chars().skip(l.start).take(l.len()).collect();
                    assert!(lit.chars().all(|c| "职工 ".contains(c)), "{lit:?} in {:?}", snip.text);
                }
            }
            for p in &s.grep.preview {
                assert!(rows.iter().any(|r| r.contains(&p.text)), "{mode} {w}x{h}: preview {:?}\n{all}", p.text);
            }
        }
    }
}

#[test]
fn enter_opens_at_the_first_hit_and_esc_returns() {
    let mut s = typed(corpus(None), 100, 30, Ambiguous::Narrow, "拔河");
    update(&mut s, Action::Submit);
    assert_eq!(s.overlay, Overlay::None);
    let (_, article) = s.corpus.article(s.open_id().unwrap()).unwrap();
    assert_eq!(article.title, "重庆市第二届职工运动会燃情启幕");
    let search = s.reader.search.clone().expect("in-article search active");
    assert_eq!(search.current, 0);
    let hits = s.grep.found[0].hits;
    assert_eq!(search.matches.len(), hits, "n/N step through the hits the list counted");
    update(&mut s, Action::NextMatch);
    assert_eq!(s.reader.search.as_ref().unwrap().current, 1);
    update(&mut s, Action::Back);
    assert_eq!(s.overlay, Overlay::Grep, "Esc comes back to the results");
    assert_eq!(&*s.grep.query, "拔河");
    update(&mut s, Action::Back);
    assert_eq!(s.overlay, Overlay::None);
}

#[test]
fn slash_in_the_library_searches_everything_and_in_an_article_the_article() {
    let settings = Settings { theme: kanbao::tui::theme::Theme { mono: true }, ..Default::default() };
    let mut s = State::new(corpus(None), settings, (100, 30));
    update(&mut s, Action::Resize(100, 30));
    update(&mut s, Action::Search);
    assert_eq!(s.overlay, Overlay::Grep);
    update(&mut s, Action::Back);
    // In an article: `/` with the same rules (full-width folds, spaces between Hanzi ignored).
    update(&mut s, Action::Down);
    update(&mut s, Action::Open);
    update(&mut s, Action::Search);
    assert!(matches!(s.overlay, Overlay::Search { .. }));
    for c in "５月２９日，".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Submit);
    let found = s.reader.search.as_ref().map(|x| x.matches.len());
    let article = &s.corpus.article(s.open_id().unwrap()).unwrap().1;
    let expected = article.paragraphs.iter().filter(|p| p.contains("5月29日,") || p.contains("5月29日，")).count();
    assert_eq!(found.unwrap_or(0), expected, "{:?}", s.status);
}
