//! The ids kanbao gave before stable ids (state files of format 1 are keyed by them): the month
//! plus a letter in file-name order (`2024-03`, `2024-03b`...), `undated-xxxx` from a hash of
//! the file name, and `/n` for the n-th article. They are rebuilt here over the corpus loaded
//! now, only to carry old marks over to stable keys.

use std::collections::{HashMap, HashSet};

use crate::domain::corpus::{Bulletin, Origin};

/// Old id -> (bulletin, article) indices into `bulletins`, as the old scheme would have named
/// them with exactly these bulletins loaded.
pub fn legacy_ids(bulletins: &[Bulletin]) -> HashMap<String, (usize, usize)> {
    let mut order: Vec<usize> = (0..bulletins.len()).collect();
    // The old order: undated last; then by date; then by file name; bundled before the user's.
    order.sort_by(|&a, &b| {
        let key = |b: &Bulletin| (b.date.is_none(), b.date, b.source.clone(), b.origin == Origin::User);
        key(&bulletins[a]).cmp(&key(&bulletins[b]))
    });
    let mut used: HashSet<String> = HashSet::with_capacity(bulletins.len());
    let mut ids = HashMap::new();
    for bi in order {
        let b = &bulletins[bi];
        let base = match b.date {
            Some(d) => d.to_string(),
            None => format!("undated-{:04x}", fnv1a(b.source.as_bytes()) & 0xffff),
        };
        let id = unique_id(&base, &used);
        used.insert(id.clone());
        for ai in 0..b.articles.len() {
            ids.insert(format!("{id}/{}", ai + 1), (bi, ai));
        }
    }
    ids
}

/// `base`, or `base` + b, c, ... when taken.
fn unique_id(base: &str, used: &HashSet<String>) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}{}", suffix(n))).find(|id| !used.contains(id)).expect("an unused suffix exists")
}

/// 2 -> "b", 26 -> "z", 27 -> "aa" (bijective base 26).
fn suffix(mut n: usize) -> String {
    let mut s = Vec::new();
    while n > 0 {
        n -= 1;
        s.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// FNV-1a, as the old ids used it.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(suffix(2), "b");
        assert_eq!(suffix(26), "z");
        assert_eq!(suffix(27), "aa");
    }
}
