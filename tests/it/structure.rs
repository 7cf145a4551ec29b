//! Line structure lost or broken on the way to zhengce: the seed joined into one line, and
//! hard-wrapped at 38 characters, read as the seed does (issue: structure on documents nobody
//! tuned for). The scores are the shared scorer's against the seed's gold file.

use crate::common;

use zhengce::compare::score::{Scores, score};

fn seed_text() -> String {
    std::fs::read_to_string(common::seed()).unwrap()
}

fn scores(text: &str) -> (Scores, Vec<String>) {
    let doc = common::parser().parse_str(text, None);
    let gold = common::gold(&common::seed()).to_document();
    let codes = doc.diagnostics.iter().map(|d| d.code.clone()).collect();
    (score(&gold, &doc), codes)
}

fn close_to_the_seed(s: &Scores) {
    let (seed, _) = scores(&seed_text());
    for (name, got, want) in [
        ("headings", s.headings.f1(), seed.headings.f1()),
        ("attributions", s.attributions.f1(), seed.attributions.f1()),
        ("targets", s.targets.f1(), seed.targets.f1()),
    ] {
        assert!(
            got >= want - 0.02,
            "{name}: {got:.3} against the seed's {want:.3}"
        );
    }
}

#[test]
fn the_seed_on_one_line_reads_as_the_seed() {
    let joined = seed_text().replace('\n', "");
    let (s, codes) = scores(&joined);
    close_to_the_seed(&s);
    assert!(codes.iter().any(|c| c == "headings-split"), "{codes:?}");
}

#[test]
fn the_seed_wrapped_at_38_characters_reads_as_the_seed() {
    let mut wrapped = Vec::new();
    for line in seed_text().split('\n') {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            wrapped.push(String::new());
        }
        for piece in chars.chunks(38) {
            wrapped.push(piece.iter().collect());
        }
    }
    let (s, codes) = scores(&wrapped.join("\n"));
    close_to_the_seed(&s);
    assert!(codes.iter().any(|c| c == "lines-rejoined"), "{codes:?}");
    // Years and indicators are read whole again: the target of 2.2.2 is not cut at a wrap.
    let doc = common::parser().parse_str(&wrapped.join("\n"), None);
    let t = doc
        .all_tasks()
        .into_iter()
        .find(|t| t.id == "2.2.2")
        .unwrap();
    assert!(
        t.targets.iter().all(|g| g.year == Some(2025)),
        "{:?}",
        t.targets
    );
}

#[test]
fn a_marker_on_a_line_of_its_own_joins_its_title() {
    let doc = common::parser().parse_str(
        "一、总体要求\n正文。\n二、\n主要任务\n（\n一\n）推进改造。\n",
        None,
    );
    let ids: Vec<(&str, &str, &str)> = doc
        .all_tasks()
        .iter()
        .map(|t| (t.id.as_str(), t.marker.as_str(), t.title.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("1", "一、", "总体要求"),
            ("2", "二、", "主要任务"),
            ("2.1", "（一）", "推进改造")
        ]
    );
}

/// A notice whose own body is numbered, signed and dated, then an annex list.
const NOTICE_WITH_LIST: &str = "国务院关于做好自由贸易试验区改革试点经验复制推广工作的通知
国发〔2023〕1号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院同意，现就有关事项通知如下：
一、推广的改革举措
（一）在全国范围内复制推广的改革事项。
（二）在特定区域复制推广的改革事项。
二、高度重视推广工作
各地区要加强组织领导。（国务院自由贸易试验区工作部际联席会议办公室负责）
国务院
2023年1月5日
（此件公开发布）
附件：自由贸易试验区改革试点经验复制推广清单
1.船舶登记便利化改革
2.跨境贸易投资高水平开放试点
";

fn ids(doc: &zhengce::model::Document) -> Vec<String> {
    doc.all_tasks().into_iter().map(|t| t.id.clone()).collect()
}

#[test]
fn a_notice_numbered_itself_is_the_document_and_its_list_annex_no_plan() {
    let doc = common::parser().parse_str(NOTICE_WITH_LIST, None);
    assert_eq!(ids(&doc), ["1", "1.1", "1.2", "2"]);
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("国务院关于做好自由贸易试验区改革试点经验复制推广工作的通知")
    );
    assert_eq!(doc.meta.notice_title, None);
    assert_eq!(doc.meta.date.as_deref(), Some("2023-01-05"));
    assert_eq!(doc.meta.issuers, ["国务院"]);
    let t2 = doc.all_tasks().into_iter().find(|t| t.id == "2").unwrap();
    assert_eq!(t2.lead, ["国务院自由贸易试验区工作部际联席会议办公室"]);
    // The list is kept as text of the annex, not lost.
    let annex = doc
        .blocks
        .iter()
        .find(|b| {
            let chars: String = NOTICE_WITH_LIST
                .chars()
                .skip(b.span.start)
                .take(b.span.end - b.span.start)
                .collect();
            chars.contains("船舶登记")
        })
        .unwrap();
    assert_eq!(annex.task, None);
}

/// A wrapper with numbered requirements of its own that attaches a plan; `items` are the
/// requirements (empty for a wrapper without them).
fn wrapper_and_plan(items: &str) -> String {
    format!(
        "关于印发《某县营商环境提升行动方案》的通知
各乡镇人民政府，县直各部门：
现将《某县营商环境提升行动方案》印发给你们，请认真贯彻执行。
{items}某县人民政府办公室
2025年1月10日
某县营商环境提升行动方案
为持续优化营商环境，制定本方案。
一、总体目标
到2025年，市场主体达到5万户。
二、重点任务
（一）深化“放管服”改革。（县行政审批局牵头，县司法局配合）
（二）优化企业服务。（县工信局牵头）
"
    )
}

#[test]
fn a_wrappers_own_items_come_first_as_n_and_the_plans_ids_stay() {
    let items = "一、提高认识。各单位要高度重视。\n二、压实责任。各牵头单位要制定细化措施。（县发展改革局牵头）\n";
    let with = common::parser().parse_str(&wrapper_and_plan(items), None);
    let without = common::parser().parse_str(&wrapper_and_plan(""), None);
    assert_eq!(ids(&with), ["n1", "n2", "1", "2", "2.1", "2.2"]);
    assert_eq!(ids(&without), ["1", "2", "2.1", "2.2"]);
    let plan = |d: &zhengce::model::Document| -> Vec<(String, String, Vec<String>)> {
        d.all_tasks()
            .into_iter()
            .filter(|t| !t.id.starts_with('n'))
            .map(|t| (t.id.clone(), t.title.clone(), t.lead.clone()))
            .collect()
    };
    assert_eq!(plan(&with), plan(&without));
    let n2 = with.all_tasks().into_iter().find(|t| t.id == "n2").unwrap();
    assert_eq!(n2.title, "压实责任");
    assert_eq!(n2.lead, ["县发展改革局"]);
    assert_eq!(with.meta.title.as_deref(), Some("某县营商环境提升行动方案"));
    assert!(
        with.diagnostics.iter().any(|d| d.code == "notice-items"),
        "{:?}",
        with.diagnostics
    );
    assert!(without.diagnostics.iter().all(|d| d.code != "notice-items"));
}

#[test]
fn a_markdown_exports_front_matter_is_chrome_and_fills_meta() {
    let plain = "某区推进屋顶光伏建设工作方案\n一、推进屋顶光伏。到2025年底，装机达到10万千瓦。（区发展改革委牵头）\n";
    let exported = format!(
        "---\n标题: 某区推进屋顶光伏建设工作方案\n发布单位: 某区人民政府\n---\n> 来源：某区人民政府网站\n\n{plain}"
    );
    let doc = common::parser().parse_str(&exported, None);
    let bare = common::parser().parse_str(plain, None);
    let tasks = |d: &zhengce::model::Document| -> Vec<(String, String, Vec<String>)> {
        d.all_tasks()
            .into_iter()
            .map(|t| (t.id.clone(), t.text.clone(), t.lead.clone()))
            .collect()
    };
    assert_eq!(tasks(&doc), tasks(&bare));
    assert_eq!(doc.meta.issuers, ["某区人民政府"]);
    assert_eq!(doc.meta.title, bare.meta.title);
    // The fence, key and quote lines are chrome blocks, not lost and not text of a task.
    let chrome: String = doc
        .blocks
        .iter()
        .filter(|b| b.kind == zhengce::model::BlockKind::Chrome)
        .map(|b| {
            exported
                .chars()
                .skip(b.span.start)
                .take(b.span.end - b.span.start)
                .collect::<String>()
        })
        .collect();
    assert!(chrome.contains("发布单位: 某区人民政府"), "{chrome}");
    assert!(chrome.contains("> 来源"), "{chrome}");
}

#[test]
fn markdown_emphasis_headings_and_yaml_lists_read_as_the_plain_text_does() {
    let plain = "某县优化营商环境若干措施\n一、降低企业成本\n1.支持企业技术改造。到2025年，完成技术改造项目100个。（县工信局牵头，县财政局按职责分工负责）\n二、提升服务效率\n2.推进审批改革。（县行政审批局负责）\n";
    let markdown = "---\nid: P_1\naliases:\n- P_1\nregion:\n  level: 县\n---\n\n# 某县优化营商环境若干措施\n\n## 政策原文\n\n**某县优化营商环境若干措施**\n\n** 一、降低企业成本**\n\n1.支持企业技术改造。到2025年，完成技术改造项目100个。（县工信局牵头，县财政局按职责分工负责）\n\n**二、** 提升服务效率\n\n2.推进审批改革。（县行政审批局负责）\n\n---\n\n**更新时间**: 2026-01-26 11:25:36\n";
    let doc = common::parser().parse_str(markdown, None);
    let bare = common::parser().parse_str(plain, None);
    let tasks = |d: &zhengce::model::Document| -> Vec<String> {
        d.all_tasks()
            .into_iter()
            .map(|t| {
                format!(
                    "{} {} {} {:?} {:?} {}",
                    t.id,
                    t.marker,
                    t.title,
                    t.lead,
                    t.participants,
                    t.targets.len()
                )
            })
            .collect()
    };
    assert_eq!(tasks(&doc), tasks(&bare));
    assert_eq!(ids(&doc), ["1", "1.1", "2", "2.1"]);
    assert_eq!(doc.meta.title.as_deref(), Some("某县优化营商环境若干措施"));
    // The page's update time after the last rule is chrome, not text of the last task.
    let last = doc.all_tasks().last().unwrap().text.clone();
    assert!(!last.contains("更新时间"), "{last}");
    // Spans index the text as written: a heading's span begins at its marker, after the marks.
    let t = &doc.all_tasks()[0];
    let at: String = markdown.chars().skip(t.span.start).take(8).collect();
    assert_eq!(at, "一、降低企业成本");
}

#[test]
fn a_notice_title_starts_at_its_issuer_line_unless_a_wrapped_title_began_above() {
    let wrapped = "某市人民政府办公厅转发市住房城乡建设局等\n四部门关于加强住宅小区治理工作的通知\n\n各区人民政府：\n现将《关于加强住宅小区治理工作的意见》转发给你们，请认真执行。\n\n某市人民政府办公厅\n2023年5月6日\n\n关于加强住宅小区治理工作的意见\n\n一、总体要求\n（一）推进治理。到2025年，完成改造100个小区。\n";
    let doc = common::parser().parse_str(wrapped, None);
    assert_eq!(
        doc.meta.notice_title.as_deref(),
        Some("某市人民政府办公厅转发市住房城乡建设局等四部门关于加强住宅小区治理工作的通知")
    );
    // An export's own heading above the title is no part of it.
    let exported = wrapped.replacen(
        "某市人民政府办公厅转发",
        "## 政策全文\n\n某市人民政府办公厅转发",
        1,
    );
    let doc = common::parser().parse_str(&exported, None);
    assert_eq!(
        doc.meta.notice_title.as_deref(),
        Some("某市人民政府办公厅转发市住房城乡建设局等四部门关于加强住宅小区治理工作的通知")
    );
    let headed = "## 政策全文\n\n某市人民政府关于印发\n\n某市城市更新行动方案的通知\n\n各区人民政府：\n现将《某市城市更新行动方案》印发给你们。\n\n某市人民政府\n2023年5月6日\n\n某市城市更新行动方案\n\n一、总体要求\n（一）推进治理。到2025年，完成改造100个小区。\n";
    let doc = common::parser().parse_str(headed, None);
    assert_eq!(
        doc.meta.notice_title.as_deref(),
        Some("某市人民政府关于印发某市城市更新行动方案的通知")
    );
}

#[test]
fn a_header_table_one_cell_a_line_fills_meta_and_stays_out_of_the_body() {
    let page = "[首页](/index.htm) \\> [政策文件](/zc.htm)\n\n**发文机关：**\n\n某县人民政府\n\n**发文字号：**\n\n某政发〔2024〕3号\n\n**发布日期：**\n\n2024年03月05日\n\n|:--|\n|**主 题 词：**|\n\n**主题词：**\n\n某县关于推进\n\n乡村振兴的实施意见\n\n各镇人民政府：\n\n为推进乡村振兴，提出如下意见。\n\n一、总体要求\n\n（一）加强统筹。到2025年，建成示范村10个。\n";
    let doc = common::parser().parse_str(page, None);
    assert_eq!(doc.meta.doc_number.as_deref(), Some("某政发〔2024〕3号"));
    assert_eq!(doc.meta.published.as_deref(), Some("2024-03-05"));
    assert_eq!(doc.meta.issuers, ["某县人民政府"]);
    // The empty key above the title does not take it: the title is the document's own.
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("某县关于推进乡村振兴的实施意见")
    );
    assert_eq!(doc.meta.recipients, ["各镇人民政府"]);
    assert_eq!(ids(&doc), ["1", "1.1"]);
    // The value lines are chrome blocks: kept, not text of the preamble.
    let chrome: String = doc
        .blocks
        .iter()
        .filter(|b| b.kind == zhengce::model::BlockKind::Chrome)
        .map(|b| {
            page.chars()
                .skip(b.span.start)
                .take(b.span.end - b.span.start)
                .collect::<String>()
        })
        .collect();
    for v in [
        "某政发〔2024〕3号",
        "2024年03月05日",
        "某县人民政府",
        "[首页]",
        "|:--|",
    ] {
        assert!(chrome.contains(v), "{v} in {chrome}");
    }
}

#[test]
fn decimal_sections_number_within_chapters_and_letter_spaced_titles_are_headings() {
    let text = "某市规划编制办法\n第一章  总    则\n1.1\u{3000}编制目的及依据\n为规范规划编制，制定本办法。\n1.2\u{3000}适用范围\n本办法适用于全市。\n第二章  编制要求\n2.1\u{3000}基本要求\n到2025年，完成编制。\n";
    let doc = common::parser().parse_str(text, None);
    assert_eq!(ids(&doc), ["1", "1.1", "1.2", "2", "2.1"]);
    let t = doc.all_tasks();
    assert_eq!(t[0].title, "总    则");
    assert_eq!(t[1].title, "编制目的及依据");
}

#[test]
fn an_attached_plan_whose_label_and_title_share_a_line_is_read() {
    let text = "关于印发《某区城市更新实施方案》的通知\n各镇人民政府、街道办事处：\n现将《某区城市更新实施方案》印发给你们，并提出以下要求：\n一、高度重视。各单位要高度重视。\n二、抓好落实。各单位要按时报送进展。\n某区人民政府办公室\n2025年3月1日\n附件：某区城市更新实施方案\n一、总体要求\n（一）指导思想。坚持人民城市理念。\n二、主要任务\n（一）推进旧区改造。2025年底前完成10个项目。\n";
    let doc = common::parser().parse_str(text, None);
    assert_eq!(ids(&doc), ["n1", "n2", "1", "1.1", "2", "2.1"]);
    assert_eq!(doc.meta.title.as_deref(), Some("某区城市更新实施方案"));
}
