//! The `zhengce` command line: argument parsing, printing and exit codes.
//!
//! Exit codes: 0 success; 1 differences found (`diff`) or a failed gate; 2 trouble (unreadable
//! input, bad rules, unwritable output).

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser as ClapParser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use zhengce::compare::diff::{Field, Style};
use zhengce::rules::{LoadOptions, Rules};
use zhengce::{Parser, batch};

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
        /// The document (any of UTF-8, GBK/GB18030, UTF-16, Big5), or `-` for standard input.
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
        /// Parse even what does not look like a text document.
        #[arg(long)]
        force: bool,
    },
    /// Parse many documents: files and folders (recursively), or a stream of JSON lines.
    ///
    /// Output is in input order whatever the thread count, and each document's JSON is what
    /// `parse` gives. A file that cannot be read becomes an error record; the exit code is then
    /// 2 at the end.
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
        /// Which files of a folder to read.
        #[arg(long, value_name = "GLOB", default_value = "*.txt")]
        glob: String,
        /// No progress bar and no summary line.
        #[arg(short, long)]
        quiet: bool,
        /// With --out: one line of JSON per file instead of indented output.
        #[arg(long)]
        compact: bool,
        /// Parse even what does not look like a text document.
        #[arg(long)]
        force: bool,
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
    /// Print the JSON Schema of the output (`zhengce schema diff`: of the diff report).
    Schema {
        /// Which schema: `document` (default) or `diff`.
        #[arg(default_value = "document")]
        which: String,
    },
    /// Check rule files: compile them and run every example they carry.
    Rules {
        /// Rules directory to check (default: the embedded rules).
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
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
        } => {
            // The target rules finish compiling while the stages before them run.
            let rules = Rules::load(&LoadOptions {
                dir: rules.as_deref(),
                examples: false,
            })?;
            let parser = Parser::new(Arc::clone(&rules));
            let doc = if input == "-" {
                let (bytes, _) = read_input(&input)?;
                batch::parse_bytes(&parser, &bytes, None, force)?
            } else {
                batch::parse_path(&parser, Path::new(&input), force)?
            };
            rules.wait()?;
            let json = to_json(&doc, compact)?;
            match output {
                Some(out) => {
                    if input != "-" && same_file(Path::new(&input), &out) {
                        bail!("{}: the output would overwrite the input", out.display());
                    }
                    write_atomically(&out, &json)?;
                }
                None => write_stdout(&json)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { which } => {
            let value = match which.as_str() {
                "document" => zhengce::model::json_schema(),
                "diff" => {
                    serde_json::to_value(schemars::schema_for!(zhengce::compare::diff::Report))?
                }
                other => bail!("unknown schema `{other}` (known: document, diff)"),
            };
            let schema = serde_json::to_string_pretty(&value)?;
            write_stdout(format!("{schema}\n").as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
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
            rules,
        } => {
            let parser = Parser::new(Rules::load(&LoadOptions {
                dir: rules.as_deref(),
                examples: false,
            })?);
            let threads = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
                .max(1);
            let opts = BatchOptions {
                threads,
                quiet,
                compact,
                force,
            };
            if stdin_jsonl {
                batch_stream(&parser, &opts)
            } else {
                let matcher = batch::matcher(&glob).map_err(|e| anyhow!("--glob: {e}"))?;
                batch_files(&parser, &opts, &inputs, &matcher, out.as_deref())
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
            let mut fields = BTreeSet::new();
            for name in &ignore {
                let f = Field::parse(name).ok_or_else(|| {
                    anyhow!(
                        "--ignore: unknown field `{name}` (known: {})",
                        Field::NAMES.join(", ")
                    )
                })?;
                fields.insert(f);
            }
            let rules = Rules::load(&LoadOptions {
                dir: rules.as_deref(),
                examples: false,
            })?;
            let parser = Parser::new(Arc::clone(&rules));
            let side = |input: &str| -> Result<zhengce::model::Document> {
                let (bytes, path) = read_input(input)?;
                let path = path.unwrap_or_else(|| "<stdin>".to_string());
                Ok(zhengce::compare::diff::load(&bytes, &path, &parser)?)
            };
            if left == "-" && right == "-" {
                bail!("only one side can be standard input");
            }
            let (l, r) = (side(&left)?, side(&right)?);
            rules.wait()?;
            if score {
                return score_command(&l, &r, format, min_f1);
            }
            let report = zhengce::compare::diff::diff(&l, &r, &fields);
            let text = match format {
                Format::Text => zhengce::compare::diff::render_text(
                    &report,
                    Style {
                        color: color.enabled(),
                    },
                ),
                Format::Markdown => zhengce::compare::diff::render_markdown(&report),
                Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
            };
            write_stdout(text.as_bytes())?;
            Ok(if report.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Rules { rules } => {
            let r = Rules::load(&LoadOptions {
                dir: rules.as_deref(),
                examples: true,
            })?;
            let checked = r.check_examples();
            let (fails, count) = (checked.failures, checked.count);
            for f in &fails {
                eprintln!("{f}");
            }
            if fails.is_empty() {
                println!("{count} examples passed");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("{} of {count} examples failed", fails.len());
                Ok(ExitCode::from(1))
            }
        }
    }
}

struct BatchOptions {
    threads: usize,
    quiet: bool,
    compact: bool,
    force: bool,
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

fn summary(t: &batch::Totals, bytes: u64, started: Instant, quiet: bool) {
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
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
}

/// What a worker hands back for one file: its path, size, and the output line (empty when
/// written to a file) with the document, or the error.
type FileDone = (
    PathBuf,
    u64,
    std::result::Result<(String, zhengce::model::Document), String>,
);

/// Reads, parses and (with `out`) writes one input of a batch.
fn batch_one(
    parser: &Parser,
    opts: &BatchOptions,
    input: batch::Input,
    out: Option<&Path>,
) -> FileDone {
    if let Some(e) = input.error {
        return (
            input.path.clone(),
            0,
            Err(format!("{}: {e}", input.path.display())),
        );
    }
    let size = std::fs::metadata(&input.path).map_or(0, |m| m.len());
    let result = batch::parse_path(parser, &input.path, opts.force)
        .map_err(|e| e.to_string())
        .and_then(|doc| match out {
            Some(dir) => {
                let target = dir.join(&input.rel).with_extension("json");
                let json = to_json(&doc, opts.compact).map_err(|e| e.to_string())?;
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        format!("cannot create {}: {}", parent.display(), io_reason(&e))
                    })?;
                }
                write_atomically(&target, &json).map_err(|e| format!("{e:#}"))?;
                Ok((String::new(), doc))
            }
            None => serde_json::to_string(&doc)
                .map(|line| (line, doc))
                .map_err(|e| e.to_string()),
        });
    (input.path, size, result)
}

/// Files and folders: one JSON line each on standard output, or one file each under `out`.
fn batch_files(
    parser: &Parser,
    opts: &BatchOptions,
    inputs: &[PathBuf],
    matcher: &globset::GlobMatcher,
    out: Option<&Path>,
) -> Result<ExitCode> {
    let started = Instant::now();
    let mut list = batch::discover(inputs, matcher);
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow!("cannot create {}: {}", dir.display(), io_reason(&e)))?;
        // Two inputs that would write the same file: the later one is an error.
        let mut seen = BTreeSet::new();
        for input in &mut list {
            if input.error.is_none() && !seen.insert(input.rel.clone()) {
                input.error = Some(format!(
                    "its output {}.json would overwrite another input's",
                    input.rel.display()
                ));
            }
        }
    }
    let bar = progress(Some(list.len() as u64), opts.quiet);
    let mut totals = batch::Totals::default();
    let mut bytes = 0u64;
    let stdout = std::io::stdout();
    let mut sink = std::io::BufWriter::new(stdout.lock());
    let mut write_failed: Option<std::io::Error> = None;
    batch::ordered(
        opts.threads,
        opts.threads * 4,
        |push| {
            for input in list {
                if !push(input) {
                    return;
                }
            }
        },
        |input| batch_one(parser, opts, input, out),
        |(path, size, result)| {
            bar.inc(1);
            let line = match result {
                Ok((line, doc)) => {
                    bytes += size;
                    totals.add(&doc);
                    line
                }
                Err(e) => {
                    totals.errors += 1;
                    bar.suspend(|| eprintln!("zhengce: {e}"));
                    match out {
                        Some(_) => String::new(),
                        None => batch::error_record("path", path.display().to_string().into(), &e),
                    }
                }
            };
            if !line.is_empty() {
                if let Err(e) = writeln!(sink, "{line}") {
                    write_failed = Some(e);
                    return false;
                }
            }
            true
        },
    );
    bar.finish_and_clear();
    finish_output(sink, write_failed)?;
    summary(&totals, bytes, started, opts.quiet);
    Ok(if totals.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--stdin-jsonl`: one result line per input line, in order, flushed as it goes.
fn batch_stream(parser: &Parser, opts: &BatchOptions) -> Result<ExitCode> {
    let started = Instant::now();
    let bar = progress(None, opts.quiet);
    let mut totals = batch::Totals::default();
    let mut bytes = 0u64;
    let stdout = std::io::stdout();
    let mut sink = std::io::BufWriter::new(stdout.lock());
    let mut write_failed: Option<std::io::Error> = None;
    let read_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    batch::ordered(
        opts.threads,
        opts.threads * 4,
        |push| {
            // Lines as bytes: a line that is not UTF-8 becomes an error record, not the end.
            let mut stdin = std::io::stdin().lock();
            let mut first = true;
            loop {
                let mut line = Vec::new();
                match stdin.read_until(b'\n', &mut line) {
                    Ok(0) => return,
                    Ok(_) => {
                        // A byte-order mark (Windows editors write one) starts the stream only.
                        if std::mem::take(&mut first) && line.starts_with(b"\xEF\xBB\xBF") {
                            line.drain(..3);
                        }
                        if line.last() == Some(&b'\n') {
                            line.pop();
                            if line.last() == Some(&b'\r') {
                                line.pop();
                            }
                        }
                        if !push(line) {
                            return;
                        }
                    }
                    Err(e) => {
                        if let Ok(mut slot) = read_error.lock() {
                            *slot = Some(e);
                        }
                        return;
                    }
                }
            }
        },
        |line: Vec<u8>| {
            let len = line.len() as u64;
            let (out, doc) = batch::stream_line(parser, &line);
            (out, doc, len)
        },
        |(line, doc, len)| {
            bar.inc(1);
            bytes += len;
            match &doc {
                Some(d) => totals.add(d),
                None => totals.errors += 1,
            }
            let written = sink.write_all(&line);
            if let Err(e) = written
                .and_then(|()| sink.write_all(b"\n"))
                .and_then(|()| sink.flush())
            {
                write_failed = Some(e);
                return false;
            }
            true
        },
    );
    bar.finish_and_clear();
    finish_output(sink, write_failed)?;
    if let Some(e) = read_error.into_inner().ok().flatten() {
        bail!("cannot read standard input: {e}");
    }
    summary(&totals, bytes, started, opts.quiet);
    Ok(if totals.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Flushes batch output; a closed pipe (`| head`) is not an error.
fn finish_output(mut sink: impl Write, failed: Option<std::io::Error>) -> Result<()> {
    let result = match failed {
        Some(e) => Err(e),
        None => sink.flush(),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// The document as `parse` writes it.
fn to_json(doc: &zhengce::model::Document, compact: bool) -> Result<Vec<u8>> {
    // Sized up front from the text: growing by doubling would copy the output several times
    // and touch twice the memory. Indented JSON takes about 15 bytes a character (the seed's
    // 15,500 characters give 236 kB), compact about 8; huge inputs grow past the cap instead.
    let per_char = if compact { 8 } else { 16 };
    let estimate = doc
        .source
        .chars
        .saturating_mul(per_char)
        .saturating_add(4096);
    let mut out = Vec::with_capacity(estimate.min(1 << 26));
    if compact {
        serde_json::to_writer(&mut out, doc)?;
    } else {
        serde_json::to_writer_pretty(&mut out, doc)?;
    }
    out.push(b'\n');
    Ok(out)
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

/// `diff --score`: the right side scored against the left as expected.
fn score_command(
    expected: &zhengce::model::Document,
    actual: &zhengce::model::Document,
    format: Format,
    min_f1: Option<f64>,
) -> Result<ExitCode> {
    let s = zhengce::compare::score::score(expected, actual);
    let overall = s.overall();
    let prf = |p: &zhengce::compare::score::Prf| {
        serde_json::json!({"tp": p.tp, "fp": p.fp, "fn": p.fn_,
            "precision": p.precision(), "recall": p.recall(), "f1": p.f1()})
    };
    let acc = |a: &zhengce::compare::score::Accuracy| serde_json::json!({"correct": a.correct, "total": a.total, "accuracy": a.rate()});
    let text = match format {
        Format::Json => {
            let v = serde_json::json!({
                "schema": "zhengce-score/1",
                "headings": prf(&s.headings),
                "attributions": prf(&s.attributions),
                "targets": prf(&s.targets),
                "target_year": acc(&s.target_year),
                "target_kind": acc(&s.target_kind),
                "target_bound": acc(&s.target_bound),
                "meta": {"correct": s.meta.correct, "total": s.meta.total, "mismatches": s.meta_mismatches},
                "overall": prf(&overall),
            });
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        Format::Text | Format::Markdown => {
            let md = format == Format::Markdown;
            let mut out = String::new();
            let row = |name: &str, p: &zhengce::compare::score::Prf| {
                let cells = [
                    name.to_string(),
                    format!("{:.1}", p.precision() * 100.0),
                    format!("{:.1}", p.recall() * 100.0),
                    format!("{:.1}", p.f1() * 100.0),
                    format!("{} / {} / {}", p.tp, p.fp, p.fn_),
                ];
                if md {
                    format!("| {} |\n", cells.join(" | "))
                } else {
                    format!(
                        "{:<14}{:>10}{:>10}{:>10}   {}\n",
                        cells[0], cells[1], cells[2], cells[3], cells[4]
                    )
                }
            };
            if md {
                out.push_str(
                    "| field | precision | recall | F1 | tp / fp / fn |\n|---|---|---|---|---|\n",
                );
            } else {
                out.push_str(&format!(
                    "{:<14}{:>10}{:>10}{:>10}   tp / fp / fn\n",
                    "field", "precision", "recall", "F1"
                ));
            }
            out.push_str(&row("headings", &s.headings));
            out.push_str(&row("attributions", &s.attributions));
            out.push_str(&row("targets", &s.targets));
            out.push_str(&row("overall", &overall));
            let accs = [
                ("target year", &s.target_year),
                ("target kind", &s.target_kind),
                ("target bound", &s.target_bound),
            ];
            if md {
                out.push('\n');
            }
            for (name, a) in accs {
                out.push_str(&format!(
                    "{name}: {:.1}% ({}/{})\n",
                    a.rate() * 100.0,
                    a.correct,
                    a.total
                ));
            }
            out.push_str(&format!(
                "meta: {}/{} fields equal",
                s.meta.correct, s.meta.total
            ));
            if !s.meta_mismatches.is_empty() {
                out.push_str(&format!(" (differ: {})", s.meta_mismatches.join(", ")));
            }
            out.push('\n');
            out
        }
    };
    write_stdout(text.as_bytes())?;
    Ok(match min_f1 {
        Some(min) if overall.f1() < min => {
            eprintln!(
                "zhengce: overall F1 {:.3} is below --min-f1 {min}",
                overall.f1()
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    })
}

/// Reads a file, or standard input for `-`; returns the bytes and the path to report.
fn read_input(input: &str) -> Result<(Vec<u8>, Option<String>)> {
    if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        return Ok((buf, None));
    }
    let path = Path::new(input);
    if path.is_dir() {
        bail!("{input}: is a directory, not a document");
    }
    let bytes =
        std::fs::read(path).map_err(|e| anyhow!("cannot read {input}: {}", io_reason(&e)))?;
    Ok((bytes, Some(input.to_string())))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so that an
/// interrupted run never leaves half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot write {}: folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    if path.is_dir() {
        bail!("cannot write {}: it is a directory", path.display());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        bail!("cannot write {}: {}", path.display(), io_reason(&e));
    }
    Ok(())
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}
