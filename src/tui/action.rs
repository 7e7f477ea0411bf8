//! What the user wants, independent of the key that said it.

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
    /// While typing a search.
    Input(char),
    DeleteChar,
    DeleteWord,
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
}

/// What `update` asks the outside world to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Suspend,
    /// Repaint the whole screen (Ctrl-L, after a resume).
    Redraw,
}
