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
use crate::compare::score::Annotated;
use crate::files::ReadError;
use crate::model::{Bound, Deadline, Document, Role, SCHEMA, Target, TargetKind, Task};

mod align;
mod changes;
mod labels;
mod load;
mod render;
mod report;
mod words;

use align::*;
use changes::*;
pub use labels::*;
pub use load::*;
pub use render::*;
pub use report::*;
pub use words::*;

/// The schema identifier of the diff report.
pub const DIFF_SCHEMA: &str = "zhengce-diff/1";

/// How to compare: the fields left out, and the language of the `detail` lines.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fields not compared (`--ignore`).
    pub ignore: BTreeSet<Field>,
    /// Fields a side's file does not record ([`Loaded::lacks`] of both).
    pub lacks: Lacks,
    /// The language of each change's `detail`.
    pub lang: Lang,
}

/// Compares two documents, leaving out the `ignore`d fields; `detail` lines in English.
pub fn diff(left: &Document, right: &Document, ignore: &BTreeSet<Field>) -> Report {
    diff_with(
        left,
        right,
        &Options {
            ignore: ignore.clone(),
            lacks: Lacks::default(),
            lang: Lang::En,
        },
    )
}

/// Compares two loaded sides, leaving out the `ignore`d fields and what either file does not
/// record.
pub fn diff_loaded(left: &Loaded, right: &Loaded, ignore: &BTreeSet<Field>, lang: Lang) -> Report {
    diff_with(
        &left.doc,
        &right.doc,
        &Options {
            ignore: ignore.clone(),
            lacks: left.lacks.union(&right.lacks),
            lang,
        },
    )
}

/// Compares two documents as `opts` says.
pub fn diff_with(left: &Document, right: &Document, opts: &Options) -> Report {
    let mut b = Builder {
        ignore: &opts.ignore,
        lacks: &opts.lacks,
        lang: opts.lang,
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
                let detail = match b.lang {
                    Lang::En => format!(
                        "renumbered {} → {} (shifted by {shift:+})",
                        span(&old),
                        span(&new)
                    ),
                    Lang::Zh => {
                        format!("重新编号 {} → {}（顺移 {shift:+}）", span(&old), span(&new))
                    }
                };
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
                let lang = b.lang;
                let where_ = |p: Option<usize>, side: &[Flat]| {
                    p.map_or(lang.pick("顶层", "the top level").to_string(), |p| {
                        format!("{} {}", side[p].task.id, side[p].task.title)
                    })
                };
                let (from, to) = (where_(l[i].parent, &l), where_(r[j].parent, &r));
                b.push(
                    ChangeKind::TaskMoved,
                    Some(l[i].task),
                    Some(r[j].task),
                    Some("parent"),
                    Some(json!(l[i].parent.map(|p| l[p].task.id.clone()))),
                    Some(json!(r[j].parent.map(|p| r[p].task.id.clone()))),
                    match lang {
                        Lang::En => format!("moved from under {from} to under {to}"),
                        Lang::Zh => format!("从 {from} 之下移到 {to} 之下"),
                    },
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
            contents(&mut b, t, true);
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
