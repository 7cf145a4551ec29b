//! The `zhengce` command line: one function per subcommand, which reads its arguments, calls
//! the library, prints and picks the exit code.
//!
//! Exit codes: 0 success; 1 differences found (`diff`) or a failed gate; 2 trouble (unreadable
//! input, bad rules, unwritable output).

mod cli;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser as _;
use zhengce::base::rule_file::RuleFile;
use zhengce::compare::diff::{self, Field, Style};
use zhengce::compare::score;
use zhengce::rules::{LoadOptions, Rules};
use zhengce::stages::read::pdf;
use zhengce::{batch, files, ledger};

use crate::cli::args::{
    BatchArgs, Cli, Command, DiffArgs, Format, LedgerArgs, ParseArgs, ReadPdfArgs, RulesArgs,
    SchemaArgs, TextArgs, ViewArgs,
};
use crate::cli::io::{Output, load_parser, read_input, rules_dir, threads, write_stdout};
use crate::cli::progress::{progress, summary};

// Parsing allocates many small vectors and strings; mimalloc serves them faster than glibc.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Parse(a) => parse(a),
        Command::Text(a) => text(a),
        Command::Batch(a) => batch(a),
        Command::Diff(a) => diff(a),
        Command::View(a) => view(a),
        Command::Ledger(a) => ledger(a),
        Command::Schema(a) => schema(a),
        Command::Rules(a) => rules(a),
        Command::ReadPdf(a) => read_pdf(a),
    };
    result.unwrap_or_else(|e| {
        eprintln!("zhengce: {e:#}");
        ExitCode::from(2)
    })
}

/// `parse`: one document to JSON, with a count on a terminal and a warning when text gave no
/// task.
fn parse(a: ParseArgs) -> Result<ExitCode> {
    // The target rules finish compiling while the input is read and the first stages run.
    let parser = load_parser(a.rules.as_deref())?;
    let (bytes, name) = read_input(&a.input)?;
    let path = (a.input != "-").then_some(a.input.as_str());
    let doc = files::parse_bytes(&parser, &bytes, path, a.force)?;
    let json = zhengce::emit::to_json(&doc, a.compact)?;
    let found = files::Found::of(&doc);
    if std::io::stderr().is_terminal() {
        eprintln!("{found}");
    }
    if found.text_without_tasks() {
        eprintln!(
            "zhengce: warning: {name}: no tasks found (no numbered headings were recognised; the diagnostics in the JSON say more)"
        );
    }
    Output {
        path: a.output.as_deref(),
        inputs: [&a.input],
    }
    .write(&json)?;
    Ok(ExitCode::SUCCESS)
}

/// `text`: the text read from a document, exactly.
fn text(a: TextArgs) -> Result<ExitCode> {
    let parser = load_parser(a.rules.as_deref())?;
    let (bytes, _) = read_input(&a.input)?;
    let path = (a.input != "-").then_some(a.input.as_str());
    let decoded = files::read_document(&parser, &bytes, path, a.force)?;
    let text = parser.text_of(decoded);
    Output {
        path: a.output.as_deref(),
        inputs: [&a.input],
    }
    .write(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `batch`: files and folders, one JSON line each on standard output or one file each under
/// `--out`; or, with `--stdin-jsonl`, one result line per input line, in order, flushed as it
/// goes.
fn batch(a: BatchArgs) -> Result<ExitCode> {
    let parser = load_parser(a.rules.as_deref())?;
    let opts = batch::Options {
        threads: threads(a.jobs),
        compact: a.compact,
        force: a.force,
    };
    let started = Instant::now();
    let stdout = std::io::stdout();
    let mut sink = std::io::BufWriter::new(stdout.lock());
    if a.stdin_jsonl {
        let bar = progress(None, a.quiet);
        // Read on the pipeline's reader thread: a lock of standard input cannot move there.
        let stdin = std::io::BufReader::new(std::io::stdin());
        let totals = batch::stream::run(&parser, &opts, stdin, &mut sink, |_| bar.inc(1))?;
        bar.finish_and_clear();
        summary(&totals, started, a.quiet);
        // Every line answered is success, an error record too, unless --strict.
        return Ok(batch_exit(&totals, a.strict));
    }
    let filter = match &a.glob {
        Some(g) => batch::Filter::Glob(batch::matcher(g).map_err(|e| anyhow!("--glob: {e}"))?),
        None => batch::Filter::Documents,
    };
    let listing = batch::discover(&a.inputs, &filter);
    if !a.quiet && !listing.skipped.is_empty() {
        eprintln!("zhengce batch: {}", batch::skipped_note(&listing.skipped));
    }
    let bar = progress(Some(listing.inputs.len() as u64), a.quiet);
    let totals = batch::run_files(
        &parser,
        &opts,
        listing.inputs,
        a.out.as_deref(),
        &mut sink,
        |_, error| {
            bar.inc(1);
            if let Some(e) = error {
                bar.suspend(|| eprintln!("zhengce: {e}"));
            }
        },
    )?;
    bar.finish_and_clear();
    summary(&totals, started, a.quiet);
    Ok(batch_exit(&totals, true))
}

fn batch_exit(totals: &batch::Totals, errors_fail: bool) -> ExitCode {
    if errors_fail && totals.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// `diff`: two readings compared, or with `--score` the right scored against the left.
fn diff(a: DiffArgs) -> Result<ExitCode> {
    let parser = load_parser(a.rules.as_deref())?;
    if a.left == "-" && a.right == "-" {
        bail!("only one side can be standard input");
    }
    let side = |input: &str| -> Result<diff::Loaded> {
        let (bytes, path) = read_input(input)?;
        Ok(diff::load_side(&bytes, &path, &parser)?)
    };
    let (left, right) = (side(&a.left)?, side(&a.right)?);
    let out = Output {
        path: a.output.as_deref(),
        inputs: [a.left.as_str(), a.right.as_str()],
    };
    if a.score {
        return score(&left, &right, a.format, a.min_f1, &out);
    }
    let style = Style {
        color: a.color.enabled() && a.output.is_none(),
        lang: a.lang.into(),
    };
    let mut fields = BTreeSet::new();
    for name in &a.ignore {
        let f = Field::parse(name).ok_or_else(|| {
            anyhow!(
                "--ignore: unknown field `{name}` (known: {})",
                Field::NAMES.join(", ")
            )
        })?;
        fields.insert(f);
    }
    let report = diff::diff_loaded(&left, &right, &fields, style.lang);
    let text = match a.format {
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
fn score(
    expected: &diff::Loaded,
    actual: &diff::Loaded,
    format: Format,
    min_f1: Option<f64>,
    out: &Output<2>,
) -> Result<ExitCode> {
    let scores = score::score_annotated(&expected.doc, &actual.doc, expected.annotated);
    let report = score::Report::new(&scores);
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

/// `view`: the review page of one document.
fn view(a: ViewArgs) -> Result<ExitCode> {
    let parser = load_parser(a.rules.as_deref())?;
    let (bytes, path) = read_input(&a.file)?;
    let reading = zhengce::view::load(&bytes, &path, a.source.as_deref(), &parser, a.force)?;
    if reading.origin == zhengce::view::Origin::Rebuilt {
        eprintln!(
            "zhengce: note: {path}: no source document given or found; the page shows the text rebuilt from the JSON (give it with --source for the whole text)"
        );
    }
    let html = zhengce::view::page(&reading, a.lang.into());
    Output {
        path: a.output.as_deref(),
        inputs: [&a.file],
    }
    .write(html.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `ledger`: the ledger of the inputs, read on several threads and written in input order;
/// nothing is written when an input cannot be read.
fn ledger(a: LedgerArgs) -> Result<ExitCode> {
    let format = match a.format {
        Some(f) => f.into(),
        None => ledger::Format::from_path(&a.output).ok_or_else(|| {
            anyhow!(
                "{}: say --format xlsx or --format csv (the extension does not tell)",
                a.output.display()
            )
        })?,
    };
    let created = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.is_empty() => Some(
            v.trim()
                .parse::<i64>()
                .map_err(|_| anyhow!("SOURCE_DATE_EPOCH: `{v}` is not a number of seconds"))?,
        ),
        _ => None,
    };
    let opts = ledger::Options {
        format,
        lang: a.lang.into(),
        sheets: match a.sheet {
            None => ledger::Sheet::ALL.to_vec(),
            Some(s) => vec![s.sheet()],
        },
        created,
    };
    let parser = load_parser(a.rules.as_deref())?;
    let threads = threads(a.jobs);
    let started = Instant::now();
    let outputs = ledger::outputs(&a.output, &opts);
    for out in &outputs {
        if let Some(input) = a.inputs.iter().find(|i| files::same_file(i, out)) {
            bail!("{}: the output would overwrite the input", input.display());
        }
    }
    let mut book = ledger::Ledger::create(&a.output, &opts)?;
    let mut failed: Option<anyhow::Error> = None;
    batch::ordered(
        threads,
        threads * 4,
        |push| {
            for input in &a.inputs {
                if !push(input) {
                    return;
                }
            }
        },
        |input| ledger::load(&parser, input),
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
    if !a.quiet {
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

/// `schema`: the JSON Schema of the document, the diff report or the score report.
fn schema(a: SchemaArgs) -> Result<ExitCode> {
    let value = match a.which.as_str() {
        "document" => zhengce::model::json_schema(),
        "diff" => serde_json::to_value(schemars::schema_for!(diff::Report))?,
        "score" => serde_json::to_value(schemars::schema_for!(score::Report))?,
        other => bail!("unknown schema `{other}` (known: document, diff, score)"),
    };
    let schema = serde_json::to_string_pretty(&value)?;
    write_stdout(format!("{schema}\n").as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `rules`: every example of the rule files checked; or with `--dump` the embedded files
/// written out for a user to copy and edit.
fn rules(a: RulesArgs) -> Result<ExitCode> {
    if let Some(dir) = &a.dump {
        return rules_dump(dir);
    }
    let dir = rules_dir(a.rules.as_deref());
    let rules = Rules::load(&LoadOptions {
        dir: dir.as_deref(),
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

fn rules_dump(dir: &Path) -> Result<ExitCode> {
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

/// `__read-pdf`: the PDF reader's child process.
fn read_pdf(a: ReadPdfArgs) -> Result<ExitCode> {
    let (mut stdin, mut stdout) = (std::io::stdin().lock(), std::io::stdout().lock());
    let code = pdf::serve_child(&mut stdin, &mut stdout, a.memory, a.cpu_seconds);
    Ok(ExitCode::from(code))
}
