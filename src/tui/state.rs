//! Everything the reader shows, as plain data. Only `update` changes it; views only read it.

use ratatui::layout::Rect;

use crate::domain::corpus::Corpus;
use crate::domain::identity::ArticleKey;
use crate::domain::layout::LayoutOptions;
use crate::domain::page::{self, Block, Row};
use crate::domain::pager::Pager;
use crate::domain::width::Ambiguous;

use super::keymap::Keymap;
use super::line_editor::{History, LineEditor};
use super::list::ListState;
use super::theme::Theme;
use crate::domain::finder::{CorpusFinder, Finder, Hit};
use crate::domain::store;
use std::sync::Arc;

/// User-visible settings (from options and config).
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Ambiguous,
    /// Two U+3000 before each paragraph.
    pub indent: bool,
    pub theme: Theme,
    /// Borders from + - |: for terminals that draw box characters wide, and always in wide mode
    /// (box characters are East Asian Ambiguous).
    pub ascii_borders: bool,
    /// Widest text column in the reading pane: long lines are hard to read.
    pub column_width: u16,
}

impl Settings {
    /// Borders and rules drawn with ASCII: when asked, and always in wide mode (box characters
    /// are East Asian Ambiguous, and a terminal drawing them wide pushes every border out).
    pub fn ascii_lines(&self) -> bool {
        self.ascii_borders || self.mode == Ambiguous::Wide
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Ambiguous::Narrow,
            indent: true,
            theme: Theme::default(),
            ascii_borders: false,
            column_width: 76,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Library,
    Reader,
}

/// What covers the panes, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help {
        scroll: u16,
    },
    /// Typing a search in the article.
    Search {
        input: LineEditor,
    },
    /// The list of bookmarks.
    Bookmarks {
        list: ListState,
    },
    /// The finder: query, results, selection.
    Finder(FindUi),
    /// Every district with its article count.
    Districts {
        list: ListState,
    },
    /// A question on the status line: `y` or Enter does it, any other key cancels.
    Confirm {
        question: String,
        /// The keys of the articles that would be marked read.
        keys: Vec<String>,
    },
    /// Full-text search over every article (its query and results are `State::grep`).
    Grep,
}

/// The full-text search: query, results, what of them is on screen. Kept while the overlay is
/// closed, so `s` comes back to the last search and Esc in an article opened from it returns.
#[derive(Debug, Clone, Default)]
pub struct GrepUi {
    pub query: LineEditor,
    /// Matching articles, newest bulletin first.
    pub found: Vec<crate::domain::search::Found>,
    /// The query `found` answers: a longer one looks only through `found`.
    pub searched: Option<crate::domain::search::Query>,
    /// Hits in all of them.
    pub total_hits: usize,
    /// Why the query cannot be searched, shown instead of results.
    pub error: Option<String>,
    pub list: ListState,
    /// Snippets of the result rows on screen, from `list.top` (derived: refreshed by `update`).
    pub rows: Vec<crate::domain::search::Snippet>,
    /// The selected article's hits as snippets, for the preview (derived too).
    pub preview: Vec<crate::domain::search::Snippet>,
    /// The article last opened from the results: Esc there comes back to them.
    pub opened: Option<(usize, usize)>,
}

/// Columns of a full-text search result row in `width` cells: (title, hit count, snippet), a space between each.
pub fn grep_columns(width: u16) -> (u16, u16, u16) {
    let title = (width / 3).clamp(6, 30);
    let count = 6;
    (title, count, width.saturating_sub(title + count + 2))
}

/// The finder's query and results (recomputed on every keystroke).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindUi {
    pub query: LineEditor,
    pub hits: Vec<Hit>,
    pub list: ListState,
    /// The selected article's first rows, laid out for the preview area.
    pub preview: Vec<Row>,
    /// What `preview` was laid out for: (finder entry, area, width mode, indent).
    pub preview_of: Option<(usize, Rect, Ambiguous, bool)>,
}

/// One line of the library pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibRow {
    Bulletin(usize),
    /// A section heading over the articles that follow (not selectable).
    Section(usize, usize),
    Article(usize, usize),
}

#[derive(Debug, Clone, Default)]
pub struct Library {
    pub rows: Vec<LibRow>,
    pub list: ListState,
    /// Per bulletin (corpus order): showing its articles?
    pub expanded: Vec<bool>,
    /// The selected article's first rows, laid out for the preview pane (derived: refreshed by
    /// `update`, so a frame only paints them).
    pub preview: Vec<Row>,
    /// What `preview` holds: (bulletin, article, text width, rows, mode).
    pub preview_of: Option<(usize, usize, u16, u16, Ambiguous)>,
}

/// A match of the article search: block, first char in the block, length in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub block: usize,
    pub start: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub matches: Vec<Match>,
    pub current: usize,
}

/// The open article and what of it is on screen.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// (bulletin, article) indices in the corpus.
    pub open: Option<(usize, usize)>,
    /// Lays the article out block by block, as rows are needed.
    pub pager: Pager,
    /// Reading position: the text offset of the first visible row. An offset, not a row, so
    /// it survives a resize.
    pub top: usize,
    /// The rows on screen (derived: refreshed by `update` after every change).
    pub view: Vec<Row>,
    /// Offset just past the last row on screen, for the position in %.
    pub shown_end: usize,
    pub search: Option<Search>,
}

impl Reader {
    pub fn blocks(&self) -> &[Block] {
        self.pager.blocks()
    }

    /// Offset of the first row on screen.
    pub fn first_offset(&self) -> usize {
        self.view.first().map_or(0, |r| r.offset)
    }
}

/// A message on the status line until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct State {
    pub corpus: Corpus,
    pub settings: Settings,
    pub keymap: Keymap,
    /// What is kept between runs: positions, bookmarks, read marks (saved through effects).
    pub saved: store::SavedState,
    /// Something in `saved` changed during this update (it is saved at the update's end).
    pub saved_changed: bool,
    /// Why the last save failed, while it keeps failing.
    pub save_error: Option<String>,
    /// $TERM, for remembering the ambiguous-width answer per terminal type.
    pub term: String,
    /// The finder over `corpus` and the article each entry stands for: built by the start's
    /// load, else the first time the finder opens (its `Arc` lets its index be prepared off the
    /// main thread).
    pub finder_built: Option<CorpusFinder>,
    /// The district view's list (district, article count), counted when the view opens.
    pub districts: Vec<(String, usize)>,
    /// The full-text search.
    pub grep: GrepUi,
    /// An article to open once the library has been read (it was left open there last time).
    pub pending_open: Option<String>,
    /// Reloads the user asked for (`R`) and waits for: the one running and the one after it.
    pub reloads: u8,
    /// Lines submitted at the `/` prompt and in the finder, this run.
    pub search_history: History,
    pub finder_history: History,
    pub focus: Pane,
    pub overlay: Overlay,
    pub library: Library,
    pub reader: Reader,
    pub size: (u16, u16),
    pub status: Option<Status>,
    /// Problems met loading files, shown once at start.
    pub notices: Vec<String>,
    /// A count typed before a motion (`5j`), as in vim.
    pub count: Option<usize>,
}

/// Where things go on screen, from the size alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub header: Rect,
    pub status: Rect,
    /// Both panes side by side, or one at a time below 60 columns.
    pub single: bool,
    pub library: Option<Rect>,
    pub reader: Option<Rect>,
    /// The article's text column inside the reading pane.
    pub text: Rect,
    pub too_small: bool,
}

/// The finder's parts: query line, result list, preview (beside the list when there is room,
/// else below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinderLayout {
    pub frame: Rect,
    pub query: Rect,
    pub list: Rect,
    pub preview: Rect,
}

pub fn finder_layout(size: (u16, u16)) -> FinderLayout {
    let frame = Rect::new(0, 1, size.0, size.1.saturating_sub(2));
    let inner = Rect::new(frame.x + 1, frame.y + 1, frame.width.saturating_sub(2), frame.height.saturating_sub(2));
    let query = Rect { height: 1.min(inner.height), ..inner };
    let body = Rect { y: inner.y + 2, height: inner.height.saturating_sub(2), ..inner };
    let (list, preview) = if body.width >= 100 {
        let lw = body.width / 2;
        (Rect { width: lw, ..body }, Rect { x: body.x + lw + 2, width: body.width - lw - 2, ..body })
    } else {
        let lh = body.height / 2;
        (Rect { height: lh, ..body }, Rect { y: body.y + lh + 1, height: body.height.saturating_sub(lh + 1), ..body })
    };
    // The preview keeps a column of margin from the frame on both sides.
    let preview = Rect { x: preview.x + 1, width: preview.width.saturating_sub(2), ..preview };
    FinderLayout { frame, query, list, preview }
}

/// Most finder results listed; the list is for picking, not for reading through.
pub const FINDER_LIMIT: usize = 500;

/// Below this the reader shows one pane at a time.
pub const TWO_PANES_MIN_WIDTH: u16 = 60;
/// From this width the library and the preview stand side by side (below it, one over the other).
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 100;
/// Below this nothing useful fits.
pub const MIN_SIZE: (u16, u16) = (20, 6);

impl State {
    pub fn new(corpus: Corpus, settings: Settings, size: (u16, u16)) -> State {
        let n = corpus.bulletins.len();
        let mut state = State {
            corpus,
            settings,
            keymap: Keymap::default(),
            saved: store::SavedState::default(),
            saved_changed: false,
            save_error: None,
            term: String::new(),
            finder_built: None,
            districts: Vec::new(),
            grep: GrepUi::default(),
            pending_open: None,
            reloads: 0,
            search_history: History::default(),
            finder_history: History::default(),
            focus: Pane::Library,
            overlay: Overlay::None,
            library: Library { expanded: vec![false; n], ..Default::default() },
            reader: Reader::default(),
            size,
            status: None,
            notices: Vec::new(),
            count: None,
        };
        state.unfold_newest();
        state.rebuild_library();
        state
    }

    /// The newest bulletin starts open: it is what people come to read (an undated one only when
    /// nothing has a date).
    pub fn unfold_newest(&mut self) {
        if let Some(b) = self.corpus.newest_first().next() {
            self.library.expanded[b] = true;
        }
    }

    /// Rebuilds the library rows: newest bulletin first (undated last), articles under their
    /// section headings.
    pub fn rebuild_library(&mut self) {
        let mut rows = Vec::new();
        for bi in self.corpus.newest_first() {
            let b = &self.corpus.bulletins[bi];
            rows.push(LibRow::Bulletin(bi));
            if !self.library.expanded[bi] {
                continue;
            }
            let mut section: Option<&str> = None;
            for (ai, a) in b.articles.iter().enumerate() {
                if a.section.is_some() && a.section.as_deref() != section {
                    rows.push(LibRow::Section(bi, ai));
                }
                section = a.section.as_deref();
                rows.push(LibRow::Article(bi, ai));
            }
        }
        let keep = self.library.rows.get(self.library.list.selected).copied();
        self.library.rows = rows;
        self.library.list.selected = keep.and_then(|k| self.library.rows.iter().position(|r| *r == k)).unwrap_or(0);
    }

    pub fn geometry(&self) -> Geometry {
        geometry(self.size, self.focus, self.settings.column_width, self.reader.open.is_some())
    }

    /// The open article's id.
    pub fn open_id(&self) -> Option<&str> {
        self.reader.open.map(|(b, a)| self.corpus.bulletins[b].articles[a].id.as_str())
    }

    /// The finder over this corpus, built the first time it is needed (cheap: its index builds
    /// on the first search, or on a thread through `Finder::prepare`).
    pub fn finder(&mut self) -> Arc<Finder> {
        let built = self.finder_built.get_or_insert_with(|| CorpusFinder::of(&self.corpus));
        Arc::clone(&built.finder)
    }

    /// The (bulletin, article) of finder entry `index` (a `Hit::index`), if the finder is built.
    pub fn finder_article(&self, index: usize) -> Option<(usize, usize)> {
        self.finder_built.as_ref()?.refs.get(index).copied()
    }

    /// Bookmarked articles that exist in this corpus, newest bookmark first: (id, offset).
    pub fn bookmark_list(&self) -> Vec<(String, usize)> {
        let mut list: Vec<(&String, &store::Bookmark)> =
            self.saved.bookmarks.iter().filter(|(id, _)| self.find_article(id).is_some()).collect();
        list.sort_by(|a, b| b.1.added.cmp(&a.1.added).then(a.0.cmp(b.0)));
        list.into_iter().map(|(id, b)| (id.clone(), b.offset)).collect()
    }

    /// The key the open article's marks are stored under (`Article::key`).
    pub fn open_key(&self) -> Option<&str> {
        self.reader.open.map(|(b, a)| self.corpus.bulletins[b].articles[a].key.as_str())
    }

    /// (bulletin, article) indices of an article id as typed (`2024-03-k7f/2`, `2024-03/2`) or
    /// of a mark's key.
    pub fn find_article(&self, id: &str) -> Option<(usize, usize)> {
        if ArticleKey::parse(id).is_some() {
            return self.corpus.find_key(id);
        }
        self.corpus.lookup(id).ok()
    }

    /// Opens an article at its start.
    pub fn open_article(&mut self, b: usize, a: usize) {
        let (blocks, error) = page::article_blocks(&self.corpus.bulletins[b], a, self.settings.indent);
        if let Some(e) = error {
            self.status = Some(Status { text: e.0, error: true });
        }
        self.reader = Reader { open: Some((b, a)), pager: Pager::new(blocks), ..Default::default() };
        self.refresh_reader();
    }

    /// Recomputes the rows on screen for the current size and position. The position itself
    /// stays put; near the end the screen shows the last full page instead.
    pub fn refresh_reader(&mut self) {
        if self.reader.open.is_none() {
            return;
        }
        let h = self.page_height();
        let fit = LayoutOptions {
            width: usize::from(self.geometry().text.width.max(1)),
            mode: self.settings.mode,
            indent: self.settings.indent,
        };
        let r = &mut self.reader;
        r.pager.fit(fit);
        (r.view, r.shown_end) = r.pager.page_at(r.top, h);
    }

    /// Rows of the library list, also while the reader covers it (it comes back with Esc).
    pub fn library_page(&self) -> usize {
        let g = geometry(self.size, Pane::Library, self.settings.column_width, false);
        usize::from(g.library.map_or(0, |r| r.height.saturating_sub(2)).max(1))
    }

    /// The bookmarks popup, sized for its list.
    pub fn bookmarks_area(&self) -> Rect {
        popup_area(self.screen(), BOOKMARKS_WIDTH, self.bookmark_list().len() as u16 + 2)
    }

    /// The district view's popup, sized for its list.
    pub fn districts_area(&self) -> Rect {
        popup_area(self.screen(), DISTRICTS_WIDTH, self.districts.len() as u16 + 2)
    }

    pub fn screen(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Rows of text the reading pane shows at once.
    pub fn page_height(&self) -> usize {
        usize::from(self.geometry().text.height.max(1))
    }
}

/// Widths of the list popups.
const BOOKMARKS_WIDTH: u16 = 72;
const DISTRICTS_WIDTH: u16 = 44;

/// A popup of `w` x `h` cells centred on the screen (one cell of air around it at most).
pub fn popup_area(screen: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(screen.width.saturating_sub(2)).max(10.min(screen.width));
    let h = h.min(screen.height.saturating_sub(2)).max(3.min(screen.height));
    Rect::new(screen.x + (screen.width - w) / 2, screen.y + (screen.height - h) / 2, w, h)
}

/// Rows inside a popup's border: a popup list's page.
pub fn popup_rows(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2)).max(1)
}

/// Header and status lines, then the panes. Browsing: from 100 columns the library left (two
/// fifths, 40..=64 columns) and the preview right; from 60 the library (three fifths of the
/// height) over the preview, both
/// the full width (titles need it: at 80x24 a third of the width cut them after 10
/// characters); below 60 the library alone. Reading takes the whole body. The text column is
/// centred and at most `column` wide.
pub fn geometry(size: (u16, u16), focus: Pane, column: u16, article_open: bool) -> Geometry {
    let (w, h) = size;
    let too_small = w < MIN_SIZE.0 || h < MIN_SIZE.1;
    let header = Rect::new(0, 0, w, 1.min(h));
    let status = Rect::new(0, h.saturating_sub(1), w, 1.min(h));
    let body = Rect::new(0, 1, w, h.saturating_sub(2));
    let single = w < TWO_PANES_MIN_WIDTH;
    // Reading takes the whole width: more room for the text, and the terminal can scroll whole
    // rows (cheap over SSH). The library comes back with Esc or Tab.
    let (library, reader) = if focus == Pane::Reader && article_open {
        (None, Some(body))
    } else if single {
        (Some(body), None)
    } else if w < SIDE_BY_SIDE_MIN_WIDTH {
        // Three fifths for the list (at 80x24 every bulletin of the newest one's month shows).
        let lib_h = (body.height * 3).div_ceil(5);
        (Some(Rect { height: lib_h, ..body }), Some(Rect { y: body.y + lib_h, height: body.height - lib_h, ..body }))
    } else {
        let lib_w = (w * 2 / 5).clamp(40, 64);
        (Some(Rect { width: lib_w, ..body }), Some(Rect { x: lib_w, width: w - lib_w, ..body }))
    };
    let text = reader.map_or(Rect::default(), |r| {
        // Inside the border, one column of air on each side.
        let inner_w = r.width.saturating_sub(4);
        let tw = inner_w.min(column.max(10));
        let x = r.x + 2 + (inner_w - tw) / 2;
        Rect::new(x, r.y + 1, tw, r.height.saturating_sub(2))
    });
    Geometry { header, status, single, library, reader, text, too_small }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_panes_from_60_columns_and_a_readable_column() {
        let g = geometry((80, 24), Pane::Library, 76, false);
        assert!(!g.single);
        assert_eq!(g.library.unwrap().width, 80, "at 80 columns the list gets the full width");
        assert_eq!((g.library.unwrap().height, g.reader.unwrap().y, g.reader.unwrap().height), (14, 15, 8));
        assert_eq!(g.text.width, 76);
        let g = geometry((120, 40), Pane::Library, 76, false);
        assert_eq!((g.library.unwrap().width, g.reader.unwrap().x), (48, 48), "side by side from 100");
        let g = geometry((200, 50), Pane::Reader, 76, true);
        assert_eq!(g.text.width, 76, "wide terminals keep a readable measure");
        assert!(g.library.is_none() && g.reader.unwrap().width == 200, "reading takes the whole width");
        let g = geometry((50, 20), Pane::Reader, 76, true);
        assert!(g.single && g.library.is_none());
        assert_eq!(g.reader.unwrap().width, 50);
        assert!(geometry((19, 20), Pane::Library, 76, false).too_small);
    }
}
