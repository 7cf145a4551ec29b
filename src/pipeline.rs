//! The pipeline: every stage run in order over one decoded document.
//!
//! Input: the compiled [`Rules`] and a [`Decoded`] text. Output: an [`Analysis`] holding what
//! each stage found, with byte spans into the normalised text, and the diagnostics of all
//! stages. Never fails: a stage that cannot read something says so in a diagnostic.

use crate::base::diag::{Code, Diag};
use crate::base::segment::{self, Line};
use crate::base::text::{ByteSpan, Text};
use crate::model;
use crate::rules::Rules;
use crate::stages::meta::{Layout, MetaInfo};
use crate::stages::outline::Outline;
use crate::stages::read::{Decoded, Format, LineEndings};
use crate::stages::{annex, chrome, deadlines, departments, meta, outline, targets};

/// What the ids of a wrapper notice's own items begin with (`n1`, `n1.2`).
pub const NOTICE_PREFIX: &str = "n";

/// Everything the stages found, with byte spans into the normalised text.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The text in both forms.
    pub text: Text,
    /// Its lines.
    pub lines: Vec<Line>,
    /// The kind of every line.
    pub layout: Layout,
    /// Notice metadata.
    pub meta: MetaInfo,
    /// The heading tree.
    pub outline: Outline,
    /// Attributions of each outline node, by node index.
    pub attributions: Vec<Vec<departments::FoundAttribution>>,
    /// The deadline each outline node states, by node index.
    pub deadlines: Vec<Option<deadlines::FoundDeadline>>,
    /// The document's period, the horizon of a node that states no deadline.
    pub horizon: Option<deadlines::Horizon>,
    /// The rows of the annexes' task tables.
    pub annex_rows: Vec<annex::FoundRow>,
    /// Targets of each outline node, by node index.
    pub targets: Vec<targets::TaskTargets>,
    /// The department index.
    pub departments: Vec<model::Department>,
    /// Diagnostics of all stages, in order of discovery.
    pub diags: Vec<Diag>,
    /// The encoding used.
    pub encoding: &'static str,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    /// Replaced malformed sequences.
    pub replacements: usize,
    /// How lines ended in the input.
    pub line_endings: LineEndings,
    /// SHA-256 of the input bytes.
    pub sha256: String,
    /// What was read.
    pub format: Format,
    /// The tables the reader marked, as spans of whole lines (rows of tab-separated cells).
    pub tables: Vec<ByteSpan>,
}

/// Runs every stage after decoding, in order.
pub fn analyze(rules: &Rules, decoded: Decoded) -> Analysis {
    let mut diags = Vec::new();
    if decoded.replacements > 0 {
        diags.push(Diag::warning(
            Code::MalformedBytes,
            format!(
                "{} malformed byte sequence(s) in {} were replaced by U+FFFD",
                decoded.replacements, decoded.encoding
            ),
            None,
        ));
    }
    let (repaired, table_ranges, repairs) =
        outline::reflow::reflow(decoded.text, decoded.tables, &rules.markers);
    diags.extend(repairs);
    let table_lines = table_lines(&repaired, &table_ranges);
    let text = Text::new(repaired);
    let lines = segment::lines(&text);
    let tables = table_lines
        .into_iter()
        .filter_map(|(a, b)| Some(lines.get(a)?.span.start..lines.get(b)?.span.end))
        .collect();
    let chrome = chrome::scan(&text, &lines, &rules.chrome);
    let markers = outline::line_markers(
        &text,
        &lines,
        |i| chrome[i].is_some(),
        &rules.markers,
        &mut diags,
    );
    let (meta, layout) = meta::read(
        &text,
        &lines,
        meta::LineMarks {
            chrome: &chrome,
            heading_start: &markers.heading_start,
            marked: &markers.marked,
        },
        &rules.meta,
        &rules.departments.body,
        &mut diags,
    );
    let in_body = |li: usize| layout.kinds[li] == meta::LineKind::Body;
    let mut outline = outline::build(
        &text,
        &lines,
        layout.body.clone(),
        &in_body,
        &markers.candidates,
        &rules.markers,
        &mut diags,
    );
    if let Some(items) = layout.notice_items.clone() {
        let notice = outline::build(
            &text,
            &lines,
            items,
            &in_body,
            &markers.candidates,
            &rules.markers,
            &mut diags,
        );
        outline.prepend(notice, NOTICE_PREFIX);
    }
    let whole = 0..text.norm().len();
    let declared = departments::declarations(&text, &whole, &rules.departments);
    let attributions: Vec<Vec<departments::FoundAttribution>> = outline
        .nodes
        .iter()
        .map(|n| {
            departments::extract_task_with_diags(
                &text,
                &n.own,
                &rules.departments,
                &declared,
                &mut diags,
            )
        })
        .collect();
    let starts: Vec<Option<usize>> = outline
        .nodes
        .iter()
        .zip(&attributions)
        .map(|(n, found)| {
            found
                .iter()
                .map(|f| f.span.start)
                .find(|s| n.title.contains(s))
        })
        .collect();
    outline.end_titles_before(&text, &starts);
    departments::report_gaps(&outline, &attributions, &mut diags);
    let per_task: Vec<(String, &[departments::FoundAttribution])> = outline
        .nodes
        .iter()
        .zip(&attributions)
        .map(|(n, a)| (n.id.clone(), a.as_slice()))
        .collect();
    let departments = departments::index(&text, &per_task, &rules.departments);
    departments::report_similar(&text, &departments, &per_task, &mut diags);
    let time = deadlines::Context::new(meta.title.as_deref(), meta.year(), &rules.deadlines);
    // A node in a section that frames the plan: its own title or an ancestor's (parents come
    // before their children).
    let mut framed: Vec<bool> = Vec::with_capacity(outline.nodes.len());
    for n in &outline.nodes {
        let by_parent = n.parent.is_some_and(|p| framed[p]);
        framed.push(by_parent || deadlines::frames(text.normalised(&n.title), &rules.deadlines));
    }
    let found_deadlines = outline
        .nodes
        .iter()
        .zip(&framed)
        .map(|(n, &framed)| deadlines::read_task(&text, &n.own, framed, &rules.deadlines, &time))
        .collect();
    // Most documents have no annex, and pay nothing more than this look at the line kinds.
    let annex_lines: Vec<usize> = (layout.body.end..lines.len())
        .filter(|&i| layout.kinds[i] == meta::LineKind::Annex)
        .collect();
    let annex_rows = if annex_lines.is_empty() {
        Vec::new()
    } else {
        let titles: Vec<_> = outline.nodes.iter().map(|n| n.title.clone()).collect();
        annex::read(
            &text,
            &lines,
            &annex_lines,
            &rules.annex_rules(),
            &declared,
            &time,
            &titles,
            &mut diags,
        )
    };
    let target_rules = match rules.try_targets() {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diag::error(
                Code::RulesFailed,
                format!("no targets were read: the target rules did not compile: {e}"),
                None,
            ));
            rules.targets()
        }
    };
    // The document's year: a deadline before it is past, not a target.
    let doc = targets::DocContext::new(&text, target_rules, meta.year());
    let targets: Vec<targets::TaskTargets> = outline
        .nodes
        .iter()
        .zip(&attributions)
        .map(|(n, a)| {
            let exclude: Vec<_> = a.iter().map(|f| f.span.clone()).collect();
            targets::extract_task_in(&text, &n.own, &exclude, target_rules, &doc)
        })
        .collect();
    diags.extend(targets.iter().flat_map(|t| t.diags.iter().cloned()));
    Analysis {
        text,
        lines,
        layout,
        meta,
        outline,
        attributions,
        deadlines: found_deadlines,
        horizon: time.horizon,
        annex_rows,
        targets,
        departments,
        diags,
        encoding: decoded.encoding,
        bom: decoded.bom,
        replacements: decoded.replacements,
        line_endings: decoded.line_endings,
        sha256: decoded.sha256,
        format: decoded.format,
        tables,
    }
}

/// The first and last line of each table, counted on the text the ranges index (its lines
/// are those of the normalised text: normalising keeps every line break).
fn table_lines(text: &str, tables: &[std::ops::Range<usize>]) -> Vec<(usize, usize)> {
    let newlines = |from: usize, to: usize| {
        text.as_bytes()
            .get(from..to)
            .map_or(0, |b| memchr::memchr_iter(b'\n', b).count())
    };
    let (mut at, mut line) = (0, 0);
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        if t.start < at || t.end < t.start {
            continue;
        }
        line += newlines(at, t.start);
        let last = line + newlines(t.start, t.end);
        out.push((line, last));
        (at, line) = (t.end, last);
    }
    out
}
