//! Comparing two readings of a policy document: an extraction against a hand-corrected
//! expected file, or two versions of a plan.
//!
//! Input: two [`Document`]s (zhengce JSON, a gold file, or a source document parsed with the
//! same rules; see [`load`]). Output: a [`Report`] — a list of [`Change`]s in the versioned
//! shape `zhengce-diff/1` — and its renderings as text, Markdown or JSON.
//!
//! Tasks are aligned by title sequence (Myers), then within changed regions by id and title
//! similarity, then across the document as moves, so that a task inserted in the middle shows as
//! one insertion and the tasks after it as one renumbering, not as every later task changed.
//! Within aligned tasks, title and text are compared word by word (Chinese words from
//! jieba-rs's HMM, department names kept whole), targets by indicator and unit, departments as
//! sets per role.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use similar::{Algorithm, DiffTag, TextDiff, capture_diff_slices};

use crate::Parser;
use crate::base::text::squash;
use crate::files::ReadError;
use crate::model::{Document, Role, SCHEMA, Target, Task};

/// The schema identifier of the diff report.
pub const DIFF_SCHEMA: &str = "zhengce-diff/1";

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
}

/// Reads one side of a diff, deciding by content: zhengce JSON (`"schema": "zhengce/1"`), a
/// gold file (`meta` and `headings`, no `schema`), or a source document parsed with `parser`.
///
/// # Errors
/// JSON of another schema version, JSON that is neither kind, bytes that are not text, or
/// rules that did not compile.
pub fn load(bytes: &[u8], path: &str, parser: &Parser) -> Result<Document, LoadError> {
    let decoded = crate::stages::decode::decode(bytes);
    if decoded.text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(&decoded.text).map_err(|e| LoadError::Json {
            path: path.to_string(),
            reason: format!("not valid JSON: {e}"),
        })?;
        return from_json(value, path);
    }
    crate::files::parse_decoded(parser, bytes, decoded, Some(path), false).map_err(|e| match e {
        ReadError::NotText(path, reason) => LoadError::NotText { path, reason },
        other => LoadError::Read(other),
    })
}

fn from_json(value: Value, path: &str) -> Result<Document, LoadError> {
    let json_err = |reason: String| LoadError::Json {
        path: path.to_string(),
        reason,
    };
    match value.get("schema") {
        Some(Value::String(s)) if s == SCHEMA => serde_json::from_value(value)
            .map_err(|e| json_err(format!("not a valid {SCHEMA} document: {e}"))),
        Some(other) => Err(LoadError::Schema {
            path: path.to_string(),
            found: other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string),
        }),
        None if value.get("headings").is_some() && value.get("meta").is_some() => {
            let gold: crate::compare::gold::Gold = serde_json::from_value(value)
                .map_err(|e| json_err(format!("not a valid gold file: {e}")))?;
            Ok(gold.to_document())
        }
        None => Err(json_err(
            "JSON, but neither zhengce output (no `schema`) nor a gold file".to_string(),
        )),
    }
}

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
    /// A task's `title`, `text` or `marker`.
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
    /// A field of a target (`field`: value, value_max, unit, year, baseline_year, kind, bound).
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

    /// The summary as one line: `3 tasks changed, 1 added, 1 removed; 2 targets changed; …`.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        if self.changes.is_empty() {
            return "no differences".to_string();
        }
        let mut parts = Vec::new();
        let mut tasks = vec![format!("{} tasks changed", s.tasks_changed)];
        tasks.push(format!("{} added", s.tasks_added));
        tasks.push(format!("{} removed", s.tasks_removed));
        if s.tasks_moved > 0 {
            tasks.push(format!("{} moved", s.tasks_moved));
        }
        if s.tasks_renumbered > 0 {
            tasks.push(format!("{} renumbered", s.tasks_renumbered));
        }
        parts.push(tasks.join(", "));
        let mut targets = vec![format!("{} targets changed", s.targets_changed)];
        if s.targets_added > 0 {
            targets.push(format!("{} added", s.targets_added));
        }
        if s.targets_removed > 0 {
            targets.push(format!("{} removed", s.targets_removed));
        }
        parts.push(targets.join(", "));
        parts.push(format!(
            "{} departments added, {} removed",
            s.departments_added, s.departments_removed
        ));
        if s.meta_changed > 0 {
            parts.push(format!("{} metadata fields changed", s.meta_changed));
        }
        parts.join("; ")
    }
}

/// Word splitting for word-by-word comparison: jieba-rs's HMM, which needs no dictionary
/// (loading jieba's default one would take most of a `diff`; see `benches/README.md`), plus names to
/// keep whole: the departments of the two documents, so that a renamed department reads as one
/// edit.
#[derive(Debug)]
pub struct Words(jieba_rs::Jieba);

impl Words {
    /// A splitter that keeps each of `names` as one word. jieba cuts text at brackets, spaces
    /// and other punctuation before it looks words up, so a name with them is kept as its
    /// pieces (`县农业农村局(县乡村振兴局)` as `县农业农村局` and `县乡村振兴局`); pieces of one
    /// character are left to the HMM.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut j = jieba_rs::Jieba::empty();
        let apart = |c: char| !(c.is_alphanumeric() || matches!(c, '.' | '%' | '-' | '_' | '+'));
        for name in names {
            for piece in name.split(apart) {
                if piece.chars().nth(1).is_some() && !j.has_word(piece) {
                    j.add_word(piece, None, None);
                }
            }
        }
        Words(j)
    }

    /// A splitter that keeps the department names of `docs` whole.
    pub fn of_documents(docs: &[&Document]) -> Self {
        fn tasks<'a>(ts: &'a [Task], out: &mut Vec<&'a str>) {
            for t in ts {
                out.extend(t.lead.iter().chain(&t.participants).map(String::as_str));
                tasks(&t.children, out);
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for d in docs {
            for dep in &d.departments {
                names.push(&dep.name);
                names.extend(dep.aliases.iter().map(String::as_str));
            }
            tasks(&d.tasks, &mut names);
        }
        names.sort_unstable();
        names.dedup();
        Words::new(names)
    }

    /// Word-by-word differences between two strings.
    pub fn diff(&self, old: &str, new: &str) -> Vec<WordOp> {
        let a: Vec<&str> = self.0.cut(old, true).into_iter().map(|t| t.word).collect();
        let b: Vec<&str> = self.0.cut(new, true).into_iter().map(|t| t.word).collect();
        ops_of(&a, &b)
    }
}

/// A word-level edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordOp {
    /// Equal, delete or insert.
    pub tag: DiffTag,
    /// The words.
    pub text: String,
}

/// Word-by-word differences between two strings, words as [`Words`] splits them without names.
pub fn word_diff(old: &str, new: &str) -> Vec<WordOp> {
    static PLAIN: OnceLock<Words> = OnceLock::new();
    PLAIN.get_or_init(|| Words::new([])).diff(old, new)
}

fn ops_of(a: &[&str], b: &[&str]) -> Vec<WordOp> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_slices(a, b);
    let mut out: Vec<WordOp> = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            let tag = match change.tag() {
                similar::ChangeTag::Equal => DiffTag::Equal,
                similar::ChangeTag::Delete => DiffTag::Delete,
                similar::ChangeTag::Insert => DiffTag::Insert,
            };
            let word = change.value();
            match out.last_mut() {
                Some(last) if last.tag == tag => last.text.push_str(word),
                _ => out.push(WordOp {
                    tag,
                    text: word.to_string(),
                }),
            }
        }
    }
    out
}

/// Renders word edits as `大力发展[-418亿元-]{+450亿元+}`, keeping a little context.
fn render_words(ops: &[WordOp]) -> String {
    let mut s = String::new();
    for (i, op) in ops.iter().enumerate() {
        match op.tag {
            DiffTag::Equal => {
                let chars: Vec<char> = op.text.chars().collect();
                let keep = 12;
                if chars.len() <= keep * 2 + 1 {
                    s.push_str(&op.text);
                } else {
                    if i > 0 {
                        s.extend(&chars[..keep]);
                    }
                    s.push('…');
                    if i + 1 < ops.len() {
                        s.extend(&chars[chars.len() - keep..]);
                    }
                }
            }
            DiffTag::Delete => {
                let _ = write!(s, "[-{}-]", op.text);
            }
            DiffTag::Insert | DiffTag::Replace => {
                let _ = write!(s, "{{+{}+}}", op.text);
            }
        }
    }
    s
}

/// Character similarity of two strings, 0 to 1.
fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_chars(a, b)
        .ratio()
}

struct Flat<'a> {
    task: &'a Task,
    parent: Option<usize>,
    key: String,
}

fn flatten(doc: &Document) -> Vec<Flat<'_>> {
    fn walk<'a>(ts: &'a [Task], parent: Option<usize>, out: &mut Vec<Flat<'a>>) {
        for t in ts {
            let me = out.len();
            out.push(Flat {
                task: t,
                parent,
                key: squash(&t.title),
            });
            walk(&t.children, Some(me), out);
        }
    }
    let mut out = Vec::new();
    walk(&doc.tasks, None, &mut out);
    out
}

/// Pairs left and right tasks: `pairs[i] = Some(j)` when left task `i` is right task `j`.
fn align(l: &[Flat], r: &[Flat]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut lr = vec![None; l.len()];
    let mut rl = vec![None; r.len()];
    let lk: Vec<&str> = l.iter().map(|f| f.key.as_str()).collect();
    let rk: Vec<&str> = r.iter().map(|f| f.key.as_str()).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &lk, &rk);
    let pair = |i: usize, j: usize, lr: &mut Vec<Option<usize>>, rl: &mut Vec<Option<usize>>| {
        lr[i] = Some(j);
        rl[j] = Some(i);
    };
    // Each non-equal op is a changed region (adjacent deletes and inserts come as one replace).
    let mut regions: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for op in &ops {
        let (tag, or, nr) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (i, j) in or.zip(nr) {
                pair(i, j, &mut lr, &mut rl);
            }
        } else {
            regions.push((or.collect(), nr.collect()));
        }
    }
    // Within a changed region: same id first (a retitled task), then the most similar titles.
    for (ls, rs) in &regions {
        for &i in ls {
            if let Some(&j) = rs
                .iter()
                .find(|&&j| rl[j].is_none() && r[j].task.id == l[i].task.id)
            {
                if similarity(&l[i].key, &r[j].key) >= 0.3 {
                    pair(i, j, &mut lr, &mut rl);
                }
            }
        }
        best_pairs(l, r, ls, rs, 0.5, &mut lr, &mut rl);
    }
    // Across the document: the same title elsewhere is a move.
    let ls: Vec<usize> = (0..l.len()).filter(|&i| lr[i].is_none()).collect();
    let rs: Vec<usize> = (0..r.len()).filter(|&j| rl[j].is_none()).collect();
    best_pairs(l, r, &ls, &rs, 0.8, &mut lr, &mut rl);
    (lr, rl)
}

/// Greedily pairs the most similar unpaired titles at or above `min`; ties go to the pair
/// nearest in position, so that the result does not depend on which side is left.
fn best_pairs(
    l: &[Flat],
    r: &[Flat],
    ls: &[usize],
    rs: &[usize],
    min: f32,
    lr: &mut [Option<usize>],
    rl: &mut [Option<usize>],
) {
    let mut cands: Vec<(f32, usize, usize)> = Vec::new();
    for &i in ls {
        if lr[i].is_some() {
            continue;
        }
        for &j in rs {
            if rl[j].is_some() {
                continue;
            }
            let s = similarity(&l[i].key, &r[j].key);
            if s >= min {
                cands.push((s, i, j));
            }
        }
    }
    cands.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.abs_diff(a.2).cmp(&b.1.abs_diff(b.2)))
            .then((a.1 + a.2).cmp(&(b.1 + b.2)))
            .then(a.1.min(a.2).cmp(&b.1.min(b.2)))
    });
    for (_, i, j) in cands {
        if lr[i].is_none() && rl[j].is_none() {
            lr[i] = Some(j);
            rl[j] = Some(i);
        }
    }
}

/// A marker with its number replaced, so that `2.` and `3.` have the same shape.
fn marker_shape(m: &str) -> String {
    m.chars()
        .map(|c| {
            if c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || "一二三四五六七八九十百零〇两".contains(c)
                || ('①'..='⑳').contains(&c)
            {
                '#'
            } else {
                crate::base::text::normalize_char(c)
            }
        })
        .collect::<String>()
        .split('#')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("#")
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn num_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn target_value(t: &Target) -> String {
    match t.value_max {
        Some(m) => format!("{}-{}{}", fmt_num(t.value), fmt_num(m), t.unit),
        None => format!("{}{}", fmt_num(t.value), t.unit),
    }
}

struct Builder<'a> {
    ignore: &'a BTreeSet<Field>,
    words: Words,
    changes: Vec<Change>,
    summary: Summary,
}

impl Builder<'_> {
    fn on(&self, f: Field) -> bool {
        !self.ignore.contains(&f)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ChangeKind,
        left: Option<&Task>,
        right: Option<&Task>,
        field: Option<&str>,
        old: Option<Value>,
        new: Option<Value>,
        detail: String,
    ) {
        self.changes.push(Change {
            kind,
            left_id: left.map(|t| t.id.clone()),
            right_id: right.map(|t| t.id.clone()),
            title: right.or(left).map(|t| t.title.clone()),
            field: field.map(str::to_string),
            old,
            new,
            detail,
        });
    }
}

/// Compares two documents, leaving out the `ignore`d fields.
pub fn diff(left: &Document, right: &Document, ignore: &BTreeSet<Field>) -> Report {
    let mut b = Builder {
        ignore,
        words: Words::of_documents(&[left, right]),
        changes: Vec::new(),
        summary: Summary::default(),
    };
    if b.on(Field::Meta) {
        meta_changes(&mut b, left, right);
    }
    let l = flatten(left);
    let r = flatten(right);
    // Align in one canonical orientation, so that diff(b, a) mirrors diff(a, b) exactly even
    // where the alignment is ambiguous (repeated titles).
    let keys = |f: &[Flat]| f.iter().map(|x| x.key.clone()).collect::<Vec<_>>();
    let (lr, rl) = if keys(&l) <= keys(&r) {
        align(&l, &r)
    } else {
        let (rl, lr) = align(&r, &l);
        (lr, rl)
    };
    let prev_sibling = |f: &[Flat]| -> Vec<Option<usize>> {
        let mut last_child: HashMap<Option<usize>, usize> = HashMap::new();
        f.iter()
            .enumerate()
            .map(|(i, x)| last_child.insert(x.parent, i))
            .collect()
    };
    let (lprev, rprev) = (prev_sibling(&l), prev_sibling(&r));

    // Renumbered runs: paired siblings whose own number shifted by the same amount.
    let own_shift = |i: usize, j: usize| -> Option<i64> {
        let (li, rj) = (&l[i].task.id, &r[j].task.id);
        if li == rj {
            return None;
        }
        let same_parent = match (l[i].parent, r[j].parent) {
            (None, None) => true,
            (Some(pl), Some(pr)) => lr[pl] == Some(pr),
            _ => false,
        };
        let last = |id: &str| id.rsplit('.').next().and_then(|s| s.parse::<i64>().ok());
        match (same_parent, last(li), last(rj)) {
            (true, Some(a), Some(c)) if a != c => Some(c - a),
            _ => None,
        }
    };
    // A run continues while the pairs are next siblings on both sides.
    let mut runs: Vec<(Vec<usize>, Vec<usize>, i64)> = Vec::new();
    for j in 0..r.len() {
        let Some(i) = rl[j] else { continue };
        let Some(shift) = own_shift(i, j) else {
            continue;
        };
        match runs.last_mut() {
            Some((li, ri, s))
                if *s == shift
                    && ri.last().copied() == rprev[j]
                    && li.last().copied() == lprev[i] =>
            {
                li.push(i);
                ri.push(j);
            }
            _ => runs.push((vec![i], vec![j], shift)),
        }
    }

    // Walk the right side in order, with removed left tasks placed where they were.
    let mut emitted_removed = vec![false; l.len()];
    for j in 0..r.len() {
        if let Some(i) = rl[j] {
            // Removed left tasks that came before this one.
            for k in 0..i {
                if lr[k].is_none() && !emitted_removed[k] {
                    emitted_removed[k] = true;
                    removed(&mut b, l[k].task);
                }
            }
            if let Some((li, ri, shift)) = runs.iter().find(|(_, ri, _)| ri.first() == Some(&j)) {
                let ids = |v: &[usize], side: &[Flat]| -> Vec<String> {
                    v.iter().map(|&x| side[x].task.id.clone()).collect()
                };
                let (old, new) = (ids(li, &l), ids(ri, &r));
                let span = |v: &[String]| match v {
                    [one] => one.clone(),
                    [first, .., last] => format!("{first}–{last}"),
                    [] => String::new(),
                };
                b.summary.tasks_renumbered += li.len();
                let detail = format!(
                    "renumbered {} → {} (shifted by {shift:+})",
                    span(&old),
                    span(&new)
                );
                b.push(
                    ChangeKind::TaskRenumbered,
                    Some(l[li[0]].task),
                    Some(r[ri[0]].task),
                    Some("id"),
                    Some(json!(old)),
                    Some(json!(new)),
                    detail,
                );
            }
            let moved = match (l[i].parent, r[j].parent) {
                (None, None) => false,
                (Some(pl), Some(pr)) => lr[pl] != Some(pr),
                _ => true,
            };
            if moved {
                b.summary.tasks_moved += 1;
                let where_ = |p: Option<usize>, side: &[Flat]| {
                    p.map_or("the top level".to_string(), |p| {
                        format!("{} {}", side[p].task.id, side[p].task.title)
                    })
                };
                b.push(
                    ChangeKind::TaskMoved,
                    Some(l[i].task),
                    Some(r[j].task),
                    Some("parent"),
                    Some(json!(l[i].parent.map(|p| l[p].task.id.clone()))),
                    Some(json!(r[j].parent.map(|p| r[p].task.id.clone()))),
                    format!(
                        "moved from under {} to under {}",
                        where_(l[i].parent, &l),
                        where_(r[j].parent, &r)
                    ),
                );
            }
            task_changes(&mut b, l[i].task, r[j].task);
        } else {
            b.summary.tasks_added += 1;
            let t = r[j].task;
            b.push(
                ChangeKind::TaskAdded,
                None,
                Some(t),
                None,
                None,
                Some(json!(t.title)),
                t.title.clone(),
            );
        }
    }
    for k in 0..l.len() {
        if lr[k].is_none() && !emitted_removed[k] {
            removed(&mut b, l[k].task);
        }
    }
    if b.on(Field::Departments) {
        index_changes(&mut b, left, right);
    }
    Report {
        schema: DIFF_SCHEMA.to_string(),
        left: Side {
            path: left.source.path.clone(),
            title: left.meta.title.clone(),
        },
        right: Side {
            path: right.source.path.clone(),
            title: right.meta.title.clone(),
        },
        summary: b.summary,
        changes: b.changes,
    }
}

fn removed(b: &mut Builder, t: &Task) {
    b.summary.tasks_removed += 1;
    b.push(
        ChangeKind::TaskRemoved,
        Some(t),
        None,
        None,
        Some(json!(t.title)),
        None,
        t.title.clone(),
    );
}

fn meta_changes(b: &mut Builder, left: &Document, right: &Document) {
    let right_fields = right.meta.fields();
    for ((name, old), (_, new)) in left.meta.fields().into_iter().zip(right_fields) {
        if crate::compare::score::same_value(&old, &new) {
            continue;
        }
        b.summary.meta_changed += 1;
        let show = |v: &Value| match v {
            Value::Null => "—".to_string(),
            Value::String(s) => s.clone(),
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、"),
            other => other.to_string(),
        };
        let detail = format!("{name}: {} → {}", show(&old), show(&new));
        b.push(
            ChangeKind::MetaChanged,
            None,
            None,
            Some(name),
            Some(old),
            Some(new),
            detail,
        );
    }
}

/// Strings whose change is already reported by a target or department change, so that the
/// text diff does not report it again.
#[derive(Default)]
struct Explained {
    old: Vec<String>,
    new: Vec<String>,
}

impl Explained {
    /// Whether every run of letters and digits in `s` lies inside one of `list`.
    fn covers(list: &[String], s: &str) -> bool {
        squash(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|piece| !piece.is_empty())
            .all(|piece| list.iter().any(|e| e.contains(piece)))
    }

    fn covers_old(&self, s: &str) -> bool {
        Self::covers(&self.old, s)
    }

    fn covers_new(&self, s: &str) -> bool {
        Self::covers(&self.new, s)
    }

    /// The edits of `ops` as (deleted, inserted) text. A deletion followed by an insertion is
    /// one edit, without the characters the two share at either end: the words around an edit
    /// depend on how the text was split (`20[-家大型-]{+个大型+}` is the unit `家` → `个`).
    fn edits(ops: &[WordOp]) -> impl Iterator<Item = (&str, &str)> {
        let mut i = 0;
        std::iter::from_fn(move || {
            while let Some(op) = ops.get(i) {
                i += 1;
                match op.tag {
                    DiffTag::Equal => continue,
                    DiffTag::Delete => {
                        if let Some(next) = ops.get(i).filter(|n| n.tag == DiffTag::Insert) {
                            i += 1;
                            return Some(differing(&op.text, &next.text));
                        }
                        return Some((op.text.as_str(), ""));
                    }
                    DiffTag::Insert | DiffTag::Replace => return Some(("", op.text.as_str())),
                }
            }
            None
        })
    }
}

/// `a` and `b` without their common prefix and suffix.
fn differing<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    let head: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[head..], &b[head..]);
    let tail: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    (&a[..a.len() - tail], &b[..b.len() - tail])
}

fn task_changes(b: &mut Builder, lt: &Task, rt: &Task) {
    let before = b.changes.len();
    let mut explained = Explained::default();
    if b.on(Field::Targets) {
        target_changes(b, lt, rt, &mut explained);
    }
    department_changes(b, lt, rt, &mut explained);
    if b.on(Field::Marker) && marker_shape(&lt.marker) != marker_shape(&rt.marker) {
        b.push(
            ChangeKind::TaskChanged,
            Some(lt),
            Some(rt),
            Some("marker"),
            Some(json!(lt.marker)),
            Some(json!(rt.marker)),
            format!("marker: {} → {}", lt.marker, rt.marker),
        );
    }
    let title_changed = squash(&lt.title) != squash(&rt.title);
    if b.on(Field::Title) && title_changed {
        let ops = b.words.diff(&lt.title, &rt.title);
        b.push(
            ChangeKind::TaskChanged,
            Some(lt),
            Some(rt),
            Some("title"),
            Some(json!(lt.title)),
            Some(json!(rt.title)),
            format!("title: {}", render_words(&ops)),
        );
    }
    // Text: only where both sides have it, without the title sentence, and only for edits that
    // no target or department change already explains.
    if b.on(Field::Text)
        && !lt.text.is_empty()
        && !rt.text.is_empty()
        && squash(&lt.text) != squash(&rt.text)
    {
        let body = |t: &Task| -> String {
            match t.text.strip_prefix(t.title.as_str()) {
                Some(rest) if b.on(Field::Title) => rest.to_string(),
                _ => t.text.clone(),
            }
        };
        let (lb, rb) = (body(lt), body(rt));
        let ops = b.words.diff(&lb, &rb);
        let unexplained = Explained::edits(&ops)
            .any(|(old, new)| !explained.covers_old(old) || !explained.covers_new(new));
        if unexplained {
            b.push(
                ChangeKind::TaskChanged,
                Some(lt),
                Some(rt),
                Some("text"),
                Some(json!(lt.text)),
                Some(json!(rt.text)),
                format!("text: {}", render_words(&ops)),
            );
        }
    }
    if b.changes.len() > before {
        b.summary.tasks_changed += 1;
    }
}

fn department_changes(b: &mut Builder, lt: &Task, rt: &Task, explained: &mut Explained) {
    let roles = [
        (Role::Lead, Field::Lead, "lead"),
        (Role::Participant, Field::Participants, "participants"),
    ];
    let names = |t: &Task, role: Role| -> Vec<String> {
        match role {
            Role::Lead => t.lead.clone(),
            Role::Participant => t.participants.clone(),
        }
    };
    let has = |list: &[String], n: &str| list.iter().any(|x| squash(x) == squash(n));
    // Role changes first: a name that is lead on one side and participant on the other.
    let mut role_changed: Vec<String> = Vec::new();
    if b.on(Field::Lead) && b.on(Field::Participants) {
        for (from, to, from_name, to_name) in [
            (Role::Participant, Role::Lead, "participant", "lead"),
            (Role::Lead, Role::Participant, "lead", "participant"),
        ] {
            for n in names(lt, from) {
                if has(&names(rt, to), &n) && !has(&names(rt, from), &n) && !has(&names(lt, to), &n)
                {
                    role_changed.push(squash(&n));
                    explained.old.push(squash(&n));
                    explained.new.push(squash(&n));
                    b.push(
                        ChangeKind::RoleChanged,
                        Some(lt),
                        Some(rt),
                        Some("role"),
                        Some(json!(from_name)),
                        Some(json!(to_name)),
                        format!("{n}: {from_name} → {to_name}"),
                    );
                }
            }
        }
    }
    for (role, field, label) in roles {
        if !b.on(field) {
            continue;
        }
        let (ln, rn) = (names(lt, role), names(rt, role));
        for n in &ln {
            if !has(&rn, n) && !role_changed.contains(&squash(n)) {
                explained.old.push(squash(n));
                b.push(
                    ChangeKind::AttributionRemoved,
                    Some(lt),
                    Some(rt),
                    Some(label),
                    Some(json!(n)),
                    None,
                    format!("{label} − {n}"),
                );
            }
        }
        for n in &rn {
            if !has(&ln, n) && !role_changed.contains(&squash(n)) {
                explained.new.push(squash(n));
                b.push(
                    ChangeKind::AttributionAdded,
                    Some(lt),
                    Some(rt),
                    Some(label),
                    None,
                    Some(json!(n)),
                    format!("{label} + {n}"),
                );
            }
        }
    }
}

fn target_changes(b: &mut Builder, lt: &Task, rt: &Task, explained: &mut Explained) {
    let (lts, rts) = (&lt.targets, &rt.targets);
    let mut lr: Vec<Option<usize>> = vec![None; lts.len()];
    let mut used = vec![false; rts.len()];
    let key = |t: &Target| (squash(&t.indicator), squash(&t.unit));
    // Same indicator and unit; then same indicator; then same unit and a similar indicator;
    // then the same value and unit.
    type Same<'a> = &'a dyn Fn(&Target, &Target) -> bool;
    let passes: [Same; 4] = [
        &|a, c| key(a) == key(c),
        &|a, c| !a.indicator.is_empty() && squash(&a.indicator) == squash(&c.indicator),
        &|a, c| {
            squash(&a.unit) == squash(&c.unit)
                && similarity(&squash(&a.indicator), &squash(&c.indicator)) >= 0.5
        },
        &|a, c| crate::compare::score::same_target(a, c),
    ];
    for pass in passes {
        for (i, a) in lts.iter().enumerate() {
            if lr[i].is_some() {
                continue;
            }
            if let Some(j) = (0..rts.len()).find(|&j| !used[j] && pass(a, &rts[j])) {
                lr[i] = Some(j);
                used[j] = true;
            }
        }
    }
    for (i, a) in lts.iter().enumerate() {
        let Some(j) = lr[i] else {
            b.summary.targets_removed += 1;
            explained
                .old
                .extend([squash(&fmt_num(a.value)), squash(&a.unit)]);
            b.push(
                ChangeKind::TargetRemoved,
                Some(lt),
                Some(rt),
                Some("targets"),
                serde_json::to_value(a).ok(),
                None,
                format!("target − {}: {}", a.indicator, target_value(a)),
            );
            continue;
        };
        let c = &rts[j];
        let mut any = false;
        let name = if c.indicator.is_empty() {
            &a.indicator
        } else {
            &c.indicator
        };
        let mut field = |b: &mut Builder, f: &str, old: Value, new: Value, detail: String| {
            any = true;
            b.push(
                ChangeKind::TargetChanged,
                Some(lt),
                Some(rt),
                Some(f),
                Some(old),
                Some(new),
                detail,
            );
        };
        if (a.value - c.value).abs() > 1e-9 * a.value.abs().max(1.0) || a.value_max != c.value_max {
            let delta = if a.unit == c.unit && a.value_max.is_none() && c.value_max.is_none() {
                format!(
                    " ({}{}{})",
                    if c.value >= a.value { "+" } else { "" },
                    fmt_num(c.value - a.value),
                    c.unit
                )
            } else {
                String::new()
            };
            explained.old.push(squash(&fmt_num(a.value)));
            explained.new.push(squash(&fmt_num(c.value)));
            if let Some(m) = a.value_max {
                explained.old.push(fmt_num(m));
            }
            if let Some(m) = c.value_max {
                explained.new.push(fmt_num(m));
            }
            field(
                b,
                "value",
                num_value(a.value),
                num_value(c.value),
                format!("{name}: {} → {}{delta}", target_value(a), target_value(c)),
            );
        }
        if squash(&a.unit) != squash(&c.unit) {
            explained.old.push(squash(&a.unit));
            explained.new.push(squash(&c.unit));
            field(
                b,
                "unit",
                json!(a.unit),
                json!(c.unit),
                format!("{name}: unit {} → {}", a.unit, c.unit),
            );
        }
        if a.year != c.year {
            explained.old.extend(a.year.map(|y| y.to_string()));
            explained.new.extend(c.year.map(|y| y.to_string()));
            field(
                b,
                "year",
                json!(a.year),
                json!(c.year),
                format!("{name}: year {} → {}", show_opt(a.year), show_opt(c.year)),
            );
        }
        if a.baseline_year != c.baseline_year {
            explained.old.extend(a.baseline_year.map(|y| y.to_string()));
            explained.new.extend(c.baseline_year.map(|y| y.to_string()));
            field(
                b,
                "baseline_year",
                json!(a.baseline_year),
                json!(c.baseline_year),
                format!(
                    "{name}: baseline year {} → {}",
                    show_opt(a.baseline_year),
                    show_opt(c.baseline_year)
                ),
            );
        }
        if a.kind != c.kind {
            field(
                b,
                "kind",
                json!(a.kind),
                json!(c.kind),
                format!("{name}: kind {} → {}", json!(a.kind), json!(c.kind)),
            );
        }
        if a.bound != c.bound {
            field(
                b,
                "bound",
                json!(a.bound),
                json!(c.bound),
                format!("{name}: bound {} → {}", json!(a.bound), json!(c.bound)),
            );
        }
        if any {
            b.summary.targets_changed += 1;
        }
    }
    for (j, c) in rts.iter().enumerate() {
        if !used[j] {
            b.summary.targets_added += 1;
            explained
                .new
                .extend([squash(&fmt_num(c.value)), squash(&c.unit)]);
            b.push(
                ChangeKind::TargetAdded,
                Some(lt),
                Some(rt),
                Some("targets"),
                None,
                serde_json::to_value(c).ok(),
                format!("target + {}: {}", c.indicator, target_value(c)),
            );
        }
    }
}

fn show_opt(v: Option<i32>) -> String {
    v.map_or("—".to_string(), |y| y.to_string())
}

fn index_changes(b: &mut Builder, left: &Document, right: &Document) {
    let names = |d: &Document| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = d
            .departments
            .iter()
            .map(|x| (squash(&x.name), x.name.clone()))
            .collect();
        // Documents without an index (gold files, hand-made JSON): the names of the tasks.
        if d.departments.is_empty() {
            for t in d.all_tasks() {
                for n in t.lead.iter().chain(&t.participants) {
                    if !v.iter().any(|(k, _)| *k == squash(n)) {
                        v.push((squash(n), n.clone()));
                    }
                }
            }
        }
        v
    };
    let all_names = |d: &Document| -> HashMap<String, ()> {
        let mut m = HashMap::new();
        for x in &d.departments {
            for a in &x.aliases {
                m.insert(squash(a), ());
            }
            m.insert(squash(&x.name), ());
        }
        for (k, _) in names(d) {
            m.insert(k, ());
        }
        m
    };
    let (ln, rn) = (names(left), names(right));
    let (la, ra) = (all_names(left), all_names(right));
    for (k, n) in &ln {
        if !ra.contains_key(k) {
            b.summary.departments_removed += 1;
            b.push(
                ChangeKind::DepartmentRemoved,
                None,
                None,
                Some("departments"),
                Some(json!(n)),
                None,
                format!("department − {n}"),
            );
        }
    }
    for (k, n) in &rn {
        if !la.contains_key(k) {
            b.summary.departments_added += 1;
            b.push(
                ChangeKind::DepartmentAdded,
                None,
                None,
                Some("departments"),
                None,
                Some(json!(n)),
                format!("department + {n}"),
            );
        }
    }
}

/// How to render a report as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

fn paint(s: &str, code: &str, style: Style) -> String {
    if style.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn sign(kind: ChangeKind) -> (&'static str, &'static str) {
    match kind {
        ChangeKind::TaskAdded
        | ChangeKind::TargetAdded
        | ChangeKind::AttributionAdded
        | ChangeKind::DepartmentAdded => ("+", "32"),
        ChangeKind::TaskRemoved
        | ChangeKind::TargetRemoved
        | ChangeKind::AttributionRemoved
        | ChangeKind::DepartmentRemoved => ("-", "31"),
        _ => ("~", "33"),
    }
}

/// The report for people: the summary line, then the changes per task.
pub fn render_text(r: &Report, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(&r.summary_line(), "1", style));
    let mut current: Option<(Option<String>, Option<String>)> = None;
    for c in &r.changes {
        let (s, color) = sign(c.kind);
        let task_level = c.left_id.is_some() || c.right_id.is_some();
        match c.kind {
            ChangeKind::TaskAdded | ChangeKind::TaskRemoved => {
                current = None;
                let id = c
                    .right_id
                    .as_ref()
                    .or(c.left_id.as_ref())
                    .cloned()
                    .unwrap_or_default();
                let what = if c.kind == ChangeKind::TaskAdded {
                    "added"
                } else {
                    "removed"
                };
                let _ = writeln!(
                    out,
                    "{}",
                    paint(&format!("{s} {id} {} ({what})", c.detail), color, style)
                );
            }
            _ if task_level => {
                let key = (c.left_id.clone(), c.right_id.clone());
                if current.as_ref() != Some(&key) {
                    let ids = match (&c.left_id, &c.right_id) {
                        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                        (a, b) => b.clone().or(a.clone()).unwrap_or_default(),
                    };
                    let _ = writeln!(
                        out,
                        "\n{}",
                        paint(
                            &format!("{ids} {}", c.title.clone().unwrap_or_default()),
                            "1",
                            style
                        )
                    );
                    current = Some(key);
                }
                let _ = writeln!(
                    out,
                    "  {}",
                    paint(&format!("{s} {}", c.detail), color, style)
                );
            }
            _ => {
                if current.is_some() || out.lines().count() == 1 {
                    let header = if c.kind == ChangeKind::MetaChanged {
                        "meta"
                    } else {
                        "departments"
                    };
                    let _ = writeln!(out, "\n{}", paint(header, "1", style));
                    current = None;
                }
                let _ = writeln!(
                    out,
                    "  {}",
                    paint(&format!("{s} {}", c.detail), color, style)
                );
            }
        }
    }
    out
}

/// The report as a Markdown table, for a review or a ticket.
pub fn render_markdown(r: &Report) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let show = |v: &Option<Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => esc(s),
        Some(Value::Array(a)) => esc(&a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("、")),
        Some(Value::Object(_)) => String::new(),
        Some(other) => esc(&other.to_string()),
    };
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", esc(&r.summary_line()));
    if r.changes.is_empty() {
        return out;
    }
    let _ = writeln!(out, "| change | task | field | old | new | detail |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for c in &r.changes {
        let task = match (&c.left_id, &c.right_id) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (a, b) => b.clone().or(a.clone()).unwrap_or_default(),
        };
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let (old, new) = if matches!(c.field.as_deref(), Some("text")) {
            (String::new(), String::new())
        } else {
            (show(&c.old), show(&c.new))
        };
        let _ = writeln!(
            out,
            "| {kind} | {} {} | {} | {old} | {new} | {} |",
            esc(&task),
            esc(&c.title.clone().unwrap_or_default()),
            c.field.clone().unwrap_or_default(),
            esc(&c.detail)
        );
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_numbers_whole() {
        let ops = word_diff(
            "到2025年,新能源新材料产业产值达到418亿元左右",
            "到2025年,新能源新材料产业产值达到450亿元左右",
        );
        let changed: Vec<&WordOp> = ops.iter().filter(|o| o.tag != DiffTag::Equal).collect();
        assert_eq!(changed.len(), 2, "{ops:?}");
        assert_eq!(changed[0].text, "418");
        assert_eq!(changed[1].text, "450");
    }

    #[test]
    fn names_stay_whole() {
        let words = Words::new(["区发展改革委", "区发革委"]);
        let ops = words.diff("区发展改革委整体部署", "区发革委整体部署");
        let changed: Vec<&str> = ops
            .iter()
            .filter(|o| o.tag != DiffTag::Equal)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(changed, ["区发展改革委", "区发革委"], "{ops:?}");
        // A name with brackets is kept as its pieces: the words beside it stay apart.
        let words = Words::new(["县农业农村局(县乡村振兴局)", "市农业农村局(县乡村振兴局)"]);
        let ops = words.diff(
            "由县农业农村局(县乡村振兴局)负责推进",
            "由市农业农村局(县乡村振兴局)负责推进",
        );
        let changed: Vec<&str> = ops
            .iter()
            .filter(|o| o.tag != DiffTag::Equal)
            .map(|o| o.text.as_str())
            .collect();
        assert!(
            changed
                .iter()
                .all(|w| !w.contains('由') && !w.contains("负责")),
            "{ops:?}"
        );
    }

    #[test]
    fn marker_shapes() {
        assert_eq!(marker_shape("2."), marker_shape("3."));
        assert_eq!(marker_shape("（一）"), marker_shape("(二)"));
        assert_ne!(marker_shape("1."), marker_shape("(1)"));
    }

    #[test]
    fn field_names() {
        for n in Field::NAMES {
            assert!(Field::parse(n).is_some(), "{n}");
        }
        assert!(Field::parse("colour").is_none());
    }
}
