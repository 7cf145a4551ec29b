//! Stage 1: reading a document, whatever its format.
//!
//! Input: the raw bytes of a file. Output: a [`Decoded`] text with the format it was read from
//! and the byte ranges of its tables, or a [`Failure`] that says in one line why the bytes are
//! not a document zhengce reads. Every later stage sees only the text, so a span always indexes
//! the text a reader extracted (what `zhengce text` prints).
//!
//! Formats are told apart by content, never by the file's name ([`sniff`]): `%PDF-` in the
//! first KiB is a PDF; an OLE compound file with a `WordDocument` stream is a Word 97–2003
//! document (DOC, also what WPS Office writes); a ZIP archive is a DOCX when it holds
//! `word/document.xml`; bytes whose first markup is a page's opening tag are a web page; the
//! rest is text. The readers:
//!
//! - [`text`]: text files in any encoding;
//! - [`html`]: web pages: the main content and the page's header table;
//! - [`docx`]: Word (DOCX): paragraphs with their automatic numbering, tables, revisions;
//! - [`doc`]: Word 97–2003 (DOC, WPS): the main text by its piece table;
//! - [`pdf`]: PDF with a text layer: lines in reading order, page furniture left out,
//!   hard-wrapped lines joined, in a child process of its own when the caller asks.
//!
//! Each reader's text is one paragraph a line. A table is one row a line with its cells apart
//! by tabs, and its extent is in [`Decoded::tables`]. What is around the document rather than
//! in it (a page's navigation, scripts and footers; a PDF's running heads and page numbers; a
//! Word file's headers, footers and footnotes) is left out of the text.

pub mod doc;
pub mod docx;
pub mod html;
mod package;
pub mod pdf;
pub mod rules;
pub mod text;

use std::ops::Range;

pub use pdf::PdfRunner;
pub use rules::HtmlRules;
pub use text::{Decoded, LineEndings};

/// What kind of document a text was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// A text file.
    #[default]
    Text,
    /// A web page.
    Html,
    /// Word (Office Open XML).
    Docx,
    /// Word 97–2003 (also written by WPS Office).
    Doc,
    /// PDF with a text layer.
    Pdf,
}

impl Format {
    /// The name used in the JSON output (`source.format`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Pdf => "pdf",
        }
    }

    /// How a message names a document of this format.
    fn described(self) -> &'static str {
        match self {
            Format::Text => "a text document",
            Format::Html => "a web page",
            Format::Docx => "a Word document (DOCX)",
            Format::Doc => "a Word 97–2003 document (DOC)",
            Format::Pdf => "a PDF",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What some bytes are, by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A format zhengce reads.
    Readable(Format),
    /// A document or file zhengce does not read, and what to do with it.
    Other(Unsupported),
}

/// A kind of file zhengce does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported {
    /// What it is (`an OFD document`).
    pub what: &'static str,
    /// What to do instead, or empty.
    pub advice: &'static str,
}

const OFD: Unsupported = Unsupported {
    what: "an OFD document",
    advice: "zhengce does not read OFD yet: export it to PDF or DOCX, or save its text as a .txt file",
};
const OLE_OTHER: Unsupported = Unsupported {
    what: "an OLE file that is no Word document (XLS, PPT or another Office 97–2003 format)",
    advice: "",
};

/// Why bytes could not be read as a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Bytes that look like no document at all (an image, an executable, noise).
    #[error("{0}")]
    NotText(String),
    /// A kind of file zhengce does not read.
    #[error("{}", unsupported_message(.0))]
    Unsupported(Unsupported),
    /// A PDF without a text layer.
    #[error(
        "a scanned PDF: {pages} page(s) without a text layer; it needs OCR (text recognition) before zhengce can read it"
    )]
    Scanned {
        /// Its pages.
        pages: usize,
    },
    /// A document of a format zhengce reads that it could not read.
    #[error("{}: {reason}", .format.described())]
    Damaged {
        /// The format.
        format: Format,
        /// Why, in a few words.
        reason: String,
    },
}

fn unsupported_message(u: &Unsupported) -> String {
    if u.advice.is_empty() {
        format!("{}: not a document type zhengce reads", u.what)
    } else {
        format!("{}: {}", u.what, u.advice)
    }
}

impl Failure {
    fn damaged(format: Format, reason: impl Into<String>) -> Failure {
        Failure::Damaged {
            format,
            reason: reason.into(),
        }
    }

    /// Whether `--force` reads the bytes as text instead: for bytes that are no document a
    /// reader knows, not for a document a reader failed on.
    pub fn forceable(&self) -> bool {
        matches!(self, Failure::NotText(_) | Failure::Unsupported(_))
    }
}

/// How documents are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read as text what does not look like a document (`--force`).
    pub force: bool,
    /// Where PDF extraction runs.
    pub pdf: PdfRunner,
}

/// Reads a document of any supported format (see the module docs).
///
/// # Errors
/// Bytes that are no document zhengce reads (unless `opts.force`), a scanned PDF, or a
/// document its reader could not read.
pub fn read(bytes: &[u8], rules: &HtmlRules, opts: &Options) -> Result<Decoded, Failure> {
    let result = match sniff(bytes) {
        Kind::Readable(Format::Text) => {
            let decoded = text::decode(bytes);
            match text::binary_reason(bytes, &decoded) {
                Some(why) => Err(Failure::NotText(why)),
                None => Ok(decoded),
            }
        }
        Kind::Readable(Format::Html) => Ok(html::read(bytes, rules)),
        Kind::Readable(Format::Docx) => docx::read(bytes),
        Kind::Readable(Format::Doc) => doc::read(bytes),
        Kind::Readable(Format::Pdf) => pdf::read(bytes, &opts.pdf),
        Kind::Other(u) => Err(Failure::Unsupported(u)),
    };
    match result {
        Err(e) if opts.force && e.forceable() => Ok(text::decode(bytes)),
        r => r,
    }
}

/// Reads text that may be a web page: a page is read as one, anything else as text (the
/// `text` of a `--stdin-jsonl` line).
pub fn read_text(bytes: &[u8], rules: &HtmlRules) -> Decoded {
    match sniff(bytes) {
        Kind::Readable(Format::Html) => html::read(bytes, rules),
        _ => text::decode(bytes),
    }
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// What `bytes` are, by their content (see the module docs for the order).
pub fn sniff(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(1024)];
    // Readers accept junk before the header, so it need not be at the very start.
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Kind::Readable(Format::Pdf);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return match doc::has_word_stream(bytes) {
            true => Kind::Readable(Format::Doc),
            false => Kind::Other(OLE_OTHER),
        };
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes);
    }
    let (body, utf16) = strip_bom(bytes);
    if body.starts_with(b"{\\rtf") {
        return Kind::Other(Unsupported {
            what: "an RTF document",
            advice: "zhengce does not read RTF: save it as DOCX or as text",
        });
    }
    if looks_like_html(body, utf16) {
        return Kind::Readable(Format::Html);
    }
    Kind::Readable(Format::Text)
}

/// A ZIP archive by the names in its central directory (nothing is inflated).
fn zip_kind(bytes: &[u8]) -> Kind {
    let Some(names) = package::names(bytes) else {
        return Kind::Other(Unsupported {
            what: "a damaged ZIP archive",
            advice: "",
        });
    };
    let has = |n: &str| names.iter().any(|m| m == n);
    let other =
        |what: &'static str, advice: &'static str| Kind::Other(Unsupported { what, advice });
    // `[Content_Types].xml` is in every Office package: the main part tells them apart.
    if has("word/document.xml") {
        Kind::Readable(Format::Docx)
    } else if has("OFD.xml") {
        Kind::Other(OFD)
    } else if has("xl/workbook.xml") {
        other("a spreadsheet (XLSX)", "")
    } else if has("ppt/presentation.xml") {
        other("a presentation (PPTX)", "")
    } else if has("content.xml") && has("mimetype") {
        other(
            "an OpenDocument file (ODT)",
            "zhengce does not read ODT: save it as DOCX",
        )
    } else if has("[Content_Types].xml") {
        // A Word package whose main part has another name: its relationships say which.
        Kind::Readable(Format::Docx)
    } else {
        other(
            "a ZIP archive",
            "unpack it and give zhengce the documents inside",
        )
    }
}

/// The bytes after a byte-order mark, and for UTF-16 whether it is little-endian.
fn strip_bom(b: &[u8]) -> (&[u8], Option<bool>) {
    if let Some(r) = b.strip_prefix(b"\xEF\xBB\xBF") {
        (r, None)
    } else if let Some(r) = b.strip_prefix(b"\xFF\xFE") {
        (r, Some(true))
    } else if let Some(r) = b.strip_prefix(b"\xFE\xFF") {
        (r, Some(false))
    } else {
        (b, None)
    }
}

/// A web page when the first markup after whitespace, comments and an XML declaration is a
/// tag a page starts with. A text that merely holds `<p>` further on is text.
fn looks_like_html(b: &[u8], utf16: Option<bool>) -> bool {
    // UTF-16 brought down to its low bytes: enough for ASCII tag names.
    let narrow: Vec<u8>;
    let mut s = match utf16 {
        Some(le) => {
            narrow = b[..b.len().min(8192)]
                .chunks_exact(2)
                .map(|c| {
                    let (lo, hi) = if le { (c[0], c[1]) } else { (c[1], c[0]) };
                    if hi == 0 { lo } else { 0xFF }
                })
                .collect();
            &narrow[..]
        }
        None => &b[..b.len().min(4096)],
    };
    loop {
        s = s.trim_ascii_start();
        let (open, close): (&[u8], &[u8]) = if s.starts_with(b"<!--") {
            (b"<!--", b"-->")
        } else if s.starts_with(b"<?xml") {
            (b"<?xml", b"?>")
        } else {
            break;
        };
        match memchr::memmem::find(&s[open.len()..], close) {
            Some(i) => s = &s[open.len() + i + close.len()..],
            None => return false,
        }
    }
    let Some(rest) = s.strip_prefix(b"<") else {
        return false;
    };
    let name: Vec<u8> = rest.iter().take(16).map(u8::to_ascii_lowercase).collect();
    if name.starts_with(b"!doctype") {
        return name[8..].trim_ascii_start().starts_with(b"html");
    }
    const TAGS: [&[u8]; 11] = [
        b"html", b"head", b"body", b"meta", b"title", b"div", b"p", b"table", b"script", b"link",
        b"style",
    ];
    TAGS.iter().any(|t| {
        name.starts_with(t)
            && name
                .get(t.len())
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
    })
}

/// A reader's text as it is built: one paragraph a line, tables as rows of tab-separated
/// cells whose byte ranges are kept.
#[derive(Debug, Default)]
struct TextBuilder {
    text: String,
    tables: Vec<Range<usize>>,
    /// Where the open table's first row starts.
    table: Option<usize>,
}

impl TextBuilder {
    /// Adds a paragraph: each of its lines on a line of its own, without control characters
    /// (a tab is a space outside tables) or trailing spaces.
    fn line(&mut self, s: &str) {
        self.end_table();
        for part in s.split('\n') {
            push_clean(&mut self.text, part);
            trim_end_spaces(&mut self.text);
            self.text.push('\n');
        }
    }

    /// Adds an empty line, unless the text is empty or already ends with one.
    fn blank(&mut self) {
        self.end_table();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    /// Adds a table row; the first opens a table. Empty cells at its end are dropped; a row of
    /// nothing but empty cells is no row.
    fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let last = cells.iter().rposition(|c| !c.as_ref().trim().is_empty());
        let Some(last) = last else { return };
        let start = self.text.len();
        self.table.get_or_insert(start);
        for (i, cell) in cells[..=last].iter().enumerate() {
            if i > 0 {
                self.text.push('\t');
            }
            let at = self.text.len();
            push_clean(&mut self.text, cell.as_ref().trim());
            // A cell's own spaces at its ends are not kept.
            let kept = self.text[at..].trim_end().len();
            self.text.truncate(at + kept);
        }
        self.text.push('\n');
    }

    /// Closes the open table, if any.
    fn end_table(&mut self) {
        if let Some(start) = self.table.take() {
            let end = self.text.len().saturating_sub(1).max(start);
            self.tables.push(start..end);
        }
    }

    fn finish(mut self) -> (String, Vec<Range<usize>>) {
        self.end_table();
        (self.text, self.tables)
    }
}

/// Appends `s` without control characters: a tab, a line break and the other C0 and C1
/// controls become a space, as does a line or paragraph separator.
fn push_clean(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') {
            if c != '\u{FEFF}' {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn trim_end_spaces(s: &mut String) {
    let kept = s.trim_end_matches([' ', '\t']).len();
    s.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content() {
        let readable = |b: &[u8]| match sniff(b) {
            Kind::Readable(f) => Some(f),
            Kind::Other(_) => None,
        };
        assert_eq!(readable(b"%PDF-1.7\n"), Some(Format::Pdf));
        assert_eq!(readable(b"junk\r\n%PDF-1.4"), Some(Format::Pdf));
        assert_eq!(readable(b"<!DOCTYPE html><html>"), Some(Format::Html));
        assert_eq!(
            readable(b"\xEF\xBB\xBF  <!-- saved -->\n<html lang=zh>"),
            Some(Format::Html)
        );
        assert_eq!(readable(b"<?xml version='1.0'?><html>"), Some(Format::Html));
        assert_eq!(readable(b"<div class=x>"), Some(Format::Html));
        let utf16: Vec<u8> = "\u{FEFF}<html><body>一</body></html>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(readable(&utf16), Some(Format::Html));
        // Text that holds markup further on, or a tag that is no page's opening, is text.
        assert_eq!(readable("一、总体要求\n<p>".as_bytes()), Some(Format::Text));
        assert_eq!(readable(b"<pre>"), Some(Format::Text));
        assert_eq!(readable(b"<!DOCTYPE note>"), Some(Format::Text));
        assert_eq!(readable(b""), Some(Format::Text));
        assert!(matches!(sniff(b"{\\rtf1\\ansi"), Kind::Other(_)));
        assert!(matches!(sniff(OLE_MAGIC), Kind::Other(_)));
        assert!(matches!(sniff(b"PK\x03\x04 broken"), Kind::Other(_)));
    }

    #[test]
    fn the_builder_keeps_tables_apart_and_marks_them() {
        let mut b = TextBuilder::default();
        b.line("标题\t一");
        b.row(&["序号", "任务\t内容", "", ""]);
        b.row(&["", "", ""]);
        b.row(&["1", " 加强 ", "市发展改革委"]);
        b.line("正文\u{7}结束");
        let (text, tables) = b.finish();
        assert_eq!(
            text,
            "标题 一\n序号\t任务 内容\n1\t加强\t市发展改革委\n正文 结束\n"
        );
        assert_eq!(tables.len(), 1);
        assert_eq!(
            &text[tables[0].clone()],
            "序号\t任务 内容\n1\t加强\t市发展改革委"
        );
    }
}
