//! Keys -> actions: one table per context. The help overlay is generated from the same table,
//! so it can never disagree with what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Edit};
use crate::domain::keys::{Key, commands};

/// Whether a terminal key event is `key`.
fn key_matches(key: Key, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match (key, ev.code) {
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

/// A command of the panes: its config name, its action, its default keys (config spelling) and
/// its help line.
pub struct Binding {
    pub name: &'static str,
    pub action: Action,
    pub keys: &'static [&'static str],
    pub help: &'static str,
}

macro_rules! bindings {
    ($(($variant:ident, $name:literal, [$($key:literal),*], $help:literal)),* $(,)?) => {
        &[$(Binding { name: $name, action: Action::$variant, keys: &[$($key),*], help: $help }),*]
    };
}

/// The library and reading panes (less and vim habits, arrows too), generated from the one
/// table of commands in `domain::keys`, as are the config's names and the help.
pub static BINDINGS: &[Binding] = commands!(bindings);

/// A key of the help overlay and what it does there.
pub struct HelpKey {
    pub keys: &'static [Key],
    pub action: Action,
}

use Key::*;

/// The help overlay.
pub static HELP: &[HelpKey] = &[
    HelpKey { keys: &[Char('j'), Down], action: Action::Down },
    HelpKey { keys: &[Char('k'), Up], action: Action::Up },
    HelpKey { keys: &[Char(' '), PageDown], action: Action::PageDown },
    HelpKey { keys: &[Char('b'), PageUp], action: Action::PageUp },
    HelpKey { keys: &[Char('?'), Esc, Char('q')], action: Action::Back },
    HelpKey { keys: &[Ctrl('c')], action: Action::Quit },
];

/// The keys of the panes: the table above with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    normal: Vec<(Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        // Every default key is a key name (tested in `domain::keys`).
        let keys = |b: &'static Binding| b.keys.iter().filter_map(|k| Key::from_name(k)).map(|k| (k, b.action.clone()));
        Keymap { normal: BINDINGS.iter().flat_map(keys).collect() }
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
        self.normal.iter().find(|(k, _)| key_matches(*k, ev)).map(|(_, a)| a.clone())
    }

    /// The keys now bound to `action`, for the help.
    pub fn keys_for(&self, action: &Action) -> Vec<Key> {
        self.normal.iter().filter(|(_, a)| a == action).map(|(k, _)| *k).collect()
    }
}

/// Config action names (kebab-case) -> actions; `none` and unknown names -> None.
pub fn action_from_name(name: &str) -> Option<Action> {
    BINDINGS.iter().find(|b| b.name == name).map(|b| b.action.clone())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Normal,
    Help,
    /// Typing a search (`/`): printable keys are text, readline's keys edit, Up/Down (and
    /// Ctrl-P/Ctrl-N) step through the searches made before.
    Typing,
    /// The finder: the same editing keys, but arrows and fzf's Ctrl-P/N/K/J move the selection
    /// (so Ctrl-K moves up here rather than kill to the end); Alt-P/Alt-N step through the
    /// history.
    Finding,
}

pub fn action_for(keymap: &Keymap, ctx: Context, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    match ctx {
        Context::Normal => keymap.action(ev),
        Context::Help => HELP.iter().find(|b| b.keys.iter().any(|k| key_matches(*k, ev))).map(|b| b.action.clone()),
        Context::Typing => typing(ev),
        Context::Finding => finding(ev),
    }
}

fn finding(ev: &KeyEvent) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    Some(match ev.code {
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Char('p' | 'k') if ctrl => Action::Up,
        KeyCode::Char('n' | 'j') if ctrl => Action::Down,
        KeyCode::Char('p') if alt => Action::HistoryPrev,
        KeyCode::Char('n') if alt => Action::HistoryNext,
        _ => return editing(ev),
    })
}

fn typing(ev: &KeyEvent) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    Some(match ev.code {
        KeyCode::Up => Action::HistoryPrev,
        KeyCode::Down => Action::HistoryNext,
        KeyCode::Char('p') if ctrl => Action::HistoryPrev,
        KeyCode::Char('n') if ctrl => Action::HistoryNext,
        KeyCode::Char('k') if ctrl => Action::Edit(Edit::KillToEnd),
        _ => return editing(ev),
    })
}

/// The keys every prompt shares (readline's).
fn editing(ev: &KeyEvent) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    Some(match ev.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('w') if ctrl => Action::DeleteWord,
        KeyCode::Char('u') if ctrl => Action::Edit(Edit::KillToStart),
        KeyCode::Char('a') if ctrl => Action::Edit(Edit::Home),
        KeyCode::Char('e') if ctrl => Action::Edit(Edit::End),
        KeyCode::Char('b') if ctrl => Action::Edit(Edit::Left),
        KeyCode::Char('f') if ctrl => Action::Edit(Edit::Right),
        KeyCode::Char('h') if ctrl => Action::DeleteChar,
        KeyCode::Char('b') if alt => Action::Edit(Edit::WordLeft),
        KeyCode::Char('f') if alt => Action::Edit(Edit::WordRight),
        KeyCode::Char(c) if !ctrl => Action::Input(c),
        KeyCode::Left => Action::Edit(Edit::Left),
        KeyCode::Right => Action::Edit(Edit::Right),
        KeyCode::Home => Action::Edit(Edit::Home),
        KeyCode::End => Action::Edit(Edit::End),
        KeyCode::Backspace if alt => Action::DeleteWord,
        KeyCode::Backspace => Action::DeleteChar,
        KeyCode::Delete => Action::Edit(Edit::Delete),
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

    #[test]
    fn prompts_edit_with_readline_keys() {
        let (none, ctrl, alt) = (KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT);
        let cases = [
            (KeyCode::Char('a'), ctrl, Action::Edit(Edit::Home)),
            (KeyCode::Char('e'), ctrl, Action::Edit(Edit::End)),
            (KeyCode::Char('b'), ctrl, Action::Edit(Edit::Left)),
            (KeyCode::Char('f'), ctrl, Action::Edit(Edit::Right)),
            (KeyCode::Left, none, Action::Edit(Edit::Left)),
            (KeyCode::Right, none, Action::Edit(Edit::Right)),
            (KeyCode::Home, none, Action::Edit(Edit::Home)),
            (KeyCode::End, none, Action::Edit(Edit::End)),
            (KeyCode::Char('u'), ctrl, Action::Edit(Edit::KillToStart)),
            (KeyCode::Char('w'), ctrl, Action::DeleteWord),
            (KeyCode::Char('b'), alt, Action::Edit(Edit::WordLeft)),
            (KeyCode::Char('f'), alt, Action::Edit(Edit::WordRight)),
            (KeyCode::Backspace, none, Action::DeleteChar),
            (KeyCode::Delete, none, Action::Edit(Edit::Delete)),
            (KeyCode::Enter, none, Action::Submit),
            (KeyCode::Esc, none, Action::Back),
            (KeyCode::Char('c'), ctrl, Action::Quit),
        ];
        for ctx in [Context::Typing, Context::Finding] {
            for (code, m, want) in &cases {
                assert_eq!(
                    action_for(&Keymap::default(), ctx, &key(*code, *m)),
                    Some(want.clone()),
                    "{ctx:?} {code:?}"
                );
            }
        }
    }

    #[test]
    fn up_and_down_are_history_in_search_and_selection_in_the_finder() {
        let (none, ctrl, alt) = (KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT);
        let at = |ctx, code, m| action_for(&Keymap::default(), ctx, &key(code, m));
        assert_eq!(at(Context::Typing, KeyCode::Up, none), Some(Action::HistoryPrev));
        assert_eq!(at(Context::Typing, KeyCode::Down, none), Some(Action::HistoryNext));
        assert_eq!(at(Context::Typing, KeyCode::Char('p'), ctrl), Some(Action::HistoryPrev));
        assert_eq!(at(Context::Typing, KeyCode::Char('k'), ctrl), Some(Action::Edit(Edit::KillToEnd)));
        assert_eq!(at(Context::Finding, KeyCode::Up, none), Some(Action::Up));
        assert_eq!(at(Context::Finding, KeyCode::Char('n'), ctrl), Some(Action::Down));
        assert_eq!(at(Context::Finding, KeyCode::Char('k'), ctrl), Some(Action::Up), "fzf's Ctrl-K");
        assert_eq!(at(Context::Finding, KeyCode::Char('p'), alt), Some(Action::HistoryPrev));
        assert_eq!(at(Context::Finding, KeyCode::Char('n'), alt), Some(Action::HistoryNext));
    }

    #[test]
    fn names_and_actions_map_one_to_one() {
        for b in BINDINGS {
            assert_eq!(action_from_name(b.name), Some(b.action.clone()), "{}", b.name);
            assert_eq!(BINDINGS.iter().filter(|o| o.action == b.action).count(), 1, "{:?} has one name", b.action);
            assert!(!Keymap::default().keys_for(&b.action).is_empty(), "{} has its default keys", b.name);
        }
        assert_eq!(action_from_name("none"), None);
        assert_eq!(crate::domain::config::ACTIONS.len(), BINDINGS.len() + 1, "the config's names are the table's");
    }
}
