//! Where the sentences and clauses of normalised text end: the one splitter the stages share.
//!
//! A sentence ends at `。`, `!`, `?` or `…` (full-width marks are normalised to ASCII), with
//! the closing quotes and brackets right after the mark (`…达到90%。”`): as UAX #29 has it, a
//! quotation's close belongs to the sentence it closes. A clause ends at `,`, `;` or `:`,
//! except a `,` between digits that groups thousands (`1,000`).
//!
//! Why not UAX #29 itself (`unicode-segmentation`'s sentence bounds), measured over every
//! fixture and unseen document in `tests/it/sentences.rs`: it breaks after the `.` of a
//! heading marker (`1.大力发展…`, `(2).`), and does not end a sentence at `…`; `；` is no
//! sentence end there, but it ends a clause here (and a heading's title, see [`ends_title`]).
//! It is also several times slower on this hot path.

use std::ops::Range;

/// What a punctuation mark ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// A sentence (and its last clause).
    Sentence,
    /// A clause.
    Clause,
}

/// What `c`, a character of normalised text, ends, if anything.
pub fn break_of(c: char) -> Option<Break> {
    match c {
        '。' | '!' | '?' | '…' => Some(Break::Sentence),
        ',' | ';' | ':' => Some(Break::Clause),
        _ => None,
    }
}

/// Whether `c` ends a heading's title: a sentence end or `;`, but not `…` (`推进……等工作`).
pub fn ends_title(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';')
}

/// Closing quotes and brackets, which stay with the sentence they close (not ASCII `"`, which
/// opens as often as it closes).
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '》' | ')' | ']' | '】' | '〕')
}

/// `end` moved past the closing quotes and brackets that follow it in `s`.
pub fn past_closers(s: &str, end: usize) -> usize {
    let rest = s.get(end..).unwrap_or("");
    end + rest.len() - rest.trim_start_matches(is_closer).len()
}

/// Whether the `,` at byte `i` of `s` groups thousands (`1,000`, not `1,2`).
pub fn groups_thousands(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    i > 0
        && b[i - 1].is_ascii_digit()
        && b.len() >= i + 4
        && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
        && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
}

/// The sentences of `s` as byte ranges, in order, covering `s` (the last may have no end mark).
pub fn sentences(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in marks(s) {
        if i < start || break_of(c) != Some(Break::Sentence) {
            continue;
        }
        let end = past_closers(s, i + c.len_utf8());
        out.push(start..end);
        start = end;
    }
    if start < s.len() {
        out.push(start..s.len());
    }
    out
}

/// The three-byte character at `i`.
pub(crate) fn decode3(bytes: &[u8], i: usize) -> Option<char> {
    let [a, b, c] = *bytes.get(i..i + 3)? else {
        return None;
    };
    char::from_u32((u32::from(a & 0x0F) << 12) | (u32::from(b & 0x3F) << 6) | u32::from(c & 0x3F))
}

/// The ASCII characters and the three-byte characters of U+2000–U+3FFF (general and CJK
/// punctuation: `…“”。《》「」『』`) of `s`, with their byte offsets: all the punctuation that
/// ends sentences and clauses and delimits names, without decoding every character.
pub fn marks(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            let at = next_mark(bytes, i);
            let b = *bytes.get(at)?;
            if b < 0x80 {
                i = at + 1;
                return Some((at, char::from(b)));
            }
            i = at + 3;
            if let Some(c) = decode3(bytes, at) {
                return Some((at, c));
            }
        }
    })
}

/// The first index from `i` whose byte is ASCII or E2/E3 (the leads of U+2000–U+3FFF), or
/// the length. Neither can be a continuation byte, so the bytes are tested eight at a time
/// instead of walking characters.
fn next_mark(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let ascii = !w & HIGH;
        // E2 and E3 become zero bytes; the lowest zero byte is flagged exactly (a borrow only
        // runs upwards from a zero).
        let v = (w & !ONES) ^ (ONES * 0xE2);
        let lead = v.wrapping_sub(ONES) & !v & HIGH;
        let m = ascii | lead;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = bytes.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(|&b| b < 0x80 || b & 0xFE == 0xE2)
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan for punctuation finds what a walk over the characters finds.
        #[test]
        fn mark_scans_agree_with_the_character_walk(
            s in "[a.1,。“”、…‥⁂〇○一二十亿年月甲\u{80}\u{7FF}\u{1FFF}\u{4000}\u{E000}\u{FFFF}😀 ]{0,40}",
        ) {
            let marks_walked: Vec<(usize, char)> = s
                .char_indices()
                .filter(|&(_, c)| c.is_ascii() || ('\u{2000}'..='\u{3FFF}').contains(&c))
                .collect();
            proptest::prop_assert_eq!(marks(&s).collect::<Vec<_>>(), marks_walked);
        }

        /// Sentences tile the text.
        #[test]
        fn sentences_tile_the_text(s in "[a.1,。!?…”)一二甲 ]{0,40}") {
            let v = sentences(&s);
            let mut at = 0;
            for r in &v {
                proptest::prop_assert_eq!(r.start, at);
                proptest::prop_assert!(r.end > r.start);
                at = r.end;
            }
            proptest::prop_assert_eq!(at, s.len());
        }
    }

    #[test]
    fn marks_and_sentences() {
        let s = "甲,乙。“丙”a😀…";
        let got: Vec<(usize, char)> = marks(s).collect();
        assert_eq!(
            got,
            vec![
                (3, ','),
                (7, '。'),
                (10, '“'),
                (16, '”'),
                (19, 'a'),
                (24, '…')
            ]
        );
        assert_eq!(decode3("一".as_bytes(), 0), Some('一'));
        assert_eq!(decode3(b"ab", 0), None);
        let s = "他说“达到90%。”然后,完成1,000个。";
        let got: Vec<&str> = sentences(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(got, ["他说“达到90%。”", "然后,完成1,000个。"]);
        assert!(groups_thousands(s, s.find("1,").unwrap() + 1));
        assert_eq!(break_of(';'), Some(Break::Clause));
        assert!(ends_title(';') && !ends_title('…'));
    }
}
