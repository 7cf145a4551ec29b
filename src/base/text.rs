//! The decoded text in two forms: as written, and width-normalised for recognition.
//!
//! Input: the decoded string (line ends already normalised to `\n`). Output: a [`Text`] holding
//! the original and a normalised copy in which full-width ASCII forms (`（），：；１２`), the
//! ideographic space and the tortoise-shell/lenticular brackets (`〔〕【】`) are replaced by
//! their ASCII counterparts, and Markdown emphasis and heading marks are blanked. Normalisation
//! maps every character to exactly one character, so a character offset means the same place in
//! both strings. Every later stage recognises on the
//! normalised string with byte spans and reads names and titles "as written" from the original.

use std::borrow::Cow;
use std::ops::Range;

/// A byte range into the normalised text.
pub type ByteSpan = Range<usize>;

/// The normalised text is counted in blocks of this many bytes: every emitted span is converted
/// to characters, and a conversion counts at most one block. The table costs a word per block,
/// 1/16 of the text.
const BLOCK: usize = 128;
// A block's characters are summed in a u8.
const _: () = assert!(BLOCK <= 255);

/// The characters that begin in `bytes` (at most [`BLOCK`] of them): its bytes that are no
/// UTF-8 continuation, summed in u8 lanes so that the loop vectorises.
fn chars_in(bytes: &[u8]) -> usize {
    let n: u8 = bytes.iter().map(|&b| u8::from((b as i8) >= -0x40)).sum();
    usize::from(n)
}

/// The decoded document text, as written and width-normalised.
#[derive(Debug, Clone)]
pub struct Text {
    original: String,
    norm: String,
    /// `(norm_byte, orig_byte)` after each character whose encoded length changed.
    anchors: Vec<(usize, usize)>,
    /// Characters that start before byte `k * BLOCK`, for each `k`.
    block_chars: Vec<usize>,
    /// Normalised byte offset at which each line starts.
    line_starts: Vec<usize>,
    chars: usize,
}

/// The recognition form of one character: full-width ASCII forms become ASCII, the ideographic
/// and no-break spaces a space, and the CJK square-ish brackets `[` `]`.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        '〔' | '【' | '〖' => '[',
        '〕' | '】' | '〗' => ']',
        _ => c,
    }
}

/// The width-normalised form of a string (see [`normalize_char`]).
pub fn normalize_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    for (at, c, n) in changes(s) {
        out.push_str(&s[run..at]);
        out.push(n);
        run = at + c.len_utf8();
    }
    out.push_str(&s[run..]);
    out
}

/// The characters of `s` that normalisation changes: byte offset, character, replacement.
fn changes(s: &str) -> impl Iterator<Item = (usize, char, char)> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    // Every character that normalisation changes starts with one of these bytes (U+00A0,
    // U+3000–U+3017, U+FF01–U+FF5E), none of which is a continuation byte. Between them the
    // text is unchanged.
    std::iter::from_fn(move || {
        while let Some(k) = memchr::memchr3(0xC2, 0xE3, 0xEF, bytes.get(i..)?) {
            let p = i + k;
            let c = s.get(p..)?.chars().next()?;
            i = p + c.len_utf8();
            let n = normalize_char(c);
            if n != c {
                return Some((p, c, n));
            }
        }
        i = bytes.len();
        None
    })
}

/// Blanks the Markdown that scraped pages carry in text files, which is presentation as width
/// is: emphasis runs (`**三、**`, `**标题**`: two or more `*`) and a heading's `#`s at a line's
/// start (`## 政策原文`). Each becomes spaces of the same length, so offsets are kept.
fn blank_markup(norm: &mut String) {
    let bytes = norm.as_bytes();
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memmem::find(bytes.get(i..).unwrap_or_default(), b"**") {
        let start = i + k;
        let end = start + bytes[start..].iter().take_while(|&&b| b == b'*').count();
        runs.push(start..end);
        i = end;
    }
    for at in memchr::memchr_iter(b'#', bytes) {
        if at > 0 && bytes[at - 1] != b'\n' {
            continue;
        }
        let hashes = bytes[at..].iter().take_while(|&&b| b == b'#').count();
        if hashes <= 6 && bytes.get(at + hashes) == Some(&b' ') {
            runs.push(at..at + hashes);
        }
    }
    for r in runs {
        let spaces = " ".repeat(r.len());
        norm.replace_range(r, &spaces);
    }
}

impl Text {
    /// Builds both forms of `original`.
    pub fn new(original: String) -> Self {
        let mut norm = String::with_capacity(original.len());
        let mut anchors = Vec::new();
        let mut run = 0;
        for (p, c, n) in changes(&original) {
            norm.push_str(&original[run..p]);
            norm.push(n);
            run = p + c.len_utf8();
            if n.len_utf8() != c.len_utf8() {
                anchors.push((norm.len(), run));
            }
        }
        norm.push_str(&original[run..]);
        blank_markup(&mut norm);

        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', norm.as_bytes()).map(|k| k + 1));
        let mut block_chars = Vec::with_capacity(norm.len() / BLOCK + 1);
        let mut chars = 0usize;
        for block in norm.as_bytes().chunks(BLOCK) {
            block_chars.push(chars);
            chars += chars_in(block);
        }
        Text {
            original,
            norm,
            anchors,
            block_chars,
            line_starts,
            chars,
        }
    }

    /// The text as written.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The width-normalised text.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// Number of characters (Unicode scalar values).
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// Byte offset in the original text of normalised byte offset `n` (a char boundary).
    pub fn orig_offset(&self, n: usize) -> usize {
        let i = self.anchors.partition_point(|&(nb, _)| nb <= n);
        if i == 0 {
            n
        } else {
            let (nb, ob) = self.anchors[i - 1];
            ob + (n - nb)
        }
    }

    /// The original ("as written") text of a normalised span.
    pub fn as_written(&self, span: &ByteSpan) -> &str {
        let (s, e) = (self.orig_offset(span.start), self.orig_offset(span.end));
        self.original.get(s..e).unwrap_or("")
    }

    /// The normalised text of a span.
    pub fn normalised(&self, span: &ByteSpan) -> &str {
        self.norm.get(span.clone()).unwrap_or("")
    }

    /// Character index of normalised byte offset `n` (a char boundary).
    pub fn char_index(&self, n: usize) -> usize {
        let n = n.min(self.norm.len());
        let k = n / BLOCK;
        let Some(&before) = self.block_chars.get(k) else {
            return self.chars;
        };
        let from = k * BLOCK;
        before + chars_in(&self.norm.as_bytes()[from..n])
    }

    /// 1-based line number of normalised byte offset `n`.
    pub fn line_of(&self, n: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= n).max(1)
    }
}

/// Trims whitespace (after normalisation, the ideographic space is a space) from both ends of
/// `span` within `s`.
pub fn trim_span(s: &str, span: ByteSpan) -> ByteSpan {
    let Some(sub) = s.get(span.clone()) else {
        return span.start..span.start;
    };
    let lead = sub.len() - sub.trim_start().len();
    let trail = sub.len() - sub.trim_end().len();
    if lead == sub.len() {
        return span.start..span.start;
    }
    span.start + lead..span.end - trail
}

/// Splits a list at top-level `,` `;` (full- or half-width), never inside brackets or quotes.
pub fn split_top_level(text: &Text, span: &ByteSpan, seps: &[char]) -> Vec<ByteSpan> {
    let s = text.normalised(span);
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '《' | '“' | '{' | '<' | '‘' | '「' => depth += 1,
            ')' | ']' | '》' | '”' | '}' | '>' | '’' | '」' => depth = (depth - 1).max(0),
            _ if depth == 0 && seps.contains(&c) => {
                out.push(trim_span(text.norm(), span.start + start..span.start + i));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(trim_span(text.norm(), span.start + start..span.end));
    out.retain(|s| !s.is_empty());
    out
}

/// Text compared without width or spacing differences.
pub fn squash(s: &str) -> String {
    squash_normalised(&normalize_str(s)).into_owned()
}

/// [`squash`] of text already width-normalised, borrowed when it holds no whitespace.
pub fn squash_normalised(s: &str) -> Cow<'_, str> {
    if s.contains(char::is_whitespace) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_full_width_one_char_per_char() {
        let t = Text::new("（一）总体要求：１２\u{3000}〔2023〕".to_string());
        assert_eq!(t.norm(), "(一)总体要求:12 [2023]");
        assert_eq!(t.chars(), t.norm().chars().count());
        assert_eq!(t.chars(), t.original().chars().count());
    }

    #[test]
    fn slices_map_back_to_original() {
        let t = Text::new("甲（乙）丙，丁\n戊".to_string());
        let n = t.norm();
        let start = n.find('(').unwrap();
        let end = n.find(')').unwrap() + 1;
        assert_eq!(t.as_written(&(start..end)), "（乙）");
        let d = n.find('丁').unwrap();
        assert_eq!(t.as_written(&(d..d + '丁'.len_utf8())), "丁");
        assert_eq!(t.char_index(d), 6);
        assert_eq!(t.line_of(d), 1);
        assert_eq!(t.line_of(n.find('戊').unwrap()), 2);
    }

    #[test]
    fn char_index_across_blocks() {
        let s: String = "中a（".repeat(300);
        let t = Text::new(s.clone());
        let n = t.norm();
        for (ci, (b, _)) in n.char_indices().enumerate().step_by(37) {
            assert_eq!(t.char_index(b), ci);
        }
        assert_eq!(t.char_index(n.len()), s.chars().count());
        // Texts that end on a block boundary, and offsets past the end.
        for s in ["a".repeat(BLOCK * 2), "中".repeat(BLOCK), String::new()] {
            let t = Text::new(s.clone());
            let chars = s.chars().count();
            assert_eq!(t.char_index(s.len()), chars);
            assert_eq!(t.char_index(s.len() + 5), chars);
            assert_eq!(t.chars(), chars);
        }
    }

    #[test]
    fn offsets_agree_with_a_char_by_char_count() {
        let s = "ab\n一（二）\n\n〔2023〕x１２ yz\u{3000}".repeat(97);
        let t = Text::new(s.clone());
        assert_eq!(t.norm(), normalize_str(&s));
        let mut line = 1;
        for (ci, (b, c)) in t.norm().char_indices().enumerate() {
            assert_eq!(t.char_index(b), ci);
            assert_eq!(t.line_of(b), line);
            let orig_char = s.chars().nth(ci).unwrap();
            assert_eq!(t.as_written(&(b..b + c.len_utf8())), orig_char.to_string());
            if c == '\n' {
                line += 1;
            }
        }
    }

    #[test]
    fn only_characters_starting_with_the_scanned_bytes_change() {
        let mut buf = [0u8; 4];
        let mut changed = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if normalize_char(c) != c {
                changed += 1;
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!([0xC2, 0xE3, 0xEF].contains(&first), "{c:?}");
            }
        }
        assert!(changed > 90, "{changed}");
    }

    #[test]
    fn normalize_str_maps_every_character() {
        let mut texts = vec!["（一）总体要求：１２\u{3000}〔2023〕\u{a0}【】".to_string()];
        texts.extend(crate::fixture_texts().into_iter().map(|(_, t)| t));
        for s in &texts {
            let by_char: String = s.chars().map(normalize_char).collect();
            assert_eq!(normalize_str(s), by_char);
            let mut blanked = by_char.clone();
            blank_markup(&mut blanked);
            assert_eq!(Text::new(s.clone()).norm(), blanked);
        }
    }

    #[test]
    fn markdown_emphasis_and_heading_marks_are_blanks() {
        let s = "# 标题\n**三、** 推进\n** 一、加力**\n1*2 ## x\n####### 七\n#无空格";
        let t = Text::new(s.to_string());
        assert_eq!(
            t.norm(),
            "  标题\n  三、   推进\n   一、加力  \n1*2 ## x\n####### 七\n#无空格"
        );
        assert_eq!(t.original(), s);
    }

    #[test]
    fn trims_spans() {
        let s = "  ab  ";
        assert_eq!(trim_span(s, 0..s.len()), 2..4);
        assert_eq!(trim_span(s, 0..2), 0..0);
    }
}
