//! Embeds every `seeds/*.txt` in the binary, so the reader runs from any folder, offline; and
//! records the git commit for `kanbao --version`.

use std::{env, fs, path::Path, process::Command};

fn main() {
    commit();
    no_pie();
    link_order();
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
    parser_build_id();
}

/// Links the Linux (glibc) program as a fixed-address executable instead of a position-
/// independent one. A PIE is relocated at every start: the loader reads ~23,000 relocations
/// (560 KB: pointers in static tables and vtables) and writes every page of `.data.rel.ro`
/// (460 KB) into private memory before `main`, 1.1 MB of every run's peak memory (7.2 MB for
/// `kanbao list` before; scripts/bench-memory.sh compares it with `less`). Fixed addresses cost the
/// executable's own address randomisation (libraries, stack and heap stay randomised); a
/// packager who wants it back builds with `KANBAO_PIE=1`. Other targets (Windows, the static
/// musl build) are left as they are.
fn no_pie() {
    println!("cargo:rerun-if-env-changed=KANBAO_PIE");
    let var = |k: &str| env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" && var("KANBAO_PIE") != "1" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Lays out the functions that starting kanbao runs side by side, in the order of
/// `scripts/link-order.txt` (written by `scripts/link-order.sh` from what the reader's start and
/// the common commands execute), instead of spread over the 5 MB of code in crate order. The
/// kernel maps a program's code 64 KB at a time around each page it runs, so spread start-up
/// code made 3.5 MB of the reader's 7.7 MB resident on the bundled bulletins; side by side it
/// is about 1 MB. Only where the linker is LLD (`--symbol-ordering-file`): Rust's default for
/// x86-64 Linux since 1.90, unless the build names its own linker. Names the file lacks, or
/// that another compiler version spells differently, are laid out as before: the order only
/// ever moves code, never changes it. `KANBAO_LINK_ORDER=0` turns it off.
fn link_order() {
    println!("cargo:rerun-if-env-changed=KANBAO_LINK_ORDER");
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let order = root.join("scripts/link-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    let var = |k: &str| env::var(k).unwrap_or_default();
    let rustc_minor = Command::new(env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().nth(1)?.split('.').nth(1)?.parse::<u32>().ok());
    let lld_by_default = var("TARGET") == "x86_64-unknown-linux-gnu" && rustc_minor.is_some_and(|m| m >= 90);
    // Any linker setting of the builder's own (another linker, linker features, link args):
    // it may not be LLD, and an unknown option would fail the link.
    let own_linker = var("CARGO_ENCODED_RUSTFLAGS").contains("link")
        || env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some();
    if lld_by_default && !own_linker && var("KANBAO_LINK_ORDER") != "0" && order.is_file() {
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// A fingerprint of everything that turns a file into a parsed bulletin (the core's sources and
/// the embedded data), so the parse cache never serves what an older parser made.
fn parser_build_id() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let mut files = Vec::new();
    for dir in ["src/domain", "assets"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let mut h: u64 = 0xcbf29ce484222325;
    for f in std::iter::once(env::var("CARGO_PKG_VERSION").unwrap().into_bytes())
        .chain(files.iter().map(|f| fs::read(f).unwrap_or_default()))
    {
        for b in f.iter().chain(&[0xff]) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
        }
    }
    println!("cargo:rustc-env=KANBAO_PARSER_BUILD={h:016x}");
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
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
