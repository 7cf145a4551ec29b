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

/// The columns of an indicator table, read from its header row.
struct Header {
    columns: usize,
    indicator: usize,
    target: usize,
    unit: Option<usize>,
    /// The year the target column names (`2025年目标值`).
    year: Option<i32>,
}

impl Header {
    /// The header of a table in `line`: cells with an indicator and a target column.
    fn read(line: &str, table: &TableRules) -> Option<Header> {
        let cells = cells(line)?;
        let indicator = header_col(&cells, &table.indicator)?;
        let target = cells
            .iter()
            .rposition(|(_, x)| table.target.iter().any(|w| x.contains(w.as_str())))?;
        Some(Header {
            columns: cells.len(),
            indicator,
            target,
            unit: header_col(&cells, &table.unit),
            year: year_in(cells[target].1),
        })
    }
}

/// Reads indicator tables in the lines of a task's text; returns the line ranges read.
pub(super) fn read_tables(
    text: &Text,
    base: usize,
    s: &str,
    rules: &TargetRules,
    out: &mut TaskTargets,
) -> Vec<Range<usize>> {
    let table = &rules.table;
    // Every table, read or only noticed, has an indicator header.
    if table.target.is_empty() || !table.indicator_set.as_ref().is_some_and(|w| w.is_match(s)) {
        return Vec::new();
    }
    let lines = line_ranges(s);
    let line = |i: usize| s.get(lines[i].clone()).unwrap_or("");
    let mut consumed = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let Some(header) = Header::read(line(at), table) else {
            at = match one_cell_per_line(s, &lines, at, table) {
                Some(last) => {
                    out.diags.push(Diag::warning(
                        Code::IndicatorTableNotRead,
                        "an indicator table with one cell per line was not read; its targets are missing".into(),
                        Some(base + lines[at].start..base + lines[at].end),
                    ));
                    last + 1
                }
                None => at + 1,
            };
            continue;
        };
        consumed.push(lines[at].clone());
        at += 1;
        let mut unread = 0;
        while let Some(row) = lines.get(at).and_then(|_| cells(line(at))) {
            let row_at = lines[at].clone();
            consumed.push(row_at.clone());
            at += 1;
            let separator = row
                .iter()
                .all(|(_, c)| c.starts_with('-') || c.starts_with(':'));
            if row.len() != header.columns || separator {
                continue;
            }
            let row = Row {
                at: row_at,
                cells: row,
            };
            match read_row(text, base, s, rules, &header, &row) {
                Some(target) => out.targets.push(target),
                None if !row.cells[header.target].1.is_empty() => unread += 1,
                None => {}
            }
        }
        if unread > 0 {
            out.diags.push(Diag::warning(
                Code::IndicatorTableNotRead,
                format!("{unread} row(s) of an indicator table have no readable target value"),
                Some(base + consumed[0].start..base + consumed[0].end),
            ));
        }
    }
    consumed
}

/// A table with one cell per line, whose header line `at` names an indicator: the line
/// within the next few short ones that names a unit, an attribute or a target column.
fn one_cell_per_line(
    s: &str,
    lines: &[Range<usize>],
    at: usize,
    table: &TableRules,
) -> Option<usize> {
    let line = |i: usize| s.get(lines[i].clone()).unwrap_or("");
    let short = |i: usize| {
        let x = line(i).trim();
        !x.is_empty() && x.chars().count() <= 12 && !x.contains([',', ';', '。', '!', '?'])
    };
    let exact = |i: usize, words: &[String]| words.iter().any(|w| line(i).trim() == w);
    if !short(at)
        || !table
            .indicator
            .iter()
            .any(|w| line(at).contains(w.as_str()))
    {
        return None;
    }
    (at + 1..lines.len())
        .filter(|&i| !line(i).trim().is_empty())
        .take(12)
        .take_while(|&i| short(i))
        .find(|&i| {
            exact(i, &table.unit)
                || exact(i, &table.attribute)
                || table.target.iter().any(|w| line(i).contains(w.as_str()))
        })
}

/// A row of a table: where its line is and its cells (offset in the line, text).
struct Row<'s> {
    at: Range<usize>,
    cells: Vec<(usize, &'s str)>,
}

/// The target of a table row, or `None` when its target cell holds no number.
fn read_row(
    text: &Text,
    base: usize,
    s: &str,
    rules: &TargetRules,
    header: &Header,
    row: &Row,
) -> Option<FoundTarget> {
    let (cell_at, cell) = row.cells[header.target];
    let (skip, mut bound) = leading_bound(cell, rules);
    let body = &cell[skip..];
    let n = numbers::read_numeral(body)?;
    let num_at = row.at.start + cell_at + skip;
    let mut end = num_at + n.len;
    let mut form = rules.unit_at(&body[n.len..]).cloned();
    if let Some(f) = &form {
        end += f.text.len();
    } else if let Some(column) = header.unit {
        form = rules.unit_at(row.cells[column].1).cloned();
    }
    let after = s.get(end..row.at.end).unwrap_or("");
    if let Some(b) = rules.bound_after.as_ref().and_then(|w| w.find(after)) {
        bound = rules.bound_words.get(b.as_str().trim()).copied().or(bound);
    }
    let unit = match (&form, header.unit) {
        (Some(_), _) if end > num_at + n.len => text
            .as_written(&(base + num_at + n.len..base + end))
            .to_string(),
        (_, Some(column)) => row.cells[column].1.to_string(),
        _ => String::new(),
    };
    let m = Mention {
        end,
        form,
        ..Mention::bare(num_at, num_at + n.len, n.value, n.chinese)
    };
    let (indicator_at, indicator) = row.cells[header.indicator];
    let indicator_at = base + row.at.start + indicator_at;
    Some(FoundTarget {
        clause: base + row.at.start..base + row.at.end,
        indicator: text
            .as_written(&(indicator_at..indicator_at + indicator.len()))
            .to_string(),
        value: n.value,
        value_max: None,
        unit,
        si: rules.si(&m),
        year: header.year,
        month: None,
        baseline_year: None,
        kind: TargetKind::Level,
        bound: bound.unwrap_or(Bound::Exact),
        span: base + num_at..base + end,
    })
}

/// The bound a target cell opens with (`不低于`, `≥`): how many bytes it takes, and the bound.
fn leading_bound(cell: &str, rules: &TargetRules) -> (usize, Option<Bound>) {
    let mut skip = 0;
    let mut bound = None;
    if let Some((word, b)) = rules
        .bound_words
        .iter()
        .filter(|(w, _)| cell.starts_with(w.as_str()))
        .max_by_key(|(w, _)| w.len())
    {
        bound = Some(*b);
        skip = word.len();
    }
    for (sym, b) in [
        ("≥", Bound::AtLeast),
        (">", Bound::AtLeast),
        ("≤", Bound::AtMost),
        ("<", Bound::AtMost),
    ] {
        if cell[skip..].starts_with(sym) {
            bound = Some(b);
            skip += sym.len();
        }
    }
    (skip, bound)
}
