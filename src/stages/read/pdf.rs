//! PDF with a text layer: the text in reading order, one paragraph a line.
//!
//! Input: the bytes of a PDF and where to run the PDF library ([`PdfRunner`]). Output: a
//! [`Decoded`] text, or a [`Failure`]: a scanned PDF (no text layer) says it needs OCR.
//!
//! The PDF library (`pdf-extract`) gives every glyph with its place on the page. Glyphs on one
//! baseline make a line, left to right, with a space where the gap between two is wider than
//! half a character. Then, over the whole document:
//!
//! - **Page furniture is left out**: a line in the top or bottom 8% of its page that is a page
//!   number (`— 3 —`, `-3-`, `第3页 共11页`, `3/11`, `3`) or whose text without digits recurs
//!   on half the pages or more (a running head); and a page number with dashes or `页` anywhere.
//! - **Hard-wrapped lines are joined into paragraphs**: a line that reaches the right edge of
//!   the text (the 90th percentile of line ends) runs on into the next when that one starts at
//!   the left margin (no first-line indent), follows at the usual line pitch (or opens the next
//!   page), has the same size and does not begin with a heading marker (`一、`, `（一）`, `1.`,
//!   `第一条`). Chinese characters are joined without a space.
//! - **Tables**: two or more consecutive lines whose glyph runs are apart by gaps of two
//!   characters or more, and start at the same places, are a table: each run is a cell, on the
//!   columns those places make.
//! - **Scanned PDFs**: when four pages in five hold fewer than 30 characters, not counting
//!   lines repeated on most pages (a scanner app's watermark), the PDF has no text layer. A PDF
//!   the library cannot read whose pages are each one large image is one too.
//!
//! The library can panic, exhaust memory or loop on a hostile file. [`PdfRunner::Child`] runs
//! it in a child process ([`serve_child`], the hidden `zhengce __read-pdf`) with limits on its
//! memory and CPU time and a timeout, so that such a file is one [`Failure`] and never stops a
//! run or a batch; [`PdfRunner::InProcess`] (for library users without the binary, and the
//! fuzz target) catches panics only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Decoded, Failure, Format, TextBuilder};

/// Where PDF extraction runs.
#[derive(Debug, Clone, Default)]
pub enum PdfRunner {
    /// In this process, panics caught: a file that exhausts memory or loops is not stopped.
    #[default]
    InProcess,
    /// In a child process of the zhengce binary, within limits.
    Child(PdfChild),
}

/// How the child that reads a PDF is started and bounded.
#[derive(Debug, Clone)]
pub struct PdfChild {
    /// The zhengce binary.
    pub program: PathBuf,
    /// The arguments that make it read a PDF from its standard input ([`CHILD_ARGS`]); the
    /// limits follow as `--memory BYTES --cpu-seconds S`.
    pub args: Vec<String>,
    /// How long it may take: this, plus a second per megabyte of PDF.
    pub timeout: Duration,
    /// The memory it may map, in bytes.
    pub memory: u64,
    /// The CPU time it may use, in seconds.
    pub cpu_seconds: u64,
}

/// The arguments of the zhengce binary that run [`serve_child`].
pub const CHILD_ARGS: &[&str] = &["__read-pdf"];

impl PdfChild {
    /// The child that `program` (the zhengce binary) runs, with the default limits: 4 GiB of
    /// memory, 60 s of CPU, 30 s plus a second per megabyte of wall time.
    pub fn new(program: PathBuf) -> Self {
        PdfChild {
            program,
            args: CHILD_ARGS.iter().map(|s| s.to_string()).collect(),
            timeout: Duration::from_secs(30),
            memory: 4 << 30,
            cpu_seconds: 60,
        }
    }
}

/// A line of glyphs on a page (PDF user space: y grows upwards).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PdfLine {
    /// Left end.
    pub x0: f64,
    /// Right end.
    pub x1: f64,
    /// Baseline.
    pub y: f64,
    /// Glyph size.
    pub size: f64,
    /// The runs of glyphs apart by wide gaps, with where each starts; their text joined by
    /// spaces is the line's.
    pub runs: Vec<(f64, String)>,
    /// In a table drawn with rules: the row's cells, one between each two vertical rules (the
    /// lines of a cell joined).
    #[serde(default)]
    pub cells: Option<Vec<String>>,
}

impl PdfLine {
    /// The line's text.
    pub fn text(&self) -> String {
        let parts: Vec<&str> = match &self.cells {
            Some(cells) => cells
                .iter()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect(),
            None => self.runs.iter().map(|(_, t)| t.as_str()).collect(),
        };
        parts.join(" ")
    }
}

/// A page: its size and lines, top to bottom.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PdfPage {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Lines, top to bottom.
    pub lines: Vec<PdfLine>,
}

/// What extraction gives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Extracted {
    /// The pages with their lines.
    Pages(Vec<PdfPage>),
    /// The library failed on a PDF whose pages are images: a scan.
    Scanned(usize),
    /// Why the PDF could not be read.
    Failed(String),
}

/// Reads a PDF (see the module docs).
///
/// # Errors
/// A scanned PDF, or one that could not be read (damaged, encrypted, or the library failed or
/// ran out of its limits on it).
pub fn read(bytes: &[u8], runner: &PdfRunner) -> Result<Decoded, Failure> {
    let extracted = match runner {
        PdfRunner::InProcess => extract(bytes),
        PdfRunner::Child(child) => run_child(child, bytes),
    };
    let pages = match extracted {
        Extracted::Pages(p) => p,
        Extracted::Scanned(pages) => return Err(Failure::Scanned { pages }),
        Extracted::Failed(why) => return Err(Failure::damaged(Format::Pdf, why)),
    };
    if pages.is_empty() {
        return Err(Failure::damaged(Format::Pdf, "it has no pages"));
    }
    if !has_text_layer(&pages) {
        return Err(Failure::Scanned { pages: pages.len() });
    }
    let (text, tables) = layout(&pages);
    let replaced = text.matches('\u{FFFD}').count();
    Ok(Decoded::extracted(
        bytes,
        Format::Pdf,
        "PDF",
        text,
        tables,
        replaced,
    ))
}

/// Collects the glyphs of each page, then groups them into lines.
#[derive(Default)]
struct Collect {
    pages: Vec<PdfPage>,
    glyphs: Vec<Glyph>,
    rules: Rules,
    size: (f64, f64),
}

/// A straight rule drawn on a page: where it runs (x of a vertical one, y of a horizontal
/// one) and from where to where along its length.
#[derive(Debug, Clone, Copy)]
struct Rule {
    at: f64,
    from: f64,
    to: f64,
}

/// The rules of a page: the borders of its tables.
#[derive(Debug, Default)]
struct Rules {
    vertical: Vec<Rule>,
    horizontal: Vec<Rule>,
}

/// Rules a page may hold before the rest are left out.
const MAX_RULES: usize = 20_000;

/// Thicker than this, a filled rectangle is a shape, not a rule.
const RULE_WIDTH: f64 = 3.0;

impl Rules {
    /// A segment from `a` to `b`: a rule if it is vertical or horizontal.
    fn segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        if self.vertical.len() + self.horizontal.len() >= MAX_RULES
            || ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite())
        {
            return;
        }
        let (dx, dy) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        if dx < 1.0 && dy > 2.0 {
            self.vertical.push(Rule {
                at: (a.0 + b.0) / 2.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            });
        } else if dy < 1.0 && dx > 2.0 {
            self.horizontal.push(Rule {
                at: (a.1 + b.1) / 2.0,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            });
        }
    }

    /// The rules of a drawn path: its straight segments when stroked; when filled, the
    /// rectangles thin enough to be rules.
    fn path(&mut self, ctm: &pdf_extract::Transform, path: &pdf_extract::Path, filled: bool) {
        let at = |x: f64, y: f64| {
            (
                x * ctm.m11 + y * ctm.m21 + ctm.m31,
                x * ctm.m12 + y * ctm.m22 + ctm.m32,
            )
        };
        let (mut cur, mut start) = ((0.0, 0.0), (0.0, 0.0));
        for op in &path.ops {
            match *op {
                pdf_extract::PathOp::MoveTo(x, y) => {
                    cur = at(x, y);
                    start = cur;
                }
                pdf_extract::PathOp::LineTo(x, y) => {
                    let next = at(x, y);
                    if !filled {
                        self.segment(cur, next);
                    }
                    cur = next;
                }
                pdf_extract::PathOp::CurveTo(_, _, _, _, x, y) => cur = at(x, y),
                pdf_extract::PathOp::Rect(x, y, w, h) => {
                    let (a, b) = (at(x, y), at(x + w, y + h));
                    let (wide, high) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
                    if !filled {
                        let (c, d) = (at(x + w, y), at(x, y + h));
                        self.segment(a, c);
                        self.segment(c, b);
                        self.segment(b, d);
                        self.segment(d, a);
                    } else if wide <= RULE_WIDTH && high > RULE_WIDTH {
                        let x = (a.0 + b.0) / 2.0;
                        self.segment((x, a.1), (x, b.1));
                    } else if high <= RULE_WIDTH && wide > RULE_WIDTH {
                        let y = (a.1 + b.1) / 2.0;
                        self.segment((a.0, y), (b.0, y));
                    }
                    cur = a;
                    start = a;
                }
                pdf_extract::PathOp::Close => {
                    if !filled {
                        self.segment(cur, start);
                    }
                    cur = start;
                }
            }
        }
    }

    /// The vertical rules that cross the baseline `y`, as sorted distinct x positions.
    fn borders_at(&self, y: f64) -> Vec<f64> {
        let mut xs: Vec<f64> = self
            .vertical
            .iter()
            .filter(|r| r.from - 2.0 <= y && y <= r.to + 2.0)
            .map(|r| r.at)
            .collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() < 2.0);
        xs
    }

    /// Whether a horizontal rule runs between the baselines `low` and `high` across `x0..x1`.
    fn parts(&self, low: f64, high: f64, x0: f64, x1: f64) -> bool {
        self.horizontal
            .iter()
            .any(|r| low < r.at && r.at < high && r.from < x1 && r.to > x0)
    }
}

/// One glyph: where its origin is, how far it advances, its size and text.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    advance: f64,
    size: f64,
    text: String,
}

/// Glyphs a page may hold before the rest of it is left out.
const MAX_GLYPHS: usize = 500_000;

impl pdf_extract::OutputDev for Collect {
    fn begin_page(
        &mut self,
        _page: u32,
        media: &pdf_extract::MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.glyphs.clear();
        self.size = (media.urx - media.llx, media.ury - media.lly);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        let rules = std::mem::take(&mut self.rules);
        let lines = group_lines(std::mem::take(&mut self.glyphs), &rules);
        self.pages.push(PdfPage {
            width: self.size.0,
            height: self.size.1,
            lines,
        });
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.glyphs.len() >= MAX_GLYPHS {
            return Ok(());
        }
        // The text matrix maps text space to the page; its scale is the rendered size.
        let size = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt() * font_size;
        self.glyphs.push(Glyph {
            x: trm.m31,
            y: trm.m32,
            advance: width * size,
            size,
            text: ch.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &pdf_extract::Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        self.rules.path(ctm, path, false);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &pdf_extract::Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        self.rules.path(ctm, path, true);
        Ok(())
    }
}

/// Extracts the pages of a PDF in this process, catching the library's panics; on a failure,
/// whether the PDF is a scan (every page one large image).
pub fn extract(bytes: &[u8]) -> Extracted {
    let run = || -> Result<Vec<PdfPage>, String> {
        let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| describe(&e.to_string()))?;
        if doc.is_encrypted() {
            return Err("it is encrypted (password-protected): save it without a password".into());
        }
        let mut out = Collect::default();
        pdf_extract::output_doc(&doc, &mut out).map_err(|e| describe(&e.to_string()))?;
        Ok(out.pages)
    };
    let why = match std::panic::catch_unwind(run) {
        Ok(Ok(pages)) => return Extracted::Pages(pages),
        Ok(Err(why)) => why,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            format!("the PDF library failed on it ({})", short(&msg))
        }
    };
    match std::panic::catch_unwind(|| scanned_pages(bytes)) {
        Ok(Some(pages)) => Extracted::Scanned(pages),
        _ => Extracted::Failed(why),
    }
}

/// A library message in a few words.
fn describe(msg: &str) -> String {
    format!("it cannot be read as a PDF ({})", short(msg))
}

fn short(msg: &str) -> String {
    let line = msg.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// The number of pages when four in five of them show an image of a million pixels or more:
/// a scan.
fn scanned_pages(bytes: &[u8]) -> Option<usize> {
    let doc = pdf_extract::Document::load_mem(bytes).ok()?;
    let pages = doc.get_pages();
    let imaged = pages
        .values()
        .filter(|&&id| {
            doc.get_page_images(id).is_ok_and(|images| {
                images
                    .iter()
                    .any(|i| i.width.saturating_mul(i.height) >= 1_000_000)
            })
        })
        .count();
    (!pages.is_empty() && imaged * 5 >= pages.len() * 4).then_some(pages.len())
}

/// Groups a page's glyphs into lines by baseline (within 30% of the glyph size), left to
/// right, top to bottom; in a table drawn with rules, the lines of a row into the row.
fn group_lines(mut glyphs: Vec<Glyph>, rules: &Rules) -> Vec<PdfLine> {
    glyphs.retain(|g| {
        g.x.is_finite()
            && g.y.is_finite()
            && g.size.is_finite()
            && g.advance.is_finite()
            && (g.text == " " || !g.text.chars().all(char::is_whitespace))
    });
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<(f64, f64, Vec<Glyph>)> = Vec::new();
    for g in glyphs {
        let tolerance = (g.size * 0.3).max(1.0);
        match lines
            .iter_mut()
            .rev()
            .take(3)
            .find(|l| (l.0 - g.y).abs() <= tolerance)
        {
            Some(l) => l.2.push(g),
            None => lines.push((g.y, g.size, vec![g])),
        }
    }
    let mut out: Vec<PdfLine> = Vec::new();
    for (y, size, mut glyphs) in lines {
        glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let (Some(first), Some(last)) = (
            glyphs.iter().find(|g| g.text != " "),
            glyphs.iter().rev().find(|g| g.text != " "),
        ) else {
            continue;
        };
        let (x0, x1) = (first.x, last.x + last.advance);
        let runs = runs_of(&glyphs);
        if runs.is_empty() {
            continue;
        }
        // Crossed by two vertical rules or more: a line of a table drawn with rules. Its cells
        // lie between the rules (and beyond the outer ones, which a table may not draw).
        let borders = rules.borders_at(y);
        let cells = (borders.len() >= 2).then(|| {
            let mut cells: Vec<Vec<Glyph>> = vec![Vec::new(); borders.len() + 1];
            for g in &glyphs {
                let mid = g.x + g.advance / 2.0;
                cells[borders.iter().filter(|&&b| b <= mid).count()].push(g.clone());
            }
            cells
                .iter()
                .map(|c| {
                    let parts: Vec<String> = runs_of(c).into_iter().map(|(_, t)| t).collect();
                    parts.join(" ")
                })
                .collect::<Vec<String>>()
        });
        let line = PdfLine {
            x0,
            x1,
            y,
            size,
            runs,
            cells,
        };
        // The next line of a cell: same borders, no rule between.
        if let (Some(prev), Some(cells)) = (out.last_mut(), &line.cells) {
            let same = prev.cells.as_ref().is_some_and(|p| p.len() == cells.len())
                && rules.borders_at(prev.y).len() == borders.len()
                && !rules.parts(line.y, prev.y, x0.min(prev.x0), x1.max(prev.x1));
            if same {
                if let Some(prev_cells) = prev.cells.as_mut() {
                    for (p, c) in prev_cells.iter_mut().zip(cells) {
                        join_into(p, c);
                    }
                }
                prev.x0 = prev.x0.min(x0);
                prev.x1 = prev.x1.max(x1);
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// Appends `next` to `text` as the next line of a paragraph or cell: Chinese runs on without
/// a space, two words of Latin letters or digits keep one.
fn join_into(text: &mut String, next: &str) {
    if text
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && next
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        text.push(' ');
    }
    text.push_str(next);
}

/// A line's glyphs (left to right) as runs apart by gaps of two characters or more, each with
/// where it starts; a space where a gap is wider than half a character.
fn runs_of(glyphs: &[Glyph]) -> Vec<(f64, String)> {
    let mut runs: Vec<(f64, String)> = Vec::new();
    let mut end: Option<f64> = None;
    for g in glyphs {
        let em = g.size.max(1.0);
        let gap = end.map(|e| g.x - e);
        end = Some(g.x + g.advance);
        if g.text == " " {
            if let Some((_, run)) = runs.last_mut()
                && !run.ends_with(' ')
            {
                run.push(' ');
            }
            continue;
        }
        match (gap, runs.last_mut()) {
            // A gap of two characters or more parts the runs (a table's cells).
            (Some(gap), Some((_, run))) if gap <= 2.0 * em => {
                if gap > 0.45 * em && !run.ends_with(' ') {
                    run.push(' ');
                }
                run.push_str(&g.text);
            }
            _ => runs.push((g.x, g.text.clone())),
        }
    }
    runs.into_iter()
        .map(|(x, t)| (x, t.trim().to_string()))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// Whether the PDF has a text layer (see the module docs).
fn has_text_layer(pages: &[PdfPage]) -> bool {
    let n = pages.len();
    let squash =
        |l: &PdfLine| -> String { l.text().chars().filter(|c| !c.is_whitespace()).collect() };
    let mut seen_on: HashMap<String, usize> = HashMap::new();
    for p in pages {
        let distinct: HashSet<String> = p.lines.iter().map(squash).collect();
        for l in distinct {
            *seen_on.entry(l).or_default() += 1;
        }
    }
    let repeated = |l: &str| n >= 3 && seen_on.get(l).copied().unwrap_or(0) * 5 >= n * 4;
    let empty = pages
        .iter()
        .filter(|p| {
            let chars: usize = p
                .lines
                .iter()
                .map(squash)
                .filter(|l| !repeated(l))
                .map(|l| l.chars().count())
                .sum();
            chars < 30
        })
        .count();
    empty * 5 < n * 4
}

/// A page number: `— 3 —`, `-3-`, `- 3 -`, `第3页`, `第 3 页 共 11 页`, `3/11`, `3`.
fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c: char| matches!(c, '—' | '-' | '－' | '–' | '·' | '•'));
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let words = t.replace(['第', '页', '共', '/'], " ");
    !words.trim().is_empty()
        && words
            .split_whitespace()
            .all(|w| w.chars().all(|c| c.is_ascii_digit()))
        && (s.contains('页') || s.contains('/'))
}

/// A page number that shows it is one wherever it stands: with dashes or `页`.
fn is_marked_page_number(s: &str) -> bool {
    is_page_number(s) && !s.trim().chars().all(|c| c.is_ascii_digit())
}

/// Whether a line begins with a heading marker: such a line opens a paragraph.
fn starts_heading(s: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十百零〇";
    let s = s.trim_start();
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    let after = |body: &str, allowed: &dyn Fn(char) -> bool, ends: &[char]| {
        let n = body.chars().take_while(|&c| allowed(c)).count();
        n > 0 && body.chars().nth(n).is_some_and(|c| ends.contains(&c))
    };
    let numeral = |c: char| NUMERALS.contains(c);
    let digit = |c: char| c.is_ascii_digit();
    match first {
        '(' | '（' => after(rest, &numeral, &[')', '）']) || after(rest, &digit, &[')', '）']),
        '第' => after(rest, &|c| numeral(c) || digit(c), &['章', '节', '条']),
        c if numeral(c) => after(s, &numeral, &['、']),
        c if digit(c) => {
            let n = s.chars().take_while(|c| c.is_ascii_digit()).count();
            let mut after = s.chars().skip(n);
            matches!(after.next(), Some('.' | '、' | '．'))
                && after.next().is_some_and(|c| !c.is_ascii_digit())
        }
        '①'..='⑳' => true,
        _ => false,
    }
}

/// A line kept for the text, with the measures of the document it is joined by.
struct Kept<'a> {
    page: usize,
    line: &'a PdfLine,
    /// Part of a table: its cells on the table's columns.
    row: Option<Vec<String>>,
}

/// The value, rounded to whole points, that occurs at least `min` times and is the smallest
/// such (two neighbouring points count together).
fn frequent_min(xs: impl Iterator<Item = f64>, min: usize) -> Option<f64> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for x in xs.filter(|x| x.is_finite()) {
        *counts.entry(x.round() as i64).or_default() += 1;
    }
    counts
        .iter()
        .find(|&(k, c)| c + counts.get(&(k + 1)).copied().unwrap_or(0) >= min)
        .map(|(&k, _)| k as f64)
}

/// Whether a page's line is furniture (see the module docs).
fn furniture(line: &PdfLine, page: &PdfPage, recurring: &dyn Fn(&str) -> bool) -> bool {
    let h = if page.height > 0.0 {
        page.height
    } else {
        842.0
    };
    let text = line.text();
    let edge = line.y > h * 0.92 || line.y < h * 0.08;
    (edge && (is_page_number(&text) || recurring(&text))) || is_marked_page_number(&text)
}

/// Marks the runs of consecutive lines that are table rows, with their cells on the columns.
fn mark_tables(kept: &mut [Kept<'_>]) {
    let mut i = 0;
    while i < kept.len() {
        // A run: lines of one page, each of two runs or more, whose starts match the line's
        // before at two places or more.
        if kept[i].row.is_some() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < kept.len()
            && kept[j].row.is_none()
            && kept[j].page == kept[i].page
            && kept[j].line.runs.len() >= 2
            && (j == i || aligned(kept[j - 1].line, kept[j].line) >= 2)
        {
            j += 1;
        }
        if j - i >= 2 {
            let em = kept[i].line.size.max(1.0);
            let mut columns: Vec<f64> = Vec::new();
            for k in &kept[i..j] {
                for (x, _) in &k.line.runs {
                    if !columns.iter().any(|c| (c - x).abs() < em) {
                        columns.push(*x);
                    }
                }
            }
            columns.sort_by(f64::total_cmp);
            for k in &mut kept[i..j] {
                let mut cells = vec![String::new(); columns.len()];
                for (x, t) in &k.line.runs {
                    let col = columns
                        .iter()
                        .enumerate()
                        .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
                        .map_or(0, |(c, _)| c);
                    if !cells[col].is_empty() {
                        cells[col].push(' ');
                    }
                    cells[col].push_str(t);
                }
                k.row = Some(cells);
            }
            i = j;
        } else {
            i += 1;
        }
    }
}

/// How many run starts of `b` match one of `a` (within a character).
fn aligned(a: &PdfLine, b: &PdfLine) -> usize {
    let em = a.size.max(b.size).max(1.0);
    b.runs
        .iter()
        .filter(|(x, _)| a.runs.iter().any(|(y, _)| (x - y).abs() < em))
        .count()
}

/// The pages' lines as the text: furniture left out, wrapped lines joined, tables as rows
/// (see the module docs).
fn layout(pages: &[PdfPage]) -> (String, Vec<std::ops::Range<usize>>) {
    let n = pages.len();
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect()
    };
    let mut seen_on: HashMap<String, usize> = HashMap::new();
    for p in pages {
        let keys: HashSet<String> = p.lines.iter().map(|l| key(&l.text())).collect();
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            *seen_on.entry(k).or_default() += 1;
        }
    }
    let recurring = |s: &str| n >= 3 && seen_on.get(&key(s)).copied().unwrap_or(0) * 2 >= n;
    let mut kept: Vec<Kept<'_>> = Vec::new();
    for (page, p) in pages.iter().enumerate() {
        for line in &p.lines {
            if !furniture(line, p, &recurring) {
                kept.push(Kept {
                    page,
                    line,
                    row: None,
                });
            }
        }
    }
    for k in &mut kept {
        k.row.clone_from(&k.line.cells);
    }
    mark_tables(&mut kept);
    // The text block: its left margin (the leftmost start that three lines share), its right
    // edge (the 90th percentile of line ends) and its line pitch (the smallest baseline
    // distance three pairs of lines share); a paragraph's gap is wider.
    let prose = || kept.iter().filter(|k| k.row.is_none());
    let left = frequent_min(prose().map(|k| k.line.x0), 3).unwrap_or(0.0);
    let pitch = frequent_min(
        kept.windows(2)
            .filter(|w| w[0].page == w[1].page)
            .map(|w| w[0].line.y - w[1].line.y)
            .filter(|d| *d > 1.0),
        3,
    );
    let mut ends: Vec<f64> = prose()
        .map(|k| k.line.x1)
        .filter(|x| x.is_finite())
        .collect();
    ends.sort_by(f64::total_cmp);
    let right = ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0);
    let joins = |cur: &Kept<'_>, next: &Kept<'_>| {
        let (a, b) = (cur.line, next.line);
        let size = a.size.max(1.0);
        let full = a.x1 >= right - size * 1.5;
        let flush = (b.x0 - left).abs() < size * 0.6;
        let close = if next.page == cur.page {
            pitch.is_none_or(|p| a.y - b.y <= p.max(size) * 1.3)
        } else {
            next.page == cur.page + 1
        };
        cur.row.is_none()
            && next.row.is_none()
            && full
            && flush
            && close
            && (b.size - a.size).abs() < 1.0
            && !starts_heading(&b.text())
    };
    let mut out = TextBuilder::default();
    let mut i = 0;
    while i < kept.len() {
        if kept[i].row.is_some() {
            let end = (i..kept.len())
                .find(|&j| kept[j].row.is_none())
                .unwrap_or(kept.len());
            let rows: Vec<&Vec<String>> =
                kept[i..end].iter().filter_map(|k| k.row.as_ref()).collect();
            // Columns empty in every row (beyond outer rules) are no columns.
            let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
            let used: Vec<usize> = (0..width)
                .filter(|&c| rows.iter().any(|r| r.get(c).is_some_and(|t| !t.is_empty())))
                .collect();
            for r in rows {
                let cells: Vec<&str> = used
                    .iter()
                    .map(|&c| r.get(c).map_or("", String::as_str))
                    .collect();
                out.row(&cells);
            }
            out.end_table();
            i = end;
            continue;
        }
        let mut text = kept[i].line.text();
        while i + 1 < kept.len() && joins(&kept[i], &kept[i + 1]) {
            let next = kept[i + 1].line.text();
            let spaced = text
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric())
                && next
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            if spaced {
                text.push(' ');
            }
            text.push_str(&next);
            i += 1;
        }
        out.line(&text);
        i += 1;
    }
    out.finish()
}

/// The child's side of [`PdfRunner::Child`]: limits this process's memory and CPU time, reads
/// a PDF from `input`, extracts it and writes the outcome to `output` as JSON. Returns the
/// exit code: 0 when the outcome is written (whatever it is), 2 when it cannot be.
///
/// Meant for a process of its own: it sets the limits and a silent panic hook on the process.
pub fn serve_child(input: &mut dyn Read, output: &mut dyn Write, memory: u64, cpu: u64) -> u8 {
    #[cfg(unix)]
    {
        // Past these the kernel stops the child (an allocation fails and it aborts, or
        // SIGXCPU), never the parent.
        let _ = rlimit::setrlimit(rlimit::Resource::AS, memory, memory);
        let _ = rlimit::setrlimit(rlimit::Resource::CPU, cpu, cpu.saturating_add(1));
    }
    #[cfg(not(unix))]
    let _ = (memory, cpu);
    // A panic is caught and reported in the outcome: the library's message is not for stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let mut bytes = Vec::new();
    if input.read_to_end(&mut bytes).is_err() {
        return 2;
    }
    let outcome = extract(&bytes);
    let written = serde_json::to_writer(&mut *output, &outcome).is_ok() && output.flush().is_ok();
    if written { 0 } else { 2 }
}

/// Runs the extraction in a child process (see [`PdfChild`]).
fn run_child(child: &PdfChild, bytes: &[u8]) -> Extracted {
    use std::process::{Command, Stdio};
    use wait_timeout::ChildExt;
    let timeout = child.timeout + Duration::from_secs(bytes.len() as u64 >> 20);
    let mut cmd = Command::new(&child.program);
    cmd.args(&child.args)
        .args(["--memory", &child.memory.to_string()])
        .args(["--cpu-seconds", &child.cpu_seconds.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut proc = match cmd.spawn() {
        Ok(p) => p,
        Err(e) => {
            return Extracted::Failed(format!(
                "the PDF reader {} could not be started ({e})",
                child.program.display()
            ));
        }
    };
    let (stdin, stdout) = (proc.stdin.take(), proc.stdout.take());
    // What the child may write: its lines cannot be many times the PDF's size.
    let cap = (bytes.len() as u64).saturating_mul(16).max(64 << 20);
    let (status, out) = std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(mut w) = stdin {
                // A child that stops reading (it died) closes the pipe: nothing to report.
                let _ = w.write_all(bytes);
            }
        });
        let reader = s.spawn(move || {
            let mut out = Vec::new();
            if let Some(r) = stdout {
                let _ = r.take(cap).read_to_end(&mut out);
            }
            out
        });
        let status = match proc.wait_timeout(timeout) {
            Ok(Some(status)) => Ok(status),
            Ok(None) => {
                let _ = proc.kill();
                let _ = proc.wait();
                Err(format!(
                    "the PDF reader took longer than {} s on it and was stopped",
                    timeout.as_secs()
                ))
            }
            Err(e) => Err(format!("the PDF reader could not be waited for ({e})")),
        };
        (status, reader.join().unwrap_or_default())
    });
    match status {
        Err(why) => Extracted::Failed(why),
        Ok(s) if s.success() => serde_json::from_slice(&out).unwrap_or_else(|e| {
            Extracted::Failed(format!("the PDF reader's answer could not be read ({e})"))
        }),
        Ok(s) => Extracted::Failed(format!(
            "the PDF reader stopped on it ({}): it may need more memory or time than allowed",
            stopped(s)
        )),
    }
}

/// How a child ended, in a few words.
fn stopped(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("signal {sig}");
        }
    }
    status
        .code()
        .map_or_else(|| "no exit code".to_string(), |c| format!("exit code {c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x0: f64, x1: f64, y: f64, text: &str) -> PdfLine {
        PdfLine {
            x0,
            x1,
            y,
            size: 16.0,
            runs: vec![(x0, text.to_string())],
            cells: None,
        }
    }

    #[test]
    fn page_numbers_are_known_by_their_shapes() {
        for s in [
            "— 3 —",
            "-3-",
            "- 12 -",
            "第3页",
            "第 3 页 共 11 页",
            "3/11",
            "7",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2025年", "一、总体要求", "3.5万人", "第三条"] {
            assert!(!is_page_number(s), "{s}");
        }
        assert!(is_marked_page_number("— 3 —") && !is_marked_page_number("3"));
    }

    #[test]
    fn heading_markers_open_paragraphs() {
        for s in [
            "一、总体要求",
            "（二）目标",
            "(3)任务",
            "1.加强",
            "12、推进",
            "第一条 总则",
            "第3章",
            "①落实",
        ] {
            assert!(starts_heading(s), "{s}");
        }
        for s in ["1.5万人", "一是加强", "第一批", "2025年", "十分重要"] {
            assert!(!starts_heading(s), "{s}");
        }
    }

    #[test]
    fn wrapped_lines_join_and_furniture_goes() {
        // A4: text block from x = 90 to 505, pitch 28.
        let page = |n: usize, body: Vec<PdfLine>| {
            let mut lines = vec![line(250.0, 340.0, 800.0, "某某市人民政府文件")];
            lines.extend(body);
            lines.push(line(280.0, 320.0, 40.0, &format!("— {n} —")));
            PdfPage {
                width: 595.0,
                height: 842.0,
                lines,
            }
        };
        let pages = vec![
            page(
                1,
                vec![
                    line(90.0, 200.0, 700.0, "一、总体要求"),
                    line(122.0, 505.0, 672.0, "到2025年，全市新建充电桩"),
                    line(90.0, 505.0, 644.0, "300个，公共充电网络基本"),
                    line(90.0, 505.0, 616.0, "覆盖，服务能力明显"),
                ],
            ),
            page(
                2,
                vec![
                    line(90.0, 300.0, 760.0, "提升。"),
                    line(90.0, 505.0, 732.0, "二、主要任务（牵头单位：市发展改革委，"),
                    line(90.0, 220.0, 704.0, "配合单位：市财政局）"),
                ],
            ),
            page(3, vec![line(122.0, 300.0, 760.0, "三、保障措施")]),
        ];
        let (text, tables) = layout(&pages);
        assert_eq!(
            text,
            "一、总体要求\n到2025年，全市新建充电桩300个，公共充电网络基本覆盖，服务能力明显提升。\n\
             二、主要任务（牵头单位：市发展改革委，配合单位：市财政局）\n三、保障措施\n"
        );
        assert!(tables.is_empty());
        assert!(has_text_layer(&pages));
    }

    #[test]
    fn aligned_runs_make_a_table() {
        let row = |y: f64, cells: &[(f64, &str)]| PdfLine {
            x0: cells[0].0,
            x1: 500.0,
            y,
            size: 12.0,
            runs: cells.iter().map(|(x, t)| (*x, t.to_string())).collect(),
            cells: None,
        };
        let pages = vec![PdfPage {
            width: 595.0,
            height: 842.0,
            lines: vec![
                line(90.0, 300.0, 700.0, "附件：主要指标"),
                row(
                    680.0,
                    &[(90.0, "指标"), (250.0, "单位"), (400.0, "2025年目标")],
                ),
                row(
                    660.0,
                    &[(90.0, "新建充电桩"), (250.0, "个"), (400.0, "300")],
                ),
                row(640.0, &[(90.0, "绿化覆盖率"), (400.0, "45%")]),
                line(90.0, 300.0, 600.0, "以上指标按年度分解。"),
            ],
        }];
        let (text, tables) = layout(&pages);
        assert_eq!(
            text,
            "附件：主要指标\n指标\t单位\t2025年目标\n新建充电桩\t个\t300\n绿化覆盖率\t\t45%\n以上指标按年度分解。\n"
        );
        assert_eq!(tables.len(), 1);
    }

    #[test]
    fn a_page_of_a_watermark_only_is_no_text_layer() {
        let scan = |_: usize| PdfPage {
            width: 595.0,
            height: 842.0,
            lines: vec![line(200.0, 400.0, 30.0, "扫描全能王 创建")],
        };
        let pages: Vec<PdfPage> = (0..8).map(scan).collect();
        assert!(!has_text_layer(&pages));
        let garbage = extract(b"%PDF-1.4\n garbage");
        assert!(matches!(garbage, Extracted::Failed(_)), "{garbage:?}");
    }
}
