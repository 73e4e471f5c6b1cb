//! ChartLab: a Helm playground — Go text/template, Sprig and Helm reimplemented in Rust.
//!
//! Layers, each importing only those above it (see ARCHITECTURE.md):
//! `engine` ← (`json`, `yaml`) ← `sprig` ← `chart` ← `release` (over `kube`) ← `shell` ←
//! `playground` ← `ui`.

// Template and render errors carry Go's text, the location and the cause chain for the editor;
// they are the rare path, so their size in Result is not worth boxing everywhere.
#![allow(clippy::result_large_err)]

pub mod chart;
pub mod engine;
pub mod json;
pub mod kube;
pub mod playground;
pub mod release;
pub mod shell;
pub mod sprig;
pub mod toml;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod yaml;
