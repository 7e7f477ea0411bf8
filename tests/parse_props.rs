//! Properties of the parser over inputs nobody wrote by hand: it never panics, and no text is
//! lost or duplicated. Every character of the input except whitespace and heading marks ends up
//! in exactly one field (a label, a headline line, a caption, a paragraph, or furniture).

use std::collections::BTreeMap;

use kanbao::domain::parse::{ParsedBulletin, SectionVocab, parse};
use proptest::prelude::*;

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

fn census<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for t in texts {
        for c in t.chars().filter(|&c| !is_space(c) && c != '#' && c != '＃') {
            *m.entry(c).or_insert(0) += 1;
        }
    }
    m
}

fn fields(b: &ParsedBulletin) -> Vec<&str> {
    let mut out: Vec<&str> = b.labels.iter().chain(&b.furniture).map(String::as_str).collect();
    for a in b.articles.iter() {
        out.extend(a.kicker.as_deref());
        if !a.title_derived {
            out.push(&a.title);
        }
        out.extend(a.subtitle.as_deref());
        out.extend(a.captions.iter().map(String::as_str));
        out.extend(a.paragraphs.iter().map(String::as_str));
    }
    out
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let b = parse(text, &SectionVocab::bundled());
    prop_assert_eq!(census([text]), census(fields(&b)), "text lost or duplicated for {:?}", text);
    for a in b.articles.iter() {
        prop_assert_eq!(a.captions.len(), a.caption_at.len());
        prop_assert!(a.caption_at.iter().all(|&at| at <= a.paragraphs.len()));
        prop_assert!(!a.title.trim().is_empty() || a.title_derived, "empty title in {:?}", text);
    }
    Ok(())
}

/// Pieces that look like bulletin lines: headlines, labels, captions, body text split anywhere.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("渝工建功".to_string()),
        Just("图片新闻".to_string()),
        Just("扫码参与更多精彩活动".to_string()),
        Just("## 巾帼匠心筑梦 强国复兴有我".to_string()),
        Just("# ".to_string()),
        Just("▲当代舞《老师,妈妈》(南岸区)".to_string()),
        Just("《人勤春早》 万承尧".to_string()),
        Just("一、强化思想引领".to_string()),
        Just("喜迎新春：".to_string()),
        Just("——记全国劳动模范".to_string()),
        "[一-龥]{2,20}",
        "[一-龥]{2,8} [一-龥]{2,12}",
        "[一-龥，。、；：“”！？,.;()（）0-9a-z ]{1,120}",
        "[一-龥]{10,80}[。！？，；]",
        any::<String>(),
    ]
}

fn bulletin() -> impl Strategy<Value = String> {
    prop::collection::vec((line(), 0usize..6), 0..30).prop_map(|parts| {
        let mut s = String::new();
        for (l, blanks) in parts {
            s.push_str(&l);
            s.push('\n');
            s.push_str(&"\n".repeat(blanks));
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn bulletin_shaped_text_loses_nothing(text in bulletin()) {
        check(&text)?;
    }

    #[test]
    fn arbitrary_text_never_panics_and_loses_nothing(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn arbitrary_lines_and_gaps(text in "([^\n]{0,30}\n{1,5}){0,20}") {
        check(&text)?;
    }
}

#[test]
fn seeds_lose_nothing() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        check(&text).unwrap();
    }
}
