//! Real outputs validate against the JSON Schema that `zhengce schema` prints.

use crate::common;

#[test]
fn every_fixture_output_validates() {
    let schema = zhengce::model::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for path in common::fixtures() {
        let doc = common::parse(&path);
        let value = serde_json::to_value(&doc).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn output_reads_back_into_the_model() {
    let doc = common::parse(&common::seed());
    let json = serde_json::to_string(&doc).unwrap();
    let back: zhengce::model::Document = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
}

/// The README's diagnostics table lists every code the library can emit, and no other.
#[test]
fn the_readme_lists_every_diagnostic_code() {
    use zhengce::base::diag::Code;
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme
        .find("### Diagnostics")
        .expect("a Diagnostics section");
    let table: Vec<&str> = readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect();
    let listed: Vec<String> = table
        .iter()
        .filter_map(|row| row.split('`').nth(1).map(str::to_string))
        .collect();
    let codes: Vec<String> = Code::ALL.iter().map(|c| c.to_string()).collect();
    for c in &codes {
        assert!(listed.contains(c), "the README does not list `{c}`");
    }
    for l in &listed {
        assert!(
            codes.contains(l),
            "the README lists `{l}`, which no stage emits"
        );
    }
}
