//! What counts as a Han character (a CJK ideograph), decided once for width, line breaking,
//! parsing and district names alike.

/// CJK ideographs: the Unified block, Extensions A to I, and the two Compatibility blocks.
/// Not 〇 (U+3007) or the radicals: they are symbols, not characters of a word.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'        // CJK Unified Ideographs
        | '\u{3400}'..='\u{4DBF}'      // Extension A
        | '\u{20000}'..='\u{2A6DF}'    // Extension B
        | '\u{2A700}'..='\u{2EE5F}'    // Extensions C, D, E, F and I (adjacent blocks)
        | '\u{30000}'..='\u{323AF}'    // Extensions G and H
        | '\u{F900}'..='\u{FAFF}'      // CJK Compatibility Ideographs
        | '\u{2F800}'..='\u{2FA1F}') // Compatibility Ideographs Supplement
}

#[cfg(test)]
mod tests {
    use super::is_han;

    #[test]
    fn every_block_from_its_first_to_its_last_character() {
        let han = [
            ('\u{4E00}', "一, first of the Unified block"),
            ('\u{9FFF}', "last of the Unified block"),
            ('\u{3400}', "Extension A first"),
            ('\u{4DBF}', "Extension A last"),
            ('\u{20000}', "Extension B first"),
            ('\u{2A6DF}', "Extension B last"),
            ('\u{2A700}', "Extension C first"),
            ('\u{2B740}', "Extension D first"),
            ('\u{2B820}', "Extension E first"),
            ('\u{2CEB0}', "Extension F first"),
            ('\u{2EBE0}', "Extension F last"),
            ('\u{2EBF0}', "Extension I first"),
            ('\u{2EE5D}', "Extension I last"),
            ('\u{30000}', "Extension G first"),
            ('\u{3134A}', "Extension G last"),
            ('\u{31350}', "Extension H first"),
            ('\u{323AF}', "Extension H last"),
            ('\u{F900}', "Compatibility first"),
            ('\u{FAD9}', "Compatibility last"),
            ('\u{2F800}', "Compatibility Supplement first"),
            ('\u{2FA1D}', "Compatibility Supplement last"),
            ('渝', "a district's character"),
            ('𠮷', "U+20BB7, common in names"),
        ];
        for (c, what) in han {
            assert!(is_han(c), "{what}: U+{:04X}", c as u32);
        }
        let not_han = [
            ('\u{3007}', "〇 ideographic zero"),
            ('\u{3000}', "ideographic space"),
            ('，', "full-width comma"),
            ('。', "ideographic full stop"),
            ('\u{2E80}', "CJK radical"),
            ('\u{3105}', "bopomofo"),
            ('\u{3041}', "hiragana"),
            ('\u{AC00}', "hangul"),
            ('\u{33FF}', "just before Extension A"),
            ('\u{A000}', "Yi, just after the Unified block"),
            ('\u{2A6E0}', "between Extensions B and C"),
            ('\u{2F7FF}', "before the Compatibility Supplement"),
            ('\u{323B0}', "after Extension H"),
            ('A', "Latin"),
            ('1', "digit"),
            ('😀', "emoji"),
        ];
        for (c, what) in not_han {
            assert!(!is_han(c), "{what}: U+{:04X}", c as u32);
        }
    }
}
