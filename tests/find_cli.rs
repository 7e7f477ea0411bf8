//! `kanbao find` and `kanbao filter`: output format and exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn find(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN).arg("find").args(args).env("HOME", "/nonexistent").output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn filter(query: &str, input: &str) -> (Option<i32>, String) {
    let mut child =
        Command::new(BIN).args(["filter", query]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn find_prints_id_date_title_districts_best_first() {
    let (code, out) = find(&["bishan"]);
    assert_eq!(code, Some(0));
    let first: Vec<&str> = out.lines().next().unwrap().split('\t').collect();
    assert_eq!(first, ["2024-03-00k/6", "2024-03", "璧山区总工会发布 62项“惠民强企”服务事项清单", "璧山区"]);
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn find_limit_and_no_match() {
    let (code, out) = find(&["", "--limit", "5"]);
    assert_eq!((code, out.lines().count()), (Some(0), 5));
    assert!(out.starts_with("2024-04-g78/"), "empty query: newest first");
    let (code, out) = find(&["zzzzqqq"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
}

#[test]
fn filter_ranks_stdin_lines_like_fzf() {
    let input = "重庆市第二届职工运动会燃情启幕\n璧山区总工会发布服务清单\n无关的一行\n";
    let (code, out) = filter("bishan", input);
    assert_eq!((code, out.as_str()), (Some(0), "璧山区总工会发布服务清单\n"));
    let (code, out) = filter("zzz", input);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    let (_, out) = filter("职工", "a\x1b]52;c;ZXZpbA==\x07职工\n");
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "no control characters pass through: {out:?}");
}
