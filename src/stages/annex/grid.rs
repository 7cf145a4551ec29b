//! Tables a row a line, their cells apart by `|` or by tabs (what the web-page, Word and PDF
//! readers give): cells map to the header's columns by position.
//!
//! A row with fewer cells than the header lacks its first ones (a hand-written `|` table leaves
//! out the cells that span from above); one with more keeps the first. A Markdown rule row
//! (`|---|---|`), the header repeated and a line with a single cell and no 序号 (a group title
//! across the table) are no rows; the table ends at the first line without cells.

use crate::base::segment::Line;
use crate::base::text::{ByteSpan, Text, trim_span};

use super::{Column, FoundRow, Header, Reader, joined};

/// The cells of a line apart by `|` (the empty cells outside outer bars dropped) or by tabs
/// (every cell kept, empty ones too: a spanned place is an empty cell), trimmed; `None` for a
/// line of neither or of one cell.
pub(super) fn cells(text: &Text, line: &Line) -> Option<Vec<ByteSpan>> {
    let norm = text.norm();
    let s = norm.get(line.span.clone())?;
    let bars = memchr::memchr_iter(b'|', s.as_bytes()).count();
    let sep = if bars >= 2 {
        b'|'
    } else if s.contains('\t') {
        b'\t'
    } else {
        return None;
    };
    let base = line.span.start;
    let mut out = Vec::new();
    let mut start = base;
    for i in memchr::memchr_iter(sep, s.as_bytes()) {
        out.push(trim_span(norm, start..base + i));
        start = base + i + 1;
    }
    out.push(trim_span(norm, start..line.span.end));
    if sep == b'|' {
        let t = s.trim();
        if t.starts_with('|') && out.first().is_some_and(|c| c.is_empty()) {
            out.remove(0);
        }
        if t.ends_with('|') && out.last().is_some_and(|c| c.is_empty()) {
            out.pop();
        }
    }
    (out.len() >= 2).then_some(out)
}

/// A Markdown rule row: every cell dashes (and colons).
fn rule_row(text: &Text, cells: &[ByteSpan]) -> bool {
    cells.iter().all(|c| {
        let s = text.normalised(c);
        s.is_empty() || s.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '—'))
    })
}

/// The table whose header is line `at` of `part` (content line indices of one annex): its rows
/// and the index after its last line. `None` when the line is no task table's header.
pub(super) fn table(r: &mut Reader, part: &[usize], at: usize) -> Option<(Vec<FoundRow>, usize)> {
    let head = cells(r.text, &r.lines[part[at]])?;
    let header = Header::new(r.text, &head, r.rules.columns)?;
    let n = header.columns.len();
    let number_col = header.find(Column::Number);
    let mut above: Vec<Option<ByteSpan>> = vec![None; n];
    let mut rows = Vec::new();
    let mut k = at + 1;
    let mut end = k;
    while k < part.len() {
        let li = part[k];
        let Some(mut cs) = cells(r.text, &r.lines[li]) else {
            // A group title across the table (`| 一、实施设备更新行动 |`) is no row; any other
            // line without cells ends the table.
            let s = r.text.normalised(&r.lines[li].content);
            if s.len() > 2 && s.starts_with('|') && s.ends_with('|') {
                k += 1;
                end = k;
                continue;
            }
            break;
        };
        k += 1;
        end = k;
        if rule_row(r.text, &cs) {
            continue;
        }
        let repeated = cs
            .iter()
            .zip(&header.columns)
            .filter(|(c, (role, _))| r.rules.columns.column_of(r.text.normalised(c)) == Some(*role))
            .count();
        if repeated >= 3 {
            continue;
        }
        if cs.len() < n {
            fill_spanned(r, &header, number_col, &mut cs);
        }
        cs.truncate(n);
        let filled_count = cs.iter().filter(|c| !c.is_empty()).count();
        let no_number = number_col.is_none_or(|c| cs[c].is_empty());
        if filled_count == 0 || (filled_count == 1 && no_number && number_col.is_some()) {
            continue;
        }
        let filled: Vec<Option<ByteSpan>> = cs
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                if !c.is_empty() {
                    Some(c)
                } else if header.columns[i].0.spans() {
                    above[i].clone()
                } else {
                    None
                }
            })
            .collect();
        above.clone_from(&filled);
        let number = number_col
            .and_then(|c| filled[c].as_ref())
            .map(|s| joined(r.text, s).trim_end_matches(['.', '、']).to_string());
        let span = r.lines[li].content.clone();
        rows.extend(r.row(&header, filled, number, span));
    }
    Some((rows, end))
}

/// Places the cells of a row with fewer cells than the header: the spanned cells left out are
/// empty. A row that begins with its 序号 keeps it there, and its other cells stand from the
/// task (or content) column on (`| 4 | 加快… |` under `序号 | 领域 | 任务 | 牵头单位`: the
/// 领域 and 牵头单位 cells span from above); any other row lacks its first cells.
fn fill_spanned(r: &Reader, header: &Header, number_col: Option<usize>, cs: &mut Vec<ByteSpan>) {
    let n = header.columns.len();
    let numbered = number_col == Some(0)
        && cs.first().is_some_and(|c| {
            let s = r.text.normalised(c).trim_end_matches(['.', '、']);
            !s.is_empty() && s.chars().all(|ch| ch.is_ascii_digit())
        });
    let work = header
        .find(Column::Task)
        .into_iter()
        .chain(header.find(Column::Content))
        .min();
    let empty = |at: usize| at..at;
    match (numbered, work) {
        (true, Some(t)) if t >= 1 => {
            let rest = cs.split_off(1);
            // From the task column on, shifted left where the row holds more than fit there,
            // or where a cell would stand in a column it does not fit (`| 26 | 领域 | 任务 |`,
            // its 牵头单位 spanning from above: the task is no department).
            let mut from = t.min(n - rest.len()).max(1);
            let misplaced = rest
                .iter()
                .enumerate()
                .any(|(i, c)| !fits(r, header.columns.get(from + i).map(|c| c.0), c));
            if misplaced && from > 1 {
                from -= 1;
            }
            let at = rest.first().map_or(0, |c| c.start);
            cs.extend(std::iter::repeat_n(empty(at), from - 1));
            cs.extend(rest);
            let end = cs.last().map_or(0, |c| c.end);
            cs.resize(n, empty(end));
        }
        _ => {
            let missing = n - cs.len();
            let at = cs.first().map_or(0, |c| c.start);
            cs.splice(0..0, std::iter::repeat_n(empty(at), missing));
        }
    }
}

/// Whether cell `c` may stand in a column of `role`: a department column holds bodies' names, a
/// deadline column a date or a state; any other column takes anything.
fn fits(r: &Reader, role: Option<Column>, c: &ByteSpan) -> bool {
    match role {
        Some(Column::Lead | Column::Participant) => {
            r.rules.departments.names_in(r.text, c).is_some()
        }
        Some(Column::Deadline) => {
            crate::stages::deadlines::read_cell(r.text, c, r.rules.deadlines, r.ctx).is_some()
        }
        _ => true,
    }
}
