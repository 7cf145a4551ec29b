//! `annex.toml`: the words of annex task tables' header cells and the role of each column,
//! compiled, and the runner of its examples.

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError};
use crate::base::text::{Text, normalize_str, squash, squash_normalised};
use crate::model::Role;
use crate::stages::deadlines::Context;

use super::{TableRules, read};

/// What a column of an annex task table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// 序号: the row's printed number.
    Number,
    /// A heading over several rows (领域, 类别).
    Group,
    /// The task (重点任务, 工作任务, 改革举措, 任务名称).
    Task,
    /// What the task holds (主要内容, 具体措施).
    Content,
    /// Lead departments (牵头单位, 责任单位).
    Lead,
    /// Participating departments (配合单位).
    Participant,
    /// The 完成时限 cell.
    Deadline,
    /// Any other column (备注).
    Other,
}

impl Column {
    /// The role of the bodies a department column names.
    pub fn role(self) -> Option<Role> {
        match self {
            Column::Lead => Some(Role::Lead),
            Column::Participant => Some(Role::Participant),
            _ => None,
        }
    }

    /// Whether an empty cell of the column takes the cell above it: a group, task, lead or
    /// deadline cell that spans several rows is written once.
    pub fn spans(self) -> bool {
        matches!(
            self,
            Column::Number | Column::Group | Column::Task | Column::Lead | Column::Deadline
        )
    }
}

/// The compiled header words.
#[derive(Debug, Clone, Default)]
pub struct AnnexRules {
    /// Each word, width-normalised and without spaces, with its column.
    words: FxHashMap<String, Column>,
    /// The longest word, in bytes: a longer cell (without its bracket note) is no header.
    longest: usize,
    /// Endings that name a column in a short cell that is no word (`重点内容`, `项目类型`),
    /// longest first.
    endings: Vec<(String, Column)>,
    /// Endings of a place's name (`区`, `街道`): one name ending so may be a place's.
    place_endings: Vec<String>,
    header_examples: Vec<HeaderExample>,
    examples: Vec<Example>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderExample {
    text: String,
    /// A column's role, or `none`.
    role: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    text: String,
    #[serde(default)]
    row: Vec<ExampleRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleRow {
    row: String,
    task: String,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    participants: Vec<String>,
    #[serde(default)]
    deadline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    cells: RawCells,
    column: Vec<RawColumn>,
    #[serde(default)]
    example: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCells {
    place_endings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    role: Column,
    words: Vec<String>,
    #[serde(default)]
    endings: Vec<String>,
    #[serde(default)]
    examples: Vec<HeaderExample>,
}

impl AnnexRules {
    /// The column a header cell names: the cell is a word, or a word and a note in brackets
    /// (`完成时限（年）`), after the year a table is for (`2024年推进任务`, `2025年度目标`).
    /// `cell` is width-normalised.
    pub fn column_of(&self, cell: &str) -> Option<Column> {
        let cell = without_year(cell.trim().trim_end_matches(':'));
        let head = match cell.find('(') {
            Some(0) | None => cell,
            Some(i) if cell.ends_with(')') => &cell[..i],
            Some(_) => cell,
        };
        // Most lines are longer than any header word (spaces aside, which a cell may hold).
        if head.len() > self.longest * 2 {
            return None;
        }
        let key = squash_normalised(head);
        if let Some(&c) = self.words.get(key.as_ref()) {
            return Some(c);
        }
        // A short cell ending in a word of a column's kind.
        let chars = key.chars().count();
        if !(3..=ENDING_CHARS).contains(&chars) {
            return None;
        }
        self.endings
            .iter()
            .find(|(e, _)| key.ends_with(e.as_str()) && key.len() > e.len())
            .map(|(_, c)| *c)
    }
}

impl AnnexRules {
    /// Whether one name (width-normalised) may be a place's as well as a body's: it ends in
    /// a place's ending and does not begin with `各` (`各街道` are bodies).
    pub fn place_like(&self, name: &str) -> bool {
        !name.starts_with('各')
            && self
                .place_endings
                .iter()
                .any(|e| name.ends_with(e.as_str()))
    }
}

/// `cell` without a leading year (`2024年`, `2024年度`) that words follow.
fn without_year(cell: &str) -> &str {
    let digits = cell.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return cell;
    }
    let rest = cell[digits..].trim_start();
    let rest = rest
        .strip_prefix("年度")
        .or_else(|| rest.strip_prefix('年'))
        .unwrap_or(cell)
        .trim_start();
    if rest.is_empty() { cell } else { rest }
}

/// The longest header cell, in characters, read by its ending.
const ENDING_CHARS: usize = 8;

/// Compiles `annex.toml`.
///
/// # Errors
/// A malformed file, or a word listed under two roles, naming file and line.
pub fn compile(src: &RuleSource) -> Result<AnnexRules, RulesError> {
    let raw: Raw = src.parse()?;
    let mut words = FxHashMap::default();
    let mut longest = 0;
    let mut header_examples = Vec::new();
    let mut endings: Vec<(String, Column)> = Vec::new();
    for c in raw.column {
        for e in &c.endings {
            let key = squash(e);
            if key.is_empty() {
                return Err(src.error(None, Some("column"), "an empty ending".to_string()));
            }
            endings.push((key, c.role));
        }
        for w in &c.words {
            let key = squash(w);
            if key.is_empty() {
                return Err(src.error(None, Some("column"), "an empty header word".to_string()));
            }
            longest = longest.max(key.len());
            if let Some(other) = words.insert(key, c.role) {
                if other != c.role {
                    return Err(src.error(
                        None,
                        Some("column"),
                        format!("`{w}` is listed as {other:?} and as {:?}", c.role),
                    ));
                }
            }
        }
        header_examples.extend(c.examples);
    }
    endings.sort_by_key(|(e, _)| std::cmp::Reverse(e.len()));
    Ok(AnnexRules {
        words,
        longest,
        endings,
        place_endings: raw
            .cells
            .place_endings
            .iter()
            .map(|e| normalize_str(e))
            .collect(),
        header_examples,
        examples: raw.example,
    })
}

/// Runs the examples: each header cell's column, and each annex text's rows.
pub fn check_examples(rules: &TableRules) -> Checked {
    let mut checked = Checked::default();
    for ex in &rules.columns.header_examples {
        let got = rules.columns.column_of(&normalize_str(&ex.text));
        let got_name = got.map_or("none".to_string(), |c| format!("{c:?}").to_lowercase());
        let problem =
            (got_name != ex.role).then(|| format!("gave {got_name}, expected {}", ex.role));
        checked.record(RuleFile::Annex, "column", &ex.text, problem);
    }
    for ex in &rules.columns.examples {
        let text = Text::new(ex.text.clone());
        let lines = crate::base::segment::lines(&text);
        let annex: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
        let found = read(
            &text,
            &lines,
            &annex,
            rules,
            &[],
            &Context::default(),
            &[],
            &mut Vec::new(),
        );
        let got: Vec<ExampleRow> = found
            .iter()
            .map(|r| {
                let names = |role: Role| {
                    r.names
                        .iter()
                        .filter(|(ro, _)| *ro == role)
                        .map(|(_, n)| super::joined(&text, n))
                        .collect()
                };
                ExampleRow {
                    row: r.row.clone(),
                    task: r
                        .task
                        .as_ref()
                        .map_or(String::new(), |t| super::joined(&text, t)),
                    lead: names(Role::Lead),
                    participants: names(Role::Participant),
                    deadline: r.deadline.as_ref().map(|(s, _)| super::joined(&text, s)),
                }
            })
            .collect();
        let problem = (got != ex.row).then(|| format!("gave rows {got:?}, expected {:?}", ex.row));
        checked.record(RuleFile::Annex, "example", &ex.text, problem);
    }
    checked
}
