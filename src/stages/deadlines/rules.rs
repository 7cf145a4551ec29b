//! `deadlines.toml`: the words around deadline dates, compiled, and the runner of its examples.

use serde::Deserialize;

use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError};
use crate::base::text::{Text, normalize_str};
use crate::base::word_set::{Anchor, WordSet};
use crate::model::DeadlineKind;

use super::{Context, read_task};

/// The compiled deadline words, each list longest first.
#[derive(Debug, Clone, Default)]
pub struct DeadlineRules {
    /// Labels whose value is the deadline (`完成时限`), found in one pass.
    pub(super) labels: WordSet,
    /// The same labels, found where a text ends (before a `至`).
    pub(super) labels_at_end: Option<WordSet>,
    /// Words for no end (`长期坚持`).
    pub(super) ongoing: Vec<String>,
    /// Words before a date that make it a deadline (`到`).
    pub(super) prefixes: Vec<String>,
    /// Words before a date inside a clause that, with a suffix after it, make it a deadline.
    pub(super) inline_prefixes: Vec<String>,
    /// Words that hold an inline prefix without being one (`关于`).
    pub(super) inline_not: Vec<String>,
    /// Words that a suffix starts without being one (`前期`).
    pub(super) not_suffixes: Vec<String>,
    /// Parts of a year that end in a month (`一季度`: 3), longest first.
    pub(super) year_parts: Vec<(String, u32)>,
    /// Parts of a month or year (`底`, `中旬`).
    pub(super) parts: Vec<String>,
    /// Words after a date that make it a deadline (`前`).
    pub(super) suffixes: Vec<String>,
    /// Words for the document's year (`年内`).
    pub(super) this_year: Vec<String>,
    /// Words for every year (`每年`).
    pub(super) yearly: Vec<String>,
    /// Words after a date that make it none (`以来`).
    pub(super) not_after: Vec<String>,
    /// Range separators.
    pub(super) separators: Vec<String>,
    /// The first characters of the words a date or a state may start with (besides numerals).
    pub(super) opening_chars: Vec<char>,
    /// Words that make a year in a title the document's year (`工作要点`).
    pub(super) annual: Vec<String>,
    /// Words of the titles of sections that frame a plan (`总体要求`).
    pub(super) framing: Vec<String>,
    examples: Vec<Example>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    text: String,
    #[serde(default)]
    doc_year: Option<i32>,
    #[serde(default)]
    none: bool,
    kind: Option<DeadlineKind>,
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    from_year: Option<i32>,
    text_as_written: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    labels: Vec<String>,
    ongoing: Vec<String>,
    prefixes: Vec<String>,
    #[serde(default)]
    inline_prefixes: Vec<String>,
    #[serde(default)]
    inline_not: Vec<String>,
    #[serde(default)]
    not_suffixes: Vec<String>,
    #[serde(default)]
    year_parts: std::collections::BTreeMap<String, u32>,
    parts: Vec<String>,
    suffixes: Vec<String>,
    this_year: Vec<String>,
    yearly: Vec<String>,
    not_after: Vec<String>,
    separators: Vec<String>,
    annual: Vec<String>,
    framing: Vec<String>,
    #[serde(default)]
    example: Vec<Example>,
}

impl DeadlineRules {
    /// Whether a date (a numeral), a word before one or a state may start with `c`.
    pub(super) fn opens(&self, c: char) -> bool {
        c.is_ascii_digit()
            || matches!(
                c,
                '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
            )
            || self.opening_chars.binary_search(&c).is_ok()
    }
}

/// Normalised, longest first.
fn words(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = v.iter().map(|w| normalize_str(w)).collect();
    out.sort_by_key(|w| std::cmp::Reverse(w.len()));
    out.dedup();
    out
}

/// Compiles `deadlines.toml`.
///
/// # Errors
/// A malformed file, naming file and line.
pub fn compile(src: &RuleSource) -> Result<DeadlineRules, RulesError> {
    let raw: Raw = src.parse()?;
    if let Some(w) = raw
        .separators
        .iter()
        .chain(&raw.labels)
        .chain(&raw.prefixes)
        .chain(&raw.inline_prefixes)
        .chain(raw.year_parts.keys())
        .find(|w| w.trim().is_empty())
    {
        return Err(src.error(None, None, format!("an empty word ({w:?}) in a list")));
    }
    if let Some((w, m)) = raw.year_parts.iter().find(|(_, m)| !(1..=12).contains(*m)) {
        return Err(src.error(
            None,
            None,
            format!("year_parts: {w:?} ends in month {m}, not 1 to 12"),
        ));
    }
    let mut year_parts: Vec<(String, u32)> = raw
        .year_parts
        .iter()
        .map(|(w, m)| (normalize_str(w), *m))
        .collect();
    year_parts.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    let opening_chars = {
        let mut v: Vec<char> = raw
            .prefixes
            .iter()
            .chain(&raw.this_year)
            .chain(&raw.yearly)
            .chain(&raw.ongoing)
            .filter_map(|w| normalize_str(w).chars().next())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    Ok(DeadlineRules {
        opening_chars,
        labels: WordSet::new(&words(&raw.labels), Anchor::None).unwrap_or_default(),
        labels_at_end: WordSet::new(&words(&raw.labels), Anchor::End),
        ongoing: words(&raw.ongoing),
        prefixes: words(&raw.prefixes),
        inline_prefixes: words(&raw.inline_prefixes),
        inline_not: words(&raw.inline_not),
        not_suffixes: words(&raw.not_suffixes),
        year_parts,
        parts: words(&raw.parts),
        suffixes: words(&raw.suffixes),
        this_year: words(&raw.this_year),
        yearly: words(&raw.yearly),
        not_after: words(&raw.not_after),
        separators: words(&raw.separators),
        annual: words(&raw.annual),
        framing: words(&raw.framing),
        examples: raw.example,
    })
}

/// Runs the examples: each text read as a task's own text.
pub fn check_examples(rules: &DeadlineRules) -> Checked {
    let mut checked = Checked::default();
    for ex in &rules.examples {
        let text = Text::new(ex.text.clone());
        let ctx = Context {
            doc_year: ex.doc_year,
            date_year: ex.doc_year,
            horizon: None,
        };
        let got = read_task(&text, &(0..text.norm().len()), false, rules, &ctx);
        let problem = match (&got, ex.none) {
            (Some(d), true) => Some(format!(
                "gave {:?} `{}` but should give none",
                d.kind,
                text.as_written(&d.span)
            )),
            (None, true) => None,
            (None, false) => Some("gave no deadline".to_string()),
            (Some(d), false) => {
                let mut problems = Vec::new();
                let mut want = |what: &str, got: String, want: Option<String>| {
                    if let Some(w) = want.filter(|w| *w != got) {
                        problems.push(format!("{what} {got}, expected {w}"));
                    }
                };
                want(
                    "kind",
                    format!("{:?}", d.kind),
                    ex.kind.map(|k| format!("{k:?}")),
                );
                let show = |v: Option<i64>| v.map_or("none".to_string(), |v| v.to_string());
                want(
                    "year",
                    show(d.year.map(i64::from)),
                    ex.year.map(|v| v.to_string()),
                );
                want(
                    "month",
                    show(d.month.map(i64::from)),
                    ex.month.map(|v| v.to_string()),
                );
                want(
                    "day",
                    show(d.day.map(i64::from)),
                    ex.day.map(|v| v.to_string()),
                );
                want(
                    "from_year",
                    show(d.from_year.map(i64::from)),
                    ex.from_year.map(|v| v.to_string()),
                );
                want(
                    "text",
                    text.as_written(&d.span).to_string(),
                    ex.text_as_written.clone(),
                );
                (!problems.is_empty()).then(|| problems.join("; "))
            }
        };
        checked.record(RuleFile::Deadlines, "example", &ex.text, problem);
    }
    checked
}
