#![allow(dead_code)]
//! Cell widths terminals give, shared by the width unit table and the live tmux check.

/// What tmux 3.3 and xterm (with `-cjk_width` for Wide) advance the cursor by, measured by
/// printing each sequence and asking for the cursor position (tests/tmux_widths.rs repeats the
/// Narrow column against a live tmux). Emoji sequences count as kanbao paints them: in parts.
pub const TERMINAL_WIDTHS: &[(&str, usize, usize)] = &[
    // (text, narrow, wide)
    ("👍🏽", 4, 4),           // emoji + skin-tone modifier: each code point 2
    ("👩🏽\u{200d}💻", 6, 6), // modifier inside a ZWJ sequence, painted as three parts
    ("a🏽", 3, 3),          // a modifier after a letter: the letter and the modifier
    ("❤\u{fe0f}", 1, 1),    // VS16: the base's width
    ("☺\u{fe0f}", 1, 1),
    ("✌\u{fe0f}", 1, 1),
    ("©\u{fe0f}", 1, 1),
    ("1\u{fe0f}\u{20e3}", 1, 1), // keycap
    ("#\u{fe0f}\u{20e3}", 1, 1),
    ("⌚\u{fe0f}", 2, 2), // a wide base stays wide
    ("⌚\u{fe0e}", 2, 2), // VS15 too: the base's width
    ("😀", 2, 2),
    ("🇨🇳", 2, 2),
    ("\u{2800}", 1, 1), // braille blank: a visible blank cell everywhere, kept
    ("Ω", 1, 2),        // East Asian Ambiguous letters: 2 in CJK mode
    ("α", 1, 2),
    ("é", 1, 2),
    ("Я", 1, 2),
    ("e\u{301}", 1, 1), // decomposed: the base letter is not ambiguous
    ("“", 1, 2),
    ("…", 1, 2),
    ("—", 1, 2),
    ("①", 1, 2),
    ("\u{e000}", 1, 2), // private use is Ambiguous too
    ("⸺", 1, 1),        // two-em dash: neutral
    ("／", 2, 2),
    ("中", 2, 2),
];
