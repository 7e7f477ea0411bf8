//! The command line: arguments, and the non-interactive subcommands over the core.

mod grep;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

mod library;

use crate::domain::config::Config;
use crate::domain::corpus::{Corpus, LookupError};
use crate::domain::detail::Detail;
use crate::domain::export::write_json;
use crate::domain::finder::{Finder, MAX_TERMS, filter_ranked, parse_query};
use crate::domain::load::{LoadOptions, Previous, Problem, load, load_unless};
use crate::domain::page;
use crate::domain::parse::SectionVocab;
use crate::domain::paths::Paths;
use crate::domain::sanitize::{path_line, sanitize_cow, sanitize_line, sanitize_line_cow};
use crate::domain::width::{Ambiguous, str_width};
use crate::io::config_file::load_config;
use crate::io::read::{STDIN_CAP, read_stdin_capped};
use crate::{errln, outln};

#[derive(Parser, Debug)]
#[command(
    name = "kanbao",
    version,
    disable_version_flag = true,
    about = "看报: a terminal reader for the Chongqing trade-union bulletins"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: Global,
    /// Extra bulletin files (text or PDF), or folders of them.
    #[arg(value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Start with this article open (an id as in `kanbao list`, e.g. 2023-05/2).
    #[arg(long, value_name = "ID")]
    pub open: Option<String>,
    /// Print where the config, state, library and log files are, and exit.
    #[arg(long)]
    pub paths: bool,
    /// Print the version, the commit it was built from and the bundled corpus, and exit.
    #[arg(short = 'V', long)]
    pub version: bool,
}

/// Options that may stand before or after the subcommand.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Width of East Asian Ambiguous characters (“ ” … —): as your terminal draws them.
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub ambiguous: Option<AmbiguousArg>,
    /// Leave the bundled bulletins out.
    #[arg(long, global = true)]
    pub no_bundled: bool,
    /// Read this config file instead of the default one.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmbiguousArg {
    Narrow,
    Wide,
    /// Ask the terminal at start-up (the reader's default; elsewhere narrow).
    Auto,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Bulletins and their articles, as a table.
    List {
        /// Extra bulletin files (text or PDF), or folders of them.
        paths: Vec<PathBuf>,
    },
    /// The parsed corpus as JSON on stdout.
    Export {
        /// Extra bulletin files (text or PDF), or folders of them.
        paths: Vec<PathBuf>,
    },
    /// Finder results, best first: ID<TAB>date<TAB>title<TAB>districts (exit 1: nothing matched).
    Find {
        /// Query in fzf's syntax: words all match; 'exact, 'word', ^prefix, suffix$, !not, a | b;
        /// @district; Hanzi or pinyin (bishan, bs). May start with `-`.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Most results to print.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        /// Extra bulletin files (text or PDF), or folders of them.
        paths: Vec<PathBuf>,
    },
    /// Lines from stdin that match QUERY, best first, like `fzf --filter` (exit 1: nothing matched).
    Filter {
        /// Query, as for `find`. May start with `-` (`kanbao filter -x`, or after `--`).
        #[arg(allow_hyphen_values = true)]
        query: String,
    },
    /// Full-text search over every article: ID<TAB>title<TAB>snippet per matching article,
    /// newest bulletin first (exit 1: nothing matched).
    Grep {
        /// Words that must all occur (any order, anywhere in the article); "an exact phrase";
        /// !word leaves articles out. Full- and half-width forms match each other; Latin is
        /// case-insensitive unless the query has a capital. A query may start with '-'.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// One line per hit instead of per article.
        #[arg(long)]
        hits: bool,
        /// JSON lines for scripts: id, date, title, hits, field, index, start, end (char indices
        /// into the field as `kanbao export` gives it), snippet, lit.
        #[arg(long)]
        json: bool,
        /// Extra bulletin files, or folders of *.txt bulletins.
        paths: Vec<PathBuf>,
    },
    /// Copy bulletins into your library folder, after checking that each is a bulletin and
    /// not already there (in any encoding).
    Add {
        /// Bulletin files (text or PDF), or folders of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Add a file even if it does not look like a bulletin (no headline, no date).
        #[arg(long)]
        force: bool,
    },
    /// Remove a bulletin you added (a bundled one is hidden; `kanbao add` of it shows it again).
    Remove {
        /// Bulletin id as in `kanbao list` (an article id means its bulletin).
        id: String,
    },
    /// One article laid out exactly as the reading pane does, as plain text.
    Show {
        /// Article id as in `kanbao list`, e.g. 2023-05/2 (a bulletin id alone means its lead article).
        id: String,
        /// Columns to lay out for (default: the reader's measure, `column_width` in the config
        /// (76), or the terminal's width when narrower; 80 when not a terminal).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Extra bulletin files (text or PDF), or folders of them.
        paths: Vec<PathBuf>,
    },
    /// The man page (roff) on stdout; with --out-dir, kanbao.1 and a page per subcommand there.
    Man {
        /// Write the pages into this folder instead.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Shell completions on stdout (e.g. `kanbao completions bash > /etc/bash_completion.d/kanbao`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// What every command needs: the user's folders and config, with the config's warnings.
#[derive(Debug, Clone)]
pub struct Setup {
    pub paths: Option<Paths>,
    pub config: Config,
    pub warnings: Vec<String>,
}

impl Setup {
    /// Finds the folders, sets up the log, reads the config (`--config FILE` or the default).
    pub fn new(global: &Global) -> Setup {
        let paths = Paths::discover();
        if let Some(p) = &paths {
            crate::log::init(p.log_file.clone());
        }
        let file = global.config.clone().or_else(|| paths.as_ref().map(|p| p.config_file.clone()));
        let (config, warnings) = match file {
            Some(f) if global.config.is_some() && !f.exists() => {
                (Config::default(), vec![format!("{}: no such file; using defaults", path_line(&f))])
            }
            Some(f) => {
                let (c, w) = load_config(&f);
                (c, w.iter().map(ToString::to_string).collect())
            }
            None => (Config::default(), Vec::new()),
        };
        for w in &warnings {
            crate::log::line(&format!("config: {w}"));
        }
        Setup { paths, config, warnings }
    }

    /// The width mode for plain-text output: `--ambiguous`, else the config, else narrow
    /// (`auto` needs a terminal to ask).
    pub fn text_mode(&self, global: &Global) -> Ambiguous {
        match global.ambiguous {
            Some(AmbiguousArg::Wide) => Ambiguous::Wide,
            Some(AmbiguousArg::Narrow) => Ambiguous::Narrow,
            _ => self.config.ambiguous.fixed().unwrap_or(Ambiguous::Narrow),
        }
    }

    /// Loading options from the config: extra section labels and date overrides.
    pub fn load_options(&self, global: &Global) -> LoadOptions {
        let mut vocab = SectionVocab::bundled();
        vocab.extend(self.config.sections.iter().cloned());
        let dates = self.config.dates.iter().filter_map(|(f, d)| Some((f.clone(), d.parse().ok()?))).collect();
        let cache_dir = self.paths.as_ref().map(|p| p.cache_dir.clone());
        let hidden = self
            .paths
            .as_ref()
            .map(|p| crate::io::state_file::peek(&p.state_file).hidden_bulletins())
            .unwrap_or_default();
        LoadOptions { bundled: !global.no_bundled, dates, vocab: Some(vocab), cache_dir, hidden, detail: Detail::Full }
    }

    /// Loads the corpus: bundled, the library folder (if `with_library`), and `paths`.
    pub fn load(&self, global: &Global, paths: &[PathBuf], with_library: bool) -> (Corpus, Vec<Problem>) {
        self.load_detail(global, paths, with_library, Detail::Full)
    }

    /// `load` with the library, unless its inputs are `previous`'s (see `load_unless`).
    pub fn reload(
        &self,
        global: &Global,
        paths: &[PathBuf],
        previous: Option<Previous>,
    ) -> (Option<(Corpus, Vec<Problem>)>, Previous) {
        let library = self.paths.as_ref().map(|p| p.library.clone());
        load_unless(paths, library.as_deref(), self.load_options(global), previous)
    }

    /// `load`, building `detail` of each bulletin.
    pub fn load_detail(
        &self,
        global: &Global,
        paths: &[PathBuf],
        with_library: bool,
        detail: Detail,
    ) -> (Corpus, Vec<Problem>) {
        let library = self.paths.as_ref().filter(|_| with_library).map(|p| p.library.clone());
        load(paths, library.as_deref(), LoadOptions { detail, ..self.load_options(global) })
    }

    /// Whether PATH arguments are too much to read before the first frame: a folder, or more
    /// files or bytes than a moment's parsing (a stat of each file named, no reading).
    pub fn paths_are_large(&self, paths: &[PathBuf]) -> bool {
        const FILES: u64 = 32;
        const BYTES: u64 = 4 << 20;
        let (mut files, mut bytes) = (0u64, 0u64);
        for p in paths {
            // A folder's entries are looked at one by one, and the counting stops at the limit:
            // a `stat` of each of 10,000 files took 20 ms of the first frame.
            let sizes: Box<dyn Iterator<Item = u64>> = match std::fs::metadata(p) {
                Ok(m) if m.is_dir() => match std::fs::read_dir(p) {
                    Ok(entries) => Box::new(entries.flatten().map(|e| e.metadata().map_or(0, |m| m.len()))),
                    Err(_) => Box::new(std::iter::empty()),
                },
                Ok(m) => Box::new(std::iter::once(m.len())),
                Err(_) => Box::new(std::iter::once(0)),
            };
            for size in sizes {
                (files, bytes) = (files + 1, bytes + size);
                if files > FILES || bytes > BYTES {
                    return true;
                }
            }
        }
        false
    }

    /// Whether the user's library folder holds anything to read.
    pub fn library_has_files(&self) -> bool {
        self.paths.as_ref().and_then(|p| std::fs::read_dir(&p.library).ok()).is_some_and(|mut d| d.next().is_some())
    }
}

/// Loads the corpus for a command and reports config and file problems on stderr, one line
/// each. Returns whether a file had to be skipped.
pub fn load_corpus(setup: &Setup, global: &Global, paths: &[PathBuf]) -> (Corpus, bool) {
    load_corpus_with(setup, global, paths, true)
}

/// `load_corpus`, leaving the library folder out unless `with_library`.
pub fn load_corpus_with(setup: &Setup, global: &Global, paths: &[PathBuf], with_library: bool) -> (Corpus, bool) {
    report_load(setup, setup.load(global, paths, with_library))
}

/// `load_corpus_with`, with the library, and what it read (the reader's `R` compares with it)
/// with its problems.
pub fn load_corpus_inputs(
    setup: &Setup,
    global: &Global,
    paths: &[PathBuf],
) -> (Corpus, bool, (Previous, Vec<String>)) {
    let (loaded, inputs) = setup.reload(global, paths, None);
    let (corpus, problems) = loaded.unwrap_or_default();
    let lines = problems.iter().map(ToString::to_string).collect();
    let (corpus, skipped) = report_load(setup, (corpus, problems));
    (corpus, skipped, (inputs, lines))
}

/// `load_corpus`, building `detail` of each bulletin (`kanbao grep`: what search uses).
pub fn load_corpus_detail(setup: &Setup, global: &Global, paths: &[PathBuf], detail: Detail) -> (Corpus, bool) {
    report_load(setup, setup.load_detail(global, paths, true, detail))
}

/// Reports config and file problems of a load on stderr; whether a file had to be skipped.
fn report_load(setup: &Setup, (corpus, problems): (Corpus, Vec<Problem>)) -> (Corpus, bool) {
    for w in &setup.warnings {
        errln!("kanbao: warning: {w}");
    }
    let lines: Vec<String> =
        problems.iter().map(|p| format!("{}: {p}", if p.loaded { "warning" } else { "error" })).collect();
    for line in &lines {
        errln!("kanbao: {line}");
    }
    crate::log::lines(&lines);
    (corpus, problems.iter().any(|p| !p.loaded))
}

/// Runs a subcommand; `None` means "open the reader".
pub fn run(cli: Cli) -> ExitCode {
    let Some(command) = cli.command else { unreachable!("the reader is started by main") };
    // About kanbao itself: no config, files or corpus needed.
    match command {
        Command::Man { out_dir } => return man(out_dir.as_deref()),
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            crate::about::completions(Cli::command(), shell, &mut out);
            return finish(out.flush().map(|()| ExitCode::SUCCESS));
        }
        _ => {}
    }
    let setup = Setup::new(&cli.global);
    let g = &cli.global;
    let result = match command {
        Command::List { paths } => with_corpus(&setup, g, &paths, |c, out| list(c, setup.text_mode(g), out)),
        Command::Export { paths } => with_corpus(&setup, g, &paths, |c, out| match write_json(c, out) {
            Ok(()) => writeln!(out),
            // A body the parse cache cannot give (it was damaged after the load): one line.
            Err(e) if e.kind() == io::ErrorKind::Other => {
                let _ = out.flush();
                errln!("\nkanbao: error: {e}");
                std::process::exit(2)
            }
            Err(e) => Err(e),
        }),
        Command::Show { id, width, paths } => show(&setup, g, &id, width, &paths),
        Command::Add { files, force } => Ok(library::add(&setup, g, &files, force)),
        Command::Remove { id } => Ok(library::remove(&setup, g, &id)),
        Command::Find { query, limit, paths } => find(&setup, g, &query, limit, &paths),
        Command::Filter { query } => filter(&query),
        Command::Grep { query, hits, json, paths } => {
            grep::grep(&setup, g, grep::GrepArgs { query: &query, hits, json, paths: &paths })
        }
        Command::Man { .. } | Command::Completions { .. } => unreachable!("handled above"),
    };
    finish(result)
}

/// The exit code for a command's result: output that failed (a closed pipe, a full disk) makes
/// `exit_code` say so and exit 2.
fn finish(result: io::Result<ExitCode>) -> ExitCode {
    let code = match result {
        Ok(code) => code,
        // Output failed (a closed pipe, a full disk): `exit_code` says so and exits 2.
        Err(e) => {
            crate::io::out::stdout_failed(&e);
            ExitCode::FAILURE
        }
    };
    crate::io::out::exit_code(code)
}

/// `kanbao man [--out-dir DIR]`.
fn man(dir: Option<&Path>) -> ExitCode {
    let Some(dir) = dir else {
        let mut out = io::stdout().lock();
        let written = crate::about::man_page(Cli::command(), &mut out).and_then(|()| out.flush());
        return finish(written.map(|()| ExitCode::SUCCESS));
    };
    match crate::about::man_pages_into(Cli::command(), dir) {
        Ok(files) => {
            for f in files {
                outln!("{}", f.display());
            }
            finish(Ok(ExitCode::SUCCESS))
        }
        Err(e) => {
            errln!("kanbao: error: cannot write man pages into {}: {e}", path_line(dir));
            ExitCode::from(2)
        }
    }
}

fn with_corpus(
    setup: &Setup,
    global: &Global,
    paths: &[PathBuf],
    f: impl FnOnce(&Corpus, &mut dyn Write) -> io::Result<()>,
) -> io::Result<ExitCode> {
    let (corpus, skipped) = load_corpus(setup, global, paths);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    f(&corpus, &mut out)?;
    out.flush()?;
    // The process ends next: freeing a large corpus string by string only costs time.
    std::mem::forget(corpus);
    Ok(if skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn show(setup: &Setup, global: &Global, id: &str, width: Option<u16>, paths: &[PathBuf]) -> io::Result<ExitCode> {
    let (corpus, skipped) = load_corpus(setup, global, paths);
    let (bulletin, article) = match corpus.lookup(id) {
        Ok((b, a)) => match corpus.bulletins[b].whole_article(a) {
            Ok(article) => (&corpus.bulletins[b], article),
            Err(e) => {
                errln!("kanbao: error: {}", e.0);
                return Ok(ExitCode::from(2));
            }
        },
        Err(e) => {
            errln!("kanbao: error: {}", lookup_message(id, &e));
            return Ok(ExitCode::from(2));
        }
    };
    let width = width.map_or_else(|| show_width(setup.config.column_width), usize::from);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for row in page::rows(bulletin, &article, width, setup.text_mode(global), setup.config.indent) {
        writeln!(out, "{}", row.text)?;
    }
    out.flush()?;
    Ok(if skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Why `id` names no article, as one line.
pub fn lookup_message(id: &str, e: &LookupError) -> String {
    match e {
        LookupError::NotFound => format!("no article with id {} (see `kanbao list`)", sanitize_line(id)),
        LookupError::Ambiguous(_) => format!("{}: {e}", sanitize_line(id)),
    }
}

/// In a terminal, the reader's measure (`column`), or the terminal's width when narrower: a
/// line as long as a 200-column window is hard to read. Else 80 (a pipe has no width).
fn show_width(column: u16) -> usize {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return 80;
    }
    terminal_width().min(usize::from(column.max(1)))
}

/// The terminal's width when stdout is one, else 80 (a pipe has no width).
fn terminal_width() -> usize {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return 80;
    }
    crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w.max(1)))
}

fn find(setup: &Setup, global: &Global, query: &str, limit: usize, paths: &[PathBuf]) -> io::Result<ExitCode> {
    let (corpus, skipped) = load_corpus(setup, global, paths);
    let finder = Finder::of_corpus(&corpus);
    warn_capped(query);
    let mut hits = finder.search(query, usize::MAX);
    let found = hits.len();
    hits.truncate(limit);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for hit in &hits {
        let e = finder.entry(hit.index);
        let date = e.date.map_or("-".to_string(), |(y, m)| format!("{y}-{m:02}"));
        let districts: Vec<&str> = e.districts().collect();
        writeln!(out, "{}\t{date}\t{}\t{}", e.id, sanitize_line(e.title), districts.join(" "))?;
    }
    out.flush()?;
    if found > hits.len() {
        errln!("({} of {found} shown; --limit N for more)", hits.len());
    }
    // As in `with_corpus`: the process ends next.
    std::mem::forget((corpus, finder));
    Ok(match (skipped, hits.is_empty()) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    })
}

/// `kanbao filter`: the finder's matcher over stdin lines. Lines are printed as read, minus
/// control characters (they may come from anywhere).
fn filter(query: &str) -> io::Result<ExitCode> {
    let bytes = read_stdin_capped(STDIN_CAP)?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    warn_capped(query);
    let ranked = filter_ranked(&lines, query);
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    for (i, _) in &ranked {
        out.write_all(sanitize_cow(lines[*i]).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if ranked.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Says on stderr when a query had more terms than the finder takes.
fn warn_capped(query: &str) {
    let pattern = parse_query(query);
    if pattern.dropped > 0 {
        errln!(
            "kanbao: warning: the query has {} different terms; only the first {MAX_TERMS} are used",
            pattern.typed_terms()
        );
    }
}

/// `kanbao --paths`.
/// `kanbao lsit`: when the first path names no file or folder and reads like a command, the
/// error a user expects ("unknown command 'lsit' (did you mean list?)"), not a reader with
/// "lsit: no such file" in it. A missing path that looks like a path (a `/` or a `.` in it) is
/// left to the loader, which names it.
pub fn unknown_command(files: &[PathBuf]) -> Option<String> {
    let first = files.first()?;
    let word = first.to_str()?;
    let pathlike = word.is_empty() || word.contains(['/', '.', std::path::MAIN_SEPARATOR]);
    if pathlike || first.symlink_metadata().is_ok() {
        return None;
    }
    let shown = sanitize_line(word);
    let cli = <Cli as clap::CommandFactory>::command();
    let commands: Vec<String> = cli.get_subcommands().map(|c| c.get_name().to_string()).collect();
    let best = commands
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= if c.len() > 3 { 2 } else { 1 } || (word.len() >= 2 && c.starts_with(word)))
        .min();
    Some(match best {
        Some((_, c)) => format!("unknown command '{shown}' (did you mean {c}?)"),
        None => {
            format!("unknown command '{shown}', and no file or folder of that name (commands: {})", commands.join(", "))
        }
    })
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: "lsit" is one
/// from "list".
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Paths come from HOME and XDG variables: printed escaped, so a hostile value cannot reach
/// the terminal.
pub fn print_paths() -> ExitCode {
    let code = match Paths::discover() {
        Some(p) => {
            outln!("config   {}", path_line(&p.config_file));
            outln!("state    {}", path_line(&p.state_file));
            outln!("library  {}", path_line(&p.library));
            outln!("log      {}", path_line(&p.log_file));
            outln!("cache    {}", path_line(&p.cache_dir));
            ExitCode::SUCCESS
        }
        None => {
            errln!("kanbao: error: {}: nothing can be saved", Paths::why_none());
            ExitCode::from(2)
        }
    };
    crate::io::out::exit_code(code)
}

/// One block per bulletin, oldest first: its id, lead headline, date (when the id does not say
/// it) and file, then its articles.
pub fn list(corpus: &Corpus, mode: Ambiguous, out: &mut dyn Write) -> io::Result<()> {
    // One line buffer for the whole run: 10,000 bulletins are some 60,000 lines.
    let mut line = String::new();
    let pad = |line: &mut String, s: &str, w: usize| {
        line.push_str(s);
        line.extend(std::iter::repeat_n(' ', w.saturating_sub(str_width(s, mode))));
    };
    for (i, b) in corpus.bulletins.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let date = b.date.map_or("undated".to_string(), |d| d.to_string());
        // The id starts with the month already (`2023-05-cfb`); say the date only if it does not.
        let date = if b.id.starts_with(&date) { String::new() } else { format!("{date}, ") };
        let mine = if b.origin == crate::domain::corpus::Origin::User { ", yours" } else { "" };
        // Titles may hold tabs (only control characters are gone): flatten them for the table.
        let (id, title, source) = (sanitize_line_cow(&b.id), sanitize_line_cow(&b.title), sanitize_line_cow(&b.source));
        let n = library::articles(b.articles.len());
        writeln!(out, "{id}  {title}  ({date}{source}, {n}{mine})")?;
        let id_w = b.articles.iter().map(|a| a.id.len()).max().unwrap_or(0);
        let sec_w = b.articles.iter().map(|a| str_width(a.section.as_deref().unwrap_or("-"), mode)).max().unwrap_or(0);
        for a in b.articles.iter() {
            line.clear();
            line.push_str("  ");
            pad(&mut line, &a.id, id_w);
            line.push_str("  ");
            pad(&mut line, &sanitize_line_cow(a.section.as_deref().unwrap_or("-")), sec_w);
            line.push_str("  ");
            line.push_str(&sanitize_line_cow(&a.title));
            if let Some((first, rest)) = a.districts.split_first() {
                line.push_str("  [");
                line.push_str(first);
                for d in rest {
                    line.push(' ');
                    line.push_str(d);
                }
                line.push(']');
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}
