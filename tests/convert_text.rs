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
        for (c, s) in conv.articles.iter().zip(src.articles.iter()) {
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

/// Hard-wraps a body paragraph as a converter that drops the first-line indent prints it: the
/// first line stops `indent` cells short of the width.
fn wrap_dropped_indent(text: &str, cells: usize, indent: usize) -> String {
    let first: String = {
        let (mut w, mut n) = (0, 0);
        for c in text.chars() {
            let cw = if c.is_ascii() { 1 } else { 2 };
            if w + cw > cells - indent {
                break;
            }
            w += cw;
            n += 1;
        }
        text.chars().take(n).collect()
    };
    let rest: String = text.chars().skip(first.chars().count()).collect();
    if rest.is_empty() { first + "\n" } else { first + "\n" + &wrap(&rest, cells) }
}

/// Label, kicker, title, subtitle, paragraphs.
type Piece<'a> = (Option<&'a str>, Option<&'a str>, &'a str, Option<&'a str>, &'a [&'a str]);

/// Titles set in larger type wrap before the body's width, flush left, with nothing between
/// them and the body (pdftotext's default shape): each reads as its one-line form, a kicker
/// above a longer title and a subtitle stay apart, and a short poem stays body. Our own
/// bulletin (not a seed), checked against its seed-style form.
#[test]
fn titles_wrapped_in_larger_type_parse_as_their_one_line_forms() {
    let articles: [Piece; 4] = [
        (
            Some("渝工之家"),
            None,
            "九龙坡区总工会为一线环卫工人送上冬季暖心包并开展义诊",
            None,
            &[
                "12月5日,九龙坡区总工会来到辖区环卫站点,为200名一线环卫工人送上手套、围巾和保温杯。",
                "区总工会还邀请区人民医院的医生现场义诊,为环卫工人测量血压、讲解冬季常见病的预防知识。",
            ],
        ),
        (
            None,
            Some("技能成才 匠心筑梦"),
            "江北区总工会举办“新就业形态劳动者职业技能提升暨权益保障专题培训班”",
            None,
            &["11月28日,江北区总工会举办新就业形态劳动者培训班,来自外卖、快递、网约车等行业的64名劳动者参加。"],
        ),
        (
            None,
            None,
            "荣昌区总工会组织劳模工匠走进职业学校 与青年学生面对面",
            Some("——“劳模工匠进校园”活动侧记"),
            &["近日,荣昌区总工会组织5名劳模工匠走进荣昌职业教育中心,讲述扎根一线、钻研技术的故事,400余名师生参加。"],
        ),
        (
            Some("渝工港湾"),
            None,
            "一名公交司机写给乘客的短诗",
            None,
            &[
                "清晨六点,",
                "第一班车驶出站台。",
                "车窗外的城市,",
                "还在慢慢醒来。",
                "这首小诗的作者是一名驾驶公交车十五年的司机,他说,每一位乘客都是一段旅程。",
            ],
        ),
    ];
    let (mut src, mut conv) = (String::new(), String::new());
    for (label, kicker, title, subtitle, paras) in articles {
        for line in [label, kicker, Some(title), subtitle].into_iter().flatten() {
            src += &format!("{line}\n\n");
        }
        if let Some(l) = label {
            conv += &format!("\n{l}\n\n");
        }
        if let Some(k) = kicker {
            conv += &format!("{k}\n");
        }
        conv += &wrap(title, 40); // larger type: 20 characters a line
        if let Some(s) = subtitle {
            conv += &format!("{s}\n");
        }
        for p in paras {
            src += &format!("{p}\n\n");
            conv += &if p.chars().count() <= 12 { format!("{p}\n") } else { wrap_dropped_indent(p, 60, 4) };
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (s, c) = (dir.path().join("src.txt"), dir.path().join("conv.txt"));
    std::fs::write(&s, &src).unwrap();
    std::fs::write(&c, &conv).unwrap();
    let (s, c) = (one(s), one(c));
    assert_eq!(heads(&c), heads(&s), "{conv}");
    for (a, b) in c.articles.iter().zip(s.articles.iter()) {
        if a.title.contains("短诗") {
            // The poem keeps its printed lines; seed-style text joins them in pairs.
            assert_eq!(a.paragraphs[..4], ["清晨六点,", "第一班车驶出站台。", "车窗外的城市,", "还在慢慢醒来。"]);
            assert_eq!(a.paragraphs.concat(), b.paragraphs.concat());
        } else {
            assert_eq!(a.paragraphs, b.paragraphs, "{}", a.title);
        }
    }
}
