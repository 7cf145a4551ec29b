//! The command line's arguments: one struct per subcommand, and the value enums with their
//! conversions to the library's types.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use zhengce::compare::diff::Lang;
use zhengce::ledger;

#[derive(Parser)]
#[command(
    name = "zhengce",
    version,
    about = "Chinese policy documents to a structured task ledger (JSON, XLSX, CSV)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Parse one document into zhengce/1 JSON.
    Parse(ParseArgs),
    /// Print the text zhengce reads from a document: the text every span of `parse` indexes.
    Text(TextArgs),
    /// Parse many documents: files and folders (recursively), or a stream of JSON lines.
    ///
    /// Output is in input order whatever the thread count, and each document's JSON is what
    /// `parse` gives. A file that cannot be read becomes an error record; the exit code is then
    /// 2 at the end. With --stdin-jsonl a line that cannot be read is answered by an error
    /// record and the exit code stays 0 (--strict: 2).
    Batch(BatchArgs),
    /// Compare two readings: an extraction against a hand-corrected expected file, or two
    /// versions of a plan. Each side is zhengce JSON, a gold file, or a source document.
    ///
    /// Exit 0 when they read the same, 1 when they differ (or score below --min-f1), 2 on trouble.
    Diff(DiffArgs),
    /// Make a review page: one self-contained HTML file that shows the document as read.
    ///
    /// FILE is a source document, or zhengce JSON: its text is then the --source given, else
    /// the file at its `source.path` when its SHA-256 matches, else rebuilt from the task texts.
    View(ViewArgs),
    /// Print the JSON Schema of the output (`diff`: of the diff report, `score`: of the score
    /// report).
    Schema(SchemaArgs),
    /// Write the task ledger (台账) of one or more documents: an Excel workbook, or one CSV file
    /// per sheet (UTF-8 with a byte-order mark, which Excel and WPS open as such).
    ///
    /// Sheets: 任务清单 (one row per unit of work), 部门任务 (one row per department, task and
    /// role, sorted by department), 指标 (one row per target), 文件 (one row per document).
    /// Inputs are source documents or zhengce JSON (a corrected JSON gives a corrected ledger).
    /// With SOURCE_DATE_EPOCH set, the workbook's creation time is that, and the same inputs
    /// give the same bytes.
    Ledger(LedgerArgs),
    /// Check rule files: compile them and run every example they carry; or write the
    /// embedded ones to a folder to copy and edit.
    Rules(RulesArgs),
    /// The PDF reader's child process: a PDF on standard input, its pages as JSON on standard
    /// output (run by zhengce itself).
    #[command(name = "__read-pdf", hide = true)]
    ReadPdf(ReadPdfArgs),
}

/// Arguments of `parse`.
#[derive(Args)]
pub struct ParseArgs {
    /// The document (text in any of UTF-8, GBK/GB18030, UTF-16, Big5; a web page; DOCX;
    /// DOC; PDF with a text layer), or `-` for standard input.
    pub input: String,
    /// Write the JSON here (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Rules directory whose files replace the embedded defaults [default: $ZHENGCE_RULES].
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// One line of JSON instead of indented output.
    #[arg(long)]
    pub compact: bool,
    /// Read as text even what is no document zhengce reads.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `text`.
#[derive(Args)]
pub struct TextArgs {
    /// The document, or `-` for standard input.
    pub input: String,
    /// Write the text here (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Rules directory whose files replace the embedded defaults.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Read as text even what is no document zhengce reads.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `batch`.
#[derive(Args)]
pub struct BatchArgs {
    /// Files and folders to parse.
    #[arg(required_unless_present = "stdin_jsonl")]
    pub inputs: Vec<PathBuf>,
    /// Write one .json per input here, mirroring the input folders.
    #[arg(long, value_name = "DIR", conflicts_with = "jsonl")]
    pub out: Option<PathBuf>,
    /// Write one JSON document per line to standard output (the default).
    #[arg(long)]
    pub jsonl: bool,
    /// Read `{"id": …, "text": …}` lines from standard input; write one result line per
    /// input line, in order, as they are done.
    #[arg(long, conflicts_with_all = ["inputs", "out"])]
    pub stdin_jsonl: bool,
    /// Threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Which files of a folder to read (default: every document type zhengce reads, by
    /// extension: .txt .html .htm .shtml .docx .doc .wps .pdf).
    #[arg(long, value_name = "GLOB")]
    pub glob: Option<String>,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// With --out: one line of JSON per file instead of indented output.
    #[arg(long)]
    pub compact: bool,
    /// Read as text even what is no document zhengce reads.
    #[arg(long)]
    pub force: bool,
    /// With --stdin-jsonl: exit 2 when any line was answered by an error record.
    #[arg(long, requires = "stdin_jsonl")]
    pub strict: bool,
    /// Rules directory whose files replace the embedded defaults [default: $ZHENGCE_RULES].
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// Arguments of `diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// The left side: old version, or the expected reading.
    pub left: String,
    /// The right side: new version, or the document to check.
    pub right: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report here (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Language of the text, Markdown and HTML reports and of the JSON's detail lines.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Fields not to compare (repeat, or separate with commas): meta, title, text, marker,
    /// lead, participants, targets, departments (spans and source are never compared).
    #[arg(long, value_name = "FIELD", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub ignore: Vec<String>,
    /// Colour the text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Score the right side against the left as expected: precision, recall and F1.
    #[arg(long)]
    pub score: bool,
    /// With --score: exit 1 when the overall F1 is below this.
    #[arg(long, value_name = "F1", requires = "score")]
    pub min_f1: Option<f64>,
    /// Rules directory for parsing source documents [default: $ZHENGCE_RULES].
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// Arguments of `view`.
#[derive(Args)]
pub struct ViewArgs {
    /// The document, or zhengce JSON.
    pub file: String,
    /// Write the page here (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The source document of a JSON file.
    #[arg(long, value_name = "DOCUMENT")]
    pub source: Option<PathBuf>,
    /// Language of the page's labels.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Rules directory for parsing a source document [default: $ZHENGCE_RULES].
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Parse even what does not look like a text document.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `schema`.
#[derive(Args)]
pub struct SchemaArgs {
    /// Which schema: `document` (default), `diff` or `score`.
    #[arg(default_value = "document")]
    pub which: String,
}

/// Arguments of `ledger`.
#[derive(Args)]
pub struct LedgerArgs {
    /// Documents or zhengce JSON files, in the order their rows should appear.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The workbook (`ledger.xlsx`) or CSV file (`ledger.csv`: one file per sheet beside it,
    /// `ledger-任务清单.csv`, …, or this file alone with --sheet).
    #[arg(short, long)]
    pub output: PathBuf,
    /// The format (default: from the output's extension).
    #[arg(long, value_enum)]
    pub format: Option<LedgerFormat>,
    /// The language of headers and labels.
    #[arg(long, value_enum, default_value_t = LedgerLang::Zh)]
    pub lang: LedgerLang,
    /// Only this sheet.
    #[arg(long, value_enum)]
    pub sheet: Option<LedgerSheet>,
    /// Threads reading the inputs (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Rules directory for parsing source documents.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// Arguments of `rules`.
#[derive(Args)]
pub struct RulesArgs {
    /// Rules directory to check [default: $ZHENGCE_RULES, else the embedded rules].
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Write the embedded rule files, with their examples, into this folder (created if
    /// missing; existing files are not overwritten).
    #[arg(long, value_name = "DIR", conflicts_with = "rules")]
    pub dump: Option<PathBuf>,
}

/// Arguments of `readpdf`.
#[derive(Args)]
pub struct ReadPdfArgs {
    /// The memory it may map, in bytes.
    #[arg(long)]
    pub memory: u64,
    /// The CPU time it may use, in seconds.
    #[arg(long)]
    pub cpu_seconds: u64,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people (with colour on a terminal).
    #[value(alias = "human")]
    Text,
    /// The versioned `zhengce-diff/1` JSON (or the score object with --score).
    Json,
    /// A Markdown table, for a review or a ticket.
    Markdown,
    /// A self-contained HTML page in the style of `zhengce view` (use with -o).
    Html,
}

/// The language of what people read.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Chinese.
    Zh,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// Output formats of `ledger`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LedgerFormat {
    /// One Excel workbook.
    Xlsx,
    /// One CSV file per sheet (UTF-8 with a byte-order mark).
    Csv,
}

/// Languages of the ledger's headers and labels.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LedgerLang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// The sheets of the ledger, by English or Chinese name.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LedgerSheet {
    /// 任务清单: one row per unit of work.
    #[value(alias = "任务清单")]
    Tasks,
    /// 部门任务: one row per department, task and role.
    #[value(alias = "部门任务")]
    Departments,
    /// 指标: one row per target.
    #[value(alias = "指标")]
    Targets,
    /// 文件: one row per document.
    #[value(alias = "文件")]
    Documents,
}

impl From<LedgerFormat> for ledger::Format {
    fn from(f: LedgerFormat) -> ledger::Format {
        match f {
            LedgerFormat::Xlsx => ledger::Format::Xlsx,
            LedgerFormat::Csv => ledger::Format::Csv,
        }
    }
}

impl From<LedgerLang> for ledger::Lang {
    fn from(l: LedgerLang) -> ledger::Lang {
        match l {
            LedgerLang::Zh => ledger::Lang::Zh,
            LedgerLang::En => ledger::Lang::En,
        }
    }
}

impl LedgerSheet {
    pub fn sheet(self) -> ledger::Sheet {
        match self {
            LedgerSheet::Tasks => ledger::Sheet::Tasks,
            LedgerSheet::Departments => ledger::Sheet::Departments,
            LedgerSheet::Targets => ledger::Sheet::Targets,
            LedgerSheet::Documents => ledger::Sheet::Documents,
        }
    }
}

/// When to colour text output.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Color {
    pub fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}
