//! The report rendered for people: text (optionally coloured) and Markdown.

use super::*;

/// How to render a report as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
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

/// The report for people: the summary line, then the changes per task.
pub fn render_text(r: &Report, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(&r.summary_line(), "1", style));
    let mut current: Option<(Option<String>, Option<String>)> = None;
    for c in &r.changes {
        let (s, color) = sign(c.kind);
        let task_level = c.left_id.is_some() || c.right_id.is_some();
        match c.kind {
            ChangeKind::TaskAdded | ChangeKind::TaskRemoved => {
                current = None;
                let id = c
                    .right_id
                    .as_ref()
                    .or(c.left_id.as_ref())
                    .cloned()
                    .unwrap_or_default();
                let what = if c.kind == ChangeKind::TaskAdded {
                    "added"
                } else {
                    "removed"
                };
                let _ = writeln!(
                    out,
                    "{}",
                    paint(&format!("{s} {id} {} ({what})", c.detail), color, style)
                );
            }
            _ if task_level => {
                let key = (c.left_id.clone(), c.right_id.clone());
                if current.as_ref() != Some(&key) {
                    let ids = match (&c.left_id, &c.right_id) {
                        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                        (a, b) => b.clone().or(a.clone()).unwrap_or_default(),
                    };
                    let _ = writeln!(
                        out,
                        "\n{}",
                        paint(
                            &format!("{ids} {}", c.title.clone().unwrap_or_default()),
                            "1",
                            style
                        )
                    );
                    current = Some(key);
                }
                let _ = writeln!(
                    out,
                    "  {}",
                    paint(&format!("{s} {}", c.detail), color, style)
                );
            }
            _ => {
                if current.is_some() || out.lines().count() == 1 {
                    let header = if c.kind == ChangeKind::MetaChanged {
                        "meta"
                    } else {
                        "departments"
                    };
                    let _ = writeln!(out, "\n{}", paint(header, "1", style));
                    current = None;
                }
                let _ = writeln!(
                    out,
                    "  {}",
                    paint(&format!("{s} {}", c.detail), color, style)
                );
            }
        }
    }
    out
}

/// The report as a Markdown table, for a review or a ticket.
pub fn render_markdown(r: &Report) -> String {
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
    let _ = writeln!(out, "**{}**\n", esc(&r.summary_line()));
    if r.changes.is_empty() {
        return out;
    }
    let _ = writeln!(out, "| change | task | field | old | new | detail |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for c in &r.changes {
        let task = match (&c.left_id, &c.right_id) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (a, b) => b.clone().or(a.clone()).unwrap_or_default(),
        };
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let (old, new) = if matches!(c.field.as_deref(), Some("text")) {
            (String::new(), String::new())
        } else {
            (show(&c.old), show(&c.new))
        };
        let _ = writeln!(
            out,
            "| {kind} | {} {} | {} | {old} | {new} | {} |",
            esc(&task),
            esc(&c.title.clone().unwrap_or_default()),
            c.field.clone().unwrap_or_default(),
            esc(&c.detail)
        );
    }
    out
}
