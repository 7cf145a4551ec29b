//! The report rendered for people: text (optionally coloured) and Markdown.

use super::*;

/// How to render a report as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// The language of the labels and lines.
    pub lang: Lang,
}

pub(super) fn paint(s: &str, code: &str, style: Style) -> String {
    if style.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

pub(super) fn sign(kind: ChangeKind) -> (&'static str, &'static str) {
    match kind {
        ChangeKind::TaskAdded
        | ChangeKind::TargetAdded
        | ChangeKind::AttributionAdded
        | ChangeKind::DepartmentAdded => ("+", "32"),
        ChangeKind::TaskRemoved
        | ChangeKind::TargetRemoved
        | ChangeKind::AttributionRemoved
        | ChangeKind::DepartmentRemoved => ("-", "31"),
        _ => ("~", "33"),
    }
}

/// Where a line of the text report belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    Task(Option<String>, Option<String>),
    Meta,
    Departments,
}

/// The report for people: the summary line, then the changes per task, each section under its
/// header (a task's ids and title, `meta`, `departments`).
pub fn render_text(r: &Report, style: Style) -> String {
    let lang = style.lang;
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(&r.summary_in(lang), "1", style));
    let mut current: Option<Section> = None;
    for c in &r.changes {
        let (s, color) = sign(c.kind);
        let task_level = c.left_id.is_some() || c.right_id.is_some();
        let section = if task_level {
            Section::Task(c.left_id.clone(), c.right_id.clone())
        } else if c.kind == ChangeKind::MetaChanged {
            Section::Meta
        } else {
            Section::Departments
        };
        match c.kind {
            ChangeKind::TaskAdded | ChangeKind::TaskRemoved => {
                let id = c
                    .right_id
                    .as_ref()
                    .or(c.left_id.as_ref())
                    .cloned()
                    .unwrap_or_default();
                let what = if c.kind == ChangeKind::TaskAdded {
                    lang.pick("（新增）", " (added)")
                } else {
                    lang.pick("（删除）", " (removed)")
                };
                let _ = writeln!(
                    out,
                    "\n{}",
                    paint(&format!("{s} {id} {}{what}", c.detail), color, style)
                );
            }
            _ => {
                if current.as_ref() != Some(&section) {
                    let header = match (&section, &c.left_id, &c.right_id) {
                        (Section::Meta, _, _) => lang.pick("元数据", "meta").to_string(),
                        (Section::Departments, _, _) => {
                            lang.pick("部门", "departments").to_string()
                        }
                        (Section::Task(..), Some(a), Some(b)) if a != b => {
                            format!("{a} → {b} {}", c.title.clone().unwrap_or_default())
                        }
                        (Section::Task(..), a, b) => format!(
                            "{} {}",
                            b.clone().or(a.clone()).unwrap_or_default(),
                            c.title.clone().unwrap_or_default()
                        ),
                    };
                    let _ = writeln!(out, "\n{}", paint(&header, "1", style));
                }
                let _ = writeln!(
                    out,
                    "  {}",
                    paint(&format!("{s} {}", c.detail), color, style)
                );
            }
        }
        current = Some(section);
    }
    out
}

/// The report as a Markdown table, for a review or a ticket.
pub fn render_markdown(r: &Report, lang: Lang) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let show = |v: &Option<Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => esc(s),
        Some(Value::Array(a)) => esc(&a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("、")),
        Some(Value::Object(_)) => String::new(),
        Some(other) => esc(&other.to_string()),
    };
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", esc(&r.summary_in(lang)));
    if r.changes.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "| 变化 | 任务 | 字段 | 原值 | 新值 | 说明 |",
            "| change | task | field | old | new | detail |"
        )
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for c in &r.changes {
        let task = match (&c.left_id, &c.right_id) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (a, b) => b.clone().or(a.clone()).unwrap_or_default(),
        };
        let (old, new) = if matches!(c.field.as_deref(), Some("text" | "targets" | "deadline")) {
            (String::new(), String::new())
        } else {
            (show(&c.old), show(&c.new))
        };
        let field = c
            .field
            .as_deref()
            .map(|f| field_label(lang, f))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} {} | {field} | {old} | {new} | {} |",
            lang.change_kind(c.kind),
            esc(&task),
            esc(&c.title.clone().unwrap_or_default()),
            esc(&c.detail)
        );
    }
    out
}
