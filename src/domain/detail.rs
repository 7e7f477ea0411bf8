//! How much of each bulletin a load builds. The reader, `list`, `find` and `export` need all of
//! it; full-text search (`kanbao grep`) needs only the text it searches and what it prints.
//! At 10,000 cached bulletins, building the rest (every article's districts, section and key,
//! every bulletin's date evidence) was most of a `kanbao grep`'s start.

/// What a load builds for each bulletin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything.
    #[default]
    Full,
    /// What full-text search and its output use: headlines, dates, ids, warnings, bodies.
    /// Bulletins read from the parse cache come without sections, districts and date
    /// evidence, and no article gets an id or a key (`Article::id` and `Article::key` stay
    /// empty; `Bulletin::article_id` gives the id). The cache is checked
    /// exactly as for `Full`: what is left out is still read, and checked, not kept.
    Search,
}

impl Detail {
    /// Whether the parts only the reader and the other commands use are kept.
    pub fn full(self) -> bool {
        self == Detail::Full
    }
}
