//! zhengce (政策): Chinese government policy documents to a structured task ledger.
//!
//! The layout shows which way imports go; nothing imports a folder below it in this list:
//! - [`base`]: text with spans, lines, numbers, rule patterns, diagnostics, rule-file plumbing.
//! - [`stages`], in pipeline order: [`read`](stages::read) a document of any format → text;
//!   [`chrome`](stages::chrome) page chrome; [`meta`](stages::meta) the notice wrapper, its
//!   metadata and the kind of every line; [`outline`](stages::outline) the heading tree;
//!   [`departments`](stages::departments) attributions and the department index;
//!   [`targets`](stages::targets) quantified targets. Each owns its rule file.
//! - [`rules`] gathers the stages' rules; [`pipeline`] runs the stages in order.
//! - [`emit`] turns the analysis into the versioned JSON contract of [`model`].
//! - [`compare`] (diff, score, gold files), [`batch`] and [`ledger`] (the task ledger as XLSX
//!   or CSV) work on documents; [`view`] makes the review page of a document and the page of
//!   a diff.
//!
//! Every stage returns its output plus diagnostics; parsing never fails.
//!
//! ```
//! let parser = zhengce::Parser::new(zhengce::rules::Rules::embedded().unwrap());
//! let doc = parser.parse_bytes("一、总体要求\n(一)指导思想\n".as_bytes(), None);
//! assert_eq!(doc.tasks[0].children[0].id, "1.1");
//! ```

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod base;
pub mod batch;
pub mod compare;
pub mod emit;
pub mod files;
pub mod invariants;
pub mod ledger;
pub mod model;
pub mod pipeline;
pub mod rules;
pub mod stages;
pub mod view;

use std::sync::Arc;

pub use crate::pipeline::Analysis;

use crate::base::rule_file::RulesError;
use crate::model::Document;
use crate::rules::{LoadOptions, Rules};
use crate::stages::read::{Decoded, PdfRunner};

/// Parses documents with one set of compiled rules; cheap to clone and share across threads.
#[derive(Debug, Clone)]
pub struct Parser {
    rules: Arc<Rules>,
    pdf: PdfRunner,
}

impl Parser {
    /// A parser with the given rules, which reads PDFs in this process.
    pub fn new(rules: Arc<Rules>) -> Self {
        Parser {
            rules,
            pdf: PdfRunner::default(),
        }
    }

    /// The same parser, reading PDFs where `runner` says: the command line runs the PDF
    /// library in a child process of its own, so that a hostile PDF cannot stop a run.
    pub fn with_pdf_runner(mut self, runner: PdfRunner) -> Self {
        self.pdf = runner;
        self
    }

    /// Where PDFs are read.
    pub fn pdf_runner(&self) -> &PdfRunner {
        &self.pdf
    }

    /// A parser with the rules `opts` names ([`Rules::load`]). With the embedded rules it
    /// returns before the target rules have compiled; the first parse waits for them.
    ///
    /// # Errors
    /// As [`Rules::load`].
    pub fn load(opts: &LoadOptions) -> Result<Self, RulesError> {
        Rules::load(opts).map(Parser::new)
    }

    /// Waits until every rule has compiled.
    ///
    /// # Errors
    /// The rules that did not compile: what was parsed with them lacks their readings (its
    /// diagnostics say so). [`files::parse_bytes`] and the other fallible entry points check
    /// this, so that no command hands on such a document.
    pub fn finish(&self) -> Result<(), RulesError> {
        self.rules.wait()
    }

    /// The rules in use.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Parses the raw bytes of a text document in any supported encoding. Never fails: what
    /// cannot be read is reported in the document's diagnostics. Documents of other formats
    /// are read by [`files::parse_bytes`].
    pub fn parse_bytes(&self, bytes: &[u8], path: Option<&str>) -> Document {
        let decoded = stages::read::text::decode(bytes);
        emit::document(self.analyze(decoded), path)
    }

    /// The text a parse of `bytes` reads and its spans index: decoded, with its line structure
    /// repaired where it was lost or broken (what `zhengce text` prints).
    pub fn text(&self, bytes: &[u8]) -> String {
        self.text_of(stages::read::text::decode(bytes))
    }

    /// The text a parse of a read document reads and its spans index (what `zhengce text`
    /// prints for it).
    pub fn text_of(&self, decoded: Decoded) -> String {
        stages::outline::reflow::reflow(decoded.text, decoded.tables, &self.rules.markers).0
    }

    /// Parses text that is already decoded (as UTF-8).
    pub fn parse_str(&self, s: &str, path: Option<&str>) -> Document {
        self.parse_bytes(s.as_bytes(), path)
    }

    /// Runs every stage after reading.
    pub fn analyze(&self, decoded: Decoded) -> Analysis {
        pipeline::analyze(&self.rules, decoded)
    }
}

/// The decoded text of every seed and corpus document, with its path: the fixtures that the
/// unit tests check properties on.
#[cfg(test)]
#[allow(clippy::expect_used)]
pub(crate) fn fixture_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["seeds", "tests/corpus"] {
        let dir = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("fixture");
            out.push((
                path.display().to_string(),
                stages::read::text::decode(&bytes).text,
            ));
        }
    }
    out
}
