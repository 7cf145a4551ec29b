//! Documents of other formats made from a corpus text: web pages in the layouts government
//! content systems use, and Word files whose headings are numbered by real numbering
//! definitions.

use std::collections::HashMap;
use std::io::Write;

use zhengce::model::{Document, Task};

/// The lines of a text that are not blank.
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A line as a page writes it: its first character in an inline element of its own (a
/// heading split over tags must stay one line), quotes and dashes as entities.
fn inline(line: &str) -> String {
    let mut chars = line.chars();
    let first: String = chars.next().map(String::from).unwrap_or_default();
    let rest = escape(chars.as_str())
        .replace('“', "&ldquo;")
        .replace('”', "&rdquo;")
        .replace('—', "&mdash;");
    format!("<strong>{}</strong>{rest}", escape(&first))
}

/// The layouts of the pages made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// TRS: `div.TRS_Editor`, navigation, breadcrumb, share and print buttons, footer, a
    /// script that writes markup.
    Trs,
    /// 政府信息公开平台: the header table (索引号, 发布机构, 成文日期, 文号, 发布日期), the
    /// title in `h1`, `div.article-content` with `&emsp;` indents.
    OpenGovernment,
    /// A page with no known container, spans and `<br>` instead of paragraphs, in GBK
    /// declared by `http-equiv`.
    SpansGbk,
    /// An old page laid out by a table, the content in `UCAP-CONTENT` inside a one-column
    /// table.
    UcapTable,
}

pub const LAYOUTS: [Layout; 4] = [
    Layout::Trs,
    Layout::OpenGovernment,
    Layout::SpansGbk,
    Layout::UcapTable,
];

/// A page carrying `text`: its first line is the page's title, the rest its content. `doc`
/// (the text's own reading) gives the header table's date and 文号.
pub fn page(layout: Layout, text: &str, doc: &Document) -> Vec<u8> {
    let all = lines(text);
    let (title, body) = (all[0].trim(), &all[1..]);
    let nav = "<ul class=\"nav\"><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li><li><a href=\"/hdjl/\">互动交流</a></li></ul>";
    let footer = "<div class=\"footer\"><p>主办单位：某某区人民政府办公室　承办单位：某某区大数据中心</p><p>网站标识码：3101010001　沪ICP备12345678号</p></div>";
    match layout {
        Layout::Trs => {
            // A line of tab-separated cells is a row of a table.
            let mut paras = String::new();
            for (i, l) in body.iter().enumerate() {
                let row = l.contains('\t');
                if row && (i == 0 || !body[i - 1].contains('\t')) {
                    paras.push_str("<table border=\"1\"><tbody>\n");
                }
                if row {
                    let cells: String = l
                        .split('\t')
                        .map(|c| format!("<td><p>{}</p></td>", escape(c.trim())))
                        .collect();
                    paras.push_str(&format!("<tr>{cells}</tr>\n"));
                    if body.get(i + 1).is_none_or(|n| !n.contains('\t')) {
                        paras.push_str("</tbody></table>\n");
                    }
                } else {
                    paras.push_str(&format!(
                        "<p style=\"text-indent:2em\">{}</p>\n",
                        inline(l.trim())
                    ));
                }
            }
            format!(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}_某某区人民政府</title>\
                 <meta name=\"ArticleTitle\" content=\"{t}\"><script>document.write(\"<div>统计，计数。</div>\");</script>\
                 <style>.nav {{ color: red }}</style></head>\n<body><div class=\"top\">{nav}</div>\
                 <div class=\"location\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; 政策文件</div>\n\
                 <div class=\"main\"><h1 class=\"title\">{t}</h1><div class=\"info\">来源：某某区人民政府办公室　浏览次数：<span>1024</span></div>\n\
                 <div class=\"TRS_Editor\">\n{paras}</div>\n\
                 <div class=\"share\"><span>分享到：</span><a>微信</a><a>微博</a></div><div class=\"print\"><a>【打印本页】</a><a>【关闭窗口】</a></div></div>\n\
                 {footer}</body></html>\n",
                t = escape(title)
            )
            .into_bytes()
        }
        Layout::OpenGovernment => {
            let date = doc.meta.date.as_deref().unwrap_or("");
            let number = doc.meta.doc_number.as_deref().unwrap_or("");
            let paras: String = body
                .iter()
                .map(|l| format!("<p>&emsp;&emsp;{}</p>\n", inline(l.trim())))
                .collect();
            format!(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\n\
                 <body><div class=\"header\">{nav}</div><div class=\"content-box\"><div class=\"classify\"><table>\n\
                 <tr><td>索引号：</td><td>11440100/2024-00031</td><td>分类：</td><td>综合政务</td></tr>\n\
                 <tr><td>发布机构：</td><td>某某区人民政府办公室</td><td>成文日期：</td><td>{date}</td></tr>\n\
                 <tr><td>名称：</td><td colspan=\"3\">{t}</td></tr>\n\
                 <tr><td>文号：</td><td>{number}</td><td>发布日期：</td><td>{date}</td></tr></table></div>\n\
                 <div class=\"content\"><h1 class=\"title document-number\">{t}</h1>\n\
                 <div class=\"article-content\">\n{paras}</div></div></div>{footer}</body></html>\n",
                t = escape(title),
                number = escape(number),
            )
            .into_bytes()
        }
        Layout::SpansGbk => {
            let spans: String = body
                .iter()
                .map(|l| format!("<span>{}</span><br>\n", inline(l.trim())))
                .collect();
            let html = format!(
                "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n<title>{t}</title></head>\n\
                 <body><div class=\"header\">{nav}</div><div class=\"container\"><div class=\"article\">\
                 <div class=\"article_title\"><h2>{t}</h2></div><div class=\"time\">发布时间：2024/01/02　来源：办公室</div>\n\
                 <div class=\"article_txt\">\n<span>{t}</span><br>\n{spans}</div></div></div>{footer}</body></html>\n",
                t = escape(title)
            );
            // Characters GBK lacks become numeric references, which the page reader decodes.
            encoding_rs::GBK.encode(&html).0.into_owned()
        }
        Layout::UcapTable => {
            let paras: String = body
                .iter()
                .map(|l| format!("<p>{}</p>\n", inline(l.trim())))
                .collect();
            format!(
                "<html><body><table width=\"100%\"><tr><td class=\"nav\">{nav}</td></tr>\n\
                 <tr><td><div class=\"UCAP-CONTENT\"><table><tr><td>\n<p>{t}</p>\n{paras}</td></tr></table></div></td></tr>\n\
                 <tr><td>{footer}</td></tr></table></body></html>\n",
                t = inline(title)
            )
            .into_bytes()
        }
    }
}

/// Every task of a document, depth first.
pub fn all_tasks(doc: &Document) -> Vec<&Task> {
    fn walk<'a>(t: &'a Task, out: &mut Vec<&'a Task>) {
        out.push(t);
        for c in &t.children {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    for t in &doc.tasks {
        walk(t, &mut out);
    }
    out
}

/// A Chinese numeral of 1–99, or Arabic digits.
fn number(s: &str) -> Option<(u32, &'static str)> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return Some((s.parse().ok()?, "decimal"));
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    let n = match chars.as_slice() {
        ['十'] => 10,
        [d] => digit(*d)?,
        ['十', d] => 10 + digit(*d)?,
        [t, '十'] => 10 * digit(*t)?,
        [t, '十', d] => 10 * digit(*t)? + digit(*d)?,
        _ => return None,
    };
    (n > 0).then_some((n, "chineseCounting"))
}

/// A heading marker as a numbering level's text (`（%1）`) and format, with its number; `None`
/// for a marker a single level cannot show (`1.1`).
fn shape(marker: &str) -> Option<(String, &'static str, u32)> {
    let is_num = |c: char| c.is_ascii_digit() || "〇一二三四五六七八九十".contains(c);
    let start = marker.find(is_num)?;
    let len = marker[start..]
        .find(|c: char| !is_num(c))
        .unwrap_or(marker.len() - start);
    let rest = &marker[start + len..];
    if rest.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (n, format) = number(&marker[start..start + len])?;
    Some((format!("{}%1{rest}", &marker[..start]), format, n))
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn run(text: &str) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:eastAsia=\"仿宋_GB2312\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape(text)
    )
}

/// A paragraph's text as Word stores it after some editing: split over runs, one part a
/// tracked insertion, a deleted word and a hidden one that are not part of the text, and a
/// footnote reference.
fn runs(text: &str, k: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let cut = chars.len() / 2;
    let (a, b): (String, String) = (chars[..cut].iter().collect(), chars[cut..].iter().collect());
    match k % 4 {
        0 => format!("{}{}", run(&a), run(&b)),
        1 => format!(
            "{}<w:ins w:id=\"{k}\" w:author=\"张三\">{}</w:ins>",
            run(&a),
            run(&b)
        ),
        2 => format!(
            "{}<w:del w:id=\"{k}\" w:author=\"张三\"><w:r><w:delText>删去的话</w:delText></w:r><w:r><w:t>旧文</w:t></w:r></w:del>{}",
            run(&a),
            run(&b)
        ),
        _ => format!(
            "{}<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的字</w:t></w:r>{}<w:r><w:footnoteReference w:id=\"1\"/></w:r>",
            run(&a),
            run(&b)
        ),
    }
}

/// Rows of tab-separated cells as a Word table (nothing for no rows).
fn table(rows: &[&str]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
    for row in rows {
        out.push_str("<w:tr>");
        for cell in row.split('\t') {
            out.push_str(&format!("<w:tc><w:p>{}</w:p></w:tc>", run(cell.trim())));
        }
        out.push_str("</w:tr>");
    }
    out + "</w:tbl>\n"
}

/// A list: its numId, its definition, and the levels whose start it overrides.
type List = (u32, usize, Vec<(usize, u32)>);

/// A numbering level's XML.
fn level(ilvl: usize, text: &str, format: &str) -> String {
    // `%k` is the counter of level k (1-based): a level shows its own.
    let text = text.replace("%1", &format!("%{}", ilvl + 1));
    format!(
        "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{}\"/><w:lvlJc w:val=\"left\"/></w:lvl>",
        escape(&text)
    )
}

/// A Word file carrying `text`, whose headings (as `doc`, the text's own reading, finds them)
/// get their markers from numbering definitions: the markers are not in their text. The first
/// three levels use the styles `Heading1`–`Heading3`, whose numbering is that of the first
/// list; a number Word's counting would not give restarts its level by a list of its own with
/// a start override, as Word does. A running head, a footer with a page field and a footnote
/// are parts of their own that the text must not show.
pub fn docx(text: &str, doc: &Document) -> Vec<u8> {
    // Where each heading starts (a character offset) and its marker and depth.
    let heads: HashMap<usize, (&str, usize)> = all_tasks(doc)
        .into_iter()
        .map(|t| (t.span.start, (t.marker.as_str(), t.level)))
        .collect();
    // List definitions: one for each (depth, shape) first seen at a depth; the first one holds
    // each depth's first shape, on the level of that depth.
    let mut shapes: Vec<Vec<(String, &'static str)>> = vec![Vec::new()];
    let mut slot: HashMap<(usize, String), usize> = HashMap::new();
    // Per definition: its counters, and the list (numId) in use.
    let mut counters: Vec<[Option<u32>; 9]> = vec![[None; 9]];
    let mut current: Vec<u32> = vec![1];
    let mut nums: Vec<List> = vec![(1, 0, Vec::new())];
    let mut body = String::new();
    let mut offset = 0usize;
    let mut rows: Vec<&str> = Vec::new();
    for (k, raw) in text.split('\n').enumerate() {
        let line_start = offset;
        offset += raw.chars().count() + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        // A line of tab-separated cells is a row of a table.
        if line.contains('\t') {
            rows.push(line);
            continue;
        }
        body.push_str(&table(&std::mem::take(&mut rows)));
        let lead = line.chars().take_while(|c| c.is_whitespace()).count();
        let head = heads.get(&(line_start + lead)).and_then(|&(m, depth)| {
            let rest: String = line.chars().skip(lead).collect();
            let after = rest.strip_prefix(m)?;
            let (text, format, n) = shape(m)?;
            Some((
                text,
                format,
                n,
                depth.clamp(1, 9) - 1,
                after.trim_start().to_string(),
            ))
        });
        let Some((shape_text, format, n, ilvl, after)) = head else {
            body.push_str(&format!("<w:p>{}</w:p>\n", runs(line, k)));
            continue;
        };
        let def = *slot.entry((ilvl, shape_text.clone())).or_insert_with(|| {
            // The first list takes a depth's first shape; another shape gets a list of its own.
            if shapes[0].len() <= ilvl && shapes[0].len() == ilvl {
                shapes[0].push((shape_text.clone(), format));
                0
            } else {
                let mut levels = vec![("%1.".to_string(), "decimal"); ilvl];
                levels.push((shape_text.clone(), format));
                shapes.push(levels);
                counters.push([None; 9]);
                let id = nums.len() as u32 + 1;
                nums.push((id, shapes.len() - 1, Vec::new()));
                current.push(id);
                shapes.len() - 1
            }
        });
        let expected = counters[def][ilvl].map_or(1, |c| c + 1);
        if expected != n {
            let id = nums.len() as u32 + 1;
            nums.push((id, def, vec![(ilvl, n)]));
            current[def] = id;
        }
        counters[def][ilvl] = Some(n);
        for c in &mut counters[def][ilvl + 1..] {
            *c = None;
        }
        let styled = def == 0 && current[0] == 1 && ilvl < 3;
        let ppr = if styled {
            format!("<w:pPr><w:pStyle w:val=\"Heading{}\"/></w:pPr>", ilvl + 1)
        } else {
            format!(
                "<w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{}\"/></w:numPr></w:pPr>",
                current[def]
            )
        };
        body.push_str(&format!("<w:p>{ppr}{}</w:p>\n", runs(&after, k)));
    }
    let mut numbering =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering {W}>");
    for (i, levels) in shapes.iter().enumerate() {
        numbering.push_str(&format!(
            "<w:abstractNum w:abstractNumId=\"{i}\"><w:multiLevelType w:val=\"multilevel\"/>"
        ));
        for (ilvl, (t, f)) in levels.iter().enumerate() {
            numbering.push_str(&level(ilvl, t, f));
        }
        numbering.push_str("</w:abstractNum>");
    }
    for (id, def, overrides) in &nums {
        numbering.push_str(&format!(
            "<w:num w:numId=\"{id}\"><w:abstractNumId w:val=\"{def}\"/>"
        ));
        for (ilvl, start) in overrides {
            numbering.push_str(&format!(
                "<w:lvlOverride w:ilvl=\"{ilvl}\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>"
            ));
        }
        numbering.push_str("</w:num>");
    }
    numbering.push_str("</w:numbering>");
    let mut styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {W}><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    );
    for d in 1..=3 {
        styles.push_str(&format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{d}\"><w:name w:val=\"heading {d}\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:ilvl w:val=\"{}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>",
            d - 1
        ));
    }
    styles.push_str("</w:styles>");
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {W}><w:body>\n{body}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId3\"/><w:footerReference w:type=\"default\" r:id=\"rId4\"/></w:sectPr></w:body></w:document>"
    );
    package(&[
        ("word/document.xml", document),
        ("word/styles.xml", styles),
        ("word/numbering.xml", numbering),
    ])
}

/// A Word package: the parts given, with the relationships, content types, a running head, a
/// footer with a page field and a footnote.
pub fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let ct = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let doc_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/><Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/><Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/></Relationships>";
    let header = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:hdr {W}><w:p><w:r><w:t>某某区人民政府办公室文件（页眉）</w:t></w:r></w:p></w:hdr>"
    );
    let footer = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:ftr {W}><w:p><w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    );
    let notes = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:footnotes {W}><w:footnote w:id=\"1\"><w:p><w:r><w:t>脚注：此处不入正文。</w:t></w:r></w:p></w:footnote></w:footnotes>"
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut add = |name: &str, data: &str| {
        w.start_file(name, opts).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    };
    add("[Content_Types].xml", ct);
    add("_rels/.rels", rels);
    add("word/_rels/document.xml.rels", doc_rels);
    add("word/header1.xml", &header);
    add("word/footer1.xml", &footer);
    add("word/footnotes.xml", &notes);
    for (name, data) in parts {
        add(name, data);
    }
    w.finish().unwrap().into_inner()
}
