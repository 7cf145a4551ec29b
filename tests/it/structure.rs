//! Line structure lost or broken on the way to zhengce: the seed joined into one line, and
//! hard-wrapped at 38 characters, read as the seed does (issue: structure on documents nobody
//! tuned for). The scores are the shared scorer's against the seed's gold file.

use crate::common;

use zhengce::compare::score::{Scores, score};

fn seed_text() -> String {
    std::fs::read_to_string(common::seed()).unwrap()
}

fn scores(text: &str) -> (Scores, Vec<String>) {
    let doc = common::parser().parse_str(text, None);
    let gold = common::gold(&common::seed()).to_document();
    let codes = doc.diagnostics.iter().map(|d| d.code.clone()).collect();
    (score(&gold, &doc), codes)
}

fn close_to_the_seed(s: &Scores) {
    let (seed, _) = scores(&seed_text());
    for (name, got, want) in [
        ("headings", s.headings.f1(), seed.headings.f1()),
        ("attributions", s.attributions.f1(), seed.attributions.f1()),
        ("targets", s.targets.f1(), seed.targets.f1()),
    ] {
        assert!(
            got >= want - 0.02,
            "{name}: {got:.3} against the seed's {want:.3}"
        );
    }
}

#[test]
fn the_seed_on_one_line_reads_as_the_seed() {
    let joined = seed_text().replace('\n', "");
    let (s, codes) = scores(&joined);
    close_to_the_seed(&s);
    assert!(codes.iter().any(|c| c == "headings-split"), "{codes:?}");
}

#[test]
fn the_seed_wrapped_at_38_characters_reads_as_the_seed() {
    let mut wrapped = Vec::new();
    for line in seed_text().split('\n') {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            wrapped.push(String::new());
        }
        for piece in chars.chunks(38) {
            wrapped.push(piece.iter().collect());
        }
    }
    let (s, codes) = scores(&wrapped.join("\n"));
    close_to_the_seed(&s);
    assert!(codes.iter().any(|c| c == "lines-rejoined"), "{codes:?}");
    // Years and indicators are read whole again: the target of 2.2.2 is not cut at a wrap.
    let doc = common::parser().parse_str(&wrapped.join("\n"), None);
    let t = doc
        .all_tasks()
        .into_iter()
        .find(|t| t.id == "2.2.2")
        .unwrap();
    assert!(
        t.targets.iter().all(|g| g.year == Some(2025)),
        "{:?}",
        t.targets
    );
}

#[test]
fn a_marker_on_a_line_of_its_own_joins_its_title() {
    let doc = common::parser().parse_str(
        "一、总体要求\n正文。\n二、\n主要任务\n（\n一\n）推进改造。\n",
        None,
    );
    let ids: Vec<(&str, &str, &str)> = doc
        .all_tasks()
        .iter()
        .map(|t| (t.id.as_str(), t.marker.as_str(), t.title.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("1", "一、", "总体要求"),
            ("2", "二、", "主要任务"),
            ("2.1", "（一）", "推进改造")
        ]
    );
}
