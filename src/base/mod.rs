//! The building blocks of every stage: text with spans, lines, numbers, rule patterns,
//! diagnostics, rule-file plumbing and word sets. Nothing here knows a stage.

pub mod diag;
pub mod display;
pub mod numbers;
pub mod pattern;
pub mod rule_file;
pub mod segment;
pub mod sentence;
pub mod text;
pub mod word_set;
