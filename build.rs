//! Writes the embedded default rules without their examples: `parse` reads the rule files on
//! every start, and the examples, which only `zhengce rules` and the tests run, are nearly half
//! of their text. `src/rules.rs` embeds both forms.

use std::fmt::Write as _;
use std::path::Path;

// `RULE_FILE_NAMES`: the list the library's `RuleFile` names, in its order.
include!("src/base/rule_file_names.rs");

/// Removes every `examples` key, and the top-level `example` tables (the department examples).
fn strip(table: &mut toml::Table, top: bool) {
    table.remove("examples");
    if top {
        table.remove("example");
    }
    for (_, value) in table.iter_mut() {
        strip_value(value);
    }
}

fn strip_value(value: &mut toml::Value) {
    match value {
        toml::Value::Table(t) => strip(t, false),
        toml::Value::Array(items) => items.iter_mut().for_each(strip_value),
        _ => {}
    }
}

fn main() {
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set"));
    let out = Path::new(&out);
    let mut index = String::from("/// The embedded rule files without their examples.\n");
    index.push_str("pub(crate) const LEAN_RULE_FILES: &[(&str, &str)] = &[\n");
    println!("cargo::rerun-if-changed=src/base/rule_file_names.rs");
    for name in RULE_FILE_NAMES {
        let path = Path::new("rules").join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        // A file that does not parse is left whole: compiling it reports the error with its
        // line, as for any rule file.
        let lean = match toml::from_str::<toml::Table>(&text) {
            Ok(mut table) => {
                strip(&mut table, true);
                toml::to_string(&table)
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())))
            }
            Err(_) => text,
        };
        let target = out.join(format!("lean_{name}"));
        std::fs::write(&target, lean)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", target.display())));
        let _ = writeln!(
            index,
            "    ({name:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/lean_{name}\"))),"
        );
    }
    index.push_str("];\n");
    std::fs::write(out.join("lean_rules.rs"), index)
        .unwrap_or_else(|e| fail(&format!("lean_rules.rs: {e}")));
}

fn fail(msg: &str) -> ! {
    eprintln!("build.rs: {msg}");
    std::process::exit(1)
}
