//! Notice layouts beyond the bundled documents: red-header notices with the 文号 first, an
//! annex label above the attached document's title, annex tables, table cells that look like
//! numbers. Each document here is written for the test, not taken from the corpus.

use crate::common;

use zhengce::model::BlockKind;

fn parse(s: &str) -> zhengce::model::Document {
    common::parser().parse_str(s, None)
}

#[test]
fn red_header_notice_with_the_doc_number_first() {
    let doc = parse(
        "雄安发〔2021〕5号\n中共河北雄安新区工作委员会\n河北雄安新区管理委员会\n\
         关于印发《全面推进乡村振兴的实施方案》的通知\n雄县、容城、安新县委和人民政府,新区各部门:\n\
         现将《全面推进乡村振兴的实施方案》印发给你们,请认真贯彻执行。\n\
         中共河北雄安新区工作委员会\n河北雄安新区管理委员会\n2021年3月15日\n(此件公开发布)\n\
         全面推进乡村振兴\n的实施方案\n为认真贯彻落实,制定如下实施方案。\n一、总体要求\n(一)指导思想。坚持。\n",
    );
    let m = &doc.meta;
    assert_eq!(m.doc_number.as_deref(), Some("雄安发〔2021〕5号"));
    assert_eq!(
        m.notice_title.as_deref(),
        Some("关于印发《全面推进乡村振兴的实施方案》的通知")
    );
    assert_eq!(m.title.as_deref(), Some("全面推进乡村振兴的实施方案"));
    assert_eq!(
        m.issuers,
        ["中共河北雄安新区工作委员会", "河北雄安新区管理委员会"]
    );
    assert_eq!(
        m.recipients,
        ["雄县、容城、安新县委和人民政府", "新区各部门"]
    );
    assert_eq!(m.date.as_deref(), Some("2021-03-15"));
    assert_eq!(doc.tasks[0].children[0].title, "指导思想");
}

#[test]
fn an_annex_label_above_the_attached_title_is_not_part_of_it() {
    let doc = parse(
        "县直各有关单位:\n现将任务清单印发给你们,请认真落实。\n县人民政府办公室\n2025年5月18日\n\
         附件1\n2025年县政府工作报告任务清单\n一、示范区牵头工作(8项)\n1.建设3个产业园。\n",
    );
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("2025年县政府工作报告任务清单")
    );
    assert_eq!(doc.tasks[0].title, "示范区牵头工作(8项)");
}

#[test]
fn an_annex_table_ends_the_body() {
    let doc = parse(
        "一、主要任务\n1.推进光伏建设。\n附表：1.任务分工表\n序号\n1\n推进光伏建设\n区发展改革委\n",
    );
    assert_eq!(doc.tasks.len(), 1);
    assert!(doc.diagnostics.iter().any(|d| d.code == "annex-not-read"));
}

#[test]
fn a_line_that_is_only_a_number_is_never_a_heading() {
    let doc = parse("一、目标\n1.海绵城市面积\n2.建成区面积\n3.达标面积\n4.42\n3.15\n二、任务\n");
    let ids: Vec<&str> = doc.all_tasks().iter().map(|t| t.marker.as_str()).collect();
    assert_eq!(ids, ["一、", "1.", "2.", "3.", "二、"]);
}

#[test]
fn page_footers_after_the_signature_leave_it_readable() {
    let doc = parse(
        "国务院办公厅关于某项工作的函\n某省人民政府:\n现函复如下:\n一、关于甲项目问题。\n请你省继续做好前期工作。\n\
         国务院办公厅\n二〇〇四年八月十二日\n(本文有删减)\n扫一扫在手机打开当前页\n",
    );
    assert_eq!(doc.meta.date.as_deref(), Some("2004-08-12"));
    assert_eq!(doc.meta.issuers, ["国务院办公厅"]);
    // Neither the signature nor the footers are part of the last task.
    assert_eq!(
        doc.tasks[0].text,
        "关于甲项目问题。\n请你省继续做好前期工作。"
    );
    // The two footer lines are one chrome block after the signature's.
    let last: Vec<_> = doc
        .blocks
        .iter()
        .rev()
        .take(2)
        .map(|b| (b.kind, b.span.line))
        .collect();
    assert_eq!(last, [(BlockKind::Chrome, 8), (BlockKind::Meta, 6)]);
}

#[test]
fn issuers_named_together_with_a_comma_are_two() {
    let doc = parse(
        "国务院办公厅、中央军委办公厅\n关于加强某项工作的通知\n国办发〔1996〕25号\n各省人民政府:\n\
         现就有关问题通知如下:\n一、加强调查工作。\n二、加强管理工作。\n",
    );
    assert_eq!(doc.meta.issuers, ["国务院办公厅", "中央军委办公厅"]);
    assert_eq!(doc.meta.doc_number.as_deref(), Some("国办发〔1996〕25号"));
    assert_eq!(doc.tasks.len(), 2);
}

#[test]
fn a_central_document_carried_by_the_news_agency() {
    let doc = parse(
        "新华社北京2月13日电\n\n中共中央 国务院关于做好某项重点工作的意见\n(2023年1月2日)\n\n\
         为做好重点工作,现提出如下意见。\n一、抓紧抓好粮食生产\n(一)全力抓好粮食生产。确保全国粮食产量保持在1.3万亿斤以上。\n",
    );
    let m = &doc.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("中共中央 国务院关于做好某项重点工作的意见")
    );
    assert_eq!(m.date.as_deref(), Some("2023-01-02"));
    assert_eq!(m.issuers, ["中共中央", "国务院"]);
    assert_eq!(doc.blocks[0].kind, BlockKind::Chrome);
    assert_eq!(
        doc.preamble.as_ref().map(|p| p.text.as_str()),
        Some("为做好重点工作,现提出如下意见。")
    );
    assert_eq!(doc.tasks[0].children[0].title, "全力抓好粮食生产");
}

#[test]
fn a_header_row_with_two_fields_gives_both() {
    // A four-column header table flattened one row a line, by spaces and as a Markdown table.
    for header in [
        "发文机关： 国务院办公厅 成文日期： 2004年08月12日\n发文字号： 国办函〔2004〕57号 发布日期： 2018年12月24日\n",
        "| 发文机关: | 国务院办公厅 | 成文日期: | 2004年08月12日 |\n| 发文字号: | 国办函〔2004〕57号 | 发布日期: | 2018年12月24日 |\n",
    ] {
        let doc = parse(&format!(
            "{header}关于某项工作的函\n某省人民政府:\n一、关于甲项目问题。\n二、关于乙项目问题。\n"
        ));
        let m = &doc.meta;
        assert_eq!(m.issuers, ["国务院办公厅"], "{header}");
        assert_eq!(m.date.as_deref(), Some("2004-08-12"), "{header}");
        assert_eq!(m.published.as_deref(), Some("2018-12-24"), "{header}");
        assert_eq!(
            m.doc_number.as_deref(),
            Some("国办函〔2004〕57号"),
            "{header}"
        );
        assert_eq!(doc.blocks[0].kind, BlockKind::Chrome);
        assert_eq!(doc.tasks.len(), 2);
    }
}

#[test]
fn a_signature_date_comes_before_the_bracketed_one() {
    let doc = parse(
        "关于某项工作的意见\n(2023年1月2日)\n一、总体要求\n(一)指导思想。坚持。\n中共中央\n国务院\n2023年2月1日\n",
    );
    assert_eq!(doc.meta.date.as_deref(), Some("2023-02-01"));
    assert_eq!(doc.meta.issuers, ["中共中央", "国务院"]);
}
