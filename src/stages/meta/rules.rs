//! `meta.toml`: the cues for the notice wrapper and its metadata, compiled, and the runner of
//! their examples.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError, one_line_text, yes};

use super::{cue_value, date_from};

/// One metadata cue.
#[derive(Debug, Clone)]
pub struct Cue {
    /// The cue's name.
    pub name: String,
    /// Its pattern.
    pub regex: Pattern,
    /// Its examples.
    pub examples: Vec<CueExample>,
}

/// An example of a metadata cue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueExample {
    /// A line of text.
    pub text: String,
    /// What the cue must yield.
    pub value: Option<String>,
    /// `false` when the cue must not match.
    #[serde(default = "yes")]
    pub matches: bool,
}

/// The metadata cues by role.
#[derive(Debug, Clone)]
pub struct MetaCues {
    /// A date line (落款).
    pub date_line: Cue,
    /// A date inside a header value.
    pub date_value: Cue,
    /// A wrapper notice title.
    pub notice_title: Cue,
    /// The last line of a (multi-line) title.
    pub title_end: Cue,
    /// A document number line.
    pub doc_number: Cue,
    /// A publicity note.
    pub publicity: Cue,
    /// The addressee line.
    pub recipients: Cue,
    /// The start of an annex.
    pub annex: Cue,
    /// A closing formula (特此通知).
    pub closing: Cue,
    /// The title of an annex that is a list or a table.
    pub list_title: Cue,
    /// The name of an issuing body.
    pub issuer: Cue,
    /// The issuer prefix of a notice title.
    pub title_issuer: Cue,
}

impl MetaCues {
    /// Every cue, in the order of the fields.
    pub fn all(&self) -> [&Cue; 12] {
        [
            &self.date_line,
            &self.date_value,
            &self.notice_title,
            &self.title_end,
            &self.doc_number,
            &self.publicity,
            &self.recipients,
            &self.annex,
            &self.closing,
            &self.list_title,
            &self.issuer,
            &self.title_issuer,
        ]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    cue: Vec<RawCue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    name: String,
    pattern: Spanned<String>,
    #[serde(default)]
    examples: Vec<CueExample>,
}

/// Compiles `meta.toml`.
///
/// # Errors
/// A malformed file, a missing or unknown cue, naming file, line and cue.
pub fn compile(src: &RuleSource) -> Result<MetaCues, RulesError> {
    let raw: RawMeta = src.parse()?;
    let mut cues: BTreeMap<String, Cue> = BTreeMap::new();
    for c in raw.cue {
        let regex = src.pattern(&c.name, &c.pattern)?;
        cues.insert(
            c.name.clone(),
            Cue {
                name: c.name,
                regex,
                examples: c.examples,
            },
        );
    }
    let mut take = |name: &str| {
        cues.remove(name)
            .ok_or_else(|| src.error(None, None, format!("missing cue `{name}`")))
    };
    let meta = MetaCues {
        date_line: take("date-line")?,
        date_value: take("date-value")?,
        notice_title: take("notice-title")?,
        title_end: take("title-end")?,
        doc_number: take("doc-number")?,
        publicity: take("publicity")?,
        recipients: take("recipients")?,
        annex: take("annex")?,
        closing: take("closing")?,
        list_title: take("list-title")?,
        issuer: take("issuer")?,
        title_issuer: take("title-issuer")?,
    };
    if let Some(extra) = cues.keys().next() {
        return Err(src.error(None, Some(extra), "unknown cue name".to_string()));
    }
    Ok(meta)
}

/// Runs the examples of every cue: a date cue must give a valid date, the others their value.
pub fn check_examples(cues: &MetaCues) -> Checked {
    let mut checked = Checked::default();
    let dates = [&cues.date_line, &cues.date_value];
    for cue in cues.all() {
        let is_date = dates.iter().any(|d| std::ptr::eq(*d, cue));
        for ex in &cue.examples {
            let (t, span) = one_line_text(&ex.text);
            let got: Option<String> = if is_date {
                cue.regex
                    .captures(t.normalised(&span))
                    .map(|c| date_from(&c).unwrap_or_else(|| "(invalid date)".into()))
            } else {
                cue_value(cue, &t, &span).map(|s| t.as_written(&s).to_string())
            };
            let problem = match (ex.matches, got) {
                (false, Some(g)) => Some(format!("matched {g:?} but should not")),
                (true, None) => Some("did not match".into()),
                (true, Some(g)) => ex
                    .value
                    .as_ref()
                    .filter(|v| **v != g)
                    .map(|v| format!("gave {g:?}, expected {v:?}")),
                (false, None) => None,
            };
            checked.record(RuleFile::Meta, &cue.name, &ex.text, problem);
        }
    }
    checked
}
