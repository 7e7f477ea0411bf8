//! Embeds every `seeds/*.txt` in the binary, so the reader runs from any folder, offline; and
//! records the git commit for `kanbao --version`.

use std::{env, fs, path::Path, process::Command};

fn main() {
    commit();
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("seeds");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("seeds/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut out = String::from("pub static SEEDS: &[(&str, &[u8])] = &[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!("    ({n:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("seeds.rs"), out).unwrap();
}

/// Sets KANBAO_COMMIT ("03dd216c1a2b 2026-11-30") and KANBAO_COMMIT_DATE for the crate. Outside
/// a git checkout (a source tarball, no git installed) it says so, unless the builder names the
/// commit in the environment variable KANBAO_COMMIT.
fn commit() {
    println!("cargo:rerun-if-env-changed=KANBAO_COMMIT");
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).current_dir(env::var("CARGO_MANIFEST_DIR").ok()?).output().ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
    };
    let (commit, date) = match (env::var("KANBAO_COMMIT"), git(&["log", "-1", "--format=%h %cs", "--abbrev=12"])) {
        (Ok(given), _) if !given.trim().is_empty() => (given.trim().to_owned(), String::new()),
        (_, Some(line)) => {
            let date = line.split_once(' ').map_or("", |(_, d)| d).to_owned();
            (format!("commit {line}"), date)
        }
        _ => ("commit unknown: not built from a git checkout".to_owned(), String::new()),
    };
    // A new commit or a checkout changes HEAD or the branch it points at. Only files that exist
    // are named: cargo would otherwise rerun this script on every build.
    for path in ["HEAD", "packed-refs"].map(String::from).into_iter().chain(git(&["symbolic-ref", "-q", "HEAD"])) {
        if let Some(file) = git(&["rev-parse", "--path-format=absolute", "--git-path", &path])
            && Path::new(&file).exists()
        {
            println!("cargo:rerun-if-changed={file}");
        }
    }
    println!("cargo:rustc-env=KANBAO_COMMIT={commit}");
    println!("cargo:rustc-env=KANBAO_COMMIT_DATE={date}");
}
