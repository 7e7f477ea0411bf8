//! The finder over the bundled corpus: a table of queries and their expected top results, the
//! selectivity of pinyin initials, highlights, edge cases, and a property test.

use kanbao::domain::finder::{Entry, Field, Finder, Hit, TermKind, filter_lines, parse_query};
use kanbao::domain::load::LoadOptions;
use kanbao::domain::load::load;
use kanbao::domain::pinyin::Table;
use proptest::prelude::*;

/// One finder entry per article of the bundled seeds, as the reader builds them.
fn entries() -> Vec<Entry> {
    let (corpus, problems) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    assert!(problems.is_empty(), "{problems:?}");
    Finder::of_corpus(&corpus).entries().map(|e| e.to_entry()).collect()
}

fn finder() -> Finder {
    Finder::new(entries())
}

fn ids(f: &Finder, hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| f.entry(h.index).id.to_string()).collect()
}

/// The highlighted characters of a hit's title, in order.
fn highlighted(f: &Finder, h: &Hit) -> String {
    let title: Vec<char> = f.entry(h.index).title.chars().collect();
    h.title_matches.iter().map(|&i| title[i]).collect()
}

/// What a query must find: the first results in order, and how many results in all.
struct Case {
    query: &'static str,
    top: &'static [&'static str],
    total: usize,
    /// Where the first hit matched.
    field: Option<Field>,
}

const CASES: &[Case] = &[
    // Hanzi, matched as Hanzi: the title hit first, then articles that only list the district.
    Case {
        query: "璧山",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::Title),
    },
    Case { query: "劳模", top: &["2024-03-00k/3", "2024-03-00k/2"], total: 2, field: Some(Field::Title) },
    // Full pinyin.
    Case {
        query: "bishan",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::Title),
    },
    Case { query: "laomo", top: &["2024-03-00k/3", "2024-03-00k/2"], total: 2, field: Some(Field::Title) },
    Case { query: "xuanjiang", top: &["2024-03-00k/3"], total: 3, field: Some(Field::Title) },
    // Initials and mixes. `bs` also finds 办实事, 举办首届, 比赛: see bs_stays_selective.
    Case { query: "bs", top: &["2024-03-00k/6"], total: 7, field: Some(Field::Title) },
    Case {
        query: "bsq",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::Title),
    },
    Case {
        query: "bishanq",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::Title),
    },
    Case { query: "bisq", top: &["2024-03-00k/6"], total: 3, field: Some(Field::Title) },
    // Polyphones: 重 is zhong and chong; the three titles that start with 重庆 come first.
    Case {
        query: "chongqing",
        top: &["2023-11-9sq/1", "2023-05-cfb/2", "2023-05-cfb/3"],
        total: 11,
        field: Some(Field::Title),
    },
    Case {
        query: "cq",
        top: &["2023-11-9sq/1", "2023-05-cfb/2", "2023-05-cfb/3"],
        total: 15,
        field: Some(Field::Title),
    },
    Case {
        query: "zhongqing",
        top: &["2023-11-9sq/1", "2023-05-cfb/2", "2023-05-cfb/3"],
        total: 11,
        field: Some(Field::Title),
    },
    // Districts: full, short and bare forms; `@` restricts to the districts.
    Case {
        query: "@bishan",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::District),
    },
    Case {
        query: "@璧山",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::District),
    },
    Case {
        query: "@bs",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::District),
    },
    Case { query: "@秀山县", top: &["2023-05-cfb/2"], total: 1, field: Some(Field::District) },
    Case { query: "秀山县", top: &["2023-05-cfb/2"], total: 1, field: Some(Field::District) },
    Case { query: "@xiushan", top: &["2023-05-cfb/2"], total: 1, field: Some(Field::District) },
    Case {
        query: "@璧山 工会",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::Title),
    },
    Case {
        query: "!@璧山 @永川", top: &["2024-04-g78/6", "2023-11-9sq/5"], total: 2, field: Some(Field::District)
    },
    // Negation: both 劳模 articles mention 宣讲 (title or subtitle), so nothing is left.
    Case { query: "劳模 !宣讲", top: &[], total: 0, field: None },
    Case { query: "劳模 !巾帼", top: &["2024-03-00k/3"], total: 1, field: Some(Field::Title) },
    Case { query: "laomo !jinguo", top: &["2024-03-00k/3"], total: 1, field: Some(Field::Title) },
    // Exact: substrings only; Latin as whole syllables.
    Case { query: "'劳模", top: &["2024-03-00k/3", "2024-03-00k/2"], total: 2, field: Some(Field::Title) },
    Case { query: "'职工之家", top: &["2023-11-9sq/3"], total: 1, field: Some(Field::Title) },
    Case {
        query: "'bishan",
        top: &["2024-03-00k/6", "2023-11-9sq/1", "2023-05-cfb/2"],
        total: 3,
        field: Some(Field::Title),
    },
    Case { query: "'bs", top: &[], total: 0, field: None },
    // Prefix: the title starts with it.
    Case {
        query: "^重庆",
        top: &["2023-11-9sq/1", "2023-05-cfb/2", "2023-05-cfb/3"],
        total: 3,
        field: Some(Field::Title),
    },
    Case {
        query: "^cq",
        top: &["2023-11-9sq/1", "2023-05-cfb/2", "2023-05-cfb/3"],
        total: 3,
        field: Some(Field::Title),
    },
    Case { query: "^劳模", top: &[], total: 0, field: None },
    // Sections.
    Case { query: "渝工暖心", top: &["2024-03-00k/6"], total: 1, field: Some(Field::Section) },
    // Latin and digits in titles.
    Case { query: "62", top: &["2024-03-00k/6"], total: 1, field: Some(Field::Title) },
    Case { query: "5w", top: &["2024-03-00k/4"], total: 1, field: Some(Field::Title) },
    // No match.
    Case { query: "zzzz", top: &[], total: 0, field: None },
    Case { query: "璧山 zzzz", top: &[], total: 0, field: None },
];

#[test]
fn query_table() {
    let f = finder();
    let mut failures = Vec::new();
    for c in CASES {
        let hits = f.search(c.query, usize::MAX);
        let got = ids(&f, &hits);
        let top_ok = got.len() >= c.top.len() && got[..c.top.len()] == *c.top;
        let field_ok = hits.first().map(|h| h.field) == c.field;
        if !top_ok || got.len() != c.total || !field_ok {
            failures.push(format!(
                "{:?}: got {got:?} (first in {:?}), want top {:?} of {} (first in {:?})",
                c.query,
                hits.first().map(|h| h.field),
                c.top,
                c.total,
                c.field
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn polyphones_find_the_same_titles() {
    let f = finder();
    let with_chongqing: Vec<String> =
        f.entries().filter(|e| e.title.contains("重庆")).map(|e| e.id.to_string()).collect();
    for q in ["chongqing", "zhongqing", "cq", "zq", "chongq"] {
        let hits = f.search(q, usize::MAX);
        for id in &with_chongqing {
            let h = hits.iter().find(|h| f.entry(h.index).id == id);
            let h = h.unwrap_or_else(|| panic!("{q} misses {id}"));
            assert!(highlighted(&f, h).contains("重庆"), "{q} on {id}: highlights {:?}", highlighted(&f, h));
        }
    }
}

/// Loose matching: `q` as a subsequence of the titles's pinyin, spelled out whole.
fn loose(title: &str, q: &str) -> bool {
    let table = Table::get();
    let spelled: String = title
        .chars()
        .map(|c| table.readings(c).into_iter().next().unwrap_or_else(|| c.to_ascii_lowercase().to_string()))
        .collect();
    let mut it = spelled.chars();
    q.chars().all(|qc| it.any(|c| c == qc))
}

/// `bs` must be b… and s… on two neighbouring characters: 璧山 (bi shan), 办实事 (ban shi),
/// 举办首届 (ban shou) and 比赛 (bi sai, twice): 5 of 26 titles, each a real pair of neighbouring
/// syllables b…, s… (initials cannot tell 比赛 from 璧山). A loose subsequence over the spelled-out
/// pinyin (a b anywhere, any s after it) takes 9, over a third.
#[test]
fn bs_stays_selective() {
    let f = finder();
    let titles: Vec<String> = f.entries().map(|e| e.title.to_string()).collect();
    let in_titles: Vec<String> = filter_lines(&titles, "bs")
        .iter()
        .map(|(i, _, p)| {
            let chars: Vec<char> = titles[*i].chars().collect();
            p.iter().map(|&k| chars[k]).collect()
        })
        .collect();
    let mut sorted = in_titles.clone();
    sorted.sort();
    assert_eq!(sorted, ["办实", "办首", "比赛", "比赛", "璧山"]);
    assert!(in_titles.len() <= 5, "bs matched {} of {} titles", in_titles.len(), titles.len());
    let loose_count = titles.iter().filter(|t| loose(t, "bs")).count();
    assert_eq!(loose_count, 9, "loose matching over the spelled-out pinyin");
    // In the finder the article about 璧山 comes first: its title names its district.
    let hits = f.search("bs", usize::MAX);
    assert_eq!(f.entry(hits[0].index).id, "2024-03-00k/6");
    assert_eq!(hits.iter().filter(|h| h.field == Field::Title).count(), 5);
}

#[test]
fn highlights_are_char_indices_on_the_right_characters() {
    let f = finder();
    let cases: &[(&str, &str, &str)] = &[
        ("璧山", "2024-03-00k/6", "璧山"),
        ("bishan", "2024-03-00k/6", "璧山"),
        ("bsq", "2024-03-00k/6", "璧山区"),
        ("劳模", "2024-03-00k/3", "劳模"),
        ("laomo", "2024-03-00k/3", "劳模"),
        ("chongqing", "2023-11-9sq/2", "重庆"),
        ("^重庆", "2023-05-cfb/3", "重庆"),
        ("'职工之家", "2023-11-9sq/3", "职工之家"),
        ("5w", "2024-03-00k/4", "5万"),
        ("劳模 精神", "2024-03-00k/3", "劳模精神"),
    ];
    for &(q, id, want) in cases {
        let hits = f.search(q, usize::MAX);
        let h = hits.iter().find(|h| f.entry(h.index).id == id).unwrap_or_else(|| panic!("{q}: no {id}"));
        assert_eq!(highlighted(&f, h), want, "{q} on {id}: {:?}", h.title_matches);
    }
    // A title where bytes and chars differ a lot: 2023-11/2 ends in 新重庆 at char 19.
    let h = &f.search("chongqing", usize::MAX);
    let h = h.iter().find(|h| f.entry(h.index).id == "2023-11-9sq/2").unwrap();
    assert_eq!(h.title_matches, vec![19, 20]);
    // District-only hits highlight nothing in the title.
    let hits = f.search("@璧山", 10);
    assert!(hits.iter().all(|h| h.title_matches.is_empty()));
}

#[test]
fn a_query_longer_than_any_title_finds_nothing() {
    let f = finder();
    let longest = f.entries().map(|e| e.title.chars().count()).max().unwrap();
    let long_hanzi: String = "重庆市总工会".chars().cycle().take(longest + 1).collect();
    assert!(f.search(&long_hanzi, 10).is_empty());
    let long_latin = "chongqingshizonggonghui".repeat(10);
    assert!(f.search(&long_latin, 10).is_empty());
    assert!(filter_lines(std::slice::from_ref(&long_hanzi), &long_latin).is_empty());
}

#[test]
fn empty_query_lists_all_newest_first() {
    let f = finder();
    for q in ["", "   ", "!", "@", "'", "^"] {
        let hits = f.search(q, usize::MAX);
        assert_eq!(hits.len(), f.len(), "{q:?}");
        let dates: Vec<_> = hits.iter().map(|h| f.entry(h.index).date).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{q:?}: {dates:?}");
        // Within a bulletin, the articles keep their order.
        let same: Vec<usize> = hits.iter().map(|h| h.index).collect();
        assert!(same.windows(2).all(|w| dates_equal(&f, w[0], w[1]) <= (w[0] < w[1])));
    }
    assert_eq!(ids(&f, &f.search("", 2)), ["2024-04-g78/1", "2024-04-g78/2"]);
}

fn dates_equal(f: &Finder, a: usize, b: usize) -> bool {
    f.entry(a).date == f.entry(b).date
}

#[test]
fn typing_on_narrows_to_the_same_results_as_a_fresh_search() {
    let typed = ["b", "bi", "bis", "bish", "bisha", "bishan", "bishan ", "bishan g", "bishan gh"];
    let f = finder();
    for q in typed {
        let narrowed = f.search(q, usize::MAX);
        let fresh = finder().search(q, usize::MAX);
        assert_eq!(narrowed, fresh, "{q}");
    }
}

#[test]
fn parse_query_reads_fzf_syntax() {
    let t = parse_query("璧山 'exact ^pre !neg @bs !@璧山 !^x");
    let shape: Vec<(&str, TermKind, bool, bool)> =
        t.terms().map(|t| (t.text.as_str(), t.kind, t.negate, t.districts_only)).collect();
    assert_eq!(
        shape,
        [
            ("璧山", TermKind::Fuzzy, false, false),
            ("exact", TermKind::Exact, false, false),
            ("pre", TermKind::Prefix, false, false),
            // fzf: `!term` is an inverse *exact* match.
            ("neg", TermKind::Exact, true, false),
            ("bs", TermKind::Fuzzy, false, true),
            ("璧山", TermKind::Exact, true, true),
            ("x", TermKind::Prefix, true, false),
        ]
    );
}

fn check_hits(f: &Finder, hits: &[Hit]) -> Result<(), TestCaseError> {
    for h in hits {
        let n = f.entry(h.index).title.chars().count();
        prop_assert!(h.title_matches.iter().all(|&i| i < n), "{:?} beyond {n} chars", h.title_matches);
        prop_assert!(h.title_matches.windows(2).all(|w| w[0] < w[1]), "{:?} not increasing", h.title_matches);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_queries_never_panic_and_highlight_inside_titles(
        q in prop_oneof![
            "[a-z 璧山重庆劳模工会区县市!'^@\\\\]{0,16}",
            "[a-zA-Z0-9 ]{0,60}",
            any::<String>(),
        ],
        limit in 0usize..30,
    ) {
        let f = finder();
        let hits = f.search(&q, limit);
        prop_assert!(hits.len() <= limit);
        check_hits(&f, &hits)?;
        let titles: Vec<String> = f.entries().map(|e| e.title.to_string()).collect();
        for (i, _, pos) in filter_lines(&titles, &q) {
            let n = titles[i].chars().count();
            prop_assert!(pos.iter().all(|&p| p < n));
            prop_assert!(pos.windows(2).all(|w| w[0] < w[1]));
        }
    }
}

/// Pinyin uses a character's common readings, not every dictionary reading: `abc` no longer
/// finds 广播体 (广 ān, 体 cuì), `xyz` not 向阳草 (草 zào), `gh` not 工港 (港 hòng); what is
/// left is what a Chinese reader types for those titles.
#[test]
fn rare_readings_do_not_flood() {
    let f = finder();
    let titles: Vec<String> = f.entries().map(|e| e.title.to_string()).collect();
    let spans = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = filter_lines(&titles, q)
            .iter()
            .map(|(i, _, p)| {
                let chars: Vec<char> = titles[*i].chars().collect();
                p.iter().map(|&k| chars[k]).collect()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(spans("abc"), Vec::<String>::new());
    assert_eq!(spans("xyz"), ["心翼站", "行业职"]);
    assert_eq!(spans("gh"), vec!["工会"; 7]);
    let cq = spans("cq");
    assert_eq!(cq.len(), 12);
    assert!(cq.iter().all(|s| ["重庆", "川区", "彻全"].contains(&s.as_str())), "{cq:?}");
    // Polyphones a reader expects still work: 长 zhang and chang, 行 xing and hang (per
    // character, without context: `hangye` finds 行业 too).
    let lines = ["长寿区工会", "银行职工", "行业协会"];
    let got = |q: &str| filter_lines(&lines, q).len();
    assert_eq!((got("changshou"), got("zhangshou"), got("yinhang"), got("hangye"), got("xingye")), (1, 1, 1, 1, 1));
    assert_eq!(got("pengshui") + got("bangshui"), 0);
}
