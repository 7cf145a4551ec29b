//! Stage 6a: who leads and who takes part in each task.
//!
//! Input: a task's own text and the department rules. Output: the attributions found, each
//! with its role, role word as written, names as written and span.

use crate::examples::Failure;
use crate::model::Role;
use crate::rules::{RulesError, Source};
use crate::text::{ByteSpan, Text};

/// Compiled department rules.
#[derive(Debug, Clone, Default)]
pub struct DepartmentRules {}

/// Compiles `departments.toml`.
///
/// # Errors
/// A malformed file, naming file, line and rule.
pub(crate) fn compile_rules(_src: &Source) -> Result<DepartmentRules, RulesError> {
    Ok(DepartmentRules {})
}

/// Runs the examples of the department rules; returns failures and the number run.
pub fn check_examples(_rules: &DepartmentRules) -> (Vec<Failure>, usize) {
    (Vec::new(), 0)
}

/// An attribution found in a task's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Lead or participant.
    pub role: Role,
    /// The role word as written.
    pub role_word: ByteSpan,
    /// The names as written.
    pub names: Vec<ByteSpan>,
    /// The whole attribution (bracket included).
    pub span: ByteSpan,
}

/// Reads the attributions of one task's own text.
pub fn extract_task(_text: &Text, _own: &ByteSpan, _rules: &DepartmentRules) -> Vec<Found> {
    Vec::new()
}
