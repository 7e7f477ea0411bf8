//! Arbitrary keys, pastes, wheel and clicks, resizes (1x1 up to the 1000x500 cap) and loads
//! finishing at any moment -> `update` -> `view::draw`, as the event loop runs them.
//!
//! Checked: no panic in update or view, whatever the order (issue 11, item 2: a load finishing
//! under the finder made the view panic); and Ctrl-C always ends it: from any state reached, the
//! action for Ctrl-C is Quit and its effects end with Quit.

#![no_main]

use std::sync::OnceLock;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use kanbao::domain::corpus::Corpus;
use kanbao::domain::load::{LoadOptions, load};
use kanbao::tui::action::{Action, Effect};
use kanbao::tui::state::{Settings, State};
use kanbao::tui::terminal::capped;
use kanbao::tui::{action_for, update, view};
use libfuzzer_sys::fuzz_target;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The bundled bulletins, and the first two of them: a load swaps one for the other.
fn corpora() -> &'static (Corpus, Corpus) {
    static CORPORA: OnceLock<(Corpus, Corpus)> = OnceLock::new();
    CORPORA.get_or_init(|| {
        let opts = LoadOptions { bundled: true, ..LoadOptions::default() };
        let (full, _) = load(&[], None, opts);
        let small = Corpus::new(full.bulletins.iter().take(2).cloned().collect());
        (full, small)
    })
}

const KEYS: &[KeyCode] = &[
    KeyCode::Char('j'), KeyCode::Char('k'), KeyCode::Char('f'), KeyCode::Char('d'), KeyCode::Char('/'),
    KeyCode::Char('n'), KeyCode::Char('N'), KeyCode::Char('m'), KeyCode::Char('\''), KeyCode::Char('R'),
    KeyCode::Char('?'), KeyCode::Char('['), KeyCode::Char(']'), KeyCode::Char('g'), KeyCode::Char('G'),
    KeyCode::Char(' '), KeyCode::Char('b'), KeyCode::Char('y'), KeyCode::Char('s'), KeyCode::Char('璧'),
    KeyCode::Char('\u{301}'), KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Backspace,
    KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right, KeyCode::PageUp, KeyCode::PageDown,
    KeyCode::Home, KeyCode::End,
];

fn ctrl_c() -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// One step of the event loop; false when the reader would have quit.
fn step(state: &mut State, action: Action) -> bool {
    let effects = update::update(state, action);
    !effects.iter().any(|e| matches!(e, Effect::Quit | Effect::Suspend))
}

fn draw(state: &State) {
    let (w, h) = state.size;
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    view::draw(&mut buf, state);
}

fuzz_target!(|data: &[u8]| {
    let (full, small) = corpora();
    let mut state = State::new(small.clone(), Settings::default(), (80, 24));
    let mut bytes = data.iter().copied();
    while let (Some(op), Some(arg)) = (bytes.next(), bytes.next()) {
        let event = match op % 10 {
            0..=4 => {
                let code = KEYS[usize::from(arg) % KEYS.len()];
                let mods = if op & 0x80 != 0 { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
                // q and Ctrl-Z end or stop the loop; here they only would.
                if matches!(code, KeyCode::Char('q')) || (mods == KeyModifiers::CONTROL && code == KeyCode::Char('z')) {
                    continue;
                }
                Some(Event::Key(KeyEvent::new(code, mods)))
            }
            5 => {
                let w = u16::from(arg) * 4 + u16::from(op >> 4);
                let h = u16::from(arg >> 2) * 2 + 1;
                let (w, h) = capped((w, h));
                Some(Event::Resize(w, h))
            }
            6 => {
                let corpus = if arg & 1 == 0 { full.clone() } else { small.clone() };
                let problems = if arg & 2 == 0 { Vec::new() } else { vec!["x.txt: problem".to_string()] };
                if !step(&mut state, Action::Reloaded(Box::new(corpus), problems)) {
                    return;
                }
                None
            }
            7 => Some(Event::Paste("璧山 bs 工会".repeat(usize::from(arg % 8)))),
            8 => {
                let kind = if arg & 1 == 0 { MouseEventKind::ScrollDown } else { MouseEventKind::ScrollUp };
                let (column, row) = (u16::from(arg) % state.size.0.max(1), u16::from(op) % state.size.1.max(1));
                Some(Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }))
            }
            _ => {
                let (column, row) = (u16::from(arg) % state.size.0.max(1), u16::from(op) % state.size.1.max(1));
                let kind = MouseEventKind::Down(crossterm::event::MouseButton::Left);
                Some(Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }))
            }
        };
        if let Some(action) = event.and_then(|e| action_for(&state, e))
            && !step(&mut state, action)
        {
            return;
        }
        draw(&state);
    }
    // Ctrl-C ends it from wherever we got to.
    let quit = action_for(&state, ctrl_c());
    assert_eq!(quit, Some(Action::Quit), "Ctrl-C must quit");
    let effects = update::update(&mut state, Action::Quit);
    assert!(matches!(effects.last(), Some(Effect::Quit)), "{effects:?}");
});
