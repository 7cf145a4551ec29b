//! `zhengce view`: the review page from a source document or from JSON, its text escaped,
//! its offsets in characters, and the errors that say what to give instead.

use crate::common;

use zhengce::compare::diff::Lang;
use zhengce::view;

fn page_of(text: &str) -> String {
    let reading = view::load(text.as_bytes(), "doc.txt", None, &common::parser(), false).unwrap();
    view::page(&reading, Lang::Zh)
}

#[test]
fn markup_in_a_document_is_text_and_nothing_loads_from_outside() {
    let html = page_of(
        "一、总体要求<script>alert(1)</script>\n(一)任务<img src=x onerror=alert(2)>。(牵头单位:县\"财政\"局)\n",
    );
    assert!(
        !html.contains("<script>alert"),
        "a script of the document survived"
    );
    assert!(
        !html.contains("<img"),
        "an element of the document survived"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        html.contains("data-names=\"[&quot;县&quot;财政&quot;局&quot;]\"")
            || html.contains("县&quot;财政&quot;局")
    );
    // One script and one style, both inline and allowed by hash; no link, no external source.
    assert_eq!(html.matches("<script>").count(), 1);
    assert_eq!(html.matches("<style>").count(), 1);
    for outside in [
        "<link",
        " src=\"http",
        "url(http",
        "@import",
        "https://",
        "http://",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    assert!(html.contains("script-src 'sha256-"));
}

#[test]
fn offsets_are_characters_even_outside_the_bmp() {
    // Each 𠀀 is one character, two UTF-16 units and four UTF-8 bytes.
    let html = page_of("一、总体要求\n(一)𠀀𠀀到2025年,𠀀产值达到418亿元。(牵头单位:县𠀀局)\n");
    let target = html.split("class=\"tgt\" id=").nth(1).unwrap();
    let shown = target.split('>').nth(1).unwrap().split('<').next().unwrap();
    assert_eq!(shown, "418亿元");
    assert!(
        html.contains("data-dept=\"县𠀀局\">县𠀀局</span>"),
        "the name is marked whole"
    );
}

#[test]
fn the_page_holds_every_task_attribution_and_target() {
    let seed = common::seed();
    let doc = common::parse(&seed);
    let html = page_of(&std::fs::read_to_string(&seed).unwrap());
    let tasks = doc.all_tasks();
    assert_eq!(html.matches("<div class=\"task lv").count(), tasks.len());
    for t in &tasks {
        assert!(html.contains(&format!("id=\"t-{}\"", t.id)), "{}", t.id);
    }
    let atts: usize = tasks.iter().map(|t| t.attributions.len()).sum();
    let lead = html.matches("<span class=\"att lead\" id=").count();
    let part = html.matches("<span class=\"att participant\" id=").count();
    assert_eq!(lead + part, atts);
    let targets: usize = tasks.iter().map(|t| t.targets.len()).sum();
    assert_eq!(html.matches("<span class=\"tgt\" id=").count(), targets);
    assert!(
        html.contains("class=\"blk chrome\""),
        "page chrome is marked"
    );
    assert_eq!(
        html.matches("<li class=\"warning\">").count(),
        doc.diagnostics.len()
    );
}

#[test]
fn from_json_the_text_comes_from_the_source_or_is_rebuilt() {
    let dir = common::tmp("viewjson");
    let seed = common::seed();
    let copy = dir.join("notice.txt");
    std::fs::copy(&seed, &copy).unwrap();
    let json = dir.join("notice.json");
    common::zhengce()
        .arg("parse")
        .arg(&copy)
        .arg("-o")
        .arg(&json)
        .assert()
        .success();
    let from_source = common::zhengce().arg("view").arg(&copy).output().unwrap();
    common::assert_success(&from_source);
    // The source is found at the JSON's `source.path`: the same page, no note.
    let found = common::zhengce().arg("view").arg(&json).output().unwrap();
    common::assert_success(&found);
    assert!(found.stderr.is_empty());
    assert_eq!(found.stdout, from_source.stdout);
    // Moved away, the text is rebuilt from the JSON, with a note and a banner.
    let moved = dir.join("elsewhere.txt");
    std::fs::rename(&copy, &moved).unwrap();
    let rebuilt = common::zhengce()
        .args(["view", "--lang", "en"])
        .arg(&json)
        .output()
        .unwrap();
    common::assert_success(&rebuilt);
    let err = String::from_utf8(rebuilt.stderr).unwrap();
    assert!(
        err.contains("rebuilt from the JSON") && err.contains("--source"),
        "{err}"
    );
    let html = String::from_utf8(rebuilt.stdout).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("id=\"rebuilt\""));
    assert!(
        html.contains("大力发展新能源新材料产业"),
        "task text is there"
    );
    assert!(
        !html.contains("鲁公网安备"),
        "page chrome is not in the JSON"
    );
    let target = html.split("id=\"g-2.1.1-0\"").nth(1).unwrap();
    assert!(
        target.split('>').nth(1).unwrap().starts_with("418亿元"),
        "spans still fit"
    );
    // Given with --source, it is the whole text again.
    let given = common::zhengce()
        .arg("view")
        .arg(&json)
        .arg("--source")
        .arg(&moved)
        .output()
        .unwrap();
    common::assert_success(&given);
    assert!(
        String::from_utf8(given.stdout)
            .unwrap()
            .contains("鲁公网安备")
    );
}

#[test]
fn what_cannot_make_a_page_is_a_clear_error() {
    let dir = common::tmp("viewerr");
    let seed = common::seed();
    let json = dir.join("seed.json");
    common::zhengce()
        .arg("parse")
        .arg(&seed)
        .arg("-o")
        .arg(&json)
        .assert()
        .success();
    let other = common::fixtures().pop().unwrap();
    let out = common::zhengce()
        .arg("view")
        .arg(&json)
        .arg("--source")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("not the document") && err.contains("SHA-256"),
        "{err}"
    );

    let out = common::zhengce()
        .arg("view")
        .arg(seed.with_extension("gold.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("records no spans") && err.contains("source document"),
        "{err}"
    );

    let out = common::zhengce()
        .arg("view")
        .arg(&seed)
        .arg("--source")
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // -o writes atomically, and never over the input.
    let page = dir.join("review.html");
    common::zhengce()
        .arg("view")
        .arg(&seed)
        .arg("-o")
        .arg(&page)
        .assert()
        .success()
        .stdout("");
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    common::zhengce()
        .arg("view")
        .arg(&json)
        .arg("-o")
        .arg(&json)
        .assert()
        .code(2);
}
