//! The command line: arguments, and the non-interactive subcommands over the core.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::corpus::Corpus;
use crate::domain::export::to_json;
use crate::domain::load::{LoadOptions, Problem, load};
use crate::domain::page;
use crate::domain::paths::Paths;
use crate::domain::sanitize::sanitize_line;
use crate::domain::width::{Ambiguous, str_width};

#[derive(Parser, Debug)]
#[command(name = "kanbao", version, about = "看报: a terminal reader for the Chongqing trade-union bulletins")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: Global,
    /// Extra bulletin files, or folders of *.txt bulletins.
    pub paths: Vec<PathBuf>,
    /// Start with this article open (an id as in `kanbao list`, e.g. 2023-05/2).
    #[arg(long, value_name = "ID")]
    pub open: Option<String>,
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
        /// Extra bulletin files, or folders of *.txt bulletins.
        paths: Vec<PathBuf>,
    },
    /// The parsed corpus as JSON on stdout.
    Export {
        /// Extra bulletin files, or folders of *.txt bulletins.
        paths: Vec<PathBuf>,
    },
    /// One article laid out exactly as the reading pane does, as plain text.
    Show {
        /// Article id as in `kanbao list`, e.g. 2023-05/2 (a bulletin id alone means its lead article).
        id: String,
        /// Columns to lay out for (default: the terminal's width, 80 when not a terminal).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Extra bulletin files, or folders of *.txt bulletins.
        paths: Vec<PathBuf>,
    },
}

impl Global {
    /// The width mode for plain-text output: narrow unless asked (auto needs a terminal to ask).
    pub fn text_mode(&self) -> Ambiguous {
        match self.ambiguous {
            Some(AmbiguousArg::Wide) => Ambiguous::Wide,
            _ => Ambiguous::Narrow,
        }
    }
}

/// Loads the corpus for a command and reports file problems on stderr, one line each.
/// Returns whether a file had to be skipped.
pub fn load_corpus(global: &Global, paths: &[PathBuf]) -> (Corpus, bool) {
    let library = Paths::discover().map(|p| p.library);
    let opts = LoadOptions { bundled: !global.no_bundled, ..Default::default() };
    let (corpus, problems) = load(paths, library.as_deref(), opts);
    report(&problems);
    (corpus, problems.iter().any(|p| !p.loaded))
}

fn report(problems: &[Problem]) {
    let mut err = io::stderr().lock();
    for p in problems {
        let kind = if p.loaded { "warning" } else { "error" };
        let _ = writeln!(err, "kanbao: {kind}: {p}");
    }
}

/// Runs a subcommand; `None` means "open the reader".
pub fn run(cli: Cli) -> ExitCode {
    let Some(command) = cli.command else { unreachable!("the reader is started by main") };
    let result = match command {
        Command::List { paths } => with_corpus(&cli.global, &paths, |c, out| list(c, cli.global.text_mode(), out)),
        Command::Export { paths } => with_corpus(&cli.global, &paths, |c, out| writeln!(out, "{}", to_json(c))),
        Command::Show { id, width, paths } => show(&cli.global, &id, width, &paths),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`kanbao list | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kanbao: error: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

fn with_corpus(
    global: &Global,
    paths: &[PathBuf],
    f: impl FnOnce(&Corpus, &mut dyn Write) -> io::Result<()>,
) -> io::Result<ExitCode> {
    let (corpus, skipped) = load_corpus(global, paths);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    f(&corpus, &mut out)?;
    out.flush()?;
    Ok(if skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn show(global: &Global, id: &str, width: Option<u16>, paths: &[PathBuf]) -> io::Result<ExitCode> {
    let (corpus, skipped) = load_corpus(global, paths);
    let Some((bulletin, article)) = corpus.article(id) else {
        eprintln!("kanbao: error: no article with id {} (see `kanbao list`)", sanitize_line(id));
        return Ok(ExitCode::from(2));
    };
    let width = width.map_or_else(terminal_width, usize::from);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for row in page::rows(bulletin, article, width, global.text_mode(), true) {
        writeln!(out, "{}", row.text)?;
    }
    out.flush()?;
    Ok(if skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// The terminal's width when stdout is one, else 80 (a pipe has no width).
fn terminal_width() -> usize {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return 80;
    }
    crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w.max(1)))
}

/// One block per bulletin, oldest first: its id, date and lead headline, then its articles.
pub fn list(corpus: &Corpus, mode: Ambiguous, out: &mut dyn Write) -> io::Result<()> {
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(str_width(s, mode))));
    for (i, b) in corpus.bulletins.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let date = b.date.map_or("undated".to_string(), |d| d.to_string());
        let mine = if b.origin == crate::domain::corpus::Origin::User { ", yours" } else { "" };
        writeln!(out, "{date}  {}  ({}, {} articles{mine})", b.title, b.source, b.articles.len())?;
        let id_w = b.articles.iter().map(|a| a.id.len()).max().unwrap_or(0);
        let sec_w = b.articles.iter().map(|a| str_width(a.section.as_deref().unwrap_or("-"), mode)).max().unwrap_or(0);
        for a in &b.articles {
            let section = a.section.as_deref().unwrap_or("-");
            let mut line = format!("  {}  {}  {}", pad(&a.id, id_w), pad(section, sec_w), a.title);
            if !a.districts.is_empty() {
                line.push_str(&format!("  [{}]", a.districts.join(" ")));
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
