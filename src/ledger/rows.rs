//! Which tasks of a document become ledger rows, and the cells of every sheet.
//!
//! A body task is a unit of work, and so a row of 任务清单, when
//! - it carries its own attribution (a lead or participating department) or its own deadline
//!   (stated in the task or an annex table, not only the document's period): someone is
//!   answerable for it, wherever it stands; or
//! - it is not in a framing section ([`is_framing`]: 指导思想, 基本原则, 保障措施, …, and
//!   everything under them) and it either has no sub-headings or carries its own targets.
//!
//! A heading with sub-headings and nothing of its own groups its children and is no row;
//! neither is a framing heading without an attribution or deadline of its own (its targets
//! still go to 指标). Every row of an annex task table is a row.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::{
    AnnexTask, Bound, Deadline, DeadlineKind, DeadlineSource, Document, Role, Target, TargetKind,
    Task,
};

use super::{Lang, Sheet};

/// A cell of a ledger sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Blank,
    /// Text.
    Text(String),
    /// A number (written as a number, not as text).
    Number(f64),
    /// A calendar date (written as a date).
    Date(Date),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Blank
        } else {
            Cell::Text(s)
        }
    }

    fn opt_number(v: Option<f64>) -> Cell {
        v.map_or(Cell::Blank, Cell::Number)
    }

    fn opt_date(d: Option<Date>) -> Cell {
        d.map_or(Cell::Blank, Cell::Date)
    }
}

/// A valid calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year (1900–9999, the years a spreadsheet date can hold).
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl Date {
    /// The date, if it exists and a spreadsheet can hold it.
    pub fn new(year: i64, month: i64, day: i64) -> Option<Date> {
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let (year, month) = (year as u16, month as u8);
        if day < 1 || day > i64::from(days_in_month(year, month)) {
            return None;
        }
        Some(Date {
            year,
            month,
            day: day as u8,
        })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Date::new(y, m, d)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The last day a deadline allows: its day, the end of its month, or the end of its year (of
/// the last year of a period). None for an ongoing or yearly task, or without a year.
pub fn due_date(d: &Deadline) -> Option<Date> {
    if matches!(d.kind, DeadlineKind::Ongoing | DeadlineKind::Yearly) {
        return None;
    }
    let year = i64::from(d.year?);
    let month = d.month.map_or(12, i64::from);
    let day = match d.day {
        Some(day) => i64::from(day),
        None => {
            let m = Date::new(year, month, 1)?;
            i64::from(days_in_month(m.year, m.month))
        }
    };
    Date::new(year, month, day)
}

/// A column of a sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// The Chinese header.
    pub zh: &'static str,
    /// The English header.
    pub en: &'static str,
    /// Width in characters of the default font (a Chinese character is about two).
    pub width: f64,
    /// Whether long text wraps in the cell.
    pub wrap: bool,
    /// Whether the column holds dates.
    pub date: bool,
}

impl Column {
    /// The header in `lang`.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn col(zh: &'static str, en: &'static str, width: f64, wrap: bool) -> Column {
    Column {
        zh,
        en,
        width,
        wrap,
        date: false,
    }
}

const fn date_col(zh: &'static str, en: &'static str) -> Column {
    Column {
        zh,
        en,
        width: 11.0,
        wrap: false,
        date: true,
    }
}

const DOC: Column = col("文件", "Document", 20.0, true);
const ID: Column = col("序号", "Id", 7.0, false);
const SECTION: Column = col("所属章节", "Section", 22.0, true);
const TASK: Column = col("任务", "Task", 20.0, true);
const TEXT: Column = col("具体内容", "Text", 60.0, true);
const DEADLINE: Column = col("完成时限", "Deadline", 12.0, true);
const DUE: Column = date_col("时限日期", "Due date");
const SOURCE: Column = col("来源", "Source", 6.0, false);

const TASK_COLUMNS: &[Column] = &[
    DOC,
    ID,
    SECTION,
    TASK,
    TEXT,
    col("牵头单位", "Lead", 16.0, true),
    col("配合单位", "Participants", 20.0, true),
    col("目标", "Targets", 26.0, true),
    DEADLINE,
    DUE,
    SOURCE,
    col("备注", "Notes", 24.0, true),
];

const DEPARTMENT_COLUMNS: &[Column] = &[
    col("部门", "Department", 22.0, true),
    col("角色", "Role", 8.0, false),
    DOC,
    ID,
    TASK,
    TEXT,
    DEADLINE,
    DUE,
    SECTION,
    col("原写法", "As written", 20.0, true),
    SOURCE,
];

const TARGET_COLUMNS: &[Column] = &[
    DOC,
    ID,
    TASK,
    col("指标", "Indicator", 28.0, true),
    col("数值", "Value", 10.0, false),
    col("上限", "Max", 8.0, false),
    col("单位", "Unit", 10.0, false),
    col("标准值", "SI value", 16.0, false),
    col("标准单位", "SI unit", 10.0, false),
    col("年份", "Year", 8.0, false),
    col("月份", "Month", 8.0, false),
    col("基准年", "Baseline year", 10.0, false),
    col("类型", "Kind", 8.0, false),
    col("约束", "Bound", 8.0, false),
    col("原文", "Text", 50.0, true),
];

const DOCUMENT_COLUMNS: &[Column] = &[
    col("文件", "Document", 36.0, true),
    col("通知标题", "Notice title", 36.0, true),
    col("文号", "Number", 18.0, false),
    col("发文机关", "Issuers", 24.0, true),
    date_col("成文日期", "Date"),
    date_col("发布日期", "Published"),
    col("路径", "Path", 30.0, true),
    col("标题数", "Headings", 8.0, false),
    col("任务行数", "Task rows", 8.0, false),
    col("附件任务数", "Annex rows", 10.0, false),
    col("部门数", "Departments", 8.0, false),
    col("指标数", "Targets", 8.0, false),
    col("诊断数", "Diagnostics", 8.0, false),
    col("诊断", "Diagnostic messages", 60.0, true),
];

/// The columns of a sheet, in order.
pub fn columns(sheet: Sheet) -> &'static [Column] {
    match sheet {
        Sheet::Tasks => TASK_COLUMNS,
        Sheet::Departments => DEPARTMENT_COLUMNS,
        Sheet::Targets => TARGET_COLUMNS,
        Sheet::Documents => DOCUMENT_COLUMNS,
    }
}

/// The framing words (`framing.txt`), read once.
static FRAMING: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("framing.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
});

/// Whether a heading's title frames the plan rather than assigns work: one of the words of
/// `framing.txt`, that word after at most two characters, or such titles joined by 和, 与, 及
/// or 、.
pub fn is_framing(title: &str) -> bool {
    let title = title.trim().trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '。' | '：' | ':' | '，' | ',' | '；' | ';' | '.')
    });
    if title.is_empty() {
        return false;
    }
    title
        .split(['和', '与', '及', '、'])
        .all(|part| framing_part(part.trim()))
}

fn framing_part(part: &str) -> bool {
    let len = part.chars().count();
    FRAMING
        .iter()
        .any(|w| part.ends_with(w) && len.saturating_sub(w.chars().count()) <= 2 && len > 0)
}

/// Whether a task states its own deadline, not only the document's period.
fn own_deadline(t: &Task) -> bool {
    t.deadline
        .as_ref()
        .is_some_and(|d| d.source != DeadlineSource::Document)
}

/// Whether a body task is a unit of work (see the module's documentation); `framed` says
/// whether an ancestor is a framing heading.
pub fn is_unit(task: &Task, framed: bool) -> bool {
    if !task.lead.is_empty() || !task.participants.is_empty() || own_deadline(task) {
        return true;
    }
    if framed || is_framing(&task.title) {
        return false;
    }
    task.children.is_empty() || !task.targets.is_empty()
}

/// Calls `f` for every body task that is a unit of work, in document order, with its
/// ancestors.
pub fn for_each_unit<'a>(doc: &'a Document, mut f: impl FnMut(&'a Task, &[&'a Task])) {
    fn walk<'a>(
        tasks: &'a [Task],
        path: &mut Vec<&'a Task>,
        framed: bool,
        f: &mut dyn FnMut(&'a Task, &[&'a Task]),
    ) {
        for t in tasks {
            if is_unit(t, framed) {
                f(t, path);
            }
            let framed = framed || is_framing(&t.title);
            path.push(t);
            walk(&t.children, path, framed, f);
            path.pop();
        }
    }
    walk(&doc.tasks, &mut Vec::new(), false, &mut f);
}

/// The ids of the body tasks that become rows, in order.
pub fn unit_ids(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for_each_unit(doc, |t, _| out.push(t.id.clone()));
    out
}

/// The name a document goes by in the ledger: its title, else its 文号, else its file name.
pub fn document_label(doc: &Document) -> String {
    let m = &doc.meta;
    m.title
        .clone()
        .or_else(|| m.doc_number.clone())
        .or_else(|| m.notice_title.clone())
        .or_else(|| {
            doc.source.path.as_ref().map(|p| {
                std::path::Path::new(p)
                    .file_name()
                    .map_or_else(|| p.clone(), |n| n.to_string_lossy().to_string())
            })
        })
        .unwrap_or_default()
}

/// A row of 部门任务 before it is sorted: the department's canonical name, the role, and the
/// cells after those two.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentRow {
    /// The canonical name (`Document.departments[].name`).
    pub department: String,
    /// Lead or participant.
    pub role: Role,
    /// The cells of the columns after 部门 and 角色.
    pub cells: Vec<Cell>,
}

/// The rows one document gives each sheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentRows {
    /// 任务清单.
    pub tasks: Vec<Vec<Cell>>,
    /// 部门任务, in document order (sorted when the workbook is finished).
    pub departments: Vec<DepartmentRow>,
    /// 指标.
    pub targets: Vec<Vec<Cell>>,
    /// 文件: one row.
    pub document: Vec<Cell>,
}

/// Labels in the sheet's language.
fn role_label(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Lead, Lang::Zh) => "牵头",
        (Role::Participant, Lang::Zh) => "配合",
        (Role::Lead, Lang::En) => "lead",
        (Role::Participant, Lang::En) => "participant",
    }
}

fn kind_label(kind: TargetKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (TargetKind::Level, Lang::Zh) => "达到",
        (TargetKind::Increase, Lang::Zh) => "提高",
        (TargetKind::Decrease, Lang::Zh) => "降低",
        (TargetKind::New, Lang::Zh) => "新增",
        (TargetKind::Level, Lang::En) => "level",
        (TargetKind::Increase, Lang::En) => "increase",
        (TargetKind::Decrease, Lang::En) => "decrease",
        (TargetKind::New, Lang::En) => "new",
    }
}

fn bound_label(bound: Bound, lang: Lang) -> &'static str {
    match (bound, lang) {
        (Bound::Exact, Lang::Zh) => "精确",
        (Bound::Approx, Lang::Zh) => "左右",
        (Bound::AtLeast, Lang::Zh) => "不低于",
        (Bound::AtMost, Lang::Zh) => "不高于",
        (Bound::Exact, Lang::En) => "exact",
        (Bound::Approx, Lang::En) => "approx",
        (Bound::AtLeast, Lang::En) => "at_least",
        (Bound::AtMost, Lang::En) => "at_most",
    }
}

fn source_label(annex: bool, lang: Lang) -> &'static str {
    match (annex, lang) {
        (false, Lang::Zh) => "正文",
        (true, Lang::Zh) => "附件",
        (false, Lang::En) => "body",
        (true, Lang::En) => "annex",
    }
}

/// The Chinese name of a diagnostic code, for the notes of a Chinese sheet.
fn code_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "empty-document" => "空文件",
        "no-headings" => "无编号标题",
        "annex-not-read" => "附件未读取",
        "malformed-bytes" => "含无法解码的字节",
        "ordinal-start" => "序号不从一开始",
        "ordinal-gap" => "序号跳号",
        "ordinal-restart" => "序号重新开始",
        "marker-out-of-sequence" => "序号不连续",
        "marker-without-title" => "标题缺失",
        "missing-attribution" => "缺少责任单位",
        "similar-department-names" => "部门名称相近",
        "unclosed-attribution" => "责任单位括号未闭合",
        "indicator-table-not-read" => "指标表未读取",
        "rules-failed" => "规则未编译",
        _ => return None,
    })
}

fn diagnostic_line(d: &crate::model::Diagnostic, lang: Lang) -> String {
    match (lang, code_label(&d.code)) {
        (Lang::Zh, Some(label)) => format!("{label}（{}）：{}", d.code, d.message),
        _ => format!("{}: {}", d.code, d.message),
    }
}

/// A number as the JSON writes it: whole numbers without a fraction.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// `指标 数值单位`, with the upper end of a range.
fn target_line(t: &Target) -> String {
    let value = match t.value_max {
        Some(max) => format!("{}–{}", format_number(t.value), format_number(max)),
        None => format_number(t.value),
    };
    let indicator = t.indicator.trim();
    if indicator.is_empty() {
        format!("{value}{}", t.unit)
    } else {
        format!("{indicator} {value}{}", t.unit)
    }
}

/// Where each diagnostic belongs: the innermost body task, or the annex row, whose span
/// contains it. Keys are task ids, or `#n` for the n-th annex row.
fn diagnostics_by_owner(doc: &Document, lang: Lang) -> HashMap<String, Vec<String>> {
    let tasks = doc.all_tasks();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for d in &doc.diagnostics {
        let Some(span) = d.span else { continue };
        let inside =
            |s: &crate::model::Span| s.end > s.start && s.start <= span.start && span.end <= s.end;
        // Children lie inside parents, so the deepest containing task owns the text.
        let owner = tasks
            .iter()
            .filter(|t| inside(&t.span))
            .max_by_key(|t| t.level)
            .map(|t| t.id.clone())
            .or_else(|| {
                doc.annex_tasks
                    .iter()
                    .position(|a| inside(&a.span))
                    .map(|i| format!("#{i}"))
            });
        if let Some(owner) = owner {
            out.entry(owner).or_default().push(diagnostic_line(d, lang));
        }
    }
    out
}

/// The canonical name of each spelling (`Document.departments[].aliases`).
fn canonical_names(doc: &Document) -> HashMap<&str, &str> {
    let mut map = HashMap::new();
    for d in &doc.departments {
        map.insert(d.name.as_str(), d.name.as_str());
        for a in &d.aliases {
            map.entry(a.as_str()).or_insert(d.name.as_str());
        }
    }
    map
}

/// Names mapped to canonical ones, each once, in order.
fn canonical<'a>(names: &'a [String], map: &HashMap<&str, &'a str>) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for n in names {
        let c = map.get(n.as_str()).copied().unwrap_or(n.as_str());
        if !out.iter().any(|(seen, _)| *seen == c) {
            out.push((c, n.as_str()));
        }
    }
    out
}

fn join_names(names: &[(&str, &str)]) -> String {
    names.iter().map(|(c, _)| *c).collect::<Vec<_>>().join("、")
}

/// `二、… / （一）…`: the markers and titles of the ancestors.
fn section_path(ancestors: &[&Task]) -> String {
    ancestors
        .iter()
        .map(|t| format!("{}{}", t.marker, t.title))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The cells of an annex row that say more than its task, departments and deadline.
fn annex_details(a: &AnnexTask) -> String {
    let deadline = a.deadline.as_ref().map(|d| d.text.as_str());
    a.cells
        .iter()
        .filter(|c| {
            let t = c.text.trim();
            !t.is_empty()
                && t != a.task.trim()
                && t != a.row.trim()
                && Some(t) != deadline.map(str::trim)
                && !c.header.contains("单位")
                && !c.header.contains("部门")
        })
        .map(|c| {
            if c.header.trim().is_empty() {
                c.text.clone()
            } else {
                format!("{}：{}", c.header.trim(), c.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a row of 任务清单 and its rows in 部门任务 share.
struct RowParts<'a> {
    id: String,
    section: String,
    title: String,
    text: String,
    lead: Vec<(&'a str, &'a str)>,
    participants: Vec<(&'a str, &'a str)>,
    targets: String,
    deadline: Option<&'a Deadline>,
    annex: bool,
    notes: String,
}

/// The rows `doc` gives each sheet, in `lang`.
pub fn document_rows(doc: &Document, lang: Lang) -> DocumentRows {
    let label = document_label(doc);
    let names = canonical_names(doc);
    let mut notes = diagnostics_by_owner(doc, lang);
    let mut parts: Vec<RowParts<'_>> = Vec::new();
    for_each_unit(doc, |t, ancestors| {
        parts.push(RowParts {
            id: t.id.clone(),
            section: section_path(ancestors),
            title: t.title.clone(),
            text: t.text.clone(),
            lead: canonical(&t.lead, &names),
            participants: canonical(&t.participants, &names),
            targets: t
                .targets
                .iter()
                .map(target_line)
                .collect::<Vec<_>>()
                .join("\n"),
            deadline: t.deadline.as_ref(),
            annex: false,
            notes: notes.remove(&t.id).unwrap_or_default().join("\n"),
        });
    });
    for (i, a) in doc.annex_tasks.iter().enumerate() {
        let mut note = notes.remove(&format!("#{i}")).unwrap_or_default();
        if let Some(id) = &a.restates {
            note.insert(
                0,
                match lang {
                    Lang::Zh => format!("重述正文 {id}"),
                    Lang::En => format!("restates {id} of the body"),
                },
            );
        }
        parts.push(RowParts {
            id: a.row.clone(),
            section: String::new(),
            title: a.task.clone(),
            text: annex_details(a),
            lead: canonical(&a.lead, &names),
            participants: canonical(&a.participants, &names),
            targets: String::new(),
            deadline: a.deadline.as_ref(),
            annex: true,
            notes: note.join("\n"),
        });
    }

    let mut rows = DocumentRows::default();
    for p in &parts {
        let deadline = p
            .deadline
            .map_or(Cell::Blank, |d| Cell::text(d.text.clone()));
        let due = Cell::opt_date(p.deadline.and_then(due_date));
        let source = Cell::text(source_label(p.annex, lang));
        rows.tasks.push(vec![
            Cell::text(label.clone()),
            Cell::text(p.id.clone()),
            Cell::text(p.section.clone()),
            Cell::text(p.title.clone()),
            Cell::text(p.text.clone()),
            Cell::text(join_names(&p.lead)),
            Cell::text(join_names(&p.participants)),
            Cell::text(p.targets.clone()),
            deadline.clone(),
            due.clone(),
            source.clone(),
            Cell::text(p.notes.clone()),
        ]);
        let roles = [(Role::Lead, &p.lead), (Role::Participant, &p.participants)];
        for (role, list) in roles {
            for (name, written) in list {
                rows.departments.push(DepartmentRow {
                    department: (*name).to_string(),
                    role,
                    cells: vec![
                        Cell::text(label.clone()),
                        Cell::text(p.id.clone()),
                        Cell::text(p.title.clone()),
                        Cell::text(p.text.clone()),
                        deadline.clone(),
                        due.clone(),
                        Cell::text(p.section.clone()),
                        Cell::text(*written),
                        source.clone(),
                    ],
                });
            }
        }
    }

    for t in doc.all_tasks() {
        for target in &t.targets {
            rows.targets.push(target_row(&label, t, target, lang));
        }
    }

    let count = |n: usize| Cell::Number(n as f64);
    let m = &doc.meta;
    rows.document = vec![
        Cell::text(label),
        Cell::text(m.notice_title.clone().unwrap_or_default()),
        Cell::text(m.doc_number.clone().unwrap_or_default()),
        Cell::text(m.issuers.join("、")),
        date_cell(m.date.as_deref()),
        date_cell(m.published.as_deref()),
        Cell::text(doc.source.path.clone().unwrap_or_default()),
        count(doc.all_tasks().len()),
        count(parts.iter().filter(|p| !p.annex).count()),
        count(doc.annex_tasks.len()),
        count(doc.departments.len()),
        count(rows.targets.len()),
        count(doc.diagnostics.len()),
        Cell::text(
            doc.diagnostics
                .iter()
                .map(|d| diagnostic_line(d, lang))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    rows
}

/// A date cell from `YYYY-MM-DD`, or the text as it is when it is not one.
fn date_cell(s: Option<&str>) -> Cell {
    match s {
        None => Cell::Blank,
        Some(s) => Date::parse(s).map_or_else(|| Cell::text(s), Cell::Date),
    }
}

fn target_row(label: &str, task: &Task, t: &Target, lang: Lang) -> Vec<Cell> {
    let opt_int = |v: Option<i64>| Cell::opt_number(v.map(|v| v as f64));
    vec![
        Cell::text(label),
        Cell::text(task.id.clone()),
        Cell::text(task.title.clone()),
        Cell::text(t.indicator.clone()),
        Cell::Number(t.value),
        Cell::opt_number(t.value_max),
        Cell::text(t.unit.clone()),
        Cell::opt_number(t.si.as_ref().map(|s| s.value)),
        Cell::text(t.si.as_ref().map(|s| s.unit.clone()).unwrap_or_default()),
        opt_int(t.year.map(i64::from)),
        opt_int(t.month.map(i64::from)),
        opt_int(t.baseline_year.map(i64::from)),
        Cell::text(kind_label(t.kind, lang)),
        Cell::text(bound_label(t.bound, lang)),
        Cell::text(t.text.clone()),
    ]
}

/// The label of a role in `lang` (the 角色 column).
pub fn role_cell(role: Role, lang: Lang) -> Cell {
    Cell::text(role_label(role, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_titles_are_read_by_the_word_list_rule() {
        for t in [
            "总体要求",
            "指导思想",
            "基本原则",
            "发展目标",
            "明确发展目标",
            "强化保障措施",
            "指导思想和基本原则",
            "总则",
            "目标",
            "保障措施：",
        ] {
            assert!(is_framing(t), "{t}");
        }
        for t in [
            "重点任务",
            "大力发展新能源新材料产业",
            "主要目标与重点任务",
            "加强组织领导",
            "推进碳达峰目标",
            "",
        ] {
            assert!(!is_framing(t), "{t}");
        }
    }

    #[test]
    fn due_dates_end_the_period_the_text_gives() {
        let d = |kind, year, month, day| Deadline {
            text: String::new(),
            kind,
            year,
            month,
            day,
            from_year: None,
            source: DeadlineSource::Task,
            span: None,
        };
        let date = |y, m, d| Date::new(y, m, d);
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2024), Some(6), None)),
            date(2024, 6, 30)
        );
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2024), Some(2), None)),
            date(2024, 2, 29)
        );
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2023), Some(2), None)),
            date(2023, 2, 28)
        );
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2025), None, None)),
            date(2025, 12, 31)
        );
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2025), Some(3), Some(15))),
            date(2025, 3, 15)
        );
        assert_eq!(
            due_date(&d(DeadlineKind::Period, Some(2025), None, None)),
            date(2025, 12, 31)
        );
        assert_eq!(
            due_date(&d(DeadlineKind::Ongoing, Some(2025), None, None)),
            None
        );
        assert_eq!(due_date(&d(DeadlineKind::Yearly, None, None, None)), None);
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2025), Some(13), None)),
            None
        );
        assert_eq!(
            due_date(&d(DeadlineKind::By, Some(2025), Some(4), Some(31))),
            None
        );
    }

    #[test]
    fn dates_are_read_only_when_they_exist() {
        assert_eq!(Date::parse("2023-08-22"), Date::new(2023, 8, 22));
        assert_eq!(
            Date::parse("2023-08-22").map(|d| d.to_string()).as_deref(),
            Some("2023-08-22")
        );
        assert_eq!(Date::parse("2023-02-30"), None);
        assert_eq!(Date::parse("2023-08"), None);
        assert_eq!(Date::parse("1899-12-31"), None);
    }

    #[test]
    fn numbers_print_as_the_json_does() {
        assert_eq!(format_number(418.0), "418");
        assert_eq!(format_number(1.7), "1.7");
        assert_eq!(format_number(41_800_000_000.0), "41800000000");
    }
}
