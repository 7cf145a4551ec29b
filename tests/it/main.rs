//! The integration tests, as one binary: one link of the crate instead of one per file (as
//! ripgrep's `tests/tests.rs`). Each module is the tests of one area.

mod annex;
mod batch;
mod browser;
mod cli;
mod common;
mod corpus;
mod departments;
mod diff;
mod diff_review;
mod encodings;
mod formats;
mod fuzz_smoke;
mod invariants;
mod layers;
mod layouts;
mod ledger;
mod robustness;
mod rules_examples;
mod schema;
mod seed;
mod sentences;
mod structure;
mod targets;
mod targets_props;
mod unseen;
mod view;
