//! Many documents at once: files and folders ([`run_files`]) or a stream of JSON lines
//! ([`stream::run`]).
//!
//! [`ordered()`] runs the parses on several threads and hands the results on in input order,
//! with a bounded number of items in flight — so memory stays flat however long the stream,
//! and the output is the same whatever the thread count. Each document's JSON is what `parse`
//! gives. An input that cannot be read becomes an error record, and the run goes on.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use crate::Parser;
use crate::base::rule_file::RulesError;
use crate::files::{self, io_reason};
use crate::model::Document;

pub mod ordered;
pub mod stream;

pub use ordered::ordered;

/// How a batch runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Worker threads (at least one).
    pub threads: usize,
    /// One line of JSON per file written under an output folder, instead of indented JSON.
    pub compact: bool,
    /// Read as text even what is no document zhengce reads.
    pub force: bool,
}

/// Why a batch stopped before its end (a bad input does not stop it).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The output folder cannot be made.
    #[error("cannot create {0}: {1}")]
    OutputFolder(String, String),
    /// The output cannot be written.
    #[error("cannot write to standard output: {0}")]
    Write(std::io::Error),
    /// Standard input cannot be read.
    #[error("cannot read standard input: {0}")]
    Read(std::io::Error),
    /// The rules did not compile.
    #[error("{0}")]
    Rules(#[from] RulesError),
}

/// One input of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path to read (as it will be reported).
    pub path: PathBuf,
    /// Where its output goes under an output folder, without extension (`sub/notice`).
    pub rel: PathBuf,
    /// Why it cannot be read, found while listing inputs.
    pub error: Option<String>,
}

/// A glob for file names, such as `*.txt`.
///
/// # Errors
/// An invalid pattern.
pub fn matcher(glob: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(Glob::new(glob)?.compile_matcher())
}

/// Which files of a folder a batch reads.
#[derive(Debug, Clone)]
pub enum Filter {
    /// Every document type zhengce reads, by extension ([`DOCUMENT_EXTENSIONS`]).
    Documents,
    /// The files whose name matches a glob.
    Glob(GlobMatcher),
}

/// The extensions of the document types zhengce reads (any case): text, web pages, Word,
/// WPS and PDF. Which reader reads a file is still told by its content.
pub const DOCUMENT_EXTENSIONS: &[&str] = &[
    "txt", "text", "htm", "html", "shtml", "xhtml", "docx", "doc", "wps", "pdf",
];

impl Filter {
    fn reads(&self, name: &std::ffi::OsStr) -> bool {
        match self {
            Filter::Glob(g) => g.is_match(name),
            Filter::Documents => Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| {
                    DOCUMENT_EXTENSIONS
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(e))
                }),
        }
    }
}

/// The inputs of a batch, and the files of its folders it does not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// What to read, in order.
    pub inputs: Vec<Input>,
    /// Files of the folders that are no document type zhengce reads (with
    /// [`Filter::Documents`]; a glob's choice is the user's).
    pub skipped: Vec<PathBuf>,
}

/// The note on the files a batch skipped: how many, and the first few.
pub fn skipped_note(skipped: &[PathBuf]) -> String {
    let shown: Vec<String> = skipped
        .iter()
        .take(3)
        .map(|p| p.display().to_string())
        .collect();
    let more = if skipped.len() > 3 { ", …" } else { "" };
    format!(
        "{} file{} skipped: not a document type zhengce reads ({}{more})",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" },
        shown.join(", ")
    )
}

/// Lists the inputs: files as given (a missing one is reported when read), directories
/// recursively (the files `filter` reads, and links to them, in name order).
pub fn discover(inputs: &[PathBuf], filter: &Filter) -> Listing {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in inputs {
        if p.is_dir() {
            for entry in walkdir::WalkDir::new(p).sort_by_file_name() {
                match entry {
                    Ok(e) if listed_file(&e) && filter.reads(e.file_name()) => {
                        let rel = e
                            .path()
                            .strip_prefix(p)
                            .unwrap_or(e.path())
                            .with_extension("");
                        out.push(Input {
                            path: e.path().to_path_buf(),
                            rel,
                            error: None,
                        });
                    }
                    Ok(e) if listed_file(&e) && matches!(filter, Filter::Documents) => {
                        skipped.push(e.path().to_path_buf());
                    }
                    Ok(_) => {}
                    Err(err) => out.push(Input {
                        path: err.path().map_or_else(|| p.clone(), Path::to_path_buf),
                        rel: PathBuf::new(),
                        error: Some(format!("cannot list: {err}")),
                    }),
                }
            }
        } else {
            // A missing file is reported when it is read, in its place.
            out.push(Input {
                path: p.clone(),
                rel: PathBuf::from(p.file_stem().unwrap_or(p.as_os_str())),
                error: None,
            });
        }
    }
    Listing {
        inputs: out,
        skipped,
    }
}

/// Whether a folder entry is read as a document: a file, or a link to one. A link that leads
/// nowhere is listed too, so that it is reported rather than skipped; links to folders are not
/// followed.
fn listed_file(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_file()
        || e.path_is_symlink() && std::fs::metadata(e.path()).map_or(true, |m| m.is_file())
}

/// Marks the inputs whose output under an output folder another input already takes: the
/// later one is an error.
pub fn assign_outputs(inputs: &mut [Input]) {
    let mut seen = BTreeSet::new();
    for input in inputs {
        if input.error.is_none() && !seen.insert(input.rel.clone()) {
            input.error = Some(format!(
                "its output {}.json would overwrite another input's",
                input.rel.display()
            ));
        }
    }
}

/// What a batch counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Documents parsed.
    pub documents: usize,
    /// Tasks in them.
    pub tasks: usize,
    /// Attributions in them.
    pub attributions: usize,
    /// Targets in them.
    pub targets: usize,
    /// Diagnostics in them.
    pub diagnostics: usize,
    /// Inputs that failed.
    pub errors: usize,
    /// Bytes of the documents parsed.
    pub bytes: u64,
}

impl Totals {
    /// Adds one parsed document.
    pub fn add(&mut self, doc: &Document) {
        self.documents += 1;
        let tasks = doc.all_tasks();
        self.tasks += tasks.len();
        self.attributions += tasks.iter().map(|t| t.attributions.len()).sum::<usize>();
        self.targets += tasks.iter().map(|t| t.targets.len()).sum::<usize>();
        self.diagnostics += doc.diagnostics.len();
    }
}

/// What a worker hands back for one file: its path, size, and the output line (empty when
/// written to a file) with the document, or the error.
type FileDone = (PathBuf, u64, Result<(Vec<u8>, Document), String>);

/// Reads, parses and (with `out`) writes one input of a batch.
fn run_one(parser: &Parser, opts: &Options, input: Input, out: Option<&Path>) -> FileDone {
    if let Some(e) = input.error {
        return (
            input.path.clone(),
            0,
            Err(format!("{}: {e}", input.path.display())),
        );
    }
    let size = std::fs::metadata(&input.path).map_or(0, |m| m.len());
    let result = files::parse_path(parser, &input.path, opts.force)
        .map_err(|e| e.to_string())
        .and_then(|doc| match out {
            Some(dir) => {
                let target = dir.join(&input.rel).with_extension("json");
                let json = crate::emit::to_json(&doc, opts.compact).map_err(|e| e.to_string())?;
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        format!("cannot create {}: {}", parent.display(), io_reason(&e))
                    })?;
                }
                files::write_atomically(&target, &json).map_err(|e| e.to_string())?;
                Ok((Vec::new(), doc))
            }
            None => {
                let mut line = Vec::new();
                crate::emit::write_json(&mut line, &doc, true)
                    .map(|()| (line, doc))
                    .map_err(|e| e.to_string())
            }
        });
    (input.path, size, result)
}

/// Parses `inputs` in order: one JSON line each to `sink`, or with `out` one file each under
/// that folder (mirroring the input folders), and an error record in `sink` for each input
/// that cannot be read (only a message with `out`). `done` hears of every input as it is done,
/// with its error if it failed.
///
/// # Errors
/// The output folder cannot be made, or `sink` cannot be written (a closed pipe is no error:
/// the run just stops).
pub fn run_files(
    parser: &Parser,
    opts: &Options,
    mut inputs: Vec<Input>,
    out: Option<&Path>,
    sink: &mut dyn Write,
    mut done: impl FnMut(&Path, Option<&str>),
) -> Result<Totals, BatchError> {
    parser.finish()?;
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .map_err(|e| BatchError::OutputFolder(dir.display().to_string(), io_reason(&e)))?;
        assign_outputs(&mut inputs);
    }
    let mut totals = Totals::default();
    let mut write_failed: Option<std::io::Error> = None;
    ordered(
        opts.threads,
        opts.threads * 4,
        |push| {
            for input in inputs {
                if !push(input) {
                    return;
                }
            }
        },
        |input| run_one(parser, opts, input, out),
        |(path, size, result)| {
            let line = match result {
                Ok((line, doc)) => {
                    totals.bytes += size;
                    totals.add(&doc);
                    done(&path, None);
                    line
                }
                Err(e) => {
                    totals.errors += 1;
                    done(&path, Some(&e));
                    match out {
                        Some(_) => Vec::new(),
                        None => {
                            error_record("path", path.display().to_string().into(), &e).into_bytes()
                        }
                    }
                }
            };
            if !line.is_empty() {
                if let Err(e) = sink.write_all(&line).and_then(|()| sink.write_all(b"\n")) {
                    write_failed = Some(e);
                    return false;
                }
            }
            true
        },
    );
    finish_output(sink, write_failed)?;
    Ok(totals)
}

/// Flushes batch output; a closed pipe (`| head`) is not an error.
fn finish_output(sink: &mut dyn Write, failed: Option<std::io::Error>) -> Result<(), BatchError> {
    let result = match failed {
        Some(e) => Err(e),
        None => sink.flush(),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(BatchError::Write),
    }
}

/// The error record of a failed input: `{"path": …, "error": …}`.
pub fn error_record(key: &str, who: serde_json::Value, error: &str) -> String {
    format!(
        "{{{}:{who},\"error\":{}}}",
        serde_json::Value::String(key.to_string()),
        serde_json::Value::String(error.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_inputs_with_one_output_name_make_the_later_an_error() {
        let input = |path: &str, rel: &str| Input {
            path: PathBuf::from(path),
            rel: PathBuf::from(rel),
            error: None,
        };
        let mut list = vec![
            input("a/x.txt", "x"),
            input("b/x.txt", "x"),
            input("c/y.txt", "y"),
        ];
        assign_outputs(&mut list);
        assert_eq!(list[0].error, None);
        assert_eq!(
            list[1].error.as_deref(),
            Some("its output x.json would overwrite another input's")
        );
        assert_eq!(list[2].error, None);
    }
}
