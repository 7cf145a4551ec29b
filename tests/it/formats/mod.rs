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
