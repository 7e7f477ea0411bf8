//! The terminal shell: state -> action -> update -> view. Nothing here decides what a bulletin
//! says; it shows what the core laid out. This file is the event loop.

pub mod action;
pub mod keymap;
pub mod paint;
pub mod probe;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::time::Duration;

use crossterm::event::{Event, MouseButton, MouseEventKind};

use action::{Action, Effect};
use keymap::Context;
use state::{Overlay, State};
use terminal::{Input, Tui};

/// Lines one wheel notch scrolls, as in most terminals' own scrollback.
const WHEEL_LINES: i32 = 3;

/// Runs the reader until the user quits, a signal comes, or the terminal goes away. The
/// terminal is restored on every way out (and by a panic hook).
pub fn run(mut state: State, probe_width: bool) -> std::io::Result<()> {
    let mut tui = Tui::enter(true)?;
    if probe_width {
        // vim's 'ambiwidth' check: print an ambiguous char, ask where the cursor went.
        state.settings.mode = probe::probe_ambiguous(Duration::from_millis(150)).unwrap_or_default();
    }
    let size = tui.terminal.size()?;
    update::update(&mut state, Action::Resize(size.width, size.height));
    let mut dirty = true;
    loop {
        if dirty {
            tui.terminal.draw(|f| view::draw(f, &state))?;
            dirty = false;
        }
        let action = match terminal::next_input(Duration::from_secs(1)) {
            Input::Tick => continue,
            Input::Quit(_) => break,
            Input::Event(ev) => match action_for(&state, ev) {
                Some(a) => a,
                None => continue,
            },
        };
        dirty = true;
        for effect in update::update(&mut state, action) {
            match effect {
                Effect::Quit => return tui.leave(),
                Effect::Suspend => tui.suspend()?,
                Effect::Redraw => tui.redraw()?,
            }
        }
    }
    tui.leave()
}

/// Terminal events -> actions; keys through the keymap of the current context.
pub fn action_for(state: &State, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(key) => {
            let ctx = match state.overlay {
                Overlay::None => Context::Normal,
                Overlay::Help { .. } => Context::Help,
                Overlay::Search { .. } => Context::Typing,
            };
            keymap::action_for(ctx, &key)
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll { x: m.column, y: m.row, lines: WHEEL_LINES }),
            MouseEventKind::ScrollUp => Some(Action::Scroll { x: m.column, y: m.row, lines: -WHEEL_LINES }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x: m.column, y: m.row }),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        // Pasted text is typed into a search prompt, otherwise ignored.
        Event::Paste(text) if matches!(state.overlay, Overlay::Search { .. }) => {
            text.chars().find(|c| !c.is_control()).map(Action::Input)
        }
        _ => None,
    }
}
