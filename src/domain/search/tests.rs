use super::*;
use crate::domain::load::{LoadOptions, load};
use crate::domain::width::{Ambiguous, str_width};

fn seeds() -> Corpus {
    load(&[], None, LoadOptions { bundled: true, ..LoadOptions::default() }).0
}

fn ids(corpus: &Corpus, q: &str) -> Vec<String> {
    let q = Query::parse(q).unwrap();
    search(corpus, &q).iter().map(|f| corpus.bulletins[f.bulletin].articles[f.article].id.clone()).collect()
}

#[test]
fn newest_bulletin_first_articles_in_order() {
    let c = seeds();
    let found = ids(&c, "工会");
    assert!(found.len() > 10, "{found:?}");
    let pos = |id: &str| {
        let (b, a) = id.split_once('/').unwrap();
        (std::cmp::Reverse(b.to_string()), a.parse::<usize>().unwrap())
    };
    let mut sorted = found.clone();
    sorted.sort_by_key(|id| pos(id));
    assert_eq!(found, sorted);
}

#[test]
fn first_hit_is_first_in_reading_order_and_counts_merge_overlaps() {
    let mut a = Article { title: "职工会堂".into(), ..Article::default() };
    a.paragraphs = vec!["在职工会堂举行。".into(), "职工们到场".into()];
    a.set_leading_captions(vec!["职工合影".into()]);
    let q = Query::parse("职工 工会").unwrap();
    let (hits, first) = q.match_article(&a).unwrap();
    // 职工会 (title), 职工会 (paragraph 0) merged; 职工 in the caption and paragraph 1.
    assert_eq!(hits, 4);
    assert_eq!(first, Some(Hit { field: Field::Title, chars: 0..3 }));
    let all = q.article_hits(&a);
    assert_eq!(all.len(), hits);
    assert_eq!(all[1], Hit { field: Field::Caption(0), chars: 0..2 });
    assert_eq!(all[2], Hit { field: Field::Paragraph(0), chars: 1..4 });
    assert!(Query::parse("职工 !合影").unwrap().match_article(&a).is_none());
    assert!(Query::parse("职工 宣讲").unwrap().match_article(&a).is_none());
    assert_eq!(Query::parse("!宣讲").unwrap().match_article(&a), Some((0, None)));
}

#[test]
fn fields_follow_the_reading_pane() {
    let mut a = Article { title: "T".into(), kicker: Some("K".into()), ..Article::default() };
    a.paragraphs = vec!["p0".into(), "p1".into()];
    a.add_caption("c-after-p0");
    a.captions.push("c-lost".into());
    a.caption_at.push(9);
    let order: Vec<Field> = fields(&a).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        order,
        [Field::Kicker, Field::Title, Field::Paragraph(0), Field::Paragraph(1), Field::Caption(0), Field::Caption(1)]
    );
    let mut b = Article { title: "T".into(), ..Article::default() };
    b.paragraphs = vec!["p0".into(), "p1".into()];
    b.captions = vec!["c1".into()];
    b.caption_at = vec![1];
    let order: Vec<Field> = fields(&b).into_iter().map(|(f, _)| f).collect();
    assert_eq!(order, [Field::Title, Field::Paragraph(0), Field::Caption(0), Field::Paragraph(1)]);
}

#[test]
fn bad_queries_are_errors_not_panics() {
    assert_eq!(Query::parse("  ! \"\" ").unwrap_err(), QueryError::Empty);
    let long = "长".repeat(MAX_QUERY_CHARS + 1);
    assert_eq!(Query::parse(&long).unwrap_err(), QueryError::TooLong(MAX_QUERY_CHARS + 1));
    assert!(Query::parse(&"长".repeat(MAX_QUERY_CHARS)).is_ok());
    assert!(Query::parse(&"a ".repeat(MAX_QUERY_CHARS / 2)).is_ok());
    assert!(Query::parse("\u{1b}]0;x\u{7}拔河").unwrap().text().chars().all(|c| !c.is_control()));
}

#[test]
fn find_gives_char_ranges() {
    let q = Query::parse("ａｐｐ").unwrap();
    assert_eq!(q.find("下载APP和app"), vec![2..5, 6..9]);
}

fn snip(text: &str, focus: Range<usize>, width: usize, mode: Ambiguous) -> (String, Vec<Range<usize>>) {
    let s = snippet(text, std::slice::from_ref(&focus), focus.clone(), width, mode);
    (s.text, s.lit)
}

#[test]
fn snippets_cut_with_ellipses_and_keep_the_hit() {
    let text = "一二三四五六七八九十拔河比赛在这里举行，职工们积极参与，气氛热烈。";
    let (s, lit) = snip(text, 10..12, 20, Ambiguous::Narrow);
    assert_eq!(s, "…九十拔河比赛在这里…");
    assert_eq!(lit, std::slice::from_ref(&(3..5)).to_vec());
    assert!(str_width(&s, Ambiguous::Narrow) <= 20);
    // Wide mode: the ellipsis takes two cells.
    let (s, _) = snip(text, 10..12, 20, Ambiguous::Wide);
    assert!(str_width(&s, Ambiguous::Wide) <= 20, "{s}");
    assert!(s.starts_with('…') && s.ends_with('…') && s.contains("拔河"), "{s}");
    // Short text: whole, no ellipsis; a hit near the end of a short text shows its start.
    assert_eq!(snip("拔河比赛", 0..2, 20, Ambiguous::Narrow).0, "拔河比赛");
    assert_eq!(snip("一二三四五六拔河", 6..8, 16, Ambiguous::Narrow).0, "一二三四五六拔河");
    // Context fills the row across a space, after the lead cut by a third.
    let text = "璧山区总工会发布 62项“惠民强企”服务事项清单";
    assert_eq!(snip(text, 20..22, 46, Ambiguous::Narrow).0, text);
    // Line breaks and runs of space are one space; none at a cut.
    assert_eq!(
        snip("a\n\n b\tc", 4..5, 20, Ambiguous::Narrow),
        ("a b c".into(), std::slice::from_ref(&(2..3)).to_vec())
    );
    // A hit wider than the row is cut, with the ellipsis.
    let (s, lit) = snip("拔河拔河拔河拔河拔河", 0..10, 7, Ambiguous::Narrow);
    assert_eq!((s.as_str(), lit), ("拔河拔…", std::slice::from_ref(&(0..3)).to_vec()));
    // No room for a wide char: the ellipsis alone says there is text; in wide mode not even that.
    assert_eq!(snip("拔河", 0..2, 1, Ambiguous::Narrow).0, "…");
    assert_eq!(snip("拔河", 0..2, 1, Ambiguous::Wide).0, "");
}

#[test]
fn snippet_widths_never_exceed_the_row() {
    let c = seeds();
    let q = Query::parse("工会").unwrap();
    for f in search(&c, &q) {
        let a = &c.bulletins[f.bulletin].articles[f.article];
        let hit = f.first.unwrap();
        let text = hit.field.text(a);
        let lit = q.find(text);
        for mode in [Ambiguous::Narrow, Ambiguous::Wide] {
            for width in [1, 2, 3, 5, 10, 24, 40, 80, 200] {
                let s = snippet(text, &lit, hit.chars.clone(), width, mode);
                assert!(str_width(&s.text, mode) <= width, "{width} {mode}: {}", s.text);
                let chars: Vec<char> = s.text.chars().collect();
                for l in &s.lit {
                    let shown: String = chars[l.clone()].iter().collect();
                    assert!(width < 6 || shown.contains("工会") || shown.starts_with('工'), "{shown}");
                }
                assert!(!s.text.contains(['\n', '\t']));
            }
        }
    }
}

#[test]
fn narrowing_while_typing_gives_what_a_full_search_gives() {
    let c = seeds();
    let typed = ["职工 服务", "\"劳模 工匠\" !宣讲", "!重庆 工会", "app AI 职工", "5月29日,重庆", "Ai"];
    for q in typed {
        let chars: Vec<char> = q.chars().collect();
        let mut prev: Option<(Query, Vec<Found>)> = None;
        for n in 1..=chars.len() {
            let Ok(now) = Query::parse(&chars[..n].iter().collect::<String>()) else { continue };
            let full = search(&c, &now);
            if let Some((p, found)) = &prev
                && now.narrows(p)
            {
                assert_eq!(search_within(&c, &now, found), full, "{} after {}", now.text(), p.text());
            }
            prev = Some((now, full));
        }
    }
    let q = |s: &str| Query::parse(s).unwrap();
    assert!(q("职工服").narrows(&q("职工")));
    assert!(q("职工 服").narrows(&q("职工")));
    assert!(q("职工 !服").narrows(&q("职工")));
    assert!(!q("!重庆").narrows(&q("!重")), "a longer exclusion leaves out less");
    assert!(!q("app").narrows(&q("App")), "losing the capital relaxes the case");
    assert!(q("ap").narrows(&q("a")));
    assert!(!q("a").narrows(&q("ab")));
}

/// A small generator of texts over the chars the queries below are made of.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }

    fn text(&mut self, max: usize) -> String {
        const ALPHABET: &[&str] =
            &["职", "工", "会", "服", "务", "重庆", " ", "\n", "a", "p", "A", "Ｐ", "，", ",", "。", "拔河", "劳模"];
        (0..self.next(max + 1)).map(|_| ALPHABET[self.next(ALPHABET.len())]).collect()
    }

    fn article(&mut self) -> Article {
        let mut a = Article { title: self.text(6), ..Article::default() };
        if self.next(2) == 0 {
            a.kicker = Some(self.text(4));
        }
        if self.next(3) == 0 {
            a.subtitle = Some(self.text(4));
        }
        a.paragraphs = (0..self.next(4)).map(|_| self.text(30)).collect();
        for _ in 0..self.next(3) {
            let place = self.next(a.paragraphs.len() + 2);
            a.captions.push(self.text(8));
            a.caption_at.push(place);
        }
        a
    }
}

const MIXED_QUERIES: &[&str] = &[
    "工会",
    "职工",
    "职工 服务",
    "工会 职工",
    "职 工 会",
    "\"劳模 工会\"",
    "!重庆",
    "工会 !重庆",
    "!拔河 !劳模",
    "app",
    "ＡＰＰ",
    "Ap",
    "a,",
    "服务 职工 !拔河",
    "会服",
];

/// Stopping at the first hit (a plain `kanbao grep` line) finds exactly the articles, and the
/// same first hit, that counting every hit finds: over generated articles (any order of
/// headlines, captions and paragraphs, hits across line breaks, overlapping terms) and a
/// text that is not UTF-8 where a first hit would be.
#[test]
fn first_hit_only_finds_what_counting_finds() {
    let mut g = Gen(16);
    let queries: Vec<Query> = MIXED_QUERIES.iter().map(|q| Query::parse(q).unwrap()).collect();
    let mut matched = 0;
    for _ in 0..3_000 {
        let a = g.article();
        let mut texts: Vec<(Field, Vec<u8>)> =
            fields(&a).into_iter().map(|(f, t)| (f, t.as_bytes().to_vec())).collect();
        // Now and then a field that is not UTF-8 (a forged cache record).
        if g.next(8) == 0 {
            let i = g.next(texts.len());
            let at = g.next(texts[i].1.len() + 1);
            texts[i].1.insert(at, 0xff);
        }
        let texts: Vec<(Field, &[u8])> = texts.iter().map(|(f, t)| (*f, &t[..])).collect();
        for q in &queries {
            let every = q.match_fields(&texts, Counting::Every).map(|(n, f)| (n, f.map(First::hit)));
            let first = q.match_fields(&texts, Counting::FirstOnly).map(|(n, f)| (n, f.map(First::hit)));
            assert_eq!(every.is_some(), first.is_some(), "{} in {a:?}", q.text());
            if let (Some((n, every)), Some((one, first))) = (every, first) {
                matched += 1;
                assert_eq!(first, every, "{} in {a:?}", q.text());
                assert_eq!(one, usize::from(n > 0), "{} in {a:?}", q.text());
            }
        }
    }
    // The generator makes both matching and failing articles for the queries.
    assert!(matched > 5_000 && matched < 40_000, "{matched}");
}

/// `search_first_hits` gives the articles, first hits and texts `search_keeping_text` gives,
/// on the seeds and over generated bulletins.
#[test]
fn first_hit_search_agrees_with_the_counting_search() {
    let mut c = seeds();
    let mut g = Gen(7);
    for b in &mut c.bulletins {
        std::sync::Arc::make_mut(&mut b.articles).extend((0..5).map(|_| g.article()));
    }
    let mut nonempty = 0;
    for q in MIXED_QUERIES.iter().chain(&["拔河", "送清凉", "ＡＰＰ", "\"劳模 工匠\"", "!重庆"]) {
        let q = Query::parse(q).unwrap();
        let every = search_keeping_text(&c, &q);
        let first = search_first_hits(&c, &q);
        nonempty += usize::from(!every.is_empty());
        let strip = |f: &[Found]| -> Vec<(usize, usize, Option<Hit>, Option<String>)> {
            f.iter().map(|f| (f.bulletin, f.article, f.first.clone(), f.text.clone())).collect()
        };
        assert_eq!(strip(&first), strip(&every), "{}", q.text());
    }
    assert!(nonempty >= MIXED_QUERIES.len(), "{nonempty}");
}

/// Only text from a body record of the parse cache is left to be checked where it is shown
/// (`kanbao grep` checks the row it prints); headlines, checked at load, and an article's own
/// text are shown as they are; an unread body, not at all. `first_shown` checks the field.
#[test]
fn only_cached_body_text_is_left_to_be_checked() {
    let text = "职工\u{202E}服务";
    let met = |field, source| Met {
        bulletin: 0,
        article: 0,
        hits: 1,
        first: Some(First { field, text, bytes: 0..6 }),
        source,
    };
    let check = |field, source| met(field, source).first_unchecked().map(|(.., check)| check);
    assert_eq!(check(Field::Paragraph(0), Source::Cache), Some(true));
    assert_eq!(check(Field::Caption(1), Source::Cache), Some(true));
    for headline in [Field::Kicker, Field::Title, Field::Subtitle] {
        assert_eq!(check(headline, Source::Cache), Some(false));
    }
    assert_eq!(check(Field::Paragraph(0), Source::Article), Some(false));
    assert_eq!(check(Field::Paragraph(0), Source::Unread), None);
    assert!(met(Field::Paragraph(0), Source::Cache).first_shown().is_none(), "an unclean cached paragraph");
    assert!(met(Field::Title, Source::Cache).first_shown().is_some());
}

/// The first merged span, found without finding every match, is `find_raw`'s first: over
/// generated texts dense with overlapping and touching matches of several terms.
#[test]
fn first_span_is_the_first_merged_span() {
    let mut g = Gen(23);
    let queries: Vec<Query> = MIXED_QUERIES
        .iter()
        .chain(&["职工 工会 会", "工 职", "a p", "重庆 庆 重"])
        .map(|q| Query::parse(q).unwrap())
        .collect();
    let mut stretched = 0;
    for _ in 0..3_000 {
        let text = g.text(40);
        for q in &queries {
            let all = q.find_raw(text.as_bytes());
            let first = q.first_span(text.as_bytes());
            assert_eq!(first, all.first().cloned(), "{} in {text:?}", q.text());
            // A first span longer than any one match: one that touching matches joined.
            stretched +=
                usize::from(first.is_some_and(|s| {
                    q.wanted.iter().all(|(_, re)| re.find_iter(text.as_bytes()).all(|m| m.range() != s))
                }));
        }
    }
    assert!(stretched > 100, "{stretched}");
}
