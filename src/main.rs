//! The `zhengce` command line: argument parsing, printing and exit codes.
//!
//! Exit codes: 0 success; 1 differences found (`diff`) or a failed gate; 2 trouble (unreadable
//! input, bad rules, unwritable output).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser as ClapParser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use zhengce::base::rule_file::RuleFile;
use zhengce::compare::diff::{self, Field, Lang, Style};
use zhengce::compare::score;
use zhengce::model::Document;
use zhengce::rules::{LoadOptions, Rules};
use zhengce::stages::read::pdf;
use zhengce::{Parser, batch, files, ledger};

// Parsing allocates many small vectors and strings; mimalloc serves them faster than glibc.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(ClapParser)]
#[command(
    name = "zhengce",
    version,
    about = "Chinese policy documents to a structured task ledger (JSON, XLSX, CSV)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one document into zhengce/1 JSON.
    Parse {
        /// The document (text in any of UTF-8, GBK/GB18030, UTF-16, Big5; a web page; DOCX;
        /// DOC; PDF with a text layer), or `-` for standard input.
        input: String,
        /// Write the JSON here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Rules directory whose files replace the embedded defaults [default: $ZHENGCE_RULES].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// One line of JSON instead of indented output.
        #[arg(long)]
        compact: bool,
        /// Read as text even what is no document zhengce reads.
        #[arg(long)]
        force: bool,
    },
    /// Print the text zhengce reads from a document: the text every span of `parse` indexes.
    Text {
        /// The document, or `-` for standard input.
        input: String,
        /// Write the text here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Rules directory whose files replace the embedded defaults.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Read as text even what is no document zhengce reads.
        #[arg(long)]
        force: bool,
    },
    /// Parse many documents: files and folders (recursively), or a stream of JSON lines.
    ///
    /// Output is in input order whatever the thread count, and each document's JSON is what
    /// `parse` gives. A file that cannot be read becomes an error record; the exit code is then
    /// 2 at the end. With --stdin-jsonl a line that cannot be read is answered by an error
    /// record and the exit code stays 0 (--strict: 2).
    Batch {
        /// Files and folders to parse.
        #[arg(required_unless_present = "stdin_jsonl")]
        inputs: Vec<PathBuf>,
        /// Write one .json per input here, mirroring the input folders.
        #[arg(long, value_name = "DIR", conflicts_with = "jsonl")]
        out: Option<PathBuf>,
        /// Write one JSON document per line to standard output (the default).
        #[arg(long)]
        jsonl: bool,
        /// Read `{"id": …, "text": …}` lines from standard input; write one result line per
        /// input line, in order, as they are done.
        #[arg(long, conflicts_with_all = ["inputs", "out"])]
        stdin_jsonl: bool,
        /// Threads (default: all cores).
        #[arg(short = 'j', long, value_name = "N")]
        jobs: Option<usize>,
        /// Which files of a folder to read (default: every document type zhengce reads, by
        /// extension: .txt .html .htm .shtml .docx .doc .wps .pdf).
        #[arg(long, value_name = "GLOB")]
        glob: Option<String>,
        /// No progress bar and no summary line.
        #[arg(short, long)]
        quiet: bool,
        /// With --out: one line of JSON per file instead of indented output.
        #[arg(long)]
        compact: bool,
        /// Read as text even what is no document zhengce reads.
        #[arg(long)]
        force: bool,
        /// With --stdin-jsonl: exit 2 when any line was answered by an error record.
        #[arg(long, requires = "stdin_jsonl")]
        strict: bool,
        /// Rules directory whose files replace the embedded defaults [default: $ZHENGCE_RULES].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Compare two readings: an extraction against a hand-corrected expected file, or two
    /// versions of a plan. Each side is zhengce JSON, a gold file, or a source document.
    ///
    /// Exit 0 when they read the same, 1 when they differ (or score below --min-f1), 2 on trouble.
    Diff {
        /// The left side: old version, or the expected reading.
        left: String,
        /// The right side: new version, or the document to check.
        right: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the report here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Language of the text, Markdown and HTML reports and of the JSON's detail lines.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// Fields not to compare (repeat, or separate with commas): meta, title, text, marker,
        /// lead, participants, targets, departments (spans and source are never compared).
        #[arg(long, value_name = "FIELD", value_delimiter = ',', action = clap::ArgAction::Append)]
        ignore: Vec<String>,
        /// Colour the text output.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Score the right side against the left as expected: precision, recall and F1.
        #[arg(long)]
        score: bool,
        /// With --score: exit 1 when the overall F1 is below this.
        #[arg(long, value_name = "F1", requires = "score")]
        min_f1: Option<f64>,
        /// Rules directory for parsing source documents [default: $ZHENGCE_RULES].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Make a review page: one self-contained HTML file that shows the document as read.
    ///
    /// FILE is a source document, or zhengce JSON: its text is then the --source given, else
    /// the file at its `source.path` when its SHA-256 matches, else rebuilt from the task texts.
    View {
        /// The document, or zhengce JSON.
        file: String,
        /// Write the page here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The source document of a JSON file.
        #[arg(long, value_name = "DOCUMENT")]
        source: Option<PathBuf>,
        /// Language of the page's labels.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// Rules directory for parsing a source document [default: $ZHENGCE_RULES].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Parse even what does not look like a text document.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the output (`diff`: of the diff report, `score`: of the score
    /// report).
    Schema {
        /// Which schema: `document` (default), `diff` or `score`.
        #[arg(default_value = "document")]
        which: String,
    },
    /// Write the task ledger (台账) of one or more documents: an Excel workbook, or one CSV file
    /// per sheet (UTF-8 with a byte-order mark, which Excel and WPS open as such).
    ///
    /// Sheets: 任务清单 (one row per unit of work), 部门任务 (one row per department, task and
    /// role, sorted by department), 指标 (one row per target), 文件 (one row per document).
    /// Inputs are source documents or zhengce JSON (a corrected JSON gives a corrected ledger).
    /// With SOURCE_DATE_EPOCH set, the workbook's creation time is that, and the same inputs
    /// give the same bytes.
    Ledger {
        /// Documents or zhengce JSON files, in the order their rows should appear.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The workbook (`ledger.xlsx`) or CSV file (`ledger.csv`: one file per sheet beside it,
        /// `ledger-任务清单.csv`, …, or this file alone with --sheet).
        #[arg(short, long)]
        output: PathBuf,
        /// The format (default: from the output's extension).
        #[arg(long, value_enum)]
        format: Option<LedgerFormat>,
        /// The language of headers and labels.
        #[arg(long, value_enum, default_value_t = LedgerLang::Zh)]
        lang: LedgerLang,
        /// Only this sheet.
        #[arg(long, value_enum)]
        sheet: Option<LedgerSheet>,
        /// Threads reading the inputs (default: all cores).
        #[arg(short = 'j', long, value_name = "N")]
        jobs: Option<usize>,
        /// No summary line.
        #[arg(short, long)]
        quiet: bool,
        /// Rules directory for parsing source documents.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Check rule files: compile them and run every example they carry; or write the
    /// embedded ones to a folder to copy and edit.
    Rules {
        /// Rules directory to check [default: $ZHENGCE_RULES, else the embedded rules].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Write the embedded rule files, with their examples, into this folder (created if
        /// missing; existing files are not overwritten).
        #[arg(long, value_name = "DIR", conflicts_with = "rules")]
        dump: Option<PathBuf>,
    },
    /// The PDF reader's child process: a PDF on standard input, its pages as JSON on standard
    /// output (run by zhengce itself).
    #[command(name = "__read-pdf", hide = true)]
    ReadPdf {
        /// The memory it may map, in bytes.
        #[arg(long)]
        memory: u64,
        /// The CPU time it may use, in seconds.
        #[arg(long)]
        cpu_seconds: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zhengce: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let mut cli = cli;
    match &mut cli.command {
        Command::Parse { rules, .. }
        | Command::Batch { rules, .. }
        | Command::Diff { rules, .. }
        | Command::Rules { rules, .. }
        | Command::View { rules, .. }
        | Command::Ledger { rules, .. }
        | Command::Text { rules, .. } => *rules = rules_dir(rules.take()),
        Command::Schema { .. } | Command::ReadPdf { .. } => {}
    }
    match cli.command {
        Command::Parse {
            input,
            output,
            rules,
            compact,
            force,
        } => cmd_parse(&input, output.as_deref(), rules.as_deref(), compact, force),
        Command::Text {
            input,
            output,
            rules,
            force,
        } => cmd_text(&input, output.as_deref(), rules.as_deref(), force),
        Command::Batch {
            inputs,
            out,
            jsonl: _,
            stdin_jsonl,
            jobs,
            glob,
            quiet,
            compact,
            force,
            strict,
            rules,
        } => {
            let parser = load_parser(rules.as_deref())?;
            let threads = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
                .max(1);
            let opts = batch::Options {
                threads,
                compact,
                force,
            };
            if stdin_jsonl {
                cmd_stream(&parser, &opts, quiet, strict)
            } else {
                let filter = match glob {
                    Some(g) => {
                        batch::Filter::Glob(batch::matcher(&g).map_err(|e| anyhow!("--glob: {e}"))?)
                    }
                    None => batch::Filter::Documents,
                };
                let listing = batch::discover(&inputs, &filter);
                cmd_batch(&parser, &opts, listing, out.as_deref(), quiet)
            }
        }
        Command::Diff {
            left,
            right,
            format,
            output,
            lang,
            ignore,
            color,
            score,
            min_f1,
            rules,
        } => {
            let parser = load_parser(rules.as_deref())?;
            if left == "-" && right == "-" {
                bail!("only one side can be standard input");
            }
            let (l, r) = (diff_side(&parser, &left)?, diff_side(&parser, &right)?);
            let out = Output {
                path: output.as_deref(),
                inputs: [left.as_str(), right.as_str()],
            };
            if score {
                cmd_score(&l.doc, &r.doc, l.annotated, format, min_f1, &out)
            } else {
                let style = Style {
                    color: color.enabled() && output.is_none(),
                    lang: lang.into(),
                };
                cmd_diff(&l, &r, format, &ignore, style, &out)
            }
        }
        Command::View {
            file,
            output,
            source,
            lang,
            rules,
            force,
        } => cmd_view(
            &file,
            output.as_deref(),
            source.as_deref(),
            lang.into(),
            rules.as_deref(),
            force,
        ),
        Command::Ledger {
            inputs,
            output,
            format,
            lang,
            sheet,
            jobs,
            quiet,
            rules,
        } => {
            let format = match format {
                Some(LedgerFormat::Xlsx) => ledger::Format::Xlsx,
                Some(LedgerFormat::Csv) => ledger::Format::Csv,
                None => ledger::Format::from_path(&output).ok_or_else(|| {
                    anyhow!(
                        "{}: say --format xlsx or --format csv (the extension does not tell)",
                        output.display()
                    )
                })?,
            };
            let created =
                match std::env::var("SOURCE_DATE_EPOCH") {
                    Ok(v) if !v.is_empty() => Some(v.trim().parse::<i64>().map_err(|_| {
                        anyhow!("SOURCE_DATE_EPOCH: `{v}` is not a number of seconds")
                    })?),
                    _ => None,
                };
            let opts = ledger::Options {
                format,
                lang: match lang {
                    LedgerLang::Zh => ledger::Lang::Zh,
                    LedgerLang::En => ledger::Lang::En,
                },
                sheets: match sheet {
                    None => ledger::Sheet::ALL.to_vec(),
                    Some(s) => vec![s.sheet()],
                },
                created,
            };
            let parser = load_parser(rules.as_deref())?;
            let threads = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
                .max(1);
            cmd_ledger(&parser, &inputs, &output, &opts, threads, quiet)
        }
        Command::Schema { which } => cmd_schema(&which),
        Command::Rules { rules, dump } => match dump {
            Some(dir) => cmd_rules_dump(&dir),
            None => cmd_rules(rules.as_deref()),
        },
        Command::ReadPdf {
            memory,
            cpu_seconds,
        } => {
            let (mut stdin, mut stdout) = (std::io::stdin().lock(), std::io::stdout().lock());
            let code = pdf::serve_child(&mut stdin, &mut stdout, memory, cpu_seconds);
            Ok(ExitCode::from(code))
        }
    }
}

/// A parser with the rules of `dir`, or the embedded ones, that reads PDFs in a child process
/// of this binary (so that a PDF the library fails on cannot stop the run).
fn load_parser(dir: Option<&Path>) -> Result<Parser> {
    let parser = Parser::load(&LoadOptions {
        dir,
        examples: false,
    })?;
    Ok(match std::env::current_exe() {
        Ok(exe) => parser.with_pdf_runner(pdf::PdfRunner::Child(pdf::PdfChild::new(exe))),
        Err(_) => parser,
    })
}

/// The rules folder: `--rules`, else `ZHENGCE_RULES` when set and not empty.
fn rules_dir(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.or_else(|| {
        std::env::var_os("ZHENGCE_RULES")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

fn cmd_parse(
    input: &str,
    output: Option<&Path>,
    rules: Option<&Path>,
    compact: bool,
    force: bool,
) -> Result<ExitCode> {
    // The target rules finish compiling while the input is read and the first stages run.
    let parser = load_parser(rules)?;
    let doc = if input == "-" {
        let bytes = read_stdin()?;
        files::parse_bytes(&parser, &bytes, None, force)?
    } else {
        files::parse_path(&parser, Path::new(input), force)?
    };
    let json = zhengce::emit::to_json(&doc, compact)?;
    let found = files::Found::of(&doc);
    if std::io::stderr().is_terminal() {
        eprintln!("{found}");
    }
    if found.text_without_tasks() {
        let name = if input == "-" { "<stdin>" } else { input };
        eprintln!(
            "zhengce: warning: {name}: no tasks found (no numbered headings were recognised; the diagnostics in the JSON say more)"
        );
    }
    match output {
        Some(out) => {
            if input != "-" && files::same_file(Path::new(input), out) {
                bail!("{}: the output would overwrite the input", out.display());
            }
            files::write_atomically(out, &json)?;
        }
        None => write_stdout(&json)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `text`: the text read from a document, exactly.
fn cmd_text(
    input: &str,
    output: Option<&Path>,
    rules: Option<&Path>,
    force: bool,
) -> Result<ExitCode> {
    let parser = load_parser(rules)?;
    let decoded = if input == "-" {
        files::read_document(&parser, &read_stdin()?, None, force)?
    } else {
        let path = Path::new(input);
        files::read_document(&parser, &files::read(path)?, Some(input), force)?
    };
    let text = parser.text_of(decoded);
    match output {
        Some(out) => {
            if input != "-" && files::same_file(Path::new(input), out) {
                bail!("{}: the output would overwrite the input", out.display());
            }
            files::write_atomically(out, text.as_bytes())?;
        }
        None => write_stdout(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Files and folders: one JSON line each on standard output, or one file each under `out`.
fn cmd_batch(
    parser: &Parser,
    opts: &batch::Options,
    listing: batch::Listing,
    out: Option<&Path>,
    quiet: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let list = listing.inputs;
    if !quiet && !listing.skipped.is_empty() {
        eprintln!("zhengce batch: {}", batch::skipped_note(&listing.skipped));
    }
    let bar = progress(Some(list.len() as u64), quiet);
    let stdout = std::io::stdout();
    let mut sink = std::io::BufWriter::new(stdout.lock());
    let totals = batch::run_files(parser, opts, list, out, &mut sink, |_, error| {
        bar.inc(1);
        if let Some(e) = error {
            bar.suspend(|| eprintln!("zhengce: {e}"));
        }
    })?;
    bar.finish_and_clear();
    summary(&totals, started, quiet);
    Ok(batch_exit(&totals))
}

/// `--stdin-jsonl`: one result line per input line, in order, flushed as it goes. Every line
/// answered is success, an error record too, unless `strict`.
fn cmd_stream(
    parser: &Parser,
    opts: &batch::Options,
    quiet: bool,
    strict: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let bar = progress(None, quiet);
    let stdout = std::io::stdout();
    let mut sink = std::io::BufWriter::new(stdout.lock());
    // Read on the pipeline's reader thread: a lock of standard input cannot move there.
    let stdin = std::io::BufReader::new(std::io::stdin());
    let totals = batch::stream::run(parser, opts, stdin, &mut sink, |_| bar.inc(1))?;
    bar.finish_and_clear();
    summary(&totals, started, quiet);
    Ok(if strict {
        batch_exit(&totals)
    } else {
        ExitCode::SUCCESS
    })
}

fn batch_exit(totals: &batch::Totals) -> ExitCode {
    if totals.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// One side of `diff`: a file, or standard input for `-`.
fn diff_side(parser: &Parser, input: &str) -> Result<diff::Loaded> {
    let (bytes, path) = if input == "-" {
        (read_stdin()?, "<stdin>".to_string())
    } else {
        (files::read(Path::new(input))?, input.to_string())
    };
    Ok(diff::load_side(&bytes, &path, parser)?)
}

/// Where a command writes: standard output, or a file (never one of its inputs).
struct Output<'a, const N: usize> {
    path: Option<&'a Path>,
    inputs: [&'a str; N],
}

impl<const N: usize> Output<'_, N> {
    fn write(&self, bytes: &[u8]) -> Result<()> {
        let Some(out) = self.path else {
            return write_stdout(bytes);
        };
        if self
            .inputs
            .iter()
            .any(|i| *i != "-" && files::same_file(Path::new(i), out))
        {
            bail!("{}: the output would overwrite an input", out.display());
        }
        Ok(files::write_atomically(out, bytes)?)
    }
}

/// `view`: the review page of one document.
fn cmd_view(
    file: &str,
    output: Option<&Path>,
    source: Option<&Path>,
    lang: Lang,
    rules: Option<&Path>,
    force: bool,
) -> Result<ExitCode> {
    let parser = load_parser(rules)?;
    let (bytes, path) = if file == "-" {
        (read_stdin()?, "<stdin>".to_string())
    } else {
        (files::read(Path::new(file))?, file.to_string())
    };
    let reading = zhengce::view::load(&bytes, &path, source, &parser, force)?;
    if reading.origin == zhengce::view::Origin::Rebuilt {
        eprintln!(
            "zhengce: note: {path}: no source document given or found; the page shows the text rebuilt from the JSON (give it with --source for the whole text)"
        );
    }
    let html = zhengce::view::page(&reading, lang);
    Output {
        path: output,
        inputs: [file],
    }
    .write(html.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_diff(
    left: &diff::Loaded,
    right: &diff::Loaded,
    format: Format,
    ignore: &[String],
    style: Style,
    out: &Output<2>,
) -> Result<ExitCode> {
    let mut fields = BTreeSet::new();
    for name in ignore {
        let f = Field::parse(name).ok_or_else(|| {
            anyhow!(
                "--ignore: unknown field `{name}` (known: {})",
                Field::NAMES.join(", ")
            )
        })?;
        fields.insert(f);
    }
    let report = diff::diff_loaded(left, right, &fields, style.lang);
    let text = match format {
        Format::Text => diff::render_text(&report, style),
        Format::Markdown => diff::render_markdown(&report, style.lang),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        Format::Html => zhengce::view::diff_page(&report, style.lang),
    };
    out.write(text.as_bytes())?;
    Ok(if report.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `diff --score`: the right side scored against the left as expected.
fn cmd_score(
    expected: &Document,
    actual: &Document,
    annotated: score::Annotated,
    format: Format,
    min_f1: Option<f64>,
    out: &Output<2>,
) -> Result<ExitCode> {
    let report = score::Report::new(&score::score_annotated(expected, actual, annotated));
    let text = match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        Format::Text => score::render(&report, false),
        Format::Markdown => score::render(&report, true),
        Format::Html => bail!("--score has no HTML form: use text, markdown or json"),
    };
    out.write(text.as_bytes())?;
    let f1 = report.overall.f1;
    Ok(match min_f1 {
        Some(min) if f1 < min => {
            eprintln!("zhengce: overall F1 {f1:.3} is below --min-f1 {min}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    })
}

/// The ledger of `inputs`, read on `threads` threads and written in input order; nothing is
/// written when an input cannot be read.
fn cmd_ledger(
    parser: &Parser,
    inputs: &[PathBuf],
    output: &Path,
    opts: &ledger::Options,
    threads: usize,
    quiet: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let outputs = ledger::outputs(output, opts);
    for out in &outputs {
        if let Some(input) = inputs.iter().find(|i| files::same_file(i, out)) {
            bail!("{}: the output would overwrite the input", input.display());
        }
    }
    let mut book = ledger::Ledger::create(output, opts)?;
    let mut failed: Option<anyhow::Error> = None;
    batch::ordered(
        threads,
        threads * 4,
        |push| {
            for input in inputs {
                if !push(input) {
                    return;
                }
            }
        },
        |input| ledger::load(parser, input),
        |doc| {
            match doc.and_then(|doc| book.add(&doc)) {
                Ok(()) => return true,
                Err(e) => failed = Some(e.into()),
            }
            false
        },
    );
    if let Some(e) = failed {
        return Err(e);
    }
    let totals = book.finish()?;
    if !quiet {
        let written: Vec<String> = outputs.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "zhengce ledger: {} documents, {} task rows, {} department rows, {} targets in {:.2} s -> {}",
            totals.documents,
            totals.tasks,
            totals.departments,
            totals.targets,
            started.elapsed().as_secs_f64(),
            written.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_schema(which: &str) -> Result<ExitCode> {
    let value = match which {
        "document" => zhengce::model::json_schema(),
        "diff" => serde_json::to_value(schemars::schema_for!(diff::Report))?,
        "score" => serde_json::to_value(schemars::schema_for!(score::Report))?,
        other => bail!("unknown schema `{other}` (known: document, diff, score)"),
    };
    let schema = serde_json::to_string_pretty(&value)?;
    write_stdout(format!("{schema}\n").as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_rules(dir: Option<&Path>) -> Result<ExitCode> {
    let rules = Rules::load(&LoadOptions {
        dir,
        examples: true,
    })?;
    let checked = rules.check_examples();
    for f in &checked.failures {
        eprintln!("{f}");
    }
    if checked.failures.is_empty() {
        println!("{} examples passed", checked.count);
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} of {} examples failed",
            checked.failures.len(),
            checked.count
        );
        Ok(ExitCode::from(1))
    }
}

/// `rules --dump DIR`: the embedded rule files, examples included, for a user to copy and edit.
fn cmd_rules_dump(dir: &Path) -> Result<ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let files = RuleFile::ALL.map(|f| (dir.join(f.name()), f));
    // Check first, so that a refusal writes nothing: a user's edited rules are never replaced.
    if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        bail!(
            "{} exists: not overwritten (dump into an empty folder, or move it away)",
            path.display()
        );
    }
    for (path, f) in &files {
        files::write_atomically(path, zhengce::rules::embedded_text(*f).as_bytes())?;
    }
    eprintln!(
        "wrote {} rule files to {}; use them with --rules {} or ZHENGCE_RULES={}",
        files.len(),
        dir.display(),
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn progress(len: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match len {
        Some(n) => (
            ProgressBar::new(n),
            "{bar:40} {pos}/{len} documents, {rate}, {eta} left",
        ),
        None => (ProgressBar::new_spinner(), "{spinner} {pos} lines, {rate}"),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        // indicatif's own {per_sec} shows four decimals (114.9123/s).
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/s", rate(state.per_sec()));
            },
        ));
    }
    bar
}

fn summary(t: &batch::Totals, started: Instant, quiet: bool) {
    if quiet {
        return;
    }
    let secs = started.elapsed().as_secs_f64();
    let count = files::count;
    eprintln!(
        "zhengce batch: {}, {}, {}, {}, {}, {} in {secs:.2} s ({} MB/s)",
        count(t.documents, "document", "documents"),
        count(t.tasks, "task", "tasks"),
        count(t.attributions, "attribution", "attributions"),
        count(t.targets, "target", "targets"),
        count(t.diagnostics, "diagnostic", "diagnostics"),
        count(t.errors, "error", "errors"),
        rate(t.bytes as f64 / 1e6 / secs.max(1e-9))
    );
}

/// A rate for people: one decimal below 1,000 (`114.9`), whole above (`2,345`).
fn rate(per_sec: f64) -> String {
    if per_sec < 1000.0 {
        format!("{per_sec:.1}")
    } else {
        let whole = format!("{:.0}", per_sec);
        let mut out = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

/// Output formats of `diff`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
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
enum LangArg {
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
enum LedgerFormat {
    /// One Excel workbook.
    Xlsx,
    /// One CSV file per sheet (UTF-8 with a byte-order mark).
    Csv,
}

/// Languages of the ledger's headers and labels.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LedgerLang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// The sheets of the ledger, by English or Chinese name.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LedgerSheet {
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

impl LedgerSheet {
    fn sheet(self) -> ledger::Sheet {
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
enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Color {
    fn enabled(self) -> bool {
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

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    Ok(buf)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}
