//! One side of a diff from bytes: zhengce JSON, a gold file, or a source document.

use super::*;

use crate::stages::read::Format;

/// Why a side of a diff could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// JSON of a schema this version does not read.
    #[error("{path}: schema `{found}` is not supported (this zhengce reads {SCHEMA})")]
    Schema {
        /// The file.
        path: String,
        /// The schema it declares.
        found: String,
    },
    /// JSON that is not a zhengce document or gold file.
    #[error("{path}: {reason}")]
    Json {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The document could not be read.
    #[error("{0}")]
    Read(ReadError),
    /// Bytes that are not text.
    #[error("{path}: {reason}")]
    NotText {
        /// The file.
        path: String,
        /// Why not.
        reason: String,
    },
    /// A task whose `lead`/`participants` and `attributions` name different departments: a
    /// hand correction made in one copy only.
    #[error(
        "{path}: task {task}: {detail}; correct both copies, or delete the task's `attributions` to keep `lead` and `participants` alone"
    )]
    Disagree {
        /// The file.
        path: String,
        /// The task's id.
        task: String,
        /// Which names differ.
        detail: String,
    },
}

/// What kind of file a side was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideKind {
    /// zhengce JSON, possibly trimmed by hand.
    Json,
    /// A gold file (`tests/corpus/ANNOTATION.md`).
    Gold,
    /// A source document, parsed.
    Source,
}

/// Fields a side's file does not record. A field one side lacks is not compared: a
/// hand-trimmed or gold file is not said to differ where it is silent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lacks {
    /// Metadata fields, by their JSON names.
    pub meta: BTreeSet<&'static str>,
    /// Task text.
    pub text: bool,
    /// Task markers.
    pub marker: bool,
    /// Departments: `lead`, `participants` and `attributions`, and so the index.
    pub departments: bool,
    /// Targets.
    pub targets: bool,
    /// The month of targets.
    pub target_month: bool,
    /// Task deadlines.
    pub deadline: bool,
    /// A deadline's day and first year (a gold file records kind, year and month).
    pub deadline_detail: bool,
    /// Deadlines a task does not state itself: the document's period, an annex cell (a gold
    /// file records only what a task states).
    pub deadline_inherited: bool,
}

impl Lacks {
    /// What either lacks.
    pub fn union(&self, other: &Lacks) -> Lacks {
        Lacks {
            meta: self.meta.union(&other.meta).copied().collect(),
            text: self.text || other.text,
            marker: self.marker || other.marker,
            departments: self.departments || other.departments,
            targets: self.targets || other.targets,
            target_month: self.target_month || other.target_month,
            deadline: self.deadline || other.deadline,
            deadline_detail: self.deadline_detail || other.deadline_detail,
            deadline_inherited: self.deadline_inherited || other.deadline_inherited,
        }
    }
}

/// One side of a diff: the document, the kind of file it came from and what that file does
/// not record.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The reading.
    pub doc: Document,
    /// Where it came from.
    pub kind: SideKind,
    /// Fields its file does not record.
    pub lacks: Lacks,
    /// What it annotates, as the expected side of a score: a gold file says; of anything
    /// else, what [`Annotated::infer`] reads from it.
    pub annotated: Annotated,
}

/// Reads one side of a diff, deciding by content: zhengce JSON (`"schema": "zhengce/1"`), a
/// gold file (`meta` and `headings`, no `schema`), or a source document of any format zhengce
/// reads, parsed with `parser`.
///
/// # Errors
/// JSON of another schema version, JSON that is neither kind, bytes that are not text, or
/// rules that did not compile.
pub fn load(bytes: &[u8], path: &str, parser: &Parser) -> Result<Document, LoadError> {
    load_side(bytes, path, parser).map(|l| l.doc)
}

/// [`load`], with the kind of file and the fields it does not record.
///
/// # Errors
/// As [`load`]; and zhengce JSON in which a task's `lead`/`participants` and its
/// `attributions` name different departments.
pub fn load_side(bytes: &[u8], path: &str, parser: &Parser) -> Result<Loaded, LoadError> {
    let decoded =
        crate::files::read_document(parser, bytes, Some(path), false).map_err(|e| match e {
            ReadError::NotText(path, reason) => LoadError::NotText { path, reason },
            other => LoadError::Read(other),
        })?;
    if decoded.format == Format::Text && decoded.text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(&decoded.text).map_err(|e| LoadError::Json {
            path: path.to_string(),
            reason: format!("not valid JSON: {e}"),
        })?;
        return from_json(value, path);
    }
    crate::files::parse_decoded(parser, decoded, Some(path))
        .map(|doc| Loaded {
            annotated: Annotated::infer(&doc),
            doc,
            kind: SideKind::Source,
            lacks: Lacks::default(),
        })
        .map_err(LoadError::Read)
}

/// A side from JSON: zhengce output (possibly trimmed by hand) or a gold file.
///
/// # Errors
/// As [`load_side`].
pub fn from_json(mut value: Value, path: &str) -> Result<Loaded, LoadError> {
    let json_err = |reason: String| LoadError::Json {
        path: path.to_string(),
        reason,
    };
    match value.get("schema") {
        Some(Value::String(s)) if s == SCHEMA => {
            let lacks = json_lacks(&value);
            fill_trimmed(&mut value);
            let doc: Document = serde_json::from_value(value)
                .map_err(|e| json_err(format!("not a valid {SCHEMA} document: {e}")))?;
            check_copies(&doc, path)?;
            Ok(Loaded {
                annotated: Annotated::infer(&doc),
                doc,
                kind: SideKind::Json,
                lacks,
            })
        }
        Some(other) => Err(LoadError::Schema {
            path: path.to_string(),
            found: other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string),
        }),
        None if value.get("headings").is_some() && value.get("meta").is_some() => {
            let lacks = gold_lacks(&value);
            let gold: crate::compare::gold::Gold = serde_json::from_value(value)
                .map_err(|e| json_err(format!("not a valid gold file: {e}")))?;
            Ok(Loaded {
                doc: gold.to_document(),
                kind: SideKind::Gold,
                lacks,
                annotated: gold.annotated(),
            })
        }
        None => Err(json_err(
            "JSON, but neither zhengce output (no `schema`) nor a gold file".to_string(),
        )),
    }
}

/// The metadata fields, by their JSON names.
const META_FIELDS: [&str; 8] = [
    "title",
    "notice_title",
    "doc_number",
    "published",
    "date",
    "publicity",
    "issuers",
    "recipients",
];

fn missing_meta(meta: Option<&Value>) -> BTreeSet<&'static str> {
    META_FIELDS
        .into_iter()
        .filter(|k| meta.and_then(|m| m.get(*k)).is_none())
        .collect()
}

/// Every task object of a zhengce JSON value, depth first.
fn task_values(value: &Value) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        if let Some(ts) = v
            .get("tasks")
            .or(v.get("children"))
            .and_then(Value::as_array)
        {
            for t in ts {
                out.push(t);
                walk(t, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

/// A key is lacking when no task of the file has it: a field left out of a trimmed file, not
/// an empty one.
fn json_lacks(value: &Value) -> Lacks {
    let tasks = task_values(value);
    let none_has = |keys: &[&str]| {
        !tasks.is_empty()
            && !tasks
                .iter()
                .any(|t| keys.iter().any(|k| t.get(*k).is_some()))
    };
    let targets: Vec<&Value> = tasks
        .iter()
        .filter_map(|t| t.get("targets").and_then(Value::as_array))
        .flatten()
        .collect();
    Lacks {
        meta: missing_meta(value.get("meta")),
        text: none_has(&["text"]),
        marker: none_has(&["marker"]),
        departments: none_has(&["lead", "participants", "attributions"]),
        targets: none_has(&["targets"]),
        target_month: !targets.is_empty() && !targets.iter().any(|t| t.get("month").is_some()),
        deadline: none_has(&["deadline"]),
        deadline_detail: false,
        deadline_inherited: false,
    }
}

/// What the gold format does not record: `published`, `publicity`, task text, target months,
/// a deadline's day, deadlines a task does not state; and what this gold file leaves out.
fn gold_lacks(value: &Value) -> Lacks {
    let mut meta = missing_meta(value.get("meta"));
    meta.extend(["published", "publicity"]);
    Lacks {
        meta,
        text: true,
        marker: false,
        departments: value.get("assignments").is_none(),
        targets: value.get("targets").is_none()
            || value.get("targets_annotated") == Some(&Value::Bool(false)),
        target_month: true,
        deadline: value.get("deadlines").is_none(),
        deadline_detail: true,
        deadline_inherited: true,
    }
}

/// Fills what a hand-trimmed file may leave out and the contract requires: `source`, `meta`,
/// a task's `text`, `marker` and `level`; and `lead`/`participants` from `attributions` where
/// only those are kept.
fn fill_trimmed(value: &mut Value) {
    fn walk(tasks: Option<&mut Value>) {
        let Some(Value::Array(tasks)) = tasks else {
            return;
        };
        for t in tasks {
            let Value::Object(t) = t else { continue };
            let depth = t
                .get("id")
                .and_then(Value::as_str)
                .map_or(1, |id| id.split('.').count());
            t.entry("level").or_insert(json!(depth));
            t.entry("text").or_insert(json!(""));
            t.entry("marker").or_insert(json!(""));
            if let Some(Value::Array(targets)) = t.get_mut("targets") {
                for g in targets.iter_mut().filter_map(Value::as_object_mut) {
                    g.entry("text").or_insert(json!(""));
                    g.entry("indicator").or_insert(json!(""));
                }
            }
            if !t.contains_key("lead") && !t.contains_key("participants") {
                let atts = t.get("attributions").and_then(Value::as_array);
                let names = |role: &str| -> Vec<Value> {
                    atts.into_iter()
                        .flatten()
                        .filter(|a| a.get("role").and_then(Value::as_str) == Some(role))
                        .filter_map(|a| a.get("names").and_then(Value::as_array))
                        .flatten()
                        .cloned()
                        .collect()
                };
                let (lead, participants) = (names("lead"), names("participant"));
                t.insert("lead".into(), Value::Array(lead));
                t.insert("participants".into(), Value::Array(participants));
            }
            walk(t.get_mut("children"));
        }
    }
    if let Value::Object(o) = value {
        o.entry("source").or_insert(
            json!({"path": null, "encoding": "", "sha256": "", "chars": 0, "replacements": 0}),
        );
        o.entry("meta").or_insert(json!({}));
        o.entry("tasks").or_insert(json!([]));
        walk(o.get_mut("tasks"));
    }
}

/// Refuses a task whose two copies of its departments differ: `lead` and `participants`
/// against the names of its `attributions` by role (as multisets, width and spacing aside).
fn check_copies(doc: &Document, path: &str) -> Result<(), LoadError> {
    for t in doc.all_tasks() {
        if t.attributions.is_empty() {
            continue;
        }
        // As a parse lists them: each name once, and a body that leads in one attribution
        // does not also take part.
        let named = |role: Role| -> std::collections::BTreeSet<String> {
            t.attributions
                .iter()
                .filter(|a| a.role == role)
                .flat_map(|a| a.names.iter().map(|n| squash(n)))
                .collect()
        };
        let leads = named(Role::Lead);
        let takes_part: std::collections::BTreeSet<String> = named(Role::Participant)
            .difference(&leads)
            .cloned()
            .collect();
        for (role, list, key, derived) in [
            (Role::Lead, &t.lead, "lead", &leads),
            (
                Role::Participant,
                &t.participants,
                "participants",
                &takes_part,
            ),
        ] {
            let listed: Vec<String> = list
                .iter()
                .map(|n| squash(n))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let attributed: Vec<String> = derived.iter().cloned().collect();
            if listed == attributed {
                continue;
            }
            let only = |a: &[String], b: &[String]| -> Vec<String> {
                a.iter().filter(|n| !b.contains(n)).cloned().collect()
            };
            let (in_list, in_atts) = (only(&listed, &attributed), only(&attributed, &listed));
            let mut parts = Vec::new();
            if !in_list.is_empty() {
                parts.push(format!(
                    "`{key}` names {} but its `attributions` do not",
                    in_list.join("、")
                ));
            }
            if !in_atts.is_empty() {
                parts.push(format!(
                    "`attributions` name {} as {} but `{key}` does not",
                    in_atts.join("、"),
                    Lang::En.role(role)
                ));
            }
            if parts.is_empty() {
                parts.push(format!(
                    "`{key}` and `attributions` list a name a different number of times"
                ));
            }
            return Err(LoadError::Disagree {
                path: path.to_string(),
                task: t.id.clone(),
                detail: parts.join("; "),
            });
        }
    }
    Ok(())
}
