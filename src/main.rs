//! The `zhengce` command line: argument parsing, printing and exit codes.
//!
//! Exit codes: 0 success; 1 differences found (`diff`) or a failed gate; 2 trouble (unreadable
//! input, bad rules, unwritable output).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser as ClapParser, Subcommand};
use zhengce::Parser;
use zhengce::rules::Rules;

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
    /// Print the JSON Schema of the output.
    Schema,
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
            let rules = Rules::load(rules.as_deref())?;
            let (bytes, path) = read_input(&input)?;
            let decoded = zhengce::decode::decode(&bytes);
            if !force {
                if let Some(why) = zhengce::decode::binary_reason(&bytes, &decoded) {
                    bail!(
                        "{}: {why} (use --force to parse it anyway)",
                        path.as_deref().unwrap_or("<stdin>")
                    );
                }
            }
            let parser = Parser::new(rules);
            let doc = zhengce::emit::document(&parser.analyze(decoded), path.as_deref());
            let mut json = if compact {
                serde_json::to_string(&doc)?
            } else {
                serde_json::to_string_pretty(&doc)?
            };
            json.push('\n');
            match output {
                Some(out) => {
                    if input != "-" && same_file(Path::new(&input), &out) {
                        bail!("{}: the output would overwrite the input", out.display());
                    }
                    write_atomically(&out, json.as_bytes())?;
                }
                None => write_stdout(json.as_bytes())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&zhengce::model::json_schema())?;
            write_stdout(format!("{schema}\n").as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { rules } => {
            let r = Rules::load(rules.as_deref())?;
            let (fails, count) = zhengce::examples::check(&r);
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
