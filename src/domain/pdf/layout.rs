//! Printed lines -> the parser's lines: running heads and page numbers dropped, lines joined
//! into paragraphs (indent, vertical gap, size change, a short last line), paragraphs
//! continued across pages and columns joined, and each paragraph's role read from its type:
//! the body size is the most common size; larger or bold is a headline, smaller is a caption.

use std::collections::HashMap;

use super::extract::Page;
use super::lines::{Line, join_text};
use crate::domain::masthead::{self, from_running_head, page_number_shape};
use crate::domain::parse::{IMAGE_GAP, SourceLine, ends_sentence, is_space};

/// Share of the page height, at the top and at the bottom, where running heads stand.
const BAND: f32 = 0.08;

/// The bulletin as the parser will read it, and what was left out on the way.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub lines: Vec<SourceLine>,
    /// 1-based page of each line in `lines`.
    pub pages: Vec<usize>,
    /// Running heads and page numbers, dropped (kept for the masthead and for warnings).
    pub furniture: Vec<String>,
    /// Printed lines read in all, furniture included.
    pub printed_lines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Heading,
    Body,
    Caption,
}

struct Para {
    text: String,
    page: usize,
    size: f32,
    bold: bool,
    lines: usize,
    /// One line that stops short of the right edge (a verse line, a headline, a caption).
    short_single: bool,
    /// Top of the first line and bottom of the last, for pictures between paragraphs.
    top: f32,
    bottom: f32,
}

/// Lays out all pages. `skip` leading lines of the first page are the masthead (read apart).
pub fn lay_out(pages: &[Page], page_lines: Vec<Vec<Line>>, skip: usize) -> Laid {
    let printed_lines = page_lines.iter().map(|p| p.iter().filter(|l| !l.is_blank()).count()).sum();
    let (mut kept, furniture) = drop_running(pages, page_lines);
    if let Some(first) = kept.first_mut() {
        remove_leading(first, skip);
    }
    let all: Vec<&Line> = kept.iter().flatten().filter(|l| !l.is_blank()).collect();
    let body = body_size(&all);
    let pitch = pitches(&kept);
    let margins = margins(&kept, body);
    let paras = paragraphs(&kept, body, &pitch, &margins);
    let (lines, pages_of) = to_source_lines(&paras, pages, body);
    Laid { lines, pages: pages_of, furniture, printed_lines }
}

/// Removes the first `n` non-blank lines (and blanks among them).
fn remove_leading(lines: &mut Vec<Line>, n: usize) {
    let mut seen = 0;
    let cut = lines.iter().position(|l| {
        if seen == n {
            return true;
        }
        if !l.is_blank() {
            seen += 1;
        }
        false
    });
    lines.drain(..cut.unwrap_or(lines.len()));
}

/// Lines in the top or bottom band that repeat on other pages (numbers aside) or look like a
/// page number are running heads and feet.
fn drop_running(pages: &[Page], page_lines: Vec<Vec<Line>>) -> (Vec<Vec<Line>>, Vec<String>) {
    let in_band = |l: &Line| {
        let h = pages.get(l.page).map_or(842.0, |p| p.height);
        l.y + l.size > h * (1.0 - BAND) || l.y < h * BAND
    };
    let key = masthead::running_key;
    let mut seen_on: HashMap<String, Vec<usize>> = HashMap::new();
    for l in page_lines.iter().flatten().filter(|l| in_band(l) && !l.is_blank()) {
        let pages = seen_on.entry(key(&l.text)).or_default();
        if !pages.contains(&l.page) {
            pages.push(l.page);
        }
    }
    let mut furniture = Vec::new();
    let kept = page_lines
        .into_iter()
        .map(|lines| {
            lines
                .into_iter()
                .filter(|l| {
                    let text = l.text.trim_matches(is_space);
                    let running = in_band(l)
                        && !l.is_blank()
                        && (page_number_shape(text)
                            || seen_on.get(&key(&l.text)).is_some_and(|p| p.len() >= 2)
                            || (text.chars().count() <= 30 && from_running_head(text).is_some()));
                    if running {
                        furniture.push(l.text.trim_matches(is_space).to_string());
                    }
                    !running
                })
                .collect()
        })
        .collect();
    (kept, furniture)
}

/// The size most characters are set in.
fn body_size(lines: &[&Line]) -> f32 {
    let mut counts: Vec<(f32, usize)> = Vec::new();
    for l in lines {
        let n = l.text.chars().count();
        match counts.iter_mut().find(|(s, _)| (s - l.size).abs() < 0.25) {
            Some(e) => e.1 += n,
            None => counts.push((l.size, n)),
        }
    }
    counts.iter().max_by_key(|e| e.1).map_or(12.0, |e| e.0)
}

/// Line pitch per size: the usual baseline distance between consecutive lines of that size.
fn pitches(pages: &[Vec<Line>]) -> Vec<(f32, f32)> {
    let mut deltas: Vec<(f32, f32)> = Vec::new();
    for lines in pages {
        for w in lines.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let d = a.y - b.y;
            if (a.size - b.size).abs() < 0.25 && a.column == b.column && d > 0.9 * a.size && d < 3.0 * a.size {
                deltas.push((a.size, d));
            }
        }
    }
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut sizes: Vec<f32> = deltas.iter().map(|d| d.0).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.dedup_by(|a, b| (*a - *b).abs() < 0.25);
    for s in sizes {
        let mut ds: Vec<f32> = deltas.iter().filter(|d| (d.0 - s).abs() < 0.25).map(|d| d.1).collect();
        ds.sort_by(f32::total_cmp);
        out.push((s, ds[ds.len() / 4]));
    }
    out
}

fn pitch_for(pitch: &[(f32, f32)], size: f32) -> f32 {
    pitch.iter().find(|p| (p.0 - size).abs() < 0.25).map_or(1.5 * size, |p| p.1)
}

/// Left margin and right edge of body text per (page, column).
type Margins = HashMap<(usize, u8), (f32, f32)>;

fn margins(pages: &[Vec<Line>], body: f32) -> Margins {
    let mut out = Margins::new();
    for lines in pages {
        for column in 0..2u8 {
            let body_lines: Vec<&Line> =
                lines.iter().filter(|l| l.column == column && (l.size - body).abs() < 0.25 && !l.is_blank()).collect();
            if body_lines.is_empty() {
                continue;
            }
            let mut lefts: Vec<f32> = body_lines.iter().map(|l| l.x0).collect();
            let mut rights: Vec<f32> = body_lines.iter().map(|l| l.x1).collect();
            lefts.sort_by(f32::total_cmp);
            rights.sort_by(f32::total_cmp);
            // The right edge most full lines reach (a line of digits may run past it).
            let m = (lefts[0], rights[rights.len() * 3 / 4]);
            out.insert((lines[0].page, column), m);
        }
    }
    out
}

/// Consecutive lines -> paragraphs.
fn paragraphs(pages: &[Vec<Line>], body: f32, pitch: &[(f32, f32)], margins: &Margins) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut prev: Option<&Line> = None;
    let mut blank = false;
    for l in pages.iter().flatten() {
        if l.is_blank() {
            blank = true;
            continue;
        }
        let text = l.text.trim_matches(is_space);
        let indented = text.len() < l.text.trim_end_matches(is_space).len() || is_indented(l, margins);
        let continues = !blank && prev.is_some_and(|p| continues_line(p, l, indented, body, pitch, margins));
        match out.last_mut() {
            Some(para) if continues => {
                // A line that stopped short mid-sentence was wrapped at a space: keep it.
                let short = prev.is_some_and(|p| !is_full(p, margins));
                if (short || prev.is_some_and(|p| p.text.ends_with(' '))) && !para.text.ends_with(' ') {
                    para.text.push(' ');
                }
                join_text(&mut para.text, text);
                para.lines += 1;
                para.short_single = false;
                para.bottom = l.y;
            }
            _ => out.push(Para {
                text: text.to_string(),
                page: l.page,
                size: l.size,
                bold: l.bold,
                lines: 1,
                short_single: !is_full(l, margins),
                top: l.y + l.size,
                bottom: l.y,
            }),
        }
        prev = Some(l);
        blank = false;
    }
    out
}

fn is_indented(l: &Line, margins: &Margins) -> bool {
    margins.get(&(l.page, l.column)).is_some_and(|m| l.x0 > m.0 + 0.8 * l.size)
}

/// Whether line `l` goes on with the paragraph that `p` ended.
fn continues_line(p: &Line, l: &Line, indented: bool, body: f32, pitch: &[(f32, f32)], margins: &Margins) -> bool {
    if (p.size - l.size).abs() > 0.6 || p.bold != l.bold {
        return false;
    }
    let is_body = (l.size - body).abs() < 0.6;
    let full = is_full(p, margins);
    let moved_on = l.page != p.page || l.column != p.column || l.y > p.y + 0.5 * l.size;
    if moved_on {
        // A page or column break: only a full line that stops mid-sentence runs on.
        return is_body && full && !indented && !ends_sentence(&p.text);
    }
    let gap = p.y - l.y;
    if gap > pitch_for(pitch, l.size) * 1.35 {
        return false;
    }
    // Headlines wrap centred; body and captions run on from a full line, or from a short one
    // that stops mid-sentence (the producer wrapped at a space, as fpdf2 does).
    if l.size > body + 0.6 { true } else { !indented && (full || is_body && !ends_clause_or_sentence(&p.text)) }
}

/// The line reaches the right edge of the text.
fn is_full(p: &Line, margins: &Margins) -> bool {
    let right = margins.get(&(p.page, p.column)).map_or(p.x1, |m| m.1);
    p.x1 >= right - 1.5 * p.size
}

fn ends_clause_or_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(is_space);
    ends_sentence(t) || t.ends_with(['，', ',', '、', '；', ';', '：', ':'])
}

fn role(p: &Para, body: f32) -> Role {
    if p.size >= body * 1.12 {
        return Role::Heading;
    }
    if p.size <= body * 0.88 {
        return Role::Caption;
    }
    let short = p.text.chars().count() <= 40 && !p.text.contains('。');
    if p.bold && short && p.lines <= 2 { Role::Heading } else { Role::Body }
}

fn to_source_lines(paras: &[Para], pages: &[Page], body: f32) -> (Vec<SourceLine>, Vec<usize>) {
    let roles: Vec<Role> = paras.iter().map(|p| role(p, body)).collect();
    let mut lines = Vec::with_capacity(paras.len());
    let mut pages_of = Vec::with_capacity(paras.len());
    let mut i = 0;
    while i < paras.len() {
        if roles[i] != Role::Heading {
            i += 1;
            continue;
        }
        let end = (i..paras.len()).find(|&j| roles[j] != Role::Heading).unwrap_or(paras.len());
        let top = (i..end).max_by(|&a, &b| paras[a].size.total_cmp(&paras[b].size).then(b.cmp(&a))).unwrap_or(i);
        let mut marks = vec![None; end - i];
        marks[top - i] = Some(2u8);
        for (k, j) in (i..end).enumerate() {
            lines.push((j, marks[k]));
        }
        i = end;
    }
    let mark_of: HashMap<usize, Option<u8>> = lines.drain(..).collect();
    let verse = verse_runs(paras, &roles);
    let mut out = Vec::with_capacity(paras.len());
    for (j, p) in paras.iter().enumerate() {
        let picture_between = j > 0 && picture_between(&paras[j - 1], p, pages);
        let near_caption = roles[j] == Role::Caption || (j > 0 && roles[j - 1] == Role::Caption);
        let blanks_before = match j {
            0 => 0,
            _ if picture_between || near_caption => IMAGE_GAP,
            _ => 1,
        };
        out.push(SourceLine {
            line: j + 1,
            blanks_before,
            text: p.text.clone(),
            mark: mark_of.get(&j).copied().flatten(),
            caption: roles[j] == Role::Caption,
            heading: roles[j] == Role::Heading,
            verse: verse[j],
        });
        pages_of.push(p.page + 1);
    }
    (out, pages_of)
}

/// Three or more body paragraphs in a row that are each one short line: verse (a poem).
fn verse_runs(paras: &[Para], roles: &[Role]) -> Vec<bool> {
    let mut out = vec![false; paras.len()];
    let mut i = 0;
    while i < paras.len() {
        let run = paras[i..].iter().zip(&roles[i..]).take_while(|(p, r)| **r == Role::Body && p.short_single).count();
        if run >= 3 {
            out[i..i + run].iter_mut().for_each(|v| *v = true);
        }
        i += run.max(1);
    }
    out
}

/// A picture stands between two paragraphs: below the first and above the second on one page,
/// or above the second at the top of its page.
fn picture_between(a: &Para, b: &Para, pages: &[Page]) -> bool {
    let Some(page) = pages.get(b.page) else { return false };
    page.pictures.iter().any(|pic| {
        let (lo, hi) = (pic.y, pic.y + pic.height);
        let below_a = a.page != b.page || hi <= a.bottom + 1.0;
        below_a && lo >= b.top - 1.0
    })
}
