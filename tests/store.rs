//! The state file: round trips, damaged files, failing disks, and two readers at once.
//!
//! Multi-process tests re-run this test binary as the child: `child_process` below does nothing
//! unless `KANBAO_STORE_CHILD` names a job, so no extra binary is needed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use kanbao::domain::store::{LoadReport, SavedState, unix_now};
use kanbao::io::state_file::{Store, StoreError};

const CHILD: &str = "KANBAO_STORE_CHILD";
const CHILD_PATH: &str = "KANBAO_STORE_PATH";
const CHILD_ARG: &str = "KANBAO_STORE_ARG";

fn sample() -> SavedState {
    let mut s = SavedState::default();
    s.set_place("2023-05/2", 1234, 1_700_000_000);
    s.set_place("2023-06/1", 10, 1_700_000_100);
    s.add_bookmark("2023-05/2", 1200, 1_700_000_050);
    s.add_bookmark("图片新闻/1", 0, 1_700_000_060);
    s.remove_bookmark("2023-01/1", 1_700_000_070);
    s.mark_read("2023-05/1");
    s.ambiguous_by_term.insert("xterm-256color".into(), "wide".into());
    s
}

/// Set-aside copies (`state.json.corrupt-…`, `state.json.newer-…`) in `dir`.
fn asides(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("state.json.corrupt-") || name.starts_with("state.json.newer-")
        })
        .collect();
    found.sort();
    found
}

fn temps(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".tmp-"))
        .count()
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    // The data folder does not exist yet: the first save makes it.
    let path = dir.path().join("kanbao").join("state.json");
    let (mut store, state, report) = Store::open(path.clone());
    assert_eq!((state, report), (SavedState::default(), LoadReport::Fresh));
    let saved = store.save(&sample()).unwrap();
    assert_eq!(saved, sample());
    let (_, loaded, report) = Store::open(path.clone());
    assert_eq!(report, LoadReport::Loaded);
    assert_eq!(loaded, sample());
    assert_eq!(temps(path.parent().unwrap()), 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn save_merges_with_another_instance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut a, mut sa, _) = Store::open(path.clone());
    let (mut b, mut sb, _) = Store::open(path.clone());
    sa.add_bookmark("a", 1, 100);
    sa.mark_read("a");
    sa = a.save(&sa).unwrap();
    sb.add_bookmark("b", 2, 101);
    sb.set_place("b", 50, 101);
    sb = b.save(&sb).unwrap();
    assert!(sb.bookmarks.contains_key("a") && sb.read.contains("a"), "b sees a's marks");
    // a removes its bookmark; b, still holding it in memory, must not bring it back.
    sa.remove_bookmark("a", 102);
    a.save(&sa).unwrap();
    let sb = b.save(&sb).unwrap();
    assert!(!sb.bookmarks.contains_key("a"));
    assert!(sb.bookmarks.contains_key("b"));
    assert_eq!(sb.last.unwrap().id, "b");
}

/// Each damaged file is moved aside (bytes intact), reported, and defaults are used; a second
/// open does not move anything again.
#[test]
fn damaged_files_are_kept_aside_and_reported() {
    let newer = br#"{"version": 99, "bookmarks": {"x": {"offset": 1, "added": 2, "colour": "red"}}}"#;
    let cases: [(&str, &[u8], &str, &str); 7] = [
        ("invalid JSON", b"{\n\"version\": 1,\n\"read\": [,]}", "corrupt", "is not valid JSON at line 3"),
        ("truncated", br#"{"version": 1, "read": ["2023-05/1", "2023-0"#, "corrupt", "is cut short"),
        ("all NUL", &[0; 4096], "corrupt", "zero bytes"),
        ("empty", b"", "corrupt", "is empty"),
        ("newer version", newer, "newer", "newer kanbao (format 99"),
        ("wrong shape", br#"{"version": 1, "bookmarks": ["x"]}"#, "corrupt", "unexpected content"),
        ("not state", b"42", "corrupt", "does not hold"),
    ];
    for (name, bytes, kind, reason) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, bytes).unwrap();
        let (mut store, state, report) = Store::open(path.clone());
        assert_eq!(state, SavedState::default(), "{name}");
        let LoadReport::Recovered { moved_to, reason: why } = &report else { panic!("{name}: {report:?}") };
        assert!(why.contains(reason), "{name}: {why}");
        let moved_name = moved_to.file_name().unwrap().to_string_lossy().into_owned();
        let stamp = moved_name.strip_prefix(&format!("state.json.{kind}-")).unwrap_or_else(|| panic!("{moved_name}"));
        assert!(stamp.len() == 15 && stamp.as_bytes()[8] == b'-', "{name}: timestamp {stamp}");
        assert_eq!(std::fs::read(moved_to).unwrap(), bytes, "{name}: original bytes kept");
        assert!(!path.exists(), "{name}");
        let shown = report.to_string();
        assert!(shown.starts_with("state.json ") && shown.contains(&moved_name) && shown.ends_with("using defaults"));
        assert!(!shown.chars().any(char::is_control));

        // Opening again: nothing more to move.
        let (_, _, again) = Store::open(path.clone());
        assert_eq!(again, LoadReport::Fresh, "{name}");
        // Saving makes a good file; opening that moves nothing either.
        store.save(&sample()).unwrap();
        let (_, state, again) = Store::open(path.clone());
        assert_eq!((state, again), (sample(), LoadReport::Loaded), "{name}");
        assert_eq!(asides(dir.path()), std::slice::from_ref(moved_to), "{name}");
    }
}

#[test]
fn damage_found_at_save_time_is_kept_aside_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (mut store, _, _) = Store::open(path.clone());
    std::fs::write(&path, b"{\"version\": 1, \"rea").unwrap();
    let saved = store.save(&sample()).unwrap();
    assert_eq!(saved, sample());
    let Some(LoadReport::Recovered { moved_to, .. }) = store.take_recovered() else { panic!("not reported") };
    assert_eq!(std::fs::read(moved_to).unwrap(), b"{\"version\": 1, \"rea");
    assert_eq!(store.take_recovered(), None);
}

#[test]
fn a_state_file_that_cannot_be_read_is_never_saved_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("keep"), b"x").unwrap();
    let (mut store, state, report) = Store::open(path.clone());
    assert_eq!(state, SavedState::default());
    assert!(matches!(report, LoadReport::Unreadable { .. }), "{report:?}");
    let err = store.save(&sample()).unwrap_err();
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err:?}");
    assert!(err.to_string().starts_with("cannot save state: "), "{err}");
    assert!(path.join("keep").exists());
}

#[test]
fn stale_temp_files_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(dir.path().join("state.json.tmp-999999-0"), b"{\"vers").unwrap();
    Store::open(path).0.save(&sample()).unwrap();
    assert_eq!(temps(dir.path()), 0);
}

#[test]
fn no_data_dir_still_works_and_says_why_not_saved() {
    let (mut store, state) = Store::unavailable();
    assert_eq!(state, SavedState::default());
    let err = store.save(&sample()).unwrap_err();
    assert!(matches!(err, StoreError::NoDataDir));
    assert!(err.to_string().starts_with("cannot save state: "));
}

#[test]
fn save_under_a_non_folder_fails_cleanly() {
    // Works as root too, unlike chmod.
    let (mut store, state, report) = Store::open(PathBuf::from("/dev/null/kanbao/state.json"));
    assert_eq!((state, report), (SavedState::default(), LoadReport::Fresh));
    let err = store.save(&sample()).unwrap_err();
    assert!(matches!(err, StoreError::NotAFolder { .. }), "{err:?}");
    assert_eq!(err.to_string(), "cannot save state: /dev/null is not a folder");
    let err = Store::open(PathBuf::from("/dev/null/state.json")).0.save(&sample()).unwrap_err();
    assert_eq!(err.to_string(), "cannot save state: /dev/null is not a folder");
}

#[cfg(unix)]
#[test]
fn read_only_folder_fails_cleanly_and_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    Store::open(path.clone()).0.save(&sample()).unwrap();
    let old = std::fs::read(&path).unwrap();
    // Readable by anyone (for the unprivileged child below), writable by no one but root.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let lock = dir.path().join("state.json.lock");
    let _ = std::fs::remove_file(&lock); // (fails read-only: fine, it is only an empty lock file)

    if unsafe { libc::geteuid() } != 0 {
        check_read_only_save(&path, &old);
    } else {
        // chmod does not stop root. The /dev/null test above covers that path; here a child
        // drops to `nobody`, for whom the folder really is read-only.
        let out = child("drop-privileges", &path, "");
        let stdout = String::from_utf8_lossy(&out.stdout);
        if let Some(reason) = stdout.lines().find_map(|l| l.strip_prefix("SKIP ")) {
            eprintln!("read-only folder as root: skipped ({reason}); /dev/null/state.json tested instead");
        } else {
            assert!(out.status.success() && stdout.contains("READ-ONLY OK"), "{}", describe(&out));
        }
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), old);
}

/// Shared by the unprivileged test and the child that dropped privileges.
fn check_read_only_save(path: &Path, old: &[u8]) {
    let (mut store, state, report) = Store::open(path.to_owned());
    assert_eq!((&state, &report), (&sample(), &LoadReport::Loaded));
    let mut more = state.clone();
    more.add_bookmark("new", 1, unix_now());
    let err = store.save(&more).unwrap_err();
    assert!(matches!(err, StoreError::PermissionDenied { .. } | StoreError::ReadOnly { .. }), "{err:?}");
    let dir = path.parent().unwrap().display().to_string();
    assert_eq!(err.to_string(), format!("cannot save state: no permission to write in {dir}"));
    assert_eq!(std::fs::read(path).unwrap(), old);
}

#[test]
fn a_held_lock_makes_save_wait_then_give_up_with_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (store, _, _) = Store::open(path.clone());
    let mut store = store.with_lock_wait(Duration::from_millis(300));
    store.save(&SavedState::default()).unwrap();
    let old = std::fs::read(&path).unwrap();
    // flock locks belong to the open file, so a second open in this process conflicts.
    let holder = std::fs::File::open(dir.path().join("state.json.lock")).unwrap();
    holder.lock().unwrap();
    let err = store.save(&sample()).unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), old);
    // Released while a save waits: the save goes through.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        drop(holder);
    });
    store.save(&sample()).unwrap();
    release.join().unwrap();
}

/// A save that runs out of space midway (RLIMIT_FSIZE makes the write fail with EFBIG; works
/// unprivileged) leaves the old file and no temp file behind.
#[cfg(unix)]
#[test]
fn failed_write_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    Store::open(path.clone()).0.save(&sample()).unwrap();
    let old = std::fs::read(&path).unwrap();
    let out = child("file-size-limit", &path, "");
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("FSIZE OK"), "{}", describe(&out));
    assert_eq!(std::fs::read(&path).unwrap(), old);
    assert_eq!(temps(dir.path()), 0);
}

/// A real full disk and a real read-only mount: a small tmpfs in a private mount namespace.
/// Needs CAP_SYS_ADMIN (root in most containers); skipped with a reason otherwise.
#[cfg(target_os = "linux")]
#[test]
fn full_disk_and_read_only_mount_keep_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = child("tmpfs", &dir.path().join("state.json"), "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    if let Some(reason) = stdout.lines().find_map(|l| l.strip_prefix("SKIP ")) {
        eprintln!("full disk test skipped: {reason} (the file-size-limit test covers a failed write)");
        return;
    }
    assert!(out.status.success(), "{}", describe(&out));
    assert!(stdout.contains("DISK FULL OK") && stdout.contains("EROFS OK"), "{}", describe(&out));
}

/// Two readers saving bookmarks at once, 200 each: none is lost.
#[test]
fn two_processes_lose_no_bookmark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let spawn = |prefix: &str| spawn_child("bookmarks", &path, prefix).spawn().unwrap();
    let (a, b) = (spawn("a"), spawn("b"));
    for out in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
        assert!(out.status.success(), "{}", describe(&out));
    }
    let (_, state, report) = Store::open(path);
    assert_eq!(report, LoadReport::Loaded);
    let missing: Vec<String> = ["a", "b"]
        .iter()
        .flat_map(|p| (0..200).map(move |i| format!("{p}{i}")))
        .filter(|id| !state.bookmarks.contains_key(id))
        .collect();
    assert!(missing.is_empty(), "lost bookmarks: {missing:?}");
    assert_eq!(state.bookmarks.len(), 400);
}

/// A reader killed (SIGKILL) at random points while saving: the file is always a whole old or
/// new state, and the dead reader's lock does not block the next save.
#[cfg(unix)]
#[test]
fn killed_mid_save_leaves_a_whole_file_and_no_stuck_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let seed = std::env::var("KANBAO_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64 | 1
    });
    eprintln!("kill test seed: {seed} (KANBAO_SEED={seed} to repeat)");
    let mut rng = seed;
    let mut newest = 0;
    for round in 0..32 {
        let mut child = spawn_child("churn", &path, "").stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(15 + rng % 45));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let (store, state, report) = Store::open(path.clone());
        assert!(matches!(report, LoadReport::Loaded | LoadReport::Fresh), "round {round}: {report:?}");
        // Every state the child writes has bookmarks k1..=kN for its last offset N.
        let n = state.last.as_ref().map_or(0, |p| p.offset);
        assert!((1..=n).all(|i| state.bookmarks.contains_key(&format!("k{i}"))), "round {round}: partial state");
        assert!(n >= newest, "round {round}: went back from {newest} to {n}");
        newest = n;

        // No wait at all: the dead child's lock must already be gone (the kernel drops it).
        let mut store = store.with_lock_wait(Duration::ZERO);
        let mut mine = state.clone();
        mine.mark_read(&format!("parent{round}"));
        store.save(&mine).unwrap_or_else(|e| panic!("round {round}: save after kill: {e}"));
        assert_eq!(temps(dir.path()), 0, "round {round}");
    }
    assert!(newest > 0, "the child never managed a save");
    let (_, state, _) = Store::open(path);
    assert!((0..32).all(|r| state.read.contains(&format!("parent{r}"))));
}

// ---- the child side ----

fn spawn_child(job: &str, path: &Path, arg: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["child_process", "--exact", "--nocapture", "--test-threads=1", "-q"])
        .env(CHILD, job)
        .env(CHILD_PATH, path)
        .env(CHILD_ARG, arg)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn child(job: &str, path: &Path, arg: &str) -> Output {
    spawn_child(job, path, arg).output().unwrap()
}

fn describe(out: &Output) -> String {
    format!(
        "child {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Not a test by itself: the body of the multi-process tests, run in a child process.
#[test]
fn child_process() {
    let Ok(job) = std::env::var(CHILD) else { return };
    let path = PathBuf::from(std::env::var_os(CHILD_PATH).unwrap());
    let arg = std::env::var(CHILD_ARG).unwrap_or_default();
    match job.as_str() {
        "bookmarks" => save_bookmarks(&path, &arg),
        "churn" => churn(&path),
        #[cfg(unix)]
        "drop-privileges" => drop_privileges(&path),
        #[cfg(unix)]
        "file-size-limit" => file_size_limit(&path),
        #[cfg(target_os = "linux")]
        "tmpfs" => tmpfs(&path),
        other => panic!("unknown child job {other}"),
    }
}

fn save_bookmarks(path: &Path, prefix: &str) {
    let (mut store, mut state, _) = Store::open(path.to_owned());
    let mut busy = 0;
    for i in 0..200 {
        state.add_bookmark(&format!("{prefix}{i}"), i, unix_now());
        match store.save(&state) {
            Ok(merged) => state = merged,
            // Kept in memory: the next save carries it.
            Err(StoreError::Busy) => busy += 1,
            Err(e) => panic!("{e}"),
        }
    }
    while let Err(e) = store.save(&state) {
        assert!(matches!(e, StoreError::Busy), "{e}");
        busy += 1;
    }
    eprintln!("{prefix}: {busy} busy");
}

/// Saves forever; each state has bookmarks k1..=kN and last offset N.
fn churn(path: &Path) {
    let (mut store, mut state, _) = Store::open(path.to_owned());
    loop {
        let n = state.last.as_ref().map_or(0, |p| p.offset) + 1;
        state.add_bookmark(&format!("k{n}"), n, unix_now());
        state.set_place("p", n, unix_now());
        if let Ok(merged) = store.save(&state) {
            state = merged;
        }
    }
}

#[cfg(unix)]
fn drop_privileges(path: &Path) {
    const NOBODY: libc::uid_t = 65534;
    let old = std::fs::read(path).unwrap();
    if unsafe { libc::setgid(NOBODY) } != 0 || unsafe { libc::setuid(NOBODY) } != 0 {
        println!("SKIP cannot switch to user nobody: {}", std::io::Error::last_os_error());
        return;
    }
    check_read_only_save(path, &old);
    println!("READ-ONLY OK");
}

#[cfg(unix)]
fn file_size_limit(path: &Path) {
    let (mut store, state, report) = Store::open(path.to_owned());
    assert_eq!(report, LoadReport::Loaded);
    let mut big = state.clone();
    for i in 0..500 {
        big.mark_read(&format!("2023-05/{i}"));
    }
    let old_len = std::fs::metadata(path).unwrap().len();
    unsafe {
        // Without this the kernel kills us with SIGXFSZ instead of failing the write.
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
        limit.rlim_cur = old_len + 100;
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
    let err = store.save(&big).unwrap_err();
    assert!(matches!(err, StoreError::FileTooLarge), "{err:?}");
    println!("FSIZE OK: {err}");
}

#[cfg(target_os = "linux")]
fn tmpfs(path: &Path) {
    use std::ffi::CString;
    use std::io::Write;
    let dir = path.parent().unwrap();
    let c = |s: &str| CString::new(s).unwrap();
    let target = c(dir.to_str().unwrap());
    unsafe {
        if libc::unshare(libc::CLONE_NEWNS) != 0 {
            println!("SKIP no mount namespace: {}", std::io::Error::last_os_error());
            return;
        }
        // Private first, so the tmpfs never shows up outside this process.
        let flags = libc::MS_REC | libc::MS_PRIVATE;
        if libc::mount(std::ptr::null(), c("/").as_ptr(), std::ptr::null(), flags, std::ptr::null()) != 0 {
            println!("SKIP cannot make mounts private: {}", std::io::Error::last_os_error());
            return;
        }
        let data = c("size=64k,mode=0755");
        if libc::mount(c("tmpfs").as_ptr(), target.as_ptr(), c("tmpfs").as_ptr(), 0, data.as_ptr().cast()) != 0 {
            println!("SKIP cannot mount a tmpfs: {}", std::io::Error::last_os_error());
            return;
        }
    }
    let (mut store, _, _) = Store::open(path.to_owned());
    store.save(&sample()).unwrap();
    let old = std::fs::read(path).unwrap();
    let mut filler = std::fs::File::create(dir.join("filler")).unwrap();
    while filler.write_all(&[b'x'; 4096]).is_ok() {}
    let _ = filler.write_all(b"x"); // the last partial block
    let mut bigger = sample();
    for i in 0..200 {
        bigger.mark_read(&format!("2023-05/{i}"));
    }
    let err = store.save(&bigger).unwrap_err();
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    assert_eq!(err.to_string(), "cannot save state: disk full");
    assert_eq!(std::fs::read(path).unwrap(), old);
    assert_eq!(temps(dir), 0);
    println!("DISK FULL OK");

    drop(filler);
    std::fs::remove_file(dir.join("filler")).unwrap();
    let flags = libc::MS_REMOUNT | libc::MS_RDONLY;
    if unsafe { libc::mount(std::ptr::null(), target.as_ptr(), std::ptr::null(), flags, std::ptr::null()) } != 0 {
        println!("EROFS OK (skipped: cannot remount read-only: {})", std::io::Error::last_os_error());
        return;
    }
    let err = store.save(&bigger).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert_eq!(err.to_string(), format!("cannot save state: {} is read-only", dir.display()));
    assert_eq!(std::fs::read(path).unwrap(), old);
    println!("EROFS OK");
}

#[test]
fn changes_say_whether_anything_changed() {
    let mut s = SavedState::default();
    assert!(s.set_place("a", 10, 100));
    assert!(!s.set_place("a", 10, 100), "the same place again");
    assert!(s.set_place("a", 10, 101), "a newer time is a change");
    assert!(s.mark_read("a") && !s.mark_read("a"));
    assert!(s.add_bookmark("a", 1, 100));
    assert!(!s.add_bookmark("a", 1, 100), "the same bookmark again");
    assert!(s.remove_bookmark("a", 101) && s.bookmarks.is_empty());
    assert!(!s.remove_bookmark("a", 101), "already removed");
    assert!(s.add_bookmark("a", 1, 101), "re-adding clears the tombstone");
    assert!(s.set_ambiguous("xterm", kanbao::domain::width::Ambiguous::Wide));
    assert!(!s.set_ambiguous("xterm", kanbao::domain::width::Ambiguous::Wide));
}
