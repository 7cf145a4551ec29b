//! The folders of `src/` are layers, and imports only go down: `base` knows no stage, a stage
//! knows only `base`, the contract in `model` and the stages before it, and nothing below the
//! aggregate (`rules`, `pipeline`) knows it. Test code inside a module may use anything.

use std::path::{Path, PathBuf};

/// The stages in pipeline order: each may import those before it.
const STAGES: &[&str] = &[
    "read",
    "chrome",
    "meta",
    "outline",
    "departments",
    "deadlines",
    "annex",
    "targets",
];

/// What a module at `path` (relative to `src/`) may import from the crate root.
fn allowed(path: &str) -> Option<Vec<&'static str>> {
    let mut parts = path.trim_end_matches(".rs").split('/');
    let top = parts.next()?;
    Some(match top {
        "base" => vec!["base"],
        "model" => vec![],
        "stages" => {
            let stage = parts.next()?;
            let i = STAGES.iter().position(|s| *s == stage)?;
            let mut v = vec!["base", "model"];
            v.extend(STAGES[..=i].iter().map(|s| &**s));
            return Some(v.into_iter().map(|s| stage_path(s)).collect());
        }
        "rules" | "pipeline" => vec!["base", "model", "stages", "rules"],
        "emit" => vec!["base", "model", "stages", "rules", "pipeline", "Analysis"],
        "files" => vec![
            "base", "model", "stages", "rules", "pipeline", "emit", "Parser",
        ],
        "compare" => vec![
            "base", "model", "stages", "rules", "pipeline", "emit", "files", "compare", "Parser",
        ],
        "view" => vec![
            "base", "model", "files", "compare", "emit", "Parser", "view",
        ],
        "batch" => vec![
            "base", "model", "stages", "rules", "pipeline", "emit", "files", "compare", "batch",
            "Parser",
        ],
        "ledger" => vec![
            "base", "model", "files", "compare", "emit", "Parser", "ledger",
        ],
        // The crate root, the binary and the checks of invariants see everything.
        _ => return None,
    })
}

/// How an import of a stage is written: `stages::meta` (a stage's own module counts too).
fn stage_path(s: &'static str) -> &'static str {
    match s {
        "base" | "model" => s,
        "read" => "stages::read",
        "chrome" => "stages::chrome",
        "meta" => "stages::meta",
        "outline" => "stages::outline",
        "departments" => "stages::departments",
        "deadlines" => "stages::deadlines",
        "annex" => "stages::annex",
        "targets" => "stages::targets",
        _ => "",
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::…` path in the code of a file before its unit tests, with its line.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '{')
                .collect();
            out.push((i + 1, path.trim_end_matches(':').to_string()));
            rest = after;
        }
    }
    out
}

#[test]
fn imports_go_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(allowed) = allowed(&rel) else {
            continue;
        };
        let code = std::fs::read_to_string(&file).unwrap();
        for (line, path) in crate_paths(&code) {
            checked += 1;
            // A group (`crate::{a, b}`) is read as wrong: write one import per layer.
            let ok = allowed
                .iter()
                .any(|a| path == *a || path.starts_with(&format!("{a}::")));
            if !ok {
                wrong.push(format!("src/{rel}:{line}: crate::{path}"));
            }
        }
    }
    assert!(checked > 50, "only {checked} imports seen");
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_check_sees_a_wrong_import() {
    let code = "use crate::stages::targets::X;\n/// [`crate::emit`]\nfn f() { crate::rules::Rules::embedded(); }\n#[cfg(test)]\nmod tests { use crate::rules::Rules; }\n";
    let paths: Vec<String> = crate_paths(code).into_iter().map(|(_, p)| p).collect();
    assert_eq!(paths, ["stages::targets::X", "rules::Rules::embedded"]);
    let base = allowed("base/text.rs").unwrap();
    assert!(!base.iter().any(|a| paths[0].starts_with(a)));
    let meta = allowed("stages/meta/mod.rs").unwrap();
    assert!(meta.contains(&"stages::chrome") && !meta.contains(&"stages::outline"));
    assert!(!meta.contains(&"rules"));
}
