//! The one line editor behind every prompt (the finder's query, `/` in the article): readline's
//! keys, a cursor that moves by grapheme (a Han character or an emoji with its modifiers is one
//! step), pastes taken whole, and a history of the lines submitted.

use std::ops::Deref;

use unicode_segmentation::UnicodeSegmentation;

use super::action::{Action, Edit};
use crate::domain::width::{Ambiguous, str_width};

/// The text being typed and where the cursor is in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    /// Byte offset of the cursor, always on a grapheme boundary.
    cursor: usize,
}

/// A line with the cursor at its end, as if typed.
impl From<&str> for LineEditor {
    fn from(text: &str) -> LineEditor {
        let mut editor = LineEditor::default();
        editor.insert_str(text);
        editor
    }
}

/// The text, read as a `&str` (`editor.is_empty()`, `editor.starts_with('@')`).
impl Deref for LineEditor {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl LineEditor {
    /// Carries out an editing action. None when `action` is not one; else whether the text
    /// changed (a prompt that searches as you type searches again only then).
    pub fn apply(&mut self, action: &Action) -> Option<bool> {
        let before = self.text.len();
        match action {
            Action::Input(c) => self.insert(*c),
            Action::Paste(text) => self.insert_str(text),
            Action::DeleteChar => self.cut(self.prev_boundary(), self.cursor),
            Action::DeleteWord => self.cut(self.word_back(|c| !c.is_whitespace()), self.cursor),
            Action::Edit(edit) => match edit {
                Edit::Left => self.cursor = self.prev_boundary(),
                Edit::Right => self.cursor = self.next_boundary(),
                Edit::Home => self.cursor = 0,
                Edit::End => self.cursor = self.text.len(),
                Edit::WordLeft => self.cursor = self.word_back(char::is_alphanumeric),
                Edit::WordRight => self.cursor = self.word_forward(),
                Edit::KillToStart => self.cut(0, self.cursor),
                Edit::KillToEnd => self.cut(self.cursor, self.text.len()),
                Edit::Delete => self.cut(self.cursor, self.next_boundary()),
            },
            _ => return None,
        }
        Some(self.text.len() != before)
    }

    /// Replaces the whole line (a line from the history), the cursor at its end.
    pub fn set(&mut self, text: &str) {
        *self = LineEditor::from(text);
    }

    /// Display columns before the cursor: where the terminal cursor goes.
    pub fn cursor_column(&self, mode: Ambiguous) -> usize {
        str_width(&self.text[..self.cursor], mode)
    }

    /// What fits in `room` columns with the cursor in view: the text from some grapheme on, and
    /// the cursor's column in it. Long lines scroll so the cursor stays one column short of
    /// the edge (it needs a cell of its own at the end).
    pub fn window(&self, room: usize, mode: Ambiguous) -> (&str, usize) {
        let mut start = 0;
        let mut column = self.cursor_column(mode);
        for (i, g) in self.text[..self.cursor].grapheme_indices(true) {
            if column < room.max(1) {
                break;
            }
            column -= str_width(g, mode);
            start = i + g.len();
        }
        (&self.text[start..], column)
    }

    fn insert(&mut self, c: char) {
        if !c.is_control() {
            self.text.insert(self.cursor, c);
            self.cursor += c.len_utf8();
        }
    }

    /// Inserts pasted text whole; line breaks and other control characters are dropped (a prompt
    /// holds one line, and a control character must never reach the screen).
    fn insert_str(&mut self, text: &str) {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn cut(&mut self, from: usize, to: usize) {
        self.text.replace_range(from..to, "");
        self.cursor = from;
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor].grapheme_indices(true).next_back().map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..].graphemes(true).next().map_or(self.cursor, |g| self.cursor + g.len())
    }

    /// The start of the word before the cursor: back over what is not a word character, then
    /// over word characters. Ctrl-W's words end at spaces (readline's unix-word-rubout), Alt-B's
    /// at anything not alphanumeric (Han characters are alphanumeric).
    fn word_back(&self, in_word: fn(char) -> bool) -> usize {
        let before = &self.text[..self.cursor];
        let mut chars = before.char_indices().rev().skip_while(|&(_, c)| !in_word(c));
        let mut start = 0;
        for (i, c) in chars.by_ref() {
            if !in_word(c) {
                start = i + c.len_utf8();
                break;
            }
        }
        start
    }

    /// Past the end of the word after the cursor (readline's Alt-F).
    fn word_forward(&self) -> usize {
        let after = &self.text[self.cursor..];
        let word_start = after.find(char::is_alphanumeric).unwrap_or(after.len());
        let word_end = after[word_start..].find(|c: char| !c.is_alphanumeric()).map_or(after.len(), |i| word_start + i);
        self.cursor + word_end
    }
}

/// Lines submitted at a prompt, oldest first, to step back through with Up (in `/`) or Alt-P
/// (in the finder, where Up moves the selection). Kept for this run of the reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// Which line is shown while stepping through; None while typing a new one.
    at: Option<usize>,
    /// The line being typed before stepping back, restored by stepping past the newest.
    draft: String,
}

/// Lines kept per prompt.
const HISTORY_LINES: usize = 100;

impl History {
    /// Remembers a submitted line (not an empty one, not the one just before it again).
    pub fn push(&mut self, line: &str) {
        self.at = None;
        if line.trim().is_empty() || self.lines.last().is_some_and(|l| l == line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > HISTORY_LINES {
            self.lines.remove(0);
        }
    }

    /// Puts the previous (`delta` < 0) or next line into `editor`; false when there is none.
    pub fn step(&mut self, editor: &mut LineEditor, delta: isize) -> bool {
        let n = self.lines.len();
        let to = match (self.at, delta < 0) {
            (None, true) if n > 0 => Some(n - 1),
            (Some(i), true) if i > 0 => Some(i - 1),
            (Some(i), false) if i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
            _ => return false,
        };
        if self.at.is_none() {
            self.draft = editor.text.clone();
        }
        self.at = to;
        editor.set(to.map_or(self.draft.as_str(), |i| self.lines[i].as_str()));
        true
    }

    /// A prompt opens: stepping starts again from the newest line.
    pub fn restart(&mut self) {
        self.at = None;
    }
}

#[cfg(test)]
#[path = "line_editor/tests.rs"]
mod tests;
