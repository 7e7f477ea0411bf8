//! `kanbao grep QUERY`: full-text search over every article, one line per matching article
//! (`--hits`: per hit), `--json` for scripts (one object per line).

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::{Global, Setup, load_corpus_detail};
use crate::domain::bodies;
use crate::domain::corpus::{Article, Body, Bulletin, Corpus};
use crate::domain::detail::Detail;
use crate::domain::parallel::par_pieces_from;
use crate::domain::sanitize::{clean_text, is_clean, sanitize_line_cow};
use crate::domain::search::{
    Counting, Field, Found, Met, Query, Snippet, fields, search, search_each_into, search_first_hits,
    search_keeping_text, snippet, snippet_of_bytes,
};
use crate::domain::width::{Ambiguous, str_width};
use crate::errln;

/// Snippet width when the output is not a terminal: the same for every script.
const PIPE_SNIPPET_CELLS: usize = 60;

pub struct GrepArgs<'a> {
    pub query: &'a str,
    pub hits: bool,
    pub json: bool,
    pub paths: &'a [PathBuf],
}

pub fn grep(setup: &Setup, global: &Global, args: GrepArgs) -> io::Result<ExitCode> {
    let query = match Query::parse(args.query) {
        Ok(q) => q,
        Err(e) => {
            crate::errln!("kanbao: error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    // Search needs headlines and bodies, not what the reader builds besides (keys, districts).
    let (corpus, skipped) = load_corpus_detail(setup, global, args.paths, Detail::Search);
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let style = Style {
        colour: tty && !args.json && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        width: tty.then(super::terminal_width),
        mode: setup.text_mode(global),
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if !args.hits && !args.json && !style.colour && query.wanted().next().is_some() {
        let code = plain(&corpus, &query, &style, skipped, &mut out);
        // As below: the process ends next.
        std::mem::forget(corpus);
        return code;
    }
    // Only `--json` prints each article's count of hits; a plain line needs its first hit.
    let found = match (args.hits, args.json) {
        (true, _) => search(&corpus, &query),
        (false, true) => search_keeping_text(&corpus, &query),
        (false, false) => search_first_hits(&corpus, &query),
    };
    let lines = Lines { corpus: &corpus, query: &query, hits: args.hits, json: args.json, style: &style };
    // Many results (工会: 51,598 snippets) are laid out on every core, a batch at a time (so
    // memory holds one batch of output), and written in order.
    for batch in found.chunks(BATCH) {
        let parts = par_pieces_from(
            batch.len(),
            PARALLEL_LINES,
            LINES_PER_PIECE,
            // Each thread with its own copy of the query (see `par_pieces_from`).
            || query.clone(),
            |query, range| vec![Lines { query, ..lines }.write(&batch[range])],
        );
        for (bytes, failed) in parts.into_iter().flatten() {
            out.write_all(&bytes)?;
            if let Some(message) = failed {
                return body_error(&mut out, &message);
            }
        }
    }
    out.flush()?;
    let empty = found.is_empty();
    // As in `with_corpus`: the process ends next (freeing 10,000 bulletins' strings one by one
    // took 25 ms).
    std::mem::forget((found, corpus));
    Ok(exit_code(skipped, empty))
}

fn exit_code(skipped: bool, empty: bool) -> ExitCode {
    match (skipped, empty) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

/// The output of a piece of the search: its lines, how many, and why it stopped early if it
/// did (a body the parse cache could not give).
#[derive(Default)]
struct Piece {
    bytes: Vec<u8>,
    lines: usize,
    failed: Option<String>,
    /// The line's article id, made in one buffer for the piece (a search load's articles
    /// carry none: `Bulletin::article_id`).
    id: String,
}

/// `kanbao grep QUERY` with plain lines (no `--hits`, no `--json`, no colour) and a term to
/// find: each line is laid out by the search itself, on the core that found the article,
/// from the text it just searched (nothing copied, no second pass). The lines are those of
/// `Lines::write` over `search_first_hits`, which lays out the rare article whose first hit
/// cannot be shown from that text.
fn plain(corpus: &Corpus, query: &Query, style: &Style, skipped: bool, out: &mut dyn Write) -> io::Result<ExitCode> {
    let order: Vec<(usize, usize)> = corpus.articles_newest_first().collect();
    let lines = Lines { corpus, query, hits: false, json: false, style };
    let visit = |piece: &mut Piece, m: Met| {
        if piece.failed.is_some() {
            return;
        }
        piece.lines += 1;
        let bulletin = &corpus.bulletins[m.bulletin];
        let article = &bulletin.articles[m.article];
        piece.id.clear();
        bulletin.push_article_id(m.article, &mut piece.id);
        let id = piece.id.as_str();
        let row = m.first_unchecked().and_then(|(_, text, bytes, check)| {
            let title = sanitize_line_cow(&article.title);
            let s = snippet_of_bytes(text, bytes, snippet_cells(id, &title, style), style.mode);
            // What is printed of the field is what must be clean.
            (!check || is_clean(&s.text)).then_some((title, s))
        });
        match row {
            Some((title, s)) => {
                if piece.bytes.capacity() == 0 {
                    // A piece's lines (a few hundred) without growing the buffer step by step.
                    piece.bytes.reserve(PIECE_BYTES);
                }
                for part in [id, "\t", &title, "\t", &s.text, "\n"] {
                    piece.bytes.extend_from_slice(part.as_bytes());
                }
            }
            None => piece.failed = lines.write_into(&[m.found()], &mut piece.bytes).err(),
        }
    };
    // Each piece's lines written as soon as those before them are: the first lines come
    // while the search goes on, and memory holds a few pieces of a long output, not all.
    let mut empty = true;
    let mut ended: Option<io::Result<ExitCode>> = None;
    search_each_into(corpus, query, &order, Counting::FirstOnly, visit, |piece: Piece| {
        empty &= piece.lines == 0;
        ended = match (out.write_all(&piece.bytes), &piece.failed) {
            (Err(e), _) => Some(Err(e)),
            (Ok(()), Some(message)) => Some(body_error(out, message)),
            (Ok(()), None) => None,
        };
        ended.is_none()
    });
    if let Some(ended) = ended {
        return ended;
    }
    out.flush()?;
    Ok(exit_code(skipped, empty))
}

/// Room for a piece's plain lines: 64 bulletins, a few hundred lines of about 150 bytes.
const PIECE_BYTES: usize = 64 << 10;

/// Results laid out per batch (with `--hits`, a result is a line per hit: a batch of 4,096 is a
/// few MB of output), and the least of them worth a second thread.
const BATCH: usize = 4_096;
const PARALLEL_LINES: usize = 1_024;
/// Results a thread lays out at a time (a batch is shared out in pieces, so threads end together).
const LINES_PER_PIECE: usize = 256;

/// What every output line is made with.
#[derive(Clone, Copy)]
struct Lines<'a> {
    corpus: &'a Corpus,
    query: &'a Query,
    hits: bool,
    json: bool,
    style: &'a Style,
}

impl Lines<'_> {
    /// The lines of `found`, in order; and, if a body could not be read from the parse cache
    /// (damaged after the load), why: the lines stop there.
    fn write(&self, found: &[Found]) -> (Vec<u8>, Option<String>) {
        let mut out = Vec::with_capacity(found.len() * 160);
        let failed = self.write_into(found, &mut out).err();
        (out, failed)
    }

    fn write_into(&self, found: &[Found], out: &mut Vec<u8>) -> Result<(), String> {
        let (corpus, query) = (self.corpus, self.query);
        // Results come a bulletin at a time: its bodies are read from the parse cache once; for
        // a first hit only its field is checked as text, not the whole bulletin.
        let mut record: (Option<usize>, Vec<u8>) = (None, Vec::new());
        let mut whole: Option<(usize, Cow<'_, Bulletin>)> = None;
        for f in found {
            let bulletin = &corpus.bulletins[f.bulletin];
            let lines: Vec<(Field, Range<usize>, Cow<'_, str>)> = match (&f.first, self.hits) {
                // The search kept the first hit's text.
                (Some(h), false) if f.text.is_some() => {
                    vec![(h.field, h.chars.clone(), Cow::Borrowed(f.text.as_deref().expect("matched just above")))]
                }
                (Some(h), false) => {
                    if record.0 != Some(f.bulletin) {
                        record = (Some(f.bulletin), Vec::new());
                        if let Body::Stored(stored) = &bulletin.body {
                            stored.read_into(&mut record.1).map_err(|e| e.0)?;
                        }
                    }
                    match field_text(bulletin, f.article, h.field, &record.1) {
                        Some(text) => vec![(h.field, h.chars.clone(), Cow::Borrowed(text))],
                        None => return Err("a record of the parse cache is not valid text".into()),
                    }
                }
                _ => {
                    if whole.as_ref().is_none_or(|(b, _)| *b != f.bulletin) {
                        whole = Some((f.bulletin, bulletin.whole().map_err(|e| e.0)?));
                    }
                    let article = &whole.as_ref().expect("read just above").1.articles[f.article];
                    let hits: Vec<(Field, Range<usize>)> = match &f.first {
                        Some(_) => query.article_hits(article).into_iter().map(|h| (h.field, h.chars)).collect(),
                        // A query of exclusions only: the article matched without a hit; show its start.
                        None => vec![(opening_field(article), 0..0)],
                    };
                    hits.into_iter()
                        .map(|(field, chars)| (field, chars, Cow::Owned(field.text(article).to_string())))
                        .collect()
                }
            };
            let article = &bulletin.articles[f.article];
            for (field, chars, text) in &lines {
                let line = Line {
                    bulletin,
                    index: f.article,
                    article,
                    text,
                    query,
                    field: *field,
                    chars: chars.clone(),
                    count: f.hits,
                };
                // Writing into memory does not fail.
                let _ = if self.json { line.json(out, !self.hits) } else { line.text(out, self.style) };
            }
        }
        Ok(())
    }
}

/// A body the parse cache cannot give (it was damaged after the load): one line, exit 2.
fn body_error(out: &mut dyn Write, message: &str) -> io::Result<ExitCode> {
    out.flush()?;
    errln!("kanbao: error: {message}");
    Ok(ExitCode::from(2))
}

/// The text of `field` in article `a`: from the article itself, or, for a body kept in the
/// parse cache, from the bulletin's `record`, checked as text (UTF-8, clean) here.
fn field_text<'a>(b: &'a Bulletin, a: usize, field: Field, record: &'a [u8]) -> Option<&'a str> {
    let head = &b.articles[a];
    if matches!(b.body, Body::Here) {
        return Some(field.text(head));
    }
    let raw = bodies::decode(record).ok()?;
    let bytes = field.raw_text(head, raw.get(a)?)?;
    clean_text(bytes)
}

/// Where a hitless article's snippet starts: its first paragraph, else its title.
fn opening_field(article: &Article) -> Field {
    fields(article).into_iter().map(|(f, _)| f).find(|f| matches!(f, Field::Paragraph(_))).unwrap_or(Field::Title)
}

/// The cells a line's snippet gets after `ID<TAB>title<TAB>`: on a terminal what is left of
/// the row, else `PIPE_SNIPPET_CELLS`.
fn snippet_cells(id: &str, title: &str, style: &Style) -> usize {
    match style.width {
        Some(w) => {
            // Tabs stop every 8 columns on a terminal.
            let tab = |col: usize| (col / 8 + 1) * 8;
            let used = tab(tab(str_width(id, style.mode)) + str_width(title, style.mode));
            w.saturating_sub(used + 1).max(20)
        }
        None => PIPE_SNIPPET_CELLS,
    }
}

struct Style {
    colour: bool,
    /// The terminal's width, when printing to one.
    width: Option<usize>,
    mode: Ambiguous,
}

const LIT_ON: &str = "\x1b[1;31m";
const ID_ON: &str = "\x1b[35m";
const OFF: &str = "\x1b[0m";

/// One output line: an article (or one hit in it).
struct Line<'a> {
    bulletin: &'a Bulletin,
    /// The article's place in its bulletin (its id: `Bulletin::article_id`).
    index: usize,
    /// The article's headlines (its body may be kept in the parse cache).
    article: &'a Article,
    /// The text of `field`.
    text: &'a str,
    query: &'a Query,
    field: Field,
    chars: Range<usize>,
    count: usize,
}

impl Line<'_> {
    /// The snippet, its hits lit if `lit` (what is lit does not change the text).
    fn snippet(&self, cells: usize, mode: Ambiguous, lit: bool) -> Snippet {
        let hits = if lit { self.query.find(self.text) } else { Vec::new() };
        snippet(self.text, &hits, self.chars.clone(), cells, mode)
    }

    /// `ID<TAB>title<TAB>snippet`; on a terminal the snippet fills the row, the match lit.
    fn text(&self, out: &mut dyn Write, style: &Style) -> io::Result<()> {
        let id = self.bulletin.article_id(self.index);
        let title = sanitize_line_cow(&self.article.title);
        let s = self.snippet(snippet_cells(&id, &title, style), style.mode, style.colour);
        if !style.colour {
            return writeln!(out, "{id}\t{title}\t{}", s.text);
        }
        let mut line = format!("{ID_ON}{id}{OFF}\t{title}\t");
        let chars: Vec<char> = s.text.chars().collect();
        let mut at = 0;
        for l in &s.lit {
            line.extend(&chars[at..l.start]);
            line.push_str(LIT_ON);
            line.extend(&chars[l.clone()]);
            line.push_str(OFF);
            at = l.end;
        }
        line.extend(&chars[at..]);
        writeln!(out, "{line}")
    }

    /// One JSON object: positions are char indices into the field's text as `kanbao export` gives it.
    fn json(&self, out: &mut dyn Write, with_count: bool) -> io::Result<()> {
        let s = self.snippet(PIPE_SNIPPET_CELLS, Ambiguous::Narrow, true);
        let hit = !self.chars.is_empty();
        let date = self.bulletin.date.map(|d| d.to_string());
        let mut v = json!({
            "id": self.bulletin.article_id(self.index),
            "date": date,
            "title": self.article.title,
            "field": hit.then(|| self.field.name()),
            "index": if hit { self.field.index() } else { None },
            "start": hit.then_some(self.chars.start),
            "end": hit.then_some(self.chars.end),
            "snippet": s.text,
            "lit": s.lit.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
        });
        if with_count {
            v["hits"] = json!(self.count);
        }
        writeln!(out, "{v}")
    }
}
