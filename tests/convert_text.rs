//! Converter text (pdftotext-style: hard-wrapped lines, indents, form feeds, running heads,
//! page numbers, a masthead, a closing distribution block) parses as its seed-style source.
//! The bulletins in tests/data/convert are our own (not the seeds, and not tuned on them);
//! `scripts/gen-converter-text.py` makes the `.converted.txt` from the `.src.txt`.

use std::path::PathBuf;

use kanbao::domain::corpus::{Bulletin, Format};
use kanbao::domain::load::{LoadOptions, load};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/convert").join(name)
}

fn one(path: PathBuf) -> Bulletin {
    let (corpus, problems) = load(&[path], None, LoadOptions::default());
    assert!(problems.iter().all(|p| p.loaded), "{problems:?}");
    corpus.bulletins.into_iter().next().expect("one bulletin")
}

/// Everything a reader sees of an article except its paragraphs.
fn heads(b: &Bulletin) -> Vec<String> {
    b.articles
        .iter()
        .map(|a| {
            format!("{:?}|{:?}|{}|{:?}|{:?}|{:?}", a.section, a.kicker, a.title, a.subtitle, a.captions, a.districts)
        })
        .collect()
}

#[test]
fn converter_text_parses_as_its_source() {
    for name in ["autumn", "spring"] {
        let conv = one(data(&format!("{name}.converted.txt")));
        let src = one(data(&format!("{name}.src.txt")));
        assert_eq!(heads(&conv), heads(&src), "{name}");
        assert_eq!(conv.format, Format::Text);
        for (c, s) in conv.articles.iter().zip(&src.articles) {
            // Verse keeps its lines; seed-style text joins lines that end mid-sentence.
            let verse = c.paragraphs.len() > s.paragraphs.len();
            if !verse {
                assert_eq!(c.paragraphs, s.paragraphs, "{name}: {}", c.title);
            }
        }
    }
}

#[test]
fn masthead_issue_and_printed_date_are_kept() {
    let b = one(data("autumn.converted.txt"));
    assert_eq!(b.issue.as_deref(), Some("第9期（总第156期）"));
    assert_eq!((b.date.map(|d| d.to_string()), b.day), (Some("2024-09".into()), Some(25)));
    let b = one(data("spring.converted.txt"));
    assert_eq!(b.issue.as_deref(), Some("第3期"));
    assert_eq!((b.date.map(|d| d.to_string()), b.day), (Some("2024-03".into()), Some(28)));
}

#[test]
fn furniture_is_dropped_and_a_poem_stays_body() {
    let b = one(data("autumn.converted.txt"));
    let all: Vec<&str> = b
        .articles
        .iter()
        .flat_map(|a| [a.title.as_str()].into_iter().chain(a.paragraphs.iter().map(String::as_str)))
        .collect();
    for furniture in ["渝工简报", "- 1 -", "报：", "发：", "印发", "━━"] {
        assert!(!all.iter().any(|t| t.contains(furniture)), "{furniture} left in {all:?}");
    }
    let poem = b.articles.iter().find(|a| a.title == "港口夜班工人的一首小诗").expect("poem article");
    assert_eq!(&poem.paragraphs[..2], ["江风吹过朝天门,", "吊车还在夜色里转身。"]);
    assert_eq!(b.articles.len(), 4, "poem lines are not headlines");
    // A title wrapped over two (centred) lines reads as one.
    assert!(b.articles.iter().any(|a| a.title == "铜梁区总工会开展户外劳动者“清凉送到一线”活动"));
}

#[test]
fn utf16_with_crlf_parses_as_utf8_with_lf() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["autumn", "spring"] {
        let text = std::fs::read_to_string(data(&format!("{name}.converted.txt"))).unwrap();
        let mut bytes = vec![0xff, 0xfe];
        for unit in text.replace('\n', "\r\n").encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let path = dir.path().join(format!("{name}-utf16.txt"));
        std::fs::write(&path, bytes).unwrap();
        let (a, b) = (one(path), one(data(&format!("{name}.converted.txt"))));
        assert_eq!(heads(&a), heads(&b));
        assert_eq!(
            a.articles.iter().map(|x| &x.paragraphs).collect::<Vec<_>>(),
            b.articles.iter().map(|x| &x.paragraphs).collect::<Vec<_>>()
        );
        assert_eq!((a.issue, a.day), (b.issue, b.day));
    }
}

/// Hard-wraps at `cells` columns (CJK two cells), as a converter prints a page.
fn wrap(text: &str, cells: usize) -> String {
    let (mut out, mut w) = (String::new(), 0);
    for c in text.chars() {
        let cw = if c.is_ascii() { 1 } else { 2 };
        if w + cw > cells {
            out.push('\n');
            w = 0;
        }
        out.push(c);
        w += cw;
    }
    out + "\n"
}

#[test]
fn a_headline_wrapped_over_two_lines_is_one_title() {
    let title = "璧山区新建十个职工驿站 让环卫工人快递小哥出租车司机等户外劳动者歇脚有处";
    let paras = [
        "今年以来,璧山区总工会联合区城市管理局,在主要街道和公园新建10个职工驿站,配备饮水机、微波炉和急救药箱,免费向户外劳动者开放。",
        "截至3月底,驿站已累计服务户外劳动者1.2万人次。区总工会表示,2024年还将在镇街新建一批职工驿站,让户外劳动者歇脚有处。",
    ];
    let mut text = wrap(title, 60);
    for p in paras {
        text += &wrap(&format!("\u{3000}\u{3000}{p}"), 60);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.txt");
    std::fs::write(&path, &text).unwrap();
    let b = one(path);
    assert_eq!(b.articles.len(), 1, "{text}");
    assert_eq!(b.articles[0].title, title);
    assert_eq!(b.articles[0].paragraphs, paras);
}
