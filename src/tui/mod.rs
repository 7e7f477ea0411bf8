//! The terminal shell: state -> action -> update -> view. Nothing here decides what a bulletin
//! says; it shows what the core laid out. This file is the event loop.

pub mod action;
pub mod clipboard;
pub mod keymap;
pub mod paint;
pub mod probe;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::collections::VecDeque;
use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::{Event, MouseButton, MouseEventKind};

use crate::domain::corpus::Corpus;
use crate::domain::store::Store;
use crate::domain::width::Ambiguous;

use action::{Action, Effect};
use keymap::Context;
use state::{Overlay, State};
use terminal::{Input, Tui};

/// Lines one wheel notch scrolls, as in most terminals' own scrollback.
const WHEEL_LINES: i32 = 3;

/// What the loop needs from outside the state: where to save, how to reload.
pub struct Edge<'a> {
    pub store: Store,
    /// Ask the terminal how wide ambiguous characters are (unless remembered for this $TERM).
    pub probe: bool,
    /// Reads the bulletin files again: the corpus and one line per problem.
    pub reload: Box<dyn Fn() -> (Corpus, Vec<String>) + 'a>,
}

/// Runs the reader until the user quits, a signal comes, or the terminal goes away. The
/// terminal is restored on every way out (and by a panic hook); the state is saved.
pub fn run(mut state: State, mut edge: Edge) -> io::Result<()> {
    let mut tui = Tui::enter(true)?;
    if edge.probe {
        match state.saved.ambiguous_for(&state.term) {
            Some(mode) => state.settings.mode = mode,
            // vim's 'ambiwidth' check: print an ambiguous char, ask where the cursor went.
            None => match probe::probe_ambiguous(Duration::from_millis(150)) {
                Some(mode) => {
                    perform(&mut state, &mut edge, &mut tui, Action::Probed(mode))?;
                }
                // No answer: narrow, and not remembered (the link may just have been slow).
                None => state.settings.mode = Ambiguous::Narrow,
            },
        }
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
            // A signal or a dropped terminal: keep the place, then go.
            Input::Quit(_) => {
                for effect in update::update(&mut state, Action::Quit) {
                    if let Effect::Save(s) = effect {
                        let _ = edge.store.save(&s);
                    }
                }
                break;
            }
            Input::Event(ev) => match action_for(&state, ev) {
                Some(a) => a,
                None => continue,
            },
        };
        dirty = true;
        if perform(&mut state, &mut edge, &mut tui, action)? {
            break;
        }
    }
    tui.leave()
}

/// Updates the state with `action` and carries out the effects, feeding their results back
/// in as actions. Returns true when the reader should quit.
fn perform(state: &mut State, edge: &mut Edge, tui: &mut Tui, action: Action) -> io::Result<bool> {
    let mut queue: VecDeque<Effect> = update::update(state, action).into();
    while let Some(effect) = queue.pop_front() {
        let back = match effect {
            Effect::Quit => return Ok(true),
            Effect::Suspend => {
                tui.suspend()?;
                None
            }
            Effect::Redraw => {
                tui.redraw()?;
                None
            }
            Effect::Save(s) => {
                let result = edge.store.save(&s).map_err(|e| e.to_string());
                Some(Action::Saved(result))
            }
            Effect::Copy(text) => {
                let mut out = io::stdout();
                out.write_all(clipboard::osc52(&text).as_bytes())?;
                out.flush()?;
                None
            }
            Effect::Reload => {
                let (corpus, problems) = (edge.reload)();
                Some(Action::Reloaded(Box::new(corpus), problems))
            }
        };
        if let Some(action) = back {
            queue.extend(update::update(state, action));
        }
    }
    Ok(false)
}

/// Terminal events -> actions; keys through the keymap of the current context.
pub fn action_for(state: &State, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(key) => {
            let ctx = match state.overlay {
                Overlay::None | Overlay::Bookmarks { .. } | Overlay::Districts { .. } => Context::Normal,
                Overlay::Finder(_) => Context::Finding,
                Overlay::Help { .. } => Context::Help,
                Overlay::Search { .. } => Context::Typing,
            };
            keymap::action_for(&state.keymap, ctx, &key)
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll { x: m.column, y: m.row, lines: WHEEL_LINES }),
            MouseEventKind::ScrollUp => Some(Action::Scroll { x: m.column, y: m.row, lines: -WHEEL_LINES }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x: m.column, y: m.row }),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        // Pasted text is typed into a search prompt, otherwise ignored.
        Event::Paste(text) if matches!(state.overlay, Overlay::Search { .. } | Overlay::Finder(_)) => {
            text.chars().find(|c| !c.is_control()).map(Action::Input)
        }
        _ => None,
    }
}
