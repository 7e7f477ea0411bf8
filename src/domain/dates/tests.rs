//! Unit tests of date inference (kept beside, so dates.rs holds only the rules).

use super::*;
use proptest::prelude::*;

fn infer(text: &str) -> DateInference {
    let paras: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    infer_date(&paras)
}

fn date(text: &str) -> Option<String> {
    infer(text).date.map(|d| d.to_string())
}

fn seed(prefix: &str) -> String {
    crate::domain::seed_text(prefix)
}

#[test]
fn year_month_display_and_parse() {
    let ym = YearMonth { year: 2023, month: 5 };
    assert_eq!(ym.to_string(), "2023-05");
    assert_eq!("2023-05".parse::<YearMonth>(), Ok(ym));
    assert_eq!("2023-5".parse::<YearMonth>(), Ok(ym));
    assert_eq!(" 2023-05 ".parse::<YearMonth>(), Ok(ym));
    for bad in ["", "2023", "2023-13", "2023-0", "23-05", "2023-005", "2023/05", "-2023-05", "２０２３-05"] {
        assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
    }
    assert!(YearMonth { year: 2023, month: 12 } < YearMonth { year: 2024, month: 1 });
}

#[test]
fn seeds() {
    for (p, want) in
        [("000", "2023-05"), ("001", "2023-07"), ("002", "2024-04"), ("003", "2023-11"), ("004", "2024-03")]
    {
        let inf = infer(&seed(p));
        assert_eq!(inf.date.map(|d| d.to_string()).as_deref(), Some(want), "{p}: {:#?}", inf.evidence);
    }
}

#[test]
fn seed_evidence_is_readable() {
    let inf = infer(&seed("000"));
    assert!(inf.evidence[0].starts_with("latest event 5月29日 (paragraph "));
    assert!(inf.evidence.iter().any(|e| e.contains("“2023年度”")), "{:?}", inf.evidence);
    let inf = infer(&seed("002"));
    assert!(inf.evidence.iter().any(|e| e.contains("5月1日") && e.contains("future")), "{:?}", inf.evidence);
}

#[test]
fn latest_clause_start_event_gives_the_month() {
    assert_eq!(date("2023年度活动。\n5月25日,召开会议。\n5月29日,开幕。\n4月3日,举办。"), Some("2023-05".into()));
    // Time of day and ranges after the date.
    assert_eq!(date("2023年。6月2日晚,演出。"), Some("2023-06".into()));
    assert_eq!(date("2023年。会议指出,6月22日至24日,考察。"), Some("2023-06".into()));
    assert_eq!(date("2023年。7月1日-3日,比赛。"), Some("2023-07".into()));
    assert_eq!(date("2023年。今年8月5日,开展。"), Some("2023-08".into()));
}

#[test]
fn ascii_and_full_width_punctuation_and_digits() {
    assert_eq!(date("2023年，活动。\n会议指出，9月2日，举办。"), Some("2023-09".into()));
    assert_eq!(date("2023年,活动.\n会议指出,9月2日,举办。"), Some("2023-09".into()));
    assert_eq!(date("２０２３年。９月２日，举办。"), Some("2023-09".into()));
    assert_eq!(date("2023年:9月2日 举办"), Some("2023-09".into()));
}

#[test]
fn future_dates_are_not_events() {
    let t = "2023年。5月20日,召开会议。展览将于6月1日开幕。活动即将在7月1日举行。计划8月1日完成。";
    assert_eq!(date(t), Some("2023-05".into()));
    // Even at a clause start, a marker right after the date makes it a plan.
    assert_eq!(date("2023年。5月20日,召开。6月1日将举行决赛。"), Some("2023-05".into()));
    // 将军 is not a future marker.
    assert_eq!(date("2023年。老将军说,5月20日,召开。"), Some("2023-05".into()));
}

#[test]
fn range_ends_and_deadlines_are_not_events() {
    assert_eq!(date("2024年。3月17日,举办。活动时间为2024年4月1日至9月30日。"), Some("2024-03".into()));
    assert_eq!(date("2024年。3月17日,举办。报名从3月1日开始,到4月30日结束。"), Some("2024-03".into()));
    assert_eq!(date("2024年。3月17日,举办。请于,4月30日前报名。"), Some("2024-03".into()));
}

#[test]
fn fallback_to_any_non_future_date() {
    let inf = infer("2024年劳动节。奉节县于4月28日举行比赛,将于5月5日颁奖。");
    assert_eq!(inf.date.map(|d| d.to_string()), Some("2024-04".into()));
    assert!(inf.evidence.iter().any(|e| e.contains("no date opens a clause")));
}

#[test]
fn no_year_evidence_means_no_date_but_month_is_reported() {
    let inf = infer("5月25日,召开会议。");
    assert_eq!(inf.date, None);
    assert!(inf.evidence.iter().any(|e| e.contains("latest event 5月25日")));
    assert!(inf.evidence.iter().any(|e| e.contains("month 5")));
    // Month-only mentions are not dates.
    assert_eq!(infer("2023年。7月中旬,将展演。").date, None);
    assert_eq!(infer("").date, None);
    assert_eq!(infer_date(&[]).date, None);
}

#[test]
fn year_forms() {
    assert_eq!(date("表彰2023年度先进。5月2日,召开。"), Some("2023-05".into()));
    assert_eq!(date("2022-2023年度表彰。5月2日,召开。"), Some("2023-05".into()));
    assert_eq!(date("在2022至2023年中涌现。5月2日,召开。"), Some("2023-05".into()));
    assert_eq!(date("2021年至2022年。5月2日,召开。"), Some("2022-05".into()));
    // Latest remaining year wins.
    assert_eq!(date("2018年首创。2023年以来。5月2日,召开。"), Some("2023-05".into()));
    // 1990..=2100 only, and four digits exactly.
    assert_eq!(date("1850年。12345年。5月2日,召开。"), None);
}

#[test]
fn target_years_are_ignored() {
    for t in [
        "2023年。到2035年基本实现。5月2日,召开。",
        "2023年。2035年远景目标。5月2日,召开。",
        "2023年。力争2025年建成。5月2日,召开。",
        "2023年。2030年前实现。5月2日,召开。",
        "2023年。至2025年底。5月2日,召开。",
    ] {
        assert_eq!(date(t), Some("2023-05".into()), "{t}");
    }
    // "2024年前三季度" is a past period, not a target.
    assert_eq!(date("2024年前三季度。10月2日,召开。"), Some("2024-10".into()));
    assert_eq!(date("截至2024年底。3月2日,召开。"), Some("2024-03".into()));
}

#[test]
fn explicit_year_on_an_event_is_strongest() {
    assert_eq!(date("2025年度计划。2024年3月5日,召开。3月17日,举办。"), Some("2024-03".into()));
    let inf = infer("2024年3月5日,召开。");
    assert_eq!(inf.date.map(|d| d.to_string()), Some("2024-03".into()));
    assert!(inf.evidence.iter().any(|e| e.contains("event date “2024年3月5日”")));
}

#[test]
fn year_boundary() {
    // Explicit December year: January is the next year.
    assert_eq!(date("2023年12月28日,召开总结会。1月5日,开展慰问。"), Some("2024-01".into()));
    // Explicit January year.
    assert_eq!(date("12月28日,召开总结会。2024年1月5日,开展慰问。"), Some("2024-01".into()));
    // A year in a December event's sentence is December's year.
    assert_eq!(date("12月28日,召开2023年度工作总结会。1月5日,开展慰问。"), Some("2024-01".into()));
    // Any other year is the bulletin's own.
    assert_eq!(date("12月28日,召开总结会。1月5日,开展2024年新春慰问。"), Some("2024-01".into()));
    assert_eq!(date("迎接2024年。12月30日,召开会议。1月3日,开展。"), Some("2024-01".into()));
    // No boundary when mid-year months are present: June stays the latest.
    assert_eq!(date("2023年。1月5日,开展。6月3日,举办。12月1日,召开。"), Some("2023-12".into()));
}

#[test]
fn a_leading_dash_is_a_bullet_not_a_range() {
    assert_eq!(date("- 2023年度表彰。\n- 5月25日,召开。"), Some("2023-05".into()));
    assert_eq!(date("2023年。5月2日—5月4日,举办。"), Some("2023-05".into()));
}

#[test]
fn spaced_out_dates_from_pdf_extraction() {
    assert_eq!(date("2023 年度。5 月 25 日，召开。"), Some("2023-05".into()));
    assert_eq!(date("2024 年 3 月 5 日，召开。"), Some("2024-03".into()));
}

#[test]
fn excluded_other_year_and_invalid_dates() {
    assert_eq!(date("2023年。去年12月5日,成立。5月2日,召开。"), Some("2023-05".into()));
    assert_eq!(date("2023年。2月30日,召开。"), None);
    assert_eq!(date("2023年。13月2日,召开。"), None);
    assert_eq!(date("2023年。125月2日,召开。"), None);
}

#[test]
fn huge_unpunctuated_paragraph_finishes_with_no_date() {
    // 30 000 year/date pairs in one sentence (no 。 to split at): the sentence scan must
    // finish (a quadratic one would not, in practice) and find no date. Its speed is
    // measured in `cargo bench --bench core`, never asserted here.
    let big = "将1月1日2023年".repeat(30_000);
    let inf = infer_date(&[big.as_str()]);
    assert_eq!(inf.date, None);
}

proptest! {
    #[test]
    fn never_panics(paras in proptest::collection::vec(any::<String>(), 0..6)) {
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        let _ = infer_date(&refs);
    }

    #[test]
    fn never_panics_on_date_like_text(
        paras in proptest::collection::vec("[0-9０-９月日年度号至到将前,，。、 -]{0,30}", 0..6)
    ) {
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        let inf = infer_date(&refs);
        if let Some(d) = inf.date {
            prop_assert!((1..=12).contains(&d.month));
        }
    }

    #[test]
    fn display_parse_round_trip(year in 1000i32..=9999, month in 1u32..=12) {
        let ym = YearMonth { year, month };
        prop_assert_eq!(ym.to_string().parse::<YearMonth>(), Ok(ym));
    }
}
