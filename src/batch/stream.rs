//! `batch --stdin-jsonl`: `{"id": …, "text": …}` lines in, one answer line each out, in order,
//! flushed as they are done: the mapper of a Hadoop Streaming or Spark job. A `text` that is a
//! web page's HTML is read as a page.

use std::io::{BufRead, Write};
use std::sync::Mutex;

use crate::Parser;
use crate::model::Document;

use super::{BatchError, Options, Totals, finish_output};

/// Reads `input` line by line as bytes and hands each line to `push` without its line break
/// (`\n` or `\r\n`), dropping a byte-order mark at the very start (Windows editors write
/// one); stops when `push` returns `false`. A line that is not UTF-8 is handed on as it is, to
/// be answered with an error record rather than end the stream.
///
/// # Errors
/// `input` cannot be read.
pub fn lines(
    mut input: impl BufRead,
    mut push: impl FnMut(Vec<u8>) -> bool,
) -> std::io::Result<()> {
    let mut first = true;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if std::mem::take(&mut first) && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        if !push(line) {
            return Ok(());
        }
    }
}

/// Answers every line of `input` in `sink`, in order, flushing after each answer; `done`
/// hears of each answer, with whether it is an error record.
///
/// # Errors
/// `input` cannot be read or `sink` written (a closed pipe is no error: the run just stops),
/// or the rules did not compile.
pub fn run(
    parser: &Parser,
    opts: &Options,
    input: impl BufRead + Send,
    sink: &mut dyn Write,
    mut done: impl FnMut(bool),
) -> Result<Totals, BatchError> {
    parser.finish()?;
    let mut totals = Totals::default();
    let mut write_failed: Option<std::io::Error> = None;
    let read_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    super::ordered(
        opts.threads,
        opts.threads * 4,
        |push| {
            if let Err(e) = lines(input, push) {
                if let Ok(mut slot) = read_error.lock() {
                    *slot = Some(e);
                }
            }
        },
        |line: Vec<u8>| {
            let len = line.len() as u64;
            let (out, doc) = stream_line(parser, &line);
            (out, doc, len)
        },
        |(line, doc, len)| {
            totals.bytes += len;
            match &doc {
                Some(d) => totals.add(d),
                None => totals.errors += 1,
            }
            done(doc.is_none());
            let written = sink
                .write_all(&line)
                .and_then(|()| sink.write_all(b"\n"))
                .and_then(|()| sink.flush());
            if let Err(e) = written {
                write_failed = Some(e);
                return false;
            }
            true
        },
    );
    finish_output(sink, write_failed)?;
    if let Some(e) = read_error.into_inner().ok().flatten() {
        return Err(BatchError::Read(e));
    }
    Ok(totals)
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
            // The text of a line may be a web page's HTML: it is read as one.
            let decoded = crate::stages::read::read_text(text.as_bytes(), &parser.rules().html);
            let doc = crate::emit::document(parser.analyze(decoded), None);
            let id = raw_id(&id);
            // `{"id":…` then the document's object with its `{` turned into a `,`.
            let mut out = Vec::with_capacity(text.len() * 3 + id.len() + 8);
            out.extend_from_slice(b"{\"id\":");
            out.extend_from_slice(id.as_bytes());
            let brace = out.len();
            if let Err(e) = crate::emit::write_json(&mut out, &doc, true) {
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

    fn framed(input: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        lines(input, |l| {
            out.push(l);
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn lines_lose_their_breaks_and_the_stream_its_byte_order_mark() {
        let got = framed(b"\xEF\xBB\xBFa\r\nb\n\xEF\xBB\xBFc\n\nd");
        let want: Vec<&[u8]> = vec![b"a", b"b", b"\xEF\xBB\xBFc", b"", b"d"];
        assert_eq!(got, want);
        assert!(framed(b"").is_empty());
        // A line of broken UTF-8 is handed on as it is.
        assert_eq!(framed(b"\xFF\xFE x\n"), vec![b"\xFF\xFE x".to_vec()]);
    }

    #[test]
    fn every_line_gets_one_answer_in_order() {
        let parser = Parser::load(&crate::rules::LoadOptions::default()).unwrap();
        let opts = Options {
            threads: 2,
            compact: true,
            force: false,
        };
        let input = "{\"id\":1,\"text\":\"一、任务\"}\r\nnot json\n{\"id\":\"x\"}\n";
        let mut sink = Vec::new();
        let mut errors = 0;
        let totals = run(&parser, &opts, input.as_bytes(), &mut sink, |e| {
            errors += usize::from(e);
        })
        .unwrap();
        let out = String::from_utf8(sink).unwrap();
        let answers: Vec<&str> = out.lines().collect();
        assert_eq!(answers.len(), 3);
        assert!(answers[0].starts_with("{\"id\":1,\"schema\":\"zhengce/1\""));
        assert!(answers[1].starts_with("{\"id\":null,\"error\":\"not a JSON object"));
        assert_eq!(answers[2], "{\"id\":\"x\",\"error\":\"no `text` field\"}");
        assert_eq!((totals.documents, totals.errors, errors), (1, 2, 2));
    }
}
