//! Line structure repaired before any stage reads lines.
//!
//! Input: the decoded text and the marker families. Output: the text every later stage reads
//! (the text `zhengce text` prints and spans index), with its line structure repaired where it
//! was lost or broken, and a diagnostic for each kind of repair:
//! - **hard-wrapped text** (a PDF's or a terminal's fixed width: nearly every full line has the
//!   same length and none is longer) has each full line joined with the next, so that no
//!   sentence, name or indicator is cut at a wrap (`lines-rejoined`);
//! - **a marker on a line of its own** (`三、` / title, `（` / `十一` / `）`) is joined with the
//!   line it numbers (`lines-rejoined`);
//! - **lost line structure** (a whole document, or most of it, on a few very long lines) has
//!   its headings put on lines of their own where the marker is unambiguous: `第X章/节/条`
//!   always, other families where they continue the numbering and follow a sentence end or a
//!   heading's title (`headings-split`).
//!
//! Text that needs none of this is returned as it is, so every other document reads as before.

use std::ops::Range;

use crate::base::diag::{Code, Diag};
use crate::base::text::Text;

use super::{MarkerRules, match_family};

/// A line this long, in characters, counts as one that holds a document's lost structure.
const LONG_LINE_CHARS: usize = 400;
/// How far a heading's title may run, in characters, before a marker that follows it directly
/// (`一、总体要求（一）指导思想…`).
const TITLE_CHARS: usize = 30;
/// Lines of at least this many characters tell a wrapping width.
const MIN_WRAP_CHARS: usize = 16;

/// The text with its line structure repaired, and what was done. `tables` are byte ranges of
/// whole lines that a reader marked as table rows: they are left as they are, and returned as
/// ranges of the repaired text.
pub fn reflow(
    text: String,
    tables: Vec<Range<usize>>,
    rules: &MarkerRules,
) -> (String, Vec<Range<usize>>, Vec<Diag>) {
    let mut diags = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let starts = line_starts(&lines);
    let in_table = |i: usize| tables.iter().any(|t| t.contains(&starts[i]));
    let width = wrap_width(&lines);
    let mut joins = Vec::new();
    if let Some(w) = width {
        joins.extend(wrapped_joins(&lines, w, rules));
    }
    joins.extend(marker_joins(&lines, rules));
    joins.sort_unstable();
    joins.dedup();
    if !tables.is_empty() {
        joins.retain(|&i| !in_table(i) && !in_table(i + 1));
    }
    let mut splits = if width.is_none() && lost_structure(&lines) {
        heading_splits(&text, rules)
    } else {
        Vec::new()
    };
    splits.retain(|c| !tables.iter().any(|t| t.contains(c)));
    if joins.is_empty() && splits.is_empty() {
        return (text, tables, diags);
    }
    if !joins.is_empty() {
        let how = width.map_or(String::new(), |w| {
            format!(", the text being wrapped at {w} characters")
        });
        diags.push(Diag::warning(
            Code::LinesRejoined,
            format!(
                "{} line breaks inside sentences or after a lone marker were removed{how}",
                joins.len()
            ),
            None,
        ));
    }
    if !splits.is_empty() {
        diags.push(Diag::warning(
            Code::HeadingsSplit,
            format!(
                "{} headings inside long lines were put on lines of their own",
                splits.len()
            ),
            None,
        ));
    }
    let removed = removed_ranges(&lines, &starts, &joins);
    let moved = |x: usize, split_at_x_counts: bool| {
        let added = splits
            .iter()
            .filter(|&&c| c < x || (split_at_x_counts && c == x))
            .count();
        let gone: usize = removed.iter().filter(|r| r.end <= x).map(|r| r.len()).sum();
        x + added - gone
    };
    let tables = tables
        .iter()
        .map(|t| moved(t.start, true)..moved(t.end, false))
        .collect();
    (edit(&text, &removed, &splits), tables, diags)
}

/// The byte offset at which each line starts.
fn line_starts(lines: &[&str]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for l in lines {
        starts.push(at);
        at += l.len() + 1;
    }
    starts
}

/// What each join removes: the break after line `i` with the spaces around it, in order.
fn removed_ranges(lines: &[&str], starts: &[usize], joins: &[usize]) -> Vec<Range<usize>> {
    let mut removed: Vec<Range<usize>> = joins
        .iter()
        .map(|&i| {
            let here = lines[i];
            let from = starts[i] + here.trim_end().len();
            let next = lines[i + 1];
            let to = starts[i + 1] + (next.len() - next.trim_start().len());
            from..to
        })
        .collect();
    removed.sort_by_key(|r| r.start);
    removed
}

/// The width a hard-wrapped text was wrapped at: the commonest length of its long lines, when
/// many lines have it and none is longer by more than a character.
fn wrap_width(lines: &[&str]) -> Option<usize> {
    let lens: Vec<usize> = lines
        .iter()
        .map(|l| l.trim_end().chars().count())
        .filter(|&n| n >= MIN_WRAP_CHARS)
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for &n in &lens {
        *counts.entry(n).or_insert(0usize) += 1;
    }
    let (&w, _) = counts.iter().max_by_key(|&(&n, &c)| (c, n))?;
    let full = lens.iter().filter(|&&n| n + 1 >= w && n <= w).count();
    let longer = lens.iter().filter(|&&n| n > w + 1).count();
    (full >= 6 && full * 10 >= lens.len() * 4 && longer * 50 <= lens.len()).then_some(w)
}

/// Whether a line starts with a heading marker of some family (after its indent).
fn starts_heading(line: &str, rules: &MarkerRules) -> bool {
    let t = Text::new(line.trim().to_string());
    let span = 0..t.norm().len();
    rules
        .families
        .iter()
        .enumerate()
        .any(|(i, f)| match_family(f, i, &t, &span).is_some_and(|c| !c.weak))
}

/// Line indices `i` whose break to line `i + 1` a wrap made: line `i` is full and line
/// `i + 1` goes on (no heading starts there, and neither line is blank).
fn wrapped_joins(lines: &[&str], width: usize, rules: &MarkerRules) -> Vec<usize> {
    (0..lines.len().saturating_sub(1))
        .filter(|&i| {
            let here = lines[i].trim_end();
            let next = lines[i + 1].trim();
            here.chars().count() + 1 >= width && !next.is_empty() && !starts_heading(next, rules)
        })
        .collect()
}

/// Line indices `i` that hold only a marker, or a piece of one, to be joined with the next
/// line: `三、` then its title; `（`, `十一`, `）` on three lines.
fn marker_joins(lines: &[&str], rules: &MarkerRules) -> Vec<usize> {
    let mut out = Vec::new();
    for i in 0..lines.len().saturating_sub(1) {
        let here = lines[i].trim();
        // A marker alone is a few characters: most lines are passed over here.
        if here.is_empty() || here.len() > 18 {
            continue;
        }
        let next = lines[i + 1].trim();
        if next.is_empty() {
            continue;
        }
        let opening = matches!(here, "(" | "（");
        let numeral = here
            .chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十百".contains(c))
            && (next.starts_with([')', '）', '、', '.', '．']));
        let lone_marker = {
            let t = Text::new(here.to_string());
            let span = 0..t.norm().len();
            rules.families.iter().enumerate().any(|(k, f)| {
                match_family(f, k, &t, &span).is_some_and(|c| c.rest.is_empty() && !c.weak)
            }) && !starts_heading(next, rules)
        };
        if opening || numeral || lone_marker {
            out.push(i);
        }
    }
    out
}

/// Whether most of the text stands on a few very long lines.
fn lost_structure(lines: &[&str]) -> bool {
    let lens: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
    let total: usize = lens.iter().sum();
    let long: usize = lens.iter().filter(|&&n| n >= LONG_LINE_CHARS).sum();
    total >= 1000 && long * 10 >= total * 6
}

/// Byte offsets (in the original text) where a heading starts inside a long line.
fn heading_splits(text: &str, rules: &MarkerRules) -> Vec<usize> {
    let t = Text::new(text.to_string());
    let norm = t.norm();
    let mut out = Vec::new();
    let mut last_ord: Vec<Option<u64>> = vec![None; rules.families.len()];
    let mut line_start = 0;
    for line in norm.split('\n') {
        let base = line_start;
        line_start += line.len() + 1;
        if line.chars().count() < LONG_LINE_CHARS {
            continue;
        }
        // Where the last heading's marker ended: a marker may follow its title directly.
        let mut title_from: Option<usize> = None;
        let mut prev = None;
        for (i, c) in line.char_indices() {
            // A sentence end, or the bracket that closes an attribution after one.
            let after_end = matches!(prev, Some('。' | ';' | ':' | '!' | '?' | ')' | ']'));
            let after_title = title_from.is_some_and(|from| {
                line.get(from..i).is_some_and(|title| {
                    title.chars().count() <= TITLE_CHARS
                        && !title.contains(['。', ',', ';', ':', '!', '?', '、'])
                })
            });
            prev = Some(c);
            if i > 0 && !(after_end || after_title) {
                continue;
            }
            let rest = base + i..base + line.len();
            let found = rules
                .families
                .iter()
                .enumerate()
                .find_map(|(k, f)| match_family(f, k, &t, &rest));
            let Some(cand) = found else {
                continue;
            };
            let fam = &rules.families[cand.family];
            let always = fam.tolerates_gaps && t.normalised(&cand.marker).starts_with('第');
            let continues = !cand.weak
                && (cand.ord == 1 || last_ord[cand.family] == Some(cand.ord.saturating_sub(1)));
            if always || continues {
                last_ord[cand.family] = Some(cand.ord);
                // A line that starts with the marker needs no break.
                if i > 0 {
                    out.push(t.orig_offset(base + i));
                }
                title_from = Some(cand.marker.end - base);
            }
        }
    }
    out
}

/// The text without the `removed` ranges (breaks with the indent after them) and with a break
/// put before each offset of `splits`.
fn edit(text: &str, removed: &[Range<usize>], splits: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + splits.len());
    let mut pos = 0;
    let mut cuts = splits.iter().peekable();
    for r in removed.iter().cloned() {
        while let Some(&&c) = cuts.peek() {
            if c > r.start {
                break;
            }
            out.push_str(&text[pos..c]);
            out.push('\n');
            pos = c;
            cuts.next();
        }
        out.push_str(&text[pos..r.start]);
        pos = r.end;
    }
    for &c in cuts {
        if c >= pos {
            out.push_str(&text[pos..c]);
            out.push('\n');
            pos = c;
        }
    }
    out.push_str(&text[pos..]);
    out
}
