//! A diff report as a page in the review page's style: the summary and a filter by kind of
//! change beside, a card per task (and for metadata and the department index) with its
//! changes marked added, removed, changed or moved.

use std::fmt::Write as _;

use serde_json::Value;
use similar::DiffTag;

use super::html::escape;
use crate::base::display;
use crate::compare::diff::{Change, ChangeKind, Lang, Report, word_diff};

/// How a change is shown: added, removed, changed or moved.
fn status(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::TaskAdded
        | ChangeKind::AttributionAdded
        | ChangeKind::TargetAdded
        | ChangeKind::DepartmentAdded => "added",
        ChangeKind::TaskRemoved
        | ChangeKind::AttributionRemoved
        | ChangeKind::TargetRemoved
        | ChangeKind::DepartmentRemoved => "removed",
        ChangeKind::TaskMoved | ChangeKind::TaskRenumbered => "moved",
        ChangeKind::MetaChanged
        | ChangeKind::TaskChanged
        | ChangeKind::RoleChanged
        | ChangeKind::TargetChanged => "changed",
    }
}

/// A card: its key (the task's ids, or `meta`/`departments`) and its changes.
struct Card<'a> {
    key: (Option<&'a str>, Option<&'a str>, &'static str),
    changes: Vec<&'a Change>,
}

/// The diff report as a self-contained page, with labels in `lang`.
pub fn diff_page(r: &Report, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut cards: Vec<Card> = Vec::new();
    for c in &r.changes {
        let section = if c.left_id.is_some() || c.right_id.is_some() {
            "task"
        } else if c.kind == ChangeKind::MetaChanged {
            "meta"
        } else {
            "departments"
        };
        let key = (c.left_id.as_deref(), c.right_id.as_deref(), section);
        match cards.last_mut() {
            Some(card) if card.key == key => card.changes.push(c),
            _ => cards.push(Card {
                key,
                changes: vec![c],
            }),
        }
    }
    let mut main = String::new();
    let mut nav = String::new();
    for (n, card) in cards.iter().enumerate() {
        let first = card.changes[0];
        let whole = match first.kind {
            ChangeKind::TaskAdded => Some("added"),
            ChangeKind::TaskRemoved => Some("removed"),
            _ => None,
        };
        let statuses: Vec<&str> = card.changes.iter().map(|c| status(c.kind)).collect();
        let head = match card.key {
            (_, _, "meta") => l("元数据", "Metadata").to_string(),
            (_, _, "departments") => l("部门索引", "Department index").to_string(),
            (Some(a), Some(b), _) if a != b => {
                format!(
                    "{} → {} {}",
                    escape(a),
                    escape(b),
                    escape(first.title.as_deref().unwrap_or(""))
                )
            }
            (a, b, _) => format!(
                "{} {}",
                escape(b.or(a).unwrap_or("")),
                escape(first.title.as_deref().unwrap_or(""))
            ),
        };
        let badge = match whole {
            Some("added") => format!(" <span class=\"badge added\">{}</span>", l("新增", "added")),
            Some(_) => format!(
                " <span class=\"badge removed\">{}</span>",
                l("删除", "removed")
            ),
            None => String::new(),
        };
        let class = whole.unwrap_or(if statuses.contains(&"moved") {
            "moved"
        } else {
            "changed"
        });
        let _ = write!(
            main,
            "<section class=\"card {class}\" id=\"c-{n}\" data-statuses=\"{}\"><h3>{head}{badge}</h3><ul>",
            statuses.join(" ")
        );
        for c in &card.changes {
            if matches!(c.kind, ChangeKind::TaskAdded | ChangeKind::TaskRemoved) {
                continue;
            }
            let _ = write!(
                main,
                "<li class=\"chg {}\" data-kind=\"{}\"><span class=\"kind\">{}</span> {}</li>",
                status(c.kind),
                kind_name(c.kind),
                escape(lang.change_kind(c.kind)),
                line(c, lang)
            );
        }
        main.push_str("</ul></section>\n");
        let _ = write!(
            nav,
            "<li class=\"{class}\"><a href=\"#c-{n}\">{head}</a></li>"
        );
    }
    if cards.is_empty() {
        let _ = write!(
            main,
            "<p class=\"none\">{}</p>",
            l("没有差异", "No differences")
        );
    }
    let side = |s: &crate::compare::diff::Side| {
        format!(
            "{} <small>{}</small>",
            escape(s.title.as_deref().unwrap_or("")),
            escape(s.path.as_deref().unwrap_or(""))
        )
    };
    let mut panel = String::new();
    let _ = writeln!(panel, "<h1>{}</h1>", l("差异", "Changes"));
    let _ = writeln!(
        panel,
        "<p class=\"src\">{} {}<br>{} {}</p>",
        l("左（原/应为）：", "left (old / expected):"),
        side(&r.left),
        l("右（新/待查）：", "right (new / checked):"),
        side(&r.right)
    );
    let _ = writeln!(
        panel,
        "<p id=\"summary\"><b>{}</b></p>",
        escape(&r.summary_in(lang))
    );
    panel.push_str("<fieldset id=\"kinds\">");
    for (status, zh, en) in [
        ("added", "新增", "added"),
        ("removed", "删除", "removed"),
        ("changed", "改动", "changed"),
        ("moved", "移动与重新编号", "moved, renumbered"),
    ] {
        let n = r
            .changes
            .iter()
            .filter(|c| self::status(c.kind) == status)
            .count();
        let _ = write!(
            panel,
            "<label class=\"{status}\"><input type=\"checkbox\" value=\"{status}\" checked> {} ({n})</label>",
            lang.pick(zh, en)
        );
    }
    panel.push_str("</fieldset>\n");
    let _ = writeln!(
        panel,
        "<h2>{}</h2><ul id=\"cards\">{nav}</ul>",
        l("任务", "Tasks")
    );
    super::html::page(
        lang,
        &format!(
            "{}{}",
            l("差异：", "Changes: "),
            r.right.title.as_deref().unwrap_or("")
        ),
        "changes",
        &panel,
        &main,
    )
}

fn kind_name(kind: ChangeKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The change's line: a word-by-word rendering for a title or text, else its detail.
fn line(c: &Change, lang: Lang) -> String {
    let text = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_string);
    match (c.kind, c.field.as_deref(), text(&c.old), text(&c.new)) {
        (ChangeKind::TaskChanged, Some(field @ ("title" | "text")), Some(old), Some(new)) => {
            let label = if field == "title" {
                lang.pick("标题", "title")
            } else {
                lang.pick("正文", "text")
            };
            let mut out = format!("<span class=\"field\">{label}</span> ");
            let ops = word_diff(&old, &new);
            for (i, op) in ops.iter().enumerate() {
                match op.tag {
                    DiffTag::Equal => {
                        let keep = 16;
                        if op.text.chars().count() <= keep * 2 + 1 {
                            out.push_str(&escape(&op.text));
                        } else {
                            if i > 0 {
                                out.push_str(&escape(display::head(&op.text, keep)));
                            }
                            out.push('…');
                            if i + 1 < ops.len() {
                                out.push_str(&escape(display::tail(&op.text, keep)));
                            }
                        }
                    }
                    DiffTag::Delete => {
                        let _ = write!(out, "<del>{}</del>", escape(&op.text));
                    }
                    DiffTag::Insert | DiffTag::Replace => {
                        let _ = write!(out, "<ins>{}</ins>", escape(&op.text));
                    }
                }
            }
            out
        }
        _ => escape(&c.detail),
    }
}
