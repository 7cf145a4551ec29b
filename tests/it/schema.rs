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
