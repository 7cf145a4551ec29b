//! Unit tests of the annex stage: tables of the shapes documents give, written for these tests.

use super::rules::compile;
use super::similar::{key, restated};
use super::{Header, number};
use crate::base::rule_file::RuleSource;
use crate::base::text::Text;

#[test]
fn numbers_stand_alone() {
    assert_eq!(number("12"), Some(12));
    assert_eq!(number("3、"), Some(3));
    assert_eq!(number("0"), None);
    assert_eq!(number("2025"), None);
    assert_eq!(number("1项"), None);
}

#[test]
fn a_row_restates_the_one_title_it_clearly_matches() {
    let titles: Vec<Vec<char>> = ["推进生活垃圾分类", "健全收运体系", "加强组织领导"]
        .iter()
        .map(|t| key(t))
        .collect();
    assert_eq!(restated(&key("全面推进生活垃圾分类工作"), &titles), Some(0));
    assert_eq!(restated(&key("健全收运体系。"), &titles), Some(1));
    assert_eq!(restated(&key("开展执法检查"), &titles), None);
    // Under four characters, nothing.
    assert_eq!(restated(&key("领导"), &titles), None);
}

/// Whether a header line (cells apart by tabs) names a task table.
fn is_task_table(header: &str) -> bool {
    let rules = compile(&RuleSource {
        display: "rules/annex.toml".to_string(),
        text: include_str!("../../../rules/annex.toml"),
    })
    .expect("annex rules");
    let text = Text::new(header.to_string());
    let mut cells = Vec::new();
    let mut start = 0;
    for (i, c) in header.char_indices() {
        if c == '\t' {
            cells.push(start..i);
            start = i + 1;
        }
    }
    cells.push(start..header.len());
    Header::new(&text, &cells, &rules).is_some()
}

#[test]
fn headers_of_task_tables_and_of_other_tables() {
    assert!(is_task_table(
        "序号\t重点任务\t主要内容\t牵头单位\t配合单位\t完成时限"
    ));
    assert!(is_task_table("序号\t工作任务\t责任单位\t完成时限"));
    assert!(is_task_table("序号\t主要领域\t重点任务或项目"));
    // An indicator table and a list of delegated powers are no task tables.
    assert!(!is_task_table("序号\t指标名称\t单位\t2025年目标值\t属性"));
    assert!(!is_task_table(
        "序号\t事项名称\t权力类型\t下放内容\t下放范围\t承接部门"
    ));
}
