//! Where a list stands: the selected item and the first item shown. Every list of the reader
//! (library, finder results, bookmarks, districts) moves through this one type; the page size
//! always comes from the state's geometry.

use super::action::Action;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    /// The first item shown.
    pub top: usize,
}

impl ListState {
    /// Item `selected` selected, the list shown from its start.
    pub fn at(selected: usize) -> ListState {
        ListState { selected, top: 0 }
    }

    /// Carries out a move `action` over `len` items, `page` of them shown at once, landing only
    /// on items `selectable` accepts. False when the action is not a move.
    pub fn apply(&mut self, action: &Action, len: usize, page: usize, selectable: impl Fn(usize) -> bool) -> bool {
        let page = page.max(1) as isize;
        let delta = match action {
            Action::Down => 1,
            Action::Up => -1,
            Action::PageDown => page,
            Action::PageUp => -page,
            Action::HalfPageDown => (page / 2).max(1),
            Action::HalfPageUp => -(page / 2).max(1),
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return false,
        };
        self.step(delta, len, selectable);
        true
    }

    /// Moves the selection by `delta` selectable items, stopping at either end.
    pub fn step(&mut self, delta: isize, len: usize, selectable: impl Fn(usize) -> bool) {
        let items: Vec<usize> = (0..len).filter(|&i| selectable(i)).collect();
        if items.is_empty() {
            return;
        }
        let here = items.iter().position(|&i| i >= self.selected).unwrap_or(0) as isize;
        let to = here.saturating_add(delta).clamp(0, items.len() as isize - 1) as usize;
        self.selected = items[to];
    }

    /// Scrolls so the selection is among the `page` items shown. Scrolling up, `lead` items
    /// above it come into view too (the library's section heading over its first article).
    pub fn show(&mut self, len: usize, page: usize, lead: usize) {
        let page = page.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.top {
            self.top = self.selected.saturating_sub(lead);
        } else if self.selected >= self.top + page {
            self.top = self.selected + 1 - page;
        }
        self.top = self.top.min(len.saturating_sub(page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: fn(usize) -> bool = |_| true;

    #[test]
    fn moves_stop_at_the_ends_and_pages_come_from_the_caller() {
        let mut l = ListState::default();
        assert!(l.apply(&Action::Up, 30, 10, ALL));
        assert_eq!(l.selected, 0);
        l.apply(&Action::PageDown, 30, 10, ALL);
        assert_eq!(l.selected, 10);
        l.apply(&Action::HalfPageDown, 30, 10, ALL);
        assert_eq!(l.selected, 15);
        l.apply(&Action::Bottom, 30, 10, ALL);
        assert_eq!(l.selected, 29);
        l.apply(&Action::Down, 30, 10, ALL);
        assert_eq!(l.selected, 29);
        l.apply(&Action::Top, 30, 10, ALL);
        assert_eq!(l.selected, 0);
        assert!(!l.apply(&Action::Open, 30, 10, ALL), "not a move");
        assert!(l.apply(&Action::Down, 0, 10, ALL), "an empty list takes moves and stays put");
        assert_eq!(l.selected, 0);
    }

    #[test]
    fn unselectable_items_are_skipped() {
        let even = |i: usize| i.is_multiple_of(2);
        let mut l = ListState::at(2);
        l.step(1, 10, even);
        assert_eq!(l.selected, 4);
        l.step(-10, 10, even);
        assert_eq!(l.selected, 0);
    }

    #[test]
    fn the_selection_stays_on_screen() {
        let mut l = ListState::at(25);
        l.show(30, 10, 0);
        assert_eq!((l.selected, l.top), (25, 16));
        l.selected = 20;
        l.show(30, 10, 0);
        assert_eq!(l.top, 16, "no scrolling while the selection is shown");
        l.selected = 5;
        l.show(30, 10, 1);
        assert_eq!(l.top, 4, "one lead item above");
        l.selected = 40;
        l.show(30, 10, 0);
        assert_eq!((l.selected, l.top), (29, 20), "clamped to the list");
        l.show(5, 10, 0);
        assert_eq!((l.selected, l.top), (4, 0), "a short list from its start");
    }
}
