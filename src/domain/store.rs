//! The reader's memory between sessions, as data: places, bookmarks, read marks, and how two
//! copies merge (another SSH session may have saved since we loaded). Pure: the file itself
//! (`state.json`: locked, read with a cap, written atomically, set aside when damaged) is
//! `crate::io::state_file`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

mod follow;
pub use follow::follow;

use crate::domain::sanitize::sanitize_line;
use crate::domain::width::Ambiguous;

/// The state file format this build writes. 2: marks keyed by article keys (`identity`);
/// format 1 (keyed by the old positional ids) is read and carried over by `follow`.
pub const VERSION: u32 = 2;

/// A state file this big is not ours; don't read it into memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    pub version: u32,
    /// The last article open, to reopen it next time.
    pub last: Option<Place>,
    /// Reading position per article key (marks are keyed by `Article::key`, see `identity`).
    pub places: BTreeMap<String, Place>,
    pub bookmarks: BTreeMap<String, Bookmark>,
    pub read: BTreeSet<String>,
    /// The ambiguous width `auto` found per $TERM ("narrow" | "wide"), to skip probing next time.
    pub ambiguous_by_term: BTreeMap<String, String>,
    /// Removed bookmarks (id -> when), so a merge with an older copy does not bring them back.
    pub removed_bookmarks: BTreeMap<String, u64>,
    /// A counter that every place set raises past everything seen and at least to the time (a
    /// hybrid logical clock): places are ordered by it, not by wall-clock time alone, so a clock
    /// that was once an hour ahead cannot pin an old place over every later one.
    pub clock: u64,
    /// Bundled bulletins the user removed (`kanbao remove`), by text fingerprint (16 hex
    /// digits): `true` hidden, `false` shown again (`kanbao add` of the same bulletin), with when.
    pub hidden: BTreeMap<String, (bool, u64)>,
}

impl Default for SavedState {
    fn default() -> Self {
        SavedState {
            version: VERSION,
            last: None,
            places: BTreeMap::new(),
            bookmarks: BTreeMap::new(),
            read: BTreeSet::new(),
            ambiguous_by_term: BTreeMap::new(),
            removed_bookmarks: BTreeMap::new(),
            clock: 0,
            hidden: BTreeMap::new(),
        }
    }
}

/// A reading position: a text offset, so it survives a resize or a width change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: String,
    pub offset: usize,
    /// Unix seconds.
    pub at: u64,
    /// `SavedState::clock` when it was set (0 in files from before the counter).
    #[serde(default)]
    pub seq: u64,
}

impl Place {
    /// Which of two places for the same thing is newer: the counter first, the time on a tie.
    fn newer_than(&self, other: &Place) -> bool {
        (self.seq, self.at) >= (other.seq, other.at)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub offset: usize,
    /// Unix seconds.
    pub added: u64,
}

/// The changes below each return whether anything changed: the reader saves only then,
/// without keeping a copy of the whole state to compare.
impl SavedState {
    /// Remembers where the reader is in article `id`.
    pub fn set_place(&mut self, id: &str, offset: usize, now: u64) -> bool {
        // Unchanged (same place, same second): no new save, no clock tick.
        let here = |p: &Place| p.id == id && p.offset == offset && p.at == now;
        if self.last.as_ref().is_some_and(here) && self.places.get(id).is_some_and(here) {
            return false;
        }
        // A hybrid clock: the time when the clock is sane, and always past everything seen.
        self.clock = (self.clock + 1).max(now);
        let place = Place { id: id.to_owned(), offset, at: now, seq: self.clock };
        self.places.insert(id.to_owned(), place.clone());
        self.last = Some(place);
        true
    }

    pub fn add_bookmark(&mut self, id: &str, offset: usize, now: u64) -> bool {
        // A bookmark survives a merge only if newer than its tombstone; re-adding within the
        // second it was removed must still win.
        let tombstone = self.removed_bookmarks.remove(id);
        let added = match tombstone {
            Some(removed) => now.max(removed + 1),
            None => now,
        };
        let bookmark = Bookmark { offset, added };
        let before = self.bookmarks.insert(id.to_owned(), bookmark.clone());
        tombstone.is_some() || before != Some(bookmark)
    }

    pub fn remove_bookmark(&mut self, id: &str, now: u64) -> bool {
        let had = self.bookmarks.remove(id);
        let added = had.as_ref().map_or(0, |b| b.added);
        let removed = self.removed_bookmarks.get(id).copied().unwrap_or(0);
        let tombstone = now.max(added).max(removed);
        let before = self.removed_bookmarks.insert(id.to_owned(), tombstone);
        had.is_some() || before != Some(tombstone)
    }

    /// Marks the article with this key (`Article::key`) read.
    pub fn mark_read(&mut self, key: &str) -> bool {
        self.read.insert(key.to_owned())
    }

    /// Remembers the ambiguous width found for a terminal type.
    pub fn set_ambiguous(&mut self, term: &str, mode: Ambiguous) -> bool {
        let value = mode.to_string();
        self.ambiguous_by_term.insert(term.to_owned(), value.clone()) != Some(value)
    }

    /// The width `auto` found for this terminal type last time.
    pub fn ambiguous_for(&self, term: &str) -> Option<Ambiguous> {
        self.ambiguous_by_term.get(term)?.parse().ok()
    }

    /// `self` (this instance's state) merged with `disk` (saved since by another instance).
    /// Nothing either side marked is lost: bookmarks and read marks are unions, a bookmark goes
    /// only if a removal at or after its `added` says so, places keep the newest, and on a tie
    /// (or for per-terminal widths, always) this instance wins.
    pub fn merge(&self, disk: &SavedState) -> SavedState {
        let mut removed = disk.removed_bookmarks.clone();
        for (id, &at) in &self.removed_bookmarks {
            let t = removed.entry(id.clone()).or_insert(at);
            *t = (*t).max(at);
        }
        let mut bookmarks = disk.bookmarks.clone();
        for (id, ours) in &self.bookmarks {
            if bookmarks.get(id).is_none_or(|theirs| ours.added >= theirs.added) {
                bookmarks.insert(id.clone(), ours.clone());
            }
        }
        bookmarks.retain(|id, b| removed.get(id).is_none_or(|&gone| b.added > gone));

        let mut places = disk.places.clone();
        for (id, ours) in &self.places {
            if places.get(id).is_none_or(|theirs| ours.newer_than(theirs)) {
                places.insert(id.clone(), ours.clone());
            }
        }
        let last = match (&self.last, &disk.last) {
            (Some(ours), Some(theirs)) => Some(if ours.newer_than(theirs) { ours } else { theirs }.clone()),
            (ours, theirs) => ours.clone().or_else(|| theirs.clone()),
        };
        let mut hidden = disk.hidden.clone();
        for (fp, &(on, at)) in &self.hidden {
            if hidden.get(fp).is_none_or(|&(_, theirs)| at >= theirs) {
                hidden.insert(fp.clone(), (on, at));
            }
        }
        let mut ambiguous_by_term = disk.ambiguous_by_term.clone();
        ambiguous_by_term.extend(self.ambiguous_by_term.clone());

        SavedState {
            version: VERSION,
            last,
            places,
            bookmarks,
            read: self.read.union(&disk.read).cloned().collect(),
            ambiguous_by_term,
            removed_bookmarks: removed,
            clock: self.clock.max(disk.clock),
            hidden,
        }
    }

    /// The fingerprints of the bundled bulletins the user removed.
    pub fn hidden_bulletins(&self) -> std::collections::HashSet<u64> {
        self.hidden.iter().filter(|(_, (on, _))| *on).filter_map(|(fp, _)| u64::from_str_radix(fp, 16).ok()).collect()
    }
}

/// How opening went; every case leaves a usable state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadReport {
    /// No state file yet.
    Fresh,
    Loaded,
    /// The file was damaged (or from a newer kanbao) and was moved aside; defaults are in use.
    Recovered {
        moved_to: PathBuf,
        reason: String,
    },
    /// The file exists but could not be read or moved aside; defaults are in use and saves will
    /// refuse to replace it.
    Unreadable {
        reason: String,
    },
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadReport::Fresh => f.write_str("no saved reading state yet"),
            LoadReport::Loaded => f.write_str("reading state loaded"),
            LoadReport::Recovered { moved_to, reason } => {
                write!(f, "state.json {reason}; kept as {}; using defaults", file_name(moved_to))
            }
            LoadReport::Unreadable { reason } => {
                write!(f, "state.json {reason}; using defaults, and it will not be saved over")
            }
        }
    }
}

/// Why file content is not usable state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// `corrupt` or `newer`: the suffix of the moved-aside name.
    pub kind: &'static str,
    pub reason: String,
}

/// Parses state file content. Pure, and total: any bytes give a state or a reason.
pub fn classify(bytes: &[u8]) -> Result<SavedState, Damage> {
    let corrupt = |reason: String| Damage { kind: "corrupt", reason };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(corrupt(format!("is larger than {} MB, too large to be reading state", MAX_FILE_BYTES >> 20)));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(corrupt("is empty".to_owned()));
    }
    if bytes.iter().all(|&b| b == 0) {
        // What some filesystems leave after a crash in the middle of a write.
        return Err(corrupt("holds only zero bytes (an interrupted write)".to_owned()));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        corrupt(match e.classify() {
            serde_json::error::Category::Eof => format!("is cut short at line {}", e.line()),
            _ => format!("is not valid JSON at line {}", e.line()),
        })
    })?;
    let version = value.get("version").map(|v| v.as_u64());
    match version {
        Some(Some(v)) if v > u64::from(VERSION) => {
            let reason = format!("was written by a newer kanbao (format {v}, this one reads {VERSION})");
            return Err(Damage { kind: "newer", reason });
        }
        Some(Some(v)) if v >= 1 => {}
        _ if !value.is_object() => return Err(corrupt("does not hold kanbao reading state".to_owned())),
        _ => return Err(corrupt("has no valid format version".to_owned())),
    }
    serde_json::from_value::<SavedState>(value).map_err(|e| {
        // serde quotes the offending value; it came from the file, so clean and shorten it.
        let detail: String = sanitize_line(&e.to_string()).chars().take(80).collect();
        corrupt(format!("has unexpected content ({detail})"))
    })
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "state.json".to_owned(), |n| n.to_string_lossy().into_owned())
}

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `20260501-101500` (UTC): sorts by time, and is a valid file name everywhere.
pub fn utc_stamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}-{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bm(offset: usize, added: u64) -> Bookmark {
        Bookmark { offset, added }
    }

    #[test]
    fn stamps() {
        assert_eq!(utc_stamp(0), "19700101-000000");
        assert_eq!(utc_stamp(951_782_400), "20000229-000000");
        assert_eq!(utc_stamp(1_777_630_500), "20260501-101500");
    }

    #[test]
    fn merge_unions_bookmarks_and_read_marks() {
        let mut ours = SavedState::default();
        ours.add_bookmark("a", 1, 10);
        ours.mark_read("a");
        let mut disk = SavedState::default();
        disk.add_bookmark("b", 2, 11);
        disk.mark_read("b");
        let m = ours.merge(&disk);
        assert_eq!(m.bookmarks.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.read.iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn removal_beats_an_older_copy_of_the_bookmark() {
        let mut disk = SavedState::default();
        disk.bookmarks.insert("a".into(), bm(1, 10));
        let mut ours = disk.clone();
        ours.remove_bookmark("a", 20);
        assert!(ours.merge(&disk).bookmarks.is_empty());
        // ...and the other instance, still holding it, does not bring it back.
        let saved = ours.merge(&disk);
        assert!(disk.merge(&saved).bookmarks.is_empty());
    }

    #[test]
    fn removal_in_the_same_second_as_adding_wins_and_readding_wins_over_removal() {
        let mut s = SavedState::default();
        s.add_bookmark("a", 1, 10);
        s.remove_bookmark("a", 10);
        assert!(s.merge(&SavedState::default()).bookmarks.is_empty());
        s.add_bookmark("a", 2, 10);
        let disk = s.merge(&SavedState::default());
        assert_eq!(disk.bookmarks["a"].offset, 2);
        // Even merged with a disk copy that still has the tombstone.
        let mut tomb = SavedState::default();
        tomb.removed_bookmarks.insert("a".into(), 10);
        assert!(s.merge(&tomb).bookmarks.contains_key("a"));
    }

    #[test]
    fn newest_place_wins_ties_go_to_us() {
        let mut ours = SavedState::default();
        ours.set_place("a", 100, 50);
        ours.set_place("b", 5, 40);
        let mut disk = SavedState::default();
        disk.set_place("b", 7, 40);
        disk.set_place("a", 200, 60);
        let m = ours.merge(&disk);
        assert_eq!(m.places["a"].offset, 200);
        assert_eq!(m.places["b"].offset, 5);
        assert_eq!(m.last.as_ref().map(|p| p.id.as_str()), Some("a"));
        assert_eq!(SavedState::default().merge(&disk).last, disk.last);
    }

    #[test]
    fn a_clock_once_ahead_does_not_pin_the_place() {
        // Saved an hour in the future (a skewed clock since corrected).
        let mut disk = SavedState::default();
        disk.set_place("old", 1, 10_000 + 3600);
        // This session loaded that file, then read on.
        let mut ours = disk.clone();
        ours.set_place("new", 2, 10_000);
        let m = ours.merge(&disk);
        assert_eq!(m.last.as_ref().map(|p| p.id.as_str()), Some("new"));
        // A file from before the counter (seq 0) loses to any place set since.
        let legacy = SavedState {
            last: Some(Place { id: "old".into(), offset: 1, at: u64::MAX, seq: 0 }),
            ..SavedState::default()
        };
        let mut ours = legacy.clone();
        ours.set_place("new", 2, 5);
        assert_eq!(ours.merge(&legacy).last.map(|p| p.id), Some("new".to_string()));
    }

    #[test]
    fn ambiguous_by_term_ours_wins() {
        let mut ours = SavedState::default();
        ours.ambiguous_by_term.insert("xterm".into(), "wide".into());
        let mut disk = SavedState::default();
        disk.ambiguous_by_term.insert("xterm".into(), "narrow".into());
        disk.ambiguous_by_term.insert("putty".into(), "wide".into());
        let m = ours.merge(&disk);
        assert_eq!(m.ambiguous_for("xterm"), Some(Ambiguous::Wide));
        assert_eq!(m.ambiguous_for("putty"), Some(Ambiguous::Wide));
        assert_eq!(m.ambiguous_for("vt100"), None);
    }

    #[test]
    fn classify_reasons() {
        let reason = |b: &[u8]| classify(b).unwrap_err().reason;
        assert_eq!(reason(b""), "is empty");
        assert!(reason(&[0; 100]).contains("zero bytes"));
        assert_eq!(reason(b"{\"version\": 1,\n \"read\": [\"a\""), "is cut short at line 2");
        assert_eq!(reason(b"{\n\n\"version\": 1,,}"), "is not valid JSON at line 3");
        assert_eq!(classify(b"{\"version\": 99}").unwrap_err().kind, "newer");
        assert!(reason(b"[1, 2]").contains("does not hold"));
        assert!(reason(b"{\"read\": []}").contains("version"));
        let odd = reason(b"{\"version\": 1, \"read\": \"\\u001b]0;pwned\\u0007\"}");
        assert!(odd.starts_with("has unexpected content"), "{odd}");
        assert!(!odd.chars().any(char::is_control), "{odd:?}");
        assert_eq!(classify(b"{\"version\": 1}"), Ok(SavedState { version: 1, ..SavedState::default() }));
    }

    #[test]
    fn deep_nesting_is_damage_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(classify(deep.as_bytes()).is_err());
    }
}
