//! What a bulletin's masthead prints: its issue number and the exact date.
//!
//!   渝工简报
//!   2024年第9期（总第156期）
//!   重庆市总工会办公室编　　2024年9月25日
//!
//! A running head carries the issue too ("工会简报　2023年第6期"). Page numbers are printed
//! in a few usual Chinese forms: "- 2 -", "— 3 —", "第 4 页", "第4页 共6页", "4/6".

use super::parse::is_space;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masthead {
    /// As printed, without the year: "第9期（总第156期）", "第6期", "总第156期".
    pub issue: Option<String>,
    /// The year of the issue ("2024年第9期").
    pub year: Option<i32>,
    /// The printed date (year, month, day).
    pub date: Option<(i32, u32, u32)>,
}

impl Masthead {
    pub fn is_empty(&self) -> bool {
        self.issue.is_none() && self.date.is_none()
    }

    /// Fills what `other` knows and this one does not.
    pub fn merge(&mut self, other: Masthead) {
        self.issue = self.issue.take().or(other.issue);
        self.year = self.year.or(other.year);
        self.date = self.date.or(other.date);
    }
}

/// How many lines are looked at for a masthead, at the very top of a bulletin.
const TOP_LINES: usize = 6;

/// Finds a masthead in the first lines: the lines up to and including an issue line, and
/// the editor/date line after it. Returns how many of the lines it takes and what they say.
/// Without an issue line there is no masthead (a headline is never taken for one).
pub fn detect(lines: &[&str]) -> Option<(usize, Masthead)> {
    let top = &lines[..lines.len().min(TOP_LINES)];
    let at = top.iter().position(|l| issue_line(l).is_some())?;
    // Lines above the issue line are the bulletin's name: short, no sentence.
    if top[..at].iter().any(|l| l.chars().count() > 16 || l.contains(['。', '，', ','])) {
        return None;
    }
    let mut head = issue_line(top[at]).expect("found above");
    let mut taken = at + 1;
    for l in &lines[taken..lines.len().min(taken + 2)] {
        let date = full_date(l);
        let editor = l.contains('编') || l.contains("主办") || l.contains("印发");
        if rule_line(l) || ((date.is_some() || editor) && l.chars().count() <= 40 && !l.contains('。')) {
            head.date = head.date.or(date);
            taken += 1;
        } else {
            break;
        }
    }
    Some((taken, head))
}

/// The issue a running head carries ("工会简报　2023年第6期"), if any.
pub fn from_running_head(text: &str) -> Option<Masthead> {
    let at = text.find('第').filter(|&i| text[i..].contains('期'))?;
    let start = text[..at].rfind(|c: char| is_space(c)).map_or(0, |i| i + text[i..].chars().next().unwrap().len_utf8());
    issue_line(&text[start..])
}

/// "2024年第9期（总第156期）", "第9期", "总第156期": the masthead's issue line.
fn issue_line(line: &str) -> Option<Masthead> {
    let t: String = line.chars().filter(|c| !is_space(*c)).collect();
    let (year, rest) = match t.split_once('年') {
        Some((y, r)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => (y.parse().ok(), r),
        _ => (None, t.as_str()),
    };
    let rest = rest.trim_start_matches(['（', '(']);
    let (number, after) = numbered(rest.strip_prefix('第').or_else(|| rest.strip_prefix("总第"))?)?;
    let after = after.strip_prefix('期')?;
    let mut issue = format!("{}第{number}期", if rest.starts_with("总第") { "总" } else { "" });
    let mut tail = after;
    // "（总第156期）" after the issue.
    let inner = tail.trim_start_matches(['（', '(']);
    if let Some(r) = inner.strip_prefix("总第")
        && let Some((n, after)) = numbered(r)
        && let Some(after) = after.strip_prefix('期')
    {
        issue = format!("{issue}（总第{n}期）");
        tail = after.trim_start_matches(['）', ')']);
    }
    let tail = tail.trim_start_matches(['）', ')']);
    // What may follow on the same line: the date, or nothing much.
    let date = full_date(tail);
    if date.is_none() && tail.chars().count() > 12 {
        return None;
    }
    Some(Masthead { issue: Some(issue), year, date })
}

/// Leading digits (ASCII or full-width) and the rest.
fn numbered(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n = s[..end].parse().ok().filter(|&n| n > 0 && n < 100_000)?;
    Some((n, &s[end..]))
}

/// "2024年9月25日" anywhere in the line.
pub fn full_date(line: &str) -> Option<(i32, u32, u32)> {
    let t: String = line.chars().filter(|c| !is_space(*c)).map(fold_digit).collect();
    let mut rest = t.as_str();
    while let Some(i) = rest.find('年') {
        let before = &rest[..i];
        let year_start = before.len() - before.chars().rev().take_while(|c| c.is_ascii_digit()).count();
        let year = &before[year_start..];
        let after = &rest[i + '年'.len_utf8()..];
        if year.len() == 4
            && let Some((m, a)) = numbered(after)
            && let Some(a) = a.strip_prefix('月')
            && let Some((d, a)) = numbered(a)
            && a.starts_with('日')
            && (1..=12).contains(&m)
            && (1..=31).contains(&d)
        {
            return Some((year.parse().ok()?, m, d));
        }
        rest = after;
    }
    None
}

fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        c => c,
    }
}

/// A rule under the masthead: a line of dashes or box-drawing strokes.
fn rule_line(line: &str) -> bool {
    let t = line.trim_matches(is_space);
    t.chars().count() >= 3 && t.chars().all(|c| "-—─━=＝_＿―".contains(c))
}

/// A running head's identity across pages: spaces out, digits alike ("第 3 期" = "第 4 期").
pub fn running_key(text: &str) -> String {
    text.chars().filter(|c| !is_space(*c)).map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// A page number standing alone: "- 2 -", "— 3 —", "第 4 页", "第4页 共6页", "4/6", "12".
pub fn page_number_shape(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !is_space(*c)).map(fold_digit).collect();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let dashes: &[char] = &['-', '—', '–', '－', '―', '─'];
    if let Some(inner) = t.strip_prefix(dashes).and_then(|s| s.strip_suffix(dashes)) {
        return digits(inner.trim_matches(dashes));
    }
    if let Some(rest) = t.strip_prefix('第')
        && let Some((n, rest)) = rest.split_once('页')
    {
        return digits(n)
            && (rest.is_empty() || rest.strip_prefix('共').and_then(|r| r.strip_suffix('页')).is_some_and(digits));
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    digits(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_masthead() {
        let lines = ["渝工简报", "2024年第9期（总第156期）", "重庆市总工会办公室编　　2024年9月25日", "标题"];
        let (taken, m) = detect(&lines).unwrap();
        assert_eq!(taken, 3);
        assert_eq!(m.issue.as_deref(), Some("第9期（总第156期）"));
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.date, Some((2024, 9, 25)));
    }

    #[test]
    fn no_issue_line_no_masthead() {
        assert!(detect(&["奋进新征程 勇担新使命", "全市各级工会学习贯彻市第六次工代会精神"]).is_none());
        assert!(detect(&["第3期劳模培训班在渝北区开班,来自全市各区县的学员参加培训。"]).is_none());
    }

    #[test]
    fn issue_from_a_running_head() {
        let m = from_running_head("工会简报　2023年第6期").unwrap();
        assert_eq!((m.issue.as_deref(), m.year), (Some("第6期"), Some(2023)));
        assert!(from_running_head("重庆市总工会").is_none());
    }

    #[test]
    fn page_numbers() {
        for p in ["- 2 -", "— 3 —", "第 4 页", "第4页 共6页", "4/6", "12", "－５－"] {
            assert!(page_number_shape(p), "{p}");
        }
        for p in ["2023年", "第一部分", "—— 记劳模", "12345"] {
            assert!(!page_number_shape(p), "{p}");
        }
    }
}
