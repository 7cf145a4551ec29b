//! Indicator tables (主要指标表, 专栏 …核心指标表) read row by row: one target per row and
//! target column.
//!
//! Tables reach the stage in two forms: rows on lines, cells separated by `|` or tabs (what the
//! page, Word and PDF readers give for real tables); or flattened, one cell per line, either
//! every line a cell (a blank line an empty cell or the gap between rows) or cells between
//! blank lines (a cell may then take two lines: `基准值` / `（2020年）`).
//!
//! The header's cells are named by the words of the `table` rule (序号, 指标, 单位, 属性, 目标值,
//! 基准值 …). A year or period written alone is folded into the value column it labels
//! (`“十五五”` over `目标值`, `（2030年）` under `规划`), a heading over value columns (`指标值`
//! over `现状` and `规划`) is dropped, and the year of each target column is its deadline; a
//! baseline column is not read. A row may lack cells merged from the rows above (a category, a
//! first-level indicator): it is aligned to the header by its indicator, unit and attribute
//! cells. Rows of a flattened table start at their numbers (1, 2, 3 …), or, without a 序号
//! column, follow each other a header's width apart. A value cell is a number with its unit,
//! after a comparison sign or word (`≥95`, `＞1.7`, `不低于`) or a verb of change (`下降15%`),
//! before a bound word (`4.1左右`) or a note in brackets; `/` and `-` hold no value. The unit
//! is in the value, else in the unit column, else in brackets at the end of the indicator
//! (`人均公园绿地面积（平方米）`). A few words before a bound in a value cell are the value's
//! scope (`5分钟覆盖区超80%`: the indicator gets `（5分钟覆盖区）`); a long note in brackets at
//! the indicator's end, or one on a line of its own, is dropped from its name.
//!
//! Input: a task's own text and the `table` rule. Output: the targets of its tables, the byte
//! ranges they take (which the paragraphs then skip), and a diagnostic for a table, or rows of
//! one, that could not be read.

use super::*;

use crate::base::word_set::WordSet;

#[derive(Debug, Clone, Default)]
pub(super) struct TableRules {
    /// Words one of which a task's text must hold for tables to be looked for in it: the
    /// indicator and number column words, also spaced out (`指　　标`). Most tasks have none
    /// and are passed over at once.
    pub(super) gate: Option<WordSet>,
    pub(super) number: Vec<String>,
    pub(super) indicator: Vec<String>,
    pub(super) unit: Vec<String>,
    pub(super) target: Vec<String>,
    pub(super) baseline: Vec<String>,
    pub(super) value: Vec<String>,
    pub(super) attribute: Vec<String>,
    pub(super) attribute_values: Vec<String>,
    pub(super) other: Vec<String>,
    pub(super) no_value: Vec<String>,
    /// Periods and the year they end (`十四五` → 2025).
    pub(super) periods: Vec<(String, i32)>,
}

/// A header cell longer than this (without spaces) names no column.
const HEADER_CHARS: usize = 16;

/// A note in brackets at the end of an indicator cell longer than this is a note, not part of
/// the indicator's name (`（街巷）`, `（含改扩建）` are).
const NOTE_CHARS: usize = 10;

/// The first `19xx年`/`20xx年` in `s`.
fn year_in(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(4)).find_map(|i| {
        let digits = b.get(i..i + 4)?;
        let ok = digits.iter().all(u8::is_ascii_digit)
            && (digits.starts_with(b"19") || digits.starts_with(b"20"))
            && s.get(i + 4..)?.starts_with('年')
            && (i == 0 || !b[i - 1].is_ascii_digit());
        ok.then(|| s.get(i..i + 4)?.parse().ok()).flatten()
    })
}

/// The year of a cell that is a year alone: `2025`, `2025年`.
fn year_only(s: &str) -> Option<i32> {
    let digits = s.strip_suffix('年').unwrap_or(s);
    (digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.starts_with("19") || digits.starts_with("20")))
    .then(|| digits.parse().ok())
    .flatten()
}

/// `s` without whitespace.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `s` without the parts in brackets.
fn outside_brackets(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `s` without one pair of brackets around all of it: the offset of what is inside, and it.
fn unbracket(s: &str) -> (usize, &str) {
    match s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) if !inner.contains(['(', ')']) => (1, inner),
        _ => (0, s),
    }
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

// ------------------------------------------------------------------------------------------
// The header.

/// What a header cell names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Number,
    Indicator,
    Unit,
    Attribute,
    /// A value column, with the year it names.
    Value(Val, Option<i32>),
    /// A year alone (`2025年`, `（2025年）`).
    Year(i32),
    /// A period alone (`“十五五”`).
    Period(i32),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Val {
    Target,
    Baseline,
    /// A value of no kind (`指标值`, a year column).
    Plain,
}

/// A column of a table as read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    Number,
    Indicator,
    Unit,
    Attribute,
    /// A target column and its year.
    Target(Option<i32>),
    Other,
}

/// The columns of a table and where its indicator, unit and attribute stand.
#[derive(Debug, Clone)]
struct Layout {
    cols: Vec<Col>,
    indicator: usize,
    unit: Option<usize>,
    attribute: Option<usize>,
}

impl TableRules {
    /// What the header cell `cell` names, or `None` when it names no column.
    fn role(&self, cell: &str) -> Option<Role> {
        if cell.is_empty() || cell.len() > HEADER_CHARS * 4 {
            return None;
        }
        let full = squash(cell);
        if full.is_empty()
            || full.chars().count() > HEADER_CHARS
            || full.contains([',', ';', '。', ':', '!', '?'])
        {
            return None;
        }
        let words = outside_brackets(&full);
        // A year with the column's role in brackets (`2020年（基期）`, `2025年（目标）`).
        if let Some(y) = year_only(&words) {
            let inner = full.replacen(words.as_str(), "", 1);
            let has = |list: &[String]| list.iter().any(|w| inner.contains(w.as_str()));
            return Some(if has(&self.baseline) {
                Role::Value(Val::Baseline, Some(y))
            } else if has(&self.target) {
                Role::Value(Val::Target, Some(y))
            } else {
                Role::Year(y)
            });
        }
        let has = |list: &[String]| list.iter().any(|w| words.contains(w.as_str()));
        if has(&self.number) {
            return Some(Role::Number);
        }
        if has(&self.other) {
            return Some(Role::Other);
        }
        if has(&self.unit) {
            return Some(Role::Unit);
        }
        if has(&self.attribute) {
            return Some(Role::Attribute);
        }
        let year = || year_in(&full).or_else(|| self.period_in(&full));
        for (list, val) in [
            (&self.baseline, Val::Baseline),
            (&self.target, Val::Target),
            (&self.value, Val::Plain),
        ] {
            if has(list) {
                return Some(Role::Value(val, year()));
            }
        }
        let bare = full.trim_matches(|c| "()[]“”\"'‘’《》「」".contains(c));
        if let Some(y) = year_only(bare) {
            return Some(Role::Year(y));
        }
        if let Some(y) = self.period_only(bare) {
            return Some(Role::Period(y));
        }
        has(&self.indicator).then_some(Role::Indicator)
    }

    /// The year of the first period named in `s`.
    fn period_in(&self, s: &str) -> Option<i32> {
        self.periods
            .iter()
            .find(|(p, _)| s.contains(p.as_str()))
            .map(|(_, y)| *y)
    }

    /// The year of `s` when it is a period alone (`十五五`, `十五五末`, `十四五时期`).
    fn period_only(&self, s: &str) -> Option<i32> {
        let s = ["时期", "期间", "期末", "末"]
            .iter()
            .find_map(|w| s.strip_suffix(w))
            .unwrap_or(s);
        let s = s.trim_matches(|c| "“”\"'‘’".contains(c));
        self.periods.iter().find(|(p, _)| p == s).map(|(_, y)| *y)
    }

    fn no_value(&self, cell: &str) -> bool {
        cell.is_empty() || self.no_value.iter().any(|w| w == cell)
    }

    fn attribute_value(&self, cell: &str) -> bool {
        let c = squash(cell);
        self.attribute_values.contains(&c)
    }
}

/// Whether a header is an indicator table's, read or not: an indicator column and a unit,
/// attribute, value or year column among three or more (the roles of the cells that name a
/// column).
fn noticed(roles: &[Role]) -> bool {
    roles.len() >= 3
        && roles.contains(&Role::Indicator)
        && roles.iter().any(|r| {
            matches!(
                r,
                Role::Unit | Role::Attribute | Role::Value(..) | Role::Year(_)
            )
        })
}

/// The columns named by a header's cells: periods and years alone go to the value columns
/// they label, a heading over value columns is dropped, value columns become target or
/// baseline columns. `None` without an indicator or a target column.
fn layout(roles: &[Role]) -> Option<Layout> {
    // A period over the value column after it (`“十五五”` / `目标值`); alone, a column.
    let mut cols: Vec<Role> = Vec::with_capacity(roles.len());
    let mut i = 0;
    while i < roles.len() {
        match (roles[i], roles.get(i + 1)) {
            (Role::Period(y), Some(Role::Value(v, None))) => {
                cols.push(Role::Value(*v, Some(y)));
                i += 2;
                continue;
            }
            (Role::Period(y), _) => cols.push(Role::Value(Val::Plain, Some(y))),
            (r, _) => cols.push(r),
        }
        i += 1;
    }
    // Years alone under the value columns before them label the last ones without a year;
    // otherwise each is a column of its own.
    let mut out: Vec<Role> = Vec::with_capacity(cols.len());
    let mut i = 0;
    while i < cols.len() {
        let Role::Year(_) = cols[i] else {
            out.push(cols[i]);
            i += 1;
            continue;
        };
        let years: Vec<i32> = cols[i..]
            .iter()
            .map_while(|r| match r {
                Role::Year(y) => Some(*y),
                _ => None,
            })
            .collect();
        let run = out
            .iter()
            .rev()
            .take_while(|r| matches!(r, Role::Value(..)))
            .count();
        let yearless: Vec<usize> = (out.len() - run..out.len())
            .filter(|&k| matches!(out[k], Role::Value(_, None)))
            .collect();
        if run > 0 && years.len() <= yearless.len() {
            let labelled = &yearless[yearless.len() - years.len()..];
            for (&k, &y) in labelled.iter().zip(&years) {
                if let Role::Value(v, _) = out[k] {
                    out[k] = Role::Value(v, Some(y));
                }
            }
        } else {
            out.extend(years.iter().map(|&y| Role::Value(Val::Plain, Some(y))));
        }
        i += years.len();
    }
    // A plain value heading without a year over two or more value columns (`指标值`).
    let is_value = |r: Option<&Role>| matches!(r, Some(Role::Value(..)));
    let mut k = 0;
    while k < out.len() {
        if out[k] == Role::Value(Val::Plain, None)
            && is_value(out.get(k + 1))
            && is_value(out.get(k + 2))
        {
            out.remove(k);
        } else {
            k += 1;
        }
    }
    // Plain values: the earliest of several years is the baseline, the others are targets.
    let years: Vec<i32> = out
        .iter()
        .filter_map(|r| match r {
            Role::Value(_, y) => *y,
            _ => None,
        })
        .collect();
    let earliest = years.iter().min().copied();
    let several = years.len() >= 2 && years.iter().any(|y| Some(*y) != earliest);
    let first_data = out
        .iter()
        .position(|r| matches!(r, Role::Unit | Role::Attribute | Role::Value(..)))
        .unwrap_or(out.len());
    let indicator = out[..first_data]
        .iter()
        .rposition(|r| *r == Role::Indicator)
        .or_else(|| out.iter().position(|r| *r == Role::Indicator))?;
    let cols: Vec<Col> = out
        .iter()
        .enumerate()
        .map(|(k, r)| match *r {
            Role::Number => Col::Number,
            Role::Indicator if k == indicator => Col::Indicator,
            Role::Unit => Col::Unit,
            Role::Attribute => Col::Attribute,
            Role::Value(Val::Target, y) => Col::Target(y),
            Role::Value(Val::Plain, y) if !(several && y == earliest) => Col::Target(y),
            _ => Col::Other,
        })
        .collect();
    if !cols.iter().any(|c| matches!(c, Col::Target(_))) {
        return None;
    }
    Some(Layout {
        indicator,
        unit: cols.iter().position(|c| *c == Col::Unit),
        attribute: cols.iter().position(|c| *c == Col::Attribute),
        cols,
    })
}

impl Layout {
    /// The columns after column `k` (a flattened table's number), with the indicator there.
    fn after(&self, k: usize) -> Option<Layout> {
        let shift = |x: usize| x.checked_sub(k + 1);
        Some(Layout {
            cols: self.cols.get(k + 1..)?.to_vec(),
            indicator: shift(self.indicator)?,
            unit: self.unit.and_then(shift),
            attribute: self.attribute.and_then(shift),
        })
    }

    /// Gives the year of a table's title to its target columns without one.
    fn with_year(mut self, year: Option<i32>) -> Layout {
        for c in &mut self.cols {
            if let Col::Target(y @ None) = c {
                *y = year;
            }
        }
        self
    }
}

// ------------------------------------------------------------------------------------------
// Cells.

/// What a value cell holds.
enum CellValue {
    /// Nothing, or a mark for no value (`/`, `-`).
    Empty,
    /// Words, or a number with more than a unit and a bound around it.
    Unreadable,
    Value(CellRead),
}

/// A number read in a value cell, offsets within the cell.
struct CellRead {
    mention: Mention,
    bound: Option<Bound>,
    kind: Option<TargetKind>,
    /// The words before a bound that say what part of the indicator the value is of
    /// (`5分钟覆盖区` in `5分钟覆盖区超80%`).
    scope: Option<Range<usize>>,
}

/// A scope before the bound of a value cell is at most this long.
const SCOPE_CHARS: usize = 10;

impl TargetRules {
    /// Reads the value cell `c` (trimmed): a value, or, failing that, a few words that give
    /// the value's scope, a bound and a value (`5分钟覆盖区超80%`).
    fn scoped_cell_value(&self, c: &str) -> CellValue {
        let plain = self.cell_value(c);
        if !matches!(plain, CellValue::Unreadable) {
            return plain;
        }
        for (p, ch) in c.char_indices().skip(1).take(SCOPE_CHARS) {
            if "(),;:。".contains(ch) {
                break;
            }
            if leading_bound(&c[p..], self).1.is_none() {
                continue;
            }
            if let CellValue::Value(mut read) = self.cell_value(&c[p..]) {
                let m = &mut read.mention;
                for x in [&mut m.start, &mut m.num_end, &mut m.unit_start, &mut m.end] {
                    *x += p;
                }
                // A verb (`力争`, `确保`) before the bound is no scope.
                let scope = c[..p].trim_end();
                let verb = self.cue_words.as_ref().and_then(|w| w.at(scope, 0));
                read.scope = verb.is_none().then_some(0..scope.len());
                return CellValue::Value(read);
            }
        }
        plain
    }

    /// Reads the value cell `c` (trimmed).
    fn cell_value(&self, c: &str) -> CellValue {
        let table = &self.table;
        if table.no_value(c) {
            return CellValue::Empty;
        }
        let (open, inner) = unbracket(c);
        let mut at = open;
        let mut kind = None;
        if let Some(w) = self.cue_words.as_ref().and_then(|w| w.at(c, at)) {
            let k = self
                .cue_kinds
                .get(w.word())
                .and_then(|(k, _)| k.target_kind());
            if k.is_some() {
                kind = k;
                at = w.end();
            }
        }
        let end = open + inner.len();
        let body = c.get(at..end).unwrap_or("");
        let lead = body.len() - body.trim_start().len();
        let (skip, mut bound) = leading_bound(&body[lead..], self);
        at += lead + skip;
        let lead = c[at..end].len() - c[at..end].trim_start().len();
        at += lead;
        let Some(m) = self.read_mention(&c[..end], at) else {
            return CellValue::Unreadable;
        };
        if m.unread
            || m.start != at
            || (m.year_like && m.form.as_ref().is_some_and(|f| &*f.text == "年"))
        {
            return CellValue::Unreadable;
        }
        bound = bound.or(m.infix);
        let mut rest = c.get(m.end..end).unwrap_or("");
        if let Some(b) = self.bound_after.as_ref().and_then(|w| w.find(rest)) {
            bound = self.bound_words.get(b.as_str().trim()).copied().or(bound);
            rest = &rest[b.end()..];
        }
        let rest = rest.trim();
        let note = rest.starts_with('(') && rest.ends_with(')');
        if !rest.is_empty() && !note {
            return CellValue::Unreadable;
        }
        CellValue::Value(CellRead {
            mention: m,
            bound,
            kind,
            scope: None,
        })
    }

    /// The unit form of a cell that is a unit and nothing more (`万平方米`, `平方米/人`).
    fn unit_cell(&self, c: &str) -> Option<Form> {
        let (_, inner) = unbracket(c.trim());
        if inner.is_empty() {
            return None;
        }
        let probe = format!("1{inner}");
        let m = self.read_mention(&probe, 0)?;
        m.form.filter(|_| m.end == probe.len())
    }

    /// Whether `c` may be a row's indicator: words, not a value, a unit or an attribute.
    fn indicator_cell(&self, c: &str) -> bool {
        !self.table.no_value(c)
            && !self.table.attribute_value(c)
            && self.unit_cell(c).is_none()
            && !matches!(self.cell_value(c), CellValue::Value(_))
    }

    /// Whether `c` may stand in a unit column: empty, a unit, or a short word.
    fn unit_column_cell(&self, c: &str) -> bool {
        self.table.no_value(c)
            || self.unit_cell(c).is_some()
            || (c.chars().count() <= 8
                && !c.bytes().any(|b| b.is_ascii_digit())
                && !self.table.attribute_value(c))
    }

    /// Whether the cells of `row` (texts) fit `lay` with the first `d` columns merged away:
    /// every column has its cell (`exact`: and no more), the indicator is words, the unit and
    /// the attribute are what they should be.
    fn fits(&self, lay: &Layout, row: &[&str], d: usize, exact: bool) -> bool {
        let Some(need) = lay.cols.len().checked_sub(d) else {
            return false;
        };
        if d > lay.indicator || row.len() < need || (exact && row.len() != need) {
            return false;
        }
        let cell = |j: usize| row[j - d];
        if !self.indicator_cell(cell(lay.indicator)) {
            return false;
        }
        if let Some(u) = lay.unit.filter(|&u| u >= d) {
            if !self.unit_column_cell(cell(u)) {
                return false;
            }
        }
        if let Some(a) = lay.attribute.filter(|&a| a >= d) {
            let c = cell(a);
            if !self.table.no_value(c) && !self.table.attribute_value(c) {
                return false;
            }
        }
        true
    }

    /// How many of `lay`'s first columns `row` lacks, if it fits at all.
    fn align(&self, lay: &Layout, row: &[&str]) -> Option<usize> {
        (0..=lay.indicator).find(|&d| self.fits(lay, row, d, false))
    }
}

// ------------------------------------------------------------------------------------------
// Reading.

/// The cells of a flattened table from a line on, read as they are needed.
struct FlatCells<'s> {
    s: &'s str,
    lines: &'s [Range<usize>],
    /// The next line to read.
    next: usize,
    /// Cells stand between blank lines (else every line is a cell).
    blank_separated: bool,
    cells: Vec<Range<usize>>,
}

impl<'s> FlatCells<'s> {
    fn new(s: &'s str, lines: &'s [Range<usize>], at: usize) -> Self {
        let blank = |i: usize| lines.get(i).is_some_and(|l| s[l.clone()].trim().is_empty());
        FlatCells {
            s,
            lines,
            next: at,
            blank_separated: blank(at + 1),
            cells: Vec::new(),
        }
    }

    fn blank(&self, i: usize) -> bool {
        self.s[self.lines[i].clone()].trim().is_empty()
    }

    fn trimmed(&self, r: Range<usize>) -> Range<usize> {
        let t = &self.s[r.clone()];
        let start = r.start + (t.len() - t.trim_start().len());
        start..start.max(r.start + t.trim_end().len())
    }

    /// Cell `i`, reading lines as needed.
    fn get(&mut self, i: usize) -> Option<Range<usize>> {
        while self.cells.len() <= i {
            let n = self.lines.len();
            if self.blank_separated {
                while self.next < n && self.blank(self.next) {
                    self.next += 1;
                }
                if self.next >= n {
                    return None;
                }
                let start = self.lines[self.next].start;
                let mut end = self.lines[self.next].end;
                self.next += 1;
                while self.next < n && !self.blank(self.next) {
                    end = self.lines[self.next].end;
                    self.next += 1;
                }
                let cell = self.trimmed(start..end);
                self.cells.push(cell);
            } else {
                if self.next >= n {
                    return None;
                }
                let cell = self.trimmed(self.lines[self.next].clone());
                self.cells.push(cell);
                self.next += 1;
            }
        }
        self.cells.get(i).cloned()
    }

    fn text(&self, r: &Range<usize>) -> &'s str {
        self.s.get(r.clone()).unwrap_or("")
    }
}

/// Whether cell `c` is the row number `n`.
fn is_number(c: &str, n: usize) -> bool {
    c.parse::<usize>().is_ok_and(|x| x == n) && !c.starts_with('0')
}

/// What reading the tables of one task needs.
struct Reader<'a> {
    text: &'a Text,
    base: usize,
    s: &'a str,
    rules: &'a TargetRules,
    lines: Vec<Range<usize>>,
    consumed: Vec<Range<usize>>,
}

/// Reads indicator tables in the lines of a task's text; returns the byte ranges read.
pub(super) fn read_tables(
    text: &Text,
    base: usize,
    s: &str,
    rules: &TargetRules,
    out: &mut TaskTargets,
) -> Vec<Range<usize>> {
    let table = &rules.table;
    // Every table, read or only noticed, has an indicator or a number column.
    if table.target.is_empty() || !table.gate.as_ref().is_some_and(|w| w.is_match(s)) {
        return Vec::new();
    }
    let mut reader = Reader {
        text,
        base,
        s,
        rules,
        lines: line_ranges(s),
        consumed: Vec::new(),
    };
    let mut at = 0;
    while at < reader.lines.len() {
        at = reader
            .delimited(at, out)
            .or_else(|| reader.flat(at, out))
            .unwrap_or(at + 1);
    }
    reader.consumed
}

impl Reader<'_> {
    fn line(&self, i: usize) -> &str {
        self.s.get(self.lines[i].clone()).unwrap_or("")
    }

    fn not_read(&self, out: &mut TaskTargets, message: String, at: Range<usize>) {
        out.diags.push(Diag::warning(
            Code::IndicatorTableNotRead,
            message,
            Some(self.base + at.start..self.base + at.end),
        ));
    }

    fn unread_rows(&self, out: &mut TaskTargets, unread: usize, at: Range<usize>) {
        if unread > 0 {
            self.not_read(
                out,
                format!("{unread} row(s) of an indicator table have no readable target value"),
                at,
            );
        }
    }

    /// A table whose rows are lines of cells separated by `|` or tabs, with its header at
    /// line `at`: the line after it.
    fn delimited(&mut self, at: usize, out: &mut TaskTargets) -> Option<usize> {
        let table = &self.rules.table;
        let header = cells(self.line(at))?;
        let roles: Vec<Role> = header
            .iter()
            .map(|(_, c)| table.role(c).unwrap_or(Role::Other))
            .collect();
        if roles.iter().filter(|r| **r != Role::Other).count() < 2 {
            return None;
        }
        let title_year = self.title_year(&self.lines, at);
        let header_at = self.lines[at].clone();
        let Some(lay) = layout(&roles).map(|l| l.with_year(title_year)) else {
            let named: Vec<Role> = header.iter().filter_map(|(_, c)| table.role(c)).collect();
            if noticed(&named) {
                self.not_read(
                    out,
                    "an indicator table has no target column; its targets are missing".into(),
                    header_at,
                );
            }
            return None;
        };
        self.consumed.push(header_at.clone());
        let mut i = at + 1;
        let mut unread = 0;
        while let Some(row) = self.lines.get(i).and_then(|l| cells(&self.s[l.clone()])) {
            let line_at = self.lines[i].clone();
            self.consumed.push(line_at.clone());
            i += 1;
            let separator = row
                .iter()
                .all(|(_, c)| c.starts_with('-') || c.starts_with(':'));
            if separator {
                continue;
            }
            let texts: Vec<&str> = row.iter().map(|(_, c)| *c).collect();
            let ranges: Vec<Range<usize>> = row
                .iter()
                .map(|(o, c)| line_at.start + o..line_at.start + o + c.len())
                .collect();
            match self.rules.align(&lay, &texts) {
                Some(d) => unread += usize::from(!self.read_row(&lay, &ranges, d, out)),
                None => unread += usize::from(texts.iter().any(|c| !c.is_empty())),
            }
        }
        self.unread_rows(out, unread, header_at);
        Some(i)
    }

    /// A flattened table whose header starts at line `at`: the line after what it took.
    fn flat(&mut self, at: usize, out: &mut TaskTargets) -> Option<usize> {
        let rules = self.rules;
        let table = &rules.table;
        table.role(self.line(at).trim())?;
        let (s, lines) = (self.s, std::mem::take(&mut self.lines));
        let got = self.flat_in(s, &lines, at, out);
        self.lines = lines;
        let end = got?;
        Some(self.lines.partition_point(|l| l.start < end).max(at + 1))
    }

    /// [`Reader::flat`] over `lines`: where the table ends (a byte of the text).
    fn flat_in(
        &mut self,
        s: &str,
        lines: &[Range<usize>],
        at: usize,
        out: &mut TaskTargets,
    ) -> Option<usize> {
        let rules = self.rules;
        let table = &rules.table;
        let mut cells = FlatCells::new(s, lines, at);
        let mut roles = Vec::new();
        let mut i = 0;
        let mut header_end = lines[at].end;
        while let Some(c) = cells.get(i) {
            let t = cells.text(&c);
            if !t.is_empty() {
                match table.role(t) {
                    Some(r) if roles.len() < 24 => {
                        roles.push(r);
                        header_end = c.end;
                    }
                    _ => break,
                }
            }
            i += 1;
        }
        let first_row = i;
        if !noticed(&roles) {
            return None;
        }
        let header_at = lines[at].start..header_end;
        let title_year = self.title_year(lines, at);
        let Some(lay) = layout(&roles).map(|l| l.with_year(title_year)) else {
            self.not_read(
                out,
                "an indicator table with one cell per line has no target column; its targets are missing".into(),
                header_at,
            );
            return Some(header_end);
        };
        let before = out.targets.len();
        let read = match lay.cols.iter().position(|c| *c == Col::Number) {
            Some(k) => self.numbered_rows(&mut cells, &lay, k, first_row, out),
            None => self.chunked_rows(&mut cells, &lay, first_row, out),
        };
        let end = match read {
            Some((end, unread)) if out.targets.len() > before || unread == 0 => {
                self.unread_rows(out, unread, header_at.clone());
                end
            }
            _ => {
                out.targets.truncate(before);
                self.not_read(
                    out,
                    "an indicator table with one cell per line was not read; its targets are missing".into(),
                    header_at,
                );
                return Some(header_end);
            }
        };
        self.consumed.push(lines[at].start..end);
        Some(end)
    }

    /// The year or period of the short line just before line `at` (a table's title).
    fn title_year(&self, lines: &[Range<usize>], at: usize) -> Option<i32> {
        let title = lines[..at]
            .iter()
            .rev()
            .map(|l| self.s[l.clone()].trim())
            .find(|t| !t.is_empty())?;
        if title.chars().count() > 40 {
            return None;
        }
        let t = squash(title);
        year_in(&t).or_else(|| self.rules.table.period_in(&t))
    }

    /// Rows that start at their numbers 1, 2, 3 … (column `k` of `lay`), the first within a
    /// few cells of `first`: where the last row ends, and how many rows were not read.
    fn numbered_rows(
        &mut self,
        cells: &mut FlatCells,
        lay: &Layout,
        k: usize,
        first: usize,
        out: &mut TaskTargets,
    ) -> Option<(usize, usize)> {
        let rules = self.rules;
        let post = lay.after(k)?;
        let width = post.cols.len();
        // Categories merged over rows stand before a row's number.
        let mut i = first;
        let mut words = 0;
        loop {
            let c = cells.get(i)?;
            let t = cells.text(&c);
            if is_number(t, 1) {
                break;
            }
            if !t.is_empty() {
                words += 1;
                if words > k {
                    return None;
                }
            }
            i += 1;
        }
        let shortest = width - post.indicator;
        let longest = width + k + 2;
        let (mut n, mut start, mut end, mut unread) = (1, i, 0, 0);
        loop {
            let body = start + 1;
            let mut j = body;
            let (mut next, mut fallback) = (None, None);
            while let Some(c) = cells.get(j) {
                let len = j - body;
                if len >= shortest && is_number(cells.text(&c), n + 1) {
                    let texts: Vec<&str> = (body..j).map(|x| cells.text(&cells.cells[x])).collect();
                    if rules.align(&post, &texts).is_some() {
                        next = Some(j);
                        break;
                    }
                    fallback.get_or_insert(j);
                }
                if len >= longest {
                    break;
                }
                j += 1;
            }
            let next = next.or(fallback);
            let row_end = next.unwrap_or(j.min(cells.cells.len()));
            let ranges: Vec<Range<usize>> = cells.cells[body..row_end].to_vec();
            let texts: Vec<&str> = ranges.iter().map(|r| cells.text(r)).collect();
            let last = match rules.align(&post, &texts) {
                Some(d) => {
                    unread += usize::from(!self.read_row(&post, &ranges, d, out));
                    match next {
                        Some(nx) => nx - 1,
                        None => body + width - d - 1,
                    }
                }
                None => {
                    unread += 1;
                    next.map_or(start, |nx| nx - 1)
                }
            };
            end = end.max(cells.cells[last].end);
            match next {
                Some(nx) => {
                    start = nx;
                    n += 1;
                }
                None => break,
            }
        }
        Some((end, unread))
    }

    /// Rows without numbers, one after the other, each as wide as the header (less the
    /// columns merged away): where the last ends, and how many were not read.
    fn chunked_rows(
        &mut self,
        cells: &mut FlatCells,
        lay: &Layout,
        first: usize,
        out: &mut TaskTargets,
    ) -> Option<(usize, usize)> {
        let rules = self.rules;
        let width = lay.cols.len();
        let (mut i, mut end, mut unread, mut rows) = (first, None, 0, 0);
        'rows: loop {
            while cells.get(i).is_some_and(|c| c.is_empty()) {
                i += 1;
            }
            for d in 0..=lay.indicator {
                let n = width - d;
                if cells.get(i + n - 1).is_none() {
                    continue;
                }
                let ranges: Vec<Range<usize>> = cells.cells[i..i + n].to_vec();
                let texts: Vec<&str> = ranges.iter().map(|r| cells.text(r)).collect();
                if !rules.fits(lay, &texts, d, true) || !self.anchored(lay, &texts, d) {
                    continue;
                }
                unread += usize::from(!self.read_row(lay, &ranges, d, out));
                rows += 1;
                end = Some(ranges[n - 1].end);
                i += n;
                continue 'rows;
            }
            break;
        }
        (rows > 0).then_some((end?, unread))
    }

    /// Whether a row without a number is held in place by a unit or an attribute where the
    /// header has them, or by a readable target.
    fn anchored(&self, lay: &Layout, row: &[&str], d: usize) -> bool {
        let rules = self.rules;
        let cell = |j: usize| j.checked_sub(d).and_then(|x| row.get(x)).copied();
        lay.unit
            .and_then(cell)
            .is_some_and(|c| rules.unit_cell(c).is_some())
            || lay
                .attribute
                .and_then(cell)
                .is_some_and(|c| rules.table.attribute_value(c))
            || lay.cols.iter().enumerate().any(|(j, c)| {
                matches!(c, Col::Target(_))
                    && cell(j).is_some_and(|c| matches!(rules.cell_value(c), CellValue::Value(_)))
            })
    }

    /// The targets of a row (cells as byte ranges of the task's text) aligned to `lay` with
    /// `d` columns merged away; `false` when a target cell holds words but no value.
    fn read_row(
        &self,
        lay: &Layout,
        row: &[Range<usize>],
        d: usize,
        out: &mut TaskTargets,
    ) -> bool {
        let rules = self.rules;
        let (text, base, s) = (self.text, self.base, self.s);
        let at = |j: usize| row[j - d].clone();
        let clause = base + row[0].start..base + row[lay.cols.len() - d - 1].end;
        let ind_at = at(lay.indicator);
        let ind_text = &s[ind_at.clone()];
        // A unit in brackets at the indicator's end (`人均公园绿地面积（平方米）`).
        let ind_unit = ind_text
            .trim_end()
            .strip_suffix(')')
            .and_then(|x| x.rfind('(').map(|o| (o, &x[o + 1..])))
            .and_then(|(o, u)| rules.unit_cell(u).map(|f| (o, u, f)));
        // A note in brackets at its end, long or on a line of its own in the cell, is not
        // part of the name (`保护建筑数量（登记不可移动文物和优秀历史建筑）`).
        let ind_note = || {
            let t = ind_text.trim_end();
            let o = t.strip_suffix(')')?.rfind('(')?;
            let before = t[..o].trim_end_matches([' ', '\t']);
            let long = t[o..].chars().count() > NOTE_CHARS + 2;
            (!before.trim().is_empty() && (long || before.ends_with('\n'))).then_some(o)
        };
        let indicator_end = match &ind_unit {
            Some((o, ..)) => ind_at.start + o,
            None => ind_note().map_or(ind_at.end, |o| ind_at.start + o),
        };
        let indicator: String = text
            .as_written(&(base + ind_at.start..base + indicator_end))
            .split('\n')
            .map(str::trim)
            .collect();
        let column_unit = lay
            .unit
            .filter(|&u| u >= d)
            .map(at)
            .filter(|r| !rules.table.no_value(&s[r.clone()]));
        let mut readable = true;
        for (j, col) in lay.cols.iter().enumerate() {
            let Col::Target(year) = *col else { continue };
            if j < d {
                continue;
            }
            let cell = at(j);
            let CellValue::Value(read) = rules.scoped_cell_value(&s[cell.clone()]) else {
                readable &= !matches!(rules.cell_value(&s[cell.clone()]), CellValue::Unreadable);
                continue;
            };
            let indicator = match &read.scope {
                Some(r) => {
                    let r = base + cell.start + r.start..base + cell.start + r.end;
                    format!("{indicator}（{}）", text.as_written(&r))
                }
                None => indicator.clone(),
            };
            let m = &read.mention;
            let (num, unit_start, unit_end) = (
                cell.start + m.start..cell.start + m.num_end,
                cell.start + m.unit_start,
                cell.start + m.end,
            );
            let (unit, form) = match (&m.form, &column_unit, &ind_unit) {
                (Some(f), ..) => (
                    text.as_written(&(base + unit_start..base + unit_end))
                        .to_string(),
                    Some(f.clone()),
                ),
                (None, Some(u), _) => {
                    let (o, inner) = unbracket(&s[u.clone()]);
                    let r = u.start + o..u.start + o + inner.len();
                    (
                        text.as_written(&(base + r.start..base + r.end)).to_string(),
                        rules.unit_cell(inner),
                    )
                }
                (None, None, Some((o, u, f))) => {
                    let r = ind_at.start + o + 1..ind_at.start + o + 1 + u.len();
                    (
                        text.as_written(&(base + r.start..base + r.end)).to_string(),
                        Some(f.clone()),
                    )
                }
                (None, None, None) => (String::new(), None),
            };
            let mention = Mention {
                form,
                value_max: m.value_max,
                ..Mention::bare(num.start, num.end, m.value, m.chinese)
            };
            out.targets.push(FoundTarget {
                clause: clause.clone(),
                indicator,
                value: m.value,
                value_max: m.value_max,
                unit,
                si: rules.si(&mention),
                year,
                month: None,
                baseline_year: None,
                kind: read.kind.unwrap_or(TargetKind::Level),
                bound: read.bound.unwrap_or(Bound::Exact),
                span: base + num.start..base + unit_end.max(num.end),
            });
        }
        readable
    }
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
        ("≧", Bound::AtLeast),
        (">", Bound::AtLeast),
        ("≤", Bound::AtMost),
        ("≦", Bound::AtMost),
        ("<", Bound::AtMost),
        ("≈", Bound::Approx),
    ] {
        if cell[skip..].starts_with(sym) {
            bound = Some(b);
            skip += sym.len();
        }
    }
    (skip, bound)
}
