//! `zhengce diff`: its laws (a document against itself, mirroring, JSON against source) and
//! scenarios built by editing a copy of the seed.

use crate::common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use proptest::prelude::*;
use zhengce::compare::diff::{ChangeKind, Field, Report, canonical, diff, mirror};
use zhengce::model::Document;

fn seed_text() -> String {
    std::fs::read_to_string(common::seed()).unwrap()
}

fn parse_str(s: &str) -> Document {
    common::parser().parse_str(s, None)
}

fn none() -> BTreeSet<Field> {
    BTreeSet::new()
}

fn kinds(r: &Report) -> Vec<ChangeKind> {
    r.changes.iter().map(|c| c.kind).collect()
}

/// The details of the text edits a report shows.
fn text_edits(r: &Report) -> Vec<&str> {
    r.changes
        .iter()
        .filter(|c| c.field.as_deref() == Some("text"))
        .map(|c| c.detail.as_str())
        .collect()
}

fn assert_mirrored(a: &Document, b: &Document) {
    let ab = diff(a, b, &none());
    let ba = diff(b, a, &none());
    assert_eq!(
        canonical(&mirror(&ab)),
        canonical(&ba),
        "diff(a,b) mirrored is not diff(b,a)"
    );
    assert_eq!(mirror(&ab).summary, ba.summary);
}

#[test]
fn a_document_against_itself_is_empty() {
    for path in common::fixtures() {
        let d = common::parse(&path);
        let r = diff(&d, &d, &none());
        assert!(r.is_empty(), "{}: {:?}", path.display(), r.changes);
        assert_eq!(r.summary_line(), "no differences");
    }
}

#[test]
fn json_against_its_source_is_empty() {
    for path in common::fixtures() {
        let doc = common::parse(&path);
        let json = serde_json::to_vec(&doc).unwrap();
        let parser = common::parser();
        let from_json = zhengce::compare::diff::load(&json, "out.json", &parser).unwrap();
        let from_source =
            zhengce::compare::diff::load(&std::fs::read(&path).unwrap(), "doc.txt", &parser)
                .unwrap();
        let r = diff(&from_json, &from_source, &none());
        assert!(r.is_empty(), "{}: {:?}", path.display(), r.changes);
    }
}

#[test]
fn a_changed_target_value_is_exactly_one_change() {
    let a = seed_text();
    let b = a.replace("产值达到418亿元左右", "产值达到450亿元左右");
    let r = diff(&parse_str(&a), &parse_str(&b), &none());
    assert_eq!(kinds(&r), [ChangeKind::TargetChanged], "{:#?}", r.changes);
    let c = &r.changes[0];
    assert_eq!(
        (c.left_id.as_deref(), c.field.as_deref()),
        (Some("2.1.1"), Some("value"))
    );
    assert_eq!(
        (c.old.clone().unwrap(), c.new.clone().unwrap()),
        (serde_json::json!(418), serde_json::json!(450))
    );
    assert!(
        c.detail.contains("418亿元 → 450亿元 (+32亿元)"),
        "{}",
        c.detail
    );
    assert_eq!(r.summary.targets_changed, 1);
    assert_mirrored(&parse_str(&a), &parse_str(&b));
}

#[test]
fn an_inserted_task_is_one_addition_and_one_renumbering() {
    let a = seed_text();
    let at = a.find("2.健全完善生物医药产业链条").unwrap();
    let end = a.find("(二)提升发展传统优势产业").unwrap();
    let renumbered = a[at..end]
        .replacen("4.壮大", "5.壮大", 1)
        .replacen("3.推动", "4.推动", 1)
        .replacen("2.健全", "3.健全", 1);
    let b = format!(
        "{}2.加快发展氢能产业。推进氢能示范应用。\n{}{}",
        &a[..at],
        renumbered,
        &a[end..]
    );
    let (da, db) = (parse_str(&a), parse_str(&b));
    let r = diff(&da, &db, &none());
    assert_eq!(
        kinds(&r),
        [ChangeKind::TaskAdded, ChangeKind::TaskRenumbered],
        "{:#?}",
        r.changes
    );
    assert_eq!(r.changes[0].right_id.as_deref(), Some("2.1.2"));
    assert_eq!(
        r.changes[1].old,
        Some(serde_json::json!(["2.1.2", "2.1.3", "2.1.4"]))
    );
    assert_eq!(
        r.changes[1].new,
        Some(serde_json::json!(["2.1.3", "2.1.4", "2.1.5"]))
    );
    assert_eq!(
        (
            r.summary.tasks_added,
            r.summary.tasks_changed,
            r.summary.tasks_renumbered
        ),
        (1, 0, 3)
    );
    assert_mirrored(&da, &db);
}

#[test]
fn a_removed_participant_and_one_moved_to_lead() {
    let a = seed_text();
    let b = a.replacen(
        "(牵头部门:县工业和信息局;参与部门:县经济开发区、市生态环境局鄄城县分局、县发展和改革局",
        "(牵头部门:县工业和信息局、县经济开发区;参与部门:县发展和改革局",
        1,
    );
    assert_ne!(a, b);
    let r = diff(&parse_str(&a), &parse_str(&b), &none());
    assert_eq!(
        kinds(&r),
        [ChangeKind::RoleChanged, ChangeKind::AttributionRemoved],
        "{:#?}",
        r.changes
    );
    assert_eq!(r.changes[0].detail, "县经济开发区: participant → lead");
    assert_eq!(
        r.changes[1].old,
        Some(serde_json::json!("市生态环境局鄄城县分局"))
    );
    assert_eq!(r.changes[1].left_id.as_deref(), Some("2.1.3"));
    assert_mirrored(&parse_str(&a), &parse_str(&b));
}

#[test]
fn a_retitled_heading_is_a_title_change() {
    let a = seed_text();
    let b = a.replacen(
        "1.大力发展新能源新材料产业。",
        "1.加快发展新能源新材料产业。",
        1,
    );
    let r = diff(&parse_str(&a), &parse_str(&b), &none());
    assert_eq!(kinds(&r), [ChangeKind::TaskChanged], "{:#?}", r.changes);
    assert_eq!(r.changes[0].field.as_deref(), Some("title"));
    assert!(
        r.changes[0]
            .detail
            .contains("[-大力-]{+加快+}发展新能源新材料产业"),
        "{}",
        r.changes[0].detail
    );
}

#[test]
fn meta_changes_are_reported() {
    let a = seed_text();
    let b = a.replacen("2023年8月22日", "2023年9月1日", 1);
    let r = diff(&parse_str(&a), &parse_str(&b), &none());
    assert_eq!(kinds(&r), [ChangeKind::MetaChanged]);
    assert_eq!(r.changes[0].field.as_deref(), Some("date"));
    let ignored: BTreeSet<Field> = [Field::Meta].into();
    assert!(diff(&parse_str(&a), &parse_str(&b), &ignored).is_empty());
}

#[test]
fn ignoring_text_hides_text_edits() {
    let a = seed_text();
    let b = a.replacen(
        "做好锂电产业延链补链强链文章",
        "做好锂电产业延链强链文章",
        1,
    );
    let (da, db) = (parse_str(&a), parse_str(&b));
    assert_eq!(kinds(&diff(&da, &db, &none())), [ChangeKind::TaskChanged]);
    assert!(diff(&da, &db, &[Field::Text].into()).is_empty());
}

#[test]
fn scoring_the_gold_as_json_gives_the_accuracy_test_figures() {
    let seed = common::seed();
    let gold = common::gold(&seed).to_document();
    let expected = zhengce::compare::score::score(&gold, &common::parse(&seed));
    let dir = std::env::temp_dir().join(format!("zhengce-score-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("expected.json");
    std::fs::write(&file, serde_json::to_vec(&gold).unwrap()).unwrap();
    let out = Command::cargo_bin("zhengce")
        .unwrap()
        .args(["diff", "--score", "--format", "json"])
        .arg(&file)
        .arg(&seed)
        .output()
        .unwrap();
    common::assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, prf) in [
        ("headings", expected.headings),
        ("attributions", expected.attributions),
        ("targets", expected.targets),
    ] {
        assert_eq!(v[name]["tp"], prf.tp, "{name}");
        assert_eq!(v[name]["fp"], prf.fp, "{name}");
        assert_eq!(v[name]["fn"], prf.fn_, "{name}");
    }
    assert_eq!(v["target_year"]["correct"], expected.target_year.correct);
    // The gold file itself reads the same as its JSON form.
    let direct = Command::cargo_bin("zhengce")
        .unwrap()
        .args(["diff", "--score", "--format", "json"])
        .arg(seed.with_extension("gold.json"))
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(direct.stdout, out.stdout);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_exit_codes_formats_and_colour() {
    let seed = common::seed();
    let z = || Command::cargo_bin("zhengce").unwrap();
    z().arg("diff")
        .arg(&seed)
        .arg(&seed)
        .assert()
        .code(0)
        .stdout("没有差异\n");
    z().args(["diff", "--lang", "en"])
        .arg(&seed)
        .arg(&seed)
        .assert()
        .code(0)
        .stdout("no differences\n");

    let dir = std::env::temp_dir().join(format!("zhengce-diffcli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let edited = dir.join("v2.txt");
    std::fs::write(
        &edited,
        seed_text().replacen(
            "1.大力发展新能源新材料产业。",
            "1.加快发展新能源新材料产业。",
            1,
        ),
    )
    .unwrap();
    let plain = z()
        .args(["diff", "--lang", "en"])
        .arg(&seed)
        .arg(&edited)
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(1));
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(
        text.starts_with("1 task changed, 0 added, 0 removed; 0 targets changed"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    let coloured = z()
        .args(["diff", "--color", "always"])
        .arg(&seed)
        .arg(&edited)
        .output()
        .unwrap();
    assert!(
        String::from_utf8(coloured.stdout)
            .unwrap()
            .contains("\x1b[")
    );
    let md = z()
        .args(["diff", "--format", "markdown", "--lang", "en"])
        .arg(&seed)
        .arg(&edited)
        .output()
        .unwrap();
    assert!(
        String::from_utf8(md.stdout)
            .unwrap()
            .contains("| task-changed | 2.1.1 ")
    );

    let other = dir.join("v9.json");
    std::fs::write(&other, r#"{"schema": "zhengce/9", "tasks": []}"#).unwrap();
    let bad = z().arg("diff").arg(&other).arg(&seed).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(err.contains("schema `zhengce/9` is not supported"), "{err}");

    z().args(["diff", "--ignore", "colour"])
        .arg(&seed)
        .arg(&seed)
        .assert()
        .code(2);
    // One retitled heading costs one heading of the seed: below a perfect gate, above a lax one.
    z().args(["diff", "--score", "--min-f1", "1.0"])
        .arg(seed.with_extension("gold.json"))
        .arg(&edited)
        .assert()
        .code(1);
    z().args(["diff", "--score", "--min-f1", "0.9"])
        .arg(seed.with_extension("gold.json"))
        .arg(&edited)
        .assert()
        .code(0);
    std::fs::remove_dir_all(&dir).ok();
}

/// Edits of the seed text, for the property tests.
#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    ChangeDigit(usize, char),
    SwapLines(usize),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        let n = lines.len();
        match *e {
            Edit::DeleteLine(i) if n > 1 => {
                lines.remove(i % n);
            }
            Edit::DuplicateLine(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::ChangeDigit(i, d) => {
                let l = &mut lines[i % n];
                if let Some(pos) = l.find(|c: char| c.is_ascii_digit()) {
                    l.replace_range(pos..pos + 1, &d.to_string());
                }
            }
            Edit::SwapLines(i) if n > 1 => lines.swap(i % n, (i + 1) % n),
            _ => {}
        }
    }
    lines.join("\n")
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), proptest::char::range('0', '9'))
            .prop_map(|(i, d)| Edit::ChangeDigit(i, d)),
        any::<usize>().prop_map(Edit::SwapLines),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn laws_hold_for_edited_seeds(edits in proptest::collection::vec(edit(), 1..4)) {
        let a = seed_text();
        let b = apply(&a, &edits);
        let (da, db) = (parse_str(&a), parse_str(&b));
        prop_assert!(diff(&db, &db, &none()).is_empty());
        let ab = diff(&da, &db, &none());
        let ba = diff(&db, &da, &none());
        prop_assert_eq!(canonical(&mirror(&ab)), canonical(&ba));
    }
}

#[test]
fn a_renamed_department_is_not_also_a_text_edit() {
    // Renaming a lead department everywhere changes the attributions; the task text changes
    // only by that name, which the department change explains.
    let mut checked = 0;
    for path in common::fixtures() {
        let a = std::fs::read_to_string(&path).unwrap();
        let doc = parse_str(&a);
        let Some(name) = doc
            .departments
            .iter()
            .filter(|d| !d.lead.is_empty())
            .flat_map(|d| d.aliases.iter())
            .find(|n| n.chars().count() >= 5 && a.contains(n.as_str()))
        else {
            continue;
        };
        let renamed: String = {
            let mut cs: Vec<char> = name.chars().collect();
            cs.insert(cs.len() - 1, '和');
            cs.into_iter().collect()
        };
        let b = a.replace(name.as_str(), &renamed);
        let r = diff(&doc, &parse_str(&b), &none());
        let text = text_edits(&r);
        assert!(
            text.is_empty(),
            "{} ({name} → {renamed}): {text:#?}",
            path.display()
        );
        assert!(
            r.changes
                .iter()
                .any(|c| matches!(c.field.as_deref(), Some("lead" | "participants"))),
            "{}: the rename is not a department change",
            path.display()
        );
        checked += 1;
    }
    assert!(
        checked >= 3,
        "only {checked} documents had a department to rename"
    );
}

#[test]
fn a_changed_unit_is_not_also_a_text_edit() {
    // However the text around it is split into words, the edit `20家` → `20个` is the unit
    // change and nothing more.
    let swaps = [
        ("家", "个"),
        ("个", "家"),
        ("%", "个百分点"),
        ("名", "人"),
        ("人", "名"),
        ("所", "家"),
        ("处", "个"),
    ];
    let mut checked = 0;
    for path in common::fixtures() {
        let a = std::fs::read_to_string(&path).unwrap();
        let chars: Vec<char> = a.chars().collect();
        let doc = parse_str(&a);
        let mut targets = Vec::new();
        let mut stack: Vec<&zhengce::model::Task> = doc.tasks.iter().collect();
        while let Some(t) = stack.pop() {
            targets.extend(t.targets.iter());
            stack.extend(t.children.iter());
        }
        for t in targets.into_iter().take(6) {
            let Some(&(from, to)) = swaps.iter().find(|(u, _)| *u == t.unit) else {
                continue;
            };
            let at = t.span.end - from.chars().count();
            if chars.get(at..t.span.end).map(String::from_iter).as_deref() != Some(from) {
                continue;
            }
            let b: String = chars[..at]
                .iter()
                .copied()
                .chain(to.chars())
                .chain(chars[t.span.end..].iter().copied())
                .collect();
            let r = diff(&doc, &parse_str(&b), &none());
            let text = text_edits(&r);
            assert!(
                text.is_empty(),
                "{} ({} {from} → {to}): {text:#?}",
                path.display(),
                t.text
            );
            assert!(r.summary.targets_changed + r.summary.targets_removed > 0);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} units were changed");
}
