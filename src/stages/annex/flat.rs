//! Tables written one cell a line (a table copied from a page or a PDF), often with blank
//! lines between cells, a long cell wrapped over two lines, a cell that spans several rows
//! written once, and the header repeated where a page breaks.
//!
//! **Header.** Short lines (at most 16 characters, no sentence punctuation), the first a known
//! header word, up to a line that is `1`: the header's cells, a pair of lines joined where
//! neither is a word but the two are (`完成` / `时限`). A header on one line with its words apart
//! by spaces is read too. It needs a 序号 column.
//!
//! **Rows.** A row starts where the next 序号 — the last one plus one — stands on a line of its
//! own, and runs to the next; the header repeated in between is left out. Its lines are
//! assigned to the columns after 序号 in order by [`assign`], a dynamic program over (line,
//! column) that weighs what each line looks like ([`Kind`]: a date or a state, body names, a
//! sentence, a short title) against each column's role, and allows a cell wrapped over several
//! lines, a column left empty (cheap where the cell spans from the row above, or for 配合单位),
//! the lines after the last cell left out (a group title, a note under the table), and a row
//! whose 序号 spans several rows (the columns after the task start over).

use crate::base::text::{ByteSpan, squash_normalised};
use crate::stages::deadlines;

use super::{Column, FoundRow, Header, Reader, grid, joined, number};

/// What a line of a row looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Only a number.
    Number,
    /// A date or a state at its start, and short (`2025年6月底前`, `持续推进`).
    Date,
    /// Bodies' names and nothing else: how many.
    Names(usize),
    /// One name that may be a place's as well as a body's (`滨江历史风貌区`, `浦东新区`).
    Place,
    /// A sentence, or a long line.
    Sentence,
    /// A short line without sentence punctuation.
    Title,
}

/// How a line ends: what it says about the next line continuing its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    /// Without punctuation: the cell may go on.
    Open,
    /// With `、` `,` `;`: a list or a sentence that goes on.
    List,
    /// With `。` `!` `?`.
    Stop,
}

/// The cost of a line of `kind` in a column of `role`.
fn fit(kind: Kind, role: Column) -> f64 {
    use Column as C;
    match (kind, role) {
        (_, C::Other) => 1.0,
        (_, C::Number) => 4.0,
        (Kind::Date, C::Deadline) => 0.0,
        (Kind::Date, C::Content) | (Kind::Number, C::Content | C::Deadline) => 2.0,
        (Kind::Date | Kind::Number, _) => 3.5,
        (Kind::Names(_), C::Lead | C::Participant) => 0.0,
        (Kind::Names(1), C::Task) => 1.0,
        (Kind::Names(1), C::Group) => 1.5,
        (Kind::Names(1), C::Content) => 2.0,
        (Kind::Names(_), C::Content) => 2.5,
        (Kind::Place, C::Group | C::Task | C::Lead | C::Participant) => 0.5,
        (Kind::Place, C::Content) => 1.0,
        (Kind::Place, C::Deadline) => 3.5,
        (Kind::Names(_), _) => 3.5,
        (Kind::Sentence, C::Content) => 0.0,
        (Kind::Sentence, C::Task) => 1.5,
        (Kind::Sentence, _) => 3.5,
        (Kind::Title, C::Task) => 0.0,
        (Kind::Title, C::Group) => 0.5,
        (Kind::Title, C::Content) => 0.8,
        (Kind::Title, _) => 3.0,
    }
}

/// The cost of leaving a column empty in a row; `above` says whether the row above has the
/// cell, which a spanning cell then is.
fn skip(role: Column, above: bool) -> f64 {
    match role {
        Column::Group => 0.3,
        Column::Task if above => 1.0,
        Column::Task => 3.0,
        Column::Content => 2.0,
        Column::Lead if above => 1.5,
        Column::Lead => 3.0,
        Column::Participant => 0.6,
        Column::Deadline if above => 1.0,
        Column::Deadline => 2.0,
        Column::Number => 0.0,
        Column::Other => 0.2,
    }
}

/// The cost of line `here` going on with the cell of line `before`. A short line without end
/// punctuation followed by a much longer one costs more in any column: the first line of a
/// wrapped cell is as long as its column allows, and a title-like line over a long one is more
/// likely a cell of its own (a group's or a task's) than the start of a paragraph.
fn wrap(role: Column, before: &LineInfo, here: &LineInfo) -> f64 {
    let (end, kind) = (before.end, here.kind);
    let half = 0.5 * fit(kind, role);
    let uneven = if end == End::Open && before.chars < 16 && here.chars >= 2 * before.chars + 4 {
        0.8
    } else {
        0.0
    };
    uneven
        + match (role, end) {
            (Column::Content, End::Stop) => 0.4 + half,
            (Column::Content, _) => 0.1 + half,
            (Column::Task | Column::Group, End::List) => 0.5 + half,
            (Column::Task | Column::Group, End::Open) => 0.8 + half,
            (Column::Task | Column::Group, End::Stop) => 1.8 + half,
            (Column::Lead | Column::Participant, End::List) => fit(kind, role),
            // A lead cell holds fewer names than a participant cell.
            (Column::Lead, End::Open) => 1.2 + fit(kind, role),
            (Column::Participant, End::Open) => 0.8 + fit(kind, role),
            (Column::Lead | Column::Participant, End::Stop) => 2.0 + fit(kind, role),
            (Column::Deadline, _) => 1.5 + half,
            (Column::Other | Column::Number, _) => 0.5,
        }
}

/// The cost of a cell ending on a line that ends `end`: one ending in `、` or `,` goes on.
fn close(end: End) -> f64 {
    if end == End::List { 1.0 } else { 0.0 }
}

/// What [`assign`] knows of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineInfo {
    /// What it looks like.
    pub(super) kind: Kind,
    /// How it ends.
    pub(super) end: End,
    /// Its length in characters.
    pub(super) chars: usize,
}

/// The cost of leaving a line out of the row (after its last cell).
const DROP: f64 = 1.5;
/// The cost of starting a row over within one 序号 (its columns after the task).
const RESTART: f64 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    /// Into a later column.
    Next,
    /// Into the cell of the line before.
    Wrap,
    /// Into a column of a new row under the same 序号.
    Restart,
    /// Left out.
    Drop,
}

/// Where each line of a row goes: `Some((sub_row, column))` with columns indexing `roles`
/// (the columns after 序号), or `None` for a line left out. `above[c]`: the row above has a
/// cell in column `c`. In a table without a content column, the task column holds the text
/// and fits a sentence as well as a title.
pub(super) fn assign(
    info: &[LineInfo],
    roles: &[Column],
    above: &[bool],
) -> Vec<Option<(usize, usize)>> {
    let m = info.len();
    let k = roles.len();
    let text_in_task = !roles.contains(&Column::Content);
    let fit = |kind: Kind, role: Column| {
        if text_in_task && role == Column::Task {
            fit(kind, Column::Task).min(fit(kind, Column::Content))
        } else {
            fit(kind, role)
        }
    };
    let wrap = |role: Column, before: &LineInfo, here: &LineInfo| {
        if text_in_task && role == Column::Task {
            wrap(Column::Task, before, here).min(wrap(Column::Content, before, here))
        } else {
            wrap(role, before, here)
        }
    };
    // States: 0 before any cell, 1..=k the column (s - 1) of the last line, k + 1 lines
    // left out.
    let states = k + 2;
    let skips: Vec<f64> = roles.iter().zip(above).map(|(&r, &a)| skip(r, a)).collect();
    // The skips of the columns from `c` on.
    let mut tail = vec![0.0; k + 1];
    for c in (0..k).rev() {
        tail[c] = tail[c + 1] + skips[c];
    }
    // The first column a row under the same 序号 has of its own.
    let own = roles
        .iter()
        .position(|r| !matches!(r, Column::Group | Column::Task))
        .unwrap_or(k);
    let mut cost = vec![f64::INFINITY; (m + 1) * states];
    let mut back: Vec<(usize, Move)> = vec![(0, Move::Drop); (m + 1) * states];
    cost[0] = 0.0;
    let idx = |i: usize, s: usize| i * states + s;
    for i in 0..m {
        for s in 0..states {
            let base = cost[idx(i, s)];
            if !base.is_finite() {
                continue;
            }
            let mut relax = |s2: usize, c: f64, mv: Move| {
                let at = idx(i + 1, s2);
                if c < cost[at] {
                    cost[at] = c;
                    back[at] = (s, mv);
                }
            };
            if s == k + 1 {
                relax(k + 1, base + DROP, Move::Drop);
                continue;
            }
            let here = &info[i];
            // A cell that ends here when the line before ends in `、`.
            let closing = if s >= 1 { close(info[i - 1].end) } else { 0.0 };
            let mut skipped = closing;
            for c in s..k {
                relax(c + 1, base + skipped + fit(here.kind, roles[c]), Move::Next);
                skipped += skips[c];
            }
            if s >= 1 {
                let c = s - 1;
                relax(s, base + wrap(roles[c], &info[i - 1], here), Move::Wrap);
                relax(k + 1, base + closing + tail[c + 1] + DROP, Move::Drop);
                let mut skipped = closing;
                for (c2, &role) in roles.iter().enumerate().take(c + 1).skip(own) {
                    let v = base + tail[c + 1] + RESTART + skipped + fit(here.kind, role);
                    relax(c2 + 1, v, Move::Restart);
                    skipped += skip(role, true);
                }
            }
        }
    }
    let finish = |s: usize| match s {
        0 => tail[0],
        s if s == k + 1 => 0.0,
        s => tail[s],
    };
    let Some(mut s) = (0..states)
        .filter(|&s| cost[idx(m, s)].is_finite())
        .min_by(|&a, &b| (cost[idx(m, a)] + finish(a)).total_cmp(&(cost[idx(m, b)] + finish(b))))
    else {
        return vec![None; m];
    };
    let mut moves = vec![(0usize, Move::Drop); m];
    for i in (1..=m).rev() {
        let (prev, mv) = back[idx(i, s)];
        moves[i - 1] = (s, mv);
        s = prev;
    }
    let mut sub = 0;
    moves
        .into_iter()
        .map(|(s, mv)| match mv {
            Move::Drop => None,
            Move::Restart => {
                sub += 1;
                Some((sub, s - 1))
            }
            Move::Next | Move::Wrap => Some((sub, s - 1)),
        })
        .collect()
}

/// The longest a header cell's line may be, in characters.
const HEADER_CHARS: usize = 16;
/// The most lines a header may take.
const HEADER_LINES: usize = 14;

/// A flattened table's header: its columns, the lines it takes (squashed, to know it repeated)
/// and the index in `part` of its first row's `1`.
struct FlatHeader {
    header: Header,
    lines: Vec<String>,
    first_row: usize,
}

impl Reader<'_> {
    /// What a line of a row looks like.
    fn kind(&self, li: usize) -> Kind {
        let span = &self.lines[li].content;
        let s = self.text.normalised(span);
        if number(s).is_some() {
            return Kind::Number;
        }
        let chars = s.chars().count();
        if chars <= 24
            && !s.contains('。')
            && deadlines::starts_with_date(self.text, span, self.rules.deadlines, self.ctx)
        {
            return Kind::Date;
        }
        if let Some(n) = self.rules.departments.names_in(self.text, span) {
            if n == 1 && self.rules.columns.place_like(s) {
                return Kind::Place;
            }
            return Kind::Names(n);
        }
        // A clause that goes on (`…设置，`) is part of a sentence, not a title.
        if s.contains(['。', ';', '!', '?'])
            || s.ends_with(',')
            || chars > 25
            || (chars > 12 && s.contains(','))
        {
            Kind::Sentence
        } else {
            Kind::Title
        }
    }

    fn info(&self, li: usize) -> LineInfo {
        let s = self.s(li);
        LineInfo {
            kind: self.kind(li),
            end: match s.chars().last() {
                Some('、' | ',' | ';') => End::List,
                Some('。' | '!' | '?') => End::Stop,
                _ => End::Open,
            },
            chars: s.chars().count(),
        }
    }

    /// A line that may be a header cell: short, no sentence punctuation, no number.
    fn header_like(&self, li: usize) -> bool {
        let s = self.s(li);
        s.chars().count() <= HEADER_CHARS
            && !s.contains(['。', ',', ';', ':', '、'])
            && number(s).is_none()
    }

    /// The header of a flattened table that begins at `part[at]`.
    fn flat_header(&self, part: &[usize], at: usize) -> Option<FlatHeader> {
        let columns = self.rules.columns;
        let first = part[at];
        let s = self.s(first);
        let squashed = |li: usize| squash_normalised(self.s(li)).into_owned();
        // Words apart by spaces on one line.
        if s.contains([' ', '\t']) {
            let span = &self.lines[first].content;
            let mut cells = Vec::new();
            let mut start = span.start;
            for (i, c) in s.char_indices() {
                if c == ' ' || c == '\t' {
                    if start < span.start + i {
                        cells.push(start..span.start + i);
                    }
                    start = span.start + i + c.len_utf8();
                }
            }
            if start < span.end {
                cells.push(start..span.end);
            }
            let header = Header::new(self.text, &cells, columns)?;
            let next = at + 1;
            let ok = header.find(Column::Number).is_some()
                && part
                    .get(next)
                    .is_some_and(|&li| number(self.s(li)) == Some(1));
            return ok.then(|| FlatHeader {
                header,
                lines: vec![squashed(first)],
                first_row: next,
            });
        }
        columns.column_of(s)?;
        let mut end = at;
        while end < part.len() && end - at < HEADER_LINES && self.header_like(part[end]) {
            end += 1;
        }
        let is_one = |k: usize| part.get(k).is_some_and(|&li| number(self.s(li)) == Some(1));
        // The first row begins at `1`, or after a group's title (`行动一：…`) where the first
        // column is a group's.
        let first_row = if is_one(end) {
            end
        } else if is_one(end + 1) {
            end + 1
        } else {
            return None;
        };
        let mut cells: Vec<ByteSpan> = Vec::new();
        let mut j = at;
        while j < end {
            let here = &self.lines[part[j]].content;
            if columns.column_of(self.text.normalised(here)).is_none() && j + 1 < end {
                let next = &self.lines[part[j + 1]].content;
                let both = format!("{}{}", self.s(part[j]), self.s(part[j + 1]));
                if columns.column_of(&both).is_some() {
                    cells.push(here.start..next.end);
                    j += 2;
                    continue;
                }
            }
            cells.push(here.clone());
            j += 1;
        }
        let header = Header::new(self.text, &cells, columns)?;
        let number_col = header.find(Column::Number)?;
        if first_row > end && header.find(Column::Group).is_none_or(|g| g > number_col) {
            return None;
        }
        Some(FlatHeader {
            header,
            lines: part[at..end].iter().map(|&li| squashed(li)).collect(),
            first_row,
        })
    }

    /// Whether `part[at..]` repeats the header's lines.
    fn repeats(&self, part: &[usize], at: usize, lines: &[String]) -> bool {
        lines.iter().enumerate().all(|(k, want)| {
            part.get(at + k)
                .is_some_and(|&li| squash_normalised(self.s(li)) == want.as_str())
        })
    }

    /// Whether another table begins at `part[at]`.
    fn table_starts(&self, part: &[usize], at: usize) -> bool {
        let li = part[at];
        grid::cells(self.text, &self.lines[li])
            .is_some_and(|c| Header::new(self.text, &c, self.rules.columns).is_some())
            || self.flat_header(part, at).is_some()
    }
}

/// The flattened table whose header begins at line `at` of `part` (content line indices of
/// one annex): its rows and the index after its last row's last line. `None` when no such
/// table begins there.
pub(super) fn table(r: &mut Reader, part: &[usize], at: usize) -> Option<(Vec<FoundRow>, usize)> {
    let FlatHeader {
        header,
        lines: header_lines,
        first_row,
    } = r.flat_header(part, at)?;
    let number_col = header.find(Column::Number)?;
    let data: Vec<usize> = (0..header.columns.len())
        .filter(|&c| c != number_col)
        .collect();
    let roles: Vec<Column> = data.iter().map(|&c| header.columns[c].0).collect();
    let mut above: Vec<Option<ByteSpan>> = vec![None; header.columns.len()];
    let mut rows = Vec::new();
    let mut end = first_row + 1;
    let mut cur = first_row;
    let mut n = 1;
    loop {
        let mut body = Vec::new();
        let mut j = cur + 1;
        let mut next_row = None;
        while j < part.len() {
            if number(r.s(part[j])) == Some(n + 1) {
                next_row = Some(j);
                break;
            }
            if r.repeats(part, j, &header_lines) {
                j += header_lines.len();
                continue;
            }
            if r.table_starts(part, j) {
                break;
            }
            body.push(part[j]);
            j += 1;
        }
        let info: Vec<LineInfo> = body.iter().map(|&li| r.info(li)).collect();
        let has_above: Vec<bool> = data.iter().map(|&c| above[c].is_some()).collect();
        let placed = assign(&info, &roles, &has_above);
        let number_line = part[cur];
        let printed = joined(r.text, &r.lines[number_line].content)
            .trim_end_matches(['.', '、'])
            .to_string();
        let subs = placed
            .iter()
            .flatten()
            .map(|&(s, _)| s + 1)
            .max()
            .unwrap_or(1);
        for sub in 0..subs {
            let mut cells: Vec<Option<ByteSpan>> = vec![None; header.columns.len()];
            cells[number_col] = Some(r.lines[number_line].content.clone());
            let mut first: Option<usize> = (sub == 0).then_some(r.lines[number_line].content.start);
            let mut last = r.lines[number_line].content.end;
            for (&li, p) in body.iter().zip(&placed) {
                let Some((s, c)) = *p else { continue };
                if s != sub {
                    continue;
                }
                let line = &r.lines[li].content;
                let col = data[c];
                cells[col] = Some(match &cells[col] {
                    Some(prev) => prev.start..line.end,
                    None => line.clone(),
                });
                first.get_or_insert(line.start);
                last = last.max(line.end);
            }
            for (c, cell) in cells.iter_mut().enumerate() {
                if cell.is_none() && header.columns[c].0.spans() {
                    cell.clone_from(&above[c]);
                }
            }
            above.clone_from(&cells);
            let span = first.unwrap_or(last)..last;
            rows.extend(r.row(&header, cells, Some(printed.clone()), span));
        }
        // The table reaches past the row's last line that went into a cell.
        let last_placed = body
            .iter()
            .zip(&placed)
            .rev()
            .find(|(_, p)| p.is_some())
            .map(|(&li, _)| li);
        let last_line = last_placed.unwrap_or(number_line);
        end = part
            .iter()
            .position(|&li| li == last_line)
            .map_or(end, |p| p + 1);
        match next_row {
            Some(j) => {
                cur = j;
                n += 1;
            }
            None => break,
        }
    }
    Some((rows, end))
}
