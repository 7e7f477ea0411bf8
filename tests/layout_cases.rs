//! The cases table of shared/cjk-layout.md, plus unit tests of offsets, widths and truncation.

use kanbao::domain::layout::*;
use kanbao::domain::width::*;

const NARROW: Ambiguous = Ambiguous::Narrow;
const WIDE: Ambiguous = Ambiguous::Wide;

fn opts(width: usize, mode: Ambiguous) -> LayoutOptions {
    LayoutOptions { width, mode, indent: false }
}

fn joined(text: &str, width: usize, mode: Ambiguous) -> String {
    layout_paragraph(text, opts(width, mode)).iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("|")
}

/// Every row of the table in cjk-layout.md, exactly as given (indent off; the last row carries
/// its indent in the text).
#[test]
fn cjk_layout_table() {
    let rows: &[(&str, usize, Ambiguous, &str)] = &[
        ("中文中文中文中文中", 5, NARROW, "中文|中文|中文|中文|中"),
        ("新华社记者", 3, NARROW, "新|华|社|记|者"),
        ("我们使用 ratatui 构建终端阅读器", 20, NARROW, "我们使用 ratatui 构|建终端阅读器"),
        ("我们使用ratatui构建终端阅读器", 14, NARROW, "我们使用|ratatui构建终|端阅读器"),
        ("一二三四五六七八九，十", 18, NARROW, "一二三四五六七八|九，十"),
        (
            "记者从国家统计局获悉，2024年GDP增长5.0%，经济运行总体平稳。",
            20,
            NARROW,
            "记者从国家统计局获|悉，2024年GDP增长|5.0%，经济运行总体平|稳。",
        ),
        ("一二三四五（六）七", 12, NARROW, "一二三四五|（六）七"),
        ("美国总统唐纳德·特朗普表示", 14, NARROW, "美国总统唐纳|德·特朗普表示"),
        ("第1～3章内容", 4, NARROW, "第|1～3|章内|容"),
        ("他说我们已经尽力了……真的", 19, NARROW, "他说我们已经尽力|了……真的"),
        ("他说我们已经尽力了……真的", 20, NARROW, "他说我们已经尽力了……|真的"),
        ("他说我们已经尽力了……真的", 20, WIDE, "他说我们已经尽力|了……真的"),
        ("他说：“你好。”然后走了", 12, NARROW, "他说：“你|好。”然后走|了"),
        ("中,文中,文中,文", 6, NARROW, "中,文|中,文|中,文"),
        ("温度为25℃，湿度80%。", 10, NARROW, "温度为|25℃，湿度|80%。"),
        ("　　新华社北京3月5日电 今天上午", 20, NARROW, "　　新华社北京3月5日|电 今天上午"),
    ];
    let mut failures = Vec::new();
    for &(text, width, mode, expected) in rows {
        let got = joined(text, width, mode);
        if got != expected {
            failures.push(format!("{text:?} W={width} {mode}: got {got:?}, want {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn line_widths_are_reported_in_cells() {
    let lines = layout_paragraph("他说：“你好。”然后走了", opts(12, NARROW));
    let widths: Vec<usize> = lines.iter().map(|l| l.width).collect();
    assert_eq!(widths, [9, 11, 2]);
    let lines = layout_paragraph("他说：“你好。”然后走了", opts(12, WIDE));
    for l in &lines {
        assert_eq!(l.width, str_width(&l.text, WIDE));
        assert!(l.width <= 12);
    }
}

#[test]
fn start_offsets_are_char_offsets_in_the_source() {
    // 我们使用(0-3) space(4) ratatui(5-11) space(12) 构(13) 建(14)
    let lines = layout_paragraph("我们使用 ratatui 构建终端阅读器", opts(20, NARROW));
    let starts: Vec<usize> = lines.iter().map(|l| l.start).collect();
    assert_eq!(starts, [0, 14]);

    // The break space is dropped, but counted in offsets.
    let lines = layout_paragraph("hello world again", opts(5, NARROW));
    let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.start, l.text.as_str())).collect();
    assert_eq!(got, [(0, "hello"), (6, "world"), (12, "again")]);
}

#[test]
fn indent_is_added_but_not_counted_in_offsets() {
    let with = LayoutOptions { width: 8, mode: NARROW, indent: true };
    let lines = layout_paragraph("中文中文中文", with);
    let got: Vec<(usize, &str, usize)> = lines.iter().map(|l| (l.start, l.text.as_str(), l.width)).collect();
    assert_eq!(got, [(0, "\u{3000}\u{3000}中文", 8), (2, "中文中文", 8)]);
    // Already indented in the source: nothing added.
    let lines = layout_paragraph("\u{3000}\u{3000}中文", with);
    assert_eq!(lines[0].text, "\u{3000}\u{3000}中文");
    // Too narrow for indent + first char: the indent gives way instead of overflowing.
    let lines = layout_paragraph("中文", LayoutOptions { width: 5, ..with });
    assert_eq!(lines[0].text, "中文");
    assert!(lines.iter().all(|l| l.width <= 5));
}

#[test]
fn empty_and_odd_paragraphs() {
    assert!(layout_paragraph("", opts(10, NARROW)).is_empty());
    // Controls should never get here, but must not panic or count.
    let lines = layout_paragraph("中\u{1b}[31m文\u{7}\u{7f}\r\n字", opts(4, NARROW));
    assert!(lines.iter().all(|l| l.width <= 4));
    // Tabs are spaces.
    let lines = layout_paragraph("ab\tcd", opts(3, NARROW));
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["ab", "cd"]);
    // Zero width: one grapheme per line, no panic.
    let lines = layout_paragraph("中a", opts(0, NARROW));
    assert_eq!(lines.len(), 2);
}

#[test]
fn wide_char_wider_than_the_line_goes_alone() {
    let lines = layout_paragraph("中文a", opts(1, NARROW));
    let got: Vec<(&str, usize)> = lines.iter().map(|l| (l.text.as_str(), l.width)).collect();
    assert_eq!(got, [("中", 2), ("文", 2), ("a", 1)]);
}

#[test]
fn long_words_break_at_graphemes_only_when_nothing_else_fits() {
    let text = "见https://example.com/a/b/c";
    let lines = layout_paragraph(text, opts(10, NARROW));
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    // UAX #14 allows a break after "//"; past that, grapheme breaks, "." kept off the line start.
    assert_eq!(texts, ["见https://", "example.co", "m/a/b/c"]);

    // A word moves down whole first, then is cut where it must be.
    let texts: Vec<String> =
        layout_paragraph("见abcdefghijklmnop", opts(10, NARROW)).into_iter().map(|l| l.text).collect();
    assert_eq!(texts, ["见", "abcdefghij", "klmnop"]);
    let texts: Vec<String> =
        layout_paragraph("见abcdefghij.klmnop", opts(10, NARROW)).into_iter().map(|l| l.text).collect();
    assert_eq!(texts, ["见", "abcdefghi", "j.klmnop"]);
}

#[test]
fn chinese_quotes_allow_breaks_outside_them() {
    // UAX #14 (15.0) alone glues 说“ together; a Chinese context allows the break before “.
    let texts: Vec<String> =
        layout_paragraph("他说“一二三四五”", opts(6, NARROW)).into_iter().map(|l| l.text).collect();
    assert_eq!(texts, ["他说", "“一二", "三四", "五”"]);
    // Never “ at a line end, never ” at a line start.
    let lines = layout_paragraph("他说“一二三四五”", opts(6, NARROW));
    for l in &lines {
        assert!(!l.text.ends_with('“') && !l.text.starts_with('”'), "{lines:?}");
    }
}

#[test]
fn grapheme_widths() {
    for mode in [NARROW, WIDE] {
        assert_eq!(grapheme_width("\u{3000}", mode), 2);
        assert_eq!(grapheme_width("中", mode), 2);
        assert_eq!(grapheme_width("，", mode), 2);
        assert_eq!(grapheme_width("～", mode), 2);
        assert_eq!(grapheme_width("😀", mode), 2);
        // A ZWJ family counts as its parts: the painter sends them unjoined, so every terminal
        // (joining or not) shows 6 cells.
        assert_eq!(grapheme_width("👨\u{200d}👩\u{200d}👧", mode), 6);
        assert_eq!(grapheme_width("👍🏽", mode), 2); // skin tone modifier
        assert_eq!(grapheme_width("❤\u{fe0f}", mode), 2); // emoji presentation selector
        assert_eq!(grapheme_width("🇨🇳", mode), 2); // flag
        assert_eq!(grapheme_width("e\u{301}", mode), 1); // combining accent
        assert_eq!(grapheme_width("a", mode), 1);
        assert_eq!(grapheme_width("\t", mode), 1);
        for control in ["\u{1b}", "\u{7}", "\u{7f}", "\u{85}", "\r\n", "\n"] {
            assert_eq!(grapheme_width(control, mode), 0, "{control:?}");
        }
        assert_eq!(grapheme_width("", mode), 0);
    }
    assert_eq!(grapheme_width("“", NARROW), 1);
    assert_eq!(grapheme_width("“", WIDE), 2);
    assert_eq!(str_width("他说：“你好。”", NARROW), 14);
    assert_eq!(str_width("他说：“你好。”", WIDE), 16);
    assert_eq!(str_width("👨\u{200d}👩\u{200d}👧ab", NARROW), 8);
}

#[test]
fn ambiguous_characters() {
    for g in ["“", "”", "…", "—", "·", "①", "‘", "’", "℃", "※", "○"] {
        assert!(is_ambiguous(g), "{g} should be ambiguous");
    }
    for g in ["中", "a", "，", "\u{3000}", "😀", " ", "\u{1b}", ""] {
        assert!(!is_ambiguous(g), "{g:?} should not be ambiguous");
    }
}

#[test]
fn truncation() {
    assert_eq!(truncate("中文", 4, NARROW), "中文");
    assert_eq!(truncate("中文中文", 5, NARROW), "中文…");
    assert_eq!(truncate("中文中文", 4, NARROW), "中…");
    assert_eq!(truncate("中文中文", 5, WIDE), "中…"); // "…" is 2 cells in Wide
    assert_eq!(truncate("abcdef", 4, NARROW), "abc…");
    assert_eq!(truncate("ab cdef", 4, NARROW), "ab…"); // no space before the ellipsis
    assert_eq!(truncate("abcdef", 0, NARROW), "");
    assert_eq!(truncate("abcdef", 1, WIDE), "a"); // "…" itself does not fit
    assert_eq!(truncate("“你好”世界", 6, WIDE), "“你…");
    assert_eq!(truncate("👨\u{200d}👩\u{200d}👧👨\u{200d}👩\u{200d}👧", 7, NARROW), "👨\u{200d}👩\u{200d}👧…");
    assert_eq!(truncate("👨\u{200d}👩\u{200d}👧", 3, NARROW), "…", "a 6-cell family does not fit in 3");
    for (s, max, mode) in [("他说：“你好。”然后走了", 7, WIDE), ("abc中文def", 5, NARROW)] {
        assert!(str_width(&truncate(s, max, mode), mode) <= max);
    }
}

#[test]
fn ambiguous_parses_lowercase_only() {
    assert_eq!("narrow".parse::<Ambiguous>(), Ok(NARROW));
    assert_eq!("wide".parse::<Ambiguous>(), Ok(WIDE));
    assert_eq!(Ambiguous::default(), NARROW);
    for bad in ["Wide", "auto", "", "2"] {
        let err = bad.parse::<Ambiguous>().unwrap_err().to_string();
        assert!(err.contains("narrow") && err.contains("wide"), "{err}");
    }
}
