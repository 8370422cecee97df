//! `briefing`: a static site generator for annotated, cross-linked news briefings.
//!
//! The crate mirrors the pipeline (see `ARCHITECTURE.md`):
//!
//! ```text
//! seeds ─clean─▶ content ─load─▶ Briefing ─annotate─▶ ─link─▶ ─render─▶ site
//! ```
//!
//! Every stage between the edges is a pure function of typed inputs; file I/O
//! lives in [`project`] (reading) and [`site`] (writing).

// Problems carry their source text for rich diagnostics; they are the cold
// path, so their size in `Result` does not matter.
#![allow(clippy::result_large_err)]

pub mod annotate;
pub mod assembled;
pub mod clean;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod editions;
pub mod fsutil;
pub mod holdback;
pub mod interchange;
pub mod link;
pub mod markdown;
pub mod model;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod sidecar;
pub mod site;
#[cfg(test)]
pub(crate) mod testing;
pub mod theme;
pub mod timing;
pub mod yaml;
