//! The seed document read exactly as its hand-checked gold file says.

use crate::common;

use zhengce::model::Task;

#[test]
fn all_84_headings_with_gold_ids_markers_and_titles() {
    let seed = common::seed();
    let doc = common::parse(&seed);
    let gold = common::gold(&seed);
    let got: Vec<(&str, &str, &str)> = doc
        .all_tasks()
        .into_iter()
        .map(|t: &Task| (t.id.as_str(), t.marker.as_str(), t.title.as_str()))
        .collect();
    let want: Vec<(&str, &str, &str)> = gold
        .headings
        .iter()
        .map(|h| (h.path.as_str(), h.marker.as_str(), h.title.as_str()))
        .collect();
    assert_eq!(want.len(), 84);
    assert_eq!(got, want);
}

#[test]
fn gold_meta_exactly() {
    let seed = common::seed();
    let m = common::parse(&seed).meta;
    let g = common::gold(&seed).meta;
    assert_eq!(m.title, g.title);
    assert_eq!(m.notice_title, g.notice_title);
    assert_eq!(m.doc_number, g.doc_number);
    assert_eq!(m.issuers, g.issuers);
    assert_eq!(m.recipients, g.recipients);
    assert_eq!(m.date, g.date);
    assert_eq!(m.published.as_deref(), Some("2023-08-22"));
    assert_eq!(m.publicity.as_deref(), Some("此件公开发布"));
}

#[test]
fn preamble_is_the_paragraph_before_the_first_heading() {
    let doc = common::parse(&common::seed());
    let p = doc.preamble.expect("preamble");
    assert!(
        p.text
            .starts_with("为深入落实《国务院关于支持山东深化新旧动能转换")
    );
    assert!(p.text.ends_with("制定本行动计划。"));
    let chars: Vec<char> = std::fs::read_to_string(common::seed())
        .unwrap()
        .chars()
        .collect();
    let slice: String = chars[p.span.start..p.span.end].iter().collect();
    assert_eq!(slice, p.text);
}

#[test]
fn page_chrome_is_kept_apart() {
    use zhengce::model::BlockKind;
    let doc = common::parse(&common::seed());
    let chrome: Vec<_> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Chrome)
        .collect();
    assert_eq!(
        chrome.len(),
        2,
        "the header rows and the footer: {chrome:?}"
    );
    assert_eq!(chrome[0].span.start, 0);
    assert!(chrome[1].span.end == doc.source.chars);
    let last = doc.all_tasks().into_iter().last().unwrap();
    assert!(!last.text.contains("公网安备"));
}
