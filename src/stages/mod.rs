//! The pipeline's stages, in the order they run: [`read`] a document of any format → text;
//! [`chrome`] page chrome; [`meta`] the notice wrapper, its metadata and the kind of every line; [`outline`]
//! the heading tree; [`departments`] attributions and the department index; [`deadlines`] by
//! when each task is due; [`annex`] the rows of annex task tables; [`targets`]
//! quantified targets. A stage imports only `base`, the contract in `model`, and the stages
//! before it.

pub mod annex;
pub mod chrome;
pub mod deadlines;
pub mod departments;
pub mod meta;
pub mod outline;
pub mod read;
pub mod targets;
