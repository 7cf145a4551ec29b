//! Diagnostics: what a stage noticed but could not (or would not) read.

use crate::base::text::ByteSpan;

/// The stable, machine-readable code of a diagnostic. The README's diagnostics table lists
/// every one (a test checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// `empty-document`: nothing but whitespace and page chrome.
    EmptyDocument,
    /// `no-headings`: no numbered headings; the body is kept as unclassified text.
    NoHeadings,
    /// `annex-not-read`: an annex kept as unclassified text.
    AnnexNotRead,
    /// `malformed-bytes`: byte sequences that could not be decoded were replaced.
    MalformedBytes,
    /// `ordinal-start`: the first heading does not start at 1.
    OrdinalStart,
    /// `ordinal-gap`: a heading skips a number.
    OrdinalGap,
    /// `ordinal-restart`: a heading restarts at 1 where the next number was expected.
    OrdinalRestart,
    /// `marker-out-of-sequence`: a line starts like a heading but does not continue the numbering.
    MarkerOutOfSequence,
    /// `marker-without-title`: a heading marker with nothing after it.
    MarkerWithoutTitle,
    /// `missing-attribution`: a task without sub-headings has no department while its siblings all have one.
    MissingAttribution,
    /// `similar-department-names`: two department names differ by one character.
    SimilarDepartmentNames,
    /// `unclosed-attribution`: an attribution bracket never closes.
    UnclosedAttribution,
    /// `unknown-attribution-label`: a label inside an attribution names bodies but no role.
    UnknownAttributionLabel,
    /// `role-word-in-name`: a role word was left at the end of a name and cut off.
    RoleWordInName,
    /// `indicator-table-not-read`: an indicator table that could not be read row by row.
    IndicatorTableNotRead,
    /// `lines-rejoined`: line breaks a wrap or a lone marker made were removed.
    LinesRejoined,
    /// `headings-split`: headings inside long lines were put on lines of their own.
    HeadingsSplit,
    /// `box-not-headings`: a box's numbered lines are read as text of the task it stands in.
    BoxNotHeadings,
    /// `contents-skipped`: headings listed before the body (a contents page) are read as text.
    ContentsSkipped,
    /// `notice-items`: a wrapper notice's own numbered items are read as tasks `n1`, `n2`, …
    /// beside the attached document's.
    NoticeItems,
    /// `rules-failed`: the target rules did not compile; no targets were read.
    RulesFailed,
}

impl Code {
    /// Every code.
    pub const ALL: [Code; 21] = [
        Code::EmptyDocument,
        Code::NoHeadings,
        Code::AnnexNotRead,
        Code::MalformedBytes,
        Code::OrdinalStart,
        Code::OrdinalGap,
        Code::OrdinalRestart,
        Code::MarkerOutOfSequence,
        Code::MarkerWithoutTitle,
        Code::MissingAttribution,
        Code::SimilarDepartmentNames,
        Code::UnclosedAttribution,
        Code::UnknownAttributionLabel,
        Code::RoleWordInName,
        Code::IndicatorTableNotRead,
        Code::LinesRejoined,
        Code::HeadingsSplit,
        Code::BoxNotHeadings,
        Code::ContentsSkipped,
        Code::NoticeItems,
        Code::RulesFailed,
    ];

    /// The code as written in the output (`no-headings`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::EmptyDocument => "empty-document",
            Code::NoHeadings => "no-headings",
            Code::AnnexNotRead => "annex-not-read",
            Code::MalformedBytes => "malformed-bytes",
            Code::OrdinalStart => "ordinal-start",
            Code::OrdinalGap => "ordinal-gap",
            Code::OrdinalRestart => "ordinal-restart",
            Code::MarkerOutOfSequence => "marker-out-of-sequence",
            Code::MarkerWithoutTitle => "marker-without-title",
            Code::MissingAttribution => "missing-attribution",
            Code::SimilarDepartmentNames => "similar-department-names",
            Code::UnclosedAttribution => "unclosed-attribution",
            Code::UnknownAttributionLabel => "unknown-attribution-label",
            Code::RoleWordInName => "role-word-in-name",
            Code::IndicatorTableNotRead => "indicator-table-not-read",
            Code::LinesRejoined => "lines-rejoined",
            Code::HeadingsSplit => "headings-split",
            Code::BoxNotHeadings => "box-not-headings",
            Code::ContentsSkipped => "contents-skipped",
            Code::NoticeItems => "notice-items",
            Code::RulesFailed => "rules-failed",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Stable machine-readable code.
    pub code: Code,
    /// A sentence for people.
    pub message: String,
    /// Where, if anywhere in particular.
    pub span: Option<ByteSpan>,
}

impl Diag {
    /// A warning.
    pub fn warning(code: Code, message: String, span: Option<ByteSpan>) -> Self {
        Diag {
            level: Level::Warning,
            code,
            message,
            span,
        }
    }

    /// An error.
    pub fn error(code: Code, message: String, span: Option<ByteSpan>) -> Self {
        Diag {
            level: Level::Error,
            code,
            message,
            span,
        }
    }
}
