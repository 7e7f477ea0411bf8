//! The I/O edge: every file kanbao reads or writes goes through here, so each read has a size
//! cap and refuses what is not a regular file, each write is atomic, and output to a closed
//! pipe or a dead terminal never panics. `crate::domain` stays plain data in, plain data out.
//!
//! Platform specifics live in small `cfg(unix)` functions, each with its counterpart beside it.

pub mod config_file;
pub mod lock;
pub mod memory;
pub mod out;
pub mod read;
pub mod state_file;
pub mod write;
