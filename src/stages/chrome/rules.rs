//! `chrome.toml`: page chrome patterns and the header fields they fill, compiled, and the
//! runner of their examples.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError, one_line_text, yes};

use super::match_rule;

/// One chrome rule.
#[derive(Debug, Clone)]
pub struct ChromeRule {
    /// The rule's name.
    pub name: String,
    /// Pattern, optionally with groups `key` and `value`.
    pub regex: Pattern,
    /// Longest line (in characters) the rule applies to.
    pub max_chars: usize,
    /// The rule's examples.
    pub examples: Vec<ChromeExample>,
}

/// An example of a chrome rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChromeExample {
    /// A line of text.
    pub text: String,
    /// `false` when the rule must not match.
    #[serde(default = "yes")]
    pub chrome: bool,
    /// Expected `key` capture, spaces removed.
    pub key: Option<String>,
    /// Expected `value` capture, as written.
    pub value: Option<String>,
}

/// The chrome rules and the header fields they can fill.
#[derive(Debug, Clone)]
pub struct ChromeRules {
    /// Rules in file order.
    pub rules: Vec<ChromeRule>,
    /// Header key (spaces removed) to the metadata field it fills.
    pub fields: BTreeMap<String, HeaderField>,
}

/// A metadata field that a page header row may fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderField {
    /// `meta.published`
    Published,
    /// `meta.date`
    Date,
    /// `meta.doc_number`
    DocNumber,
    /// `meta.issuers`
    Issuers,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChrome {
    #[serde(default)]
    fields: BTreeMap<String, HeaderField>,
    rule: Vec<RawChromeRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChromeRule {
    name: String,
    pattern: Spanned<String>,
    max_chars: Option<usize>,
    #[serde(default)]
    examples: Vec<ChromeExample>,
}

/// Compiles `chrome.toml`.
///
/// # Errors
/// A malformed file, naming file, line and rule.
pub fn compile(src: &RuleSource) -> Result<ChromeRules, RulesError> {
    let raw: RawChrome = src.parse()?;
    let mut rules = Vec::with_capacity(raw.rule.len());
    for r in raw.rule {
        let regex = src.pattern(&r.name, &r.pattern)?;
        rules.push(ChromeRule {
            name: r.name,
            regex,
            max_chars: r.max_chars.unwrap_or(120),
            examples: r.examples,
        });
    }
    let fields = raw
        .fields
        .into_iter()
        .map(|(k, v)| (k.chars().filter(|c| !c.is_whitespace()).collect(), v))
        .collect();
    Ok(ChromeRules { rules, fields })
}

/// Runs the examples of every rule.
pub fn check_examples(rules: &ChromeRules) -> Checked {
    let mut checked = Checked::default();
    for r in &rules.rules {
        for ex in &r.examples {
            let (t, span) = one_line_text(&ex.text);
            let problem = match (ex.chrome, match_rule(r, &t, &span)) {
                (false, Some(_)) => Some("matched but should not".into()),
                (true, None) => Some("did not match".into()),
                (true, Some(captures)) => {
                    let (key, value) = captures.into_iter().next().unwrap_or((None, None));
                    let mut problems = Vec::new();
                    if let Some(k) = &ex.key {
                        if key.as_deref() != Some(k.as_str()) {
                            problems.push(format!("key {key:?}, expected {k:?}"));
                        }
                    }
                    if let Some(v) = &ex.value {
                        let got = value.as_ref().map(|s| t.as_written(s).to_string());
                        if got.as_deref() != Some(v.as_str()) {
                            problems.push(format!("value {got:?}, expected {v:?}"));
                        }
                    }
                    (!problems.is_empty()).then(|| problems.join("; "))
                }
                (false, None) => None,
            };
            checked.record(RuleFile::Chrome, &r.name, &ex.text, problem);
        }
    }
    checked
}
