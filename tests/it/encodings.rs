//! The same answer along every path: each fixture re-encoded (GBK, GB18030, UTF-16LE/BE with
//! and without a byte-order mark, UTF-8 with a mark) and with CRLF line ends gives JSON
//! identical to the UTF-8 LF original, except the `source` object.

use crate::common;

use encoding_rs::{GB18030, GBK};

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn without_source(doc: &zhengce::model::Document) -> serde_json::Value {
    let mut v = serde_json::to_value(doc).unwrap();
    v.as_object_mut().unwrap().remove("source");
    v
}

#[test]
fn every_encoding_and_line_end_gives_the_same_json() {
    let parser = common::parser();
    for path in common::fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let original = parser.parse_bytes(text.as_bytes(), None);
        let want = without_source(&original);
        let crlf = text.replace('\n', "\r\n");
        let variants: Vec<(&str, Vec<u8>, &str)> = vec![
            ("gbk", GBK.encode(&text).0.into_owned(), "GBK"),
            ("gb18030", GB18030.encode(&text).0.into_owned(), "GBK"),
            ("utf-16le+bom", utf16(&text, true, true), "UTF-16LE"),
            ("utf-16be+bom", utf16(&text, false, true), "UTF-16BE"),
            ("utf-16le", utf16(&text, true, false), "UTF-16LE"),
            ("utf-16be", utf16(&text, false, false), "UTF-16BE"),
            (
                "utf-8+bom",
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                "UTF-8",
            ),
            ("crlf", crlf.clone().into_bytes(), "UTF-8"),
            ("gbk+crlf", GBK.encode(&crlf).0.into_owned(), "GBK"),
            ("utf-16le+crlf", utf16(&crlf, true, true), "UTF-16LE"),
        ];
        for (name, bytes, encoding) in variants {
            let doc = parser.parse_bytes(&bytes, None);
            assert_eq!(
                doc.source.encoding,
                encoding,
                "{} as {name}",
                path.display()
            );
            assert_eq!(
                doc.source.chars,
                original.source.chars,
                "{} as {name}",
                path.display()
            );
            assert_eq!(doc.source.replacements, 0, "{} as {name}", path.display());
            let got = without_source(&doc);
            assert!(
                got == want,
                "{} as {name}: the JSON differs",
                path.display()
            );
        }
    }
}

#[test]
fn crlf_is_counted_as_one_character() {
    let parser = common::parser();
    let lf = parser.parse_str("一、甲\n(一)乙\n", None);
    let crlf = parser.parse_str("一、甲\r\n(一)乙\r\n", None);
    let cr = parser.parse_str("一、甲\r(一)乙\r", None);
    assert_eq!(lf.tasks[0].children[0].span, crlf.tasks[0].children[0].span);
    assert_eq!(lf.tasks[0].children[0].span, cr.tasks[0].children[0].span);
    assert_eq!(lf.tasks[0].children[0].span.start, 4);
    assert_eq!(
        (
            crlf.source.line_endings.as_str(),
            cr.source.line_endings.as_str()
        ),
        ("crlf", "cr")
    );
    assert_eq!(crlf.source.chars, lf.source.chars);
}
