//! `kanbao show` on every seed article at widths 20, 33 and 80, both ambiguous modes: the
//! layout rules of cjk-layout.md checked on the real binary's output, measured with
//! unicode-width directly rather than with the code under test.

use std::process::Command;

use unicode_width::UnicodeWidthStr;

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

const NO_START: &[char] = &[
    '、', '，', '。', '：', '；', '！', '？', '）', '》', '〉', '】', '」', '』', '〕', '”', '’', '·', '～', '－', ',',
    '.', ';', ':', '!', '?', ')',
];
const NO_END: &[char] = &['“', '‘', '（', '《', '〈', '【', '「', '『', '〔', '(', '['];

fn kanbao(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).env("HOME", "/nonexistent").output().expect("run kanbao");
    assert!(out.status.success(), "kanbao {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Every article id with its paragraphs, from `kanbao export`.
fn articles() -> Vec<(String, Vec<String>)> {
    let json: serde_json::Value = serde_json::from_str(&kanbao(&["export"])).unwrap();
    let strings =
        |v: &serde_json::Value| v.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    json["bulletins"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["articles"].as_array().unwrap().iter())
        .map(|a| (a["id"].as_str().unwrap().to_string(), strings(&a["paragraphs"])))
        .collect()
}

#[test]
fn every_seed_article_obeys_the_layout_rules() {
    let articles = articles();
    assert_eq!(articles.len(), 26);
    for (id, paras) in &articles {
        for width in [20usize, 33, 80] {
            for mode in ["narrow", "wide"] {
                let text = kanbao(&["show", id, "--width", &width.to_string(), "--ambiguous", mode]);
                let lines: Vec<&str> = text.lines().collect();
                let ctx = |i: usize| format!("{id} at {width} {mode}, line {}: {:?}", i + 1, lines[i]);
                for (i, line) in lines.iter().enumerate() {
                    let w = if mode == "wide" { line.width_cjk() } else { line.width() };
                    assert!(w <= width, "too wide ({w}): {}", ctx(i));
                    assert!(!line.contains(|c: char| c.is_control()), "control char: {}", ctx(i));
                    if i > 0 && !lines[i - 1].is_empty() && !line.is_empty() {
                        let first = line.chars().next().unwrap();
                        let prev_last = lines[i - 1].chars().last().unwrap();
                        assert!(!NO_START.contains(&first), "prohibited line start: {}", ctx(i));
                        assert!(!NO_END.contains(&prev_last), "prohibited line end: {}", ctx(i - 1));
                        let split = |c: char| prev_last == c && first == c;
                        assert!(!split('…') && !split('—'), "…… or —— split: {}", ctx(i));
                    }
                }
                // Nothing lost or added: the body rows join back to the paragraphs.
                let joined: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
                for p in paras {
                    let p: String = p.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
                    assert!(joined.contains(&p), "{id} at {width} {mode}: paragraph not found intact: {p}");
                }
            }
        }
    }
}

#[test]
fn show_without_width_uses_80_on_a_pipe() {
    let text = kanbao(&["show", "2023-05/1"]);
    assert!(text.lines().all(|l| l.width() <= 80));
    assert!(text.lines().any(|l| l.width() > 70), "an 80-column layout fills its lines");
}

#[test]
fn unknown_id_is_a_usage_error() {
    let out = Command::new(BIN).args(["show", "1999-01/1"]).env("HOME", "/nonexistent").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1999-01/1") && err.lines().count() == 1, "{err}");
}
