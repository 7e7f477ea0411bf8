use super::*;
use proptest::prelude::*;

/// Simplified Chinese, like the bulletins: ASCII digits and brackets inside Chinese,
/// full-width punctuation, a page-break split, an image gap.
const SAMPLE: &str = "重庆市总工会召开六届二次常委(扩大)会议。\n\n\
    11月2日，会议指出，要深入实施“五大行动”，打造\n\n渝工品牌。\n\n\n\n\
    拔河比赛\n\n秀山土家族苗族自治县总工会开展“职工之家”建设……全年服务职工1.2万人次。\n";

/// Traditional characters, for Big5.
const TRAD: &str = "重慶市總工會召開六屆二次常委(擴大)會議。\n\n\
    11月2日，會議指出，要深入實施「五大行動」，打造\n\n渝工品牌。\n\n\
    秀山土家族苗族自治縣總工會開展「職工之家」建設……全年服務職工1.2萬人次。\n";

fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = enc.encode(s);
    assert!(!had_errors, "{} cannot encode the sample", enc.name());
    bytes.into_owned()
}

fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(s.encode_utf16());
    for u in units {
        out.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

fn decoded(bytes: &[u8]) -> Decoded {
    decode(bytes).unwrap_or_else(|e| panic!("refused: {e}"))
}

fn assert_clean(bytes: &[u8], text: &str, encoding: &str) {
    let d = decoded(bytes);
    assert_eq!(d.text, text, "as {encoding}");
    assert_eq!(d.encoding, encoding);
    assert!(d.warnings.is_empty(), "{encoding}: {:?}", d.warnings);
}

#[test]
fn same_text_in_every_encoding() {
    let crlf = SAMPLE.replace('\n', "\r\n");
    let mut bom_crlf = vec![0xEF, 0xBB, 0xBF];
    bom_crlf.extend_from_slice(crlf.as_bytes());
    assert_clean(SAMPLE.as_bytes(), SAMPLE, "UTF-8");
    assert_clean(&bom_crlf, SAMPLE, "UTF-8 (BOM)");
    assert_clean(&utf16(SAMPLE, false, true), SAMPLE, "UTF-16LE");
    assert_clean(&utf16(SAMPLE, true, true), SAMPLE, "UTF-16BE");
    assert_clean(&utf16(&crlf, false, true), SAMPLE, "UTF-16LE");
    assert_clean(&utf16(SAMPLE, false, false), SAMPLE, "UTF-16LE");
    assert_clean(&utf16(SAMPLE, true, false), SAMPLE, "UTF-16BE");
    assert_clean(&encode(GB18030, SAMPLE), SAMPLE, "GB18030");
    assert_clean(&encode(GB18030, &crlf), SAMPLE, "GB18030");
    assert_clean(&encode(BIG5, TRAD), TRAD, "Big5");
    assert_clean(&utf16(TRAD, false, false), TRAD, "UTF-16LE");
}

#[test]
fn gb18030_short_and_long() {
    let line = "重庆市总工会召开六届二次常委(扩大)会议。";
    assert_clean(&encode(GB18030, line), line, "GB18030");
    assert_clean(&encode(GB18030, "工会"), "工会", "GB18030");
    let long = SAMPLE.repeat(40);
    assert_clean(&encode(GB18030, &long), &long, "GB18030");
    // Four-byte GB18030 sequences (outside GBK): emoji, CJK extension B.
    let rare = "渝工暖心👍，𠀀字与䶮字。";
    assert_clean(&encode(GB18030, rare), rare, "GB18030");
}

#[test]
fn short_gb18030_misguessed_by_chardetng_still_reads() {
    // chardetng calls these EUC-KR / EUC-JP; too short to trust it over the Chinese prior.
    for line in ["拔河比赛", "▲当代舞《老师,妈妈》(南岸区)"] {
        let d = decoded(&encode(GB18030, line));
        assert_eq!((d.text.as_str(), d.encoding), (line, "GB18030"));
    }
}

#[test]
fn big5_short() {
    let line = "重慶市總工會召開六屆二次常委(擴大)會議。";
    assert_clean(&encode(BIG5, line), line, "Big5");
}

#[test]
fn bomless_utf16_without_any_nul() {
    // Pure CJK, no newline or ASCII: no 0x00 byte at all.
    let s = "重庆市总工会召集六届二次常委扩大会议，会议指出要深入实施五大行动。";
    assert!(!utf16(s, false, false).contains(&0));
    assert_clean(&utf16(s, false, false), s, "UTF-16LE");
    assert_clean(&utf16(s, true, false), s, "UTF-16BE");
}

#[test]
fn bomless_utf16_ascii_only_prefers_the_ascii_reading() {
    let s = "Chongqing Federation of Trade Unions\n";
    assert_clean(&utf16(s, false, false), s, "UTF-16LE");
    assert_clean(&utf16(s, true, false), s, "UTF-16BE");
}

#[test]
fn latin_text() {
    let s = "Café résumé: la Fédération syndicale de Chongqing a tenu sa réunion.\n";
    assert_clean(&encode(WINDOWS_1252, s), s, "Windows-1252");
}

#[test]
fn binary_is_refused() {
    let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
    let err = decode(&png).unwrap_err();
    assert!(matches!(err, DecodeError::FileType { kind: "a PNG image", .. }));
    assert_eq!(err.to_string(), "looks like a PNG image, not bulletin text");
    // Without its signature, the same bytes are still binary (NUL bytes).
    assert_eq!(decode(&png[1..]), Err(DecodeError::Binary { offset: 7 }));
    assert!(matches!(decode(b"%PDF-1.7\n"), Err(DecodeError::FileType { .. })));

    let mut state = 0x2545_F491_u32;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let err = decode(&random).unwrap_err();
    assert!(matches!(err, DecodeError::Binary { .. }), "{err:?}");
    assert!(err.to_string().starts_with("looks like a binary file (NUL bytes at offset "));

    // No NUL, but mostly control bytes.
    let controls: Vec<u8> = (0..200u8).map(|i| if i % 3 == 0 { b'a' } else { i % 8 + 1 }).collect();
    assert!(matches!(decode(&controls), Err(DecodeError::ControlBytes { .. })));
    // A UTF-8 text with a stray NUL is binary too.
    assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary { offset: 3 }));
    // U+0000 in UTF-16.
    assert!(matches!(decode(&utf16("ab\0cd", false, true)), Err(DecodeError::Binary { offset: 6 })));
}

#[test]
fn empty_and_blank_files_are_ok() {
    for bytes in [&b""[..], b"   \r\n\n\t  \n", b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFF\xFE \0\n\0"] {
        let d = decoded(bytes);
        assert_eq!(d.text, "", "{bytes:?}");
        assert!(d.warnings.is_empty());
    }
}

#[test]
fn truncated_tail_is_dropped_with_a_warning() {
    let full = SAMPLE.trim_end(); // ends with "。" (3 bytes in UTF-8)
    let head = &full[..full.len() - "。".len()];

    let utf8 = full.as_bytes();
    let d = decoded(&utf8[..utf8.len() - 1]);
    assert_eq!((d.text.as_str(), d.encoding), (head, "UTF-8"));
    assert_eq!(d.warnings, ["the last character is cut off (incomplete UTF-8 sequence at end of file); ignored"]);

    let gb = encode(GB18030, full);
    let d = decoded(&gb[..gb.len() - 1]);
    assert_eq!((d.text.as_str(), d.encoding), (head, "GB18030"));
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0].contains("incomplete GB18030 sequence"));

    let le = utf16(full, false, true);
    let d = decoded(&le[..le.len() - 1]);
    assert_eq!((d.text.as_str(), d.encoding), (head, "UTF-16LE"));
    assert!(d.warnings[0].contains("cut off"), "{:?}", d.warnings);

    // A surrogate pair cut in half.
    let le = utf16("职工点赞👍", false, true);
    let d = decoded(&le[..le.len() - 2]);
    assert_eq!(d.text, "职工点赞");
    assert_eq!(d.warnings.len(), 1);
}

#[test]
fn damaged_bytes_are_shown_and_warned_about() {
    let long = SAMPLE.repeat(30);
    let at = (1000..).find(|&i| long.is_char_boundary(i)).unwrap_or(0);
    let mut bytes = long.as_bytes().to_vec();
    bytes.insert(at, 0xFF);
    let d = decoded(&bytes);
    assert_eq!(d.encoding, "UTF-8");
    assert_eq!(d.text.matches('\u{FFFD}').count(), 1);
    assert_eq!(d.text.replace('\u{FFFD}', ""), long);
    assert!(d.warnings[0].contains(&format!("offset {at}")), "{:?}", d.warnings);

    let mut gb = encode(GB18030, &long);
    let n = gb.len();
    gb[n / 2] = 0xFF;
    let d = decoded(&gb);
    assert_eq!(d.encoding, "GB18030");
    assert!(d.text.contains('\u{FFFD}'));
    assert!(!d.warnings.is_empty());

    // A lost byte shifts the byte pairs up to the next ASCII character: still GB18030.
    let mut gb = encode(GB18030, &long);
    let middle = (n / 2..gb.len()).find(|&i| gb[i] >= 0x81).unwrap_or(0);
    gb.remove(middle);
    let d = decoded(&gb);
    assert_eq!(d.encoding, "GB18030");
    assert!(!d.warnings.is_empty());

    // Short and damaged: refused rather than guessed.
    let mut short = encode(GB18030, "重庆市总工会召开会议");
    short[3] = 0x0A;
    short[7] = 0x7F;
    assert!(decode(&short).is_err());
}

#[test]
fn trailing_nul_padding_is_ignored_with_a_warning() {
    let padded = |mut bytes: Vec<u8>| {
        bytes.extend([0; 512]);
        bytes
    };
    let d = decoded(&padded(SAMPLE.as_bytes().to_vec()));
    assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-8"));
    assert_eq!(d.warnings, ["512 NUL byte(s) of padding at the end of the file ignored"]);
    let d = decoded(&padded(encode(GB18030, SAMPLE)));
    assert_eq!((d.text.as_str(), d.encoding, d.warnings.len()), (SAMPLE, "GB18030", 1));
    // UTF-16 ending in ASCII: the high byte of the last "\n" is not padding.
    for (big_endian, bom, name) in [(false, true, "UTF-16LE"), (true, true, "UTF-16BE"), (false, false, "UTF-16LE")] {
        let d = decoded(&padded(utf16(SAMPLE, big_endian, bom)));
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, name));
        assert_eq!(d.warnings, ["512 NUL byte(s) of padding at the end of the file ignored"]);
    }
    assert_eq!(decode(&[0; 100]), Err(DecodeError::Binary { offset: 0 }));
    assert_eq!(decode(b"abc\0\0\0").map(|d| d.text), Ok("abc".to_string()));
}

#[test]
fn line_ends_are_normalized() {
    let d = decoded(b"a\rb\r\nc\n\rd\r\r\ne\r");
    assert_eq!(d.text, "a\nb\nc\n\nd\n\ne\n");
}

#[test]
fn unsupported_encodings_are_refused() {
    assert_eq!(decode(b"\xFF\xFE\0\0a\0\0\0"), Err(DecodeError::Unsupported { encoding: "UTF-32" }));
    let japanese =
        "日本語のテキストです。これは重慶の文書ではありません。ひらがなとカタカナが多く含まれています。".repeat(4);
    assert_eq!(
        decode(&encode(encoding_rs::SHIFT_JIS, &japanese)),
        Err(DecodeError::Unsupported { encoding: "Shift_JIS" })
    );
    let korean = "한국어 텍스트입니다. 이것은 충칭의 문서가 아닙니다. 한글이 많이 포함되어 있습니다. ".repeat(4);
    assert_eq!(decode(&encode(encoding_rs::EUC_KR, &korean)), Err(DecodeError::Unsupported { encoding: "EUC-KR" }));
}

#[test]
fn control_characters_get_a_warning() {
    let d = decoded("标题\x1b[31m红字\x1b[0m和\x07铃声，以及更多正文内容。".as_bytes());
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
}

#[test]
fn error_messages_read_well() {
    assert_eq!(
        DecodeError::Binary { offset: 123 }.to_string(),
        "looks like a binary file (NUL bytes at offset 123), not bulletin text"
    );
    let pdf = decode(b"%PDF-1.4").unwrap_err().to_string();
    assert_eq!(pdf, "looks like a PDF document, not bulletin text (export it as plain text first)");
}

/// Input that may legitimately contain an encoded U+FFFD.
fn may_hold_replacement(bytes: &[u8]) -> bool {
    [&[0xEF, 0xBF, 0xBD][..], &[0xFD, 0xFF], &[0xFF, 0xFD], &[0x84, 0x31, 0xA4, 0x37]]
        .iter()
        .any(|pat| bytes.windows(pat.len()).any(|w| w == *pat))
}

fn check_invariants(bytes: &[u8]) {
    if let Ok(d) = decode(bytes) {
        assert!(!d.text.contains('\r'));
        if d.text.contains('\u{FFFD}') && !may_hold_replacement(bytes) {
            assert!(!d.warnings.is_empty(), "silent U+FFFD for {bytes:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_invariants(&bytes);
    }

    #[test]
    fn never_panics_on_damaged_encodings(
        which in 0usize..6,
        cut in 0usize..400,
        flips in proptest::collection::vec((0usize..400, any::<u8>()), 0..4),
    ) {
        let mut bytes = match which {
            0 => SAMPLE.as_bytes().to_vec(),
            1 => encode(GB18030, SAMPLE),
            2 => encode(BIG5, TRAD),
            3 => utf16(SAMPLE, false, true),
            4 => utf16(SAMPLE, true, false),
            _ => utf16(SAMPLE, false, false),
        };
        for (at, byte) in flips {
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
        }
        bytes.truncate(cut);
        check_invariants(&bytes);
    }

    #[test]
    fn utf16_with_bom_round_trips(s in "\\PC*", big_endian in any::<bool>()) {
        let d = decoded(&utf16(&s, big_endian, true));
        let expected = if s.trim().is_empty() { "" } else { s.as_str() };
        prop_assert_eq!(d.text, expected);
        prop_assert!(d.warnings.is_empty());
    }

    #[test]
    fn printable_utf8_round_trips(s in "\\PC*") {
        let d = decoded(s.as_bytes());
        let expected = if s.trim().is_empty() { "" } else { s.as_str() };
        prop_assert_eq!(d.text, expected);
        prop_assert_eq!(d.encoding, "UTF-8");
    }
}

#[test]
fn a_short_utf8_file_with_one_bad_byte_is_utf8() {
    let mut bytes = "测试标题\n\n2024年6月1日，璧山区工会举办活动。".as_bytes().to_vec();
    bytes.insert(12, 0xFF);
    let d = decode(&bytes).expect("read as UTF-8 despite one bad byte");
    assert_eq!(d.encoding, "UTF-8");
    assert!(d.text.contains("璧山区工会"));
}

#[test]
fn utf8_then_gbk_is_called_utf8_with_bad_bytes() {
    let mut bytes = "测试标题\n\n2024年6月1日，璧山区工会举办活动，职工踊跃参加。\n\n".repeat(3).into_bytes();
    let gbk_text = "渝北区工会组织劳模座谈会，交流经验。".repeat(40);
    let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_text);
    bytes.extend_from_slice(&gbk);
    let e = decode(&bytes).unwrap_err().to_string();
    assert!(e.contains("not valid UTF-8") && !e.contains("Big5"), "{e}");
}

#[test]
fn nel_line_ends_are_line_ends_not_binary() {
    let text = "测试标题\u{85}\u{85}2024年6月1日，璧山区工会举办活动。\u{85}";
    let d = decode(text.as_bytes()).expect("NEL text is text");
    assert_eq!(d.text, "测试标题\n\n2024年6月1日，璧山区工会举办活动。\n");
}
