//! `zhengce batch`: determinism, equality with `parse`, error records, mirrored output files,
//! and the `--stdin-jsonl` stream.

use crate::common;

use common::{tmp, zhengce};

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Std, Stdio};
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;

#[test]
fn one_thread_and_many_give_the_same_output() {
    let run = |j: &str| {
        zhengce()
            .args(["batch", "seeds", "tests/corpus", "-q", "-j", j])
            .current_dir(common::root())
            .output()
            .unwrap()
    };
    let one = run("1");
    let four = run("4");
    assert!(one.status.success());
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(String::from_utf8_lossy(&one.stdout).lines().count(), 14);
}

#[test]
fn each_line_is_what_parse_gives() {
    let out = zhengce()
        .args(["batch", "seeds", "tests/corpus", "-q"])
        .current_dir(common::root())
        .output()
        .unwrap();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = v["source"]["path"].as_str().unwrap().to_string();
        let parsed = zhengce()
            .args(["parse", "--compact", &path])
            .current_dir(common::root())
            .output()
            .unwrap();
        assert_eq!(
            format!("{line}\n").as_bytes(),
            parsed.stdout.as_slice(),
            "{path}"
        );
    }
}

#[test]
fn bad_inputs_become_error_records_and_exit_2() {
    let d = tmp("bad");
    std::fs::write(d.join("a.txt"), "一、总体要求\n").unwrap();
    std::fs::write(d.join("b.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    std::fs::write(d.join("c.txt"), "一、其他\n").unwrap();
    let out = zhengce()
        .arg("batch")
        .arg(&d)
        .arg(d.join("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "one line per input, in order");
    assert_eq!(lines[0]["schema"], "zhengce/1");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("not a text document"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[1]["path"], d.join("b.txt").display().to_string());
    assert_eq!(lines[2]["schema"], "zhengce/1");
    assert!(lines[3]["error"].as_str().unwrap().contains("no such file"));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("not a text document") && err.contains("no such file"),
        "{err}"
    );
    assert!(err.contains("2 documents"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn out_mirrors_folders_and_matches_parse() {
    let src = tmp("src");
    std::fs::create_dir_all(src.join("county/a")).unwrap();
    std::fs::copy(common::seed(), src.join("county/a/seed.txt")).unwrap();
    std::fs::write(src.join("top.txt"), "一、总体要求\n").unwrap();
    std::fs::write(src.join("skip.md"), "一、不读\n").unwrap();
    let out = tmp("out");
    zhengce()
        .arg("batch")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .assert()
        .success()
        .stdout("");
    assert!(out.join("county/a/seed.json").is_file());
    assert!(out.join("top.json").is_file());
    assert!(
        !out.join("skip.json").exists(),
        "by default a batch reads the document types zhengce reads"
    );
    let parsed = zhengce()
        .arg("parse")
        .arg(src.join("county/a/seed.txt"))
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(out.join("county/a/seed.json")).unwrap(),
        parsed.stdout
    );
    let all = tmp("glob");
    zhengce()
        .arg("batch")
        .arg(&src)
        .arg("--out")
        .arg(&all)
        .args(["--glob", "*", "-q"])
        .assert()
        .success();
    assert!(all.join("skip.json").is_file());
}

#[test]
fn a_folder_is_read_in_every_format_and_what_is_no_document_is_reported_skipped() {
    let d = tmp("formats");
    std::fs::write(d.join("a.txt"), "一、总体要求\n").unwrap();
    std::fs::write(
        d.join("b.HTML"),
        "<html><body><div class=TRS_Editor><p>一、总体要求，</p></div></body></html>",
    )
    .unwrap();
    std::fs::write(d.join("c.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(d.join("d.json"), "{}").unwrap();
    std::fs::write(d.join("e.ofd"), "PK").unwrap();
    let out = zhengce().arg("batch").arg(&d).output().unwrap();
    common::assert_success(&out);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let formats: Vec<&str> = lines
        .iter()
        .map(|l| l["source"]["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["text", "html"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("3 files skipped: not a document type zhengce reads (")
            && err.contains("c.png")
            && err.contains("e.ofd"),
        "{err}"
    );
    // --quiet says nothing; a glob reads what it names and reports nothing skipped.
    let quiet = zhengce().arg("batch").arg(&d).arg("-q").output().unwrap();
    assert!(quiet.stderr.is_empty());
    let globbed = zhengce()
        .arg("batch")
        .arg(&d)
        .args(["--glob", "*.txt"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&globbed.stdout).lines().count(), 1);
    assert!(!String::from_utf8_lossy(&globbed.stderr).contains("skipped"));
}

#[test]
fn stdin_jsonl_streams_ten_thousand_lines_in_order() {
    let mut input = String::new();
    for i in 0..10_000 {
        let text = format!("一、第{i}项任务\n到2025年完成{i}个项目。（牵头单位：区发展改革委）\n");
        input.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        input.push('\n');
    }
    let out = zhengce()
        .args(["batch", "--stdin-jsonl", "-q", "-j", "4"])
        .write_stdin(input)
        .output()
        .unwrap();
    common::assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        assert!(
            line.starts_with(&format!("{{\"id\":{i},\"schema\":\"zhengce/1\"")),
            "line {i}: {}",
            &line[..60.min(line.len())]
        );
        n += 1;
    }
    assert_eq!(n, 10_000);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["tasks"][0]["lead"][0], "区发展改革委");
}

#[test]
fn stdin_jsonl_flushes_each_line_as_it_goes() {
    let mut child = Std::new(cargo_bin("zhengce"))
        .args(["batch", "--stdin-jsonl", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    // The input stays open: the answer must come before the end of the stream.
    writeln!(stdin, r#"{{"id":"a","text":"一、总体要求"}}"#).unwrap();
    stdin.flush().unwrap();
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("a result line before the input ends");
    assert!(
        first.starts_with(r#"{"id":"a","schema":"zhengce/1""#),
        "{first}"
    );
    writeln!(stdin, r#"{{"id":"b","text":"一、其他"}}"#).unwrap();
    stdin.flush().unwrap();
    let second = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("second line");
    assert!(second.starts_with(r#"{"id":"b""#));
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn stream_lines_that_are_not_input_objects_become_error_records() {
    let input = "{\"id\":7}\nnot json\n{\"id\":8,\"text\":\"一、甲\"}\n";
    let out = zhengce()
        .args(["batch", "--stdin-jsonl", "-q"])
        .write_stdin(input)
        .output()
        .unwrap();
    // Every line got its answer, so the mapper succeeded; --strict fails on an error record.
    assert_eq!(out.status.code(), Some(0));
    let strict = zhengce()
        .args(["batch", "--stdin-jsonl", "-q", "--strict"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(2));
    assert_eq!(strict.stdout, out.stdout);
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines[0], r#"{"id":7,"error":"no `text` field"}"#);
    assert!(lines[1].starts_with(r#"{"id":null,"error":"not a JSON object"#));
    assert!(lines[2].starts_with(r#"{"id":8,"schema""#));
}

#[test]
fn a_stream_line_that_is_not_utf8_is_an_error_record_and_the_stream_goes_on() {
    let mut input = b"{\"id\":1,\"text\":\"\xe4\xb8\x80\xe3\x80\x81\xe7\x94\xb2\"}\r\n".to_vec();
    input.extend_from_slice(b"{\"id\":2,\"text\":\"\xff\xfe\"}\n");
    input.extend_from_slice(b"{\"id\":3,\"text\":\"\xe4\xba\x8c\xe3\x80\x81\xe4\xb9\x99\"}");
    let out = zhengce()
        .args(["batch", "--stdin-jsonl", "-q"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with(r#"{"id":1,"schema""#), "{}", lines[0]);
    assert_eq!(
        lines[1],
        r#"{"id":2,"error":"line is not valid UTF-8 (byte 17)"}"#
    );
    let third: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(third["id"], 3);
    assert_eq!(third["tasks"][0]["title"], "乙");
}

#[cfg(unix)]
#[test]
fn links_to_files_in_a_folder_are_read_and_a_broken_one_is_reported() {
    use std::os::unix::fs::symlink;
    let dir = tmp("links");
    let seed = common::root().join("seeds/000_c965c7f64a70dc2d.txt");
    symlink(&seed, dir.join("linked.txt")).unwrap();
    symlink(dir.join("missing"), dir.join("broken.txt")).unwrap();
    // A link to a folder is not followed: the seed would be read twice.
    symlink(common::root().join("seeds"), dir.join("folder")).unwrap();
    let out = zhengce().arg("batch").arg(&dir).arg("-q").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let broken: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert!(broken["path"].as_str().unwrap().ends_with("broken.txt"));
    assert!(broken["error"].as_str().unwrap().contains("no such file"));
    let linked: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert!(
        linked["source"]["path"]
            .as_str()
            .unwrap()
            .ends_with("linked.txt")
    );
    assert_eq!(linked["tasks"].as_array().unwrap().len(), 7);
}

#[test]
fn stream_ids_come_back_as_written_and_a_leading_bom_is_dropped() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice("{\"id\":12345678901234567890123,\"text\":\"一、甲\"}\n".as_bytes());
    input.extend_from_slice("{\"id\":{\"k\": [1, 2.50]},\"text\":\"一、乙\"}\n".as_bytes());
    input.extend_from_slice(b"{\"id\":\"\xff\",\"text\":\"x\"}\n");
    let out = zhengce()
        .args(["batch", "--stdin-jsonl", "-q"])
        .write_stdin(input)
        .output()
        .unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    // Too large for a 64-bit integer or a double: written back digit for digit.
    assert!(
        lines[0].starts_with(r#"{"id":12345678901234567890123,"schema""#),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(r#"{"id":{"k": [1, 2.50]},"schema""#),
        "{}",
        lines[1]
    );
    // An id that is not UTF-8 cannot be given back.
    assert_eq!(
        lines[2],
        r#"{"id":null,"error":"line is not valid UTF-8 (byte 8)"}"#
    );
}
