//! Many documents at once: input discovery, reading, and an ordered parallel pipeline.
//!
//! [`ordered`] runs a function over a stream of items on several threads and hands the results
//! on in input order, with a bounded number of items in flight — so memory stays flat however
//! long the stream, and the output is the same whatever the thread count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobMatcher};

use crate::Parser;
use crate::model::Document;

/// Runs `work` on `threads` threads over the items that `produce` pushes, and calls `emit`
/// with the results in the order the items were pushed. At most `in_flight` items are read
/// ahead of the last result emitted. `produce` receives a push function that returns `false`
/// once the pipeline stops (when `emit` returns `false`); `produce` should then return.
pub fn ordered<T, R>(
    threads: usize,
    in_flight: usize,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) + Send,
    work: impl Fn(T) -> R + Sync,
    mut emit: impl FnMut(R) -> bool,
) where
    T: Send,
    R: Send,
{
    let threads = threads.max(1);
    let in_flight = in_flight.max(threads);
    let (work_tx, work_rx) = sync_channel::<(u64, T)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = channel::<(u64, R)>();
    // Tokens bound the items between reading and emitting.
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut seq = 0u64;
            let mut push = |item: T| -> bool {
                if token_rx.recv().is_err() || work_tx.send((seq, item)).is_err() {
                    return false;
                }
                seq += 1;
                true
            };
            produce(&mut push);
        });
        for _ in 0..threads {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            let work = &work;
            scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, item)) = next else { return };
                    if tx.send((seq, work(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<u64, R> = BTreeMap::new();
        let mut next = 0u64;
        'outer: for (seq, r) in done_rx.iter() {
            pending.insert(seq, r);
            while let Some(r) = pending.remove(&next) {
                next += 1;
                if !emit(r) {
                    break 'outer;
                }
                let _ = token_tx.send(());
            }
        }
        // Stopping early: dropping the receivers ends the reader and the workers.
        drop(token_tx);
        drop(done_rx);
    });
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

/// Lists the inputs: files as given (a missing one is reported when read), directories
/// recursively (files whose name matches `glob`, and links to files, in name order).
pub fn discover(inputs: &[PathBuf], glob: &GlobMatcher) -> Vec<Input> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            for entry in walkdir::WalkDir::new(p).sort_by_file_name() {
                match entry {
                    Ok(e) if glob.is_match(e.file_name()) && listed_file(&e) => {
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
    out
}

/// Whether a folder entry is read as a document: a file, or a link to one. A link that leads
/// nowhere is listed too, so that it is reported rather than skipped; links to folders are not
/// followed.
fn listed_file(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_file()
        || e.path_is_symlink() && std::fs::metadata(e.path()).map_or(true, |m| m.is_file())
}

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
    /// Not text.
    #[error("{0}: {1} (use --force to parse it anyway)")]
    NotText(String, String),
}

/// Reads and parses the file at `path` exactly as `zhengce parse` does; `force` parses even
/// what does not look like text.
///
/// # Errors
/// The file is missing, a directory, unreadable, or not a text document.
pub fn parse_path(parser: &Parser, path: &Path, force: bool) -> Result<Document, ReadError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(ReadError::Directory(shown));
    }
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound(shown.clone()),
        std::io::ErrorKind::PermissionDenied => {
            ReadError::Io(shown.clone(), "permission denied".into())
        }
        _ => ReadError::Io(shown.clone(), e.to_string()),
    })?;
    parse_bytes(parser, &bytes, Some(&shown), force)
}

/// Parses bytes, refusing what does not look like text unless `force`.
///
/// # Errors
/// The bytes are not a text document.
pub fn parse_bytes(
    parser: &Parser,
    bytes: &[u8],
    path: Option<&str>,
    force: bool,
) -> Result<Document, ReadError> {
    let decoded = crate::stages::decode::decode(bytes);
    if !force {
        if let Some(why) = crate::stages::decode::binary_reason(bytes, &decoded) {
            return Err(ReadError::NotText(
                path.unwrap_or("<stdin>").to_string(),
                why,
            ));
        }
    }
    Ok(crate::emit::document(parser.analyze(decoded), path))
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

/// The error record of a failed input: `{"path": …, "error": …}`.
pub fn error_record(key: &str, who: serde_json::Value, error: &str) -> String {
    format!(
        "{{{}:{who},\"error\":{}}}",
        serde_json::Value::String(key.to_string()),
        serde_json::Value::String(error.to_string())
    )
}

/// One line of `--stdin-jsonl` (without its line break): `{"id": …, "text": …}` in, the
/// document with its `id` first out (or an error record), as one line of JSON without a line
/// break. The `id` is written back as it was written, whatever its JSON type.
pub fn stream_line(parser: &Parser, line: &[u8]) -> (Vec<u8>, Option<Document>) {
    #[derive(serde::Deserialize)]
    struct In {
        #[serde(default)]
        id: Option<Box<serde_json::value::RawValue>>,
        text: Option<String>,
    }
    let raw_id = |id: &Option<Box<serde_json::value::RawValue>>| {
        id.as_ref().map_or("null", |r| r.get()).to_string()
    };
    let line = match simdutf8::compat::from_utf8(line) {
        Ok(line) => line,
        Err(e) => {
            // JSON is UTF-8: say where the first bad byte is (counting from 1), and give the
            // line's `id` when it reads without replacement characters.
            let at = e.valid_up_to();
            let id = serde_json::from_str::<In>(&String::from_utf8_lossy(line))
                .map(|i| raw_id(&i.id))
                .ok()
                .filter(|id| !id.contains('\u{FFFD}'))
                .unwrap_or_else(|| "null".to_string());
            let error = format!("line is not valid UTF-8 (byte {})", at + 1);
            return (stream_error(&id, &error), None);
        }
    };
    match serde_json::from_str::<In>(line) {
        Err(e) => (
            stream_error("null", &format!("not a JSON object with `text`: {e}")),
            None,
        ),
        Ok(In { id, text: None }) => (stream_error(&raw_id(&id), "no `text` field"), None),
        Ok(In {
            id,
            text: Some(text),
        }) => {
            let doc = parser.parse_str(&text, None);
            let id = raw_id(&id);
            // `{"id":…` then the document's object with its `{` turned into a `,`.
            let mut out = Vec::with_capacity(text.len() * 3 + id.len() + 8);
            out.extend_from_slice(b"{\"id\":");
            out.extend_from_slice(id.as_bytes());
            let brace = out.len();
            if let Err(e) = serde_json::to_writer(&mut out, &doc) {
                let error = format!("cannot write the document: {e}");
                return (stream_error(&id, &error), None);
            }
            debug_assert_eq!(out.get(brace..brace + 2), Some(&b"{\""[..]));
            out[brace] = b',';
            (out, Some(doc))
        }
    }
}

/// The error record of a stream line, `{"id": …, "error": …}`, from the id's JSON text.
fn stream_error(id: &str, error: &str) -> Vec<u8> {
    let error = serde_json::Value::String(error.to_string());
    format!("{{\"id\":{id},\"error\":{error}}}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_the_threads() {
        for threads in [1, 2, 8] {
            let mut got = Vec::new();
            ordered(
                threads,
                4,
                |push| {
                    for i in 0..200u64 {
                        if !push(i) {
                            return;
                        }
                    }
                },
                |i| {
                    // Uneven work, so that later items often finish first.
                    std::thread::sleep(std::time::Duration::from_micros((i * 37 % 11) * 50));
                    i * 2
                },
                |r| {
                    got.push(r);
                    true
                },
            );
            assert_eq!(
                got,
                (0..200).map(|i| i * 2).collect::<Vec<_>>(),
                "threads {threads}"
            );
        }
    }

    #[test]
    fn stopping_early_ends_the_pipeline() {
        let mut got = 0;
        ordered(
            2,
            2,
            |push| {
                let mut i = 0u64;
                while push(i) {
                    i += 1;
                }
            },
            |i| i,
            |_| {
                got += 1;
                got < 10
            },
        );
        assert_eq!(got, 10);
    }
}
