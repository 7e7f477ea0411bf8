//! One paragraph's lines at one width and mode, laid out only where they are asked for, so that
//! opening, scrolling and resizing a 1 MB paragraph costs about what a screenful costs.
//!
//! The layout is greedy from the paragraph's start: where a line starts depends on every line
//! before it. The lines here are nevertheless exactly `layout_paragraph`'s, because:
//! - lines are laid out only from a *proven* line start (one the whole layout has too), in
//!   windows (`layout::Window`) that give exactly the whole layout's lines;
//! - proven starts are kept (`starts`): the paragraph's start, one every `checkpoint` chars of
//!   every pass, and what synchronisation finds; a place is shown by laying out from the nearest
//!   one before it;
//! - far from any known start, synchronisation (`sync`) proves a start near the place without
//!   looking at what comes before it. The true line holding a place `p` ends after `p`, at most
//!   one line's worth of visible cells on; so the true next line start is one of the graphemes
//!   in that stretch. Lay out one line from each of them, then from each of the distinct
//!   results, and so on: the true layout passes through one of the "particles" at every step
//!   (the layout is a function of the line start: the same start, the same next start). When
//!   they have all met in one place, that place is a proven line start. Text with varied break
//!   opportunities (words of different lengths) makes them meet within a few lines;
//! - text so regular that they never meet within the budget (pure Han text, where every
//!   grapheme is a break and layouts started in different places keep their phase) is skimmed
//!   instead: break positions only, no line text, from the nearest known start, leaving
//!   checkpoints, once per width.
//!
//! The end (`G`) and a place deep in the paragraph after a resize are found the same way.
//! tests/layout_lazy.rs checks the lines against whole layouts for random text, widths, modes
//! and orders of access, with tiny windows so that every path is taken.

use std::collections::BTreeMap;
use std::sync::Arc;

use unicode_segmentation::GraphemeCursor;

use super::layout::{LayoutOptions, Line, Pos, Window};

/// Sizes that decide how much is laid out at a time. Tests shrink them so that small texts take
/// every path (windows refilled mid-line, synchronisation, skims, checkpoints).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Bytes a window for shown lines covers.
    pub window: usize,
    /// Bytes a window covers while skimming.
    pub skim_window: usize,
    /// A proven start is kept every this many chars of every pass.
    pub checkpoint: usize,
    /// Within this many chars of a known start, lay out from it rather than synchronise.
    pub near: usize,
    /// Synchronisation starts this many bytes before the place (then 4 times as far).
    pub sync_back: usize,
    /// Bytes synchronisation looks at past the place.
    pub sync_window: usize,
    /// Synchronisation gives up after this many one-line layouts, all particles together.
    pub sync_work: usize,
    /// Lines kept laid out (`run`); the rest are dropped, checkpoints make them cheap to redo.
    pub max_run: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            window: 8 * 1024,
            skim_window: 64 * 1024,
            checkpoint: 2048,
            near: 16 * 1024,
            sync_back: 16 * 1024,
            sync_window: 16 * 1024,
            sync_work: 4096,
            max_run: 4096,
        }
    }
}

/// Lays a paragraph out forward from a proven line start, window after window.
struct Cursor<'a> {
    par: &'a str,
    opts: LayoutOptions,
    win: Window<'a>,
    /// The next line starts at grapheme `k` of `win`.
    k: usize,
    want: usize,
    /// Graphemes prepared in windows so far.
    prepared: usize,
}

impl<'a> Cursor<'a> {
    fn new(par: &'a str, at: Pos, opts: LayoutOptions, want: usize) -> Self {
        let win = Window::new(par, at, want, opts.mode);
        Cursor { par, opts, prepared: win.len(), win, k: 0, want }
    }

    /// Where the next line starts (the paragraph's end after the last line).
    fn at(&self) -> Pos {
        self.win.pos(self.k)
    }

    fn done(&self) -> bool {
        self.k == self.win.len() && self.win.complete()
    }

    /// The next line runs past the window: a new window from its start (a proven start, as
    /// every line start of the pass is), twice as long if it did not fit a fresh one either.
    fn refill(&mut self) {
        if self.k == 0 {
            self.want = self.want.saturating_mul(2);
        }
        self.win = Window::new(self.par, self.at(), self.want, self.opts.mode);
        self.prepared += self.win.len();
        self.k = 0;
    }

    /// The next line and where it starts; `None` after the last, or (with `refill` false) when
    /// the window holds no more whole lines.
    fn next_line(&mut self, refill: bool) -> Option<(Pos, Line)> {
        loop {
            if self.done() {
                return None;
            }
            let at = self.at();
            if let Some((line, end)) = self.win.line(self.k, self.opts) {
                self.k = end;
                return Some((at, line));
            }
            if !refill {
                return None;
            }
            self.refill();
        }
    }

    /// Passes over the next line without making its text; where it starts.
    fn skip_line(&mut self) -> Option<Pos> {
        loop {
            if self.done() {
                return None;
            }
            let at = self.at();
            if let Some(end) = self.win.line_end(self.k, self.opts) {
                self.k = end;
                return Some(at);
            }
            self.refill();
        }
    }
}

/// The lines of one paragraph at one `LayoutOptions`, laid out on demand. The paragraph's text
/// is passed to every call (the pager owns it); it must be the same text every time.
#[derive(Debug, Clone)]
pub struct Flow {
    opts: LayoutOptions,
    /// The paragraph with its tabs as spaces, when it has tabs (the sanitizer removes them, so
    /// hardly ever): the layout sees spaces, and windows must be cut where it cuts.
    untabbed: Option<Arc<str>>,
    tuning: Tuning,
    /// Chars in the paragraph.
    chars: usize,
    /// Proven line starts: char offset -> byte offset. Always holds the paragraph's start.
    starts: BTreeMap<usize, usize>,
    /// Consecutive lines of the layout, the ones laid out last, with where each starts.
    run: Vec<(Pos, Line)>,
    /// Where the line after `run` starts.
    run_end: Pos,
    /// `run` ends with the paragraph's last line.
    run_to_end: bool,
    /// Graphemes prepared for layout so far (the work done: for tests and benchmarks).
    prepared: usize,
}

impl Flow {
    pub fn new(par: &str, opts: LayoutOptions) -> Flow {
        Flow::tuned(par, opts, Tuning::default())
    }

    #[doc(hidden)]
    pub fn tuned(par: &str, opts: LayoutOptions, tuning: Tuning) -> Flow {
        Flow {
            opts,
            untabbed: par.contains('\t').then(|| Arc::from(par.replace('\t', " "))),
            tuning,
            chars: par.chars().count(),
            starts: BTreeMap::from([(0, 0)]),
            run: Vec::new(),
            run_end: Pos::default(),
            run_to_end: false,
            prepared: 0,
        }
    }

    /// Lines laid out and kept now (for tests and benchmarks: a screenful, not the paragraph).
    pub fn kept(&self) -> usize {
        self.run.len()
    }

    /// Graphemes prepared for layout so far, windows and synchronisation together: the work
    /// done (for tests and benchmarks).
    pub fn prepared(&self) -> usize {
        self.prepared
    }

    /// The line holding char `at` (past the end: the last line). `None` for an empty paragraph.
    /// An offset in the spaces dropped at a break belongs to the line before.
    pub fn line_at(&mut self, par: &str, at: usize) -> Option<Line> {
        let untabbed = self.untabbed.clone();
        let par = untabbed.as_deref().unwrap_or(par);
        let at = at.min(self.chars.checked_sub(1)?);
        self.cover(par, at, at);
        self.find(at).map(|i| self.run[i].1.clone())
    }

    /// The line after the one starting at `start`; `None` after the last.
    pub fn next_line(&mut self, par: &str, start: usize) -> Option<Line> {
        let untabbed = self.untabbed.clone();
        let par = untabbed.as_deref().unwrap_or(par);
        let start = start.min(self.chars.checked_sub(1)?);
        self.cover(par, start, start);
        let i = self.find(start)?;
        self.run.get(i + 1).map(|(_, l)| l.clone())
    }

    /// The line before the one starting at `start`; `None` before the first.
    pub fn prev_line(&mut self, par: &str, start: usize) -> Option<Line> {
        let untabbed = self.untabbed.clone();
        let par = untabbed.as_deref().unwrap_or(par);
        let before = start.min(self.chars).checked_sub(1)?;
        self.cover(par, before, before);
        self.find(before).map(|i| self.run[i].1.clone())
    }

    /// The paragraph's last line.
    pub fn last_line(&mut self, par: &str) -> Option<Line> {
        self.line_at(par, self.chars)
    }

    /// Up to `n` lines from the one holding `at`.
    pub fn lines_from(&mut self, par: &str, at: usize, n: usize) -> Vec<Line> {
        let mut out: Vec<Line> = Vec::with_capacity(n);
        let mut next = if n > 0 { self.line_at(par, at) } else { None };
        while let Some(line) = next {
            let start = line.start;
            out.push(line);
            next = if out.len() < n { self.next_line(par, start) } else { None };
        }
        out
    }

    /// Index in `run` of the line holding char `at`, if `run` holds it and what follows it
    /// (the next line, or the knowledge that there is none).
    fn find(&self, at: usize) -> Option<usize> {
        if self.run.first()?.0.chr > at {
            return None;
        }
        let i = self.run.partition_point(|(p, _)| p.chr <= at) - 1;
        (i + 1 < self.run.len() || self.run_to_end).then_some(i)
    }

    /// Makes `run` hold the lines from the one holding `lo` to the one after the one holding
    /// `hi`, laying out as little as it can.
    fn cover(&mut self, par: &str, lo: usize, hi: usize) {
        if self.find(lo).is_some() && self.find(hi).is_some() {
            return;
        }
        let near = self.tuning.near;
        match self.run.first().map(|(p, _)| p.chr) {
            // Scrolling on: lay out from where the run ends.
            Some(first) if first <= lo && hi.saturating_sub(self.run_end.chr) <= near => {}
            // Scrolling back a little: lay out from a start before `lo` up to the run.
            Some(first) if first > lo && first - lo <= near => self.prepend(par, lo),
            _ => {
                self.run.clear();
                self.run_end = self.anchor(par, lo);
                self.run_to_end = false;
            }
        }
        self.extend(par, hi);
        self.trim(lo, hi);
    }

    /// Lays out on from the end of `run` until it holds the line after the one holding `hi`,
    /// and on to the end of the window that takes it there (as good as free).
    fn extend(&mut self, par: &str, hi: usize) {
        if self.run_to_end || self.run.last().is_some_and(|(p, _)| p.chr > hi) {
            return;
        }
        let mut cursor = Cursor::new(par, self.run_end, self.opts, self.tuning.window);
        let mut past = false;
        while let Some((at, line)) = cursor.next_line(!past) {
            self.checkpoint(at);
            self.run.push((at, line));
            past |= at.chr > hi;
        }
        self.run_end = cursor.at();
        self.run_to_end = cursor.done();
        self.prepared += cursor.prepared;
    }

    /// Lays out from a proven start at or before `lo` up to the first line of `run`.
    fn prepend(&mut self, par: &str, lo: usize) {
        let first = self.run[0].0;
        let mut cursor = Cursor::new(par, self.anchor(par, lo), self.opts, self.tuning.window);
        let mut before = Vec::new();
        // Two passes from proven starts meet exactly; were they ever not to, the new pass
        // replaces the old lines.
        let mut met = false;
        while let Some((at, line)) = cursor.next_line(true) {
            if at >= first {
                met = at == first;
                if !met {
                    before.push((at, line));
                }
                break;
            }
            self.checkpoint(at);
            before.push((at, line));
        }
        if !met {
            self.run.clear();
            self.run_end = cursor.at();
            self.run_to_end = cursor.done();
        }
        self.prepared += cursor.prepared;
        before.append(&mut self.run);
        self.run = before;
    }

    /// Keeps `run` to `max_run` lines, dropping lines away from `lo..=hi`.
    fn trim(&mut self, lo: usize, hi: usize) {
        let max = self.tuning.max_run.max(4);
        if self.run.len() <= max {
            return;
        }
        let at = |run: &[(Pos, Line)], x: usize| run.partition_point(|(p, _)| p.chr <= x).saturating_sub(1);
        let drop_front = at(&self.run, lo).saturating_sub(max / 4);
        self.run.drain(..drop_front);
        let keep = (at(&self.run, hi) + 2 + max / 4).max(max);
        if self.run.len() > keep {
            self.run_end = self.run[keep].0;
            self.run.truncate(keep);
            self.run_to_end = false;
        }
    }

    /// Notes a proven start if the last kept one before it is `checkpoint` chars back.
    fn checkpoint(&mut self, p: Pos) {
        let last = self.starts.range(..=p.chr).next_back().map_or(0, |(&c, _)| c);
        if p.chr >= last + self.tuning.checkpoint {
            self.starts.insert(p.chr, p.byte);
        }
    }

    /// A proven line start at or before char `target`, close to it: a known one if near,
    /// else one found by synchronisation, else the start of the line holding `target`, skimmed
    /// to from the nearest known one.
    fn anchor(&mut self, par: &str, target: usize) -> Pos {
        let (&chr, &byte) = self.starts.range(..=target).next_back().unwrap_or((&0, &0));
        let known = Pos { byte, chr };
        if target - known.chr <= self.tuning.near {
            return known;
        }
        let t = self.tuning;
        let target_byte = byte_of(par, known, target);
        for back in [t.sync_back, t.sync_back.saturating_mul(4)] {
            let Some(from) = target_byte.checked_sub(back).filter(|&b| b > known.byte + t.near) else { break };
            let from = grapheme_at_or_after(par, known, from);
            if let Some(p) = sync(par, from, back + t.sync_window, self.opts, t, &mut self.prepared) {
                self.starts.insert(p.chr, p.byte);
                if p.chr <= target {
                    return p;
                }
            }
        }
        let mut cursor = Cursor::new(par, known, self.opts, t.skim_window);
        let mut last = known;
        while let Some(p) = cursor.skip_line() {
            if p.chr > target {
                break;
            }
            last = p;
            self.checkpoint(p);
        }
        self.prepared += cursor.prepared;
        last
    }
}

/// Byte offset of char `chr`, counted from a known place before it.
fn byte_of(par: &str, known: Pos, chr: usize) -> usize {
    par[known.byte..].char_indices().nth(chr - known.chr).map_or(par.len(), |(i, _)| known.byte + i)
}

/// The first grapheme boundary at or after byte `byte` (past `known`, a boundary), as a place.
fn grapheme_at_or_after(par: &str, known: Pos, byte: usize) -> Pos {
    let mut b = byte;
    while !par.is_char_boundary(b) {
        b += 1;
    }
    let mut cursor = GraphemeCursor::new(b, par.len(), true);
    // `par` is the whole chunk: the cursor never asks for more context.
    if !cursor.is_boundary(par, 0).unwrap_or(true) {
        b = cursor.next_boundary(par, 0).ok().flatten().unwrap_or(par.len());
    }
    Pos { byte: b, chr: known.chr + par[known.byte..b].chars().count() }
}

/// A proven line start at or after `from` (a grapheme boundary), or `None` when the particles
/// (see the module comment) do not meet within the budget or the window.
fn sync(par: &str, from: Pos, want: usize, opts: LayoutOptions, t: Tuning, prepared: &mut usize) -> Option<Pos> {
    let win = Window::new(par, from, want, opts.mode);
    let n = win.len();
    *prepared += n;
    if n == 0 {
        return None;
    }
    // The true line holding `from` ends after it, and the part of it from `from` on has at most
    // `width` cells of non-spaces (the line's visible width; what follows is dropped spaces),
    // unless it is one grapheme too wide for any line, alone on its line.
    let mut parts = Vec::new();
    let mut cells = 0;
    for q in 1..=n {
        let (width, space) = win.cell(q - 1);
        if !space {
            cells += width;
        }
        if q > 1 && cells > opts.width {
            break;
        }
        parts.push(q);
        if parts.len() > 4 * opts.width + 64 {
            return None; // a long run of spaces or marks: skimming is as good
        }
    }
    // Layouts are followed as orbits: a particle that reaches a place another one reached
    // before (at this step or an earlier one) lays out the same lines from there on, one or
    // more lines behind, and is dropped. A particle at the paragraph's end stays there.
    let mut seen = vec![false; n + 1];
    for &q in &parts {
        seen[q] = true;
    }
    let mut work = 0;
    loop {
        if let [only] = parts[..] {
            // One orbit left: every other one joined it at or before this place, so the true
            // layout passes here, unless this is the paragraph's end.
            return (only < n).then(|| win.pos(only));
        }
        work += parts.len();
        if work > t.sync_work {
            return None;
        }
        let mut next = Vec::with_capacity(parts.len());
        for &s in &parts {
            if s == n && win.complete() {
                next.push(s);
                continue;
            }
            let e = win.line_end(s, opts)?;
            if !seen[e] {
                seen[e] = true;
                next.push(e);
            }
        }
        parts = next;
    }
}
