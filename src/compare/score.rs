//! Scoring a reading against an expected one: precision, recall and F1 for headings,
//! attributions and targets, accuracy of target details, and metadata agreement.
//!
//! This is the one scorer of the project: `zhengce diff --score` and the corpus accuracy tests
//! both use it.
//!
//! Matching rules:
//! - a heading is found when a task with the same id has the same marker and one title is a
//!   prefix of the other (widths and spaces ignored);
//! - an attribution is a (task id, role, name) triple;
//! - a target is found when a target of the same task has the same value and unit; expected
//!   targets marked `optional` are neither rewarded nor penalised;
//! - an annex row is found when a row with the same 序号 has the same task (one text a prefix
//!   of the other, widths and spaces aside), rows taken in order, each once; of a found row,
//!   its lead and its participants are right when they are the expected names in order, and
//!   its deadline when its text is the expected one (or both are none).

use schemars::JsonSchema;
use serde::Serialize;

use crate::base::text::squash;
use crate::model::{AnnexTask, Deadline, DeadlineSource, Document, Role, Target, Task};

/// Counts for precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Prf {
    /// Found and expected.
    pub tp: usize,
    /// Found, not expected.
    pub fp: usize,
    /// Expected, not found.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Prf {
    /// Precision (1 when nothing was found and nothing expected).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another count.
    pub fn add(&mut self, o: &Prf) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Correct out of total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Accuracy {
    /// Right.
    pub correct: usize,
    /// Compared.
    pub total: usize,
}

impl Accuracy {
    /// The share right (1 when nothing was compared).
    pub fn rate(&self) -> f64 {
        ratio(self.correct, self.total)
    }

    /// Adds another count.
    pub fn add(&mut self, o: &Accuracy) {
        self.correct += o.correct;
        self.total += o.total;
    }

    fn count(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.correct += 1;
        }
    }
}

/// What an expected reading annotates: a hand-checked file may leave some fields out, and
/// then they are not scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotated {
    /// Targets.
    pub targets: bool,
    /// Task deadlines.
    pub deadlines: bool,
    /// The rows of annex task tables.
    pub annex: bool,
}

impl Annotated {
    /// What `expected` seems to annotate when nothing says: targets always, deadlines when it
    /// gives a task one of its own, annex rows when it has some.
    pub fn infer(expected: &Document) -> Self {
        Annotated {
            targets: true,
            deadlines: flatten(expected).iter().any(|t| {
                t.deadline
                    .as_ref()
                    .is_some_and(|d| d.source == DeadlineSource::Task)
            }),
            annex: !expected.annex_tasks.is_empty(),
        }
    }
}

/// The scores of one comparison (or a sum of several).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Headings (id, marker, title).
    pub headings: Prf,
    /// Attributions (task, role, name).
    pub attributions: Prf,
    /// Targets (task, value, unit).
    pub targets: Prf,
    /// Deadline year right, among found targets.
    pub target_year: Accuracy,
    /// Kind right, among found targets.
    pub target_kind: Accuracy,
    /// Bound right, among found targets.
    pub target_bound: Accuracy,
    /// Indicator right (same text, widths and spaces aside), among found targets.
    pub target_indicator: Accuracy,
    /// Deadlines a task states (task, kind, year, month), where the expected side annotates them.
    pub deadlines: Prf,
    /// Rows of annex task tables (序号, task), where the expected side annotates them.
    pub annex_rows: Prf,
    /// Lead right (the names in order), among found annex rows.
    pub annex_lead: Accuracy,
    /// Participants right, among found annex rows.
    pub annex_participants: Accuracy,
    /// Deadline text right (or both none), among found annex rows.
    pub annex_deadline: Accuracy,
    /// Metadata fields equal (title, notice title, 文号, issuers, recipients, date).
    pub meta: Accuracy,
    /// Names of the metadata fields that differ.
    pub meta_mismatches: Vec<String>,
}

impl Scores {
    /// Adds another document's scores (micro-average).
    pub fn add(&mut self, o: &Scores) {
        self.headings.add(&o.headings);
        self.attributions.add(&o.attributions);
        self.targets.add(&o.targets);
        self.target_year.add(&o.target_year);
        self.target_kind.add(&o.target_kind);
        self.target_bound.add(&o.target_bound);
        self.target_indicator.add(&o.target_indicator);
        self.deadlines.add(&o.deadlines);
        self.annex_rows.add(&o.annex_rows);
        self.annex_lead.add(&o.annex_lead);
        self.annex_participants.add(&o.annex_participants);
        self.annex_deadline.add(&o.annex_deadline);
        self.meta.add(&o.meta);
    }

    /// F1 over headings, attributions and targets together.
    pub fn overall(&self) -> Prf {
        let mut p = self.headings;
        p.add(&self.attributions);
        p.add(&self.targets);
        p
    }
}

/// The schema identifier of the score report.
pub const SCORE_SCHEMA: &str = "zhengce-score/1";

/// The score report that `zhengce diff --score --format json` writes: `zhengce-score/1`.
/// Fields are in alphabetical order, as written.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    /// Deadline text right, among found annex rows.
    pub annex_deadline: AccuracyReport,
    /// Lead right, among found annex rows.
    pub annex_lead: AccuracyReport,
    /// Participants right, among found annex rows.
    pub annex_participants: AccuracyReport,
    /// Rows of annex task tables (序号, task); all zero when the expected side does not
    /// annotate them.
    pub annex_rows: PrfReport,
    /// Attributions (task, role, name).
    pub attributions: PrfReport,
    /// Deadlines the tasks state (task, kind, year, month); all zero when the expected side
    /// does not annotate them.
    pub deadlines: PrfReport,
    /// Headings (id, marker, title).
    pub headings: PrfReport,
    /// Metadata fields equal.
    pub meta: MetaReport,
    /// Headings, attributions and targets together.
    pub overall: PrfReport,
    /// Always `zhengce-score/1`.
    pub schema: String,
    /// Bound right, among found targets.
    pub target_bound: AccuracyReport,
    /// Indicator right, among found targets.
    pub target_indicator: AccuracyReport,
    /// Kind right, among found targets.
    pub target_kind: AccuracyReport,
    /// Deadline year right, among found targets.
    pub target_year: AccuracyReport,
    /// Targets (task, value, unit).
    pub targets: PrfReport,
}

/// Counts with precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct PrfReport {
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Expected, not found.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Found, not expected.
    pub fp: usize,
    /// Share of what was found that was expected (1 when nothing was found).
    pub precision: f64,
    /// Share of what was expected that was found (1 when nothing was expected).
    pub recall: f64,
    /// Found and expected.
    pub tp: usize,
}

/// Correct out of total, with the share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct AccuracyReport {
    /// The share right (1 when nothing was compared).
    pub accuracy: f64,
    /// Right.
    pub correct: usize,
    /// Compared.
    pub total: usize,
}

/// Metadata agreement.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MetaReport {
    /// Fields equal.
    pub correct: usize,
    /// Names of the fields that differ.
    pub mismatches: Vec<String>,
    /// Fields compared.
    pub total: usize,
}

impl From<&Prf> for PrfReport {
    fn from(p: &Prf) -> Self {
        PrfReport {
            f1: p.f1(),
            fn_: p.fn_,
            fp: p.fp,
            precision: p.precision(),
            recall: p.recall(),
            tp: p.tp,
        }
    }
}

impl From<&Accuracy> for AccuracyReport {
    fn from(a: &Accuracy) -> Self {
        AccuracyReport {
            accuracy: a.rate(),
            correct: a.correct,
            total: a.total,
        }
    }
}

impl Report {
    /// The report of `scores`.
    pub fn new(scores: &Scores) -> Self {
        Report {
            annex_deadline: (&scores.annex_deadline).into(),
            annex_lead: (&scores.annex_lead).into(),
            annex_participants: (&scores.annex_participants).into(),
            annex_rows: (&scores.annex_rows).into(),
            attributions: (&scores.attributions).into(),
            deadlines: (&scores.deadlines).into(),
            headings: (&scores.headings).into(),
            meta: MetaReport {
                correct: scores.meta.correct,
                mismatches: scores.meta_mismatches.clone(),
                total: scores.meta.total,
            },
            overall: (&scores.overall()).into(),
            schema: SCORE_SCHEMA.to_string(),
            target_bound: (&scores.target_bound).into(),
            target_indicator: (&scores.target_indicator).into(),
            target_kind: (&scores.target_kind).into(),
            target_year: (&scores.target_year).into(),
            targets: (&scores.targets).into(),
        }
    }
}

/// The report as a table for people, or as Markdown with `markdown`.
pub fn render(report: &Report, markdown: bool) -> String {
    let mut out = String::new();
    let row = |name: &str, p: &PrfReport| {
        let cells = [
            name.to_string(),
            format!("{:.1}", p.precision * 100.0),
            format!("{:.1}", p.recall * 100.0),
            format!("{:.1}", p.f1 * 100.0),
            format!("{} / {} / {}", p.tp, p.fp, p.fn_),
        ];
        if markdown {
            format!("| {} |\n", cells.join(" | "))
        } else {
            format!(
                "{:<14}{:>10}{:>10}{:>10}   {}\n",
                cells[0], cells[1], cells[2], cells[3], cells[4]
            )
        }
    };
    if markdown {
        out.push_str("| field | precision | recall | F1 | tp / fp / fn |\n|---|---|---|---|---|\n");
    } else {
        out.push_str(&format!(
            "{:<14}{:>10}{:>10}{:>10}   tp / fp / fn\n",
            "field", "precision", "recall", "F1"
        ));
    }
    out.push_str(&row("headings", &report.headings));
    out.push_str(&row("attributions", &report.attributions));
    out.push_str(&row("targets", &report.targets));
    out.push_str(&row("overall", &report.overall));
    out.push_str(&row("deadlines", &report.deadlines));
    // Annex rows only where they were compared.
    let annex = report.annex_rows.tp + report.annex_rows.fp + report.annex_rows.fn_ > 0;
    if annex {
        out.push_str(&row("annex rows", &report.annex_rows));
    }
    if markdown {
        out.push('\n');
    }
    let mut accuracies = vec![
        ("target year", &report.target_year),
        ("target kind", &report.target_kind),
        ("target bound", &report.target_bound),
        ("target indicator", &report.target_indicator),
    ];
    if annex {
        accuracies.extend([
            ("annex lead", &report.annex_lead),
            ("annex participants", &report.annex_participants),
            ("annex deadline", &report.annex_deadline),
        ]);
    }
    for (name, a) in accuracies {
        out.push_str(&format!(
            "{name}: {:.1}% ({}/{})\n",
            a.accuracy * 100.0,
            a.correct,
            a.total
        ));
    }
    let meta = &report.meta;
    out.push_str(&format!(
        "meta: {}/{} fields equal",
        meta.correct, meta.total
    ));
    if !meta.mismatches.is_empty() {
        out.push_str(&format!(" (differ: {})", meta.mismatches.join(", ")));
    }
    out.push('\n');
    out
}

fn flatten(doc: &Document) -> Vec<&Task> {
    doc.all_tasks()
}

/// Whether two headings are the same: marker equal, one title a prefix of the other.
pub fn same_heading(a: &Task, b: &Task) -> bool {
    let (ta, tb) = (squash(&a.title), squash(&b.title));
    squash(&a.marker) == squash(&b.marker) && (ta.starts_with(&tb) || tb.starts_with(&ta))
}

/// Whether two targets are the same: value and unit equal.
pub fn same_target(a: &Target, b: &Target) -> bool {
    (a.value - b.value).abs() <= 1e-9 * a.value.abs().max(1.0) && squash(&a.unit) == squash(&b.unit)
}

/// The metadata fields that scoring compares (a page's 发布日期 and publicity note are not
/// in the gold format).
pub const SCORED_META: [&str; 6] = [
    "title",
    "notice_title",
    "doc_number",
    "issuers",
    "recipients",
    "date",
];

/// Whether two metadata values are the same, widths and spaces aside.
pub fn same_value(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::String(x), Value::String(y)) => squash(x) == squash(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        _ => a == b,
    }
}

/// Scores `actual` against `expected`, with what `expected` seems to annotate
/// ([`Annotated::infer`]).
pub fn score(expected: &Document, actual: &Document) -> Scores {
    score_annotated(expected, actual, Annotated::infer(expected))
}

/// Whether two task deadlines say the same: kind, and for a date its year and month.
pub fn same_deadline(a: &Deadline, b: &Deadline) -> bool {
    a.kind == b.kind && a.year == b.year && a.month == b.month
}

/// Scores `actual` against `expected`, leaving out what `expected` does not annotate.
pub fn score_annotated(expected: &Document, actual: &Document, annotated: Annotated) -> Scores {
    let mut s = Scores::default();
    let exp = flatten(expected);
    let act = flatten(actual);
    let find =
        |tasks: &[&'_ Task], id: &str| -> Option<usize> { tasks.iter().position(|t| t.id == id) };

    // Headings.
    for e in &exp {
        match find(&act, &e.id) {
            Some(i) if same_heading(e, act[i]) => s.headings.tp += 1,
            _ => s.headings.fn_ += 1,
        }
    }
    s.headings.fp = act.len() - s.headings.tp;

    // Attributions.
    let triples = |tasks: &[&Task]| -> Vec<(String, Role, String)> {
        let mut v = Vec::new();
        for t in tasks {
            for n in &t.lead {
                v.push((t.id.clone(), Role::Lead, squash(n)));
            }
            for n in &t.participants {
                v.push((t.id.clone(), Role::Participant, squash(n)));
            }
        }
        v
    };
    let mut want = triples(&exp);
    let got = triples(&act);
    for g in got {
        if let Some(i) = want.iter().position(|w| *w == g) {
            want.swap_remove(i);
            s.attributions.tp += 1;
        } else {
            s.attributions.fp += 1;
        }
    }
    s.attributions.fn_ = want.len();

    // Targets, task by task.
    let ids: Vec<&str> = exp
        .iter()
        .chain(act.iter())
        .map(|t| t.id.as_str())
        .collect();
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        let e_targets: Vec<&Target> = find(&exp, id)
            .map(|i| exp[i].targets.iter().collect())
            .unwrap_or_default();
        let a_targets: Vec<&Target> = find(&act, id)
            .map(|i| act[i].targets.iter().collect())
            .unwrap_or_default();
        let mut used = vec![false; e_targets.len()];
        for a in a_targets {
            // Prefer a required expected target, then an optional one.
            let pick = (0..e_targets.len())
                .filter(|&i| !used[i] && same_target(e_targets[i], a))
                .min_by_key(|&i| e_targets[i].optional);
            match pick {
                Some(i) => {
                    used[i] = true;
                    let e = e_targets[i];
                    if !e.optional {
                        s.targets.tp += 1;
                        s.target_year.count(e.year == a.year);
                        s.target_kind.count(e.kind == a.kind);
                        s.target_bound.count(e.bound == a.bound);
                        s.target_indicator
                            .count(squash(&e.indicator) == squash(&a.indicator));
                    }
                }
                None => s.targets.fp += 1,
            }
        }
        s.targets.fn_ += e_targets
            .iter()
            .zip(&used)
            .filter(|(e, u)| !**u && !e.optional)
            .count();
    }

    if !annotated.targets {
        s.targets = Prf::default();
        s.target_year = Accuracy::default();
        s.target_kind = Accuracy::default();
        s.target_bound = Accuracy::default();
        s.target_indicator = Accuracy::default();
    }

    // Deadlines the tasks state.
    if annotated.deadlines {
        let stated = |t: &&Task| {
            t.deadline
                .as_ref()
                .filter(|d| d.source == DeadlineSource::Task)
                .map(|d| (t.id.clone(), d.clone()))
        };
        let want: Vec<(String, Deadline)> = exp.iter().filter_map(stated).collect();
        let got: Vec<(String, Deadline)> = act.iter().filter_map(stated).collect();
        for (id, d) in &got {
            if want.iter().any(|(wid, w)| wid == id && same_deadline(w, d)) {
                s.deadlines.tp += 1;
            } else {
                s.deadlines.fp += 1;
            }
        }
        s.deadlines.fn_ = want.len().saturating_sub(s.deadlines.tp);
    }

    if annotated.annex {
        score_annex(&expected.annex_tasks, &actual.annex_tasks, &mut s);
    }

    // Metadata.
    let actual_fields = actual.meta.fields();
    for (name, value) in expected.meta.fields() {
        if !SCORED_META.contains(&name) {
            continue;
        }
        let ok = actual_fields
            .iter()
            .any(|(n, v)| *n == name && same_value(&value, v));
        s.meta.count(ok);
        if !ok {
            s.meta_mismatches.push(name.to_string());
        }
    }
    s
}

/// Whether two annex rows are the same row: 序号 equal, one task a prefix of the other.
pub fn same_annex_row(a: &AnnexTask, b: &AnnexTask) -> bool {
    let (ta, tb) = (squash(&a.task), squash(&b.task));
    squash(&a.row) == squash(&b.row) && (ta.starts_with(&tb) || tb.starts_with(&ta))
}

/// Scores annex rows: each expected row finds the first unused actual row that is the same;
/// the names and deadline of a found row are compared.
fn score_annex(expected: &[AnnexTask], actual: &[AnnexTask], s: &mut Scores) {
    let names = |v: &[String]| v.iter().map(|n| squash(n)).collect::<Vec<_>>();
    let deadline = |a: &AnnexTask| a.deadline.as_ref().map(|d| squash(&d.text));
    let mut used = vec![false; actual.len()];
    for e in expected {
        let found = (0..actual.len()).find(|&i| !used[i] && same_annex_row(e, &actual[i]));
        let Some(i) = found else {
            s.annex_rows.fn_ += 1;
            continue;
        };
        used[i] = true;
        let a = &actual[i];
        s.annex_rows.tp += 1;
        s.annex_lead.count(names(&e.lead) == names(&a.lead));
        s.annex_participants
            .count(names(&e.participants) == names(&a.participants));
        s.annex_deadline.count(deadline(e) == deadline(a));
    }
    s.annex_rows.fp = used.iter().filter(|u| !**u).count();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_edge_cases() {
        let p = Prf {
            tp: 0,
            fp: 0,
            fn_: 0,
        };
        assert_eq!((p.precision(), p.recall(), p.f1()), (1.0, 1.0, 1.0));
        let p = Prf {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert!((p.precision() - 0.75).abs() < 1e-12);
        assert!((p.recall() - 0.6).abs() < 1e-12);
        assert!((p.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
    }
}
