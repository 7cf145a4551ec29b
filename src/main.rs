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
use zhengce::compare::diff::{self, Field, Style};
use zhengce::compare::score;
use zhengce::model::Document;
use zhengce::rules::{LoadOptions, Rules};
use zhengce::stages::read::pdf;
use zhengce::{Parser, batch, files};

// Parsing allocates many small vectors and strings; mimalloc serves them faster than glibc.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(ClapParser)]
#[command(
    name = "zhengce",
    version,
    about = "Chinese policy documents to a structured task ledger (JSON)"
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
        /// Rules directory whose files replace the embedded defaults.
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
        /// Rules directory whose files replace the embedded defaults.
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
        /// Rules directory for parsing source documents.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Print the JSON Schema of the output (`diff`: of the diff report, `score`: of the score
    /// report).
    Schema {
        /// Which schema: `document` (default), `diff` or `score`.
        #[arg(default_value = "document")]
        which: String,
    },
    /// Check rule files: compile them and run every example they carry.
    Rules {
        /// Rules directory to check (default: the embedded rules).
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
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
            let ((l, annotated), (r, _)) =
                (diff_side(&parser, &left)?, diff_side(&parser, &right)?);
            if score {
                cmd_score(&l, &r, annotated, format, min_f1)
            } else {
                cmd_diff(&l, &r, format, &ignore, color)
            }
        }
        Command::Schema { which } => cmd_schema(&which),
        Command::Rules { rules } => cmd_rules(rules.as_deref()),
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
    match output {
        Some(out) => {
            if input != "-" && files::same_file(Path::new(input), out) {
                bail!("{}: the output would overwrite the input", out.display());
            }
            files::write_atomically(out, decoded.text.as_bytes())?;
        }
        None => write_stdout(decoded.text.as_bytes())?,
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

/// One side of `diff`: a file, or standard input for `-`, with what it annotates.
fn diff_side(parser: &Parser, input: &str) -> Result<(Document, score::Annotated)> {
    let (bytes, path) = if input == "-" {
        (read_stdin()?, "<stdin>".to_string())
    } else {
        (files::read(Path::new(input))?, input.to_string())
    };
    Ok(diff::load_expected(&bytes, &path, parser)?)
}

fn cmd_diff(
    left: &Document,
    right: &Document,
    format: Format,
    ignore: &[String],
    color: Color,
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
    let report = diff::diff(left, right, &fields);
    let text = match format {
        Format::Text => diff::render_text(
            &report,
            Style {
                color: color.enabled(),
            },
        ),
        Format::Markdown => diff::render_markdown(&report),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
    };
    write_stdout(text.as_bytes())?;
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
) -> Result<ExitCode> {
    let report = score::Report::new(&score::score_annotated(expected, actual, annotated));
    let text = match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        Format::Text => score::render(&report, false),
        Format::Markdown => score::render(&report, true),
    };
    write_stdout(text.as_bytes())?;
    let f1 = report.overall.f1;
    Ok(match min_f1 {
        Some(min) if f1 < min => {
            eprintln!("zhengce: overall F1 {f1:.3} is below --min-f1 {min}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    })
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

fn progress(len: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match len {
        Some(n) => (
            ProgressBar::new(n),
            "{bar:40} {pos}/{len} documents, {per_sec}, {eta} left",
        ),
        None => (
            ProgressBar::new_spinner(),
            "{spinner} {pos} lines, {per_sec}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

fn summary(t: &batch::Totals, started: Instant, quiet: bool) {
    if quiet {
        return;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "zhengce batch: {} documents, {} tasks, {} attributions, {} targets, {} diagnostics, {} errors in {secs:.2} s ({:.1} MB/s)",
        t.documents,
        t.tasks,
        t.attributions,
        t.targets,
        t.diagnostics,
        t.errors,
        t.bytes as f64 / 1e6 / secs.max(1e-9)
    );
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
