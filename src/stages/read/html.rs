//! Web pages: the document a saved page carries.
//!
//! Input: the bytes of an HTML page and the [`HtmlRules`] (`rules/html.toml`). Output: a
//! [`Decoded`] text, in this order:
//!
//! 1. the page's header table (索引号, 发文机关, 成文日期, 发文字号, 发布日期 …, the box of a
//!    政务公开 page), one row a line as `| 索引号： | … | 分类： | … |`, which the chrome stage
//!    reads into the metadata as it reads a text's header rows; and a `| 发布日期： | … |` row
//!    from the page's `<meta name="PubDate">` when that table has no date;
//! 2. the page's title (its `<meta name="ArticleTitle">` or the `<h1>` before the content) when
//!    the content does not begin with it;
//! 3. the main content.
//!
//! Everything else on the page is left out of the text: navigation, scripts, styles, forms,
//! share buttons, footers. The header rows are `chrome` blocks of the output.
//!
//! Charset: a byte-order mark; else the charset a `<meta charset>` or `http-equiv` tag declares
//! in the first 8 KiB (`gb2312` reads as GBK; a page that declares another but is valid UTF-8
//! is UTF-8); else found from the bytes as for a text file.
//!
//! Main content: the element that holds the page's Chinese prose (characters of text blocks
//! with sentence punctuation (，。；、) or of 40 characters or more, link text left out). Among elements
//! holding at least half of it, the deepest container `html.toml` names (`TRS_Editor`,
//! `UCAP-CONTENT`, `article-content`, `zoom` …) holding nine tenths of the best one's; without
//! one, the deepest element holding four fifths of the page's prose.
//!
//! Lines: block elements and `<br>` end a line; inline elements never do, so a heading split
//! over `<strong>` tags is one line. Entities are decoded; runs of spaces and line breaks in the
//! source are one space, and none between two Chinese characters; `&nbsp;` is a space and
//! `&emsp;` the ideographic space a text file indents with. A table is one row a line,
//! its cells apart by tabs and laid out on the grid its `rowspan` and `colspan` make (a spanned
//! place is an empty cell); a cell's paragraphs are joined by a space. A table that only lays
//! out the page (one column, or a cell holding a whole text) is read as the blocks it holds.

mod dom;

use std::ops::Range;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::rules::HtmlRules;
use super::text::{self, Decoded};
use super::{Format, TextBuilder};
use dom::{Dom, Kind};

/// Elements whose content is never text a reader sees.
const SKIP: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "select", "option", "button", "input", "textarea", "map", "canvas", "audio", "video", "title",
    "nav",
];

/// Elements that begin and end a line.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
    "caption",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "legend",
];

/// A cell with more lines than this holds a text, not a value: its table lays out the page.
const LAYOUT_CELL_LINES: usize = 12;

/// Grid places a table may have before it is read without its spans.
const MAX_GRID: usize = 200_000;

/// Reads a web page (see the module docs).
pub fn read(bytes: &[u8], rules: &HtmlRules) -> Decoded {
    let page = decode(bytes);
    let dom = dom::parse(&page.text);
    let (text, tables) = extract(&dom, rules);
    let mut out = Decoded::extracted(
        bytes,
        Format::Html,
        page.encoding,
        text,
        tables,
        page.replacements,
    );
    out.bom = page.bom;
    out
}

/// The page's text, decoded by its byte-order mark, its declared charset or its bytes.
fn decode(bytes: &[u8]) -> Decoded {
    if Encoding::for_bom(bytes).is_some() {
        return text::decode(bytes);
    }
    match declared_charset(&bytes[..bytes.len().min(8192)]) {
        // A page saved again as UTF-8 keeps the tag of the charset it had.
        Some(enc) if enc != UTF_8 && std::str::from_utf8(bytes).is_ok_and(|s| !s.is_ascii()) => {
            text::decode(bytes)
        }
        Some(enc) => text::decode_as(bytes, enc),
        None => text::decode(bytes),
    }
}

/// The charset a `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…;
/// charset=…">` declares: a simplified form of the prescan browsers run.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let mut v = &tag[c + b"charset".len()..];
            while let [b' ' | b'=' | b'"' | b'\'', rest @ ..] = v {
                v = rest;
            }
            let len = v
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(v.len());
            if let Some(enc) = Encoding::for_label(&v[..len]) {
                // A page in UTF-16 cannot declare it in ASCII: such a label means UTF-8.
                return Some(if enc == UTF_16LE || enc == UTF_16BE {
                    UTF_8
                } else {
                    enc
                });
            }
        }
        from = end.max(start + 5);
    }
    None
}

/// What a node's subtree holds, counted in Chinese characters.
#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    /// Characters of prose: text blocks with sentence punctuation or 40 characters or more,
    /// outside links.
    prose: usize,
    /// Bytes of visible text.
    len: usize,
    /// The header labels its text holds, one bit each.
    labels: u64,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Whether the element at `n` is never read: skipped, hidden, or a widget the rules name.
fn unread(dom: &Dom, n: usize, rules: &HtmlRules) -> bool {
    dom.element(n).is_some_and(|e| {
        e.hidden || SKIP.contains(&e.tag.as_str()) || rules.chrome.iter().any(|name| e.named(name))
    })
}

/// Per node: what its subtree holds (bottom-up; nodes are in document order).
fn stats(dom: &Dom, rules: &HtmlRules) -> Vec<Stat> {
    let n = dom.nodes.len();
    // Top-down: whether a node is read at all, inside a link, and its nearest block.
    let mut read = vec![true; n];
    let mut link = vec![false; n];
    let mut block = vec![0usize; n];
    for v in 1..n {
        let p = dom.nodes[v].parent;
        read[v] = read[p] && !unread(dom, v, rules);
        let (tag, is_block) = dom.element(p).map_or(("", true), |e| {
            (e.tag.as_str(), BLOCK.contains(&e.tag.as_str()))
        });
        link[v] = link[p] || tag == "a";
        block[v] = if is_block { p } else { block[p] };
    }
    let mut st = vec![Stat::default(); n];
    let mut block_cjk = vec![0usize; n];
    let mut block_punct = vec![0usize; n];
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    for v in 1..n {
        let Kind::Text(t) = &dom.nodes[v].kind else {
            continue;
        };
        if !read[v] {
            continue;
        }
        st[v].len = t.len();
        let squashed = squash(t);
        for (i, label) in rules.header_labels.iter().enumerate().take(64) {
            if squashed.contains(label.as_str()) {
                st[v].labels |= 1 << i;
            }
        }
        if !link[v] {
            block_cjk[block[v]] += t.chars().filter(|&c| is_cjk(c)).count();
            // Not `：`: a label (`发布机构：`) is no sentence.
            block_punct[block[v]] += t.chars().filter(|c| "，。；、".contains(*c)).count();
        }
    }
    for v in 0..n {
        if block_cjk[v] > 0 && (block_punct[v] > 0 || block_cjk[v] >= 40) {
            st[v].prose += block_cjk[v];
        }
    }
    for v in (1..n).rev() {
        if !read[v] {
            st[v] = Stat::default();
            continue;
        }
        let p = dom.nodes[v].parent;
        let s = st[v];
        st[p].prose += s.prose;
        st[p].len += s.len;
        st[p].labels |= s.labels;
    }
    st
}

/// The element that holds the page's document (see the module docs).
fn main_content(dom: &Dom, st: &[Stat], rules: &HtmlRules) -> usize {
    let total = st[0].prose;
    if total == 0 {
        return 0;
    }
    let elements = || (1..dom.nodes.len()).filter(|&n| dom.element(n).is_some());
    let named = |n: usize| {
        dom.element(n)
            .is_some_and(|e| rules.containers.iter().any(|c| e.named(c)))
    };
    let hinted: Vec<usize> = elements()
        .filter(|&n| named(n) && st[n].prose * 2 >= total)
        .collect();
    let deepest = |it: &mut dyn Iterator<Item = usize>| {
        it.fold(None, |best: Option<usize>, n| match best {
            Some(b) if dom.nodes[b].depth >= dom.nodes[n].depth => Some(b),
            _ => Some(n),
        })
    };
    if let Some(best) = hinted.iter().map(|&n| st[n].prose).max() {
        let mut near = hinted
            .iter()
            .copied()
            .filter(|&n| st[n].prose * 10 >= best * 9);
        if let Some(n) = deepest(&mut near) {
            return n;
        }
    }
    let mut dense = elements().filter(|&n| st[n].prose * 10 >= total * 8);
    deepest(&mut dense).unwrap_or(0)
}

/// Whether `a` is `b` or one of its ancestors.
fn contains(dom: &Dom, a: usize, mut b: usize) -> bool {
    loop {
        if a == b {
            return true;
        }
        if b == 0 {
            return false;
        }
        b = dom.nodes[b].parent;
    }
}

/// The page's header table: the element with the least text that holds three of the header
/// labels (and at most 4,000 bytes of text), unless it holds the main content.
fn header_box(dom: &Dom, st: &[Stat], main: usize) -> Option<usize> {
    (1..dom.nodes.len())
        .filter(|&n| {
            matches!(dom.tag(n), "table" | "div" | "ul" | "ol" | "dl" | "section")
                && st[n].labels.count_ones() >= 3
                && st[n].len <= 4000
                && !contains(dom, n, main)
        })
        // Of a box and the table that fills it, the table.
        .min_by_key(|&n| (st[n].len, std::cmp::Reverse(dom.nodes[n].depth)))
}

/// One line of rendered text, or one row of a table.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Line(String),
    Row(Vec<String>),
    /// The end of a table.
    TableEnd,
}

/// Text as it is rendered, with the whitespace rules of the module docs.
#[derive(Default)]
struct Writer {
    items: Vec<Item>,
    line: String,
    /// Whitespace seen since the last character: `Some(true)` when it held a line break.
    space: Option<bool>,
}

fn cjk_like(c: char) -> bool {
    is_cjk(c) || ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

impl Writer {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                let newline = matches!(c, '\n' | '\r');
                self.space = Some(self.space.unwrap_or(false) || newline);
                continue;
            }
            if let Some(newline) = self.space.take() {
                let prev = self.line.chars().next_back();
                // A line break in the source between two Chinese characters is layout.
                let drop = prev.is_none() || newline && prev.is_some_and(cjk_like) && cjk_like(c);
                if !drop {
                    self.line.push(' ');
                }
            }
            // A no-break space is deliberate (an indent): kept as a space, not collapsed. An
            // em space (`&emsp;`, how pages indent Chinese paragraphs) is the ideographic space
            // of a text file's indents.
            self.line.push(match c {
                '\u{A0}' => ' ',
                '\u{2003}' => '\u{3000}',
                c => c,
            });
        }
    }

    /// Ends the line, if it holds anything.
    fn block(&mut self) {
        self.space = None;
        if !self.line.trim().is_empty() {
            let line = self.line.trim_end().to_string();
            self.items.push(Item::Line(line));
        }
        self.line.clear();
    }

    /// `<br>`: a line break, an empty line when the line is empty.
    fn br(&mut self) {
        self.space = None;
        let line = self.line.trim_end().to_string();
        self.items.push(Item::Line(line));
        self.line.clear();
    }

    fn finish(mut self) -> Vec<Item> {
        self.block();
        self.items
    }
}

/// The lines of the subtree at `n`: a table's rows as lines of cells joined by spaces.
fn lines_of(dom: &Dom, n: usize, rules: &HtmlRules) -> Vec<String> {
    let mut w = Writer::default();
    walk(dom, n, rules, None, &mut w);
    w.finish()
        .into_iter()
        .filter_map(|item| match item {
            Item::Line(l) => Some(l),
            Item::Row(cells) => Some(cells.join(" ")),
            Item::TableEnd => None,
        })
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

/// Renders the subtree at `n`, leaving out `skip` (the header table, read on its own).
fn walk(dom: &Dom, n: usize, rules: &HtmlRules, skip: Option<usize>, w: &mut Writer) {
    if Some(n) == skip || unread(dom, n, rules) {
        return;
    }
    match &dom.nodes[n].kind {
        Kind::Text(t) => w.text(t),
        Kind::Document => {
            for &c in &dom.nodes[n].children {
                walk(dom, c, rules, skip, w);
            }
        }
        Kind::Element(e) => match e.tag.as_str() {
            "br" => w.br(),
            "table" => {
                w.block();
                table(dom, n, rules, skip, w);
            }
            tag => {
                let block = BLOCK.contains(&tag);
                if block {
                    w.block();
                }
                for &c in &dom.nodes[n].children {
                    walk(dom, c, rules, skip, w);
                }
                if block {
                    w.block();
                }
            }
        },
    }
}

/// A table: its rows, or the blocks it lays out.
fn table(dom: &Dom, n: usize, rules: &HtmlRules, skip: Option<usize>, w: &mut Writer) {
    let rows = table_rows(dom, n);
    let cells: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| c.map_or_else(Vec::new, |cell| lines_of(dom, cell, rules)))
                .collect()
        })
        .collect();
    let columns = cells
        .iter()
        .map(|r| r.iter().filter(|c| !c.is_empty()).count())
        .max()
        .unwrap_or(0);
    let layout = columns <= 1 || cells.iter().flatten().any(|c| c.len() > LAYOUT_CELL_LINES);
    if layout {
        // Read as the blocks it holds, each cell in turn.
        for row in &rows {
            for cell in row.iter().flatten() {
                for &c in &dom.nodes[*cell].children {
                    walk(dom, c, rules, skip, w);
                }
                w.block();
            }
        }
        return;
    }
    for row in cells {
        let row: Vec<String> = row.into_iter().map(|lines| lines.join(" ")).collect();
        if row.iter().any(|c| !c.is_empty()) {
            w.items.push(Item::Row(row));
        }
    }
    w.items.push(Item::TableEnd);
}

/// The rows of a table (not of the tables inside it) as a grid: `Some(cell)` where a cell
/// begins, `None` where a spanned cell continues or the row has no cell. Past [`MAX_GRID`]
/// places, spans are left out.
fn table_rows(dom: &Dom, table: usize) -> Vec<Vec<Option<usize>>> {
    let mut trs = Vec::new();
    for &c in &dom.nodes[table].children {
        match dom.tag(c) {
            "tr" => trs.push(c),
            "thead" | "tbody" | "tfoot" => trs.extend(
                dom.nodes[c]
                    .children
                    .iter()
                    .copied()
                    .filter(|&r| dom.tag(r) == "tr"),
            ),
            _ => {}
        }
    }
    let cells = |tr: usize| {
        dom.nodes[tr]
            .children
            .iter()
            .copied()
            .filter(|&c| matches!(dom.tag(c), "td" | "th"))
            .filter(|&c| dom.element(c).is_some_and(|e| !e.hidden))
    };
    let places: usize = trs
        .iter()
        .map(|&tr| {
            cells(tr)
                .map(|c| {
                    dom.element(c)
                        .map_or(1, |e| e.colspan * e.rowspan.min(trs.len()))
                })
                .sum::<usize>()
        })
        .sum();
    let spans = places <= MAX_GRID;
    let mut grid: Vec<Vec<Option<Option<usize>>>> = vec![Vec::new(); trs.len()];
    for (r, &tr) in trs.iter().enumerate() {
        let mut col = 0;
        for cell in cells(tr) {
            let (cs, rs) = match dom.element(cell) {
                Some(e) if spans => (e.colspan, e.rowspan.min(trs.len() - r)),
                _ => (1, 1),
            };
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            for dr in 0..rs {
                let row = &mut grid[r + dr];
                if row.len() < col + cs {
                    row.resize(col + cs, None);
                }
                for dc in 0..cs {
                    row[col + dc] = Some((dr == 0 && dc == 0).then_some(cell));
                }
            }
            col += cs;
        }
    }
    grid.into_iter()
        .map(|r| r.into_iter().map(Option::flatten).collect())
        .collect()
}

/// The text of the subtree at `n` on one line, spaces squashed.
fn one_line(dom: &Dom, n: usize, rules: &HtmlRules) -> String {
    lines_of(dom, n, rules).join(" ")
}

/// Without whitespace, in the width-normalised form.
fn squash(s: &str) -> String {
    crate::base::text::normalize_str(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The page's title: its `<h1>` before the content, or the title its `<meta>` tags give when
/// it has no such heading or one that is not that title.
fn title(dom: &Dom, main: usize, rules: &HtmlRules) -> Option<String> {
    let meta = rules
        .title_metas
        .iter()
        .find_map(|m| dom.meta(m))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    let h1 = (1..main)
        .rev()
        .filter(|&n| dom.tag(n) == "h1" && !contains(dom, n, main))
        .map(|n| one_line(dom, n, rules))
        .find(|t| t.chars().filter(|&c| is_cjk(c)).count() >= 6);
    match (h1, meta) {
        (Some(h), Some(m)) => {
            let (hs, ms) = (squash(&h), squash(&m));
            Some(if hs.contains(&ms) || ms.contains(&hs) {
                h
            } else {
                m
            })
        }
        (h, m) => h.or(m),
    }
}

/// Whether the content begins with `title`: its first lines hold it, without a 文号 in
/// brackets at its end (which titles on pages often add).
fn begins_with(items: &[Item], title: &str) -> bool {
    let mut t = squash(title);
    if t.ends_with(')')
        && t.ends_with("号)")
        && let Some(open) = t.rfind('(')
    {
        t.truncate(open);
    }
    let head: String = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l.as_str()),
            _ => None,
        })
        .take(10)
        .map(squash)
        .collect();
    !t.is_empty() && head.contains(&t)
}

/// The page's header rows, title and content (see the module docs).
fn extract(dom: &Dom, rules: &HtmlRules) -> (String, Vec<Range<usize>>) {
    let st = stats(dom, rules);
    let main = main_content(dom, &st, rules);
    let header = header_box(dom, &st, main);
    let mut out = TextBuilder::default();
    let mut dated = false;
    if let Some(h) = header {
        for row in header_rows(dom, h, rules) {
            dated |= rules
                .date_labels
                .iter()
                .any(|l| squash(&row).contains(l.as_str()));
            out.line(&row);
        }
    }
    if !dated && let Some(date) = rules.date_metas.iter().find_map(|m| dom.meta(m)) {
        out.line(&format!("| 发布日期： | {} |", date.trim()));
    }
    let mut w = Writer::default();
    walk(dom, main, rules, header, &mut w);
    let items = w.finish();
    if let Some(t) = title(dom, main, rules)
        && !begins_with(&items, &t)
    {
        out.line(&t);
    }
    let mut blank = false;
    for item in items {
        match item {
            Item::Line(l) if l.trim().is_empty() => blank = true,
            Item::Line(l) => {
                if std::mem::take(&mut blank) {
                    out.blank();
                }
                out.line(&l);
            }
            Item::Row(cells) => {
                blank = false;
                out.row(&cells);
            }
            Item::TableEnd => out.end_table(),
        }
    }
    out.finish()
}

/// The header table as rows `| key | value | … |` (a table) or as its lines (a list).
fn header_rows(dom: &Dom, n: usize, rules: &HtmlRules) -> Vec<String> {
    if dom.tag(n) != "table" {
        return lines_of(dom, n, rules);
    }
    table_rows(dom, n)
        .into_iter()
        .filter_map(|row| {
            let cells: Vec<String> = row
                .iter()
                .flatten()
                .map(|&c| one_line(dom, c, rules).replace('|', "｜"))
                .collect();
            cells
                .iter()
                .any(|c| !c.is_empty())
                .then(|| format!("| {} |", cells.join(" | ")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> std::sync::Arc<crate::rules::Rules> {
        crate::rules::Rules::embedded().expect("rules")
    }

    fn text_of(html: &str) -> String {
        read(html.as_bytes(), &rules().html).text
    }

    #[test]
    fn blocks_and_br_make_lines_and_inline_tags_do_not() {
        let t = text_of(
            "<html><body><div class=TRS_Editor><p><strong>（</strong><strong>五）加强</strong>评价</p>\
             <p>第一段，\n  内容&nbsp;&ldquo;引号&rdquo;。</p><span>甲，</span><br><span>乙。</span><br><br><p>丙。</p>\
             <script>var x = '不要';</script><style>p{}</style></div></body></html>",
        );
        assert_eq!(
            t,
            "（五）加强评价\n第一段，内容 “引号”。\n甲，\n乙。\n\n丙。\n"
        );
    }

    #[test]
    fn the_main_content_is_found_and_chrome_left_out() {
        let page = "<html><head><title>站点</title><meta name=ArticleTitle content='关于印发某某方案的通知'>\
            <meta name=PubDate content='2024-03-04 10:00'></head><body>\
            <div class=nav><a href=/>首页</a> <a>政务公开</a></div>\
            <h1>关于印发某某方案的通知</h1>\
            <div class=main><div id=zoom><p>各区人民政府：</p><p>现将方案印发给你们，请认真贯彻执行。</p>\
            <p>一、总体要求</p><p>到2025年，建成充电桩300个。</p><div class=share>分享到：微信，微博。</div></div></div>\
            <div class=footer>主办单位：某某市人民政府办公厅，联系电话：12345。</div></body></html>";
        let t = text_of(page);
        assert_eq!(
            t,
            "| 发布日期： | 2024-03-04 10:00 |\n关于印发某某方案的通知\n各区人民政府：\n\
             现将方案印发给你们，请认真贯彻执行。\n一、总体要求\n到2025年，建成充电桩300个。\n"
        );
    }

    #[test]
    fn the_header_table_becomes_header_rows() {
        let page = "<body><div class=classify><table>\
            <tr><td>索 引 号：</td><td>114401/2023-00331</td><td>分类：</td><td></td></tr>\
            <tr><td>发布机构：</td><td>广州市卫生健康委员会</td><td>成文日期：</td><td>2023-10-19</td></tr>\
            <tr><td>文号：</td><td>穗卫函〔2023〕1930号</td><td>发布日期：</td><td>2023-11-07</td></tr></table></div>\
            <div class=article-content><p>各区卫生健康局：</p><p>现印发给你们，请贯彻执行。</p></div></body>";
        let t = text_of(page);
        assert!(
            t.starts_with(
                "| 索 引 号： | 114401/2023-00331 | 分类： |  |\n| 发布机构： | 广州市卫生健康委员会 | 成文日期： | 2023-10-19 |\n"
            ),
            "{t}"
        );
        assert!(
            t.ends_with(
                "| 发布日期： | 2023-11-07 |\n各区卫生健康局：\n现印发给你们，请贯彻执行。\n"
            ),
            "{t}"
        );
    }

    #[test]
    fn tables_keep_their_grid_and_layout_tables_their_blocks() {
        let page = "<body><div class=pages_content><p>附件：任务分工表，如下。</p><table>\
            <tr><th>序号</th><th>任务</th><th>牵头单位</th></tr>\
            <tr><td rowspan=2>1</td><td><p>扩大供给，</p><p>提高质量。</p></td><td>市卫生健康委</td></tr>\
            <tr><td>续行任务。</td><td>市财政局</td></tr></table><p>完。</p></div></body>";
        let d = read(page.as_bytes(), &rules().html);
        assert_eq!(
            d.text,
            "附件：任务分工表，如下。\n序号\t任务\t牵头单位\n1\t扩大供给， 提高质量。\t市卫生健康委\n\t续行任务。\t市财政局\n完。\n"
        );
        assert_eq!(d.tables.len(), 1);
        assert!(
            d.text[d.tables[0].clone()].starts_with("序号")
                && d.text[d.tables[0].clone()].ends_with("市财政局")
        );
        let layout = "<body><table><tr><td><p>一、总体要求，</p><p>二、主要任务，</p></td></tr></table></body>";
        let d = read(layout.as_bytes(), &rules().html);
        assert_eq!(
            (d.text.as_str(), d.tables.len()),
            ("一、总体要求，\n二、主要任务，\n", 0)
        );
    }

    #[test]
    fn the_declared_charset_is_honoured() {
        let body = "<p>关于印发通知的说明，请遵照执行。</p>";
        let mut gbk = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>".to_vec();
        gbk.extend(encoding_rs::GBK.encode(body).0.iter());
        let d = read(&gbk, &rules().html);
        assert_eq!(
            (d.encoding, d.text.as_str()),
            ("GBK", "关于印发通知的说明，请遵照执行。\n")
        );
        // Declared GBK but saved again as UTF-8.
        let utf8 = format!("<meta charset=gbk><body>{body}");
        let d = read(utf8.as_bytes(), &rules().html);
        assert_eq!(
            (d.encoding, d.text.as_str()),
            ("UTF-8", "关于印发通知的说明，请遵照执行。\n")
        );
        // No declaration: found from the bytes.
        let mut bare = b"<html><body>".to_vec();
        bare.extend(encoding_rs::GBK.encode(&body.repeat(20)).0.iter());
        assert_eq!(read(&bare, &rules().html).encoding, "GBK");
    }
}
