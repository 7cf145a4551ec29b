//! Accuracy on every bundled document against its gold file, with the shared scorer.
//! Run with `--nocapture` to see the table.

use crate::common;

use zhengce::compare::score::{Scores, score};

fn pct(x: f64) -> String {
    format!("{:5.1}", x * 100.0)
}

#[test]
fn headings_attributions_and_meta_against_gold() {
    let mut total = Scores::default();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    println!(
        "{:<5} {:>27} {:>27} {:>27} {:>6}  meta mismatches",
        "doc", "headings P / R / F1", "attributions P / R / F1", "targets P / R / F1", "meta"
    );
    for path in common::fixtures() {
        let doc = common::parse(&path);
        let expected = common::gold(&path).to_document();
        let s = score(&expected, &doc);
        let prf = |p: &zhengce::compare::score::Prf| {
            format!(
                "{} / {} / {}",
                pct(p.precision()),
                pct(p.recall()),
                pct(p.f1())
            )
        };
        rows.push(format!(
            "{:<5} {:>27} {:>27} {:>27} {:>3}/{:<2}  {}",
            common::short(&path),
            prf(&s.headings),
            prf(&s.attributions),
            prf(&s.targets),
            s.meta.correct,
            s.meta.total,
            s.meta_mismatches.join(",")
        ));
        if s.headings.f1() < 0.95 {
            failures.push(format!(
                "{}: heading F1 {:.3}",
                common::short(&path),
                s.headings.f1()
            ));
        }
        total.add(&s);
    }
    for r in &rows {
        println!("{r}");
    }
    println!(
        "{:<5} {:>27} {:>27} {:>27} {:>3}/{:<2}",
        "all",
        format!(
            "{} / {} / {}",
            pct(total.headings.precision()),
            pct(total.headings.recall()),
            pct(total.headings.f1())
        ),
        format!(
            "{} / {} / {}",
            pct(total.attributions.precision()),
            pct(total.attributions.recall()),
            pct(total.attributions.f1())
        ),
        format!(
            "{} / {} / {}",
            pct(total.targets.precision()),
            pct(total.targets.recall()),
            pct(total.targets.f1())
        ),
        total.meta.correct,
        total.meta.total
    );
    assert!(
        failures.is_empty(),
        "documents below heading F1 0.95: {failures:?}"
    );
    assert!(
        total.meta.rate() >= 0.95,
        "metadata agreement {:.3}",
        total.meta.rate()
    );
}
