//! Hostile input, round two (issue 11), at the command line: reads that must be capped and
//! refuse what is not a regular file, output that must never panic, misleading messages, and
//! the environment. Every run is bounded: a hang fails the test instead of stalling the suite.

use std::fs;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

/// A debug build on a loaded machine; old main hangs here for good.
const LIMIT: Duration = Duration::from_secs(30);

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
    p
}

const BULLETIN: &str = "\n\n测试标题\n\n2024年6月1日，璧山区工会举办活动，职工踊跃参加。\n\n";

/// kanbao with `args` in a private HOME, stdout and stderr captured (unless `stdout` is given).
fn kanbao(home: &Path, args: &[&str], stdout: Option<Stdio>, stderr: Option<Stdio>) -> (Output, Duration) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(stdout.unwrap_or(Stdio::piped()))
        .stderr(stderr.unwrap_or(Stdio::piped()));
    run(cmd)
}

fn run(mut cmd: Command) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd.spawn().expect("start kanbao");
    // Drain the pipes on threads so a chatty child never blocks on them.
    let out = child.stdout.take().map(|mut o| std::thread::spawn(move || read_all(&mut o)));
    let err = child.stderr.take().map(|mut e| std::thread::spawn(move || read_all(&mut e)));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = start.elapsed();
    let stdout = out.map(|t| t.join().unwrap()).unwrap_or_default();
    let stderr = err.map(|t| t.join().unwrap()).unwrap_or_default();
    (Output { status, stdout, stderr }, took)
}

fn read_all(r: &mut impl std::io::Read) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = r.read_to_end(&mut v);
    v
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

/// The write end of a pipe whose read end is closed: every write fails with EPIPE.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: pipe writes two descriptors into our array.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: closing the read end we own.
    unsafe { libc::close(fds[0]) };
    // SAFETY: the write end is ours and open; OwnedFd takes it over.
    Stdio::from(unsafe { OwnedFd::from_raw_fd(fds[1]) })
}

fn assert_no_panic(out: &Output, what: &str) {
    assert_ne!(out.status.code(), Some(101), "{what}: panicked\n{}", text(&out.stderr));
    assert!(out.status.code().is_some(), "{what}: killed by a signal: {:?}", out.status);
    assert!(!text(&out.stderr).contains("panicked"), "{what}: {}", text(&out.stderr));
}

/// Item 1: the marks dropped at load are reported, naming the file.
#[test]
fn item1_stacked_marks_are_capped_with_a_warning_naming_the_file() {
    let home = tempfile::tempdir().unwrap();
    let z = format!("{BULLETIN}a{}。\n", "\u{200d}\u{301}".repeat(100_000));
    let file = write(home.path(), "z.txt", z.as_bytes());
    let (out, _) = kanbao(home.path(), &["export", "--no-bundled", &file.display().to_string()], None, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("z.txt") && err.contains("dropped"), "{err}");
    assert!(out.stdout.len() < 100_000, "export still holds the marks: {} bytes", out.stdout.len());
}

/// Item 6: manifest.toml as a link to /dev/zero grew `list` to 20 GB; as a FIFO it hung.
#[test]
fn item6_a_manifest_that_is_a_device_or_a_fifo_is_refused_at_once() {
    for kind in ["zero", "fifo"] {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("lib");
        fs::create_dir(&dir).unwrap();
        write(&dir, "a.txt", BULLETIN.as_bytes());
        let manifest = dir.join("manifest.toml");
        match kind {
            "zero" => std::os::unix::fs::symlink("/dev/zero", &manifest).unwrap(),
            _ => mkfifo(&manifest),
        }
        let (out, _) = kanbao(home.path(), &["list", "--no-bundled", &dir.display().to_string()], None, None);
        assert_no_panic(&out, kind);
        let err = text(&out.stderr);
        assert!(err.contains("manifest.toml") && err.contains("not a regular file"), "{kind}: {err}");
        assert!(text(&out.stdout).contains("测试标题"), "{kind}: the bulletin still lists");
    }
}

/// Item 6: config.toml as a FIFO hung every command.
#[test]
fn item6_a_fifo_config_is_reported_and_defaults_used() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config/kanbao");
    fs::create_dir_all(&config).unwrap();
    mkfifo(&config.join("config.toml"));
    let (out, _) = kanbao(home.path(), &["list"], None, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("config.toml") && err.contains("not a regular file"), "{err}");
}

/// Peak resident memory (KB) of `kanbao args`, measured by GNU time; None without it.
fn peak_kb(home: &Path, args: &[&str]) -> Option<(u64, Output)> {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipping the memory check: /usr/bin/time is missing (apt-get install time)");
        return None;
    }
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-v").arg(BIN).args(args).env("HOME", home).env("XDG_DATA_HOME", home.join("data"));
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let (out, _) = run(cmd);
    let err = text(&out.stderr);
    let kb = err.lines().find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))?.parse().ok()?;
    Some((kb, out))
}

/// Item 6: 40 hard links to one 30 MB file peaked at 1.4 GB (every link read before duplicates
/// were dropped). Now a file already read (same device and inode) is not read again. (4 MB here,
/// to keep a debug build quick.)
#[test]
fn item6_forty_hard_links_to_one_large_file_are_read_once() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("lib");
    fs::create_dir(&dir).unwrap();
    // 4 MB in paragraphs (old main held every link's copy: 40 x 4 MB, decoded twice over).
    let big = format!("{BULLETIN}{}", format!("{}\n\n", "职工之家建设。".repeat(60)).repeat(3_500));
    let first = write(&dir, "a00.txt", big.as_bytes());
    for i in 1..40 {
        fs::hard_link(&first, dir.join(format!("a{i:02}.txt"))).unwrap();
    }
    let Some((kb, out)) = peak_kb(home.path(), &["list", "--no-bundled", &dir.display().to_string()]) else { return };
    let err = text(&out.stderr);
    assert_eq!(err.matches("the same file as").count(), 39, "{err}");
    // One copy of the file, its decoded text and its parse: well under the 40 copies of before.
    assert!(kb < 120 * 1024, "peak {} MB for one 4 MB file linked 40 times", kb / 1024);
}

/// Item 10: stdout write errors panicked (exit 101); `add` then skipped the files after the
/// first. Now the work is done, and the exit code says output was lost.
#[test]
fn item10_output_errors_never_panic_and_lose_no_work() {
    let home = tempfile::tempdir().unwrap();
    let full = fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let (out, _) = kanbao(home.path(), &["--paths"], Some(Stdio::from(full)), None);
    assert_no_panic(&out, "--paths > /dev/full");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot write output"), "{}", text(&out.stderr));

    for args in [&["--paths"][..], &["list"][..]] {
        let (out, _) = kanbao(home.path(), args, Some(closed_pipe()), None);
        assert_no_panic(&out, &format!("{args:?} | closed pipe"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }

    let src = tempfile::tempdir().unwrap();
    let files: Vec<String> = (1..=3)
        .map(|i| {
            let body = BULLETIN.replace("测试标题", &format!("测试标题{i}"));
            write(src.path(), &format!("x{i}.txt"), body.as_bytes()).display().to_string()
        })
        .collect();
    let mut args = vec!["add"];
    args.extend(files.iter().map(String::as_str));
    let (out, _) = kanbao(home.path(), &args, Some(closed_pipe()), None);
    assert_no_panic(&out, "add x1 x2 x3 | closed pipe");
    let library = home.path().join(".local/share/kanbao/bulletins");
    for i in 1..=3 {
        assert!(library.join(format!("x{i}.txt")).is_file(), "x{i}.txt copied\n{}", text(&out.stderr));
    }

    // A dead stderr (a dropped terminal) with warnings to print.
    let (out, _) = kanbao(home.path(), &["list", "/nonexistent/a.txt"], None, Some(closed_pipe()));
    assert_no_panic(&out, "warnings to a closed stderr");
}

/// Item 14: decoding messages that sent the user the wrong way.
#[test]
fn item14_decode_messages_name_the_real_problem() {
    let home = tempfile::tempdir().unwrap();
    let mut short = BULLETIN.as_bytes().to_vec();
    short.insert(10, 0xFF);
    let mut mixed = BULLETIN.repeat(4).into_bytes();
    let gbk_text = "渝北区工会组织劳模座谈会，交流经验。".repeat(40);
    let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_text);
    mixed.extend_from_slice(&gbk);
    let nel = BULLETIN.replace('\n', "\u{85}");
    for (name, bytes, loads, must, must_not) in [
        ("short.txt", short, true, "璧山区", "Big5"),
        ("mixed.txt", mixed, false, "not valid UTF-8", "Big5"),
        ("nel.txt", nel.into_bytes(), true, "测试标题", "binary"),
    ] {
        let file = write(home.path(), name, &bytes);
        let (out, _) = kanbao(home.path(), &["list", "--no-bundled", &file.display().to_string()], None, None);
        let all = text(&out.stdout) + &text(&out.stderr);
        assert_eq!(out.status.success(), loads, "{name}: {all}");
        assert!(all.contains(must) && !all.contains(must_not), "{name}: {all}");
    }
}

/// Item 15: a relative HOME wrote state under the current folder; --paths printed escape
/// sequences from HOME raw; ctrl-m and ctrl-i bindings were taken though they can never fire.
#[test]
fn item15_relative_home_escaped_paths_and_unusable_bindings() {
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.arg("--paths").env_clear().env("HOME", "relative/home").current_dir(cwd.path());
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let (out, _) = run(cmd);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("not an absolute path"), "{}", text(&out.stderr));
    assert_eq!(fs::read_dir(cwd.path()).unwrap().count(), 0, "nothing written under the current folder");

    let home = tempfile::tempdir().unwrap();
    let evil = home.path().join("x\u{1b}]0;pwned\u{7}");
    fs::create_dir(&evil).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.arg("--paths").env_clear().env("HOME", &evil).stdout(Stdio::piped()).stderr(Stdio::piped());
    let (out, _) = run(cmd);
    assert!(out.status.success());
    assert!(!out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07), "{:?}", text(&out.stdout));

    let config = home.path().join(".config/kanbao");
    fs::create_dir_all(&config).unwrap();
    write(&config, "config.toml", b"[keys]\nctrl-m = \"down\"\nctrl-i = \"up\"\nctrl-d = \"page-down\"\n");
    let (out, _) = kanbao(home.path(), &["list"], None, None);
    let err = text(&out.stderr);
    assert!(err.contains("ctrl-m is the same key as enter") && err.contains("ctrl-i is the same key as tab"), "{err}");
    assert!(!err.contains("ctrl-d"), "a usable binding is not warned about: {err}");
}
