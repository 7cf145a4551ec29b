//! Checking an extraction by eye: one self-contained HTML page that shows a document as
//! zhengce read it, and the same style for a diff report.
//!
//! Input: a source document (parsed with the given rules) or zhengce JSON with its text (the
//! source given or found beside it, else the text rebuilt from the JSON); a diff report.
//! Output: an HTML page with no network access, no external script, style or font.
//!
//! The page is built here with every span already applied, indexing characters as the
//! contract does; the page's script only navigates, filters and shows details.

mod changes;
mod html;
mod marks;
mod review;

use std::path::{Path, PathBuf};

use crate::Parser;
use crate::compare::diff::{LoadError, SideKind, from_json};
use crate::files::ReadError;
use crate::model::{Document, Task};

pub use changes::diff_page;
pub use html::escape;
pub use marks::PageText;
pub use review::page;

/// Why a page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// The document or its source could not be read.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// JSON that is not zhengce output of this version.
    #[error("{0}")]
    Load(#[from] LoadError),
    /// A gold file or a trimmed JSON file: no spans to place its readings by.
    #[error(
        "{0}: it records no spans (a gold file, or JSON trimmed by hand), so the page cannot place its readings; run `zhengce view` on the source document"
    )]
    NoSpans(String),
    /// `--source` is not the document the JSON was read from.
    #[error(
        "{given}: not the document {json} was read from (its SHA-256 differs from the JSON's `source.sha256`), so the spans would point at the wrong text; give the right source, or leave the source out to see the text rebuilt from the JSON"
    )]
    WrongSource {
        /// The JSON file.
        json: String,
        /// The source given.
        given: String,
    },
    /// A source was given for a file that is itself a source document.
    #[error("{0} is a source document: a source is only given with a JSON file")]
    SourceForSource(String),
}

/// Where the page's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The document given was the source, parsed here.
    Parsed,
    /// The source was given beside the JSON.
    Given(String),
    /// The source was found at the JSON's `source.path`, with the same SHA-256.
    Found(String),
    /// No source: the text rebuilt from the JSON's task texts and preamble.
    Rebuilt,
}

/// A document with the text its spans index.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The reading.
    pub doc: Document,
    /// The text the page shows.
    pub text: PageText,
    /// Where the text came from.
    pub origin: Origin,
}

/// Reads what `zhengce view` is given: a source document (parsed with `parser`; `force`
/// parses what does not look like text), or zhengce JSON with its text. For JSON the text is
/// the `source` given, else the file at the JSON's `source.path` (as written, or beside the
/// JSON) when its SHA-256 matches, else rebuilt from the task texts.
///
/// # Errors
/// An unreadable or binary document, JSON of another schema, a gold or trimmed file without
/// spans, a `source` that is not the JSON's document, or a `source` given with a source
/// document.
pub fn load(
    bytes: &[u8],
    path: &str,
    source: Option<&Path>,
    parser: &Parser,
    force: bool,
) -> Result<Reading, ViewError> {
    let looks_json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
        == Some(&b'{');
    if !looks_json {
        if source.is_some() {
            return Err(ViewError::SourceForSource(path.to_string()));
        }
        let (doc, text) = crate::files::parse_with_text(parser, bytes, Some(path), force)?;
        return Ok(Reading {
            doc,
            text: PageText::full(&text),
            origin: Origin::Parsed,
        });
    }
    let text = crate::files::decode_text(bytes);
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| LoadError::Json {
        path: path.to_string(),
        reason: format!("not valid JSON: {e}"),
    })?;
    let loaded = from_json(value, path)?;
    let doc = loaded.doc;
    let has_spans = doc.source.chars > 0 || doc.all_tasks().iter().any(|t| t.span.end > 0);
    if loaded.kind == SideKind::Gold || !has_spans {
        return Err(ViewError::NoSpans(path.to_string()));
    }
    if let Some(src) = source {
        let bytes = crate::files::read(src)?;
        let (text, sha) =
            crate::files::source_text(parser, &bytes, Some(&src.display().to_string()))?;
        if !doc.source.sha256.is_empty() && sha != doc.source.sha256 {
            return Err(ViewError::WrongSource {
                json: path.to_string(),
                given: src.display().to_string(),
            });
        }
        return Ok(Reading {
            doc,
            text: PageText::full(&text),
            origin: Origin::Given(src.display().to_string()),
        });
    }
    if let Some((found, text)) = find_source(parser, &doc, path) {
        return Ok(Reading {
            doc,
            text: PageText::full(&text),
            origin: Origin::Found(found.display().to_string()),
        });
    }
    let text = rebuild(&doc);
    Ok(Reading {
        doc,
        text,
        origin: Origin::Rebuilt,
    })
}

/// The file at the JSON's `source.path`, as written or beside the JSON, when its SHA-256 is
/// the JSON's.
fn find_source(parser: &Parser, doc: &Document, json_path: &str) -> Option<(PathBuf, String)> {
    let recorded = Path::new(doc.source.path.as_deref()?);
    if doc.source.sha256.is_empty() {
        return None;
    }
    let beside = Path::new(json_path)
        .parent()
        .map(|d| d.join(recorded.file_name().unwrap_or_default()));
    [Some(recorded.to_path_buf()), beside]
        .into_iter()
        .flatten()
        .find_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let shown = p.display().to_string();
            let (text, sha) = crate::files::source_text(parser, &bytes, Some(&shown)).ok()?;
            (sha == doc.source.sha256).then_some((p, text))
        })
}

/// The text as far as the JSON holds it: each task's marker at its span's start and its own
/// text after it, and the preamble. A task's text is placed where its skipped numbers and
/// attributions read as the JSON says (a space or two may stand between marker and text).
fn rebuild(doc: &Document) -> PageText {
    let tasks = doc.all_tasks();
    let len = tasks
        .iter()
        .map(|t| t.span.end)
        .chain(doc.preamble.iter().map(|p| p.span.end))
        .max()
        .unwrap_or(0)
        .max(doc.source.chars);
    let mut text = PageText {
        chars: vec![' '; len],
        known: Some(vec![false; len]),
    };
    let put = |text: &mut PageText, at: usize, s: &str| {
        for (i, c) in s.chars().enumerate() {
            if let Some(slot) = text.chars.get_mut(at + i) {
                *slot = c;
                if let Some(k) = text.known.as_mut() {
                    k[at + i] = true;
                }
            }
        }
    };
    if let Some(p) = &doc.preamble {
        put(&mut text, p.span.start, &p.text);
    }
    for t in tasks {
        let marker_len = t.marker.chars().count();
        put(&mut text, t.span.start, &t.marker);
        let at = t.span.start + marker_len + best_gap(t);
        put(&mut text, at, &t.text);
    }
    text
}

/// How many characters stand between a task's marker and its text: the gap under which most
/// of its skipped numbers and attribution names fall where their spans say.
fn best_gap(t: &Task) -> usize {
    let chars: Vec<char> = t.text.chars().collect();
    let base = t.span.start + t.marker.chars().count();
    let at = |gap: usize, start: usize, end: usize| -> Option<String> {
        let from = start.checked_sub(base + gap)?;
        let to = end.checked_sub(base + gap)?;
        chars.get(from..to).map(|c| c.iter().collect())
    };
    (0..4)
        .max_by_key(|&gap| {
            let skipped = t
                .numbers_skipped
                .iter()
                .filter(|s| at(gap, s.span.start, s.span.end).as_deref() == Some(s.text.as_str()))
                .count();
            let names = t
                .attributions
                .iter()
                .filter(|a| {
                    at(gap, a.span.start, a.span.end)
                        .is_some_and(|s| a.names.iter().all(|n| s.contains(n.as_str())))
                })
                .count();
            // Ties go to the smaller gap.
            (skipped + names, std::cmp::Reverse(gap))
        })
        .unwrap_or(0)
}
