//! The terminal shell: state -> action -> update -> view. Nothing here decides what a bulletin
//! says; it shows what the core laid out. This file is the event loop.

pub mod action;
pub mod clipboard;
pub mod keymap;
pub mod line_editor;
pub mod list;
pub mod paint;
mod platform;
pub mod probe;
pub mod screen;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use crossterm::event::{Event, MouseButton, MouseEventKind};

use crate::domain::corpus::Corpus;
use crate::domain::store::SavedState;
use crate::domain::width::Ambiguous;
use crate::io::state_file::Store;

use action::{Action, Effect};
use keymap::Context;
use state::{Overlay, State};
use terminal::{Input, Tui};

/// Lines one wheel notch scrolls, as in most terminals' own scrollback.
const WHEEL_LINES: i32 = 3;

/// The corpus and one line per problem met reading it.
pub type Loaded = (Corpus, Vec<String>);

/// Reads the bulletin files. Runs on its own thread.
pub type Loader = Arc<dyn Fn() -> Loaded + Send + Sync>;

/// What the loop needs from outside the state: where to save, how to (re)load.
pub struct Edge {
    pub store: Store,
    /// Ask the terminal how wide ambiguous characters are (unless remembered for this $TERM).
    pub probe: bool,
    pub reload: Loader,
    /// Load everything (the user's library too) after the first frame: the first frame then
    /// never waits for a large library.
    pub load_after_first_frame: bool,
    /// Loads under way report here.
    loaded: (Sender<Loaded>, Receiver<Loaded>),
    /// Why the last save failed, if it did.
    unsaved: Option<String>,
    /// The saved state as loaded, before start-up changed it (opening the article left open
    /// last time sets its place): saved after the first frame if it differs.
    pub saved_at_start: Option<SavedState>,
}

impl Edge {
    pub fn new(store: Store, probe: bool, reload: Loader, load_after_first_frame: bool) -> Edge {
        Edge {
            store,
            probe,
            reload,
            load_after_first_frame,
            loaded: mpsc::channel(),
            unsaved: None,
            saved_at_start: None,
        }
    }

    /// Starts a load on its own thread; the result comes back through `take_loaded`.
    fn start_load(&self) {
        let (tx, reload) = (self.loaded.0.clone(), Arc::clone(&self.reload));
        thread::spawn(move || {
            let _ = tx.send(reload());
            terminal::wake();
        });
    }

    fn take_loaded(&self) -> Option<Loaded> {
        self.loaded.1.try_recv().ok()
    }

    fn save(&mut self, state: &SavedState) -> Result<SavedState, String> {
        let result = self.store.save(state).map_err(|e| e.to_string());
        self.unsaved = result.as_ref().err().cloned();
        result
    }
}

/// Runs the reader until the user quits, a signal comes, or the terminal goes away. The
/// terminal is restored on every way out (and by a panic hook); the state is saved. Returns why
/// the reading state could not be saved at the end, if it could not: the caller says so.
pub fn run(mut state: State, mut edge: Edge) -> io::Result<Option<String>> {
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
    let size = terminal::size()?;
    tui.screen.resize(size);
    update::update(&mut state, Action::Resize(size.0, size.1));
    let mut dirty = true;
    let mut first_frame = true;
    loop {
        // Frames nobody would see (more keys are already waiting) are skipped: a paste or a
        // wheel flood is processed at the speed of `update`, not of drawing.
        if dirty && (first_frame || !terminal::input_pending()) {
            tui.screen.set_mode(state.settings.mode);
            tui.screen.draw(|buf| view::draw(buf, &state))?;
            dirty = false;
        }
        if std::mem::take(&mut first_frame) {
            if let Some(loaded) = edge.saved_at_start.take()
                && loaded != state.saved
            {
                let result = edge.save(&state.saved);
                perform(&mut state, &mut edge, &mut tui, Action::Saved(result))?;
            }
            if edge.load_after_first_frame {
                edge.start_load();
            }
            // For the hostile-input tests: a panic once the reader is on screen must leave the
            // terminal restored and the message readable.
            if std::env::var_os("KANBAO_TEST_PANIC").is_some_and(|v| v == "1") {
                panic!("KANBAO_TEST_PANIC=1: a test panic right after the first frame");
            }
            // The finder's index and pinyin table are built off the main thread once the first
            // frame is out, so neither start-up nor the first keystroke waits for them.
            let finder = state.finder();
            std::thread::spawn(move || finder.prepare());
        }
        let input = terminal::next_input(Duration::from_secs(1));
        // A load finished on its thread: fold it in.
        if let Some((corpus, problems)) = edge.take_loaded() {
            dirty = true;
            if perform(&mut state, &mut edge, &mut tui, Action::Reloaded(Box::new(corpus), problems))? {
                break;
            }
        }
        let action = match input {
            Input::Tick => continue,
            // Stopped and continued (`kill -STOP`, then `fg`): set the terminal up again.
            Input::Resumed => {
                tui.resume()?;
                dirty = true;
                continue;
            }
            // A signal or a dropped terminal: keep the place, then go.
            Input::Quit(_) => {
                for effect in update::update(&mut state, Action::Quit) {
                    if let Effect::Save(s) = effect {
                        let _ = edge.save(&s);
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
        if let Action::Resize(w, h) = action {
            tui.screen.resize(terminal::capped((w, h)));
        }
        let before = Scrolled::before(&state);
        if perform(&mut state, &mut edge, &mut tui, action)? {
            break;
        }
        // The reader moved by whole rows and nothing else changed: let the terminal scroll
        // (not while more input waits: its frames are skipped, the next one is a plain diff).
        if let Some((top, bottom, k)) = before.and_then(|b| b.after(&state))
            && !terminal::input_pending()
        {
            tui.screen.scroll(top, bottom, k)?;
        }
    }
    tui.leave()?;
    // A save that failed earlier and was not retried since: one more try, then say so.
    if edge.unsaved.is_some() || state.save_error.is_some() {
        let _ = edge.save(&state.saved);
    }
    Ok(edge.unsaved)
}

/// What the reading pane showed before an action, to see whether the action only scrolled it.
struct Scrolled {
    article: (usize, usize),
    first: usize,
    offsets: Vec<usize>,
    size: (u16, u16),
    text: ratatui::layout::Rect,
}

impl Scrolled {
    /// Only when the reader fills whole rows (a scroll region moves whole rows) and nothing
    /// covers it.
    fn before(state: &State) -> Option<Scrolled> {
        let g = state.geometry();
        let reader = g.reader?;
        let whole_rows = reader.x == 0 && reader.width == state.size.0 && g.library.is_none();
        (whole_rows && state.overlay == Overlay::None).then(|| Scrolled {
            article: state.reader.open.unwrap_or_default(),
            first: state.reader.first_offset(),
            offsets: state.reader.view.iter().map(|r| r.offset).collect(),
            size: state.size,
            text: g.text,
        })
    }

    /// The rows to scroll and by how much (positive: content moves up), if that is all that
    /// happened to the text.
    fn after(self, state: &State) -> Option<(u16, u16, i32)> {
        let same = state.reader.open == Some(self.article)
            && state.size == self.size
            && state.overlay == Overlay::None
            && state.geometry().text == self.text
            && state.geometry().library.is_none();
        let now: Vec<usize> = state.reader.view.iter().map(|r| r.offset).collect();
        if !same || state.reader.first_offset() == self.first || now.len() != self.offsets.len() {
            return None;
        }
        let k = match self.offsets.iter().position(|&o| o == now[0]) {
            Some(i) => i as i32,
            None => -(now.iter().position(|&o| o == self.first)? as i32),
        };
        let top = self.text.y;
        Some((top, top + self.text.height - 1, k))
    }
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
            Effect::Save(s) => Some(Action::Saved(edge.save(&s))),
            Effect::Copy(text) => {
                let mut out = terminal::TtyOut::new();
                out.write_all(clipboard::osc52(&text).as_bytes())?;
                out.flush()?;
                None
            }
            Effect::Reload => {
                edge.start_load();
                None
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
                Overlay::Finder(_) | Overlay::Grep => Context::Finding,
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
        Event::Resize(w, h) => {
            let (w, h) = terminal::capped((w, h));
            Some(Action::Resize(w, h))
        }
        // Pasted text goes into a prompt whole, otherwise it is ignored (it must never run as
        // keys).
        Event::Paste(text) if matches!(state.overlay, Overlay::Search { .. } | Overlay::Finder(_) | Overlay::Grep) => {
            Some(Action::Paste(text))
        }
        _ => None,
    }
}
