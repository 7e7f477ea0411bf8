use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use std::sync::Arc;

use kanbao::cli::{
    AmbiguousArg, Cli, Setup, load_corpus_inputs, load_corpus_with, lookup_message, print_paths, run, unknown_command,
};
use kanbao::domain::config::ThemeName;
use kanbao::domain::load::Previous;
use kanbao::domain::store::LoadReport;
use kanbao::domain::width::Ambiguous;
use kanbao::errln;
use kanbao::io::state_file::Store;
use kanbao::tui::keymap::Keymap;
use kanbao::tui::state::{Settings, State, Status};
use kanbao::tui::theme::Theme;
use kanbao::tui::{Edge, Loader, update};

fn main() -> ExitCode {
    kanbao::io::memory::grow_in_large_steps();
    let cli = Cli::parse();
    if cli.version {
        // `outln!` never panics on a closed pipe (`kanbao --version | true`).
        kanbao::outln!("{}", kanbao::about::version_text().trim_end_matches('\n'));
        return kanbao::io::out::exit_code(ExitCode::SUCCESS);
    }
    if cli.paths {
        return print_paths();
    }
    if cli.command.is_some() {
        return run(cli);
    }
    if let Some(message) = unknown_command(&cli.files) {
        eprintln!("kanbao: error: {message}");
        return ExitCode::from(2);
    }
    reader(cli)
}

/// Opens the interactive reader where the user left off.
fn reader(cli: Cli) -> ExitCode {
    // Keys come from the terminal: stdin when it is one, else /dev/tty (as less and fzf do), so
    // `echo hi | kanbao` works; only a missing terminal is an error.
    let piped = !std::io::stdin().is_terminal();
    if !std::io::stdout().is_terminal() || (piped && std::fs::File::open("/dev/tty").is_err()) {
        errln!(
            "kanbao: error: the reader needs a terminal; for pipes use `kanbao list`, `kanbao show ID` or `kanbao export`"
        );
        return ExitCode::from(2);
    }
    // A terminal that cannot move the cursor (TERM=dumb: Emacs shell buffers, some CI logs)
    // would show the full-screen reader's escape sequences as garbage.
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        errln!(
            "kanbao: error: TERM=dumb cannot show the full-screen reader; use `kanbao list` and `kanbao show ID`, or run it in a terminal such as xterm"
        );
        return ExitCode::from(2);
    }
    let setup = Setup::new(&cli.global);
    let config = &setup.config;
    // A large library is read after the first frame (the reader shows the bundled bulletins
    // at once); problems go to stderr now (seen after the reader closes) and to the status line.
    // So are large PATH arguments: the first frame must not wait for an archive.
    let later = setup.library_has_files() || setup.paths_are_large(&cli.files);
    let now: &[std::path::PathBuf] = if later { &[] } else { &cli.files };
    // What the start read, unless the library comes later: a first `R` then compares with it.
    let (corpus, skipped, read_at_start) = if later {
        let (corpus, skipped) = load_corpus_with(&setup, &cli.global, now, false);
        (corpus, skipped, None)
    } else {
        let (corpus, skipped, read) = load_corpus_inputs(&setup, &cli.global, now);
        (corpus, skipped, Some(read))
    };
    if let Some(id) = cli.open.as_deref()
        && let Err(e) = corpus.lookup(id)
        && !later
    {
        errln!("kanbao: error: {}", lookup_message(id, &e));
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
    let size = kanbao::tui::terminal::size().unwrap_or((80, 24));
    let mut state = State::new(corpus, settings, size);
    state.keymap = Keymap::with_overrides(&config.keys);
    let saved_at_start = saved.clone();
    state.saved = saved;
    // Marks follow their articles; old ids wait for the library when it is read later.
    state.saved_changed |= kanbao::domain::store::follow(&mut state.saved, &state.corpus, !later) > 0;
    state.term = std::env::var("TERM").unwrap_or_default();
    // Start where asked, else where the user left off; an article of the library opens when
    // the library has been read.
    let start = cli.open.clone().or_else(|| state.saved.last.as_ref().map(|p| p.id.clone()));
    match start.as_deref().map(|id| (id, state.find_article(id))) {
        Some((_, Some((b, a)))) => update::open(&mut state, b, a),
        Some((id, None)) if later => state.pending_open = Some(id.to_string()),
        _ => {}
    }
    let mut notes: Vec<String> = Vec::new();
    if !matches!(report, LoadReport::Fresh | LoadReport::Loaded) {
        errln!("kanbao: warning: {report}");
        kanbao::log::line(&format!("state: {report}"));
        notes.push(report.to_string());
    }
    if setup.paths.is_none() {
        notes.push(format!("无法保存：没有主目录 (HOME)  cannot save: {}", kanbao::domain::paths::Paths::why_none()));
    }
    if piped {
        notes.push("标准输入不读取：请把文件作为参数  stdin is not read; pass bulletin files as arguments".into());
    }
    if skipped {
        notes.push("有文件未能读取：退出后可见详情  some files could not be read (details on exit)".into());
    }
    notes.extend(setup.warnings.iter().map(|w| format!("设置 config: {w}")));
    if let Some(first) = notes.first() {
        // All of them are on stderr, seen after quitting; say how many there are, first (a long
        // message is cut at the right edge).
        let count = if notes.len() > 1 {
            format!("(1/{}, 全部退出后显示 all on exit) ", notes.len())
        } else {
            String::new()
        };
        state.status = Some(Status { text: format!("{count}{first}"), error: true });
    }
    let (loader_setup, global, files) = (setup.clone(), cli.global.clone(), cli.files.clone());
    // What the last load read and made, and its problems: a reload of the same files builds
    // nothing, and one after a change shares what did not change.
    let last: std::sync::Mutex<Option<(Previous, Vec<String>)>> = std::sync::Mutex::new(read_at_start);
    let reload: Loader = Arc::new(move || {
        let mut last = last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (previous, problems_then) = last.take().unzip();
        let (loaded, previous) = loader_setup.reload(&global, &files, previous);
        let (corpus, problems) = match (loaded, problems_then) {
            (Some((corpus, problems)), _) => (Some(corpus), problems.iter().map(ToString::to_string).collect()),
            (None, Some(problems)) => (None, problems),
            (None, None) => (None, Vec::new()),
        };
        *last = Some((previous, problems.clone()));
        (corpus, problems)
    });
    let mut edge = Edge::new(store, probe, reload, later);
    // Opening the article left open last time set its place: saved after the first frame.
    edge.saved_at_start = Some(saved_at_start);
    kanbao::log::line(&format!("start: kanbao {}", env!("CARGO_PKG_VERSION")));
    match kanbao::tui::run(state, edge) {
        Ok(None) => ExitCode::SUCCESS,
        // The reader said so on its status line; say it where it stays, now that the screen is
        // back, and fail: a script or a wrapper must not take a lost session for a good one.
        Ok(Some(unsaved)) => {
            errln!("kanbao: error: {unsaved}");
            ExitCode::from(2)
        }
        Err(e) => {
            kanbao::log::line(&format!("terminal error: {e}"));
            errln!("kanbao: error: terminal: {e}");
            ExitCode::from(2)
        }
    }
}
