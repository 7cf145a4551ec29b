//! The review page of one document: the text with its readings marked, and a side panel with
//! the task tree, counts, a department filter and the diagnostics.

use std::fmt::Write as _;

use super::html::{escape, json_attr};
use super::marks::{BoxNode, Layer, Mark, PageText, render};
use super::{Origin, Reading};
use crate::compare::diff::Lang;
use crate::model::{BlockKind, Deadline, DeadlineKind, Document, Role, SkipReason, Target, Task};

/// The review page of `reading`, with labels in `lang`.
pub fn page(reading: &Reading, lang: Lang) -> String {
    let doc = &reading.doc;
    let text = &reading.text;
    let mut b = Marks::default();
    let boxes: Vec<BoxNode> = doc
        .tasks
        .iter()
        .map(|t| task_box(t, text, lang, &mut b))
        .collect();
    for (i, block) in doc.blocks.iter().enumerate() {
        let kind = match block.kind {
            BlockKind::Task => continue,
            BlockKind::Chrome => "chrome",
            BlockKind::Meta => "meta",
            BlockKind::Preamble => "preamble",
            BlockKind::Unclassified => "unclassified",
        };
        b.add(
            block.span.start,
            block.span.end,
            Layer::Block,
            &format!("b-{i}"),
            &format!("blk {kind}"),
            String::new(),
        );
    }
    for (i, d) in doc.diagnostics.iter().enumerate() {
        let Some(span) = d.span else { continue };
        let level = match d.level {
            crate::model::Level::Warning => "warning",
            crate::model::Level::Error => "error",
        };
        let attrs = format!(" title=\"{}: {}\"", escape(&d.code), escape(&d.message));
        let class = if span.start == span.end {
            format!("diag pin {level}")
        } else {
            format!("diag {level}")
        };
        b.add(
            span.start,
            span.end,
            Layer::Diagnostic,
            &format!("d-{i}"),
            &class,
            attrs,
        );
    }
    let body = render(text, &boxes, b.marks, b.points);
    let title = doc
        .meta
        .title
        .clone()
        .or(doc.meta.notice_title.clone())
        .or(doc.source.path.clone())
        .unwrap_or_default();
    let heading = format!("{}{}", lang.pick("核对：", "Review: "), title);
    let main = format!("<div class=\"text\">{body}</div>\n");
    super::html::page(
        lang,
        &heading,
        "review",
        &panel(reading, &title, lang),
        &main,
    )
}

/// Marks and point anchors as they are collected.
#[derive(Default)]
struct Marks {
    marks: Vec<Mark>,
    points: Vec<(usize, String)>,
}

impl Marks {
    fn add(
        &mut self,
        start: usize,
        end: usize,
        layer: Layer,
        id: &str,
        class: &str,
        attrs: String,
    ) {
        self.marks.push(Mark {
            start,
            end,
            layer,
            open: format!("<span class=\"{class}\" id=\"{}\"{attrs}>", escape(id)),
            cont: format!("{class} cont"),
            id: escape(id),
        });
    }
}

fn task_box(t: &Task, text: &PageText, lang: Lang, b: &mut Marks) -> BoxNode {
    let id = escape(&t.id);
    let colon = lang.pick("：", ": ");
    let own_start = t.span.start + t.marker.chars().count();
    if let Some(at) = text.find(
        &t.title,
        t.span.start,
        (own_start + 4 + t.title.chars().count()).min(t.span.end),
    ) {
        b.add(
            at,
            at + t.title.chars().count(),
            Layer::Title,
            &format!("h-{}", t.id),
            "ttl",
            String::new(),
        );
    }
    for (k, a) in t.attributions.iter().enumerate() {
        let role = match a.role {
            Role::Lead => "lead",
            Role::Participant => "participant",
        };
        let aid = format!("a-{}-{k}", t.id);
        let attrs = format!(
            " data-task=\"{id}\" data-role=\"{role}\" data-names=\"{}\" title=\"{}{colon}{}\"",
            json_attr(&a.names),
            lang.role(a.role),
            escape(&a.names.join("、"))
        );
        b.add(
            a.span.start,
            a.span.end,
            Layer::Attribution,
            &aid,
            &format!("att {role}"),
            attrs,
        );
        let mut from = a.span.start;
        for (j, n) in a.names.iter().enumerate() {
            if let Some(at) = text.find(n, from, a.span.end) {
                let attrs = format!(" data-dept=\"{}\"", escape(n));
                b.add(
                    at,
                    at + n.chars().count(),
                    Layer::Name,
                    &format!("{aid}-{j}"),
                    "dept",
                    attrs,
                );
                from = at + n.chars().count();
            }
        }
    }
    if let Some(d) = &t.deadline {
        let attrs = format!(
            " data-task=\"{id}\" data-kind=\"{}\" data-year=\"{}\" data-month=\"{}\" data-day=\"{}\" title=\"{}{colon}{}\"",
            deadline_kind(d.kind),
            opt(d.year),
            opt(d.month),
            opt(d.day),
            lang.pick("期限", "deadline"),
            escape(&deadline_text(d, lang))
        );
        match d.span {
            Some(s) if s.end > s.start => {
                b.add(
                    s.start,
                    s.end,
                    Layer::Deadline,
                    &format!("dl-{}", t.id),
                    "dl",
                    attrs,
                );
            }
            // A deadline read from elsewhere (the document's period): a note after the title.
            _ => {
                let note = format!(
                    "{}{colon}{}",
                    lang.pick("期限", "deadline"),
                    deadline_text(d, lang)
                );
                b.points.push((
                    own_start + t.title.chars().count(),
                    format!(
                        "<span class=\"dl note\" id=\"dl-{id}\" data-note=\"{}\"{attrs}></span>",
                        escape(&note)
                    ),
                ));
            }
        }
    }
    for (k, g) in t.targets.iter().enumerate() {
        let attrs = format!(
            " tabindex=\"0\" data-task=\"{id}\" data-indicator=\"{}\" data-value=\"{}\" data-value-max=\"{}\" data-unit=\"{}\" data-year=\"{}\" data-month=\"{}\" data-baseline-year=\"{}\" data-kind=\"{}\" data-bound=\"{}\" title=\"{}\" data-detail=\"{}\"",
            escape(&g.indicator),
            g.value,
            g.value_max.map_or(String::new(), |v| v.to_string()),
            escape(&g.unit),
            opt(g.year),
            opt(g.month),
            opt(g.baseline_year),
            json_str(&g.kind),
            json_str(&g.bound),
            escape(&target_summary(g, lang)),
            escape(&target_detail(g, lang)),
        );
        b.add(
            g.span.start,
            g.span.end,
            Layer::Target,
            &format!("g-{}-{k}", t.id),
            "tgt",
            attrs,
        );
    }
    for (k, s) in t.numbers_skipped.iter().enumerate() {
        let attrs = format!(
            " data-task=\"{id}\" data-reason=\"{}\" title=\"{}{colon}{}\"",
            s.reason,
            lang.pick("未作为目标", "not a target"),
            skip_reason(s.reason, lang)
        );
        b.add(
            s.span.start,
            s.span.end,
            Layer::Skipped,
            &format!("s-{}-{k}", t.id),
            "skip",
            attrs,
        );
    }
    let open = format!(
        "<div class=\"task lv{}\" id=\"t-{id}\" data-id=\"{id}\" data-title=\"{}\" data-lead=\"{}\" data-participants=\"{}\"><span class=\"tid\" data-id=\"{id}\"></span>",
        t.level.min(6),
        escape(&t.title),
        json_attr(&t.lead),
        json_attr(&t.participants),
    );
    BoxNode {
        start: t.span.start,
        end: t.span.end,
        open,
        children: t
            .children
            .iter()
            .map(|c| task_box(c, text, lang, b))
            .collect(),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// An enum's JSON name (`at_least`).
fn json_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn deadline_kind(k: DeadlineKind) -> String {
    json_str(&k)
}

fn deadline_text(d: &Deadline, lang: Lang) -> String {
    if !d.text.is_empty() {
        return d.text.clone();
    }
    match (d.kind, d.year) {
        (DeadlineKind::Ongoing, _) => lang.pick("长期", "ongoing").to_string(),
        (DeadlineKind::Yearly, _) => lang.pick("每年", "yearly").to_string(),
        (_, Some(y)) => d.month.map_or(y.to_string(), |m| format!("{y}-{m:02}")),
        (_, None) => String::new(),
    }
}

fn value(g: &Target) -> String {
    match g.value_max {
        Some(m) => format!("{}–{}{}", g.value, m, g.unit),
        None => format!("{}{}", g.value, g.unit),
    }
}

/// One line for the tooltip: `产值 418亿元 · 2025 · 达到 · 左右`.
fn target_summary(g: &Target, lang: Lang) -> String {
    let mut parts = vec![format!("{} {}", g.indicator, value(g))];
    if let Some(y) = g.year {
        parts.push(y.to_string());
    }
    parts.push(lang.kind(g.kind).to_string());
    parts.push(lang.bound(g.bound).to_string());
    parts.join(" · ")
}

/// Every field, one a line, for the detail box.
fn target_detail(g: &Target, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut lines = vec![
        format!("{}: {}", l("指标", "indicator"), g.indicator),
        format!("{}: {}", l("数值", "value"), value(g)),
        format!("{}: {}", l("单位", "unit"), g.unit),
        format!(
            "{}: {}",
            l("年份", "year"),
            g.year.map_or("—".into(), |y| y.to_string())
        ),
    ];
    if let Some(m) = g.month {
        lines.push(format!("{}: {m}", l("月份", "month")));
    }
    if let Some(y) = g.baseline_year {
        lines.push(format!("{}: {y}", l("基准年", "baseline year")));
    }
    lines.push(format!("{}: {}", l("类型", "kind"), lang.kind(g.kind)));
    lines.push(format!("{}: {}", l("约束", "bound"), lang.bound(g.bound)));
    lines.push(format!("{}: {}", l("原句", "clause"), g.text));
    lines.join("\n")
}

fn skip_reason(r: SkipReason, lang: Lang) -> &'static str {
    let zh = match r {
        SkipReason::Name => "名称的一部分",
        SkipReason::Specification => "规格",
        SkipReason::Date => "日期",
        SkipReason::Threshold => "门槛",
        SkipReason::NoCommitment => "不是承诺",
        SkipReason::Ordinal => "序数",
        SkipReason::DocumentNumber => "文号",
        SkipReason::NoUnit => "没有单位",
        SkipReason::Duration => "时长",
        SkipReason::Indicator => "列举计数",
        SkipReason::Article => "“一个”",
    };
    lang.pick(zh, r.as_str())
}

/// A department for the filter: its name, every spelling, the tasks it leads and joins.
struct Dept {
    name: String,
    aliases: Vec<String>,
    lead: Vec<String>,
    participates: Vec<String>,
}

fn departments(doc: &Document) -> Vec<Dept> {
    if !doc.departments.is_empty() {
        return doc
            .departments
            .iter()
            .map(|d| Dept {
                name: d.name.clone(),
                aliases: d.aliases.clone(),
                lead: d.lead.clone(),
                participates: d.participates.clone(),
            })
            .collect();
    }
    // A JSON file without an index: the names of the tasks.
    let mut out: Vec<Dept> = Vec::new();
    for t in doc.all_tasks() {
        for (names, lead) in [(&t.lead, true), (&t.participants, false)] {
            for n in names {
                let i = match out.iter().position(|d| &d.name == n) {
                    Some(i) => i,
                    None => {
                        out.push(Dept {
                            name: n.clone(),
                            aliases: vec![n.clone()],
                            lead: Vec::new(),
                            participates: Vec::new(),
                        });
                        out.len() - 1
                    }
                };
                let list = if lead {
                    &mut out[i].lead
                } else {
                    &mut out[i].participates
                };
                if !list.contains(&t.id) {
                    list.push(t.id.clone());
                }
            }
        }
    }
    out
}

fn panel(reading: &Reading, title: &str, lang: Lang) -> String {
    let doc = &reading.doc;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let tasks = doc.all_tasks();
    let count = |f: &dyn Fn(&Task) -> usize| tasks.iter().map(|t| f(t)).sum::<usize>();
    let warnings = doc
        .diagnostics
        .iter()
        .filter(|d| d.level == crate::model::Level::Warning)
        .count();
    let errors = doc.diagnostics.len() - warnings;
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{}</h1>", escape(title));
    let origin = match &reading.origin {
        Origin::Parsed => format!(
            "{}{}",
            l("原文：", "source: "),
            escape(doc.source.path.as_deref().unwrap_or("-"))
        ),
        Origin::Given(p) | Origin::Found(p) => format!("{}{}", l("原文：", "source: "), escape(p)),
        Origin::Rebuilt => String::new(),
    };
    if !origin.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"src\">{origin} · {} · {} {}</p>",
            escape(&doc.source.encoding),
            reading.text.len(),
            l("字", "characters")
        );
    } else {
        let _ = writeln!(
            out,
            "<p class=\"banner\" id=\"rebuilt\">{}</p>",
            l(
                "没有原文：正文由 JSON 中的任务文本拼出，JSON 不含的文字（标题、文号、落款、页面框架等）以 ⋯ 表示。给出原文（--source）可看全文。",
                "No source: the text is rebuilt from the task texts in the JSON; text the JSON does not hold (titles, document number, signature, page chrome) shows as ⋯. Give the source (--source) to see it all."
            )
        );
    }
    let stats = [
        (tasks.len(), l("任务", "tasks"), "tasks"),
        (
            count(&|t| t.attributions.len()),
            l("部门归属", "attributions"),
            "attributions",
        ),
        (count(&|t| t.targets.len()), l("目标", "targets"), "targets"),
        (
            count(&|t| usize::from(t.deadline.is_some())),
            l("期限", "deadlines"),
            "deadlines",
        ),
        (
            count(&|t| t.numbers_skipped.len()),
            l("未计数字", "numbers passed over"),
            "skipped",
        ),
        (warnings, l("警告", "warnings"), "warnings"),
        (errors, l("错误", "errors"), "errors"),
    ];
    out.push_str("<ul class=\"counts\">");
    for (n, label, key) in stats {
        let _ = write!(out, "<li data-count=\"{key}\"><b>{n}</b> {label}</li>");
    }
    out.push_str("</ul>\n");

    let _ = write!(
        out,
        "<label class=\"filter\">{} <select id=\"dept\"><option value=\"\">{}</option>",
        l("部门筛选", "Department"),
        l("全部部门", "All departments")
    );
    for d in departments(doc) {
        let _ = write!(
            out,
            "<option value=\"{}\" data-aliases=\"{}\" data-lead=\"{}\" data-participates=\"{}\">{} ({} {} · {} {})</option>",
            escape(&d.name),
            json_attr(&d.aliases),
            json_attr(&d.lead),
            json_attr(&d.participates),
            escape(&d.name),
            lang.role(Role::Lead),
            d.lead.len(),
            lang.role(Role::Participant),
            d.participates.len(),
        );
    }
    let _ = writeln!(
        out,
        "</select></label>\n<p id=\"filter-count\" class=\"muted\" data-unit=\"{}\"></p>",
        l("个任务", "tasks")
    );

    let _ = writeln!(out, "<div id=\"detail\" class=\"detail\" hidden></div>");
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<nav id=\"tree\">",
        l("任务结构", "Tasks")
    );
    tree(&mut out, &doc.tasks, lang);
    out.push_str("</nav>\n");

    let _ = writeln!(
        out,
        "<h2>{} ({})</h2>\n<ol id=\"diags\">",
        l("诊断", "Diagnostics"),
        doc.diagnostics.len()
    );
    for (i, d) in doc.diagnostics.iter().enumerate() {
        let level = match d.level {
            crate::model::Level::Warning => "warning",
            crate::model::Level::Error => "error",
        };
        let code = escape(&d.code);
        let head = if d.span.is_some() {
            format!("<a href=\"#d-{i}\" data-goto-diag=\"d-{i}\">{code}</a>")
        } else {
            format!("<b>{code}</b>")
        };
        let _ = writeln!(
            out,
            "<li class=\"{level}\">{head} {}</li>",
            escape(&d.message)
        );
    }
    out.push_str("</ol>\n");
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<ul class=\"legend\"><li><span class=\"att lead\">{}</span></li><li><span class=\"att participant\">{}</span></li><li><span class=\"tgt\">{}</span></li><li><span class=\"dl\">{}</span></li><li><span class=\"skip\">{}</span></li><li><span class=\"blk chrome\">{}</span></li><li><span class=\"diag warning\">{}</span></li></ul>",
        l("图例", "Legend"),
        l("牵头部门", "lead"),
        l("配合部门", "participant"),
        l("目标（点击看详情）", "target (click for details)"),
        l("期限", "deadline"),
        l("未作为目标的数字", "number passed over"),
        l("页面框架", "page chrome"),
        l("诊断位置", "diagnostic"),
    );
    out
}

fn tree(out: &mut String, tasks: &[Task], lang: Lang) {
    if tasks.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for t in tasks {
        let id = escape(&t.id);
        let mut facts = Vec::new();
        if !t.lead.is_empty() {
            facts.push(format!("{} {}", lang.role(Role::Lead), t.lead.len()));
        }
        if !t.participants.is_empty() {
            facts.push(format!(
                "{} {}",
                lang.role(Role::Participant),
                t.participants.len()
            ));
        }
        if !t.targets.is_empty() {
            facts.push(format!(
                "{} {}",
                lang.pick("目标", "targets"),
                t.targets.len()
            ));
        }
        let _ = write!(
            out,
            "<li data-id=\"{id}\"><a href=\"#t-{id}\" data-goto=\"{id}\"><b>{id}</b> {}</a>",
            escape(&t.title)
        );
        if !facts.is_empty() {
            let _ = write!(out, " <small>{}</small>", facts.join(" · "));
        }
        tree(out, &t.children, lang);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}
