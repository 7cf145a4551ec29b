//! `departments.toml`: role labels and verbs, how names split, what a body's name looks like,
//! and department aliases, compiled, and the runner of their examples.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError};
use crate::base::text::{Text, normalize_str, squash};
use crate::base::word_set::{Anchor, WordSet};
use crate::model::Role;

use super::extract_task;

/// Compiled department rules.
#[derive(Debug, Clone)]
pub struct DepartmentRules {
    /// Labels (`牵头部门`) in leftmost-longest order, with their roles.
    pub(super) labels: Vec<(String, Role)>,
    pub(super) label_ac: AhoCorasick,
    /// Verbs (`牵头`, `按职责分工负责`) with their roles.
    pub(super) verbs: Vec<(String, Role)>,
    /// The verbs, found at the end of a text longest first (the index is into `verbs`).
    pub(super) verb_ends: Option<WordSet>,
    /// Words that may stand before a verb and belong to it (`按职责分工`), found at the end
    /// of a text longest first.
    pub(super) verb_modifiers: Option<WordSet>,
    /// Role words that name the leading body (`牵头`).
    pub(super) primary_lead: Vec<String>,
    /// Lead words that yield to a primary one in the same bracket (`责任单位`, `按职责分工负责`):
    /// their bodies then take part.
    pub(super) secondary_lead: Vec<String>,
    pub(super) separators: Vec<char>,
    pub(super) conjunctions: Vec<String>,
    /// A searcher for each conjunction: names are short, and a SIMD search per conjunction
    /// costs less there than one automaton's overlapping search for all.
    pub(super) conjunction_finders: Vec<memchr::memmem::Finder<'static>>,
    pub(super) trailing: Vec<String>,
    pub(super) leading: Vec<String>,
    pub(super) generic: Vec<String>,
    /// Collectives that take a coordinated modifier (`…成员单位`).
    pub(super) collective: Vec<String>,
    /// A label of another kind than the known ones (`完成时限：`, `指导单位：`).
    pub(super) other_label: Pattern,
    /// An unknown label that names bodies (`督办单位：`), reported.
    pub(super) unit_label: Pattern,
    /// A segment that is a date or a state, not names.
    pub(super) not_names: Pattern,
    /// Words after which the bodies of a leading list take part (`会同`).
    pub(super) joint: Vec<String>,
    /// A body's name on its own.
    pub body: Pattern,
    body_examples: Vec<BodyExample>,
    /// Conventions a document may declare (`列第一位者为牵头单位`).
    pub(super) conventions: Vec<ConventionRule>,
    /// Squashed spelling → canonical group index.
    pub(super) aliases: BTreeMap<String, usize>,
    /// The canonical name of each alias group: its first name.
    pub(super) canonical: Vec<String>,
    examples: Vec<Example>,
}

/// How a document says its attribution lists read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Convention {
    /// The first body of a list leads, the rest take part (`列第一位者为牵头单位`).
    FirstLeads,
    /// The bodies before the first comma lead, the rest take part (`第一个逗号前为牵头单位`).
    BeforeFirstCommaLead,
}

/// A declaration of a convention, as the rules find it. Most documents declare none, so its
/// pattern is only compiled (once) for a text that holds one of the words every declaration
/// holds: a start pays for neither.
#[derive(Debug)]
pub(super) struct ConventionRule {
    pub(super) pattern: String,
    pub(super) compiled: std::sync::OnceLock<Option<regex::Regex>>,
    /// Words one of which every declaration holds.
    pub(super) requires: Vec<String>,
    pub(super) kind: Convention,
}

impl Clone for ConventionRule {
    fn clone(&self) -> Self {
        ConventionRule {
            pattern: self.pattern.clone(),
            compiled: std::sync::OnceLock::new(),
            requires: self.requires.clone(),
            kind: self.kind,
        }
    }
}

impl ConventionRule {
    /// The pattern, compiled on first need (its syntax was checked when the rules loaded).
    pub(super) fn regex(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| regex::Regex::new(&self.pattern).ok())
            .as_ref()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyExample {
    text: String,
    body: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    text: String,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    participants: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    label: Vec<RawWords>,
    verb: Vec<RawWords>,
    #[serde(default)]
    verb_modifiers: Vec<String>,
    #[serde(default)]
    primary_lead: Vec<String>,
    #[serde(default)]
    secondary_lead: Vec<String>,
    names: RawNames,
    body: RawBody,
    #[serde(default)]
    alias: Vec<RawAlias>,
    #[serde(default)]
    convention: Vec<RawConvention>,
    #[serde(default)]
    example: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConvention {
    name: String,
    kind: Convention,
    pattern: Spanned<String>,
    requires: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWords {
    role: Role,
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNames {
    separators: Vec<String>,
    conjunctions: Vec<String>,
    trailing: Vec<String>,
    leading: Vec<String>,
    generic: Vec<String>,
    collective: Vec<String>,
    #[serde(default)]
    joint: Vec<String>,
    other_label: Spanned<String>,
    unit_label: Spanned<String>,
    not_names: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    pattern: Spanned<String>,
    #[serde(default)]
    examples: Vec<BodyExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlias {
    names: Vec<String>,
}

fn words(raw: &[RawWords]) -> Vec<(String, Role)> {
    let mut v: Vec<(String, Role)> = raw
        .iter()
        .flat_map(|w| w.words.iter().map(|s| (normalize_str(s), w.role)))
        .collect();
    // Longer words first, so `牵头负责` wins over `负责`.
    v.sort_by_key(|w| std::cmp::Reverse(w.0.chars().count()));
    v
}

/// Compiles `departments.toml`.
///
/// # Errors
/// A malformed file, naming file, line and rule.
pub fn compile(src: &RuleSource) -> Result<DepartmentRules, RulesError> {
    let raw: Raw = src.parse()?;
    let labels = words(&raw.label);
    let verbs = words(&raw.verb);
    let verb_words: Vec<String> = verbs.iter().map(|(w, _)| w.clone()).collect();
    let verb_ends = WordSet::new(&verb_words, Anchor::End);
    let modifiers: Vec<String> = raw
        .verb_modifiers
        .iter()
        .map(|m| normalize_str(m))
        .collect();
    let verb_modifiers = WordSet::new(&modifiers, Anchor::End);
    let label_ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        // Searched a few times per task: building a DFA would cost more than it saves.
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(labels.iter().map(|(w, _)| w.as_str()))
        .map_err(|e| src.error(None, Some("label"), e.to_string()))?;
    let mut separators = Vec::new();
    for s in &raw.names.separators {
        let n = normalize_str(s);
        let mut chars = n.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => separators.push(c),
            _ => {
                return Err(src.error(
                    None,
                    Some("names"),
                    format!("separator {s:?} must be one character"),
                ));
            }
        }
    }
    let body = src.pattern("body", &raw.body.pattern)?;
    let mut aliases = BTreeMap::new();
    for (i, a) in raw.alias.iter().enumerate() {
        for n in &a.names {
            aliases.insert(squash(n), i);
        }
    }
    let norm_all = |v: &[String]| v.iter().map(|s| normalize_str(s)).collect::<Vec<_>>();
    let mut trailing = norm_all(&raw.names.trailing);
    trailing.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let conjunctions = norm_all(&raw.names.conjunctions);
    let conjunction_finders = conjunctions
        .iter()
        .map(|c| memchr::memmem::Finder::new(c.as_bytes()).into_owned())
        .collect();
    Ok(DepartmentRules {
        labels,
        label_ac,
        verbs,
        verb_ends,
        verb_modifiers,
        primary_lead: norm_all(&raw.primary_lead),
        secondary_lead: norm_all(&raw.secondary_lead),
        separators,
        conjunctions,
        conjunction_finders,
        trailing,
        leading: norm_all(&raw.names.leading),
        generic: norm_all(&raw.names.generic),
        collective: norm_all(&raw.names.collective),
        other_label: src.pattern("names.other_label", &raw.names.other_label)?,
        unit_label: src.pattern("names.unit_label", &raw.names.unit_label)?,
        not_names: src.pattern("names.not_names", &raw.names.not_names)?,
        joint: norm_all(&raw.names.joint),
        conventions: raw
            .convention
            .iter()
            .map(|c| {
                // Checked now, compiled when a document needs it.
                regex_syntax::Parser::new()
                    .parse(c.pattern.get_ref())
                    .map_err(|e| src.invalid(&c.name, &c.pattern, &e.to_string()))?;
                if c.requires.iter().all(|w| w.is_empty()) {
                    return Err(src.error(
                        Some(c.pattern.span()),
                        Some(&c.name),
                        "a convention needs a word in `requires`".to_string(),
                    ));
                }
                Ok(ConventionRule {
                    pattern: c.pattern.get_ref().clone(),
                    compiled: std::sync::OnceLock::new(),
                    requires: c.requires.iter().map(|w| normalize_str(w)).collect(),
                    kind: c.kind,
                })
            })
            .collect::<Result<_, RulesError>>()?,
        body,
        body_examples: raw.body.examples,
        aliases,
        canonical: raw
            .alias
            .iter()
            .map(|a| a.names.first().cloned().unwrap_or_default())
            .collect(),
        examples: raw.example,
    })
}

/// Runs the examples of the department rules.
pub fn check_examples(rules: &DepartmentRules) -> Checked {
    let mut checked = Checked::default();
    for ex in &rules.body_examples {
        let ok = rules.body.is_match(&normalize_str(&ex.text)) == ex.body;
        let problem = (!ok).then(|| format!("body should be {}", ex.body));
        checked.record(RuleFile::Departments, "body", &ex.text, problem);
    }
    for ex in &rules.examples {
        let t = Text::new(ex.text.clone());
        let found = extract_task(&t, &(0..t.norm().len()), rules);
        let names = |role: Role| -> Vec<String> {
            found
                .iter()
                .filter(|f| f.role == role)
                .flat_map(|f| f.names.iter().map(|s| t.as_written(s).to_string()))
                .collect()
        };
        let (lead, part) = (names(Role::Lead), names(Role::Participant));
        let problem = (lead != ex.lead || part != ex.participants).then(|| {
            format!(
                "gave lead {lead:?} participants {part:?}, expected lead {:?} participants {:?}",
                ex.lead, ex.participants
            )
        });
        checked.record(RuleFile::Departments, "example", &ex.text, problem);
    }
    checked
}
