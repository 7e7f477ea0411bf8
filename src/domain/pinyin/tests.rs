use super::*;

fn find(q: &str, text: &str) -> Option<(usize, usize)> {
    let query = Query::new(q, Pieces::Any, false)?;
    query.find(text, Anchor::default(), &mut Scratch::default()).map(|s| (s.start, s.len))
}

#[test]
fn common_readings_polyphones_and_gazetteer_readings() {
    let t = Table::get();
    assert_eq!(t.readings('长'), ["zhang", "chang"]);
    // Rare dictionary readings are left out: 广 is not ān, 体 not cuì, 彭 not bāng.
    assert_eq!(t.readings('广'), ["guang"]);
    assert_eq!(t.readings('体'), ["ti"]);
    assert_eq!(t.readings('彭'), ["peng"]);
    let zhong = t.readings('重');
    assert!(zhong.contains(&"zhong".to_string()) && zhong.contains(&"chong".to_string()), "{zhong:?}");
    assert!(t.readings('璧').contains(&"bi".to_string()));
    assert!(t.readings('綦').contains(&"qi".to_string()));
    assert!(t.readings('绿').contains(&"lv".to_string()));
    assert!(t.readings('，').is_empty());
}

#[test]
fn full_initials_and_mixes() {
    for q in ["bishan", "bs", "bsq", "bishanq", "bishanqu", "bisq", "bish", "b"] {
        assert_eq!(find(q, "璧山区总工会"), Some((0, q_chars(q))), "{q}");
    }
    assert_eq!(find("chongqing", "全面建设新重庆"), Some((5, 2)));
    assert_eq!(find("cq", "全面建设新重庆"), Some((5, 2)));
    assert_eq!(find("zhongqing", "新重庆"), Some((1, 2)));
}

fn q_chars(q: &str) -> usize {
    match q {
        "bs" | "bishan" | "bish" => 2,
        "b" => 1,
        _ => 3,
    }
}

#[test]
fn pieces_never_skip_or_split_inside_a_syllable() {
    // b… then s… must be neighbours.
    assert_eq!(find("bs", "璧区山"), None);
    // "ishan": no syllable starts with i, so the letters cannot come from inside 璧's "bi".
    assert_eq!(find("ishan", "璧山"), None);
    // A subsequence of "bishanqu" that is not piecewise prefixes.
    assert_eq!(find("bhq", "璧山区"), None);
    assert_eq!(find("bsx", "璧山区"), None);
}

#[test]
fn whole_syllables_only() {
    let q = Query::new("bishan", Pieces::Whole, false).unwrap();
    assert!(q.find("璧山区", Anchor::default(), &mut Scratch::default()).is_some());
    let q = Query::new("bs", Pieces::Whole, false).unwrap();
    assert!(q.find("璧山区", Anchor::default(), &mut Scratch::default()).is_none());
}

#[test]
fn latin_and_digits_match_themselves() {
    // Digits alone are not pinyin (SkimMatcherV2 takes them); with a letter they are.
    assert_eq!(find("2023", "2023年重庆"), None);
    assert_eq!(find("2023n", "2023年重庆"), Some((0, 5)));
    assert_eq!(find("5w", "最高奖励5万元"), Some((4, 2)));
    assert_eq!(find("app", "ＡＰＰ上线"), Some((0, 3)));
}

#[test]
fn anchored_only_at_start() {
    let q = Query::new("cq", Pieces::Any, false).unwrap();
    let mut s = Scratch::default();
    let start = Anchor { start: true, end: false };
    let end = Anchor { start: false, end: true };
    let both = Anchor { start: true, end: true };
    assert!(q.find("重庆市总工会", start, &mut s).is_some());
    assert!(q.find("新重庆", start, &mut s).is_none());
    assert_eq!(q.find("新重庆", end, &mut s).map(|s| (s.start, s.len)), Some((1, 2)));
    assert!(q.find("重庆市", end, &mut s).is_none());
    assert!(q.find("重庆", both, &mut s).is_some());
    assert!(q.find("重庆市", both, &mut s).is_none());
}

#[test]
fn case_sensitive_terms_keep_latin_case_but_readings_have_none() {
    let mut s = Scratch::default();
    let foo = Query::new("Foo", Pieces::Any, true).unwrap();
    assert!(foo.find("foobar", Anchor::default(), &mut s).is_none());
    assert!(foo.find("Foobar", Anchor::default(), &mut s).is_some());
    let bs = Query::new("BS", Pieces::Any, true).unwrap();
    assert!(bs.find("璧山", Anchor::default(), &mut s).is_some());
    // Diacritics fold as fzf folds them: é is e; Ā is a only case-insensitively.
    assert_eq!(find("cafe", "Café"), Some((0, 4)));
    let a = Query::new("A", Pieces::Any, true).unwrap();
    assert!(a.find("Ā", Anchor::default(), &mut s).is_none());
    assert_eq!(find("a", "Ā"), Some((0, 1)));
}

#[test]
fn whole_syllables_score_higher_and_start_wins() {
    let mut s = Scratch::default();
    let none = Anchor::default();
    let full = Query::new("bishan", Pieces::Any, false).unwrap().find("璧山", none, &mut s).unwrap();
    let init = Query::new("bs", Pieces::Any, false).unwrap().find("璧山", none, &mut s).unwrap();
    assert!(full.score > init.score);
    let q = Query::new("cq", Pieces::Any, false).unwrap();
    let a = q.find("重庆市", none, &mut s).unwrap();
    let b = q.find("新重庆", none, &mut s).unwrap();
    assert!(a.score > b.score);
}
