//! The `zhengce` binary's own modules: arguments, shared input and output, progress. The
//! library (`src/lib.rs`) does not include them.

pub mod args;
pub mod io;
pub mod progress;
