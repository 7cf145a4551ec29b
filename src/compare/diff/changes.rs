//! The changes between two aligned documents, field by field: metadata, tasks, departments,
//! targets and the department index. A text edit that a target or department change already
//! explains is not reported twice.

use super::*;

pub(super) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub(super) fn num_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

pub(super) fn target_value(t: &Target) -> String {
    match t.value_max {
        Some(m) => format!("{}-{}{}", fmt_num(t.value), fmt_num(m), t.unit),
        None => format!("{}{}", fmt_num(t.value), t.unit),
    }
}

pub(super) struct Builder<'a> {
    pub(super) ignore: &'a BTreeSet<Field>,
    pub(super) lacks: &'a Lacks,
    pub(super) lang: Lang,
    pub(super) words: Words,
    pub(super) changes: Vec<Change>,
    pub(super) summary: Summary,
}

impl Builder<'_> {
    /// Whether `f` is compared: not ignored, and recorded by both sides.
    pub(super) fn on(&self, f: Field) -> bool {
        let lacks = self.lacks;
        let recorded = match f {
            Field::Text => !lacks.text,
            Field::Marker => !lacks.marker,
            Field::Lead | Field::Participants | Field::Departments => !lacks.departments,
            Field::Targets => !lacks.targets,
            Field::Deadline => !lacks.deadline,
            _ => true,
        };
        recorded && !self.ignore.contains(&f)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        kind: ChangeKind,
        left: Option<&Task>,
        right: Option<&Task>,
        field: Option<&str>,
        old: Option<Value>,
        new: Option<Value>,
        detail: String,
    ) {
        // The lines are written once for both languages, with a space after the colon that
        // Chinese punctuation does not take.
        let detail = match self.lang {
            Lang::Zh => detail.replace("： ", "："),
            Lang::En => detail,
        };
        self.changes.push(Change {
            kind,
            left_id: left.map(|t| t.id.clone()),
            right_id: right.map(|t| t.id.clone()),
            title: right.or(left).map(|t| t.title.clone()),
            field: field.map(str::to_string),
            old,
            new,
            detail,
        });
    }
}

pub(super) fn removed(b: &mut Builder, t: &Task) {
    b.summary.tasks_removed += 1;
    b.push(
        ChangeKind::TaskRemoved,
        Some(t),
        None,
        None,
        Some(json!(t.title)),
        None,
        t.title.clone(),
    );
    contents(b, t, false);
}

/// What an added (or removed) task holds, as changes of its own: its departments and its
/// targets, which the summary counts.
pub(super) fn contents(b: &mut Builder, t: &Task, added: bool) {
    let (left, right) = if added {
        (None, Some(t))
    } else {
        (Some(t), None)
    };
    let sign = if added { "+" } else { "−" };
    let lang = b.lang;
    for (field, label, names) in [
        (Field::Lead, "lead", &t.lead),
        (Field::Participants, "participants", &t.participants),
    ] {
        if !b.on(field) {
            continue;
        }
        for n in names {
            let (kind, old, new) = if added {
                (ChangeKind::AttributionAdded, None, Some(json!(n)))
            } else {
                (ChangeKind::AttributionRemoved, Some(json!(n)), None)
            };
            let detail = format!("{} {sign} {n}", field_label(lang, label));
            b.push(kind, left, right, Some(label), old, new, detail);
        }
    }
    if !b.on(Field::Targets) {
        return;
    }
    for g in t.targets.iter().filter(|g| !g.optional) {
        let value = serde_json::to_value(g).ok();
        let detail = target_line(lang, sign, g);
        if added {
            b.summary.targets_added += 1;
            b.push(
                ChangeKind::TargetAdded,
                left,
                right,
                Some("targets"),
                None,
                value,
                detail,
            );
        } else {
            b.summary.targets_removed += 1;
            b.push(
                ChangeKind::TargetRemoved,
                left,
                right,
                Some("targets"),
                value,
                None,
                detail,
            );
        }
    }
}

/// A field's name in a detail line.
pub(super) fn field_label(lang: Lang, field: &str) -> &str {
    match lang {
        Lang::En => field,
        Lang::Zh => match field {
            "lead" => "牵头",
            "participants" => "配合",
            "marker" => "序号",
            "title" => "标题",
            "text" => "正文",
            "unit" => "单位",
            "year" => "年份",
            "month" => "月份",
            "baseline year" => "基准年",
            "kind" => "类型",
            "bound" => "约束",
            "target" => "目标",
            "department" => "部门",
            "deadline" => "期限",
            other => other,
        },
    }
}

/// `target + 产值: 418亿元 (2025, level, approx)`.
pub(super) fn target_line(lang: Lang, sign: &str, g: &Target) -> String {
    let mut facts = Vec::new();
    if let Some(y) = g.year {
        facts.push(y.to_string());
    }
    facts.push(lang.kind(g.kind).to_string());
    facts.push(lang.bound(g.bound).to_string());
    let sep = lang.pick("，", ", ");
    let (open, close) = match lang {
        Lang::Zh => ("（", "）"),
        Lang::En => (" (", ")"),
    };
    format!(
        "{} {sign} {}{} {}{open}{}{close}",
        field_label(lang, "target"),
        g.indicator,
        lang.pick("：", ":"),
        target_value(g),
        facts.join(sep)
    )
}

pub(super) fn meta_changes(b: &mut Builder, left: &Document, right: &Document) {
    let right_fields = right.meta.fields();
    for ((name, old), (_, new)) in left.meta.fields().into_iter().zip(right_fields) {
        if b.lacks.meta.contains(name) || crate::compare::score::same_value(&old, &new) {
            continue;
        }
        b.summary.meta_changed += 1;
        let show = |v: &Value| match v {
            Value::Null => "—".to_string(),
            Value::String(s) => s.clone(),
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、"),
            other => other.to_string(),
        };
        let detail = format!(
            "{}{} {} → {}",
            b.lang.meta_field(name),
            b.lang.pick("：", ":"),
            show(&old),
            show(&new)
        );
        b.push(
            ChangeKind::MetaChanged,
            None,
            None,
            Some(name),
            Some(old),
            Some(new),
            detail,
        );
    }
}

/// Strings whose change is already reported by a target or department change, so that the
/// text diff does not report it again.
#[derive(Default)]
pub(super) struct Explained {
    pub(super) old: Vec<String>,
    pub(super) new: Vec<String>,
}

impl Explained {
    /// Whether every run of letters and digits in `s` lies inside one of `list`.
    pub(super) fn covers(list: &[String], s: &str) -> bool {
        squash(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|piece| !piece.is_empty())
            .all(|piece| list.iter().any(|e| e.contains(piece)))
    }

    pub(super) fn covers_old(&self, s: &str) -> bool {
        Self::covers(&self.old, s)
    }

    pub(super) fn covers_new(&self, s: &str) -> bool {
        Self::covers(&self.new, s)
    }

    /// The edits of `ops` as (deleted, inserted) text. A deletion followed by an insertion is
    /// one edit, without the characters the two share at either end: the words around an edit
    /// depend on how the text was split (`20[-家大型-]{+个大型+}` is the unit `家` → `个`).
    pub(super) fn edits(ops: &[WordOp]) -> impl Iterator<Item = (&str, &str)> {
        let mut i = 0;
        std::iter::from_fn(move || {
            while let Some(op) = ops.get(i) {
                i += 1;
                match op.tag {
                    DiffTag::Equal => continue,
                    DiffTag::Delete => {
                        if let Some(next) = ops.get(i).filter(|n| n.tag == DiffTag::Insert) {
                            i += 1;
                            return Some(differing(&op.text, &next.text));
                        }
                        return Some((op.text.as_str(), ""));
                    }
                    DiffTag::Insert | DiffTag::Replace => return Some(("", op.text.as_str())),
                }
            }
            None
        })
    }
}

/// `a` and `b` without their common prefix and suffix.
pub(super) fn differing<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    let head: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[head..], &b[head..]);
    let tail: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    (&a[..a.len() - tail], &b[..b.len() - tail])
}

pub(super) fn task_changes(b: &mut Builder, lt: &Task, rt: &Task) {
    let before = b.changes.len();
    let mut explained = Explained::default();
    if b.on(Field::Targets) {
        target_changes(b, lt, rt, &mut explained);
    }
    department_changes(b, lt, rt, &mut explained);
    if b.on(Field::Marker) && marker_shape(&lt.marker) != marker_shape(&rt.marker) {
        b.push(
            ChangeKind::TaskChanged,
            Some(lt),
            Some(rt),
            Some("marker"),
            Some(json!(lt.marker)),
            Some(json!(rt.marker)),
            format!(
                "{}{} {} → {}",
                field_label(b.lang, "marker"),
                b.lang.pick("：", ":"),
                lt.marker,
                rt.marker
            ),
        );
    }
    if b.on(Field::Deadline) {
        deadline_change(b, lt, rt);
    }
    let title_changed = squash(&lt.title) != squash(&rt.title);
    if b.on(Field::Title) && title_changed {
        let ops = b.words.diff(&lt.title, &rt.title);
        b.push(
            ChangeKind::TaskChanged,
            Some(lt),
            Some(rt),
            Some("title"),
            Some(json!(lt.title)),
            Some(json!(rt.title)),
            format!(
                "{}{} {}",
                field_label(b.lang, "title"),
                b.lang.pick("：", ":"),
                render_words(&ops)
            ),
        );
    }
    // Text: only where both sides have it, without the title sentence, and only for edits that
    // no target or department change already explains.
    if b.on(Field::Text)
        && !lt.text.is_empty()
        && !rt.text.is_empty()
        && squash(&lt.text) != squash(&rt.text)
    {
        let body = |t: &Task| -> String {
            match t.text.strip_prefix(t.title.as_str()) {
                Some(rest) if b.on(Field::Title) => rest.to_string(),
                _ => t.text.clone(),
            }
        };
        let (lb, rb) = (body(lt), body(rt));
        let ops = b.words.diff(&lb, &rb);
        let unexplained = Explained::edits(&ops)
            .any(|(old, new)| !explained.covers_old(old) || !explained.covers_new(new));
        if unexplained {
            b.push(
                ChangeKind::TaskChanged,
                Some(lt),
                Some(rt),
                Some("text"),
                Some(json!(lt.text)),
                Some(json!(rt.text)),
                format!(
                    "{}{} {}",
                    field_label(b.lang, "text"),
                    b.lang.pick("：", ":"),
                    render_words(&ops)
                ),
            );
        }
    }
    if b.changes.len() > before {
        b.summary.tasks_changed += 1;
    }
}

/// A deadline compared by what it means (kind, year, month, day, first year), not by its
/// wording or place.
fn deadline_change(b: &mut Builder, lt: &Task, rt: &Task) {
    let detail = !b.lacks.deadline_detail;
    let stated_only = b.lacks.deadline_inherited;
    let key = |d: &Option<Deadline>| {
        d.as_ref()
            .filter(|d| !stated_only || d.source == crate::model::DeadlineSource::Task)
            .map(|d| {
                let extra = if detail {
                    (d.day, d.from_year)
                } else {
                    (None, None)
                };
                (d.kind, d.year, d.month, extra)
            })
    };
    if key(&lt.deadline) == key(&rt.deadline) {
        return;
    }
    let show = |d: &Option<Deadline>| match d {
        None => "—".to_string(),
        Some(d) if !d.text.is_empty() => d.text.clone(),
        Some(d) => {
            let mut s = d.year.map_or_else(String::new, |y| y.to_string());
            if let Some(m) = d.month {
                s.push_str(&format!("-{m:02}"));
            }
            if s.is_empty() {
                json!(d.kind).as_str().unwrap_or_default().to_string()
            } else {
                s
            }
        }
    };
    b.push(
        ChangeKind::TaskChanged,
        Some(lt),
        Some(rt),
        Some("deadline"),
        serde_json::to_value(&lt.deadline).ok(),
        serde_json::to_value(&rt.deadline).ok(),
        format!(
            "{}{} {} → {}",
            field_label(b.lang, "deadline"),
            b.lang.pick("：", ":"),
            show(&lt.deadline),
            show(&rt.deadline)
        ),
    );
}

pub(super) fn department_changes(b: &mut Builder, lt: &Task, rt: &Task, explained: &mut Explained) {
    let roles = [
        (Role::Lead, Field::Lead, "lead"),
        (Role::Participant, Field::Participants, "participants"),
    ];
    let names = |t: &Task, role: Role| -> Vec<String> {
        match role {
            Role::Lead => t.lead.clone(),
            Role::Participant => t.participants.clone(),
        }
    };
    let has = |list: &[String], n: &str| list.iter().any(|x| squash(x) == squash(n));
    // Role changes first: a name that is lead on one side and participant on the other.
    let mut role_changed: Vec<String> = Vec::new();
    if b.on(Field::Lead) && b.on(Field::Participants) {
        for (from, to, from_name, to_name) in [
            (Role::Participant, Role::Lead, "participant", "lead"),
            (Role::Lead, Role::Participant, "lead", "participant"),
        ] {
            for n in names(lt, from) {
                if has(&names(rt, to), &n) && !has(&names(rt, from), &n) && !has(&names(lt, to), &n)
                {
                    role_changed.push(squash(&n));
                    explained.old.push(squash(&n));
                    explained.new.push(squash(&n));
                    b.push(
                        ChangeKind::RoleChanged,
                        Some(lt),
                        Some(rt),
                        Some("role"),
                        Some(json!(from_name)),
                        Some(json!(to_name)),
                        format!(
                            "{n}{} {} → {}",
                            b.lang.pick("：", ":"),
                            b.lang.role(from),
                            b.lang.role(to)
                        ),
                    );
                }
            }
        }
    }
    for (role, field, label) in roles {
        if !b.on(field) {
            continue;
        }
        let (ln, rn) = (names(lt, role), names(rt, role));
        for n in &ln {
            if !has(&rn, n) && !role_changed.contains(&squash(n)) {
                explained.old.push(squash(n));
                b.push(
                    ChangeKind::AttributionRemoved,
                    Some(lt),
                    Some(rt),
                    Some(label),
                    Some(json!(n)),
                    None,
                    format!("{} − {n}", field_label(b.lang, label)),
                );
            }
        }
        for n in &rn {
            if !has(&ln, n) && !role_changed.contains(&squash(n)) {
                explained.new.push(squash(n));
                b.push(
                    ChangeKind::AttributionAdded,
                    Some(lt),
                    Some(rt),
                    Some(label),
                    None,
                    Some(json!(n)),
                    format!("{} + {n}", field_label(b.lang, label)),
                );
            }
        }
    }
}

pub(super) fn target_changes(b: &mut Builder, lt: &Task, rt: &Task, explained: &mut Explained) {
    let (lts, rts) = (&lt.targets, &rt.targets);
    let mut lr: Vec<Option<usize>> = vec![None; lts.len()];
    let mut used = vec![false; rts.len()];
    let key = |t: &Target| (squash(&t.indicator), squash(&t.unit));
    // Same indicator and unit; then same indicator; then same unit and a similar indicator;
    // then the same value and unit.
    type Same<'a> = &'a dyn Fn(&Target, &Target) -> bool;
    let passes: [Same; 4] = [
        &|a, c| key(a) == key(c),
        &|a, c| !a.indicator.is_empty() && squash(&a.indicator) == squash(&c.indicator),
        &|a, c| {
            squash(&a.unit) == squash(&c.unit)
                && similarity(&squash(&a.indicator), &squash(&c.indicator)) >= 0.5
        },
        &|a, c| crate::compare::score::same_target(a, c),
    ];
    for pass in passes {
        for (i, a) in lts.iter().enumerate() {
            if lr[i].is_some() {
                continue;
            }
            if let Some(j) = (0..rts.len()).find(|&j| !used[j] && pass(a, &rts[j])) {
                lr[i] = Some(j);
                used[j] = true;
            }
        }
    }
    let lang = b.lang;
    let colon = lang.pick("：", ":");
    for (i, a) in lts.iter().enumerate() {
        let Some(j) = lr[i] else {
            // A borderline target of a hand-checked file is neither missed nor extra.
            if a.optional {
                continue;
            }
            b.summary.targets_removed += 1;
            explained
                .old
                .extend([squash(&fmt_num(a.value)), squash(&a.unit)]);
            b.push(
                ChangeKind::TargetRemoved,
                Some(lt),
                Some(rt),
                Some("targets"),
                serde_json::to_value(a).ok(),
                None,
                target_line(b.lang, "−", a),
            );
            continue;
        };
        let c = &rts[j];
        if a.optional || c.optional {
            continue;
        }
        let mut any = false;
        let name = if c.indicator.is_empty() {
            &a.indicator
        } else {
            &c.indicator
        };
        let mut field = |b: &mut Builder, f: &str, old: Value, new: Value, detail: String| {
            any = true;
            b.push(
                ChangeKind::TargetChanged,
                Some(lt),
                Some(rt),
                Some(f),
                Some(old),
                Some(new),
                detail,
            );
        };
        if (a.value - c.value).abs() > 1e-9 * a.value.abs().max(1.0) || a.value_max != c.value_max {
            let delta = if a.unit == c.unit && a.value_max.is_none() && c.value_max.is_none() {
                format!(
                    " ({}{}{})",
                    if c.value >= a.value { "+" } else { "" },
                    fmt_num(c.value - a.value),
                    c.unit
                )
            } else {
                String::new()
            };
            explained.old.push(squash(&fmt_num(a.value)));
            explained.new.push(squash(&fmt_num(c.value)));
            if let Some(m) = a.value_max {
                explained.old.push(fmt_num(m));
            }
            if let Some(m) = c.value_max {
                explained.new.push(fmt_num(m));
            }
            field(
                b,
                "value",
                num_value(a.value),
                num_value(c.value),
                format!(
                    "{name}{colon} {} → {}{delta}",
                    target_value(a),
                    target_value(c)
                ),
            );
        }
        if squash(&a.unit) != squash(&c.unit) {
            explained.old.push(squash(&a.unit));
            explained.new.push(squash(&c.unit));
            field(
                b,
                "unit",
                json!(a.unit),
                json!(c.unit),
                format!(
                    "{name}{colon} {} {} → {}",
                    field_label(lang, "unit"),
                    a.unit,
                    c.unit
                ),
            );
        }
        if a.year != c.year {
            explained.old.extend(a.year.map(|y| y.to_string()));
            explained.new.extend(c.year.map(|y| y.to_string()));
            field(
                b,
                "year",
                json!(a.year),
                json!(c.year),
                format!(
                    "{name}{colon} {} {} → {}",
                    field_label(lang, "year"),
                    show_opt(a.year),
                    show_opt(c.year)
                ),
            );
        }
        if !b.lacks.target_month && a.month != c.month {
            let show = |m: Option<u32>| m.map_or("—".to_string(), |m| m.to_string());
            field(
                b,
                "month",
                json!(a.month),
                json!(c.month),
                format!(
                    "{name}{colon} {} {} → {}",
                    field_label(lang, "month"),
                    show(a.month),
                    show(c.month)
                ),
            );
        }
        if a.baseline_year != c.baseline_year {
            explained.old.extend(a.baseline_year.map(|y| y.to_string()));
            explained.new.extend(c.baseline_year.map(|y| y.to_string()));
            field(
                b,
                "baseline_year",
                json!(a.baseline_year),
                json!(c.baseline_year),
                format!(
                    "{name}{colon} {} {} → {}",
                    field_label(lang, "baseline year"),
                    show_opt(a.baseline_year),
                    show_opt(c.baseline_year)
                ),
            );
        }
        if a.kind != c.kind {
            field(
                b,
                "kind",
                json!(a.kind),
                json!(c.kind),
                format!(
                    "{name}{colon} {} {} → {}",
                    field_label(lang, "kind"),
                    lang.kind(a.kind),
                    lang.kind(c.kind)
                ),
            );
        }
        if a.bound != c.bound {
            field(
                b,
                "bound",
                json!(a.bound),
                json!(c.bound),
                format!(
                    "{name}{colon} {} {} → {}",
                    field_label(lang, "bound"),
                    lang.bound(a.bound),
                    lang.bound(c.bound)
                ),
            );
        }
        if any {
            b.summary.targets_changed += 1;
        }
    }
    for (j, c) in rts.iter().enumerate() {
        if !used[j] && !c.optional {
            b.summary.targets_added += 1;
            explained
                .new
                .extend([squash(&fmt_num(c.value)), squash(&c.unit)]);
            b.push(
                ChangeKind::TargetAdded,
                Some(lt),
                Some(rt),
                Some("targets"),
                None,
                serde_json::to_value(c).ok(),
                target_line(b.lang, "+", c),
            );
        }
    }
}

pub(super) fn show_opt(v: Option<i32>) -> String {
    v.map_or("—".to_string(), |y| y.to_string())
}

pub(super) fn index_changes(b: &mut Builder, left: &Document, right: &Document) {
    let names = |d: &Document| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = d
            .departments
            .iter()
            .map(|x| (squash(&x.name), x.name.clone()))
            .collect();
        // Documents without an index (gold files, hand-made JSON): the names of the tasks.
        if d.departments.is_empty() {
            for t in d.all_tasks() {
                for n in t.lead.iter().chain(&t.participants) {
                    if !v.iter().any(|(k, _)| *k == squash(n)) {
                        v.push((squash(n), n.clone()));
                    }
                }
            }
        }
        v
    };
    let all_names = |d: &Document| -> HashMap<String, ()> {
        let mut m = HashMap::new();
        for x in &d.departments {
            for a in &x.aliases {
                m.insert(squash(a), ());
            }
            m.insert(squash(&x.name), ());
        }
        for (k, _) in names(d) {
            m.insert(k, ());
        }
        m
    };
    let (ln, rn) = (names(left), names(right));
    let (la, ra) = (all_names(left), all_names(right));
    for (k, n) in &ln {
        if !ra.contains_key(k) {
            b.summary.departments_removed += 1;
            b.push(
                ChangeKind::DepartmentRemoved,
                None,
                None,
                Some("departments"),
                Some(json!(n)),
                None,
                format!("{} − {n}", field_label(b.lang, "department")),
            );
        }
    }
    for (k, n) in &rn {
        if !la.contains_key(k) {
            b.summary.departments_added += 1;
            b.push(
                ChangeKind::DepartmentAdded,
                None,
                None,
                Some("departments"),
                None,
                Some(json!(n)),
                format!("{} + {n}", field_label(b.lang, "department")),
            );
        }
    }
}
