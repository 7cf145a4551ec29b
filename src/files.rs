//! Documents from files, and results to files: what every command does the same way.
//!
//! Reading goes through the read stage for every command ([`read_document`]): a file of any
//! format zhengce reads gives its text; what is not such a document is refused with a
//! [`ReadError`] that says why in one line. A document is never returned read with rules that
//! failed to compile. Writing is atomic: an interrupted run never leaves half a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::Parser;
use crate::base::rule_file::RulesError;
use crate::model::Document;
use crate::stages::read::{self, Decoded};

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Missing.
    #[error("cannot read {0}: no such file")]
    NotFound(String),
    /// A directory.
    #[error("{0}: is a directory, not a document")]
    Directory(String),
    /// Other I/O trouble.
    #[error("cannot read {0}: {1}")]
    Io(String, String),
    /// Not a document zhengce reads (`--force` reads it as text).
    #[error("{0}: {1} (use --force to parse it anyway)")]
    NotText(String, String),
    /// A document zhengce does not read (OFD, a spreadsheet), or could not read: a scanned PDF,
    /// a damaged file, an encrypted one.
    #[error("{0}: {1}")]
    Unreadable(String, String),
    /// The rules it would be read with did not compile.
    #[error("{0}")]
    Rules(#[from] RulesError),
}

/// Why a result could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write {path}: {reason}")]
pub struct WriteError {
    /// The file.
    pub path: String,
    /// Why not.
    pub reason: String,
}

/// The reason of an I/O error in a few words.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The bytes of the file at `path`.
///
/// # Errors
/// The file is missing, a directory, or unreadable.
pub fn read(path: &Path) -> Result<Vec<u8>, ReadError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(ReadError::Directory(shown));
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound(shown),
        _ => ReadError::Io(shown, io_reason(&e)),
    })
}

/// Reads and parses the file at `path` exactly as `zhengce parse` does; `force` reads as text
/// what is no document zhengce reads.
///
/// # Errors
/// The file is missing, a directory or unreadable; not a document zhengce reads, or one it
/// could not read; or the parser's rules did not compile.
pub fn parse_path(parser: &Parser, path: &Path, force: bool) -> Result<Document, ReadError> {
    let bytes = read(path)?;
    parse_bytes(parser, &bytes, Some(&path.display().to_string()), force)
}

/// Reads the document in `bytes`, whatever its format (the read stage, with the parser's
/// rules and PDF runner): its text, as every span of its output indexes it.
///
/// # Errors
/// Not a document zhengce reads (unless `force`), or one it could not read.
pub fn read_document(
    parser: &Parser,
    bytes: &[u8],
    path: Option<&str>,
    force: bool,
) -> Result<Decoded, ReadError> {
    let opts = read::Options {
        force,
        pdf: parser.pdf_runner().clone(),
    };
    read::read(bytes, &parser.rules().html, &opts).map_err(|f| {
        let shown = path.unwrap_or("<stdin>").to_string();
        if matches!(f, read::Failure::NotText(_)) {
            ReadError::NotText(shown, f.to_string())
        } else {
            ReadError::Unreadable(shown, f.to_string())
        }
    })
}

/// Reads and parses a document of any format zhengce reads, refusing what is not one unless
/// `force`.
///
/// # Errors
/// As [`read_document`], or the parser's rules did not compile.
pub fn parse_bytes(
    parser: &Parser,
    bytes: &[u8],
    path: Option<&str>,
    force: bool,
) -> Result<Document, ReadError> {
    let decoded = read_document(parser, bytes, path, force)?;
    parse_decoded(parser, decoded, path)
}

/// [`parse_bytes`] for a document already read.
///
/// # Errors
/// The parser's rules did not compile.
pub fn parse_decoded(
    parser: &Parser,
    decoded: Decoded,
    path: Option<&str>,
) -> Result<Document, ReadError> {
    let doc = crate::emit::document(parser.analyze(decoded), path);
    parser.finish()?;
    Ok(doc)
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so that an
/// interrupted run never leaves half a file.
///
/// # Errors
/// The folder is missing, `path` is a folder, or the file cannot be written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |reason: String| WriteError {
        path: path.display().to_string(),
        reason,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!("folder {} does not exist", dir.display())));
    }
    if path.is_dir() {
        return Err(fail("it is a directory".to_string()));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(io_reason(&e)));
    }
    Ok(())
}
