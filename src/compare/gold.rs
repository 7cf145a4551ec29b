//! Hand-checked gold files (see `tests/corpus/ANNOTATION.md`) as zhengce documents.
//!
//! A gold file records headings by path, attributions and targets in a compact form. Converted
//! to a [`Document`], it can be scored and diffed like any zhengce output.

use serde::Deserialize;

use crate::compare::score::Annotated;

use crate::model::{
    AnnexTask, Bound, Deadline, DeadlineKind, DeadlineSource, Document, Meta, Span, Target,
    TargetKind, Task,
};

/// A gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The document's file name.
    #[serde(default)]
    pub file: String,
    /// Expected metadata.
    pub meta: GoldMeta,
    /// Every heading in document order.
    #[serde(default)]
    pub headings: Vec<GoldHeading>,
    /// Attributions per heading.
    #[serde(default)]
    pub assignments: Vec<GoldAssignment>,
    /// Targets per heading.
    #[serde(default)]
    pub targets: Vec<GoldTarget>,
    /// `false` when the targets were not annotated: a scorer leaves targets out.
    #[serde(default = "annotated")]
    pub targets_annotated: bool,
    /// Deadlines of the tasks that state one; `None` when the file does not annotate them.
    #[serde(default)]
    pub deadlines: Option<Vec<GoldDeadline>>,
    /// Rows of an annex task table; `None` when the file does not annotate them.
    #[serde(default)]
    pub annex_tasks: Option<Vec<GoldAnnexTask>>,
}

fn annotated() -> bool {
    true
}

/// An expected deadline.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDeadline {
    /// The heading it belongs to.
    pub path: String,
    /// As written.
    pub text: String,
    /// Year, or null for `ongoing`.
    pub year: Option<i32>,
    /// Month, or null.
    pub month: Option<u32>,
    /// `by` or `ongoing`.
    pub kind: DeadlineKind,
}

/// An expected annex task row.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldAnnexTask {
    /// The printed 序号.
    pub row: String,
    /// The task cell as written.
    pub task: String,
    /// Lead bodies.
    #[serde(default)]
    pub lead: Vec<String>,
    /// Participants.
    #[serde(default)]
    pub participants: Vec<String>,
    /// The 完成时限 cell as written.
    pub deadline: Option<String>,
}

/// Expected metadata.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldMeta {
    /// Title of the document itself.
    pub title: Option<String>,
    /// Title of the wrapper notice.
    pub notice_title: Option<String>,
    /// 文号.
    pub doc_number: Option<String>,
    /// Issuers in order.
    #[serde(default)]
    pub issuers: Vec<String>,
    /// Recipients.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// An expected heading.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldHeading {
    /// Dotted ordinals.
    pub path: String,
    /// Marker as printed.
    pub marker: String,
    /// Title.
    pub title: String,
}

/// An expected attribution.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldAssignment {
    /// The heading it belongs to.
    pub path: String,
    /// Lead bodies.
    #[serde(default)]
    pub lead: Vec<String>,
    /// Participants.
    #[serde(default)]
    pub participants: Vec<String>,
}

/// An expected target.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldTarget {
    /// The heading it belongs to.
    pub path: String,
    /// Measured thing.
    #[serde(default)]
    pub indicator: String,
    /// Value in the unit as written.
    pub value: f64,
    /// Upper end of a range.
    pub value_max: Option<f64>,
    /// Unit as written.
    pub unit: String,
    /// Deadline year.
    pub year: Option<i32>,
    /// Comparison year.
    pub baseline_year: Option<i32>,
    /// Direction.
    pub kind: TargetKind,
    /// Bound.
    pub bound: Bound,
    /// Borderline: neither rewarded nor penalised.
    #[serde(default)]
    pub optional: bool,
}

impl Gold {
    /// What the file annotates.
    pub fn annotated(&self) -> Annotated {
        Annotated {
            targets: self.targets_annotated,
            deadlines: self.deadlines.is_some(),
            annex: self.annex_tasks.is_some(),
        }
    }

    /// The gold as a zhengce document (no source, spans or text).
    pub fn to_document(&self) -> Document {
        let mut roots: Vec<Task> = Vec::new();
        for h in &self.headings {
            let task = Task {
                id: h.path.clone(),
                marker: h.marker.clone(),
                level: h.path.split('.').count(),
                title: h.title.clone(),
                text: String::new(),
                span: Span::default(),
                lead: Vec::new(),
                participants: Vec::new(),
                attributions: Vec::new(),
                deadline: None,
                targets: Vec::new(),
                numbers_skipped: Vec::new(),
                children: Vec::new(),
            };
            let parent_path = h.path.rsplit_once('.').map(|(p, _)| p);
            match parent_path.and_then(|p| find_mut(&mut roots, p)) {
                Some(parent) => parent.children.push(task),
                None => roots.push(task),
            }
        }
        for a in &self.assignments {
            if let Some(t) = find_mut(&mut roots, &a.path) {
                t.lead.extend(a.lead.iter().cloned());
                t.participants.extend(a.participants.iter().cloned());
            }
        }
        for g in &self.targets {
            if let Some(t) = find_mut(&mut roots, &g.path) {
                t.targets.push(Target {
                    text: String::new(),
                    indicator: g.indicator.clone(),
                    value: g.value,
                    value_max: g.value_max,
                    unit: g.unit.clone(),
                    si: None,
                    year: g.year,
                    month: None,
                    baseline_year: g.baseline_year,
                    kind: g.kind,
                    bound: g.bound,
                    span: Span::default(),
                    optional: g.optional,
                });
            }
        }
        for d in self.deadlines.iter().flatten() {
            if let Some(t) = find_mut(&mut roots, &d.path) {
                t.deadline = Some(Deadline {
                    text: d.text.clone(),
                    kind: d.kind,
                    year: d.year,
                    month: d.month,
                    day: None,
                    from_year: None,
                    source: DeadlineSource::Task,
                    span: None,
                });
            }
        }
        let annex_tasks = self
            .annex_tasks
            .iter()
            .flatten()
            .map(|a| AnnexTask {
                row: a.row.clone(),
                task: a.task.clone(),
                cells: Vec::new(),
                lead: a.lead.clone(),
                participants: a.participants.clone(),
                deadline: a.deadline.as_ref().map(|text| Deadline {
                    text: text.clone(),
                    kind: DeadlineKind::By,
                    year: None,
                    month: None,
                    day: None,
                    from_year: None,
                    source: DeadlineSource::Table,
                    span: None,
                }),
                restates: None,
                span: Span::default(),
            })
            .collect();
        Document {
            schema: crate::model::SCHEMA.to_string(),
            source: crate::model::Source {
                path: Some(self.file.clone()),
                ..Default::default()
            },
            meta: Meta {
                title: self.meta.title.clone(),
                notice_title: self.meta.notice_title.clone(),
                doc_number: self.meta.doc_number.clone(),
                published: None,
                date: self.meta.date.clone(),
                publicity: None,
                issuers: self.meta.issuers.clone(),
                recipients: self.meta.recipients.clone(),
            },
            preamble: None,
            tasks: roots,
            annex_tasks,
            departments: Vec::new(),
            blocks: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

fn find_mut<'a>(tasks: &'a mut [Task], id: &str) -> Option<&'a mut Task> {
    for t in tasks {
        if t.id == id {
            return Some(t);
        }
        if id.starts_with(&format!("{}.", t.id)) {
            return find_mut(&mut t.children, id);
        }
    }
    None
}
