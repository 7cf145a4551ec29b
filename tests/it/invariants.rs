//! The lossless invariant on every fixture and on awkward inputs: blocks tile the decoded text,
//! spans lie inside it, children inside parents.

use crate::common;

use zhengce::invariants::invariants;

fn assert_holds(bytes: &[u8], name: &str) {
    let parser = common::parser();
    let doc = parser.parse_bytes(bytes, None);
    let text = parser.text(bytes);
    let bad = invariants(&doc, &text);
    assert!(bad.is_empty(), "{name}: {bad:#?}");
    // Blocks joined give back the text.
    let chars: Vec<char> = text.chars().collect();
    let joined: String = doc
        .blocks
        .iter()
        .map(|b| chars[b.span.start..b.span.end].iter().collect::<String>())
        .collect();
    assert_eq!(joined, text, "{name}: blocks do not reproduce the text");
}

#[test]
fn every_fixture() {
    for path in common::fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        assert_holds(&bytes, &path.display().to_string());
    }
}

#[test]
fn awkward_inputs() {
    for s in [
        "",
        "\n",
        "   \n\t\n",
        "一、",
        "一、\n\n\n",
        "（一）甲\r\n（二）乙\r\n",
        "no headings at all\njust english\n",
        "鲁公网安备37172602000105号\n",
        "三、甲\n一、乙\n(一)丙\n(一)丁\n",
        "　　一、总体目标\n　　1.目标。内容\n",
        "附件\n1\n2\n",
    ] {
        assert_holds(s.as_bytes(), &format!("{s:?}"));
    }
}
