//! What every command shares: its parser, its rules folder, standard input and where it writes.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use zhengce::rules::LoadOptions;
use zhengce::stages::read::pdf;
use zhengce::{Parser, files};

/// A parser with the rules of `--rules` or `ZHENGCE_RULES`, or the embedded ones, that reads
/// PDFs in a child process of this binary (so that a PDF the library fails on cannot stop the
/// run).
pub fn load_parser(flag: Option<&Path>) -> Result<Parser> {
    let dir = rules_dir(flag);
    let parser = Parser::load(&LoadOptions {
        dir: dir.as_deref(),
        examples: false,
    })?;
    Ok(match std::env::current_exe() {
        Ok(exe) => parser.with_pdf_runner(pdf::PdfRunner::Child(pdf::PdfChild::new(exe))),
        Err(_) => parser,
    })
}

/// The rules folder: `--rules`, else `ZHENGCE_RULES` when set and not empty.
pub fn rules_dir(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("ZHENGCE_RULES")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// The threads to use: `-j N`, else all cores.
pub fn threads(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1)
}

/// An input's bytes and the name to report it by: a file, or standard input for `-`.
pub fn read_input(input: &str) -> Result<(Vec<u8>, String)> {
    Ok(if input == "-" {
        (read_stdin()?, "<stdin>".to_string())
    } else {
        (files::read(Path::new(input))?, input.to_string())
    })
}

pub fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    Ok(buf)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// Where a command writes: standard output, or a file (never one of its inputs).
pub struct Output<'a, const N: usize> {
    pub path: Option<&'a Path>,
    pub inputs: [&'a str; N],
}

impl<const N: usize> Output<'_, N> {
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        let Some(out) = self.path else {
            return write_stdout(bytes);
        };
        if self
            .inputs
            .iter()
            .any(|i| *i != "-" && files::same_file(Path::new(i), out))
        {
            let which = if N == 1 { "the input" } else { "an input" };
            bail!("{}: the output would overwrite {which}", out.display());
        }
        Ok(files::write_atomically(out, bytes)?)
    }
}
