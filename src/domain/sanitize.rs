//! Untrusted text -> text safe to lay out and print.
//!
//! Bulletin files (and their names) come from anywhere. A terminal obeys what it is sent, so
//! a file could retitle the window (OSC 0), write the clipboard (OSC 52), plant links (OSC 8),
//! clear the screen (CSI 2J) or make the terminal answer back into our input (CSI 6n, DA).
//! Bidi overrides and other invisible format characters would make the text shown differ
//! from the text stored ("Trojan Source"), and break our width arithmetic. So before anything
//! from a file is laid out or printed, it goes through [`sanitize`] (body text) or
//! [`sanitize_line`] (one-line places: file names, table cells, error messages).
//!
//! Escape sequences are removed whole, so their parameters do not show up as litter; a lone
//! ESC, the other C0 controls, DEL, C1 controls, bidi controls and format (Cf) characters are
//! removed, and so are the Hangul fillers (U+3164...), blanks whose width terminals disagree on;
//! U+2028/U+2029 become newlines. Everything else is kept: CJK, U+3000, emoji and
//! their ZWJ sequences, NBSP, private use. No control character survives.

use std::borrow::Cow;
use std::iter::Peekable;
use std::str::Chars;

use super::utf8::common_at;

/// Makes untrusted text safe to lay out and print. Keeps `"\n"` and `"\t"`.
///
/// Idempotent: `sanitize(&sanitize(x)) == sanitize(x)`. Clean text (the common case) costs one
/// scan and one copy; see [`sanitize_cow`] to skip the copy.
pub fn sanitize(text: &str) -> String {
    clean(text, false).into_owned()
}

/// For one-line contexts (file names in error messages, table cells): like [`sanitize`], and
/// newlines and tabs become spaces, so a name cannot break a table or fake a second line.
pub fn sanitize_line(text: &str) -> String {
    clean(text, true).into_owned()
}

/// A path as one line of text ([`sanitize_line`] of how it displays), as file names are shown in
/// messages and kept as the parse cache's names. Taken as text when it is (almost always):
/// `display()` goes through the formatter, a tenth of the time a warm `kanbao grep` spends
/// listing 10,000 files.
pub fn path_line(path: &std::path::Path) -> String {
    match path.to_str() {
        Some(path) => clean(path, true).into_owned(),
        None => sanitize_line(&path.display().to_string()),
    }
}

/// [`sanitize_line`] without the copy when the text is already one clean line.
pub fn sanitize_line_cow(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

/// Whether `sanitize` would leave `s` as it is: text from the parse cache must be. Most of a
/// bulletin is Han and printable ASCII, which it never touches: only strings with anything else
/// take the full check (see `clean`).
pub fn is_clean(s: &str) -> bool {
    matches!(sanitize_cow(s), Cow::Borrowed(_))
}

/// `bytes` as text, if they are UTF-8 and as clean as the parser leaves text: how text read
/// back from the parse cache is checked before it may be shown.
pub fn clean_text(bytes: &[u8]) -> Option<&str> {
    super::utf8::text(bytes).filter(|t| is_clean(t))
}

/// Bytes the clean check takes as one block, and the bytes it reads for one: a lead byte in
/// the block's last place is judged with its two continuation bytes.
const BLOCK: usize = 16;
const WINDOW: usize = BLOCK + 2;

/// Where the first char of `text` that needs work (`needs_work`) begins: what
/// `text.find(|c| needs_work(c, one_line))` gives, found a block of bytes at a time. A block
/// whose bytes hold no lead byte of such a char ([`may_need_work`]) is passed over whole; any
/// other is looked at char by char. A `kanbao grep` checks every headline of 10,000 bulletins
/// this way (char by char, Chinese punctuation broke the runs of common chars too often).
fn first_needing_work(text: &str, one_line: bool) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(window) = b.get(i..i + WINDOW)
            && !may_need_work(window.try_into().expect("a window"))
        {
            i += BLOCK;
            // Past the continuation bytes of a char that began in the block (checked with it).
            while b.get(i).is_some_and(|&c| c & 0xC0 == 0x80) {
                i += 1;
            }
            continue;
        }
        let end = (i + BLOCK).min(b.len());
        while i < end {
            match untouched_char(text, i, one_line) {
                Some(len) => i += len,
                None => return Some(i),
            }
        }
    }
    None
}

/// The length of the char at byte `i` of `text`, or `None` if it needs work. The common chars
/// are told from their bytes (`utf8::common_at`); only the others are decoded.
#[inline(always)]
fn untouched_char(text: &str, i: usize, one_line: bool) -> Option<usize> {
    if let Some((len, _)) = common_at(text.as_bytes(), i) {
        return Some(len);
    }
    let c = text[i..].chars().next()?;
    (!needs_work(c, one_line)).then_some(c.len_utf8())
}

/// Whether a char that needs work may begin in the first `BLOCK` bytes of `w`: true for each
/// lead byte of one (controls, DEL, U+0080-U+00FF, U+0600-U+1FFF, the zero-width and bidi
/// controls and separators of U+200B-U+206F, U+3164 and its neighbours, U+FEFF, U+FFA0-U+FFFF,
/// and everything beyond the BMP), and for a few harmless chars beside them; false for
/// printable ASCII, Han, CJK and general punctuation and full-width forms. Continuation bytes
/// (0x80-0xBF) never count. Each place is judged apart with the same few operations, so the
/// compiler makes them vector operations over the whole block.
#[inline(always)]
fn may_need_work(w: &[u8; WINDOW]) -> bool {
    let mut any = false;
    for k in 0..BLOCK {
        let (a, n, t) = (w[k], w[k + 1], w[k + 2]);
        let general = (n == 0x81) | ((n == 0x80) & ((t.wrapping_sub(0x8B) <= 4) | (t.wrapping_sub(0xA8) <= 6)));
        any |= (a < 0x20)
            | (a == 0x7F)
            | (a == 0xC2)
            | (a.wrapping_sub(0xD8) <= 0xE1 - 0xD8)
            | (a >= 0xF0)
            | ((a == 0xE2) & general)
            | ((a == 0xE3) & (n == 0x85))
            | ((a == 0xEF) & ((n == 0xBB) | (n >= 0xBE)));
    }
    any
}

/// [`sanitize`] without the copy: `Cow::Borrowed` when the text is already clean, for hot
/// paths such as drawing every frame.
pub fn sanitize_cow(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

const ESC: char = '\u{1B}';
const BEL: char = '\u{07}';
/// 8-bit String Terminator.
const ST8: char = '\u{9C}';

fn clean(text: &str, one_line: bool) -> Cow<'_, str> {
    let Some(first) = first_needing_work(text, one_line) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut chars = text[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => skip_escape(&mut chars),
            // 8-bit CSI: a terminal that honours C1 reads it like "ESC [", so its parameters
            // and final byte go too (bounded: a CSI cannot swallow text). The other C1
            // controls, 8-bit OSC/DCS included, are dropped alone below: stray C1 characters
            // are common in mis-decoded Windows-1252 text, and treating them as string
            // openers would swallow the rest of the bulletin; without the opener the string
            // is inert text.
            '\u{9B}' => skip_csi(&mut chars),
            '\n' | '\u{2028}' | '\u{2029}' => out.push(if one_line { ' ' } else { '\n' }),
            '\t' => out.push(if one_line { ' ' } else { '\t' }),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` makes the slow path necessary.
fn needs_work(c: char, one_line: bool) -> bool {
    // Most of a bulletin: printable ASCII and Han, which nothing here touches (the first test
    // every character meets; U+3164, a filler, lies below the Han ranges).
    if matches!(c, ' '..='~' | '\u{3400}'..='\u{9FFF}') {
        return false;
    }
    match c {
        '\n' | '\t' => one_line,
        '\u{2028}' | '\u{2029}' => true,
        c => is_removed(c),
    }
}

/// Characters never shown raw: what [`sanitize`] removes, and the line and paragraph separators
/// (they break a line). One-line messages (config warnings) escape them.
pub fn is_unsafe(c: char) -> bool {
    is_removed(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Characters removed wherever they stand (`\n` and `\t` are handled by the caller).
fn is_removed(c: char) -> bool {
    let u = u32::from(c);
    // C0 (ESC, CR, BEL, BS... all move the cursor or trigger something), DEL, and C1.
    u < 0x20 || (0x7F..=0x9F).contains(&u) || is_format(u) || is_filler(u)
}

/// Hangul fillers: invisible, 0 cells to unicode-width, yet terminals give them cells (tmux and
/// xterm: U+3164 and U+115F 2, U+FFA0 1), so no width could be right everywhere; they are also a
/// known way to fake blank names. U+2800 (braille blank) is not one: 1 cell everywhere, kept.
fn is_filler(u: u32) -> bool {
    matches!(u, 0x115F | 0x1160 | 0x3164 | 0xFFA0)
}

/// Format (Cf) characters: invisible, zero-width, yet they reorder text (bidi controls
/// U+202A..=U+202E, U+2066..=U+2069, U+200E, U+200F, U+061C) or hide content (U+200B, U+2060,
/// U+FEFF, soft hyphen U+00AD, tag characters). Every Cf of Unicode 16 except U+200D ZWJ,
/// which joins emoji sequences (👩‍💻) and is harmless.
fn is_format(u: u32) -> bool {
    matches!(
        u,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200C
            | 0x200E..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE007F
    )
}

/// After ESC: drop the whole sequence (ECMA-48 / ECMA-35). Anything not fitting a sequence
/// is left for the main loop, so a broken sequence never swallows ordinary text.
fn skip_escape(chars: &mut Peekable<Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') => {
            chars.next();
            skip_string(chars, true);
        }
        // DCS, SOS, PM, APC: strings up to ST; a terminal may act on them (DECRQSS replies,
        // tmux passthrough), and their text is not meant to be seen.
        Some('P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars, false);
        }
        // nF: intermediates then a final byte ("ESC ( B" selects a character set).
        Some(' '..='/') => {
            while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
            chars.next_if(|c| matches!(c, '0'..='~'));
        }
        // Two-character sequences: "ESC c" (reset), "ESC 7", "ESC M", "ESC \"...
        Some('0'..='~') => {
            chars.next();
        }
        // A lone ESC (end of text, or followed by a control, DEL or non-ASCII): just dropped.
        _ => {}
    }
}

/// CSI body: parameter bytes 0x30..=0x3F, intermediate bytes 0x20..=0x2F, one final byte
/// 0x40..=0x7E. Anything else ends the sequence unconsumed (a newline inside stays a newline).
fn skip_csi(chars: &mut Peekable<Chars<'_>>) {
    while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// Control string body (OSC, DCS, SOS, PM, APC after ESC): everything up to ST (`ESC \` or
/// U+009C), or BEL for OSC (xterm's terminator), or the end of the text. An ESC not followed
/// by `\` ends the string unconsumed, as it aborts the string in a terminal and starts a new
/// sequence.
fn skip_string(chars: &mut Peekable<Chars<'_>>, bel_ends: bool) {
    while let Some(&c) = chars.peek() {
        match c {
            ESC => {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.peek() == Some(&'\\') {
                    chars.next();
                    chars.next();
                }
                return;
            }
            ST8 => {
                chars.next();
                return;
            }
            BEL if bel_ends => {
                chars.next();
                return;
            }
            _ => {
                chars.next();
            }
        }
    }
}

/// Most code points one grapheme keeps: a base and a few marks, or the longest emoji ZWJ
/// sequences (a couple with skin tones is 10). Text can stack marks without end (Zalgo text, or
/// a hostile file with a million of them on one letter); every grapheme is one terminal cell, and
/// its cost (painting, searching, sending it on every repaint) must stay bounded.
pub const MAX_GRAPHEME_CHARS: usize = 12;

/// Cuts every grapheme to [`MAX_GRAPHEME_CHARS`] code points; returns the text and how many code
/// points were dropped (the caller warns, naming the file). Linear, and a single scan without
/// copying when no grapheme can be that long (the common case).
pub fn cap_graphemes(text: &str) -> (Cow<'_, str>, usize) {
    use unicode_segmentation::UnicodeSegmentation;
    // Every code point of a grapheme after its first is "not simple" (a mark, joiner, selector,
    // modifier, jamo...), so a grapheme longer than the cap needs a run of that many.
    let simple =
        |c: char| c.is_ascii() || ('\u{3000}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c);
    let mut run = 0;
    let long = text.chars().any(|c| {
        run = if simple(c) { 0 } else { run + 1 };
        run >= MAX_GRAPHEME_CHARS
    });
    if !long {
        return (Cow::Borrowed(text), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut dropped = 0;
    for g in text.graphemes(true) {
        let mut chars = g.char_indices();
        match chars.nth(MAX_GRAPHEME_CHARS) {
            Some((cut, _)) => {
                out.push_str(&g[..cut]);
                dropped += 1 + chars.count();
            }
            None => out.push_str(g),
        }
    }
    (Cow::Owned(out), dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path shown as text is the line its `display()` gives, controls and line breaks gone,
    /// whether or not it is UTF-8.
    #[test]
    fn paths_are_shown_as_their_display_on_one_line() {
        use std::path::PathBuf;
        let mut paths: Vec<PathBuf> =
            ["/tmp/简报 2024.txt", "a\nb\tc.txt", "x\u{1b}[2Jy", "e\u{301}\u{202e}.txt"].map(PathBuf::from).to_vec();
        #[cfg(unix)]
        paths.push(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"gbk\xbc\xf2\xb1\xa8\n.txt").into());
        for p in &paths {
            let line = path_line(p);
            assert_eq!(line, sanitize_line(&p.display().to_string()), "{p:?}");
            assert!(!line.contains(['\n', '\t', '\u{1b}']), "{line:?}");
        }
    }

    #[test]
    fn the_common_characters_are_clean() {
        // `is_clean` takes these without asking `sanitize`: it must leave each one alone.
        for c in (' '..='~').chain('\u{3001}'..='\u{3011}').chain('\u{2010}'..='\u{2027}').chain(['\u{B7}']) {
            assert_eq!(sanitize_cow(&c.to_string()), c.to_string(), "U+{:04X}", c as u32);
        }
    }

    /// The block test finds the same first char to work on as a test of each char, for every
    /// char near the edges of the ranges it tells apart, at every place around a block's end,
    /// in lines and in text.
    #[test]
    fn untouched_by_bytes_is_untouched_by_chars() {
        let edges = [
            0x20, 0x7E, 0xAD, 0xB7, 0x600, 0x8E2, 0x115F, 0x180E, 0x2010, 0x200B, 0x2027, 0x202A, 0x2060, 0x206F,
            0x3001, 0x3011, 0x3164, 0x3400, 0x4E00, 0x4FFF, 0x5000, 0x9FFF, 0xFEFF, 0xFF01, 0xFF5E, 0xFFA0, 0xFFF9,
        ];
        let near = edges.iter().flat_map(|&e: &u32| e.saturating_sub(40)..=e + 40);
        let chars: Vec<char> = (0..0x100)
            .chain(near)
            .chain([0xFFFD, 0x1F600, 0x110BD, 0xE0001, 0x10FFFF])
            .filter_map(char::from_u32)
            .collect();
        let mut looked_at = 0;
        for &c in &chars {
            for pad in 0..WINDOW + 3 {
                let before: String = "职工a，“拔河”".chars().cycle().take(pad).collect();
                let s = format!("{before}{c}服务。{}", "工会".repeat(pad % 12));
                for one_line in [false, true] {
                    let want = s.find(|c| needs_work(c, one_line));
                    assert_eq!(first_needing_work(&s, one_line), want, "{s:?} {one_line}");
                    looked_at += usize::from(want.is_some());
                }
            }
        }
        // Both answers were met, often.
        assert!(looked_at > 10_000 && looked_at < chars.len() * (WINDOW + 3), "{looked_at}");
        assert_eq!(first_needing_work("", false), None);
        assert_eq!(first_needing_work(&"职工·服务，“拔河”——ＡＰＰ！".repeat(5), true), None);
    }

    /// Every char that needs work, in the first or last place of a block, marks the block to be
    /// looked at char by char.
    #[test]
    fn blocks_with_a_char_that_needs_work_are_looked_at() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| needs_work(c, true)) {
            for at in [0, BLOCK - 1] {
                let mut w = [b'a'; WINDOW + 4];
                c.encode_utf8(&mut w[at..]);
                assert!(may_need_work(w[..WINDOW].try_into().unwrap()), "U+{:04X} at {at}", c as u32);
            }
        }
        assert!(!may_need_work("职工，“拔河”ＡＰＰ".as_bytes()[..WINDOW].try_into().unwrap()));
    }

    #[test]
    fn graphemes_are_capped_and_counted() {
        let zalgo = format!("a{}。b", "\u{200d}\u{301}".repeat(1000));
        let (capped, dropped) = cap_graphemes(&zalgo);
        assert_eq!(dropped, 2000 + 1 - MAX_GRAPHEME_CHARS);
        assert!(capped.ends_with("。b") && capped.chars().count() == MAX_GRAPHEME_CHARS + 2, "{capped:?}");
        // Ordinary text, CJK, emoji sequences: untouched and not copied.
        for ok in ["测试标题 abc", "e\u{301}\u{302}", "👩🏽\u{200d}❤\u{fe0f}\u{200d}💋\u{200d}👨🏻", "🇨🇳"]
        {
            assert!(matches!(cap_graphemes(ok), (Cow::Borrowed(_), 0)), "{ok}");
        }
    }
    use proptest::prelude::*;

    /// Written independently of `is_removed`: what must never reach a terminal.
    fn forbidden(c: char) -> bool {
        let u = u32::from(c);
        let c0 = u < 0x20 && c != '\n' && c != '\t';
        let del_c1 = (0x7F..=0x9F).contains(&u);
        let bidi = matches!(u, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x61C);
        // General category Cf (Unicode 16), except U+200D ZWJ.
        const CF: &[(u32, u32)] = &[
            (0xAD, 0xAD),
            (0x600, 0x605),
            (0x61C, 0x61C),
            (0x6DD, 0x6DD),
            (0x70F, 0x70F),
            (0x890, 0x891),
            (0x8E2, 0x8E2),
            (0x180E, 0x180E),
            (0x200B, 0x200C),
            (0x200E, 0x200F),
            (0x202A, 0x202E),
            (0x2060, 0x2064),
            (0x2066, 0x206F),
            (0xFEFF, 0xFEFF),
            (0xFFF9, 0xFFFB),
            (0x110BD, 0x110BD),
            (0x110CD, 0x110CD),
            (0x13430, 0x1343F),
            (0x1BCA0, 0x1BCA3),
            (0x1D173, 0x1D17A),
            (0xE0001, 0xE0001),
            (0xE0020, 0xE007F),
        ];
        let cf = CF.iter().any(|&(lo, hi)| (lo..=hi).contains(&u));
        let separators = c == '\u{2028}' || c == '\u{2029}';
        // Hangul fillers: HANGUL CHOSEONG/JUNGSEONG FILLER, HANGUL FILLER, HALFWIDTH HANGUL FILLER.
        let fillers = [0x115F, 0x1160, 0x3164, 0xFFA0].contains(&u);
        c0 || del_c1 || bidi || cf || separators || fillers
    }

    fn assert_safe(out: &str) {
        if let Some(c) = out.chars().find(|&c| forbidden(c)) {
            panic!("U+{:04X} survived in {out:?}", u32::from(c));
        }
    }

    fn s(text: &str) -> String {
        let out = sanitize(text);
        assert_safe(&out);
        out
    }

    #[test]
    fn osc_sequences_are_removed_whole() {
        // OSC 0 (window title), ended by BEL or by ST.
        assert_eq!(s("前\x1b]0;evil title\x07后"), "前后");
        assert_eq!(s("前\x1b]2;evil title\x1b\\后"), "前后");
        // OSC 52: write the clipboard.
        assert_eq!(s("复制\x1b]52;c;cm0gLXJmIH4=\x07粘贴"), "复制粘贴");
        // OSC 8: hyperlink around visible text; the text stays.
        assert_eq!(s("请\x1b]8;;https://evil.example/\x1b\\点击这里\x1b]8;;\x1b\\。"), "请点击这里。");
        // 8-bit OSC: the opener goes, its text stays as inert text (see `clean`).
        assert_eq!(s("a\u{9D}0;title\u{9C}b"), "a0;titleb");
        // Unterminated: runs to the end of the text.
        assert_eq!(s("正文\x1b]0;title without end\n下一段"), "正文");
        // An ESC inside the string aborts it and starts a new sequence.
        assert_eq!(s("\x1b]0;t\x1b[31m红"), "红");
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(s("清屏\x1b[2J\x1b[H之后"), "清屏之后");
        // Device status report and device attributes: the terminal would answer into stdin.
        assert_eq!(s("x\x1b[6ny"), "xy");
        assert_eq!(s("x\x1b[cy"), "xy");
        assert_eq!(s("x\x1b[>0cy"), "xy");
        assert_eq!(s("\x1b[1;31m红色\x1b[0m正常"), "红色正常");
        assert_eq!(s("\x1b[38;2;255;0;0m真彩\x1b[m"), "真彩");
        // 8-bit CSI with its parameters and final byte.
        assert_eq!(s("a\u{9B}2Jb\u{9B}6nc"), "abc");
        assert_eq!(s("\u{9B}1;31m红"), "红");
        // A CSI cut short by a newline or CJK: the newline and text stay.
        assert_eq!(s("a\x1b[12\nb"), "a\nb");
        assert_eq!(s("a\x1b[1重"), "a重");
    }

    #[test]
    fn other_escapes_are_removed() {
        // DCS (e.g. XTGETTCAP), APC (kitty graphics), PM, SOS.
        assert_eq!(s("a\x1bP+q544e\x1b\\b"), "ab");
        assert_eq!(s("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
        assert_eq!(s("a\x1b^privacy\x1b\\b\x1bXsos\x1b\\c"), "abc");
        assert_eq!(s("a\u{90}dcs\u{9C}b"), "adcsb");
        // Two- and three-character sequences: reset, save cursor, charset.
        assert_eq!(s("a\x1bcb\x1b7c\x1b(Bd\x1b#8e"), "abcde");
        // Lone ESC: at the end, before CJK, before a control, doubled.
        assert_eq!(s("标题\x1b"), "标题");
        assert_eq!(s("\x1b重庆"), "重庆");
        assert_eq!(s("a\x1b\x07b"), "ab");
        assert_eq!(s("a\x1b\x1b[2Jb"), "ab");
    }

    #[test]
    fn controls_are_removed_and_newlines_tabs_kept() {
        assert_eq!(s("a\x00b\x07c\x08d\x0be\x0cf\rg\x7fh"), "abcdefgh");
        assert_eq!(s("第一段\n\n\t第二段"), "第一段\n\n\t第二段");
        // C1: NEL, and the 8-bit ST alone.
        assert_eq!(s("a\u{85}b\u{9C}c\u{80}d"), "abcd");
        assert_eq!(s("一\u{2028}二\u{2029}三"), "一\n二\n三");
    }

    #[test]
    fn bidi_and_format_characters_are_removed() {
        assert_eq!(s("abc\u{202E}fed\u{202C}"), "abcfed");
        assert_eq!(s("x\u{2066}y\u{2067}z\u{2068}w\u{2069}"), "xyzw");
        assert_eq!(s("a\u{200E}b\u{200F}c\u{61C}d"), "abcd");
        // Zero-width space, word joiner, BOM, soft hyphen, tag characters.
        assert_eq!(s("重\u{200B}庆\u{2060}市\u{FEFF}总\u{AD}工会"), "重庆市总工会");
        assert_eq!(s("旗\u{E0067}\u{E0062}\u{E007F}帜"), "旗帜");
    }

    #[test]
    fn hangul_fillers_are_removed() {
        // U+3164 is 0 cells to unicode-width and 2 in tmux/xterm: a name of fillers looks blank
        // and shifts the row.
        assert_eq!(s("标\u{3164}题\u{115F}\u{1160}文\u{FFA0}章"), "标题文章");
        assert_eq!(sanitize_line("\u{3164}\u{3164}"), "");
        // The braille blank is 1 cell everywhere: kept.
        assert_eq!(s("a\u{2800}b"), "a\u{2800}b");
    }

    #[test]
    fn ordinary_text_is_kept_untouched() {
        for text in [
            "重庆市总工会召开六届二次常委(扩大)会议。\n\n11月2日，会议指出……“五大行动”",
            "全角空格\u{3000}与不换行空格\u{A0}",
            "👩\u{200D}💻 👍🏽 ❤\u{FE0F} 🇨🇳",
            "私用区\u{E000}\u{F8FF}",
            "tab\there",
            "",
        ] {
            assert!(matches!(sanitize_cow(text), Cow::Borrowed(t) if t == text), "{text:?}");
            assert_eq!(sanitize(text), text);
        }
    }

    #[test]
    fn sanitize_line_flattens() {
        assert_eq!(sanitize_line("a\nb\tc\u{2028}d\r\ne"), "a b c d e");
        assert_eq!(sanitize_line("报告\x1b]0;x\x07.txt"), "报告.txt");
        assert_eq!(sanitize_line("报告.txt"), "报告.txt");
        assert!(matches!(sanitize_cow("a\nb"), Cow::Borrowed(_)));
        assert!(matches!(sanitize_cow("a\x1b[2Jb"), Cow::Owned(t) if t == "ab"));
    }

    /// Strings rich in the pieces escape sequences are made of.
    fn tricky() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            any::<char>().prop_map(String::from),
            Just("\x1b".to_string()),
            Just("\x1b[".to_string()),
            Just("\x1b]".to_string()),
            Just("\x1bP".to_string()),
            Just("\x1b\\".to_string()),
            Just("\x07".to_string()),
            Just("\u{9B}".to_string()),
            Just("\u{9C}".to_string()),
            Just("\u{9D}".to_string()),
            Just("\u{202E}".to_string()),
            Just("\u{3164}".to_string()),
            Just("\u{200D}".to_string()),
            Just("\u{2028}".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just("重庆".to_string()),
            "[0-9;?>]{1,4}",
            "[@-~]",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn output_is_always_safe_and_stable(text in tricky()) {
            let out = sanitize(&text);
            assert_safe(&out);
            prop_assert_eq!(sanitize(&out), out.clone());
            prop_assert_eq!(sanitize_cow(&text), out.as_str());
            let line = sanitize_line(&text);
            assert_safe(&line);
            prop_assert!(!line.contains(['\n', '\t']));
            prop_assert_eq!(sanitize_line(&line), line.clone());
        }

        #[test]
        fn arbitrary_strings_never_panic(text in any::<String>()) {
            let out = sanitize(&text);
            assert_safe(&out);
            prop_assert_eq!(sanitize(&out), out.clone());
        }

        #[test]
        fn clean_text_is_unchanged(
            chars in proptest::collection::vec(
                // The sanitizer drops the whole tag block, unassigned code points included.
                any::<char>().prop_filter("clean", |&c| !forbidden(c) && c != '\x1b' && !('\u{e0000}'..='\u{e007f}').contains(&c)),
                0..60,
            )
        ) {
            let text: String = chars.into_iter().collect();
            prop_assert!(matches!(sanitize_cow(&text), Cow::Borrowed(t) if t == text));
            prop_assert_eq!(sanitize(&text), text.clone());
        }
    }
}
