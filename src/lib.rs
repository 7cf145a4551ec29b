//! zhengce (政策): Chinese government policy documents to a structured task ledger.
//!
//! The pipeline, one module per stage:
//! [`decode`] bytes → text; [`segment`] text → lines; [`chrome`] page chrome; [`meta`] the
//! notice wrapper and metadata; [`outline`] the heading tree; [`emit`] the versioned JSON
//! contract of [`model`]. Every stage returns its output plus diagnostics; parsing never fails.
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
pub mod examples;
pub mod invariants;
pub mod model;
pub mod rules;
pub mod stages;

use std::sync::Arc;

use crate::base::{segment, text};
use crate::stages::{chrome, decode, departments, meta, outline, targets};

use crate::base::diag::Diag;
use crate::base::segment::Line;
use crate::base::text::Text;
use crate::model::Document;
use crate::rules::Rules;
use crate::stages::decode::{Decoded, LineEndings};
use crate::stages::meta::{Layout, MetaInfo};
use crate::stages::outline::Outline;

/// Everything the stages found, with byte spans into the normalised text.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The text in both forms.
    pub text: Text,
    /// Its lines.
    pub lines: Vec<Line>,
    /// The kind of every line.
    pub layout: Layout,
    /// Notice metadata.
    pub meta: MetaInfo,
    /// The heading tree.
    pub outline: Outline,
    /// Attributions of each outline node, by node index.
    pub attributions: Vec<Vec<departments::Found>>,
    /// Targets of each outline node, by node index.
    pub targets: Vec<targets::TaskTargets>,
    /// The department index.
    pub departments: Vec<model::Department>,
    /// Diagnostics of all stages, in order of discovery.
    pub diags: Vec<Diag>,
    /// The encoding used.
    pub encoding: &'static str,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    /// Replaced malformed sequences.
    pub replacements: usize,
    /// How lines ended in the input.
    pub line_endings: LineEndings,
    /// SHA-256 of the input bytes.
    pub sha256: String,
}

/// Parses documents with one set of compiled rules; cheap to clone and share across threads.
#[derive(Debug, Clone)]
pub struct Parser {
    rules: Arc<Rules>,
}

impl Parser {
    /// A parser with the given rules.
    pub fn new(rules: Arc<Rules>) -> Self {
        Parser { rules }
    }

    /// The rules in use.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Parses raw bytes of any supported encoding. Never fails: what cannot be read is
    /// reported in the document's diagnostics.
    pub fn parse_bytes(&self, bytes: &[u8], path: Option<&str>) -> Document {
        let decoded = decode::decode(bytes);
        emit::document(self.analyze(decoded), path)
    }

    /// Parses text that is already decoded (as UTF-8).
    pub fn parse_str(&self, s: &str, path: Option<&str>) -> Document {
        self.parse_bytes(s.as_bytes(), path)
    }

    /// Runs every stage after decoding.
    pub fn analyze(&self, decoded: Decoded) -> Analysis {
        let rules = &*self.rules;
        let mut diags = Vec::new();
        if decoded.replacements > 0 {
            diags.push(Diag::warning(
                "malformed-bytes",
                format!(
                    "{} malformed byte sequence(s) in {} were replaced by U+FFFD",
                    decoded.replacements, decoded.encoding
                ),
                None,
            ));
        }
        let text = Text::new(decoded.text);
        let lines = segment::lines(&text);
        let chrome = chrome::scan(&text, &lines, &rules.chrome);
        let cands: Vec<_> = lines
            .iter()
            .zip(&chrome)
            .map(|(l, c)| {
                if c.is_some() {
                    Vec::new()
                } else {
                    outline::candidates(&text, l, rules)
                }
            })
            .collect();
        let heading_start: Vec<bool> = cands
            .iter()
            .map(|c| {
                c.iter()
                    .any(|c| c.starts() || (rules.markers[c.family].strong && !c.weak))
            })
            .collect();
        let marked: Vec<bool> = cands.iter().map(|c| !c.is_empty()).collect();
        let (meta, layout) = meta::read(
            &text,
            &lines,
            &chrome,
            &heading_start,
            &marked,
            rules,
            &mut diags,
        );
        let in_body = |li: usize| layout.kinds[li] == meta::LineKind::Body;
        let outline = outline::build(
            &text,
            &lines,
            layout.body.clone(),
            &in_body,
            &cands,
            rules,
            &mut diags,
        );
        let mut outline = outline;
        let attributions: Vec<Vec<departments::Found>> = outline
            .nodes
            .iter()
            .map(|n| {
                departments::extract_task_with_diags(&text, &n.own, &rules.departments, &mut diags)
            })
            .collect();
        // A title ends where an attribution in its line begins.
        for (n, found) in outline.nodes.iter_mut().zip(&attributions) {
            if let Some(f) = found.iter().find(|f| n.title.contains(&f.span.start)) {
                let head = &text.norm()[n.title.start..f.span.start];
                let cut = head
                    .rfind(['(', '['])
                    .map_or(f.span.start, |i| n.title.start + i);
                n.title = text::trim_span(text.norm(), n.title.start..cut);
            }
        }
        departments::report_gaps(&outline, &attributions, &mut diags);
        let per_task: Vec<(String, &[departments::Found])> = outline
            .nodes
            .iter()
            .zip(&attributions)
            .map(|(n, a)| (n.id.clone(), a.as_slice()))
            .collect();
        let departments = departments::index(&text, &per_task, &rules.departments);
        departments::report_similar(&text, &departments, &per_task, &mut diags);
        // The document's year: a deadline before it is past, not a target.
        let year = meta
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        let doc = targets::DocContext::new(&text, rules.targets(), year);
        let targets: Vec<targets::TaskTargets> = outline
            .nodes
            .iter()
            .zip(&attributions)
            .map(|(n, a)| {
                let exclude: Vec<_> = a.iter().map(|f| f.span.clone()).collect();
                targets::extract_task_in(&text, &n.own, &exclude, rules.targets(), &doc)
            })
            .collect();
        diags.extend(targets.iter().flat_map(|t| t.diags.iter().cloned()));
        Analysis {
            text,
            lines,
            layout,
            meta,
            outline,
            attributions,
            targets,
            departments,
            diags,
            encoding: decoded.encoding,
            bom: decoded.bom,
            replacements: decoded.replacements,
            line_endings: decoded.line_endings,
            sha256: decoded.sha256,
        }
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
            out.push((path.display().to_string(), decode::decode(&bytes).text));
        }
    }
    out
}
