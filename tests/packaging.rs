//! What is shipped beside the binary: `--version`, the man pages, the shell completions and the
//! .deb built from Cargo.toml's cargo-deb metadata. Tests that need a tool (groff, a shell,
//! cargo-deb, dpkg-deb) skip with a printed reason without it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kanbao(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = kanbao(args);
    assert!(out.status.success(), "kanbao {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn have(tool: &str, probe: &[&str]) -> bool {
    let found = Command::new(tool).args(probe).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    if !found {
        println!("SKIPPED part: {tool} is not installed");
    }
    found
}

#[test]
fn version_names_the_version_the_commit_and_the_bundled_corpus() {
    let text = stdout(&["--version"]);
    let short = stdout(&["-V"]);
    assert_eq!(text, short);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(&format!("kanbao {} (", env!("CARGO_PKG_VERSION"))), "{text}");
    // A commit hash from git, or the reason there is none (a build outside a checkout).
    let commit = lines[0].split_once('(').unwrap().1;
    let hash = commit.strip_prefix("commit ").and_then(|c| c.split(' ').next()).unwrap_or("");
    assert!(hash.len() >= 7 && hash.chars().all(|c| c.is_ascii_hexdigit()) || commit.contains("unknown"), "{text}");
    // The counts are those of the corpus the commands load.
    let export: serde_json::Value = serde_json::from_str(&stdout(&["export"])).unwrap();
    let bulletins = export["bulletins"].as_array().unwrap();
    let articles: usize = bulletins.iter().map(|b| b["articles"].as_array().unwrap().len()).sum();
    assert_eq!(lines[1], format!("bundled corpus: {} bulletins, {articles} articles", bulletins.len()));
}

#[test]
fn man_page_renders_without_warnings_and_covers_every_subcommand() {
    let page = stdout(&["man"]);
    // The subcommands `kanbao --help` lists (but clap's own `help`).
    let help = stdout(&["--help"]);
    let commands = help.lines().skip_while(|l| !l.starts_with("Commands:")).skip(1).take_while(|l| l.starts_with("  "));
    let subs: Vec<&str> = commands.filter_map(|l| l.split_whitespace().next()).filter(|&s| s != "help").collect();
    assert!(subs.len() >= 8 && subs.contains(&"show") && subs.contains(&"man"), "{help}");
    for sub in &subs {
        assert!(page.contains(&format!("kanbao\\-{sub}(1)")), "no {sub} in the SUBCOMMANDS section");
    }
    let dir = tempfile::tempdir().unwrap();
    let listed = stdout(&["man", "--out-dir", dir.path().to_str().unwrap()]);
    let files: Vec<PathBuf> = listed.lines().map(PathBuf::from).collect();
    assert_eq!(files.len(), subs.len() + 1, "{listed}");
    assert!(files.iter().all(|f| f.exists()), "{listed}");
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), page, "kanbao.1 is the page `kanbao man` prints");
    if !have("groff", &["--version"]) {
        return;
    }
    for file in &files {
        let out = Command::new("groff").args(["-man", "-Tutf8", "-ww", "-z"]).arg(file).output().unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn completions_are_valid_scripts_for_each_shell() {
    for (shell, checker, args) in
        [("bash", "bash", &["-n"][..]), ("zsh", "zsh", &["-n"][..]), ("fish", "fish", &["--no-execute"][..])]
    {
        let script = stdout(&["completions", shell]);
        assert!(script.contains("kanbao") && script.contains("ambiguous"), "{shell}: {script}");
        if !have(checker, &["-c", "true"]) {
            continue;
        }
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &script).unwrap();
        let out = Command::new(checker).args(args).arg(file.path()).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let bad = kanbao(&["completions", "tcsh"]);
    assert!(!bad.status.success());
}

/// Builds the .deb from this test's binary with the Cargo.toml metadata, in a target folder of
/// its own (so `target/` is untouched), and checks what `dpkg-deb -c` lists.
#[test]
fn deb_installs_the_binary_man_pages_completions_and_docs() {
    let has_deb = Command::new("cargo").args(["deb", "--version"]).output().is_ok_and(|o| o.status.success());
    if !has_deb {
        println!("SKIPPED: cargo-deb is not installed (cargo install cargo-deb)");
        return;
    }
    if !have("dpkg-deb", &["--version"]) {
        return;
    }
    let target = tempfile::tempdir().unwrap();
    let release = target.path().join("release");
    std::fs::create_dir_all(release.join("assets/completions")).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_kanbao"), release.join("kanbao")).unwrap();
    // What scripts/release.sh does before `cargo deb`.
    stdout(&["man", "--out-dir", release.join("assets/man").to_str().unwrap()]);
    for (shell, name) in [("bash", "kanbao.bash"), ("zsh", "_kanbao"), ("fish", "kanbao.fish")] {
        std::fs::write(release.join("assets/completions").join(name), stdout(&["completions", shell])).unwrap();
    }
    gzip_man_pages(&release.join("assets/man"));
    let out_dir = target.path().join("out");
    let built = Command::new("cargo")
        .args(["deb", "--no-build", "--offline", "--fast", "--output"])
        .arg(&out_dir)
        .env("CARGO_TARGET_DIR", target.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(built.status.success(), "cargo deb: {}", String::from_utf8_lossy(&built.stderr));
    let deb = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"));
    let deb = deb.expect("cargo deb wrote a .deb");
    let listing = Command::new("dpkg-deb").arg("-c").arg(&deb).output().unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let files: Vec<&str> = listing.lines().filter_map(|l| l.split_whitespace().last()).collect();
    let binary = listing.lines().find(|l| l.ends_with("./usr/bin/kanbao")).expect("binary in the package");
    assert!(binary.starts_with("-rwxr-xr-x"), "{binary}");
    for path in [
        "./usr/share/man/man1/kanbao.1.gz",
        "./usr/share/man/man1/kanbao-show.1.gz",
        "./usr/share/bash-completion/completions/kanbao",
        "./usr/share/zsh/vendor-completions/_kanbao",
        "./usr/share/fish/vendor_completions.d/kanbao.fish",
        "./usr/share/doc/kanbao/README.md",
        "./usr/share/doc/kanbao/copyright",
        "./usr/share/doc/kanbao/LICENSE-MIT",
        "./usr/share/doc/kanbao/LICENSE-APACHE",
    ] {
        assert!(files.contains(&path), "{path} missing from the package:\n{listing}");
    }
    let info = Command::new("dpkg-deb").args(["-f"]).arg(&deb).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(
        info.contains("Package: kanbao") && info.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))),
        "{info}"
    );
}

/// Debian keeps man pages gzipped (as scripts/release.sh does, with `gzip -9n`).
fn gzip_man_pages(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let status = Command::new("gzip").arg("-9n").arg(&path).status().expect("gzip");
        assert!(status.success(), "gzip {}", path.display());
    }
}
