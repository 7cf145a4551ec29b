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

pub mod rules;

pub use rules::{MarkerFamily, OrdinalKind, TitleMode};

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

/// Characters that end a title sentence.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';')
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
    families: &[MarkerFamily],
) -> LineMarkers {
    let candidates: Vec<Vec<Candidate>> = lines
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

/// The title within the rest of a heading line: the first sentence, without its end
/// punctuation; the whole line when it holds one sentence.
fn title_span(text: &Text, rest: &ByteSpan, mode: TitleMode) -> ByteSpan {
    let s = text.normalised(rest);
    let end = if mode == TitleMode::ShortLine {
        s.len()
    } else {
        s.char_indices()
            .find(|&(_, c)| is_sentence_end(c))
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
            (Some(pf), Some(pnum)) => stack[..upto]
                .iter()
                .rev()
                .find(|o| o.family == pf)
                .is_some_and(|o| &o.number == pnum),
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
    families: &[MarkerFamily],
    diags: &mut Vec<Diag>,
) -> Outline {
    let mut out = Outline::default();
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
        let mut chosen = None;
        let mut rejected = None;
        for c in line_cands {
            match decide(text, families, &stack, &last_ord, out.nodes.is_empty(), c) {
                Ok((level, note)) => {
                    chosen = Some((c, level, note));
                    break;
                }
                Err(note) => rejected = rejected.or(note),
            }
        }
        let Some((c, level, note)) = chosen else {
            diags.extend(rejected);
            continue;
        };
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
        last_ord[c.family] = Some(c.ord);
        stack.push(Open {
            family: c.family,
            ord: c.ord,
            number,
            node: idx,
        });
    }

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
        let cands: Vec<_> = ls
            .iter()
            .map(|l| candidates(&t, l, &rules.markers))
            .collect();
        let mut d = Vec::new();
        let o = build(
            &t,
            &ls,
            0..ls.len(),
            &|_| true,
            &cands,
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
