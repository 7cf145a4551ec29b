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
        ("008.pdf", "tests/corpus/008_songjiang-urban-renewal-2025-annual-plan.txt"),
        ("001.pdf", "tests/corpus/001_huangpu-renewable-energy-action-plan.txt"),
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
        let read = files::read_document(&parser, &bytes, None, false).unwrap().text;
        assert!(!read.contains("某某区人民政府文件") && !read.contains("— 1 —"), "{pdf}");
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
