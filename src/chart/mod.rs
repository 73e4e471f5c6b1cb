//! Charts as Helm loads and renders them (Helm's pkg/chart, pkg/chart/common and pkg/engine glue):
//! Chart.yaml, values and their coalescing, subcharts, `.Files`, `.Capabilities`, rendering and
//! Helm's error texts.

pub mod archive;
pub mod chartfile;
pub mod cli_values;
pub mod create;
pub mod dependencies;
pub mod dependency;
pub mod funcs;
pub mod glob;
pub mod ignore;
pub mod jsontext;
pub mod load;
pub mod memo;
pub mod model;
pub mod objects;
pub mod package;
pub mod render;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;

pub use cli_values::ValueOptions;
pub use load::{load_archive, load_files, FileMap};
pub use model::{Chart, File, Metadata};
pub use render::{
    process_dependencies, render, render_processed, ReleaseOptions, RenderError, RenderOptions,
    Rendered,
};
