//! Full-width and half-width forms as one: ＡＢＣ１２３ is ABC123, `，` is `,`, U+3000 is a space.
//!
//! Chinese text mixes both forms freely (an IME types ＡＰＰ, a converter writes APP), and a reader
//! searching for one expects the other. Only width variants fold (NFKC's <wide>/<narrow> pairs
//! for ASCII and the currency/sign block): `。` is not `.`, `“` is not `"`.

/// The half-width form of `c` (itself when it has none).
pub fn fold_char(c: char) -> char {
    match c {
        // U+FF01..=U+FF5E mirror ASCII 0x21..=0x7E.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => SIGNS.iter().find(|(full, _)| *full == c).map_or(c, |(_, half)| *half),
    }
}

/// Full-width signs outside the ASCII mirror, with their half-width forms.
const SIGNS: [(char, char); 9] = [
    ('\u{FF5F}', '\u{2985}'), // ｟ ⦅
    ('\u{FF60}', '\u{2986}'), // ｠ ⦆
    ('\u{FFE0}', '\u{A2}'),   // ￠ ¢
    ('\u{FFE1}', '\u{A3}'),   // ￡ £
    ('\u{FFE2}', '\u{AC}'),   // ￢ ¬
    ('\u{FFE3}', '\u{AF}'),   // ￣ ¯
    ('\u{FFE4}', '\u{A6}'),   // ￤ ¦
    ('\u{FFE5}', '\u{A5}'),   // ￥ ¥
    ('\u{FFE6}', '\u{20A9}'), // ￦ ₩
];

/// Every char that folds to the same as `c`, `fold_char(c)` first: the forms a search for `c`
/// must accept in text that was not folded.
pub fn width_forms(c: char) -> Vec<char> {
    let half = fold_char(c);
    let mut out = vec![half];
    match half {
        '!'..='~' => out.extend(char::from_u32(half as u32 + 0xFEE0)),
        ' ' => out.push('\u{3000}'),
        _ => out.extend(SIGNS.iter().filter(|(_, h)| *h == half).map(|(full, _)| *full)),
    }
    out
}

/// `text` with every char folded.
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        assert_eq!(fold_str("ＡＢＣ１２３"), "ABC123");
        assert_eq!(fold_str("ａｐｐ，（）！"), "app,()!");
        assert_eq!(fold_str("中文　。“”"), "中文 。“”");
        assert_eq!(fold_str("￥５"), "¥5");
    }

    #[test]
    fn forms_are_exactly_the_preimage_of_the_fold() {
        // Over all of Unicode: x is among the forms of c exactly when x folds to what c folds to.
        let all = || (0..=0x10FFFFu32).filter_map(char::from_u32);
        let folding: Vec<char> = all().filter(|&c| fold_char(c) != c).collect();
        for c in folding.iter().copied().chain("aZ09 ,¥⦅".chars()) {
            let forms = width_forms(c);
            assert_eq!(forms[0], fold_char(c));
            let mut expected: Vec<char> = folding.iter().copied().filter(|&x| fold_char(x) == fold_char(c)).collect();
            expected.push(fold_char(c));
            let mut got = forms.clone();
            got.sort();
            expected.sort();
            assert_eq!(got, expected, "{c:?}");
        }
        assert_eq!(width_forms('中'), vec!['中']);
    }

    #[test]
    fn folding_is_idempotent() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(fold_char(fold_char(c)), fold_char(c), "{c:?}");
        }
    }
}
