//! One CSV file per sheet: UTF-8 with a byte-order mark (without it, Excel and WPS read UTF-8
//! as the local code page), CRLF line ends, quoted only where needed.

use std::io::{BufWriter, Write};

use crate::files::Staged;

use super::rows::{Cell, columns, format_number};
use super::{Lang, LedgerError, Sheet};

/// The CSV files being written.
pub(super) struct Csv {
    files: Vec<(Sheet, ::csv::Writer<BufWriter<Staged>>)>,
}

impl Csv {
    /// Starts each file with its byte-order mark and header row.
    pub(super) fn new(files: Vec<(Sheet, Staged)>, lang: Lang) -> Result<Csv, LedgerError> {
        let mut out = Vec::new();
        for (sheet, staged) in files {
            let mut w = BufWriter::new(staged);
            w.write_all("\u{feff}".as_bytes())
                .map_err(|e| write_error(w.get_ref(), &e))?;
            let mut w = ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::CRLF)
                .from_writer(w);
            let header: Vec<&str> = columns(sheet).iter().map(|c| c.header(lang)).collect();
            w.write_record(&header).map_err(|e| csv_error(&w, e))?;
            out.push((sheet, w));
        }
        Ok(Csv { files: out })
    }

    /// Appends a row to `sheet`'s file.
    pub(super) fn row(&mut self, sheet: Sheet, cells: &[Cell]) -> Result<(), LedgerError> {
        let Some((_, w)) = self.files.iter_mut().find(|(s, _)| *s == sheet) else {
            return Ok(());
        };
        let fields = cells.iter().map(|c| match c {
            Cell::Blank => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(v) => format_number(*v),
            Cell::Date(d) => d.to_string(),
        });
        w.write_record(fields).map_err(|e| csv_error(w, e))
    }

    /// Flushes every file and moves it into place.
    pub(super) fn finish(self) -> Result<(), LedgerError> {
        for (_, mut w) in self.files {
            w.flush()
                .map_err(|e| write_error(w.get_ref().get_ref(), &e))?;
            let staged = w
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|b| b.into_inner().map_err(|e| e.into_error()));
            match staged {
                Ok(s) => s.commit()?,
                Err(e) => return Err(LedgerError::Io(e)),
            }
        }
        Ok(())
    }
}

fn write_error(staged: &Staged, e: &std::io::Error) -> LedgerError {
    LedgerError::Write(staged.error(e))
}

fn csv_error(w: &::csv::Writer<BufWriter<Staged>>, e: ::csv::Error) -> LedgerError {
    write_error(w.get_ref().get_ref(), &std::io::Error::other(e.to_string()))
}
