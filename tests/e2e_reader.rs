//! End to end: the real binary in a pseudo-terminal, the screen read back with vt100 (wide
//! cells included). Each test has a private HOME.

mod common;

use std::time::Duration;

use common::pty::{Key, Session, skip_without_pty};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn start(cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
    let mut s = Session::spawn(BIN, &[], cols, rows, env);
    // The status line is painted last.
    s.wait_for("期刊 5").wait_for("q退出");
    s
}

/// Waits for a whole frame at the current size: header, top border, status line.
fn wait_frame(s: &mut Session) {
    s.wait_until("a full frame", Duration::from_secs(5), |s| {
        let screen = s.screen();
        let (_, rows) = s.size();
        screen.len() == usize::from(rows)
            && screen[0].contains("看报")
            && screen[1].starts_with('┌')
            && screen[usize::from(rows) - 2].starts_with('└')
            && !screen[usize::from(rows) - 1].trim().is_empty()
    });
    s.settle();
}

/// Every row fits the width exactly and the pane borders stand in their columns.
fn assert_rows_fit(s: &Session) {
    let (cols, rows) = s.size();
    for r in 0..rows {
        assert!(s.row_width(r) <= usize::from(cols), "row {r} too wide\n{}", s.dump());
    }
    let screen = s.screen();
    // The right border of the right pane is in the last column on every pane row.
    for (r, line) in screen.iter().enumerate().take(usize::from(rows) - 1).skip(2) {
        let last = s.cell_text(r as u16, cols - 1);
        assert!(matches!(last.as_str(), "│" | "|" | "┘" | "+"), "row {r} border moved: {line:?}\n{}", s.dump());
    }
}

fn quit(mut s: Session) {
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(5)), Some(0), "{}", s.dump());
    assert!(!s.alternate_screen(), "alternate screen left\n{}", s.dump());
    assert!(s.cursor_visible(), "cursor shown again");
}

#[test]
fn starts_on_the_library_and_quits_cleanly() {
    if skip_without_pty() {
        return;
    }
    let s = start(80, 24, &[]);
    let text = s.screen_text();
    assert!(text.contains("2024年4月") && text.contains("2023年5月"), "{}", s.dump());
    assert!(s.alternate_screen());
    assert_rows_fit(&s);
    quit(s);
}

#[test]
fn open_an_article_and_scroll_to_its_end() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(100, 30, &[]);
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    assert!(s.screen_text().contains("市总工会召开直属机关干部大会暨党纪学习教育推进会"));
    s.send("G").wait_for("100%");
    wait_frame(&mut s);
    assert!(s.screen_text().contains("互促共进"), "the last words are on screen\n{}", s.dump());
    assert_rows_fit(&s);
    s.send("g").wait_for("市总工会召开直属机关干部大会暨党纪学习教育推进会");
    s.send_key(Key::PageDown).wait_for_gone("以更高标准、更实举措");
    s.send("]").wait_for("2024-04-g78 · 2/6");
    quit(s);
}

#[test]
fn search_lights_matches_and_n_jumps() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(100, 30, &[]);
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    s.send("/").wait_for("/");
    s.send("工会").send_key(Key::Enter).wait_for("“工会” 1/27");
    s.send("n").wait_for("“工会” 2/27");
    s.send("N").wait_for("“工会” 1/27");
    s.send("N").wait_for("“工会” 27/27");
    s.send_key(Key::Esc).wait_for_gone("“工会”");
    quit(s);
}

#[test]
fn resize_keeps_the_place_and_the_borders() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(100, 30, &[]);
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    s.send_key(Key::PageDown).send_key(Key::PageDown).settle();
    let before = s.screen()[2].clone();
    for (c, r) in [(80, 24), (200, 50), (50, 20), (100, 30)] {
        s.resize(c, r);
        wait_frame(&mut s);
        if c >= 60 {
            assert_rows_fit(&s);
        }
    }
    assert_eq!(s.screen()[2], before, "back at 100x30, the same first row\n{}", s.dump());
    quit(s);
}

#[test]
fn help_lists_the_keys() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(120, 40, &[]);
    s.send("?").wait_for("帮助 Help").wait_for("删词");
    for key in ["PgDn", "Ctrl-P", "Shift-Tab", "Ctrl-Z"] {
        assert!(s.screen_text().contains(key), "{key}\n{}", s.dump());
    }
    s.send_key(Key::Esc).wait_for_gone("帮助 Help");
    quit(s);
}

#[test]
fn open_option_starts_on_an_article() {
    if skip_without_pty() {
        return;
    }
    let mut s = Session::spawn(BIN, &["--open", "2023-11-9sq/5"], 100, 30, &[]);
    s.wait_for("2023-11-9sq · 5/5").wait_for("q退出");
    assert!(s.screen_text().contains("[图] 全国总工会文工团"), "{}", s.dump());
    quit(s);
}

#[test]
fn no_color_sends_no_colour_codes() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(80, 24, &[("NO_COLOR", "1")]);
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    s.send("/").send("工会").send_key(Key::Enter).wait_for("“工会”");
    let raw = s.raw();
    let text = String::from_utf8_lossy(&raw);
    for colour in ["[38;", "[48;", "[31m", "[33m", "[36m", "[43m"] {
        assert!(!text.contains(colour), "colour code {colour:?} with NO_COLOR");
    }
    quit(s);
}

#[test]
fn sigterm_and_a_dropped_terminal_end_it_cleanly() {
    if skip_without_pty() {
        return;
    }
    for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
        let mut s = start(80, 24, &[]);
        s.signal(sig);
        assert!(
            s.wait_exit(Duration::from_secs(2)).is_some() || s.exit_signal().is_some(),
            "signal {sig}\n{}",
            s.dump()
        );
        assert!(!s.alternate_screen() && s.cursor_visible(), "restored on signal {sig}");
    }
    let mut s = start(80, 24, &[]);
    s.send_key(Key::Ctrl('c'));
    assert_eq!(s.wait_exit(Duration::from_secs(2)), Some(0), "Ctrl-C quits");
    assert!(!s.alternate_screen());

    let mut s = start(80, 24, &[]);
    let pid = s.pid();
    s.close_pty();
    let gone = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        unsafe { libc::kill(pid as i32, 0) != 0 }
    }) || s.try_exit().is_some();
    assert!(gone, "exits within 2 s when the terminal goes away");
}

#[test]
fn the_place_and_bookmarks_are_kept_across_runs() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(100, 30, &[("TERM", "xterm-256color")]);
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    s.send_key(Key::PageDown).send_key(Key::PageDown);
    s.send("m").wait_for("已加书签");
    wait_frame(&mut s);
    let place = s.screen()[3].clone();
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(5)), Some(0));
    // Keep the HOME folder alive past this session.
    let home_dir = s.into_home().expect("the session's own HOME");
    let home = home_dir.path().to_path_buf();

    // Same HOME, started again: same article, same position, bookmark listed.
    let mut s = Session::spawn_with_home(BIN, &[], 100, 30, &[], &home);
    s.wait_for("2024-04-g78 · 1/6").wait_for("q退出");
    wait_frame(&mut s);
    assert_eq!(s.screen()[3], place, "same position\n{}", s.dump());
    s.send("'").wait_for("书签 Bookmarks");
    assert!(s.screen_text().contains("2024-04-g78/1"), "bookmark listed\n{}", s.dump());
    s.send_key(Key::Esc).wait_for_gone("书签 Bookmarks");
    quit(s);
    let state =
        std::fs::read_to_string(home.join(".local/share/kanbao/state.json")).expect("state saved under XDG_DATA_HOME");
    // Marks are kept under the article's key (its bulletin's month and text fingerprint).
    assert!(state.contains("\"k2:2024-04:"), "{state}");
}

#[test]
fn an_unwritable_data_folder_still_reads_and_says_it_cannot_save() {
    if skip_without_pty() {
        return;
    }
    // /proc refuses new folders even to root: every save fails.
    let mut s = Session::spawn(BIN, &[], 100, 30, &[("XDG_DATA_HOME", "/proc/kanbao-test")]);
    s.wait_for("期刊 5").settle();
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6").wait_for("无法保存");
    assert!(s.screen()[0].contains("未保存"), "the header keeps saying so\n{}", s.dump());
    s.send("j").wait_for_gone("无法保存：");
    assert!(s.screen()[0].contains("未保存"));
    quit(s);
}

#[test]
fn the_finder_finds_bishan_by_pinyin_and_opens_it() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(100, 30, &[]);
    s.send("f").wait_for("查找 Find");
    s.send("bishan").wait_for("3/26");
    s.send_key(Key::Enter).wait_for("2024-03-00k · 6/7");
    assert!(s.screen_text().contains("璧山区总工会发布"), "{}", s.dump());
    // Ctrl-P opens it too; Esc returns to where we were.
    s.send_key(Key::Ctrl('p')).wait_for("查找 Find");
    s.send("laomo").wait_for("劳模");
    s.send_key(Key::Esc).wait_for_gone("查找 Find");
    assert!(s.screen_text().contains("2024-03-00k · 6/7"), "back on the same article\n{}", s.dump());
    quit(s);
}

#[test]
fn terminal_scrolling_leaves_the_same_screen_as_a_full_repaint() {
    if skip_without_pty() {
        return;
    }
    let mut s = start(80, 24, &[]);
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    wait_frame(&mut s);
    // The article is about two pages at 80x24: every step below moves the text.
    let steps: Vec<(&str, Key)> = [("j", Key::Down); 6]
        .into_iter()
        .chain([("space", Key::PageDown)])
        .chain([("k", Key::Up); 3])
        .chain([("b", Key::PageUp), ("j", Key::Down), ("j", Key::Down)])
        .collect();
    for (name, key) in steps {
        let before = s.screen();
        s.send_key(key);
        s.wait_until("the screen to change", Duration::from_secs(5), |s| s.screen() != before);
        s.settle();
        let scrolled = s.screen();
        s.send_key(Key::Ctrl('l'));
        s.settle();
        assert_eq!(s.screen(), scrolled, "after {name}: the scrolled screen differs from a full repaint\n{}", s.dump());
    }
    quit(s);
}

#[test]
fn the_users_library_is_read_after_the_first_frame_and_its_article_opens() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("mine.txt");
    std::fs::write(&file, "合川区职工书画展开幕\n\n2025年1月8日，合川区总工会举办职工书画展。\n").unwrap();
    let added = std::process::Command::new(BIN)
        .arg("add")
        .arg(&file)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join(".local/share"))
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let said = String::from_utf8_lossy(&added.stdout);
    assert!(said.contains("added mine.txt: 2025-01-") && said.contains("(2025-01, 1 article)"), "{said}");
    let mut s = Session::spawn_with_home(BIN, &["--open", "2025-01/1"], 100, 30, &[], home.path());
    s.wait_for("2025-01-").wait_for(" · 1/1").wait_for("合川区职工书画展开幕");
    s.send_key(Key::Esc).wait_for("[自]");
    assert!(s.screen_text().contains("6期"), "bundled and the user's bulletin\n{}", s.dump());
    quit(s);
}
