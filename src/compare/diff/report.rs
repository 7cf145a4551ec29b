//! The diff report (`zhengce-diff/1`): its changes, summary and the fields that can be left out;
//! its mirror image and canonical form, which the tests compare.

use super::*;

/// Fields that can be left out of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Document metadata.
    Meta,
    /// Task titles.
    Title,
    /// Task text.
    Text,
    /// Task markers.
    Marker,
    /// Lead departments.
    Lead,
    /// Participating departments.
    Participants,
    /// Targets.
    Targets,
    /// The department index.
    Departments,
    /// Task deadlines.
    Deadline,
    /// Spans (never compared: they move with every edit above them).
    Spans,
    /// The source object (never compared: it differs with every re-encoding).
    Source,
}

impl Field {
    /// Reads a field name as given to `--ignore`.
    pub fn parse(s: &str) -> Option<Field> {
        Some(match s {
            "meta" => Field::Meta,
            "title" | "titles" => Field::Title,
            "text" => Field::Text,
            "marker" | "markers" => Field::Marker,
            "lead" => Field::Lead,
            "participants" => Field::Participants,
            "targets" => Field::Targets,
            "departments" => Field::Departments,
            "deadline" | "deadlines" => Field::Deadline,
            "spans" | "span" => Field::Spans,
            "source" => Field::Source,
            _ => return None,
        })
    }

    /// The names `--ignore` accepts.
    pub const NAMES: &'static [&'static str] = &[
        "meta",
        "title",
        "text",
        "marker",
        "lead",
        "participants",
        "targets",
        "departments",
        "deadline",
        "spans",
        "source",
    ];
}

/// What changed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A metadata field (`field`: title, notice_title, doc_number, date, …).
    MetaChanged,
    /// A task only on the right.
    TaskAdded,
    /// A task only on the left.
    TaskRemoved,
    /// A task that moved under another parent.
    TaskMoved,
    /// A run of sibling tasks whose numbers shifted (`old`/`new`: the ids).
    TaskRenumbered,
    /// A task's `title`, `text`, `marker` or `deadline`.
    TaskChanged,
    /// A department newly attributed to a task (`field`: lead or participants).
    AttributionAdded,
    /// A department no longer attributed to a task.
    AttributionRemoved,
    /// A department that changed role in a task (`old`/`new`: the roles).
    RoleChanged,
    /// A target only on the right.
    TargetAdded,
    /// A target only on the left.
    TargetRemoved,
    /// A field of a target (`field`: value, value_max, unit, year, month, baseline_year, kind,
    /// bound).
    TargetChanged,
    /// A department in the right document's index only.
    DepartmentAdded,
    /// A department in the left document's index only.
    DepartmentRemoved,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Task id on the left, where a task is concerned.
    pub left_id: Option<String>,
    /// Task id on the right, where a task is concerned.
    pub right_id: Option<String>,
    /// The task's title (right side when there is one).
    pub title: Option<String>,
    /// The field that changed.
    pub field: Option<String>,
    /// The left value.
    pub old: Option<Value>,
    /// The right value.
    pub new: Option<Value>,
    /// A line for people (`新能源新材料产业产值: 418亿元 → 450亿元 (+32亿元)`).
    pub detail: String,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Aligned tasks with any change of their own (title, text, marker, departments, targets).
    pub tasks_changed: usize,
    /// Tasks only on the right.
    pub tasks_added: usize,
    /// Tasks only on the left.
    pub tasks_removed: usize,
    /// Tasks moved under another parent.
    pub tasks_moved: usize,
    /// Tasks whose number shifted (in runs).
    pub tasks_renumbered: usize,
    /// Targets with a changed field.
    pub targets_changed: usize,
    /// Targets only on the right.
    pub targets_added: usize,
    /// Targets only on the left.
    pub targets_removed: usize,
    /// Departments only in the right index.
    pub departments_added: usize,
    /// Departments only in the left index.
    pub departments_removed: usize,
    /// Metadata fields that differ.
    pub meta_changed: usize,
}

/// One side of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Side {
    /// The path given.
    pub path: Option<String>,
    /// The document's title.
    pub title: Option<String>,
}

/// A diff report (`zhengce-diff/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Always `zhengce-diff/1`.
    pub schema: String,
    /// The left (old, expected) side.
    pub left: Side,
    /// The right (new, actual) side.
    pub right: Side,
    /// Counts.
    pub summary: Summary,
    /// Every difference: metadata first, then by task in right-side order, then the index.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether the two sides read the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The summary as one line, in English: `3 tasks changed, 1 added, 1 removed; …`.
    pub fn summary_line(&self) -> String {
        self.summary_in(Lang::En)
    }

    /// The summary as one line in `lang`: `1 task changed, 1 added, 0 removed; 2 targets
    /// changed; 0 departments added, 0 removed`, or `任务：改动 1，新增 1，删除 0；…`.
    pub fn summary_in(&self, lang: Lang) -> String {
        let s = &self.summary;
        if self.changes.is_empty() {
            return lang.pick("没有差异", "no differences").to_string();
        }
        // Each group: its noun, then (count, Chinese verb, English verb, always shown).
        type Count<'s> = (usize, &'s str, &'s str, bool);
        let groups: [(&str, &str, &str, Vec<Count>); 4] = [
            (
                "任务",
                "task",
                "tasks",
                vec![
                    (s.tasks_changed, "改动", "changed", true),
                    (s.tasks_added, "新增", "added", true),
                    (s.tasks_removed, "删除", "removed", true),
                    (s.tasks_moved, "移动", "moved", false),
                    (s.tasks_renumbered, "重新编号", "renumbered", false),
                ],
            ),
            (
                "目标",
                "target",
                "targets",
                vec![
                    (s.targets_changed, "改动", "changed", true),
                    (s.targets_added, "新增", "added", false),
                    (s.targets_removed, "删除", "removed", false),
                ],
            ),
            (
                "部门",
                "department",
                "departments",
                vec![
                    (s.departments_added, "新增", "added", true),
                    (s.departments_removed, "删除", "removed", true),
                ],
            ),
            (
                "元数据",
                "metadata field",
                "metadata fields",
                vec![(s.meta_changed, "改动", "changed", false)],
            ),
        ];
        let mut parts = Vec::new();
        for (zh, one, many, counts) in groups {
            let shown: Vec<_> = counts.into_iter().filter(|c| c.3 || c.0 > 0).collect();
            let Some(&(n0, _, en0, _)) = shown.first() else {
                continue;
            };
            let part = match lang {
                Lang::Zh => format!(
                    "{zh}：{}",
                    shown
                        .iter()
                        .map(|(n, verb, _, _)| format!("{verb} {n}"))
                        .collect::<Vec<_>>()
                        .join("，")
                ),
                Lang::En => {
                    let mut v = vec![format!("{} {en0}", lang.count(n0, "", one, many).trim())];
                    v.extend(shown[1..].iter().map(|(n, _, en, _)| format!("{n} {en}")));
                    v.join(", ")
                }
            };
            parts.push(part);
        }
        parts.join(lang.pick("；", "; "))
    }
}

/// The report with left and right exchanged: what `diff(b, a)` should give for `diff(a, b)`.
pub fn mirror(r: &Report) -> Report {
    let swap_kind = |k: ChangeKind| match k {
        ChangeKind::TaskAdded => ChangeKind::TaskRemoved,
        ChangeKind::TaskRemoved => ChangeKind::TaskAdded,
        ChangeKind::TargetAdded => ChangeKind::TargetRemoved,
        ChangeKind::TargetRemoved => ChangeKind::TargetAdded,
        ChangeKind::AttributionAdded => ChangeKind::AttributionRemoved,
        ChangeKind::AttributionRemoved => ChangeKind::AttributionAdded,
        ChangeKind::DepartmentAdded => ChangeKind::DepartmentRemoved,
        ChangeKind::DepartmentRemoved => ChangeKind::DepartmentAdded,
        other => other,
    };
    let s = r.summary;
    Report {
        schema: r.schema.clone(),
        left: r.right.clone(),
        right: r.left.clone(),
        summary: Summary {
            tasks_added: s.tasks_removed,
            tasks_removed: s.tasks_added,
            targets_added: s.targets_removed,
            targets_removed: s.targets_added,
            departments_added: s.departments_removed,
            departments_removed: s.departments_added,
            ..s
        },
        changes: r
            .changes
            .iter()
            .map(|c| Change {
                kind: swap_kind(c.kind),
                left_id: c.right_id.clone(),
                right_id: c.left_id.clone(),
                title: None,
                field: c.field.clone(),
                old: c.new.clone(),
                new: c.old.clone(),
                detail: String::new(),
            })
            .collect(),
    }
}

/// A change without its presentation: kind, left id, right id, field, old and new as JSON text.
pub type CanonicalChange = (
    ChangeKind,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// The changes without the presentation (title, detail), in a canonical order: for comparing
/// a report with a mirrored one.
pub fn canonical(r: &Report) -> Vec<CanonicalChange> {
    let mut v: Vec<_> = r
        .changes
        .iter()
        .map(|c| {
            (
                c.kind,
                c.left_id.clone(),
                c.right_id.clone(),
                c.field.clone(),
                c.old.as_ref().map(Value::to_string).unwrap_or_default(),
                c.new.as_ref().map(Value::to_string).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}
