//! Hostile and broken input: valid JSON and a diagnostic, or a clear error and exit 2; never a
//! panic; the invariants hold on pathological structure.

use crate::common;

use common::zhengce;

use predicates::prelude::*;
use zhengce::invariants::invariants;

/// Parses through the CLI; asserts exit 0 and valid JSON; returns the diagnostics' codes.
fn codes_of(input: &[u8]) -> Vec<String> {
    let out = zhengce()
        .args(["parse", "-"])
        .write_stdin(input.to_vec())
        .output()
        .unwrap();
    common::assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn holds(bytes: &[u8]) -> zhengce::model::Document {
    let parser = common::parser();
    let doc = parser.parse_bytes(bytes, None);
    let bad = invariants(&doc, &parser.text(bytes));
    assert!(bad.is_empty(), "{bad:#?}");
    let json = serde_json::to_string(&doc).unwrap();
    let back: zhengce::model::Document = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
    doc
}

#[test]
fn documents_with_nothing_to_read_are_valid_json_with_a_reason() {
    assert_eq!(codes_of(b""), ["empty-document"]);
    assert_eq!(codes_of(b"  \n\t\n\r\n"), ["empty-document"]);
    assert_eq!(
        codes_of("鲁公网安备37172602000105号\n网站标识码：3717260001\n".as_bytes()),
        ["empty-document"]
    );
    assert_eq!(
        codes_of(b"The quick brown fox.\nJumps over the lazy dog.\n"),
        ["no-headings"]
    );
    assert_eq!(
        codes_of(b"12 34 56\n78 90 12\n2025 418 1.7\n"),
        ["no-headings"]
    );
}

#[test]
fn binary_input_is_refused_unless_forced() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0\x01\0\0\0";
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0\0\0!\0word/document.xml";
    for (bytes, why) in [
        (
            png.as_slice(),
            "not a text document: looks like a PNG image",
        ),
        (elf, "not a text document: looks like an ELF executable"),
        (
            zip,
            "a damaged ZIP archive: not a document type zhengce reads",
        ),
    ] {
        zhengce()
            .args(["parse", "-"])
            .write_stdin(bytes.to_vec())
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(why));
        zhengce()
            .args(["parse", "--force", "-"])
            .write_stdin(bytes.to_vec())
            .assert()
            .success();
    }
}

#[test]
fn malformed_bytes_are_replaced_counted_and_reported() {
    let seed = std::fs::read_to_string(common::seed()).unwrap();
    let mut utf8 = seed.clone().into_bytes();
    let at = seed.find("做好锂电产业").unwrap();
    utf8.splice(at..at, [0xFF, 0xFE, 0xC3]);
    let line_start = seed.find("一、总体要求").unwrap();
    utf8.splice(line_start..line_start, [0xFF]);
    let doc = holds(&utf8);
    assert_eq!(doc.source.encoding, "UTF-8");
    assert!(doc.source.replacements >= 1);
    assert!(doc.diagnostics.iter().any(|d| d.code == "malformed-bytes"));
    assert_eq!(doc.all_tasks().len(), 84, "the rest still reads");

    let mut gbk = encoding_rs::GBK.encode(&seed).0.into_owned();
    gbk.insert(gbk.len() / 2, 0xFF);
    let doc = holds(&gbk);
    assert_eq!(doc.source.encoding, "GBK");
    assert!(doc.source.replacements >= 1);
    assert!(doc.diagnostics.iter().any(|d| d.code == "malformed-bytes"));
}

#[test]
fn twenty_thousand_headings() {
    let mut s = String::from("一、总体要求\n");
    for i in 1..=20_000 {
        s.push_str(&format!(
            "{i}.任务{i}。到2025年完成{i}个。（牵头单位：区发展改革委）\n"
        ));
    }
    let doc = holds(s.as_bytes());
    assert_eq!(doc.tasks[0].children.len(), 20_000);
}

#[test]
fn a_ten_megabyte_line() {
    let line = "加强统筹，推进建设".repeat(10_000_000 / 27);
    let doc = holds(format!("一、总体要求\n{line}\n二、保障措施\n").as_bytes());
    assert_eq!(doc.tasks.len(), 2);
}

#[test]
fn ten_thousand_nested_or_unclosed_brackets() {
    holds(format!("一、甲\n{}\n", "（".repeat(10_000)).as_bytes());
    holds(format!("一、甲\n{}{}\n", "（".repeat(10_000), "）".repeat(10_000)).as_bytes());
    holds(format!("一、甲\n（牵头单位：{}\n", "【".repeat(10_000)).as_bytes());
    holds(format!("一、甲\n{}\n", ")(".repeat(10_000)).as_bytes());
}

#[test]
fn irregular_numbering_stays_valid() {
    let doc = holds("三、甲\n一、乙\n二、丙\n".as_bytes());
    assert!(doc.diagnostics.iter().any(|d| d.code == "ordinal-restart"));
    // A marker alone with a line after it takes that line as its title; before a blank line
    // it has none.
    let doc = holds("一、\n\n正文\n二、乙\n".as_bytes());
    assert!(
        doc.diagnostics
            .iter()
            .any(|d| d.code == "marker-without-title")
    );
    let doc = holds("一、甲\n(一)乙\n(一)丙\n(二)丁\n".as_bytes());
    assert_eq!(doc.tasks[0].children.len(), 3);
    let doc = holds("一、甲\n(一)乙\n（二）丙\n(三)丁\n".as_bytes());
    assert_eq!(doc.tasks[0].children.len(), 3, "mixed widths in one list");
}

#[test]
fn unwritable_outputs_are_exit_2_and_leave_nothing() {
    let seed = common::seed();
    zhengce()
        .arg("parse")
        .arg(&seed)
        .args(["-o", "/proc/zhengce-cannot-write-here.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
    let through_a_file = seed.join("out.json");
    zhengce()
        .arg("parse")
        .arg(&seed)
        .arg("-o")
        .arg(&through_a_file)
        .assert()
        .code(2);
}

#[test]
fn malformed_rule_files_name_file_line_and_rule() {
    let dir = std::env::temp_dir().join(format!("zhengce-badrules-{}", std::process::id()));
    for (file, text, expect) in [
        (
            "chrome.toml",
            "[[rule]]\nname = \"x\"\npattern = \n",
            "chrome.toml:3:",
        ),
        (
            "chrome.toml",
            "[[rule]]\nname = \"x\"\npattern = 'a'\ncolour = 1\n",
            "chrome.toml:4: unknown field `colour`",
        ),
        (
            "departments.toml",
            "[[label]]\nrole = \"boss\"\nwords = []\n",
            "departments.toml:2:",
        ),
    ] {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(file), text).unwrap();
        let out = zhengce()
            .arg("parse")
            .arg(common::seed())
            .arg("--rules")
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(expect), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
