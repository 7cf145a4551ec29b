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
