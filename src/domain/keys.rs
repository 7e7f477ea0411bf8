//! Keys and the commands they run, as plain data: the one place a key's name and a command's
//! name are written. The config checks `[keys]` against these names; the reader builds its
//! keymap and its help from the same table (see `tui::keymap`).

/// A key as the config and the help name it (no terminal involved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    /// Ctrl with a lower-case ASCII letter.
    Ctrl(char),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Esc,
    Tab,
    BackTab,
}

/// Keys with a name of their own in the config (besides single characters and `ctrl-<letter>`).
pub const NAMED_KEYS: &[(&str, Key)] = &[
    ("space", Key::Char(' ')),
    ("enter", Key::Enter),
    ("esc", Key::Esc),
    ("tab", Key::Tab),
    ("backtab", Key::BackTab),
    ("up", Key::Up),
    ("down", Key::Down),
    ("left", Key::Left),
    ("right", Key::Right),
    ("pageup", Key::PageUp),
    ("pagedown", Key::PageDown),
    ("home", Key::Home),
    ("end", Key::End),
];

impl Key {
    /// "j", "G", "ctrl-d", "pagedown"... as the config writes keys (normalized: see
    /// `config::normalize_key` for the spellings a user may type).
    pub fn from_name(name: &str) -> Option<Key> {
        if let Some(&(_, key)) = NAMED_KEYS.iter().find(|(n, _)| *n == name) {
            return Some(key);
        }
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(Key::Char(c));
        }
        let mut letter = name.strip_prefix("ctrl-")?.chars();
        match (letter.next(), letter.next()) {
            (Some(c), None) if c.is_ascii_lowercase() => Some(Key::Ctrl(c)),
            _ => None,
        }
    }

    /// The config's name of the key: `Key::from_name(&key.name())` gives it back.
    pub fn name(self) -> String {
        if let Some((name, _)) = NAMED_KEYS.iter().find(|(_, k)| *k == self) {
            return (*name).to_owned();
        }
        match self {
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("ctrl-{c}"),
            _ => unreachable!("every other key is in NAMED_KEYS"),
        }
    }

    /// How the help shows the key.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift-Tab".into(),
        }
    }
}

/// The table of commands a key can be bound to, one row each: the reader's `Action` variant,
/// the config name, the default keys (in the config's spelling) and the help line. Rows are in
/// the help's order.
///
/// It is handed to a macro `$m` so that each side generates what it needs from the same rows:
/// the config its list of names (`config::ACTIONS`), the reader its keymap, help and
/// `action_from_name` (`tui::keymap::BINDINGS`). The domain only reads the names.
macro_rules! commands {
    ($m:ident) => {
        $m! {
            (Down, "down", ["j", "down"], "下移 / 向下滚动一行  move or scroll down"),
            (Up, "up", ["k", "up"], "上移 / 向上滚动一行  move or scroll up"),
            (PageDown, "page-down", ["space", "pagedown", "ctrl-f"], "向下翻页  page down"),
            (PageUp, "page-up", ["b", "pageup", "ctrl-b"], "向上翻页  page up"),
            (HalfPageDown, "half-page-down", ["ctrl-d"], "向下半页  half page down"),
            (HalfPageUp, "half-page-up", ["ctrl-u"], "向上半页  half page up"),
            (Top, "top", ["g", "home"], "到开头  go to the top"),
            (Bottom, "bottom", ["G", "end"], "到末尾  go to the end"),
            (Open, "open", ["enter", "l", "right"], "打开期刊或文章  open the bulletin or article"),
            (Back, "back", ["esc", "h", "left"], "返回 / 关闭  back, close"),
            (FocusNext, "focus-next", ["tab"], "下一个窗格  next pane"),
            (FocusPrev, "focus-prev", ["backtab"], "上一个窗格  previous pane"),
            (PrevArticle, "prev-article", ["["], "上一篇文章  previous article"),
            (NextArticle, "next-article", ["]"], "下一篇文章  next article"),
            (Search, "search", ["/"], "在文章中搜索  search in the article"),
            (NextMatch, "next-match", ["n"], "下一个匹配  next match (after a search)"),
            (PrevMatch, "prev-match", ["N"], "上一个匹配  previous match"),
            (Finder, "finder", ["f", "ctrl-p"], "查找标题和区县  finder"),
            (Grep, "grep", ["s"], "全文搜索 (期刊栏里 / 亦可)  search all text"),
            (Districts, "districts", ["d"], "按区县浏览  districts and their articles"),
            (Bookmark, "bookmark", ["m"], "加/删书签  bookmark here, or remove it"),
            (Bookmarks, "bookmarks", ["'"], "书签列表  bookmarks"),
            (Copy, "copy", ["y"], "复制文章 (OSC 52)  copy the article"),
            (Reload, "reload", ["R"], "重新读取文件  reload bulletin files"),
            (Help, "help", ["?"], "帮助  this help"),
            (Redraw, "redraw", ["ctrl-l"], "重绘屏幕  redraw the screen"),
            (Suspend, "suspend", ["ctrl-z"], "挂起到后台 (fg 返回)  suspend"),
            (Quit, "quit", ["q", "ctrl-c"], "退出  quit"),
        }
    };
}
pub(crate) use commands;

/// `config::ACTIONS`: "none" (unbinds a key), then every command's name.
macro_rules! command_names {
    ($(($variant:ident, $name:literal, [$($key:literal),*], $help:literal)),* $(,)?) => {
        &["none", $($name),*]
    };
}
pub(crate) use command_names;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_round_trip_both_ways() {
        for &(name, key) in NAMED_KEYS {
            assert_eq!(Key::from_name(name), Some(key), "{name}");
            assert_eq!(key.name(), name);
        }
        for key in [Key::Char('j'), Key::Char('G'), Key::Char('中'), Key::Char('\''), Key::Ctrl('d')] {
            assert_eq!(Key::from_name(&key.name()), Some(key), "{key:?}");
        }
        for name in ["j", "G", "/", "ctrl-d", "ctrl-z", "space", "backtab"] {
            assert_eq!(Key::from_name(name).map(Key::name).as_deref(), Some(name));
        }
        for bad in ["", "ctrl-", "ctrl-dd", "ctrl-D", "ctrl-1", "hyper-x", "PageDown"] {
            assert_eq!(Key::from_name(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_default_key_is_a_key_and_bound_once() {
        macro_rules! rows {
            ($(($variant:ident, $name:literal, [$($key:literal),*], $help:literal)),* $(,)?) => {
                vec![$(($name, vec![$($key),*])),*]
            };
        }
        let rows: Vec<(&str, Vec<&str>)> = commands!(rows);
        let mut seen = std::collections::HashSet::new();
        for (name, keys) in &rows {
            assert!(!keys.is_empty(), "{name} has a default key");
            for key in keys {
                assert!(Key::from_name(key).is_some(), "{name}: {key} is a key name");
                assert!(seen.insert(*key), "{key} is bound twice");
            }
        }
        let names: Vec<&str> = rows.iter().map(|(n, _)| *n).collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "each command named once");
    }
}
