//! The examples of `rules/units.toml` and `rules/targets.toml`, run against the stage.
//!
//! Input: the compiled rules with their examples. Output: one [`Checked`] record per example,
//! with what went wrong.

use super::*;

use serde::Deserialize;

use crate::base::rule_file::{Checked, RuleFile};
use crate::base::text::normalize_str;

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
    /// The deadline's month, when it must match.
    #[serde(default)]
    pub month: Option<u32>,
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
    pub reason: Option<SkipReason>,
    /// A diagnostic code that must be reported.
    pub diag: Option<crate::base::diag::Code>,
    /// The year of the document the text is read in.
    pub doc_year: Option<i32>,
}

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
            para.normalised(m.start..m.end)
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
        .and_then(|f| text.norm().find(&normalize_str(f)))
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
        || ex.month.is_some()
        || ex.no_year
        || ex.baseline.is_some()
        || ex.kind.is_some()
        || ex.bound.is_some()
        || ex.indicator.is_some();
    if wants_target {
        match got.targets.get(ex.nth) {
            None => problems.push(format!("no target number {}", ex.nth)),
            Some(t) => target_problems(t, ex, &mut problems),
        }
    }
    if let Some(number) = &ex.skip {
        skip_problems(&text, &got.skipped, number, ex.reason, &mut problems);
    }
    if let Some(d) = &ex.diag {
        if !got.diags.iter().any(|x| x.code == *d) {
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

/// What in target `t` differs from what example `ex` expects.
fn target_problems(t: &FoundTarget, ex: &TargetExample, problems: &mut Vec<String>) {
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
    if let Some(m) = ex.month {
        if t.month != Some(m) {
            problems.push(format!("month {:?}, expected {m}", t.month));
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

/// Whether `number` (with its unit, as written) is among the `skipped`, and for `reason` if
/// given.
fn skip_problems(
    text: &Text,
    skipped: &[Skipped],
    number: &str,
    reason: Option<SkipReason>,
    problems: &mut Vec<String>,
) {
    let found: Vec<&Skipped> = skipped
        .iter()
        .filter(|s| text.as_written(&s.span) == number)
        .collect();
    if found.is_empty() {
        let all: Vec<String> = skipped
            .iter()
            .map(|s| format!("{}:{}", text.as_written(&s.span), s.reason))
            .collect();
        problems.push(format!(
            "`{number}` not passed over (skipped: {})",
            all.join(" ")
        ));
    } else if let Some(r) = reason {
        if !found.iter().any(|s| s.reason == r) {
            problems.push(format!(
                "`{number}` passed over as `{}`, expected `{r}`",
                found[0].reason
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

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
