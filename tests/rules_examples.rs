//! Every example carried by the embedded rule files gives the reading its file states.

#[test]
fn every_rule_example_holds() {
    let rules = zhengce::rules::Rules::embedded_with_examples().unwrap();
    let (fails, count) = zhengce::examples::check(&rules);
    let report: Vec<String> = fails.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} of {count} examples failed:\n{}",
        report.len(),
        report.join("\n")
    );
    assert!(count >= 100, "only {count} examples ran");
}
