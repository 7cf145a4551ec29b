//! Stage 2: text to lines.
//!
//! Input: a [`Text`]. Output: its lines in order, each with the byte span of its content
//! (without the `\n`) and of its trimmed content. The lines' full spans (`start..next`) tile the
//! text exactly: every byte belongs to one line.

use crate::base::text::{ByteSpan, Text};

/// One line of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line without its `\n`.
    pub span: ByteSpan,
    /// The line without leading and trailing whitespace (empty at `span.start` for a blank line).
    pub content: ByteSpan,
    /// Where the next line starts (`span.end + 1`, or the text's end for the last line).
    pub next: usize,
}

impl Line {
    /// Whether the line holds only whitespace.
    pub fn is_blank(&self) -> bool {
        self.content.is_empty()
    }

    /// The full span including the line break.
    pub fn full(&self) -> ByteSpan {
        self.span.start..self.next
    }
}

/// Splits the normalised text into lines.
pub fn lines(text: &Text) -> Vec<Line> {
    let s = text.norm();
    let mut out = Vec::new();
    let mut start = 0;
    while start < s.len() {
        let end = s[start..].find('\n').map_or(s.len(), |i| start + i);
        let next = if end < s.len() { end + 1 } else { end };
        out.push(Line {
            span: start..end,
            content: trim_noise(s, start..end),
            next,
        });
        start = next;
    }
    out
}

/// Characters that carry nothing at the ends of a line: whitespace, the replacement
/// character of a malformed byte, a stray byte-order mark or zero-width space.
fn is_noise(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{FFFD}' | '\u{FEFF}' | '\u{200B}')
}

/// Trims noise from both ends of `span` within `s`.
fn trim_noise(s: &str, span: ByteSpan) -> ByteSpan {
    let sub = &s[span.clone()];
    let start = span.start + (sub.len() - sub.trim_start_matches(is_noise).len());
    let end = span.end - (sub.len() - sub.trim_end_matches(is_noise).len());
    if start >= end {
        span.start..span.start
    } else {
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_tile_the_text() {
        for s in ["", "a", "a\n", "a\nb", "\n\n", "　一、总体要求　\n\n(一)x"] {
            let t = Text::new(s.to_string());
            let ls = lines(&t);
            let mut pos = 0;
            for l in &ls {
                assert_eq!(l.span.start, pos);
                pos = l.next;
            }
            assert_eq!(pos, t.norm().len(), "{s:?}");
        }
    }

    #[test]
    fn replacement_characters_at_line_ends_are_noise() {
        let t = Text::new("\u{FFFD}\u{FFFD}一、总体要求\u{FEFF}".to_string());
        assert_eq!(t.as_written(&lines(&t)[0].content), "一、总体要求");
    }

    #[test]
    fn content_is_trimmed() {
        let t = Text::new("　　一、总体要求　\n   \n".to_string());
        let ls = lines(&t);
        assert_eq!(t.as_written(&ls[0].content), "一、总体要求");
        assert!(ls[1].is_blank());
    }
}
