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

/// [`parse_bytes`], with the text that the document's spans index.
///
/// # Errors
/// As [`parse_bytes`].
pub fn parse_with_text(
    parser: &Parser,
    bytes: &[u8],
    path: Option<&str>,
    force: bool,
) -> Result<(Document, String), ReadError> {
    let decoded = read_document(parser, bytes, path, force)?;
    let analysis = parser.analyze(decoded);
    let text = analysis.text.original().to_string();
    let doc = crate::emit::document(analysis, path);
    parser.finish()?;
    Ok((doc, text))
}

/// The text that a parse of a document's `bytes` reads and its spans index, and the SHA-256 of
/// the bytes, as `source.sha256` gives it.
///
/// # Errors
/// As [`read_document`] (with `force`: a file that is no document is read as text).
pub fn source_text(
    parser: &Parser,
    bytes: &[u8],
    path: Option<&str>,
) -> Result<(String, String), ReadError> {
    let decoded = read_document(parser, bytes, path, true)?;
    let sha = decoded.sha256.clone();
    Ok((parser.text_of(decoded), sha))
}

/// `bytes` decoded as text in whatever encoding they are in (a JSON file, say).
pub fn decode_text(bytes: &[u8]) -> String {
    crate::stages::read::text::decode(bytes).text
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
    let mut staged = Staged::create(path)?;
    staged.write_all(bytes).map_err(|e| staged.error(&e))?;
    staged.commit()
}

/// A file being written beside its final path: [`Staged::commit`] renames it into place, and
/// dropping it uncommitted removes it, so that an interrupted or failed run never leaves half
/// a file. For output too large to hold in memory; [`write_atomically`] for the rest.
#[derive(Debug)]
pub struct Staged {
    path: PathBuf,
    /// The temporary file, or `None` when the path is written in place (a device or a pipe).
    tmp: Option<PathBuf>,
    file: Option<std::fs::File>,
}

impl Staged {
    /// Opens a temporary file beside `path`; or, where `path` is a device or a pipe
    /// (`/dev/null`, `/dev/stdout`), `path` itself: a rename would put a file in its place.
    ///
    /// # Errors
    /// The folder is missing, `path` is a folder, or the temporary file cannot be created.
    pub fn create(path: &Path) -> Result<Staged, WriteError> {
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
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| fail(io_reason(&e)))?;
            return Ok(Staged {
                path: path.to_path_buf(),
                tmp: None,
                file: Some(file),
            });
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".to_string());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| fail(io_reason(&e)))?;
        Ok(Staged {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            file: Some(file),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error of writing to this file.
    pub fn error(&self, e: &std::io::Error) -> WriteError {
        WriteError {
            path: self.path.display().to_string(),
            reason: io_reason(e),
        }
    }

    /// Flushes the file to disk and renames it over the final path.
    ///
    /// # Errors
    /// The file cannot be synced or renamed (it is then removed).
    pub fn commit(mut self) -> Result<(), WriteError> {
        let Some(mut file) = self.file.take() else {
            return Ok(());
        };
        let Some(tmp) = self.tmp.clone() else {
            // Written in place: a device or a pipe has nothing to sync or rename.
            return std::io::Write::flush(&mut file).map_err(|e| self.error(&e));
        };
        // Closed before the rename: some systems refuse to rename an open file.
        let result = file.sync_all().and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, &self.path)
        });
        result.map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            self.error(&e)
        })
    }

    fn open(&mut self) -> std::io::Result<&mut std::fs::File> {
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the file is already committed"))
    }
}

impl std::io::Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.open()?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.open()?.flush()
    }
}

impl std::io::Seek for Staged {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.open()?.seek(pos)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Uncommitted (an error, or a panic unwinding): leave no half file behind.
        if self.file.take().is_some() {
            if let Some(tmp) = &self.tmp {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

/// What a parse found, for a line on a terminal: `84 tasks, 101 attributions, 64 targets,
/// 7 warnings`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Found {
    /// Tasks at every level.
    pub tasks: usize,
    /// Attributions of all tasks.
    pub attributions: usize,
    /// Targets of all tasks.
    pub targets: usize,
    /// Diagnostics of level warning.
    pub warnings: usize,
    /// Diagnostics of level error.
    pub errors: usize,
    /// Whether the document has text other than whitespace and page chrome.
    pub has_text: bool,
}

impl Found {
    /// Counts what `doc` holds.
    pub fn of(doc: &Document) -> Found {
        let tasks = doc.all_tasks();
        let level =
            |l: crate::model::Level| doc.diagnostics.iter().filter(|d| d.level == l).count();
        Found {
            tasks: tasks.len(),
            attributions: tasks.iter().map(|t| t.attributions.len()).sum(),
            targets: tasks.iter().map(|t| t.targets.len()).sum(),
            warnings: level(crate::model::Level::Warning),
            errors: level(crate::model::Level::Error),
            has_text: !doc
                .diagnostics
                .iter()
                .any(|d| d.code == crate::base::diag::Code::EmptyDocument.as_str()),
        }
    }

    /// A document with text in which no task was found: worth a warning even off a terminal.
    pub fn text_without_tasks(&self) -> bool {
        self.has_text && self.tasks == 0
    }
}

/// `1 task`, `2 tasks`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = vec![
            count(self.tasks, "task", "tasks"),
            count(self.attributions, "attribution", "attributions"),
            count(self.targets, "target", "targets"),
            count(self.warnings, "warning", "warnings"),
        ];
        if self.errors > 0 {
            parts.push(count(self.errors, "error", "errors"));
        }
        f.write_str(&parts.join(", "))
    }
}
