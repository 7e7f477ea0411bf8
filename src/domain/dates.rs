//! A bulletin's date, inferred from its text.
//!
//! Bulletins carry no issue date. They do report dated events ("5月25日,黔江区总工会召开…")
//! and mention years elsewhere ("2023年度"). The month is that of the latest reported event;
//! the year comes from the year evidence in the text. Without year evidence the date stays
//! unknown: guessing the current year would silently misfile old bulletins.

use std::fmt;
use std::str::FromStr;

/// A calendar month, the resolution of a bulletin date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Why a "YYYY-MM" override could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a year and month like 2023-05")]
pub struct ParseYearMonthError(String);

impl FromStr for YearMonth {
    type Err = ParseYearMonthError;

    /// Parses "2023-05" or "2023-5" (surrounding whitespace ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseYearMonthError(s.to_string());
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        let digits =
            |t: &str, max_len: usize| !t.is_empty() && t.len() <= max_len && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || y.len() != 4 || !digits(m, 2) {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(err());
        }
        Ok(YearMonth { year, month })
    }
}

/// The inferred date and the reasons for it, for display and debugging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateInference {
    pub date: Option<YearMonth>,
    /// Human-readable notes, e.g. "latest event 5月29日 (paragraph 12)",
    /// "year 2023 from “2023年度” (paragraph 20)". Paragraphs are numbered from 1.
    pub evidence: Vec<String>,
}

/// Infers a bulletin's year and month from its paragraphs.
///
/// ```
/// use kanbao::domain::dates::infer_date;
///
/// let found = infer_date(&["2023年度工作要点。", "5月25日，黔江区总工会召开职工代表大会。"]);
/// assert_eq!(found.date.map(|d| d.to_string()).as_deref(), Some("2023-05"));
/// assert!(!found.evidence.is_empty(), "the reasons are kept, for the user to check");
/// // Events without any year: the date stays unknown rather than guessed.
/// assert_eq!(infer_date(&["5月25日，召开大会。"]).date, None);
/// ```
pub fn infer_date(paragraphs: &[&str]) -> DateInference {
    let paras: Vec<Para> = paragraphs.iter().map(|p| Para::new(p)).collect();
    let mut dates = Vec::new();
    let mut years = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        scan_dates(p, i, &mut dates);
        scan_years(p, i, &mut years);
    }
    decide(&paras, &dates, &years)
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/// Ends a sentence: years and dates are tied to the events of their own sentence.
const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?', '…', '；', ';'];
/// Ends a clause: a date right after one of these (or at a paragraph start) opens its clause.
const CLAUSE_END: &[char] = &['。', '！', '？', '!', '?', '…', '；', ';', '，', ',', '：', ':'];
/// Joins the two ends of a range ("4月22日至24日", "5月1日-5月20日").
const RANGE_JOINERS: &[char] = &['至', '到', '-', '－', '—', '–', '~', '～', '〜'];
/// Words that put what follows in the clause in the future or make it a plan.
const FUTURE_MARKERS: &[&str] = &[
    "将",
    "拟",
    "计划",
    "预计",
    "预定",
    "定于",
    "准备",
    "届时",
    "明年",
    "下一步",
    "今后",
    "未来",
    "后续",
    "有望",
    "力争",
    "争取",
];
/// Longest clause considered when looking for a future marker before a date or year.
const MAX_CLAUSE: usize = 120;
/// Time-of-day words that may follow a date without changing what it is.
const TIME_SUFFIXES: &[&str] = &["上午", "下午", "中午", "晚上", "早上", "凌晨", "晚", "早", "起"];

struct Para {
    /// The original characters, for quoting evidence.
    orig: Vec<char>,
    /// The same characters with full-width digits folded to ASCII: indices match `orig`.
    chars: Vec<char>,
    /// Sentence number of each character.
    sentence: Vec<usize>,
}

impl Para {
    fn new(text: &str) -> Para {
        let orig: Vec<char> = text.chars().collect();
        let chars: Vec<char> = orig.iter().map(|&c| fold_digit(c)).collect();
        let mut sentence = Vec::with_capacity(chars.len());
        let mut n = 0;
        for &c in &chars {
            sentence.push(n);
            if SENTENCE_END.contains(&c) {
                n += 1;
            }
        }
        Para { orig, chars, sentence }
    }

    fn quote(&self, start: usize, end: usize) -> String {
        self.orig.get(start..end.min(self.orig.len())).map(|s| s.iter().collect()).unwrap_or_default()
    }

    /// Does the text right before `at` end with `word`?
    fn ends_with_at(&self, at: usize, word: &str) -> bool {
        let n = word.chars().count();
        at >= n && at <= self.chars.len() && word.chars().zip(&self.chars[at - n..at]).all(|(w, &c)| w == c)
    }

    fn starts_with_at(&self, at: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, w)| self.chars.get(at + k) == Some(&w))
    }

    /// Is `ch` at `j` the joiner of a range ("至", "到", or a dash after a date or number)?
    /// A dash opening a line ("- 5月25日,…") is a list bullet, not a range.
    fn joins_range(&self, j: usize, ch: char) -> bool {
        match ch {
            '至' | '到' => true,
            _ if RANGE_JOINERS.contains(&ch) => self
                .prev_non_space(j)
                .is_some_and(|(_, b)| b.is_ascii_digit() || matches!(b, '日' | '号' | '年' | '月')),
            _ => false,
        }
    }

    /// Index of the first character of the clause containing `at`. Looks back at most
    /// `MAX_CLAUSE` characters, so a huge unpunctuated paragraph stays linear.
    fn clause_start(&self, at: usize) -> usize {
        let floor = at.saturating_sub(MAX_CLAUSE);
        self.chars[floor..at].iter().rposition(|c| CLAUSE_END.contains(c)).map_or(floor, |i| floor + i + 1)
    }

    fn prev_non_space(&self, at: usize) -> Option<(usize, char)> {
        self.chars[..at].iter().enumerate().rev().find(|(_, c)| !c.is_whitespace()).map(|(i, &c)| (i, c))
    }

    fn skip_space(&self, mut at: usize) -> usize {
        while self.chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        at
    }

    /// Is the clause before `at` in the future or a plan? Looks for a marker between the start
    /// of the clause and `at`.
    fn future_before(&self, at: usize) -> bool {
        let from = self.clause_start(at);
        (from..at).any(|i| FUTURE_MARKERS.iter().any(|m| self.marker_at(i, m)))
    }

    /// A future marker at `i`, not counting words that merely contain its characters
    /// (将军, 中将, 模拟, 明年 only as itself ...).
    fn marker_at(&self, i: usize, marker: &str) -> bool {
        if !self.starts_with_at(i, marker) {
            return false;
        }
        let prev = i.checked_sub(1).and_then(|j| self.chars.get(j)).copied();
        let next = self.chars.get(i + marker.chars().count()).copied();
        match marker {
            "将" => {
                !matches!(next, Some('军' | '士' | '领' | '帅'))
                    && !matches!(prev, Some('中' | '少' | '上' | '大' | '名' | '老' | '干' | '猛' | '主' | '武'))
            }
            "拟" => !matches!(prev, Some('模' | '虚' | '比')),
            _ => true,
        }
    }
}

fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        _ => c,
    }
}

/// Reads a run of ASCII digits starting at `at`: (value, length). Runs longer than 6 are not
/// numbers we care about.
fn digits_at(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let len = chars.get(at..)?.iter().take_while(|c| c.is_ascii_digit()).count();
    if len == 0 || len > 6 {
        return None;
    }
    let v = chars[at..at + len].iter().fold(0u32, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0));
    Some((v, len))
}

fn days_in_month(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------------
// Dates "M月D日"

#[derive(Debug, Clone)]
struct DateMention {
    para: usize,
    sentence: usize,
    /// First character (of the year if one is written, else of the month).
    start: usize,
    /// One past "日"/"号".
    end: usize,
    year: Option<i32>,
    month: u32,
    day: u32,
    /// Opens its clause: the shape of a reported event ("5月25日,黔江区总工会召开…").
    clause_start: bool,
    /// Why it cannot be an event at all, if so.
    excluded: Option<&'static str>,
}

/// The next number at or after `from` that starts a run of digits: (where, value, digits).
/// Runs longer than `digits_at` reads are passed over whole.
fn next_number(chars: &[char], from: usize) -> Option<(usize, u32, usize)> {
    let mut i = from;
    while i < chars.len() {
        let starts_run = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if let Some((v, len)) = starts_run.then(|| digits_at(chars, i)).flatten() {
            return Some((i, v, len));
        }
        i += 1;
    }
    None
}

fn scan_dates(p: &Para, para: usize, out: &mut Vec<DateMention>) {
    let c = &p.chars;
    let mut i = 0;
    while let Some((at, month, mlen)) = next_number(c, i) {
        i = at;
        // PDF extraction sometimes spaces the parts out ("5 月 25 日"): allow it.
        let yue = p.skip_space(i + mlen);
        if mlen > 2 || c.get(yue) != Some(&'月') {
            i += mlen;
            continue;
        }
        let day_at = p.skip_space(yue + 1);
        let Some((day, dlen)) = digits_at(c, day_at) else {
            i = yue + 1;
            continue;
        };
        let ri = p.skip_space(day_at + dlen);
        if dlen > 2 || !matches!(c.get(ri), Some('日' | '号')) {
            i = day_at + dlen;
            continue;
        }
        let end = ri + 1;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(month) {
            i = end;
            continue;
        }
        // An explicit year written right before: "2024年4月1日".
        let (start, year) = match written_year_before(p, i) {
            Some((s, y)) => (s, Some(y)),
            None => (i, None),
        };
        out.push(classify_date(p, para, start, end, year, month, day));
        i = end;
    }
}

/// "YYYY年" right before index `month_at`: (start of the year, the year).
fn written_year_before(p: &Para, month_at: usize) -> Option<(usize, i32)> {
    let (nian, ch) = p.prev_non_space(month_at)?;
    if ch != '年' {
        return None;
    }
    let (last, d) = p.prev_non_space(nian)?;
    if !d.is_ascii_digit() {
        return None;
    }
    let s = p.chars[..=last].iter().rposition(|c| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let (y, len) = digits_at(&p.chars, s)?;
    (len == 4).then_some((s, y as i32))
}

fn classify_date(
    p: &Para,
    para: usize,
    start: usize,
    end: usize,
    year: Option<i32>,
    month: u32,
    day: u32,
) -> DateMention {
    let prev = p.prev_non_space(start);
    // "今年5月25日," still opens its clause; "去年5月" is another year's business.
    let (lead_start, other_year) = if p.ends_with_at(start, "今年") || p.ends_with_at(start, "本年") {
        (start - 2, false)
    } else {
        let other = ["去年", "前年", "上年"].iter().any(|w| p.ends_with_at(start, w));
        (start, other)
    };
    // Opening a paragraph counts even behind list or heading marks ("- ", "# ", "▲").
    let clause_start = match p.prev_non_space(lead_start) {
        None => true,
        Some((_, ch)) => CLAUSE_END.contains(&ch) || !p.chars[..lead_start].iter().any(|c| c.is_alphanumeric()),
    };

    let cutoff = p.ends_with_at(start, "截至") || p.ends_with_at(start, "截止");
    let range_end = !cutoff && prev.is_some_and(|(j, ch)| p.joins_range(j, ch));

    // What follows: skip a range tail ("至24日") and a time of day ("晚", "上午").
    let mut after = p.skip_space(end);
    for s in TIME_SUFFIXES {
        if p.starts_with_at(after, s) {
            after += s.chars().count();
            break;
        }
    }
    let deadline = p.starts_with_at(after, "前")
        && !matches!(p.chars.get(after + 1), Some('往' | '来' | '去' | '夕' | '进' | '后' | '行'))
        || p.starts_with_at(after, "之前")
        || p.starts_with_at(after, "以前");
    let after_range = skip_range_tail(p, after);
    let future_after = ["将", "即将", "拟", "计划", "预计"].iter().any(|m| p.marker_at(after_range, m));
    let future = p.future_before(start) || future_after;

    let excluded = if future {
        Some("future or planned")
    } else if range_end {
        Some("end of a range")
    } else if deadline {
        Some("a deadline")
    } else if other_year {
        Some("another year (去年/前年)")
    } else if cutoff {
        Some("a cut-off date")
    } else {
        None
    };
    DateMention {
        para,
        sentence: p.sentence.get(start).copied().unwrap_or(0),
        start,
        end,
        year,
        month,
        day,
        clause_start,
        excluded,
    }
}

/// Skips "至24日" / "-26日" / "至5月2日" after a date, returning the index after it.
fn skip_range_tail(p: &Para, at: usize) -> usize {
    let c = &p.chars;
    if !c.get(at).is_some_and(|ch| RANGE_JOINERS.contains(ch)) {
        return at;
    }
    let mut i = at + 1;
    if let Some((_, len)) = digits_at(c, i)
        && c.get(i + len) == Some(&'月')
    {
        i += len + 1;
    }
    match digits_at(c, i) {
        Some((_, len)) if matches!(c.get(i + len), Some('日' | '号')) => i + len + 1,
        _ => at,
    }
}

// ---------------------------------------------------------------------------------------------
// Years "YYYY年"

#[derive(Debug, Clone)]
struct YearMention {
    para: usize,
    sentence: usize,
    year: i32,
    /// Quoted span, e.g. "2022-2023年度".
    quote: String,
    /// Why it is not evidence for the bulletin's own year, if so.
    ignored: Option<&'static str>,
}

fn scan_years(p: &Para, para: usize, out: &mut Vec<YearMention>) {
    let c = &p.chars;
    let mut i = 0;
    while let Some((at, v, len)) = next_number(c, i) {
        i = at;
        let nian = p.skip_space(i + len);
        if len != 4 || !(1990..=2100).contains(&v) || c.get(nian) != Some(&'年') {
            i += len;
            continue;
        }
        out.push(classify_year(p, para, i, nian, v as i32));
        i = nian + 1;
    }
}

/// `nian` is the index of the 年 after the year's digits.
fn classify_year(p: &Para, para: usize, start: usize, nian: usize, year: i32) -> YearMention {
    let c = &p.chars;
    // "2022-2023年度", "2022至2023年", "2022年至2023年": the second year of a span.
    let mut quote_start = start;
    let mut target = false;
    if let Some((j, ch)) = p.prev_non_space(start)
        && p.joins_range(j, ch)
    {
        let mut k = j;
        if k > 0 && c[k - 1] == '年' {
            k -= 1;
        }
        let span_start =
            k >= 4 && c[k - 4..k].iter().all(|d| d.is_ascii_digit()) && (k == 4 || !c[k - 5].is_ascii_digit());
        if span_start {
            quote_start = k - 4;
        } else if matches!(ch, '至' | '到') && !(p.ends_with_at(j + 1, "截至") || p.ends_with_at(j + 1, "截止")) {
            // "到2035年", "至2025年底": a horizon, not the present.
            target = true;
        }
    }
    let mut tail = nian + 1;
    if c.get(tail) == Some(&'度') {
        tail += 1;
    }
    let quote = p.quote(quote_start, tail);
    // "2030年前", "2025年底前", "2035年远景目标": targets. "2023年前三季度" is not.
    let horizon = ["远景", "目标", "愿景", "之前", "以前", "底前"].iter().any(|w| p.starts_with_at(nian + 1, w))
        || (p.starts_with_at(nian + 1, "前")
            && !c.get(nian + 2).is_some_and(|d| d.is_ascii_digit() || "一二三四五六七八九十两半".contains(*d)));
    let ignored = if target || horizon {
        Some("a target year")
    } else if p.future_before(quote_start) {
        Some("future or planned")
    } else {
        None
    };
    YearMention { para, sentence: p.sentence.get(start).copied().unwrap_or(0), year, quote, ignored }
}

// ---------------------------------------------------------------------------------------------
// Decision

fn decide(paras: &[Para], dates: &[DateMention], years: &[YearMention]) -> DateInference {
    let mut evidence = Vec::new();
    // Dates and years set aside, listed last: useful when checking a surprising result.
    let mut set_aside = Vec::new();
    let at = |d: &DateMention| format!("{} (paragraph {})", paras[d.para].quote(d.start, d.end), d.para + 1);
    for d in dates.iter().filter(|d| d.excluded.is_some()) {
        set_aside.push(format!("not an event: {} is {}", at(d), d.excluded.unwrap_or_default()));
    }
    for y in years.iter().filter(|y| y.ignored.is_some()) {
        set_aside.push(format!(
            "not year evidence: “{}” (paragraph {}) is {}",
            y.quote,
            y.para + 1,
            y.ignored.unwrap_or_default()
        ));
    }

    // Events: dates opening a clause; failing those, any date that is not excluded.
    let usable: Vec<&DateMention> = dates.iter().filter(|d| d.excluded.is_none()).collect();
    let mut events: Vec<&DateMention> = usable.iter().copied().filter(|d| d.clause_start).collect();
    if events.is_empty() && !usable.is_empty() {
        evidence.push("no date opens a clause: using any non-future date".to_string());
        events = usable;
    }
    if events.is_empty() {
        evidence.push("no event date (M月D日) found: date unknown".to_string());
        evidence.append(&mut set_aside);
        return DateInference { date: None, evidence };
    }

    // Year boundary: December and January events with nothing in mid-year means the bulletin
    // straddles New Year; the early months belong to the following year.
    let has = |f: &dyn Fn(u32) -> bool| events.iter().any(|d| f(d.month));
    let wrap = has(&|m| m >= 11) && has(&|m| m <= 2) && !has(&|m| (4..=9).contains(&m));
    let offset = |m: u32| i32::from(wrap && m <= 6);
    if wrap {
        evidence
            .push("year boundary: events in 11-12月 and 1-2月; the early months are the following year".to_string());
    }

    // `base` is the year of the events before the boundary (the only year when there is none).
    let base = explicit_base(paras, &events, offset, &mut evidence)
        .or_else(|| plain_base(&events, years, wrap, offset, &mut evidence));

    let latest_key = |d: &&&DateMention| {
        let y = d.year.or(base.map(|b| b + offset(d.month))).unwrap_or(offset(d.month));
        (y, d.month, d.day)
    };
    // max_by_key keeps the last of equal keys; prefer the first mention for the evidence.
    let Some(latest) = events.iter().rev().max_by_key(latest_key).copied() else {
        // Unreachable: `events` is not empty here.
        evidence.append(&mut set_aside);
        return DateInference { date: None, evidence };
    };
    evidence.insert(0, format!("latest event {}", at(latest)));
    let year = latest.year.or(base.map(|b| b + offset(latest.month)));
    if year.is_none() {
        evidence.push(format!("no year evidence: month {} known, date unknown", latest.month));
    }
    evidence.append(&mut set_aside);
    DateInference { date: year.map(|year| YearMonth { year, month: latest.month }), evidence }
}

/// The strongest evidence: an event date that writes its year ("2024年3月5日,…").
fn explicit_base(
    paras: &[Para],
    events: &[&DateMention],
    offset: impl Fn(u32) -> i32,
    evidence: &mut Vec<String>,
) -> Option<i32> {
    let (d, base) = events.iter().filter_map(|d| d.year.map(|y| (*d, y - offset(d.month)))).max_by_key(|&(_, b)| b)?;
    evidence.push(format!(
        "year {} from event date “{}” (paragraph {})",
        d.year.unwrap_or(base),
        paras[d.para].quote(d.start, d.end),
        d.para + 1
    ));
    Some(base)
}

/// The latest plain year mention ("2023年度", "2022-2023年").
///
/// Across a year boundary a year can mean either side. A year in the same sentence as an
/// 11-12月 event (and no early-month one) is that event's year, "12月28日,召开2023年度总结会";
/// any other year is taken as the bulletin's own, i.e. the year after the boundary.
fn plain_base(
    events: &[&DateMention],
    years: &[YearMention],
    wrap: bool,
    offset: impl Fn(u32) -> i32,
    evidence: &mut Vec<String>,
) -> Option<i32> {
    let best = years
        .iter()
        .filter(|y| y.ignored.is_none())
        .map(|y| {
            let in_sentence = |late: bool| {
                events.iter().any(|d| d.para == y.para && d.sentence == y.sentence && (offset(d.month) == 0) == late)
            };
            let before_boundary = wrap && in_sentence(true) && !in_sentence(false);
            let base = if !wrap || before_boundary { y.year } else { y.year - 1 };
            (base, before_boundary, y)
        })
        // Latest year wins; among equals, the first mention.
        .fold(None::<(i32, bool, &YearMention)>, |acc, cur| match acc {
            Some(a) if a.0 >= cur.0 => Some(a),
            _ => Some(cur),
        })?;
    let (base, before_boundary, y) = best;
    let note = if before_boundary {
        format!(" (the year of that sentence's late-year events: {} for the early months)", y.year + 1)
    } else {
        String::new()
    };
    evidence.push(format!("year {} from “{}” (paragraph {}){note}", y.year, y.quote, y.para + 1));
    Some(base)
}

#[cfg(test)]
mod tests;
