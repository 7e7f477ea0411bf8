//! Where kanbao keeps things on this machine (directories' ProjectDirs).

use std::path::PathBuf;

use directories::ProjectDirs;

/// The user's folders; `None` when the platform gives none (no HOME).
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_file: PathBuf,
    pub state_file: PathBuf,
    /// Bulletins the user added: always read, beside the bundled ones.
    pub library: PathBuf,
    /// What happened at start-up and what went wrong (never written to the screen).
    pub log_file: PathBuf,
    /// Parsed bulletins kept between runs (`parse_cache`); always safe to delete.
    pub cache_dir: PathBuf,
}

impl Paths {
    pub fn discover() -> Option<Paths> {
        let dirs = ProjectDirs::from("", "", "kanbao")?;
        Some(Paths {
            config_file: dirs.config_dir().join("config.toml"),
            state_file: dirs.data_dir().join("state.json"),
            library: dirs.data_dir().join("bulletins"),
            log_file: dirs.cache_dir().join("kanbao.log"),
            cache_dir: dirs.cache_dir().join("parsed"),
        })
    }
}
