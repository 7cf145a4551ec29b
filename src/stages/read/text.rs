//! Text files: bytes to text.
//!
//! Input: the raw bytes of a text document. Output: a [`Decoded`] with the text (line ends
//! normalised to `\n`), the encoding that was used, the number of malformed sequences that were
//! replaced by U+FFFD, and how lines ended. Decoding never fails; what could not be read is
//! counted. The other readers build on it: a web page without a declared charset is decoded
//! here, and every reader gives its text as a [`Decoded`].
//!
//! Order: a byte-order mark wins; then UTF-8 when the bytes are valid UTF-8 without NUL bytes;
//! then UTF-16 without a mark when the bytes read as plausible UTF-16 text; then UTF-8 with
//! NULs; then UTF-8 with a few broken sequences; then `chardetng` (GB18030/GBK, Big5, …) from
//! the first non-ASCII byte on, over the first 4,096 non-ASCII bytes (64 KiB at most), or over
//! the first 1,024 when it already says GBK there and they read as clean Chinese in GBK.
//!
//! Line ends: CRLF and a lone CR both become LF before any other stage sees the text, so every
//! character offset in the output is the same whichever line ends the file used.

use std::ops::Range;

use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};
use sha2::{Digest, Sha256};

use super::Format;

/// How the lines of the input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndings {
    /// No line break at all.
    None,
    /// `\n` only.
    Lf,
    /// `\r\n` only.
    CrLf,
    /// `\r` only.
    Cr,
    /// More than one kind.
    Mixed,
}

impl LineEndings {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEndings::None => "none",
            LineEndings::Lf => "lf",
            LineEndings::CrLf => "crlf",
            LineEndings::Cr => "cr",
            LineEndings::Mixed => "mixed",
        }
    }
}

/// The decoded text and what was learned while decoding it.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, line ends normalised to `\n`, without a byte-order mark.
    pub text: String,
    /// The WHATWG name of the encoding used (`UTF-8`, `GBK`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// Whether the input began with a byte-order mark.
    pub bom: bool,
    /// Malformed byte sequences replaced by U+FFFD.
    pub replacements: usize,
    /// How the input's lines ended.
    pub line_endings: LineEndings,
    /// Lowercase hex SHA-256 of the raw input bytes.
    pub sha256: String,
    /// What kind of document the text was read from.
    pub format: Format,
    /// The tables of the text, as byte ranges of `text`: each runs from the start of a table's
    /// first row to the end of its last, one row a line with its cells apart by tabs. Empty for
    /// plain text, whose tables are not marked.
    pub tables: Vec<Range<usize>>,
}

impl Decoded {
    /// The text a reader extracted from a document of `format`, with the tables it marked;
    /// `encoding` names how the text was stored, and `replacements` counts what could not be
    /// read. Line ends are normalised here.
    pub fn extracted(
        bytes: &[u8],
        format: Format,
        encoding: &'static str,
        text: String,
        tables: Vec<Range<usize>>,
        replacements: usize,
    ) -> Decoded {
        let (text, line_endings) = normalize_line_endings(text);
        Decoded {
            text,
            encoding,
            bom: false,
            replacements,
            line_endings,
            sha256: hex(&Sha256::digest(bytes)),
            format,
            tables,
        }
    }
}

/// How many bytes `chardetng` looks at, at most.
const DETECT_LIMIT: usize = 64 * 1024;

/// How many characters the check for binary input looks at.
const BINARY_SAMPLE_CHARS: usize = 64 * 1024;

/// How many non-ASCII bytes `chardetng` needs to see (about 2,000 Chinese characters).
const DETECT_NON_ASCII: usize = 4096;

/// After how many non-ASCII bytes a verdict of GBK is taken when the sample reads as clean
/// Chinese in GBK (about 500 characters).
const EARLY_NON_ASCII: usize = 1024;

/// Decodes `bytes` (see the module docs for the order of decisions).
pub fn decode(bytes: &[u8]) -> Decoded {
    let sha256 = hex(&Sha256::digest(bytes));
    let (encoding, bom_len, valid) = detect(bytes);
    let (raw, replacements) = match valid {
        // Already validated: no second pass through a decoder.
        Some(s) => (s.to_owned(), 0),
        None => decode_with(encoding, &bytes[bom_len..]),
    };
    let (text, line_endings) = normalize_line_endings(raw);
    // One decoder reads both; the name says whether the text needed GB18030's four-byte codes.
    let encoding = if encoding == GBK && has_four_byte_gb18030(&bytes[bom_len..]) {
        GB18030
    } else {
        encoding
    };
    Decoded {
        text,
        encoding: encoding.name(),
        bom: bom_len > 0,
        replacements,
        line_endings,
        sha256,
        format: Format::Text,
        tables: Vec::new(),
    }
}

/// Picks the encoding of `bytes`; returns it with the length of its byte-order mark and, when
/// the whole input is valid UTF-8 read as such, the text itself.
fn detect(bytes: &[u8]) -> (&'static Encoding, usize, Option<&str>) {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, len, None);
    }
    // The SIMD validator: std's takes about ten instructions a byte on Chinese text.
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    if utf8.is_some() && memchr::memchr(0, bytes).is_none() {
        return (UTF_8, 0, utf8);
    }
    if let Some(enc) = sniff_utf16(bytes) {
        return (enc, 0, None);
    }
    if utf8.is_some() {
        return (UTF_8, 0, utf8);
    }
    if mostly_utf8(bytes) {
        return (UTF_8, 0, None);
    }
    let (enc, _) = sniff_legacy(bytes);
    (enc, 0, None)
}

/// The legacy encoding of `bytes` as chardetng sees it, with the end of the text it read.
/// chardetng reads about 5 MB/s. ASCII tells no encoding from another, so it gets the text from
/// the first non-ASCII byte on, until it has seen enough non-ASCII bytes to tell the Chinese
/// encodings apart (64 KiB at most).
fn sniff_legacy(bytes: &[u8]) -> (&'static Encoding, usize) {
    let from = bytes
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len());
    let (early, cut) = sample_ends(bytes, from);
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // Most legacy input is GBK: when the opening already says so and reads as clean Chinese in
    // it, the rest of the sample (three quarters of the detector's time) is not needed.
    det.feed(&bytes[from..early], early == bytes.len());
    if early < cut {
        if det.guess(None, chardetng::Utf8Detection::Deny) == GBK && clean_gbk(&bytes[from..early])
        {
            return (GBK, early);
        }
        det.feed(&bytes[early..cut], cut == bytes.len());
    }
    let guess = det.guess(None, chardetng::Utf8Detection::Deny);
    if guess == GBK || guess == BIG5 {
        return (guess, cut);
    }
    (chinese_with_errors(&bytes[from..cut]).unwrap_or(guess), cut)
}

/// Whether GB18030 `bytes` hold a four-byte code: lead, digit, lead, digit (no two-byte, GBK,
/// code has a digit second).
fn has_four_byte_gb18030(bytes: &[u8]) -> bool {
    let lead = |j: usize| bytes.get(j).is_some_and(|b| (0x81..=0xFE).contains(b));
    let digit = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < bytes.len() {
        if lead(i) {
            if digit(i + 1) && lead(i + 2) && digit(i + 3) {
                return true;
            }
            // A malformed second byte is ASCII or no lead, and a code cut short after its
            // digit goes on at its third byte, as the decoder reads them: stepping over two
            // bytes misses no code.
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// Where the opening and the whole of chardetng's sample end: after [`EARLY_NON_ASCII`] and
/// [`DETECT_NON_ASCII`] non-ASCII bytes from `from`, within [`DETECT_LIMIT`].
fn sample_ends(bytes: &[u8], from: usize) -> (usize, usize) {
    let end = bytes.len().min(from + DETECT_LIMIT);
    let (mut early, mut cut) = (end, end);
    let mut seen = 0;
    for (i, b) in bytes[from..end].iter().enumerate() {
        if !b.is_ascii() {
            if seen == EARLY_NON_ASCII {
                early = from + i;
            }
            if seen == DETECT_NON_ASCII {
                cut = from + i;
                break;
            }
            seen += 1;
        }
    }
    (early, cut)
}

/// Whether `opening` reads in GBK without a malformed sequence (one cut short at its end aside),
/// as text that is nearly all Chinese: Big5 read as GBK gives private-use and other odd
/// characters.
fn clean_gbk(opening: &[u8]) -> bool {
    let (text, errors) = decode_part(GBK, opening, false);
    let (non_ascii, chinese) = chinese_share(&text);
    errors == 0 && non_ascii >= 64 && chinese * 50 >= non_ascii * 49
}

/// The non-ASCII characters of `text` other than U+FFFD, and how many of them are characters
/// of Chinese text.
fn chinese_share(text: &str) -> (usize, usize) {
    let (mut non_ascii, mut chinese) = (0usize, 0usize);
    for c in text.chars().filter(|&c| !c.is_ascii() && c != '\u{FFFD}') {
        non_ascii += 1;
        chinese += usize::from(plausible_char(c));
    }
    (non_ascii, chinese)
}

/// chardetng rules out an encoding at its first malformed sequence, so GBK text with one
/// broken byte comes back as a single-byte encoding. Reads the sample as GBK and Big5 and
/// keeps the one under which nearly all non-ASCII characters are Chinese and errors are few.
fn chinese_with_errors(sample: &[u8]) -> Option<&'static Encoding> {
    let mut best: Option<(&'static Encoding, usize)> = None;
    for enc in [GBK, BIG5] {
        let (text, errors) = decode_with(enc, sample);
        let (non_ascii, chinese) = chinese_share(&text);
        if non_ascii >= 8
            && chinese * 10 >= non_ascii * 9
            && errors * 20 <= chinese
            && best.is_none_or(|(_, e)| errors < e)
        {
            best = Some((enc, errors));
        }
    }
    best.map(|(e, _)| e)
}

/// Recognises UTF-16 without a byte-order mark: even length, no broken surrogates, and nearly
/// every unit a character that policy text is made of (Han, CJK punctuation, ASCII, full-width).
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    const THRESHOLD: f64 = 0.95;
    let sample = &bytes[..bytes.len().min(DETECT_LIMIT) & !1];
    // The share of plausible characters, or 0 once it cannot reach the threshold: there are
    // at most as many characters as units, so that many bad ones already decide it.
    let hopeless = ((1.0 - THRESHOLD) * (sample.len() / 2) as f64).floor() as usize;
    let score = |le: bool| -> f64 {
        let units = sample.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        let mut total = 0usize;
        let mut good = 0usize;
        for r in char::decode_utf16(units) {
            total += 1;
            if r.is_ok_and(plausible_char) {
                good += 1;
            } else if total - good > hopeless {
                return 0.0;
            }
        }
        if total == 0 {
            0.0
        } else {
            good as f64 / total as f64
        }
    };
    let (le, be) = (score(true), score(false));
    if le >= THRESHOLD && le >= be {
        Some(UTF_16LE)
    } else if be >= THRESHOLD {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 with a few broken sequences: valid multi-byte characters outnumber the broken
/// sequences four to one. (GBK or Big5 bytes rarely form valid multi-byte UTF-8.)
fn mostly_utf8(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(DETECT_LIMIT)];
    let mut multibyte = 0usize;
    let mut broken = 0usize;
    let mut read = 0;
    for chunk in sample.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        read += chunk.valid().len() + chunk.invalid().len();
        if !chunk.invalid().is_empty() {
            broken += 1;
            // Decided once the rest of the sample, all two-byte characters, could not
            // outweigh the broken sequences.
            if broken * 4 > multibyte + (sample.len() - read) / 2 {
                return false;
            }
        }
    }
    multibyte > 0 && broken * 4 <= multibyte
}

/// Characters that make up Chinese policy text.
fn plausible_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~'
        | '\u{00B7}' | '\u{2000}'..='\u{206F}' | '\u{2100}'..='\u{24FF}'
        | '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{FE30}'..='\u{FE4F}')
}

/// Decodes `bytes` (without a byte-order mark) as `enc`, which the caller knows: a web page's
/// declared charset.
pub fn decode_as(bytes: &[u8], enc: &'static Encoding) -> Decoded {
    let (raw, replacements) = decode_with(enc, bytes);
    let (text, line_endings) = normalize_line_endings(raw);
    Decoded {
        text,
        encoding: enc.name(),
        bom: false,
        replacements,
        line_endings,
        sha256: hex(&Sha256::digest(bytes)),
        format: Format::Text,
        tables: Vec::new(),
    }
}

/// Decodes with `enc`, replacing malformed sequences by U+FFFD and counting them.
fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    decode_part(enc, bytes, true)
}

/// [`decode_with`] on the first `bytes` of a longer input when `last` is false: a sequence cut
/// short at the end is not counted.
fn decode_part(enc: &'static Encoding, bytes: &[u8], last: bool) -> (String, usize) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3))
        .saturating_add(16);
    let mut out = String::with_capacity(cap);
    let mut replacements = 0;
    let mut src = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut out, last);
        src = &src[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::Malformed(_, _) => {
                replacements += 1;
                out.push('\u{FFFD}');
            }
            DecoderResult::OutputFull => {
                out.reserve(src.len().saturating_mul(3).saturating_add(16));
            }
        }
    }
    (out, replacements)
}

/// Replaces CRLF and lone CR by LF; reports which kinds occurred.
fn normalize_line_endings(s: String) -> (String, LineEndings) {
    let (mut lf, mut crlf, mut cr) = (false, false, false);
    if !s.contains('\r') {
        let kind = if s.contains('\n') {
            LineEndings::Lf
        } else {
            LineEndings::None
        };
        return (s, kind);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                    crlf = true;
                } else {
                    cr = true;
                }
                out.push('\n');
            }
            '\n' => {
                lf = true;
                out.push('\n');
            }
            _ => out.push(c),
        }
    }
    let kind = match (lf, crlf, cr) {
        (true, false, false) => LineEndings::Lf,
        (false, true, false) => LineEndings::CrLf,
        (false, false, true) => LineEndings::Cr,
        _ => LineEndings::Mixed,
    };
    (out, kind)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Why some bytes are not a text document, if they are not: a known binary signature, or
/// decoded text that is mostly control characters and replacements.
pub fn binary_reason(bytes: &[u8], decoded: &Decoded) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF file"),
        (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
        (b"PK\x05\x06", "a ZIP archive"),
        (b"\x7fELF", "an ELF executable"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"Rar!\x1a\x07", "a RAR archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE file (DOC/XLS)"),
        (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
        (b"\0asm", "a WebAssembly module"),
    ];
    if decoded.bom {
        return None;
    }
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(format!("not a text document: looks like {what}"));
        }
    }
    // The first 65,536 characters, counted on bytes: a character starts at a byte that does
    // not continue one; the controls are C0 (bar line feed, tab and form feed), DEL and C1
    // (`C2 80`–`C2 9F`). Per byte a 0/1 summed in u8 lanes, 255 bytes at a time, vectorises.
    let text = decoded.text.as_bytes();
    let starts = |b: u8| (b as i8) >= -0x40;
    let (mut total, mut cut) = (0usize, text.len());
    for (k, chunk) in text.chunks(255).enumerate() {
        let n: u8 = chunk.iter().map(|&b| u8::from(starts(b))).sum();
        if total + usize::from(n) > BINARY_SAMPLE_CHARS {
            // The character after the limit starts in this chunk: cut there.
            let over = chunk
                .iter()
                .enumerate()
                .filter(|&(_, &b)| starts(b))
                .nth(BINARY_SAMPLE_CHARS - total)
                .map_or(chunk.len(), |(j, _)| j);
            cut = k * 255 + over;
            total = BINARY_SAMPLE_CHARS;
            break;
        }
        total += usize::from(n);
    }
    let sample = &text[..cut];
    let mut c0 = 0usize;
    for chunk in sample.chunks(255) {
        let controls: u8 = chunk
            .iter()
            .map(|&b| {
                u8::from((b < 0x20) & (b != b'\n') & (b != b'\t') & (b != 0x0c) | (b == 0x7f))
            })
            .sum();
        c0 += usize::from(controls);
    }
    let c1 = memchr::memchr_iter(0xC2, sample)
        .filter(|&i| matches!(sample.get(i + 1), Some(0x80..=0x9F)))
        .count();
    let replaced = memchr::memmem::find_iter(sample, "\u{FFFD}".as_bytes()).count();
    // A few broken sequences in text that otherwise reads (four readable non-ASCII characters
    // to one replacement, as `mostly_utf8` asks of UTF-8) are malformed bytes, reported as
    // such, not a sign of binary input: a short notice with three broken bytes is still text.
    let non_ascii = sample.iter().filter(|&&b| b >= 0xC0).count();
    let readable = non_ascii.saturating_sub(replaced);
    let replaced = if replaced * 4 <= readable {
        0
    } else {
        replaced
    };
    let bad = c0 + c1 + replaced;
    if total > 0 && bad * 10 > total {
        return Some(format!(
            "not a text document: {bad} of the first {total} characters are control characters or undecodable bytes"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "关于印发《鄄城县三年行动计划(2023—2025年)》的通知\n一、总体要求\n到2025年,产值达到418亿元左右。\n";

    /// [`sniff_utf16`] and [`mostly_utf8`] as first written, reading the whole sample.
    fn sniff_utf16_whole(bytes: &[u8]) -> Option<&'static Encoding> {
        if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
            return None;
        }
        let sample = &bytes[..bytes.len().min(DETECT_LIMIT) & !1];
        let score = |le: bool| {
            let units = sample.chunks_exact(2).map(|p| {
                if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            });
            let (mut total, mut good) = (0, 0);
            for r in char::decode_utf16(units) {
                total += 1;
                good += usize::from(r.is_ok_and(plausible_char));
            }
            if total == 0 {
                0.0
            } else {
                good as f64 / total as f64
            }
        };
        let (le, be) = (score(true), score(false));
        if le >= 0.95 && le >= be {
            Some(UTF_16LE)
        } else if be >= 0.95 {
            Some(UTF_16BE)
        } else {
            None
        }
    }

    fn mostly_utf8_whole(bytes: &[u8]) -> bool {
        let sample = &bytes[..bytes.len().min(DETECT_LIMIT)];
        let (mut multibyte, mut broken) = (0, 0);
        for chunk in sample.utf8_chunks() {
            multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            broken += usize::from(!chunk.invalid().is_empty());
        }
        multibyte > 0 && broken * 4 <= multibyte
    }

    proptest::proptest! {
        /// Stopping once the answer is known gives the answer of the whole sample, on pieces
        /// of text in UTF-8, GBK and UTF-16 run together with stray bytes.
        #[test]
        fn early_verdicts_are_those_of_the_whole_sample(
            parts in proptest::collection::vec(
                (0..5u8, "[一、总体要求2025年,a\n]{0,30}", proptest::num::u8::ANY), 0..12),
        ) {
            let mut bytes = Vec::new();
            for (how, text, stray) in &parts {
                match how {
                    0 => bytes.extend_from_slice(text.as_bytes()),
                    1 => bytes.extend(encode(GBK, text)),
                    2 => bytes.extend(encode(UTF_16LE, text)),
                    3 => bytes.extend(encode(UTF_16BE, text)),
                    _ => bytes.push(*stray),
                }
            }
            proptest::prop_assert_eq!(sniff_utf16(&bytes), sniff_utf16_whole(&bytes));
            proptest::prop_assert_eq!(mostly_utf8(&bytes), mostly_utf8_whole(&bytes));
        }
    }

    #[test]
    fn early_verdicts_agree_on_every_fixture_encoding() {
        for (_, text) in crate::fixture_texts() {
            for enc in [UTF_8, GBK, BIG5, UTF_16LE, UTF_16BE] {
                let mut bytes = encode(enc, &text);
                for b in [None, Some(0xFF)] {
                    bytes.extend(b);
                    assert_eq!(
                        sniff_utf16(&bytes),
                        sniff_utf16_whole(&bytes),
                        "{}",
                        enc.name()
                    );
                    assert_eq!(
                        mostly_utf8(&bytes),
                        mostly_utf8_whole(&bytes),
                        "{}",
                        enc.name()
                    );
                }
            }
        }
    }

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        if enc == UTF_16LE {
            return s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        }
        if enc == UTF_16BE {
            return s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        }
        enc.encode(s).0.into_owned()
    }

    #[test]
    fn big5_and_gbk_are_told_apart_from_a_short_sample() {
        let traditional = "關於印發《縣級推動綠色低碳高質量發展三年行動計劃》的通知\n各鄉鎮人民政府，縣政府各部門：\n現將計劃印發給你們，請認真組織實施。\n一、總體要求\n到2025年，新能源產業產值達到418億元左右，單位生產總值能耗下降13.5%。\n（牽頭單位：縣發展和改革局；責任單位：各鄉鎮人民政府）\n";
        let big5 = encode(BIG5, &traditional.repeat(40));
        let d = decode(&big5);
        assert_eq!((d.encoding, d.replacements), ("Big5", 0));
        assert!(
            d.text == traditional.repeat(40),
            "Big5 text read back differently"
        );
        // A long ASCII prologue (page chrome) before the Chinese text.
        let mut gbk = b"| title: | x |\n".repeat(5000);
        gbk.extend(encode(GBK, &SAMPLE.repeat(400)));
        let d = decode(&gbk);
        assert_eq!((d.encoding, d.replacements), ("GBK", 0));
        assert!(d.text.ends_with(SAMPLE));
    }

    /// The encoding chardetng gives after the whole sample, and where that sample ends.
    fn full_verdict(bytes: &[u8]) -> (&'static Encoding, usize) {
        let from = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
        let (_, cut) = sample_ends(bytes, from);
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(&bytes[from..cut], cut == bytes.len());
        (det.guess(None, chardetng::Utf8Detection::Deny), cut)
    }

    #[test]
    fn gbk_is_told_from_the_opening_only_when_it_is_clean_chinese() {
        // Every fixture in GBK: told from its opening, as the whole sample would tell it.
        let mut early = 0;
        for (path, text) in crate::fixture_texts() {
            let bytes = encode(GBK, &text);
            let (enc, read) = sniff_legacy(&bytes);
            let (full, cut) = full_verdict(&bytes);
            assert_eq!((enc, full), (GBK, GBK), "{path}");
            early += usize::from(read < cut);
        }
        assert!(
            early >= 10,
            "only {early} fixtures were told from their opening"
        );
        // A GBK character whose second byte is ASCII (`㎡`) moves the opening's end into the
        // middle of a character, which is no malformed sequence.
        let bytes = encode(GBK, &format!("面积10㎡。{}", SAMPLE.repeat(100)));
        let (enc, read) = sniff_legacy(&bytes);
        assert!(enc == GBK && read < full_verdict(&bytes).1);
        // Not clean Chinese in GBK, or not GBK: the whole sample decides, as before.
        let traditional = "關於印發《縣級推動綠色低碳高質量發展三年行動計劃》的通知\n現將計劃印發給你們，請認真組織實施。\n";
        let korean = "정부는 국민의 안전과 행복을 위하여 최선을 다하고 있습니다. 지방자치단체는 계획을 수립한다.\n";
        let japanese =
            "政府は国民の安全と幸福のために最善を尽くしています。地方公共団体は計画を策定する。\n";
        let mut malformed = encode(GBK, &SAMPLE.repeat(100));
        malformed.insert(100, 0xFF);
        let cases = [
            encode(BIG5, &traditional.repeat(60)),
            encode(encoding_rs::EUC_KR, &korean.repeat(60)),
            encode(encoding_rs::SHIFT_JIS, &japanese.repeat(60)),
            encode(
                GBK,
                &format!("{}{}", "■★■★".repeat(200), SAMPLE.repeat(100)),
            ),
            malformed,
        ];
        for bytes in cases {
            let (enc, read) = sniff_legacy(&bytes);
            let (full, cut) = full_verdict(&bytes);
            assert_eq!(read, cut, "{}: read only the opening", enc.name());
            if full == GBK || full == BIG5 {
                assert_eq!(enc, full);
            }
        }
        let d = decode(&encode(
            GBK,
            &format!("{}{}", "■★".repeat(400), SAMPLE.repeat(100)),
        ));
        assert_eq!((d.encoding, d.replacements), ("GBK", 0));
    }

    #[test]
    fn the_binary_check_reads_the_first_65536_characters() {
        let text = |controls: usize| {
            format!(
                "通知\n{}{}{}",
                "一".repeat(15_000),
                "\u{b}".repeat(controls),
                "二".repeat(60_000)
            )
        };
        // 3,000 controls in 65,536 characters: text; 7,000: binary.
        for (controls, binary) in [(3_000, false), (7_000, true)] {
            let t = text(controls);
            let why = binary_reason(t.as_bytes(), &decode(t.as_bytes()));
            assert_eq!(why.is_some(), binary, "{why:?}");
            if let Some(why) = why {
                assert!(
                    why.contains(&format!("{controls} of the first 65536")),
                    "{why}"
                );
            }
        }
    }

    #[test]
    fn utf8_plain() {
        let d = decode(SAMPLE.as_bytes());
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, SAMPLE);
        assert_eq!(d.replacements, 0);
        assert!(!d.bom);
        assert_eq!(d.line_endings, LineEndings::Lf);
    }

    #[test]
    fn boms_are_honoured_and_stripped() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b);
        assert_eq!(
            (d.encoding, d.bom, d.text.as_str()),
            ("UTF-8", true, SAMPLE)
        );

        for (enc, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut b = bom.to_vec();
            b.extend(encode(enc, SAMPLE));
            let d = decode(&b);
            assert_eq!(d.encoding, enc.name());
            assert!(d.bom);
            assert_eq!(d.text, SAMPLE);
        }
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        for enc in [UTF_16LE, UTF_16BE] {
            let d = decode(&encode(enc, SAMPLE));
            assert_eq!(d.encoding, enc.name());
            assert!(!d.bom);
            assert_eq!(d.text, SAMPLE);
        }
    }

    #[test]
    fn gbk_is_detected() {
        let d = decode(&encode(encoding_rs::GBK, SAMPLE));
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, SAMPLE);
        assert_eq!(d.replacements, 0);
    }

    #[test]
    fn gb18030_is_named_when_it_has_four_byte_codes() {
        // A digit after a two-byte character (`年2025`) is no four-byte code.
        let plain = format!("{SAMPLE}到2025年,建成1个。");
        let d = decode(&encode(GB18030, &plain));
        assert_eq!((d.encoding, d.text.as_str()), ("GBK", plain.as_str()));
        // A character cut short before a digit (`年` is `C4 EA`) is no four-byte code.
        let mut cut = encode(GBK, &plain);
        cut.push(0xC4);
        cut.extend_from_slice(b"2025");
        let d = decode(&cut);
        assert_eq!((d.encoding, d.replacements), ("GBK", 1));
        // `㐀` (CJK extension A) and `𠀀` (beyond the BMP) have four-byte codes only.
        for rare in ["㐀", "𠀀"] {
            let text = format!("{plain}{rare}2025年。");
            let d = decode(&encode(GB18030, &text));
            assert_eq!(
                (d.encoding, d.text.as_str(), d.replacements),
                ("gb18030", text.as_str(), 0)
            );
        }
    }

    #[test]
    fn ascii_english_stays_utf8() {
        let d = decode(b"hello world, this is plain text\n");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn malformed_bytes_are_counted() {
        let mut b = "一、总体".as_bytes().to_vec();
        b.push(0xFF);
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replacements, 1);
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn malformed_gbk_is_still_gbk() {
        let mut b = encode(encoding_rs::GBK, SAMPLE);
        b.insert(10, 0xFF);
        let d = decode(&b);
        assert_eq!(d.encoding, "GBK");
        assert!(d.replacements >= 1);
    }

    #[test]
    fn line_endings_are_normalised() {
        let d = decode("a\r\nb\r\nc".as_bytes());
        assert_eq!(
            (d.text.as_str(), d.line_endings),
            ("a\nb\nc", LineEndings::CrLf)
        );
        let d = decode("a\rb".as_bytes());
        assert_eq!((d.text.as_str(), d.line_endings), ("a\nb", LineEndings::Cr));
        let d = decode("a\r\nb\nc".as_bytes());
        assert_eq!(d.line_endings, LineEndings::Mixed);
        let d = decode(b"abc");
        assert_eq!(d.line_endings, LineEndings::None);
    }

    #[test]
    fn binary_inputs_are_recognised() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(binary_reason(png, &decode(png)).is_some());
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(binary_reason(&noise, &decode(&noise)).is_some());
        assert!(binary_reason(SAMPLE.as_bytes(), &decode(SAMPLE.as_bytes())).is_none());
    }

    #[test]
    fn a_short_notice_with_three_broken_bytes_is_text() {
        let notice =
            "关于做好2024年春节期间安全生产工作的通知\n一、加强隐患排查\n二、落实值班制度\n";
        let mut bytes = notice.as_bytes().to_vec();
        // Three stray bytes between characters (from the end, so the offsets hold).
        for at in [68, 31, 3] {
            bytes.insert(at, 0xFF);
        }
        let d = decode(&bytes);
        assert_eq!((d.encoding, d.replacements), ("UTF-8", 3));
        assert_eq!(binary_reason(&bytes, &d), None);
        // Noise is still refused (`binary_inputs_are_recognised`).
    }

    #[test]
    fn sha256_is_of_the_raw_bytes() {
        assert_eq!(
            decode(b"").sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
