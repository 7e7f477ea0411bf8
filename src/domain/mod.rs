//! The pure core: parsing, layout, districts, dates, the corpus. Plain data in, plain data out.
//! Nothing in here may import ratatui or crossterm.

pub mod bodies;
pub mod config;
pub mod convert;
pub mod corpus;
pub mod dates;
pub mod decode;
pub mod detail;
pub mod districts;
pub mod export;
pub mod finder;
pub mod flow;
pub mod fold;
pub mod han;
pub mod identity;
pub mod keys;
pub mod layout;
pub mod library;
pub mod load;
pub mod masthead;
pub mod page;
pub mod pager;
pub mod parallel;
pub mod parse;
pub mod parse_cache;
pub mod paths;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod pinyin;
pub mod sanitize;
pub mod search;
pub mod store;
pub mod unread;
pub mod utf8;
pub mod width;

/// For tests: the text of the bundled seed whose file name starts with `prefix`.
#[cfg(test)]
pub(crate) fn seed_text(prefix: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("seeds/ next to Cargo.toml")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    std::fs::read_to_string(entry.path()).expect("readable seed")
}
