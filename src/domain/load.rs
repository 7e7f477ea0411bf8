//! From file bytes to a corpus: decode, sanitize, parse, and find districts and dates. A bad
//! file is reported in one line and skipped; the rest load. Finding and reading the files is
//! `crate::io::library`.

use std::collections::HashMap;
use std::fmt;

use super::corpus::{Article, Bulletin, Corpus, Origin, fnv1a};
use super::dates::{YearMonth, infer_date};
use super::decode::decode;
use super::districts::Gazetteer;
use super::parse::{SectionVocab, parse};
use super::sanitize::{MAX_GRAPHEME_CHARS, cap_graphemes, sanitize, sanitize_line};

mod seeds {
    include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
}

/// A file that did not load, or loaded with a caveat: shown as one line, "name: problem".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it, made safe to print.
    pub file: String,
    pub message: String,
    /// Loaded anyway (a warning) rather than skipped.
    pub loaded: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// A bulletin file's bytes and where they came from.
pub struct Source {
    pub name: String,
    pub display: String,
    pub origin: Origin,
    pub bytes: Vec<u8>,
}

/// What to load besides the files themselves.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub bundled: bool,
    /// Date overrides by file name (from manifests or config).
    pub dates: HashMap<String, YearMonth>,
    pub vocab: Option<SectionVocab>,
}

/// The bulletins embedded from `seeds/`.
pub fn bundled_sources() -> Vec<Source> {
    seeds::SEEDS
        .iter()
        .map(|(name, bytes)| Source {
            name: name.to_string(),
            display: format!("seeds/{name}"),
            origin: Origin::Bundled,
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// A file that was skipped, and why.
pub fn skip(file: &str, message: String) -> Problem {
    Problem { file: file.to_string(), message, loaded: false }
}

/// Parses one source into a bulletin (ids are given by `Corpus::new`).
pub fn parse_source(
    src: &Source,
    opts: &LoadOptions,
    vocab: &SectionVocab,
) -> Result<(Bulletin, Vec<Problem>), Problem> {
    let decoded = decode(&src.bytes).map_err(|e| skip(&src.display, e.to_string()))?;
    let mut problems: Vec<Problem> = decoded
        .warnings
        .iter()
        .map(|w| Problem { file: src.display.clone(), message: sanitize_line(w), loaded: true })
        .collect();
    let text = sanitize(&decoded.text);
    let (capped, dropped) = cap_graphemes(&text);
    if dropped > 0 {
        problems.push(Problem {
            file: src.display.clone(),
            message: format!(
                "{dropped} combining marks or joiners stacked on single characters were dropped (at most {MAX_GRAPHEME_CHARS} code points per character are kept)"
            ),
            loaded: true,
        });
    }
    let text = capped;
    let parsed = parse(&text, vocab);
    if parsed.articles.is_empty() {
        return Err(skip(&src.display, "no articles found (the file is empty or has no text)".into()));
    }
    let gazetteer = Gazetteer::bundled();
    let mut articles = parsed.articles;
    for a in &mut articles {
        a.districts = article_districts(gazetteer, a);
    }
    let paragraphs: Vec<&str> = articles.iter().flat_map(|a| a.paragraphs.iter().map(String::as_str)).collect();
    let inferred = infer_date(&paragraphs);
    let (date, mut evidence) = (inferred.date, inferred.evidence);
    let date = match opts.dates.get(&src.name) {
        Some(&d) => {
            evidence.insert(0, format!("set to {d} by a manifest or config"));
            Some(d)
        }
        None => date,
    };
    if date.is_none() {
        problems.push(Problem {
            file: src.display.clone(),
            message: "no date found in the text (listed last; a manifest.toml can set one)".into(),
            loaded: true,
        });
    }
    let bulletin = Bulletin {
        id: String::new(),
        source: src.name.clone(),
        origin: src.origin,
        date,
        date_evidence: evidence,
        title: articles[0].title.clone(),
        encoding: decoded.encoding,
        articles,
    };
    Ok((bulletin, problems))
}

fn article_districts(g: &Gazetteer, a: &Article) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let headline = [&a.kicker, &Some(a.title.clone()), &a.subtitle];
    for text in headline.into_iter().flatten().chain(&a.captions).chain(&a.paragraphs) {
        for d in g.find_in(text) {
            if !out.iter().any(|o| o == d) {
                out.push(d.to_string());
            }
        }
    }
    out
}

/// The corpus from sources already read (the bundled seeds first, unless left out), with every
/// problem met parsing them added to `problems`. Reading files is `crate::io::library::load`.
pub fn build(read: Vec<Source>, mut problems: Vec<Problem>, opts: &LoadOptions) -> (Corpus, Vec<Problem>) {
    let mut sources = if opts.bundled { bundled_sources() } else { Vec::new() };
    sources.extend(read);
    let vocab = opts.vocab.clone().unwrap_or_else(SectionVocab::bundled);
    let mut unique: Vec<&Source> = Vec::with_capacity(sources.len());
    let mut seen: HashMap<u64, &str> = HashMap::new();
    for src in &sources {
        // The same file twice (a bundled seed copied into the library) would list twice.
        match seen.insert(fnv1a(&src.bytes), &src.display) {
            Some(first) => problems.push(Problem {
                file: src.display.clone(),
                message: format!("same text as {first}, which is already loaded; skipped"),
                loaded: true,
            }),
            None => unique.push(src),
        }
    }
    let mut bulletins = Vec::with_capacity(unique.len());
    for result in parse_all(&unique, opts, &vocab) {
        match result {
            Ok((b, p)) => {
                bulletins.push(b);
                problems.extend(p);
            }
            Err(p) => problems.push(p),
        }
    }
    (Corpus::new(bulletins), problems)
}

type Parsed = Result<(Bulletin, Vec<Problem>), Problem>;

/// Parses the sources on every core (files are independent); results in the sources' order.
fn parse_all(sources: &[&Source], opts: &LoadOptions, vocab: &SectionVocab) -> Vec<Parsed> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Threads only pay off for a real library, not the five bundled files.
    if cores < 2 || sources.len() < 32 {
        return sources.iter().map(|s| parse_source(s, opts, vocab)).collect();
    }
    let chunk = sources.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|s| parse_source(s, opts, vocab)).collect::<Vec<_>>()))
            .collect();
        // A panic in a parser is a bug: re-raise it rather than lose files without a word.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}
