//! Stage 3: page chrome.
//!
//! Input: the lines and the chrome rules. Output: for each line, whether it is chrome and, for a
//! header row, the metadata fields it carries. Chrome lines stay in the output as `chrome`
//! blocks; they never become tasks, titles or preamble.

use crate::base::segment::Line;
use crate::base::text::{ByteSpan, Text};

pub mod rules;

pub use rules::{ChromeRule, ChromeRules, HeaderField};

/// A chrome line.
#[derive(Debug, Clone)]
pub struct ChromeHit {
    /// Index of the rule that matched; `None` for a line of a front matter block.
    pub rule: Option<usize>,
    /// The metadata fields a header row provides, with the spans of their values, in the order
    /// written (a row of a four-column header table holds two).
    pub fields: Vec<(HeaderField, ByteSpan)>,
}

/// One `key` (spaces removed) and `value` span that a rule captured.
pub type Capture = (Option<String>, Option<ByteSpan>);

/// What one rule makes of one line: `None` when it does not match, else what it captures — one
/// pair, or one per field for a header row that holds several (`发文字号:… 发布日期:…`).
pub fn match_rule(rule: &ChromeRule, text: &Text, line: &ByteSpan) -> Option<Vec<Capture>> {
    match_rule_counted(rule, text, line, text.normalised(line).chars().count())
}

/// [`match_rule`] for a line whose length in characters is known.
fn match_rule_counted(
    rule: &ChromeRule,
    text: &Text,
    line: &ByteSpan,
    chars: usize,
) -> Option<Vec<Capture>> {
    let s = text.normalised(line);
    if chars > rule.max_chars || !rule.regex.is_match(s) {
        return None;
    }
    let mut out = Vec::new();
    let mut at = 0;
    // Each field starts where the rule matches again: inside the value it cuts short (at its
    // start when the value is empty), or after the cell it closed.
    let field_at = |j: usize| {
        let rest = s[j..].trim_start_matches([' ', '\t']);
        rule.regex
            .captures(rest)
            .is_some_and(|c| c.name("key").is_some())
    };
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
        let next = std::iter::once(vstart)
            .chain(
                v.as_str()
                    .char_indices()
                    .filter(|&(_, c)| c == ' ' || c == '\t')
                    .map(|(i, c)| vstart + i + c.len_utf8()),
            )
            .find(|&j| j < vend && field_at(j));
        if let Some(j) = next {
            vend = s[..j].trim_end_matches([' ', '\t']).len().max(vstart);
        }
        // An empty cell after the fields (`| ||`) is no field of its own.
        if out.is_empty() || key.as_deref().is_none_or(|k: &str| !k.is_empty()) {
            out.push((key, Some(line.start + vstart..line.start + vend)));
        }
        let from = next.unwrap_or(vend);
        let prev = at;
        at = from + (s[from..].len() - s[from..].trim_start_matches([' ', '\t']).len());
        // Every field read moves on, so the loop ends.
        if at >= s.len() || at <= prev {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Marks the chrome lines.
pub fn scan(text: &Text, lines: &[Line], rules: &ChromeRules) -> Vec<Option<ChromeHit>> {
    let mut hits = scan_lines(text, lines, rules);
    front_matter(text, lines, rules, &mut hits);
    values_below(text, lines, rules, &mut hits);
    hits
}

/// The longest value a header key on a line of its own is followed by.
const VALUE_BELOW_CHARS: usize = 60;

/// A page's header table flattened one cell a line (`发文字号：` / `国发〔2016〕40号` /
/// `发布日期：` / …): the line below a key with no value is its value, and chrome too. A value
/// is taken where another such key follows it, or where the pair before it was taken and the
/// key fills a field, so that a lone empty key (`主题词：`) does not take the title below it.
fn values_below(text: &Text, lines: &[Line], rules: &ChromeRules, hits: &mut [Option<ChromeHit>]) {
    // The field of a key with no value, `Some(None)` for a key no field reads.
    let key_only = |hits: &[Option<ChromeHit>], i: usize| -> Option<Option<HeaderField>> {
        let rule = hits[i].as_ref()?.rule?;
        // A key with no value ends in its colon; the rule is asked only then.
        if !text.normalised(&lines[i].content).ends_with(':') {
            return None;
        }
        let caps = match_rule(&rules.rules[rule], text, &lines[i].content)?;
        match caps.as_slice() {
            [(Some(key), Some(v))] if v.is_empty() => Some(rules.fields.get(key).copied()),
            _ => None,
        }
    };
    let next_content = |i: usize| (i + 1..lines.len().min(i + 3)).find(|&j| !lines[j].is_blank());
    let mut run = false;
    for i in 0..lines.len() {
        if lines[i].is_blank() {
            continue;
        }
        let Some(field) = key_only(hits, i) else {
            run &= hits[i].is_some();
            continue;
        };
        let Some(v) = next_content(i).filter(|&v| hits[v].is_none()) else {
            continue;
        };
        let value = text.normalised(&lines[v].content);
        if value.chars().count() > VALUE_BELOW_CHARS || value.contains('。') {
            run = false;
            continue;
        }
        // A key that fills a field may end a run (`发布日期：` / its date, then the body); one
        // that fills none (`主题词：`) needs another key after its value.
        let key_follows = next_content(v).is_some_and(|a| key_only(hits, a).is_some());
        if key_follows || (run && field.is_some()) {
            hits[v] = Some(ChromeHit {
                rule: hits[i].as_ref().and_then(|h| h.rule),
                fields: field
                    .map(|f| (f, lines[v].content.clone()))
                    .into_iter()
                    .collect(),
            });
            run = true;
        }
    }
}

/// The most lines a front matter block may hold.
const FRONT_MATTER_LINES: usize = 60;

/// Marks a front matter block as chrome: `key: value` lines between two `---` lines at the top
/// of the file, as Markdown exports of published documents carry (`标题: …`, `文号: …`). Its
/// keys fill metadata as a header's do.
fn front_matter(text: &Text, lines: &[Line], rules: &ChromeRules, hits: &mut [Option<ChromeHit>]) {
    let fence = |i: usize| text.normalised(&lines[i].content) == "---";
    let Some(open) = lines.iter().position(|l| !l.is_blank()) else {
        return;
    };
    if !fence(open) {
        return;
    }
    let Some(close) = (open + 1..lines.len().min(open + FRONT_MATTER_LINES)).find(|&i| fence(i))
    else {
        return;
    };
    // Every line between the fences is blank, `key: value` or a YAML list item (`- value`), else
    // this is no front matter.
    let mut fields: Vec<Option<Vec<(HeaderField, ByteSpan)>>> = Vec::new();
    // Whether a list item may follow: after a key with no value, or after another item.
    let mut list_open = false;
    for l in &lines[open + 1..close] {
        if l.is_blank() {
            fields.push(None);
            continue;
        }
        let s = text.normalised(&l.content);
        if s.starts_with("- ") {
            if !list_open {
                return;
            }
            fields.push(Some(Vec::new()));
            continue;
        }
        list_open = s.trim_end().ends_with(':');
        let Some(colon) = s.find(':') else {
            return;
        };
        let key: String = s[..colon].chars().filter(|c| !c.is_whitespace()).collect();
        if key.is_empty() || key.chars().count() > 20 {
            return;
        }
        let value = &s[colon + 1..];
        let vstart = l.content.start + colon + 1 + (value.len() - value.trim_start().len());
        let field = rules
            .fields
            .get(&key)
            .filter(|_| vstart < l.content.end)
            .map(|&f| (f, vstart..l.content.end));
        fields.push(Some(field.into_iter().collect()));
    }
    let hit = |fields| Some(ChromeHit { rule: None, fields });
    hits[open] = hit(Vec::new());
    hits[close] = hit(Vec::new());
    for (i, f) in (open + 1..close).zip(fields) {
        if let Some(f) = f {
            hits[i] = hit(f);
        }
    }
    // A quoted note the export put right below (`> 本文正文由…提取`) is the exporter's too.
    for i in close + 1..lines.len() {
        if lines[i].is_blank() {
            continue;
        }
        if !text.normalised(&lines[i].content).starts_with("> ") {
            break;
        }
        hits[i] = hit(Vec::new());
    }
}

/// Marks the lines that a chrome rule matches.
fn scan_lines(text: &Text, lines: &[Line], rules: &ChromeRules) -> Vec<Option<ChromeHit>> {
    lines
        .iter()
        .map(|l| {
            if l.is_blank() {
                return None;
            }
            let chars = text.normalised(&l.content).chars().count();
            rules.rules.iter().enumerate().find_map(|(i, r)| {
                let captures = match_rule_counted(r, text, &l.content, chars)?;
                let fields = captures
                    .into_iter()
                    .filter_map(|(key, value)| Some((*rules.fields.get(&key?)?, value?)))
                    .collect();
                Some(ChromeHit {
                    rule: Some(i),
                    fields,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields the embedded rules read from one line, as (key, value) text.
    fn fields(line: &str) -> Vec<(String, String)> {
        let rules = crate::rules::Rules::embedded().expect("rules");
        let text = Text::new(line.to_string());
        let span = 0..text.norm().len();
        let captures = rules
            .chrome
            .rules
            .iter()
            .find_map(|r| match_rule(r, &text, &span))
            .unwrap_or_default();
        captures
            .into_iter()
            .map(|(k, v)| {
                let v = v
                    .map(|v| text.as_written(&v).to_string())
                    .unwrap_or_default();
                (k.unwrap_or_default(), v)
            })
            .collect()
    }

    fn pairs(want: &[(&str, &str)]) -> Vec<(String, String)> {
        want.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_header_row_gives_each_of_its_fields() {
        let two = [
            ("发文字号", "国办函〔2004〕57号"),
            ("发布日期", "2018年12月24日"),
        ];
        assert_eq!(
            fields("发文字号： 国办函〔2004〕57号 发布日期： 2018年12月24日"),
            pairs(&two)
        );
        assert_eq!(
            fields("| 发文字号: | 国办函〔2004〕57号 | 发布日期: | 2018年12月24日 |"),
            pairs(&two)
        );
        // An empty first value does not hide the second field.
        let empty_first = [("发文字号", ""), ("发布日期", "2018年12月24日")];
        assert_eq!(
            fields("| 发文字号: | | 发布日期: | 2018年12月24日 |"),
            pairs(&empty_first)
        );
        assert_eq!(
            fields("发文字号:   发布日期: 2018年12月24日"),
            pairs(&empty_first)
        );
        // A value with spaces but no second key stays whole.
        assert_eq!(
            fields("标 题: 关于 印发 某某方案 的通知"),
            pairs(&[("标题", "关于 印发 某某方案 的通知")])
        );
        assert_eq!(
            fields("| 发布日期: | 2023 年 08 月 22 日 | ||"),
            pairs(&[("发布日期", "2023 年 08 月 22 日")])
        );
    }
}
