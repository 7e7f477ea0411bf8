//! `kanbao add` and `kanbao remove`, run as a user would, each in its own HOME.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn seed(prefix: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let e = fs::read_dir(dir).unwrap().flatten().find(|e| e.file_name().to_string_lossy().starts_with(prefix)).unwrap();
    fs::read_to_string(e.path()).unwrap()
}

fn bulletin(tag: &str) -> String {
    format!(
        "# {tag}区工会召开职工代表大会\n\n2025年2月5日,{tag}区工会召开职工代表大会,审议工作报告。\n\n# {tag}区举办技能比武\n\n2月15日,{tag}区举办职工技能比武。\n"
    )
}

struct Home {
    dir: tempfile::TempDir,
    data: PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join(".local/share");
        Home { dir, data }
    }

    fn library(&self) -> PathBuf {
        self.data.join("kanbao/bulletins")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", &self.data)
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("XDG_CACHE_HOME", self.dir.path().join(".cache"));
        c
    }

    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let Output { status, stdout, stderr } = self.cmd(args).output().unwrap();
        (status.code(), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    }

    fn library_files(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.library())
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}

#[test]
fn the_same_bulletin_in_another_encoding_is_recognised_and_not_added() {
    let h = Home::new();
    let text = seed("004");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let f = h.file("copy-gbk.txt", &gbk);
    let (code, out, err) = h.run(&["add", &f]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("already bundled with kanbao as 2024-03-00k") && err.contains("not added"), "{err}");
    assert!(h.library_files().is_empty());
    // And one of the user's own, in UTF-16 this time.
    let f = h.file("mine.txt", bulletin("江北"));
    assert_eq!(h.run(&["add", &f]).0, Some(0));
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(bulletin("江北").replace('\n', "\r\n").encode_utf16().flat_map(u16::to_le_bytes));
    let g = h.file("again.txt", utf16);
    let (code, _, err) = h.run(&["add", &g]);
    assert_eq!(code, Some(0));
    assert!(err.contains("already in your library as 2025-02-") && err.contains("(mine.txt)"), "{err}");
    assert_eq!(h.library_files(), ["mine.txt"]);
}

#[test]
fn text_without_bulletin_structure_needs_force() {
    let h = Home::new();
    let f = h.file("hello.txt", "hello world");
    let (code, out, err) = h.run(&["add", &f]);
    assert_eq!(code, Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("does not look like a bulletin") && err.contains("--force"), "{err}");
    assert!(out.is_empty() && h.library_files().is_empty());
    let (code, out, _) = h.run(&["add", "--force", &f]);
    assert_eq!(code, Some(0));
    assert!(out.contains("added hello.txt") && out.contains("1 article)"), "{out}");
}

#[test]
fn several_files_and_folders_each_get_a_line_and_every_one_is_tried() {
    let h = Home::new();
    let a = h.file("a.txt", bulletin("江北"));
    let bad = h.file("bad.txt", b"\0\x01\x02binary");
    let md = h.file("notes.md", bulletin("渝中"));
    let (code, out, err) = h.run(&["add", &a, &bad, &md, &a]);
    assert_eq!(code, Some(2), "one file failed");
    assert!(out.contains("added a.txt: 2025-02-") && out.contains("2 articles"), "{out}");
    assert!(out.contains("added notes.md as notes.txt"), "{out}");
    assert!(err.contains("bad.txt") && err.contains("already in your library"), "{err}");
    assert_eq!(h.library_files(), ["a.txt", "notes.txt"], "what is added is what the library reads");
    let (_, list, _) = h.run(&["list", "--no-bundled"]);
    assert_eq!(list.matches("yours").count(), 2, "{list}");

    let dir = h.dir.path().join("more");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("x.txt"), bulletin("南岸")).unwrap();
    fs::write(dir.join("y.txt"), bulletin("北碚")).unwrap();
    let (code, out, _) = h.run(&["add", dir.to_str().unwrap()]);
    assert_eq!((code, out.lines().count()), (Some(0), 2), "{out}");
    let empty = h.dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let (code, _, err) = h.run(&["add", empty.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no bulletin files"), "{err}");
}

#[test]
fn a_closed_stdout_does_not_stop_the_adding() {
    let h = Home::new();
    let files: Vec<String> =
        ["江北", "渝中", "南岸"].iter().enumerate().map(|(i, t)| h.file(&format!("{i}.txt"), bulletin(t))).collect();
    let mut args = vec!["add"];
    args.extend(files.iter().map(String::as_str));
    let mut child = h.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(101), "no panic: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(h.library_files(), ["0.txt", "1.txt", "2.txt"]);
}

#[test]
fn a_dangling_symlink_in_the_library_is_never_written_through() {
    let h = Home::new();
    fs::create_dir_all(h.library()).unwrap();
    let outside = h.dir.path().join("outside.txt");
    std::os::unix::fs::symlink(&outside, h.library().join("one.txt")).unwrap();
    let f = h.file("one.txt", bulletin("江北"));
    let (code, _, err) = h.run(&["add", &f]);
    assert_eq!(code, Some(2));
    assert!(err.contains("another file named one.txt"), "{err}");
    assert!(!outside.exists(), "nothing written outside the library");
}

#[test]
fn a_full_disk_leaves_no_truncated_copy() {
    let h = Home::new();
    let mnt = h.dir.path().join("small");
    fs::create_dir(&mnt).unwrap();
    let ok = Command::new("mount").args(["-t", "tmpfs", "-o", "size=200k", "tmpfs", mnt.to_str().unwrap()]).output();
    if !ok.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    }
    let h2 = Home { data: mnt.clone(), dir: tempfile::tempdir().unwrap() };
    // 300 KB of bulletin on a 200 KB disk.
    let big = bulletin("江北") + &"职工技能比武现场气氛热烈。\n\n".repeat(8000);
    let f = h2.file("big.txt", big);
    let (code, _, err) = h2.run(&["add", &f]);
    let listed = h2.library_files();
    let _ = Command::new("umount").arg(&mnt).status();
    assert_eq!(code, Some(2));
    assert!(err.contains("nothing was added"), "{err}");
    assert!(listed.is_empty(), "no partial file: {listed:?}");
}

#[test]
fn remove_deletes_the_users_bulletin_and_hides_a_bundled_one() {
    let h = Home::new();
    let f = h.file("mine.txt", bulletin("江北"));
    let (_, out, _) = h.run(&["add", &f]);
    let id = out.split(": ").nth(1).unwrap().split(' ').next().unwrap().to_string();
    let (code, out, err) = h.run(&["remove", &id]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("removed") && out.contains("2 articles"), "{out}");
    assert!(h.library_files().is_empty());

    let (code, out, _) = h.run(&["remove", "2024-03-00k"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("hid bundled bulletin 2024-03-00k"), "{out}");
    let (_, list, _) = h.run(&["list"]);
    assert!(!list.contains("2024-03-00k"), "hidden from the list");
    let (code, _, err) = h.run(&["show", "2024-03-00k/1"]);
    assert_eq!(code, Some(2), "{err}");
    // Adding its text again shows it again.
    let g = h.file("seed.txt", seed("004"));
    let (code, out, _) = h.run(&["add", &g]);
    assert_eq!(code, Some(0));
    assert!(out.contains("shown again"), "{out}");
    assert!(h.run(&["list"]).1.contains("2024-03-00k"));
    assert!(h.library_files().is_empty(), "the bundled copy is used, not a second one");
    let (code, _, err) = h.run(&["remove", "2099-01"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no article with id 2099-01"), "{err}");
}
