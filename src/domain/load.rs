//! From files to a corpus: find the files, read them safely, decode, sanitize, parse, and
//! find districts and dates. A bad file is reported in one line and skipped; the rest load.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::convert;
use super::corpus::{Article, Bulletin, Corpus, Format, Origin};
use super::dates::{YearMonth, infer_date};
use super::decode::decode;
use super::detail::Detail;
use super::districts::Gazetteer;
use super::identity::{Prints, text_fingerprint};
use super::masthead::Masthead;
use super::parse::{ParsedBulletin, SectionVocab, parse, parse_lines};
use super::parse_cache::{FileIdentity, Hit, Known, Parsed, RootCache, Sharing};
use super::sanitize::{MAX_GRAPHEME_CHARS, cap_graphemes, path_line, sanitize, sanitize_line};
use crate::io::read::{BULLETIN_CAP, Budget, MANIFEST_CAP, Outcome, open_nonblocking, read_capped, read_within};

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
    /// The file as it was when read (for the parse cache); `None` for the bundled seeds.
    pub identity: Option<FileIdentity>,
}

/// What to load besides the files themselves.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub bundled: bool,
    /// Date overrides by file name (from manifests or config).
    pub dates: HashMap<String, YearMonth>,
    pub vocab: Option<SectionVocab>,
    /// Where parsed bulletins are kept between runs (`None`: parse every file every time).
    pub cache_dir: Option<PathBuf>,
    /// Bundled bulletins the user removed, by text fingerprint: left out.
    pub hidden: std::collections::HashSet<u64>,
    /// What of each bulletin to build (`Detail::Search` for `kanbao grep`).
    pub detail: Detail,
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
            identity: None,
        })
        .collect()
}

/// A bulletin file found in a folder or named by the user, not read yet.
pub struct Found {
    pub path: PathBuf,
    pub meta: fs::Metadata,
}

impl Found {
    /// The file as shown in messages, and the parse cache's name for it.
    fn shown(&self) -> String {
        path_line(&self.path)
    }
}

/// Reads files and folders (their `*.txt`, and date overrides from a `manifest.toml` beside
/// them). A folder that does not exist is no problem when `optional` (the user library).
pub fn read_paths(paths: &[PathBuf], optional: bool, opts: &mut LoadOptions) -> (Vec<Source>, Vec<Problem>) {
    let mut budget = Budget::default();
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let (found, p) = find_files(path, optional, opts);
        problems.extend(p);
        for f in &found {
            match read_file(&f.path, &mut budget) {
                Ok(s) => sources.push(s),
                Err(p) => problems.push(p),
            }
        }
    }
    (sources, problems)
}

/// The bulletin files of one PATH (itself, or a folder's `*.txt`), in name order, reading the
/// folder's manifest on the way.
pub fn find_files(path: &Path, optional: bool, opts: &mut LoadOptions) -> (Vec<Found>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let shown = path_line(path);
    match fs::metadata(path) {
        Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => problems.push(skip(&shown, io_message(&e))),
        Ok(meta) if meta.is_dir() => read_dir(path, &mut found, &mut problems, opts),
        Ok(meta) => found.push(Found { path: path.to_path_buf(), meta }),
    }
    (found, problems)
}

fn read_dir(dir: &Path, found: &mut Vec<Found>, problems: &mut Vec<Problem>, opts: &mut LoadOptions) {
    let shown = path_line(dir);
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.push(skip(&shown, io_message(&e))),
    };
    let mut files: Vec<fs::DirEntry> = entries.filter_map(Result::ok).collect();
    // By name: all in one folder (comparing whole paths costs more at 10,000 files).
    files.sort_by_cached_key(fs::DirEntry::file_name);
    found.reserve(files.len());
    for entry in files {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.as_encoded_bytes();
        let ends = |ext: &[u8]| name.len() >= ext.len() && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext);
        let shown = || path_line(&path);
        if name.eq_ignore_ascii_case(b"manifest.toml") {
            if let Err(m) = read_manifest(&path, &mut opts.dates) {
                problems.push(Problem { file: shown(), message: m, loaded: true });
            }
            continue;
        }
        if !ends(b".txt") && !ends(b".pdf") && !starts_like_pdf(&path) {
            continue;
        }
        // From the folder's handle, without walking the path again; a link is followed.
        let meta = match entry.file_type() {
            Ok(t) if !t.is_symlink() => entry.metadata(),
            _ => fs::metadata(&path),
        };
        match meta {
            Ok(meta) => found.push(Found { path, meta }),
            Err(e) => problems.push(skip(&shown(), io_message(&e))),
        }
    }
}

/// `[dates]` table: `"file.txt" = "2023-05"`.
fn read_manifest(path: &Path, dates: &mut HashMap<String, YearMonth>) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        dates: HashMap<String, String>,
    }
    let bytes = read_capped(path, MANIFEST_CAP).map_err(|e| format!("{}; its dates are not used", e.refusal))?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text; its dates are not used".to_string())?;
    let m: Manifest =
        toml::from_str(&text).map_err(|e| sanitize_line(&format!("not a valid manifest: {}", e.message())))?;
    for (file, date) in m.dates {
        let ym = date
            .parse::<YearMonth>()
            .map_err(|_| sanitize_line(&format!("date for {file} should look like 2023-05, not {date:?}")))?;
        dates.insert(file, ym);
    }
    Ok(())
}

/// Reads one bulletin file through `io::read` (regular files only, capped, counted against
/// the load's budget; a file already read in this load, by device and inode, is not read again).
fn read_file(path: &Path, budget: &mut Budget) -> Result<Source, Problem> {
    let shown = path_line(path);
    match read_within(path, BULLETIN_CAP, budget) {
        Ok(Outcome::Bytes(bytes, opened)) => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(Source {
                name: sanitize_line(&name),
                display: shown,
                origin: Origin::User,
                bytes,
                identity: Some(FileIdentity::of(&opened)),
            })
        }
        Ok(Outcome::SameAs(first)) => Err(Problem {
            file: shown,
            message: format!("the same file as {first} (a link to it), which is already read; skipped"),
            loaded: true,
        }),
        Err(e) => Err(skip(&shown, format!("{}; skipped", e.refusal))),
    }
}

/// A file in a folder that is a PDF by content whatever its name ("通报（第9期）" without
/// an extension). Only regular files are opened, without blocking.
fn starts_like_pdf(path: &Path) -> bool {
    if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 5];
    open_nonblocking(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok() && &head == b"%PDF-"
}

fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied (cannot read it)".into(),
        _ => sanitize_line(&format!("cannot read it: {e}")),
    }
}

fn skip(file: &str, message: String) -> Problem {
    Problem { file: file.to_string(), message, loaded: false }
}

/// What a front end made of a file, before the parser's structure pass.
struct FrontEnd {
    parsed: ParsedBulletin,
    format: Format,
    encoding: &'static str,
    masthead: Masthead,
    /// 1-based page of each parser line (PDF only): articles get the page they start on.
    pages_of: Vec<usize>,
    /// The bulletin's identity (`identity::text_fingerprint`): of the decoded text, or of the
    /// PDF's text lines.
    fingerprint: u64,
    /// Pages of a PDF (0 for text).
    pages: usize,
    warnings: Vec<String>,
}

/// Reads a source with the front end its content calls for: PDF, converter text, or text.
fn read_source(src: &Source, vocab: &SectionVocab) -> Result<FrontEnd, String> {
    #[cfg(feature = "pdf")]
    if super::pdf::is_pdf(&src.bytes) {
        return read_pdf(src, vocab);
    }
    #[cfg(not(feature = "pdf"))]
    if src.bytes[..src.bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err("a PDF, and this kanbao was built without PDF support (feature `pdf`)".into());
    }
    let decoded = decode(&src.bytes).map_err(|e| e.to_string())?;
    // Form feeds separate a converter's pages; split before sanitizing removes them.
    let mut dropped = 0;
    let pages: Vec<String> = decoded
        .text
        .split('\x0c')
        .map(|page| {
            let clean = sanitize(page);
            let (capped, n) = cap_graphemes(&clean);
            dropped += n;
            capped.into_owned()
        })
        .collect();
    let mut warnings = decoded.warnings;
    warnings.extend(grapheme_warning(dropped));
    let fingerprint = text_fingerprint(&sanitize(&decoded.text));
    let (parsed, masthead) = if convert::is_converter_text(&pages) {
        let c = convert::normalise(&pages);
        (parse_lines(c.lines, vocab), c.masthead)
    } else {
        let text = pages.join("\n");
        let (text, masthead) = strip_masthead(&text);
        (parse(&text, vocab), masthead)
    };
    Ok(FrontEnd {
        parsed,
        format: Format::Text,
        encoding: decoded.encoding,
        masthead,
        pages_of: Vec::new(),
        fingerprint,
        pages: 0,
        warnings,
    })
}

/// The warning when `cap_graphemes` dropped code points (a hostile stack of marks).
fn grapheme_warning(dropped: usize) -> Option<String> {
    (dropped > 0).then(|| {
        format!(
            "{dropped} combining marks or joiners stacked on single characters were dropped (at most {MAX_GRAPHEME_CHARS} code points per character are kept)"
        )
    })
}

/// A masthead at the top of seed-style text: read, and blanked out (line numbers stay).
fn strip_masthead(text: &str) -> (std::borrow::Cow<'_, str>, Masthead) {
    let first: Vec<&str> =
        text.split('\n').map(|l| l.trim_matches(super::parse::is_space)).filter(|l| !l.is_empty()).take(8).collect();
    let Some((n, head)) = super::masthead::detect(&first) else {
        return (text.into(), Masthead::default());
    };
    let mut left = n;
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| {
            if left > 0 && !l.trim_matches(super::parse::is_space).is_empty() {
                left -= 1;
                ""
            } else {
                l
            }
        })
        .collect();
    (lines.join("\n").into(), head)
}

#[cfg(feature = "pdf")]
fn read_pdf(src: &Source, vocab: &SectionVocab) -> Result<FrontEnd, String> {
    let mut pdf = super::pdf::read(src.bytes.clone()).map_err(|e| e.to_string())?;
    let mut dropped = 0;
    for line in &mut pdf.lines {
        let (capped, n) = cap_graphemes(&line.text);
        if n > 0 {
            dropped += n;
            line.text = capped.into_owned();
        }
    }
    let mut warnings: Vec<String> = grapheme_warning(dropped).into_iter().collect();
    if pdf.pages_with_text * 4 < pdf.pages * 3 {
        warnings.push(format!(
            "text found on only {} of {} pages (the others may be scanned images); check the result",
            pdf.pages_with_text, pdf.pages
        ));
    }
    if pdf.furniture_lines * 5 > pdf.printed_lines {
        warnings.push(format!(
            "{} of {} printed lines were dropped as running heads and page numbers; check the result",
            pdf.furniture_lines, pdf.printed_lines
        ));
    }
    let text: Vec<&str> = pdf.lines.iter().map(|l| l.text.as_str()).collect();
    let fingerprint = text_fingerprint(&text.join("\n"));
    Ok(FrontEnd {
        parsed: parse_lines(pdf.lines, vocab),
        format: Format::Pdf,
        encoding: "PDF",
        masthead: pdf.masthead,
        pages_of: pdf.pages_of,
        fingerprint,
        pages: pdf.pages,
        warnings,
    })
}

/// Parses one source into a bulletin (ids are given by `Corpus::new`).
pub fn parse_source(
    src: &Source,
    opts: &LoadOptions,
    vocab: &SectionVocab,
) -> Result<(Bulletin, Vec<Problem>), Problem> {
    Ok(finish(parse_bytes(src, vocab)?, &src.display, opts))
}

/// What the parse cache keeps: the bulletin as the file alone makes it (no date override).
fn parse_bytes(src: &Source, vocab: &SectionVocab) -> Result<Parsed, Problem> {
    let read = read_source(src, vocab).map_err(|m| skip(&src.display, m))?;
    let warnings = read.warnings.iter().map(|w| sanitize_line(w)).collect();
    let parsed = read.parsed;
    if parsed.articles.is_empty() {
        return Err(skip(&src.display, "no articles found (the file is empty or has no text)".into()));
    }
    let gazetteer = Gazetteer::bundled();
    let mut articles = parsed.articles;
    for a in &mut articles {
        a.districts = article_districts(gazetteer, a);
        a.prints = Some(Prints::of(&a.title, a.paragraphs.first().map_or("", String::as_str)));
        a.page = a.line.checked_sub(1).and_then(|i| read.pages_of.get(i)).copied();
    }
    let paragraphs: Vec<&str> = articles.iter().flat_map(|a| a.paragraphs.iter().map(String::as_str)).collect();
    let inferred = infer_date(&paragraphs);
    let (mut date, mut evidence) = (inferred.date, inferred.evidence);
    let mut day = None;
    // What the masthead prints wins over what the text suggests.
    if let Some((year, month, d)) = read.masthead.date {
        date = Some(YearMonth { year, month });
        day = Some(d);
        evidence.insert(0, format!("printed on the masthead: {year}年{month}月{d}日"));
    }
    let bulletin = Bulletin {
        id: String::new(),
        source: src.name.clone(),
        origin: src.origin,
        date,
        date_evidence: evidence,
        title: articles[0].title.clone(),
        encoding: read.encoding,
        fingerprint: read.fingerprint,
        articles: Arc::new(articles),
        format: read.format,
        issue: read.masthead.issue,
        day,
        pages: read.pages,
        body: Default::default(),
    };
    Ok(Parsed { bulletin, warnings })
}

/// The file's warnings as problems, and the date the user set for it (manifest or config).
fn finish(parsed: Parsed, display: &str, opts: &LoadOptions) -> (Bulletin, Vec<Problem>) {
    let Parsed { mut bulletin, warnings } = parsed;
    let mut problems: Vec<Problem> =
        warnings.into_iter().map(|message| Problem { file: display.to_string(), message, loaded: true }).collect();
    if let Some(&d) = opts.dates.get(&bulletin.source) {
        bulletin.date_evidence.insert(0, format!("set to {d} by a manifest or config"));
        bulletin.date = Some(d);
        bulletin.day = None;
    }
    if bulletin.date.is_none() {
        problems.push(Problem {
            file: display.to_string(),
            message: "no date found in the text (listed last; a manifest.toml can set one)".into(),
            loaded: true,
        });
    }
    (bulletin, problems)
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

/// Loads the bundled seeds (unless left out), the user's files and folders, and returns the
/// corpus with every problem met on the way. With a cache folder, only files that are new or
/// changed since the last run are read and parsed.
pub fn load(paths: &[PathBuf], library: Option<&Path>, opts: LoadOptions) -> (Corpus, Vec<Problem>) {
    load_with(paths, library, opts, None, false).0.unwrap_or_default()
}

/// What a load read and made, for the next load of the reader (`R`): what it read (an `R` with
/// nothing new builds nothing), and its bulletins' articles by the cache entries they were made
/// from (an `R` after a file changed shares those that are the same, rather than holding them
/// twice).
#[derive(Debug, Default)]
pub struct Previous {
    pub inputs: Inputs,
    known: Known,
}

impl Previous {
    /// Bulletins whose articles are kept for sharing.
    pub fn known(&self) -> usize {
        self.known.len()
    }
}

/// A bulletin as its file gave it (before the date the user set), the name its file is shown
/// under (`path`), and, when it has a cache entry, its file's identity and the entry's CRC-32
/// (`sum`, for `Known`): a cache entry as the cache reads it, so a root read whole from its
/// cache hands its entries on as they stand (10,000 of them moved into other values took
/// milliseconds on one core).
type FromFile = Hit;

/// What a load read, as a digest: every file it found (its path and its identity: size, times,
/// inode, device), what listing them met, and every option that shapes the corpus (dates from
/// manifests and config, section labels, hidden bulletins, detail). Loads of the same inputs
/// make the same corpus, unless a file could not be read: that may pass without a trace in
/// its identity (a lock, permissions on Windows, the load's budget), so such a load is never
/// taken as the same as the next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inputs {
    digest: u64,
    all_read: bool,
}

/// `load`, unless its inputs are `previous`'s (the reader's `R` when nothing changed): then only
/// the files are listed, nothing is read, and the corpus is `None` (the one from then stands).
/// Else the bulletins of `previous` whose cache entries are the same are shared with the new
/// corpus, not made again: a reload holds what changed twice for a moment, not everything.
pub fn load_unless(
    paths: &[PathBuf],
    library: Option<&Path>,
    opts: LoadOptions,
    previous: Option<Previous>,
) -> (Option<(Corpus, Vec<Problem>)>, Previous) {
    load_with(paths, library, opts, previous, true)
}

/// `load_unless`; its bulletins are kept for the next load if `keep` (and the load is in full
/// detail: a lesser one is not shared). Without `keep` nothing is made for the next load: a
/// command's one load does not digest its inputs (10,000 paths hashed on one core).
fn load_with(
    paths: &[PathBuf],
    library: Option<&Path>,
    mut opts: LoadOptions,
    previous: Option<Previous>,
    keep: bool,
) -> (Option<(Corpus, Vec<Problem>)>, Previous) {
    let digest = keep;
    let keep = keep && opts.detail.full();
    let vocab = opts.vocab.clone().unwrap_or_else(SectionVocab::bundled);
    let roots: Vec<(PathBuf, bool)> =
        library.map(|l| (l.to_path_buf(), true)).into_iter().chain(paths.iter().map(|p| (p.clone(), false))).collect();
    // To compare, every root is listed first; else each is listed while its cache is read.
    let listed: Option<Vec<Listed>> = previous
        .as_ref()
        .map(|_| roots.iter().map(|(root, optional)| (root.clone(), find_files(root, *optional, &mut opts))).collect());
    let unchanged = match (&listed, &previous) {
        (Some(listed), Some(previous)) => {
            let digest =
                digest_of(listed.iter().map(|(root, (found, p))| (root.as_path(), &found[..], &p[..])), &opts, &vocab);
            previous.inputs.all_read && digest == previous.inputs.digest
        }
        _ => false,
    };
    if unchanged {
        return (None, previous.unwrap_or_default());
    }
    let known = previous.map(|p| p.known).filter(|_| keep);
    // The bundled seeds are parsed while the user's files load: a few milliseconds that would
    // otherwise come first, on one core.
    let (bundled, (from_roots, root_problems, inputs)) = std::thread::scope(|scope| {
        let vocab = &vocab;
        let seeds = opts.bundled.then(|| {
            scope.spawn(move || {
                let sources = bundled_sources();
                let refs: Vec<&Source> = sources.iter().collect();
                let shown: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
                shown.into_iter().zip(parse_all(&refs, vocab)).collect::<Vec<_>>()
            })
        });
        let none = Known::default();
        let known = keep.then(|| known.as_ref().unwrap_or(&none));
        let roots = load_roots(&roots, listed, &mut opts, vocab, known, digest);
        (seeds.map(|s| s.join().unwrap_or_else(|e| std::panic::resume_unwind(e))), roots)
    });
    drop(known);
    let mut problems = Vec::new();
    let mut seeds: Vec<FromFile> = Vec::new();
    for (shown, result) in bundled.into_iter().flatten() {
        match result {
            Ok(p) if opts.hidden.contains(&p.bulletin.fingerprint) => {}
            Ok(p) => seeds.push(FromFile { path: shown, identity: FileIdentity::default(), parsed: p, sum: None }),
            Err(p) => problems.push(p),
        }
    }
    problems.extend(root_problems);
    // The seeds, then the user's files: taken as they stand, not moved into one list first
    // (10,000 of them are megabytes to copy).
    let count = seeds.len() + from_roots.len();
    let parsed = seeds.into_iter().chain(from_roots);
    let mut bulletins: Vec<Bulletin> = Vec::with_capacity(count);
    // Each bulletin's text by the name of the file it was loaded from (an index into `names`).
    let mut seen: HashMap<u64, usize> = HashMap::with_capacity(count);
    let mut names: Vec<String> = Vec::with_capacity(count);
    // What is kept for the next load: each bulletin's entry, and its articles once the corpus
    // has given them their ids (then shared, they need no copy).
    let mut kept: Vec<(FileIdentity, u32, u64)> = Vec::new();
    for FromFile { path: shown, identity, parsed: p, sum } in parsed {
        // The same bulletin twice (a bundled seed copied into the library, or a GBK copy of a
        // UTF-8 file) would list twice: the same text is the same bulletin.
        if let Some(&first) = seen.get(&p.bulletin.fingerprint) {
            problems.push(Problem {
                file: shown,
                message: format!("same text as {}, which is already loaded; skipped", names[first]),
                loaded: true,
            });
            continue;
        }
        seen.insert(p.bulletin.fingerprint, names.len());
        if let Some(sum) = sum.filter(|_| keep) {
            kept.push((identity, sum, p.bulletin.fingerprint));
        }
        let (b, p) = finish(p, &shown, &opts);
        bulletins.push(b);
        problems.extend(p);
        names.push(shown);
    }
    super::parallel::drop_aside(names);
    let corpus = Corpus::with_detail(bulletins, opts.detail);
    let mut known = Known::default();
    if !kept.is_empty() {
        let by_print: HashMap<u64, usize> =
            corpus.bulletins.iter().enumerate().map(|(i, b)| (b.fingerprint, i)).collect();
        for (identity, sum, fingerprint) in kept {
            if let Some(&i) = by_print.get(&fingerprint) {
                known.insert(identity, sum, Arc::clone(&corpus.bulletins[i].articles));
            }
        }
    }
    (Some((corpus, problems)), Previous { inputs, known })
}

/// A root, its files and the problems met listing them.
type Listed = (PathBuf, (Vec<Found>, Vec<Problem>));

/// The digest of a load's inputs (see `Inputs`), once its roots are listed (their manifests
/// read): each root, its files and the problems met listing it.
fn digest_of<'a>(
    roots: impl Iterator<Item = (&'a Path, &'a [Found], &'a [Problem])>,
    opts: &LoadOptions,
    vocab: &SectionVocab,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for (root, found, problems) in roots {
        root.hash(&mut h);
        found.len().hash(&mut h);
        for f in found {
            f.path.hash(&mut h);
            FileIdentity::of(&f.meta).hash(&mut h);
        }
        for p in problems {
            (&p.file, &p.message).hash(&mut h);
        }
    }
    let mut dates: Vec<_> = opts.dates.iter().collect();
    dates.sort();
    dates.hash(&mut h);
    let mut hidden: Vec<_> = opts.hidden.iter().collect();
    hidden.sort();
    hidden.hash(&mut h);
    (opts.bundled, &opts.cache_dir, opts.detail.full(), vocab.labels()).hash(&mut h);
    h.finish()
}

/// The user's library folder and PATHs, root by root: their bulletins (with the name each is
/// shown under) and problems, in order, and the load's inputs (if `digest`; else inputs that
/// match no load's). Roots already `listed` are not listed again.
fn load_roots(
    roots: &[(PathBuf, bool)],
    listed: Option<Vec<Listed>>,
    opts: &mut LoadOptions,
    vocab: &SectionVocab,
    known: Option<&Known>,
    digest: bool,
) -> (Vec<FromFile>, Vec<Problem>, Inputs) {
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    // One budget for every file of this load (see `io::read`).
    let mut budget = Budget::default();
    let mut listed = listed.map(Vec::into_iter);
    let mut all_found: Vec<(PathBuf, Vec<Found>, Vec<Problem>)> = Vec::with_capacity(roots.len());
    let mut all_read = true;
    for (root, optional) in roots {
        let cache = opts.cache_dir.as_ref().map(|dir| RootCache::new(dir, root, vocab));
        let detail = opts.detail;
        // Each file as shown in messages, the name the cache keeps it under.
        let shown_all = |found: &[Found]| -> Vec<String> { found.iter().map(Found::shown).collect() };
        let read = |cache: &Option<RootCache>, listed: Option<(&[String], &[Found])>| {
            cache.as_ref().map(|c| match known {
                Some(known) => {
                    let now: Option<HashMap<&str, FileIdentity>> = listed.map(|(shown, found)| {
                        shown.iter().map(String::as_str).zip(found.iter().map(|f| FileIdentity::of(&f.meta))).collect()
                    });
                    c.read_sharing(Origin::User, &Sharing { known, now: now.as_ref() })
                }
                None => c.read(Origin::User, detail),
            })
        };
        let (cached, (found, p), shown) = match listed.as_mut().and_then(Iterator::next) {
            Some((_, found)) => {
                let shown = shown_all(&found.0);
                (read(&cache, Some((&shown, &found.0))), found, shown)
            }
            // The cache is read while the folder is listed (a `stat` per file): at 10,000
            // files the two take about as long.
            None => std::thread::scope(|scope| {
                let cached = scope.spawn(|| read(&cache, None));
                let listed = find_files(root, *optional, opts);
                let shown = shown_all(&listed.0);
                (cached.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), listed, shown)
            }),
        };
        problems.extend(p.iter().cloned());
        if !found.is_empty() {
            let root = Root { cache, cached, detail: opts.detail, known };
            all_read &= !load_root(root, &found, shown, vocab, &mut parsed, &mut problems, &mut budget);
        }
        all_found.push((root.clone(), found, p));
    }
    if !digest {
        // `all_read` false: no load is taken as the same as this one.
        return (parsed, problems, Inputs::default());
    }
    let digest = digest_of(all_found.iter().map(|(root, found, p)| (root.as_path(), &found[..], &p[..])), opts, vocab);
    (parsed, problems, Inputs { digest, all_read })
}

mod root;

use root::{Root, load_root};

type ParseResult = Result<Parsed, Problem>;

/// Parses the sources on every core (files are independent); results in the sources' order.
fn parse_all(sources: &[&Source], vocab: &SectionVocab) -> Vec<ParseResult> {
    parse_all_then(sources, vocab, |_, result| result)
}

/// `parse_all`, each result passed through `then` on the thread that made it.
fn parse_all_then<T: Send>(
    sources: &[&Source],
    vocab: &SectionVocab,
    then: impl Fn(&Source, ParseResult) -> T + Sync,
) -> Vec<T> {
    let one = |s: &Source| then(s, parse_bytes(s, vocab));
    // Threads only pay off for a real library, not the five bundled files. Each takes the next
    // file as it is free: files differ in size, and a thread left with the larger ones would
    // keep the other core idle.
    super::parallel::par_pieces_from(sources.len(), 32, 1, || (), |_, r| r.map(|i| one(sources[i])).collect())
        .into_iter()
        .flatten()
        .collect()
}
