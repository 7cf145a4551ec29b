//! Every example carried by the embedded rule files gives the reading its file states.

#[test]
fn every_rule_example_holds() {
    let rules = zhengce::rules::Rules::load(&zhengce::rules::LoadOptions {
        dir: None,
        examples: true,
    })
    .unwrap();
    let checked = rules.check_examples();
    let count = checked.count;
    let report: Vec<String> = checked.failures.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} of {count} examples failed:\n{}",
        report.len(),
        report.join("\n")
    );
    assert!(count >= 100, "only {count} examples ran");
}
