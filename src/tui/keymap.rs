//! Keys -> actions: one table per context. The help overlay is generated from the same table,
//! so it can never disagree with what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
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

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match (self, ev.code) {
            (Key::Char(c), KeyCode::Char(e)) => !ctrl && c == e,
            (Key::Ctrl(c), KeyCode::Char(e)) => ctrl && c == e.to_ascii_lowercase(),
            (Key::Up, KeyCode::Up)
            | (Key::Down, KeyCode::Down)
            | (Key::Left, KeyCode::Left)
            | (Key::Right, KeyCode::Right)
            | (Key::PageUp, KeyCode::PageUp)
            | (Key::PageDown, KeyCode::PageDown)
            | (Key::Home, KeyCode::Home)
            | (Key::End, KeyCode::End)
            | (Key::Enter, KeyCode::Enter)
            | (Key::Esc, KeyCode::Esc)
            | (Key::Tab, KeyCode::Tab)
            | (Key::BackTab, KeyCode::BackTab) => true,
            _ => false,
        }
    }

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

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

const fn bind(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { keys, action, help }
}

use Key::*;

/// The library and reading panes (less and vim habits, arrows too).
pub static NORMAL: &[Binding] = &[
    bind(&[Char('j'), Down], Action::Down, "下移 / 向下滚动一行  move or scroll down"),
    bind(&[Char('k'), Up], Action::Up, "上移 / 向上滚动一行  move or scroll up"),
    bind(&[Char(' '), PageDown, Ctrl('f')], Action::PageDown, "向下翻页  page down"),
    bind(&[Char('b'), PageUp, Ctrl('b')], Action::PageUp, "向上翻页  page up"),
    bind(&[Ctrl('d')], Action::HalfPageDown, "向下半页  half page down"),
    bind(&[Ctrl('u')], Action::HalfPageUp, "向上半页  half page up"),
    bind(&[Char('g'), Home], Action::Top, "到开头  go to the top"),
    bind(&[Char('G'), End], Action::Bottom, "到末尾  go to the end"),
    bind(&[Enter, Char('l'), Right], Action::Open, "打开期刊或文章  open the bulletin or article"),
    bind(&[Esc, Char('h'), Left], Action::Back, "返回 / 关闭  back, close"),
    bind(&[Tab], Action::FocusNext, "下一个窗格  next pane"),
    bind(&[BackTab], Action::FocusPrev, "上一个窗格  previous pane"),
    bind(&[Char('[')], Action::PrevArticle, "上一篇文章  previous article"),
    bind(&[Char(']')], Action::NextArticle, "下一篇文章  next article"),
    bind(&[Char('/')], Action::Search, "在文章中搜索  search in the article"),
    bind(&[Char('n')], Action::NextMatch, "下一个匹配  next match (after a search)"),
    bind(&[Char('N')], Action::PrevMatch, "上一个匹配  previous match"),
    bind(&[Char('f'), Ctrl('p')], Action::Finder, "查找标题和区县  finder"),
    bind(&[Char('s')], Action::Grep, "全文搜索 (期刊栏里 / 亦可)  search all text"),
    bind(&[Char('d')], Action::Districts, "按区县浏览  districts and their articles"),
    bind(&[Char('m')], Action::Bookmark, "加/删书签  bookmark here, or remove it"),
    bind(&[Char('\'')], Action::Bookmarks, "书签列表  bookmarks"),
    bind(&[Char('y')], Action::Copy, "复制文章 (OSC 52)  copy the article"),
    bind(&[Char('R')], Action::Reload, "重新读取文件  reload bulletin files"),
    bind(&[Char('?')], Action::Help, "帮助  this help"),
    bind(&[Ctrl('l')], Action::Redraw, "重绘屏幕  redraw the screen"),
    bind(&[Ctrl('z')], Action::Suspend, "挂起到后台 (fg 返回)  suspend"),
    bind(&[Char('q'), Ctrl('c')], Action::Quit, "退出  quit"),
];

/// The help overlay.
pub static HELP: &[Binding] = &[
    bind(&[Char('j'), Down], Action::Down, ""),
    bind(&[Char('k'), Up], Action::Up, ""),
    bind(&[Char(' '), PageDown], Action::PageDown, ""),
    bind(&[Char('b'), PageUp], Action::PageUp, ""),
    bind(&[Char('?'), Esc, Char('q')], Action::Back, ""),
    bind(&[Ctrl('c')], Action::Quit, ""),
];

/// The keys of the panes: the table above with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    normal: Vec<(Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap { normal: NORMAL.iter().flat_map(|b| b.keys.iter().map(|&k| (k, b.action.clone()))).collect() }
    }
}

impl Keymap {
    /// Applies overrides from the config: (normalized key, action name). The config has checked
    /// the names; one we still cannot use is skipped. `none` unbinds the key.
    pub fn with_overrides(overrides: &[(String, String)]) -> Keymap {
        let mut map = Keymap::default();
        for (key, action) in overrides {
            let Some(key) = Key::from_name(key) else { continue };
            // Ctrl-C always quits: a config must not be able to lock the user in.
            if key == Ctrl('c') {
                continue;
            }
            map.normal.retain(|(k, _)| *k != key);
            if let Some(action) = action_from_name(action) {
                map.normal.insert(0, (key, action));
            }
        }
        map
    }

    fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.normal.iter().find(|(k, _)| k.matches(ev)).map(|(_, a)| a.clone())
    }

    /// The keys now bound to `action`, for the help.
    pub fn keys_for(&self, action: &Action) -> Vec<Key> {
        self.normal.iter().filter(|(_, a)| a == action).map(|(k, _)| *k).collect()
    }
}

impl Key {
    /// "j", "G", "ctrl-d", "pagedown"... as the config writes keys.
    pub fn from_name(name: &str) -> Option<Key> {
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(Char(c));
        }
        if let Some(rest) = name.strip_prefix("ctrl-") {
            let mut cs = rest.chars();
            return match (cs.next(), cs.next()) {
                (Some(c), None) => Some(Ctrl(c.to_ascii_lowercase())),
                _ => None,
            };
        }
        Some(match name {
            "space" => Char(' '),
            "enter" => Enter,
            "esc" => Esc,
            "tab" => Tab,
            "backtab" => BackTab,
            "up" => Up,
            "down" => Down,
            "left" => Left,
            "right" => Right,
            "pageup" => PageUp,
            "pagedown" => PageDown,
            "home" => Home,
            "end" => End,
            _ => return None,
        })
    }
}

/// Config action names (kebab-case) -> actions; `none` and unknown names -> None.
pub fn action_from_name(name: &str) -> Option<Action> {
    Some(match name {
        "quit" => Action::Quit,
        "suspend" => Action::Suspend,
        "redraw" => Action::Redraw,
        "help" => Action::Help,
        "back" => Action::Back,
        "focus-next" => Action::FocusNext,
        "focus-prev" => Action::FocusPrev,
        "up" => Action::Up,
        "down" => Action::Down,
        "half-page-up" => Action::HalfPageUp,
        "half-page-down" => Action::HalfPageDown,
        "page-up" => Action::PageUp,
        "page-down" => Action::PageDown,
        "top" => Action::Top,
        "bottom" => Action::Bottom,
        "open" => Action::Open,
        "prev-article" => Action::PrevArticle,
        "next-article" => Action::NextArticle,
        "search" => Action::Search,
        "next-match" => Action::NextMatch,
        "prev-match" => Action::PrevMatch,
        "finder" => Action::Finder,
        "grep" => Action::Grep,
        "bookmark" => Action::Bookmark,
        "bookmarks" => Action::Bookmarks,
        "copy" => Action::Copy,
        "reload" => Action::Reload,
        "districts" => Action::Districts,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Normal,
    Help,
    /// Typing a search: printable keys are text.
    Typing,
    /// The finder: printable keys are the query; arrows and fzf's Ctrl keys move.
    Finding,
}

pub fn action_for(keymap: &Keymap, ctx: Context, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    match ctx {
        Context::Normal => keymap.action(ev),
        Context::Help => HELP.iter().find(|b| b.keys.iter().any(|k| k.matches(ev))).map(|b| b.action.clone()),
        Context::Typing => typing(ev),
        Context::Finding => finding(ev),
    }
}

fn finding(ev: &KeyEvent) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    Some(match ev.code {
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Char('p' | 'k') if ctrl => Action::Up,
        KeyCode::Char('n' | 'j') if ctrl => Action::Down,
        _ => return typing(ev),
    })
}

fn typing(ev: &KeyEvent) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    Some(match ev.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('w') if ctrl => Action::DeleteWord,
        KeyCode::Char('u') if ctrl => Action::Back,
        KeyCode::Char(c) if !ctrl => Action::Input(c),
        KeyCode::Backspace => Action::DeleteChar,
        KeyCode::Enter => Action::Submit,
        KeyCode::Esc => Action::Back,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    fn normal(ev: KeyEvent) -> Option<Action> {
        action_for(&Keymap::default(), Context::Normal, &ev)
    }

    #[test]
    fn overrides_rebind_and_unbind() {
        let map = Keymap::with_overrides(&[("ctrl-d".into(), "page-down".into()), ("q".into(), "none".into())]);
        let ev = |c, m| key(KeyCode::Char(c), m);
        assert_eq!(action_for(&map, Context::Normal, &ev('d', KeyModifiers::CONTROL)), Some(Action::PageDown));
        assert_eq!(action_for(&map, Context::Normal, &ev('q', KeyModifiers::NONE)), None);
        assert_eq!(
            action_for(&map, Context::Normal, &ev('c', KeyModifiers::CONTROL)),
            Some(Action::Quit),
            "Ctrl-C still quits"
        );
        assert_eq!(map.keys_for(&Action::Quit), [Ctrl('c')]);
        for name in crate::domain::config::ACTIONS.iter().filter(|a| **a != "none") {
            assert!(action_from_name(name).is_some(), "config action {name} has a meaning");
        }
    }

    #[test]
    fn less_and_vim_keys() {
        let n = |c| normal(key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(n('j'), Some(Action::Down));
        assert_eq!(n(' '), Some(Action::PageDown));
        assert_eq!(n('G'), Some(Action::Bottom));
        assert_eq!(n('?'), Some(Action::Help));
        assert_eq!(normal(key(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(normal(key(KeyCode::Char('p'), KeyModifiers::CONTROL)), Some(Action::Finder));
        assert_eq!(normal(key(KeyCode::PageDown, KeyModifiers::NONE)), Some(Action::PageDown));
    }

    #[test]
    fn typing_takes_every_printable_key() {
        let t = |c| action_for(&Keymap::default(), Context::Typing, &key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(t('q'), Some(Action::Input('q')));
        assert_eq!(t('中'), Some(Action::Input('中')));
        assert_eq!(
            action_for(&Keymap::default(), Context::Typing, &key(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Back)
        );
    }
}
