//! Runs the examples that every rule file carries, and reports every failure at once.

use crate::base::segment;
use crate::base::text::Text;
use crate::rules::Rules;
use crate::stages::chrome::match_rule;
use crate::stages::meta::{cue_value, date_from};
use crate::stages::outline::match_family;

/// One example that did not give what its rule file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Rule file.
    pub file: &'static str,
    /// Rule name.
    pub rule: String,
    /// The example text.
    pub text: String,
    /// What went wrong.
    pub problem: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: rule `{}`: {:?}: {}",
            self.file, self.rule, self.text, self.problem
        )
    }
}

/// A one-line example as text and the span of its trimmed content.
fn line_of(s: &str) -> (Text, std::ops::Range<usize>) {
    let t = Text::new(s.to_string());
    let span = segment::lines(&t)
        .first()
        .map_or(0..0, |l| l.content.clone());
    (t, span)
}

/// Runs every example of every rule file; returns the failures and how many examples ran.
/// The examples are those the rules were loaded with: [`Rules::embedded`] leaves the defaults'
/// out, [`Rules::embedded_with_examples`] and [`Rules::load_with_examples`] keep them.
pub fn check(rules: &Rules) -> (Vec<Failure>, usize) {
    let mut fails = Vec::new();
    let mut count = 0;
    let mut fail = |file: &'static str, rule: &str, text: &str, problem: String| {
        fails.push(Failure {
            file,
            rule: rule.to_string(),
            text: text.to_string(),
            problem,
        });
    };

    for (i, f) in rules.markers.iter().enumerate() {
        for ex in &f.examples {
            count += 1;
            let (t, span) = line_of(&ex.text);
            let got = match_family(f, i, &t, &span);
            match (ex.matches, got) {
                (false, Some(c)) => fail(
                    "markers.toml",
                    &f.name,
                    &ex.text,
                    format!("matched `{}` but should not", t.slice(&c.marker)),
                ),
                (true, None) => fail("markers.toml", &f.name, &ex.text, "did not match".into()),
                (true, Some(c)) => {
                    if let Some(m) = &ex.marker {
                        if t.slice(&c.marker) != m {
                            fail(
                                "markers.toml",
                                &f.name,
                                &ex.text,
                                format!("marker `{}`, expected `{m}`", t.slice(&c.marker)),
                            );
                        }
                    }
                    if let Some(w) = ex.weak {
                        if c.weak != w {
                            fail(
                                "markers.toml",
                                &f.name,
                                &ex.text,
                                format!("weak is {}, expected {w}", c.weak),
                            );
                        }
                    }
                    if let Some(o) = ex.ordinal {
                        if c.ord != u64::from(o) {
                            fail(
                                "markers.toml",
                                &f.name,
                                &ex.text,
                                format!("ordinal {}, expected {o}", c.ord),
                            );
                        }
                    }
                }
                (false, None) => {}
            }
        }
    }

    for r in &rules.chrome.rules {
        for ex in &r.examples {
            count += 1;
            let (t, span) = line_of(&ex.text);
            match (ex.chrome, match_rule(r, &t, &span)) {
                (false, Some(_)) => fail(
                    "chrome.toml",
                    &r.name,
                    &ex.text,
                    "matched but should not".into(),
                ),
                (true, None) => fail("chrome.toml", &r.name, &ex.text, "did not match".into()),
                (true, Some(captures)) => {
                    let (key, value) = captures.into_iter().next().unwrap_or((None, None));
                    if let Some(k) = &ex.key {
                        if key.as_deref() != Some(k.as_str()) {
                            fail(
                                "chrome.toml",
                                &r.name,
                                &ex.text,
                                format!("key {key:?}, expected {k:?}"),
                            );
                        }
                    }
                    if let Some(v) = &ex.value {
                        let got = value.as_ref().map(|s| t.slice(s).to_string());
                        if got.as_deref() != Some(v.as_str()) {
                            fail(
                                "chrome.toml",
                                &r.name,
                                &ex.text,
                                format!("value {got:?}, expected {v:?}"),
                            );
                        }
                    }
                }
                (false, None) => {}
            }
        }
    }

    let m = &rules.meta;
    let dates = [&m.date_line, &m.date_value];
    for cue in m.all() {
        let is_date = dates.iter().any(|d| std::ptr::eq(*d, cue));
        for ex in &cue.examples {
            count += 1;
            let (t, span) = line_of(&ex.text);
            let got: Option<String> = if is_date {
                cue.regex
                    .captures(t.nslice(&span))
                    .map(|c| date_from(&c).unwrap_or_else(|| "(invalid date)".into()))
            } else {
                cue_value(cue, &t, &span).map(|s| t.slice(&s).to_string())
            };
            match (ex.matches, got) {
                (false, Some(g)) => fail(
                    "meta.toml",
                    &cue.name,
                    &ex.text,
                    format!("matched {g:?} but should not"),
                ),
                (true, None) => fail("meta.toml", &cue.name, &ex.text, "did not match".into()),
                (true, Some(g)) => {
                    if let Some(v) = &ex.value {
                        if &g != v {
                            fail(
                                "meta.toml",
                                &cue.name,
                                &ex.text,
                                format!("gave {g:?}, expected {v:?}"),
                            );
                        }
                    }
                }
                (false, None) => {}
            }
        }
    }
    let (f, c) = crate::stages::departments::check_examples(&rules.departments);
    fails.extend(f);
    count += c;
    let (f, c) = crate::stages::targets::check_examples(rules.targets());
    fails.extend(f);
    count += c;
    (fails, count)
}
