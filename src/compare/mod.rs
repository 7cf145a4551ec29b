//! Readings side by side: [`diff`] aligns two documents' tasks and reports what changed,
//! [`score`] gives precision, recall and F1 against an expected reading, and [`gold`] reads
//! hand-checked gold files as documents.

pub mod diff;
pub mod gold;
pub mod score;
