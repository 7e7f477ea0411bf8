//! Runs of short lines between bodies -> section labels, headlines and captions.
//!
//! Between two body blocks stands a run of short lines. Image gaps (three or more blank lines)
//! split the run into groups. A caption sits next to an image, so a group with a gap on both
//! sides is captions; the headline group is the one that follows the previous body closely
//! (or carries a `#` mark, or, failing both, runs straight into the next body). Groups before
//! the headline are captions of either neighbour (shared words decide); groups after it are
//! captions of the article they lead into.

use super::captions::{self, Side};
use super::sections::has_label_shape;
use super::units::{Kind, Unit, ends_sentence};
use super::{ParsedBulletin, SectionVocab};
use crate::domain::corpus::Article;

pub fn structure(units: Vec<Unit>, vocab: &SectionVocab) -> ParsedBulletin {
    let (units, furniture) = drop_furniture(units);
    let mut builder = Builder::default();
    let mut i = 0;
    while i < units.len() {
        let run_end = find_from(&units, i, |u| u.kind == Kind::Body);
        let body_end = find_from(&units, run_end, |u| u.kind != Kind::Body);
        builder.run(&units[i..run_end], &units[run_end..body_end], vocab);
        i = body_end;
    }
    ParsedBulletin { articles: builder.articles, labels: builder.labels, furniture }
}

fn find_from(units: &[Unit], from: usize, pred: impl Fn(&Unit) -> bool) -> usize {
    units[from..].iter().position(pred).map_or(units.len(), |p| from + p)
}

/// Furniture (QR prompts) goes; the gap it stood in stays, for the next unit.
fn drop_furniture(units: Vec<Unit>) -> (Vec<Unit>, Vec<String>) {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    let mut furniture = Vec::new();
    let mut carried: Option<usize> = None;
    for mut u in units {
        if u.kind == Kind::Furniture {
            carried = carried.max(u.blanks_before);
            furniture.push(u.text);
            continue;
        }
        if let (Some(c), Some(b)) = (carried.take(), u.blanks_before) {
            u.blanks_before = Some(b.max(c));
        }
        out.push(u);
    }
    (out, furniture)
}

/// Units of a run between two image gaps (or labels).
struct Group<'a> {
    items: Vec<&'a Unit>,
    /// A section label follows this group in the run: it belongs to what came before.
    before_label: bool,
}

impl Group<'_> {
    fn gap_before(&self) -> bool {
        self.items[0].gap_before()
    }
}

/// A caption waiting for its article.
struct Pending<'a> {
    text: &'a str,
    before_label: bool,
}

#[derive(Default)]
struct Builder {
    articles: Vec<Article>,
    labels: Vec<String>,
    section: Option<String>,
}

impl Builder {
    fn run(&mut self, run: &[Unit], body: &[Unit], vocab: &SectionVocab) {
        let is_label = find_labels(run, body, vocab);
        let section_changed = is_label.iter().any(|&l| l);
        let last_label = is_label.iter().rposition(|&l| l);
        for (u, _) in run.iter().zip(&is_label).filter(|(_, l)| **l) {
            self.labels.push(u.text.clone());
            self.section = Some(u.text.clone());
        }
        let groups = groups(run, &is_label, last_label);

        if body.is_empty() {
            self.trailing(groups);
            return;
        }

        let mut pre: Vec<Pending> = Vec::new();
        let mut post: Vec<&str> = Vec::new();
        let mut headline: Vec<&Unit> = Vec::new();
        match headline_group(&groups, body) {
            Some(hi) => {
                for g in &groups[..hi] {
                    pre.extend(g.items.iter().map(|u| Pending { text: &u.text, before_label: g.before_label }));
                }
                let g = &groups[hi];
                let (marked, rest): (Vec<&Unit>, Vec<&Unit>) = g.items.iter().partition(|u| u.marked_caption);
                post.extend(marked.iter().map(|u| u.text.as_str()));
                headline = rest;
                // After an image gap, the line before a multi-line headline is that image's caption.
                if g.gap_before() && headline.len() >= 2 && headline.iter().all(|u| u.mark.is_none()) {
                    pre.push(Pending { text: &headline.remove(0).text, before_label: g.before_label });
                }
                for g in &groups[hi + 1..] {
                    post.extend(g.items.iter().map(|u| u.text.as_str()));
                }
            }
            None => {
                for g in &groups {
                    pre.extend(g.items.iter().map(|u| Pending { text: &u.text, before_label: g.before_label }));
                }
            }
        }

        let continues_prev =
            headline.is_empty() && !section_changed && self.articles.last().is_some_and(|a| !a.title_derived);
        if continues_prev {
            let prev = self.articles.last_mut().expect("checked above");
            pre.iter().for_each(|p| prev.add_caption(p.text));
            prev.paragraphs.extend(body.iter().map(|u| u.text.clone()));
            return;
        }

        let mut next = self.headed_article(&headline, body);
        let mut pre_for_next = Vec::new();
        for p in pre {
            let side = match self.articles.last() {
                None => Side::Next,
                Some(_) if p.before_label => Side::Prev,
                Some(prev) => captions::side(p.text, prev, &next),
            };
            match (side, self.articles.last_mut()) {
                (Side::Prev, Some(prev)) => prev.add_caption(p.text),
                _ => pre_for_next.push(p.text.to_string()),
            }
        }
        // In file order: earlier groups, lines above the kicker, then groups after the headline.
        pre_for_next.append(&mut next.captions);
        pre_for_next.extend(post.into_iter().map(str::to_string));
        next.set_leading_captions(pre_for_next);

        if next.title_derived {
            self.push_picture_items(next, body);
        } else {
            self.articles.push(next);
        }
    }

    /// Short lines after the last body: captions next to an image, else closing lines
    /// (a reporter's credit) of the last article. With no article yet, each group is a headline.
    fn trailing(&mut self, groups: Vec<Group>) {
        for g in groups {
            let Some(prev) = self.articles.last_mut() else {
                let items: Vec<&Unit> = g.items;
                let mut article = self.headed_article(&items, &[]);
                article.line = items[0].line;
                self.articles.push(article);
                continue;
            };
            for u in g.items {
                if u.gap_before() || u.marked_caption || u.blanks_before.is_none() {
                    prev.add_caption(&u.text);
                } else {
                    prev.paragraphs.push(u.text.clone());
                }
            }
        }
    }

    fn headed_article(&self, headline: &[&Unit], body: &[Unit]) -> Article {
        let mut a = Article {
            section: self.section.clone(),
            paragraphs: body.iter().map(|u| u.text.clone()).collect(),
            line: headline.first().or(body.first().as_ref()).map_or(1, |u| u.line),
            ..Default::default()
        };
        if headline.is_empty() {
            a.title = derive_title(&a.paragraphs[0]);
            a.title_derived = true;
        } else {
            let (kicker, title, subtitle, extra) = compose(headline);
            a.kicker = kicker;
            a.title = title;
            a.subtitle = subtitle;
            a.set_leading_captions(extra);
        }
        a
    }

    /// Picture-news items have no headlines; each picture (image gap) starts the next item.
    fn push_picture_items(&mut self, first: Article, body: &[Unit]) {
        let captions = first.captions.clone();
        let mut start = 0;
        for end in 1..=body.len() {
            if end < body.len() && !body[end].gap_before() {
                continue;
            }
            let part = &body[start..end];
            let mut item = self.headed_article(&[], part);
            if start == 0 {
                item.set_leading_captions(captions.clone());
            }
            self.articles.push(item);
            start = end;
        }
    }
}

/// Splits a run's non-label units into groups at image gaps and labels.
fn groups<'a>(run: &'a [Unit], is_label: &[bool], last_label: Option<usize>) -> Vec<Group<'a>> {
    let mut out: Vec<Group> = Vec::new();
    let mut after_label = true;
    for (i, u) in run.iter().enumerate() {
        if is_label[i] {
            after_label = true;
            continue;
        }
        let before_label = last_label.is_some_and(|l| i < l);
        match out.last_mut() {
            Some(g) if !after_label && !u.gap_before() => g.items.push(u),
            _ => out.push(Group { items: vec![u], before_label }),
        }
        after_label = false;
    }
    out
}

/// Which group holds the next article's headline, if any.
fn headline_group(groups: &[Group], body: &[Unit]) -> Option<usize> {
    let candidate = |g: &Group| g.items.iter().any(|u| !u.marked_caption);
    if let Some(i) = groups.iter().position(|g| g.items.iter().any(|u| u.mark.is_some())) {
        return Some(i);
    }
    if let Some(i) = groups.iter().position(|g| candidate(g) && !g.gap_before()) {
        return Some(i);
    }
    // Only image-bounded groups: the one that runs straight into the body is its headline.
    let last = groups.len().checked_sub(1)?;
    (candidate(&groups[last]) && !body[0].gap_before()).then_some(last)
}

/// Which units of a run are section labels.
fn find_labels(run: &[Unit], body: &[Unit], vocab: &SectionVocab) -> Vec<bool> {
    let mut out = vec![false; run.len()];
    let gap_after = |i: usize| match run.get(i + 1) {
        Some(next) => next.gap_before(),
        None => body.first().is_none_or(Unit::gap_before),
    };
    for (i, u) in run.iter().enumerate() {
        if u.kind != Kind::Short || u.marked_caption {
            continue;
        }
        let next = run.get(i + 1);
        if let Some(level) = u.mark {
            // "# 栏目" over "## 标题": the shallower mark is a label.
            out[i] = run[i + 1..].iter().any(|n| n.mark.is_some_and(|l| l > level));
            continue;
        }
        if vocab.is_known(&u.text) {
            out[i] = true;
            continue;
        }
        if !has_label_shape(&u.text) || (u.gap_before() && gap_after(i)) {
            continue;
        }
        let close = |n: &Unit| !n.gap_before();
        let stacked = |n: &Unit| close(n) && n.mark.is_none() && has_label_shape(&n.text);
        let stacked_above = i > 0 && out[i - 1];
        let before_mark = next.is_some_and(|n| close(n) && n.mark.is_some());
        let before_picture_item = next.is_none() && body.first().is_some_and(Unit::gap_before);
        let stack_with_headline_after =
            next.is_some_and(stacked) && run[i + 2..].iter().any(|n| !has_label_shape(&n.text));
        out[i] = stacked_above || before_mark || before_picture_item || stack_with_headline_after;
    }
    out
}

/// Headline lines -> kicker, title, subtitle, and lines that can only be captions.
fn compose(items: &[&Unit]) -> (Option<String>, String, Option<String>, Vec<String>) {
    let text = |u: &&Unit| u.text.clone();
    let join = |us: &[&Unit]| (!us.is_empty()).then(|| us.iter().map(text).collect::<Vec<_>>().join(" "));
    if let Some(m) = items.iter().position(|u| u.mark.is_some()) {
        let kicker = m.checked_sub(1).map(|k| text(&items[k]));
        let extra = items[..m.saturating_sub(1)].iter().map(text).collect();
        return (kicker, text(&items[m]), join(&items[m + 1..]), extra);
    }
    match items {
        [title] => (None, text(title), None, Vec::new()),
        [a, b] if is_kicker(&a.text, &b.text) => (Some(text(a)), text(b), None, Vec::new()),
        [a, b] => (None, text(a), Some(text(b)), Vec::new()),
        [kicker, title, rest @ ..] => (Some(text(kicker)), text(title), join(rest), Vec::new()),
        [] => (None, String::new(), None, Vec::new()),
    }
}

/// Of two headline lines, the first is a kicker (引题) when it leads into the second: it ends
/// with a dash or colon, or it is a short cue over a much longer title. Otherwise the second
/// line is a subtitle (副题), the common case; "——" always opens a subtitle.
fn is_kicker(first: &str, second: &str) -> bool {
    if second.starts_with(['—', '-']) {
        return false;
    }
    let (a, b) = (first.chars().count(), second.chars().count());
    first.ends_with(['—', '：', ':']) || (a <= 8 && b >= 2 * a)
}

/// A title for an item without a headline: its first sentence, shortened if need be.
fn derive_title(paragraph: &str) -> String {
    const MAX: usize = 40;
    let end = paragraph.find(['。', '！', '？', '!', '?']).unwrap_or(paragraph.len());
    let sentence = paragraph[..end].trim();
    let sentence = if sentence.is_empty() { paragraph.trim() } else { sentence };
    if sentence.chars().count() <= MAX
        && (end < paragraph.len() || ends_sentence(paragraph) || sentence == paragraph.trim())
    {
        return sentence.to_string();
    }
    let mut cut: String = sentence.chars().take(MAX - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_titles() {
        assert_eq!(derive_title("向阳草木青,明媚春光暖。3月17日,运动会举行。"), "向阳草木青,明媚春光暖");
        let long = "这是一个非常长的句子".repeat(6) + "。";
        let t = derive_title(&long);
        assert_eq!(t.chars().count(), 40);
        assert!(t.ends_with('…'));
    }

    #[test]
    fn kicker_or_subtitle() {
        assert!(!is_kicker("奋进新征程 勇担新使命", "全市各级工会学习贯彻市第六次工代会精神"));
        assert!(is_kicker("情景再现", "市国防邮电系统职工“演绎”奋斗故事比赛举行"));
        assert!(is_kicker("重庆市总工会：", "职工运动会开幕"));
        assert!(!is_kicker("短", "——记全国劳动模范张三同志的故事"));
    }
}
