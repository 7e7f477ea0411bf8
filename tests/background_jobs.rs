//! Loads and saves as single background jobs, end to end (the real reader in a pseudo-terminal,
//! a private HOME): `R` pressed again and again reads the files twice, not once per press; a
//! save that fails is shown, logged, and printed after the reader closes with a non-zero exit;
//! a state file found damaged by a save is reported. (The job type itself: `src/jobs.rs`.)

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::pty::{Key, Session, skip_without_pty};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn state_file(home: &Path) -> PathBuf {
    home.join(".local/share/kanbao/state.json")
}

fn log(home: &Path) -> String {
    fs::read_to_string(home.join(".cache/kanbao/kanbao.log")).unwrap_or_default()
}

fn open_first_article(s: &mut Session) {
    s.wait_for("期刊 5").settle();
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
}

#[test]
fn r_pressed_during_a_load_reads_once_more_not_once_per_press() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let gate = home.path().join("gate");
    let gate_env = gate.to_string_lossy().into_owned();
    let mut s = Session::spawn_with_home(BIN, &[], 100, 30, &[("KANBAO_TEST_LOAD_GATE", &gate_env)], home.path());
    s.wait_for("期刊 5").wait_for("q退出").settle();
    // The first R starts a load, held at the gate; the next ones wait behind it as one.
    s.send("R").wait_for("正在读取…");
    for _ in 0..4 {
        s.send("R").settle();
    }
    s.wait_for("读完后再读一次");
    let held = log(home.path());
    assert_eq!(held.matches("load: started").count(), 1, "one load runs while held\n{held}");
    assert_eq!(held.matches("load: asked while one runs").count(), 4, "{held}");
    // Released: the running load and one more, and nothing after them.
    fs::write(&gate, "").unwrap();
    s.wait_until("both loads", Duration::from_secs(20), |_| log(home.path()).matches("load: done").count() == 2);
    s.wait_for("已读取").settle_for(Duration::from_millis(500), Duration::from_secs(5));
    let after = log(home.path());
    assert_eq!(after.matches("load: started").count(), 2, "five presses, two loads\n{after}");
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(5)), Some(0), "{}", s.dump());
    assert_eq!(log(home.path()).matches("load: started").count(), 2);
}

#[test]
fn a_failed_save_is_shown_logged_and_printed_at_exit_with_a_failing_exit_code() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    // /proc refuses new folders even to root: every save fails.
    let mut s = Session::spawn_with_home(BIN, &[], 100, 30, &[("XDG_DATA_HOME", "/proc/kanbao-test")], home.path());
    open_first_article(&mut s);
    s.wait_for("无法保存");
    assert!(s.screen()[0].contains("未保存"), "the header says so\n{}", s.dump());
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(10)), Some(2), "a lost session is a failure\n{}", s.dump());
    assert!(!s.alternate_screen(), "printed after the terminal is restored\n{}", s.dump());
    let text = s.screen_text();
    let printed: Vec<&str> = text.lines().filter(|l| l.contains("kanbao: error:")).collect();
    assert_eq!(printed.len(), 1, "one line\n{text}");
    assert!(printed[0].contains("/proc/kanbao-test/kanbao/state.json"), "names the state file: {}", printed[0]);
    assert!(printed[0].contains("cannot save state"), "and why: {}", printed[0]);
    let logged = log(home.path());
    assert!(logged.contains("save failed: cannot save state"), "{logged}");
    assert!(logged.contains("not saved at exit"), "{logged}");
}

#[test]
fn a_save_that_recovers_from_a_failure_exits_cleanly() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    // The data folder's place is taken by a file: saves fail until it is removed.
    let data = home.path().join(".local/share/kanbao");
    fs::create_dir_all(data.parent().unwrap()).unwrap();
    fs::write(&data, "not a folder").unwrap();
    let mut s = Session::spawn_with_home(BIN, &[], 100, 30, &[], home.path());
    open_first_article(&mut s);
    s.wait_for("无法保存");
    fs::remove_file(&data).unwrap();
    s.send("m").wait_for("已保存");
    assert!(!s.screen()[0].contains("未保存"), "{}", s.dump());
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(10)), Some(0), "{}", s.dump());
    assert!(!s.screen_text().contains("state.json"), "no save failure printed\n{}", s.dump());
    assert!(fs::read_to_string(state_file(home.path())).unwrap().contains("k2:2024-04:"));
}

#[test]
fn a_state_file_damaged_while_reading_is_reported_when_a_save_finds_it() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::spawn_with_home(BIN, &[], 100, 30, &[], home.path());
    s.wait_for("期刊 5").wait_for("q退出").settle();
    // Another program writes garbage over the file while the reader runs.
    fs::create_dir_all(state_file(home.path()).parent().unwrap()).unwrap();
    fs::write(state_file(home.path()), b"{\"version\": 1, \"bookmarks\": [").unwrap();
    s.send("j").send_key(Key::Enter).wait_for("2024-04-g78 · 1/6");
    s.wait_for("状态文件已损坏");
    let status = s.screen().last().cloned().unwrap_or_default();
    assert!(status.contains("kept as state.json.corrupt-"), "says where it is kept: {status}");
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(10)), Some(0), "{}", s.dump());
    let kept: Vec<_> = fs::read_dir(state_file(home.path()).parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("state.json.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(log(home.path()).contains("state: state.json"), "logged too");
    assert!(fs::read_to_string(state_file(home.path())).unwrap().contains("k2:2024-04:"), "replaced with a good one");
}

#[test]
fn r_with_nothing_new_keeps_the_corpus_and_r_after_a_change_reads_it() {
    if skip_without_pty() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let lib = home.path().join("papers");
    fs::create_dir(&lib).unwrap();
    let bulletin = |tag: &str, month: u32| {
        format!(
            "# {tag}区工会召开职工代表大会\n\n2024年{month}月5日,{tag}区工会召开职工代表大会。\n\n\
             # {tag}区举办技能比武\n\n{month}月15日,{tag}区举办职工技能比武。\n"
        )
    };
    fs::write(lib.join("a.txt"), bulletin("江北", 3)).unwrap();
    let dir = lib.to_string_lossy().into_owned();
    let mut s = Session::spawn_with_home(BIN, &["--no-bundled", &dir], 100, 30, &[], home.path());
    s.wait_for("江北区工会召开").settle();
    // Small PATHs are read before the first frame; a library after it: each `R` is one more load.
    let done = |home: &Path| log(home).matches("load: done").count();
    let reload = |s: &mut Session| {
        let before = done(home.path());
        s.send("R");
        s.wait_until("a reload", Duration::from_secs(20), |_| done(home.path()) == before + 1);
    };
    // Nothing changed: nothing is read, nothing is built; the reader says it looked.
    reload(&mut s);
    s.wait_for("已读取：1期 2篇，无变化 unchanged");
    assert!(log(home.path()).contains("load: done, the files are as they were"), "{}", log(home.path()));
    // A new file, then a changed one: each `R` reads them.
    fs::write(lib.join("b.txt"), bulletin("渝中", 4)).unwrap();
    reload(&mut s);
    s.wait_for("已读取：2期 4篇  loaded").wait_for("渝中区工会召开");
    fs::write(lib.join("a.txt"), bulletin("南岸", 3)).unwrap();
    reload(&mut s);
    s.wait_for("南岸区工会召开");
    assert!(!s.screen_text().contains("江北"), "{}", s.dump());
    let logged = log(home.path());
    assert_eq!(logged.matches("the files are as they were").count(), 1, "{logged}");
    s.send("q");
    assert_eq!(s.wait_exit(Duration::from_secs(5)), Some(0), "{}", s.dump());
}
