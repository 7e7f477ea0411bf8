//! The short key fuzz (the long one is scripts/key-fuzz.py, 500 sessions on 3,000 bulletins):
//! 20 random sessions of the real binary in a pty, each a mix of keys, stray bytes, pastes, wheel
//! floods, resizes and pauses while the library loads, then Ctrl-C. Every session must end with
//! exit 0, no panic and the terminal restored. The exit times are printed, not asserted (a
//! loaded machine is slow); the script reports the worst against the 1 s promise.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::library_home;
use common::pty::{Session, skip_without_pty};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");
const SLOW: Duration = Duration::from_secs(60);

const KEYS: &[&str] = &[
    "j", "k", "g", "G", " ", "b", "\r", "\x1b", "\t", "/", "n", "N", "f", "d", "m", "'", "R", "?", "\x0c", "\x7f",
    "\x1b[A", "\x1b[B", "\x1b[5~", "\x1b[6~", "\x1b[", "\x1b[?", "\x1b[<", "\x1bO", "[", "]", "璧山", "bs",
];

/// A small xorshift generator: the same seed gives the same sessions on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn session(home: &Path, rng: &mut Rng) -> Duration {
    let (mut cols, mut rows) = (20 + rng.below(180) as u16, 5 + rng.below(50) as u16);
    let mut s = Session::spawn_with_home(BIN, &["--ambiguous", "narrow"], cols, rows, &[], home);
    s.set_timeout(SLOW);
    // The header, or on a tiny screen its notice (the key hints may be cut on a narrow one).
    s.wait_until("the first frame", SLOW, |s| s.screen_text().contains("看报") || s.screen_text().contains("太小"));
    for _ in 0..rng.below(25) + 5 {
        match rng.below(10) {
            0..=5 => {
                let key = KEYS[rng.below(KEYS.len() as u64) as usize];
                s.send(&key.repeat(1 + rng.below(3) as usize * 5));
            }
            6 => {
                let paste: String = (0..rng.below(3000)).map(|i| ["a", "b", "s", " ", "工"][i as usize % 5]).collect();
                s.send(&paste);
            }
            7 => {
                let n = 50 + rng.below(400);
                let wheel: String =
                    (0..n).map(|i| format!("\x1b[<{};{};{}M", 64 + i % 2, 1 + i % 50, 1 + i % 20)).collect();
                s.send(&wheel);
            }
            8 => {
                (cols, rows) = (1 + rng.below(250) as u16, 1 + rng.below(80) as u16);
                s.resize(cols, rows);
            }
            _ => std::thread::sleep(Duration::from_millis(rng.below(200))),
        }
    }
    let sent = Instant::now();
    s.send("\x03");
    let code = s.wait_exit(SLOW);
    let took = sent.elapsed();
    assert_eq!(code, Some(0), "Ctrl-C exits 0\n{}", s.dump());
    assert!(!s.raw_contains(b"panicked"), "{}", s.dump());
    assert!(!s.alternate_screen() && s.cursor_visible(), "terminal restored\n{}", s.dump());
    took
}

#[test]
fn twenty_random_sessions_end_cleanly_on_ctrl_c() {
    if skip_without_pty() {
        return;
    }
    let Some(home) = library_home(300) else { return };
    let mut rng = Rng(0x6b61_6e62_616f);
    let times: Vec<Duration> = (0..20).map(|_| session(home.path(), &mut rng)).collect();
    let worst = times.iter().max().unwrap();
    eprintln!("20 sessions; Ctrl-C exit worst {worst:?} (debug build; scripts/key-fuzz.py measures release)");
}
