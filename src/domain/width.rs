//! Terminal cell widths of text, per grapheme cluster, in the user's ambiguous-width mode.
//!
//! Pure: no terminal access. `auto` detection (CSI 6n probing) lives in the terminal shell, which
//! resolves it to [`Ambiguous::Narrow`] or [`Ambiguous::Wide`] before anything here is called.

use std::fmt;
use std::str::FromStr;

use crate::domain::han::is_han;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

mod ambiguous;

/// How the terminal draws East Asian Ambiguous characters (“ ” … — · ① ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Ambiguous {
    /// One cell (UAX #11 default; Windows Terminal, WezTerm).
    #[default]
    Narrow,
    /// Two cells (PuTTY "treat CJK ambiguous as wide", iTerm2, xterm -cjk_width, VTE...).
    Wide,
}

impl Ambiguous {
    /// The setting's spelling in config files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Ambiguous::Narrow => "narrow",
            Ambiguous::Wide => "wide",
        }
    }
}

impl fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an ambiguous-width setting other than `narrow` / `wide`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseAmbiguousError {
    /// The rejected value, already escaped and shortened (it may come from a config file).
    shown: String,
    auto: bool,
}

impl fmt::Display for ParseAmbiguousError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.auto {
            // `auto` is valid for the user, but only the terminal shell can resolve it.
            write!(
                f,
                "ambiguous width \"auto\" must be resolved by probing the terminal first; expected \"narrow\" or \"wide\""
            )
        } else {
            write!(f, "invalid ambiguous width {}: expected \"narrow\" or \"wide\"", self.shown)
        }
    }
}

impl std::error::Error for ParseAmbiguousError {}

impl FromStr for Ambiguous {
    type Err = ParseAmbiguousError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "narrow" => Ok(Ambiguous::Narrow),
            "wide" => Ok(Ambiguous::Wide),
            _ => {
                // Debug formatting escapes controls, ESC and bidi/format characters, so a hostile
                // config value cannot reach the terminal through the error message.
                let short: String = s.chars().take(32).collect();
                let ellipsis = if s.chars().nth(32).is_some() { "..." } else { "" };
                Err(ParseAmbiguousError { shown: format!("{short:?}{ellipsis}"), auto: s == "auto" })
            }
        }
    }
}

/// Full-width punctuation that is 2 cells whatever the font tables say.
const FULLWIDTH_PUNCT: &str = "，。、；：？！（）《》【】「」『』～";

/// Zero-width joiner: joins emoji into one glyph in some terminals only.
const ZWJ: char = '\u{200D}';
/// Variation selectors 15 (text) and 16 (emoji presentation): whether a terminal widens a base for
/// VS16 differs (tmux and xterm do not, kitty and WezTerm do).
const VS15: char = '\u{FE0E}';
const VS16: char = '\u{FE0F}';

/// Emoji skin-tone modifiers (Fitzpatrick types): tmux and xterm draw them as their own 2 cells.
fn is_skin_tone(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// Left out when painting: a joiner or presentation selector that terminals disagree about.
fn is_dropped(c: char) -> bool {
    matches!(c, ZWJ | VS15 | VS16)
}

/// East Asian Ambiguous (EastAsianWidth=A): two cells in Wide mode.
pub fn is_east_asian_ambiguous(c: char) -> bool {
    let u = u32::from(c);
    ambiguous::AMBIGUOUS
        .binary_search_by(|&(lo, hi)| {
            if hi < u {
                std::cmp::Ordering::Less
            } else if lo > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The pieces a grapheme cluster is painted as, so that every terminal shows the same cells:
/// a ZWJ sequence (👩‍💻) as its parts without the joiner, an emoji with a skin-tone modifier
/// (👍🏽) as the emoji and the modifier (4 cells, as tmux and xterm draw it), a VS15/VS16
/// sequence (❤️ ©️ 1️⃣) without the selector (the base's width). Most clusters are one piece,
/// themselves. Zero-width pieces (a keycap's U+20E3) belong to the piece before them.
pub fn paint_parts(g: &str) -> PaintParts<'_> {
    PaintParts { rest: g, split: g.chars().nth(1).is_some() && g.chars().any(|c| is_dropped(c) || is_skin_tone(c)) }
}

/// Iterator of [`paint_parts`].
#[derive(Debug, Clone)]
pub struct PaintParts<'a> {
    rest: &'a str,
    /// False for the common single-piece cluster (and a lone modifier or selector, kept as is).
    split: bool,
}

impl<'a> Iterator for PaintParts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if !self.split {
            let whole = std::mem::take(&mut self.rest);
            return (!whole.is_empty()).then_some(whole);
        }
        let s = self.rest.trim_start_matches(is_dropped);
        if s.is_empty() {
            self.rest = "";
            return None;
        }
        let end = s.char_indices().skip(1).find(|&(_, c)| is_dropped(c) || is_skin_tone(c)).map_or(s.len(), |(i, _)| i);
        self.rest = &s[end..];
        Some(&s[..end])
    }
}

/// Cells a grapheme cluster takes on the terminal, painted as [`paint_parts`]: unicode-width's
/// `width()`, plus in Wide mode 2 for every East Asian Ambiguous character (letters Ω α é
/// included, as xterm -cjk_width); Han, full-width punctuation (，。、；：？！（）《》【】「」『』～)
/// and U+3000 always 2; a tab 1 (tabs should already be spaces); control chars 0.
pub fn grapheme_width(g: &str, mode: Ambiguous) -> usize {
    let mut parts = paint_parts(g);
    if parts.split {
        return parts.map(|p| piece_width(p, mode)).sum();
    }
    parts.next().map_or(0, |p| piece_width(p, mode))
}

/// [`grapheme_width`] of one paint piece.
fn piece_width(g: &str, mode: Ambiguous) -> usize {
    let Some(c) = g.chars().next() else {
        return 0;
    };
    if c == '\t' {
        return 1;
    }
    // unicode-width 0.2 counts C0/C1 controls as 1 in strings; they draw nothing (or worse).
    // Controls are always a grapheme of their own (except CR LF), so the first char decides.
    if c.is_control() {
        return 0;
    }
    let narrow = g.width();
    let measured = match mode {
        Ambiguous::Narrow => narrow,
        // unicode-width's width_cjk() keeps Greek, Cyrillic and Latin letters narrow; terminals
        // in CJK mode draw every Ambiguous character wide.
        Ambiguous::Wide if narrow == 1 && is_east_asian_ambiguous(c) => 2,
        Ambiguous::Wide => g.width_cjk(),
    };
    // At least 2 for Han and full-width punctuation, but a cluster with more in it (a Han char
    // with a modifier that terminals draw apart) keeps its measured width.
    if is_han(c) || c == '\u{3000}' || FULLWIDTH_PUNCT.contains(c) {
        return measured.max(2);
    }
    measured
}

/// Cells a string takes: the sum over its grapheme clusters.
pub fn str_width(s: &str, mode: Ambiguous) -> usize {
    // Printable ASCII and Han alone (ids, most titles): each character is its own cluster, of
    // 1 and 2 cells in either mode; no need to find cluster boundaries.
    let mut cells = 0;
    for c in s.chars() {
        cells += match c {
            ' '..='~' => 1,
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF5E}' => 2,
            _ => return s.graphemes(true).map(|g| grapheme_width(g, mode)).sum(),
        };
    }
    cells
}

/// True when the grapheme is East Asian Ambiguous (1 cell in Narrow, 2 in Wide): the TUI needs this
/// to keep ratatui's buffer (which always counts 1) in step with a Wide terminal.
pub fn is_ambiguous(g: &str) -> bool {
    grapheme_width(g, Ambiguous::Narrow) == 1 && grapheme_width(g, Ambiguous::Wide) == 2
}

/// Cut `s` to at most `max` cells (by whole graphemes), appending "…" (measured in `mode`) when cut;
/// for table cells and titles. Spaces just before the "…" are dropped. When even "…" does not fit
/// (`max` 0, or 1 in Wide mode), the result is the longest prefix that fits, without "…".
pub fn truncate(s: &str, max: usize, mode: Ambiguous) -> String {
    if str_width(s, mode) <= max {
        return s.to_string();
    }
    let ellipsis = grapheme_width("…", mode);
    let budget = max.checked_sub(ellipsis);
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g, mode);
        if used + w > budget.unwrap_or(max) {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if budget.is_some() {
        // "abc …" reads worse than "abc…" and the space would waste a cell.
        out.truncate(out.trim_end_matches(' ').len());
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_message_escapes_hostile_input() {
        let err = "\u{1b}[2J\u{202e}x".parse::<Ambiguous>().unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains('\u{1b}') && !msg.contains('\u{202e}'), "{msg}");
        assert!(msg.contains("narrow") && msg.contains("wide"));
    }

    #[test]
    fn auto_gets_a_hint() {
        let msg = "auto".parse::<Ambiguous>().unwrap_err().to_string();
        assert!(msg.contains("auto") && msg.contains("probing"), "{msg}");
    }

    #[test]
    fn display_round_trips() {
        for m in [Ambiguous::Narrow, Ambiguous::Wide] {
            assert_eq!(m.to_string().parse::<Ambiguous>(), Ok(m));
        }
    }

    #[test]
    fn the_fast_path_measures_as_clusters_do() {
        let slow = |s: &str, m| s.graphemes(true).map(|g| grapheme_width(g, m)).sum::<usize>();
        let samples = ["2024-03-00k/12", "重庆市总工会", "ＡＢＣ１２３ abc", "㐀䶿一鿿", "", " ~"];
        for m in [Ambiguous::Narrow, Ambiguous::Wide] {
            for s in samples {
                assert_eq!(str_width(s, m), slow(s, m), "{s}");
            }
            // Every character the fast path takes, one by one.
            for c in
                (' '..='~').chain('\u{3400}'..='\u{4DBF}').chain('\u{4E00}'..='\u{9FFF}').chain('\u{FF01}'..='\u{FF5E}')
            {
                let s = c.to_string();
                assert_eq!(str_width(&s, m), slow(&s, m), "U+{:04X}", c as u32);
            }
        }
    }
}
