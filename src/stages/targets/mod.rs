//! Stage 6c: numeric targets of each task.
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
//!
//! The files, each answering one question: `rules.rs` the compiled rules; `units.rs` what unit
//! a text starts with; `mention.rs` how far a number with its unit reads; `paragraph.rs`
//! sentences, clauses, cues and the loop over numbers; `time.rs` deadlines, comparison years
//! and sections about the present; `skip.rs` why a number is not a target; `target.rs` a kept
//! number's kind, bound and indicator; `table.rs` indicator tables; `examples.rs` the rule
//! files' examples.

mod examples;
mod mention;
mod paragraph;
mod rules;
mod skip;
mod table;
mod target;
mod time;
mod units;

use std::ops::Range;

use crate::base::diag::{Code, Diag};
use crate::base::text::{ByteSpan, Text};
use crate::model::{Bound, SkipReason, TargetKind};

use self::{mention::*, paragraph::*, rules::*, skip::*, table::*, time::*, units::*};

pub use self::examples::{TargetExample, UnitExample, check_examples};
pub use self::rules::{TargetRules, compile_rules};
pub use self::units::UnitKind;

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
    /// The deadline's month, where the text gives one.
    pub month: Option<u32>,
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
    /// Why.
    pub reason: SkipReason,
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
// A task.

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
    let mut carry: Option<time::Due> = None;
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

/// Paragraph ranges of `s`: lines, except that a line ending in a digit (or a range sign)
/// continues into the next non-blank line when that starts with a unit.
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
            let joins = rules.enabled(Builtin::LineBreakBeforeUnit)
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::rules::Rules;

    pub(in crate::stages::targets) fn rules() -> std::sync::Arc<Rules> {
        Rules::embedded().expect("embedded rules")
    }

    pub(in crate::stages::targets) fn run(s: &str) -> (Text, TaskTargets) {
        let t = Text::new(s.to_string());
        let own = 0..t.norm().len();
        let r = rules();
        let got = extract_task(&t, &own, &[], r.targets());
        (t, got)
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
        assert_eq!(t.as_written(&got.targets[0].span), "2-3\n\n个");
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
}
