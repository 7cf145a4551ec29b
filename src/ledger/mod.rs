//! The task ledger (台账) staff hand in: documents to a workbook of four sheets, as XLSX or as
//! one CSV file per sheet.
//!
//! - 任务清单 (tasks): one row per unit of work ([`rows`] says which tasks are), with its
//!   section, departments, targets, deadline and diagnostics;
//! - 部门任务 (by department): one row per department, task and role, under the department's
//!   canonical name, sorted by department: the sheet that is split and sent out;
//! - 指标 (targets): one row per target;
//! - 文件 (documents): one row per document.
//!
//! [`Ledger`] takes documents one at a time and writes as it goes, so memory does not grow
//! with the number of documents: the workbook's cells and the department rows wait in
//! temporary files, not in memory.

mod csv;
pub mod rows;
mod spill;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::Parser;
use crate::compare::diff::LoadError;
use crate::files::{self, ReadError, Staged, WriteError};
use crate::model::Document;

use self::rows::{Cell, document_rows, role_cell};
use self::spill::Spill;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One workbook.
    Xlsx,
    /// One CSV file per sheet, UTF-8 with a byte-order mark.
    Csv,
}

impl Format {
    /// The format a file name asks for by its extension (`.xlsx`, `.csv`).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// The language of headers and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese, for the office staff who read the ledger.
    #[default]
    Zh,
    /// English.
    En,
}

/// A sheet of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sheet {
    /// 任务清单: one row per unit of work.
    Tasks,
    /// 部门任务: one row per department, task and role.
    Departments,
    /// 指标: one row per target.
    Targets,
    /// 文件: one row per document.
    Documents,
}

impl Sheet {
    /// Every sheet, in workbook order.
    pub const ALL: [Sheet; 4] = [
        Sheet::Tasks,
        Sheet::Departments,
        Sheet::Targets,
        Sheet::Documents,
    ];

    /// The sheet's name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Sheet::Tasks, Lang::Zh) => "任务清单",
            (Sheet::Departments, Lang::Zh) => "部门任务",
            (Sheet::Targets, Lang::Zh) => "指标",
            (Sheet::Documents, Lang::Zh) => "文件",
            (Sheet::Tasks, Lang::En) => "Tasks",
            (Sheet::Departments, Lang::En) => "Departments",
            (Sheet::Targets, Lang::En) => "Targets",
            (Sheet::Documents, Lang::En) => "Documents",
        }
    }
}

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// XLSX or CSV.
    pub format: Format,
    /// The language of headers and labels.
    pub lang: Lang,
    /// The sheets, in workbook order (for CSV, one file each).
    pub sheets: Vec<Sheet>,
    /// The workbook's creation time in seconds since 1970 (for output that is the same byte
    /// for byte on every run), or None for now. CSV files carry no time.
    pub created: Option<i64>,
}

/// Why a ledger could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// An input is neither a document nor zhengce JSON, or cannot be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// An input cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// An output cannot be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The workbook cannot be built (a sheet over Excel's 1,048,576 rows, for one).
    #[error("cannot write the workbook: {0}")]
    Xlsx(String),
    /// A temporary file cannot be made or read.
    #[error("temporary file in {dir}: {0}", dir = std::env::temp_dir().display())]
    Io(#[from] std::io::Error),
}

impl From<rust_xlsxwriter::XlsxError> for LedgerError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        match e {
            rust_xlsxwriter::XlsxError::IoError(io) => LedgerError::Io(io),
            other => LedgerError::Xlsx(other.to_string()),
        }
    }
}

/// Reads one input: zhengce JSON or a gold file (told by content), or a document parsed as
/// `zhengce parse` does.
///
/// # Errors
/// The file cannot be read, is JSON of another kind or schema, or is not a text document.
pub fn load(parser: &Parser, path: &Path) -> Result<Document, LedgerError> {
    let bytes = files::read(path)?;
    Ok(crate::compare::diff::load(
        &bytes,
        &path.display().to_string(),
        parser,
    )?)
}

/// The file written for `sheet` when the CSV output is `out`: `ledger.csv` gives
/// `ledger-任务清单.csv`.
pub fn csv_path(out: &Path, sheet: Sheet, lang: Lang) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or_else(|| "ledger".to_string(), |s| s.to_string_lossy().to_string());
    out.with_file_name(format!("{stem}-{}.csv", sheet.name(lang)))
}

/// Every file a ledger with `opts` writes at `out`: `out` itself for XLSX or for a single
/// CSV sheet, else one CSV per sheet beside it.
pub fn outputs(out: &Path, opts: &Options) -> Vec<PathBuf> {
    match (opts.format, opts.sheets.as_slice()) {
        (Format::Xlsx, _) | (Format::Csv, [_]) => vec![out.to_path_buf()],
        (Format::Csv, sheets) => sheets
            .iter()
            .map(|s| csv_path(out, *s, opts.lang))
            .collect(),
    }
}

/// What a ledger holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Documents.
    pub documents: usize,
    /// Rows of 任务清单.
    pub tasks: usize,
    /// Rows of 部门任务.
    pub departments: usize,
    /// Rows of 指标.
    pub targets: usize,
}

enum Sink {
    Xlsx(Box<xlsx::Xlsx>, Staged),
    Csv(csv::Csv),
}

/// A ledger being written: [`Ledger::add`] each document in order, then [`Ledger::finish`].
/// Dropped unfinished, it leaves no file behind.
pub struct Ledger {
    sink: Sink,
    spill: Option<Spill>,
    opts: Options,
    totals: Totals,
}

impl Ledger {
    /// Starts a ledger written at `out` (see [`outputs`]).
    ///
    /// # Errors
    /// An output cannot be created, or no temporary file can be made.
    pub fn create(out: &Path, opts: &Options) -> Result<Ledger, LedgerError> {
        // Temporary files go beside the output, on the disk that takes the result, rather
        // than in a temporary folder that may be held in memory. rust_xlsxwriter also makes
        // one in the system's temporary folder for every sheet, and stops the program where it
        // cannot: try first.
        tempfile::tempfile()?;
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let sink = match opts.format {
            Format::Xlsx => {
                // First: it says so when the folder is missing.
                let staged = Staged::create(out)?;
                let book = xlsx::Xlsx::new(&opts.sheets, opts.lang, dir)?;
                Sink::Xlsx(Box::new(book), staged)
            }
            Format::Csv => {
                let paths = outputs(out, opts);
                let mut staged = Vec::new();
                for (sheet, path) in opts.sheets.iter().zip(paths) {
                    staged.push((*sheet, Staged::create(&path)?));
                }
                Sink::Csv(csv::Csv::new(staged, opts.lang)?)
            }
        };
        let spill = if opts.sheets.contains(&Sheet::Departments) {
            Some(Spill::new_in(dir)?)
        } else {
            None
        };
        Ok(Ledger {
            sink,
            spill,
            opts: opts.clone(),
            totals: Totals::default(),
        })
    }

    fn row(&mut self, sheet: Sheet, cells: &[Cell]) -> Result<(), LedgerError> {
        match &mut self.sink {
            Sink::Xlsx(x, _) => Ok(x.row(sheet, cells)?),
            Sink::Csv(c) => c.row(sheet, cells),
        }
    }

    /// Adds the rows of one document.
    ///
    /// # Errors
    /// An output or a temporary file cannot be written, or a sheet is full.
    pub fn add(&mut self, doc: &Document) -> Result<(), LedgerError> {
        let rows = document_rows(doc, self.opts.lang);
        self.totals.documents += 1;
        self.totals.tasks += rows.tasks.len();
        self.totals.targets += rows.targets.len();
        for r in &rows.tasks {
            self.row(Sheet::Tasks, r)?;
        }
        for r in &rows.targets {
            self.row(Sheet::Targets, r)?;
        }
        self.row(Sheet::Documents, &rows.document)?;
        if let Some(spill) = &mut self.spill {
            for r in &rows.departments {
                spill.push(&r.department, r.role, &r.cells)?;
            }
            self.totals.departments += rows.departments.len();
        }
        Ok(())
    }

    /// Writes 部门任务, sorted by department, and moves every file into place.
    ///
    /// # Errors
    /// An output or a temporary file cannot be written, or a sheet is full.
    pub fn finish(mut self) -> Result<Totals, LedgerError> {
        if let Some(spill) = self.spill.take() {
            let lang = self.opts.lang;
            spill.drain(|department, role, cells| {
                let mut row = Vec::with_capacity(cells.len() + 2);
                row.push(Cell::Text(department.to_string()));
                row.push(role_cell(role, lang));
                row.extend(cells);
                self.row(Sheet::Departments, &row)
            })?;
        }
        match self.sink {
            Sink::Xlsx(x, mut staged) => {
                x.save(&mut staged, self.opts.created)?;
                staged.commit()?;
            }
            Sink::Csv(c) => c.finish()?,
        }
        Ok(self.totals)
    }
}
