//! Is the decoded text text? A font without a usable Unicode map decodes to private-use
//! characters, controls, replacement characters or letters of scripts a bulletin never uses.
//! Decided by a measure, not a hope: past a share of such characters, the PDF is refused.

use super::PdfError;
use super::extract::Page;

/// Fewer characters than this on every page together: no text layer.
const MIN_CHARS: usize = 8;
/// Refused when more than this share (percent) of the characters is not readable text.
const MAX_BAD_PERCENT: usize = 10;

pub fn check(pages: &[Page]) -> Result<(), PdfError> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in pages.iter().flat_map(|p| &p.spans).flat_map(|s| s.text.chars()) {
        if c.is_whitespace() || c == '\u{3000}' {
            continue;
        }
        total += 1;
        if !expected(c) {
            bad += 1;
        }
    }
    if total < MIN_CHARS {
        let pictures = pages.iter().any(|p| !p.pictures.is_empty());
        return Err(PdfError::NoText { pictures });
    }
    let pct = bad * 100 / total;
    if pct > MAX_BAD_PERCENT {
        return Err(PdfError::Unrecoverable(pct));
    }
    Ok(())
}

/// Characters a Chinese bulletin is written in: Han, CJK and general punctuation, full-width
/// forms, ASCII, Greek (α, β), kana, symbols, arrows and shapes (▲ ◀ ①).
fn expected(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{a0}'..='\u{bf}' | '\u{d7}' | '\u{f7}'
        | '\u{370}'..='\u{3ff}'
        | '\u{2000}'..='\u{2bff}'
        | '\u{2e80}'..='\u{2fdf}'
        | '\u{3000}'..='\u{33ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ffef}'
        | '\u{20000}'..='\u{3134f}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pdf::Span;

    fn page(text: &str, pictures: usize) -> Page {
        let span = Span { text: text.into(), x: 0.0, y: 0.0, width: 1.0, height: 1.0, size: 12.0, bold: false };
        let pic = crate::domain::pdf::Picture { y: 0.0, height: 100.0 };
        Page { width: 595.0, height: 842.0, spans: vec![span], pictures: vec![pic; pictures] }
    }

    #[test]
    fn chinese_text_passes() {
        assert!(check(&[page("重庆市总工会召开六届二次常委(扩大)会议,“中国梦·劳动美”。", 0)]).is_ok());
    }

    #[test]
    fn private_use_and_controls_are_refused() {
        let garbage: String = (0..40).map(|i| char::from_u32(0xe000 + i).unwrap()).collect();
        assert_eq!(check(&[page(&garbage, 0)]), Err(PdfError::Unrecoverable(100)));
        let mixed = format!("{}{}", "工会".repeat(10), "\u{fffd}\u{1}".repeat(10));
        assert!(matches!(check(&[page(&mixed, 0)]), Err(PdfError::Unrecoverable(_))));
    }

    #[test]
    fn no_text_is_a_scan_when_there_are_pictures() {
        assert_eq!(check(&[page("", 1)]), Err(PdfError::NoText { pictures: true }));
        assert_eq!(check(&[page(" ", 0)]), Err(PdfError::NoText { pictures: false }));
    }
}
