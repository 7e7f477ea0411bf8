//! Helpers shared by the integration tests. Each test crate compiles this module on its own, so
//! helpers one crate does not use are allowed to be dead there.

pub mod pty;
pub mod widths;
