//! Full-width and half-width forms as one: ＡＢＣ１２３ is ABC123, `，` is `,`, U+3000 is a space.
//!
//! Chinese text mixes both forms freely (an IME types ＡＰＰ, a converter writes APP), and a reader
//! searching for one expects the other. Only the width variants of ASCII fold: `。` is not `.`,
//! `“` is not `"`.

/// One full-width ASCII character (U+FF01..=U+FF5E) or U+3000 as ASCII; anything else as it is.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        let fold = |s: &str| s.chars().map(fold_width).collect::<String>();
        assert_eq!(fold("ＡＢＣ１２３"), "ABC123");
        assert_eq!(fold("ａｐｐ，（）！"), "app,()!");
        assert_eq!(fold("中文　。“”￥"), "中文 。“”￥");
    }
}
