//! Word documents (DOCX): the main text, in order.
//!
//! Input: the bytes of a DOCX file (a ZIP package, read within the bounds of
//! `package.rs`). Output: a [`Decoded`] text: one paragraph a line, each numbered
//! paragraph with the marker Word shows for it (`一、`, `（一）`, `1.` …: a heading whose number
//! comes from a list style has no marker in its text, see `docx/numbering.rs`), and each table one row
//! a line, its cells apart by tabs (a cell that spans columns is followed by empty cells, a
//! cell that continues a merge down a column is empty, a table inside a cell is flattened into
//! it).
//!
//! Only the main part (`word/document.xml`, found through the package's relationships), its
//! styles and its numbering are read: headers, footers, footnotes and comments are parts of
//! their own and never mixed into the text. Inside the main part: tracked insertions are kept
//! and deletions dropped, a field shows its result and not its code, hidden runs
//! (`w:vanish`) are left out, a text box is read once (its fallback copy is not), a tab is a
//! space and a line break ends a line. The XML is read without a DTD: no entity is expanded
//! but the five XML defines and character references.

mod numbering;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::package::{Limits, Package};
use super::{Decoded, Failure, Format, TextBuilder};

/// Reads a DOCX file (see the module docs).
///
/// # Errors
/// Not a readable package, a part that would inflate past its limits, no main part, or XML
/// that does not parse.
pub fn read(bytes: &[u8]) -> Result<Decoded, Failure> {
    let damaged = |reason: String| Failure::damaged(Format::Docx, reason);
    let mut pkg = Package::open(bytes, Limits::default()).map_err(damaged)?;
    let main = pkg
        .part("_rels/.rels")
        .map_err(damaged)?
        .and_then(|rels| relationship(&rels, "officeDocument"))
        .map_or_else(|| "word/document.xml".to_string(), |t| resolve("", &t));
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let rels = pkg
        .part(&format!("{dir}/_rels/{file}.rels"))
        .map_err(damaged)?;
    let target = |kind: &str, default: &str| {
        rels.as_deref()
            .and_then(|r| relationship(r, kind))
            .map_or_else(|| format!("{dir}/{default}"), |t| resolve(dir, &t))
    };
    let (styles_part, numbering_part) = (
        target("styles", "styles.xml"),
        target("numbering", "numbering.xml"),
    );
    let document = pkg
        .part(&main)
        .map_err(damaged)?
        .ok_or_else(|| damaged(format!("it has no main part ({main})")))?;
    let styles = pkg
        .part(&styles_part)
        .map_err(damaged)?
        .map(|s| numbering::parse_styles(&s))
        .unwrap_or_default();
    let lists = pkg
        .part(&numbering_part)
        .map_err(damaged)?
        .map(|s| numbering::parse_numbering(&s))
        .unwrap_or_default();
    let (text, tables) = read_document(&document, &lists, &styles).map_err(damaged)?;
    Ok(Decoded::extracted(
        bytes,
        Format::Docx,
        "UTF-8",
        text,
        tables,
        0,
    ))
}

/// The value of the attribute whose local name is `local`.
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let key = a.key.as_ref();
        (key.rsplit(':').next() == Some(local)).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

/// The target of the first relationship of a type ending in `/kind`.
fn relationship(rels: &str, kind: &str) -> Option<String> {
    let mut r = Reader::from_str(rels);
    let suffix = format!("/{kind}");
    loop {
        match r.read_event() {
            Ok(Event::Empty(e) | Event::Start(e))
                if e.local_name().as_ref() == "Relationship"
                    && attr(&e, "Type").is_some_and(|t| t.ends_with(&suffix)) =>
            {
                return attr(&e, "Target");
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// A relationship's target as a part name, from the folder of the part that names it.
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<usize>,
    /// Open fields: `true` while in a field's code, before its result.
    fields: Vec<bool>,
    /// Inside the run properties.
    in_rpr: bool,
    /// The run is hidden.
    hidden: bool,
}

impl Para {
    fn in_code(&self) -> bool {
        self.fields.last().copied().unwrap_or(false)
    }
}

/// A table cell: its lines, the columns it spans, and whether it continues a vertical merge.
#[derive(Default)]
struct Cell {
    lines: Vec<String>,
    span: usize,
    continues: bool,
}

/// A table being read, row by row.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The rows as cells on the grid.
    fn grid(self) -> Vec<Vec<String>> {
        self.rows
            .into_iter()
            .map(|row| {
                let mut out = Vec::new();
                for c in row {
                    out.push(if c.continues {
                        String::new()
                    } else {
                        let parts: Vec<&str> = c
                            .lines
                            .iter()
                            .map(|l| l.trim())
                            .filter(|l| !l.is_empty())
                            .collect();
                        parts.join(" ")
                    });
                    out.extend(std::iter::repeat_n(String::new(), c.span.saturating_sub(1)));
                }
                out
            })
            .collect()
    }
}

/// Where the reader is: what it reads text into.
#[derive(Default)]
struct State {
    paras: Vec<Para>,
    tables: Vec<Table>,
    /// Inside deleted text.
    deleted: usize,
    /// Inside a fallback copy (`mc:Fallback`).
    fallback: usize,
    /// Inside paragraph properties.
    ppr: usize,
    /// Inside a text element (`w:t`).
    in_t: bool,
    /// Inside a field code element (`w:instrText`).
    in_instr: bool,
}

impl State {
    fn cell(&mut self) -> Option<&mut Cell> {
        self.tables.last_mut()?.rows.last_mut()?.last_mut()
    }

    /// Text of a run, unless deleted, hidden or a field's code.
    fn visible(&mut self, s: &str) {
        let deleted = self.deleted > 0;
        if let Some(p) = self.paras.last_mut()
            && !deleted
            && !p.hidden
            && !p.in_code()
        {
            p.text.push_str(s);
        }
    }

    /// A tab or a break: not in deleted text or a field's code.
    fn mark(&mut self, s: &str) {
        let deleted = self.deleted > 0;
        if let Some(p) = self.paras.last_mut()
            && !deleted
            && !p.in_code()
        {
            p.text.push_str(s);
        }
    }
}

/// Reads `word/document.xml` (see the module docs).
fn read_document(
    xml: &str,
    lists: &numbering::Numbering,
    styles: &numbering::Styles,
) -> Result<(String, Vec<std::ops::Range<usize>>), String> {
    let mut r = Reader::from_str(xml);
    let mut counter = numbering::Counter::new(lists, styles);
    let mut out = TextBuilder::default();
    let mut st = State::default();
    loop {
        let event = r.read_event().map_err(|e| {
            format!(
                "its XML does not parse ({e} at byte {})",
                r.buffer_position()
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                start(&mut st, e, empty);
            }
            Event::End(ref e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if st.fallback > 0 {
                    if name == "Fallback" {
                        st.fallback -= 1;
                    }
                    continue;
                }
                match name {
                    "del" | "moveFrom" => st.deleted = st.deleted.saturating_sub(1),
                    "pPr" => st.ppr = st.ppr.saturating_sub(1),
                    "rPr" => {
                        if let Some(p) = st.paras.last_mut() {
                            p.in_rpr = false;
                        }
                    }
                    "t" => st.in_t = false,
                    "instrText" => st.in_instr = false,
                    "p" => end_paragraph(&mut st, &mut counter, &mut out),
                    "tbl" => {
                        let Some(t) = st.tables.pop() else { continue };
                        let rows = t.grid();
                        if let Some(c) = st.cell() {
                            // A table in a cell is flattened into it.
                            c.lines.extend(rows.into_iter().map(|r| r.join(" ")));
                        } else {
                            for row in &rows {
                                out.row(row);
                            }
                            out.end_table();
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if st.in_t && !st.in_instr && st.fallback == 0 => {
                st.visible(&t.xml10_content());
            }
            Event::GeneralRef(g) if st.in_t && !st.in_instr && st.fallback == 0 => {
                // Character references and the five XML entities; no other is expanded.
                let s = match g.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&g)
                        .unwrap_or("")
                        .to_string(),
                };
                st.visible(&s);
            }
            Event::CData(t) if st.in_t && st.fallback == 0 => {
                st.visible(&t.xml10_content());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Paragraphs left open by a cut-off document are read as they are.
    while !st.paras.is_empty() {
        end_paragraph(&mut st, &mut counter, &mut out);
    }
    while let Some(t) = st.tables.pop() {
        for row in &t.grid() {
            out.row(row);
        }
        out.end_table();
    }
    Ok(out.finish())
}

/// An element opens.
fn start(st: &mut State, e: &BytesStart<'_>, empty: bool) {
    let name = e.local_name();
    let name = name.as_ref();
    if st.fallback > 0 {
        if name == "Fallback" && !empty {
            st.fallback += 1;
        }
        return;
    }
    let val = || attr(e, "val");
    match name {
        "Fallback" if !empty => st.fallback = 1,
        "del" | "moveFrom" if !empty => st.deleted += 1,
        "p" if !empty => st.paras.push(Para::default()),
        "pPr" if !empty => st.ppr += 1,
        "pStyle" if st.ppr > 0 => {
            if let Some(p) = st.paras.last_mut() {
                p.style = val();
            }
        }
        "numId" if st.ppr > 0 => {
            if let Some(p) = st.paras.last_mut() {
                p.num_id = val().and_then(|v| v.parse().ok());
            }
        }
        "ilvl" if st.ppr > 0 => {
            if let Some(p) = st.paras.last_mut() {
                p.ilvl = val()
                    .and_then(|v| v.parse().ok())
                    .filter(|&i: &usize| i < 9);
            }
        }
        "r" if !empty => {
            if let Some(p) = st.paras.last_mut() {
                p.hidden = false;
            }
        }
        "rPr" if !empty && st.ppr == 0 => {
            if let Some(p) = st.paras.last_mut() {
                p.in_rpr = true;
            }
        }
        "vanish" | "specVanish" => {
            if let Some(p) = st.paras.last_mut()
                && p.in_rpr
                && !matches!(val().as_deref(), Some("0" | "false" | "off"))
            {
                p.hidden = true;
            }
        }
        "t" if !empty => st.in_t = true,
        "instrText" if !empty => st.in_instr = true,
        "fldChar" => {
            if let Some(p) = st.paras.last_mut() {
                match attr(e, "fldCharType").as_deref() {
                    Some("begin") => p.fields.push(true),
                    Some("separate") => {
                        if let Some(f) = p.fields.last_mut() {
                            *f = false;
                        }
                    }
                    Some("end") => {
                        p.fields.pop();
                    }
                    _ => {}
                }
            }
        }
        "tab" if st.ppr == 0 => st.mark(" "),
        "br" | "cr" => st.mark("\n"),
        "noBreakHyphen" => st.mark("-"),
        "tbl" if !empty => st.tables.push(Table::default()),
        "tr" if !empty => {
            if let Some(t) = st.tables.last_mut() {
                t.rows.push(Vec::new());
            }
        }
        "tc" if !empty => {
            if let Some(row) = st.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                row.push(Cell {
                    span: 1,
                    ..Cell::default()
                });
            }
        }
        "gridSpan" => {
            if let Some(c) = st.cell() {
                c.span = val().and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
            }
        }
        "vMerge" => {
            if let Some(c) = st.cell() {
                c.continues = val().as_deref() != Some("restart");
            }
        }
        _ => {}
    }
}

/// A paragraph closes: its marker and text go to the open cell, or become a line.
fn end_paragraph(st: &mut State, counter: &mut numbering::Counter<'_>, out: &mut TextBuilder) {
    let Some(p) = st.paras.pop() else { return };
    let marker = counter.next(p.style.as_deref(), p.num_id, p.ilvl);
    let mut text = p.text;
    if let Some(m) = marker {
        // A marker that ends in punctuation runs into its text (`一、总体要求`); one that
        // does not is followed by a space (`第一条 总则`).
        let joined = m.is_empty() || m.ends_with(['、', '.', '．', ')', '）', ':', '：']);
        text = format!("{m}{}{text}", if joined { "" } else { " " });
    }
    if let Some(c) = st.cell() {
        c.lines.extend(text.split('\n').map(str::to_owned));
    } else if text.trim().is_empty() {
        out.blank();
    } else {
        out.line(&text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    fn styles() -> numbering::Styles {
        numbering::parse_styles(&format!(
            "<w:styles {W}><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"/>\
             <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"Sub\"><w:basedOn w:val=\"Heading2\"/></w:style></w:styles>"
        ))
    }

    fn lists() -> numbering::Numbering {
        numbering::parse_numbering(&format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\">\
             <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/></w:lvl>\
             <w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%3.\"/></w:lvl></w:abstractNum>\
             <w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"第%1条\"/></w:lvl></w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>\
             <w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>\
             <w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num></w:numbering>"
        ))
    }

    fn p(ppr: &str, text: &str) -> String {
        format!("<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn num(id: u32, ilvl: u32) -> String {
        format!("<w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{id}\"/></w:numPr>")
    }

    #[test]
    fn headings_numbered_by_their_styles_show_their_markers() {
        let style = |s: &str| format!("<w:pStyle w:val=\"{s}\"/>");
        let body = [
            p(&style("Heading1"), "总体要求"),
            p(&style("Heading2"), "指导思想"),
            p("", "正文。"),
            p(&style("Heading2"), "基本原则"),
            p(&style("Sub"), "继承样式"),
            p(&num(1, 2), "坚持问题导向"),
            p(&num(1, 2), "坚持系统观念"),
            p(&style("Heading1"), "主要任务"),
            p(&style("Heading2"), "重新编号"),
            p(&format!("{}{}", style("Heading2"), num(0, 0)), "不编号"),
            p(&num(2, 0), "条文"),
            p(&num(2, 0), "条文"),
            p(&num(3, 0), "附件条文"),
        ]
        .concat();
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let (text, tables) = read_document(&xml, &lists(), &styles()).unwrap();
        assert_eq!(
            text,
            "一、总体要求\n（一）指导思想\n正文。\n（二）基本原则\n（三）继承样式\n1.坚持问题导向\n\
             2.坚持系统观念\n二、主要任务\n（一）重新编号\n不编号\n第一条 条文\n第二条 条文\n第一条 附件条文\n"
        );
        assert!(tables.is_empty());
    }

    #[test]
    fn revisions_fields_hidden_text_and_tables() {
        let body = "<w:p><w:r><w:t>保留</w:t></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>\
             <w:del><w:r><w:delText>删除</w:delText></w:r><w:r><w:t>也删</w:t></w:r></w:del>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
             <w:r><w:t xml:space=\"preserve\">A&amp;B&#x4E00;&unknown;</w:t><w:tab/><w:t>C</w:t><w:br/><w:t>下一行</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>2025年目标</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>新建充电桩</w:t></w:r></w:p><w:p><w:r><w:t>（个）</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>300</w:t></w:r></w:p></w:tc>\
             <w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>内B</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr>\
             <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>400</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><w:r><w:t>表后</w:t></w:r></w:p>".to_string();
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let (text, tables) = read_document(
            &xml,
            &numbering::Numbering::default(),
            &numbering::Styles::default(),
        )
        .unwrap();
        assert_eq!(
            text,
            "保留插入3A&B一 C\n下一行\n指标\t2025年目标\n新建充电桩 （个）\t300\t内A 内B\n\t400\n表后\n"
        );
        assert_eq!(tables.len(), 1);
        assert_eq!(
            &text[tables[0].clone()],
            "指标\t2025年目标\n新建充电桩 （个）\t300\t内A 内B\n\t400"
        );
    }
}
