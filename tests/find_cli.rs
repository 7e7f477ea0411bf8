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

fn filter_args(args: &[&str], input: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(BIN)
        .arg("filter")
        .args(args)
        .env("HOME", "/nonexistent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_query_may_start_with_a_dash() {
    let input = "a-x\n-dash\nb\n";
    assert_eq!(filter_args(&["-x"], input).1, "a-x\n");
    assert_eq!(filter_args(&["--", "-x"], input).1, "a-x\n");
    assert_eq!(filter_args(&["-dash"], input).1, "-dash\n");
    let (code, out) = find(&["-zzz"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
}

#[test]
fn find_says_when_the_limit_cuts() {
    let out = Command::new(BIN).args(["find", "", "--limit", "3"]).env("HOME", "/nonexistent").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "(3 of 26 shown; --limit N for more)\n");
    let out = Command::new(BIN).args(["find", "bishan"]).env("HOME", "/nonexistent").output().unwrap();
    assert!(out.stderr.is_empty(), "nothing cut, nothing said");
}

/// Issue 11 item 12: long queries are bounded by the number of distinct terms, whatever was
/// pasted: repeats are dropped, and past 32 terms the rest are left out with a warning.
#[test]
fn long_queries_are_bounded_by_their_distinct_terms() {
    let (code, repeated) = find(&["b s ".repeat(2000).as_str()]);
    assert_eq!((code, repeated.clone()), find(&["b s"]));
    assert_eq!(find(&["x ".repeat(5000).as_str()]), find(&["x"]));
    let lines: String = (0..2000).map(|i| format!("line {i} t{i}\n")).collect();
    let many: String = (0..4000).map(|i| format!("'t{i} | ")).collect::<String>() + "line";
    let (code, out, err) = filter_args(&[&many], &lines);
    assert_eq!(code, Some(0));
    assert_eq!(err, "kanbao: warning: the query has 4001 different terms; only the first 32 are used\n");
    assert!(!out.is_empty());
}
