//! What every rule file shares: which files there are, their text with the name to report it
//! by, the error that names file, line and rule, and the failure of one example.
//!
//! Each stage owns the TOML shape of its rule file, compiles it through [`RuleSource`] and
//! checks its examples into [`Failure`]s; `crate::rules` only gathers the stages' rules.

use std::ops::Range;

use regex::Regex;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::segment;
use crate::base::text::{ByteSpan, Text};

include!("rule_file_names.rs");

/// One of the rule files in `rules/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleFile {
    /// `html.toml`: where a web page's document is.
    Html,
    /// `markers.toml`: heading marker families.
    Markers,
    /// `chrome.toml`: page chrome and the header fields it fills.
    Chrome,
    /// `meta.toml`: cues for the notice wrapper and its metadata.
    Meta,
    /// `departments.toml`: role words, names, aliases.
    Departments,
    /// `deadlines.toml`: the words around deadline dates.
    Deadlines,
    /// `annex.toml`: the header words of annex task tables and the role of each column.
    Annex,
    /// `units.toml`: units and their magnitudes.
    Units,
    /// `targets.toml`: deadlines, cues, bounds, exclusions, indicator tables.
    Targets,
}

impl RuleFile {
    /// Every rule file, in the order they are compiled.
    pub const ALL: [RuleFile; 9] = [
        RuleFile::Html,
        RuleFile::Markers,
        RuleFile::Chrome,
        RuleFile::Meta,
        RuleFile::Departments,
        RuleFile::Deadlines,
        RuleFile::Annex,
        RuleFile::Units,
        RuleFile::Targets,
    ];

    /// The file's name (`markers.toml`).
    pub fn name(self) -> &'static str {
        RULE_FILE_NAMES[self as usize]
    }

    /// The file of that name, if it is a rule file.
    pub fn from_name(name: &str) -> Option<RuleFile> {
        RuleFile::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl std::fmt::Display for RuleFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule file that could not be read, parsed or compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct RulesError {
    /// The file at fault, as given (`rules/markers.toml` for an embedded default).
    pub file: String,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// The rule's name, when the fault is inside one rule.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl RulesError {
    /// An error about a whole file (or folder), with no line or rule.
    pub fn file(file: impl Into<String>, message: String) -> Self {
        RulesError {
            file: file.into(),
            line: None,
            rule: None,
            message,
        }
    }

    fn render(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
        if let Some(r) = &self.rule {
            s.push_str(&format!("rule `{r}`: "));
        }
        s.push_str(&self.message);
        s
    }
}

/// The text of one rule file and the name to report it by.
#[derive(Debug, Clone)]
pub struct RuleSource<'a> {
    /// The name errors give (`rules/markers.toml`, or the path of a user's file).
    pub display: String,
    /// The file's text.
    pub text: &'a str,
}

impl RuleSource<'_> {
    /// The 1-based line of a byte offset.
    pub fn line_at(&self, offset: usize) -> usize {
        self.text
            .get(..offset)
            .map_or(1, |s| s.bytes().filter(|&b| b == b'\n').count() + 1)
    }

    /// An error in this file, at the line of `span` when given.
    pub fn error(&self, span: Option<Range<usize>>, rule: Option<&str>, msg: String) -> RulesError {
        RulesError {
            file: self.display.clone(),
            line: span.map(|s| self.line_at(s.start)),
            rule: rule.map(str::to_string),
            message: msg,
        }
    }

    /// The file read as the TOML shape `T`.
    ///
    /// # Errors
    /// Bad TOML or a shape that does not fit, with its line.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, RulesError> {
        toml::from_str(self.text).map_err(|e| {
            let msg = e.message().trim().to_string();
            self.error(e.span(), None, msg)
        })
    }

    /// A rule's pattern compiled by the `regex` crate.
    ///
    /// # Errors
    /// An invalid pattern, naming the rule and its line.
    pub fn regex(&self, rule: &str, pattern: &Spanned<String>) -> Result<Regex, RulesError> {
        Regex::new(pattern.get_ref()).map_err(|e| self.invalid(rule, pattern, &e.to_string()))
    }

    /// A rule's pattern compiled as a [`Pattern`].
    ///
    /// # Errors
    /// As [`RuleSource::regex`].
    pub fn pattern(&self, rule: &str, pattern: &Spanned<String>) -> Result<Pattern, RulesError> {
        Pattern::new(pattern.get_ref()).map_err(|e| self.invalid(rule, pattern, &e.to_string()))
    }

    /// The error for an invalid pattern of `rule`.
    pub fn invalid(&self, rule: &str, pattern: &Spanned<String>, error: &str) -> RulesError {
        self.error(
            Some(pattern.span()),
            Some(rule),
            format!("invalid regex: {}", regex_error_text(error)),
        )
    }
}

/// The message of a regex error, without the pattern and caret lines before it.
pub fn regex_error_text(s: &str) -> String {
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
    // regex errors show the pattern, a caret line and then "error: …"; keep the error text.
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map(str::to_string)
        .unwrap_or_else(|| lines.join(" "))
}

/// One example that did not give what its rule file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Rule file.
    pub file: RuleFile,
    /// Rule name.
    pub rule: String,
    /// The example text.
    pub text: String,
    /// What went wrong.
    pub problem: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: rule `{}`: {:?}: {}",
            self.file, self.rule, self.text, self.problem
        )
    }
}

/// The failures of a file's examples and how many ran.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The examples that failed.
    pub failures: Vec<Failure>,
    /// How many examples ran.
    pub count: usize,
}

impl Checked {
    /// Counts one example of `file`'s `rule` on `text`, failed with `problem` when given.
    pub fn record(&mut self, file: RuleFile, rule: &str, text: &str, problem: Option<String>) {
        self.count += 1;
        if let Some(problem) = problem {
            self.failures.push(Failure {
                file,
                rule: rule.to_string(),
                text: text.to_string(),
                problem,
            });
        }
    }

    /// Adds another file's results.
    pub fn extend(&mut self, other: Checked) {
        self.failures.extend(other.failures);
        self.count += other.count;
    }
}

/// A one-line example as text, and the span of its trimmed content.
pub fn one_line_text(s: &str) -> (Text, ByteSpan) {
    let t = Text::new(s.to_string());
    let span = segment::lines(&t)
        .first()
        .map_or(0..0, |l| l.content.clone());
    (t, span)
}

/// The serde default of example fields that hold unless an example says otherwise.
pub fn yes() -> bool {
    true
}
