//! From files to a corpus: find the files, read them safely, decode, sanitize, parse, and
//! find districts and dates. A bad file is reported in one line and skipped; the rest load.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::corpus::{Article, Bulletin, Corpus, Origin};
use super::dates::{YearMonth, infer_date};
use super::decode::decode;
use super::districts::Gazetteer;
use super::identity::text_fingerprint;
use super::parse::{SectionVocab, parse};
use super::sanitize::{sanitize, sanitize_line};

mod seeds {
    include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
}

/// Bulletins are small text files; anything much larger is not one, and reading it whole
/// would cost memory for nothing.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

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

/// Reads files and folders (their `*.txt`, and date overrides from a `manifest.toml` beside
/// them). A folder that does not exist is no problem when `optional` (the user library).
pub fn read_paths(paths: &[PathBuf], optional: bool, opts: &mut LoadOptions) -> (Vec<Source>, Vec<Problem>) {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let shown = sanitize_line(&path.display().to_string());
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                problems.push(skip(&shown, io_message(&e)));
                continue;
            }
        };
        if meta.is_dir() {
            read_dir(path, &mut sources, &mut problems, opts);
        } else {
            match read_file(path, &meta) {
                Ok(s) => sources.push(s),
                Err(m) => problems.push(skip(&shown, m)),
            }
        }
    }
    (sources, problems)
}

fn read_dir(dir: &Path, sources: &mut Vec<Source>, problems: &mut Vec<Problem>, opts: &mut LoadOptions) {
    let shown = sanitize_line(&dir.display().to_string());
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.push(skip(&shown, io_message(&e))),
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let shown = sanitize_line(&path.display().to_string());
        if name == "manifest.toml" {
            if let Err(m) = read_manifest(&path, &mut opts.dates) {
                problems.push(Problem { file: shown, message: m, loaded: true });
            }
            continue;
        }
        if !name.ends_with(".txt") {
            continue;
        }
        let result = fs::metadata(&path).map_err(|e| io_message(&e)).and_then(|m| read_file(&path, &m));
        match result {
            Ok(s) => sources.push(s),
            Err(m) => problems.push(skip(&shown, m)),
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
    let text = fs::read_to_string(path).map_err(|e| io_message(&e))?;
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

fn read_file(path: &Path, meta: &fs::Metadata) -> Result<Source, String> {
    // Never open a FIFO or device: opening a FIFO blocks until a writer comes.
    if !meta.is_file() {
        return Err("not a regular file (a pipe, socket or device?); skipped".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "too large for a bulletin ({} MB, the limit is {} MB); skipped",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Non-blocking open, then check what was opened: a file swapped for a FIFO between the
    // check above and the open must not block the load.
    let file = open_nonblocking(path).map_err(|e| io_message(&e))?;
    if !file.metadata().map_err(|e| io_message(&e))?.is_file() {
        return Err("not a regular file (a pipe, socket or device?); skipped".into());
    }
    // `take` bounds memory even if the file grows while we read it.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err("grew past the size limit while being read; skipped".into());
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Source {
        name: sanitize_line(&name),
        display: sanitize_line(&path.display().to_string()),
        origin: Origin::User,
        bytes,
    })
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
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
        fingerprint: text_fingerprint(&text),
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

/// Loads the bundled seeds (unless left out), the user's files and folders, and returns the
/// corpus with every problem met on the way.
pub fn load(paths: &[PathBuf], library: Option<&Path>, mut opts: LoadOptions) -> (Corpus, Vec<Problem>) {
    let mut sources = if opts.bundled { bundled_sources() } else { Vec::new() };
    let mut problems = Vec::new();
    if let Some(lib) = library {
        let (s, p) = read_paths(&[lib.to_path_buf()], true, &mut opts);
        sources.extend(s);
        problems.extend(p);
    }
    let (s, p) = read_paths(paths, false, &mut opts);
    sources.extend(s);
    problems.extend(p);
    let vocab = opts.vocab.clone().unwrap_or_else(SectionVocab::bundled);
    let sources: Vec<&Source> = sources.iter().collect();
    let mut bulletins: Vec<Bulletin> = Vec::with_capacity(sources.len());
    let mut seen: HashMap<u64, String> = HashMap::new();
    for (src, result) in sources.iter().zip(parse_all(&sources, &opts, &vocab)) {
        match result {
            Ok((b, p)) => {
                // The same bulletin twice (a bundled seed copied into the library, or a GBK copy
                // of a UTF-8 file) would list twice: the same text is the same bulletin.
                if let Some(first) = seen.get(&b.fingerprint) {
                    problems.push(Problem {
                        file: src.display.clone(),
                        message: format!("same text as {first}, which is already loaded; skipped"),
                        loaded: true,
                    });
                    continue;
                }
                seen.insert(b.fingerprint, src.display.clone());
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
