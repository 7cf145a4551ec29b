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
    /// The metadata fields a header row provides, with the spans of their values, in the order
    /// written (a row of a four-column header table holds two).
    pub fields: Vec<(MetaField, ByteSpan)>,
}

/// One `key` (spaces removed) and `value` span that a rule captured.
pub type Capture = (Option<String>, Option<ByteSpan>);

/// What one rule makes of one line: `None` when it does not match, else what it captures — one
/// pair, or one per field for a header row that holds several (`发文字号:… 发布日期:…`).
pub fn match_rule(rule: &ChromeRule, text: &Text, line: &ByteSpan) -> Option<Vec<Capture>> {
    match_rule_counted(rule, text, line, text.nslice(line).chars().count())
}

/// [`match_rule`] for a line whose length in characters is known.
fn match_rule_counted(
    rule: &ChromeRule,
    text: &Text,
    line: &ByteSpan,
    chars: usize,
) -> Option<Vec<Capture>> {
    let s = text.nslice(line);
    if chars > rule.max_chars || !rule.regex.is_match(s) {
        return None;
    }
    let mut out = Vec::new();
    let mut at = 0;
    // Each field starts where the rule matches again: after the value it cut short, or after
    // the cell it closed.
    while let Some(caps) = s.get(at..).and_then(|rest| rule.regex.captures(rest)) {
        let key = caps
            .name("key")
            .map(|m| m.as_str().chars().filter(|c| !c.is_whitespace()).collect());
        let Some(v) = caps.name("value") else {
            out.push((key, None));
            break;
        };
        let (vstart, mut vend) = (at + v.start(), at + v.end());
        // A value that runs on into another field ends before it.
        let next = v
            .as_str()
            .char_indices()
            .filter(|&(_, c)| c == ' ' || c == '\t')
            .map(|(i, c)| vstart + i + c.len_utf8())
            .find(|&j| {
                let rest = s[j..].trim_start_matches([' ', '\t']);
                rule.regex
                    .captures(rest)
                    .is_some_and(|c| c.name("key").is_some())
            });
        if let Some(j) = next {
            vend = s[..j].trim_end_matches([' ', '\t']).len().max(vstart);
        }
        out.push((key, Some(line.start + vstart..line.start + vend)));
        let from = next.unwrap_or(vend);
        at = from + (s[from..].len() - s[from..].trim_start_matches([' ', '\t']).len());
        if at >= s.len() || at <= vstart && next.is_none() {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
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
                let captures = match_rule_counted(r, text, &l.content, chars)?;
                let fields = captures
                    .into_iter()
                    .filter_map(|(key, value)| Some((*rules.fields.get(&key?)?, value?)))
                    .collect();
                Some(ChromeHit { rule: i, fields })
            })
        })
        .collect()
}
