//! Shared helpers of the integration tests: the bundled fixtures and a parser.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use zhengce::Parser;
use zhengce::compare::gold::Gold;
use zhengce::model::Document;
use zhengce::rules::Rules;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every bundled document with a gold file: the seed first, then the corpus, by name.
pub fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["seeds", "tests/corpus"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        v.sort();
        out.extend(v);
    }
    assert!(out.len() >= 14, "fixtures missing: {out:?}");
    out
}

/// The held-out documents (`tests/unseen`): no rule was written from them.
pub fn unseen() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/unseen"))
        .expect("unseen folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    assert!(v.len() >= 20, "unseen documents missing: {v:?}");
    v
}

/// The seed document.
pub fn seed() -> PathBuf {
    fixtures().into_iter().next().expect("seed")
}

/// A parser with the embedded rules.
pub fn parser() -> Parser {
    Parser::new(Rules::embedded().expect("embedded rules"))
}

/// Parses a fixture.
pub fn parse(path: &Path) -> Document {
    let bytes = std::fs::read(path).expect("read fixture");
    parser().parse_bytes(&bytes, None)
}

/// The gold file beside a fixture.
pub fn gold(path: &Path) -> Gold {
    let g = path.with_extension("gold.json");
    let text = std::fs::read_to_string(&g).expect("gold file");
    serde_json::from_str(&text).expect("gold json")
}

/// Short name of a fixture (`000`, `001`, …).
pub fn short(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy()[..3].to_string()
}

/// The real `zhengce` binary.
pub fn zhengce() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("zhengce").unwrap()
}

/// A fresh, empty folder for one test.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zhengce-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Asserts that a run succeeded, showing its standard error if not.
pub fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
