//! The district gazetteer: Chongqing's 38 districts and counties plus its three special areas,
//! and the rules for spotting them in bulletin text.
//!
//! The data lives in `assets/districts.toml` (embedded at build time). Matching is one
//! leftmost-longest Aho-Corasick pass over every written form, so "秀山土家族苗族自治县" wins
//! over "秀山", followed by context checks that reject hits which are not Chongqing places
//! ("成都市温江区", "渝北片区", "繁荣昌盛").

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use serde::Deserialize;

use crate::domain::han::is_han;

/// What sort of administrative unit an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DistrictKind {
    /// 区
    District,
    /// 县, including the 自治县
    County,
    /// 新区 / 高新区 / 经开区: functional areas that the bulletins list next to the districts
    Area,
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Canonical full name, e.g. "秀山土家族苗族自治县".
    pub name: String,
    pub kind: DistrictKind,
    /// Other written forms that always mean this place ("秀山县", "重庆高新区"), without `name`
    /// and without `bare`.
    pub forms: Vec<String>,
    /// The name without its suffix ("秀山", "大足"), if it has one.
    pub bare: Option<String>,
    /// Whether `bare` is matched in running text (false for 长寿, 南岸, 江北 ...).
    pub bare_safe: bool,
    /// A bare hit immediately preceded by one of these is part of another word.
    pub bare_not_preceded_by: Vec<String>,
    /// A bare hit immediately followed by one of these is part of another word.
    pub bare_not_followed_by: Vec<String>,
    /// Toneless lowercase pinyin of `name`, one syllable per Han character ("bi shan qu").
    pub pinyin: String,
    /// Pinyin of `bare`.
    pub bare_pinyin: Option<String>,
}

/// Why a gazetteer file was refused.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("gazetteer is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("gazetteer entry {entry:?}: {reason}")]
    Invalid { entry: String, reason: String },
    #[error("cannot build the district matcher: {0}")]
    Matcher(#[from] aho_corasick::BuildError),
}

/// Text a process scans with the compact matcher before it builds the fast one: the bundled
/// bulletins (60 KB) never pay for the DFA, a first parse of a large archive (100 MB) does
/// after its first few hundred bulletins.
const BULK_BYTES: u64 = 4 << 20;

/// The gazetteer and its matchers.
#[derive(Debug)]
pub struct Gazetteer {
    districts: Vec<District>,
    /// A contiguous NFA: a few KB. It scans article text at about 130 MB/s.
    compact: AhoCorasick,
    /// The same patterns as a DFA, built once `scanned` passes `BULK_BYTES`: about 310 MB/s,
    /// but its byte-indexed table of the Han forms takes 300 KB, a third of the reader's heap
    /// on the bundled bulletins. Both find the same matches (the kind is only speed).
    fast: OnceLock<AhoCorasick>,
    scanned: AtomicU64,
    pattern_texts: Vec<String>,
    /// For each matcher pattern: (index into `districts`, whether it is the bare form).
    patterns: Vec<(usize, bool)>,
    /// Every written form (name, forms, bare: safe or not) to its district.
    by_form: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    district: Vec<RawDistrict>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    name: String,
    kind: DistrictKind,
    pinyin: String,
    #[serde(default)]
    forms: Vec<String>,
    bare: Option<String>,
    bare_pinyin: Option<String>,
    #[serde(default)]
    bare_safe: bool,
    #[serde(default)]
    bare_not_preceded_by: Vec<String>,
    #[serde(default)]
    bare_not_followed_by: Vec<String>,
}

/// A hit followed by this names a region of some company or service (中国邮政重庆渝北片区分公司),
/// not the district.
const REGION_SUFFIXES: &[&str] = &["片区"];

/// A hit ending in 区 followed by one of these: the 区 belongs to the next word (长江北区域).
const QU_WORD_TAILS: &[char] = &['域'];

/// Words ending in 市 that point back at Chongqing itself, so a district after them is ours.
const OWN_CITY: &[&str] = &["重庆市", "本市", "我市", "全市", "该市", "直辖市"];

impl Gazetteer {
    /// The gazetteer bundled with the binary.
    pub fn bundled() -> &'static Gazetteer {
        static BUNDLED: OnceLock<Gazetteer> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            // The file is part of the source tree and covered by tests: failing here is a bug.
            Gazetteer::from_toml(include_str!("../../assets/districts.toml"))
                .expect("bundled assets/districts.toml must be a valid gazetteer")
        })
    }

    /// Parses and checks a gazetteer file (see `assets/districts.toml` for the format).
    pub fn from_toml(text: &str) -> Result<Gazetteer, GazetteerError> {
        let raw: RawFile = toml::from_str(text)?;
        let mut districts = Vec::with_capacity(raw.district.len());
        for r in raw.district {
            districts.push(validate(r)?);
        }

        let mut by_form: HashMap<String, usize> = HashMap::new();
        let mut pattern_texts: Vec<String> = Vec::new();
        let mut patterns: Vec<(usize, bool)> = Vec::new();
        for (i, d) in districts.iter().enumerate() {
            let mut written: Vec<(&str, bool)> = vec![(d.name.as_str(), false)];
            written.extend(d.forms.iter().map(|f| (f.as_str(), false)));
            if let Some(b) = &d.bare {
                written.push((b.as_str(), true));
            }
            for (form, is_bare) in written {
                // One form, one place: otherwise lookup and matching would be ambiguous.
                if let Some(&other) = by_form.get(form) {
                    return Err(GazetteerError::Invalid {
                        entry: d.name.clone(),
                        reason: format!("written form {form:?} already belongs to {:?}", districts[other].name),
                    });
                }
                by_form.insert(form.to_string(), i);
                if !is_bare || d.bare_safe {
                    pattern_texts.push(form.to_string());
                    patterns.push((i, is_bare));
                }
            }
        }
        let compact = matcher(&pattern_texts, AhoCorasickKind::ContiguousNFA)?;
        Ok(Gazetteer {
            districts,
            compact,
            fast: OnceLock::new(),
            scanned: AtomicU64::new(0),
            pattern_texts,
            patterns,
            by_form,
        })
    }

    /// The matcher to scan `len` more bytes with: the compact one until this gazetteer has
    /// scanned `BULK_BYTES`, then the DFA (the compact one again if the DFA cannot be built).
    fn matcher(&self, len: usize) -> &AhoCorasick {
        if let Some(fast) = self.fast.get() {
            return fast;
        }
        if self.scanned.fetch_add(len as u64, Ordering::Relaxed).saturating_add(len as u64) < BULK_BYTES {
            return &self.compact;
        }
        self.fast
            .get_or_init(|| matcher(&self.pattern_texts, AhoCorasickKind::DFA).unwrap_or_else(|_| self.compact.clone()))
    }

    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// Canonical names of the districts named in `text`, in order of first mention, without
    /// duplicates.
    pub fn find_in(&self, text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        let matcher = self.matcher(text.len());
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = matcher.find(Input::new(text).range(pos..)) else {
                break;
            };
            let Some(&(idx, is_bare)) = self.patterns.get(m.pattern().as_usize()) else {
                break;
            };
            let district = &self.districts[idx];
            if accept_hit(text, m.start(), m.end(), district, is_bare) {
                if !found.contains(&district.name.as_str()) {
                    found.push(district.name.as_str());
                }
                pos = m.end();
            } else {
                // A rejected hit may overlap a real one that starts inside it ("合川渝北区"):
                // resume one character later rather than after the whole hit.
                pos = next_char_boundary(text, m.start());
            }
        }
        found
    }

    /// The district a written form refers to (full, short or bare form, the bare form even
    /// where it is not safe in running text), e.g. "秀山县" -> 秀山土家族苗族自治县.
    pub fn lookup(&self, form: &str) -> Option<&District> {
        self.by_form.get(form.trim()).and_then(|&i| self.districts.get(i))
    }
}

/// Leftmost-longest, so "秀山土家族苗族自治县" wins over "秀山".
fn matcher(patterns: &[String], kind: AhoCorasickKind) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).kind(Some(kind)).build(patterns)
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(text.len(), |c| at + c.len_utf8())
}

/// Context checks on one matcher hit `text[start..end]`.
fn accept_hit(text: &str, start: usize, end: usize, d: &District, is_bare: bool) -> bool {
    let before = text[..start].trim_end();
    let after = &text[end..];
    let hit = &text[start..end];

    if REGION_SUFFIXES.iter().any(|s| after.starts_with(s)) {
        return false;
    }
    if hit.ends_with('区') && after.starts_with(QU_WORD_TAILS) {
        return false;
    }
    if foreign_qualifier(before) {
        return false;
    }
    if is_bare {
        // Checked against the untrimmed neighbours: these rules are about adjacent characters.
        let raw_before = &text[..start];
        if d.bare_not_preceded_by.iter().any(|p| raw_before.ends_with(p.as_str()))
            || d.bare_not_followed_by.iter().any(|p| after.starts_with(p.as_str()))
        {
            return false;
        }
    }
    true
}

/// Whether the text just before a hit names another province or city ("四川省", "成都市"),
/// making the hit a place outside Chongqing.
fn foreign_qualifier(before: &str) -> bool {
    if before.ends_with('省')
        || before.ends_with("自治区")
        || before.ends_with("自治州")
        || before.ends_with("特别行政区")
    {
        return true;
    }
    if before.ends_with('市') {
        if OWN_CITY.iter().any(|w| before.ends_with(w)) {
            return false;
        }
        // "市" alone after punctuation (a heading like "市…") is not a qualifier; "成都市" is.
        let prev = before[..before.len() - '市'.len_utf8()].chars().next_back();
        return prev.is_some_and(is_han);
    }
    false
}

fn invalid(entry: &str, reason: impl Into<String>) -> GazetteerError {
    GazetteerError::Invalid { entry: entry.to_string(), reason: reason.into() }
}

/// Checks one entry: names present, pinyin well formed and matching the Han character count.
fn validate(r: RawDistrict) -> Result<District, GazetteerError> {
    let name = r.name.trim().to_string();
    if name.is_empty() {
        return Err(invalid(&r.name, "empty name"));
    }
    check_pinyin(&name, &name, &r.pinyin)?;
    let forms: Vec<String> = r.forms.iter().map(|f| f.trim().to_string()).collect();
    if forms.iter().any(|f| f.is_empty() || *f == name) {
        return Err(invalid(&name, "forms must be non-empty and differ from the name"));
    }
    let bare = r.bare.map(|b| b.trim().to_string());
    match (&bare, &r.bare_pinyin) {
        (Some(b), Some(p)) => {
            if b.is_empty() {
                return Err(invalid(&name, "empty bare form"));
            }
            check_pinyin(&name, b, p)?;
        }
        (None, None) => {
            if r.bare_safe {
                return Err(invalid(&name, "bare_safe without a bare form"));
            }
        }
        _ => return Err(invalid(&name, "bare and bare_pinyin go together")),
    }
    Ok(District {
        name,
        kind: r.kind,
        forms,
        bare,
        bare_safe: r.bare_safe,
        bare_not_preceded_by: r.bare_not_preceded_by,
        bare_not_followed_by: r.bare_not_followed_by,
        pinyin: r.pinyin,
        bare_pinyin: r.bare_pinyin,
    })
}

/// Pinyin must be lowercase toneless syllables separated by single spaces, one per Han
/// character of `word`: the finder relies on that alignment.
fn check_pinyin(entry: &str, word: &str, pinyin: &str) -> Result<(), GazetteerError> {
    let hans = word.chars().filter(|&c| is_han(c)).count();
    let syllables: Vec<&str> = pinyin.split(' ').collect();
    let well_formed = syllables.iter().all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == 'ü'));
    if !well_formed {
        return Err(invalid(
            entry,
            format!("pinyin {pinyin:?} must be lowercase syllables separated by single spaces"),
        ));
    }
    if syllables.len() != hans || hans != word.chars().count() {
        return Err(invalid(entry, format!("pinyin {pinyin:?} does not have one syllable per character of {word:?}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn g() -> &'static Gazetteer {
        Gazetteer::bundled()
    }

    fn seed(prefix: &str) -> String {
        crate::domain::seed_text(prefix)
    }

    const EXPECTED: &[&str] = &[
        "万州区",
        "黔江区",
        "涪陵区",
        "渝中区",
        "大渡口区",
        "江北区",
        "沙坪坝区",
        "九龙坡区",
        "南岸区",
        "北碚区",
        "綦江区",
        "大足区",
        "渝北区",
        "巴南区",
        "长寿区",
        "江津区",
        "合川区",
        "永川区",
        "南川区",
        "璧山区",
        "铜梁区",
        "潼南区",
        "荣昌区",
        "开州区",
        "梁平区",
        "武隆区",
        "城口县",
        "丰都县",
        "垫江县",
        "忠县",
        "云阳县",
        "奉节县",
        "巫山县",
        "巫溪县",
        "石柱土家族自治县",
        "秀山土家族苗族自治县",
        "酉阳土家族苗族自治县",
        "彭水苗族土家族自治县",
        "两江新区",
        "西部科学城重庆高新区",
        "万盛经开区",
    ];

    #[test]
    fn all_41_entries_with_unique_names() {
        let names: Vec<&str> = g().districts().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names.len(), 41);
        let unique: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), 41);
        for e in EXPECTED {
            assert!(unique.contains(e), "missing {e}");
        }
        let count = |k| g().districts().iter().filter(|d| d.kind == k).count();
        assert_eq!(count(DistrictKind::District), 26);
        assert_eq!(count(DistrictKind::County), 12);
        assert_eq!(count(DistrictKind::Area), 3);
    }

    #[test]
    fn pinyin_has_one_syllable_per_han_character() {
        for d in g().districts() {
            assert_eq!(d.pinyin.split(' ').count(), d.name.chars().filter(|&c| is_han(c)).count(), "{}", d.name);
            if let (Some(b), Some(p)) = (&d.bare, &d.bare_pinyin) {
                assert_eq!(p.split(' ').count(), b.chars().count(), "{b}");
                // The bare form's reading is the start of the full reading.
                assert!(d.pinyin.starts_with(p.as_str()), "{} / {b}", d.name);
            }
        }
    }

    #[test]
    fn readings_of_tricky_names() {
        let py = |n: &str| g().lookup(n).map(|d| d.pinyin.as_str());
        assert_eq!(py("綦江区"), Some("qi jiang qu"));
        assert_eq!(py("涪陵区"), Some("fu ling qu"));
        assert_eq!(py("璧山区"), Some("bi shan qu"));
        assert_eq!(py("潼南区"), Some("tong nan qu"));
        assert_eq!(py("北碚区"), Some("bei bei qu"));
        assert_eq!(py("长寿区"), Some("chang shou qu"));
        assert_eq!(py("垫江县"), Some("dian jiang xian"));
        assert_eq!(py("奉节县"), Some("feng jie xian"));
        assert_eq!(py("酉阳县"), Some("you yang tu jia zu miao zu zi zhi xian"));
        assert_eq!(py("重庆高新区"), Some("xi bu ke xue cheng chong qing gao xin qu"));
        let bare = |n: &str| g().lookup(n).and_then(|d| d.bare_pinyin.as_deref());
        assert_eq!(bare("大足"), Some("da zu"));
        assert_eq!(bare("石柱"), Some("shi zhu"));
        assert_eq!(bare("万盛"), Some("wan sheng"));
    }

    #[test]
    fn lookup_resolves_every_written_form() {
        let name = |f: &str| g().lookup(f).map(|d| d.name.as_str());
        assert_eq!(name("秀山县"), Some("秀山土家族苗族自治县"));
        assert_eq!(name("秀山"), Some("秀山土家族苗族自治县"));
        assert_eq!(name("石柱县"), Some("石柱土家族自治县"));
        assert_eq!(name("西部科学城重庆高新区"), Some("西部科学城重庆高新区"));
        assert_eq!(name("重庆高新区"), Some("西部科学城重庆高新区"));
        assert_eq!(name("万盛经济技术开发区"), Some("万盛经开区"));
        assert_eq!(name(" 黔江区 "), Some("黔江区"));
        // Unsafe bare forms still resolve when asked for explicitly.
        assert_eq!(name("长寿"), Some("长寿区"));
        assert_eq!(name("温江区"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn find_in_basic_forms() {
        assert_eq!(g().find_in("秀山县"), vec!["秀山土家族苗族自治县"]);
        assert_eq!(g().find_in("西部科学城重庆高新区"), vec!["西部科学城重庆高新区"]);
        assert_eq!(g().find_in("重庆高新区工会"), vec!["西部科学城重庆高新区"]);
        assert_eq!(
            g().find_in("秀山土家族苗族自治县总工会、酉阳县、彭水自治县"),
            vec!["秀山土家族苗族自治县", "酉阳土家族苗族自治县", "彭水苗族土家族自治县"]
        );
        // Order of first mention, no duplicates.
        assert_eq!(g().find_in("璧山区、黔江区、璧山区、黔江"), vec!["璧山区", "黔江区"]);
        assert_eq!(g().find_in("重庆市巴南区总工会"), vec!["巴南区"]);
        assert_eq!(g().find_in("本市江北区"), vec!["江北区"]);
        assert_eq!(g().find_in("万盛经开区、万盛"), vec!["万盛经开区"]);
    }

    #[test]
    fn other_provinces_and_cities_are_not_chongqing() {
        assert!(g().find_in("成都市温江区").is_empty());
        assert!(g().find_in("宁波市江北区").is_empty());
        assert!(g().find_in("成都市 江北区").is_empty());
        assert!(g().find_in("四川省南川").is_empty());
        assert_eq!(g().find_in("重庆市巴南区、成都市温江区快递员技能比赛"), vec!["巴南区"]);
    }

    #[test]
    fn generic_words_give_nothing() {
        for t in [
            "全区工会",
            "各区县总工会",
            "片区",
            "市区",
            "主城区",
            "县城",
            "全区职工",
            "渝北片区",
            "中国邮政重庆渝北片区分公司",
            "中国邮政重庆合川片区分公司",
            "长江北区域",
        ] {
            assert!(g().find_in(t).is_empty(), "{t}: {:?}", g().find_in(t));
        }
    }

    #[test]
    fn unsafe_bare_names_are_not_matched() {
        for t in [
            "健康长寿",
            "长江南岸",
            "江南岸",
            "长江北岸",
            "两江四岸",
            "成渝中线高铁",
            "川渝北部",
            "石柱林立",
            "忠诚担当",
        ] {
            assert!(g().find_in(t).is_empty(), "{t}: {:?}", g().find_in(t));
        }
    }

    #[test]
    fn bare_names_inside_longer_words() {
        for t in [
            "繁荣昌盛",
            "沿着伟大足迹",
            "广大足球爱好者",
            "威武隆重",
            "召开州委会议",
            "桥梁平稳运行",
            "联合川渝两地",
            "河南川籍职工",
            "山清水秀山川美",
            "白云阳光",
            "进城口",
        ] {
            assert!(g().find_in(t).is_empty(), "{t}: {:?}", g().find_in(t));
        }
        // Safe bare names still match in ordinary use.
        assert_eq!(g().find_in("大足斗舞"), vec!["大足区"]);
        assert_eq!(g().find_in("巴南、温江两地"), vec!["巴南区"]);
        assert_eq!(g().find_in("荣昌夏布"), vec!["荣昌区"]);
        assert_eq!(g().find_in("铜梁1000千伏变电站"), vec!["铜梁区"]);
        // A rejected hit does not hide a real one overlapping it.
        assert_eq!(g().find_in("联合川渝北区"), vec!["渝北区"]);
    }

    #[test]
    fn seed_000_first_paragraphs() {
        let text = seed("000");
        // The four 5月25日/26日 reports: the first ten non-empty lines.
        let first: String = text.lines().filter(|l| !l.trim().is_empty()).take(10).collect::<Vec<_>>().join("\n");
        assert_eq!(g().find_in(&first), vec!["黔江区", "大渡口区", "江津区", "开州区"]);
        let all = g().find_in(&text);
        for d in [
            "万盛经开区",
            "渝中区",
            "璧山区",
            "西部科学城重庆高新区",
            "秀山土家族苗族自治县",
            "酉阳土家族苗族自治县",
            "合川区",
        ] {
            assert!(all.contains(&d), "{d} missing from {all:?}");
        }
    }

    #[test]
    fn seed_files_give_sensible_districts() {
        let got = |p| g().find_in(&seed(p));
        assert_eq!(
            got("001"),
            vec![
                "南岸区",
                "涪陵区",
                "城口县",
                "大足区",
                "万盛经开区",
                "黔江区",
                "綦江区",
                "开州区",
                "沙坪坝区",
                "奉节县",
                "大渡口区",
                "巴南区"
            ]
        );
        assert_eq!(got("002"), vec!["万盛经开区", "云阳县", "奉节县", "永川区"]);
        assert_eq!(got("003"), vec!["永川区", "黔江区", "璧山区", "两江新区", "奉节县"]);
        assert_eq!(got("004"), vec!["铜梁区", "万盛经开区", "渝北区", "城口县", "璧山区"]);
    }

    #[test]
    fn from_toml_rejects_bad_files() {
        let ok = "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi shan qu\"\n";
        assert_eq!(Gazetteer::from_toml(ok).map(|g| g.districts().len()).ok(), Some(1));
        for bad in [
            "not toml [[",
            "[[district]]\nname = \"璧山区\"\nkind = \"city\"\npinyin = \"bi shan qu\"\n",
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi shan\"\n",
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"Bi shan qu\"\n",
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi  shan qu\"\n",
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi shan qu\"\nbare = \"璧山\"\n",
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi shan qu\"\nbare_safe = true\n",
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi shan qu\"\ncolour = 1\n",
            // The same form for two places.
            "[[district]]\nname = \"璧山区\"\nkind = \"district\"\npinyin = \"bi shan qu\"\n\
             [[district]]\nname = \"铜梁区\"\nkind = \"district\"\npinyin = \"tong liang qu\"\nforms = [\"璧山区\"]\n",
        ] {
            assert!(Gazetteer::from_toml(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn huge_text_of_near_misses_finds_nothing() {
        // 280 000 characters of almost-names (合川片区, 大足球): the scan finishes and finds none.
        // Its speed is measured in `cargo bench --bench core`, never asserted here.
        let big = "成都市合川片区繁荣昌盛大足球".repeat(20_000);
        assert!(g().find_in(&big).is_empty());
    }

    #[test]
    fn the_fast_matcher_finds_what_the_compact_one_finds() {
        // A gazetteer of its own: the bundled one is shared with other tests.
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/districts.toml")).unwrap();
        let g = Gazetteer::from_toml(&text).unwrap();
        let mut lines: Vec<String> = crate::domain::load::bundled_sources()
            .iter()
            .flat_map(|s| String::from_utf8_lossy(&s.bytes).lines().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        lines.extend(["成都市温江区与渝北片区", "合川渝北区", "秀山土家族苗族自治县和秀山"].map(String::from));
        let compact: Vec<Vec<&str>> = lines.iter().map(|l| g.find_in(l)).collect();
        assert!(g.fast.get().is_none(), "the bundled text alone never builds the DFA");
        assert!(compact.iter().filter(|f| !f.is_empty()).count() > 20, "the seeds name districts");
        g.matcher(BULK_BYTES as usize);
        assert!(g.fast.get().is_some(), "past BULK_BYTES the DFA is built");
        let fast: Vec<Vec<&str>> = lines.iter().map(|l| g.find_in(l)).collect();
        assert_eq!(compact, fast);
    }

    proptest! {
        #[test]
        fn find_in_never_panics(s in any::<String>()) {
            let _ = g().find_in(&s);
            let _ = g().lookup(&s);
        }

        #[test]
        fn find_in_never_panics_on_place_like_text(
            s in "[重庆市省片区县江北南岸大足秀山合川渝成都温，。 a1]{0,40}"
        ) {
            let found = g().find_in(&s);
            let unique: HashSet<&&str> = found.iter().collect();
            prop_assert_eq!(unique.len(), found.len());
        }
    }
}
