//! `zhengce diff` misses no correction: attribution copies, hand-trimmed and gold files, the
//! contents of added and removed tasks, section headers, deadlines, languages and counts.

use crate::common;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use zhengce::compare::diff::{self, ChangeKind, Lang, Report, Style, load_side};
use zhengce::model::DeadlineSource;

fn seed_text() -> String {
    std::fs::read_to_string(common::seed()).unwrap()
}

fn seed_json() -> Value {
    serde_json::to_value(common::parse(&common::seed())).unwrap()
}

/// The task of `id` in a zhengce JSON value.
fn task<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    fn walk<'a>(ts: &'a mut Value, id: &str) -> Option<&'a mut Value> {
        for t in ts.as_array_mut()? {
            if t["id"] == id {
                return Some(t);
            }
            if let Some(x) = walk(&mut t["children"], id) {
                return Some(x);
            }
        }
        None
    }
    walk(&mut v["tasks"], id).unwrap()
}

/// Diffs two files through the real binary: exit code, standard output, standard error.
fn cli(args: &[&str], left: &std::path::Path, right: &std::path::Path) -> (i32, String, String) {
    let out = common::zhengce()
        .arg("diff")
        .args(args)
        .arg(left)
        .arg(right)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn loaded(v: &Value) -> diff::Loaded {
    load_side(
        &serde_json::to_vec(v).unwrap(),
        "expected.json",
        &common::parser(),
    )
    .unwrap()
}

fn source(text: &str) -> diff::Loaded {
    load_side(text.as_bytes(), "notice.txt", &common::parser()).unwrap()
}

fn kinds(r: &Report) -> Vec<ChangeKind> {
    r.changes.iter().map(|c| c.kind).collect()
}

#[test]
fn a_name_removed_from_attributions_only_is_refused_with_a_clear_message() {
    let dir = common::tmp("copies");
    let mut v = seed_json();
    let t = task(&mut v, "2.1.3");
    let names = t["attributions"][1]["names"].as_array_mut().unwrap();
    let gone = names.remove(1);
    let path = dir.join("expected.json");
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let (code, out, err) = cli(&[], &path, &common::seed());
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("task 2.1.3")
            && err.contains(gone.as_str().unwrap())
            && err.contains("correct both copies"),
        "{err}"
    );
    // Corrected in both copies, the removal is one change.
    let t = task(&mut v, "2.1.3");
    let parts = t["participants"].as_array_mut().unwrap();
    parts.retain(|n| *n != gone);
    let r = diff::diff_loaded(
        &loaded(&v),
        &source(&seed_text()),
        &BTreeSet::new(),
        Lang::En,
    );
    assert_eq!(
        kinds(&r),
        [ChangeKind::AttributionAdded],
        "{:#?}",
        r.changes
    );
    assert_eq!(r.changes[0].new, Some(gone));
}

#[test]
fn a_hand_trimmed_expected_file_is_accepted() {
    let mut v = seed_json();
    let o = v.as_object_mut().unwrap();
    for k in ["source", "blocks", "diagnostics", "departments", "preamble"] {
        o.remove(k);
    }
    fn trim(ts: &mut Value) {
        for t in ts.as_array_mut().unwrap() {
            let t = t.as_object_mut().unwrap();
            for k in ["span", "numbers_skipped", "text", "level", "attributions"] {
                t.remove(k);
            }
            for g in t["targets"].as_array_mut().unwrap() {
                let g = g.as_object_mut().unwrap();
                g.remove("span");
                g.remove("si");
                g.remove("text");
            }
            trim(&mut t["children"]);
        }
    }
    trim(&mut v["tasks"]);
    let dir = common::tmp("trimmed");
    let path = dir.join("expected.json");
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let (code, out, err) = cli(&["--lang", "en"], &path, &common::seed());
    assert_eq!((code, out.as_str()), (0, "no differences\n"), "{err}");
    // A correction in the trimmed file still counts.
    task(&mut v, "2.1.1")["targets"][0]["value"] = json!(450);
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let (code, out, _) = cli(&["--lang", "en"], &path, &common::seed());
    assert_eq!(code, 1);
    assert!(out.contains("450亿元 → 418亿元"), "{out}");
}

/// The seed with a task inserted after 2.1.1 that names a new department and sets a target.
fn seed_with_added_task() -> String {
    let a = seed_text();
    let at = a.find("2.健全完善生物医药产业链条").unwrap();
    format!(
        "{}2.加快发展氢能产业。到2025年,氢能产业产值达到50亿元。(牵头部门:县氢能产业办公室;参与部门:县发展和改革局)\n{}",
        &a[..at],
        a[at..]
            .replacen("4.壮大", "5.壮大", 1)
            .replacen("3.推动", "4.推动", 1)
            .replacen("2.健全", "3.健全", 1)
    )
}

#[test]
fn an_added_task_shows_its_contents_and_counts_its_targets() {
    let (a, b) = (source(&seed_text()), source(&seed_with_added_task()));
    let r = diff::diff_loaded(&a, &b, &BTreeSet::new(), Lang::En);
    assert_eq!(
        kinds(&r)[..4],
        [
            ChangeKind::TaskAdded,
            ChangeKind::AttributionAdded,
            ChangeKind::AttributionAdded,
            ChangeKind::TargetAdded
        ],
        "{:#?}",
        r.changes
    );
    assert!(
        r.changes[..4]
            .iter()
            .all(|c| c.right_id.as_deref() == Some("2.1.2"))
    );
    assert_eq!((r.summary.tasks_added, r.summary.targets_added), (1, 1));
    let line = r.summary_line();
    assert!(line.contains("0 targets changed, 1 added"), "{line}");
    // The mirror: a removed task, its contents removed.
    let back = diff::diff_loaded(&b, &a, &BTreeSet::new(), Lang::En);
    assert_eq!(back.summary.targets_removed, 1);
    assert_eq!(back.changes[3].kind, ChangeKind::TargetRemoved);

    let text = diff::render_text(
        &r,
        Style {
            color: false,
            lang: Lang::En,
        },
    );
    let added = text
        .lines()
        .skip_while(|l| !l.starts_with("+ 2.1.2"))
        .take(4)
        .collect::<Vec<_>>();
    assert_eq!(
        added,
        [
            "+ 2.1.2 加快发展氢能产业 (added)",
            "  + lead + 县氢能产业办公室",
            "  + participants + 县发展和改革局",
            "  + target + 氢能产业产值: 50亿元 (2025, level, exact)",
        ],
        "{text}"
    );
}

#[test]
fn the_department_section_keeps_its_header_after_an_added_task() {
    // The last task change is the added task (a sixth measure under 七、); the new department
    // follows under its header.
    let a = seed_text();
    let at = a.find("(牵头部门:县委宣传部、县融媒体中心)").unwrap()
        + "(牵头部门:县委宣传部、县融媒体中心)".len();
    let b = format!(
        "{}\n(六)做好收尾工作。(牵头部门:县收尾工作专班){}",
        &a[..at],
        &a[at..]
    );
    let r = diff::diff_loaded(&source(&a), &source(&b), &BTreeSet::new(), Lang::En);
    assert_eq!(
        kinds(&r),
        [
            ChangeKind::TaskAdded,
            ChangeKind::AttributionAdded,
            ChangeKind::DepartmentAdded
        ],
        "{:#?}",
        r.changes
    );
    let text = diff::render_text(
        &r,
        Style {
            color: false,
            lang: Lang::En,
        },
    );
    assert!(
        text.ends_with("\ndepartments\n  + department + 县收尾工作专班\n"),
        "{text}"
    );
    let r = diff::diff_loaded(&source(&a), &source(&b), &BTreeSet::new(), Lang::Zh);
    let zh = diff::render_text(
        &r,
        Style {
            color: false,
            lang: Lang::Zh,
        },
    );
    assert!(zh.ends_with("\n部门\n  + 部门 + 县收尾工作专班\n"), "{zh}");
}

#[test]
fn a_gold_file_is_not_said_to_differ_where_it_is_silent() {
    // The seed's page gives a 发布日期 and a publicity note, which the gold format lacks.
    let seed = common::seed();
    let doc = common::parse(&seed);
    assert!(doc.meta.published.is_some() && doc.meta.publicity.is_some());
    let gold = seed.with_extension("gold.json");
    let (code, out, err) = cli(&["--lang", "en"], &gold, &seed);
    assert_eq!((code, out.as_str()), (0, "no differences\n"), "{err}");
    // Optional gold targets are neither missing nor extra: 012 has some.
    let f = common::fixtures()
        .into_iter()
        .find(|p| common::short(p) == "012")
        .unwrap();
    let g = load_side(
        &std::fs::read(f.with_extension("gold.json")).unwrap(),
        "gold.json",
        &common::parser(),
    )
    .unwrap();
    let optional = g
        .doc
        .all_tasks()
        .iter()
        .flat_map(|t| &t.targets)
        .filter(|t| t.optional)
        .count();
    assert!(optional > 0);
    let actual = source(&std::fs::read_to_string(&f).unwrap());
    let with = diff::diff_loaded(&g, &actual, &BTreeSet::new(), Lang::En);
    assert!(with.is_empty(), "{:#?}", with.changes);
    // Taken as firm, the same targets are reported: the reading does not have them all.
    let mut firm = g.doc.clone();
    fn make_firm(ts: &mut [zhengce::model::Task]) {
        for t in ts {
            t.targets.iter_mut().for_each(|g| g.optional = false);
            make_firm(&mut t.children);
        }
    }
    make_firm(&mut firm.tasks);
    let firm = diff::Loaded { doc: firm, ..g };
    let r = diff::diff_loaded(&firm, &actual, &BTreeSet::new(), Lang::En);
    assert!(
        r.summary.targets_removed + r.summary.targets_changed > 0,
        "{:#?}",
        r.changes
    );
}

#[test]
fn a_gold_file_compares_only_the_deadlines_tasks_state() {
    // The seed is a three-year plan: tasks that state no deadline take the plan's period, which
    // a gold file does not record.
    let seed = common::seed();
    let doc = common::parse(&seed);
    let inherited = doc
        .all_tasks()
        .iter()
        .filter(|t| {
            t.deadline
                .as_ref()
                .is_some_and(|d| d.source == DeadlineSource::Document)
        })
        .count();
    assert!(inherited > 0);
    let mut gold: Value =
        serde_json::from_slice(&std::fs::read(seed.with_extension("gold.json")).unwrap()).unwrap();
    let stated: Vec<Value> = doc
        .all_tasks()
        .iter()
        .filter_map(|t| {
            let d = t
                .deadline
                .as_ref()
                .filter(|d| d.source == DeadlineSource::Task)?;
            Some(
                json!({"path": t.id, "text": d.text, "year": d.year, "month": d.month,
                "kind": d.kind}),
            )
        })
        .collect();
    gold["deadlines"] = json!(stated);
    let g = load_side(gold.to_string().as_bytes(), "gold.json", &common::parser()).unwrap();
    let actual = source(&seed_text());
    let r = diff::diff_loaded(&g, &actual, &BTreeSet::new(), Lang::En);
    assert!(r.is_empty(), "{:#?}", r.changes);
    // A stated deadline the gold file lacks is still a change.
    gold["deadlines"].as_array_mut().unwrap().pop();
    let g = load_side(gold.to_string().as_bytes(), "gold.json", &common::parser()).unwrap();
    let r = diff::diff_loaded(&g, &actual, &BTreeSet::new(), Lang::En);
    assert_eq!(kinds(&r), [ChangeKind::TaskChanged]);
    assert_eq!(r.changes[0].field.as_deref(), Some("deadline"));
}

#[test]
fn deadlines_and_target_months_are_compared() {
    let mut v = seed_json();
    let read = task(&mut v, "2.1.1")["deadline"]["text"]
        .as_str()
        .unwrap_or("—")
        .to_string();
    task(&mut v, "2.1.1")["deadline"] = json!({"text": "2026年6月底前", "kind": "by", "year": 2026,
        "month": 6, "day": null, "from_year": null, "source": "task", "span": null});
    let r = diff::diff_loaded(
        &loaded(&v),
        &source(&seed_text()),
        &BTreeSet::new(),
        Lang::En,
    );
    assert_eq!(kinds(&r), [ChangeKind::TaskChanged]);
    assert_eq!(r.changes[0].field.as_deref(), Some("deadline"));
    assert_eq!(
        r.changes[0].detail,
        format!("deadline: 2026年6月底前 → {read}")
    );
    let ignored: BTreeSet<_> = [diff::Field::Deadline].into();
    assert!(diff::diff_loaded(&loaded(&v), &source(&seed_text()), &ignored, Lang::En).is_empty());

    let mut v = seed_json();
    task(&mut v, "2.1.1")["targets"][0]["month"] = json!(6);
    let r = diff::diff_loaded(
        &loaded(&v),
        &source(&seed_text()),
        &BTreeSet::new(),
        Lang::En,
    );
    assert_eq!(kinds(&r), [ChangeKind::TargetChanged]);
    assert_eq!(r.changes[0].field.as_deref(), Some("month"));
}

#[test]
fn reports_speak_chinese_by_default_and_english_on_request() {
    let dir = common::tmp("lang");
    let edited = dir.join("v2.txt");
    std::fs::write(&edited, seed_with_added_task()).unwrap();
    let seed = common::seed();
    let (code, zh, _) = cli(&[], &seed, &edited);
    assert_eq!(code, 1);
    assert!(
        zh.starts_with(
            "任务：改动 0，新增 1，删除 0，重新编号 3；目标：改动 0，新增 1；部门：新增 1，删除 0\n"
        ),
        "{zh}"
    );
    assert!(zh.contains("+ 2.1.2 加快发展氢能产业（新增）"), "{zh}");
    assert!(zh.contains("  + 牵头 + 县氢能产业办公室"), "{zh}");
    let (_, en, _) = cli(&["--lang", "en"], &seed, &edited);
    assert!(
        en.starts_with("0 tasks changed, 1 added, 0 removed, 3 renumbered; 0 targets changed, 1 added; 1 department added, 0 removed\n"),
        "{en}"
    );
    let (_, md, _) = cli(&["--format", "markdown"], &seed, &edited);
    assert!(
        md.contains("| 变化 | 任务 | 字段 | 原值 | 新值 | 说明 |"),
        "{md}"
    );
    assert!(md.contains("| 新增任务 | 2.1.2 加快发展氢能产业 |"), "{md}");
    // The HTML page, written with -o, in the same words.
    let page = dir.join("changes.html");
    let (code, out, _) = cli(
        &["--format", "html", "-o", page.to_str().unwrap()],
        &seed,
        &edited,
    );
    assert_eq!((code, out.as_str()), (1, ""));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("新增目标"));
    assert!(
        html.contains("class=\"card added\""),
        "an added task is a card of its own"
    );
}

#[test]
fn one_error_is_one_error() {
    let dir = common::tmp("plural");
    std::fs::write(dir.join("a.txt"), seed_text()).unwrap();
    let out = common::zhengce()
        .arg("batch")
        .arg(dir.join("a.txt"))
        .arg(dir.join("missing.txt"))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("1 document, 84 tasks") && err.contains(", 1 error in "),
        "{err}"
    );
    // The rate has one decimal.
    let rate = err.split('(').nth(1).unwrap_or_default();
    let number = rate.split(' ').next().unwrap_or_default();
    assert!(
        number.split('.').nth(1).is_some_and(|d| d.len() == 1),
        "{err}"
    );
}
