//! What the user wants, independent of the key that said it; and what comes back from the
//! outside world (a save, a reload, the terminal probe) to be folded into the state.

use crate::domain::corpus::Corpus;
use crate::domain::finder::CorpusFinder;
use crate::domain::store;
use crate::domain::width::Ambiguous;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    Redraw,
    Help,
    /// Esc: close what is open, else go back.
    Back,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    HalfPageUp,
    /// Space: a page down; at the article's end, on to the next article (as newsboat and mutt).
    ReadOn,
    HalfPageDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selected bulletin or article.
    Open,
    PrevArticle,
    NextArticle,
    /// The next unread article, across bulletins (library order).
    NextUnread,
    /// Mark every article of the selected (or open) bulletin read, after a confirmation.
    MarkBulletinRead,
    /// Mark every article read, after a confirmation.
    MarkAllRead,
    /// A digit before a motion: a count, as in vim (`5j`, `3]`).
    Digit(u8),
    /// `/`: start typing a search in the article.
    Search,
    NextMatch,
    PrevMatch,
    /// `f` / Ctrl-P.
    Finder,
    /// `s` (and `/` in the library): search the text of every article.
    Grep,
    /// `m`: bookmark the article at the reading position, or remove its bookmark.
    Bookmark,
    /// `'`: the list of bookmarks.
    Bookmarks,
    /// `y`: copy the article to the clipboard (OSC 52, works over SSH).
    Copy,
    /// `R`: read the library folder and PATH files again.
    Reload,
    /// `d`: every district with its article count.
    Districts,
    /// While typing at a prompt (`/`, the finder): a character, Backspace, Ctrl-W.
    Input(char),
    DeleteChar,
    DeleteWord,
    /// The prompt's other editing keys (cursor moves, kills).
    Edit(Edit),
    /// Text pasted into a prompt (bracketed paste), inserted whole.
    Paste(String),
    /// The prompt's previous / next submitted line.
    HistoryPrev,
    HistoryNext,
    Submit,
    /// Mouse wheel at a screen position; positive is down.
    Scroll {
        x: u16,
        y: u16,
        lines: i32,
    },
    Click {
        x: u16,
        y: u16,
    },
    Resize(u16, u16),
    /// A save finished: the merged state on disk, or why it failed.
    Saved(Result<store::SavedState, String>),
    /// A save found the state file damaged and moved it aside (what, and where it is kept).
    StateSetAside(String),
    /// The corpus read again (see `Loaded`).
    Reloaded(Box<Loaded>),
    /// What the terminal answered to the ambiguous-width probe.
    Probed(Ambiguous),
    /// A copy was carried out: where the text went, in words for the status line.
    Copied(String),
}

/// Line-editing keys of the prompts, as in readline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Left, Ctrl-B.
    Left,
    /// Right, Ctrl-F.
    Right,
    /// Home, Ctrl-A.
    Home,
    /// End, Ctrl-E.
    End,
    /// Alt-B.
    WordLeft,
    /// Alt-F.
    WordRight,
    /// Ctrl-U: delete back to the start (the prompt stays open).
    KillToStart,
    /// Ctrl-K (in `/`): delete to the end.
    KillToEnd,
    /// Delete: the character under the cursor.
    Delete,
}

/// What `update` asks the outside world to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Suspend,
    /// Repaint the whole screen (Ctrl-L, after a resume).
    Redraw,
    /// Write the state (positions, bookmarks, read marks) to disk.
    Save(store::SavedState),
    /// Put text on the clipboard (OSC 52, or through tmux inside tmux).
    Copy(String),
    /// Read the bulletin files again.
    Reload,
}

/// What a load gives the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// `None`: the files are as the last load found them, and its corpus stands (`R` with
    /// nothing new builds no second corpus beside the first).
    pub corpus: Option<Corpus>,
    /// One line per problem met reading it.
    pub problems: Vec<String>,
    /// Its finder, built on the load's thread; `None`: built when first needed.
    pub finder: Option<CorpusFinder>,
}

impl Action {
    /// `Reloaded` with this corpus and these problems, its finder built when first needed.
    pub fn reloaded(corpus: Corpus, problems: Vec<String>) -> Action {
        Action::Reloaded(Box::new(Loaded { corpus: Some(corpus), problems, finder: None }))
    }

    /// `Reloaded` when the files are as they were.
    pub fn unchanged(problems: Vec<String>) -> Action {
        Action::Reloaded(Box::new(Loaded { corpus: None, problems, finder: None }))
    }
}
