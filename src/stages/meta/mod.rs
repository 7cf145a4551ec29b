//! Stage 4: the notice wrapper and the document's own metadata.
//!
//! Input: the lines, which of them are chrome, which start a heading (a marker with ordinal 1),
//! and the metadata cues. Output: [`MetaInfo`] (titles, 文号, issuers, recipients, dates,
//! publicity) and a [`Layout`] that gives every line its kind: chrome, meta (wrapper, title,
//! signature), preamble, body (the heading tree) or annex.
//!
//! A document is read as a wrapper notice when a 落款 date line stands before some heading:
//! what precedes it is the notice (title, 文号, recipients, body, signature), what follows is
//! the attached document (its title, preamble and headings). Otherwise the document is plain:
//! title, 文号 and recipients at the top, a signature, date and publicity note at the end.

use std::ops::Range;

use crate::base::pattern::Caps;

use crate::base::diag::{Code, Diag};
use crate::base::numbers::{arabic_integer, chinese_integer};
use crate::base::pattern::Pattern;
use crate::base::segment::Line;
use crate::base::text::{ByteSpan, Text, split_top_level, squash};
use crate::stages::chrome::{ChromeHit, HeaderField};

pub mod rules;

pub use rules::{Cue, MetaCues};

/// What a line of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Only whitespace; joins the block before it.
    Blank,
    /// Page chrome.
    Chrome,
    /// Wrapper notice, title, signature, date, publicity.
    Meta,
    /// Between the title and the first heading.
    Preamble,
    /// Inside the heading tree.
    Body,
    /// An annex (附件): kept as text, its task tables read by the annex stage.
    Annex,
    /// Text that fits no rule.
    Unclassified,
}

/// Where things are, by line index.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The kind of each line.
    pub kinds: Vec<LineKind>,
    /// Lines in which headings are read.
    pub body: Range<usize>,
    /// The preamble's trimmed span.
    pub preamble: Option<ByteSpan>,
    /// Lines of a wrapper notice's own numbered items, when it also attaches a document: a
    /// tree of their own, read beside the attached document's.
    pub notice_items: Option<Range<usize>>,
}

/// The notice metadata, as written (dates as `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaInfo {
    /// Title of the policy document itself.
    pub title: Option<String>,
    /// Title of the wrapper notice.
    pub notice_title: Option<String>,
    /// 文号.
    pub doc_number: Option<String>,
    /// A page's 发布日期.
    pub published: Option<String>,
    /// The 落款 date.
    pub date: Option<String>,
    /// 此件公开发布 or similar.
    pub publicity: Option<String>,
    /// 发文机关, in order.
    pub issuers: Vec<String>,
    /// 主送机关.
    pub recipients: Vec<String>,
}

impl MetaInfo {
    /// The year of the document's date, if it has one.
    pub fn year(&self) -> Option<i32> {
        self.date.as_deref()?.get(..4)?.parse().ok()
    }
}

/// Reads a date from captures with groups `y`, `m`, `d` (Arabic or Chinese numerals).
pub fn date_from(caps: &Caps) -> Option<String> {
    let num = |g: &str| -> Option<u64> {
        let s = caps.name(g)?.as_str();
        arabic_integer(s).or_else(|| chinese_integer(s))
    };
    let (y, m, d) = (num("y")?, num("m")?, num("d")?);
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// What a cue yields for a span: its `value` group (or whole match) as a span.
pub fn cue_value(cue: &Cue, text: &Text, span: &ByteSpan) -> Option<ByteSpan> {
    let caps = cue.regex.captures(text.normalised(span))?;
    let m = caps.name("value").or_else(|| caps.get(0))?;
    Some(span.start + m.start()..span.start + m.end())
}

struct Reader<'a> {
    text: &'a Text,
    lines: &'a [Line],
    cues: &'a MetaCues,
    /// A body's name on its own (from the department rules).
    body: &'a Pattern,
    kinds: Vec<LineKind>,
    heading_start: &'a [bool],
    /// Lines that begin with a heading marker of any family.
    marked: &'a [bool],
}

impl Reader<'_> {
    fn s(&self, i: usize) -> &str {
        self.text.normalised(&self.lines[i].content)
    }

    fn orig(&self, i: usize) -> &str {
        self.text.as_written(&self.lines[i].content)
    }

    fn is_content(&self, i: usize) -> bool {
        !matches!(self.kinds[i], LineKind::Blank | LineKind::Chrome)
    }

    fn next_content(&self, from: usize, to: usize) -> Option<usize> {
        (from..to).find(|&i| self.is_content(i))
    }

    fn matches(&self, cue: &Cue, i: usize) -> bool {
        cue.regex.is_match(self.s(i))
    }

    fn date_line(&self, i: usize) -> Option<String> {
        self.cues
            .date_line
            .regex
            .captures(self.s(i))
            .and_then(|c| date_from(&c))
    }

    /// A date line in brackets (`(2023年1月2日)`), which documents of the central authorities
    /// put under their title.
    fn bracketed_date(&self, i: usize) -> Option<String> {
        let inner = self.s(i).strip_prefix('(')?.strip_suffix(')')?.trim();
        self.cues
            .date_line
            .regex
            .captures(inner)
            .and_then(|c| date_from(&c))
    }

    fn value(&self, cue: &Cue, i: usize) -> Option<String> {
        cue_value(cue, self.text, &self.lines[i].content)
            .map(|s| self.text.as_written(&s).to_string())
    }

    /// The issuing bodies named on a signature or header line, if the line is only that.
    fn issuer_names(&self, i: usize) -> Option<Vec<String>> {
        issuer_list(&self.cues.issuer, self.orig(i))
    }

    fn title_like(&self, i: usize) -> bool {
        let s = self.s(i);
        let n = s.chars().count();
        (2..=100).contains(&n)
            && !s.contains('。')
            && !s.ends_with([':', ',', ';'])
            && !self.heading_start[i]
            && !self.marked[i]
            && !self.matches(&self.cues.annex, i)
            && self.date_line(i).is_none()
            && !self.matches(&self.cues.doc_number, i)
    }

    /// Joins title lines from `first` until one ends like a title (`end` cue), up to four
    /// lines; falls back to the first line alone. Returns the title and its line indices.
    fn title_at(&self, first: usize, limit: usize, end: &Cue) -> (String, Vec<usize>) {
        let mut idx = vec![first];
        let mut joined = unmarked(self.orig(first)).to_string();
        let mut norm = unmarked(self.s(first)).to_string();
        let mut cur = first;
        while !end.regex.is_match(&norm) && idx.len() < 4 {
            let Some(next) = self.next_content(cur + 1, limit) else {
                break;
            };
            if !self.title_like(next) || self.matches(&self.cues.recipients, next) {
                break;
            }
            joined.push_str(self.orig(next));
            norm.push_str(self.s(next));
            idx.push(next);
            cur = next;
        }
        if !end.regex.is_match(&norm) {
            return (unmarked(self.orig(first)).to_string(), vec![first]);
        }
        (joined, idx)
    }

    /// The wrapper's own numbered items before its 落款 date `d`: from the first line that can
    /// begin a tree to an annex label, a closing formula or the signature, holding at least two
    /// numbered lines, none of them after an annex label.
    fn own_items(&self, d: usize) -> Option<Range<usize>> {
        let cues = self.cues;
        let start = (0..d).find(|&i| self.is_content(i) && self.heading_start[i])?;
        if (0..start).any(|i| self.is_content(i) && self.matches(&cues.annex, i)) {
            return None;
        }
        let end = (start + 1..d)
            .find(|&i| {
                self.is_content(i)
                    && (self.matches(&cues.annex, i)
                        || self.matches(&cues.closing, i)
                        || self.issuer_names(i).is_some())
            })
            .unwrap_or(d);
        let items = (start..end)
            .filter(|&i| self.is_content(i) && self.marked[i])
            .count();
        (items >= 2).then_some(start..end)
    }

    /// Whether a document with a title of its own follows the 落款 date `d` (after a publicity
    /// note and an annex label): not a list or a table.
    fn attaches_document(&self, d: usize) -> bool {
        let n = self.lines.len();
        let cues = self.cues;
        let mut pos = d + 1;
        if let Some(p) = self
            .next_content(pos, n)
            .filter(|&p| self.matches(&cues.publicity, p))
        {
            pos = p + 1;
        }
        let not_a_list = |title: &str| {
            !cues
                .list_title
                .regex
                .is_match(&crate::base::text::normalize_str(title))
        };
        if let Some(a) = self
            .next_content(pos, n)
            .filter(|&a| self.matches(&cues.annex, a))
        {
            if !self.annex_label(a) {
                // Label and title on one line: `附件：某区城市更新实施方案`.
                let s = self.s(a);
                let rest = cues
                    .annex
                    .regex
                    .find(s)
                    .map_or("", |m| &s[m.end()..])
                    .trim();
                return !rest.is_empty()
                    && rest.chars().count() <= 60
                    && !rest.contains(['。', ';'])
                    && not_a_list(rest);
            }
            pos = a + 1;
        }
        self.next_content(pos, n).is_some_and(|t| {
            self.title_like(t) && {
                let (title, _) = self.title_at(t, n, &cues.title_end);
                not_a_list(&title)
            }
        })
    }

    /// An annex label on a line of its own (`附件1`), above an attached document's title.
    fn annex_label(&self, i: usize) -> bool {
        self.matches(&self.cues.annex, i) && self.s(i).chars().count() <= 6
    }

    /// The first 落款 date in `from..to` that stands below a signature (issuer lines, and maybe a
    /// bracketed note such as `(…代章)` between).
    fn signature_date(&self, from: usize, to: usize) -> Option<usize> {
        (from..to).find(|&j| {
            self.is_content(j) && self.date_line(j).is_some() && {
                let mut above = (from..j).rev().filter(|&i| self.is_content(i));
                match above.next() {
                    Some(i) if self.bracket_note(i) => above.next(),
                    other => other,
                }
                .is_some_and(|i| self.issuer_names(i).is_some())
            }
        })
    }

    /// A short note in brackets on a line of its own (`(上海市规划和自然资源局代章)`).
    fn bracket_note(&self, i: usize) -> bool {
        let s = self.s(i);
        s.starts_with('(') && s.ends_with(')') && s.chars().count() <= 40
    }

    /// Whether the lines from the annex label `a` to the 落款 date `d` are only a list of the
    /// annexes and the signature: short lines, no sentences.
    fn annex_list(&self, a: usize, d: usize) -> bool {
        (a..d)
            .filter(|&i| self.is_content(i))
            .all(|i| self.s(i).chars().count() <= 80 && !self.s(i).contains('。'))
    }

    fn mark(&mut self, idx: &[usize], kind: LineKind) {
        for &i in idx {
            self.kinds[i] = kind;
        }
    }

    fn recipients(&self, i: usize) -> Vec<String> {
        let Some(v) = cue_value(&self.cues.recipients, self.text, &self.lines[i].content) else {
            return Vec::new();
        };
        // Split at commas where there are any (`各镇党委、政府,各街道…`), else at 、 where
        // every piece can stand alone as a body (not `各相关单位、部门`).
        let mut parts = split_top_level(self.text, &v, &[',', ';']);
        if parts.len() == 1 {
            let pieces = split_top_level(self.text, &v, &['、']);
            if pieces
                .iter()
                .all(|p| self.body.is_match(self.text.normalised(p)))
            {
                parts = pieces;
            }
        }
        parts
            .iter()
            .map(|s| self.text.as_written(s).to_string())
            .collect()
    }
}

/// A title line without the marks of a Markdown heading (`# 关于…的通知`).
fn unmarked(s: &str) -> &str {
    let t = s.trim_start_matches('#');
    if t.len() == s.len() {
        s
    } else {
        t.trim_start()
    }
}

/// The issuing bodies named in `s`, if it is only that: they stand apart by spaces or `、`
/// (`国务院办公厅、中央军委办公厅`, `中共中央 国务院`) or are run together
/// ([`split_concatenated`]).
fn issuer_list(issuer: &Cue, s: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for part in s
        .split(|c: char| c.is_whitespace() || c == '、')
        .filter(|p| !p.is_empty())
    {
        names.extend(split_concatenated(issuer, part)?);
    }
    (!names.is_empty()).then_some(names)
}

/// Splits `name` into issuing bodies when several are run together without a space
/// (`黄浦区发展和改革委员会黄浦区建设和管理委员会`): a split falls where one issuer name ends
/// and the next begins with the same place prefix as the first. `None` if `name` is not an
/// issuer name at all.
pub fn split_concatenated(issuer: &Cue, name: &str) -> Option<Vec<String>> {
    let norm = crate::base::text::normalize_str(name);
    if !issuer.regex.is_match(&norm) {
        return None;
    }
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    for plen in [3usize, 2] {
        if chars.len() < plen * 2 + 2 {
            continue;
        }
        let prefix_end = chars[plen].0;
        let prefix = &name[..prefix_end];
        let mut cuts = Vec::new();
        for &(b, _) in chars.iter().skip(plen + 2) {
            if name[b..].starts_with(prefix) {
                cuts.push(b);
            }
        }
        let mut out = Vec::new();
        let mut start = 0;
        for &cut in &cuts {
            let piece = &name[start..cut];
            if issuer
                .regex
                .is_match(&crate::base::text::normalize_str(piece))
            {
                out.push(piece.to_string());
                start = cut;
            }
        }
        if !out.is_empty() {
            let last = &name[start..];
            if issuer
                .regex
                .is_match(&crate::base::text::normalize_str(last))
            {
                out.push(last.to_string());
                return Some(out);
            }
        }
    }
    Some(vec![name.to_string()])
}

/// What the stages before know of each line.
#[derive(Debug, Clone, Copy)]
pub struct LineMarks<'a> {
    /// Whether the line is page chrome, and the header fields it carries.
    pub chrome: &'a [Option<ChromeHit>],
    /// Whether a heading tree can begin on the line (a marker with ordinal 1).
    pub heading_start: &'a [bool],
    /// Whether the line begins with a heading marker of any family.
    pub marked: &'a [bool],
}

/// Reads the metadata and lays out the document; `body` is what a body's name looks like on
/// its own (from the department rules), which tells an issuer line from text.
pub fn read(
    text: &Text,
    lines: &[Line],
    marks: LineMarks,
    cues: &MetaCues,
    body: &Pattern,
    diags: &mut Vec<Diag>,
) -> (MetaInfo, Layout) {
    let LineMarks {
        chrome,
        heading_start,
        marked,
    } = marks;
    let n = lines.len();
    let kinds = (0..n)
        .map(|i| {
            if chrome[i].is_some() {
                LineKind::Chrome
            } else if lines[i].is_blank() {
                LineKind::Blank
            } else {
                LineKind::Unclassified
            }
        })
        .collect();
    let mut r = Reader {
        text,
        lines,
        cues,
        body,
        kinds,
        heading_start,
        marked,
    };
    let mut meta = MetaInfo::default();
    let first_heading_after =
        |r: &Reader, from: usize| (from..n).find(|&i| r.is_content(i) && heading_start[i]);

    let wrapper_date = (0..n).find(|&i| {
        r.is_content(i)
            && r.date_line(i).is_some()
            && first_heading_after(&r, i + 1).is_some()
            && (i + 1..n).filter(|&j| r.is_content(j)).count() >= 2
    });

    // A notice with numbered items of its own followed by a list or a table, not by an
    // attached document, is the document itself: its items are the tasks.
    let wrapper_date = wrapper_date.filter(|&d| r.own_items(d).is_none() || r.attaches_document(d));

    let mut head = Head::default();
    let mut notice_items = None;
    let pos = match wrapper_date {
        Some(d) => {
            let pos = read_wrapped_head(&mut r, d, &mut meta, &mut head);
            notice_items = r.own_items(d);
            if let Some(items) = &notice_items {
                let idx: Vec<usize> = items.clone().filter(|&i| r.is_content(i)).collect();
                r.mark(&idx, LineKind::Body);
                diags.push(Diag::warning(
                    Code::NoticeItems,
                    format!(
                        "the notice's own numbered items (lines {}–{}) are read as tasks n1, n2, …, beside the attached document's",
                        items.start + 1,
                        items.end
                    ),
                    Some(lines[items.start].content.clone()),
                ));
            }
            pos
        }
        None => read_plain_head(&mut r, &mut meta, &mut head),
    };
    let body_start = first_heading_after(&r, pos);
    let (layout_body, preamble) = lay_out(&mut r, pos, body_start, &mut meta, &mut head, diags);
    if meta.date.is_none() {
        meta.date = head.title_date.take();
    }
    meta.issuers = choose_issuers(cues, &meta, head);
    apply_chrome_fields(text, chrome, cues, &mut meta);

    let layout = Layout {
        kinds: r.kinds,
        body: layout_body,
        preamble,
        notice_items,
    };
    (meta, layout)
}

/// Issuers and dates found around the title and signature, before one is chosen.
#[derive(Debug, Default)]
struct Head {
    /// Issuers on lines above the title (`中共中央 国务院`).
    header_issuers: Vec<String>,
    /// Issuers of the wrapper's signature.
    signature: Vec<String>,
    /// Issuers of a signature at the end of the document.
    trailing: Vec<String>,
    /// A date in brackets under the title, which a 落款 date overrides.
    title_date: Option<String>,
}

/// The head of a wrapped document: the notice before the 落款 date `d`, then the attached
/// document's title. Returns the first line after them.
fn read_wrapped_head(r: &mut Reader, d: usize, meta: &mut MetaInfo, head: &mut Head) -> usize {
    let n = r.lines.len();
    let cues = r.cues;
    read_wrapper(r, d, meta, &mut head.header_issuers, &mut head.signature);
    meta.date = r.date_line(d);
    r.kinds[d] = LineKind::Meta;
    let mut pos = d + 1;
    if let Some(p) = r.next_content(pos, n) {
        if let Some(v) = r.value(&cues.publicity, p) {
            meta.publicity = Some(v);
            r.kinds[p] = LineKind::Meta;
            pos = p + 1;
        }
    }
    // An annex label (`附件1`) above the attached document's title.
    if let Some(a) = r.next_content(pos, n) {
        if r.annex_label(a) {
            r.kinds[a] = LineKind::Meta;
            pos = a + 1;
        }
    }
    if let Some(t) = r.next_content(pos, n) {
        if r.title_like(t) {
            let (title, idx) = r.title_at(t, n, &cues.title_end);
            meta.title = Some(title);
            pos = idx.last().map_or(t, |&l| l) + 1;
            r.mark(&idx, LineKind::Meta);
        }
    }
    if meta.title.is_none() {
        meta.title = meta.notice_title.as_deref().and_then(quoted_name);
    }
    pos
}

/// The head of a document without a wrapper: issuer lines, the title, and the 文号, date and
/// recipients right below it. Returns the first line after them.
fn read_plain_head(r: &mut Reader, meta: &mut MetaInfo, head: &mut Head) -> usize {
    let n = r.lines.len();
    let cues = r.cues;
    let mut pos = 0;
    let mut first = r.next_content(0, n);
    // An issuer header above the title (`中共中央 国务院`).
    while let Some(i) = first {
        let Some(nx) = r.next_content(i + 1, n) else {
            break;
        };
        if meta.doc_number.is_none() && r.matches(&cues.doc_number, i) {
            meta.doc_number = r.value(&cues.doc_number, i);
        } else if let Some(names) = r.issuer_names(i) {
            head.header_issuers.extend(names);
        } else {
            break;
        }
        r.kinds[i] = LineKind::Meta;
        first = Some(nx);
    }
    let Some(t) = first else {
        return pos;
    };
    pos = t;
    if !r.title_like(t) {
        return pos;
    }
    let (title, idx) = r.title_at(t, n, &cues.title_end);
    let key = squash(&title);
    meta.title = Some(title);
    pos = idx.last().map_or(t, |&l| l) + 1;
    r.mark(&idx, LineKind::Meta);
    // 文号, date and recipients right below the title (and the title again, where an export
    // put it above the document as a heading of its own).
    while let Some(i) = r.next_content(pos, n) {
        if r.heading_start[i] {
            break;
        }
        if squash(r.orig(i)) == key {
        } else if meta.doc_number.is_none() && r.matches(&cues.doc_number, i) {
            meta.doc_number = r.value(&cues.doc_number, i);
        } else if let Some(d) = head
            .title_date
            .is_none()
            .then(|| r.bracketed_date(i))
            .flatten()
        {
            head.title_date = Some(d);
        } else if meta.recipients.is_empty() && r.matches(&cues.recipients, i) {
            meta.recipients = r.recipients(i);
        } else {
            break;
        }
        r.kinds[i] = LineKind::Meta;
        pos = i + 1;
    }
    dateless_wrapper(r, meta, &mut pos, &mut head.signature);
    pos
}

/// Lays out what follows the head: the preamble up to the first heading, the body, an annex and
/// the back matter; or, without headings, the text as unclassified. Returns the body's lines
/// and the preamble's span.
fn lay_out(
    r: &mut Reader,
    pos: usize,
    body_start: Option<usize>,
    meta: &mut MetaInfo,
    head: &mut Head,
    diags: &mut Vec<Diag>,
) -> (Range<usize>, Option<ByteSpan>) {
    let n = r.lines.len();
    let cues = r.cues;
    let lines = r.lines;
    let Some(b) = body_start else {
        let end = read_back_matter(r, pos, n, meta, &mut head.trailing);
        let rest: Vec<usize> = (pos..end).filter(|&i| r.is_content(i)).collect();
        if !(0..n).any(|i| r.is_content(i)) {
            diags.push(Diag::warning(
                Code::EmptyDocument,
                "the document has no text besides whitespace and page chrome".to_string(),
                None,
            ));
        } else {
            diags.push(Diag::warning(
                Code::NoHeadings,
                "no numbered headings were found; the body is kept as unclassified text"
                    .to_string(),
                rest.first().map(|&f| lines[f].content.clone()),
            ));
        }
        return (n..n, None);
    };
    let mut preamble = None;
    let pre: Vec<usize> = (pos..b).filter(|&i| r.is_content(i)).collect();
    if let (Some(&f), Some(&l)) = (pre.first(), pre.last()) {
        preamble = Some(lines[f].content.start..lines[l].content.end);
        r.mark(&pre, LineKind::Preamble);
    }
    let label = (b + 1..n).find(|&i| r.is_content(i) && r.matches(&cues.annex, i));
    let (limit, annex) = match r.signature_date(b + 1, n) {
        // Signed before any annex label, or with only the list of annexes (`附件：…`) between:
        // the body ends at the signature, and what follows it is an annex, labelled or not.
        Some(d) if label.is_none_or(|a| a > d || r.annex_list(a, d)) => {
            let mut after = d + 1;
            if let Some(p) = r
                .next_content(after, n)
                .filter(|&p| r.matches(&cues.publicity, p))
            {
                after = p + 1;
            }
            (after, r.next_content(after, n))
        }
        _ => (label.unwrap_or(n), label),
    };
    let mut end = read_back_matter(r, b + 1, limit, meta, &mut head.trailing);
    if let Some(a) = label.filter(|&a| a < end) {
        let idx: Vec<usize> = (a..end).filter(|&i| r.is_content(i)).collect();
        r.mark(&idx, LineKind::Meta);
        end = a;
    }
    // The annex stage reads the task tables of these lines, and reports an annex without one.
    if let Some(a) = annex {
        let idx: Vec<usize> = (a..n).filter(|&i| r.is_content(i)).collect();
        r.mark(&idx, LineKind::Annex);
    }
    let idx: Vec<usize> = (b..end).filter(|&i| r.is_content(i)).collect();
    r.mark(&idx, LineKind::Body);
    (b..end, preamble)
}

/// The issuers: the signature, else a header line, else the signature at the end, else the
/// title's issuer prefix (a page header field may still fill them).
fn choose_issuers(cues: &MetaCues, meta: &MetaInfo, head: Head) -> Vec<String> {
    if !head.signature.is_empty() {
        return head.signature;
    }
    if !head.header_issuers.is_empty() {
        return head.header_issuers;
    }
    if !head.trailing.is_empty() {
        return head.trailing;
    }
    meta.notice_title
        .as_deref()
        .or(meta.title.as_deref())
        .and_then(|t| {
            let norm = crate::base::text::normalize_str(t);
            let caps = cues.title_issuer.regex.captures(&norm)?;
            let m = caps.name("value")?;
            let orig: String = t.chars().take(m.as_str().chars().count()).collect();
            issuer_list(&cues.issuer, &orig)
        })
        .unwrap_or_default()
}

/// The wrapper notice: lines before the 落款 date `d`.
fn read_wrapper(
    r: &mut Reader,
    d: usize,
    meta: &mut MetaInfo,
    header_issuers: &mut Vec<String>,
    signature: &mut Vec<String>,
) {
    let cues = r.cues;
    let content: Vec<usize> = (0..d).filter(|&i| r.is_content(i)).collect();
    r.mark(&content, LineKind::Meta);
    let mut k = 0;
    // Above the notice title: issuer lines and the 文号, in either order (红头 layouts put the
    // 文号 first).
    while k + 1 < content.len() {
        let line = content[k];
        if meta.doc_number.is_none() && r.matches(&cues.doc_number, line) {
            meta.doc_number = r.value(&cues.doc_number, line);
        } else if let Some(names) = r.issuer_names(line) {
            header_issuers.extend(names);
        } else {
            break;
        }
        k += 1;
    }
    // The notice title: the first title before the addressees that ends like one (a page or an
    // export may put a heading of its own above it).
    let addressees = content[k..]
        .iter()
        .position(|&i| r.matches(&cues.recipients, i))
        .map_or(content.len(), |p| k + p);
    let found = (k..addressees).find_map(|j| {
        let t = content[j];
        if !r.title_like(t) {
            return None;
        }
        let (title, idx) = r.title_at(t, d, &cues.notice_title);
        let norm = crate::base::text::normalize_str(&title);
        if !cues.notice_title.regex.is_match(&norm) {
            return None;
        }
        // A title begins at its `X关于` line where the line joined right above it is a short
        // one that cannot begin a title, a heading of a page or an export (`政策全文`); else
        // after the export's headings (`## 政策全文`) it begins with. A wrapped title keeps its
        // first line (`…办公厅转发市住房城乡建设管理委等` / `四部门关于…的通知`).
        let heading_above = |i: usize| {
            let s = r.s(i);
            s.chars().count() <= 8
                && !["关于", "转发", "批转", "印发"]
                    .iter()
                    .any(|w| s.contains(w))
                && !s.ends_with(['等', '、', '和', '及'])
        };
        let markdown_heading = |i: usize| r.text.as_written(&r.lines[i].span).starts_with('#');
        let start = idx[1..]
            .iter()
            .position(|&i| r.matches(&cues.title_issuer, i))
            .filter(|&p| heading_above(idx[p]))
            .map(|p| p + 1)
            .unwrap_or_else(|| {
                idx[..idx.len() - 1]
                    .iter()
                    .take_while(|&&i| markdown_heading(i) && heading_above(i))
                    .count()
            });
        if start == 0 {
            return Some((j, title, idx.len()));
        }
        let rest = r.title_at(idx[start], d, &cues.notice_title).0;
        Some((j + start, rest, idx.len() - start))
    });
    match found {
        Some((j, title, len)) => {
            meta.notice_title = Some(title);
            k = j + len;
        }
        None if k < content.len() => {
            let (_, idx) = r.title_at(content[k], d, &cues.notice_title);
            k += idx.len();
        }
        None => {}
    }
    // Signature: issuer lines right above the date.
    let mut sig_start = content.len();
    while sig_start > k && r.issuer_names(content[sig_start - 1]).is_some() {
        sig_start -= 1;
    }
    for &i in &content[sig_start..] {
        signature.extend(r.issuer_names(i).unwrap_or_default());
    }
    for &i in &content[k..sig_start] {
        if meta.doc_number.is_none() && r.matches(&cues.doc_number, i) {
            meta.doc_number = r.value(&cues.doc_number, i);
        } else if meta.recipients.is_empty() && r.matches(&cues.recipients, i) {
            meta.recipients = r.recipients(i);
        } else if meta.publicity.is_none() && r.matches(&cues.publicity, i) {
            meta.publicity = r.value(&cues.publicity, i);
        }
    }
}

/// A wrapper whose 落款 date is missing: the title is a notice naming 《X》 and a line `X`
/// follows before the first heading. The lines in between are the notice.
fn dateless_wrapper(
    r: &mut Reader,
    meta: &mut MetaInfo,
    pos: &mut usize,
    signature: &mut Vec<String>,
) {
    let Some(title) = meta.title.clone() else {
        return;
    };
    if !r
        .cues
        .notice_title
        .regex
        .is_match(&crate::base::text::normalize_str(&title))
    {
        return;
    }
    let Some(name) = quoted_name(&title) else {
        return;
    };
    let key = squash(&name);
    let n = r.lines.len();
    let Some(k) = (*pos..n)
        .take_while(|&i| !r.heading_start[i])
        .find(|&i| r.is_content(i) && squash(r.orig(i)) == key)
    else {
        return;
    };
    let between: Vec<usize> = (*pos..k).filter(|&i| r.is_content(i)).collect();
    r.mark(&between, LineKind::Meta);
    let mut sig_end = between.len();
    while sig_end > 0 && r.issuer_names(between[sig_end - 1]).is_some() {
        sig_end -= 1;
    }
    for &i in &between[sig_end..] {
        signature.extend(r.issuer_names(i).unwrap_or_default());
    }
    for &i in &between {
        if meta.publicity.is_none() && r.matches(&r.cues.publicity, i) {
            meta.publicity = r.value(&r.cues.publicity, i);
        }
    }
    meta.notice_title = Some(title);
    meta.title = Some(r.orig(k).to_string());
    r.kinds[k] = LineKind::Meta;
    *pos = k + 1;
}

/// Signature, date and publicity note at the end of `from..to`; returns where they begin.
fn read_back_matter(
    r: &mut Reader,
    from: usize,
    to: usize,
    meta: &mut MetaInfo,
    trailing: &mut Vec<String>,
) -> usize {
    let content: Vec<usize> = (from..to).filter(|&i| r.is_content(i)).collect();
    let mut k = content.len();
    let mut found_date = false;
    if k > 0 {
        if let Some(v) = r.value(&r.cues.publicity, content[k - 1]) {
            if meta.publicity.is_none() {
                meta.publicity = Some(v);
            }
            r.kinds[content[k - 1]] = LineKind::Meta;
            k -= 1;
        }
    }
    if k > 0 {
        if let Some(date) = r.date_line(content[k - 1]) {
            if meta.date.is_none() {
                meta.date = Some(date);
            }
            r.kinds[content[k - 1]] = LineKind::Meta;
            k -= 1;
            found_date = true;
        }
    }
    if found_date {
        if k > 0 && r.bracket_note(content[k - 1]) {
            r.kinds[content[k - 1]] = LineKind::Meta;
            k -= 1;
        }
        let mut names = Vec::new();
        while k > 0 {
            match r.issuer_names(content[k - 1]) {
                Some(n) => {
                    names.splice(0..0, n);
                    r.kinds[content[k - 1]] = LineKind::Meta;
                    k -= 1;
                }
                None => break,
            }
        }
        trailing.extend(names);
    }
    if k == content.len() { to } else { content[k] }
}

/// Fills metadata that only a page header provides.
fn apply_chrome_fields(
    text: &Text,
    chrome: &[Option<ChromeHit>],
    cues: &MetaCues,
    meta: &mut MetaInfo,
) {
    for (field, span) in chrome.iter().flatten().flat_map(|h| &h.fields) {
        let value = text.as_written(span).trim();
        if value.is_empty() {
            continue;
        }
        let date = || {
            cues.date_value
                .regex
                .captures(text.normalised(span))
                .and_then(|c| date_from(&c))
        };
        match field {
            HeaderField::Published if meta.published.is_none() => meta.published = date(),
            HeaderField::Date if meta.date.is_none() => meta.date = date(),
            HeaderField::DocNumber if meta.doc_number.is_none() => {
                meta.doc_number = Some(value.to_string());
            }
            HeaderField::Issuers if meta.issuers.is_empty() => {
                // Names that do not read as bodies are still kept, split at any separator.
                meta.issuers = issuer_list(&cues.issuer, value).unwrap_or_else(|| {
                    value
                        .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，'))
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                });
            }
            _ => {}
        }
    }
    if meta.date.is_none() {
        meta.date.clone_from(&meta.published);
    }
}

/// The name inside the first 《…》 of a notice title (the attached document's title).
pub fn quoted_name(title: &str) -> Option<String> {
    let start = title.find('《')? + '《'.len_utf8();
    // Nested 《》 inside the name are written 〈〉; take up to the matching close.
    let mut depth = 1;
    for (i, c) in title[start..].char_indices() {
        match c {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth == 0 {
                    return Some(title[start..start + i].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_run_together_issuers() {
        let rules = crate::rules::Rules::embedded().unwrap();
        let got = split_concatenated(
            &rules.meta.issuer,
            "黄浦区发展和改革委员会黄浦区建设和管理委员会",
        )
        .unwrap();
        assert_eq!(got, ["黄浦区发展和改革委员会", "黄浦区建设和管理委员会"]);
        let got = split_concatenated(&rules.meta.issuer, "上海市普陀区人民政府办公室").unwrap();
        assert_eq!(got, ["上海市普陀区人民政府办公室"]);
        assert!(split_concatenated(&rules.meta.issuer, "到2025年完成").is_none());
    }

    #[test]
    fn quoted_names() {
        assert_eq!(
            quoted_name("关于印发《鄄城县三年行动计划(2023—2025年)》的通知").as_deref(),
            Some("鄄城县三年行动计划(2023—2025年)")
        );
        assert_eq!(quoted_name("无书名号").as_deref(), None);
    }

    #[test]
    fn recipients_split_at_top_level() {
        let t = Text::new("各镇党委、政府，县委和县政府各部门（单位），各人民团体".to_string());
        let parts: Vec<String> = split_top_level(&t, &(0..t.norm().len()), &[',', ';'])
            .iter()
            .map(|s| t.as_written(s).to_string())
            .collect();
        assert_eq!(
            parts,
            ["各镇党委、政府", "县委和县政府各部门（单位）", "各人民团体"]
        );
    }
}
