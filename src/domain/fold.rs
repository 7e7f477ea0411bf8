//! Folding text for matching, shared by every query in kanbao (finder, `find`, `filter`, the
//! reader's `/`, the corpus search).
//!
//! - [`fold_query`]: what a user typed, with full-width ASCII (U+FF01–FF5E, typed by a Chinese
//!   IME in full-width mode: `ｂｉｓｈａｎ`, `！`, `＾`) and the ideographic space U+3000 turned
//!   into their ASCII forms. Apply it to every query before parsing it.
//! - [`fold_char`]: one character as fzf compares it: lowercased (Unicode simple case mapping)
//!   when the term is case-insensitive, then with its Latin diacritics removed (fzf's default
//!   normalisation, [`normalize`]). Always one char for one char, so char indices into the folded
//!   text are char indices into the original.

use std::borrow::Cow;

mod latin;

/// The query with full-width ASCII and U+3000 folded to ASCII; borrowed when there are none.
pub fn fold_query(q: &str) -> Cow<'_, str> {
    if !q.chars().any(|c| c == '\u{3000}' || ('\u{FF01}'..='\u{FF5E}').contains(&c)) {
        return Cow::Borrowed(q);
    }
    Cow::Owned(q.chars().map(fold_width).collect())
}

/// One full-width ASCII character or U+3000 as ASCII; anything else as it is.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// fzf's normalisation of a Latin letter with diacritics (`é` -> `e`, `Á` -> `A`); anything
/// else as it is. fzf only normalises U+00C0..=U+2184.
pub fn normalize(c: char) -> char {
    if !('\u{C0}'..='\u{2184}').contains(&c) {
        return c;
    }
    match latin::NORMALIZED.binary_search_by_key(&c, |&(k, _)| k) {
        Ok(i) => latin::NORMALIZED[i].1 as char,
        Err(_) => c,
    }
}

/// Whether no other character folds to `c` and `c` folds to itself (CJK, kana, Hangul,
/// punctuation, digits): such characters can be compared without folding the text.
#[inline]
pub fn uncased(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return !c.is_ascii_alphabetic();
    }
    (0x2E80..=0x9FFF).contains(&cp) || (0xAC00..=0xD7A3).contains(&cp) || (!c.is_lowercase() && !c.is_uppercase())
}

/// Lowercase by the simple (one char) mapping, as Go's `unicode.ToLower`.
#[inline]
pub fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let cp = c as u32;
    if (0x2E80..=0x9FFF).contains(&cp) {
        return c;
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// `c` as a term compares it: lowercased unless `case_sensitive`, then normalised if `normalize`.
#[inline]
pub fn fold_char(c: char, case_sensitive: bool, normalize_it: bool) -> char {
    let c = if case_sensitive { c } else { lower(c) };
    if normalize_it { normalize(c) } else { c }
}

/// Lowercase, by [`lower`], char for char.
pub fn lower_str(s: &str) -> String {
    s.chars().map(lower).collect()
}

/// Normalised, by [`normalize`], char for char.
pub fn normalize_str(s: &str) -> String {
    s.chars().map(normalize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_ideographic_space_become_ascii() {
        assert_eq!(fold_query("ｂｉｓｈａｎ　！璧山＾ｃｑ＄"), "bishan !璧山^cq$");
        assert_eq!(fold_query("ＡＢＣ～１２３"), "ABC~123");
        assert!(matches!(fold_query("璧山 bs"), Cow::Borrowed(_)));
        // Only U+FF01..=U+FF5E: half-width katakana and full-width brackets beyond stay.
        assert_eq!(fold_query("｟ｦ"), "｟ｦ");
    }

    #[test]
    fn case_and_diacritics_fold_one_char_for_one() {
        assert_eq!(fold_char('É', false, true), 'e');
        assert_eq!(fold_char('É', true, true), 'E');
        assert_eq!(fold_char('é', true, false), 'é');
        assert_eq!(fold_char('С', false, false), 'с');
        assert_eq!(fold_char('İ', false, false), 'i');
        assert_eq!(fold_char('璧', false, true), '璧');
        assert_eq!(normalize('ß'), 's');
        assert_eq!(normalize('Ā'), 'Ā', "fzf's table has the small letter only");
        assert_eq!(fold_char('Ā', false, true), 'a');
        assert!(latin::NORMALIZED.windows(2).all(|w| w[0].0 < w[1].0), "sorted for the binary search");
    }

    #[test]
    fn uncased_characters() {
        for c in ['璧', '，', '1', '-', 'あ', '한'] {
            assert!(uncased(c), "{c}");
        }
        for c in ['a', 'Z', 'é', 'С', 'ｂ'] {
            assert!(!uncased(c), "{c}");
        }
    }
}
