//! `zhengce ledger`: the workbook read back with calamine and the CSV files with a CSV parser,
//! checked against the JSON of the same documents.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use zhengce::model::{
    AnnexTask, Cell, Deadline, DeadlineKind, DeadlineSource, Document, Span, Task,
};

use crate::common::{self, assert_success, zhengce};

/// A fixed creation time: 2024-01-01T00:00:00Z.
const EPOCH: &str = "1704067200";

const TASK_HEADERS: [&str; 12] = [
    "文件",
    "序号",
    "所属章节",
    "任务",
    "具体内容",
    "牵头单位",
    "配合单位",
    "目标",
    "完成时限",
    "时限日期",
    "来源",
    "备注",
];

/// Runs `zhengce ledger` with a fixed creation time.
fn ledger(args: &[&str]) -> std::process::Output {
    zhengce()
        .arg("ledger")
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every fixture, with its reading.
fn fixtures() -> Vec<(PathBuf, Document)> {
    common::fixtures()
        .into_iter()
        .map(|p| {
            let doc = common::parse(&p);
            (p, doc)
        })
        .collect()
}

/// The ledger of every fixture as a workbook at `dir/ledger.xlsx`.
fn fixture_workbook(dir: &Path) -> PathBuf {
    let out = dir.join("ledger.xlsx");
    let mut args: Vec<String> = common::fixtures()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    args.extend(["-o".to_string(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_success(&ledger(&args));
    out
}

/// A sheet's rows, header first.
fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
}

/// A cell that must be text (or empty).
fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

/// A cell that must be a number.
fn number(d: &Data) -> f64 {
    match d {
        Data::Float(v) => *v,
        Data::Int(v) => *v as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn opt_number(d: &Data) -> Option<f64> {
    match d {
        Data::Empty => None,
        d => Some(number(d)),
    }
}

/// The serial number a spreadsheet gives a date: days since 1899-12-30.
fn serial(date: &str) -> f64 {
    let mut it = date.split('-').map(|p| p.parse::<i64>().unwrap());
    let (y, m, d) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    // Days from civil (H. Hinnant), relative to 1970-01-01.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days + 25_569) as f64
}

/// The date of a serial number.
fn ymd(serial: f64) -> String {
    // Civil from days (H. Hinnant).
    let z = serial as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The last day a deadline allows, computed here from its fields.
fn due(d: &Deadline) -> Option<String> {
    if !matches!(d.kind, DeadlineKind::By | DeadlineKind::Period) {
        return None;
    }
    let y = d.year?;
    let m = d.month.unwrap_or(12);
    let last = match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(format!("{y:04}-{m:02}-{:02}", d.day.unwrap_or(last)))
}

/// Whether a task states a deadline of its own.
fn own_deadline(t: &Task) -> bool {
    t.deadline
        .as_ref()
        .is_some_and(|d| d.source != DeadlineSource::Document)
}

/// A cell that must be a date.
fn date(d: &Data) -> f64 {
    match d {
        Data::DateTime(dt) => {
            assert!(dt.is_datetime(), "{dt:?}");
            dt.as_f64()
        }
        other => panic!("expected a date, found {other:?}"),
    }
}

/// The canonical name of each spelling of a document.
fn canonical(doc: &Document) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for d in &doc.departments {
        for a in &d.aliases {
            map.insert(a.clone(), d.name.clone());
        }
        map.insert(d.name.clone(), d.name.clone());
    }
    map
}

fn canonical_list(names: &[String], map: &HashMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let c = map.get(n).cloned().unwrap_or_else(|| n.clone());
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Each task with its ancestors.
fn with_ancestors(doc: &Document) -> Vec<(&Task, Vec<&Task>)> {
    fn walk<'a>(
        ts: &'a [Task],
        path: &mut Vec<&'a Task>,
        out: &mut Vec<(&'a Task, Vec<&'a Task>)>,
    ) {
        for t in ts {
            out.push((t, path.clone()));
            path.push(t);
            walk(&t.children, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&doc.tasks, &mut Vec::new(), &mut out);
    out
}

#[test]
fn the_task_sheet_holds_the_units_of_work_of_every_fixture_as_the_json_reads_them() {
    let dir = common::tmp("ledger-tasks");
    let book = fixture_workbook(&dir);
    let docs = fixtures();
    assert_eq!(sheet_names(&book), ["任务清单", "部门任务", "指标", "文件"]);
    let rows = sheet(&book, "任务清单");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, TASK_HEADERS);

    let mut by_doc: BTreeMap<String, Vec<&Vec<Data>>> = BTreeMap::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), TASK_HEADERS.len());
        by_doc.entry(text(&row[0])).or_default().push(row);
    }
    let framing = [
        "总体要求",
        "指导思想",
        "基本原则",
        "保障措施",
        "发展目标",
        "主要目标",
    ];
    let mut attributed = 0;
    for (_, doc) in &docs {
        let label = doc.meta.title.clone().unwrap();
        let names = canonical(doc);
        let tasks = with_ancestors(doc);
        let rows = by_doc.remove(&label).unwrap_or_default();
        let (body, annex): (Vec<&Vec<Data>>, Vec<&Vec<Data>>) =
            rows.iter().partition(|r| text(&r[10]) == "正文");
        // Annex rows (when the stage reads them) follow the body's, one per table row.
        assert!(annex.iter().all(|r| text(&r[10]) == "附件"));
        assert_eq!(annex.len(), doc.annex_tasks.len(), "{label}");
        for (row, a) in annex.iter().zip(&doc.annex_tasks) {
            assert_eq!(text(&row[1]), a.row);
            assert_eq!(text(&row[3]), a.task);
        }
        let ids: Vec<String> = body.iter().map(|r| text(&r[1])).collect();
        // In document order, each once.
        let order: Vec<&str> = tasks.iter().map(|(t, _)| t.id.as_str()).collect();
        let positions: Vec<usize> = ids
            .iter()
            .map(|id| order.iter().position(|o| o == id).unwrap())
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{label}: {ids:?}"
        );
        for (t, ancestors) in &tasks {
            let has_own = !t.lead.is_empty() || !t.participants.is_empty() || own_deadline(t);
            let is_row = ids.contains(&t.id);
            if has_own {
                attributed += 1;
                assert!(is_row, "{label} {}: attributed but not a row", t.id);
            }
            if is_row && !has_own {
                // A heading with sub-headings and nothing of its own is no row, nor is a framing
                // section.
                assert!(
                    t.children.is_empty() || !t.targets.is_empty(),
                    "{label} {}",
                    t.id
                );
                for a in ancestors.iter().chain([t]) {
                    assert!(!framing.contains(&a.title.as_str()), "{label} {}", t.id);
                }
            }
        }
        for row in body {
            let id = text(&row[1]);
            let (t, ancestors) = tasks.iter().find(|(t, _)| t.id == id).unwrap();
            let section: Vec<String> = ancestors
                .iter()
                .map(|a| format!("{}{}", a.marker, a.title))
                .collect();
            assert_eq!(text(&row[2]), section.join(" / "), "{label} {id}");
            assert_eq!(text(&row[3]), t.title);
            assert_eq!(text(&row[4]), t.text);
            assert_eq!(text(&row[5]), canonical_list(&t.lead, &names).join("、"));
            assert_eq!(
                text(&row[6]),
                canonical_list(&t.participants, &names).join("、")
            );
            let targets = text(&row[7]);
            let lines: Vec<&str> = targets.lines().collect();
            assert_eq!(lines.len(), t.targets.len(), "{label} {id}: {targets}");
            for (line, target) in lines.iter().zip(&t.targets) {
                assert!(line.starts_with(target.indicator.trim()), "{line}");
                assert!(line.ends_with(&target.unit), "{line}");
            }
            let deadline = t.deadline.as_ref();
            assert_eq!(
                text(&row[8]),
                deadline.map(|d| d.text.clone()).unwrap_or_default()
            );
            match deadline.and_then(due) {
                Some(day) => assert_eq!(date(&row[9]), serial(&day)),
                None => assert_eq!(row[9], Data::Empty),
            }
        }
    }
    assert!(
        by_doc.is_empty(),
        "rows of unknown documents: {:?}",
        by_doc.keys()
    );
    assert!(attributed > 150, "only {attributed} attributed tasks");

    // The seed: every heading under 二、 to 七、 without sub-headings, and nothing of 一、总体要求.
    let seed = &docs[0].1;
    let want: Vec<String> = seed
        .all_tasks()
        .into_iter()
        .filter(|t| own_deadline(t) || (t.children.is_empty() && !t.id.starts_with("1.")))
        .map(|t| t.id.clone())
        .collect();
    let got: Vec<String> = rows[1..]
        .iter()
        .filter(|r| text(&r[0]) == seed.meta.title.clone().unwrap() && text(&r[10]) == "正文")
        .map(|r| text(&r[1]))
        .collect();
    assert_eq!(got, want);
    assert!(got.len() >= 58);
}

#[test]
fn diagnostics_of_a_task_are_its_notes_and_all_are_on_the_document_sheet() {
    let dir = common::tmp("ledger-notes");
    let book = fixture_workbook(&dir);
    let seed = common::parse(&common::seed());
    let rows = sheet(&book, "任务清单");
    let note = |id: &str| {
        rows.iter()
            .find(|r| text(&r[1]) == id && text(&r[0]) == seed.meta.title.clone().unwrap())
            .map(|r| text(&r[11]))
            .unwrap()
    };
    // 5.3 has no department while its siblings have: the diagnostic sits in its text.
    let missing = seed
        .diagnostics
        .iter()
        .find(|d| d.code == "missing-attribution" && d.message.contains("5.3"))
        .unwrap();
    assert!(
        note("5.3").contains("缺少责任单位（missing-attribution）"),
        "{}",
        note("5.3")
    );
    assert!(note("5.3").contains(&missing.message));
    assert_eq!(note("2.1.2"), "");

    let docs = sheet(&book, "文件");
    let seed_row = docs
        .iter()
        .find(|r| text(&r[0]) == seed.meta.title.clone().unwrap())
        .unwrap();
    assert_eq!(number(&seed_row[12]), seed.diagnostics.len() as f64);
    assert_eq!(text(&seed_row[13]).lines().count(), seed.diagnostics.len());
}

#[test]
fn targets_counts_and_dates_are_numbers_and_dates_not_text() {
    let dir = common::tmp("ledger-types");
    let book = fixture_workbook(&dir);
    let docs = fixtures();
    let targets = sheet(&book, "指标");
    let header: Vec<String> = targets[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "文件",
            "序号",
            "任务",
            "指标",
            "数值",
            "上限",
            "单位",
            "标准值",
            "标准单位",
            "年份",
            "月份",
            "基准年",
            "类型",
            "约束",
            "原文"
        ]
    );
    let mut want = Vec::new();
    for (_, d) in &docs {
        let title = d.meta.title.clone().unwrap();
        for t in d.all_tasks() {
            for g in &t.targets {
                want.push((title.clone(), t, g));
            }
        }
    }
    assert_eq!(targets.len() - 1, want.len());
    assert!(want.len() > 200);
    for (row, (title, task, t)) in targets[1..].iter().zip(&want) {
        assert_eq!(&text(&row[0]), title);
        assert_eq!(text(&row[1]), task.id);
        assert_eq!(text(&row[3]), t.indicator);
        assert_eq!(number(&row[4]), t.value);
        assert_eq!(opt_number(&row[5]), t.value_max);
        assert_eq!(text(&row[6]), t.unit);
        assert_eq!(opt_number(&row[7]), t.si.as_ref().map(|s| s.value));
        assert_eq!(
            text(&row[8]),
            t.si.as_ref().map(|s| s.unit.clone()).unwrap_or_default()
        );
        assert_eq!(opt_number(&row[9]), t.year.map(f64::from));
        assert_eq!(opt_number(&row[10]), t.month.map(f64::from));
        assert_eq!(opt_number(&row[11]), t.baseline_year.map(f64::from));
        let kind = serde_json::to_value(t.kind).unwrap();
        let zh = match kind.as_str().unwrap() {
            "level" => "达到",
            "increase" => "提高",
            "decrease" => "降低",
            _ => "新增",
        };
        assert_eq!(text(&row[12]), zh);
        assert_eq!(text(&row[14]), t.text);
    }

    let sheet_docs = sheet(&book, "文件");
    assert_eq!(sheet_docs.len() - 1, docs.len());
    for (row, (path, d)) in sheet_docs[1..].iter().zip(&docs) {
        assert_eq!(text(&row[0]), d.meta.title.clone().unwrap());
        assert_eq!(text(&row[2]), d.meta.doc_number.clone().unwrap_or_default());
        assert_eq!(text(&row[3]), d.meta.issuers.join("、"));
        match &d.meta.date {
            Some(day) => assert_eq!(date(&row[4]), serial(day), "{}", path.display()),
            None => assert_eq!(row[4], Data::Empty),
        }
        assert_eq!(text(&row[6]), path.display().to_string());
        assert_eq!(number(&row[7]), d.all_tasks().len() as f64);
        assert_eq!(number(&row[9]), d.annex_tasks.len() as f64);
        assert_eq!(number(&row[10]), d.departments.len() as f64);
        let n: usize = d.all_tasks().iter().map(|t| t.targets.len()).sum();
        assert_eq!(number(&row[11]), n as f64);
    }
    // The seed was signed on 2023-08-22: serial 45160.
    assert_eq!(date(&sheet_docs[1][4]), 45160.0);
}

#[test]
fn the_department_sheet_gives_each_department_its_tasks_sorted_by_department() {
    let dir = common::tmp("ledger-departments");
    let book = fixture_workbook(&dir);
    let docs = fixtures();
    let tasks = sheet(&book, "任务清单");
    let rows = sheet(&book, "部门任务");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "部门",
            "角色",
            "文件",
            "序号",
            "任务",
            "具体内容",
            "完成时限",
            "时限日期",
            "所属章节",
            "原写法",
            "来源"
        ]
    );
    // What each department receives, from the JSON: every role of every task row.
    let mut want: Vec<(String, String, String, String)> = Vec::new();
    for row in &tasks[1..] {
        let (label, id) = (text(&row[0]), text(&row[1]));
        let doc = &docs
            .iter()
            .find(|(_, d)| d.meta.title.as_deref() == Some(label.as_str()))
            .unwrap()
            .1;
        let (lead, participants) = if text(&row[10]) == "附件" {
            let a = doc.annex_tasks.iter().find(|a| a.row == id).unwrap();
            (&a.lead, &a.participants)
        } else {
            let t = doc.all_tasks().into_iter().find(|t| t.id == id).unwrap();
            (&t.lead, &t.participants)
        };
        let names = canonical(doc);
        for n in canonical_list(lead, &names) {
            want.push((n, "牵头".into(), label.clone(), id.clone()));
        }
        for n in canonical_list(participants, &names) {
            want.push((n, "配合".into(), label.clone(), id.clone()));
        }
    }
    let got: Vec<(String, String, String, String)> = rows[1..]
        .iter()
        .map(|r| (text(&r[0]), text(&r[1]), text(&r[2]), text(&r[3])))
        .collect();
    // Sorted by department, lead before participant, then in the order of the task sheet.
    let mut sorted = want.clone();
    sorted.sort_by(|a, b| (&a.0, a.1 != "牵头").cmp(&(&b.0, b.1 != "牵头")));
    assert_eq!(got, sorted);
    assert!(got.len() > 600);
    // Canonical names only, and the written spelling beside them.
    for r in &rows[1..] {
        let (dept, label, written) = (text(&r[0]), text(&r[2]), text(&r[9]));
        let doc = &docs
            .iter()
            .find(|(_, d)| d.meta.title.as_deref() == Some(label.as_str()))
            .unwrap()
            .1;
        // A body named only in an annex task table is in no task's lists, so not in the index:
        // it keeps its spelling.
        match doc.departments.iter().find(|d| d.name == dept) {
            Some(d) => assert!(
                d.aliases.contains(&written) || d.name == written,
                "{dept} / {written}"
            ),
            None => {
                assert_eq!(dept, written);
                assert!(
                    doc.annex_tasks
                        .iter()
                        .any(|a| a.lead.contains(&dept) || a.participants.contains(&dept)),
                    "{dept}"
                );
            }
        }
    }
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "{}: no BOM",
        path.display()
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A workbook cell as the CSV writes it.
fn as_csv(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        Data::Float(v) if v.fract() == 0.0 => format!("{}", *v as i64),
        Data::Float(v) => format!("{v}"),
        Data::DateTime(dt) => ymd(dt.as_f64()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn csv_files_are_utf8_with_bom_one_per_sheet_and_hold_what_the_workbook_holds() {
    let dir = common::tmp("ledger-csv");
    let book = fixture_workbook(&dir);
    let out = dir.join("台账.csv");
    let mut args: Vec<String> = common::fixtures()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    args.extend(["-o".to_string(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_success(&ledger(&args));
    assert!(!out.exists(), "the CSV output is one file per sheet");
    for name in ["任务清单", "部门任务", "指标", "文件"] {
        let path = dir.join(format!("台账-{name}.csv"));
        let rows = read_csv(&path);
        let want: Vec<Vec<String>> = sheet(&book, name)
            .iter()
            .map(|r| r.iter().map(as_csv).collect())
            .collect();
        assert_eq!(rows.len(), want.len(), "{name}");
        assert_eq!(rows, want, "{name}");
        // CRLF between records.
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    }
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let dir = common::tmp("ledger-same");
    let inputs: Vec<String> = common::fixtures()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let run = |out: &Path, epoch: Option<&str>| {
        let mut cmd = zhengce();
        cmd.arg("ledger").args(&inputs).arg("-o").arg(out).arg("-q");
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        assert_success(&cmd.output().unwrap());
        std::fs::read(out).unwrap_or_default()
    };
    let a = run(&dir.join("a.xlsx"), Some(EPOCH));
    let b = run(&dir.join("b.xlsx"), Some(EPOCH));
    assert!(a == b, "two workbooks of the same inputs differ");
    let core = |bytes: &[u8]| {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("docProps/core.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    assert!(core(&a).contains("2024-01-01T00:00:00Z"), "{}", core(&a));
    // Without a fixed time, only the creation time differs.
    let now = run(&dir.join("now.xlsx"), None);
    let entries = |bytes: &[u8]| {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut out = BTreeMap::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut v).unwrap();
            out.insert(f.name().unwrap().to_string(), v);
        }
        out
    };
    let (x, y) = (entries(&a), entries(&now));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    let differ: Vec<&String> = x.keys().filter(|k| x[*k] != y[*k]).collect();
    assert!(
        differ.is_empty() || differ == ["docProps/core.xml"],
        "{differ:?}"
    );

    let c1 = run(&dir.join("a.csv"), None);
    let c2 = run(&dir.join("b.csv"), Some(EPOCH));
    assert!(
        c1.is_empty() && c2.is_empty(),
        "no file at the CSV path itself"
    );
    for name in ["任务清单", "部门任务", "指标", "文件"] {
        let a = std::fs::read(dir.join(format!("a-{name}.csv"))).unwrap();
        let b = std::fs::read(dir.join(format!("b-{name}.csv"))).unwrap();
        assert!(a == b, "{name}");
    }
}

fn deadline(
    text: &str,
    kind: DeadlineKind,
    year: i32,
    month: Option<u32>,
    source: DeadlineSource,
) -> Deadline {
    Deadline {
        text: text.to_string(),
        kind,
        year: Some(year),
        month,
        day: None,
        from_year: None,
        source,
        span: None,
    }
}

#[test]
fn a_corrected_json_with_deadlines_and_annex_rows_gives_its_ledger() {
    let dir = common::tmp("ledger-json");
    let mut doc = common::parse(&common::seed());
    fn set_deadline(tasks: &mut [Task], id: &str, d: &Deadline) -> bool {
        for t in tasks {
            if t.id == id {
                t.deadline = Some(d.clone());
                return true;
            }
            if set_deadline(&mut t.children, id, d) {
                return true;
            }
        }
        false
    }
    let mut set = |id: &str, d: Deadline| assert!(set_deadline(&mut doc.tasks, id, &d), "{id}");
    set(
        "2.1.1",
        deadline(
            "2024年6月底前",
            DeadlineKind::By,
            2024,
            Some(6),
            DeadlineSource::Task,
        ),
    );
    set(
        "1.1",
        deadline(
            "2024年底前",
            DeadlineKind::By,
            2024,
            None,
            DeadlineSource::Task,
        ),
    );
    set(
        "1.2",
        deadline(
            "2023—2025年",
            DeadlineKind::Period,
            2025,
            None,
            DeadlineSource::Document,
        ),
    );
    set(
        "6.6.2",
        deadline(
            "长期坚持",
            DeadlineKind::Ongoing,
            2025,
            None,
            DeadlineSource::Task,
        ),
    );
    doc.annex_tasks = vec![
        AnnexTask {
            row: "1".into(),
            task: "健全完善生物医药产业链条".into(),
            cells: vec![
                Cell {
                    header: "序号".into(),
                    text: "1".into(),
                },
                Cell {
                    header: "重点任务".into(),
                    text: "健全完善生物医药产业链条".into(),
                },
                Cell {
                    header: "工作措施".into(),
                    text: "建设医药产业园".into(),
                },
                Cell {
                    header: "牵头单位".into(),
                    text: "县经济开发区".into(),
                },
                Cell {
                    header: "完成时限".into(),
                    text: "2025年12月".into(),
                },
            ],
            lead: vec!["县经济开发区".into()],
            participants: vec!["县发展和改革局".into()],
            deadline: Some(deadline(
                "2025年12月",
                DeadlineKind::By,
                2025,
                Some(12),
                DeadlineSource::Table,
            )),
            restates: Some("2.1.2".into()),
            span: Span::default(),
        },
        AnnexTask {
            row: "2".into(),
            task: "建设智慧园区".into(),
            cells: vec![],
            lead: vec!["县工业和信息化局".into()],
            participants: vec![],
            deadline: None,
            restates: None,
            span: Span::default(),
        },
    ];
    let json = dir.join("seed.json");
    std::fs::write(&json, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = dir.join("ledger.xlsx");
    assert_success(&ledger(&[path_str(&json), "-o", path_str(&out)]));
    let rows = sheet(&out, "任务清单");
    let row = |id: &str, source: &str| {
        rows.iter()
            .find(|r| text(&r[1]) == id && text(&r[10]) == source)
            .unwrap_or_else(|| panic!("no row {id} {source}"))
    };
    assert_eq!(text(&row("2.1.1", "正文")[8]), "2024年6月底前");
    assert_eq!(date(&row("2.1.1", "正文")[9]), serial("2024-06-30"));
    // A deadline of its own makes a framing heading a unit of work; the document's period
    // does not.
    assert_eq!(date(&row("1.1", "正文")[9]), serial("2024-12-31"));
    assert!(!rows.iter().any(|r| text(&r[1]) == "1.2"));
    assert_eq!(text(&row("6.6.2", "正文")[8]), "长期坚持");
    assert_eq!(row("6.6.2", "正文")[9], Data::Empty);
    // Annex rows, after the body's.
    let annex = row("1", "附件");
    assert_eq!(text(&annex[3]), "健全完善生物医药产业链条");
    assert_eq!(text(&annex[4]), "工作措施：建设医药产业园");
    assert_eq!(text(&annex[5]), "县经济开发区");
    assert_eq!(text(&annex[6]), "县发展和改革局");
    assert_eq!(date(&annex[9]), serial("2025-12-31"));
    assert!(text(&annex[11]).contains("重述正文 2.1.2"));
    assert_eq!(text(&rows.last().unwrap()[3]), "建设智慧园区");
    let body = doc
        .all_tasks()
        .into_iter()
        .filter(|t| own_deadline(t) || (t.children.is_empty() && !t.id.starts_with("1.")))
        .count();
    assert_eq!(rows.len() - 1, body + 2);

    let depts = sheet(&out, "部门任务");
    assert!(depts.iter().any(|r| text(&r[0]) == "县工业和信息化局"
        && text(&r[1]) == "牵头"
        && text(&r[3]) == "2"
        && text(&r[10]) == "附件"));
    let with_due: Vec<&Vec<Data>> = depts.iter().filter(|r| text(&r[3]) == "2.1.1").collect();
    assert!(!with_due.is_empty());
    for r in with_due {
        assert_eq!(text(&r[6]), "2024年6月底前");
        assert_eq!(date(&r[7]), serial("2024-06-30"));
    }
    let docs = sheet(&out, "文件");
    assert_eq!(number(&docs[1][9]), 2.0);
}

#[test]
fn a_ledger_of_the_json_is_the_ledger_of_the_documents() {
    let dir = common::tmp("ledger-from-json");
    let mut texts = Vec::new();
    let mut jsons = Vec::new();
    for p in common::fixtures() {
        let json = dir.join(format!("{}.json", common::short(&p)));
        let out = zhengce()
            .args(["parse", path_str(&p), "-o", path_str(&json)])
            .output()
            .unwrap();
        assert_success(&out);
        texts.push(p.display().to_string());
        jsons.push(json.display().to_string());
    }
    for (inputs, out) in [(&texts, "from-text.csv"), (&jsons, "from-json.csv")] {
        let mut args: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let out = dir.join(out);
        args.extend(["-o", path_str(&out), "-q"]);
        assert_success(&ledger(&args));
    }
    for name in ["任务清单", "部门任务", "指标", "文件"] {
        let a = std::fs::read(dir.join(format!("from-text-{name}.csv"))).unwrap();
        let b = std::fs::read(dir.join(format!("from-json-{name}.csv"))).unwrap();
        assert!(a == b, "{name} differs");
    }
}

#[test]
fn english_headers_and_labels_and_a_single_sheet() {
    let dir = common::tmp("ledger-en");
    let seed = common::seed();
    let doc = common::parse(&seed);
    let out = dir.join("targets.csv");
    assert_success(&ledger(&[
        path_str(&seed),
        "-o",
        path_str(&out),
        "--lang",
        "en",
        "--sheet",
        "targets",
    ]));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["targets.csv"], "only the file asked for");
    let rows = read_csv(&out);
    assert_eq!(
        rows[0][..5],
        ["Document", "Id", "Task", "Indicator", "Value"]
    );
    let targets: Vec<_> = doc
        .all_tasks()
        .into_iter()
        .flat_map(|t| &t.targets)
        .collect();
    assert_eq!(rows.len() - 1, targets.len());
    for (row, t) in rows[1..].iter().zip(targets) {
        let json = serde_json::to_value(t).unwrap();
        assert_eq!(row[12], json["kind"].as_str().unwrap());
        assert_eq!(row[13], json["bound"].as_str().unwrap());
        assert_eq!(row[4], json["value"].to_string());
    }

    // A workbook of one sheet, by its Chinese name.
    let book = dir.join("one.xlsx");
    assert_success(&ledger(&[
        path_str(&seed),
        "-o",
        path_str(&book),
        "--sheet",
        "部门任务",
    ]));
    assert_eq!(sheet_names(&book), ["部门任务"]);
    let en = dir.join("en.xlsx");
    assert_success(&ledger(&[
        path_str(&seed),
        "-o",
        path_str(&en),
        "--lang",
        "en",
    ]));
    assert_eq!(
        sheet_names(&en),
        ["Tasks", "Departments", "Targets", "Documents"]
    );
    let depts = sheet(&en, "Departments");
    assert!(
        depts[1..]
            .iter()
            .all(|r| ["lead", "participant"].contains(&text(&r[1]).as_str()))
    );
}

#[test]
fn framing_sections_and_bare_headings_are_not_tasks() {
    let dir = common::tmp("ledger-rule");
    let doc = dir.join("plan.txt");
    std::fs::write(
        &doc,
        "某某县推进某某工作实施方案\n\n一、总体要求\n（一）指导思想\n以新发展理念为指导，推动高质量发展。\n\
         （二）主要目标\n到2025年，建成示范点10个。\n二、重点任务\n（一）推进甲工作\n\
         做好甲工作。（牵头单位：县发展和改革局；配合单位：县财政局）\n（二）推进乙工作\n1.实施乙一工程\n\
         做好乙一工程。\n2.实施乙二工程\n做好乙二工程，新建公园3个。\n（三）推进丙工作\n\
         到2025年，建成丙设施5个。\n1.实施丙一工程\n做好丙一工程。（责任单位：县发改局）\n三、保障措施\n\
         （一）加强组织领导\n成立领导小组。（牵头单位：县政府办公室）\n（二）加强宣传引导\n做好宣传工作。\n",
    )
    .unwrap();
    let out = dir.join("plan.csv");
    assert_success(&ledger(&[
        path_str(&doc),
        "-o",
        path_str(&out),
        "--sheet",
        "tasks",
    ]));
    let rows = read_csv(&out);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    // 指导思想 and 主要目标 frame the plan; 二、 and (二) only group their children; (三) has a
    // target of its own; 保障措施 counts only where a department is named.
    assert_eq!(ids, ["2.1", "2.2.1", "2.2.2", "2.3", "2.3.1", "3.1"]);
    assert_eq!(rows[2][2], "二、重点任务 / （二）推进乙工作");
    assert_eq!(rows[3][7], "公园 3个");
    // The target of 主要目标 is still on the 指标 sheet.
    let targets = dir.join("t.csv");
    assert_success(&ledger(&[
        path_str(&doc),
        "-o",
        path_str(&targets),
        "--sheet",
        "指标",
    ]));
    let t = read_csv(&targets);
    assert!(t.iter().any(|r| r[1] == "1.2" && r[4] == "10"), "{t:?}");
}

#[test]
fn trouble_stops_with_exit_2_and_leaves_no_file() {
    let dir = common::tmp("ledger-trouble");
    let seed = common::seed();
    let out = dir.join("ledger.xlsx");
    let missing = dir.join("missing.txt");
    let r = ledger(&[path_str(&seed), path_str(&missing), "-o", path_str(&out)]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("missing.txt"));
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");

    let r = ledger(&[
        path_str(&seed),
        "-o",
        path_str(&dir.join("no/such/ledger.xlsx")),
    ]);
    assert_eq!(r.status.code(), Some(2));
    let r = ledger(&[path_str(&seed), "-o", path_str(&dir.join("ledger.txt"))]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--format"));
    let copy = dir.join("copy.csv");
    std::fs::copy(&seed, &copy).unwrap();
    let r = ledger(&[path_str(&copy), "-o", path_str(&copy), "--sheet", "tasks"]);
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&seed).unwrap());
    let json = dir.join("other.json");
    std::fs::write(&json, r#"{"schema": "zhengce/9"}"#).unwrap();
    let r = ledger(&[path_str(&json), "-o", path_str(&out)]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("zhengce/9"));
    assert!(!out.exists());
}

#[test]
fn the_workbook_opens_with_frozen_headers_filters_and_widths() {
    let dir = common::tmp("ledger-format");
    let book = fixture_workbook(&dir);
    let bytes = std::fs::read(&book).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let rows = sheet(&book, "任务清单").len();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        )
    );
    assert!(
        xml.contains(&format!(r#"<autoFilter ref="A1:L{rows}"/>"#)),
        "{rows}"
    );
    assert!(xml.contains(r#"<col min="5" max="5" width="60.7109375" style="#));
    // Wrapped text rows get a height to show it.
    assert!(xml.contains(r#"customHeight="1""#));
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains(r#"wrapText="1""#));
    assert!(
        styles.contains(r#"formatCode="yyyy\-mm\-dd""#)
            || styles.contains(r#"formatCode="yyyy-mm-dd""#),
        "{styles}"
    );
}
