//! Section labels (栏目): "渝工建功", "图片新闻", "重点办好职工实事·渝工建功".

use serde::Deserialize;

/// Known section labels. A label is recognised by this list or by its position (see
/// `structure`), so an unseen label still works when the layout shows it.
#[derive(Debug, Clone, Default)]
pub struct SectionVocab {
    labels: Vec<String>,
}

#[derive(Deserialize)]
struct VocabFile {
    labels: Vec<String>,
}

impl SectionVocab {
    /// The labels shipped in `assets/sections.toml`.
    pub fn bundled() -> SectionVocab {
        let file: VocabFile =
            toml::from_str(include_str!("../../../assets/sections.toml")).expect("assets/sections.toml is valid");
        SectionVocab { labels: file.labels }
    }

    /// Adds labels (from the user's config).
    pub fn extend(&mut self, labels: impl IntoIterator<Item = String>) {
        self.labels.extend(labels);
    }

    /// Every label, in order (the parse cache keys on them).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// A known label, or a composite "主题·栏目" whose last part is one.
    pub fn is_known(&self, text: &str) -> bool {
        let last = text.rsplit(['·', '・', '•']).next().unwrap_or(text);
        self.labels.iter().any(|l| l == text || l == last)
    }
}

/// The shape of a label: a few Han characters, nothing else (composites joined by "·").
pub fn has_label_shape(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['·', '・']).collect();
    let last = parts.last().copied().unwrap_or_default();
    let n = last.chars().count();
    (2..=6).contains(&n)
        && parts.len() <= 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(crate::domain::han::is_han) && p.chars().count() <= 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_composite_labels() {
        let v = SectionVocab::bundled();
        assert!(v.is_known("渝工建功"));
        assert!(v.is_known("重点办好职工实事·渝工建功"));
        assert!(!v.is_known("拔河比赛"));
    }

    #[test]
    fn label_shape() {
        assert!(has_label_shape("工会速递"));
        assert!(has_label_shape("重点办好职工实事·渝工铸魂"));
        assert!(!has_label_shape("重庆市第二届职工运动会开幕式"));
        assert!(!has_label_shape("大足斗舞 开赛"));
    }
}
