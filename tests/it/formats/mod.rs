//! Other formats: the same document as text, as a web page in four layouts, as a Word file
//! with numbering definitions and as a PDF gives the same tasks, attributions, deadlines and
//! targets; readers' chrome, tables and failures; the real files of `/work/shared/formats`
//! when that folder exists.

mod build;

use crate::common;

use zhengce::Parser;
use zhengce::files;
use zhengce::model::Document;
use zhengce::stages::read::pdf::{PdfChild, PdfRunner};

/// A parser that reads PDFs in a child process of the real binary, as the command line does.
fn parser() -> Parser {
    common::parser().with_pdf_runner(PdfRunner::Child(PdfChild::new(
        assert_cmd::cargo::cargo_bin("zhengce"),
    )))
}

/// What a reading must keep whatever the format: every task with its marker, title,
/// departments, deadline and targets.
fn reading(doc: &Document) -> Vec<String> {
    build::all_tasks(doc)
        .into_iter()
        .map(|t| {
            let attributions: Vec<String> = t
                .attributions
                .iter()
                .map(|a| format!("{:?}:{}", a.role, a.names.join("、")))
                .collect();
            let deadline = t
                .deadline
                .as_ref()
                .map(|d| format!("{:?} {:?} {:?}/{:?}", d.text, d.kind, d.year, d.month));
            let targets: Vec<String> = t
                .targets
                .iter()
                .map(|g| {
                    format!(
                        "{}={}{:?}{} {:?}/{:?} {:?} {:?}",
                        g.indicator, g.value, g.value_max, g.unit, g.year, g.month, g.kind, g.bound
                    )
                })
                .collect();
            format!(
                "{} {} {} | lead {:?} | participants {:?} | {:?} | deadline {:?} | targets {:?}",
                t.id, t.marker, t.title, t.lead, t.participants, attributions, deadline, targets
            )
        })
        .collect()
}

/// The first line where two readings differ.
fn first_difference(want: &[String], got: &[String]) -> Option<String> {
    if let Some(i) = (0..want.len().min(got.len())).find(|&i| want[i] != got[i]) {
        return Some(format!("text:   {}\nformat: {}", want[i], got[i]));
    }
    (want.len() != got.len())
        .then(|| format!("{} tasks as text, {} in the format", want.len(), got.len()))
}

#[test]
fn pages_and_word_files_of_every_corpus_text_read_as_the_text_does() {
    let parser = parser();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in common::fixtures() {
        let text = zhengce::stages::read::text::decode(&std::fs::read(&path).unwrap()).text;
        let doc = parser.parse_str(&text, None);
        let want = reading(&doc);
        let mut formats: Vec<(String, Vec<u8>)> = build::LAYOUTS
            .iter()
            .map(|&l| (format!("{l:?}"), build::page(l, &text, &doc)))
            .collect();
        formats.push(("docx".to_string(), build::docx(&text, &doc)));
        for (name, bytes) in formats {
            let got = files::parse_bytes(&parser, &bytes, None, false).unwrap();
            let expected_format = if name == "docx" { "docx" } else { "html" };
            assert_eq!(got.source.format, expected_format);
            if let Some(d) = first_difference(&want, &reading(&got)) {
                failures.push(format!("{} as {name}:\n{d}", common::short(&path)));
            }
            checked += 1;
        }
    }
    println!("{checked} documents in other formats compared with their texts");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn fixture(name: &str) -> std::path::PathBuf {
    common::root().join("tests/fixtures/formats").join(name)
}

#[test]
fn pdfs_made_from_corpus_texts_read_as_the_texts_do() {
    let parser = parser();
    for (pdf, txt) in [
        (
            "008.pdf",
            "tests/corpus/008_songjiang-urban-renewal-2025-annual-plan.txt",
        ),
        (
            "001.pdf",
            "tests/corpus/001_huangpu-renewable-energy-action-plan.txt",
        ),
        ("indicators.pdf", "tests/fixtures/formats/indicators.txt"),
    ] {
        let text = parser.parse_bytes(&std::fs::read(common::root().join(txt)).unwrap(), None);
        let bytes = std::fs::read(fixture(pdf)).unwrap();
        let got = files::parse_bytes(&parser, &bytes, Some(pdf), false).unwrap();
        assert_eq!(got.source.format, "pdf");
        if let Some(d) = first_difference(&reading(&text), &reading(&got)) {
            panic!("{pdf}:\n{d}");
        }
        // The running head and the page numbers are not in the text.
        let read = files::read_document(&parser, &bytes, None, false)
            .unwrap()
            .text;
        assert!(
            !read.contains("某某区人民政府文件") && !read.contains("— 1 —"),
            "{pdf}"
        );
    }
}

#[test]
fn a_table_keeps_its_rows_and_cells_in_every_format() {
    let parser = parser();
    let text = std::fs::read_to_string(fixture("indicators.txt")).unwrap();
    let doc = parser.parse_str(&text, None);
    let want = reading(&doc);
    assert!(want[0].contains("新建公共充电桩=300None个"), "{}", want[0]);
    let rows = "指标\t单位\t2022年基数\t2025年目标\t属性\n新建公共充电桩\t个\t120\t300\t预期性\n\
                建成区绿化覆盖率\t%\t38\t42\t约束性\n单位地区生产总值能耗下降\t%\t—\t13.5\t约束性";
    for (name, bytes) in [
        ("html", build::page(build::Layout::Trs, &text, &doc)),
        ("docx", build::docx(&text, &doc)),
        ("pdf", std::fs::read(fixture("indicators.pdf")).unwrap()),
    ] {
        let read = files::read_document(&parser, &bytes, None, false).unwrap();
        let tables: Vec<&str> = read.tables.iter().map(|t| &read.text[t.clone()]).collect();
        assert_eq!(tables, [rows], "{name}");
        // Later stages see the table's extent, on their (normalised) text.
        let analysis = parser.analyze(read.clone());
        let spans: Vec<&str> = analysis
            .tables
            .iter()
            .map(|t| analysis.text.as_written(t))
            .collect();
        assert_eq!(spans, [rows], "{name}");
        let got = files::parse_decoded(&parser, read, None).unwrap();
        if let Some(d) = first_difference(&want, &reading(&got)) {
            panic!("{name}:\n{d}");
        }
    }
}

/// The real files of `/work/shared/formats` (web pages, Word, WPS, PDF, a scan, OFD), when
/// that folder is there; they are not part of the repository.
fn shared_samples() -> Option<Vec<std::path::PathBuf>> {
    let dir = std::path::Path::new("/work/shared/formats");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "tsv"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn every_shared_sample_gives_json_or_one_clear_error_line() {
    let Some(files) = shared_samples() else {
        return;
    };
    assert!(files.len() >= 17, "{files:?}");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let out = common::zhengce().arg("parse").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let want_error = match &name[..3] {
            "115" => Some("a scanned PDF: 8 page(s) without a text layer; it needs OCR"),
            "116" | "117" => Some("an OFD document: zhengce does not read OFD yet"),
            _ => None,
        };
        match want_error {
            Some(why) => {
                assert_eq!(out.status.code(), Some(2), "{name}");
                assert!(out.stdout.is_empty(), "{name}");
                assert_eq!(err.lines().count(), 1, "{name}: {err}");
                assert!(err.contains(why), "{name}: {err}");
            }
            None => {
                common::assert_success(&out);
                let doc: Document = serde_json::from_slice(&out.stdout).unwrap();
                assert!(!doc.tasks.is_empty(), "{name}: no tasks");
                let format = path.extension().unwrap().to_string_lossy().to_string();
                assert_eq!(doc.source.format, format, "{name}");
                let text = common::zhengce()
                    .arg("text")
                    .arg(&path)
                    .output()
                    .unwrap()
                    .stdout;
                let text = String::from_utf8(text).unwrap();
                let bad = zhengce::invariants::invariants(&doc, &text);
                assert!(bad.is_empty(), "{name}: {bad:?}");
            }
        }
    }
}

#[test]
fn the_same_shared_document_as_word_and_as_pdf_reads_the_same() {
    let Some(files) = shared_samples() else {
        return;
    };
    let parser = parser();
    let by = |prefix: &str| {
        files
            .iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap()
    };
    for (a, b) in [("108", "112"), ("109", "111")] {
        let read = |p: &std::path::Path| reading(&files::parse_path(&parser, p, false).unwrap());
        let (left, right) = (read(by(a)), read(by(b)));
        assert!(left.len() > 30, "{a}");
        if let Some(d) = first_difference(&left, &right) {
            panic!("{a} / {b}:\n{d}");
        }
    }
}
