//! Stage 3: page chrome.
//!
//! Input: the lines and the chrome rules. Output: for each line, whether it is chrome and, for a
//! header row, the metadata field it carries. Chrome lines stay in the output as `chrome`
//! blocks; they never become tasks, titles or preamble.

use crate::rules::{ChromeRule, ChromeRules, MetaField};
use crate::segment::Line;
use crate::text::{ByteSpan, Text};

/// A chrome line.
#[derive(Debug, Clone)]
pub struct ChromeHit {
    /// Index of the rule that matched.
    pub rule: usize,
    /// The metadata field a header row provides, with the span of its value.
    pub field: Option<(MetaField, ByteSpan)>,
}

/// What one rule makes of one line: `None` when it does not match, else the `key` (spaces
/// removed) and `value` span captured.
pub fn match_rule(
    rule: &ChromeRule,
    text: &Text,
    line: &ByteSpan,
) -> Option<(Option<String>, Option<ByteSpan>)> {
    match_rule_counted(rule, text, line, text.nslice(line).chars().count())
}

/// [`match_rule`] for a line whose length in characters is known.
fn match_rule_counted(
    rule: &ChromeRule,
    text: &Text,
    line: &ByteSpan,
    chars: usize,
) -> Option<(Option<String>, Option<ByteSpan>)> {
    let s = text.nslice(line);
    if chars > rule.max_chars || !rule.regex.is_match(s) {
        return None;
    }
    let caps = rule.regex.captures(s)?;
    let key = caps
        .name("key")
        .map(|m| m.as_str().chars().filter(|c| !c.is_whitespace()).collect());
    let value = caps
        .name("value")
        .map(|m| line.start + m.start()..line.start + m.end());
    Some((key, value))
}

/// Marks the chrome lines.
pub fn scan(text: &Text, lines: &[Line], rules: &ChromeRules) -> Vec<Option<ChromeHit>> {
    lines
        .iter()
        .map(|l| {
            if l.is_blank() {
                return None;
            }
            let chars = text.nslice(&l.content).chars().count();
            rules.rules.iter().enumerate().find_map(|(i, r)| {
                let (key, value) = match_rule_counted(r, text, &l.content, chars)?;
                let field = match (key, value) {
                    (Some(k), Some(v)) => rules.fields.get(&k).map(|f| (*f, v)),
                    _ => None,
                };
                Some(ChromeHit { rule: i, field })
            })
        })
        .collect()
}
