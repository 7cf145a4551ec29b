//! Timing of the target stage: rule compilation and in-process parsing of the seed.
//! Run with `cargo test --release --test targets_timing -- --ignored --nocapture`.

mod common;

use std::time::Instant;

#[test]
#[ignore]
fn timing() {
    let t = Instant::now();
    let rules = zhengce::rules::Rules::embedded().unwrap();
    println!("rules compile: {:?}", t.elapsed());
    let parser = zhengce::Parser::new(rules);
    let bytes = std::fs::read(common::seed()).unwrap();
    let _ = parser.parse_bytes(&bytes, None);
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        let _ = parser.parse_bytes(&bytes, None);
    }
    println!("parse seed: {:?} each", t.elapsed() / n);
}

#[test]
#[ignore]
fn regex_costs() {
    for p in [
        r"\p{Han}",
        r"[\x{4E00}-\x{9FFF}]",
        r"(?:^|[,;:。!?])\s*(?:在|于)?\s*(?P<year>(?:19|20)\d{2})\s*年(?:,|(?P<next>[\p{Han}&&[^月度底末前后以起的内来初中间份代级龄]]))",
        r"^(?:及)?(?:以上|以下)的?[\p{Han}“]",
        r"\s*$",
    ] {
        let t = Instant::now();
        let _ = regex::Regex::new(p).unwrap();
        println!("{:?} {p}", t.elapsed());
    }
}
