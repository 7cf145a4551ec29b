//! The invariants every output keeps, checked against the decoded text: blocks tile the text,
//! spans lie inside it, children lie inside their parents, and every span's text is what the
//! output says it is. Tests and fuzz targets call [`invariants`], [`pipeline`], [`diff_self`],
//! [`stream`] and [`pattern`].

use std::collections::BTreeSet;

use crate::Parser;
use crate::model::{Document, Span, Task};
use crate::rules::Rules;

fn parser() -> Result<Parser, String> {
    Rules::embedded()
        .map(Parser::new)
        .map_err(|e| e.to_string())
}

/// The whole pipeline on arbitrary bytes: the output serialises, reads back equal, and keeps
/// the invariants. `Err` says what broke.
///
/// # Errors
/// A violated property, described.
pub fn pipeline(data: &[u8]) -> Result<(), String> {
    let parser = parser()?;
    let doc = parser.parse_bytes(data, None);
    let json = serde_json::to_string(&doc).map_err(|e| format!("does not serialise: {e}"))?;
    let back: Document =
        serde_json::from_str(&json).map_err(|e| format!("does not read back: {e}"))?;
    if back != doc {
        return Err("reads back different".to_string());
    }
    let bad = invariants(&doc, &parser.text(data));
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.join("; "))
    }
}

/// The number parser on arbitrary text: a value read is finite, and formatting it and reading
/// it again gives the same value; an integer written in Chinese reads back as itself.
///
/// # Errors
/// A broken round trip, described.
pub fn number_roundtrip(data: &[u8]) -> Result<(), String> {
    use crate::base::numbers::{
        chinese_integer, format_number, parse_number, read_numeral, to_chinese,
    };
    let s = String::from_utf8_lossy(data);
    let _ = read_numeral(&s);
    if let Some(v) = parse_number(&s) {
        if !v.is_finite() {
            return Err(format!("{s:?} reads as {v}"));
        }
        let printed = format_number(v);
        if parse_number(&printed) != Some(v) {
            return Err(format!(
                "{s:?} reads as {v}, printed {printed:?}, which reads back as {:?}",
                parse_number(&printed)
            ));
        }
    }
    let mut word = [0u8; 8];
    for (w, b) in word.iter_mut().zip(data) {
        *w = *b;
    }
    let n = u64::from_le_bytes(word) % 10_000_000_000_000_000;
    let written = to_chinese(n);
    if chinese_integer(&written) != Some(n) {
        return Err(format!(
            "{n} written {written:?} reads back as {:?}",
            chinese_integer(&written)
        ));
    }
    Ok(())
}

/// A rule pattern reads text as `regex::Regex` does: the first line of `data` is the pattern,
/// each further line a text to search. A pattern compiles exactly when `regex` compiles it, and
/// then gives the same answer, match and groups on every text.
///
/// # Errors
/// A difference, described.
pub fn pattern(data: &[u8]) -> Result<(), String> {
    let s = String::from_utf8_lossy(data);
    let (source, texts) = s.split_once('\n').unwrap_or((&s, ""));
    // Long patterns only make the fuzzer slow: the engines' cost grows with them.
    if source.len() > 256 {
        return Ok(());
    }
    let p = match (
        regex::Regex::new(source),
        crate::base::pattern::Pattern::new(source),
    ) {
        (Ok(re), Ok(p)) => (re, p),
        (Err(_), Err(_)) => return Ok(()),
        (Ok(_), Err(e)) => return Err(format!("{source:?}: regex compiles it, Pattern says {e}")),
        (Err(e), Ok(_)) => return Err(format!("{source:?}: Pattern compiles it, regex says {e}")),
    };
    let (re, p) = p;
    if !p.capture_names().eq(re.capture_names()) {
        return Err(format!("{source:?}: group names differ"));
    }
    for text in std::iter::once(texts).chain(texts.split('\n')) {
        pattern_agrees(&p, &re, text)?;
    }
    Ok(())
}

/// Whether `p` reads `text` as `re` does: the same answer, match and groups.
///
/// # Errors
/// The first difference, described.
pub fn pattern_agrees(
    p: &crate::base::pattern::Pattern,
    re: &regex::Regex,
    text: &str,
) -> Result<(), String> {
    let source = p.as_str();
    if p.is_match(text) != re.is_match(text) {
        return Err(format!("{source:?} on {text:?}: is_match differs"));
    }
    let found = p.find(text).map(|m| (m.start(), m.end()));
    if found != re.find(text).map(|m| (m.start(), m.end())) {
        return Err(format!("{source:?} on {text:?}: find gives {found:?}"));
    }
    let got = p.captures(text).map(|c| {
        (0..re.captures_len())
            .map(|i| c.get(i).map(|g| (g.start(), g.end())))
            .collect::<Vec<_>>()
    });
    let want = re.captures(text).map(|c| {
        c.iter()
            .map(|m| m.map(|m| (m.start(), m.end())))
            .collect::<Vec<_>>()
    });
    if got != want {
        return Err(format!(
            "{source:?} on {text:?}: groups {got:?}, regex {want:?}"
        ));
    }
    if let (Some(c), Some(w)) = (p.captures(text), re.captures(text)) {
        for name in re.capture_names().flatten() {
            let (a, b) = (
                c.name(name).map(|g| (g.start(), g.end())),
                w.name(name).map(|m| (m.start(), m.end())),
            );
            if a != b {
                return Err(format!(
                    "{source:?} on {text:?}: group {name} {a:?}, regex {b:?}"
                ));
            }
        }
    }
    Ok(())
}

/// `diff` of a document with itself, and with its own JSON, is empty; against the document of
/// its first half it reports, and compares titles and texts word by word without losing a
/// character of either side.
///
/// # Errors
/// A difference, described.
pub fn diff_self(data: &[u8]) -> Result<(), String> {
    let parser = parser()?;
    let doc = parser.parse_bytes(data, None);
    let none = BTreeSet::new();
    let r = crate::compare::diff::diff(&doc, &doc, &none);
    if !r.is_empty() {
        return Err(format!("diff(a, a) is not empty: {:?}", r.changes.first()));
    }
    let json = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    let back = crate::compare::diff::load(&json, "a.json", &parser).map_err(|e| e.to_string())?;
    let r = crate::compare::diff::diff(&back, &doc, &none);
    if !r.is_empty() {
        return Err(format!(
            "diff(json(a), a) is not empty: {:?}",
            r.changes.first()
        ));
    }
    let half = parser.parse_bytes(data.get(..data.len() / 2).unwrap_or_default(), None);
    let r = crate::compare::diff::diff(&doc, &half, &none);
    serde_json::to_string(&r).map_err(|e| format!("diff(a, half) does not serialise: {e}"))?;
    let words = crate::compare::diff::Words::of_documents(&[&doc, &half]);
    for (a, b) in flat(&doc.tasks).iter().zip(flat(&half.tasks)) {
        for (old, new) in [(&a.title, &b.title), (&a.text, &b.text)] {
            let ops = words.diff(old, new);
            let side = |kept: similar::DiffTag| -> String {
                ops.iter()
                    .filter(|o| o.tag == similar::DiffTag::Equal || o.tag == kept)
                    .map(|o| o.text.as_str())
                    .collect()
            };
            if side(similar::DiffTag::Delete) != *old || side(similar::DiffTag::Insert) != *new {
                return Err(format!(
                    "the word diff of {old:?} and {new:?} loses text: {ops:?}"
                ));
            }
        }
    }
    Ok(())
}

/// Every task, depth first.
fn flat(tasks: &[Task]) -> Vec<&Task> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t);
        out.extend(flat(&t.children));
    }
    out
}

/// `--stdin-jsonl` on arbitrary bytes: the bytes as the stream (framed into lines as the
/// command does), and as the `text` of one line. Every input line gets one answer line, in
/// order: a JSON object whose `id` comes first, with a document or an error; the wrapped bytes
/// give a document whose `id` is the one given.
///
/// # Errors
/// A broken answer, described.
pub fn stream(data: &[u8]) -> Result<(), String> {
    let parser = parser()?;
    let opts = crate::batch::Options {
        threads: 1,
        compact: true,
        force: false,
    };
    let run = |input: &[u8]| -> Result<Vec<serde_json::Value>, String> {
        let mut sink = Vec::new();
        let totals = crate::batch::stream::run(&parser, &opts, input, &mut sink, |_| {})
            .map_err(|e| e.to_string())?;
        let mut framed = 0;
        crate::batch::stream::lines(input, |_| {
            framed += 1;
            true
        })
        .map_err(|e| e.to_string())?;
        let answers: Vec<&[u8]> = sink.split(|&b| b == b'\n').collect();
        // The sink ends with a line break: the last piece is empty.
        if answers.len() != framed + 1 || answers.last() != Some(&&b""[..]) {
            return Err(format!("{framed} lines gave {} answers", answers.len() - 1));
        }
        if totals.documents + totals.errors != framed {
            return Err(format!("{framed} lines counted as {totals:?}"));
        }
        let mut values = Vec::new();
        for out in &answers[..framed] {
            let shown = String::from_utf8_lossy(out);
            if !out.starts_with(b"{\"id\":") {
                return Err(format!("not an answer starting with the id: {shown}"));
            }
            let v: serde_json::Value =
                serde_json::from_slice(out).map_err(|e| format!("not JSON ({e}): {shown}"))?;
            if v.get("schema").is_none() == v.get("error").is_none() {
                return Err(format!("neither a document nor an error: {shown}"));
            }
            values.push(v);
        }
        Ok(values)
    };
    let data = &data[..data.len().min(1 << 16)];
    run(data)?;
    let text = serde_json::to_string(&String::from_utf8_lossy(data)).map_err(|e| e.to_string())?;
    let wrapped = format!("{{\"id\":[{}, \"x\"],\"text\":{text}}}", data.len());
    let v = run(wrapped.as_bytes())?;
    match v.as_slice() {
        [v] if v.get("schema").is_some() && v["id"] == serde_json::json!([data.len(), "x"]) => {
            Ok(())
        }
        _ => Err(format!("the wrapped bytes came back as {v:?}")),
    }
}

/// A reader on arbitrary bytes: no panic; a failure is an answer. Text it reads has no
/// carriage return, its tables are whole lines in order and hold the rows' tabs, and the
/// output parsed from it keeps the invariants against it and reads back equal.
///
/// The bytes go to the reader as they are; for Word formats, bytes that are no such file are
/// first packed into one (so that the fuzzer reaches the XML and the piece table): DOCX parts
/// `word/document.xml`, `word/numbering.xml` and `word/styles.xml` apart by two NUL bytes, and
/// DOC streams `WordDocument` and `0Table`/`1Table` apart the same way.
///
/// # Errors
/// A broken property, described.
pub fn reader(format: crate::stages::read::Format, data: &[u8]) -> Result<(), String> {
    use crate::stages::read::{self, Format};
    let parser = parser()?;
    let rules = &parser.rules().html;
    let read = match format {
        Format::Text => Ok(read::text::decode(data)),
        Format::Html => Ok(read::html::read(data, rules)),
        Format::Docx if data.starts_with(b"PK") => read::docx::read(data),
        Format::Docx => read::docx::read(&docx_package(data)?),
        Format::Doc if data.starts_with(b"\xD0\xCF\x11\xE0") => read::doc::read(data),
        Format::Doc => read::doc::read(&doc_file(data)?),
        Format::Pdf => read::pdf::read(data, &read::PdfRunner::InProcess),
    };
    let Ok(decoded) = read else {
        return Ok(());
    };
    let text = decoded.text.clone();
    if text.contains('\r') {
        return Err("the text holds a carriage return".to_string());
    }
    let mut last = 0;
    for t in &decoded.tables {
        let whole = t.start >= last
            && t.start <= t.end
            && text.is_char_boundary(t.start)
            && text.is_char_boundary(t.end)
            && (t.start == 0 || text[..t.start].ends_with('\n'))
            && text[t.end..].starts_with('\n');
        if !whole {
            return Err(format!("table {t:?} is not whole lines in order"));
        }
        last = t.end;
    }
    let doc = crate::emit::document(parser.analyze(decoded), None);
    let json = serde_json::to_string(&doc).map_err(|e| format!("does not serialise: {e}"))?;
    let back: Document =
        serde_json::from_str(&json).map_err(|e| format!("does not read back: {e}"))?;
    if back != doc {
        return Err("reads back different".to_string());
    }
    let bad = invariants(&doc, &text);
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.join("; "))
    }
}

/// `data` split at two NUL bytes into at most `n` parts.
fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() + 1 < n {
        match memchr::memmem::find(rest, b"\0\0") {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + 2..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

/// A DOCX package of the parts in `data` (see [`reader`]).
fn docx_package(data: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let names = ["word/document.xml", "word/numbering.xml", "word/styles.xml"];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, part) in names.iter().zip(parts(data, names.len())) {
        w.start_file(*name, stored).map_err(|e| e.to_string())?;
        w.write_all(part).map_err(|e| e.to_string())?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A DOC file of the streams in `data` (see [`reader`]).
fn doc_file(data: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut cf =
        cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).map_err(|e| e.to_string())?;
    let split = parts(data, 2);
    let word = split.first().copied().unwrap_or_default();
    let table = split.get(1).copied().unwrap_or_default();
    for (name, bytes) in [
        ("/WordDocument", word),
        ("/0Table", table),
        ("/1Table", table),
    ] {
        let mut s = cf.create_stream(name).map_err(|e| e.to_string())?;
        s.write_all(bytes).map_err(|e| e.to_string())?;
    }
    cf.flush().map_err(|e| e.to_string())?;
    Ok(cf.into_inner().into_inner())
}

/// Every violation of the output invariants, as sentences (empty when all hold).
///
/// `text` is the decoded text (line ends normalised to `\n`), as [`crate::stages::read::text::decode`]
/// gives it.
pub fn invariants(doc: &Document, text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut bad = Vec::new();
    let slice = |s: &Span| -> String { chars[s.start.min(n)..s.end.min(n)].iter().collect() };
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            chars
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == '\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let line_of = |pos: usize| line_starts.partition_point(|&s| s <= pos.min(n)).max(1);
    let span_ok = |what: &str, s: &Span, bad: &mut Vec<String>| -> bool {
        if s.start > s.end || s.end > n {
            bad.push(format!(
                "{what}: span {}..{} outside 0..{n}",
                s.start, s.end
            ));
            return false;
        }
        if s.line != line_of(s.start) {
            bad.push(format!(
                "{what}: line {} but offset {} is on line {}",
                s.line,
                s.start,
                line_of(s.start)
            ));
        }
        true
    };

    if doc.source.chars != n {
        bad.push(format!(
            "source.chars is {} but the text has {n}",
            doc.source.chars
        ));
    }
    let mut pos = 0;
    for (i, b) in doc.blocks.iter().enumerate() {
        span_ok(&format!("block {i}"), &b.span, &mut bad);
        if b.span.start != pos {
            bad.push(format!(
                "block {i} starts at {} but the previous ended at {pos}",
                b.span.start
            ));
        }
        if b.span.start >= b.span.end {
            bad.push(format!("block {i} is empty"));
        }
        pos = b.span.end;
    }
    if pos != n {
        bad.push(format!(
            "blocks end at {pos} but the text has {n} characters"
        ));
    }

    if let Some(p) = &doc.preamble {
        if span_ok("preamble", &p.span, &mut bad) && slice(&p.span) != p.text {
            bad.push("preamble text differs from its span".to_string());
        }
    }
    for (i, d) in doc.diagnostics.iter().enumerate() {
        if let Some(s) = &d.span {
            span_ok(&format!("diagnostic {i} ({})", d.code), s, &mut bad);
        }
    }

    fn walk(
        t: &Task,
        parent: Option<&Task>,
        bad: &mut Vec<String>,
        check: &mut dyn FnMut(&str, &Span, &mut Vec<String>) -> bool,
        slice: &dyn Fn(&Span) -> String,
    ) {
        let what = format!("task {}", t.id);
        if check(&what, &t.span, bad) {
            let s = slice(&t.span);
            if !s.starts_with(&t.marker) {
                bad.push(format!(
                    "{what}: span does not start with its marker `{}`",
                    t.marker
                ));
            }
            if !s.contains(&t.text) {
                bad.push(format!("{what}: text is not inside its span"));
            }
        }
        if let Some(p) = parent {
            if t.span.start < p.span.start || t.span.end > p.span.end {
                bad.push(format!("{what}: span lies outside its parent {}", p.id));
            }
            if !t.id.starts_with(&format!("{}.", p.id)) {
                bad.push(format!(
                    "{what}: id does not extend its parent's id {}",
                    p.id
                ));
            }
        }
        for a in &t.attributions {
            if check(&format!("{what} attribution"), &a.span, bad) {
                let s = slice(&a.span);
                for name in &a.names {
                    if !s.contains(name.as_str()) {
                        bad.push(format!(
                            "{what}: attribution name `{name}` is not inside its span"
                        ));
                    }
                }
            }
        }
        for tg in &t.targets {
            if check(&format!("{what} target"), &tg.span, bad)
                && !slice(&tg.span).is_empty()
                && !t.text.is_empty()
            {
                let s = slice(&tg.span);
                if !tg.text.contains(s.as_str()) {
                    bad.push(format!(
                        "{what}: target span text `{s}` is not inside its clause"
                    ));
                }
            }
        }
        for sk in &t.numbers_skipped {
            if check(&format!("{what} skipped number"), &sk.span, bad) && slice(&sk.span) != sk.text
            {
                bad.push(format!("{what}: skipped number text differs from its span"));
            }
        }
        for c in &t.children {
            walk(c, Some(t), bad, check, slice);
        }
    }
    let mut check = |w: &str, s: &Span, b: &mut Vec<String>| span_ok(w, s, b);
    for t in &doc.tasks {
        walk(t, None, &mut bad, &mut check, &slice);
    }
    bad
}
