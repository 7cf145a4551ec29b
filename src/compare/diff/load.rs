//! One side of a diff from bytes: zhengce JSON, a gold file, or a source document.

use super::*;

use crate::stages::read::Format;

/// Why a side of a diff could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// JSON of a schema this version does not read.
    #[error("{path}: schema `{found}` is not supported (this zhengce reads {SCHEMA})")]
    Schema {
        /// The file.
        path: String,
        /// The schema it declares.
        found: String,
    },
    /// JSON that is not a zhengce document or gold file.
    #[error("{path}: {reason}")]
    Json {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The document could not be read.
    #[error("{0}")]
    Read(ReadError),
    /// Bytes that are not text.
    #[error("{path}: {reason}")]
    NotText {
        /// The file.
        path: String,
        /// Why not.
        reason: String,
    },
}

/// Reads one side of a diff, deciding by content: zhengce JSON (`"schema": "zhengce/1"`), a
/// gold file (`meta` and `headings`, no `schema`), or a source document of any format zhengce
/// reads, parsed with `parser`.
///
/// # Errors
/// JSON of another schema version, JSON that is neither kind, bytes that are not text, or
/// rules that did not compile.
pub fn load(bytes: &[u8], path: &str, parser: &Parser) -> Result<Document, LoadError> {
    load_expected(bytes, path, parser).map(|(doc, _)| doc)
}

/// [`load`] for the expected side of a score, with what it annotates: a gold file says; of
/// anything else, what [`Annotated::infer`] reads from it.
///
/// # Errors
/// As [`load`].
pub fn load_expected(
    bytes: &[u8],
    path: &str,
    parser: &Parser,
) -> Result<(Document, Annotated), LoadError> {
    let decoded =
        crate::files::read_document(parser, bytes, Some(path), false).map_err(|e| match e {
            ReadError::NotText(path, reason) => LoadError::NotText { path, reason },
            other => LoadError::Read(other),
        })?;
    if decoded.format == Format::Text && decoded.text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(&decoded.text).map_err(|e| LoadError::Json {
            path: path.to_string(),
            reason: format!("not valid JSON: {e}"),
        })?;
        return from_json(value, path);
    }
    crate::files::parse_decoded(parser, decoded, Some(path))
        .map(|doc| {
            let annotated = Annotated::infer(&doc);
            (doc, annotated)
        })
        .map_err(LoadError::Read)
}

pub(super) fn from_json(value: Value, path: &str) -> Result<(Document, Annotated), LoadError> {
    let json_err = |reason: String| LoadError::Json {
        path: path.to_string(),
        reason,
    };
    match value.get("schema") {
        Some(Value::String(s)) if s == SCHEMA => serde_json::from_value(value)
            .map(|doc: Document| {
                let annotated = Annotated::infer(&doc);
                (doc, annotated)
            })
            .map_err(|e| json_err(format!("not a valid {SCHEMA} document: {e}"))),
        Some(other) => Err(LoadError::Schema {
            path: path.to_string(),
            found: other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string),
        }),
        None if value.get("headings").is_some() && value.get("meta").is_some() => {
            let gold: crate::compare::gold::Gold = serde_json::from_value(value)
                .map_err(|e| json_err(format!("not a valid gold file: {e}")))?;
            Ok((gold.to_document(), gold.annotated()))
        }
        None => Err(json_err(
            "JSON, but neither zhengce output (no `schema`) nor a gold file".to_string(),
        )),
    }
}
