//! Numeric targets: the seed and the corpus against their gold files, with the shared scorer.
//! Run with `--nocapture` to see the tables; `ZC_DETAIL=1` also lists misses and spurious
//! targets.

mod common;

use zhengce::model::{Document, Target, Task};
use zhengce::score::{Scores, same_target, score};

fn pct(x: f64) -> String {
    format!("{:5.1}", x * 100.0)
}

fn by_task(doc: &Document) -> Vec<(&Task, &Target)> {
    doc.all_tasks()
        .into_iter()
        .flat_map(|t| t.targets.iter().map(move |g| (t, g)))
        .collect()
}

/// Lists the expected targets not found and the found ones not expected (optional ones
/// excepted), and the found ones whose year, kind or bound differ.
fn details(expected: &Document, actual: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let exp = by_task(expected);
    let act = by_task(actual);
    let mut used = vec![false; exp.len()];
    for (t, a) in &act {
        let pick = (0..exp.len())
            .filter(|&i| !used[i] && exp[i].0.id == t.id && same_target(exp[i].1, a))
            .min_by_key(|&i| exp[i].1.optional);
        match pick {
            Some(i) => {
                used[i] = true;
                let e = exp[i].1;
                if !e.optional && (e.year != a.year || e.kind != a.kind || e.bound != a.bound) {
                    out.push(format!(
                        "  wrong  {} {}{}: year {:?}/{:?} kind {:?}/{:?} bound {:?}/{:?}  «{}»",
                        t.id,
                        a.value,
                        a.unit,
                        a.year,
                        e.year,
                        a.kind,
                        e.kind,
                        a.bound,
                        e.bound,
                        a.text
                    ));
                }
            }
            None => out.push(format!(
                "  spurious {} {}{} ({}) «{}»",
                t.id, a.value, a.unit, a.indicator, a.text
            )),
        }
    }
    for (i, (t, e)) in exp.iter().enumerate() {
        if !used[i] && !e.optional {
            out.push(format!(
                "  missed {} {}{} ({})",
                t.id, e.value, e.unit, e.indicator
            ));
        }
    }
    out
}

fn detail_wanted() -> bool {
    std::env::var("ZC_DETAIL").is_ok_and(|v| !v.is_empty())
}

#[test]
fn seed_targets_against_gold() {
    let seed = common::seed();
    let doc = common::parse(&seed);
    let gold = common::gold(&seed).to_document();
    let s = score(&gold, &doc);
    let required = gold
        .all_tasks()
        .iter()
        .flat_map(|t| &t.targets)
        .filter(|t| !t.optional)
        .count();
    println!(
        "seed: found {}/{required}, spurious {}, year {}/{} kind {}/{} bound {}/{}",
        s.targets.tp,
        s.targets.fp,
        s.target_year.correct,
        s.target_year.total,
        s.target_kind.correct,
        s.target_kind.total,
        s.target_bound.correct,
        s.target_bound.total
    );
    let d = details(&gold, &doc);
    for line in &d {
        println!("{line}");
    }
    assert_eq!(required, 60);
    assert!(s.targets.tp >= 58, "found {} of 60: {d:#?}", s.targets.tp);
    assert!(s.targets.fp <= 3, "{} spurious: {d:#?}", s.targets.fp);
    for (what, acc) in [
        ("year", s.target_year),
        ("kind", s.target_kind),
        ("bound", s.target_bound),
    ] {
        assert!(
            acc.rate() >= 0.95,
            "{what} right for {:.3}: {d:#?}",
            acc.rate()
        );
    }
}

#[test]
fn corpus_targets_against_gold() {
    let mut total = Scores::default();
    println!(
        "{:<5} {:>4} {:>4} {:>4} {:>23} {:>7} {:>7} {:>7}",
        "doc", "tp", "fp", "fn", "targets P / R / F1", "year", "kind", "bound"
    );
    let mut lines = Vec::new();
    for path in common::fixtures() {
        let doc = common::parse(&path);
        let gold = common::gold(&path).to_document();
        let s = score(&gold, &doc);
        println!(
            "{:<5} {:>4} {:>4} {:>4} {:>23} {:>7} {:>7} {:>7}",
            common::short(&path),
            s.targets.tp,
            s.targets.fp,
            s.targets.fn_,
            format!(
                "{} / {} / {}",
                pct(s.targets.precision()),
                pct(s.targets.recall()),
                pct(s.targets.f1())
            ),
            pct(s.target_year.rate()),
            pct(s.target_kind.rate()),
            pct(s.target_bound.rate()),
        );
        if detail_wanted() {
            for l in details(&gold, &doc) {
                lines.push(format!("{} {l}", common::short(&path)));
            }
        }
        total.add(&s);
    }
    println!(
        "{:<5} {:>4} {:>4} {:>4} {:>23} {:>7} {:>7} {:>7}",
        "all",
        total.targets.tp,
        total.targets.fp,
        total.targets.fn_,
        format!(
            "{} / {} / {}",
            pct(total.targets.precision()),
            pct(total.targets.recall()),
            pct(total.targets.f1())
        ),
        pct(total.target_year.rate()),
        pct(total.target_kind.rate()),
        pct(total.target_bound.rate()),
    );
    for l in &lines {
        println!("{l}");
    }
    assert!(
        total.targets.f1() >= 0.85,
        "overall target F1 {:.3}",
        total.targets.f1()
    );
}
