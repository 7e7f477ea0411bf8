//! What the user wants, independent of the key that said it; and what comes back from the
//! outside world (a save, a reload, the terminal probe) to be folded into the state.

use crate::domain::corpus::Corpus;
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
    HalfPageDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selected bulletin or article.
    Open,
    PrevArticle,
    NextArticle,
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
    /// The corpus read again, with one line per problem.
    Reloaded(Box<Corpus>, Vec<String>),
    /// What the terminal answered to the ambiguous-width probe.
    Probed(Ambiguous),
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
    /// Put text on the clipboard through the terminal (OSC 52).
    Copy(String),
    /// Read the bulletin files again.
    Reload,
}
