//! Lines -> units: the non-blank lines of a bulletin with the features the structure pass needs,
//! and page-break splits already joined back.

use crate::domain::han::is_han;

/// One non-blank line (or several joined across a page break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// 1-based line number of the first line, for messages and evidence.
    pub line: usize,
    /// Blank lines before it; `None` at the start of the file, where leading blanks mean nothing.
    pub blanks_before: Option<usize>,
    /// Text without heading marks and surrounding whitespace.
    pub text: String,
    pub kind: Kind,
    /// Heading level from `#`/`##` marks; `None` when unmarked.
    pub mark: Option<u8>,
    /// A caption by its form (▲ marker, "《作品》 作者"), whatever its position.
    pub marked_caption: bool,
    /// A short numbered point ("一、强化思想引领"): body text, but a paragraph of its own.
    pub point: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Body text: a sentence, or something too long or too punctuated to be a headline.
    Body,
    /// A short line without closing punctuation: headline, caption or section label.
    Short,
    /// Page furniture such as a QR-code prompt: neither article nor body.
    Furniture,
}

/// An image leaves three or more blank lines behind in the PDF extraction.
pub const IMAGE_GAP: usize = 3;

/// Longer than this, a line without a full stop is still body text (headlines are short).
const MAX_SHORT_CHARS: usize = 60;

impl Unit {
    /// Whether an image gap stands right before this unit.
    pub fn gap_before(&self) -> bool {
        self.blanks_before.is_some_and(|n| n >= IMAGE_GAP)
    }
}

/// One line as a front end hands it to the parser: plain text splits into these directly; the
/// PDF and converter-text front ends build them from what they know (sizes, indents, bands).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLine {
    /// 1-based line (or, for a PDF, paragraph) number, for messages and evidence.
    pub line: usize,
    /// Blank lines before it (an image gap is `IMAGE_GAP` or more).
    pub blanks_before: usize,
    pub text: String,
    /// A heading level the front end knows for sure (a PDF's label 1, headline 2).
    pub mark: Option<u8>,
    /// A caption the front end knows for sure (small type next to a picture).
    pub caption: bool,
    /// A headline line the front end knows for sure (large or bold type), though unmarked.
    pub heading: bool,
    /// A body line that keeps its own line (verse): body text, never joined or taken for a headline.
    pub verse: bool,
}

/// Splits text into units and joins the paragraphs that a page or column break split.
pub fn units(text: &str) -> Vec<Unit> {
    let mut lines = Vec::new();
    let mut blanks = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.trim_matches(is_space);
        if line.is_empty() {
            blanks += 1;
            continue;
        }
        lines.push(SourceLine { line: i + 1, blanks_before: blanks, text: line.to_string(), ..Default::default() });
        blanks = 0;
    }
    units_from(lines)
}

/// Lines -> units: classifies each line (marks from the front end win) and joins page-break splits.
pub fn units_from(lines: Vec<SourceLine>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for l in lines {
        let blanks_before = if out.is_empty() { None } else { Some(l.blanks_before) };
        let mut unit = classify(l.line, blanks_before, &l.text);
        if l.mark.is_some() {
            unit.mark = l.mark;
        }
        if (l.mark.is_some() || l.caption || l.heading) && unit.kind != Kind::Furniture {
            unit.kind = Kind::Short;
            unit.point = false;
            unit.marked_caption = l.caption;
        }
        if l.verse {
            unit.kind = Kind::Body;
            unit.point = true;
        }
        match out.last_mut() {
            Some(prev) if continues(prev, &unit) => join_into(prev, &unit.text),
            _ => out.push(unit),
        }
    }
    out
}

/// Whitespace for trimming lines: ASCII, NBSP, U+3000 (an indent is re-added by the layout).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

fn classify(line: usize, blanks_before: Option<usize>, text: &str) -> Unit {
    let (mark, text) = strip_heading_mark(text);
    let text = text.to_string();
    let point = mark.is_none() && !is_body_like(&text) && starts_enumerated(&text);
    let kind = if mark.is_none() && is_furniture(&text) {
        Kind::Furniture
    } else if mark.is_none() && (point || is_body_like(&text)) {
        Kind::Body
    } else {
        Kind::Short
    };
    let marked_caption = mark.is_none() && kind == Kind::Short && is_marked_caption(&text);
    Unit { line, blanks_before, text, kind, mark, marked_caption, point }
}

/// `# title`, `## title` (Markdown-like marks some files carry). A lone `#` line is not a mark.
fn strip_heading_mark(text: &str) -> (Option<u8>, &str) {
    let hashes = text.chars().take_while(|&c| c == '#' || c == '＃').count();
    if hashes == 0 || hashes > 6 {
        return (None, text);
    }
    let rest: &str = text.trim_start_matches(['#', '＃']);
    let title = rest.trim_matches(is_space);
    if title.is_empty() {
        return (None, text);
    }
    (Some(hashes as u8), title)
}

/// A QR prompt ("扫码参与更多精彩活动") is short and talks about scanning.
fn is_furniture(text: &str) -> bool {
    const CUES: [&str; 5] = ["扫码", "扫一扫", "二维码", "扫描", "长按识别"];
    text.chars().count() <= 30 && CUES.iter().any(|c| text.contains(c))
}

/// Picture markers and "《作品》 作者" credits only ever label pictures.
pub fn is_marked_caption(text: &str) -> bool {
    const MARKERS: &str = "▲△▼▽◀◁▶▷►◄↑↓←→";
    if text.starts_with(|c| MARKERS.contains(c)) || text.starts_with("图为") {
        return true;
    }
    // 《人勤春早》 万承尧: a work's name, then its author's name.
    if let Some(rest) = text.strip_prefix('《')
        && let Some((_, author)) = rest.split_once('》')
    {
        let author = author.trim_matches(is_space);
        let n = author.chars().count();
        return (2..=4).contains(&n) && author.chars().all(is_han) && text.contains(|c: char| is_space(c));
    }
    false
}

/// Quotes and brackets that may close a sentence after its stop: "…。”" ends a sentence.
fn is_closer(c: char) -> bool {
    "”’」』）)】》〉\"'".contains(c)
}

/// Last char that is not a closing quote or bracket.
fn last_significant(text: &str) -> Option<char> {
    text.chars().rev().find(|&c| !is_closer(c) && !is_space(c))
}

/// Ends a sentence: the paragraph can end here.
pub fn ends_sentence(text: &str) -> bool {
    last_significant(text).is_some_and(|c| "。！？!?…．.".contains(c))
}

/// Ends mid-sentence on a clause mark: a page break after a comma or semicolon.
fn ends_clause(text: &str) -> bool {
    last_significant(text).is_some_and(|c| "，,、；;：:".contains(c))
}

/// Body text rather than a headline, caption or label.
fn is_body_like(text: &str) -> bool {
    let n = text.chars().count();
    if is_lead_in(text) {
        return false;
    }
    if text.contains('。') || ends_clause(text) || n > MAX_SHORT_CHARS {
        return true;
    }
    if ends_sentence(text) {
        // Headlines may end in "！" ("加油！"), a body sentence is rarely that short.
        let last = last_significant(text).unwrap_or(' ');
        return !"！？!?".contains(last) || n > 20;
    }
    // A comma outside brackets and quotes separates clauses of a sentence.
    n > 8 && has_bare_comma(text)
}

/// "喜迎新春：" over a headline: a short cue ending in a colon, with no other punctuation.
fn is_lead_in(text: &str) -> bool {
    let body = text.trim_end_matches(['：', ':']);
    body.len() < text.len() && body.chars().count() <= 12 && !body.contains(|c: char| "，,、；;。".contains(c))
}

fn has_bare_comma(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '《' | '（' | '(' | '“' | '「' | '【' => depth += 1,
            '》' | '）' | ')' | '”' | '」' | '】' => depth -= 1,
            '，' | ',' if depth <= 0 => return true,
            _ => {}
        }
    }
    false
}

/// A paragraph split by a page or column break: the first part is body text that stops
/// mid-sentence, the next part is body text too. Headings and furniture never continue one.
fn continues(prev: &Unit, next: &Unit) -> bool {
    prev.kind == Kind::Body
        && !prev.point
        && next.kind == Kind::Body
        && !next.point
        && next.mark.is_none()
        && !ends_sentence(&prev.text)
        && !starts_enumerated(&next.text)
}

fn join_into(prev: &mut Unit, text: &str) {
    // Latin words split by a break keep their space; CJK text has none.
    let ascii_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    if ascii_word(prev.text.chars().last()) && ascii_word(text.chars().next()) {
        prev.text.push(' ');
    }
    prev.text.push_str(text);
}

/// "一、", "（二）", "3.", "1、", "第一，", "一是": a numbered point inside an article,
/// which is body text even when short.
pub fn starts_enumerated(text: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let mut chars = text.chars();
    let first = chars.next().unwrap_or(' ');
    let rest = chars.as_str();
    let after_numeral = |s: &str| {
        let s = s.trim_start_matches(|c: char| NUMERALS.contains(c) || c.is_ascii_digit());
        s.starts_with(['、', '.', '．', '，', ',']) || s.starts_with("是") || s.starts_with(['）', ')'])
    };
    match first {
        '（' | '(' => rest.starts_with(|c: char| NUMERALS.contains(c) || c.is_ascii_digit()) && after_numeral(rest),
        '第' => rest.starts_with(|c: char| NUMERALS.contains(c)) && after_numeral(rest),
        c if NUMERALS.contains(c) || c.is_ascii_digit() => {
            let s = text.trim_start_matches(|c: char| NUMERALS.contains(c) || c.is_ascii_digit());
            s.starts_with(['、', '．', '，'])
                || s.starts_with("是")
                || (s.starts_with('.') && !s[1..].starts_with(|c: char| c.is_ascii_digit()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(units: &[Unit]) -> Vec<&str> {
        units.iter().map(|u| u.text.as_str()).collect()
    }

    #[test]
    fn joins_a_page_break_split_mid_word() {
        let u =
            units("会议要求,要迅速掀起学习宣传贯彻热潮,要重点围绕打造\n\n渝工品牌,落实渝工“五大行动”。\n\n下一段。");
        assert_eq!(
            texts(&u),
            ["会议要求,要迅速掀起学习宣传贯彻热潮,要重点围绕打造渝工品牌,落实渝工“五大行动”。", "下一段。"]
        );
    }

    #[test]
    fn joins_a_split_after_a_comma_or_semicolon() {
        let u = units("经过激烈角逐,在广播体操比赛中,\n\n市直机关代表队荣获一等奖。");
        assert_eq!(u.len(), 1);
        let u = units("要广泛深入宣讲、切实统一思想；\n\n领导干部要带头深入基层一线。");
        assert_eq!(u.len(), 1);
    }

    #[test]
    fn a_short_continuation_with_a_full_stop_is_joined() {
        let u =
            units("他讲述了自己几十年如一日默默坚守基层岗位的故事,展现了劳模先进爱岗敬业、甘于奉献的时代\n\n风采。");
        assert_eq!(
            texts(&u),
            ["他讲述了自己几十年如一日默默坚守基层岗位的故事,展现了劳模先进爱岗敬业、甘于奉献的时代风采。"]
        );
    }

    #[test]
    fn a_finished_paragraph_is_not_joined_to_a_headline() {
        let u = units("会议圆满结束。\n\n重庆启动职工线上健身运动\n\n近日,市总工会启动活动。");
        assert_eq!(u.len(), 3);
        assert_eq!(u[1].kind, Kind::Short);
    }

    #[test]
    fn heading_marks_are_stripped_and_kept_as_level() {
        let u = units("## 巾帼匠心筑梦 强国复兴有我");
        assert_eq!(u[0].mark, Some(2));
        assert_eq!(u[0].text, "巾帼匠心筑梦 强国复兴有我");
        assert_eq!(u[0].kind, Kind::Short);
    }

    #[test]
    fn qr_prompts_are_furniture() {
        assert_eq!(units("扫码参与更多精彩活动")[0].kind, Kind::Furniture);
        assert_eq!(units("扫码查看详细名单")[0].kind, Kind::Furniture);
    }

    #[test]
    fn picture_markers_and_credits_are_captions() {
        assert!(units("▲当代舞《老师,妈妈》(南岸区)")[0].marked_caption);
        assert!(units("《人勤春早》 万承尧")[0].marked_caption);
        assert!(!units("《中国女劳模》专著出版")[0].marked_caption);
    }

    #[test]
    fn gaps_are_counted() {
        let u = units("\n\n\n甲乙丙丁\n\n\n\n戊己庚辛\n\n壬癸");
        assert_eq!(u[0].blanks_before, None);
        assert!(u[1].gap_before());
        assert!(!u[2].gap_before());
    }

    #[test]
    fn enumerated_points() {
        assert!(starts_enumerated("一、提高思想认识"));
        assert!(starts_enumerated("（二）加强组织领导"));
        assert!(starts_enumerated("3.完善机制"));
        assert!(starts_enumerated("一是加强领导"));
        assert!(!starts_enumerated("一二三四五"));
        assert!(!starts_enumerated("2023年重庆职工之家"));
        assert!(!starts_enumerated("3.5万元奖励"));
    }

    #[test]
    fn headline_with_exclamation_stays_short() {
        assert_eq!(units("最高奖励5万元!")[0].kind, Kind::Short);
    }
}
