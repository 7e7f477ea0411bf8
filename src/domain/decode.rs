//! Bytes of an untrusted bulletin file -> text.
//!
//! Users add files saved by whatever their office uses: UTF-8 with or without a BOM, UTF-16
//! from Notepad, GB18030/GBK from older Windows, Big5 from Traditional-Chinese sources.
//! [`decode`] finds the encoding, decodes, normalizes line ends, and either returns the text
//! with warnings a clerk can act on, or refuses with a [`DecodeError`]. It never hands back
//! mojibake silently: every U+FFFD it introduces and every uncertain guess comes with a warning.
//!
//! Decoding does not make text safe to print: control characters survive it. Run the result
//! through `sanitize` before laying it out.

use chardetng::EncodingDetector;
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::han::is_han;

/// Text decoded from a file, with the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, line ends normalized to `"\n"`. Empty if the file held only whitespace.
    /// Not sanitized: may still contain control characters.
    pub text: String,
    /// Short name: "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GB18030", "Big5",
    /// or "Windows-1252" (Latin text).
    pub encoding: &'static str,
    /// Problems that did not stop decoding, one sentence each, for the user.
    pub warnings: Vec<String>,
}

/// Why a file cannot be read as bulletin text. Messages name no file (the caller adds it)
/// and quote nothing from the file, so they are safe to print.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum DecodeError {
    /// NUL bytes outside UTF-16: binary data, not text.
    #[error("looks like a binary file (NUL bytes at offset {offset}), not bulletin text")]
    Binary { offset: usize },
    /// Too many control characters to be text.
    #[error("looks like a binary file ({count} control characters among {total}), not bulletin text")]
    ControlBytes { count: usize, total: usize },
    /// A known non-text file format, recognized by its first bytes.
    #[error("looks like {kind}, not bulletin text{hint}")]
    FileType { kind: &'static str, hint: &'static str },
    /// Text in an encoding kanbao does not read (UTF-32, Japanese, Korean, Cyrillic...).
    #[error("the text seems to be in {encoding}, which kanbao does not read; save it as UTF-8")]
    Unsupported { encoding: &'static str },
    /// The encoding is known but too much of the file is not valid in it.
    #[error(
        "cannot read the text: {bad} byte sequences are not valid {encoding} \
         (the first at byte offset {offset}); the file may be damaged, or save it as UTF-8"
    )]
    Undecodable { encoding: &'static str, bad: usize, offset: usize },
    /// No supported encoding gives readable text.
    #[error(
        "cannot tell the text encoding (the closest guess, {guess}, gives unreadable text); \
         save the file as UTF-8"
    )]
    Unrecognized { guess: &'static str },
}

/// Decodes the bytes of an untrusted bulletin file. Never panics.
///
/// Order: known binary formats (PDF, images, archives, Office), BOMs, NUL bytes (BOM-less
/// UTF-16, trailing zero padding, or binary), UTF-8, then legacy encodings guessed by
/// chardetng (GB18030, Big5, Windows-1252), then BOM-less UTF-16 without any NUL (pure CJK).
/// Line ends come back as `"\n"`; a text of only whitespace comes back empty.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut decoded = detect_and_decode(bytes)?;
    // NEL (U+0085) is the line end of text from EBCDIC systems and some converters: in a file
    // that has no other line ends. Elsewhere a stray NEL is a control like any other.
    if decoded.text.contains('\u{85}') && !decoded.text.contains(['\n', '\r']) {
        decoded.text = decoded.text.replace('\u{85}', "\n");
    }
    check_controls(&decoded.text, &mut decoded.warnings)?;
    normalize_line_ends(&mut decoded.text);
    // Whitespace only is "no articles", not an error; the loader reports it.
    if decoded.text.trim().is_empty() {
        decoded.text.clear();
    }
    Ok(decoded)
}

// ---------------------------------------------------------------------------------------------
// Detection

/// chardetng looks at this much: thousands of characters, plenty to be sure. It costs about
/// 0.2 µs per byte (it runs some 20 candidate decoders), so it is bounded to keep start-up fast.
const DETECT_LIMIT: usize = 16 * 1024;

/// Below this many non-ASCII bytes chardetng often guesses wrong (a 4-character GB18030
/// headline comes back as EUC-KR), so the Chinese prior wins; above it we trust its verdict.
const SHORT_NON_ASCII: usize = 128;

fn detect_and_decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Ok(ok(String::new(), "UTF-8", Vec::new()));
    }
    if let Some(err) = known_file_type(bytes) {
        return Err(err);
    }
    // UTF-32 first: its little-endian BOM starts with the UTF-16LE one.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(DecodeError::Unsupported { encoding: "UTF-32" });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let body = &rest[..content_len(rest)];
        if let Some(offset) = body.iter().position(|&b| b == 0) {
            return Err(DecodeError::Binary { offset: offset + 3 });
        }
        return decode_utf8_with_bom(body).map(|d| with_padding_warning(d, rest.len() - body.len()));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16_with_bom(rest, UTF_16LE);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16_with_bom(rest, UTF_16BE);
    }
    if let Some(first_nul) = bytes.iter().position(|&b| b == 0) {
        // ASCII in UTF-16 is full of NULs; in any other text they mean binary, unless they
        // are only zero padding at the end (left by a crash or a careless tool).
        if !stray_nuls_in_utf8(bytes) {
            let body = &bytes[..utf16_unpadded_len(bytes)];
            if let Some(decoded) = utf16_without_bom(body, body.contains(&0)) {
                return Ok(with_padding_warning(decoded, bytes.len() - body.len()));
            }
        }
        let content = content_len(bytes);
        if first_nul < content || content == 0 {
            return Err(DecodeError::Binary { offset: first_nul });
        }
        return decode_8bit(&bytes[..content]).map(|d| with_padding_warning(d, bytes.len() - content));
    }
    decode_8bit(bytes)
}

/// UTF-8, or a legacy encoding.
fn decode_8bit(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match utf8_without_bom(bytes) {
        Some(decoded) => Ok(decoded),
        None => decode_legacy(bytes),
    }
}

/// Length without trailing NUL padding.
fn content_len(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)
}

/// Length without trailing NUL padding, rounded up to whole UTF-16 code units, so the zero
/// high byte of a final ASCII character ("a\0" in UTF-16LE) stays.
fn utf16_unpadded_len(bytes: &[u8]) -> usize {
    let content = content_len(bytes);
    (content + content % 2).min(bytes.len())
}

fn with_padding_warning(mut decoded: Decoded, nuls: usize) -> Decoded {
    if nuls > 0 {
        decoded.warnings.push(format!("{nuls} NUL byte(s) of padding at the end of the file ignored"));
    }
    decoded
}

fn ok(text: String, encoding: &'static str, warnings: Vec<String>) -> Decoded {
    Decoded { text, encoding, warnings }
}

/// First bytes of formats a clerk might drop into the folder by mistake. Naming the format
/// ("a PDF document") tells them what to do, where "binary file" would not.
fn known_file_type(bytes: &[u8]) -> Option<DecodeError> {
    const EXPORT: &str = " (export it as plain text first)";
    const SIGNATURES: &[(&[u8], &str, &str)] = &[
        (b"%PDF-", "a PDF document", EXPORT),
        (b"\x89PNG", "a PNG image", ""),
        (b"\xFF\xD8\xFF", "a JPEG image", ""),
        (b"GIF87a", "a GIF image", ""),
        (b"GIF89a", "a GIF image", ""),
        (b"PK\x03\x04", "a ZIP archive or Word/Excel document", EXPORT),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an old Word/Excel/WPS document", EXPORT),
        (b"{\\rtf", "an RTF document", EXPORT),
        (b"Rar!\x1A\x07", "a RAR archive", ""),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive", ""),
        (b"\x1F\x8B", "a gzip archive", ""),
        (b"\x7FELF", "a program", ""),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
        .map(|&(_, kind, hint)| DecodeError::FileType { kind, hint })
}

// ---------------------------------------------------------------------------------------------
// UTF-8

fn decode_utf8_with_bom(rest: &[u8]) -> Result<Decoded, DecodeError> {
    const NAME: &str = "UTF-8 (BOM)";
    if let Some(decoded) = utf8_fast(rest, NAME) {
        return Ok(decoded);
    }
    // The BOM says UTF-8, so a few bad bytes mean damage, not another encoding.
    let raw = decode_raw(UTF_8, rest);
    if raw.bad * 100 > raw.chars {
        return Err(DecodeError::Undecodable { encoding: "UTF-8", bad: raw.bad, offset: raw.first_bad + 3 });
    }
    Ok(raw.into_decoded(NAME, "UTF-8", 3))
}

/// Invalid sequences a UTF-8 file of any length may have and still be read as UTF-8.
const MAX_BAD_IN_SHORT_UTF8: usize = 3;

fn utf8_without_bom(bytes: &[u8]) -> Option<Decoded> {
    if let Some(decoded) = utf8_fast(bytes, "UTF-8") {
        return Some(decoded);
    }
    // Mostly valid UTF-8 with a few damaged bytes is still UTF-8: GB18030 or Big5 bytes
    // almost never form valid multi-byte UTF-8, so many good sequences settle it.
    // Cheap early exit first: legacy text fails within its first few hundred bytes.
    let budget = (bytes.len() / 100).max(MAX_BAD_IN_SHORT_UTF8);
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        if !chunk.invalid().is_empty() {
            invalid += 1;
            if invalid > budget {
                return None;
            }
        }
    }
    let raw = decode_raw(UTF_8, bytes);
    let good_multibyte = raw.text.chars().filter(|&c| c > '\x7F' && c != '\u{FFFD}').count();
    let long = raw.bad * 100 <= raw.chars && good_multibyte >= 10 * raw.bad;
    // A short file has no room for 1 bad sequence in 100: one damaged spot (up to 3 invalid
    // sequences) is allowed when the rest is good multi-byte UTF-8, which legacy encodings
    // practically never produce (GBK read as UTF-8 is invalid at nearly every character).
    let short = raw.bad <= MAX_BAD_IN_SHORT_UTF8 && good_multibyte >= 4 * raw.bad;
    if long || short { Some(raw.into_decoded("UTF-8", "UTF-8", 0)) } else { None }
}

/// Valid UTF-8, or valid but for a character cut off at the end: the common cases, at the
/// speed of `str::from_utf8`.
fn utf8_fast(bytes: &[u8], name: &'static str) -> Option<Decoded> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(ok(text.to_owned(), name, Vec::new())),
        Err(e) if e.error_len().is_none() => {
            let text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            Some(ok(text, name, vec![cut_warning("UTF-8")]))
        }
        Err(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// UTF-16

fn decode_utf16_with_bom(rest: &[u8], enc: &'static Encoding) -> Result<Decoded, DecodeError> {
    let name = short_name(enc);
    let body = &rest[..utf16_unpadded_len(rest)];
    if let Some(unit) = body.chunks_exact(2).position(|u| u == [0, 0]) {
        return Err(DecodeError::Binary { offset: 2 + 2 * unit });
    }
    let raw = decode_raw(enc, body);
    if raw.bad * 100 > raw.chars {
        return Err(DecodeError::Undecodable { encoding: name, bad: raw.bad, offset: raw.first_bad + 2 });
    }
    Ok(with_padding_warning(raw.into_decoded(name, name, 2), rest.len() - body.len()))
}

/// A few NULs in what is otherwise UTF-8 (or ASCII): 8-bit text with stray NULs, which may
/// still read as CJK in UTF-16 ("ab" is U+6261). UTF-16 text has NULs in every ASCII
/// character, and CJK UTF-16 bytes are not valid UTF-8.
fn stray_nuls_in_utf8(bytes: &[u8]) -> bool {
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls * 4 >= bytes.len() {
        return false;
    }
    let rest: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
    std::str::from_utf8(&rest).is_ok()
}

/// UTF-16 without a BOM: both byte orders are decoded and the one that reads as Chinese or
/// ASCII text wins. With `has_nul` (the usual case: newlines and digits are `xx 00`) up to 5%
/// odd characters are tolerated; without any NUL the bar is much higher, since only pure CJK
/// text can look like that and short legacy text could pass by chance.
fn utf16_without_bom(bytes: &[u8], has_nul: bool) -> Option<Decoded> {
    if !has_nul && bytes.len() < 32 {
        return None;
    }
    if has_nul && bytes.chunks_exact(2).any(|u| u == [0, 0]) {
        return None; // U+0000 is not text in any byte order
    }
    let mut best: Option<(Raw, &'static Encoding, usize)> = None;
    for enc in [UTF_16LE, UTF_16BE] {
        let raw = decode_raw(enc, bytes);
        let t = tally(&raw.text);
        let plausible = if has_nul {
            raw.bad * 1000 <= raw.chars && (t.bad + t.rare) * 20 <= t.total
        } else {
            // Shift_JIS read as UTF-16BE is all CJK too, but has no CJK punctuation.
            raw.bad == 0 && t.bad == 0 && t.rare * 20 <= t.total && t.hanzi * 2 >= t.total && t.cjk_punct > 0
        } && t.ascii_pairs * 4 <= t.non_ascii * 3
            // NULs come from ASCII characters: a reading without any explains none of them.
            && (!has_nul || t.ascii > 0);
        // ASCII read in the wrong byte order looks like CJK ("a\0" is U+6100), so between
        // two plausible readings the one with more ASCII is right.
        if plausible && best.as_ref().is_none_or(|(_, _, ascii)| t.ascii > *ascii) {
            best = Some((raw, enc, t.ascii));
        }
    }
    best.map(|(raw, enc, _)| {
        let name = short_name(enc);
        raw.into_decoded(name, name, 0)
    })
}

// ---------------------------------------------------------------------------------------------
// Legacy encodings

fn decode_legacy(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let sample = &bytes[..bytes.len().min(DETECT_LIMIT)];
    let (guess, confident) = detect(sample);
    let short = sample.iter().filter(|&&b| b >= 0x80).count() < SHORT_NON_ASCII;
    let primary = supported(guess);
    // chardetng's pick first; then, as files here are Chinese bulletins, the Chinese encodings.
    let candidates = primary.into_iter().chain([GB18030, BIG5].into_iter().filter(|&e| Some(e) != primary));
    let mut failure: Option<DecodeError> = None;

    for enc in candidates {
        let raw = decode_raw(enc, bytes);
        // chardetng vouches for an encoding it picked, or picks once the damaged bytes are
        // left out (it drops an encoding at its first invalid byte, so one bad byte in a GB18030
        // file makes it guess something else). Against its verdict, only a short text (where
        // it is often wrong) may be read, with no damage and with a warning.
        let vouched =
            Some(enc) == primary || (raw.bad > 0 && same_family(detect_repaired(sample, &raw.bad_ranges), enc));
        if !vouched && !short {
            continue;
        }
        let plausible = plausible(enc, &raw.text, vouched);
        let max_bad = if vouched { raw.chars / 100 } else { 0 };
        if plausible && raw.bad <= max_bad {
            let name = short_name(enc);
            let mut decoded = raw.into_decoded(name, name, 0);
            if !vouched || !confident {
                decoded.warnings.push(uncertain_warning(name));
            }
            return Ok(decoded);
        }
        if vouched && plausible && failure.is_none() {
            failure = Some(DecodeError::Undecodable { encoding: short_name(enc), bad: raw.bad, offset: raw.first_bad });
        }
    }

    if let Some(decoded) = utf16_without_bom(bytes, false) {
        return Ok(decoded);
    }
    let (count, total) = raw_controls(bytes);
    if count * 20 > total {
        return Err(DecodeError::ControlBytes { count, total });
    }
    // Good UTF-8 up to some point, then something else (another encoding pasted in, or
    // damage): naming the legacy guess ("not valid Big5") would send the user the wrong way.
    if let Some(err) = utf8_then_other(bytes) {
        return Err(err);
    }
    if let Some(err) = failure {
        return Err(err);
    }
    if primary.is_none() && !short {
        // A long text chardetng is sure is Japanese, Korean, Cyrillic...
        return Err(DecodeError::Unsupported { encoding: short_name(guess) });
    }
    Err(DecodeError::Unrecognized { guess: short_name(guess) })
}

/// Text that is valid UTF-8, with real multi-byte characters, before its first bad byte.
fn utf8_then_other(bytes: &[u8]) -> Option<DecodeError> {
    let offset = std::str::from_utf8(bytes).err()?.valid_up_to();
    let good = std::str::from_utf8(&bytes[..offset]).ok()?.chars().filter(|&c| c > '\x7F').count();
    if good < 10 {
        return None;
    }
    let bad = bytes.utf8_chunks().filter(|c| !c.invalid().is_empty()).count();
    Some(DecodeError::Undecodable { encoding: "UTF-8", bad, offset })
}

fn detect(sample: &[u8]) -> (&'static Encoding, bool) {
    let mut detector = EncodingDetector::new();
    // `last = false`: a character cut off at the end must not disqualify the right encoding
    // (chardetng drops a candidate whose decoder is left mid-character at the end).
    detector.feed(sample, false);
    detector.guess_assess(None, false)
}

/// Guess again with the damaged byte sequences left out: chardetng drops an encoding at its
/// first invalid byte, so one bad byte in a GB18030 file makes it guess something else.
fn detect_repaired(sample: &[u8], bad_ranges: &[(usize, usize)]) -> &'static Encoding {
    let mut repaired = Vec::with_capacity(sample.len());
    let mut pos = 0;
    for &(start, end) in bad_ranges {
        let (start, end) = (start.min(sample.len()), end.min(sample.len()));
        if start >= pos {
            repaired.extend_from_slice(&sample[pos..start]);
        }
        pos = pos.max(end);
    }
    repaired.extend_from_slice(&sample[pos.min(sample.len())..]);
    detect(&repaired).0
}

/// The legacy encodings kanbao reads. chardetng names GB18030's GBK subset "GBK"; encoding_rs
/// decodes GBK with the full GB18030 decoder anyway, so we call it GB18030.
fn supported(enc: &'static Encoding) -> Option<&'static Encoding> {
    if enc == GBK || enc == GB18030 {
        Some(GB18030)
    } else if enc == BIG5 {
        Some(BIG5)
    } else if enc == WINDOWS_1252 {
        Some(WINDOWS_1252)
    } else {
        None
    }
}

fn same_family(a: &'static Encoding, b: &'static Encoding) -> bool {
    supported(a).is_some_and(|a| Some(a) == supported(b))
}

/// Text of the kind the encoding is for (decoding errors aside). A wrong guess shows up as
/// private-use, Hangul or control characters, or as Latin mojibake. When chardetng `vouched`
/// for the encoding, up to 3% odd characters pass: a byte lost in a GB18030 file shifts the
/// pairing up to the next ASCII character, and that stretch reads as odd characters (~7% PUA).
fn plausible(enc: &'static Encoding, text: &str, vouched: bool) -> bool {
    if enc == WINDOWS_1252 {
        plausible_latin(text)
    } else {
        let t = tally(text);
        let max_bad_percent = if vouched { 3 } else { 1 };
        t.bad * 100 <= t.non_ascii * max_bad_percent && t.rare * 10 <= t.non_ascii
    }
}

fn short_name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else if enc == GBK || enc == GB18030 {
        "GB18030"
    } else if enc == BIG5 {
        "Big5"
    } else if enc == WINDOWS_1252 {
        "Windows-1252"
    } else {
        enc.name()
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding with error accounting

/// The result of decoding with a known encoding, before any judgement.
struct Raw {
    text: String,
    /// Characters in `text` (U+FFFD included).
    chars: usize,
    /// Malformed byte sequences, each replaced by U+FFFD.
    bad: usize,
    /// Byte offset of the first one (relative to the decoded slice).
    first_bad: usize,
    /// Byte ranges of the first malformed sequences (bounded), for re-detection.
    bad_ranges: Vec<(usize, usize)>,
    /// The input ended in the middle of a character, which was dropped.
    cut_tail: bool,
}

impl Raw {
    /// `bom_len` shifts the reported offsets back to file offsets.
    fn into_decoded(self, name: &'static str, enc_name: &str, bom_len: usize) -> Decoded {
        let mut warnings = Vec::new();
        if self.bad > 0 {
            warnings.push(format!(
                "{} damaged byte sequence(s) that are not valid {} (the first at byte offset {}) \
                 are shown as \u{FFFD}",
                self.bad,
                enc_name,
                self.first_bad + bom_len
            ));
        }
        if self.cut_tail {
            warnings.push(cut_warning(enc_name));
        }
        ok(self.text, name, warnings)
    }
}

fn cut_warning(enc_name: &str) -> String {
    format!("the last character is cut off (incomplete {enc_name} sequence at end of file); ignored")
}

fn uncertain_warning(name: &str) -> String {
    format!(
        "the text encoding could not be determined with certainty and was read as {name}; \
         if the text looks garbled, save the file as UTF-8"
    )
}

/// Decodes all of `bytes`, replacing each malformed sequence with U+FFFD and counting it, and
/// dropping (and flagging) a character cut off at the end.
fn decode_raw(enc: &'static Encoding, bytes: &[u8]) -> Raw {
    const MAX_RANGES: usize = 256;
    let mut decoder = enc.new_decoder_without_bom_handling();
    // 2 bytes of GB18030, Big5 or UTF-16 make at most 3 of UTF-8.
    let mut text = String::with_capacity(bytes.len().saturating_add(bytes.len() / 2));
    // Decode through a small buffer rather than into the String's spare capacity: encoding_rs
    // touches every page of the spare capacity on each call, and a wrong guess makes one call
    // per malformed sequence, which made a 700 KB GB18030 file take 0.2 s in the UTF-8 probe.
    let mut buf = [0u8; 8192];
    let mut bad = 0;
    let mut first_bad = None;
    let mut bad_ranges = Vec::new();
    let mut pos = 0;
    loop {
        let (result, read, written) = decoder.decode_to_utf8_without_replacement(&bytes[pos..], &mut buf, false);
        pos += read;
        push_utf8(&mut text, &buf[..written]);
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(len, after) => {
                let end = pos.saturating_sub(usize::from(after));
                let start = end.saturating_sub(usize::from(len));
                bad += 1;
                first_bad.get_or_insert(start);
                if bad_ranges.len() < MAX_RANGES {
                    bad_ranges.push((start, end));
                }
                text.push('\u{FFFD}');
            }
        }
    }
    // End of input: whatever the decoder still holds is an incomplete character.
    let mut cut_tail = false;
    for _ in 0..4 {
        let (result, _, written) = decoder.decode_to_utf8_without_replacement(b"", &mut buf, true);
        push_utf8(&mut text, &buf[..written]);
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(..) => cut_tail = true,
        }
    }
    let chars = text.chars().count();
    Raw { text, chars, bad, first_bad: first_bad.unwrap_or(0), bad_ranges, cut_tail }
}

/// encoding_rs only writes whole UTF-8 characters; checked anyway, since this is cheap and
/// keeps the module free of `unsafe`.
fn push_utf8(text: &mut String, utf8: &[u8]) {
    match std::str::from_utf8(utf8) {
        Ok(s) => text.push_str(s),
        Err(_) => text.push_str(&String::from_utf8_lossy(utf8)),
    }
}

// ---------------------------------------------------------------------------------------------
// Plausibility

#[derive(Default)]
struct Tally {
    total: usize,
    ascii: usize,
    non_ascii: usize,
    hanzi: usize,
    /// Possible in Chinese text but rare; a wrong guess produces many (kana, Greek...).
    rare: usize,
    /// Never in real text: what a wrong guess produces (private use, Hangul, Yi, controls).
    bad: usize,
    /// CJK punctuation (U+3000..=U+303F, fullwidth forms): real Chinese prose has some.
    cjk_punct: usize,
    /// Non-ASCII characters whose two UTF-16 bytes are both printable ASCII: 8-bit text
    /// misread as UTF-16 ("ab" -> U+6261) is all of them; real Chinese has about 28% (the
    /// seed bulletins), up to 58% in a short headline.
    ascii_pairs: usize,
}

fn tally(text: &str) -> Tally {
    let mut t = Tally::default();
    // U+FFFD marks decoding errors, which are counted (and judged) apart.
    for c in text.chars().filter(|&c| c != '\u{FFFD}') {
        t.total += 1;
        let u = u32::from(c);
        if c.is_ascii() {
            if matches!(c, '\t' | '\n' | '\r' | '\x0C' | ' '..='~') {
                t.ascii += 1;
            } else {
                t.bad += 1;
            }
            continue;
        }
        t.non_ascii += 1;
        let printable = |b: u32| matches!(b, 0x09 | 0x0A | 0x0D | 0x20..=0x7E);
        if u <= 0xFFFF && printable(u >> 8) && printable(u & 0xFF) {
            t.ascii_pairs += 1;
        }
        if matches!(u, 0x3000..=0x303F | 0xFF00..=0xFFEF) {
            t.cjk_punct += 1;
        }
        match u {
            // The one definition of a Han character (domain/han.rs), as everywhere else.
            _ if is_han(c) => t.hanzi += 1,
            // Latin-1 and pinyin letters, punctuation, symbols, CJK punctuation, fullwidth
            // forms, emoji: all usual in Chinese text.
            0xA0..=0x24F
            | 0x2B0..=0x2FF
            | 0x2000..=0x206F
            | 0x2100..=0x22FF
            | 0x2460..=0x27BF
            | 0x3000..=0x303F
            | 0x3200..=0x33FF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0x1F000..=0x1FAFF => {}
            0x370..=0x4FF
            | 0x1E00..=0x1EFF
            | 0x2070..=0x20CF
            | 0x2300..=0x23FF
            | 0x2E80..=0x2FFF
            | 0x3040..=0x31FF
            | 0xFE10..=0xFE1F
            | 0xFE50..=0xFE6F => t.rare += 1,
            _ => t.bad += 1,
        }
    }
    t
}

/// Latin text in Windows-1252: mostly ASCII, accented letters mostly between ASCII letters.
/// GB18030 read as Windows-1252 is all non-ASCII in pairs ("ÖØÇì"), and bytes undefined in
/// Windows-1252 decode to C1 controls.
fn plausible_latin(text: &str) -> bool {
    let (mut visible, mut non_ascii, mut adjacent) = (0usize, 0usize, 0usize);
    let mut prev_non_ascii = false;
    for c in text.chars() {
        if !c.is_whitespace() {
            visible += 1;
        }
        if c.is_ascii() {
            prev_non_ascii = false;
            continue;
        }
        if ('\u{80}'..='\u{9F}').contains(&c) || c == '\u{FFFD}' {
            return false;
        }
        non_ascii += 1;
        if prev_non_ascii {
            adjacent += 1;
        }
        prev_non_ascii = true;
    }
    non_ascii * 5 <= visible && adjacent * 3 <= non_ascii
}

// ---------------------------------------------------------------------------------------------
// Controls and line ends

fn is_binary_control(b: u8) -> bool {
    // Tab, newlines and form feed (page breaks from PDF extraction) are text; ESC starts the
    // colour codes of captured terminal output, which `sanitize` removes whole.
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F
}

/// Control characters in decoded text: more than 1 in 20 characters is binary data;
/// fewer get a warning, since `sanitize` will hide them.
fn check_controls(text: &str, warnings: &mut Vec<String>) -> Result<(), DecodeError> {
    let bytes = text.as_bytes();
    let (mut count, mut esc, mut total) = (0usize, 0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xC0 != 0x80 {
            total += 1;
        }
        if is_binary_control(b) {
            count += 1;
        } else if b == 0x1B {
            esc += 1;
        } else if b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)) {
            count += 1; // C1 control U+0080..=U+009F
        }
    }
    if count * 20 > total {
        return Err(DecodeError::ControlBytes { count, total });
    }
    if count + esc > 0 {
        warnings
            .push(format!("{} control character(s) or terminal escape codes in the file are not shown", count + esc));
    }
    Ok(())
}

/// Control bytes in undecodable input, to tell binary data from an unknown encoding.
fn raw_controls(bytes: &[u8]) -> (usize, usize) {
    let count = bytes.iter().filter(|&&b| is_binary_control(b)).count();
    (count, bytes.len())
}

/// CRLF (Windows) and lone CR (old Mac) become "\n".
fn normalize_line_ends(text: &mut String) {
    if !text.contains('\r') {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    *text = out;
}

#[cfg(test)]
mod tests;
