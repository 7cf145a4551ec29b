//! `markers.toml`: the heading marker families, compiled, and the runner of their examples.

use serde::Deserialize;
use toml::Spanned;

use crate::base::pattern::Pattern;
use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError, one_line_text, yes};

use super::match_family;

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
    /// Whether the family tolerates a gap of an ordinal or two (with a diagnostic); the rule
    /// file calls this `strong`.
    pub tolerates_gaps: bool,
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
    /// Whether the match must (or must not) only continue a running numbering.
    pub weak: Option<bool>,
}

/// The marker families, and the lines that open a box or a contents page.
#[derive(Debug, Clone)]
pub struct MarkerRules {
    /// Heading marker families, in match order.
    pub families: Vec<MarkerFamily>,
    /// A line that opens a box (专栏).
    pub box_start: Option<LineRule>,
    /// The title line of a contents page (目录).
    pub contents: Option<LineRule>,
}

/// A pattern a whole line is matched against, with its examples.
#[derive(Debug, Clone)]
pub struct LineRule {
    /// The pattern, matched on the trimmed, normalised line.
    pub regex: Pattern,
    examples: Vec<LineExample>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineExample {
    text: String,
    matches: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLineRule {
    pattern: Spanned<String>,
    #[serde(default)]
    examples: Vec<LineExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkers {
    #[serde(rename = "box")]
    box_start: Option<RawLineRule>,
    contents: Option<RawLineRule>,
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

/// Compiles `markers.toml`.
///
/// # Errors
/// A malformed file, naming file, line and family.
pub fn compile(src: &RuleSource) -> Result<MarkerRules, RulesError> {
    let raw: RawMarkers = src.parse()?;
    let line_rule = |name: &str, r: Option<RawLineRule>| -> Result<Option<LineRule>, RulesError> {
        r.map(|r| {
            Ok(LineRule {
                regex: src.pattern(name, &r.pattern)?,
                examples: r.examples,
            })
        })
        .transpose()
    };
    let box_start = line_rule("box", raw.box_start)?;
    let contents = line_rule("contents", raw.contents)?;
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
            tolerates_gaps: f.strong,
            parent,
            title: f.title,
            examples: f.examples,
        });
    }
    Ok(MarkerRules {
        families: out,
        box_start,
        contents,
    })
}

/// Runs the examples of every family, and of the box and contents lines.
pub fn check_examples(rules: &MarkerRules) -> Checked {
    let mut checked = Checked::default();
    for (name, rule) in [("box", &rules.box_start), ("contents", &rules.contents)] {
        for ex in rule
            .iter()
            .flat_map(|r| r.examples.iter().map(move |e| (r, e)))
        {
            let (rule, ex) = ex;
            let got = rule
                .regex
                .is_match(&crate::base::text::normalize_str(ex.text.trim()));
            let problem =
                (got != ex.matches).then(|| format!("matched is {got}, expected {}", ex.matches));
            checked.record(RuleFile::Markers, name, &ex.text, problem);
        }
    }
    for (i, f) in rules.families.iter().enumerate() {
        for ex in &f.examples {
            let (t, span) = one_line_text(&ex.text);
            let got = match_family(f, i, &t, &span);
            let problem = match (ex.matches, got) {
                (false, Some(c)) => Some(format!(
                    "matched `{}` but should not",
                    t.as_written(&c.marker)
                )),
                (true, None) => Some("did not match".into()),
                (true, Some(c)) => {
                    let mut problems = Vec::new();
                    if let Some(m) = &ex.marker {
                        if t.as_written(&c.marker) != m {
                            problems.push(format!(
                                "marker `{}`, expected `{m}`",
                                t.as_written(&c.marker)
                            ));
                        }
                    }
                    if let Some(w) = ex.weak {
                        if c.weak != w {
                            problems.push(format!("weak is {}, expected {w}", c.weak));
                        }
                    }
                    if let Some(o) = ex.ordinal {
                        if c.ord != u64::from(o) {
                            problems.push(format!("ordinal {}, expected {o}", c.ord));
                        }
                    }
                    (!problems.is_empty()).then(|| problems.join("; "))
                }
                (false, None) => None,
            };
            checked.record(RuleFile::Markers, &f.name, &ex.text, problem);
        }
    }
    checked
}
