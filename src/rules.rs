//! The recognition rules of every stage, gathered.
//!
//! Input: the TOML files of `rules/` (embedded in the binary as defaults) or of a folder given
//! at run time, where a file of the same name replaces the default. Output: compiled [`Rules`],
//! or a [`RulesError`] naming the file, the line and the rule at fault.
//!
//! Each stage owns its rule file: its TOML shape, its compile function and its example runner
//! (`stages::outline::rules` for `markers.toml`, and so on). This module only reads the files,
//! hands each to its stage, and runs every example ([`Rules::check_examples`]). The target
//! rules, about half of the compile work, compile on a second thread while the first stages
//! run.

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use crate::base::rule_file::{Checked, RuleFile, RuleSource, RulesError};
use crate::stages::annex::{self, AnnexRules};
use crate::stages::chrome::{self, ChromeRules};
use crate::stages::deadlines::{self, DeadlineRules};
use crate::stages::departments::{self, DepartmentRules};
use crate::stages::meta::{self, MetaCues};
use crate::stages::outline::{self, MarkerRules};
use crate::stages::read::{self, HtmlRules};
use crate::stages::targets::{self, TargetRules};

/// The embedded text of a rule file, examples included.
pub fn embedded_text(file: RuleFile) -> &'static str {
    match file {
        RuleFile::Html => include_str!("../rules/html.toml"),
        RuleFile::Markers => include_str!("../rules/markers.toml"),
        RuleFile::Chrome => include_str!("../rules/chrome.toml"),
        RuleFile::Meta => include_str!("../rules/meta.toml"),
        RuleFile::Departments => include_str!("../rules/departments.toml"),
        RuleFile::Deadlines => include_str!("../rules/deadlines.toml"),
        RuleFile::Annex => include_str!("../rules/annex.toml"),
        RuleFile::Units => include_str!("../rules/units.toml"),
        RuleFile::Targets => include_str!("../rules/targets.toml"),
    }
}

include!(concat!(env!("OUT_DIR"), "/lean_rules.rs"));

/// The embedded text of a rule file without its examples (written by `build.rs`): what
/// `parse` reads, as the examples are nearly half of the text.
fn lean_text(file: RuleFile) -> &'static str {
    LEAN_RULE_FILES[file as usize].1
}

/// Where rules come from, and whether the embedded defaults keep their examples.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// A folder whose rule files replace the embedded ones, file by file.
    pub dir: Option<&'a Path>,
    /// Keep the examples of the embedded defaults (for [`Rules::check_examples`]); files read
    /// from `dir` always keep theirs.
    pub examples: bool,
}

/// All compiled recognition rules.
#[derive(Debug)]
pub struct Rules {
    /// Where a web page's document is.
    pub html: HtmlRules,
    /// Heading marker families, boxes and contents pages.
    pub markers: MarkerRules,
    /// Page chrome.
    pub chrome: ChromeRules,
    /// Notice metadata cues.
    pub meta: MetaCues,
    /// Role words, attribution patterns and department aliases.
    pub departments: DepartmentRules,
    /// The words around deadline dates.
    pub deadlines: DeadlineRules,
    /// The header words of annex task tables.
    pub annex: AnnexRules,
    /// Units and target cues, which may still be compiling (see [`Rules::targets`]).
    targets: Staged<TargetRules>,
}

/// One rule file's text and the name to report it by.
#[derive(Debug, Clone)]
struct RuleText {
    display: String,
    text: Cow<'static, str>,
}

impl RuleText {
    fn source(&self) -> RuleSource<'_> {
        RuleSource {
            display: self.display.clone(),
            text: &self.text,
        }
    }
}

/// The text of every rule file, in [`RuleFile`] order.
#[derive(Debug, Clone)]
struct RuleTexts([RuleText; 9]);

impl RuleTexts {
    /// The embedded defaults, without their examples when `lean`.
    fn embedded(lean: bool) -> Self {
        RuleTexts(RuleFile::ALL.map(|f| RuleText {
            display: format!("rules/{}", f.name()),
            text: Cow::Borrowed(if lean { lean_text(f) } else { embedded_text(f) }),
        }))
    }

    /// The files of `dir`, and the embedded defaults (lean or not) for those it lacks.
    fn over_dir(dir: &Path, lean: bool) -> Result<Self, RulesError> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            RulesError::file(
                dir.display().to_string(),
                format!("cannot read rules directory: {e}"),
            )
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".toml") && RuleFile::from_name(&name).is_none() {
                let known: Vec<&str> = RuleFile::ALL.iter().map(|f| f.name()).collect();
                return Err(RulesError::file(
                    entry.path().display().to_string(),
                    format!("unknown rule file (known files: {})", known.join(", ")),
                ));
            }
        }
        let mut texts = RuleTexts::embedded(lean);
        for (f, slot) in RuleFile::ALL.into_iter().zip(texts.0.iter_mut()) {
            let path = dir.join(f.name());
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    RulesError::file(path.display().to_string(), format!("cannot read: {e}"))
                })?;
                *slot = RuleText {
                    display: path.display().to_string(),
                    text: Cow::Owned(text),
                };
            }
        }
        Ok(texts)
    }

    fn get(&self, f: RuleFile) -> &RuleText {
        &self.0[f as usize]
    }
}

/// A part of the rules compiled on another thread, waited for when first needed.
struct Staged<T> {
    value: OnceLock<Result<T, RulesError>>,
    pending: Mutex<Option<JoinHandle<Result<T, RulesError>>>>,
    /// The rule file to name if the thread dies.
    file: String,
}

impl<T: Send + 'static> Staged<T> {
    /// Starts `job`, which compiles `file`, on a thread of its own (runs it here if no thread
    /// can be made: `job` is cloned for that).
    fn spawn<F>(file: &str, job: F) -> Self
    where
        F: Fn() -> Result<T, RulesError> + Clone + Send + 'static,
    {
        let (value, handle) = match std::thread::Builder::new()
            .name("zhengce-rules".to_string())
            .spawn(job.clone())
        {
            Ok(handle) => (OnceLock::new(), Some(handle)),
            Err(_) => (OnceLock::from(job()), None),
        };
        Staged {
            value,
            pending: Mutex::new(handle),
            file: file.to_string(),
        }
    }

    /// The outcome, once the thread has finished.
    fn result(&self) -> &Result<T, RulesError> {
        self.value.get_or_init(|| {
            let handle = self.pending.lock().ok().and_then(|mut p| p.take());
            match handle.map(JoinHandle::join) {
                Some(Ok(done)) => done,
                _ => Err(RulesError::file(
                    self.file.clone(),
                    "compiling the rules of this file failed".to_string(),
                )),
            }
        })
    }
}

impl<T> std::fmt::Debug for Staged<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.value.get() {
            None => "compiling",
            Some(Ok(_)) => "compiled",
            Some(Err(_)) => "failed",
        };
        f.write_str(state)
    }
}

impl Rules {
    /// The embedded default rules without their examples, compiled once per process.
    ///
    /// # Errors
    /// Only if the embedded files are broken, which the test suite rules out.
    pub fn embedded() -> Result<Arc<Rules>, RulesError> {
        let rules = Rules::load(&LoadOptions::default())?;
        rules.wait()?;
        Ok(rules)
    }

    /// Loads and compiles the rules. The embedded defaults without examples are compiled once
    /// per process, and their target rules may still be compiling on a second thread when
    /// this returns: the first parse that needs them waits, and [`Rules::wait`] says whether
    /// they compiled. Rules read from a folder, or with examples, are compiled whole.
    ///
    /// An error is reported from the files as written, with their line numbers, even where
    /// the lean copy of an embedded file was read (a user's file can break a default one: a
    /// unit family that a default target rule names).
    ///
    /// # Errors
    /// When the folder cannot be read, holds a `.toml` file that is not a rule file, or a rule
    /// file is malformed (bad TOML, an unknown field, an invalid regex), naming file, line and
    /// rule.
    pub fn load(opts: &LoadOptions) -> Result<Arc<Rules>, RulesError> {
        let texts = |lean: bool| match opts.dir {
            Some(dir) => RuleTexts::over_dir(dir, lean),
            None => Ok(RuleTexts::embedded(lean)),
        };
        if opts.examples {
            return Rules::compile(texts(false)?, false).map(Arc::new);
        }
        if opts.dir.is_some() {
            return Rules::compile(texts(true)?, false)
                .or_else(|_| Rules::compile(texts(false)?, false))
                .map(Arc::new);
        }
        static DEFAULT: OnceLock<Result<Arc<Rules>, RulesError>> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                Rules::compile(RuleTexts::embedded(true), true)
                    .or_else(|_| Rules::compile(RuleTexts::embedded(false), false))
                    .map(Arc::new)
            })
            .clone()
    }

    /// Waits until every rule is compiled.
    ///
    /// # Errors
    /// The error of the target rules when they did not compile: what was read with these
    /// rules is then not to be trusted, as [`Rules::targets`] gave empty rules.
    pub fn wait(&self) -> Result<(), RulesError> {
        self.targets
            .result()
            .as_ref()
            .map(|_| ())
            .map_err(Clone::clone)
    }

    /// Units and target cues, waiting for them if they are still compiling, or the error
    /// that kept them from compiling.
    ///
    /// # Errors
    /// As [`Rules::wait`].
    pub fn try_targets(&self) -> Result<&TargetRules, &RulesError> {
        self.targets.result().as_ref()
    }

    /// Units and target cues, waiting for them if they are still compiling; empty rules (no
    /// units, no cues) when they failed to compile (see [`Rules::wait`]).
    pub fn targets(&self) -> &TargetRules {
        static NONE: OnceLock<TargetRules> = OnceLock::new();
        self.try_targets()
            .unwrap_or_else(|_| NONE.get_or_init(TargetRules::default))
    }

    /// Runs the examples of every rule file, each through its stage's runner. The examples
    /// are those the rules were loaded with: only [`LoadOptions::examples`] keeps the
    /// defaults'.
    pub fn check_examples(&self) -> Checked {
        let mut checked = read::rules::check_examples(&self.html);
        checked.extend(outline::rules::check_examples(&self.markers));
        checked.extend(chrome::rules::check_examples(&self.chrome));
        checked.extend(meta::rules::check_examples(&self.meta));
        checked.extend(departments::rules::check_examples(&self.departments));
        checked.extend(deadlines::rules::check_examples(&self.deadlines));
        checked.extend(annex::rules::check_examples(&self.annex_rules()));
        checked.extend(targets::check_examples(self.targets()));
        checked
    }

    /// What the annex stage reads tables with: its header words, the annex cue of the metadata
    /// rules, and the department and deadline rules for its cells.
    pub fn annex_rules(&self) -> annex::TableRules<'_> {
        annex::TableRules {
            columns: &self.annex,
            annex: &self.meta.annex,
            departments: &self.departments,
            deadlines: &self.deadlines,
        }
    }

    /// Compiles `texts`: the target rules on a second thread while the other files compile
    /// here, as compiling dozens of regexes dominates start-up and the target rules are about
    /// half the work. Unless `staged`, waits for them before returning.
    fn compile(texts: RuleTexts, staged: bool) -> Result<Rules, RulesError> {
        let units = texts.get(RuleFile::Units).clone();
        let target_text = texts.get(RuleFile::Targets).clone();
        let display = target_text.display.clone();
        let job = move || targets::compile_rules(&units.source(), &target_text.source());
        Rules::compile_front(&texts, Staged::spawn(&display, job), staged)
    }

    /// Compiles the files of the stages before targets, with `targets` under way.
    fn compile_front(
        texts: &RuleTexts,
        targets: Staged<TargetRules>,
        staged: bool,
    ) -> Result<Rules, RulesError> {
        let src = |f: RuleFile| texts.get(f).source();
        let rules = Rules {
            html: read::rules::compile(&src(RuleFile::Html))?,
            markers: outline::rules::compile(&src(RuleFile::Markers))?,
            chrome: chrome::rules::compile(&src(RuleFile::Chrome))?,
            meta: meta::rules::compile(&src(RuleFile::Meta))?,
            departments: departments::rules::compile(&src(RuleFile::Departments))?,
            deadlines: deadlines::rules::compile(&src(RuleFile::Deadlines))?,
            annex: annex::rules::compile(&src(RuleFile::Annex))?,
            targets,
        };
        if !staged {
            rules.wait()?;
        }
        Ok(rules)
    }

    /// Every rule pattern read as a [`crate::base::pattern::Pattern`] (for tests).
    #[cfg(test)]
    pub(crate) fn patterns(&self) -> Vec<crate::base::pattern::Pattern> {
        let mut v: Vec<_> = self
            .markers
            .families
            .iter()
            .map(|f| f.regex.clone())
            .collect();
        v.extend(self.markers.box_start.iter().map(|r| r.regex.clone()));
        v.extend(self.markers.contents.iter().map(|r| r.regex.clone()));
        v.extend(self.chrome.rules.iter().map(|r| r.regex.clone()));
        v.extend(self.meta.all().iter().map(|c| c.regex.clone()));
        v.extend(self.departments.patterns());
        v.extend(self.targets().patterns());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded files with `file` replaced by `text`, as a user's folder would give.
    fn with(file: RuleFile, text: &str) -> Result<Rules, RulesError> {
        let mut texts = RuleTexts::embedded(false);
        texts.0[file as usize] = RuleText {
            display: format!("custom/{file}"),
            text: Cow::Owned(text.to_string()),
        };
        Rules::compile(texts, false)
    }

    #[test]
    fn embedded_rules_compile() {
        let r = Rules::embedded().expect("embedded rules");
        assert!(r.markers.families.len() >= 10);
        let staged = Rules::load(&LoadOptions::default()).expect("embedded rules");
        assert!(staged.wait().is_ok() && Arc::ptr_eq(&r, &staged));
    }

    #[test]
    fn rule_files_are_named_in_their_order() {
        for (i, f) in RuleFile::ALL.into_iter().enumerate() {
            assert_eq!(f as usize, i);
            assert_eq!(RuleFile::from_name(f.name()), Some(f));
            assert_eq!(LEAN_RULE_FILES[i].0, f.name());
        }
        assert_eq!(RuleFile::from_name("marker.toml"), None);
    }

    #[test]
    fn target_rules_that_fail_on_their_thread_fail_the_wait() {
        let texts = RuleTexts::embedded(true);
        let failing = || {
            Err(RuleSource {
                display: "custom/targets.toml".into(),
                text: "",
            }
            .error(None, Some("x"), "broken".to_string()))
        };
        let staged = Staged::spawn("custom/targets.toml", failing);
        let r = Rules::compile_front(&texts, staged, true).expect("the other files compile");
        let e = r.wait().unwrap_err();
        assert_eq!(e.to_string(), "custom/targets.toml: rule `x`: broken");
        // A parse meanwhile reads with empty target rules, says so, and the error stays.
        let parser = crate::Parser::new(Arc::new(r));
        let doc = parser.parse_str("一、任务\n到2025年,产值达到418亿元。\n", None);
        assert_eq!(doc.tasks.len(), 1);
        assert!(
            doc.diagnostics
                .iter()
                .any(|d| d.code == "rules-failed" && d.message.contains("broken")),
            "{:?}",
            doc.diagnostics
        );
        assert_eq!(parser.rules().wait().unwrap_err(), e);
        // Compiled whole, the same failure is the compile's error.
        let mut broken = String::from(lean_text(RuleFile::Targets));
        broken.push_str("\n[[deadline]]\nname = \"bad\"\npattern = '(unclosed'\n");
        assert!(with(RuleFile::Targets, &broken).is_err());
    }

    #[test]
    fn a_misspelt_reason_or_builtin_names_file_and_line() {
        for (added, at, word) in [
            (
                "[[skip]]\nname = \"x\"\nreason = \"nmae\"\nbefore_words = [\"第\"]\n",
                3,
                "nmae",
            ),
            ("[[builtin]]\nname = \"quoted-nmae\"\n", 2, "quoted-nmae"),
        ] {
            let mut text = String::from(lean_text(RuleFile::Targets));
            let line = text.lines().count() + 1 + at;
            text.push('\n');
            text.push_str(added);
            let e = with(RuleFile::Targets, &text).unwrap_err();
            assert_eq!(
                (e.file.as_str(), e.line),
                ("custom/targets.toml", Some(line))
            );
            let want = format!("unknown variant `{word}`, expected one of");
            assert!(e.message.contains(&want), "{}", e.message);
        }
    }

    /// Every `examples` key removed, and the department examples (top-level `example`).
    fn without_examples(v: &mut toml::Value, top: bool) {
        match v {
            toml::Value::Table(t) => {
                t.remove("examples");
                if top {
                    t.remove("example");
                }
                for (_, x) in t.iter_mut() {
                    without_examples(x, false);
                }
            }
            toml::Value::Array(items) => items.iter_mut().for_each(|x| without_examples(x, false)),
            _ => {}
        }
    }

    #[test]
    fn errors_in_a_default_file_name_its_lines_as_written() {
        let dir = tempdir();
        let units = embedded_text(RuleFile::Units).replace("name = \"age\"", "name = \"age2\"");
        std::fs::write(dir.join("units.toml"), units).unwrap();
        let lean = Rules::load(&LoadOptions {
            dir: Some(&dir),
            examples: false,
        })
        .unwrap_err();
        let full = Rules::load(&LoadOptions {
            dir: Some(&dir),
            examples: true,
        })
        .unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(lean.file, "rules/targets.toml");
        assert!(lean.line.is_some());
        assert_eq!(lean, full);
    }

    #[test]
    fn lean_rule_files_are_the_rule_files_without_their_examples() {
        for f in RuleFile::ALL {
            let (full, lean) = (embedded_text(f), lean_text(f));
            let mut want: toml::Value = toml::from_str(full).expect("full file");
            without_examples(&mut want, true);
            let got: toml::Value = toml::from_str(lean).expect("lean file");
            assert_eq!(got, want, "{f}");
            assert!(full.contains("example") && !lean.contains("example"), "{f}");
        }
        let lean = Rules::embedded().expect("lean rules");
        let full = Rules::load(&LoadOptions {
            dir: None,
            examples: true,
        })
        .expect("full rules");
        assert_eq!(lean.check_examples().count, 0);
        assert!(full.check_examples().count > 400);
    }

    #[test]
    fn bad_toml_names_file_and_line() {
        let e = with(RuleFile::Chrome, "[[rule]]\nname = \"x\"\npattern = \n").unwrap_err();
        assert_eq!(e.file, "custom/chrome.toml");
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn invalid_regex_names_rule_and_line() {
        let text = "[[rule]]\nname = \"ok\"\npattern = 'a'\n\n[[rule]]\nname = \"broken\"\npattern = '(unclosed'\n";
        let e = with(RuleFile::Chrome, text).unwrap_err();
        assert_eq!(e.rule.as_deref(), Some("broken"));
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("invalid regex"), "{}", e.message);
        assert!(
            e.to_string()
                .starts_with("custom/chrome.toml:7: rule `broken`: invalid regex")
        );
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = "[[rule]]\nname = \"x\"\npattern = 'a'\ncolour = 'red'\n";
        let e = with(RuleFile::Chrome, text).unwrap_err();
        assert!(e.message.contains("colour"), "{}", e.message);
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn missing_group_is_an_error() {
        let text = "[[family]]\nname = \"x\"\npattern = '^(?P<marker>a)'\nordinal = \"arabic\"\n";
        let e = with(RuleFile::Markers, text).unwrap_err();
        assert!(e.message.contains("`ord`"), "{}", e.message);
    }

    #[test]
    fn a_folder_overrides_one_file_and_rejects_unknown_files() {
        let dir = tempdir();
        std::fs::write(
            dir.join("chrome.toml"),
            "[[rule]]\nname = \"only\"\npattern = '^xyz$'\n",
        )
        .unwrap();
        let opts = LoadOptions {
            dir: Some(&dir),
            examples: false,
        };
        let r = Rules::load(&opts).unwrap();
        assert_eq!(r.chrome.rules.len(), 1);
        assert!(
            r.markers.families.len() >= 10,
            "other files keep their defaults"
        );
        std::fs::write(dir.join("marker.toml"), "").unwrap();
        let e = Rules::load(&opts).unwrap_err();
        assert!(e.message.contains("unknown rule file"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    fn tempdir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "zhengce-rules-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
