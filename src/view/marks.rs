//! The text with every reading applied as markup, server-side: tasks as nested boxes, and
//! inline marks (blocks, diagnostics, attributions, names, deadlines, targets, skipped
//! numbers) as spans. Offsets are characters, as in the contract, so characters outside the
//! Basic Multilingual Plane count once. Marks that cross a box or each other are split, and
//! every piece after the first is marked as a continuation of the first.

use std::fmt::Write as _;

use super::html::escape_into;

/// The text a page shows: the decoded text, or one rebuilt from a JSON file's task texts
/// with the characters it does not hold unknown.
#[derive(Debug, Clone)]
pub struct PageText {
    pub(super) chars: Vec<char>,
    /// `None` when every character is known.
    pub(super) known: Option<Vec<bool>>,
}

impl PageText {
    /// The whole decoded text.
    pub fn full(text: &str) -> Self {
        PageText {
            chars: text.chars().collect(),
            known: None,
        }
    }

    /// Whether every character is known (the text came from the source document).
    pub fn is_full(&self) -> bool {
        self.known.is_none()
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    fn is_known(&self, i: usize) -> bool {
        self.known
            .as_ref()
            .is_none_or(|k| k.get(i).copied().unwrap_or(false))
    }

    /// Where `needle` first occurs in `[from, to)`, in characters.
    pub(super) fn find(&self, needle: &str, from: usize, to: usize) -> Option<usize> {
        let n: Vec<char> = needle.chars().collect();
        let to = to.min(self.chars.len());
        if n.is_empty() || to < n.len() {
            return None;
        }
        (from..=to - n.len()).find(|&i| self.chars[i..i + n.len()] == n[..])
    }
}

/// How deep an inline mark nests: a lower layer encloses a higher one where both cover a
/// stretch of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Layer {
    Block,
    Diagnostic,
    Title,
    Attribution,
    Name,
    Deadline,
    Target,
    Skipped,
}

/// An inline mark: the opening tag of its first piece, and the class list of the pieces after
/// it (which point back with `data-ref`).
#[derive(Debug, Clone)]
pub(super) struct Mark {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) layer: Layer,
    /// `<span class="…" id="…" …>`.
    pub(super) open: String,
    /// The class of a continuation piece; with `id`, it reads `<span class="{cont}" data-ref="{id}">`.
    pub(super) cont: String,
    pub(super) id: String,
}

/// A task box: its range, opening tag and children.
#[derive(Debug, Clone)]
pub(super) struct BoxNode {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) open: String,
    pub(super) children: Vec<BoxNode>,
}

#[derive(Debug)]
enum Structural {
    Open(String),
    Close,
}

/// Box events in document order, clamped so that they nest whatever the spans say: a child
/// inside its parent, a sibling after the one before.
fn box_events(
    nodes: &[BoxNode],
    mut cursor: usize,
    limit: usize,
    out: &mut Vec<(usize, Structural)>,
) -> usize {
    for n in nodes {
        let start = n.start.clamp(cursor, limit);
        out.push((start, Structural::Open(n.open.clone())));
        let inner_end = n.end.clamp(start, limit);
        let after_children = box_events(&n.children, start, inner_end, out);
        let end = inner_end.max(after_children);
        out.push((end, Structural::Close));
        cursor = end;
    }
    cursor
}

/// The text with boxes, marks and point anchors (`(position, html)`) applied.
pub(super) fn render(
    text: &PageText,
    boxes: &[BoxNode],
    mut marks: Vec<Mark>,
    mut points: Vec<(usize, String)>,
) -> String {
    let len = text.chars.len();
    let mut structural = Vec::new();
    box_events(boxes, 0, len, &mut structural);
    for m in &mut marks {
        m.end = m.end.min(len);
        m.start = m.start.min(m.end);
    }
    // An empty mark is an anchor at its place.
    let (empty, mut marks): (Vec<Mark>, Vec<Mark>) =
        marks.into_iter().partition(|m| m.start == m.end);
    for m in empty {
        points.push((m.start, format!("{}</span>", m.open)));
    }
    marks.sort_by_key(|m| m.start);
    points.sort_by_key(|p| p.0);

    let mut stops: Vec<usize> = vec![0, len];
    stops.extend(structural.iter().map(|e| e.0));
    stops.extend(marks.iter().flat_map(|m| [m.start, m.end]));
    stops.extend(points.iter().map(|p| p.0));
    stops.sort_unstable();
    stops.dedup();

    let mut out = String::with_capacity(len * 3);
    let mut stack: Vec<usize> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut first_done = vec![false; marks.len()];
    let (mut next_mark, mut next_struct, mut next_point) = (0, 0, 0);
    for (k, &p) in stops.iter().enumerate() {
        active.retain(|&i| marks[i].end > p);
        while next_mark < marks.len() && marks[next_mark].start <= p {
            if marks[next_mark].end > p {
                active.push(next_mark);
            }
            next_mark += 1;
        }
        active.sort_by(|&a, &b| {
            let (x, y) = (&marks[a], &marks[b]);
            (x.layer, x.start, std::cmp::Reverse(x.end), a).cmp(&(
                y.layer,
                y.start,
                std::cmp::Reverse(y.end),
                b,
            ))
        });
        let has_struct = next_struct < structural.len() && structural[next_struct].0 == p;
        // Keep the open marks that stay active in the same order; close the rest.
        let keep = if has_struct {
            0
        } else {
            stack
                .iter()
                .zip(&active)
                .take_while(|(a, b)| a == b)
                .count()
        };
        for _ in keep..stack.len() {
            out.push_str("</span>");
        }
        stack.truncate(keep);
        while next_struct < structural.len() && structural[next_struct].0 == p {
            match &structural[next_struct].1 {
                Structural::Open(tag) => out.push_str(tag),
                Structural::Close => out.push_str("</div>"),
            }
            next_struct += 1;
        }
        while next_point < points.len() && points[next_point].0 == p {
            out.push_str(&points[next_point].1);
            next_point += 1;
        }
        for &i in &active[keep..] {
            let m = &marks[i];
            if first_done[i] {
                let _ = write!(out, "<span class=\"{}\" data-ref=\"{}\">", m.cont, m.id);
            } else {
                out.push_str(&m.open);
                first_done[i] = true;
            }
            stack.push(i);
        }
        if let Some(&q) = stops.get(k + 1) {
            // A line break beside a box is the box's own edge: drawn once, not as a blank line.
            let mut from = p;
            if has_struct && text.chars.get(p) == Some(&'\n') {
                from += 1;
            }
            let mut to = q;
            let box_next = structural.get(next_struct).is_some_and(|e| e.0 == q);
            if box_next && to > from && text.chars.get(q - 1) == Some(&'\n') {
                to -= 1;
            }
            push_text(&mut out, text, from, to);
        }
    }
    for _ in 0..stack.len() {
        out.push_str("</span>");
    }
    out
}

/// The characters `[from, to)`, escaped; a run the rebuilt text does not hold is one gap
/// mark where it begins (a line break for one or two characters: the break before a heading).
fn push_text(out: &mut String, text: &PageText, from: usize, to: usize) {
    let mut i = from;
    while i < to {
        if text.is_known(i) {
            let j = (i..to).find(|&j| !text.is_known(j)).unwrap_or(to);
            let s: String = text.chars[i..j].iter().collect();
            escape_into(out, &s);
            i = j;
        } else {
            let run_start = i == 0 || text.is_known(i - 1);
            let j = (i..to).find(|&j| text.is_known(j)).unwrap_or(to);
            if run_start {
                let run = (i..text.chars.len())
                    .find(|&j| text.is_known(j))
                    .unwrap_or(text.chars.len())
                    - i;
                if run <= 2 {
                    out.push('\n');
                } else {
                    let _ = write!(out, "\n<span class=\"gap\" data-chars=\"{run}\">⋯</span>\n");
                }
            }
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, layer: Layer, id: &str) -> Mark {
        Mark {
            start,
            end,
            layer,
            open: format!("<span id=\"{id}\">"),
            cont: "c".into(),
            id: id.into(),
        }
    }

    #[test]
    fn marks_nest_split_and_count_characters() {
        // 𠀀 is one character (two UTF-16 units, four UTF-8 bytes).
        let text = PageText::full("𠀀ab<c>d");
        let boxes = [BoxNode {
            start: 1,
            end: 4,
            open: "<div>".into(),
            children: vec![],
        }];
        let html = render(
            &text,
            &boxes,
            vec![
                mark(0, 2, Layer::Block, "b"),
                mark(2, 6, Layer::Target, "t"),
            ],
            vec![(6, "<i></i>".into())],
        );
        assert_eq!(
            html,
            "<span id=\"b\">𠀀</span><div><span class=\"c\" data-ref=\"b\">a</span><span id=\"t\">b&lt;</span></div><span class=\"c\" data-ref=\"t\">c&gt;</span><i></i>d"
        );
    }

    #[test]
    fn boxes_out_of_order_still_nest() {
        let text = PageText::full("abcdef");
        let boxes = [BoxNode {
            start: 2,
            end: 4,
            open: "<div>".into(),
            children: vec![BoxNode {
                start: 1,
                end: 6,
                open: "<div>".into(),
                children: vec![],
            }],
        }];
        assert_eq!(
            render(&text, &boxes, vec![], vec![]),
            "ab<div><div>cd</div></div>ef"
        );
    }
}
