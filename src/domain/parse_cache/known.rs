//! Articles a load made from parse-cache entries, kept for the next load of the same library
//! (the reader's `R`), so that a reload holds one copy of what did not change rather than two
//! (`Bulletin::articles` is behind an `Arc`). They are kept by the CRC-32 of the headline bytes
//! they were made from, and shared in two ways:
//! - an entry of the cache for the same file (identity) with the same CRC-32 is not decoded
//!   again but for its few bulletin fields (`codec::decode_sharing`);
//! - a file parsed again (touched, copied anew, or the cache deleted) is decoded as ever, and
//!   if its articles are the same as kept ones (`codec::same_headlines`), those are shared.
//!
//! Only what a load made and checked is kept: sharing it shows nothing that decoding the entry
//! would not.

use std::collections::HashMap;
use std::sync::Arc;

use super::FileIdentity;
use crate::domain::corpus::Article;

/// Kept articles by the CRC-32 of their headlines, with the file they were read from.
#[derive(Debug, Clone, Default)]
pub struct Known {
    made: HashMap<u32, (FileIdentity, Arc<Vec<Article>>)>,
}

impl Known {
    /// Keeps `articles` as made from headlines whose CRC-32 is `sum` (`headlines_sum`) in the
    /// cache entry of the file `identity`. (Two bulletins whose sums collide keep one: the
    /// other is then not shared, and decoded as ever.)
    pub fn insert(&mut self, identity: FileIdentity, sum: u32, articles: Arc<Vec<Article>>) {
        self.made.insert(sum, (identity, articles));
    }

    /// The articles made from the entry of the file `identity` with headlines of CRC-32 `sum`.
    pub fn of_entry(&self, identity: FileIdentity, sum: u32) -> Option<&Arc<Vec<Article>>> {
        self.made.get(&sum).filter(|(id, _)| *id == identity).map(|(_, a)| a)
    }

    /// Kept articles the same as `articles` (made from headlines of CRC-32 `sum`), if any.
    pub fn same_as(&self, sum: u32, articles: &[Article]) -> Option<&Arc<Vec<Article>>> {
        let (_, kept) = self.made.get(&sum)?;
        let same =
            kept.len() == articles.len() && kept.iter().zip(articles).all(|(k, a)| super::codec::same_headlines(k, a));
        same.then_some(kept)
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
