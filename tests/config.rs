//! The config file: round trips, and every way a hand-edited file can go wrong.

use std::path::{Path, PathBuf};

use kanbao::domain::config::{AmbiguousSetting, Config, DEFAULT_CONFIG, ThemeName, Warning};
use kanbao::io::config_file::load_config;

fn write(dir: &Path, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Every warning must be one printable line naming the file.
fn assert_clean(warnings: &[Warning]) {
    for w in warnings {
        let shown = w.to_string();
        assert!(shown.contains("config.toml"), "{shown}");
        for text in [&shown, &w.file, &w.message, w.key.as_deref().unwrap_or("")] {
            assert!(!text.chars().any(char::is_control), "control character in {text:?}");
            assert!(!text.contains(['\u{202E}', '\u{2066}']), "bidi control in {text:?}");
        }
    }
}

/// The one warning about `key`, checked for its line.
fn warning_for<'a>(warnings: &'a [Warning], key: &str, line: usize) -> &'a Warning {
    let found: Vec<&Warning> = warnings.iter().filter(|w| w.key.as_deref() == Some(key)).collect();
    assert_eq!(found.len(), 1, "one warning for {key} expected: {warnings:#?}");
    assert_eq!(found[0].line, Some(line), "{}", found[0]);
    assert!(found[0].to_string().contains(&format!("config.toml line {line}: ")), "{}", found[0]);
    found[0]
}

#[test]
fn missing_file_is_defaults_without_warning() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load_config(&dir.path().join("config.toml")), (Config::default(), vec![]));
}

#[test]
fn shipped_defaults_load_from_disk_as_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), DEFAULT_CONFIG);
    assert_eq!(load_config(&path), (Config::default(), vec![]));
}

#[test]
fn round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        ambiguous: AmbiguousSetting::Narrow,
        indent: false,
        theme: ThemeName::Mono,
        ascii_borders: true,
        column_width: 20,
        keys: vec![
            ("G".into(), "top".into()),
            ("ctrl-n".into(), "next-article".into()),
            ("space".into(), "none".into()),
        ],
        sections: vec!["渝工港湾".into()],
        dates: [("001_e5b4416506307a04.txt".to_owned(), "2023-06".to_owned())].into(),
    };
    let path = write(dir.path(), config.to_toml());
    assert_eq!(load_config(&path), (config, vec![]));
}

#[test]
fn utf8_bom_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "\u{FEFF}indent = false\n");
    let (config, warnings) = load_config(&path);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(!config.indent);
}

#[test]
fn invalid_toml_is_defaults_and_one_warning_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "indent = false\ncolumn_width = 60\ntheme = \"mono\n");
    let (config, warnings) = load_config(&path);
    assert_eq!(config, Config::default());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(3), "{}", warnings[0]);
    assert!(warnings[0].to_string().contains("not valid TOML"), "{}", warnings[0]);
    assert_clean(&warnings);
}

#[test]
fn not_utf8_is_defaults_and_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    // "主题" in GBK, as a Windows editor might save it.
    let path = write(dir.path(), b"indent = false\n# \xd6\xf7\xcc\xe2\n");
    let (config, warnings) = load_config(&path);
    assert_eq!(config, Config::default());
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(2));
    assert!(warnings[0].message.contains("UTF-8"));
    assert_clean(&warnings);
}

#[test]
fn unreadable_file_is_defaults_and_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::create_dir(&path).unwrap();
    let (config, warnings) = load_config(&path);
    assert_eq!(config, Config::default());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, None);
    assert_clean(&warnings);
}

#[test]
fn unknown_key_is_ignored_and_the_rest_applies() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "indent = false\n\ncolour_width = 80\ncolumn_width = 90\n");
    let (config, warnings) = load_config(&path);
    assert_eq!((config.indent, config.column_width), (false, 90));
    let w = warning_for(&warnings, "colour_width", 3);
    assert!(w.to_string().ends_with("config.toml line 3: unknown key `colour_width`; ignored"), "{w}");
    assert_eq!(warnings.len(), 1);
    assert_clean(&warnings);
}

#[test]
fn wrong_types_fall_back_per_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = "indent = \"yes\"\ntheme = \"mono\"\ncolumn_width = 80.5\nascii_borders = 1\nambiguous = true\n\
                sections = \"渝工之家\"\n[keys]\nj = 3\n[dates]\n\"a.txt\" = 2023-05-01\n";
    let path = write(dir.path(), text);
    let (config, warnings) = load_config(&path);
    let expected = Config { theme: ThemeName::Mono, ..Config::default() };
    assert_eq!(config, expected);
    for (key, line) in [
        ("indent", 1),
        ("column_width", 3),
        ("ascii_borders", 4),
        ("ambiguous", 5),
        ("sections", 6),
        ("keys.j", 8),
        ("dates.a.txt", 10),
    ] {
        warning_for(&warnings, key, line);
    }
    assert_eq!(warnings.len(), 7, "{warnings:#?}");
    assert!(warnings[0].message.contains("true or false"), "{}", warnings[0]);
    assert_clean(&warnings);
}

#[test]
fn out_of_range_and_huge_numbers() {
    let dir = tempfile::tempdir().unwrap();
    for (value, shown) in [("500", "500"), ("19", "19"), ("-76", "-76"), ("99999999999999999999999", "9999")] {
        let path = write(dir.path(), format!("indent = false\ncolumn_width = {value}\n"));
        let (config, warnings) = load_config(&path);
        assert_eq!((config.indent, config.column_width), (false, 76), "{value}");
        let w = warning_for(&warnings, "column_width", 2);
        assert!(w.message.contains("between 20 and 200") && w.message.contains(shown), "{w}");
        assert_clean(&warnings);
    }
    let path = write(dir.path(), "column_width = 200\n");
    assert_eq!(load_config(&path).0.column_width, 200);
}

#[test]
fn ten_megabyte_value_is_refused_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "渝".repeat(10 << 20 >> 2) + &"x".repeat(3 << 20);
    let text =
        format!("indent = false\ntheme = \"{huge}\"\nsections = [\"渝工之家\", \"{huge}\"]\ncolumn_width = 100\n");
    assert!(text.len() > 20 << 20);
    let path = write(dir.path(), &text);
    let (config, warnings) = load_config(&path);
    assert_eq!((config.indent, config.theme, config.column_width), (false, ThemeName::Default, 100));
    assert_eq!(config.sections, ["渝工之家"]);
    for w in [warning_for(&warnings, "theme", 2), warning_for(&warnings, "sections", 3)] {
        assert!(w.to_string().len() < 300, "warning quotes too much: {} bytes", w.to_string().len());
    }
    assert_clean(&warnings);
}

#[test]
fn control_characters_never_reach_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    // TOML escapes put raw ESC, BEL, CSI, bidi overrides into the parsed strings.
    let text = "theme = \"\\u001b]0;owned\\u0007\\u001b[2J\"\n\
                \"\\u001b[31mred\" = 1\n\
                sections = [\"渝工\\u001b[5m之家\", \"\\u202Eevil\", \"图片新闻\"]\n\
                [keys]\n\"\\u009b6n\" = \"down\"\nk = \"\\u001b[6n\"\n\
                [dates]\n\"x\\u0007.txt\" = \"2023-05\"\n\"y.txt\" = \"\\u001bP2023\"\n";
    let path = write(dir.path(), text);
    let (config, warnings) = load_config(&path);
    assert_eq!(config.sections, ["图片新闻"]);
    assert!(config.keys.is_empty() && config.dates.is_empty());
    assert_eq!(config.theme, ThemeName::Default);
    warning_for(&warnings, "theme", 1);
    assert!(warnings.iter().any(|w| w.line == Some(2) && w.message.contains("unknown key")), "{warnings:#?}");
    assert_eq!(warnings.iter().filter(|w| w.key.as_deref() == Some("sections")).count(), 2);
    assert_eq!(warnings.len(), 8, "{warnings:#?}");
    // Shown escaped, so the user can find the character.
    assert!(warnings[0].message.contains("\\u{1b}]0;owned"), "{}", warnings[0]);
    assert_clean(&warnings);
}

#[test]
fn bad_bindings_and_dates_drop_only_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[keys]\nj = \"up\"\nhyper-x = \"down\"\nk = \"fly\"\n\"ctrl-u\" = \"half-page-up\"\n\
                [dates]\n\"a.txt\" = \"2023-05\"\n\"b.txt\" = \"2023-13\"\n\"sub/c.txt\" = \"2023-01\"\n";
    let path = write(dir.path(), text);
    let (config, warnings) = load_config(&path);
    assert_eq!(config.keys, [("j".to_owned(), "up".to_owned()), ("ctrl-u".to_owned(), "half-page-up".to_owned())]);
    assert_eq!(config.dates.into_iter().collect::<Vec<_>>(), [("a.txt".to_owned(), "2023-05".to_owned())]);
    warning_for(&warnings, "keys.hyper-x", 3);
    warning_for(&warnings, "keys.k", 4);
    warning_for(&warnings, "dates.b.txt", 8);
    warning_for(&warnings, "dates.sub/c.txt", 9);
    assert_eq!(warnings.len(), 4);
    assert_clean(&warnings);
}
