//! Helpers shared by the integration tests. Each test crate compiles this module on its own, so
//! helpers one crate does not use are allowed to be dead there.

pub mod pty;
pub mod widths;

/// A library of `n` generated bulletins (scripts/gen-archive.py) in the library folder of a new
/// HOME, or None (with the reason printed) without python3.
#[allow(dead_code)]
pub fn library_home(n: usize) -> Option<tempfile::TempDir> {
    let home = tempfile::tempdir().unwrap();
    let library = home.path().join(".local/share/kanbao/bulletins");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/gen-archive.py");
    match std::process::Command::new("python3").arg(script).arg(n.to_string()).arg(&library).output() {
        Ok(out) if out.status.success() => Some(home),
        Ok(out) => panic!("gen-archive.py failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => {
            eprintln!("skipping: python3 is needed for scripts/gen-archive.py ({e}); apt-get install python3");
            None
        }
    }
}
