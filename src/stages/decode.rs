//! The text decoder under its first name: it is now one reader of the [`read`] stage
//! ([`read::text`]). These names stay for code written against them.
//!
//! [`read`]: crate::stages::read
//! [`read::text`]: crate::stages::read::text

pub use crate::stages::read::text::{Decoded, LineEndings, binary_reason, decode};
