//! Charts as Helm loads and renders them: Chart.yaml, values, dependencies, files, rendering.

pub mod funcs;
