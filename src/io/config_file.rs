//! Reading `config.toml` (capped, regular files only); what it says is `domain::config`.

use std::path::Path;

use crate::domain::config::{Config, Warning, config_from_bytes, escape};
use crate::io::read::{CONFIG_CAP, Refusal, read_capped};

/// The config at `path`: defaults when there is none, and a warning naming the file for every
/// setting (or the whole file) that could not be used. Never fails, never waits on a FIFO.
pub fn load_config(path: &Path) -> (Config, Vec<Warning>) {
    let file = path.display().to_string();
    match read_capped(path, CONFIG_CAP) {
        Ok(bytes) => config_from_bytes(&bytes, &file),
        Err(e) if e.refusal == Refusal::Missing => (Config::default(), Vec::new()),
        Err(e) => {
            let message = format!("{}; using all defaults", e.refusal);
            (Config::default(), vec![Warning { file: escape(&file), line: None, key: None, message }])
        }
    }
}
