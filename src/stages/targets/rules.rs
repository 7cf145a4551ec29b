//! The compiled unit and target rules, and `rules/targets.toml` read table by table.
//!
//! Input: the text of `units.toml` and `targets.toml`. Output: [`TargetRules`], or an error
//! naming file, line and rule.

use super::*;

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::rule_file::{RuleSource, RulesError, regex_error_text};
use crate::base::text::normalize_str;
use crate::base::word_set::{Anchor, Matcher, WordSet};

/// Compiled unit and target rules.
#[derive(Debug, Clone, Default)]
pub struct TargetRules {
    pub(super) families: Vec<Family>,
    /// The family that compound units (`公里/平方公里`) belong to: the first of kind `rate`.
    pub(super) rate_family: Option<usize>,
    /// The unit forms.
    pub(super) forms: FormIndex,
    pub(super) deadlines: Vec<Deadline>,
    pub(super) yearly: Vec<(Matcher, bool)>,
    /// Baseline patterns and the index of their group `year`.
    pub(super) baselines: Vec<(Regex, usize)>,
    /// The cue words of all cue rules.
    pub(super) cue_words: Option<WordSet>,
    /// The kind and conditions of each word of `cue_words`, by its index.
    pub(super) cue_kinds: Vec<(CueKind, Option<CueCond>)>,
    pub(super) bound_before: Option<WordSet>,
    pub(super) bound_after: Option<WordSet>,
    pub(super) bound_words: HashMap<String, Bound>,
    pub(super) bound_infix: Vec<(String, Bound)>,
    pub(super) skips: Vec<SkipRule>,
    pub(super) clause_words: Option<ClauseWords>,
    /// What the rules make of each builtin, at `Builtin as usize`.
    pub(super) builtins: [BuiltinSetting; Builtin::ALL.len()],
    pub(super) drop_prefix: Option<WordSet>,
    pub(super) drop_suffix: Option<WordSet>,
    /// Patterns dropped from the start of an indicator.
    pub(super) drop_pattern: Vec<Pattern>,
    /// Abstract nouns that do not name the counted thing (`能力`, `水平`, `增效`).
    pub(super) weak_heads: Option<WordSet>,
    /// Adverbs dropped from an indicator's start before a verb (`重点`).
    pub(super) adverbs: Vec<String>,
    /// Verbs of building that stay at the start of a subject they open (`新增城镇就业`).
    pub(super) kept_verbs: Vec<String>,
    /// Verbs that belong to the indicator they stand in: a share (`A占B比重`).
    pub(super) share_verbs: Vec<String>,
    /// Words that end a noun phrase read after its number (`到`, `来`, `开展`), with the words
    /// that contain one and end nothing (`得到`, `未来`): the first `noun_ends_count` of the set
    /// end it.
    pub(super) noun_ends: Option<WordSet>,
    pub(super) noun_ends_count: usize,
    /// Paragraph openings that continue the paragraph before (`——`).
    pub(super) bullets: Vec<String>,
    pub(super) section: Option<SectionRule>,
    pub(super) table: TableRules,
    /// The verbs after which a magnitude written alone (`培育百家`) is a number.
    pub(super) alone_after: Option<WordSet>,
    /// What may not follow its unit (`百家争鸣`).
    pub(super) alone_not_before: Vec<String>,
    /// The unit families or forms it may have (none: any count).
    pub(super) alone_units: Vec<String>,
    pub(super) unit_examples: Vec<(String, UnitExample)>,
    pub(super) target_examples: Vec<(String, TargetExample)>,
}

pub(super) fn yes() -> bool {
    true
}

/// A rule's pattern from `key` (a regular expression) or `key_words` (literal words matched
/// as `anchor` says), not both.
fn matcher(
    src: &RuleSource,
    rule: &str,
    pattern: &Option<Spanned<String>>,
    words: &Option<Spanned<Vec<String>>>,
    anchor: Anchor,
) -> Result<Option<Matcher>, RulesError> {
    match (pattern, words) {
        (Some(p), None) => Ok(Some(Matcher::Regex(src.regex(rule, p)?))),
        (None, Some(w)) => {
            let list: Vec<String> = w.get_ref().iter().map(|x| normalize_str(x)).collect();
            WordSet::new(&list, anchor)
                .map(|w| Some(Matcher::Words(w)))
                .ok_or_else(|| src.error(Some(w.span()), Some(rule), "an empty word list".into()))
        }
        (None, None) => Ok(None),
        (Some(p), Some(_)) => Err(src.error(
            Some(p.span()),
            Some(rule),
            "give a pattern or a word list, not both".into(),
        )),
    }
}

// ------------------------------------------------------------------------------------------
// Rule files.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    #[serde(default)]
    deadline: Vec<RawDeadline>,
    #[serde(default)]
    yearly: Vec<RawYearly>,
    #[serde(default)]
    baseline: Vec<RawBaseline>,
    #[serde(default)]
    cue: Vec<RawCue>,
    #[serde(default)]
    bound: Vec<RawBound>,
    #[serde(default)]
    skip: Vec<RawSkip>,
    #[serde(default)]
    builtin: Vec<RawBuiltin>,
    indicator: Option<RawIndicator>,
    section: Option<RawSection>,
    table: Option<RawTable>,
    magnitude_alone: Option<RawMagnitudeAlone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    heading: Spanned<String>,
    past: Option<Spanned<String>>,
    unless: Option<Spanned<String>>,
    past_words: Option<Spanned<Vec<String>>>,
    unless_words: Option<Spanned<Vec<String>>>,
    reason: SkipReason,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadline {
    name: String,
    pattern: Spanned<String>,
    year: Option<i32>,
    preceded_by: Option<Spanned<String>>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYearly {
    name: String,
    pattern: Option<Spanned<String>>,
    words: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    keeps_deadline: bool,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    name: String,
    pattern: Spanned<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    name: Spanned<String>,
    kind: CueKind,
    words: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    adjacent: bool,
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBound {
    name: Spanned<String>,
    bound: Bound,
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    infix: Vec<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    name: String,
    reason: Spanned<SkipReason>,
    before: Option<Spanned<String>>,
    after: Option<Spanned<String>>,
    clause: Option<Spanned<String>>,
    unless: Option<Spanned<String>>,
    before_words: Option<Spanned<Vec<String>>>,
    after_words: Option<Spanned<Vec<String>>>,
    clause_words: Option<Spanned<Vec<String>>>,
    unless_words: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuiltin {
    name: Builtin,
    reason: Option<SkipReason>,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    #[serde(default)]
    drop_prefix: Vec<String>,
    #[serde(default)]
    drop_suffix: Vec<String>,
    #[serde(default)]
    drop_pattern: Vec<Spanned<String>>,
    #[serde(default)]
    weak_heads: Vec<String>,
    #[serde(default)]
    adverbs: Vec<String>,
    #[serde(default)]
    kept_verbs: Vec<String>,
    #[serde(default)]
    share_verbs: Vec<String>,
    #[serde(default)]
    noun_ends: Vec<String>,
    #[serde(default)]
    noun_ends_not: Vec<String>,
    #[serde(default)]
    bullets: Vec<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    number: Vec<String>,
    indicator: Vec<String>,
    #[serde(default)]
    unit: Vec<String>,
    target: Vec<String>,
    #[serde(default)]
    baseline: Vec<String>,
    #[serde(default)]
    value: Vec<String>,
    #[serde(default)]
    attribute: Vec<String>,
    #[serde(default)]
    attribute_values: Vec<String>,
    #[serde(default)]
    other: Vec<String>,
    #[serde(default)]
    no_value: Vec<String>,
    #[serde(default)]
    periods: HashMap<String, i32>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMagnitudeAlone {
    after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

/// Compiles `units.toml` and `targets.toml`.
///
/// # Errors
/// A malformed file, naming file, line and rule.
pub fn compile_rules(units: &RuleSource, targets: &RuleSource) -> Result<TargetRules, RulesError> {
    let mut rules = TargetRules::default();
    compile_units(units, &mut rules)?;
    compile_targets(targets, &mut rules)?;
    Ok(rules)
}

fn compile_targets(src: &RuleSource, rules: &mut TargetRules) -> Result<(), RulesError> {
    let raw: RawTargets = src.parse()?;
    compile_deadlines(src, rules, raw.deadline)?;
    compile_yearly(src, rules, raw.yearly)?;
    compile_baselines(src, rules, raw.baseline)?;
    compile_cues(src, rules, raw.cue)?;
    compile_bounds(src, rules, raw.bound)?;
    compile_skips(src, rules, raw.skip)?;
    compile_builtins(rules, raw.builtin);
    if let Some(indicator) = raw.indicator {
        compile_indicator(src, rules, indicator)?;
    }
    if let Some(section) = raw.section {
        compile_section(src, rules, section)?;
    }
    if let Some(alone) = raw.magnitude_alone {
        compile_magnitude_alone(src, rules, alone)?;
    }
    if let Some(table) = raw.table {
        compile_table(rules, table);
    }
    Ok(())
}

impl TargetRules {
    fn push_examples(&mut self, rule: &str, examples: Vec<TargetExample>) {
        for e in examples {
            self.target_examples.push((rule.to_string(), e));
        }
    }
}

fn compile_deadlines(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: Vec<RawDeadline>,
) -> Result<(), RulesError> {
    for d in raw {
        let re = src.regex(&d.name, &d.pattern)?;
        if d.year.is_none() && !re.capture_names().any(|n| n == Some("year")) {
            return Err(src.error(
                Some(d.pattern.span()),
                Some(&d.name),
                "a deadline needs a group named `year` or a `year`".into(),
            ));
        }
        let preceded_by = match &d.preceded_by {
            Some(p) => Some(anchored_at_end(src, &d.name, p)?),
            None => None,
        };
        let group = |name: &str| re.capture_names().position(|n| n == Some(name));
        rules.deadlines.push(Deadline {
            year_group: group("year"),
            next_group: group("next"),
            re,
            year: d.year,
            preceded_by,
        });
        rules.push_examples(&d.name, d.examples);
    }
    Ok(())
}

/// `(?:pattern)$`: anchored through its syntax tree, which prints without comments or flags
/// that could swallow the `$`.
fn anchored_at_end(
    src: &RuleSource,
    rule: &str,
    pattern: &Spanned<String>,
) -> Result<Regex, RulesError> {
    let hir = regex_syntax::Parser::new()
        .parse(pattern.get_ref())
        .map_err(|e| {
            src.error(
                Some(pattern.span()),
                Some(rule),
                format!("invalid regex: {}", regex_error_text(&e.to_string())),
            )
        })?;
    let anchored = Spanned::new(pattern.span(), format!("(?:{hir})$"));
    src.regex(rule, &anchored)
}

fn compile_yearly(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: Vec<RawYearly>,
) -> Result<(), RulesError> {
    for y in raw {
        let Some(m) = matcher(src, &y.name, &y.pattern, &y.words, Anchor::None)? else {
            return Err(src.error(None, Some(&y.name), "needs `pattern` or `words`".into()));
        };
        rules.yearly.push((m, y.keeps_deadline));
        rules.push_examples(&y.name, y.examples);
    }
    Ok(())
}

fn compile_baselines(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: Vec<RawBaseline>,
) -> Result<(), RulesError> {
    for b in raw {
        let re = src.regex(&b.name, &b.pattern)?;
        let Some(year) = re.capture_names().position(|n| n == Some("year")) else {
            return Err(src.error(
                Some(b.pattern.span()),
                Some(&b.name),
                "a baseline pattern needs a group named `year`".into(),
            ));
        };
        rules.baselines.push((re, year));
        rules.push_examples(&b.name, b.examples);
    }
    Ok(())
}

/// The cue words of all rules go to one set; [`TargetRules::cue_kinds`] tells their rules.
fn compile_cues(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: Vec<RawCue>,
) -> Result<(), RulesError> {
    let mut all_cues: Vec<String> = Vec::new();
    let mut seen_cues: HashSet<String> = HashSet::new();
    for c in raw {
        let name = c.name.get_ref().clone();
        let first_word = all_cues.len();
        for w in &c.words {
            let w = normalize_str(w);
            if w.is_empty() {
                return Err(src.error(Some(c.name.span()), Some(&name), "empty cue word".into()));
            }
            if !seen_cues.insert(w.clone()) {
                return Err(src.error(
                    Some(c.name.span()),
                    Some(&name),
                    format!("cue word `{w}` is listed twice"),
                ));
            }
            all_cues.push(w);
        }
        let units = UnitFilter::read(&c.units, &rules.families).map_err(|u| {
            src.error(
                Some(c.name.span()),
                Some(&name),
                format!("`{u}` is neither a unit kind nor a unit family"),
            )
        })?;
        let cond = (!c.not_before.is_empty() || c.adjacent || !units.is_empty()).then(|| CueCond {
            not_before: c.not_before.iter().map(|x| normalize_str(x)).collect(),
            adjacent: c.adjacent,
            units,
        });
        let words = all_cues.len() - first_word;
        rules
            .cue_kinds
            .extend(std::iter::repeat_n((c.kind, cond), words));
        rules.push_examples(&name, c.examples);
    }
    rules.cue_words = WordSet::new(&all_cues, Anchor::None);
    Ok(())
}

fn compile_bounds(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: Vec<RawBound>,
) -> Result<(), RulesError> {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for b in raw {
        let name = b.name.get_ref().clone();
        for w in b.before.iter().chain(&b.after) {
            let w = normalize_str(w);
            if rules.bound_words.insert(w.clone(), b.bound).is_some() {
                return Err(src.error(
                    Some(b.name.span()),
                    Some(&name),
                    format!("bound word `{w}` is listed twice"),
                ));
            }
        }
        before.extend(b.before.iter().map(|w| normalize_str(w)));
        after.extend(b.after.iter().map(|w| normalize_str(w)));
        for w in &b.infix {
            rules.bound_infix.push((normalize_str(w), b.bound));
        }
        rules.push_examples(&name, b.examples);
    }
    rules.bound_before = WordSet::new(&before, Anchor::End);
    rules.bound_after = WordSet::new(&after, Anchor::Start);
    Ok(())
}

/// The skip rules; the `clause_words` and `unless_words` of all of them go to one automaton.
fn compile_skips(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: Vec<RawSkip>,
) -> Result<(), RulesError> {
    let (mut clause_words, mut owners) = (Vec::new(), Vec::new());
    for s in raw {
        let rule = rules.skips.len();
        for (list, is_unless) in [(&s.clause_words, false), (&s.unless_words, true)] {
            for w in list.iter().flat_map(|l| l.get_ref()) {
                let w = normalize_str(w);
                if !w.is_empty() {
                    clause_words.push(w);
                    owners.push((rule, is_unless));
                }
            }
        }
        let skip = compile_skip(src, rules, &s)?;
        rules.skips.push(skip);
        rules.push_examples(&s.name, s.examples);
    }
    if !clause_words.is_empty() {
        // A contiguous NFA: a DFA of these words costs more to build at every start than it
        // saves in a document.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&clause_words)
            .map_err(|e| src.error(None, Some("skip"), format!("clause words: {e}")))?;
        rules.clause_words = Some(ClauseWords { ac, owner: owners });
    }
    Ok(())
}

fn compile_skip(
    src: &RuleSource,
    rules: &TargetRules,
    s: &RawSkip,
) -> Result<SkipRule, RulesError> {
    let before = matcher(src, &s.name, &s.before, &s.before_words, Anchor::End)?;
    let after = matcher(src, &s.name, &s.after, &s.after_words, Anchor::Start)?;
    // Word lists of the clause go to one automaton for all rules (`compile_skips`).
    let clause = matcher(src, &s.name, &s.clause, &None, Anchor::None)?;
    let unless = matcher(src, &s.name, &s.unless, &None, Anchor::None)?;
    for (pattern, words) in [(&s.clause, &s.clause_words), (&s.unless, &s.unless_words)] {
        if let (Some(p), Some(_)) = (pattern, words) {
            return Err(src.error(
                Some(p.span()),
                Some(&s.name),
                "give a pattern or a word list, not both".into(),
            ));
        }
        if words
            .as_ref()
            .is_some_and(|w| w.get_ref().iter().all(|x| x.is_empty()))
        {
            return Err(src.error(
                words.as_ref().map(|w| w.span()),
                Some(&s.name),
                "an empty word list".into(),
            ));
        }
    }
    if before.is_none() && after.is_none() && clause.is_none() && s.clause_words.is_none() {
        return Err(src.error(
            Some(s.reason.span()),
            Some(&s.name),
            "a skip rule needs `before`, `after` or `clause`".into(),
        ));
    }
    let units = UnitFilter::read(&s.units, &rules.families).map_err(|u| {
        src.error(
            Some(s.reason.span()),
            Some(&s.name),
            format!("`{u}` is neither a unit kind nor a unit family"),
        )
    })?;
    let regex = |m: Option<Matcher>| match m {
        Some(Matcher::Regex(re)) => Some(re),
        _ => None,
    };
    Ok(SkipRule {
        reason: *s.reason.get_ref(),
        before,
        after,
        clause_words: s.clause_words.is_some(),
        unless_words: s.unless_words.is_some(),
        clause: regex(clause),
        unless: regex(unless),
        units,
    })
}

/// Builtins not listed stay on with their default reason.
fn compile_builtins(rules: &mut TargetRules, raw: Vec<RawBuiltin>) {
    rules.builtins = Builtin::ALL.map(|b| BuiltinSetting::On(b.default_reason()));
    for b in raw {
        if let Some(setting) = rules.builtins.get_mut(b.name as usize) {
            if !b.enabled {
                *setting = BuiltinSetting::Off;
            } else if let Some(reason) = b.reason {
                *setting = BuiltinSetting::On(Some(reason));
            }
        }
        rules.push_examples(b.name.name(), b.examples);
    }
}

fn compile_indicator(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: RawIndicator,
) -> Result<(), RulesError> {
    // Matched longest first: one search each rather than a comparison per word.
    rules.drop_prefix = WordSet::new(&raw.drop_prefix, Anchor::Start);
    rules.drop_suffix = WordSet::new(&raw.drop_suffix, Anchor::End);
    rules.bullets = raw.bullets;
    rules.weak_heads = WordSet::new(&raw.weak_heads, Anchor::End);
    rules.adverbs = raw.adverbs;
    rules.kept_verbs = raw.kept_verbs;
    rules.share_verbs = raw.share_verbs;
    rules.noun_ends_count = raw.noun_ends.len();
    let ends: Vec<String> = raw.noun_ends.into_iter().chain(raw.noun_ends_not).collect();
    rules.noun_ends = WordSet::new(&ends, Anchor::None);
    for p in &raw.drop_pattern {
        rules.drop_pattern.push(src.pattern("indicator", p)?);
    }
    rules.push_examples("indicator", raw.examples);
    Ok(())
}

fn compile_section(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: RawSection,
) -> Result<(), RulesError> {
    let past = matcher(src, "section", &raw.past, &raw.past_words, Anchor::None)?;
    let past = past.ok_or_else(|| {
        src.error(
            Some(raw.heading.span()),
            Some("section"),
            "needs `past` or `past_words`".into(),
        )
    })?;
    rules.section = Some(SectionRule {
        heading: src.pattern("section", &raw.heading)?,
        past,
        unless: matcher(src, "section", &raw.unless, &raw.unless_words, Anchor::None)?,
        reason: raw.reason,
    });
    rules.push_examples("section", raw.examples);
    Ok(())
}

fn compile_magnitude_alone(
    src: &RuleSource,
    rules: &mut TargetRules,
    raw: RawMagnitudeAlone,
) -> Result<(), RulesError> {
    for u in &raw.units {
        if !rules.families.iter().any(|f| &f.name == u)
            && !rules.forms.forms.iter().any(|f| *f.text == **u)
        {
            return Err(src.error(
                None,
                Some("magnitude_alone"),
                format!("`{u}` is neither a unit family nor a unit form"),
            ));
        }
    }
    rules.alone_after = WordSet::new(&raw.after, Anchor::End);
    rules.alone_not_before = raw.not_before;
    rules.alone_units = raw.units;
    rules.push_examples("magnitude_alone", raw.examples);
    Ok(())
}

fn compile_table(rules: &mut TargetRules, raw: RawTable) {
    let norm =
        |list: Vec<String>| -> Vec<String> { list.iter().map(|w| normalize_str(w)).collect() };
    // The gate: the indicator and number words, and two-character ones spaced out to fill a
    // column (`指　　标`, `序　号`).
    let mut gate: Vec<String> = Vec::new();
    for w in raw.indicator.iter().chain(&raw.number) {
        let w = normalize_str(w);
        let chars: Vec<char> = w.chars().collect();
        if let [a, b] = chars[..] {
            for n in 1..=4 {
                gate.push(format!("{a}{}{b}", " ".repeat(n)));
            }
        }
        gate.push(w);
    }
    let mut periods: Vec<(String, i32)> = raw
        .periods
        .into_iter()
        .map(|(p, y)| (normalize_str(&p), y))
        .collect();
    periods.sort();
    rules.table = TableRules {
        gate: WordSet::new(&gate, Anchor::None),
        number: norm(raw.number),
        indicator: norm(raw.indicator),
        unit: norm(raw.unit),
        target: norm(raw.target),
        baseline: norm(raw.baseline),
        value: norm(raw.value),
        attribute: norm(raw.attribute),
        attribute_values: norm(raw.attribute_values),
        other: norm(raw.other),
        no_value: norm(raw.no_value),
        periods,
    };
    rules.push_examples("table", raw.examples);
}

impl TargetRules {
    /// The patterns read as [`Pattern`]s (for tests).
    #[cfg(test)]
    pub(crate) fn patterns(&self) -> Vec<Pattern> {
        let mut v = self.drop_pattern.clone();
        v.extend(self.section.as_ref().map(|s| s.heading.clone()));
        v
    }
}
