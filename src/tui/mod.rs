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
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crossterm::event::{Event, MouseButton, MouseEventKind};

use crate::domain::corpus::Corpus;
use crate::domain::finder::CorpusFinder;
use crate::domain::sanitize::{path_line, sanitize_line};
use crate::domain::store::{LoadReport, SavedState};
use crate::domain::width::Ambiguous;
use crate::io::state_file::Store;
use crate::jobs::{Queued, SingleJob};

use action::{Action, Effect, Loaded};
use keymap::Context;
use state::{Overlay, State};
use terminal::{Input, Tui};

/// Lines one wheel notch scrolls, as in most terminals' own scrollback.
const WHEEL_LINES: i32 = 3;

/// Articles from which the start builds the finder ahead (about 1,000 bulletins). A smaller
/// library's finder is built when the finder opens (`f`), in a few milliseconds, while the first
/// letter is typed; until then it costs nothing: on the bundled bulletins its index, the pinyin
/// table and the code that builds them were 0.4 MB of the reader's resident memory.
const FINDER_AHEAD_FROM: usize = 5_000;

/// Reads the bulletin files: the corpus (`None`: the files are as the last load found them)
/// and one line per problem met reading it. Runs on the load job's thread.
pub type Loader = Arc<dyn Fn() -> (Option<Corpus>, Vec<String>) + Send + Sync>;

/// A save done on the save job's thread: the merged state or why not, and a damaged state file
/// the save found and moved aside (to tell the user).
struct SaveDone {
    result: Result<SavedState, String>,
    set_aside: Option<String>,
}

/// A save that failed and was not made good before the reader closed: `main` prints it once the
/// terminal is restored and exits non-zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsaved {
    /// The state file (none without a home folder).
    pub file: Option<PathBuf>,
    pub reason: String,
}

impl fmt::Display for Unsaved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.as_deref().map_or("state file".into(), path_line);
        write!(f, "{file}: {}; places, bookmarks and read marks from this session are lost", self.reason)
    }
}

/// What the loop needs from outside the state: where to save, how to (re)load. Loads and saves
/// are single jobs (`crate::jobs`): they run off the UI thread (a save may wait 3 s for another
/// window's lock and then fsync), one at a time, with one waiting.
pub struct Edge {
    /// Ask the terminal how wide ambiguous characters are (unless remembered for this $TERM).
    pub probe: bool,
    pub reload: Loader,
    /// Load everything (the user's library too) after the first frame: the first frame then
    /// never waits for a large library.
    pub load_after_first_frame: bool,
    loads: SingleJob<Loaded>,
    store: Arc<Mutex<Store>>,
    state_file: Option<PathBuf>,
    saves: SingleJob<SaveDone>,
    /// Why the newest finished save failed, if it did.
    save_failed: Option<String>,
    /// The saved state as loaded, before start-up changed it (opening the article left open
    /// last time sets its place): saved after the first frame if it differs.
    pub saved_at_start: Option<SavedState>,
    /// Loads folded in so far (the first comes after the first frame).
    loads_done: usize,
}

impl Edge {
    pub fn new(store: Store, probe: bool, reload: Loader, load_after_first_frame: bool) -> Edge {
        let state_file = store.path().map(Path::to_path_buf);
        Edge {
            probe,
            reload,
            load_after_first_frame,
            loads: SingleJob::new(terminal::wake),
            store: Arc::new(Mutex::new(store)),
            state_file,
            saves: SingleJob::new(terminal::wake),
            save_failed: None,
            saved_at_start: None,
            loads_done: 0,
        }
    }

    /// Reads the files on the load job; the result comes back through `take_loaded`. Asked
    /// again while a load runs, it reads once more after it (however often it was asked).
    fn start_load(&self) {
        let reload = Arc::clone(&self.reload);
        let first = self.loads_done == 0;
        let queued = self.loads.request(move || {
            crate::log::line("load: started");
            wait_for_test_gate();
            let (corpus, problems) = reload();
            match &corpus {
                Some(c) => crate::log::line(&format!("load: done, {} bulletins", c.bulletins.len())),
                None => crate::log::line("load: done, the files are as they were"),
            }
            // The start's load builds a large library's finder here rather than on the main
            // thread: a search typed while the library loads (`f` at start) then waits only for
            // its own run. A reload (`R`) leaves it to the first search: built here it would
            // stand beside the old corpus and finder.
            let ahead = corpus.as_ref().filter(|c| first && c.article_count() >= FINDER_AHEAD_FROM);
            let finder = ahead.map(CorpusFinder::prepared);
            Loaded { corpus, problems, finder }
        });
        if queued != Queued::Started {
            crate::log::line("load: asked while one runs; one more after it");
        }
    }

    fn take_loaded(&self) -> Option<Loaded> {
        self.loads.try_recv()
    }

    /// Saves on the save job; a newer request replaces a waiting one (each carries the whole
    /// state, so only the newest matters).
    fn start_save(&self, state: SavedState) {
        let store = Arc::clone(&self.store);
        self.saves.request(move || {
            let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
            let result = store.save(&state).map_err(|e| e.to_string());
            let set_aside = match store.take_recovered() {
                Some(LoadReport::Recovered { moved_to, reason }) => {
                    let kept = moved_to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    Some(format!("state.json {reason}; kept as {}", sanitize_line(&kept)))
                }
                Some(other) => Some(other.to_string()),
                None => None,
            };
            SaveDone { result, set_aside }
        });
    }

    /// A finished save, noted (and logged when it fails for a new reason).
    fn take_saved(&mut self) -> Option<SaveDone> {
        let done = self.saves.try_recv()?;
        self.note_save(&done);
        Some(done)
    }

    fn note_save(&mut self, done: &SaveDone) {
        if let Some(aside) = &done.set_aside {
            crate::log::line(&format!("state: {aside}"));
        }
        let failed = done.result.as_ref().err().cloned();
        if let Some(why) = failed.as_ref().filter(|&why| self.save_failed.as_ref() != Some(why)) {
            crate::log::line(&format!("save failed: {why}"));
        }
        self.save_failed = failed;
    }

    /// At quit, with the terminal restored: lets the saves under way land, tries once more if
    /// the newest one failed, and returns why the state is not saved, if it is not.
    fn finish(&mut self, state: &State) -> Option<Unsaved> {
        for done in self.saves.wait() {
            self.note_save(&done);
        }
        if self.save_failed.is_some() || state.save_error.is_some() {
            self.start_save(state.saved.clone());
            for done in self.saves.wait() {
                self.note_save(&done);
            }
        }
        let reason = self.save_failed.clone()?;
        crate::log::line(&format!("not saved at exit: {reason}"));
        Some(Unsaved { file: self.state_file.clone(), reason })
    }
}

/// For the tests of coalesced loads: `KANBAO_TEST_LOAD_GATE=FILE` holds every load until FILE
/// exists, so a test can press `R` while one is surely running.
fn wait_for_test_gate() {
    if let Some(gate) = std::env::var_os("KANBAO_TEST_LOAD_GATE") {
        while !Path::new(&gate).exists() {
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Runs the reader until the user quits, a signal comes, or the terminal goes away. The
/// terminal is restored on every way out (and by a panic hook); the state is saved, and if the
/// last save failed the reason is returned (to print on stderr once the screen is back).
pub fn run(mut state: State, mut edge: Edge) -> io::Result<Option<Unsaved>> {
    let started = std::time::Instant::now();
    let mut tui = Tui::enter(true)?;
    // The answer remembered for this $TERM paints the first frame; the terminal is asked again
    // right after it (PuTTY in both modes, xterm with and without -cjk_width all say
    // xterm-256color), and a different answer repaints and is remembered. A terminal never
    // asked before is asked first (up to 150 ms, as vim does), so its first frame is right.
    let remembered = if edge.probe { state.saved.ambiguous_for(&state.term) } else { None };
    if edge.probe {
        match remembered {
            Some(mode) => state.settings.mode = mode,
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
        // The finder just opened: its index and pinyin are built while the first letter is
        // typed (a small library's finder is not built ahead).
        if matches!(state.overlay, Overlay::Finder(_)) {
            state.finder().prepare_in_background();
        }
        if dirty && (first_frame || !terminal::input_pending()) {
            tui.screen.set_mode(state.settings.mode);
            tui.screen.draw(|buf| view::draw(buf, &state))?;
            dirty = false;
        }
        if std::mem::take(&mut first_frame) {
            let (w, h, mode) = (state.size.0, state.size.1, state.settings.mode);
            crate::log::line(&format!("first frame: {w}x{h}, {mode}, {} ms", started.elapsed().as_millis()));
            if remembered.is_some() && probe_after_first_frame(&mut state, &mut edge, &mut tui)? {
                tui.screen.set_mode(state.settings.mode);
                tui.screen.draw(|buf| view::draw(buf, &state))?;
            } else if remembered.is_some() {
                // Only the bottom row, which the probe erased.
                tui.screen.draw(|buf| view::draw(buf, &state))?;
            }
            // Start-up changed the saved state (the article left open last time set its place):
            // save it now, so a quit within the same second loses nothing.
            if let Some(loaded) = edge.saved_at_start.take()
                && loaded != state.saved
            {
                edge.start_save(state.saved.clone());
            }
            if edge.load_after_first_frame {
                edge.start_load();
            }
            // For the hostile-input tests: a panic once the reader is on screen must leave the
            // terminal restored and the message readable.
            if std::env::var_os("KANBAO_TEST_PANIC").is_some_and(|v| v == "1") {
                panic!("KANBAO_TEST_PANIC=1: a test panic right after the first frame");
            }
            // A large library's finder index and pinyin table are built off the main thread
            // once the first frame is out, so neither start-up nor the first keystroke waits
            // for them; a small one's are built by its first search.
            if state.corpus.article_count() >= FINDER_AHEAD_FROM {
                state.finder().prepare_in_background();
            }
        }
        let input = terminal::next_input(Duration::from_secs(1));
        // A load or a save finished on its job: fold it in.
        if let Some(loaded) = edge.take_loaded() {
            dirty = true;
            let new_corpus = loaded.corpus.is_some();
            if perform(&mut state, &mut edge, &mut tui, Action::Reloaded(Box::new(loaded)))? {
                break;
            }
            edge.loads_done += 1;
            if edge.loads_done > 1 && new_corpus {
                // A reload: what it made new (every bulletin's own fields; articles only where a
                // file changed, the rest are shared with the old corpus) was built in the loader
                // thread's malloc arena among the holes the previous load left there, so freeing
                // the old one returns little (resident memory grew by a third with each `R` when
                // nothing was shared). A copy made here, after the old one is gone, is compact,
                // and the loader's arena empties; shared articles are not copied.
                crate::io::memory::release_freed();
                state.corpus = state.corpus.clone();
            }
            crate::io::memory::release_freed();
        }
        while let Some(done) = edge.take_saved() {
            dirty = true;
            perform(&mut state, &mut edge, &mut tui, Action::Saved(done.result))?;
            if let Some(aside) = done.set_aside {
                perform(&mut state, &mut edge, &mut tui, Action::StateSetAside(aside))?;
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
                        edge.start_save(s);
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
    Ok(edge.finish(&state))
}

/// vim's 'ambiwidth' check again, once the first frame (painted with the remembered answer) is
/// out: print an ambiguous char, ask where the cursor went (keys typed meanwhile are kept).
/// Returns true when the answer differs from the mode the frame was painted in (it is then
/// remembered: repaint).
fn probe_after_first_frame(state: &mut State, edge: &mut Edge, tui: &mut Tui) -> io::Result<bool> {
    let asked = std::time::Instant::now();
    let answer = probe::reprobe_ambiguous();
    // The probe wrote on the bottom row and erased it.
    let (_, rows) = tui.screen.size();
    tui.screen.row_erased(rows.saturating_sub(1));
    let took = asked.elapsed().as_millis();
    crate::log::line(&match answer {
        Some(mode) => format!("probe: {mode} after {took} ms (painted {})", state.settings.mode),
        // No answer: keep what is painted, remember nothing (the link may just be slow).
        None => format!("probe: no answer in {took} ms; keeping {}", state.settings.mode),
    });
    let differs = answer.is_some_and(|mode| mode != state.settings.mode);
    if let Some(mode) = answer.filter(|_| differs) {
        perform(state, edge, tui, Action::Probed(mode))?;
    }
    Ok(differs)
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
            Effect::Save(s) => {
                edge.start_save(s);
                None
            }
            Effect::Copy(text) => {
                let mut out = terminal::TtyOut::new();
                let copied = clipboard::copy(&text, &mut |bytes| {
                    out.write_all(bytes)?;
                    out.flush()
                })?;
                Some(Action::Copied(copied.message(text.chars().count())))
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
                Overlay::None => Context::Normal,
                Overlay::Bookmarks { .. } | Overlay::Districts { .. } => Context::List,
                Overlay::Confirm { .. } => Context::Confirm,
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
