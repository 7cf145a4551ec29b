//! The JSON contract, version 1 (`"schema": "zhengce/1"`).
//!
//! These types are what `zhengce parse` prints and what `zhengce diff` reads back. Names in
//! this module are part of the contract: fields may be added, none may be renamed.
//!
//! Offsets: every [`Span`] counts Unicode scalar values (what Python's `str` and most JSON
//! consumers index by) into the decoded text, half-open `[start, end)`. The decoded text is
//! the input without a byte-order mark and with CRLF and lone CR line ends read as one LF, so
//! a file with CRLF line ends gives the same offsets as the same file with LF. `line` is the
//! 1-based line on which the span starts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize, Serializer};

/// The schema identifier of this contract.
pub const SCHEMA: &str = "zhengce/1";

/// A character range of the decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// First character (Unicode scalar value), 0-based.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Always `zhengce/1` for this version of the contract.
    pub schema: String,
    /// Where the text came from and how it was decoded.
    pub source: Source,
    /// The notice metadata.
    pub meta: Meta,
    /// Text between the title and the first heading.
    pub preamble: Option<Preamble>,
    /// The heading tree: top-level tasks with their children.
    pub tasks: Vec<Task>,
    /// The rows of an annex task table (重点任务分工表), in order; empty when the document
    /// has none.
    #[serde(default)]
    pub annex_tasks: Vec<AnnexTask>,
    /// Every department named in an attribution, in order of first appearance.
    #[serde(default)]
    pub departments: Vec<Department>,
    /// The whole decoded text, in order, without gaps or overlaps.
    #[serde(default)]
    pub blocks: Vec<Block>,
    /// What could not be read, or deserves a look.
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

/// The input and its decoding.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The path given on the command line, or null for standard input and the library.
    pub path: Option<String>,
    /// The encoding used (`UTF-8`, `GBK`, `UTF-16LE`, `UTF-16BE`, `Big5`, …).
    pub encoding: String,
    /// Lowercase hex SHA-256 of the input bytes.
    pub sha256: String,
    /// Number of characters of the decoded text.
    pub chars: usize,
    /// Malformed byte sequences replaced by U+FFFD.
    pub replacements: usize,
    /// Whether the input began with a byte-order mark.
    #[serde(default)]
    pub bom: bool,
    /// How the input's lines ended: `lf`, `crlf`, `cr`, `mixed` or `none`.
    #[serde(default)]
    pub line_endings: String,
    /// What was read: `text`, `html`, `docx`, `doc` or `pdf` (`text` in output written before
    /// other formats were read).
    #[serde(default = "text_format")]
    pub format: String,
}

fn text_format() -> String {
    "text".to_string()
}

/// The notice metadata. A field the document does not have is null (or an empty list).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Meta {
    /// Title of the policy document itself (for a 印发…的通知 wrapper, the attached plan's).
    pub title: Option<String>,
    /// Title of the wrapper notice.
    pub notice_title: Option<String>,
    /// 文号, e.g. `鲁政办发〔2023〕5号`.
    pub doc_number: Option<String>,
    /// A web page's 发布日期, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The signing date (落款), `YYYY-MM-DD`; else the publication date.
    pub date: Option<String>,
    /// A publicity note such as `此件公开发布`.
    pub publicity: Option<String>,
    /// Issuing bodies (发文机关), in order.
    #[serde(default)]
    pub issuers: Vec<String>,
    /// Addressees (主送机关), split at top-level separators.
    #[serde(default)]
    pub recipients: Vec<String>,
}

/// The preamble.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Preamble {
    /// The text as written.
    pub text: String,
    /// Where it is.
    #[serde(default)]
    pub span: Span,
}

/// A numbered heading and what it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Task {
    /// Dotted path of ordinals among siblings (`2.1.1`), not the printed numbers.
    pub id: String,
    /// The marker as printed (`一、`, `(一)`, `1.`, `第三条`).
    pub marker: String,
    /// Depth in the tree, 1 for top-level headings.
    pub level: usize,
    /// The title: the heading line, or its first sentence where title and body share a line.
    pub title: String,
    /// The node's own text (title sentence and body) without its children.
    pub text: String,
    /// From the marker to the end of the last descendant.
    #[serde(default)]
    pub span: Span,
    /// Lead departments, names as written.
    #[serde(default)]
    pub lead: Vec<String>,
    /// Participating departments, names as written.
    #[serde(default)]
    pub participants: Vec<String>,
    /// Each attribution as written, with its role word.
    #[serde(default)]
    pub attributions: Vec<Attribution>,
    /// When the task is due: stated in the task, or the document's period where it states
    /// none; null when neither gives one.
    #[serde(default)]
    pub deadline: Option<Deadline>,
    /// Quantified commitments.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Numbers in the task's own text that were not taken as targets.
    #[serde(default)]
    pub numbers_skipped: Vec<SkippedNumber>,
    /// Sub-headings.
    #[serde(default)]
    pub children: Vec<Task>,
}

/// Lead or participant.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 牵头, 责任, 负责, 按职责分工负责.
    Lead,
    /// 参与, 配合, 协同, 协办, 参加, 支撑, 实施, 组织落实.
    Participant,
}

/// One attribution of departments to a task, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attribution {
    /// The role.
    pub role: Role,
    /// The role word as written (`牵头部门`, `责任单位`, `配合`, `按职责分工负责`).
    pub role_word: String,
    /// The department names, as written.
    pub names: Vec<String>,
    /// Where the role and names are.
    #[serde(default)]
    pub span: Span,
}

/// The direction of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Reach or keep a level (达到, 稳定在, 控制在, 实现, 保持).
    Level,
    /// Rise by (提高, 增长, 提升).
    Increase,
    /// Fall by (下降, 降低, 减少).
    Decrease,
    /// Build, add or complete a count or amount (新建, 新增, 建成, 培育, 创建, 完成, 累计).
    New,
}

/// How the value bounds the commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// As stated.
    Exact,
    /// 左右, 约, 大约, 上下.
    Approx,
    /// 以上, 不少于, 不低于, 超过.
    AtLeast,
    /// 以下, 以内, 不超过, 不高于.
    AtMost,
}

/// A value in its base unit, for arithmetic downstream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Si {
    /// The value in `unit`.
    #[serde(serialize_with = "number")]
    pub value: f64,
    /// The base unit (`元`, `千克`, `米`, `平方米`, `人`, `%`).
    pub unit: String,
}

/// A quantified commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    /// The clause the target was read from, as written.
    pub text: String,
    /// The measured thing, as written.
    pub indicator: String,
    /// The number in the unit as written (1.7 for `1.7万人`).
    #[serde(serialize_with = "number")]
    pub value: f64,
    /// Upper end of a range (`1-2个`), else null.
    #[serde(default, serialize_with = "opt_number")]
    pub value_max: Option<f64>,
    /// The unit as written, with its magnitude prefix (`亿元`, `万人`, `%`, `个百分点`).
    pub unit: String,
    /// The value in a base unit, where the unit has one.
    #[serde(default)]
    pub si: Option<Si>,
    /// The deadline year in force.
    #[serde(default)]
    pub year: Option<i32>,
    /// The deadline's month, where the text gives one (`2024年6月底前`).
    #[serde(default)]
    pub month: Option<u32>,
    /// The comparison year (`比2020年`).
    #[serde(default)]
    pub baseline_year: Option<i32>,
    /// Direction.
    pub kind: TargetKind,
    /// Bound.
    pub bound: Bound,
    /// Where the number and unit are.
    #[serde(default)]
    pub span: Span,
    /// A borderline case in a hand-checked file: scoring neither rewards nor penalises it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

/// A number that was passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedNumber {
    /// The number (with its unit) as written.
    pub text: String,
    /// Why it is not a target.
    pub reason: SkipReason,
    /// Where it is.
    #[serde(default)]
    pub span: Span,
}

/// Why a number is not a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Part of a name: a title or short quotation, a code (`5G`), `十四五`, `一期`, `121号`.
    Name,
    /// Describes a thing rather than a quantity to reach (`110千伏`, `千亿级`, `5万吨` before
    /// a noun).
    Specification,
    /// A date (`2023年8月22日`).
    Date,
    /// Picks what is counted (`10万元` in `90%以上的行政村集体收入超10万元`).
    Threshold,
    /// States what is or was, or commits to nothing (`现有绿道100公里`, `已完成…12公里`).
    NoCommitment,
    /// An ordinal (`第二批`, `第97次`).
    Ordinal,
    /// Part of a document number (`[2023]5号`).
    DocumentNumber,
    /// Has no unit (`9类` read as `9`).
    NoUnit,
    /// A duration (`15分钟`).
    Duration,
    /// Counts the items of a list that names the indicator (`徐汇、黄浦、普陀等3个集聚区`).
    Indicator,
    /// `一个` used as "a".
    Article,
}

impl SkipReason {
    /// The reason as the JSON and the rule files write it (`no-commitment`).
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Name => "name",
            SkipReason::Specification => "specification",
            SkipReason::Date => "date",
            SkipReason::Threshold => "threshold",
            SkipReason::NoCommitment => "no-commitment",
            SkipReason::Ordinal => "ordinal",
            SkipReason::DocumentNumber => "document-number",
            SkipReason::NoUnit => "no-unit",
            SkipReason::Duration => "duration",
            SkipReason::Indicator => "indicator",
            SkipReason::Article => "article",
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of deadline a task has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Finish by a date (`2024年12月底前`, `完成时限：2024年12月`).
    By,
    /// No end: 长期坚持, 持续推进, 长期.
    Ongoing,
    /// Over a span of years (`2023—2025年`): `from_year` to `year`.
    Period,
    /// Every year (`每年`).
    Yearly,
}

/// Where a deadline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineSource {
    /// The task's own text or attribution.
    Task,
    /// A cell of an annex task table.
    Table,
    /// The document's period (an annual plan, a three-year plan): the task states none.
    Document,
}

/// When a task is due, as written and normalised to the precision the text gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Deadline {
    /// As written (`2024年12月底前`, `长期坚持`, `2023—2025年`).
    pub text: String,
    /// By a date, ongoing, a period or yearly.
    pub kind: DeadlineKind,
    /// The year (the last year of a period), or null.
    pub year: Option<i32>,
    /// The month, where the text gives one.
    pub month: Option<u32>,
    /// The day, where the text gives one.
    pub day: Option<u32>,
    /// The first year of a period.
    #[serde(default)]
    pub from_year: Option<i32>,
    /// Stated in the task, in an annex table, or the document's period.
    pub source: DeadlineSource,
    /// Where the text is, or null for a deadline read from elsewhere (the document's title).
    #[serde(default)]
    pub span: Option<Span>,
}

/// One cell of an annex table row, with its column's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Cell {
    /// The column's header as written (`重点任务`, `牵头单位`), or empty.
    pub header: String,
    /// The cell as written.
    pub text: String,
}

/// A row of an annex task table: for a ledger, a task of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnnexTask {
    /// The printed 序号, or the row's ordinal when none is printed.
    pub row: String,
    /// The row's work as written: its content cell (主要内容, 任务内容 …) where the table has
    /// one, else its task cell (重点任务, 工作任务, 改革举措 …); a cell wrapped over lines is
    /// one text.
    pub task: String,
    /// Every cell of the row, in column order.
    pub cells: Vec<Cell>,
    /// Lead departments, names as written.
    pub lead: Vec<String>,
    /// Participating departments, names as written.
    pub participants: Vec<String>,
    /// The 完成时限 cell, read (`source` is `table`; its span is the cell's, above the row
    /// where the cell spans several rows).
    pub deadline: Option<Deadline>,
    /// The id of the body task this row restates, where one matches.
    #[serde(default)]
    pub restates: Option<String>,
    /// Where the row is: its line, or from its 序号 to its last cell for a table written one
    /// cell a line.
    #[serde(default)]
    pub span: Span,
}

/// A department named in attributions, with the tasks it leads and takes part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Department {
    /// The name (its first spelling).
    pub name: String,
    /// Every spelling found, as written.
    pub aliases: Vec<String>,
    /// Ids of the tasks it leads.
    pub lead: Vec<String>,
    /// Ids of the tasks it takes part in.
    pub participates: Vec<String>,
}

/// What a block of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Page chrome (header rows, footers).
    Chrome,
    /// Wrapper notice, titles, 文号, recipients, signature, date.
    Meta,
    /// Between the title and the first heading.
    Preamble,
    /// A task's own text (see `task`).
    Task,
    /// Text that fits no rule (see the diagnostics).
    Unclassified,
}

/// A run of lines of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Block {
    /// What the text is.
    pub kind: BlockKind,
    /// Where it is; blocks tile the decoded text.
    pub span: Span,
    /// For a `task` block, the id of the task whose own text it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
}

/// Diagnostic severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Complete but worth a look.
    Warning,
    /// Part of the document could not be read.
    Error,
}

/// A finding about the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    /// Severity.
    pub level: Level,
    /// Stable code (`no-headings`, `ordinal-gap`, `missing-attribution`, …).
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// Where, if anywhere in particular.
    pub span: Option<Span>,
}

/// Writes whole numbers without a fraction (`418`, not `418.0`).
fn number<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn opt_number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => number(v, s),
        None => s.serialize_none(),
    }
}

impl Meta {
    /// Every field with its name and value, in contract order.
    pub fn fields(&self) -> [(&'static str, serde_json::Value); 8] {
        use serde_json::json;
        [
            ("title", json!(self.title)),
            ("notice_title", json!(self.notice_title)),
            ("doc_number", json!(self.doc_number)),
            ("published", json!(self.published)),
            ("date", json!(self.date)),
            ("publicity", json!(self.publicity)),
            ("issuers", json!(self.issuers)),
            ("recipients", json!(self.recipients)),
        ]
    }
}

impl Document {
    /// All tasks in document order (depth first).
    pub fn all_tasks(&self) -> Vec<&Task> {
        fn walk<'a>(ts: &'a [Task], out: &mut Vec<&'a Task>) {
            for t in ts {
                out.push(t);
                walk(&t.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.tasks, &mut out);
        out
    }
}

/// The JSON Schema of [`Document`].
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Document)).unwrap_or(serde_json::Value::Null)
}
