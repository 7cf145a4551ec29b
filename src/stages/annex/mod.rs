//! Stage 6c: the rows of annex task tables (重点任务分工表).
//!
//! Input: the lines of the annexes (those the layout marks [`LineKind::Annex`]), the header
//! words of `rules/annex.toml`, the department and deadline rules for the cells, and the titles
//! of the body's tasks. Output: one [`FoundRow`] per table row — its printed 序号, its cells
//! under their headers, its task, lead and participating departments, its deadline, the body
//! task it restates — and an `annex-not-read` diagnostic for each annex that holds no table
//! (a list of the annexes above them, `附件：1.… 2.…`, is none).
//!
//! An annex runs from a line the `annex` cue of `meta.toml` matches (`附件2`) to the next. A
//! table in it is found by its header ([`rules::AnnexRules::column_of`]), in two shapes:
//! - **rows a line**, cells apart by `|` or tabs (what the web-page, Word and PDF readers give):
//!   cells map to the header's columns by position (`grid.rs`);
//! - **one cell a line**, as a table copied from a page flattens: rows start where the next
//!   序号 stands on a line of its own, and a row's lines are assigned to columns by what each
//!   looks like (`flat.rs`).
//!
//! In both, a cell of a column that spans rows (group, task, lead, deadline: see
//! [`Column::spans`]) left empty takes the cell above it.
//!
//! [`LineKind::Annex`]: crate::stages::meta::LineKind::Annex

use rustc_hash::FxHashMap;

use crate::base::diag::{Code, Diag};
use crate::base::segment::Line;
use crate::base::text::{ByteSpan, Text};
use crate::model::Role;
use crate::stages::deadlines::{self, Context, DeadlineRules, FoundDeadline};
use crate::stages::departments::{Convention, DepartmentRules};
use crate::stages::meta::Cue;

mod flat;
mod grid;
pub mod rules;
mod similar;

pub use rules::{AnnexRules, Column};

/// What tables are read with: the header words, the annex cue, and the rules for cells.
#[derive(Debug, Clone, Copy)]
pub struct TableRules<'a> {
    /// The header words of `annex.toml`.
    pub columns: &'a AnnexRules,
    /// Where an annex begins (`meta.toml`'s `annex` cue).
    pub annex: &'a Cue,
    /// How department cells split into names.
    pub departments: &'a DepartmentRules,
    /// How a 完成时限 cell reads.
    pub deadlines: &'a DeadlineRules,
}

/// One cell of a row under its column's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCell {
    /// The header as written (its lines, for a header cell wrapped over two).
    pub header: ByteSpan,
    /// The cell, from its first line to its last; `None` when empty. A cell that spans from
    /// the row above is that row's.
    pub text: Option<ByteSpan>,
}

/// A row of an annex task table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRow {
    /// The printed 序号 (that of the row above where it spans), or the row's ordinal among
    /// the annex rows when the table has no 序号 column.
    pub row: String,
    /// The row's own work: its content cell (主要内容, 任务内容, 具体措施), else its (last)
    /// task cell (重点任务, 工作任务).
    pub task: Option<ByteSpan>,
    /// The task cell, where the row has a content cell too (a 任务名称 over its 任务内容):
    /// what the body task it restates is found by first.
    pub title: Option<ByteSpan>,
    /// Every cell, in column order.
    pub cells: Vec<FoundCell>,
    /// The bodies of the department columns with their roles, in order; a body that leads is
    /// not also listed as taking part.
    pub names: Vec<(Role, ByteSpan)>,
    /// The 完成时限 cell and what it reads as.
    pub deadline: Option<(ByteSpan, Option<FoundDeadline>)>,
    /// The index of the body task (outline node) the row restates.
    pub restates: Option<usize>,
    /// From the row's first line to its last.
    pub span: ByteSpan,
}

/// A table's columns, from its header.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// Each column's role and header span.
    pub(crate) columns: Vec<(Column, ByteSpan)>,
}

impl Header {
    /// A header from its cells, when they name a task table: at least three known columns,
    /// three in five of the cells known, one of them the task or its content and one a
    /// department or deadline column; or, without these, every cell known and one the 序号
    /// (`序号 / 主要领域 / 重点任务`). A list of powers with columns unknown (`下放范围`,
    /// `承接部门`) is no task table.
    fn new(text: &Text, cells: &[ByteSpan], rules: &AnnexRules) -> Option<Header> {
        let columns: Vec<(Option<Column>, ByteSpan)> = cells
            .iter()
            .map(|c| (rules.column_of(text.normalised(c)), c.clone()))
            .collect();
        let known = columns.iter().filter(|(c, _)| c.is_some()).count();
        let has = |want: &[Column]| {
            columns
                .iter()
                .any(|(c, _)| c.is_some_and(|c| want.contains(&c)))
        };
        let ok = known >= 3
            && known * 5 >= columns.len() * 3
            && has(&[Column::Task, Column::Content])
            && (has(&[Column::Lead, Column::Participant, Column::Deadline])
                || (known == columns.len() && has(&[Column::Number])));
        ok.then(|| Header {
            columns: columns
                .into_iter()
                .map(|(c, s)| (c.unwrap_or(Column::Other), s))
                .collect(),
        })
    }

    fn find(&self, want: Column) -> Option<usize> {
        self.columns.iter().position(|(c, _)| *c == want)
    }
}

/// The text of a span as written, its lines trimmed and joined: a cell wrapped over two lines
/// is one text.
pub fn joined(text: &Text, span: &ByteSpan) -> String {
    let s = text.as_written(span);
    if !s.contains('\n') {
        return s.trim().to_string();
    }
    s.split('\n').map(str::trim).collect()
}

/// The 序号 a line holds when it holds only that (`12`, `12.`, `12、`).
pub(crate) fn number(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches(['.', '、']);
    (!s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|&n| n > 0)
}

/// What a table's rows are read with, beside the rules.
pub(crate) struct Reader<'a> {
    pub(crate) text: &'a Text,
    pub(crate) lines: &'a [Line],
    pub(crate) rules: &'a TableRules<'a>,
    declared: &'a [(usize, Convention)],
    ctx: &'a Context,
    /// The department cells read so far, by span start: a spanning cell is read once.
    names: FxHashMap<usize, Vec<(Role, ByteSpan)>>,
    diags: &'a mut Vec<Diag>,
    /// Rows read so far (for the ordinal of a row without a 序号).
    pub(crate) count: usize,
}

impl Reader<'_> {
    pub(crate) fn s(&self, li: usize) -> &str {
        self.text.normalised(&self.lines[li].content)
    }

    /// A row from its cells (one per column, spanning cells already filled in), its 序号 and
    /// its span; `None` when it has no task or content.
    pub(crate) fn row(
        &mut self,
        header: &Header,
        cells: Vec<Option<ByteSpan>>,
        number: Option<String>,
        span: ByteSpan,
    ) -> Option<FoundRow> {
        let col = |want: Column| {
            header
                .columns
                .iter()
                .zip(&cells)
                .filter(|((c, _), _)| *c == want)
                .find_map(|(_, t)| t.clone())
        };
        let last_task = header
            .columns
            .iter()
            .zip(&cells)
            .rev()
            .find(|((c, _), t)| *c == Column::Task && t.is_some())
            .and_then(|(_, t)| t.clone());
        let content = col(Column::Content);
        let task = content.clone().or_else(|| last_task.clone())?;
        let mut names: Vec<(Role, ByteSpan)> = Vec::new();
        for ((c, _), cell) in header.columns.iter().zip(&cells) {
            let (Some(role), Some(cell)) = (c.role(), cell) else {
                continue;
            };
            let found = match self.names.get(&cell.start) {
                Some(v) => v.clone(),
                None => {
                    let convention = self
                        .declared
                        .iter()
                        .rev()
                        .find(|&&(at, _)| at < cell.start)
                        .map(|&(_, c)| c);
                    let v = self
                        .rules
                        .departments
                        .cell_names(self.text, cell, role, convention, self.diags);
                    self.names.insert(cell.start, v.clone());
                    v
                }
            };
            names.extend(found);
        }
        // A body that leads is not also listed as taking part, and each is listed once.
        names.sort_by_key(|(r, _)| *r);
        let norm = self.text.norm();
        let mut seen: Vec<(Role, &str)> = Vec::new();
        names.retain(|(r, n)| {
            let s = &norm[n.clone()];
            let dup = seen
                .iter()
                .any(|(sr, ss)| *ss == s && (*sr == *r || *sr == Role::Lead));
            if !dup {
                seen.push((*r, s));
            }
            !dup
        });
        let deadline = col(Column::Deadline).map(|d| {
            let read = deadlines::read_cell(self.text, &d, self.rules.deadlines, self.ctx);
            (d, read)
        });
        self.count += 1;
        Some(FoundRow {
            row: number.unwrap_or_else(|| self.count.to_string()),
            task: Some(task),
            title: last_task.filter(|_| content.is_some()),
            cells: header
                .columns
                .iter()
                .zip(cells)
                .map(|((_, h), t)| FoundCell {
                    header: h.clone(),
                    text: t,
                })
                .collect(),
            names,
            deadline,
            restates: None,
            span,
        })
    }
}

/// Reads the task tables of the annexes whose content lines are `annex` (in order): their
/// rows, each linked to the body task whose title in `titles` (by outline node) it restates.
/// An annex without a table gets an `annex-not-read` diagnostic; notes on department cells
/// (an unknown label) go to `diags` too. `declared` are the attribution conventions the
/// document declares.
#[allow(clippy::too_many_arguments)]
pub fn read(
    text: &Text,
    lines: &[Line],
    annex: &[usize],
    rules: &TableRules,
    declared: &[(usize, Convention)],
    ctx: &Context,
    titles: &[ByteSpan],
    diags: &mut Vec<Diag>,
) -> Vec<FoundRow> {
    let mut not_read = Vec::new();
    let mut reader = Reader {
        text,
        lines,
        rules,
        declared,
        ctx,
        names: FxHashMap::default(),
        diags,
        count: 0,
    };
    let mut rows = Vec::new();
    let parts = parts(text, lines, annex, rules.annex);
    for (k, part) in parts.iter().enumerate() {
        let part = *part;
        let before = rows.len();
        let mut at = 0;
        while at < part.len() {
            if let Some((found, next)) = grid::table(&mut reader, part, at) {
                rows.extend(found);
                at = next.max(at + 1);
            } else if let Some((found, next)) = flat::table(&mut reader, part, at) {
                rows.extend(found);
                at = next.max(at + 1);
            } else {
                at += 1;
            }
        }
        // A part followed by another whose label bears no number (`附件：1.… 2.…`, `附件：…清单`
        // above `附件`) lists the annexes: it is no annex of its own.
        let list = k + 1 < parts.len()
            && part
                .first()
                .is_some_and(|&f| !numbered(text.normalised(&lines[f].content), rules.annex));
        if rows.len() == before && !list {
            if let Some(&first) = part.first() {
                not_read.push(first);
            }
        }
    }
    for first in not_read {
        reader.diags.push(Diag::warning(
            Code::AnnexNotRead,
            format!(
                "the annex from line {} on is kept as unclassified text; no task table was found in it",
                first + 1
            ),
            Some(lines[first].content.clone()),
        ));
    }
    if !titles.is_empty() {
        let keys: Vec<Vec<char>> = titles
            .iter()
            .map(|t| similar::key(text.normalised(t)))
            .collect();
        for r in &mut rows {
            let restated = |t: &ByteSpan| similar::restated(&similar::key(&joined(text, t)), &keys);
            r.restates = r
                .title
                .as_ref()
                .and_then(restated)
                .or_else(|| r.task.as_ref().and_then(restated));
        }
    }
    rows
}

/// Whether an annex label bears a number (`附件2`, `附件一：`).
fn numbered(line: &str, cue: &Cue) -> bool {
    cue.regex.find(line).is_some_and(|m| {
        m.as_str()
            .chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
    })
}

/// The annexes: runs of `annex` lines, each from a line the annex cue matches to the next.
fn parts<'a>(text: &Text, lines: &[Line], annex: &'a [usize], cue: &Cue) -> Vec<&'a [usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &li) in annex.iter().enumerate() {
        if k > start && cue.regex.is_match(text.normalised(&lines[li].content)) {
            out.push(&annex[start..k]);
            start = k;
        }
    }
    if start < annex.len() {
        out.push(&annex[start..]);
    }
    out
}

#[cfg(test)]
mod tests;
