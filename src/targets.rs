//! Stage 6b: numeric targets of each task.
//!
//! Input: a task's own text (normalised byte span), spans to leave out (attributions), and the
//! unit and target rules. Output: the targets found, each with value, unit, deadline, kind and
//! bound, and the numbers passed over with the reason.

use crate::examples::Failure;
use crate::model::{Bound, TargetKind};
use crate::rules::{RulesError, Source};
use crate::text::{ByteSpan, Text};

/// Compiled unit and target rules.
#[derive(Debug, Clone, Default)]
pub struct TargetRules {}

/// Compiles `units.toml` and `targets.toml`.
///
/// # Errors
/// A malformed file, naming file, line and rule.
pub(crate) fn compile_rules(_units: &Source, _targets: &Source) -> Result<TargetRules, RulesError> {
    Ok(TargetRules {})
}

/// Runs the examples of the unit and target rules; returns failures and the number run.
pub fn check_examples(_rules: &TargetRules) -> (Vec<Failure>, usize) {
    (Vec::new(), 0)
}

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
    pub diags: Vec<crate::diag::Diag>,
}

/// Reads the targets of one task's own text, leaving out the spans in `exclude`.
pub fn extract_task(
    _text: &Text,
    _own: &ByteSpan,
    _exclude: &[ByteSpan],
    _rules: &TargetRules,
) -> TaskTargets {
    TaskTargets::default()
}
