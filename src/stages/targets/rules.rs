//! The compiled unit and target rules, and `rules/targets.toml` read table by table.
//!
//! Input: the text of `units.toml` and `targets.toml`. Output: [`TargetRules`], or an error
//! naming file, line and rule.

use super::*;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::rule_file::{RuleSource, RulesError, regex_error_text};
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
    pub(super) cue_re: Option<WordSet>,
    /// The kind and conditions of each word of `cue_re`, by its index.
    pub(super) cue_words: Vec<(CueKind, Option<CueCond>)>,
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
            let list: Vec<String> = w
                .get_ref()
                .iter()
                .map(|x| crate::base::text::normalize_str(x))
                .collect();
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
    pub(super) deadline: Vec<RawDeadline>,
    #[serde(default)]
    pub(super) yearly: Vec<RawYearly>,
    #[serde(default)]
    pub(super) baseline: Vec<RawBaseline>,
    #[serde(default)]
    pub(super) cue: Vec<RawCue>,
    #[serde(default)]
    pub(super) bound: Vec<RawBound>,
    #[serde(default)]
    pub(super) skip: Vec<RawSkip>,
    #[serde(default)]
    pub(super) builtin: Vec<RawBuiltin>,
    pub(super) indicator: Option<RawIndicator>,
    pub(super) section: Option<RawSection>,
    pub(super) table: Option<RawTable>,
    pub(super) magnitude_alone: Option<RawMagnitudeAlone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    pub(super) heading: Spanned<String>,
    pub(super) past: Option<Spanned<String>>,
    pub(super) unless: Option<Spanned<String>>,
    past_words: Option<Spanned<Vec<String>>>,
    pub(super) unless_words: Option<Spanned<Vec<String>>>,
    pub(super) reason: SkipReason,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadline {
    pub(super) name: String,
    pub(super) pattern: Spanned<String>,
    pub(super) year: Option<i32>,
    pub(super) preceded_by: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYearly {
    pub(super) name: String,
    pub(super) pattern: Option<Spanned<String>>,
    pub(super) words: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    keeps_deadline: bool,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    pub(super) name: String,
    pub(super) pattern: Spanned<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    pub(super) name: Spanned<String>,
    pub(super) kind: CueKind,
    pub(super) words: Vec<String>,
    #[serde(default)]
    pub(super) not_before: Vec<String>,
    #[serde(default)]
    pub(super) adjacent: bool,
    #[serde(default)]
    pub(super) units: Vec<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBound {
    pub(super) name: Spanned<String>,
    pub(super) bound: Bound,
    #[serde(default)]
    pub(super) before: Vec<String>,
    #[serde(default)]
    pub(super) after: Vec<String>,
    #[serde(default)]
    pub(super) infix: Vec<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    pub(super) name: String,
    pub(super) reason: Spanned<SkipReason>,
    pub(super) before: Option<Spanned<String>>,
    pub(super) after: Option<Spanned<String>>,
    pub(super) clause: Option<Spanned<String>>,
    pub(super) unless: Option<Spanned<String>>,
    before_words: Option<Spanned<Vec<String>>>,
    after_words: Option<Spanned<Vec<String>>>,
    pub(super) clause_words: Option<Spanned<Vec<String>>>,
    pub(super) unless_words: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub(super) units: Vec<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuiltin {
    pub(super) name: Builtin,
    pub(super) reason: Option<SkipReason>,
    #[serde(default = "yes")]
    pub(super) enabled: bool,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    #[serde(default)]
    pub(super) drop_prefix: Vec<String>,
    #[serde(default)]
    pub(super) drop_suffix: Vec<String>,
    #[serde(default)]
    pub(super) drop_pattern: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) weak_heads: Vec<String>,
    #[serde(default)]
    pub(super) bullets: Vec<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    pub(super) indicator: Vec<String>,
    #[serde(default)]
    pub(super) unit: Vec<String>,
    pub(super) target: Vec<String>,
    #[serde(default)]
    pub(super) attribute: Vec<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMagnitudeAlone {
    pub(super) after: Vec<String>,
    #[serde(default)]
    pub(super) not_before: Vec<String>,
    #[serde(default)]
    pub(super) units: Vec<String>,
    #[serde(default)]
    pub(super) examples: Vec<TargetExample>,
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
    let push_examples = |rules: &mut TargetRules, name: &str, ex: Vec<TargetExample>| {
        for e in ex {
            rules.target_examples.push((name.to_string(), e));
        }
    };
    for d in raw.deadline {
        let re = src.regex(&d.name, &d.pattern)?;
        if d.year.is_none() && !re.capture_names().any(|n| n == Some("year")) {
            return Err(src.error(
                Some(d.pattern.span()),
                Some(&d.name),
                "a deadline needs a group named `year` or a `year`".into(),
            ));
        }
        let preceded_by = match &d.preceded_by {
            Some(p) => {
                // Anchored through its syntax tree, which prints without comments or flags
                // that could swallow the `$`.
                let hir = regex_syntax::Parser::new()
                    .parse(p.get_ref())
                    .map_err(|e| {
                        src.error(
                            Some(p.span()),
                            Some(&d.name),
                            format!("invalid regex: {}", regex_error_text(&e.to_string())),
                        )
                    })?;
                let anchored = Spanned::new(p.span(), format!("(?:{hir})$"));
                Some(src.regex(&d.name, &anchored)?)
            }
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
        push_examples(rules, &d.name, d.examples);
    }

    for y in raw.yearly {
        let Some(m) = matcher(src, &y.name, &y.pattern, &y.words, Anchor::None)? else {
            return Err(src.error(None, Some(&y.name), "needs `pattern` or `words`".into()));
        };
        rules.yearly.push((m, y.keeps_deadline));
        push_examples(rules, &y.name, y.examples);
    }
    for b in raw.baseline {
        let re = src.regex(&b.name, &b.pattern)?;
        let Some(year) = re.capture_names().position(|n| n == Some("year")) else {
            return Err(src.error(
                Some(b.pattern.span()),
                Some(&b.name),
                "a baseline pattern needs a group named `year`".into(),
            ));
        };
        rules.baselines.push((re, year));
        push_examples(rules, &b.name, b.examples);
    }
    let mut all_cues: Vec<String> = Vec::new();
    let mut seen_cues: HashMap<String, ()> = HashMap::new();
    for c in raw.cue {
        let name = c.name.get_ref().clone();
        let first_word = all_cues.len();
        for w in &c.words {
            let w = crate::base::text::normalize_str(w);
            if w.is_empty() {
                return Err(src.error(Some(c.name.span()), Some(&name), "empty cue word".into()));
            }
            if seen_cues.insert(w.clone(), ()).is_some() {
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
            not_before: c
                .not_before
                .iter()
                .map(|x| crate::base::text::normalize_str(x))
                .collect(),
            adjacent: c.adjacent,
            units,
        });
        let words = all_cues.len() - first_word;
        rules
            .cue_words
            .extend(std::iter::repeat_n((c.kind, cond), words));
        push_examples(rules, &name, c.examples);
    }
    rules.cue_re = WordSet::new(&all_cues, Anchor::None);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for b in raw.bound {
        let name = b.name.get_ref().clone();
        for w in b.before.iter().chain(&b.after) {
            let w = crate::base::text::normalize_str(w);
            if rules.bound_words.insert(w.clone(), b.bound).is_some() {
                return Err(src.error(
                    Some(b.name.span()),
                    Some(&name),
                    format!("bound word `{w}` is listed twice"),
                ));
            }
        }
        before.extend(b.before.iter().map(|w| crate::base::text::normalize_str(w)));
        after.extend(b.after.iter().map(|w| crate::base::text::normalize_str(w)));
        for w in &b.infix {
            rules
                .bound_infix
                .push((crate::base::text::normalize_str(w), b.bound));
        }
        push_examples(rules, &name, b.examples);
    }
    rules.bound_before = WordSet::new(&before, Anchor::End);
    rules.bound_after = WordSet::new(&after, Anchor::Start);
    let (mut clause_words, mut owners) = (Vec::new(), Vec::new());
    for s in raw.skip {
        let reason = *s.reason.get_ref();
        let before = matcher(src, &s.name, &s.before, &s.before_words, Anchor::End)?;
        let after = matcher(src, &s.name, &s.after, &s.after_words, Anchor::Start)?;
        // Word lists of the clause go to one automaton for all rules (below).
        let clause = matcher(src, &s.name, &s.clause, &None, Anchor::None)?;
        let unless = matcher(src, &s.name, &s.unless, &None, Anchor::None)?;
        for (p, w) in [(&s.clause, &s.clause_words), (&s.unless, &s.unless_words)] {
            if let (Some(p), Some(_)) = (p, w) {
                return Err(src.error(
                    Some(p.span()),
                    Some(&s.name),
                    "give a pattern or a word list, not both".into(),
                ));
            }
            if w.as_ref()
                .is_some_and(|w| w.get_ref().iter().all(|x| x.is_empty()))
            {
                return Err(src.error(
                    w.as_ref().map(|w| w.span()),
                    Some(&s.name),
                    "an empty word list".into(),
                ));
            }
        }
        let ri = rules.skips.len();
        for (list, is_unless) in [(&s.clause_words, false), (&s.unless_words, true)] {
            for w in list.iter().flat_map(|l| l.get_ref()) {
                let w = crate::base::text::normalize_str(w);
                if !w.is_empty() {
                    clause_words.push(w);
                    owners.push((ri, is_unless));
                }
            }
        }
        let regex = |m: Option<Matcher>| match m {
            Some(Matcher::Regex(re)) => Some(re),
            _ => None,
        };
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
        rules.skips.push(SkipRule {
            reason,
            before,
            after,
            clause_words: s.clause_words.is_some(),
            unless_words: s.unless_words.is_some(),
            clause: regex(clause),
            unless: regex(unless),
            units,
        });
        push_examples(rules, &s.name, s.examples);
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
    // Builtins not listed stay on with their default reason.
    rules.builtins = Builtin::ALL.map(|b| BuiltinSetting::On(b.default_reason()));
    for b in raw.builtin {
        if let Some(setting) = rules.builtins.get_mut(b.name as usize) {
            if !b.enabled {
                *setting = BuiltinSetting::Off;
            } else if let Some(reason) = b.reason {
                *setting = BuiltinSetting::On(Some(reason));
            }
        }
        push_examples(rules, b.name.name(), b.examples);
    }
    if let Some(i) = raw.indicator {
        // Matched longest first: one search each rather than a comparison per word.
        rules.drop_prefix = WordSet::new(&i.drop_prefix, Anchor::Start);
        rules.drop_suffix = WordSet::new(&i.drop_suffix, Anchor::End);
        rules.bullets = i.bullets;
        rules.weak_heads = WordSet::new(&i.weak_heads, Anchor::End);
        for p in &i.drop_pattern {
            rules.drop_pattern.push(src.pattern("indicator", p)?);
        }
        push_examples(rules, "indicator", i.examples);
    }
    if let Some(sec) = raw.section {
        rules.section = Some(SectionRule {
            heading: src.pattern("section", &sec.heading)?,
            past: matcher(src, "section", &sec.past, &sec.past_words, Anchor::None)?.ok_or_else(
                || {
                    src.error(
                        Some(sec.heading.span()),
                        Some("section"),
                        "needs `past` or `past_words`".into(),
                    )
                },
            )?,
            unless: matcher(src, "section", &sec.unless, &sec.unless_words, Anchor::None)?,
            reason: sec.reason,
        });
        push_examples(rules, "section", sec.examples);
    }
    if let Some(a) = raw.magnitude_alone {
        for u in &a.units {
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
        rules.alone_after = WordSet::new(&a.after, Anchor::End);
        rules.alone_not_before = a.not_before;
        rules.alone_units = a.units;
        push_examples(rules, "magnitude_alone", a.examples);
    }
    if let Some(t) = raw.table {
        rules.table = TableRules {
            indicator_set: WordSet::new(&t.indicator, Anchor::None),
            indicator: t.indicator,
            unit: t.unit,
            target: t.target,
            attribute: t.attribute,
        };
        push_examples(rules, "table", t.examples);
    }
    Ok(())
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
