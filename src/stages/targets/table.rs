//! Indicator tables (cells separated by `|` or tabs) read row by row: the indicator, target and
//! unit columns from the header, one target per row.
//!
//! Input: a task's own text and the `table` rule. Output: the targets of its tables, the line
//! ranges they take (which the paragraphs then skip), and a diagnostic for a table that could
//! not be read.

use super::*;

use crate::base::numbers;
use crate::base::word_set::WordSet;

#[derive(Debug, Clone, Default)]
pub(super) struct TableRules {
    pub(super) indicator: Vec<String>,
    /// The indicator words as one set: most tasks have none and are passed over at once.
    pub(super) indicator_set: Option<WordSet>,
    pub(super) unit: Vec<String>,
    pub(super) target: Vec<String>,
    pub(super) attribute: Vec<String>,
}

/// The first `19xx年`/`20xx年` in `s`.
fn year_in(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年'
            && w[..4].iter().all(char::is_ascii_digit)
            && (digits.starts_with("19") || digits.starts_with("20")))
        .then(|| digits.parse().ok())
        .flatten()
    })
}

/// Cells of a table row (`| a | b |` or tab-separated), or `None`.
pub(super) fn cells(line: &str) -> Option<Vec<(usize, &str)>> {
    let sep = if line.matches('|').count() >= 2 {
        '|'
    } else if line.contains('\t') {
        '\t'
    } else {
        return None;
    };
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), sep)))
    {
        if c == sep {
            let raw = line.get(start..i).unwrap_or("");
            let lead = raw.len() - raw.trim_start().len();
            out.push((start + lead, raw.trim()));
            start = i + c.len_utf8();
        }
    }
    // Drop the empty cells outside the outer bars.
    if out.first().is_some_and(|(_, c)| c.is_empty()) {
        out.remove(0);
    }
    if out.last().is_some_and(|(_, c)| c.is_empty()) {
        out.pop();
    }
    (out.len() >= 2).then_some(out)
}

fn header_col(cells: &[(usize, &str)], words: &[String]) -> Option<usize> {
    words
        .iter()
        .find_map(|w| cells.iter().position(|(_, c)| c.contains(w.as_str())))
}

/// Reads indicator tables in the lines of a task's text; returns the line ranges read.
pub(super) fn read_tables(
    text: &Text,
    base: usize,
    s: &str,
    rules: &TargetRules,
    out: &mut TaskTargets,
) -> Vec<Range<usize>> {
    let t = &rules.table;
    // Every table, read or only noticed, has an indicator header.
    if t.target.is_empty() || !t.indicator_set.as_ref().is_some_and(|w| w.is_match(s)) {
        return Vec::new();
    }
    let lines = line_ranges(s);
    let mut consumed = Vec::new();
    let mut li = 0;
    let exact = |l: &Range<usize>, words: &[String]| {
        let x = s.get(l.clone()).unwrap_or("").trim();
        words.iter().any(|w| x == w)
    };
    while li < lines.len() {
        let line = s.get(lines[li].clone()).unwrap_or("");
        let header = cells(line).and_then(|c| {
            let ind = header_col(&c, &t.indicator)?;
            let tgt = c
                .iter()
                .rposition(|(_, x)| t.target.iter().any(|w| x.contains(w.as_str())))?;
            Some((
                c.len(),
                ind,
                tgt,
                header_col(&c, &t.unit),
                c[tgt].1.to_string(),
            ))
        });
        let Some((ncols, ind, tgt, unit_col, tgt_header)) = header else {
            // One cell per line: noticed, not read.
            let short = |l: &Range<usize>| {
                let x = s.get(l.clone()).unwrap_or("").trim();
                !x.is_empty() && x.chars().count() <= 12 && !x.contains([',', ';', '。', '!', '?'])
            };
            let names_indicator = |l: &Range<usize>| {
                let x = s.get(l.clone()).unwrap_or("");
                t.indicator.iter().any(|w| x.contains(w.as_str()))
            };
            if short(&lines[li]) && names_indicator(&lines[li]) {
                let later = (li + 1..lines.len())
                    .filter(|&j| !s.get(lines[j].clone()).unwrap_or("").trim().is_empty())
                    .take(12)
                    .take_while(|&j| short(&lines[j]))
                    .find(|&j| {
                        exact(&lines[j], &t.unit)
                            || exact(&lines[j], &t.attribute)
                            || t.target
                                .iter()
                                .any(|w| s.get(lines[j].clone()).unwrap_or("").contains(w.as_str()))
                    });
                if let Some(j) = later {
                    out.diags.push(Diag::warning(
                        "indicator-table-not-read",
                        "an indicator table with one cell per line was not read; its targets are missing".into(),
                        Some(base + lines[li].start..base + lines[li].end),
                    ));
                    li = j + 1;
                    continue;
                }
            }
            li += 1;
            continue;
        };
        let year = year_in(&tgt_header);
        consumed.push(lines[li].clone());
        let mut unread = 0;
        li += 1;
        while li < lines.len() {
            let lr = lines[li].clone();
            let line = s.get(lr.clone()).unwrap_or("");
            let Some(row) = cells(line) else { break };
            consumed.push(lr.clone());
            li += 1;
            if row.len() != ncols
                || row
                    .iter()
                    .all(|(_, c)| c.starts_with('-') || c.starts_with(':'))
            {
                continue;
            }
            let (cell_at, cell) = row[tgt];
            let mut body = cell;
            let mut off = 0;
            let mut bound = None;
            if let Some((w, b)) = rules
                .bound_words
                .iter()
                .filter(|(w, _)| body.starts_with(w.as_str()))
                .max_by_key(|(w, _)| w.len())
            {
                bound = Some(*b);
                off = w.len();
                body = &body[off..];
            }
            for (sym, b) in [
                ("≥", Bound::AtLeast),
                (">", Bound::AtLeast),
                ("≤", Bound::AtMost),
                ("<", Bound::AtMost),
            ] {
                if let Some(rest) = body.strip_prefix(sym) {
                    bound = Some(b);
                    off += sym.len();
                    body = rest;
                }
            }
            let Some(n) = numbers::read_numeral(body) else {
                if !cell.is_empty() {
                    unread += 1;
                }
                continue;
            };
            let num_at = lr.start + cell_at + off;
            let mut end = num_at + n.len;
            let mut form = rules.unit_at(&body[n.len..]).cloned();
            if let Some(f) = &form {
                end += f.text.len();
            } else if let Some(uc) = unit_col {
                form = rules.unit_at(row[uc].1).cloned();
            }
            let after = s.get(end..lr.end).unwrap_or("");
            if let Some(b) = rules.bound_after.as_ref().and_then(|re| re.find(after)) {
                bound = rules.bound_words.get(b.as_str().trim()).copied().or(bound);
            }
            let unit = match (&form, unit_col) {
                (Some(f), _) if end > num_at + n.len => {
                    text.slice(&(base + num_at + n.len..base + end)).to_string()
                }
                (_, Some(uc)) => row[uc].1.to_string(),
                _ => String::new(),
            };
            let m = Mention {
                start: num_at,
                num_end: num_at + n.len,
                unit_start: num_at + n.len,
                end,
                value: n.value,
                value_max: None,
                form,
                chinese: n.chinese,
                year_like: false,
                infix: None,
                unread: false,
            };
            out.targets.push(FoundTarget {
                clause: base + lr.start..base + lr.end,
                indicator: text
                    .slice(
                        &(base + lr.start + row[ind].0
                            ..base + lr.start + row[ind].0 + row[ind].1.len()),
                    )
                    .to_string(),
                value: n.value,
                value_max: None,
                unit,
                si: rules.si(&m),
                year,
                baseline_year: None,
                kind: TargetKind::Level,
                bound: bound.unwrap_or(Bound::Exact),
                span: base + num_at..base + end,
            });
        }
        if unread > 0 {
            out.diags.push(Diag::warning(
                "indicator-table-not-read",
                format!("{unread} row(s) of an indicator table have no readable target value"),
                Some(base + consumed[0].start..base + consumed[0].end),
            ));
        }
    }
    consumed
}
