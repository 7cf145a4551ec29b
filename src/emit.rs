//! Stage 7: the analysis to the versioned JSON contract.
//!
//! Input: an [`Analysis`] with byte spans into the normalised text. Output: a
//! [`model::Document`] with character spans and text as written. This is the one place where
//! byte offsets become character offsets.

use crate::Analysis;
use crate::base::diag::{Diag, Level};
use crate::base::text::{ByteSpan, Text};
use crate::model::{self, Block, BlockKind, Document, Span};
use crate::stages::annex;
use crate::stages::meta::LineKind;

/// The document as `parse` writes it: indented JSON, or one line with `compact`, and a line
/// break. Every command that writes a document writes it through [`write_json`].
///
/// # Errors
/// Only if serialisation fails, which the contract's types rule out.
pub fn to_json(doc: &Document, compact: bool) -> serde_json::Result<Vec<u8>> {
    // Sized up front from the text: growing by doubling would copy the output several times
    // and touch twice the memory. Indented JSON takes about 15 bytes a character (the seed's
    // 15,500 characters give 236 kB), compact about 8; huge inputs grow past the cap instead.
    let per_char = if compact { 8 } else { 16 };
    let estimate = doc
        .source
        .chars
        .saturating_mul(per_char)
        .saturating_add(4096);
    let mut out = Vec::with_capacity(estimate.min(1 << 26));
    write_json(&mut out, doc, compact)?;
    out.push(b'\n');
    Ok(out)
}

/// Appends the document's JSON to `out`, without a line break.
///
/// # Errors
/// As [`to_json`].
pub fn write_json(out: &mut Vec<u8>, doc: &Document, compact: bool) -> serde_json::Result<()> {
    if compact {
        serde_json::to_writer(out, doc)
    } else {
        serde_json::to_writer_pretty(out, doc)
    }
}

/// Converts a normalised byte span to a character span.
pub fn span(text: &Text, s: &ByteSpan) -> Span {
    Span {
        start: text.char_index(s.start),
        end: text.char_index(s.end),
        line: text.line_of(s.start),
    }
}

/// Builds the output document.
pub fn document(mut a: Analysis, path: Option<&str>) -> Document {
    // Owned parts move into the document rather than being copied.
    let departments = std::mem::take(&mut a.departments);
    let diags = std::mem::take(&mut a.diags);
    let meta = std::mem::take(&mut a.meta);
    let a = &a;
    let text = &a.text;
    let preamble = a.layout.preamble.as_ref().map(|p| model::Preamble {
        text: text.as_written(p).to_string(),
        span: span(text, p),
    });
    let tasks = a.outline.roots.iter().map(|&i| task(a, i)).collect();
    Document {
        schema: model::SCHEMA.to_string(),
        source: model::Source {
            path: path.map(str::to_string),
            encoding: a.encoding.to_string(),
            sha256: a.sha256.clone(),
            chars: text.chars(),
            replacements: a.replacements,
            bom: a.bom,
            line_endings: a.line_endings.as_str().to_string(),
            format: a.format.as_str().to_string(),
        },
        meta: model::Meta {
            title: meta.title,
            notice_title: meta.notice_title,
            doc_number: meta.doc_number,
            published: meta.published,
            date: meta.date,
            publicity: meta.publicity,
            issuers: meta.issuers,
            recipients: meta.recipients,
        },
        preamble,
        tasks,
        annex_tasks: a.annex_rows.iter().map(|r| annex_task(a, r)).collect(),
        departments,
        blocks: blocks(a),
        diagnostics: diags.into_iter().map(|d| diagnostic(text, d)).collect(),
    }
}

fn task(a: &Analysis, i: usize) -> model::Task {
    let text = &a.text;
    let n = &a.outline.nodes[i];
    let attributions: Vec<model::Attribution> = a.attributions[i]
        .iter()
        .map(|f| model::Attribution {
            role: f.role,
            role_word: text.as_written(&f.role_word).to_string(),
            names: f
                .names
                .iter()
                .map(|s| text.as_written(s).to_string())
                .collect(),
            span: span(text, &f.span),
        })
        .collect();
    // The task's lists are the union of its attributions; a body that leads in one of them
    // leads, and is not also listed as taking part.
    let names = |role: model::Role, except: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in attributions
            .iter()
            .filter(|at| at.role == role)
            .flat_map(|at| &at.names)
        {
            if !out.contains(n) && !except.contains(n) {
                out.push(n.clone());
            }
        }
        out
    };
    let lead = names(model::Role::Lead, &[]);
    let participants = names(model::Role::Participant, &lead);
    let found = &a.targets[i];
    model::Task {
        id: n.id.clone(),
        marker: text.as_written(&n.marker).to_string(),
        level: n.level,
        title: text.as_written(&n.title).to_string(),
        text: text.as_written(&n.own).to_string(),
        span: span(text, &n.span),
        lead,
        participants,
        targets: found
            .targets
            .iter()
            .map(|t| model::Target {
                text: text.as_written(&t.clause).to_string(),
                indicator: t.indicator.clone(),
                value: t.value,
                value_max: t.value_max,
                unit: t.unit.clone(),
                si: t.si.as_ref().map(|(v, u)| model::Si {
                    value: *v,
                    unit: u.clone(),
                }),
                year: t.year,
                month: t.month,
                baseline_year: t.baseline_year,
                kind: t.kind,
                bound: t.bound,
                span: span(text, &t.span),
                optional: false,
            })
            .collect(),
        numbers_skipped: found
            .skipped
            .iter()
            .map(|s| model::SkippedNumber {
                text: text.as_written(&s.span).to_string(),
                reason: s.reason,
                span: span(text, &s.span),
            })
            .collect(),
        attributions,
        deadline: deadline(a, i),
        children: n.children.iter().map(|&c| task(a, c)).collect(),
    }
}

/// A row of an annex task table. Cells wrapped over several lines read as one text (their
/// lines trimmed and joined), and so do names.
fn annex_task(a: &Analysis, r: &annex::FoundRow) -> model::AnnexTask {
    let text = &a.text;
    let joined = |s: &ByteSpan| annex::joined(text, s);
    let names = |role: model::Role| -> Vec<String> {
        r.names
            .iter()
            .filter(|(ro, _)| *ro == role)
            .map(|(_, n)| joined(n))
            .collect()
    };
    model::AnnexTask {
        row: r.row.clone(),
        task: r.task.as_ref().map(joined).unwrap_or_default(),
        cells: r
            .cells
            .iter()
            .map(|c| model::Cell {
                header: joined(&c.header),
                text: c.text.as_ref().map(joined).unwrap_or_default(),
            })
            .collect(),
        lead: names(model::Role::Lead),
        participants: names(model::Role::Participant),
        deadline: r.deadline.as_ref().map(|(cell, found)| model::Deadline {
            text: joined(cell),
            kind: found.as_ref().map_or(model::DeadlineKind::By, |d| d.kind),
            year: found.as_ref().and_then(|d| d.year),
            month: found.as_ref().and_then(|d| d.month),
            day: found.as_ref().and_then(|d| d.day),
            from_year: found.as_ref().and_then(|d| d.from_year),
            source: model::DeadlineSource::Table,
            span: Some(span(text, cell)),
        }),
        restates: r.restates.map(|i| a.outline.nodes[i].id.clone()),
        span: span(text, &r.span),
    }
}

/// The deadline node `i` states, or the document's period when it states none.
fn deadline(a: &Analysis, i: usize) -> Option<model::Deadline> {
    let text = &a.text;
    if let Some(d) = &a.deadlines[i] {
        return Some(model::Deadline {
            text: text.as_written(&d.span).to_string(),
            kind: d.kind,
            year: d.year,
            month: d.month,
            day: d.day,
            from_year: d.from_year,
            source: model::DeadlineSource::Task,
            span: Some(span(text, &d.span)),
        });
    }
    a.horizon.as_ref().map(|h| model::Deadline {
        text: h.text.clone(),
        kind: model::DeadlineKind::Period,
        year: Some(h.year),
        month: None,
        day: None,
        from_year: Some(h.from_year),
        source: model::DeadlineSource::Document,
        span: None,
    })
}

fn diagnostic(text: &Text, d: Diag) -> model::Diagnostic {
    model::Diagnostic {
        level: match d.level {
            Level::Warning => model::Level::Warning,
            Level::Error => model::Level::Error,
        },
        code: d.code.to_string(),
        message: d.message,
        span: d.span.as_ref().map(|s| span(text, s)),
    }
}

/// Runs of lines of one kind (and, for tasks, one owner). Blank lines join the run before
/// them (or after them at the very start), so the blocks tile the text.
fn blocks(a: &Analysis) -> Vec<Block> {
    let lines = &a.lines;
    let mut owner: Vec<Option<usize>> = vec![None; lines.len()];
    for (ni, n) in a.outline.nodes.iter().enumerate() {
        for l in n.own_lines.clone() {
            if let Some(o) = owner.get_mut(l) {
                *o = Some(ni);
            }
        }
    }
    let label = |li: usize| -> Option<(BlockKind, Option<usize>)> {
        Some(match a.layout.kinds[li] {
            LineKind::Blank => return None,
            LineKind::Chrome => (BlockKind::Chrome, None),
            LineKind::Meta => (BlockKind::Meta, None),
            LineKind::Preamble => (BlockKind::Preamble, None),
            LineKind::Body => match owner[li] {
                Some(o) => (BlockKind::Task, Some(o)),
                None => (BlockKind::Unclassified, None),
            },
            LineKind::Annex | LineKind::Unclassified => (BlockKind::Unclassified, None),
        })
    };
    let first = (0..lines.len()).find_map(label);
    let mut runs: Vec<(BlockKind, Option<usize>, ByteSpan)> = Vec::new();
    let mut current = first.unwrap_or((BlockKind::Unclassified, None));
    for (li, line) in lines.iter().enumerate() {
        if let Some(l) = label(li) {
            current = l;
        }
        match runs.last_mut() {
            Some(last) if last.0 == current.0 && last.1 == current.1 => last.2.end = line.next,
            _ => runs.push((current.0, current.1, line.full())),
        }
    }
    runs.into_iter()
        .map(|(kind, node, s)| Block {
            kind,
            span: span(&a.text, &s),
            task: node.map(|n| a.outline.nodes[n].id.clone()),
        })
        .collect()
}
