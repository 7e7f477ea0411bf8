//! `kanbao add` and `kanbao remove`: the user's library, managed.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Global, Setup, lookup_message};
use crate::domain::corpus::{Bulletin, Corpus, Format, Origin};
use crate::domain::library::{copy_in, has_bulletin_structure, library_name, same_bulletin};
use crate::domain::load::{LoadOptions, Source, find_files, parse_source, read_paths};
use crate::domain::parse::SectionVocab;
use crate::domain::sanitize::{path_line, sanitize_line};
use crate::domain::store::unix_now;
use crate::io::state_file::Store;

/// What `add` and `remove` say: results on stdout, problems on stderr, and a closed stdout
/// (`kanbao add a b c | true`) neither stops the work nor panics: it only makes the exit code 2.
struct Report {
    failed: bool,
}

impl Report {
    fn done(&mut self, line: &str) {
        if writeln!(io::stdout(), "{line}").is_err() {
            self.failed = true;
        }
    }

    fn note(&mut self, line: &str) {
        let _ = writeln!(io::stderr(), "kanbao: {line}");
    }

    fn fail(&mut self, line: &str) {
        let _ = writeln!(io::stderr(), "kanbao: error: {line}");
        self.failed = true;
    }

    fn code(&self) -> ExitCode {
        if self.failed { ExitCode::from(2) } else { ExitCode::SUCCESS }
    }
}

/// "1 article", "2 articles".
pub fn articles(n: usize) -> String {
    if n == 1 { "1 article".into() } else { format!("{n} articles") }
}

/// How a file was read: "2024-09-25, 第9期（总第156期）, 4 articles, from PDF, 6 pages".
pub fn how_read(b: &Bulletin) -> String {
    let date = match (b.date, b.day) {
        (Some(d), Some(day)) => format!("{d}-{day:02}"),
        (Some(d), None) => d.to_string(),
        (None, _) => "undated".to_string(),
    };
    let issue = b.issue.as_deref().map(|i| format!(", {}", sanitize_line(i))).unwrap_or_default();
    let from = match (b.format, b.pages) {
        (Format::Pdf, 1) => ", from PDF, 1 page".to_string(),
        (Format::Pdf, n) => format!(", from PDF, {n} pages"),
        (Format::Text, _) => String::new(),
    };
    format!("{date}{issue}, {}{from}", articles(b.articles.len()))
}

/// `kanbao add FILE|DIR...`: every file is checked (it decodes, it is a bulletin, it is not
/// already in the library in any encoding or format) and copied in atomically under a name the
/// library reads. One line per file; every file is tried.
pub fn add(setup: &Setup, global: &Global, files: &[PathBuf], force: bool) -> ExitCode {
    let mut report = Report { failed: false };
    let Some(paths) = setup.paths.clone() else {
        report.fail("no library folder on this machine (is HOME set?)");
        return report.code();
    };
    let opts = setup.load_options(global);
    let vocab = opts.vocab.clone().unwrap_or_else(SectionVocab::bundled);
    // What the library holds now, bundled ones included (even hidden: adding one shows it).
    let all = LoadOptions { bundled: true, hidden: Default::default(), ..opts.clone() };
    let (mut corpus, _) = crate::domain::load::load(&[], Some(&paths.library), all);
    for file in files {
        let shown = path_line(file);
        if file.is_dir() {
            let (found, problems) = find_files(file, false, &mut opts.clone());
            if let Some(p) = problems.iter().find(|p| !p.loaded) {
                report.fail(&p.to_string());
            }
            if found.is_empty() {
                report.fail(&format!("{shown}: no bulletin files (*.txt) in this folder; nothing added"));
            }
            for f in found {
                add_one(&f.path, force, &paths.library, &opts, &vocab, &mut corpus, &mut report, setup);
            }
        } else {
            add_one(file, force, &paths.library, &opts, &vocab, &mut corpus, &mut report, setup);
        }
    }
    report.code()
}

#[allow(clippy::too_many_arguments)]
fn add_one(
    file: &Path,
    force: bool,
    library: &Path,
    opts: &LoadOptions,
    vocab: &SectionVocab,
    corpus: &mut Corpus,
    report: &mut Report,
    setup: &Setup,
) {
    let shown = path_line(file);
    let (sources, problems) = read_paths(&[file.to_path_buf()], false, &mut opts.clone());
    if let Some(p) = problems.first() {
        return report.fail(&format!("{shown}: {}", p.message));
    }
    let Some(src) = sources.first() else { return report.fail(&format!("{shown}: not a bulletin file")) };
    let bulletin = match parse_source(src, opts, vocab) {
        Ok((b, doubts)) => {
            // What looks doubtful (text on few PDF pages, much dropped as furniture) is said.
            for d in doubts.iter().filter(|d| !d.message.starts_with("no date found")) {
                report.note(&format!("{shown}: warning: {}", d.message));
            }
            b
        }
        Err(p) => return report.fail(&format!("{shown}: {}", p.message)),
    };
    if !force && !has_bulletin_structure(&bulletin) {
        return report.fail(&format!(
            "{shown}: does not look like a bulletin (no headline and no date found); `kanbao add --force` adds it anyway"
        ));
    }
    if let Some(same) = same_bulletin(corpus, &bulletin) {
        let (id, source, bundled) = (same.id.clone(), same.source.clone(), same.origin == Origin::Bundled);
        if bundled && unhide(setup, same) {
            return report.done(&format!("{shown} is the bundled bulletin {id}, which you had removed: shown again"));
        }
        let place = if bundled { "bundled with kanbao" } else { "in your library" };
        return report.note(&format!("{shown}: already {place} as {id} ({source}); not added"));
    }
    let Some(name) = library_name(file) else {
        return report.fail(&format!("{shown}: the file name is not valid Unicode; rename it first"));
    };
    match copy_in(library, &name, &src.bytes) {
        Ok(_) => {
            let id = added_id(corpus, bulletin);
            let (b, _) = corpus.lookup(&id).expect("just added");
            let b = &corpus.bulletins[b];
            let named = if name == src.name { String::new() } else { format!(" as {}", sanitize_line(&name)) };
            report.done(&format!("added {}{named}: {id} ({})", src.name, how_read(b)));
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => report.fail(&format!(
            "{shown}: another file named {} is already in the library; not replaced (rename one of them)",
            sanitize_line(&name)
        )),
        Err(e) => report.fail(&format!(
            "{shown}: cannot copy into {}: {}; nothing was added",
            path_line(library),
            sanitize_line(&e.to_string())
        )),
    }
}

/// Puts `b` into the corpus (for the next file's duplicate check) and returns its id.
fn added_id(corpus: &mut Corpus, mut b: Bulletin) -> String {
    b.origin = Origin::User;
    let fp = b.fingerprint;
    let mut all = std::mem::take(&mut corpus.bulletins);
    all.push(b);
    *corpus = Corpus::new(all);
    corpus.bulletins.iter().find(|b| b.fingerprint == fp).map(|b| b.id.clone()).unwrap_or_default()
}

/// Shows a hidden bundled bulletin again; whether it was hidden.
fn unhide(setup: &Setup, b: &Bulletin) -> bool {
    let Some(paths) = &setup.paths else { return false };
    let key = format!("{:016x}", b.fingerprint);
    let (mut store, mut state, _) = Store::open(paths.state_file.clone());
    if state.hidden.get(&key).is_none_or(|(on, _)| !on) {
        return false;
    }
    state.hidden.insert(key, (false, unix_now()));
    store.save(&state).is_ok()
}

/// `kanbao remove ID`: deletes a bulletin the user added from the library folder; a bundled
/// one is hidden (kept in the binary; `kanbao add` of it shows it again).
pub fn remove(setup: &Setup, global: &Global, id: &str) -> ExitCode {
    let mut report = Report { failed: false };
    let Some(paths) = setup.paths.clone() else {
        report.fail("no library folder on this machine (is HOME set?)");
        return report.code();
    };
    let (corpus, _) = setup.load(global, &[], true);
    let b = match corpus.lookup(id) {
        Ok((b, _)) => &corpus.bulletins[b],
        Err(e) => {
            report.fail(&lookup_message(id, &e));
            return report.code();
        }
    };
    let what = format!("{} ({}, {})", b.id, sanitize_line(&b.title), articles(b.articles.len()));
    if b.origin == Origin::Bundled {
        let (mut store, mut state, _) = Store::open(paths.state_file.clone());
        state.hidden.insert(format!("{:016x}", b.fingerprint), (true, unix_now()));
        match store.save(&state) {
            Ok(_) => report.done(&format!("hid bundled bulletin {what}; `kanbao add` of its file shows it again")),
            Err(e) => report.fail(&e.to_string()),
        }
        return report.code();
    }
    // The library file holding exactly this bulletin (not a PATH, not a file of the same name
    // with other text).
    match library_file_of(&paths.library, b) {
        Some(path) => match std::fs::remove_file(&path) {
            Ok(()) => report.done(&format!("removed {what}: deleted {}", path_line(&path))),
            Err(e) => report.fail(&format!("cannot delete {}: {e}", path_line(&path))),
        },
        None => report.fail(&format!("{} is not in your library folder (a file named on the command line?)", b.id)),
    }
    report.code()
}

fn library_file_of(library: &Path, b: &Bulletin) -> Option<PathBuf> {
    let (found, _) = find_files(library, true, &mut LoadOptions::default());
    found.into_iter().map(|f| f.path).find(|p| {
        let (sources, _): (Vec<Source>, _) = read_paths(std::slice::from_ref(p), false, &mut LoadOptions::default());
        sources.first().is_some_and(|s| {
            let vocab = SectionVocab::bundled();
            parse_source(s, &LoadOptions::default(), &vocab)
                .is_ok_and(|(parsed, _)| parsed.fingerprint == b.fingerprint)
        })
    })
}
