//! What `batch` shows while it runs and says when it is done.

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use zhengce::base::numbers::format_grouped;
use zhengce::{batch, files};

/// A progress bar on a terminal (a spinner when the length is unknown), else a hidden one.
pub fn progress(len: Option<u64>, quiet: bool) -> ProgressBar {
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

/// The summary line of a batch on standard error.
pub fn summary(t: &batch::Totals, started: Instant, quiet: bool) {
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
        format_grouped(per_sec.round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_read_as_people_write_them() {
        assert_eq!(rate(114.9123), "114.9");
        assert_eq!(rate(2345.4), "2,345");
        assert_eq!(rate(1_234_567.0), "1,234,567");
    }
}
