//! Finding and reading bulletin files: the files and folders named on the command line, the
//! user's library folder, and `manifest.toml` date overrides beside them. Every read goes
//! through `io::read` with one [`Budget`] per load; what the bytes mean is `domain::load`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::domain::corpus::{Corpus, Origin};
use crate::domain::dates::YearMonth;
use crate::domain::load::{LoadOptions, Problem, Source, build, skip};
use crate::domain::sanitize::sanitize_line;
use crate::io::read::{BULLETIN_CAP, Budget, MANIFEST_CAP, Outcome, Refusal, read_within};

/// Loads the bundled seeds (unless left out), the user's library folder and `paths`, and
/// returns the corpus with every problem met on the way.
pub fn load(paths: &[PathBuf], library: Option<&Path>, mut opts: LoadOptions) -> (Corpus, Vec<Problem>) {
    let mut budget = Budget::default();
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    if let Some(lib) = library {
        let (s, p) = read_paths_within(&[lib.to_path_buf()], true, &mut opts, &mut budget);
        sources.extend(s);
        problems.extend(p);
    }
    let (s, p) = read_paths_within(paths, false, &mut opts, &mut budget);
    sources.extend(s);
    problems.extend(p);
    build(sources, problems, &opts)
}

/// Reads files and folders (their `*.txt`, and date overrides from a `manifest.toml` beside
/// them). A folder that does not exist is no problem when `optional` (the user library).
pub fn read_paths(paths: &[PathBuf], optional: bool, opts: &mut LoadOptions) -> (Vec<Source>, Vec<Problem>) {
    read_paths_within(paths, optional, opts, &mut Budget::default())
}

fn read_paths_within(
    paths: &[PathBuf],
    optional: bool,
    opts: &mut LoadOptions,
    budget: &mut Budget,
) -> (Vec<Source>, Vec<Problem>) {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let shown = sanitize_line(&path.display().to_string());
        // Only to tell a folder from a file: the file itself is checked on the opened handle.
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => read_dir(path, &mut sources, &mut problems, opts, budget),
            Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => problems.push(skip(&shown, reason(&Refusal::from_io(&e)))),
            Ok(_) => read_bulletin(path, &mut sources, &mut problems, budget),
        }
    }
    (sources, problems)
}

fn read_dir(
    dir: &Path,
    sources: &mut Vec<Source>,
    problems: &mut Vec<Problem>,
    opts: &mut LoadOptions,
    budget: &mut Budget,
) {
    let shown = sanitize_line(&dir.display().to_string());
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.push(skip(&shown, reason(&Refusal::from_io(&e)))),
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        if name == "manifest.toml" {
            if let Err(m) = read_manifest(&path, &mut opts.dates, budget) {
                problems.push(Problem { file: sanitize_line(&path.display().to_string()), message: m, loaded: true });
            }
        } else if name.ends_with(".txt") {
            read_bulletin(&path, sources, problems, budget);
        }
    }
}

fn read_bulletin(path: &Path, sources: &mut Vec<Source>, problems: &mut Vec<Problem>, budget: &mut Budget) {
    let shown = sanitize_line(&path.display().to_string());
    match read_within(path, BULLETIN_CAP, budget) {
        Ok(Outcome::Bytes(bytes)) => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            sources.push(Source { name: sanitize_line(&name), display: shown, origin: Origin::User, bytes });
        }
        Ok(Outcome::SameAs(first)) => problems.push(Problem {
            file: shown,
            message: format!("the same file as {first} (a link to it), which is already read; skipped"),
            loaded: true,
        }),
        Err(e) => problems.push(skip(&shown, reason(&e.refusal))),
    }
}

/// `[dates]` table: `"file.txt" = "2023-05"`.
fn read_manifest(path: &Path, dates: &mut HashMap<String, YearMonth>, budget: &mut Budget) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        dates: HashMap<String, String>,
    }
    let bytes = match read_within(path, MANIFEST_CAP, budget) {
        Ok(Outcome::Bytes(bytes)) => bytes,
        Ok(Outcome::SameAs(_)) => return Ok(()),
        Err(e) => return Err(format!("{}; its dates are not used", e.refusal)),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8 text; its dates are not used".to_string())?;
    let m: Manifest =
        toml::from_str(text).map_err(|e| sanitize_line(&format!("not a valid manifest: {}", e.message())))?;
    for (file, date) in m.dates {
        let ym = date
            .parse::<YearMonth>()
            .map_err(|_| sanitize_line(&format!("date for {file} should look like 2023-05, not {date:?}")))?;
        dates.insert(file, ym);
    }
    Ok(())
}

/// The problem, for a line that already names the file.
fn reason(refusal: &Refusal) -> String {
    format!("{refusal}; skipped")
}
