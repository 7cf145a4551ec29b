//! `html.toml`: where a web page's document is and what around it is not, compiled, and the
//! runner of its examples.

use serde::Deserialize;

use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError};

/// What the web page reader looks for.
#[derive(Debug, Clone, Default)]
pub struct HtmlRules {
    /// Names (an id or a class, lowercase) of the containers content systems put a document
    /// in: hints among the elements that hold most of a page's prose.
    pub containers: Vec<String>,
    /// Names of page widgets left out wherever they are (share buttons, print links).
    pub chrome: Vec<String>,
    /// The labels of a page's header table (索引号, 发文机关 …), without spaces.
    pub header_labels: Vec<String>,
    /// The labels among them that give the page's publication date.
    pub date_labels: Vec<String>,
    /// `<meta>` names that give the page's title, lowercase, in order of preference.
    pub title_metas: Vec<String>,
    /// `<meta>` names that give the page's publication date, lowercase.
    pub date_metas: Vec<String>,
    /// The examples: pages and the text read from them.
    pub examples: Vec<HtmlExample>,
}

/// A page and the text the reader must give for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlExample {
    /// What the example shows.
    pub name: String,
    /// The page.
    pub html: String,
    /// The text read from it, exactly.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    containers: Vec<String>,
    #[serde(default)]
    chrome: Vec<String>,
    #[serde(default)]
    header_labels: Vec<String>,
    #[serde(default)]
    date_labels: Vec<String>,
    #[serde(default)]
    title_metas: Vec<String>,
    #[serde(default)]
    date_metas: Vec<String>,
    #[serde(default)]
    example: Vec<HtmlExample>,
}

/// Compiles `html.toml`.
///
/// # Errors
/// A malformed file, naming file and line; more header labels than the reader counts (64).
pub fn compile(src: &RuleSource) -> Result<HtmlRules, RulesError> {
    let raw: Raw = src.parse()?;
    let lower = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let squash = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .filter(|s| !s.is_empty())
            .collect()
    };
    if raw.header_labels.len() > 64 {
        return Err(src.error(
            None,
            None,
            format!(
                "{} header labels; at most 64 are read",
                raw.header_labels.len()
            ),
        ));
    }
    Ok(HtmlRules {
        containers: lower(raw.containers),
        chrome: lower(raw.chrome),
        header_labels: squash(raw.header_labels),
        date_labels: squash(raw.date_labels),
        title_metas: lower(raw.title_metas),
        date_metas: lower(raw.date_metas),
        examples: raw.example,
    })
}

/// Runs the examples: each page read with these rules must give its text exactly.
pub fn check_examples(rules: &HtmlRules) -> Checked {
    let mut checked = Checked::default();
    for ex in &rules.examples {
        let got = super::html::read(ex.html.as_bytes(), rules).text;
        let problem = (got != ex.text).then(|| format!("read {got:?}, expected {:?}", ex.text));
        checked.record(RuleFile::Html, &ex.name, &ex.html, problem);
    }
    checked
}
