//! Articles a load made from parse-cache entries, kept for the next load of the same files
//! (the reader's `R`). An entry that the next load finds for the same file (identity) with the
//! same headline bytes (CRC-32) is not decoded again but for its few bulletin fields: its
//! articles are shared (`Bulletin::articles` is behind an `Arc`), so a reload after one file
//! changed holds one copy of the other 9,999 bulletins' articles rather than two. Only what a
//! load made and checked is kept: sharing it shows nothing that decoding the entry would not.

use std::collections::HashMap;
use std::sync::Arc;

use super::FileIdentity;
use crate::domain::corpus::Article;

/// Kept articles by their file and the CRC-32 of the headlines they were made from.
#[derive(Debug, Clone, Default)]
pub struct Known {
    made: HashMap<(FileIdentity, u32), Arc<Vec<Article>>>,
}

impl Known {
    /// Keeps `articles` as made from headlines whose CRC-32 is `sum` (`headlines_sum`) in the
    /// cache entry of the file `identity`.
    pub fn insert(&mut self, identity: FileIdentity, sum: u32, articles: Arc<Vec<Article>>) {
        self.made.insert((identity, sum), articles);
    }

    /// The articles made from the same entry, if they are kept.
    pub fn get(&self, identity: FileIdentity, sum: u32) -> Option<&Arc<Vec<Article>>> {
        self.made.get(&(identity, sum))
    }

    pub fn len(&self) -> usize {
        self.made.len()
    }

    pub fn is_empty(&self) -> bool {
        self.made.is_empty()
    }
}

/// What `Known` tells an entry's headlines (as `codec::encode` makes them) by.
pub fn headlines_sum(headlines: &[u8]) -> u32 {
    crc32fast::hash(headlines)
}
