//! Where kanbao keeps things on this machine (directories' ProjectDirs).

use std::path::{Path, PathBuf};

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
    /// `None` without a usable home folder. A relative HOME is not one: state would land under
    /// whatever folder kanbao happens to be started in (the XDG variables, when relative, are
    /// likewise ignored by `directories`, as the XDG spec says).
    pub fn discover() -> Option<Paths> {
        if home_is_relative() {
            return None;
        }
        let dirs = ProjectDirs::from("", "", "kanbao")?;
        let paths = Paths {
            config_file: dirs.config_dir().join("config.toml"),
            state_file: dirs.data_dir().join("state.json"),
            library: dirs.data_dir().join("bulletins"),
            log_file: dirs.cache_dir().join("kanbao.log"),
            cache_dir: dirs.cache_dir().join("parsed"),
        };
        let all = [&paths.config_file, &paths.state_file, &paths.library, &paths.log_file, &paths.cache_dir];
        all.iter().all(|p| p.is_absolute()).then_some(paths)
    }

    /// Why [`Paths::discover`] gave none, for the one-line message.
    pub fn why_none() -> &'static str {
        if home_is_relative() {
            "HOME is not an absolute path, so kanbao has no home folder to keep things in"
        } else {
            "this machine gives no home folder (is HOME set?)"
        }
    }
}

/// Unix only: Windows takes the profile folder from the system, not from HOME.
fn home_is_relative() -> bool {
    cfg!(unix) && std::env::var_os("HOME").is_some_and(|h| !h.is_empty() && !Path::new(&h).is_absolute())
}
