//! Terminal cell widths of text, per grapheme cluster, in the user's ambiguous-width mode.
//!
//! Pure: no terminal access. `auto` detection (CSI 6n probing) lives in the terminal shell, which
//! resolves it to [`Ambiguous::Narrow`] or [`Ambiguous::Wide`] before anything here is called.

use std::fmt;
use std::str::FromStr;

use crate::domain::han::is_han;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

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

/// Cells a grapheme cluster takes: unicode-width `width()` in Narrow, `width_cjk()` in Wide;
/// Han, full-width punctuation (，。、；：？！（）《》【】「」『』～) and U+3000 always 2; a tab 1
/// (tabs should already be spaces); control chars 0; emoji presentation 2.
pub fn grapheme_width(g: &str, mode: Ambiguous) -> usize {
    // A ZWJ sequence (👩‍💻) is shown as its parts: terminals that do not join it draw each one,
    // and the painter never sends the joiner, so every terminal shows the same cells.
    if g.contains('\u{200D}') && g.chars().count() > 1 {
        return g.split('\u{200D}').filter(|p| !p.is_empty()).map(|p| grapheme_width(p, mode)).sum();
    }
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
    let measured = match mode {
        Ambiguous::Narrow => g.width(),
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
    s.graphemes(true).map(|g| grapheme_width(g, mode)).sum()
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
}
