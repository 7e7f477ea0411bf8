//! kanbao (看报): a terminal reader for the Chongqing trade-union bulletins.
//!
//! `domain` is the pure core (parsing, layout, finder, state): plain data in, plain data out,
//! no terminal. `cli` holds the non-interactive subcommands over the same core.

pub mod about;
pub mod cli;
pub mod domain;
pub mod io;
pub mod jobs;
pub mod log;
pub mod tui;
