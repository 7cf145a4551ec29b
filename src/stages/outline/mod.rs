//! Stage 5: numbered headings to a tree.
//!
//! Input: the lines of the document body and the marker families. Output: an [`Outline`] of
//! heading nodes (marker, title, own text, span of the whole subtree, children) and diagnostics.
//!
//! A family's depth is set by where it first appears under its parent, so documents that skip a
//! level or order families differently still nest right. A family that is already open
//! continues only with the next ordinal; a family that opens anew starts at 1 or continues the
//! numbering it had before (`1.`–`7.` under one section, `8.` under the next). That guards
//! against false headings such as `2025年…` or `1.7万人…` at the start of a line.

use crate::base::diag::{Code, Diag};
use crate::base::numbers::{arabic_integer, chinese_integer, circled};
use crate::base::segment::Line;
use crate::base::text::{ByteSpan, Text, trim_span};

pub mod reflow;
pub mod rules;

pub use rules::{LineRule, MarkerFamily, MarkerRules, OrdinalKind, TitleMode};

/// A line that starts with a marker of some family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the family in the rules.
    pub family: usize,
    /// The ordinal.
    pub ord: u64,
    /// The marker as printed.
    pub marker: ByteSpan,
    /// The number of the parent heading this marker names (`2.3` in `2.3.1`).
    pub parent: Option<String>,
    /// The trimmed rest of the line after the marker.
    pub rest: ByteSpan,
    /// Whether the marker may only continue a numbering already running (group `weak`).
    pub weak: bool,
}

impl Candidate {
    /// Whether this marker can begin the heading tree.
    pub fn starts(&self) -> bool {
        self.ord == 1 && !self.weak
    }
}

/// One heading of the tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// Dotted path of ordinals among siblings (`2.1.1`).
    pub id: String,
    /// Depth, 1 for top-level headings.
    pub level: usize,
    /// The marker as printed.
    pub marker: ByteSpan,
    /// The title.
    pub title: ByteSpan,
    /// The node's own text: title sentence and body, without the marker and the children.
    pub own: ByteSpan,
    /// From the marker to the end of the last descendant's text.
    pub span: ByteSpan,
    /// Index of the first line of the node.
    pub line: usize,
    /// Line index range of the node's own text (heading line to the line before the first
    /// child or next heading).
    pub own_lines: std::ops::Range<usize>,
    /// Parent node index.
    pub parent: Option<usize>,
    /// Child node indices in order.
    pub children: Vec<usize>,
    /// Marker family index.
    pub family: usize,
    /// Ordinal as printed.
    pub ord: u64,
}

/// The heading tree of a document.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// All nodes in document order.
    pub nodes: Vec<Node>,
    /// Top-level nodes.
    pub roots: Vec<usize>,
}

impl Outline {
    /// Puts the nodes of `first` before this tree's, their ids prefixed by `prefix`: a wrapper
    /// notice's own items, read as a tree of their own, beside the attached document's.
    pub fn prepend(&mut self, first: Outline, prefix: &str) {
        let k = first.nodes.len();
        for n in &mut self.nodes {
            n.parent = n.parent.map(|p| p + k);
            for c in &mut n.children {
                *c += k;
            }
        }
        let mut nodes: Vec<Node> = first
            .nodes
            .into_iter()
            .map(|mut n| {
                n.id.insert_str(0, prefix);
                n
            })
            .collect();
        nodes.append(&mut self.nodes);
        self.nodes = nodes;
        let mut roots = first.roots;
        roots.extend(self.roots.iter().map(|r| r + k));
        self.roots = roots;
    }

    /// Ends each title where the first of `starts[i]` (an attribution of node `i`) begins
    /// inside it, and before the bracket that opens it: `推进节能(牵头单位:…)` is titled `推进节能`.
    pub fn end_titles_before(&mut self, text: &Text, starts: &[Option<usize>]) {
        for (n, start) in self.nodes.iter_mut().zip(starts) {
            let Some(start) = start.filter(|s| n.title.contains(s)) else {
                continue;
            };
            let head = &text.norm()[n.title.start..start];
            let cut = head.rfind(['(', '[']).map_or(start, |i| n.title.start + i);
            n.title = trim_span(text.norm(), n.title.start..cut);
        }
    }
}

/// Reads an ordinal as the family writes it.
fn ordinal(kind: OrdinalKind, s: &str) -> Option<u64> {
    match kind {
        OrdinalKind::Chinese => chinese_integer(s),
        OrdinalKind::Arabic => arabic_integer(s),
        OrdinalKind::Circled => s.chars().next().and_then(circled),
    }
}

/// Whether `s` may be a short title of its own (for families without punctuation).
fn short_title(s: &str) -> bool {
    let n = s.chars().count();
    (1..=30).contains(&n)
        && !s
            .chars()
            .any(|c| matches!(c, '。' | ',' | ';' | ':' | '、' | '!' | '?'))
}

/// What family `f` makes of a trimmed line: the candidate, if its pattern matches and what
/// follows the marker suits the family.
pub fn match_family(
    f: &MarkerFamily,
    index: usize,
    text: &Text,
    content: &ByteSpan,
) -> Option<Candidate> {
    let s = text.normalised(content);
    // Most lines match no family: `is_match` (its first byte, mostly) tells, allocating nothing.
    if !f.regex.is_match(s) {
        return None;
    }
    let caps = f.regex.captures(s)?;
    let m = caps.name("marker")?;
    let ord = ordinal(f.ordinal, caps.name("ord")?.as_str().trim())?;
    let marker = content.start + m.start()..content.start + m.end();
    let rest = trim_span(text.norm(), marker.end..content.end);
    if f.title == TitleMode::ShortLine && !short_title(text.normalised(&rest)) {
        return None;
    }
    Some(Candidate {
        family: index,
        ord,
        marker,
        parent: caps.name("parent").map(|p| p.as_str().to_string()),
        rest,
        weak: caps.name("weak").is_some(),
    })
}

/// Every family whose marker starts `line`, in rule order.
pub fn candidates(text: &Text, line: &Line, families: &[MarkerFamily]) -> Vec<Candidate> {
    if line.is_blank() {
        return Vec::new();
    }
    families
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match_family(f, i, text, &line.content))
        .collect()
}

/// Every line's heading candidates, and what the metadata stage needs to know of them.
#[derive(Debug, Clone, Default)]
pub struct LineMarkers {
    /// The candidates of each line, in rule order (none for a skipped line).
    pub candidates: Vec<Vec<Candidate>>,
    /// Lines whose marker can begin a heading tree (`一、`, or a family that tolerates gaps).
    pub heading_start: Vec<bool>,
    /// Lines that begin with a marker of any family.
    pub marked: Vec<bool>,
}

/// The candidates of every line but those `skip` names (page chrome).
pub fn line_markers(
    text: &Text,
    lines: &[Line],
    skip: impl Fn(usize) -> bool,
    rules: &MarkerRules,
    diags: &mut Vec<Diag>,
) -> LineMarkers {
    let families = &rules.families;
    let mut candidates: Vec<Vec<Candidate>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if skip(i) {
                Vec::new()
            } else {
                candidates(text, l, families)
            }
        })
        .collect();
    if let Some(listed) = contents(text, lines, &candidates, rules) {
        for c in &mut candidates[listed.clone()] {
            c.clear();
        }
        let first = &lines[listed.start].content;
        diags.push(Diag::warning(
            Code::ContentsSkipped,
            format!(
                "lines {}–{} list the headings before the body repeats them (a contents page); they are read as text, not as headings",
                listed.start + 1,
                listed.end
            ),
            Some(first.clone()),
        ));
    }
    let heading_start = candidates
        .iter()
        .map(|c| {
            c.iter()
                .any(|c| c.starts() || (families[c.family].tolerates_gaps && !c.weak))
        })
        .collect();
    let marked = candidates.iter().map(|c| !c.is_empty()).collect();
    LineMarkers {
        candidates,
        heading_start,
        marked,
    }
}

/// What a heading line is listed by in a contents page: its family, ordinal and title without
/// spaces, dots or a trailing page number (`一、总体要求……3`).
fn listing_key(text: &Text, c: &Candidate) -> (usize, u64, String) {
    let title: String = text
        .normalised(&c.rest)
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .collect();
    let title = title.trim_end_matches(|ch: char| {
        ch.is_ascii_digit() || matches!(ch, '.' | '…' | '·' | '-' | '—')
    });
    (c.family, c.ord, title.to_string())
}

/// The lines of a contents page: a run of at least three heading lines with nothing but blank
/// lines between them, at the first heading of the document, whose headings the body then
/// repeats in order (the contents title line above them, if any, included).
fn contents(
    text: &Text,
    lines: &[Line],
    cands: &[Vec<Candidate>],
    rules: &MarkerRules,
) -> Option<std::ops::Range<usize>> {
    let first = cands.iter().position(|c| c.iter().any(Candidate::starts))?;
    let same = |a: &(usize, u64, String), b: &(usize, u64, String)| {
        a.0 == b.0
            && a.1 == b.1
            && !a.2.is_empty()
            && (a.2.starts_with(&b.2) || b.2.starts_with(&a.2))
    };
    let mut run: Vec<(usize, u64, String)> = Vec::new();
    let mut end = first;
    for (i, c) in cands.iter().enumerate().skip(first) {
        if let Some(c) = c.first() {
            let key = listing_key(text, c);
            // The first heading listed again: the body begins.
            if run.first().is_some_and(|k| same(k, &key)) {
                break;
            }
            run.push(key);
            end = i + 1;
        } else if !lines[i].is_blank() {
            break;
        }
    }
    if run.len() < 3 {
        return None;
    }
    // The body repeats the run: its first heading again, then the others in order.
    let later: Vec<(usize, u64, String)> = cands[end..]
        .iter()
        .filter_map(|c| c.first().map(|c| listing_key(text, c)))
        .collect();
    let mut found = 0;
    let mut at = later.iter().position(|k| same(k, &run[0]))?;
    for key in &run {
        match later[at..].iter().position(|k| same(k, key)) {
            Some(j) => {
                found += 1;
                at += j + 1;
            }
            None => break,
        }
    }
    if found * 4 < run.len() * 3 {
        return None;
    }
    // A contents title just above the run belongs to it.
    let above = (0..first).rev().find(|&i| !lines[i].is_blank());
    let start = above
        .filter(|&i| {
            rules
                .contents
                .as_ref()
                .is_some_and(|r| r.regex.is_match(text.normalised(&lines[i].content)))
        })
        .unwrap_or(first);
    Some(start..end)
}

/// The title within the rest of a heading line: the first sentence, without its end
/// punctuation; the whole line when it holds one sentence.
fn title_span(text: &Text, rest: &ByteSpan, mode: TitleMode) -> ByteSpan {
    let s = text.normalised(rest);
    let end = if mode == TitleMode::ShortLine {
        s.len()
    } else {
        s.char_indices()
            .find(|&(_, c)| crate::base::sentence::ends_title(c))
            .map_or(s.len(), |(i, _)| i)
    };
    let head = &s[..end];
    let trimmed = head.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | ',' | '、' | '.' | '。' | ';' | '!' | '?')
    });
    rest.start..rest.start + trimmed.len()
}

/// Where candidate `c` goes: `Ok` with the stack depth it takes (and a note when its numbering
/// is irregular), or `Err` when it is not a heading here (with a note for a strong marker).
fn decide(
    text: &Text,
    families: &[MarkerFamily],
    stack: &[Open],
    last_ord: &[Option<u64>],
    first: bool,
    c: &Candidate,
) -> Result<(usize, Option<Diag>), Option<Diag>> {
    let fam = &families[c.family];
    let marker = text.as_written(&c.marker);
    let note =
        |code: Code, message: String| Some(Diag::warning(code, message, Some(c.marker.clone())));
    let parent_ok = |upto: usize| -> bool {
        match (fam.parent, &c.parent) {
            (None, _) => true,
            (Some(pf), Some(pnum)) => match stack[..upto].iter().rev().find(|o| o.family == pf) {
                Some(o) => &o.number == pnum,
                // Numbered within a heading of another family (`第一章` … `1.1`): the open
                // heading's ordinal is the number the marker names.
                None => stack[..upto]
                    .last()
                    .is_some_and(|o| pnum.parse::<u64>().ok() == Some(o.ord)),
            },
            (Some(_), None) => false,
        }
    };
    if let Some(i) = stack.iter().position(|o| o.family == c.family) {
        let prev = stack[i].ord;
        if !parent_ok(i) {
            Err(None)
        } else if c.ord == prev + 1 {
            Ok((i, None))
        } else if c.weak {
            Err(None)
        } else if c.ord == 1 {
            Ok((
                i,
                note(
                    Code::OrdinalRestart,
                    format!("heading `{marker}` restarts its numbering after {prev}"),
                ),
            ))
        } else if fam.tolerates_gaps && c.ord > prev + 1 && c.ord <= prev + 3 {
            Ok((
                i,
                note(
                    Code::OrdinalGap,
                    format!("heading `{marker}` follows ordinal {prev} (a number is skipped)"),
                ),
            ))
        } else if fam.tolerates_gaps {
            Err(note(
                Code::MarkerOutOfSequence,
                format!(
                    "`{marker}` looks like a heading but does not follow ordinal {prev}; kept as text"
                ),
            ))
        } else {
            Err(None)
        }
    } else {
        let continues =
            (c.ord == 1 && !c.weak) || last_ord[c.family] == Some(c.ord.saturating_sub(1));
        let first_ever = first && fam.tolerates_gaps && !c.weak;
        if !parent_ok(stack.len()) || !(continues || first_ever) {
            Err(None)
        } else if continues {
            Ok((stack.len(), None))
        } else {
            Ok((
                stack.len(),
                note(
                    Code::OrdinalStart,
                    format!("the first heading `{marker}` does not start at 1"),
                ),
            ))
        }
    }
}

/// Ends a box (专栏) before line `end`, saying where its numbered lines went.
fn close_box(
    text: &Text,
    lines: &[Line],
    open_box: &mut Option<(usize, usize)>,
    end: usize,
    out: &Outline,
    diags: &mut Vec<Diag>,
) {
    let Some((start, held)) = open_box.take() else {
        return;
    };
    if held == 0 {
        return;
    }
    let task = out
        .nodes
        .last()
        .map_or_else(|| "no task".to_string(), |n| format!("task {}", n.id));
    diags.push(Diag::warning(
        Code::BoxNotHeadings,
        format!(
            "the box `{}` (lines {}–{}) is read as text of {task}: its {held} numbered lines are not headings of the plan",
            crate::base::display::head(text.as_written(&lines[start].content), 20),
            start + 1,
            end
        ),
        Some(lines[start].content.clone()),
    ));
}

struct Open {
    family: usize,
    ord: u64,
    number: String,
    node: usize,
}

/// Builds the heading tree over the lines of `body` for which `in_body` holds (chrome lines
/// inside the body are skipped), given each line's candidate.
pub fn build(
    text: &Text,
    lines: &[Line],
    body: std::ops::Range<usize>,
    in_body: &dyn Fn(usize) -> bool,
    cands: &[Vec<Candidate>],
    rules: &MarkerRules,
    diags: &mut Vec<Diag>,
) -> Outline {
    let families = &rules.families;
    let mut out = Outline::default();
    // A box (专栏) open since this line, and how many numbered lines it held.
    let mut open_box: Option<(usize, usize)> = None;
    // The depth at which each family has headed so far: the plan's own structure.
    let mut depth_of: Vec<Option<usize>> = vec![None; families.len()];
    let mut stack: Vec<Open> = Vec::new();
    let mut last_ord: Vec<Option<u64>> = vec![None; families.len()];
    // Line index where each node's own text ends (exclusive), filled when the next heading comes.
    let mut own_end_line: Vec<usize> = Vec::new();

    for li in body.clone() {
        if !in_body(li) {
            continue;
        }
        let Some(line_cands) = cands.get(li) else {
            continue;
        };
        let opens_box = line_cands.is_empty()
            && rules
                .box_start
                .as_ref()
                .is_some_and(|b| b.regex.is_match(text.normalised(&lines[li].content)));
        if opens_box {
            close_box(text, lines, &mut open_box, li, &out, diags);
            open_box = Some((li, 0));
            continue;
        }
        let mut chosen = None;
        let mut rejected = None;
        for c in line_cands {
            // In a box only the plan's own next heading is one: it continues a numbering the
            // plan has open, or opens a level with the family the plan uses there.
            let plans = stack
                .iter()
                .any(|o| o.family == c.family && c.ord == o.ord + 1)
                || (c.starts() && depth_of[c.family] == Some(stack.len()));
            if open_box.is_some() && !plans {
                continue;
            }
            match decide(text, families, &stack, &last_ord, out.nodes.is_empty(), c) {
                Ok((level, note)) => {
                    chosen = Some((c, level, note));
                    break;
                }
                Err(note) => rejected = rejected.or(note),
            }
        }
        let Some((c, level, note)) = chosen else {
            match &mut open_box {
                Some((_, held)) if !line_cands.is_empty() => *held += 1,
                _ => diags.extend(rejected),
            }
            continue;
        };
        close_box(text, lines, &mut open_box, li, &out, diags);
        diags.extend(note);
        let fam = &families[c.family];

        // Close the node whose own text this heading ends.
        if let Some(prev) = out.nodes.len().checked_sub(1) {
            own_end_line[prev] = li;
        }
        stack.truncate(level);
        let parent = stack.last().map(|o| o.node);
        let number = match &c.parent {
            Some(p) => format!("{p}.{}", c.ord),
            None => c.ord.to_string(),
        };
        let idx = out.nodes.len();
        let siblings = match parent {
            Some(p) => &mut out.nodes[p].children,
            None => &mut out.roots,
        };
        siblings.push(idx);
        let position = siblings.len();
        let id = match parent {
            Some(p) => format!("{}.{position}", out.nodes[p].id),
            None => position.to_string(),
        };
        let title = title_span(text, &c.rest, fam.title);
        out.nodes.push(Node {
            id,
            level: level + 1,
            marker: c.marker.clone(),
            title,
            own: c.marker.end..c.marker.end,
            span: c.marker.start..c.marker.end,
            line: li,
            own_lines: li..li + 1,
            parent,
            children: Vec::new(),
            family: c.family,
            ord: c.ord,
        });
        own_end_line.push(body.end);
        depth_of[c.family].get_or_insert(level);
        last_ord[c.family] = Some(c.ord);
        stack.push(Open {
            family: c.family,
            ord: c.ord,
            number,
            node: idx,
        });
    }

    close_box(text, lines, &mut open_box, body.end, &out, diags);

    // Own text: from the marker's end to the last non-blank line before the next heading.
    let norm = text.norm();
    for (i, node) in out.nodes.iter_mut().enumerate() {
        let end_line = own_end_line[i];
        let last = (node.line..end_line)
            .rev()
            .find(|&l| !lines[l].is_blank() && in_body(l))
            .unwrap_or(node.line);
        let end = lines[last].content.end.max(node.marker.end);
        node.own = trim_span(norm, node.marker.end..end);
        if node.own.is_empty() {
            node.own = node.marker.end..node.marker.end;
        }
        node.own_lines = node.line..end_line;
        node.span = node.marker.start..end.max(node.marker.end);
    }
    // Subtree spans: a parent ends where its last descendant ends (children come later).
    for i in (0..out.nodes.len()).rev() {
        if let Some(p) = out.nodes[i].parent {
            let end = out.nodes[i].span.end;
            if end > out.nodes[p].span.end {
                out.nodes[p].span.end = end;
            }
        }
    }
    for node in &out.nodes {
        if node.title.is_empty() {
            diags.push(Diag::warning(
                Code::MarkerWithoutTitle,
                format!("heading `{}` has no title", text.as_written(&node.marker)),
                Some(node.marker.clone()),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::segment::lines;

    fn outline(s: &str) -> (Text, Outline, Vec<Diag>) {
        let rules = crate::rules::Rules::embedded().unwrap();
        let t = Text::new(s.to_string());
        let ls = lines(&t);
        let mut d = Vec::new();
        let marks = line_markers(&t, &ls, |_| false, &rules.markers, &mut d);
        let o = build(
            &t,
            &ls,
            0..ls.len(),
            &|_| true,
            &marks.candidates,
            &rules.markers,
            &mut d,
        );
        (t, o, d)
    }

    fn ids(t: &Text, o: &Outline) -> Vec<(String, String, String)> {
        o.nodes
            .iter()
            .map(|n| {
                (
                    n.id.clone(),
                    t.as_written(&n.marker).to_string(),
                    t.as_written(&n.title).to_string(),
                )
            })
            .collect()
    }

    fn id_list(s: &str) -> (Vec<String>, Vec<&'static str>) {
        let (_, o, d) = outline(s);
        (
            o.nodes.iter().map(|n| n.id.clone()).collect(),
            d.iter().map(|d| d.code.as_str()).collect(),
        )
    }

    #[test]
    fn numbered_lines_in_a_box_are_not_headings() {
        let (ids, codes) = id_list(
            "四、主要任务\n（一）强化防灾\n开展排查。\n专栏2　安全生产治本攻坚重点\n　　1．危险化学品。整治园区。\n　　2．烟花爆竹。整治设施。\n（二）提升能力\n1．完善预案。\n",
        );
        assert_eq!(ids, ["1", "1.1", "1.2", "1.2.1"]);
        assert!(codes.contains(&"box-not-headings"), "{codes:?}");
        // A box before a section's first sub-heading ends at it, as the plan uses that family
        // there.
        let (ids, _) = id_list(
            "一、总体要求\n（一）指导思想\n正文。\n二、主要任务\n专栏1　三堤三网\n三堤：建设大堤。\n（一）防洪除涝\n正文。\n",
        );
        assert_eq!(ids, ["1", "1.1", "2", "2.1"]);
    }

    #[test]
    fn a_contents_page_is_no_second_tree() {
        let body = "一、总体要求\n正文。\n二、重点任务\n正文。\n三、保障措施\n正文。\n";
        for listing in [
            "目  录\n一、总体要求……1\n二、重点任务……3\n三、保障措施……9\n\n",
            "一、总体要求\n二、重点任务\n三、保障措施\n",
        ] {
            let (ids, codes) = id_list(&format!("{listing}{body}"));
            assert_eq!(ids, ["1", "2", "3"], "{listing}");
            assert!(codes.contains(&"contents-skipped"), "{codes:?}");
        }
        // Headings in a row that the body does not repeat are headings.
        let (ids, codes) = id_list("一、总体要求\n二、重点任务\n三、保障措施\n四、其他\n正文。\n");
        assert_eq!(ids, ["1", "2", "3", "4"]);
        assert!(!codes.contains(&"contents-skipped"));
    }

    #[test]
    fn nests_by_first_appearance() {
        let (t, o, _) = outline("一、甲\n(一)乙\n1.丙。正文\n2.丁\n(二)戊\n1.己\n二、庚\n1.辛\n");
        let got = ids(&t, &o);
        let want = [
            ("1", "一、", "甲"),
            ("1.1", "(一)", "乙"),
            ("1.1.1", "1.", "丙"),
            ("1.1.2", "2.", "丁"),
            ("1.2", "(二)", "戊"),
            ("1.2.1", "1.", "己"),
            ("2", "二、", "庚"),
            ("2.1", "1.", "辛"),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1.as_str(), g.2.as_str()), w);
        }
    }

    #[test]
    fn continued_numbering_across_sections() {
        let (t, o, _) = outline("一、甲\n（一）乙\n1.a\n2.b\n（二）丙\n3.c\n二、丁\n4.d\n");
        let got: Vec<_> = ids(&t, &o).into_iter().map(|x| x.0).collect();
        assert_eq!(
            got,
            ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "2", "2.1"]
        );
    }

    #[test]
    fn false_headings_are_text() {
        let (t, o, _) =
            outline("一、总体\n2025年，产值达到418亿元。\n1.7万人左右\n一是加强\n二、其他\n");
        let got: Vec<_> = ids(&t, &o).into_iter().map(|x| x.1).collect();
        assert_eq!(got, ["一、", "二、"]);
        assert!(t.as_written(&o.nodes[0].own).contains("1.7万人左右"));
    }

    #[test]
    fn hierarchical_decimal_numbers() {
        let (t, o, _) = outline(
            "1 总则\n1.1本导则。\n1.2 适用\n2 定义\n2.1 绿道\n①甲\n②乙\n2.2 构成\n2.2.1生态\n3绿道设计\n",
        );
        let got: Vec<_> = ids(&t, &o).into_iter().map(|x| (x.0, x.1)).collect();
        let want = [
            ("1", "1"),
            ("1.1", "1.1"),
            ("1.2", "1.2"),
            ("2", "2"),
            ("2.1", "2.1"),
            ("2.1.1", "①"),
            ("2.1.2", "②"),
            ("2.2", "2.2"),
            ("2.2.1", "2.2.1"),
            ("3", "3"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1.as_str()), w);
        }
    }

    #[test]
    fn title_is_first_sentence_or_line() {
        let (t, o, _) = outline(
            "（一）指导思想。\n1.大力发展新能源新材料产业。做好锂电产业\n第一条 为了加强保护，制定本办法。\n",
        );
        let titles: Vec<_> = ids(&t, &o).into_iter().map(|x| x.2).collect();
        assert_eq!(
            titles,
            [
                "指导思想",
                "大力发展新能源新材料产业",
                "为了加强保护，制定本办法"
            ]
        );
    }

    #[test]
    fn spans_nest_and_own_text_excludes_children() {
        let (t, o, _) = outline("一、甲\n正文一\n\n(一)乙\n正文二\n二、丙\n");
        let a = &o.nodes[0];
        let b = &o.nodes[1];
        assert_eq!(t.as_written(&a.own), "甲\n正文一");
        assert_eq!(t.as_written(&b.own), "乙\n正文二");
        assert!(a.span.start <= b.span.start && b.span.end <= a.span.end);
        assert_eq!(t.as_written(&a.span), "一、甲\n正文一\n\n(一)乙\n正文二");
    }

    #[test]
    fn out_of_order_and_repeats_stay_valid() {
        let (t, o, d) = outline("三、甲\n一、乙\n(一)丙\n(一)丁\n");
        assert_eq!(o.nodes.len(), 4, "{:?}", ids(&t, &o));
        assert!(d.iter().any(|x| x.code.as_str() == "ordinal-start"));
        assert!(d.iter().any(|x| x.code.as_str() == "ordinal-restart"));
    }

    #[test]
    fn marker_without_title_is_reported() {
        let (_, o, d) = outline("一、\n正文\n");
        assert_eq!(o.nodes.len(), 1);
        assert!(d.iter().any(|x| x.code.as_str() == "marker-without-title"));
    }
}
