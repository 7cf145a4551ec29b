//! Diagnostics: what a stage noticed but could not (or would not) read.

use crate::base::text::ByteSpan;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The output is complete but something deserves a look.
    Warning,
    /// Part of the document could not be read.
    Error,
}

/// A finding of some stage, with the normalised byte span it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// Severity.
    pub level: Level,
    /// Stable machine-readable code (`no-headings`, `ordinal-gap`, …).
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// Where, if anywhere in particular.
    pub span: Option<ByteSpan>,
}

impl Diag {
    /// A warning.
    pub fn warning(code: &'static str, message: String, span: Option<ByteSpan>) -> Self {
        Diag {
            level: Level::Warning,
            code,
            message,
            span,
        }
    }

    /// An error.
    pub fn error(code: &'static str, message: String, span: Option<ByteSpan>) -> Self {
        Diag {
            level: Level::Error,
            code,
            message,
            span,
        }
    }
}
