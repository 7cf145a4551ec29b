//! Stage 6b: numeric targets of each task.
//!
//! Input: a task's own text (normalised byte span), spans to leave out (attributions), and the
//! unit and target rules. Output: the targets found, each with value, unit, deadline, kind and
//! bound, and the numbers passed over with the reason.
//!
//! How: the text is read paragraph by paragraph (a line; a line ending in a digit continues
//! when the next starts with a unit). A paragraph is split into sentences (`。！？`) and clauses
//! (`，；：`). Every number is read with its unit ([`crate::base::numbers`], `rules/units.toml`) and
//! then passed over for a reason (a name, a date, a specification, …) or taken as a target,
//! whose kind, bound, deadline and comparison year come from the cues of `rules/targets.toml`.
//! Indicator tables whose cells are separated by `|` or tabs are read row by row. All work is
//! linear in the text: regular expressions run once per paragraph or clause.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use crate::base::pattern::Pattern;
use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diag;
use crate::base::numbers;
use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError, regex_error_text};
use crate::base::text::{ByteSpan, Text};
use crate::base::word_set::{Anchor, Matcher, WordSet};
use crate::model::{Bound, TargetKind};

/// How the stage treats a family of units (see `rules/units.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Money, mass, energy, volume: before a noun, a specification.
    Amount,
    /// Length, area: before a noun, the object's size.
    Extent,
    /// Things, people, events.
    Count,
    /// `%`, `‰`.
    Percent,
    /// `个百分点`.
    Points,
    /// Concentrations, intensities.
    Rate,
    /// Never a target (`千伏`, `级`).
    Spec,
    /// A date or a duration.
    Time,
    /// Part of a name (`十大`, `8号`).
    Name,
}

impl UnitKind {
    fn as_str(self) -> &'static str {
        match self {
            UnitKind::Amount => "amount",
            UnitKind::Extent => "extent",
            UnitKind::Count => "count",
            UnitKind::Percent => "percent",
            UnitKind::Points => "points",
            UnitKind::Rate => "rate",
            UnitKind::Spec => "spec",
            UnitKind::Time => "time",
            UnitKind::Name => "name",
        }
    }
}

/// What a cue word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum CueKind {
    Level,
    Increase,
    Decrease,
    New,
    Commit,
    /// Words of the present or the past (`现有`, `目前`, `以来`): a clause that opens with one
    /// states what is or was, unless a verb of change follows it.
    Present,
    /// Other verbs (`赴`, `参加`): no cue, but where the indicator after a number ends.
    Verb,
    Mask,
}

impl CueKind {
    fn target_kind(self) -> Option<TargetKind> {
        match self {
            CueKind::Level => Some(TargetKind::Level),
            CueKind::Increase => Some(TargetKind::Increase),
            CueKind::Decrease => Some(TargetKind::Decrease),
            CueKind::New => Some(TargetKind::New),
            CueKind::Commit | CueKind::Present | CueKind::Verb | CueKind::Mask => None,
        }
    }

    /// Whether the word commits the number it governs.
    fn commits(self) -> bool {
        !matches!(self, CueKind::Present | CueKind::Verb | CueKind::Mask)
    }
}

/// When a cue word counts as one (`not_before`, `adjacent`, `units` of a cue rule).
#[derive(Debug, Clone, Default)]
struct CueCond {
    /// Words that may not follow it (`提升项目` is a noun).
    not_before: Vec<String>,
    /// It governs only the number right after it (`达1000亿元`, not `直达航线5条`).
    adjacent: bool,
    /// Unit kinds or families of the numbers it governs (`占` a share).
    units: Vec<String>,
}

/// The names of the unit kinds, for `units` filters.
const UNIT_KINDS: &[&str] = &[
    "amount", "extent", "count", "percent", "points", "rate", "spec", "time", "name",
];

/// The reasons a number may be passed over.
const REASONS: &[&str] = &[
    "name",
    "specification",
    "date",
    "threshold",
    "no-commitment",
    "ordinal",
    "document-number",
    "no-unit",
    "duration",
    "indicator",
    "article",
];

/// Structural rules implemented here, with the reason they give by default (if they skip).
const BUILTINS: &[(&str, Option<&str>)] = &[
    ("quoted-name", Some("name")),
    ("alphanumeric", Some("name")),
    ("date", Some("date")),
    ("document-number", Some("document-number")),
    ("no-unit", Some("no-unit")),
    ("unit-spec", Some("specification")),
    ("unit-name", Some("name")),
    ("duration", Some("duration")),
    ("article", Some("article")),
    ("amount-before-a-noun", Some("specification")),
    ("list-count", Some("indicator")),
    ("population-share", Some("threshold")),
    ("commitment", Some("no-commitment")),
    ("past-year", Some("no-commitment")),
    ("paragraph-deadline", None),
    ("continued-clause", None),
    ("line-break-before-unit", None),
];

/// The position of a builtin in [`BUILTINS`] (its length when there is none).
const fn builtin(name: &str) -> usize {
    let mut i = 0;
    while i < BUILTINS.len() {
        let b = BUILTINS[i].0.as_bytes();
        let n = name.as_bytes();
        if b.len() == n.len() {
            let mut j = 0;
            while j < b.len() && b[j] == n[j] {
                j += 1;
            }
            if j == b.len() {
                return i;
            }
        }
        i += 1;
    }
    BUILTINS.len()
}

/// A builtin's index as a constant, `b!("unit-name")`: a misspelt name does not compile.
macro_rules! b {
    ($name:literal) => {
        const {
            let i = builtin($name);
            assert!(i < BUILTINS.len(), "not a builtin rule");
            i
        }
    };
}

/// One surface form of a unit, magnitude prefix included.
#[derive(Debug, Clone)]
struct Form {
    text: Arc<str>,
    family: usize,
    /// Power of ten of the magnitude prefix.
    exp: i32,
    /// Factor to the family's base unit.
    factor: f64,
    not_before: Arc<[String]>,
    latin_end: bool,
    prefixed: bool,
}

#[derive(Debug, Clone)]
struct Family {
    name: String,
    kind: UnitKind,
    base: Option<String>,
    /// Verbs one of which must stand before the number in its clause for the unit to
    /// count (`举办培训班2期`); without, the number is part of a name (`十九届`, `一期工程`).
    after_verbs: Option<WordSet>,
}

#[derive(Debug, Clone)]
struct SkipRule {
    reason: &'static str,
    before: Option<Matcher>,
    after: Option<Matcher>,
    /// A `clause` pattern (a word list is in [`TargetRules::clause_words`] instead).
    clause: Option<Regex>,
    unless: Option<Regex>,
    /// Whether `clause_words` / `unless_words` were given.
    clause_words: bool,
    unless_words: bool,
    units: Vec<String>,
}

/// The `clause_words` and `unless_words` of all skip rules in one automaton, so that a
/// clause is searched once for all of them.
#[derive(Debug, Clone)]
struct ClauseWords {
    ac: AhoCorasick,
    /// For each pattern: the rule and whether it is an `unless` word.
    owner: Vec<(usize, bool)>,
}

impl ClauseWords {
    /// Per rule, whether one of its `clause_words` and one of its `unless_words` occur in `t`.
    fn scan(&self, t: &str, rules: usize) -> Vec<[bool; 2]> {
        let mut found = vec![[false; 2]; rules];
        for m in self.ac.find_overlapping_iter(t) {
            if let Some(&(ri, unless)) = self.owner.get(m.pattern().as_usize()) {
                if let Some(f) = found.get_mut(ri) {
                    f[usize::from(unless)] = true;
                }
            }
        }
        found
    }
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

/// Sections that describe the present rather than set targets.
#[derive(Debug, Clone)]
struct SectionRule {
    heading: Pattern,
    past: Matcher,
    unless: Option<Matcher>,
    reason: &'static str,
}

/// How far back a task's section heading is looked for, in lines and bytes.
const SECTION_LOOKBACK_LINES: usize = 400;
const SECTION_LOOKBACK_BYTES: usize = 64 * 1024;

impl SectionRule {
    /// Whether the top-level section containing byte `at` describes the present: the nearest
    /// line at or before `at` that is a top-level heading has a title matching `past`. The
    /// search is bounded, so each task costs at most a constant.
    fn past(&self, text: &Text, at: usize) -> bool {
        let norm = text.norm();
        let mut end = norm
            .get(at..)
            .and_then(|r| r.find('\n'))
            .map_or(norm.len(), |i| at + i);
        let floor = at.saturating_sub(SECTION_LOOKBACK_BYTES);
        for _ in 0..SECTION_LOOKBACK_LINES {
            let Some(head) = norm.get(..end) else {
                return false;
            };
            let start = head.rfind('\n').map_or(0, |i| i + 1);
            if start < floor {
                return false;
            }
            if let Some(past) = self.heading_past(norm.get(start..end).unwrap_or("")) {
                return past;
            }
            if start == 0 {
                return false;
            }
            end = start - 1;
        }
        false
    }

    /// For a line that is a top-level heading, whether its title describes the present.
    fn heading_past(&self, line: &str) -> Option<bool> {
        // `heading` is anchored at the line start: its first bytes are enough.
        let mut cut = line.len().min(48);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let m = self.heading.find(&line[..cut])?;
        let title = &line[m.end()..];
        Some(self.past.is_match(title) && !self.unless.as_ref().is_some_and(|u| u.is_match(title)))
    }
}

/// The top-level section headings of one document, read once so that each task's section is
/// a lookup rather than a walk back through the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sections {
    /// Line index, start byte and whether the section describes the present.
    headings: Vec<(usize, usize, bool)>,
}

impl Sections {
    /// Reads the section headings of `text`.
    fn read(text: &Text, rules: &TargetRules) -> Self {
        let Some(rule) = &rules.section else {
            return Self::default();
        };
        let mut headings = Vec::new();
        let mut start = 0;
        for (i, line) in text.norm().split('\n').enumerate() {
            if let Some(past) = rule.heading_past(line) {
                headings.push((i, start, past));
            }
            start += line.len() + 1;
        }
        Self { headings }
    }

    /// [`SectionRule::past`] for the text these sections were read from.
    fn past(&self, text: &Text, at: usize) -> bool {
        let line = text.line_of(at).saturating_sub(1);
        let k = self.headings.partition_point(|&(l, _, _)| l <= line);
        let Some(&(l, start, past)) = k.checked_sub(1).and_then(|k| self.headings.get(k)) else {
            return false;
        };
        past && line - l < SECTION_LOOKBACK_LINES
            && start >= at.saturating_sub(SECTION_LOOKBACK_BYTES)
    }
}

#[derive(Debug, Clone, Default)]
struct TableRules {
    indicator: Vec<String>,
    /// The indicator words as one set: most tasks have none and are passed over at once.
    indicator_set: Option<WordSet>,
    unit: Vec<String>,
    target: Vec<String>,
    attribute: Vec<String>,
}

/// An example of `units.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitExample {
    /// A number with its unit.
    pub text: String,
    /// The unit as written.
    pub unit: Option<String>,
    /// The value in that unit.
    pub value: Option<f64>,
    /// The value in the base unit.
    pub si: Option<f64>,
    /// `false` when no unit may be read.
    #[serde(default = "yes")]
    pub matches: bool,
}

/// An example of `targets.toml`: a text and what the stage must find in it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetExample {
    /// The text, read as one task's own text (from `own_from` on, when given).
    pub text: String,
    /// Where the task's own text starts (the text before it is the document around it).
    pub own_from: Option<String>,
    /// How many targets.
    pub targets: Option<usize>,
    /// Which target the fields below describe (0 = the first).
    #[serde(default)]
    pub nth: usize,
    /// Its value.
    pub value: Option<f64>,
    /// Its upper value.
    pub value_max: Option<f64>,
    /// Its unit as written.
    pub unit: Option<String>,
    /// Its deadline year.
    pub year: Option<i32>,
    /// It has no deadline year.
    #[serde(default)]
    pub no_year: bool,
    /// Its comparison year.
    pub baseline: Option<i32>,
    /// Its kind.
    pub kind: Option<TargetKind>,
    /// Its bound.
    pub bound: Option<Bound>,
    /// Its indicator as written.
    pub indicator: Option<String>,
    /// A number (with its unit, as written) that must be passed over.
    pub skip: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// A diagnostic code that must be reported.
    pub diag: Option<String>,
    /// The year of the document the text is read in.
    pub doc_year: Option<i32>,
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

/// A deadline pattern: its year (or group `year`) and what the text before it must end with.
#[derive(Debug, Clone)]
struct Deadline {
    re: Regex,
    year: Option<i32>,
    /// The indices of groups `year` and `next`.
    year_group: Option<usize>,
    next_group: Option<usize>,
    /// `(?:preceded_by)$`, matched on the text before the match: back over its spaces and
    /// [`PRECEDED_BY_BYTES`] more, not before the end of the previous match.
    preceded_by: Option<Regex>,
}

/// A deadline found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeadlineMatch {
    /// Where its written form starts, the `preceded_by` context included.
    start: usize,
    /// The match of the pattern.
    all: Range<usize>,
    /// Group `year`.
    year: Option<Range<usize>>,
    /// Where group `next` (context after the deadline) starts.
    next: Option<usize>,
}

/// How far back `preceded_by` looks, in bytes, beyond the spaces before the match.
const PRECEDED_BY_BYTES: usize = 48;

impl Deadline {
    /// The matches of the deadline in `s`.
    fn find_in(&self, s: &str) -> Vec<DeadlineMatch> {
        let mut out = Vec::new();
        // Made at the first match: most paragraphs have none.
        let mut locs = None;
        let mut pos = 0;
        // Where the last match ended: as with one regex, no context is read twice.
        let mut last_end = 0;
        while pos <= s.len() {
            let Some(found) = self.re.find_at(s, pos) else {
                break;
            };
            let at = found.start();
            let next = at + s[at..].chars().next().map_or(1, char::len_utf8);
            let start = match &self.preceded_by {
                None => Some(at),
                Some(before) => {
                    // Back over the spaces before the match, then a bounded window more.
                    let spaced = s[..at].trim_end_matches([' ', '\t']).len();
                    let mut from = spaced.saturating_sub(PRECEDED_BY_BYTES).max(last_end);
                    while !s.is_char_boundary(from) {
                        from += 1;
                    }
                    before.find_at(&s[..at], from.min(at)).map(|m| m.start())
                }
            };
            let Some(start) = start else {
                // Not a deadline here; one may still start inside this match.
                pos = next;
                continue;
            };
            let locs = locs.get_or_insert_with(|| self.re.capture_locations());
            if let Some(all) = self.re.captures_read_at(locs, s, at) {
                let group = |g: Option<usize>| g.and_then(|g| locs.get(g)).map(|(a, b)| a..b);
                out.push(DeadlineMatch {
                    start,
                    all: all.range(),
                    year: group(self.year_group),
                    next: group(self.next_group).map(|r| r.start),
                });
            }
            last_end = found.end();
            pos = if found.end() > at { found.end() } else { next };
        }
        out
    }
}

/// Compiled unit and target rules.
#[derive(Debug, Clone, Default)]
pub struct TargetRules {
    families: Vec<Family>,
    /// The family that compound units (`公里/平方公里`) belong to: the first of kind `rate`.
    rate_family: Option<usize>,
    /// The unit forms.
    forms: FormIndex,
    deadlines: Vec<Deadline>,
    yearly: Vec<(Matcher, bool)>,
    /// Baseline patterns and the index of their group `year`.
    baselines: Vec<(Regex, usize)>,
    cue_re: Option<WordSet>,
    /// The kind and conditions of each word of `cue_re`, by its index.
    cue_words: Vec<(CueKind, Option<CueCond>)>,
    bound_before: Option<WordSet>,
    bound_after: Option<WordSet>,
    bound_words: HashMap<String, Bound>,
    bound_infix: Vec<(String, Bound)>,
    skips: Vec<SkipRule>,
    clause_words: Option<ClauseWords>,
    /// By position in [`BUILTINS`]: `None` when turned off, else the reason it gives.
    builtins: Vec<Option<Option<&'static str>>>,
    drop_prefix: Option<WordSet>,
    drop_suffix: Option<WordSet>,
    /// Patterns dropped from the start of an indicator.
    drop_pattern: Vec<Pattern>,
    /// Abstract nouns that do not name the counted thing (`能力`, `水平`, `增效`).
    weak_heads: Option<WordSet>,
    /// Paragraph openings that continue the paragraph before (`——`).
    bullets: Vec<String>,
    section: Option<SectionRule>,
    table: TableRules,
    /// The verbs after which a magnitude written alone (`培育百家`) is a number.
    alone_after: Option<WordSet>,
    /// What may not follow its unit (`百家争鸣`).
    alone_not_before: Vec<String>,
    /// The unit families or forms it may have (none: any count).
    alone_units: Vec<String>,
    unit_examples: Vec<(String, UnitExample)>,
    target_examples: Vec<(String, TargetExample)>,
}

// ------------------------------------------------------------------------------------------
// Rule files.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    #[serde(default)]
    prefix: Vec<RawPrefix>,
    #[serde(default)]
    unit: Vec<RawFamily>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrefix {
    text: Spanned<String>,
    exp: i32,
    #[serde(default)]
    examples: Vec<UnitExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    name: Spanned<String>,
    kind: UnitKind,
    base: Option<String>,
    #[serde(default)]
    prefixes: bool,
    forms: Vec<RawForm>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    after_verbs: Vec<String>,
    #[serde(default)]
    examples: Vec<UnitExample>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawForm {
    Text(String),
    Full(RawFormFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormFull {
    text: String,
    #[serde(default = "one")]
    factor: f64,
    not_before: Option<Vec<String>>,
}

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
    reason: Spanned<String>,
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
    reason: Spanned<String>,
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
    name: Spanned<String>,
    reason: Option<Spanned<String>>,
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
    bullets: Vec<String>,
    #[serde(default)]
    examples: Vec<TargetExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    indicator: Vec<String>,
    #[serde(default)]
    unit: Vec<String>,
    target: Vec<String>,
    #[serde(default)]
    attribute: Vec<String>,
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

fn reason_of(
    src: &RuleSource,
    rule: &str,
    r: &Spanned<String>,
) -> Result<&'static str, RulesError> {
    REASONS
        .iter()
        .find(|x| **x == r.get_ref().as_str())
        .copied()
        .ok_or_else(|| {
            src.error(
                Some(r.span()),
                Some(rule),
                format!(
                    "unknown reason `{}` (known: {})",
                    r.get_ref(),
                    REASONS.join(", ")
                ),
            )
        })
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

fn compile_units(src: &RuleSource, rules: &mut TargetRules) -> Result<(), RulesError> {
    let raw: RawUnits = src.parse()?;
    let mut forms: Vec<Form> = Vec::new();
    let mut prefixes: Vec<(String, i32)> = Vec::new();
    for p in raw.prefix {
        let text = p.text.get_ref().clone();
        if text.is_empty() || numbers::magnitude(&text) != Some(p.exp) {
            return Err(src.error(
                Some(p.text.span()),
                Some(&text),
                format!("prefix `{text}` is not a magnitude of 10^{}", p.exp),
            ));
        }
        for ex in p.examples {
            rules.unit_examples.push((format!("prefix {text}"), ex));
        }
        prefixes.push((text, p.exp));
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for f in raw.unit {
        let name = f.name.get_ref().clone();
        let family = rules.families.len();
        let verbs: Vec<String> = f
            .after_verbs
            .iter()
            .map(|v| crate::base::text::normalize_str(v))
            .collect();
        rules.families.push(Family {
            name: name.clone(),
            kind: f.kind,
            base: f.base.clone(),
            after_verbs: WordSet::new(&verbs, Anchor::None),
        });
        for form in f.forms {
            let (text, factor, not_before) = match form {
                RawForm::Text(t) => (t, 1.0, f.not_before.clone()),
                RawForm::Full(x) => (
                    x.text,
                    x.factor,
                    x.not_before.unwrap_or_else(|| f.not_before.clone()),
                ),
            };
            let text = crate::base::text::normalize_str(&text);
            if text.is_empty() {
                return Err(src.error(Some(f.name.span()), Some(&name), "empty unit form".into()));
            }
            let mut variants = vec![(text.clone(), 0, false)];
            if f.prefixes {
                for (p, e) in &prefixes {
                    variants.push((format!("{p}{text}"), *e, true));
                }
            }
            for (t, exp, prefixed) in variants {
                if !prefixed {
                    if let Some(other) = seen.insert(t.clone(), name.clone()) {
                        return Err(src.error(
                            Some(f.name.span()),
                            Some(&name),
                            format!("unit form `{t}` is also in family `{other}`"),
                        ));
                    }
                }
                let latin_end = t.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
                forms.push(Form {
                    text: t.into(),
                    family,
                    exp,
                    factor,
                    not_before: not_before.clone().into(),
                    latin_end,
                    prefixed,
                });
            }
        }
        for ex in f.examples {
            rules.unit_examples.push((name.clone(), ex));
        }
    }
    rules.rate_family = rules.families.iter().position(|f| f.kind == UnitKind::Rate);
    // At equal text, a form as listed before one made with a prefix.
    forms.sort_by_key(|f| f.prefixed);
    rules.forms = FormIndex::new(forms);
    Ok(())
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
            let cond =
                (!c.not_before.is_empty() || c.adjacent || !c.units.is_empty()).then(|| CueCond {
                    not_before: c
                        .not_before
                        .iter()
                        .map(|x| crate::base::text::normalize_str(x))
                        .collect(),
                    adjacent: c.adjacent,
                    units: c.units.clone(),
                });
            rules.cue_words.push((c.kind, cond));
            all_cues.push(w);
        }
        for u in &c.units {
            if !UNIT_KINDS.contains(&u.as_str()) && !rules.families.iter().any(|f| &f.name == u) {
                return Err(src.error(
                    Some(c.name.span()),
                    Some(&name),
                    format!("`{u}` is neither a unit kind nor a unit family"),
                ));
            }
        }
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
        let reason = reason_of(src, &s.name, &s.reason)?;
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
        for u in &s.units {
            if !UNIT_KINDS.contains(&u.as_str()) && !rules.families.iter().any(|f| &f.name == u) {
                return Err(src.error(
                    Some(s.reason.span()),
                    Some(&s.name),
                    format!("`{u}` is neither a unit kind nor a unit family"),
                ));
            }
        }
        rules.skips.push(SkipRule {
            reason,
            before,
            after,
            clause_words: s.clause_words.is_some(),
            unless_words: s.unless_words.is_some(),
            clause: regex(clause),
            unless: regex(unless),
            units: s.units,
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
    rules.builtins = BUILTINS
        .iter()
        .map(|(_, reason)| Some(reason.and_then(|r| REASONS.iter().find(|x| **x == r).copied())))
        .collect();
    for b in raw.builtin {
        let name = b.name.get_ref().clone();
        let Some(key) = BUILTINS.iter().position(|(n, _)| *n == name) else {
            let known: Vec<&str> = BUILTINS.iter().map(|(n, _)| *n).collect();
            return Err(src.error(
                Some(b.name.span()),
                Some(&name),
                format!("unknown builtin rule (known: {})", known.join(", ")),
            ));
        };
        if !b.enabled {
            rules.builtins[key] = None;
        } else if let Some(r) = &b.reason {
            rules.builtins[key] = Some(Some(reason_of(src, &name, r)?));
        }
        push_examples(rules, &name, b.examples);
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
            reason: reason_of(src, "section", &sec.reason)?,
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

// ------------------------------------------------------------------------------------------
// Examples.

/// Runs the examples of the unit and target rules.
pub fn check_examples(rules: &TargetRules) -> Checked {
    let mut checked = Checked::default();
    for (rule, ex) in &rules.unit_examples {
        let problem = check_unit_example(rules, ex);
        checked.record(RuleFile::Units, rule, &ex.text, problem);
    }
    for (rule, ex) in &rules.target_examples {
        let problem = check_target_example(rules, ex);
        checked.record(RuleFile::Targets, rule, &ex.text, problem);
    }
    checked
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn check_unit_example(rules: &TargetRules, ex: &UnitExample) -> Option<String> {
    let text = Text::new(ex.text.clone());
    let s = text.norm();
    let para = Para::new(rules, &text, s, 0);
    let first = para.mentions.first();
    let unit = first.and_then(|m| m.form.as_ref());
    if !ex.matches {
        return unit.map(|_| {
            format!(
                "read unit `{}` but should not",
                first.map_or("", |m| para.unit_text(m))
            )
        });
    }
    let Some(m) = first else {
        return Some("no number read".into());
    };
    if unit.is_none() {
        return Some(format!(
            "no unit read after `{}`",
            para.slice(m.start..m.end)
        ));
    }
    if let Some(u) = &ex.unit {
        if para.unit_text(m) != u {
            return Some(format!("unit `{}`, expected `{u}`", para.unit_text(m)));
        }
    }
    if let Some(v) = ex.value {
        if !close(m.value, v) {
            return Some(format!("value {}, expected {v}", m.value));
        }
    }
    if let Some(si) = ex.si {
        match rules.si(m) {
            Some((got, _)) if close(got, si) => {}
            got => return Some(format!("si {got:?}, expected {si}")),
        }
    }
    None
}

fn check_target_example(rules: &TargetRules, ex: &TargetExample) -> Option<String> {
    let text = Text::new(ex.text.clone());
    let from = ex
        .own_from
        .as_ref()
        .and_then(|f| text.norm().find(&crate::base::text::normalize_str(f)))
        .unwrap_or(0);
    let own = from..text.norm().len();
    let doc = DocContext::new(&text, rules, ex.doc_year);
    let got = extract_task_in(&text, &own, &[], rules, &doc);
    let mut problems = Vec::new();
    if let Some(n) = ex.targets {
        if got.targets.len() != n {
            problems.push(format!("{} targets, expected {n}", got.targets.len()));
        }
    }
    let wants_target = ex.value.is_some()
        || ex.value_max.is_some()
        || ex.unit.is_some()
        || ex.year.is_some()
        || ex.no_year
        || ex.baseline.is_some()
        || ex.kind.is_some()
        || ex.bound.is_some()
        || ex.indicator.is_some();
    if wants_target {
        match got.targets.get(ex.nth) {
            None => problems.push(format!("no target number {}", ex.nth)),
            Some(t) => {
                if let Some(v) = ex.value {
                    if !close(t.value, v) {
                        problems.push(format!("value {}, expected {v}", t.value));
                    }
                }
                if let Some(v) = ex.value_max {
                    if t.value_max.is_none_or(|m| !close(m, v)) {
                        problems.push(format!("value_max {:?}, expected {v}", t.value_max));
                    }
                }
                if let Some(u) = &ex.unit {
                    if &t.unit != u {
                        problems.push(format!("unit `{}`, expected `{u}`", t.unit));
                    }
                }
                if let Some(y) = ex.year {
                    if t.year != Some(y) {
                        problems.push(format!("year {:?}, expected {y}", t.year));
                    }
                }
                if ex.no_year && t.year.is_some() {
                    problems.push(format!("year {:?}, expected none", t.year));
                }
                if let Some(y) = ex.baseline {
                    if t.baseline_year != Some(y) {
                        problems.push(format!("baseline {:?}, expected {y}", t.baseline_year));
                    }
                }
                if let Some(k) = ex.kind {
                    if t.kind != k {
                        problems.push(format!("kind {:?}, expected {k:?}", t.kind));
                    }
                }
                if let Some(b) = ex.bound {
                    if t.bound != b {
                        problems.push(format!("bound {:?}, expected {b:?}", t.bound));
                    }
                }
                if let Some(i) = &ex.indicator {
                    if &t.indicator != i {
                        problems.push(format!("indicator `{}`, expected `{i}`", t.indicator));
                    }
                }
            }
        }
    }
    if let Some(sk) = &ex.skip {
        let found: Vec<&Skipped> = got
            .skipped
            .iter()
            .filter(|s| text.slice(&s.span) == sk)
            .collect();
        if found.is_empty() {
            let all: Vec<String> = got
                .skipped
                .iter()
                .map(|s| format!("{}:{}", text.slice(&s.span), s.reason))
                .collect();
            problems.push(format!(
                "`{sk}` not passed over (skipped: {})",
                all.join(" ")
            ));
        } else if let Some(r) = &ex.reason {
            if !found.iter().any(|s| s.reason == r) {
                problems.push(format!(
                    "`{sk}` passed over as `{}`, expected `{r}`",
                    found[0].reason
                ));
            }
        }
    }
    if let Some(d) = &ex.diag {
        if !got.diags.iter().any(|x| x.code == d) {
            problems.push(format!("no diagnostic `{d}`"));
        }
    }
    if problems.is_empty() {
        None
    } else {
        let tg: Vec<String> = got
            .targets
            .iter()
            .map(|t| format!("{}{}", t.value, t.unit))
            .collect();
        Some(format!(
            "{} (targets: {})",
            problems.join("; "),
            tg.join(" ")
        ))
    }
}

// ------------------------------------------------------------------------------------------
// Output types.

/// A target found in a task's text.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundTarget {
    /// The clause it was read from.
    pub clause: ByteSpan,
    /// The measured thing, as written.
    pub indicator: String,
    /// The number in the unit as written.
    pub value: f64,
    /// Upper end of a range.
    pub value_max: Option<f64>,
    /// The unit as written, with its magnitude prefix.
    pub unit: String,
    /// Value and unit in a base unit, where the unit has one.
    pub si: Option<(f64, String)>,
    /// Deadline year in force.
    pub year: Option<i32>,
    /// Comparison year.
    pub baseline_year: Option<i32>,
    /// Direction.
    pub kind: TargetKind,
    /// Bound.
    pub bound: Bound,
    /// The number and its unit.
    pub span: ByteSpan,
}

/// A number that is not a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The number (with its unit).
    pub span: ByteSpan,
    /// Why: `name`, `specification`, `date`, `threshold`, `no-commitment`, `ordinal`, …
    pub reason: &'static str,
}

/// What a task's text yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskTargets {
    /// Targets in text order.
    pub targets: Vec<FoundTarget>,
    /// Numbers passed over, in text order.
    pub skipped: Vec<Skipped>,
    /// Findings for the document's diagnostics (an indicator table that was not read, …).
    pub diags: Vec<crate::base::diag::Diag>,
}

// ------------------------------------------------------------------------------------------
// Reading numbers.

/// A number read in a paragraph, with its unit. Offsets are bytes into the paragraph.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    /// Where the number (or range) ends.
    num_end: usize,
    /// Where the unit starts (`num_end` plus any space or `多`).
    unit_start: usize,
    /// End of number and unit.
    end: usize,
    value: f64,
    value_max: Option<f64>,
    form: Option<Form>,
    chinese: bool,
    /// A whole number that reads as a year (1900–2100, four digits).
    year_like: bool,
    infix: Option<Bound>,
    /// Numerals that read as no number (`十四五`): part of a name.
    unread: bool,
}

/// The Chinese numerals (and `○`, often typed for `〇`), as a bit per code point of the BMP: the
/// scan for numbers asks this of every three-byte character.
static CN_NUMERALS: [u64; 1024] = {
    let cs = [
        '零', '〇', '○', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百',
        '千', '万', '亿',
    ];
    let mut t = [0u64; 1024];
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i] as usize;
        t[c >> 6] |= 1 << (c & 63);
        i += 1;
    }
    t
};

fn is_cn_numeral(c: char) -> bool {
    cn_numeral_code(c as u32)
}

fn cn_numeral_code(c: u32) -> bool {
    let c = c as usize;
    c < 0x10000 && (CN_NUMERALS[c >> 6] >> (c & 63)) & 1 == 1
}

/// Whether the three-byte character at `i` (a character boundary of a `str`) is a numeral.
fn cn_numeral_at(bytes: &[u8], i: usize) -> bool {
    let [a, b, c] = bytes.get(i..i + 3).map_or([0; 3], |x| [x[0], x[1], x[2]]);
    cn_numeral_code((u32::from(a & 0x0F) << 12) | (u32::from(b & 0x3F) << 6) | u32::from(c & 0x3F))
}

/// The length of the UTF-8 sequence that starts with byte `b`.
fn utf8_len(b: u8) -> usize {
    // A table: the scans ask this of every character, and a chain of range tests costs
    // several times a load.
    static LEN: [u8; 256] = {
        let mut t = [1u8; 256];
        let mut b = 0xC0;
        while b < 256 {
            t[b] = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            b += 1;
        }
        t
    };
    // ASCII and continuation bytes (which never start a character of a `str`) step one.
    usize::from(LEN[usize::from(b)])
}

/// The three-byte character at `i`.
fn decode3(bytes: &[u8], i: usize) -> Option<char> {
    let [a, b, c] = *bytes.get(i..i + 3)? else {
        return None;
    };
    char::from_u32((u32::from(a & 0x0F) << 12) | (u32::from(b & 0x3F) << 6) | u32::from(c & 0x3F))
}

/// The ASCII characters and the three-byte characters of U+2000–U+3FFF (general and CJK
/// punctuation: `…“”。《》「」『』`) of `s`, with their byte offsets: all the punctuation that
/// splits sentences and clauses and delimits names, without decoding every character.
fn marks_and_ascii(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            let at = next_mark(bytes, i);
            let b = *bytes.get(at)?;
            if b < 0x80 {
                i = at + 1;
                return Some((at, char::from(b)));
            }
            i = at + 3;
            if let Some(c) = decode3(bytes, at) {
                return Some((at, c));
            }
        }
    })
}

/// The first index from `i` whose byte is ASCII or E2/E3 (the leads of U+2000–U+3FFF), or
/// the length. Neither can be a continuation byte, so the bytes are tested eight at a time
/// instead of walking characters.
fn next_mark(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let ascii = !w & HIGH;
        // E2 and E3 become zero bytes; the lowest zero byte is flagged exactly (a borrow only
        // runs upwards from a zero).
        let v = (w & !ONES) ^ (ONES * 0xE2);
        let lead = v.wrapping_sub(ONES) & !v & HIGH;
        let m = ascii | lead;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = bytes.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(|&b| b < 0x80 || b & 0xFE == 0xE2)
        .unwrap_or(rest.len())
}

/// The starts of the numbers of `s`: each numeral (an ASCII digit, or a three-byte `〇 一 … 亿`,
/// `○`) whose previous character is neither a numeral nor `.`.
fn number_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut after_number = false;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            let at = i;
            // Branches on the lead byte, which the CPU predicts, instead of a length looked up
            // from it, which each step would wait for.
            let numeral = if (0xE0..0xF0).contains(&b) {
                i += 3;
                cn_numeral_at(bytes, at)
            } else if b < 0x80 {
                i += 1;
                b.is_ascii_digit()
            } else {
                i += utf8_len(b);
                false
            };
            let starts = numeral && !after_number;
            after_number = numeral || b == b'.';
            if starts {
                return Some(at);
            }
        }
        None
    })
}

/// Unit forms as a trie of their characters: the forms that begin a text lie on one path,
/// longer ones deeper, so a lookup reads a few characters instead of comparing every form
/// that shares the first (with magnitude prefixes, some 150 begin with `万`).
#[derive(Debug, Clone, Default)]
struct FormIndex {
    forms: Vec<Form>,
    /// Per form, the next form of its node (`u32::MAX`: none).
    next: Vec<u32>,
    nodes: Vec<FormNode>,
}

/// A node of [`FormIndex`].
#[derive(Debug, Clone)]
struct FormNode {
    /// Children by character, sorted.
    children: Vec<(char, u32)>,
    /// The first and last form that ends here.
    first: u32,
    last: u32,
}

impl Default for FormNode {
    fn default() -> Self {
        FormNode {
            children: Vec::new(),
            first: NO_FORM,
            last: NO_FORM,
        }
    }
}

const NO_FORM: u32 = u32::MAX;

impl FormIndex {
    /// The forms; forms of one text keep their order.
    fn new(forms: Vec<Form>) -> Self {
        // Leaves, most nodes, allocate nothing: a node's forms are a chain in one list.
        let mut nodes: Vec<FormNode> = Vec::with_capacity(forms.len() * 2);
        nodes.push(FormNode::default());
        let mut next = vec![NO_FORM; forms.len()];
        for (i, f) in forms.iter().enumerate() {
            let mut node = 0;
            for c in f.text.chars() {
                let fresh = nodes.len() as u32;
                let children = &mut nodes[node].children;
                node = match children.binary_search_by_key(&c, |x| x.0) {
                    Ok(k) => children[k].1 as usize,
                    Err(k) => {
                        children.insert(k, (c, fresh));
                        nodes.push(FormNode::default());
                        fresh as usize
                    }
                };
            }
            let i = i as u32;
            let n = &mut nodes[node];
            match n.last {
                NO_FORM => n.first = i,
                l => next[l as usize] = i,
            }
            n.last = i;
        }
        FormIndex { forms, next, nodes }
    }

    /// The longest form that begins `s` and for which `ok(form, rest of s)` holds; at equal
    /// text, the first.
    fn find(&self, s: &str, ok: &impl Fn(&Form, &str) -> bool) -> Option<&Form> {
        self.find_from(0, s, 0, ok)
    }

    fn find_from(
        &self,
        node: usize,
        s: &str,
        at: usize,
        ok: &impl Fn(&Form, &str) -> bool,
    ) -> Option<&Form> {
        let FormNode {
            children, first, ..
        } = self.nodes.get(node)?;
        let rest = s.get(at..)?;
        if let Some(c) = rest.chars().next() {
            if let Ok(k) = children.binary_search_by_key(&c, |x| x.0) {
                let deeper = self.find_from(children[k].1 as usize, s, at + c.len_utf8(), ok);
                if deeper.is_some() {
                    return deeper;
                }
            }
        }
        let mut i = *first;
        while let Some(f) = self.forms.get(i as usize) {
            if ok(f, rest) {
                return Some(f);
            }
            i = self.next[i as usize];
        }
        None
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

const RANGE_SEPS: &[&str] = &["-", "~", "—", "–", "―", "〜", "至", "到"];

impl TargetRules {
    /// The patterns read as [`Pattern`]s (for tests).
    #[cfg(test)]
    pub(crate) fn patterns(&self) -> Vec<Pattern> {
        let mut v = self.drop_pattern.clone();
        v.extend(self.section.as_ref().map(|s| s.heading.clone()));
        v
    }

    fn unit_at(&self, s: &str) -> Option<&Form> {
        self.forms.find(s, &|f, rest| {
            if f.not_before.iter().any(|w| rest.starts_with(w.as_str())) {
                return false;
            }
            !(f.latin_end
                && rest
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric()))
        })
    }

    /// A unit after optional whitespace: the whitespace's length and the form.
    fn unit_after_space(&self, s: &str) -> Option<(usize, &Form)> {
        let trimmed = s.trim_start_matches([' ', '\t', '\n', '\r']);
        let ws = s.len() - trimmed.len();
        if ws > 0 && !self.enabled(b!("line-break-before-unit")) {
            return None;
        }
        self.unit_at(trimmed).map(|f| (ws, f))
    }

    fn family(&self, m: &Mention) -> Option<&Family> {
        m.form.as_ref().and_then(|f| self.families.get(f.family))
    }

    fn kind(&self, m: &Mention) -> Option<UnitKind> {
        self.family(m).map(|f| f.kind)
    }

    fn si(&self, m: &Mention) -> Option<(f64, String)> {
        let f = m.form.as_ref()?;
        let base = self.families.get(f.family)?.base.clone()?;
        let scaled: f64 = format!("{}e{}", numbers::format_number(m.value), f.exp)
            .parse()
            .ok()?;
        let si = scaled * f.factor;
        // A figure too large for a float has no base value (JSON has no infinity).
        si.is_finite().then_some((si, base))
    }

    /// Whether builtin `i` (see [`b!`]) is on.
    fn enabled(&self, i: usize) -> bool {
        self.builtins.get(i).is_some_and(Option::is_some)
    }

    /// The reason builtin `i` gives, when it is on and gives one.
    fn reason(&self, i: usize) -> Option<&'static str> {
        self.builtins.get(i).copied().flatten().flatten()
    }

    /// A range separator and a second numeral of the same script after the first.
    fn range_at(s: &str, first: &numbers::Numeral) -> Option<(usize, bool, numbers::Numeral)> {
        let sep = RANGE_SEPS.iter().find(|x| s.starts_with(**x))?;
        let n2 = numbers::read_numeral(&s[sep.len()..])?;
        (n2.chinese == first.chinese && n2.value > first.value).then_some((
            sep.len(),
            matches!(*sep, "至" | "到"),
            n2,
        ))
    }

    /// `百`, `千` or `万` standing alone for 100, 1000 or 10000 at byte `i` of `s`: right after
    /// a verb of the `magnitude_alone` rule and before a unit of a count (of its `units`, when
    /// given) that no other numeral nor `not_before` word follows (`培育百家企业`, but not
    /// `千家万户`, `百万吨`, `百家争鸣`, `千人礼堂`).
    fn magnitude_alone(&self, s: &str, i: usize) -> Option<Mention> {
        let verbs = self.alone_after.as_ref()?;
        let rest = s.get(i..)?;
        let c = rest.chars().next()?;
        let value = match c {
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 10_000.0,
            _ => return None,
        };
        let unit_start = i + c.len_utf8();
        let after = s.get(unit_start..)?;
        if after.chars().next().is_some_and(is_cn_numeral) {
            return None;
        }
        let form = self.unit_at(after)?;
        let end = unit_start + form.text.len();
        let next = s.get(end..)?;
        let family = self.families.get(form.family)?;
        let listed = self.alone_units.is_empty()
            || self
                .alone_units
                .iter()
                .any(|u| *u == family.name || **u == *form.text);
        if family.kind != UnitKind::Count
            || !listed
            || next.chars().next().is_some_and(is_cn_numeral)
            || self
                .alone_not_before
                .iter()
                .any(|w| next.starts_with(w.as_str()))
        {
            return None;
        }
        verbs.find(s.get(..i)?)?;
        Some(Mention {
            start: i,
            num_end: unit_start,
            unit_start,
            end,
            value,
            value_max: None,
            form: Some(form.clone()),
            chinese: true,
            year_like: false,
            infix: None,
            unread: false,
        })
    }

    /// Reads the number (and unit) starting at byte `i` of `s`.
    fn read_mention(&self, s: &str, i: usize) -> Option<Mention> {
        let rest = s.get(i..)?;
        for (word, unit) in [("百分之", "%"), ("千分之", "‰")] {
            if let Some(r) = rest.strip_prefix(word) {
                let n = numbers::read_numeral(r)?;
                let end = i + word.len() + n.len;
                return Some(Mention {
                    start: i,
                    num_end: end,
                    unit_start: i,
                    end,
                    value: n.value,
                    value_max: None,
                    form: self.unit_at(unit).cloned(),
                    chinese: n.chinese,
                    year_like: false,
                    infix: None,
                    unread: false,
                });
            }
        }
        if let Some(m) = self.magnitude_alone(s, i) {
            return Some(m);
        }
        let Some(n) = numbers::read_numeral(rest) else {
            // A run of numerals that is no number, such as 十四五: a name.
            let run: usize = rest
                .chars()
                .take_while(|&c| is_cn_numeral(c))
                .map(char::len_utf8)
                .sum();
            let word = rest.get(..run).unwrap_or("");
            return (word.chars().count() >= 2 && word.contains('十')).then_some(Mention {
                start: i,
                num_end: i + run,
                unit_start: i + run,
                end: i + run,
                value: 0.0,
                value_max: None,
                form: None,
                chinese: true,
                year_like: false,
                infix: None,
                unread: true,
            });
        };
        let digits = rest.get(..n.len).unwrap_or("");
        let mut m = Mention {
            start: i,
            num_end: i + n.len,
            unit_start: i + n.len,
            end: i + n.len,
            value: n.value,
            value_max: None,
            form: None,
            chinese: n.chinese,
            year_like: false,
            infix: None,
            unread: false,
        };
        // A trailing 万 of a Chinese numeral goes to the unit: 二十万头 is 20 万头.
        if let Some((hv, hl)) = n.head {
            if let Some(f) = self.unit_at(s.get(i + hl..).unwrap_or("")) {
                if f.prefixed && i + hl + f.text.len() > i + n.len {
                    m.value = hv;
                    m.num_end = i + hl;
                    m.unit_start = i + hl;
                    m.end = i + hl + f.text.len();
                    m.form = Some(f.clone());
                }
            }
        }
        if m.form.is_none() {
            let after = s.get(m.num_end..).unwrap_or("");
            if let Some((sep, word_sep, n2)) = Self::range_at(after, &n) {
                let k = m.num_end + sep + n2.len;
                let unit = self.unit_after_space(s.get(k..).unwrap_or(""));
                if !(word_sep && unit.is_none()) {
                    m.value_max = Some(n2.value);
                    m.num_end = k;
                    m.unit_start = k;
                    m.end = k;
                    if let Some((ws, f)) = unit {
                        m.unit_start = k + ws;
                        m.end = k + ws + f.text.len();
                        m.form = Some(f.clone());
                    }
                }
            }
        }
        if m.form.is_none() && m.value_max.is_none() {
            let after = s.get(m.num_end..).unwrap_or("");
            for (w, b) in &self.bound_infix {
                if let Some(r) = after.strip_prefix(w.as_str()) {
                    if let Some(f) = self.unit_at(r) {
                        m.infix = Some(*b);
                        m.unit_start = m.num_end + w.len();
                        m.end = m.unit_start + f.text.len();
                        m.form = Some(f.clone());
                        break;
                    }
                }
            }
            if m.form.is_none() {
                if let Some((ws, f)) = self.unit_after_space(after) {
                    m.unit_start = m.num_end + ws;
                    m.end = m.unit_start + f.text.len();
                    m.form = Some(f.clone());
                }
            }
            // 1.5m-3.5m: a range with the unit written twice.
            if let Some(f) = m.form.clone() {
                let after = s.get(m.end..).unwrap_or("");
                if let Some((sep, _, n2)) = Self::range_at(after, &n) {
                    let k = m.end + sep + n2.len;
                    if let Some(rest) = s.get(k..) {
                        if rest.starts_with(&*f.text) {
                            m.value_max = Some(n2.value);
                            m.num_end = k;
                            m.end = k + f.text.len();
                        }
                    }
                }
            }
        }
        // 4.15公里/平方公里: a unit per unit is a rate.
        if let (Some(f), Some(rate)) = (m.form.clone(), self.rate_family) {
            if let Some(rest) = s.get(m.end..).and_then(|r| r.strip_prefix('/')) {
                if let Some(g) = self.unit_at(rest) {
                    m.end += 1 + g.text.len();
                    m.form = Some(Form {
                        text: format!("{}/{}", f.text, g.text).into(),
                        family: rate,
                        exp: 0,
                        factor: 1.0,
                        not_before: Vec::new().into(),
                        latin_end: false,
                        prefixed: false,
                    });
                }
            }
        }
        let kind = m
            .form
            .as_ref()
            .and_then(|f| self.families.get(f.family))
            .map(|f| f.kind);
        if n.chinese {
            // Chinese numerals count only with a unit (or after 第); 千家万户 is no number.
            let digitless = !digits.chars().any(|c| numbers::chinese_digit(c).is_some());
            if digitless
                && !digits.starts_with('十')
                && !matches!(kind, Some(UnitKind::Spec | UnitKind::Name))
            {
                return None;
            }
            if m.form.is_none() && !s.get(..i).unwrap_or("").trim_end().ends_with('第') {
                return None;
            }
        }
        let four = n.chinese || digits.chars().filter(char::is_ascii_digit).count() == 4;
        let in_years = |v: f64| (1900.0..=2100.0).contains(&v) && v.fract() == 0.0;
        m.year_like = !n.decimal && four && in_years(m.value) && m.value_max.is_none_or(in_years);
        Some(m)
    }
}

// ------------------------------------------------------------------------------------------
// A paragraph.

struct Para<'a> {
    rules: &'a TargetRules,
    text: &'a Text,
    s: &'a str,
    base: usize,
    sentences: Vec<Range<usize>>,
    /// Clause range and its sentence.
    clauses: Vec<(Range<usize>, usize)>,
    names: Vec<Range<usize>>,
    /// Deadlines, yearly markers and comparison years, read when first needed.
    marks: std::cell::OnceCell<Marks>,
    /// The cues of each clause, found when first needed.
    cue_cache: std::cell::OnceCell<Vec<std::cell::OnceCell<Cues>>>,
    mentions: Vec<Mention>,
    /// A deadline carried from the paragraph that a bulleted paragraph (`——…`) continues.
    carried: Option<i32>,
    /// The task lies in a section that describes the present (`一、发展现状`).
    past: bool,
    /// The document's own year, when known: deadlines before it are past.
    doc_year: Option<i32>,
}

/// Cue words found in a clause, with their kinds.
type Cues = Vec<(Range<usize>, CueKind, usize)>;

/// The time markers of a paragraph.
#[derive(Debug, Default)]
struct Marks {
    /// Deadline start, year, sentence.
    deadlines: Vec<(usize, i32, usize)>,
    /// Yearly marker start and whether the deadline still holds.
    yearly: Vec<(usize, bool)>,
    /// Baseline start and year.
    baselines: Vec<(usize, i32)>,
    /// Where deadlines and comparison years are written.
    spans: Vec<Range<usize>>,
}

impl<'a> Para<'a> {
    fn new(rules: &'a TargetRules, text: &'a Text, s: &'a str, base: usize) -> Self {
        Self::read(rules, text, s, base, true)
    }

    /// Reads a paragraph; without numbers and unless `markers` is asked for, only its numbers.
    fn read(
        rules: &'a TargetRules,
        text: &'a Text,
        s: &'a str,
        base: usize,
        markers: bool,
    ) -> Self {
        let mut p = Para {
            rules,
            text,
            s,
            base,
            sentences: Vec::new(),
            clauses: Vec::new(),
            names: Vec::new(),
            marks: std::cell::OnceCell::new(),
            cue_cache: std::cell::OnceCell::new(),
            mentions: Vec::new(),
            carried: None,
            past: false,
            doc_year: None,
        };
        p.scan();
        if p.mentions.is_empty() && !markers {
            return p;
        }
        p.split();
        p
    }

    fn marks(&self) -> &Marks {
        self.marks.get_or_init(|| self.read_marks())
    }

    fn slice(&self, r: Range<usize>) -> &str {
        self.s.get(r).unwrap_or("")
    }

    /// The original text of a local range.
    fn orig(&self, r: Range<usize>) -> &str {
        self.text.slice(&(self.base + r.start..self.base + r.end))
    }

    fn unit_text<'b>(&'b self, m: &'b Mention) -> &'b str {
        if m.unit_start == m.start {
            // 百分之…: the unit is the symbol.
            return m.form.as_ref().map_or("", |f| &*f.text);
        }
        self.orig(m.unit_start..m.end)
    }

    /// Sentences, clauses and names, in one pass over the punctuation.
    fn split(&mut self) {
        let s = self.s;
        let bytes = s.as_bytes();
        let thousands = |i: usize| -> bool {
            // `,` between a digit and exactly three digits.
            i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.len() >= i + 4
                && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit)
        };
        let names = self.rules.enabled(b!("quoted-name"));
        let mut start = 0;
        let mut clause_start = 0;
        let mut stack: Vec<(char, usize)> = Vec::new();
        for (i, c) in marks_and_ascii(s) {
            let end = i + c.len_utf8();
            let open = match c {
                '。' | '!' | '?' | '…' => {
                    self.clauses.push((clause_start..end, self.sentences.len()));
                    self.sentences.push(start..end);
                    start = end;
                    clause_start = end;
                    continue;
                }
                ',' | ';' | ':' if !(c == ',' && thousands(i)) => {
                    self.clauses.push((clause_start..end, self.sentences.len()));
                    clause_start = end;
                    continue;
                }
                '“' | '《' | '「' | '『' if names => {
                    stack.push((c, end));
                    continue;
                }
                '”' if names => '“',
                '》' if names => '《',
                '」' if names => '「',
                '』' if names => '『',
                _ => continue,
            };
            if let Some(k) = stack.iter().rposition(|(o, _)| *o == open) {
                let (_, from) = stack[k];
                stack.truncate(k);
                // A title is a name; a quotation is one when it is short and no prose.
                let name = open == '《'
                    || (i - from <= 240
                        && !self
                            .slice(from..i)
                            .contains([',', ';', ':', '。', '!', '?']));
                if name {
                    self.names.push(from..i);
                }
            }
        }
        if start < s.len() {
            if clause_start < s.len() {
                self.clauses
                    .push((clause_start..s.len(), self.sentences.len()));
            }
            self.sentences.push(start..s.len());
        }
        // Disjoint and sorted, for `in_name`.
        self.names.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.names.len());
        for r in self.names.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.names = merged;
    }

    fn sentence_of(&self, pos: usize) -> usize {
        self.sentences
            .partition_point(|r| r.end <= pos)
            .min(self.sentences.len().saturating_sub(1))
    }

    fn read_marks(&self) -> Marks {
        let s = self.s;
        let mut marks = Marks::default();
        let mut deadlines = Vec::new();
        for d in &self.rules.deadlines {
            for m in d.find_in(s) {
                let year = d
                    .year
                    .or_else(|| m.year.as_ref().and_then(|y| s[y.clone()].parse().ok()));
                // Where the deadline is: its year, not the punctuation before it.
                let at = m.year.as_ref().map_or(m.all.start, |y| y.start);
                if let Some(y) = year {
                    deadlines.push((at, y, self.sentence_of(at)));
                    // A group `next` is context after the marker, not part of it.
                    marks.spans.push(m.start..m.next.unwrap_or(m.all.end));
                }
            }
        }
        deadlines.sort_unstable();
        marks.deadlines = deadlines;
        marks.spans.sort_by_key(|r| r.start);
        for (m, keeps) in &self.rules.yearly {
            for at in m.starts(s) {
                marks.yearly.push((at, *keeps));
            }
        }
        for (re, year) in &self.rules.baselines {
            let mut locs = None;
            for found in re.find_iter(s) {
                let locs = locs.get_or_insert_with(|| re.capture_locations());
                let Some(all) = re.captures_read_at(locs, s, found.start()) else {
                    continue;
                };
                if let Some((a, b)) = locs.get(*year) {
                    if let Ok(y) = s[a..b].parse() {
                        marks.baselines.push((all.start(), y));
                        marks.spans.push(all.range());
                    }
                }
            }
        }
        marks.yearly.sort_unstable();
        marks.baselines.sort_unstable();
        marks.spans.sort_by_key(|r| r.start);
        marks
    }

    fn scan(&mut self) {
        let s = self.s;
        let mut skip_to = 0;
        for i in number_starts(s) {
            if i >= skip_to {
                if let Some(m) = self.rules.read_mention(s, i) {
                    skip_to = m.end.max(i + utf8_len(s.as_bytes()[i]));
                    self.mentions.push(m);
                }
            }
        }
    }

    fn clause_of(&self, pos: usize) -> usize {
        self.clauses
            .partition_point(|(r, _)| r.end <= pos)
            .min(self.clauses.len().saturating_sub(1))
    }

    /// Whether `pos` lies inside a name (a title or a short quotation).
    fn in_name(&self, pos: usize) -> bool {
        let i = self.names.partition_point(|q| q.start <= pos);
        i > 0 && pos < self.names[i - 1].end
    }

    /// The cues (not masks) in a range, with their kinds: those of the clause cache when the
    /// range lies in one clause (each clause is searched once), else searched afresh.
    fn cues(&self, r: Range<usize>) -> Vec<(Range<usize>, CueKind, usize)> {
        let ci = self.clause_of(r.start);
        if self.clauses.get(ci).is_some_and(|(c, _)| r.end <= c.end) {
            let all = self.clause_cues(ci);
            let from = all.partition_point(|(c, _, _)| c.start < r.start);
            return all[from..]
                .iter()
                .take_while(|(c, _, _)| c.end <= r.end)
                .cloned()
                .collect();
        }
        self.find_cues(r)
    }

    fn clause_cues(&self, ci: usize) -> &[(Range<usize>, CueKind, usize)] {
        let cache = self.cue_cache.get_or_init(|| {
            (0..self.clauses.len())
                .map(|_| std::cell::OnceCell::new())
                .collect()
        });
        match cache.get(ci) {
            Some(cell) => cell.get_or_init(|| self.find_cues(self.clauses[ci].0.clone())),
            None => &[],
        }
    }

    fn find_cues(&self, r: Range<usize>) -> Vec<(Range<usize>, CueKind, usize)> {
        let Some(re) = &self.rules.cue_re else {
            return Vec::new();
        };
        let t = self.slice(r.clone());
        re.find_iter(t)
            .into_iter()
            .filter_map(|m| {
                let (k, cond) = self.rules.cue_words.get(m.word())?;
                let end = r.start + m.end();
                // `提升项目`: a cue followed by a noun it forms is none.
                let noun = cond.as_ref().is_some_and(|c| {
                    let rest = self.s.get(end..).unwrap_or("");
                    c.not_before.iter().any(|w| rest.starts_with(w.as_str()))
                });
                // A word inside a name (`“千人计划”`) is no verb of the sentence.
                let keep = *k != CueKind::Mask && !noun && !self.in_name(r.start + m.start());
                keep.then_some((r.start + m.start()..end, *k, m.word()))
            })
            .collect()
    }

    /// Whether cue word `word` at `c` may govern mention `m` whose text (bound words aside)
    /// starts at `num_start`: the conditions of its rule hold.
    fn governs(&self, c: &Range<usize>, word: usize, m: &Mention, num_start: usize) -> bool {
        let Some(cond) = self.rules.cue_words.get(word).and_then(|w| w.1.as_ref()) else {
            return true;
        };
        if cond.adjacent && !(c.end <= num_start && self.slice(c.end..num_start).trim().is_empty())
        {
            return false;
        }
        if !cond.units.is_empty() {
            let kind = self.rules.kind(m).map(UnitKind::as_str);
            let fam = self.rules.family(m).map(|f| f.name.as_str());
            if !cond
                .units
                .iter()
                .any(|u| Some(u.as_str()) == kind || Some(u.as_str()) == fam)
            {
                return false;
            }
        }
        true
    }

    /// The deadline year in force at `pos`.
    fn year_at(&self, pos: usize, sentence: usize) -> Option<i32> {
        let para_wide = self.rules.enabled(b!("paragraph-deadline"));
        let d = &self.marks().deadlines;
        // Sorted by place, so sentences ascend: the last before `pos` in its sentence, else
        // the last of the first sentence.
        let before = &d[..d.partition_point(|(p, _, _)| *p < pos)];
        let in_sentence = before.last().filter(|(_, _, s)| *s == sentence);
        let opening = || {
            before
                .iter()
                .take_while(|(_, _, s)| *s == 0)
                .last()
                .filter(|_| para_wide)
        };
        in_sentence
            .or_else(opening)
            .map(|(_, y, _)| *y)
            .or(self.carried)
    }

    /// The deadline in force at the end of the paragraph, for the bulleted paragraphs that
    /// continue it: the last one it states, or the one it carried.
    fn closing_deadline(&self) -> Option<i32> {
        self.marks()
            .deadlines
            .last()
            .map(|(_, y, _)| *y)
            .or(self.carried)
    }

    /// Why a number is not a target, before looking at commitment.
    fn first_skip(
        &self,
        k: usize,
        exclude: &[ByteSpan],
        clause_hits: &[Vec<bool>],
    ) -> Option<Option<&'static str>> {
        let r = self.rules;
        let m = &self.mentions[k];
        let (g0, g1) = (self.base + m.start, self.base + m.end);
        if exclude.iter().any(|e| e.start < g1 && g0 < e.end) {
            return Some(None);
        }
        if m.unread {
            return Some(r.reason(b!("unit-name")));
        }
        if self.in_name(m.start) {
            if let Some(reason) = r.reason(b!("quoted-name")) {
                return Some(Some(reason));
            }
        }
        let before_char = self.slice(0..m.start).chars().next_back();
        let after_num = self.slice(m.num_end..self.s.len()).chars().next();
        let latin_unit = m.form.as_ref().is_some_and(|f| f.latin_end);
        if before_char.is_some_and(|c| c.is_ascii_alphabetic())
            || (!latin_unit
                && m.form.is_none()
                && after_num.is_some_and(|c| c.is_ascii_alphabetic()))
        {
            if let Some(reason) = r.reason(b!("alphanumeric")) {
                return Some(Some(reason));
            }
        }
        let kind = r.kind(m);
        let form = m.form.as_ref().map(|f| &*f.text);
        // 文号: [2024]3号
        if let Some(reason) = r.reason(b!("document-number")) {
            let next_char = self.slice(m.end..self.s.len()).chars().next();
            if (m.year_like
                && m.form.is_none()
                && matches!(before_char, Some('['))
                && matches!(next_char, Some(']')))
                || (form == Some("号") && matches!(before_char, Some(']' | ')')))
            {
                return Some(Some(reason));
            }
        }
        if let Some(reason) = r.reason(b!("date")) {
            let prev_date_end = k.checked_sub(1).and_then(|j| {
                let p = &self.mentions[j];
                (p.end == m.start).then_some(())
            });
            let date = match (kind, form) {
                (None, _) => m.year_like,
                (Some(UnitKind::Time), Some("年" | "年度")) => m.year_like,
                (Some(UnitKind::Time), Some("月")) => m.value <= 12.0 && m.value.fract() == 0.0,
                (Some(UnitKind::Time), Some("日")) => prev_date_end.is_some(),
                _ => false,
            };
            if date {
                return Some(Some(reason));
            }
        }
        let ci = self.clause_of(m.start);
        let clause = self.clauses[ci].0.clone();
        let before = self.slice(clause.start..m.start.max(clause.start));
        let after = self.slice(m.end.min(clause.end)..clause.end);
        let fam = r.family(m).map(|f| f.name.as_str());
        // Local context: the last and first few characters around the number.
        let before_w = tail_chars(before, CONTEXT_CHARS);
        let after_w = head_chars(after, CONTEXT_CHARS);
        for (ri, rule) in r.skips.iter().enumerate() {
            if !rule.units.is_empty()
                && !rule.units.iter().any(|u| {
                    Some(u.as_str()) == kind.map(UnitKind::as_str) || Some(u.as_str()) == fam
                })
            {
                continue;
            }
            // The clause test is known already; the local patterns only run when it holds.
            if !clause_hits
                .get(ci)
                .and_then(|h| h.get(ri))
                .copied()
                .unwrap_or(true)
                || rule
                    .before
                    .as_ref()
                    .is_some_and(|re| !re.is_match(before_w))
                || rule.after.as_ref().is_some_and(|re| !re.is_match(after_w))
            {
                continue;
            }
            return Some(Some(rule.reason));
        }
        let Some(kind) = kind else {
            return r.reason(b!("no-unit")).map(Some);
        };
        // 十九届, 一期工程: a count of sessions only after a verb that holds them.
        if r.family(m)
            .and_then(|f| f.after_verbs.as_ref())
            .is_some_and(|w| !w.is_match(before))
        {
            return Some(r.reason(b!("unit-name")));
        }
        let by_kind = match kind {
            UnitKind::Spec => r.reason(b!("unit-spec")),
            UnitKind::Name => r.reason(b!("unit-name")),
            UnitKind::Time => r.reason(b!("duration")),
            _ => None,
        };
        if by_kind.is_some() {
            return Some(by_kind);
        }
        let next = after.chars().next();
        let noun_follows = next.is_some_and(|c| {
            (is_han(c)
                && !"的和及与或等以左上下约到至为是用给每"
                    .chars()
                    .any(|x| x == c))
                || c == '“'
        }) && !r.bound_after.as_ref().is_some_and(|re| re.is_match(after))
            && r.cue_re
                .as_ref()
                .and_then(|w| w.at(self.s, m.end))
                .is_none();
        if kind == UnitKind::Count
            && m.chinese
            && m.value == 1.0
            && m.value_max.is_none()
            && noun_follows
        {
            if let Some(reason) = r.reason(b!("article")) {
                return Some(Some(reason));
            }
        }
        if matches!(kind, UnitKind::Amount | UnitKind::Rate) && noun_follows {
            if let Some(reason) = r.reason(b!("amount-before-a-noun")) {
                return Some(Some(reason));
            }
        }
        // A list sums up a few items; its count is small (and counting stays cheap).
        let small = (2.0..=MAX_LIST_COUNT).contains(&m.value) && m.value.fract() == 0.0;
        if kind == UnitKind::Count && m.value_max.is_none() && small {
            if let Some(reason) = r.reason(b!("list-count")) {
                // The list ends right before the number; look no further back than it can be.
                let list = tail_chars(before.trim_end(), LIST_LOOKBACK_CHARS);
                let list = list.strip_suffix('等').unwrap_or(list);
                let last = list.rsplit('、').next().unwrap_or("");
                // `…数据共享中心等创新平台5个`: the number counts what follows the list.
                let counts_list = !last.contains('等');
                let joined = ["以及", "及", "和", "与"].iter().any(|c| last.contains(c));
                let items =
                    list.matches('、').count() + 1 + usize::from(joined && list.contains('、'));
                // The count of a list is no target when it qualifies another quantity
                // (`徐汇、黄浦等3个集聚区合计营收占…50%`) or names no thing (`四个到位`);
                // as the object of a verb it is one (`完成张江、金桥3个园区改造`).
                let qualifies = || {
                    self.mentions[k + 1..]
                        .iter()
                        .take_while(|n| n.start < clause.end)
                        .take(MAX_LIST_LOOKAHEAD)
                        .any(|n| {
                            matches!(
                                r.kind(n),
                                Some(
                                    UnitKind::Amount
                                        | UnitKind::Extent
                                        | UnitKind::Count
                                        | UnitKind::Percent
                                        | UnitKind::Points
                                        | UnitKind::Rate
                                )
                            )
                        })
                };
                if items > 1
                    && counts_list
                    && list.chars().next_back().is_some_and(is_han)
                    && items as f64 == m.value
                    && (!noun_follows || qualifies())
                {
                    return Some(Some(reason));
                }
            }
        }
        None
    }

    fn extract(&self, exclude: &[ByteSpan], out: &mut TaskTargets) {
        let r = self.rules;
        // Whether each skip rule's clause patterns allow it, per clause with a number.
        let mut clause_hits: Vec<Vec<bool>> = vec![Vec::new(); self.clauses.len()];
        for m in &self.mentions {
            let ci = self.clause_of(m.start);
            if clause_hits[ci].is_empty() {
                let whole = self.slice(self.clauses[ci].0.clone());
                let words = r
                    .clause_words
                    .as_ref()
                    .map(|w| w.scan(whole, r.skips.len()))
                    .unwrap_or_default();
                let word = |ri: usize, i: usize| words.get(ri).is_some_and(|f| f[i]);
                clause_hits[ci] = r
                    .skips
                    .iter()
                    .enumerate()
                    .map(|(ri, rule)| {
                        (!rule.clause_words || word(ri, 0))
                            && rule.clause.as_ref().is_none_or(|re| re.is_match(whole))
                            && !(rule.unless_words && word(ri, 1))
                            && !rule.unless.as_ref().is_some_and(|re| re.is_match(whole))
                    })
                    .collect();
            }
        }
        // Skips before commitment.
        let mut status: Vec<Option<Option<&'static str>>> = (0..self.mentions.len())
            .map(|k| self.first_skip(k, exclude, &clause_hits))
            .collect();
        // Population shares: 90%以上的行政村集体收入超10万元 — later numbers are thresholds.
        if let Some(reason) = r.reason(b!("population-share")) {
            let mut share_clause: Option<usize> = None;
            for (k, m) in self.mentions.iter().enumerate() {
                if status[k].is_some() {
                    continue;
                }
                let ci = self.clause_of(m.start);
                if share_clause == Some(ci) {
                    status[k] = Some(Some(reason));
                    continue;
                }
                if r.kind(m) == Some(UnitKind::Percent) {
                    let clause = &self.clauses[ci].0;
                    let mut after = self.slice(m.end..clause.end);
                    if let Some(b) = r.bound_after.as_ref().and_then(|re| re.find(after)) {
                        after = &after[b.end()..];
                    }
                    let after = after.strip_prefix('的').unwrap_or(after);
                    // A noun follows (`90%以上的行政村`), not a verb (`30%提高到50%`).
                    let verb = r
                        .cue_re
                        .as_ref()
                        .and_then(|w| w.at(after, 0))
                        .is_some_and(|w| {
                            r.cue_words
                                .get(w.word())
                                .is_some_and(|(k, _)| *k != CueKind::Mask)
                        });
                    if after.chars().next().is_some_and(|c| is_han(c) || c == '“') && !verb {
                        share_clause = Some(ci);
                    }
                }
            }
        }
        // The kind of the last target read in each clause.
        let mut clause_kind: Vec<Option<TargetKind>> = vec![None; self.clauses.len()];
        for (k, m) in self.mentions.iter().enumerate() {
            match status[k] {
                Some(None) => continue,
                Some(Some(reason)) => {
                    out.skipped.push(Skipped {
                        span: self.base + m.start..self.base + m.end,
                        reason,
                    });
                    continue;
                }
                None => {}
            }
            match self.target(k, &clause_kind) {
                Ok(mut t) => {
                    if let Some(k) = clause_kind.get_mut(self.clause_of(m.start)) {
                        *k = Some(t.kind);
                    }
                    // `确保达到120MW,力争达到180MW`: the same indicator as before.
                    if t.indicator.is_empty() {
                        if let Some(prev) = out.targets.last().filter(|p| p.clause == t.clause) {
                            t.indicator = prev.indicator.clone();
                        }
                    }
                    out.targets.push(t);
                }
                Err(reason) => out.skipped.push(Skipped {
                    span: self.base + m.start..self.base + m.end,
                    reason,
                }),
            }
        }
    }

    /// The bound written after the last number of a list of numbers in one unit that `k`
    /// opens or continues: `分别达到80%、50%以上` — `以上` holds for 80% too.
    fn list_bound(&self, k: usize) -> Option<Bound> {
        let r = self.rules;
        let family = |m: &Mention| m.form.as_ref().map(|f| f.family);
        let mut j = k;
        for _ in 0..MAX_LIST_BOUND {
            let (cur, Some(next)) = (&self.mentions[j], self.mentions.get(j + 1)) else {
                break;
            };
            if family(cur).is_none()
                || family(next) != family(cur)
                || next.start < cur.end
                || self.slice(cur.end..next.start).trim() != "、"
            {
                break;
            }
            j += 1;
        }
        if j == k {
            return None;
        }
        let last = &self.mentions[j];
        let after = self.slice(last.end..self.s.len());
        let b = r.bound_after.as_ref()?.find(after)?;
        r.bound_words.get(b.as_str().trim()).copied()
    }

    fn target(
        &self,
        k: usize,
        clause_kind: &[Option<TargetKind>],
    ) -> Result<FoundTarget, &'static str> {
        let r = self.rules;
        let m = &self.mentions[k];
        let ci = self.clause_of(m.start);
        let (clause, si) = self.clauses[ci].clone();
        let before_all = self.slice(clause.start..m.start);
        let bb = r.bound_before.as_ref().and_then(|re| re.find(before_all));
        let before_end = clause.start + bb.as_ref().map_or(before_all.len(), |b| b.start());
        let after_all = self.slice(m.end..clause.end);
        let ba = r.bound_after.as_ref().and_then(|re| re.find(after_all));
        let after_end = m.end + ba.as_ref().map_or(0, |b| b.end());

        let all_cues = self.clause_cues(ci);
        // The cues before the number that may govern it.
        let back = all_cues[..all_cues.partition_point(|(c, _, _)| c.end <= before_end)]
            .iter()
            .filter(|(c, _, w)| self.governs(c, *w, m, before_end));
        // A clause that opens with a word of the present (`现有绿道100公里`) states what is,
        // unless a verb of change follows it (`将目前的30%提高到50%`).
        let present = back
            .clone()
            .find(|(_, c, _)| *c != CueKind::Verb)
            .filter(|(_, c, _)| *c == CueKind::Present)
            .is_some_and(|(p, _, _)| {
                !back.clone().any(|(c, k, _)| {
                    c.start > p.start
                        && matches!(k, CueKind::Level | CueKind::Increase | CueKind::Decrease)
                })
            });
        let back_commits = back.clone().any(|(_, c, _)| c.commits());
        let kind_back = back
            .rev()
            .find_map(|(r, c, _)| c.target_kind().map(|k| (r.clone(), k)));
        // A cue after the number, up to the next number or list item: `40%以上面积达到`.
        let mut next_start = self
            .mentions
            .get(k + 1)
            .map_or(clause.end, |n| n.start.min(clause.end));
        if let Some(p) = self.slice(after_end.min(next_start)..next_start).find('、') {
            next_start = after_end.min(next_start) + p;
        }
        let fwd = self
            .cues(after_end.min(next_start)..next_start)
            .into_iter()
            .find(|(c, k, w)| {
                matches!(k, CueKind::Level | CueKind::New) && self.governs(c, *w, m, m.start)
            });
        let inherited =
            if r.enabled(b!("continued-clause")) && ci > 0 && self.clauses[ci - 1].1 == si {
                clause_kind.get(ci - 1).copied().flatten()
            } else {
                None
            };
        let yearly = {
            let y = &self.marks().yearly;
            y[..y.partition_point(|(p, _)| *p < m.start)]
                .last()
                .filter(|(p, _)| clause.start <= *p)
                .copied()
        };
        let year = match yearly {
            Some((_, false)) => None,
            _ => self.year_at(m.start, si),
        };
        if self.past {
            if let Some(reason) = r.section.as_ref().map(|x| x.reason) {
                return Err(reason);
            }
        }
        if present {
            if let Some(reason) = r.reason(b!("commitment")) {
                return Err(reason);
            }
        }
        // A deadline before the document's own year is a year past (`2023年全区…为70%` in a
        // document of 2024).
        if let (Some(y), Some(d)) = (year, self.doc_year) {
            if y < d {
                if let Some(reason) = r.reason(b!("past-year")) {
                    return Err(reason);
                }
            }
        }
        let committed = back_commits
            || fwd.is_some()
            || inherited.is_some()
            || yearly.is_some()
            || year.is_some();
        if !committed {
            if let Some(reason) = r.reason(b!("commitment")) {
                return Err(reason);
            }
        }
        let ukind = r.kind(m);
        let mut kind = kind_back
            .as_ref()
            .map(|(_, k)| *k)
            .or_else(|| fwd.as_ref().and_then(|(_, c, _)| c.target_kind()))
            .or(inherited)
            .unwrap_or(TargetKind::Level);
        if kind == TargetKind::New && matches!(ukind, Some(UnitKind::Percent | UnitKind::Points)) {
            kind = TargetKind::Level;
        }
        // Rising by a count of things is adding them (`提升21个点位`).
        if kind == TargetKind::Increase && ukind == Some(UnitKind::Count) {
            kind = TargetKind::New;
        }
        let word_bound = |w: &str| r.bound_words.get(w.trim()).copied();
        let bound = ba
            .as_ref()
            .and_then(|b| word_bound(b.as_str()))
            .or_else(|| bb.as_ref().and_then(|b| word_bound(b.as_str())))
            .or(m.infix)
            .or_else(|| self.list_bound(k))
            .unwrap_or(Bound::Exact);
        let baseline_year = if matches!(kind, TargetKind::Increase | TargetKind::Decrease) {
            let sent = &self.sentences[si];
            let b = &self.marks().baselines;
            b[..b.partition_point(|(p, _)| *p < m.start)]
                .last()
                .filter(|(p, _)| sent.start <= *p)
                .map(|(_, y)| *y)
        } else {
            None
        };
        let sentence = self.sentences[si].clone();
        let clause_span = trim_clause(self.s, sentence);
        Ok(FoundTarget {
            clause: self.base + clause_span.start..self.base + clause_span.end,
            indicator: self.indicator(k, &clause, before_end, after_end, kind_back.clone()),
            value: m.value,
            value_max: m.value_max,
            unit: self.unit_text(m).to_string(),
            si: r.si(m),
            year,
            baseline_year,
            kind,
            bound,
            span: self.base + m.start..self.base + m.end,
        })
    }

    /// The measured thing: between the verb and the number, else before the verb, else after
    /// the number.
    fn indicator(
        &self,
        k: usize,
        clause: &Range<usize>,
        before_end: usize,
        after_end: usize,
        cue: Option<(Range<usize>, TargetKind)>,
    ) -> String {
        // Whether the verb builds (`完成改造1000户`: the verb names the work).
        let builds = cue.as_ref().is_some_and(|(_, k)| *k == TargetKind::New);
        let cue = cue.map(|(c, _)| c);
        // 分别: A、B分别下降27%、10% — the n-th listed indicator for the n-th number.
        let near = tail_chars(
            self.slice(clause.start..before_end),
            RESPECTIVELY_LOOKBACK_CHARS,
        );
        if let Some(p) = near.find("分别") {
            let at = before_end - near.len() + p;
            let from = at - tail_chars(self.slice(clause.start..at), LIST_LOOKBACK_CHARS).len();
            let list = self.clean(from..at);
            let items = split_ranges(self.s, list, '、');
            let family = self.mentions[k].form.as_ref().map(|f| f.family);
            let nth = self.mentions[..k]
                .iter()
                .rev()
                .take_while(|x| x.start > at)
                .filter(|x| x.form.as_ref().map(|f| f.family) == family)
                .count();
            if items.len() > 1 {
                if let Some(item) = items.get(nth).or(items.last()) {
                    return self.orig(self.clean(item.clone())).to_string();
                }
            }
        }
        let mut start = clause.start;
        // Start after the previous number of the clause (`配电变压器160台` after `100公里左右、`).
        if let Some(p) = k.checked_sub(1).map(|j| &self.mentions[j]) {
            let counts = matches!(
                self.rules.kind(p),
                Some(k) if !matches!(k, UnitKind::Name | UnitKind::Spec | UnitKind::Time)
            );
            if counts && p.end > clause.start && p.end <= before_end {
                let gap = self.slice(p.end..before_end);
                let skip_bound = self
                    .rules
                    .bound_after
                    .as_ref()
                    .and_then(|re| re.find(gap))
                    .map_or(0, |b| b.end());
                let rest = &gap[skip_bound..];
                let lead = rest.len() - rest.trim_start_matches(['、', ',', ' ']).len();
                if cue.as_ref().is_none_or(|c| c.start < p.end) {
                    start = p.end + skip_bound + lead;
                }
            }
        }
        let pick = |r: Range<usize>| -> Option<Range<usize>> {
            let r = self.clean(r);
            (!r.is_empty()).then_some(r)
        };
        // After the number: 培育20家大型农业产业化龙头企业 — up to the next verb or number.
        let post = || {
            // Up to the next number that is not inside a name.
            let stop = self
                .mentions
                .iter()
                .skip(k + 1)
                .take_while(|n| n.start < clause.end)
                .find(|n| !self.in_name(n.start))
                .map_or(clause.end, |n| n.start.min(clause.end));
            let mut r = after_end.min(stop)..stop;
            let t = self.slice(r.clone());
            if t.starts_with('(') {
                return None;
            }
            // The noun phrase ends at the next verb of the cue lexicon that is no verb of
            // building (`赴`, `参加`, `达到`): those are often nouns in a compound
            // (`积水点改造`, `海绵城市建设达标评估`).
            let cut = self
                .cues(r.clone())
                .iter()
                .filter(|(_, k, _)| matches!(k, CueKind::Level | CueKind::Commit | CueKind::Verb))
                .map(|(c, _, _)| c.start)
                .chain(t.find('(').map(|p| r.start + p))
                .filter(|&p| p > r.start)
                .min();
            if let Some(c) = cut {
                r.end = c;
            }
            // The head noun follows the last 的 (具有发展前景的创业项目), unless it is an
            // abstract one (科创园区的提质增效).
            if let Some(p) = self.slice(r.clone()).rfind('的') {
                let head = r.start + p + '的'.len_utf8()..r.end;
                let h = self.slice(self.clean(head.clone()));
                // An abstract noun, or a verb used as one (`园区的改造`).
                let weak = self
                    .rules
                    .weak_heads
                    .as_ref()
                    .is_some_and(|w| w.is_match(h))
                    || self
                        .rules
                        .cue_re
                        .as_ref()
                        .and_then(|w| w.find_iter(h).last().map(|m| (m.end(), m.word())))
                        .is_some_and(|(end, w)| {
                            end == h.len()
                                && self
                                    .rules
                                    .cue_words
                                    .get(w)
                                    .is_some_and(|(k, _)| k.target_kind().is_some())
                        });
                if weak {
                    if let Some(q) = self.slice(r.clone()).find('的') {
                        r.end = r.start + q;
                    }
                } else if !h.is_empty() {
                    r = head;
                }
            }
            pick(r)
        };
        let range = match cue.clone().filter(|c| c.start >= start) {
            Some(c) => {
                let obj = pick(c.end..before_end);
                let subj = pick(start..c.start);
                let listed = obj
                    .as_ref()
                    .is_some_and(|o| self.slice(o.clone()).ends_with('等'));
                match obj {
                    Some(o) if self.slice(o.clone()).chars().count() < 3 => {
                        subj.map_or(Some(o.clone()), |s| Some(s.start..o.end))
                    }
                    Some(o) if !listed => Some(o),
                    obj => match subj {
                        // 完成智慧路灯升级改造5000基: the work named with its verb.
                        Some(s) if builds => Some(s.start..c.end),
                        Some(s) => Some(s),
                        None => post().or(obj),
                    },
                }
            }
            None => pick(start..before_end).or_else(post),
        };
        // A count or size right before its noun names it there: 600颗商业卫星, 17处镇街卫生院.
        let m = &self.mentions[k];
        // The noun right after the unit, or after its bound word (9座左右口袋公园).
        let noun_next = self
            .slice(after_end.min(clause.end)..clause.end)
            .chars()
            .next()
            .is_some_and(|c| is_han(c) || c == '“')
            // `52平方公里达到…`: a verb follows, no noun.
            && self
                .rules
                .cue_re
                .as_ref()
                .and_then(|w| w.at(self.s, after_end))
                .is_none_or(|w| {
                    self.rules
                        .cue_words
                        .get(w.word())
                        .is_some_and(|(k, _)| *k == CueKind::Mask)
                });
        let counted = matches!(self.rules.kind(m), Some(UnitKind::Count | UnitKind::Extent));
        let range = if noun_next && counted {
            post().or(range)
        } else {
            range
        };
        // Nothing else names it: the verb does (完成改造1000户 → 改造).
        let verb = cue.filter(|_| builds);
        let Some(range) = range.or(verb) else {
            return String::new();
        };
        self.orig(range).to_string()
    }

    /// Trims punctuation, deadlines, comparison years and the dropped words from both ends.
    fn clean(&self, mut r: Range<usize>) -> Range<usize> {
        let rules = self.rules;
        loop {
            let before = r.clone();
            let t = self.slice(r.clone());
            let trimmed = t.trim_start_matches(|c: char| {
                c.is_whitespace() || [',', ';', ':', '、', '。', '(', ')'].contains(&c)
            });
            r.start += t.len() - trimmed.len();
            let t = self.slice(r.clone());
            let trimmed = t.trim_end_matches(|c: char| {
                c.is_whitespace() || [',', ';', ':', '、', '。', '('].contains(&c)
            });
            r.end -= t.len() - trimmed.len();
            // Deadlines and comparison years at either end (found once per paragraph).
            let spans = &self.marks().spans;
            let i = spans.partition_point(|sp| sp.start <= r.start);
            if let Some(sp) = i.checked_sub(1).map(|j| &spans[j]) {
                if r.start < sp.end {
                    r.start = sp.end.min(r.end);
                }
            }
            let j = spans.partition_point(|sp| sp.start < r.end);
            if let Some(sp) = j.checked_sub(1).map(|j| &spans[j]) {
                if sp.start >= r.start && r.end <= sp.end {
                    r.end = sp.start;
                }
            }
            let t = self.slice(r.clone());
            if let Some(m) = rules.drop_pattern.iter().find_map(|re| re.find(t)) {
                if m.start() == 0 && m.end() > 0 {
                    r.start += m.end();
                }
            }
            let t = self.slice(r.clone());
            if let Some(w) = rules.drop_prefix.as_ref().and_then(|w| w.find(t)) {
                r.start += w.end();
            }
            let t = self.slice(r.clone());
            if let Some(w) = rules.drop_suffix.as_ref().and_then(|w| w.find(t)) {
                r.end = r.start + w.start();
            }
            if r == before || r.is_empty() {
                return r;
            }
        }
    }
}

/// How many numbers after a list's count are looked at for the quantity it qualifies.
const MAX_LIST_LOOKAHEAD: usize = 8;
/// How many numbers of a list (`80%、50%以上`) a bound after the last is carried back over.
const MAX_LIST_BOUND: usize = 12;
/// The largest count read as the size of a list before it (`机构、编制、人员、经费四个到位`).
const MAX_LIST_COUNT: f64 = 30.0;
/// How far back `分别` is looked for before a number, in characters.
const RESPECTIVELY_LOOKBACK_CHARS: usize = 80;
/// How far back such a list is looked for, in characters.
const LIST_LOOKBACK_CHARS: usize = 400;

/// How many characters around a number the `before` and `after` patterns see.
const CONTEXT_CHARS: usize = 24;

/// The last `n` characters of `s`.
fn tail_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    s.get(start..).unwrap_or(s)
}

/// The first `n` characters of `s`.
fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s.get(..end).unwrap_or(s)
}

/// A sentence without its end punctuation and surrounding space.
fn trim_clause(s: &str, r: Range<usize>) -> Range<usize> {
    let t = s.get(r.clone()).unwrap_or("");
    let lead = t.len() - t.trim_start().len();
    let t2 = t
        .trim_start()
        .trim_end_matches(|c: char| c.is_whitespace() || ['。', '!', '?', '…'].contains(&c));
    let start = r.start + lead;
    if t2.is_empty() {
        return r;
    }
    start..start + t2.len()
}

fn split_ranges(s: &str, r: Range<usize>, sep: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for (i, c) in s.get(r.clone()).unwrap_or("").char_indices() {
        if c == sep {
            out.push(start..r.start + i);
            start = r.start + i + c.len_utf8();
        }
    }
    out.push(start..r.end);
    out
}

// ------------------------------------------------------------------------------------------
// Paragraphs and tables.

/// Paragraph ranges of `s`: lines, except that a line ending in a digit (or a range sign)
/// continues into the next non-blank line when that starts with a unit.
/// The lines of `s`, without their `\n`.
fn line_ranges(s: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', s.as_bytes()) {
        lines.push(start..i);
        start = i + 1;
    }
    lines.push(start..s.len());
    lines
}

fn paragraphs(s: &str, rules: &TargetRules) -> Vec<Range<usize>> {
    let lines = line_ranges(s);
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    for l in lines {
        let t = s.get(l.clone()).unwrap_or("");
        if t.trim().is_empty() {
            continue;
        }
        if let Some(o) = open.as_mut() {
            let prev = s.get(o.clone()).unwrap_or("").trim_end();
            let joins = rules.enabled(b!("line-break-before-unit"))
                && prev.chars().next_back().is_some_and(|c| c.is_ascii_digit())
                && rules.unit_at(t.trim_start()).is_some();
            if joins {
                o.end = l.end;
                continue;
            }
            out.push(o.clone());
        }
        open = Some(l);
    }
    if let Some(o) = open {
        out.push(o);
    }
    out
}

/// The first `19xx年`/`20xx年` in `s`.
fn year_in(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年'
            && w[..4].iter().all(char::is_ascii_digit)
            && (digits.starts_with("19") || digits.starts_with("20")))
        .then(|| digits.parse().ok())
        .flatten()
    })
}

/// Cells of a table row (`| a | b |` or tab-separated), or `None`.
fn cells(line: &str) -> Option<Vec<(usize, &str)>> {
    let sep = if line.matches('|').count() >= 2 {
        '|'
    } else if line.contains('\t') {
        '\t'
    } else {
        return None;
    };
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), sep)))
    {
        if c == sep {
            let raw = line.get(start..i).unwrap_or("");
            let lead = raw.len() - raw.trim_start().len();
            out.push((start + lead, raw.trim()));
            start = i + c.len_utf8();
        }
    }
    // Drop the empty cells outside the outer bars.
    if out.first().is_some_and(|(_, c)| c.is_empty()) {
        out.remove(0);
    }
    if out.last().is_some_and(|(_, c)| c.is_empty()) {
        out.pop();
    }
    (out.len() >= 2).then_some(out)
}

fn header_col(cells: &[(usize, &str)], words: &[String]) -> Option<usize> {
    words
        .iter()
        .find_map(|w| cells.iter().position(|(_, c)| c.contains(w.as_str())))
}

/// Reads indicator tables in the lines of a task's text; returns the line ranges read.
fn read_tables(
    text: &Text,
    base: usize,
    s: &str,
    rules: &TargetRules,
    out: &mut TaskTargets,
) -> Vec<Range<usize>> {
    let t = &rules.table;
    // Every table, read or only noticed, has an indicator header.
    if t.target.is_empty() || !t.indicator_set.as_ref().is_some_and(|w| w.is_match(s)) {
        return Vec::new();
    }
    let lines = line_ranges(s);
    let mut consumed = Vec::new();
    let mut li = 0;
    let exact = |l: &Range<usize>, words: &[String]| {
        let x = s.get(l.clone()).unwrap_or("").trim();
        words.iter().any(|w| x == w)
    };
    while li < lines.len() {
        let line = s.get(lines[li].clone()).unwrap_or("");
        let header = cells(line).and_then(|c| {
            let ind = header_col(&c, &t.indicator)?;
            let tgt = c
                .iter()
                .rposition(|(_, x)| t.target.iter().any(|w| x.contains(w.as_str())))?;
            Some((
                c.len(),
                ind,
                tgt,
                header_col(&c, &t.unit),
                c[tgt].1.to_string(),
            ))
        });
        let Some((ncols, ind, tgt, unit_col, tgt_header)) = header else {
            // One cell per line: noticed, not read.
            let short = |l: &Range<usize>| {
                let x = s.get(l.clone()).unwrap_or("").trim();
                !x.is_empty() && x.chars().count() <= 12 && !x.contains([',', ';', '。', '!', '?'])
            };
            let names_indicator = |l: &Range<usize>| {
                let x = s.get(l.clone()).unwrap_or("");
                t.indicator.iter().any(|w| x.contains(w.as_str()))
            };
            if short(&lines[li]) && names_indicator(&lines[li]) {
                let later = (li + 1..lines.len())
                    .filter(|&j| !s.get(lines[j].clone()).unwrap_or("").trim().is_empty())
                    .take(12)
                    .take_while(|&j| short(&lines[j]))
                    .find(|&j| {
                        exact(&lines[j], &t.unit)
                            || exact(&lines[j], &t.attribute)
                            || t.target
                                .iter()
                                .any(|w| s.get(lines[j].clone()).unwrap_or("").contains(w.as_str()))
                    });
                if let Some(j) = later {
                    out.diags.push(Diag::warning(
                        "indicator-table-not-read",
                        "an indicator table with one cell per line was not read; its targets are missing".into(),
                        Some(base + lines[li].start..base + lines[li].end),
                    ));
                    li = j + 1;
                    continue;
                }
            }
            li += 1;
            continue;
        };
        let year = year_in(&tgt_header);
        consumed.push(lines[li].clone());
        let mut unread = 0;
        li += 1;
        while li < lines.len() {
            let lr = lines[li].clone();
            let line = s.get(lr.clone()).unwrap_or("");
            let Some(row) = cells(line) else { break };
            consumed.push(lr.clone());
            li += 1;
            if row.len() != ncols
                || row
                    .iter()
                    .all(|(_, c)| c.starts_with('-') || c.starts_with(':'))
            {
                continue;
            }
            let (cell_at, cell) = row[tgt];
            let mut body = cell;
            let mut off = 0;
            let mut bound = None;
            if let Some((w, b)) = rules
                .bound_words
                .iter()
                .filter(|(w, _)| body.starts_with(w.as_str()))
                .max_by_key(|(w, _)| w.len())
            {
                bound = Some(*b);
                off = w.len();
                body = &body[off..];
            }
            for (sym, b) in [
                ("≥", Bound::AtLeast),
                (">", Bound::AtLeast),
                ("≤", Bound::AtMost),
                ("<", Bound::AtMost),
            ] {
                if let Some(rest) = body.strip_prefix(sym) {
                    bound = Some(b);
                    off += sym.len();
                    body = rest;
                }
            }
            let Some(n) = numbers::read_numeral(body) else {
                if !cell.is_empty() {
                    unread += 1;
                }
                continue;
            };
            let num_at = lr.start + cell_at + off;
            let mut end = num_at + n.len;
            let mut form = rules.unit_at(&body[n.len..]).cloned();
            if let Some(f) = &form {
                end += f.text.len();
            } else if let Some(uc) = unit_col {
                form = rules.unit_at(row[uc].1).cloned();
            }
            let after = s.get(end..lr.end).unwrap_or("");
            if let Some(b) = rules.bound_after.as_ref().and_then(|re| re.find(after)) {
                bound = rules.bound_words.get(b.as_str().trim()).copied().or(bound);
            }
            let unit = match (&form, unit_col) {
                (Some(f), _) if end > num_at + n.len => {
                    text.slice(&(base + num_at + n.len..base + end)).to_string()
                }
                (_, Some(uc)) => row[uc].1.to_string(),
                _ => String::new(),
            };
            let m = Mention {
                start: num_at,
                num_end: num_at + n.len,
                unit_start: num_at + n.len,
                end,
                value: n.value,
                value_max: None,
                form,
                chinese: n.chinese,
                year_like: false,
                infix: None,
                unread: false,
            };
            out.targets.push(FoundTarget {
                clause: base + lr.start..base + lr.end,
                indicator: text
                    .slice(
                        &(base + lr.start + row[ind].0
                            ..base + lr.start + row[ind].0 + row[ind].1.len()),
                    )
                    .to_string(),
                value: n.value,
                value_max: None,
                unit,
                si: rules.si(&m),
                year,
                baseline_year: None,
                kind: TargetKind::Level,
                bound: bound.unwrap_or(Bound::Exact),
                span: base + num_at..base + end,
            });
        }
        if unread > 0 {
            out.diags.push(Diag::warning(
                "indicator-table-not-read",
                format!("{unread} row(s) of an indicator table have no readable target value"),
                Some(base + consumed[0].start..base + consumed[0].end),
            ));
        }
    }
    consumed
}

/// What the stage may know of the document around a task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocContext {
    /// The year of the document's date: a deadline before it is a year past, and the
    /// numbers it holds describe what was done (`2023年全区…占比为70%` in a plan of 2024).
    pub year: Option<i32>,
    /// The document's section headings, read by [`DocContext::new`] from the same text;
    /// without them each task looks back for its section in the text.
    sections: Option<Sections>,
}

impl DocContext {
    /// The context of `text`: its year and its section headings.
    pub fn new(text: &Text, rules: &TargetRules, year: Option<i32>) -> Self {
        Self {
            year,
            sections: Some(Sections::read(text, rules)),
        }
    }
}

/// Reads the targets of one task's own text, leaving out the spans in `exclude`.
pub fn extract_task(
    text: &Text,
    own: &ByteSpan,
    exclude: &[ByteSpan],
    rules: &TargetRules,
) -> TaskTargets {
    extract_task_in(text, own, exclude, rules, &DocContext::default())
}

/// [`extract_task`] with what is known of the document (its year).
pub fn extract_task_in(
    text: &Text,
    own: &ByteSpan,
    exclude: &[ByteSpan],
    rules: &TargetRules,
    doc: &DocContext,
) -> TaskTargets {
    let mut out = TaskTargets::default();
    let Some(s) = text.norm().get(own.clone()) else {
        return out;
    };
    let tables = read_tables(text, own.start, s, rules, &mut out);
    let past = match &doc.sections {
        Some(sections) => sections.past(text, own.start),
        None => rules
            .section
            .as_ref()
            .is_some_and(|sec| sec.past(text, own.start)),
    };
    let mut carry: Option<i32> = None;
    let is_bullet = |t: &str| {
        rules
            .bullets
            .iter()
            .any(|b| t.trim_start().starts_with(b.as_str()))
    };
    let paras = paragraphs(s, rules);
    for (i, p) in paras.iter().enumerate() {
        if tables.iter().any(|t| t.start <= p.start && p.end <= t.end) {
            continue;
        }
        let Some(ps) = s.get(p.clone()) else { continue };
        // Deadlines are needed without numbers only when bullets continue the paragraph.
        let next_bullet = paras
            .get(i + 1)
            .and_then(|n| s.get(n.clone()))
            .is_some_and(is_bullet);
        let mut para = Para::read(rules, text, ps, own.start + p.start, next_bullet);
        para.past = past;
        para.doc_year = doc.year;
        let bullet = is_bullet(ps);
        if bullet {
            para.carried = carry;
        }
        // What the next (bulleted) paragraph continues; only read when there is one.
        carry = match (next_bullet, bullet) {
            (false, _) => None,
            (true, _) => para.closing_deadline(),
        };
        para.extract(exclude, &mut out);
    }
    out.targets.sort_by_key(|t| t.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn rules() -> std::sync::Arc<Rules> {
        Rules::embedded().expect("embedded rules")
    }

    fn run(s: &str) -> (Text, TaskTargets) {
        let t = Text::new(s.to_string());
        let own = 0..t.norm().len();
        let r = rules();
        let got = extract_task(&t, &own, &[], r.targets());
        (t, got)
    }

    proptest::proptest! {
        /// The index finds what comparing every form, longest first, finds.
        #[test]
        fn form_index_agrees_with_the_sorted_list(
            texts in proptest::collection::vec("[万吨元a亿]{1,4}", 1..16),
            s in "[万吨元a亿 ]{0,8}",
        ) {
            let forms: Vec<Form> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| Form {
                    text: t.as_str().into(),
                    family: i,
                    exp: 0,
                    factor: 1.0,
                    not_before: Arc::new([]),
                    latin_end: false,
                    prefixed: false,
                })
                .collect();
            // A condition on the form and the rest, as `not_before` is.
            let ok = |f: &Form, rest: &str| f.family % 3 != 0 || !rest.starts_with('元');
            let mut sorted = forms.clone();
            sorted.sort_by_key(|f| std::cmp::Reverse(f.text.len()));
            let want = sorted
                .iter()
                .find(|f| s.strip_prefix(&*f.text).is_some_and(|rest| ok(f, rest)))
                .map(|f| f.family);
            let index = FormIndex::new(forms);
            proptest::prop_assert_eq!(index.find(&s, &ok).map(|f| f.family), want);
        }

        /// The byte scans find what a walk over the characters finds.
        #[test]
        fn byte_scans_agree_with_the_character_walk(
            s in "[a.1,。“”、…‥⁂〇○一二十亿年月甲\u{80}\u{7FF}\u{1FFF}\u{4000}\u{E000}\u{FFFF}😀 ]{0,40}",
        ) {
            let marks: Vec<(usize, char)> = s
                .char_indices()
                .filter(|&(_, c)| c.is_ascii() || ('\u{2000}'..='\u{3FFF}').contains(&c))
                .collect();
            proptest::prop_assert_eq!(marks_and_ascii(&s).collect::<Vec<_>>(), marks);
            let mut prev: Option<char> = None;
            let mut starts = Vec::new();
            for (i, c) in s.char_indices() {
                let numeral = |c: char| c.is_ascii_digit() || is_cn_numeral(c);
                if numeral(c) && !prev.is_some_and(|p| numeral(p) || p == '.') {
                    starts.push(i);
                }
                prev = Some(c);
            }
            proptest::prop_assert_eq!(number_starts(&s).collect::<Vec<_>>(), starts);
        }
    }

    #[test]
    fn utf8_len_is_the_length_of_each_character() {
        for c in [
            'a', '\u{7F}', '\u{80}', 'é', '\u{7FF}', '\u{800}', '一', '\u{FFFF}', '𠀀',
        ] {
            let mut buf = [0; 4];
            assert_eq!(
                utf8_len(c.encode_utf8(&mut buf).as_bytes()[0]),
                c.len_utf8(),
                "{c:?}"
            );
        }
        // A continuation byte steps one.
        assert!((0x80..0xC0).all(|b| utf8_len(b) == 1));
    }

    #[test]
    fn byte_helpers() {
        let s = "甲,乙。“丙”a😀…";
        let got: Vec<(usize, char)> = marks_and_ascii(s).collect();
        assert_eq!(
            got,
            vec![
                (3, ','),
                (7, '。'),
                (10, '“'),
                (16, '”'),
                (19, 'a'),
                (24, '…')
            ]
        );
        assert_eq!(decode3("一".as_bytes(), 0), Some('一'));
        let numerals: Vec<char> = "年〇○零一二两三四五六七八九十百千万亿兆a1"
            .chars()
            .filter(|&c| is_cn_numeral(c))
            .collect();
        assert_eq!(
            numerals.iter().collect::<String>(),
            "〇○零一二两三四五六七八九十百千万亿"
        );
        assert!(cn_numeral_at("年亿".as_bytes(), 3) && !cn_numeral_at("年亿".as_bytes(), 0));
        // Fewer than three bytes left: no numeral.
        assert!(!cn_numeral_at(&"亿".as_bytes()[..2], 0));
        assert_eq!(decode3(b"ab", 0), None);
        assert_eq!((utf8_len(b'a'), utf8_len(0xE4), utf8_len(0xF0)), (1, 3, 4));
        assert_eq!(tail_chars("一二三四", 2), "三四");
        assert_eq!(head_chars("一二三四", 3), "一二三");
        assert_eq!(tail_chars("一", 5), "一");
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        let r = rules();
        let s = "第一段\n\n选育2-3\n\n个品种。\n第三段";
        let p: Vec<&str> = paragraphs(s, r.targets())
            .iter()
            .map(|x| &s[x.clone()])
            .collect();
        assert_eq!(p, ["第一段", "选育2-3\n\n个品种。", "第三段"]);
        let (t, got) = run("选育或引进2-3\n\n个品种。");
        assert_eq!(t.slice(&got.targets[0].span), "2-3\n\n个");
    }

    #[test]
    fn excluded_spans_are_left_out() {
        let t = Text::new("到2025年,新建充电桩390个(责任单位:第3处)。".to_string());
        let own = 0..t.norm().len();
        let at = t.norm().find('(').unwrap();
        let r = rules();
        let exclude: Vec<ByteSpan> = std::iter::once(at..own.end).collect();
        let got = extract_task(&t, &own, &exclude, r.targets());
        assert_eq!(got.targets.len(), 1);
        assert!(got.skipped.iter().all(|k| k.span.end <= at));
    }

    #[test]
    fn clause_words_of_all_rules_in_one_pass() {
        let words: Vec<String> = ["已完成", "已完成的", "宽度"]
            .iter()
            .map(|x| x.to_string())
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .unwrap();
        let cw = ClauseWords {
            ac,
            owner: vec![(0, false), (0, true), (2, false)],
        };
        // Overlapping words are all seen: the rule's word and its exception.
        assert_eq!(
            cw.scan("对已完成的绿道", 3),
            vec![[true, true], [false, false], [false, false]]
        );
        assert_eq!(cw.scan("步道宽度2米", 3)[2], [true, false]);
        assert_eq!(cw.scan("", 3), vec![[false; 2]; 3]);
    }

    #[test]
    fn cue_conditions() {
        let r = rules();
        let kinds = |s: &str| -> Vec<TargetKind> {
            let t = Text::new(s.to_string());
            extract_task(&t, &(0..t.norm().len()), &[], r.targets())
                .targets
                .iter()
                .map(|x| x.kind)
                .collect()
        };
        // 达 adjacent (a bound word between is fine), 占 for shares, 提升 not before 项目.
        assert_eq!(kinds("到2025年,产值达近30亿元。"), [TargetKind::Level]);
        assert_eq!(kinds("到2025年,建成直达航线5条。"), [TargetKind::New]);
        assert_eq!(kinds("到2025年,占比达到40%。"), [TargetKind::Level]);
        assert_eq!(kinds("完成环境提升项目12项。"), [TargetKind::New]);
        assert!(kinds("项目占地约120亩。").is_empty());
    }

    #[test]
    fn list_bounds_stop_at_other_units_and_words() {
        let (_, got) = run("到2025年,比例分别达到60%、70%、80%以上。");
        assert!(got.targets.iter().all(|t| t.bound == Bound::AtLeast));
        let (_, got) = run("到2025年,新建公园5座、10%以上。");
        assert_eq!(got.targets[0].bound, Bound::Exact);
        let (_, got) = run("到2025年,覆盖率分别达到60%、较高水平、80%以上。");
        assert_eq!(got.targets[0].bound, Bound::Exact);
        // A long list is carried back over at most a bounded number of numbers.
        let list: Vec<String> = (1..=40).map(|i| format!("{i}%")).collect();
        let (_, got) = run(&format!("到2025年,分别达到{}以上。", list.join("、")));
        assert_eq!(got.targets.len(), 40);
        assert_eq!(got.targets[0].bound, Bound::Exact);
        assert_eq!(got.targets[39].bound, Bound::AtLeast);
    }

    #[test]
    fn sessions_count_only_after_a_verb_that_holds_them() {
        let (t, got) = run("推动一期5万吨项目。连续举办5届博览会。");
        let skipped: Vec<(&str, &str)> = got
            .skipped
            .iter()
            .map(|k| (t.slice(&k.span), k.reason))
            .collect();
        assert!(skipped.contains(&("一期", "name")), "{skipped:?}");
        assert_eq!(got.targets.len(), 1);
        assert_eq!(t.slice(&got.targets[0].span), "5届");
    }

    #[test]
    fn document_year_marks_past_deadlines() {
        let r = rules();
        let t = Text::new("“十三五”期间,建成绿道200公里。2026年,建成绿道300公里。".to_string());
        let own = 0..t.norm().len();
        let years = |year| -> Vec<Option<i32>> {
            extract_task_in(
                &t,
                &own,
                &[],
                r.targets(),
                &DocContext::new(&t, r.targets(), year),
            )
            .targets
            .iter()
            .map(|x| x.year)
            .collect()
        };
        assert_eq!(years(None), [Some(2020), Some(2026)]);
        assert_eq!(years(Some(2021)), [Some(2026)]);
        assert_eq!(years(Some(2027)), Vec::<Option<i32>>::new());
    }

    #[test]
    fn section_index_agrees_with_the_walk_back() {
        let r = rules();
        let rule = r.targets().section.as_ref().expect("a section rule");
        // Present-tense sections, one past the line bound and one past the byte bound.
        let made = format!(
            "一、发展现状\n{}二、主要目标\n到2025年,建成绿道200公里。\n第三章 工作成效\n{}\n尾\n四、回顾\n",
            "现有绿道100公里。\n".repeat(450),
            "甲".repeat(30_000)
        );
        let mut docs = vec![("made".to_string(), made)];
        docs.extend(crate::fixture_texts());
        let (mut checked, mut present) = (0, 0);
        for (name, doc) in docs {
            let text = Text::new(doc);
            let sections = Sections::read(&text, r.targets());
            let norm = text.norm();
            for (at, _) in norm.char_indices().step_by(7).chain([(norm.len(), ' ')]) {
                let walked = rule.past(&text, at);
                assert_eq!(sections.past(&text, at), walked, "{name} at byte {at}");
                checked += 1;
                present += usize::from(walked);
            }
        }
        assert!(checked > 10_000 && present > 100, "{checked} {present}");
    }

    #[test]
    fn preceded_by_reads_as_the_context_and_pattern_in_one_regex_did() {
        let r = rules();
        let split: Vec<&Deadline> = r
            .targets()
            .deadlines
            .iter()
            .filter(|d| d.preceded_by.is_some())
            .collect();
        assert!(split.len() >= 2);
        let mut texts: Vec<String> = [
            "2024年,2026年全面启动8个整体改造项目。",
            "(一)加快建设。2025年,2027年新建公园5个。",
            "2025年前,新建充电桩390个;2026年底前,再建100个。",
            "以2000年前建成的公房为重点。力争 2030年底前完成。",
        ]
        .map(String::from)
        .to_vec();
        texts.push(format!("。{}2026年底前完成改造1000户。", " ".repeat(50)));
        for (_, text) in crate::fixture_texts() {
            let text = crate::base::text::normalize_str(&text);
            texts.extend(text.lines().map(String::from));
        }
        let mut found = 0;
        for d in split {
            let before = d.preceded_by.as_ref().expect("split rule").as_str();
            let whole = Regex::new(&format!("{}{}", &before[..before.len() - 1], d.re.as_str()))
                .expect("the rule as one regex");
            for t in &texts {
                let got: Vec<(usize, usize)> =
                    d.find_in(t).iter().map(|m| (m.start, m.all.end)).collect();
                let want: Vec<(usize, usize)> =
                    whole.find_iter(t).map(|m| (m.start(), m.end())).collect();
                assert_eq!(got, want, "{t}");
                found += got.len();
            }
        }
        assert!(found >= 8, "{found}");
    }

    #[test]
    fn every_example_holds() {
        let full = Rules::load(&crate::rules::LoadOptions {
            dir: None,
            examples: true,
        })
        .expect("embedded rules");
        let Checked {
            failures: fails,
            count: n,
        } = check_examples(full.targets());
        assert!(n > 100, "only {n} examples");
        let msg: Vec<String> = fails.iter().map(ToString::to_string).collect();
        assert!(fails.is_empty(), "{}", msg.join("\n"));
    }
}
