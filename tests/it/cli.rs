//! The real binary: exit codes, standard input, `-o`, unreadable paths.

use crate::common;

use common::{tmp, zhengce};

use predicates::prelude::*;

#[test]
fn parse_prints_json_for_a_file() {
    let out = zhengce().arg("parse").arg(common::seed()).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "zhengce/1");
    assert_eq!(v["tasks"][1]["children"][0]["children"][0]["id"], "2.1.1");
    assert_eq!(v["source"]["path"], common::seed().display().to_string());
}

#[test]
fn parse_reads_standard_input() {
    let bytes = std::fs::read(common::seed()).unwrap();
    let out = zhengce()
        .args(["parse", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"]["path"], serde_json::Value::Null);
    assert_eq!(v["meta"]["date"], "2023-08-22");
}

#[test]
fn parse_writes_output_file() {
    let d = tmp("out");
    let out = d.join("seed.json");
    zhengce()
        .arg("parse")
        .arg(common::seed())
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["schema"], "zhengce/1");
    let leftovers: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn missing_file_is_exit_2_with_one_line() {
    let out = zhengce()
        .args(["parse", "no/such/file.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no/such/file.txt") && err.contains("no such file"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_directory_is_exit_2() {
    zhengce()
        .args(["parse", "seeds"])
        .current_dir(common::root())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
}

#[test]
fn an_unreadable_path_is_exit_2() {
    // A path through a regular file cannot be opened, whoever runs the test.
    let inside = common::seed().join("inner.txt");
    let out = zhengce().arg("parse").arg(&inside).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("zhengce: cannot read") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn output_into_a_missing_folder_is_exit_2() {
    let d = tmp("missing");
    zhengce()
        .arg("parse")
        .arg(common::seed())
        .arg("-o")
        .arg(d.join("nope/out.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn output_equal_to_input_is_refused_and_input_untouched() {
    let d = tmp("same");
    let f = d.join("notice.txt");
    std::fs::copy(common::seed(), &f).unwrap();
    let before = std::fs::read(&f).unwrap();
    zhengce()
        .arg("parse")
        .arg(&f)
        .arg("-o")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("overwrite the input"));
    assert_eq!(std::fs::read(&f).unwrap(), before);
}

#[test]
fn nothing_recognised_is_still_success() {
    let out = zhengce()
        .args(["parse", "-"])
        .write_stdin("just some english text\nwithout any structure\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tasks"], serde_json::json!([]));
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"no-headings"), "{codes:?}");
}

#[test]
fn schema_is_printed() {
    let out = zhengce().arg("schema").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["properties"]["tasks"].is_object(), "{v}");
}

#[test]
fn rules_check_runs_examples() {
    zhengce()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("examples passed"));
}

/// `parse` of the seed with one rule file replaced by `text` exits 2 with `message`.
fn broken_rule_file(dir: &str, file: &str, text: &str, message: &str) {
    let d = tmp(dir);
    std::fs::write(d.join(file), text).unwrap();
    zhengce()
        .arg("parse")
        .arg(common::seed())
        .arg("--rules")
        .arg(&d)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message));
}

#[test]
fn a_broken_rules_dir_is_exit_2_naming_file_and_line() {
    broken_rule_file(
        "rules",
        "markers.toml",
        "[[family]]\nname = \"x\"\npattern = '(('\nordinal = \"arabic\"\n",
        "markers.toml:3: rule `x`: invalid regex",
    );
}

#[test]
fn an_unknown_unit_in_a_rule_is_exit_2_naming_the_rule() {
    broken_rule_file(
        "rules-unit",
        "targets.toml",
        "[magnitude_alone]\nafter = [\"培育\"]\nunits = [\"thing\"]\n",
        "rule `magnitude_alone`: `thing` is neither a unit family nor a unit form",
    );
}

#[test]
fn parse_tells_what_it_found_on_a_terminal_only() {
    // Off a terminal, a document with tasks gives no line on standard error.
    let out = zhengce().arg("parse").arg(common::seed()).output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // On a terminal (script(1) gives the run one), one line with the counts.
    let bin = assert_cmd::cargo::cargo_bin("zhengce");
    let cmd = format!(
        "{} parse {} -o /dev/null",
        bin.display(),
        common::seed().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .expect("script(1), from Debian's essential bsdutils");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("84 tasks, 101 attributions, 64 targets, 7 warnings"),
        "{shown}"
    );
}

/// Writing to a device writes to it: `-o /dev/null` must not put a file in its place (a
/// rename over it would, and every later reader of /dev/null would read that file).
#[cfg(unix)]
#[test]
fn output_to_a_device_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let out = zhengce()
        .arg("parse")
        .arg(common::seed())
        .args(["-o", "/dev/null"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let kind = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is now {kind:?}");
}

#[test]
fn parse_warns_when_a_text_yields_no_task() {
    let d = tmp("notask");
    let f = d.join("english.txt");
    std::fs::write(&f, "A plain English letter.\nNothing here is numbered.\n").unwrap();
    let out = zhengce().arg("parse").arg(&f).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("zhengce: warning: ") && err.contains("no tasks found"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // An empty document has nothing to find: no warning.
    let empty = d.join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let out = zhengce().arg("parse").arg(&empty).output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
}

#[test]
fn rules_dump_writes_the_embedded_files_with_examples() {
    use zhengce::base::rule_file::RuleFile;
    let d = tmp("dump").join("my-rules");
    zhengce()
        .args(["rules", "--dump"])
        .arg(&d)
        .assert()
        .success();
    for f in RuleFile::ALL {
        let written = std::fs::read_to_string(d.join(f.name())).unwrap();
        assert_eq!(written, zhengce::rules::embedded_text(f), "{f}");
        assert!(written.contains("[[") && written.contains("example"), "{f}");
    }
    // The dumped files pass their own examples, and a second dump never overwrites them.
    zhengce()
        .args(["rules", "--rules"])
        .arg(&d)
        .assert()
        .success()
        .stdout(predicate::str::contains("examples passed"));
    std::fs::write(d.join("markers.toml"), "# edited by hand\n").unwrap();
    zhengce()
        .args(["rules", "--dump"])
        .arg(&d)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not overwritten"));
    assert_eq!(
        std::fs::read_to_string(d.join("markers.toml")).unwrap(),
        "# edited by hand\n"
    );
}

#[test]
fn zhengce_rules_points_every_command_at_a_folder_and_the_flag_wins() {
    let d = tmp("envrules");
    let broken = d.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("markers.toml"), "[[family]\n").unwrap();
    let good = d.join("good");
    std::fs::create_dir_all(&good).unwrap();
    for sub in [
        vec!["parse".to_string(), common::seed().display().to_string()],
        vec!["rules".to_string()],
        vec![
            "diff".to_string(),
            common::seed().display().to_string(),
            common::seed().display().to_string(),
        ],
    ] {
        zhengce()
            .args(&sub)
            .env("ZHENGCE_RULES", &broken)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("markers.toml"));
        zhengce()
            .args(&sub)
            .env("ZHENGCE_RULES", &broken)
            .arg("--rules")
            .arg(&good)
            .assert()
            .success();
    }
}
