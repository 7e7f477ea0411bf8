use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use kanbao::cli::{AmbiguousArg, Cli, load_corpus, run};
use kanbao::domain::sanitize::sanitize_line;
use kanbao::domain::width::Ambiguous;
use kanbao::tui::state::{Settings, State, Status};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_some() {
        return run(cli);
    }
    reader(cli)
}

/// Opens the interactive reader.
fn reader(cli: Cli) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "kanbao: error: the reader needs a terminal; for pipes use `kanbao list`, `kanbao show ID` or `kanbao export`"
        );
        return ExitCode::from(2);
    }
    // Problems go to stderr now (seen after the reader closes) and to the status line.
    let (corpus, skipped) = load_corpus(&cli.global, &cli.paths);
    let open = match cli.open.as_deref().map(|id| (id, corpus.article(id))) {
        Some((id, None)) => {
            eprintln!("kanbao: error: no article with id {} (see `kanbao list`)", sanitize_line(id));
            return ExitCode::from(2);
        }
        Some((_, Some((b, a)))) => Some((
            corpus.bulletins.iter().position(|x| x.id == b.id).unwrap_or(0),
            b.articles.iter().position(|x| x.id == a.id).unwrap_or(0),
        )),
        None => None,
    };
    let (mode, probe) = match cli.global.ambiguous {
        Some(AmbiguousArg::Narrow) => (Ambiguous::Narrow, false),
        Some(AmbiguousArg::Wide) => (Ambiguous::Wide, false),
        Some(AmbiguousArg::Auto) | None => (Ambiguous::Narrow, true),
    };
    let settings = Settings { mode, ..Default::default() };
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut state = State::new(corpus, settings, size);
    if let Some((b, a)) = open {
        kanbao::tui::update::open(&mut state, b, a);
    }
    if skipped {
        state.status = Some(Status {
            text: "有文件未能读取：退出后可见详情  some files could not be read".into(),
            error: true,
        });
    }
    match kanbao::tui::run(state, probe) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kanbao: error: terminal: {e}");
            ExitCode::from(2)
        }
    }
}
