//! What kanbao says about itself: `--version` (version, commit, bundled corpus), the man page
//! (clap_mangen) and shell completions (clap_complete), all made from the clap definition so
//! they never drift from the real options. The callers pass the `clap::Command`.

use std::io::{self, Write};
use std::path::Path;

use clap_complete::Shell;

use crate::domain::load::{LoadOptions, load};

/// The commit the binary was built from (see build.rs): `03dd216c1a2b 2026-11-30`, or a reason
/// why it is unknown (built from a tarball, git missing).
pub const COMMIT: &str = env!("KANBAO_COMMIT");
/// The commit's date (YYYY-MM-DD), for the man page; empty when unknown.
const COMMIT_DATE: &str = env!("KANBAO_COMMIT_DATE");

/// `kanbao --version`: version and commit, then what is bundled, counted from the embedded
/// bulletins as the reader would load them.
pub fn version_text() -> String {
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..LoadOptions::default() });
    let bulletins = corpus.bulletins.len();
    let articles = corpus.article_count();
    format!(
        "kanbao {} ({COMMIT})\nbundled corpus: {bulletins} {}, {articles} {}\n",
        env!("CARGO_PKG_VERSION"),
        plural(bulletins, "bulletin"),
        plural(articles, "article"),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { word.to_owned() } else { format!("{word}s") }
}

/// The man page of `cmd` (section 1, roff) on `out`, with the FILES section clap knows nothing of.
pub fn man_page(cmd: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let mut roff = Vec::new();
    man(cmd).render(&mut roff)?;
    roff.extend_from_slice(FILES_SECTION.as_bytes());
    out.write_all(ascii_roff(&roff).as_bytes())
}

/// Writes `kanbao.1` and one page per subcommand (`kanbao-list.1`, ...) into `dir`; returns the
/// files written.
pub fn man_pages_into(cmd: clap::Command, dir: &Path) -> io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build(); // subcommands get their full names ("kanbao list") and global options
    let mut pages = vec![("kanbao.1".to_owned(), {
        let mut page = Vec::new();
        man_page(cmd.clone(), &mut page)?;
        page
    })];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = man(sub.clone());
        let mut roff = Vec::new();
        page.render(&mut roff)?;
        // clap_mangen names a subcommand's page after its display name ("kanbao-list.1").
        pages.push((page.get_filename(), ascii_roff(&roff).into_bytes()));
    }
    let mut written = Vec::new();
    for (name, bytes) in pages {
        let path = dir.join(name);
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Every non-ASCII character as a roff escape (`看` -> `\[u770B]`): an ASCII page renders the
/// same under any man/groff, whatever input encoding they assume.
fn ascii_roff(roff: &[u8]) -> String {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}

fn man(cmd: clap::Command) -> clap_mangen::Man {
    // clap's `help` subcommand gets no page, so the main page does not name one.
    let page = clap_mangen::Man::new(cmd.disable_help_subcommand(true))
        .manual("kanbao manual")
        .source(format!("kanbao {}", env!("CARGO_PKG_VERSION")));
    if COMMIT_DATE.is_empty() { page } else { page.date(COMMIT_DATE) }
}

/// Completions for `shell` on `out`.
pub fn completions(mut cmd: clap::Command, shell: Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut cmd, "kanbao", out);
}

/// Where kanbao keeps things (as `kanbao --paths` prints them on this machine).
const FILES_SECTION: &str = r#".SH FILES
Run \fBkanbao \-\-paths\fR to see the exact paths on this machine.
.TP
\fI~/.config/kanbao/config.toml\fR
Settings (Windows: \fI%APPDATA%\\kanbao\\config\\config.toml\fR).
.TP
\fI~/.local/share/kanbao/state.json\fR
Reading places and bookmarks (Windows: \fI%APPDATA%\\kanbao\\data\\state.json\fR).
.TP
\fI~/.local/share/kanbao/bulletins/\fR
Your library: bulletins added with \fBkanbao add\fR, read beside the bundled ones.
.TP
\fI~/.cache/kanbao/kanbao.log\fR
What happened at start\-up and what went wrong (Windows: \fI%LOCALAPPDATA%\\kanbao\\cache\\kanbao.log\fR). Kept under 1 MB: the lines before are in \fIkanbao.log.old\fR.
.SH SEE ALSO
Press \fB?\fR in the reader for its keys.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> clap::Command {
        clap::Command::new("kanbao")
            .version("9.9.9")
            .about("demo")
            .arg(clap::Arg::new("width").long("width").help("columns"))
            .subcommand(clap::Command::new("list").about("lists"))
            .subcommand(clap::Command::new("hidden").hide(true))
    }

    #[test]
    fn version_counts_the_embedded_bulletins() {
        let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..LoadOptions::default() });
        let text = version_text();
        assert!(text.starts_with(&format!("kanbao {} (", env!("CARGO_PKG_VERSION"))), "{text}");
        let counts =
            format!("bundled corpus: {} bulletins, {} articles\n", corpus.bulletins.len(), corpus.article_count());
        assert!(text.ends_with(&counts), "{text}");
        assert!(corpus.bulletins.len() > 1 && corpus.article_count() > corpus.bulletins.len());
    }

    #[test]
    fn plural_only_for_many() {
        assert_eq!(plural(1, "article"), "article");
        assert_eq!(plural(0, "article"), "articles");
        assert_eq!(plural(26, "article"), "articles");
    }

    #[test]
    fn man_page_has_the_options_and_the_files_section() {
        let mut out = Vec::new();
        man_page(demo(), &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with(".ie"), "roff from clap_mangen: {}", &page[..40]);
        assert!(page.contains(".TH kanbao 1"), "{page}");
        assert!(page.contains("\\-\\-width"), "{page}");
        assert!(page.contains(".SH FILES") && page.ends_with("for its keys.\n"), "{page}");
    }

    #[test]
    fn man_pages_are_ascii_with_escapes_for_the_rest() {
        assert_eq!(ascii_roff("看报 “a” \\-x\n".as_bytes()), "\\[u770B]\\[u62A5] \\[u201C]a\\[u201D] \\-x\n");
        assert_eq!(ascii_roff("\u{1F4F0}".as_bytes()), "\\[u1F4F0]");
    }

    #[test]
    fn man_pages_into_writes_one_page_per_visible_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        let written = man_pages_into(demo(), dir.path()).unwrap();
        let names: Vec<String> =
            written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["kanbao.1", "kanbao-list.1"]);
        let sub = std::fs::read_to_string(dir.path().join("kanbao-list.1")).unwrap();
        assert!(sub.contains("lists"), "{sub}");
    }

    #[test]
    fn completions_name_the_subcommands_for_each_shell() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut out = Vec::new();
            completions(demo(), shell, &mut out);
            let script = String::from_utf8(out).unwrap();
            assert!(script.contains("list"), "{shell}: {script}");
            assert!(script.contains("width"), "{shell}: {script}");
        }
    }
}
