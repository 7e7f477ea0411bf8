//! `kanbao grep`: output format, exit codes, queries that look like options, JSON, colour only
//! on a terminal, hostile text.

mod common;

use std::process::Command;

use common::pty::{Session, skip_without_pty};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn grep(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(BIN).arg("grep").args(args).env("HOME", "/nonexistent").output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn one_line_per_article_id_title_snippet() {
    let (code, out, _) = grep(&["拔河"]);
    assert_eq!(code, Some(0));
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 1, "{out}");
    let id = rows[0][0];
    assert!(id.starts_with("2023-05") && id.ends_with("/2"), "{id}");
    assert_eq!(rows[0][1], "重庆市第二届职工运动会燃情启幕");
    assert_eq!(rows[0].len(), 3);
    assert!(rows[0][2].contains("拔河"), "{out}");
    assert!(!out.contains('\x1b'), "no colour into a pipe");
    let (code, hits, _) = grep(&["--hits", "拔河"]);
    assert_eq!(code, Some(0));
    assert!(hits.lines().count() > 1 && hits.lines().all(|l| l.starts_with(&format!("{id}\t")) && l.contains("拔河")));
}

#[test]
fn exit_codes_like_grep() {
    assert_eq!(grep(&["送清凉"]).0, Some(1));
    let (code, out, err) = grep(&[""]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("query is empty"), "{err}");
    let (code, _, err) = grep(&["拔河", "/nonexistent/bulletins"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("/nonexistent/bulletins"), "{err}");
    let (code, _, err) = grep(&[&"长".repeat(1001)]);
    assert_eq!(code, Some(2));
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn a_query_is_never_taken_as_an_option() {
    for args in [&["-x"][..], &["--", "-x"], &["--hits", "-x"], &["-不存在"]] {
        let (code, out, err) = grep(args);
        assert_eq!((code, out.as_str()), (Some(1), ""), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn json_lines_with_char_positions_into_the_exported_text() {
    let (code, out, _) = grep(&["--json", "职工 服务"]);
    assert_eq!(code, Some(0));
    let export: serde_json::Value =
        serde_json::from_slice(&Command::new(BIN).arg("export").env("HOME", "/nonexistent").output().unwrap().stdout)
            .unwrap();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["hits"].as_u64().unwrap() >= 2, "{v}");
        let id = v["id"].as_str().unwrap();
        let article = export["bulletins"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["articles"].as_array().unwrap())
            .find(|a| a["id"] == id)
            .unwrap();
        let field = v["field"].as_str().unwrap();
        let text = match field {
            "paragraph" | "caption" => article[format!("{field}s")][v["index"].as_u64().unwrap() as usize].as_str(),
            _ => article[field].as_str(),
        }
        .unwrap();
        let chars: Vec<char> = text.chars().collect();
        let (s, e) = (v["start"].as_u64().unwrap() as usize, v["end"].as_u64().unwrap() as usize);
        let hit: String = chars[s..e].iter().collect();
        assert!(["职工", "服务"].iter().any(|t| hit.contains(t)), "{hit} in {v}");
        let lit = &v["lit"][0];
        let snippet: Vec<char> = v["snippet"].as_str().unwrap().chars().collect();
        let shown: String =
            snippet[lit[0].as_u64().unwrap() as usize..lit[1].as_u64().unwrap() as usize].iter().collect();
        assert!(hit.starts_with(&shown), "{shown} / {hit}");
    }
    let (_, per_hit, _) = grep(&["--json", "--hits", "职工 服务"]);
    let total: u64 =
        out.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["hits"].as_u64().unwrap()).sum();
    assert_eq!(per_hit.lines().count() as u64, total, "--hits: one object per counted hit");
}

#[test]
fn hostile_bulletin_text_is_printed_safely() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "职工之家\x1b]52;c;ZXZpbA==\x07建成\n\n工会为职工建家\x1b[2J\u{202e}反转\u{9b}31m,职工\tpoint\r\n";
    std::fs::write(dir.path().join("evil\x1b[31m.txt"), evil).unwrap();
    for extra in [&[][..], &["--hits"], &["--json"]] {
        let mut args = vec!["职工", "--no-bundled", dir.path().to_str().unwrap()];
        args.extend_from_slice(extra);
        let (code, out, err) = grep(&args);
        assert_eq!(code, Some(0), "{err}");
        assert!(!out.is_empty());
        for l in out.lines() {
            assert!(!l.chars().any(|c| c.is_control() && c != '\t'), "{l:?}");
            assert!(!l.contains('\u{202e}') && !l.contains("]52;"), "{l:?}");
            if extra.is_empty() || extra == ["--hits"] {
                assert_eq!(l.matches('\t').count(), 2, "tabs only as separators: {l:?}");
            }
        }
        assert!(!err.chars().any(|c| c == '\x1b'), "{err:?}");
    }
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    if skip_without_pty() {
        return;
    }
    let lit_red = |s: &Session| {
        (0..24).any(|r| (0..120).any(|c| s.cell(r, c).is_some_and(|cell| cell.contents() == "拔" && cell.bold())))
    };
    let mut s = Session::spawn(BIN, &["grep", "拔河"], 120, 24, &[]);
    s.wait_for("职工运动会燃情启幕");
    s.wait_exit(std::time::Duration::from_secs(10));
    assert!(lit_red(&s), "{}", s.screen_text());
    let mut s = Session::spawn(BIN, &["grep", "拔河"], 120, 24, &[("NO_COLOR", "1")]);
    s.wait_for("职工运动会燃情启幕");
    s.wait_exit(std::time::Duration::from_secs(10));
    assert!(!lit_red(&s), "{}", s.screen_text());
    assert!(!s.raw_contains(b"\x1b[1;31m"));
    // On an 80-column terminal the snippet fills the row and no more.
    let mut s = Session::spawn(BIN, &["grep", "--hits", "职工"], 80, 24, &[]);
    s.wait_exit(std::time::Duration::from_secs(10));
    let text = String::from_utf8_lossy(&s.raw()).into_owned();
    let plain = text.replace("\x1b[1;31m", "").replace("\x1b[35m", "").replace("\x1b[0m", "");
    let (mut checked, mut widest) = (0, 0);
    for line in plain.lines().filter(|l| l.contains('\t')) {
        // Columns with tabs expanded to the next multiple of 8, as the terminal does.
        let mut col = 0;
        for (i, part) in line.trim_end_matches('\r').split('\t').enumerate() {
            if i > 0 {
                col = (col / 8 + 1) * 8;
            }
            col += kanbao::domain::width::str_width(part, Default::default());
            // A title too long to leave the snippet 20 columns overflows; that is all.
            if i == 1 && (col / 8 + 1) * 8 + 21 > 80 {
                col = 0;
                break;
            }
        }
        if col > 0 {
            checked += 1;
            assert!(col <= 80, "{col}: {line}");
            widest = widest.max(col);
        }
    }
    assert!(checked > 5, "{plain}");
    assert!(widest >= 75, "snippets use the row: {widest}");
}

/// The reader, end to end: `s`, type, the results; Enter opens at the first hit, n steps, Esc
/// comes back to the results; at 80x24 every row fits.
#[test]
fn reader_overlay_end_to_end() {
    if skip_without_pty() {
        return;
    }
    let mut s = Session::spawn(BIN, &["--ambiguous", "narrow"], 80, 24, &[]);
    s.wait_for("q退出");
    s.send("s").wait_for("全文搜索");
    s.send("拔河").wait_for("1篇 4处");
    assert!(s.screen_text().contains("重庆市第二届职工运动会"), "{}", s.screen_text());
    for r in 0..24 {
        assert!(s.row_width(r) <= 80, "row {r}\n{}", s.screen_text());
    }
    s.send("\r").wait_for("“拔河” 1/4");
    s.send("n").wait_for("“拔河” 2/4");
    s.send("\x1b").wait_for("1篇 4处");
    s.send("\x1b").wait_for_gone("全文搜索");
    s.send("q");
    assert_eq!(s.wait_exit(std::time::Duration::from_secs(5)), Some(0));
}

/// The seeds as the user's own files, their bodies kept in the parse cache (cold: parsed and
/// written; warm: read back): every output form is what the bundled seeds, in memory, give.
#[test]
fn bodies_from_the_parse_cache_print_as_bodies_in_memory() {
    let home = tempfile::tempdir().unwrap();
    let lib = home.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in std::fs::read_dir(seeds).unwrap().flatten() {
        std::fs::copy(e.path(), lib.join(e.file_name())).unwrap();
    }
    let cached = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("grep")
            .args(args)
            .args(["--no-bundled", lib.to_str().unwrap()])
            .env("HOME", home.path())
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    for args in [
        &["拔河"][..],
        &["工会"],
        &["职工 服务"],
        &["--hits", "职工"],
        &["--json", "工会 服务"],
        &["--json", "--hits", "劳模"],
        &["!重庆"],
    ] {
        let (code, expected, _) = grep(args);
        for run in ["cold", "warm"] {
            assert_eq!(cached(args), (code, expected.clone()), "{run}: {args:?}");
        }
    }
    assert!(home.path().join("cache/kanbao").is_dir(), "the cache was used");
}
