//! Department attributions on the seed, exactly as its gold file lists them, and the index.

use crate::common;

use zhengce::model::Role;

#[test]
fn seed_all_57_attributions_exactly() {
    let seed = common::seed();
    let doc = common::parse(&seed);
    let gold = common::gold(&seed);
    assert_eq!(gold.assignments.len(), 57);
    let tasks = doc.all_tasks();
    for a in &gold.assignments {
        let t = tasks
            .iter()
            .find(|t| t.id == a.path)
            .unwrap_or_else(|| panic!("task {}", a.path));
        assert_eq!(t.lead, a.lead, "lead of {}", a.path);
        assert_eq!(t.participants, a.participants, "participants of {}", a.path);
    }
    for t in &tasks {
        if !gold.assignments.iter().any(|a| a.path == t.id) {
            assert!(
                t.lead.is_empty() && t.participants.is_empty(),
                "task {} has none in the gold",
                t.id
            );
        }
    }
}

#[test]
fn attributions_keep_role_word_and_exact_span() {
    let seed = common::seed();
    let doc = common::parse(&seed);
    let chars: Vec<char> = std::fs::read_to_string(&seed).unwrap().chars().collect();
    let t = doc
        .all_tasks()
        .into_iter()
        .find(|t| t.id == "2.1.1")
        .unwrap();
    assert_eq!(t.attributions.len(), 2);
    let a = &t.attributions[0];
    assert_eq!((a.role, a.role_word.as_str()), (Role::Lead, "牵头部门"));
    let written: String = chars[a.span.start..a.span.end].iter().collect();
    assert_eq!(written, "牵头部门:县发展和改革局");
    let p = &t.attributions[1];
    assert_eq!(
        (p.role, p.role_word.as_str()),
        (Role::Participant, "参与部门")
    );
}

#[test]
fn department_index_in_order_of_first_appearance() {
    let doc = common::parse(&common::seed());
    let d = &doc.departments[0];
    assert_eq!(d.name, "县发展和改革局");
    assert_eq!(d.lead[0], "2.1.1");
    assert!(d.participates.contains(&"2.1.3".to_string()));
    let names: Vec<&str> = doc.departments.iter().map(|d| d.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "one entry per body");
}

#[test]
fn near_duplicates_are_reported_not_merged() {
    let doc = common::parse(&common::seed());
    let names: Vec<&str> = doc.departments.iter().map(|d| d.name.as_str()).collect();
    assert!(names.contains(&"县工业和信息局") && names.contains(&"县工业和信息化局"));
    assert!(names.contains(&"县住房和城乡建设局") && names.contains(&"县住房城乡建设局"));
    let similar: Vec<&str> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == "similar-department-names")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        similar
            .iter()
            .any(|m| m.contains("`县工业和信息局`") && m.contains("`县工业和信息化局`"))
    );
    assert!(
        similar
            .iter()
            .any(|m| m.contains("`县住房和城乡建设局`") && m.contains("`县住房城乡建设局`"))
    );
}

#[test]
fn an_alias_rule_merges_names() {
    let dir = std::env::temp_dir().join(format!("zhengce-alias-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let default = zhengce::rules::embedded_text(zhengce::base::rule_file::RuleFile::Departments);
    std::fs::write(
        dir.join("departments.toml"),
        format!("{default}\n[[alias]]\nnames = [\"县工业和信息化局\", \"县工业和信息局\"]\n"),
    )
    .unwrap();
    let rules = zhengce::rules::Rules::load(&zhengce::rules::LoadOptions {
        dir: Some(&dir),
        examples: false,
    })
    .unwrap();
    let doc =
        zhengce::Parser::new(rules).parse_bytes(&std::fs::read(common::seed()).unwrap(), None);
    // The alias table's canonical name names the body, though the document spells it the
    // other way first; the spellings are kept as written.
    let d = doc
        .departments
        .iter()
        .find(|d| d.name == "县工业和信息化局")
        .unwrap();
    assert_eq!(d.aliases, ["县工业和信息局", "县工业和信息化局"]);
    assert!(d.lead.contains(&"5.1.2".to_string()), "{d:?}");
    assert!(!doc.departments.iter().any(|d| d.name == "县工业和信息局"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_task_without_attribution_among_attributed_siblings_is_flagged() {
    let doc = common::parse(&common::seed());
    let missing: Vec<_> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == "missing-attribution")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].message.contains("task 5.3"));
}
