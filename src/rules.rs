//! Recognition rules as data.
//!
//! Input: the TOML files of `rules/` (embedded in the binary as defaults) or of a directory given
//! at run time, where a file of the same name replaces the default. Output: compiled [`Rules`],
//! or a [`RulesError`] naming the file, the line and the rule at fault. Each rule carries
//! examples; [`crate::examples::check`] runs them.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::stages::targets::TargetRules;

/// The rule files, each with its embedded default text.
pub const RULE_FILES: &[(&str, &str)] = &[
    ("markers.toml", include_str!("../rules/markers.toml")),
    ("chrome.toml", include_str!("../rules/chrome.toml")),
    ("meta.toml", include_str!("../rules/meta.toml")),
    (
        "departments.toml",
        include_str!("../rules/departments.toml"),
    ),
    ("units.toml", include_str!("../rules/units.toml")),
    ("targets.toml", include_str!("../rules/targets.toml")),
];

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

/// How a marker family's ordinal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrdinalKind {
    /// 一 二 … 十二 …
    Chinese,
    /// 1 2 … (ASCII after normalisation)
    Arabic,
    /// ① ② …
    Circled,
}

/// How much of a line after a marker the marker needs to be a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TitleMode {
    /// Any text may follow (the title is the first sentence).
    #[default]
    Any,
    /// The rest of the line must be a short title without sentence punctuation.
    ShortLine,
}

/// One heading numbering style.
#[derive(Debug, Clone)]
pub struct MarkerFamily {
    /// The family's name.
    pub name: String,
    /// Pattern with groups `marker`, `ord` and optionally `parent`.
    pub regex: Pattern,
    /// How `ord` is written.
    pub ordinal: OrdinalKind,
    /// Whether the family may skip an ordinal or two (with a diagnostic).
    pub strong: bool,
    /// Index of the family whose open heading's number must equal group `parent`.
    pub parent: Option<usize>,
    /// What must follow the marker.
    pub title: TitleMode,
    /// The family's examples.
    pub examples: Vec<MarkerExample>,
}

/// An example of a marker family.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerExample {
    /// A line of text.
    pub text: String,
    /// The marker as printed, when it must match.
    pub marker: Option<String>,
    /// The ordinal, when it must match.
    pub ordinal: Option<u32>,
    /// `false` when the family must not match.
    #[serde(default = "yes")]
    pub matches: bool,
    /// Whether the match must (or must not) be weak: only continuing a running numbering.
    pub weak: Option<bool>,
}

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
    /// Header key (spaces removed) to metadata field name.
    pub fields: BTreeMap<String, MetaField>,
}

/// A metadata field that a page header row may fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaField {
    /// `meta.published`
    Published,
    /// `meta.date`
    Date,
    /// `meta.doc_number`
    DocNumber,
    /// `meta.issuers`
    Issuers,
}

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
    /// The name of an issuing body.
    pub issuer: Cue,
    /// The issuer prefix of a notice title.
    pub title_issuer: Cue,
}

impl MetaCues {
    /// Every cue, in the order of the fields.
    pub fn all(&self) -> [&Cue; 11] {
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
            &self.issuer,
            &self.title_issuer,
        ]
    }
}

/// All compiled recognition rules.
#[derive(Debug)]
pub struct Rules {
    /// Heading marker families, in match order.
    pub markers: Vec<MarkerFamily>,
    /// Page chrome.
    pub chrome: ChromeRules,
    /// Notice metadata cues.
    pub meta: MetaCues,
    /// Role words, attribution patterns and department aliases.
    pub departments: crate::stages::departments::DepartmentRules,
    /// Units and target cues, which may still be compiling (see [`Rules::targets`]).
    targets: Staged<TargetRules>,
}

/// A part of the rules compiled on another thread, waited for when first needed.
struct Staged<T> {
    value: OnceLock<Result<T, RulesError>>,
    pending: Mutex<Option<JoinHandle<Result<T, RulesError>>>>,
    /// The rule file to name if the thread dies.
    file: String,
}

impl<T: Send + 'static> Staged<T> {
    /// Starts `job`, which compiles `file`, on a thread of its own (runs it here if no thread
    /// can be made: `job` is cloned for that).
    fn spawn<F>(file: &str, job: F) -> Self
    where
        F: Fn() -> Result<T, RulesError> + Clone + Send + 'static,
    {
        let (value, handle) = match std::thread::Builder::new()
            .name("zhengce-rules".to_string())
            .spawn(job.clone())
        {
            Ok(handle) => (OnceLock::new(), Some(handle)),
            Err(_) => (OnceLock::from(job()), None),
        };
        Staged {
            value,
            pending: Mutex::new(handle),
            file: file.to_string(),
        }
    }

    /// The outcome, once the thread has finished.
    fn result(&self) -> &Result<T, RulesError> {
        self.value.get_or_init(|| {
            let handle = self.pending.lock().ok().and_then(|mut p| p.take());
            match handle.map(JoinHandle::join) {
                Some(Ok(done)) => done,
                _ => Err(RulesError {
                    file: self.file.clone(),
                    line: None,
                    rule: None,
                    message: "compiling the rules of this file failed".to_string(),
                }),
            }
        })
    }
}

impl<T> std::fmt::Debug for Staged<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.value.get() {
            None => "compiling",
            Some(Ok(_)) => "compiled",
            Some(Err(_)) => "failed",
        };
        f.write_str(state)
    }
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkers {
    family: Vec<RawFamily>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    name: String,
    pattern: Spanned<String>,
    ordinal: OrdinalKind,
    #[serde(default)]
    strong: bool,
    parent: Option<Spanned<String>>,
    #[serde(default)]
    title: TitleMode,
    #[serde(default)]
    examples: Vec<MarkerExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChrome {
    #[serde(default)]
    fields: BTreeMap<String, MetaField>,
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

/// The text of one rule file and the name to report it by.
pub(crate) struct Source<'a> {
    pub(crate) display: String,
    pub(crate) text: &'a str,
}

impl Source<'_> {
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.text
            .get(..offset)
            .map_or(1, |s| s.bytes().filter(|&b| b == b'\n').count() + 1)
    }

    pub(crate) fn error(
        &self,
        span: Option<Range<usize>>,
        rule: Option<&str>,
        msg: String,
    ) -> RulesError {
        RulesError {
            file: self.display.clone(),
            line: span.map(|s| self.line_of(s.start)),
            rule: rule.map(str::to_string),
            message: msg,
        }
    }

    pub(crate) fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, RulesError> {
        toml::from_str(self.text).map_err(|e| {
            let msg = e.message().trim().to_string();
            self.error(e.span(), None, msg)
        })
    }

    pub(crate) fn regex(&self, rule: &str, pattern: &Spanned<String>) -> Result<Regex, RulesError> {
        Regex::new(pattern.get_ref()).map_err(|e| self.invalid(rule, pattern, &e.to_string()))
    }

    /// [`Source::regex`] for a pattern read as a [`Pattern`].
    pub(crate) fn pattern(
        &self,
        rule: &str,
        pattern: &Spanned<String>,
    ) -> Result<Pattern, RulesError> {
        Pattern::new(pattern.get_ref()).map_err(|e| self.invalid(rule, pattern, &e.to_string()))
    }

    fn invalid(&self, rule: &str, pattern: &Spanned<String>, error: &str) -> RulesError {
        self.error(
            Some(pattern.span()),
            Some(rule),
            format!("invalid regex: {}", regex_error_text(error)),
        )
    }
}

/// Embedded rule files as `(display name, text)`, in [`RULE_FILES`] order.
fn defaults(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(n, t)| (format!("rules/{n}"), (*t).to_string()))
        .collect()
}

/// The message of a regex error, without the pattern and caret lines before it.
pub(crate) fn regex_error_text(s: &str) -> String {
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
    // regex errors show the pattern, a caret line and then "error: …"; keep the error text.
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map(str::to_string)
        .unwrap_or_else(|| lines.join(" "))
}

include!(concat!(env!("OUT_DIR"), "/lean_rules.rs"));

impl Rules {
    /// The embedded default rules, compiled once per process, without the examples the rule
    /// files carry (see [`Rules::embedded_with_examples`]): what `parse` needs, read faster.
    ///
    /// # Errors
    /// Only if the embedded files are broken, which the test suite rules out.
    pub fn embedded() -> Result<Arc<Rules>, RulesError> {
        let rules = Rules::embedded_staged()?;
        rules.wait()?;
        Ok(rules)
    }

    /// [`Rules::embedded`] returning as soon as the rules of the stages before targets are
    /// compiled; the target rules go on compiling on a second thread, and the first parse
    /// that needs them waits for them. [`Rules::wait`] says whether they compiled.
    ///
    /// # Errors
    /// As [`Rules::embedded`], for the rules of the stages before targets; an error in the
    /// target rules comes from [`Rules::wait`].
    pub fn embedded_staged() -> Result<Arc<Rules>, RulesError> {
        static DEFAULT: OnceLock<Result<Arc<Rules>, RulesError>> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                // An error is reported from the files as written, with their line numbers.
                let targets = || {
                    let src = |files: &[(&str, &'static str)], i: usize| Source {
                        display: format!("rules/{}", files[i].0),
                        text: files[i].1,
                    };
                    crate::stages::targets::compile_rules(
                        &src(LEAN_RULE_FILES, 4),
                        &src(LEAN_RULE_FILES, 5),
                    )
                    .or_else(|_| {
                        crate::stages::targets::compile_rules(
                            &src(RULE_FILES, 4),
                            &src(RULE_FILES, 5),
                        )
                    })
                };
                Rules::compile_front(&defaults(LEAN_RULE_FILES), targets)
                    .or_else(|_| Rules::compile(&defaults(RULE_FILES)))
                    .map(Arc::new)
            })
            .clone()
    }

    /// The embedded default rules with their examples, for [`crate::examples::check`].
    ///
    /// # Errors
    /// Only if the embedded files are broken, which the test suite rules out.
    pub fn embedded_with_examples() -> Result<Arc<Rules>, RulesError> {
        Rules::compile(&defaults(RULE_FILES)).map(Arc::new)
    }

    /// The rules of `dir`: each known file present there replaces the embedded default (whose
    /// examples are left out, as in [`Rules::embedded`]).
    ///
    /// # Errors
    /// When `dir` cannot be read, holds a `.toml` file that is not a known rule file, or a rule
    /// file is malformed (bad TOML, an unknown field, an invalid regex).
    pub fn from_dir(dir: &Path) -> Result<Arc<Rules>, RulesError> {
        // A file of `dir` can break a default one (a unit family a target rule names): the
        // error is then reported from the default as written, with its line numbers.
        Rules::from_dir_over(dir, LEAN_RULE_FILES)
            .or_else(|_| Rules::from_dir_over(dir, RULE_FILES))
    }

    /// [`Rules::from_dir`] with the examples of the embedded defaults kept.
    ///
    /// # Errors
    /// As [`Rules::from_dir`].
    pub fn from_dir_with_examples(dir: &Path) -> Result<Arc<Rules>, RulesError> {
        Rules::from_dir_over(dir, RULE_FILES)
    }

    fn from_dir_over(dir: &Path, defaults: &[(&str, &str)]) -> Result<Arc<Rules>, RulesError> {
        let entries = std::fs::read_dir(dir).map_err(|e| RulesError {
            file: dir.display().to_string(),
            line: None,
            rule: None,
            message: format!("cannot read rules directory: {e}"),
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".toml") && !RULE_FILES.iter().any(|(n, _)| *n == name) {
                let known: Vec<&str> = RULE_FILES.iter().map(|(n, _)| *n).collect();
                return Err(RulesError {
                    file: entry.path().display().to_string(),
                    line: None,
                    rule: None,
                    message: format!("unknown rule file (known files: {})", known.join(", ")),
                });
            }
        }
        let mut texts = Vec::new();
        for (name, default) in defaults {
            let path = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|e| RulesError {
                    file: path.display().to_string(),
                    line: None,
                    rule: None,
                    message: format!("cannot read: {e}"),
                })?;
                texts.push((path.display().to_string(), text));
            } else {
                texts.push((format!("rules/{name}"), (*default).to_string()));
            }
        }
        Rules::compile(&texts).map(Arc::new)
    }

    /// Loads the rules of `dir`, or the embedded defaults when `dir` is `None`, without the
    /// defaults' examples.
    ///
    /// # Errors
    /// As [`Rules::from_dir`].
    pub fn load(dir: Option<&Path>) -> Result<Arc<Rules>, RulesError> {
        match dir {
            Some(d) => Rules::from_dir(d),
            None => Rules::embedded(),
        }
    }

    /// [`Rules::load`] with every example, for `zhengce rules`.
    ///
    /// # Errors
    /// As [`Rules::from_dir`].
    pub fn load_with_examples(dir: Option<&Path>) -> Result<Arc<Rules>, RulesError> {
        match dir {
            Some(d) => Rules::from_dir_with_examples(d),
            None => Rules::embedded_with_examples(),
        }
    }

    /// [`Rules::load`] returning before the target rules are compiled, as
    /// [`Rules::embedded_staged`] does for the defaults; rules read from `dir` are compiled
    /// whole before it returns.
    ///
    /// # Errors
    /// As [`Rules::from_dir`]; errors in the embedded target rules come from [`Rules::wait`].
    pub fn load_staged(dir: Option<&Path>) -> Result<Arc<Rules>, RulesError> {
        match dir {
            Some(d) => Rules::from_dir(d),
            None => Rules::embedded_staged(),
        }
    }

    /// Waits until every rule is compiled.
    ///
    /// # Errors
    /// The error of the target rules when they did not compile: what was read with these
    /// rules is then not to be trusted, as [`Rules::targets`] gave empty rules.
    pub fn wait(&self) -> Result<(), RulesError> {
        self.targets
            .result()
            .as_ref()
            .map(|_| ())
            .map_err(Clone::clone)
    }

    /// Units and target cues, waiting for them if they are still compiling; empty rules (no
    /// units, no cues) when they failed to compile (see [`Rules::wait`]).
    pub fn targets(&self) -> &TargetRules {
        static NONE: OnceLock<TargetRules> = OnceLock::new();
        match self.targets.result() {
            Ok(t) => t,
            Err(_) => NONE.get_or_init(TargetRules::default),
        }
    }

    /// Compiles the rule files given as `(display name, text)` in [`RULE_FILES`] order.
    fn compile(texts: &[(String, String)]) -> Result<Rules, RulesError> {
        let (units, targets) = (texts[4].clone(), texts[5].clone());
        let rules = Rules::compile_front(texts, move || {
            fn src((display, text): &(String, String)) -> Source<'_> {
                Source {
                    display: display.clone(),
                    text,
                }
            }
            crate::stages::targets::compile_rules(&src(&units), &src(&targets))
        })?;
        rules.wait()?;
        Ok(rules)
    }

    /// Compiles the rule files of the stages before targets from `texts` (in [`RULE_FILES`]
    /// order) while `targets` compiles the target rules on a second thread: compiling dozens
    /// of regexes dominates start-up, and the target rules are about half the work.
    fn compile_front<F>(texts: &[(String, String)], targets: F) -> Result<Rules, RulesError>
    where
        F: Fn() -> Result<TargetRules, RulesError> + Clone + Send + 'static,
    {
        let targets = Staged::spawn(&texts[5].0, targets);
        let src = |i: usize| Source {
            display: texts[i].0.clone(),
            text: &texts[i].1,
        };
        Ok(Rules {
            markers: compile_markers(&src(0))?,
            chrome: compile_chrome(&src(1))?,
            meta: compile_meta(&src(2))?,
            departments: crate::stages::departments::compile_rules(&src(3))?,
            targets,
        })
    }
}

impl Rules {
    /// Every rule pattern read as a [`Pattern`] (for tests).
    #[cfg(test)]
    pub(crate) fn patterns(&self) -> Vec<Pattern> {
        let mut v: Vec<Pattern> = self.markers.iter().map(|f| f.regex.clone()).collect();
        v.extend(self.chrome.rules.iter().map(|r| r.regex.clone()));
        v.extend(self.meta.all().iter().map(|c| c.regex.clone()));
        v.extend(self.departments.patterns());
        v.extend(self.targets().patterns());
        v
    }
}

fn compile_markers(src: &Source) -> Result<Vec<MarkerFamily>, RulesError> {
    let raw: RawMarkers = src.parse()?;
    let names: Vec<String> = raw.family.iter().map(|f| f.name.clone()).collect();
    let mut out = Vec::with_capacity(raw.family.len());
    for f in raw.family {
        let regex = src.pattern(&f.name, &f.pattern)?;
        for group in ["marker", "ord"] {
            if !regex.capture_names().any(|n| n == Some(group)) {
                return Err(src.error(
                    Some(f.pattern.span()),
                    Some(&f.name),
                    format!("pattern has no group named `{group}`"),
                ));
            }
        }
        let parent = match &f.parent {
            None => None,
            Some(p) => {
                let idx = names.iter().position(|n| n == p.get_ref()).ok_or_else(|| {
                    src.error(
                        Some(p.span()),
                        Some(&f.name),
                        format!("parent family `{}` is not defined", p.get_ref()),
                    )
                })?;
                if !regex.capture_names().any(|n| n == Some("parent")) {
                    return Err(src.error(
                        Some(f.pattern.span()),
                        Some(&f.name),
                        "a family with a parent needs a group named `parent`".to_string(),
                    ));
                }
                Some(idx)
            }
        };
        out.push(MarkerFamily {
            name: f.name,
            regex,
            ordinal: f.ordinal,
            strong: f.strong,
            parent,
            title: f.title,
            examples: f.examples,
        });
    }
    Ok(out)
}

fn compile_chrome(src: &Source) -> Result<ChromeRules, RulesError> {
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

fn compile_meta(src: &Source) -> Result<MetaCues, RulesError> {
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
        issuer: take("issuer")?,
        title_issuer: take("title-issuer")?,
    };
    if let Some(extra) = cues.keys().next() {
        return Err(src.error(None, Some(extra), "unknown cue name".to_string()));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(file: &str, text: &str) -> Result<Rules, RulesError> {
        let texts: Vec<(String, String)> = RULE_FILES
            .iter()
            .map(|(n, t)| {
                if *n == file {
                    (format!("custom/{n}"), text.to_string())
                } else {
                    (format!("rules/{n}"), (*t).to_string())
                }
            })
            .collect();
        Rules::compile(&texts)
    }

    #[test]
    fn embedded_rules_compile() {
        let r = Rules::embedded().expect("embedded rules");
        assert!(r.markers.len() >= 10);
        let staged = Rules::embedded_staged().expect("embedded rules");
        assert!(staged.wait().is_ok() && Arc::ptr_eq(&r, &staged));
    }

    #[test]
    fn target_rules_that_fail_on_their_thread_fail_the_wait() {
        let texts = defaults(LEAN_RULE_FILES);
        let failing = || {
            Err(Source {
                display: "custom/targets.toml".into(),
                text: "",
            }
            .error(None, Some("x"), "broken".to_string()))
        };
        let r = Rules::compile_front(&texts, failing).expect("the other files compile");
        let e = r.wait().unwrap_err();
        assert_eq!(e.to_string(), "custom/targets.toml: rule `x`: broken");
        // A parse meanwhile reads with empty target rules, and the error stays.
        let parser = crate::Parser::new(Arc::new(r));
        let doc = parser.parse_str("一、任务\n到2025年,产值达到418亿元。\n", None);
        assert_eq!(doc.tasks.len(), 1);
        assert_eq!(parser.rules().wait().unwrap_err(), e);
        // Compiled whole, the same failure is the compile's error.
        let mut broken = texts.clone();
        broken[5]
            .1
            .push_str("\n[[deadline]]\nname = \"bad\"\npattern = '(unclosed'\n");
        assert!(Rules::compile(&broken).is_err());
    }

    /// Every `examples` key removed, and the department examples (top-level `example`).
    fn without_examples(v: &mut toml::Value, top: bool) {
        match v {
            toml::Value::Table(t) => {
                t.remove("examples");
                if top {
                    t.remove("example");
                }
                for (_, x) in t.iter_mut() {
                    without_examples(x, false);
                }
            }
            toml::Value::Array(items) => items.iter_mut().for_each(|x| without_examples(x, false)),
            _ => {}
        }
    }

    #[test]
    fn errors_in_a_default_file_name_its_lines_as_written() {
        let dir = std::env::temp_dir().join(format!("zhengce-rules-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let units = RULE_FILES
            .iter()
            .find(|(n, _)| *n == "units.toml")
            .map(|(_, t)| t.replace("name = \"age\"", "name = \"age2\""))
            .unwrap();
        std::fs::write(dir.join("units.toml"), units).unwrap();
        let lean = Rules::from_dir(&dir).unwrap_err();
        let full = Rules::from_dir_with_examples(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(lean.file, "rules/targets.toml");
        assert!(lean.line.is_some());
        assert_eq!(lean, full);
    }

    #[test]
    fn lean_rule_files_are_the_rule_files_without_their_examples() {
        assert_eq!(LEAN_RULE_FILES.len(), RULE_FILES.len());
        for ((name, full), (lean_name, lean)) in RULE_FILES.iter().zip(LEAN_RULE_FILES) {
            assert_eq!(name, lean_name);
            let mut want: toml::Value = toml::from_str(full).expect("full file");
            without_examples(&mut want, true);
            let got: toml::Value = toml::from_str(lean).expect("lean file");
            assert_eq!(got, want, "{name}");
            assert!(
                full.contains("example") && !lean.contains("example"),
                "{name}"
            );
        }
        let lean = Rules::embedded().expect("lean rules");
        let full = Rules::embedded_with_examples().expect("full rules");
        assert_eq!(crate::examples::check(&lean).1, 0);
        assert!(crate::examples::check(&full).1 > 400);
    }

    #[test]
    fn bad_toml_names_file_and_line() {
        let e = with("chrome.toml", "[[rule]]\nname = \"x\"\npattern = \n").unwrap_err();
        assert_eq!(e.file, "custom/chrome.toml");
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn invalid_regex_names_rule_and_line() {
        let text = "[[rule]]\nname = \"ok\"\npattern = 'a'\n\n[[rule]]\nname = \"broken\"\npattern = '(unclosed'\n";
        let e = with("chrome.toml", text).unwrap_err();
        assert_eq!(e.rule.as_deref(), Some("broken"));
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("invalid regex"), "{}", e.message);
        assert!(
            e.to_string()
                .starts_with("custom/chrome.toml:7: rule `broken`: invalid regex")
        );
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = "[[rule]]\nname = \"x\"\npattern = 'a'\ncolour = 'red'\n";
        let e = with("chrome.toml", text).unwrap_err();
        assert!(e.message.contains("colour"), "{}", e.message);
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn missing_group_is_an_error() {
        let text = "[[family]]\nname = \"x\"\npattern = '^(?P<marker>a)'\nordinal = \"arabic\"\n";
        let e = with("markers.toml", text).unwrap_err();
        assert!(e.message.contains("`ord`"), "{}", e.message);
    }

    #[test]
    fn from_dir_overrides_one_file_and_rejects_unknown_files() {
        let dir = tempdir();
        std::fs::write(
            dir.join("chrome.toml"),
            "[[rule]]\nname = \"only\"\npattern = '^xyz$'\n",
        )
        .unwrap();
        let r = Rules::from_dir(&dir).unwrap();
        assert_eq!(r.chrome.rules.len(), 1);
        assert!(r.markers.len() >= 10, "other files keep their defaults");
        std::fs::write(dir.join("marker.toml"), "").unwrap();
        let e = Rules::from_dir(&dir).unwrap_err();
        assert!(e.message.contains("unknown rule file"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    fn tempdir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "zhengce-rules-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
