//! The converter-text front end: text from pdftotext and the like -> the parser's lines.
//!
//! Such text keeps the printed lines: one line per printed line, hard-wrapped at the page
//! width, paragraphs marked by a two-space or U+3000 indent or by a short last line, form
//! feeds between pages, running heads, page numbers, a masthead, and a closing distribution
//! block (报：… 发：… …印发). Paragraphs are rejoined, the furniture goes, a headline wrapped
//! over two lines becomes one line again, and a run of short body lines (a poem) stays body.
//! What real tools add is undone too: spaces between Han text and digits, double spacing, the
//! page margin, first-line indents they drop, captions printed as bare short lines; text with
//! one paragraph a line (an office suite's plain-text export) is taken line by line.

use std::collections::HashMap;

use super::han::is_han;
use super::masthead::{self, Masthead, page_number_shape};
use super::parse::{IMAGE_GAP, SourceLine, ends_sentence, has_label_shape, is_marked_caption, is_space};
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
    text: String,
    /// The line as printed, spaces kept: mastheads and running heads are read from it.
    raw: &'a str,
    /// Leading whitespace in cells (U+3000 counts two), beyond the page's usual margin.
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
    // Read as printed and with Han/digit spacing closed up ("工会工作动态 2023 年第 7 期").
    let first: Vec<&str> = printed.iter().take(8).map(|p| p.text.as_str()).collect();
    let first_raw: Vec<&str> = printed.iter().take(8).map(|p| p.raw).collect();
    let mut masthead_text = String::new();
    if let Some((n, m)) = masthead::detect(&first).or_else(|| masthead::detect(&first_raw)) {
        masthead_text = first[..n].join("\n");
        head = m;
        printed.drain(..n);
        furniture += n;
    }
    furniture += remove(&mut printed, |p| page_number_shape(&p.text));
    furniture += drop_running_heads(&mut printed, &mut head, &masthead_text);
    furniture += drop_closing_block(&mut printed);
    let lines = paragraphs(&printed);
    Converted { lines, masthead: head, furniture_lines: furniture }
}

fn printed_lines(pages: &[String]) -> Vec<Printed<'_>> {
    let unspace = spaced_apart(pages);
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
            let text = if unspace { close_up(trimmed) } else { trimmed.to_string() };
            let reach = indent + printed_width(trimmed);
            out.push(Printed { number, text, raw: trimmed, indent, reach, blanks_before: blanks, page: page + shift });
            blanks = 0;
            // Without form feeds, a page number ends a page.
            if page_number_shape(trimmed) {
                shift += 1;
            }
        }
    }
    single_spacing(&mut out);
    without_margin(&mut out);
    out
}

/// Some converters print Han text and digits or Latin apart ("2023 年第 7 期", "成立 102 周年"),
/// where the page only set them apart. When they do so nearly throughout, those spaces are
/// typography, not text.
fn spaced_apart(pages: &[String]) -> bool {
    let (mut spaced, mut tight) = (0usize, 0usize);
    let meets = |a: char, b: char| (is_han(a) && b.is_ascii_alphanumeric()) || (a.is_ascii_alphanumeric() && is_han(b));
    for page in pages {
        let chars: Vec<char> = page.chars().collect();
        for w in chars.windows(3) {
            if w[1] == ' ' && meets(w[0], w[2]) {
                spaced += 1;
            }
        }
        tight += chars.windows(2).filter(|w| meets(w[0], w[1])).count();
    }
    spaced >= 4 && spaced * 2 > tight
}

/// Cells a line takes on the page: ASCII punctuation in Chinese text is set about as wide as
/// a Han character (a converter prints the glyph, not its width).
fn printed_width(text: &str) -> usize {
    str_width(text, Ambiguous::Narrow) + text.chars().filter(|c| ",;:!?()".contains(*c)).count()
}

/// Ends on a clause mark: the sentence goes on.
fn ends_clause(t: &str) -> bool {
    t.ends_with(|c: char| "，,、；;：:".contains(c))
}

/// Drops a single space between Han text and digits or Latin.
fn close_up(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = |a: Option<&char>, b: Option<&char>| match (a, b) {
            (Some(&a), Some(&b)) => {
                (is_han(a) && b.is_ascii_alphanumeric()) || (a.is_ascii_alphanumeric() && is_han(b))
            }
            _ => false,
        };
        if c == ' ' && i > 0 && between(chars.get(i - 1), chars.get(i + 1)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Double-spaced output (pdftotext -layout, pdfminer print a blank line after most lines):
/// the one blank line is line spacing, not a paragraph break.
fn single_spacing(lines: &mut [Printed]) {
    let gaps: Vec<usize> = lines.windows(2).filter(|w| w[0].page == w[1].page).map(|w| w[1].blanks_before).collect();
    if gaps.len() >= 6 && gaps.iter().filter(|&&g| g >= 1).count() * 10 >= gaps.len() * 7 {
        lines.iter_mut().for_each(|l| l.blanks_before = l.blanks_before.saturating_sub(1));
    }
}

/// A layout-keeping converter prints the page's left margin before every line: indents count
/// from the margin most lines start at.
fn without_margin(lines: &mut [Printed]) {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for l in lines.iter() {
        *counts.entry(l.indent).or_default() += 1;
    }
    let margin = counts.into_iter().max_by_key(|&(indent, n)| (n, std::cmp::Reverse(indent))).map_or(0, |(m, _)| m);
    for l in lines.iter_mut() {
        l.indent = l.indent.saturating_sub(margin);
        l.reach = l.reach.saturating_sub(margin);
    }
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
        let seen = key_pages.entry(masthead::running_key(&p.text)).or_insert([p.page; 2]);
        if seen[0] == seen[1] && seen[0] != p.page {
            seen[1] = p.page;
        }
    }
    let mut drop = vec![false; lines.len()];
    for i in 0..lines.len() {
        let t = lines[i].text.as_str();
        if t.chars().count() > 30 || t.contains('。') || !edge[i] {
            continue;
        }
        // Line i is one of its key's pages: two pages seen means another page has it too.
        let repeats = pages > 1 && key_pages.get(&masthead::running_key(t)).is_some_and(|seen| seen[0] != seen[1]);
        let issue = running_issue(t, lines[i].raw);
        // A short line heading a page, between the two parts of a paragraph the page split.
        let interrupts = i > 0
            && lines[i - 1].page < lines[i].page
            && t.chars().count() <= 16
            && !t.contains(|c: char| "，,、；;：:（）()《》“”".contains(c))
            && lines[i - 1].reach + 4 >= width
            && !ends_sentence(&lines[i - 1].text)
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

/// The issue a running head carries, read as printed or closed up, with the bulletin's name
/// run straight into the year ("工会工作动态 2023 年第 7 期" closes up to "…动态2023年第7期").
fn running_issue(text: &str, raw: &str) -> Option<Masthead> {
    let year_at = text.char_indices().find(|&(i, _)| {
        let rest = &text[i..];
        rest.len() > 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) && rest[4..].starts_with('年')
    });
    masthead::from_running_head(text)
        .or_else(|| masthead::from_running_head(raw))
        .or_else(|| year_at.and_then(|(i, _)| masthead::from_running_head(&text[i..])))
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
        is_cue(&lines[i].text) || (rule(&lines[i].text) && lines[i + 1..].iter().take(3).any(|n| is_cue(&n.text)))
    }) else {
        return 0;
    };
    let n = lines.len() - start;
    lines.truncate(start);
    n
}

/// Printed lines -> paragraphs. A line runs on from the line before when no blank line stands
/// between (a page break aside), it is not indented where the text marks paragraphs by indent,
/// and the line before reached the page's right edge: a shorter line ends its paragraph. A
/// headline wrapped over two lines (a long line, then a short tail, neither a sentence) joins.
fn paragraphs(lines: &[Printed]) -> Vec<SourceLine> {
    let width = page_width(lines);
    // Text that marks paragraphs by indent says so on many lines; then a full line ending a
    // sentence still runs on into an unindented line.
    let by_indent = lines.iter().filter(|l| (2..=8).contains(&l.indent)).count() >= 3;
    let dropped = dropped_indent(lines, width);
    let wrapped = hard_wrapped(lines);
    let mut out: Vec<SourceLine> = Vec::new();
    let mut shape: Vec<Shape> = Vec::new();
    let mut q_first = false;
    for (i, p) in lines.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &lines[j]);
        // A paragraph's first line reaches the edge only with its (dropped) indent added.
        let edge = if q_first { width.saturating_sub(dropped) } else { width };
        let joins = wrapped && prev.is_some_and(|q| runs_on(q, p, lines.get(i + 1), width, edge, by_indent));
        q_first = !joins;
        match out.last_mut() {
            Some(para) if joins => {
                para.text.push_str(&p.text);
                shape.last_mut().expect("one per paragraph").short = false;
            }
            _ => {
                let blanks_before = if out.is_empty() { 0 } else { p.blanks_before.max(1) };
                out.push(SourceLine { line: p.number, blanks_before, text: p.text.clone(), ..Default::default() });
                let new_page = i > 0 && lines[i - 1].page < p.page;
                shape.push(Shape { short: !full(p, width), blanks: p.blanks_before, indent: p.indent, new_page });
            }
        }
    }
    // A short line of its own with a comma ("向阳草木青,明媚春光暖") is a headline: the parser
    // would take the comma for a sentence's and run it into the next paragraph.
    for (line, s) in out.iter_mut().zip(&shape) {
        line.heading = s.short && headline_like(&line.text) && line.text.contains([',', '，']);
    }
    // One paragraph a line: every line stands alone already, and short ones are not verse.
    if wrapped {
        mark_verse(&mut out, &shape);
    }
    mark_pictures(&mut out);
    mark_caption_blocks(&mut out, &shape);
    out
}

/// How a paragraph stood in the source.
struct Shape {
    /// A single line short of the page width.
    short: bool,
    /// Blank lines before it in the source.
    blanks: usize,
    indent: usize,
    /// First on its page.
    new_page: bool,
}

/// Photo captions a converter prints as plain short lines. Between two stretches of body text,
/// short lines come in blocks split by blank lines and page breaks: the block right before the
/// body is the next article's headline, section labels stand right above it, and the lines of
/// the other blocks stood under pictures: they get the image gap the parser reads captions by.
fn mark_caption_blocks(out: &mut [SourceLine], shape: &[Shape]) {
    let short = |l: &SourceLine| {
        let t = l.text.as_str();
        !l.verse
            && !is_marked_caption(t)
            && t.chars().count() <= 60
            && !t.contains('。')
            && !ends_sentence(t)
            && !ends_clause(t)
    };
    let mut i = 0;
    while i < out.len() {
        if !short(&out[i]) {
            i += 1;
            continue;
        }
        let end = (i..out.len()).find(|&k| !short(&out[k])).unwrap_or(out.len());
        if i > 0 {
            // Short lines closing the text head no article: all stood under pictures.
            let headline = if end == out.len() {
                end
            } else {
                (i + 1..end).rev().find(|&k| shape[k].blanks > 0 || shape[k].new_page).unwrap_or(i)
            };
            // Section labels stand right above the headline; above the first line that is no
            // label, every line is a caption, even one as short as a label.
            let labels = (i..headline).rev().take_while(|&k| has_label_shape(&out[k].text)).count();
            for line in &mut out[i..headline - labels] {
                line.blanks_before = line.blanks_before.max(IMAGE_GAP);
            }
        }
        i = end;
    }
}

/// Reaches the right edge: converters measure a printed line only roughly (half-width commas and
/// digits, spaces around them), so within a seventh of the width.
fn full(p: &Printed, width: usize) -> bool {
    p.reach * 7 >= width * 6
}

fn centred(p: &Printed) -> bool {
    p.indent > 8
}

/// Whether `p` continues the paragraph or headline that `q` is part of; `r` is the line after `p`.
fn runs_on(q: &Printed, p: &Printed, r: Option<&Printed>, width: usize, edge: usize, by_indent: bool) -> bool {
    if p.blanks_before > 0 && q.page == p.page {
        return false;
    }
    if is_marked_caption(&p.text) || is_marked_caption(&q.text) {
        return false;
    }
    if wrapped_headline(q, p, width) {
        return true;
    }
    if centred(q) {
        return full(q, width) && centred(p) && !ends_sentence(&q.text);
    }
    if p.indent >= 2 || !full(q, width) {
        return false;
    }
    if by_indent || !ends_sentence(&q.text) {
        return true;
    }
    // A full line ending a sentence, without indents to tell: a converter that drops the
    // first-line indent still prints the first line shorter than the full one after it.
    let first_line =
        r.is_some_and(|r| r.blanks_before == 0 && full(r, width) && full(p, width) && p.reach + 3 <= r.reach);
    !first_line && q.reach >= edge
}

/// Hard-wrapped at a page width, or one paragraph a line (an office suite's plain-text export):
/// a printed line holds at most about 50 Han characters, and such text has many lines far longer.
fn hard_wrapped(lines: &[Printed]) -> bool {
    let long = lines.iter().filter(|p| p.reach - p.indent > 110).count();
    long * 5 < lines.len()
}

/// How much shorter a paragraph's first line prints when the converter dropped its indent: the
/// median shortfall of lines that surely start a paragraph (after a short line ending a
/// sentence) against the full line after them.
fn dropped_indent(lines: &[Printed], width: usize) -> usize {
    let mut shortfall: Vec<usize> = lines
        .windows(3)
        .filter(|w| {
            ends_sentence(&w[0].text)
                && !full(&w[0], width)
                && w[1..].iter().all(|l| l.blanks_before == 0 && l.indent == 0 && full(l, width))
        })
        .map(|w| w[2].reach.saturating_sub(w[1].reach))
        .collect();
    shortfall.sort_unstable();
    shortfall.get(shortfall.len() / 2).copied().unwrap_or(0)
}

/// A headline's first line and its tail: neither is a sentence or a caption, the first is long
/// (a headline's type is larger, so it wraps before the body's width), the tail clearly shorter
/// (a kicker over a longer title is the other way round, a subtitle is rarely that much
/// shorter) or the first line leaves a quotation open; no dash-led subtitle.
fn wrapped_headline(q: &Printed, p: &Printed, width: usize) -> bool {
    let (nq, np) = (q.text.chars().count(), p.text.chars().count());
    headline_like(&q.text)
        && headline_like(&p.text)
        && nq >= 10
        && (np * 3 <= nq * 2 || open_quote(&q.text))
        && (q.reach - q.indent) * 2 >= width
        && !p.text.starts_with(['—', '-', '―'])
}

/// Leaves a quotation or bracket open: the line stops mid-phrase.
fn open_quote(t: &str) -> bool {
    let count = |set: &str| t.chars().filter(|c| set.contains(*c)).count();
    count("“‘《（(「") > count("”’》）)」")
}

/// Could be (part of) a headline: no sentence, no clause, not too long.
fn headline_like(t: &str) -> bool {
    let n = t.chars().count();
    n <= 40 && !t.contains('。') && !ends_sentence(t) && !ends_clause(t) && !page_number_shape(t)
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
fn mark_verse(out: &mut [SourceLine], shape: &[Shape]) {
    let mut i = 0;
    while i < out.len() {
        let mut j = i;
        while j < out.len() && shape[j].short && !is_marked_caption(&out[j].text) && (j == i || shape[j].blanks == 0) {
            j += 1;
        }
        // Lines of verse end on punctuation; unpunctuated lines leading the run (a section
        // label, a headline) stay out of it when the verse itself is punctuated.
        let punctuated = |k: usize| ends_sentence(&out[k].text) || ends_clause(&out[k].text);
        let start = (i..j).find(|&k| punctuated(k)).filter(|_| j - i >= 4).unwrap_or(i);
        let body_indent = (start..j).all(|k| (2..=8).contains(&shape[k].indent));
        // Verse is punctuated or set at the body's indent; a stack of bare short lines is
        // captions and headlines.
        let verse_like = body_indent || (start..j).filter(|&k| punctuated(k)).count() * 2 >= j - start;
        if verse_like && (j - start >= 4 || (j - start == 3 && body_indent)) {
            out[start..j].iter_mut().for_each(|l| l.verse = true);
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
