//! The layers, checked: the core never touches the terminal, and views only read the state.
//! Import circles are checked separately (`python3 /work/shared/tools/modgraph.py src`).

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files under `src/<dir>` whose code (comments left out) mentions any of `names`.
fn offenders(dir: &str, names: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "no Rust files under {}", root.display());
    let mut bad = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("readable source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if let Some(name) = names.iter().find(|name| code.contains(*name)) {
                bad.push(format!("{}:{}: {name}", file.display(), n + 1));
            }
        }
    }
    bad
}

#[test]
fn the_domain_never_imports_the_terminal_crates() {
    let bad = offenders("domain", &["ratatui", "crossterm"]);
    assert!(bad.is_empty(), "src/domain must stay free of terminal crates:\n{}", bad.join("\n"));
}

#[test]
fn views_read_the_state_and_never_call_update() {
    let bad = offenders("tui/view", &["update::", "update::{"]);
    assert!(bad.is_empty(), "views import only the state:\n{}", bad.join("\n"));
}

#[test]
fn the_check_finds_what_it_looks_for() {
    // The scan itself works: the shell does use the terminal crates.
    assert!(!offenders("tui", &["crossterm"]).is_empty());
}
