//! Which task of one side is which task of the other: the tasks flattened in document order and
//! aligned by title sequence, then by id and title similarity.

use super::*;

pub(super) struct Flat<'a> {
    pub(super) task: &'a Task,
    pub(super) parent: Option<usize>,
    pub(super) key: String,
}

pub(super) fn flatten(doc: &Document) -> Vec<Flat<'_>> {
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
pub(super) fn align(l: &[Flat], r: &[Flat]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
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
pub(super) fn best_pairs(
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
pub(super) fn marker_shape(m: &str) -> String {
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
