//! Which article a photo caption belongs to, when it stands between two: the one it shares
//! more words with. Words are approximated by character bigrams, which need no dictionary.

use std::collections::HashSet;

use crate::domain::corpus::Article;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Prev,
    Next,
}

/// The side whose article shares more of the caption's bigrams; the next article on a tie,
/// since a picture more often leads an article than trails it.
pub fn side(caption: &str, prev: &Article, next: &Article) -> Side {
    if affinity(caption, prev) > affinity(caption, next) { Side::Prev } else { Side::Next }
}

/// Share of the caption's bigrams found in the article's text.
fn affinity(caption: &str, article: &Article) -> f64 {
    let wanted = bigrams(caption);
    if wanted.is_empty() {
        return 0.0;
    }
    let mut have = HashSet::new();
    let headline = [&article.kicker, &Some(article.title.clone()), &article.subtitle];
    for text in headline.into_iter().flatten().chain(&article.paragraphs).chain(&article.captions) {
        have.extend(bigrams(text));
    }
    wanted.iter().filter(|b| have.contains(*b)).count() as f64 / wanted.len() as f64
}

/// Bigrams of letters, digits and Han characters; punctuation and spaces break a run.
fn bigrams(text: &str) -> HashSet<(char, char)> {
    let mut out = HashSet::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if let Some(p) = prev {
                out.insert((p, c));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        Article { title: title.into(), paragraphs: vec![body.into()], ..Default::default() }
    }

    #[test]
    fn caption_goes_to_the_article_it_talks_about() {
        let prev = article("分毫必究 药品检验技能比拼", "重庆市化医农林水利系统药品检验技能竞赛决赛举行。");
        let next = article("快递员技能比赛开赛", "巴南区、温江区快递员技能比赛在四川开赛。");
        assert_eq!(side("市化医农林水利工会举办药品检验技能竞赛", &prev, &next), Side::Prev);
        assert_eq!(side("快递员比赛现场", &prev, &next), Side::Next);
    }

    #[test]
    fn tie_goes_to_the_next_article() {
        let a = article("甲", "乙。");
        assert_eq!(side("无关图片", &a, &a), Side::Next);
    }
}
