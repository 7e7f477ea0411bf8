use super::*;

fn entry(id: &str, date: (i32, u32), title: &str, districts: &[&str]) -> Entry {
    Entry {
        id: id.into(),
        date: Some(date),
        title: title.into(),
        districts: districts.iter().map(|d| d.to_string()).collect(),
        ..Default::default()
    }
}

fn ids(f: &Finder, q: &str) -> Vec<String> {
    f.search(q, usize::MAX).iter().map(|h| f.entry(h.index).id.to_string()).collect()
}

#[test]
fn title_hit_beats_district_only_and_contiguous_beats_scattered() {
    let f = Finder::new(vec![
        entry("district-only, newest", (2025, 1), "总工会召开全会", &["璧山区"]),
        entry("title", (2020, 1), "璧山区举办技能竞赛", &["璧山区"]),
        entry("scattered", (2024, 1), "劳动模范表彰", &[]),
        entry("contiguous", (2021, 1), "劳模精神进校园", &[]),
    ]);
    assert_eq!(ids(&f, "璧山"), ["title", "district-only, newest"]);
    assert_eq!(ids(&f, "bishan"), ["title", "district-only, newest"]);
    assert_eq!(ids(&f, "劳模"), ["contiguous", "scattered"]);
    // Pinyin is contiguous only: 劳动模范 is lao dong mo fan, not lao mo.
    assert_eq!(ids(&f, "laomo"), ["contiguous"]);
}

#[test]
fn newer_breaks_ties_undated_last() {
    let mut undated = entry("undated", (0, 0), "职工运动会", &[]);
    undated.date = None;
    let f = Finder::new(vec![
        undated,
        entry("old", (2023, 5), "职工运动会", &[]),
        entry("new", (2024, 4), "职工运动会", &[]),
    ]);
    assert_eq!(ids(&f, "运动会"), ["new", "old", "undated"]);
    assert_eq!(ids(&f, ""), ["new", "old", "undated"]);
}

#[test]
fn reports_the_field_of_the_best_hit() {
    let mut e = entry("1", (2024, 3), "春风送暖", &["万盛经开区"]);
    e.kicker = Some("劳模三进".into());
    e.subtitle = Some("宣讲活动".into());
    e.section = Some("渝工建功".into());
    let f = Finder::new(vec![e]);
    let field = |q: &str| f.search(q, 1).first().map(|h| h.field);
    assert_eq!(field("春风"), Some(Field::Title));
    assert_eq!(field("三进"), Some(Field::Kicker));
    assert_eq!(field("xuanjiang"), Some(Field::Subtitle));
    assert_eq!(field("jiangong"), Some(Field::Section));
    assert_eq!(field("万盛区"), Some(Field::District));
    assert_eq!(field("wansheng"), Some(Field::District));
    assert_eq!(field("渝工 春风"), Some(Field::Title));
}

#[test]
fn nothing_is_built_until_needed() {
    let f = Finder::new(vec![entry("1", (2024, 3), "璧山区总工会", &["璧山区"])]);
    assert!(f.index.get().is_none() && f.tokens.get().is_none());
    assert_eq!(ids(&f, "璧山"), ["1"]);
    assert!(f.index.get().is_some() && f.tokens.get().is_none(), "a Hanzi query needs no pinyin");
    assert_eq!(ids(&f, "bs"), ["1"]);
    assert!(f.tokens.get().is_some());
}

#[test]
fn narrowed_results_equal_fresh_ones() {
    let entries = vec![
        entry("a", (2024, 3), "春风送暖宣讲忙 劳模精神鼓干劲", &[]),
        entry("b", (2024, 3), "巾帼匠心筑梦 劳模工匠大宣讲", &["铜梁区"]),
        entry("c", (2023, 5), "璧山区总工会发布服务清单", &["璧山区"]),
    ];
    let typed = ["劳", "劳模", "劳模 ", "劳模 !", "劳模 !宣", "劳模 !宣讲", "劳模", "l", "la", "lao", "laom"];
    let f = Finder::new(entries.clone());
    for q in typed {
        assert_eq!(f.search(q, 10), Finder::new(entries.clone()).search(q, 10), "{q}");
    }
}

#[test]
fn district_counts_most_first_then_pinyin() {
    let entries = vec![
        entry("1", (2024, 1), "", &["永川区", "璧山区"]),
        entry("2", (2024, 1), "", &["永川区", "永川区"]),
        entry("3", (2024, 1), "", &["巴南区"]),
    ];
    let got = district_counts(Finder::new(entries).entries());
    assert_eq!(got, [("永川区".to_string(), 2), ("巴南区".to_string(), 1), ("璧山区".to_string(), 1)]);
}

#[test]
fn a_search_while_the_finder_prepares_in_the_background_finds_the_same() {
    let entries = || {
        (0..3_000)
            .map(|i| {
                entry(
                    &format!("e{i}"),
                    (2020 + i % 5, 1 + (i % 12) as u32),
                    &format!("璧山区第{i}届职工运动会"),
                    &["璧山区"],
                )
            })
            .collect::<Vec<_>>()
    };
    let expected = ids(&Finder::new(entries()), "bishan 运动");
    assert!(!expected.is_empty());
    let f = Arc::new(Finder::new(entries()));
    f.prepare_in_background();
    // Asked again, as every frame does while the finder is open: it starts nothing more.
    f.prepare_in_background();
    assert!(f.preparing.load(atomic::Ordering::Relaxed));
    assert_eq!(ids(&f, "bishan 运动"), expected);
}
