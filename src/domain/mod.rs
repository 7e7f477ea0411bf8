//! The pure core: parsing, layout, districts, dates, the corpus. Plain data in, plain data out.
//! Nothing in here may import ratatui or crossterm.

pub mod corpus;
pub mod dates;
pub mod decode;
pub mod districts;
pub mod export;
pub mod layout;
pub mod load;
pub mod page;
pub mod pager;
pub mod parse;
pub mod paths;
pub mod sanitize;
pub mod width;
