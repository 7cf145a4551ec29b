//! The workbook: one worksheet per sheet, written row by row in rust_xlsxwriter's constant
//! memory mode (each sheet's cells go to a temporary file, not to memory).

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};
use std::path::Path;

use super::rows::{Cell, columns};
use super::{Lang, Sheet};

/// The most characters a cell holds in Excel.
const CELL_LIMIT: usize = 32_767;

/// How many rows of a workbook get a height fitted to their text. rust_xlsxwriter keeps each
/// row's height in memory to the end, about 550 bytes a row: beyond this, rows keep the
/// default height, and memory stays flat however many documents the ledger holds.
const SIZED_ROWS: usize = 10_000;

/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// A workbook being written.
pub(super) struct Xlsx {
    workbook: Workbook,
    /// Each sheet written, with its next row.
    sheets: Vec<(Sheet, u32)>,
    /// Rows that may still get a fitted height.
    sized_left: usize,
}

impl Xlsx {
    /// A workbook with `sheets`, each with its header row, whose cells wait in temporary files
    /// in `tempdir`.
    pub(super) fn new(sheets: &[Sheet], lang: Lang, tempdir: &Path) -> Result<Xlsx, XlsxError> {
        let top = Format::new().set_align(FormatAlign::Top);
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDD_EB_F7))
            .set_border_bottom(FormatBorder::Thin);
        let mut workbook = Workbook::new();
        workbook.set_tempdir(tempdir)?;
        let mut x = Xlsx {
            workbook,
            sheets: Vec::new(),
            sized_left: SIZED_ROWS,
        };
        let wrap = top.clone().set_text_wrap();
        let date = top.clone().set_num_format("yyyy-mm-dd");
        for (i, &sheet) in sheets.iter().enumerate() {
            let ws = x.workbook.add_worksheet_with_constant_memory();
            ws.set_name(sheet.name(lang))?;
            let cols = columns(sheet);
            for (c, column) in cols.iter().enumerate() {
                let c = c as u16;
                ws.set_column_width(c, column.width)?;
                // Cells are written without a format of their own and take their column's:
                // looking a format up for every cell took a tenth of the time.
                let format = match (column.date, column.wrap) {
                    (true, _) => &date,
                    (false, true) => &wrap,
                    (false, false) => &top,
                };
                ws.set_column_format(c, format)?;
                ws.write_string_with_format(0, c, column.header(lang), &header)?;
            }
            // Usable when opened and when printed: the header stays in view and on every
            // page, and a page is as wide as the sheet.
            ws.set_freeze_panes(1, 0)?;
            ws.set_landscape();
            ws.set_paper_size(9);
            ws.set_print_fit_to_pages(1, 0);
            ws.set_repeat_rows(0, 0)?;
            if i == 0 {
                ws.set_active(true);
            }
            x.sheets.push((sheet, 1));
        }
        Ok(x)
    }

    /// Appends a row to `sheet`.
    pub(super) fn row(&mut self, sheet: Sheet, cells: &[Cell]) -> Result<(), XlsxError> {
        let Some(index) = self.sheets.iter().position(|(s, _)| *s == sheet) else {
            return Ok(());
        };
        let row = self.sheets[index].1;
        let cols = columns(sheet);
        let ws = self.workbook.worksheet_from_index(index)?;
        for (c, cell) in cells.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Blank => {}
                Cell::Text(s) => {
                    ws.write_string(row, col, cut_for_cell(s))?;
                }
                Cell::Number(v) if v.is_finite() => {
                    ws.write_number(row, col, *v)?;
                }
                Cell::Number(v) => {
                    ws.write_string(row, col, v.to_string())?;
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year, d.month, d.day)?;
                    ws.write_datetime(row, col, &dt)?;
                }
            }
        }
        // Set once the row's cells are written: constant memory mode applies row settings
        // to the row being written.
        let lines = row_lines(cols, cells);
        if lines > 1 && self.sized_left > 0 {
            self.sized_left -= 1;
            ws.set_row_height(row, (lines as f64 * 15.0 + 3.0).min(MAX_ROW_HEIGHT))?;
        }
        self.sheets[index].1 = row + 1;
        Ok(())
    }

    /// Adds the filters and writes the workbook to `out`; `created` (seconds since 1970) is
    /// its creation time, or now.
    pub(super) fn save<W>(mut self, out: W, created: Option<i64>) -> Result<(), XlsxError>
    where
        W: std::io::Write + std::io::Seek + Send,
    {
        for (index, (sheet, next)) in self.sheets.iter().enumerate() {
            let last_col = columns(*sheet).len().saturating_sub(1) as u16;
            let ws = self.workbook.worksheet_from_index(index)?;
            ws.autofilter(0, 0, next.saturating_sub(1), last_col)?;
        }
        let mut props = DocProperties::new().set_title("台账 ledger (zhengce)");
        if let Some(secs) = created {
            props = props.set_creation_datetime(&ExcelDateTime::from_timestamp(secs)?);
        }
        self.workbook.set_properties(&props);
        self.workbook.save_to_writer(out)
    }
}

/// The lines the tallest wrapped cell of a row takes, as the default font draws them: a
/// Chinese character about 15 pixels wide, a Latin letter or digit about 8, in a column of
/// `width` characters of 7 pixels.
fn row_lines(cols: &[super::rows::Column], cells: &[Cell]) -> usize {
    let mut most = 1;
    for (col, cell) in cols.iter().zip(cells) {
        let Cell::Text(s) = cell else { continue };
        if !col.wrap {
            continue;
        }
        let room = (col.width * 7.0 - 4.0).max(15.0);
        let lines: usize = s
            .split('\n')
            .map(|para| {
                let px: f64 = para
                    .chars()
                    .map(|c| if c.is_ascii() { 8.0 } else { 15.0 })
                    .sum();
                ((px / room).ceil() as usize).max(1)
            })
            .sum();
        most = most.max(lines);
    }
    most
}

/// `s` as a cell holds it: a text over Excel's limit is cut at a grapheme cluster boundary
/// and ends with `…`.
pub(super) fn cut_for_cell(s: &str) -> std::borrow::Cow<'_, str> {
    crate::base::display::clip(s, CELL_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_as_tall_as_their_longest_wrapped_text() {
        let cols = columns(Sheet::Tasks);
        let mut cells = vec![Cell::Blank; cols.len()];
        assert_eq!(row_lines(cols, &cells), 1);
        // 具体内容 is 60 characters wide: 27 Chinese characters a line.
        cells[4] = Cell::Text("政".repeat(27));
        assert_eq!(row_lines(cols, &cells), 1);
        cells[4] = Cell::Text("政".repeat(28));
        assert_eq!(row_lines(cols, &cells), 2);
        cells[4] = Cell::Text("政\n策\n".to_string());
        assert_eq!(row_lines(cols, &cells), 3);
        // 序号 does not wrap.
        cells[1] = Cell::Text("1".repeat(500));
        assert_eq!(row_lines(cols, &cells), 3);
    }

    #[test]
    fn long_text_is_cut_between_grapheme_clusters() {
        assert_eq!(cut_for_cell("短文本"), "短文本");
        // A flag is two characters and one cluster; it must not be split.
        let s = format!("{}🇨🇳政", "政".repeat(CELL_LIMIT - 2));
        let cut = cut_for_cell(&s);
        assert_eq!(cut.chars().count(), CELL_LIMIT - 1);
        assert!(cut.ends_with("政…"));
        let exact = "政".repeat(CELL_LIMIT);
        assert_eq!(cut_for_cell(&exact), exact);
        let over = "政".repeat(CELL_LIMIT + 1);
        let cut = cut_for_cell(&over);
        assert_eq!(cut.chars().count(), CELL_LIMIT);
        assert!(cut.ends_with('…'));
    }
}
