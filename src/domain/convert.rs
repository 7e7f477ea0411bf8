//! The converter-text front end: text from pdftotext and the like -> the parser's lines.
//!
//! Such text keeps the printed lines: one line per printed line, hard-wrapped at the page
//! width, paragraphs marked by a two-space or U+3000 indent or by a short last line, form
//! feeds between pages, running heads, page numbers, a masthead, and a closing distribution
//! block (报：… 发：… …印发). Paragraphs are rejoined, the furniture goes, a headline wrapped
//! over two lines becomes one line again, and a run of short body lines (a poem) stays body.

use std::collections::HashMap;

use super::masthead::{self, Masthead, page_number_shape};
use super::parse::{IMAGE_GAP, SourceLine, ends_sentence, is_marked_caption, is_space};
use super::width::{Ambiguous, str_width};

/// The text as the parser will read it, and how much was dropped as furniture.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    pub lines: Vec<SourceLine>,
    pub masthead: Masthead,
    pub furniture_lines: usize,
}

/// One printed line of the source.
#[derive(Debug, Clone)]
struct Printed<'a> {
    number: usize,
    text: &'a str,
    /// Leading whitespace in cells (U+3000 counts two).
    indent: usize,
    /// Cells including the indent: where the line ends on the page.
    reach: usize,
    blanks_before: usize,
    page: usize,
}

/// Hard-wrapped text: pages separated by form feeds, or most lines running straight into the
/// next one (seed-style text separates every paragraph with a blank line).
pub fn is_converter_text(pages: &[String]) -> bool {
    if pages.iter().filter(|p| !p.trim_matches(is_space).is_empty()).count() > 1 {
        return true;
    }
    let mut lines = 0;
    let mut adjacent = 0;
    let mut prev_blank = true;
    for l in pages.iter().flat_map(|p| p.split('\n')) {
        let blank = l.trim_matches(is_space).is_empty();
        if !blank {
            lines += 1;
            if !prev_blank {
                adjacent += 1;
            }
        }
        prev_blank = blank;
    }
    lines >= 6 && adjacent * 2 >= lines
}

/// Normalises converter text into the parser's lines.
pub fn normalise(pages: &[String]) -> Converted {
    let mut printed = printed_lines(pages);
    let mut furniture = 0;
    let mut head = Masthead::default();
    let first: Vec<&str> = printed.iter().take(8).map(|p| p.text).collect();
    let mut masthead_text = String::new();
    if let Some((n, m)) = masthead::detect(&first) {
        masthead_text = first[..n].join("\n");
        head = m;
        printed.drain(..n);
        furniture += n;
    }
    furniture += remove(&mut printed, |p| page_number_shape(p.text));
    furniture += drop_running_heads(&mut printed, &mut head, &masthead_text);
    furniture += drop_closing_block(&mut printed);
    let lines = paragraphs(&printed);
    Converted { lines, masthead: head, furniture_lines: furniture }
}

fn printed_lines(pages: &[String]) -> Vec<Printed<'_>> {
    let mut out = Vec::new();
    let mut number = 0;
    let mut shift = 0;
    for (page, text) in pages.iter().enumerate() {
        let mut blanks = 0;
        for raw in text.split('\n') {
            number += 1;
            let trimmed = raw.trim_matches(is_space);
            if trimmed.is_empty() {
                blanks += 1;
                continue;
            }
            let lead = &raw[..raw.len() - raw.trim_start_matches(is_space).len()];
            let indent =
                lead.chars().map(|c| if c == '\t' { 4 } else { str_width(&c.to_string(), Ambiguous::Narrow) }).sum();
            let reach = indent + str_width(trimmed, Ambiguous::Narrow);
            out.push(Printed { number, text: trimmed, indent, reach, blanks_before: blanks, page: page + shift });
            blanks = 0;
            // Without form feeds, a page number ends a page.
            if page_number_shape(trimmed) {
                shift += 1;
            }
        }
    }
    out
}

fn remove(lines: &mut Vec<Printed>, pred: impl Fn(&Printed) -> bool) -> usize {
    let before = lines.len();
    lines.retain(|p| !pred(p));
    before - lines.len()
}

/// Short lines at the top or bottom of a page that repeat on other pages (or carry the
/// issue number) are running heads.
/// The bulletin's name and its issuer, as the masthead prints them, run as heads too.
fn drop_running_heads(lines: &mut Vec<Printed>, head: &mut Masthead, masthead_text: &str) -> usize {
    let width = page_width(lines);
    let pages = lines.last().map_or(0, |l| l.page + 1);
    let edge = at_page_edges(lines);
    // Each running key at a page edge, with up to two of the pages it is on: one line
    // repeats when its key is also on another page (linear, for book-length text).
    let mut key_pages: HashMap<String, [usize; 2]> = HashMap::new();
    for (p, _) in lines.iter().zip(&edge).filter(|(_, e)| **e) {
        let seen = key_pages.entry(masthead::running_key(p.text)).or_insert([p.page; 2]);
        if seen[0] == seen[1] && seen[0] != p.page {
            seen[1] = p.page;
        }
    }
    let mut drop = vec![false; lines.len()];
    for i in 0..lines.len() {
        let t = lines[i].text;
        if t.chars().count() > 30 || t.contains('。') || !edge[i] {
            continue;
        }
        // Line i is one of its key's pages: two pages seen means another page has it too.
        let repeats = pages > 1 && key_pages.get(&masthead::running_key(t)).is_some_and(|seen| seen[0] != seen[1]);
        let issue = masthead::from_running_head(t);
        // A short line heading a page, between the two parts of a paragraph the page split.
        let interrupts = i > 0
            && lines[i - 1].page < lines[i].page
            && t.chars().count() <= 16
            && !t.contains(|c: char| "，,、；;：:（）()《》“”".contains(c))
            && lines[i - 1].reach + 4 >= width
            && !ends_sentence(lines[i - 1].text)
            && lines.get(i + 1).is_some_and(|n| n.page == lines[i].page && n.indent < 2);
        let from_masthead = t.chars().count() <= 16 && masthead_text.contains(t);
        if repeats || interrupts || from_masthead || issue.is_some() && t.chars().count() <= 24 {
            if let Some(m) = issue {
                head.merge(m);
            }
            drop[i] = true;
        }
    }
    let mut i = 0;
    let before = lines.len();
    lines.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    before - lines.len()
}

/// Whether each line is among the first two or last two of its page.
fn at_page_edges(lines: &[Printed]) -> Vec<bool> {
    let mut edge = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let end = lines[start..].iter().position(|l| l.page != lines[start].page).map_or(lines.len(), |n| start + n);
        for (pos, e) in edge[start..end].iter_mut().enumerate() {
            *e = pos < 2 || pos + 2 >= end - start;
        }
        start = end;
    }
    edge
}

/// The closing block of a 简报: "报：…", "送：…", "发：…", "抄送：…", rules, "…印发", "（共印N份）".
fn drop_closing_block(lines: &mut Vec<Printed>) -> usize {
    const CUES: [&str; 8] = ["报：", "报送：", "送：", "发：", "抄送：", "抄报：", "分送：", "主送："];
    let is_cue = |t: &str| {
        let t = t.replace(':', "：");
        CUES.iter().any(|c| t.starts_with(c))
            || (t.ends_with("印发") && t.chars().count() <= 40)
            || (t.starts_with(['（', '(']) && t.contains("共印") && t.chars().count() <= 16)
    };
    let rule = |t: &str| t.chars().count() >= 3 && t.chars().all(|c| "-—─━=＝_＿―".contains(c));
    let from = lines.len().saturating_sub(16);
    let Some(start) = (from..lines.len()).find(|&i| {
        is_cue(lines[i].text) || (rule(lines[i].text) && lines[i + 1..].iter().take(3).any(|n| is_cue(n.text)))
    }) else {
        return 0;
    };
    let n = lines.len() - start;
    lines.truncate(start);
    n
}

/// Printed lines -> paragraphs: a line runs on from a full previous line unless it is
/// indented or a blank line stands between; a centred headline wrapped over two lines joins.
fn paragraphs(lines: &[Printed]) -> Vec<SourceLine> {
    let width = page_width(lines);
    let full = |p: &Printed| p.reach + 4 >= width;
    let centred = |p: &Printed| p.indent > 8;
    let mut out: Vec<SourceLine> = Vec::new();
    // Per paragraph: a single short line, the blank lines before it in the source, its indent.
    let mut shape: Vec<(bool, usize, usize)> = Vec::new();
    for (i, p) in lines.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &lines[j]);
        let runs_on = prev.is_some_and(|q| {
            p.blanks_before == 0
                && full(q)
                && (if centred(q) { centred(p) && !ends_sentence(q.text) } else { p.indent < 2 })
        });
        match out.last_mut() {
            Some(para) if runs_on => {
                para.text.push_str(p.text);
                shape.last_mut().expect("one per paragraph").0 = false;
            }
            _ => {
                let blanks_before = if out.is_empty() { 0 } else { p.blanks_before.max(1) };
                out.push(SourceLine { line: p.number, blanks_before, text: p.text.to_string(), ..Default::default() });
                shape.push((!full(p), p.blanks_before, p.indent));
            }
        }
    }
    mark_verse(&mut out, &shape);
    mark_pictures(&mut out);
    out
}

/// A converter leaves nothing where a picture was; a caption by its form (▲…, 《作品》 作者)
/// says one stood there, so it gets the image gap the parser reads captions by.
fn mark_pictures(out: &mut [SourceLine]) {
    for i in 0..out.len() {
        if is_marked_caption(&out[i].text) {
            out[i].blanks_before = out[i].blanks_before.max(IMAGE_GAP);
            if let Some(next) = out.get_mut(i + 1) {
                next.blanks_before = next.blanks_before.max(IMAGE_GAP);
            }
        }
    }
}

/// A run of short single lines with no blank between them is verse (a poem in 渝工港湾):
/// four or more, or three set at the body's paragraph indent. Headlines come one to three,
/// centred or flush.
fn mark_verse(out: &mut [SourceLine], shape: &[(bool, usize, usize)]) {
    let mut i = 0;
    while i < out.len() {
        let mut j = i;
        while j < out.len() && shape[j].0 && (j == i || shape[j].1 == 0) {
            j += 1;
        }
        let body_indent = (i..j).all(|k| (2..=8).contains(&shape[k].2));
        if j - i >= 4 || (j - i == 3 && body_indent) {
            out[i..j].iter_mut().for_each(|l| l.verse = true);
        }
        i = j.max(i + 1);
    }
}

/// The page width in cells: most full lines reach it, so take a high percentile of reaches.
fn page_width(lines: &[Printed]) -> usize {
    let mut reach: Vec<usize> = lines.iter().map(|p| p.reach).collect();
    reach.sort_unstable();
    reach.get(reach.len().saturating_sub(1) * 8 / 10).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(text: &str) -> Vec<String> {
        text.split('\x0c').map(str::to_string).collect()
    }

    #[test]
    fn seed_style_text_is_not_converter_text() {
        for prefix in ["000", "001", "002", "003", "004"] {
            assert!(!is_converter_text(&pages(&crate::domain::seed_text(prefix))), "seed {prefix}");
        }
    }

    #[test]
    fn hard_wrapped_lines_rejoin_and_indents_start_paragraphs() {
        let text = "\u{3000}\u{3000}第一段第一行写满了整个页面宽度的文字内容\n第一段结束。\n\u{3000}\u{3000}第二段第一行写满了整个页面宽度的文字内容\n在这里结束了第二段。\n";
        let c = normalise(&pages(text));
        let texts: Vec<&str> = c.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "第一段第一行写满了整个页面宽度的文字内容第一段结束。",
                "第二段第一行写满了整个页面宽度的文字内容在这里结束了第二段。"
            ]
        );
    }

    #[test]
    fn page_numbers_heads_and_the_closing_block_go() {
        let line1 = "\u{3000}\u{3000}正文第一行，写满了整个页面宽度的文字内"; // 4 + 40 cells
        let line2 = "容第二行也写满了整个页面宽度的文字内容呀"; // 44 cells
        let text = format!(
            "渝工简报\n2024年第9期\n{line1}\n{line2}\n- 1 -\x0c渝工简报\n继续写完。\n报：市总工会领导\n发：各区县总工会\n重庆市总工会办公室　　2024年9月25日印发\n"
        );
        let c = normalise(&pages(&text));
        let texts: Vec<&str> = c.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["正文第一行，写满了整个页面宽度的文字内容第二行也写满了整个页面宽度的文字内容呀继续写完。"]);
        assert_eq!(c.masthead.issue.as_deref(), Some("第9期"));
    }
}
