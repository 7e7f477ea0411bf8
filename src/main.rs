use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use kanbao::cli::{AmbiguousArg, Cli, Setup, load_corpus, print_paths, run};
use kanbao::domain::config::ThemeName;
use kanbao::domain::sanitize::sanitize_line;
use kanbao::domain::store::{LoadReport, Store};
use kanbao::domain::width::Ambiguous;
use kanbao::tui::keymap::Keymap;
use kanbao::tui::state::{Settings, State, Status};
use kanbao::tui::theme::Theme;
use kanbao::tui::{Edge, update};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.paths {
        return print_paths();
    }
    if cli.command.is_some() {
        return run(cli);
    }
    reader(cli)
}

/// Opens the interactive reader where the user left off.
fn reader(cli: Cli) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "kanbao: error: the reader needs a terminal; for pipes use `kanbao list`, `kanbao show ID` or `kanbao export`"
        );
        return ExitCode::from(2);
    }
    let setup = Setup::new(&cli.global);
    let config = &setup.config;
    // Problems go to stderr now (seen after the reader closes) and to the status line.
    let (corpus, skipped) = load_corpus(&setup, &cli.global, &cli.files);
    if let Some(id) = cli.open.as_deref()
        && corpus.article(id).is_none()
    {
        eprintln!("kanbao: error: no article with id {} (see `kanbao list`)", sanitize_line(id));
        return ExitCode::from(2);
    }
    let (mode, probe) = match (cli.global.ambiguous, config.ambiguous.fixed()) {
        (Some(AmbiguousArg::Narrow), _) => (Ambiguous::Narrow, false),
        (Some(AmbiguousArg::Wide), _) => (Ambiguous::Wide, false),
        (None, Some(fixed)) => (fixed, false),
        _ => (Ambiguous::Narrow, true),
    };
    let theme = Theme { mono: Theme::default().mono || config.theme == ThemeName::Mono };
    let settings = Settings {
        mode,
        indent: config.indent,
        theme,
        ascii_borders: config.ascii_borders,
        column_width: config.column_width,
    };
    let (store, saved, report) = match setup.paths.as_ref() {
        Some(p) => Store::open(p.state_file.clone()),
        None => {
            let (store, saved) = Store::unavailable();
            (store, saved, LoadReport::Fresh)
        }
    };
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut state = State::new(corpus, settings, size);
    state.keymap = Keymap::with_overrides(&config.keys);
    state.saved = saved;
    state.term = std::env::var("TERM").unwrap_or_default();
    // Start where asked, else where the user left off.
    let start = cli.open.clone().or_else(|| state.saved.last.as_ref().map(|p| p.id.clone()));
    if let Some((b, a)) = start.and_then(|id| state.find_article(&id)) {
        update::open(&mut state, b, a);
    }
    let mut notes: Vec<String> = Vec::new();
    if !matches!(report, LoadReport::Fresh | LoadReport::Loaded) {
        eprintln!("kanbao: warning: {report}");
        kanbao::log::line(&format!("state: {report}"));
        notes.push(report.to_string());
    }
    if setup.paths.is_none() {
        notes.push("无法保存：没有主目录 (HOME)  cannot save: no home folder".into());
    }
    if skipped {
        notes.push("有文件未能读取：退出后可见详情  some files could not be read (details on exit)".into());
    }
    notes.extend(setup.warnings.iter().map(|w| format!("设置 config: {w}")));
    if let Some(first) = notes.first() {
        state.status = Some(Status { text: first.clone(), error: true });
    }
    let reload_setup = &setup;
    let global = cli.global.clone();
    let files = cli.files.clone();
    let edge = Edge {
        store,
        probe,
        reload: Box::new(move || {
            let (corpus, problems) = reload_setup.load(&global, &files);
            (corpus, problems.iter().map(ToString::to_string).collect())
        }),
    };
    kanbao::log::line(&format!("start: kanbao {}", env!("CARGO_PKG_VERSION")));
    match kanbao::tui::run(state, edge) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            kanbao::log::line(&format!("terminal error: {e}"));
            eprintln!("kanbao: error: terminal: {e}");
            ExitCode::from(2)
        }
    }
}
