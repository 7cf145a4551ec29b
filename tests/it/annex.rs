//! Annex task tables (重点任务分工表): a synthetic document with one table of each layout — rows
//! a line with their cells apart by `|`, and one cell a line — and an annex that is no table.

use crate::common;

use zhengce::model::{AnnexTask, Document};

const DOC: &[&str] = &[
    "某区垃圾分类三年行动方案",
    "",
    "一、推进生活垃圾分类",
    "（一）建设分类投放设施。完善居住区分类投放点，实现全覆盖。（区绿化市容局牵头，各街道配合）",
    "（二）健全收运体系。完善湿垃圾收运网络。（区城管执法局负责）",
    "二、推进源头减量",
    "（一）开展源头减量宣传。引导居民参与。（区发展改革委牵头）",
    "",
    "附件1",
    "",
    "重点任务分工表",
    "",
    "| 序号 | 重点任务 | 主要内容 | 牵头单位 | 配合单位 | 完成时限 |",
    "|---|---|---|---|---|---|",
    "| 1 | 建设分类投放设施 | 完善居住区分类投放点 | 区绿化市容局 | 区房管局、各街道 | 2025年6月底前 |",
    "| 2 | 健全收运体系 | 完善湿垃圾收运网络 | 区城管执法局 | 区财政局 | 2025年12月底前 |",
    "| 3 | 健全收运体系 | 建设湿垃圾处理设施 |  | 区规划资源局 |  |",
    "",
    "附件2",
    "",
    "源头减量任务清单",
    "",
    "序号",
    "",
    "工作任务",
    "",
    "牵头单位",
    "",
    "配合单位",
    "",
    "完成时限",
    "",
    "1",
    "",
    "开展源头减量宣传，引导居民参与。",
    "",
    "区发展改革委",
    "",
    "区教育局、区科委",
    "",
    "2024年底前",
    "",
    "2",
    "",
    "推进餐饮行业减量。",
    "",
    "区市场监管局",
    "",
    "2025年底前",
    "",
    "3",
    "",
    "推进快递包装减量。",
    "",
    "2026年底前",
    "",
    "附件3",
    "",
    "有关说明",
    "",
    "本方案由区绿化市容局负责解释。",
];

fn parse() -> (String, Document) {
    let text = DOC.join("\n");
    let doc = common::parser().parse_str(&text, None);
    (text, doc)
}

/// The text of a character span.
fn at(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn names(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn deadline(r: &AnnexTask) -> Option<(&str, Option<i32>, Option<u32>)> {
    r.deadline
        .as_ref()
        .map(|d| (d.text.as_str(), d.year, d.month))
}

#[test]
fn rows_of_both_layouts_are_read() {
    let (_, doc) = parse();
    let rows: Vec<(&str, &str)> = doc
        .annex_tasks
        .iter()
        .map(|r| (r.row.as_str(), r.task.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("1", "完善居住区分类投放点"),
            ("2", "完善湿垃圾收运网络"),
            ("3", "建设湿垃圾处理设施"),
            ("1", "开展源头减量宣传，引导居民参与。"),
            ("2", "推进餐饮行业减量。"),
            ("3", "推进快递包装减量。"),
        ]
    );
    // Every cell of a pipe row under its header, the Markdown rule row no row.
    let headers: Vec<&str> = doc.annex_tasks[0]
        .cells
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(
        headers,
        [
            "序号",
            "重点任务",
            "主要内容",
            "牵头单位",
            "配合单位",
            "完成时限"
        ]
    );
    assert_eq!(doc.annex_tasks[0].cells[1].text, "建设分类投放设施");
}

#[test]
fn departments_split_and_spanning_cells_apply_to_each_row() {
    let (_, doc) = parse();
    let t = &doc.annex_tasks;
    assert_eq!(names(&t[0].lead), ["区绿化市容局"]);
    assert_eq!(names(&t[0].participants), ["区房管局", "各街道"]);
    assert_eq!(names(&t[3].participants), ["区教育局", "区科委"]);
    // Row 3 of the pipe table leaves its lead and deadline to the cells above.
    assert_eq!(names(&t[2].lead), ["区城管执法局"]);
    assert_eq!(names(&t[2].participants), ["区规划资源局"]);
    assert_eq!(deadline(&t[2]), deadline(&t[1]));
    // Row 3 of the flat table too, its lead written once for rows 2 and 3.
    assert_eq!(names(&t[4].lead), ["区市场监管局"]);
    assert_eq!(names(&t[5].lead), ["区市场监管局"]);
    assert!(t[4].participants.is_empty() && t[5].participants.is_empty());
}

#[test]
fn deadlines_are_read() {
    let (_, doc) = parse();
    let got: Vec<_> = doc.annex_tasks.iter().map(deadline).collect();
    assert_eq!(
        got,
        vec![
            Some(("2025年6月底前", Some(2025), Some(6))),
            Some(("2025年12月底前", Some(2025), Some(12))),
            Some(("2025年12月底前", Some(2025), Some(12))),
            Some(("2024年底前", Some(2024), Some(12))),
            Some(("2025年底前", Some(2025), Some(12))),
            Some(("2026年底前", Some(2026), Some(12))),
        ]
    );
}

#[test]
fn rows_link_to_the_body_tasks_they_restate() {
    let (_, doc) = parse();
    let got: Vec<Option<&str>> = doc
        .annex_tasks
        .iter()
        .map(|r| r.restates.as_deref())
        .collect();
    assert_eq!(
        got,
        [Some("1.1"), Some("1.2"), Some("1.2"), None, None, None]
    );
}

#[test]
fn spans_are_exact() {
    let (text, doc) = parse();
    let t = &doc.annex_tasks;
    // A pipe row is its line.
    assert_eq!(
        at(&text, t[0].span.start, t[0].span.end),
        "| 1 | 建设分类投放设施 | 完善居住区分类投放点 | 区绿化市容局 | 区房管局、各街道 | 2025年6月底前 |"
    );
    assert_eq!(t[0].span.line, 15);
    // A flat row runs from its 序号 to its last cell.
    let flat = at(&text, t[3].span.start, t[3].span.end);
    assert!(
        flat.starts_with('1') && flat.ends_with("2024年底前"),
        "{flat}"
    );
    assert_eq!(t[3].span.line, 33);
    let last = at(&text, t[5].span.start, t[5].span.end);
    assert!(
        last.starts_with('3') && last.ends_with("2026年底前"),
        "{last}"
    );
    for r in t {
        let d = r.deadline.as_ref().expect("deadline");
        let s = d.span.as_ref().expect("deadline span");
        let written = at(&text, s.start, s.end);
        assert_eq!(written, d.text);
        // A spanning cell's span is where it is written, above the row or in it.
        assert!(s.start <= r.span.end);
    }
}

#[test]
fn only_an_annex_without_a_table_is_reported() {
    let (_, doc) = parse();
    let not_read: Vec<usize> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == "annex-not-read")
        .map(|d| d.span.as_ref().map_or(0, |s| s.line))
        .collect();
    assert_eq!(not_read, [57]);
}

#[test]
fn tab_rows_and_cells_that_state_roles() {
    let text = "某区行动方案\n\n一、推进工作\n（一）完善制度。建立长效机制。（区司法局牵头）\n\n附件\n\n序号\t工作任务\t责任单位\t完成时限\n1\t建立长效机制\t区司法局（牵头）、区财政局\t长期坚持\n2\t开展专项检查\t区财政局牵头，区审计局配合\t2024年6月底前\n";
    let doc = common::parser().parse_str(text, None);
    let got: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = doc
        .annex_tasks
        .iter()
        .map(|r| {
            (
                r.row.as_str(),
                r.task.as_str(),
                names(&r.lead),
                names(&r.participants),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("1", "建立长效机制", vec!["区司法局"], vec!["区财政局"]),
            ("2", "开展专项检查", vec!["区财政局"], vec!["区审计局"]),
        ]
    );
    let kinds: Vec<_> = doc
        .annex_tasks
        .iter()
        .map(|r| r.deadline.as_ref().map(|d| d.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            Some(zhengce::model::DeadlineKind::Ongoing),
            Some(zhengce::model::DeadlineKind::By)
        ]
    );
    assert!(doc.diagnostics.iter().all(|d| d.code != "annex-not-read"));
    // A row's span is its line.
    let first = &doc.annex_tasks[0].span;
    assert_eq!(
        at(text, first.start, first.end),
        "1\t建立长效机制\t区司法局（牵头）、区财政局\t长期坚持"
    );
}
