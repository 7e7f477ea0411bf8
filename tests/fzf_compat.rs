//! `kanbao filter` against fzf: the cases of fzf's own `test/test_filter.rb` that use fzf's
//! defaults (extended search, smart case, normalisation, `--tiebreak=length`), as a fixed table
//! that needs no fzf; and, when fzf is installed, the same lines as `fzf --filter` for a grid
//! of inputs and queries (skipped with a printed reason otherwise; `apt-get install fzf`).
//!
//! Deliberate differences (README, "Finding an article"): Latin queries also match pinyin
//! (`bs` finds 璧山), so on Chinese text kanbao finds a superset; `@` leads a district term;
//! U+3000 and full-width ASCII in the query are folded to ASCII. Scores differ (SkimMatcherV2,
//! not fzf's algorithm), so beyond the set of lines only ties are compared: equal scores go
//! shorter first, then in input order, as in fzf.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn run(cmd: &mut Command, lines: &[&str]) -> Vec<String> {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut input = lines.join("\n");
    input.push('\n');
    let mut stdin = child.stdin.take().unwrap();
    // A closed pipe (nothing read) is fine: the output says what matched.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect()
}

fn kanbao(lines: &[&str], query: &str) -> Vec<String> {
    run(Command::new(BIN).args(["filter", "--", query]).env("HOME", "/nonexistent"), lines)
}

fn fzf(lines: &[&str], query: &str) -> Vec<String> {
    run(Command::new("fzf").args(["--filter", query]), lines)
}

/// fzf's version as (major, minor), `None` when fzf is missing.
fn fzf_version() -> Option<(u32, u32)> {
    let out = Command::new("fzf").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn seq(n: usize) -> Vec<String> {
    (1..=n).map(|i| i.to_string()).collect()
}

/// fzf's `test/test_filter.rb`, the cases that run with default options.
#[test]
fn fzf_filter_tests_ported() {
    let s10 = seq(10);
    let s10: Vec<&str> = s10.iter().map(String::as_str).collect();
    let s100 = seq(100);
    let s100: Vec<&str> = s100.iter().map(String::as_str).collect();
    let s123 = seq(123);
    let s123: Vec<&str> = s123.iter().map(String::as_str).collect();
    let meta = ["foo^bar", "foo$bar", "foo!bar", "foo'bar", "foo bar", "bar foo"];
    let accents = ["a", "á", "A", "Á"];
    let cyrillic = ["строКА1", "СТРОКА2", "строка3", "Строка4"];
    let tiebreak = ["--foobar--------", "-----foobar---", "----foobar--", "-------foobar-"];
    let index_begin = ["xoxxxxxoxx", "xoxxxxxox", "xxoxxxoxx", "xxxoxoxxx", "xxxxoxox", "  xxoxoxxx"];
    let end = ["xoxxxxxxxx", "xxoxxxxxxx", "xxxoxxxxxx", "xxxxoxxxx", "xxxxxoxxx", "  xxxxoxxx"];
    let nth = ["1:hell", "123:hello", "12345:he", "1234567:h"];
    let boundary = ["xxyzx", "-xxyz", "xyzx-", "_xyz_", "_xyz-", "-xyz_", "[xyz]", "-xyz-", " xyz ", "/xyz/"];
    let long = ".".repeat(256 * 1024);
    let cases: &[(&[&str], &str, &[&str])] = &[
        // test_default_extended
        (&s100, "1 00$", &["100"]),
        // test_exact: fuzzy 13 finds 4 lines, exact 2 (fzf's test counts them; the order of
        // 103 and 113 is a scoring difference, compared as a set below).
        (&s123, "13", &["13", "103", "113", "123"]),
        (&s123, "'13", &["13", "113"]),
        // test_or_operator
        (&s10, "1 | 5", &["1", "5", "10"]),
        (&s10, "1 | !1", &["1", "10", "2", "3", "4", "5", "6", "7", "8", "9"]),
        // test_smart_case_for_each_term
        (&["Foo bar"], "foo Fbar", &["Foo bar"]),
        // test_filter_exitstatus
        (&["foo"], "foo", &["foo"]),
        (&["foo"], "bar", &[]),
        // test_escaped_meta_characters
        (&meta, "foo bar", &meta),
        (&meta, "^foo bar$", &["foo^bar", "foo$bar", "foo!bar", "foo'bar", "foo bar"]),
        (&meta, "foo\\ bar", &["foo bar"]),
        (&meta, "^foo\\ bar$", &["foo bar"]),
        (&meta, "!^foo\\ bar$", &["foo^bar", "foo$bar", "foo!bar", "foo'bar", "bar foo"]),
        // test_normalized_match
        (&accents, "a", &["a", "á", "A", "Á"]),
        (&accents, "á", &["á", "Á"]),
        (&accents, "A", &["A", "Á"]),
        (&accents, "Á", &["Á"]),
        // test_unicode_case
        (&cyrillic, "С", &["СТРОКА2", "Строка4"]),
        (&cyrillic, "с", &["строКА1", "СТРОКА2", "строка3", "Строка4"]),
        // test_tiebreak (default: length)
        (&tiebreak, "foobar", &["----foobar--", "-----foobar---", "-------foobar-", "--foobar--------"]),
        // test_tiebreak_index_begin (default)
        (&index_begin, "oo", &["xxxxoxox", "  xxoxoxxx", "xxxoxoxxx", "xxoxxxoxx", "xoxxxxxox", "xoxxxxxoxx"]),
        // test_tiebreak_end (default)
        (&end, "o", &["  xxxxoxxx", "xxxxoxxxx", "xxxxxoxxx", "xoxxxxxxxx", "xxoxxxxxxx", "xxxoxxxxxx"]),
        // test_tiebreak_length_with_nth (without --nth)
        (&nth, "h", &["1:hell", "12345:he", "123:hello", "1234567:h"]),
        // test_boundary_match (default scheme)
        (&boundary, "'xyz'", &[" xyz ", "/xyz/", "[xyz]", "-xyz-", "-xyz_", "_xyz-", "_xyz_"]),
        // test_long_line
        (&[long.as_str()], ".", &[long.as_str()]),
    ];
    let mut failures = Vec::new();
    for (lines, query, want) in cases {
        let got = kanbao(lines, query);
        if got != *want {
            failures.push(format!("{query:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The sigils and their combinations, on lines made to tell them apart.
const LATIN_LINES: &[&str] = &[
    "foo",
    "Foo",
    "FOO",
    "foobar",
    "Foobar",
    "FOOBAR",
    "foo bar",
    "bar foo",
    "foo^bar",
    "foo$bar",
    "foo!bar",
    "foo'bar",
    "foo|bar",
    "|",
    "a | b",
    "^caret",
    "end$",
    "!bang",
    "'quote",
    "music.mp3",
    "music.ogg",
    "song.MP3",
    "  music  ",
    " leading space",
    "trailing space  ",
    "café",
    "CAFÉ",
    "cafe",
    "naïve",
    "über alles",
    "Straße",
    "strasse",
    "строКА1",
    "СТРОКА2",
    "строка3",
    "Строка4",
    "xxyzx",
    "_xyz_",
    "-xyz-",
    " xyz ",
    "/xyz/",
    "1",
    "10",
    "100",
    "5",
    "15",
    "50",
];

const LATIN_QUERIES: &[&str] = &[
    "foo",
    "Foo",
    "FOO",
    "fo",
    "fb",
    "Fb",
    "fB",
    "foo bar",
    "foo\\ bar",
    "^foo bar$",
    "^foo\\ bar$",
    "!^foo\\ bar$",
    "'foo",
    "'Foo",
    "'foo'",
    "!foo",
    "!Foo",
    "!'foo",
    "!'fb",
    "'!foo",
    "^!foo",
    "^foo",
    "^Foo",
    "!^foo",
    "bar$",
    "Bar$",
    "!bar$",
    "^foo$",
    "^Foo$",
    "!^foo$",
    "foo | bar",
    "foo | !bar",
    "!foo | !bar",
    "1 | 5",
    "1 | !1",
    "1 00$",
    "00$ | ^5",
    "| foo",
    "foo |",
    "foo | | bar",
    "foo | ! bar",
    "|",
    "$",
    "^",
    "!",
    "'",
    "^$",
    "'$",
    "!$",
    "$$",
    "^^foo",
    "!!foo",
    "''foo",
    "foo$$",
    "'foo$",
    "^foo$$",
    "^'foo",
    "!^'foo",
    ".mp3$",
    "!.mp3$",
    ".MP3$",
    "^music",
    "music$",
    "^music$",
    "\\ music",
    "music\\ ",
    "^\\ music",
    "^leading",
    "space$",
    "a",
    "á",
    "A",
    "Á",
    "cafe",
    "café",
    "CAFE",
    "Cafe",
    "'cafe",
    "^cafe$",
    "naive",
    "uber",
    "strase",
    "ss",
    "с",
    "С",
    "сТ",
    "'строка",
    "xyz",
    "'xyz",
    "^xyz",
    "o",
    "oo",
    "ooo",
    "zzz",
    "foo zzz | bar",
    "  foo  ",
    "foo\\",
];

/// Hanzi queries on Chinese lines: no pinyin is involved, so the lines must be fzf's.
const HAN_LINES: &[&str] = &[
    "璧山区总工会发布 62项“惠民强企”服务事项清单",
    "重庆市第二届职工运动会燃情启幕",
    "　工会活动在黔江举行",
    " 工会 ",
    "工会",
    "黔江区工会",
    "劳模工匠宣讲活动",
    "市总工会召开常委会",
    "“渝工港湾·爱心驿站”全城点亮",
];

const HAN_QUERIES: &[&str] = &[
    "工会",
    "^工会",
    "工会$",
    "^工会$",
    "'工会",
    "!工会",
    "!^工会",
    "!工会$",
    "工会 | 璧山",
    "璧山 | 黔江",
    "劳模 工匠",
    "劳工",
    "'劳工",
    "!'劳工",
    "工会 !黔江",
    "“渝工",
    "区工",
    "^璧山 62",
];

#[test]
fn same_lines_as_fzf() {
    let Some(version) = fzf_version() else {
        eprintln!("skipped: fzf is not installed (apt-get install fzf); the ported table still ran");
        return;
    };
    // `'word'` (word-boundary) came in fzf 0.56; an older fzf reads it as an exact `word'`.
    let boundary_ok = version >= (0, 56);
    if !boundary_ok {
        eprintln!(
            "fzf {}.{}: `'word'` queries not compared (fzf reads them as exact before 0.56)",
            version.0, version.1
        );
    }
    let mut failures = Vec::new();
    let mut compared = 0;
    for (lines, queries) in [(LATIN_LINES, LATIN_QUERIES), (HAN_LINES, HAN_QUERIES)] {
        for q in queries {
            let word = q.split(' ').any(|t| {
                let t = t.trim_start_matches('!');
                t.len() > 2 && t.starts_with('\'') && t.ends_with('\'')
            });
            if word && !boundary_ok {
                continue;
            }
            let mut ours = kanbao(lines, q);
            let mut theirs = fzf(lines, q);
            ours.sort();
            theirs.sort();
            compared += 1;
            if ours != theirs {
                failures.push(format!("{q:?}: kanbao {ours:?}, fzf {theirs:?}"));
            }
        }
    }
    eprintln!("{compared} queries compared with fzf {}.{}", version.0, version.1);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Latin queries on Chinese text: fzf matches letters only, kanbao pinyin too, so kanbao finds
/// every line fzf finds, and more.
#[test]
fn pinyin_only_adds_lines() {
    if fzf_version().is_none() {
        eprintln!("skipped: fzf is not installed (apt-get install fzf)");
        return;
    }
    let mut lines: Vec<&str> = HAN_LINES.to_vec();
    lines.extend(["bs 2024 report", "gh-pages", "CQ office"]);
    for q in ["bs", "gh", "cq", "^bs", "'gh", "bs | gh", "!bs", "62"] {
        let ours = kanbao(&lines, q);
        let theirs = fzf(&lines, q);
        if q.starts_with('!') {
            assert!(ours.iter().all(|l| theirs.contains(l)), "{q}: an exclusion excludes pinyin matches too");
        } else {
            assert!(theirs.iter().all(|l| ours.contains(l)), "{q}: kanbao {ours:?} misses some of fzf's {theirs:?}");
        }
    }
}

/// Full-width ASCII and U+3000 in a query are what the IME user meant in ASCII.
#[test]
fn full_width_queries_fold() {
    let lines = ["bishan", "璧山区总工会", "other"];
    assert_eq!(kanbao(&lines, "ｂｉｓｈａｎ"), ["bishan", "璧山区总工会"]);
    assert_eq!(kanbao(&lines, "！ｂｓ"), ["bishan", "other"]);
    assert_eq!(kanbao(&lines, "璧山　工会"), ["璧山区总工会"]);
    assert_eq!(kanbao(&lines, "＾璧山"), ["璧山区总工会"]);
}
