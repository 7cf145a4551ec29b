//! Word 97–2003 documents (DOC, also what WPS Office writes): the main text, by its piece
//! table.
//!
//! Input: the bytes of an OLE compound file with a `WordDocument` stream. Output: a
//! [`Decoded`] text, one paragraph a line.
//!
//! [MS-DOC]: the file information block at the start of `WordDocument` gives the length of the
//! main text (`ccpText`) and where its piece table is in the table stream (`0Table` or
//! `1Table`); each piece says where its characters are in `WordDocument` and whether they are
//! UTF-16 or 8-bit (Windows-1252 with the spec's few remapped bytes). The main text is the
//! first `ccpText` characters. Word's control characters: a paragraph mark, a line break and a
//! page break end a line; a field shows its result and not its code; anchors of pictures and
//! notes are dropped. A cell mark ends a table cell, and a second one right after it ends the
//! row: rows are read as a table's rows, cells apart by tabs (a cell of several paragraphs
//! keeps only its last one in the row, the others are lines before it, as the paragraph
//! properties that say which paragraphs are in a table are not read).
//!
//! Not in the text stream, so not in the output: **automatic list numbers** (a heading
//! numbered by a list style, `一、`, shows without its number: save such a file as DOCX, whose
//! numbering zhengce renders), deleted revisions and hidden text are read as if they were
//! there. An encrypted file is refused. The reader is bounded: every offset is checked against
//! its stream, and the text is no longer than the stream that holds it.

use std::io::{Cursor, Read};

use super::{Decoded, Failure, Format, TextBuilder};

/// Whether OLE `bytes` hold a Word document (a `WordDocument` stream).
pub(super) fn has_word_stream(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(Cursor::new(bytes)).is_ok_and(|cf| cf.is_stream("/WordDocument"))
}

/// What the reader needs of the file information block.
#[derive(Debug)]
struct Fib {
    /// The table stream is `1Table` (else `0Table`).
    table_one: bool,
    encrypted: bool,
    /// Characters of the main text.
    ccp_text: u32,
    /// Where the piece table (CLX) is in the table stream, and its length.
    fc_clx: u32,
    lcb_clx: u32,
}

/// One run of characters: CPs `cp_start..cp_end` at byte `fc` of `WordDocument`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| format!("a field at byte {at} is past the end of its stream"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| format!("a field at byte {at} is past the end of its stream"))
}

/// Reads the file information block of `WordDocument`.
fn parse_fib(wd: &[u8]) -> Result<Fib, String> {
    if u16_at(wd, 0)? != 0xA5EC {
        return Err("its WordDocument stream does not begin as a Word document".into());
    }
    let flags = u16_at(wd, 0x0A)?;
    // After the 32-byte FibBase: csw and fibRgW, cslw and fibRgLw, cbRgFcLcb and the
    // fc/lcb pairs. The offsets are computed from the counts, not assumed.
    let csw = usize::from(u16_at(wd, 32)?);
    let rglw = 32 + 2 + csw * 2;
    let cslw = usize::from(u16_at(wd, rglw)?);
    let lw = rglw + 2;
    let pairs = lw + cslw * 4 + 2;
    Ok(Fib {
        table_one: flags & 0x0200 != 0,
        encrypted: flags & 0x0100 != 0,
        ccp_text: u32_at(wd, lw + 12)?,
        // fcClx/lcbClx are pair 33 of FibRgFcLcb97.
        fc_clx: u32_at(wd, pairs + 33 * 8)?,
        lcb_clx: u32_at(wd, pairs + 33 * 8 + 4)?,
    })
}

/// The piece table: the CLX's property runs skipped, then its PlcPcd.
fn parse_pieces(table: &[u8], fib: &Fib) -> Result<Vec<Piece>, String> {
    let start = fib.fc_clx as usize;
    let clx = start
        .checked_add(fib.lcb_clx as usize)
        .and_then(|end| table.get(start..end))
        .ok_or("its piece table is outside the table stream")?;
    let mut i = 0;
    while clx.get(i) == Some(&0x01) {
        i += 3 + usize::from(u16_at(clx, i + 1)?);
    }
    if clx.get(i) != Some(&0x02) {
        return Err("its piece table is damaged".into());
    }
    let lcb = u32_at(clx, i + 1)? as usize;
    let plc = clx
        .get(i + 5..)
        .and_then(|rest| rest.get(..lcb))
        .ok_or("its piece table is cut short")?;
    if lcb < 4 || !(lcb - 4).is_multiple_of(12) {
        return Err("its piece table has a size no piece table has".into());
    }
    let n = (lcb - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let cp_start = u32_at(plc, k * 4)?;
        let cp_end = u32_at(plc, (k + 1) * 4)?;
        if cp_end < cp_start {
            return Err("its pieces are out of order".into());
        }
        let raw = u32_at(plc, 4 * (n + 1) + k * 8 + 2)?;
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        out.push(Piece {
            cp_start,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// [MS-DOC] 2.4.1: 8-bit pieces are Windows-1252 but for these bytes.
fn compressed_char(b: u8) -> char {
    match b {
        0x82 => '\u{201A}',
        0x83 => '\u{0192}',
        0x84 => '\u{201E}',
        0x85 => '\u{2026}',
        0x86 => '\u{2020}',
        0x87 => '\u{2021}',
        0x88 => '\u{02C6}',
        0x89 => '\u{2030}',
        0x8A => '\u{0160}',
        0x8B => '\u{2039}',
        0x8C => '\u{0152}',
        0x91 => '\u{2018}',
        0x92 => '\u{2019}',
        0x93 => '\u{201C}',
        0x94 => '\u{201D}',
        0x95 => '\u{2022}',
        0x96 => '\u{2013}',
        0x97 => '\u{2014}',
        0x98 => '\u{02DC}',
        0x99 => '\u{2122}',
        0x9A => '\u{0161}',
        0x9B => '\u{203A}',
        0x9C => '\u{0153}',
        0x9F => '\u{0178}',
        b => char::from(b),
    }
}

/// The main text's characters, through the piece table, with the number of unpaired
/// surrogates replaced.
fn main_text(wd: &[u8], pieces: &[Piece], ccp: u32) -> Result<(String, usize), String> {
    let mut s = String::new();
    let mut replaced = 0;
    // A valid file stores every character once: no longer than the stream that holds it.
    let mut budget = wd.len();
    for p in pieces {
        let (a, b) = (p.cp_start, p.cp_end.min(ccp));
        if a >= b {
            continue;
        }
        let len = (b - a) as usize;
        let width = if p.compressed { 1 } else { 2 };
        let bytes = (p.fc as usize)
            .checked_add(len * width)
            .and_then(|end| wd.get(p.fc as usize..end))
            .ok_or("a piece of its text is outside the WordDocument stream")?;
        budget = budget
            .checked_sub(bytes.len())
            .ok_or("its pieces hold more text than the file")?;
        if p.compressed {
            s.extend(bytes.iter().map(|&c| compressed_char(c)));
        } else {
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            for r in char::decode_utf16(units) {
                s.push(r.unwrap_or_else(|_| {
                    replaced += 1;
                    '\u{FFFD}'
                }));
            }
        }
    }
    Ok((s, replaced))
}

/// The main text as lines and table rows (see the module docs).
fn layout(raw: &str) -> (String, Vec<std::ops::Range<usize>>) {
    let mut out = TextBuilder::default();
    let mut para = String::new();
    let mut row: Vec<String> = Vec::new();
    // Field nesting: `true` while in a field's code.
    let mut fields: Vec<bool> = Vec::new();
    let mut after_cell = false;
    for c in raw.chars() {
        match c {
            '\u{13}' => {
                fields.push(true);
                continue;
            }
            '\u{14}' => {
                if let Some(f) = fields.last_mut() {
                    *f = false;
                }
                continue;
            }
            '\u{15}' => {
                fields.pop();
                continue;
            }
            _ if fields.last().copied().unwrap_or(false) => continue,
            _ => {}
        }
        let was_cell = std::mem::take(&mut after_cell);
        match c {
            '\u{07}' => {
                if was_cell && para.is_empty() {
                    // The row's own mark, right after its last cell's.
                    out.row(&row);
                    row.clear();
                } else {
                    row.push(std::mem::take(&mut para));
                    after_cell = true;
                }
            }
            '\r' | '\u{0B}' | '\u{0C}' | '\u{0E}' => {
                if row.is_empty() {
                    let line = std::mem::take(&mut para);
                    if line.trim().is_empty() {
                        out.blank();
                    } else {
                        out.line(&line);
                    }
                } else {
                    para.push(' ');
                }
            }
            '\u{01}' | '\u{08}' | '\u{02}' | '\u{05}' | '\u{1F}' => {}
            '\u{1E}' => para.push('-'),
            c => para.push(c),
        }
    }
    if !row.is_empty() {
        row.push(std::mem::take(&mut para));
        out.row(&row);
    }
    if !para.trim().is_empty() {
        out.line(&para);
    }
    out.finish()
}

/// Reads a DOC file (see the module docs).
///
/// # Errors
/// Not an OLE file with a Word document, an encrypted one, or one whose structures do not
/// hold together.
pub fn read(bytes: &[u8]) -> Result<Decoded, Failure> {
    let damaged = |reason: String| Failure::damaged(Format::Doc, reason);
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| damaged(format!("not a readable OLE file ({e})")))?;
    let mut stream = |name: &str| -> Result<Vec<u8>, Failure> {
        let mut data = Vec::new();
        cf.open_stream(name)
            .and_then(|s| s.take(bytes.len() as u64).read_to_end(&mut data))
            .map_err(|e| damaged(format!("its {name} stream cannot be read ({e})")))?;
        Ok(data)
    };
    let wd = stream("/WordDocument")?;
    let fib = parse_fib(&wd).map_err(damaged)?;
    if fib.encrypted {
        return Err(damaged(
            "it is encrypted (password-protected): save it without a password".into(),
        ));
    }
    let table = stream(if fib.table_one { "/1Table" } else { "/0Table" })?;
    let pieces = parse_pieces(&table, &fib).map_err(damaged)?;
    let (raw, replaced) = main_text(&wd, &pieces, fib.ccp_text).map_err(damaged)?;
    let (text, tables) = layout(&raw);
    Ok(Decoded::extracted(
        bytes,
        Format::Doc,
        "UTF-16LE",
        text,
        tables,
        replaced,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_make_lines_rows_and_field_results() {
        let raw = "一、总体要求\r\u{13} PAGE \u{14}3\u{15}页\u{0B}第二行\r序号\u{7}任务\u{7}\u{7}1\u{7}加强\u{7}\u{7}正文\u{1}\r";
        let (text, tables) = layout(raw);
        assert_eq!(
            text,
            "一、总体要求\n3页\n第二行\n序号\t任务\n1\t加强\n正文\n"
        );
        assert_eq!(tables.len(), 1);
        assert_eq!(&text[tables[0].clone()], "序号\t任务\n1\t加强");
    }

    #[test]
    fn damaged_structures_are_refused_not_read_past() {
        assert!(parse_fib(b"\xEC\xA5").is_err());
        assert!(parse_fib(&[0u8; 64]).is_err());
        let fib = Fib {
            table_one: false,
            encrypted: false,
            ccp_text: 10,
            fc_clx: 0,
            lcb_clx: 21,
        };
        // One piece, CPs 0..10, at an offset past the stream.
        let mut clx = vec![0x02];
        clx.extend(16u32.to_le_bytes());
        clx.extend(0u32.to_le_bytes());
        clx.extend(10u32.to_le_bytes());
        clx.extend([0, 0]);
        clx.extend(1000u32.to_le_bytes());
        clx.extend([0, 0]);
        let pieces = parse_pieces(&clx, &fib).unwrap();
        assert!(main_text(&[0u8; 64], &pieces, 10).is_err());
        // The same bytes read three times over are more text than the stream holds.
        let wd = vec![0x41u8; 1200];
        let once = Piece { fc: 0, ..pieces[0] };
        assert!(main_text(&wd, &[once; 3], 10).is_ok());
        assert!(main_text(&wd[..20], &[once; 3], 10).is_err());
    }
}
