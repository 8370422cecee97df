//! The integration tests, one binary (one link instead of one per file):
//! each module was a file of its own under `tests/`, and runs the
//! `briefing` binary on fixture briefings (`tests/fixtures/`) or on projects
//! made with [`common::TestProject`].
//!
//! Support modules: `common` (test projects: writing inputs, running the
//! binary, reading outputs, fixture copies), `live_common` (a `serve` or
//! `watch` child and its log), `browser_support` (a headless Chromium
//! session; browser tests skip with a printed reason when it is not
//! installed, and take turns through one lock).
//!
//! Run one module with `cargo test --test it serve::` (a filter on the
//! module path).

mod browser_support;
mod common;
mod live_common;

mod annotate_props;
mod annotations;
mod atomic;
mod browser_annotations;
mod browser_edition;
mod browser_entities;
mod browser_live;
mod browser_reading;
mod browser_search;
mod build;
mod check_props;
mod clean;
mod cli;
mod diagnostics;
mod edition;
mod editions;
mod golden;
mod holdback;
mod interchange;
mod interchange_pages;
mod layering;
mod links;
mod noop;
mod provenance;
mod publish;
mod rescrape;
mod robustness;
mod scale;
mod serve;
mod sources;
mod untrusted;
