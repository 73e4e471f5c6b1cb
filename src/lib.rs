//! ChartLab: a Helm playground — Go text/template, Sprig and Helm reimplemented in Rust.
//!
//! Layers, each importing only those above it (see ARCHITECTURE.md):
//! `engine` ← (`json`, `yaml`) ← `sprig` ← `chart` ← `release` (over `kube`) ← `shell` ←
//! `playground` ← `ui`.

pub mod chart;
pub mod engine;
pub mod json;
pub mod kube;
pub mod playground;
pub mod sprig;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod yaml;
