//! The user's settings: `config_dir/kanbao/config.toml`, documented in `assets/config.toml`.
//!
//! Read tolerantly, key by key: a typo in one setting costs that setting only (with a warning
//! naming the file, line and key), never the others and never a crash. Everything quoted from the
//! file in a warning is escaped first, so a hostile value cannot reach the terminal.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Range, RangeInclusive};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::domain::keys::{NAMED_KEYS, command_names, commands};
use crate::domain::sanitize::is_unsafe;
use crate::domain::width::Ambiguous;

/// The shipped, commented defaults: every key with its default value.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

/// Widths the reading column may be set to.
pub const COLUMN_WIDTH_RANGE: RangeInclusive<u16> = 20..=200;

/// Action names a key can be bound to in `[keys]` (`none` unbinds the key), from the one
/// table of commands.
pub const ACTIONS: &[&str] = commands!(command_names);

/// Longest section label accepted; real ones are a few Han characters.
const MAX_SECTION_CHARS: usize = 32;
const MAX_SECTIONS: usize = 200;
/// How much of a rejected value a warning quotes.
const QUOTE_CHARS: usize = 40;

/// `ambiguous = "narrow" | "wide" | "auto"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmbiguousSetting {
    Narrow,
    Wide,
    /// Probe the terminal at start-up.
    #[default]
    Auto,
}

impl AmbiguousSetting {
    pub fn as_str(self) -> &'static str {
        match self {
            AmbiguousSetting::Narrow => "narrow",
            AmbiguousSetting::Wide => "wide",
            AmbiguousSetting::Auto => "auto",
        }
    }

    /// The mode when the user fixed one; `None` for `auto` (the terminal shell probes).
    pub fn fixed(self) -> Option<Ambiguous> {
        match self {
            AmbiguousSetting::Narrow => Some(Ambiguous::Narrow),
            AmbiguousSetting::Wide => Some(Ambiguous::Wide),
            AmbiguousSetting::Auto => None,
        }
    }
}

/// `theme = "default" | "mono"`. NO_COLOR still forces mono whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Default,
    Mono,
}

impl ThemeName {
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Default => "default",
            ThemeName::Mono => "mono",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub ambiguous: AmbiguousSetting,
    /// Two U+3000 before each paragraph.
    pub indent: bool,
    pub theme: ThemeName,
    /// Borders from `+ - |` for terminals that draw box characters wide.
    pub ascii_borders: bool,
    /// Widest reading column, in cells ([`COLUMN_WIDTH_RANGE`]).
    pub column_width: u16,
    /// Key overrides in file order: normalized key name ("j", "ctrl-d", "pagedown") -> action.
    pub keys: Vec<(String, String)>,
    /// Section labels (栏目) to recognise besides the bundled ones.
    pub sections: Vec<String>,
    /// Bulletin file name -> "YYYY-MM", for files whose date cannot be inferred.
    pub dates: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ambiguous: AmbiguousSetting::Auto,
            indent: true,
            theme: ThemeName::Default,
            ascii_borders: false,
            column_width: 76,
            keys: Vec::new(),
            sections: Vec::new(),
            dates: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The config as TOML that [`parse_config`] reads back unchanged.
    pub fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let mut out = format!(
            "ambiguous = {}\nindent = {}\ntheme = {}\nascii_borders = {}\ncolumn_width = {}\n",
            q(self.ambiguous.as_str()),
            self.indent,
            q(self.theme.as_str()),
            self.ascii_borders,
            self.column_width
        );
        let sections: Vec<String> = self.sections.iter().map(|s| q(s)).collect();
        out.push_str(&format!("sections = [{}]\n\n[keys]\n", sections.join(", ")));
        for (key, action) in &self.keys {
            out.push_str(&format!("{} = {}\n", q(key), q(action)));
        }
        out.push_str("\n[dates]\n");
        for (file, month) in &self.dates {
            out.push_str(&format!("{} = {}\n", q(file), q(month)));
        }
        out
    }
}

/// A problem in the config file. The setting it concerns keeps its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Fields are built escaped; escaping again here keeps a hand-made Warning safe too.
        let file = escape(&self.file);
        let message = escape(&self.message);
        match self.line {
            Some(line) => write!(f, "{file} line {line}: {message}"),
            None => write!(f, "{file}: {message}"),
        }
    }
}

/// Reads the config file. Missing file: defaults, no warning. Never fails: problems come back as
/// warnings, and each bad setting falls back to its default while the rest still apply.
/// Config file content as read (`crate::io::config_file::load_config` reads it); `file` names it
/// in warnings.
pub fn config_from_bytes(bytes: &[u8], file: &str) -> (Config, Vec<Warning>) {
    let file = escape(file);
    // Windows editors (Notepad) save UTF-8 with a BOM; TOML does not allow one.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_config_named(text, file),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            let message = "not UTF-8 text (save it as UTF-8); using all defaults".to_owned();
            (Config::default(), vec![Warning { file, line: Some(line), key: None, message }])
        }
    }
}

/// [`config_from_bytes`] on text; `file` names it in warnings.
pub fn parse_config(text: &str, file: &str) -> (Config, Vec<Warning>) {
    parse_config_named(text, escape(file))
}

fn parse_config_named(text: &str, file: String) -> (Config, Vec<Warning>) {
    let mut cx = Cx { file, lines: LineIndex::new(text), warnings: Vec::new() };
    let mut config = Config::default();
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(e) => {
            let line = e.span().map(|s| cx.lines.line(s.start));
            let message = format!("not valid TOML ({}); using all defaults", escape(e.message()));
            cx.warnings.push(Warning { file: cx.file.clone(), line, key: None, message });
            return (config, cx.warnings);
        }
    };
    for (key, value) in in_file_order(&table) {
        let name = key.get_ref().as_ref();
        let span = key.span();
        match name {
            "ambiguous" => {
                if let Some(i) = cx.choice(name, value, &["narrow", "wide", "auto"], config.ambiguous.as_str()) {
                    config.ambiguous = [AmbiguousSetting::Narrow, AmbiguousSetting::Wide, AmbiguousSetting::Auto][i];
                }
            }
            "theme" => {
                if let Some(i) = cx.choice(name, value, &["default", "mono"], config.theme.as_str()) {
                    config.theme = [ThemeName::Default, ThemeName::Mono][i];
                }
            }
            "indent" => config.indent = cx.boolean(name, value).unwrap_or(config.indent),
            "ascii_borders" => config.ascii_borders = cx.boolean(name, value).unwrap_or(config.ascii_borders),
            "column_width" => config.column_width = cx.column_width(value).unwrap_or(config.column_width),
            "keys" => config.keys = cx.keys(value),
            "sections" => config.sections = cx.sections(value),
            "dates" => config.dates = cx.dates(value),
            _ => cx.warn(span, name.to_owned(), format!("unknown key `{}`; ignored", escape(name))),
        }
    }
    (config, cx.warnings)
}

type Entry<'a, 'i> = (&'a Spanned<std::borrow::Cow<'i, str>>, &'a Spanned<DeValue<'i>>);

/// Table entries in the order the user wrote them, so warnings and key overrides follow the file.
fn in_file_order<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut entries: Vec<Entry<'a, 'i>> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// Validation context: where warnings go and how byte offsets become line numbers.
struct Cx {
    file: String,
    lines: LineIndex,
    warnings: Vec<Warning>,
}

impl Cx {
    fn warn(&mut self, span: Range<usize>, key: String, message: String) {
        let line = Some(self.lines.line(span.start));
        self.warnings.push(Warning { file: self.file.clone(), line, key: Some(escape(&key)), message });
    }

    /// `outcome` says what happens instead: "using 76", "ignored".
    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue>, expected: &str, outcome: &str) {
        let message = format!("`{}` must be {expected}, not {}; {outcome}", escape(key), describe(value.get_ref()));
        self.warn(value.span(), key.to_owned(), message);
    }

    fn boolean(&mut self, key: &str, value: &Spanned<DeValue>) -> Option<bool> {
        let b = value.get_ref().as_bool();
        if b.is_none() {
            let default = Config::default();
            let default = if key == "indent" { default.indent } else { default.ascii_borders };
            self.wrong_type(key, value, "true or false", &format!("using {default}"));
        }
        b
    }

    /// Index of the value in `allowed`.
    fn choice(&mut self, key: &str, value: &Spanned<DeValue>, allowed: &[&str], default: &str) -> Option<usize> {
        let expected = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(" or ");
        let Some(s) = value.get_ref().as_str() else {
            self.wrong_type(key, value, &expected, &format!("using \"{default}\""));
            return None;
        };
        let found = allowed.iter().position(|a| *a == s);
        if found.is_none() {
            let message = format!("`{key}` must be {expected}, not {}; using \"{default}\"", quote(s));
            self.warn(value.span(), key.to_owned(), message);
        }
        found
    }

    fn column_width(&mut self, value: &Spanned<DeValue>) -> Option<u16> {
        let default = Config::default().column_width.to_string();
        let Some(int) = value.get_ref().as_integer() else {
            self.wrong_type("column_width", value, "a whole number", &format!("using {default}"));
            return None;
        };
        let n = i64::from_str_radix(int.as_str(), int.radix()).ok();
        let width = n.and_then(|n| u16::try_from(n).ok()).filter(|w| COLUMN_WIDTH_RANGE.contains(w));
        if width.is_none() {
            let shown: String = int.as_str().chars().take(QUOTE_CHARS).collect();
            let (lo, hi) = (COLUMN_WIDTH_RANGE.start(), COLUMN_WIDTH_RANGE.end());
            let message = format!("`column_width` must be between {lo} and {hi}, not {shown}; using {default}");
            self.warn(value.span(), "column_width".to_owned(), message);
        }
        width
    }

    fn keys(&mut self, value: &Spanned<DeValue>) -> Vec<(String, String)> {
        let Some(table) = value.get_ref().as_table() else {
            self.wrong_type("keys", value, "a table ([keys])", "using the built-in keys");
            return Vec::new();
        };
        let mut keys: Vec<(String, String)> = Vec::new();
        for (key, action) in in_file_order(table) {
            let raw = key.get_ref().as_ref();
            let path = format!("keys.{raw}");
            let Some(name) = normalize_key(raw) else {
                let message = format!(
                    "`keys`: {} is not a key kanbao knows (try \"j\", \"ctrl-d\", \"pagedown\"); ignored",
                    quote(raw)
                );
                self.warn(key.span(), path, message);
                continue;
            };
            // A terminal sends the same byte for these as for Enter and Tab: the
            // binding could never fire, so say so rather than accept it silently.
            if let Some(same) = same_byte_as(&name) {
                let message = format!(
                    "`keys`: {name} is the same key as {same} on a terminal (it sends the same byte), so it can never be told apart; bind \"{same}\" instead; ignored"
                );
                self.warn(key.span(), path, message);
                continue;
            }
            match action.get_ref().as_str() {
                Some(a) if ACTIONS.contains(&a) => {
                    // Two spellings of one key ("pgdn", "pagedown"): the later one wins, as in the file.
                    keys.retain(|(k, _)| *k != name);
                    keys.push((name, a.to_owned()));
                }
                Some(a) => {
                    let message = format!(
                        "`{}`: unknown action {}; see the list in the default config; ignored",
                        escape(&path),
                        quote(a)
                    );
                    self.warn(action.span(), path, message);
                }
                None => self.wrong_type(&path, action, "an action name such as \"down\"", "ignored"),
            }
        }
        keys
    }

    fn sections(&mut self, value: &Spanned<DeValue>) -> Vec<String> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type("sections", value, "a list of labels such as [\"渝工之家\"]", "ignored");
            return Vec::new();
        };
        let mut labels = Vec::new();
        for item in items.iter() {
            if labels.len() == MAX_SECTIONS {
                let message = format!("`sections`: more than {MAX_SECTIONS} labels; the rest are ignored");
                self.warn(item.span(), "sections".to_owned(), message);
                break;
            }
            let Some(label) = item.get_ref().as_str() else {
                self.wrong_type("sections", item, "a list of text labels", "ignored");
                continue;
            };
            let label = label.trim();
            let chars = label.chars().count();
            if chars == 0 || chars > MAX_SECTION_CHARS || label.chars().any(is_unsafe) {
                let message = format!(
                    "`sections`: label {} must be 1 to {MAX_SECTION_CHARS} characters of plain text; ignored",
                    quote(label)
                );
                self.warn(item.span(), "sections".to_owned(), message);
            } else if !labels.iter().any(|l| l == label) {
                labels.push(label.to_owned());
            }
        }
        labels
    }

    fn dates(&mut self, value: &Spanned<DeValue>) -> BTreeMap<String, String> {
        let Some(table) = value.get_ref().as_table() else {
            self.wrong_type("dates", value, "a table ([dates])", "ignored");
            return BTreeMap::new();
        };
        let mut dates = BTreeMap::new();
        for (key, month) in in_file_order(table) {
            let file = key.get_ref().as_ref();
            let path = format!("dates.{file}");
            if file.is_empty() || file.len() > 255 || file.contains(['/', '\\']) || file.chars().any(is_unsafe) {
                let message =
                    format!("`dates`: {} is not a bulletin file name (name only, no folder); ignored", quote(file));
                self.warn(key.span(), path, message);
                continue;
            }
            match month.get_ref().as_str() {
                Some(m) if is_year_month(m) => {
                    dates.insert(file.to_owned(), m.to_owned());
                }
                Some(m) => {
                    let message =
                        format!("`{}` must be a month like \"2023-05\", not {}; ignored", escape(&path), quote(m));
                    self.warn(month.span(), path, message);
                }
                None => self.wrong_type(&path, month, "a month like \"2023-05\" (in quotes)", "ignored"),
            }
        }
        dates
    }
}

/// Ctrl keys a terminal sends as the byte of another key: (ctrl key, the key it is).
fn same_byte_as(name: &str) -> Option<&'static str> {
    match name {
        "ctrl-m" => Some("enter"),
        "ctrl-i" => Some("tab"),
        _ => None,
    }
}

/// Accepted key spellings, normalized: single characters as they are ("G" is not "g"), named keys
/// and `ctrl-x` lower-case, with the common aliases folded ("pgdn" -> "pagedown").
pub fn normalize_key(raw: &str) -> Option<String> {
    let mut chars = raw.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return match c {
            ' ' => Some("space".to_owned()),
            c if c.is_whitespace() || is_unsafe(c) => None,
            c => Some(c.to_string()),
        };
    }
    let lower = raw.to_ascii_lowercase();
    if let Some(letter) = lower.strip_prefix("ctrl-").or_else(|| lower.strip_prefix("c-")) {
        let mut l = letter.chars();
        return match (l.next(), l.next()) {
            (Some(c), None) if c.is_ascii_lowercase() => Some(format!("ctrl-{c}")),
            _ => None,
        };
    }
    let name = match lower.as_str() {
        "pgdn" | "page-down" => "pagedown",
        "pgup" | "page-up" => "pageup",
        "shift-tab" | "s-tab" => "backtab",
        "escape" => "esc",
        "return" => "enter",
        other => other,
    };
    NAMED_KEYS.iter().any(|(n, _)| *n == name).then(|| name.to_owned())
}

fn is_year_month(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !s[..4].bytes().chain(s[5..].bytes()).all(|c| c.is_ascii_digit()) {
        return false;
    }
    let (year, month): (u32, u32) = (s[..4].parse().unwrap_or(0), s[5..].parse().unwrap_or(0));
    (1900..=2199).contains(&year) && (1..=12).contains(&month)
}

fn describe(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// A value from the file, quoted for a warning: escaped, and cut short (it may be 10 MB).
fn quote(s: &str) -> String {
    let short: String = s.chars().take(QUOTE_CHARS).collect();
    let more = if s.chars().nth(QUOTE_CHARS).is_some() { "..." } else { "" };
    format!("\"{}{more}\"", escape(&short))
}

/// Makes text from the file safe to print on one line: unsafe characters become `\u{1b}`.
pub(crate) fn escape(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_owned();
    }
    s.chars().map(|c| if is_unsafe(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Byte offset -> 1-based line number, by binary search over line starts.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1);
        LineIndex { starts: std::iter::once(0).chain(newlines).collect() }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults_parse_to_default() {
        let (config, warnings) = parse_config(DEFAULT_CONFIG, "assets/config.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config, Config::default());
    }

    #[test]
    fn shipped_defaults_document_every_key() {
        for key in ["ambiguous", "indent", "theme", "ascii_borders", "column_width", "sections", "[keys]", "[dates]"] {
            assert!(DEFAULT_CONFIG.contains(key), "assets/config.toml does not mention {key}");
        }
        for action in ACTIONS {
            assert!(DEFAULT_CONFIG.contains(action), "assets/config.toml does not list action {action}");
        }
    }

    #[test]
    fn to_toml_round_trips() {
        let config = Config {
            ambiguous: AmbiguousSetting::Wide,
            indent: false,
            theme: ThemeName::Mono,
            ascii_borders: true,
            column_width: 120,
            keys: vec![("ctrl-d".into(), "page-down".into()), ("j".into(), "up".into()), ("\"".into(), "help".into())],
            sections: vec!["渝工之家".into(), "重点办好职工实事·渝工建功".into()],
            dates: [("a \"b\".txt".to_owned(), "2023-05".to_owned())].into(),
        };
        let (back, warnings) = parse_config(&config.to_toml(), "x.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(back, config);
    }

    #[test]
    fn keys_are_normalized() {
        assert_eq!(normalize_key("j").as_deref(), Some("j"));
        assert_eq!(normalize_key("G").as_deref(), Some("G"));
        assert_eq!(normalize_key(" ").as_deref(), Some("space"));
        assert_eq!(normalize_key("Ctrl-D").as_deref(), Some("ctrl-d"));
        assert_eq!(normalize_key("PgDn").as_deref(), Some("pagedown"));
        assert_eq!(normalize_key("Shift-Tab").as_deref(), Some("backtab"));
        assert_eq!(normalize_key("\u{1b}"), None);
        assert_eq!(normalize_key("ctrl-"), None);
        assert_eq!(normalize_key("ctrl-dd"), None);
        assert_eq!(normalize_key("hyper-x"), None);
    }

    #[test]
    fn later_spelling_of_a_key_wins() {
        let (config, warnings) = parse_config("[keys]\npgdn = \"down\"\nPageDown = \"bottom\"\n", "c.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.keys, vec![("pagedown".to_owned(), "bottom".to_owned())]);
    }

    #[test]
    fn year_months() {
        assert!(is_year_month("2023-05"));
        assert!(!is_year_month("2023-13"));
        assert!(!is_year_month("2023-5"));
        assert!(!is_year_month("２０２３-05"));
        assert!(!is_year_month("1023-05"));
    }

    #[test]
    fn integers_with_underscores_and_radix() {
        let (config, warnings) = parse_config("column_width = 1_00\n", "c.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.column_width, 100);
        let (config, warnings) = parse_config("column_width = 0x50\n", "c.toml");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.column_width, 80);
    }

    #[test]
    fn escape_leaves_no_controls() {
        let s = escape("a\u{1b}[31mb\u{202e}c\u{9b}d\r\n");
        assert!(!s.chars().any(is_unsafe), "{s}");
        assert!(s.contains("\\u{1b}[31m"));
        assert_eq!(escape("渝工之家"), "渝工之家");
    }

    #[test]
    fn line_index() {
        let idx = LineIndex::new("a\nbb\n\nc");
        assert_eq!([0, 1, 2, 4, 5, 6].map(|o| idx.line(o)), [1, 1, 2, 2, 3, 4]);
    }

    #[test]
    fn fixed_ambiguous() {
        assert_eq!(AmbiguousSetting::Wide.fixed(), Some(Ambiguous::Wide));
        assert_eq!(AmbiguousSetting::Auto.fixed(), None);
    }
}
